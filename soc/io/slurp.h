/*
 * slurp: a whole file or stream into memory, NUL-terminated, with a size limit and errors
 * that name it. Used by the readers of traces on standard input, reports and profiles.
 */
#ifndef ORINSIM_SLURP_H
#define ORINSIM_SLURP_H

#include <stddef.h>
#include <stdio.h>

#include "sim/diag.h"

/* Read `f` to its end (at most max_bytes) into *text (the caller frees it), its length in
 * *length. `name` is the file in messages, `what` the kind of content ("profile").
 * Returns 0, or DIAG_ERR with d. */
int slurp_stream(FILE *f, const char *name, const char *what, size_t max_bytes, char **text,
                 size_t *length, diag_t *d);

/* The same for the file at `path`. */
int slurp_file(const char *path, const char *what, size_t max_bytes, char **text,
               size_t *length, diag_t *d);

#endif
