/*
 * test_flow: fluid max-min sharing of a link (flow.h).
 *
 * Every expected completion time is derived by hand from the link capacity, the flows'
 * sizes, ceilings and weights. Times are compared exactly where the arithmetic is exact
 * in binary (whole seconds at whole rates) and within a picosecond or two elsewhere,
 * since completion times are rounded up to the next picosecond.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sim/flow.h"
#include "sim/sim.h"

#define GB 1e9

/* ---- completion recorder ---- */

#define REC_MAX 2048
typedef struct rec {
    sim_time_t t[REC_MAX];
    uint64_t tag[REC_MAX];
    int n;
} rec_t;

static void done_rec(sim_t *s, void *ctx, uint64_t tag)
{
    rec_t *r = ctx;
    ck_assert_int_lt(r->n, REC_MAX);
    r->t[r->n] = sim_now(s);
    r->tag[r->n] = tag;
    r->n++;
}

static rec_t *rec_new(void)
{
    return calloc(1, sizeof(rec_t));
}

START_TEST(test_single_flow_exact)
{
    /* 1e9 B at 1e9 B/s takes exactly 1 s = 1e12 ps. */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "dram", 1 * GB);
    rec_t *r = rec_new();
    sim_flow_t *f = sim_flow_start(l, 1e9, 0, 1, done_rec, r, 7);
    ck_assert_ptr_nonnull(f);
    ck_assert_double_eq(sim_flow_rate(f), 1 * GB);
    ck_assert_double_eq(sim_link_load(l), 1 * GB);
    ck_assert_int_eq(sim_link_nflows(l), 1);
    sim_run(s, SIM_TIME_MAX);
    ck_assert_int_eq(r->n, 1);
    ck_assert_uint_eq(r->tag[0], 7);
    ck_assert_uint_eq(r->t[0], 1 * SIM_S);
    ck_assert_int_eq(sim_link_nflows(l), 0);
    ck_assert_double_eq(sim_link_load(l), 0.0);
    ck_assert_double_eq(sim_link_work_done(l), 1e9);
    sim_link_free(l);
    sim_free(s);
    free(r);
}
END_TEST

typedef struct probe {
    sim_link_t *l;
    sim_flow_t *f;
    double remaining, rate;
} probe_t;

static void probe_now(sim_t *s, void *component, uint64_t payload)
{
    (void)s;
    (void)payload;
    probe_t *p = component;
    p->remaining = sim_flow_remaining(p->l, p->f);
    p->rate = sim_flow_rate(p->f);
}

START_TEST(test_two_flows_share_then_speed_up)
{
    /* A = 1e9 B and B = 2e9 B start together on 1e9 B/s: 0.5e9 B/s each.
     * A ends at 1e9 / 0.5e9 = 2 s, when B has moved 1e9 B and has 1e9 B left. B then has
     * the whole link: 1e9 / 1e9 = 1 s more, ending at 3 s. At 1 s (probe) B has
     * 2e9 - 0.5e9 = 1.5e9 left. */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "bus", 1 * GB);
    rec_t *r = rec_new();
    sim_flow_t *a = sim_flow_start(l, 1e9, 0, 1, done_rec, r, 1);
    sim_flow_t *b = sim_flow_start(l, 2e9, 0, 1, done_rec, r, 2);
    ck_assert_double_eq(sim_flow_rate(a), 0.5 * GB);
    ck_assert_double_eq(sim_flow_rate(b), 0.5 * GB);
    probe_t p = {l, b, 0, 0};
    sim_schedule_at(s, 1 * SIM_S, probe_now, &p, 0);
    sim_run(s, SIM_TIME_MAX);
    ck_assert_double_eq(p.remaining, 1.5e9);
    ck_assert_int_eq(r->n, 2);
    ck_assert_uint_eq(r->tag[0], 1);
    ck_assert_uint_eq(r->t[0], 2 * SIM_S);
    ck_assert_uint_eq(r->tag[1], 2);
    ck_assert_uint_eq(r->t[1], 3 * SIM_S);
    ck_assert_double_eq(sim_link_work_done(l), 3e9);
    sim_link_free(l);
    sim_free(s);
    free(r);
}
END_TEST

