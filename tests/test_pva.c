/*
 * test_pva: the PVA v2 model against its analytical limits, and its cost table in the
 * configs.
 *
 * Model tests use the spec below: the agx64 50W table (configs/agx64.yaml) written out by
 * hand with no per-op overhead, so that a time is exactly max(math, DMA) and the tests do
 * not move when the estimates in configs/ are revised. Math: pixels x cycles_per_pixel /
 * (2 VPS x 704 MHz = 1.408e9 VPS-cycles/s). DMA: bytes / min(15.6 GB/s, DRAM share). The
 * config tests at the end load configs/agx64.yaml and state which values they read.
 */
#define _POSIX_C_SOURCE 200809L   /* setenv, mkdtemp */

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/dram.h"
#include "models/pva.h"
#include "sim/sim.h"
#include "fixtures.h"
#include "soc/sku/sku.h"

static pva_spec_t agx_pva(void)
{
    static const double cpp[PVA_OP_COUNT] = {0.25, 0.25, 0.5, 0.3125, 0.25, 1.8125, 1.25,
                                             0.125, 64, 0};
    static const double in[PVA_OP_COUNT] = {1.5, 1, 1, 1, 1, 1, 1, 1, 2, 0};
    static const double out[PVA_OP_COUNT] = {3, 1, 1, 1, 1, 0.12, 0.12, 0, 2, 0};
    pva_spec_t s;
    memset(&s, 0, sizeof s);
    s.vps = 2;
    s.vps_hz = 704e6;
    memcpy(s.cycles_per_pixel, cpp, sizeof cpp);
    memcpy(s.bytes_per_pixel_in, in, sizeof in);
    memcpy(s.bytes_per_pixel_out, out, sizeof out);
    s.dram_Bps = 15.6e9;
    s.op_overhead_s = 0;
    return s;
}

static dram_spec_t agx_dram(void)
{
    dram_spec_t d = {256, 3200e6, 1.0, 0};   /* 256/8 x 2 x 3.2e9 = 204.8 GB/s exactly */
    return d;
}

static pva_op_t op_of(pva_op_kind_t kind, int64_t w, int64_t h)
{
    pva_op_t o;
    memset(&o, 0, sizeof o);
    o.kind = kind;
    o.width = w;
    o.height = h;
    return o;
}

typedef struct fixture {
    sim_t *sim;
    dram_t dram;
    pva_t *pva;
    int done;
    sim_time_t t_done[4];
    uint64_t order[4];
} fixture_t;

static void on_done(sim_t *s, void *ctx, uint64_t tag)
{
    fixture_t *f = ctx;
    f->t_done[tag] = sim_now(s);
    f->order[f->done++] = tag;
}

static void fx_init(fixture_t *f, const pva_spec_t *p, const dram_spec_t *d)
{
    memset(f, 0, sizeof *f);
    f->sim = sim_new();
    ck_assert_int_eq(dram_init(&f->dram, f->sim, d), 0);
    f->pva = pva_new(f->sim, p, &f->dram);
    ck_assert_ptr_nonnull(f->pva);
}

static void fx_free(fixture_t *f)
{
    pva_free(f->pva);
    dram_free(&f->dram);
    sim_free(f->sim);
}

/* Run one op alone and return its time in seconds. */
static double op_time_s(const pva_spec_t *p, const dram_spec_t *d, const pva_op_t *op)
{
    fixture_t f;
    double t;
    fx_init(&f, p, d);
    ck_assert_int_eq(pva_submit(f.pva, op, on_done, &f, 0), 0);
    sim_run(f.sim, SIM_TIME_MAX);
    ck_assert_int_eq(f.done, 1);
    ck_assert_int_eq(pva_busy(f.pva), 0);
    t = (double)f.t_done[0] * 1e-12;
    fx_free(&f);
    return t;
}

static void near(double got, double want, double rel)
{
    ck_assert_msg(fabs(got - want) <= rel * fabs(want), "got %.9g, expected %.9g within %.2g",
                  got, want, rel);
}

