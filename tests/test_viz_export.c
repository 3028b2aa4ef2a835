/*
 * The Chrome Trace Event export (viz/export.h), checked the way Perfetto's JSON importer
 * reads it: the file parses, every event has the fields its phase needs, every track has
 * a name, no two complete ("X") events of one track overlap, every flow start has its
 * end and both bind to slices, counters carry numeric values. The check runs on the
 * export of every trace shipped in traces/ (the model zoo included) and tests/data/viz/.
 * Then what the timeline's filters keep (detail levels, a time window, merged and averaged
 * counter samples), counted from the trace and the arithmetic of its period, and the gzip
 * output, inflated with zlib.
 */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>
#include <zlib.h>

#include "soc/run/replay.h"
#include "soc/sku/sku.h"
#include "soc/run/timeline.h"
#include "soc/trace/trace.h"
#include "viz/export.h"

#define SRC ORINSIM_SOURCE_DIR

/* Timestamps are microseconds with six decimals, so two values that should be equal
 * differ by double rounding only (far below 1e-7 us = 0.1 ps at run lengths of hours). */
#define EPS_US 1e-7

typedef struct run {
    sku_t sku;
    soc_config_t cfg;
    trace_t trace;
    timeline_t *tl;
    char *json;               /* the export, streamed while the run went */
    size_t len;
} run_t;

/* What to record: a detail level, a window, gzip. */
typedef struct rec_opt {
    tl_detail_t detail;
    sim_time_t w0, w1;
    sim_time_t bin_ps;
    int gzip;
} rec_opt_t;

#define REC_ALL ((rec_opt_t){TL_DETAIL_SM, 0, SIM_TIME_MAX, 0, 0})

/* An exporter writing into memory; the timeline keeps its records too (for the counts). */
static viz_export_t *export_to_memory(timeline_t *tl, int gzip, FILE **f, char **buf,
                                      size_t *len)
{
    viz_export_t *x;
    diag_t d;
    diag_clear(&d);
    *f = open_memstream(buf, len);
    ck_assert_ptr_nonnull(*f);
    ck_assert_int_eq(viz_export_open_file(&x, *f, gzip, tl, "test", &d), 0);
    tl->keep = 1;
    return x;
}

static void export_finish(viz_export_t *x, FILE *f)
{
    diag_t d;
    diag_clear(&d);
    if (viz_export_close(x, &d) != 0) {
        diag_print(&d);
        ck_abort_msg("export failed");
    }
    fclose(f);
}

/* Replay `rel` (relative to the source tree) on `sku` for at most `frames` frames,
 * recording its timeline with `o` and exporting it. Returns NULL (and prints why) when the
 * trace does not fit the module, e.g. a DLA trace on a Nano. */
static run_t *record_with(const char *path, const char *sku, int64_t frames, rec_opt_t o)
{
    run_t *r = calloc(1, sizeof *r);
    replay_options_t ro = {0};
    replay_result_t res;
    viz_export_t *x;
    FILE *f;
    diag_t d;
    diag_clear(&d);
    ck_assert_ptr_nonnull(r);
    if (sku_load(sku, &r->sku, &d) != 0 || sku_resolve(&r->sku, NULL, &r->cfg, &d) != 0 ||
        trace_load(path, &r->trace, &d) != 0) {
        diag_print(&d);
        ck_abort_msg("cannot load %s on %s", path, sku);
    }
    if (replay_check(&r->cfg, &r->trace, &d) != 0) {
        fprintf(stderr, "skipped on %s: ", sku);
        diag_print(&d);
        trace_free(&r->trace);
        free(r);
        return NULL;
    }
    ro.frames = frames;
    ro.timeline = r->tl = timeline_new();
    ck_assert_ptr_nonnull(r->tl);
    r->tl->detail = o.detail;
    r->tl->win_start = o.w0;
    r->tl->win_end = o.w1;
    r->tl->bin_ps = o.bin_ps;
    x = export_to_memory(r->tl, o.gzip, &f, &r->json, &r->len);
    if (replay_run(&r->cfg, &r->trace, &ro, &res, &d) != 0) {
        diag_print(&d);
        ck_abort_msg("replay of %s failed", path);
    }
    export_finish(x, f);
    replay_result_free(&res);
    return r;
}

