/*
 * sim: the pending-event set and the run loop. See sim.h for the contract.
 *
 * Representation. Events live in a pool of slots (handler, component, payload, insertion
 * sequence, heap position, generation). Free slots form a singly linked list threaded
 * through the `pos` field, so scheduling pops a slot and running or cancelling pushes it
 * back: no malloc per event. When the pool is full it doubles; the heap array is sized
 * with it (the heap never holds more entries than there are slots).
 *
 * The pending set is a 4-ary min-heap of 16-byte entries {time, slot}: four children
 * share a cache line and the tree is half as deep as a binary one. Entries compare by
 * time and, on equal times only, by the slot's insertion sequence (a 64-bit counter
 * bumped on every schedule and reschedule), so equal times run in scheduling order (FIFO)
 * and every run is deterministic. Each slot stores its entry's heap position, so cancel
 * and reschedule find their entry in O(1) and restore the heap in O(log n).
 *
 * Run loop. The event being run leaves its root position vacant (`hole`) instead of
 * being replaced by the last entry at once. If its handler schedules an event, the new
 * entry takes the root and sifts down once, where a pop followed by a push would sift
 * twice; any other operation, or the loop itself, first fills the hole the usual way.
 * The order events run in is the same either way, as the key (time, sequence) is unique.
 *
 * Zero-delay lane. An event scheduled for the current time (a link's re-solve after a
 * change, a CTA with no work) does not enter the heap: it is appended to a ring of
 * {sequence, slot}, which is in sequence order because its sequence is the newest. The
 * loop runs the ring's first event when it precedes the heap's top (the top is later,
 * or due now with a larger sequence), so events run in exactly the (time, sequence)
 * order of a single heap, at O(1) per zero-delay event instead of two sifts. Cancelling
 * or rescheduling such an event leaves its ring entry stale (the slot no longer waits
 * in the lane with that sequence); stale entries are dropped when they reach the front.
 *
 * Ids. An id is (generation << 32) | (slot + 1). A slot's generation is bumped whenever
 * its event runs or is cancelled, so an old id no longer matches and every operation on
 * it is a harmless no-op returning -1. Generations wrap after 2^32 reuses of one slot;
 * an id held across that many reuses could alias, which no model does.
 *
 * Limits. At most 2^32 - 2 pending events. Scheduling past SIM_TIME_MAX saturates at
 * SIM_TIME_MAX, which is also the default horizon: an event there is never run, the run
 * ends with SIM_FAULT_HORIZON instead (time has overflowed, and whatever scheduled it
 * would go on doing so at that instant for ever). The run loop counts the events of the
 * current instant, from the heap and the zero-delay lane alike, and ends with
 * SIM_FAULT_STALL past the limit: a handful of compares per event, no clock read.
 * sim_stop() ends the current sim_run(); called outside a run it has no effect.
 * sim_run() is not reentrant: a handler must not call it.
 */
#include "sim/sim.h"

#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_POS UINT32_MAX
#define ZQ_POS (UINT32_MAX - 1)   /* pos of a slot waiting in the zero-delay lane */
#define ARITY 4
#define MAX_LABELS 32
#define STALL_WINDOW 256   /* a stall names the models of its last this many events */

typedef struct slot {
    sim_handler_fn fn;
    void *component;
    uint64_t payload;
    uint64_t seq;       /* insertion sequence: breaks ties between equal times */
    uint32_t pos;       /* heap position while pending; next free slot while free */
    uint32_t gen;
} slot_t;

typedef struct entry {
    sim_time_t time;
    uint32_t slot;
} entry_t;

typedef struct zentry {
    uint64_t seq;       /* the slot's sequence when queued: a later one makes this stale */
    uint32_t slot;
} zentry_t;

struct sim {
    sim_time_t now;
    uint64_t seq;
    uint64_t executed;
    int stop;
    int hole;           /* heap[0] is the event being run: vacant, to be refilled */

    entry_t *heap;
    uint32_t n;         /* heap entries, the hole included */
    slot_t *slots;
    uint32_t cap;       /* slots allocated (and heap capacity) */
    uint32_t free_head; /* first free slot, NO_POS if none */

    zentry_t *zq;       /* zero-delay lane: a ring of events due now, in sequence order */
    uint32_t zq_head, zq_len, zq_cap;   /* zq_cap a power of two (or 0) */
    uint32_t zq_live;   /* entries whose event is still pending */

