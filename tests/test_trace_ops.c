/*
 * Trace format: network layers, vision primitives and the task options for DLA and PVA
 * tasks (fallback, io_format, memory), with their defaults and errors.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/trace/trace.h"

static int parse(const char *yaml, trace_t *t, diag_t *d)
{
    diag_clear(d);
    return trace_parse("t.yaml", yaml, strlen(yaml), t, d);
}

/* Parse a one-task trace holding `op` on `engine` (the op's text starts at line 6,
 * column 9) and return its first op. */
static trace_op_t one(const char *engine, const char *op)
{
    char y[1024];
    trace_t t;
    diag_t d;
    trace_op_t o;
    snprintf(y, sizeof y, "orinsim: 1\ntasks:\n  - id: a\n    engine: %s\n    ops:\n      - %s\n",
             engine, op);
    if (parse(y, &t, &d) != 0) {
        diag_print(&d);
        ck_abort_msg("parse failed: %s", op);
    }
    o = t.tasks[0].ops[0];
    trace_free(&t);
    return o;
}

static void expect_error(const char *yaml, int line, int col, const char *phrase)
{
    trace_t t;
    diag_t d;
    ck_assert_int_eq(parse(yaml, &t, &d), DIAG_ERR);
    ck_assert_msg(d.line == line && d.col == col, "expected %d:%d, got %d:%d (%s)", line, col,
                  d.line, d.col, d.msg);
    ck_assert_msg(strstr(d.msg, phrase) != NULL, "expected '%s' in: %s", phrase, d.msg);
    trace_free(&t);
}

#define TASK(engine, extra, op)                                                                \
    "orinsim: 1\ntasks:\n  - id: a\n    engine: " engine "\n" extra "    ops:\n      - " op "\n"

START_TEST(layers_parse_with_defaults)
{
    trace_op_t o;
    o = one("dla0", "{op: pool, input: [1, 64, 112, 112], kernel: 3, stride: 2, padding: 1}");
    ck_assert_int_eq(o.kind, OP_POOL);
    /* (112 + 2 x 1 - 3) / 2 + 1 = 56 */
    ck_assert_int_eq(o.u.layer.out_h, 56);
    ck_assert_int_eq(o.u.layer.mode, 0);   /* max */
    o = one("gpu", "{op: pool, input: [1, 2048, 7, 7], global: true, mode: avg}");
    ck_assert_int_eq(o.u.layer.kh, 7);
    ck_assert_int_eq(o.u.layer.out_h, 1);
    ck_assert_int_eq(o.u.layer.mode, 1);
    o = one("dla", "{op: fc, input: [2, 2048], outputs: 1000, dtype: int8}");
    ck_assert_int_eq(o.kind, OP_FC);
    ck_assert_int_eq(o.u.layer.c, 2048);
    ck_assert_int_eq(o.u.layer.h, 1);
    ck_assert_int_eq(o.u.layer.outputs, 1000);
    o = one("dla1", "{op: activation, input: [1, 8, 4, 4], function: sigmoid}");
    ck_assert_int_eq(o.u.layer.function, ACT_SIGMOID);
    o = one("dla1", "{op: activation, input: [1, 8, 4, 4]}");
    ck_assert_int_eq(o.u.layer.function, ACT_RELU);
    o = one("gpu", "{op: eltwise, input: [1, 8, 4, 4]}");
    ck_assert_int_eq(o.u.layer.inputs, 2);
    ck_assert_int_eq(o.u.layer.function, ELT_ADD);
    o = one("gpu", "{op: scale, input: [1, 8, 4, 4]}");
    ck_assert_int_eq(o.kind, OP_BATCHNORM);
    o = one("gpu", "{op: concat, input: [1, 96, 4, 4], inputs: 3}");
    ck_assert_int_eq(o.u.layer.inputs, 3);
    o = one("gpu", "{op: resize, input: [1, 8, 20, 20]}");
    ck_assert_int_eq(o.kind, OP_RESIZE);
    ck_assert_int_eq(o.u.layer.out_h, 40);   /* default scale 2 */
    o = one("gpu", "{op: resize, input: [1, 8, 20, 20], output: [30, 50], mode: bilinear}");
    ck_assert_int_eq(o.u.layer.out_w, 50);
    ck_assert_int_eq(o.u.layer.mode, 1);
    o = one("gpu", "{op: softmax, input: [1, 1000, 1, 1]}");
    ck_assert_int_eq(o.u.layer.axis, 0);
    o = one("dla0", "{op: deconv, input: [1, 64, 20, 20], filters: 32, kernel: 4, stride: 2, "
                    "dtype: int8, sparsity: \"2:4\"}");
    ck_assert_int_eq(o.kind, OP_DECONV);
    ck_assert_int_eq(o.sparse, 1);
}
END_TEST

