/*
 * trace_ops: the fields of every op kind of the trace format (docs/trace-format.md):
 * GPU ops, network layers (GPU and DLA), vision primitives (PVA) and the CPU op. Each
 * parser fills one trace_op_t and checks bounds that hold on any hardware; soc/trace/trace.c
 * handles the op list around it (kinds, keys, repeat).
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/trace/trace_internal.h"
#include "soc/io/units.h"

static const int64_t MAX_DIM = (int64_t)1 << 24;      /* gemm m n k, attention seq */
static const int64_t MAX_COUNT = (int64_t)1 << 20;    /* batch, conv N C H W filters */
static const int64_t MAX_ELEMENTS = (int64_t)1 << 40;
static const int64_t MAX_WINDOW = 1024;               /* conv kernel, stride, pad, dilation */
static const int64_t MAX_GRID = 2147483647;           /* 2^31 - 1 */

static const int64_t MAX_IMAGE = 16384;               /* pixels per side */

static const char *const OP_NAMES[OP_KIND_COUNT] = {
    "gemm",     "conv",      "attention",  "elementwise", "reduce",   "memcpy",
    "kernel",   "cpu",       "deconv",     "fc",          "pool",     "activation",
    "eltwise",  "batchnorm", "concat",     "resize",      "softmax",  "color_convert",
    "resize",   "remap",     "gaussian",   "box_filter",  "harris",   "fast",
    "histogram", "stereo",   "vpu"};
static const char *const ACT_NAMES[ACT_COUNT + 1] = {
    "relu", "relu6", "clip", "leaky_relu", "sigmoid", "tanh", "silu", "gelu", "hardswish", NULL};
static const char *const ELT_NAMES[ELT_COUNT + 1] = {"add", "sub", "mul", "max", "min", NULL};
static const char *const POOL_MODES[] = {"max", "avg", NULL};
static const char *const RESIZE_MODES[] = {"nearest", "bilinear", NULL};
static const char *const AXES[] = {"c", "h", "w", NULL};

const char *trace_op_name(trace_op_kind_t k)
{
    return (k >= 0 && k < OP_KIND_COUNT) ? OP_NAMES[k] : "?";
}

int trace_op_is_layer(trace_op_kind_t k)
{
    return k == OP_CONV || (k >= OP_DECONV && k <= OP_SOFTMAX);
}

int trace_op_is_vision(trace_op_kind_t k)
{
    return k >= OP_COLOR_CONVERT && k <= OP_VPU;
}

const char *trace_act_name(trace_act_t a)
{
    return (a >= 0 && a < ACT_COUNT) ? ACT_NAMES[a] : "?";
}

const char *trace_elt_name(trace_elt_t e)
{
    return (e >= 0 && e < ELT_COUNT) ? ELT_NAMES[e] : "?";
}

int trace__op_kind(parser_t *p, const yaml_node_t *m, const char *s)
{
    if (strcmp(s, "resize") == 0)
        return ydoc_get(&p->y, m, "image") ? OP_IMAGE_RESIZE : OP_RESIZE;
    if (strcmp(s, "scale") == 0)
        return OP_BATCHNORM;
    for (int i = 0; i < OP_KIND_COUNT; i++)
        if (strcmp(s, OP_NAMES[i]) == 0)
            return i;
    return -1;
}

static const char *const *const OP_KEYS[OP_KIND_COUNT] = {
    [OP_GEMM] = (const char *const[]){"op", "name", "m", "n", "k", "batch", "dtype", "sparsity",
                                      "weight_dtype", "quant_group", "weights", "activation",
                                      NULL},
    [OP_CONV] = (const char *const[]){"op", "name", "input", "filters", "kernel", "stride",
                                      "padding", "dilation", "groups", "activation", "dtype",
                                      "sparsity", NULL},
    [OP_ATTENTION] = (const char *const[]){"op", "name", "batch", "heads", "seq_q", "seq_kv",
                                           "head_dim", "kv_heads", "dtype", "causal", NULL},
    [OP_ELEMENTWISE] = (const char *const[]){"op", "name", "elements", "inputs", "outputs",
                                             "flops_per_element", "dtype", NULL},
    [OP_REDUCE] = (const char *const[]){"op", "name", "elements", "outputs", "dtype", NULL},
    [OP_MEMCPY] = (const char *const[]){"op", "name", "bytes", NULL},
    [OP_KERNEL] = (const char *const[]){"op", "name", "grid", "block", "registers", "shared",
                                        "flops", "tensor_flops", "dram_bytes", NULL},
    [OP_CPU] = (const char *const[]){"op", "name", "duration", "ref_clock", "instructions", "ipc",
                                     "threads", "bytes", NULL},
    [OP_DECONV] = (const char *const[]){"op", "name", "input", "filters", "kernel", "stride",
                                        "padding", "dilation", "groups", "activation", "dtype",
                                        "sparsity", NULL},
    [OP_FC] = (const char *const[]){"op", "name", "input", "outputs", "dtype", "sparsity", NULL},
    [OP_POOL] = (const char *const[]){"op", "name", "input", "kernel", "stride", "padding", "mode",
                                      "global", "dtype", NULL},
    [OP_ACTIVATION] = (const char *const[]){"op", "name", "input", "function", "dtype", NULL},
    [OP_ELTWISE] = (const char *const[]){"op", "name", "input", "inputs", "function", "dtype",
                                         NULL},
    [OP_BATCHNORM] = (const char *const[]){"op", "name", "input", "dtype", NULL},
    [OP_CONCAT] = (const char *const[]){"op", "name", "input", "inputs", "dtype", NULL},
    [OP_RESIZE] = (const char *const[]){"op", "name", "input", "scale", "output", "mode", "dtype",
                                        NULL},
    [OP_SOFTMAX] = (const char *const[]){"op", "name", "input", "axis", "dtype", NULL},
    [OP_COLOR_CONVERT] = (const char *const[]){"op", "name", "image", "bytes_per_pixel", NULL},
    [OP_IMAGE_RESIZE] = (const char *const[]){"op", "name", "image", "output", "bytes_per_pixel",
                                              NULL},
    [OP_REMAP] = (const char *const[]){"op", "name", "image", "bytes_per_pixel", NULL},
    [OP_GAUSSIAN] = (const char *const[]){"op", "name", "image", "kernel", "bytes_per_pixel",
                                          NULL},
    [OP_BOX_FILTER] = (const char *const[]){"op", "name", "image", "kernel", "bytes_per_pixel",
                                            NULL},
    [OP_HARRIS] = (const char *const[]){"op", "name", "image", "bytes_per_pixel", NULL},
    [OP_FAST] = (const char *const[]){"op", "name", "image", "bytes_per_pixel", NULL},
    [OP_HISTOGRAM] = (const char *const[]){"op", "name", "image", "bytes_per_pixel", NULL},
    [OP_STEREO] = (const char *const[]){"op", "name", "image", "disparities", "bytes_per_pixel",
                                        NULL},
    [OP_VPU] = (const char *const[]){"op", "name", "image", "cycles_per_pixel", "cycles", "bytes",
                                     NULL},
};
/* Formats each unit computes in: CUDA cores (kernel `flops`), tensor cores (`tensor_flops`,
 * and the only dtypes 2:4 sparsity applies to). */
