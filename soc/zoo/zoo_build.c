/*
 * zoo_build: the helpers the zoo's network builders call (declared in soc/zoo/zoo_int.h).
 *
 * A network is a flat, growable array of ops in which ZOO_REPEAT ... ZOO_END brackets
 * mark a block that runs `count` times, exactly as the trace's `repeat` op does. Each
 * helper appends one op, works out its output shape from its input shape and
 * parameters (conv: (H + 2p - k) / s + 1), and records the op's multiply-accumulates
 * and parameters, so that totals and trace come from the same numbers. Shapes that
 * cannot occur in a correct builder (a kernel larger than the padded input, groups that
 * do not divide the channels) are assertions.
 *
 * Out of memory, a helper returns a scratch op and sets net->nomem; the caller checks
 * the flag once, after building.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/grow.h"
#include "soc/zoo/zoo_int.h"

static zoo_op_t scratch_op;

static zoo_op_t *add_op(zoo_net_t *net, zoo_op_kind_t kind, const char *fmt, va_list ap)
{
    zoo_op_t *op, *p = grow_one(net->ops, net->nops, &net->cap, 256, sizeof *p);
    if (p == NULL) {
        net->nomem = 1;
        memset(&scratch_op, 0, sizeof scratch_op);
        return &scratch_op;
    }
    net->ops = p;
    op = &net->ops[net->nops++];
    memset(op, 0, sizeof *op);
    op->kind = kind;
    op->dtype = net->dtype;
    if (fmt != NULL)
        vsnprintf(op->name, sizeof op->name, fmt, ap);
    return op;
}

zoo_op_t *zb_add(zoo_net_t *net, zoo_op_kind_t kind, const char *fmt, ...)
{
    va_list ap;
    zoo_op_t *op;
    va_start(ap, fmt);
    op = add_op(net, kind, fmt, ap);
    va_end(ap);
    return op;
}

#define ADD(kind)                                                                         \
    zoo_op_t *op;                                                                         \
    do {                                                                                  \
        va_list ap_;                                                                      \
        va_start(ap_, fmt);                                                               \
        op = add_op(net, kind, fmt, ap_);                                                 \
        va_end(ap_);                                                                      \
    } while (0)

static void set_input(zoo_op_t *op, zt_t x)
{
    assert(x.n > 0 && x.c > 0 && x.h > 0 && x.w > 0);
    op->n = x.n;
    op->c = x.c;
    op->h = x.h;
    op->w = x.w;
}

static zt_t conv_common(zoo_net_t *net, zoo_op_t *op, zt_t x, int64_t filters, int kernel,
                        int stride, int pad, int64_t groups, zoo_act_t act)
{
    zt_t y = x;
    assert(groups >= 1 && x.c % groups == 0 && filters % groups == 0);
    assert(x.h + 2 * pad >= kernel && x.w + 2 * pad >= kernel);
    set_input(op, x);
    op->k = filters;
    op->kh = op->kw = kernel;
    op->sh = op->sw = stride;
    op->ph = op->pw = pad;
    op->groups = groups;
    op->act = act;
    op->sparse = net->sparse && groups == 1;   /* no 2:4 kernels for grouped convs */
    y.c = filters;
    y.h = op->oh = (x.h + 2 * pad - kernel) / stride + 1;
    y.w = op->ow = (x.w + 2 * pad - kernel) / stride + 1;
    op->macs = (double)y.n * y.c * y.h * y.w * (double)(x.c / groups) * kernel * kernel;
    op->params = (double)filters * (double)(x.c / groups) * kernel * kernel + (double)filters;
    return y;
}

zt_t zb_conv(zoo_net_t *net, zt_t x, int64_t filters, int kernel, int stride, int64_t groups,
             zoo_act_t act, const char *fmt, ...)
{
    ADD(ZOO_CONV);
    return conv_common(net, op, x, filters, kernel, stride, kernel / 2, groups, act);
}

zt_t zb_convp(zoo_net_t *net, zt_t x, int64_t filters, int kernel, int stride, int pad,
              int64_t groups, zoo_act_t act, const char *fmt, ...)
{
    ADD(ZOO_CONV);
    return conv_common(net, op, x, filters, kernel, stride, pad, groups, act);
}

