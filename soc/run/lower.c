/*
 * lower: trace ops to engine work. See lower.h.
 *
 * GPU: GEMM, convolution and attention go through models/kernels.c's library-like
 * lowering; deconvolution is a GEMM plus col2im (M = N H W, N = K/g kh kw, K = C/g) and a
 * fully connected layer a GEMM; every other layer and vision primitive is a streaming
 * kernel whose math is the algorithm's operation count per element (below) and whose
 * traffic is its input and output tensors.
 *
 * DLA: layers map one to one onto models/dla.c's layer kinds; a GEMM with a weight matrix
 * is a fully connected layer. What the DLA cannot run (attention, generic element-wise,
 * reductions, raw kernels, SiLU/GELU/hard-swish activations, softmax across H or W, and
 * whatever models/dla.c rejects for its parameters) is reported with the reason, and the
 * replay either fails or falls back to the GPU as the task asks.
 *
 * PVA: vision primitives map onto models/pva.c's ops.
 */
#include "soc/run/lower.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/kernels.h"

/* Operation counts per element of the streaming layers, by what each computes:
 * activation (by function), softmax (max, subtract, exp, sum, divide), batch-norm
 * (multiply-add), bilinear resize (4 taps x multiply-add). */
static const double ACT_FLOPS[ACT_COUNT] = {
    [ACT_RELU] = 1, [ACT_RELU6] = 2, [ACT_CLIP] = 2, [ACT_LEAKY_RELU] = 2, [ACT_SIGMOID] = 4,
    [ACT_TANH] = 5, [ACT_SILU] = 5, [ACT_GELU] = 8, [ACT_HARDSWISH] = 4};
enum { SOFTMAX_FLOPS = 5, BATCHNORM_FLOPS = 2, BILINEAR_FLOPS = 8 };

/* Special-function unit operations per element of each activation, as CUTLASS's epilogue
 * functors compute them (include/cutlass/epilogue/thread/activation.h): sigmoid is
 * 1 / (1 + exp(-x)), an exp2 and a reciprocal; SiLU is x times that; tanh is one
 * tanh.approx (sm_75 and later); GELU in its tanh form, one. The rest is CUDA-core
 * arithmetic, counted in ACT_FLOPS. */
static const double ACT_SFU[ACT_COUNT] = {[ACT_SIGMOID] = 2, [ACT_TANH] = 1, [ACT_SILU] = 2,
                                          [ACT_GELU] = 1};

/* Activations the DLA's post-processing unit applies in the conv's own pass: ReLU and
 * clipping natively, sigmoid and tanh from its lookup table. */
static int dla_fusable(int act)
{
    return act < 0 || act == ACT_RELU || act == ACT_RELU6 || act == ACT_CLIP ||
           act == ACT_LEAKY_RELU || act == ACT_SIGMOID || act == ACT_TANH;
}

/* A fused activation in the epilogue of a conv, deconv or gemm kernel: its arithmetic on the
 * CUDA cores (in fp32, CUTLASS's compute type) and its transcendental part on the
 * special-function units, per output element, spread over the kernel's CTAs. */
static void add_epilogue(int act, double elements, gpu_kernel_t *k)
{
    if (act < 0 || k->ctas < 1)
        return;
    k->cuda_flops[DT_FP32] += elements * ACT_FLOPS[act] / (double)k->ctas;
    k->sfu_ops += elements * ACT_SFU[act] / (double)k->ctas;
}

/* Vision primitives on the GPU (VPI's CUDA backend): operations per output pixel and the
 * default pixel formats (bytes per pixel in and out).
 *   color_convert  3x3 matrix + offset = 12; NV12 (1.5 B) to RGB8 (3 B)
 *   resize         bilinear = 8; RGB8
 *   remap          bilinear + map lookup = 12; RGB8 in and out, plus an 8-byte float2 map
 *   gaussian       separable k-tap: 2 passes x k multiply-adds = 4k; 8-bit grey
 *   box_filter     running sums: 4; 8-bit grey
 *   harris         3x3 Sobel x 2, products, 5x5 window sums x 3, response: 60; grey in, fp32 out
 *   fast           16-pixel circle test, 2 compares each: 32; grey in, 1 B score out
 *   histogram      1 increment + address: 2; grey in
 *   stereo         semi-global matching: per disparity, a cost and 4 aggregation paths of
 *                  4 ops = 20 x disparities; two grey images in, 16-bit disparity out */
