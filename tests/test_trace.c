/*
 * Tests of the trace format v1 parser (soc/trace/trace.c, docs/trace-format.md).
 *
 * The valid cases check the parsed structure field by field against the YAML they came
 * from; the error cases check that each bad input gives exactly one diagnostic at the
 * line:column of the offending node with a message that says what was expected.
 * Most fixtures are inline strings; file errors use tests/data/traces/.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/trace/trace.h"

#define DATA ORINSIM_SOURCE_DIR "/tests/data/traces/"

/* The example of docs/trace-format.md. */
static const char EXAMPLE[] =
    "orinsim: 1                # format version\n"                                    /* 1 */
    "name: camera-detector\n"                                                          /* 2 */
    "frames: 300\n"                                                                    /* 3 */
    "period: 33.333ms\n"                                                               /* 4 */
    "max_in_flight: 2\n"                                                               /* 5 */
    "tasks:\n"                                                                         /* 6 */
    "  - id: preprocess\n"                                                             /* 7 */
    "    engine: gpu\n"                                                                /* 8 */
    "    after: []\n"                                                                  /* 9 */
    "    ops:\n"                                                                       /* 10 */
    "      - {op: elementwise, elements: 1228800, dtype: fp16, inputs: 1, outputs: 1}\n" /* 11 */
    "      - op: repeat\n"                                                             /* 12 */
    "        count: 4\n"                                                               /* 13 */
    "        ops:\n"                                                                   /* 14 */
    "          - {op: conv, input: [1, 64, 160, 160], filters: 64, kernel: 3, stride: 1, "
    "padding: 1, dtype: int8}\n"                                                       /* 15 */
    "      - {op: gemm, m: 8400, n: 80, k: 256, dtype: fp16, sparsity: \"2:4\"}\n"     /* 16 */
    "      - {op: kernel, name: nms, grid: [64, 1, 1], block: [256, 1, 1], registers: 32, "
    "shared: 16KiB, flops: {fp32: 2e6}, dram_bytes: 4MiB}\n"                           /* 17 */
    "  - id: control\n"                                                                /* 18 */
    "    engine: cpu\n"                                                                /* 19 */
    "    after: [preprocess]\n"                                                        /* 20 */
    "    ops:\n"                                                                       /* 21 */
    "      - {op: cpu, duration: 1.5ms, threads: 1}\n";                                /* 22 */

static int parse(const char *yaml, trace_t *t, diag_t *d)
{
    diag_clear(d);
    return trace_parse("t.yaml", yaml, strlen(yaml), t, d);
}

/* Parse `yaml`, expect failure at line:col with `phrase` in the message, and a trace left
 * empty. */
static void expect_error_at(const char *yaml, int line, int col, const char *phrase,
                            const char *file, int srcline)
{
    trace_t t;
    diag_t d;
    char buf[2048];
    int rc = parse(yaml, &t, &d);
    diag_format(&d, buf, sizeof buf);
    ck_assert_msg(rc < 0, "%s:%d: expected an error, parsed fine", file, srcline);
    ck_assert_msg(d.set, "%s:%d: no diagnostic", file, srcline);
    ck_assert_msg(d.line == line && d.col == col, "%s:%d: expected %d:%d, got %s", file,
                  srcline, line, col, buf);
    ck_assert_msg(strstr(d.msg, phrase) != NULL, "%s:%d: expected '%s' in: %s", file, srcline,
                  phrase, buf);
    ck_assert_msg(strcmp(d.file, "t.yaml") == 0, "%s:%d: file is '%s'", file, srcline, d.file);
    ck_assert_int_eq(t.ntasks, 0);
    ck_assert_ptr_null(t.tasks);
    ck_assert_ptr_null(t.topo);
    trace_free(&t);
}
#define ERR_AT(yaml, line, col, phrase) expect_error_at(yaml, line, col, phrase, __FILE__, __LINE__)

/* One gpu task holding one op: the op's text starts at line 6, column 9. */
#define GPU_OP(op) "orinsim: 1\ntasks:\n  - id: a\n    engine: gpu\n    ops:\n      - " op "\n"
#define CPU_OP(op) "orinsim: 1\ntasks:\n  - id: a\n    engine: cpu\n    ops:\n      - " op "\n"

/* ---- valid traces ---- */

START_TEST(example_structure)
{
    trace_t t;
    diag_t d;
    ck_assert_int_eq(parse(EXAMPLE, &t, &d), 0);
    ck_assert_int_eq(t.version, 1);
    ck_assert_str_eq(t.name, "camera-detector");
    ck_assert_int_eq(t.frames, 300);
    /* 33.333 ms = 33.333e9 ps */
    ck_assert_uint_eq(t.period_ps, 33333000000ULL);
    ck_assert_int_eq(t.max_in_flight, 2);
    ck_assert_int_eq(t.ntasks, 2);

    trace_task_t *pre = &t.tasks[0];
    ck_assert_str_eq(pre->id, "preprocess");
    ck_assert_int_eq(pre->engine, ENG_GPU);
    ck_assert_int_eq(pre->pos.line, 7);
    ck_assert_int_eq(pre->pos.col, 5);          /* the mapping starts at "id" */
    ck_assert_int_eq(pre->engine_pos.line, 8);
    ck_assert_int_eq(pre->engine_pos.col, 13);
    ck_assert_int_eq(pre->nafter, 0);
    /* 1 elementwise + 4 convs (repeat count 4) + 1 gemm + 1 kernel = 7 */
    ck_assert_int_eq(pre->nops, 7);

    trace_op_t *ew = &pre->ops[0];
    ck_assert_int_eq(ew->kind, OP_ELEMENTWISE);
    ck_assert_int_eq(ew->pos.line, 11);
    ck_assert_int_eq(ew->pos.col, 9);
    ck_assert_int_eq(ew->u.ew.elements, 1228800);   /* 640 x 640 x 3 */
    ck_assert_int_eq(ew->u.ew.inputs, 1);
    ck_assert_int_eq(ew->u.ew.outputs, 1);
    ck_assert_double_eq(ew->u.ew.flops_per_element, 1.0);
    ck_assert_int_eq(ew->dtype, DT_FP16);

    for (int i = 1; i <= 4; i++) {
        trace_op_t *c = &pre->ops[i];
        ck_assert_int_eq(c->kind, OP_CONV);
        ck_assert_int_eq(c->pos.line, 15);      /* every copy points at the one source op */
        ck_assert_int_eq(c->u.conv.n, 1);
        ck_assert_int_eq(c->u.conv.c, 64);
        ck_assert_int_eq(c->u.conv.h, 160);
        ck_assert_int_eq(c->u.conv.w, 160);
        ck_assert_int_eq(c->u.conv.filters, 64);
        ck_assert_int_eq(c->u.conv.kh, 3);      /* kernel: 3 means 3x3 */
        ck_assert_int_eq(c->u.conv.kw, 3);
        ck_assert_int_eq(c->u.conv.stride_h, 1);
        ck_assert_int_eq(c->u.conv.stride_w, 1);
        ck_assert_int_eq(c->u.conv.pad_h, 1);
        ck_assert_int_eq(c->u.conv.pad_w, 1);
        ck_assert_int_eq(c->u.conv.dil_h, 1);
        ck_assert_int_eq(c->u.conv.dil_w, 1);
        ck_assert_int_eq(c->u.conv.groups, 1);
        ck_assert_int_eq(c->dtype, DT_INT8);
        ck_assert_int_eq(c->sparse, 0);
    }

    trace_op_t *g = &pre->ops[5];
    ck_assert_int_eq(g->kind, OP_GEMM);
    ck_assert_int_eq(g->u.gemm.m, 8400);
    ck_assert_int_eq(g->u.gemm.n, 80);
    ck_assert_int_eq(g->u.gemm.k, 256);
    ck_assert_int_eq(g->u.gemm.batch, 1);
    ck_assert_int_eq(g->dtype, DT_FP16);
    ck_assert_int_eq(g->sparse, 1);

    trace_op_t *k = &pre->ops[6];
    ck_assert_int_eq(k->kind, OP_KERNEL);
    ck_assert_str_eq(k->name, "nms");
    ck_assert_int_eq(k->u.kernel.grid[0], 64);
    ck_assert_int_eq(k->u.kernel.grid[1], 1);
    ck_assert_int_eq(k->u.kernel.grid[2], 1);
    ck_assert_int_eq(k->u.kernel.block[0], 256);
    ck_assert_int_eq(k->u.kernel.registers, 32);
    ck_assert_double_eq(k->u.kernel.shared, 16384.0);              /* 16 KiB = 16 x 1024 B */
    ck_assert_double_eq(k->u.kernel.flops[DT_FP32], 2e6);
    ck_assert_double_eq(k->u.kernel.flops[DT_FP16], 0.0);
    ck_assert_double_eq(k->u.kernel.tensor_flops[DT_FP16], 0.0);
    ck_assert_double_eq(k->u.kernel.dram_bytes, 4.0 * 1048576.0);  /* 4 MiB */

    trace_task_t *ctl = &t.tasks[1];
    ck_assert_str_eq(ctl->id, "control");
    ck_assert_int_eq(ctl->engine, ENG_CPU);
    ck_assert_int_eq(ctl->nafter, 1);
    ck_assert_int_eq(ctl->after[0], 0);
    ck_assert_int_eq(ctl->nops, 1);
    ck_assert_int_eq(ctl->ops[0].kind, OP_CPU);
    ck_assert_uint_eq(ctl->ops[0].u.cpu.duration_ps, 1500000000ULL);   /* 1.5 ms */
    ck_assert_double_eq(ctl->ops[0].u.cpu.ref_hz, 0.0);                /* mode maximum */
    ck_assert_int_eq(ctl->ops[0].u.cpu.threads, 1);

    ck_assert_int_eq(t.topo[0], 0);
    ck_assert_int_eq(t.topo[1], 1);
    trace_free(&t);
    ck_assert_ptr_null(t.tasks);
}
END_TEST