START_TEST(test_ceilings_max_min)
{
    /* Capacity 10 GB/s. A (cap 2), B (cap 3), C and D unlimited.
     * Equal shares would be 2.5: A is capped at 2; the 8 left split over B, C, D gives
     * 8/3 = 2.667 < B's cap 3, so B, C, D get 8/3 each. Load = 10. */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "l", 10 * GB);
    sim_flow_t *a = sim_flow_start(l, 1e12, 2 * GB, 1, NULL, NULL, 0);
    sim_flow_t *b = sim_flow_start(l, 1e12, 3 * GB, 1, NULL, NULL, 0);
    sim_flow_t *c = sim_flow_start(l, 1e12, 0, 1, NULL, NULL, 0);
    sim_flow_t *d = sim_flow_start(l, 1e12, -1, 1, NULL, NULL, 0);   /* <= 0: no ceiling */
    ck_assert_double_eq_tol(sim_flow_rate(a), 2 * GB, 1);
    ck_assert_double_eq_tol(sim_flow_rate(b), 8.0 / 3 * GB, 1);
    ck_assert_double_eq_tol(sim_flow_rate(c), 8.0 / 3 * GB, 1);
    ck_assert_double_eq_tol(sim_flow_rate(d), 8.0 / 3 * GB, 1);
    ck_assert_double_eq_tol(sim_link_load(l), 10 * GB, 1);

    /* Cancel C and D: B alone would get 8 but is capped at 3: A = 2, B = 3, load 5 of
     * 10 (demand below capacity). */
    sim_flow_cancel(l, c);
    sim_flow_cancel(l, d);
    ck_assert_double_eq(sim_flow_rate(a), 2 * GB);
    ck_assert_double_eq(sim_flow_rate(b), 3 * GB);
    ck_assert_double_eq(sim_link_load(l), 5 * GB);

    /* Two caps bind in turn: capacity 10, caps 1 and 2, one unlimited: 1, 2, 7. */
    sim_flow_cancel(l, a);
    sim_flow_cancel(l, b);
    sim_flow_t *e = sim_flow_start(l, 1e12, 2 * GB, 1, NULL, NULL, 0);
    sim_flow_t *f = sim_flow_start(l, 1e12, 0, 1, NULL, NULL, 0);
    sim_flow_t *g = sim_flow_start(l, 1e12, 1 * GB, 1, NULL, NULL, 0);
    ck_assert_double_eq_tol(sim_flow_rate(g), 1 * GB, 1);
    ck_assert_double_eq_tol(sim_flow_rate(e), 2 * GB, 1);
    ck_assert_double_eq_tol(sim_flow_rate(f), 7 * GB, 1);
    sim_link_free(l);
    sim_free(s);
}
END_TEST

START_TEST(test_weights)
{
    /* Capacity 12, weights 1, 2, 3: shares 12/6 = 2 per unit weight: 2, 4, 6. */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "l", 12);
    sim_flow_t *a = sim_flow_start(l, 100, 0, 1, NULL, NULL, 0);
    sim_flow_t *b = sim_flow_start(l, 100, 0, 2, NULL, NULL, 0);
    sim_flow_t *c = sim_flow_start(l, 100, 0, 3, NULL, NULL, 0);
    ck_assert_double_eq_tol(sim_flow_rate(a), 2, 1e-12);
    ck_assert_double_eq_tol(sim_flow_rate(b), 4, 1e-12);
    ck_assert_double_eq_tol(sim_flow_rate(c), 6, 1e-12);
    sim_link_free(l);

    /* Weights with a ceiling: capacity 12, weights 1, 1, 2, the weight-2 flow capped at 4.
     * Unconstrained it would get 12 x 2/4 = 6 > 4, so it is fixed at 4 and the other
     * 8 split 1:1: 4, 4, 4. */
    l = sim_link_new(s, "l2", 12);
    a = sim_flow_start(l, 100, 0, 1, NULL, NULL, 0);
    b = sim_flow_start(l, 100, 0, 1, NULL, NULL, 0);
    c = sim_flow_start(l, 100, 4, 2, NULL, NULL, 0);
    ck_assert_double_eq_tol(sim_flow_rate(a), 4, 1e-12);
    ck_assert_double_eq_tol(sim_flow_rate(b), 4, 1e-12);
    ck_assert_double_eq_tol(sim_flow_rate(c), 4, 1e-12);
    sim_link_free(l);
    sim_free(s);
}
END_TEST

typedef struct capchange {
    sim_link_t *l;
    double cap;
} capchange_t;

static void set_cap(sim_t *s, void *component, uint64_t payload)
{
    (void)s;
    (void)payload;
    capchange_t *c = component;
    sim_link_set_capacity(c->l, c->cap);
}

