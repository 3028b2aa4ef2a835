# The res2 stage of the zoo's ResNet-50 trace as one kernel, as NVIDIA's MLPerf graph surgeon
# fuses it on Orin (RnRes2FullFusion_TRT; docs/validation.md, "The harness's GPU engine is
# not the zoo's ResNet-50"). B is the GPU batch. Per image: 668 MMAC of INT8 tensor work
# (1.336e9 flops); DRAM: the stage input 64x56x56 and output 256x56x56 (1,003,520 B) plus
# its weights once (212,992 B); 196 CTAs of 256 threads, a guess at the plugin's launch.
# The first task with layer1 ops (the GPU task of a gpu+2dla trace) is the one changed.
#   orinsim zoo resnet50 --engine gpu --batch 1 --frames 20 | awk -v B=1 -f docs/calibration/res2_fused.awk > ss.yaml
#   orinsim --sku agx64 --mode MAXN ss.yaml
# (MultiStream: --batch 8, B=8; Offline: --engine gpu+2dla --frames 8, B=256.)
state == 0 && /name: layer1\./ {
  state = 1
  printf "      - {op: kernel, name: res2, grid: [%d, 1, 1], block: [256, 1, 1], registers: 128, shared: 64KiB, tensor_flops: {int8: %.6g}, dram_bytes: %d B}\n", 196 * B, 1.336e9 * B, 1003520 * B + 212992
  next
}
state == 1 && (/layer1\./ || /^ *count:/ || /^ *ops:$/ || /- op: repeat/) { next }
state == 1 { state = 2 }
{ print }
