/*
 * The timeline as pixels (viz/draw.h), checked against the simulation that produced it:
 * lanes sit at the rows the layout promises, in group order; a lane's pixel column is
 * painted exactly when one of its slices overlaps that column's time (with every slice
 * drawn alone when zoomed in, and tiny slices aggregated when zoomed out); counters sit
 * under the lanes; the headless `orinsim view --screenshot` writes those same pixels;
 * zoom keeps the time under the cursor; a click picks the slice under it; a range gives
 * busy time, bytes and energy; search counts matching slices.
 *
 * Needs the viewer (SDL2_ttf for the font); without it the suite reports itself skipped.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ORINSIM_HAVE_VIEWER
int main(void)
{
    printf("test_viz_view: skipped, orinsim was built without the viewer\n");
    return 77;
}
#else

#include "soc/run/replay.h"
#include "soc/sku/sku.h"
#include "soc/run/timeline.h"
#include "soc/trace/trace.h"
#include "viz/bench.h"
#include "viz/canvas.h"
#include "viz/draw.h"
#include "viz/font.h"
#include "viz/image.h"

#define SRC ORINSIM_SOURCE_DIR
#define TRACE SRC "/tests/data/viz/camera-pipeline.yaml"
#define W 1280
#define H 720

static font_t font;
static timeline_t *camera;    /* the camera pipeline, 4 frames on agx64 in its default mode */

static void load_font(void)
{
    diag_t d;
    diag_clear(&d);
    if (font_load(&font, font_default_path(NULL), 10, &d) != 0) {
        diag_print(&d);
        ck_abort_msg("no font");
    }
}

static timeline_t *record(const char *path, const char *sku_name)
{
    sku_t *sku = calloc(1, sizeof *sku);
    soc_config_t cfg;
    trace_t t;
    replay_options_t ro = {0};
    replay_result_t res;
    diag_t d;
    diag_clear(&d);
    ck_assert_ptr_nonnull(sku);
    ro.timeline = timeline_new();
    if (sku_load(sku_name, sku, &d) != 0 || sku_resolve(sku, NULL, &cfg, &d) != 0 ||
        trace_load(path, &t, &d) != 0 || replay_run(&cfg, &t, &ro, &res, &d) != 0) {
        diag_print(&d);
        ck_abort_msg("cannot replay %s", path);
    }
    replay_result_free(&res);
    trace_free(&t);
    free(sku);
    return ro.timeline;
}

static void setup(void)
{
    load_font();
    camera = record(TRACE, "agx64");
}

static void teardown(void)
{
    timeline_free(camera);
    font_free(&font);
}

static canvas_t *render(draw_t *v, const timeline_t *tl)
{
    canvas_t *c = canvas_new(W, H);
    diag_t d;
    diag_clear(&d);
    ck_assert_ptr_nonnull(c);
    if (v->tl == NULL)
        ck_assert_int_eq(draw_init(v, tl, &font, &d), 0);
    draw_render(v, c, 0, 0, W, H);
    return c;
}

/* Ground truth for lane `l`: truth[x] = 1 when one of its slices overlaps the time of
 * column x, [T(x), T(x+1)), 0 when none does, -1 when a slice boundary falls within a
 * thousandth of a pixel of a column edge (rounding may go either way there). One pass
 * over the slices: each marks the columns between its ends. */
static signed char *busy_truth_lane(const draw_t *v, int l)
{
    signed char *t = calloc((size_t)(v->x0 + v->w + 2), 1);
    ck_assert_ptr_nonnull(t);
    for (size_t i = 0; i < v->tl->nslices; i++) {
        const tl_slice_t *s = &v->tl->slices[i];
        double xa, xb;
        if (s->lane != l)
            continue;
        xa = draw_x_of(v, (double)s->start);
        xb = draw_x_of(v, (double)s->end);
        if (xb < 0 || xa > v->x0 + v->w)
            continue;
        for (int x = (int)floor(xa < 0 ? 0 : xa); x < v->x0 + v->w && x < xb; x++)
            if (t[x] == 0)
                t[x] = 1;
        for (int k = 0; k < 2; k++) {
            double e = k ? xb : xa, f = e - floor(e);
            int x = (int)floor(e);
            if ((f < 1e-3 || f > 1 - 1e-3) && x >= 1 && x < v->x0 + v->w) {
                t[x] = -1;
                t[x - 1] = -1;
                if (x + 1 < v->x0 + v->w)
                    t[x + 1] = -1;
            }
        }
    }
    return t;
}

