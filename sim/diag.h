/*
 * diag: one diagnostic, the way a compiler prints it.
 *
 * Every public function that can fail on user input fills a diag_t and returns a
 * negative value. The message names where the problem is (file:line:column, 1-based,
 * as libyaml marks report them plus one) and what was expected. Only the first error
 * is kept: later ones are usually consequences of it.
 *
 *     traces/x.yaml:12:7: error: unknown key 'filterz' in conv op (expected one of: ...)
 */
#ifndef ORINSIM_DIAG_H
#define ORINSIM_DIAG_H

#include <stdarg.h>

enum {
    DIAG_OK = 0,
    DIAG_ERR = -1
};

/* Process exit codes, documented in README.md and docs/cli.md. */
enum {
    EXIT_OK = 0,
    EXIT_INTERNAL = 1,    /* a bug or resource failure inside orinsim */
    EXIT_BAD_INPUT = 2,   /* bad usage, bad trace, bad config */
    EXIT_BUDGET = 3,      /* a budget failed (CI gates), or a regression (orinsim diff) */
    EXIT_THERMAL = 4,     /* the run ended in thermal shutdown */
    EXIT_UNAVAILABLE = 5, /* the feature is not in this build or environment (no display or
                           * font for the viewer, no CUDA build for orinsim check) */
    EXIT_NO_DEVICE = 6,   /* orinsim check: no usable CUDA device */
    EXIT_NOTHING_MEASURED = 7, /* orinsim check: no op of the trace could be measured */
    EXIT_OUTPUT = 8       /* an output could not be written (a full disk, a closed
                           * standard output): it wins over every other code */
};

typedef struct diag {
    int set;              /* 0 until the first error */
    int code;             /* the exit code it calls for: 0 for the caller's default (bad
                           * input), EXIT_INTERNAL for a resource failure (diag_internal) */
    char file[512];
    int line, col;        /* 1-based; 0 = unknown */
    char msg[1024];
} diag_t;

void diag_clear(diag_t *d);
/* Record an error unless one is already recorded. Returns DIAG_ERR for `return diag_error(...)`. */
int diag_error(diag_t *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int diag_verror(diag_t *d, const char *file, int line, int col, const char *fmt, va_list ap);
/* Record a failure of orinsim rather than of its input (out of memory, a run that could
 * not finish): as diag_error, and the diagnostic's code is EXIT_INTERNAL. */
int diag_internal(diag_t *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The exit code a recorded error calls for: its code when set, EXIT_INTERNAL for a message
 * that says "internal error", else EXIT_BAD_INPUT. */
int diag_exit_code(const diag_t *d);
/* "file:line:col: error: msg" (parts that are unknown are left out). */
void diag_format(const diag_t *d, char *buf, unsigned long size);
void diag_print(const diag_t *d);   /* to stderr, with a newline */
/* A command-line usage error: "orinsim: error: <message> (<hint>)" on stderr, one line.
 * Returns EXIT_BAD_INPUT. `hint` may be NULL. */
int diag_usage(const char *hint, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
