/*
 * DLA model tests: the MAC array's rate and utilisation, the SRAM's passes, 2:4 sparsity,
 * the post-processing units, overheads, clock scaling, the DLA's restrictions and sharing
 * of the DRAM bus, each against its analytical value. The spec below is one AGX Orin 64GB
 * DLA in MAXN written out by hand (the values of configs/agx64.yaml), so these tests do not
 * depend on configs/, except the last, which checks the loader's resolution of that file.
 */
#define _POSIX_C_SOURCE 200809L   /* mkdtemp */

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixtures.h"
#include "models/dla.h"
#include "models/dram.h"
#include "sim/sim.h"
#include "soc/sku/sku.h"

/* 256/8 x 2 x 3.2 GHz = 204.8 GB/s, far above one DLA's 64 GB/s port. */
static const dram_spec_t WIDE_BUS = {256, 3200e6, 1.0, 0};

static dla_layer_t conv(dtype_t t, int64_t c, int64_t k, int64_t hw, int64_t ksz, int64_t stride,
                        int64_t pad)
{
    dla_layer_t l;
    memset(&l, 0, sizeof l);
    l.kind = DLA_CONV;
    l.dtype = t;
    l.n = 1;
    l.c = c;
    l.k = k;
    l.h = l.w = hw;
    l.kh = l.kw = ksz;
    l.stride_h = l.stride_w = stride;
    l.pad_h = l.pad_w = pad;
    return l;
}

static dla_layer_t fc(int64_t c, int64_t k)
{
    dla_layer_t l;
    memset(&l, 0, sizeof l);
    l.kind = DLA_FC;
    l.dtype = DT_INT8;
    l.n = 1;
    l.c = c;
    l.h = l.w = 1;
    l.k = k;
    return l;
}

static dla_layer_t pointwise(dla_layer_kind_t kind, dtype_t t, int64_t c, int64_t hw)
{
    dla_layer_t l;
    memset(&l, 0, sizeof l);
    l.kind = kind;
    l.dtype = t;
    l.n = 1;
    l.c = c;
    l.h = l.w = hw;
    return l;
}

static dla_cost_t cost_of(const dla_spec_t *s, const dla_layer_t *l)
{
    dla_cost_t c;
    char why[256] = "";
    ck_assert_msg(dla_layer_cost(s, l, &c, why, sizeof why) == 0, "unexpected: %s", why);
    return c;
}

static void near(double got, double want, double rel)
{
    ck_assert_msg(fabs(got - want) <= rel * fabs(want), "got %.9g, want %.9g (+-%g)", got,
                  want, rel);
}

/* ---- a small harness: DLAs on one DRAM bus ---- */

typedef struct fixture {
    sim_t *sim;
    dram_t dram;
    dla_t *dla[2];
    int done;
    sim_time_t t_done[2];
} fixture_t;

static void on_done(sim_t *s, void *ctx, uint64_t tag)
{
    fixture_t *f = ctx;
    f->t_done[tag] = sim_now(s);
    f->done++;
}

static void fx_init(fixture_t *f, const dla_spec_t *spec, const dram_spec_t *bus)
{
    memset(f, 0, sizeof *f);
    f->sim = sim_new();
    ck_assert_ptr_nonnull(f->sim);
    ck_assert_int_eq(dram_init(&f->dram, f->sim, bus), 0);
    for (int i = 0; i < 2; i++) {
        f->dla[i] = dla_new(f->sim, spec, &f->dram);
        ck_assert_ptr_nonnull(f->dla[i]);
    }
}

static void fx_free(fixture_t *f)
{
    for (int i = 0; i < 2; i++)
        dla_free(f->dla[i]);
    dram_free(&f->dram);
    sim_free(f->sim);
}

/* Seconds one task of n layers takes on DLA 0, starting now. */
static double run_task(fixture_t *f, const dla_layer_t *layers, int n)
{
    sim_time_t t0 = sim_now(f->sim);
    int before = f->done;
    ck_assert_int_eq(dla_submit(f->dla[0], layers, n, on_done, f, 0), 0);
    ck_assert(dla_busy(f->dla[0]));
    sim_run(f->sim, SIM_TIME_MAX);
    ck_assert_int_eq(f->done, before + 1);
    ck_assert(!dla_busy(f->dla[0]));
    return (double)(f->t_done[0] - t0) * 1e-12;
}

static double time_alone(const dla_spec_t *spec, const dram_spec_t *bus, const dla_layer_t *l,
                         int n)
{
    fixture_t f;
    double t;
    fx_init(&f, spec, bus);
    t = run_task(&f, l, n);
    fx_free(&f);
    return t;
}

static void noop(sim_t *s, void *c, uint64_t p)
{
    (void)s;
    (void)c;
    (void)p;
}

/* ---- the MAC array ---- */

