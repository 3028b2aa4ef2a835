/*
 * export: Chrome Trace Event JSON streamed from a timeline (see export.h for the layout).
 *
 * yajl writes each event through a print callback into a 256 KiB buffer; a full buffer
 * goes to the file, or through deflate (gzip wrapping, zlib's default level) first. A
 * newline before each event keeps the file greppable. Numbers are formatted here (six
 * decimals for times, %.9g for quantities, integers as integers) and handed to yajl as
 * text; strings go through yajl, which escapes them, after invalid UTF-8 is replaced.
 *
 * What the writer keeps: per lane, the last slice written (where a flow leaves from) and
 * whether its metadata is out; per counter, its display name; the flows waiting for their
 * consumer's slice, dropped when their frame completes. All of it is bounded by the lanes,
 * the counters and the frames in flight, not by the length of the run.
 */
#include "viz/export.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <zlib.h>

#include "soc/io/out.h"

enum { BUF_SIZE = 256 * 1024 };

typedef struct pending_flow {
    int from_lane, to_lane, to_task;
    sim_time_t from_ts, to;
    int64_t frame;
} pending_flow_t;

typedef struct lane_state {
    int named;                /* thread metadata written */
    int has_last;
    sim_time_t last_start, last_end;
} lane_state_t;

struct viz_export {
    out_t *o;                 /* the file opened from a path (its stream points into it) */
    int own;                  /* o is ours */
    FILE *f;
    yajl_gen g;
    unsigned char *buf;
    size_t n;
    int gzip;
    z_stream z;
    unsigned char *zbuf;
    int write_failed;
    char inconsistent[256];   /* the first overlap found, "" when none */
    timeline_t *tl;
    tl_sink_t sink;
    lane_state_t *lanes;
    int nlanes;
    char **counter_names;
    int ncounters;
    int process_named[VIZ_PID_FRAMES + 1];
    pending_flow_t *flows;
    size_t nflows, cflows;
    int64_t next_flow_id;
    char *title;
    viz_export_counts_t counts;
};

/* ---- output: buffer, gzip, file ---- */

static void drain(viz_export_t *x, const unsigned char *p, size_t n, int finish)
{
    if (x->write_failed)
        return;
    if (!x->gzip) {
        if (n && fwrite(p, 1, n, x->f) != n)
            x->write_failed = 1;
        return;
    }
    x->z.next_in = (unsigned char *)p;
    x->z.avail_in = (uInt)n;
    do {
        size_t out;
        x->z.next_out = x->zbuf;
        x->z.avail_out = BUF_SIZE;
        if (deflate(&x->z, finish ? Z_FINISH : Z_NO_FLUSH) == Z_STREAM_ERROR) {
            x->write_failed = 1;
            return;
        }
        out = BUF_SIZE - x->z.avail_out;
        if (out && fwrite(x->zbuf, 1, out, x->f) != out) {
            x->write_failed = 1;
            return;
        }
    } while (x->z.avail_out == 0);
}

static void flush_buf(viz_export_t *x)
{
    drain(x, x->buf, x->n, 0);
    x->n = 0;
}

static void put(void *ctx, const char *s, size_t len)
{
    viz_export_t *x = ctx;
    if (x->n + len > BUF_SIZE)
        flush_buf(x);
    if (len > BUF_SIZE) {
        drain(x, (const unsigned char *)s, len, 0);
        return;
    }
    memcpy(x->buf + x->n, s, len);
    x->n += len;
}

/* ---- values ---- */

static void key(viz_export_t *x, const char *k)
{
    yajl_gen_string(x->g, (const unsigned char *)k, strlen(k));
}

static void str(viz_export_t *x, const char *s)
{
    size_t n = strlen(s);
    if (yajl_gen_string(x->g, (const unsigned char *)s, n) == yajl_gen_invalid_string) {
        char *clean = out_utf8_copy(s);
        if (clean == NULL) {
            x->tl->failed = 1;
            yajl_gen_string(x->g, (const unsigned char *)"", 0);
            return;
        }
        yajl_gen_string(x->g, (const unsigned char *)clean, strlen(clean));
        free(clean);
    }
}

static void kstr(viz_export_t *x, const char *k, const char *v)
{
    key(x, k);
    str(x, v);
}

