#!/usr/bin/env bash
# Batches: every (trace, module) pair runs, in parallel, and the output keeps the order
# given (trace by trace, module by module). With --reproducible the text, JSON and
# JUnit reports are byte-identical on 1 and 2 threads. Usage: ci_batch.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"

cat > "$tmp/gemm.yaml" <<'YAML'
orinsim: 1
name: gemm-loop
frames: 20
period: 10ms
tasks:
  - id: mm
    engine: gpu
    ops:
      - {op: gemm, m: 1024, n: 1024, k: 1024}
budgets:
  - {metric: frame_latency.p99, max: 2ms}
YAML
cam=$src/traces/camera-detector.yaml

# Two traces x three modules (two --sku options, one with a list and a mode per entry),
# the budget passing on some modules and failing on others.
run() {
  "$bin" --threads "$1" --reproducible --frames 20 --sku agx32,nano8:7W --sku agx64:MAXN \
    --json "$tmp/r$1.json" --junit "$tmp/j$1.xml" "$tmp/gemm.yaml" "$cam" > "$tmp/out$1" 2> "$tmp/err$1"
}
run 1; rc1=$?
run 2; rc2=$?
if [ "$rc1" -eq "$rc2" ]; then pass; else fail "exit codes differ: $rc1 vs $rc2"; fi
for f in out r.json j.xml err; do
  a=$tmp/${f%%.*}1${f#"${f%%.*}"}
  b=$tmp/${f%%.*}2${f#"${f%%.*}"}
  if cmp -s "$a" "$b"; then pass; else fail "$f differs between 1 and 2 threads"; diff "$a" "$b" | head; fi
done
# The pairs in order: gemm-loop on agx32, nano8, agx64, then camera-detector.
got=$(awk '/^summary/{s=1; next} s && NR>1 && $1 != "trace" {print $1 "/" $2 "/" $3}' "$tmp/out1" | tr '\n' ' ')
want="gemm-loop/agx32/30W gemm-loop/nano8/7W gemm-loop/agx64/MAXN camera-detector/agx32/30W camera-detector/nano8/7W camera-detector/agx64/MAXN "
if [ "$got" = "$want" ]; then pass; else fail "summary order: '$got'"; fi
# The reports themselves come in the same order, before the summary.
got=$(sed -n 's/^module *\([^,]*\),.* mode \([^ ]*\) .*/\1,\2/p' "$tmp/out1" | tr '\n' ' ')
if [ "$got" = "agx32,30W nano8,7W agx64,MAXN agx32,30W nano8,7W agx64,MAXN " ]; then pass; else fail "report order: '$got'"; fi
if python3 - "$tmp/r1.json" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))
assert isinstance(runs, list) and len(runs) == 6, runs
assert [(r["name"], r["sku"], r["mode"]) for r in runs] == [
    ("gemm-loop", "agx32", "30W"), ("gemm-loop", "nano8", "7W"), ("gemm-loop", "agx64", "MAXN"),
    ("camera-detector", "agx32", "30W"), ("camera-detector", "nano8", "7W"),
    ("camera-detector", "agx64", "MAXN")], runs
assert all(r["report_version"] == 1 for r in runs)
assert all("budgets" in r for r in runs[:3]) and not any("budgets" in r for r in runs[3:])
assert all(r["sim"]["wall_s"] == 0 for r in runs)
PY
then pass; else fail "batch JSON"; fi
# The exit code is the batch's worst: a failed budget anywhere gives 3.
fails_in_summary=$(grep -c 'FAIL (' "$tmp/out1")
if { [ "$fails_in_summary" -gt 0 ] && [ "$rc1" -eq 3 ]; } || { [ "$fails_in_summary" -eq 0 ] && [ "$rc1" -eq 0 ]; }; then
  pass; else fail "exit $rc1 with $fails_in_summary failing runs"; fi

# One run gives one JSON object, not an array; no summary.
"$bin" --reproducible --frames 5 --sku agx32 --json - "$cam" > "$tmp/one.json"
if python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert isinstance(r, dict) and r["sku"] == "agx32"' "$tmp/one.json"; then pass; else fail "single run JSON"; fi
"$bin" --reproducible --frames 5 --sku agx32 "$cam" > "$tmp/one.txt"
if grep -q '^summary' "$tmp/one.txt"; then fail "summary for one run"; else pass; fi

# A run that cannot be simulated (a DLA task on a Nano, which has none) is reported in its
# place; the others run.
printf 'orinsim: 1\nname: dla-conv\ntasks:\n  - id: a\n    engine: dla0\n    ops:\n      - {op: conv, input: [1, 8, 8, 8], filters: 8, kernel: 1}\n' > "$tmp/dla.yaml"
"$bin" --quiet --frames 5 --sku agx32,nano8 "$tmp/dla.yaml" "$cam" > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && [ "$(grep -c 'error (bad input)' "$tmp/out")" -eq 1 ] &&
   [ "$(grep -c '^camera-detector .* 30\.00 ' "$tmp/out")" -eq 2 ] && [ "$(grep -c 'dla.yaml:5:13: error.*nano8.*has no DLA' "$tmp/err")" -eq 1 ]; then
  pass; else fail "failed run in a batch: exit $rc"; cat "$tmp/out" "$tmp/err"; fi

# Bad input stops the batch before any run: nothing on stdout, one message.
check_bad() {
  local name=$1 re=$2
  shift 2
  "$bin" "$@" > "$tmp/out" 2> "$tmp/err"
  local rc=$?
  if [ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(grep -c '' "$tmp/err")" -eq 1 ] && grep -Eq -- "$re" "$tmp/err"; then
    pass; else fail "$name: exit $rc: $(cat "$tmp/err")"; fi
}
check_bad bad_sku "unknown SKU 'agx99'" --sku agx32,agx99 "$cam"
check_bad bad_mode "unknown mode '99W'" --sku agx32,nano8:99W "$cam"
check_bad empty_entry "empty entry" --sku agx32, "$cam"
check_bad bad_trace "cannot open" --sku agx32 "$cam" "$tmp/missing.yaml"
check_bad threads_zero "--threads expects a whole number from 1 to 1024, got '0'" --threads 0 "$cam"
check_bad threads_word "--threads expects a whole number" --threads two "$cam"
check_bad stdout_twice "cannot both write to stdout" --json - --junit - "$cam"

finish
