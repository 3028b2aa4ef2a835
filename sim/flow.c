/*
 * flow: weighted max-min sharing of a link among fluid flows. See flow.h.
 *
 * State. A link holds its active flows in an array kept in start order, so flows that
 * finish together call back in the order they started. Flows come from per-link slabs of
 * FLOW_SLAB records with a free list: starting and ending flows does not call malloc once
 * the link has seen its peak concurrency. Each flow stores its remaining work, current
 * rate, ceiling, weight and completion tolerance.
 *
 * Lazy progress. Between changes every rate is constant, so the link only remembers the
 * time of the last change (t_last). Before any change, progress() subtracts rate x dt
 * from every flow's remaining work (dt in seconds = picoseconds / 1e12, a division by an
 * exact power of ten so whole seconds stay exact) and adds it to the link's work done.
 *
 * Rates (progressive filling). With capacity C, weights w_i and ceilings c_i (absent for
 * unlimited flows), the max-min fair allocation is rate_i = min(c_i, w_i * L) for the
 * fill level L at which the rates add up to C. Sorting capped flows by c_i / w_i, each
 * flow whose ceiling is reached before the level fills the remaining capacity is fixed
 * at its ceiling and leaves the pool; the level is then (capacity left) / (weight left).
 * Two shortcuts skip the sort: no ceilings at all (L = C / sum w) and total ceilings
 * within capacity (everyone at its ceiling). Flows already within tolerance of done take
 * no share. Cost: O(n) per change, O(n log n) when ceilings bind.
 *
 * Completion. The link keeps one engine event, at the earliest completion: the first
 * whole picosecond at which the flow with the least remaining / rate is within its
 * tolerance (the exact time rounded up, or down when floating-point error put it a hair
 * past a picosecond boundary), and at least 1 ps ahead, so a flow whose last sliver would
 * take a fraction of a picosecond finishes 1 ps later instead of looping at zero
 * progress. Only a flow already within tolerance (an amount-0 flow) completes "now". When the event fires, every flow within
 * tolerance is removed, the survivors' rates are solved, the next event is set and the
 * observer called; only then do the finished flows' callbacks run, one by one, so a
 * callback that starts or cancels flows on this link finds it consistent. A callback
 * must not free the link whose flow it completes.
 *
 * Failure. sim_flow_start() returns NULL if it cannot allocate the flow or the link's
 * event, leaving the link as it was and the engine with a SIM_FAULT_NOMEM that ends the
 * run. Other changes only move the existing event, except
 * raising the capacity of a stalled (capacity 0) link, and a deferred re-solve; failing
 * to allocate those events is recorded by the engine as a fault (SIM_FAULT_NOMEM) that
 * ends the run before any other event, as there is no error return to carry it.
 *
 * Members. A run of identical flows started at one instant (a wave of thread blocks on
 * an SM) can share one record: `n` members, each with the record's remaining work and
 * rate. The link remembers where its run of identical flows started at this instant
 * (`tail`); sim_flow_join() adds a member only to a flow inside that run, so the members
 * a record stands for sat next to each other, among identical flows only, in the
 * per-flow list: every sum over flows (weights, ceilings, load, work done) adds the same
 * values in the same order when it adds a record's value n times, and the rates and
 * completion times are bit for bit those of the separate flows. Each member keeps its
 * start number, so finished members call back in start order, interleaved as separate
 * flows would have been. One exception remains: when ceilings bind in more than one
 * pass of the progressive filling, the swaps of the filling can put a record's members
 * among other capped flows of a different ceiling, where the per-flow order subtracts
 * them interleaved; the capacity left then differs by rounding only (an ulp of the sum).
 * Where several flows finish in one event and their callbacks can do the whole event's
 * work at once (sim_link_set_sweep: a GPU refilling several SMs), the link hands them the
 * members in callback order as runs of one flow, and calls back one by one only if it
 * declines.
 *
 * Ignored: flows spanning several links (SimGrid's multi-resource solve); each flow here
 * uses one link, and a model that needs a path chains flows.
 */
