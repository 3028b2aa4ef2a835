/*
 * slurp: whole files and streams into memory. See slurp.h.
 */
#include "soc/io/slurp.h"

#include <stdlib.h>

int slurp_stream(FILE *f, const char *name, const char *what, size_t max_bytes, char **text,
                 size_t *length, diag_t *d)
{
    char *buf;
    size_t len = 0, cap = 1 << 16;

    *text = NULL;
    *length = 0;
    buf = malloc(cap);
    while (buf != NULL) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)        /* the end, or an error */
            break;
        if (cap >= max_bytes) {
            free(buf);
            return diag_error(d, name, 0, 0, "the %s is larger than %zu MiB", what,
                              max_bytes >> 20);
        }
        {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (buf == NULL)
        return diag_error(d, name, 0, 0, "out of memory reading the %s", what);
    if (ferror(f)) {
        free(buf);
        return diag_error(d, name, 0, 0, "cannot read the %s", what);
    }
    buf[len] = '\0';
    *text = buf;
    *length = len;
    return 0;
}

int slurp_file(const char *path, const char *what, size_t max_bytes, char **text,
               size_t *length, diag_t *d)
{
    FILE *f = fopen(path, "rb");
    int rc;

    *text = NULL;
    *length = 0;
    if (f == NULL)
        return diag_error(d, path, 0, 0, "cannot open the %s", what);
    rc = slurp_stream(f, path, what, max_bytes, text, length, d);
    fclose(f);
    return rc;
}
