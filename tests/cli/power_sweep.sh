#!/usr/bin/env bash
# orinsim sweep: the table and the CSV are the same on 1 and 2 threads; every agx64 mode
# appears in file order; exactly one mode per module is marked; MAXN's p99 latency beats
# 15W's. Usage: power_sweep.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
trace=$src/traces/power/resnet50-int8.yaml
fails=0
one=$("$bin" sweep --sku agx64,nano8 --mode all --frames 30 --csv --threads 1 "$trace") || fails=$((fails + 1))
two=$("$bin" sweep --sku agx64,nano8 --mode all --frames 30 --csv --threads 2 "$trace") || fails=$((fails + 1))
if [ "$one" != "$two" ]; then echo "FAIL: 1 and 2 threads differ"; fails=$((fails + 1)); fi
modes=$(printf '%s\n' "$one" | awk -F, 'NR > 1 && $1 == "agx64" {printf "%s ", $2}')
if [ "$modes" != "MAXN 15W 30W 50W " ]; then echo "FAIL: agx64 modes '$modes'"; fails=$((fails + 1)); fi
best=$(printf '%s\n' "$one" | awk -F, 'NR > 1 && $12 == 1 {n++} END {print n}')
if [ "$best" != "2" ]; then echo "FAIL: $best rows marked best, expected one per module"; fails=$((fails + 1)); fi
faster=$(printf '%s\n' "$one" | awk -F, '$1 == "agx64" && $2 == "MAXN" {m = $6} $1 == "agx64" && $2 == "15W" {f = $6} END {print (m < f) ? "yes" : "no"}')
if [ "$faster" != "yes" ]; then echo "FAIL: MAXN p99 is not below 15W's"; fails=$((fails + 1)); fi
text=$("$bin" sweep --sku agx64 --mode MAXN,15W --frames 30 --reproducible "$trace")
if ! printf '%s\n' "$text" | grep -q '^agx64 *MAXN ' || ! printf '%s\n' "$text" | grep -q 'VDD_GPU_SOC'; then
  echo "FAIL: text table: $text"; fails=$((fails + 1))
fi
if printf '%s\n' "$text" | grep -q 'wall'; then echo "FAIL: wall time with --reproducible"; fails=$((fails + 1)); fi
echo "power_sweep: $fails failed"
[ "$fails" -eq 0 ]
