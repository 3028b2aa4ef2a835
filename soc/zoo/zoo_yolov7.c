/*
 * zoo_yolov7: YOLOv7 (Wang, Bochkovskiy and Liao 2022, arXiv:2207.02696) as its deploy
 * model: WongKinYiu/yolov7 cfg/deploy/yolov7.yaml and models/common.py (Conv, MP, SPPCSPC,
 * RepConv), with the Detect head that models/yolo.py exports to ONNX.
 *
 * The graph is the one NVIDIA's yolo_deepstream (NVIDIA-AI-IOT/yolo_deepstream,
 * yolov7_qat/scripts/qat.py export_onnx) builds engines from: RepConv fused into one 3x3
 * conv (models/yolo.py, fuse_repvgg_block), batch-norm folded (a bias per channel), SiLU
 * after every Conv, and Detect with `concat = True`: each level's 1x1 conv to 3 anchors x
 * 85, then, in the engine, the sigmoid of all of it, xy = 2 s sigmoid + s (grid - 0.5) and
 * wh = 4 anchor sigmoid^2, the three levels concatenated into 25,200 rows of 85 at 640x640.
 * The decode is a task of its own on the GPU, as YOLOv8's (soc/zoo/zoo_nets.c); NMS is left
 * out (after the engine).
 */
#include "soc/zoo/zoo_int.h"

#define CONV(x, c2, k, s, ...) zb_conv(net, x, c2, k, s, 1, ZOO_ACT_SILU, __VA_ARGS__)

/* An ELAN block of the backbone (e.g. layers 4-11): two 1x1 Convs to c from the input, four
 * chained 3x3 Convs to c on the second, the concat of [last, second 3x3, second 1x1, first
 * 1x1] (4c), a 1x1 Conv to out. The head's version (e.g. 56-63) has 3x3 Convs of c/2 and
 * concatenates all six outputs (4 x c/2 + 2c). */
static zt_t elan(zoo_net_t *net, zt_t x, int64_t c, int64_t out, int head, int idx)
{
    int64_t c3 = head ? c / 2 : c;
    zt_t y;
    CONV(x, c, 1, 1, "model.%d", idx);
    y = CONV(x, c, 1, 1, "model.%d", idx + 1);
    for (int i = 0; i < 4; i++)
        y = CONV(y, c3, 3, 1, "model.%d", idx + 2 + i);
    y.c = head ? 4 * c3 + 2 * c : 4 * c;
    y = zb_concat(net, y, head ? 6 : 4, "model.%d", idx + 6);
    return CONV(y, out, 1, 1, "model.%d", idx + 7);
}

/* The down-sampling block (e.g. 12-16): MaxPool 2x2/2 then a 1x1 Conv to c, beside a 1x1
 * Conv to c and a 3x3/2 Conv to c; both concatenated with `extra` more channels (the head's
 * route from an earlier level, 0 in the backbone). */
static zt_t mp_block(zoo_net_t *net, zt_t x, int64_t c, int64_t extra, int idx)
{
    zt_t y = zb_pool(net, x, 2, 2, 0, 0, "model.%d", idx);
    CONV(y, c, 1, 1, "model.%d", idx + 1);
    y = CONV(x, c, 1, 1, "model.%d", idx + 2);
    y = CONV(y, c, 3, 2, "model.%d", idx + 3);
    y.c = 2 * c + extra;
    return zb_concat(net, y, extra ? 3 : 2, "model.%d", idx + 4);
}

/* SPPCSPC(c1, 512): c_ = 512; cv1 1x1, cv3 3x3, cv4 1x1; max-pools 5, 9 and 13 at stride 1
 * side by side; concat (4 c_); cv5 1x1, cv6 3x3; cv2 1x1 of the input; concat; cv7 1x1. */
static zt_t sppcspc(zoo_net_t *net, zt_t x, int64_t c2, int idx)
{
    static const int k[3] = {5, 9, 13};
    int64_t c = c2;
    zt_t y = CONV(x, c, 1, 1, "model.%d.cv1", idx);
    y = CONV(y, c, 3, 1, "model.%d.cv3", idx);
    y = CONV(y, c, 1, 1, "model.%d.cv4", idx);
    for (int i = 0; i < 3; i++)
        zb_pool(net, y, k[i], 1, k[i] / 2, 0, "model.%d.m.%d", idx, i);
    y.c = 4 * c;
    y = zb_concat(net, y, 4, "model.%d.cat1", idx);
    y = CONV(y, c, 1, 1, "model.%d.cv5", idx);
    y = CONV(y, c, 3, 1, "model.%d.cv6", idx);
    CONV(x, c, 1, 1, "model.%d.cv2", idx);
    y.c = 2 * c;
    y = zb_concat(net, y, 2, "model.%d.cat2", idx);
    return CONV(y, c2, 1, 1, "model.%d.cv7", idx);
}