static const char *const CUDA_DTYPES[] = {"fp32", "fp16", "bf16", "int8", NULL};
static const char *const TENSOR_DTYPES[] = {"tf32", "fp16", "bf16", "int8", "int4", NULL};


const char *const *trace__op_keys(trace_op_kind_t kind)
{
    return OP_KEYS[kind];
}

int trace__oom(parser_t *p)
{
    return diag_error(p->d, p->y.path, 0, 0, "out of memory");
}

int trace__oplist_reserve(parser_t *p, oplist_t *l, int64_t need)
{
    trace_op_t *v;
    int64_t cap = l->cap ? l->cap : 8;
    if (need <= l->cap)
        return 0;
    assert(need <= TRACE_MAX_OPS);
    while (cap < need)
        cap *= 2;
    if (cap > TRACE_MAX_OPS)
        cap = TRACE_MAX_OPS;
    v = realloc(l->v, (size_t)cap * sizeof *v);
    if (v == NULL)
        return trace__oom(p);
    l->v = v;
    l->cap = (int)cap;
    return 0;
}

/* ---- field helpers: "what" in messages reads "<op> <field>", e.g. "gemm m" ---- */

const char *trace__what(char *buf, size_t len, const char *ctx, const char *key)
{
    snprintf(buf, len, "%s %s", ctx, key);
    return buf;
}

/* An integer field: required when `def` is NULL. */
int trace__int_field(parser_t *p, const yaml_node_t *map, const char *ctx, const char *key,
                     int64_t min, int64_t max, const int64_t *def, int64_t *out)
{
    char w[96], mw[96];
    yaml_node_t *v = ydoc_get(&p->y, map, key);
    if (v == NULL) {
        if (def == NULL) {
            ydoc_require(&p->y, map, key, trace__what(mw, sizeof mw, ctx, "op"), p->d);
            return DIAG_ERR;
        }
        *out = *def;
        return 0;
    }
    return ydoc_int(&p->y, v, trace__what(w, sizeof w, ctx, key), min, max, out, p->d);
}

const int64_t trace__ONE = 1;

int trace__double_field(parser_t *p, const yaml_node_t *map, const char *ctx, const char *key,
                        double min, double max, double def, double *out)
{
    char w[96];
    yaml_node_t *v = ydoc_get(&p->y, map, key);
    if (v == NULL) {
        *out = def;
        return 0;
    }
    return ydoc_double(&p->y, v, trace__what(w, sizeof w, ctx, key), min, max, out, p->d);
}

/* A size with a unit in [min, max] bytes; the bounds are printed with units. */
int trace__size_value(parser_t *p, const yaml_node_t *v, const char *w, double min, double max,
                      double *out)
{
    char lo[32], hi[32];
    double b;
    if (ydoc_size(&p->y, v, w, 0.0, HUGE_VAL, &b, p->d) != 0)
        return DIAG_ERR;
    if (b < min || b > max) {
        units_fmt_bytes(min, lo, sizeof lo);
        units_fmt_bytes(max, hi, sizeof hi);
        return ydoc_error(&p->y, v, p->d, "%s = %s is out of range (expected %s to %s)", w,
                          ydoc_str(v), lo, hi);
    }
    *out = b;
    return 0;
}

int trace__size_field(parser_t *p, const yaml_node_t *map, const char *ctx, const char *key,
                      double min, double max, int required, double *out)
{
    char w[96], mw[96];
    yaml_node_t *v = ydoc_get(&p->y, map, key);
    if (v == NULL) {
        if (required) {
            ydoc_require(&p->y, map, key, trace__what(mw, sizeof mw, ctx, "op"), p->d);
            return DIAG_ERR;
        }
        *out = 0.0;
        return 0;
    }
    return trace__size_value(p, v, trace__what(w, sizeof w, ctx, key), min, max, out);
}

