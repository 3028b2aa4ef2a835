/*
 * index: per-lane and per-counter orderings of a timeline (see index.h). Building costs
 * one counting pass, one placement pass and a sort per lane; replay records slices in
 * end order, which on a lane of non-overlapping slices is already start order, so the
 * sorts find sorted input.
 */
#include "viz/index.h"

#include <stdlib.h>

static const timeline_t *sort_tl;   /* qsort has no context argument in C11 */

static int by_start(const void *a, const void *b)
{
    const tl_slice_t *x = &sort_tl->slices[*(const size_t *)a];
    const tl_slice_t *y = &sort_tl->slices[*(const size_t *)b];
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int by_time(const void *a, const void *b)
{
    const tl_sample_t *x = &sort_tl->samples[*(const size_t *)a];
    const tl_sample_t *y = &sort_tl->samples[*(const size_t *)b];
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int by_arrival(const void *a, const void *b)
{
    const tl_frame_t *x = &sort_tl->frames[*(const size_t *)a];
    const tl_frame_t *y = &sort_tl->frames[*(const size_t *)b];
    if (x->arrival != y->arrival)
        return x->arrival < y->arrival ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int sorted_slices(const timeline_t *tl, const size_t *v, size_t n)
{
    for (size_t k = 1; k < n; k++)
        if (tl->slices[v[k - 1]].start > tl->slices[v[k]].start)
            return 0;
    return 1;
}

static int sorted_samples(const timeline_t *tl, const size_t *v, size_t n)
{
    for (size_t k = 1; k < n; k++)
        if (tl->samples[v[k - 1]].t > tl->samples[v[k]].t)
            return 0;
    return 1;
}

int viz_index_build(viz_index_t *ix, const timeline_t *tl, diag_t *d)
{
    size_t *fill;
    ix->tl = tl;
    ix->lanes = calloc((size_t)tl->nlanes + 1, sizeof *ix->lanes);
    ix->counters = calloc((size_t)tl->ncounters + 1, sizeof *ix->counters);
    ix->storage = malloc((tl->nslices + tl->nsamples + 1) * sizeof *ix->storage);
    ix->frames = malloc((tl->nframes + 1) * sizeof *ix->frames);
    ix->missed_before = malloc((tl->nframes + 1) * sizeof *ix->missed_before);
    if (ix->lanes == NULL || ix->counters == NULL || ix->storage == NULL || ix->frames == NULL ||
        ix->missed_before == NULL) {
        viz_index_free(ix);
        return diag_error(d, "", 0, 0, "out of memory indexing the timeline");
    }
    for (size_t i = 0; i < tl->nslices; i++) {
        if (tl->slices[i].lane >= 0 && tl->slices[i].lane < tl->nlanes)
            ix->lanes[tl->slices[i].lane].n++;
    }
    for (size_t i = 0; i < tl->nsamples; i++)
        if (tl->samples[i].counter >= 0 && tl->samples[i].counter < tl->ncounters)
            ix->counters[tl->samples[i].counter].n++;
    fill = ix->storage;
    for (int l = 0; l < tl->nlanes; l++) {
        ix->lanes[l].slice = fill;
        fill += ix->lanes[l].n;
        ix->lanes[l].n = 0;
    }
    for (int c = 0; c < tl->ncounters; c++) {
        ix->counters[c].sample = fill;
        fill += ix->counters[c].n;
        ix->counters[c].n = 0;
    }
    for (size_t i = 0; i < tl->nslices; i++) {
        viz_lane_index_t *li;
        if (tl->slices[i].lane < 0 || tl->slices[i].lane >= tl->nlanes)
            continue;
        li = &ix->lanes[tl->slices[i].lane];
        li->slice[li->n++] = i;
    }
    for (size_t i = 0; i < tl->nsamples; i++) {
        viz_counter_index_t *ci;
        if (tl->samples[i].counter < 0 || tl->samples[i].counter >= tl->ncounters)
            continue;
        ci = &ix->counters[tl->samples[i].counter];
        ci->sample[ci->n++] = i;
    }
    sort_tl = tl;
    for (int l = 0; l < tl->nlanes; l++)
        if (!sorted_slices(tl, ix->lanes[l].slice, ix->lanes[l].n))
            qsort(ix->lanes[l].slice, ix->lanes[l].n, sizeof(size_t), by_start);
    for (int c = 0; c < tl->ncounters; c++) {
        viz_counter_index_t *ci = &ix->counters[c];
        if (!sorted_samples(tl, ci->sample, ci->n))
            qsort(ci->sample, ci->n, sizeof(size_t), by_time);
        for (size_t k = 0; k < ci->n; k++) {
            double v = tl->samples[ci->sample[k]].value;
            if (k == 0 || v < ci->min)
                ci->min = v;
            if (k == 0 || v > ci->max)
                ci->max = v;
        }
    }
    for (size_t i = 0; i < tl->nframes; i++)
        ix->frames[i] = i;
    qsort(ix->frames, tl->nframes, sizeof(size_t), by_arrival);
    ix->missed_before[0] = 0;
    for (size_t k = 0; k < tl->nframes; k++)
        ix->missed_before[k + 1] = ix->missed_before[k] + (size_t)viz_frame_missed(&tl->frames[ix->frames[k]]);
    sort_tl = NULL;
    ix->times = malloc((2 * tl->nslices + 1) * sizeof *ix->times);
    if (ix->times == NULL) {
        viz_index_free(ix);
        return diag_error(d, "", 0, 0, "out of memory indexing the timeline");
    }
    {
        sim_time_t *p = ix->times;
        for (int l = 0; l < tl->nlanes; l++) {
            viz_lane_index_t *li = &ix->lanes[l];
            li->start = p;
            li->end = p + li->n;
            for (size_t k = 0; k < li->n; k++) {
                li->start[k] = tl->slices[li->slice[k]].start;
                li->end[k] = tl->slices[li->slice[k]].end;
            }
            p += 2 * li->n;
        }
    }
    return 0;
}

void viz_index_free(viz_index_t *ix)
{
    free(ix->lanes);
    free(ix->counters);
    free(ix->storage);
    free(ix->times);
    ix->times = NULL;
    free(ix->frames);
    free(ix->missed_before);
    ix->frames = NULL;
    ix->missed_before = NULL;
    ix->lanes = NULL;
    ix->counters = NULL;
    ix->storage = NULL;
}

int viz_index_check(const viz_index_t *ix, diag_t *d)
{
    const timeline_t *tl = ix->tl;
    for (int l = 0; l < tl->nlanes; l++)
        for (size_t k = 0; k < ix->lanes[l].n; k++) {
            const tl_slice_t *s = viz_lane_slice(ix, l, k);
            if (s->end < s->start)
                return diag_error(d, "", 0, 0,
                                  "internal error: slice '%s' on lane '%s' ends before it starts",
                                  timeline_name(tl, s->name),
                                  timeline_name(tl, tl->lanes[l].name));
            if (k > 0 && viz_lane_slice(ix, l, k - 1)->end > s->start)
                return diag_error(d, "", 0, 0,
                                  "internal error: slices '%s' and '%s' overlap on lane '%s' at "
                                  "%llu ps",
                                  timeline_name(tl, viz_lane_slice(ix, l, k - 1)->name),
                                  timeline_name(tl, s->name),
                                  timeline_name(tl, tl->lanes[l].name),
                                  (unsigned long long)s->start);
        }
    return 0;
}

static size_t end_search(const sim_time_t *end, size_t lo, size_t hi, sim_time_t t)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (end[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t viz_lane_first_ending_after(const viz_index_t *ix, int l, sim_time_t t)
{
    return end_search(ix->lanes[l].end, 0, ix->lanes[l].n, t);
}

size_t viz_lane_skip(const viz_index_t *ix, int l, size_t from, sim_time_t t)
{
    const viz_lane_index_t *li = &ix->lanes[l];
    size_t step = 1, lo = from, hi;
    if (from >= li->n || li->end[from] > t)
        return from;
    /* end[lo] <= t: double the step until end[hi] > t, then bisect */
    for (;;) {
        hi = lo + step;
        if (hi >= li->n) {
            hi = li->n;
            break;
        }
        if (li->end[hi] > t)
            break;
        lo = hi;
        step *= 2;
    }
    return end_search(li->end, lo + 1, hi, t);
}

size_t viz_lane_first_starting_at(const viz_index_t *ix, int l, sim_time_t t)
{
    size_t lo = 0, hi = ix->lanes[l].n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->lanes[l].start[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t viz_counter_at(const viz_index_t *ix, int c, sim_time_t t)
{
    size_t lo = 0, hi = ix->counters[c].n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (viz_counter_sample(ix, c, mid)->t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? (size_t)-1 : lo - 1;
}

size_t viz_frame_first_arriving_at(const viz_index_t *ix, sim_time_t t)
{
    size_t lo = 0, hi = ix->tl->nframes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->tl->frames[ix->frames[mid]].arrival < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
