/*
 * test_sim: the event engine (sim.h) and the PHOLD benchmark built on it (phold.h).
 *
 * Ordering is checked against first principles (time first, then scheduling order),
 * ids against their documented lifetime, and the heap against a brute-force reference
 * under a random mix of schedules, cancels and reschedules, some made from handlers.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"
#include "sim/phold.h"
#include "sim/sim.h"
#include "soc/cli/commands.h"

/* ---- a log of handled events ---- */

#define LOG_MAX 64
typedef struct log {
    uint64_t payload[LOG_MAX];
    sim_time_t time[LOG_MAX];
    int n;
} log_t;

static void record(sim_t *s, void *component, uint64_t payload)
{
    log_t *lg = component;
    ck_assert_int_lt(lg->n, LOG_MAX);
    lg->payload[lg->n] = payload;
    lg->time[lg->n] = sim_now(s);
    lg->n++;
}

START_TEST(test_order_time_then_fifo)
{
    /* Scheduled out of order; expected order: t=10 (payloads 2, 4, 5 in scheduling
     * order), t=20 (1), t=30 (3). */
    sim_t *s = sim_new();
    log_t lg = {0};
    sim_schedule_at(s, 20, record, &lg, 1);
    sim_schedule_at(s, 10, record, &lg, 2);
    sim_schedule_at(s, 30, record, &lg, 3);
    sim_schedule_at(s, 10, record, &lg, 4);
    sim_schedule(s, 10, record, &lg, 5);      /* now = 0, so also t = 10 */
    ck_assert_uint_eq(sim_pending(s), 5);
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 5);
    const uint64_t want[] = {2, 4, 5, 1, 3};
    const sim_time_t when[] = {10, 10, 10, 20, 30};
    ck_assert_int_eq(lg.n, 5);
    for (int i = 0; i < 5; i++) {
        ck_assert_uint_eq(lg.payload[i], want[i]);
        ck_assert_uint_eq(lg.time[i], when[i]);
    }
    ck_assert_uint_eq(sim_now(s), 30);
    ck_assert_uint_eq(sim_pending(s), 0);
    ck_assert_uint_eq(sim_events_executed(s), 5);
    sim_free(s);
}
END_TEST

START_TEST(test_run_until_and_resume)
{
    /* Events at 1, 2, 3 ns. run(2 ns) runs two and leaves time at 2 ns (the last event,
     * not `until`); run(2.5 ns) runs none; a full run finishes the third. */
    sim_t *s = sim_new();
    log_t lg = {0};
    for (uint64_t k = 1; k <= 3; k++)
        sim_schedule_at(s, k * SIM_NS, record, &lg, k);
    ck_assert_uint_eq(sim_run(s, 2 * SIM_NS), 2);
    ck_assert_uint_eq(sim_now(s), 2 * SIM_NS);
    ck_assert_uint_eq(sim_run(s, 2 * SIM_NS + 500), 0);
    ck_assert_uint_eq(sim_now(s), 2 * SIM_NS);
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 1);
    ck_assert_uint_eq(sim_now(s), 3 * SIM_NS);
    ck_assert_uint_eq(sim_events_executed(s), 3);
    sim_free(s);
}
END_TEST