static run_t *record(const char *path, const char *sku, int64_t frames)
{
    return record_with(path, sku, frames, REC_ALL);
}

static void run_free(run_t *r)
{
    timeline_free(r->tl);
    trace_free(&r->trace);
    free(r->json);
    free(r);
}

static json_object *field(json_object *o, const char *key)
{
    json_object *v = NULL;
    json_object_object_get_ex(o, key, &v);
    return v;
}

static int is_number(json_object *v)
{
    return v && (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double));
}

typedef struct xev {
    long pid, tid;
    double ts, dur;
} xev_t;

static int by_track_then_ts(const void *a, const void *b)
{
    const xev_t *x = a, *y = b;
    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    if (x->tid != y->tid)
        return x->tid < y->tid ? -1 : 1;
    return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* The complete event of track (pid, tid) that covers `ts` ([ts, ts + dur], or that
 * starts exactly at ts when `starts` is set); -1 if none. */
static long find_slice(const xev_t *x, long n, long pid, long tid, double ts, int starts)
{
    for (long i = 0; i < n; i++) {
        if (x[i].pid != pid || x[i].tid != tid)
            continue;
        if (starts ? fabs(x[i].ts - ts) < EPS_US
                   : (ts >= x[i].ts - EPS_US && ts <= x[i].ts + x[i].dur + EPS_US))
            return i;
    }
    return -1;
}

typedef struct summary {
    long slices, flows, counters, frames, tracks;
} summary_t;

/* Validate a Chrome Trace Event JSON document as Perfetto's importer needs it. */
static summary_t validate(const char *json, const char *what)
{
    json_object *root = json_tokener_parse(json), *events;
    summary_t sum = {0};
    xev_t *x;
    long nx = 0, n;
    char named[64][64] = {{0}};
    ck_assert_msg(root != NULL, "%s: the export does not parse as JSON", what);
    events = field(root, "traceEvents");
    ck_assert_msg(events && json_object_is_type(events, json_type_array), "%s: no traceEvents",
                  what);
    n = (long)json_object_array_length(events);
    x = calloc((size_t)n + 1, sizeof *x);
    ck_assert_ptr_nonnull(x);
    for (long i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(events, (size_t)i);
        json_object *ph = field(e, "ph"), *pid = field(e, "pid"), *tid = field(e, "tid");
        const char *p;
        ck_assert_msg(ph && json_object_is_type(ph, json_type_string), "%s: event %ld has no ph",
                      what, i);
        p = json_object_get_string(ph);
        ck_assert_msg(pid && json_object_is_type(pid, json_type_int) && tid &&
                          json_object_is_type(tid, json_type_int),
                      "%s: event %ld has no integer pid/tid", what, i);
        ck_assert_msg(field(e, "name") && json_object_is_type(field(e, "name"), json_type_string),
                      "%s: event %ld (%s) has no name", what, i, p);
        if (strcmp(p, "M") == 0) {
            long pd = json_object_get_int(pid), td = json_object_get_int(tid);
            ck_assert_msg(field(e, "args") != NULL, "%s: metadata without args", what);
            if (strcmp(json_object_get_string(field(e, "name")), "thread_name") == 0 &&
                pd < 64 && td < 64)
                named[pd][td] = 1;
            if (strcmp(json_object_get_string(field(e, "name")), "process_name") == 0 && pd < 64)
                named[pd][0] = 1;
            continue;
        }
        ck_assert_msg(is_number(field(e, "ts")), "%s: event %ld (%s) has no numeric ts", what, i,
                      p);
        ck_assert_msg(json_object_get_double(field(e, "ts")) >= 0, "%s: negative ts", what);
        if (strcmp(p, "X") == 0) {
            json_object *args = field(e, "args");
            ck_assert_msg(is_number(field(e, "dur")) &&
                              json_object_get_double(field(e, "dur")) >= 0,
                          "%s: X event %ld without a duration", what, i);
            ck_assert_msg(args && is_number(field(args, "bytes")) && is_number(field(args, "flops")) &&
                              field(args, "op") && field(args, "engine"),
                          "%s: X event %ld lacks op/engine/bytes/flops args", what, i);
            x[nx].pid = json_object_get_int(pid);
            x[nx].tid = json_object_get_int(tid);
            x[nx].ts = json_object_get_double(field(e, "ts"));
            x[nx].dur = json_object_get_double(field(e, "dur"));
            nx++;
        } else if (strcmp(p, "C") == 0) {
            json_object *args = field(e, "args");
            ck_assert_msg(args && json_object_object_length(args) > 0, "%s: C without args", what);
            json_object_object_foreach(args, k, v) {
                ck_assert_msg(is_number(v), "%s: counter value %s is not a number", what, k);
            }
            sum.counters++;
        } else if (strcmp(p, "s") == 0 || strcmp(p, "f") == 0) {
            ck_assert_msg(field(e, "id") != NULL && field(e, "cat") != NULL,
                          "%s: flow event without id or cat", what);
        } else if (strcmp(p, "b") == 0 || strcmp(p, "e") == 0) {
            ck_assert_msg(field(e, "id") != NULL && field(e, "cat") != NULL,
                          "%s: async event without id or cat", what);
            sum.frames += p[0] == 'b';
        } else {
            ck_assert_msg(strcmp(p, "i") == 0, "%s: unexpected phase '%s'", what, p);
        }
    }
    /* No overlaps on a track; every track named. */
    qsort(x, (size_t)nx, sizeof *x, by_track_then_ts);
    for (long i = 0; i < nx; i++) {
        ck_assert_msg(x[i].pid < 64 && x[i].tid < 64 && named[x[i].pid][x[i].tid] &&
                          named[x[i].pid][0],
                      "%s: track %ld/%ld has no thread_name or process_name", what, x[i].pid,
                      x[i].tid);
        if (i == 0 || x[i].pid != x[i - 1].pid || x[i].tid != x[i - 1].tid) {
            sum.tracks++;
            continue;
        }
        ck_assert_msg(x[i - 1].ts + x[i - 1].dur <= x[i].ts + EPS_US,
                      "%s: slices overlap on track %ld/%ld: [%.6f +%.6f] and [%.6f]", what,
                      x[i].pid, x[i].tid, x[i - 1].ts, x[i - 1].dur, x[i].ts);
    }
    /* Flows: each "s" has one "f" with its id; "s" inside a slice of its track, "f" at the
     * start of one. */
    for (long i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(events, (size_t)i);
        long id, found = 0;
        if (strcmp(json_object_get_string(field(e, "ph")), "s") != 0)
            continue;
        id = json_object_get_int(field(e, "id"));
        ck_assert_msg(find_slice(x, nx, json_object_get_int(field(e, "pid")),
                                 json_object_get_int(field(e, "tid")),
                                 json_object_get_double(field(e, "ts")), 0) >= 0,
                      "%s: flow %ld starts outside any slice", what, id);
        for (long j = 0; j < n; j++) {
            json_object *f = json_object_array_get_idx(events, (size_t)j);
            if (strcmp(json_object_get_string(field(f, "ph")), "f") != 0 ||
                json_object_get_int(field(f, "id")) != id)
                continue;
            found++;
            ck_assert_msg(find_slice(x, nx, json_object_get_int(field(f, "pid")),
                                     json_object_get_int(field(f, "tid")),
                                     json_object_get_double(field(f, "ts")), 1) >= 0,
                          "%s: flow %ld does not end at the start of a slice", what, id);
            ck_assert_msg(json_object_get_double(field(f, "ts")) + EPS_US >=
                              json_object_get_double(field(e, "ts")),
                          "%s: flow %ld goes back in time", what, id);
        }
        ck_assert_msg(found == 1, "%s: flow %ld has %ld ends", what, id, found);
        sum.flows++;
    }
    sum.slices = nx;
    free(x);
    json_object_put(root);
    return sum;
}

/* A trace file has a line `orinsim: <version>`; other YAML under traces/ (the validation
 * registry) does not. */
static int is_trace(const char *path)
{
    char line[512];
    int found = 0;
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    while (!found && fgets(line, sizeof line, f))
        found = strncmp(line, "orinsim:", 8) == 0;
    fclose(f);
    return found;
}

/* Every shipped trace: replay 3 frames on agx64 (every engine present), export, validate. */
static int export_tree(const char *dir, int *count)
{
    DIR *dp = opendir(dir);
    struct dirent *de;
    char path[2048];
    if (dp == NULL)
        return 0;
    while ((de = readdir(dp)) != NULL) {
        struct stat st;
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            export_tree(path, count);
        } else if (len > 5 && strcmp(de->d_name + len - 5, ".yaml") == 0 && is_trace(path)) {
            run_t *r = record(path, "agx64", 3);
            summary_t s;
            if (r == NULL)
                continue;
            s = validate(r->json, path);
            /* Every recorded slice is exported, and every frame. */
            ck_assert_int_eq(s.slices, (long)r->tl->nslices);
            ck_assert_int_eq(s.frames, (long)r->tl->nframes);
            ck_assert_msg(s.slices > 0, "%s: no slices", path);
            run_free(r);
            (*count)++;
        }
    }
    closedir(dp);
    return 0;
}

