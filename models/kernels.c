/*
 * kernels: lowering of high-level GPU ops to kernel launches.
 *
 * GEMM and convolution run as tiled tensor-core kernels (CUDA cores for fp32), the way
 * cuBLAS/CUTLASS and cuDNN's implicit-GEMM kernels do. Each candidate tile shape (from
 * CUTLASS's sm80 threadblock shapes, below) and split-K factor is costed with the same
 * first-order model the simulator uses (waves of resident CTAs x math per CTA, against
 * DRAM bytes / bandwidth) and the cheapest is chosen, as cuBLAS's heuristics aim to.
 * Tiles are padded: a 130 x 130 GEMM on 128 x 128 tiles runs four full tiles, so tile
 * quantisation shows up in time; so does wave quantisation, in models/gpu.c.
 *
 * DRAM traffic (documented in docs/model.md, "GEMM tiling model"):
 *   CTAs run in waves of W = SMs x occupancy. A wave covers a block of a x b output
 *   tiles (a = floor(sqrt(W)), b = ceil(W / a)), whose CTAs progress through K roughly
 *   in lockstep, so within a wave each A row panel and B column panel is read from DRAM
 *   once. Across waves, tiles are rasterised along N: the next wave reuses the same A
 *   panels if they fit in half the L2 (the other half holds B panels and output), and
 *   an operand whose whole matrix fits in half the L2 is read from DRAM only once.
 *   Otherwise each wave reads its panels again. The output is written once (split-K
 *   adds fp32 partials written and read back). For implicit-GEMM convolution the A
 *   operand is the input tensor, never materialised: its traffic is scaled by the
 *   input's size over the im2col matrix's. 2:4 sparse A moves half its values plus
 *   the metadata bits per kept element.
 *   Nothing is assumed to carry over in L2 from one kernel to the next (docs/model.md).
 *
 * Attention is one fused flash-attention kernel: each CTA owns a block of query rows
 * of one head and streams K and V through shared memory; decode (few query rows)
 * splits the key range so the GPU is filled (flash-decoding).
 *
 * Element-wise, reduce and memcpy are grid-stride streaming kernels launched with one
 * full wave of CTAs, as well-tuned memory-bound kernels are.
 */
#include "models/kernels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Threadblock shapes: CUTLASS 2.x default sm80 tensor-op configurations (128x256,
 * 256x128, 128x128, 128x64, 64x64 with 64-byte K slices and 3-5 pipeline stages) plus a
 * skinny 32x64 shape for GEMV-like problems; SIMT fp32 uses CUTLASS's sgemm shapes with
 * 8-element K slices and 2 stages. Registers: one fp32 accumulator per output element
 * per thread, plus 40 for addresses, fragments and loop state (CUTLASS kernels at these
 * shapes report 100-230 registers). */
typedef struct tile {
    int mt, nt, threads, stages;
} tile_t;

static const tile_t TENSOR_TILES[] = {
    {256, 128, 256, 3}, {128, 256, 256, 3}, {128, 128, 128, 4},
    {128, 64, 128, 4},  {64, 64, 128, 5},   {32, 64, 64, 4},
};
static const tile_t SIMT_TILES[] = {
    {128, 128, 256, 2}, {128, 64, 128, 2}, {64, 64, 64, 2}, {32, 64, 64, 2},
};
static const double OVERLAP_PENALTY = 0.25;   /* tile-selection heuristic, not hardware */
enum { TENSOR_K_BYTES = 64, SIMT_K_ELEMS = 8, REG_OVERHEAD = 40, MAX_SPLIT_K = 16 };

/* The most CTAs one kernel's grid may hold here: 2^53, where a double still counts one
 * by one (CUDA's own limit, (2^31 - 1) x 65535 x 65535, is larger, and no Orin could run
 * even this many in the engine's time horizon). A problem that needs more is refused
 * before its count is converted to an integer. */
#define MAX_GRID_CTAS 9007199254740992.0
/* Streaming kernels: 256 threads x 4 elements per thread per iteration, 32 registers. */
enum { STREAM_THREADS = 256, STREAM_REGS = 32, STREAM_ELEMS_PER_THREAD = 4 };

#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

static double ceil_div(double a, double b)
{
    return ceil(a / b);
}

/* Bytes per output element: fp32/tf32 GEMMs write fp32, fp16/bf16 write their own type,
 * integer GEMMs write int8 (requantised, as TensorRT's int8 layers do). */