START_TEST(test_ids_cancel_reschedule_stale)
{
    sim_t *s = sim_new();
    log_t lg = {0};
    sim_evid_t a = sim_schedule_at(s, 100, record, &lg, 1);
    sim_evid_t b = sim_schedule_at(s, 200, record, &lg, 2);
    sim_evid_t c = sim_schedule_at(s, 300, record, &lg, 3);
    ck_assert_uint_ne(a, 0);
    ck_assert(a != b && b != c && a != c);
    ck_assert_int_eq(sim_is_pending(s, a), 1);
    ck_assert_int_eq(sim_is_pending(s, 0), 0);

    ck_assert_int_eq(sim_cancel(s, b), 0);
    ck_assert_int_eq(sim_cancel(s, b), -1);          /* already cancelled */
    ck_assert_int_eq(sim_reschedule(s, b, 50), -1);  /* stale: no effect */
    ck_assert_int_eq(sim_is_pending(s, b), 0);

    /* The freed slot is reused by the next schedule; the old id must stay stale. */
    sim_evid_t d = sim_schedule_at(s, 250, record, &lg, 4);
    ck_assert_uint_ne(d, b);
    ck_assert_int_eq(sim_cancel(s, b), -1);
    ck_assert_int_eq(sim_is_pending(s, d), 1);

    /* Move c (300) before a (100): expected order c@50, a@100, d@250. */
    ck_assert_int_eq(sim_reschedule(s, c, 50), 0);
    sim_run(s, SIM_TIME_MAX);
    ck_assert_int_eq(lg.n, 3);
    ck_assert_uint_eq(lg.payload[0], 3);
    ck_assert_uint_eq(lg.time[0], 50);
    ck_assert_uint_eq(lg.payload[1], 1);
    ck_assert_uint_eq(lg.payload[2], 4);
    ck_assert_uint_eq(lg.time[2], 250);

    /* Ids of events that ran are stale. */
    ck_assert_int_eq(sim_cancel(s, a), -1);
    ck_assert_int_eq(sim_reschedule(s, d, 1000), -1);
    ck_assert_int_eq(sim_is_pending(s, c), 0);
    ck_assert_uint_eq(sim_pending(s), 0);
    /* Garbage ids are harmless too. */
    ck_assert_int_eq(sim_cancel(s, 0xffffffffffffffffULL), -1);
    ck_assert_int_eq(sim_cancel(s, 12345), -1);
    sim_free(s);
}
END_TEST

START_TEST(test_reschedule_same_time_goes_last)
{
    /* Three events at t=5 in order 1, 2, 3. Rescheduling 1 to the same time gives it a
     * new sequence number, as if scheduled now: order becomes 2, 3, 1. */
    sim_t *s = sim_new();
    log_t lg = {0};
    sim_evid_t e1 = sim_schedule_at(s, 5, record, &lg, 1);
    sim_schedule_at(s, 5, record, &lg, 2);
    sim_schedule_at(s, 5, record, &lg, 3);
    ck_assert_int_eq(sim_reschedule(s, e1, 5), 0);
    sim_run(s, SIM_TIME_MAX);
    ck_assert_uint_eq(lg.payload[0], 2);
    ck_assert_uint_eq(lg.payload[1], 3);
    ck_assert_uint_eq(lg.payload[2], 1);
    sim_free(s);
}
END_TEST

/* ---- handlers that act on the engine ---- */

typedef struct actor {
    log_t lg;
    sim_evid_t self, victim, moved;
    int self_cancel_rc, victim_cancel_rc, resched_rc, self_pending;
} actor_t;

static void act(sim_t *s, void *component, uint64_t payload)
{
    actor_t *a = component;
    record(s, &a->lg, payload);
    /* The running event is no longer pending: cancelling itself is a harmless -1. */
    a->self_pending = sim_is_pending(s, a->self);
    a->self_cancel_rc = sim_cancel(s, a->self);
    a->victim_cancel_rc = sim_cancel(s, a->victim);
    a->resched_rc = sim_reschedule(s, a->moved, sim_now(s));
    sim_schedule(s, 0, record, &a->lg, 99);       /* same time: after `moved` */
}

