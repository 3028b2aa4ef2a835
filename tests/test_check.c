/*
 * test_check: the parts of `orinsim check` and `orinsim compare` that need no GPU.
 *
 * Per-SM tables are checked against the vendors' published peaks through the arithmetic
 * of configs/gpus/README.md (FLOP/s = SMs x FLOP/clk/SM x clock); a device description
 * against the same arithmetic and DRAM bytes/s = bus_bits / 8 x 2 x memory clock; one-op
 * predictions against their roofline bounds; MAPE against hand-computed means; and the
 * measurement file against a round trip and every error it reports. The files under
 * tests/data/check/ are synthetic (their headers say so): they test the code, not the
 * model. Real measurements are tested by tests/cli/check_measured.sh.
 */
#define _POSIX_C_SOURCE 200809L   /* setenv, mkstemp */

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "soc/measure/check.h"
#include "soc/trace/trace.h"

#define SYNTHETIC ORINSIM_SOURCE_DIR "/tests/data/check/synthetic-sm90.yaml"

static void setup(void)
{
    setenv("ORINSIM_CONFIG_DIR", ORINSIM_SOURCE_DIR "/configs", 1);
}

static void fail_diag(const char *what, const diag_t *d)
{
    char msg[2048];
    diag_format(d, msg, sizeof msg);
    ck_abort_msg("%s: %s", what, msg);
}

/* What an H100 SXM5 reports (cudaGetDeviceProperties). */
static check_device_t h100(void)
{
    check_device_t v;
    memset(&v, 0, sizeof v);
    snprintf(v.name, sizeof v.name, "NVIDIA H100 80GB HBM3");
    v.cc_major = 9;
    v.cc_minor = 0;
    v.sms = 132;
    v.sm_clock_hz = 1980e6;
    v.mem_clock_hz = 2619e6;
    v.mem_bus_bits = 5120;
    v.l2_bytes = 50.0 * 1048576;
    v.total_mem = 79.1 * 1073741824.0;
    v.max_threads_sm = 2048;
    v.max_ctas_sm = 32;
    v.max_threads_cta = 1024;
    v.regs_sm = 65536;
    v.warp_size = 32;
    v.smem_sm = 228 * 1024;
    v.smem_cta_max = 227 * 1024;
    v.smem_cta_reserved = 1024;
    return v;
}

static void describe_ok(const check_device_t *v, sku_t *sku, soc_config_t *cfg)
{
    diag_t d;
    diag_clear(&d);
    if (check_describe(v, sku, cfg, &d) != 0)
        fail_diag("check_describe", &d);
}

static trace_op_t parse_op(const char *flow)
{
    char buf[1024];
    trace_t t;
    trace_op_t op;
    diag_t d;
    snprintf(buf, sizeof buf, "orinsim: 1\ntasks:\n  - id: t\n    engine: gpu\n    ops:\n      - %s\n",
             flow);
    diag_clear(&d);
    if (trace_parse("op.yaml", buf, strlen(buf), &t, &d) != 0)
        fail_diag(flow, &d);
    ck_assert_int_eq(t.tasks[0].nops, 1);
    op = t.tasks[0].ops[0];
    trace_free(&t);
    return op;
}

/* ---- tables ---- */

START_TEST(tables_load_and_match_published_peaks)
{
    static const int ccs[][2] = {{8, 0}, {8, 6}, {8, 7}, {8, 9}, {9, 0}};
    check_table_t t;
    diag_t d;
    for (size_t i = 0; i < sizeof ccs / sizeof ccs[0]; i++) {
        diag_clear(&d);
        if (check_table_load(ccs[i][0], ccs[i][1], &t, &d) != 0)
            fail_diag("table", &d);
        ck_assert_int_eq(t.cc_major, ccs[i][0]);
        ck_assert_int_eq(t.cc_minor, ccs[i][1]);
        ck_assert(t.gpu.cuda_flops_per_clk[DT_FP32] > 0);
        ck_assert(t.gpu.tensor_flops_per_clk[DT_FP16] > 0);
        ck_assert(t.dram_efficiency > 0 && t.dram_efficiency <= 1);
    }
    /* A100 SXM: 108 SM x 2048 x 1.41 GHz = 311.9 TFLOPS dense fp16 (312 published). */
    ck_assert(check_table_load(8, 0, &t, &d) == 0);
    ck_assert_double_eq_tol(108 * t.gpu.tensor_flops_per_clk[DT_FP16] * 1.41e9 / 1e12, 311.9, 0.1);
    /* H100 SXM5: 132 x 4096 x 1.83 GHz = 989.4 TFLOPS dense fp16; no int4 tensor math. */
    ck_assert(check_table_load(9, 0, &t, &d) == 0);
    ck_assert_double_eq_tol(132 * t.gpu.tensor_flops_per_clk[DT_FP16] * 1.83e9 / 1e12, 989.4, 0.1);
    ck_assert_double_eq(t.gpu.tensor_flops_per_clk[DT_INT4], 0);
    /* RTX 4090 (GeForce): 128 x 512 x 2.52 GHz = 165.2 TFLOPS fp16 with fp32 accumulate. */
    ck_assert(check_table_load(8, 9, &t, &d) == 0);
    ck_assert(t.has_geforce);
    ck_assert_double_eq_tol(128 * t.geforce_tensor[DT_FP16] * 2.52e9 / 1e12, 165.2, 0.1);
}
END_TEST

