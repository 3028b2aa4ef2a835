#!/usr/bin/env bash
# Every bad input gives exactly one message naming file:line:column and what was expected,
# and exits with code 2; good runs exit 0. Usage: errors.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"

t() { printf '%s' "$2" > "$tmp/$1.yaml"; }

ok='orinsim: 1
tasks:
  - id: a
    engine: gpu
    ops:
      - {op: gemm, m: 64, n: 64, k: 64}
'
t good "$ok"
t syntax $'orinsim: 1\ntasks: [\n  - id: a\n'
t unknown_key $'orinsim: 1\nframez: 3\ntasks: []\n'
t unknown_op $'orinsim: 1\ntasks:\n  - id: a\n    engine: gpu\n    ops:\n      - {op: matmul, m: 1}\n'
t unknown_engine $'orinsim: 1\ntasks:\n  - id: a\n    engine: tpu\n    ops:\n      - {op: gemm, m: 1, n: 1, k: 1}\n'
t missing_field $'orinsim: 1\ntasks:\n  - id: a\n    engine: gpu\n    ops:\n      - {op: gemm, m: 1, n: 1}\n'
t missing_unit $'orinsim: 1\nperiod: 33\ntasks:\n  - id: a\n    engine: gpu\n    ops:\n      - {op: gemm, m: 1, n: 1, k: 1}\n'
t wrong_unit $'orinsim: 1\nperiod: 33 parsecs\ntasks:\n  - id: a\n    engine: gpu\n    ops:\n      - {op: gemm, m: 1, n: 1, k: 1}\n'
t zero_size $'orinsim: 1\ntasks:\n  - id: a\n    engine: gpu\n    ops:\n      - {op: gemm, m: 0, n: 1, k: 1}\n'
t negative_size $'orinsim: 1\ntasks:\n  - id: a\n    engine: gpu\n    ops:\n      - {op: memcpy, bytes: -4MiB}\n'
t absurd_size $'orinsim: 1\ntasks:\n  - id: a\n    engine: gpu\n    ops:\n      - {op: memcpy, bytes: 900GiB}\n'
t cycle $'orinsim: 1\ntasks:\n  - id: a\n    engine: gpu\n    after: [b]\n    ops:\n      - {op: gemm, m: 1, n: 1, k: 1}\n  - id: b\n    engine: gpu\n    after: [a]\n    ops:\n      - {op: gemm, m: 1, n: 1, k: 1}\n'
t unknown_after $'orinsim: 1\ntasks:\n  - id: a\n    engine: gpu\n    after: [ghost]\n    ops:\n      - {op: gemm, m: 1, n: 1, k: 1}\n'
t empty ''
t dla $'orinsim: 1\ntasks:\n  - id: a\n    engine: dla0\n    ops:\n      - {op: conv, input: [1, 8, 8, 8], filters: 8, kernel: 1}\n'
t big_kernel $'orinsim: 1\ntasks:\n  - id: a\n    engine: gpu\n    ops:\n      - {op: kernel, grid: 1, block: 256, shared: 300KiB}\n'
t dla_attn $'orinsim: 1\ntasks:\n  - id: a\n    engine: dla0\n    ops:\n      - {op: attention, heads: 8, seq_q: 64, head_dim: 64}\n'
t dla_attn_fb $'orinsim: 1\ntasks:\n  - id: a\n    engine: dla0\n    fallback: gpu\n    ops:\n      - {op: conv, input: [1, 64, 56, 56], filters: 64, kernel: 3, padding: 1, dtype: int8}\n      - {op: attention, heads: 8, seq_q: 64, head_dim: 64}\n'
t dla1 $'orinsim: 1\ntasks:\n  - id: a\n    engine: dla1\n    ops:\n      - {op: conv, input: [1, 8, 8, 8], filters: 8, kernel: 1}\n'
t pva $'orinsim: 1\ntasks:\n  - id: a\n    engine: pva\n    ops:\n      - {op: color_convert, image: [1920, 1080]}\n'
# Llama-2-13B FP16 weights: 40 x (5120 x 15360 + 5120 x 5120 + 5120 x 27648 + 13824 x 5120) + 5120 x 32000
# = 12.8e9 parameters x 2 B = 25.7 GB: more than nano8's 8 GiB, less than agx32's 28.9 GiB usable.
t big $'orinsim: 1\ntasks:\n  - id: a\n    engine: gpu\n    ops:\n      - op: repeat\n        count: 40\n        ops:\n          - {op: gemm, m: 1, n: 15360, k: 5120}\n          - {op: gemm, m: 1, n: 5120, k: 5120}\n          - {op: gemm, m: 1, n: 27648, k: 5120}\n          - {op: gemm, m: 1, n: 5120, k: 13824}\n      - {op: gemm, m: 1, n: 32000, k: 5120}\n'
mkdir "$tmp/dir.yaml"

