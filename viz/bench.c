/*
 * bench: the renderer's frame-rate benchmark (see bench.h). Random numbers come from a
 * fixed xorshift64* stream, so every run draws the same timeline and the same frames.
 */
#include "viz/bench.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "viz/canvas.h"
#include "viz/draw.h"

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static double rng_unit(uint64_t *s)
{
    return (double)(rng_next(s) >> 11) / 9007199254740992.0;
}

timeline_t *bench_timeline(long slices)
{
    static const char *const OPS[] = {"conv", "gemm", "attention", "elementwise", "reduce",
                                      "memcpy", "reformat", "pool", "resize", "nms"};
    static const struct { tl_group_t g; const char *fmt; int n; } LANES[] = {
        {TL_GPU, "gpu: task%d", 6}, {TL_SM, "SM %d", 8}, {TL_DLA, "dla%d", 2},
        {TL_PVA, "pva: vps%d", 2}, {TL_CPU, "cpu: core%d", 6}};
    timeline_t *tl = timeline_new();
    sim_time_t *t;
    int lanes[64], nl = 0, dram, power;
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    char name[32];
    if (tl == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof LANES / sizeof *LANES; i++)
        for (int k = 0; k < LANES[i].n; k++) {
            snprintf(name, sizeof name, LANES[i].fmt, k);
            lanes[nl++] = timeline_lane(tl, LANES[i].g, name);
        }
    t = calloc((size_t)nl, sizeof *t);
    if (t == NULL) {
        timeline_free(tl);
        return NULL;
    }
    dram = timeline_counter(tl, "DRAM", "GB/s");
    power = timeline_counter(tl, "VDD_GPU_SOC", "W");
    for (long i = 0; i < slices && !tl->failed; i++) {
        int l = (int)(i % nl);
        /* 90% short ops of 0.2-5 us, 10% long ones of 20-200 us; gaps of 0-2 us. */
        double u = rng_unit(&rng);
        sim_time_t dur = (sim_time_t)(u < 0.9 ? 2e5 + rng_unit(&rng) * 4.8e6
                                              : 2e7 + rng_unit(&rng) * 1.8e8);
        sim_time_t gap = (sim_time_t)(rng_unit(&rng) * 2e6);
        const char *op = OPS[rng_next(&rng) % (sizeof OPS / sizeof *OPS)];
        t[l] += gap;
        timeline_slice(tl, lanes[l], op, l, -1, t[l], t[l] + dur, (double)dur * 1e-3,
                       (double)dur * 1e-2);
        t[l] += dur;
    }
    /* counters: DRAM every 4 us, power every 64 us */
    for (sim_time_t x = 0; x < tl->end && !tl->failed; x += 4 * SIM_US) {
        timeline_sample(tl, dram, x, 20 + 180 * rng_unit(&rng));
        if (x % (64 * SIM_US) == 0)
            timeline_sample(tl, power, x, 8 + 20 * rng_unit(&rng));
    }
    /* frames at 30 per second, each done 30 ms after it arrives; every seventh misses */
    for (sim_time_t f = 0, n = 0; f + 40 * SIM_MS < tl->end; f += 33333 * SIM_US, n++)
        timeline_frame(tl, (int64_t)n, f, f + (n % 7 ? 30 : 36) * SIM_MS, f + 33333 * SIM_US);
    free(t);
    if (tl->failed) {
        timeline_free(tl);
        return NULL;
    }
    return tl;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int bench_run(const font_t *font, long slices, int w, int h, int frames, int json, FILE *out,
              diag_t *d)
{
    double build0 = now_s(), build_s, total = 0, fit_ms = 0, *ms;
    timeline_t *tl = bench_timeline(slices);
    canvas_t *c = canvas_new(w, h);
    draw_t v;
    ms = calloc((size_t)frames + 1, sizeof *ms);
    if (tl == NULL || c == NULL || ms == NULL) {
        timeline_free(tl);
        canvas_free(c);
        free(ms);
        return diag_error(d, "", 0, 0, "out of memory building the benchmark timeline");
    }
    if (draw_init(&v, tl, font, d) != 0) {
        timeline_free(tl);
        canvas_free(c);
        free(ms);
        return DIAG_ERR;
    }
    build_s = now_s() - build0;
    snprintf(v.title, sizeof v.title, "benchmark: %zu slices", tl->nslices);
    draw_render(&v, c, 0, 0, w, h);    /* warm the caches and the layout */
    for (int i = 0; i < frames; i++) {
        int phase = 4 * i / frames;
        double t0 = now_s();
        /* zoom in to microseconds, pan, zoom back out, then pan the whole run */
        if (phase == 0)
            draw_zoom(&v, 0.8, v.x0 + v.label_w + (w - v.label_w) / 2);
        else if (phase == 1)
            draw_pan(&v, 37);
        else if (phase == 2)
            draw_zoom(&v, 1.25, v.x0 + v.label_w + (w - v.label_w) / 3);
        else
            draw_pan(&v, -23);
        draw_render(&v, c, 0, 0, w, h);
        ms[i] = (now_s() - t0) * 1e3;
        total += ms[i];
    }
    {
        double t0 = now_s();
        draw_fit(&v);
        draw_render(&v, c, 0, 0, w, h);
        fit_ms = (now_s() - t0) * 1e3;
    }
    qsort(ms, (size_t)frames, sizeof *ms, cmp_double);
    if (json)
        fprintf(out,
                "{\"slices\": %zu, \"lanes\": %d, \"width\": %d, \"height\": %d, \"frames\": %d, "
                "\"fps\": %.1f, \"mean_ms\": %.3f, \"median_ms\": %.3f, \"p95_ms\": %.3f, "
                "\"max_ms\": %.3f, \"fit_ms\": %.3f, \"build_s\": %.3f}\n",
                tl->nslices, tl->nlanes, w, h, frames, frames / (total * 1e-3), total / frames,
                ms[frames / 2], ms[(int)(0.95 * (frames - 1))], ms[frames - 1], fit_ms, build_s);
    else
        fprintf(out,
                "view bench: %zu slices on %d lanes, %dx%d, %d frames (zoom in, pan, zoom out, "
                "pan)\n"
                "  %.1f frames/s: mean %.3f ms, median %.3f ms, p95 %.3f ms, worst %.3f ms; "
                "whole run in view %.3f ms\n"
                "  timeline built and indexed in %.3f s\n",
                tl->nslices, tl->nlanes, w, h, frames, frames / (total * 1e-3), total / frames,
                ms[frames / 2], ms[(int)(0.95 * (frames - 1))], ms[frames - 1], fit_ms, build_s);
    draw_free(&v);
    timeline_free(tl);
    canvas_free(c);
    free(ms);
    return 0;
}