START_TEST(test_handler_cancels_and_reschedules)
{
    /* At t=10 the handler cancels the t=20 event, pulls the t=30 event to now, and
     * schedules another at now. Expected log: 1@10, 3@10, 99@10. */
    sim_t *s = sim_new();
    actor_t a = {0};
    a.self = sim_schedule_at(s, 10, act, &a, 1);
    a.victim = sim_schedule_at(s, 20, record, &a.lg, 2);
    a.moved = sim_schedule_at(s, 30, record, &a.lg, 3);
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 3);
    ck_assert_int_eq(a.self_pending, 0);
    ck_assert_int_eq(a.self_cancel_rc, -1);
    ck_assert_int_eq(a.victim_cancel_rc, 0);
    ck_assert_int_eq(a.resched_rc, 0);
    ck_assert_int_eq(a.lg.n, 3);
    ck_assert_uint_eq(a.lg.payload[0], 1);
    ck_assert_uint_eq(a.lg.payload[1], 3);
    ck_assert_uint_eq(a.lg.payload[2], 99);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(a.lg.time[i], 10);
    sim_free(s);
}
END_TEST

static void stopper(sim_t *s, void *component, uint64_t payload)
{
    record(s, component, payload);
    if (payload == 2)
        sim_stop(s);
}

START_TEST(test_stop_from_handler)
{
    /* Events 1..4 at t=1..4; the handler of 2 stops the run: two executed, time 2,
     * two left pending. The next run resumes with 3. */
    sim_t *s = sim_new();
    log_t lg = {0};
    for (uint64_t k = 1; k <= 4; k++)
        sim_schedule_at(s, k, stopper, &lg, k);
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 2);
    ck_assert_uint_eq(sim_now(s), 2);
    ck_assert_uint_eq(sim_pending(s), 2);
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 2);
    ck_assert_uint_eq(lg.payload[2], 3);
    ck_assert_uint_eq(sim_now(s), 4);
    sim_free(s);
}
END_TEST

/* ---- a million events through a small pending set ---- */

typedef struct chain {
    uint64_t left;
    sim_time_t last;
    int monotonic;
} chain_t;

static void chain_step(sim_t *s, void *component, uint64_t payload)
{
    chain_t *c = component;
    if (sim_now(s) < c->last)
        c->monotonic = 0;
    c->last = sim_now(s);
    if (c->left == 0)
        return;
    c->left--;
    /* Delays 1..7 ps from the payload: each of the 8 chains keeps one event pending. */
    sim_schedule(s, 1 + (payload * 2654435761u + c->left) % 7, chain_step, c, payload + 1);
}

START_TEST(test_million_events_small_pool)
{
    /* 8 initial events, each handler schedules one more until 1e6 - 8 have been added:
     * exactly 1e6 events run, never more than 8 pending, time never goes back. */
    sim_t *s = sim_new();
    chain_t c = {1000000 - 8, 0, 1};
    for (uint64_t k = 0; k < 8; k++)
        sim_schedule(s, k, chain_step, &c, k);
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 1000000);
    ck_assert_int_eq(c.monotonic, 1);
    ck_assert_uint_eq(sim_pending(s), 0);
    ck_assert_uint_eq(sim_events_executed(s), 1000000);
    sim_free(s);
}
END_TEST

/* ---- limits and faults ---- */

/* Reschedules itself `payload` ps later, for ever. */
static void forever(sim_t *s, void *component, uint64_t payload)
{
    uint64_t *ran = component;
    (*ran)++;
    sim_schedule(s, payload, forever, component, payload);
}

START_TEST(test_stall_at_one_instant)
{
    /* A handler that reschedules itself at the same instant never lets time move. With a
     * limit of 1000 events an instant, event 1001 at t = 5 ps is the fault: 1000 run. */
    sim_t *s = sim_new();
    uint64_t ran = 0;
    sim_set_limits(s, 1000, 0, 0);
    sim_label(s, forever, "the test's loop");
    sim_schedule(s, 5, forever, &ran, 0);
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 1000);
    ck_assert_uint_eq(ran, 1000);
    ck_assert_int_eq(sim_fault(s), SIM_FAULT_STALL);
    ck_assert_uint_eq(sim_now(s), 5);
    ck_assert_str_eq(sim_fault_message(s), "simulated time stopped moving: more than 1000 "
                                           "events at 5 ps, in the test's loop");
    /* The fault is sticky: a later run runs nothing. */
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 0);
    sim_free(s);
}
END_TEST

