/*
 * fuzz_layers: libFuzzer target for the TensorRT layer-information reader of `orinsim
 * import` (soc/import/itrt.c: the JSON of `trtexec --exportLayerInfo`).
 *
 * Each input is written to a .json file and imported the whole way `orinsim import`
 * takes it: parsed by json-c, each layer read, built into the zoo's layers and written
 * by the zoo's writer; a trace that comes out is parsed back. Every input must end in a
 * clean error or a written trace. Run it with FUZZER=layers tests/fuzz/run-fuzz.sh.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_import("layers", "json", data, size);
}
