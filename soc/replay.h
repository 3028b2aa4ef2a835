/*
 * replay: build the SoC from a resolved SKU, replay a trace on it, collect results.
 *
 * Frames are released every `period` (or, closed loop, as soon as fewer than
 * `max_in_flight` frames are in flight). A frame that arrives while `max_in_flight`
 * frames are in flight waits; its latency counts from its arrival. Within a frame a task
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
#include "soc/footprint.h"
#include "soc/sku.h"
#include "soc/trace.h"

typedef struct replay_task_result {
    char id[TRACE_ID_LEN];
    trace_engine_t engine;
    sim_dist_t latency;        /* ps, from ready (dependencies met) to end */
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
    replay_task_result_t *tasks;
    int ntasks;
    replay_engine_result_t engines[ENG_COUNT];
    double gpu_flops;          /* useful work done */
    uint64_t kernels, ctas;
    double dram_bytes, dram_avg_Bps, dram_peak_Bps;
    footprint_t footprint;     /* resident DRAM against the module's usable capacity */
    uint64_t events;
    double wall_s;
} replay_result_t;

typedef struct replay_options {
    int64_t frames;            /* > 0 overrides the trace */
} replay_options_t;

/* Check that the trace can run on this SoC (engines present and modelled, every GPU op
 * lowers to a kernel that fits the SM). Errors name the op's file:line:column. */
int replay_check(const soc_config_t *cfg, const trace_t *t, diag_t *d);
/* Run the trace; `out` must be released with replay_result_free. */
int replay_run(const soc_config_t *cfg, const trace_t *t, const replay_options_t *opt,
               replay_result_t *out, diag_t *d);
void replay_result_free(replay_result_t *r);

#endif
