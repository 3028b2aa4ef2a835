/*
 * replay: build the SoC from a resolved SKU, replay a trace on it, collect results.
 *
 * Frames arrive as the trace's `arrival` says: every `period` (with jitter), as a
 * Poisson process, in bursts, at times read from a file, or, closed loop, as soon as
 * fewer than `max_in_flight` frames are in flight. A frame that arrives while
 * `max_in_flight` frames are in flight waits (or, with `overload: drop`, is dropped); its
 * latency counts from its arrival. Within a frame a task
 * starts when its `after` tasks are done; each task is an in-order stream, so its
 * instance for frame f+1 starts only after its instance for frame f. Independent tasks
 * run concurrently: GPU kernels share the SMs, CPU ops share the cores, and everything
 * shares DRAM.
 */
#ifndef ORINSIM_REPLAY_H
#define ORINSIM_REPLAY_H

#include <stdint.h>

#include "sim/diag.h"
#include "sim/stats.h"
#include "soc/run/footprint.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"
#include "models/cpu.h"
#include "models/dla.h"
#include "models/pva.h"

/* Deadline misses: latencies over `deadline_ps`, in the order they completed. */
typedef struct replay_misses {
    uint64_t deadline_ps;      /* 0 = no deadline */
    int64_t count;
    int64_t run, longest;      /* the current and the longest run of consecutive misses */
} replay_misses_t;

typedef struct replay_task_result {
    char id[TRACE_ID_LEN];
    trace_engine_t engine;
    sim_dist_t latency;        /* ps, from ready (dependencies met) to end */
    replay_misses_t misses;    /* against the task's deadline */
} replay_task_result_t;

typedef struct replay_engine_result {
    const char *name;          /* "gpu", "dla0", "dla1", "pva", "cpu" */
    int present;               /* used by the trace */
    double busy_pct;           /* time with any work in flight, % of the run */
    double util_pct;           /* GPU: SMs busy on average; CPU: cores busy on average */
} replay_engine_result_t;

typedef struct replay_result {
    int64_t frames;
    sim_time_t first_release;  /* arrival of the first frame */
    sim_time_t first_done, end;/* completion of the first and the last frame */
    sim_dist_t frame_latency;  /* ps */
    sim_dist_t queue_wait;     /* ps, from a frame's arrival to its release (a slot free) */
    replay_misses_t frame_misses;   /* against the trace's deadline */
    int64_t dropped;           /* frames dropped on arrival (overload: drop) */
    replay_task_result_t *tasks;
    int ntasks;
    replay_engine_result_t engines[ENG_COUNT];
    double gpu_flops;          /* useful work done */
    uint64_t kernels, ctas;
    uint64_t context_switches;    /* GPU switches between processes' contexts */
    double dram_bytes, dram_avg_Bps, dram_peak_Bps;
    footprint_t footprint;     /* resident DRAM against the module's usable capacity */
    int64_t frames_done;       /* = frames unless the run was stopped */
    char stopped[160];         /* why the run ended early; "" when it ran to the end */
    uint64_t events;
    double wall_s;
} replay_result_t;

/* The assembled SoC, handed to instruments attached to a run (power and thermal,
 * timelines): they may schedule their own events on `sim`, read the models' statistics
 * and change clocks. */
typedef struct soc_handles {
    const soc_config_t *cfg;
    sim_t *sim;
    dram_t *dram;
    gpu_t *gpu;
    cpu_t *cpu;
    dla_t *dla[2];
    int ndla;
    pva_t *pva;
    struct replay *replay;     /* for replay_request_stop */
    struct timeline *timeline; /* the run's timeline, NULL when none is recorded */
} soc_handles_t;

typedef struct replay_hook {
    void *ctx;
    /* After the SoC is built, before the first frame (return non-zero to abort the run). */
    int (*attach)(void *ctx, const soc_handles_t *soc);
    /* After the last event, before the SoC is freed; `end` is the run's last instant. */
    void (*finish)(void *ctx, const soc_handles_t *soc, sim_time_t end);
} replay_hook_t;

#define REPLAY_MAX_HOOKS 4

typedef struct replay_options {
    int64_t frames;            /* > 0 overrides the trace */
    struct timeline *timeline; /* when set, the run records its timeline there */
    const replay_hook_t *hooks[REPLAY_MAX_HOOKS];
    int nhooks;
    int seeded;                /* seed given; else SIM_RNG_DEFAULT_SEED */
    uint64_t seed;             /* of every random draw of the run (soc/run/vary.h) */
    /* The engine's limits (sim_set_limits), 0 for its defaults: events at one instant,
     * events in all, and a horizon short of SIM_TIME_MAX (the fuzzers' small budgets). */
    uint64_t max_instant_events, max_events;
    sim_time_t horizon_ps;
} replay_options_t;

/* End the run early (e.g. thermal shutdown): the result keeps the frames completed so
 * far and `stopped` holds the reason. Called from an instrument's event. */
void replay_request_stop(struct replay *r, const char *reason);

/* Check that the trace can run on this SoC (engines present and modelled, every GPU op
 * lowers to a kernel that fits the SM). Errors name the op's file:line:column. */
int replay_check(const soc_config_t *cfg, const trace_t *t, diag_t *d);
/* Run the trace; `out` must be released with replay_result_free (after a failure it holds
 * nothing: the limits checked before the run are in docs/limits.md). */
int replay_run(const soc_config_t *cfg, const trace_t *t, const replay_options_t *opt,
               replay_result_t *out, diag_t *d);
void replay_result_free(replay_result_t *r);

#endif
