/*
 * Variability: the random streams and distributions (sim/rng.c), their declarations in a
 * trace (soc/trace/trace_vary.c, errors with file:line:column), and what they do to a run
 * (soc/run/vary.c): tails that spread, the same seed giving the same report byte for byte,
 * another seed other tails, deadlines, dropped frames and the arrival processes.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"
#include "soc/report/report.h"
#include "soc/run/replay.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"
#include "fixtures.h"

/* ---- streams and distributions ---- */

/* Moments of n draws. */
static void moments(const sim_rand_t *v, uint64_t stream, int n, double *mean, double *cv)
{
    sim_rng_t r;
    long double s = 0, s2 = 0;
    sim_rng_seed(&r, 1, stream);
    for (int i = 0; i < n; i++) {
        double x = sim_rand_draw(v, &r);
        s += x;
        s2 += (long double)x * x;
    }
    *mean = (double)(s / n);
    *cv = sqrt((double)(s2 / n - (s / n) * (s / n))) / *mean;
}

/* Lognormal by mean and CV: 10^6 draws of mean 2 and CV 0.5 have a sample mean within
 * 3 standard errors (3 x 0.5 x 2 / 1000 = 0.003) of 2, and a CV within 1 %. */
START_TEST(lognormal_moments)
{
    sim_rand_t v = {.kind = RAND_LOGNORMAL, .mean = 2.0, .cv = 0.5};
    double m, cv;
    sim_rand_prepare(&v);
    moments(&v, 7, 1000000, &m, &cv);
    ck_assert_double_eq_tol(m, 2.0, 0.003);
    ck_assert_double_eq_tol(cv, 0.5, 0.005);
}
END_TEST

/* A histogram [0,1) 0.25, [1,3) 0.75: mean 0.25 x 0.5 + 0.75 x 2 = 1.625, and 3/4 of the
 * draws at or above 1. */
START_TEST(histogram_draws)
{
    double edges[] = {0, 1, 3}, cum[] = {0.25, 1.0};
    sim_rand_t v = {.kind = RAND_HISTOGRAM, .nbins = 2, .edges = edges, .cum = cum};
    sim_rng_t r;
    int above = 0, n = 400000;
    sim_rng_seed(&r, 1, 3);
    for (int i = 0; i < n; i++) {
        double x = sim_rand_draw(&v, &r);
        ck_assert(x >= 0 && x < 3);
        above += x >= 1;
    }
    /* binomial sd: sqrt(0.75 x 0.25 / 400000) = 0.00068; 4 sd */
    ck_assert_double_eq_tol((double)above / n, 0.75, 0.003);
    ck_assert_double_eq_tol(sim_rand_mean(&v), 1.625, 1e-12);
}
END_TEST

/* Streams: the same (seed, stream) repeats; another stream or seed does not. */
START_TEST(streams_independent)
{
    sim_rng_t a, b, c, e;
    sim_rng_seed(&a, 1, sim_rng_stream_id("arrival"));
    sim_rng_seed(&b, 1, sim_rng_stream_id("arrival"));
    sim_rng_seed(&c, 1, sim_rng_stream_id("arrival/jitter"));
    sim_rng_seed(&e, 2, sim_rng_stream_id("arrival"));
    for (int i = 0; i < 100; i++) {
        uint64_t x = sim_rng_next(&a);
        ck_assert_uint_eq(x, sim_rng_next(&b));
        ck_assert_uint_ne(x, sim_rng_next(&c));
        ck_assert_uint_ne(x, sim_rng_next(&e));
    }
}
END_TEST

/* ---- declarations ---- */

static void expect_error(const char *yaml, int line, int col, const char *phrase)
{
    trace_t t;
    diag_t d;
    char buf[1024];
    diag_clear(&d);
    ck_assert_msg(trace_parse("t.yaml", yaml, strlen(yaml), &t, &d) != 0, "parsed: %s", yaml);
    diag_format(&d, buf, sizeof buf);
    ck_assert_msg(d.line == line && d.col == col, "expected %d:%d, got %s", line, col, buf);
    ck_assert_msg(strstr(d.msg, phrase) != NULL, "expected '%s' in %s", phrase, buf);
    trace_free(&t);
}