START_TEST(test_conv_mac_bound)
{
    /* 256 -> 256, 3x3, pad 1 on 56x56, INT8: 56 x 56 x 256 x 256 x 9 = 1.850e9 MACs. The
     * channels are multiples of the atoms (64 in, 128 out), so every operation fills all
     * 8192 MACs: 1.850e9 / 8192 = 225792 cycles = 141.12 us at 1.6 GHz. Its traffic
     * (802816 B in + 802816 B out + 589824 B of weights = 2.20 MB) takes 34.3 us at
     * 64 GB/s, so the layer is MAC-bound. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = conv(DT_INT8, 256, 256, 56, 3, 1, 1);
    dla_cost_t c = cost_of(&s, &l);
    fixture_t f;
    double t;
    ck_assert(c.macs == 1849688064.0);
    ck_assert(c.cycles == 225792.0);
    ck_assert(c.utilisation == 1.0);
    ck_assert_int_eq(c.passes, 1);
    ck_assert(c.weight_bytes == 589824.0);
    ck_assert(c.dram_bytes == 802816.0 * 2 + 589824.0);
    near(dla_layer_seconds(&s, &c, 0), 141.12e-6, 1e-12);

    fx_init(&f, &s, &WIDE_BUS);
    t = run_task(&f, &l, 1);
    near(t, 141.12e-6, 1e-8);
    /* The array ran the whole time at full utilisation and did all the layer's MACs. */
    near(dla_mac_frac(f.dla[0], 0), 1.0, 1e-6);
    near(dla_busy_frac(f.dla[0], 0), 1.0, 1e-9);
    ck_assert(dla_macs_done(f.dla[0]) == 1849688064.0);
    /* Idle for as long again: both fractions halve. */
    sim_schedule(f.sim, f.t_done[0], noop, NULL, 0);
    sim_run(f.sim, SIM_TIME_MAX);
    near(dla_busy_frac(f.dla[0], 0), 0.5, 1e-6);
    near(dla_mac_frac(f.dla[0], 0), 0.5, 1e-6);
    fx_free(&f);
}
END_TEST

START_TEST(test_first_conv_low_utilisation)
{
    /* 3 -> 64, 7x7, stride 2, pad 3 on 224x224 (ResNet's first layer): output 112x112,
     * 112 x 112 x 49 x 3 x 64 = 118.0e6 MACs. Without packing, each operation costs a
     * whole 64 x 128 atom for one tap, of which 3 input and 64 output channels are used:
     * utilisation = 3 x 64 / 8192 = 2.34 %, 112 x 112 x 49 = 614656 cycles. With 4 kernel
     * rows packed into the atom (3 channels x 4 rows = 12 of 64 lanes), the 7 rows take
     * ceil(7/4) = 2 operations per column: 112 x 112 x 2 x 7 = 175616 cycles, utilisation
     * 49 x 3 x 64 / (14 x 8192) = 8.2 %: still low. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = conv(DT_INT8, 3, 64, 224, 7, 2, 3);
    dla_cost_t c = cost_of(&s, &l);
    ck_assert_int_eq(dla_layer_shape(&s, &l, NULL, 0), 0);
    ck_assert_int_eq(l.out_h, 112);
    ck_assert_int_eq(l.out_w, 112);
    ck_assert(c.cycles == 175616.0);
    ck_assert(c.macs == 112.0 * 112 * 49 * 3 * 64);
    ck_assert(c.utilisation == 49.0 * 3 * 64 / (14 * 8192));
    s.tap_fold_max = 0;
    c = cost_of(&s, &l);
    ck_assert(c.cycles == 614656.0);
    ck_assert(c.utilisation == 3.0 * 64 / 8192);
    /* A 1x1 kernel has no rows to pack; a 64-channel layer fills the atom already. */
    s.tap_fold_max = 4;
    l = conv(DT_INT8, 3, 64, 224, 1, 1, 0);
    ck_assert(cost_of(&s, &l).cycles == 224.0 * 224);
    l = conv(DT_INT8, 64, 64, 56, 7, 1, 3);
    ck_assert(cost_of(&s, &l).cycles == 3136.0 * 49);
}
END_TEST

START_TEST(test_depthwise_and_grouped)
{
    /* Depthwise 3x3 over 256 channels on 56x56: each group is 1 channel in, 1 out. Groups
     * share an operation block-diagonally, min(64, 128) = 64 of them, so only the
     * diagonal's 64 of 8192 MACs work: utilisation 1/128, and 256 / 64 = 4 operations per
     * pixel and tap: 3136 x 9 x 4 = 112896 cycles. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = conv(DT_INT8, 256, 256, 56, 3, 1, 1);
    dla_cost_t c;
    l.groups = 256;
    c = cost_of(&s, &l);
    ck_assert(c.cycles == 3136.0 * 9 * 4);
    ck_assert(c.utilisation == 1.0 / 128);
    ck_assert(c.weight_bytes == 9.0 * 256);
    /* 32 groups of 4 -> 4 channels (ResNeXt's first stage): 16 groups fit an operation
     * (64 / 4 input lanes), using 16 x 4 x 4 = 256 of 8192 MACs: 1/32; 2 operations per
     * pixel and tap. */
    l = conv(DT_INT8, 128, 128, 56, 3, 1, 1);
    l.groups = 32;
    c = cost_of(&s, &l);
    ck_assert(c.cycles == 3136.0 * 9 * 2);
    ck_assert(c.utilisation == 1.0 / 32);
}
END_TEST