START_TEST(defaults)
{
    static const char Y[] =
        "orinsim: 1\n"
        "tasks:\n"
        "  - id: g\n"
        "    engine: dla\n"
        "    ops:\n"
        "      - {op: gemm, m: 1e3, n: 2, k: 3}\n"
        "      - {op: conv, input: [2, 8, 32, 16], filters: 16, kernel: [3, 1]}\n"
        "      - {op: attention, heads: 8, seq_q: 128, head_dim: 64}\n"
        "      - {op: elementwise, elements: 10}\n"
        "      - {op: reduce, elements: 10}\n"
        "      - {op: memcpy, bytes: 1 MB}\n"
        "      - {op: kernel, grid: 7, block: [32, 4]}\n"
        "  - id: c\n"
        "    engine: cpu\n"
        "    ops:\n"
        "      - {op: cpu, instructions: 2e9, ipc: 1.5}\n";
    trace_t t;
    diag_t d;
    ck_assert_int_eq(parse(Y, &t, &d), 0);
    ck_assert_str_eq(t.name, "");
    ck_assert_int_eq(t.frames, 1);
    ck_assert_uint_eq(t.period_ps, 0);          /* closed loop */
    ck_assert_int_eq(t.max_in_flight, 1);
    ck_assert_int_eq(t.tasks[0].engine, ENG_DLA);
    ck_assert_int_eq(t.tasks[0].nafter, 0);
    ck_assert_ptr_null(t.tasks[0].after);
    trace_op_t *o = t.tasks[0].ops;
    ck_assert_int_eq(o[0].u.gemm.m, 1000);      /* scientific notation for a count */
    ck_assert_int_eq(o[0].u.gemm.batch, 1);
    ck_assert_int_eq(o[0].dtype, DT_FP16);
    ck_assert_int_eq(o[0].sparse, 0);
    ck_assert_str_eq(o[0].name, "");
    ck_assert_int_eq(o[1].u.conv.kh, 3);
    ck_assert_int_eq(o[1].u.conv.kw, 1);
    ck_assert_int_eq(o[1].u.conv.stride_h, 1);
    ck_assert_int_eq(o[1].u.conv.stride_w, 1);
    ck_assert_int_eq(o[1].u.conv.pad_h, 0);
    ck_assert_int_eq(o[1].u.conv.pad_w, 0);
    ck_assert_int_eq(o[1].u.conv.dil_h, 1);
    ck_assert_int_eq(o[1].u.conv.groups, 1);
    ck_assert_int_eq(o[2].u.attn.batch, 1);
    ck_assert_int_eq(o[2].u.attn.seq_kv, 128);  /* self-attention: seq_kv = seq_q */
    ck_assert_int_eq(o[2].u.attn.causal, 0);
    ck_assert_int_eq(o[3].u.ew.inputs, 1);
    ck_assert_int_eq(o[3].u.ew.outputs, 1);
    ck_assert_double_eq(o[3].u.ew.flops_per_element, 1.0);
    ck_assert_int_eq(o[4].u.reduce.outputs, 1);
    ck_assert_double_eq(o[5].u.memcpy.bytes, 1e6);   /* MB is decimal */
    /* grid: 7 is [7, 1, 1]; block [32, 4] is [32, 4, 1] */
    ck_assert_int_eq(o[6].u.kernel.grid[0], 7);
    ck_assert_int_eq(o[6].u.kernel.grid[1], 1);
    ck_assert_int_eq(o[6].u.kernel.grid[2], 1);
    ck_assert_int_eq(o[6].u.kernel.block[1], 4);
    ck_assert_int_eq(o[6].u.kernel.block[2], 1);
    ck_assert_int_eq(o[6].u.kernel.registers, 32);
    ck_assert_double_eq(o[6].u.kernel.shared, 0.0);
    ck_assert_double_eq(o[6].u.kernel.dram_bytes, 0.0);
    trace_op_t *c = &t.tasks[1].ops[0];
    ck_assert_uint_eq(c->u.cpu.duration_ps, 0);
    ck_assert_double_eq(c->u.cpu.instructions, 2e9);
    ck_assert_double_eq(c->u.cpu.ipc, 1.5);
    ck_assert_int_eq(c->u.cpu.threads, 1);
    ck_assert_double_eq(c->u.cpu.bytes, 0.0);
    trace_free(&t);
}
END_TEST