START_TEST(table_for_unknown_capability_is_an_error)
{
    check_table_t t;
    diag_t d;
    diag_clear(&d);
    ck_assert_int_eq(check_table_load(7, 5, &t, &d), DIAG_ERR);
    ck_assert_ptr_nonnull(strstr(d.msg, "no per-SM table for compute capability 7.5"));
}
END_TEST

START_TEST(table_errors_name_the_place)
{
    char path[] = "/tmp/orinsim-test-check-XXXXXX";
    int fd = mkstemp(path);
    FILE *f;
    check_table_t t;
    diag_t d;
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    fputs("compute_capability: \"9.0\"\ncuda_flops_per_clk: {fp32: 256, tf32: 0, fp16: 512, "
          "bf16: 512, int8: 512, int4: 0}\ntensor_flops_per_clk: {fp32: 0, tf32: 2048, "
          "fp16: 4096, bf16: 4096, int8: 8192, int4: 0}\nsparse_factr: 2\n",
          f);
    fclose(f);
    diag_clear(&d);
    ck_assert_int_eq(check_table_load_file(path, &t, &d), DIAG_ERR);
    unlink(path);
    ck_assert_int_eq(d.line, 4);
    ck_assert_int_eq(d.col, 1);
    ck_assert_ptr_nonnull(strstr(d.msg, "sparse_factr"));
}
END_TEST

/* ---- describing a device ---- */

START_TEST(device_becomes_a_sku)
{
    check_device_t v = h100();
    sku_t *sku = calloc(1, sizeof *sku);
    soc_config_t cfg;
    describe_ok(&v, sku, &cfg);
    ck_assert_str_eq(sku->name, "nvidia-h100-80gb-hbm3");
    ck_assert_str_eq(cfg.mode->name, "device");
    ck_assert_int_eq(cfg.gpu.sms, 132);
    ck_assert_double_eq(cfg.gpu.clock_hz, 1980e6);
    ck_assert_double_eq(cfg.gpu.l2_bytes, 50.0 * 1048576);
    /* 132 SM x 4096 FLOP/clk x 1.98 GHz = 1070.5 TFLOPS fp16 dense, x 2 with 2:4. */
    ck_assert_double_eq_tol(soc_peak_flops(&cfg, DT_FP16, 1, 0) / 1e12, 1070.5, 0.1);
    ck_assert_double_eq_tol(soc_peak_flops(&cfg, DT_FP16, 1, 1) / 1e12, 2141.0, 0.2);
    /* 5120 bit / 8 x 2 x 2619 MHz = 3352.3 GB/s. */
    ck_assert_double_eq_tol(soc_peak_dram_Bps(&cfg) / 1e9, 3352.3, 0.1);
    /* The device's own limits win over the table's. */
    ck_assert_int_eq(cfg.gpu.max_ctas_sm, 32);
    ck_assert_double_eq(cfg.gpu.smem_sm, 228 * 1024);
    free(sku);
}
END_TEST

START_TEST(device_limits_override_the_table)
{
    check_device_t v = h100();
    sku_t *sku = calloc(1, sizeof *sku);
    soc_config_t cfg;
    v.max_ctas_sm = 24;
    v.smem_sm = 0;   /* not reported: the table's 228 KiB */
    describe_ok(&v, sku, &cfg);
    ck_assert_int_eq(cfg.gpu.max_ctas_sm, 24);
    ck_assert_double_eq(cfg.gpu.smem_sm, 228 * 1024);
    free(sku);
}
END_TEST

