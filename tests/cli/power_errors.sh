#!/usr/bin/env bash
# Power options: every bad input gives one message and exit code 2; a run that ends in
# thermal shutdown exits with 4. Usage: power_errors.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"
trace=$src/traces/power/light-load.yaml

expect_stderr good 0 '' -- --power --quiet "$trace"
expect_stderr unknown_mode 2 "unknown mode '99W' for agx64; modes: MAXN" -- --mode 99W --power "$trace"
expect_stderr sweep_unknown_mode 2 "unknown mode '99W' for agx64" -- sweep --sku agx64,agx32 --mode MAXN,99W "$trace"
expect_stderr below_absolute_zero 2 'below absolute zero' -- --ambient -300C "$trace"
expect_stderr ambient_no_unit 2 'expects a temperature' -- --ambient hot "$trace"
expect_stderr cap_below_idle 2 'below the idle power of agx64 in mode MAXN' -- --mode MAXN --power-cap 3W "$trace"
expect_stderr sweep_cap_below_idle 2 'below the idle power' -- sweep --sku nano8 --mode 7W --power-cap 1W "$trace"
expect_stderr cap_zero 2 'above 0 W' -- --power-cap 0W "$trace"
expect_stderr bad_clocks 2 "expects 'pinned' or 'dvfs'" -- --clocks turbo "$trace"
expect_stderr clocks_no_value 2 'needs a value' -- "$trace" --clocks
# A module without a power model: the shipped nano4 cut before its power section.
sed '/^# ---- power and thermal model/,$d' "$src/configs/nano4.yaml" > "$tmp/nopower.yaml"
expect_stderr no_power_model 2 'nano4 has no power model' -- --sku "$tmp/nopower.yaml" --power "$trace"
expect_stderr sweep_no_power_model 2 'nano4 has no power model' -- sweep --sku "$tmp/nopower.yaml" "$trace"
expect_stderr sweep_bad_deadline 2 'expects a duration' -- sweep --deadline 10 "$trace"
expect_stderr sweep_bad_threads 2 'from 1 to 1024' -- sweep --threads 0 "$trace"
expect_stderr sweep_no_trace 2 'no trace given' -- sweep --sku agx64

# A heat sink far too small: the run ends in thermal shutdown, exit code 4, and says so.
cat > "$tmp/hot.yaml" <<EOT
sku: hot
title: agx64 with a tiny heat sink
inherits: agx64
thermal: {gpu: {r: 15, c: 1}}
EOT
expect_stderr thermal_shutdown 4 '' -- --sku "$tmp/hot.yaml" --mode MAXN --power --quiet \
  "$src/traces/power/gpu-heat-30min.yaml"
out=$("$bin" --sku "$tmp/hot.yaml" --mode MAXN --power --reproducible \
  "$src/traces/power/gpu-heat-30min.yaml" 2>&1)
if printf '%s' "$out" | grep -q 'STOPPED   thermal shutdown: the gpu zone reached' &&
   printf '%s' "$out" | grep -q 'THERMAL SHUTDOWN at 104.5 C'; then
  passes=$((passes + 1))
else
  echo "FAIL thermal_shutdown_report: $out" | head -5; fails=$((fails + 1))
fi

# JSON: the power and energy objects.
json=$("$bin" --mode MAXN --power --json - --reproducible "$trace")
for key in '"power"' '"energy"' '"VDD_GPU_SOC"' '"per_frame_j"' '"frames_per_j"' \
           '"throttled_s"' '"peak_c"' '"per_hour_wh"' '"task_j_per_frame"'; do
  if printf '%s' "$json" | grep -q -- "$key"; then passes=$((passes + 1));
  else echo "FAIL json: no $key"; fails=$((fails + 1)); fi
done
# Without --power the reports stay as they were.
if "$bin" --json - --reproducible "$trace" | grep -q '"power"'; then
  echo "FAIL json: power object without --power"; fails=$((fails + 1))
else passes=$((passes + 1)); fi

finish power_errors