#define CPU_OP(op) "orinsim: 1\ntasks:\n  - id: a\n    engine: cpu\n    ops:\n      - " op "\n"

/* A cpu op on line 6 starting at column 9; the error must point at `at`, the first place
 * that text appears in the op. */
static void expect_op_error(const char *op, const char *at, const char *phrase)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml, CPU_OP("%s"), op);
    expect_error(yaml, 6, 9 + (int)(strstr(op, at) - op), phrase);
}

START_TEST(bad_declarations)
{
    expect_op_error("{op: cpu, duration: {dist: lognormal, mean: 1ms, cv: -0.2}}", "-0.2",
                    "cv = -0.2 is out of range");
    expect_op_error("{op: cpu, duration: {dist: histogram, bins: [1ms, 2ms, 3ms], "
                    "weights: [0.5, 0.4]}}",
                    "[0.5", "histogram weights sum to 0.9, expected 1");
    expect_op_error("{op: cpu, duration: {dist: gamma, mean: 1ms}}", "gamma",
                    "unknown distribution 'gamma'");
    expect_op_error("{op: cpu, duration: {dist: histogram, bins: [1ms, 2ms], weights: [0.5, "
                    "0.5]}}",
                    "[0.5", "2 bin edges make 1 bins, so weights needs 1 values, got 2");
    expect_op_error("{op: cpu, duration: {dist: histogram, bins: [2ms, 1ms], counts: [3]}}",
                    "1ms", "bin edges must increase");
    expect_op_error("{op: cpu, duration: {dist: lognormal, mean: 1ms}}", "{dist",
                    "missing required field 'cv'");
    expect_op_error("{op: cpu, duration: 1ms, work_scale: {dist: uniform, min: 2, max: 1}}",
                    "1}", "max is below min");
    expect_error("orinsim: 1\narrival: {process: jittery}\ntasks: []\n", 2, 20,
                 "unknown arrival process 'jittery'");
    expect_error("orinsim: 1\narrival: {process: periodic, jitter: 1ms}\ntasks: []\n", 2, 20,
                 "periodic arrivals need the trace's period");
    expect_error("orinsim: 1\nperiod: 1ms\narrival: {process: poisson, size: 2}\ntasks: []\n",
                 3, 29, "'size' does not apply to poisson arrivals");
    expect_error("orinsim: 1\noverload: skip\ntasks: []\n", 2, 11, "overload: expected queue");
    expect_error("orinsim: 1\ninterference: [{kind: gpu, every: 1ms, duration: 1ms}]\n"
                 "tasks: []\n", 2, 23, "unknown interference kind 'gpu'");
}
END_TEST

/* An arrival file's errors name the file's own line and column. */
START_TEST(arrival_file_errors)
{
    trace_t t;
    diag_t d;
    char yaml[1024];
    scratch_setup("vary");
    const char *times = scratch_put("times.txt", "0ms\n# a comment\n5ms\n4ms\n");
    (void)times;
    snprintf(yaml, sizeof yaml,
             "orinsim: 1\nframes: 3\narrival: {process: file, file: times.txt}\ntasks:\n"
             "  - {id: a, engine: cpu, ops: [{op: cpu, duration: 1ms}]}\n");
    const char *tp = scratch_put("t.yaml", yaml);
    diag_clear(&d);
    ck_assert_int_ne(trace_load(tp, &t, &d), 0);
    ck_assert_msg(strstr(d.file, "times.txt") && d.line == 4 && d.col == 1, "%s:%d:%d %s",
                  d.file, d.line, d.col, d.msg);
    ck_assert(strstr(d.msg, "before the one on the line above") != NULL);
    trace_free(&t);
    scratch_teardown();
}
END_TEST

/* ---- runs ---- */

typedef struct setup {
    sku_t sku;
    soc_config_t cfg;
} setup_t;

