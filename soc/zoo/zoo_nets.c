/*
 * zoo_nets: the convolutional networks of the zoo, and the camera pipeline around one.
 *
 * Each builder follows its reference implementation module by module (torchvision's
 * ResNet and RetinaNet, the TensorFlow Object Detection API's SSD-MobileNetV1,
 * Ultralytics' YOLOv8 / YOLO11 parse_model) and keeps its layer names, so a trace line
 * can be found in an ONNX export of the model. Shapes come from the input size alone.
 *
 * Inference folding, as TensorRT builds these networks: every batch-norm is folded into
 * the conv before it (the conv gains a bias; no network here has a batch-norm that does
 * not follow a conv), and the activation after a conv or a residual add is carried on
 * that op (zoo_op_t.act) for the writer to fuse or not (soc/zoo/zoo.c). Channel splits
 * (torch.chunk / split) are views and cost nothing; concatenations are written as
 * `concat` ops.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "soc/zoo/zoo_int.h"

/* ---------------------------------------------------------------- ResNet-50 v1.5 */

/* A bottleneck: 1x1 reduce, 3x3 (stride here in v1.5, and grouped in ResNeXt), 1x1
 * expand; a 1x1 projection on the shortcut when the shape changes; add, then ReLU. */
static zt_t bottleneck(zoo_net_t *net, zt_t x, int64_t width, int64_t out, int stride,
                       int64_t groups, const char *tag)
{
    zt_t y = zb_conv(net, x, width, 1, 1, 1, ZOO_ACT_RELU, "%s.conv1", tag);
    y = zb_conv(net, y, width, 3, stride, groups, ZOO_ACT_RELU, "%s.conv2", tag);
    y = zb_conv(net, y, out, 1, 1, 1, ZOO_ACT_NONE, "%s.conv3", tag);
    if (stride != 1 || x.c != out)
        zb_conv(net, x, out, 1, stride, 1, ZOO_ACT_NONE, "%s.downsample", tag);
    return zb_eltwise(net, y, 2, 0, ZOO_ACT_RELU, "%s.add", tag);
}

/* Stages of ResNet-50 / ResNeXt-50: blocks [3, 4, 6, 3], planes 64..512, expansion 4.
 * Block 0 of a stage changes the shape; blocks 1.. are identical and written once in a
 * repeat. width(planes) is the 3x3 width: planes for ResNet, planes * 2 for 32x4d. */
static zt_t resnet_stage(zoo_net_t *net, zt_t x, int stage, int64_t groups, zt_t *outs)
{
    static const int blocks[4] = {3, 4, 6, 3};
    int64_t planes = 64 << (stage - 1);
    int64_t width = groups == 1 ? planes : planes * 2;   /* 32 groups x 4 x planes/64 */
    char tag[32];
    snprintf(tag, sizeof tag, "layer%d.0", stage);
    x = bottleneck(net, x, width, planes * 4, stage == 1 ? 1 : 2, groups, tag);
    zb_repeat(net, blocks[stage - 1] - 1, "layer%d.1-%d", stage, blocks[stage - 1] - 1);
    snprintf(tag, sizeof tag, "layer%d.1-%d", stage, blocks[stage - 1] - 1);
    x = bottleneck(net, x, width, planes * 4, 1, groups, tag);
    zb_end(net);
    if (outs)
        outs[stage] = x;
    return x;
}

static zt_t resnet_stem(zoo_net_t *net, zt_t x)
{
    x = zb_convp(net, x, 64, 7, 2, 3, 1, ZOO_ACT_RELU, "conv1");
    return zb_pool(net, x, 3, 2, 1, 0, "maxpool");
}

int zoo_build_resnet50(zoo_net_t *net, const zoo_resolved_t *r, int variant)
{
    zt_t x = {r->batch, 3, r->img_h, r->img_w};
    (void)variant;
    zb_stage(net, "resnet50", ZOO_ROLE_MAIN, -1);
    x = resnet_stem(net, x);
    for (int s = 1; s <= 4; s++)
        x = resnet_stage(net, x, s, 1, NULL);
    x = zb_gpool(net, x, 1, "avgpool");
    zb_fc(net, x, 1000, ZOO_ACT_NONE, "fc");
    zb_note(net, "Folded: batch-norm into each conv; ReLU into the conv or residual add before it.");
    zb_note(net, "Left out: the final softmax (MLPerf takes the arg-max of the logits).");
    return 0;
}

