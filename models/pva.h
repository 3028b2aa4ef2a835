/*
 * pva: PVA v2 programmable vision accelerator. See models/pva.c.
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

typedef struct pva_op {
    pva_op_kind_t kind;
    int64_t width, height;         /* input pixels */
    int64_t out_width, out_height; /* resize; 0 = same as input */
    int64_t kernel;                /* filter size (gaussian, box), 0 = default */
    int64_t disparities;           /* stereo */
    double bytes_per_pixel;        /* input bytes per pixel; 0 = the op's default */
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
    double dram_Bps;                          /* DMA ceiling */
    double op_overhead_s;                     /* per op: R5 scheduling, DMA setup */
} pva_spec_t;

typedef struct pva_cost {
    double cycles;                 /* total VPS cycles (split over the VPS units) */
    double dram_bytes;
} pva_cost_t;

int pva_op_cost(const pva_spec_t *spec, const pva_op_t *op, pva_cost_t *out, char *why,
                size_t len);

typedef struct pva pva_t;
typedef void (*pva_done_fn)(sim_t *s, void *ctx, uint64_t tag);

pva_t *pva_new(sim_t *s, const pva_spec_t *spec, dram_t *dram);
void pva_free(pva_t *p);
/* Run one op on both VPS (the op's pixels are split between them); its DMA traffic
 * overlaps the math. Ops queue in order: one at a time. */
int pva_submit(pva_t *p, const pva_op_t *op, pva_done_fn done, void *ctx, uint64_t tag);
double pva_busy_frac(pva_t *p, sim_time_t t0);

#endif
