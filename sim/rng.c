/*
 * rng: xoshiro256** streams seeded by splitmix64, and random variables. See rng.h.
 *
 * Seeding: splitmix64 is run from seed ^ splitmix64(stream), four outputs filling the
 * state, as Vigna recommends for xoshiro (never an all-zero state: splitmix64 is a
 * bijection of a counter, and four consecutive outputs are never all 0). Streams of one
 * seed start from unrelated points of splitmix64's sequence, which is how the xoshiro
 * authors suggest getting independent generators when jump() is not wanted.
 *
 * A uniform takes the top 53 bits of one output, plus one, times 2^-53: (0, 1].
 */
#include "sim/rng.h"

#include <math.h>
#include <stddef.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t sim_rng_stream_id(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    return h;
}

void sim_rng_seed(sim_rng_t *r, uint64_t seed, uint64_t stream)
{
    uint64_t s = stream;
    uint64_t x = seed ^ splitmix64(&s);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t sim_rng_next(sim_rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double sim_rng_uniform(sim_rng_t *r)
{
    return (double)((sim_rng_next(r) >> 11) + 1) * 0x1.0p-53;
}

double sim_rng_normal(sim_rng_t *r)
{
    double u1 = sim_rng_uniform(r), u2 = sim_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2)   /* 2 pi */;
}

const char *sim_rand_name(sim_rand_kind_t k)
{
    static const char *const NAMES[RAND_KIND_COUNT] = {
        "constant", "exponential", "lognormal", "uniform", "normal", "histogram"};
    return (k >= 0 && k < RAND_KIND_COUNT) ? NAMES[k] : NULL;
}

void sim_rand_prepare(sim_rand_t *v)
{
    if (v->kind == RAND_LOGNORMAL) {
        double s2 = log1p(v->cv * v->cv);
        v->sigma = sqrt(s2);
        v->mu = log(v->mean) - s2 / 2;
    }
}

double sim_rand_draw(const sim_rand_t *v, sim_rng_t *r)
{
    double u, x;
    int lo, hi;
    switch (v->kind) {
    case RAND_CONSTANT:
        return v->mean;
    case RAND_EXPONENTIAL:
        return -v->mean * log(sim_rng_uniform(r));
    case RAND_LOGNORMAL:
        return exp(v->mu + v->sigma * sim_rng_normal(r));
    case RAND_UNIFORM:
        return v->lo + (v->hi - v->lo) * (1.0 - sim_rng_uniform(r));
    case RAND_NORMAL:
        x = v->mean + v->cv * sim_rng_normal(r);
        return x > 0 ? x : 0;
    case RAND_HISTOGRAM:
        u = sim_rng_uniform(r);
        lo = 0;
        hi = v->nbins - 1;
        while (lo < hi) {            /* the first bin whose cumulative probability >= u */
            int mid = (lo + hi) / 2;
            if (v->cum[mid] >= u)
                hi = mid;
            else
                lo = mid + 1;
        }
        return v->edges[lo] + (v->edges[lo + 1] - v->edges[lo]) * (1.0 - sim_rng_uniform(r));
    default:
        return v->mean;
    }
}

double sim_rand_mean(const sim_rand_t *v)
{
    double m = 0, prev = 0;
    switch (v->kind) {
    case RAND_UNIFORM:
        return (v->lo + v->hi) / 2;
    case RAND_HISTOGRAM:
        for (int i = 0; i < v->nbins; i++) {
            m += (v->cum[i] - prev) * (v->edges[i] + v->edges[i + 1]) / 2;
            prev = v->cum[i];
        }
        return m;
    default:
        return v->mean;
    }
}