    uint64_t instant;          /* events run at `now` so far */
    uint64_t instant_max, events_max;
    sim_time_t horizon;
    sim_fault_t fault;
    char fault_msg[256];
    struct {
        sim_handler_fn fn;
        const char *name;
    } label[MAX_LABELS];
    int nlabels;
    uint64_t seen;             /* labels (bit i: label[i], bit 63: unnamed) in the window */
};

static inline int entry_less(const sim_t *s, const entry_t *a, const entry_t *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    return s->slots[a->slot].seq < s->slots[b->slot].seq;
}

static inline sim_evid_t make_id(uint32_t slot, uint32_t gen)
{
    return ((uint64_t)gen << 32) | (uint64_t)(slot + 1);
}

/* The slot an id names if the id is current (its event is pending), else NULL. */
static inline slot_t *lookup(const sim_t *s, sim_evid_t id)
{
    uint32_t idx = (uint32_t)(id & 0xffffffffu);
    if (idx == 0 || idx > s->cap)
        return NULL;
    slot_t *sl = &s->slots[idx - 1];
    if (sl->gen != (uint32_t)(id >> 32) || (sl->pos >= s->n && sl->pos != ZQ_POS))
        return NULL;
    return sl;
}

static void sift_up(sim_t *s, uint32_t i)
{
    entry_t e = s->heap[i];
    while (i > 0) {
        uint32_t p = (i - 1) / ARITY;
        if (!entry_less(s, &e, &s->heap[p]))
            break;
        s->heap[i] = s->heap[p];
        s->slots[s->heap[i].slot].pos = i;
        i = p;
    }
    s->heap[i] = e;
    s->slots[e.slot].pos = i;
}

/* Which child is least is a coin toss that a branch predictor cannot learn. While the
 * heap fits in the caches (SIFT_MASKS entries, 256 KiB) the least child is picked by masks,
 * without a branch; past that, branches let the processor fetch the next level's entries
 * while it guesses, which pays better than never guessing wrong (PHOLD with 1 M pending
 * events). The order is the same either way. */
#define SIFT_MASKS ((uint32_t)1 << 14)

static void sift_down(sim_t *s, uint32_t i)
{
    entry_t *h = s->heap;
    entry_t e = h[i];
    uint32_t n = s->n;
    int masks = n <= SIFT_MASKS;
    for (;;) {
        uint32_t c = ARITY * i + 1;
        if (c >= n)
            break;
        size_t end = n - c < ARITY ? n : c + ARITY;
        size_t best = c;
        if (masks) {
            for (size_t j = c + 1; j < end; j++) {
                if (h[j].time == h[best].time)   /* rare: by the sequence */
                    best = entry_less(s, &h[j], &h[best]) ? j : best;
                else
                    best += (j - best) & -(size_t)(h[j].time < h[best].time);
            }
        } else {
            for (size_t j = c + 1; j < end; j++)
                if (entry_less(s, &h[j], &h[best]))
                    best = j;
        }
        if (!entry_less(s, &h[best], &e))
            break;
        h[i] = h[best];
        s->slots[h[i].slot].pos = i;
        i = (uint32_t)best;
    }
    h[i] = e;
    s->slots[e.slot].pos = i;
}

/* Remove the entry at heap position i, restoring the heap. */
static void heap_remove(sim_t *s, uint32_t i)
{
    assert(i < s->n);
    uint32_t last = --s->n;
    if (i == last)
        return;
    s->heap[i] = s->heap[last];
    s->slots[s->heap[i].slot].pos = i;
    if (i > 0 && entry_less(s, &s->heap[i], &s->heap[(i - 1) / ARITY]))
        sift_up(s, i);
    else
        sift_down(s, i);
}

/* Refill the root left vacant by the event that ran, if no schedule has taken it. */
static inline void fill_hole(sim_t *s)
{
    if (s->hole) {
        s->hole = 0;
        heap_remove(s, 0);
    }
}

static void slot_release(sim_t *s, uint32_t idx)
{
    slot_t *sl = &s->slots[idx];
    sl->gen++;
    sl->pos = s->free_head;
    s->free_head = idx;
}

