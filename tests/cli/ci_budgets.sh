#!/usr/bin/env bash
# Budgets and exit codes (docs/ci.md): a passing budget exits 0, a failing one 3, bad
# input 2 (unknown metric, wrong unit, budget syntax), an internal failure 1. Budgets
# in a trace report file:line:column; results appear in the text and JSON reports.
# Usage: ci_budgets.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"

# expect NAME RC STREAM REGEX -- ARGS...: run, check the exit code and that STREAM
# (out or err) matches REGEX.
expect() {
  local name=$1 want=$2 stream=$3 re=$4
  shift 5
  "$bin" "$@" > "$tmp/out" 2> "$tmp/err"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, expected $want; stderr: $(cat "$tmp/err")"; return
  fi
  if [ -n "$re" ] && ! grep -Eq -- "$re" "$tmp/$stream"; then
    fail "$name: $stream does not match /$re/:"; cat "$tmp/$stream"; return
  fi
  pass
}

# A GPU GEMM released every 10 ms; its latency is far below 10 ms on any module.
cat > "$tmp/gemm.yaml" <<'YAML'
orinsim: 1
name: gemm-loop
frames: 20
period: 10ms
tasks:
  - id: mm
    engine: gpu
    ops:
      - {op: gemm, m: 512, n: 512, k: 512}
budgets:
  - {metric: frame_latency.p99, max: 10ms}
  - {metric: throughput_fps, min: 99}
YAML
sed 's/min: 99/min: 150/' "$tmp/gemm.yaml" > "$tmp/gemm-fail.yaml"
printf 'orinsim: 1\ntasks:\n  - id: mm\n    engine: gpu\n    ops:\n      - {op: gemm, m: 64, n: 64, k: 64}\nbudgets:\n  - {metric: frame_latency.p99, max: 10}\n' > "$tmp/no-unit.yaml"
printf 'orinsim: 1\ntasks:\n  - id: mm\n    engine: gpu\n    ops:\n      - {op: gemm, m: 64, n: 64, k: 64}\nbudgets:\n  - {metric: engines.gpu.busy_pct, max: 10W}\n' > "$tmp/wrong-unit.yaml"
printf 'orinsim: 1\ntasks:\n  - id: mm\n    engine: gpu\n    ops:\n      - {op: gemm, m: 64, n: 64, k: 64}\nbudgets:\n  - {metric: frame_latency.p99.99, max: 1ms}\n' > "$tmp/unknown.yaml"
printf 'orinsim: 1\ntasks:\n  - id: mm\n    engine: gpu\n    ops:\n      - {op: gemm, m: 64, n: 64, k: 64}\nbudgets:\n  - {metric: power.module.avg, max: 20W}\n' > "$tmp/power.yaml"

pos='^[^ ]+:[0-9]+:[0-9]+: error: '
# Exit 0: budgets from the trace pass (20 frames 10 ms apart: 19 / 0.19 s = 100 fps).
expect trace_pass 0 out '^  pass  throughput_fps >= 99: 100\.00$' -- --sku agx32 "$tmp/gemm.yaml"
expect trace_pass_count 0 out '^budgets   2 of 2 passed$' -- --sku agx32 "$tmp/gemm.yaml"
# Exit 3: 100 fps is below a minimum of 150.
expect trace_fail 3 out '^  FAIL  throughput_fps >= 150: 100\.00$' -- --sku agx32 "$tmp/gemm-fail.yaml"
expect cli_pass 0 out '^  pass  tasks\.mm\.latency\.p95 < 10 ms: ' -- --sku agx32 \
  --budget 'tasks.mm.latency.p95 < 10ms' "$tmp/gemm.yaml"
expect cli_fail 3 out '^  FAIL  frame_latency\.max <= 0\.001 ms: 0\.038 ms$' -- --sku agx32 \
  --budget 'frame_latency.max<=1us' "$tmp/gemm.yaml"
expect cli_fail_gt 3 out '^  FAIL  engines\.gpu\.busy_pct > 99%: ' -- --sku agx32 \
  --budget 'engines.gpu.busy_pct>99%' "$tmp/gemm.yaml"
# --quiet: no report on stdout, the failing budget on stderr.
expect quiet_fail 3 err '^  FAIL  throughput_fps >= 150: 100\.00$' -- --quiet --sku agx32 "$tmp/gemm-fail.yaml"
if [ -s "$tmp/out" ]; then fail "quiet_fail: stdout not empty"; else pass; fi
expect quiet_pass 0 err '' -- --quiet --sku agx32 "$tmp/gemm.yaml"
if [ -s "$tmp/out" ] || [ -s "$tmp/err" ]; then fail "quiet_pass: output"; else pass; fi

