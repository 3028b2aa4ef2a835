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
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "soc/import/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[256];
    import_options_t o = {0};
    char *buf = NULL;
    size_t len = 0;
    FILE *f, *out;
    diag_t d;
    if (path[0] == '\0') {
        const char *dir = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/orinsim-fuzz-onnx-%d.onnx", dir ? dir : "/tmp",
                 (int)getpid());
    }
    if ((f = fopen(path, "wb")) == NULL)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    o.quiet = 1;
    diag_clear(&d);
    out = open_memstream(&buf, &len);
    if (out == NULL)
        return 0;
    if (import_write(out, path, &o, &d) == EXIT_OK) {
        trace_t t;
        diag_t d2;
        fclose(out);
        diag_clear(&d2);
        if (trace_parse(path, buf, len, &t, &d2) == 0)
            trace_free(&t);
    } else {
        fclose(out);
    }
    free(buf);
    return 0;
}