static pva_cost_t cost_ok(const pva_spec_t *s, const pva_op_t *op)
{
    pva_cost_t c;
    char why[256] = "";
    ck_assert_msg(pva_op_cost(s, op, &c, why, sizeof why) == 0, "cost failed: %s", why);
    return c;
}

/* ---- timing ---- */

START_TEST(test_compute_bound_stereo)
{
    /* SGM stereo on 1920x1080 at the default 64 disparities: 2,073,600 px x 64 cycles/px
     * = 132,710,400 VPS-cycles, split over 2 VPS at 704 MHz: 132,710,400 / 1.408e9
     * = 94.2545 ms. Its DMA, 2,073,600 x (2 + 2) B = 8.29 MB at 15.6 GB/s = 0.53 ms, hides
     * under the math. */
    pva_spec_t s = agx_pva();
    dram_spec_t d = agx_dram();
    pva_op_t op = op_of(PVA_STEREO, 1920, 1080);
    pva_cost_t c = cost_ok(&s, &op);
    near(c.cycles, 132710400.0, 1e-12);
    near(c.dram_bytes, 8294400.0, 1e-12);
    near(op_time_s(&s, &d, &op), 132710400.0 / 1.408e9, 1e-9);
}
END_TEST

START_TEST(test_dma_bound_color_convert)
{
    /* NV12 -> RGB8 on 7680x4320 = 33,177,600 px: DMA 33,177,600 x (1.5 + 3) B = 149.3 MB
     * at min(15.6 GB/s ceiling, 204.8 GB/s bus) = 9.5705 ms; math 33,177,600 x 0.25 /
     * 1.408e9 = 5.89 ms hides under it. */
    pva_spec_t s = agx_pva();
    dram_spec_t d = agx_dram();
    pva_op_t op = op_of(PVA_COLOR_CONVERT, 7680, 4320);
    pva_cost_t c = cost_ok(&s, &op);
    near(c.dram_bytes, 149299200.0, 1e-12);
    ck_assert(c.cycles / 1.408e9 < c.dram_bytes / 15.6e9);
    near(op_time_s(&s, &d, &op), 149299200.0 / 15.6e9, 1e-9);
}
END_TEST

START_TEST(test_dma_bus_share)
{
    /* A 64-bit bus at 1 GHz = 64/8 x 2 x 1e9 = 16 GB/s peak, 8 GB/s at efficiency 0.5,
     * shared with an uncapped 20 MB stream: max-min gives each 4 GB/s, below the PVA's
     * 15.6 GB/s ceiling. Colour convert on 1920x1080 moves 2,073,600 x 4.5 = 9,331,200 B
     * and ends at 9,331,200 / 4e9 = 2.3328 ms (the stream has moved 9.3 of its 20 MB then,
     * so it shares the bus throughout); its math, 0.37 ms, hides. */
    pva_spec_t s = agx_pva();
    dram_spec_t d = {64, 1e9, 0.5, 0};
    pva_op_t op = op_of(PVA_COLOR_CONVERT, 1920, 1080);
    fixture_t f;
    fx_init(&f, &s, &d);
    ck_assert_ptr_nonnull(dram_transfer(&f.dram, 20e6, 0, 1.0, on_done, &f, 1));
    ck_assert_int_eq(pva_submit(f.pva, &op, on_done, &f, 0), 0);
    sim_run(f.sim, SIM_TIME_MAX);
    ck_assert_int_eq(f.done, 2);
    near((double)f.t_done[0] * 1e-12, 9331200.0 / 4e9, 1e-9);
    fx_free(&f);
}
END_TEST