static void kint(viz_export_t *x, const char *k, long long v)
{
    key(x, k);
    yajl_gen_integer(x->g, v);
}

/* Picoseconds as microseconds with six decimals: exact. */
static void ktime(viz_export_t *x, const char *k, sim_time_t ps)
{
    char b[48];
    int n = snprintf(b, sizeof b, "%" PRIu64 ".%06" PRIu64, (uint64_t)(ps / SIM_US),
                     (uint64_t)(ps % SIM_US));
    key(x, k);
    yajl_gen_number(x->g, b, (size_t)n);
}

static void knum(viz_export_t *x, const char *k, double v)
{
    char b[48];
    int n;
    key(x, k);
    if (v != v || v > 1e308 || v < -1e308) {  /* JSON has no NaN or infinity */
        yajl_gen_null(x->g);
        return;
    }
    if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v) {
        yajl_gen_integer(x->g, (long long)v);
        return;
    }
    n = snprintf(b, sizeof b, "%.9g", v);
    yajl_gen_number(x->g, b, (size_t)n);
}

/* A new event: its own line, then {"ph":..,"name":..,"pid":..,"tid":..  (left open). */
static void begin(viz_export_t *x, const char *ph, const char *name, int pid, int tid)
{
    put(x, "\n", 1);
    yajl_gen_map_open(x->g);
    kstr(x, "ph", ph);
    if (name)
        kstr(x, "name", name);
    kint(x, "pid", pid);
    kint(x, "tid", tid);
}

static void end(viz_export_t *x)
{
    yajl_gen_map_close(x->g);
}

/* ---- metadata, written before a process's or a thread's first event ---- */

static void meta(viz_export_t *x, const char *what, int pid, int tid, const char *k,
                 const char *s, int v)
{
    begin(x, "M", what, pid, tid);
    key(x, "args");
    yajl_gen_map_open(x->g);
    if (s)
        kstr(x, k, s);
    else
        kint(x, k, v);
    yajl_gen_map_close(x->g);
    end(x);
}

static void name_process(viz_export_t *x, int pid)
{
    static const char *const NAMES[VIZ_PID_FRAMES + 1] = {
        [VIZ_PID_COUNTERS] = "SoC", [VIZ_PID_FRAMES] = "Frames"};
    if (x->process_named[pid])
        return;
    x->process_named[pid] = 1;
    meta(x, "process_name", pid, 0, "name",
         pid <= TL_GROUP_COUNT ? timeline_group_name((tl_group_t)(pid - 1)) : NAMES[pid], 0);
    meta(x, "process_sort_index", pid, 0, "sort_index", NULL, pid == VIZ_PID_FRAMES ? 0 : pid);
}

/* The state of lane `l`, growing the table to the timeline's lanes. NULL out of memory. */
static lane_state_t *lane(viz_export_t *x, int l)
{
    if (l < 0 || l >= x->tl->nlanes)
        return NULL;
    if (l >= x->nlanes) {
        int n = x->tl->nlanes;
        lane_state_t *v = realloc(x->lanes, (size_t)n * sizeof *v);
        if (v == NULL) {
            x->tl->failed = 1;
            return NULL;
        }
        memset(v + x->nlanes, 0, (size_t)(n - x->nlanes) * sizeof *v);
        x->lanes = v;
        x->nlanes = n;
    }
    return &x->lanes[l];
}

static int lane_pid(const timeline_t *tl, int l)
{
    return (int)tl->lanes[l].group + 1;
}

static void name_lane(viz_export_t *x, int l, lane_state_t *ls)
{
    if (ls->named)
        return;
    ls->named = 1;
    name_process(x, lane_pid(x->tl, l));
    meta(x, "thread_name", lane_pid(x->tl, l), l + 1, "name",
         timeline_name(x->tl, x->tl->lanes[l].name), 0);
    meta(x, "thread_sort_index", lane_pid(x->tl, l), l + 1, "sort_index", NULL, l + 1);
}

/* ---- the sink ---- */

