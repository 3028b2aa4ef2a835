/*
 * zoo: the registry of networks, their options, and the `orinsim zoo` command (see
 * soc/zoo/zoo.h; the networks are in soc/zoo/zoo_nets.c and soc/zoo/zoo_llm.c, the building helpers
 * in soc/zoo/zoo_build.c, the YAML writer in soc/zoo/zoo_emit.c; docs/zoo.md is the user's
 * guide).
 *
 * Options are checked here, once, against what each network takes; a resolved plan
 * (every default filled in) then goes to the builders (soc/zoo/zoo_build.c helpers) and to
 * the writer (soc/zoo/zoo_emit.c).
 */
#include "soc/zoo/zoo.h"

#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/out.h"
#include "soc/io/units.h"
#include "soc/zoo/zoo_int.h"

/* ---------------------------------------------------------------- registry */

#define O_COMMON (ZOO_OPT_DTYPE | ZOO_OPT_ENGINE | ZOO_OPT_FRAMES | ZOO_OPT_PERIOD)
#define O_CNN (O_COMMON | ZOO_OPT_BATCH | ZOO_OPT_SPARSITY | ZOO_OPT_SPLIT | ZOO_OPT_IO | \
               ZOO_OPT_IMGSZ)
#define O_YOLO (O_CNN | ZOO_OPT_FALLBACK)
#define O_BERT (O_COMMON | ZOO_OPT_BATCH | ZOO_OPT_SPARSITY | ZOO_OPT_SEQ)
#define O_VIT (O_COMMON | ZOO_OPT_BATCH | ZOO_OPT_SPARSITY)
#define O_DECODE (O_COMMON | ZOO_OPT_BATCH | ZOO_OPT_CONTEXT | ZOO_OPT_GROUP)
#define O_PREFILL (O_COMMON | ZOO_OPT_BATCH | ZOO_OPT_PROMPT | ZOO_OPT_GROUP)
#define O_PIPE (O_COMMON | ZOO_OPT_SPARSITY)

#define V8 "ultralytics/cfg/models/v8/yolov8.yaml (Ultralytics 8.3), scale "
#define V11 "ultralytics/cfg/models/11/yolo11.yaml (Ultralytics 8.3), scale "
#define L2 "Llama 2 (Touvron et al. 2023, arXiv:2307.09288); config.json of meta-llama/"
#define L3 "Llama 3 (Meta 2024, arXiv:2407.21783); config.json of meta-llama/"

/* YOLO's input must be a multiple of its largest stride (P5/32): the 2x-upsampled map is
 * concatenated with the one a stride below, so the sizes must halve exactly; Ultralytics'
 * check_imgsz (ultralytics/utils/checks.py) rounds any other size up to one. */
#define YOLO_STRIDE 32
/* --imgsz bounds: the smallest input every CNN here still reduces to a 1x1 map at its
 * last stride (32), and a ceiling well above the 320-1280 pixels detectors are run at. */
#define IMGSZ_MIN 32
#define IMGSZ_MAX 4096

#define YOLO(n, desc, src, v) \
    {{n, desc, src, O_YOLO}, FAM_CNN, zoo_build_yolo, v, DT_FP16, 640, YOLO_STRIDE, 0}
#define LLAMA(n, model, desc, src)                                                        \
    {{n "-decode", desc ", one decode step (a token at --context)", src, O_DECODE},       \
     FAM_LLM, zoo_build_llama, (model) * 2, DT_FP16, 0, 0, 0},                                     \
    {{n "-prefill", desc ", prefill of a --prompt", src, O_PREFILL}, FAM_LLM,             \
     zoo_build_llama, (model) * 2 + 1, DT_FP16, 0, 0, 0}

#define EVIT_SRC "Cai et al. 2023 (arXiv:2205.14756); mit-han-lab/efficientvit " \
                 "efficientvit/models/efficientvit/"
