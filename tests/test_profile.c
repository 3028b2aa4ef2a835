/*
 * Tests of `orinsim profile` (soc/measure/profile.c): TensorRT layer names to module paths, op
 * names to the names PyTorch's ONNX exporter gives each call, the grouping of layers and
 * kernels, and the profile file's errors.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "soc/measure/profile.h"
#include "soc/run/replay.h"

static void path_is(const char *node, const char *want)
{
    char out[256];
    profile_node_path(node, strlen(node), out, sizeof out);
    ck_assert_str_eq(out, want);
}

START_TEST(node_paths)
{
    /* Lower case, '/' -> '.'; a ModuleList's own scope before its child is dropped (newer
     * exporters write "/model.2/m/m.0/...", older ones "/model.2/m.0/..."). */
    path_is("/model.2/m/m.0/cv1/conv/Conv", "model.2.m.0.cv1.conv.conv");
    path_is("/model.2/m.0/cv1/conv/Conv", "model.2.m.0.cv1.conv.conv");
    path_is("/model.23/cv3.0/cv3.0.0/cv3.0.0.0/conv/Conv", "model.23.cv3.0.0.0.conv.conv");
    path_is("/model.9/m_1/MaxPool", "model.9.m_1.maxpool");
    /* A C3k inside a C3k2 (YOLO11): list "m" of bottlenecks inside module m.0. */
    path_is("/model.6/m.0/m/m.1/cv2/conv/Conv", "model.6.m.0.m.1.cv2.conv.conv");
    path_is("//a//b/", "a.b");
    path_is("", "");
}
END_TEST

static void instance_is(const char *name, int k, const char *want)
{
    char out[PROFILE_NAME_LEN];
    profile_instance_name(name, k, out, sizeof out);
    ck_assert_str_eq(out, want);
}

START_TEST(instance_names)
{
    instance_is("model.4.m.0-1.cv1", 0, "model.4.m.0.cv1");
    instance_is("model.4.m.0-1.cv1", 1, "model.4.m.1.cv1");
    instance_is("layers.10-41.attn", 31, "layers.41.attn");     /* 10 + 31 */
    instance_is("a.2-3.b", 5, "a.2-3.b");                         /* past the range: as is */
    instance_is("Model.9.M", 0, "model.9.m");
    instance_is("model.9.m", 2, "model.9.m_2");                   /* a module called again */
    /* Cut to the buffer, never past it. */
    {
        char out[8];
        profile_instance_name("model.4.m.0-1.cv1", 1, out, sizeof out);
        ck_assert_str_eq(out, "model.4");
    }
}
END_TEST

static char *write_tmp(const char *text)
{
    static char paths[4][64];
    static int next;
    char *p = paths[next++ % 4];
    int fd;
    FILE *f;
    snprintf(p, 64, "/tmp/orinsim-profile-XXXXXX");
    fd = mkstemp(p);
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return p;
}

/* One block: conv cv1 with SiLU, the residual add (fused into cv1's kernel: same shape,
 * right after it), conv cv2. */
static const char *TRACE = "orinsim: 1\n"
                           "name: blk\n"
                           "tasks:\n"
                           "  - id: net\n"
                           "    engine: gpu\n"
                           "    ops:\n"
                           "      - {op: conv, name: blk.cv1, input: [1, 64, 80, 80], filters: 64,"
                           " kernel: 3, padding: 1, activation: silu, dtype: fp16}\n"
                           "      - {op: eltwise, name: blk.add, input: [1, 64, 80, 80], dtype: fp16}\n"
                           "      - {op: conv, name: blk.cv2, input: [1, 64, 80, 80], filters: 128,"
                           " kernel: 1, dtype: fp16}\n";

