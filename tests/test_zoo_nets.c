/*
 * Totals of the zoo's networks added from the public Orin measurements (soc/zoo/zoo_resnet.c,
 * soc/zoo/zoo_yolov7.c, soc/zoo/zoo_evit.c; docs/zoo.md): each network, built from its
 * published definition, must have the multiply-accumulates and parameters its authors
 * publish, or that its definition gives when worked out by hand (the arithmetic is in the
 * comments), and YOLOv7's decode is typed as its engine builds it. The other networks'
 * totals are in test_zoo.c.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/zoo/zoo.h"
#include "zoo_totals.h"

START_TEST(basic_block_resnet_totals)
{
    double macs, params;
    /* torchvision resnet18: 1.81 GMAC ("GFLOPS" column, multiply-adds), 11,689,512
     * parameters with batch-norm. Folding leaves one bias per BN channel: 64 + 4*64 +
     * (4*128 + 128) + (4*256 + 256) + (4*512 + 512) = 4,800 BN channels, so 11,684,712. */
    totals("resnet18", 1, &macs, &params);
    ck_assert_near(macs, 1.81e9, 0.005);
    ck_assert_near(params, 11684712, 1e-9);
    /* resnet34: 3.66 GMAC, 21,797,672 parameters; BN channels 64 + 6*64 + (8*128 + 128) +
     * (12*256 + 256) + (6*512 + 512) = 8,512, so 21,789,160 folded. */
    totals("resnet34", 1, &macs, &params);
    ck_assert_near(macs, 3.66e9, 0.005);
    ck_assert_near(params, 21789160, 1e-9);
    /* The trunk alone: without fc (512 x 1000 + 1000 = 513,000), 21,276,160. Its work at
     * 768x1280 is the 224x224 network's conv work scaled by the plane: every map is
     * (768 x 1280) / (224 x 224) = 19.59 times larger, exactly where 224 and 768x1280
     * halve alike (224 -> 7 at stride 32 is 7 x 7; 768x1280 -> 24 x 40): the ratio of the
     * output planes, 24 x 40 / 49 = 19.592, holds for every conv after the stem. 3.664 GMAC
     * less the fc's 0.512 M gives 3.6635 G; x 19.592 = 71.77 G. */
    totals("resnet34-backbone", 1, &macs, &params);
    ck_assert_near(params, 21276160, 1e-9);
    ck_assert_near(macs, 71.77e9, 0.002);
}
END_TEST


START_TEST(ssd_resnet34_totals)
{
    double macs, params;
    /* MLPerf's SSD-ResNet34 at 1200x1200: "433 GOPS" per input in the MLPerf Inference
     * paper (Reddi et al. 2019, arXiv:1911.02549, Table 1), counting a multiply-add as two
     * operations: 216.5 GMAC. Parameters, from ssd_r34.py: ResNet-34 conv1 .. layer3
     * folded 8,165,376; the extra blocks 1x1 + 3x3 with bias (256->256->512, 512->256->512,
     * 512->128->256, 256->128->256, 256->128->256) 3,574,400; the head convs, 3x3 from
     * (256, 512, 512, 256, 256, 256) channels to 85 x (4, 6, 6, 6, 4, 4) filters with bias,
     * 8,227,830: 19,967,606 in all. */
    totals("ssd-resnet34", 1, &macs, &params);
    ck_assert_near(macs, 216.5e9, 0.002);
    ck_assert_near(params, 19967606, 1e-9);
}
END_TEST


