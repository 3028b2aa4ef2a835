/*
 * timeline: what happened on every engine of a run, for the timeline viewer (viz/) and
 * Chrome/Perfetto export. Lanes hold slices (an op, a kernel, a DLA layer, an SM's busy
 * stretch); counters hold time series (DRAM GB/s, power, temperature, clocks); flows link
 * a task's end to the start of a task that waited for it (`after`); frames mark each
 * frame's arrival, completion and deadline.
 *
 * Slices on one lane never overlap: every lane belongs to one in-order engine or stream.
 * Names are interned: a slice stores an index into the name table.
 *
 * What is recorded can be narrowed, so that long runs stay small:
 *   - a detail level (`detail`): frames (frame spans and counters only), tasks (plus one
 *     slice per task and frame on each lane it ran on: back-to-back steps on one lane
 *     make one slice, named by the task), kernels (each step instead: a GPU kernel, a CPU
 *     or PVA op, a DLA segment and its hardware layers; the flows of `after` edges; the
 *     GPU contexts lane), sm (plus every SM's busy stretches). The run asks
 *     timeline_wants() before recording what a level adds;
 *   - a time window [win_start, win_end): slices, frames and flows outside it are dropped
 *     (one that overlaps the window is kept whole); a counter keeps its samples inside it,
 *     and the value it held at win_start;
 *   - rate counters (timeline_rate_counter: DRAM GB/s) averaged over bins of `bin_ps`
 *     instead of one sample per change, when bin_ps > 0.
 * A counter sample equal to the counter's last recorded value is dropped (the value holds),
 * and of several samples of one counter at one instant only the last is kept (streamed,
 * samples wait for the next one of their counter until timeline_end() flushes them).
 *
 * With a sink set, every record goes to it as it is made and is not kept (unless `keep`):
 * a run of hours streams to a file in bounded memory (viz/export.h).
 */
#ifndef ORINSIM_TIMELINE_H
#define ORINSIM_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "sim/sim.h"

typedef enum tl_group { TL_GPU = 0, TL_SM, TL_DLA, TL_PVA, TL_CPU, TL_GROUP_COUNT } tl_group_t;

typedef struct tl_lane {
    tl_group_t group;
    int name;                 /* interned */
} tl_lane_t;

typedef struct tl_slice {
    int lane;
    int name;                 /* interned: op or kernel name */
    int task;                 /* trace task index, -1 if none */
    int64_t frame;            /* -1 if none */
    sim_time_t start, end;
    double bytes, flops;      /* DRAM traffic and useful math of the slice (0 if unknown) */
} tl_slice_t;

typedef enum tl_detail {
    TL_DETAIL_FRAMES = 0,
    TL_DETAIL_TASKS,
    TL_DETAIL_KERNELS,
    TL_DETAIL_SM
} tl_detail_t;

typedef struct tl_counter {
    int name;                 /* interned, e.g. "DRAM" */
    int unit;                 /* interned, e.g. "GB/s" */
    int rate;                 /* a rate: averaged over bins when the timeline has bin_ps */
    /* what the filters hold back (timeline.c) */
    int has_pending, has_last, has_before, has_cur, has_stored;
    size_t stored;            /* its last sample in `samples`, kept in memory */
    sim_time_t pending_t, cur_t, bin_start, stored_t;
    double pending_v, last_v, before_v, cur_v, acc;
} tl_counter_t;

typedef struct tl_sample {
    int counter;
    sim_time_t t;
    double value;             /* holds until the next sample of the same counter */
} tl_sample_t;

typedef struct tl_flow {
    int from_lane, to_lane;
    int to_task;
    sim_time_t from, to;
    int64_t frame;
} tl_flow_t;

typedef struct tl_frame {
    int64_t frame;
    sim_time_t arrival, done;
    sim_time_t deadline;      /* arrival + period (0 = none) */
} tl_frame_t;

struct timeline;

/* Where a streaming timeline's records go, each as it is made. */
typedef struct tl_sink {
    void *ctx;
    void (*slice)(void *ctx, const struct timeline *t, const tl_slice_t *s);
    void (*sample)(void *ctx, const struct timeline *t, const tl_sample_t *s);
    void (*flow)(void *ctx, const struct timeline *t, const tl_flow_t *f);
    /* every finished frame; `inside` is 0 for one outside the window (not to be written) */
    void (*frame)(void *ctx, const struct timeline *t, const tl_frame_t *f, int inside);
} tl_sink_t;

typedef struct timeline {
    char **names;
    int nnames, cnames;
    tl_lane_t *lanes;
    int nlanes, clanes;
    tl_slice_t *slices;
    size_t nslices, cslices;
    tl_counter_t *counters;
    int ncounters, ccounters;
    tl_sample_t *samples;
    size_t nsamples, csamples;
    tl_flow_t *flows;
    size_t nflows, cflows;
    tl_frame_t *frames;
    size_t nframes, cframes;
    sim_time_t end;
    int failed;               /* an allocation failed: the timeline is incomplete */
    /* filters, set before the run (timeline_new: everything, no window, no bins) */
    tl_detail_t detail;
    sim_time_t win_start, win_end;
    sim_time_t bin_ps;
    const tl_sink_t *sink;    /* NULL: records are kept in the arrays above */
    int keep;                 /* with a sink: keep them as well */
} timeline_t;

timeline_t *timeline_new(void);
void timeline_free(timeline_t *t);
int timeline_intern(timeline_t *t, const char *s);
const char *timeline_name(const timeline_t *t, int id);
/* The lane of that group and name, created on first use. */
int timeline_lane(timeline_t *t, tl_group_t group, const char *name);
int timeline_counter(timeline_t *t, const char *name, const char *unit);
/* A counter that is a rate (bytes per second): averaged over bins when bin_ps > 0. */
int timeline_rate_counter(timeline_t *t, const char *name, const char *unit);
/* Whether the timeline records what detail level `level` adds. */
static inline int timeline_wants(const timeline_t *t, tl_detail_t level)
{
    return t->detail >= level;
}
void timeline_slice(timeline_t *t, int lane, const char *name, int task, int64_t frame,
                    sim_time_t start, sim_time_t end, double bytes, double flops);
void timeline_sample(timeline_t *t, int counter, sim_time_t when, double value);
/* A dependency: the task on `from_lane` ended at `from`; task `to_task` of the same frame,
 * whose first step runs on `to_lane` (or, for a DLA, the other DLA), may start at `to`. */
void timeline_flow(timeline_t *t, int from_lane, sim_time_t from, int to_lane, sim_time_t to,
                   int to_task, int64_t frame);
void timeline_frame(timeline_t *t, int64_t frame, sim_time_t arrival, sim_time_t done,
                    sim_time_t deadline);
const char *timeline_group_name(tl_group_t g);
/* The run ended at `end`: flush the samples the counters hold back. */
void timeline_end(timeline_t *t, sim_time_t end);
/* "frames", "tasks", "kernels", "sm" -> 0 and *out; -1 for anything else. */
int timeline_parse_detail(const char *s, tl_detail_t *out);
const char *timeline_detail_name(tl_detail_t d);

#endif