START_TEST(geforce_boards_get_their_own_rates)
{
    check_device_t v = h100();
    sku_t *sku = calloc(1, sizeof *sku);
    soc_config_t cfg;
    v.cc_major = 8;
    v.cc_minor = 9;
    v.sms = 128;
    v.sm_clock_hz = 2520e6;
    snprintf(v.name, sizeof v.name, "NVIDIA RTX 6000 Ada Generation");
    describe_ok(&v, sku, &cfg);
    ck_assert_double_eq(cfg.gpu.tensor_flops_per_clk[DT_FP16], 1024);
    snprintf(v.name, sizeof v.name, "NVIDIA GeForce RTX 4090");
    describe_ok(&v, sku, &cfg);
    /* 128 x 512 x 2.52 GHz = 165.2 TFLOPS, the whitepaper's fp32-accumulate figure. */
    ck_assert_double_eq_tol(soc_peak_flops(&cfg, DT_FP16, 1, 0) / 1e12, 165.2, 0.1);
    ck_assert_double_eq(cfg.gpu.tensor_flops_per_clk[DT_INT8], 2048);
    free(sku);
}
END_TEST

START_TEST(incomplete_device_is_an_error)
{
    check_device_t v = h100();
    sku_t *sku = calloc(1, sizeof *sku);
    soc_config_t cfg;
    diag_t d;
    v.mem_bus_bits = 0;
    diag_clear(&d);
    ck_assert_int_eq(check_describe(&v, sku, &cfg, &d), DIAG_ERR);
    ck_assert_ptr_nonnull(strstr(d.msg, "mem_bus_bits 0"));
    free(sku);
}
END_TEST

START_TEST(jetson_is_its_orin_sku)
{
    char name[SKU_NAME_LEN];
    check_device_t v;
    sku_t *sku = calloc(1, sizeof *sku);
    soc_config_t cfg;
    /* AGX Orin 64GB: CUDA sees 62841 MB [S7] at 1.3 GHz. */
    ck_assert_int_eq(check_jetson_sku(62841.0 * 1048576, 1.3e9, name, sizeof name), 0);
    ck_assert_str_eq(name, "agx64");
    /* AGX Orin 32GB: 30623 MB at 930 MHz. */
    ck_assert_int_eq(check_jetson_sku(30623.0 * 1048576, 0.93e9, name, sizeof name), 0);
    ck_assert_str_eq(name, "agx32");
    /* Orin Nano 4GB. */
    ck_assert_int_eq(check_jetson_sku(3.4 * 1073741824.0, 1.02e9, name, sizeof name), 0);
    ck_assert_str_eq(name, "nano4");
    /* A Jetson description loads the shipped SKU under the mode it reports. */
    memset(&v, 0, sizeof v);
    snprintf(v.sku, sizeof v.sku, "agx64");
    snprintf(v.mode, sizeof v.mode, "0");
    describe_ok(&v, sku, &cfg);
    ck_assert_str_eq(cfg.mode->name, "MAXN");
    ck_assert_int_eq(cfg.gpu.sms, 16);
    free(sku);
}
END_TEST

/* ---- ops ---- */

START_TEST(op_format_round_trips)
{
    static const char *const ops[] = {
        "{op: gemm, m: 4096, n: 1024, k: 512, batch: 8, dtype: int8, sparsity: \"2:4\"}",
        "{op: gemm, m: 4096, n: 4096, k: 4096, dtype: tf32}",
        "{op: conv, input: [8, 64, 56, 56], filters: 128, kernel: [3, 1], stride: 2, "
        "padding: [1, 0], dilation: 2, groups: 2, dtype: bf16}",
        "{op: attention, batch: 2, heads: 32, kv_heads: 8, seq_q: 1, seq_kv: 4096, "
        "head_dim: 128, causal: true}",
        "{op: elementwise, elements: 1e6, inputs: 0, outputs: 2, flops_per_element: 8, "
        "dtype: fp32}",
        "{op: reduce, name: \"row sums\", elements: 16777216, outputs: 4096}",
        "{op: memcpy, bytes: 1.5 GiB}",
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        trace_op_t a = parse_op(ops[i]), b;
        char buf[400];
        check_op_format(&a, buf, sizeof buf);
        b = parse_op(buf);
        /* Same op: everything but the position in the file. */
        b.pos = a.pos;
        ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "%s -> %s", ops[i], buf);
    }
}
END_TEST