START_TEST(yolov7_totals)
{
    double macs, params, m320, p320;
    /* YOLOv7 (arXiv:2207.02696, Table 1): 36.9M parameters, 104.7 GFLOPs at 640, for the
     * training model (RepConv's 3x3 and 1x1 branches, implicit layers). The fused model
     * that yolov7's test.py prints ("Fusing layers... Model Summary: 36,905,341
     * parameters, 104.5 GFLOPS"; GFLOPs are 2 x thop's MACs) is the deploy graph: one bias
     * per conv, RepConv as one 3x3. */
    totals("yolov7", 1, &macs, &params);
    ck_assert_near(params, 36905341, 1e-9);
    ck_assert_msg(fabs(2 * macs / 1e9 - 104.5) <= 0.05, "yolov7: %.3f GFLOPs", 2 * macs / 1e9);
    ck_assert_near(2 * macs / 1e9, 104.7, 0.005);
    /* At 320x320 every map has a quarter of the cells: a quarter of the work, the same
     * weights, and 3 x (40^2 + 20^2 + 10^2) = 6,300 anchor rows instead of 25,200. */
    {
        zoo_options_t o;
        diag_t d;
        memset(&o, 0, sizeof o);
        o.img_h = o.img_w = 320;
        diag_clear(&d);
        ck_assert_int_eq(zoo_totals("yolov7", &o, &m320, &p320, &d), 0);
        ck_assert_near(m320, macs / 4, 1e-9);
        ck_assert_near(p320, params, 1e-12);
    }
}
END_TEST


START_TEST(efficientvit_totals)
{
    /* mit-han-lab/efficientvit applications/efficientvit_cls/README.md and
     * efficientvit_seg/README.md: params (M) and MACs (G) as published, rounded to the
     * digits shown; the zoo's MACs include LiteMLA's two matrix products per head, as the
     * README's counts do (without them B1 at 224 is 0.511 G, not 0.52). Parameters are
     * compared with batch-norm folded (one bias where BN had two), within the rounding. */
    static const struct { const char *name; int h, w; double params_m, gmacs; double pq, mq; } refs[] = {
        {"efficientvit-b1", 224, 224, 9.1, 0.52, 0.05, 0.005},
        {"efficientvit-b1", 256, 256, 9.1, 0.68, 0.05, 0.005},
        {"efficientvit-b1", 288, 288, 9.1, 0.86, 0.05, 0.005},
        {"efficientvit-b2", 224, 224, 24, 1.6, 0.5, 0.05},
        {"efficientvit-b2", 256, 256, 24, 2.1, 0.5, 0.05},
        {"efficientvit-b2", 288, 288, 24, 2.6, 0.5, 0.05},
        {"efficientvit-b3", 224, 224, 49, 4.0, 0.5, 0.05},
        {"efficientvit-b3", 256, 256, 49, 5.2, 0.5, 0.05},
        {"efficientvit-b3", 288, 288, 49, 6.5, 0.5, 0.05},
        {"efficientvit-seg-b0-cityscapes", 0, 0, 0.7, 4.4, 0.05, 0.05},
        {"efficientvit-seg-b1-cityscapes", 0, 0, 4.8, 25, 0.05, 0.5},
        {"efficientvit-seg-b2-cityscapes", 0, 0, 15, 74, 0.5, 0.5},
        {"efficientvit-seg-b3-cityscapes", 0, 0, 40, 179, 0.5, 0.5},
        {"efficientvit-seg-b1-ade20k", 0, 0, 4.8, 3.1, 0.05, 0.05},
        {"efficientvit-seg-b2-ade20k", 0, 0, 15, 9.1, 0.5, 0.05},
        /* 39M here and 40M for Cityscapes, whose head has 56,957 more parameters (a 1x1
         * 128 -> 512 conv, and 19 classes from 512 instead of 150 from 128): no pair that
         * close rounds to both at the nearest million unless it straddles 39.5; the zoo's
         * 39.52 / 39.58 sit 0.02-0.08 M above that, so 39 is allowed 0.55. */
        {"efficientvit-seg-b3-ade20k", 0, 0, 39, 22, 0.55, 0.5},
    };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        zoo_options_t o;
        diag_t d;
        double macs, params;
        memset(&o, 0, sizeof o);
        o.img_h = refs[i].h;
        o.img_w = refs[i].w;
        diag_clear(&d);
        ck_assert_msg(zoo_totals(refs[i].name, &o, &macs, &params, &d) == 0, "%s", d.msg);
        ck_assert_msg(fabs(params / 1e6 - refs[i].params_m) <= refs[i].pq, "%s: %.3f M params, "
                      "published %g", refs[i].name, params / 1e6, refs[i].params_m);
        ck_assert_msg(fabs(macs / 1e9 - refs[i].gmacs) <= refs[i].mq, "%s at %d: %.3f GMAC, "
                      "published %g", refs[i].name, refs[i].h, macs / 1e9, refs[i].gmacs);
    }
    /* B1 exactly, from backbone.py and cls.py with BN folded: stem 880 (3x3/2 to 16, DSConv
     * 16), stage 1 13,440 and stage 2 85,056 (MBConvs, expand 4), stage 3 755,968 (MBConv
     * 64 -> 128: 52,096, and 3 EfficientViT blocks of 234,624), stage 4 3,783,424 (MBConv
     * 128 -> 256: 202,496, and 4 blocks of 895,232), head 4,456,552 (1x1 256 -> 1536 with
     * bias, linear 1536 x 1600 without bias, layer norm 2 x 1600, linear 1600 x 1000 + 1000):
     * 9,095,320. A block of c = 128, dim 16 (8 heads): qkv 128 x 384, the 5x5 depthwise 384 x
     * 25, the grouped 1x1 384 x 16 (none with bias), proj 256 x 128 + 128, MBConv 128 -> 512
     * -> 128 (65,536 + 512 + 4,608 + 512 + 65,536 + 128) = 234,624. */
    {
        double macs, params;
        totals("efficientvit-b1", 1, &macs, &params);
        ck_assert_near(params, 9095320, 1e-9);
    }
}
END_TEST