typedef struct vision_gpu {
    double flops_per_px, in_bpp, out_bpp;
} vision_gpu_t;

static const vision_gpu_t VISION_GPU[OP_KIND_COUNT] = {
    [OP_COLOR_CONVERT] = {12, 1.5, 3},  [OP_IMAGE_RESIZE] = {8, 3, 3},
    [OP_REMAP] = {12, 3 + 8, 3},        [OP_GAUSSIAN] = {0, 1, 1},
    [OP_BOX_FILTER] = {4, 1, 1},        [OP_HARRIS] = {60, 1, 4},
    [OP_FAST] = {32, 1, 1},             [OP_HISTOGRAM] = {2, 1, 0},
    [OP_STEREO] = {0, 2, 2},
};
enum { STEREO_FLOPS_PER_DISPARITY = 20, GAUSSIAN_FLOPS_PER_TAP = 4 };

static double nchw_bytes(int64_t n, int64_t c, int64_t h, int64_t w, dtype_t t)
{
    return (double)n * c * h * w * dtype_bytes(t);
}

static kern_env_t env_of(const soc_config_t *cfg)
{
    kern_env_t env = {&cfg->gpu, dram_achievable_Bps(&cfg->dram)};
    return env;
}

static int gpu_layer(const soc_config_t *cfg, const trace_op_t *op, lowered_op_t *out, char *why,
                     size_t len)
{
    kern_env_t env = env_of(cfg);
    const dtype_t t = op->dtype;
    dtype_t math = t;
    const double e = dtype_bytes(t);
    double n = (double)op->u.layer.n * op->u.layer.c * op->u.layer.h * op->u.layer.w;
    double in = n * e, outb = in, flops = 0, elems = n;

    switch (op->kind) {
    case OP_POOL:
        elems = (double)op->u.layer.n * op->u.layer.c * op->u.layer.out_h * op->u.layer.out_w;
        outb = elems * e;
        flops = elems * (double)op->u.layer.kh * op->u.layer.kw;
        break;
    case OP_ACTIVATION:
        flops = n * ACT_FLOPS[op->u.layer.function];
        break;
    case OP_ELTWISE:
        in = n * e * (double)op->u.layer.inputs;
        flops = n * (double)(op->u.layer.inputs - 1);
        break;
    case OP_BATCHNORM:
        flops = n * BATCHNORM_FLOPS;
        break;
    case OP_CONCAT:
        break;   /* a copy: input bytes equal the output's */
    case OP_RESIZE:
        elems = (double)op->u.layer.n * op->u.layer.c * op->u.layer.out_h * op->u.layer.out_w;
        outb = elems * e;
        flops = op->u.layer.mode ? elems * BILINEAR_FLOPS : 0;
        break;
    case OP_SOFTMAX:
        flops = n * SOFTMAX_FLOPS;
        break;
    default:
        snprintf(why, len, "op '%s' has no GPU lowering", trace_op_name(op->kind));
        return -1;
    }
    out->in_bytes = in;
    out->out_bytes = outb;
    /* An integer activation dequantises and computes in fp32, as a fused one does. */
    if (op->kind == OP_ACTIVATION && (t == DT_INT8 || t == DT_INT4))
        math = DT_FP32;
    if (kern_stream(&env, trace_op_name(op->kind), elems, in, outb, flops, math, &out->kernel,
                    why, len) != 0)
        return -1;
    if (op->kind == OP_ACTIVATION)
        out->kernel.sfu_ops = n * ACT_SFU[op->u.layer.function] / (double)out->kernel.ctas;
    return 0;
}

