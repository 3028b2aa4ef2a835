/*
 * sweep: one trace over many modules and power modes, to pick the mode.
 *
 *   orinsim sweep --sku agx64,agx32,nano8 --mode all [--deadline 10ms] [--csv] trace.yaml
 *
 * Every (SKU, mode) pair is its own simulation with the power instrument attached
 * (soc/run/power_run.h). The pairs run in parallel with OpenMP (--threads N, or
 * OMP_NUM_THREADS); each writes only its own row, and rows are printed in the order the
 * SKUs and modes were given, so the output does not depend on the thread count. The table
 * gives throughput, p99 frame latency, average and peak module power, energy per frame and
 * the rails, and marks per module the mode with the least energy per frame among those
 * that meet the deadline (--deadline, else the trace's period; a closed-loop trace without
 * --deadline has no deadline).
 */
#ifndef ORINSIM_SWEEP_H
#define ORINSIM_SWEEP_H

#include <stdio.h>

#include "models/power.h"
#include "sim/diag.h"
#include "soc/run/power_run.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"

typedef struct sweep_row {
    char sku[SKU_NAME_LEN];
    char mode[32];
    int ok;                       /* 0: the run could not be made; `error` says why */
    char error[512];
    int64_t frames;
    double fps, p99_ms;
    double avg_w, peak_w, j_per_frame, frames_per_j;
    int nrails;
    char rails[POWER_MAX_RAILS][POWER_RAIL_LEN];
    double rail_w[POWER_MAX_RAILS];
    double part_w[PWP_COUNT];
    double peak_c, throttled_s;
    int thermal_shutdown;
    int meets;                    /* meets the deadline */
    int best;                     /* least energy per frame among this module's rows that meet */
} sweep_row_t;

typedef struct sweep_options {
    power_options_t power;        /* clocks, ambient, cap: the same for every run */
    int64_t frames;               /* > 0 overrides the trace */
    uint64_t deadline_ps;         /* 0: the trace's period (if any) */
    int threads;                  /* 0: OpenMP's default */
} sweep_options_t;

/* Resolve `modes` ("all" or a comma-separated list, names as `--mode` takes them) for each
 * SKU; unknown modes are bad input. Fills *rows and *cfgs (free() both) in SKU-major order;
 * on error they are NULL. */
int sweep_plan(const sku_t *skus, int nskus, const char *modes, sweep_row_t **rows,
               soc_config_t **cfgs, int *n, diag_t *d);
/* Run every planned row (in parallel) and mark `meets` and `best`. */
void sweep_run(const soc_config_t *cfgs, sweep_row_t *rows, int n, const trace_t *t,
               const sweep_options_t *o);
void sweep_print_text(FILE *out, const sweep_row_t *rows, int n, const trace_t *t,
                      const sweep_options_t *o);
void sweep_print_csv(FILE *out, const sweep_row_t *rows, int n);

/* `orinsim sweep ...` (argv[0] = "sweep"); returns the exit code. */
int sweep_cli(int argc, char **argv);

#endif
