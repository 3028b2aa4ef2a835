#!/usr/bin/env bash
# orinsim profile: a TensorRT layer profile of the zoo's YOLO11n beside the model's
# kernels (the layers are named the way trtexec names an Ultralytics engine's), its
# totals, and every bad input: one message with file:line:column, exit 2.
# Usage: profile.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"

"$bin" zoo yolo11n --dtype fp16 --io-dtype fp32 > "$tmp/y.yaml" || fail "zoo"
# Layers of YOLO11n as trtexec --exportProfile writes them: the input reformat (the
# engine's own), the stem conv with its SiLU, a bottleneck conv whose residual add runs
# as its own point-wise layer, and two convs of one input that TensorRT runs as one
# kernel ("||"). 0.1 + 0.2 + 0.05 + 0.03 + 0.04 = 0.42 ms.
cat > "$tmp/p.json" <<'JSON'
[
  { "count" : 10 }
, { "name" : "Reformatting CopyNode for Input Tensor 0 to /model.0/conv/Conv + PWN(PWN(/model.0/act/Sigmoid), /model.0/act/Mul)", "timeMs" : 1, "averageMs" : 0.1, "medianMs" : 0.1, "percentage" : 26.3 }
, { "name" : "/model.0/conv/Conv + PWN(PWN(/model.0/act/Sigmoid), /model.0/act/Mul)", "timeMs" : 2, "averageMs" : 0.2, "medianMs" : 0.2, "percentage" : 52.6 }
, { "name" : "/model.2/m/m.0/cv2/conv/Conv", "timeMs" : 0.5, "averageMs" : 0.05, "medianMs" : 0.05, "percentage" : 13.2 }
, { "name" : "PWN(PWN(PWN(/model.2/m/m.0/cv2/act/Sigmoid), /model.2/m/m.0/cv2/act/Mul), /model.2/m/m.0/Add)", "timeMs" : 0.3, "averageMs" : 0.03, "medianMs" : 0.03, "percentage" : 7.9 }
, { "name" : "/model.8/m.0/cv1/conv/Conv || /model.8/m.0/cv2/conv/Conv", "timeMs" : 0.4, "averageMs" : 0.04, "medianMs" : 0.04, "percentage" : 9.5 }
]
JSON
out=$("$bin" profile --sku nano8 --mode MAXN_SUPER "$tmp/p.json" "$tmp/y.yaml" 2>&1)
rc=$?
[ "$rc" -eq 0 ] || fail "good profile: exit $rc: $out"
# Two groups: model.0 (one layer) and model.2.m.0.cv2 (its conv and its point-wise
# layer, 0.05 + 0.03 = 0.08 ms, beside the one kernel that runs conv, SiLU and add).
printf '%s\n' "$out" | grep -Eq '^  model\.0 +1 +1 +0\.2000 ' && pass || fail "model.0 row: $out"
printf '%s\n' "$out" | grep -Eq '^  model\.2\.m\.0\.cv2 +2 +1 +0\.0800 ' && pass ||
  fail "model.2.m.0.cv2 row: $out"
printf '%s\n' "$out" | grep -Eq '^  layers matching no op +1 +- +0\.1000 ' && pass ||
  fail "reformat row: $out"
# The "||" layer joins the two convs' kernels into one group.
printf '%s\n' "$out" | grep -Eq '^  model\.8\.m\.0\.cv1 +1 +2 +0\.0400 ' && pass ||
  fail "model.8.m.0 row: $out"
printf '%s\n' "$out" | grep -Eq '^  all +5 .* 0\.4200 ' && pass || fail "total row: $out"
printf '%s\n' "$out" | grep -q 'in 3 groups' && pass || fail "group count: $out"
# The same run twice gives the same bytes; --json - prints only JSON.
"$bin" profile --sku nano8 --mode MAXN_SUPER --json - "$tmp/p.json" "$tmp/y.yaml" > "$tmp/a.json"
"$bin" profile --sku nano8 --mode MAXN_SUPER --json - "$tmp/p.json" "$tmp/y.yaml" > "$tmp/b.json"
cmp -s "$tmp/a.json" "$tmp/b.json" && pass || fail "not deterministic"
head -c1 "$tmp/a.json" | grep -q '{' && pass || fail "--json - is not JSON only"
grep -q '"group_mape_pct"' "$tmp/a.json" && pass || fail "no totals in the JSON"

# The same layers as the table trtexec --dumpProfile prints in its log give the same
# groups.
{
  echo '[11/20/2024-16:10:56] [I] === Profile (10 iterations ) ==='
  echo '[11/20/2024-16:10:56] [I]    Time(ms)     Avg.(ms)   Median(ms)   Time(%)   Layer'
  sed -n 's/^, { "name" : "\(.*\)", "timeMs" : \([0-9.]*\), "averageMs" : \([0-9.]*\), .*/\2 \3 \3 0.0 \1/p' "$tmp/p.json" |
    while read -r t a m pc name; do
      printf '[11/20/2024-16:10:56] [I] %11s %12s %12s %9s   %s\n' "$t" "$a" "$m" "$pc" "$name"
    done
  echo '[11/20/2024-16:10:56] [I]        4.20       0.4200       0.4200     100.0   Total'
} > "$tmp/table.log"
"$bin" profile --sku nano8 --mode MAXN_SUPER "$tmp/table.log" "$tmp/y.yaml" > "$tmp/table.out" 2>&1
tail -n +2 "$tmp/table.out" > "$tmp/table.rows"
printf '%s\n' "$out" | tail -n +2 > "$tmp/json.rows"
cmp -s "$tmp/table.rows" "$tmp/json.rows" && pass || {
  fail "table and JSON differ"; diff "$tmp/json.rows" "$tmp/table.rows"; }

# Bad input.
printf '[\n  {"count": 1}\n, {"name": "x"}\n]\n' > "$tmp/notime.json"
printf '[{"name": "x", "averageMs": 1},' > "$tmp/cut.json"
printf '{"name": "x"}' > "$tmp/obj.json"
printf 'orinsim: 1\ntasks:\n  - id: c\n    engine: cpu\n    ops:\n      - {op: cpu, duration: 1 ms}\n' > "$tmp/cpu.yaml"
expect_stderr no_time 2 'notime\.json:3:3: error: layer 1 of the profile: no "averageMs"' -- \
  profile "$tmp/notime.json" "$tmp/y.yaml"
expect_stderr cut 2 'cut\.json:1:[0-9]+: error: not JSON' -- profile "$tmp/cut.json" "$tmp/y.yaml"
expect_stderr object 2 'obj\.json:1:1: error: .*expected a JSON array' -- \
  profile "$tmp/obj.json" "$tmp/y.yaml"
expect_stderr missing 2 'nothere\.json: error: cannot open the profile' -- \
  profile "$tmp/nothere.json" "$tmp/y.yaml"
expect_stderr no_gpu 2 'cpu\.yaml: error: the trace runs no GPU kernel' -- \
  profile "$tmp/p.json" "$tmp/cpu.yaml"
expect_stderr bad_trace 2 'p\.json:1:1: error' -- profile "$tmp/p.json" "$tmp/p.json"
expect_stderr one_file 2 'needs a TensorRT profile and a trace' -- profile "$tmp/p.json"
expect_stderr bad_sku 2 'tpu9' -- profile --sku tpu9 "$tmp/p.json" "$tmp/y.yaml"
expect_stderr bad_opt 2 "unknown option '--frames'" -- profile --frames 3 "$tmp/p.json" "$tmp/y.yaml"
"$bin" profile --help | grep -q 'exportProfile' && pass || fail "help"
finish profile