START_TEST(test_capacity_change_mid_flow)
{
    /* 1e9 B at 1e9 B/s; at 0.5 s the capacity drops to 0.25e9 B/s. 0.5e9 B are left,
     * taking 0.5e9 / 0.25e9 = 2 s: the flow ends at 2.5 s. */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "l", 1 * GB);
    rec_t *r = rec_new();
    sim_flow_start(l, 1e9, 0, 1, done_rec, r, 0);
    capchange_t c = {l, 0.25 * GB};
    sim_schedule_at(s, SIM_S / 2, set_cap, &c, 0);
    sim_run(s, SIM_TIME_MAX);
    ck_assert_int_eq(r->n, 1);
    ck_assert_uint_eq(r->t[0], 2 * SIM_S + SIM_S / 2);
    ck_assert_double_eq(sim_link_capacity(l), 0.25 * GB);

    /* A stalled link: capacity 0 from 0 to 1 s, then 1e9 B/s: a 1e9 B flow ends at 2 s. */
    sim_link_set_capacity(l, 0);
    sim_time_t t0 = sim_now(s);
    sim_flow_t *f = sim_flow_start(l, 1e9, 0, 1, done_rec, r, 1);
    ck_assert_double_eq(sim_flow_rate(f), 0.0);
    ck_assert_uint_eq(sim_pending(s), 0);       /* nothing can complete: no event */
    c.cap = 1 * GB;
    sim_schedule_at(s, t0 + SIM_S, set_cap, &c, 0);
    sim_run(s, SIM_TIME_MAX);
    ck_assert_int_eq(r->n, 2);
    ck_assert_uint_eq(r->t[1], t0 + 2 * SIM_S);
    sim_link_free(l);
    sim_free(s);
    free(r);
}
END_TEST

static void nop(sim_t *s, void *component, uint64_t payload)
{
    (void)s;
    (void)component;
    (void)payload;
}

START_TEST(test_zero_amount)
{
    /* A zero-amount flow completes at the current time, from the engine (not inside
     * sim_flow_start), and takes no share from a concurrent flow. */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "l", 1 * GB);
    rec_t *r = rec_new();
    sim_schedule_at(s, 5, nop, NULL, 0);
    sim_run(s, SIM_TIME_MAX);                   /* now = 5 ps */
    sim_flow_t *big = sim_flow_start(l, 1e9, 0, 1, done_rec, r, 1);
    sim_flow_t *z = sim_flow_start(l, 0, 0, 1, done_rec, r, 2);
    ck_assert_ptr_nonnull(z);
    ck_assert_int_eq(r->n, 0);
    ck_assert_double_eq(sim_flow_rate(z), 0.0);
    ck_assert_double_eq(sim_flow_rate(big), 1 * GB);
    sim_run(s, 5);
    ck_assert_int_eq(r->n, 1);
    ck_assert_uint_eq(r->tag[0], 2);
    ck_assert_uint_eq(r->t[0], 5);
    /* The big flow was undisturbed: 1 s after it started. */
    sim_run(s, SIM_TIME_MAX);
    ck_assert_uint_eq(r->t[1], 5 + SIM_S);
    sim_link_free(l);
    sim_free(s);
    free(r);
}
END_TEST

typedef struct canceller {
    sim_link_t *l;
    sim_flow_t *victim;
} canceller_t;

static void cancel_now(sim_t *s, void *component, uint64_t payload)
{
    (void)s;
    (void)payload;
    canceller_t *c = component;
    sim_flow_cancel(c->l, c->victim);
}

START_TEST(test_cancel)
{
    /* A and B, 2e9 B each on 1e9 B/s (0.5e9 each). At 1 s B is cancelled after moving
     * 0.5e9 B; A has 1.5e9 B left at 1e9 B/s: it ends at 2.5 s. B never calls back.
     * Work done = 2e9 (A) + 0.5e9 (B's part) = 2.5e9 B. */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "l", 1 * GB);
    rec_t *r = rec_new();
    sim_flow_start(l, 2e9, 0, 1, done_rec, r, 1);
    canceller_t c = {l, sim_flow_start(l, 2e9, 0, 1, done_rec, r, 2)};
    sim_schedule_at(s, 1 * SIM_S, cancel_now, &c, 0);
    sim_run(s, SIM_TIME_MAX);
    ck_assert_int_eq(r->n, 1);
    ck_assert_uint_eq(r->tag[0], 1);
    ck_assert_uint_eq(r->t[0], 2 * SIM_S + SIM_S / 2);
    ck_assert_double_eq(sim_link_work_done(l), 2.5e9);
    /* Cancelling the last flow leaves no pending event behind. */
    sim_flow_t *f = sim_flow_start(l, 1e9, 0, 1, done_rec, r, 3);
    ck_assert_uint_eq(sim_pending(s), 1);
    sim_flow_cancel(l, f);
    ck_assert_uint_eq(sim_pending(s), 0);
    ck_assert_int_eq(sim_link_nflows(l), 0);
    sim_link_free(l);
    sim_free(s);
    free(r);
}
END_TEST