START_TEST(test_fp16_rate)
{
    /* FP16 runs at 512 MAC/clk, 1/16 of INT8, with a 32-channel atom (the data path holds
     * half as many 2-byte values): 3136 x 9 x (256/32) x (256/128) = 451584 operations of
     * 32 x 128 / 512 = 8 cycles = 3612672 cycles, 16x the INT8 layer, at full utilisation
     * of the FP16 rate. Tensors and weights take twice the bytes. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = conv(DT_FP16, 256, 256, 56, 3, 1, 1);
    dla_cost_t c = cost_of(&s, &l);
    ck_assert(c.cycles == 16.0 * 225792);
    ck_assert(c.utilisation == 1.0);
    ck_assert(c.weight_bytes == 2.0 * 589824);
}
END_TEST

START_TEST(test_shapes)
{
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = conv(DT_INT8, 64, 64, 56, 3, 1, 2);
    dla_cost_t c;
    /* Dilation 2 spans 5 pixels: (56 + 4 - 5) / 1 + 1 = 56. */
    l.dil_h = l.dil_w = 2;
    ck_assert_int_eq(dla_layer_shape(&s, &l, NULL, 0), 0);
    ck_assert_int_eq(l.out_h, 56);
    /* Deconv 256 -> 128, 2x2, stride 2 on 28x28: (28 - 1) x 2 + 2 = 56. The array walks
     * the 784 input pixels with 4 taps each: 784 x 4 x (256/64) x (128/128) = 12544
     * cycles for 784 x 4 x 256 x 128 MACs, a full array. */
    l = conv(DT_INT8, 256, 128, 28, 2, 2, 0);
    l.kind = DLA_DECONV;
    ck_assert_int_eq(dla_layer_shape(&s, &l, NULL, 0), 0);
    ck_assert_int_eq(l.out_h, 56);
    ck_assert_int_eq(l.out_w, 56);
    c = cost_of(&s, &l);
    ck_assert(c.cycles == 12544.0);
    ck_assert(c.macs == 784.0 * 4 * 256 * 128);
    ck_assert(c.utilisation == 1.0);
    /* Max pooling 3x3, stride 2, pad 1 on 112x112: (112 + 2 - 3) / 2 + 1 = 56; the PDP
     * reads each of 64 x 112 x 112 input elements at 8 per clock: 100352 cycles. */
    l = pointwise(DLA_POOL, DT_INT8, 64, 112);
    l.kh = l.kw = 3;
    l.stride_h = l.stride_w = 2;
    l.pad_h = l.pad_w = 1;
    ck_assert_int_eq(dla_layer_shape(&s, &l, NULL, 0), 0);
    ck_assert_int_eq(l.out_h, 56);
    c = cost_of(&s, &l);
    ck_assert(c.cycles == 64.0 * 112 * 112 / 8);
    ck_assert(c.dram_bytes == 64.0 * (112 * 112 + 56 * 56));
    ck_assert(c.utilisation == 0);
    /* Nearest resize x2 doubles H and W. */
    l = pointwise(DLA_RESIZE, DT_INT8, 64, 20);
    l.scale_h = l.scale_w = 2;
    ck_assert_int_eq(dla_layer_shape(&s, &l, NULL, 0), 0);
    ck_assert_int_eq(l.out_h, 40);
    /* FC flattens C x H x W = 512 x 7 x 7 = 25088 features; output 1x1. */
    l = fc(512, 1000);
    l.h = l.w = 7;
    ck_assert_int_eq(dla_layer_shape(&s, &l, NULL, 0), 0);
    ck_assert_int_eq(l.out_h, 1);
    c = cost_of(&s, &l);
    ck_assert(c.weight_bytes == 25088.0 * 1000);
    ck_assert(c.cycles == (25088.0 / 64) * 8);   /* 392 C-atoms x ceil(1000/128) = 8 */
}
END_TEST

/* ---- memory ---- */