START_TEST(explicit_values)
{
    static const char Y[] =
        "orinsim: 1\n"
        "tasks:\n"
        "  - id: g\n"
        "    engine: dla0\n"
        "    ops:\n"
        "      - {op: conv, input: [1, 32, 64, 64], filters: 64, kernel: [5, 3], stride: [2, 1],"
        " padding: [2, 1], dilation: 2, groups: 32, dtype: bf16, sparsity: dense}\n"
        "      - {op: attention, batch: 2, heads: 4, seq_q: 1, seq_kv: 4096, head_dim: 128,"
        " causal: true, dtype: bf16}\n"
        "      - {op: elementwise, elements: 5, inputs: 0, outputs: 2, flops_per_element: 0.5}\n"
        "      - {op: kernel, grid: [1, 2, 3], block: 128, registers: 255, shared: 0.5KiB,"
        " tensor_flops: {int4: 1e12, tf32: 3}}\n"
        "  - id: c\n"
        "    engine: cpu\n"
        "    ops:\n"
        "      - {op: cpu, duration: 2ms, ref_clock: 2.2GHz, threads: 4, bytes: 1GiB}\n";
    trace_t t;
    diag_t d;
    ck_assert_int_eq(parse(Y, &t, &d), 0);
    trace_op_t *o = t.tasks[0].ops;
    ck_assert_int_eq(t.tasks[0].engine, ENG_DLA0);
    ck_assert_int_eq(o[0].u.conv.kh, 5);
    ck_assert_int_eq(o[0].u.conv.kw, 3);
    ck_assert_int_eq(o[0].u.conv.stride_h, 2);
    ck_assert_int_eq(o[0].u.conv.stride_w, 1);
    ck_assert_int_eq(o[0].u.conv.pad_h, 2);
    ck_assert_int_eq(o[0].u.conv.pad_w, 1);
    ck_assert_int_eq(o[0].u.conv.dil_h, 2);     /* a single number applies to both axes */
    ck_assert_int_eq(o[0].u.conv.dil_w, 2);
    ck_assert_int_eq(o[0].u.conv.groups, 32);
    ck_assert_int_eq(o[0].dtype, DT_BF16);
    ck_assert_int_eq(o[0].sparse, 0);
    ck_assert_int_eq(o[1].u.attn.seq_kv, 4096);
    ck_assert_int_eq(o[1].u.attn.causal, 1);
    ck_assert_int_eq(o[2].u.ew.inputs, 0);
    ck_assert_double_eq(o[2].u.ew.flops_per_element, 0.5);
    ck_assert_int_eq(o[3].u.kernel.grid[2], 3);
    ck_assert_int_eq(o[3].u.kernel.block[0], 128);
    ck_assert_int_eq(o[3].u.kernel.block[1], 1);
    ck_assert_double_eq(o[3].u.kernel.shared, 512.0);
    ck_assert_double_eq(o[3].u.kernel.tensor_flops[DT_INT4], 1e12);
    ck_assert_double_eq(o[3].u.kernel.tensor_flops[DT_TF32], 3.0);
    trace_op_t *c = &t.tasks[1].ops[0];
    ck_assert_uint_eq(c->u.cpu.duration_ps, 2000000000ULL);
    ck_assert_double_eq(c->u.cpu.ref_hz, 2.2e9);
    ck_assert_int_eq(c->u.cpu.threads, 4);
    ck_assert_double_eq(c->u.cpu.bytes, 1073741824.0);
    trace_free(&t);
}
END_TEST

START_TEST(topo_lowest_index_first)
{
    /* d after c, c after a. Kahn, lowest ready index first: ready {a=1, b=3} -> a; then
     * {c=2, b=3} -> c; then {d=0, b=3} -> d; then b. */
    static const char Y[] =
        "orinsim: 1\n"
        "tasks:\n"
        "  - {id: d, engine: gpu, after: [c], ops: [{op: memcpy, bytes: 1B}]}\n"
        "  - {id: a, engine: gpu, ops: [{op: memcpy, bytes: 1B}]}\n"
        "  - {id: c, engine: gpu, after: [a], ops: [{op: memcpy, bytes: 1B}]}\n"
        "  - {id: b, engine: gpu, ops: [{op: memcpy, bytes: 1B}]}\n";
    trace_t t;
    diag_t d;
    ck_assert_int_eq(parse(Y, &t, &d), 0);
    ck_assert_int_eq(t.tasks[0].after[0], 2);   /* forward reference resolved */
    ck_assert_int_eq(t.topo[0], 1);
    ck_assert_int_eq(t.topo[1], 2);
    ck_assert_int_eq(t.topo[2], 0);
    ck_assert_int_eq(t.topo[3], 3);
    trace_free(&t);
}
END_TEST

START_TEST(nested_repeat_and_aliases)
{
    /* 2 x (1 + 3 x 1) = 8 ops; the alias adds the same 8 again through *body: 16. */
    static const char Y[] =
        "orinsim: 1\n"
        "tasks:\n"
        "  - id: a\n"
        "    engine: gpu\n"
        "    ops:\n"
        "      - &body {op: repeat, count: 2, name: block, ops: [{op: memcpy, bytes: 1B},"
        " {op: repeat, count: 3, ops: [{op: reduce, elements: 8}]}]}\n"
        "      - *body\n";
    trace_t t;
    diag_t d;
    ck_assert_int_eq(parse(Y, &t, &d), 0);
    ck_assert_int_eq(t.tasks[0].nops, 16);
    for (int i = 0; i < 16; i++)
        ck_assert_int_eq(t.tasks[0].ops[i].kind, i % 4 == 0 ? OP_MEMCPY : OP_REDUCE);
    trace_free(&t);
}
END_TEST

START_TEST(max_ops_exactly)
{
    /* 1000 x 1000 = 1e6 = TRACE_MAX_OPS: allowed. */
    static const char Y[] = GPU_OP(
        "{op: repeat, count: 1000, ops: [{op: repeat, count: 1e3, ops: [{op: memcpy, bytes: 1B}]}]}");
    trace_t t;
    diag_t d;
    ck_assert_int_eq(parse(Y, &t, &d), 0);
    ck_assert_int_eq(t.tasks[0].nops, TRACE_MAX_OPS);
    ck_assert_double_eq(t.tasks[0].ops[TRACE_MAX_OPS - 1].u.memcpy.bytes, 1.0);
    trace_free(&t);
}
END_TEST

