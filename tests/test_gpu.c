/*
 * GPU model tests: occupancy, waves, compute/DRAM overlap, sparsity, concurrency and the
 * kernel lowering, each against its analytical value. The spec below is an AGX Orin
 * 64GB in MAXN written out by hand, so these tests do not depend on configs/.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/dram.h"
#include "models/gpu.h"
#include "models/kernels.h"
#include "sim/sim.h"

static gpu_spec_t agx_spec(void)
{
    gpu_spec_t s;
    memset(&s, 0, sizeof s);
    s.sms = 16;
    s.clock_hz = 1.3e9;
    s.cuda_flops_per_clk[DT_FP32] = 256;
    s.cuda_flops_per_clk[DT_FP16] = 256;
    s.tensor_flops_per_clk[DT_TF32] = 1024;
    s.tensor_flops_per_clk[DT_FP16] = 2048;
    s.tensor_flops_per_clk[DT_BF16] = 2048;
    s.tensor_flops_per_clk[DT_INT8] = 4096;
    s.tensor_flops_per_clk[DT_INT4] = 8192;
    s.sparse_factor = 2;
    s.sparse_meta_bits = 2;
    s.tensor_efficiency = 1.0;   /* exact arithmetic in tests */
    s.cuda_efficiency = 1.0;
    s.sfu_ops_per_clk = 16;
    s.warp_size = 32;
    s.max_threads_sm = 1536;
    s.max_ctas_sm = 16;
    s.max_threads_cta = 1024;
    s.regs_sm = 65536;
    s.max_regs_thread = 255;
    s.reg_alloc_unit = 256;
    s.smem_sm = 167936;
    s.smem_cta_max = 166912;
    s.smem_cta_reserved = 1024;
    s.warps_full_rate = 8;
    s.l2_bytes = 4194304;
    s.sm_dram_bytes_per_clk = 64;
    s.launch_overhead_s = 0;
    return s;
}

static dram_spec_t agx_dram(void)
{
    dram_spec_t d = {256, 3200e6, 1.0, 0};   /* 256/8 x 2 x 3.2e9 = 204.8 GB/s exactly */
    return d;
}

typedef struct fixture {
    sim_t *sim;
    dram_t dram;
    gpu_t *gpu;
    int done;
    sim_time_t t_done[4];
} fixture_t;

static void on_done(sim_t *s, void *ctx, uint64_t tag)
{
    fixture_t *f = ctx;
    f->t_done[tag] = sim_now(s);
    f->done++;
}

static void fx_init(fixture_t *f, const gpu_spec_t *g, const dram_spec_t *d)
{
    memset(f, 0, sizeof *f);
    f->sim = sim_new();
    ck_assert_int_eq(dram_init(&f->dram, f->sim, d), 0);
    f->gpu = gpu_new(f->sim, g, &f->dram);
    ck_assert_ptr_nonnull(f->gpu);
}

static void fx_free(fixture_t *f)
{
    gpu_free(f->gpu);
    dram_free(&f->dram);
    sim_free(f->sim);
}

static gpu_kernel_t kernel(int64_t ctas, int threads, double tensor_fp16, double bytes)
{
    gpu_kernel_t k;
    memset(&k, 0, sizeof k);
    k.ctas = ctas;
    k.threads = threads;
    k.regs = 32;
    k.tensor_flops[DT_FP16] = tensor_fp16;
    k.dram_bytes = bytes;
    return k;
}

static double kernel_time_s(const gpu_spec_t *s, const dram_spec_t *d, const gpu_kernel_t *k)
{
    fixture_t f;
    double t;
    fx_init(&f, s, d);
    gpu_launch(f.gpu, k, on_done, &f, 0);
    sim_run(f.sim, SIM_TIME_MAX);
    t = (double)f.t_done[0] * 1e-12;
    fx_free(&f);
    return t;
}

/* Relative closeness. */
static int near(double a, double b, double rel)
{
    return fabs(a - b) <= rel * fabs(b);
}

