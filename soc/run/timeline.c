/*
 * timeline: growable arrays of lanes, slices, counters, samples, flows and frames, or a
 * sink that takes each record as it is made. See timeline.h. Names are interned with a
 * linear search: a run has tens of distinct names (kernel and op kinds, task ids), not
 * thousands.
 *
 * A counter sample goes through three filters before it is recorded: a rate counter with
 * bins is integrated (its value holds until the next sample) and yields one average per
 * bin; otherwise the sample waits as `pending` until a sample of the same counter at a
 * later instant replaces it, so that of several at one instant the last wins; then the
 * window and the merge of equal values (commit()).
 */
#include "soc/run/timeline.h"

#include <stdlib.h>
#include <string.h>

static const char *const GROUPS[TL_GROUP_COUNT] = {"GPU", "SM", "DLA", "PVA", "CPU"};

const char *timeline_group_name(tl_group_t g)
{
    return (g >= 0 && g < TL_GROUP_COUNT) ? GROUPS[g] : "?";
}

/* Make room for one more element of `size` bytes in *v (count n, capacity *cap). */
static int grow(timeline_t *t, void **v, size_t n, size_t *cap, size_t size)
{
    void *p;
    size_t c;
    if (n < *cap)
        return 0;
    c = *cap ? 2 * *cap : 64;
    p = realloc(*v, c * size);
    if (p == NULL) {
        t->failed = 1;
        return -1;
    }
    *v = p;
    *cap = c;
    return 0;
}

static int grow_int(timeline_t *t, void **v, int n, int *cap, size_t size)
{
    size_t c = (size_t)*cap;
    int rc = grow(t, v, (size_t)n, &c, size);
    *cap = (int)c;
    return rc;
}

timeline_t *timeline_new(void)
{
    timeline_t *t = calloc(1, sizeof *t);
    if (t) {
        timeline_intern(t, "");
        t->detail = TL_DETAIL_SM;
        t->win_end = SIM_TIME_MAX;
    }
    return t;
}

void timeline_free(timeline_t *t)
{
    if (t == NULL)
        return;
    for (int i = 0; i < t->nnames; i++)
        free(t->names[i]);
    free(t->names);
    free(t->lanes);
    free(t->slices);
    free(t->counters);
    free(t->samples);
    free(t->flows);
    free(t->frames);
    free(t);
}

int timeline_intern(timeline_t *t, const char *s)
{
    char *copy;
    for (int i = 0; i < t->nnames; i++)
        if (strcmp(t->names[i], s) == 0)
            return i;
    if (grow_int(t, (void **)&t->names, t->nnames, &t->cnames, sizeof *t->names) != 0)
        return 0;
    copy = malloc(strlen(s) + 1);
    if (copy == NULL) {
        t->failed = 1;
        return 0;
    }
    strcpy(copy, s);
    t->names[t->nnames] = copy;
    return t->nnames++;
}

const char *timeline_name(const timeline_t *t, int id)
{
    return (id >= 0 && id < t->nnames) ? t->names[id] : "";
}

int timeline_lane(timeline_t *t, tl_group_t group, const char *name)
{
    int n = timeline_intern(t, name);
    for (int i = 0; i < t->nlanes; i++)
        if (t->lanes[i].group == group && t->lanes[i].name == n)
            return i;
    if (grow_int(t, (void **)&t->lanes, t->nlanes, &t->clanes, sizeof *t->lanes) != 0)
        return 0;
    t->lanes[t->nlanes].group = group;
    t->lanes[t->nlanes].name = n;
    return t->nlanes++;
}

int timeline_counter(timeline_t *t, const char *name, const char *unit)
{
    int n = timeline_intern(t, name), u = timeline_intern(t, unit);
    for (int i = 0; i < t->ncounters; i++)
        if (t->counters[i].name == n)
            return i;
    if (grow_int(t, (void **)&t->counters, t->ncounters, &t->ccounters, sizeof *t->counters))
        return 0;
    memset(&t->counters[t->ncounters], 0, sizeof t->counters[t->ncounters]);
    t->counters[t->ncounters].name = n;
    t->counters[t->ncounters].unit = u;
    return t->ncounters++;
}

int timeline_rate_counter(timeline_t *t, const char *name, const char *unit)
{
    int c = timeline_counter(t, name, unit);
    if (c < t->ncounters)
        t->counters[c].rate = 1;
    return c;
}

static int in_window(const timeline_t *t, sim_time_t start, sim_time_t end)
{
    if (start >= t->win_end)
        return 0;
    return end > t->win_start || (end == start && start >= t->win_start);
}

void timeline_slice(timeline_t *t, int lane, const char *name, int task, int64_t frame,
                    sim_time_t start, sim_time_t end, double bytes, double flops)
{
    tl_slice_t v = {lane, 0, task, frame, start, end, bytes, flops};
    if (!in_window(t, start, end))
        return;
    v.name = timeline_intern(t, name);
    if (end > t->end)
        t->end = end;
    if (t->sink)
        t->sink->slice(t->sink->ctx, t, &v);
    if (t->sink && !t->keep)
        return;
    if (grow(t, (void **)&t->slices, t->nslices, &t->cslices, sizeof *t->slices) != 0)
        return;
    t->slices[t->nslices++] = v;
}