START_TEST(every_trace_exports_for_perfetto)
{
    int count = 0;
    export_tree(SRC "/traces", &count);
    export_tree(SRC "/tests/data/viz", &count);
    /* traces/ holds at least the camera detector, 3 scaling and 7 validation traces. */
    ck_assert_int_ge(count, 11);
}
END_TEST

/* The camera pipeline uses every engine: PVA -> DLA0 + DLA1 -> GPU -> CPU. Its export has
 * a track for each, a flow for each `after` edge of each frame, and the DRAM counter. */
START_TEST(camera_pipeline_has_every_engine)
{
    run_t *r = record(SRC "/tests/data/viz/camera-pipeline.yaml", "agx64", 4);
    char *json = r->json;
    summary_t s = validate(json, "camera-pipeline");
    static const char *const lanes[] = {"\"dla0\"", "\"dla1\"", "\"pva: isp\"", "\"gpu: head\"",
                                        "\"cpu: track\""};
    for (size_t i = 0; i < sizeof lanes / sizeof *lanes; i++)
        ck_assert_msg(strstr(json, lanes[i]) != NULL, "no lane %s", lanes[i]);
    /* Edges isp->a, isp->b, a->head, b->head, head->track: 5 per frame, 4 frames. */
    ck_assert_int_eq(s.flows, 20);
    ck_assert_int_ge(s.counters, 2);
    ck_assert_msg(strstr(json, "\"DRAM GB/s\"") != NULL, "no DRAM counter");
    ck_assert_int_eq(s.frames, 4);
    run_free(r);
}
END_TEST