/* Output size of a window along one axis: (in + pads - dilated kernel) / stride + 1. */
static int64_t window_out(int64_t in, int pads, int k, int dil, int stride)
{
    return (in + pads - ((int64_t)dil * (k - 1) + 1)) / stride + 1;
}

/* The fields a conv and a deconv share: input, filters, geometry (a dilation of 0 is 1),
 * groups, fused activation, and 2:4 sparsity where the net has it and the conv is dense. */
static void set_kernel(zoo_op_t *op, zt_t x, int64_t filters, const zb_geom_t *g,
                       int64_t groups, zoo_act_t act, int sparse)
{
    assert(groups >= 1 && x.c % groups == 0 && filters % groups == 0);
    set_input(op, x);
    op->k = filters;
    op->kh = g->kh;
    op->kw = g->kw;
    op->sh = g->sh;
    op->sw = g->sw;
    op->ph = g->ph;
    op->pw = g->pw;
    op->dh = g->dh > 1 ? g->dh : 1;
    op->dw = g->dw > 1 ? g->dw : 1;
    op->groups = groups;
    op->act = act;
    op->sparse = sparse && groups == 1;
}

zt_t zb_conv2d(zoo_net_t *net, zt_t x, int64_t filters, const zb_geom_t *g, int64_t groups,
               zoo_act_t act, const char *fmt, ...)
{
    zt_t y = x;
    int dh, dw;
    ADD(ZOO_CONV);
    set_kernel(op, x, filters, g, groups, act, net->sparse);
    dh = op->dh;
    dw = op->dw;
    y.c = filters;
    y.h = op->oh = window_out(x.h, 2 * g->ph, g->kh, dh, g->sh);
    y.w = op->ow = window_out(x.w, 2 * g->pw, g->kw, dw, g->sw);
    assert(y.h >= 1 && y.w >= 1);
    op->macs = (double)y.n * y.c * y.h * y.w * (double)(x.c / groups) * g->kh * g->kw;
    op->params = (double)filters * (double)(x.c / groups) * g->kh * g->kw + (double)filters;
    return y;
}

zt_t zb_deconv(zoo_net_t *net, zt_t x, int64_t filters, const zb_geom_t *g, int64_t groups,
               int outpad_h, int outpad_w, zoo_act_t act, const char *fmt, ...)
{
    zt_t y = x;
    int dh, dw;
    ADD(ZOO_DECONV);
    set_kernel(op, x, filters, g, groups, act, net->sparse);
    dh = op->dh;
    dw = op->dw;
    y.c = filters;
    y.h = op->oh = (x.h - 1) * g->sh - 2 * g->ph + (int64_t)dh * (g->kh - 1) + 1 + outpad_h;
    y.w = op->ow = (x.w - 1) * g->sw - 2 * g->pw + (int64_t)dw * (g->kw - 1) + 1 + outpad_w;
    assert(y.h >= 1 && y.w >= 1);
    /* Every input pixel scatters a kh x kw x (filters / groups) patch. */
    op->macs = (double)x.n * x.c * x.h * x.w * (double)(filters / groups) * g->kh * g->kw;
    op->params = (double)x.c * (double)(filters / groups) * g->kh * g->kw + (double)filters;
    return y;
}

zt_t zb_pool2d(zoo_net_t *net, zt_t x, const zb_geom_t *g, int avg, const char *fmt, ...)
{
    zt_t y = x;
    ADD(ZOO_POOL);
    set_input(op, x);
    op->kh = g->kh;
    op->kw = g->kw;
    op->sh = g->sh;
    op->sw = g->sw;
    op->ph = g->ph;
    op->pw = g->pw;
    op->fn = avg;
    y.h = op->oh = window_out(x.h, 2 * g->ph, g->kh, 1, g->sh);
    y.w = op->ow = window_out(x.w, 2 * g->pw, g->kw, 1, g->sw);
    assert(y.h >= 1 && y.w >= 1);
    return y;
}

zt_t zb_resize_to(zoo_net_t *net, zt_t x, int64_t oh, int64_t ow, int bilinear,
                  const char *fmt, ...)
{
    zt_t y = x;
    ADD(ZOO_RESIZE);
    set_input(op, x);
    op->fn = bilinear;
    op->sh = op->sw = oh % x.h == 0 && ow % x.w == 0 && oh / x.h == ow / x.w && oh / x.h <= 64
                          ? (int)(oh / x.h)
                          : 0;   /* the trace's scale is 1..64; else the output size */
    y.h = op->oh = oh;
    y.w = op->ow = ow;
    return y;
}

