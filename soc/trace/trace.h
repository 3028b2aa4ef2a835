/*
 * trace: the workload trace format v1 (docs/trace-format.md), parsed from YAML.
 *
 * A trace is a task graph released `frames` times. Each task runs a list of ops in order
 * on one engine; `after` edges order tasks within a frame. The parser checks everything
 * that can be checked without hardware: syntax, keys, types, units, sizes, unknown
 * `after` names and dependency cycles. Whether the chosen module has the engine (DLA on
 * a Nano) is checked when the SoC is built (soc/run/replay.c), with the task's position.
 *
 * `repeat` blocks are expanded at parse time into plain op lists; the total number of
 * ops after expansion is bounded (TRACE_MAX_OPS) so that a malicious file cannot
 * exhaust memory.
 */
#ifndef ORINSIM_TRACE_H
#define ORINSIM_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "models/dtype.h"
#include "sim/diag.h"
#include "sim/rng.h"
#include "sim/sim.h"
#include "soc/trace/budget.h"
#include "soc/trace/trace_engine.h"

#define TRACE_ID_LEN 64
#define TRACE_MAX_OPS 1000000      /* after repeat expansion, whole trace */
#define TRACE_MAX_TASKS 4096
#define TRACE_MAX_FRAMES 10000000
/* The longest frame period a trace (or `run --period`) may give: one hour. */
#define TRACE_MAX_PERIOD_PS (3600ULL * SIM_S)

typedef enum trace_op_kind {
    /* GPU ops */
    OP_GEMM = 0,
    OP_CONV,
    OP_ATTENTION,
    OP_ELEMENTWISE,
    OP_REDUCE,
    OP_MEMCPY,
    OP_KERNEL,
    OP_CPU,
    /* network layers: GPU and DLA (conv above is one too) */
    OP_DECONV,
    OP_FC,
    OP_POOL,
    OP_ACTIVATION,
    OP_ELTWISE,
    OP_BATCHNORM,
    OP_CONCAT,
    OP_RESIZE,
    OP_SOFTMAX,
    /* vision primitives: PVA (and GPU) */
    OP_COLOR_CONVERT,
    OP_IMAGE_RESIZE,
    OP_REMAP,
    OP_GAUSSIAN,
    OP_BOX_FILTER,
    OP_HARRIS,
    OP_FAST,
    OP_HISTOGRAM,
    OP_STEREO,
    OP_VPU,
    OP_KIND_COUNT
} trace_op_kind_t;

const char *trace_op_name(trace_op_kind_t k);
/* Network layers (conv, deconv, fc, pool, ...) and vision primitives (color_convert, ...). */
int trace_op_is_layer(trace_op_kind_t k);
int trace_op_is_vision(trace_op_kind_t k);

/* activation functions, eltwise functions, pooling and resize modes, softmax axes */
typedef enum trace_act { ACT_RELU = 0, ACT_RELU6, ACT_CLIP, ACT_LEAKY_RELU, ACT_SIGMOID, ACT_TANH,
                         ACT_SILU, ACT_GELU, ACT_HARDSWISH, ACT_COUNT } trace_act_t;
typedef enum trace_elt { ELT_ADD = 0, ELT_SUB, ELT_MUL, ELT_MAX, ELT_MIN, ELT_COUNT } trace_elt_t;
const char *trace_act_name(trace_act_t a);
const char *trace_elt_name(trace_elt_t e);

typedef struct trace_pos {
    int line, col;                /* 1-based; where the op / task starts */
} trace_pos_t;