/* ---- callbacks that start flows ---- */

typedef struct chain {
    sim_link_t *l, *other;
    rec_t *r;
    int left;
} chain_t;

static void chain_done(sim_t *s, void *ctx, uint64_t tag)
{
    chain_t *c = ctx;
    done_rec(s, c->r, tag);
    if (c->left > 0) {
        c->left--;
        /* Each completion starts 0.5e9 B on this link and 1e9 B on the other. */
        ck_assert_ptr_nonnull(sim_flow_start(c->l, 0.5e9, 0, 1, chain_done, c, tag + 1));
        ck_assert_ptr_nonnull(sim_flow_start(c->other, 1e9, 0, 1, done_rec, c->r, 1000 + tag));
    }
}

START_TEST(test_callback_starts_flows)
{
    /* First flow 1e9 B at 1e9 B/s ends at 1 s; then a chain of 4 flows of 0.5e9 B, each
     * started by the previous one's callback, ends at 1.5, 2, 2.5, 3 s. Each also starts
     * 1e9 B on a 2e9 B/s link, 0.5 s each, ending exactly when the next one starts, so
     * the other link never shares: 1.5, 2, 2.5, 3 s. */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "a", 1 * GB);
    sim_link_t *o = sim_link_new(s, "b", 2 * GB);
    rec_t *r = rec_new();
    chain_t c = {l, o, r, 4};
    sim_flow_start(l, 1e9, 0, 1, chain_done, &c, 0);
    sim_run(s, SIM_TIME_MAX);
    ck_assert_int_eq(r->n, 9);
    ck_assert_uint_eq(r->tag[0], 0);
    ck_assert_uint_eq(r->t[0], 1 * SIM_S);
    int main_seen = 0, other_seen = 0;
    for (int i = 1; i < r->n; i++) {
        if (r->tag[i] >= 1000) {
            /* other-link flow started at k s (k = 1..4 x 0.5 + 0.5) ends 0.5 s later */
            ck_assert_uint_eq(r->t[i], SIM_S + (r->tag[i] - 1000 + 1) * (SIM_S / 2));
            other_seen++;
        } else {
            ck_assert_uint_eq(r->t[i], SIM_S + r->tag[i] * (SIM_S / 2));
            main_seen++;
        }
    }
    ck_assert_int_eq(main_seen, 4);
    ck_assert_int_eq(other_seen, 4);
    ck_assert_double_eq(sim_link_work_done(l), 1e9 + 4 * 0.5e9);
    ck_assert_double_eq(sim_link_work_done(o), 4e9);
    sim_link_free(l);
    sim_link_free(o);
    sim_free(s);
    free(r);
}
END_TEST

/* ---- observer ---- */

typedef struct obs {
    sim_time_t t[16];
    double load[16];
    int n;
} obs_t;

static void observe(void *ctx, sim_time_t now, double load)
{
    obs_t *o = ctx;
    if (o->n < 16) {
        o->t[o->n] = now;
        o->load[o->n] = load;
        o->n++;
    }
}

START_TEST(test_observer)
{
    /* Link 1e9 B/s with a 0.5e9 B/s-capped flow of 1e9 B from 0 to 2 s and an
     * unlimited flow of 0.5e9 B started at 0: shares 0.5 / 0.5, the second ends at 1 s.
     * Both starts at t = 0 are solved together (one re-solve per instant), so the loads
     * reported are 1e9 (at 0), 0.5e9 (at 1 s), 0 (at 2 s). */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "l", 1 * GB);
    obs_t o = {0};
    sim_link_set_observer(l, observe, &o);
    sim_flow_start(l, 1e9, 0.5 * GB, 1, NULL, NULL, 0);
    sim_flow_start(l, 0.5e9, 0, 1, NULL, NULL, 0);
    sim_run(s, SIM_TIME_MAX);
    ck_assert_int_eq(o.n, 3);
    ck_assert_uint_eq(o.t[0], 0);
    ck_assert_double_eq(o.load[0], 1 * GB);
    ck_assert_uint_eq(o.t[1], 1 * SIM_S);
    ck_assert_double_eq(o.load[1], 0.5 * GB);
    ck_assert_uint_eq(o.t[2], 2 * SIM_S);
    ck_assert_double_eq(o.load[2], 0.0);
    sim_link_free(l);
    sim_free(s);
}
END_TEST

/* ---- rounding ---- */

