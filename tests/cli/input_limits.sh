#!/usr/bin/env bash
# The limits on input files (docs/limits.md, "Input files"): nesting depth in YAML and
# JSON, YAML tags, and the checks that refuse files which would otherwise pass wrong.
# Every case exits 2 with one message naming file:line:column; each run is under
# `timeout`, so a parse that went quadratic again fails here instead of hanging.
# Usage: input_limits.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"

# lim NAME RC REGEX -- ARGS...: expect_stderr under a 20 s timeout (124 would be a hang).
lim() {
  local name=$1 want=$2 re=$3
  shift 4
  bin_real=$bin
  bin="timeout"
  expect_stderr "$name" "$want" "$re" -- 20 "$bin_real" "$@"
  bin=$bin_real
}

# ---- YAML nesting: 64 levels, the document's own mapping counted ----
# 80,000 '[' (160 KB took 33 s before the limit): the first list past 64 levels is the
# 64th '[' (the top mapping is level 1), at column 7 ("tasks: ") + 64 = 71.
python3 -c "print('orinsim: 1\ntasks: ' + '[' * 80000)" > "$tmp/brackets.yaml"
lim brackets 2 "^$tmp/brackets.yaml:2:71: error: lists and mappings nested more than 64 deep" \
  -- "$tmp/brackets.yaml"
# '{a: ' nesting: the 64th '{' starts at column 8 + 63 x 4 = 260.
python3 -c "print('orinsim: 1\ntasks: ' + '{a: ' * 40000)" > "$tmp/braces.yaml"
lim braces 2 "^$tmp/braces.yaml:2:260: error: lists and mappings nested more than 64 deep" \
  -- "$tmp/braces.yaml"
# Block lists, one level per line: line 66 holds the 65th level (line 2 the first list).
python3 -c "print('orinsim: 1\ntasks:\n' + ''.join(' ' * i + '-\n' for i in range(4000)))" \
  > "$tmp/block.yaml"
lim block 2 "^$tmp/block.yaml:66:64: error: lists and mappings nested more than 64 deep" \
  -- "$tmp/block.yaml"
# 64 levels exactly are read; the trace is then refused for what it says, not its depth.
python3 -c "print('orinsim: 1\nx: ' + '[' * 63 + ']' * 63)" > "$tmp/at_limit.yaml"
lim at_limit 2 "^$tmp/at_limit.yaml:2:1: error: unknown key 'x'" -- "$tmp/at_limit.yaml"
# A SKU file (40,000 levels took 8.3 s).
python3 -c "print('inherits: agx32\ngpu: ' + '[' * 40000)" > "$tmp/sku.yaml"
lim sku_nesting 2 "^$tmp/sku.yaml:2:69: error: lists and mappings nested more than 64 deep" \
  -- --sku "$tmp/sku.yaml" "$src/traces/camera-detector.yaml"
# On standard input too.
lim stdin_nesting 2 '^<stdin>:2:71: error: lists and mappings nested' -- - < "$tmp/brackets.yaml"

# ---- YAML tags: refused where they stand ----
printf 'orinsim: 1\nframes: !!int "3"\ntasks: []\n' > "$tmp/tag.yaml"
lim tag_core 2 "^$tmp/tag.yaml:2:9: error: YAML tag 'tag:yaml.org,2002:int'" -- "$tmp/tag.yaml"
printf 'orinsim: 1\ntasks: !custom []\n' > "$tmp/tag2.yaml"
lim tag_local 2 "^$tmp/tag2.yaml:2:8: error: YAML tag '!custom'" -- "$tmp/tag2.yaml"

# ---- JSON nesting: 32 levels (json-c counts them as it reads) ----
# The 33rd '[' is byte 33 of the line.
python3 -c "print('[' * 80000)" > "$tmp/deep.json"
"$bin" --sku agx32 --frames 2 --quiet --json "$tmp/ok.json" "$src/traces/camera-detector.yaml"
lim json_diff_new 2 "^$tmp/deep.json:1:33: error: arrays and objects nested more than 32 deep" \
  -- diff "$tmp/ok.json" "$tmp/deep.json"
