#!/usr/bin/env bash
# orinsim as a CI gate: build orinsim from source, run a trace on two modules against
# its budgets, keep the JUnit and JSON reports, and compare with the base branch's
# report. No Jetson needed.
#
# Usage: orinsim-ci.sh [BASE_REPORT.json]
# Environment (all optional):
#   ORINSIM_SRC  orinsim source tree to build (default: the tree holding this script)
#   OUT          where the reports go (default: orinsim-reports)
#   BUILD        build directory (default: build-orinsim)
#   TRACE        the trace to gate on (default: traces/camera-detector.yaml)
#   MODULES      modules and power modes (default: agx32:30W,nano8:15W)
# Exit status: 0 every budget passed and nothing regressed; 3 a budget failed or a
# metric regressed by more than 5%; 2 bad input; 1 internal error.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${ORINSIM_SRC:-$(cd "$here/../.." && pwd)}
out=${OUT:-orinsim-reports}
build=${BUILD:-build-orinsim}
trace=${TRACE:-$src/traces/camera-detector.yaml}
modules=${MODULES:-agx32:30W,nano8:15W}
base=${1:-}
mkdir -p "$out"

# 1. Build (Debian/Ubuntu: apt-get install cmake gcc pkg-config libyaml-dev libjson-c-dev).
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" --target orinsim -j "$(nproc)"
orinsim=$build/orinsim

# 2. Run the trace on both modules. Budgets come from the trace's `budgets:` list, if it
#    has one, and from these options. --reproducible keeps wall-clock times out of the
#    reports, so the same inputs give byte-identical files.
#    Optional: a timeline of one run for Perfetto, e.g. "$orinsim" --sku agx32:30W
#    --timeline "$out/timeline.json" "$trace" (--timeline records one run, not a batch).
status=0
"$orinsim" --sku "$modules" --reproducible \
  --budget 'frame_latency.p99<=33ms' \
  --budget 'throughput_fps>=29' \
  --budget 'tasks.detector.latency.p99<=10ms' \
  --junit "$out/junit.xml" --json "$out/report.json" \
  "$trace" || status=$?

# 3. Compare with the base branch's report: a metric 5% worse is a regression (exit 3).
#    Bad input or an internal error in step 2 (exit 2 or 1) is reported as it is.
if [ -n "$base" ] && { [ "$status" -eq 0 ] || [ "$status" -eq 3 ]; }; then
  diff_status=0
  "$orinsim" diff "$base" "$out/report.json" --threshold 5% > "$out/diff.txt" || diff_status=$?
  cat "$out/diff.txt"
  if [ "$diff_status" -ne 0 ]; then
    status=$diff_status
  fi
fi
exit "$status"