static int gpu_vision(const soc_config_t *cfg, const trace_op_t *op, lowered_op_t *out, char *why,
                      size_t len)
{
    kern_env_t env = env_of(cfg);
    const vision_gpu_t *v = &VISION_GPU[op->kind];
    double px = (double)op->u.image.width * op->u.image.height, opx = px, flops;
    double in_bpp = op->u.image.bytes_per_pixel > 0 ? op->u.image.bytes_per_pixel : v->in_bpp;

    if (op->kind == OP_VPU) {
        snprintf(why, len, "a custom VPU kernel has no GPU equivalent (write the GPU version as a "
                           "kernel op)");
        return -1;
    }
    if (op->kind == OP_IMAGE_RESIZE)
        opx = (double)op->u.image.out_width * op->u.image.out_height;
    flops = opx * v->flops_per_px;
    if (op->kind == OP_GAUSSIAN)
        flops = opx * GAUSSIAN_FLOPS_PER_TAP * (double)op->u.image.kernel;
    if (op->kind == OP_STEREO)
        flops = opx * STEREO_FLOPS_PER_DISPARITY * (double)op->u.image.disparities;
    out->in_bytes = px * in_bpp;
    out->out_bytes = opx * v->out_bpp;
    return kern_stream(&env, trace_op_name(op->kind), opx, out->in_bytes, out->out_bytes, flops,
                       DT_FP32, &out->kernel, why, len);
}