/* Three processes (the contention trace): a "gpu contexts" lane shows who holds the GPU,
 * its stretches back to back with a 25 us "context switch" between holders; a trace of one
 * process has no such lane. */
START_TEST(gpu_contexts_lane)
{
    run_t *r = record(SRC "/traces/validation/contention-conv-together.yaml", "agx64", 3);
    int lane = -1, n = 0, switches = 0;
    sim_time_t last_end = 0;
    for (int i = 0; i < r->tl->nlanes; i++)
        if (strcmp(timeline_name(r->tl, r->tl->lanes[i].name), "gpu contexts") == 0)
            lane = i;
    ck_assert_int_ge(lane, 0);
    for (size_t i = 0; i < r->tl->nslices; i++) {
        const tl_slice_t *s = &r->tl->slices[i];
        if (s->lane != lane)
            continue;
        if (n++ > 0)
            ck_assert(s->start == last_end);   /* the lane has no gaps once the GPU is held */
        last_end = s->end;
        if (strcmp(timeline_name(r->tl, s->name), "context switch") == 0) {
            ck_assert(s->end - s->start == 25000000);   /* configs/agx64.yaml: 25 us */
            switches++;
        }
    }
    ck_assert_int_gt(switches, 0);
    run_free(r);

    r = record(SRC "/traces/camera-detector.yaml", "agx64", 2);
    for (int i = 0; i < r->tl->nlanes; i++)
        ck_assert_str_ne(timeline_name(r->tl, r->tl->lanes[i].name), "gpu contexts");
    run_free(r);
}
END_TEST