lim json_diff_base 2 "^$tmp/deep.json:1:33: error: arrays and objects nested more than 32 deep" \
  -- diff "$tmp/deep.json" "$tmp/ok.json"
lim json_profile 2 "^$tmp/deep.json:1:33: error: arrays and objects nested more than 32 deep" \
  -- profile "$tmp/deep.json" "$src/traces/camera-detector.yaml"

# ---- orinsim diff: a broken report is bad input, never "nothing regressed" ----
# broken NAME REGEX PYTHON: the base report with PYTHON applied to it (r) as the new one.
broken() {
  local name=$1 re=$2
  python3 - "$tmp/ok.json" "$tmp/$name.json" "$3" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
exec(sys.argv[3])
open(sys.argv[2], 'w').write(json.dumps(r).replace('"__NAN__"', 'NaN'))
PY
  lim "diff_$name" 2 "^$tmp/$name.json: error: broken report: $re" -- diff "$tmp/ok.json" "$tmp/$name.json"
}
broken fps_string "'throughput_fps' is not a finite number or null" "r['throughput_fps'] = 'fast'"
broken fps_nan "'throughput_fps' is not a finite number or null" "r['throughput_fps'] = '__NAN__'"
broken fps_missing "no 'throughput_fps'" "del r['throughput_fps']"
broken tasks_list "'tasks' is an array \\(expected an object\\)" "r['tasks'] = []"
broken tasks_empty "'tasks' is empty" "r['tasks'] = {}"
broken task_p99 "'tasks.nms.latency_ms.p99' is not a finite number" "r['tasks']['nms']['latency_ms']['p99'] = 'x'"
broken p99_missing "no 'frame_latency_ms.p99'" "del r['frame_latency_ms']['p99']"
broken busy_bool "'engines.gpu.busy_pct' is not a finite number" "r['engines']['gpu']['busy_pct'] = True"
broken sku_number "'sku' is a number \\(expected a string\\)" "r['sku'] = 7"
# The base is checked the same way.
lim diff_broken_base 2 "^$tmp/tasks_empty.json: error: broken report: 'tasks' is empty" -- \
  diff "$tmp/tasks_empty.json" "$tmp/ok.json"
# A batch names the run.
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); b=json.loads(json.dumps(r)); b['tasks']={}; json.dump([r,b], open(sys.argv[2],'w'))" \
  "$tmp/ok.json" "$tmp/batch.json"
lim diff_batch 2 "^$tmp/batch.json: error: run 2 of 2: broken report: 'tasks' is empty" -- \
  diff "$tmp/batch.json" "$tmp/batch.json"
# null where the base had a number: the new run had no value, a regression (exit 3).
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); r['throughput_fps']=None; json.dump(r, open(sys.argv[2],'w'))" \
  "$tmp/ok.json" "$tmp/null.json"
out=$(timeout 20 "$bin" diff "$tmp/ok.json" "$tmp/null.json")
rc=$?
if [ "$rc" -eq 3 ] && printf '%s\n' "$out" | grep -Eq '^throughput_fps .* no value  regression$'; then pass
else fail "diff_null: exit $rc: $out"; fi
# A value dropped from the new report where its section is there: a regression too.
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); del r['engines']['gpu']['tflops']; json.dump(r, open(sys.argv[2],'w'))" \
  "$tmp/ok.json" "$tmp/dropped.json"
out=$(timeout 20 "$bin" diff "$tmp/ok.json" "$tmp/dropped.json")
rc=$?
if [ "$rc" -eq 3 ] && printf '%s\n' "$out" | grep -Eq '^engines.gpu.tflops .* missing  regression$'; then pass
else fail "diff_dropped: exit $rc: $out"; fi
# Standard input: "-" for either report, not both.
out=$(timeout 20 "$bin" diff "$tmp/ok.json" - < "$tmp/ok.json")
rc=$?
if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q '^new   .*(<stdin>)$'; then pass
else fail "diff_stdin: exit $rc: $out"; fi
lim diff_stdin_broken 2 "^<stdin>: error: broken report: 'tasks' is empty" -- \
  diff "$tmp/ok.json" - < "$tmp/tasks_empty.json"