static int gpu_op(const soc_config_t *cfg, const trace_op_t *op, lowered_op_t *out, char *why,
                  size_t len)
{
    kern_env_t env = env_of(cfg);
    double elt = dtype_bytes(op->dtype);

    switch (op->kind) {
    case OP_GEMM: {
        kern_gemm_t g = {op->u.gemm.m, op->u.gemm.n, op->u.gemm.k, op->u.gemm.batch, op->dtype,
                         op->sparse, trace_gemm_b_bytes(op)};
        out->in_bytes = (double)op->u.gemm.batch * op->u.gemm.m * op->u.gemm.k * elt;
        out->out_bytes = (double)op->u.gemm.batch * op->u.gemm.m * op->u.gemm.n * elt;
        if (kern_gemm(&env, &g, &out->kernel, why, len) != 0)
            return -1;
        add_epilogue(op->act, (double)op->u.gemm.batch * op->u.gemm.m * op->u.gemm.n,
                     &out->kernel);
        return 0;
    }
    case OP_CONV: {
        kern_conv_t c = {op->u.conv.n,        op->u.conv.c,        op->u.conv.h,
                         op->u.conv.w,        op->u.conv.filters,  op->u.conv.kh,
                         op->u.conv.kw,       op->u.conv.stride_h, op->u.conv.stride_w,
                         op->u.conv.pad_h,    op->u.conv.pad_w,    op->u.conv.dil_h,
                         op->u.conv.dil_w,    op->u.conv.groups,   op->dtype,
                         op->sparse};
        int64_t p = kern_conv_out(c.h, c.kh, c.stride_h, c.pad_h, c.dil_h);
        int64_t q = kern_conv_out(c.w, c.kw, c.stride_w, c.pad_w, c.dil_w);
        out->in_bytes = nchw_bytes(c.n, c.c, c.h, c.w, op->dtype);
        out->out_bytes = nchw_bytes(c.n, c.filters, p, q, op->dtype);
        if (kern_conv(&env, &c, &out->kernel, why, len) != 0)
            return -1;
        add_epilogue(op->act, (double)c.n * c.filters * p * q, &out->kernel);
        return 0;
    }
    case OP_DECONV: {
        /* GEMM (N H W) x (K/g kh kw) x (C/g) per group, then col2im into the output. */
        int64_t g = op->u.conv.groups;
        kern_gemm_t gm = {op->u.conv.n * op->u.conv.h * op->u.conv.w,
                          op->u.conv.filters / g * op->u.conv.kh * op->u.conv.kw,
                          op->u.conv.c / g, g, op->dtype, op->sparse, 0};
        int64_t oh = (op->u.conv.h - 1) * op->u.conv.stride_h - 2 * op->u.conv.pad_h +
                     op->u.conv.kh;
        int64_t ow = (op->u.conv.w - 1) * op->u.conv.stride_w - 2 * op->u.conv.pad_w +
                     op->u.conv.kw;
        if (oh < 1 || ow < 1) {
            snprintf(why, len, "the padding removes the whole deconv output");
            return -1;
        }
        out->in_bytes = nchw_bytes(op->u.conv.n, op->u.conv.c, op->u.conv.h, op->u.conv.w,
                                   op->dtype);
        out->out_bytes = nchw_bytes(op->u.conv.n, op->u.conv.filters, oh, ow, op->dtype);
        if (kern_gemm(&env, &gm, &out->kernel, why, len) != 0)
            return -1;
        add_epilogue(op->act, (double)op->u.conv.n * op->u.conv.filters * oh * ow,
                     &out->kernel);
        return 0;
    }
    case OP_FC: {
        int64_t features = op->u.layer.c * op->u.layer.h * op->u.layer.w;
        kern_gemm_t g = {op->u.layer.n, op->u.layer.outputs, features, 1, op->dtype, op->sparse,
                         0};
        out->in_bytes = (double)op->u.layer.n * features * elt;
        out->out_bytes = (double)op->u.layer.n * op->u.layer.outputs * elt;
        return kern_gemm(&env, &g, &out->kernel, why, len);
    }
    case OP_ATTENTION: {
        kern_attn_t a = {op->u.attn.batch,    op->u.attn.heads,    op->u.attn.seq_q,
                         op->u.attn.seq_kv,   op->u.attn.head_dim, op->u.attn.causal,
                         op->dtype,           op->u.attn.kv_heads};
        out->in_bytes = out->out_bytes =
            (double)op->u.attn.batch * op->u.attn.heads * op->u.attn.seq_q * op->u.attn.head_dim *
            elt;
        return kern_attention(&env, &a, &out->kernel, why, len);
    }
    case OP_ELEMENTWISE: {
        double n = (double)op->u.ew.elements;
        out->in_bytes = n * elt * (double)op->u.ew.inputs;
        out->out_bytes = n * elt * (double)op->u.ew.outputs;
        return kern_stream(&env, "elementwise", n, out->in_bytes, out->out_bytes,
                           n * op->u.ew.flops_per_element, op->dtype, &out->kernel, why, len);
    }
    case OP_REDUCE: {
        double n = (double)op->u.reduce.elements;
        out->in_bytes = n * elt;
        out->out_bytes = (double)op->u.reduce.outputs * elt;
        return kern_stream(&env, "reduce", n, out->in_bytes, out->out_bytes, n, op->dtype,
                           &out->kernel, why, len);
    }
    case OP_MEMCPY: {
        /* A device-to-device copy kernel reads and writes every byte (16-byte vectors). */
        double b = op->u.memcpy.bytes;
        out->in_bytes = out->out_bytes = b;
        return kern_stream(&env, "memcpy", b / 16.0, b, b, 0, DT_FP32, &out->kernel, why, len);
    }
    case OP_KERNEL: {
        gpu_kernel_t *k = &out->kernel;
        double ctas = (double)op->u.kernel.grid[0] * op->u.kernel.grid[1] * op->u.kernel.grid[2];
        double threads =
            (double)op->u.kernel.block[0] * op->u.kernel.block[1] * op->u.kernel.block[2];
        if (ctas > 2147483647.0) {
            snprintf(why, len, "grid of %.0f CTAs exceeds 2^31-1", ctas);
            return -1;
        }
        memset(k, 0, sizeof *k);
        snprintf(k->name, sizeof k->name, "%s", op->name[0] ? op->name : "kernel");
        k->ctas = (int64_t)ctas;
        k->threads = (int)threads;
        k->regs = (int)op->u.kernel.registers;
        k->smem = op->u.kernel.shared;
        for (int i = 0; i < DT_COUNT; i++) {
            k->cuda_flops[i] = op->u.kernel.flops[i] / ctas;
            k->tensor_flops[i] = op->u.kernel.tensor_flops[i] / ctas;
            k->useful_flops += op->u.kernel.flops[i] + op->u.kernel.tensor_flops[i];
            if (k->tensor_flops[i] > 0 && cfg->gpu.tensor_flops_per_clk[i] <= 0) {
                snprintf(why, len, "this GPU has no tensor-core path for %s",
                         dtype_name((dtype_t)i));
                return -1;
            }
            if (k->cuda_flops[i] > 0 && cfg->gpu.cuda_flops_per_clk[i] <= 0) {
                /* No CUDA-core path for this type: it runs at the fp32 rate. */
                k->cuda_flops[DT_FP32] += k->cuda_flops[i];
                k->cuda_flops[i] = 0;
            }
        }
        k->dram_bytes = op->u.kernel.dram_bytes / ctas;
        return 0;
    }
    default:
        if (trace_op_is_vision(op->kind))
            return gpu_vision(cfg, op, out, why, len);
        return gpu_layer(cfg, op, out, why, len);
    }
}