/* Times are exact to the picosecond: 1 ps = 0.000001 us; the same run exports the same
 * bytes; strings are escaped. */
/* A synthetic timeline through the exporter: two lanes' worth of records. */
static char *export_synthetic(size_t *len)
{
    timeline_t *tl = timeline_new();
    char *buf = NULL;
    FILE *f;
    viz_export_t *x = export_to_memory(tl, 0, &f, &buf, len);
    int lane = timeline_lane(tl, TL_CPU, "cpu: \"quoted\\lane\"\n");
    int c = timeline_counter(tl, "Power VDD_GPU", "W");
    timeline_slice(tl, lane, "op<1>", 0, 0, 1, 3 * SIM_US + 7, 1e6, 2e9);
    timeline_slice(tl, lane, "op2", 0, 0, 3 * SIM_US + 7, 4 * SIM_US, 0, 0);
    timeline_sample(tl, c, 0, 12.5);
    timeline_frame(tl, 0, 0, 4 * SIM_US, 2 * SIM_US);
    timeline_end(tl, 4 * SIM_US);
    export_finish(x, f);
    timeline_free(tl);
    return buf;
}

/* Times are exact to the picosecond: 1 ps = 0.000001 us; the same run exports the same
 * bytes; strings are escaped. */
START_TEST(exact_deterministic_escaped)
{
    size_t na, nb;
    char *a = export_synthetic(&na), *b = export_synthetic(&nb);
    ck_assert_uint_eq(na, nb);
    ck_assert_int_eq(memcmp(a, b, na), 0);
    validate(a, "synthetic");
    ck_assert_msg(strstr(a, "\"ts\":0.000001,\"dur\":3.000006") != NULL, "ps lost: %s", a);
    ck_assert_msg(strstr(a, "\"ts\":3.000007,\"dur\":0.999993") != NULL, "ps lost: %s", a);
    ck_assert_msg(strstr(a, "cpu: \\\"quoted\\\\lane\\\"\\n") != NULL, "not escaped: %s", a);
    /* 1e6 bytes in 3.000006 us = 333.33 GB/s; 2e9 flops in it = 666.67 TFLOPS. */
    ck_assert_msg(strstr(a, "\"achieved GB/s\":333.332667") != NULL, "rate: %s", a);
    ck_assert_msg(strstr(a, "\"Power VDD_GPU W\"") != NULL, "counter name: %s", a);
    /* Done at 4 us, deadline 2 us: a missed deadline marker at 2 us. */
    ck_assert_msg(strstr(a, "\"name\":\"deadline missed: frame 0\"") != NULL, "no miss: %s", a);
    free(a);
    free(b);
}
END_TEST

/* Overlapping slices on one lane would make Perfetto drop or nest them: the export
 * refuses them, as an internal error naming the lane. */
