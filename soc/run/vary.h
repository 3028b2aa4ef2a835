/*
 * vary: the random draws of one run, and the interference sources that share the SoC with
 * the trace (docs/trace-format.md, "Variability").
 *
 * Every source of randomness has a stream of its own (sim/rng.h), named so that adding a
 * source leaves the others' draws as they were:
 *   "arrival"                         Poisson gaps
 *   "arrival/jitter"                  delays of periodic arrivals
 *   "task/<id>/op/<j>/work"           an op's work_scale, once each time the op runs
 *   "task/<id>/op/<j>/duration"       a cpu op's duration
 *   "interference/<i>/every", "interference/<i>/duration"
 * A task's instances run in frame order, so an op's k-th draw is always frame k's, however
 * the engines interleave.
 */
#ifndef ORINSIM_VARY_H
#define ORINSIM_VARY_H

#include <stdint.h>

#include "models/cpu.h"
#include "models/dram.h"
#include "sim/rng.h"
#include "sim/sim.h"
#include "soc/trace/trace.h"

typedef struct vary_source vary_source_t;

typedef struct vary {
    const trace_t *trace;
    uint64_t seed;
    sim_rng_t arrival, jitter;
    sim_rng_t **work;             /* [task][op], NULL for a task with no random op */
    sim_rng_t **duration;         /* [task][op], cpu ops with a duration distribution */
    vary_source_t *sources;       /* [trace->ninterf] */
} vary_t;

/* A `--seed` value: a whole number from 0 to 2^64 - 1. Returns 0, or -1. */
int vary_parse_seed(const char *text, uint64_t *out);

int vary_init(vary_t *v, const trace_t *t, uint64_t seed);
void vary_free(vary_t *v);

/* The next Poisson gap, in ps (at least 1). */
sim_time_t vary_poisson_gap(vary_t *v);
/* A periodic arrival's delay from its tick, in ps. */
sim_time_t vary_jitter(vary_t *v);
/* The product of the work_scale draws of trace ops first..last of task ti (1 if none). */
double vary_work(vary_t *v, int ti, int first, int last);
/* A cpu op's duration this time over its mean (1 for a fixed duration). */
double vary_duration(vary_t *v, int ti, int op);

/* Start the trace's interference sources on the SoC: their events run until the run
 * stops. Returns -1 on allocation failure. */
int vary_interference_start(vary_t *v, sim_t *s, cpu_t *cpu, dram_t *dram);

#endif
