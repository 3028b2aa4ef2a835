/*
 * fuzz_onnx: libFuzzer target for the ONNX reader of `orinsim import`
 * (soc/import/onnx_read.c, with shapes by soc/import/ishape.c and layers by
 * soc/import/ilower.c).
 *
 * Each input is written to a .onnx file and imported the whole way `orinsim import`
 * takes it: decoded by protobuf-c, ordered, its shapes propagated, lowered to layers and
 * written by the zoo's writer; a trace that comes out is parsed back. Every input must
 * end in a clean error or a written trace. Run it with FUZZER=onnx tests/fuzz/run-fuzz.sh.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_import("onnx", "onnx", data, size);
}