static void write_flow(viz_export_t *x, const pending_flow_t *p, int to_lane, sim_time_t to)
{
    int64_t id = ++x->next_flow_id;
    /* "s" binds to the slice enclosing its time: one picosecond before the producer ends
     * (or its start, if it lasted no time). "f" with binding point "e" binds to the slice
     * that starts at its time. */
    begin(x, "s", "after", lane_pid(x->tl, p->from_lane), p->from_lane + 1);
    kstr(x, "cat", "dependency");
    kint(x, "id", id);
    ktime(x, "ts", p->from_ts);
    end(x);
    begin(x, "f", "after", lane_pid(x->tl, to_lane), to_lane + 1);
    kstr(x, "cat", "dependency");
    kint(x, "id", id);
    kstr(x, "bp", "e");
    ktime(x, "ts", to);
    end(x);
    x->counts.flows++;
}

/* A slice written: the flows waiting for it (its task and frame, a lane of the consumer's
 * group: a task on either DLA runs on whichever was free) are written and dropped. */
static void match_flows(viz_export_t *x, const tl_slice_t *s)
{
    size_t k = 0;
    if (s->task < 0)
        return;
    while (k < x->nflows) {
        pending_flow_t *p = &x->flows[k];
        if (p->frame == s->frame && p->to_task == s->task && s->start >= p->to &&
            x->tl->lanes[p->to_lane].group == x->tl->lanes[s->lane].group) {
            write_flow(x, p, s->lane, s->start);
            x->flows[k] = x->flows[--x->nflows];
        } else {
            k++;
        }
    }
}

static void on_slice(void *ctx, const timeline_t *tl, const tl_slice_t *s)
{
    viz_export_t *x = ctx;
    lane_state_t *ls = lane(x, s->lane);
    double dur_s = (double)(s->end - s->start) * 1e-12;
    char cat[16];
    const char *g;
    size_t i;
    if (ls == NULL)
        return;
    if (ls->has_last && s->start < ls->last_end && x->inconsistent[0] == '\0')
        snprintf(x->inconsistent, sizeof x->inconsistent,
                 "internal error: slices overlap on lane '%s': one ends at %.6f us, the next "
                 "starts at %.6f us",
                 timeline_name(tl, tl->lanes[s->lane].name), (double)ls->last_end / SIM_US,
                 (double)s->start / SIM_US);
    name_lane(x, s->lane, ls);
    g = timeline_group_name(tl->lanes[s->lane].group);
    for (i = 0; g[i] && i + 1 < sizeof cat; i++)
        cat[i] = (char)(g[i] >= 'A' && g[i] <= 'Z' ? g[i] - 'A' + 'a' : g[i]);
    cat[i] = '\0';
    begin(x, "X", timeline_name(tl, s->name), lane_pid(tl, s->lane), s->lane + 1);
    kstr(x, "cat", cat);
    ktime(x, "ts", s->start);
    ktime(x, "dur", s->end - s->start);
    key(x, "args");
    yajl_gen_map_open(x->g);
    kstr(x, "op", timeline_name(tl, s->name));
    kstr(x, "engine", timeline_name(tl, tl->lanes[s->lane].name));
    if (s->frame >= 0)
        kint(x, "frame", s->frame);
    knum(x, "bytes", s->bytes);
    knum(x, "flops", s->flops);
    if (dur_s > 0) {
        knum(x, "achieved GB/s", s->bytes / dur_s / 1e9);
        knum(x, "achieved TFLOPS", s->flops / dur_s / 1e12);
    }
    yajl_gen_map_close(x->g);
    end(x);
    x->counts.slices++;
    if (!ls->has_last || s->end >= ls->last_end) {
        ls->has_last = 1;
        ls->last_start = s->start;
        ls->last_end = s->end;
    }
    if (x->nflows)
        match_flows(x, s);
}

static void on_flow(void *ctx, const timeline_t *tl, const tl_flow_t *f)
{
    viz_export_t *x = ctx;
    lane_state_t *from = lane(x, f->from_lane);
    pending_flow_t *p;
    if (from == NULL || lane(x, f->to_lane) == NULL || !from->has_last ||
        from->last_end > f->from)
        return;     /* the producer's slice is not in the file */
    if (x->nflows == x->cflows) {
        size_t c = x->cflows ? 2 * x->cflows : 16;
        pending_flow_t *v = realloc(x->flows, c * sizeof *v);
        if (v == NULL) {
            x->tl->failed = 1;
            return;
        }
        x->flows = v;
        x->cflows = c;
    }
    (void)tl;
    p = &x->flows[x->nflows++];
    p->from_lane = f->from_lane;
    p->to_lane = f->to_lane;
    p->to_task = f->to_task;
    p->from_ts = from->last_end > from->last_start ? from->last_end - 1 : from->last_start;
    p->to = f->to;
    p->frame = f->frame;
}

