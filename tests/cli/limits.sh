#!/usr/bin/env bash
# The run's limits (docs/limits.md, "Simulation"): a trace that cannot end before the
# engine's time horizon is refused before the run with file:line:column (exit 2); a SKU
# whose GPU scheduling costs would stop time is refused when loaded (exit 2); a run whose
# latency samples do not fit in memory is refused before it starts (exit 1), never cut
# short. Every run is under `timeout`: before these limits, each case below looped for
# ever or gave a shorter report. Usage: limits.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"

# run NAME RC REGEX -- ARGS...: as expect_stderr, under a 20 s timeout (124 = it hung).
run() {
  local name=$1 want=$2 re=$3 out rc
  shift 4
  out=$(timeout 20 "$bin" "$@" 2>&1 >/dev/null)
  rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, expected $want (124: timed out); stderr: $out"; return
  fi
  if [ -n "$re" ] && ! printf '%s' "$out" | grep -Eq -- "$re"; then
    fail "$name: message does not match /$re/: $out"; return
  fi
  pass
}
t() { printf '%s' "$2" > "$tmp/$1"; }
task() {  # task ENGINE OP: a one-task trace body
  printf 'tasks:\n  - id: a\n    engine: %s\n    ops:\n      - %s\n' "$1" "$2"
}

# ---- the time horizon: 2^64 - 1 ps = 18446744.07 s = 213.5 days ----
# 5200 frames x 3600 s = 18,720,000 s = 216.7 days: past it. The last frame arrives at
# 5199 x 3600 s = 216.6 days (the message's figure). 5000 x 3600 s = 208.3 days fits and
# runs in well under a second (5000 frames of one small GEMM).
t period.yaml "orinsim: 1
frames: 5200
period: 3600 s
$(task gpu '{op: gemm, m: 64, n: 64, k: 64}')"
run period 2 'period.yaml:3:9: error: 5200 frames, one every 3600 s, arrive over 216.6 days, past the simulated-time horizon of 213.5 days' -- --sku agx32 "$tmp/period.yaml"
sed 's/frames: 5200/frames: 5000/' "$tmp/period.yaml" > "$tmp/period-fits.yaml"
run period_fits 0 '' -- --sku agx32 "$tmp/period-fits.yaml"
# --frames overrides the trace's count and is checked the same way.
sed 's/frames: 5200/frames: 1/' "$tmp/period.yaml" > "$tmp/period-one.yaml"
run period_frames_option 2 'period-one.yaml:3:9: error: 5200 frames' -- --sku agx32 --frames 5200 "$tmp/period-one.yaml"

# One kernel of 1e18 FP32 FLOP in one CTA of 32 threads (one warp): the CTA issues at
# most 1/8 of an SM's rate (warps_full_rate 8), so it needs at least
# 1e18 / (cuda_flops_per_clk x cuda_efficiency / 8) cycles, far more than 213 days at
# any GPU clock; the message names the op.
t kernel.yaml "orinsim: 1
$(task gpu '{op: kernel, grid: 1, block: 32, flops: {fp32: 1e18}}')"
run kernel 2 'kernel.yaml:6:9: error: task .a. needs at least .* past the simulated-time horizon of 213.5 days' -- --sku agx32 "$tmp/kernel.yaml"

# 1e15 instructions at 0.01 per cycle = 1e17 cycles; at agx32's 2.2 GHz CPU maximum
# that is 4.5e7 s = 526 days on one core, at least.
t cpu.yaml "orinsim: 1
$(task cpu '{op: cpu, instructions: 1e15, ipc: 0.01}')"
run cpu_instructions 2 'cpu.yaml:6:9: error: task .a. needs at least .* days, past the simulated-time horizon' -- --sku agx32 "$tmp/cpu.yaml"

# 6000 CPU ops of 3600 s each: 21,600,000 s = 250 days of one task's frame, at least.
t repeat.yaml "orinsim: 1
$(task cpu '{op: repeat, count: 6000, ops: [{op: cpu, duration: 3600 s}]}')"
run cpu_repeat 2 'repeat.yaml:6:41: error: task .a. needs at least .* past the simulated-time horizon' -- --sku agx32 "$tmp/repeat.yaml"

# ---- GPU scheduling costs with positive minimums (soc/sku/sku.c) ----
two="orinsim: 1
tasks:
  - id: a
    engine: gpu
    process: p1
    ops:
      - {op: gemm, m: 4096, n: 4096, k: 4096}
  - id: b
    engine: gpu
    process: p2
    ops:
      - {op: gemm, m: 4096, n: 4096, k: 4096}
