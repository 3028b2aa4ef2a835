#!/usr/bin/env bash
# orinsim import: small ONNX models built here with Debian's python3-onnx
# (tests/import/make_models.py; nothing is downloaded) imported to the layers TensorRT
# would build, `orinsim run model.onnx`, and every bad input: one message naming the
# file, the node and its op, exit 2. Exits 77 (skipped) without python3-onnx or without
# the ONNX reader in this build.
# Usage: import.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"

if ! /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
  echo "import: skipped: /usr/bin/python3 has no onnx module (Debian: apt-get install python3-onnx)"
  exit 77
fi
/usr/bin/python3 "$src/tests/import/make_models.py" "$tmp" || { echo "make_models.py failed"; exit 1; }
"$bin" import "$tmp/convnet.onnx" >/dev/null 2>&1
if [ $? -eq 5 ]; then
  echo "import: skipped: this orinsim was built without the ONNX reader"
  exit 77
fi

# ops FILE: the op lines of a trace, "kind name" each.
ops() { sed -n 's/^ *- {op: \([a-z_]*\), name: \([^,]*\),.*/\1 \2/p' "$1"; }
# has FILE REGEX WHAT: the trace holds a line matching REGEX.
has() { if grep -Eq -- "$2" "$1"; then pass; else fail "$3: no line matching /$2/ in $1"; fi; }

# ---- a conv net: BN folded, ReLU and SiLU fused, residual add, global pool, fc
"$bin" import "$tmp/convnet.onnx" >"$tmp/convnet.yaml" 2>"$tmp/convnet.err" || fail "convnet: exit $?"
want="conv /stem/conv/Conv
pool /pool/MaxPool
conv /block/conv/Conv
eltwise /block/Add
pool /head/pool/GlobalAveragePool
fc /head/fc/Gemm"
[ "$(ops "$tmp/convnet.yaml")" = "$want" ] && pass || fail "convnet ops: $(ops "$tmp/convnet.yaml")"
has "$tmp/convnet.yaml" 'name: /stem/conv/Conv, input: \[1, 3, 64, 64\], filters: 16, kernel: 3, stride: 2, padding: 1, activation: relu' "stem conv with its BN and ReLU"
has "$tmp/convnet.yaml" 'name: /block/conv/Conv, input: \[1, 16, 16, 16\].*activation: silu' "x * sigmoid(x) fused as SiLU"
# MACs: stem 16 x 32x32 x 3 x 3x3 = 442,368; block 16 x 16x16 x 16 x 3x3 = 589,824; fc 16 x
# 10 = 160; total 1,032,352 = 1.032 M.
has "$tmp/convnet.yaml" '^# Batch 1: 1\.032 MMAC per sample' "convnet MACs"
has "$tmp/convnet.err" '1 batch-norms folded, 2 activations fused' "convnet summary"
# The dynamic batch takes --batch; a DLA runs the SiLU as its own op, falling back.
"$bin" import "$tmp/convnet.onnx" --batch 4 --engine dla --dtype int8 >"$tmp/dla.yaml" 2>/dev/null || fail "convnet dla: exit $?"
has "$tmp/dla.yaml" 'input: \[4, 3, 64, 64\]' "--batch 4"
has "$tmp/dla.yaml" '^    fallback: gpu' "DLA fallback"
has "$tmp/dla.yaml" 'op: activation, name: /block/conv/Conv.act, .*function: silu, dtype: int8' "SiLU apart on a DLA"
# It runs: straight from the model, and from the trace.
out=$("$bin" run "$tmp/convnet.onnx" 2>&1) && pass || fail "run convnet.onnx: $out"
printf '%s' "$out" | grep -q 'convnet-fp16-gpu-b1' && pass || fail "run convnet.onnx: no trace name: $out"
"$bin" "$tmp/dla.yaml" >/dev/null 2>&1 && pass || fail "run the DLA trace"