static const char *counter_name(viz_export_t *x, int c)
{
    if (c >= x->ncounters) {
        int n = x->tl->ncounters;
        char **v = realloc(x->counter_names, (size_t)n * sizeof *v);
        if (v == NULL) {
            x->tl->failed = 1;
            return "";
        }
        memset(v + x->ncounters, 0, (size_t)(n - x->ncounters) * sizeof *v);
        x->counter_names = v;
        x->ncounters = n;
    }
    if (x->counter_names[c] == NULL) {
        const timeline_t *tl = x->tl;
        const char *name = timeline_name(tl, tl->counters[c].name);
        const char *unit = timeline_name(tl, tl->counters[c].unit);
        size_t len = strlen(name) + strlen(unit) + 2;
        if ((x->counter_names[c] = malloc(len)) == NULL) {
            x->tl->failed = 1;
            return "";
        }
        snprintf(x->counter_names[c], len, "%s%s%s", name, *unit ? " " : "", unit);
    }
    return x->counter_names[c];
}

static void on_sample(void *ctx, const timeline_t *tl, const tl_sample_t *s)
{
    viz_export_t *x = ctx;
    if (s->counter < 0 || s->counter >= tl->ncounters)
        return;
    name_process(x, VIZ_PID_COUNTERS);
    begin(x, "C", counter_name(x, s->counter), VIZ_PID_COUNTERS, 0);
    ktime(x, "ts", s->t);
    key(x, "args");
    yajl_gen_map_open(x->g);
    knum(x, "value", s->value);
    yajl_gen_map_close(x->g);
    end(x);
    x->counts.samples++;
}

static void on_frame(void *ctx, const timeline_t *tl, const tl_frame_t *f, int inside)
{
    viz_export_t *x = ctx;
    char name[64];
    int missed = f->deadline && f->done > f->deadline;
    (void)tl;
    /* The frame is over: no slice of it is still to come. */
    for (size_t k = 0; k < x->nflows;)
        if (x->flows[k].frame == f->frame)
            x->flows[k] = x->flows[--x->nflows];
        else
            k++;
    if (!inside)
        return;
    name_process(x, VIZ_PID_FRAMES);
    snprintf(name, sizeof name, "frame %" PRId64, f->frame);
    begin(x, "b", name, VIZ_PID_FRAMES, 0);
    kstr(x, "cat", "frame");
    kint(x, "id", f->frame);
    ktime(x, "ts", f->arrival);
    key(x, "args");
    yajl_gen_map_open(x->g);
    ktime(x, "latency us", f->done - f->arrival);
    if (f->deadline) {
        key(x, "deadline missed");
        yajl_gen_bool(x->g, missed);
    }
    yajl_gen_map_close(x->g);
    end(x);
    begin(x, "e", name, VIZ_PID_FRAMES, 0);
    kstr(x, "cat", "frame");
    kint(x, "id", f->frame);
    ktime(x, "ts", f->done);
    end(x);
    if (missed) {
        snprintf(name, sizeof name, "deadline missed: frame %" PRId64, f->frame);
        begin(x, "i", name, VIZ_PID_FRAMES, 0);
        kstr(x, "s", "g");
        ktime(x, "ts", f->deadline);
        end(x);
    }
    x->counts.frames++;
}

/* ---- open and close ---- */

static void free_writer(viz_export_t *x)
{
    if (x->tl && x->tl->sink == &x->sink)
        x->tl->sink = NULL;
    if (x->g)
        yajl_gen_free(x->g);
    if (x->gzip)
        deflateEnd(&x->z);
    for (int c = 0; c < x->ncounters; c++)
        free(x->counter_names[c]);
    free(x->counter_names);
    free(x->lanes);
    free(x->flows);
    free(x->buf);
    free(x->zbuf);
    free(x->title);
    free(x->o);
    free(x);
}