START_TEST(test_occupancy_limits)
{
    gpu_spec_t s = agx_spec();
    gpu_kernel_t k = kernel(1, 256, 0, 0);
    k.regs = 128;
    k.smem = 65536;
    /* threads: 1536 / 256 = 6; registers: 8 warps x (128 x 32 = 4096, already a multiple
     * of 256) = 32768 per CTA, 65536 / 32768 = 2; shared: 167936 / (65536 + 1024) = 2.52
     * -> 2; CTA limit 16. Occupancy = 2. */
    ck_assert_int_eq(gpu_occupancy(&s, &k, NULL, 0), 2);
    k.regs = 32;
    k.smem = 0;
    /* 32 regs: 8 x 1024 = 8192 per CTA -> 8 by registers; threads give 6. */
    ck_assert_int_eq(gpu_occupancy(&s, &k, NULL, 0), 6);
    k.threads = 32;
    /* 1 warp: threads allow 48, registers 64, CTA limit 16. */
    ck_assert_int_eq(gpu_occupancy(&s, &k, NULL, 0), 16);
    k.smem = 200000;   /* more than the SM has */
    ck_assert_int_eq(gpu_occupancy(&s, &k, NULL, 0), 0);
}
END_TEST

START_TEST(test_single_cta_compute)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    /* One CTA of 8 warps (full issue rate) with 2048 x 1.3e6 FP16 tensor FLOP needs
     * 1.3e6 cycles = 1.3e6 / 1.3e9 s = 1 ms. */
    gpu_kernel_t k = kernel(1, 256, 2048.0 * 1.3e6, 0);
    ck_assert(near(kernel_time_s(&s, &d, &k) * 1e12, 1e9, 1e-9));
}
END_TEST

START_TEST(test_waves)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    /* 33 CTAs, one per SM (shared memory forces occupancy 1), 1.3e5 cycles each = 100 us.
     * 16 SMs: waves of 16, 16, 1 -> 3 waves = 300 us. With 17 CTAs: 2 waves = 200 us. */
    gpu_kernel_t k = kernel(33, 256, 2048.0 * 1.3e5, 0);
    k.smem = 100000;
    ck_assert_int_eq(gpu_occupancy(&s, &k, NULL, 0), 1);
    ck_assert(near(kernel_time_s(&s, &d, &k) * 1e12, 300e6, 1e-9));

    k.ctas = 17;
    ck_assert(near(kernel_time_s(&s, &d, &k) * 1e12, 200e6, 1e-9));
}
END_TEST

START_TEST(test_fewer_sms_slower)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    /* 32 one-slot CTAs of 100 us: 16 SMs -> 2 waves (200 us); 14 SMs -> 3 waves (300 us). */
    gpu_kernel_t k = kernel(32, 256, 2048.0 * 1.3e5, 0);
    k.smem = 100000;
    s.sms = 14;
    ck_assert(near(kernel_time_s(&s, &d, &k) * 1e12, 300e6, 1e-9));
}
END_TEST

START_TEST(test_co_resident_share_sm)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    /* 32 CTAs of 8 warps with occupancy 6 on 16 SMs: 2 CTAs per SM, both at once, sharing
     * the SM's math: each 1.3e5-cycle CTA takes 200 us, and so does the kernel. */
    gpu_kernel_t k = kernel(32, 256, 2048.0 * 1.3e5, 0);
    ck_assert(near(kernel_time_s(&s, &d, &k) * 1e12, 200e6, 1e-9));
}
END_TEST

START_TEST(test_few_warps_cannot_fill_sm)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    /* A single CTA of 2 warps may issue at 2/8 of the SM rate: 1.3e5 cycles -> 400 us. */
    gpu_kernel_t k = kernel(1, 64, 2048.0 * 1.3e5, 0);
    ck_assert(near(kernel_time_s(&s, &d, &k) * 1e12, 400e6, 1e-9));
}
END_TEST

START_TEST(test_memory_bound_peak_bandwidth)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    fixture_t f;
    /* 96 CTAs x 2.048e6 B = 196.608 MB over 204.8 GB/s = 960 us (per-CTA ceilings
     * 64 B x 1.3 GHz = 83.2 GB/s never bind: 96 CTAs share 204.8 GB/s). */
    gpu_kernel_t k = kernel(96, 256, 0, 2.048e6);
    fx_init(&f, &s, &d);
    gpu_launch(f.gpu, &k, on_done, &f, 0);
    sim_run(f.sim, SIM_TIME_MAX);
    ck_assert(near((double)f.t_done[0], 960e6, 1e-6));
    ck_assert(near(dram_bytes_moved(&f.dram), 96 * 2.048e6, 1e-9));
    fx_free(&f);
}
END_TEST

