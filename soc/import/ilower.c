/*
 * ilower: a shaped graph (soc/import/ishape.c) into the zoo's layers (soc/zoo/zoo_build.h),
 * with the fusions TensorRT makes when it builds an engine, so that the trace holds what
 * the engine runs and not the exporter's node list.
 *
 * Walking the nodes in order, each node not yet taken by an earlier fusion becomes:
 *
 * - Conv / ConvTranspose: a conv (deconv) layer, folding a BatchNormalization that alone
 *   reads its output, then an activation that alone reads that (Relu, Clip -> relu6 or
 *   clip, Sigmoid, Tanh, LeakyRelu, HardSwish, Gelu, and SiLU written as x * Sigmoid(x));
 *   the zoo's rules (soc/zoo/zoo_fuse.c) decide where the activation runs.
 * - Gemm with constant B: an fc layer; MatMul with a constant operand: a gemm with weights
 *   (a following constant Add is its bias); MatMul of two activations: a batched gemm, or,
 *   when it is QK^T -> [scale] -> [mask] -> Softmax -> xV, one attention op (TensorRT's
 *   fused multi-head attention). Einsum when it is a (batched) matrix product.
 * - Add / Sub / Mul of two activations of one 4-D shape: a residual eltwise layer, with
 *   the activation after it fused. Any other run of point-wise ops (arithmetic,
 *   activations, Erf, Pow, Where, ...) where each alone reads the one before: one
 *   elementwise op of as many flops per element as it has ops, reading the distinct
 *   tensors from outside the run (TensorRT's point-wise fusion). A lone activation on a
 *   tensor is an activation layer.
 * - Pooling, Resize, Concat, Softmax: their layers. LayerNormalization (8 flops per
 *   element, as the zoo's transformers), a BatchNormalization no conv absorbs (2), a
 *   reduction, Transpose / Expand / Tile / Pad (copies, 0 flops): elementwise ops.
 * - Reshape, Flatten, Squeeze, Unsqueeze, Split, Slice, Identity, Dropout, Cast, and
 *   everything computed from constants alone (shapes): nothing, as TensorRT folds them
 *   or reads them as views. QuantizeLinear / DequantizeLinear: nothing themselves; a layer
 *   whose input comes out of a DequantizeLinear runs in int8 (explicit quantization).
 * - An op with no rule: an elementwise op over its largest tensor, one flop per element,
 *   counted in the report (or an error with --strict).
 */
#include "soc/import/ilower.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/import/ishape.h"

#define MAX_DIM ((int64_t)1 << 20)        /* a layer's N, C, H or W in a trace */
#define MAX_GEMM ((int64_t)1 << 24)       /* a gemm's m, n, k */

typedef struct lower {
    ig_graph_t *g;
    zoo_net_t *net;
    ilower_report_t *rep;
    int strict;
    diag_t *d;
    int *first, *users;           /* consumers of each tensor (CSR) */
} lower_t;