START_TEST(test_sub_picosecond_finish)
{
    /* 1e-3 units at 1e15 units/s would take 1e-6 ps: rounded up, it ends at 1 ps, not
     * in a loop at zero progress. */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "l", 1e15);
    rec_t *r = rec_new();
    sim_flow_start(l, 1e-3, 0, 1, done_rec, r, 0);
    /* Two events: the re-solve at t = 0 that follows the start, and the completion. */
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 2);
    ck_assert_int_eq(r->n, 1);
    ck_assert_uint_eq(r->t[0], 1);
    /* 1 unit at 3e9 units/s: 333.33 ps. At 333 ps 1 - 3e9 x 333e-12 = 0.001 units are
     * left, more than the 1e-6 tolerance, so the flow ends at 334 ps (rounded up). */
    sim_link_set_capacity(l, 3e9);
    sim_time_t t0 = sim_now(s);
    sim_flow_start(l, 1, 0, 1, done_rec, r, 1);
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 2);   /* re-solve + completion */
    ck_assert_uint_eq(r->t[1], t0 + 334);
    /* 1 unit at 3 units/s: 333333333333.33 ps. At 333333333333 ps only 1e-12 units are
     * left, within the tolerance: the flow is done at that picosecond. */
    sim_link_set_capacity(l, 3);
    t0 = sim_now(s);
    sim_flow_start(l, 1, 0, 1, done_rec, r, 2);
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 2);
    ck_assert_uint_eq(r->t[2], t0 + 333333333333ULL);
    sim_link_free(l);
    sim_free(s);
    free(r);
}
END_TEST

START_TEST(test_awkward_ratios_terminate)
{
    /* Flows with sizes and rates that are not round in binary, under repeated capacity
     * changes at odd times. Whatever the rounding, every flow completes, all work is
     * accounted for to 1e-9, and the number of engine events stays small (at most one
     * completion event per finishing group plus a few 1 ps retries, plus the changes). */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "l", 7e8 / 3);
    rec_t *r = rec_new();
    double total = 0;
    for (int k = 0; k < 10; k++) {
        double a = 1e9 / 7 * (k + 1) + 0.3;
        total += a;
        sim_flow_start(l, a, k % 3 ? 0 : 1e8 / 3, 1.0 + k / 10.0, done_rec, r, (uint64_t)k);
    }
    capchange_t c[5];
    for (int k = 0; k < 5; k++) {
        c[k].l = l;
        c[k].cap = 7e8 / (k + 2) + 0.1;
        sim_schedule_at(s, (sim_time_t)(k + 1) * 1234567890123ULL, set_cap, &c[k], 0);
    }
    uint64_t events = sim_run(s, SIM_TIME_MAX);
    ck_assert_int_eq(r->n, 10);
    ck_assert_uint_le(events, 5 + 2 * 10);
    ck_assert_double_eq_tol(sim_link_work_done(l), total, 1e-9 * total);
    sim_link_free(l);
    sim_free(s);
    free(r);
}
END_TEST

/* ---- many flows ---- */

#define NF 1000

static void run_staircase(rec_t *r)
{
    /* Flow k (k = 1..1000) moves k x 1e6 B; all start at 0 with equal weight on
     * 1e9 B/s. While flows j >= k are active they share the link equally, so flow k ends
     * when the link has moved sum_{j<k} a_j + (N - k + 1) x a_k:
     *     T_k = 1e6 x (k(k-1)/2 + (N - k + 1) k) / 1e9 s.
     * The last one ends at T_N = 1e6 x 500500 / 1e9 = 500.5 s. Each completion lands on
     * a whole picosecond, so each T_k holds to within a picosecond or two. */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "l", 1 * GB);
    for (uint64_t k = 1; k <= NF; k++)
        ck_assert_ptr_nonnull(sim_flow_start(l, (double)k * 1e6, 0, 1, done_rec, r, k));
    ck_assert_int_eq(sim_link_nflows(l), NF);
    sim_run(s, SIM_TIME_MAX);
    ck_assert_int_eq(sim_link_nflows(l), 0);
    ck_assert_double_eq_tol(sim_link_work_done(l), 500500e6, 1e-3);
    sim_link_free(l);
    sim_free(s);
}

START_TEST(test_many_flows_staircase)
{
    rec_t *r = rec_new(), *r2 = rec_new();
    run_staircase(r);
    ck_assert_int_eq(r->n, NF);
    for (int i = 0; i < NF; i++) {
        double k = (double)(i + 1);
        double want_ps = 1e6 * (k * (k - 1) / 2 + (NF - k + 1) * k) / 1e9 * 1e12;
        ck_assert_uint_eq(r->tag[i], (uint64_t)(i + 1));
        ck_assert_double_eq_tol((double)r->t[i], want_ps, 2.0);
    }
    /* Deterministic: a second run gives the same times to the picosecond. */
    run_staircase(r2);
    for (int i = 0; i < NF; i++)
        ck_assert_uint_eq(r->t[i], r2->t[i]);
    free(r);
    free(r2);
}
END_TEST