#include "sim/flow.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FLOW_SLAB 64
#define PS_PER_S 1e12
#define TOL_REL 1e-9
#define TOL_ABS 1e-6

struct sim_flow {
    double remaining;
    double rate;
    double ceiling;         /* 0: unlimited */
    double weight;
    double tol;             /* remaining work at or below this counts as done */
    sim_flow_done_fn done;
    void *ctx;
    uint64_t tag;
    sim_link_t *link;
    sim_flow_t *next;       /* free list, or list of finished flows */
    int idx;                /* position in link->fl while active, -1 otherwise */
    int n;                  /* members: identical flows moving as one (sim_flow_join) */
    int cur;                /* while calling back: members merged / still to call */
    uint64_t seq[SIM_FLOW_MEMBERS_MAX];   /* each member's start number on the link */
};

typedef struct slab {
    struct slab *next;
    sim_flow_t flows[FLOW_SLAB];
} slab_t;

typedef struct fill {
    double key;             /* ceiling / weight: the fill level at which the cap binds */
    sim_flow_t *f;
} fill_t;

struct sim_link {
    sim_t *s;
    char *name;
    double capacity;
    sim_flow_t **fl;        /* active flows, in start order */
    fill_t *scratch;        /* capped flows while solving */
    int n, cap;
    sim_time_t t_last;
    double load;
    double work_done;
    sim_evid_t ev;          /* pending completion event, 0 if none */
    sim_time_t ev_time;
    int solving;            /* set while the observer runs: the link must not change */
    sim_evid_t deferred;    /* pending re-solve after starts and cancels, 0 if none */
    void (*observer)(void *ctx, sim_time_t now, double load);
    void *observer_ctx;
    sim_flow_t *free_list;
    slab_t *slabs;
    int members;            /* active flows counting every member */
    uint64_t next_seq;      /* start number of the next flow or member */
    int tail;               /* fl[tail..n) are identical and started at tail_time */
    sim_time_t tail_time;
    sim_flow_t **cbs;       /* while calling back: one entry per finished member */
    int cbs_cap;
    sim_flow_done_fn batch_key;   /* flows with this callback ... */
    sim_flow_batch_fn batch;      /* ... call back consecutive members at once */
    sim_flow_sweep_fn sweep;      /* ... or all the members of an event at once */
    void **cbctx;                 /* for the sweep: l->cbs as runs of one flow's ... */
    int *cbn;                     /* ... consecutive members */
};

static void link_event(sim_t *s, void *component, uint64_t payload);

/* ---- pool ---- */

static sim_flow_t *flow_alloc(sim_link_t *l)
{
    if (l->free_list == NULL) {
        slab_t *sb = malloc(sizeof *sb);
        if (sb == NULL)
            return NULL;
        sb->next = l->slabs;
        l->slabs = sb;
        for (int i = FLOW_SLAB; i-- > 0;) {
            sb->flows[i].idx = -1;
            sb->flows[i].link = NULL;
            sb->flows[i].next = l->free_list;
            l->free_list = &sb->flows[i];
        }
    }
    sim_flow_t *f = l->free_list;
    l->free_list = f->next;
    f->next = NULL;
    return f;
}

static void flow_release(sim_link_t *l, sim_flow_t *f)
{
    f->idx = -1;
    f->link = NULL;
    f->done = NULL;
    f->next = l->free_list;
    l->free_list = f;
}

static int reserve(sim_link_t *l, int need)
{
    if (need <= l->cap)
        return 0;
    int cap = l->cap ? l->cap * 2 : 16;
    while (cap < need)
        cap *= 2;
    sim_flow_t **fl = realloc(l->fl, (size_t)cap * sizeof *fl);
    if (fl == NULL)
        return -1;
    l->fl = fl;
    fill_t *sc = realloc(l->scratch, (size_t)cap * sizeof *sc);
    if (sc == NULL)
        return -1;     /* fl is larger than cap says; harmless */
    l->scratch = sc;
    l->cap = cap;
    return 0;
}