START_TEST(test_vpu_total_cycles)
{
    /* A generic kernel of 1.408e9 VPS-cycles, split over 2 VPS at 704 MHz, takes 1 s; its
     * 1 GB of DMA at 15.6 GB/s (64 ms) overlaps. */
    pva_spec_t s = agx_pva();
    dram_spec_t d = agx_dram();
    pva_op_t op = op_of(PVA_VPU, 0, 0);
    op.cycles = 1.408e9;
    op.bytes = 1e9;
    near(op_time_s(&s, &d, &op), 1.0, 1e-9);
    /* The same work given per pixel: 1000x1000 px x 1408 cycles/px = 1.408e9 cycles; with
     * no bytes the op is math only. And a DMA-only kernel: 1 cycle, 15.6e9 B = 1 s. */
    op = op_of(PVA_VPU, 1000, 1000);
    op.cycles_per_pixel = 1408;
    near(cost_ok(&s, &op).cycles, 1.408e9, 1e-12);
    near(op_time_s(&s, &d, &op), 1.0, 1e-9);
    op = op_of(PVA_VPU, 0, 0);
    op.cycles = 1;
    op.bytes = 15.6e9;
    near(op_time_s(&s, &d, &op), 1.0, 1e-9);
}
END_TEST

START_TEST(test_overhead_and_fifo)
{
    /* Per-op overhead 20 us, then the work. A 64x64 histogram: math 4096 px x 0.125 =
     * 512 cycles / 1.408e9 = 0.3636 us; DMA 4096 B / 15.6 GB/s = 0.2626 us; so one op
     * takes 20.3636 us. Three ops submitted at once run one after another in submission
     * order, each paying the overhead: they end at 1x, 2x and 3x 20.3636 us, and the PVA
     * is busy the whole time. (Each completion is rounded up to the next picosecond, so
     * these microsecond times are compared to 1e-7.) */
    pva_spec_t s = agx_pva();
    dram_spec_t d = agx_dram();
    pva_op_t op = op_of(PVA_HISTOGRAM, 64, 64);
    double one = 20e-6 + 512 / 1.408e9;
    fixture_t f;
    s.op_overhead_s = 20e-6;
    near(op_time_s(&s, &d, &op), one, 1e-7);
    fx_init(&f, &s, &d);
    for (uint64_t i = 0; i < 3; i++)
        ck_assert_int_eq(pva_submit(f.pva, &op, on_done, &f, i), 0);
    ck_assert_int_eq(pva_busy(f.pva), 3);
    sim_run(f.sim, SIM_TIME_MAX);
    ck_assert_int_eq(f.done, 3);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(f.order[i], (uint64_t)i);
        near((double)f.t_done[i] * 1e-12, (i + 1) * one, 1e-7);
    }
    near(pva_busy_frac(f.pva, 0), 1.0, 1e-12);
    fx_free(&f);
}
END_TEST

START_TEST(test_idle_gap_busy_frac)
{
    /* One 1 s vpu op from t = 0; the PVA is then idle. At t = 4 s (an unrelated event)
     * its busy fraction over [0, 4 s] is 1/4. */
    pva_spec_t s = agx_pva();
    dram_spec_t d = agx_dram();
    pva_op_t op = op_of(PVA_VPU, 0, 0);
    fixture_t f;
    op.cycles = 1.408e9;
    fx_init(&f, &s, &d);
    ck_assert_int_eq(pva_submit(f.pva, &op, on_done, &f, 0), 0);
    ck_assert_ptr_nonnull(dram_transfer(&f.dram, 4 * 204.8e9, 0, 1.0, on_done, &f, 1));
    sim_run(f.sim, SIM_TIME_MAX);
    ck_assert_int_eq(f.done, 2);
    near((double)sim_now(f.sim) * 1e-12, 4.0, 1e-9);
    near(pva_busy_frac(f.pva, 0), 0.25, 1e-9);
    fx_free(&f);
}
END_TEST

/* ---- cost scaling ---- */