/* A duration in (0, max]; the message speaks in milliseconds and hours, not picoseconds. */
int trace__duration_value(parser_t *p, const yaml_node_t *v, const char *w, uint64_t max_ps,
                          uint64_t *out)
{
    uint64_t ps;
    if (ydoc_duration(&p->y, v, w, 0, UINT64_MAX, &ps, p->d) != 0)
        return DIAG_ERR;
    if (ps == 0 || ps > max_ps)
        return ydoc_error(&p->y, v, p->d,
                          "%s = %s is out of range (expected more than 0 s and at most %g s)",
                          w, ydoc_str(v), (double)max_ps / 1e12);
    *out = ps;
    return 0;
}

/* An integer or a list of 1..n integers (missing trailing items take `fill`). */
int trace__dims_field(parser_t *p, const yaml_node_t *v, const char *w, int n, int64_t min,
                      int64_t max, int64_t fill, int64_t *out)
{
    size_t len;
    if (v->type == YAML_SCALAR_NODE) {
        if (ydoc_int(&p->y, v, w, min, max, &out[0], p->d) != 0)
            return DIAG_ERR;
        for (int i = 1; i < n; i++)
            out[i] = n == 2 ? out[0] : fill;   /* a pair repeats, a dim3 fills with 1 */
        return 0;
    }
    len = ydoc_seq_len(v);
    if (v->type != YAML_SEQUENCE_NODE || len < 1 || len > (size_t)n) {
        if (n == 2)
            return ydoc_error(&p->y, v, p->d, "expected an integer or [h, w] for %s", w);
        return ydoc_error(&p->y, v, p->d, "expected an integer or [x, y, z] for %s", w);
    }
    if (n == 2 && len != 2)
        return ydoc_error(&p->y, v, p->d, "expected an integer or [h, w] for %s, got %zu items",
                          w, len);
    for (int i = 0; i < n; i++) {
        out[i] = fill;
        if ((size_t)i < len &&
            ydoc_int(&p->y, ydoc_seq_at(&p->y, v, (size_t)i), w, min, max, &out[i], p->d) != 0)
            return DIAG_ERR;
    }
    return 0;
}

/* A label: at most maxlen - 1 printable characters (no control characters). */
int trace__label(parser_t *p, const yaml_node_t *v, const char *w, char *out, size_t maxlen)
{
    if (ydoc_string(&p->y, v, w, out, maxlen, p->d) != 0)
        return DIAG_ERR;
    for (const char *s = out; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return ydoc_error(&p->y, v, p->d, "%s contains a control character", w);
    return 0;
}

int trace__dtype_field(parser_t *p, const yaml_node_t *map, const char *ctx, dtype_t *out)
{
    yaml_node_t *v = ydoc_get(&p->y, map, "dtype");
    char w[96];
    *out = DT_FP16;
    if (v == NULL)
        return 0;
    if (ydoc_expect_scalar(&p->y, v, trace__what(w, sizeof w, ctx, "dtype"), p->d) != 0)
        return DIAG_ERR;
    if (dtype_parse(ydoc_str(v), out) != 0)
        return ydoc_error(&p->y, v, p->d,
                          "unknown dtype '%s' in %s op (expected one of: fp32, tf32, fp16, "
                          "bf16, int8, int4)", ydoc_str(v), ctx);
    return 0;
}

static int sparsity_field(parser_t *p, const yaml_node_t *map, trace_op_t *op)
{
    yaml_node_t *v = ydoc_get(&p->y, map, "sparsity");
    const char *s;
    char w[96];
    op->sparse = 0;
    if (v == NULL)
        return 0;
    if (ydoc_expect_scalar(&p->y, v, trace__what(w, sizeof w, trace_op_name(op->kind), "sparsity"),
                           p->d) != 0)
        return DIAG_ERR;
    s = ydoc_str(v);
    if (strcmp(s, "dense") == 0)
        return 0;
    if (strcmp(s, "2:4") != 0)
        return ydoc_error(&p->y, v, p->d, "unknown sparsity '%s' (expected dense or \"2:4\")", s);
    if (op->dtype == DT_FP32)
        return ydoc_error(&p->y, v, p->d,
                          "2:4 sparsity needs a tensor-core dtype (tf32, fp16, bf16, int8, "
                          "int4), got fp32");
    op->sparse = 1;
    return 0;
}

/* kernel flops / tensor_flops: {dtype: count} with dtypes from `allowed`. */
static int flops_map(parser_t *p, const yaml_node_t *map, const char *key,
                     const char *const *allowed, double *out)
{
    yaml_node_t *v = ydoc_get(&p->y, map, key);
    char w[96];
    trace__what(w, sizeof w, "kernel", key);
    if (v == NULL)
        return 0;
    if (ydoc_expect_map(&p->y, v, w, p->d) != 0 || ydoc_check_keys(&p->y, v, allowed, w, p->d))
        return DIAG_ERR;
    for (const char *const *a = allowed; *a; a++) {
        yaml_node_t *c = ydoc_get(&p->y, v, *a);
        dtype_t t;
        char cw[128];
        int ok = dtype_parse(*a, &t);
        assert(ok == 0);
        (void)ok;
        snprintf(cw, sizeof cw, "%s %s", w, *a);
        if (c != NULL && ydoc_double(&p->y, c, cw, 0.0, MAX_FLOPS, &out[t], p->d) != 0)
            return DIAG_ERR;
    }
    return 0;
}

/* ---- one op of each kind ---- */

static int parse_gemm(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    if (trace__int_field(p, m, "gemm", "m", 1, MAX_DIM, NULL, &op->u.gemm.m) ||
        trace__int_field(p, m, "gemm", "n", 1, MAX_DIM, NULL, &op->u.gemm.n) ||
        trace__int_field(p, m, "gemm", "k", 1, MAX_DIM, NULL, &op->u.gemm.k) ||
        trace__int_field(p, m, "gemm", "batch", 1, MAX_COUNT, &trace__ONE, &op->u.gemm.batch))
        return DIAG_ERR;
    return trace__dtype_field(p, m, "gemm", &op->dtype) || sparsity_field(p, m, op);
}

/* A keyword from `names`; absent = def. */
static int enum_field(parser_t *p, const yaml_node_t *m, const char *ctx, const char *key,
                      const char *const *names, int def, int *out)
{
    char w[96], list[256] = "";
    yaml_node_t *v = ydoc_get(&p->y, m, key);
    size_t used = 0;
    *out = def;
    if (v == NULL)
        return 0;
    trace__what(w, sizeof w, ctx, key);
    if (ydoc_expect_scalar(&p->y, v, w, p->d) != 0)
        return DIAG_ERR;
    for (int i = 0; names[i]; i++) {
        if (strcmp(ydoc_str(v), names[i]) == 0) {
            *out = i;
            return 0;
        }
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                 names[i]);
        if (used >= sizeof list)
            break;
    }
    return ydoc_error(&p->y, v, p->d, "unknown %s '%s' (expected one of: %s)", w, ydoc_str(v),
                      list);
}

