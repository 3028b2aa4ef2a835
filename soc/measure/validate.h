/*
 * validate: orinsim against published Orin measurements.
 *
 * The registry (traces/validation/cases.yaml) lists each published result the model can
 * express: the workload (a model-zoo command or a trace file), the module and power
 * mode, the metric and how it is computed from the run, the published value and its
 * source. validate_run() replays every case on the shipped configs and computes the
 * error per case and the mean absolute percentage error (MAPE) over the scored cases.
 * `orinsim validate` prints the table (docs/validation.md explains each row);
 * tests/test_validation.c fails when the MAPE passes the registry's bound or a case not
 * recorded as a known miss passes the per-case bound.
 *
 * Metrics (what a case's number is, from one replay):
 *   throughput         frames/s of the run (report.c's steady-state rate) x per_frame
 *   latency_ms         frame latency, stat mean | p90 | p99, in ms
 *   latency_rate       per_frame / mean frame latency (tokens/s from ms/token)
 *   task_rate          instances of `task` per second x per_frame, counted over the
 *                      window in which every task of the trace is still running; the
 *                      trace must release all frames at once (max_in_flight >= frames),
 *                      so each task streams its instances back to back and an
 *                      instance's latency is its completion time
 *   total_rate         the sum over tasks of task_rate x that task's samples per
 *                      instance (`per_task`): MLPerf Offline, where every engine pulls
 *                      work as long as there is any
 * `stream: true` releases every frame at once (max_in_flight = frames), which task_rate
 * and total_rate need, for a trace (e.g. a zoo one) that does not say so itself.
 * Cross-checks (`cross_checks:`) are published results from outside
 * shared/reference/published-results.yaml (the same sources on other modules, newer
 * releases): each shows its error, and they have a MAPE of their own, but they are not in
 * the scored MAPE. Experiments (`experiments:` in the registry) are computed the same way but carry no
 * published value; they vary the run (io_format: native on every DLA task, dram_scale:
 * the EMC clock multiplied, one_process: every task in one CUDA context) to attribute a
 * published effect to its mechanisms. Any entry may pin the DLA core clock with
 * `dla_clock` (e.g. 1152 MHz) where its source set that clock itself, as NVIDIA's cuDLA
 * profiling sample does through debugfs; it may not exceed the module's DLA clock.
 */
#ifndef ORINSIM_VALIDATE_H
#define ORINSIM_VALIDATE_H

#include "sim/diag.h"

struct vclass_stat;

typedef enum validate_metric {
    VM_THROUGHPUT = 0,
    VM_LATENCY_MS,
    VM_LATENCY_RATE,
    VM_TASK_RATE,
    VM_TOTAL_RATE,
    VM_COUNT
} validate_metric_t;

/* What a registry entry is; the list it stands in (cases:, cross_checks:, experiments:). */
typedef enum validate_kind {
    VK_EXPERIMENT = 0,         /* no published value */
    VK_CASE,                   /* a result of published-results.yaml, in the MAPE */
    VK_CROSS                   /* published elsewhere: its error, not in the MAPE */
} validate_kind_t;

typedef struct validate_case {
    char id[64];
    char group[32];            /* section of docs/validation.md */
    char zoo[256];             /* `orinsim zoo` arguments, or "" */
    char trace[256];           /* a trace file relative to the registry, or "" */
    char sku[32], mode[32];
    validate_metric_t metric;
    char stat[8];              /* latency_ms: mean, p90 or p99 */
    char task[64];             /* task_rate: the task counted */
    double per_frame;          /* samples per frame (instance); default 1 */
    double published;          /* 0 for an experiment */
    char unit[32];
    char source[128];
    char miss[400];            /* a known miss beyond the per-case bound: its mechanism */
    int io_native;             /* run every DLA task with native I/O formats */
    int one_process;           /* run every task in one process (no GPU time-slicing) */
    int stream;                /* release every frame at once */
    int nper_task;
    char per_task_id[4][64];   /* total_rate: samples per instance of each task */
    double per_task[4];
    double dram_scale;         /* EMC clock multiplier (1 = as configured) */
    double dla_hz;             /* DLA core clock the source pinned (0 = the mode's cap) */
    validate_kind_t kind;
    int line;                  /* in the registry */
} validate_case_t;

typedef struct validate_registry {
    char path[512];
    char dir[512];             /* traces are relative to this */
    double mape_bound;         /* %: the documented bound on the overall MAPE */
    double case_bound;         /* %: no case outside `miss` may be worse */
    validate_case_t *cases;
    int n;
} validate_registry_t;

typedef struct validate_result {
    char vclass[48];           /* the class of its workload (soc/measure/vclass.h) */
    double predicted;
    double error;              /* (predicted - published) / published; 0 for experiments */
} validate_result_t;

typedef struct validate_summary {
    int scored;                /* cases with a published value */
    double mape;               /* %, over the scored cases */
    int worst;                 /* index of the largest |error| */
    int over;                  /* scored cases beyond case_bound that are not known misses */
    int misses;                /* scored cases beyond case_bound recorded as known misses */
    int cross;                 /* cross-checks run */
    double cross_mape;         /* %, over the cross-checks */
} validate_summary_t;

/* The registry path next to the shipped configs (traces/validation/cases.yaml). */
const char *validate_default_registry(void);
/* Load and check a registry. 0, or DIAG_ERR with file:line:column. */
int validate_load(const char *path, validate_registry_t *r, diag_t *d);
void validate_free(validate_registry_t *r);
/* Find a case by id; NULL if none. */
const validate_case_t *validate_find(const validate_registry_t *r, const char *id);
/* Replay one case and compute its metric. */
int validate_case(const validate_registry_t *r, const validate_case_t *c, validate_result_t *out,
                  diag_t *d);
/* MAPE and bound checks over results[i] of r->cases[i]. */
void validate_summarise(const validate_registry_t *r, const validate_result_t *res,
                        validate_summary_t *s);

/* The model's error by class (soc/measure/vclass.h) over the entries with a published
 * value that ran (run[i]); returns the number of classes. */
int validate_classes(const validate_registry_t *r, const validate_result_t *res,
                     const int *run, struct vclass_stat *out, int max);

/* `orinsim validate [--json] [--case ID] [--registry FILE] [--classes]`: argv[0] is "validate". Returns
 * a process exit code: 0, also when cases miss (the table says so); 2 for bad input. */
int validate_cli(int argc, char **argv);

#endif
