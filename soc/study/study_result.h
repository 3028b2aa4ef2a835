/*
 * study_result: the rows of a study, as a part (one shard's or one rank's share) and as
 * the merged result.
 *
 * A result holds everything its outputs need, so that `study merge` needs no study file,
 * module or trace: the study's name and fingerprint, its number of runs, the parameter
 * columns, the metrics, the Pareto objectives, the budgets as text, and one row per run
 * done. A part is that, as JSON, with numbers written exactly ("%.17g" reads back as the
 * same double), so a result merged from parts and a result made in one process give the
 * same outputs byte for byte (study_part.c reads and writes parts, study_out.c the
 * outputs).
 */
#ifndef ORINSIM_STUDY_RESULT_H
#define ORINSIM_STUDY_RESULT_H

#include <stdio.h>

#include "soc/study/study.h"

typedef enum study_status {
    STUDY_RUN_OK = 0,
    STUDY_RUN_FAILED,           /* could not be simulated: error says why */
    STUDY_RUN_THERMAL           /* ended in thermal shutdown: metrics of the frames done */
} study_status_t;

typedef enum study_budget_state {
    STUDY_BUDGET_PASS = 0,
    STUDY_BUDGET_FAIL,
    STUDY_BUDGET_NO_VALUE,      /* the run has no value for the metric */
    STUDY_BUDGET_NOT_RUN        /* the run failed */
} study_budget_state_t;

typedef struct study_row {
    int index;                  /* in the whole study */
    char *id;
    char **param;               /* per column; "" where it does not apply */
    study_status_t status;
    char *error;                /* why it failed; NULL */
    double *metric;             /* per metric */
    unsigned char *has;         /* per metric: 1 if the run has a value */
    unsigned char *budget;      /* per budget: study_budget_state_t */
    double *bvalue;
    int pareto;                 /* on the Pareto front (set by study_pareto) */
} study_row_t;

typedef struct study_result {
    char name[STUDY_NAME_LEN];
    char fingerprint[17];
    int total;                  /* runs of the whole study */
    int ncolumns;
    char columns[STUDY_AXES][16];
    int nmetrics;
    char metrics[STUDY_MAX_METRICS][METRIC_NAME_LEN];
    int npareto;
    int pareto[STUDY_MAX_PARETO];    /* indices into metrics */
    int nbudgets;
    char **budgets;             /* "frame_latency.p99 <= 33 ms" */
    study_row_t *rows;          /* in index order once sorted */
    int nrows, cap;
} study_result_t;

/* The header of a plan's result, without rows. 0 or DIAG_ERR (out of memory). */
int study_result_init(study_result_t *r, const study_plan_t *p, diag_t *d);
void study_result_free(study_result_t *r);
/* A row's arrays, sized for the header (zeroed). 0, or -1 when out of memory. */
int study_row_alloc(const study_result_t *r, study_row_t *row);
void study_row_free(const study_result_t *r, study_row_t *row);
/* Append the row, which the result then owns. 0, or -1 when out of memory (the row is
 * still the caller's). */
int study_result_take(study_result_t *r, study_row_t *row);

/* ---- parts (study_part.c) ---- */

/* Write the result as a part: "K/N" names the shard ("" for none). 0 or -1. */
int study_part_write(FILE *out, const study_result_t *r, const char *shard);
/* Read a part from text (name in messages; takes buf as json_text_parse does). */
int study_part_parse(const char *name, char *buf, size_t len, study_result_t *r, diag_t *d);
int study_part_load(const char *path, study_result_t *r, diag_t *d);
/* Join parts into *out: the same study (fingerprint), each run once (a run in two parts
 * is kept from the first; the second's copy is dropped and counted in *dropped), rows in
 * index order. With complete, a run missing from every part is an error naming it. */
int study_merge(study_result_t *parts, int n, int complete, study_result_t *out, int *dropped,
                diag_t *d);

/* ---- outputs (study_out.c) ---- */

/* Mark the rows on the Pareto front of the objectives (none without objectives). */
void study_pareto(study_result_t *r);
/* PREFIX.csv, PREFIX.json, PREFIX.txt (the summary), and PREFIX.junit.xml when the
 * study has budgets. Returns an exit code (EXIT_OUTPUT if one could not be written). */
int study_write_outputs(const study_result_t *r, const char *prefix);
/* The summary table (also PREFIX.txt). */
void study_summary(FILE *out, const study_result_t *r);
/* Exit code of a complete result: EXIT_BUDGET when a budget failed or had no value,
 * EXIT_BAD_INPUT when no run succeeded, else EXIT_OK. */
int study_exit_code(const study_result_t *r);

#endif