START_TEST(test_compute_and_memory_overlap)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    /* 16 CTAs, one per SM: math 1.3e5 cycles = 100 us; DRAM 16 x 1.024e6 B at 204.8 GB/s
     * = 80 us. They overlap: the kernel takes max(100, 80) = 100 us, not 180 us. */
    gpu_kernel_t k = kernel(16, 256, 2048.0 * 1.3e5, 1.024e6);
    k.smem = 100000;
    ck_assert(near(kernel_time_s(&s, &d, &k) * 1e12, 100e6, 1e-6));
}
END_TEST

START_TEST(test_sparse_doubles_math_only)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    /* Compute-bound CTA: 2:4 sparse halves 1 ms to 0.5 ms. */
    gpu_kernel_t k = kernel(1, 256, 2048.0 * 1.3e6, 0);
    k.sparse = 1;
    ck_assert(near(kernel_time_s(&s, &d, &k) * 1e12, 0.5e9, 1e-9));
    /* Memory-bound kernel (same bytes, little math): sparse changes nothing. */
    k = kernel(96, 256, 1000, 2.048e6);
    k.sparse = 1;
    ck_assert(near(kernel_time_s(&s, &d, &k) * 1e12, 960e6, 1e-6));
}
END_TEST

START_TEST(test_concurrent_kernels_share)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    fixture_t f;
    /* Two memory-bound kernels of 96 x 1.024e6 B each, launched together: they share the
     * bus, so both finish at (2 x 98.304 MB) / 204.8 GB/s = 960 us. Alone, one takes 480 us. */
    gpu_kernel_t k = kernel(96, 128, 0, 1.024e6);
    fx_init(&f, &s, &d);
    gpu_launch(f.gpu, &k, on_done, &f, 0);
    gpu_launch(f.gpu, &k, on_done, &f, 1);
    sim_run(f.sim, SIM_TIME_MAX);
    ck_assert_int_eq(f.done, 2);
    ck_assert(near((double)f.t_done[0], 960e6, 1e-3));
    ck_assert(near((double)f.t_done[1], 960e6, 1e-3));
    fx_free(&f);
}
END_TEST

START_TEST(test_launch_overhead)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    /* 4 us launch overhead + 1 ms of math. */
    gpu_kernel_t k = kernel(1, 256, 2048.0 * 1.3e6, 0);
    s.launch_overhead_s = 4e-6;
    ck_assert(near(kernel_time_s(&s, &d, &k) * 1e12, 1.004e9, 1e-9));
}
END_TEST

START_TEST(test_time_slicing)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    fixture_t f;
    /* Slice 1 ms, switch 25 us. Kernel A (context 0): 640 CTAs of 75 us, one per SM
     * (occupancy 1) = 40 waves, 3 ms alone. Kernel B (context 1): 16 CTAs of 200 us, ready
     * at the same instant but after A, so A's context holds the GPU first.
     *   A's slice ends at 1 ms, 25 us into wave 14 (975-1050 us): its 16 CTAs are
     *   preempted with 50 us of work left each;
     *   switch -> B starts at 1.025 ms and ends at 1.225 ms;
     *   B's context, idle, keeps the GPU to the end of its slice, 1.025 + 1 = 2.025 ms;
     *   switch -> A resumes at 2.050 ms: the preempted CTAs end at 2.100 ms, then 26 waves
     *   of 75 us = 1.95 ms -> 4.050 ms (no work is lost: 3 ms of A + 1.05 ms away).
     * Two switches. */
    gpu_kernel_t a = kernel(640, 256, 2048.0 * 97500.0, 0);
    gpu_kernel_t b = kernel(16, 256, 2048.0 * 260000.0, 0);
    a.smem = b.smem = 100000;
    b.context = 1;
    s.timeslice_s = 1e-3;
    s.context_switch_s = 25e-6;
    fx_init(&f, &s, &d);
    gpu_launch(f.gpu, &a, on_done, &f, 0);
    gpu_launch(f.gpu, &b, on_done, &f, 1);
    sim_run(f.sim, SIM_TIME_MAX);
    ck_assert_int_eq(f.done, 2);
    ck_assert(near((double)f.t_done[1], 1.225e9, 1e-6));
    ck_assert(near((double)f.t_done[0], 4.050e9, 1e-6));
    ck_assert_uint_eq(gpu_stats(f.gpu)->context_switches, 2);
    fx_free(&f);

    /* The same two kernels in one context share the SMs and never switch: B's CTAs queue
     * behind A's (oldest kernel first), so A ends at 3 ms and B 200 us later. */
    b.context = 0;
    fx_init(&f, &s, &d);
    gpu_launch(f.gpu, &a, on_done, &f, 0);
    gpu_launch(f.gpu, &b, on_done, &f, 1);
    sim_run(f.sim, SIM_TIME_MAX);
    ck_assert(near((double)f.t_done[0], 3.0e9, 1e-6));
    ck_assert(near((double)f.t_done[1], 3.2e9, 1e-6));
    ck_assert_uint_eq(gpu_stats(f.gpu)->context_switches, 0);
    fx_free(&f);
}
END_TEST

