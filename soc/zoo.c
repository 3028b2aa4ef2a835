/*
 * zoo: the registry of networks, their options, the layer-building helpers, and the
 * YAML writer (see soc/zoo.h; the networks themselves are in soc/zoo_nets.c and
 * soc/zoo_llm.c; docs/zoo.md is the user's guide).
 *
 * A network is built into a flat array of ops in which ZOO_REPEAT ... ZOO_END brackets
 * mark a block that runs `count` times, exactly as the trace's `repeat` op does. The
 * writer walks that array once per task; it never reorders or merges ops, so the trace
 * reads in the network's own order with its own layer names.
 *
 * Engine-dependent choices are made here, not in the builders: an activation fused into
 * a conv (act != NONE) is written as a separate `activation` op only when the target
 * engine cannot fuse it (a DLA has no SiLU or GELU in its post-processing unit; the GPU
 * fuses every pointwise activation into the conv epilogue, as TensorRT does). A DLA task
 * that holds any op the DLA cannot run gets `fallback: gpu`, and its comment counts them.
 *
 * Output is a pure function of the options: no time, path or host enters it.
 */
#include "soc/zoo.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "soc/units.h"
#include "soc/zoo_int.h"

/* ---------------------------------------------------------------- registry */

typedef enum zoo_family { FAM_CNN, FAM_VIT, FAM_BERT, FAM_LLM, FAM_PIPELINE } zoo_family_t;

typedef struct zoo_entry {
    zoo_info_t info;
    zoo_family_t family;
    int (*build)(zoo_net_t *net, const zoo_resolved_t *r, int variant);
    int variant;
    dtype_t dtype;                /* default */
} zoo_entry_t;

#define O_COMMON (ZOO_OPT_DTYPE | ZOO_OPT_ENGINE | ZOO_OPT_FRAMES | ZOO_OPT_PERIOD)
#define O_CNN (O_COMMON | ZOO_OPT_BATCH | ZOO_OPT_SPARSITY | ZOO_OPT_SPLIT)
#define O_BERT (O_COMMON | ZOO_OPT_BATCH | ZOO_OPT_SPARSITY | ZOO_OPT_SEQ)
#define O_VIT (O_COMMON | ZOO_OPT_BATCH | ZOO_OPT_SPARSITY)
#define O_DECODE (O_COMMON | ZOO_OPT_BATCH | ZOO_OPT_CONTEXT)
#define O_PREFILL (O_COMMON | ZOO_OPT_BATCH | ZOO_OPT_PROMPT)
#define O_PIPE (O_COMMON | ZOO_OPT_SPARSITY)

#define V8 "ultralytics/cfg/models/v8/yolov8.yaml (Ultralytics 8.3), scale "
#define V11 "ultralytics/cfg/models/11/yolo11.yaml (Ultralytics 8.3), scale "
#define L2 "Llama 2 (Touvron et al. 2023, arXiv:2307.09288); config.json of meta-llama/"
#define L3 "Llama 3 (Meta 2024, arXiv:2407.21783); config.json of meta-llama/"

#define YOLO(n, desc, src, v) \
    {{n, desc, src, O_CNN}, FAM_CNN, zoo_build_yolo, v, DT_FP16}
#define LLAMA(n, model, desc, src)                                                        \
    {{n "-decode", desc ", one decode step (a token at --context)", src, O_DECODE},       \
     FAM_LLM, zoo_build_llama, (model) * 2, DT_FP16},                                     \
    {{n "-prefill", desc ", prefill of a --prompt", src, O_PREFILL}, FAM_LLM,             \
     zoo_build_llama, (model) * 2 + 1, DT_FP16}

static const zoo_entry_t ENTRIES[] = {
    {{"resnet50", "ResNet-50 v1.5 image classifier, 224x224, 1000 classes",
      "He et al. 2015 (arXiv:1512.03385) with the v1.5 stride on the 3x3 conv "
      "(torchvision resnet50, MLPerf Inference image classification)", O_CNN},
     FAM_CNN, zoo_build_resnet50, 0, DT_INT8},
    {{"ssd-mobilenet", "SSD-MobileNetV1 detector, 300x300, COCO (91 classes, 1917 anchors)",
      "MobileNetV1 (Howard et al. 2017, arXiv:1704.04861) + SSD heads of the TensorFlow "
      "Object Detection API ssd_mobilenet_v1_coco config (MLPerf Inference ssd-mobilenet)",
      O_CNN},
     FAM_CNN, zoo_build_ssd_mobilenet, 0, DT_INT8},
    {{"retinanet", "RetinaNet, ResNeXt-50 32x4d + FPN, 800x800, 264 classes",
      "Lin et al. 2017 (arXiv:1708.02002), ResNeXt (Xie et al. 2016, arXiv:1611.05431); "
      "MLPerf Inference retinanet (torchvision RetinaNet, OpenImages MLPerf subset)", O_CNN},
     FAM_CNN, zoo_build_retinanet, 0, DT_INT8},
    YOLO("yolov8n", "Ultralytics YOLOv8n detector, 640x640, 80 classes", V8 "n [0.33, 0.25, 1024]", 0),
    YOLO("yolov8s", "Ultralytics YOLOv8s detector, 640x640, 80 classes", V8 "s [0.33, 0.50, 1024]", 1),
    YOLO("yolov8m", "Ultralytics YOLOv8m detector, 640x640, 80 classes", V8 "m [0.67, 0.75, 768]", 2),
    YOLO("yolov8l", "Ultralytics YOLOv8l detector, 640x640, 80 classes", V8 "l [1.00, 1.00, 512]", 3),
    YOLO("yolov8x", "Ultralytics YOLOv8x detector, 640x640, 80 classes", V8 "x [1.00, 1.25, 512]", 4),
    YOLO("yolo11n", "Ultralytics YOLO11n detector, 640x640, 80 classes", V11 "n [0.50, 0.25, 1024]", 5),
    YOLO("yolo11s", "Ultralytics YOLO11s detector, 640x640, 80 classes", V11 "s [0.50, 0.50, 1024]", 6),
    YOLO("yolo11m", "Ultralytics YOLO11m detector, 640x640, 80 classes", V11 "m [0.50, 1.00, 512]", 7),
    YOLO("yolo11l", "Ultralytics YOLO11l detector, 640x640, 80 classes", V11 "l [1.00, 1.00, 512]", 8),
    YOLO("yolo11x", "Ultralytics YOLO11x detector, 640x640, 80 classes", V11 "x [1.00, 1.50, 512]", 9),
    {{"bert-base", "BERT-base encoder with a SQuAD head (12 layers, hidden 768), --seq tokens",
      "Devlin et al. 2018 (arXiv:1810.04805), bert-base-uncased; SQuAD v1.1 span head as in "
      "MLPerf Inference bert", O_BERT},
     FAM_BERT, zoo_build_bert, 0, DT_INT8},
    {{"bert-large", "BERT-large encoder with a SQuAD head (24 layers, hidden 1024), --seq tokens",
      "Devlin et al. 2018 (arXiv:1810.04805), bert-large-uncased; SQuAD v1.1 span head as in "
      "MLPerf Inference bert", O_BERT},
     FAM_BERT, zoo_build_bert, 1, DT_INT8},
    {{"vit-b16", "Vision Transformer ViT-B/16 classifier, 224x224 (197 tokens), 1000 classes",
      "Dosovitskiy et al. 2020 (arXiv:2010.11929), ViT-B/16 (timm vit_base_patch16_224)", O_VIT},
     FAM_VIT, zoo_build_vit, 0, DT_FP16},
    LLAMA("llama2-7b", 0, "Llama-2 7B", L2 "Llama-2-7b-hf"),
    LLAMA("llama2-13b", 1, "Llama-2 13B", L2 "Llama-2-13b-hf"),
    LLAMA("llama2-70b", 2, "Llama-2 70B (grouped-query attention, 8 KV heads)", L2 "Llama-2-70b-hf"),
    LLAMA("llama3-8b", 3, "Llama-3 8B (grouped-query attention, 8 KV heads)", L3 "Meta-Llama-3-8B"),
    LLAMA("llama3.2-1b", 4, "Llama-3.2 1B (8 KV heads, tied embeddings)", L3 "Llama-3.2-1B"),
    LLAMA("llama3.2-3b", 5, "Llama-3.2 3B (8 KV heads, tied embeddings)", L3 "Llama-3.2-3B"),
    {{"camera-pipeline",
      "30 FPS camera: PVA colour conversion, undistortion and resize -> SSD-MobileNetV1 "
      "on a DLA -> box decoding and NMS on the GPU -> CPU control",
      "the ssd-mobilenet network of this zoo; PVA and CPU stages as in "
      "traces/camera-detector.yaml", O_PIPE},
     FAM_PIPELINE, zoo_build_camera, 0, DT_INT8},
};