static int fail(lower_t *L, const ig_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(lower_t *L, const ig_node_t *n, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return diag_error(L->d, L->g->file, 0, 0, "node '%s' (%s): %s", n->name, n->op, msg);
}

static ig_tensor_t *T(lower_t *L, int k)
{
    return k >= 0 ? &L->g->t[k] : NULL;
}

static ig_tensor_t *IN(lower_t *L, const ig_node_t *n, int i)
{
    return i < n->nin ? T(L, n->in[i]) : NULL;
}

static int is(const ig_node_t *n, const char *op)
{
    return strcmp(n->op, op) == 0;
}

/* The one node that reads tensor k, or -1 (none, several, or a graph output). */
static int sole_reader(lower_t *L, int k)
{
    if (k < 0 || L->g->t[k].is_output || L->first[k + 1] - L->first[k] != 1)
        return -1;
    return L->users[L->first[k]];
}

/* ---------------------------------------------------------------- shapes */

/* A tensor as NCHW: N = dim 0, C = dim 1, W = the last, H = the product of the rest. */
static int as_nchw(const ig_tensor_t *t, zt_t *x)
{
    zt_t v = {1, 1, 1, 1};
    if (t->rank == 1) {
        v.c = t->dims[0];
    } else if (t->rank == 2) {
        v.n = t->dims[0];
        v.c = t->dims[1];
    } else if (t->rank >= 3) {
        v.n = t->dims[0];
        v.c = t->dims[1];
        v.w = t->dims[t->rank - 1];
        for (int i = 2; i < t->rank - 1; i++)
            v.h *= t->dims[i];
    }
    *x = v;
    return v.n >= 1 && v.c >= 1 && v.h >= 1 && v.w >= 1 && v.n <= MAX_DIM && v.c <= MAX_DIM &&
           v.h <= MAX_DIM && v.w <= MAX_DIM;
}

static int64_t elements(const ig_tensor_t *t)
{
    return (int64_t)ig_elements(t);
}

/* The op just added (a scratch op when out of memory: the build fails later). */
static zoo_op_t *last_op(lower_t *L)
{
    static zoo_op_t scratch;
    return L->net->nops > 0 && !L->net->nomem ? &L->net->ops[L->net->nops - 1] : &scratch;
}

/* ---------------------------------------------------------------- types */

static int from_dequant(lower_t *L, int k)
{
    return k >= 0 && L->g->t[k].producer >= 0 &&
           is(&L->g->n[L->g->t[k].producer], "DequantizeLinear");
}

/* A layer runs in int8 when an activation it reads comes out of a DequantizeLinear (a
 * Q/DQ pair TensorRT folds into it); else in the network's type. */
static void set_dtype(lower_t *L, const ig_node_t *n)
{
    for (int i = 0; i < n->nin; i++)
        if (n->in[i] >= 0 && !L->g->t[n->in[i]].is_const && from_dequant(L, n->in[i])) {
            last_op(L)->dtype = DT_INT8;
            L->rep->int8_layers++;
            return;
        }
}

/* ---------------------------------------------------------------- activations */

static int value_of(lower_t *L, const ig_node_t *n, int i, const char *attr, double dflt,
                    double *v)
{
    const ig_tensor_t *t = IN(L, n, i);
    if (t != NULL) {
        if (t->nval < 1)
            return -1;
        *v = t->val[0];
        return 0;
    }
    *v = ig_attr_float(n, attr, dflt);
    return 0;
}

/* The activation node c as a zoo activation, or ZOO_ACT_NONE if it is not one. */
static zoo_act_t act_kind(lower_t *L, const ig_node_t *c)
{
    if (is(c, "Relu")) return ZOO_ACT_RELU;
    if (is(c, "Sigmoid")) return ZOO_ACT_SIGMOID;
    if (is(c, "Tanh")) return ZOO_ACT_TANH;
    if (is(c, "LeakyRelu")) return ZOO_ACT_LEAKY_RELU;
    if (is(c, "HardSwish")) return ZOO_ACT_HARDSWISH;
    if (is(c, "Gelu")) return ZOO_ACT_GELU;
    if (is(c, "Clip")) {
        double lo, hi;
        if (value_of(L, c, 1, "min", -INFINITY, &lo) || value_of(L, c, 2, "max", INFINITY, &hi))
            return ZOO_ACT_NONE;
        if (lo == 0 && hi == 6)
            return ZOO_ACT_RELU6;
        if (lo == 0 && isinf(hi))
            return ZOO_ACT_RELU;
        return ZOO_ACT_CLIP;
    }
    return ZOO_ACT_NONE;
}

/* An activation that alone reads tensor *y: taken (its nodes marked done) and *y moved to
 * its output. SiLU is x * Sigmoid(x): the sigmoid and the product both read x. */
static zoo_act_t take_act(lower_t *L, int *y)
{
    int c = sole_reader(L, *y);
    ig_graph_t *g = L->g;
    if (c >= 0) {
        zoo_act_t a = act_kind(L, &g->n[c]);
        if (a != ZOO_ACT_NONE && g->n[c].nout >= 1 && g->n[c].in[0] == *y) {
            g->n[c].done = 1;
            *y = g->n[c].out[0];
            return a;
        }
        return ZOO_ACT_NONE;
    }
    if (*y >= 0 && !g->t[*y].is_output && L->first[*y + 1] - L->first[*y] == 2) {
        int a = L->users[L->first[*y]], b = L->users[L->first[*y] + 1], m;
        ig_node_t *s, *mul;
        if (is(&g->n[b], "Sigmoid")) {
            int t = a;
            a = b;
            b = t;
        }
        s = &g->n[a];
        mul = &g->n[b];
        if (!is(s, "Sigmoid") || !is(mul, "Mul") || s->nout < 1 || mul->nin != 2 ||
            (m = sole_reader(L, s->out[0])) != b)
            return ZOO_ACT_NONE;
        if (!((mul->in[0] == *y && mul->in[1] == s->out[0]) ||
              (mul->in[1] == *y && mul->in[0] == s->out[0])))
            return ZOO_ACT_NONE;
        s->done = mul->done = 1;
        *y = mul->out[0];
        return ZOO_ACT_SILU;
    }
    return ZOO_ACT_NONE;
}

/* ---------------------------------------------------------------- convolution */

/* A symmetric padding for the trace (which pads both sides alike) that gives ONNX's
 * output size: the begin pad, the end pad, or their mean, whichever fits; asymmetric
 * padding is thus approximated (docs/import.md). */
static int sym_pad(int64_t in, int64_t pb, int64_t pe, int64_t ek, int64_t s, int64_t want)
{
    int64_t cand[3] = {pb, pe, (pb + pe + 1) / 2}, best = pb > pe ? pb : pe;
    for (int i = 0; i < 3; i++)
        if (in + 2 * cand[i] >= ek && (in + 2 * cand[i] - ek) / s + 1 == want)
            return (int)cand[i];
    while (in + 2 * best < ek)
        best++;
    return (int)best;
}

static void geometry(lower_t *L, const ig_node_t *n, const ig_tensor_t *x, const int64_t *kernel,
                     const ig_tensor_t *y, zb_geom_t *g, int transpose)
{
    int64_t pads[4] = {0, 0, 0, 0}, st[2] = {1, 1}, dil[2] = {1, 1};
    const ig_attr_t *a;
    int sp = x->rank - 2;   /* 1 or 2 */
    (void)L;
    if ((a = ig_attr(n, "strides")) && a->type == IG_A_INTS)
        for (int i = 0; i < sp && i < a->n; i++)
            st[2 - sp + i] = a->ints[i];
    if ((a = ig_attr(n, "dilations")) && a->type == IG_A_INTS)
        for (int i = 0; i < sp && i < a->n; i++)
            dil[2 - sp + i] = a->ints[i];
    if ((a = ig_attr(n, "pads")) && a->type == IG_A_INTS && a->n == 2 * sp)
        for (int i = 0; i < sp; i++) {
            pads[2 - sp + i] = a->ints[i];
            pads[2 + 2 - sp + i] = a->ints[sp + i];
        }
    g->kh = sp == 2 ? (int)kernel[0] : 1;
    g->kw = (int)kernel[sp - 1];
    g->sh = (int)st[0];
    g->sw = (int)st[1];
    g->dh = (int)dil[0];
    g->dw = (int)dil[1];
    if (!ig_attr_is(n, "auto_pad", "NOTSET", 1) && !ig_attr_is(n, "auto_pad", "VALID", 0)) {
        /* SAME: total padding so that out = ceil(in / stride) */
        for (int i = 0; i < 2; i++) {
            int64_t in = sp == 2 || i == 1 ? x->dims[x->rank - 2 + i - (sp == 1 ? 1 : 0)] : 1;
            int64_t ek = dil[i] * ((i ? g->kw : g->kh) - 1) + 1;
            int64_t o = (in + st[i] - 1) / st[i], tot = (o - 1) * st[i] + ek - in;
            tot = tot < 0 ? 0 : tot;
            pads[i] = tot / 2;
            pads[2 + i] = tot - tot / 2;
        }
    }
    if (transpose) {
        g->ph = (int)pads[0];
        g->pw = (int)pads[1];
        return;
    }
    {
        int64_t ih = sp == 2 ? x->dims[2] : 1, iw = x->dims[x->rank - 1];
        int64_t oh = sp == 2 ? y->dims[2] : 1, ow = y->dims[y->rank - 1];
        g->ph = sym_pad(ih, pads[0], pads[2], dil[0] * (g->kh - 1) + 1, st[0], oh);
        g->pw = sym_pad(iw, pads[1], pads[3], dil[1] * (g->kw - 1) + 1, st[1], ow);
    }
}

/* Within the trace's bounds for a window (1..1024, padding 0..1024)? */
static int geom_ok(const zb_geom_t *g)
{
    return g->kh >= 1 && g->kw >= 1 && g->sh >= 1 && g->sw >= 1 && g->dh >= 1 && g->dw >= 1 &&
           g->kh <= 1024 && g->kw <= 1024 && g->sh <= 1024 && g->sw <= 1024 && g->dh <= 1024 &&
           g->dw <= 1024 && g->ph >= 0 && g->pw >= 0 && g->ph <= 1024 && g->pw <= 1024;
}

static int lower_conv(lower_t *L, ig_node_t *n, int transpose)
{
    ig_tensor_t *x = IN(L, n, 0), *w = IN(L, n, 1), *y0 = T(L, n->out[0]);
    int64_t kernel[2];
    int64_t group = ig_attr_int(n, "group", 1);
    int y = n->out[0], bn;
    zb_geom_t g;
    zt_t xi;
    zoo_act_t act;
    if (x->rank != 3 && x->rank != 4)
        return -1;   /* 3-D convolution: no layer for it; the caller models it generically */
    if (w->dims[2] > 1024 || w->dims[w->rank - 1] > 1024 || y0->dims[1] > MAX_DIM ||
        group < 1 || y0->dims[1] % group || x->dims[1] % group)
        return -1;
    kernel[0] = w->dims[2];
    kernel[1] = w->dims[w->rank - 1];
    if (x->rank == 3)
        kernel[0] = kernel[1];
    xi = (zt_t){x->dims[0], x->dims[1], x->rank == 4 ? x->dims[2] : 1, x->dims[x->rank - 1]};
    geometry(L, n, x, x->rank == 4 ? kernel : kernel + 1, y0, &g, transpose);
    if (xi.n > MAX_DIM || xi.c > MAX_DIM || xi.h > MAX_DIM || xi.w > MAX_DIM || !geom_ok(&g))
        return -1;
    if (!transpose && (xi.h + 2 * g.ph < (int64_t)g.dh * (g.kh - 1) + 1 ||
                       xi.w + 2 * g.pw < (int64_t)g.dw * (g.kw - 1) + 1))
        return -1;
    /* Batch-norm folded into the conv, then the activation fused. */
    if ((bn = sole_reader(L, y)) >= 0 && is(&L->g->n[bn], "BatchNormalization") &&
        L->g->n[bn].in[0] == y && L->g->n[bn].nout >= 1) {
        L->g->n[bn].done = 1;
        y = L->g->n[bn].out[0];
        L->rep->folded_bn++;
    }
    act = take_act(L, &y);
    if (act != ZOO_ACT_NONE)
        L->rep->fused_act++;
    if (transpose) {
        const ig_attr_t *op = ig_attr(n, "output_padding");
        int oph = 0, opw = 0;
        int64_t want_h = x->rank == 4 ? y0->dims[2] : 1, want_w = y0->dims[y0->rank - 1];
        if (op && op->type == IG_A_INTS && op->n >= 1) {
            opw = (int)op->ints[op->n - 1];
            oph = x->rank == 4 ? (int)op->ints[0] : 0;
        }
        /* Land on ONNX's output size (output_shape, SAME) through the output padding. */
        oph = (int)(want_h - ((xi.h - 1) * g.sh - 2 * g.ph + (int64_t)g.dh * (g.kh - 1) + 1));
        opw = (int)(want_w - ((xi.w - 1) * g.sw - 2 * g.pw + (int64_t)g.dw * (g.kw - 1) + 1));
        if (oph < 0 || opw < 0)
            return -1;
        zb_deconv(L->net, xi, y0->dims[1], &g, group, oph, opw, act, "%s", n->name);
    } else {
        zb_conv2d(L->net, xi, y0->dims[1], &g, group, act, "%s", n->name);
    }
    set_dtype(L, n);
    return 0;
}

static int lower_pool(lower_t *L, ig_node_t *n, int global)
{
    ig_tensor_t *x = IN(L, n, 0), *y = T(L, n->out[0]);
    int avg = !is(n, "MaxPool") && !is(n, "GlobalMaxPool");
    zt_t xi;
    if (x->rank != 4 || !as_nchw(x, &xi))
        return -1;
    if (global) {
        zb_gpool(L->net, xi, avg, "%s", n->name);
    } else {
        int64_t kernel[2] = {1, 1};
        const ig_attr_t *a = ig_attr(n, "kernel_shape");
        zb_geom_t g;
        if (a == NULL || a->type != IG_A_INTS || a->n != 2 || a->ints[0] > 1024 ||
            a->ints[1] > 1024)
            return -1;
        kernel[0] = a->ints[0];
        kernel[1] = a->ints[1];
        geometry(L, n, x, kernel, y, &g, 0);
        if (!geom_ok(&g) || xi.h + 2 * g.ph < g.kh || xi.w + 2 * g.pw < g.kw)
            return -1;
        zb_pool2d(L->net, xi, &g, avg, "%s", n->name);
    }
    set_dtype(L, n);
    return 0;
}

/* ---------------------------------------------------------------- products */

/* A constant Add right after a product: its bias. */
static int take_bias(lower_t *L, int *y)
{
    int c = sole_reader(L, *y);
    ig_node_t *a;
    if (c < 0)
        return 0;
    a = &L->g->n[c];
    if (!is(a, "Add") || a->nin != 2 || a->nout < 1)
        return 0;
    if (!((a->in[0] == *y && L->g->t[a->in[1]].is_const) ||
          (a->in[1] == *y && L->g->t[a->in[0]].is_const)))
        return 0;
    a->done = 1;
    *y = a->out[0];
    return 1;
}

static int gemm_fits(int64_t m, int64_t nn, int64_t k, int64_t batch)
{
    return m >= 1 && nn >= 1 && k >= 1 && m <= MAX_GEMM && nn <= MAX_GEMM && k <= MAX_GEMM &&
           batch >= 1 && batch <= MAX_DIM;
}

static void add_gemm(lower_t *L, const ig_node_t *n, int64_t m, int64_t nn, int64_t k,
                     int64_t batch, int weights, int bias, zoo_act_t act)
{
    zoo_resolved_t r;
    zoo_op_t *op;
    memset(&r, 0, sizeof r);
    op = zb_gemm(L->net, &r, m, nn, k, weights, bias, "%s", n->name);
    op->batch = batch;
    op->macs *= (double)batch;
    op->act = act;
    set_dtype(L, n);
}

/* QK^T -> [Mul|Div by a constant] -> [Add a mask] -> Softmax -> x V, from the first MatMul. */
static int try_attention(lower_t *L, ig_node_t *qk)
{
    ig_graph_t *g = L->g;
    ig_tensor_t *q = IN(L, qk, 0), *s = T(L, qk->out[0]), *v, *o;
    ig_node_t *chain[4], *sm = NULL, *pv;
    int y = qk->out[0], nchain = 0, c;
    int64_t lead = 1, batch, heads;
    if (s->rank < 3 || q->rank != s->rank)
        return -1;
    while ((c = sole_reader(L, y)) >= 0 && nchain < 3) {
        ig_node_t *m = &g->n[c];
        if (is(m, "Softmax") || is(m, "LogSoftmax")) {
            sm = m;
            break;
        }
        if (!(is(m, "Mul") || is(m, "Div") || is(m, "Add") || is(m, "Where")) || m->nout < 1)
            return -1;
        chain[nchain++] = m;
        y = m->out[0];
    }
    if (sm == NULL || (c = sole_reader(L, sm->out[0])) < 0)
        return -1;
    pv = &g->n[c];
    if (!is(pv, "MatMul") || pv->in[0] != sm->out[0] || (v = IN(L, pv, 1)) == NULL ||
        v->is_const || v->rank != s->rank)
        return -1;
    o = T(L, pv->out[0]);
    for (int i = 0; i < s->rank - 2; i++)
        lead *= s->dims[i];
    batch = s->rank >= 4 ? s->dims[0] : 1;
    heads = lead / batch;
    if (batch > MAX_DIM || heads > MAX_DIM || o->dims[o->rank - 1] != v->dims[v->rank - 1])
        return -1;
    for (int i = 0; i < nchain; i++)
        chain[i]->done = 1;
    sm->done = pv->done = 1;
    zb_attention(L->net, batch, heads, heads, s->dims[s->rank - 2], s->dims[s->rank - 1],
                 q->dims[q->rank - 1], 0, "%s", qk->name);
    set_dtype(L, qk);
    L->rep->attention++;
    return 0;
}

static int lower_matmul(lower_t *L, ig_node_t *n)
{
    ig_tensor_t *a = IN(L, n, 0), *b = IN(L, n, 1), *y = T(L, n->out[0]);
    int weights = b->is_const || a->is_const, out = n->out[0], bias;
    int64_t k, m, nn, batch;
    zoo_act_t act;
    if (!weights && try_attention(L, n) == 0)
        return 0;
    k = a->dims[a->rank - 1];
    nn = b->rank == 1 ? 1 : b->dims[b->rank - 1];
    if (weights && b->rank <= 2) {   /* activations x a weight matrix: one gemm */
        m = elements(a) / k;
        batch = 1;
    } else {
        m = a->rank == 1 ? 1 : a->dims[a->rank - 2];
        batch = elements(y) / (m * nn);
    }
    if (!gemm_fits(m, nn, k, batch))
        return -1;
    bias = weights && take_bias(L, &out);
    act = take_act(L, &out);
    add_gemm(L, n, m, nn, k, batch, weights, bias, act);
    return 0;
}

static int lower_gemm(lower_t *L, ig_node_t *n)
{
    ig_tensor_t *a = IN(L, n, 0), *b = IN(L, n, 1), *y = T(L, n->out[0]);
    int ta = (int)ig_attr_int(n, "transA", 0), out = n->out[0];
    int64_t m = y->dims[0], nn = y->dims[1], k = a->dims[ta ? 0 : 1];
    zoo_act_t act = take_act(L, &out);
    if (b->is_const && !a->is_const && m <= MAX_DIM && k <= MAX_DIM) {
        zt_t x = {m, k, 1, 1};
        zb_fc(L->net, x, nn, act, "%s", n->name);
        if (IN(L, n, 2) == NULL)
            last_op(L)->params -= (double)nn;   /* no bias */
        set_dtype(L, n);
        return 0;
    }
    if (!gemm_fits(m, nn, k, 1))
        return -1;
    add_gemm(L, n, m, nn, k, 1, b->is_const, IN(L, n, 2) != NULL, act);
    return 0;
}

static int lower_einsum(lower_t *L, ig_node_t *n)
{
    const ig_attr_t *eq = ig_attr(n, "equation");
    char buf[128], *arrow, *comma;
    ig_tensor_t *a = IN(L, n, 0), *b = IN(L, n, 1);
    int64_t m = 1, nn = 1, k = 1, batch = 1, size[128];
    if (eq == NULL || eq->slen >= sizeof buf || n->nin != 2)
        return -1;
    memcpy(buf, eq->s, eq->slen);
    buf[eq->slen] = '\0';
    for (char *p = buf, *q = buf;; p++) {
        if (*p != ' ')
            *q++ = *p;
        if (*p == '\0')
            break;
    }
    arrow = strstr(buf, "->");
    comma = strchr(buf, ',');
    if (arrow == NULL || comma == NULL)
        return -1;
    *comma = *arrow = '\0';
    for (int i = 0; i < 128; i++)
        size[i] = 0;
    for (int i = 0; buf[i]; i++)
        size[(unsigned char)buf[i] & 127] = a->dims[i];
    for (int i = 0; comma[1 + i]; i++)
        size[(unsigned char)comma[1 + i] & 127] = b->dims[i];
    for (int l = 'A'; l <= 'z'; l++) {
        int ina = strchr(buf, l) != NULL, inb = strchr(comma + 1, l) != NULL;
        int ino = strchr(arrow + 2, l) != NULL;
        if (!ina && !inb)
            continue;
        if (ina && inb && ino) batch *= size[l];
        else if (ina && inb) k *= size[l];
        else if (ina && ino) m *= size[l];
        else if (inb && ino) nn *= size[l];
        else return -1;   /* a sum over one operand's axis: not a product */
    }
    if (!gemm_fits(m, nn, k, batch))
        return -1;
    add_gemm(L, n, m, nn, k, batch, b->is_const || a->is_const, 0, ZOO_ACT_NONE);
    return 0;
}

/* ---------------------------------------------------------------- point-wise */

static int pointwise(const ig_node_t *n)
{
    static const char *const ops[] = {
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Mean", "Sum", "Mod", "PRelu",
        "Where", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or",
        "Not", "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Elu", "Selu", "Celu", "HardSigmoid",
        "HardSwish", "Softplus", "Softsign", "Mish", "Gelu", "Clip", "Exp", "Log", "Sqrt",
        "Reciprocal", "Neg", "Abs", "Erf", "Floor", "Ceil", "Round", "Sin", "Cos", "Sign",
        NULL};
    for (int i = 0; ops[i]; i++)
        if (strcmp(n->op, ops[i]) == 0)
            return 1;
    return 0;
}

static int lower_pointwise(lower_t *L, ig_node_t *n)
{
    ig_graph_t *g = L->g;
    ig_tensor_t *y = T(L, n->out[0]);
    int out = n->out[0], c, nops = 1, reads[64], nreads = 0;
    int64_t elems = elements(y);
    ig_node_t *chain[64];
    zt_t x;
    ig_tensor_t *a = IN(L, n, 0), *b = IN(L, n, 1);
    /* A residual add (or product) of two activations of one shape: an eltwise layer. An
     * input left empty (an optional input named "") is no activation. */
    if ((is(n, "Add") || is(n, "Sub") || is(n, "Mul")) && n->nin == 2 && a && b &&
        !a->is_const && !b->is_const && y->rank == 4 && a->rank == 4 && b->rank == 4 &&
        memcmp(a->dims, b->dims, 4 * sizeof(int64_t)) == 0 && as_nchw(y, &x)) {
        zoo_act_t act = take_act(L, &out);
        zb_eltwise(L->net, x, 2, is(n, "Add") ? 0 : is(n, "Mul") ? 1 : 2, act, "%s", n->name);
        set_dtype(L, n);
        return 0;
    }
    /* A lone activation: an activation layer. */
    c = sole_reader(L, out);
    if (act_kind(L, n) != ZOO_ACT_NONE && (c < 0 || !pointwise(&g->n[c])) && as_nchw(y, &x)) {
        zb_act(L->net, x, act_kind(L, n), "%s", n->name);
        set_dtype(L, n);
        return 0;
    }
    /* A point-wise run: each node alone reading the one before. */
    chain[0] = n;
    while ((c = sole_reader(L, out)) >= 0 && pointwise(&g->n[c]) && !g->n[c].done &&
           g->n[c].nout >= 1 && nops < 64) {
        chain[nops++] = &g->n[c];
        g->n[c].done = 1;
        out = g->n[c].out[0];
        if (elements(T(L, out)) > elems)
            elems = elements(T(L, out));
    }
    for (int i = 0; i < nops; i++)
        for (int j = 0; j < chain[i]->nin; j++) {
            int k = chain[i]->in[j], inside = 0, seen = 0;
            if (k < 0 || g->t[k].is_const)
                continue;
            for (int q = 0; q < i && !inside; q++)
                inside = chain[q]->out[0] == k;
            for (int q = 0; q < nreads && !seen; q++)
                seen = reads[q] == k;
            if (!inside && !seen && nreads < 64)
                reads[nreads++] = k;
        }
    if (elems < 1)
        return 0;
    zb_elementwise(L->net, elems, nreads, nops, 0, "%s", n->name);
    set_dtype(L, n);
    if (nops > 1)
        L->rep->pointwise_fused += nops - 1;
    return 0;
}

/* An elementwise op over the node's largest tensor (copies: flops 0). */
static void generic(lower_t *L, const ig_node_t *n, double flops, double params)
{
    int64_t elems = 0;
    int reads = 0;
    for (int i = 0; i < n->nin; i++) {
        ig_tensor_t *t = IN(L, n, i);
        if (t == NULL || t->is_const || t->rank < 0)
            continue;
        reads++;
        if (elements(t) > elems)
            elems = elements(t);
    }
    for (int i = 0; i < n->nout; i++) {
        ig_tensor_t *t = T(L, n->out[i]);
        if (t != NULL && t->rank >= 0 && elements(t) > elems)
            elems = elements(t);
    }
    if (elems < 1)
        return;
    zb_elementwise(L->net, elems, reads > 64 ? 64 : reads, flops, params, "%s", n->name);
    set_dtype(L, n);
}

/* ---------------------------------------------------------------- the walk */

static void count_unknown(lower_t *L, const ig_node_t *n)
{
    ilower_report_t *r = L->rep;
    for (int i = 0; i < r->nunknown; i++)
        if (strcmp(r->unknown[i].op, n->op) == 0) {
            r->unknown[i].count++;
            return;
        }
    if (r->nunknown < ILOWER_MAX_UNKNOWN) {
        snprintf(r->unknown[r->nunknown].op, sizeof r->unknown[0].op, "%s", n->op);
        r->unknown[r->nunknown++].count = 1;
    }
}

static int views(const ig_node_t *n)
{
    static const char *const ops[] = {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Split",
                                      "Slice", "Identity", "Dropout", "Cast", "Shape",
                                      "Constant", "ConstantOfShape", "QuantizeLinear",
                                      "DequantizeLinear", NULL};
    for (int i = 0; ops[i]; i++)
        if (strcmp(n->op, ops[i]) == 0)
            return 1;
    return 0;
}

static int lower_node(lower_t *L, ig_node_t *n)
{
    ig_tensor_t *x = IN(L, n, 0), *y = n->nout ? T(L, n->out[0]) : NULL;
    zt_t xi;
    int all_const = 1;
    for (int i = 0; i < n->nout; i++)
        if (n->out[i] >= 0 && !L->g->t[n->out[i]].is_const)
            all_const = 0;
    if (all_const || views(n) || y == NULL)
        return 0;   /* folded by the builder, or a view */
    for (int i = 0; i < n->nin; i++)
        if (n->in[i] >= 0 && (L->g->t[n->in[i]].rank < 0 || ig_elements(&L->g->t[n->in[i]]) < 1))
            return 0;   /* an empty tensor: no work */
    if (y->rank < 0)
        return 0;
    for (int i = 0; i < n->nout; i++)
        if (n->out[i] >= 0 && L->g->t[n->out[i]].rank >= 0 && ig_elements(&L->g->t[n->out[i]]) < 1)
            return 0;
    if (is(n, "Conv") || is(n, "ConvTranspose")) {
        if (lower_conv(L, n, is(n, "ConvTranspose")) == 0)
            return 0;
    } else if (is(n, "MaxPool") || is(n, "AveragePool") || is(n, "LpPool")) {
        if (lower_pool(L, n, 0) == 0)
            return 0;
    } else if (is(n, "GlobalAveragePool") || is(n, "GlobalMaxPool")) {
        if (lower_pool(L, n, 1) == 0)
            return 0;
    } else if (is(n, "Gemm")) {
        if (lower_gemm(L, n) == 0)
            return 0;
    } else if (is(n, "MatMul")) {
        if (lower_matmul(L, n) == 0)
            return 0;
    } else if (is(n, "Einsum")) {
        if (lower_einsum(L, n) == 0)
            return 0;
    } else if (pointwise(n)) {
        return lower_pointwise(L, n);
    } else if (is(n, "Concat")) {
        int ins = 0;
        for (int i = 0; i < n->nin; i++)
            ins += n->in[i] >= 0 && !L->g->t[n->in[i]].is_const;
        if (as_nchw(y, &xi)) {
            zb_concat(L->net, xi, ins < 1 ? 1 : ins, "%s", n->name);
            set_dtype(L, n);
            return 0;
        }
    } else if (is(n, "Resize") || is(n, "Upsample")) {
        if (x->rank == 4 && as_nchw(x, &xi) && y->dims[0] == x->dims[0] &&
            y->dims[1] == x->dims[1] && y->dims[2] <= MAX_DIM && y->dims[3] <= MAX_DIM) {
            int lin = !ig_attr_is(n, "mode", "nearest", 1);
            zb_resize_to(L->net, xi, y->dims[2], y->dims[3], lin, "%s", n->name);
            set_dtype(L, n);
            return 0;
        }
    } else if (is(n, "Softmax") || is(n, "LogSoftmax")) {
        if (as_nchw(x, &xi)) {
            zb_softmax(L->net, xi, "%s", n->name);
            set_dtype(L, n);
            return 0;
        }
    } else if (is(n, "LayerNormalization") || is(n, "GroupNormalization") ||
               is(n, "InstanceNormalization")) {
        /* mean, variance, normalise, scale and shift: 8 flops per element, as the zoo's
         * transformers write a layer norm; the scale and shift are its parameters. */
        ig_tensor_t *sc = IN(L, n, 1);
        generic(L, n, 8, sc ? 2 * ig_elements(sc) : 0);
        return 0;
    } else if (is(n, "BatchNormalization")) {
        generic(L, n, 2, x->rank >= 2 ? 2.0 * (double)x->dims[1] : 0);
        return 0;
    } else if (is(n, "Transpose") || is(n, "Expand") || is(n, "Tile") || is(n, "Pad")) {
        generic(L, n, 0, 0);
        return 0;
    } else if (is(n, "Gather")) {   /* an embedding table read, or a copy */
        generic(L, n, 0, x->is_const ? ig_elements(x) : 0);
        return 0;
    } else if (ishape_known(n->op)) {
        generic(L, n, 1, 0);   /* reductions, TopK, normalisations: memory-bound */
        return 0;
    } else {
        if (L->strict)
            return fail(L, n, "no cost model for this op (--strict); expected one of the "
                              "operators in docs/import.md");
        count_unknown(L, n);
        generic(L, n, 1, 0);
        return 0;
    }
    /* A known op in a form without a layer (3-D conv, a gemm past the trace's bounds). */
    generic(L, n, 1, 0);
    L->rep->generic++;
    return 0;
}

int ilower_build(ig_graph_t *g, zoo_net_t *net, int strict, ilower_report_t *rep, diag_t *d)
{
    lower_t L = {g, net, rep, strict, d, NULL, NULL};
    int nuses = 0, rc = 0, *fill;
    memset(rep, 0, sizeof *rep);
    L.first = calloc((size_t)g->nt + 1, sizeof *L.first);
    fill = calloc((size_t)g->nt + 1, sizeof *fill);
    for (int i = 0; L.first && i < g->nn; i++) {
        g->n[i].done = 0;
        for (int j = 0; j < g->n[i].nin; j++)
            if (g->n[i].in[j] >= 0)
                L.first[g->n[i].in[j] + 1]++, nuses++;
    }
    L.users = calloc((size_t)nuses + 1, sizeof *L.users);
    if (L.first == NULL || fill == NULL || L.users == NULL) {
        rc = diag_error(d, g->file, 0, 0, "internal error: out of memory");
        goto out;
    }
    for (int k = 0; k < g->nt; k++)
        L.first[k + 1] += L.first[k];
    for (int i = 0; i < g->nn; i++)
        for (int j = 0; j < g->n[i].nin; j++) {
            int k = g->n[i].in[j];
            if (k >= 0)
                L.users[L.first[k] + fill[k]++] = i;
        }
    for (int i = 0; i < g->nn && rc == 0; i++) {
        ig_node_t *n = &g->n[g->order[i]];
        if (n->done)
            continue;
        n->done = 1;
        rc = lower_node(&L, n);
    }
out:
    free(L.first);
    free(L.users);
    free(fill);
    return rc;
}