/* Two flows started at the same instant that will move identically. */
static int same_flow(const sim_flow_t *a, const sim_flow_t *b)
{
    return a->remaining == b->remaining && a->ceiling == b->ceiling && a->weight == b->weight &&
           a->done == b->done;
}

/* ---- progress, solve, schedule ---- */

static void progress_to(sim_link_t *l, sim_time_t now);

/* Bring the link's flows up to now: nothing to do when it changed at this instant already,
 * as it mostly has (a check inlined in the callers). */
static inline void progress(sim_link_t *l)
{
    sim_time_t now = sim_now(l->s);
    SIM_HOT_ASSERT(now >= l->t_last);
    if (now != l->t_last)
        progress_to(l, now);
}

static void progress_to(sim_link_t *l, sim_time_t now)
{
    double dt = (double)(now - l->t_last) / PS_PER_S;
    double work = 0.0;
    for (int i = 0; i < l->n; i++) {
        sim_flow_t *f = l->fl[i];
        if (f->rate <= 0.0)
            continue;
        double d = f->rate * dt;
        if (d >= f->remaining) {
            for (int j = 0; j < f->n; j++)
                work += f->remaining;
            f->remaining = 0.0;
        } else {
            for (int j = 0; j < f->n; j++)
                work += d;
            f->remaining -= d;
        }
    }
    l->work_done += work;
    l->t_last = now;
}

/* Weighted max-min rates for the active flows; sets every f->rate and l->load. */
static void solve_rates(sim_link_t *l)
{
    double wsum = 0.0, csum = 0.0;
    int k = 0, unlimited = 0;
    for (int i = 0; i < l->n; i++) {
        sim_flow_t *f = l->fl[i];
        f->rate = 0.0;
        if (f->remaining <= f->tol)
            continue;
        for (int j = 0; j < f->n; j++)
            wsum += f->weight;
        if (f->ceiling > 0.0) {
            for (int j = 0; j < f->n; j++)
                csum += f->ceiling;
            l->scratch[k].key = f->weight == 1.0 ? f->ceiling : f->ceiling / f->weight;
            l->scratch[k].f = f;
            k++;
        } else {
            unlimited = 1;
        }
    }
    l->load = 0.0;
    if (wsum == 0.0 || l->capacity <= 0.0)
        return;

    /* Progressive filling without a sort: start from an even split, fix every capped flow
     * whose ceiling is below its share, re-split what is left among the others, and
     * repeat until no more flows become fixed. Each pass fixes at least one more group of
     * equal ceiling/weight, so passes are few (one per distinct ceiling that binds); each
     * is O(flows). */
    double level;
    if (k == 0) {
        level = l->capacity / wsum;
    } else if (!unlimited && csum <= l->capacity) {
        level = INFINITY;
    } else {
        double left = l->capacity, wleft = wsum;
        int fixed = 0;
        level = left / wleft;
        for (;;) {
            int more = 0;
            for (int i = fixed; i < k; i++) {
                if (l->scratch[i].key < level) {
                    fill_t tmp = l->scratch[i];
                    for (int j = 0; j < tmp.f->n; j++) {
                        left -= tmp.f->ceiling;
                        wleft -= tmp.f->weight;
                    }
                    l->scratch[i] = l->scratch[fixed];
                    l->scratch[fixed++] = tmp;
                    more = 1;
                }
            }
            if (!more)
                break;
            if (fixed == k && !unlimited) {
                level = INFINITY;   /* every cap binds */
                break;
            }
            level = (left > 0.0 && wleft > 0.0) ? left / wleft : 0.0;
        }
    }

    double load = 0.0;
    for (int i = 0; i < l->n; i++) {
        sim_flow_t *f = l->fl[i];
        if (f->remaining <= f->tol)
            continue;
        double r = f->weight * level;
        if (f->ceiling > 0.0 && f->ceiling < r)
            r = f->ceiling;
        f->rate = r;
        for (int j = 0; j < f->n; j++)
            load += r;
    }
    l->load = load;
}