#define EVIT_CLS(b, B, v)                                                                  \
    {{"efficientvit-" b, "EfficientViT-" B " image classifier, 224x224, 1000 classes",     \
      EVIT_SRC "cls.py efficientvit_cls_" b, O_CNN},                                        \
     FAM_CNN, zoo_build_efficientvit, v, DT_FP16, 224, 1, 0}
#define EVIT_SEG(b, B, set, what, v, h, w)                                                 \
    {{"efficientvit-seg-" b "-" set, "EfficientViT-" B " segmenter, " what,                \
      EVIT_SRC "seg.py efficientvit_seg_" b "(\"" set "\")", O_CNN},                         \
     FAM_CNN, zoo_build_efficientvit, v, DT_FP16, h, 1, w}

static const zoo_entry_t ENTRIES[] = {
    {{"resnet50", "ResNet-50 v1.5 image classifier, 224x224, 1000 classes",
      "He et al. 2015 (arXiv:1512.03385) with the v1.5 stride on the 3x3 conv "
      "(torchvision resnet50, MLPerf Inference image classification)", O_CNN},
     FAM_CNN, zoo_build_resnet50, 0, DT_INT8, 224, 1, 0},
    {{"ssd-mobilenet", "SSD-MobileNetV1 detector, 300x300, COCO (91 classes, 1917 anchors)",
      "MobileNetV1 (Howard et al. 2017, arXiv:1704.04861) + SSD heads of the TensorFlow "
      "Object Detection API ssd_mobilenet_v1_coco config (MLPerf Inference ssd-mobilenet)",
      O_CNN},
     FAM_CNN, zoo_build_ssd_mobilenet, 0, DT_INT8, 300, 1, 0},
    {{"retinanet", "RetinaNet, ResNeXt-50 32x4d + FPN, 800x800, 264 classes",
      "Lin et al. 2017 (arXiv:1708.02002), ResNeXt (Xie et al. 2016, arXiv:1611.05431); "
      "MLPerf Inference retinanet (torchvision RetinaNet, OpenImages MLPerf subset)", O_CNN},
     FAM_CNN, zoo_build_retinanet, 0, DT_INT8, 800, 1, 0},
    {{"resnet18", "ResNet-18 image classifier, 224x224, 1000 classes",
      "He et al. 2015 (arXiv:1512.03385); torchvision resnet18 (BasicBlock, [2, 2, 2, 2])",
      O_CNN},
     FAM_CNN, zoo_build_resnet_basic, 0, DT_INT8, 224, 1, 0},
    {{"resnet34", "ResNet-34 image classifier, 224x224, 1000 classes",
      "He et al. 2015 (arXiv:1512.03385); torchvision resnet34 (BasicBlock, [3, 4, 6, 3])",
      O_CNN},
     FAM_CNN, zoo_build_resnet_basic, 1, DT_INT8, 224, 1, 0},
    {{"resnet34-backbone", "ResNet-34 trunk (conv1 .. layer4, no pooling or fc), 768x1280",
      "torchvision resnet34 without avgpool and fc; the ResNet-34 backbone (1280x768) of "
      "NVIDIA/Deep-Learning-Accelerator-SW README.md", O_CNN},
     FAM_CNN, zoo_build_resnet_basic, 2, DT_INT8, 768, 1, 1280},
    {{"ssd-resnet34", "SSD-ResNet34 detector, 1200x1200, COCO (81 classes, 15130 boxes)",
      "MLPerf Inference ssd-resnet34: mlcommons/inference vision/classification_and_detection/"
      "python/models/ssd_r34.py; heads fused per map as NVIDIA/Deep-Learning-Accelerator-SW "
      "scripts/prepare_models/ssd_resnet34.py", O_CNN},
     FAM_CNN, zoo_build_ssd_resnet34, 0, DT_INT8, 1200, 1, 0},
    YOLO("yolov8n", "Ultralytics YOLOv8n detector, 640x640, 80 classes", V8 "n [0.33, 0.25, 1024]", 0),
    YOLO("yolov8s", "Ultralytics YOLOv8s detector, 640x640, 80 classes", V8 "s [0.33, 0.50, 1024]", 1),
    YOLO("yolov8m", "Ultralytics YOLOv8m detector, 640x640, 80 classes", V8 "m [0.67, 0.75, 768]", 2),
    YOLO("yolov8l", "Ultralytics YOLOv8l detector, 640x640, 80 classes", V8 "l [1.00, 1.00, 512]", 3),
    YOLO("yolov8x", "Ultralytics YOLOv8x detector, 640x640, 80 classes", V8 "x [1.00, 1.25, 512]", 4),
    {{"yolov7", "YOLOv7 detector, 640x640, 80 classes (25200 anchor rows)",
      "Wang et al. 2022 (arXiv:2207.02696); WongKinYiu/yolov7 cfg/deploy/yolov7.yaml, "
      "Detect exported as NVIDIA-AI-IOT/yolo_deepstream yolov7_qat/scripts/qat.py does", O_YOLO},
     FAM_CNN, zoo_build_yolov7, 0, DT_FP16, 640, YOLO_STRIDE, 0},
    YOLO("yolo11n", "Ultralytics YOLO11n detector, 640x640, 80 classes", V11 "n [0.50, 0.25, 1024]", 5),
    YOLO("yolo11s", "Ultralytics YOLO11s detector, 640x640, 80 classes", V11 "s [0.50, 0.50, 1024]", 6),
    YOLO("yolo11m", "Ultralytics YOLO11m detector, 640x640, 80 classes", V11 "m [0.50, 1.00, 512]", 7),
    YOLO("yolo11l", "Ultralytics YOLO11l detector, 640x640, 80 classes", V11 "l [1.00, 1.00, 512]", 8),
    YOLO("yolo11x", "Ultralytics YOLO11x detector, 640x640, 80 classes", V11 "x [1.00, 1.50, 512]", 9),
    EVIT_CLS("b1", "B1", 1),
    EVIT_CLS("b2", "B2", 2),
    EVIT_CLS("b3", "B3", 3),
    EVIT_SEG("b0", "B0", "cityscapes", "1024x2048, Cityscapes (19 classes)", 4, 1024, 2048),
    EVIT_SEG("b1", "B1", "cityscapes", "1024x2048, Cityscapes (19 classes)", 5, 1024, 2048),
    EVIT_SEG("b2", "B2", "cityscapes", "1024x2048, Cityscapes (19 classes)", 6, 1024, 2048),
    EVIT_SEG("b3", "B3", "cityscapes", "1024x2048, Cityscapes (19 classes)", 7, 1024, 2048),
    EVIT_SEG("b1", "B1", "ade20k", "512x512, ADE20K (150 classes)", 9, 512, 0),
    EVIT_SEG("b2", "B2", "ade20k", "512x512, ADE20K (150 classes)", 10, 512, 0),
    EVIT_SEG("b3", "B3", "ade20k", "512x512, ADE20K (150 classes)", 11, 512, 0),
    {{"bert-base", "BERT-base encoder with a SQuAD head (12 layers, hidden 768), --seq tokens",
      "Devlin et al. 2018 (arXiv:1810.04805), bert-base-uncased; SQuAD v1.1 span head as in "
      "MLPerf Inference bert", O_BERT},
     FAM_BERT, zoo_build_bert, 0, DT_INT8, 0, 0, 0},
    {{"bert-large", "BERT-large encoder with a SQuAD head (24 layers, hidden 1024), --seq tokens",
      "Devlin et al. 2018 (arXiv:1810.04805), bert-large-uncased; SQuAD v1.1 span head as in "
      "MLPerf Inference bert", O_BERT},
     FAM_BERT, zoo_build_bert, 1, DT_INT8, 0, 0, 0},
    {{"vit-b16", "Vision Transformer ViT-B/16 classifier, 224x224 (197 tokens), 1000 classes",
      "Dosovitskiy et al. 2020 (arXiv:2010.11929), ViT-B/16 (timm vit_base_patch16_224)", O_VIT},
     FAM_VIT, zoo_build_vit, 0, DT_FP16, 0, 0, 0},
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
     FAM_PIPELINE, zoo_build_camera, 0, DT_INT8, 0, 0, 0},
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