START_TEST(load_example_file)
{
    trace_t t;
    diag_t d;
    diag_clear(&d);
    ck_assert_msg(trace_load(ORINSIM_SOURCE_DIR "/traces/camera-detector.yaml", &t, &d) == 0,
                  "%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
    ck_assert_int_ge(t.ntasks, 2);
    /* 30 FPS: 1/30 s = 33.333 ms */
    ck_assert_uint_eq(t.period_ps, 33333000000ULL);
    ck_assert_int_eq(t.max_in_flight, 2);
    ck_assert_int_eq(t.frames, 300);
    for (int i = 0; i < t.ntasks; i++)
        ck_assert(t.tasks[i].engine == ENG_GPU || t.tasks[i].engine == ENG_CPU);
    trace_free(&t);
}
END_TEST

/* ---- file errors ---- */

static void expect_load_error(const char *path, const char *phrase)
{
    trace_t t;
    diag_t d;
    diag_clear(&d);
    ck_assert_int_lt(trace_load(path, &t, &d), 0);
    ck_assert_msg(strstr(d.msg, phrase) != NULL, "expected '%s' in: %s", phrase, d.msg);
    ck_assert_str_eq(d.file, path);
    ck_assert_int_eq(d.line, 0);               /* a whole-file error has no position */
    ck_assert_int_eq(t.ntasks, 0);
    trace_free(&t);
}

START_TEST(file_missing)
{
    expect_load_error(DATA "no-such-trace.yaml", "cannot open");
}
END_TEST

START_TEST(file_is_directory)
{
    expect_load_error(DATA "directory.yaml", "not a regular file");
}
END_TEST

START_TEST(file_empty)
{
    expect_load_error(DATA "empty.yaml", "empty");
    expect_load_error(DATA "comments-only.yaml", "empty");
}
END_TEST

START_TEST(file_error_position)
{
    trace_t t;
    diag_t d;
    diag_clear(&d);
    ck_assert_int_lt(trace_load(DATA "bad-unit.yaml", &t, &d), 0);
    /* line 3 is "period: 33", the value starts at column 9 */
    ck_assert_int_eq(d.line, 3);
    ck_assert_int_eq(d.col, 9);
    ck_assert_ptr_nonnull(strstr(d.msg, "missing unit"));
    trace_free(&t);
}
END_TEST

/* ---- document-level errors ---- */

START_TEST(err_yaml_syntax)
{
    /* "name: x" indented under a scalar: libyaml stops at the ':' of line 2. */
    ERR_AT("orinsim: 1\nframes: 3\n  name: x\n", 3, 7, "YAML syntax error");
    /* an unclosed flow list */
    ERR_AT("orinsim: 1\ntasks: [\n", 3, 1, "YAML syntax error");
}
END_TEST

START_TEST(err_empty)
{
    trace_t t;
    diag_t d;
    ck_assert_int_lt(parse("", &t, &d), 0);
    ck_assert_ptr_nonnull(strstr(d.msg, "empty"));
    ck_assert_int_lt(parse("# only a comment\n", &t, &d), 0);
    ck_assert_ptr_nonnull(strstr(d.msg, "empty"));
    trace_free(&t);
}
END_TEST

START_TEST(err_root_not_mapping)
{
    ERR_AT("- orinsim: 1\n", 1, 1, "expected a mapping for the trace");
    ERR_AT("just text\n", 1, 1, "got a scalar");
}
END_TEST

START_TEST(err_version)
{
    ERR_AT("name: x\ntasks: []\n", 1, 1, "missing required field 'orinsim'");
    ERR_AT("orinsim: 2\ntasks: []\n", 1, 10, "unsupported trace format version '2'");
    ERR_AT("orinsim: one\n", 1, 10, "this orinsim reads version 1");
    ERR_AT("orinsim: [1]\n", 1, 10, "got a list");
}
END_TEST

START_TEST(err_unknown_key_top)
{
    ERR_AT("orinsim: 1\nframe: 3\n", 2, 1,
           "unknown key 'frame' in the trace (top level) (expected one of: orinsim, name, "
           "frames, period, max_in_flight, tasks, budgets, arrival, deadline, overload, "
           "interference, runtime)");
    ERR_AT("orinsim: 1\nframes: 3\nframes: 4\n", 3, 1, "duplicate key 'frames'");
}
END_TEST

START_TEST(err_unknown_key_task)
{
    ERR_AT("orinsim: 1\ntasks:\n  - id: a\n    engin: gpu\n", 4, 5,
           "unknown key 'engin' in task (expected one of: id, engine, after, ops, fallback, "
           "io_format, memory, process, io_dtype, input_dtype, output_dtype, deadline)");
}
END_TEST

START_TEST(err_unknown_key_each_op)
{
    /* Each op kind lists its own keys. The bogus key sits after the op's required fields,
     * at a column computed from the fixture text. */
    static const struct {
        const char *op, *keys;
        int cpu;
    } C[] = {
        {"{op: gemm, m: 1, n: 1, k: 1, bogus: 1}", "op, name, m, n, k, batch, dtype, sparsity, weight_dtype, quant_group, weights, activation", 0},
        {"{op: conv, input: [1, 1, 4, 4], filters: 1, kernel: 1, bogus: 1}",
         "op, name, input, filters, kernel, stride, padding, dilation, groups, activation, dtype, "
         "sparsity", 0},
        {"{op: attention, heads: 1, seq_q: 1, head_dim: 8, bogus: 1}",
         "op, name, batch, heads, seq_q, seq_kv, head_dim, kv_heads, dtype, causal", 0},
        {"{op: elementwise, elements: 1, bogus: 1}",
         "op, name, elements, inputs, outputs, flops_per_element, dtype", 0},
        {"{op: reduce, elements: 1, bogus: 1}", "op, name, elements, outputs, dtype", 0},
        {"{op: memcpy, bytes: 1B, bogus: 1}", "op, name, bytes", 0},
        {"{op: kernel, grid: 1, block: 1, bogus: 1}",
         "op, name, grid, block, registers, shared, flops, tensor_flops, dram_bytes", 0},
        {"{op: cpu, duration: 1ms, bogus: 1}",
         "op, name, duration, ref_clock, instructions, ipc, threads, bytes", 1},
        {"{op: repeat, count: 1, ops: [{op: memcpy, bytes: 1B}], bogus: 1}",
         "op, name, count, ops", 0},
    };
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
        char y[512], phrase[256], kind[32];
        int col = 9 + (int)(strstr(C[i].op, "bogus") - C[i].op);
        snprintf(y, sizeof y, "orinsim: 1\ntasks:\n  - id: a\n    engine: %s\n    ops:\n      - %s\n",
                 C[i].cpu ? "cpu" : "gpu", C[i].op);
        sscanf(C[i].op, "{op: %31[a-z]", kind);
        /* every op but repeat also takes work_scale (docs/trace-format.md, "Variability") */
        snprintf(phrase, sizeof phrase, "unknown key 'bogus' in %s op (expected one of: %s%s)",
                 kind, C[i].keys, strcmp(kind, "repeat") ? ", work_scale" : "");
        expect_error_at(y, 6, col, phrase, __FILE__, __LINE__);
    }
}
END_TEST

START_TEST(err_unknown_op)
{
    ERR_AT(GPU_OP("{op: matmul, m: 1}"), 6, 14, "unknown op 'matmul' (expected one of: gemm");
    ERR_AT(GPU_OP("{m: 1, n: 1, k: 1}"), 6, 9, "missing required field 'op'");
    ERR_AT(GPU_OP("gemm"), 6, 9, "expected a mapping for an op");
}
END_TEST

START_TEST(err_unknown_engine)
{
    ERR_AT("orinsim: 1\ntasks:\n  - id: a\n    engine: tpu\n    ops: [{op: memcpy, bytes: 1B}]\n",
           4, 13, "unknown engine 'tpu' (expected one of: gpu, dla0, dla1, dla, pva, cpu)");
}
END_TEST

START_TEST(err_engine_op_mismatch)
{
    /* a cpu op on the GPU, a GPU op on the CPU: reported at the op */
    ERR_AT(GPU_OP("{op: cpu, duration: 1ms}"), 6, 9, "cpu ops run only on engine cpu");
    ERR_AT(CPU_OP("{op: gemm, m: 1, n: 1, k: 1}"), 6, 9, "engine cpu runs only cpu ops");
}
END_TEST

START_TEST(err_dtype)
{
    ERR_AT(GPU_OP("{op: gemm, m: 1, n: 1, k: 1, dtype: fp64}"), 6, 45,
           "unknown dtype 'fp64' in gemm op (expected one of: fp32, tf32, fp16, bf16, int8, int4)");
    ERR_AT(GPU_OP("{op: kernel, grid: 1, block: 1, flops: {fp64: 1}}"), 6, 49,
           "unknown key 'fp64' in kernel flops (expected one of: fp32, fp16, bf16, int8)");
    /* tensor cores take tf32, not fp32 */
    ERR_AT(GPU_OP("{op: kernel, grid: 1, block: 1, tensor_flops: {fp32: 1}}"), 6, 56,
           "unknown key 'fp32' in kernel tensor_flops");
}
END_TEST

