/*
 * itrt: a built TensorRT engine's layer information (`trtexec --exportLayerInfo=FILE
 * --profilingVerbosity=detailed`, the JSON of IEngineInspector) as the zoo's layers.
 */
#ifndef ORINSIM_ITRT_H
#define ORINSIM_ITRT_H

#include "soc/zoo/zoo_build.h"

#define ITRT_MAX_RANK 8

typedef enum itrt_kind {
    ITRT_CONV, ITRT_DECONV, ITRT_POOL, ITRT_FC, ITRT_GEMM, ITRT_ELTWISE, ITRT_ACT,
    ITRT_SOFTMAX, ITRT_RESIZE, ITRT_CONCAT, ITRT_COPY, ITRT_GENERIC
} itrt_kind_t;

typedef struct itrt_layer {
    char name[64];
    itrt_kind_t kind;
    dtype_t dtype;
    int has_dtype;
    int rin, rout, rin2;          /* ranks of the first input, the output, the second input */
    int64_t in[ITRT_MAX_RANK], out[ITRT_MAX_RANK], in2[ITRT_MAX_RANK];
    int ninputs;
    int kh, kw, sh, sw, ph, pw, dh, dw;
    int64_t outmaps, groups;
    zoo_act_t act;
    int fn;                       /* eltwise: 0 add 1 mul 2 sub; pool: 1 avg */
    int sparse;
} itrt_layer_t;

typedef struct itrt_engine {
    itrt_layer_t *v;
    int nlayers, cap;
    int64_t batch;                /* the engine's: dimension 0 of its first layer's input */
    dtype_t dtype;                /* its most common layer type */
    int dtype_override;           /* --dtype given: every layer in net->dtype */
    int nunknown;                 /* layers of a type with no cost model */
} itrt_engine_t;

/* Read the file (a JSON object with "Layers"). Returns 0 or DIAG_ERR with d naming the
 * file, the layer and what was expected. e must be freed with itrt_free either way. */
int itrt_read(const char *path, itrt_engine_t *e, diag_t *d);
int itrt_parse(const char *path, char *text, size_t len, itrt_engine_t *e, diag_t *d);
void itrt_free(itrt_engine_t *e);
/* Append the engine's layers at `batch` (dimension 0 scaled from the engine's). */
int itrt_build(const itrt_engine_t *e, zoo_net_t *net, int64_t batch, diag_t *d);

#endif