static int parse_conv(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    yaml_node_t *in = ydoc_require(&p->y, m, "input", "conv op", p->d);
    yaml_node_t *k, *v;
    int64_t nchw[4], pair[2];
    static const char *const DIM[4] = {"conv input N", "conv input C", "conv input H",
                                       "conv input W"};
    if (in == NULL || ydoc_expect_seq(&p->y, in, "conv input", p->d) != 0)
        return DIAG_ERR;
    if (ydoc_seq_len(in) != 4)
        return ydoc_error(&p->y, in, p->d, "expected [N, C, H, W] (4 integers) for conv input, "
                          "got %zu items", ydoc_seq_len(in));
    for (size_t i = 0; i < 4; i++)
        if (ydoc_int(&p->y, ydoc_seq_at(&p->y, in, i), DIM[i], 1, MAX_COUNT, &nchw[i], p->d))
            return DIAG_ERR;
    op->u.conv.n = nchw[0];
    op->u.conv.c = nchw[1];
    op->u.conv.h = nchw[2];
    op->u.conv.w = nchw[3];
    if (trace__int_field(p, m, "conv", "filters", 1, MAX_COUNT, NULL, &op->u.conv.filters))
        return DIAG_ERR;
    k = ydoc_require(&p->y, m, "kernel", "conv op", p->d);
    if (k == NULL || trace__dims_field(p, k, "conv kernel", 2, 1, MAX_WINDOW, 1, pair))
        return DIAG_ERR;
    op->u.conv.kh = pair[0];
    op->u.conv.kw = pair[1];
    pair[0] = pair[1] = 1;
    if ((v = ydoc_get(&p->y, m, "stride")) && trace__dims_field(p, v, "conv stride", 2, 1, MAX_WINDOW,
                                                         1, pair))
        return DIAG_ERR;
    op->u.conv.stride_h = pair[0];
    op->u.conv.stride_w = pair[1];
    pair[0] = pair[1] = 0;
    if ((v = ydoc_get(&p->y, m, "padding")) && trace__dims_field(p, v, "conv padding", 2, 0,
                                                          MAX_WINDOW, 0, pair))
        return DIAG_ERR;
    op->u.conv.pad_h = pair[0];
    op->u.conv.pad_w = pair[1];
    pair[0] = pair[1] = 1;
    if ((v = ydoc_get(&p->y, m, "dilation")) && trace__dims_field(p, v, "conv dilation", 2, 1,
                                                           MAX_WINDOW, 1, pair))
        return DIAG_ERR;
    op->u.conv.dil_h = pair[0];
    op->u.conv.dil_w = pair[1];
    /* The dilated kernel must fit in the padded input, or there is no output pixel (a
     * deconv's output grows instead). */
    if (op->kind == OP_CONV) {
        int64_t eh = op->u.conv.dil_h * (op->u.conv.kh - 1) + 1;
        int64_t ew = op->u.conv.dil_w * (op->u.conv.kw - 1) + 1;
        int64_t ih = op->u.conv.h + 2 * op->u.conv.pad_h;
        int64_t iw = op->u.conv.w + 2 * op->u.conv.pad_w;
        if (eh > ih || ew > iw)
            return ydoc_error(&p->y, k, p->d,
                              "conv kernel spans %lldx%lld pixels (with dilation), larger than "
                              "the padded input %lldx%lld", (long long)eh, (long long)ew,
                              (long long)ih, (long long)iw);
    }
    if (trace__int_field(p, m, "conv", "groups", 1, MAX_COUNT, &trace__ONE, &op->u.conv.groups))
        return DIAG_ERR;
    if (op->u.conv.c % op->u.conv.groups || op->u.conv.filters % op->u.conv.groups)
        return ydoc_error(&p->y, ydoc_get(&p->y, m, "groups"), p->d,
                          "conv groups = %lld must divide both the input channels (%lld) and "
                          "filters (%lld)", (long long)op->u.conv.groups, (long long)op->u.conv.c,
                          (long long)op->u.conv.filters);
    return enum_field(p, m, "conv", "activation", ACT_NAMES, -1, &op->act) ||
           trace__dtype_field(p, m, "conv", &op->dtype) || sparsity_field(p, m, op);
}