START_TEST(test_eltwise_bandwidth_bound)
{
    /* FP16 sum of two 256 x 128 x 128 tensors: 4194304 elements, 2 read + 1 written at 2 B
     * = 25165824 B. The SDP needs 4194304 / 16 = 262144 cycles = 163.8 us; the traffic at
     * the DLA's 64 GB/s port takes 393.2 us: bandwidth-bound. On a bus slower than the
     * port, 64 bit x 2 x 2133 MHz = 34.128 GB/s, the bus sets it: 737.4 us. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = pointwise(DLA_ELTWISE, DT_FP16, 256, 128);
    dram_spec_t narrow = {64, 2133e6, 1.0, 0};
    dla_cost_t c = cost_of(&s, &l);
    ck_assert(c.dram_bytes == 25165824.0);
    ck_assert(c.cycles == 262144.0);
    near(time_alone(&s, &WIDE_BUS, &l, 1), 25165824.0 / 64e9, 1e-8);
    near(time_alone(&s, &narrow, &l, 1), 25165824.0 / 34.128e9, 1e-8);
    near(dla_layer_seconds(&s, &c, 34.128e9), 25165824.0 / 34.128e9, 1e-12);
}
END_TEST

START_TEST(test_fc_weight_bound)
{
    /* FC 4096 -> 4096, INT8, batch 1: 16.8 MB of weights for 16.8e6 MACs. The array needs
     * (4096/64) x (4096/128) = 2048 cycles = 1.28 us, but the weights take
     * (16777216 + 4096 + 4096) B / 64 GB/s = 262.27 us: weight-bandwidth-bound, and the
     * array is busy 1.28 / 262.27 = 0.49 % of the time. The 4 KiB input stays in the SRAM
     * while the weights stream past once: one pass. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = fc(4096, 4096);
    dla_cost_t c = cost_of(&s, &l);
    fixture_t f;
    double want = (16777216.0 + 8192) / 64e9, t;
    ck_assert(c.cycles == 2048.0);
    ck_assert_int_eq(c.passes, 1);
    ck_assert(c.dram_bytes == 16777216.0 + 8192);
    fx_init(&f, &s, &WIDE_BUS);
    t = run_task(&f, &l, 1);
    near(t, want, 1e-8);
    near(dla_mac_frac(f.dla[0], 0), 1.28e-6 / want, 1e-6);
    fx_free(&f);
}
END_TEST

START_TEST(test_sram_passes)
{
    /* 512 -> 512, 3x3 on 56x56, INT8: weights W = 9 x 512 x 512 = 2359296 B and input
     * In = 512 x 56 x 56 = 1605632 B, neither fits the 1 MiB SRAM.
     *   A (weight slices, input re-read): the input window is 3 rows = 512 x 56 x 3 = 86016 B,
     *     P = ceil(2359296 / (1048576 - 86016)) = 3, traffic W + 3 In + Out = 8781824 B;
     *   B (input bands, weights re-read): the weight window is 9 x 512 x 128 = 589824 B,
     *     P = ceil(1605632 / (1048576 - 589824)) = 4, traffic In + 4 W + Out = 12648448 B.
     * A is cheaper: 3 passes, 8781824 B. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = conv(DT_INT8, 512, 512, 56, 3, 1, 1);
    dla_cost_t c = cost_of(&s, &l);
    ck_assert_int_eq(c.passes, 3);
    ck_assert(c.dram_bytes == 8781824.0);
    /* The same weights on a 14x14 input (100352 B): the input stays resident and the weights
     * stream past once (B, one pass): 2359296 + 2 x 100352 = 2560000 B. Weights over 1 MiB
     * alone do not force a re-read. */
    l = conv(DT_INT8, 512, 512, 14, 3, 1, 1);
    c = cost_of(&s, &l);
    ck_assert_int_eq(c.passes, 1);
    ck_assert(c.dram_bytes == 2560000.0);
    /* A layer that fits: one pass, every byte once. */
    l = conv(DT_INT8, 64, 64, 56, 3, 1, 1);
    c = cost_of(&s, &l);
    ck_assert_int_eq(c.passes, 1);
    ck_assert(c.dram_bytes == 2.0 * 64 * 56 * 56 + 9 * 64 * 64);
}
END_TEST

/* ---- 2:4 sparsity ---- */

static double speedup(const dla_spec_t *s, dla_layer_t l)
{
    double dense, sparse;
    l.sparse = 0;
    dense = time_alone(s, &WIDE_BUS, &l, 1);
    l.sparse = 1;
    sparse = time_alone(s, &WIDE_BUS, &l, 1);
    return dense / sparse;
}

