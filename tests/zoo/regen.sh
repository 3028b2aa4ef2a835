#!/usr/bin/env bash
# Regenerate the model-zoo traces of traces/zoo/ with the built binary. The traces are
# written by `orinsim zoo` from the layer definitions in soc/zoo*.c; never edit them by
# hand: change the definitions, run this script, review the diff. tests/test_zoo.c checks
# that the committed files are exactly what this script writes.
#
# Usage: tests/zoo/regen.sh [ORINSIM [OUTDIR]]   (default: build/orinsim, traces/zoo)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/build/orinsim}
out=${2:-$root/traces/zoo}
mkdir -p "$out"
rm -f "$out"/*.yaml

gen() {
  local file=$1
  shift
  "$bin" zoo "$@" > "$out/$file.yaml"
}

# Image classification and detection, MLPerf-style (INT8) and on the DLAs.
gen resnet50-int8-gpu-b1          resnet50 --dtype int8 --engine gpu --batch 1
gen resnet50-int8-dla-b2          resnet50 --dtype int8 --engine dla --batch 2
gen resnet50-int8-gpu2dla-offline resnet50 --dtype int8 --engine gpu+2dla
gen ssd-mobilenet-int8-dla-b2     ssd-mobilenet --dtype int8 --engine dla --batch 2
gen retinanet-int8-dla-b1         retinanet --dtype int8 --engine dla --batch 1
gen retinanet-int8-gpu-b1         retinanet --dtype int8 --engine gpu --batch 1
gen resnet18-int8-gpu-b1          resnet18 --dtype int8 --engine gpu --batch 1
gen resnet34-int8-gpu-b1          resnet34 --dtype int8 --engine gpu --batch 1
gen resnet34-backbone-int8-dla-b1 resnet34-backbone --dtype int8 --engine dla --batch 1
gen ssd-resnet34-int8-dla-b1      ssd-resnet34 --dtype int8 --engine dla --batch 1

# Ultralytics detectors at 640x640, batch 1 (the published YOLO11 figures are on Nano).
for s in n s m l x; do
  gen yolov8$s-fp16-gpu-b1 yolov8$s --dtype fp16 --engine gpu --batch 1
  gen yolo11$s-fp16-gpu-b1 yolo11$s --dtype fp16 --engine gpu --batch 1
  gen yolo11$s-int8-gpu-b1 yolo11$s --dtype int8 --engine gpu --batch 1
done
gen yolo11n-int8-dla-b1           yolo11n --dtype int8 --engine dla --batch 1

# YOLOv7 at 640x640, batch 1, as NVIDIA's yolo_deepstream builds it (FP16, and INT8 + FP16).
gen yolov7-fp16-gpu-b1            yolov7 --dtype fp16 --engine gpu --batch 1
gen yolov7-int8-gpu-b1            yolov7 --dtype int8 --engine gpu --batch 1

# EfficientViT at FP16 on the GPU, as the authors time it: the B1 classifier at 224x224 and
# the B1 Cityscapes segmenter at 1024x2048.
gen efficientvit-b1-fp16-gpu-b1   efficientvit-b1 --dtype fp16 --engine gpu --batch 1
gen efficientvit-seg-b1-cityscapes-fp16-gpu-b1 efficientvit-seg-b1-cityscapes --dtype fp16 --engine gpu --batch 1

# Transformers.
for m in bert-base bert-large; do
  gen $m-int8-gpu-s384 $m --dtype int8 --engine gpu --batch 1 --seq 384
  gen $m-fp16-gpu-s384 $m --dtype fp16 --engine gpu --batch 1 --seq 384
done
gen vit-b16-fp16-gpu-b1           vit-b16 --dtype fp16 --engine gpu --batch 1

# LLMs, batch 1: one decode step at a 1024-token context, and a 512-token prefill.
gen llama2-7b-fp16-decode         llama2-7b-decode --dtype fp16 --context 1024
gen llama2-7b-int4-decode         llama2-7b-decode --dtype int4 --context 1024
gen llama2-7b-fp16-prefill        llama2-7b-prefill --dtype fp16 --prompt 512
gen llama2-13b-int4-decode        llama2-13b-decode --dtype int4 --context 1024
gen llama2-70b-int4-decode        llama2-70b-decode --dtype int4 --context 1024
gen llama3-8b-int4-decode         llama3-8b-decode --dtype int4 --context 1024
gen llama3.2-1b-int4-decode       llama3.2-1b-decode --dtype int4 --context 1024
gen llama3.2-3b-int4-decode       llama3.2-3b-decode --dtype int4 --context 1024

# The camera pipeline at 30 FPS.
gen camera-pipeline               camera-pipeline