START_TEST(groups_and_totals)
{
    const char *json =
        "[\n"
        "  { \"count\" : 100 }\n"
        ", { \"name\" : \"/blk/cv1/conv/Conv + PWN(PWN(/blk/cv1/act/Sigmoid), /blk/cv1/act/Mul)\","
        " \"timeMs\" : 5, \"averageMs\" : 0.05, \"percentage\" : 46.7 }\n"
        ", { \"name\" : \"PWN(/blk/Add)\", \"timeMs\" : 1, \"averageMs\" : 0.01 }\n"
        ", { \"name\" : \"Reformatting CopyNode for Input Tensor 0 to /blk/cv2/conv/Conv\","
        " \"timeMs\" : 0.5, \"averageMs\" : 0.005 }\n"
        ", { \"name\" : \"/blk/cv2/conv/Conv\", \"timeMs\" : 4, \"averageMs\" : 0.04 }\n"
        ", { \"name\" : \"/head/Concat_output_0 copy\", \"timeMs\" : 0.2, \"averageMs\" : 0.002 }\n"
        "]\n";
    char *pp = write_tmp(json), *tp = write_tmp(TRACE);
    sku_t *sku = calloc(1, sizeof *sku);
    soc_config_t cfg;
    trace_t t;
    profile_t p;
    replay_options_t ro;
    replay_result_t res;
    diag_t d;

    diag_clear(&d);
    ck_assert_ptr_nonnull(sku);
    ck_assert_int_eq(sku_load("nano8", sku, &d), 0);
    ck_assert_int_eq(sku_resolve(sku, "MAXN_SUPER", &cfg, &d), 0);
    ck_assert_int_eq(trace_load(tp, &t, &d), 0);
    ck_assert_int_eq(profile_load(pp, &p, &d), 0);
    ck_assert_int_eq(p.iterations, 100);
    ck_assert_int_eq(p.nlayers, 5);
    ck_assert_int_eq(profile_simulate(&cfg, &t, &p, &d), 0);
    /* The add is fused into cv1's kernel: two kernels, the first running both ops. */
    ck_assert_int_eq(p.nkernels, 2);
    ck_assert_int_eq(p.kernels[0].nnames, 2);
    ck_assert_str_eq(p.kernels[0].names[1], "blk.add");
    ck_assert_int_eq(profile_match(&p), 0);

    /* Groups: {cv1 conv layer, add layer; cv1+add kernel} and {cv2 layer; cv2 kernel}. The
     * reformat and the copy match no op. */
    ck_assert_int_eq(p.ngroups, 2);
    ck_assert_int_eq(p.groups[0].nlayers, 2);
    ck_assert_double_eq_tol(p.groups[0].measured_ms, 0.05 + 0.01, 1e-12);
    ck_assert_int_eq(p.groups[1].nlayers, 1);
    ck_assert_double_eq_tol(p.groups[1].measured_ms, 0.04, 1e-12);
    ck_assert_int_eq(p.lone_layers, 2);
    ck_assert_double_eq_tol(p.lone_layer_ms, 0.005 + 0.002, 1e-12);
    ck_assert_double_eq_tol(p.measured_ms, 0.05 + 0.01 + 0.005 + 0.04 + 0.002, 1e-12);
    ck_assert_int_eq(p.lone_kernels, 0);
    ck_assert_double_eq_tol(p.groups[0].predicted_ms + p.groups[1].predicted_ms, p.predicted_ms,
                            1e-12);

    /* The kernels run back to back in one task, so their simulated times, launches
     * included, add up to the frame's latency in a plain run of the same trace. */
    memset(&ro, 0, sizeof ro);
    memset(&res, 0, sizeof res);
    ro.frames = 1;
    ck_assert_int_eq(replay_run(&cfg, &t, &ro, &res, &d), 0);
    ck_assert_double_eq_tol(p.predicted_ms, (double)(res.first_done - res.first_release) * 1e-9,
                            1e-9);
    replay_result_free(&res);

    {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        ck_assert_ptr_nonnull(f);
        profile_print(f, &p, tp, "nano8", "MAXN_SUPER");
        ck_assert_int_eq(profile_write_json(f, &p, tp, "nano8", "MAXN_SUPER"), 0);
        fclose(f);
        ck_assert_ptr_nonnull(strstr(buf, "layers matching no op"));
        /* Both groups start with a conv: one row of that kind, 2 groups, 0.06 + 0.04 ms. */
        ck_assert_ptr_nonnull(strstr(buf, "\n  conv                  2       0.1000 "));
        ck_assert_ptr_nonnull(strstr(buf, "largest differences"));
        ck_assert_ptr_nonnull(strstr(buf, "\"kind\":\"conv\""));
        ck_assert_ptr_nonnull(strstr(buf, "\"unmatched_layers\""));
        free(buf);
    }
    profile_free(&p);
    trace_free(&t);
    free(sku);
    unlink(pp);
    unlink(tp);
}
END_TEST

