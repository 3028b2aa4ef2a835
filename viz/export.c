/*
 * export: Chrome Trace Event JSON from a timeline (see export.h for the layout).
 *
 * The file is streamed: each event is built as a json-c object, printed plain and freed,
 * so a million-slice run does not hold a million objects. Numbers are attached with
 * json_object_new_double_s, which keeps the text we format (fixed decimals for times,
 * %.9g for quantities) instead of json-c's 17-digit default.
 */
#include "viz/export.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "soc/io/out.h"
#include "viz/index.h"

typedef struct writer {
    FILE *out;
    int first;                /* no comma before the first event */
    int failed;
} writer_t;

static json_object *js_time(sim_time_t ps)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%" PRIu64 ".%06" PRIu64, ps / SIM_US, ps % SIM_US);
    return json_object_new_double_s((double)ps / (double)SIM_US, buf);
}

static json_object *js_num(double v)
{
    char buf[48];
    if (v == (double)(int64_t)v && v > -1e15 && v < 1e15)
        return json_object_new_int64((int64_t)v);
    snprintf(buf, sizeof buf, "%.9g", v);
    return json_object_new_double_s(v, buf);
}

static void add(json_object *o, const char *key, json_object *v)
{
    json_object_object_add(o, key, v);
}

/* Print one event object and release it. */
static void emit(writer_t *w, json_object *ev)
{
    const char *s = json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN |
                                                           JSON_C_TO_STRING_NOSLASHESCAPE);
    if (s == NULL || fprintf(w->out, "%s\n%s", w->first ? "" : ",", s) < 0)
        w->failed = 1;
    w->first = 0;
    json_object_put(ev);
}

static json_object *event(const char *ph, const char *name, int pid, int tid)
{
    json_object *ev = json_object_new_object();
    add(ev, "ph", json_object_new_string(ph));
    if (name)
        add(ev, "name", json_object_new_string(name));
    add(ev, "pid", json_object_new_int(pid));
    add(ev, "tid", json_object_new_int(tid));
    return ev;
}

static void meta(writer_t *w, const char *what, int pid, int tid, const char *key,
                 json_object *value)
{
    json_object *ev = event("M", what, pid, tid), *args = json_object_new_object();
    add(args, key, value);
    add(ev, "args", args);
    emit(w, ev);
}

static int lane_pid(const timeline_t *tl, int lane)
{
    return (int)tl->lanes[lane].group + 1;
}

static void write_metadata(writer_t *w, const timeline_t *tl)
{
    int used[TL_GROUP_COUNT] = {0};
    for (int l = 0; l < tl->nlanes; l++)
        used[tl->lanes[l].group] = 1;
    for (int g = 0; g < TL_GROUP_COUNT; g++) {
        if (!used[g])
            continue;
        meta(w, "process_name", g + 1, 0, "name",
             json_object_new_string(timeline_group_name((tl_group_t)g)));
        meta(w, "process_sort_index", g + 1, 0, "sort_index", json_object_new_int(g + 1));
    }
    for (int l = 0; l < tl->nlanes; l++) {
        meta(w, "thread_name", lane_pid(tl, l), l + 1, "name",
             json_object_new_string(timeline_name(tl, tl->lanes[l].name)));
        meta(w, "thread_sort_index", lane_pid(tl, l), l + 1, "sort_index",
             json_object_new_int(l + 1));
    }
    if (tl->ncounters) {
        meta(w, "process_name", VIZ_PID_COUNTERS, 0, "name", json_object_new_string("SoC"));
        meta(w, "process_sort_index", VIZ_PID_COUNTERS, 0, "sort_index",
             json_object_new_int(VIZ_PID_COUNTERS));
    }
    if (tl->nframes) {
        meta(w, "process_name", VIZ_PID_FRAMES, 0, "name", json_object_new_string("Frames"));
        meta(w, "process_sort_index", VIZ_PID_FRAMES, 0, "sort_index",
             json_object_new_int(0));
    }
}

