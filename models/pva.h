/*
 * pva: PVA v2 programmable vision accelerator. See models/pva.c and docs/pva.md.
 */
#ifndef ORINSIM_PVA_H
#define ORINSIM_PVA_H

#include <stddef.h>
#include <stdint.h>

#include "models/dram.h"
#include "sim/sim.h"

typedef enum pva_op_kind {
    PVA_COLOR_CONVERT = 0,
    PVA_RESIZE,
    PVA_REMAP,           /* remap / undistort */
    PVA_GAUSSIAN,
    PVA_BOX,
    PVA_HARRIS,
    PVA_FAST,
    PVA_HISTOGRAM,
    PVA_STEREO,          /* stereo disparity */
    PVA_VPU,             /* generic kernel: cycles per pixel or total cycles, plus bytes */
    PVA_OP_COUNT
} pva_op_kind_t;

/* Limits of what pva_op_cost accepts (chosen bounds, see docs/pva.md), and the parameters
 * an op's cost-table entry is given for (kernel = 0 / disparities = 0 select these). */
#define PVA_MAX_DIM 8192               /* width, height, out_width, out_height */
#define PVA_DEFAULT_KERNEL 5
#define PVA_MIN_KERNEL 3               /* odd sizes only */
#define PVA_MAX_KERNEL 11
#define PVA_DEFAULT_DISPARITIES 64
#define PVA_MAX_DISPARITIES 256
#define PVA_MAX_BYTES_PER_PIXEL 64.0
#define PVA_MAX_CYCLES 1e15            /* generic op: total cycles */
#define PVA_MAX_BYTES 1e15             /* generic op: DMA bytes */

typedef struct pva_op {
    pva_op_kind_t kind;
    int64_t width, height;         /* input pixels */
    int64_t out_width, out_height; /* resize; 0 = same as input */
    int64_t kernel;                /* filter size (gaussian, box), 0 = default */
    int64_t disparities;           /* stereo */
    double bytes_per_pixel;        /* input bytes per pixel, all input planes and images
                                    * together (stereo: left + right); 0 = the op's default */
    /* PVA_VPU only */
    double cycles_per_pixel, cycles, bytes;
} pva_op_t;

/* Per-op cost table and hardware, filled by soc/ from configs/. */
typedef struct pva_spec {
    int vps;                                  /* vector processing subsystems (2) */
    double vps_hz;                            /* VPS clock in effect */
    double cycles_per_pixel[PVA_OP_COUNT];    /* per VPS, at the op's default parameters */
    double bytes_per_pixel_in[PVA_OP_COUNT];  /* DMA read per input pixel */
    double bytes_per_pixel_out[PVA_OP_COUNT]; /* DMA write per output pixel */
    double dram_Bps;                          /* DMA ceiling in effect (bytes/s) */
    double op_overhead_s;                     /* per op: R5 scheduling, DMA setup */
} pva_spec_t;

typedef struct pva_cost {
    double cycles;                 /* total VPS cycles (split over the VPS units) */
    double dram_bytes;
} pva_cost_t;

/* Cost of one op; -1 with `why` for an op the PVA cannot run (no PVA, bad sizes, a
 * parameter that does not apply to the op). */
int pva_op_cost(const pva_spec_t *spec, const pva_op_t *op, pva_cost_t *out, char *why,
                size_t len);
/* "color_convert", "resize", ..., "vpu": the op's name in configs/ and docs; NULL if out
 * of range. */
const char *pva_op_name(pva_op_kind_t kind);

typedef struct pva pva_t;
typedef void (*pva_done_fn)(sim_t *s, void *ctx, uint64_t tag);

/* NULL if the spec has no VPS or no clock, or on allocation failure. */
pva_t *pva_new(sim_t *s, const pva_spec_t *spec, dram_t *dram);
/* Free after the simulation has stopped (flows in flight point at the PVA). */
void pva_free(pva_t *p);
/* Run one op on both VPS (the op's pixels are split between them); its DMA traffic
 * overlaps the math. Ops queue in order: one at a time. -1 if pva_op_cost rejects the op
 * (call it for the reason) or on allocation failure. */
int pva_submit(pva_t *p, const pva_op_t *op, pva_done_fn done, void *ctx, uint64_t tag);
/* Ops submitted and not yet done (the running one included). */
int pva_busy(const pva_t *p);
/* Time-weighted busy level (1 while an op runs, its overhead included) over [t0, now]. */
double pva_busy_frac(pva_t *p, sim_time_t t0);
const pva_spec_t *pva_spec(const pva_t *p);
/* Change the VPS clock at the current time (DVFS, thermal throttling). */
void pva_set_clock(pva_t *p, double hz);

#endif
