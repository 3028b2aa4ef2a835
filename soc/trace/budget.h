/*
 * budget: limits on the metrics of a run, the gates of a CI job.
 *
 * A budget bounds one metric (soc/trace/metric.h) from above or below. Budgets come from the
 * trace's top-level `budgets:` list,
 *
 *     budgets:
 *       - {metric: frame_latency.p99, max: 33ms}
 *       - {metric: throughput_fps, min: 30}
 *
 * or from the command line, `--budget 'frame_latency.p99<=33ms'` (also >=, <, >). A limit
 * is written in a unit of the metric's dimension (a duration for a latency, a plain
 * number for frames/s, % for a utilisation); anything else is bad input, reported with
 * file:line:column. After a run each budget is evaluated against the JSON report, so a
 * budget and the report can never disagree about a number.
 */
#ifndef ORINSIM_BUDGET_H
#define ORINSIM_BUDGET_H

#include <json-c/json.h>
#include <stdio.h>

#include "sim/diag.h"
#include "soc/trace/metric.h"

typedef enum budget_op {
    BUDGET_LE = 0,   /* <=, `max:` in a trace */
    BUDGET_LT,       /* < */
    BUDGET_GE,       /* >=, `min:` in a trace */
    BUDGET_GT        /* > */
} budget_op_t;

typedef struct budget {
    metric_t metric;
    budget_op_t op;
    double limit;          /* in the metric's report unit (metric_unit) */
    int line, col;         /* where the trace gives it; 0 = the command line */
} budget_t;

typedef struct budget_list {
    budget_t *v;
    int n, cap;
} budget_list_t;

typedef enum budget_status {
    BUDGET_PASS = 0,
    BUDGET_FAIL,
    BUDGET_NO_VALUE        /* the report has no value for the metric (bad input) */
} budget_status_t;

/* Parse one command-line budget, "METRIC<=LIMIT" (or >=, <, >; spaces allowed around
 * the operator), and append it to out. */
int budget_parse_arg(const char *arg, budget_list_t *out, diag_t *d);
int budget_list_append(budget_list_t *l, const budget_t *b);
void budget_list_free(budget_list_t *l);

/* Evaluate against a JSON report; *value is the metric's value (unless NO_VALUE). */
budget_status_t budget_eval(const budget_t *b, json_object *report, double *value);
const char *budget_op_str(budget_op_t op);
/* "frame_latency.p99 <= 33 ms" */
void budget_describe(const budget_t *b, char *buf, size_t len);
/* "  pass  frame_latency.p99 <= 33 ms: 4.481 ms" (one line, with newline). */
void budget_print(FILE *out, const budget_t *b, budget_status_t s, double value);
/* One entry of the report's `budgets` array (docs/report.md). `origin` is the trace path
 * for a budget from the trace. */
json_object *budget_json(const budget_t *b, budget_status_t s, double value,
                         const char *origin);

#endif