START_TEST(test_zero_timeslice_is_a_stall)
{
    /* The model alone does not refuse a zero time slice and a free context switch (the
     * SKU loader does, soc/sku/sku.c): two contexts then hand the GPU back and forth at
     * t = 0 for ever. The engine's watchdog ends the run with a stall naming the GPU's
     * scheduling, after its limit of events at one instant (10^5 here, to be quick). */
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    fixture_t f;
    gpu_kernel_t a = kernel(64, 256, 2048.0 * 1000.0, 0);
    gpu_kernel_t b = a;
    b.context = 1;
    s.timeslice_s = 0;
    s.context_switch_s = 0;
    fx_init(&f, &s, &d);
    sim_set_limits(f.sim, 100000, 0, 0);
    gpu_launch(f.gpu, &a, on_done, &f, 0);
    gpu_launch(f.gpu, &b, on_done, &f, 1);
    sim_run(f.sim, SIM_TIME_MAX);
    ck_assert_int_eq(sim_fault(f.sim), SIM_FAULT_STALL);
    ck_assert_uint_eq(sim_now(f.sim), 0);
    ck_assert_ptr_nonnull(strstr(sim_fault_message(f.sim), "the GPU's time slices"));
    ck_assert_int_lt(f.done, 2);
    fx_free(&f);
}
END_TEST

/* ---- lowering ---- */


START_TEST(test_gemm_roofline)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    kern_env_t env = {&s, dram_achievable_Bps(&d)};
    kern_gemm_t g = {4096, 4096, 4096, 1, DT_FP16, 0, 0};
    gpu_kernel_t k;
    char why[128];
    double t, peak = 16 * 2048 * 1.3e9;   /* 42.6 TFLOPS */
    ck_assert_int_eq(kern_gemm(&env, &g, &k, why, sizeof why), 0);
    /* 2 x 4096^3 = 1.374e11 FLOP; at peak 3.23 ms. 4096 divides every tile shape, so no
     * padding: the simulated time may not beat the roofline and, compute-bound with whole
     * waves, should be within 15% of it. */
    ck_assert(near(k.useful_flops, 2.0 * 4096.0 * 4096.0 * 4096.0, 1e-12));
    t = kernel_time_s(&s, &d, &k);
    ck_assert(t >= k.useful_flops / peak * (1 - 1e-9));
    ck_assert(t <= k.useful_flops / peak * 1.15);
    /* DRAM bytes at least the compulsory traffic: A + B + C = 3 x 4096^2 x 2 B = 100.7 MB. */
    ck_assert(k.dram_bytes * (double)k.ctas >= 3.0 * 4096 * 4096 * 2);
}
END_TEST

/* K is padded to whole K slices of the MMA main loop: 64 B, so 32 fp16 or 64 int8 values.
 * A tile's math at K = 33 fp16 is that at K = 64 (two slices), and K = 65 takes three
 * (96): 1.5x. In int8, K = 65 takes two slices of 64 (128), twice K = 64. Large M and N keep
 * the split-K search out of it (tiles >= SMs), so the tile is the same in each pair. */
START_TEST(test_gemm_k_padded_to_slices)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    kern_env_t env = {&s, dram_achievable_Bps(&d)};
    char why[128];
    gpu_kernel_t a, b, c;
    kern_gemm_t g = {4096, 4096, 33, 1, DT_FP16, 0, 0};
    ck_assert_int_eq(kern_gemm(&env, &g, &a, why, sizeof why), 0);
    g.k = 64;
    ck_assert_int_eq(kern_gemm(&env, &g, &b, why, sizeof why), 0);
    g.k = 65;
    ck_assert_int_eq(kern_gemm(&env, &g, &c, why, sizeof why), 0);
    ck_assert(a.ctas == b.ctas && b.ctas == c.ctas && a.threads == c.threads);
    ck_assert(near(a.tensor_flops[DT_FP16], b.tensor_flops[DT_FP16], 1e-12));
    ck_assert(near(c.tensor_flops[DT_FP16], 1.5 * b.tensor_flops[DT_FP16], 1e-12));
    g.dtype = DT_INT8;
    g.k = 64;
    ck_assert_int_eq(kern_gemm(&env, &g, &b, why, sizeof why), 0);
    g.k = 65;
    ck_assert_int_eq(kern_gemm(&env, &g, &c, why, sizeof why), 0);
    ck_assert(b.ctas == c.ctas);
    ck_assert(near(c.tensor_flops[DT_INT8], 2.0 * b.tensor_flops[DT_INT8], 1e-12));
}
END_TEST

