#!/usr/bin/env bash
# orinsim import of a TensorRT engine's layer information (`trtexec --exportLayerInfo
# --profilingVerbosity=detailed`): a file written by hand in that format
# (tests/import/layers.json) imports to the expected layers, and every bad file ends in
# one message with file:line:column, exit 2. Needs no ONNX reader.
# Usage: import_layers.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"

# has FILE REGEX WHAT: the trace holds a line matching REGEX.
has() { if grep -Eq -- "$2" "$1"; then pass; else fail "$3: no line matching /$2/ in $1"; fi; }

# ---- TensorRT layer information (trtexec --exportLayerInfo, written by hand in its format)
lj="$src/tests/import/layers.json"
"$bin" import "$lj" >"$tmp/l.yaml" 2>/dev/null || fail "layers.json: exit $?"
# 8 layers, the NoOp left out: 7 ops, each with the engine's name and precision.
[ "$(grep -c '^      - {op:' "$tmp/l.yaml")" -eq 7 ] && pass || fail "layers.json: 7 ops"
has "$tmp/l.yaml" 'op: elementwise, name: "Reformatting CopyNode for Input Tensor 0 to /model.0/conv/Conv ", elements: 1228800, flops_per_element: 0' "reformat copy (3x640x640)"
has "$tmp/l.yaml" 'op: conv, name: "/model.0/conv/Conv \+ PWN\(PWN\(/model.0/act/Sigmoid\), /model.0/ac", input: \[1, 3, 640, 640\], filters: 16, kernel: 3, stride: 2, padding: 1, activation: silu, dtype: fp16' "fused conv"
has "$tmp/l.yaml" 'op: conv, name: /model.1/conv/Conv, input: \[1, 16, 320, 320\], filters: 32, .*activation: relu, dtype: int8' "int8 conv"
has "$tmp/l.yaml" 'op: pool, name: /model.9/m/MaxPool, input: \[1, 32, 160, 160\], kernel: 5, .*padding: 2, mode: max' "pool"
has "$tmp/l.yaml" 'op: gemm, name: /model.22/dfl/MatMul, m: 8400, n: 1, k: 16, batch: 4, dtype: fp16, weights: false' "batched matmul"
has "$tmp/l.yaml" 'op: elementwise, name: "\{ForeignNode\[/model.10/attn/Reshape.../model.10/attn/Transpose\]", elements: 51200' "Myelin region (128x20x20)"
# MACs: 16 x 320x320 x 3 x 3x3 = 44,236,800; 32 x 160x160 x 16 x 3x3 = 117,964,800;
# 4 x 8400 x 1 x 16 = 537,600; total 162,739,200.
has "$tmp/l.yaml" '^# Batch 1: 162\.739 MMAC per sample' "layers.json MACs"
"$bin" "$tmp/l.yaml" >/dev/null 2>&1 && pass || fail "run the imported engine"
"$bin" import "$lj" --batch 2 --dtype int8 >"$tmp/l2.yaml" 2>/dev/null || fail "layers.json --batch 2"
has "$tmp/l2.yaml" 'name: /model.1/conv/Conv, input: \[2, 16, 320, 320\].*dtype: int8' "--batch 2 scales the engine's batch"
printf '["conv1 + relu1", "pool1"]\n' >"$tmp/names.json"
expect_stderr "names only" 2 "names.json:1:.*layer 0 \('conv1 \+ relu1'\): is a name only; expected the detailed layer information .*--profilingVerbosity=detailed" -- import "$tmp/names.json"
printf '{"Layers": [\n  {"Name": "c", "LayerType": "CaskConvolution",\n   "Inputs": [{"Dimensions": [-1,3,8,8]}], "Outputs": []}]}\n' >"$tmp/dyn.json"
expect_stderr "dynamic dims" 2 "dyn.json:2:.*layer 0 \('c'\): has a dynamic or out-of-range dimension.*--shapes" -- import "$tmp/dyn.json"
printf '{"Layers": [\n  {"Name": "c", "LayerType": "CaskConvolution",\n   "Inputs": [{"Dimensions": [1,3,8,8]}], "Outputs": [{"Dimensions": [1,4,8,8]}], "ParameterType": "Convolution", "Kernel": [3,3], "OutMaps": 4, "Groups": 3}]}\n' >"$tmp/grp.json"
expect_stderr "bad groups" 2 "grp.json:2:.*layer 0 \('c'\): expected Groups dividing" -- import "$tmp/grp.json"
printf '{"Layers": [\n {"Name": "x",\n' >"$tmp/cut.json"
expect_stderr "cut json" 2 "cut.json:[0-9]+:[0-9]+: error" -- import "$tmp/cut.json"
printf '{"Bindings": []}\n' >"$tmp/nolayers.json"
expect_stderr "no Layers" 2 "nolayers.json:1:1: error: expected a JSON object with a \"Layers\" array" -- import "$tmp/nolayers.json"

finish import_layers