START_TEST(test_kernel_and_disparity_scaling)
{
    /* 1000x1000 = 1e6 px. Gaussian is separable, 2k MACs/px: k = 3, 5, 11 give
     * 0.3125 x {3/5, 1, 11/5} x 1e6 cycles. Box is a vertical running sum (2) plus k
     * horizontal adds plus a normalise (1): 0.25 x (k+3)/8 x 1e6. Stereo is linear in the
     * disparities: 128 doubles 64, 16 is a quarter. */
    pva_spec_t s = agx_pva();
    pva_op_t g = op_of(PVA_GAUSSIAN, 1000, 1000), b = op_of(PVA_BOX, 1000, 1000);
    pva_op_t st = op_of(PVA_STEREO, 1000, 1000);
    near(cost_ok(&s, &g).cycles, 312500, 1e-12);
    g.kernel = 5;
    near(cost_ok(&s, &g).cycles, 312500, 1e-12);
    g.kernel = 3;
    near(cost_ok(&s, &g).cycles, 312500 * 3.0 / 5, 1e-12);
    g.kernel = 11;
    near(cost_ok(&s, &g).cycles, 312500 * 11.0 / 5, 1e-12);
    b.kernel = 3;
    near(cost_ok(&s, &b).cycles, 250000 * 6.0 / 8, 1e-12);
    b.kernel = 11;
    near(cost_ok(&s, &b).cycles, 250000 * 14.0 / 8, 1e-12);
    st.disparities = 128;
    near(cost_ok(&s, &st).cycles, 128e6, 1e-12);
    st.disparities = 16;
    near(cost_ok(&s, &st).cycles, 16e6, 1e-12);
    /* Filters read and write the image once: (1 + 1) B/px, whatever the kernel. */
    near(cost_ok(&s, &g).dram_bytes, 2e6, 1e-12);
}
END_TEST

START_TEST(test_resize_and_pixel_bytes)
{
    /* Resize 1920x1080 -> 960x540 computes each output pixel: 518,400 x 0.25 = 129,600
     * cycles; DMA reads 2,073,600 x 1 B and writes 518,400 x 1 B = 2,592,000 B. A 16-bit
     * image (bytes_per_pixel 2) doubles both. Colour convert from a 4 B/px input still
     * writes 3 B/px RGB: 1e6 px x (4 + 3) = 7e6 B. Remap to a different output size
     * computes the output's pixels: 640x480 x 0.5 = 153,600 cycles. */
    pva_spec_t s = agx_pva();
    pva_op_t r = op_of(PVA_RESIZE, 1920, 1080), cc = op_of(PVA_COLOR_CONVERT, 1000, 1000);
    pva_op_t m = op_of(PVA_REMAP, 1920, 1080);
    pva_cost_t c;
    r.out_width = 960;
    r.out_height = 540;
    c = cost_ok(&s, &r);
    near(c.cycles, 129600, 1e-12);
    near(c.dram_bytes, 2592000, 1e-12);
    r.bytes_per_pixel = 2;
    near(cost_ok(&s, &r).dram_bytes, 2 * 2592000.0, 1e-12);
    cc.bytes_per_pixel = 4;
    near(cost_ok(&s, &cc).dram_bytes, 7e6, 1e-12);
    m.out_width = 640;
    m.out_height = 480;
    near(cost_ok(&s, &m).cycles, 153600, 1e-12);
    /* Every image op costs something: no table entry may make an op free. The names are
     * the config keys of docs/configs.md. */
    for (int k = 0; k < PVA_VPU; k++) {
        static const char *const names[] = {"color_convert", "resize", "remap", "gaussian",
                                            "box", "harris", "fast", "histogram", "stereo"};
        pva_op_t o = op_of((pva_op_kind_t)k, 16, 16);
        c = cost_ok(&s, &o);
        ck_assert(c.cycles > 0 && c.dram_bytes > 0);
        ck_assert_str_eq(pva_op_name((pva_op_kind_t)k), names[k]);
    }
}
END_TEST

/* ---- errors ---- */

static void cost_fails(const pva_spec_t *s, const pva_op_t *op, const char *want)
{
    pva_cost_t c;
    char why[256] = "";
    ck_assert_int_eq(pva_op_cost(s, op, &c, why, sizeof why), -1);
    ck_assert_msg(strstr(why, want) != NULL, "'%s' not in: %s", want, why);
}

