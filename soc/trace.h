/*
 * trace: the workload trace format v1 (docs/trace-format.md), parsed from YAML.
 *
 * A trace is a task graph released `frames` times. Each task runs a list of ops in order
 * on one engine; `after` edges order tasks within a frame. The parser checks everything
 * that can be checked without hardware: syntax, keys, types, units, sizes, unknown
 * `after` names and dependency cycles. Whether the chosen module has the engine (DLA on
 * a Nano) is checked when the SoC is built (soc/replay.c), with the task's position.
 *
 * `repeat` blocks are expanded at parse time into plain op lists; the total number of
 * ops after expansion is bounded (TRACE_MAX_OPS) so that a malicious file cannot
 * exhaust memory.
 */
#ifndef ORINSIM_TRACE_H
#define ORINSIM_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "models/dtype.h"
#include "sim/diag.h"
#include "sim/sim.h"
#include "soc/budget.h"

#define TRACE_ID_LEN 64
#define TRACE_MAX_OPS 1000000      /* after repeat expansion, whole trace */
#define TRACE_MAX_TASKS 4096
#define TRACE_MAX_FRAMES 10000000

typedef enum trace_engine {
    ENG_GPU = 0,
    ENG_DLA0,
    ENG_DLA1,
    ENG_DLA,          /* whichever DLA is free */
    ENG_PVA,
    ENG_CPU,
    ENG_COUNT
} trace_engine_t;

const char *trace_engine_name(trace_engine_t e);

typedef enum trace_op_kind {
    OP_GEMM = 0,
    OP_CONV,
    OP_ATTENTION,
    OP_ELEMENTWISE,
    OP_REDUCE,
    OP_MEMCPY,
    OP_KERNEL,
    OP_CPU,
    OP_KIND_COUNT
} trace_op_kind_t;

const char *trace_op_name(trace_op_kind_t k);

typedef struct trace_pos {
    int line, col;                /* 1-based; where the op / task starts */
} trace_pos_t;

typedef struct trace_op {
    trace_op_kind_t kind;
    trace_pos_t pos;
    char name[TRACE_ID_LEN];      /* optional label ("nms"); "" if none */
    dtype_t dtype;                /* default fp16 for GPU ops */
    int sparse;                   /* 1 for sparsity "2:4" */
    union {
        struct { int64_t m, n, k, batch; } gemm;
        struct {
            int64_t n, c, h, w;               /* input NCHW */
            int64_t filters;                  /* output channels K */
            int64_t kh, kw;                   /* kernel: 3 or [3, 3] */
            int64_t stride_h, stride_w;
            int64_t pad_h, pad_w;
            int64_t dil_h, dil_w;
            int64_t groups;
        } conv;
        struct {
            int64_t batch, heads, seq_q, seq_kv, head_dim;
            int causal;
        } attn;
        struct {
            int64_t elements;
            int64_t inputs, outputs;          /* tensors read / written, each `elements` long */
            double flops_per_element;         /* default 1 */
        } ew;
        struct {
            int64_t elements;                 /* elements read */
            int64_t outputs;                  /* elements written (default 1) */
        } reduce;
        struct {
            double bytes;                     /* bytes copied (read once + written once) */
        } memcpy;
        struct {
            int64_t grid[3], block[3];
            int64_t registers;                /* per thread */
            double shared;                    /* bytes per CTA */
            double flops[DT_COUNT];           /* whole kernel, CUDA cores */
            double tensor_flops[DT_COUNT];    /* whole kernel, tensor cores */
            double dram_bytes;                /* whole kernel */
        } kernel;
        struct {
            uint64_t duration_ps;             /* at ref_hz; 0 if instructions are given */
            double ref_hz;                    /* clock the duration was measured at; 0 = mode max */
            double instructions;              /* per thread; with ipc */
            double ipc;
            int64_t threads;                  /* parallel threads (work splits across cores) */
            double bytes;                     /* DRAM traffic */
        } cpu;
    } u;
} trace_op_t;

typedef struct trace_task {
    char id[TRACE_ID_LEN];
    trace_engine_t engine;
    trace_pos_t pos;              /* of the task mapping */
    trace_pos_t engine_pos;       /* of the engine value */
    int *after;                   /* indices of tasks that must finish first */
    int nafter;
    trace_op_t *ops;
    int nops;
} trace_task_t;

typedef struct trace {
    char path[512];
    char name[128];
    int version;
    int64_t frames;               /* default 1 */
    uint64_t period_ps;           /* 0 = closed loop */
    int64_t max_in_flight;        /* default 1 */
    trace_task_t *tasks;
    int ntasks;
    int *topo;                    /* task indices in a topological order */
    budget_list_t budgets;        /* the top-level `budgets:` list (soc/budget.h) */
} trace_t;

/* Parse a trace file / an in-memory buffer (`name` is used in messages). On error the
 * trace is left empty (safe to trace_free) and d names file:line:column. */
int trace_load(const char *path, trace_t *t, diag_t *d);
int trace_parse(const char *name, const char *buf, size_t len, trace_t *t, diag_t *d);
void trace_free(trace_t *t);

#endif
