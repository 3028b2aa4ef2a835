/*
 * Tests of the model zoo (soc/zoo*.c, docs/zoo.md).
 *
 * 1. Totals (and in test_zoo_nets.c, for the networks added from the public Orin
 *    measurements): each network, built from its architecture, must have the multiply-
 *    accumulates and parameters its authors publish (or that a closed formula gives).
 * 2. The committed traces of traces/zoo/ are exactly what tests/zoo/regen.sh writes.
 * 3. Every trace the zoo can write is checked against the syntax of trace format v1
 *    (docs/trace-format.md and the layer / PVA op additions) by a small validator below,
 *    written from the format's documentation, not from the writer: keys, required
 *    fields, shapes, repeat nesting, task graph, fallback on DLA tasks.
 * 4. Bad options are refused with one line and exit code 2.
 */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "soc/io/ydoc.h"
#include "soc/zoo/zoo.h"
#include "zoo_totals.h"

/* ---------------------------------------------------------------- helpers */

/* Emit into memory. Returns the text (free it) or NULL with d filled. */
static char *emit(const char *name, const zoo_options_t *o, diag_t *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc;
    ck_assert_ptr_nonnull(f);
    diag_clear(d);
    rc = zoo_emit(f, name, o, d);
    fclose(f);
    if (rc != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* ---------------------------------------------------------------- 1. totals */

START_TEST(resnet50_totals)
{
    double macs, params;
    totals("resnet50", 1, &macs, &params);
    /* torchvision resnet50: 4.09 GMAC (its "GFLOPS" column counts multiply-adds) and
     * 25,557,032 parameters with batch-norm (2 per channel). Folding leaves 1 bias per
     * channel: 25,557,032 - (64 + 3*384 + 256 + 4*768 + 512 + 6*1536 + 1024 + 3*3072 +
     * 2048 = 26,560 BN channels) = 25,530,472 exactly. */
    ck_assert_near(macs, 4.09e9, 0.005);
    ck_assert_near(params, 25530472, 1e-9);
    /* batch 8 is 8 times the work, and the same weights */
    {
        double m8, p8;
        totals("resnet50", 8, &m8, &p8);
        ck_assert_near(m8, 8 * macs, 1e-12);
        ck_assert_near(p8, params, 1e-12);
    }
}
END_TEST

START_TEST(bert_totals)
{
    double macs, params;
    /* BERT-base: embeddings (30522 + 512 + 2) x 768 + LayerNorm 2 x 768 = 23,837,184;
     * a layer: QKV 768x2304+2304, out 768x768+768, FFN 768x3072+3072 + 3072x768+768,
     * two LayerNorms 4x768 = 7,087,872, x12 = 85,054,464 ("~86M in the encoder"); the
     * SQuAD head 768x2+2. The published 110M (109,482,240) includes the 590,592-parameter
     * pooler that SQuAD does not use: 109,482,240 - 590,592 + 1,538 = 108,893,186. */
    totals("bert-base", 1, &macs, &params);
    ck_assert_near(params, 108893186, 1e-9);
    ck_assert_near(params, 110e6, 0.015);
    /* MACs at 384 tokens: 12 x (384 x 7,077,888 weights + 2 x 12 x 384^2 x 64) +
     * 384 x 1536 = 12 x (2,717,908,992 + 226,492,416) + 589,824 = 35,333,406,720 */
    ck_assert_near(macs, 35333406720.0, 1e-9);
    /* BERT-large: 24 layers of 12,596,224 + embeddings 31,782,912 + head 2,050 */
    totals("bert-large", 1, &macs, &params);
    ck_assert_near(params, 24 * 12596224.0 + 31782912 + 2050, 1e-9);
}
END_TEST

START_TEST(vit_totals)
{
    double macs, params;
    totals("vit-b16", 1, &macs, &params);
    /* timm vit_base_patch16_224: 86,567,656 parameters, 17.56 GMAC (the paper-style
     * "17.6 GFLOPs" counts a multiply-add as one FLOP): per layer 197 x 768 x (2304 +
     * 768 + 2 x 3072) + 2 x 12 x 197^2 x 64 = 1,453,954,560, x 12, + patch embedding 196 x
     * 768 x 768 + head 768 x 1000. */
    ck_assert_near(params, 86567656, 1e-9);
    ck_assert_near(macs, 12 * 1453954560.0 + 196.0 * 768 * 768 + 768000, 1e-9);
    ck_assert_near(macs, 17.6e9, 0.005);
}
END_TEST

START_TEST(llama_totals)
{
    double macs, params;
    /* Llama-2-7B: 2 x 32000 x 4096 (embedding, LM head) + 32 x (4 x 4096^2 + 3 x 4096 x
     * 11008 + 2 x 4096) + 4096 = 6,738,415,616, the figure of the model card. A decode
     * step multiplies every weight once: 6,738,415,616 - 131,072,000 (embedding gather)
     * - 32 x 8192 - 4096 (norm weights) + attention 32 x 2 x 32 x 1024 x 128 MACs. */
    totals("llama2-7b-decode", 1, &macs, &params);
    ck_assert_near(params, 6738415616.0, 1e-12);
    ck_assert_near(macs, 6738415616.0 - 131072000 - 32 * 8192 - 4096 + 32 * 2.0 * 32 * 1024 * 128,
                   1e-12);
    /* Published sizes: Llama-2-13B 13,015,864,320; 70B 68,976,648,192; Llama-3-8B
     * 8,030,261,248; Llama-3.2-1B 1,235,814,400 and 3B 3,212,749,824 (tied embeddings). */
    totals("llama2-13b-decode", 1, &macs, &params);
    ck_assert_near(params, 13015864320.0, 1e-12);
    totals("llama2-70b-decode", 1, &macs, &params);
    ck_assert_near(params, 68976648192.0, 1e-12);
    totals("llama3-8b-decode", 1, &macs, &params);
    ck_assert_near(params, 8030261248.0, 1e-12);
    totals("llama3.2-1b-decode", 1, &macs, &params);
    ck_assert_near(params, 1235814400.0, 1e-12);
    totals("llama3.2-3b-prefill", 1, &macs, &params);
    ck_assert_near(params, 3212749824.0, 1e-12);
}
END_TEST

/* Ultralytics' model tables give fused parameters and GFLOPs = 2 x thop MACs at 640. thop
 * does not count the attention matmuls of C2PSA (torch ops, not modules); the zoo does,
 * so the YOLO11 MACs are compared after removing heads x 400^2 x 96 per PSA block. */
typedef struct yolo_ref {
    const char *name;
    double params_m, gflops;
    double attn_macs;
} yolo_ref_t;

START_TEST(yolo_totals)
{
    static const yolo_ref_t refs[] = {
        {"yolov8n", 3.2, 8.7, 0},
        {"yolov8s", 11.2, 28.6, 0},
        {"yolov8m", 25.9, 78.9, 0},
        {"yolov8l", 43.7, 165.2, 0},
        {"yolov8x", 68.2, 257.8, 0},
        {"yolo11n", 2.6, 6.5, 1 * 2 * 400.0 * 400 * 96},
        {"yolo11s", 9.4, 21.5, 1 * 4 * 400.0 * 400 * 96},
        {"yolo11m", 20.1, 68.0, 1 * 4 * 400.0 * 400 * 96},
        {"yolo11l", 25.3, 86.9, 2 * 4 * 400.0 * 400 * 96},
        {"yolo11x", 56.9, 194.9, 2 * 6 * 400.0 * 400 * 96},
    };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        double macs, params, gflops;
        totals(refs[i].name, 1, &macs, &params);
        gflops = 2 * (macs - refs[i].attn_macs) / 1e9;
        /* the tables round to 0.1: allow half a unit of the last digit plus 0.5% */
        ck_assert_msg(fabs(params / 1e6 - refs[i].params_m) <= 0.05 + 0.005 * refs[i].params_m,
                      "%s: %.4f M parameters, published %.1f", refs[i].name, params / 1e6,
                      refs[i].params_m);
        ck_assert_msg(fabs(gflops - refs[i].gflops) <= 0.05 + 0.005 * refs[i].gflops,
                      "%s: %.3f GFLOPs, published %.1f", refs[i].name, gflops, refs[i].gflops);
    }
    /* and the exact fused counts of the model summaries for the two smallest */
    {
        double macs, params;
        totals("yolov8n", 1, &macs, &params);
        ck_assert_near(params, 3151904, 1e-9);
        totals("yolo11n", 1, &macs, &params);
        ck_assert_near(params, 2616248, 1e-9);
    }
}
END_TEST

START_TEST(detector_totals)
{
    double macs, params;
    /* SSD-MobileNetV1: MobileNetV1's 3.2M conv weights at 300x300 plus the extra layers
     * and the 1x1 predictors; ~6.8M parameters and ~1.2 GMAC are the usual figures. */
    totals("ssd-mobilenet", 1, &macs, &params);
    ck_assert_near(params, 6.8e6, 0.02);
    ck_assert_near(macs, 1.2e9, 0.05);
    /* RetinaNet: ResNeXt-50 without fc (25.03M - 2.05M = 22.98M, BN folded), FPN
     * (0.9M laterals + 1.77M outputs + 1.18M P6/P7), heads shared by the levels
     * (2 x 2.36M + 5.47M + 0.08M): ~37.1M. */
    totals("retinanet", 1, &macs, &params);
    ck_assert_near(params, 37.1e6, 0.01);
}
END_TEST

/* ---------------------------------------------------------------- 2. regeneration */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Every file of `a` is in `b` with the same bytes. Returns the number of files. */
static int compare_dirs(const char *a, const char *b)
{
    DIR *dir = opendir(a);
    struct dirent *e;
    int n = 0;
    ck_assert_ptr_nonnull(dir);
    while ((e = readdir(dir)) != NULL) {
        char pa[1024], pb[1024];
        size_t la, lb;
        char *ta, *tb;
        if (e->d_name[0] == '.')
            continue;
        snprintf(pa, sizeof pa, "%s/%s", a, e->d_name);
        snprintf(pb, sizeof pb, "%s/%s", b, e->d_name);
        ta = slurp(pa, &la);
        tb = slurp(pb, &lb);
        ck_assert_msg(ta != NULL, "cannot read %s", pa);
        ck_assert_msg(tb != NULL, "%s has no counterpart %s", pa, pb);
        ck_assert_msg(la == lb && memcmp(ta, tb, la) == 0,
                      "%s differs from %s: run tests/zoo/regen.sh and review the diff", pb, pa);
        free(ta);
        free(tb);
        n++;
    }
    closedir(dir);
    return n;
}

START_TEST(committed_traces_are_regenerated)
{
    char tmp[] = "/tmp/orinsim-zoo-XXXXXX", cmd[2048];
    const char *committed = ORINSIM_SOURCE_DIR "/traces/zoo";
    int n1, n2;
    ck_assert_ptr_nonnull(mkdtemp(tmp));
    snprintf(cmd, sizeof cmd, "bash '%s/tests/zoo/regen.sh' '%s' '%s'", ORINSIM_SOURCE_DIR,
             ORINSIM_BINARY, tmp);
    ck_assert_int_eq(system(cmd), 0);
    n1 = compare_dirs(tmp, committed);       /* everything regen writes is committed ... */
    n2 = compare_dirs(committed, tmp);       /* ... and nothing else is */
    ck_assert_int_eq(n1, n2);
    ck_assert_int_ge(n1, 30);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* ---------------------------------------------------------------- 3. the validator */

typedef struct vstats {
    char err[2048];
    double ops;                   /* after repeat expansion, whole trace */
    double silu_acts;             /* activation ops with function silu, expanded */
    double activations;           /* all activation ops, expanded */
    double fused_silu, fused;     /* convs with `activation: silu`, with any, expanded */
    double fused_gelu;            /* gemms with `activation: gelu`, expanded */
    double gelu_ops;              /* elementwise ops named *.gelu, expanded */
    double attention;
    int tasks, dla_tasks, fallbacks, max_depth;
} vstats_t;

static const char *const LAYER_KINDS[] = {"conv", "deconv", "fc", "pool", "activation",
                                          "eltwise", "batchnorm", "scale", "concat",
                                          "resize", "softmax", NULL};
static const char *const GPU_KINDS[] = {"gemm", "attention", "elementwise", "reduce",
                                        "memcpy", "kernel", NULL};
static const char *const PVA_KINDS[] = {"color_convert", "resize", "remap", "gaussian",
                                        "box_filter", "harris", "fast", "histogram",
                                        "stereo", "vpu", NULL};

static int in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

/* Allowed keys per op kind: docs/trace-format.md + the v1 layer / PVA ops. */
static const char *const *keys_for(const char *kind, int pva)
{
    static const char *const conv[] = {"op", "name", "input", "filters", "kernel", "stride",
                                       "padding", "dilation", "groups", "activation", "dtype",
                                       "sparsity", NULL};
    static const char *const fc[] = {"op", "name", "input", "outputs", "dtype", "sparsity", NULL};
    static const char *const pool[] = {"op", "name", "input", "kernel", "global", "stride",
                                       "padding", "mode", "dtype", NULL};
    static const char *const act[] = {"op", "name", "input", "function", "dtype", NULL};
    static const char *const elt[] = {"op", "name", "input", "inputs", "function", "dtype", NULL};
    static const char *const cat[] = {"op", "name", "input", "inputs", "dtype", NULL};
    static const char *const rsz[] = {"op", "name", "input", "scale", "output", "mode",
                                      "dtype", NULL};
    static const char *const smx[] = {"op", "name", "input", "axis", "dtype", NULL};
    static const char *const gemm[] = {"op", "name", "m", "n", "k", "batch", "dtype",
                                       "sparsity", "weight_dtype", "weights", "activation",
                                       NULL};
    static const char *const attn[] = {"op", "name", "batch", "heads", "kv_heads", "seq_q",
                                       "seq_kv", "head_dim", "causal", "dtype", NULL};
    static const char *const ew[] = {"op", "name", "elements", "inputs", "outputs",
                                     "flops_per_element", "dtype", NULL};
    static const char *const kern[] = {"op", "name", "grid", "block", "registers", "shared",
                                       "flops", "tensor_flops", "dram_bytes", NULL};
    static const char *const cpu[] = {"op", "name", "duration", "ref_clock", "instructions",
                                      "ipc", "threads", "bytes", NULL};
    static const char *const img[] = {"op", "name", "image", "bytes_per_pixel", NULL};
    static const char *const pres[] = {"op", "name", "image", "output", NULL};
    static const char *const rep[] = {"op", "name", "count", "ops", NULL};
    if (strcmp(kind, "resize") == 0)
        return pva ? pres : rsz;
    if (strcmp(kind, "conv") == 0 || strcmp(kind, "deconv") == 0)
        return conv;
    if (strcmp(kind, "fc") == 0)
        return fc;
    if (strcmp(kind, "pool") == 0)
        return pool;
    if (strcmp(kind, "activation") == 0)
        return act;
    if (strcmp(kind, "eltwise") == 0)
        return elt;
    if (strcmp(kind, "concat") == 0)
        return cat;
    if (strcmp(kind, "softmax") == 0)
        return smx;
    if (strcmp(kind, "gemm") == 0)
        return gemm;
    if (strcmp(kind, "attention") == 0)
        return attn;
    if (strcmp(kind, "elementwise") == 0)
        return ew;
    if (strcmp(kind, "kernel") == 0)
        return kern;
    if (strcmp(kind, "cpu") == 0)
        return cpu;
    if (strcmp(kind, "color_convert") == 0 || strcmp(kind, "remap") == 0)
        return img;
    if (strcmp(kind, "repeat") == 0)
        return rep;
    return NULL;
}

typedef struct vctx {
    ydoc_t *y;
    vstats_t *st;
    diag_t d;
    const char *engine;
    int dla;                      /* the task is on a DLA */
    double needs_gpu;             /* ops in the task a DLA cannot run */
} vctx_t;

static int vfail(vctx_t *c, const yaml_node_t *n, const char *msg, const char *arg)
{
    if (c->st->err[0] == '\0')
        snprintf(c->st->err, sizeof c->st->err, "line %d: %s %s", n ? ydoc_line(n) : 0, msg,
                 arg ? arg : "");
    return -1;
}

static int get_int(vctx_t *c, const yaml_node_t *map, const char *key, int64_t min,
                   int64_t *out)
{
    yaml_node_t *v = ydoc_get(c->y, map, key);
    if (v == NULL)
        return vfail(c, map, "missing key", key);
    if (ydoc_int(c->y, v, key, min, (int64_t)1 << 40, out, &c->d) != 0)
        return vfail(c, v, "bad integer for", key);
    return 0;
}

static int get_shape(vctx_t *c, const yaml_node_t *map, int64_t s[4])
{
    yaml_node_t *v = ydoc_get(c->y, map, "input");
    if (v == NULL)
        return vfail(c, map, "missing key", "input");
    if (v->type != YAML_SEQUENCE_NODE || ydoc_seq_len(v) != 4)
        return vfail(c, v, "input is not [N, C, H, W]", NULL);
    for (int i = 0; i < 4; i++)
        if (ydoc_int(c->y, ydoc_seq_at(c->y, v, (size_t)i), "input", 1, 1 << 20, &s[i], &c->d))
            return vfail(c, v, "bad input dimension", NULL);
    return 0;
}

static int check_dtype(vctx_t *c, const yaml_node_t *map, const char *key)
{
    yaml_node_t *v = ydoc_get(c->y, map, key);
    static const char *const dts[] = {"fp32", "tf32", "fp16", "bf16", "int8", "int4", NULL};
    if (v == NULL)
        return 0;
    if (!ydoc_str(v) || !in_list(ydoc_str(v), dts))
        return vfail(c, v, "bad dtype", ydoc_str(v));
    if (c->dla && strcmp(key, "dtype") == 0 && strcmp(ydoc_str(v), "int8") != 0 &&
        strcmp(ydoc_str(v), "fp16") != 0)
        return vfail(c, v, "a DLA layer in", ydoc_str(v));
    return 0;
}

static int check_ops(vctx_t *c, const yaml_node_t *ops, double mult, int depth);

static int check_op(vctx_t *c, const yaml_node_t *op, double mult, int depth)
{
    yaml_node_t *kn;
    const char *kind;
    int pva = strcmp(c->engine, "pva") == 0;
    const char *const *keys;
    int64_t s[4], v;

    if (op->type != YAML_MAPPING_NODE)
        return vfail(c, op, "op is not a mapping", NULL);
    kn = ydoc_get(c->y, op, "op");
    if (kn == NULL || ydoc_str(kn) == NULL)
        return vfail(c, op, "op without `op:`", NULL);
    kind = ydoc_str(kn);
    keys = keys_for(kind, pva);
    if (keys == NULL)
        return vfail(c, kn, "unknown op kind", kind);
    if (ydoc_check_keys(c->y, op, keys, kind, &c->d) != 0)
        return vfail(c, op, "bad keys:", c->d.msg);
    if (ydoc_get(c->y, op, "name")) {
        const char *nm = ydoc_str(ydoc_get(c->y, op, "name"));
        if (nm == NULL || strlen(nm) < 1 || strlen(nm) > 63)
            return vfail(c, op, "name must be 1..63 characters", nm);
    }
    if (strcmp(kind, "repeat") == 0) {
        yaml_node_t *body = ydoc_get(c->y, op, "ops");
        if (get_int(c, op, "count", 1, &v) != 0)
            return -1;
        if (depth + 1 > 16)
            return vfail(c, op, "repeat nested deeper than 16", NULL);
        if (body == NULL || body->type != YAML_SEQUENCE_NODE || ydoc_seq_len(body) == 0)
            return vfail(c, op, "repeat without ops", NULL);
        return check_ops(c, body, mult * (double)v, depth + 1);
    }
    c->st->ops += mult;
    /* where each kind may run */
    if (strcmp(c->engine, "cpu") == 0) {
        if (strcmp(kind, "cpu") != 0)
            return vfail(c, op, "a cpu task holds", kind);
        return 0;
    }
    if (strcmp(kind, "cpu") == 0)
        return vfail(c, op, "cpu op on engine", c->engine);
    if (pva) {
        if (!in_list(kind, PVA_KINDS))
            return vfail(c, op, "not a PVA op:", kind);
        return ydoc_get(c->y, op, "image") ? 0 : vfail(c, op, "missing key", "image");
    }
    if (in_list(kind, GPU_KINDS)) {
        if (c->dla)
            c->needs_gpu += mult;
    } else if (!in_list(kind, LAYER_KINDS) || ydoc_get(c->y, op, "image")) {
        return vfail(c, op, "not a gpu / dla op:", kind);
    }
    if (check_dtype(c, op, "dtype") || check_dtype(c, op, "weight_dtype"))
        return -1;

    if (strcmp(kind, "conv") == 0) {
        int64_t k, kernel, stride = 1, pad = 0, groups = 1;
        if (get_shape(c, op, s) || get_int(c, op, "filters", 1, &k) ||
            get_int(c, op, "kernel", 1, &kernel))
            return -1;
        if (ydoc_get(c->y, op, "stride") && get_int(c, op, "stride", 1, &stride))
            return -1;
        if (ydoc_get(c->y, op, "padding") && get_int(c, op, "padding", 0, &pad))
            return -1;
        if (ydoc_get(c->y, op, "groups") && get_int(c, op, "groups", 1, &groups))
            return -1;
        if (s[1] % groups || k % groups)
            return vfail(c, op, "groups must divide C and filters", NULL);
        if (kernel > s[2] + 2 * pad || kernel > s[3] + 2 * pad)
            return vfail(c, op, "kernel larger than the padded input", NULL);
        if (pad >= kernel)
            return vfail(c, op, "padding of a whole kernel or more", NULL);
        if (ydoc_get(c->y, op, "activation")) {
            /* a fused activation: one a DLA's post-processing unit has, on a DLA */
            static const char *const any[] = {"relu", "relu6", "clip", "leaky_relu", "sigmoid",
                                              "tanh", "silu", "gelu", "hardswish", NULL};
            static const char *const dla[] = {"relu", "relu6", "clip", "leaky_relu", "sigmoid",
                                              "tanh", NULL};
            const char *fn = ydoc_str(ydoc_get(c->y, op, "activation"));
            if (fn == NULL || !in_list(fn, c->dla ? dla : any))
                return vfail(c, op, "bad fused activation", fn);
            c->st->fused += mult;
            if (strcmp(fn, "silu") == 0)
                c->st->fused_silu += mult;
        }
    } else if (strcmp(kind, "fc") == 0) {
        if (get_shape(c, op, s) || get_int(c, op, "outputs", 1, &v))
            return -1;
    } else if (strcmp(kind, "pool") == 0) {
        if (get_shape(c, op, s))
            return -1;
        if (!ydoc_get(c->y, op, "global") && get_int(c, op, "kernel", 1, &v))
            return -1;
    } else if (strcmp(kind, "activation") == 0) {
        static const char *const fns[] = {"relu", "relu6", "clip", "leaky_relu", "sigmoid",
                                          "tanh", "silu", "gelu", "hardswish", NULL};
        const char *fn = ydoc_str(ydoc_get(c->y, op, "function"));
        if (get_shape(c, op, s))
            return -1;
        if (fn == NULL || !in_list(fn, fns))
            return vfail(c, op, "bad activation function", fn);
        c->st->activations += mult;
        if (strcmp(fn, "silu") == 0)
            c->st->silu_acts += mult;
        if (c->dla && (strcmp(fn, "silu") == 0 || strcmp(fn, "gelu") == 0 ||
                       strcmp(fn, "hardswish") == 0))
            c->needs_gpu += mult;
    } else if (strcmp(kind, "eltwise") == 0 || strcmp(kind, "concat") == 0) {
        if (get_shape(c, op, s))
            return -1;
        if (ydoc_get(c->y, op, "inputs") && get_int(c, op, "inputs", 2, &v))
            return -1;
    } else if (strcmp(kind, "resize") == 0 || strcmp(kind, "softmax") == 0) {
        if (get_shape(c, op, s))
            return -1;
    } else if (strcmp(kind, "gemm") == 0) {
        const char *fn = ydoc_str(ydoc_get(c->y, op, "activation"));
        if (get_int(c, op, "m", 1, &v) || get_int(c, op, "n", 1, &v) ||
            get_int(c, op, "k", 1, &v))
            return -1;
        if (fn && strcmp(fn, "gelu") == 0)
            c->st->fused_gelu += mult;
        else if (fn)
            return vfail(c, op, "unexpected fused activation on a gemm", fn);
    } else if (strcmp(kind, "attention") == 0) {
        int64_t heads, kvh;
        if (get_int(c, op, "heads", 1, &heads) || get_int(c, op, "seq_q", 1, &v) ||
            get_int(c, op, "head_dim", 1, &v))
            return -1;
        kvh = heads;
        if (ydoc_get(c->y, op, "kv_heads") && get_int(c, op, "kv_heads", 1, &kvh))
            return -1;
        if (heads % kvh)
            return vfail(c, op, "kv_heads must divide heads", NULL);
        c->st->attention += mult;
    } else if (strcmp(kind, "elementwise") == 0) {
        const char *name = ydoc_str(ydoc_get(c->y, op, "name"));
        size_t n = name ? strlen(name) : 0;
        if (get_int(c, op, "elements", 1, &v))
            return -1;
        if (n > 5 && strcmp(name + n - 5, ".gelu") == 0)
            c->st->gelu_ops += mult;
    } else if (strcmp(kind, "kernel") == 0) {
        if (!ydoc_get(c->y, op, "grid") || !ydoc_get(c->y, op, "block"))
            return vfail(c, op, "kernel without grid / block", NULL);
    }
    return 0;
}

static int check_ops(vctx_t *c, const yaml_node_t *ops, double mult, int depth)
{
    if (depth > c->st->max_depth)
        c->st->max_depth = depth;
    for (size_t i = 0; i < ydoc_seq_len(ops); i++)
        if (check_op(c, ydoc_seq_at(c->y, ops, i), mult, depth) != 0)
            return -1;
    return 0;
}

/* Validate a whole trace; 0 if it is well formed, else st->err says why. */
static int validate(const char *text, vstats_t *st)
{
    static const char *const top[] = {"orinsim", "name", "frames", "period", "max_in_flight",
                                       "tasks", "runtime", "deadline", NULL};
    static const char *const tkeys[] = {"id", "engine", "after", "ops", "fallback",
                                        "io_format", "memory", "io_dtype", "input_dtype",
                                        "output_dtype", NULL};
    static const char *const engines[] = {"gpu", "dla0", "dla1", "dla", "pva", "cpu", NULL};
    ydoc_t y;
    vctx_t c;
    yaml_node_t *root, *tasks;
    char ids[64][64];
    int rc = -1;

    memset(st, 0, sizeof *st);
    memset(&c, 0, sizeof c);
    c.y = &y;
    c.st = st;
    diag_clear(&c.d);
    if (ydoc_load_string(&y, "zoo.yaml", text, strlen(text), &c.d) != 0) {
        snprintf(st->err, sizeof st->err, "YAML: %s", c.d.msg);
        return -1;
    }
    root = ydoc_root(&y);
    if (root->type != YAML_MAPPING_NODE || ydoc_check_keys(&y, root, top, "trace", &c.d)) {
        vfail(&c, root, "top level:", c.d.msg);
        goto out;
    }
    if (!ydoc_get(&y, root, "orinsim") || strcmp(ydoc_str(ydoc_get(&y, root, "orinsim")), "1")) {
        vfail(&c, root, "orinsim: 1 missing", NULL);
        goto out;
    }
    if (ydoc_get(&y, root, "period")) {
        uint64_t ps;
        if (ydoc_duration(&y, ydoc_get(&y, root, "period"), "period", 1, UINT64_MAX, &ps, &c.d)) {
            vfail(&c, root, "period:", c.d.msg);
            goto out;
        }
    }
    tasks = ydoc_get(&y, root, "tasks");
    if (tasks == NULL || tasks->type != YAML_SEQUENCE_NODE || ydoc_seq_len(tasks) == 0 ||
        ydoc_seq_len(tasks) > 64) {
        vfail(&c, root, "tasks missing or empty", NULL);
        goto out;
    }
    for (size_t i = 0; i < ydoc_seq_len(tasks); i++) {
        yaml_node_t *t = ydoc_seq_at(&y, tasks, i), *after, *fb, *ops;
        const char *id, *eng;
        if (t->type != YAML_MAPPING_NODE || ydoc_check_keys(&y, t, tkeys, "task", &c.d)) {
            vfail(&c, t, "task:", c.d.msg);
            goto out;
        }
        id = ydoc_str(ydoc_get(&y, t, "id"));
        eng = ydoc_str(ydoc_get(&y, t, "engine"));
        ops = ydoc_get(&y, t, "ops");
        if (id == NULL || strlen(id) == 0 || strlen(id) > 63 ||
            strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") !=
                strlen(id)) {
            vfail(&c, t, "bad task id", id);
            goto out;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(ids[j], id) == 0) {
                vfail(&c, t, "duplicate task id", id);
                goto out;
            }
        snprintf(ids[i], sizeof ids[i], "%s", id);
        if (eng == NULL || !in_list(eng, engines)) {
            vfail(&c, t, "bad engine", eng);
            goto out;
        }
        /* `after` names earlier tasks here (the zoo writes tasks in dependency order) */
        after = ydoc_get(&y, t, "after");
        for (size_t k = 0; after && k < ydoc_seq_len(after); k++) {
            const char *a = ydoc_str(ydoc_seq_at(&y, after, k));
            size_t j;
            for (j = 0; j < i && strcmp(ids[j], a) != 0; j++)
                ;
            if (j == i) {
                vfail(&c, t, "after names no earlier task:", a);
                goto out;
            }
        }
        fb = ydoc_get(&y, t, "fallback");
        if (fb && strcmp(ydoc_str(fb), "gpu") != 0 && strcmp(ydoc_str(fb), "none") != 0) {
            vfail(&c, fb, "bad fallback", ydoc_str(fb));
            goto out;
        }
        c.engine = eng;
        c.dla = strncmp(eng, "dla", 3) == 0;
        c.needs_gpu = 0;
        if (ops == NULL || ops->type != YAML_SEQUENCE_NODE || ydoc_seq_len(ops) == 0) {
            vfail(&c, t, "task without ops", id);
            goto out;
        }
        if (check_ops(&c, ops, 1, 0) != 0)
            goto out;
        st->tasks++;
        st->dla_tasks += c.dla;
        st->fallbacks += fb != NULL;
        /* a DLA task holding ops the DLA cannot run must say fallback: gpu; a PVA task
         * needs it to run on a module without a PVA */
        if (c.dla && c.needs_gpu > 0 && (fb == NULL || strcmp(ydoc_str(fb), "gpu") != 0)) {
            vfail(&c, t, "DLA task with GPU-only ops lacks fallback: gpu:", id);
            goto out;
        }
        if (strcmp(eng, "pva") == 0 && fb == NULL) {
            vfail(&c, t, "PVA task without fallback", id);
            goto out;
        }
    }
    if (st->ops > 1e6) {
        vfail(&c, root, "more than 1,000,000 ops after expansion", NULL);
        goto out;
    }
    rc = 0;
out:
    ydoc_free(&y);
    return rc;
}

/* Emit `name` with the options and validate; returns the stats. */
static vstats_t check_emit(const char *name, const zoo_options_t *o)
{
    diag_t d;
    vstats_t st;
    char *text = emit(name, o, &d);
    ck_assert_msg(text != NULL, "%s: %s", name, d.msg);
    ck_assert_msg(validate(text, &st) == 0, "%s: %s", name, st.err);
    free(text);
    return st;
}

START_TEST(every_network_on_every_engine_is_well_formed)
{
    static const zoo_engine_t engs[] = {ZOO_ENG_GPU, ZOO_ENG_DLA, ZOO_ENG_DLA0, ZOO_ENG_DLA1,
                                        ZOO_ENG_GPU_2DLA};
    int checked = 0;
    for (int i = 0; i < zoo_count(); i++) {
        const zoo_info_t *info = zoo_info(i);
        for (size_t e = 0; e < sizeof engs / sizeof engs[0]; e++) {
            zoo_options_t o;
            diag_t d;
            char *text;
            memset(&o, 0, sizeof o);
            o.engine = engs[e];
            o.engine_set = 1;
            if (engs[e] != ZOO_ENG_GPU) {
                o.dtype = DT_INT8;
                o.dtype_set = 1;
            }
            if (engs[e] == ZOO_ENG_GPU_2DLA && (info->options & ZOO_OPT_SPLIT)) {
                /* a small split keeps the test quick; 3 is odd: 1 pass of 2 + 1 of 1 */
                o.split_set = 1;
                o.split[0] = 4;
                o.split[1] = 3;
                o.split[2] = 2;
            }
            text = emit(info->name, &o, &d);
            if (text == NULL) {
                /* only transformers on a DLA, and the pipeline on gpu+2dla, are refused */
                ck_assert_msg(engs[e] != ZOO_ENG_GPU, "%s on gpu: %s", info->name, d.msg);
                ck_assert_msg(strstr(d.msg, "DLA") || strstr(d.msg, "gpu+2dla"), "%s: %s",
                              info->name, d.msg);
                continue;
            }
            free(text);
            check_emit(info->name, &o);
            checked++;
        }
    }
    /* 28 CNNs (7 + YOLOv7 + 10 Ultralytics YOLOs + 10 EfficientViTs) on all 5 engines;
     * BERT x2, ViT and the 12 Llama entries on the GPU only; the pipeline on gpu, dla, dla0
     * and dla1 */
    ck_assert_int_eq(checked, 28 * 5 + (12 + 3) * 1 + 4);
}
END_TEST

START_TEST(fusion_and_fallback)
{
    zoo_options_t o;
    vstats_t st;
    memset(&o, 0, sizeof o);
    /* ResNet-50 on the GPU or a DLA: every ReLU is fused into its conv or add, nothing
     * falls back, so no activation op and no fallback key. The convs carry theirs as
     * `activation: relu`: the stem and each bottleneck's first two convs, 1 + 16 x 2 = 33
     * (the third conv and the downsampling ones feed the add, which has the ReLU). */
    st = check_emit("resnet50", &o);
    ck_assert_int_eq((int)st.activations, 0);
    ck_assert_int_eq((int)st.fused, 33);
    o.engine_set = 1;
    o.engine = ZOO_ENG_DLA;
    st = check_emit("resnet50", &o);
    ck_assert_int_eq((int)st.activations, 0);
    ck_assert_int_eq((int)st.fused, 33);
    ck_assert_int_eq(st.fallbacks, 0);
    ck_assert_int_eq(st.dla_tasks, 1);
    /* YOLOv8n on a DLA: one SiLU per Conv module runs on the GPU. Conv modules: model.0,
     * 1, 3, 5, 7 (5); C2f cv1 + cv2 + 2 per bottleneck: model.2 (n=1) 4, model.4 (n=2) 6,
     * model.6 6, model.8 4; SPPF 2; head C2f 12, 15, 18, 21 (n=1) 4 x 4 = 16, downsampling
     * convs 16 and 19 (2); Detect 4 per level x 3 = 12. Total 57. The GPU decode task adds
     * one sigmoid activation. */
    st = check_emit("yolov8n", &o);
    ck_assert_int_eq((int)st.silu_acts, 57);
    ck_assert_int_eq((int)st.activations, 58);
    ck_assert_int_eq((int)st.fused, 0);
    ck_assert_int_eq(st.fallbacks, 1);
    /* on the GPU the same 57 SiLUs are fused (`activation: silu` on their convs): only the
     * decode's sigmoid is left as an op */
    o.engine = ZOO_ENG_GPU;
    st = check_emit("yolov8n", &o);
    ck_assert_int_eq((int)st.activations, 1);
    ck_assert_int_eq((int)st.fused_silu, 57);
    /* BERT-base and ViT-B/16: the feed-forward GELU of each of 12 layers is fused into
     * its first gemm, with no GELU op of its own */
    st = check_emit("bert-base", &o);
    ck_assert_int_eq((int)st.fused_gelu, 12);
    ck_assert_int_eq((int)st.gelu_ops, 0);
    st = check_emit("vit-b16", &o);
    ck_assert_int_eq((int)st.fused_gelu, 12);
    ck_assert_int_eq((int)st.gelu_ops, 0);
    /* YOLO11l: two PSA blocks, each one attention op */
    st = check_emit("yolo11l", &o);
    ck_assert_int_eq((int)st.attention, 2);
    /* the camera pipeline: DLA detector and PVA preprocess both carry fallback: gpu */
    memset(&o, 0, sizeof o);
    st = check_emit("camera-pipeline", &o);
    ck_assert_int_eq(st.tasks, 5);
    ck_assert_int_eq(st.fallbacks, 2);
}
END_TEST

/* --io-dtype: the network's input enters its first task and its output leaves its last.
 * YOLO's detector gets input_dtype and its decode output_dtype; ResNet-50, one task,
 * gets io_dtype. The option is echoed in the header so the trace says how it was made. */
START_TEST(io_dtype_marks_the_network_ends)
{
    zoo_options_t o;
    diag_t d;
    char *text, *det, *dec;
    vstats_t st;
    memset(&o, 0, sizeof o);
    o.io_set = 1;
    o.io_dtype = DT_FP32;
    text = emit("yolo11n", &o, &d);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(strstr(text, "--io-dtype fp32"));
    det = strstr(text, "  - id: detector\n");
    dec = strstr(text, "  - id: decode\n");
    ck_assert_ptr_nonnull(det);
    ck_assert_ptr_nonnull(dec);
    ck_assert_ptr_nonnull(strstr(det, "    input_dtype: fp32\n"));
    ck_assert(strstr(det, "    input_dtype: fp32\n") < dec);
    ck_assert_ptr_nonnull(strstr(dec, "    output_dtype: fp32\n"));
    ck_assert_ptr_null(strstr(text, "io_dtype:"));
    ck_assert_int_eq(validate(text, &st), 0);
    free(text);
    text = emit("resnet50", &o, &d);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(strstr(text, "    io_dtype: fp32\n"));
    ck_assert_int_eq(validate(text, &st), 0);
    free(text);
}
END_TEST

/* --int8-fallback: TensorRT has no int8 softmax, so an int8 YOLO's decode (the DFL
 * softmax and what follows it) runs in the fallback type: fp16 by default (an INT8+FP16
 * engine), fp32 when asked (the INT8 flag alone). The detector's layers stay int8, and the
 * header echoes the choice. */
START_TEST(int8_fallback_types_the_decode)
{
    static const struct {
        int set;
        dtype_t t;
        const char *header, *softmax, *other;
    } runs[] = {
        {0, DT_FP16, "--int8-fallback fp16", "input: [1, 16, 4, 8400], dtype: fp16}",
         "dtype: fp32"},
        {1, DT_FP32, "--int8-fallback fp32", "input: [1, 16, 4, 8400], dtype: fp32}",
         "dtype: fp16"},
    };
    zoo_options_t o;
    diag_t d;
    char *text, *dec;
    vstats_t st;
    for (int i = 0; i < 2; i++) {
        memset(&o, 0, sizeof o);
        o.dtype_set = 1;
        o.dtype = DT_INT8;
        o.fallback_set = runs[i].set;
        o.fallback = runs[i].t;
        text = emit("yolov8n", &o, &d);
        ck_assert_ptr_nonnull(text);
        ck_assert_ptr_nonnull(strstr(text, runs[i].header));
        dec = strstr(text, "  - id: decode\n");
        ck_assert_ptr_nonnull(dec);
        ck_assert_ptr_nonnull(strstr(dec, runs[i].softmax));
        ck_assert_ptr_null(strstr(dec, "dtype: int8"));
        ck_assert_ptr_null(strstr(dec, runs[i].other));
        ck_assert(strstr(text, "dtype: int8") < dec);   /* the detector's layers */
        ck_assert_int_eq(validate(text, &st), 0);
        free(text);
    }
    /* Other dtypes neither need nor echo it. */
    memset(&o, 0, sizeof o);
    text = emit("yolov8n", &o, &d);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_null(strstr(text, "--int8-fallback"));
    free(text);
}
END_TEST

START_TEST(offline_split)
{
    zoo_options_t o;
    diag_t d;
    char *text;
    vstats_t st;
    memset(&o, 0, sizeof o);
    o.engine_set = 1;
    o.engine = ZOO_ENG_GPU_2DLA;
    /* default: 256 on the GPU, 34 per DLA (256 x 600 / 4500 = 34.1), as 17 passes of 2 */
    text = emit("resnet50", &o, &d);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(strstr(text, "--split 256,34,34"));
    ck_assert_ptr_nonnull(strstr(text, "input: [256, 3, 224, 224]"));
    ck_assert_ptr_nonnull(strstr(text, "count: 17"));
    ck_assert_ptr_nonnull(strstr(text, "engine: dla0"));
    ck_assert_ptr_nonnull(strstr(text, "engine: dla1"));
    ck_assert_ptr_nonnull(strstr(text, "max_in_flight: 2"));
    ck_assert_int_eq(validate(text, &st), 0);
    ck_assert_int_eq(st.tasks, 3);
    free(text);
    /* --batch 100: each DLA gets round(100 x 600 / 5700) = 11, the GPU the other 78 */
    o.batch = 100;
    text = emit("resnet50", &o, &d);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(strstr(text, "--split 78,11,11"));
    free(text);
    /* a share of 0 leaves the engine out */
    o.batch = 0;
    o.split_set = 1;
    o.split[0] = 8;
    o.split[1] = 0;
    o.split[2] = 2;
    text = emit("resnet50", &o, &d);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_null(strstr(text, "engine: dla0"));
    ck_assert_int_eq(validate(text, &st), 0);
    ck_assert_int_eq(st.tasks, 2);
    free(text);
}
END_TEST

/* ---------------------------------------------------------------- 4. bad options */

/* Run the binary; expect exit 2 and one line on stderr that contains `phrase`. */
static void expect_refused(const char *args, const char *phrase)
{
    char cmd[1024], path[] = "/tmp/orinsim-zoo-err-XXXXXX", *text;
    size_t len;
    int fd = mkstemp(path), rc, lines = 0;
    ck_assert_int_ge(fd, 0);
    close(fd);
    snprintf(cmd, sizeof cmd, "'%s' zoo %s > /dev/null 2> '%s'", ORINSIM_BINARY, args, path);
    rc = system(cmd);
    text = slurp(path, &len);
    unlink(path);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    ck_assert_msg(WIFEXITED(rc) && WEXITSTATUS(rc) == 2, "zoo %s: exit %d", args, rc);
    ck_assert_msg(lines == 1, "zoo %s: %d lines: %s", args, lines, text);
    ck_assert_msg(strstr(text, phrase) != NULL, "zoo %s: expected '%s' in: %s", args, phrase,
                  text);
    free(text);
}

START_TEST(bad_options)
{
    expect_refused("", "needs `list` or a network");
    expect_refused("resnet5", "unknown network 'resnet5'");
    expect_refused("llama2-7b-decode --engine dla", "cannot run on --engine dla");
    expect_refused("bert-base --engine dla0", "cannot run on --engine dla0");
    expect_refused("resnet50 --engine dla --dtype fp32", "int8 or fp16");
    expect_refused("resnet50 --seq 128", "takes no --seq");
    expect_refused("llama2-7b-decode --prompt 10", "takes no --prompt");
    expect_refused("resnet50 --split 1,2,3", "--split is for --engine gpu+2dla");
    expect_refused("resnet50 --engine gpu+2dla --split 1,2", "three sample counts");
    expect_refused("resnet50 --engine gpu+2dla --split 1,2,3 --batch 7", "disagrees");
    expect_refused("resnet50 --batch 0", "--batch expects a whole number");
    expect_refused("resnet50 --batch 5000", "--batch must be 1..4096");
    expect_refused("resnet50 --sparsity 3:4", "dense or 2:4");
    expect_refused("resnet50 --dtype fp32 --sparsity 2:4", "tensor-core");
    expect_refused("resnet50 --dtype int4", "weight format of the LLMs");
    expect_refused("resnet50 --dtype fp8", "unknown type 'fp8'");
    expect_refused("resnet50 --engine npu", "unknown engine 'npu'");
    expect_refused("resnet50 --period 33", "--period");
    expect_refused("llama2-7b-decode --context 5000", "1..4096");
    expect_refused("llama3.2-1b-decode --dtype fp32", "not offered");
    expect_refused("llama3.2-1b-decode --dtype fp16 --group 32", "--group is for quantised");
    expect_refused("llama3.2-1b-decode --dtype int4 --group 5000", "--group must be 1..4096");
    expect_refused("resnet50 --group 32", "takes no --group");
    expect_refused("bert-base --seq 513", "1..512");
    expect_refused("camera-pipeline --engine gpu+2dla", "gpu+2dla");
    expect_refused("resnet50 --frames", "needs a value");
    expect_refused("resnet50 --color red", "unknown option '--color'");
    expect_refused("resnet50 yolo11n", "one network at a time");
    expect_refused("resnet50 --engine dla --io-dtype fp32", "--io-dtype is for --engine gpu");
    expect_refused("resnet50 --io-dtype tf32", "--io-dtype takes fp32, fp16, bf16 or int8");
    expect_refused("resnet50 --io-dtype fp64", "--io-dtype: unknown type 'fp64'");
    expect_refused("bert-base --io-dtype fp32", "takes no --io-dtype");
    expect_refused("yolo11n --dtype fp16 --int8-fallback fp32",
                   "--int8-fallback is for --dtype int8");
    expect_refused("yolo11n --dtype int8 --int8-fallback bf16",
                   "--int8-fallback takes fp16 or fp32");
    expect_refused("yolo11n --dtype int8 --int8-fallback fp64", "--int8-fallback: unknown type");
    expect_refused("resnet50 --dtype int8 --int8-fallback fp32", "takes no --int8-fallback");
    expect_refused("yolo11n --imgsz 650", "650 is not a multiple of 32");
    expect_refused("yolo11n --imgsz 640x650", "round it up to 672");
    expect_refused("resnet50 --imgsz 16", "each side must be 32..4096 pixels, got 16");
    expect_refused("retinanet --imgsz 800x8000", "got 8000");
    expect_refused("resnet50 --imgsz 0", "--imgsz: expected N or HxW");
    expect_refused("resnet50 --imgsz 224x", "--imgsz: expected N or HxW");
    expect_refused("resnet50 --imgsz x224", "--imgsz: expected N or HxW");
    expect_refused("resnet50 --imgsz 224X224", "--imgsz: expected N or HxW");
    expect_refused("resnet50 --imgsz -224", "--imgsz: expected N or HxW");
    expect_refused("resnet50 --imgsz", "needs a value");
    expect_refused("bert-base --imgsz 320", "takes no --imgsz");
    expect_refused("camera-pipeline --imgsz 320", "takes no --imgsz");
    expect_refused("yolo11n --runtime 'a b'", "--runtime: expected a runtime name");
    expect_refused("yolo11n --runtime", "needs a value");
    expect_refused("camera-pipeline --deadline 0ms", "--deadline must be above 0 and at most 1 hour");
    expect_refused("camera-pipeline --deadline 3601s", "--deadline must be above 0 and at most 1 hour");
    expect_refused("camera-pipeline --deadline soon", "--deadline: expected a duration");
}
END_TEST

/* --runtime and --deadline write the trace's top-level `runtime:` and `deadline:` as
 * given and echo them in the command line; without them the trace has neither (the
 * default runtime, and the period as the deadline). */
START_TEST(top_level_options_are_written)
{
    static const struct {
        const char *net, *value, *line, *echo;
        int deadline;
    } cases[] = {
        {"yolo11n", "ultralytics", "\nruntime: ultralytics\n", " --runtime ultralytics`", 0},
        {"camera-pipeline", "5ms", "\ndeadline: 5ms\n", " --deadline 5ms`", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zoo_options_t o;
        diag_t d;
        char *text;
        vstats_t st;
        memset(&o, 0, sizeof o);
        text = emit(cases[i].net, &o, &d);
        ck_assert_ptr_nonnull(text);
        ck_assert_ptr_null(strstr(text, cases[i].deadline ? "\ndeadline:" : "runtime"));
        free(text);
        if (cases[i].deadline)
            snprintf(o.deadline, sizeof o.deadline, "%s", cases[i].value);
        else
            snprintf(o.runtime, sizeof o.runtime, "%s", cases[i].value);
        text = emit(cases[i].net, &o, &d);
        ck_assert_ptr_nonnull(text);
        ck_assert_ptr_nonnull(strstr(text, cases[i].line));
        ck_assert_ptr_nonnull(strstr(text, cases[i].echo));
        ck_assert_int_eq(validate(text, &st), 0);
        free(text);
    }
}
END_TEST

START_TEST(list_names_every_network)
{
    char cmd[512];
    FILE *p;
    char line[1024];
    int names = 0;
    snprintf(cmd, sizeof cmd, "'%s' zoo list", ORINSIM_BINARY);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    while (fgets(line, sizeof line, p))
        names += line[0] != ' ';
    ck_assert_int_eq(pclose(p), 0);
    ck_assert_int_eq(names, zoo_count());
    /* 7 CNNs (ResNet-50, -18, -34, the ResNet-34 trunk, SSD-MobileNet, SSD-ResNet34,
     * RetinaNet) + YOLOv7 + 10 YOLOv8/11 + 10 EfficientViTs (3 classifiers, 4 Cityscapes
     * and 3 ADE20K segmenters) + 2 BERTs + ViT + 6 Llamas x (decode, prefill) + the pipeline */
    ck_assert_int_eq(zoo_count(), 7 + 1 + 10 + 10 + 2 + 1 + 12 + 1);
    ck_assert_ptr_nonnull(zoo_find("yolo11x"));
    ck_assert_ptr_null(zoo_find("yolo11y"));
}
END_TEST

static Suite *zoo_suite(void)
{
    Suite *s = suite_create("zoo");
    TCase *t = tcase_create("totals");
    tcase_add_test(t, resnet50_totals);
    tcase_add_test(t, bert_totals);
    tcase_add_test(t, vit_totals);
    tcase_add_test(t, llama_totals);
    tcase_add_test(t, yolo_totals);
    tcase_add_test(t, detector_totals);
    suite_add_tcase(s, t);
    t = tcase_create("traces");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, committed_traces_are_regenerated);
    tcase_add_test(t, every_network_on_every_engine_is_well_formed);
    tcase_add_test(t, fusion_and_fallback);
    tcase_add_test(t, offline_split);
    tcase_add_test(t, io_dtype_marks_the_network_ends);
    tcase_add_test(t, top_level_options_are_written);
    tcase_add_test(t, int8_fallback_types_the_decode);
    suite_add_tcase(s, t);
    t = tcase_create("cli");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, bad_options);
    tcase_add_test(t, list_names_every_network);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(zoo_suite());
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