typedef struct trace_op {
    trace_op_kind_t kind;
    trace_pos_t pos;
    char name[TRACE_ID_LEN];      /* optional label ("nms"); "" if none */
    dtype_t dtype;                /* default fp16 for GPU ops */
    int sparse;                   /* 1 for sparsity "2:4" */
    int act;                      /* fused activation of a conv, deconv or gemm: trace_act_t;
                                   * -1 none (every other op) */
    int work_rand;                /* 1 + index in trace_t.rands of `work_scale`, drawn each
                                   * time the op runs to multiply its work; 0 = none */
    int duration_rand;            /* cpu op: 1 + index of its `duration` distribution (ps);
                                   * u.cpu.duration_ps holds its mean; 0 = fixed */
    union {
        struct {
            int64_t m, n, k, batch;
            dtype_t weight_dtype;             /* storage of B (default: dtype) */
            int64_t quant_group;              /* B's weights per scale (0: none) */
            int weights;                      /* B is a weight matrix (default 1) */
        } gemm;
        struct {
            int64_t n, c, h, w;               /* input NCHW */
            int64_t filters;                  /* output channels K */
            int64_t kh, kw;                   /* kernel: 3 or [3, 3] */
            int64_t stride_h, stride_w;
            int64_t pad_h, pad_w;
            int64_t dil_h, dil_w;
            int64_t groups;
        } conv;                               /* also deconv */
        struct {
            int64_t n, c, h, w;               /* input */
            int64_t outputs;                  /* fc: output features */
            int64_t kh, kw, stride_h, stride_w, pad_h, pad_w;   /* pool */
            int64_t out_h, out_w;             /* resize (and pool: computed) */
            int64_t inputs;                   /* eltwise, concat */
            int function;                     /* activation: trace_act_t; eltwise: trace_elt_t */
            int mode;                         /* pool: 0 max, 1 avg; resize: 0 nearest, 1 bilinear */
            int axis;                         /* softmax: 0 c, 1 h, 2 w */
            int global;                       /* pool over the whole plane */
        } layer;                              /* fc, pool, activation, eltwise, batchnorm,
                                               * concat, resize, softmax */
        struct {
            int64_t width, height;
            int64_t out_width, out_height;    /* image resize */
            int64_t kernel;                   /* gaussian, box_filter */
            int64_t disparities;              /* stereo */
            double bytes_per_pixel;           /* 0 = the op's default */
            double cycles_per_pixel, cycles, bytes;   /* vpu */
        } image;
        struct {
            int64_t batch, heads, seq_q, seq_kv, head_dim;
            int64_t kv_heads;                 /* grouped-query attention (default heads) */
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

typedef enum trace_fallback { FALLBACK_NONE = 0, FALLBACK_GPU } trace_fallback_t;

/* Resident memory a task declares, on top of what its ops imply (bytes). */
typedef struct trace_memory {
    double weights, activations, kv_cache, buffers;
} trace_memory_t;

typedef struct trace_task {
    char id[TRACE_ID_LEN];
    trace_engine_t engine;
    trace_fallback_t fallback;    /* DLA / PVA task: what runs where the engine cannot */
    int io_native;                /* DLA task: native I/O formats, no GPU reformat kernels */
    int has_in_dtype;             /* input_dtype (or io_dtype) given: the task's input ... */
    dtype_t in_dtype;             /* ... is held in this type, converted at entry */
    int has_out_dtype;            /* output_dtype (or io_dtype) given: its output ... */
    dtype_t out_dtype;            /* ... is held in this type, converted at exit */
    char process[TRACE_ID_LEN];   /* OS process; "" = the trace's own */
    int context;                  /* its CUDA context: 0 for the trace's own process */
    trace_memory_t memory;
    uint64_t deadline_ps;         /* an instance later than this after it was ready misses;
                                   * 0 = none */
    trace_pos_t pos;              /* of the task mapping */
    trace_pos_t engine_pos;       /* of the engine value */
    int *after;                   /* indices of tasks that must finish first */
    int nafter;
    trace_op_t *ops;
    int nops;
} trace_task_t;

/* How frames arrive (docs/trace-format.md, "Arrivals"). */
typedef enum trace_arrival_kind {
    ARRIVE_PERIODIC = 0,          /* every `period`, each delayed by `jitter` if given */
    ARRIVE_CLOSED,                /* the next frame when one ends (no period) */
    ARRIVE_POISSON,               /* exponential gaps of mean 1 / rate */
    ARRIVE_BURST,                 /* `size` frames `spacing` apart, every `period` */
    ARRIVE_FILE                   /* the times listed in a file */
} trace_arrival_kind_t;

typedef struct trace_arrival {
    trace_arrival_kind_t kind;
    int jitter_rand;              /* periodic: 1 + index of the delay's distribution (ps) */
    double rate_hz;               /* poisson */
    int64_t burst;                /* burst: frames per burst */
    uint64_t spacing_ps;          /* burst: between the frames of a burst */
    uint64_t *times_ps;           /* file: arrival times, nondecreasing */
    int64_t ntimes;
} trace_arrival_t;

/* Work that is not the trace's own but shares the SoC (docs/trace-format.md,
 * "Interference"). */
typedef enum trace_interf_kind { INTERF_CPU_NOISE = 0, INTERF_DRAM } trace_interf_kind_t;

typedef struct trace_interference {
    trace_interf_kind_t kind;
    int every_rand;               /* 1 + index: time from one burst's start to the next (ps) */
    int length_rand;              /* 1 + index: a burst's length (ps) */
    int64_t threads;              /* cpu_noise: cores it takes */
    double Bps;                   /* dram: bandwidth while on */
    trace_pos_t pos;
} trace_interference_t;

typedef struct trace {
    char path[512];
    char name[128];
    int version;
    int64_t frames;               /* default 1 */
    uint64_t period_ps;           /* 0 = closed loop */
    trace_pos_t frames_pos;       /* of the frames and period values (0, 0 when absent) */
    trace_pos_t period_pos;
    int64_t max_in_flight;        /* default 1 */
    trace_task_t *tasks;
    int ntasks;
    int *topo;                    /* task indices in a topological order */
    trace_arrival_t arrival;
    uint64_t deadline_ps;         /* a frame later than this after its arrival misses
                                   * (default: the period; 0 = none) */
    int drop;                     /* overload: drop: a frame arriving while max_in_flight
                                   * frames are in flight is dropped, not queued */
    sim_rand_t *rands;            /* the distributions the trace declares */
    int nrands, crands;
    trace_interference_t *interf;
    int ninterf;
    budget_list_t budgets;        /* the top-level `budgets:` list (soc/trace/budget.h) */
    char runtime[32];             /* `runtime:` (configs/runtimes/runtimes.yaml); "" = tensorrt */
    trace_pos_t runtime_pos;
} trace_t;

/* Bytes a gemm's B takes per element: its weight_dtype, plus with quant_group one scale of
 * the math dtype per group of quant_group weights along k (group-wise quantisation). */
double trace_gemm_b_bytes(const trace_op_t *op);

/* Replace the period (`run --fps`, `--period`): a closed loop becomes periodic, a deadline
 * that was the period's default follows it; Poisson and file arrivals have no period
 * (bad input, in d). */
int trace_set_period(trace_t *t, uint64_t period_ps, diag_t *d);

/* Parse a trace file / an in-memory buffer (`name` is used in messages). On error the
 * trace is left empty (safe to trace_free) and d names file:line:column. */
int trace_load(const char *path, trace_t *t, diag_t *d);
int trace_parse(const char *name, const char *buf, size_t len, trace_t *t, diag_t *d);
void trace_free(trace_t *t);
/* Whether anything in the trace is drawn at random (the run then needs its seed). */
int trace_is_random(const trace_t *t);

/* ---- a trace's budgets (soc/trace/trace_budget.c) ---- */

struct ydoc;
/* Parse a trace's `budgets:` list (seq; NULL = none) into out, checking each metric
 * name, each `<task>` against the trace's tasks (t must be parsed up to its tasks), and
 * each limit's unit. Errors name file:line:column of the offending node. */
int budget_parse_yaml(struct ydoc *y, const yaml_node_t *seq, const trace_t *t,
                      budget_list_t *out, diag_t *d);
/* Check budgets given outside the trace against it: every `<task>` must be a task of t. */
int budget_check_trace(const budget_list_t *l, const trace_t *t, diag_t *d);

#endif
