/*
 * dla: NVDLA v2 deep-learning accelerator, per layer. See models/dla.c and docs/dla.md.
 */
#ifndef ORINSIM_DLA_H
#define ORINSIM_DLA_H

#include <stddef.h>
#include <stdint.h>

#include "models/dram.h"
#include "models/dtype.h"
#include "sim/flow.h"
#include "sim/sim.h"
#include "sim/stats.h"

typedef enum dla_layer_kind {
    DLA_CONV = 0,      /* incl. grouped and depthwise */
    DLA_DECONV,
    DLA_FC,
    DLA_POOL,
    DLA_ACTIVATION,
    DLA_ELTWISE,
    DLA_BATCHNORM,     /* batch-norm / scale */
    DLA_CONCAT,
    DLA_RESIZE,
    DLA_SOFTMAX,
    /* Kinds the DLA cannot run at all: dla_layer_shape() rejects them with the reason, so
     * a caller can place them on the GPU. */
    DLA_MATMUL,        /* product of two activations (attention scores, A x V) */
    DLA_NORM,          /* layer / group / instance normalisation over a non-C axis set */
    DLA_LAYER_COUNT
} dla_layer_kind_t;

/* `func` of an activation layer. */
typedef enum dla_act {
    DLA_ACT_RELU = 0, DLA_ACT_SIGMOID, DLA_ACT_TANH, DLA_ACT_CLIP, DLA_ACT_LEAKY_RELU,
    DLA_ACT_PRELU,
    DLA_ACT_GELU, DLA_ACT_SILU, DLA_ACT_HARD_SWISH, DLA_ACT_ELU,   /* not on the DLA */
    DLA_ACT_COUNT
} dla_act_t;

/* `func` of a pooling layer. */
typedef enum dla_pool {
    DLA_POOL_MAX = 0, DLA_POOL_AVG,
    DLA_POOL_MAX_AVG_BLEND,                                          /* not on the DLA */
    DLA_POOL_COUNT
} dla_pool_t;

/* `func` of an element-wise layer. */
typedef enum dla_elt {
    DLA_ELT_SUM = 0, DLA_ELT_SUB, DLA_ELT_PROD, DLA_ELT_MAX, DLA_ELT_MIN, DLA_ELT_DIV,
    DLA_ELT_POW,
    DLA_ELT_EQUAL, DLA_ELT_GREATER, DLA_ELT_LESS,                    /* INT8 only */
    DLA_ELT_FLOOR_DIV, DLA_ELT_AND, DLA_ELT_OR, DLA_ELT_XOR,         /* not on the DLA */
    DLA_ELT_COUNT
} dla_elt_t;

/* `func` of a resize layer. */
typedef enum dla_resize {
    DLA_RESIZE_NEAREST = 0, DLA_RESIZE_LINEAR,
    DLA_RESIZE_CUBIC,                                                /* not on the DLA */
    DLA_RESIZE_COUNT
} dla_resize_t;

/* `axis` of a softmax or concat layer: 0 (the default) is the channel axis. */
typedef enum dla_axis { DLA_AXIS_C = 0, DLA_AXIS_N, DLA_AXIS_H, DLA_AXIS_W } dla_axis_t;

/* One layer, NCHW. Fields that do not apply to a kind are 0. */
typedef struct dla_layer {
    dla_layer_kind_t kind;
    dtype_t dtype;                 /* DT_INT8 or DT_FP16 run on the DLA */
    int sparse;                    /* 2:4 weights (conv/deconv/fc) */
    int64_t n, c, h, w;            /* input */
    int64_t k;                     /* output channels (conv, deconv, fc) */
    int64_t kh, kw, stride_h, stride_w, pad_h, pad_w, dil_h, dil_w, groups;
    int64_t out_h, out_w;          /* output spatial size (filled by dla_layer_shape) */
    int64_t inputs;                /* eltwise / concat: number of input tensors (0 = 2) */
    int func;                      /* dla_act_t / dla_pool_t / dla_elt_t / dla_resize_t */
    int axis;                      /* softmax / concat: dla_axis_t */
    int64_t scale_h, scale_w;      /* resize: integer up-sampling factors (>= 1) */
} dla_layer_t;
/* Stride, dilation and groups of 0 mean 1. FC flattens its input: C x H x W features.
 * Concat: c is the channel count of the concatenated output. */