/* An implicit-GEMM convolution steps K tap by tap, each tap's channels in whole 64-byte K
 * slices (CUTLASS's implicit_gemm_k_iterations: R x S x ceil(C / slice)). A 3x3 conv with
 * 16 fp16 channels therefore does the MMA work of one with 32 (9 taps x 1 slice of 32 =
 * 288 per output, where K = 144 alone would pad to 160), and one with 33 channels that of
 * 64 (9 x 2 slices = 576). In int8 (slices of 64 values) 16 channels cost as much as 64.
 * 512 filters on 256 x 256 keep the tile the same in each pair (asserted). */
START_TEST(test_conv_k_stepped_per_tap)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    kern_env_t env = {&s, dram_achievable_Bps(&d)};
    char why[128];
    gpu_kernel_t a, b, c;
    kern_conv_t cv = {1, 16, 256, 256, 512, 3, 3, 1, 1, 1, 1, 1, 1, 1, DT_FP16, 0};
    ck_assert_int_eq(kern_conv(&env, &cv, &a, why, sizeof why), 0);
    cv.c = 32;
    ck_assert_int_eq(kern_conv(&env, &cv, &b, why, sizeof why), 0);
    cv.c = 33;
    ck_assert_int_eq(kern_conv(&env, &cv, &c, why, sizeof why), 0);
    ck_assert(a.ctas == b.ctas && b.ctas == c.ctas && a.threads == c.threads);
    ck_assert(near(a.tensor_flops[DT_FP16], b.tensor_flops[DT_FP16], 1e-12));
    ck_assert(near(c.tensor_flops[DT_FP16], 2.0 * b.tensor_flops[DT_FP16], 1e-12));
    /* The useful work still counts the real channels: 16 is half of 32. */
    ck_assert(near(a.useful_flops, 0.5 * b.useful_flops, 1e-12));
    cv.dtype = DT_INT8;
    cv.c = 16;
    ck_assert_int_eq(kern_conv(&env, &cv, &a, why, sizeof why), 0);
    cv.c = 64;
    ck_assert_int_eq(kern_conv(&env, &cv, &b, why, sizeof why), 0);
    ck_assert(a.ctas == b.ctas && a.threads == b.threads);
    ck_assert(near(a.tensor_flops[DT_INT8], b.tensor_flops[DT_INT8], 1e-12));
}
END_TEST

START_TEST(test_gemv_memory_bound)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    kern_env_t env = {&s, dram_achievable_Bps(&d)};
    kern_gemm_t g = {1, 22016, 4096, 1, DT_FP16, 0, 0};
    gpu_kernel_t k;
    char why[128];
    double t, weights = 22016.0 * 4096 * 2;   /* 180.4 MB */
    ck_assert_int_eq(kern_gemm(&env, &g, &k, why, sizeof why), 0);
    /* Batch-1 GEMV reads the weights once: 180.4 MB / 204.8 GB/s = 0.881 ms. */
    t = kernel_time_s(&s, &d, &k);
    ck_assert(t >= weights / 204.8e9 * (1 - 1e-6));
    ck_assert(t <= weights / 204.8e9 * 1.05);
}
END_TEST

START_TEST(test_sparse_gemm_speedup_bounded)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    kern_env_t env = {&s, dram_achievable_Bps(&d)};
    kern_gemm_t g = {4096, 4096, 4096, 1, DT_FP16, 0, 0};
    gpu_kernel_t dense, sparse;
    char why[128];
    double td, ts;
    kern_gemm(&env, &g, &dense, why, sizeof why);
    g.sparse = 1;
    kern_gemm(&env, &g, &sparse, why, sizeof why);
    td = kernel_time_s(&s, &d, &dense);
    ts = kernel_time_s(&s, &d, &sparse);
    /* Sparse is never slower, and at most 2x faster (the math rate doubles). */
    ck_assert(ts <= td);
    ck_assert(td / ts <= 2.0 + 1e-9);
}
END_TEST