zt_t zb_pool(zoo_net_t *net, zt_t x, int kernel, int stride, int pad, int avg,
             const char *fmt, ...)
{
    zt_t y = x;
    ADD(ZOO_POOL);
    set_input(op, x);
    op->kh = op->kw = kernel;
    op->sh = op->sw = stride;
    op->ph = op->pw = pad;
    op->fn = avg;
    y.h = op->oh = (x.h + 2 * pad - kernel) / stride + 1;
    y.w = op->ow = (x.w + 2 * pad - kernel) / stride + 1;
    return y;
}

zt_t zb_gpool(zoo_net_t *net, zt_t x, int avg, const char *fmt, ...)
{
    zt_t y = x;
    ADD(ZOO_POOL);
    set_input(op, x);
    op->global = 1;
    op->fn = avg;
    y.h = op->oh = 1;
    y.w = op->ow = 1;
    return y;
}

zt_t zb_fc(zoo_net_t *net, zt_t x, int64_t outputs, zoo_act_t act, const char *fmt, ...)
{
    zt_t y = {x.n, outputs, 1, 1};
    double features = (double)x.c * x.h * x.w;
    ADD(ZOO_FC);
    set_input(op, x);
    op->k = outputs;
    op->act = act;
    op->sparse = net->sparse;
    op->macs = (double)x.n * features * outputs;
    op->params = features * outputs + outputs;
    return y;
}

zt_t zb_eltwise(zoo_net_t *net, zt_t x, int64_t inputs, int fn, zoo_act_t act,
                const char *fmt, ...)
{
    ADD(ZOO_ELTWISE);
    set_input(op, x);
    op->inputs = inputs;
    op->fn = fn;
    op->act = act;
    return x;
}

zt_t zb_concat(zoo_net_t *net, zt_t out, int64_t inputs, const char *fmt, ...)
{
    ADD(ZOO_CONCAT);
    set_input(op, out);
    op->inputs = inputs;
    return out;
}

zt_t zb_resize(zoo_net_t *net, zt_t x, int scale, const char *fmt, ...)
{
    zt_t y = x;
    ADD(ZOO_RESIZE);
    set_input(op, x);
    op->sh = op->sw = scale;
    y.h = op->oh = x.h * scale;
    y.w = op->ow = x.w * scale;
    return y;
}

zt_t zb_act(zoo_net_t *net, zt_t x, zoo_act_t act, const char *fmt, ...)
{
    ADD(ZOO_ACTIVATION);
    set_input(op, x);
    op->act = act;
    return x;
}

zt_t zb_softmax(zoo_net_t *net, zt_t x, const char *fmt, ...)
{
    ADD(ZOO_SOFTMAX);
    set_input(op, x);
    return x;
}

zoo_op_t *zb_gemm(zoo_net_t *net, const zoo_resolved_t *r, int64_t m, int64_t n, int64_t k,
                  int weights, int bias, const char *fmt, ...)
{
    ADD(ZOO_GEMM);
    op->m = m;
    op->gn = n;
    op->gk = k;
    op->batch = 1;
    op->inputs = weights;          /* 1: B is a weight matrix */
    op->sparse = weights && net->sparse;
    if (weights && r->has_wdtype) {
        op->has_wdtype = 1;
        op->wdtype = r->wdtype;
        op->quant_group = r->group;
    }
    op->macs = (double)m * n * k;
    op->params = weights ? (double)k * n + (bias ? (double)n : 0) : 0;
    return op;
}

zoo_op_t *zb_attention(zoo_net_t *net, int64_t batch, int64_t heads, int64_t kv_heads,
                       int64_t seq_q, int64_t seq_kv, int64_t head_dim, int causal,
                       const char *fmt, ...)
{
    ADD(ZOO_ATTENTION);
    op->batch = batch;
    op->heads = heads;
    op->kv_heads = kv_heads;
    op->seq_q = seq_q;
    op->seq_kv = seq_kv;
    op->head_dim = head_dim;
    op->causal = causal;
    op->macs = 2.0 * batch * heads * (double)seq_q * seq_kv * head_dim;
    return op;
}