START_TEST(test_errors)
{
    pva_spec_t s = agx_pva(), none;
    pva_op_t o = op_of(PVA_GAUSSIAN, 0, 1080);
    cost_fails(&s, &o, "gaussian size 0x1080 (expected 1 to 8192 each)");
    o = op_of(PVA_GAUSSIAN, 1920, -1);
    cost_fails(&s, &o, "gaussian size 1920x-1");
    o = op_of(PVA_STEREO, 8193, 8192);
    cost_fails(&s, &o, "stereo size 8193x8192");
    o = op_of(PVA_COLOR_CONVERT, 64, 64);
    o.kernel = 5;
    cost_fails(&s, &o, "a kernel size applies only to gaussian and box, not to color_convert");
    o = op_of(PVA_GAUSSIAN, 64, 64);
    o.kernel = 4;
    cost_fails(&s, &o, "gaussian kernel 4 (expected an odd size 3 to 11)");
    o.kernel = 13;
    cost_fails(&s, &o, "gaussian kernel 13");
    o.kernel = -3;
    cost_fails(&s, &o, "gaussian kernel -3");
    o = op_of(PVA_BOX, 64, 64);
    o.disparities = 64;
    cost_fails(&s, &o, "disparities apply only to stereo, not to box");
    o = op_of(PVA_STEREO, 64, 64);
    o.disparities = 300;
    cost_fails(&s, &o, "stereo disparities 300 (expected 1 to 256)");
    o = op_of(PVA_HARRIS, 64, 64);
    o.out_width = 32;
    o.out_height = 32;
    cost_fails(&s, &o, "an output size applies only to resize and remap, not to harris");
    o = op_of(PVA_RESIZE, 64, 64);
    o.out_width = 32;
    cost_fails(&s, &o, "resize output size 32x0");
    o = op_of(PVA_FAST, 64, 64);
    o.bytes_per_pixel = -1;
    cost_fails(&s, &o, "fast bytes_per_pixel = -1");
    o.bytes_per_pixel = NAN;
    cost_fails(&s, &o, "fast bytes_per_pixel = nan");
    o = op_of(PVA_HISTOGRAM, 64, 64);
    o.cycles = 100;
    cost_fails(&s, &o, "apply only to the vpu op, not to histogram");
    o = op_of(PVA_VPU, 64, 64);
    cost_fails(&s, &o, "vpu op needs exactly one of cycles_per_pixel and cycles");
    o.cycles = 10;
    o.cycles_per_pixel = 1;
    cost_fails(&s, &o, "vpu op needs exactly one");
    o.cycles_per_pixel = 0;
    o.kernel = 3;
    cost_fails(&s, &o, "vpu op takes only");
    o.kernel = 0;
    o.cycles = -5;
    cost_fails(&s, &o, "vpu op cycles = -5");
    o.cycles = 10;
    o.bytes = -1;
    cost_fails(&s, &o, "vpu op bytes = -1");
    o = op_of(PVA_VPU, 0, 0);
    o.cycles_per_pixel = 2;
    cost_fails(&s, &o, "vpu op size 0x0 (expected 1 to 8192 each with cycles_per_pixel)");
    o = op_of(PVA_OP_COUNT, 64, 64);
    cost_fails(&s, &o, "unknown PVA op kind 10");
    ck_assert_ptr_null(pva_op_name(PVA_OP_COUNT));
    /* A module without a PVA (Orin Nano): every op fails and no PVA can be built. */
    memset(&none, 0, sizeof none);
    o = op_of(PVA_GAUSSIAN, 64, 64);
    cost_fails(&none, &o, "no PVA in this configuration");
    ck_assert_ptr_null(pva_new(NULL, &none, NULL));
}
END_TEST

START_TEST(test_submit_rejects_bad_op)
{
    /* A rejected op is not queued: the PVA stays idle and later ops run at once. */
    pva_spec_t s = agx_pva();
    dram_spec_t d = agx_dram();
    pva_op_t bad = op_of(PVA_BOX, 0, 0), good = op_of(PVA_VPU, 0, 0);
    fixture_t f;
    good.cycles = 1.408e9;
    fx_init(&f, &s, &d);
    ck_assert_int_eq(pva_submit(f.pva, &bad, on_done, &f, 0), -1);
    ck_assert_int_eq(pva_busy(f.pva), 0);
    ck_assert_int_eq(pva_submit(f.pva, &good, on_done, &f, 1), 0);
    sim_run(f.sim, SIM_TIME_MAX);
    ck_assert_int_eq(f.done, 1);
    near((double)f.t_done[1] * 1e-12, 1.0, 1e-9);
    fx_free(&f);
}
END_TEST