# Exit 2: bad budgets, each one message line.
expect unknown_metric_cli 2 err "unknown metric 'fps'.*frame_latency\.p99.*throughput_fps" -- \
  --budget 'fps>=30' "$tmp/gemm.yaml"
expect unknown_metric_trace 2 err "${pos}unknown metric 'frame_latency\.p99\.99'.*throughput_fps" -- "$tmp/unknown.yaml"
expect no_unit_trace 2 err "${pos}.*missing unit in '10': expected a duration" -- "$tmp/no-unit.yaml"
expect wrong_unit_trace 2 err "wrong-unit\.yaml:8:41: error: .*unknown unit 'W' in '10W'.*percentage" -- "$tmp/wrong-unit.yaml"
# Power budgets turn the power model on: a small GEMM on agx64 (30W) averages about 11 W.
expect power_pass 0 out "pass  power\.module\.avg <= 20 W" -- --sku agx64 "$tmp/power.yaml"
expect power_fail_cli 3 out "FAIL  power\.module\.avg <= 1 W" -- --sku agx64 --budget 'power.module.avg<=1W' "$tmp/gemm.yaml"
sed '/^# ---- power and thermal model/,$d' "$src/configs/nx16.yaml" > "$tmp/nopower.yaml"
expect power_no_model 2 err "nx16 has no power model" -- --sku "$tmp/nopower.yaml" "$tmp/power.yaml"
expect cli_equals 2 err "'=' is not a budget operator" -- --budget 'throughput_fps=30' "$tmp/gemm.yaml"
expect cli_no_op 2 err "expected METRIC<=LIMIT" -- --budget 'throughput_fps' "$tmp/gemm.yaml"
expect cli_bad_op 2 err "expected one of the operators" -- --budget 'throughput_fps=>30' "$tmp/gemm.yaml"
expect cli_no_metric 2 err "missing metric name" -- --budget '>=30' "$tmp/gemm.yaml"
expect cli_no_limit 2 err "missing limit" -- --budget 'throughput_fps>=' "$tmp/gemm.yaml"
expect cli_unit_on_number 2 err "plain number" -- --budget 'throughput_fps>=30fps' "$tmp/gemm.yaml"
expect cli_no_value 2 err "--budget needs a value" -- "$tmp/gemm.yaml" --budget
expect cli_unknown_task 2 err "names task 'nms'.*its tasks: mm" -- --budget 'tasks.nms.latency.p99<=1ms' "$tmp/gemm.yaml"
# A metric the run has no value for (the trace uses no DLA): bad input, reported.
expect no_value 2 out '^  ERROR engines\.dla0\.busy_pct <= 50%: the run has no value' -- \
  --budget 'engines.dla0.busy_pct<=50%' "$tmp/gemm.yaml"
"$bin" --budget 'fps>=30' "$tmp/gemm.yaml" 2> "$tmp/err" > /dev/null
if [ "$(grep -c '' "$tmp/err")" -eq 1 ]; then pass; else fail "unknown metric: not one line"; fi

# Exit 8: the JSON report cannot be written (a full device), and the message says why.
if [ -w /dev/full ]; then
  expect output 8 err "cannot write the JSON report: No space left on device" -- --sku agx32 --json /dev/full "$tmp/gemm.yaml"
fi

# The JSON report carries the budgets.
"$bin" --sku agx32 --json "$tmp/r.json" --budget 'frame_latency.p99<=5ms' "$tmp/gemm-fail.yaml" > /dev/null
rc=$?
if [ "$rc" -ne 3 ]; then fail "json budgets: exit $rc"; fi
if python3 - "$tmp/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
b = r["budgets"]
assert r["report_version"] == 1
assert [x["metric"] for x in b] == ["frame_latency.p99", "throughput_fps", "frame_latency.p99"], b
assert [x["op"] for x in b] == ["<=", ">=", "<="], b
assert [x["status"] for x in b] == ["pass", "fail", "pass"], b
assert b[0]["unit"] == "ms" and b[0]["limit"] == 10 and b[0]["source"].endswith("gemm-fail.yaml:11:5"), b[0]
assert b[1]["limit"] == 150 and b[1]["value"] == 100 and b[1]["unit"] == "", b[1]
assert b[2]["source"] == "command line" and b[2]["limit"] == 5, b[2]
PY
then pass; else fail "json budgets"; fi
# Without budgets the report has no budgets key (the golden reports are unchanged).
"$bin" --sku agx32 --json - --frames 2 "$src/traces/camera-detector.yaml" > "$tmp/plain.json"
if grep -q '"budgets"' "$tmp/plain.json"; then fail "budgets key without budgets"; else pass; fi

finish