/* Earliest completion as an absolute time, or SIM_TIME_MAX with *none set if no flow
 * progresses. */
static sim_time_t next_completion(const sim_link_t *l, int *none)
{
    double best = INFINITY;
    const sim_flow_t *first = NULL;
    *none = 0;
    for (int i = 0; i < l->n; i++) {
        const sim_flow_t *f = l->fl[i];
        if (f->remaining <= f->tol)
            return sim_now(l->s);
        if (f->rate > 0.0) {
            double t = f->remaining / f->rate;
            if (t < best) {
                best = t;
                first = f;
            }
        }
    }
    if (first == NULL) {
        *none = 1;
        return SIM_TIME_MAX;
    }
    /* The first whole picosecond at which the earliest flow is within tolerance: the
     * floor of its exact time when the work left at the floor is within tolerance (this
     * absorbs floating-point error: 1e9 B at 1e9 B/s must end at 1 s, not 1 s + 1 ps),
     * else the ceiling. Never less than 1 ps ahead. */
    double ps = floor(best * PS_PER_S);
    if (first->remaining - first->rate * (ps / PS_PER_S) > first->tol)
        ps += 1.0;
    if (ps < 1.0)
        ps = 1.0;
    sim_time_t now = sim_now(l->s);
    if (ps >= (double)(SIM_TIME_MAX - now))
        return SIM_TIME_MAX;
    return now + (sim_time_t)ps;
}

/* Point the link's event at the earliest completion. -1 if a new event could not be
 * allocated (the link then has none). */
static int set_event(sim_link_t *l)
{
    int none;
    sim_time_t when = next_completion(l, &none);
    if (none) {
        if (l->ev)
            sim_cancel(l->s, l->ev);
        l->ev = 0;
        return 0;
    }
    if (l->ev && sim_is_pending(l->s, l->ev)) {
        if (when != l->ev_time) {
            int rc = sim_reschedule(l->s, l->ev, when);
            SIM_HOT_ASSERT(rc == 0);
            (void)rc;
            l->ev_time = when;
        }
        return 0;
    }
    l->ev = sim_schedule_at(l->s, when, link_event, l, 0);
    l->ev_time = when;
    return l->ev ? 0 : -1;
}

static void notify(sim_link_t *l)
{
    if (l->observer) {
        l->solving = 1;
        l->observer(l->observer_ctx, sim_now(l->s), l->load);
        l->solving = 0;
    }
}

/* Re-solve after a change; the caller has already brought progress up to now. */
static void resolve(sim_link_t *l)
{
    if (l->deferred) {
        sim_cancel(l->s, l->deferred);
        l->deferred = 0;
    }
    solve_rates(l);
    /* A failed schedule leaves the link without an event: the engine has recorded the
     * fault (SIM_FAULT_NOMEM) and ends the run before any other event. */
    (void)set_event(l);
    notify(l);
}

/* Starts and cancels do not re-solve at once: they mark the link and one event at the
 * current time re-solves it, after every other change made at this instant. A kernel
 * launch that starts a hundred CTAs costs one solve, not a hundred. No time passes in
 * between, so no flow progresses at a stale rate; readers of rates re-solve first. */
static void deferred_event(sim_t *s, void *component, uint64_t payload)
{
    sim_link_t *l = component;
    (void)s;
    (void)payload;
    l->deferred = 0;
    progress(l);
    resolve(l);
}

static inline void defer(sim_link_t *l)
{
    if (l->deferred)
        return;
    l->deferred = sim_schedule(l->s, 0, deferred_event, l, 0);
    /* 0 on allocation failure: the engine has recorded the fault and ends the run. */
}