int viz_export_open_file(viz_export_t **out, FILE *f, int gzip, timeline_t *tl,
                         const char *title, diag_t *d)
{
    viz_export_t *x = calloc(1, sizeof *x);
    *out = NULL;
    if (x == NULL)
        return diag_error(d, "", 0, 0, "out of memory (timeline)");
    x->f = f;
    x->tl = tl;
    x->buf = malloc(BUF_SIZE);
    x->g = yajl_gen_alloc(NULL);
    x->title = title ? strdup(title) : NULL;
    if (gzip) {
        x->zbuf = malloc(BUF_SIZE);
        /* windowBits 15 + 16: a gzip header and trailer around the deflate stream */
        if (x->zbuf && deflateInit2(&x->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                                    Z_DEFAULT_STRATEGY) == Z_OK)
            x->gzip = 1;
    }
    if (x->buf == NULL || x->g == NULL || (title && x->title == NULL) || gzip != x->gzip) {
        free_writer(x);
        return diag_error(d, "", 0, 0, "out of memory (timeline)");
    }
    yajl_gen_config(x->g, yajl_gen_print_callback, put, x);
    yajl_gen_config(x->g, yajl_gen_validate_utf8, 1);
    yajl_gen_map_open(x->g);
    kstr(x, "displayTimeUnit", "ns");
    key(x, "traceEvents");
    yajl_gen_array_open(x->g);
    x->sink = (tl_sink_t){x, on_slice, on_sample, on_flow, on_frame};
    tl->sink = &x->sink;
    *out = x;
    return 0;
}

int viz_export_open(viz_export_t **out, const char *path, timeline_t *tl, const char *title,
                    diag_t *d)
{
    out_t *o = malloc(sizeof *o);
    size_t len = strlen(path);
    int gzip = len > 3 && strcmp(path + len - 3, ".gz") == 0;
    *out = NULL;
    if (o == NULL)
        return diag_error(d, path, 0, 0, "out of memory (timeline)");
    if (out_open(o, path, "timeline", d) != 0) {
        free(o);
        return DIAG_ERR;
    }
    if (viz_export_open_file(out, o->f, gzip, tl, title, d) != 0) {
        out_discard(o);
        free(o);
        return DIAG_ERR;
    }
    (*out)->o = o;
    (*out)->own = 1;
    return 0;
}

viz_export_counts_t viz_export_counts(const viz_export_t *x)
{
    return x->counts;
}

void viz_export_discard(viz_export_t *x)
{
    if (x == NULL)
        return;
    if (x->own)
        out_discard(x->o);
    free_writer(x);
}

int viz_export_close(viz_export_t *x, diag_t *d)
{
    int rc = 0;
    char path[sizeof x->o->path];
    snprintf(path, sizeof path, "%s", x->own ? x->o->path : "");
    put(x, "\n", 1);
    yajl_gen_array_close(x->g);
    key(x, "otherData");
    yajl_gen_map_open(x->g);
    kstr(x, "generator", "orinsim " ORINSIM_VERSION);
    if (x->title)
        kstr(x, "title", x->title);
    yajl_gen_map_close(x->g);
    yajl_gen_map_close(x->g);
    put(x, "\n", 1);
    flush_buf(x);
    if (x->gzip)
        drain(x, NULL, 0, 1);
    if (x->write_failed && !ferror(x->f))
        rc = diag_error(d, path, 0, 0, "internal error: compressing the timeline failed");
    else if (x->tl->failed)
        rc = diag_error(d, path, 0, 0, "internal error: the timeline is incomplete (out of memory)");
    else if (x->inconsistent[0])
        rc = diag_error(d, path, 0, 0, "%s", x->inconsistent);
    if (rc != 0) {
        viz_export_discard(x);
        return rc;
    }
    if (x->own) {
        /* out_close checks every write and says why one failed. */
        rc = out_close(x->o, d);
        x->own = 0;
    } else if (x->write_failed || ferror(x->f)) {
        rc = diag_error(d, "", 0, 0, "writing the timeline failed");
    }
    free_writer(x);
    return rc;
}