static setup_t *config(const char *name)
{
    setup_t *s = calloc(1, sizeof *s);
    diag_t d;
    diag_clear(&d);
    setenv("ORINSIM_CONFIG_DIR", ORINSIM_SOURCE_DIR "/configs", 1);
    ck_assert_ptr_nonnull(s);
    if (sku_load(name, &s->sku, &d) != 0 || sku_resolve(&s->sku, NULL, &s->cfg, &d) != 0) {
        diag_print(&d);
        ck_abort_msg("cannot load %s", name);
    }
    return s;
}

/* Run and return the JSON report (reproducible) as a string; *r keeps the result. */
static char *run_json(const soc_config_t *cfg, const trace_t *t, int seeded, uint64_t seed,
                      replay_result_t *r)
{
    replay_options_t o = {0};
    report_options_t ro = {.reproducible = 1};
    diag_t d;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    o.seeded = seeded;
    o.seed = seed;
    diag_clear(&d);
    ck_assert_ptr_nonnull(f);
    if (replay_run(cfg, t, &o, r, &d) != 0) {
        diag_print(&d);
        ck_abort_msg("run failed");
    }
    ck_assert_int_eq(report_json(f, cfg, t, r, &ro), 0);
    fclose(f);
    return buf;
}

static void load(const char *rel, trace_t *t)
{
    diag_t d;
    char path[1024];
    diag_clear(&d);
    snprintf(path, sizeof path, "%s/%s", ORINSIM_SOURCE_DIR, rel);
    if (trace_load(path, t, &d) != 0) {
        diag_print(&d);
        ck_abort_msg("cannot load %s", rel);
    }
}

/* The camera pipeline with declared jitter: P99 > P95 > P50 for the frame; the default
 * seed twice gives the same bytes, and naming that seed is the same as leaving it out;
 * seed 2 gives other tails. */
START_TEST(camera_jitter_tails)
{
    setup_t *s = config("nano8");
    trace_t t;
    replay_result_t a, b, c, e;
    char *ja, *jb, *jc, *je;
    load("traces/camera-jitter.yaml", &t);
    ja = run_json(&s->cfg, &t, 0, 0, &a);
    jb = run_json(&s->cfg, &t, 1, SIM_RNG_DEFAULT_SEED, &b);
    jc = run_json(&s->cfg, &t, 1, 2, &c);
    je = run_json(&s->cfg, &t, 0, 0, &e);
    ck_assert_uint_gt(sim_dist_pct(&a.frame_latency, 99), sim_dist_pct(&a.frame_latency, 95));
    ck_assert_uint_gt(sim_dist_pct(&a.frame_latency, 95), sim_dist_pct(&a.frame_latency, 50));
    ck_assert_str_eq(ja, jb);
    ck_assert_str_eq(ja, je);
    ck_assert_str_ne(ja, jc);
    ck_assert_uint_ne(sim_dist_pct(&a.frame_latency, 99), sim_dist_pct(&c.frame_latency, 99));
    free(ja);
    free(jb);
    free(jc);
    free(je);
    replay_result_free(&a);
    replay_result_free(&b);
    replay_result_free(&c);
    replay_result_free(&e);
    trace_free(&t);
    free(s);
}
END_TEST

/* A 2 ms CPU stage released every 1 ms cannot keep up. Queued (max_in_flight 1): frame k
 * arrives at k ms and ends at 2(k+1) ms, so its latency is (k + 2) ms: frame 0 takes 2 ms
 * and every frame misses the 1.5 ms deadline, 10 in a row. Dropped: frame 0 runs 0-2 ms,
 * frame 1 (at 1 ms) is dropped, frame 2 runs 2-4 ms, ...: 5 of 10 run, 5 are dropped,
 * each run frame takes 2 ms and misses. */
