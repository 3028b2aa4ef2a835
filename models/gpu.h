/*
 * gpu: the Ampere GA10B GPU at thread-block (CTA) granularity. See models/gpu.c.
 */
#ifndef ORINSIM_GPU_H
#define ORINSIM_GPU_H

#include <stdint.h>

#include "models/dram.h"
#include "models/dtype.h"
#include "sim/sim.h"
#include "sim/stats.h"

/* Hardware description of one GPU, filled by soc/ from configs/ (a model never reads
 * YAML). Per-SM rates are per clock; FMA counts as 2 FLOP, an INT8 MAC as 2 OP. */
typedef struct gpu_spec {
    int sms;                                  /* enabled SMs (TPCs x 2) */
    double clock_hz;                          /* GPU clock in effect */
    double cuda_flops_per_clk[DT_COUNT];      /* CUDA cores, per SM (0: no CUDA-core path) */
    double tensor_flops_per_clk[DT_COUNT];    /* tensor cores, dense, per SM (0: none) */
    double sparse_factor;                     /* 2:4 sparse tensor math speed-up (2) */
    double sparse_meta_bits;                  /* metadata bits per kept element of a 2:4 operand */
    double tensor_efficiency;                 /* sustained fraction of tensor peak (fitted) */
    double cuda_efficiency;                   /* sustained fraction of CUDA-core peak (fitted) */
    double sfu_ops_per_clk;                   /* special-function results per SM (exp2, rcp) */
    int warp_size;
    int max_threads_sm;
    int max_ctas_sm;
    int max_threads_cta;
    int regs_sm;                              /* 32-bit registers per SM */
    int max_regs_thread;
    int reg_alloc_unit;                       /* registers allocated per warp in units of this */
    double smem_sm;                           /* bytes of shared memory per SM usable by CTAs */
    double smem_cta_max;                      /* opt-in maximum per CTA */
    double smem_cta_reserved;                 /* bytes the driver reserves per CTA */
    int warps_full_rate;                      /* resident warps an SM needs for full math rate */
    double l2_bytes;
    double sm_dram_bytes_per_clk;             /* per-SM ceiling on DRAM traffic */
    double launch_overhead_s;                 /* per kernel launch, host + front end */
    double timeslice_s;                       /* scheduling slice of a context (0: none) */
    double context_switch_s;                  /* cost of switching to another context */
} gpu_spec_t;

/* One kernel launch: a grid of identical CTAs. Work is given per CTA. */
typedef struct gpu_kernel {
    char name[64];
    int64_t ctas;                             /* grid size */
    int threads;                              /* per CTA */
    int regs;                                 /* per thread */
    double smem;                              /* bytes per CTA */
    double cuda_flops[DT_COUNT];              /* per CTA, on CUDA cores */
    double tensor_flops[DT_COUNT];            /* per CTA, on tensor cores */
    double sfu_ops;                           /* per CTA, on the special-function units */
    int sparse;                               /* tensor math at the 2:4 sparse rate */
    int context;                              /* CUDA context (process) that launched it */
    double dram_bytes;                        /* per CTA */
    /* Filled by the lowering, for reports: useful work of the whole kernel. */
    double useful_flops;
} gpu_kernel_t;

/* Resident CTAs per SM for a kernel (the occupancy limit), or 0 if one CTA does not fit;
 * then `why` (if not NULL) says which resource. */
int gpu_occupancy(const gpu_spec_t *spec, const gpu_kernel_t *k, char *why, unsigned long len);
/* SM cycles one CTA needs at the full rate of one SM (math only). */
double gpu_cta_cycles(const gpu_spec_t *spec, const gpu_kernel_t *k);

/* A lower bound on a kernel's time alone on the GPU at its full clock, in seconds: the
 * launch overhead, then the longer of one CTA's math at its warps' issue ceiling and the
 * grid's math spread over every SM. DRAM traffic is left out (it can only add). */
double gpu_kernel_min_s(const gpu_spec_t *spec, const gpu_kernel_t *k);

typedef struct gpu gpu_t;
typedef void (*gpu_done_fn)(sim_t *s, void *ctx, uint64_t tag);

gpu_t *gpu_new(sim_t *s, const gpu_spec_t *spec, dram_t *dram);
void gpu_free(gpu_t *g);
/* Launch a kernel; its CTAs become dispatchable after the launch overhead, and `done`
 * runs when the last CTA ends. The kernel must fit (gpu_occupancy > 0). */
int gpu_launch(gpu_t *g, const gpu_kernel_t *k, gpu_done_fn done, void *ctx, uint64_t tag);
/* Be told when an SM becomes busy (its first resident CTA; `kernel` names it) or idle
 * (timelines). */
typedef void (*gpu_sm_fn)(void *ctx, int sm, int busy, const char *kernel, sim_time_t now);
void gpu_set_observer(gpu_t *g, gpu_sm_fn fn, void *ctx);
/* Be told when the GPU changes hands between contexts: `context` now holds it, or -1
 * while a context switch is under way (timelines). */
typedef void (*gpu_ctx_fn)(void *ctx, int context, sim_time_t now);
void gpu_set_context_observer(gpu_t *g, gpu_ctx_fn fn, void *ctx);
/* Change the GPU clock at the current time (power modes, DVFS). */
void gpu_set_clock(gpu_t *g, double hz);

typedef struct gpu_stats {
    uint64_t kernels, ctas;
    double flops;                             /* useful work completed */
    sim_util_t busy;                          /* 1 while any CTA is resident */
    sim_util_t sms_active;                    /* SMs with at least one CTA */
    uint64_t context_switches;                /* each costs spec.context_switch_s */
} gpu_stats_t;

const gpu_stats_t *gpu_stats(gpu_t *g);
/* Bring the time-weighted statistics up to `now` (before reading them). */
void gpu_stats_flush(gpu_t *g);

#endif
