#!/usr/bin/env bash
# `orinsim bench replay`: a trace replayed a few times with and without a timeline prints
# its medians and the timeline's cost; --json gives one object that parses, with the
# events the run counted; bad options exit 2. Usage: bench_replay.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"
trace=$src/traces/camera-detector.yaml

# 3 frames, 3 repetitions of each variant: one median line for each, and the cost line.
if out=$("$bin" bench replay --frames 3 --repeat 3 "$trace" 2>"$tmp/err"); then
  if [ "$(printf '%s\n' "$out" | grep -c 'median of 3')" -eq 2 ] &&
     printf '%s\n' "$out" | grep -q 'timeline cost: [0-9.]*x CPU time' &&
     [ "$(printf '%s\n' "$out" | grep -c '^  run [123]/3')" -eq 3 ]; then pass
  else fail "text output: $out"; fi
else
  fail "bench replay failed: $(cat "$tmp/err")"
fi
# --json: 3 frames of camera-detector, the same events as a plain run's JSON report says.
if json=$("$bin" bench replay --frames 3 --repeat 1 --no-timeline --json "$trace" 2>"$tmp/err"); then
  ev=$("$bin" --frames 3 --reproducible --json - "$trace" 2>/dev/null |
       python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["sim"]["events"])' 2>/dev/null)
  got=$(printf '%s' "$json" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(d["events"]); assert d["frames"] == 3 and "timeline" not in d' 2>"$tmp/err2")
  if [ -n "$got" ] && [ "$ev" = "$got" ]; then pass
  else fail "json: $json ($(cat "$tmp/err2"); report says '$ev')"; fi
else
  fail "bench replay --json failed: $(cat "$tmp/err")"
fi
expect_stderr bad_detail 2 "expects frames, tasks, kernels or sm" -- bench replay --timeline-detail x "$trace"
expect_stderr bad_repeat 2 "--repeat expects" -- bench replay --repeat 0 "$trace"
expect_stderr bad_option 2 "unknown option '--fast'" -- bench replay --fast
finish bench_replay
