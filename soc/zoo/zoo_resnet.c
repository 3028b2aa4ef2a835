/*
 * zoo_resnet: the networks built of ResNet's basic block: ResNet-18 and ResNet-34 as
 * torchvision defines them, the ResNet-34 trunk that NVIDIA's DLA reference models time as
 * a backbone, and MLPerf Inference's SSD-ResNet34 (1200x1200, COCO).
 *
 * Sources: torchvision/models/resnet.py (BasicBlock, resnet18 [2, 2, 2, 2], resnet34
 * [3, 4, 6, 3]); NVIDIA/Deep-Learning-Accelerator-SW README.md and
 * scripts/prepare_models/README.md (ResNet-34 backbone 1280x768, SSD-ResNet-34 1200x1200)
 * and scripts/prepare_models/ssd_resnet34.py; mlcommons/inference
 * vision/classification_and_detection/python/models/ssd_r34.py and base_model_r34.py.
 *
 * As in soc/zoo/zoo_nets.c: batch-norm is folded into the conv before it (a bias per output
 * channel), ReLU is carried on the conv or residual add that produces its input.
 */
#include <assert.h>

#include "soc/zoo/zoo_int.h"

/* BasicBlock: 3x3 conv (stride here) + ReLU, 3x3 conv, a 1x1 projection with the same
 * stride on the shortcut when the shape changes, add, ReLU. */
static zt_t basic_block(zoo_net_t *net, zt_t x, int64_t planes, int stride, const char *tag)
{
    zt_t y = zb_convp(net, x, planes, 3, stride, 1, 1, ZOO_ACT_RELU, "%s.conv1", tag);
    y = zb_convp(net, y, planes, 3, 1, 1, 1, ZOO_ACT_NONE, "%s.conv2", tag);
    if (stride != 1 || x.c != planes)
        zb_convp(net, x, planes, 1, stride, 0, 1, ZOO_ACT_NONE, "%s.downsample", tag);
    return zb_eltwise(net, y, 2, 0, ZOO_ACT_RELU, "%s.add", tag);
}

/* A stage of `blocks` basic blocks of `planes` channels: block 0 may change the shape,
 * blocks 1.. are identical and written once in a repeat. */
static zt_t basic_stage(zoo_net_t *net, zt_t x, int stage, int blocks, int stride)
{
    int64_t planes = 64 << (stage - 1);
    char tag[32];
    snprintf(tag, sizeof tag, "layer%d.0", stage);
    x = basic_block(net, x, planes, stride, tag);
    if (blocks > 1) {
        zb_repeat(net, blocks - 1, "layer%d.1-%d", stage, blocks - 1);
        snprintf(tag, sizeof tag, "layer%d.1-%d", stage, blocks - 1);
        x = basic_block(net, x, planes, 1, tag);
        zb_end(net);
    }
    return x;
}

/* conv1 7x7/2 (64) + ReLU, max-pool 3x3/2 padding 1. */
static zt_t stem(zoo_net_t *net, zt_t x)
{
    x = zb_convp(net, x, 64, 7, 2, 3, 1, ZOO_ACT_RELU, "conv1");
    return zb_pool(net, x, 3, 2, 1, 0, "maxpool");
}

/* Variants: 0 ResNet-18, 1 ResNet-34 (classifiers, avgpool + fc 1000), 2 the ResNet-34
 * trunk alone (conv1 .. layer4: no pooling, no fc). */
int zoo_build_resnet_basic(zoo_net_t *net, const zoo_resolved_t *r, int variant)
{
    static const int blocks[2][4] = {{2, 2, 2, 2}, {3, 4, 6, 3}};
    static const char *const names[3] = {"resnet18", "resnet34", "resnet34-backbone"};
    const int *b = blocks[variant == 0 ? 0 : 1];
    zt_t x = {r->batch, 3, r->img_h, r->img_w};
    assert(variant >= 0 && variant < 3);
    zb_stage(net, names[variant], ZOO_ROLE_MAIN, -1);
    x = stem(net, x);
    for (int s = 1; s <= 4; s++)
        x = basic_stage(net, x, s, b[s - 1], s == 1 ? 1 : 2);
    if (variant < 2) {
        x = zb_gpool(net, x, 1, "avgpool");
        zb_fc(net, x, 1000, ZOO_ACT_NONE, "fc");
        zb_note(net, "Folded: batch-norm into each conv; ReLU into the conv or residual add "
                     "before it.");
        zb_note(net, "Left out: the final softmax.");
    } else {
        zb_note(net, "The trunk of torchvision's resnet34 (conv1 .. layer4, C5 at stride 32); "
                     "no pooling, no fc. Folded: batch-norm into each conv.");
    }
    return 0;
}

/* MLPerf's SSD-ResNet34 (ssd_r34.py, SSD_R34 with its defaults): ResNet-34's conv1 ..
 * layer3 with layer3's first block at stride 1 (_ModifyBlock), so the first feature map is
 * 256 channels at 1/8 of the input (150x150 at 1200); five extra blocks of a 1x1 conv and a
 * 3x3 conv, with bias and ReLU and no batch-norm (1x1 to 256, 256, 128, 128, 128; 3x3 to
 * 512/2, 512/2, 256/2, 256/2 padding 0, 256/1 padding 0); on each of the six maps a 3x3
 * stride-3 loc conv to 4 x anchors and conf conv to 81 x anchors (anchors 4, 6, 6, 6, 4, 4).
 * At 1200x1200 the heads' maps are 50, 25, 13, 7, 3, 3: 15,130 boxes. The two head convs of
 * a map read the same input and are written as one conv of 85 x anchors filters, as
 * NVIDIA's DLA preparation fuses them (ssd_resnet34.py, fuse_convs_horizontally); the graph
 * ends there, before the box decoding and NMS. */
int zoo_build_ssd_resnet34(zoo_net_t *net, const zoo_resolved_t *r, int variant)
{
    static const struct { int64_t mid, out; int stride, pad; } extra[5] = {
        {256, 512, 2, 1}, {256, 512, 2, 1}, {128, 256, 2, 1}, {128, 256, 2, 0}, {128, 256, 1, 0}};
    static const int anchors[6] = {4, 6, 6, 6, 4, 4};
    zt_t x = {r->batch, 3, r->img_h, r->img_w}, maps[6];
    (void)variant;
    zb_stage(net, "ssd-resnet34", ZOO_ROLE_MAIN, -1);
    x = stem(net, x);
    x = basic_stage(net, x, 1, 3, 1);
    x = basic_stage(net, x, 2, 4, 2);
    maps[0] = x = basic_stage(net, x, 3, 6, 1);
    for (int i = 0; i < 5; i++) {
        x = zb_convp(net, x, extra[i].mid, 1, 1, 0, 1, ZOO_ACT_RELU, "additional_blocks.%d.0", i);
        maps[i + 1] = x = zb_convp(net, x, extra[i].out, 3, extra[i].stride, extra[i].pad, 1,
                                   ZOO_ACT_RELU, "additional_blocks.%d.2", i);
    }
    for (int i = 0; i < 6; i++)
        zb_convp(net, maps[i], anchors[i] * (4 + 81), 3, 3, 1, 1, ZOO_ACT_NONE,
                 "loc_conf.%d", i);
    zb_note(net, "Folded: batch-norm into each backbone conv; ReLU into the conv or residual "
                 "add before it. Each map's loc and conf convs are one conv (85 x anchors).");
    zb_note(net, "Left out: box decoding, softmax and NMS (after the network).");
    return 0;
}
