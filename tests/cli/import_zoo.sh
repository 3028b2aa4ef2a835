#!/usr/bin/env bash
# orinsim import against the zoo: a zoo network written as ONNX from the same definition
# (tests/import/make_models.py follows soc/zoo/zoo_nets.c module by module, with every
# conv followed by a batch-norm as an exporter writes it) must import to the same
# multiply-accumulates, parameters, DRAM bytes and predicted latency as `orinsim zoo`,
# within 0.5 %, on the GPU and on a DLA. Exits 77 (skipped) without python3-onnx or
# without the ONNX reader in this build.
# Usage: import_zoo.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"

if ! /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
  echo "import_zoo: skipped: /usr/bin/python3 has no onnx module (Debian: apt-get install python3-onnx)"
  exit 77
fi
/usr/bin/python3 "$src/tests/import/make_models.py" "$tmp" resnet50 yolov8n || { echo "make_models.py failed"; exit 1; }
"$bin" import "$tmp/resnet50.onnx" >/dev/null 2>&1
if [ $? -eq 5 ]; then
  echo "import_zoo: skipped: this orinsim was built without the ONNX reader"
  exit 77
fi

# numbers TRACE: MACs and parameters of the header, then latency, DRAM bytes and weight
# bytes of a run on agx64.
numbers() {
  sed -n 's/^# Batch 1: \([0-9.]*\) GMAC per sample, \([0-9.]*\) M parameters.*/\1 \2/p' "$1"
  "$bin" --sku agx64 --json - "$1" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["frame_latency_ms"]["mean"], d["dram"]["bytes"], d["memory"]["weights_bytes"])'
}

# same NAME ZOO_TRACE IMPORTED_TRACE: every number within 0.5 %.
same() {
  local a b
  a=$(numbers "$2" | tr '\n' ' ')
  b=$(numbers "$3" | tr '\n' ' ')
  if [ -z "$a" ] || [ -z "$b" ]; then fail "$1: no numbers (zoo: '$a', import: '$b')"; return; fi
  if awk -v a="$a" -v b="$b" 'BEGIN { n = split(a, x, " "); split(b, y, " "); if (n != 5) exit 1
        for (i = 1; i <= n; i++) { d = x[i] - y[i]; if (d < 0) d = -d
          if (d > 0.005 * (x[i] < 0 ? -x[i] : x[i])) exit 1 } }'; then
    pass
  else
    fail "$1: zoo (GMAC Mparams latency_ms dram_bytes weight_bytes) $a, import $b"
  fi
}

for opts in "--dtype int8" "--dtype fp16 --batch 8" "--dtype int8 --engine dla" "--dtype int8 --sparsity 2:4"; do
  # shellcheck disable=SC2086
  "$bin" zoo resnet50 $opts >"$tmp/zoo.yaml" || fail "zoo resnet50 $opts"
  # shellcheck disable=SC2086
  "$bin" import "$tmp/resnet50.onnx" $opts >"$tmp/imp.yaml" 2>/dev/null || fail "import resnet50 $opts"
  same "resnet50 $opts" "$tmp/zoo.yaml" "$tmp/imp.yaml"
done

# YOLOv8n on the GPU in fp16: the zoo's decode task (DFL softmax and conv, box arithmetic,
# class sigmoid) is written in the ONNX after Detect, so the one imported task runs the
# zoo's two tasks' ops in the same order. (In int8 the zoo runs its decode task in the
# --int8-fallback type and on a DLA keeps it on the GPU, which an ONNX model says
# nothing of: those are not compared.)
for opts in "--dtype fp16" "--dtype fp16 --batch 4"; do
  # shellcheck disable=SC2086
  "$bin" zoo yolov8n $opts >"$tmp/zoo.yaml" || fail "zoo yolov8n $opts"
  # shellcheck disable=SC2086
  "$bin" import "$tmp/yolov8n.onnx" $opts >"$tmp/imp.yaml" 2>/dev/null || fail "import yolov8n $opts"
  same "yolov8n $opts" "$tmp/zoo.yaml" "$tmp/imp.yaml"
done

finish import_zoo