/* Hardware description of one DLA, filled by soc/ from configs/. */
typedef struct dla_spec {
    double clock_hz;               /* core clock in effect */
    double int8_macs_per_clk;      /* dense MAC array, INT8 (8192 on Orin) */
    double fp16_macs_per_clk;      /* dense, FP16 */
    int atom_c;                    /* input channels consumed per MAC-array pass, INT8 */
    int atom_k;                    /* output channels produced per pass, INT8 */
    int tap_fold_max;              /* kernel rows a narrow-channel conv packs into one
                                    * channel atom (image-input mode); 0 or 1 = none */
    double sparse_factor;          /* 2:4 MAC speed-up (2) */
    int sparse_min_c;              /* sparsity only where input channels > this (64) */
    double sram_bytes;             /* local SRAM (1 MiB) */
    double sdp_elems_per_clk;      /* post-processing / element-wise throughput */
    double pdp_elems_per_clk;      /* pooling throughput */
    double dram_Bps;               /* the DLA's own DRAM port ceiling */
    double layer_overhead_s;       /* per layer: Falcon scheduling, register programming */
    double layer_overhead_falcon_cycles; /* the same in Falcon cycles (soc/ resolves
                                          * layer_overhead_s with the mode's Falcon clock) */
    double task_overhead_s;        /* per task: submission and completion signalling */
} dla_spec_t;

/* Fill out_h/out_w and check dimensions; -1 with `why` if the layer cannot run on the
 * DLA at all (unsupported parameters, e.g. a dtype other than int8/fp16). */
int dla_layer_shape(const dla_spec_t *spec, dla_layer_t *l, char *why, size_t len);

typedef struct dla_cost {
    double cycles;                 /* DLA core cycles of math (at full utilisation of what the
                                    * layer can use) */
    double dram_bytes;             /* DRAM traffic, including re-reads when split */
    double utilisation;            /* fraction of the MAC array the layer's shape uses */
    int passes;                    /* splits needed to fit the SRAM */
    double macs;                   /* useful MACs (dense-equivalent; 0 for non-MAC layers) */
    double weight_bytes;           /* weights as stored (halved when 2:4 sparse applies) */
    int sparse;                    /* 2:4 sparsity applied (asked for, INT8, C > sparse_min_c) */
} dla_cost_t;

/* The layer's cost; shapes are computed on a copy (out_h/out_w need not be filled). -1 with
 * `why` as dla_layer_shape(). */
int dla_layer_cost(const dla_spec_t *spec, const dla_layer_t *l, dla_cost_t *out, char *why,
                   size_t len);
/* The hardware layer that starts at layers[i] of a task: a conv, deconv or FC layer takes
 * with it the point-wise layers that follow it and consume its output (element-wise,
 * activation, batch-norm / scale whose input shape is its output shape), as the DLA
 * compiler fuses them into one convolution-pipe operation. The fused layers cost no
 * DRAM round trip of the intermediate tensor and no layer overhead of their own; their
 * SDP cycles overlap the MAC cycles. Returns the number of trace layers used (>= 1) and
 * their combined cost, or -1 with `why` as dla_layer_cost(). */
int dla_fused_cost(const dla_spec_t *spec, const dla_layer_t *layers, int n, int i,
                   dla_cost_t *out, char *why, size_t len);
/* The layer's time alone on the DLA, analytically: max(math, memory) + per-layer overhead,
 * the memory at min(the DLA port, bus_Bps) (bus_Bps <= 0: the port alone). */
double dla_layer_seconds(const dla_spec_t *spec, const dla_cost_t *c, double bus_Bps);
const char *dla_kind_name(dla_layer_kind_t k);

typedef struct dla dla_t;
typedef void (*dla_done_fn)(sim_t *s, void *ctx, uint64_t tag);

dla_t *dla_new(sim_t *s, const dla_spec_t *spec, dram_t *dram);
void dla_free(dla_t *d);
/* Run a task: the per-task overhead, then each layer in order (its math and its DRAM
 * traffic overlap; the layer ends when both are done, plus the per-layer overhead).
 * One task at a time: the caller queues. `layers` must stay valid until `done`. */
int dla_submit(dla_t *d, const dla_layer_t *layers, int n, dla_done_fn done, void *ctx,
               uint64_t tag);
int dla_busy(const dla_t *d);
/* Be told when each hardware layer ends (timelines): `first` is the index of its first
 * layer in the submitted list and `count` how many trace layers were fused into it. */
typedef void (*dla_layer_fn)(void *ctx, int first, int count, sim_time_t start, sim_time_t end,
                             double dram_bytes, double macs);
void dla_set_observer(dla_t *d, dla_layer_fn fn, void *ctx);
void dla_set_clock(dla_t *d, double hz);
/* Time-weighted busy level (1 while a task runs) and MAC utilisation (achieved MAC rate /
 * peak) over [t0, now]. */
double dla_busy_frac(dla_t *d, sim_time_t t0);
double dla_mac_frac(dla_t *d, sim_time_t t0);
double dla_macs_done(const dla_t *d);

#endif