/* The line of op `name` in a trace written with these options (free it), or NULL. */
static char *op_line(const char *net, const zoo_options_t *o, const char *name)
{
    char *buf = NULL, *line = NULL, *at, *end;
    size_t len = 0;
    diag_t d;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    diag_clear(&d);
    ck_assert_msg(zoo_emit(f, net, o, &d) == 0, "%s: %s", net, d.msg);
    fclose(f);
    at = strstr(buf, name);
    if (at != NULL) {
        end = strchr(at, '\n');
        line = strndup(at, end ? (size_t)(end - at) : strlen(at));
    }
    free(buf);
    return line;
}

START_TEST(yolov7_decode_runs_in_the_fallback_type)
{
    /* An INT8 YOLOv7 engine ends its last INT8 layer at Detect's 1x1 convs; the sigmoid
     * and box arithmetic after them run in the engine's float type: FP16 for an INT8+FP16
     * build (yolo_deepstream's `--int8 --fp16`, the default), FP32 with the INT8 flag
     * alone. The convs stay INT8; an FP16 engine is FP16 throughout. */
    zoo_options_t o;
    char *l;
    memset(&o, 0, sizeof o);
    o.dtype = DT_INT8;
    o.dtype_set = 1;
    l = op_line("yolov7", &o, "model.105.sigmoid");
    ck_assert_ptr_nonnull(l);
    ck_assert_msg(strstr(l, "dtype: fp16") != NULL, "%s", l);
    free(l);
    l = op_line("yolov7", &o, "model.105.m.2,");
    ck_assert_ptr_nonnull(l);
    ck_assert_msg(strstr(l, "dtype: int8") != NULL, "%s", l);
    free(l);
    o.fallback = DT_FP32;
    o.fallback_set = 1;
    l = op_line("yolov7", &o, "model.105.wh_anchor");
    ck_assert_ptr_nonnull(l);
    ck_assert_msg(strstr(l, "dtype: fp32") != NULL, "%s", l);
    free(l);
}
END_TEST

static Suite *nets_suite(void)
{
    Suite *s = suite_create("zoo_nets");
    TCase *t = tcase_create("totals");
    tcase_add_test(t, basic_block_resnet_totals);
    tcase_add_test(t, ssd_resnet34_totals);
    tcase_add_test(t, yolov7_totals);
    tcase_add_test(t, efficientvit_totals);
    tcase_add_test(t, yolov7_decode_runs_in_the_fallback_type);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(nets_suite());
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