static int busy_truth(const draw_t *v, int l, int x)
{
    static const draw_t *cv;
    static const timeline_t *ctl;
    static int cl = -1;
    static double ct0, ct1;
    static signed char *ct;
    if (cv != v || ctl != v->tl || cl != l || ct0 != v->t0 || ct1 != v->t1 || ct == NULL) {
        free(ct);
        ct = busy_truth_lane(v, l);
        cv = v;
        ctl = v->tl;
        cl = l;
        ct0 = v->t0;
        ct1 = v->t1;
    }
    return ct[x];
}

/* Compare every column of every lane row with the simulation. The row's background is
 * read in the label column (no text reaches its right end); idle columns may show only
 * the background or a vertical grid, frame or deadline line. */
static void check_busy_pixels(draw_t *v, canvas_t *c, int *busy_cols, int *idle_cols)
{
    const timeline_t *tl = v->tl;
    *busy_cols = *idle_cols = 0;
    for (int l = 0; l < tl->nlanes; l++) {
        const draw_row_t *row = draw_lane_row(v, l);
        int ymid, x0 = v->x0 + v->label_w;
        uint32_t bg;
        ck_assert_msg(row != NULL, "lane %s has no row", timeline_name(tl, tl->lanes[l].name));
        ymid = row->y + row->h / 2;
        bg = canvas_get(c, x0 - 3, ymid);
        for (int x = x0 + 1; x < v->x0 + v->w; x++) {
            int truth = busy_truth(v, l, x);
            uint32_t p = canvas_get(c, x, ymid);
            int idle_px = p == bg || p == DRAW_GRID || p == DRAW_FRAME_LINE || p == DRAW_MISS;
            if (truth < 0)
                continue;
            if (truth) {
                ck_assert_msg(p != bg, "lane %s busy at column %d (t = %.0f ps) but not painted",
                              timeline_name(tl, tl->lanes[l].name), x, draw_t_of(v, x));
                (*busy_cols)++;
            } else {
                ck_assert_msg(idle_px, "lane %s idle at column %d (t = %.0f ps) but painted %06x",
                              timeline_name(tl, tl->lanes[l].name), x, draw_t_of(v, x), p);
                (*idle_cols)++;
            }
        }
    }
}

/* Every lane of the camera pipeline has a row of the same height; rows follow the group
 * order GPU, DLA, PVA, CPU, each group under its header; the DRAM counter is below. */
START_TEST(lanes_at_expected_rows)
{
    draw_t v = {0};
    canvas_t *c = render(&v, camera);
    int last_y = -1, last_group = -1, lanes_seen = 0, found[TL_GROUP_COUNT] = {0};
    const draw_row_t *counter = NULL;
    for (int r = 0; r < v.nrows; r++) {
        const draw_row_t *row = &v.rows[r];
        if (row->kind == ROW_COUNTER) {
            counter = row;
            continue;
        }
        /* contiguous, top to bottom */
        ck_assert_int_gt(row->y, last_y);
        if (last_y >= 0)
            ck_assert_int_eq(row->y, v.rows[r - 1].y + v.rows[r - 1].h);
        last_y = row->y;
        if (row->kind == ROW_GROUP) {
            ck_assert_int_gt(row->id, last_group);
            last_group = row->id;
        } else {
            ck_assert_int_eq(row->kind, ROW_LANE);
            ck_assert_int_eq((int)camera->lanes[row->id].group, last_group);
            ck_assert_int_eq(row->h, font.h + 6);
            found[last_group] = 1;
            lanes_seen++;
        }
    }
    /* pva: isp; dla0, dla1; gpu lanes of the tasks with GPU work; cpu: track */
    ck_assert_int_eq(lanes_seen, camera->nlanes);
    ck_assert(found[TL_GPU] && found[TL_DLA] && found[TL_PVA] && found[TL_CPU]);
    ck_assert_ptr_nonnull(counter);
    ck_assert_int_ge(counter->y, v.rows[v.nrows - 2].y + v.rows[v.nrows - 2].h);
    ck_assert_int_le(counter->y + counter->h, H);
    /* the DRAM counter is drawn: some column of its chart is not background */
    {
        int painted = 0;
        uint32_t bg = canvas_get(c, v.label_w - 3, counter->y + counter->h - 3);
        for (int x = v.label_w + 1; x < W; x++)
            painted += canvas_get(c, x, counter->y + counter->h - 3) != bg;
        ck_assert_int_gt(painted, 0);
    }
    canvas_free(c);
    draw_free(&v);
}
END_TEST

