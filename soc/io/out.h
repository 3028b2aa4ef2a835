/*
 * out: every file and stream orinsim writes, checked.
 *
 * A write that fails (a full disk, /dev/full, a closed standard output, a file size
 * limit) must never end as a success with a short file. Everything orinsim writes goes
 * through here:
 *
 * - A file is written under a temporary name in its own directory (".NAME.XXXXXX") and
 *   renamed over NAME only once every byte is written, flushed and closed; on any failure
 *   the temporary file is removed, so NAME is either the whole new output or untouched.
 *   A path that exists and is not a regular file (/dev/null, /dev/full, a FIFO) is written
 *   in place: there is nothing to rename. A symbolic link is followed, and its target
 *   replaced.
 * - Standard output ("-") is flushed and checked when an output is closed, and once more
 *   when the command ends (out_stdout_finish, from main), which also covers what was
 *   printed straight to `stdout`.
 *
 * Each stream keeps the reason of its first failed write, so that messages say it ("No
 * space left on device"). A failure is reported once, "NAME: error: cannot write the
 * WHAT: REASON", and the command exits with EXIT_OUTPUT (sim/diag.h). docs/limits.md
 * says the same for users.
 */
#ifndef ORINSIM_OUT_H
#define ORINSIM_OUT_H

#include <json-c/json.h>
#include <stdio.h>

#include "sim/diag.h"

/* The name standard output has in messages. */
#define OUT_STDOUT "<stdout>"

/* A file descriptor and the errno of its first failed write. */
typedef struct out_sink {
    int fd;
    int err;
} out_sink_t;

/* One output. Its stream points into it: it stays where out_open put it until closed. */
typedef struct out {
    FILE *f;            /* write here; NULL once closed */
    out_sink_t sink;
    char path[4096];    /* the file as the user named it, "-" for standard output */
    char final[4096];   /* where it lands: `path`, or a symbolic link's target */
    char tmp[4096];     /* the temporary file, "" when written in place */
    char what[64];      /* what is written, for messages: "JSON report" */
} out_t;

/* Open `path` ("-": standard output) for writing `what`. Returns 0, or DIAG_ERR with d
 * naming the file and the reason. */
int out_open(out_t *o, const char *path, const char *what, diag_t *d);

/* Finish: flush, check every write, close and rename into place. Returns 0, or DIAG_ERR
 * with d ("cannot write the WHAT: REASON"), the partial file removed. */
int out_close(out_t *o, diag_t *d);

/* Give up on an output whose writer failed for its own reasons: the temporary file is
 * removed, the file named by the user left as it was. */
void out_discard(out_t *o);

/* Write a whole output at once: open `path`, `emit(f, arg)` (0, or non-zero on a failure
 * of its own), close. Returns an exit code: EXIT_OK; EXIT_OUTPUT when the output could
 * not be opened or written, with d saying why; EXIT_INTERNAL when `emit` failed with the
 * stream intact (d: "writing the WHAT failed"), the partial file removed either way. */
int out_write_file(const char *path, const char *what, int (*emit)(FILE *f, void *arg),
                   void *arg, diag_t *d);

/* At the start of main: standard output becomes a stream whose failed writes keep their
 * reason (with glibc; elsewhere a message may only say that a write failed). */
void out_stdout_begin(void);

/* Flush standard output now (progress lines); a failure is reported at the end. */
void out_stdout_flush(void);

/* At the end of a command: flush standard output and check everything written to it.
 * Returns EXIT_OK, or EXIT_OUTPUT after printing the reason on stderr. */
int out_stdout_finish(void);

/* A JSON string of `s` with every byte that is not part of valid UTF-8 replaced by
 * U+FFFD: json-c writes strings as they are, so a name read from a file that is not UTF-8
 * (a TensorRT layer name, a path) would otherwise make the whole output invalid JSON. */
json_object *out_json_string(const char *s);
/* A copy of `s` (malloc) with the same replacement; NULL out of memory. */
char *out_utf8_copy(const char *s);

#endif