/* Upsample 2x of x, beside a 1x1 Conv to c of the route r, concatenated. */
static zt_t up_cat(zoo_net_t *net, zt_t x, zt_t r, int64_t c, int idx)
{
    x = CONV(x, c, 1, 1, "model.%d", idx);
    x = zb_resize(net, x, 2, "model.%d", idx + 1);
    CONV(r, c, 1, 1, "model.%d", idx + 2);
    x.c = 2 * c;
    return zb_concat(net, x, 2, "model.%d", idx + 3);
}

int zoo_build_yolov7(zoo_net_t *net, const zoo_resolved_t *r, int variant)
{
    zt_t x = {r->batch, 3, r->img_h, r->img_w}, p3, p4, h63, h75, h88, h101, lv[3];
    int64_t anchors;
    (void)variant;
    zb_stage(net, "detector", ZOO_ROLE_MAIN, -1);
    x = CONV(x, 32, 3, 1, "model.0");
    x = CONV(x, 64, 3, 2, "model.1");                                  /* P1/2 */
    x = CONV(x, 64, 3, 1, "model.2");
    x = CONV(x, 128, 3, 2, "model.3");                                 /* P2/4 */
    x = elan(net, x, 64, 256, 0, 4);
    x = mp_block(net, x, 128, 0, 12);                                  /* P3/8 */
    p3 = x = elan(net, x, 128, 512, 0, 17);
    x = mp_block(net, x, 256, 0, 25);                                  /* P4/16 */
    p4 = x = elan(net, x, 256, 1024, 0, 30);
    x = mp_block(net, x, 512, 0, 38);                                  /* P5/32 */
    x = elan(net, x, 256, 1024, 0, 43);
    x = sppcspc(net, x, 512, 51);
    /* head: top-down */
    x = up_cat(net, x, p4, 256, 52);
    h63 = x = elan(net, x, 256, 256, 1, 56);
    x = up_cat(net, x, p3, 128, 64);
    h75 = x = elan(net, x, 128, 128, 1, 68);
    /* bottom-up: concat with layers 63 and 51 */
    x = mp_block(net, x, 128, h63.c, 76);
    h88 = x = elan(net, x, 256, 256, 1, 81);
    x = mp_block(net, x, 256, 512, 89);
    h101 = elan(net, x, 512, 512, 1, 94);
    /* RepConv (fused: one 3x3 conv), then Detect's 1x1 conv to 3 x 85 per level */
    lv[0] = CONV(h75, 256, 3, 1, "model.102");
    lv[1] = CONV(h88, 512, 3, 1, "model.103");
    lv[2] = CONV(h101, 1024, 3, 1, "model.104");
    for (int i = 0; i < 3; i++)
        lv[i] = zb_conv(net, lv[i], 3 * 85, 1, 1, 1, ZOO_ACT_NONE, "model.105.m.%d", i);
    anchors = 3 * (lv[0].h * lv[0].w + lv[1].h * lv[1].w + lv[2].h * lv[2].w);

    zb_stage(net, "decode", ZOO_ROLE_GPU, 0);
    {
        /* point-wise float math after the last int8 conv: the engine's fallback type */
        dtype_t layers = net->dtype;
        zt_t all = {r->batch, 85, 1, anchors}, two = {r->batch, 2, 1, anchors};
        if (layers == DT_INT8)
            net->dtype = r->fallback;
        zb_act(net, all, ZOO_ACT_SIGMOID, "model.105.sigmoid");
        zb_eltwise(net, two, 2, 1, ZOO_ACT_NONE, "model.105.xy_mul");
        zb_eltwise(net, two, 2, 0, ZOO_ACT_NONE, "model.105.xy_add");
        zb_eltwise(net, two, 2, 1, ZOO_ACT_NONE, "model.105.wh_square");
        zb_eltwise(net, two, 2, 1, ZOO_ACT_NONE, "model.105.wh_anchor");
        zb_concat(net, all, 3, "model.105.cat");
        net->dtype = layers;
    }
    zb_note(net, "Deploy graph: RepConv fused into one 3x3 conv; batch-norm folded into each "
                 "conv. SiLU is fused into its conv on the GPU and written as an activation op "
                 "on a DLA.");
    zb_note(net, "Task decode: sigmoid, box arithmetic and concatenation of the %lld anchor "
                 "rows (3 per cell); NMS is left out.", (long long)anchors);
    return 0;
}
