/*
 * metric: the quantities of a run that budgets and `orinsim diff` can name.
 *
 * A metric is named after the JSON report (docs/report.md) that holds it, without the
 * unit suffix: `frame_latency.p99` is `frame_latency_ms.p99`, `tasks.detect.latency.p95`
 * is `tasks.detect.latency_ms.p95`. Every metric is read from a report's JSON object,
 * never from the simulator's internals, so a budget, a diff and a user's own script
 * reading the JSON always agree on what a number means.
 *
 * The table in metric.c is the one place that lists metrics: its name, where it lives
 * in the JSON, its dimension (which fixes the units a limit may be written in), and
 * whether higher or lower is better. A name may hold one placeholder, `<task>` (a task
 * id of the trace) or `<engine>` (gpu, dla0, dla1, dla, pva, cpu).
 */
#ifndef ORINSIM_METRIC_H
#define ORINSIM_METRIC_H

#include <json-c/json.h>
#include <stddef.h>

#define METRIC_KEY_LEN 64      /* a task id or engine name (TRACE_ID_LEN) */
#define METRIC_NAME_LEN 160    /* a full metric name */

typedef enum metric_dim {
    METRIC_DURATION,    /* reported in ms; limits take a duration unit: 33ms, 1.5s */
    METRIC_NUMBER,      /* a plain number: frames/s, TFLOP/s */
    METRIC_PERCENT,     /* 0 to 100; limits are written with %: 80% */
    METRIC_BANDWIDTH,   /* reported in GB/s; limits take a bandwidth unit: 50GB/s */
    METRIC_POWER,       /* W; limits 20W, 500mW */
    METRIC_ENERGY       /* J; limits 0.5J, 300mJ */
} metric_dim_t;

typedef enum metric_sense {
    METRIC_LOWER_BETTER,    /* latencies, power, energy */
    METRIC_HIGHER_BETTER,   /* throughput */
    METRIC_NEUTRAL          /* utilisation, bandwidth: neither direction is a regression */
} metric_sense_t;

typedef struct metric_def {
    const char *name;       /* "frame_latency.p99", "tasks.<task>.latency.p95" */
    const char *json;       /* "frame_latency_ms.p99", same placeholder */
    metric_dim_t dim;
    metric_sense_t sense;
} metric_def_t;

typedef struct metric {
    const metric_def_t *def;
    char key[METRIC_KEY_LEN];   /* what the placeholder stands for; "" if none */
} metric_t;

/* Resolve a metric name. Returns 0, or -1 if the name is unknown (why lists the valid
 * names). A `<task>` key is only checked for shape here: whether the trace has that
 * task is the caller's check (budget_check_trace). */
int metric_lookup(const char *name, metric_t *out, char *why, size_t whylen);
/* The full name: "tasks.detect.latency.p95". */
void metric_name(const metric_t *m, char *buf, size_t len);
/* The metric's value in a report (a JSON object of report_version 1), in the unit of
 * metric_unit. Returns 0, or -1 if the report has no value for it (an engine the trace
 * does not use, a task it does not have, a null). */
int metric_value(const metric_t *m, json_object *report, double *out);
/* What a report holds where a metric would be: the reader of a report (diff) tells a
 * value from a null (the run had none), from a key that is not there, and from a broken
 * report (a string, a boolean, NaN where a number belongs, a parent that is not an
 * object). */
typedef enum {
    METRIC_HAS_VALUE,   /* a finite number */
    METRIC_NULL,        /* null */
    METRIC_NO_KEY,      /* the parent object lacks the key */
    METRIC_NO_PARENT,   /* no parent object (an optional section: power, an engine) */
    METRIC_NOT_NUMBER,  /* anything else at the key */
    METRIC_BAD_PARENT   /* the parent is not an object */
} metric_presence_t;
metric_presence_t metric_presence(const metric_t *m, json_object *report);

/* Parse a limit written with a unit of the metric's dimension ("33ms", "20W", "80%",
 * "30"), into the metric's report unit (ms, W, %, ...). Returns 0, or -1 with why. */
int metric_parse_limit(metric_dim_t dim, const char *text, double *out, char *why,
                       size_t whylen);
/* The report unit of a dimension: "ms", "", "%", "GB/s", "W", "J". */
const char *metric_unit(metric_dim_t dim);
/* A value with its unit at a precision suited to the dimension: "4.481 ms", "30.00". */
void metric_format(metric_dim_t dim, double v, char *buf, size_t len);

/* The table, for callers that walk every metric (diff). */
int metric_count(void);
const metric_def_t *metric_def_at(int i);
/* The keys a placeholder takes in a report (task ids, engines present), in report
 * order: fills up to max metrics of `def` and returns how many there are. A def
 * without a placeholder gives one metric. */
int metric_expand(const metric_def_t *def, json_object *report, metric_t *out, int max);
/* 1 if the metric comes from the power model (the run must enable it). */
int metric_needs_power(const metric_t *m);

#endif