/* Zoomed out (the whole run: GPU kernels of ~20 us are far under a pixel of ~28 us) and
 * zoomed in (the first 3 ms: every slice wider than a pixel), busy pixels are exactly the
 * columns the simulation says were busy. */
START_TEST(busy_pixels_match_the_simulation)
{
    draw_t v = {0};
    canvas_t *c = render(&v, camera);
    int busy, idle;
    check_busy_pixels(&v, c, &busy, &idle);
    ck_assert_int_gt(busy, 100);
    ck_assert_int_gt(idle, 1000);
    canvas_free(c);
    v.t0 = 0;
    v.t1 = 3e9;
    c = render(&v, camera);
    check_busy_pixels(&v, c, &busy, &idle);
    ck_assert_int_gt(busy, 100);
    canvas_free(c);
    draw_free(&v);
}
END_TEST

/* Level of detail on 200,000 slices: zoomed out, one column covers hundreds of slices;
 * the painted columns are still exactly the busy ones. */
START_TEST(level_of_detail_is_exact)
{
    timeline_t *tl = bench_timeline(200000);
    draw_t v = {0};
    canvas_t *c;
    int busy, idle;
    ck_assert_ptr_nonnull(tl);
    c = render(&v, tl);
    /* Rows of the lanes that fit in 720 px are checked; the rest are scrolled away. */
    for (int l = 0; l < tl->nlanes; l++) {
        if (draw_lane_row(&v, l) == NULL)
            v.collapsed[tl->lanes[l].group] = 1;
    }
    canvas_free(c);
    v.t0 = 0;
    v.t1 = (double)tl->end / 50;     /* a fiftieth: mixes aggregated and single slices */
    c = render(&v, tl);
    {
        /* check only lanes that have a row */
        draw_t *pv = &v;
        for (int l = 0; l < tl->nlanes; l++) {
            const draw_row_t *row = draw_lane_row(pv, l);
            int ymid;
            uint32_t bg;
            if (row == NULL)
                continue;
            ymid = row->y + row->h / 2;
            bg = canvas_get(c, v.label_w - 3, ymid);
            busy = idle = 0;
            for (int x = v.label_w + 1; x < W; x++) {
                int truth = busy_truth(&v, l, x);
                uint32_t p = canvas_get(c, x, ymid);
                if (truth < 0)
                    continue;
                if (truth)
                    ck_assert_msg(p != bg, "lane %d column %d busy but not painted", l, x), busy++;
                else
                    ck_assert_msg(p == bg || p == DRAW_GRID || p == DRAW_FRAME_LINE ||
                                      p == DRAW_MISS,
                                  "lane %d column %d idle but painted", l, x), idle++;
            }
            /* gaps of up to 2 us between slices of ~3 us mean: mostly busy */
            ck_assert_int_gt(busy, idle);
        }
    }
    canvas_free(c);
    draw_free(&v);
    timeline_free(tl);
}
END_TEST

/* `orinsim view --screenshot` (headless, no DISPLAY) writes the pixels the renderer
 * draws in-process for the same run. */
START_TEST(headless_screenshot_is_the_rendered_frame)
{
    char cmd[2048];
    const char *png = "viz_view_shot.png";
    canvas_t *shot, *c;
    draw_t v = {0};
    diag_t d;
    diag_clear(&d);
    remove(png);
    snprintf(cmd, sizeof cmd,
             "env -u DISPLAY -u WAYLAND_DISPLAY %s view --size %dx%d --screenshot %s %s",
             ORINSIM_BINARY, W, H, png, TRACE);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_int_eq(image_read_png(png, &shot, &d), 0);
    ck_assert_int_eq(shot->w, W);
    ck_assert_int_eq(shot->h, H);
    c = render(&v, camera);
    /* the title and the rest of the frame: identical, pixel for pixel */
    snprintf(v.title, sizeof v.title, "%s", "");
    for (int y = 2 * (font.h + 4); y < H; y++)
        for (int x = 0; x < W; x++)
            ck_assert_msg(canvas_get(c, x, y) == canvas_get(shot, x, y),
                          "pixel (%d, %d): rendered %06x, screenshot %06x", x, y, canvas_get(c, x, y),
                          canvas_get(shot, x, y));
    canvas_free(shot);
    canvas_free(c);
    draw_free(&v);
    remove(png);
}
END_TEST