START_TEST(test_instants_reset_when_time_moves)
{
    /* 1 ps apart, each event is alone at its instant: a limit of 1 event an instant never
     * trips, and 10000 events run until the run's own bound of t = 9999 ps. */
    sim_t *s = sim_new();
    uint64_t ran = 0;
    sim_set_limits(s, 1, 0, 0);
    sim_schedule(s, 0, forever, &ran, 1);
    ck_assert_uint_eq(sim_run(s, 9999), 10000);
    ck_assert_int_eq(sim_fault(s), SIM_FAULT_NONE);
    ck_assert_str_eq(sim_fault_message(s), "");
    sim_free(s);
}
END_TEST

START_TEST(test_horizon_is_never_run)
{
    /* A delay that overflows saturates at SIM_TIME_MAX, the default horizon: the event
     * there is refused, not run, so a model rescheduling "later" cannot loop at the end
     * of time. 2^63 ps steps: 0, 2^63, then 2^64 saturates to the horizon. */
    sim_t *s = sim_new();
    uint64_t ran = 0;
    sim_schedule(s, 0, forever, &ran, (uint64_t)1 << 63);
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 2);
    ck_assert_int_eq(sim_fault(s), SIM_FAULT_HORIZON);
    ck_assert_uint_eq(sim_now(s), (uint64_t)1 << 63);
    ck_assert_ptr_nonnull(strstr(sim_fault_message(s), "horizon of 18446744073709551615 ps "
                                                       "(213.5 days) in an unnamed model"));
    sim_free(s);

    /* A shorter horizon (the fuzzers' time budget): at 1000 ps, events at 0, 300, 600
     * and 900 ps run and the one at 1200 is refused. */
    s = sim_new();
    ran = 0;
    sim_set_limits(s, 0, 0, 1000);
    sim_schedule(s, 0, forever, &ran, 300);
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 4);
    ck_assert_int_eq(sim_fault(s), SIM_FAULT_HORIZON);
    sim_free(s);
}
END_TEST

START_TEST(test_event_budget)
{
    /* A budget of 50 events in all: 50 run, the 51st is the fault. */
    sim_t *s = sim_new();
    uint64_t ran = 0;
    sim_set_limits(s, 0, 50, 0);
    sim_schedule(s, 0, forever, &ran, 7);
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 50);
    ck_assert_uint_eq(ran, 50);
    ck_assert_int_eq(sim_fault(s), SIM_FAULT_BUDGET);
    ck_assert_uint_eq(sim_now(s), 49 * 7);
    sim_free(s);
}
END_TEST

START_TEST(test_model_fault_first_wins)
{
    /* A model that could not allocate records NOMEM; a later fault does not replace it. */
    sim_t *s = sim_new();
    sim_fail(s, SIM_FAULT_NOMEM, "a test model");
    sim_fail(s, SIM_FAULT_STALL, "another");
    ck_assert_int_eq(sim_fault(s), SIM_FAULT_NOMEM);
    ck_assert_str_eq(sim_fault_message(s), "out of memory at simulated time 0 ps (in a test "
                                           "model)");
    sim_free(s);
}
END_TEST

/* ---- random operations against a brute-force reference ---- */

#define REF_MAX 4096
typedef struct ref {
    sim_t *s;
    uint64_t rng;
    /* reference pending set: id, time, sequence, payload */
    sim_evid_t id[REF_MAX];
    sim_time_t t[REF_MAX];
    uint64_t seq[REF_MAX];
    uint64_t tag[REF_MAX];
    int n;
    uint64_t next_seq;
    int errors;
    uint64_t budget;
} ref_t;

