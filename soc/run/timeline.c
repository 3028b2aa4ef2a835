/*
 * timeline: growable arrays of lanes, slices, counters, samples, flows and frames. See
 * timeline.h. Names are interned with a linear search: a run has tens of distinct names
 * (kernel and op kinds, task ids), not thousands.
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
    if (t)
        timeline_intern(t, "");
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
    t->counters[t->ncounters].name = n;
    t->counters[t->ncounters].unit = u;
    return t->ncounters++;
}

void timeline_slice(timeline_t *t, int lane, const char *name, int task, int64_t frame,
                    sim_time_t start, sim_time_t end, double bytes, double flops)
{
    tl_slice_t *s;
    if (grow(t, (void **)&t->slices, t->nslices, &t->cslices, sizeof *t->slices) != 0)
        return;
    s = &t->slices[t->nslices++];
    s->lane = lane;
    s->name = timeline_intern(t, name);
    s->task = task;
    s->frame = frame;
    s->start = start;
    s->end = end;
    s->bytes = bytes;
    s->flops = flops;
    if (end > t->end)
        t->end = end;
}

void timeline_sample(timeline_t *t, int counter, sim_time_t when, double value)
{
    tl_sample_t *s;
    /* Several changes at one instant: keep the last. */
    if (t->nsamples && t->samples[t->nsamples - 1].counter == counter &&
        t->samples[t->nsamples - 1].t == when) {
        t->samples[t->nsamples - 1].value = value;
        return;
    }
    if (grow(t, (void **)&t->samples, t->nsamples, &t->csamples, sizeof *t->samples) != 0)
        return;
    s = &t->samples[t->nsamples++];
    s->counter = counter;
    s->t = when;
    s->value = value;
    if (when > t->end)
        t->end = when;
}

void timeline_flow(timeline_t *t, int from_lane, sim_time_t from, int to_lane, sim_time_t to,
                   int64_t frame)
{
    tl_flow_t *f;
    if (grow(t, (void **)&t->flows, t->nflows, &t->cflows, sizeof *t->flows) != 0)
        return;
    f = &t->flows[t->nflows++];
    f->from_lane = from_lane;
    f->to_lane = to_lane;
    f->from = from;
    f->to = to;
    f->frame = frame;
}

void timeline_frame(timeline_t *t, int64_t frame, sim_time_t arrival, sim_time_t done,
                    sim_time_t deadline)
{
    tl_frame_t *f;
    if (grow(t, (void **)&t->frames, t->nframes, &t->cframes, sizeof *t->frames) != 0)
        return;
    f = &t->frames[t->nframes++];
    f->frame = frame;
    f->arrival = arrival;
    f->done = done;
    f->deadline = deadline;
}