START_TEST(test_sparse_compute_bound)
{
    /* The MAC-bound 256 -> 256 3x3 conv: sparse atoms hold 128 logical channels, so
     * 225792 / 2 = 112896 cycles = 70.56 us, while its traffic (802816 x 2 + 589824 / 2 B
     * = 1.90 MB) takes 29.7 us: still MAC-bound, a 2x speed-up. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = conv(DT_INT8, 256, 256, 56, 3, 1, 1);
    dla_cost_t c;
    l.sparse = 1;
    c = cost_of(&s, &l);
    ck_assert(c.sparse);
    ck_assert(c.cycles == 112896.0);
    ck_assert(c.weight_bytes == 294912.0);
    ck_assert(c.utilisation == 1.0);
    near(speedup(&s, l), 2.0, 1e-6);
}
END_TEST

START_TEST(test_sparse_memory_bound)
{
    /* 1x1 256 -> 256 on 56x56: math 3136 x 4 x 2 = 25088 cycles = 15.7 us, traffic
     * 1605632 + 65536 B = 26.1 us: memory-bound. Sparse halves the math (7.8 us) and the
     * weights, but the activations dominate: 1605632 + 32768 B = 25.6 us, a 1.02x
     * speed-up. This is why NVIDIA's dense-to-sparse gains are only 1.24-1.47x [S2]. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = conv(DT_INT8, 256, 256, 56, 1, 1, 0);
    near(speedup(&s, l), (1605632.0 + 65536) / (1605632.0 + 32768), 1e-6);
}
END_TEST

START_TEST(test_sparse_needs_wide_channels)
{
    /* C = 64 (not > 64): the weights stay dense and one atom already holds every channel,
     * so cost and time are identical: exactly 1x. So for FP16 (2:4 is an INT8 mode). */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = conv(DT_INT8, 64, 64, 56, 3, 1, 1);
    dla_cost_t d, c;
    d = cost_of(&s, &l);
    l.sparse = 1;
    c = cost_of(&s, &l);
    ck_assert(!c.sparse);
    ck_assert(c.cycles == d.cycles && c.dram_bytes == d.dram_bytes);
    ck_assert(speedup(&s, l) == 1.0);
    l = conv(DT_FP16, 256, 256, 56, 3, 1, 1);
    l.sparse = 1;
    ck_assert(!cost_of(&s, &l).sparse);
}
END_TEST

