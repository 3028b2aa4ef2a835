/*
 * fuzz_import: the body the importer's fuzz targets share. The input is written to a
 * file with the extension that selects the reader, imported the whole way `orinsim
 * import` takes it, and a trace that comes out is parsed back. Every input must end in a
 * clean error or a written trace.
 */
#ifndef ORINSIM_FUZZ_IMPORT_H
#define ORINSIM_FUZZ_IMPORT_H

#include <stdio.h>
#include <stdlib.h>

#include "fuzz_file.h"
#include "soc/import/import.h"

static inline int fuzz_import(const char *name, const char *ext, const uint8_t *data,
                              size_t size)
{
    import_options_t o = {0};
    const char *path = fuzz_write_input_as(name, ext, data, size);
    char *buf = NULL;
    size_t len = 0;
    FILE *out;
    diag_t d;
    if (path == NULL)
        return 0;
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

#endif