static int parse_attention(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    yaml_node_t *v;
    if (trace__int_field(p, m, "attention", "batch", 1, MAX_COUNT, &trace__ONE, &op->u.attn.batch) ||
        trace__int_field(p, m, "attention", "heads", 1, 4096, NULL, &op->u.attn.heads) ||
        trace__int_field(p, m, "attention", "seq_q", 1, MAX_DIM, NULL, &op->u.attn.seq_q) ||
        trace__int_field(p, m, "attention", "seq_kv", 1, MAX_DIM, &op->u.attn.seq_q,
                  &op->u.attn.seq_kv) ||
        trace__int_field(p, m, "attention", "head_dim", 1, 4096, NULL, &op->u.attn.head_dim))
        return DIAG_ERR;
    op->u.attn.causal = 0;
    if ((v = ydoc_get(&p->y, m, "causal")) &&
        ydoc_bool(&p->y, v, "attention causal", &op->u.attn.causal, p->d))
        return DIAG_ERR;
    return trace__dtype_field(p, m, "attention", &op->dtype);
}

static int parse_elementwise(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    if (trace__int_field(p, m, "elementwise", "elements", 1, MAX_ELEMENTS, NULL, &op->u.ew.elements) ||
        trace__int_field(p, m, "elementwise", "inputs", 0, 64, &trace__ONE, &op->u.ew.inputs) ||
        trace__int_field(p, m, "elementwise", "outputs", 1, 64, &trace__ONE, &op->u.ew.outputs) ||
        trace__double_field(p, m, "elementwise", "flops_per_element", 0.0, 1e6, 1.0,
                     &op->u.ew.flops_per_element))
        return DIAG_ERR;
    return trace__dtype_field(p, m, "elementwise", &op->dtype);
}

static int parse_reduce(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    if (trace__int_field(p, m, "reduce", "elements", 1, MAX_ELEMENTS, NULL, &op->u.reduce.elements) ||
        trace__int_field(p, m, "reduce", "outputs", 1, op->u.reduce.elements, &trace__ONE,
                  &op->u.reduce.outputs))
        return DIAG_ERR;
    return trace__dtype_field(p, m, "reduce", &op->dtype);
}

static int parse_kernel(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    yaml_node_t *g = ydoc_require(&p->y, m, "grid", "kernel op", p->d);
    yaml_node_t *b;
    int64_t threads;
    if (g == NULL || trace__dims_field(p, g, "kernel grid", 3, 1, MAX_GRID, 1, op->u.kernel.grid))
        return DIAG_ERR;
    b = ydoc_require(&p->y, m, "block", "kernel op", p->d);
    if (b == NULL || trace__dims_field(p, b, "kernel block", 3, 1, 1024, 1, op->u.kernel.block))
        return DIAG_ERR;
    threads = op->u.kernel.block[0] * op->u.kernel.block[1] * op->u.kernel.block[2];
    if (threads > 1024)
        return ydoc_error(&p->y, b, p->d, "kernel block has %lld threads (at most 1024 per CTA)",
                          (long long)threads);
    if (trace__int_field(p, m, "kernel", "registers", 1, 255, &(const int64_t){32},
                  &op->u.kernel.registers) ||
        trace__size_field(p, m, "kernel", "shared", 0.0, MAX_SHARED, 0, &op->u.kernel.shared) ||
        flops_map(p, m, "flops", CUDA_DTYPES, op->u.kernel.flops) ||
        flops_map(p, m, "tensor_flops", TENSOR_DTYPES, op->u.kernel.tensor_flops) ||
        trace__size_field(p, m, "kernel", "dram_bytes", 0.0, MAX_BYTES, 0, &op->u.kernel.dram_bytes))
        return DIAG_ERR;
    return 0;
}

static int parse_cpu(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    yaml_node_t *dur = ydoc_get(&p->y, m, "duration");
    yaml_node_t *ins = ydoc_get(&p->y, m, "instructions");
    yaml_node_t *v;
    if (dur && ins)
        return ydoc_error(&p->y, ydoc_key_node(&p->y, m, "instructions"), p->d,
                          "cpu op takes either duration or instructions + ipc, not both");
    if (dur) {
        /* A distribution (a mapping) is read by trace_vary.c, after these fields. */
        if (dur->type != YAML_MAPPING_NODE &&
            trace__duration_value(p, dur, "cpu duration", MAX_DURATION_PS, &op->u.cpu.duration_ps))
            return DIAG_ERR;
        if ((v = ydoc_get(&p->y, m, "ipc")))
            return ydoc_error(&p->y, ydoc_key_node(&p->y, m, "ipc"), p->d,
                              "cpu ipc goes with instructions, not with duration");
        if ((v = ydoc_get(&p->y, m, "ref_clock")) &&
            ydoc_freq(&p->y, v, "cpu ref_clock", 1e6, 10e9, &op->u.cpu.ref_hz, p->d))
            return DIAG_ERR;
    } else if (ins) {
        if (ydoc_double(&p->y, ins, "cpu instructions", 1.0, 1e15, &op->u.cpu.instructions, p->d))
            return DIAG_ERR;
        if ((v = ydoc_get(&p->y, m, "ref_clock")))
            return ydoc_error(&p->y, ydoc_key_node(&p->y, m, "ref_clock"), p->d,
                              "cpu ref_clock goes with duration, not with instructions");
        v = ydoc_require(&p->y, m, "ipc", "cpu op (instructions need an ipc)", p->d);
        if (v == NULL || ydoc_double(&p->y, v, "cpu ipc", 0.01, 16.0, &op->u.cpu.ipc, p->d))
            return DIAG_ERR;
    } else {
        return ydoc_error(&p->y, m, p->d,
                          "cpu op needs either duration (e.g. 1.5ms) or instructions + ipc");
    }
    if (trace__int_field(p, m, "cpu", "threads", 1, 256, &trace__ONE, &op->u.cpu.threads) ||
        trace__size_field(p, m, "cpu", "bytes", 0.0, MAX_BYTES, 0, &op->u.cpu.bytes))
        return DIAG_ERR;
    return 0;
}