START_TEST(dump_profile_tables)
{
    /* trtexec --dumpProfile's table inside its log, with the median column of TensorRT
     * 8.6 and later; the time taken is Avg.(ms), the second column. */
    const char *log =
        "[05/08/2024-14:05:14] [I] Some other line\n"
        "[05/08/2024-14:05:14] [I] === Profile (2094 iterations ) ===\n"
        "[05/08/2024-14:05:14] [I]    Time(ms)     Avg.(ms)   Median(ms)   Time(%)   Layer\n"
        "[05/08/2024-14:05:14] [I]       16.15       0.0077       0.0075       0.5   "
        "Reformatting CopyNode for Input Tensor 0 to /blk/cv1/conv/Conv\n"
        "[05/08/2024-14:05:14] [I]       47.82       0.0228       0.0225       1.6   "
        "/blk/cv1/conv/Conv + PWN(/blk/cv1/act/Relu)\r\n"
        "[05/08/2024-14:05:14] [I]       63.97       0.0305       0.0300       2.1   Total\n"
        "[05/08/2024-14:05:14] [I] \n";
    /* The older table without a median, no log prefixes. */
    const char *old = "=== Profile (10 iterations ) ===\n"
                      "   Time(ms)     Avg.(ms)   Time(%)   Layer\n"
                      "       1.00       0.1000      50.0   a b c\n"
                      "       1.00       0.1000      50.0   /x/y\n"
                      "       2.00       0.2000     100.0   Total\n";
    char *pp = write_tmp(log);
    profile_t p;
    diag_t d;

    diag_clear(&d);
    ck_assert_int_eq(profile_load(pp, &p, &d), 0);
    ck_assert_int_eq(p.iterations, 2094);
    ck_assert_int_eq(p.nlayers, 2);
    ck_assert_double_eq_tol(p.layers[0].ms, 0.0077, 1e-12);
    ck_assert_str_eq(p.layers[1].name, "/blk/cv1/conv/Conv + PWN(/blk/cv1/act/Relu)");
    ck_assert_double_eq_tol(p.layers[1].ms, 0.0228, 1e-12);
    profile_free(&p);
    unlink(pp);

    pp = write_tmp(old);
    ck_assert_int_eq(profile_load(pp, &p, &d), 0);
    ck_assert_int_eq(p.iterations, 10);
    ck_assert_int_eq(p.nlayers, 2);
    ck_assert_str_eq(p.layers[0].name, "a b c");
    ck_assert_double_eq_tol(p.layers[1].ms, 0.1, 1e-12);
    profile_free(&p);
    unlink(pp);
}
END_TEST

/* Bad profiles: the error's line and column (0: not checked) and a part of its message. */
static const struct bad {
    const char *text;
    int line, col;
    const char *says;
} BAD[] = {
    /* A layer without a time: element 2 (count, a, b) starts on line 4, column 3. */
    {"[\n  {\"count\": 5}\n, {\"name\": \"a\", \"averageMs\": 1}\n, {\"name\": \"b\"}\n]\n", 4, 3,
     "averageMs"},
    /* A quoted brace inside a name does not throw the position off. */
    {"[{\"name\": \"{x}\", \"averageMs\": 1},\n {\"name\": 3, \"averageMs\": 1}]", 2, 2,
     "not a string"},
    {"[{\"name\": \"a\", \"averageMs\": -1}]", 0, 0, "milliseconds"},
    /* Elements that are not objects are counted too: the number, then the array. */
    {"[1,\n {\"name\": \"a\", \"averageMs\": 1}]", 1, 2, "not an object"},
    {"[{\"name\": \"a\", \"averageMs\": 1},\n  [2]]", 2, 3, "not an object"},
    {"{\"name\": \"a\"}", 1, 1, "expected a JSON array"},
    {"[{\"count\": 3}]", 1, 1, "no layers"},
    {"[{\"name\": \"a\", \"averageMs\": 1},", 1, 0, "not JSON"},
    /* Tables: a row whose second number is missing: "x" is at line 3, column 13. */
    {"=== Profile (3 iterations ) ===\n  Time(ms)  Avg.(ms)  Layer\n      1.0   x\n", 3, 13,
     "expected 2 numbers"},
    {"=== Profile (3 iterations ) ===\n  Time(ms)  Layer\n", 2, 3, "Avg.(ms)"},
    {"=== Profile (3 iterations ) ===\nsomething else\n", 2, 1, "header"},
    {"=== Profile (3 iterations ) ===\n", 0, 0, "ends before its header"},
    {"", 0, 0, "empty"},
};

START_TEST(bad_profiles)
{
    const struct bad *b = &BAD[_i];
    char *pp = write_tmp(b->text);
    profile_t p;
    diag_t d;
    diag_clear(&d);
    ck_assert_int_ne(profile_load(pp, &p, &d), 0);
    profile_free(&p);
    unlink(pp);
    if (b->line)
        ck_assert_int_eq(d.line, b->line);
    if (b->col)
        ck_assert_int_eq(d.col, b->col);
    ck_assert_msg(strstr(d.msg, b->says) != NULL, "case %d: '%s' not in '%s'", _i, b->says,
                  d.msg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("profile");
    TCase *tc = tcase_create("profile");
    SRunner *sr;
    int failed;
    tcase_add_test(tc, node_paths);
    tcase_add_test(tc, instance_names);
    tcase_add_test(tc, groups_and_totals);
    tcase_add_test(tc, dump_profile_tables);
    tcase_add_loop_test(tc, bad_profiles, 0, (int)(sizeof BAD / sizeof BAD[0]));
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
