/*
 * zoo: real networks written as orinsim traces, built from their architecture.
 *
 * Each network of the zoo is a C function that walks the network's published
 * architecture (block structure, channel widths, depths, strides, attention
 * configuration) and appends one op per layer to a zoo_net_t; every per-layer shape is
 * computed from the input size, none is typed in. The same in-memory network gives the
 * trace (zoo_emit, `orinsim zoo NAME`) and the totals a test can check against published
 * figures (zoo_totals: multiply-accumulates and parameters).
 *
 * What a layer list holds is what TensorRT builds for inference: batch-norm is folded
 * into the convolution before it (a per-channel scale on the weights and a bias), and an
 * activation that the target engine fuses into the producing conv / fc / add is not a
 * separate op. docs/zoo.md lists the networks, their sources, the options, the MLPerf
 * Offline split and the layers that fall back from a DLA to the GPU.
 */
#ifndef ORINSIM_ZOO_H
#define ORINSIM_ZOO_H

#include <stdint.h>
#include <stdio.h>

#include "models/dtype.h"
#include "sim/diag.h"

/* Where the network runs. ZOO_ENG_GPU_2DLA: three independent instances (gpu, dla0,
 * dla1) on shares of the batch, as MLPerf's Offline scenario runs ResNet-50 on Orin. */
typedef enum zoo_engine {
    ZOO_ENG_GPU = 0,
    ZOO_ENG_DLA,
    ZOO_ENG_DLA0,
    ZOO_ENG_DLA1,
    ZOO_ENG_GPU_2DLA,
    ZOO_ENG_COUNT
} zoo_engine_t;

typedef enum zoo_op_kind {
    /* layer ops (gpu and dla engines) */
    ZOO_CONV = 0,
    ZOO_DECONV,
    ZOO_FC,
    ZOO_POOL,
    ZOO_ACTIVATION,
    ZOO_ELTWISE,
    ZOO_CONCAT,
    ZOO_RESIZE,
    ZOO_SOFTMAX,
    /* GPU ops */
    ZOO_GEMM,
    ZOO_ATTENTION,
    ZOO_ELEMENTWISE,
    ZOO_KERNEL,
    /* PVA ops (image ops on engine pva) */
    ZOO_PVA_COLOR,
    ZOO_PVA_RESIZE,
    ZOO_PVA_REMAP,
    /* CPU work */
    ZOO_CPU,
    /* structure: ZOO_REPEAT opens a block of the ops that follow, ZOO_END closes it */
    ZOO_REPEAT,
    ZOO_END,
    ZOO_OP_KIND_COUNT
} zoo_op_kind_t;

typedef enum zoo_act {
    ZOO_ACT_NONE = 0,
    ZOO_ACT_RELU,
    ZOO_ACT_RELU6,
    ZOO_ACT_SIGMOID,
    ZOO_ACT_SILU,
    ZOO_ACT_GELU,
    ZOO_ACT_TANH,
    ZOO_ACT_LEAKY_RELU,
    ZOO_ACT_HARDSWISH,
    ZOO_ACT_CLIP,
    ZOO_ACT_COUNT
} zoo_act_t;

/* One op. Only the fields of its kind are meaningful; shapes are NCHW. */
typedef struct zoo_op {
    zoo_op_kind_t kind;
    char name[64];
    dtype_t dtype;
    int sparse;                   /* 2:4 weights */
    int64_t n, c, h, w;           /* input; concat: the output shape */
    int64_t k;                    /* conv/deconv filters, fc outputs */
    int kh, kw, sh, sw, ph, pw;   /* kernel, stride, padding */
    int dh, dw;                   /* conv / deconv dilation (0 or 1: none) */
    int64_t groups;
    int64_t oh, ow;               /* output spatial size (conv, deconv, pool, resize) */
    zoo_act_t act;                /* conv/deconv/fc/eltwise: fused activation;
                                   * activation op: its function */
    int fn;                       /* eltwise: 0 add, 1 mul, 2 sub; pool: 0 max, 1 avg;
                                   * resize: 0 nearest, 1 bilinear */
    int global;                   /* pool over the whole plane */
    int64_t inputs;               /* eltwise / concat / elementwise inputs */
    int64_t m, gn, gk, batch;     /* gemm (batch also for attention) */
    int has_wdtype;               /* gemm: weight_dtype given */
    dtype_t wdtype;
    int64_t quant_group;          /* gemm: weights per scale (0: none) */
    int64_t heads, kv_heads, seq_q, seq_kv, head_dim;
    int causal;
    int64_t elements, outputs;    /* elementwise */
    double flops_per_element;
    int64_t grid, block, registers;        /* kernel (1-D launch) */
    double shared, kflops, dram_bytes;     /* kernel: bytes per CTA, fp32 flops, bytes */
    int64_t img_w, img_h, out_w, out_h;    /* PVA ops */
    char duration[16];                     /* cpu: e.g. "1.5ms" */
    double cpu_bytes;
    int64_t count;                /* repeat */
    double macs;                  /* multiply-accumulates of one execution */
    double params;                /* parameters this op owns (weights + bias) */
} zoo_op_t;

