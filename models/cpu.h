/*
 * cpu: the Cortex-A78AE complex as a pool of identical cores. See models/cpu.c.
 */
#ifndef ORINSIM_CPU_H
#define ORINSIM_CPU_H

#include "models/dram.h"
#include "sim/flow.h"
#include "sim/sim.h"
#include "sim/stats.h"

typedef struct cpu_spec {
    int cores;                /* online in the mode */
    double hz;                /* core clock in effect */
    double dram_Bps_per_core; /* what one core's loads and stores can stream from DRAM */
} cpu_spec_t;

typedef struct cpu cpu_t;

cpu_t *cpu_new(sim_t *s, const cpu_spec_t *spec, dram_t *dram);
void cpu_free(cpu_t *c);
/* Run `threads` threads of `cycles_per_thread` cycles each, moving `bytes` through DRAM
 * meanwhile; `done` runs when both the work and the traffic are finished. */
int cpu_run(cpu_t *c, double cycles_per_thread, int threads, double bytes, sim_flow_done_fn done,
            void *ctx, uint64_t tag);
/* Average busy cores over [t0, now]. */
double cpu_busy_cores(cpu_t *c, sim_time_t t0);
const cpu_spec_t *cpu_spec(const cpu_t *c);
/* Change the core clock at the current time (DVFS, thermal throttling). The cores' total
 * capacity follows at once; an op already running keeps its per-thread ceiling. */
void cpu_set_clock(cpu_t *c, double hz);

#endif
