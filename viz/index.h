/*
 * index: a timeline sorted for drawing and export. Each lane gets the indices of its
 * slices in start order, each counter the indices of its samples in time order, so that
 * "the first slice ending after t" or "the sample in force at t" is a binary search.
 *
 * Slices on one lane never overlap (timeline.h), so on a lane both starts and ends are
 * non-decreasing in start order; viz_index_check verifies that and reports the first
 * pair that breaks it.
 */
#ifndef ORINSIM_VIZ_INDEX_H
#define ORINSIM_VIZ_INDEX_H

#include <stddef.h>

#include "sim/diag.h"
#include "soc/run/timeline.h"

typedef struct viz_lane_index {
    size_t *slice;            /* indices into timeline_t.slices, by start */
    sim_time_t *start, *end;  /* copies of their times, contiguous for the searches */
    size_t n;
} viz_lane_index_t;

typedef struct viz_counter_index {
    size_t *sample;           /* indices into timeline_t.samples, by time */
    size_t n;
    double min, max;          /* over all samples (0, 0 when none) */
} viz_counter_index_t;

typedef struct viz_index {
    const timeline_t *tl;
    viz_lane_index_t *lanes;      /* tl->nlanes */
    viz_counter_index_t *counters;/* tl->ncounters */
    size_t *storage;              /* one block behind every lane and counter array */
    sim_time_t *times;            /* one block behind every lane's start and end copies */
    size_t *frames;               /* indices into tl->frames, by arrival */
    size_t *missed_before;        /* [k] = missed deadlines among frames[0..k-1] */
} viz_index_t;

/* Build the index of `tl` (which must outlive it). Returns 0, or DIAG_ERR out of memory. */
int viz_index_build(viz_index_t *ix, const timeline_t *tl, diag_t *d);
void viz_index_free(viz_index_t *ix);
/* 0 when no two slices of one lane overlap; otherwise DIAG_ERR naming the lane and times. */
int viz_index_check(const viz_index_t *ix, diag_t *d);
/* Position in lane `l` of the first slice whose end is after `t` (n if none). */
size_t viz_lane_first_ending_after(const viz_index_t *ix, int l, sim_time_t t);
/* The same, searching forward from position `from` (galloping: O(log distance)). */
size_t viz_lane_skip(const viz_index_t *ix, int l, size_t from, sim_time_t t);
/* Position in lane `l` of the first slice that starts at or after `t` (n if none). */
size_t viz_lane_first_starting_at(const viz_index_t *ix, int l, sim_time_t t);
/* Position (in arrival order) of the first frame arriving at or after `t`. */
size_t viz_frame_first_arriving_at(const viz_index_t *ix, sim_time_t t);
static inline int viz_frame_missed(const tl_frame_t *f)
{
    return f->deadline && f->done > f->deadline;
}
/* Position in counter `c` of the last sample at or before `t`, or (size_t)-1 if none. */
size_t viz_counter_at(const viz_index_t *ix, int c, sim_time_t t);

static inline const tl_slice_t *viz_lane_slice(const viz_index_t *ix, int l, size_t k)
{
    return &ix->tl->slices[ix->lanes[l].slice[k]];
}

static inline const tl_sample_t *viz_counter_sample(const viz_index_t *ix, int c, size_t k)
{
    return &ix->tl->samples[ix->counters[c].sample[k]];
}

#endif
