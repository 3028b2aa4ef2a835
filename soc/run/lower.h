/*
 * lower: what each trace op becomes on the engine that runs it: a GPU kernel
 * (models/kernels.c), a DLA layer (models/dla.c), a PVA op (models/pva.c) or CPU cycles.
 * Lowering happens once per op before a run; the run only moves pointers.
 */
#ifndef ORINSIM_LOWER_H
#define ORINSIM_LOWER_H

#include <stddef.h>

#include "models/dla.h"
#include "models/gpu.h"
#include "models/pva.h"
#include "sim/diag.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"

typedef enum lower_engine { ON_GPU = 0, ON_DLA, ON_PVA, ON_CPU } lower_engine_t;

typedef struct lowered_op {
    lower_engine_t on;
    trace_op_kind_t kind;
    gpu_kernel_t kernel;       /* ON_GPU */
    dla_layer_t layer;         /* ON_DLA */
    pva_op_t pva;              /* ON_PVA */
    double cpu_cycles;         /* ON_CPU: per thread */
    int cpu_threads;
    double cpu_bytes;
    double in_bytes, out_bytes;/* the op's input and output tensors (GPU reformat at hand-offs) */
    char label[64];            /* the op's `name:` label, else its kind (timelines) */
    int fused;                 /* ON_GPU: folded into the kernel of the op before it
                                * (lower_fuse_gpu); launches nothing */
} lowered_op_t;

/* Lower `op` for the GPU. Errors (with the op's position) when it cannot run there. */
int lower_gpu(const soc_config_t *cfg, const trace_t *t, const trace_op_t *op, lowered_op_t *out,
              diag_t *d);
/* Lower for a DLA: 0, or -1 with `why` when the DLA cannot run this op (the caller decides
 * between an error and a GPU fallback). */
int lower_dla(const soc_config_t *cfg, const trace_op_t *op, lowered_op_t *out, char *why,
              size_t len);
int lower_pva(const soc_config_t *cfg, const trace_op_t *op, lowered_op_t *out, char *why,
              size_t len);
int lower_cpu(const soc_config_t *cfg, const trace_op_t *op, lowered_op_t *out);
/* Epilogue fusion on the GPU, as TensorRT builds it: an element-wise, activation or
 * batch-norm op that directly follows a GPU convolution, deconvolution or FC and whose
 * input is that op's output (same shape and dtype) becomes part of the producer's kernel.
 * The producer keeps its output write and also reads the point-wise op's other operands;
 * the point-wise op is marked `fused` and launches no kernel. `tops` and `ops` are a
 * task's trace ops and their lowering, index for index. */
void lower_fuse_gpu(const trace_op_t *tops, lowered_op_t *ops, int n);
/* A GPU kernel that reads `in` bytes of tensor and writes it as `out` bytes in another
 * layout or type: what TensorRT inserts around DLA subgraphs, and at an engine's I/O when
 * the host tensors are of another type. */
int lower_reformat(const soc_config_t *cfg, double in, double out, lowered_op_t *op);

#endif
