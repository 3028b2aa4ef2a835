#!/usr/bin/env bash
# The JUnit report parses as XML and says what the run said: one testsuite per
# (trace, module) run, a test case `run` plus one per budget, failures where budgets
# failed, errors where runs could not be simulated. Names with markup characters and
# non-ASCII text survive the round trip. Usage: ci_junit.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"

# A trace whose file and name hold every XML markup character and some UTF-8.
weird="$tmp/a&b<'c\">.yaml"
cat > "$weird" <<'YAML'
orinsim: 1
name: "det <v2> & \"fast\" 'é' → 😀"
frames: 20
period: 10ms
tasks:
  - id: mm
    engine: gpu
    ops:
      - {op: gemm, m: 256, n: 256, k: 256}
budgets:
  - {metric: throughput_fps, min: 99}
  - {metric: throughput_fps, min: 150}
YAML
# A trace no module can run: 100 GiB of weights fit in no Orin's DRAM.
printf 'orinsim: 1\nname: too-big\ntasks:\n  - id: a\n    engine: gpu\n    memory: {weights: 100GiB}\n    ops:\n      - {op: gemm, m: 8, n: 8, k: 8}\n' > "$tmp/big.yaml"

"$bin" --quiet --reproducible --sku agx32,nano8 --budget 'frame_latency.p99<=1ms' \
  --junit "$tmp/junit.xml" "$weird" "$tmp/big.yaml" > /dev/null 2>&1
rc=$?
# A run could not be simulated, so bad input (2) outranks the failed budgets (3).
if [ "$rc" -eq 2 ]; then pass; else fail "exit $rc, expected 2"; fi

if python3 - "$tmp/junit.xml" "$weird" <<'PY'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
suites = root.findall("testsuite")
name = "det <v2> & \"fast\" 'é' → 😀"
assert [s.get("name") for s in suites] == [
    name + " on agx32 30W", name + " on nano8 15W",
    "too-big on agx32 30W", "too-big on nano8 15W"], [s.get("name") for s in suites]
# The weird trace: run + 2 trace budgets + 1 command-line budget = 4 cases, the min-150
# budget failing (20 frames 10 ms apart = 100 fps).
for s in suites[:2]:
    cases = s.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "run", "throughput_fps >= 99", "throughput_fps >= 150", "frame_latency.p99 <= 1 ms"], [c.get("name") for c in cases]
    assert s.get("tests") == "4" and s.get("failures") == "1" and s.get("errors") == "0", s.attrib
    f = cases[2].find("failure")
    assert f is not None and f.get("type") == "budget" and "value 100.00" in f.get("message"), f
    assert cases[2].get("classname").startswith(name), cases[2].get("classname")
    assert all(c.find("failure") is None for c in cases[:2] + cases[3:])
    props = {p.get("name"): p.get("value") for p in s.find("properties")}
    assert props["trace"] == sys.argv[2], props
    assert all(c.get("time") == "0" or float(c.get("time")) == 0 for c in cases)
# The oversized trace cannot run: one case, an error naming the file and what is missing.
for s in suites[2:]:
    cases = s.findall("testcase")
    assert len(cases) == 1 and s.get("errors") == "1" and s.get("tests") == "1", s.attrib
    e = cases[0].find("error")
    assert e is not None and "big.yaml: error: the trace does not fit" in e.get("message") and e.get("type") == "bad input", e.attrib
    assert e.text == e.get("message")
assert root.get("tests") == "10" and root.get("failures") == "2" and root.get("errors") == "2", root.attrib
PY
then pass; else fail "JUnit structure"; fi

# Also well-formed to libxml2 (xmllint), when it is installed.
if command -v xmllint > /dev/null; then
  if xmllint --noout "$tmp/junit.xml"; then pass; else fail "xmllint"; fi
fi

# --junit - writes to stdout; the file cannot be written: exit 8.
"$bin" --quiet --reproducible --sku agx32 --frames 2 --junit - "$src/traces/camera-detector.yaml" > "$tmp/stdout.xml"
if python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); assert r.get("tests") == "1"' "$tmp/stdout.xml"; then
  pass; else fail "junit to stdout"; fi
"$bin" --quiet --sku agx32 --frames 2 --junit "$tmp/no/such/dir.xml" "$src/traces/camera-detector.yaml" 2> "$tmp/err"
rc=$?
if [ "$rc" -eq 8 ] && grep -q "cannot write the JUnit report: No such file or directory" "$tmp/err"; then pass; else fail "unwritable junit: exit $rc"; fi

finish
