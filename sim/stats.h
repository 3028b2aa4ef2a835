/*
 * stats: counters, time-weighted utilisation and latency distributions.
 *
 * Distributions keep every sample (8 bytes each) and compute exact percentiles by
 * sorting on demand, using the nearest-rank definition: Pp is the smallest sample x such
 * that at least p% of samples are <= x. A run with a million frames costs 8 MB, and
 * exactness is worth that for p99 budgets.
 */
#ifndef ORINSIM_STATS_H
#define ORINSIM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "sim/sim.h"

typedef struct sim_dist {
    uint64_t *v;
    size_t n, cap;
    int sorted;
    long double sum;
} sim_dist_t;

void sim_dist_init(sim_dist_t *d);
void sim_dist_free(sim_dist_t *d);
int sim_dist_add(sim_dist_t *d, uint64_t x);          /* -1 on allocation failure */
/* Make room for n samples in all, so that adds up to n allocate nothing: -1 if that
 * memory (8 B a sample) cannot be had, the distribution unchanged. */
int sim_dist_reserve(sim_dist_t *d, size_t n);
size_t sim_dist_count(const sim_dist_t *d);
double sim_dist_mean(const sim_dist_t *d);            /* 0 when empty */
uint64_t sim_dist_min(sim_dist_t *d);
uint64_t sim_dist_max(sim_dist_t *d);
uint64_t sim_dist_pct(sim_dist_t *d, double p);       /* p in [0,100]; 0 when empty */

/* Time-weighted level: the integral of a piecewise-constant level over time. */
typedef struct sim_util {
    sim_time_t t_last;
    double level;         /* current level, e.g. busy units or GB/s */
    double area;          /* integral of level dt, in level x picoseconds */
    double peak;
} sim_util_t;

void sim_util_init(sim_util_t *u, sim_time_t t0);
void sim_util_set(sim_util_t *u, sim_time_t now, double level);
/* Average level over [t0, now]; 0 for an empty interval. */
double sim_util_avg(const sim_util_t *u, sim_time_t t0, sim_time_t now);
/* Highest level set since init (0 if never set above 0). */
double sim_util_peak(const sim_util_t *u);

typedef struct sim_counter {
    uint64_t n;
} sim_counter_t;

static inline void sim_counter_add(sim_counter_t *c, uint64_t k) { c->n += k; }

#endif