START_TEST(test_many_equal_flows_finish_together_in_order)
{
    /* 1000 flows of 1e6 B on 1e9 B/s: 1e6 B/s each, all ending at 1 s in one event,
     * calling back in start order. */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "l", 1 * GB);
    rec_t *r = rec_new();
    for (uint64_t k = 0; k < NF; k++)
        sim_flow_start(l, 1e6, 0, 1, done_rec, r, k);
    /* One re-solve for all 1000 starts at t = 0, then one completion event. */
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 2);
    ck_assert_int_eq(r->n, NF);
    for (int i = 0; i < NF; i++) {
        ck_assert_uint_eq(r->tag[i], (uint64_t)i);
        ck_assert_uint_eq(r->t[i], 1 * SIM_S);
    }
    sim_link_free(l);
    sim_free(s);
    free(r);
}
END_TEST

START_TEST(test_pool_reuse)
{
    /* 100000 flows, one at a time, through a link: each 1e3 B at 1e9 B/s takes 1 us, so
     * the last ends at 100000 x 1 us = 0.1 s. Flow records are recycled (one slab). */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "l", 1 * GB);
    rec_t *r = rec_new();
    sim_time_t last = 0;
    for (int k = 0; k < 100000; k++) {
        sim_flow_start(l, 1e3, 0, 1, NULL, NULL, 0);
        sim_run(s, SIM_TIME_MAX);
        ck_assert_uint_eq(sim_now(s), last + SIM_US);
        last = sim_now(s);
    }
    ck_assert_uint_eq(sim_now(s), SIM_S / 10);
    sim_link_free(l);
    sim_free(s);
    free(r);
}
END_TEST

/* ---- members: identical flows sharing one record ---- */

START_TEST(test_members_call_back_in_start_order)
{
    /* Four identical flows of 1e9 B on a 1 GB/s link get 0.25 GB/s each and all end at
     * 4 s. Started as a, b, a+, b+ (two records with two members each), they call back
     * in that order, as four separate flows would: tags 1, 2, 1, 2. */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "dram", 1 * GB);
    rec_t *r = rec_new();
    sim_flow_t *a = sim_flow_start(l, 1e9, 0, 1, done_rec, r, 1);
    sim_flow_t *b = sim_flow_start(l, 1e9, 0, 1, done_rec, r, 2);
    ck_assert(sim_flow_can_join(l, a));
    sim_flow_join(l, a);
    ck_assert(sim_flow_can_join(l, b));
    sim_flow_join(l, b);
    ck_assert_int_eq(sim_link_nflows(l), 4);
    ck_assert_double_eq(sim_flow_rate(a), 0.25 * GB);
    ck_assert_double_eq(sim_link_load(l), 1 * GB);
    sim_run(s, SIM_TIME_MAX);
    ck_assert_int_eq(r->n, 4);
    uint64_t want[4] = {1, 2, 1, 2};
    for (int i = 0; i < 4; i++) {
        ck_assert_uint_eq(r->tag[i], want[i]);
        ck_assert_uint_eq(r->t[i], 4 * SIM_S);
    }
    ck_assert_double_eq(sim_link_work_done(l), 4e9);
    ck_assert_int_eq(sim_link_nflows(l), 0);
    sim_link_free(l);
    sim_free(s);
    free(r);
}
END_TEST

/* Run `k` flows of 3e8 B with a ceiling of 0.37 GB/s on a 1 GB/s link beside one flow
 * of 1e8 B with no ceiling, either as k separate flows or as one record of k members;
 * record the completions. */
static double members_vs_separate(int k, int joined, rec_t *r)
{
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "dram", 1 * GB);
    sim_flow_start(l, 1e8, 0, 1, done_rec, r, 99);
    sim_flow_t *f = sim_flow_start(l, 3e8, 0.37 * GB, 1, done_rec, r, 5);
    for (int i = 1; i < k; i++) {
        if (joined)
            sim_flow_join(l, f);
        else
            sim_flow_start(l, 3e8, 0.37 * GB, 1, done_rec, r, 5);
    }
    sim_run(s, SIM_TIME_MAX);
    double work = sim_link_work_done(l);
    sim_link_free(l);
    sim_free(s);
    return work;
}

