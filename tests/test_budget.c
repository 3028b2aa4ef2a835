/*
 * Tests of metrics and budgets (soc/trace/metric.c, soc/trace/budget.c).
 *
 * Metrics are read from JSON reports; the reports here are small hand-written objects
 * with the shape of docs/report.md, so each expected value is the number written in
 * them. Limits are checked against the unit arithmetic they imply (1.5 s = 1500 ms).
 * Budgets in a trace are parsed through trace_parse, as a user's file is, and every bad
 * input must name the line:column of the offending node.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/trace/budget.h"
#include "soc/trace/metric.h"
#include "soc/trace/trace.h"

static const char REPORT[] =
    "{\"report_version\": 1, \"throughput_fps\": 30.0,"
    " \"frame_latency_ms\": {\"mean\": 4.0, \"p50\": 4.0, \"p95\": 4.4, \"p99\": 4.5, \"max\": 5},"
    " \"tasks\": {\"detect\": {\"latency_ms\": {\"p95\": 2.25}},"
    "             \"cam.left\": {\"latency_ms\": {\"p95\": 1.25}}},"
    " \"engines\": {\"gpu\": {\"busy_pct\": 12.5, \"util_pct\": 10, \"tflops\": 0.75}},"
    " \"dram\": {\"avg_gbps\": 2.05, \"peak_gbps\": null}}";

static metric_t lookup_ok(const char *name)
{
    metric_t m;
    char why[1024];
    int rc = metric_lookup(name, &m, why, sizeof why);
    ck_assert_msg(rc == 0, "%s: %s", name, why);
    return m;
}

/* ---- metric names ---- */

START_TEST(metric_fixed_names)
{
    metric_t m = lookup_ok("frame_latency.p99");
    char name[METRIC_NAME_LEN];
    ck_assert_str_eq(m.def->json, "frame_latency_ms.p99");
    ck_assert_int_eq(m.def->dim, METRIC_DURATION);
    ck_assert_int_eq(m.def->sense, METRIC_LOWER_BETTER);
    ck_assert_str_eq(m.key, "");
    m = lookup_ok("throughput_fps");
    ck_assert_int_eq(m.def->dim, METRIC_NUMBER);
    ck_assert_int_eq(m.def->sense, METRIC_HIGHER_BETTER);
    m = lookup_ok("dram.avg_gbps");
    ck_assert_int_eq(m.def->dim, METRIC_BANDWIDTH);
    ck_assert_int_eq(m.def->sense, METRIC_NEUTRAL);
    metric_name(&m, name, sizeof name);
    ck_assert_str_eq(name, "dram.avg_gbps");
}
END_TEST

/* A task id may hold dots: the name is matched by what comes before and after it. */
START_TEST(metric_task_placeholder)
{
    metric_t m = lookup_ok("tasks.cam.left.latency.p95");
    char name[METRIC_NAME_LEN];
    ck_assert_str_eq(m.key, "cam.left");
    ck_assert_str_eq(m.def->name, "tasks.<task>.latency.p95");
    metric_name(&m, name, sizeof name);
    ck_assert_str_eq(name, "tasks.cam.left.latency.p95");
    m = lookup_ok("engines.dla0.busy_pct");
    ck_assert_str_eq(m.key, "dla0");
    ck_assert_int_eq(m.def->dim, METRIC_PERCENT);
}
END_TEST

START_TEST(metric_unknown_lists_names)
{
    metric_t m;
    char why[1024];
    ck_assert_int_eq(metric_lookup("frame_latency.p999", &m, why, sizeof why), -1);
    ck_assert_ptr_nonnull(strstr(why, "unknown metric 'frame_latency.p999'"));
    ck_assert_ptr_nonnull(strstr(why, "frame_latency.p99,"));
    ck_assert_ptr_nonnull(strstr(why, "throughput_fps"));
    ck_assert_ptr_nonnull(strstr(why, "tasks.<task>.latency.p95"));
    /* Power metrics are offered too: a budget on one turns the power model on. */
    ck_assert_ptr_nonnull(strstr(why, "power.module.avg"));
    /* "tasks..latency.p95": an empty task id is no task. */
    ck_assert_int_eq(metric_lookup("tasks..latency.p95", &m, why, sizeof why), -1);
    ck_assert_int_eq(metric_lookup("engines.tpu.busy_pct", &m, why, sizeof why), -1);
    ck_assert_ptr_nonnull(strstr(why, "unknown engine 'tpu'"));
}
END_TEST

