/*
 * fuzz_registry: libFuzzer target for the validation registry loader (soc/measure/validate.c),
 * which `orinsim validate --registry FILE` reads.
 *
 * The loader reads a file, so each input is written under $TMPDIR and loaded; a registry
 * that loads is looked up by each of its case ids. Replaying its cases is left out: they
 * run zoo networks and traces, which the trace fuzzer covers. Every input must end in a
 * clean error or a registry whose ids are found; AddressSanitizer and UBSan
 * (-DORINSIM_FUZZ=ON) catch the rest. Run it with FUZZER=registry tests/fuzz/run-fuzz.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_file.h"
#include "soc/measure/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    validate_registry_t r;
    diag_t d;
    const char *path = fuzz_write_input("registry", data, size);
    if (path == NULL)
        return 0;
    diag_clear(&d);
    if (validate_load(path, &r, &d) != 0)
        return 0;
    for (int i = 0; i < r.n; i++)
        if (validate_find(&r, r.cases[i].id) == NULL)
            abort();   /* every loaded case is found by its id */
    validate_free(&r);
    return 0;
}