static void write_slice(writer_t *w, const timeline_t *tl, int lane, const tl_slice_t *s)
{
    json_object *ev = event("X", timeline_name(tl, s->name), lane_pid(tl, lane), lane + 1);
    json_object *args = json_object_new_object();
    double dur_s = (double)(s->end - s->start) * 1e-12;
    char cat[16];
    const char *g = timeline_group_name(tl->lanes[lane].group);
    size_t i;
    for (i = 0; g[i] && i + 1 < sizeof cat; i++)
        cat[i] = (char)(g[i] >= 'A' && g[i] <= 'Z' ? g[i] - 'A' + 'a' : g[i]);
    cat[i] = '\0';
    add(ev, "cat", json_object_new_string(cat));
    add(ev, "ts", js_time(s->start));
    add(ev, "dur", js_time(s->end - s->start));
    add(args, "op", json_object_new_string(timeline_name(tl, s->name)));
    add(args, "engine", json_object_new_string(timeline_name(tl, tl->lanes[lane].name)));
    if (s->frame >= 0)
        add(args, "frame", json_object_new_int64(s->frame));
    add(args, "bytes", js_num(s->bytes));
    add(args, "flops", js_num(s->flops));
    if (dur_s > 0) {
        add(args, "achieved GB/s", js_num(s->bytes / dur_s / 1e9));
        add(args, "achieved TFLOPS", js_num(s->flops / dur_s / 1e12));
    }
    add(ev, "args", args);
    emit(w, ev);
}

/* The slice a flow leaves from: the last slice on `lane` that ends at or before `t`. */
static const tl_slice_t *flow_source(const viz_index_t *ix, int lane, sim_time_t t)
{
    size_t k = viz_lane_first_ending_after(ix, lane, t);
    return k > 0 ? viz_lane_slice(ix, lane, k - 1) : NULL;
}

/* The slice a flow arrives at: the first slice of frame `frame` starting at or after `t`,
 * on `lane` or, for a task that took whichever engine of its group was free (`dla`), on
 * another lane of the same group. */
static const tl_slice_t *flow_target(const viz_index_t *ix, int lane, sim_time_t t,
                                     int64_t frame, int *found_lane)
{
    const timeline_t *tl = ix->tl;
    const tl_slice_t *best = NULL;
    for (int pass = 0; pass < 2 && best == NULL; pass++)
        for (int l = 0; l < tl->nlanes; l++) {
            if (pass == 0 ? l != lane : (l == lane || tl->lanes[l].group != tl->lanes[lane].group))
                continue;
            for (size_t k = viz_lane_first_starting_at(ix, l, t), n = 0;
                 k < ix->lanes[l].n && n < 64; k++, n++) {
                const tl_slice_t *s = viz_lane_slice(ix, l, k);
                if (s->frame != frame)
                    continue;
                if (best == NULL || s->start < best->start) {
                    best = s;
                    *found_lane = l;
                }
                break;
            }
        }
    return best;
}

static void write_flows(writer_t *w, const viz_index_t *ix)
{
    const timeline_t *tl = ix->tl;
    for (size_t i = 0; i < tl->nflows; i++) {
        const tl_flow_t *f = &tl->flows[i];
        const tl_slice_t *from, *to;
        int to_lane = f->to_lane;
        json_object *ev;
        if (f->from_lane < 0 || f->from_lane >= tl->nlanes || f->to_lane < 0 ||
            f->to_lane >= tl->nlanes)
            continue;
        from = flow_source(ix, f->from_lane, f->from);
        to = flow_target(ix, f->to_lane, f->to, f->frame, &to_lane);
        if (from == NULL || to == NULL)
            continue;
        /* "s" binds to the slice enclosing its time: one picosecond before the producer
         * ends (or its start, if it lasted no time). "f" with binding point "e" binds to
         * the slice that starts at its time. */
        ev = event("s", "after", lane_pid(tl, f->from_lane), f->from_lane + 1);
        add(ev, "cat", json_object_new_string("dependency"));
        add(ev, "id", json_object_new_int64((int64_t)i + 1));
        add(ev, "ts", js_time(from->end > from->start ? from->end - 1 : from->start));
        emit(w, ev);
        ev = event("f", "after", lane_pid(tl, to_lane), to_lane + 1);
        add(ev, "cat", json_object_new_string("dependency"));
        add(ev, "id", json_object_new_int64((int64_t)i + 1));
        add(ev, "bp", json_object_new_string("e"));
        add(ev, "ts", js_time(to->start));
        emit(w, ev);
    }
}

