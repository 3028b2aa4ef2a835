/*
 * sim: the discrete-event engine.
 *
 * Time is an unsigned 64-bit count of picoseconds (about 213 days of simulated time).
 * The pending-event set orders events by (time, insertion sequence), so events at the
 * same time run in the order they were scheduled and every run is deterministic.
 *
 * An event carries a handler, the component it acts on and a 64-bit payload. Events live
 * in a pool owned by the engine: scheduling never calls malloc once the pool has grown
 * to the run's high-water mark. A scheduled event is named by a sim_evid_t (slot index plus
 * a generation count), which stays safe to use after the event ran or was cancelled:
 * sim_cancel() and sim_reschedule() on a stale id return -1 and do nothing.
 *
 * A run never loops. The engine refuses, as a fault that ends sim_run(), an event at its
 * time horizon (SIM_TIME_MAX, where a delay that overflows saturates: about 213 days),
 * more than a limit of events at one instant (time that no longer moves), more events in
 * all than a budget, and an event it could not allocate. The fault is sticky; its message
 * names the model whose event caused it, by the label the model gave its handler.
 */
#ifndef ORINSIM_SIM_H
#define ORINSIM_SIM_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t sim_time_t;            /* picoseconds */

/* An assert on the engine's per-event and per-flow paths (scheduling, starting and joining
 * flows, their progress): on in test and debug builds like every assert, compiled out of
 * Release builds (CMAKE_BUILD_TYPE=Release defines ORINSIM_RELEASE), where a long replay
 * runs each hundreds of millions of times. The condition is not evaluated there. */
#ifdef ORINSIM_RELEASE
#define SIM_HOT_ASSERT(cond) ((void)sizeof(cond))
#else
#define SIM_HOT_ASSERT(cond) assert(cond)
#endif

#define SIM_PS ((sim_time_t)1)
#define SIM_NS ((sim_time_t)1000)
#define SIM_US ((sim_time_t)1000000)
#define SIM_MS ((sim_time_t)1000000000)
#define SIM_S  ((sim_time_t)1000000000000ULL)
#define SIM_TIME_MAX UINT64_MAX

typedef struct sim sim_t;
typedef uint64_t sim_evid_t;            /* 0 is never a valid id */

typedef void (*sim_handler_fn)(sim_t *s, void *component, uint64_t payload);

sim_t *sim_new(void);
void sim_free(sim_t *s);

/* The current time. The clock is the first member of struct sim (sim.c checks this), so
 * reading it is a load, not a call: models read it on every flow and CTA. */
static inline sim_time_t sim_now(const sim_t *s)
{
    return *(const sim_time_t *)(const void *)s;
}

/* Schedule at now + delay / at an absolute time (>= now). Returns the event's id, or 0 on
 * allocation failure. */
sim_evid_t sim_schedule(sim_t *s, sim_time_t delay, sim_handler_fn fn, void *component,
                        uint64_t payload);
sim_evid_t sim_schedule_at(sim_t *s, sim_time_t when, sim_handler_fn fn, void *component,
                           uint64_t payload);

/* Remove a pending event. 0 if it was pending, -1 if it already ran or was cancelled. */
int sim_cancel(sim_t *s, sim_evid_t id);
/* Move a pending event to a new absolute time (>= now). It takes a new insertion sequence,
 * as if scheduled now. 0 on success, -1 if the id is stale. */
int sim_reschedule(sim_t *s, sim_evid_t id, sim_time_t when);
int sim_is_pending(const sim_t *s, sim_evid_t id);

/* Run events in order until none is left, the next one is later than `until`, or a
 * handler calls sim_stop(). Returns the number of events executed by this call. Time
 * advances to the last event run (not to `until`). */
uint64_t sim_run(sim_t *s, sim_time_t until);
void sim_stop(sim_t *s);

uint64_t sim_events_executed(const sim_t *s);
size_t sim_pending(const sim_t *s);

/* ---- limits and faults ---- */

/* Events one instant may hold before the engine calls it a stall: 2^26 (67,108,864).
 * The shipped traces and zoo networks hold at most a few thousand; a model whose time
 * stops moving (a zero-length time slice, say) reaches the limit within seconds. */
#define SIM_INSTANT_EVENTS_MAX ((uint64_t)1 << 26)

typedef enum sim_fault {
    SIM_FAULT_NONE = 0,
    SIM_FAULT_NOMEM,      /* an event or a model's state could not be allocated */
    SIM_FAULT_HORIZON,    /* an event at or past the horizon (time overflowed) */
    SIM_FAULT_STALL,      /* too many events at one instant */
    SIM_FAULT_BUDGET      /* more events than the run's budget */
} sim_fault_t;

/* The run's limits: events at one instant (0 = SIM_INSTANT_EVENTS_MAX), events in all
 * (0 = no budget) and the horizon: no event at or after it runs (0 = SIM_TIME_MAX). */
void sim_set_limits(sim_t *s, uint64_t instant_events, uint64_t total_events,
                    sim_time_t horizon);
/* Name a handler for fault messages ("gpu time slices"). `name` must outlive the engine
 * (a string literal). At most 32 handlers are named; later names are ignored. */
void sim_label(sim_t *s, sim_handler_fn fn, const char *name);
/* Record a fault (the first one wins) and end the current run: for a model whose own
 * allocation failed. `who` names the model. */
void sim_fail(sim_t *s, sim_fault_t fault, const char *who);
sim_fault_t sim_fault(const sim_t *s);
/* The fault as one line ("" with none): what happened, when and in which model. */
const char *sim_fault_message(const sim_t *s);

#endif
