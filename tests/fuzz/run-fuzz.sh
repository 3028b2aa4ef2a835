#!/usr/bin/env bash
# Build a fuzzer (the trace parser by default) with clang + libFuzzer and run it.
#
#   tests/fuzz/run-fuzz.sh [seconds]      fuzz for `seconds` (default 300; 0 = only build)
#   FUZZER=sku tests/fuzz/run-fuzz.sh ... the SKU config loader instead of the trace parser;
#                                         FUZZER=measured: `orinsim compare`'s measurement
#                                         files; FUZZER=registry: `orinsim validate`'s registry
#                                         FUZZER=profile: `orinsim profile`'s TensorRT profiles
#                                         FUZZER=run: parse AND simulate traces (small budgets)
#                                         FUZZER=sku_run: SKU files, each running a fixed trace
#                                         FUZZER=onnx: `orinsim import`'s ONNX reader;
#                                         FUZZER=layers: its TensorRT layer information
#                                         FUZZER=study: `orinsim study`'s study files;
#                                         FUZZER=study_part: the parts `study merge` reads
#   UPDATE_CORPUS=1 tests/fuzz/run-fuzz.sh [seconds]
#                                         ... then add to tests/fuzz/corpus/trace/ the
#                                         inputs found that reach new coverage (-merge=1)
#
# The committed corpus is only read: new inputs go to build-fuzz/corpus/trace/, and
# crashers / timeouts to build-fuzz/artifacts/. Both directories survive between runs.
# Environment: BUILD_DIR (default build-fuzz), JOBS (build parallelism, default 2).
set -euo pipefail

secs="${1:-300}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${BUILD_DIR:-$root/build-fuzz}"
fuzzer="${FUZZER:-trace}"   # trace | sku | measured | registry | profile | run | sku_run | onnx | layers | study | study_part
inputs=$fuzzer               # the kind of file it reads: its seeds and dictionary
case $fuzzer in run) inputs=trace ;; sku_run) inputs=sku ;; esac
seeds="$root/tests/fuzz/corpus/$inputs"
work="$build/corpus/$fuzzer"
artifacts="$build/artifacts"
dict="$root/tests/fuzz/$inputs.dict"
[ -f "$dict" ] || dict=""
export ORINSIM_CONFIG_DIR="$root/configs"
maxlen=4096
[ "$inputs" = sku ] && maxlen=24576   # whole SKU files are ~20 KB
[ "$inputs" = onnx ] && maxlen=16384  # the seed models are 0.1 to 13 KB
[ "$inputs" = layers ] && maxlen=8192
[ "$inputs" = study_part ] && maxlen=16384   # a 9-run shard's part is 3 KB

cmake -S "$root" -B "$build" -DORINSIM_FUZZ=ON -DCMAKE_C_COMPILER=clang \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target "fuzz_$fuzzer" -j "${JOBS:-2}"

mkdir -p "$work" "$artifacts"
if [ "$secs" -gt 0 ]; then
    "$build/fuzz_$fuzzer" "$work" "$seeds" \
        ${dict:+-dict="$dict"} \
        -max_total_time="$secs" -max_len="$maxlen" -timeout=5 \
        -artifact_prefix="$artifacts/" -print_final_stats=1
fi

if [ "${UPDATE_CORPUS:-0}" = 1 ]; then
    # -merge=1 into the seed directory adds only the inputs that reach new coverage; the
    # hand-written, named seeds stay as they are.
    "$build/fuzz_$fuzzer" -merge=1 -max_len="$maxlen" -timeout=5 "$seeds" "$work"
    echo "corpus: $(ls "$seeds" | wc -l) files, $(du -sh "$seeds" | cut -f1)"
fi
