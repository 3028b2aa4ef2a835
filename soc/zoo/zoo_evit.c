/*
 * zoo_evit: EfficientViT B-series (Cai, Li, Hu, Gan and Han 2023, arXiv:2205.14756), the
 * ImageNet classifiers B1-B3 and the segmentation networks B0-B3, as mit-han-lab/efficientvit
 * defines them: efficientvit/models/efficientvit/backbone.py (EfficientViTBackbone,
 * efficientvit_backbone_b0..b3), cls.py (ClsHead), seg.py (SegHead, efficientvit_seg_b0..b3
 * for "cityscapes" and "ade20k") and efficientvit/models/nn/ops.py (ConvLayer, DSConv,
 * MBConv, LiteMLA, EfficientViTBlock).
 *
 * Inference folding as elsewhere in the zoo: batch-norm into the conv before it (a bias per
 * channel), hardswish carried on its conv. LiteMLA's q/k/v convs have neither bias nor
 * batch-norm, so they carry no bias. Its ReLU linear attention is written as the ops an
 * engine runs: the ReLU of q and k, v padded with a row of ones, two batched matrix
 * products per head (v k^T: (dim + 1) x dim over the H*W positions, then times q) and the
 * division by the padded row. The segmentation head's bicubic up-sampling is written as a
 * bilinear resize (the trace format has no bicubic mode; both are a pass over the map).
 */
#include <assert.h>

#include "soc/zoo/zoo_int.h"

#define CONV(x, c2, k, s, g, act, ...) zb_conv(net, x, c2, k, s, g, act, __VA_ARGS__)
#define HS ZOO_ACT_HARDSWISH

typedef struct evit_size {
    int64_t width[5];
    int depth[5];
    int64_t dim;                  /* LiteMLA head dimension */
    int64_t head[2];              /* ClsHead width_list */
    int64_t seg_width;            /* SegHead head_width (head_depth 3; B0: 1) */
} evit_size_t;

static const evit_size_t SIZES[4] = {
    {{8, 16, 32, 64, 128}, {1, 2, 2, 2, 2}, 16, {1024, 1280}, 32},
    {{16, 32, 64, 128, 256}, {1, 2, 3, 3, 4}, 16, {1536, 1600}, 64},
    {{24, 48, 96, 192, 384}, {1, 3, 4, 4, 6}, 32, {2304, 2560}, 96},
    {{32, 64, 128, 256, 512}, {1, 4, 6, 6, 9}, 32, {2304, 2560}, 128}};

/* The last op written has no bias (a conv without batch-norm or bias, an fc without bias). */
static void no_bias(zoo_net_t *net, int64_t outputs)
{
    net->ops[net->nops - 1].params -= (double)outputs;
}

/* MBConv(expand 4): 1x1 to 4c + hardswish, 3x3 depthwise (stride) + hardswish, 1x1 to out;
 * the residual add where the shape holds. */
static zt_t mbconv(zoo_net_t *net, zt_t x, int64_t out, int stride, const char *tag)
{
    int64_t mid = 4 * x.c;
    zt_t y = CONV(x, mid, 1, 1, 1, HS, "%s.inverted_conv", tag);
    y = CONV(y, mid, 3, stride, mid, HS, "%s.depth_conv", tag);
    y = CONV(y, out, 1, 1, 1, ZOO_ACT_NONE, "%s.point_conv", tag);
    if (stride == 1 && x.c == out)
        y = zb_eltwise(net, y, 2, 0, ZOO_ACT_NONE, "%s.add", tag);
    return y;
}

/* EfficientViTBlock: LiteMLA(c, heads = c / dim, scales (5,)) with a residual add, then
 * MBConv(c, c) with a residual add. LiteMLA: qkv 1x1 to 3c; aggregation 5x5 depthwise on 3c
 * and a 1x1 grouped by 3 x heads; the two concatenated (6c, 2 x heads heads of q, k, v of
 * dim each); ReLU linear attention per head; proj 1x1 2c -> c. */