static double out_bytes(dtype_t t)
{
    switch (t) {
    case DT_FP32:
    case DT_TF32: return 4.0;
    case DT_FP16:
    case DT_BF16: return 2.0;
    default: return 1.0;
    }
}

static int uses_tensor(const gpu_spec_t *g, dtype_t t)
{
    return t != DT_FP32 && g->tensor_flops_per_clk[t] > 0;
}

/* CUDA-core rate for math in `t`; datatypes without a CUDA-core path run at fp32. */
static dtype_t cuda_type(const gpu_spec_t *g, dtype_t t)
{
    return g->cuda_flops_per_clk[t] > 0 ? t : DT_FP32;
}

/* First-order time of a kernel: math of the CTAs each SM must run, at the SM's rate
 * (reduced when few warps are resident), against DRAM bytes over bandwidth. */
static double estimate(const kern_env_t *env, const gpu_kernel_t *k, int occ)
{
    const gpu_spec_t *g = env->gpu;
    double per_sm = ceil_div((double)k->ctas, g->sms);
    double resident = per_sm < occ ? per_sm : occ;
    double warps = resident * ceil_div(k->threads, g->warp_size);
    double issue = warps / g->warps_full_rate;
    double t_math = per_sm * gpu_cta_cycles(g, k) / (g->clock_hz * (issue < 1 ? issue : 1));
    double t_mem = k->dram_bytes * (double)k->ctas / env->dram_Bps;
    /* Overlap of math and memory is never perfect (waves start and end unevenly): charge
     * a quarter of the shorter side, which also prefers tiles that waste less math. */
    return t_math > t_mem ? t_math + OVERLAP_PENALTY * t_mem : t_mem + OVERLAP_PENALTY * t_math;
}

typedef struct gemm_shape {
    double m, n, k, batch;
    double ea, eb, ec;          /* bytes per element of A (after compression), B, C */
    double a_scale;             /* A's DRAM footprint relative to m x k (conv: < 1) */
    double taps;                /* conv: filter taps R x S the K loop steps through, each
                                 * over the channels in whole K slices (0: a plain GEMM) */
} gemm_shape_t;

/* DRAM bytes of a tiled GEMM, per the tiling model in the file comment. Tiles are
 * rasterised in row blocks of `a` tile rows, each swept along N in steps of `b`. */
static double gemm_traffic(const kern_env_t *env, const gemm_shape_t *s, const tile_t *t,
                           int split, int occ)
{
    const gpu_spec_t *g = env->gpu;
    double tiles_m = ceil_div(s->m, t->mt), tiles_n = ceil_div(s->n, t->nt);
    double w = (double)g->sms * occ / split;       /* output tiles per wave */
    double a, b, row_blocks, a_total, b_total, c_total;
    double half_l2 = g->l2_bytes / 2;
    double a_row = t->mt * s->k * s->ea * s->a_scale;   /* one tile row of A */
    double b_col = t->nt * s->k * s->eb;                /* one tile column of B */

    if (w > tiles_m * tiles_n)
        w = tiles_m * tiles_n;
    if (w < 1)
        w = 1;
    a = floor(sqrt(w));
    if (a > tiles_m)
        a = tiles_m;
    b = ceil_div(w, a);
    if (b > tiles_n)
        b = tiles_n;
    row_blocks = ceil_div(tiles_m, a);
    /* A: read once if all of it, or one row block's panels, stay in L2 during the sweep;
     * otherwise again at every step of the sweep. */
    if (s->m * s->k * s->ea * s->a_scale <= half_l2)
        a_total = s->m * s->k * s->ea * s->a_scale;
    else if (a * a_row <= half_l2)
        a_total = tiles_m * a_row;
    else
        a_total = tiles_m * a_row * ceil_div(tiles_n, b);
    /* B: read once if it fits in L2; otherwise once per row block. */
    if (s->n * s->k * s->eb <= half_l2)
        b_total = s->n * s->k * s->eb;
    else
        b_total = row_blocks * tiles_n * b_col;
    c_total = s->m * s->n * s->ec;
    if (split > 1)
        c_total += 2.0 * split * s->m * s->n * 4.0;   /* fp32 partials */
    return (a_total + b_total + c_total) * s->batch;
}

static int tile_regs(const tile_t *t)
{
    int r = t->mt * t->nt / t->threads + REG_OVERHEAD;
    return r > 255 ? 255 : r;
}