pos='^[^ ]+:[0-9]+:[0-9]+: error: '
expect_stderr ok 0 '' -- --sku agx32 "$tmp/good.yaml"
expect_stderr example 0 '' -- --sku agx32 "$src/traces/camera-detector.yaml"
expect_stderr help 0 '' -- --help
expect_stderr syntax 2 "$pos.*YAML syntax" -- "$tmp/syntax.yaml"
expect_stderr unknown_key 2 "$pos.*unknown key 'framez'.*expected" -- "$tmp/unknown_key.yaml"
expect_stderr unknown_op 2 "${pos}.*matmul.*expected" -- "$tmp/unknown_op.yaml"
expect_stderr unknown_engine 2 "${pos}.*tpu.*expected" -- "$tmp/unknown_engine.yaml"
expect_stderr unknown_sku 2 "unknown SKU 'nope'.*agx64" -- --sku nope "$tmp/good.yaml"
expect_stderr unknown_mode 2 "unknown mode '99W'.*MAXN" -- --sku agx64 --mode 99W "$tmp/good.yaml"
expect_stderr missing_field 2 "${pos}.*missing required field 'k'" -- "$tmp/missing_field.yaml"
expect_stderr missing_unit 2 "${pos}.*missing unit" -- "$tmp/missing_unit.yaml"
expect_stderr wrong_unit 2 "${pos}.*unit" -- "$tmp/wrong_unit.yaml"
expect_stderr zero_size 2 "${pos}.*out of range" -- "$tmp/zero_size.yaml"
expect_stderr negative_size 2 "${pos}.*negative" -- "$tmp/negative_size.yaml"
expect_stderr absurd_size 2 "${pos}.*out of range" -- "$tmp/absurd_size.yaml"
expect_stderr cycle 2 "${pos}.*cycle.*a -> b -> a|${pos}.*cycle.*b -> a -> b" -- "$tmp/cycle.yaml"
expect_stderr unknown_after 2 "${pos}.*ghost" -- "$tmp/unknown_after.yaml"
expect_stderr empty 2 "empty" -- "$tmp/empty.yaml"
expect_stderr not_a_file 2 "not a regular file" -- "$tmp/dir.yaml"
expect_stderr missing_file 2 "cannot open" -- "$tmp/nope.yaml"
expect_stderr dla_on_nano 2 "${pos}.*nano8.*has no DLA" -- --sku nano8 "$tmp/dla.yaml"
expect_stderr dla_runs 0 '' -- --sku agx64 "$tmp/dla.yaml"
expect_stderr dla_unsupported 2 "${pos}.*attention op of task 'a' cannot run on dla0.*fallback: gpu" -- --sku agx64 "$tmp/dla_attn.yaml"
expect_stderr dla_fallback 0 '' -- --sku agx64 "$tmp/dla_attn_fb.yaml"
expect_stderr dla_fallback_nano 0 '' -- --sku nano8 "$tmp/dla_attn_fb.yaml"
expect_stderr dla1_on_nx8 2 "${pos}.*dla1.*nx8.*only one DLA" -- --sku nx8 "$tmp/dla1.yaml"
expect_stderr pva_on_nano 2 "${pos}.*nano4.*has no PVA" -- --sku nano4 "$tmp/pva.yaml"
expect_stderr too_big 2 "does not fit in nano8's DRAM.*short" -- --sku nano8 "$tmp/big.yaml"
expect_stderr fits_agx32 0 '' -- --sku agx32 "$tmp/big.yaml"
expect_stderr kernel_too_big 2 "${pos}.*shared memory" -- "$tmp/big_kernel.yaml"
expect_stderr bad_option 2 "unknown option" -- --frobnicate "$tmp/good.yaml"
expect_stderr bad_frames 2 "frames" -- --frames 0 "$tmp/good.yaml"
expect_stderr no_trace 2 "no trace" -- --sku agx64

# "-" reads the trace from standard input, named <stdin> in reports and messages.
out=$("$bin" zoo resnet50 --batch 1 --frames 2 | "$bin" --sku agx64 - 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q '(<stdin>)'; then pass; else
  fail "stdin trace: exit $rc: $out"; fi
out=$("$bin" - < "$tmp/zero_size.yaml" 2>&1 >/dev/null)
rc=$?
if [ "$rc" -eq 2 ] && printf '%s' "$out" | grep -Eq '^<stdin>:[0-9]+:[0-9]+: error: .*out of range'; then
  pass; else fail "stdin error: exit $rc: $out"; fi
out=$("$bin" - < /dev/null 2>&1 >/dev/null)
rc=$?
if [ "$rc" -eq 2 ] && printf '%s' "$out" | grep -q '^<stdin>: error: .*empty'; then pass; else
  fail "empty stdin: exit $rc: $out"; fi

finish
