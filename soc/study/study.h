/*
 * study: a design-space study, many runs from one file (docs/study.md).
 *
 *   orinsim study study.yaml [--shard K/N] [-o PREFIX]
 *   orinsim study merge PART.json... -o PREFIX
 *
 * A study file names axes (workloads, zoo options, modules, power modes, frame rates,
 * ambient temperatures, cooling, seeds), the metrics to keep, the Pareto objectives and
 * the budgets. It expands to the product of its axes in a fixed order (the axes in the
 * order of study_axis_id_t, whatever their order in the file; the values in the order
 * written), so run i is the same run on every machine; each run's id is made of its
 * parameters ("workload=yolo11n,dtype=int8,sku=nano8,mode=15W").
 *
 * The work is split three ways, all giving the same result byte for byte:
 *   - OpenMP threads in one process take runs one at a time (runs differ in cost);
 *   - `--shard K/N` runs the runs i with i % N == K - 1 and writes a part (study_part.c);
 *     `study merge` joins parts, dropping a run given twice (a shard run again);
 *   - under `mpirun`, ranks take runs one at a time from a counter on rank 0 (MPI's
 *     atomic fetch-and-add), and rank 0 gathers the rows (study_mpi.c).
 * A run that fails (bad zoo option for that network, the workload not fitting the
 * module's memory, thermal shutdown) is a row with its reason: the study goes on.
 *
 * The room sits above soc/report: a run is a batch run (soc/report/batch.h), and its
 * workload a trace file or a zoo network (soc/zoo/) made into a trace for the run.
 */
#ifndef ORINSIM_STUDY_H
#define ORINSIM_STUDY_H

#include <stddef.h>
#include <stdint.h>

#include "sim/diag.h"
#include "soc/sku/sku.h"
#include "soc/trace/budget.h"
#include "soc/trace/metric.h"

#define STUDY_MAX_VALUES 256        /* values of one axis */
#define STUDY_VALUE_LEN 256         /* one value as written (a trace's path) */
#define STUDY_MAX_RUNS 1000000      /* runs of a study */
#define STUDY_MAX_METRICS 32
#define STUDY_MAX_PARETO 4
#define STUDY_NAME_LEN 128
#define STUDY_PATH_LEN 1024

/* The axes, in the order a study expands them. */
typedef enum study_axis_id {
    STUDY_WORKLOAD = 0,             /* a trace file or a zoo network */
    STUDY_DTYPE,                    /* zoo options: networks only */
    STUDY_ENGINE,
    STUDY_BATCH,
    STUDY_IMGSZ,
    STUDY_SPARSITY,
    STUDY_RUNTIME,
    STUDY_SKU,
    STUDY_MODE,
    STUDY_FPS,
    STUDY_AMBIENT,
    STUDY_COOLING,
    STUDY_SEED,
    STUDY_AXES
} study_axis_id_t;

/* A workload value names a trace file when it looks like a path (holds '/' or ends in
 * .yaml or .yml), else a network of the zoo. */
int study_is_trace(const char *workload);
/* "workload", "dtype", ... */
const char *study_axis_name(study_axis_id_t a);
/* 1 for the zoo's options (dtype, engine, batch, imgsz, sparsity, runtime). */
int study_axis_is_zoo(study_axis_id_t a);

typedef struct study_value {
    char text[STUDY_VALUE_LEN];
    int line, col;
    double number;                  /* fps (frames/s), ambient (C) */
    uint64_t seed;
} study_value_t;

typedef struct study_axis {
    int present;
    int line, col;                  /* of its key */
    int n;
    study_value_t *v;
} study_axis_t;

typedef struct study {
    char path[STUDY_PATH_LEN];      /* the file, for messages */
    char dir[STUDY_PATH_LEN];       /* its directory: trace paths are relative to it */
    char name[STUDY_NAME_LEN];
    char output[STUDY_PATH_LEN];    /* output prefix; "" = the name */
    study_axis_t axes[STUDY_AXES];
    int64_t frames;                 /* > 0: every run's frames */
    int power;                      /* the power instrument on every run */
    int nmetrics;
    metric_t metrics[STUDY_MAX_METRICS];
    int npareto;
    int pareto[STUDY_MAX_PARETO];   /* indices into metrics */
    budget_list_t budgets;
} study_t;

/* Parse a study file / a buffer (`name` in messages). Checks everything that needs no
 * other file: keys, axis names and values, metric names, objectives, budgets. On error
 * the study is left empty (safe to study_free) and d names file:line:column. */
int study_load(const char *path, study_t *s, diag_t *d);
int study_parse(const char *name, const char *buf, size_t len, study_t *s, diag_t *d);
void study_free(study_t *s);

/* ---- the plan: the study expanded into runs (study_plan.c) ---- */

typedef struct study_run_spec {
    int value[STUDY_AXES];          /* index of each axis's value; -1: not set for this run */
    int cfg;                        /* index into plan->cfgs (the sku and mode) */
} study_run_spec_t;

typedef struct study_plan {
    const study_t *s;
    sku_t *skus;                    /* one per value of the sku axis */
    int nskus;
    soc_config_t *cfgs;             /* every (sku, mode) pair, in axis order */
    int ncfgs;
    char **trace_text;              /* per workload value: a trace file's text, else NULL */
    size_t *trace_len;
    char (*trace_path)[STUDY_PATH_LEN];
    study_run_spec_t *runs;
    int nruns;
    int columns[STUDY_AXES];        /* the axes that are result columns, in order */
    int ncolumns;
    char fingerprint[17];           /* hex of a hash of the parameters of every run */
} study_plan_t;

/* Load the modules, resolve the modes, read and check the trace files, expand. Errors
 * (an unknown module or mode, a bad trace file, too many runs) name the study file's
 * line:column, or the trace's own. */
int study_plan(const study_t *s, study_plan_t *p, diag_t *d);
void study_plan_free(study_plan_t *p);
/* Run i's parameter of column c as text into buf ("" where it does not apply), and its
 * id ("workload=yolo11n,sku=nano8,mode=15W"). */
void study_param(const study_plan_t *p, int i, int c, char *buf, size_t len);
void study_run_id(const study_plan_t *p, int i, char *buf, size_t len);

#endif