static uint64_t lcg(ref_t *r)
{
    r->rng = r->rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return r->rng >> 33;
}

static void ref_handler(sim_t *s, void *component, uint64_t payload);

static void ref_add(ref_t *r, sim_time_t when)
{
    if (r->n >= REF_MAX)
        return;
    sim_evid_t id = sim_schedule_at(r->s, when, ref_handler, r, r->next_seq);
    r->id[r->n] = id;
    r->t[r->n] = when;
    r->tag[r->n] = r->next_seq;
    r->seq[r->n] = r->next_seq++;
    r->n++;
}

static void ref_drop(ref_t *r, int i)
{
    r->n--;
    r->id[i] = r->id[r->n];
    r->t[i] = r->t[r->n];
    r->seq[i] = r->seq[r->n];
    r->tag[i] = r->tag[r->n];
}

/* One random operation: schedule (most often), cancel or reschedule. */
static void ref_op(ref_t *r)
{
    uint64_t x = lcg(r);
    sim_time_t now = sim_now(r->s);
    if (x % 8 < 5 || r->n == 0) {
        ref_add(r, now + lcg(r) % 50);      /* small range: many equal times */
    } else if (x % 8 < 7) {
        int i = (int)(lcg(r) % (uint64_t)r->n);
        if (sim_cancel(r->s, r->id[i]) != 0)
            r->errors++;
        ref_drop(r, i);
    } else {
        int i = (int)(lcg(r) % (uint64_t)r->n);
        sim_time_t when = now + lcg(r) % 50;
        if (sim_reschedule(r->s, r->id[i], when) != 0)
            r->errors++;
        r->t[i] = when;
        r->seq[i] = r->next_seq++;
    }
}

static void ref_handler(sim_t *s, void *component, uint64_t payload)
{
    ref_t *r = component;
    /* The engine must have picked the reference's minimum (time, sequence). */
    int best = -1;
    for (int i = 0; i < r->n; i++)
        if (best < 0 || r->t[i] < r->t[best] ||
            (r->t[i] == r->t[best] && r->seq[i] < r->seq[best]))
            best = i;
    if (best < 0 || r->t[best] != sim_now(s) || r->tag[best] != payload) {
        r->errors++;
        return;
    }
    ref_drop(r, best);
    if (r->budget > 0) {
        r->budget--;
        int ops = (int)(lcg(r) % 3);
        for (int k = 0; k < ops; k++)
            ref_op(r);
    }
}

START_TEST(test_random_against_reference)
{
    /* 500 operations up front, then up to 2 more from each handler for 200000 events:
     * every event that runs must be the reference's minimum (time, sequence), with
     * times drawn from a 50 ps window so that ties are frequent. */
    ref_t *r = calloc(1, sizeof *r);
    r->s = sim_new();
    r->rng = 42;
    r->budget = 200000;
    for (int k = 0; k < 500; k++)
        ref_op(r);
    sim_run(r->s, SIM_TIME_MAX);
    ck_assert_int_eq(r->errors, 0);
    ck_assert_int_eq(r->n, 0);
    ck_assert_uint_eq(sim_pending(r->s), 0);
    sim_free(r->s);
    free(r);
}
END_TEST

/* ---- PHOLD ---- */

START_TEST(test_phold_deterministic)
{
    /* Same seed: same final time and digest; exactly `count` events run. A different
     * seed gives a different digest (a 64-bit hash collision aside). */
    phold_params_t p;
    phold_defaults(&p);
    p.count = 200000;
    phold_result_t a, b, c;
    ck_assert_int_eq(phold_run(&p, &a), 0);
    ck_assert_int_eq(phold_run(&p, &b), 0);
    ck_assert_uint_eq(a.events, 200000);
    ck_assert_uint_eq(a.sim_time, b.sim_time);
    ck_assert_uint_eq(a.digest, b.digest);
    p.seed = 2;
    ck_assert_int_eq(phold_run(&p, &c), 0);
    ck_assert_uint_ne(a.digest, c.digest);
}
END_TEST

