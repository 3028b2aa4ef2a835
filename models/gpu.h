/*
 * gpu: the Ampere GA10B GPU at thread-block (CTA) granularity. See models/gpu.c.
 */
#ifndef ORINSIM_GPU_H
#define ORINSIM_GPU_H

#include <stdint.h>

#include "models/dtype.h"

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
} gpu_spec_t;

#endif