START_TEST(gpu_op_extensions)
{
    trace_op_t o = one("gpu", "{op: gemm, m: 1, n: 4096, k: 4096, weight_dtype: int4}");
    ck_assert_int_eq(o.u.gemm.weight_dtype, DT_INT4);
    ck_assert_int_eq(o.u.gemm.weights, 1);
    /* Group-wise quantisation: an fp16 scale per 32 int4 weights along k adds 2 / 32 B per
     * weight: 0.5 + 0.0625 = 0.5625 B. With k = 100, ceil(100 / 32) = 4 groups per column:
     * 0.5 + 2 x 4 / 100 = 0.58 B. */
    o = one("gpu", "{op: gemm, m: 1, n: 4096, k: 4096, weight_dtype: int4, quant_group: 32}");
    ck_assert_int_eq(o.u.gemm.quant_group, 32);
    ck_assert_double_eq_tol(trace_gemm_b_bytes(&o), 0.5625, 1e-12);
    o = one("gpu", "{op: gemm, m: 1, n: 8, k: 100, weight_dtype: int4, quant_group: 32}");
    ck_assert_double_eq_tol(trace_gemm_b_bytes(&o), 0.58, 1e-12);
    o = one("gpu", "{op: gemm, m: 64, n: 64, k: 64, weights: false}");
    ck_assert_double_eq_tol(trace_gemm_b_bytes(&o), 2.0, 1e-12);   /* fp16, no scales */
    ck_assert_int_eq(o.u.gemm.weight_dtype, DT_FP16);   /* defaults to dtype */
    ck_assert_int_eq(o.u.gemm.weights, 0);
    o = one("gpu", "{op: attention, heads: 64, kv_heads: 8, seq_q: 1, seq_kv: 512, head_dim: 128}");
    ck_assert_int_eq(o.u.attn.kv_heads, 8);
    o = one("gpu", "{op: attention, heads: 32, seq_q: 1, seq_kv: 512, head_dim: 128}");
    ck_assert_int_eq(o.u.attn.kv_heads, 32);
}
END_TEST

START_TEST(vision_ops_parse)
{
    trace_op_t o = one("pva", "{op: color_convert, image: [1920, 1080]}");
    ck_assert_int_eq(o.kind, OP_COLOR_CONVERT);
    ck_assert_int_eq(o.u.image.width, 1920);
    ck_assert_int_eq(o.u.image.height, 1080);
    o = one("pva", "{op: resize, image: [1920, 1080], output: [640, 640]}");
    ck_assert_int_eq(o.kind, OP_IMAGE_RESIZE);
    ck_assert_int_eq(o.u.image.out_height, 640);
    o = one("pva", "{op: gaussian, image: [640, 480]}");
    ck_assert_int_eq(o.u.image.kernel, 5);
    o = one("pva", "{op: stereo, image: [1280, 720]}");
    ck_assert_int_eq(o.u.image.disparities, 128);
    o = one("pva", "{op: vpu, image: [64, 64], cycles: 1e6, bytes: 1MiB}");
    ck_assert(o.u.image.cycles == 1e6);
    ck_assert(o.u.image.bytes == 1048576.0);
    o = one("gpu", "{op: harris, image: [640, 480]}");   /* vision ops run on the GPU too */
    ck_assert_int_eq(o.kind, OP_HARRIS);
}
END_TEST

START_TEST(task_options)
{
    trace_t t;
    diag_t d;
    const char *y = TASK("dla", "    fallback: gpu\n    io_format: native\n"
                                "    memory: {weights: 1GiB, kv_cache: 2MiB, buffers: 3MB}\n",
                         "{op: conv, input: [1, 8, 8, 8], filters: 8, kernel: 1}");
    ck_assert_int_eq(parse(y, &t, &d), 0);
    ck_assert_int_eq(t.tasks[0].fallback, FALLBACK_GPU);
    ck_assert_int_eq(t.tasks[0].io_native, 1);
    ck_assert(t.tasks[0].memory.weights == 1073741824.0);
    ck_assert(t.tasks[0].memory.kv_cache == 2097152.0);
    ck_assert(t.tasks[0].memory.buffers == 3e6);
    trace_free(&t);
    ck_assert_int_eq(parse(TASK("gpu", "", "{op: conv, input: [1, 8, 8, 8], filters: 8, kernel: 1}"),
                           &t, &d), 0);
    ck_assert_int_eq(t.tasks[0].fallback, FALLBACK_NONE);
    ck_assert_int_eq(t.tasks[0].io_native, 0);
    trace_free(&t);
}
END_TEST