/* Zooming keeps the time under the cursor; panning by 100 px moves the view by 100 px of
 * time. */
START_TEST(zoom_and_pan)
{
    draw_t v = {0};
    canvas_t *c = render(&v, camera);
    double before = draw_t_of(&v, 700), span = v.t1 - v.t0, px = span / (W - v.label_w);
    draw_zoom(&v, 0.5, 700);
    ck_assert_double_eq_tol(draw_t_of(&v, 700), before, span * 1e-9);
    ck_assert_double_eq_tol(v.t1 - v.t0, span / 2, span * 1e-9);
    before = v.t0;
    px = (v.t1 - v.t0) / (W - v.label_w);
    draw_pan(&v, 100);
    ck_assert_double_eq_tol(v.t0 - before, 100 * px, px * 1e-6);
    draw_fit(&v);
    ck_assert_double_eq_tol(v.t0, 0, 1e-9);
    ck_assert_double_eq_tol(v.t1, (double)camera->end * 1.02, 1);
    canvas_free(c);
    draw_free(&v);
}
END_TEST

/* A click in the middle of a slice picks it; a click where the lane is idle picks none. */
START_TEST(click_picks_the_slice)
{
    draw_t v = {0};
    canvas_t *c;
    v.tl = NULL;
    c = render(&v, camera);
    v.t0 = 0;
    v.t1 = 3e9;
    canvas_free(c);
    c = render(&v, camera);
    for (size_t i = 0; i < camera->nslices; i++) {
        const tl_slice_t *s = &camera->slices[i];
        const draw_row_t *row = draw_lane_row(&v, s->lane);
        double xa = draw_x_of(&v, (double)s->start), xb = draw_x_of(&v, (double)s->end);
        if (xb - xa < 10 || xa < v.label_w || xb > W)
            continue;
        ck_assert_int_eq(draw_pick(&v, (int)((xa + xb) / 2), row->y + row->h / 2), (long)i);
    }
    /* the CPU lane is idle for the first millisecond (it waits for the GPU) */
    {
        int cpu = -1;
        for (int l = 0; l < camera->nlanes; l++)
            if (camera->lanes[l].group == TL_CPU)
                cpu = l;
        ck_assert_int_ge(cpu, 0);
        ck_assert_int_eq(draw_pick(&v, (int)draw_x_of(&v, 0.2e9), draw_lane_row(&v, cpu)->y + 3), -1);
    }
    canvas_free(c);
    draw_free(&v);
}
END_TEST

/* A range over the whole run: each lane's busy time is the sum of its slices' durations
 * and its bytes the sum of theirs; half a slice counts half its bytes. */
START_TEST(range_aggregates)
{
    draw_t v = {0};
    canvas_t *c = render(&v, camera);
    const draw_agg_t *agg;
    draw_select_range(&v, 0, (double)camera->end);
    agg = draw_aggregates(&v);
    for (int l = 0; l < camera->nlanes; l++) {
        double busy = 0, bytes = 0;
        for (size_t i = 0; i < camera->nslices; i++)
            if (camera->slices[i].lane == l) {
                busy += (double)(camera->slices[i].end - camera->slices[i].start);
                bytes += camera->slices[i].bytes;
            }
        ck_assert_double_eq_tol(agg[l].busy_ps, busy, 1);
        ck_assert_double_eq_tol(agg[l].bytes, bytes, 1e-6 * (bytes + 1));
    }
    canvas_free(c);
    draw_free(&v);
}
END_TEST

/* Energy: 10 W from 0 to 1 ms, then 20 W to 2 ms. Over [0.5 ms, 1.5 ms]:
 * 10 W x 0.5 ms + 20 W x 0.5 ms = 15 mJ. A GB/s counter has no energy (-1). A slice of
 * 1 MB over 0..1 ms selected from 0.75 ms counts a quarter: 250 kB. */