static zt_t evit_block(zoo_net_t *net, const zoo_resolved_t *r, zt_t x, int64_t dim,
                       const char *tag)
{
    int64_t c = x.c, heads = c / dim, n = x.h * x.w, hb = x.n * 2 * heads;
    zt_t q = CONV(x, 3 * c, 1, 1, 1, ZOO_ACT_NONE, "%s.context_module.qkv", tag), y;
    no_bias(net, 3 * c);
    y = CONV(q, 3 * c, 5, 1, 3 * c, ZOO_ACT_NONE, "%s.context_module.aggreg.0", tag);
    no_bias(net, 3 * c);
    CONV(y, 3 * c, 1, 1, 3 * heads, ZOO_ACT_NONE, "%s.context_module.aggreg.1", tag);
    no_bias(net, 3 * c);
    y.c = 6 * c;
    zb_concat(net, y, 2, "%s.context_module.cat", tag);
    {
        zoo_op_t *op;
        zb_elementwise(net, hb * 2 * dim * n, 1, 1, 0, "%s.context_module.relu_qk", tag);
        zb_elementwise(net, hb * (dim + 1) * n, 1, 0, 0, "%s.context_module.pad_v", tag);
        op = zb_gemm(net, r, dim + 1, dim, n, 0, 0, "%s.context_module.vk", tag);
        op->batch = hb;
        op->macs *= (double)hb;
        op = zb_gemm(net, r, dim + 1, n, dim, 0, 0, "%s.context_module.vkq", tag);
        op->batch = hb;
        op->macs *= (double)hb;
        zb_elementwise(net, hb * dim * n, 2, 1, 0, "%s.context_module.divide", tag);
    }
    y.c = 2 * c;
    y = CONV(y, c, 1, 1, 1, ZOO_ACT_NONE, "%s.context_module.proj", tag);
    x = zb_eltwise(net, y, 2, 0, ZOO_ACT_NONE, "%s.context_module.add", tag);
    {
        char t[96];
        snprintf(t, sizeof t, "%s.local_module", tag);
        return mbconv(net, x, c, 1, t);
    }
}

/* The backbone: stem (3x3/2 conv + depth[0] residual DSConvs), two MBConv stages, two stages
 * of an MBConv at stride 2 and depth EfficientViT blocks. outs[s] is stage s's output. */
static zt_t backbone(zoo_net_t *net, const zoo_resolved_t *r, const evit_size_t *z, zt_t *outs)
{
    zt_t x = {r->batch, 3, r->img_h, r->img_w};
    char tag[64];
    x = CONV(x, z->width[0], 3, 2, 1, HS, "backbone.input_stem.op_list.0");
    for (int i = 0; i < z->depth[0]; i++) {
        zt_t y = CONV(x, x.c, 3, 1, x.c, HS, "backbone.input_stem.op_list.%d.depth_conv", i + 1);
        y = CONV(y, x.c, 1, 1, 1, ZOO_ACT_NONE, "backbone.input_stem.op_list.%d.point_conv", i + 1);
        x = zb_eltwise(net, y, 2, 0, ZOO_ACT_NONE, "backbone.input_stem.op_list.%d.add", i + 1);
    }
    for (int s = 1; s <= 4; s++) {
        int first = s <= 2 ? z->depth[s] : 1;
        for (int i = 0; i < first; i++) {
            snprintf(tag, sizeof tag, "backbone.stages.%d.op_list.%d", s - 1, i);
            x = mbconv(net, x, z->width[s], i == 0 ? 2 : 1, tag);
        }
        if (s >= 3) {
            zb_repeat(net, z->depth[s], "backbone.stages.%d.op_list.1-%d", s - 1, z->depth[s]);
            snprintf(tag, sizeof tag, "backbone.stages.%d.op_list.1-%d", s - 1, z->depth[s]);
            x = evit_block(net, r, x, z->dim, tag);
            zb_end(net);
        }
        outs[s] = x;
    }
    return x;
}

