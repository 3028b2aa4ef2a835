/*
 * timeline: what happened on every engine of a run, for the timeline viewer (viz/) and
 * Chrome/Perfetto export. Lanes hold slices (an op, a kernel, a DLA layer, an SM's busy
 * stretch); counters hold time series (DRAM GB/s, power, temperature, clocks); flows link
 * a task's end to the start of a task that waited for it (`after`); frames mark each
 * frame's arrival, completion and deadline.
 *
 * Slices on one lane never overlap: every lane belongs to one in-order engine or stream.
 * Names are interned: a slice stores an index into the name table.
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

typedef struct tl_counter {
    int name;                 /* interned, e.g. "DRAM" */
    int unit;                 /* interned, e.g. "GB/s" */
} tl_counter_t;

typedef struct tl_sample {
    int counter;
    sim_time_t t;
    double value;             /* holds until the next sample of the same counter */
} tl_sample_t;

typedef struct tl_flow {
    int from_lane, to_lane;
    sim_time_t from, to;
    int64_t frame;
} tl_flow_t;

typedef struct tl_frame {
    int64_t frame;
    sim_time_t arrival, done;
    sim_time_t deadline;      /* arrival + period (0 = none) */
} tl_frame_t;

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
} timeline_t;

timeline_t *timeline_new(void);
void timeline_free(timeline_t *t);
int timeline_intern(timeline_t *t, const char *s);
const char *timeline_name(const timeline_t *t, int id);
/* The lane of that group and name, created on first use. */
int timeline_lane(timeline_t *t, tl_group_t group, const char *name);
int timeline_counter(timeline_t *t, const char *name, const char *unit);
void timeline_slice(timeline_t *t, int lane, const char *name, int task, int64_t frame,
                    sim_time_t start, sim_time_t end, double bytes, double flops);
void timeline_sample(timeline_t *t, int counter, sim_time_t when, double value);
void timeline_flow(timeline_t *t, int from_lane, sim_time_t from, int to_lane, sim_time_t to,
                   int64_t frame);
void timeline_frame(timeline_t *t, int64_t frame, sim_time_t arrival, sim_time_t done,
                    sim_time_t deadline);
const char *timeline_group_name(tl_group_t g);

#endif