/* ---------------------------------------------------------------- options */


/* MLPerf Inference v3.0, closed/NVIDIA/configs/resnet50/Offline (system Orin): the GPU
 * engine runs batches of 256 and each DLA batches of 2; expected 4500 samples/s on the
 * GPU and 600 per DLA. A frame gives each engine the work it does in the same time:
 * 256 on the GPU, 256 x 600 / 4500 = 34 per DLA (17 passes of 2). */
#define SPLIT_GPU 256
#define SPLIT_DLA 34
#define QPS_GPU 4500.0
#define QPS_DLA 600.0

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
    case ZOO_OPT_GROUP: return "--group";
    case ZOO_OPT_IO: return "--io-dtype";
    case ZOO_OPT_FALLBACK: return "--int8-fallback";
    case ZOO_OPT_IMGSZ: return "--imgsz";
    default: return "?";
    }
}

static void opt_list(unsigned opts, char *buf, size_t len)
{
    buf[0] = '\0';
    for (unsigned bit = 1; bit <= ZOO_OPT_IMGSZ; bit <<= 1) {
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
    g |= o->group ? ZOO_OPT_GROUP : 0;
    g |= o->io_set ? ZOO_OPT_IO : 0;
    g |= o->fallback_set ? ZOO_OPT_FALLBACK : 0;
    g |= o->img_h ? ZOO_OPT_IMGSZ : 0;
    return g;
}


static int in_range(int64_t v, int64_t lo, int64_t hi)
{
    return v >= lo && v <= hi;
}

/* Releases of the task graph when --frames is not given: a camera pipeline runs ten
 * seconds of 30 FPS video, a network one inference. */
static int64_t default_frames(const zoo_entry_t *e)
{
    return e->family == FAM_PIPELINE ? 300 : 1;
}


/* A duration option as written: a duration with a unit, above 0, at most 1 hour. */
static int check_duration(const char *opt, const char *v, diag_t *d)
{
    uint64_t ps;
    char why[128];
    if (units_duration_ps(v, &ps, why, sizeof why) != 0)
        return diag_error(d, NULL, 0, 0, "%s: %s", opt, why);
    if (ps == 0 || ps > 3600ull * 1000000000000ull)
        return diag_error(d, NULL, 0, 0, "%s must be above 0 and at most 1 hour", opt);
    return 0;
}
static int resolve(const zoo_entry_t *e, const zoo_options_t *o, zoo_plan_t *p, diag_t *d)
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
                              nm, zoo_engine_name(p->engine));
    }
    if (o->io_set) {
        if (p->engine != ZOO_ENG_GPU)
            return diag_error(d, NULL, 0, 0,
                              "%s: --io-dtype is for --engine gpu (a DLA task's I/O is set by "
                              "io_format in the trace)", nm);
        if (o->io_dtype == DT_TF32 || o->io_dtype == DT_INT4)
            return diag_error(d, NULL, 0, 0, "%s: --io-dtype takes fp32, fp16, bf16 or int8, "
                              "not %s", nm, dtype_name(o->io_dtype));
        p->io_set = 1;
        p->io_dtype = o->io_dtype;
    }
    if (e->family == FAM_PIPELINE && p->engine == ZOO_ENG_GPU_2DLA)
        return diag_error(d, NULL, 0, 0,
                          "%s runs one detector per frame: --engine gpu+2dla is for "
                          "throughput runs of a single network (use gpu, dla, dla0 or dla1)",
                          nm);

    /* dtypes */
    p->r.dtype = t;
    /* TensorRT has no int8 softmax: an int8 engine runs it, and the decode after it, in
     * FP16 when built with the FP16 flag too (the usual build), in FP32 with the INT8
     * flag alone (`trtexec --int8`; Ultralytics' int8=True export). */
    p->r.fallback = DT_FP16;
    if (o->fallback_set) {
        if (t != DT_INT8)
            return diag_error(d, NULL, 0, 0, "%s: --int8-fallback is for --dtype int8, not %s",
                              nm, dtype_name(t));
        if (o->fallback != DT_FP16 && o->fallback != DT_FP32)
            return diag_error(d, NULL, 0, 0, "%s: --int8-fallback takes fp16 or fp32, not %s",
                              nm, dtype_name(o->fallback));
        p->r.fallback = o->fallback;
    }
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
    if ((zoo_engine_is_dla(p->engine) || p->engine == ZOO_ENG_GPU_2DLA) && t != DT_INT8 && t != DT_FP16)
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
        /* Group-wise quantisation: int4 weights carry an fp16 scale per group, 128 by
         * default (AWQ, GPTQ); MLC's q4f16_1 uses 32. INT8 weights have per-channel scales
         * (a group of the whole k), left out unless --group asks. */
        if (o->group && !p->r.has_wdtype)
            return diag_error(d, NULL, 0, 0, "%s: --group is for quantised weights (--dtype "
                              "int4 or int8)", nm);
        if (o->group && !in_range(o->group, 1, 4096))
            return diag_error(d, NULL, 0, 0, "%s: --group must be 1..4096 weights per scale, "
                              "got %" PRId64, nm, o->group);
        p->r.group = o->group ? o->group
                              : (p->r.has_wdtype && p->r.wdtype == DT_INT4 ? 128 : 0);
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

    /* the input image */
    if (e->family == FAM_CNN) {
        int64_t step = e->imgsz_step;
        p->r.img_h = o->img_h ? o->img_h : e->imgsz;
        p->r.img_w = o->img_w ? o->img_w : e->imgsz_w ? e->imgsz_w : e->imgsz;
        for (int i = 0; i < 2; i++) {
            int64_t v = i ? p->r.img_w : p->r.img_h;
            if (!in_range(v, IMGSZ_MIN, IMGSZ_MAX))
                return diag_error(d, NULL, 0, 0, "%s: --imgsz: each side must be %d..%d "
                                  "pixels, got %" PRId64, nm, IMGSZ_MIN, IMGSZ_MAX, v);
            if (v % step != 0)
                return diag_error(d, NULL, 0, 0, "%s: --imgsz: %" PRId64 " is not a multiple "
                                  "of %" PRId64 ", the network's largest stride (Ultralytics "
                                  "would round it up to %" PRId64 ")", nm, v, step,
                                  (v + step - 1) / step * step);
        }
    }

    /* frames and period */
    if (o->frames && !in_range(o->frames, 1, 10000000))
        return diag_error(d, NULL, 0, 0, "--frames must be 1..10000000, got %" PRId64,
                          o->frames);
    p->frames = o->frames ? o->frames : default_frames(e);
    if (o->period[0]) {
        if (check_duration("--period", o->period, d) != 0)
            return DIAG_ERR;
        snprintf(p->period, sizeof p->period, "%s", o->period);
    } else if (e->family == FAM_PIPELINE) {
        snprintf(p->period, sizeof p->period, "33.333ms");
    }
    if (e->family == FAM_PIPELINE)
        p->max_in_flight = 2;
    snprintf(p->runtime, sizeof p->runtime, "%s", o->runtime);
    if (o->deadline[0]) {
        if (check_duration("--deadline", o->deadline, d) != 0)
            return DIAG_ERR;
        snprintf(p->deadline, sizeof p->deadline, "%s", o->deadline);
    }
    return 0;
}