START_TEST(op_classes)
{
    char c[48];
    trace_op_t op = parse_op("{op: gemm, m: 8, n: 8, k: 8, dtype: fp16, sparsity: \"2:4\"}");
    check_op_class(&op, c, sizeof c);
    ck_assert_str_eq(c, "gemm fp16 2:4");
    op = parse_op("{op: conv, input: [1, 3, 8, 8], filters: 4, kernel: 3, dtype: int8}");
    check_op_class(&op, c, sizeof c);
    ck_assert_str_eq(c, "conv int8");
    op = parse_op("{op: memcpy, bytes: 1 MiB}");
    check_op_class(&op, c, sizeof c);
    ck_assert_str_eq(c, "memcpy");
    ck_assert(check_op_supported(OP_ATTENTION));
    ck_assert(!check_op_supported(OP_KERNEL));
}
END_TEST

START_TEST(predictions_respect_their_rooflines)
{
    check_device_t v = h100();
    sku_t *sku = calloc(1, sizeof *sku);
    soc_config_t cfg;
    trace_op_t op;
    double s, bound;
    diag_t d;
    describe_ok(&v, sku, &cfg);
    diag_clear(&d);
    /* memcpy of 1 GiB moves 2 GiB: 2^31 B / (0.85 x 3352.3 GB/s) = 753.6 us, plus a
     * 3 us launch. */
    op = parse_op("{op: memcpy, bytes: 1 GiB}");
    ck_assert_int_eq(check_predict(&cfg, NULL, &op, &s, &d), 0);
    bound = 2147483648.0 / (0.85 * soc_peak_dram_Bps(&cfg)) + 3e-6;
    ck_assert_double_eq_tol(s / bound, 1.0, 0.02);
    /* fp16 8192^3: 1.1e12 FLOP at 1070.5 TFLOPS = 1.027 ms at peak; at the 0.79
     * efficiency 1.300 ms. The model may add tile and wave losses, not remove work. */
    op = parse_op("{op: gemm, m: 8192, n: 8192, k: 8192, dtype: fp16}");
    ck_assert_int_eq(check_predict(&cfg, NULL, &op, &s, &d), 0);
    bound = 2.0 * 8192 * 8192 * 8192 / (0.79 * soc_peak_flops(&cfg, DT_FP16, 1, 0));
    ck_assert(s >= bound);
    ck_assert(s <= 1.25 * bound);
    /* The model cannot run int4 tensor math on Hopper: an error naming the reason. */
    op = parse_op("{op: gemm, m: 64, n: 64, k: 64, dtype: int4}");
    ck_assert_int_eq(check_predict(&cfg, NULL, &op, &s, &d), DIAG_ERR);
    ck_assert_ptr_nonnull(strstr(d.msg, "no tensor-core path for int4"));
    free(sku);
}
END_TEST

/* ---- statistics ---- */

static void add_row(check_run_t *r, const char *flow, double pred, double meas)
{
    trace_op_t op = parse_op(flow);
    check_row_t *row = check_run_add(r, &op);
    ck_assert_ptr_nonnull(row);
    row->predicted_s = pred;
    row->measured_s = meas;
}

START_TEST(mape_per_class_and_overall)
{
    check_run_t r;
    double e;
    check_run_init(&r);
    add_row(&r, "{op: gemm, m: 8, n: 8, k: 8}", 1.1e-3, 1.0e-3);       /* +10 % */
    add_row(&r, "{op: gemm, m: 16, n: 8, k: 8}", 0.8e-3, 1.0e-3);      /* -20 % */
    add_row(&r, "{op: memcpy, bytes: 1 MiB}", 2.1e-6, 2.0e-6);          /* +5 % */
    add_row(&r, "{op: memcpy, bytes: 2 MiB}", 4.0e-6, -1);              /* not measured */
    add_row(&r, "{op: reduce, elements: 8}", -1, 1e-6);                 /* not simulated */
    ck_assert_int_eq(check_summarise(&r), 0);
    ck_assert(check_row_error(&r.rows[0], &e));
    ck_assert_double_eq_tol(e, 10.0, 1e-9);
    ck_assert(!check_row_error(&r.rows[3], &e));
    ck_assert(!check_row_error(&r.rows[4], &e));
    /* Two classes, sorted: gemm fp16 (10 + 20) / 2 = 15 %, memcpy 5 %. */
    ck_assert_int_eq(r.nclasses, 2);
    ck_assert_str_eq(r.classes[0].cls, "gemm fp16");
    ck_assert_double_eq_tol(r.classes[0].mape, 15.0, 1e-9);
    ck_assert_double_eq_tol(r.classes[0].worst, 20.0, 1e-9);
    ck_assert_str_eq(r.classes[1].cls, "memcpy");
    ck_assert_double_eq_tol(r.classes[1].mape, 5.0, 1e-9);
    /* Overall over the 3 ops with both times: (10 + 20 + 5) / 3 = 11.67 %. */
    ck_assert_int_eq(r.nmeasured, 3);
    ck_assert_double_eq_tol(r.mape, 35.0 / 3, 1e-9);
    check_run_free(&r);
}
END_TEST