START_TEST(metric_needs_power_model)
{
    /* Power and energy metrics resolve and say they need the power model on the run;
     * the others do not. */
    metric_t m;
    char why[1024];
    ck_assert_int_eq(metric_lookup("power.module.avg", &m, why, sizeof why), 0);
    ck_assert_int_eq(metric_needs_power(&m), 1);
    ck_assert_int_eq(metric_lookup("energy_per_frame", &m, why, sizeof why), 0);
    ck_assert_int_eq(metric_needs_power(&m), 1);
    ck_assert_int_eq(metric_lookup("frame_latency.p99", &m, why, sizeof why), 0);
    ck_assert_int_eq(metric_needs_power(&m), 0);
}
END_TEST

/* ---- limits ---- */

static double limit_ok(metric_dim_t dim, const char *text)
{
    double v = -1;
    char why[256];
    int rc = metric_parse_limit(dim, text, &v, why, sizeof why);
    ck_assert_msg(rc == 0, "'%s': %s", text, why);
    return v;
}

static void limit_bad(metric_dim_t dim, const char *text, const char *phrase)
{
    double v;
    char why[256] = "";
    ck_assert_msg(metric_parse_limit(dim, text, &v, why, sizeof why) == -1, "'%s' accepted",
                  text);
    ck_assert_msg(strstr(why, phrase) != NULL, "'%s': '%s' lacks '%s'", text, why, phrase);
}

START_TEST(limits_in_report_units)
{
    /* Durations become ms: 33 ms, 1.5 s = 1500 ms, 500 us = 0.5 ms. */
    ck_assert_double_eq_tol(limit_ok(METRIC_DURATION, "33ms"), 33.0, 1e-12);
    ck_assert_double_eq_tol(limit_ok(METRIC_DURATION, "1.5 s"), 1500.0, 1e-9);
    ck_assert_double_eq_tol(limit_ok(METRIC_DURATION, "500us"), 0.5, 1e-12);
    ck_assert_double_eq(limit_ok(METRIC_NUMBER, "30"), 30.0);
    ck_assert_double_eq(limit_ok(METRIC_PERCENT, "80%"), 80.0);
    ck_assert_double_eq(limit_ok(METRIC_PERCENT, "12.5 %"), 12.5);
    /* Bandwidth becomes GB/s: 50 GB/s = 50; 512 MiB/s = 512 x 2^20 / 1e9 = 0.536870912. */
    ck_assert_double_eq_tol(limit_ok(METRIC_BANDWIDTH, "50GB/s"), 50.0, 1e-12);
    ck_assert_double_eq_tol(limit_ok(METRIC_BANDWIDTH, "512MiB/s"), 0.536870912, 1e-12);
    ck_assert_double_eq(limit_ok(METRIC_POWER, "20W"), 20.0);
    ck_assert_double_eq_tol(limit_ok(METRIC_POWER, "500mW"), 0.5, 1e-12);
    ck_assert_double_eq(limit_ok(METRIC_ENERGY, "0.5J"), 0.5);
    ck_assert_double_eq_tol(limit_ok(METRIC_ENERGY, "300mJ"), 0.3, 1e-12);
}
END_TEST

START_TEST(limits_wrong_unit)
{
    limit_bad(METRIC_DURATION, "33", "missing unit");
    limit_bad(METRIC_DURATION, "33W", "unknown unit 'W'");
    limit_bad(METRIC_NUMBER, "30fps", "plain number");
    limit_bad(METRIC_PERCENT, "80", "missing unit");
    limit_bad(METRIC_PERCENT, "80%%", "percentage");
    limit_bad(METRIC_PERCENT, "-5%", "negative");
    limit_bad(METRIC_BANDWIDTH, "50GB", "unit");
    limit_bad(METRIC_POWER, "20J", "unknown unit 'J'");
    limit_bad(METRIC_ENERGY, "20W", "unknown unit 'W'");
    limit_bad(METRIC_NUMBER, "-1", "negative");
}
END_TEST

/* ---- values from a report ---- */