START_TEST(err_sparsity)
{
    ERR_AT(GPU_OP("{op: gemm, m: 1, n: 1, k: 1, sparsity: \"1:4\"}"), 6, 48,
           "unknown sparsity '1:4' (expected dense or \"2:4\")");
    ERR_AT(GPU_OP("{op: gemm, m: 1, n: 1, k: 1, dtype: fp32, sparsity: 2:4}"), 6, 61,
           "2:4 sparsity needs a tensor-core dtype");
    ERR_AT(GPU_OP("{op: elementwise, elements: 1, sparsity: dense}"), 6, 40,
           "sparsity applies only to gemm, conv, deconv and fc ops, not elementwise");
}
END_TEST

START_TEST(err_missing_field)
{
    ERR_AT(GPU_OP("{op: gemm, m: 1, n: 1}"), 6, 9, "missing required field 'k' in gemm op");
    ERR_AT(GPU_OP("{op: conv, filters: 1, kernel: 1}"), 6, 9,
           "missing required field 'input' in conv op");
    ERR_AT(GPU_OP("{op: memcpy}"), 6, 9, "missing required field 'bytes' in memcpy op");
    ERR_AT(GPU_OP("{op: kernel, grid: 1}"), 6, 9, "missing required field 'block' in kernel op");
    ERR_AT(GPU_OP("{op: repeat, count: 2}"), 6, 9, "missing required field 'ops' in repeat op");
    ERR_AT(CPU_OP("{op: cpu, threads: 2}"), 6, 9, "either duration");
    ERR_AT(CPU_OP("{op: cpu, instructions: 1e6}"), 6, 9, "missing required field 'ipc'");
    ERR_AT(CPU_OP("{op: cpu, duration: 1ms, instructions: 1e6, ipc: 1}"), 6, 34, "not both");
    ERR_AT(CPU_OP("{op: cpu, duration: 1ms, ipc: 1}"), 6, 34, "ipc goes with instructions");
    ERR_AT(CPU_OP("{op: cpu, instructions: 1, ipc: 1, ref_clock: 1GHz}"), 6, 44,
           "ref_clock goes with duration");
    ERR_AT("orinsim: 1\ntasks:\n  - id: a\n    ops: [{op: memcpy, bytes: 1B}]\n", 3, 5,
           "missing required field 'engine' in task");
    ERR_AT("orinsim: 1\ntasks:\n  - engine: gpu\n", 3, 5, "missing required field 'id' in task");
    ERR_AT("orinsim: 1\ntasks:\n  - id: a\n    engine: gpu\n", 3, 5,
           "missing required field 'ops' in task");
    ERR_AT("orinsim: 1\nframes: 2\n", 1, 1, "missing required field 'tasks'");
}
END_TEST

START_TEST(err_wrong_type)
{
    ERR_AT(GPU_OP("{op: gemm, m: [1, 2], n: 1, k: 1}"), 6, 23, "expected a value for gemm m, got a list");
    ERR_AT(GPU_OP("{op: gemm, m: 1.5, n: 1, k: 1}"), 6, 23, "expected an integer for gemm m, got '1.5'");
    ERR_AT(GPU_OP("{op: gemm, m: big, n: 1, k: 1}"), 6, 23, "expected an integer for gemm m");
    ERR_AT(GPU_OP("{op: conv, input: 5, filters: 1, kernel: 1}"), 6, 27,
           "expected a list for conv input, got a scalar");
    ERR_AT(GPU_OP("{op: conv, input: [1, 2, 3], filters: 1, kernel: 1}"), 6, 27,
           "expected [N, C, H, W] (4 integers) for conv input, got 3 items");
    ERR_AT(GPU_OP("{op: conv, input: [1, 1, 4, 4], filters: 1, kernel: [1, 2, 3]}"), 6, 61,
           "expected an integer or [h, w] for conv kernel");
    ERR_AT(GPU_OP("{op: kernel, grid: {x: 1}, block: 1}"), 6, 28,
           "expected an integer or [x, y, z] for kernel grid");
    ERR_AT(GPU_OP("{op: attention, heads: 1, seq_q: 1, head_dim: 1, causal: maybe}"), 6, 66,
           "expected true or false for attention causal");
    ERR_AT(GPU_OP("{op: kernel, grid: 1, block: 1, flops: 5}"), 6, 48,
           "expected a mapping for kernel flops");
    ERR_AT("orinsim: 1\ntasks: {a: 1}\n", 2, 8, "expected a list for tasks, got a mapping");
    ERR_AT("orinsim: 1\ntasks: [a]\n", 2, 9, "expected a mapping for a task");
    ERR_AT("orinsim: 1\ntasks:\n  - {id: a, engine: gpu, after: a, ops: [{op: memcpy, bytes: 1B}]}\n",
           3, 33, "expected a list for task after");
    ERR_AT("orinsim: 1\ntasks:\n  - {id: [a], engine: gpu}\n", 3, 10, "expected a value for task id");
    ERR_AT("orinsim: 1\nframes: {n: 3}\ntasks: []\n", 2, 9, "expected a value for frames");
}
END_TEST

START_TEST(err_units)
{
    ERR_AT("orinsim: 1\nperiod: 33\n", 2, 9, "period: missing unit in '33'");
    ERR_AT("orinsim: 1\nperiod: 33 fps\n", 2, 9, "unknown unit 'fps'");
    ERR_AT(GPU_OP("{op: kernel, grid: 1, block: 1, shared: 16KiX}"), 6, 49,
           "kernel shared: unknown unit 'KiX' in '16KiX'");
    ERR_AT(GPU_OP("{op: memcpy, bytes: 4096}"), 6, 29, "memcpy bytes: missing unit");
    ERR_AT(CPU_OP("{op: cpu, duration: 1.5}"), 6, 29, "cpu duration: missing unit");
    ERR_AT(CPU_OP("{op: cpu, duration: 1ms, ref_clock: 2.2}"), 6, 45, "missing unit");
}
END_TEST

