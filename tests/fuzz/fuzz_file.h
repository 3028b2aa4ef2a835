/*
 * fuzz_file: for fuzz targets whose loader reads a file. fuzz_write_input() writes the
 * input to one .yaml file per process under $TMPDIR (default /tmp) and returns its path,
 * or NULL when the file cannot be written; fuzz_write_input_as() names the extension
 * (the importer tells its formats apart by it). Each target uses one of the two.
 */
#ifndef ORINSIM_FUZZ_FILE_H
#define ORINSIM_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline const char *fuzz_write_input_as(const char *name, const char *ext, const uint8_t *data,
                                              size_t size)
{
    static char path[256];
    FILE *f;
    if (path[0] == '\0') {
        const char *dir = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/orinsim-fuzz-%s-%d.%s", dir ? dir : "/tmp", name,
                 (int)getpid(), ext);
    }
    f = fopen(path, "wb");
    if (f == NULL)
        return NULL;
    fwrite(data, 1, size, f);
    fclose(f);
    return path;
}

static inline const char *fuzz_write_input(const char *name, const uint8_t *data, size_t size)
{
    return fuzz_write_input_as(name, "yaml", data, size);
}

#endif