/* ---- additions to GPU ops ---- */

static int gemm_extras(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    yaml_node_t *v;
    op->u.gemm.weight_dtype = op->dtype;
    op->u.gemm.weights = 1;
    if ((v = ydoc_get(&p->y, m, "weight_dtype"))) {
        if (ydoc_expect_scalar(&p->y, v, "gemm weight_dtype", p->d) != 0)
            return DIAG_ERR;
        if (dtype_parse(ydoc_str(v), &op->u.gemm.weight_dtype) != 0)
            return ydoc_error(&p->y, v, p->d,
                              "unknown dtype '%s' in gemm weight_dtype (expected one of: fp32, "
                              "tf32, fp16, bf16, int8, int4)", ydoc_str(v));
        if (dtype_bytes(op->u.gemm.weight_dtype) > dtype_bytes(op->dtype))
            return ydoc_error(&p->y, v, p->d,
                              "gemm weight_dtype %s is wider than the math dtype %s (weights are "
                              "stored narrower and widened for the math, not the reverse)",
                              ydoc_str(v), dtype_name(op->dtype));
    }
    if ((v = ydoc_get(&p->y, m, "quant_group"))) {
        if (trace__int_field(p, m, "gemm", "quant_group", 1, op->u.gemm.k, NULL,
                             &op->u.gemm.quant_group) != 0)
            return DIAG_ERR;
        if (op->u.gemm.weight_dtype == op->dtype)
            return ydoc_error(&p->y, v, p->d,
                              "gemm quant_group needs quantised weights: a weight_dtype "
                              "narrower than the math dtype %s", dtype_name(op->dtype));
    }
    if ((v = ydoc_get(&p->y, m, "weights")) &&
        ydoc_bool(&p->y, v, "gemm weights", &op->u.gemm.weights, p->d))
        return DIAG_ERR;
    return 0;
}

double trace_gemm_b_bytes(const trace_op_t *op)
{
    double b = dtype_bytes(op->u.gemm.weight_dtype);
    int64_t g = op->u.gemm.quant_group, k = op->u.gemm.k;
    if (g > 0)
        b += dtype_bytes(op->dtype) * (double)((k + g - 1) / g) / (double)k;
    return b;
}

/* ---- network layers ---- */

/* input: [N, C, H, W] (or [N, C] when allow2: H = W = 1). */
static int nchw_field(parser_t *p, const yaml_node_t *m, const char *ctx, int allow2,
                      int64_t out[4])
{
    char w[96], dw[128];
    yaml_node_t *in = ydoc_require(&p->y, m, "input", trace__what(w, sizeof w, ctx, "op"), p->d);
    size_t n;
    static const char *const DIM = "NCHW";
    trace__what(w, sizeof w, ctx, "input");
    if (in == NULL || ydoc_expect_seq(&p->y, in, w, p->d) != 0)
        return DIAG_ERR;
    n = ydoc_seq_len(in);
    if (n != 4 && !(allow2 && n == 2))
        return ydoc_error(&p->y, in, p->d, "expected [N, C, H, W]%s for %s, got %zu items",
                          allow2 ? " or [N, C]" : "", w, n);
    out[2] = out[3] = 1;
    for (size_t i = 0; i < n; i++) {
        snprintf(dw, sizeof dw, "%s %c", w, DIM[i]);
        if (ydoc_int(&p->y, ydoc_seq_at(&p->y, in, i), dw, 1, MAX_COUNT, &out[i], p->d))
            return DIAG_ERR;
    }
    return 0;
}

static void set_nchw(trace_op_t *op, const int64_t v[4])
{
    op->u.layer.n = v[0];
    op->u.layer.c = v[1];
    op->u.layer.h = v[2];
    op->u.layer.w = v[3];
}

static int parse_fc(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    int64_t v[4];
    if (nchw_field(p, m, "fc", 1, v) != 0)
        return DIAG_ERR;
    set_nchw(op, v);
    if (trace__int_field(p, m, "fc", "outputs", 1, MAX_COUNT, NULL, &op->u.layer.outputs))
        return DIAG_ERR;
    return trace__dtype_field(p, m, "fc", &op->dtype);
}