START_TEST(err_bounds)
{
    /* sizes and counts: zero, negative, absurd */
    ERR_AT(GPU_OP("{op: gemm, m: 0, n: 1, k: 1}"), 6, 23,
           "gemm m = 0 is out of range (expected 1 to 16777216)");
    ERR_AT(GPU_OP("{op: gemm, m: 1, n: 16777217, k: 1}"), 6, 29, "gemm n = 16777217 is out of range");
    ERR_AT(GPU_OP("{op: gemm, m: 1, n: 1, k: -8}"), 6, 35, "gemm k = -8 is out of range");
    ERR_AT(GPU_OP("{op: elementwise, elements: 0}"), 6, 37, "elementwise elements = 0");
    /* 2^40 = 1.0995e12 */
    ERR_AT(GPU_OP("{op: elementwise, elements: 2e12}"), 6, 37, "expected 1 to 1099511627776");
    ERR_AT(GPU_OP("{op: reduce, elements: 8, outputs: 9}"), 6, 44, "reduce outputs = 9");
    ERR_AT(GPU_OP("{op: memcpy, bytes: 0B}"), 6, 29,
           "memcpy bytes = 0B is out of range (expected 1 B to 64.00 GiB)");
    ERR_AT(GPU_OP("{op: memcpy, bytes: 65GiB}"), 6, 29, "memcpy bytes = 65GiB is out of range");
    ERR_AT(GPU_OP("{op: memcpy, bytes: -1MiB}"), 6, 29, "negative size");
    ERR_AT(GPU_OP("{op: kernel, grid: 0, block: 1}"), 6, 28, "kernel grid = 0 is out of range");
    ERR_AT(GPU_OP("{op: kernel, grid: [1, 2147483648], block: 1}"), 6, 32,
           "expected 1 to 2147483647");
    ERR_AT(GPU_OP("{op: kernel, grid: 1, block: 1025}"), 6, 38, "kernel block = 1025");
    /* 32 x 32 x 2 = 2048 threads > 1024 */
    ERR_AT(GPU_OP("{op: kernel, grid: 1, block: [32, 32, 2]}"), 6, 38,
           "kernel block has 2048 threads (at most 1024 per CTA)");
    ERR_AT(GPU_OP("{op: kernel, grid: 1, block: 1, registers: 256}"), 6, 52,
           "kernel registers = 256 is out of range (expected 1 to 255)");
    ERR_AT(GPU_OP("{op: kernel, grid: 1, block: 1, shared: 2MiB}"), 6, 49, "expected 0 B to 1.00 MiB");
    /* conv: groups must divide C = 6 and filters = 4; a 5x5 kernel does not fit 4x4 */
    ERR_AT(GPU_OP("{op: conv, input: [1, 6, 8, 8], filters: 4, kernel: 1, groups: 3}"), 6, 72,
           "conv groups = 3 must divide both");
    ERR_AT(GPU_OP("{op: conv, input: [1, 1, 4, 4], filters: 1, kernel: 5}"), 6, 61,
           "conv kernel spans 5x5 pixels");
    ERR_AT(GPU_OP("{op: conv, input: [1, 1, 4, 4], filters: 1, kernel: 1, stride: 0}"), 6, 72,
           "conv stride = 0");
    ERR_AT(CPU_OP("{op: cpu, duration: 0ms}"), 6, 29, "cpu duration = 0ms is out of range");
    ERR_AT(CPU_OP("{op: cpu, instructions: 1e6, ipc: 0}"), 6, 43, "cpu ipc = 0");
    ERR_AT(CPU_OP("{op: cpu, duration: 1ms, threads: 0}"), 6, 43, "cpu threads = 0");
    ERR_AT(GPU_OP("{op: repeat, count: 0, ops: [{op: memcpy, bytes: 1B}]}"), 6, 29,
           "repeat count = 0 is out of range");
    /* top level */
    ERR_AT("orinsim: 1\nframes: 0\n", 2, 9, "frames = 0 is out of range (expected 1 to 10000000)");
    ERR_AT("orinsim: 1\nframes: 1e8\n", 2, 9, "frames = 1e8 is out of range");
    ERR_AT("orinsim: 1\nperiod: 0ms\n", 2, 9, "period = 0ms is out of range");
    ERR_AT("orinsim: 1\nperiod: 3601s\n", 2, 9, "at most 3600 s");
    ERR_AT("orinsim: 1\nmax_in_flight: 0\n", 2, 16, "max_in_flight = 0 is out of range (expected 1 to 1024)");
    ERR_AT("orinsim: 1\nmax_in_flight: 1025\n", 2, 16, "max_in_flight = 1025");
}
END_TEST

START_TEST(err_names)
{
    ERR_AT("orinsim: 1\ntasks:\n  - {id: a b, engine: gpu}\n", 3, 10,
           "task id 'a b' may hold only letters, digits");
    ERR_AT("orinsim: 1\ntasks:\n  - {id: '', engine: gpu}\n", 3, 10, "task id is empty");
    ERR_AT("orinsim: 1\ntasks:\n  - {id: "
           "a123456789012345678901234567890123456789012345678901234567890123, engine: gpu}\n",
           3, 10, "task id is too long (at most 63 characters)");
    ERR_AT(GPU_OP("{op: memcpy, bytes: 1B, name: \"a\\tb\"}"), 6, 39,
           "memcpy name contains a control character");
    ERR_AT("orinsim: 1\ntasks:\n  - {id: a, engine: gpu, process: x y, ops: [{op: memcpy, "
           "bytes: 1B}]}\n", 3, 35, "process 'x y' may hold only letters, digits");
    ERR_AT("orinsim: 1\ntasks:\n  - {id: a, engine: gpu, process: [p], ops: [{op: memcpy, "
           "bytes: 1B}]}\n", 3, 35, "task process");
    ERR_AT("orinsim: 1\ntasks:\n  - {id: a, engine: gpu, io_dtype: fp8, ops: [{op: memcpy, "
           "bytes: 1B}]}\n", 3, 36, "unknown io_dtype 'fp8' (expected fp32, fp16, bf16, int8");
    ERR_AT("orinsim: 1\ntasks:\n  - {id: a, engine: cpu, io_dtype: fp32, ops: [{op: cpu, "
           "duration: 1ms}]}\n", 3, 36, "io_dtype applies to gpu and dla tasks, not to engine cpu");
    /* io_dtype sets both sides; input_dtype / output_dtype set one. */
    ERR_AT("orinsim: 1\ntasks:\n  - {id: a, engine: gpu, io_dtype: fp32, input_dtype: fp16, ops: "
           "[{op: memcpy, bytes: 1B}]}\n", 3, 55, "input_dtype and io_dtype both given");
    ERR_AT("orinsim: 1\ntasks:\n  - {id: a, engine: gpu, output_dtype: fp32, io_dtype: fp32, ops: "
           "[{op: memcpy, bytes: 1B}]}\n", 3, 40, "output_dtype and io_dtype both given");
    ERR_AT("orinsim: 1\ntasks:\n  - {id: a, engine: gpu, output_dtype: tf32, ops: [{op: memcpy, "
           "bytes: 1B}]}\n", 3, 40, "unknown output_dtype 'tf32' (expected fp32");
    ERR_AT("orinsim: 1\ntasks:\n  - {id: a, engine: pva, input_dtype: fp32, ops: [{op: memcpy, "
           "bytes: 1B}]}\n", 3, 39, "input_dtype applies to gpu and dla tasks, not to engine pva");
}
END_TEST

/* process: tasks without one share context 0; named processes get contexts 1, 2, ... in
 * order of first appearance, and tasks naming the same process share its context. */
START_TEST(processes)
{
    trace_t t;
    diag_t d;
    const char *y = "orinsim: 1\ntasks:\n"
                    "  - {id: a, engine: gpu, process: p, ops: [{op: memcpy, bytes: 1B}]}\n"
                    "  - {id: b, engine: gpu, ops: [{op: memcpy, bytes: 1B}]}\n"
                    "  - {id: c, engine: gpu, process: q, ops: [{op: memcpy, bytes: 1B}]}\n"
                    "  - {id: d, engine: gpu, process: p, ops: [{op: memcpy, bytes: 1B}]}\n";
    ck_assert_int_eq(parse(y, &t, &d), 0);
    ck_assert_int_eq(t.tasks[0].context, 1);
    ck_assert_int_eq(t.tasks[1].context, 0);
    ck_assert_int_eq(t.tasks[2].context, 2);
    ck_assert_int_eq(t.tasks[3].context, 1);
    ck_assert_str_eq(t.tasks[3].process, "p");
    trace_free(&t);
}
END_TEST

START_TEST(err_duplicate_task)
{
    ERR_AT("orinsim: 1\ntasks:\n"
           "  - {id: a, engine: gpu, ops: [{op: memcpy, bytes: 1B}]}\n"
           "  - {id: a, engine: gpu, ops: [{op: memcpy, bytes: 1B}]}\n",
           4, 10, "duplicate task id 'a' (first defined at line 3)");
}
END_TEST

