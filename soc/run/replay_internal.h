/*
 * replay_internal: the state of a replay, shared by replay.c (the run) and
 * replay_timeline.c (what the run records on its timeline). Not for other files.
 */
#ifndef ORINSIM_REPLAY_INTERNAL_H
#define ORINSIM_REPLAY_INTERNAL_H

#include "models/cpu.h"
#include "models/dla.h"
#include "models/dram.h"
#include "models/gpu.h"
#include "models/pva.h"
#include "sim/sim.h"
#include "soc/run/program.h"
#include "soc/run/replay.h"
#include "soc/run/timeline.h"
#include "soc/run/vary.h"

enum { MAX_DLAS = 2 };

typedef struct instance {
    int64_t frame;
    int deps_left;
    int step;                     /* next step to run */
    int waiting;                  /* ready but its previous frame's instance still runs */
    int dla;                      /* the DLA running its current segment */
    sim_time_t ready;
    sim_time_t step_start;        /* for the timeline */
    int run_lane;                 /* timeline, detail tasks: the open slice of this task */
    sim_time_t run_start, run_end;
    double run_bytes, run_flops;
} instance_t;

typedef struct task_state {       /* a trace task: its program and the run's links */
    program_t prog;
    int *dependents;              /* tasks that wait for this one */
    int ndependents;
    int lane[4];                  /* timeline lanes by lower_engine_t (DLA: unused) */
} task_state_t;

typedef struct slot {
    int64_t frame;                /* -1 when free */
    sim_time_t arrival;
    int tasks_left;
    instance_t *inst;             /* [ntasks] */
} slot_t;

typedef struct request {          /* a DLA segment waiting for a DLA */
    uint64_t seq;
    int64_t slot;
    int task;
} request_t;

typedef struct queue {
    request_t *v;
    int64_t head, n, cap;
} queue_t;

typedef struct replay {
    const soc_config_t *cfg;
    const trace_t *trace;
    sim_t *sim;
    dram_t dram;
    gpu_t *gpu;
    cpu_t *cpu;
    dla_t *dla[MAX_DLAS];
    int dla_running[MAX_DLAS];
    queue_t dla_queue[MAX_DLAS + 1];   /* per DLA, and [MAX_DLAS] for either */
    uint64_t seq;
    pva_t *pva;
    task_state_t *task;
    int ntasks;
    slot_t *slots;
    int64_t nslots;
    int64_t frames;               /* to run */
    int64_t released, completed;
    int64_t arrived;              /* arrivals so far, released, queued or dropped */
    vary_t vary;
    int64_t in_flight;
    int64_t backlog;              /* arrived but waiting for a slot */
    sim_time_t *backlog_arrival;  /* ring of arrival times */
    int64_t backlog_cap, backlog_head;
    int64_t *next_frame;          /* per task: the frame whose instance may run next */
    replay_result_t *res;
    const char *failed;           /* why the run failed (out of memory), NULL if it did not */
    int stopped;
    soc_handles_t soc;
    const replay_options_t *opt;
    timeline_t *tl;
    int dla_lane[MAX_DLAS];
    int dla_layer_lane[MAX_DLAS];
    int64_t dla_slot[MAX_DLAS];   /* the instance whose segment each DLA runs */
    int dla_task[MAX_DLAS];
    struct dla_tap {
        struct replay *r;
        int k;
    } dla_tap[MAX_DLAS];
    int *sm_lane;                 /* per SM: its lane, busy-stretch start and kernel */
    sim_time_t *sm_start;
    char (*sm_kernel)[64];
    int ctx_lane;                 /* GPU contexts lane, -1 with one process */
    int ctx_holder;               /* context holding the GPU, -1 in a switch, -2 none yet */
    sim_time_t ctx_since;
    int dram_counter;
    int latency_counter;          /* per-frame latency, ms, at each frame's completion */
} replay_t;

/* ---- the timeline (soc/run/replay_timeline.c) ---- */

/* The lane a task instance's first step runs on (where a dependency arrow lands). */
int replay__first_lane(const replay_t *r, int64_t si, int ti);
/* Record step `st` of task `ti` in slot `si`, which has just ended, at the detail asked. */
void replay__record_step(replay_t *r, int64_t si, int ti, const step_t *st);
/* Lanes, counters and the engines' observers, before the run. */
void replay__timeline_setup(replay_t *r);
/* The GPU-context observer: context `context` holds the GPU from `now` (-2: the run
 * ended, close the last holder's stretch). */
void replay__ctx_tap(void *ctx, int context, sim_time_t now);

#endif