/* Record a sample that passed the bins and the same-instant rule: window, then merge. */
static void commit(timeline_t *t, int counter, sim_time_t when, double value)
{
    tl_counter_t *c = &t->counters[counter];
    tl_sample_t v = {counter, when, value};
    if (when < t->win_start) {
        c->has_before = 1;
        c->before_v = value;
        return;
    }
    if (when >= t->win_end)
        return;
    if (!c->has_last && c->has_before && when > t->win_start)
        commit(t, counter, t->win_start, c->before_v);
    if (c->has_last && value == c->last_v)
        return;
    c->has_last = 1;
    c->last_v = value;
    if (when > t->end)
        t->end = when;
    if (t->sink)
        t->sink->sample(t->sink->ctx, t, &v);
    if (t->sink && !t->keep)
        return;
    if (grow(t, (void **)&t->samples, t->nsamples, &t->csamples, sizeof *t->samples) != 0)
        return;
    c->has_stored = 1;
    c->stored = t->nsamples;
    c->stored_t = when;
    t->samples[t->nsamples++] = v;
}

/* A rate counter's bins up to `when`: each full bin yields its average at its start. */
static void advance_bins(timeline_t *t, int counter, sim_time_t when)
{
    tl_counter_t *c = &t->counters[counter];
    sim_time_t bin = t->bin_ps;
    while (when >= c->bin_start + bin) {
        sim_time_t next = c->bin_start + bin;
        if (c->cur_t == c->bin_start && when >= next + bin) {
            /* whole bins at one value: one sample; the merge would drop the rest */
            commit(t, counter, c->bin_start, c->cur_v);
            c->bin_start = when - (when - c->bin_start) % bin;
            c->cur_t = c->bin_start;
            c->acc = 0;
            continue;
        }
        c->acc += c->cur_v * (double)(next - c->cur_t);
        commit(t, counter, c->bin_start, c->acc / (double)bin);
        c->bin_start = c->cur_t = next;
        c->acc = 0;
    }
    c->acc += c->cur_v * (double)(when - c->cur_t);
    c->cur_t = when;
}

void timeline_sample(timeline_t *t, int counter, sim_time_t when, double value)
{
    tl_counter_t *c;
    if (counter < 0 || counter >= t->ncounters)
        return;
    c = &t->counters[counter];
    if (c->rate && t->bin_ps > 0) {
        if (!c->has_cur) {
            c->has_cur = 1;
            c->bin_start = c->cur_t = when - when % t->bin_ps;
            c->cur_v = 0;
            c->acc = 0;
        }
        if (when < c->cur_t)
            when = c->cur_t;
        advance_bins(t, counter, when);
        c->cur_v = value;
        return;
    }
    /* Several changes at one instant: keep the last. Kept in memory, a sample is stored
     * at once and replaced in place; streamed, it waits for the next one. */
    if (!t->sink) {
        if (c->has_stored && c->stored_t == when) {
            t->samples[c->stored].value = value;
            c->last_v = value;
        } else {
            commit(t, counter, when, value);
        }
        return;
    }
    if (c->has_pending && c->pending_t == when) {
        c->pending_v = value;
        return;
    }
    if (c->has_pending)
        commit(t, counter, c->pending_t, c->pending_v);
    c->has_pending = 1;
    c->pending_t = when;
    c->pending_v = value;
}

void timeline_end(timeline_t *t, sim_time_t end)
{
    for (int k = 0; k < t->ncounters; k++) {
        tl_counter_t *c = &t->counters[k];
        if (c->has_cur) {
            if (end > c->cur_t)
                advance_bins(t, k, end);
            if (c->cur_t > c->bin_start)
                commit(t, k, c->bin_start, c->acc / (double)(c->cur_t - c->bin_start));
            c->has_cur = 0;
        }
        if (c->has_pending)
            commit(t, k, c->pending_t, c->pending_v);
        c->has_pending = 0;
        /* A counter that did not change inside the window still shows its value there. */
        if (!c->has_last && c->has_before && t->win_start < end)
            commit(t, k, t->win_start, c->before_v);
    }
}

int timeline_parse_detail(const char *s, tl_detail_t *out)
{
    for (int d = TL_DETAIL_FRAMES; d <= TL_DETAIL_SM; d++)
        if (strcmp(s, timeline_detail_name((tl_detail_t)d)) == 0) {
            *out = (tl_detail_t)d;
            return 0;
        }
    return -1;
}

const char *timeline_detail_name(tl_detail_t d)
{
    static const char *const NAMES[] = {"frames", "tasks", "kernels", "sm"};
    return d >= TL_DETAIL_FRAMES && d <= TL_DETAIL_SM ? NAMES[d] : "?";
}

void timeline_flow(timeline_t *t, int from_lane, sim_time_t from, int to_lane, sim_time_t to,
                   int to_task, int64_t frame)
{
    tl_flow_t v = {from_lane, to_lane, to_task, from, to, frame};
    if (from < t->win_start || from >= t->win_end)
        return;
    if (t->sink)
        t->sink->flow(t->sink->ctx, t, &v);
    if (t->sink && !t->keep)
        return;
    if (grow(t, (void **)&t->flows, t->nflows, &t->cflows, sizeof *t->flows) != 0)
        return;
    t->flows[t->nflows++] = v;
}

void timeline_frame(timeline_t *t, int64_t frame, sim_time_t arrival, sim_time_t done,
                    sim_time_t deadline)
{
    tl_frame_t v = {frame, arrival, done, deadline};
    if (!in_window(t, arrival, done)) {
        if (t->sink)       /* the sink still learns that the frame is over */
            t->sink->frame(t->sink->ctx, t, &v, 0);
        return;
    }
    if (done > t->end)
        t->end = done;
    if (t->sink)
        t->sink->frame(t->sink->ctx, t, &v, 1);
    if (t->sink && !t->keep)
        return;
    if (grow(t, (void **)&t->frames, t->nframes, &t->cframes, sizeof *t->frames) != 0)
        return;
    t->frames[t->nframes++] = v;
}