START_TEST(err_after)
{
    /* unknown: the message names the missing task, and no other */
    static const char UNKNOWN[] =
        "orinsim: 1\ntasks:\n"
        "  - {id: alpha, engine: gpu, ops: [{op: memcpy, bytes: 1B}]}\n"
        "  - {id: beta, engine: gpu, after: [alpha, gamma], ops: [{op: memcpy, bytes: 1B}]}\n";
    trace_t t;
    diag_t d;
    ERR_AT(UNKNOWN, 4, 44, "task 'beta' is after unknown task 'gamma'");
    ck_assert_int_lt(parse(UNKNOWN, &t, &d), 0);
    ck_assert_ptr_null(strstr(d.msg, "alpha"));
    /* self */
    ERR_AT("orinsim: 1\ntasks:\n"
           "  - {id: a, engine: gpu, after: [a], ops: [{op: memcpy, bytes: 1B}]}\n",
           3, 34, "task 'a' lists itself in after");
    /* twice */
    ERR_AT("orinsim: 1\ntasks:\n"
           "  - {id: a, engine: gpu, ops: [{op: memcpy, bytes: 1B}]}\n"
           "  - {id: b, engine: gpu, after: [a, a], ops: [{op: memcpy, bytes: 1B}]}\n",
           4, 37, "task 'b' lists 'a' twice in after");
}
END_TEST

START_TEST(err_cycle)
{
    /* a after c, b after a, c after b: run order a -> b -> c -> a, reported at a's
     * entry naming c (line 3, column 34). */
    ERR_AT("orinsim: 1\ntasks:\n"
           "  - {id: a, engine: gpu, after: [c], ops: [{op: memcpy, bytes: 1B}]}\n"
           "  - {id: b, engine: gpu, after: [a], ops: [{op: memcpy, bytes: 1B}]}\n"
           "  - {id: c, engine: gpu, after: [b], ops: [{op: memcpy, bytes: 1B}]}\n",
           3, 34, "dependency cycle: a -> b -> c -> a");
    /* x is fine, w only waits behind the cycle y <-> z: the cycle is y -> z -> y, reported
     * at y's entry naming z (the second item of y's list). */
    ERR_AT("orinsim: 1\ntasks:\n"
           "  - {id: x, engine: gpu, ops: [{op: memcpy, bytes: 1B}]}\n"
           "  - {id: w, engine: gpu, after: [z], ops: [{op: memcpy, bytes: 1B}]}\n"
           "  - {id: y, engine: gpu, after: [x, z], ops: [{op: memcpy, bytes: 1B}]}\n"
           "  - {id: z, engine: gpu, after: [y], ops: [{op: memcpy, bytes: 1B}]}\n",
           5, 37, "dependency cycle: y -> z -> y");
}
END_TEST

START_TEST(err_empty_lists)
{
    ERR_AT("orinsim: 1\ntasks: []\n", 2, 8, "tasks is empty");
    ERR_AT("orinsim: 1\ntasks:\n  - {id: a, engine: gpu, ops: []}\n", 3, 31,
           "task 'a' has no ops");
    ERR_AT(GPU_OP("{op: repeat, count: 3, ops: []}"), 6, 37, "repeat ops is empty");
}
END_TEST

START_TEST(err_too_many_ops)
{
    /* 1000 x 1001 = 1,001,000 > TRACE_MAX_OPS = 1,000,000: refused at the outer repeat
     * before anything is expanded. */
    ERR_AT(GPU_OP("{op: repeat, count: 1000, ops: [{op: repeat, count: 1001, ops: [{op: memcpy, bytes: 1B}]}]}"),
           6, 9, "too many ops");
    /* the limit is for the whole trace: 600,000 + 400,001 */
    ERR_AT("orinsim: 1\ntasks:\n"
           "  - {id: a, engine: gpu, ops: [{op: repeat, count: 600000, ops: [{op: memcpy, bytes: 1B}]}]}\n"
           "  - {id: b, engine: gpu, ops: [{op: repeat, count: 400001, ops: [{op: memcpy, bytes: 1B}]}]}\n",
           4, 32, "too many ops");
}
END_TEST

START_TEST(err_alias_bomb)
{
    /* Nine levels of ten aliases name 10^9 ops in a few hundred bytes: counted, not
     * expanded, and refused at the first repeat that passes the limit. */
    /* Anchors must stay inside the document, so define them under a task's ops list. */
    static const char B[] =
        "orinsim: 1\n"
        "tasks:\n"
        "  - id: a\n"
        "    engine: gpu\n"
        "    ops:\n"
        "      - &a {op: memcpy, bytes: 1B}\n"
        "      - &b {op: repeat, count: 1, ops: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]}\n"
        "      - &c {op: repeat, count: 1, ops: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]}\n"
        "      - &d {op: repeat, count: 1, ops: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]}\n"
        "      - &e {op: repeat, count: 1, ops: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]}\n"
        "      - &f {op: repeat, count: 1, ops: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]}\n"
        "      - &g {op: repeat, count: 1, ops: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]}\n"
        "      - &h {op: repeat, count: 1, ops: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]}\n"
        "      - &i {op: repeat, count: 1, ops: [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]}\n"
        "      - &j {op: repeat, count: 1, ops: [*i, *i, *i, *i, *i, *i, *i, *i, *i, *i]}\n";
    /* a..g hold 1 + 10 + ... + 10^6 = 1,111,111 ops: the repeat at &g (line 12) would pass
     * 1e6 (1 + 10 + ... + 10^5 = 111,111 before it, plus 10^6). */
    ERR_AT(B, 12, 9, "too many ops");
}
END_TEST

START_TEST(err_alias_cycle)
{
    /* libyaml lets an alias name the mapping that contains it; expansion would never end. */
    ERR_AT(GPU_OP("&r {op: repeat, count: 1, ops: [*r]}"), 6, 9, "nested more than 16 deep");
}
END_TEST

START_TEST(err_long_cycle_and_many_tasks)
{
    /* 20 tasks with 60-character ids in one cycle: the path (20 x 64 characters) does not
     * fit a message, which ends in " ..." instead of overflowing. Task i is after i - 1,
     * task 0 after task 19; reported at task 0's entry (line 3, column 9 + 60 + 23 = 93). */
    char *y = malloc(20 * 200 + 64), *e = y;
    trace_t t;
    diag_t d;
    ck_assert_ptr_nonnull(y);
    e += sprintf(e, "orinsim: 1\ntasks:\n");
    for (int i = 0; i < 20; i++)
        e += sprintf(e, "  - {id: t%02d%057d, engine: gpu, after: [t%02d%057d], ops: [{op: memcpy, "
                     "bytes: 1B}]}\n", i, 0, (i + 19) % 20, 0);
    ERR_AT(y, 3, 93, "dependency cycle: t00");
    ck_assert_int_lt(parse(y, &t, &d), 0);
    ck_assert_ptr_nonnull(strstr(d.msg, " ..."));
    free(y);

    /* TRACE_MAX_TASKS + 1 = 4097 tasks */
    y = malloc(4097 * 80 + 64);
    ck_assert_ptr_nonnull(y);
    e = y + sprintf(y, "orinsim: 1\ntasks:\n");
    for (int i = 0; i < 4097; i++)
        e += sprintf(e, "  - {id: t%d, engine: gpu, ops: [{op: memcpy, bytes: 1B}]}\n", i);
    ERR_AT(y, 3, 3, "too many tasks: 4097 (at most 4096)");
    free(y);
}
END_TEST

