#!/usr/bin/env bash
# Golden reports of the example traces: the JSON and text reports (--reproducible) must
# match tests/golden/ byte for byte. After a deliberate model change, regenerate with
#   ORINSIM_UPDATE_GOLDEN=1 tests/cli/golden.sh build/orinsim .
# and review the diff. Usage: golden.sh ORINSIM SOURCE_DIR
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$2"
fails=0
passes=0
cases=(
  "agx32 30W traces/camera-detector.yaml"
  "nano8 15W traces/camera-detector.yaml"
  "agx64 MAXN traces/scaling/gemm4096-fp16.yaml"
  "agx64 MAXN traces/validation/llama2-7b-fp16-decode.yaml"
)
for c in "${cases[@]}"; do
  set -- $c
  sku=$1 mode=$2 trace=$3
  base=tests/golden/$(basename "$trace" .yaml).$sku.$mode
  for kind in json txt; do
    if [ "$kind" = json ]; then
      out=$("$bin" --sku "$sku" --mode "$mode" --reproducible --json - "$trace")
    else
      out=$("$bin" --sku "$sku" --mode "$mode" --reproducible "$trace")
    fi
    if [ -n "${ORINSIM_UPDATE_GOLDEN:-}" ]; then
      printf '%s\n' "$out" > "$base.$kind"
    fi
    if printf '%s\n' "$out" | diff -u "$base.$kind" - > /dev/null; then
      passes=$((passes + 1))
    else
      echo "FAIL $base.$kind differs:"
      printf '%s\n' "$out" | diff -u "$base.$kind" - | head -40
      fails=$((fails + 1))
    fi
  done
done
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
