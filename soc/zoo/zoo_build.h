/*
 * zoo_build: the helpers that build a network layer by layer (soc/zoo/zoo_build.c), for
 * the zoo's own networks (soc/zoo/zoo_nets.c, soc/zoo/zoo_llm.c) and for the models that
 * soc/import/ reads, so that a layer's output shape, multiply-accumulates and parameters
 * are worked out in one place whichever way the network arrives.
 *
 * A builder threads a tensor shape (zt_t, NCHW) through helper calls; each call appends
 * one op, computes its output shape, its multiply-accumulates and its parameters, and
 * returns the output shape. Names are printf formats, so a builder writes
 * zb_conv(net, x, 256, 3, 1, 1, ZOO_ACT_RELU, "layer%d.%d.conv2", s, b).
 */
#ifndef ORINSIM_ZOO_BUILD_H
#define ORINSIM_ZOO_BUILD_H

#include "soc/zoo/zoo.h"

typedef struct zt {
    int64_t n, c, h, w;
} zt_t;

/* The options a builder sees: the user's, with every default filled in. */
typedef struct zoo_resolved {
    dtype_t dtype;                /* layers, or the activations/math of an LLM */
    int has_wdtype;               /* LLM: weights stored in wdtype ... */
    dtype_t wdtype;
    int64_t group;                /* ... with a scale per `group` weights (0: none) */
    int sparse;
    int64_t batch, seq, context, prompt;
    dtype_t fallback;             /* int8 networks: layers with no int8 kernel (softmax and
                                   * what follows it) run in this type */
    int64_t img_h, img_w;         /* CNNs: the input image, height x width in pixels */
    const struct zoo_source *source;   /* a network from outside the zoo, or NULL */
} zoo_resolved_t;

#define ZB_FMT __attribute__((format(printf, 2, 3)))

/* Append an op of `kind` named by the format; returns it (a scratch op when out of
 * memory: net->nomem is set and the caller's result is discarded). */
zoo_op_t *zb_add(zoo_net_t *net, zoo_op_kind_t kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Layers. Padding of zb_conv is kernel/2 ("same" for odd kernels at stride 1). */
zt_t zb_conv(zoo_net_t *net, zt_t x, int64_t filters, int kernel, int stride, int64_t groups,
             zoo_act_t act, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
zt_t zb_convp(zoo_net_t *net, zt_t x, int64_t filters, int kernel, int stride, int pad,
              int64_t groups, zoo_act_t act, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));
/* A convolution of any geometry (ONNX Conv): kernel kh x kw, strides, padding per side
 * (ph, pw), dilation (dh, dw). */
typedef struct zb_geom {
    int kh, kw, sh, sw, ph, pw, dh, dw;
} zb_geom_t;
zt_t zb_conv2d(zoo_net_t *net, zt_t x, int64_t filters, const zb_geom_t *g, int64_t groups,
               zoo_act_t act, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* A transposed convolution: output (H - 1) s - 2p + d (k - 1) + 1 + the output padding
 * (outpad_h, outpad_w). */
zt_t zb_deconv(zoo_net_t *net, zt_t x, int64_t filters, const zb_geom_t *g, int64_t groups,
               int outpad_h, int outpad_w, zoo_act_t act, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));
/* A pooling window of any geometry (dilation unused). */
zt_t zb_pool2d(zoo_net_t *net, zt_t x, const zb_geom_t *g, int avg, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A resize to oh x ow (nearest or bilinear). */
zt_t zb_resize_to(zoo_net_t *net, zt_t x, int64_t oh, int64_t ow, int bilinear,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
zt_t zb_pool(zoo_net_t *net, zt_t x, int kernel, int stride, int pad, int avg,
             const char *fmt, ...) __attribute__((format(printf, 7, 8)));
zt_t zb_gpool(zoo_net_t *net, zt_t x, int avg, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
zt_t zb_fc(zoo_net_t *net, zt_t x, int64_t outputs, zoo_act_t act, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* fn: 0 add, 1 mul, 2 sub */
zt_t zb_eltwise(zoo_net_t *net, zt_t x, int64_t inputs, int fn, zoo_act_t act,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));
zt_t zb_concat(zoo_net_t *net, zt_t out, int64_t inputs, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
zt_t zb_resize(zoo_net_t *net, zt_t x, int scale, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
zt_t zb_act(zoo_net_t *net, zt_t x, zoo_act_t act, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
zt_t zb_softmax(zoo_net_t *net, zt_t x, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* GPU ops. zb_gemm: weights = B is a weight matrix (k x n parameters, plus n if bias). */
zoo_op_t *zb_gemm(zoo_net_t *net, const zoo_resolved_t *r, int64_t m, int64_t n, int64_t k,
                  int weights, int bias, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
zoo_op_t *zb_attention(zoo_net_t *net, int64_t batch, int64_t heads, int64_t kv_heads,
                       int64_t seq_q, int64_t seq_kv, int64_t head_dim, int causal,
                       const char *fmt, ...) __attribute__((format(printf, 9, 10)));
zoo_op_t *zb_elementwise(zoo_net_t *net, int64_t elements, int64_t inputs, double flops,
                         double params, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Structure. */
void zb_repeat(zoo_net_t *net, int64_t count, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void zb_end(zoo_net_t *net);
/* Start a new task of the trace at the next op; returns its index. */
int zb_stage(zoo_net_t *net, const char *id, zoo_role_t role, int after);
/* MACs (params = 0) or parameters (params = 1) of ops [first, end), repeats multiplied. */
double zoo_net_sum(const zoo_net_t *net, int first, int end, int params);
/* Append a header line ("# " is added) describing this network. */
void zb_note(zoo_net_t *net, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