static void write_counters(writer_t *w, const viz_index_t *ix)
{
    const timeline_t *tl = ix->tl;
    char name[160];
    for (int c = 0; c < tl->ncounters; c++) {
        const char *unit = timeline_name(tl, tl->counters[c].unit);
        snprintf(name, sizeof name, "%s%s%s", timeline_name(tl, tl->counters[c].name),
                 *unit ? " " : "", unit);
        for (size_t k = 0; k < ix->counters[c].n; k++) {
            const tl_sample_t *s = viz_counter_sample(ix, c, k);
            json_object *ev = event("C", name, VIZ_PID_COUNTERS, 0), *args;
            args = json_object_new_object();
            add(ev, "ts", js_time(s->t));
            add(args, "value", js_num(s->value));
            add(ev, "args", args);
            emit(w, ev);
        }
    }
}

static void write_frames(writer_t *w, const timeline_t *tl)
{
    char name[64];
    for (size_t i = 0; i < tl->nframes; i++) {
        const tl_frame_t *f = &tl->frames[i];
        int missed = f->deadline && f->done > f->deadline;
        json_object *ev, *args;
        snprintf(name, sizeof name, "frame %" PRId64, f->frame);
        ev = event("b", name, VIZ_PID_FRAMES, 0);
        add(ev, "cat", json_object_new_string("frame"));
        add(ev, "id", json_object_new_int64(f->frame));
        add(ev, "ts", js_time(f->arrival));
        args = json_object_new_object();
        add(args, "latency us", js_time(f->done - f->arrival));
        if (f->deadline)
            add(args, "deadline missed", json_object_new_boolean(missed));
        add(ev, "args", args);
        emit(w, ev);
        ev = event("e", name, VIZ_PID_FRAMES, 0);
        add(ev, "cat", json_object_new_string("frame"));
        add(ev, "id", json_object_new_int64(f->frame));
        add(ev, "ts", js_time(f->done));
        emit(w, ev);
        if (missed) {
            snprintf(name, sizeof name, "deadline missed: frame %" PRId64, f->frame);
            ev = event("i", name, VIZ_PID_FRAMES, 0);
            add(ev, "s", json_object_new_string("g"));
            add(ev, "ts", js_time(f->deadline));
            emit(w, ev);
        }
    }
}

int viz_export_chrome(FILE *out, const timeline_t *tl, const char *title, diag_t *d)
{
    viz_index_t ix;
    writer_t w = {out, 1, 0};
    json_object *other;
    const char *s;
    if (tl->failed)
        return diag_error(d, "", 0, 0, "internal error: the timeline is incomplete (out of memory)");
    if (viz_index_build(&ix, tl, d) != 0)
        return DIAG_ERR;
    if (viz_index_check(&ix, d) != 0) {
        viz_index_free(&ix);
        return DIAG_ERR;
    }
    if (fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", out) == EOF)
        w.failed = 1;
    write_metadata(&w, tl);
    for (int l = 0; l < tl->nlanes; l++)
        for (size_t k = 0; k < ix.lanes[l].n; k++)
            write_slice(&w, tl, l, viz_lane_slice(&ix, l, k));
    write_flows(&w, &ix);
    write_counters(&w, &ix);
    write_frames(&w, tl);
    other = json_object_new_object();
    add(other, "generator", json_object_new_string("orinsim " ORINSIM_VERSION));
    if (title)
        add(other, "title", json_object_new_string(title));
    s = json_object_to_json_string_ext(other, JSON_C_TO_STRING_PLAIN |
                                                  JSON_C_TO_STRING_NOSLASHESCAPE);
    if (fprintf(out, "\n],\"otherData\":%s}\n", s) < 0)
        w.failed = 1;
    json_object_put(other);
    viz_index_free(&ix);
    if (w.failed || ferror(out))
        return diag_error(d, "", 0, 0, "writing the timeline failed");
    return 0;
}

int viz_export_chrome_path(const char *path, const timeline_t *tl, const char *title,
                           diag_t *d)
{
    out_t o;
    int rc;
    if (out_open(&o, path, "timeline", d) != 0)
        return DIAG_ERR;
    rc = viz_export_chrome(o.f, tl, title, d);
    if (rc != 0 && !ferror(o.f)) {
        out_discard(&o);
        if (d->file[0] == '\0')
            snprintf(d->file, sizeof d->file, "%s", path);
        return rc;
    }
    /* A failed stream: out_close says why, in place of "writing the timeline failed". */
    if (rc != 0)
        diag_clear(d);
    return out_close(&o, d);
}
