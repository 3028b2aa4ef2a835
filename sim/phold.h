/*
 * phold: the PHOLD benchmark (Fujimoto 1990) on orinsim's event engine.
 *
 * N logical processes (LPs) each start with E events. Handling an event at an LP
 * schedules exactly one new event, at now + lookahead + an exponential delay of the given
 * mean, to a uniformly chosen LP (any of the N, itself included) with probability
 * `remote`, else to itself. The pending set therefore holds N x E events at all times and
 * the benchmark measures the cost of one pop + one push + the handler: the engine's
 * throughput on a model that does almost no work per event.
 *
 * Runs are deterministic: the same parameters and seed give the same event sequence,
 * final time and digest on every machine.
 */
#ifndef ORINSIM_PHOLD_H
#define ORINSIM_PHOLD_H

#include <stdint.h>

#include "sim/sim.h"

typedef struct phold_params {
    uint32_t lps;               /* logical processes (default 64) */
    uint32_t events_per_lp;     /* initial events per LP (default 16) */
    sim_time_t lookahead;       /* minimum delay (default 1 ns) */
    sim_time_t mean;            /* mean of the exponential part of the delay (default 10 ns) */
    double remote;              /* probability an event goes to a random LP (default 0.9) */
    uint64_t count;             /* stop after this many events (default 20,000,000) */
    sim_time_t end;             /* and stop at this simulated time (default: SIM_TIME_MAX) */
    uint64_t seed;              /* PRNG seed (default 1) */
    int bare;                   /* run the reference instead: the same model on a bare
                                 * 4-ary heap, without the engine (default 0) */
} phold_params_t;

typedef struct phold_result {
    uint64_t events;            /* events executed */
    sim_time_t sim_time;        /* simulated time of the last event */
    double wall_s;              /* wall-clock seconds spent in sim_run */
    uint64_t digest;            /* hash of the final time and per-LP event counts */
} phold_result_t;

void phold_defaults(phold_params_t *p);
/* Run once. 0 on success, -1 on allocation failure. */
int phold_run(const phold_params_t *p, phold_result_t *r);

#endif
