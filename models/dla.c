/*
 * dla: one NVDLA v2 deep-learning accelerator (Orin "DLA 2.0"), layer by layer.
 *
 * Fusion: a conv / deconv / FC layer and the element-wise, activation and batch-norm
 * layers right after it that consume its output run as one hardware layer
 * (dla_fused_cost): the intermediate tensor never reaches DRAM and the SDP cycles
 * overlap the MAC cycles, as the DLA compiler fuses Conv + BN + Add + ReLU.
 *
 * What it captures
 *   - A task is a list of layers run in order. It pays a per-task overhead (submission by
 *     the driver, completion signalling), then each layer runs as two flows that overlap:
 *     its math, on the DLA's own "core" link whose capacity is the core clock in cycles/s,
 *     and its DRAM traffic, on the SoC's shared memory link (models/dram.c) with the DLA's
 *     port ceiling. The layer ends when both are done, plus a per-layer overhead (the
 *     Falcon controller launching the next hardware layer). A layer's time is therefore
 *     max(math, memory) + overhead, and the memory part stretches when the GPU or the
 *     other DLA share the bus.
 *   - Convolution math on the MAC array. The array takes atom_c input channels x atom_k
 *     output channels of one output pixel and one kernel tap per atomic operation (INT8:
 *     64 x 128 = 8192 MACs, one operation per clock). A layer needs
 *         ops = pixels x taps x ceil(G / gp) x ceil(Cg / ac) x ceil(Kg / atom_k)
 *     operations, where Cg = C / G and Kg = K / G per group and gp groups share one
 *     operation block-diagonally when a group is narrower than the atoms
 *     (gp = min(G, floor(ac / Cg), floor(atom_k / Kg)); depthwise fills only the diagonal,
 *     min(ac, atom_k) of the array's slots). An operation takes ac_phys x atom_k /
 *     macs_per_clk cycles: 1 for INT8, more for FP16, whose channel atom is half as wide
 *     (the data path is a fixed number of bytes) and whose MAC rate is a fraction of INT8.
 *     Utilisation = useful MACs / (cycles x MAC slots). Padding a layer's channels up to
 *     the atoms is what lowers it: a first convolution with C = 3 uses 3 of 64 lanes.
 *     A convolution at most half an atom wide (the first layer, fed in the DLA's image
 *     format) packs up to tap_fold_max kernel rows into the atom, so its kh rows cost
 *     ceil(kh / fold) operations, fold = min(tap_fold_max, kh, floor(ac / C)).
 *   - FC is a 1x1 convolution over a 1x1 input with C x H x W input features.
 *     Deconvolution is a convolution with the roles of input and output swapped: the array
 *     walks the input pixels and scatters each one's kh x kw taps into the output, so the
 *     pixel count in the formula is the input's.
 *   - 2:4 structured sparsity (INT8 only, where Cg > sparse_min_c): the array consumes
 *     sparse_factor x atom_c logical channels per operation, and the weights take 1 /
 *     sparse_factor of their dense bytes. Below an atom's width of channels there is
 *     nothing to gain, which is why NVIDIA applies it only above 64 channels.
 *   - Memory: every layer reads its input and writes its output through DRAM (tensors do
 *     not stay in the SRAM between layers), and reads its weights. The 1 MiB local SRAM
 *     holds weights and input together. When they do not fit, the layer runs in passes,
 *     choosing the cheaper of two splits:
 *       A  weight slices stay resident while the whole input streams past each slice:
 *          P = ceil(W / (S - input window)), traffic = W + P x In + Out;
 *       B  input bands stay resident while all weights stream past each band:
 *          P = ceil(In / (S - weight window)), traffic = In + P x W + Out.
 *     The input window is the kh (dilated) input rows one output row needs; the weight
 *     window is one atom_k slice of output channels' weights. Either window is at most
 *     half the SRAM (beyond that the hardware would also split C into partial sums, not
 *     modelled).
 *   - Layers that use no MAC array run on the post-processing units at a throughput in
 *     elements per clock: activation, element-wise, batch-norm / scale, resize and softmax
 *     on the SDP (softmax makes two passes, one for the maximum and sum, one to
 *     normalise, over a channel vector kept on chip); pooling on the PDP (per input
 *     element). Concat is a DMA copy (no math). Each streams its tensors through DRAM.
 *
 * What it ignores
 *   - The dlaSRAM pool (a tensor between hardware layers is always written out and read
 *     back), pooling fused into a convolution, Winograd, weight compression and the
 *     2:4 metadata bytes, halo re-reads between input bands, and the SDP throughput limit
 *     on a convolution's fused output. Loaded DRAM latency is not charged.
 *
 * All rates, sizes and overheads come from dla_spec_t, filled from configs/ by soc/; the
 * formulas are in docs/dla.md with the sources of each number.
 */