zoo_op_t *zb_elementwise(zoo_net_t *net, int64_t elements, int64_t inputs, double flops,
                         double params, const char *fmt, ...)
{
    ADD(ZOO_ELEMENTWISE);
    op->elements = elements;
    op->inputs = inputs;
    op->outputs = 1;
    op->flops_per_element = flops;
    op->params = params;
    return op;
}

void zb_repeat(zoo_net_t *net, int64_t count, const char *fmt, ...)
{
    ADD(ZOO_REPEAT);
    assert(count >= 1);
    op->count = count;
    net->depth++;
}

void zb_end(zoo_net_t *net)
{
    assert(net->depth > 0);
    zb_add(net, ZOO_END, NULL);
    net->depth--;
}

int zb_stage(zoo_net_t *net, const char *id, zoo_role_t role, int after)
{
    zoo_stage_t *s;
    assert(net->nstages < ZOO_MAX_STAGES && net->depth == 0);
    if (net->nstages > 0)
        net->stages[net->nstages - 1].end = net->nops;
    s = &net->stages[net->nstages];
    memset(s, 0, sizeof *s);
    snprintf(s->id, sizeof s->id, "%s", id);
    s->role = role;
    s->first = s->end = net->nops;
    s->after = after;
    return net->nstages++;
}

void zb_note(zoo_net_t *net, const char *fmt, ...)
{
    size_t len = strlen(net->notes);
    va_list ap;
    if (len + 4 >= sizeof net->notes)
        return;
    memcpy(net->notes + len, "# ", 3);
    len += 2;
    va_start(ap, fmt);
    vsnprintf(net->notes + len, sizeof net->notes - len, fmt, ap);
    va_end(ap);
    len = strlen(net->notes);
    if (len + 1 < sizeof net->notes) {
        net->notes[len] = '\n';
        net->notes[len + 1] = '\0';
    }
}

void zoo_net_free(zoo_net_t *net)
{
    free(net->ops);
    memset(net, 0, sizeof *net);
}

/* Sum over ops [first, end) of macs (or params), repeats multiplied: in every network of
 * the zoo a repeated block (a ResNet stage's identical bottlenecks, a transformer's
 * layers) holds distinct weights in each copy. */
double zoo_net_sum(const zoo_net_t *net, int first, int end, int params)
{
    double stack[32], total = 0, mult = 1;
    int depth = 0;
    for (int i = first; i < end; i++) {
        const zoo_op_t *op = &net->ops[i];
        if (op->kind == ZOO_REPEAT) {
            assert(depth < 32);
            stack[depth++] = mult;
            mult *= (double)op->count;   /* a repeated block has its own weights each time */
        } else if (op->kind == ZOO_END) {
            mult = stack[--depth];
        } else {
            total += mult * (params ? op->params : op->macs);
        }
    }
    return total;
}

/* ---- engines and whole networks ---- */

static const char *const ENGINE_NAMES[ZOO_ENG_COUNT] = {"gpu", "dla", "dla0", "dla1",
                                                        "gpu+2dla"};

const char *zoo_engine_name(zoo_engine_t e)
{
    assert(e >= 0 && e < ZOO_ENG_COUNT);
    return ENGINE_NAMES[e];
}

int zoo_engine_is_dla(zoo_engine_t e)
{
    return e == ZOO_ENG_DLA || e == ZOO_ENG_DLA0 || e == ZOO_ENG_DLA1;
}

int zoo_build_with(const zoo_entry_t *e, const zoo_resolved_t *r, zoo_net_t *net,
                      diag_t *d)
{
    memset(net, 0, sizeof *net);
    net->dtype = r->dtype;
    net->sparse = r->sparse;
    if (e->build(net, r, e->variant) != 0 || net->nomem) {
        if (r->source != NULL && r->source->d != NULL && r->source->d->set && !net->nomem) {
            *d = *r->source->d;   /* the outside builder's own error */
            return DIAG_ERR;
        }
        return diag_error(d, NULL, 0, 0, "internal error: out of memory building %s",
                          e->info.name);
    }
    assert(net->depth == 0 && net->nstages > 0);
    net->stages[net->nstages - 1].end = net->nops;
    return 0;
}