START_TEST(overlap_is_refused)
{
    timeline_t *tl = timeline_new();
    int lane = timeline_lane(tl, TL_GPU, "gpu: a");
    FILE *f = fopen("/dev/null", "w");
    viz_export_t *x;
    diag_t d;
    diag_clear(&d);
    ck_assert_int_eq(viz_export_open_file(&x, f, 0, tl, NULL, &d), 0);
    timeline_slice(tl, lane, "x", 0, 0, 0, 10, 0, 0);
    timeline_slice(tl, lane, "y", 0, 0, 9, 20, 0, 0);
    ck_assert_int_eq(viz_export_close(x, &d), DIAG_ERR);
    ck_assert_msg(strstr(d.msg, "overlap") && strstr(d.msg, "gpu: a") &&
                      strstr(d.msg, "internal error"), "%s", d.msg);
    fclose(f);
    timeline_free(tl);
}
END_TEST

START_TEST(unwritable_path_is_an_error)
{
    timeline_t *tl = timeline_new();
    viz_export_t *x;
    diag_t d;
    diag_clear(&d);
    ck_assert_int_eq(viz_export_open(&x, "/nonexistent-dir/x.json", tl, NULL, &d), DIAG_ERR);
    ck_assert_str_eq(d.file, "/nonexistent-dir/x.json");
    ck_assert_ptr_null(tl->sink);
    timeline_free(tl);
}
END_TEST

/* Count the complete events of the export whose lane group is `pid` (0: all). */
static long count_ph(const char *json, const char *ph, long pid)
{
    json_object *root = json_tokener_parse(json), *ev = field(root, "traceEvents");
    long n = 0;
    ck_assert_ptr_nonnull(root);
    for (size_t i = 0; i < json_object_array_length(ev); i++) {
        json_object *e = json_object_array_get_idx(ev, i);
        if (strcmp(json_object_get_string(field(e, "ph")), ph) == 0 &&
            (pid == 0 || json_object_get_int(field(e, "pid")) == pid))
            n++;
    }
    json_object_put(root);
    return n;
}

/* traces/camera-detector.yaml: capture (CPU, 1 op) -> preprocess (GPU, 2 kernels) ->
 * detector (GPU: stem, conv, 2 + conv, 4 + conv, 4 + conv, 2 x 3 bottleneck convs,
 * upsample-concat, 2 convs, head, sigmoid = 1+1+2+1+4+1+4+1+6+1+2+1+1 = 26 kernels) ->
 * nms (GPU, 1 kernel) -> control (CPU, 1 op): per frame 29 GPU kernels + 2 CPU ops = 31
 * steps, 5 tasks, 4 `after` edges. */
START_TEST(detail_levels_keep_what_they_say)
{
    const char *path = SRC "/traces/camera-detector.yaml";
    enum { N = 6 };
    rec_opt_t o = REC_ALL;
    run_t *r;
    long sm;
    o.detail = TL_DETAIL_FRAMES;
    r = record_with(path, "agx64", N, o);
    validate(r->json, "frames");
    ck_assert_int_eq(count_ph(r->json, "X", 0), 0);      /* no slices, no flows */
    ck_assert_int_eq(count_ph(r->json, "s", 0), 0);
    ck_assert_int_eq(count_ph(r->json, "b", 0), N);
    ck_assert_int_gt(count_ph(r->json, "C", 0), 0);
    run_free(r);

    /* tasks: one slice per task and frame (each task runs on one engine, its steps back
     * to back), named by the task; no flows */
    o.detail = TL_DETAIL_TASKS;
    r = record_with(path, "agx64", N, o);
    validate(r->json, "tasks");
    ck_assert_int_eq(count_ph(r->json, "X", 0), 5 * N);
    ck_assert_int_eq(count_ph(r->json, "X", 1), 3 * N);  /* pid 1 GPU: 3 GPU tasks */
    ck_assert_int_eq(count_ph(r->json, "s", 0), 0);
    ck_assert_msg(strstr(r->json, "\"name\":\"detector\"") != NULL, "no task slice");
    run_free(r);

    /* kernels: every step, the flows */
    o.detail = TL_DETAIL_KERNELS;
    r = record_with(path, "agx64", N, o);
    ck_assert_int_eq(validate(r->json, "kernels").flows, 4 * N);
    ck_assert_int_eq(count_ph(r->json, "X", 0), 31 * N);
    ck_assert_int_eq(count_ph(r->json, "X", 1), 29 * N);
    ck_assert_int_eq(count_ph(r->json, "X", 2), 0);       /* pid 2: SM lanes */
    run_free(r);

    /* sm: the same steps plus the SMs' busy stretches */
    o.detail = TL_DETAIL_SM;
    r = record_with(path, "agx64", N, o);
    validate(r->json, "sm");
    sm = count_ph(r->json, "X", 2);
    ck_assert_int_gt(sm, 0);
    ck_assert_int_eq(count_ph(r->json, "X", 0) - sm, 31 * N);
    run_free(r);
}
END_TEST

