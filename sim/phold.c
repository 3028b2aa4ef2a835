/*
 * phold: the PHOLD benchmark and its command line. See phold.h.
 *
 * Random numbers come from one xoshiro256** stream seeded through splitmix64 (Blackman
 * and Vigna's recommended seeding), so a run depends only on its parameters and seed.
 * Per event: one draw decides remote or local (compared against remote x 2^64), one picks
 * the destination by multiply-shift, one gives the exponential delay by inversion,
 * -mean x ln(u) with u in (0, 1], rounded to the nearest picosecond. The initial events
 * are spread the same way from time 0.
 *
 * The handler counts events per LP and calls sim_stop() when the run's event count is
 * reached; the event it schedules before stopping stays pending and is freed with the
 * engine. Wall time covers sim_run() only, not building the initial pending set.
 */
#define _POSIX_C_SOURCE 200809L

#include "sim/phold.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/diag.h"

/* ---- PRNG: splitmix64 seeding, xoshiro256** ---- */

typedef struct rng {
    uint64_t s[4];
} rng_t;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng_t *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(rng_t *r)
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

/* ---- the model ---- */

typedef struct phold {
    rng_t rng;
    uint32_t lps;
    uint64_t remote_threshold;  /* remote x 2^64, saturated */
    int always_remote;
    sim_time_t lookahead;
    double mean;
    uint64_t left;              /* events still to run */
    uint64_t *lp_events;
} phold_t;

static inline sim_time_t phold_delay(phold_t *ph)
{
    double u = (double)((rng_next(&ph->rng) >> 11) + 1) * 0x1.0p-53;   /* (0, 1] */
    return ph->lookahead + (sim_time_t)(-ph->mean * log(u) + 0.5);
}

static void phold_event(sim_t *s, void *component, uint64_t lp)
{
    phold_t *ph = component;
    ph->lp_events[lp]++;
    if (--ph->left == 0)
        sim_stop(s);
    uint64_t dst = lp;
    if (ph->always_remote || rng_next(&ph->rng) < ph->remote_threshold)
        dst = ((rng_next(&ph->rng) >> 32) * ph->lps) >> 32;
    sim_evid_t id = sim_schedule(s, phold_delay(ph), phold_event, ph, dst);
    (void)id;   /* the pending set never grows past its initial size: no allocation */
}

void phold_defaults(phold_params_t *p)
{
    p->lps = 64;
    p->events_per_lp = 16;
    p->lookahead = 1 * SIM_NS;
    p->mean = 10 * SIM_NS;
    p->remote = 0.9;
    p->count = 20000000;
    p->end = SIM_TIME_MAX;
    p->seed = 1;
    p->bare = 0;
}

/* FNV-1a over the final time and the per-LP counts. */
static void digest(phold_result_t *r, const phold_t *ph)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = (h ^ r->sim_time) * 0x100000001b3ULL;
    for (uint32_t lp = 0; lp < ph->lps; lp++)
        h = (h ^ ph->lp_events[lp]) * 0x100000001b3ULL;
    r->digest = h;
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the reference: the same model on a bare heap ---- */

/* A 4-ary min-heap of {time, sequence, LP} and nothing else: no event pool, no ids, no
 * positions written back, no handler call. It is the least a sequential engine can do
 * per PHOLD event (pop, draw, push), so the engine's rate over this one's says what the
 * engine's generality costs. Same draws in the same order, same tie-breaking (time, then
 * insertion sequence): the same events run, so the digest is the engine's. */
typedef struct bare_entry {
    sim_time_t time;
    uint64_t seq;
    uint64_t lp;
} bare_entry_t;

static inline int bare_less(const bare_entry_t *a, const bare_entry_t *b)
{
    return a->time != b->time ? a->time < b->time : a->seq < b->seq;
}

static void bare_sift_down(bare_entry_t *h, size_t n, size_t i)
{
    bare_entry_t e = h[i];
    for (;;) {
        size_t c = 4 * i + 1;
        if (c >= n)
            break;
        size_t end = n - c < 4 ? n : c + 4, best = c;
        for (size_t j = c + 1; j < end; j++)
            if (bare_less(&h[j], &h[best]))
                best = j;
        if (!bare_less(&h[best], &e))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = e;
}

static void bare_sift_up(bare_entry_t *h, size_t i)
{
    bare_entry_t e = h[i];
    while (i > 0) {
        size_t p = (i - 1) / 4;
        if (!bare_less(&e, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = e;
}

static int bare_run(const phold_params_t *p, phold_t *ph, phold_result_t *r)
{
    size_t n = 0, cap = (size_t)p->lps * p->events_per_lp;
    bare_entry_t *h = malloc(cap * sizeof *h);
    if (h == NULL)
        return -1;
    uint64_t seq = 0;
    for (uint32_t lp = 0; lp < p->lps; lp++)
        for (uint32_t e = 0; e < p->events_per_lp; e++) {
            h[n] = (bare_entry_t){phold_delay(ph), seq++, lp};
            bare_sift_up(h, n++);
        }
    double t0 = wall_now();
    sim_time_t now = 0;
    uint64_t ran = 0;
    while (ph->left > 0 && h[0].time <= p->end) {
        now = h[0].time;
        uint64_t lp = h[0].lp;
        ran++;
        ph->lp_events[lp]++;
        ph->left--;
        uint64_t dst = lp;
        if (ph->always_remote || rng_next(&ph->rng) < ph->remote_threshold)
            dst = ((rng_next(&ph->rng) >> 32) * ph->lps) >> 32;
        sim_time_t when = now + phold_delay(ph);
        if (when < now)
            when = SIM_TIME_MAX;
        h[0] = (bare_entry_t){when, seq++, dst};   /* the new event takes the root */
        bare_sift_down(h, n, 0);
    }
    r->wall_s = wall_now() - t0;
    r->events = ran;
    r->sim_time = now;
    free(h);
    return 0;
}

int phold_run(const phold_params_t *p, phold_result_t *r)
{
    memset(r, 0, sizeof *r);
    if (p->lps == 0 || p->events_per_lp == 0 || p->count == 0)
        return 0;
    phold_t ph;
    memset(&ph, 0, sizeof ph);
    rng_seed(&ph.rng, p->seed);
    ph.lps = p->lps;
    ph.always_remote = p->remote >= 1.0;
    ph.remote_threshold = p->remote <= 0.0 ? 0 : (uint64_t)(p->remote * 0x1.0p64);
    ph.lookahead = p->lookahead;
    ph.mean = (double)p->mean;
    ph.left = p->count;
    ph.lp_events = calloc(p->lps, sizeof *ph.lp_events);
    if (p->bare) {
        if (ph.lp_events == NULL || bare_run(p, &ph, r) != 0) {
            free(ph.lp_events);
            return -1;
        }
        digest(r, &ph);
        free(ph.lp_events);
        return 0;
    }
    sim_t *s = sim_new();
    if (ph.lp_events == NULL || s == NULL)
        goto fail;

    for (uint32_t lp = 0; lp < p->lps; lp++)
        for (uint32_t e = 0; e < p->events_per_lp; e++)
            if (sim_schedule(s, phold_delay(&ph), phold_event, &ph, lp) == 0)
                goto fail;

    double t0 = wall_now();
    r->events = sim_run(s, p->end);
    r->wall_s = wall_now() - t0;
    r->sim_time = sim_now(s);

    digest(r, &ph);

    sim_free(s);
    free(ph.lp_events);
    return 0;
fail:
    sim_free(s);
    free(ph.lp_events);
    return -1;
}