/* ---------------------------------------------------------------- SSD-MobileNetV1 */

/* SSD-MobileNetV1 300x300 as the TF Object Detection API builds it: MobileNetV1
 * (depthwise 3x3 + pointwise 1x1 pairs, BN + ReLU6), feature maps at Conv2d_11 (19x19)
 * and Conv2d_13 (10x10), four extra 1x1 / 3x3-stride-2 pairs (layer_depth 512, 256,
 * 256, 128 with 1x1 depth half of it), and a 1x1 box and class predictor per map with
 * 3 anchors on the first map and 6 on the others: 19^2*3 + (10^2 + 5^2 + 3^2 + 2^2 +
 * 1)*6 = 1917 anchors, 91 classes, sigmoid scores. */
static void ssd_mobilenet(zoo_net_t *net, int64_t batch, int64_t h, int64_t w)
{
    static const struct { int64_t c; int s; } dw[13] = {
        {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1},
        {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};
    static const int64_t extra[4] = {512, 256, 256, 128};
    zt_t x = {batch, 3, h, w}, maps[6];
    int nmaps = 0;

    x = zb_convp(net, x, 32, 3, 2, 1, 1, ZOO_ACT_RELU6, "Conv2d_0");
    for (int i = 0; i < 13; i++) {
        int l = i + 1;
        x = zb_convp(net, x, x.c, 3, dw[i].s, 1, x.c, ZOO_ACT_RELU6, "Conv2d_%d_depthwise", l);
        x = zb_conv(net, x, dw[i].c, 1, 1, 1, ZOO_ACT_RELU6, "Conv2d_%d_pointwise", l);
        if (l == 11 || l == 13)
            maps[nmaps++] = x;
    }
    for (int i = 0; i < 4; i++) {
        x = zb_conv(net, x, extra[i] / 2, 1, 1, 1, ZOO_ACT_RELU6,
                    "Conv2d_13_pointwise_1_Conv2d_%d_1x1_%d", i + 2, (int)(extra[i] / 2));
        x = zb_convp(net, x, extra[i], 3, 2, 1, 1, ZOO_ACT_RELU6,
                     "Conv2d_13_pointwise_2_Conv2d_%d_3x3_s2_%d", i + 2, (int)extra[i]);
        maps[nmaps++] = x;
    }
    for (int i = 0; i < nmaps; i++) {
        int anchors = i == 0 ? 3 : 6;
        zb_conv(net, maps[i], anchors * 4, 1, 1, 1, ZOO_ACT_NONE,
                "BoxPredictor_%d.BoxEncodingPredictor", i);
        zb_conv(net, maps[i], anchors * 91, 1, 1, 1, ZOO_ACT_SIGMOID,
                "BoxPredictor_%d.ClassPredictor", i);
    }
}

int zoo_build_ssd_mobilenet(zoo_net_t *net, const zoo_resolved_t *r, int variant)
{
    (void)variant;
    zb_stage(net, "ssd-mobilenet", ZOO_ROLE_MAIN, -1);
    ssd_mobilenet(net, r->batch, r->img_h, r->img_w);
    zb_note(net, "Folded: batch-norm into each conv; ReLU6 and the score sigmoid into their conv.");
    zb_note(net, "Left out: anchor decoding and NMS (see camera-pipeline for them on the GPU).");
    return 0;
}

/* ---------------------------------------------------------------- RetinaNet */

/* MLPerf's RetinaNet: ResNeXt-50 32x4d, an FPN on C3..C5 (1x1 laterals, nearest 2x
 * top-down adds, 3x3 outputs) with P6 = 3x3/2 conv of P5 and P7 = 3x3/2 conv of
 * ReLU(P6) (torchvision LastLevelP6P7(256, 256)), and the shared heads run on each of
 * the five levels: 4 x (3x3 conv 256 + ReLU) then a 3x3 conv to 9 anchors x 264 classes
 * (sigmoid) or 9 x 4 box deltas. At 800x800 the levels are 100, 50, 25, 13 and 7. At
 * other sizes a top-down add takes the lateral's shape, as torchvision's FPN interpolates
 * to it. */
int zoo_build_retinanet(zoo_net_t *net, const zoo_resolved_t *r, int variant)
{
    zt_t x = {r->batch, 3, r->img_h, r->img_w}, c[5], p[8], inner;
    (void)variant;
    zb_stage(net, "retinanet", ZOO_ROLE_MAIN, -1);
    x = resnet_stem(net, x);
    for (int s = 1; s <= 4; s++)
        x = resnet_stage(net, x, s, 32, c);
    /* FPN: c[2..4] are C3..C5 */
    inner = zb_conv(net, c[4], 256, 1, 1, 1, ZOO_ACT_NONE, "fpn.inner_blocks.2");
    p[5] = zb_conv(net, inner, 256, 3, 1, 1, ZOO_ACT_NONE, "fpn.layer_blocks.2");
    for (int l = 1; l >= 0; l--) {
        zt_t lat = zb_conv(net, c[l + 2], 256, 1, 1, 1, ZOO_ACT_NONE, "fpn.inner_blocks.%d", l);
        zb_resize(net, inner, 2, "fpn.upsample.%d", l);
        inner = zb_eltwise(net, lat, 2, 0, ZOO_ACT_NONE, "fpn.add.%d", l);
        p[l + 3] = zb_conv(net, inner, 256, 3, 1, 1, ZOO_ACT_NONE, "fpn.layer_blocks.%d", l);
    }
    p[6] = zb_convp(net, p[5], 256, 3, 2, 1, 1, ZOO_ACT_NONE, "fpn.extra.p6");
    x = zb_act(net, p[6], ZOO_ACT_RELU, "fpn.extra.p6_relu");
    p[7] = zb_convp(net, x, 256, 3, 2, 1, 1, ZOO_ACT_NONE, "fpn.extra.p7");
    for (int l = 3; l <= 7; l++) {
        int first = net->nops;
        zb_repeat(net, 4, "head.classification.P%d.conv", l);
        x = zb_conv(net, p[l], 256, 3, 1, 1, ZOO_ACT_RELU, "head.classification.P%d.conv", l);
        zb_end(net);
        zb_conv(net, x, 9 * 264, 3, 1, 1, ZOO_ACT_SIGMOID, "head.classification.P%d.cls_logits", l);
        zb_repeat(net, 4, "head.regression.P%d.conv", l);
        x = zb_conv(net, p[l], 256, 3, 1, 1, ZOO_ACT_RELU, "head.regression.P%d.conv", l);
        zb_end(net);
        zb_conv(net, x, 9 * 4, 3, 1, 1, ZOO_ACT_NONE, "head.regression.P%d.bbox_reg", l);
        for (int i = first; l > 3 && i < net->nops; i++)
            net->ops[i].params = 0;   /* the heads' weights are shared by the levels */
    }
    zb_note(net, "Folded: batch-norm into each conv; ReLU and the class sigmoid into their conv.");
    zb_note(net, "Left out: box decoding and NMS (MLPerf runs them after the network).");
    return 0;
}

/* ---------------------------------------------------------------- YOLOv8 / YOLO11 */

typedef struct yolo {
    int v11;
    double depth, width;
    int64_t max_ch;
    int c3k;                      /* YOLO11 m/l/x: every C3k2 uses C3k blocks */
} yolo_t;

/* The `scales` of the model YAMLs: [depth, width, max_channels]. */
static const yolo_t YOLOS[10] = {
    {0, 0.33, 0.25, 1024, 0}, {0, 0.33, 0.50, 1024, 0}, {0, 0.67, 0.75, 768, 0},
    {0, 1.00, 1.00, 512, 0},  {0, 1.00, 1.25, 512, 0},  {1, 0.50, 0.25, 1024, 0},
    {1, 0.50, 0.50, 1024, 0}, {1, 0.50, 1.00, 512, 1},  {1, 1.00, 1.00, 512, 1},
    {1, 1.00, 1.50, 512, 1}};

/* parse_model: c2 = make_divisible(min(c2, max_channels) * width, 8). */
static int64_t ych(const yolo_t *y, int64_t c)
{
    double v = (double)(c < y->max_ch ? c : y->max_ch) * y->width;
    return (int64_t)ceil(v / 8.0) * 8;
}

/* parse_model: n = max(round(n * depth), 1) for n > 1. */
static int yrep(const yolo_t *y, int n)
{
    int v = (int)lround(n * y->depth);
    return n > 1 ? (v > 1 ? v : 1) : n;
}

/* Conv = Conv2d(k, s, padding k/2, no bias) + BatchNorm + SiLU. */
#define YCONV(x, c2, k, s, ...) zb_conv(net, x, c2, k, s, 1, ZOO_ACT_SILU, __VA_ARGS__)

/* Bottleneck(c1, c2, shortcut, k=(3, 3), e): cv1 3x3 to c2*e, cv2 3x3 to c2, add. */
static zt_t ybottleneck(zoo_net_t *net, zt_t x, int64_t c2, int shortcut, double e,
                        const char *tag)
{
    zt_t y = YCONV(x, (int64_t)(c2 * e), 3, 1, "%s.cv1", tag);
    y = YCONV(y, c2, 3, 1, "%s.cv2", tag);
    if (shortcut && x.c == c2)
        y = zb_eltwise(net, y, 2, 0, ZOO_ACT_NONE, "%s.add", tag);
    return y;
}

/* C3k(c, c, n=2, shortcut): cv1 and cv2 1x1 to c/2, two 3x3 bottlenecks (e = 1) on the
 * cv1 branch, concat, cv3 1x1 back to c. */
static zt_t yc3k(zoo_net_t *net, zt_t x, int shortcut, const char *tag)
{
    int64_t c_ = x.c / 2;
    char t[160];
    zt_t a = YCONV(x, c_, 1, 1, "%s.cv1", tag);
    YCONV(x, c_, 1, 1, "%s.cv2", tag);
    zb_repeat(net, 2, "%s.m.0-1", tag);
    snprintf(t, sizeof t, "%s.m.0-1", tag);
    a = ybottleneck(net, a, c_, shortcut, 1.0, t);
    zb_end(net);
    a.c = 2 * c_;
    a = zb_concat(net, a, 2, "%s.cat", tag);
    return YCONV(a, x.c, 1, 1, "%s.cv3", tag);
}

/* Start block idx's n repeated modules and write their name prefix into t: a repeat
 * "model.idx.m.0-(n-1)" when n > 1, which the caller then closes with zb_end. */
static void ymodules(zoo_net_t *net, int idx, int n, char *t, size_t len)
{
    if (n > 1) {
        zb_repeat(net, n, "model.%d.m.0-%d", idx, n - 1);
        snprintf(t, len, "model.%d.m.0-%d", idx, n - 1);
    } else {
        snprintf(t, len, "model.%d.m.0", idx);
    }
}

/* C2f (YOLOv8) and C3k2 (YOLO11): cv1 1x1 to 2c (c = c2 * e), split in halves, n blocks
 * chained on the second half, concat of the 2 + n tensors, cv2 1x1 to c2. The blocks are
 * 3x3 bottlenecks with e = 1 (C2f), e = 0.5 (C3k2), or C3k (C3k2 with c3k). */
static zt_t yc2f(zoo_net_t *net, const yolo_t *y, zt_t x, int idx, int64_t c2, int n,
                 int shortcut, double e, int c3k)
{
    int64_t c = (int64_t)(c2 * e);
    char t[128];
    zt_t h = YCONV(x, 2 * c, 1, 1, "model.%d.cv1", idx);
    h.c = c;
    ymodules(net, idx, n, t, sizeof t);
    if (c3k)
        h = yc3k(net, h, shortcut, t);
    else
        h = ybottleneck(net, h, c, shortcut, y->v11 ? 0.5 : 1.0, t);
    if (n > 1)
        zb_end(net);
    h.c = (2 + n) * c;
    h = zb_concat(net, h, 2 + n, "model.%d.cat", idx);
    return YCONV(h, c2, 1, 1, "model.%d.cv2", idx);
}

/* SPPF(c1, c2, 5): cv1 1x1 to c1/2, three chained 5x5 stride-1 max-pools, concat of the
 * four, cv2 1x1 to c2. */
static zt_t ysppf(zoo_net_t *net, zt_t x, int idx, int64_t c2)
{
    zt_t h = YCONV(x, x.c / 2, 1, 1, "model.%d.cv1", idx);
    zb_repeat(net, 3, "model.%d.m", idx);
    zb_pool(net, h, 5, 1, 2, 0, "model.%d.m", idx);
    zb_end(net);
    h.c *= 4;
    h = zb_concat(net, h, 4, "model.%d.cat", idx);
    return YCONV(h, c2, 1, 1, "model.%d.cv2", idx);
}

/* C2PSA(c1, c1, n): cv1 1x1 to 2c (c = c1/2), split; n PSABlocks on the second half;
 * concat; cv2 1x1 to c1. PSABlock: x + Attention(x), then x + FFN(x) with FFN = 1x1 to
 * 2c (SiLU) and 1x1 back (no activation). Attention(c, heads = c/64, attn_ratio 0.5):
 * qkv 1x1 to 2c (per head q and k of 32, v of 64), softmax(q^T k / sqrt(32)) over the
 * H*W positions, plus a 3x3 depthwise positional conv of v, then a 1x1 projection.
 * The attention op takes one head_dim: 48, the mean of the 32-wide q.k and the 64-wide
 * attention x V, so its 2 x seq^2 x head_dim MACs per head are exact. */
static zt_t yc2psa(zoo_net_t *net, zt_t x, int idx, int n)
{
    int64_t c = x.c / 2, heads = c / 64, seq = x.h * x.w;
    char t[128];
    zt_t h = zb_conv(net, x, 2 * c, 1, 1, 1, ZOO_ACT_SILU, "model.%d.cv1", idx), b;
    h.c = c;
    ymodules(net, idx, n, t, sizeof t);
    zb_conv(net, h, 2 * c, 1, 1, 1, ZOO_ACT_NONE, "%s.attn.qkv", t);
    zb_attention(net, x.n, heads, heads, seq, seq, 48, 0, "%s.attn", t);
    zb_conv(net, h, c, 3, 1, c, ZOO_ACT_NONE, "%s.attn.pe", t);
    b = zb_eltwise(net, h, 2, 0, ZOO_ACT_NONE, "%s.attn.add_pe", t);
    b = zb_conv(net, b, c, 1, 1, 1, ZOO_ACT_NONE, "%s.attn.proj", t);
    b = zb_eltwise(net, b, 2, 0, ZOO_ACT_NONE, "%s.add_attn", t);
    b = zb_conv(net, b, 2 * c, 1, 1, 1, ZOO_ACT_SILU, "%s.ffn.0", t);
    b = zb_conv(net, b, c, 1, 1, 1, ZOO_ACT_NONE, "%s.ffn.1", t);
    b = zb_eltwise(net, b, 2, 0, ZOO_ACT_NONE, "%s.add_ffn", t);
    if (n > 1)
        zb_end(net);
    b.c = 2 * c;
    b = zb_concat(net, b, 2, "model.%d.cat", idx);
    return zb_conv(net, b, x.c, 1, 1, 1, ZOO_ACT_SILU, "model.%d.cv2", idx);
}

/* Detect(nc=80, reg_max=16) on P3, P4, P5: per level a box branch (3x3 Conv to c2, 3x3
 * Conv, 1x1 Conv2d to 4 x 16 distribution bins) and a class branch (YOLOv8: 3x3 Conv to
 * c3, 3x3 Conv, 1x1 to 80; YOLO11: depthwise 3x3 + 1x1 Conv twice, then 1x1 to 80),
 * c2 = max(16, P3/4, 64), c3 = max(P3, 80); the two are concatenated (144 channels). */
static void ydetect(zoo_net_t *net, const yolo_t *y, const zt_t lv[3], int idx)
{
    int64_t c2 = lv[0].c / 4 > 64 ? lv[0].c / 4 : 64;
    int64_t c3 = lv[0].c > 80 ? lv[0].c : 80;
    for (int i = 0; i < 3; i++) {
        zt_t b = YCONV(lv[i], c2, 3, 1, "model.%d.cv2.%d.0", idx, i), cl = lv[i];
        b = YCONV(b, c2, 3, 1, "model.%d.cv2.%d.1", idx, i);
        b = zb_conv(net, b, 64, 1, 1, 1, ZOO_ACT_NONE, "model.%d.cv2.%d.2", idx, i);
        if (y->v11) {
            cl = zb_conv(net, cl, cl.c, 3, 1, cl.c, ZOO_ACT_SILU, "model.%d.cv3.%d.0.0", idx, i);
            cl = YCONV(cl, c3, 1, 1, "model.%d.cv3.%d.0.1", idx, i);
            cl = zb_conv(net, cl, c3, 3, 1, c3, ZOO_ACT_SILU, "model.%d.cv3.%d.1.0", idx, i);
            cl = YCONV(cl, c3, 1, 1, "model.%d.cv3.%d.1.1", idx, i);
        } else {
            cl = YCONV(cl, c3, 3, 1, "model.%d.cv3.%d.0", idx, i);
            cl = YCONV(cl, c3, 3, 1, "model.%d.cv3.%d.1", idx, i);
        }
        cl = zb_conv(net, cl, 80, 1, 1, 1, ZOO_ACT_NONE, "model.%d.cv3.%d.2", idx, i);
        cl.c = 144;
        zb_concat(net, cl, 2, "model.%d.cat.%d", idx, i);
    }
}

/* The decode after Detect, on the GPU: the anchor outputs of the three levels (8400 =
 * 80^2 + 40^2 + 20^2 at 640x640) are gathered, the box distribution is a softmax over 16
 * bins per side followed by the DFL 1x1 conv (weights 0..15, no bias), boxes are anchor
 * +/- distance times stride, and the class logits go through a sigmoid. */
static void ydecode(zoo_net_t *net, int64_t batch, const zt_t lv[3], int idx)
{
    int64_t a = lv[0].h * lv[0].w + lv[1].h * lv[1].w + lv[2].h * lv[2].w;
    zt_t all = {batch, 144, 1, a}, dist = {batch, 16, 4, a}, box = {batch, 4, 1, a};
    zt_t cls = {batch, 80, 1, a};
    zb_concat(net, all, 3, "model.%d.cat_levels", idx);
    zb_softmax(net, dist, "model.%d.dfl.softmax", idx);
    zb_conv(net, dist, 1, 1, 1, 1, ZOO_ACT_NONE, "model.%d.dfl.conv", idx);
    net->ops[net->nops - 1].params = 16;   /* a fixed arange, no bias */
    zb_eltwise(net, box, 2, 2, ZOO_ACT_NONE, "model.%d.dist2bbox", idx);
    zb_eltwise(net, box, 2, 1, ZOO_ACT_NONE, "model.%d.stride", idx);
    zb_act(net, cls, ZOO_ACT_SIGMOID, "model.%d.sigmoid", idx);
}

int zoo_build_yolo(zoo_net_t *net, const zoo_resolved_t *r, int variant)
{
    const yolo_t *y = &YOLOS[variant];
    zt_t x = {r->batch, 3, r->img_h, r->img_w}, p3, p4, p5, lv[3];
    int det = y->v11 ? 23 : 22;
    assert(variant >= 0 && variant < 10);

    zb_stage(net, "detector", ZOO_ROLE_MAIN, -1);
    x = YCONV(x, ych(y, 64), 3, 2, "model.0");                      /* P1/2 */
    x = YCONV(x, ych(y, 128), 3, 2, "model.1");                     /* P2/4 */
    if (!y->v11) {
        /* yolov8.yaml backbone: C2f [128, True] x3, [256, True] x6, [512, True] x6,
         * [1024, True] x3, SPPF [1024, 5] */
        x = yc2f(net, y, x, 2, ych(y, 128), yrep(y, 3), 1, 0.5, 0);
        x = YCONV(x, ych(y, 256), 3, 2, "model.3");
        p3 = x = yc2f(net, y, x, 4, ych(y, 256), yrep(y, 6), 1, 0.5, 0);
        x = YCONV(x, ych(y, 512), 3, 2, "model.5");
        p4 = x = yc2f(net, y, x, 6, ych(y, 512), yrep(y, 6), 1, 0.5, 0);
        x = YCONV(x, ych(y, 1024), 3, 2, "model.7");
        x = yc2f(net, y, x, 8, ych(y, 1024), yrep(y, 3), 1, 0.5, 0);
        p5 = x = ysppf(net, x, 9, ych(y, 1024));
        /* head: upsample, concat P4, C2f [512] x3 (no shortcut), ... */
        x = zb_resize(net, x, 2, "model.10");
        x.c += p4.c;
        x = zb_concat(net, x, 2, "model.11");
        p4 = x = yc2f(net, y, x, 12, ych(y, 512), yrep(y, 3), 0, 0.5, 0);
        x = zb_resize(net, x, 2, "model.13");
        x.c += p3.c;
        x = zb_concat(net, x, 2, "model.14");
        lv[0] = x = yc2f(net, y, x, 15, ych(y, 256), yrep(y, 3), 0, 0.5, 0);
        x = YCONV(x, ych(y, 256), 3, 2, "model.16");
        x.c += p4.c;
        x = zb_concat(net, x, 2, "model.17");
        lv[1] = x = yc2f(net, y, x, 18, ych(y, 512), yrep(y, 3), 0, 0.5, 0);
        x = YCONV(x, ych(y, 512), 3, 2, "model.19");
        x.c += p5.c;
        x = zb_concat(net, x, 2, "model.20");
        lv[2] = yc2f(net, y, x, 21, ych(y, 1024), yrep(y, 3), 0, 0.5, 0);
    } else {
        /* yolo11.yaml backbone: C3k2 [256, False, 0.25] x2, [512, False, 0.25] x2,
         * [512, True] x2, [1024, True] x2, SPPF [1024, 5], C2PSA [1024] x2; m/l/x force
         * c3k on every C3k2. C3k2 keeps shortcut=True. */
        x = yc2f(net, y, x, 2, ych(y, 256), yrep(y, 2), 1, 0.25, y->c3k);
        x = YCONV(x, ych(y, 256), 3, 2, "model.3");
        p3 = x = yc2f(net, y, x, 4, ych(y, 512), yrep(y, 2), 1, 0.25, y->c3k);
        x = YCONV(x, ych(y, 512), 3, 2, "model.5");
        p4 = x = yc2f(net, y, x, 6, ych(y, 512), yrep(y, 2), 1, 0.5, 1);
        x = YCONV(x, ych(y, 1024), 3, 2, "model.7");
        x = yc2f(net, y, x, 8, ych(y, 1024), yrep(y, 2), 1, 0.5, 1);
        x = ysppf(net, x, 9, ych(y, 1024));
        p5 = x = yc2psa(net, x, 10, yrep(y, 2));
        x = zb_resize(net, x, 2, "model.11");
        x.c += p4.c;
        x = zb_concat(net, x, 2, "model.12");
        p4 = x = yc2f(net, y, x, 13, ych(y, 512), yrep(y, 2), 1, 0.5, y->c3k);
        x = zb_resize(net, x, 2, "model.14");
        x.c += p3.c;
        x = zb_concat(net, x, 2, "model.15");
        lv[0] = x = yc2f(net, y, x, 16, ych(y, 256), yrep(y, 2), 1, 0.5, y->c3k);
        x = YCONV(x, ych(y, 256), 3, 2, "model.17");
        x.c += p4.c;
        x = zb_concat(net, x, 2, "model.18");
        lv[1] = x = yc2f(net, y, x, 19, ych(y, 512), yrep(y, 2), 1, 0.5, y->c3k);
        x = YCONV(x, ych(y, 512), 3, 2, "model.20");
        x.c += p5.c;
        x = zb_concat(net, x, 2, "model.21");
        lv[2] = yc2f(net, y, x, 22, ych(y, 1024), yrep(y, 2), 1, 0.5, 1);
    }
    ydetect(net, y, lv, det);
    zb_stage(net, "decode", ZOO_ROLE_GPU, 0);
    {
        /* The decode starts with a softmax, which has no int8 kernel in TensorRT. */
        dtype_t layers = net->dtype;
        if (layers == DT_INT8)
            net->dtype = r->fallback;
        ydecode(net, r->batch, lv, det);
        net->dtype = layers;
    }
    zb_note(net, "Scale [depth, width, max_channels] = [%.2f, %.2f, %d]; c2 = "
                 "make_divisible(min(c, max) * width, 8).", y->depth, y->width, (int)y->max_ch);
    zb_note(net, "Folded: batch-norm into each conv. SiLU is fused into its conv on the GPU "
                 "and written as an activation op on a DLA.");
    if (y->v11)
        zb_note(net, "C2PSA attention: one attention op, head_dim 48 = mean of q.k 32 and v 64.");
    zb_note(net, "Task decode: DFL softmax, box and class decoding of the %lld anchors; NMS is "
                 "left out.", (long long)net->ops[net->nops - 1].w);
    return 0;
}

/* ---------------------------------------------------------------- camera pipeline */

/* A 1080p camera at 30 FPS: the CPU dequeues the frame; the PVA converts NV12 to RGB,
 * undistorts (remap) and resizes to 300x300 (the GPU does it on modules without a PVA);
 * SSD-MobileNetV1 detects on a DLA (GPU fallback, so the trace also runs on an Orin
 * Nano); the GPU decodes the 1917 anchors and runs NMS; the CPU tracks and publishes.
 * Decode: a thread per anchor x class reads the 4 + 91 outputs (int8 or fp16) and does
 * ~10 flops per box and class. NMS: per class, a block sorts the candidates above the
 * score threshold and compares the top 100 pairwise: 91 x 100^2 / 2 IoU tests of ~20
 * flops. Both are estimates of the work, not profiles. */
int zoo_build_camera(zoo_net_t *net, const zoo_resolved_t *r, int variant)
{
    zoo_op_t *op;
    int cap, pre, det, post;
    double out_bytes = 1917.0 * (4 + 91) * (r->dtype == DT_INT8 ? 1 : 2);
    (void)variant;

    cap = zb_stage(net, "capture", ZOO_ROLE_CPU, -1);
    op = zb_add(net, ZOO_CPU, "v4l2-dequeue");
    snprintf(op->duration, sizeof op->duration, "0.4ms");
    op->cpu_bytes = 1920.0 * 1080 * 1.5;                 /* NV12 */
    net->stages[cap].note[0] = '\0';

    pre = zb_stage(net, "preprocess", ZOO_ROLE_PVA, cap);
    snprintf(net->stages[pre].note, sizeof net->stages[pre].note,
             "NV12 -> RGB, undistort, 1920x1080 -> 300x300 (on the GPU where there is no PVA)");
    op = zb_add(net, ZOO_PVA_COLOR, "nv12-to-rgb");
    op->img_w = 1920;
    op->img_h = 1080;
    op = zb_add(net, ZOO_PVA_REMAP, "undistort");
    op->img_w = 1920;
    op->img_h = 1080;
    op = zb_add(net, ZOO_PVA_RESIZE, "resize");
    op->img_w = 1920;
    op->img_h = 1080;
    op->out_w = 300;
    op->out_h = 300;

    det = zb_stage(net, "detector", ZOO_ROLE_MAIN, pre);
    net->stages[det].fallback = 1;
    snprintf(net->stages[det].note, sizeof net->stages[det].note,
             "SSD-MobileNetV1 (the ssd-mobilenet network); fallback: gpu runs it on the GPU "
             "of a module without a DLA");
    ssd_mobilenet(net, 1, 300, 300);

    post = zb_stage(net, "postprocess", ZOO_ROLE_GPU, det);
    op = zb_add(net, ZOO_KERNEL, "decode-boxes");
    op->grid = (1917 * 91 + 255) / 256;
    op->block = 256;
    op->registers = 32;
    op->kflops = 1917.0 * 91 * 10;
    op->dram_bytes = out_bytes + 1917.0 * 91 * 4;         /* read outputs, write fp32 scores */
    op = zb_add(net, ZOO_KERNEL, "nms");
    op->grid = 91;
    op->block = 256;
    op->registers = 40;
    op->shared = 16384;
    op->kflops = 91 * 100.0 * 100 / 2 * 20;
    op->dram_bytes = 1917.0 * 91 * 4 + 1917.0 * 16;

    zb_stage(net, "control", ZOO_ROLE_CPU, post);
    op = zb_add(net, ZOO_CPU, "track-and-publish");
    snprintf(op->duration, sizeof op->duration, "1.5ms");
    zb_note(net, "Folded: batch-norm into each conv; ReLU6 and the score sigmoid into their conv.");
    return 0;
}