/* A window keeps what overlaps it. camera-detector on agx64: frame k arrives at
 * k x 33.333 ms and takes about 4.5 ms (well under one period). The window
 * [200 ms, 400 ms) holds the frames with done > 200 ms (k x 33.333 + 4.5 > 200: k >= 6)
 * and arrival < 400 ms (k x 33.333 < 400: k <= 12, since 12 x 33.333 = 399.996): frames
 * 6 to 12, 7 of them. Its slices are the unwindowed run's slices that overlap the window,
 * and every counter sample lies inside it, the first at 200 ms. */
START_TEST(window_keeps_what_overlaps)
{
    const char *path = SRC "/traces/camera-detector.yaml";
    rec_opt_t o = REC_ALL;
    run_t *all, *win;
    long expect = 0, nx = 0;
    json_object *root, *ev;
    double first_c = 1e30;
    o.detail = TL_DETAIL_KERNELS;
    all = record_with(path, "agx64", 20, o);
    o.w0 = 200 * SIM_MS;
    o.w1 = 400 * SIM_MS;
    win = record_with(path, "agx64", 20, o);
    validate(win->json, "window");
    root = json_tokener_parse(all->json);
    ev = field(root, "traceEvents");
    for (size_t i = 0; i < json_object_array_length(ev); i++) {
        json_object *e = json_object_array_get_idx(ev, i);
        double ts, dur;
        if (strcmp(json_object_get_string(field(e, "ph")), "X") != 0)
            continue;
        ts = json_object_get_double(field(e, "ts"));
        dur = json_object_get_double(field(e, "dur"));
        expect += ts < 200000.0 && ts + dur > 200000.0;
        expect += ts >= 200000.0 && ts < 400000.0;
    }
    json_object_put(root);
    root = json_tokener_parse(win->json);
    ev = field(root, "traceEvents");
    for (size_t i = 0; i < json_object_array_length(ev); i++) {
        json_object *e = json_object_array_get_idx(ev, i);
        const char *ph = json_object_get_string(field(e, "ph"));
        if (strcmp(ph, "X") == 0)
            nx++;
        if (strcmp(ph, "b") == 0) {
            int id = json_object_get_int(field(e, "id"));
            ck_assert_msg(id >= 6 && id <= 12, "frame %d outside the window", id);
        }
        if (strcmp(ph, "C") == 0) {
            double ts = json_object_get_double(field(e, "ts"));
            ck_assert(ts >= 200000.0 && ts < 400000.0);
            if (ts < first_c)
                first_c = ts;
        }
    }
    json_object_put(root);
    ck_assert_int_eq(count_ph(win->json, "b", 0), 7);
    ck_assert_int_gt(expect, 0);
    ck_assert_int_eq(nx, expect);
    ck_assert_double_eq_tol(first_c, 200000.0, EPS_US);
    run_free(all);
    run_free(win);
}
END_TEST

