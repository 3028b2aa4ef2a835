/*
 * Tests of `orinsim diff` (soc/report/diff.c) on small hand-written reports.
 *
 * Changes are relative to the base: a p99 going from 10 ms to 11 ms is +10%, past a 5%
 * threshold and within a 20% one. Latency up and throughput down are regressions; the
 * reverse are improvements; DRAM bandwidth is listed but never flagged. Files that are
 * not reports must be refused with the file's name (and line:column for bad JSON).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "soc/report/diff.h"

/* A report with the given p99 (ms), fps and DRAM average (GB/s); `extra` adds fields. */
static json_object *report(int version, double p99, double fps, double gbps, const char *extra)
{
    char buf[1024];
    json_object *o;
    snprintf(buf, sizeof buf,
             "{\"report_version\": %d, \"name\": \"t\", \"sku\": \"agx32\", \"mode\": \"30W\","
             " \"throughput_fps\": %.9g, \"frame_latency_ms\": {\"p99\": %.9g},"
             " \"tasks\": {\"a\": {\"latency_ms\": {\"p95\": 1.5}}%s},"
             " \"dram\": {\"avg_gbps\": %.9g}}",
             version, fps, p99, extra ? extra : "", gbps);
    o = json_tokener_parse(buf);
    ck_assert_ptr_nonnull(o);
    return o;
}

typedef struct outcome {
    int rc;
    char text[8192];
    diag_t d;
} outcome_t;

static outcome_t run_diff(json_object *b, json_object *c, double thr)
{
    outcome_t o;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    diag_clear(&o.d);
    o.rc = diff_reports(f, b, "base.json", c, "new.json", thr, &o.d);
    fclose(f);
    snprintf(o.text, sizeof o.text, "%s", buf);
    free(buf);
    json_object_put(b);
    json_object_put(c);
    return o;
}

/* The table row of a metric, or NULL. */
static const char *row(const outcome_t *o, const char *metric)
{
    static char line[512];
    const char *p = o->text;
    size_t n = strlen(metric);
    while ((p = strstr(p, metric)) != NULL) {
        if ((p == o->text || p[-1] == '\n') && p[n] == ' ') {
            size_t l = strcspn(p, "\n");
            snprintf(line, sizeof line, "%.*s", (int)l, p);
            return line;
        }
        p += n;
    }
    return NULL;
}

START_TEST(same_inputs_no_change)
{
    outcome_t o = run_diff(report(1, 10, 30, 2, NULL), report(1, 10, 30, 2, NULL), 5);
    ck_assert_int_eq(o.rc, 0);
    /* p99, fps, one task p95, DRAM average: 4 metrics, none changed, no table. */
    ck_assert_ptr_nonnull(strstr(o.text, "4 metrics compared, none changed"));
    ck_assert_ptr_null(row(&o, "frame_latency.p99"));
}
END_TEST

START_TEST(latency_up_is_regression)
{
    /* 10 -> 11 ms is +10%: past 5%, a regression. */
    outcome_t o = run_diff(report(1, 10, 30, 2, NULL), report(1, 11, 30, 2, NULL), 5);
    const char *r;
    ck_assert_int_eq(o.rc, 1);
    r = row(&o, "frame_latency.p99");
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_nonnull(strstr(r, "+10.00%"));
    ck_assert_ptr_nonnull(strstr(r, "regression"));
    /* Within a 20% threshold: listed as changed, not flagged. */
    o = run_diff(report(1, 10, 30, 2, NULL), report(1, 11, 30, 2, NULL), 20);
    ck_assert_int_eq(o.rc, 0);
    r = row(&o, "frame_latency.p99");
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_null(strstr(r, "regression"));
}
END_TEST

START_TEST(throughput_sense)
{
    /* 30 -> 27 fps is -10%: lower throughput is worse. 30 -> 33 is +10%: better. */
    outcome_t o = run_diff(report(1, 10, 30, 2, NULL), report(1, 10, 27, 2, NULL), 5);
    ck_assert_int_eq(o.rc, 1);
    ck_assert_ptr_nonnull(strstr(row(&o, "throughput_fps"), "regression"));
    o = run_diff(report(1, 10, 30, 2, NULL), report(1, 9, 33, 2, NULL), 5);
    ck_assert_int_eq(o.rc, 0);
    ck_assert_ptr_nonnull(strstr(row(&o, "throughput_fps"), "improvement"));
    ck_assert_ptr_nonnull(strstr(row(&o, "frame_latency.p99"), "improvement"));
    ck_assert_ptr_nonnull(strstr(o.text, "0 regressions and 2 improvements past 5%"));
}
END_TEST

START_TEST(bandwidth_never_flagged)
{
    /* DRAM 2 -> 4 GB/s is +100%, listed but neither better nor worse. */
    outcome_t o = run_diff(report(1, 10, 30, 2, NULL), report(1, 10, 30, 4, NULL), 5);
    const char *r = row(&o, "dram.avg_gbps");
    ck_assert_int_eq(o.rc, 0);
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_nonnull(strstr(r, "+100.00%"));
    ck_assert_ptr_null(strstr(r, "regression"));
    ck_assert_ptr_null(strstr(r, "improvement"));
}
END_TEST