int lower_gpu(const soc_config_t *cfg, const trace_t *t, const trace_op_t *op, lowered_op_t *out,
              diag_t *d)
{
    char why[200] = "", occ_why[160] = "";
    memset(out, 0, sizeof *out);
    out->on = ON_GPU;
    out->kind = op->kind;
    if (op->kind == OP_CPU)
        snprintf(why, sizeof why, "cpu ops run on the CPU");
    else if (gpu_op(cfg, op, out, why, sizeof why) == 0 &&
             gpu_occupancy(&cfg->gpu, &out->kernel, occ_why, sizeof occ_why) >= 1)
        return 0;
    else if (occ_why[0])
        snprintf(why, sizeof why, "the kernel does not fit on an SM: %s", occ_why);
    return diag_error(d, t->path, op->pos.line, op->pos.col, "cannot run %s op on %s's GPU: %s",
                      trace_op_name(op->kind), cfg->sku->name, why);
}

/* The output of a conv / deconv / FC op as NCHW (FC: N x outputs x 1 x 1); 0 if `op` is
 * none of these. */
static int mac_output(const trace_op_t *op, int64_t nchw[4])
{
    switch (op->kind) {
    case OP_CONV:
        nchw[0] = op->u.conv.n;
        nchw[1] = op->u.conv.filters;
        nchw[2] = kern_conv_out(op->u.conv.h, op->u.conv.kh, op->u.conv.stride_h,
                                op->u.conv.pad_h, op->u.conv.dil_h);
        nchw[3] = kern_conv_out(op->u.conv.w, op->u.conv.kw, op->u.conv.stride_w,
                                op->u.conv.pad_w, op->u.conv.dil_w);
        return 1;
    case OP_DECONV:
        nchw[0] = op->u.conv.n;
        nchw[1] = op->u.conv.filters;
        nchw[2] = (op->u.conv.h - 1) * op->u.conv.stride_h - 2 * op->u.conv.pad_h + op->u.conv.kh;
        nchw[3] = (op->u.conv.w - 1) * op->u.conv.stride_w - 2 * op->u.conv.pad_w + op->u.conv.kw;
        return 1;
    case OP_FC:
        nchw[0] = op->u.layer.n;
        nchw[1] = op->u.layer.outputs;
        nchw[2] = nchw[3] = 1;
        return 1;
    default:
        return 0;
    }
}