static int grow(sim_t *s)
{
    uint32_t old = s->cap;
    uint32_t cap = old ? old * 2 : 64;
    if (cap <= old || cap == NO_POS)
        return -1;
    slot_t *slots = realloc(s->slots, (size_t)cap * sizeof *slots);
    if (slots == NULL)
        return -1;
    s->slots = slots;
    entry_t *heap = realloc(s->heap, (size_t)cap * sizeof *heap);
    if (heap == NULL)
        return -1;     /* the larger slot array is kept; cap stays consistent with heap */
    s->heap = heap;
    /* New slots join the free list in index order, lowest first. */
    for (uint32_t i = cap; i-- > old;) {
        slots[i].fn = NULL;
        slots[i].component = NULL;
        slots[i].payload = 0;
        slots[i].seq = 0;
        slots[i].gen = 1;
        slots[i].pos = s->free_head;
        s->free_head = i;
    }
    s->cap = cap;
    return 0;
}

/* ---- limits and faults ---- */

/* The bit of a handler's label in `seen`. */
static uint64_t label_bit(const sim_t *s, sim_handler_fn fn)
{
    for (int i = 0; i < s->nlabels; i++)
        if (s->label[i].fn == fn)
            return (uint64_t)1 << i;
    return (uint64_t)1 << 63;
}