START_TEST(test_phold_time_scale)
{
    /* 64 LPs x 16 events = 1024 pending events, each delay averages 1 + 10 = 11 ns, so
     * the pending set advances by about 11 ns / 1024 per event: 1e6 events cover about
     * 1e6 x 11 ns / 1024 = 10.7 us. Allow 5% for randomness. */
    phold_params_t p;
    phold_defaults(&p);
    p.count = 1000000;
    phold_result_t r;
    ck_assert_int_eq(phold_run(&p, &r), 0);
    double expect = 1e6 * 11.0 * (double)SIM_NS / 1024.0;
    ck_assert_double_eq_tol((double)r.sim_time, expect, 0.05 * expect);
}
END_TEST

/* At t=5: schedules 4 and 5 due now, cancels 5, schedules 6 due now, then moves 4 to
 * now again (a new sequence: it goes after 6). */
static void spawner(sim_t *s, void *component, uint64_t payload)
{
    record(s, component, payload);
    sim_evid_t a = sim_schedule(s, 0, record, component, 4);
    sim_evid_t b = sim_schedule(s, 0, record, component, 5);
    ck_assert_uint_eq(sim_pending(s), 4);         /* 7, 8, 4 and 5 */
    ck_assert_int_eq(sim_cancel(s, b), 0);
    ck_assert_int_eq(sim_cancel(s, b), -1);
    sim_schedule_at(s, sim_now(s), record, component, 6);
    ck_assert_int_eq(sim_reschedule(s, a, sim_now(s)), 0);
    ck_assert(sim_is_pending(s, a));
    ck_assert_uint_eq(sim_pending(s), 4);         /* 7, 8, 6 and 4 */
}

START_TEST(test_zero_delay_order)
{
    /* Events due at the current time take the zero-delay lane; the order must still be
     * time, then scheduling order. Before the run (t=0): 1 due now, the spawner and 7
     * at t=5, 3 due now, 8 due now but moved to t=5 (a new sequence, after 7). At t=0:
     * 1, 3. At t=5: the spawner (0), 7, 8, then what the spawner scheduled: 6, 4. */
    sim_t *s = sim_new();
    log_t lg = {0};
    sim_schedule_at(s, 0, record, &lg, 1);
    sim_schedule_at(s, 5, spawner, &lg, 0);
    sim_schedule_at(s, 5, record, &lg, 7);
    sim_schedule(s, 0, record, &lg, 3);
    sim_evid_t e8 = sim_schedule(s, 0, record, &lg, 8);
    ck_assert_int_eq(sim_reschedule(s, e8, 5), 0);
    ck_assert_uint_eq(sim_pending(s), 5);
    ck_assert_uint_eq(sim_run(s, SIM_TIME_MAX), 7);
    const uint64_t want[] = {1, 3, 0, 7, 8, 6, 4};
    const sim_time_t when[] = {0, 0, 5, 5, 5, 5, 5};
    ck_assert_int_eq(lg.n, 7);
    for (int i = 0; i < 7; i++) {
        ck_assert_uint_eq(lg.payload[i], want[i]);
        ck_assert_uint_eq(lg.time[i], when[i]);
    }
    ck_assert_uint_eq(sim_pending(s), 0);
    sim_free(s);
}
END_TEST

START_TEST(test_phold_end_time)
{
    /* With --end 1 us the run stops before the count: no event after 1 us runs. */
    phold_params_t p;
    phold_defaults(&p);
    p.end = 1 * SIM_US;
    phold_result_t r;
    ck_assert_int_eq(phold_run(&p, &r), 0);
    ck_assert_uint_lt(r.events, p.count);
    ck_assert_uint_le(r.sim_time, 1 * SIM_US);
    ck_assert_uint_gt(r.sim_time, 1 * SIM_US - 100 * SIM_NS);
}
END_TEST