void lower_fuse_gpu(const trace_op_t *tops, lowered_op_t *ops, int n)
{
    int head = -1;                /* the producer kernel point-wise ops fold into */
    int64_t shape[4] = {0, 0, 0, 0};
    for (int i = 0; i < n; i++) {
        const trace_op_t *op = &tops[i];
        lowered_op_t *lo = &ops[i];
        int pointwise = op->kind == OP_ELTWISE || op->kind == OP_ACTIVATION ||
                        op->kind == OP_BATCHNORM;
        if (lo->on != ON_GPU) {
            head = -1;
            continue;
        }
        if (pointwise && head >= 0 && op->dtype == tops[head].dtype &&
            op->u.layer.n == shape[0] && op->u.layer.c == shape[1] &&
            op->u.layer.h == shape[2] && op->u.layer.w == shape[3]) {
            gpu_kernel_t *k = &ops[head].kernel;
            const gpu_kernel_t *pk = &lo->kernel;
            /* The point-wise kernel read its inputs and wrote its output; fused, the
             * tensor from the producer stays in registers and the output write is the
             * producer's own: what remains is the other operands' reads. */
            double extra = lo->in_bytes + lo->out_bytes - 2.0 * ops[head].out_bytes;
            if (extra > 0)
                k->dram_bytes += extra / (double)k->ctas;
            for (int t = 0; t < DT_COUNT; t++)
                k->cuda_flops[t] += pk->cuda_flops[t] * (double)pk->ctas / (double)k->ctas;
            k->sfu_ops += pk->sfu_ops * (double)pk->ctas / (double)k->ctas;
            k->useful_flops += pk->useful_flops;
            lo->fused = 1;
            continue;
        }
        head = mac_output(op, shape) ? i : -1;
    }
}

int lower_cpu(const soc_config_t *cfg, const trace_op_t *op, lowered_op_t *out)
{
    double ref = op->u.cpu.ref_hz > 0 ? op->u.cpu.ref_hz : cfg->sku->cpu_max_hz;
    memset(out, 0, sizeof *out);
    out->on = ON_CPU;
    out->kind = op->kind;
    if (op->u.cpu.duration_ps > 0)
        out->cpu_cycles = (double)op->u.cpu.duration_ps * 1e-12 * ref;
    else
        out->cpu_cycles = op->u.cpu.instructions / op->u.cpu.ipc;
    out->cpu_threads = (int)op->u.cpu.threads;
    out->cpu_bytes = op->u.cpu.bytes;
    return 0;
}

int lower_reformat(const soc_config_t *cfg, double in, double out, lowered_op_t *op)
{
    kern_env_t env = env_of(cfg);
    char why[160];
    double most = in > out ? in : out;
    memset(op, 0, sizeof *op);
    op->on = ON_GPU;
    op->kind = OP_MEMCPY;
    op->in_bytes = in;
    op->out_bytes = out;
    if (kern_stream(&env, "reformat", most / 16.0, in, out, 0, DT_FP32, &op->kernel, why,
                    sizeof why) != 0)
        return -1;
    snprintf(op->kernel.name, sizeof op->kernel.name, "reformat");
    snprintf(op->label, sizeof op->label, "reformat");
    return 0;
}

/* ---- DLA ---- */

static void layer_nchw(dla_layer_t *l, int64_t n, int64_t c, int64_t h, int64_t w)
{
    l->n = n;
    l->c = c;
    l->h = h;
    l->w = w;
}

