#!/usr/bin/env bash
# A task whose engine the module lacks runs on the GPU when it says `fallback: gpu`, and
# the reports say so: a note in the text, "ran_on" and "fallback_reason" in the JSON.
# On a module that has the engine, neither appears. An nvpmodel ID two modes share is an
# error naming both. Usage: engine_fallback.sh ORINSIM SOURCE_DIR
set -u
bin=$1
. "$(dirname "$0")/lib.bash"

cat > "$tmp/t.yaml" <<'YAML'
orinsim: 1
tasks:
  - id: det
    engine: dla
    fallback: gpu
    ops:
      - {op: conv, input: [1, 64, 56, 56], filters: 64, kernel: 3, padding: 1, dtype: int8}
  - id: post
    engine: dla1
    fallback: gpu
    after: [det]
    ops:
      - {op: conv, input: [1, 64, 56, 56], filters: 64, kernel: 1, dtype: int8}
YAML

# nano8: no DLA at all (configs/nano8.yaml dla.count 0).
out=$("$bin" --sku nano8 "$tmp/t.yaml")
printf '%s\n' "$out" | grep -qF "note      task 'det' ran on the GPU, not dla: nano8 (Jetson Orin Nano 8GB) has no DLA (fallback: gpu)" \
  && pass || fail "nano8 text lacks the note for det: $out"
printf '%s\n' "$out" | grep -qF "note      task 'post' ran on the GPU, not dla1: nano8 (Jetson Orin Nano 8GB) has no DLA" \
  && pass || fail "nano8 text lacks the note for post"
json=$("$bin" --sku nano8 --json - "$tmp/t.yaml")
printf '%s' "$json" | python3 -c '
import json, sys
t = json.load(sys.stdin)["tasks"]
assert t["det"]["engine"] == "dla" and t["det"]["ran_on"] == "gpu", t["det"]
assert t["det"]["fallback_reason"] == "nano8 (Jetson Orin Nano 8GB) has no DLA"
assert t["post"]["ran_on"] == "gpu"
' && pass || fail "nano8 JSON lacks ran_on / fallback_reason"

# agx64 has two DLAs: no note, no ran_on.
out=$("$bin" --sku agx64 "$tmp/t.yaml")
printf '%s\n' "$out" | grep -q '^note' && fail "agx64: unexpected note" || pass
"$bin" --sku agx64 --json - "$tmp/t.yaml" | grep -q '"ran_on"' && fail "agx64: unexpected ran_on" || pass

# nano8's ID 0 is 15W (JetPack 5) and 15W_SUPER (JetPack 6.2).
expect_stderr ambiguous_id 2 "mode ID 0 of nano8 is ambiguous: 15W \(ID 0 jp5\), 15W_SUPER \(ID 0 jp62\)" \
  -- --sku nano8 --mode 0 "$tmp/t.yaml"
expect_stderr unique_id 0 '' -- --sku nano8 --mode 2 "$tmp/t.yaml"
finish engine_fallback
