#!/usr/bin/env bash
# `orinsim sweep --json / --junit / --budget`: every (module, mode) pair's JSON report with
# the sweep's verdict, a JUnit suite per pair whose class names hold no dots, budgets
# checked on every pair (exit 3 when one fails). Usage: sweep_reports.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"
trace=$src/traces/camera-detector.yaml
sed 's/^name: camera-detector/name: cam.v2/' "$trace" > "$tmp/cam.yaml"

# A p99 budget halfway between the two modes' p99 (the sweep's own CSV: 25W runs the GPU at
# 918 MHz instead of 625, so its p99 is the lower) fails in 15W and passes in 25W.
lim=$("$bin" sweep --sku nano8 --mode 15W,25W --frames 30 --csv "$tmp/cam.yaml" |
      awk -F, 'NR == 2 {a = $6} NR == 3 {b = $6} END {if (b < a) printf "%.4f", (a + b) / 2}')
[ -n "$lim" ] && pass || fail "25W's p99 is not below 15W's"
"$bin" sweep --sku nano8 --mode 15W,25W --frames 30 --budget "frame_latency.p99<=${lim:-1}ms" \
  --json "$tmp/s.json" --junit "$tmp/s.xml" "$tmp/cam.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 3 ] && pass || fail "a failed budget: exit $rc, expected 3; $(cat "$tmp/err")"
grep -q 'least energy per frame' "$tmp/out" && pass || fail "the table is missing"
grep -q 'nano8 15W: .*FAIL.*frame_latency.p99 <= ' "$tmp/err" && pass || fail "stderr: $(cat "$tmp/err")"
python3 - "$tmp/s.json" "$tmp/s.xml" <<'PY' && pass || fail "sweep JSON / JUnit"
import json, sys
import xml.etree.ElementTree as ET
runs = json.load(open(sys.argv[1]))
assert [(r["sku"], r["mode"]) for r in runs] == [("nano8", "15W"), ("nano8", "25W")], runs
for r in runs:
    assert "power" in r and "VDD_IN" in r["power"]["rails"], r.keys()
    assert r["sweep"]["deadline_ms"] == 33.333 and r["sweep"]["meets"] is True, r["sweep"]
assert [r["budgets"][0]["status"] for r in runs] == ["fail", "pass"]
assert [r["sweep"]["best"] for r in runs].count(True) == 1
suites = ET.parse(sys.argv[2]).getroot().findall("testsuite")
assert [s.get("name") for s in suites] == ["cam.v2 on nano8 15W", "cam.v2 on nano8 25W"]
assert [s.get("failures") for s in suites] == ["1", "0"]
for s in suites:
    for c in s.findall("testcase"):
        assert "." not in c.get("classname"), c.get("classname")
        assert c.get("classname") == s.get("name").replace(".", "_")
PY

# --json - puts the reports alone on stdout.
"$bin" sweep --sku nano8 --mode 15W --frames 10 --json - "$trace" >"$tmp/o.json" 2>/dev/null
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/o.json" && pass || fail "--json - is not JSON alone"
# Without the options, no JSON and the usual exit.
"$bin" sweep --sku nano8 --mode 15W --frames 10 "$trace" >/dev/null 2>&1 && pass || fail "plain sweep"

expect_stderr bad_budget 2 "unknown metric|frame_latency" -- sweep --budget 'nope<=3' "$trace"
expect_stderr budget_missing 2 "--budget needs a value" -- sweep "$trace" --budget
expect_stderr json_csv 2 "cannot both write to stdout" -- sweep --csv --json - "$trace"
finish sweep_reports