/* A task of the emitted trace: a run of ops on one engine. */
typedef enum zoo_role {
    ZOO_ROLE_MAIN = 0,            /* the engine chosen with --engine */
    ZOO_ROLE_GPU,                 /* always the GPU (decode / post-processing) */
    ZOO_ROLE_PVA,                 /* the PVA, falling back to the GPU */
    ZOO_ROLE_CPU
} zoo_role_t;

#define ZOO_MAX_STAGES 8

typedef struct zoo_stage {
    char id[32];
    zoo_role_t role;
    int first, end;               /* ops [first, end) */
    int after;                    /* index of the stage that must finish first, or -1 */
    double weight_bytes;          /* resident weights the ops do not show (embedding tables) */
    int fallback;                 /* emit `fallback: gpu` even if every op runs on the engine */
    char note[160];               /* a comment written above the task */
} zoo_stage_t;

typedef struct zoo_net {
    zoo_op_t *ops;
    int nops, cap;
    zoo_stage_t stages[ZOO_MAX_STAGES];
    int nstages;
    int depth;                    /* open repeat blocks while building */
    int nomem;                    /* an allocation failed */
    dtype_t dtype;                /* of the layers */
    int sparse;
    char notes[1024];             /* network-specific header lines ("# ..." each) */
} zoo_net_t;

/* Options of `orinsim zoo NAME`. A zero field means "the network's default". */
typedef struct zoo_options {
    int dtype_set;
    dtype_t dtype;
    int engine_set;
    zoo_engine_t engine;
    int64_t batch;
    int64_t frames;
    char period[32];              /* a duration as written, e.g. "33.333ms" */
    int sparse;
    int64_t seq, context, prompt;
    int64_t group;                /* LLM quantised weights: weights per scale */
    int split_set;
    int64_t split[3];             /* samples per frame on gpu, dla0, dla1 */
    int io_set;                   /* --io-dtype: the network's input and output held ... */
    dtype_t io_dtype;             /* ... in this type (an ONNX exported in FP32) */
    int fallback_set;             /* --int8-fallback: the type of an int8 network's layers ... */
    dtype_t fallback;             /* ... that have no int8 kernel (fp16 or fp32) */
    int64_t img_h, img_w;         /* --imgsz: the input image in pixels (CNNs) */
    char runtime[32];             /* --runtime: the trace's `runtime:` ("" = none written) */
    char deadline[32];            /* --deadline: the trace's `deadline:` as written ("" = none) */
} zoo_options_t;

/* Options a network accepts (zoo_info.options). */
enum {
    ZOO_OPT_DTYPE = 1 << 0,
    ZOO_OPT_ENGINE = 1 << 1,
    ZOO_OPT_BATCH = 1 << 2,
    ZOO_OPT_FRAMES = 1 << 3,
    ZOO_OPT_PERIOD = 1 << 4,
    ZOO_OPT_SPARSITY = 1 << 5,
    ZOO_OPT_SEQ = 1 << 6,
    ZOO_OPT_CONTEXT = 1 << 7,
    ZOO_OPT_PROMPT = 1 << 8,
    ZOO_OPT_SPLIT = 1 << 9,
    ZOO_OPT_GROUP = 1 << 10,
    ZOO_OPT_IO = 1 << 11,
    ZOO_OPT_FALLBACK = 1 << 12,
    ZOO_OPT_IMGSZ = 1 << 13
};