/* ---- measurement files ---- */

START_TEST(save_and_load_round_trip)
{
    char path[] = "/tmp/orinsim-test-check-XXXXXX";
    int fd = mkstemp(path);
    check_run_t r, back;
    diag_t d;
    check_row_t *row;
    ck_assert_int_ge(fd, 0);
    close(fd);
    check_run_init(&r);
    r.dev = h100();
    snprintf(r.dev.name, sizeof r.dev.name, "GPU \"quoted\" \\ name");
    snprintf(r.dev.driver, sizeof r.dev.driver, "13.0");
    snprintf(r.trace, sizeof r.trace, "traces/check/gemm-sweep.yaml");
    r.warmup = 3;
    r.runs = 9;
    add_row(&r, "{op: gemm, m: 256, n: 256, k: 256, dtype: bf16}", -1, 12.345678e-6);
    r.rows[0].min_s = 12.0e-6;
    add_row(&r, "{op: gemm, m: 256, n: 256, k: 256, sparsity: \"2:4\"}", -1, -1);
    snprintf(r.rows[1].note, sizeof r.rows[1].note, "needs \"cuSPARSELt\"");
    diag_clear(&d);
    if (check_save(path, &r, &d) != 0)
        fail_diag("save", &d);
    if (check_load(path, &back, &d) != 0)
        fail_diag("load", &d);
    unlink(path);
    ck_assert_str_eq(back.dev.name, r.dev.name);
    ck_assert_str_eq(back.dev.driver, "13.0");
    ck_assert_int_eq(back.dev.sms, 132);
    ck_assert_double_eq(back.dev.sm_clock_hz, 1980e6);
    ck_assert_double_eq(back.dev.l2_bytes, 50.0 * 1048576);
    ck_assert_str_eq(back.trace, r.trace);
    ck_assert_int_eq(back.warmup, 3);
    ck_assert_int_eq(back.runs, 9);
    ck_assert_int_eq(back.nrows, 2);
    row = &back.rows[0];
    ck_assert_int_eq(row->op.kind, OP_GEMM);
    ck_assert_int_eq(row->op.dtype, DT_BF16);
    /* Times are kept to the picosecond. */
    ck_assert_double_eq_tol(row->measured_s, 12.345678e-6, 1e-12);
    ck_assert_double_eq_tol(row->min_s, 12.0e-6, 1e-12);
    ck_assert(back.rows[1].op.sparse);
    ck_assert(back.rows[1].measured_s < 0);
    ck_assert_str_eq(back.rows[1].note, "needs \"cuSPARSELt\"");
    check_run_free(&r);
    check_run_free(&back);
}
END_TEST