/* Variants: task * 4 + size (B0..B3); task 0 the ImageNet classifier, 1 the Cityscapes
 * segmenter (19 classes, final_expand 4), 2 the ADE20K one (150 classes). */
int zoo_build_efficientvit(zoo_net_t *net, const zoo_resolved_t *r, int variant)
{
    const evit_size_t *z = &SIZES[variant % 4];
    int task = variant / 4;
    zt_t outs[5], x;
    assert(variant >= 0 && variant < 12);
    zb_stage(net, task == 0 ? "efficientvit-cls" : "efficientvit-seg", ZOO_ROLE_MAIN, -1);
    x = backbone(net, r, z, outs);
    if (task == 0) {
        /* ClsHead: 1x1 conv + hardswish, global average pool, linear (no bias) + layer norm
         * + hardswish, linear to 1000 classes. */
        x = CONV(x, z->head[0], 1, 1, 1, HS, "head.op_list.0");
        x = zb_gpool(net, x, 1, "head.op_list.1");
        x = zb_fc(net, x, z->head[1], ZOO_ACT_NONE, "head.op_list.2.linear");
        no_bias(net, z->head[1]);
        zb_elementwise(net, x.n * x.c, 1, 8, 2.0 * (double)x.c, "head.op_list.2.norm_act");
        zb_fc(net, x, 1000, ZOO_ACT_NONE, "head.op_list.3.linear");
        zb_note(net, "Folded: batch-norm into each conv; hardswish into its conv.");
        zb_note(net, "Left out: the final softmax.");
    } else {
        /* SegHead at stride 8: 1x1 conv (no activation) of stages 4, 3 and 2 to head_width,
         * the first two up-sampled x4 and x2, summed; head_depth residual MBConvs; then
         * (Cityscapes) 1x1 to 4 x head_width + hardswish and 1x1 to 19 classes, or (ADE20K)
         * 1x1 to 150 classes. The output stays at 1/8 of the input. */
        int64_t hw = z->seg_width;
        int depth = variant % 4 == 0 ? 1 : 3;
        zt_t a = CONV(outs[4], hw, 1, 1, 1, ZOO_ACT_NONE, "head.input_ops.0.conv");
        zt_t b = CONV(outs[3], hw, 1, 1, 1, ZOO_ACT_NONE, "head.input_ops.1.conv");
        zt_t c = CONV(outs[2], hw, 1, 1, 1, ZOO_ACT_NONE, "head.input_ops.2.conv");
        char tag[48];
        zb_resize_to(net, a, c.h, c.w, 1, "head.input_ops.0.upsample");
        zb_resize_to(net, b, c.h, c.w, 1, "head.input_ops.1.upsample");
        x = zb_eltwise(net, c, 3, 0, ZOO_ACT_NONE, "head.merge_add");
        zb_repeat(net, depth, "head.middle.op_list.0-%d", depth - 1);
        snprintf(tag, sizeof tag, "head.middle.op_list.0-%d", depth - 1);
        x = mbconv(net, x, hw, 1, tag);
        zb_end(net);
        if (task == 1) {
            x = CONV(x, 4 * hw, 1, 1, 1, HS, "head.output_ops.0.op_list.0");
            CONV(x, 19, 1, 1, 1, ZOO_ACT_NONE, "head.output_ops.0.op_list.1");
        } else {
            CONV(x, 150, 1, 1, 1, ZOO_ACT_NONE, "head.output_ops.0.op_list.1");
        }
        zb_note(net, "Folded: batch-norm into each conv; hardswish into its conv. The "
                     "bicubic up-sampling is written as bilinear.");
        zb_note(net, "Left out: the up-sampling of the stride-8 logits to the input size and "
                     "the arg-max.");
    }
    zb_note(net, "LiteMLA: ReLU linear attention as its element-wise ops and two batched "
                 "matrix products per head (head dim %d).", (int)z->dim);
    return 0;
}