/* Choose tile and split-K for a GEMM-shaped problem; fill `out`. */
static int lower_gemm_shape(const kern_env_t *env, const char *name, const gemm_shape_t *s,
                            dtype_t dt, int sparse, gpu_kernel_t *out, char *why,
                            unsigned long len)
{
    const gpu_spec_t *g = env->gpu;
    int tensor = uses_tensor(g, dt);
    const tile_t *tiles = tensor ? TENSOR_TILES : SIMT_TILES;
    int ntiles = tensor ? ARRAY_LEN(TENSOR_TILES) : ARRAY_LEN(SIMT_TILES);
    double best = INFINITY;
    double elt = dtype_bytes(dt);
    int too_big = 0;

    if (dt != DT_FP32 && !tensor) {
        snprintf(why, len, "this GPU has no tensor-core path for %s", dtype_name(dt));
        return -1;
    }
    if (sparse && !tensor) {
        snprintf(why, len, "2:4 sparsity needs a tensor-core datatype, not %s", dtype_name(dt));
        return -1;
    }
    for (int i = 0; i < ntiles; i++) {
        const tile_t *t = &tiles[i];
        double kslice = tensor ? TENSOR_K_BYTES / elt : SIMT_K_ELEMS;
        double base = ceil_div(s->m, t->mt) * ceil_div(s->n, t->nt) * s->batch;
        if (!(base <= MAX_GRID_CTAS)) {
            too_big = 1;
            continue;
        }
        for (int split = 1; split <= MAX_SPLIT_K; split *= 2) {
            gpu_kernel_t k;
            int occ;
            double kper = ceil_div(s->k, split);
            double kpad = ceil_div(kper, kslice) * kslice;   /* MMA work per K slice */
            if (s->taps > 0 && tensor) {
                /* Implicit-GEMM convolution steps K tap by tap, each tap's channels in
                 * whole K slices: R x S x ceil(C / slice) slices (CUTLASS's
                 * implicit_gemm_k_iterations for its analytic and optimized iterators). */
                double c = s->k / s->taps;
                kpad = ceil_div(s->taps * ceil_div(c, kslice), split) * kslice;
            }
            if (split > 1 && (base >= g->sms || kper < 4 * kslice))
                break;
            if (base * split > MAX_GRID_CTAS)
                break;
            memset(&k, 0, sizeof k);
            snprintf(k.name, sizeof k.name, "%s", name);
            k.ctas = (int64_t)(base * split);
            k.threads = t->threads;
            k.regs = tile_regs(t);
            k.smem = (t->mt + t->nt) * kslice * elt * t->stages;
            k.sparse = sparse;
            /* Padded tile: full MMA work even on edge tiles, and K rounded up to whole K slices
             * (an MMA main loop step consumes a full slice: 32 fp16 or 64 int8 values). */
            if (tensor)
                k.tensor_flops[dt] = 2.0 * t->mt * t->nt * kpad;
            else
                k.cuda_flops[DT_FP32] = 2.0 * t->mt * t->nt * kpad;
            occ = gpu_occupancy(g, &k, NULL, 0);
            if (occ < 1)
                continue;
            k.dram_bytes = gemm_traffic(env, s, t, split, occ) / (double)k.ctas;
            double est = estimate(env, &k, occ);
            if (est < best * (1 - 1e-9)) {
                best = est;
                *out = k;
            }
        }
    }
    if (!isfinite(best)) {
        if (too_big)
            snprintf(why, len, "the problem needs more than 2^53 thread blocks (m %.4g x n %.4g "
                     "x batch %.4g)", s->m, s->n, s->batch);
        else
            snprintf(why, len, "no tile shape fits the SM's resources");
        return -1;
    }
    out->useful_flops = 2.0 * s->m * s->n * s->k * s->batch;
    return 0;
}

/* A 2:4 operand keeps half its values plus `sparse_meta_bits` per kept value. */
static double sparse_bytes(const gpu_spec_t *g, double elt)
{
    return 0.5 * elt + 0.5 * g->sparse_meta_bits / 8.0;
}

int kern_gemm(const kern_env_t *env, const kern_gemm_t *op, gpu_kernel_t *out, char *why,
              unsigned long len)
{
    gemm_shape_t s;
    double elt = dtype_bytes(op->dtype);
    s.m = (double)op->m;
    s.n = (double)op->n;
    s.k = (double)op->k;
    s.batch = (double)op->batch;
    s.ea = op->sparse ? sparse_bytes(env->gpu, elt) : elt;
    s.eb = op->weight_bytes > 0 ? op->weight_bytes : elt;
    s.ec = out_bytes(op->dtype);
    s.a_scale = 1.0;
    s.taps = 0;
    return lower_gemm_shape(env, "gemm", &s, op->dtype, op->sparse, out, why, len);
}

