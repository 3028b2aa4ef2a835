/*
 * out: checked outputs, written under a temporary name and renamed. See out.h.
 *
 * Every stream handed out is a stdio stream over a sink of ours (glibc's fopencookie):
 * the sink does the write(2) calls and keeps the errno of the first one that fails.
 * stdio alone cannot say why a write failed: a large fprintf bypasses its buffer, and
 * once a write fails the next flush "succeeds" with nothing left to write.
 */
#define _GNU_SOURCE       /* fopencookie, realpath */
#include "soc/io/out.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- sinks: a file descriptor and the first error on it ---- */

static ssize_t sink_write(void *cookie, const char *buf, size_t size)
{
    out_sink_t *s = cookie;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(s->fd, buf + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (s->err == 0)
                s->err = n < 0 ? errno : EIO;
            errno = s->err;
            return 0;           /* fopencookie: 0 is an error, never a negative value */
        }
        done += (size_t)n;
    }
    return (ssize_t)size;
}

static int sink_close(void *cookie)
{
    out_sink_t *s = cookie;
    if (s->fd != STDOUT_FILENO && close(s->fd) != 0) {
        if (s->err == 0)
            s->err = errno;
        return -1;
    }
    return 0;
}

static FILE *sink_open(out_sink_t *s, int fd)
{
    cookie_io_functions_t io = {.write = sink_write, .close = sink_close};
    s->fd = fd;
    s->err = 0;
    return fopencookie(s, "w", io);
}

/* Standard output: a sink over descriptor 1 that replaces `stdout` (out_stdout_begin). */
static out_sink_t stdout_sink = {STDOUT_FILENO, 0};
static int stdout_failed;   /* a failure on standard output was reported already */

void out_stdout_begin(void)
{
#ifdef __GLIBC__
    /* glibc's stdout is an ordinary variable; elsewhere stdio's own stream stays, and a
     * message may only say that a write failed. */
    FILE *f = sink_open(&stdout_sink, STDOUT_FILENO);
    if (f != NULL) {
        setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
        fflush(stdout);
        stdout = f;
    }
#endif
}

/* Why standard output failed: its sink's error, or errno after a failed flush. */
static int stdout_flush(int *err)
{
    int bad = ferror(stdout) != 0;
    errno = 0;
    if (fflush(stdout) != 0) {
        bad = 1;
        *err = errno;
    }
    if (stdout_sink.err)
        *err = stdout_sink.err;
    return bad;
}

void out_stdout_flush(void)
{
    int err = 0;
    stdout_flush(&err);       /* the sink remembers the reason for later */
}

/* ---- outputs ---- */

static const char *shown(const out_t *o)
{
    return strcmp(o->path, "-") == 0 ? OUT_STDOUT : o->path;
}

static int copy(char *dst, size_t size, const char *src)
{
    return snprintf(dst, size, "%s", src) < (int)size ? 0 : -1;
}

static int open_error(out_t *o, int err, diag_t *d)
{
    return diag_error(d, o->path, 0, 0, "cannot write the %s: %s", o->what, strerror(err));
}

/* A stream over `fd`, or DIAG_ERR (fd closed, the temporary file removed). */
static int attach(out_t *o, int fd, diag_t *d)
{
    if ((o->f = sink_open(&o->sink, fd)) == NULL) {
        int e = errno;
        close(fd);
        if (o->tmp[0])
            unlink(o->tmp);
        o->tmp[0] = '\0';
        return open_error(o, e, d);
    }
    return 0;
}

/* The temporary file beside `final`: "DIR/.BASE.XXXXXX", created with mode `mode`. */
static int make_temp(out_t *o, mode_t mode, diag_t *d)
{
    const char *slash = strrchr(o->final, '/');
    int dirlen = slash ? (int)(slash - o->final) + 1 : 0, fd;
    const char *base = slash ? slash + 1 : o->final;
    if (snprintf(o->tmp, sizeof o->tmp, "%.*s.%s.XXXXXX", dirlen, o->final, base) >=
        (int)sizeof o->tmp) {
        o->tmp[0] = '\0';
        return diag_error(d, o->path, 0, 0, "the path of the %s is too long", o->what);
    }
    fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        o->tmp[0] = '\0';
        return open_error(o, e, d);
    }
    if (fchmod(fd, mode) != 0) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        o->tmp[0] = '\0';
        return open_error(o, e, d);
    }
    return attach(o, fd, d);
}