START_TEST(values_from_report)
{
    json_object *r = json_tokener_parse(REPORT);
    metric_t m;
    double v = 0;
    ck_assert_ptr_nonnull(r);
    m = lookup_ok("frame_latency.p99");
    ck_assert_int_eq(metric_value(&m, r, &v), 0);
    ck_assert_double_eq(v, 4.5);
    m = lookup_ok("frame_latency.max");   /* an integer in the JSON reads as a number */
    ck_assert_int_eq(metric_value(&m, r, &v), 0);
    ck_assert_double_eq(v, 5.0);
    m = lookup_ok("tasks.cam.left.latency.p95");
    ck_assert_int_eq(metric_value(&m, r, &v), 0);
    ck_assert_double_eq(v, 1.25);
    m = lookup_ok("engines.gpu.busy_pct");
    ck_assert_int_eq(metric_value(&m, r, &v), 0);
    ck_assert_double_eq(v, 12.5);
    /* No value: an engine the run did not use, a missing task, a null. */
    m = lookup_ok("engines.dla0.busy_pct");
    ck_assert_int_eq(metric_value(&m, r, &v), -1);
    m = lookup_ok("tasks.ghost.latency.p95");
    ck_assert_int_eq(metric_value(&m, r, &v), -1);
    m = lookup_ok("dram.peak_gbps");
    ck_assert_int_eq(metric_value(&m, r, &v), -1);
    json_object_put(r);
}
END_TEST

START_TEST(expand_task_keys)
{
    json_object *r = json_tokener_parse(REPORT);
    metric_t ms[4];
    metric_t p95 = lookup_ok("tasks.detect.latency.p95");
    /* Two tasks in report order; a fixed metric expands to itself. */
    ck_assert_int_eq(metric_expand(p95.def, r, ms, 4), 2);
    ck_assert_str_eq(ms[0].key, "detect");
    ck_assert_str_eq(ms[1].key, "cam.left");
    ck_assert_int_eq(metric_expand(lookup_ok("throughput_fps").def, r, ms, 4), 1);
    ck_assert_int_eq(metric_expand(p95.def, r, NULL, 0), 2);   /* counting only */
    json_object_put(r);
}
END_TEST

/* ---- budgets from the command line ---- */

static budget_t arg_ok(const char *arg)
{
    budget_list_t l = {0};
    diag_t d;
    budget_t b;
    diag_clear(&d);
    ck_assert_msg(budget_parse_arg(arg, &l, &d) == 0, "%s: %s", arg, d.msg);
    ck_assert_int_eq(l.n, 1);
    b = l.v[0];
    budget_list_free(&l);
    return b;
}

static void arg_bad(const char *arg, const char *phrase)
{
    budget_list_t l = {0};
    diag_t d;
    diag_clear(&d);
    ck_assert_msg(budget_parse_arg(arg, &l, &d) != 0, "'%s' accepted", arg);
    ck_assert_msg(strstr(d.msg, phrase) != NULL, "'%s': '%s' lacks '%s'", arg, d.msg, phrase);
    ck_assert_int_eq(l.n, 0);
    budget_list_free(&l);
}

START_TEST(cli_operators)
{
    budget_t b = arg_ok("frame_latency.p99<=33ms");
    char desc[256];
    ck_assert_int_eq(b.op, BUDGET_LE);
    ck_assert_double_eq_tol(b.limit, 33.0, 1e-12);
    ck_assert_int_eq(b.line, 0);
    budget_describe(&b, desc, sizeof desc);
    ck_assert_str_eq(desc, "frame_latency.p99 <= 33 ms");
    ck_assert_int_eq(arg_ok("throughput_fps >= 30").op, BUDGET_GE);
    ck_assert_int_eq(arg_ok("throughput_fps>30").op, BUDGET_GT);
    b = arg_ok(" engines.gpu.busy_pct < 80 % ");
    ck_assert_int_eq(b.op, BUDGET_LT);
    ck_assert_double_eq(b.limit, 80.0);
    budget_describe(&b, desc, sizeof desc);
    ck_assert_str_eq(desc, "engines.gpu.busy_pct < 80%");
}
END_TEST

