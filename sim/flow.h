/*
 * flow: fluid sharing of a resource's throughput among concurrent flows (SimGrid-style).
 *
 * A link is a shared resource with a capacity in units per second (bytes/s for the DRAM
 * bus, cycles/s for an SM's math pipes). A flow is an amount of work on one link with
 * its own ceiling (units/s; 0 = no ceiling) and a weight. Rates follow weighted max-min
 * fairness (progressive filling): no flow exceeds its ceiling, the link's capacity is
 * fully used if demand allows, and the remainder is split in proportion to weight.
 *
 * Rates are recomputed only when a flow starts, ends or is cancelled, or the capacity
 * changes: between those instants every flow progresses linearly. The link keeps one
 * pending engine event, for the earliest completion, and reschedules it on each change.
 * When a flow finishes, its `done` callback runs (from inside the engine's event), after
 * the flow has been removed from the link; the flow handle is invalid after that.
 *
 * Completion times are rounded up to the next picosecond; remaining work below a
 * tolerance of 1e-9 of the flow's size (or 1e-6 units) counts as done, so a flow ends at
 * the first whole picosecond at which it is within tolerance (this absorbs floating-point
 * error: 1e9 B at 1e9 B/s ends at exactly 1 s, not 1 ps later).
 */
#ifndef ORINSIM_FLOW_H
#define ORINSIM_FLOW_H

#include "sim/sim.h"

typedef struct sim_link sim_link_t;
typedef struct sim_flow sim_flow_t;

typedef void (*sim_flow_done_fn)(sim_t *s, void *ctx, uint64_t tag);

sim_link_t *sim_link_new(sim_t *s, const char *name, double capacity);
void sim_link_free(sim_link_t *l);
const char *sim_link_name(const sim_link_t *l);
void sim_link_set_capacity(sim_link_t *l, double capacity);
double sim_link_capacity(const sim_link_t *l);
/* Sum of current rates (units/s) and number of active flows (members counted). */
double sim_link_load(const sim_link_t *l);
int sim_link_nflows(const sim_link_t *l);
/* Total units completed on the link so far (brought up to date to now). */
double sim_link_work_done(sim_link_t *l);
/* Observer called after every rate recomputation (e.g. to record a bandwidth time series
 * or a utilisation statistic). May be NULL. */
void sim_link_set_observer(sim_link_t *l, void (*fn)(void *ctx, sim_time_t now, double load),
                           void *ctx);

/* Start a flow of `amount` units (> 0). `ceiling` <= 0 means unlimited; `weight` > 0.
 * Returns NULL on allocation failure, recorded on the engine as SIM_FAULT_NOMEM (the run
 * ends). An amount of 0 completes at once (its callback is scheduled at the current
 * time). */
sim_flow_t *sim_flow_start(sim_link_t *l, double amount, double ceiling, double weight,
                           sim_flow_done_fn done, void *ctx, uint64_t tag);
/* Members. A flow can stand for several identical flows (a wave of thread blocks): up to
 * SIM_FLOW_MEMBERS_MAX members that share one record, one rate each and one completion.
 * sim_flow_join() adds a member to `f` as if sim_flow_start() had been called again with
 * f's arguments. It may only be called where sim_flow_can_join() says that is exact (1):
 * at the instant f started, while every flow started on the link since f is identical to
 * it (same amount, ceiling, weight and callback), and f has fewer than the maximum of
 * members. Rates, loads, work
 * done and completion times are those of the separate flows, computed in the same order;
 * when members finish, the callback runs once per member, in the order the members
 * started, interleaved with the link's other flows. The handle is invalid once the
 * callback of any of its members has run; sim_flow_cancel() cancels every member. */
#define SIM_FLOW_MEMBERS_MAX 32
int sim_flow_can_join(const sim_link_t *l, const sim_flow_t *f);
void sim_flow_join(sim_link_t *l, sim_flow_t *f);
/* `more` members at once (f must then have room for them). */
void sim_flow_join_n(sim_link_t *l, sim_flow_t *f, int more);
/* A callback for several members at once: the same as calling `done` `count` times in a
 * row. Where the members that call back next (in start order) are `count` > 1 members of
 * one flow whose callback is `done`, the link calls `batch` once instead. */
typedef void (*sim_flow_batch_fn)(sim_t *s, void *ctx, uint64_t tag, int count);
void sim_link_set_batch(sim_link_t *l, sim_flow_done_fn done, sim_flow_batch_fn batch);
/* Every callback of one completion event at once. When more than one member finishes in
 * an event of the link and every finished flow has the batch callback `done` and the same
 * tag, the link first offers the whole lot to `sweep`, in the order the separate
 * callbacks would run (start order, members of several flows interleaved), as `runs`
 * runs: run i is members[i] consecutive callbacks with context ctx[i]. `sweep` returns 1
 * when it has done the work of all those callbacks, or 0, having changed nothing, to have
 * them called as usual (one by one, or in runs through `batch`). The finished flows'
 * handles are invalid in it. */
typedef int (*sim_flow_sweep_fn)(sim_t *s, void *const *ctx, const int *members, int runs,
                                 uint64_t tag);
void sim_link_set_sweep(sim_link_t *l, sim_flow_sweep_fn sweep);

/* Remove an active flow without calling its callback. */
void sim_flow_cancel(sim_link_t *l, sim_flow_t *f);
double sim_flow_rate(const sim_flow_t *f);
double sim_flow_remaining(sim_link_t *l, sim_flow_t *f);   /* brought up to date to now */

#endif
