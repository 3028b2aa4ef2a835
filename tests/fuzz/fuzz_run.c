/*
 * fuzz_run: libFuzzer target that parses a trace AND simulates it (soc/trace/, soc/run/,
 * models/, sim/), so fuzzing reaches the engine and the models, not only the parser.
 *
 * Each input is parsed as a trace; one that parses runs on one of the shipped modules in
 * its default mode (picked by the input's length), for at most 3 frames, under small
 * engine budgets: 20,000 events, 10,000 events at one instant, 10 s of simulated time.
 * Inputs that expand to more than 2,000 ops are only parsed: lowering a million ops takes
 * seconds and 1.5 GB (docs/limits.md). Every run must end either with a report of all its
 * frames or with one diagnostic; a run that met a budget is a diagnostic too. An odd
 * first byte also records the run's timeline and streams it through the export
 * (viz/export.h): the next bits pick its detail level, a window of [1 ms, 20 ms) and
 * gzip; a run that succeeds must export without error, and a plain export must parse as
 * JSON (json-c). AddressSanitizer and UBSan (enabled by
 * -DORINSIM_FUZZ=ON) catch the rest. Run with FUZZER=run tests/fuzz/run-fuzz.sh SECONDS,
 * which points ORINSIM_CONFIG_DIR at configs/; its seeds are the trace corpus.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "soc/run/replay.h"
#include "soc/run/timeline.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"
#include "viz/export.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NSKUS = 7, MAX_OPS = 2000, MAX_FRAMES = 3 };

static const char *const SKUS[NSKUS] = {"agx64", "agx32", "agx-industrial", "nx16",
                                        "nx8",   "nano8", "nano4"};

/* The shipped modules, loaded once; a NULL config if one cannot be loaded. */
static const soc_config_t *module(size_t k)
{
    static sku_t sku[NSKUS];
    static soc_config_t cfg[NSKUS];
    static int state[NSKUS];      /* 0 not tried, 1 loaded, -1 failed */
    diag_t d;
    if (state[k] == 0) {
        diag_clear(&d);
        state[k] = sku_load(SKUS[k], &sku[k], &d) == 0 &&
                   sku_resolve(&sku[k], NULL, &cfg[k], &d) == 0 ? 1 : -1;
    }
    return state[k] == 1 ? &cfg[k] : NULL;
}

/* `flags`: bit 0 records a timeline; bits 1-2 its detail; bit 3 a window; bit 4 gzip. */
static void simulate(const soc_config_t *cfg, const trace_t *t, unsigned flags)
{
    replay_options_t ro;
    replay_result_t res;
    viz_export_t *x = NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = NULL;
    diag_t d;
    memset(&ro, 0, sizeof ro);
    ro.frames = t->frames < MAX_FRAMES ? t->frames : MAX_FRAMES;
    ro.max_events = 20000;
    ro.max_instant_events = 10000;
    ro.horizon_ps = 10 * SIM_S;
    if ((flags & 1) && (ro.timeline = timeline_new()) == NULL)
        return;
    diag_clear(&d);
    if (ro.timeline) {
        ro.timeline->detail = (tl_detail_t)((flags >> 1) & 3);
        if (flags & 8) {
            ro.timeline->win_start = SIM_MS;
            ro.timeline->win_end = 20 * SIM_MS;
        }
        ro.timeline->bin_ps = ro.timeline->detail < TL_DETAIL_SM ? SIM_MS : 0;
        if ((f = open_memstream(&buf, &len)) == NULL ||
            viz_export_open_file(&x, f, (flags & 16) != 0, ro.timeline, "fuzz", &d) != 0)
            abort();
    }
    if (replay_check(cfg, t, &d) != 0) {
        if (!d.set)
            abort();
    } else if (replay_run(cfg, t, &ro, &res, &d) != 0) {
        if (!d.set)
            abort();    /* a failed run always says why */
    } else {
        /* Its timeline exports without error (no overlapping slices); plain, it parses. */
        if (x) {
            json_object *doc;
            if (viz_export_close(x, &d) != 0 || fflush(f) != 0)
                abort();
            x = NULL;
            if (!(flags & 16)) {
                if ((doc = json_tokener_parse(buf)) == NULL)
                    abort();
                json_object_put(doc);
            }
        }
        /* A run that succeeds accounts for every frame, completed or dropped on arrival
         * (overload: drop), and reports every task once per completed frame. */
        if (res.frames_done + res.dropped != ro.frames ||
            sim_dist_count(&res.frame_latency) != (size_t)res.frames_done)
            abort();
        for (int i = 0; i < t->ntasks; i++)
            if (sim_dist_count(&res.tasks[i].latency) != (size_t)res.frames_done)
                abort();
        replay_result_free(&res);
    }
    viz_export_discard(x);
    if (f)
        fclose(f);
    free(buf);
    timeline_free(ro.timeline);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    trace_t t;
    diag_t d;
    int64_t ops = 0;
    const soc_config_t *cfg = module(size % NSKUS);
    diag_clear(&d);
    if (trace_parse("fuzz.yaml", (const char *)data, size, &t, &d) != 0) {
        trace_free(&t);
        return 0;
    }
    for (int i = 0; i < t.ntasks; i++)
        ops += t.tasks[i].nops;
    if (cfg != NULL && ops <= MAX_OPS)
        simulate(cfg, &t, size > 0 ? data[0] : 0);
    trace_free(&t);
    return 0;
}