START_TEST(range_energy_and_partial_bytes)
{
    timeline_t *tl = timeline_new();
    int p = timeline_counter(tl, "VDD_GPU_SOC", "W"), bw = timeline_counter(tl, "DRAM", "GB/s");
    int lane = timeline_lane(tl, TL_GPU, "gpu: a");
    draw_t v = {0};
    canvas_t *c;
    timeline_sample(tl, p, 0, 10);
    timeline_sample(tl, p, SIM_MS, 20);
    timeline_sample(tl, bw, 0, 100);
    timeline_slice(tl, lane, "k", 0, 0, 0, SIM_MS, 1e6, 0);
    timeline_slice(tl, lane, "k", 0, 0, SIM_MS, 2 * SIM_MS, 0, 0);
    c = render(&v, tl);
    draw_select_range(&v, 0.5e9, 1.5e9);
    ck_assert_double_eq_tol(draw_energy(&v, p), 15e-3, 1e-12);
    ck_assert_double_eq(draw_energy(&v, bw), -1);
    draw_select_range(&v, 0.75e9, 2e9);
    ck_assert_double_eq_tol(draw_aggregates(&v)[lane].bytes, 250e3, 1e-6);
    ck_assert_double_eq_tol(draw_aggregates(&v)[lane].busy_ps, 1.25e9, 1);
    canvas_free(c);
    draw_free(&v);
    timeline_free(tl);
}
END_TEST

/* Search is a case-insensitive substring of the slice name; "CONV" finds color_convert
 * and the conv kernels; the next match after none selected is the earliest one. */
START_TEST(search_by_name)
{
    draw_t v = {0};
    canvas_t *c = render(&v, camera);
    size_t want = 0;
    long first = -1;
    for (size_t i = 0; i < camera->nslices; i++) {
        const char *n = timeline_name(camera, camera->slices[i].name);
        if (strstr(n, "conv")) {
            want++;
            if (first < 0 || camera->slices[i].start < camera->slices[first].start)
                first = (long)i;
        }
    }
    ck_assert_uint_gt(want, 0);
    draw_set_search(&v, "CONV");
    ck_assert_uint_eq(v.nmatches, want);
    v.t0 = 0;
    ck_assert_int_eq(draw_next_match(&v, 1), 0);
    ck_assert_int_eq(v.sel, first);
    draw_set_search(&v, "no-such-op");
    ck_assert_uint_eq(v.nmatches, 0);
    ck_assert_int_eq(draw_next_match(&v, 1), -1);
    canvas_free(c);
    draw_free(&v);
}
END_TEST

/* Collapsing GPU replaces its lanes with one summary row, painted where any GPU lane is
 * busy; the rows below move up. */
START_TEST(collapse_group)
{
    draw_t v = {0};
    canvas_t *c = render(&v, camera);
    int dla0 = -1, y_before, gpu_lanes = 0;
    for (int l = 0; l < camera->nlanes; l++) {
        if (camera->lanes[l].group == TL_DLA && dla0 < 0)
            dla0 = l;
        gpu_lanes += camera->lanes[l].group == TL_GPU;
    }
    y_before = draw_lane_row(&v, dla0)->y;
    draw_toggle_group(&v, TL_GPU);
    canvas_free(c);
    c = render(&v, camera);
    for (int l = 0; l < camera->nlanes; l++)
        if (camera->lanes[l].group == TL_GPU)
            ck_assert_ptr_null(draw_lane_row(&v, l));
    /* gpu_lanes rows became one */
    ck_assert_int_eq(draw_lane_row(&v, dla0)->y, y_before - (gpu_lanes - 1) * (font.h + 6));
    canvas_free(c);
    draw_free(&v);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("viz_view");
    TCase *tc = tcase_create("view");
    SRunner *sr;
    int failed;
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, lanes_at_expected_rows);
    tcase_add_test(tc, busy_pixels_match_the_simulation);
    tcase_add_test(tc, level_of_detail_is_exact);
    tcase_add_test(tc, headless_screenshot_is_the_rendered_frame);
    tcase_add_test(tc, zoom_and_pan);
    tcase_add_test(tc, click_picks_the_slice);
    tcase_add_test(tc, range_aggregates);
    tcase_add_test(tc, range_energy_and_partial_bytes);
    tcase_add_test(tc, search_by_name);
    tcase_add_test(tc, collapse_group);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
#endif