int zoo_build(const char *name, const zoo_options_t *o, zoo_net_t *net, diag_t *d)
{
    const zoo_entry_t *e = find_entry(name);
    zoo_plan_t p;
    memset(net, 0, sizeof *net);
    if (e == NULL)
        return diag_error(d, NULL, 0, 0, "unknown network '%s' (see `orinsim zoo list`)",
                          name);
    if (resolve(e, o, &p, d) != 0)
        return DIAG_ERR;
    if (p.engine == ZOO_ENG_GPU_2DLA)
        p.r.batch = o->batch ? o->batch : 1;
    return zoo_build_with(e, &p.r, net, d);
}

int zoo_totals(const char *name, const zoo_options_t *o, double *macs, double *params,
               diag_t *d)
{
    zoo_net_t net;
    int rc = zoo_build(name, o, &net, d);
    if (rc == 0) {
        *macs = zoo_net_sum(&net, 0, net.nops, 0);
        *params = zoo_net_sum(&net, 0, net.nops, 1);
    }
    zoo_net_free(&net);
    return rc;
}

int zoo_emit(FILE *out, const char *name, const zoo_options_t *o, diag_t *d)
{
    const zoo_entry_t *e = find_entry(name);
    zoo_plan_t p;
    if (e == NULL)
        return diag_error(d, NULL, 0, 0, "unknown network '%s' (see `orinsim zoo list`)",
                          name);
    if (resolve(e, o, &p, d) != 0)
        return DIAG_ERR;
    return zoo_write(out, e, &p, d);
}