static int parse_pool(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    int64_t v[4], pair[2];
    yaml_node_t *k, *s;
    if (nchw_field(p, m, "pool", 0, v) != 0)
        return DIAG_ERR;
    set_nchw(op, v);
    if ((s = ydoc_get(&p->y, m, "global")) &&
        ydoc_bool(&p->y, s, "pool global", &op->u.layer.global, p->d))
        return DIAG_ERR;
    k = ydoc_get(&p->y, m, "kernel");
    if (op->u.layer.global) {
        if (k)
            return ydoc_error(&p->y, k, p->d, "pool kernel goes with a window, not global: true");
        op->u.layer.kh = op->u.layer.h;
        op->u.layer.kw = op->u.layer.w;
    } else {
        if (k == NULL) {
            ydoc_require(&p->y, m, "kernel", "pool op (or global: true)", p->d);
            return DIAG_ERR;
        }
        if (trace__dims_field(p, k, "pool kernel", 2, 1, MAX_WINDOW, 1, pair))
            return DIAG_ERR;
        op->u.layer.kh = pair[0];
        op->u.layer.kw = pair[1];
    }
    pair[0] = op->u.layer.kh;
    pair[1] = op->u.layer.kw;
    if ((s = ydoc_get(&p->y, m, "stride")) &&
        trace__dims_field(p, s, "pool stride", 2, 1, MAX_WINDOW, 1, pair))
        return DIAG_ERR;
    op->u.layer.stride_h = pair[0];
    op->u.layer.stride_w = pair[1];
    pair[0] = pair[1] = 0;
    if ((s = ydoc_get(&p->y, m, "padding")) &&
        trace__dims_field(p, s, "pool padding", 2, 0, MAX_WINDOW, 0, pair))
        return DIAG_ERR;
    op->u.layer.pad_h = pair[0];
    op->u.layer.pad_w = pair[1];
    if (op->u.layer.kh > op->u.layer.h + 2 * op->u.layer.pad_h ||
        op->u.layer.kw > op->u.layer.w + 2 * op->u.layer.pad_w)
        return ydoc_error(&p->y, k ? k : m, p->d,
                          "pool window %lldx%lld is larger than the padded input %lldx%lld",
                          (long long)op->u.layer.kh, (long long)op->u.layer.kw,
                          (long long)(op->u.layer.h + 2 * op->u.layer.pad_h),
                          (long long)(op->u.layer.w + 2 * op->u.layer.pad_w));
    op->u.layer.out_h = (op->u.layer.h + 2 * op->u.layer.pad_h - op->u.layer.kh) /
                        op->u.layer.stride_h + 1;
    op->u.layer.out_w = (op->u.layer.w + 2 * op->u.layer.pad_w - op->u.layer.kw) /
                        op->u.layer.stride_w + 1;
    return enum_field(p, m, "pool", "mode", POOL_MODES, 0, &op->u.layer.mode) ||
           trace__dtype_field(p, m, "pool", &op->dtype);
}

static int parse_activation(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    int64_t v[4];
    if (nchw_field(p, m, "activation", 0, v) != 0)
        return DIAG_ERR;
    set_nchw(op, v);
    return enum_field(p, m, "activation", "function", ACT_NAMES, ACT_RELU,
                      &op->u.layer.function) ||
           trace__dtype_field(p, m, "activation", &op->dtype);
}

static int parse_eltwise(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    int64_t v[4];
    if (nchw_field(p, m, "eltwise", 0, v) != 0)
        return DIAG_ERR;
    set_nchw(op, v);
    if (trace__int_field(p, m, "eltwise", "inputs", 1, 64, &(const int64_t){2},
                         &op->u.layer.inputs))
        return DIAG_ERR;
    return enum_field(p, m, "eltwise", "function", ELT_NAMES, ELT_ADD, &op->u.layer.function) ||
           trace__dtype_field(p, m, "eltwise", &op->dtype);
}

static int parse_batchnorm(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    int64_t v[4];
    if (nchw_field(p, m, "batchnorm", 0, v) != 0)
        return DIAG_ERR;
    set_nchw(op, v);
    return trace__dtype_field(p, m, "batchnorm", &op->dtype);
}

static int parse_concat(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    int64_t v[4];
    if (nchw_field(p, m, "concat", 0, v) != 0)
        return DIAG_ERR;
    set_nchw(op, v);
    if (trace__int_field(p, m, "concat", "inputs", 1, 1024, &(const int64_t){2},
                         &op->u.layer.inputs))
        return DIAG_ERR;
    return trace__dtype_field(p, m, "concat", &op->dtype);
}

static int parse_resize(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    int64_t v[4], scale = 2, pair[2];
    yaml_node_t *sc = ydoc_get(&p->y, m, "scale"), *o = ydoc_get(&p->y, m, "output");
    if (nchw_field(p, m, "resize", 0, v) != 0)
        return DIAG_ERR;
    set_nchw(op, v);
    if (sc && o)
        return ydoc_error(&p->y, ydoc_key_node(&p->y, m, "output"), p->d,
                          "resize takes either scale or output, not both");
    if (o) {
        if (trace__dims_field(p, o, "resize output", 2, 1, MAX_COUNT, 1, pair))
            return DIAG_ERR;
        op->u.layer.out_h = pair[0];
        op->u.layer.out_w = pair[1];
    } else {
        if (sc && ydoc_int(&p->y, sc, "resize scale", 1, 64, &scale, p->d))
            return DIAG_ERR;
        op->u.layer.out_h = op->u.layer.h * scale;
        op->u.layer.out_w = op->u.layer.w * scale;
    }
    return enum_field(p, m, "resize", "mode", RESIZE_MODES, 0, &op->u.layer.mode) ||
           trace__dtype_field(p, m, "resize", &op->dtype);
}

static int parse_softmax(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    int64_t v[4];
    if (nchw_field(p, m, "softmax", 0, v) != 0)
        return DIAG_ERR;
    set_nchw(op, v);
    return enum_field(p, m, "softmax", "axis", AXES, 0, &op->u.layer.axis) ||
           trace__dtype_field(p, m, "softmax", &op->dtype);
}

/* ---- vision primitives ---- */