#define NENTRIES ((int)(sizeof ENTRIES / sizeof ENTRIES[0]))

int zoo_count(void)
{
    return NENTRIES;
}

const zoo_info_t *zoo_info(int i)
{
    return i >= 0 && i < NENTRIES ? &ENTRIES[i].info : NULL;
}

static const zoo_entry_t *find_entry(const char *name)
{
    for (int i = 0; i < NENTRIES; i++)
        if (strcmp(ENTRIES[i].info.name, name) == 0)
            return &ENTRIES[i];
    return NULL;
}

const zoo_info_t *zoo_find(const char *name)
{
    const zoo_entry_t *e = find_entry(name);
    return e ? &e->info : NULL;
}

/* ---------------------------------------------------------------- building helpers */

static zoo_op_t scratch_op;

static zoo_op_t *add_op(zoo_net_t *net, zoo_op_kind_t kind, const char *fmt, va_list ap)
{
    zoo_op_t *op;
    if (net->nops == net->cap) {
        int cap = net->cap ? net->cap * 2 : 256;
        zoo_op_t *p = realloc(net->ops, (size_t)cap * sizeof *p);
        if (p == NULL) {
            net->nomem = 1;
            memset(&scratch_op, 0, sizeof scratch_op);
            return &scratch_op;
        }
        net->ops = p;
        net->cap = cap;
    }
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

/* ---------------------------------------------------------------- options */

static const char *const ENGINE_NAMES[ZOO_ENG_COUNT] = {"gpu", "dla", "dla0", "dla1",
                                                        "gpu+2dla"};

/* MLPerf Inference v3.0, closed/NVIDIA/configs/resnet50/Offline (system Orin): the GPU
 * engine runs batches of 256 and each DLA batches of 2; expected 4500 samples/s on the
 * GPU and 600 per DLA. A frame gives each engine the work it does in the same time:
 * 256 on the GPU, 256 x 600 / 4500 = 34 per DLA (17 passes of 2). */
#define SPLIT_GPU 256
#define SPLIT_DLA 34
#define DLA_BATCH 2
#define QPS_GPU 4500.0
#define QPS_DLA 600.0

static int is_dla(zoo_engine_t e)
{
    return e == ZOO_ENG_DLA || e == ZOO_ENG_DLA0 || e == ZOO_ENG_DLA1;
}

static const char *opt_name(unsigned opt)
{
    switch (opt) {
    case ZOO_OPT_DTYPE: return "--dtype";
    case ZOO_OPT_ENGINE: return "--engine";
    case ZOO_OPT_BATCH: return "--batch";
    case ZOO_OPT_FRAMES: return "--frames";
    case ZOO_OPT_PERIOD: return "--period";
    case ZOO_OPT_SPARSITY: return "--sparsity";
    case ZOO_OPT_SEQ: return "--seq";
    case ZOO_OPT_CONTEXT: return "--context";
    case ZOO_OPT_PROMPT: return "--prompt";
    case ZOO_OPT_SPLIT: return "--split";
    default: return "?";
    }
}

static void opt_list(unsigned opts, char *buf, size_t len)
{
    buf[0] = '\0';
    for (unsigned bit = 1; bit <= ZOO_OPT_SPLIT; bit <<= 1) {
        if (opts & bit) {
            size_t l = strlen(buf);
            snprintf(buf + l, len - l, "%s%s", l ? " " : "", opt_name(bit));
        }
    }
}

/* The options the user set, as ZOO_OPT_* bits. */
static unsigned opts_given(const zoo_options_t *o)
{
    unsigned g = 0;
    g |= o->dtype_set ? ZOO_OPT_DTYPE : 0;
    g |= o->engine_set ? ZOO_OPT_ENGINE : 0;
    g |= o->batch ? ZOO_OPT_BATCH : 0;
    g |= o->frames ? ZOO_OPT_FRAMES : 0;
    g |= o->period[0] ? ZOO_OPT_PERIOD : 0;
    g |= o->sparse ? ZOO_OPT_SPARSITY : 0;
    g |= o->seq ? ZOO_OPT_SEQ : 0;
    g |= o->context ? ZOO_OPT_CONTEXT : 0;
    g |= o->prompt ? ZOO_OPT_PROMPT : 0;
    g |= o->split_set ? ZOO_OPT_SPLIT : 0;
    return g;
}

typedef struct plan {
    zoo_resolved_t r;
    dtype_t udtype;               /* as the user wrote it (int4 for int4 LLM weights) */
    zoo_engine_t engine;
    int64_t frames;
    int64_t split[3];             /* gpu+2dla: samples per frame per engine */
    int64_t max_in_flight;
    char period[32];
} plan_t;

static int in_range(int64_t v, int64_t lo, int64_t hi)
{
    return v >= lo && v <= hi;
}

static int resolve(const zoo_entry_t *e, const zoo_options_t *o, plan_t *p, diag_t *d)
{
    const char *nm = e->info.name;
    unsigned bad = opts_given(o) & ~e->info.options;
    char list[160];
    dtype_t t = o->dtype_set ? o->dtype : e->dtype;

    memset(p, 0, sizeof *p);
    p->udtype = t;
    if (bad) {
        unsigned bit = bad & -bad;
        opt_list(e->info.options, list, sizeof list);
        return diag_error(d, NULL, 0, 0, "network '%s' takes no %s (its options: %s)", nm,
                          opt_name(bit), list);
    }
    p->engine = o->engine_set ? o->engine : e->family == FAM_PIPELINE ? ZOO_ENG_DLA
                                                                      : ZOO_ENG_GPU;
    if (e->family == FAM_BERT || e->family == FAM_VIT || e->family == FAM_LLM) {
        if (p->engine != ZOO_ENG_GPU)
            return diag_error(d, NULL, 0, 0,
                              "%s cannot run on --engine %s: its gemm, attention and "
                              "normalisation ops have no DLA form (use --engine gpu)",
                              nm, ENGINE_NAMES[p->engine]);
    }
    if (e->family == FAM_PIPELINE && p->engine == ZOO_ENG_GPU_2DLA)
        return diag_error(d, NULL, 0, 0,
                          "%s runs one detector per frame: --engine gpu+2dla is for "
                          "throughput runs of a single network (use gpu, dla, dla0 or dla1)",
                          nm);

    /* dtypes */
    p->r.dtype = t;
    if (e->family == FAM_LLM) {
        if (t == DT_INT8 || t == DT_INT4) {
            p->r.dtype = DT_FP16;   /* weight-only quantisation: fp16 math */
            p->r.has_wdtype = 1;
            p->r.wdtype = t;
        } else if (t != DT_FP16 && t != DT_BF16) {
            return diag_error(d, NULL, 0, 0,
                              "%s: --dtype %s is not offered (fp16, bf16, or int8 / int4 "
                              "weights with fp16 math)", nm, dtype_name(t));
        }
    } else if (t == DT_INT4) {
        return diag_error(d, NULL, 0, 0,
                          "%s: --dtype int4 is a weight format of the LLMs; this network "
                          "takes fp32, tf32, fp16, bf16 or int8", nm);
    }
    if ((is_dla(p->engine) || p->engine == ZOO_ENG_GPU_2DLA) && t != DT_INT8 && t != DT_FP16)
        return diag_error(d, NULL, 0, 0,
                          "%s: a DLA computes in int8 or fp16, not %s", nm, dtype_name(t));
    if (o->sparse && (t == DT_FP32))
        return diag_error(d, NULL, 0, 0,
                          "%s: 2:4 sparsity needs a tensor-core dtype (tf32, fp16, bf16, "
                          "int8), not fp32", nm);
    p->r.sparse = o->sparse;

    /* sizes */
    if (o->batch && !in_range(o->batch, 1, 4096))
        return diag_error(d, NULL, 0, 0, "--batch must be 1..4096, got %" PRId64, o->batch);
    p->r.batch = o->batch ? o->batch : 1;
    if (e->family == FAM_BERT) {
        if (o->seq && !in_range(o->seq, 1, 512))
            return diag_error(d, NULL, 0, 0,
                              "%s: --seq must be 1..512 (its position embeddings), got %" PRId64,
                              nm, o->seq);
        p->r.seq = o->seq ? o->seq : 384;
    }
    if (e->family == FAM_LLM) {
        int64_t maxc = zoo_llama_max_context(e->variant / 2);
        if ((o->context && !in_range(o->context, 1, maxc)) ||
            (o->prompt && !in_range(o->prompt, 1, maxc)))
            return diag_error(d, NULL, 0, 0,
                              "%s: --%s must be 1..%" PRId64 " (max_position_embeddings), "
                              "got %" PRId64, nm, o->context ? "context" : "prompt", maxc,
                              o->context ? o->context : o->prompt);
        p->r.context = o->context ? o->context : 1024;
        p->r.prompt = o->prompt ? o->prompt : 512;
    }

    /* the MLPerf Offline split */
    p->max_in_flight = 1;
    if (o->split_set && p->engine != ZOO_ENG_GPU_2DLA)
        return diag_error(d, NULL, 0, 0, "--split is for --engine gpu+2dla");
    if (p->engine == ZOO_ENG_GPU_2DLA) {
        int64_t sum;
        if (o->split_set) {
            memcpy(p->split, o->split, sizeof p->split);
        } else if (o->batch) {
            int64_t dla = (int64_t)(o->batch * QPS_DLA / (QPS_GPU + 2 * QPS_DLA) + 0.5);
            p->split[0] = o->batch - 2 * dla;
            p->split[1] = p->split[2] = dla;
        } else {
            p->split[0] = SPLIT_GPU;
            p->split[1] = p->split[2] = SPLIT_DLA;
        }
        sum = p->split[0] + p->split[1] + p->split[2];
        for (int i = 0; i < 3; i++)
            if (!in_range(p->split[i], 0, 4096))
                return diag_error(d, NULL, 0, 0,
                                  "--split: each share must be 0..4096 samples");
        if (sum < 1)
            return diag_error(d, NULL, 0, 0, "--split: the shares add up to no sample");
        if (o->split_set && o->batch && o->batch != sum)
            return diag_error(d, NULL, 0, 0,
                              "--batch %" PRId64 " disagrees with --split (%" PRId64
                              " samples); give one of them", o->batch, sum);
        p->r.batch = sum;
        p->max_in_flight = 2;
    }

    /* frames and period */
    if (o->frames && !in_range(o->frames, 1, 10000000))
        return diag_error(d, NULL, 0, 0, "--frames must be 1..10000000, got %" PRId64,
                          o->frames);
    p->frames = o->frames ? o->frames : e->family == FAM_PIPELINE ? 300 : 1;
    if (o->period[0]) {
        uint64_t ps;
        char why[128];
        if (units_duration_ps(o->period, &ps, why, sizeof why) != 0)
            return diag_error(d, NULL, 0, 0, "--period: %s", why);
        if (ps == 0 || ps > 3600ull * 1000000000000ull)
            return diag_error(d, NULL, 0, 0, "--period must be above 0 and at most 1 hour");
        snprintf(p->period, sizeof p->period, "%s", o->period);
    } else if (e->family == FAM_PIPELINE) {
        snprintf(p->period, sizeof p->period, "33.333ms");
    }
    if (e->family == FAM_PIPELINE)
        p->max_in_flight = 2;
    return 0;
}

static int build_with(const zoo_entry_t *e, const zoo_resolved_t *r, zoo_net_t *net,
                      diag_t *d)
{
    memset(net, 0, sizeof *net);
    net->dtype = r->dtype;
    net->sparse = r->sparse;
    if (e->build(net, r, e->variant) != 0 || net->nomem)
        return diag_error(d, NULL, 0, 0, "internal error: out of memory building %s",
                          e->info.name);
    assert(net->depth == 0 && net->nstages > 0);
    net->stages[net->nstages - 1].end = net->nops;
    return 0;
}

int zoo_build(const char *name, const zoo_options_t *o, zoo_net_t *net, diag_t *d)
{
    const zoo_entry_t *e = find_entry(name);
    plan_t p;
    memset(net, 0, sizeof *net);
    if (e == NULL)
        return diag_error(d, NULL, 0, 0, "unknown network '%s' (see `orinsim zoo list`)",
                          name);
    if (resolve(e, o, &p, d) != 0)
        return DIAG_ERR;
    if (p.engine == ZOO_ENG_GPU_2DLA)
        p.r.batch = o->batch ? o->batch : 1;
    return build_with(e, &p.r, net, d);
}

/* Sum over ops [first, end) of macs (or params), repeats multiplied: in every network of
 * the zoo a repeated block (a ResNet stage's identical bottlenecks, a transformer's
 * layers) holds distinct weights in each copy. */
static double sum_ops(const zoo_net_t *net, int first, int end, int params)
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

int zoo_totals(const char *name, const zoo_options_t *o, double *macs, double *params,
               diag_t *d)
{
    zoo_net_t net;
    int rc = zoo_build(name, o, &net, d);
    if (rc == 0) {
        *macs = sum_ops(&net, 0, net.nops, 0);
        *params = sum_ops(&net, 0, net.nops, 1);
    }
    zoo_net_free(&net);
    return rc;
}

/* ---------------------------------------------------------------- writing the trace */

static const char *act_name(zoo_act_t a)
{
    static const char *const names[ZOO_ACT_COUNT] = {"none", "relu", "relu6", "sigmoid",
                                                     "silu", "gelu"};
    assert(a >= 0 && a < ZOO_ACT_COUNT);
    return names[a];
}

/* Activations the DLA's post-processing unit applies in the same pass as the conv (its
 * lookup table covers sigmoid; ReLU and clipping are native). SiLU and GELU are not in
 * TensorRT's list of DLA activations, so they run on the GPU. */
static int dla_act(zoo_act_t a)
{
    return a == ZOO_ACT_NONE || a == ZOO_ACT_RELU || a == ZOO_ACT_RELU6 || a == ZOO_ACT_SIGMOID;
}

static int is_layer(zoo_op_kind_t k)
{
    return k <= ZOO_SOFTMAX;
}

/* Count, repeats expanded, what a DLA cannot run in ops [first, end). */
typedef struct fallbacks {
    double act[ZOO_ACT_COUNT];    /* activations (fused or standalone) by function */
    double gpu_ops[ZOO_OP_KIND_COUNT];
    double total;
} fallbacks_t;

static void count_fallbacks(const zoo_net_t *net, int first, int end, fallbacks_t *fb)
{
    double stack[32], mult = 1;
    int depth = 0;
    memset(fb, 0, sizeof *fb);
    for (int i = first; i < end; i++) {
        const zoo_op_t *op = &net->ops[i];
        if (op->kind == ZOO_REPEAT) {
            stack[depth++] = mult;
            mult *= (double)op->count;
        } else if (op->kind == ZOO_END) {
            mult = stack[--depth];
        } else if (is_layer(op->kind)) {
            if (!dla_act(op->act)) {
                fb->act[op->act] += mult;
                fb->total += mult;
            }
        } else {
            fb->gpu_ops[op->kind] += mult;
            fb->total += mult;
        }
    }
}

static const char *kind_name(zoo_op_kind_t k)
{
    static const char *const names[ZOO_OP_KIND_COUNT] = {
        "conv", "deconv", "fc", "pool", "activation", "eltwise", "concat", "resize",
        "softmax", "gemm", "attention", "elementwise", "kernel", "color_convert", "resize",
        "remap", "cpu", "repeat", "end"};
    return names[k];
}

static void put_shape(FILE *f, const char *key, int64_t n, int64_t c, int64_t h, int64_t w)
{
    fprintf(f, ", %s: [%" PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64 "]", key, n, c, h, w);
}

static void put_tail(FILE *f, const zoo_op_t *op)
{
    fprintf(f, ", dtype: %s", dtype_name(op->dtype));
    if (op->sparse)
        fprintf(f, ", sparsity: \"2:4\"");
    fprintf(f, "}");
}

static void put_kernel_geom(FILE *f, const zoo_op_t *op)
{
    fprintf(f, ", kernel: %d", op->kh);
    if (op->sh != 1)
        fprintf(f, ", stride: %d", op->sh);
    if (op->ph != 0)
        fprintf(f, ", padding: %d", op->ph);
}

/* One op as a flow mapping on one line; a non-fusable activation after it on a DLA. */
static void emit_op(FILE *f, const zoo_op_t *op, const char *pad, int dla)
{
    static const char *const efn[] = {"add", "mul", "sub"};
    fprintf(f, "%s- {op: %s", pad, kind_name(op->kind));
    if (op->name[0])
        fprintf(f, ", name: %s", op->name);
    switch (op->kind) {
    case ZOO_CONV:
    case ZOO_DECONV:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        fprintf(f, ", filters: %" PRId64, op->k);
        put_kernel_geom(f, op);
        if (op->groups != 1)
            fprintf(f, ", groups: %" PRId64, op->groups);
        put_tail(f, op);
        fprintf(f, "   # -> %" PRId64 "x%" PRId64 "x%" PRId64, op->k, op->oh, op->ow);
        break;
    case ZOO_FC:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        fprintf(f, ", outputs: %" PRId64, op->k);
        put_tail(f, op);
        break;
    case ZOO_POOL:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        if (op->global)
            fprintf(f, ", global: true");
        else
            put_kernel_geom(f, op);
        fprintf(f, ", mode: %s", op->fn ? "avg" : "max");
        put_tail(f, op);
        fprintf(f, "   # -> %" PRId64 "x%" PRId64 "x%" PRId64, op->c, op->oh, op->ow);
        break;
    case ZOO_ACTIVATION:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        fprintf(f, ", function: %s", act_name(op->act));
        put_tail(f, op);
        break;
    case ZOO_ELTWISE:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        if (op->inputs != 2)
            fprintf(f, ", inputs: %" PRId64, op->inputs);
        if (op->fn != 0)
            fprintf(f, ", function: %s", efn[op->fn]);
        put_tail(f, op);
        break;
    case ZOO_CONCAT:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        if (op->inputs != 2)
            fprintf(f, ", inputs: %" PRId64, op->inputs);
        put_tail(f, op);
        break;
    case ZOO_RESIZE:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        fprintf(f, ", scale: %d, mode: nearest", op->sh);
        put_tail(f, op);
        fprintf(f, "   # -> %" PRId64 "x%" PRId64 "x%" PRId64, op->c, op->oh, op->ow);
        break;
    case ZOO_SOFTMAX:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        put_tail(f, op);
        break;
    case ZOO_GEMM:
        fprintf(f, ", m: %" PRId64 ", n: %" PRId64 ", k: %" PRId64, op->m, op->gn, op->gk);
        if (op->batch != 1)
            fprintf(f, ", batch: %" PRId64, op->batch);
        fprintf(f, ", dtype: %s", dtype_name(op->dtype));
        if (op->has_wdtype)
            fprintf(f, ", weight_dtype: %s", dtype_name(op->wdtype));
        if (!op->inputs)
            fprintf(f, ", weights: false");
        if (op->sparse)
            fprintf(f, ", sparsity: \"2:4\"");
        fprintf(f, "}");
        break;
    case ZOO_ATTENTION:
        if (op->batch != 1)
            fprintf(f, ", batch: %" PRId64, op->batch);
        fprintf(f, ", heads: %" PRId64, op->heads);
        if (op->kv_heads != op->heads)
            fprintf(f, ", kv_heads: %" PRId64, op->kv_heads);
        fprintf(f, ", seq_q: %" PRId64, op->seq_q);
        if (op->seq_kv != op->seq_q)
            fprintf(f, ", seq_kv: %" PRId64, op->seq_kv);
        fprintf(f, ", head_dim: %" PRId64, op->head_dim);
        if (op->causal)
            fprintf(f, ", causal: true");
        fprintf(f, ", dtype: %s}", dtype_name(op->dtype));
        break;
    case ZOO_ELEMENTWISE:
        fprintf(f, ", elements: %" PRId64, op->elements);
        if (op->inputs != 1)
            fprintf(f, ", inputs: %" PRId64, op->inputs);
        if (op->flops_per_element != 1)
            fprintf(f, ", flops_per_element: %g", op->flops_per_element);
        fprintf(f, ", dtype: %s}", dtype_name(op->dtype));
        break;
    case ZOO_KERNEL:
        fprintf(f, ", grid: [%" PRId64 ", 1, 1], block: [%" PRId64 ", 1, 1], registers: %" PRId64,
                op->grid, op->block, op->registers);
        if (op->shared > 0)
            fprintf(f, ", shared: %.0fB", op->shared);
        fprintf(f, ", flops: {fp32: %.0f}, dram_bytes: %.0fB}", op->kflops, op->dram_bytes);
        break;
    case ZOO_PVA_COLOR:
    case ZOO_PVA_REMAP:
        fprintf(f, ", image: [%" PRId64 ", %" PRId64 "]}", op->img_w, op->img_h);
        break;
    case ZOO_PVA_RESIZE:
        fprintf(f, ", image: [%" PRId64 ", %" PRId64 "], output: [%" PRId64 ", %" PRId64 "]}",
                op->img_w, op->img_h, op->out_w, op->out_h);
        break;
    case ZOO_CPU:
        fprintf(f, ", duration: %s, threads: 1", op->duration);
        if (op->cpu_bytes > 0)
            fprintf(f, ", bytes: %.0fB", op->cpu_bytes);
        fprintf(f, "}");
        break;
    default:
        assert(0 && "not a leaf op");
    }
    fprintf(f, "\n");
    /* The fused activation: free on the GPU (TensorRT fuses pointwise activations into the
     * conv / gemm epilogue) and on a DLA when its post-processing unit has it. */
    if (op->act != ZOO_ACT_NONE && op->kind != ZOO_ACTIVATION && dla && !dla_act(op->act)) {
        int64_t c = op->kind == ZOO_ELTWISE ? op->c : op->k;
        int64_t h = op->kind == ZOO_FC ? 1 : op->kind == ZOO_ELTWISE ? op->h : op->oh;
        int64_t w = op->kind == ZOO_FC ? 1 : op->kind == ZOO_ELTWISE ? op->w : op->ow;
        fprintf(f, "%s- {op: activation, name: %s.act", pad, op->name);
        put_shape(f, "input", op->n, c, h, w);
        fprintf(f, ", function: %s, dtype: %s}\n", act_name(op->act), dtype_name(op->dtype));
    }
}

/* Write ops [i, end) at `indent`, stopping at the ZOO_END that closes the caller's
 * block; returns the index after what was written. */
static int emit_range(FILE *f, const zoo_net_t *net, int i, int end, int indent, int dla)
{
    char pad[80];
    assert(indent < (int)sizeof pad);
    memset(pad, ' ', (size_t)indent);
    pad[indent] = '\0';
    while (i < end) {
        const zoo_op_t *op = &net->ops[i];
        if (op->kind == ZOO_END)
            return i + 1;
        if (op->kind == ZOO_REPEAT) {
            fprintf(f, "%s- op: repeat\n", pad);
            if (op->name[0])
                fprintf(f, "%s  name: %s\n", pad, op->name);
            fprintf(f, "%s  count: %" PRId64 "\n%s  ops:\n", pad, op->count, pad);
            i = emit_range(f, net, i + 1, end, indent + 4, dla);
            continue;
        }
        emit_op(f, op, pad, dla);
        i++;
    }
    return i;
}

static void fmt_count(double v, char *buf, size_t len)
{
    if (v >= 1e9)
        snprintf(buf, len, "%.3f G", v / 1e9);
    else
        snprintf(buf, len, "%.3f M", v / 1e6);
}

/* The options in canonical form, as a command line. */
static void canonical(const zoo_entry_t *e, const plan_t *p, char *buf, size_t len)
{
    size_t l;
    unsigned o = e->info.options;
    snprintf(buf, len, "--dtype %s --engine %s", dtype_name(p->udtype),
             ENGINE_NAMES[p->engine]);
#define CAT(...) (l = strlen(buf), snprintf(buf + l, len - l, __VA_ARGS__))
    if (p->engine == ZOO_ENG_GPU_2DLA)
        CAT(" --split %" PRId64 ",%" PRId64 ",%" PRId64, p->split[0], p->split[1], p->split[2]);
    else if (o & ZOO_OPT_BATCH)
        CAT(" --batch %" PRId64, p->r.batch);
    if (p->r.sparse)
        CAT(" --sparsity 2:4");
    if (o & ZOO_OPT_SEQ)
        CAT(" --seq %" PRId64, p->r.seq);
    if (o & ZOO_OPT_CONTEXT)
        CAT(" --context %" PRId64, p->r.context);
    if (o & ZOO_OPT_PROMPT)
        CAT(" --prompt %" PRId64, p->r.prompt);
    CAT(" --frames %" PRId64, p->frames);
    if (p->period[0])
        CAT(" --period %s", p->period);
#undef CAT
}

static void trace_name(const zoo_entry_t *e, const plan_t *p, char *buf, size_t len)
{
    static const char *const eng[ZOO_ENG_COUNT] = {"gpu", "dla", "dla0", "dla1", "gpu2dla"};
    size_t l;
    snprintf(buf, len, "%s-%s-%s", e->info.name, dtype_name(p->udtype), eng[p->engine]);
    l = strlen(buf);
    if (p->engine == ZOO_ENG_GPU_2DLA)
        snprintf(buf + l, len - l, "-offline");
    else if (e->info.options & ZOO_OPT_BATCH)
        snprintf(buf + l, len - l, "-b%" PRId64, p->r.batch);
    l = strlen(buf);
    if (e->info.options & ZOO_OPT_SEQ)
        snprintf(buf + l, len - l, "-s%" PRId64, p->r.seq);
    else if (e->info.options & ZOO_OPT_CONTEXT)
        snprintf(buf + l, len - l, "-ctx%" PRId64, p->r.context);
    else if (e->info.options & ZOO_OPT_PROMPT)
        snprintf(buf + l, len - l, "-p%" PRId64, p->r.prompt);
    if (p->r.sparse) {
        l = strlen(buf);
        snprintf(buf + l, len - l, "-sparse");
    }
}

static void emit_fallback_note(FILE *f, const fallbacks_t *fb)
{
    int first = 1;
    fprintf(f, "    # On a DLA these ops fall back to the GPU:");
    for (int a = 0; a < ZOO_ACT_COUNT; a++)
        if (fb->act[a] > 0) {
            fprintf(f, "%s %.0f %s activations", first ? "" : ",", fb->act[a], act_name(a));
            first = 0;
        }
    for (int k = 0; k < ZOO_OP_KIND_COUNT; k++)
        if (fb->gpu_ops[k] > 0) {
            fprintf(f, "%s %.0f %s", first ? "" : ",", fb->gpu_ops[k], kind_name(k));
            first = 0;
        }
    fprintf(f, ".\n");
}

/* One instance of the network: its engine and the nets that hold its ops. */
typedef struct instance {
    zoo_engine_t engine;          /* gpu, dla, dla0 or dla1 */
    const char *prefix;           /* task id prefix ("" for a single instance) */
    const zoo_net_t *whole;       /* at the instance's batch */
    const zoo_net_t *pass;        /* DLA share of gpu+2dla: a batch-2 pass, or NULL */
    int64_t passes;
    const zoo_net_t *odd;         /* and a batch-1 pass for an odd share, or NULL */
    int native_io;
} instance_t;

static void emit_task(FILE *f, const instance_t *in, int s)
{
    const zoo_stage_t *st = &in->whole->stages[s];
    int on_dla = st->role == ZOO_ROLE_MAIN && is_dla(in->engine);
    const char *engine = st->role == ZOO_ROLE_MAIN  ? ENGINE_NAMES[in->engine]
                         : st->role == ZOO_ROLE_GPU ? "gpu"
                         : st->role == ZOO_ROLE_PVA ? "pva"
                                                    : "cpu";
    fallbacks_t fb;
    int fallback = st->role == ZOO_ROLE_PVA;

    fprintf(f, "\n");
    if (st->note[0])
        fprintf(f, "  # %s\n", st->note);
    fprintf(f, "  - id: %s%s\n    engine: %s\n", in->prefix, st->id, engine);
    if (st->after >= 0)
        fprintf(f, "    after: [%s%s]\n", in->prefix, in->whole->stages[st->after].id);
    if (on_dla) {
        count_fallbacks(in->whole, st->first, st->end, &fb);
        if (fb.total > 0) {
            emit_fallback_note(f, &fb);
            fallback = 1;
        }
        fallback |= st->fallback;
    }
    if (fallback)
        fprintf(f, "    fallback: gpu\n");
    if (on_dla && in->native_io)
        fprintf(f, "    io_format: native   # MLPerf feeds the DLAs int8 CHW4 tensors\n");
    if (st->weight_bytes > 0)
        fprintf(f, "    memory: {weights: %.0fB}\n", st->weight_bytes);
    fprintf(f, "    ops:\n");
    if (st->role == ZOO_ROLE_MAIN && in->pass != NULL) {
        const zoo_stage_t *ps = &in->pass->stages[s];
        fprintf(f, "      - op: repeat\n        name: batches of %d\n        count: %" PRId64
                   "\n        ops:\n", DLA_BATCH, in->passes);
        emit_range(f, in->pass, ps->first, ps->end, 10, on_dla);
    }
    if (st->role == ZOO_ROLE_MAIN && in->odd != NULL) {
        const zoo_stage_t *os = &in->odd->stages[s];
        emit_range(f, in->odd, os->first, os->end, 6, on_dla);
    }
    if (st->role != ZOO_ROLE_MAIN || (in->pass == NULL && in->odd == NULL))
        emit_range(f, in->whole, st->first, st->end, 6, on_dla);
}

static void emit_header(FILE *f, const zoo_entry_t *e, const plan_t *p, const zoo_net_t *one)
{
    char opts[256], mac[32], par[32];
    const char *per = e->family == FAM_LLM ? (e->variant % 2 ? "per prompt" : "per token")
                      : e->family == FAM_PIPELINE ? "per frame (detector)"
                                                  : "per sample";
    canonical(e, p, opts, sizeof opts);
    fmt_count(sum_ops(one, 0, one->nops, 0), mac, sizeof mac);
    fmt_count(sum_ops(one, 0, one->nops, 1), par, sizeof par);
    fprintf(f, "# %s: %s.\n", e->info.name, e->info.description);
    fprintf(f, "# Architecture: %s.\n", e->info.source);
    fprintf(f, "# Generated by `orinsim zoo %s %s`\n", e->info.name, opts);
    fprintf(f, "# from the layer definitions in soc/zoo*.c; regenerate (tests/zoo/regen.sh), "
               "do not edit.\n");
    fprintf(f, "# Batch 1: %sMAC %s, %s parameters (weights and biases).\n", mac, per, par);
    fputs(one->notes, f);
    if (p->engine == ZOO_ENG_GPU_2DLA)
        fprintf(f, "# MLPerf Offline: independent instances on gpu, dla0 and dla1 take %" PRId64
                   ", %" PRId64 " and %" PRId64 " samples of each frame;\n"
                   "# the GPU runs its share as one batch, a DLA in batches of %d "
                   "(MLPerf v3.0 Orin config:\n"
                   "# gpu_batch_size 256, dla_batch_size 2, 4500 vs 600 samples/s expected).\n",
                p->split[0], p->split[1], p->split[2], DLA_BATCH);
}

static int emit_plan(FILE *f, const zoo_entry_t *e, const plan_t *p, diag_t *d)
{
    /* nets[0]: batch 1 (header); per instance: whole, pass, odd */
    zoo_net_t nets[1 + 3 * 3];
    instance_t inst[3];
    int ninst = 0, nnets = 0, rc = 0;
    zoo_resolved_t r = p->r;
    char name[128];

    memset(nets, 0, sizeof nets);
    r.batch = 1;
    if (build_with(e, &r, &nets[nnets++], d) != 0) {
        rc = DIAG_ERR;
        goto out;
    }
    if (p->engine != ZOO_ENG_GPU_2DLA) {
        memset(&inst[0], 0, sizeof inst[0]);
        inst[0].engine = p->engine;
        inst[0].prefix = "";
        if (build_with(e, &p->r, &nets[nnets], d) != 0) {
            rc = DIAG_ERR;
            goto out;
        }
        inst[0].whole = &nets[nnets++];
        ninst = 1;
    } else {
        static const char *const prefix[3] = {"gpu.", "dla0.", "dla1."};
        static const zoo_engine_t engs[3] = {ZOO_ENG_GPU, ZOO_ENG_DLA0, ZOO_ENG_DLA1};
        for (int k = 0; k < 3; k++) {
            instance_t *in = &inst[ninst];
            if (p->split[k] == 0)
                continue;
            memset(in, 0, sizeof *in);
            in->engine = engs[k];
            in->prefix = prefix[k];
            r.batch = p->split[k];
            if (build_with(e, &r, &nets[nnets], d) != 0) {
                rc = DIAG_ERR;
                goto out;
            }
            in->whole = &nets[nnets++];
            if (k > 0) {
                in->native_io = 1;
                in->passes = p->split[k] / DLA_BATCH;
                if (in->passes > 0) {
                    r.batch = DLA_BATCH;
                    if (build_with(e, &r, &nets[nnets], d) != 0) {
                        rc = DIAG_ERR;
                        goto out;
                    }
                    in->pass = &nets[nnets++];
                }
                if (p->split[k] % DLA_BATCH) {
                    r.batch = p->split[k] % DLA_BATCH;
                    if (build_with(e, &r, &nets[nnets], d) != 0) {
                        rc = DIAG_ERR;
                        goto out;
                    }
                    in->odd = &nets[nnets++];
                }
            }
            ninst++;
        }
    }

    emit_header(f, e, p, &nets[0]);
    trace_name(e, p, name, sizeof name);
    fprintf(f, "orinsim: 1\nname: %s\nframes: %" PRId64 "\n", name, p->frames);
    if (p->period[0])
        fprintf(f, "period: %s\n", p->period);
    if (p->max_in_flight != 1)
        fprintf(f, "max_in_flight: %" PRId64 "\n", p->max_in_flight);
    fprintf(f, "tasks:\n");
    for (int i = 0; i < ninst; i++)
        for (int s = 0; s < inst[i].whole->nstages; s++)
            emit_task(f, &inst[i], s);
    if (ferror(f))
        rc = diag_error(d, NULL, 0, 0, "internal error: writing the trace failed");
out:
    for (int i = 0; i < nnets; i++)
        zoo_net_free(&nets[i]);
    return rc;
}

int zoo_emit(FILE *out, const char *name, const zoo_options_t *o, diag_t *d)
{
    const zoo_entry_t *e = find_entry(name);
    plan_t p;
    if (e == NULL)
        return diag_error(d, NULL, 0, 0, "unknown network '%s' (see `orinsim zoo list`)",
                          name);
    if (resolve(e, o, &p, d) != 0)
        return DIAG_ERR;
    return emit_plan(out, e, &p, d);
}

/* ---------------------------------------------------------------- command line */

void zoo_print_list(FILE *out)
{
    char list[160];
    for (int i = 0; i < NENTRIES; i++) {
        const zoo_entry_t *e = &ENTRIES[i];
        opt_list(e->info.options, list, sizeof list);
        fprintf(out, "%-20s %s\n", e->info.name, e->info.description);
        fprintf(out, "%-20s   source: %s\n", "", e->info.source);
        fprintf(out, "%-20s   options: %s (default --dtype %s)\n", "", list,
                dtype_name(e->dtype));
    }
}

static void zoo_usage(FILE *out)
{
    fprintf(out,
            "usage: orinsim zoo list\n"
            "       orinsim zoo NAME [options] > trace.yaml\n"
            "\n"
            "options (each network takes those `orinsim zoo list` shows):\n"
            "  --dtype T           fp32 tf32 fp16 bf16 int8 (LLMs: fp16 bf16, int8 / int4 weights)\n"
            "  --engine E          gpu, dla, dla0, dla1, or gpu+2dla (MLPerf Offline split)\n"
            "  --batch N           samples per frame (gpu+2dla: the total, split 256:34:34)\n"
            "  --split G,D0,D1     gpu+2dla: samples per frame on gpu, dla0, dla1\n"
            "  --sparsity S        dense or 2:4 (weights of conv, fc and gemm)\n"
            "  --seq N             BERT sequence length (384)\n"
            "  --context N         LLM decode: tokens already in the KV cache (1024)\n"
            "  --prompt N          LLM prefill: prompt tokens (512)\n"
            "  --frames N          releases of the task graph (1; camera-pipeline 300)\n"
            "  --period T          release interval, e.g. 33.333ms (camera-pipeline)\n");
}

static int zoo_bad(const char *fmt, const char *arg)
{
    fprintf(stderr, "orinsim: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see `orinsim zoo --help`)\n");
    return EXIT_BAD_INPUT;
}

static int parse_count(const char *v, int64_t *out)
{
    char *end;
    long long n;
    if (v == NULL || *v == '\0' || *v == '-' || *v == '+')
        return -1;
    n = strtoll(v, &end, 10);
    if (*end != '\0' || n < 1 || n > 100000000)
        return -1;
    *out = n;
    return 0;
}

static int parse_split(const char *v, int64_t split[3])
{
    char *end;
    for (int i = 0; i < 3; i++) {
        long long n;
        if (*v < '0' || *v > '9')
            return -1;
        n = strtoll(v, &end, 10);
        if (n > 100000 || (i < 2 && *end != ',') || (i == 2 && *end != '\0'))
            return -1;
        split[i] = n;
        v = end + 1;
    }
    return 0;
}

int zoo_cli(int argc, char **argv)
{
    zoo_options_t o;
    const char *name = NULL;
    diag_t d;
    int rc;

    memset(&o, 0, sizeof o);
    if (argc < 2)
        return zoo_bad("%s", "`orinsim zoo` needs `list` or a network name");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        zoo_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "list") == 0) {
        if (argc > 2)
            return zoo_bad("unexpected argument '%s' to `orinsim zoo list`", argv[2]);
        zoo_print_list(stdout);
        return EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int64_t *count = NULL;
        if (a[0] != '-') {
            if (name != NULL)
                return zoo_bad("unexpected argument '%s' (one network at a time)", a);
            name = a;
            continue;
        }
        if (v == NULL)
            return zoo_bad("%s needs a value", a);
        i++;
        if (strcmp(a, "--dtype") == 0) {
            if (dtype_parse(v, &o.dtype) != 0)
                return zoo_bad("--dtype: unknown type '%s' (fp32 tf32 fp16 bf16 int8 int4)", v);
            o.dtype_set = 1;
        } else if (strcmp(a, "--engine") == 0) {
            int k;
            for (k = 0; k < ZOO_ENG_COUNT; k++)
                if (strcmp(v, ENGINE_NAMES[k]) == 0)
                    break;
            if (k == ZOO_ENG_COUNT)
                return zoo_bad("--engine: unknown engine '%s' (gpu dla dla0 dla1 gpu+2dla)", v);
            o.engine = (zoo_engine_t)k;
            o.engine_set = 1;
        } else if (strcmp(a, "--sparsity") == 0) {
            if (strcmp(v, "2:4") == 0)
                o.sparse = 1;
            else if (strcmp(v, "dense") != 0)
                return zoo_bad("--sparsity: expected dense or 2:4, got '%s'", v);
        } else if (strcmp(a, "--period") == 0) {
            if (strlen(v) >= sizeof o.period)
                return zoo_bad("--period: '%s' is too long", v);
            snprintf(o.period, sizeof o.period, "%s", v);
        } else if (strcmp(a, "--split") == 0) {
            if (parse_split(v, o.split) != 0)
                return zoo_bad("--split: expected three sample counts G,D0,D1, got '%s'", v);
            o.split_set = 1;
        } else if (strcmp(a, "--batch") == 0) {
            count = &o.batch;
        } else if (strcmp(a, "--frames") == 0) {
            count = &o.frames;
        } else if (strcmp(a, "--seq") == 0) {
            count = &o.seq;
        } else if (strcmp(a, "--context") == 0) {
            count = &o.context;
        } else if (strcmp(a, "--prompt") == 0) {
            count = &o.prompt;
        } else {
            return zoo_bad("unknown option '%s'", a);
        }
        if (count != NULL && parse_count(v, count) != 0) {
            char msg[128];
            snprintf(msg, sizeof msg, "%s expects a whole number of at least 1, got '%%s'", a);
            return zoo_bad(msg, v);
        }
    }
    if (name == NULL)
        return zoo_bad("%s", "`orinsim zoo` needs a network name (see `orinsim zoo list`)");
    diag_clear(&d);
    rc = zoo_emit(stdout, name, &o, &d);
    if (rc != 0) {
        fprintf(stderr, "orinsim: error: %s\n", d.msg);
        return strstr(d.msg, "internal error") ? EXIT_INTERNAL : EXIT_BAD_INPUT;
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "orinsim: error: writing the trace failed\n");
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}
