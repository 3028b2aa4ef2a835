/*
 * Tests of the zoo's --imgsz (soc/zoo/zoo.c, docs/zoo.md): a CNN built at another input
 * size has the same layers and parameters, and work that follows the image.
 *
 * A convolution's multiply-accumulates are N x K x OH x OW x C/groups x R x S, so at a
 * fixed channel plan they scale with the output plane. Where every stride divides the
 * input (a multiple of 32 here), each plane scales exactly as H x W does; the layers that
 * do not follow the plane are written out: ResNet-50's fc (2048 x 1000 MACs whatever the
 * input) and YOLO11's C2PSA attention (heads x seq^2 x 96, seq = the P5 plane).
 * The option's bad values are refused in test_zoo.c (bad_options).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/zoo/zoo.h"

static void totals_at(const char *name, int64_t h, int64_t w, double *macs, double *params)
{
    zoo_options_t o;
    diag_t d;
    memset(&o, 0, sizeof o);
    o.img_h = h;
    o.img_w = w;
    diag_clear(&d);
    ck_assert_msg(zoo_totals(name, &o, macs, params, &d) == 0, "%s: %s", name, d.msg);
}

static char *emit_at(const char *name, int64_t h, int64_t w)
{
    zoo_options_t o;
    diag_t d;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    memset(&o, 0, sizeof o);
    o.img_h = h;
    o.img_w = w;
    diag_clear(&d);
    ck_assert_msg(zoo_emit(f, name, &o, &d) == 0, "%s: %s", name, d.msg);
    fclose(f);
    return buf;
}

/* ResNet-50 at 448 against 224: every plane doubles on each side (224 -> 112 -> 56 ... 7;
 * 448 -> 224 ... 14), so every conv does 4x the work; the global pool leaves the fc at
 * 2048 x 1000 = 2,048,000 MACs. macs(448) = 4 x (macs(224) - fc) + fc. */
START_TEST(resnet50_convs_scale_with_the_plane)
{
    double m224, p224, m448, p448;
    const double fc = 2048.0 * 1000;
    totals_at("resnet50", 224, 224, &m224, &p224);
    totals_at("resnet50", 448, 448, &m448, &p448);
    ck_assert_double_eq(m448, 4 * (m224 - fc) + fc);
    ck_assert_double_eq(p448, p224);
}
END_TEST

/* YOLOv8n has only convs (and their decode's 1x1 DFL conv over the anchors), all
 * following the planes: 320 -> x 1/4 exactly; 384x640 -> x (384 x 640) / 640^2 = 3/5. */
START_TEST(yolov8_work_scales_with_h_times_w)
{
    double m640, p640, m320, p320, mrect, prect;
    totals_at("yolov8n", 640, 640, &m640, &p640);
    totals_at("yolov8n", 320, 320, &m320, &p320);
    totals_at("yolov8n", 384, 640, &mrect, &prect);
    ck_assert_double_eq(4 * m320, m640);
    ck_assert_double_eq(5 * mrect, 3 * m640);
    ck_assert_double_eq(p320, p640);
    ck_assert_double_eq(prect, p640);
}
END_TEST

/* YOLO11n: C2PSA at P5 has c = 256 / 2 = 128 channels, 2 heads of 64, one PSA block
 * (n = round(2 x 0.5) = 1); its attention is heads x seq^2 x 96 MACs with seq = P5's plane:
 * 20^2 = 400 at 640 (30,720,000 MACs), 10^2 = 100 at 320 (1,920,000). The rest scales
 * as the plane. */
START_TEST(yolo11_attention_scales_with_the_square_of_the_plane)
{
    double m640, p640, m320, p320;
    const double a640 = 2.0 * 400 * 400 * 96, a320 = 2.0 * 100 * 100 * 96;
    totals_at("yolo11n", 640, 640, &m640, &p640);
    totals_at("yolo11n", 320, 320, &m320, &p320);
    ck_assert_double_eq(a640, 30720000.0);
    ck_assert_double_eq(m640 - a640, 4 * (m320 - a320));
    ck_assert_double_eq(p320, p640);
}
END_TEST

/* The decode takes one anchor per cell of the three levels: at 384x640 that is
 * 48 x 80 + 24 x 40 + 12 x 20 = 3840 + 960 + 240 = 5040 (8400 at 640x640). The trace
 * names the size; the default size written out is the same trace as no option. */
START_TEST(yolo_decode_counts_the_anchors_of_the_input)
{
    char *rect = emit_at("yolo11n", 384, 640), *dflt = emit_at("yolo11n", 0, 0);
    char *same = emit_at("yolo11n", 640, 640);
    ck_assert_ptr_nonnull(strstr(rect, "input: [1, 16, 4, 5040]"));
    ck_assert_ptr_nonnull(strstr(rect, "--imgsz 384x640"));
    ck_assert_ptr_nonnull(strstr(rect, "name: yolo11n-fp16-gpu-b1-384x640"));
    ck_assert_ptr_nonnull(strstr(rect, "input: [1, 3, 384, 640]"));
    ck_assert_ptr_nonnull(strstr(dflt, "input: [1, 16, 4, 8400]"));
    ck_assert_ptr_null(strstr(dflt, "--imgsz"));
    ck_assert_str_eq(same, dflt);
    free(rect);
    free(dflt);
    free(same);
}
END_TEST

/* Every CNN of the zoo takes the option; doubling both sides of a default input at least
 * triples the work (planes that round up grow by a bit less than 4x at odd sizes, e.g.
 * SSD's 300 -> 150 -> 75 -> 38) and at most quadruples it plus what attention adds. */
START_TEST(every_cnn_takes_imgsz)
{
    static const struct { const char *name; int64_t size; } cnn[] = {
        {"resnet50", 224}, {"ssd-mobilenet", 300}, {"retinanet", 800}, {"yolov8s", 640},
        {"yolo11s", 640}};
    for (size_t i = 0; i < sizeof cnn / sizeof cnn[0]; i++) {
        double m1, p1, m2, p2;
        totals_at(cnn[i].name, cnn[i].size, cnn[i].size, &m1, &p1);
        totals_at(cnn[i].name, 2 * cnn[i].size, 2 * cnn[i].size, &m2, &p2);
        ck_assert_msg(m2 > 3 * m1 && m2 < 4.2 * m1, "%s: %g -> %g", cnn[i].name, m1, m2);
        ck_assert_double_eq(p2, p1);
    }
}
END_TEST

static Suite *imgsz_suite(void)
{
    Suite *s = suite_create("zoo_imgsz");
    TCase *t = tcase_create("imgsz");
    tcase_add_test(t, resnet50_convs_scale_with_the_plane);
    tcase_add_test(t, yolov8_work_scales_with_h_times_w);
    tcase_add_test(t, yolo11_attention_scales_with_the_square_of_the_plane);
    tcase_add_test(t, yolo_decode_counts_the_anchors_of_the_input);
    tcase_add_test(t, every_cnn_takes_imgsz);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(imgsz_suite());
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