START_TEST(test_members_match_separate_flows)
{
    /* Three capped flows (ceiling 0.37 GB/s) and one uncapped on 1 GB/s: the fill level
     * is 1/4 GB/s < 0.37, so all four get 0.25 GB/s; the small flow (1e8 B) ends at
     * 0.4 s, then the three get 1/3 GB/s each (< 0.37) with 3e8 - 1e8 = 2e8 B left:
     * 0.6 s more, so they end at 1 s. A record of three members must give the same
     * times, tags and work done, bit for bit. */
    rec_t *a = rec_new(), *b = rec_new();
    double wa = members_vs_separate(3, 0, a);
    double wb = members_vs_separate(3, 1, b);
    ck_assert_int_eq(a->n, 4);
    ck_assert_int_eq(b->n, 4);
    ck_assert_uint_eq(a->tag[0], 99);
    ck_assert_uint_le(a->t[0] - 4 * SIM_S / 10 + 2, 4);   /* within 2 ps of 0.4 s */
    for (int i = 0; i < 4; i++) {
        ck_assert_uint_eq(a->t[i], b->t[i]);
        ck_assert_uint_eq(a->tag[i], b->tag[i]);
    }
    ck_assert_uint_le(a->t[3] - SIM_S + 2, 4);           /* within 2 ps of 1 s */
    ck_assert(wa == wb);
    free(a);
    free(b);
}
END_TEST

static void join_probe(sim_t *s, void *component, uint64_t payload)
{
    (void)s;
    (void)payload;
    probe_t *p = component;
    p->rate = sim_flow_can_join(p->l, p->f);
}

START_TEST(test_join_only_when_exact)
{
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "dram", 1 * GB);
    rec_t *r = rec_new();
    sim_flow_t *a = sim_flow_start(l, 1e9, 0, 1, done_rec, r, 1);
    ck_assert(sim_flow_can_join(l, a));
    /* A different flow (another amount) started after a: joining a would change the
     * order of unequal flows, so it is refused. */
    sim_flow_t *b = sim_flow_start(l, 2e9, 0, 1, done_rec, r, 2);
    ck_assert(!sim_flow_can_join(l, a));
    ck_assert(sim_flow_can_join(l, b));
    /* Up to SIM_FLOW_MEMBERS_MAX members in one record. */
    sim_flow_join_n(l, b, SIM_FLOW_MEMBERS_MAX - 1);
    ck_assert(!sim_flow_can_join(l, b));
    ck_assert_int_eq(sim_link_nflows(l), 1 + SIM_FLOW_MEMBERS_MAX);
    /* Once time has moved on, no record can be joined. */
    probe_t p = {l, sim_flow_start(l, 3e9, 0, 1, done_rec, r, 3), 0, -1};
    ck_assert(sim_flow_can_join(l, p.f));
    sim_schedule(s, 1000, join_probe, &p, 0);
    sim_run(s, 1000);
    ck_assert_uint_eq(sim_now(s), 1000);
    ck_assert(p.rate == 0);   /* join_probe found it closed */
    sim_flow_cancel(l, b);   /* cancels all its members */
    ck_assert_int_eq(sim_link_nflows(l), 2);
    sim_run(s, SIM_TIME_MAX);
    ck_assert_int_eq(r->n, 2);
    sim_link_free(l);
    sim_free(s);
    free(r);
}
END_TEST

typedef struct batch_rec {
    int calls[4];            /* batch calls per tag */
    int members[4];          /* members called back per tag, by either callback */
} batch_rec_t;

static void batch_one(sim_t *s, void *ctx, uint64_t tag)
{
    (void)s;
    ((batch_rec_t *)ctx)->members[tag]++;
}

static void batch_many(sim_t *s, void *ctx, uint64_t tag, int count)
{
    (void)s;
    batch_rec_t *b = ctx;
    b->calls[tag]++;
    b->members[tag] += count;
}

START_TEST(test_batch_callback)
{
    /* Record 1 has three members (1e9 B each), record 2 one member (2e9 B). On 1 GB/s
     * the four share 0.25 GB/s: record 1's members end together at 4 s and call back in
     * one batch of 3; record 2 then ends alone, through the one-member callback. */
    sim_t *s = sim_new();
    sim_link_t *l = sim_link_new(s, "dram", 1 * GB);
    batch_rec_t b = {{0}, {0}};
    sim_link_set_batch(l, batch_one, batch_many);
    sim_flow_t *f1 = sim_flow_start(l, 1e9, 0, 1, batch_one, &b, 1);
    sim_flow_join_n(l, f1, 2);
    sim_flow_start(l, 2e9, 0, 1, batch_one, &b, 2);
    sim_run(s, SIM_TIME_MAX);
    ck_assert_int_eq(b.calls[1], 1);
    ck_assert_int_eq(b.members[1], 3);
    ck_assert_int_eq(b.calls[2], 0);
    ck_assert_int_eq(b.members[2], 1);
    sim_link_free(l);
    sim_free(s);
}
END_TEST