/* `levels` repeat blocks of count 1 around `inner`, in one flow mapping. */
static char *nest(int levels, const char *inner)
{
    static const char OPEN[] = "{op: repeat, count: 1, ops: [", CLOSE[] = "]}";
    char *s = malloc((size_t)levels * (sizeof OPEN + sizeof CLOSE) + strlen(inner) + 1);
    char *e = s;
    ck_assert_ptr_nonnull(s);
    for (int i = 0; i < levels; i++)
        e += sprintf(e, "%s", OPEN);
    e += sprintf(e, "%s", inner);
    for (int i = 0; i < levels; i++)
        e += sprintf(e, "%s", CLOSE);
    return s;
}

static char *aliased_nest(int levels)
{
    char *inner = nest(levels, "*y"), *y = malloc(strlen(inner) + 256);
    ck_assert_ptr_nonnull(y);
    sprintf(y, "orinsim: 1\ntasks:\n  - id: a\n    engine: gpu\n    ops:\n"
               "      - &x {op: repeat, count: 1, ops: [{op: memcpy, bytes: 1B}]}\n"
               "      - &y {op: repeat, count: 1, ops: [*x]}\n"
               "      - %s\n", inner);
    free(inner);
    return y;
}

START_TEST(repeat_depth_limit)
{
    trace_t t;
    diag_t d;
    /* 16 nested repeats are allowed, 17 are not (error at the innermost, the 17th). */
    char *ok = nest(16, "{op: memcpy, bytes: 1B}"), *bad = nest(17, "{op: memcpy, bytes: 1B}");
    char y[4096];
    snprintf(y, sizeof y, GPU_OP("%s"), ok);
    ck_assert_int_eq(parse(y, &t, &d), 0);
    ck_assert_int_eq(t.tasks[0].nops, 1);
    trace_free(&t);
    snprintf(y, sizeof y, GPU_OP("%s"), bad);
    /* the 17th "{op: repeat" starts after 16 x 29 characters of "{op: repeat, count: 1, ops: [" */
    ERR_AT(y, 6, 9 + 16 * 29, "nested more than 16 deep");
    free(ok);
    free(bad);

    /* Through aliases: y holds x, which holds a memcpy (two levels). Named under 14 more
     * levels, y's memcpy is 16 deep: fine, and the copy of y must equal its first parse. */
    char *a = aliased_nest(14);
    ck_assert_int_eq(parse(a, &t, &d), 0);
    ck_assert_int_eq(t.tasks[0].nops, 3);   /* x, y, and the nest: one memcpy each */
    ck_assert_int_eq(t.tasks[0].ops[2].pos.line, 6);
    trace_free(&t);
    free(a);
    /* Under 15 levels it is 17 deep, even though x and y were already expanded once at a
     * shallower depth: refused at x (line 6), where the 17th level begins. */
    a = aliased_nest(15);
    ERR_AT(a, 6, 9, "nested more than 16 deep");
    free(a);
}
END_TEST

START_TEST(alias_fanout_is_parsed_once)
{
    /* a: 1 op; b..f: ten aliases of the previous level each, 10 ... 10^5 ops; then f named
     * 8 more times: 1 + 10 + 100 + 1000 + 10^4 + 10^5 + 8 x 10^5 = 911,111 ops, under the
     * limit. Each node is parsed once and copied after that. */
    static const char Y[] =
        "orinsim: 1\n"
        "tasks:\n"
        "  - id: a\n"
        "    engine: gpu\n"
        "    ops:\n"
        "      - &a {op: kernel, name: k, grid: [1, 2, 3], block: 128}\n"
        "      - &b {op: repeat, count: 1, ops: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]}\n"
        "      - &c {op: repeat, count: 1, ops: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]}\n"
        "      - &d {op: repeat, count: 1, ops: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]}\n"
        "      - &e {op: repeat, count: 1, ops: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]}\n"
        "      - &f {op: repeat, count: 1, ops: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]}\n"
        "      - [*f, *f]\n";
    trace_t t;
    diag_t d;
    char y[2048];
    /* the last line is replaced by 8 plain aliases */
    snprintf(y, sizeof y, "%.*s", (int)(strstr(Y, "      - [*f") - Y), Y);
    for (int i = 0; i < 8; i++)
        strcat(y, "      - *f\n");
    ck_assert_int_eq(parse(y, &t, &d), 0);
    ck_assert_int_eq(t.tasks[0].nops, 911111);
    for (int i = 0; i < t.tasks[0].nops; i++)
        ck_assert_int_eq(t.tasks[0].ops[i].u.kernel.grid[2], 3);
    trace_free(&t);
    /* Two more make 1,111,111 > 10^6: refused at the 10th *f. An alias is the node it
     * names (libyaml keeps no position for the alias itself), so the error points at the
     * anchor &f, line 11. */
    for (int i = 0; i < 2; i++)
        strcat(y, "      - *f\n");
    ERR_AT(y, 11, 9, "too many ops");
}
END_TEST

static Suite *trace_suite(void)
{
    Suite *s = suite_create("trace");
    TCase *ok = tcase_create("valid");
    TCase *file = tcase_create("files");
    TCase *err = tcase_create("errors");
    tcase_add_test(ok, example_structure);
    tcase_add_test(ok, defaults);
    tcase_add_test(ok, processes);
    tcase_add_test(ok, explicit_values);
    tcase_add_test(ok, topo_lowest_index_first);
    tcase_add_test(ok, nested_repeat_and_aliases);
    tcase_add_test(ok, max_ops_exactly);
    tcase_add_test(ok, repeat_depth_limit);
    tcase_add_test(ok, alias_fanout_is_parsed_once);
    tcase_add_test(ok, load_example_file);
    tcase_add_test(file, file_missing);
    tcase_add_test(file, file_is_directory);
    tcase_add_test(file, file_empty);
    tcase_add_test(file, file_error_position);
    tcase_add_test(err, err_yaml_syntax);
    tcase_add_test(err, err_empty);
    tcase_add_test(err, err_root_not_mapping);
    tcase_add_test(err, err_version);
    tcase_add_test(err, err_unknown_key_top);
    tcase_add_test(err, err_unknown_key_task);
    tcase_add_test(err, err_unknown_key_each_op);
    tcase_add_test(err, err_unknown_op);
    tcase_add_test(err, err_unknown_engine);
    tcase_add_test(err, err_engine_op_mismatch);
    tcase_add_test(err, err_dtype);
    tcase_add_test(err, err_sparsity);
    tcase_add_test(err, err_missing_field);
    tcase_add_test(err, err_wrong_type);
    tcase_add_test(err, err_units);
    tcase_add_test(err, err_bounds);
    tcase_add_test(err, err_names);
    tcase_add_test(err, err_duplicate_task);
    tcase_add_test(err, err_after);
    tcase_add_test(err, err_cycle);
    tcase_add_test(err, err_empty_lists);
    tcase_add_test(err, err_too_many_ops);
    tcase_add_test(err, err_alias_bomb);
    tcase_add_test(err, err_alias_cycle);
    tcase_add_test(err, err_long_cycle_and_many_tasks);
    suite_add_tcase(s, ok);
    suite_add_tcase(s, file);
    suite_add_tcase(s, err);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(trace_suite());
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