/* Counter samples: equal values merge, the last of one instant wins; a rate counter with
 * bins of 10 ps averages: value 10 on [0, 5), 0 on [5, 25), 4 from 25 to the end at 40:
 * bins [0,10) (10x5 + 0x5)/10 = 5, [10,20) 0, [20,30) (0x5 + 4x5)/10 = 2, [30,40) 4. */
START_TEST(counter_samples_merge_and_average)
{
    timeline_t *tl = timeline_new();
    int c = timeline_counter(tl, "power", "W"), r;
    timeline_sample(tl, c, 0, 1);
    timeline_sample(tl, c, 1, 1);      /* no change: merged */
    timeline_sample(tl, c, 2, 7);      /* replaced at the same instant */
    timeline_sample(tl, c, 2, 2);
    timeline_sample(tl, c, 3, 2);      /* no change */
    timeline_sample(tl, c, 4, 3);
    timeline_end(tl, 10);
    ck_assert_uint_eq(tl->nsamples, 3);
    ck_assert(tl->samples[0].t == 0 && tl->samples[0].value == 1);
    ck_assert(tl->samples[1].t == 2 && tl->samples[1].value == 2);
    ck_assert(tl->samples[2].t == 4 && tl->samples[2].value == 3);
    timeline_free(tl);

    tl = timeline_new();
    tl->bin_ps = 10;
    r = timeline_rate_counter(tl, "DRAM", "GB/s");
    timeline_sample(tl, r, 0, 10);
    timeline_sample(tl, r, 5, 0);
    timeline_sample(tl, r, 25, 4);
    timeline_end(tl, 40);
    ck_assert_uint_eq(tl->nsamples, 4);
    ck_assert(tl->samples[0].t == 0 && tl->samples[0].value == 5);
    ck_assert(tl->samples[1].t == 10 && tl->samples[1].value == 0);
    ck_assert(tl->samples[2].t == 20 && tl->samples[2].value == 2);
    ck_assert(tl->samples[3].t == 30 && tl->samples[3].value == 4);
    timeline_free(tl);
}
END_TEST

/* A ".gz" export is gzip: zlib inflates it to the bytes of the plain export. */
START_TEST(gzip_round_trips)
{
    const char *path = SRC "/tests/data/viz/camera-pipeline.yaml";
    rec_opt_t o = REC_ALL;
    run_t *plain = record_with(path, "agx64", 4, o), *gz;
    z_stream z;
    unsigned char *out = malloc(plain->len + 1);
    o.gzip = 1;
    gz = record_with(path, "agx64", 4, o);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_gt(gz->len, 18);
    ck_assert(gz->len < plain->len);
    ck_assert_uint_eq((unsigned char)gz->json[0], 0x1f);    /* gzip magic */
    ck_assert_uint_eq((unsigned char)gz->json[1], 0x8b);
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = (unsigned char *)gz->json;
    z.avail_in = (uInt)gz->len;
    z.next_out = out;
    z.avail_out = (uInt)plain->len + 1;
    ck_assert_int_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
    ck_assert_uint_eq(z.total_out, plain->len);
    ck_assert_int_eq(memcmp(out, plain->json, plain->len), 0);
    inflateEnd(&z);
    free(out);
    run_free(plain);
    run_free(gz);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("viz_export");
    TCase *tc = tcase_create("export");
    SRunner *sr;
    int failed;
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, every_trace_exports_for_perfetto);
    tcase_add_test(tc, camera_pipeline_has_every_engine);
    tcase_add_test(tc, gpu_contexts_lane);
    tcase_add_test(tc, exact_deterministic_escaped);
    tcase_add_test(tc, overlap_is_refused);
    tcase_add_test(tc, unwritable_path_is_an_error);
    tcase_add_test(tc, detail_levels_keep_what_they_say);
    tcase_add_test(tc, window_keeps_what_overlaps);
    tcase_add_test(tc, counter_samples_merge_and_average);
    tcase_add_test(tc, gzip_round_trips);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
