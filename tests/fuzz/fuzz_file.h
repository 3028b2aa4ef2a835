/*
 * fuzz_file: for fuzz targets whose loader reads a file. fuzz_write_input() writes the
 * input to one file per process under $TMPDIR (default /tmp) and returns its path, or
 * NULL when the file cannot be written.
 */
#ifndef ORINSIM_FUZZ_FILE_H
#define ORINSIM_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *fuzz_write_input(const char *name, const uint8_t *data, size_t size)
{
    static char path[256];
    FILE *f;
    if (path[0] == '\0') {
        const char *dir = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/orinsim-fuzz-%s-%d.yaml", dir ? dir : "/tmp", name,
                 (int)getpid());
    }
    f = fopen(path, "wb");
    if (f == NULL)
        return NULL;
    fwrite(data, 1, size, f);
    fclose(f);
    return path;
}

#endif