#include "models/dla.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sizes above these are outside what the DLA accepts [S21: "maximum supported batch size
 * is 4096", "maximum supported size for non-batch dimensions is 8192"]. */
enum { DLA_MAX_BATCH = 4096, DLA_MAX_DIM = 8192 };

static const char *const KIND_NAMES[DLA_LAYER_COUNT] = {
    "conv", "deconv", "fc", "pool", "activation", "eltwise", "batchnorm", "concat",
    "resize", "softmax", "matmul", "norm"};

const char *dla_kind_name(dla_layer_kind_t k)
{
    return k >= 0 && k < DLA_LAYER_COUNT ? KIND_NAMES[k] : "?";
}

/* ---- shapes and restrictions ---- */

static int64_t or1(int64_t v)
{
    return v == 0 ? 1 : v;
}

static int fail(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t len, const char *fmt, ...)
{
    if (why && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, len, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int in_range(int64_t v, int64_t lo, int64_t hi)
{
    return v >= lo && v <= hi;
}

/* Sliding-window output size; < 1 when the window does not fit. */
static int64_t window_out(int64_t in, int64_t pad, int64_t k, int64_t dil, int64_t stride)
{
    int64_t span = dil * (k - 1) + 1;
    if (in + 2 * pad < span)
        return 0;
    return (in + 2 * pad - span) / stride + 1;
}

static int shape_conv(dla_layer_t *l, char *why, size_t len)
{
    int64_t sh = or1(l->stride_h), sw = or1(l->stride_w), dh = or1(l->dil_h),
            dw = or1(l->dil_w), g = or1(l->groups);
    if (!in_range(l->kh, 1, 32) || !in_range(l->kw, 1, 32))
        return fail(why, len, "conv kernel %lldx%lld: the DLA takes kernels of 1 to 32 [S21]",
                    (long long)l->kh, (long long)l->kw);
    if (!in_range(sh, 1, 8) || !in_range(sw, 1, 8))
        return fail(why, len, "conv stride %lldx%lld: the DLA takes strides of 1 to 8 [S21]",
                    (long long)sh, (long long)sw);
    if (!in_range(dh, 1, 32) || !in_range(dw, 1, 32))
        return fail(why, len, "conv dilation %lldx%lld: the DLA takes dilations of 1 to 32",
                    (long long)dh, (long long)dw);
    if (!in_range(l->pad_h, 0, 31) || !in_range(l->pad_w, 0, 31))
        return fail(why, len, "conv padding %lldx%lld: the DLA takes padding of 0 to 31",
                    (long long)l->pad_h, (long long)l->pad_w);
    if (g < 1 || l->c % g != 0 || l->k % g != 0)
        return fail(why, len, "conv groups %lld must divide both C = %lld and K = %lld",
                    (long long)g, (long long)l->c, (long long)l->k);
    l->out_h = window_out(l->h, l->pad_h, l->kh, dh, sh);
    l->out_w = window_out(l->w, l->pad_w, l->kw, dw, sw);
    if (l->out_h < 1 || l->out_w < 1)
        return fail(why, len, "conv kernel %lldx%lld (dilation %lldx%lld) does not fit the "
                    "%lldx%lld input with padding %lldx%lld", (long long)l->kh,
                    (long long)l->kw, (long long)dh, (long long)dw, (long long)l->h,
                    (long long)l->w, (long long)l->pad_h, (long long)l->pad_w);
    return 0;
}

static int shape_deconv(dla_layer_t *l, char *why, size_t len)
{
    int64_t sh = or1(l->stride_h), sw = or1(l->stride_w);
    if (!in_range(l->kh, 1, 32) || !in_range(l->kw, 1, 32))
        return fail(why, len, "deconv kernel %lldx%lld: the DLA takes kernels of 1 to 32",
                    (long long)l->kh, (long long)l->kw);
    if (!in_range(sh, 1, 32) || !in_range(sw, 1, 32))
        return fail(why, len, "deconv stride %lldx%lld: the DLA takes strides of 1 to 32",
                    (long long)sh, (long long)sw);
    if (or1(l->groups) != 1)
        return fail(why, len, "deconv with %lld groups: the DLA runs no grouped "
                    "deconvolution [S21]", (long long)l->groups);
    if (or1(l->dil_h) != 1 || or1(l->dil_w) != 1)
        return fail(why, len, "deconv dilation %lldx%lld: the DLA runs no dilated "
                    "deconvolution [S21]", (long long)or1(l->dil_h), (long long)or1(l->dil_w));
    if (l->pad_h != 0 || l->pad_w != 0)
        return fail(why, len, "deconv padding %lldx%lld: padding must be 0 on the DLA [S21]",
                    (long long)l->pad_h, (long long)l->pad_w);
    l->out_h = (l->h - 1) * sh + l->kh;
    l->out_w = (l->w - 1) * sw + l->kw;
    return 0;
}

static int shape_pool(dla_layer_t *l, char *why, size_t len)
{
    int64_t sh = or1(l->stride_h), sw = or1(l->stride_w);
    if (l->func == DLA_POOL_MAX_AVG_BLEND || !in_range(l->func, 0, DLA_POOL_COUNT - 1))
        return fail(why, len, "pooling function %d: the DLA pools by max or average only",
                    l->func);
    if (!in_range(l->kh, 1, 8) || !in_range(l->kw, 1, 8))
        return fail(why, len, "pooling window %lldx%lld: the DLA takes windows of 1 to 8",
                    (long long)l->kh, (long long)l->kw);
    if (!in_range(sh, 1, 16) || !in_range(sw, 1, 16))
        return fail(why, len, "pooling stride %lldx%lld: the DLA takes strides of 1 to 16",
                    (long long)sh, (long long)sw);
    if (!in_range(l->pad_h, 0, 7) || !in_range(l->pad_w, 0, 7))
        return fail(why, len, "pooling padding %lldx%lld: the DLA takes padding of 0 to 7",
                    (long long)l->pad_h, (long long)l->pad_w);
    l->out_h = window_out(l->h, l->pad_h, l->kh, 1, sh);
    l->out_w = window_out(l->w, l->pad_w, l->kw, 1, sw);
    if (l->out_h < 1 || l->out_w < 1)
        return fail(why, len, "pooling window %lldx%lld does not fit the %lldx%lld input",
                    (long long)l->kh, (long long)l->kw, (long long)l->h, (long long)l->w);
    return 0;
}

static const char *const ACT_NAMES[DLA_ACT_COUNT] = {
    "relu", "sigmoid", "tanh", "clip", "leaky_relu", "prelu", "gelu", "silu", "hard_swish",
    "elu"};

static int shape_pointwise(const dla_spec_t *spec, dla_layer_t *l, char *why, size_t len)
{
    (void)spec;
    switch (l->kind) {
    case DLA_ACTIVATION:
        if (!in_range(l->func, 0, DLA_ACT_COUNT - 1))
            return fail(why, len, "activation function %d is unknown", l->func);
        if (l->func >= DLA_ACT_GELU)
            return fail(why, len, "activation '%s': the DLA runs ReLU, sigmoid, tanh, clipped "
                        "and leaky ReLU, and PReLU only [S21]", ACT_NAMES[l->func]);
        break;
    case DLA_ELTWISE:
        if (!in_range(l->inputs ? l->inputs : 2, 1, 2))
            return fail(why, len, "eltwise with %lld inputs: DLA element-wise layers are "
                        "binary (1 or 2 tensor inputs)", (long long)l->inputs);
        if (!in_range(l->func, 0, DLA_ELT_COUNT - 1))
            return fail(why, len, "element-wise operation %d is unknown", l->func);
        if (l->func >= DLA_ELT_FLOOR_DIV)
            return fail(why, len, "element-wise operation %d: the DLA runs sum, sub, product, "
                        "max, min, div, pow and (INT8) comparisons only [S21]", l->func);
        if (l->func >= DLA_ELT_EQUAL && l->dtype != DT_INT8)
            return fail(why, len, "element-wise comparison in %s: the DLA compares in INT8 "
                        "only [S21]", dtype_name(l->dtype));
        break;
    case DLA_CONCAT:
        if (l->inputs == 1)
            return fail(why, len, "concat of 1 input: the DLA needs at least 2 [S21]");
        if (l->axis != DLA_AXIS_C)
            return fail(why, len, "concat along axis %d: the DLA concatenates along the "
                        "channel axis only [S21]", l->axis);
        break;
    case DLA_SOFTMAX:
        if (l->axis != DLA_AXIS_C)
            return fail(why, len, "softmax along axis %d: the DLA computes softmax along the "
                        "channel axis only", l->axis);
        break;
    case DLA_RESIZE: {
        int64_t limit = l->func == DLA_RESIZE_NEAREST ? 32 : 4;
        if (!in_range(l->func, 0, DLA_RESIZE_COUNT - 1) || l->func == DLA_RESIZE_CUBIC)
            return fail(why, len, "resize mode %d: the DLA resizes by nearest or linear "
                        "interpolation only", l->func);
        if (!in_range(l->scale_h, 1, limit) || !in_range(l->scale_w, 1, limit))
            return fail(why, len, "resize scale %lldx%lld: the DLA up-samples %s by integer "
                        "factors of 1 to %lld", (long long)l->scale_h, (long long)l->scale_w,
                        l->func == DLA_RESIZE_NEAREST ? "nearest" : "linear", (long long)limit);
        l->out_h = l->h * l->scale_h;
        l->out_w = l->w * l->scale_w;
        return 0;
    }
    default:
        break;
    }
    l->out_h = l->h;
    l->out_w = l->w;
    return 0;
}

int dla_layer_shape(const dla_spec_t *spec, dla_layer_t *l, char *why, size_t len)
{
    int rc;
    if (l->kind < 0 || l->kind >= DLA_LAYER_COUNT)
        return fail(why, len, "layer kind %d is unknown", (int)l->kind);
    if (l->kind == DLA_MATMUL)
        return fail(why, len, "matmul between two activations: the DLA multiplies activations "
                    "only by weights fixed when the loadable is built (conv, FC)");
    if (l->kind == DLA_NORM)
        return fail(why, len, "layer/group/instance normalisation: no DLA layer computes "
                    "statistics over H, W or a group of channels at run time");
    if (l->dtype != DT_INT8 && l->dtype != DT_FP16)
        return fail(why, len, "%s in %s: the DLA computes in int8 and fp16 only [S21]",
                    dla_kind_name(l->kind), dtype_name(l->dtype));
    if (!in_range(l->n, 1, DLA_MAX_BATCH))
        return fail(why, len, "batch %lld: the DLA takes batches of 1 to %d [S21]",
                    (long long)l->n, DLA_MAX_BATCH);
    if (!in_range(l->c, 1, DLA_MAX_DIM) || !in_range(l->h, 1, DLA_MAX_DIM) ||
        !in_range(l->w, 1, DLA_MAX_DIM))
        return fail(why, len, "input %lldx%lldx%lld (CxHxW): every non-batch dimension must "
                    "be 1 to %d on the DLA [S21]", (long long)l->c, (long long)l->h,
                    (long long)l->w, DLA_MAX_DIM);
    switch (l->kind) {
    case DLA_CONV:
    case DLA_DECONV:
    case DLA_FC:
        if (!in_range(l->k, 1, DLA_MAX_DIM))
            return fail(why, len, "%s with K = %lld output channels: the DLA takes 1 to %d "
                        "[S21]", dla_kind_name(l->kind), (long long)l->k, DLA_MAX_DIM);
        if (l->kind == DLA_FC) {
            l->out_h = l->out_w = 1;
            rc = 0;
        } else {
            rc = l->kind == DLA_CONV ? shape_conv(l, why, len) : shape_deconv(l, why, len);
        }
        break;
    case DLA_POOL:
        rc = shape_pool(l, why, len);
        break;
    default:
        rc = shape_pointwise(spec, l, why, len);
        break;
    }
    if (rc != 0)
        return rc;
    if (l->out_h > DLA_MAX_DIM || l->out_w > DLA_MAX_DIM)
        return fail(why, len, "%s output %lldx%lld: every non-batch dimension must be 1 to %d "
                    "on the DLA [S21]", dla_kind_name(l->kind), (long long)l->out_h,
                    (long long)l->out_w, DLA_MAX_DIM);
    return 0;
}

/* ---- cost ---- */

static double ceil_div(double a, double b)
{
    return ceil(a / b);
}

/* The cheaper SRAM split of a MAC layer (see the top of the file). */
static void split(const dla_spec_t *s, double in, double w, double out, double x_win,
                  double w_win, dla_cost_t *c)
{
    double half = s->sram_bytes / 2, pa, pb, ta, tb;
    if (x_win > half)
        x_win = half;
    if (w_win > half)
        w_win = half;
    pa = fmax(1, ceil_div(w, s->sram_bytes - x_win));
    pb = fmax(1, ceil_div(in, s->sram_bytes - w_win));
    ta = w + pa * in + out;
    tb = in + pb * w + out;
    if (ta <= tb) {
        c->passes = (int)fmin(pa, 1e9);
        c->dram_bytes = ta;
    } else {
        c->passes = (int)fmin(pb, 1e9);
        c->dram_bytes = tb;
    }
}

static void cost_mac(const dla_spec_t *s, const dla_layer_t *l, dla_cost_t *c)
{
    double eb = dtype_bytes(l->dtype);
    double g = (double)or1(l->groups), cin = (double)l->c, pixels, taps, x_win;
    double macs_per_clk = l->dtype == DT_INT8 ? s->int8_macs_per_clk : s->fp16_macs_per_clk;
    double ac_phys = fmax(1, floor(s->atom_c / eb)), ak = s->atom_k, ac, cg, kg, gp, ops;
    double in_bytes = (double)l->n * l->c * l->h * l->w * eb;
    double out_bytes = (double)l->n * l->k * l->out_h * l->out_w * eb;

    if (l->kind == DLA_FC) {          /* 1x1 convolution over a 1x1 input */
        cin = (double)l->c * l->h * l->w;
        pixels = (double)l->n;
        taps = 1;
        x_win = cin * eb;
    } else if (l->kind == DLA_DECONV) { /* input pixels scatter their taps */
        pixels = (double)l->n * l->h * l->w;
        taps = (double)l->kh * l->kw;
        x_win = (double)l->c * l->w * eb;
    } else {
        pixels = (double)l->n * l->out_h * l->out_w;
        taps = (double)l->kh * l->kw;
        x_win = (double)l->c * l->w * eb * ((double)or1(l->dil_h) * (l->kh - 1) + 1);
    }
    if (x_win > in_bytes / (double)l->n)
        x_win = in_bytes / (double)l->n;
    cg = cin / g;
    kg = (double)l->k / g;
    c->sparse = l->sparse && l->dtype == DT_INT8 && cg > s->sparse_min_c;
    ac = ac_phys * (c->sparse ? s->sparse_factor : 1);
    gp = 1;
    if (g > 1 && cg < ac && kg < ak)
        gp = fmin(g, fmin(floor(ac / cg), floor(ak / kg)));
    /* Image-input mode: a convolution narrower than the channel atom packs up to
     * tap_fold_max kernel rows into it, so kh rows cost ceil(kh / fold) operations. */
    if (l->kind == DLA_CONV && g == 1 && s->tap_fold_max > 1 && cg * 2 <= ac) {
        double fold = fmin(fmin(s->tap_fold_max, (double)l->kh), floor(ac / cg));
        taps = ceil_div((double)l->kh, fold) * (double)l->kw;
    }
    ops = pixels * taps * ceil_div(g, gp) * ceil_div(cg, ac) * ceil_div(kg, ak);
    c->cycles = ops * ac_phys * ak / macs_per_clk;
    taps = l->kind == DLA_FC ? 1 : (double)l->kh * l->kw;
    c->macs = pixels * taps * cg * kg * g;
    c->utilisation = c->macs / (c->cycles * macs_per_clk * (c->sparse ? s->sparse_factor : 1));
    c->weight_bytes = taps * cg * kg * g * eb / (c->sparse ? s->sparse_factor : 1);
    split(s, in_bytes, c->weight_bytes, out_bytes, x_win,
          taps * cg * fmin(kg * g, ak) * eb / (c->sparse ? s->sparse_factor : 1), c);
}

static void cost_stream(const dla_spec_t *s, const dla_layer_t *l, dla_cost_t *c)
{
    double eb = dtype_bytes(l->dtype);
    double in = (double)l->n * l->c * l->h * l->w;
    double out = (double)l->n * l->c * l->out_h * l->out_w;
    double inputs = (double)(l->inputs ? l->inputs : 2);
    c->passes = 1;
    switch (l->kind) {
    case DLA_POOL:
        c->cycles = in / s->pdp_elems_per_clk;
        c->dram_bytes = (in + out) * eb;
        break;
    case DLA_ELTWISE:
        c->cycles = out / s->sdp_elems_per_clk;
        c->dram_bytes = (inputs * in + out) * eb;
        break;
    case DLA_BATCHNORM:       /* per-channel scale and shift */
        c->weight_bytes = 2.0 * (double)l->c * eb;
        c->cycles = out / s->sdp_elems_per_clk;
        c->dram_bytes = (in + out) * eb + c->weight_bytes;
        break;
    case DLA_ACTIVATION:
        if (l->func == DLA_ACT_PRELU)   /* one slope per channel */
            c->weight_bytes = (double)l->c * eb;
        c->cycles = out / s->sdp_elems_per_clk;
        c->dram_bytes = (in + out) * eb + c->weight_bytes;
        break;
    case DLA_SOFTMAX:         /* maximum and sum, then normalise: two passes on chip */
        c->cycles = 2.0 * out / s->sdp_elems_per_clk;
        c->dram_bytes = (in + out) * eb;
        break;
    case DLA_RESIZE:
        c->cycles = out / s->sdp_elems_per_clk;
        c->dram_bytes = (in + out) * eb;
        break;
    case DLA_CONCAT:          /* a DMA copy into the output tensor */
        c->cycles = 0;
        c->dram_bytes = (in + out) * eb;
        break;
    default:
        assert(0 && "not a streaming layer");
    }
}

int dla_layer_cost(const dla_spec_t *spec, const dla_layer_t *l, dla_cost_t *out, char *why,
                   size_t len)
{
    dla_layer_t s = *l;
    dla_cost_t c = {0};
    if (dla_layer_shape(spec, &s, why, len) != 0)
        return -1;
    assert(spec->int8_macs_per_clk > 0 && spec->fp16_macs_per_clk > 0 && spec->atom_c > 0 &&
           spec->atom_k > 0 && spec->sram_bytes > 0 && spec->sdp_elems_per_clk > 0 &&
           spec->pdp_elems_per_clk > 0 && spec->sparse_factor >= 1);
    if (s.kind == DLA_CONV || s.kind == DLA_DECONV || s.kind == DLA_FC)
        cost_mac(spec, &s, &c);
    else
        cost_stream(spec, &s, &c);
    *out = c;
    return 0;
}

static int is_mac(dla_layer_kind_t k)
{
    return k == DLA_CONV || k == DLA_DECONV || k == DLA_FC;
}

/* Point-wise layers the SDP of a convolution pipe applies to the convolution's output on
 * its way out (NVDLA's "on-the-fly" SDP input, [S2 cuDLALayerwiseStats sample:
 * 'Conv + BatchNormalization + Add + Relu' is one hardware layer]). */
static int is_sdp(dla_layer_kind_t k)
{
    return k == DLA_ELTWISE || k == DLA_ACTIVATION || k == DLA_BATCHNORM;
}

int dla_fused_cost(const dla_spec_t *spec, const dla_layer_t *layers, int n, int i,
                   dla_cost_t *out, char *why, size_t len)
{
    dla_layer_t h;
    int used = 1;
    double eb, passed, macs_per_clk;

    assert(i >= 0 && i < n);
    h = layers[i];
    if (dla_layer_shape(spec, &h, why, len) != 0 || dla_layer_cost(spec, &h, out, why, len) != 0)
        return -1;
    if (!is_mac(h.kind))
        return 1;
    /* The tensor the MAC layer hands to the SDP on chip: K x out_h x out_w per sample. */
    eb = dtype_bytes(h.dtype);
    passed = (double)h.n * h.k * h.out_h * h.out_w * eb;
    while (i + used < n) {
        const dla_layer_t *s = &layers[i + used];
        dla_cost_t c;
        if (!is_sdp(s->kind) || s->dtype != h.dtype || s->n != h.n || s->c != h.k ||
            s->h != h.out_h || s->w != h.out_w)
            break;
        if (dla_layer_cost(spec, s, &c, why, len) != 0)
            return -1;
        /* Neither the producer's write nor this layer's read of that tensor reaches DRAM;
         * the SDP works as the outputs stream out, so the slower of the two sets the pace. */
        out->dram_bytes += c.dram_bytes - 2 * passed;
        out->weight_bytes += c.weight_bytes;
        out->cycles = fmax(out->cycles, c.cycles);
        used++;
    }
    macs_per_clk = h.dtype == DT_INT8 ? spec->int8_macs_per_clk : spec->fp16_macs_per_clk;
    if (out->cycles > 0)
        out->utilisation = out->macs / (out->cycles * macs_per_clk *
                                        (out->sparse ? spec->sparse_factor : 1));
    return used;
}

double dla_layer_seconds(const dla_spec_t *spec, const dla_cost_t *c, double bus_Bps)
{
    double bw = spec->dram_Bps;
    if (bus_Bps > 0 && (bw <= 0 || bus_Bps < bw))
        bw = bus_Bps;
    assert(spec->clock_hz > 0 && bw > 0);
    return fmax(c->cycles / spec->clock_hz, c->dram_bytes / bw) + spec->layer_overhead_s;
}

/* ---- the engine ---- */

/* The costs of a task's hardware layers do not change from one frame to the next: they
 * depend on the layers and on the spec's sizes, never on the clock (the only thing that
 * changes). A DLA keeps the plans of the last PLANS tasks it ran: a copy of the layers
 * (a task whose layers compare equal byte for byte reuses the plan; anything else gets a
 * new one) and, for each layer that starts a hardware layer, how many trace layers it
 * takes and their cost, filled the first time that layer runs. */
enum { PLANS = 4 };

typedef struct dla_plan {
    dla_layer_t *layers;         /* copy of the task's layers; NULL: the entry is free */
    int n;
    int *group;                  /* per start layer: layers fused (0 = not worked out yet) */
    dla_cost_t *cost;
} dla_plan_t;

struct dla {
    sim_t *sim;
    dla_spec_t spec;
    dram_t *dram;
    sim_link_t *core;            /* capacity: core clock, cycles/s */
    /* the task in progress */
    const dla_layer_t *layers;
    int n, next, busy, parts;
    int group;                   /* trace layers in the current hardware layer */
    dla_done_fn done;
    void *ctx;
    uint64_t tag;
    dla_cost_t cur;
    sim_flow_t *math, *mem;      /* the current layer's flows (NULL once done) */
    sim_evid_t timer;            /* pending overhead, if any */
    sim_time_t layer_start;
    dla_layer_fn observer;
    void *observer_ctx;
    /* statistics */
    sim_util_t busy_u, mac_u;
    double macs;
    dla_plan_t plans[PLANS];
    dla_plan_t *plan;            /* the current task's, or NULL (none could be made) */
    int plan_next;               /* the entry to replace next */
};

static void plan_clear(dla_plan_t *p)
{
    free(p->layers);
    free(p->group);
    free(p->cost);
    memset(p, 0, sizeof *p);
}

/* The plan of a task whose layers are `layers`: an existing one with equal layers, or a
 * new one after checking every layer (-1 if one cannot run). *plan is NULL where memory
 * for a new one is lacking: the task then runs without. */
static int plan_find(dla_t *d, const dla_layer_t *layers, int n, dla_plan_t **plan)
{
    size_t bytes = (size_t)n * sizeof *layers;
    for (int i = 0; i < PLANS; i++) {
        dla_plan_t *p = &d->plans[i];
        if (p->layers != NULL && p->n == n && memcmp(p->layers, layers, bytes) == 0) {
            *plan = p;
            return 0;
        }
    }
    for (int i = 0; i < n; i++) {
        dla_cost_t c;
        if (dla_layer_cost(&d->spec, &layers[i], &c, NULL, 0) != 0)
            return -1;
    }
    *plan = NULL;
    if (n == 0)
        return 0;
    dla_plan_t *p = &d->plans[d->plan_next];
    plan_clear(p);
    p->layers = malloc(bytes);
    p->group = calloc((size_t)n, sizeof *p->group);
    p->cost = malloc((size_t)n * sizeof *p->cost);
    if (p->layers == NULL || p->group == NULL || p->cost == NULL) {
        plan_clear(p);
        return 0;
    }
    memcpy(p->layers, layers, bytes);
    p->n = n;
    d->plan_next = (d->plan_next + 1) % PLANS;
    *plan = p;
    return 0;
}

static sim_time_t to_ps(double s)
{
    return (sim_time_t)llround(s * 1e12);
}

static void start_layer(sim_t *s, void *ctx, uint64_t tag);

static void part_done(sim_t *s, void *ctx, uint64_t tag)
{
    dla_t *d = ctx;
    if (tag == 0) {
        d->math = NULL;
        d->macs += d->cur.macs;
        sim_util_set(&d->mac_u, sim_now(s), 0);
    } else {
        d->mem = NULL;
    }
    if (--d->parts > 0)
        return;
    if (d->observer)
        d->observer(d->observer_ctx, d->next, d->group, d->layer_start, sim_now(s),
                    d->cur.dram_bytes, d->cur.macs);
    d->next += d->group;
    d->timer = sim_schedule(s, to_ps(d->spec.layer_overhead_s), start_layer, d, 0);
    assert(d->timer != 0 && "event pool exhausted");
}

static void start_layer(sim_t *s, void *ctx, uint64_t tag)
{
    dla_t *d = ctx;
    int rc;
    (void)tag;
    d->timer = 0;
    if (d->next == d->n) {
        dla_done_fn done = d->done;
        d->busy = 0;
        d->layers = NULL;
        sim_util_set(&d->busy_u, sim_now(s), 0);
        done(s, d->ctx, d->tag);
        return;
    }
    if (d->plan && d->plan->group[d->next] > 0) {
        rc = d->plan->group[d->next];
        d->cur = d->plan->cost[d->next];
    } else {
        rc = dla_fused_cost(&d->spec, d->layers, d->n, d->next, &d->cur, NULL, 0);
        if (d->plan && rc >= 1) {
            d->plan->group[d->next] = rc;
            d->plan->cost[d->next] = d->cur;
        }
    }
    assert(rc >= 1 && "layers are checked by dla_submit");
    d->group = rc;
    (void)rc;
    d->parts = 0;
    d->layer_start = sim_now(s);
    if (d->cur.cycles > 0) {
        d->parts++;
        d->math = sim_flow_start(d->core, d->cur.cycles, 0, 1.0, part_done, d, 0);
        assert(d->math != NULL && "out of memory starting a flow");
        sim_util_set(&d->mac_u, sim_now(s), d->cur.utilisation);
    }
    if (d->cur.dram_bytes > 0) {
        d->parts++;
        d->mem = dram_transfer(d->dram, d->cur.dram_bytes, d->spec.dram_Bps, 1.0, part_done, d,
                               1);
        assert(d->mem != NULL && "out of memory starting a flow");
    }
    if (d->parts == 0) {       /* nothing to do: the layer costs its overhead only */
        d->parts = 1;
        d->timer = sim_schedule(s, 0, part_done, d, 1);
    }
}

dla_t *dla_new(sim_t *s, const dla_spec_t *spec, dram_t *dram)
{
    dla_t *d;
    assert(spec->clock_hz > 0);
    d = calloc(1, sizeof *d);
    if (d == NULL)
        return NULL;
    d->sim = s;
    d->spec = *spec;
    d->dram = dram;
    sim_label(s, start_layer, "a DLA's layers (models/dla.c)");
    sim_label(s, part_done, "a DLA's layers (models/dla.c)");
    d->core = sim_link_new(s, "dla", spec->clock_hz);
    if (d->core == NULL) {
        free(d);
        return NULL;
    }
    sim_util_init(&d->busy_u, sim_now(s));
    sim_util_init(&d->mac_u, sim_now(s));
    return d;
}

void dla_free(dla_t *d)
{
    if (d == NULL)
        return;
    if (d->timer)
        sim_cancel(d->sim, d->timer);
    if (d->mem)
        sim_flow_cancel(d->dram->link, d->mem);
    if (d->math)
        sim_flow_cancel(d->core, d->math);
    sim_link_free(d->core);
    for (int i = 0; i < PLANS; i++)
        plan_clear(&d->plans[i]);
    free(d);
}

int dla_submit(dla_t *d, const dla_layer_t *layers, int n, dla_done_fn done, void *ctx,
               uint64_t tag)
{
    dla_plan_t *plan;
    if (d->busy || n < 0 || (n > 0 && layers == NULL) || done == NULL)
        return -1;
    if (plan_find(d, layers, n, &plan) != 0)
        return -1;
    d->plan = plan;
    d->timer = sim_schedule(d->sim, to_ps(d->spec.task_overhead_s), start_layer, d, 0);
    if (d->timer == 0)
        return -1;
    d->layers = layers;
    d->n = n;
    d->next = 0;
    d->done = done;
    d->ctx = ctx;
    d->tag = tag;
    d->busy = 1;
    sim_util_set(&d->busy_u, sim_now(d->sim), 1);
    return 0;
}

void dla_set_observer(dla_t *d, dla_layer_fn fn, void *ctx)
{
    d->observer = fn;
    d->observer_ctx = ctx;
}

int dla_busy(const dla_t *d)
{
    return d->busy;
}

void dla_set_clock(dla_t *d, double hz)
{
    assert(hz > 0);
    d->spec.clock_hz = hz;
    sim_link_set_capacity(d->core, hz);
}

double dla_busy_frac(dla_t *d, sim_time_t t0)
{
    sim_time_t now = sim_now(d->sim);
    sim_util_set(&d->busy_u, now, d->busy_u.level);
    return sim_util_avg(&d->busy_u, t0, now);
}

double dla_mac_frac(dla_t *d, sim_time_t t0)
{
    sim_time_t now = sim_now(d->sim);
    sim_util_set(&d->mac_u, now, d->mac_u.level);
    return sim_util_avg(&d->mac_u, t0, now);
}

double dla_macs_done(const dla_t *d)
{
    return d->macs;
}