/* Put the members of the finished flows (list `head`, nf flows, total members) into
 * l->cbs in the order they started: a merge of the flows' sorted start numbers. -1 when
 * l->cbs cannot grow: the engine then holds an out-of-memory fault and ends the run. */
static int order_members(sim_link_t *l, sim_flow_t *head, int nf, int total)
{
    if (total > l->cbs_cap) {
        int cap = l->cbs_cap ? l->cbs_cap : 16;
        while (cap < total)
            cap *= 2;
        sim_flow_t **cbs = realloc(l->cbs, (size_t)cap * sizeof *cbs);
        if (cbs != NULL)
            l->cbs = cbs;
        void **cbctx = cbs ? realloc(l->cbctx, (size_t)cap * sizeof *cbctx) : NULL;
        if (cbctx != NULL)
            l->cbctx = cbctx;
        int *cbn = cbctx ? realloc(l->cbn, (size_t)cap * sizeof *cbn) : NULL;
        if (cbn == NULL) {
            sim_fail(l->s, SIM_FAULT_NOMEM, "bandwidth sharing (finished flows, sim/flow.c)");
            return -1;
        }
        l->cbn = cbn;
        l->cbs_cap = cap;
    }
    if (nf == 1 || nf == total) {   /* one flow, or no members to interleave */
        int k = 0;
        for (sim_flow_t *f = head; f; f = f->next) {
            f->cur = f->n;
            for (int m = 0; m < f->n; m++)
                l->cbs[k++] = f;
        }
        return 0;
    }
    /* Members started in one go have consecutive numbers: place each by its number. */
    uint64_t lo = UINT64_MAX, hi = 0;
    for (sim_flow_t *f = head; f; f = f->next) {
        if (f->seq[0] < lo)
            lo = f->seq[0];
        if (f->seq[f->n - 1] > hi)
            hi = f->seq[f->n - 1];
    }
    if (hi - lo + 1 == (uint64_t)total) {
        for (sim_flow_t *f = head; f; f = f->next) {
            f->cur = f->n;
            for (int m = 0; m < f->n; m++)
                l->cbs[f->seq[m] - lo] = f;
        }
        return 0;
    }
    int i = 0;
    for (sim_flow_t *f = head; f; f = f->next) {
        f->cur = 0;
        l->scratch[i++].f = f;
    }
    assert(i == nf);
    for (int k = 0; k < total; k++) {
        sim_flow_t *best = NULL;
        for (i = 0; i < nf; i++) {
            sim_flow_t *f = l->scratch[i].f;
            if (f->cur < f->n && (best == NULL || f->seq[f->cur] < best->seq[best->cur]))
                best = f;
        }
        best->cur++;
        l->cbs[k] = best;
    }
    return 0;
}

/* Offer the finished members (l->cbs, in callback order) to the link's sweep; 1 if it
 * took them all, the flows then released. */
static int sweep(sim_link_t *l, sim_flow_t *head, int total)
{
    for (const sim_flow_t *f = head; f; f = f->next)
        if (f->done != l->batch_key || f->tag != head->tag)
            return 0;
    int runs = 0;
    for (int k = 0; k < total; k++) {
        if (k > 0 && l->cbs[k] == l->cbs[k - 1]) {
            l->cbn[runs - 1]++;
        } else {
            l->cbctx[runs] = l->cbs[k]->ctx;
            l->cbn[runs++] = 1;
        }
    }
    if (!l->sweep(l->s, l->cbctx, l->cbn, runs, head->tag))
        return 0;
    while (head) {
        sim_flow_t *next = head->next;
        flow_release(l, head);
        head = next;
    }
    return 1;
}

