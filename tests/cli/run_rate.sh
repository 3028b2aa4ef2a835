#!/usr/bin/env bash
# `run --fps N` and `--period T` replace the trace's release period; bad values exit 2
# naming the option; `zoo` says on stderr when its trace releases a single frame.
# Usage: run_rate.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"
trace=$src/traces/camera-detector.yaml    # period: 33.333ms in the file

# offered LINE -- ARGS: the text report's frames line shows LINE.
offered() {
  local name=$1 want=$2 out
  shift 3
  out=$("$bin" --sku agx64 --frames 20 "$@" "$trace" | grep '^frames')
  if printf '%s' "$out" | grep -qF -- "$want"; then pass; else fail "$name: '$out' lacks '$want'"; fi
}
offered trace_period  'period 33.333 ms = 30.00 frames/s offered' --
# 1 s / 60 = 16.667 ms
offered fps60         'period 16.667 ms = 60.00 frames/s offered' -- --fps 60
# 1 s / 12.5 ms = 80 frames/s
offered period12_5    'period 12.500 ms = 80.00 frames/s offered' -- --period 12.5ms
# the last of the two counts: 1 s / 25 = 40 ms
offered last_wins     'period 40.000 ms = 25.00 frames/s offered' -- --period 10ms --fps 25

# agx64 keeps up with 60 offered frames a second on this pipeline (it does 30 with room:
# see the golden reports), so the JSON's throughput is the offered rate.
fps=$("$bin" --sku agx64 --frames 20 --fps 60 --json - "$trace" | sed -n 's/.*"throughput_fps": \([0-9.]*\).*/\1/p')
[ "$fps" = 60 ] && pass || fail "json throughput_fps $fps, expected 60"

for v in 0 -5 abc 2e6 30fps; do
  expect_stderr "fps_$v" 2 "--fps expects frames per second" -- --fps "$v" "$trace"
done
for v in 0 5 1ns 2 abc 7200s; do
  expect_stderr "period_$v" 2 "--period expects a duration" -- --period "$v" "$trace"
done
expect_stderr fps_missing 2 "--fps needs a value" -- "$trace" --fps

# A closed-loop trace becomes periodic, its default deadline (none) becomes the period:
# 1 s / 50 = 20 ms. Poisson arrivals have no period to replace.
printf 'orinsim: 1\nframes: 4\ntasks:\n  - {id: a, engine: gpu, ops: [{op: gemm, m: 64, n: 64, k: 64}]}\n' > "$tmp/closed.yaml"
d=$("$bin" --fps 50 --json - "$tmp/closed.yaml" | python3 -c 'import json,sys; print(json.load(sys.stdin)["frame_deadline"]["deadline_ms"])')
[ "$d" = 20 ] || [ "$d" = 20.0 ] && pass || fail "closed loop at --fps 50: deadline $d, expected 20"
printf 'orinsim: 1\nframes: 4\narrival: {process: poisson, rate: 100Hz}\ntasks:\n  - {id: a, engine: gpu, ops: [{op: gemm, m: 64, n: 64, k: 64}]}\n' > "$tmp/poisson.yaml"
"$bin" "$tmp/poisson.yaml" >/dev/null 2>&1 && pass || fail "the poisson trace itself does not run"
expect_stderr poisson 2 "Poisson process, not at a period" -- --fps 30 "$tmp/poisson.yaml"

# zoo: one frame by default for a network, with a note; none with --frames N > 1 or for
# the camera pipeline (300 frames).
"$bin" zoo yolo11n >/dev/null 2>"$tmp/err"
grep -q 'single frame' "$tmp/err" && pass || fail "zoo yolo11n: no note on stderr: $(cat "$tmp/err")"
"$bin" zoo yolo11n --frames 1 >/dev/null 2>"$tmp/err"
grep -q 'single frame' "$tmp/err" && pass || fail "zoo --frames 1: no note"
for args in "yolo11n --frames 8" "camera-pipeline" "list"; do
  "$bin" zoo $args >/dev/null 2>"$tmp/err"
  [ ! -s "$tmp/err" ] && pass || fail "zoo $args: unexpected stderr $(cat "$tmp/err")"
done
finish run_rate
