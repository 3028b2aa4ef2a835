/*
 * diag: first-error-wins diagnostics with a source position. See diag.h.
 */
#include "sim/diag.h"

#include <stdio.h>
#include <string.h>

void diag_clear(diag_t *d)
{
    memset(d, 0, sizeof *d);
}

int diag_verror(diag_t *d, const char *file, int line, int col, const char *fmt, va_list ap)
{
    if (d == NULL || d->set)
        return DIAG_ERR;
    d->set = 1;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->line = line;
    d->col = col;
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    return DIAG_ERR;
}

int diag_error(diag_t *d, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, file, line, col, fmt, ap);
    va_end(ap);
    return DIAG_ERR;
}

int diag_internal(diag_t *d, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    int first = d != NULL && !d->set;
    va_start(ap, fmt);
    diag_verror(d, file, line, col, fmt, ap);
    va_end(ap);
    if (first)
        d->code = EXIT_INTERNAL;
    return DIAG_ERR;
}

int diag_exit_code(const diag_t *d)
{
    if (d->code != 0)
        return d->code;
    return strstr(d->msg, "internal error") ? EXIT_INTERNAL : EXIT_BAD_INPUT;
}

void diag_format(const diag_t *d, char *buf, unsigned long size)
{
    if (!d->set) {
        snprintf(buf, size, "no error");
        return;
    }
    if (d->file[0] && d->line > 0)
        snprintf(buf, size, "%s:%d:%d: error: %s", d->file, d->line, d->col, d->msg);
    else if (d->file[0])
        snprintf(buf, size, "%s: error: %s", d->file, d->msg);
    else
        snprintf(buf, size, "error: %s", d->msg);
}

int diag_usage(const char *hint, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "orinsim: error: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (hint)
        fprintf(stderr, " (%s)", hint);
    fputc('\n', stderr);
    return EXIT_BAD_INPUT;
}

void diag_print(const diag_t *d)
{
    char buf[2048];
    diag_format(d, buf, sizeof buf);
    fprintf(stderr, "%s\n", buf);
}
