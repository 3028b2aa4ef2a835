/*
 * stats: sample distributions, time-weighted levels. See stats.h.
 *
 * A distribution is a growable array of uint64 samples (doubling), sorted with qsort the
 * first time an order statistic is asked for after a change. Percentiles use the nearest
 * rank: Pp is the sample at 1-based rank ceil(p/100 * n), clamped to [1, n], so P0 is the
 * minimum and P100 the maximum. The rank is computed as p*n/100 and nudged down by a
 * relative 1e-12 before the ceiling, so that a p written in decimal (99.9 is not exact in
 * binary) does not skip to the next rank when p*n/100 is mathematically an integer.
 *
 * A utilisation is the integral of a piecewise-constant level: each change adds
 * level x (now - t_last) to the area. The average over [t0, now] adds the current level
 * up to now without modifying the record.
 */
#include "sim/stats.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

void sim_dist_init(sim_dist_t *d)
{
    d->v = NULL;
    d->n = 0;
    d->cap = 0;
    d->sorted = 1;
    d->sum = 0;
}

void sim_dist_free(sim_dist_t *d)
{
    free(d->v);
    sim_dist_init(d);
}

int sim_dist_add(sim_dist_t *d, uint64_t x)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        uint64_t *v = realloc(d->v, cap * sizeof *v);
        if (v == NULL)
            return -1;
        d->v = v;
        d->cap = cap;
    }
    if (d->n > 0 && x < d->v[d->n - 1])
        d->sorted = 0;
    d->v[d->n++] = x;
    d->sum += (long double)x;
    return 0;
}

int sim_dist_reserve(sim_dist_t *d, size_t n)
{
    if (n <= d->cap)
        return 0;
    if (n > SIZE_MAX / sizeof *d->v)
        return -1;
    uint64_t *v = realloc(d->v, n * sizeof *v);
    if (v == NULL)
        return -1;
    d->v = v;
    d->cap = n;
    return 0;
}

size_t sim_dist_count(const sim_dist_t *d)
{
    return d->n;
}

double sim_dist_mean(const sim_dist_t *d)
{
    if (d->n == 0)
        return 0.0;
    return (double)(d->sum / (long double)d->n);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void ensure_sorted(sim_dist_t *d)
{
    if (!d->sorted) {
        qsort(d->v, d->n, sizeof *d->v, cmp_u64);
        d->sorted = 1;
    }
}

uint64_t sim_dist_min(sim_dist_t *d)
{
    if (d->n == 0)
        return 0;
    ensure_sorted(d);
    return d->v[0];
}

uint64_t sim_dist_max(sim_dist_t *d)
{
    if (d->n == 0)
        return 0;
    ensure_sorted(d);
    return d->v[d->n - 1];
}

uint64_t sim_dist_pct(sim_dist_t *d, double p)
{
    assert(p >= 0 && p <= 100);
    if (d->n == 0)
        return 0;
    ensure_sorted(d);
    double r = p * (double)d->n / 100.0;
    r = ceil(r - r * 1e-12);
    size_t k = r < 1 ? 1 : (size_t)r;
    if (k > d->n)
        k = d->n;
    return d->v[k - 1];
}

void sim_util_init(sim_util_t *u, sim_time_t t0)
{
    u->t_last = t0;
    u->level = 0.0;
    u->area = 0.0;
    u->peak = 0.0;
}

void sim_util_set(sim_util_t *u, sim_time_t now, double level)
{
    SIM_HOT_ASSERT(now >= u->t_last);
    u->area += u->level * (double)(now - u->t_last);
    u->t_last = now;
    u->level = level;
    if (level > u->peak)
        u->peak = level;
}

double sim_util_avg(const sim_util_t *u, sim_time_t t0, sim_time_t now)
{
    if (now <= t0)
        return 0.0;
    assert(now >= u->t_last);
    double area = u->area + u->level * (double)(now - u->t_last);
    return area / (double)(now - t0);
}

double sim_util_peak(const sim_util_t *u)
{
    return u->peak;
}