typedef struct zoo_info {
    const char *name;             /* "resnet50" */
    const char *description;      /* one line */
    const char *source;           /* where the architecture comes from */
    unsigned options;             /* ZOO_OPT_* */
} zoo_info_t;

int zoo_count(void);
const zoo_info_t *zoo_info(int i);               /* NULL past the end */
const zoo_info_t *zoo_find(const char *name);    /* NULL if unknown */

/* Build one instance of the network (the batch of --batch, or 1) with the options, after
 * checking them; the net must be freed with zoo_net_free even on error. */
int zoo_build(const char *name, const zoo_options_t *o, zoo_net_t *net, diag_t *d);
void zoo_net_free(zoo_net_t *net);

/* Multiply-accumulates per run of one instance (conv, deconv, fc, gemm and attention:
 * QK^T and attention x V over the full score matrix), and parameters (weights plus one
 * bias per output channel where the layer has one, batch-norm folded in). */
int zoo_totals(const char *name, const zoo_options_t *o, double *macs, double *params,
               diag_t *d);

/* Write the YAML trace. Returns 0, or a negative error with d filled (bad options). */
int zoo_emit(FILE *out, const char *name, const zoo_options_t *o, diag_t *d);

/* A network from outside the zoo (soc/import/): its builder is called once for each batch
 * the trace needs, with the zoo's helpers (soc/zoo/zoo_build.h), and the zoo's writer
 * applies the same engine rules to it as to its own networks (fused activations, DLA
 * fallback, gpu+2dla instances). `build` returns 0, or a negative error with `d` filled. */
typedef struct zoo_source {
    const char *name;             /* the trace's name stem, e.g. the model's file name */
    const char *description;      /* header: what the network is */
    const char *command;          /* header: the command that imported it */
    dtype_t dtype;                /* default --dtype */
    int (*build)(const struct zoo_source *s, zoo_net_t *net, int64_t batch, diag_t *d);
    void *ctx;                    /* the builder's own */
    diag_t *d;                    /* where a failing build leaves its error */
} zoo_source_t;

/* Options a network from outside takes: --dtype --engine --batch --split --sparsity
 * --io-dtype --frames --period. */
unsigned zoo_source_options(void);
/* Write the trace of an outside network with the options (checked as for a CNN of the zoo). */
int zoo_emit_source(FILE *out, const zoo_source_t *s, const zoo_options_t *o, diag_t *d);

/* The fusion rules of TensorRT that the zoo's networks are written with, for builders of
 * other networks (soc/zoo/zoo_fuse.c). */
/* Does a layer of this kind absorb an activation on its output (the conv's epilogue, a
 * TensorRT fused point-wise tail)? conv, deconv, fc, gemm and eltwise do. */
int zoo_fuses_activation(zoo_op_kind_t producer);
/* Does a DLA run this activation in the post-processing unit of the layer before it? */
int zoo_dla_activation(zoo_act_t a);
const char *zoo_act_name(zoo_act_t a);

/* Print the zoo: each network with its description, source and options. */
void zoo_print_list(FILE *out);

/* One option of `orinsim zoo` (`a` with its value `v`) into o: EXIT_OK, EXIT_BAD_INPUT
 * after printing the usage error (with `hint`), or -1 when `a` is not a zoo option. */
int zoo_option(zoo_options_t *o, const char *a, const char *v, const char *hint);
/* The same without printing: 0, 1 with `why` saying what was wrong with the value, or -1
 * when `a` is not a zoo option. */
int zoo_option_parse(zoo_options_t *o, const char *a, const char *v, char *why, size_t len);

/* `orinsim zoo list | NAME [options]`: argv[0] is "zoo". Returns a process exit code. */
int zoo_cli(int argc, char **argv);
/* The same, writing the trace (for `NAME [options]`) or the list to `out`. */
int zoo_cli_write(FILE *out, int argc, char **argv);

#endif
