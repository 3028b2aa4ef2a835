#!/usr/bin/env bash
# The worked example of docs/ci.md runs as written: the shell script and the GitHub
# workflow the document shows are the files in docs/ci/, byte for byte, and the script
# builds orinsim from this source tree, gates a trace on two modules, writes JUnit and
# JSON reports, and diffs against a base report: no change against the same inputs,
# exit 3 against a base from faster power modes. Usage: ci_example.sh ORINSIM SOURCE_DIR
set -u
src=$2
. "$(dirname "$0")/lib.bash"

# The fenced block that follows "<!-- file: PATH -->" in docs/ci.md is PATH's content.
for f in docs/ci/orinsim-ci.sh docs/ci/orinsim.yml; do
  awk -v marker="<!-- file: $f -->" '
    $0 == marker { want = 1; next }
    want == 1 && /^```/ { want = 2; next }
    want == 2 && /^```$/ { exit }
    want == 2 { print }' "$src/docs/ci.md" > "$tmp/shown"
  if [ -s "$tmp/shown" ] && cmp -s "$tmp/shown" "$src/$f"; then pass; else
    fail "docs/ci.md does not show $f verbatim"; diff "$src/$f" "$tmp/shown" | head; fi
done

script=$src/docs/ci/orinsim-ci.sh
export BUILD=$tmp/build

# A first run: builds orinsim, every budget passes on both modules.
OUT=$tmp/base bash "$script" > "$tmp/log" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ -x "$BUILD/orinsim" ]; then pass; else fail "first run: exit $rc"; tail -20 "$tmp/log"; fi
if python3 - "$tmp/base/junit.xml" "$tmp/base/report.json" <<'PY'
import json, sys
import xml.etree.ElementTree as ET
suites = ET.parse(sys.argv[1]).getroot().findall("testsuite")
assert [s.get("name") for s in suites] == ["camera-detector on agx32 30W", "camera-detector on nano8 15W"]
assert all(s.get("tests") == "4" and s.get("failures") == "0" for s in suites)
runs = json.load(open(sys.argv[2]))
assert [(r["sku"], r["mode"]) for r in runs] == [("agx32", "30W"), ("nano8", "15W")]
assert all(len(r["budgets"]) == 3 and all(b["status"] == "pass" for b in r["budgets"]) for r in runs)
PY
then pass; else fail "first run reports"; fi

# Against a base of the same inputs: nothing changed, exit 0.
OUT=$tmp/same bash "$script" "$tmp/base/report.json" > "$tmp/log" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && grep -q 'none changed' "$tmp/same/diff.txt"; then pass; else fail "same base: exit $rc"; tail -20 "$tmp/log"; fi

# Against a base from the faster modes (MAXN, 25W): the default modes regress, exit 3,
# and the reports are still written for the job to publish.
OUT=$tmp/fast MODULES=agx32:MAXN,nano8:25W bash "$script" > "$tmp/log" 2>&1
OUT=$tmp/slow bash "$script" "$tmp/fast/report.json" > "$tmp/log" 2>&1
rc=$?
if [ "$rc" -eq 3 ] && grep -q 'frame_latency.p99 .* regression' "$tmp/slow/diff.txt" &&
   [ -s "$tmp/slow/junit.xml" ] && [ -s "$tmp/slow/report.json" ]; then pass; else
  fail "faster base: exit $rc"; tail -20 "$tmp/log"; fi

# A trace whose detector is too slow for the script's 10 ms budget: a 4096^3 FP16 GEMM
# is 2 x 4096^3 = 137 GFLOP, and doing it in 10 ms takes 13.7 TFLOP/s, above the peak of
# the 8-SM GPUs of agx32 at 30 W and nano8 at 15 W. Frames 50 ms apart give 20 fps,
# under the script's 29. The trace has a budget of its own too. Exit 3 from the run
# itself, and the JUnit report lists the trace's and the script's budgets.
cat > "$tmp/heavy.yaml" <<'YAML'
orinsim: 1
name: heavy
frames: 3
period: 50ms
tasks:
  - id: detector
    engine: gpu
    ops:
      - {op: gemm, m: 4096, n: 4096, k: 4096, dtype: fp16}
budgets:
  - {metric: frame_latency.p99, max: 50ms}
YAML
OUT=$tmp/heavy TRACE=$tmp/heavy.yaml bash "$script" > "$tmp/log" 2>&1
rc=$?
if [ "$rc" -eq 3 ] && python3 - "$tmp/heavy/junit.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET
for s in ET.parse(sys.argv[1]).getroot().findall("testsuite"):
    cases = {c.get("name"): c for c in s.findall("testcase")}
    assert set(cases) == {"run", "frame_latency.p99 <= 50 ms", "frame_latency.p99 <= 33 ms",
                          "throughput_fps >= 29", "tasks.detector.latency.p99 <= 10 ms"}, set(cases)
    assert cases["tasks.detector.latency.p99 <= 10 ms"].find("failure") is not None
PY
then pass; else fail "failing budget: exit $rc"; tail -20 "$tmp/log"; fi

finish
