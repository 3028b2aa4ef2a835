#!/usr/bin/env bash
# orinsim diff: a re-run of the same inputs changes nothing (exit 0, even without
# --reproducible, since wall-clock figures are not metrics); a slower module or power
# mode is flagged as a regression (exit 3); files that are not comparable reports are
# bad input (exit 2). Usage: ci_diff.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"

cam=$src/traces/camera-detector.yaml
report() { "$bin" --quiet --frames 30 --json "$tmp/$1.json" "${@:2}" "$cam"; }
report base --sku agx32 --mode 30W
report rerun --sku agx32 --mode 30W
report nano --sku nano8 --mode 7W
report mode15 --sku agx32 --mode 15W
report maxn --sku agx32 --mode MAXN

# expect NAME RC REGEX -- ARGS...
expect() {
  local name=$1 want=$2 re=$3
  shift 4
  "$bin" diff "$@" > "$tmp/out" 2> "$tmp/err"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, expected $want"; cat "$tmp/out" "$tmp/err"; return
  fi
  if [ -n "$re" ] && ! grep -Eq -- "$re" "$tmp/out" "$tmp/err"; then
    fail "$name: output does not match /$re/"; cat "$tmp/out" "$tmp/err"; return
  fi
  pass
}

expect rerun 0 'metrics compared, none changed' -- "$tmp/base.json" "$tmp/rerun.json"
if grep -q regression "$tmp/out"; then fail "rerun flagged"; else pass; fi
# Planted regressions: a Nano in 7 W, and the same module in 15 W instead of 30 W.
expect module 3 '^frame_latency\.p99 .* regression$' -- "$tmp/base.json" "$tmp/nano.json"
expect mode 3 '^tasks\.detector\.latency\.p95 .* regression$' -- "$tmp/base.json" "$tmp/mode15.json"
# The other way round they are improvements, and no regression.
expect reverse 0 '^frame_latency\.p99 .* improvement$' -- "$tmp/nano.json" "$tmp/base.json"
# A threshold larger than every change flags nothing.
expect threshold 0 'past 1e\+06%' -- --threshold 1000000% "$tmp/base.json" "$tmp/nano.json"
# Batches compare run by run.
"$bin" --quiet --frames 30 --sku agx32:30W,nano8:15W --json "$tmp/b1.json" "$cam" > /dev/null
"$bin" --quiet --frames 30 --sku agx32:30W,nano8:7W --json "$tmp/b2.json" "$cam" > /dev/null
expect batch 3 'run 2 of 2' -- "$tmp/b1.json" "$tmp/b2.json"
expect batch_same 0 'none changed' -- "$tmp/b1.json" "$tmp/b1.json"

# Bad input.
printf 'not json' > "$tmp/text.json"
sed 's/"report_version": 1/"report_version": 2/' "$tmp/base.json" > "$tmp/v2.json"
printf '{"frames": 3}' > "$tmp/notreport.json"
expect missing 2 'missing\.json: error: cannot open' -- "$tmp/base.json" "$tmp/missing.json"
expect not_json 2 'text\.json:1:[0-9]+: error: not JSON' -- "$tmp/text.json" "$tmp/base.json"
expect not_report 2 'no integer report_version' -- "$tmp/base.json" "$tmp/notreport.json"
expect version 2 'report_version 1 but .* report_version 2' -- "$tmp/base.json" "$tmp/v2.json"
expect run_vs_batch 2 'compare a run with a run' -- "$tmp/base.json" "$tmp/b1.json"
expect one_file 2 'needs two reports' -- "$tmp/base.json"
expect three_files 2 'unexpected argument' -- "$tmp/base.json" "$tmp/base.json" "$tmp/base.json"
expect bad_threshold 2 'percentage' -- --threshold 5 "$tmp/base.json" "$tmp/base.json"
expect bad_option 2 "unknown option '--thresh'" -- --thresh 5% "$tmp/base.json" "$tmp/base.json"

finish