START_TEST(misses_and_drops)
{
    setup_t *s = config("agx64");
    char yaml[512];
    trace_t t;
    replay_result_t r;
    char *j;
    diag_t d;
    for (int drop = 0; drop <= 1; drop++) {
        snprintf(yaml, sizeof yaml,
                 "orinsim: 1\nframes: 10\nperiod: 1ms\ndeadline: 1.5ms\noverload: %s\ntasks:\n"
                 "  - {id: a, engine: cpu, deadline: 1.9ms, ops: [{op: cpu, duration: 2ms, "
                 "ref_clock: %.17gHz}]}\n",
                 drop ? "drop" : "queue", s->cfg.cpu_hz);
        diag_clear(&d);
        ck_assert_int_eq(trace_parse("m.yaml", yaml, strlen(yaml), &t, &d), 0);
        j = run_json(&s->cfg, &t, 0, 0, &r);
        ck_assert_int_eq(r.dropped, drop ? 5 : 0);
        ck_assert_int_eq(r.frames_done, drop ? 5 : 10);
        ck_assert_int_eq(r.frame_misses.count, drop ? 5 : 10);
        ck_assert_int_eq(r.frame_misses.longest, drop ? 5 : 10);
        ck_assert_int_eq(r.tasks[0].misses.count, drop ? 5 : 10);   /* 2 ms > 1.9 ms */
        ck_assert_uint_eq(sim_dist_max(&r.frame_latency), (drop ? 2 : 11) * SIM_MS);
        ck_assert_ptr_nonnull(strstr(j, drop ? "\"dropped_frames\": 5" : "\"dropped_frames\": 0"));
        free(j);
        replay_result_free(&r);
        trace_free(&t);
    }
    free(s);
}
END_TEST

/* Bursts of 3 frames 1 ms apart every 10 ms, and arrivals read from a file: the releases
 * follow the declaration. With a 0.5 ms stage nothing queues, so every frame's latency is
 * 0.5 ms and the last frame ends 0.5 ms after it arrives. */
START_TEST(burst_and_file)
{
    setup_t *s = config("agx64");
    char yaml[512];
    trace_t t;
    replay_result_t r;
    diag_t d;
    char *j;
    snprintf(yaml, sizeof yaml,
             "orinsim: 1\nframes: 7\nperiod: 10ms\n"
             "arrival: {process: burst, size: 3, spacing: 1ms}\n"
             "tasks:\n  - {id: a, engine: cpu, ops: [{op: cpu, duration: 0.5ms, ref_clock: "
             "%.17gHz}]}\n", s->cfg.cpu_hz);
    diag_clear(&d);
    ck_assert_int_eq(trace_parse("b.yaml", yaml, strlen(yaml), &t, &d), 0);
    j = run_json(&s->cfg, &t, 0, 0, &r);
    /* frames at 0, 1, 2, 10, 11, 12, 20 ms: the last ends at 20.5 ms */
    ck_assert_uint_eq(r.end, 20 * SIM_MS + SIM_MS / 2);
    ck_assert_uint_eq(sim_dist_max(&r.frame_latency), SIM_MS / 2);
    free(j);
    replay_result_free(&r);
    trace_free(&t);

    scratch_setup("vary-run");
    scratch_put("at.txt", "1ms\n1ms  # two at once\n7.5ms\n");
    snprintf(yaml, sizeof yaml,
             "orinsim: 1\nframes: 3\narrival: {process: file, file: at.txt}\ntasks:\n"
             "  - {id: a, engine: cpu, ops: [{op: cpu, duration: 0.5ms, ref_clock: %.17gHz}]}\n",
             s->cfg.cpu_hz);
    const char *tp = scratch_put("f.yaml", yaml);
    diag_clear(&d);
    ck_assert_int_eq(trace_load(tp, &t, &d), 0);
    j = run_json(&s->cfg, &t, 0, 0, &r);
    /* the second frame at 1 ms waits for the first: 1.0 ms latency; the last ends at 8 ms */
    ck_assert_uint_eq(sim_dist_max(&r.frame_latency), SIM_MS);
    ck_assert_uint_eq(r.end, 8 * SIM_MS);
    free(j);
    replay_result_free(&r);
    trace_free(&t);
    scratch_teardown();
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vary");
    TCase *tc = tcase_create("vary");
    SRunner *sr;
    int failed;
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, lognormal_moments);
    tcase_add_test(tc, histogram_draws);
    tcase_add_test(tc, streams_independent);
    tcase_add_test(tc, bad_declarations);
    tcase_add_test(tc, arrival_file_errors);
    tcase_add_test(tc, camera_jitter_tails);
    tcase_add_test(tc, misses_and_drops);
    tcase_add_test(tc, burst_and_file);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
