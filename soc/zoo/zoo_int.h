/*
 * zoo_int: what the files of the zoo share: the building helpers (soc/zoo/zoo_build.c) that
 * the networks (soc/zoo/zoo_nets.c, soc/zoo/zoo_llm.c) call, the registry entry and the resolved
 * plan (soc/zoo/zoo.c) that the writer (soc/zoo/zoo_emit.c) takes. Not part of the public API.
 *
 * A builder threads a tensor shape (zt_t, NCHW) through helper calls; each call appends
 * one op, computes its output shape, its multiply-accumulates and its parameters, and
 * returns the output shape. Names are printf formats, so a builder writes
 * zb_conv(net, x, 256, 3, 1, 1, ZOO_ACT_RELU, "layer%d.%d.conv2", s, b).
 */
#ifndef ORINSIM_ZOO_INT_H
#define ORINSIM_ZOO_INT_H

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
/* Append a header line ("# " is added) describing this network. */
void zb_note(zoo_net_t *net, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Builders (variant selects the member of a family; see the registry in soc/zoo/zoo.c). */
int zoo_build_resnet50(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_ssd_mobilenet(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_retinanet(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_yolo(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_camera(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_bert(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_vit(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_llama(zoo_net_t *net, const zoo_resolved_t *r, int variant);

/* Variants of zoo_build_llama: model index * 2 + phase (0 decode, 1 prefill). */
#define ZOO_LLAMA_MODELS 6
/* Longest context a Llama model of index i supports (max_position_embeddings). */
int64_t zoo_llama_max_context(int model);

/* The registry entry of a network (soc/zoo/zoo.c). */
typedef enum zoo_family { FAM_CNN, FAM_VIT, FAM_BERT, FAM_LLM, FAM_PIPELINE } zoo_family_t;

typedef struct zoo_entry {
    zoo_info_t info;
    zoo_family_t family;
    int (*build)(zoo_net_t *net, const zoo_resolved_t *r, int variant);
    int variant;
    dtype_t dtype;                /* default */
    int64_t imgsz;                /* CNNs: the input's default side in pixels (square) */
    int64_t imgsz_step;           /* CNNs: --imgsz must be a multiple of this */
} zoo_entry_t;

/* What to write: the options checked and completed (soc/zoo/zoo.c, resolve). */
typedef struct zoo_plan {
    zoo_resolved_t r;
    dtype_t udtype;               /* as the user wrote it (int4 for int4 LLM weights) */
    zoo_engine_t engine;
    int64_t frames;
    int64_t split[3];             /* gpu+2dla: samples per frame per engine */
    int64_t max_in_flight;
    char period[32];
    int io_set;                   /* --io-dtype: input_dtype on the first task, ... */
    dtype_t io_dtype;             /* ... output_dtype on the last */
} zoo_plan_t;

/* A DLA instance of gpu+2dla runs its share in passes of this batch (MLPerf's
 * dla_batch_size for Orin). */
#define ZOO_DLA_BATCH 2

const char *zoo_engine_name(zoo_engine_t e);      /* "gpu", ..., "gpu+2dla" */
int zoo_engine_is_dla(zoo_engine_t e);
/* Build the entry's network with resolved options (soc/zoo/zoo.c). */
int zoo_build_with(const zoo_entry_t *e, const zoo_resolved_t *r, zoo_net_t *net, diag_t *d);
/* MACs (params = 0) or parameters (params = 1) of ops [first, end) (soc/zoo/zoo_build.c). */
double zoo_net_sum(const zoo_net_t *net, int first, int end, int params);
/* Write the trace of a plan (soc/zoo/zoo_emit.c). */
int zoo_write(FILE *f, const zoo_entry_t *e, const zoo_plan_t *p, diag_t *d);

#endif