static void link_event(sim_t *s, void *component, uint64_t payload)
{
    sim_link_t *l = component;
    (void)payload;
    SIM_HOT_ASSERT(!l->solving);
    l->ev = 0;
    progress(l);

    /* Detach finished flows, keeping start order in both lists. */
    sim_flow_t *head = NULL, **tail = &head;
    int j = 0, nf = 0, total = 0;
    for (int i = 0; i < l->n; i++) {
        sim_flow_t *f = l->fl[i];
        if (f->remaining <= f->tol) {
            for (int m = 0; m < f->n; m++)
                l->work_done += f->remaining;   /* the sliver within tolerance */
            f->remaining = 0.0;
            f->rate = 0.0;
            f->idx = -1;
            *tail = f;
            tail = &f->next;
            nf++;
            total += f->n;
        } else {
            f->idx = j;
            l->fl[j++] = f;
        }
    }
    *tail = NULL;
    l->n = j;
    l->members -= total;
    l->tail = j;
    resolve(l);
    if (total == 0)
        return;

    /* Call back member by member in start order. A flow is released just before its
     * last member's callback; until then it stays detached (idx -1) and cannot be
     * joined. */
    if (order_members(l, head, nf, total) != 0)
        return;
    if (nf > 1 && l->sweep != NULL && sweep(l, head, total))
        return;
    for (int k = 0; k < total; k++) {
        sim_flow_t *f = l->cbs[k];
        sim_flow_done_fn done = f->done;
        void *ctx = f->ctx;
        uint64_t tag = f->tag;
        int run = 1;
        if (done != NULL && done == l->batch_key)
            while (k + run < total && l->cbs[k + run] == f)
                run++;
        k += run - 1;
        f->cur -= run;
        if (f->cur == 0)
            flow_release(l, f);
        if (run > 1)
            l->batch(s, ctx, tag, run);
        else if (done)
            done(s, ctx, tag);
    }
}

/* ---- public ---- */

sim_link_t *sim_link_new(sim_t *s, const char *name, double capacity)
{
    assert(s != NULL);
    assert(capacity >= 0.0 && isfinite(capacity));
    sim_link_t *l = calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    const char *nm = name ? name : "link";
    l->name = malloc(strlen(nm) + 1);
    if (l->name == NULL) {
        free(l);
        return NULL;
    }
    strcpy(l->name, nm);
    l->s = s;
    l->capacity = capacity;
    sim_label(s, link_event, "bandwidth sharing (a DRAM, SM or core link, sim/flow.c)");
    sim_label(s, deferred_event, "bandwidth sharing (a DRAM, SM or core link, sim/flow.c)");
    l->t_last = sim_now(s);
    return l;
}

void sim_link_free(sim_link_t *l)
{
    if (l == NULL)
        return;
    if (l->ev)
        sim_cancel(l->s, l->ev);
    if (l->deferred)
        sim_cancel(l->s, l->deferred);
    while (l->slabs) {
        slab_t *sb = l->slabs;
        l->slabs = sb->next;
        free(sb);
    }
    free(l->fl);
    free(l->scratch);
    free(l->cbs);
    free(l->cbctx);
    free(l->cbn);
    free(l->name);
    free(l);
}

const char *sim_link_name(const sim_link_t *l)
{
    return l->name;
}

void sim_link_set_capacity(sim_link_t *l, double capacity)
{
    assert(capacity >= 0.0 && isfinite(capacity));
    assert(!l->solving);
    progress(l);
    l->capacity = capacity;
    resolve(l);
}

double sim_link_capacity(const sim_link_t *l)
{
    return l->capacity;
}

double sim_link_load(const sim_link_t *l)
{
    if (l->deferred)
        resolve((sim_link_t *)l);   /* the link object is never const: bring it up to date */
    return l->load;
}

int sim_link_nflows(const sim_link_t *l)
{
    return l->members;
}

double sim_link_work_done(sim_link_t *l)
{
    progress(l);
    return l->work_done;
}

void sim_link_set_observer(sim_link_t *l, void (*fn)(void *ctx, sim_time_t now, double load),
                           void *ctx)
{
    l->observer = fn;
    l->observer_ctx = ctx;
}