/* The models of the events in the stall window, "a, b and c", each name once. */
static void seen_names(const sim_t *s, char *buf, size_t size)
{
    const char *names[MAX_LABELS + 1];
    int n = 0;
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < s->nlabels; i++) {
        int dup = 0;
        if (!(s->seen >> i & 1))
            continue;
        for (int j = 0; j < n; j++)
            dup |= strcmp(names[j], s->label[i].name) == 0;
        if (!dup)
            names[n++] = s->label[i].name;
    }
    if (s->seen >> 63 & 1)
        names[n++] = "an unnamed model";
    for (int i = 0; i < n && len < size; i++) {
        int w = snprintf(buf + len, size - len, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ",
                         names[i]);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

static const char *handler_name(const sim_t *s, sim_handler_fn fn)
{
    for (int i = 0; i < s->nlabels; i++)
        if (s->label[i].fn == fn)
            return s->label[i].name;
    return "an unnamed model";
}

void sim_set_limits(sim_t *s, uint64_t instant_events, uint64_t total_events,
                    sim_time_t horizon)
{
    s->instant_max = instant_events ? instant_events : SIM_INSTANT_EVENTS_MAX;
    s->events_max = total_events ? total_events : UINT64_MAX;
    s->horizon = horizon ? horizon : SIM_TIME_MAX;
}

void sim_label(sim_t *s, sim_handler_fn fn, const char *name)
{
    for (int i = 0; i < s->nlabels; i++)
        if (s->label[i].fn == fn)
            return;
    if (s->nlabels < MAX_LABELS) {
        s->label[s->nlabels].fn = fn;
        s->label[s->nlabels].name = name;
        s->nlabels++;
    }
}

void sim_fail(sim_t *s, sim_fault_t fault, const char *who)
{
    const double ps_per_day = 86400.0 * (double)SIM_S;
    if (s->fault != SIM_FAULT_NONE || fault == SIM_FAULT_NONE)
        return;
    s->fault = fault;
    s->stop = 1;
    switch (fault) {
    case SIM_FAULT_NOMEM:
        snprintf(s->fault_msg, sizeof s->fault_msg,
                 "out of memory at simulated time %llu ps (in %s)", (unsigned long long)s->now,
                 who);
        break;
    case SIM_FAULT_HORIZON:
        snprintf(s->fault_msg, sizeof s->fault_msg,
                 "simulated time reached the engine's horizon of %llu ps (%.1f days) in %s",
                 (unsigned long long)s->horizon, (double)s->horizon / ps_per_day, who);
        break;
    case SIM_FAULT_STALL: {
        char names[160];
        seen_names(s, names, sizeof names);
        snprintf(s->fault_msg, sizeof s->fault_msg,
                 "simulated time stopped moving: more than %llu events at %llu ps, in %s",
                 (unsigned long long)s->instant_max, (unsigned long long)s->now,
                 names[0] ? names : who);
        break;
    }
    case SIM_FAULT_BUDGET:
        snprintf(s->fault_msg, sizeof s->fault_msg,
                 "the run passed its budget of %llu events at %llu ps (in %s)",
                 (unsigned long long)s->events_max, (unsigned long long)s->now, who);
        break;
    case SIM_FAULT_NONE:
        break;
    }
}

sim_fault_t sim_fault(const sim_t *s)
{
    return s->fault;
}

const char *sim_fault_message(const sim_t *s)
{
    return s->fault_msg;
}

sim_t *sim_new(void)
{
    sim_t *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->free_head = NO_POS;
    sim_set_limits(s, 0, 0, 0);
    if (grow(s) != 0) {
        sim_free(s);
        return NULL;
    }
    return s;
}

void sim_free(sim_t *s)
{
    if (s == NULL)
        return;
    free(s->heap);
    free(s->slots);
    free(s->zq);
    free(s);
}

/* Append slot `idx` (its event due now, its sequence the newest) to the zero-delay lane.
 * -1 if the ring cannot grow. */
static int zq_push(sim_t *s, uint32_t idx)
{
    if (s->zq_len == s->zq_cap) {
        uint32_t cap = s->zq_cap ? s->zq_cap * 2 : 64;
        if (cap <= s->zq_cap)
            return -1;
        zentry_t *zq = malloc((size_t)cap * sizeof *zq);
        if (zq == NULL)
            return -1;
        for (uint32_t i = 0; i < s->zq_len; i++)
            zq[i] = s->zq[(s->zq_head + i) & (s->zq_cap - 1)];
        free(s->zq);
        s->zq = zq;
        s->zq_head = 0;
        s->zq_cap = cap;
    }
    zentry_t *e = &s->zq[(s->zq_head + s->zq_len) & (s->zq_cap - 1)];
    e->seq = s->slots[idx].seq;
    e->slot = idx;
    s->zq_len++;
    s->zq_live++;
    s->slots[idx].pos = ZQ_POS;
    return 0;
}

/* The lane's first live entry (dropping stale ones before it), or NULL. */
static inline zentry_t *zq_first(sim_t *s)
{
    while (s->zq_len > 0) {
        zentry_t *e = &s->zq[s->zq_head];
        const slot_t *sl = &s->slots[e->slot];
        if (sl->pos == ZQ_POS && sl->seq == e->seq)
            return e;
        s->zq_head = (s->zq_head + 1) & (s->zq_cap - 1);
        s->zq_len--;
    }
    return NULL;
}

_Static_assert(offsetof(struct sim, now) == 0, "sim_now() reads the clock at offset 0");

sim_evid_t sim_schedule_at(sim_t *s, sim_time_t when, sim_handler_fn fn, void *component,
                           uint64_t payload)
{
    SIM_HOT_ASSERT(fn != NULL);
    SIM_HOT_ASSERT(when >= s->now);
    if (s->free_head == NO_POS && grow(s) != 0) {
        sim_fail(s, SIM_FAULT_NOMEM, handler_name(s, fn));
        return 0;
    }
    uint32_t idx = s->free_head;
    slot_t *sl = &s->slots[idx];
    s->free_head = sl->pos;
    sl->fn = fn;
    sl->component = component;
    sl->payload = payload;
    sl->seq = s->seq++;

    if (when == s->now) {
        /* Due now: its sequence is the newest, so it goes last in the lane, and no
         * heap entry is touched. */
        if (zq_push(s, idx) != 0) {
            sl->pos = s->free_head;
            s->free_head = idx;
            sim_fail(s, SIM_FAULT_NOMEM, handler_name(s, fn));
            return 0;
        }
    } else if (s->hole) {
        /* The first event a handler schedules takes the root its own event left:
         * one sift down instead of a pop's sift down plus a push's sift up. */
        s->hole = 0;
        s->heap[0].time = when;
        s->heap[0].slot = idx;
        sift_down(s, 0);
    } else {
        uint32_t i = s->n++;
        s->heap[i].time = when;
        s->heap[i].slot = idx;
        sift_up(s, i);
    }
    return make_id(idx, sl->gen);
}

sim_evid_t sim_schedule(sim_t *s, sim_time_t delay, sim_handler_fn fn, void *component,
                        uint64_t payload)
{
    sim_time_t when = s->now + delay;
    if (when < s->now)
        when = SIM_TIME_MAX;
    return sim_schedule_at(s, when, fn, component, payload);
}

int sim_cancel(sim_t *s, sim_evid_t id)
{
    slot_t *sl = lookup(s, id);
    if (sl == NULL)
        return -1;
    uint32_t idx = (uint32_t)(sl - s->slots);
    if (sl->pos == ZQ_POS) {
        s->zq_live--;    /* its lane entry is now stale */
    } else {
        fill_hole(s);
        heap_remove(s, sl->pos);
    }
    slot_release(s, idx);
    return 0;
}

int sim_reschedule(sim_t *s, sim_evid_t id, sim_time_t when)
{
    SIM_HOT_ASSERT(when >= s->now);
    slot_t *sl = lookup(s, id);
    if (sl == NULL)
        return -1;
    if (sl->pos == ZQ_POS) {
        /* From the lane (its entry there goes stale) to the lane's end or the heap. */
        uint32_t idx = (uint32_t)(sl - s->slots);
        s->zq_live--;
        sl->seq = s->seq++;
        if (when == s->now) {
            if (zq_push(s, idx) == 0)
                return 0;
            s->zq_live++;          /* cannot grow the ring: keep it in the heap instead */
        }
        fill_hole(s);
        uint32_t i = s->n++;
        s->heap[i].time = when;
        s->heap[i].slot = idx;
        sift_up(s, i);
        return 0;
    }
    fill_hole(s);
    uint32_t i = sl->pos;
    sim_time_t old = s->heap[i].time;
    s->heap[i].time = when;
    sl->seq = s->seq++;
    /* With an unchanged time the key still grows (new sequence). */
    if (when < old)
        sift_up(s, i);
    else
        sift_down(s, i);
    return 0;
}

int sim_is_pending(const sim_t *s, sim_evid_t id)
{
    return lookup(s, id) != NULL;
}

/* Account for the event about to run at time t (>= now): 0 to run it, -1 when it breaks
 * a limit (the fault is recorded and the event stays pending). */
static inline int admit(sim_t *s, sim_time_t t, sim_handler_fn fn)
{
    if (t >= s->horizon) {
        sim_fail(s, SIM_FAULT_HORIZON, handler_name(s, fn));
        return -1;
    }
    if (s->executed >= s->events_max) {
        sim_fail(s, SIM_FAULT_BUDGET, handler_name(s, fn));
        return -1;
    }
    /* A new instant restarts the count; written as masks, as instants come and go at
     * random. */
    uint64_t same = -(uint64_t)(t == s->now);
    s->instant &= same;
    s->seen &= same;
    s->now = t;
    if (++s->instant + STALL_WINDOW > s->instant_max) {
        s->seen |= label_bit(s, fn);
        if (s->instant > s->instant_max) {
            sim_fail(s, SIM_FAULT_STALL, handler_name(s, fn));
            return -1;
        }
    }
    return 0;
}

uint64_t sim_run(sim_t *s, sim_time_t until)
{
    uint64_t ran = 0;
    s->stop = 0;
    for (;;) {
        fill_hole(s);
        if (s->stop || s->fault)
            break;
        zentry_t *z = s->zq_len ? zq_first(s) : NULL;
        if (z != NULL && (s->n == 0 || s->heap[0].time > s->now ||
                          s->slots[s->heap[0].slot].seq > z->seq)) {
            /* The lane's first event comes before the heap's: run it. */
            if (s->now > until || admit(s, s->now, s->slots[z->slot].fn) != 0)
                break;
            uint32_t idx = z->slot;
            s->zq_head = (s->zq_head + 1) & (s->zq_cap - 1);
            s->zq_len--;
            s->zq_live--;
            slot_t *sl = &s->slots[idx];
            sim_handler_fn fn = sl->fn;
            void *component = sl->component;
            uint64_t payload = sl->payload;
            slot_release(s, idx);
            s->executed++;
            ran++;
            fn(s, component, payload);
            continue;
        }
        if (s->n == 0)
            break;
        entry_t top = s->heap[0];
        if (top.time > until)
            break;
        SIM_HOT_ASSERT(top.time >= s->now);
        if (admit(s, top.time, s->slots[top.slot].fn) != 0)
            break;

        /* The event leaves the pending set before its handler runs (its id is stale
         * from here on), and its root position is left as a hole for the handler's
         * first schedule to fill. */
        slot_t *sl = &s->slots[top.slot];
        sim_handler_fn fn = sl->fn;
        void *component = sl->component;
        uint64_t payload = sl->payload;
        slot_release(s, top.slot);
        s->hole = 1;

        s->executed++;
        ran++;
        fn(s, component, payload);
    }
    s->stop = 0;   /* a fault stays recorded and ends every later run at once */
    return ran;
}

void sim_stop(sim_t *s)
{
    s->stop = 1;
}

uint64_t sim_events_executed(const sim_t *s)
{
    return s->executed;
}

size_t sim_pending(const sim_t *s)
{
    return (size_t)(s->n - (uint32_t)s->hole) + s->zq_live;
}