START_TEST(test_sparse_block_between)
{
    /* A ResNet bottleneck on 56x56 (1x1 256->64, 3x3 64->64, 1x1 64->256, residual sum):
     * only the first layer has C > 64, and the block moves its activations through DRAM,
     * so the task gains far less than 2x but more than nothing. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t b[4];
    double dense, sparse;
    b[0] = conv(DT_INT8, 256, 64, 56, 1, 1, 0);
    b[1] = conv(DT_INT8, 64, 64, 56, 3, 1, 1);
    b[2] = conv(DT_INT8, 64, 256, 56, 1, 1, 0);
    b[3] = pointwise(DLA_ELTWISE, DT_INT8, 256, 56);
    dense = time_alone(&s, &WIDE_BUS, b, 4);
    for (int i = 0; i < 3; i++)
        b[i].sparse = 1;
    sparse = time_alone(&s, &WIDE_BUS, b, 4);
    ck_assert_msg(dense / sparse > 1.0 && dense / sparse < 1.5, "speed-up %g", dense / sparse);
}
END_TEST

/* ---- overheads and clocks ---- */

START_TEST(test_overheads)
{
    /* A task of 3 weight-bound FCs (262.272 us each) with 20 us per task and 1.5 us per
     * layer: 20 + 3 x (262.272 + 1.5) = 811.316 us. An empty task costs its overhead. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l[3] = {fc(4096, 4096), fc(4096, 4096), fc(4096, 4096)};
    s.task_overhead_s = 20e-6;
    s.layer_overhead_s = 1.5e-6;
    near(time_alone(&s, &WIDE_BUS, l, 3), 20e-6 + 3 * ((16777216.0 + 8192) / 64e9 + 1.5e-6),
         1e-8);
    near(time_alone(&s, &WIDE_BUS, NULL, 0), 20e-6, 1e-9);
}
END_TEST

START_TEST(test_clock_scaling)
{
    /* At half the clock (800 MHz) the MAC-bound conv takes 2 x 141.12 us; the
     * bandwidth-bound eltwise (393.2 us of traffic, 327.7 us of SDP work at 800 MHz) does
     * not change. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t cv = conv(DT_INT8, 256, 256, 56, 3, 1, 1);
    dla_layer_t ew = pointwise(DLA_ELTWISE, DT_FP16, 256, 128);
    fixture_t f;
    fx_init(&f, &s, &WIDE_BUS);
    near(run_task(&f, &cv, 1), 141.12e-6, 1e-8);
    near(run_task(&f, &ew, 1), 25165824.0 / 64e9, 1e-8);
    dla_set_clock(f.dla[0], 0.8e9);
    near(run_task(&f, &cv, 1), 282.24e-6, 1e-8);
    near(run_task(&f, &ew, 1), 25165824.0 / 64e9, 1e-8);
    fx_free(&f);
}
END_TEST

START_TEST(test_two_dlas_share_bus)
{
    /* Both DLAs run the 25.2 MB eltwise on a bus delivering 256/8 x 2 x 2133 MHz x 0.746 =
     * 101.84 GB/s, less than their two 64 GB/s ports: max-min fairness gives each half,
     * 50.92 GB/s, and both finish together after 494.2 us instead of 393.2 us alone. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = pointwise(DLA_ELTWISE, DT_FP16, 256, 128);
    dram_spec_t bus = {256, 2133e6, 0.746, 0};
    double bw = dram_achievable_Bps(&bus), want = 25165824.0 / (bw / 2);
    fixture_t f;
    near(bw, 101.838e9, 1e-4);
    fx_init(&f, &s, &bus);
    ck_assert_int_eq(dla_submit(f.dla[0], &l, 1, on_done, &f, 0), 0);
    ck_assert_int_eq(dla_submit(f.dla[1], &l, 1, on_done, &f, 1), 0);
    /* One task at a time per DLA: the caller queues. */
    ck_assert_int_eq(dla_submit(f.dla[0], &l, 1, on_done, &f, 0), -1);
    sim_run(f.sim, SIM_TIME_MAX);
    ck_assert_int_eq(f.done, 2);
    near((double)f.t_done[0] * 1e-12, want, 1e-8);
    near((double)f.t_done[1] * 1e-12, want, 1e-8);
    ck_assert(want > 1.25 * 25165824.0 / 64e9);
    fx_free(&f);
}
END_TEST

START_TEST(test_free_while_running)
{
    /* Freeing a DLA mid-task withdraws its flows from the shared bus: the other DLA then
     * has the port-limited 64 GB/s to itself for the rest of its traffic. */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = pointwise(DLA_ELTWISE, DT_FP16, 256, 128);
    dram_spec_t bus = {256, 2133e6, 0.746, 0};
    fixture_t f;
    fx_init(&f, &s, &bus);
    ck_assert_int_eq(dla_submit(f.dla[0], &l, 1, on_done, &f, 0), 0);
    ck_assert_int_eq(dla_submit(f.dla[1], &l, 1, on_done, &f, 1), 0);
    sim_run(f.sim, 100 * SIM_US);
    dla_free(f.dla[1]);
    f.dla[1] = NULL;
    sim_run(f.sim, SIM_TIME_MAX);
    ck_assert_int_eq(f.done, 1);
    ck_assert(f.t_done[0] < (sim_time_t)(25165824.0 / (dram_achievable_Bps(&bus) / 2) * 1e12));
    fx_free(&f);
}
END_TEST

/* ---- restrictions ---- */

static void rejects(const dla_layer_t *l, const char *want)
{
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t copy = *l;
    dla_cost_t c;
    char why[256] = "";
    sim_t *sim = sim_new();
    dram_t dram;
    dla_t *d;
    ck_assert_int_eq(dla_layer_shape(&s, &copy, why, sizeof why), -1);
    ck_assert_msg(strstr(why, want) != NULL, "'%s' does not mention '%s'", why, want);
    ck_assert_int_eq(dla_layer_cost(&s, l, &c, NULL, 0), -1);
    ck_assert_int_eq(dram_init(&dram, sim, &WIDE_BUS), 0);
    d = dla_new(sim, &s, &dram);
    ck_assert_int_eq(dla_submit(d, l, 1, on_done, NULL, 0), -1);
    ck_assert(!dla_busy(d));
    dla_free(d);
    dram_free(&dram);
    sim_free(sim);
}

START_TEST(test_unsupported)
{
    dla_layer_t l;
    l = conv(DT_FP32, 64, 64, 56, 3, 1, 1);
    rejects(&l, "int8 and fp16 only");
    l = conv(DT_BF16, 64, 64, 56, 3, 1, 1);
    rejects(&l, "int8 and fp16 only");
    l = conv(DT_INT8, 64, 64, 56, 3, 1, 1);
    l.n = 4097;
    rejects(&l, "batches of 1 to 4096");
    l = conv(DT_INT8, 64, 64, 56, 3, 1, 1);
    l.w = 8193;
    rejects(&l, "1 to 8192");
    l = conv(DT_INT8, 64, 9000, 56, 3, 1, 1);
    rejects(&l, "output channels");
    l = conv(DT_INT8, 64, 64, 56, 33, 1, 1);
    rejects(&l, "kernels of 1 to 32");
    l = conv(DT_INT8, 64, 64, 56, 3, 9, 1);
    rejects(&l, "strides of 1 to 8");
    l = conv(DT_INT8, 64, 64, 56, 3, 1, 1);
    l.groups = 3;
    rejects(&l, "must divide");
    l = conv(DT_INT8, 64, 64, 4, 7, 1, 0);
    rejects(&l, "does not fit");
    l = conv(DT_INT8, 64, 64, 28, 2, 2, 0);
    l.kind = DLA_DECONV;
    l.groups = 2;
    rejects(&l, "no grouped deconvolution");
    l.groups = 1;
    l.dil_h = 2;
    rejects(&l, "no dilated deconvolution");
    l.dil_h = 1;
    l.pad_h = 1;
    rejects(&l, "padding must be 0");
    /* a deconvolution whose output exceeds 8192: (4097 - 1) x 2 + 2 = 8194 */
    l = conv(DT_INT8, 8, 8, 4097, 2, 2, 0);
    l.kind = DLA_DECONV;
    rejects(&l, "output 8194x8194");
    l = pointwise(DLA_ACTIVATION, DT_INT8, 64, 56);
    l.func = DLA_ACT_GELU;
    rejects(&l, "'gelu'");
    l.func = DLA_ACT_SILU;
    rejects(&l, "'silu'");
    l = pointwise(DLA_POOL, DT_INT8, 64, 56);
    l.kh = l.kw = 9;
    rejects(&l, "windows of 1 to 8");
    l.kh = l.kw = 2;
    l.func = DLA_POOL_MAX_AVG_BLEND;
    rejects(&l, "max or average only");
    l = pointwise(DLA_SOFTMAX, DT_FP16, 64, 56);
    l.axis = DLA_AXIS_W;
    rejects(&l, "channel axis only");
    l = pointwise(DLA_CONCAT, DT_INT8, 64, 56);
    l.axis = DLA_AXIS_H;
    rejects(&l, "channel axis only");
    l.axis = DLA_AXIS_C;
    l.inputs = 1;
    rejects(&l, "at least 2");
    l = pointwise(DLA_RESIZE, DT_INT8, 64, 56);
    l.func = DLA_RESIZE_CUBIC;
    l.scale_h = l.scale_w = 2;
    rejects(&l, "nearest or linear");
    l.func = DLA_RESIZE_LINEAR;
    l.scale_h = l.scale_w = 8;
    rejects(&l, "factors of 1 to 4");
    l.scale_h = l.scale_w = 0;
    rejects(&l, "integer factors");
    l = pointwise(DLA_ELTWISE, DT_INT8, 64, 56);
    l.inputs = 3;
    rejects(&l, "binary");
    l.inputs = 2;
    l.func = DLA_ELT_XOR;
    rejects(&l, "sum, sub, product");
    l.func = DLA_ELT_GREATER;
    l.dtype = DT_FP16;
    rejects(&l, "compares in INT8 only");
    l = pointwise(DLA_MATMUL, DT_INT8, 64, 56);
    rejects(&l, "two activations");
    l = pointwise(DLA_NORM, DT_FP16, 64, 56);
    rejects(&l, "normalisation");
}
END_TEST

START_TEST(test_supported_edges)
{
    /* The limits themselves are accepted: batch 4096, a 32x32 kernel, K = 8192, an INT8
     * comparison, PReLU (one slope per channel read as weights). */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = conv(DT_INT8, 16, 8192, 64, 32, 8, 0);
    dla_cost_t c;
    l.n = 4096;
    ck_assert_int_eq(dla_layer_shape(&s, &l, NULL, 0), 0);
    l = pointwise(DLA_ELTWISE, DT_INT8, 64, 56);
    l.func = DLA_ELT_GREATER;
    ck_assert_int_eq(dla_layer_shape(&s, &l, NULL, 0), 0);
    l = pointwise(DLA_ACTIVATION, DT_FP16, 64, 56);
    l.func = DLA_ACT_PRELU;
    c = cost_of(&s, &l);
    ck_assert(c.weight_bytes == 64.0 * 2);
    ck_assert(c.dram_bytes == 2.0 * 2 * 64 * 56 * 56 + 128);
}
END_TEST

/* ---- the shipped configs ---- */

START_TEST(test_sku_resolves_dla)
{
    /* agx64 MAXN: DLA at 1.6 GHz with 8192 INT8 MAC/clk: 2 DLAs x 8192 x 2 OP x 2 (sparse)
     * x 1.6 GHz = 104.9 TOPS, NVIDIA's 105 [S2]. The per-layer overhead is 1000 Falcon
     * cycles at the mode's Falcon cap: 1000 / 729.6 MHz = 1.371 us in MAXN, 1000 / 294.4 MHz
     * = 3.397 us in 15W, where the core runs at 614.4 MHz. Nano has no DLA. */
    sku_t sku;
    soc_config_t c;
    diag_t d;
    diag_clear(&d);
    ck_assert_int_eq(sku_load("agx64", &sku, &d), 0);
    ck_assert_int_eq(sku_resolve(&sku, "MAXN", &c, &d), 0);
    ck_assert_int_eq(c.dlas, 2);
    ck_assert(c.dla.clock_hz == 1600e6);
    ck_assert(c.dla.int8_macs_per_clk == 8192 && c.dla.fp16_macs_per_clk == 512);
    ck_assert_int_eq(c.dla.atom_c, 64);
    ck_assert_int_eq(c.dla.atom_k, 128);
    ck_assert_int_eq(c.dla.tap_fold_max, 4);
    ck_assert(c.dla.sram_bytes == 1048576);
    ck_assert(c.dla.dram_Bps == 64e9);
    ck_assert_int_eq(c.dla.sparse_min_c, 64);
    near(c.dlas * c.dla.int8_macs_per_clk * 2 * c.dla.sparse_factor * c.dla.clock_hz, 104.86e12,
         1e-4);
    near(c.dla.layer_overhead_s, 1000 / 729.6e6, 1e-12);
    near(c.dla.task_overhead_s, 20e-6, 1e-12);
    ck_assert_int_eq(sku_resolve(&sku, "15W", &c, &d), 0);
    ck_assert(c.dla.clock_hz == 614.4e6);
    near(c.dla.layer_overhead_s, 1000 / 294.4e6, 1e-12);
    ck_assert_int_eq(sku_load("nano8", &sku, &d), 0);
    ck_assert_int_eq(sku_resolve(&sku, NULL, &c, &d), 0);
    ck_assert_int_eq(c.dlas, 0);
    ck_assert(c.dla.int8_macs_per_clk == 0 && c.dla.clock_hz == 0);
}
END_TEST

/* Load a SKU file written to a fresh directory; returns the load's result. */
static int load_text(const char *text, sku_t *sku, diag_t *d)
{
    char dir[] = "/tmp/test_dla_XXXXXX", path[64];
    FILE *f;
    int rc;
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/x.yaml", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    diag_clear(d);
    rc = sku_load(path, sku, d);
    unlink(path);
    rmdir(dir);
    return rc;
}

START_TEST(test_sku_dla_keys)
{
    /* A child overrides one DLA key and keeps the rest; a module given DLAs without their
     * hardware description is refused; setting the count to 0 clears the description. */
    sku_t sku;
    soc_config_t c;
    diag_t d;
    char msg[1024];
    ck_assert_int_eq(load_text("sku: x\ntitle: x\ninherits: agx64\n"
                               "dla: {dram_bandwidth: 32 GB/s}\n", &sku, &d), 0);
    ck_assert(sku.dla.dram_Bps == 32e9 && sku.dla.int8_macs_per_clk == 8192);
    ck_assert(sku.dla.clock_hz == 1600e6);
    ck_assert_int_eq(load_text("sku: x\ntitle: x\ninherits: nano8\n"
                               "dla: {count: 2, max_clock: 1 GHz, falcon_max_clock: 500 MHz}\n",
                               &sku, &d), DIAG_ERR);
    diag_format(&d, msg, sizeof msg);
    ck_assert_msg(strstr(msg, "x.yaml:4:6") && strstr(msg, "hardware"), "%s", msg);
    ck_assert_int_eq(load_text("sku: x\ntitle: x\ninherits: agx64\ndla: {count: 0}\n"
                               "modes: [{name: A, id: 0, bsp: jp5}]\ndefault_mode: A\n",
                               &sku, &d), 0);
    ck_assert(sku.dla.int8_macs_per_clk == 0 && sku.dla.sram_bytes == 0);
    ck_assert_int_eq(sku_resolve(&sku, NULL, &c, &d), 0);
    ck_assert(c.dla.clock_hz == 0);
    ck_assert_int_eq(load_text("sku: x\ntitle: x\ninherits: agx64\ndla: {sram: -1 MiB}\n",
                               &sku, &d), DIAG_ERR);
}
END_TEST

/* ---- plans kept between tasks ---- */

START_TEST(test_plan_follows_the_layers)
{
    /* The DLA keeps each task's costs for the next frame. The same array run twice takes
     * the same time (141.12 us, as in test_conv_mac_bound); the same array changed in
     * place to twice the output channels (512: twice the MACs, each fills the array the
     * same way) must be costed afresh: 2 x 225792 cycles = 282.24 us at 1.6 GHz, still
     * MAC-bound (traffic 802816 + 1605632 + 1179648 B = 3.59 MB, 56 us at 64 GB/s). */
    dla_spec_t s = fixture_agx_dla();
    dla_layer_t l = conv(DT_INT8, 256, 256, 56, 3, 1, 1);
    fixture_t f;
    fx_init(&f, &s, &WIDE_BUS);
    double t1 = run_task(&f, &l, 1);
    double t2 = run_task(&f, &l, 1);
    near(t1, 141.12e-6, 1e-8);
    ck_assert(t1 == t2);
    l.k = 512;
    near(run_task(&f, &l, 1), 282.24e-6, 1e-8);
    fx_free(&f);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("dla");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, test_conv_mac_bound);
    tcase_add_test(tc, test_first_conv_low_utilisation);
    tcase_add_test(tc, test_depthwise_and_grouped);
    tcase_add_test(tc, test_fp16_rate);
    tcase_add_test(tc, test_shapes);
    tcase_add_test(tc, test_eltwise_bandwidth_bound);
    tcase_add_test(tc, test_fc_weight_bound);
    tcase_add_test(tc, test_sram_passes);
    tcase_add_test(tc, test_sparse_compute_bound);
    tcase_add_test(tc, test_sparse_memory_bound);
    tcase_add_test(tc, test_sparse_needs_wide_channels);
    tcase_add_test(tc, test_sparse_block_between);
    tcase_add_test(tc, test_overheads);
    tcase_add_test(tc, test_clock_scaling);
    tcase_add_test(tc, test_two_dlas_share_bus);
    tcase_add_test(tc, test_free_while_running);
    tcase_add_test(tc, test_unsupported);
    tcase_add_test(tc, test_supported_edges);
    tcase_add_test(tc, test_sku_resolves_dla);
    tcase_add_test(tc, test_sku_dla_keys);
    tcase_add_test(tc, test_plan_follows_the_layers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    int failed;
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