START_TEST(compare_on_the_synthetic_file)
{
    check_run_t r;
    sku_t *sku = calloc(1, sizeof *sku);
    soc_config_t cfg;
    diag_t d;
    diag_clear(&d);
    if (check_load(SYNTHETIC, &r, &d) != 0)
        fail_diag("load", &d);
    describe_ok(&r.dev, sku, &cfg);
    if (check_predict_all(&r, &cfg, &d) != 0)
        fail_diag("predict", &d);
    ck_assert_int_eq(r.nrows, 6);
    /* Measured: 2 fp16 gemms, memcpy, reduce; the sparse gemm and int4 gemm were not. */
    ck_assert_int_eq(r.nmeasured, 4);
    ck_assert_int_eq(r.nclasses, 3);
    ck_assert_str_eq(r.classes[0].cls, "gemm fp16");
    ck_assert_int_eq(r.classes[0].n, 2);
    /* int4 on Hopper: measured by nobody, simulated by nobody, both reasons kept. */
    ck_assert(r.rows[5].predicted_s < 0);
    ck_assert_ptr_nonnull(strstr(r.rows[5].note, "cuBLASLt has no int4 GEMM"));
    ck_assert_ptr_nonnull(strstr(r.rows[5].note, "not simulated"));
    /* The sparse gemm is still predicted, at most half the dense time plus A's bytes. */
    ck_assert(r.rows[2].predicted_s > 0);
    ck_assert(r.rows[2].predicted_s < 0.6 * r.rows[0].predicted_s);
    /* Each row's error is (predicted - measured) / measured, and MAPE their mean. */
    {
        double sum = 0, e;
        for (int i = 0; i < r.nrows; i++)
            if (check_row_error(&r.rows[i], &e))
                sum += fabs(e);
        ck_assert_double_eq_tol(r.mape, sum / 4, 1e-9);
    }
    check_run_free(&r);
    free(sku);
}
END_TEST

static void parse_err(const char *text, int line, int col, const char *needle)
{
    check_run_t r;
    diag_t d;
    diag_clear(&d);
    ck_assert_int_eq(check_parse("m.yaml", text, strlen(text), &r, &d), DIAG_ERR);
    ck_assert_msg(strstr(d.msg, needle) != NULL, "'%s' not in '%s'", needle, d.msg);
    ck_assert_msg(d.line == line && d.col == col, "%s at %d:%d, expected %d:%d", d.msg, d.line,
                  d.col, line, col);
    ck_assert_str_eq(d.file, "m.yaml");
}

#define DEV "device: {compute_capability: \"8.0\", sms: 108, sm_clock: 1410 MHz, " \
            "mem_clock: 1215 MHz, mem_bus_bits: 5120}\n"

START_TEST(measurement_file_errors)
{
    parse_err("orinsim_measurements: 2\n" DEV "ops: []\n", 1, 23, "out of range");
    parse_err("orinsim_measurements: 1\ndevice: {compute_capability: \"8.0\", smz: 1}\nops: []\n",
              2, 37, "smz");
    parse_err("orinsim_measurements: 1\ndevice: {compute_capability: \"8.0\"}\nops: []\n", 2, 9,
              "device needs sms");
    parse_err("orinsim_measurements: 1\n" DEV "ops: []\n", 3, 6, "ops is empty");
    /* A bad op is reported where it is in this file, with the trace parser's message. */
    parse_err("orinsim_measurements: 1\n" DEV "ops:\n  - op: {op: gemm, m: 8, n: 8}\n"
              "    measured: 1 us\n  - op: {op: gemm, m: 8, n: 8, k: 8, dtyp: fp16}\n"
              "    measured: 1 us\n",
              4, 9, "'k'");
    parse_err("orinsim_measurements: 1\n" DEV "ops:\n  - op: {op: kernel, grid: [1, 1, 1], "
              "block: [32, 1, 1]}\n    measured: 1 us\n",
              4, 9, "not kernel");
    parse_err("orinsim_measurements: 1\n" DEV "ops:\n  - op: {op: memcpy, bytes: 1 MiB}\n", 4, 5,
              "needs `measured:` or a `note:`");
    parse_err("orinsim_measurements: 1\n" DEV "ops:\n  - op: {op: memcpy, bytes: 1 MiB}\n"
              "    measured: 3\n",
              5, 15, "measured");
}
END_TEST

Suite *check_suite(void)
{
    Suite *s = suite_create("check");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, tables_load_and_match_published_peaks);
    tcase_add_test(tc, table_for_unknown_capability_is_an_error);
    tcase_add_test(tc, table_errors_name_the_place);
    tcase_add_test(tc, device_becomes_a_sku);
    tcase_add_test(tc, device_limits_override_the_table);
    tcase_add_test(tc, geforce_boards_get_their_own_rates);
    tcase_add_test(tc, incomplete_device_is_an_error);
    tcase_add_test(tc, jetson_is_its_orin_sku);
    tcase_add_test(tc, op_format_round_trips);
    tcase_add_test(tc, op_classes);
    tcase_add_test(tc, predictions_respect_their_rooflines);
    tcase_add_test(tc, mape_per_class_and_overall);
    tcase_add_test(tc, save_and_load_round_trip);
    tcase_add_test(tc, compare_on_the_synthetic_file);
    tcase_add_test(tc, measurement_file_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(check_suite());
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
