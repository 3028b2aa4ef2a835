/*
 * fuzz_sku_run: libFuzzer target for SKU files that also simulates a trace on them, so the
 * values a SKU may hold reach the models and the engine (a zero time slice once hung
 * here; soc/sku/sku.c now refuses it).
 *
 * Each input is written to a file and loaded (inherits: reaches the shipped configs); a
 * SKU that loads has its default mode, and the mode picked by the input's length,
 * resolved, and a fixed trace touching every engine (a PVA op, a DLA conv with GPU
 * fallback, a CPU op after them, a GEMM of a second process that time-slices the GPU)
 * runs on each, 2 frames, under small engine budgets (20,000 events, 10,000 at one
 * instant, 10 s of simulated time). Every run must end with all its frames reported or
 * with one diagnostic. Run with FUZZER=sku_run tests/fuzz/run-fuzz.sh SECONDS; its seeds
 * are the SKU corpus.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "soc/run/replay.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char TRACE[] =
    "orinsim: 1\n"
    "frames: 2\n"
    "period: 5 ms\n"
    "tasks:\n"
    "  - id: cam\n"
    "    engine: pva\n"
    "    fallback: gpu\n"
    "    ops:\n"
    "      - {op: color_convert, image: [640, 480]}\n"
    "  - id: det\n"
    "    engine: dla\n"
    "    fallback: gpu\n"
    "    after: [cam]\n"
    "    ops:\n"
    "      - {op: conv, input: [1, 16, 64, 64], filters: 16, kernel: 3, padding: 1, dtype: int8}\n"
    "  - id: post\n"
    "    engine: cpu\n"
    "    after: [det]\n"
    "    ops:\n"
    "      - {op: cpu, duration: 100 us, threads: 2}\n"
    "  - id: other\n"
    "    engine: gpu\n"
    "    process: other\n"
    "    ops:\n"
    "      - {op: gemm, m: 256, n: 256, k: 256}\n";

static const trace_t *the_trace(void)
{
    static trace_t t;
    static int state;
    diag_t d;
    if (state == 0) {
        diag_clear(&d);
        state = trace_parse("fuzz-trace.yaml", TRACE, sizeof TRACE - 1, &t, &d) == 0 ? 1 : -1;
        if (state != 1)
            abort();   /* the fixed trace is valid */
    }
    return &t;
}

static void simulate(const soc_config_t *cfg, const trace_t *t)
{
    replay_options_t ro;
    replay_result_t res;
    diag_t d;
    memset(&ro, 0, sizeof ro);
    ro.max_events = 20000;
    ro.max_instant_events = 10000;
    ro.horizon_ps = 10 * SIM_S;
    diag_clear(&d);
    if (replay_check(cfg, t, &d) != 0 || replay_run(cfg, t, &ro, &res, &d) != 0) {
        if (!d.set)
            abort();   /* a failed run always says why */
        return;
    }
    if (res.frames_done != t->frames || sim_dist_count(&res.frame_latency) != (size_t)t->frames)
        abort();
    replay_result_free(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sku_t sku;
    soc_config_t cfg;
    diag_t d;
    const trace_t *t = the_trace();
    const char *path = fuzz_write_input("sku-run", data, size);
    if (path == NULL)
        return 0;
    diag_clear(&d);
    if (sku_load(path, &sku, &d) != 0)
        return 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *mode = pass == 0 ? NULL : sku.modes[size % (size_t)sku.nmodes].name;
        diag_clear(&d);
        if (sku_resolve(&sku, mode, &cfg, &d) != 0)
            abort();   /* a SKU that loads has modes that resolve */
        simulate(&cfg, t);
    }
    return 0;
}