/* ---- the configs ---- */

static void setup(void)
{
    scratch_setup("pva");
}

static void teardown(void)
{
    scratch_teardown();
}

static void resolve(const char *sku, const char *mode, sku_t *s, soc_config_t *c)
{
    diag_t d;
    char msg[2048];
    diag_clear(&d);
    if (sku_load(sku, s, &d) != 0 || sku_resolve(s, mode, c, &d) != 0) {
        diag_format(&d, msg, sizeof msg);
        ck_abort_msg("%s %s: %s", sku, mode ? mode : "(default mode)", msg);
    }
}

START_TEST(test_config_agx64_modes)
{
    /* configs/agx64.yaml: 2 VPS; the VPS clock is the mode's pva_vps cap (MAXN and 50W
     * 704 MHz, 30W 512 MHz, 15W 307.2 MHz); the DMA ceiling, 15.6 GB/s at the 486.4 MHz
     * AXI maximum, scales with the mode's pva_axi cap: 30W 358.4 MHz gives
     * 15.6 x 358.4 / 486.4 = 11.495 GB/s. */
    sku_t s;
    soc_config_t maxn, w30;
    resolve("agx64", "MAXN", &s, &maxn);
    ck_assert_int_eq(maxn.pva.vps, 2);
    near(maxn.pva.vps_hz, 704e6, 1e-12);
    near(maxn.pva.dram_Bps, 15.6e9, 1e-12);
    near(maxn.pva.op_overhead_s, 20e-6, 1e-12);
    near(maxn.pva.cycles_per_pixel[PVA_STEREO], 64, 1e-12);
    near(maxn.pva.bytes_per_pixel_in[PVA_COLOR_CONVERT], 1.5, 1e-12);
    near(maxn.pva.bytes_per_pixel_out[PVA_COLOR_CONVERT], 3, 1e-12);
    resolve("agx64", "30W", &s, &w30);
    near(w30.pva.vps_hz, 512e6, 1e-12);
    near(w30.pva.dram_Bps, 15.6e9 * 358.4 / 486.4, 1e-12);
    near(w30.pva.cycles_per_pixel[PVA_HARRIS], 1.8125, 1e-12);
    /* sku_t keeps the hardware maxima. */
    near(s.pva.vps_hz, 704e6, 1e-12);
    near(s.pva.dram_Bps, 15.6e9, 1e-12);
}
END_TEST

START_TEST(test_config_30w_vs_50w_compute_bound)
{
    /* Stereo on 1920x1080 with agx64's table: 132,710,400 VPS-cycles (see above) plus the
     * 20 us overhead. 50W (704 MHz): 20 us + 94.2545 ms; 30W (512 MHz): 20 us + 129.6 ms.
     * The math scales exactly with the VPS clock, 704 / 512 = 1.375; the DMA (8.3 MB at
     * 11.5 or 15.6 GB/s, under 0.75 ms) stays hidden. */
    sku_t s;
    soc_config_t c30, c50;
    pva_op_t op = op_of(PVA_STEREO, 1920, 1080);
    double t30, t50;
    resolve("agx64", "30W", &s, &c30);
    resolve("agx64", "50W", &s, &c50);
    t30 = op_time_s(&c30.pva, &c30.dram, &op);
    t50 = op_time_s(&c50.pva, &c50.dram, &op);
    near(t50, 20e-6 + 132710400.0 / 1.408e9, 1e-9);
    near(t30, 20e-6 + 132710400.0 / 1.024e9, 1e-9);
    near((t30 - 20e-6) / (t50 - 20e-6), 1.375, 1e-9);
}
END_TEST