START_TEST(cli_syntax_errors)
{
    arg_bad("frame_latency.p99", "expected METRIC<=LIMIT");
    arg_bad("frame_latency.p99=33ms", "'=' is not a budget operator");
    arg_bad("frame_latency.p99=<33ms", "expected one of the operators");
    arg_bad("<=33ms", "missing metric name");
    arg_bad("frame_latency.p99<=", "missing limit");
    arg_bad("frame_latency.p99<=33", "missing unit");
    arg_bad("fps>=30", "unknown metric 'fps'");
    arg_bad("power.module.avg<=20ms", "power");   /* a power limit in a duration unit */
}
END_TEST

/* ---- evaluation ---- */

START_TEST(eval_boundaries)
{
    json_object *r = json_tokener_parse(REPORT);
    budget_t b;
    double v = 0;
    /* p99 is 4.5 ms: a limit equal to the value passes <= and >=, fails < and >. */
    ck_assert_int_eq(budget_eval((b = arg_ok("frame_latency.p99<=4.5ms"), &b), r, &v),
                     BUDGET_PASS);
    ck_assert_double_eq(v, 4.5);
    ck_assert_int_eq(budget_eval((b = arg_ok("frame_latency.p99<4.5ms"), &b), r, &v),
                     BUDGET_FAIL);
    ck_assert_int_eq(budget_eval((b = arg_ok("frame_latency.p99>=4.5ms"), &b), r, &v),
                     BUDGET_PASS);
    ck_assert_int_eq(budget_eval((b = arg_ok("frame_latency.p99>4.5ms"), &b), r, &v),
                     BUDGET_FAIL);
    /* 30 frames/s against a minimum of 60. */
    ck_assert_int_eq(budget_eval((b = arg_ok("throughput_fps>=60"), &b), r, &v), BUDGET_FAIL);
    ck_assert_int_eq(budget_eval((b = arg_ok("engines.cpu.busy_pct<=1%"), &b), r, &v),
                     BUDGET_NO_VALUE);
    json_object_put(r);
}
END_TEST

START_TEST(eval_json_entry)
{
    budget_t b = arg_ok("throughput_fps>=60");
    json_object *o = budget_json(&b, BUDGET_FAIL, 30.0, "x.yaml");
    ck_assert_str_eq(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
                     "{\"metric\":\"throughput_fps\",\"op\":\">=\",\"limit\":60,\"unit\":\"\","
                     "\"value\":30,\"status\":\"fail\",\"source\":\"command line\"}");
    json_object_put(o);
}
END_TEST

/* ---- budgets in a trace ---- */

static const char HEAD[] = "orinsim: 1\n"                                  /* 1 */
                           "tasks:\n"                                      /* 2 */
                           "  - id: detect\n"                              /* 3 */
                           "    engine: gpu\n"                             /* 4 */
                           "    ops:\n"                                    /* 5 */
                           "      - {op: gemm, m: 64, n: 64, k: 64}\n"     /* 6 */
                           "budgets:\n";                                   /* 7 */

static int parse_budgets(const char *tail, trace_t *t, diag_t *d)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, "%s%s", HEAD, tail);
    diag_clear(d);
    return trace_parse("t.yaml", yaml, strlen(yaml), t, d);
}

static void yaml_bad(const char *tail, int line, int col, const char *phrase)
{
    trace_t t;
    diag_t d;
    ck_assert_msg(parse_budgets(tail, &t, &d) != 0, "accepted: %s", tail);
    ck_assert_msg(d.line == line && d.col == col, "%s: at %d:%d, expected %d:%d (%s)", tail,
                  d.line, d.col, line, col, d.msg);
    ck_assert_msg(strstr(d.msg, phrase) != NULL, "'%s' lacks '%s'", d.msg, phrase);
    ck_assert_int_eq(t.budgets.n, 0);
    trace_free(&t);
}