"
t two.yaml "$two"
sku() {  # sku FILE GPU_FIELDS
  printf 'sku: costs\ntitle: test costs\ninherits: nano8\ngpu: {%s}\n' "$2" > "$tmp/$1"
}
sku zero.yaml 'timeslice: 0 us, context_switch: 0 us, launch_overhead: 0 us'
run sku_zero 2 'zero.yaml:4:63: error: launch_overhead = 0 us is out of range \(expected 1e-07 s to 1 s\)' -- --sku "$tmp/zero.yaml" "$tmp/two.yaml"
sku ps.yaml 'timeslice: 1 ps'
run sku_timeslice_ps 2 'ps.yaml:4:18: error: timeslice = 1 ps is out of range \(expected 0.001 s' -- --sku "$tmp/ps.yaml" "$tmp/two.yaml"
sku switch.yaml 'context_switch: 0 us'
run sku_switch 2 'switch.yaml:4:23: error: context_switch = 0 us is out of range \(expected 1e-06 s' -- --sku "$tmp/switch.yaml" "$tmp/two.yaml"
sku launch.yaml 'launch_overhead: 50 ns'
run sku_launch 2 'launch.yaml:4:24: error: launch_overhead = 50 ns is out of range \(expected 1e-07 s' -- --sku "$tmp/launch.yaml" "$tmp/two.yaml"
# At the minimums, the two processes' GEMMs share the GPU by 1 ms slices and finish.
sku min.yaml 'timeslice: 1 ms, context_switch: 1 us, launch_overhead: 100 ns'
run sku_minimums 0 '' -- --sku "$tmp/min.yaml" "$tmp/two.yaml"

# ---- memory: every latency sample is allocated before the run ----
# 3,000,000 frames of 4 chained 1 us CPU tasks keep 8 B per frame for the frame latency,
# 8 B per frame for its wait for a slot and 8 B per frame for each task:
# 3e6 x 6 x 8 B = 144,000,000 B = 137.3 MiB, more than a 120,000 KiB (117 MiB) address
# space holds. Refused at once, exit 1; before the check the run went on and reported
# percentiles over its first 2^21 frames.
# AddressSanitizer reserves terabytes of address space, so the sanitizer build skips this.
chain="orinsim: 1
frames: 3000000
tasks:"
prev=
for id in a b c d; do
  chain="$chain
  - id: $id
    engine: cpu${prev:+
    after: [$prev]}
    ops:
      - {op: cpu, duration: 1 us}"
  prev=$id
done
t chain.yaml "$chain
"
if nm -D "$bin" 2>/dev/null | grep -q __asan_init || ldd "$bin" 2>/dev/null | grep -q libasan; then
  echo "skip: memory limit under AddressSanitizer"
else
  out=$( (ulimit -v 120000; timeout 20 "$bin" --sku agx32 "$tmp/chain.yaml") 2>&1 >/dev/null)
  rc=$?
  if [ "$rc" -ne 1 ]; then
    fail "memory: exit $rc, expected 1: $out"
  elif ! printf '%s' "$out" | grep -Eq 'chain.yaml: error: out of memory: 3000000 frames of 4 tasks need 137.3 MiB for their latency samples'; then
    fail "memory: message: $out"
  else
    pass
  fi
  # The same trace with 1000 frames (47 KB of samples) runs in that space.
  out=$( (ulimit -v 120000; timeout 20 "$bin" --sku agx32 --frames 1000 "$tmp/chain.yaml") 2>&1 >/dev/null)
  rc=$?
  [ "$rc" -eq 0 ] && pass || fail "memory_fits: exit $rc: $out"
fi

# ---- undefined behaviour: a conv too large to count its thread blocks ----
# input 1048576^4 with 1048576 filters: the implicit GEMM has m = N P Q = 2^60 rows, so
# even the largest tile needs 2^60 / 256 x 2^20 / 128 = 2^55 CTAs, past the 2^53 a double
# counts exactly. Refused before that count became an int64 (it overflowed before).
t conv.yaml "orinsim: 1
$(task gpu '{op: conv, input: [1048576, 1048576, 1048576, 1048576], filters: 1048576, kernel: 1}')"
run conv_huge 2 'conv.yaml:6:9: error: cannot run conv op on agx32.s GPU: the problem needs more than 2\^53 thread blocks' -- --sku agx32 "$tmp/conv.yaml"

finish limits