lim diff_stdin_twice 2 "only one of the two reports can be read from standard input" -- \
  diff - - < "$tmp/ok.json"

# ---- SKU files ----
# agx32 has 32 GiB; 40 GiB reserved leaves nothing: refused where reserved is written.
printf 'inherits: agx32\nsku: x\ntitle: x\ndram: {reserved: 40 GiB}\n' > "$tmp/reserved.yaml"
lim sku_reserved 2 "^$tmp/reserved.yaml:4:18: error: dram.reserved = 40.00 GiB leaves nothing of dram.capacity = 32.00 GiB" \
  -- sku "$tmp/reserved.yaml"
# A capacity below the parent's reserve (3.10 GiB on agx32) is blamed on the capacity.
printf 'inherits: agx32\nsku: x\ntitle: x\ndram: {capacity: 1 GiB}\n' > "$tmp/capacity.yaml"
lim sku_capacity 2 "^$tmp/capacity.yaml:4:18: error: dram.reserved = .* leaves nothing of dram.capacity = 1.00 GiB" \
  -- sku "$tmp/capacity.yaml"
# inherits: a file that is not .yaml is not read, so no message can show its content.
printf 'root:secret-hash:19000:0:99999:7:::\n' > "$tmp/shadow"
printf 'inherits: %s\nsku: x\ntitle: x\n' "$tmp/shadow" > "$tmp/inh.yaml"
lim sku_inherits_other 2 "^$tmp/inh.yaml:1:11: error: inherits: '$tmp/shadow' is not a .yaml file" \
  -- sku "$tmp/inh.yaml"
if "$bin" sku "$tmp/inh.yaml" 2>&1 | grep -q secret; then fail "inherits echoed the file"; else pass; fi

# ---- TensorRT profiles ----
"$bin" zoo yolo11n --dtype fp16 --io-dtype fp32 > "$tmp/y.yaml"
# A layer name that is not UTF-8 (bytes ff fe): the JSON output stays valid, the bytes
# replaced by U+FFFD.
printf '[ { "count" : 10 }\n, { "name" : "odd \377\376 layer", "averageMs" : 0.2 } ]\n' > "$tmp/utf.json"
if timeout 20 "$bin" profile --sku nano8 --json - "$tmp/utf.json" "$tmp/y.yaml" |
   python3 -c 'import json, sys; d = json.loads(sys.stdin.buffer.read().decode("utf-8")); assert d["unmatched_layers"][0]["name"] == "odd \ufffd\ufffd layer"'
then pass; else fail "profile_utf8: invalid JSON or name not replaced"; fi
# A --dumpProfile table without its Total row (a log cut short) is refused where it ends.
{
  echo '=== Profile (10 iterations ) ==='
  echo '   Time(ms)     Avg.(ms)   Median(ms)   Time(%)   Layer'
  echo '       2.00       0.2000       0.2000     100.0   /model.0/conv/Conv'
} > "$tmp/nototal.log"
lim profile_no_total 2 "^$tmp/nototal.log:4:1: error: the profile table ends without its \"Total\" row" \
  -- profile --sku nano8 "$tmp/nototal.log" "$tmp/y.yaml"

# ---- measurement files (compare) ----
sed 's/^  l2_size: .*/  l2_size: 0 B/' "$src/tests/data/measured/nvidia-h200-gemm.yaml" > "$tmp/l2.yaml"
lim compare_l2_zero 2 "^$tmp/l2.yaml:[0-9]+:12: error: l2_size = 0 B is out of range \\(expected 1 B" \
  -- compare "$tmp/l2.yaml"

finish input_limits