START_TEST(trace_budgets_parsed)
{
    trace_t t;
    diag_t d;
    int rc = parse_budgets("  - {metric: frame_latency.p99, max: 33ms}\n"           /* 8 */
                           "  - {metric: throughput_fps, min: 30, max: 31}\n"       /* 9 */
                           "  - {metric: tasks.detect.latency.p95, max: 1.5s}\n",   /* 10 */
                           &t, &d);
    ck_assert_msg(rc == 0, "%s", d.msg);
    /* Three entries, the second with two bounds: four budgets, max before min. */
    ck_assert_int_eq(t.budgets.n, 4);
    ck_assert_int_eq(t.budgets.v[0].op, BUDGET_LE);
    ck_assert_double_eq_tol(t.budgets.v[0].limit, 33.0, 1e-12);
    ck_assert_int_eq(t.budgets.v[0].line, 8);
    ck_assert_int_eq(t.budgets.v[0].col, 5);
    ck_assert_int_eq(t.budgets.v[1].op, BUDGET_LE);
    ck_assert_double_eq(t.budgets.v[1].limit, 31.0);
    ck_assert_int_eq(t.budgets.v[2].op, BUDGET_GE);
    ck_assert_double_eq(t.budgets.v[2].limit, 30.0);
    ck_assert_str_eq(t.budgets.v[3].metric.key, "detect");
    ck_assert_double_eq_tol(t.budgets.v[3].limit, 1500.0, 1e-9);
    trace_free(&t);
    ck_assert_int_eq(t.budgets.n, 0);
}
END_TEST

START_TEST(trace_budget_errors)
{
    /* Columns: "  - {metric: " puts the metric's value at column 14. */
    yaml_bad("  - {metric: frame_latency.p99, max: 33}\n", 8, 38, "missing unit");
    yaml_bad("  - {metric: frame_latency.p99, max: 33 W}\n", 8, 38, "unknown unit 'W'");
    yaml_bad("  - {metric: throughput_fps, min: 30fps}\n", 8, 35, "plain number");
    yaml_bad("  - {metric: frame_latency.p999, max: 33ms}\n", 8, 14, "unknown metric");
    yaml_bad("  - {metric: power.module.avg, max: 20J}\n", 8, 37, "expected a power");   /* wrong unit */
    yaml_bad("  - {metric: tasks.ghost.latency.p95, max: 1ms}\n", 8, 14,
             "does not have (its tasks: detect)");
    yaml_bad("  - {metric: throughput_fps}\n", 8, 5, "no limit");
    yaml_bad("  - {metric: throughput_fps, maximum: 3}\n", 8, 30, "unknown key 'maximum'");
    yaml_bad("  - {max: 3ms}\n", 8, 5, "missing required field 'metric'");
    yaml_bad("  - {metric: throughput_fps, max: [1, 2]}\n", 8, 35, "expected");
    yaml_bad("  frame_latency.p99: 33ms\n", 8, 3, "a list");
    yaml_bad("  - frame_latency.p99 <= 33ms\n", 8, 5, "expected a mapping");
}
END_TEST

START_TEST(cli_budget_against_trace)
{
    trace_t t;
    diag_t d;
    budget_list_t l = {0};
    ck_assert_int_eq(parse_budgets("  []\n", &t, &d), 0);
    ck_assert_int_eq(budget_parse_arg("tasks.detect.latency.p99<=1ms", &l, &d), 0);
    ck_assert_int_eq(budget_check_trace(&l, &t, &d), 0);
    ck_assert_int_eq(budget_parse_arg("tasks.nms.latency.p99<=1ms", &l, &d), 0);
    ck_assert_int_eq(budget_check_trace(&l, &t, &d), DIAG_ERR);
    ck_assert_ptr_nonnull(strstr(d.msg, "names task 'nms'"));
    budget_list_free(&l);
    trace_free(&t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("budget");
    TCase *m = tcase_create("metric"), *b = tcase_create("budget");
    SRunner *sr;
    int failed;
    tcase_add_test(m, metric_fixed_names);
    tcase_add_test(m, metric_task_placeholder);
    tcase_add_test(m, metric_unknown_lists_names);
    tcase_add_test(m, metric_needs_power_model);
    tcase_add_test(m, limits_in_report_units);
    tcase_add_test(m, limits_wrong_unit);
    tcase_add_test(m, values_from_report);
    tcase_add_test(m, expand_task_keys);
    tcase_add_test(b, cli_operators);
    tcase_add_test(b, cli_syntax_errors);
    tcase_add_test(b, eval_boundaries);
    tcase_add_test(b, eval_json_entry);
    tcase_add_test(b, trace_budgets_parsed);
    tcase_add_test(b, trace_budget_errors);
    tcase_add_test(b, cli_budget_against_trace);
    suite_add_tcase(s, m);
    suite_add_tcase(s, b);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