int lower_dla(const soc_config_t *cfg, const trace_op_t *op, lowered_op_t *out, char *why,
              size_t len)
{
    dla_layer_t *l = &out->layer;
    lowered_op_t gpu;
    char gwhy[160];
    memset(out, 0, sizeof *out);
    out->on = ON_DLA;
    out->kind = op->kind;
    l->dtype = op->dtype;
    l->sparse = op->sparse;
    l->groups = 1;
    l->stride_h = l->stride_w = l->dil_h = l->dil_w = 1;
    l->kh = l->kw = 1;
    l->inputs = 1;
    if (!dla_fusable(op->act)) {
        snprintf(why, len, "the DLA's post-processing unit has no %s to fuse into a %s (write it "
                           "as an activation op after the %s)",
                 trace_act_name((trace_act_t)op->act), trace_op_name(op->kind),
                 trace_op_name(op->kind));
        return -1;
    }
    switch (op->kind) {
    case OP_CONV:
    case OP_DECONV:
        l->kind = op->kind == OP_CONV ? DLA_CONV : DLA_DECONV;
        layer_nchw(l, op->u.conv.n, op->u.conv.c, op->u.conv.h, op->u.conv.w);
        l->k = op->u.conv.filters;
        l->kh = op->u.conv.kh;
        l->kw = op->u.conv.kw;
        l->stride_h = op->u.conv.stride_h;
        l->stride_w = op->u.conv.stride_w;
        l->pad_h = op->u.conv.pad_h;
        l->pad_w = op->u.conv.pad_w;
        l->dil_h = op->u.conv.dil_h;
        l->dil_w = op->u.conv.dil_w;
        l->groups = op->u.conv.groups;
        break;
    case OP_FC:
        l->kind = DLA_FC;
        layer_nchw(l, op->u.layer.n, op->u.layer.c, op->u.layer.h, op->u.layer.w);
        l->k = op->u.layer.outputs;
        break;
    case OP_GEMM:
        /* A GEMM against a weight matrix is a fully connected layer over m rows. */
        if (!op->u.gemm.weights || op->u.gemm.batch != 1) {
            snprintf(why, len, "the DLA multiplies activations only by weights (a gemm between "
                               "two activations, or batched, is not a DLA layer)");
            return -1;
        }
        if (op->u.gemm.weight_dtype != op->dtype) {
            snprintf(why, len, "the DLA has no mixed-precision weights (weight_dtype %s)",
                     dtype_name(op->u.gemm.weight_dtype));
            return -1;
        }
        l->kind = DLA_FC;
        layer_nchw(l, op->u.gemm.m, op->u.gemm.k, 1, 1);
        l->k = op->u.gemm.n;
        break;
    case OP_POOL:
        l->kind = DLA_POOL;
        l->func = op->u.layer.mode ? DLA_POOL_AVG : DLA_POOL_MAX;
        layer_nchw(l, op->u.layer.n, op->u.layer.c, op->u.layer.h, op->u.layer.w);
        l->kh = op->u.layer.kh;
        l->kw = op->u.layer.kw;
        l->stride_h = op->u.layer.stride_h;
        l->stride_w = op->u.layer.stride_w;
        l->pad_h = op->u.layer.pad_h;
        l->pad_w = op->u.layer.pad_w;
        break;
    case OP_ACTIVATION: {
        static const dla_act_t ACT[ACT_COUNT] = {
            [ACT_RELU] = DLA_ACT_RELU,       [ACT_RELU6] = DLA_ACT_CLIP,
            [ACT_CLIP] = DLA_ACT_CLIP,       [ACT_LEAKY_RELU] = DLA_ACT_LEAKY_RELU,
            [ACT_SIGMOID] = DLA_ACT_SIGMOID, [ACT_TANH] = DLA_ACT_TANH,
            [ACT_SILU] = DLA_ACT_SILU,       [ACT_GELU] = DLA_ACT_GELU,
            [ACT_HARDSWISH] = DLA_ACT_HARD_SWISH};
        l->kind = DLA_ACTIVATION;
        l->func = ACT[op->u.layer.function];
        layer_nchw(l, op->u.layer.n, op->u.layer.c, op->u.layer.h, op->u.layer.w);
        break;
    }
    case OP_ELTWISE: {
        static const dla_elt_t ELT[ELT_COUNT] = {[ELT_ADD] = DLA_ELT_SUM, [ELT_SUB] = DLA_ELT_SUB,
                                                 [ELT_MUL] = DLA_ELT_PROD, [ELT_MAX] = DLA_ELT_MAX,
                                                 [ELT_MIN] = DLA_ELT_MIN};
        l->kind = DLA_ELTWISE;
        l->func = ELT[op->u.layer.function];
        layer_nchw(l, op->u.layer.n, op->u.layer.c, op->u.layer.h, op->u.layer.w);
        l->inputs = op->u.layer.inputs;
        break;
    }
    case OP_BATCHNORM:
        l->kind = DLA_BATCHNORM;
        layer_nchw(l, op->u.layer.n, op->u.layer.c, op->u.layer.h, op->u.layer.w);
        break;
    case OP_CONCAT:
        l->kind = DLA_CONCAT;
        layer_nchw(l, op->u.layer.n, op->u.layer.c, op->u.layer.h, op->u.layer.w);
        l->inputs = op->u.layer.inputs;
        break;
    case OP_RESIZE:
        l->kind = DLA_RESIZE;
        layer_nchw(l, op->u.layer.n, op->u.layer.c, op->u.layer.h, op->u.layer.w);
        l->func = op->u.layer.mode ? DLA_RESIZE_LINEAR : DLA_RESIZE_NEAREST;
        if (op->u.layer.out_h % op->u.layer.h || op->u.layer.out_w % op->u.layer.w) {
            snprintf(why, len, "the DLA resizes by integer factors only (%lldx%lld to %lldx%lld)",
                     (long long)op->u.layer.h, (long long)op->u.layer.w,
                     (long long)op->u.layer.out_h, (long long)op->u.layer.out_w);
            return -1;
        }
        l->scale_h = op->u.layer.out_h / op->u.layer.h;
        l->scale_w = op->u.layer.out_w / op->u.layer.w;
        break;
    case OP_SOFTMAX:
        l->kind = DLA_SOFTMAX;
        l->axis = op->u.layer.axis == 0 ? DLA_AXIS_C : op->u.layer.axis == 1 ? DLA_AXIS_H
                                                                               : DLA_AXIS_W;
        layer_nchw(l, op->u.layer.n, op->u.layer.c, op->u.layer.h, op->u.layer.w);
        break;
    default:
        snprintf(why, len, "the DLA has no %s layer", trace_op_name(op->kind));
        return -1;
    }
    if (dla_layer_shape(&cfg->dla, l, why, len) != 0)
        return -1;
    /* Tensor sizes at the op's boundary, for reformat kernels at DLA <-> GPU hand-offs. */
    if (gpu_op(cfg, op, &gpu, gwhy, sizeof gwhy) == 0) {
        out->in_bytes = gpu.in_bytes;
        out->out_bytes = gpu.out_bytes;
    }
    return 0;
}

