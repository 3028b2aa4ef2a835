/*
 * footprint: the resident DRAM a trace needs, against what the module can give it.
 *
 * Orin's DRAM is shared by the CPU, GPU and accelerators, and a model that does not fit is
 * the commonest reason to choose a bigger module. For each task the footprint is:
 *
 *   weights      sum over its ops: gemm B (k x n, at weight_dtype with its quant_group scales;
 *                unless weights: false),
 *                conv/deconv filters (K x C/groups x kh x kw), fc (outputs x features);
 *   kv_cache     sum over attention ops: 2 x batch x kv_heads x seq_kv x head_dim;
 *   activations  the largest input + output of any one op (buffers are reused between
 *                layers, as TensorRT's memory planner does), times max_in_flight;
 *   declared     the task's `memory:` (weights, activations, kv_cache, buffers) on top.
 *
 * The trace's footprint is the sum over tasks. The module's usable DRAM is its capacity
 * minus `reserved` (carve-outs and the OS), both from configs/.
 */
#ifndef ORINSIM_FOOTPRINT_H
#define ORINSIM_FOOTPRINT_H

#include "sim/diag.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"

typedef struct footprint {
    double weights, kv_cache, activations, buffers;
    double total;
    double usable;               /* module capacity - reserved */
    int largest_task;            /* index of the task with the largest footprint */
} footprint_t;

void footprint_of(const soc_config_t *cfg, const trace_t *t, footprint_t *out);
/* 0 if the trace fits; otherwise an error naming what did not fit and by how much. */
int footprint_check(const soc_config_t *cfg, const trace_t *t, footprint_t *out, diag_t *d);

#endif