/* ---------------------------------------------------------------- outside networks */

static int build_source(zoo_net_t *net, const zoo_resolved_t *r, int variant)
{
    const zoo_source_t *s = r->source;
    (void)variant;
    assert(s != NULL);
    return s->build(s, net, r->batch, s->d);
}

unsigned zoo_source_options(void)
{
    return O_CNN & ~ZOO_OPT_IMGSZ;   /* an imported model's input is its own (--shape) */
}

int zoo_emit_source(FILE *out, const zoo_source_t *s, const zoo_options_t *o, diag_t *d)
{
    zoo_entry_t e = {{s->name, s->description, s->command, O_CNN & ~ZOO_OPT_IMGSZ}, FAM_IMPORT,
                     build_source, 0, s->dtype, 0, 0, 0};
    zoo_plan_t p;
    if (resolve(&e, o, &p, d) != 0)
        return DIAG_ERR;
    p.r.source = s;
    return zoo_write(out, &e, &p, d);
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
            "       orinsim zoo NAME [options] | orinsim --sku nano8 -\n"
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
            "  --group N           LLM int4 / int8 weights: weights per fp16 scale (int4: 128,\n"
            "                      as AWQ and GPTQ; MLC's q4f16_1 is 32)\n"
            "  --io-dtype T        --engine gpu: the network's input and output tensors are\n"
            "                      held in T, converted at entry and exit (Ultralytics'\n"
            "                      TensorRT engines: fp32)\n"
            "  --int8-fallback T   --dtype int8: the type of the layers with no int8 kernel\n"
            "                      (YOLO's softmax and decode): fp16 (an INT8+FP16 engine,\n"
            "                      the default) or fp32 (the INT8 flag alone, as\n"
            "                      `trtexec --int8` and Ultralytics' int8 export)\n"
            "  --imgsz N|HxW       CNNs: the input image in pixels, square or height x width\n"
            "                      (resnet50 224, ssd-mobilenet 300, retinanet 800, YOLO 640,\n"
            "                      a multiple of 32)\n"
            "  --frames N          releases of the task graph (1; camera-pipeline 300)\n"
            "  --period T          release interval, e.g. 33.333ms (camera-pipeline)\n"
            "  --runtime R         the runtime that drives the engine, written as the\n"
            "                      trace's `runtime:` (configs/runtimes/runtimes.yaml):\n"
            "                      tensorrt (C++, the default) or ultralytics (Python)\n"
            "  --deadline T        a frame later than T after its arrival misses, written as\n"
            "                      the trace's `deadline:` (default: the period)\n");
}