# The exporter's node names are kept, so `orinsim profile` matches a TensorRT profile of
# an engine built from the same ONNX: its three layers join the stem conv, the block conv
# and the fc (0.05 + 0.04 + 0.01 = 0.10 ms matched in 3 groups).
cat > "$tmp/prof.json" <<'JSON'
[ { "count" : 10 }
, { "name" : "/stem/conv/Conv + /stem/act/Relu", "timeMs" : 0.5, "averageMs" : 0.05, "medianMs" : 0.05, "percentage" : 50 }
, { "name" : "/block/conv/Conv + PWN(PWN(/block/act/Sigmoid), /block/act/Mul)", "timeMs" : 0.4, "averageMs" : 0.04, "medianMs" : 0.04, "percentage" : 40 }
, { "name" : "/head/fc/Gemm", "timeMs" : 0.1, "averageMs" : 0.01, "medianMs" : 0.01, "percentage" : 10 }
]
JSON
out=$("$bin" profile --sku nano8 "$tmp/prof.json" "$tmp/convnet.yaml" 2>&1) || fail "profile: exit $?: $out"
printf '%s' "$out" | grep -Eq '^matched +0\.1000 of 0\.1000 measured ms \(100\.0 %\) in 3 groups' && pass || fail "profile: $out"

# ---- weights in an external file that is not there: shapes alone are read
"$bin" import "$tmp/extdata.onnx" >"$tmp/ext.yaml" 2>/dev/null || fail "extdata: exit $?"
[ "$(ops "$tmp/ext.yaml")" = "$want" ] && pass || fail "extdata ops: $(ops "$tmp/ext.yaml")"

# ---- a YOLOv8 C2f block: split is a view, concat of three, upsample by 2
"$bin" import "$tmp/c2f.onnx" >"$tmp/c2f.yaml" 2>/dev/null || fail "c2f: exit $?"
has "$tmp/c2f.yaml" 'op: concat, name: /model.2/Concat, input: \[1, 48, 80, 80\], inputs: 3' "C2f concat"
has "$tmp/c2f.yaml" 'op: eltwise, name: /model.2/m.0/Add, input: \[1, 16, 80, 80\]' "bottleneck add"
has "$tmp/c2f.yaml" 'op: resize, name: /model.3/Resize, input: \[1, 32, 80, 80\], scale: 2' "upsample"
[ "$(grep -c 'activation: silu' "$tmp/c2f.yaml")" -eq 4 ] && pass || fail "c2f: 4 convs with SiLU"

# ---- a transformer block: biases into the gemms, QK^T..softmax..V as one attention
"$bin" import "$tmp/transformer.onnx" >"$tmp/tf.yaml" 2>/dev/null || fail "transformer: exit $?"
has "$tmp/tf.yaml" 'op: attention, name: /blocks.0/attn/MatMul, heads: 12, seq_q: 197, head_dim: 64' "attention"
has "$tmp/tf.yaml" 'op: gemm, name: /blocks.0/mlp/fc1/MatMul, m: 197, n: 3072, k: 768' "fc1"
[ "$(grep -c 'op: gemm' "$tmp/tf.yaml")" -eq 6 ] && pass || fail "transformer: 6 gemms"
grep -q 'Softmax\|proj/Add' "$tmp/tf.yaml" && fail "softmax or a bias left as its own op" || pass
# GELU as x * 0.5 * (1 + erf(x / sqrt 2)): one point-wise op of 5 flops reading fc1's
# output once (197 x 3072 = 605,184 elements).
has "$tmp/tf.yaml" 'op: elementwise, name: /blocks.0/mlp/act/Div, elements: 605184, flops_per_element: 5' "GELU chain"
"$bin" run "$tmp/transformer.onnx" >/dev/null 2>&1 && pass || fail "run transformer.onnx"