static int parse_vision(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    const char *ctx = trace_op_name(op->kind);
    char w[96];
    int64_t wh[2];
    yaml_node_t *v = ydoc_require(&p->y, m, "image", trace__what(w, sizeof w, ctx, "op"), p->d);
    if (v == NULL || trace__dims_field(p, v, trace__what(w, sizeof w, ctx, "image"), 2, 1,
                                       MAX_IMAGE, 1, wh))
        return DIAG_ERR;
    if (v->type != YAML_SEQUENCE_NODE)
        return ydoc_error(&p->y, v, p->d, "expected [width, height] for %s image", ctx);
    op->u.image.width = wh[0];
    op->u.image.height = wh[1];
    op->dtype = DT_INT8;   /* 8-bit pixels; bytes_per_pixel says more */
    if (trace__double_field(p, m, ctx, "bytes_per_pixel", 0.0, 64.0, 0.0,
                            &op->u.image.bytes_per_pixel))
        return DIAG_ERR;
    switch (op->kind) {
    case OP_IMAGE_RESIZE:
        v = ydoc_require(&p->y, m, "output", "resize op (output: [width, height])", p->d);
        if (v == NULL || trace__dims_field(p, v, "resize output", 2, 1, MAX_IMAGE, 1, wh))
            return DIAG_ERR;
        op->u.image.out_width = wh[0];
        op->u.image.out_height = wh[1];
        break;
    case OP_GAUSSIAN:
    case OP_BOX_FILTER:
        if (trace__int_field(p, m, ctx, "kernel", 1, 31,
                             &(const int64_t){op->kind == OP_GAUSSIAN ? 5 : 3},
                             &op->u.image.kernel))
            return DIAG_ERR;
        if (op->u.image.kernel % 2 == 0)
            return ydoc_error(&p->y, ydoc_get(&p->y, m, "kernel"), p->d,
                              "%s kernel = %lld must be odd", ctx, (long long)op->u.image.kernel);
        break;
    case OP_STEREO:
        if (trace__int_field(p, m, ctx, "disparities", 1, 1024, &(const int64_t){128},
                             &op->u.image.disparities))
            return DIAG_ERR;
        break;
    case OP_VPU: {
        yaml_node_t *cpp = ydoc_get(&p->y, m, "cycles_per_pixel"), *cyc = ydoc_get(&p->y, m,
                                                                                  "cycles");
        if (cpp && cyc)
            return ydoc_error(&p->y, ydoc_key_node(&p->y, m, "cycles"), p->d,
                              "vpu op takes either cycles_per_pixel or cycles, not both");
        if (!cpp && !cyc)
            return ydoc_error(&p->y, m, p->d, "vpu op needs cycles_per_pixel or cycles");
        if (cpp && ydoc_double(&p->y, cpp, "vpu cycles_per_pixel", 1e-6, 1e6,
                               &op->u.image.cycles_per_pixel, p->d))
            return DIAG_ERR;
        if (cyc && ydoc_double(&p->y, cyc, "vpu cycles", 1.0, 1e15, &op->u.image.cycles, p->d))
            return DIAG_ERR;
        if (trace__size_field(p, m, "vpu", "bytes", 0.0, MAX_BYTES, 0, &op->u.image.bytes))
            return DIAG_ERR;
        break;
    }
    default:
        break;
    }
    return 0;
}

/* ---- dispatch ---- */

static int parse_memcpy(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    return trace__size_field(p, m, "memcpy", "bytes", 1.0, MAX_BYTES, 1, &op->u.memcpy.bytes);
}

static int parse_gemm_all(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    return parse_gemm(p, m, op) || gemm_extras(p, m, op) ||
           enum_field(p, m, "gemm", "activation", ACT_NAMES, -1, &op->act);
}

static int parse_attention_all(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    if (parse_attention(p, m, op) != 0)
        return DIAG_ERR;
    if (trace__int_field(p, m, "attention", "kv_heads", 1, op->u.attn.heads, &op->u.attn.heads,
                         &op->u.attn.kv_heads))
        return DIAG_ERR;
    if (op->u.attn.heads % op->u.attn.kv_heads != 0)
        return ydoc_error(&p->y, ydoc_get(&p->y, m, "kv_heads"), p->d,
                          "attention kv_heads = %lld must divide heads = %lld",
                          (long long)op->u.attn.kv_heads, (long long)op->u.attn.heads);
    return 0;
}

static int parse_fc_all(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    return parse_fc(p, m, op) || sparsity_field(p, m, op);
}

int trace__op_fields(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    static int (*const PARSE[OP_KIND_COUNT])(parser_t *, const yaml_node_t *, trace_op_t *) = {
        [OP_GEMM] = parse_gemm_all,       [OP_CONV] = parse_conv,
        [OP_ATTENTION] = parse_attention_all, [OP_ELEMENTWISE] = parse_elementwise,
        [OP_REDUCE] = parse_reduce,       [OP_MEMCPY] = parse_memcpy,
        [OP_KERNEL] = parse_kernel,       [OP_CPU] = parse_cpu,
        [OP_DECONV] = parse_conv,         [OP_FC] = parse_fc_all,
        [OP_POOL] = parse_pool,           [OP_ACTIVATION] = parse_activation,
        [OP_ELTWISE] = parse_eltwise,     [OP_BATCHNORM] = parse_batchnorm,
        [OP_CONCAT] = parse_concat,       [OP_RESIZE] = parse_resize,
        [OP_SOFTMAX] = parse_softmax,     [OP_COLOR_CONVERT] = parse_vision,
        [OP_IMAGE_RESIZE] = parse_vision, [OP_REMAP] = parse_vision,
        [OP_GAUSSIAN] = parse_vision,     [OP_BOX_FILTER] = parse_vision,
        [OP_HARRIS] = parse_vision,       [OP_FAST] = parse_vision,
        [OP_HISTOGRAM] = parse_vision,    [OP_STEREO] = parse_vision,
        [OP_VPU] = parse_vision,
    };
    assert(op->kind >= 0 && op->kind < OP_KIND_COUNT && PARSE[op->kind]);
    return PARSE[op->kind](p, m, op);
}