START_TEST(test_config_every_module)
{
    /* AGX and NX modules have one PVA with a complete table; Nano has none, and its
     * resolved spec is all zero. */
    static const char *const with[] = {"agx64", "agx32", "agx-industrial", "nx16", "nx8"};
    sku_t s;
    soc_config_t c;
    for (int i = 0; i < 5; i++) {
        resolve(with[i], NULL, &s, &c);
        ck_assert_int_eq(c.pvas, 1);
        ck_assert_int_eq(c.pva.vps, 2);
        ck_assert(c.pva.vps_hz > 0 && c.pva.dram_Bps > 0);
        for (int k = 0; k < PVA_VPU; k++)
            ck_assert(c.pva.cycles_per_pixel[k] > 0);
    }
    resolve("nano4", NULL, &s, &c);
    ck_assert_int_eq(c.pvas, 0);
    ck_assert(c.pva.vps == 0 && c.pva.vps_hz == 0 && c.pva.cycles_per_pixel[PVA_STEREO] == 0);
}
END_TEST

START_TEST(test_config_overrides_and_errors)
{
    sku_t s;
    soc_config_t c;
    diag_t d;
    char msg[2048], want[600];
    /* A child overrides one entry of one op; the rest is inherited. */
    const char *p = scratch_put("fast-stereo.yaml",
                        "sku: fast-stereo\n"
                        "title: t\n"
                        "inherits: agx64\n"
                        "pva:\n"
                        "  ops:\n"
                        "    stereo: {cycles_per_pixel: 32}\n");
    resolve(p, "MAXN", &s, &c);
    near(c.pva.cycles_per_pixel[PVA_STEREO], 32, 1e-12);
    near(c.pva.bytes_per_pixel_in[PVA_STEREO], 2, 1e-12);
    near(c.pva.cycles_per_pixel[PVA_GAUSSIAN], 0.3125, 1e-12);

    /* A misspelt key inside an op entry is located. */
    p = scratch_put("typo.yaml",
            "sku: typo\n"
            "title: t\n"
            "inherits: agx64\n"
            "pva:\n"
            "  ops:\n"
            "    stereo: {cycles: 32}\n");
    diag_clear(&d);
    ck_assert_int_lt(sku_load(p, &s, &d), 0);
    diag_format(&d, msg, sizeof msg);
    snprintf(want, sizeof want, "%s:6:14: error: unknown key 'cycles' in pva.ops.stereo", p);
    ck_assert_msg(strstr(msg, want) != NULL, "'%s' not in: %s", want, msg);

    /* Giving a PVA to a module without one needs the whole table. */
    p = scratch_put("nano-pva.yaml",
            "sku: nano-pva\n"
            "title: t\n"
            "inherits: nano8\n"
            "pva: {count: 1, max_clock: 704 MHz, axi_max_clock: 486.4 MHz}\n");
    diag_clear(&d);
    ck_assert_int_lt(sku_load(p, &s, &d), 0);
    diag_format(&d, msg, sizeof msg);
    ck_assert_msg(strstr(msg, "pva count is 1 but its cost table is incomplete") != NULL,
                  "%s", msg);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pva");
    TCase *tc = tcase_create("timing");
    tcase_add_test(tc, test_compute_bound_stereo);
    tcase_add_test(tc, test_dma_bound_color_convert);
    tcase_add_test(tc, test_dma_bus_share);
    tcase_add_test(tc, test_vpu_total_cycles);
    tcase_add_test(tc, test_overhead_and_fifo);
    tcase_add_test(tc, test_idle_gap_busy_frac);
    suite_add_tcase(s, tc);
    tc = tcase_create("cost");
    tcase_add_test(tc, test_kernel_and_disparity_scaling);
    tcase_add_test(tc, test_resize_and_pixel_bytes);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_submit_rejects_bad_op);
    suite_add_tcase(s, tc);
    tc = tcase_create("config");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_config_agx64_modes);
    tcase_add_test(tc, test_config_30w_vs_50w_compute_bound);
    tcase_add_test(tc, test_config_every_module);
    tcase_add_test(tc, test_config_overrides_and_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