START_TEST(test_conv_lowering)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    kern_env_t env = {&s, dram_achievable_Bps(&d)};
    /* 3x3 conv, 64 -> 64 channels on 160x160, stride 1, pad 1: P = Q = 160;
     * MACs = 160 x 160 x 64 x 64 x 9 = 943.7 M, FLOP = 1.887e9. */
    kern_conv_t c = {1, 64, 160, 160, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, DT_INT8, 0};
    gpu_kernel_t k;
    char why[128];
    ck_assert_int_eq(kern_conv_out(160, 3, 1, 1, 1), 160);
    ck_assert_int_eq(kern_conv_out(224, 7, 2, 3, 1), 112);
    ck_assert_int_eq(kern_conv(&env, &c, &k, why, sizeof why), 0);
    ck_assert(near(k.useful_flops, 2.0 * 160 * 160 * 64 * 64 * 9, 1e-12));
    /* Depthwise (groups = channels) becomes a direct CUDA-core kernel with no tensor math. */
    c.groups = 64;
    ck_assert_int_eq(kern_conv(&env, &c, &k, why, sizeof why), 0);
    for (int t = 0; t < DT_COUNT; t++)
        ck_assert(k.tensor_flops[t] == 0);
    /* A window larger than the padded input cannot run. */
    c.groups = 1;
    c.kh = c.kw = 400;
    ck_assert_int_eq(kern_conv(&env, &c, &k, why, sizeof why), -1);
}
END_TEST

START_TEST(test_attention_flops)
{
    gpu_spec_t s = agx_spec();
    dram_spec_t d = agx_dram();
    kern_env_t env = {&s, dram_achievable_Bps(&d)};
    /* Non-causal: 4 x d x heads x seq_q x seq_kv = 4 x 128 x 32 x 1024 x 1024 = 1.718e10.
     * Causal with seq_q = seq_kv = 1024: visible pairs = 1024 x 1025 / 2 per head. */
    kern_attn_t a = {1, 32, 1024, 1024, 128, 0, DT_FP16, 0};
    gpu_kernel_t k;
    char why[128];
    ck_assert_int_eq(kern_attention(&env, &a, &k, why, sizeof why), 0);
    ck_assert(near(k.useful_flops, 4.0 * 128 * 32 * 1024 * 1024, 1e-12));
    /* One exponential per score on the special-function units: 32 x 1024 x 1024. */
    ck_assert(near(k.sfu_ops * (double)k.ctas, 32.0 * 1024 * 1024, 1e-12));
    a.causal = 1;
    ck_assert_int_eq(kern_attention(&env, &a, &k, why, sizeof why), 0);
    ck_assert(near(k.useful_flops, 4.0 * 128 * 32 * (1024.0 * 1025 / 2), 1e-12));
    ck_assert(near(k.sfu_ops * (double)k.ctas, 32.0 * (1024.0 * 1025 / 2), 1e-12));
    /* fp32 has no tensor path for fused attention. */
    a.dtype = DT_FP32;
    ck_assert_int_eq(kern_attention(&env, &a, &k, why, sizeof why), -1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gpu");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, test_occupancy_limits);
    tcase_add_test(tc, test_single_cta_compute);
    tcase_add_test(tc, test_waves);
    tcase_add_test(tc, test_fewer_sms_slower);
    tcase_add_test(tc, test_co_resident_share_sm);
    tcase_add_test(tc, test_few_warps_cannot_fill_sm);
    tcase_add_test(tc, test_memory_bound_peak_bandwidth);
    tcase_add_test(tc, test_compute_and_memory_overlap);
    tcase_add_test(tc, test_sparse_doubles_math_only);
    tcase_add_test(tc, test_concurrent_kernels_share);
    tcase_add_test(tc, test_launch_overhead);
    tcase_add_test(tc, test_zero_timeslice_is_a_stall);
    tcase_add_test(tc, test_time_slicing);
    tcase_add_test(tc, test_gemm_k_padded_to_slices);
    tcase_add_test(tc, test_conv_k_stepped_per_tap);
    suite_add_tcase(s, tc);
    tc = tcase_create("lowering");
    tcase_add_test(tc, test_gemm_roofline);
    tcase_add_test(tc, test_gemv_memory_bound);
    tcase_add_test(tc, test_sparse_gemm_speedup_bounded);
    tcase_add_test(tc, test_conv_lowering);
    tcase_add_test(tc, test_attention_flops);
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