/* ---- PVA ---- */

int lower_pva(const soc_config_t *cfg, const trace_op_t *op, lowered_op_t *out, char *why,
              size_t len)
{
    static const pva_op_kind_t KIND[OP_KIND_COUNT] = {
        [OP_COLOR_CONVERT] = PVA_COLOR_CONVERT, [OP_IMAGE_RESIZE] = PVA_RESIZE,
        [OP_REMAP] = PVA_REMAP,                 [OP_GAUSSIAN] = PVA_GAUSSIAN,
        [OP_BOX_FILTER] = PVA_BOX,              [OP_HARRIS] = PVA_HARRIS,
        [OP_FAST] = PVA_FAST,                   [OP_HISTOGRAM] = PVA_HISTOGRAM,
        [OP_STEREO] = PVA_STEREO,               [OP_VPU] = PVA_VPU};
    pva_op_t *p = &out->pva;
    pva_cost_t cost;
    memset(out, 0, sizeof *out);
    out->on = ON_PVA;
    out->kind = op->kind;
    if (!trace_op_is_vision(op->kind)) {
        snprintf(why, len, "the PVA runs vision ops, not %s", trace_op_name(op->kind));
        return -1;
    }
    p->kind = KIND[op->kind];
    p->width = op->u.image.width;
    p->height = op->u.image.height;
    p->out_width = op->u.image.out_width;
    p->out_height = op->u.image.out_height;
    p->kernel = op->u.image.kernel;
    p->disparities = op->u.image.disparities;
    p->bytes_per_pixel = op->u.image.bytes_per_pixel;
    p->cycles_per_pixel = op->u.image.cycles_per_pixel;
    p->cycles = op->u.image.cycles;
    p->bytes = op->u.image.bytes;
    return pva_op_cost(&cfg->pva, p, &cost, why, len);
}