int out_open(out_t *o, const char *path, const char *what, diag_t *d)
{
    struct stat st;
    mode_t mode;
    int fd;

    memset(o, 0, sizeof *o);
    copy(o->what, sizeof o->what, what);
    if (copy(o->path, sizeof o->path, path) != 0 || copy(o->final, sizeof o->final, path) != 0)
        return diag_error(d, "orinsim", 0, 0, "the path of the %s is too long", what);
    if (strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        if (realpath(path, target) != NULL)
            copy(o->final, sizeof o->final, target);
    }
    if (stat(o->final, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            return diag_error(d, path, 0, 0, "cannot write the %s: it is a directory", what);
        /* A device or a FIFO: written in place, nothing to rename. */
        if ((fd = open(o->final, O_WRONLY | O_TRUNC | O_CLOEXEC)) < 0)
            return open_error(o, errno, d);
        return attach(o, fd, d);
    }
    if (stat(o->final, &st) == 0) {
        mode = st.st_mode & 07777;            /* an existing file keeps its permissions */
    } else {
        mode_t um = umask(0);
        umask(um);
        mode = 0666 & ~um;                    /* a new file gets what fopen would give it */
    }
    return make_temp(o, mode, d);
}

void out_discard(out_t *o)
{
    if (o->f && o->f != stdout)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp[0])
        unlink(o->tmp);
    o->tmp[0] = '\0';
}

/* Report a failed output: the reason `err` (0 when none is known). */
static int failed(out_t *o, int err, diag_t *d)
{
    if (o->tmp[0])
        unlink(o->tmp);
    o->tmp[0] = '\0';
    o->f = NULL;
    if (strcmp(o->path, "-") == 0)
        stdout_failed = 1;
    return diag_error(d, shown(o), 0, 0, "cannot write the %s: %s", o->what,
                      err ? strerror(err) : "a write failed");
}

int out_close(out_t *o, diag_t *d)
{
    int bad, err = 0;
    FILE *f = o->f;

    if (f == NULL)
        return diag_error(d, shown(o), 0, 0, "the %s was closed twice", o->what);
    if (f == stdout) {
        if (stdout_flush(&err))
            return failed(o, err, d);
        o->f = NULL;
        return 0;
    }
    bad = ferror(f) != 0;
    errno = 0;
    if (fclose(f) != 0) {     /* flushes, then closes the descriptor */
        bad = 1;
        err = errno;
    }
    o->f = NULL;
    if (o->sink.err)
        err = o->sink.err;
    if (bad)
        return failed(o, err, d);
    if (o->tmp[0] && rename(o->tmp, o->final) != 0)
        return failed(o, errno, d);
    o->tmp[0] = '\0';
    return 0;
}

int out_write_file(const char *path, const char *what, int (*emit)(FILE *f, void *arg),
                   void *arg, diag_t *d)
{
    out_t o;
    if (out_open(&o, path, what, d) != 0)
        return EXIT_OUTPUT;
    if (emit(o.f, arg) != 0 && !ferror(o.f)) {
        out_discard(&o);
        diag_error(d, shown(&o), 0, 0, "writing the %s failed", what);
        return EXIT_INTERNAL;
    }
    /* A failed stream is reported by out_close, with the reason. */
    return out_close(&o, d) == 0 ? EXIT_OK : EXIT_OUTPUT;
}

int out_stdout_finish(void)
{
    int err = 0, bad = stdout_flush(&err);
    if (!bad) {
        /* Closing reports what only close sees (NFS); a standard output that was closed
         * before we started, with nothing written to it, is not a failure. */
        errno = 0;
        if (close(STDOUT_FILENO) != 0 && errno != EBADF) {
            bad = 1;
            err = errno;
        }
    }
    if (!bad)
        return stdout_failed ? EXIT_OUTPUT : EXIT_OK;
    if (!stdout_failed)
        fprintf(stderr, "%s: error: cannot write the output: %s\n", OUT_STDOUT,
                err ? strerror(err) : "a write failed");
    stdout_failed = 1;
    return EXIT_OUTPUT;
}

/* ---- strings for JSON ---- */

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        return (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        unsigned lo = s[0] == 0xE0 ? 0xA0 : 0x80, hi = s[0] == 0xED ? 0x9F : 0xBF;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        unsigned lo = s[0] == 0xF0 ? 0x90 : 0x80, hi = s[0] == 0xF4 ? 0x8F : 0xBF;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80
                   ? 4 : 0;
    }
    return 0;
}

char *out_utf8_copy(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), o = 0;
    char *buf = malloc(n * 3 + 1);    /* each byte becomes at most U+FFFD's 3 */
    if (buf == NULL)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_len(p + i);
        if (l == 0) {
            memcpy(buf + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(buf + o, p + i, l);
            o += l;
            i += l;
        }
    }
    buf[o] = '\0';
    return buf;
}

json_object *out_json_string(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    char *buf;
    json_object *j;
    for (size_t i = 0; i < n;) {      /* valid already: the common case, no copy */
        size_t l = utf8_len(p + i);
        if (l == 0)
            break;
        i += l;
        if (i == n)
            return json_object_new_string(s);
    }
    if (n == 0)
        return json_object_new_string(s);
    if ((buf = out_utf8_copy(s)) == NULL)
        return NULL;
    j = json_object_new_string(buf);
    free(buf);
    return j;
}
