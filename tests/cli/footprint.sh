#!/usr/bin/env bash
# Does the model fit? The zoo's Llama-2 decode traces against each module's usable DRAM
# (capacity - reserved, configs/). Weights: 13.0e9 x 2 B = 24.2 GiB for Llama-2-13B FP16,
# 69.0e9 x 0.5 B = 32.1 GiB for Llama-2-70B INT4 and 128.5 GiB for its FP16 version.
# Usable: agx32 32 - 3.1 = 28.9 GiB, nano8 8 - 2.1 = 5.9 GiB, agx64 64 - 3.7 = 60.3 GiB.
# Usage: footprint.sh ORINSIM SOURCE_DIR
set -u
bin=$1
. "$(dirname "$0")/lib.bash"
check() {   # check NAME SKU TRACE WANT_RC REGEX
  local out rc
  out=$("$bin" --sku "$2" --quiet --frames 1 "$3" 2>&1)
  rc=$?
  if [ "$rc" -eq "$4" ] && { [ -z "$5" ] || printf '%s' "$out" | grep -Eq -- "$5"; }; then
    passes=$((passes + 1))
  else
    echo "FAIL $1: exit $rc (expected $4): $out"
    fails=$((fails + 1))
  fi
}
"$bin" zoo llama2-13b-decode --dtype fp16 > "$tmp/l13f.yaml"
"$bin" zoo llama2-70b-decode --dtype int4 > "$tmp/l70i.yaml"
"$bin" zoo llama2-70b-decode --dtype fp16 > "$tmp/l70f.yaml"
check 13b_fp16_fits_agx32 agx32 "$tmp/l13f.yaml" 0 ''
check 13b_fp16_refused_nano8 nano8 "$tmp/l13f.yaml" 2 "does not fit in nano8's DRAM: it needs 25\.[0-9]+ GiB.*short of the 5\.90 GiB usable"
check 70b_int4_fits_agx64 agx64 "$tmp/l70i.yaml" 0 ''
check 70b_fp16_refused_agx64 agx64 "$tmp/l70f.yaml" 2 "does not fit in agx64's DRAM: it needs 128\.[0-9]+ GiB"
finish