typedef struct sweep_rec {
    int take;                /* what the sweep answers */
    int sweeps, runs;
    uint64_t tag;
    char order[16];          /* the members' records in callback order, as 'a'/'b' */
    int n;
    int singles;             /* callbacks through the one-member callback */
} sweep_rec_t;

static sweep_rec_t sweep_seen;

static void sweep_one(sim_t *s, void *ctx, uint64_t tag)
{
    (void)s;
    (void)ctx;
    (void)tag;
    sweep_seen.singles++;
}

static void sweep_many(sim_t *s, void *ctx, uint64_t tag, int count)
{
    (void)s;
    (void)ctx;
    (void)tag;
    sweep_seen.singles += count;
}

static int sweep_all(sim_t *s, void *const *ctx, const int *members, int runs, uint64_t tag)
{
    (void)s;
    sweep_seen.sweeps++;
    sweep_seen.runs = runs;
    sweep_seen.tag = tag;
    for (int i = 0; i < runs; i++)
        for (int m = 0; m < members[i] && sweep_seen.n < 15; m++)
            sweep_seen.order[sweep_seen.n++] = *(const char *)ctx[i];
    return sweep_seen.take;
}

START_TEST(test_sweep_interleaved)
{
    /* Two records started in turn, one member each per round, as breadth-first dispatch
     * starts them: a = members 0, 2, 3; b = members 1, 4 (a third round only for a). All
     * five are identical (1e9 B, no ceiling), so they finish together at 5 s on 1 GB/s,
     * and the sweep sees them in start order: a b a a b, as the runs a, b, a a, b. When
     * it takes them (1), nothing else is called back; when it declines (0), the five
     * callbacks run as usual. */
    static const char A = 'a', B = 'b';
    for (int take = 1; take >= 0; take--) {
        sim_t *s = sim_new();
        sim_link_t *l = sim_link_new(s, "dram", 1 * GB);
        memset(&sweep_seen, 0, sizeof sweep_seen);
        sweep_seen.take = take;
        sim_link_set_batch(l, sweep_one, sweep_many);
        sim_link_set_sweep(l, sweep_all);
        sim_flow_t *a = sim_flow_start(l, 1e9, 0, 1, sweep_one, (void *)&A, 7);
        sim_flow_t *b = sim_flow_start(l, 1e9, 0, 1, sweep_one, (void *)&B, 7);
        sim_flow_join(l, a);
        sim_flow_join(l, a);
        sim_flow_join(l, b);
        sim_run(s, SIM_TIME_MAX);
        ck_assert_uint_eq(sim_now(s), 5 * SIM_S);
        ck_assert_int_eq(sweep_seen.sweeps, 1);
        ck_assert_int_eq(sweep_seen.runs, 4);
        ck_assert_uint_eq(sweep_seen.tag, 7);
        ck_assert_str_eq(sweep_seen.order, "abaab");
        ck_assert_int_eq(sweep_seen.singles, take ? 0 : 5);
        sim_link_free(l);
        sim_free(s);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("flow");
    TCase *tc = tcase_create("flow");
    tcase_add_test(tc, test_single_flow_exact);
    tcase_add_test(tc, test_two_flows_share_then_speed_up);
    tcase_add_test(tc, test_ceilings_max_min);
    tcase_add_test(tc, test_weights);
    tcase_add_test(tc, test_capacity_change_mid_flow);
    tcase_add_test(tc, test_zero_amount);
    tcase_add_test(tc, test_cancel);
    tcase_add_test(tc, test_callback_starts_flows);
    tcase_add_test(tc, test_observer);
    tcase_add_test(tc, test_sub_picosecond_finish);
    tcase_add_test(tc, test_awkward_ratios_terminate);
    tcase_add_test(tc, test_many_flows_staircase);
    tcase_add_test(tc, test_many_equal_flows_finish_together_in_order);
    tcase_add_test(tc, test_pool_reuse);
    tcase_add_test(tc, test_members_call_back_in_start_order);
    tcase_add_test(tc, test_members_match_separate_flows);
    tcase_add_test(tc, test_join_only_when_exact);
    tcase_add_test(tc, test_batch_callback);
    tcase_add_test(tc, test_sweep_interleaved);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
