/*
 * study_run: the runs of a plan, one row each (see study_run.c).
 */
#ifndef ORINSIM_STUDY_RUN_H
#define ORINSIM_STUDY_RUN_H

#include "soc/study/study_result.h"

typedef struct study_exec {
    int threads;                /* OpenMP threads; 0 = OpenMP's default */
    int progress;               /* progress lines on stderr */
    /* The dispenser: the next position in the list to run, or -1 when none is left
     * (called by one thread at a time). NULL: a counter of this process. */
    int (*next)(void *ctx);
    void *ctx;
} study_exec_t;

typedef struct study_stats {
    int runs;                   /* runs done here */
    int threads;
    double wall_s;              /* from the first run to the last */
    double busy_s;              /* the runs' own time, all threads together */
} study_stats_t;

/* Run list[0..n) (run indices of the plan) as the dispenser hands them out, appending a
 * row for each to res (in the order done; study_merge sorts). Returns 0, or DIAG_ERR when
 * out of memory. */
int study_run(const study_plan_t *p, const int *list, int n, const study_exec_t *x,
              study_result_t *res, study_stats_t *st, diag_t *d);
/* Monotonic wall time in seconds. */
double study_wall(void);

#endif