int64_t kern_conv_out(int64_t in, int64_t k, int64_t stride, int64_t pad, int64_t dil)
{
    int64_t span = dil * (k - 1) + 1;
    if (in + 2 * pad < span || stride < 1)
        return 0;
    return (in + 2 * pad - span) / stride + 1;
}

int kern_conv(const kern_env_t *env, const kern_conv_t *op, gpu_kernel_t *out, char *why,
              unsigned long len)
{
    const gpu_spec_t *g = env->gpu;
    int64_t p = kern_conv_out(op->h, op->kh, op->stride_h, op->pad_h, op->dil_h);
    int64_t q = kern_conv_out(op->w, op->kw, op->stride_w, op->pad_w, op->dil_w);
    double elt = dtype_bytes(op->dtype);
    double cg = (double)(op->c / op->groups), kg = (double)(op->filters / op->groups);
    double in_bytes = (double)op->n * op->c * op->h * op->w * elt;
    double w_bytes = (double)op->filters * cg * op->kh * op->kw * elt;
    double out_b = (double)op->n * op->filters * p * q * out_bytes(op->dtype);
    double macs = (double)op->n * p * q * op->filters * cg * op->kh * op->kw;

    if (p < 1 || q < 1) {
        snprintf(why, len, "the kernel window does not fit the padded input");
        return -1;
    }
    /* Depthwise and other thin grouped convolutions (fewer than 8 input channels per
     * group) do too little math per byte for tensor-core tiles: cuDNN runs them as
     * direct CUDA-core kernels, memory-bound. A dense convolution with few input
     * channels (a network's first layer, C = 3) is different: its im2col depth is
     * C x R x S (147 for ResNet's 7x7 stem), enough for tensor-core tiles once the
     * channels are padded to the vectorised input layouts TensorRT uses for such
     * layers (int8 kCHW4, 4 channels; kHWC8 for 16-bit types, 8 channels). */
    int few = 0;
    if (cg < 8 && op->groups == 1 && uses_tensor(g, op->dtype)) {
        cg = op->dtype == DT_INT8 ? ceil_div(cg, 4) * 4 : 8;
        few = 1;
    } else if (cg < 8) {
        dtype_t ct = cuda_type(g, op->dtype);
        if (op->sparse) {
            snprintf(why, len, "2:4 sparsity needs at least 8 input channels per group");
            return -1;
        }
        if (kern_stream(env, "conv_direct", (double)op->n * op->filters * p * q,
                        in_bytes + w_bytes, out_b, 2.0 * macs, ct, out, why, len) != 0)
            return -1;
        out->useful_flops = 2.0 * macs;
        return 0;
    }
    gemm_shape_t s;
    s.m = (double)op->n * p * q;
    s.n = kg;
    s.k = cg * op->kh * op->kw;
    s.batch = (double)op->groups;
    s.ea = elt;
    s.eb = op->sparse ? sparse_bytes(g, elt) : elt;
    s.ec = out_bytes(op->dtype);
    /* The im2col matrix is (N P Q) x (C/g R S) per group; the input holds N C H W. */
    s.a_scale = in_bytes / (s.m * s.k * s.batch * elt);
    if (s.a_scale > 1)
        s.a_scale = 1;
    /* A padded few-channel input packs several taps into one K slice (CUTLASS's
     * few-channel iterators); other convolutions step K tap by tap. */
    s.taps = few ? 0 : (double)op->kh * op->kw;
    /* Sparse weights are the B operand here; the model's sparse flag covers the math. */
    if (lower_gemm_shape(env, "conv", &s, op->dtype, op->sparse, out, why, len) != 0)
        return -1;
    out->useful_flops = 2.0 * macs;
    return 0;
}

