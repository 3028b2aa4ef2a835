/*
 * program: a trace task as the replay runs it. Every op is lowered (soc/run/lower.c) and
 * placed on an engine; consecutive DLA ops become one DLA segment (one submitted DLA
 * task); GPU reformat kernels go where a tensor crosses between the DLA and the GPU, and
 * around a DLA task whose I/O is not in the DLA's native format, as TensorRT inserts
 * them. A DLA or PVA task places each op on its engine; with `fallback: gpu`, ops the
 * engine cannot run (or every op, on a module without the engine) become GPU kernels.
 */
#ifndef ORINSIM_PROGRAM_H
#define ORINSIM_PROGRAM_H

#include "models/dla.h"
#include "sim/diag.h"
#include "soc/run/lower.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"

typedef struct step {
    lower_engine_t on;
    int op;                       /* GPU, CPU, PVA: index into the program's ops */
    const char *name;             /* for the timeline: op label or kind */
    dla_layer_t *layers;          /* DLA: its segment */
    char (*labels)[64];           /* DLA: each layer's label, for the timeline */
    int nlayers;
    int first, last;              /* the task's trace ops this step runs, first..last (a
                                   * kernel and the point-wise ops fused into it, or a DLA
                                   * segment); -1, -1 for a reformat kernel */
} step_t;

typedef struct program {
    lowered_op_t *ops;
    int nops, cap;
    step_t *steps;                /* run in order */
    int nsteps, scap;
    int dla;                      /* DLA index for dla0/dla1, -1 for either */
} program_t;

/* Build task `ti` of `t` into `p` (zeroed by the caller). Returns 0, or DIAG_ERR with the
 * error in `d` (an engine the module lacks, an op its engine cannot run). */
int program_build(const soc_config_t *cfg, const trace_t *t, int ti, program_t *p, diag_t *d);

/* A lower bound on one run of the program, in seconds, each step alone on its engine at
 * the mode's full clocks: a GPU kernel's launch and math (gpu_kernel_min_s), a CPU op's
 * cycles on one core, a PVA op's overhead and cycles over every VPS; a DLA segment counts
 * 0. `*worst` is the step with the largest bound (-1 for no step). */
double program_min_seconds(const soc_config_t *cfg, const program_t *p, int *worst);
double program_step_min_seconds(const soc_config_t *cfg, const program_t *p, int step);

/* Whether the module has the engine a task names. A task whose engine the module lacks
 * runs whole on the GPU when it says `fallback: gpu` (else program_build refuses it);
 * `why` gets the reason ("nano8 (Jetson Orin Nano 8GB) has no DLA") when it returns 0. */
int program_has_engine(const soc_config_t *cfg, trace_engine_t e, char *why, size_t len);

/* Free what program_build allocated (also after a failed build) and zero `p`. */
void program_free(program_t *p);

#endif