# ---- Q/DQ: the quantized convs are int8, the float tail fp16; no Q/DQ op is left
"$bin" import "$tmp/qdq.onnx" >"$tmp/qdq.yaml" 2>/dev/null || fail "qdq: exit $?"
[ "$(grep -c 'op: conv.*activation: relu, dtype: int8' "$tmp/qdq.yaml")" -eq 2 ] && pass || fail "qdq: 2 int8 convs"
has "$tmp/qdq.yaml" 'op: activation, name: /out/Sigmoid.*dtype: fp16' "float tail"
grep -q 'Quantize' "$tmp/qdq.yaml" && fail "qdq: a Q/DQ op is in the trace" || pass

# ---- an op with no cost model: a warning with its count; --strict refuses it
"$bin" import "$tmp/unknown.onnx" >"$tmp/u.yaml" 2>"$tmp/u.err" || fail "unknown: exit $?"
grep -q 'warning: .*NonZero x1' "$tmp/u.err" && pass || fail "unknown: no warning: $(cat "$tmp/u.err")"
has "$tmp/u.yaml" 'op: elementwise, name: /nz/NonZero, elements: 2048' "NonZero as element-wise (8x16x16)"
expect_stderr "strict" 2 "unknown.onnx: error: node '/nz/NonZero' \(NonZero\): no cost model" -- import --strict "$tmp/unknown.onnx"

# ---- dynamic dimensions need --shape
expect_stderr "dynamic" 2 "dynamic.onnx: error: input 'x' .*dynamic dimension 2 \('height'\); expected its size with --shape" -- import "$tmp/dynamic.onnx"
"$bin" import "$tmp/dynamic.onnx" --shape x:1x3x96x128 >"$tmp/dyn.yaml" 2>/dev/null || fail "--shape: exit $?"
has "$tmp/dyn.yaml" 'input: \[1, 3, 96, 128\]' "--shape"
expect_stderr "shape name" 2 "no input of that name" -- import "$tmp/dynamic.onnx" --shape y:1x3x4x4
expect_stderr "shape syntax" 2 "--shape: expected NAME:DxDx" -- import "$tmp/dynamic.onnx" --shape x:1x3x
expect_stderr "shape rank" 2 "--shape x: 3 sizes for an input of rank 4" -- import "$tmp/dynamic.onnx" --shape x:1x3x4

# ---- bad input: exit 2, the file, the node and op, what was expected
head -c 300 "$tmp/convnet.onnx" >"$tmp/trunc.onnx"
expect_stderr "truncated" 2 "trunc.onnx: error: not an ONNX model: the protobuf data is truncated or corrupt" -- import "$tmp/trunc.onnx"
printf 'not a model at all\n' >"$tmp/text.onnx"
expect_stderr "corrupt" 2 "text.onnx: error: not an ONNX model" -- import "$tmp/text.onnx"
expect_stderr "cycle" 2 "cycle.onnx: error: node 'loop_add' \(Add\) is on a cycle" -- import "$tmp/cycle.onnx"
expect_stderr "dtype" 2 "baddtype.onnx: error: initializer 'w': unknown data type 99" -- import "$tmp/baddtype.onnx"
expect_stderr "shape" 2 "noshape.onnx: error: node '/view/Reshape' \(Reshape\): its shape \('s'\) is not a constant" -- import "$tmp/noshape.onnx"
expect_stderr "missing file" 2 "nothere.onnx" -- import "$tmp/nothere.onnx"
expect_stderr "run bad" 2 "cycle.onnx: error" -- run "$tmp/cycle.onnx"
expect_stderr "no model" 2 "needs a model file" -- import
expect_stderr "zoo-only option" 2 "--seq is an option of the zoo" -- import "$tmp/convnet.onnx" --seq 128
expect_stderr "imgsz" 2 "--imgsz is for the zoo's networks; .*--shape" -- import "$tmp/convnet.onnx" --imgsz 320
expect_stderr "dla dtype" 2 "a DLA computes in int8 or fp16, not fp32" -- import "$tmp/convnet.onnx" --engine dla --dtype fp32

finish import