START_TEST(test_phold_bare_reference_same_events)
{
    /* The bare-heap reference runs the same model with the same draws and the same
     * tie-breaking, so it must run the same events: equal counts, final time and digest,
     * with a small pending set, a large one, and an end time that stops it first. */
    const uint32_t lps[3] = {8, 1024, 64}, per[3] = {1, 64, 16};
    for (int i = 0; i < 3; i++) {
        phold_params_t p;
        phold_result_t a, b;
        phold_defaults(&p);
        p.lps = lps[i];
        p.events_per_lp = per[i];
        p.count = 200000;
        if (i == 2)
            p.end = SIM_US;   /* 1024 pending, ~11 ns apart each: ~93,000 events by 1 us */
        ck_assert_int_eq(phold_run(&p, &a), 0);
        p.bare = 1;
        ck_assert_int_eq(phold_run(&p, &b), 0);
        ck_assert_uint_eq(a.events, b.events);
        ck_assert_uint_eq(a.sim_time, b.sim_time);
        ck_assert_uint_eq(a.digest, b.digest);
        if (i == 2)
            ck_assert_uint_lt(a.events, 200000);
    }
}
END_TEST

START_TEST(test_phold_cli_arguments)
{
    char *bad1[] = {"phold", "--lps", "0"};
    char *bad2[] = {"phold", "--mean", "10"};            /* missing unit */
    char *bad3[] = {"--remote", "1.5"};
    char *bad4[] = {"phold", "--frobnicate"};
    char *bad5[] = {"phold", "--count"};                 /* missing value */
    ck_assert_int_eq(bench_phold_cli(3, bad1), EXIT_BAD_INPUT);
    ck_assert_int_eq(bench_phold_cli(3, bad2), EXIT_BAD_INPUT);
    ck_assert_int_eq(bench_phold_cli(2, bad3), EXIT_BAD_INPUT);
    ck_assert_int_eq(bench_phold_cli(2, bad4), EXIT_BAD_INPUT);
    ck_assert_int_eq(bench_phold_cli(2, bad5), EXIT_BAD_INPUT);
    char *good[] = {"phold", "--lps", "4", "--events-per-lp=2", "--lookahead", "0.5ns",
                    "--mean", "2 ns", "--remote", "0.5", "--count", "1e4", "--seed", "7",
                    "--repeat", "2", "--json"};
    ck_assert_int_eq(bench_phold_cli(17, good), EXIT_OK);
}
END_TEST

Suite *sim_suite(void)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("engine");
    tcase_add_test(tc, test_order_time_then_fifo);
    tcase_add_test(tc, test_run_until_and_resume);
    tcase_add_test(tc, test_ids_cancel_reschedule_stale);
    tcase_add_test(tc, test_reschedule_same_time_goes_last);
    tcase_add_test(tc, test_handler_cancels_and_reschedules);
    tcase_add_test(tc, test_stop_from_handler);
    tcase_add_test(tc, test_million_events_small_pool);
    tcase_add_test(tc, test_random_against_reference);
    tcase_add_test(tc, test_zero_delay_order);
    tcase_add_test(tc, test_stall_at_one_instant);
    tcase_add_test(tc, test_instants_reset_when_time_moves);
    tcase_add_test(tc, test_horizon_is_never_run);
    tcase_add_test(tc, test_event_budget);
    tcase_add_test(tc, test_model_fault_first_wins);
    suite_add_tcase(s, tc);
    TCase *tp = tcase_create("phold");
    tcase_add_test(tp, test_phold_deterministic);
    tcase_add_test(tp, test_phold_time_scale);
    tcase_add_test(tp, test_phold_end_time);
    tcase_add_test(tp, test_phold_cli_arguments);
    tcase_add_test(tp, test_phold_bare_reference_same_events);
    suite_add_tcase(s, tp);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sim_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