sim_flow_t *sim_flow_start(sim_link_t *l, double amount, double ceiling, double weight,
                           sim_flow_done_fn done, void *ctx, uint64_t tag)
{
    SIM_HOT_ASSERT(amount >= 0.0 && isfinite(amount));
    SIM_HOT_ASSERT(weight > 0.0 && isfinite(weight));
    SIM_HOT_ASSERT(!isnan(ceiling));
    SIM_HOT_ASSERT(!l->solving);
    sim_flow_t *f = reserve(l, l->n + 1) == 0 ? flow_alloc(l) : NULL;
    if (f == NULL) {
        /* Models that cannot carry the error up (a CTA placed from an event) rely on the
         * engine to end the run with it. */
        sim_fail(l->s, SIM_FAULT_NOMEM, "bandwidth sharing (a new flow, sim/flow.c)");
        return NULL;
    }
    progress(l);

    f->remaining = amount;
    f->rate = 0.0;
    f->ceiling = ceiling > 0.0 ? ceiling : 0.0;
    f->weight = weight;
    f->tol = amount * TOL_REL > TOL_ABS ? amount * TOL_REL : TOL_ABS;
    f->done = done;
    f->ctx = ctx;
    f->tag = tag;
    f->link = l;
    f->n = 1;
    f->seq[0] = l->next_seq++;
    /* Does it extend the run of identical flows started at this instant? */
    sim_time_t now = sim_now(l->s);
    if (!(l->tail < l->n && l->tail_time == now && same_flow(l->fl[l->tail], f))) {
        l->tail = l->n;
        l->tail_time = now;
    }
    f->idx = l->n;
    l->fl[l->n++] = f;
    l->members++;
    defer(l);
    return f;
}

int sim_flow_can_join(const sim_link_t *l, const sim_flow_t *f)
{
    return f != NULL && f->link == l && f->idx >= l->tail && f->idx < l->n &&
           l->tail_time == sim_now(l->s) && f->n < SIM_FLOW_MEMBERS_MAX && !l->solving;
}

void sim_flow_join(sim_link_t *l, sim_flow_t *f)
{
    sim_flow_join_n(l, f, 1);
}

void sim_flow_join_n(sim_link_t *l, sim_flow_t *f, int more)
{
    SIM_HOT_ASSERT(more >= 1 && f->n + more <= SIM_FLOW_MEMBERS_MAX && f->link == l &&
                   f->idx >= l->tail && f->idx < l->n && l->tail_time == sim_now(l->s));
    for (int j = 0; j < more; j++)
        f->seq[f->n++] = l->next_seq++;
    l->members += more;
    defer(l);
}

void sim_link_set_batch(sim_link_t *l, sim_flow_done_fn done, sim_flow_batch_fn batch)
{
    l->batch_key = done;
    l->batch = batch;
}

void sim_link_set_sweep(sim_link_t *l, sim_flow_sweep_fn sweep)
{
    l->sweep = sweep;
}

void sim_flow_cancel(sim_link_t *l, sim_flow_t *f)
{
    assert(f != NULL && f->link == l && f->idx >= 0 && f->idx < l->n && l->fl[f->idx] == f);
    assert(!l->solving);
    progress(l);
    for (int i = f->idx + 1; i < l->n; i++) {
        l->fl[i - 1] = l->fl[i];
        l->fl[i - 1]->idx = i - 1;
    }
    l->n--;
    l->members -= f->n;
    l->tail = l->n;
    flow_release(l, f);
    if (l->n == 0)
        resolve(l);   /* nothing left to share: drop the pending events now */
    else
        defer(l);
}

double sim_flow_rate(const sim_flow_t *f)
{
    if (f->link && f->link->deferred)
        resolve(f->link);
    return f->rate;
}

double sim_flow_remaining(sim_link_t *l, sim_flow_t *f)
{
    assert(f != NULL && f->link == l);
    progress(l);
    return f->remaining;
}