START_TEST(errors)
{
    /* Positions: the op starts at line 6 (7 or 8 with option lines), column 9. */
    expect_error(TASK("pva", "", "{op: conv, input: [1, 8, 8, 8], filters: 8, kernel: 1}"), 6, 9,
                 "the pva runs vision ops");
    expect_error(TASK("dla0", "", "{op: fast, image: [64, 64]}"), 6, 9,
                 "vision ops run on pva or gpu");
    expect_error(TASK("gpu", "    fallback: gpu\n", "{op: gemm, m: 1, n: 1, k: 1}"), 5, 15,
                 "fallback applies to dla and pva tasks");
    expect_error(TASK("pva", "    io_format: native\n", "{op: fast, image: [64, 64]}"), 5, 16,
                 "io_format applies to dla tasks");
    expect_error(TASK("dla", "    fallback: cpu\n", "{op: gemm, m: 1, n: 1, k: 1}"), 5, 15,
                 "unknown fallback 'cpu'");
    expect_error(TASK("dla", "    memory: {weight: 1GiB}\n", "{op: gemm, m: 1, n: 1, k: 1}"), 5,
                 14, "unknown key 'weight' in task memory");
    expect_error(TASK("dla", "    memory: {weights: 1}\n", "{op: gemm, m: 1, n: 1, k: 1}"), 5, 23,
                 "missing unit");
    expect_error(TASK("gpu", "", "{op: activation, input: [1, 8, 4, 4], function: swish}"), 6, 57,
                 "unknown activation function 'swish' (expected one of: relu");
    expect_error(TASK("gpu", "",
                      "{op: conv, input: [1, 8, 4, 4], filters: 8, kernel: 1, activation: swish}"),
                 6, 76, "unknown conv activation 'swish' (expected one of: relu");
    expect_error(TASK("gpu", "", "{op: pool, input: [1, 8, 4, 4]}"), 6, 9,
                 "missing required field 'kernel'");
    expect_error(TASK("gpu", "", "{op: pool, input: [1, 8, 4, 4], kernel: 9}"), 6, 49,
                 "larger than the padded input");
    expect_error(TASK("gpu", "", "{op: fc, input: [1, 8, 4], outputs: 3}"), 6, 25,
                 "expected [N, C, H, W] or [N, C]");
    expect_error(TASK("gpu", "", "{op: resize, input: [1, 8, 4, 4], scale: 2, output: [8, 8]}"),
                 6, 53, "either scale or output");
    expect_error(TASK("pva", "", "{op: resize, image: [64, 64]}"), 6, 9,
                 "missing required field 'output'");
    expect_error(TASK("pva", "", "{op: gaussian, image: [64, 64], kernel: 4}"), 6, 49,
                 "must be odd");
    expect_error(TASK("pva", "", "{op: vpu, image: [64, 64]}"), 6, 9,
                 "needs cycles_per_pixel or cycles");
    expect_error(TASK("pva", "", "{op: color_convert, image: 640}"), 6, 36,
                 "expected [width, height]");
    expect_error(TASK("gpu", "", "{op: gemm, m: 1, n: 8, k: 8, dtype: int8, weight_dtype: fp16}"),
                 6, 65, "wider than the math dtype");
    expect_error(TASK("gpu", "", "{op: gemm, m: 1, n: 8, k: 8, quant_group: 4}"), 6, 51,
                 "quant_group needs quantised weights");
    expect_error(TASK("gpu", "", "{op: gemm, m: 1, n: 8, k: 8, weight_dtype: int4, quant_group: 9}"),
                 6, 71, "quant_group = 9 is out of range (expected 1 to 8)");
    expect_error(TASK("gpu", "", "{op: attention, heads: 32, kv_heads: 5, seq_q: 1, head_dim: 64}"),
                 6, 46, "must divide heads");
    expect_error(TASK("gpu", "", "{op: pool, input: [1, 8, 4, 4], kernel: 2, sparsity: \"2:4\"}"),
                 6, 52, "sparsity applies only to gemm, conv, deconv and fc");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("trace_ops");
    TCase *tc = tcase_create("ops");
    tcase_add_test(tc, layers_parse_with_defaults);
    tcase_add_test(tc, gpu_op_extensions);
    tcase_add_test(tc, vision_ops_parse);
    tcase_add_test(tc, task_options);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
