/*
 * batch: run (trace, module) pairs in parallel and collect their reports and budgets.
 *
 * Every run is independent: it reads its trace and its resolved SKU, both immutable and
 * shared between runs, and writes only its own batch_run_t. Runs go to OpenMP threads
 * (`schedule(dynamic)`, since runs differ in length), and each renders its text and JSON
 * reports into memory; the caller prints them afterwards in the order the runs were
 * given. So the output is the same, byte for byte, whatever the number of threads.
 *
 * Traces and SKUs are loaded by the caller, one after the other, before the batch
 * starts: a bad file stops everything before any simulation time is spent, and its
 * message comes out once, in order.
 */
#ifndef ORINSIM_BATCH_H
#define ORINSIM_BATCH_H

#include <json-c/json.h>
#include <stdio.h>

#include "sim/diag.h"
#include "soc/trace/budget.h"
#include "soc/run/power_run.h"
#include "soc/run/replay.h"
#include "soc/report/report.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"

/* json-c flags of every JSON orinsim writes (the same as report_json's). */
#define BATCH_JSON_FLAGS \
    (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

typedef struct batch_budget {
    budget_t budget;
    budget_status_t status;
    double value;               /* the metric's value, unless status is BUDGET_NO_VALUE */
} batch_budget_t;

typedef struct batch_run {
    /* in */
    const trace_t *trace;
    const soc_config_t *cfg;
    /* out */
    int rc;                     /* EXIT_OK; EXIT_BAD_INPUT or EXIT_INTERNAL if it failed */
    diag_t diag;                /* why it failed */
    char *text;                 /* text report and budget lines, if asked for; else NULL */
    json_object *report;        /* JSON report with its `budgets` array; NULL if it failed */
    batch_budget_t *budgets;    /* the trace's budgets, then the command line's */
    int nbudgets;
    int failed;                 /* budgets that failed */
    int no_value;               /* budgets whose metric the run has no value for */
    double wall_s;              /* simulation wall time; 0 with --reproducible */
    int thermal_shutdown;       /* the run ended at the critical trip (exit code 4) */
    struct power_run *power;    /* with keep_power: the run's power instrument (its time
                                 * series), freed by batch_run_free */
    footprint_t footprint;      /* resident DRAM of the run */
} batch_run_t;

typedef struct batch_options {
    replay_options_t replay;
    report_options_t report;
    const budget_list_t *budgets;   /* command-line budgets, for every run; may be NULL */
    const power_options_t *power;   /* power model per run (each run its own); may be NULL */
    int text;                       /* render the text reports */
    int threads;                    /* OpenMP threads; 0 = OpenMP's default */
    int keep_power;                 /* keep each run's power instrument (batch_run_t.power) */
} batch_options_t;

/* Run every pair; each run's outcome is in its batch_run_t. */
void batch_run(batch_run_t *runs, int n, const batch_options_t *opt);
void batch_run_free(batch_run_t *r);
/* The process exit code of a batch: 1 if any run hit an internal error, else 2 if any
 * had bad input (including a budget without a value), else 3 if any budget failed,
 * else 0. */
int batch_exit_code(const batch_run_t *runs, int n);
/* The JSON output: the report object of a single run, or an array of them in run order
 * (a run that failed gives {report_version, trace, sku, mode, error}). 0 or -1. */
int batch_write_json(FILE *out, const batch_run_t *runs, int n);
/* A table of every run: trace, sku, mode, frames/s, p99 frame latency, budgets. */
void batch_summary(FILE *out, const batch_run_t *runs, int n);
/* "camera-detector" (the trace's name, else its path). */
const char *batch_trace_label(const trace_t *t);

#endif
