/*
 * rng: seeded random streams and the distributions a trace may declare.
 *
 * A stream is a xoshiro256** generator (Blackman and Vigna, 2018: 256 bits of state,
 * period 2^256 - 1, passes BigCrush) whose state is filled by splitmix64 from the run's
 * seed mixed with the stream's own number. Every source of variability (the arrivals,
 * one op's durations, one interference source) has a stream of its own, numbered by a
 * hash of its name (sim_rng_stream_id), so adding or removing one source leaves the
 * draws of every other source unchanged, and a source's k-th draw depends only on the
 * seed and k.
 *
 * A random variable (sim_rand_t) is one of:
 *   constant     always `mean`
 *   exponential  by its mean (inversion: -mean ln u)
 *   lognormal    by its mean m and coefficient of variation c: sigma^2 = ln(1 + c^2),
 *                mu = ln m - sigma^2 / 2, so E[X] = m and sd(X) / E[X] = c
 *   uniform      on [lo, hi)
 *   normal       by mean and sd, truncated at 0 (a draw below 0 gives 0)
 *   histogram    an empirical histogram: bins [edge_i, edge_i+1) with probabilities p_i;
 *                a bin is chosen by its cumulative probability, the value is uniform in it
 * Normal deviates use the Box-Muller transform (two uniforms per deviate, none kept
 * between draws, so a draw never depends on an earlier one's leftover).
 */
#ifndef ORINSIM_RNG_H
#define ORINSIM_RNG_H

#include <stdint.h>

typedef struct sim_rng {
    uint64_t s[4];
} sim_rng_t;

/* The fixed default seed of a run (`--seed` changes it). */
#define SIM_RNG_DEFAULT_SEED 1u

/* A stream's number from its name (FNV-1a, 64 bits). */
uint64_t sim_rng_stream_id(const char *name);
/* Seed stream `stream` of a run seeded with `seed`. */
void sim_rng_seed(sim_rng_t *r, uint64_t seed, uint64_t stream);
uint64_t sim_rng_next(sim_rng_t *r);
/* Uniform in (0, 1]: 53 random bits, never 0 (safe for log). */
double sim_rng_uniform(sim_rng_t *r);
/* A standard normal deviate. */
double sim_rng_normal(sim_rng_t *r);

typedef enum sim_rand_kind {
    RAND_CONSTANT = 0,
    RAND_EXPONENTIAL,
    RAND_LOGNORMAL,
    RAND_UNIFORM,
    RAND_NORMAL,
    RAND_HISTOGRAM,
    RAND_KIND_COUNT
} sim_rand_kind_t;

typedef struct sim_rand {
    sim_rand_kind_t kind;
    double mean, cv;           /* constant, exponential, lognormal; normal: mean and sd = cv */
    double lo, hi;             /* uniform */
    double mu, sigma;          /* lognormal, derived by sim_rand_prepare */
    int nbins;                 /* histogram */
    double *edges;             /* [nbins + 1], increasing; owned by whoever filled it */
    double *cum;               /* [nbins], cumulative probabilities, last = 1 */
} sim_rand_t;

/* "constant", "exponential", ...; NULL out of range. */
const char *sim_rand_name(sim_rand_kind_t k);
/* Derive what drawing needs (lognormal's mu and sigma). Call once after filling. */
void sim_rand_prepare(sim_rand_t *v);
double sim_rand_draw(const sim_rand_t *v, sim_rng_t *r);
/* The distribution's mean (histogram: sum of bin midpoints x probabilities). */
double sim_rand_mean(const sim_rand_t *v);

#endif