int kern_attention(const kern_env_t *env, const kern_attn_t *op, gpu_kernel_t *out, char *why,
                   unsigned long len)
{
    const gpu_spec_t *g = env->gpu;
    double elt = dtype_bytes(op->dtype);
    double d = (double)op->head_dim, sq = (double)op->seq_q, skv = (double)op->seq_kv;
    double bh = (double)op->batch * op->heads;
    double kvh = (double)op->batch * (op->kv_heads > 0 ? op->kv_heads : op->heads);
    double br, bc = 64, q_tiles, splits = 1, ctas, visible, total_tc, total_sm;
    double kv_bytes, q_bytes, o_bytes, kv_total;
    int occ;
    gpu_kernel_t k;

    if (!uses_tensor(g, op->dtype)) {
        snprintf(why, len, "fused attention needs a tensor-core datatype, not %s",
                 dtype_name(op->dtype));
        return -1;
    }
    /* Query rows per CTA: 128 for head_dim <= 64, 64 above (FlashAttention-2's choice);
     * 16 (one MMA row block) when decoding a few query rows. */
    br = sq <= 16 ? 16 : (d <= 64 ? 128 : 64);
    q_tiles = ceil_div(sq, br);
    /* Visible keys summed over all query rows of one head. */
    if (op->causal && sq <= skv)
        visible = sq * (skv - sq) + sq * (sq + 1) / 2;
    else
        visible = sq * skv;
    memset(&k, 0, sizeof k);
    snprintf(k.name, sizeof k.name, "attention");
    k.threads = 128;
    k.regs = 128;
    k.smem = (br + 2 * bc) * d * elt * 2;   /* Q tile + double-buffered K and V tiles */
    occ = gpu_occupancy(g, &k, why, len);
    if (occ < 1)
        return -1;
    /* Flash-decoding: split the keys until the grid fills every SM slot once. */
    while (bh * q_tiles * splits < (double)g->sms * occ && skv / (splits * 2) >= bc)
        splits *= 2;
    ctas = bh * q_tiles * splits;
    /* Tensor math: S = Q K^T and O = P V over the visible keys, padded to br rows. */
    total_tc = 4.0 * d * bh * visible * (q_tiles * br / sq);
    /* Softmax: scale, max, sum and rescale, 4 fp32 ops per score on the CUDA cores, and
     * the exponential (ex2.approx) on the special-function units. */
    total_sm = 4.0 * bh * visible;
    q_bytes = bh * sq * d * elt;
    o_bytes = bh * sq * d * elt + (splits > 1 ? 2.0 * bh * sq * splits * (d + 2) * 4.0 : 0);
    kv_bytes = 2.0 * skv * d * elt;   /* one KV head's K and V */
    {
        /* Query heads sharing a KV head (grouped-query attention) run in the same wave and
         * read it once; so does every query block of a head when the wave's heads fit in
         * half the L2. */
        double heads_per_wave = ceil_div((double)g->sms * occ, q_tiles * splits);
        if (heads_per_wave * kv_bytes <= g->l2_bytes / 2 || q_tiles == 1)
            kv_total = kvh * kv_bytes;            /* each KV head read once */
        else
            kv_total = kvh * kv_bytes * q_tiles;  /* re-read by every query block */
    }
    if (!(ctas <= MAX_GRID_CTAS)) {
        snprintf(why, len, "attention needs %.4g thread blocks, more than 2^53", ctas);
        return -1;
    }
    k.ctas = (int64_t)ctas;
    k.tensor_flops[op->dtype] = total_tc / ctas;
    k.cuda_flops[DT_FP32] = total_sm / ctas;
    k.sfu_ops = bh * visible / ctas;
    k.dram_bytes = (q_bytes + o_bytes + kv_total) / ctas;
    k.useful_flops = 4.0 * d * bh * visible;
    *out = k;
    return 0;
}

int kern_stream(const kern_env_t *env, const char *name, double elements, double bytes_in,
                double bytes_out, double flops, dtype_t dtype, gpu_kernel_t *out, char *why,
                unsigned long len)
{
    const gpu_spec_t *g = env->gpu;
    gpu_kernel_t k;
    double ctas;
    int occ;

    memset(&k, 0, sizeof k);
    snprintf(k.name, sizeof k.name, "%s", name);
    k.threads = STREAM_THREADS;
    k.regs = STREAM_REGS;
    k.ctas = 1;
    occ = gpu_occupancy(g, &k, why, len);
    if (occ < 1)
        return -1;
    ctas = ceil_div(elements, (double)STREAM_THREADS * STREAM_ELEMS_PER_THREAD);
    if (ctas > (double)g->sms * occ)
        ctas = (double)g->sms * occ;
    if (ctas < 1)
        ctas = 1;
    k.ctas = (int64_t)ctas;
    k.cuda_flops[cuda_type(g, dtype)] = flops / ctas;
    k.dram_bytes = (bytes_in + bytes_out) / ctas;
    k.useful_flops = flops;
    *out = k;
    return 0;
}