START_TEST(zero_base_and_missing_tasks)
{
    /* From 0 ms any rise is an infinite change; a task only in the new report is listed
     * but is no regression. */
    outcome_t o = run_diff(report(1, 0, 30, 2, NULL),
                           report(1, 1, 30, 2, ", \"b\": {\"latency_ms\": {\"p95\": 9}}"), 5);
    ck_assert_int_eq(o.rc, 1);
    ck_assert_ptr_nonnull(strstr(row(&o, "frame_latency.p99"), "+inf%"));
    ck_assert_ptr_nonnull(strstr(row(&o, "tasks.b.latency.p95"), "only in new"));
}
END_TEST

START_TEST(incomparable_reports)
{
    json_object *arr;
    outcome_t o = run_diff(report(1, 10, 30, 2, NULL), report(2, 10, 30, 2, NULL), 5);
    ck_assert_int_eq(o.rc, DIAG_ERR);
    ck_assert_ptr_nonnull(strstr(o.d.msg, "report_version 1 but new.json is report_version 2"));
    arr = json_object_new_array();
    json_object_array_add(arr, report(1, 10, 30, 2, NULL));
    o = run_diff(report(1, 10, 30, 2, NULL), arr, 5);
    ck_assert_int_eq(o.rc, DIAG_ERR);
    ck_assert_ptr_nonnull(strstr(o.d.msg, "a batch with a batch"));
}
END_TEST

START_TEST(batches_run_by_run)
{
    /* Two runs each; only the second regresses (fps 30 -> 20, -33%). */
    json_object *b = json_object_new_array(), *c = json_object_new_array(), *short_arr;
    outcome_t o;
    json_object_array_add(b, report(1, 10, 30, 2, NULL));
    json_object_array_add(b, report(1, 10, 30, 2, NULL));
    json_object_array_add(c, report(1, 10, 30, 2, NULL));
    json_object_array_add(c, report(1, 10, 20, 2, NULL));
    o = run_diff(json_object_get(b), c, 5);
    ck_assert_int_eq(o.rc, 1);
    ck_assert_ptr_nonnull(strstr(o.text, "run 2 of 2"));
    short_arr = json_object_new_array();
    json_object_array_add(short_arr, report(1, 10, 30, 2, NULL));
    o = run_diff(b, short_arr, 5);
    ck_assert_int_eq(o.rc, DIAG_ERR);
    ck_assert_ptr_nonnull(strstr(o.d.msg, "has 2 runs but new.json has 1"));
}
END_TEST

/* ---- loading ---- */

static void load_bad(const char *content, const char *phrase, int line, int col)
{
    char path[] = "/tmp/orinsim-diff-XXXXXX";
    int fd = mkstemp(path);
    json_object *o = (json_object *)1;
    diag_t d;
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
    close(fd);
    diag_clear(&d);
    ck_assert_int_eq(diff_load(path, &o, &d), DIAG_ERR);
    ck_assert_ptr_null(o);
    ck_assert_str_eq(d.file, path);
    ck_assert_msg(strstr(d.msg, phrase) != NULL, "'%s' lacks '%s'", d.msg, phrase);
    ck_assert_msg(d.line == line && d.col == col, "at %d:%d, expected %d:%d", d.line, d.col,
                  line, col);
    unlink(path);
}

START_TEST(load_errors)
{
    load_bad("", "empty", 0, 0);
    load_bad("{\"report_version\": 1,\n  \"x\": }", "not JSON", 2, 8);
    load_bad("{\"report_version\": 1} {}", "text after the report", 1, 23);
    load_bad("{\"name\": \"x\"}", "no integer report_version", 0, 0);
    load_bad("{\"report_version\": \"1\"}", "no integer report_version", 0, 0);
    load_bad("[]", "empty array", 0, 0);
    load_bad("[{\"report_version\": 1}, {\"report_version\": 2}]", "mixes", 0, 0);
    load_bad("42", "expected a JSON object", 0, 0);
}
END_TEST

START_TEST(load_ok_and_missing)
{
    json_object *o;
    diag_t d;
    diag_clear(&d);
    ck_assert_int_eq(diff_load(ORINSIM_SOURCE_DIR "/tests/golden/camera-detector.agx32.30W.json",
                               &o, &d), 0);
    ck_assert_int_eq(diff_report_version(o), 1);
    json_object_put(o);
    ck_assert_int_eq(diff_load("/nonexistent/report.json", &o, &d), DIAG_ERR);
    ck_assert_ptr_nonnull(strstr(d.msg, "cannot open"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("diff");
    TCase *tc = tcase_create("diff");
    SRunner *sr;
    int failed;
    tcase_add_test(tc, same_inputs_no_change);
    tcase_add_test(tc, latency_up_is_regression);
    tcase_add_test(tc, throughput_sense);
    tcase_add_test(tc, bandwidth_never_flagged);
    tcase_add_test(tc, zero_base_and_missing_tasks);
    tcase_add_test(tc, incomparable_reports);
    tcase_add_test(tc, batches_run_by_run);
    tcase_add_test(tc, load_errors);
    tcase_add_test(tc, load_ok_and_missing);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