static int zoo_bad(const char *fmt, const char *arg)
{
    return diag_usage("see `orinsim zoo --help`", fmt, arg);
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

/* --imgsz N (a square) or HxW, as Ultralytics' imgsz=(h, w): whole pixels. The range is
 * checked against the network in resolve(). */
/* A runtime name as configs/runtimes/runtimes.yaml spells them; the run checks that it
 * exists. */
static int runtime_name_ok(const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n >= sizeof ((zoo_options_t *)0)->runtime)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)v[i]) && v[i] != '-' && v[i] != '_')
            return 0;
    return 1;
}

static int parse_imgsz(const char *v, int64_t *h, int64_t *w)
{
    char *end;
    long long a, b;
    if (*v < '0' || *v > '9')
        return -1;
    a = strtoll(v, &end, 10);
    if (*end == '\0') {
        b = a;
    } else {
        if (*end != 'x' || end[1] < '0' || end[1] > '9')
            return -1;
        b = strtoll(end + 1, &end, 10);
        if (*end != '\0')
            return -1;
    }
    if (a < 1 || b < 1 || a > 1000000 || b > 1000000)
        return -1;
    *h = a;
    *w = b;
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

/* The message of a bad option value into why. */
static int opt_bad(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int opt_bad(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return 1;
}

int zoo_option_parse(zoo_options_t *o, const char *a, const char *v, char *why, size_t len)
{
    int64_t *count = NULL;
    if (strcmp(a, "--dtype") == 0) {
        if (dtype_parse(v, &o->dtype) != 0)
            return opt_bad(why, len, "--dtype: unknown type '%s' (fp32 tf32 fp16 bf16 int8 int4)", v);
        o->dtype_set = 1;
    } else if (strcmp(a, "--engine") == 0) {
        int k;
        for (k = 0; k < ZOO_ENG_COUNT; k++)
            if (strcmp(v, zoo_engine_name((zoo_engine_t)k)) == 0)
                break;
        if (k == ZOO_ENG_COUNT)
            return opt_bad(why, len, "--engine: unknown engine '%s' (gpu dla dla0 dla1 gpu+2dla)", v);
        o->engine = (zoo_engine_t)k;
        o->engine_set = 1;
    } else if (strcmp(a, "--sparsity") == 0) {
        if (strcmp(v, "2:4") == 0)
            o->sparse = 1;
        else if (strcmp(v, "dense") != 0)
            return opt_bad(why, len, "--sparsity: expected dense or 2:4, got '%s'", v);
    } else if (strcmp(a, "--period") == 0) {
        if (strlen(v) >= sizeof o->period)
            return opt_bad(why, len, "--period: '%s' is too long", v);
        snprintf(o->period, sizeof o->period, "%s", v);
    } else if (strcmp(a, "--split") == 0) {
        if (parse_split(v, o->split) != 0)
            return opt_bad(why, len, "--split: expected three sample counts G,D0,D1, got '%s'", v);
        o->split_set = 1;
    } else if (strcmp(a, "--deadline") == 0) {
        if (strlen(v) >= sizeof o->deadline)
            return opt_bad(why, len, "--deadline: '%s' is too long", v);
        snprintf(o->deadline, sizeof o->deadline, "%s", v);
    } else if (strcmp(a, "--runtime") == 0) {
        if (!runtime_name_ok(v))
            return opt_bad(why, len, "--runtime: expected a runtime name of letters, digits, '-' "
                           "and '_' (tensorrt, ultralytics), got '%s'", v);
        snprintf(o->runtime, sizeof o->runtime, "%s", v);
    } else if (strcmp(a, "--imgsz") == 0) {
        if (parse_imgsz(v, &o->img_h, &o->img_w) != 0)
            return opt_bad(why, len, "--imgsz: expected N or HxW in whole pixels (640, 384x640), "
                           "got '%s'", v);
    } else if (strcmp(a, "--batch") == 0) {
        count = &o->batch;
    } else if (strcmp(a, "--frames") == 0) {
        count = &o->frames;
    } else if (strcmp(a, "--seq") == 0) {
        count = &o->seq;
    } else if (strcmp(a, "--context") == 0) {
        count = &o->context;
    } else if (strcmp(a, "--prompt") == 0) {
        count = &o->prompt;
    } else if (strcmp(a, "--group") == 0) {
        count = &o->group;
    } else if (strcmp(a, "--int8-fallback") == 0) {
        if (dtype_parse(v, &o->fallback) != 0)
            return opt_bad(why, len, "--int8-fallback: unknown type '%s' (fp16 fp32)", v);
        o->fallback_set = 1;
    } else if (strcmp(a, "--io-dtype") == 0) {
        if (dtype_parse(v, &o->io_dtype) != 0)
            return opt_bad(why, len, "--io-dtype: unknown type '%s' (fp32 fp16 bf16 int8)", v);
        o->io_set = 1;
    } else {
        return -1;
    }
    if (count != NULL && parse_count(v, count) != 0) {
        snprintf(why, len, "%s expects a whole number of at least 1, got '%s'", a, v);
        return 1;
    }
    return 0;
}

int zoo_option(zoo_options_t *o, const char *a, const char *v, const char *hint)
{
    char why[256];
    int rc = zoo_option_parse(o, a, v, why, sizeof why);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return diag_usage(hint, "%s", why);
    return EXIT_OK;
}
static int cli_write(FILE *out, int argc, char **argv, int *one_frame);

int zoo_cli(int argc, char **argv)
{
    out_t o;
    diag_t d;
    int rc, one_frame = 0;
    diag_clear(&d);
    out_open(&o, "-", "trace", &d);   /* standard output is always open */
    rc = cli_write(o.f, argc, argv, &one_frame);
    if (out_close(&o, &d) != 0) {     /* every write checked: a failed one says why */
        diag_print(&d);
        return EXIT_OUTPUT;
    }
    /* One release of the graph measures a frame's latency; its frames/s is one over that
     * latency, with no overlap of frames. Said on stderr so the trace on stdout stays
     * clean for a pipe. */
    if (rc == EXIT_OK && one_frame)
        fprintf(stderr, "orinsim zoo: note: the trace releases a single frame (latency, not "
                        "throughput); add --frames N [--period T] here, or --frames N "
                        "[--fps F] to the run\n");
    return rc;
}

int zoo_cli_write(FILE *out, int argc, char **argv)
{
    int one_frame;
    return cli_write(out, argc, argv, &one_frame);
}

/* `one_frame`: set when a network's trace was written with one frame. */
static int cli_write(FILE *out, int argc, char **argv, int *one_frame)
{
    zoo_options_t o;
    const char *name = NULL;
    diag_t d;
    int rc;

    memset(&o, 0, sizeof o);
    if (argc < 2)
        return zoo_bad("%s", "`orinsim zoo` needs `list` or a network name");
    for (int i = 1; i < argc; i++)    /* `zoo --help`, `zoo list --help`, `zoo NAME --help` */
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            zoo_usage(out);
            return EXIT_OK;
        }
    if (strcmp(argv[1], "list") == 0) {
        if (argc > 2)
            return zoo_bad("unexpected argument '%s' to `orinsim zoo list`", argv[2]);
        zoo_print_list(out);
        return EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (a[0] != '-') {
            if (name != NULL)
                return zoo_bad("unexpected argument '%s' (one network at a time)", a);
            name = a;
            continue;
        }
        if (v == NULL)
            return zoo_bad("%s needs a value", a);
        i++;
        rc = zoo_option(&o, a, v, "see `orinsim zoo --help`");
        if (rc < 0)
            return zoo_bad("unknown option '%s'", a);
        if (rc != EXIT_OK)
            return rc;
    }
    if (name == NULL)
        return zoo_bad("%s", "`orinsim zoo` needs a network name (see `orinsim zoo list`)");
    diag_clear(&d);
    rc = zoo_emit(out, name, &o, &d);
    if (rc != 0 && ferror(out))
        return EXIT_OUTPUT;           /* the stream failed: its closer says why */
    if (rc != 0) {
        fprintf(stderr, "orinsim: error: %s\n", d.msg);
        return diag_exit_code(&d);
    }
    *one_frame = (o.frames ? o.frames : default_frames(find_entry(name))) == 1;
    return EXIT_OK;
}
