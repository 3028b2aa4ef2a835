/*
 * dram: the shared LPDDR5 memory system of the SoC, as one fluid link.
 *
 * Peak bandwidth = bus_bits / 8 x 2 (double data rate) x EMC clock: 256 bit at 3199 MHz
 * gives 204.7 GB/s (NVIDIA quotes 204.8). No requester ever sees the peak: the bus
 * delivers `efficiency` x peak under streaming traffic (refresh, bank and turnaround
 * overheads), and that achievable bandwidth is shared among requesters by weighted
 * max-min fairness (sim/flow.h), each requester capped by its own ceiling: GPU CTAs, DLA
 * layers, PVA ops and CPU ops all use this interface.
 *
 * What it ignores: row-buffer locality differences between requesters, read/write mix,
 * the Tegra memory controller's isochronous priorities, and loaded latency (a fixed
 * `latency_ps` is charged once per dependent access chain by the callers that need it).
 */
#ifndef ORINSIM_DRAM_H
#define ORINSIM_DRAM_H

#include "sim/flow.h"
#include "sim/sim.h"
#include "sim/stats.h"

typedef struct dram_spec {
    int bus_bits;            /* 256 on AGX, 128 on NX / Nano 8GB, 64 on Nano 4GB */
    double emc_hz;           /* EMC clock in effect (mode cap) */
    double efficiency;       /* achievable fraction of peak for streaming traffic */
    double latency_ps;       /* idle load-to-use latency seen by the GPU */
} dram_spec_t;

/* bus_bits / 8 x 2 x emc_hz, in bytes/s. */
double dram_peak_Bps(const dram_spec_t *spec);
double dram_achievable_Bps(const dram_spec_t *spec);

typedef struct dram {
    dram_spec_t spec;
    sim_t *sim;
    sim_link_t *link;
    sim_util_t bw;           /* bytes/s over time */
    double bytes_at_start;
    void (*tap)(void *ctx, sim_time_t now, double Bps);   /* optional: every rate change */
    void *tap_ctx;
} dram_t;

int dram_init(dram_t *m, sim_t *s, const dram_spec_t *spec);
void dram_free(dram_t *m);
/* Change the EMC clock (power mode, DVFS) at the current time. */
void dram_set_emc_hz(dram_t *m, double hz);
/* Move `bytes` for a requester with its own ceiling (bytes/s; <= 0: none). */
sim_flow_t *dram_transfer(dram_t *m, double bytes, double ceiling_Bps, double weight,
                          sim_flow_done_fn done, void *ctx, uint64_t tag);
double dram_bytes_moved(dram_t *m);
/* Be told the bus's aggregate rate after every change (timelines). */
void dram_set_tap(dram_t *m, void (*fn)(void *ctx, sim_time_t now, double Bps), void *ctx);

#endif
