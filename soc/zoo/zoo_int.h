/*
 * zoo_int: what the files of the zoo share: the building helpers (soc/zoo/zoo_build.c) that
 * the networks (soc/zoo/zoo_nets.c, soc/zoo/zoo_llm.c) call, the registry entry and the resolved
 * plan (soc/zoo/zoo.c) that the writer (soc/zoo/zoo_emit.c) takes. Not part of the public API;
 * the building helpers themselves are in soc/zoo/zoo_build.h, which soc/import/ uses too.
 */
#ifndef ORINSIM_ZOO_INT_H
#define ORINSIM_ZOO_INT_H

#include "soc/zoo/zoo.h"
#include "soc/zoo/zoo_build.h"

/* Builders (variant selects the member of a family; see the registry in soc/zoo/zoo.c). */
int zoo_build_resnet50(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_ssd_mobilenet(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_retinanet(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_yolo(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_resnet_basic(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_ssd_resnet34(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_yolov7(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_efficientvit(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_camera(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_bert(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_vit(zoo_net_t *net, const zoo_resolved_t *r, int variant);
int zoo_build_llama(zoo_net_t *net, const zoo_resolved_t *r, int variant);

/* Variants of zoo_build_llama: model index * 2 + phase (0 decode, 1 prefill). */
#define ZOO_LLAMA_MODELS 6
/* Longest context a Llama model of index i supports (max_position_embeddings). */
int64_t zoo_llama_max_context(int model);

/* The registry entry of a network (soc/zoo/zoo.c). */
typedef enum zoo_family { FAM_CNN, FAM_VIT, FAM_BERT, FAM_LLM, FAM_PIPELINE, FAM_IMPORT } zoo_family_t;

typedef struct zoo_entry {
    zoo_info_t info;
    zoo_family_t family;
    int (*build)(zoo_net_t *net, const zoo_resolved_t *r, int variant);
    int variant;
    dtype_t dtype;                /* default */
    int64_t imgsz;                /* CNNs: the input's default side in pixels (square) */
    int64_t imgsz_step;           /* CNNs: --imgsz must be a multiple of this */
    int64_t imgsz_w;              /* CNNs: the default width where it is not imgsz (0) */
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
    char runtime[32];             /* `runtime:` to write ("" = none) */
    char deadline[32];            /* `deadline:` to write ("" = none) */
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
/* Write the trace of a plan (soc/zoo/zoo_emit.c). */
int zoo_write(FILE *f, const zoo_entry_t *e, const zoo_plan_t *p, diag_t *d);

#endif
