/*
 * trace: the workload trace format v1, parsed from YAML. See trace.h and
 * docs/trace-format.md, which lists every field, unit, default and bound used here.
 *
 * The whole file is loaded as a libyaml document (soc/ydoc.c) and walked in three passes:
 *
 *   1. top-level fields, then each task in file order: id, engine, ops. `repeat` blocks
 *      are expanded while their op lists are parsed, so every task ends up with a flat
 *      op array. The `after` lists are only checked for shape here.
 *   2. `after` names are resolved to task indices (a task may name a later one).
 *   3. Kahn's algorithm gives `topo`, taking the lowest ready index first so the order
 *      is a function of the file alone. Tasks it cannot order lie on or behind a
 *      dependency cycle; one cycle is found by walking predecessors and reported.
 *
 * Errors: the first one found wins and names the node's line:column. Within a task the
 * order is document order; unknown `after` names and cycles come after every task has
 * parsed, because a task may depend on one defined below it.
 *
 * Expansion limits. YAML aliases let a few hundred bytes name one op list millions of
 * times, and an alias may even name the block that contains it (libyaml builds such
 * a self-referential node). So before a repeat block is expanded, the size of its body
 * is counted (ops_cost), saturating as soon as the whole-trace limit TRACE_MAX_OPS would
 * be passed, and repeat nesting is bounded (MAX_REPEAT_DEPTH), which also stops alias
 * cycles. The body is then parsed once and copied count - 1 times. Both the count and
 * the parse remember their result per YAML node (memo_t), so a node named through many
 * aliases costs one walk and then plain copies: time is linear in the file plus the ops
 * produced. An alias has no position of its own in libyaml's document, so an error in
 * an aliased node is reported where its anchor defines it.
 *
 * What it does not check: whether the module has the engine (a Nano has no DLA) or the
 * engine is modelled yet; soc/replay.c does that with engine_pos. It only checks
 * bounds that hold on any hardware (a CUDA block has at most 1024 threads).
 */
#include "soc/trace.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/units.h"
#include "soc/ydoc.h"

enum { MAX_REPEAT_DEPTH = 16 };

/* Bounds on user-provided quantities (docs/trace-format.md, "Bounds"). They reject
 * typos and absurd values, not unusual workloads. */
#define GIB 1073741824.0
#define MIB 1048576.0
#define MAX_BYTES (64.0 * GIB)            /* memcpy, kernel dram_bytes, cpu bytes */
#define MAX_SHARED MIB                    /* kernel shared memory per CTA */
#define MAX_FLOPS 1e18                    /* per kernel, per dtype */
#define MAX_PERIOD_PS (3600ULL * SIM_S)   /* one hour */
#define MAX_DURATION_PS (3600ULL * SIM_S)
static const int64_t MAX_DIM = (int64_t)1 << 24;      /* gemm m n k, attention seq */
static const int64_t MAX_COUNT = (int64_t)1 << 20;    /* batch, conv N C H W filters */
static const int64_t MAX_ELEMENTS = (int64_t)1 << 40;
static const int64_t MAX_WINDOW = 1024;               /* conv kernel, stride, pad, dilation */
static const int64_t MAX_GRID = 2147483647;           /* 2^31 - 1 */

static const char *const ENGINE_NAMES[ENG_COUNT] = {"gpu", "dla0", "dla1", "dla", "pva", "cpu"};
static const char *const OP_NAMES[OP_KIND_COUNT] = {
    "gemm", "conv", "attention", "elementwise", "reduce", "memcpy", "kernel", "cpu"};

static const char *const TOP_KEYS[] = {"orinsim", "name", "frames", "period", "max_in_flight",
                                       "tasks", "budgets", NULL};
static const char *const TASK_KEYS[] = {"id", "engine", "after", "ops", NULL};
static const char *const REPEAT_KEYS[] = {"op", "name", "count", "ops", NULL};
static const char *const *const OP_KEYS[OP_KIND_COUNT] = {
    [OP_GEMM] = (const char *const[]){"op", "name", "m", "n", "k", "batch", "dtype", "sparsity",
                                      NULL},
    [OP_CONV] = (const char *const[]){"op", "name", "input", "filters", "kernel", "stride",
                                      "padding", "dilation", "groups", "dtype", "sparsity", NULL},
    [OP_ATTENTION] = (const char *const[]){"op", "name", "batch", "heads", "seq_q", "seq_kv",
                                           "head_dim", "dtype", "causal", NULL},
    [OP_ELEMENTWISE] = (const char *const[]){"op", "name", "elements", "inputs", "outputs",
                                             "flops_per_element", "dtype", NULL},
    [OP_REDUCE] = (const char *const[]){"op", "name", "elements", "outputs", "dtype", NULL},
    [OP_MEMCPY] = (const char *const[]){"op", "name", "bytes", NULL},
    [OP_KERNEL] = (const char *const[]){"op", "name", "grid", "block", "registers", "shared",
                                        "flops", "tensor_flops", "dram_bytes", NULL},
    [OP_CPU] = (const char *const[]){"op", "name", "duration", "ref_clock", "instructions", "ipc",
                                     "threads", "bytes", NULL},
};
/* Formats each unit computes in: CUDA cores (kernel `flops`), tensor cores (`tensor_flops`,
 * and the only dtypes 2:4 sparsity applies to). */
static const char *const CUDA_DTYPES[] = {"fp32", "fp16", "bf16", "int8", NULL};
static const char *const TENSOR_DTYPES[] = {"tf32", "fp16", "bf16", "int8", "int4", NULL};

const char *trace_engine_name(trace_engine_t e)
{
    return (e >= 0 && e < ENG_COUNT) ? ENGINE_NAMES[e] : "?";
}

const char *trace_op_name(trace_op_kind_t k)
{
    return (k >= 0 && k < OP_KIND_COUNT) ? OP_NAMES[k] : "?";
}

/* ---- parser state ---- */

typedef struct oplist {
    trace_op_t *v;
    int n, cap;
} oplist_t;

/* What is known about one YAML node of an op list, so that a node named many times
 * through aliases is counted and parsed once. */
typedef struct memo {
    int64_t cost;                  /* ops it expands to (ops_cost); 0 = not known */
    int task;                      /* 1 + task whose op list holds its expansion; 0 = none */
    int start, len;                /* its expansion: ops [start, start + len) of that list */
    int height;                    /* repeat levels below it */
} memo_t;

typedef struct parser {
    ydoc_t y;
    diag_t *d;
    trace_t *t;
    int64_t ops_before;            /* ops of the tasks already parsed */
    int task;                      /* index of the task being parsed */
    trace_engine_t engine;         /* of that task */
    const char *task_id;
    yaml_node_t **after_nodes;     /* per task: its `after` list, or NULL */
    memo_t *memo;                  /* per document node */
    int depth_reached;             /* deepest repeat level parsed so far */
    int cost_cut;                  /* ops_cost stopped at the depth limit */
} parser_t;

static int oom(parser_t *p)
{
    return diag_error(p->d, p->y.path, 0, 0, "out of memory");
}

static int oplist_reserve(parser_t *p, oplist_t *l, int64_t need)
{
    trace_op_t *v;
    int64_t cap = l->cap ? l->cap : 8;
    if (need <= l->cap)
        return 0;
    assert(need <= TRACE_MAX_OPS);
    while (cap < need)
        cap *= 2;
    if (cap > TRACE_MAX_OPS)
        cap = TRACE_MAX_OPS;
    v = realloc(l->v, (size_t)cap * sizeof *v);
    if (v == NULL)
        return oom(p);
    l->v = v;
    l->cap = (int)cap;
    return 0;
}

/* ---- field helpers: "what" in messages reads "<op> <field>", e.g. "gemm m" ---- */

static const char *what(char *buf, size_t len, const char *ctx, const char *key)
{
    snprintf(buf, len, "%s %s", ctx, key);
    return buf;
}

/* An integer field: required when `def` is NULL. */
static int int_field(parser_t *p, const yaml_node_t *map, const char *ctx, const char *key,
                     int64_t min, int64_t max, const int64_t *def, int64_t *out)
{
    char w[96], mw[96];
    yaml_node_t *v = ydoc_get(&p->y, map, key);
    if (v == NULL) {
        if (def == NULL) {
            ydoc_require(&p->y, map, key, what(mw, sizeof mw, ctx, "op"), p->d);
            return DIAG_ERR;
        }
        *out = *def;
        return 0;
    }
    return ydoc_int(&p->y, v, what(w, sizeof w, ctx, key), min, max, out, p->d);
}

static const int64_t ONE = 1;

static int double_field(parser_t *p, const yaml_node_t *map, const char *ctx, const char *key,
                        double min, double max, double def, double *out)
{
    char w[96];
    yaml_node_t *v = ydoc_get(&p->y, map, key);
    if (v == NULL) {
        *out = def;
        return 0;
    }
    return ydoc_double(&p->y, v, what(w, sizeof w, ctx, key), min, max, out, p->d);
}

/* A size with a unit in [min, max] bytes; the bounds are printed with units. */
static int size_value(parser_t *p, const yaml_node_t *v, const char *w, double min, double max,
                      double *out)
{
    char lo[32], hi[32];
    double b;
    if (ydoc_size(&p->y, v, w, 0.0, HUGE_VAL, &b, p->d) != 0)
        return DIAG_ERR;
    if (b < min || b > max) {
        units_fmt_bytes(min, lo, sizeof lo);
        units_fmt_bytes(max, hi, sizeof hi);
        return ydoc_error(&p->y, v, p->d, "%s = %s is out of range (expected %s to %s)", w,
                          ydoc_str(v), lo, hi);
    }
    *out = b;
    return 0;
}

static int size_field(parser_t *p, const yaml_node_t *map, const char *ctx, const char *key,
                      double min, double max, int required, double *out)
{
    char w[96], mw[96];
    yaml_node_t *v = ydoc_get(&p->y, map, key);
    if (v == NULL) {
        if (required) {
            ydoc_require(&p->y, map, key, what(mw, sizeof mw, ctx, "op"), p->d);
            return DIAG_ERR;
        }
        *out = 0.0;
        return 0;
    }
    return size_value(p, v, what(w, sizeof w, ctx, key), min, max, out);
}

/* A duration in (0, max]; the message speaks in milliseconds and hours, not picoseconds. */
static int duration_value(parser_t *p, const yaml_node_t *v, const char *w, uint64_t max_ps,
                          uint64_t *out)
{
    uint64_t ps;
    if (ydoc_duration(&p->y, v, w, 0, UINT64_MAX, &ps, p->d) != 0)
        return DIAG_ERR;
    if (ps == 0 || ps > max_ps)
        return ydoc_error(&p->y, v, p->d,
                          "%s = %s is out of range (expected more than 0 s and at most %g s)",
                          w, ydoc_str(v), (double)max_ps / 1e12);
    *out = ps;
    return 0;
}

/* An integer or a list of 1..n integers (missing trailing items take `fill`). */
static int dims_field(parser_t *p, const yaml_node_t *v, const char *w, int n, int64_t min,
                      int64_t max, int64_t fill, int64_t *out)
{
    size_t len;
    if (v->type == YAML_SCALAR_NODE) {
        if (ydoc_int(&p->y, v, w, min, max, &out[0], p->d) != 0)
            return DIAG_ERR;
        for (int i = 1; i < n; i++)
            out[i] = n == 2 ? out[0] : fill;   /* a pair repeats, a dim3 fills with 1 */
        return 0;
    }
    len = ydoc_seq_len(v);
    if (v->type != YAML_SEQUENCE_NODE || len < 1 || len > (size_t)n) {
        if (n == 2)
            return ydoc_error(&p->y, v, p->d, "expected an integer or [h, w] for %s", w);
        return ydoc_error(&p->y, v, p->d, "expected an integer or [x, y, z] for %s", w);
    }
    if (n == 2 && len != 2)
        return ydoc_error(&p->y, v, p->d, "expected an integer or [h, w] for %s, got %zu items",
                          w, len);
    for (int i = 0; i < n; i++) {
        out[i] = fill;
        if ((size_t)i < len &&
            ydoc_int(&p->y, ydoc_seq_at(&p->y, v, (size_t)i), w, min, max, &out[i], p->d) != 0)
            return DIAG_ERR;
    }
    return 0;
}

/* A label: at most maxlen - 1 printable characters (no control characters). */
static int label(parser_t *p, const yaml_node_t *v, const char *w, char *out, size_t maxlen)
{
    if (ydoc_string(&p->y, v, w, out, maxlen, p->d) != 0)
        return DIAG_ERR;
    for (const char *s = out; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return ydoc_error(&p->y, v, p->d, "%s contains a control character", w);
    return 0;
}

static int dtype_field(parser_t *p, const yaml_node_t *map, const char *ctx, dtype_t *out)
{
    yaml_node_t *v = ydoc_get(&p->y, map, "dtype");
    char w[96];
    *out = DT_FP16;
    if (v == NULL)
        return 0;
    if (ydoc_expect_scalar(&p->y, v, what(w, sizeof w, ctx, "dtype"), p->d) != 0)
        return DIAG_ERR;
    if (dtype_parse(ydoc_str(v), out) != 0)
        return ydoc_error(&p->y, v, p->d,
                          "unknown dtype '%s' in %s op (expected one of: fp32, tf32, fp16, "
                          "bf16, int8, int4)", ydoc_str(v), ctx);
    return 0;
}

static int sparsity_field(parser_t *p, const yaml_node_t *map, trace_op_t *op)
{
    yaml_node_t *v = ydoc_get(&p->y, map, "sparsity");
    const char *s;
    char w[96];
    op->sparse = 0;
    if (v == NULL)
        return 0;
    if (ydoc_expect_scalar(&p->y, v, what(w, sizeof w, trace_op_name(op->kind), "sparsity"),
                           p->d) != 0)
        return DIAG_ERR;
    s = ydoc_str(v);
    if (strcmp(s, "dense") == 0)
        return 0;
    if (strcmp(s, "2:4") != 0)
        return ydoc_error(&p->y, v, p->d, "unknown sparsity '%s' (expected dense or \"2:4\")", s);
    if (op->dtype == DT_FP32)
        return ydoc_error(&p->y, v, p->d,
                          "2:4 sparsity needs a tensor-core dtype (tf32, fp16, bf16, int8, "
                          "int4), got fp32");
    op->sparse = 1;
    return 0;
}

/* kernel flops / tensor_flops: {dtype: count} with dtypes from `allowed`. */
static int flops_map(parser_t *p, const yaml_node_t *map, const char *key,
                     const char *const *allowed, double *out)
{
    yaml_node_t *v = ydoc_get(&p->y, map, key);
    char w[96];
    what(w, sizeof w, "kernel", key);
    if (v == NULL)
        return 0;
    if (ydoc_expect_map(&p->y, v, w, p->d) != 0 || ydoc_check_keys(&p->y, v, allowed, w, p->d))
        return DIAG_ERR;
    for (const char *const *a = allowed; *a; a++) {
        yaml_node_t *c = ydoc_get(&p->y, v, *a);
        dtype_t t;
        char cw[128];
        int ok = dtype_parse(*a, &t);
        assert(ok == 0);
        (void)ok;
        snprintf(cw, sizeof cw, "%s %s", w, *a);
        if (c != NULL && ydoc_double(&p->y, c, cw, 0.0, MAX_FLOPS, &out[t], p->d) != 0)
            return DIAG_ERR;
    }
    return 0;
}

/* ---- one op of each kind ---- */

static int parse_gemm(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    if (int_field(p, m, "gemm", "m", 1, MAX_DIM, NULL, &op->u.gemm.m) ||
        int_field(p, m, "gemm", "n", 1, MAX_DIM, NULL, &op->u.gemm.n) ||
        int_field(p, m, "gemm", "k", 1, MAX_DIM, NULL, &op->u.gemm.k) ||
        int_field(p, m, "gemm", "batch", 1, MAX_COUNT, &ONE, &op->u.gemm.batch))
        return DIAG_ERR;
    return dtype_field(p, m, "gemm", &op->dtype) || sparsity_field(p, m, op);
}

static int parse_conv(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    yaml_node_t *in = ydoc_require(&p->y, m, "input", "conv op", p->d);
    yaml_node_t *k, *v;
    int64_t nchw[4], pair[2];
    static const char *const DIM[4] = {"conv input N", "conv input C", "conv input H",
                                       "conv input W"};
    if (in == NULL || ydoc_expect_seq(&p->y, in, "conv input", p->d) != 0)
        return DIAG_ERR;
    if (ydoc_seq_len(in) != 4)
        return ydoc_error(&p->y, in, p->d, "expected [N, C, H, W] (4 integers) for conv input, "
                          "got %zu items", ydoc_seq_len(in));
    for (size_t i = 0; i < 4; i++)
        if (ydoc_int(&p->y, ydoc_seq_at(&p->y, in, i), DIM[i], 1, MAX_COUNT, &nchw[i], p->d))
            return DIAG_ERR;
    op->u.conv.n = nchw[0];
    op->u.conv.c = nchw[1];
    op->u.conv.h = nchw[2];
    op->u.conv.w = nchw[3];
    if (int_field(p, m, "conv", "filters", 1, MAX_COUNT, NULL, &op->u.conv.filters))
        return DIAG_ERR;
    k = ydoc_require(&p->y, m, "kernel", "conv op", p->d);
    if (k == NULL || dims_field(p, k, "conv kernel", 2, 1, MAX_WINDOW, 1, pair))
        return DIAG_ERR;
    op->u.conv.kh = pair[0];
    op->u.conv.kw = pair[1];
    pair[0] = pair[1] = 1;
    if ((v = ydoc_get(&p->y, m, "stride")) && dims_field(p, v, "conv stride", 2, 1, MAX_WINDOW,
                                                         1, pair))
        return DIAG_ERR;
    op->u.conv.stride_h = pair[0];
    op->u.conv.stride_w = pair[1];
    pair[0] = pair[1] = 0;
    if ((v = ydoc_get(&p->y, m, "padding")) && dims_field(p, v, "conv padding", 2, 0,
                                                          MAX_WINDOW, 0, pair))
        return DIAG_ERR;
    op->u.conv.pad_h = pair[0];
    op->u.conv.pad_w = pair[1];
    pair[0] = pair[1] = 1;
    if ((v = ydoc_get(&p->y, m, "dilation")) && dims_field(p, v, "conv dilation", 2, 1,
                                                           MAX_WINDOW, 1, pair))
        return DIAG_ERR;
    op->u.conv.dil_h = pair[0];
    op->u.conv.dil_w = pair[1];
    /* The dilated kernel must fit in the padded input, or there is no output pixel. */
    {
        int64_t eh = op->u.conv.dil_h * (op->u.conv.kh - 1) + 1;
        int64_t ew = op->u.conv.dil_w * (op->u.conv.kw - 1) + 1;
        int64_t ih = op->u.conv.h + 2 * op->u.conv.pad_h;
        int64_t iw = op->u.conv.w + 2 * op->u.conv.pad_w;
        if (eh > ih || ew > iw)
            return ydoc_error(&p->y, k, p->d,
                              "conv kernel spans %lldx%lld pixels (with dilation), larger than "
                              "the padded input %lldx%lld", (long long)eh, (long long)ew,
                              (long long)ih, (long long)iw);
    }
    if (int_field(p, m, "conv", "groups", 1, MAX_COUNT, &ONE, &op->u.conv.groups))
        return DIAG_ERR;
    if (op->u.conv.c % op->u.conv.groups || op->u.conv.filters % op->u.conv.groups)
        return ydoc_error(&p->y, ydoc_get(&p->y, m, "groups"), p->d,
                          "conv groups = %lld must divide both the input channels (%lld) and "
                          "filters (%lld)", (long long)op->u.conv.groups, (long long)op->u.conv.c,
                          (long long)op->u.conv.filters);
    return dtype_field(p, m, "conv", &op->dtype) || sparsity_field(p, m, op);
}

static int parse_attention(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    yaml_node_t *v;
    if (int_field(p, m, "attention", "batch", 1, MAX_COUNT, &ONE, &op->u.attn.batch) ||
        int_field(p, m, "attention", "heads", 1, 4096, NULL, &op->u.attn.heads) ||
        int_field(p, m, "attention", "seq_q", 1, MAX_DIM, NULL, &op->u.attn.seq_q) ||
        int_field(p, m, "attention", "seq_kv", 1, MAX_DIM, &op->u.attn.seq_q,
                  &op->u.attn.seq_kv) ||
        int_field(p, m, "attention", "head_dim", 1, 4096, NULL, &op->u.attn.head_dim))
        return DIAG_ERR;
    op->u.attn.causal = 0;
    if ((v = ydoc_get(&p->y, m, "causal")) &&
        ydoc_bool(&p->y, v, "attention causal", &op->u.attn.causal, p->d))
        return DIAG_ERR;
    return dtype_field(p, m, "attention", &op->dtype);
}

static int parse_elementwise(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    if (int_field(p, m, "elementwise", "elements", 1, MAX_ELEMENTS, NULL, &op->u.ew.elements) ||
        int_field(p, m, "elementwise", "inputs", 0, 64, &ONE, &op->u.ew.inputs) ||
        int_field(p, m, "elementwise", "outputs", 1, 64, &ONE, &op->u.ew.outputs) ||
        double_field(p, m, "elementwise", "flops_per_element", 0.0, 1e6, 1.0,
                     &op->u.ew.flops_per_element))
        return DIAG_ERR;
    return dtype_field(p, m, "elementwise", &op->dtype);
}

static int parse_reduce(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    if (int_field(p, m, "reduce", "elements", 1, MAX_ELEMENTS, NULL, &op->u.reduce.elements) ||
        int_field(p, m, "reduce", "outputs", 1, op->u.reduce.elements, &ONE,
                  &op->u.reduce.outputs))
        return DIAG_ERR;
    return dtype_field(p, m, "reduce", &op->dtype);
}

static int parse_kernel(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    yaml_node_t *g = ydoc_require(&p->y, m, "grid", "kernel op", p->d);
    yaml_node_t *b;
    int64_t threads;
    if (g == NULL || dims_field(p, g, "kernel grid", 3, 1, MAX_GRID, 1, op->u.kernel.grid))
        return DIAG_ERR;
    b = ydoc_require(&p->y, m, "block", "kernel op", p->d);
    if (b == NULL || dims_field(p, b, "kernel block", 3, 1, 1024, 1, op->u.kernel.block))
        return DIAG_ERR;
    threads = op->u.kernel.block[0] * op->u.kernel.block[1] * op->u.kernel.block[2];
    if (threads > 1024)
        return ydoc_error(&p->y, b, p->d, "kernel block has %lld threads (at most 1024 per CTA)",
                          (long long)threads);
    if (int_field(p, m, "kernel", "registers", 1, 255, &(const int64_t){32},
                  &op->u.kernel.registers) ||
        size_field(p, m, "kernel", "shared", 0.0, MAX_SHARED, 0, &op->u.kernel.shared) ||
        flops_map(p, m, "flops", CUDA_DTYPES, op->u.kernel.flops) ||
        flops_map(p, m, "tensor_flops", TENSOR_DTYPES, op->u.kernel.tensor_flops) ||
        size_field(p, m, "kernel", "dram_bytes", 0.0, MAX_BYTES, 0, &op->u.kernel.dram_bytes))
        return DIAG_ERR;
    return 0;
}

static int parse_cpu(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    yaml_node_t *dur = ydoc_get(&p->y, m, "duration");
    yaml_node_t *ins = ydoc_get(&p->y, m, "instructions");
    yaml_node_t *v;
    if (dur && ins)
        return ydoc_error(&p->y, ydoc_key_node(&p->y, m, "instructions"), p->d,
                          "cpu op takes either duration or instructions + ipc, not both");
    if (dur) {
        if (duration_value(p, dur, "cpu duration", MAX_DURATION_PS, &op->u.cpu.duration_ps))
            return DIAG_ERR;
        if ((v = ydoc_get(&p->y, m, "ipc")))
            return ydoc_error(&p->y, ydoc_key_node(&p->y, m, "ipc"), p->d,
                              "cpu ipc goes with instructions, not with duration");
        if ((v = ydoc_get(&p->y, m, "ref_clock")) &&
            ydoc_freq(&p->y, v, "cpu ref_clock", 1e6, 10e9, &op->u.cpu.ref_hz, p->d))
            return DIAG_ERR;
    } else if (ins) {
        if (ydoc_double(&p->y, ins, "cpu instructions", 1.0, 1e15, &op->u.cpu.instructions, p->d))
            return DIAG_ERR;
        if ((v = ydoc_get(&p->y, m, "ref_clock")))
            return ydoc_error(&p->y, ydoc_key_node(&p->y, m, "ref_clock"), p->d,
                              "cpu ref_clock goes with duration, not with instructions");
        v = ydoc_require(&p->y, m, "ipc", "cpu op (instructions need an ipc)", p->d);
        if (v == NULL || ydoc_double(&p->y, v, "cpu ipc", 0.01, 16.0, &op->u.cpu.ipc, p->d))
            return DIAG_ERR;
    } else {
        return ydoc_error(&p->y, m, p->d,
                          "cpu op needs either duration (e.g. 1.5ms) or instructions + ipc");
    }
    if (int_field(p, m, "cpu", "threads", 1, 256, &ONE, &op->u.cpu.threads) ||
        size_field(p, m, "cpu", "bytes", 0.0, MAX_BYTES, 0, &op->u.cpu.bytes))
        return DIAG_ERR;
    return 0;
}

/* ---- op lists and repeat ---- */

static int is_repeat(const yaml_node_t *item, parser_t *p)
{
    const char *s = ydoc_str(ydoc_get(&p->y, item, "op"));
    return item->type == YAML_MAPPING_NODE && s && strcmp(s, "repeat") == 0;
}

static memo_t *memo_of(parser_t *p, const yaml_node_t *n)
{
    return &p->memo[n - p->y.doc.nodes.start];
}

/* How many ops `seq` expands to, saturated at cap + 1. Anything that is not a well-formed
 * repeat counts as one op (the parse reports it), and so does a repeat at the depth limit.
 * An exact count is remembered per node, so each node is walked once however many
 * aliases name it; a saturated count ends the parse with an error. */
static int64_t ops_cost(parser_t *p, const yaml_node_t *seq, int depth, int64_t cap)
{
    int64_t total = 0;
    size_t n = ydoc_seq_len(seq);
    for (size_t i = 0; i < n && total <= cap; i++) {
        yaml_node_t *item = ydoc_seq_at(&p->y, seq, i);
        yaml_node_t *body = ydoc_get(&p->y, item, "ops");
        memo_t *mm = memo_of(p, item);
        int64_t cost = 1;
        double count;
        if (mm->cost > 0) {
            cost = mm->cost;
        } else if (is_repeat(item, p) && ydoc_seq_len(body) > 0 &&
                   units_number(ydoc_str(ydoc_get(&p->y, item, "count")), &count) == 0 &&
                   count >= 1 && count <= TRACE_MAX_OPS && count == floor(count)) {
            int64_t c = (int64_t)count, subcap = (cap - total) / c, sub;
            int cut = p->cost_cut;
            if (depth >= MAX_REPEAT_DEPTH) {
                p->cost_cut = 1;
            } else if (subcap < 1) {
                cost = cap + 1;
            } else {
                p->cost_cut = 0;
                sub = ops_cost(p, body, depth + 1, subcap);
                cost = c * sub;
                if (sub <= subcap && !p->cost_cut)
                    mm->cost = cost;
                p->cost_cut |= cut;
            }
        } else {
            mm->cost = 1;
        }
        total += cost;
    }
    return total < 1 ? 1 : total > cap ? cap + 1 : total;
}

static int parse_ops(parser_t *p, const yaml_node_t *seq, int depth, oplist_t *out);

static int too_many(parser_t *p, const yaml_node_t *n)
{
    return ydoc_error(&p->y, n, p->d,
                      "too many ops: the trace would hold more than %d ops after repeat "
                      "expansion (TRACE_MAX_OPS)", TRACE_MAX_OPS);
}

static int parse_repeat(parser_t *p, const yaml_node_t *m, int depth, oplist_t *out)
{
    yaml_node_t *body, *v;
    int64_t count, cap, cost, start, len;
    char name[TRACE_ID_LEN];
    if (ydoc_check_keys(&p->y, m, REPEAT_KEYS, "repeat op", p->d) != 0 ||
        int_field(p, m, "repeat", "count", 1, TRACE_MAX_OPS, NULL, &count) != 0)
        return DIAG_ERR;
    if ((v = ydoc_get(&p->y, m, "name")) && label(p, v, "repeat name", name, sizeof name))
        return DIAG_ERR;
    body = ydoc_require(&p->y, m, "ops", "repeat op", p->d);
    if (body == NULL || ydoc_expect_seq(&p->y, body, "repeat ops", p->d) != 0)
        return DIAG_ERR;
    if (ydoc_seq_len(body) == 0)
        return ydoc_error(&p->y, body, p->d, "repeat ops is empty (expected at least one op)");
    if (depth + 1 > MAX_REPEAT_DEPTH)
        return ydoc_error(&p->y, m, p->d,
                          "repeat blocks nested more than %d deep (does a YAML alias name the "
                          "block that contains it?)", MAX_REPEAT_DEPTH);
    /* Count before expanding: the body alone, then count copies of it. */
    cap = (TRACE_MAX_OPS - p->ops_before - out->n) / count;
    cost = cap < 1 ? 1 : ops_cost(p, body, depth + 1, cap);
    if (cap < 1 || cost > cap)
        return too_many(p, m);
    start = out->n;
    if (p->depth_reached < depth + 1)
        p->depth_reached = depth + 1;
    if (parse_ops(p, body, depth + 1, out) != 0)
        return DIAG_ERR;
    len = out->n - start;
    assert(len >= 1);
    if (len * count > TRACE_MAX_OPS - p->ops_before - start)
        return too_many(p, m);          /* not reached: cost == len for a body that parsed */
    if (oplist_reserve(p, out, start + len * count) != 0)
        return DIAG_ERR;
    for (int64_t i = 1; i < count; i++)
        memcpy(out->v + start + i * len, out->v + start, (size_t)len * sizeof *out->v);
    out->n = (int)(start + len * count);
    return 0;
}

static int parse_op(parser_t *p, const yaml_node_t *m, int depth, oplist_t *out)
{
    static int (*const PARSE[OP_KIND_COUNT])(parser_t *, const yaml_node_t *, trace_op_t *) = {
        [OP_GEMM] = parse_gemm, [OP_CONV] = parse_conv, [OP_ATTENTION] = parse_attention,
        [OP_ELEMENTWISE] = parse_elementwise, [OP_REDUCE] = parse_reduce,
        [OP_MEMCPY] = NULL, [OP_KERNEL] = parse_kernel, [OP_CPU] = parse_cpu};
    yaml_node_t *kn, *v;
    const char *ks;
    trace_op_t op;
    int kind = -1;
    char w[96];

    if (ydoc_expect_map(&p->y, m, "an op (e.g. {op: gemm, m: 64, n: 64, k: 64})", p->d) != 0)
        return DIAG_ERR;
    kn = ydoc_require(&p->y, m, "op", "op (the kind: gemm, conv, attention, elementwise, reduce, "
                      "memcpy, kernel, cpu or repeat)", p->d);
    if (kn == NULL || ydoc_expect_scalar(&p->y, kn, "op", p->d) != 0)
        return DIAG_ERR;
    ks = ydoc_str(kn);
    if (strcmp(ks, "repeat") == 0)
        return parse_repeat(p, m, depth, out);
    for (int i = 0; i < OP_KIND_COUNT; i++)
        if (strcmp(ks, OP_NAMES[i]) == 0)
            kind = i;
    if (kind < 0)
        return ydoc_error(&p->y, kn, p->d,
                          "unknown op '%s' (expected one of: gemm, conv, attention, elementwise, "
                          "reduce, memcpy, kernel, cpu, repeat)", ks);
    if (kind == OP_CPU && p->engine != ENG_CPU)
        return ydoc_error(&p->y, m, p->d,
                          "cpu op in task '%s' on engine %s (cpu ops run only on engine cpu)",
                          p->task_id, ENGINE_NAMES[p->engine]);
    if (kind != OP_CPU && p->engine == ENG_CPU)
        return ydoc_error(&p->y, m, p->d,
                          "%s op in task '%s' on engine cpu (engine cpu runs only cpu ops)",
                          ks, p->task_id);
    if (kind != OP_GEMM && kind != OP_CONV && (v = ydoc_key_node(&p->y, m, "sparsity")))
        return ydoc_error(&p->y, v, p->d, "sparsity applies only to gemm and conv ops, not %s",
                          ks);
    if (ydoc_check_keys(&p->y, m, OP_KEYS[kind], what(w, sizeof w, ks, "op"), p->d) != 0)
        return DIAG_ERR;

    memset(&op, 0, sizeof op);
    op.kind = (trace_op_kind_t)kind;
    op.pos.line = ydoc_line(m);
    op.pos.col = ydoc_col(m);
    op.dtype = DT_FP16;
    if ((v = ydoc_get(&p->y, m, "name")) && label(p, v, what(w, sizeof w, ks, "name"), op.name,
                                                  sizeof op.name))
        return DIAG_ERR;
    if (kind == OP_MEMCPY) {
        if (size_field(p, m, "memcpy", "bytes", 1.0, MAX_BYTES, 1, &op.u.memcpy.bytes) != 0)
            return DIAG_ERR;
    } else if (PARSE[kind](p, m, &op) != 0) {
        return DIAG_ERR;
    }
    if (p->ops_before + out->n + 1 > TRACE_MAX_OPS)
        return too_many(p, m);
    if (oplist_reserve(p, out, (int64_t)out->n + 1) != 0)
        return DIAG_ERR;
    out->v[out->n++] = op;
    return 0;
}

/* Parse an op list into `out`. An item already expanded in this task (an alias of it) is
 * copied from that expansion, unless at this depth its repeats would nest too deep. */
static int parse_ops(parser_t *p, const yaml_node_t *seq, int depth, oplist_t *out)
{
    size_t n = ydoc_seq_len(seq);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = ydoc_seq_at(&p->y, seq, i);
        memo_t *mm = memo_of(p, item);
        int start = out->n, outer = p->depth_reached;
        if (mm->task == p->task + 1 && depth + mm->height <= MAX_REPEAT_DEPTH) {
            if (p->ops_before + out->n + mm->len > TRACE_MAX_OPS)
                return too_many(p, item);
            if (oplist_reserve(p, out, (int64_t)out->n + mm->len) != 0)
                return DIAG_ERR;
            memcpy(out->v + out->n, out->v + mm->start, (size_t)mm->len * sizeof *out->v);
            out->n += mm->len;
            if (p->depth_reached < depth + mm->height)
                p->depth_reached = depth + mm->height;
            continue;
        }
        p->depth_reached = depth;
        if (parse_op(p, item, depth, out) != 0)
            return DIAG_ERR;
        mm->task = p->task + 1;
        mm->start = start;
        mm->len = out->n - start;
        mm->height = p->depth_reached - depth;
        if (p->depth_reached < outer)
            p->depth_reached = outer;
    }
    return 0;
}

/* ---- tasks ---- */

static int valid_id(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

static int parse_task(parser_t *p, const yaml_node_t *m, int index)
{
    trace_task_t *task = &p->t->tasks[index];
    yaml_node_t *v, *ops;
    oplist_t list = {0};
    int e = -1;

    if (ydoc_expect_map(&p->y, m, "a task (id, engine, after, ops)", p->d) != 0 ||
        ydoc_check_keys(&p->y, m, TASK_KEYS, "task", p->d) != 0)
        return DIAG_ERR;
    task->pos.line = ydoc_line(m);
    task->pos.col = ydoc_col(m);
    v = ydoc_require(&p->y, m, "id", "task", p->d);
    if (v == NULL || ydoc_string(&p->y, v, "task id", task->id, sizeof task->id, p->d) != 0)
        return DIAG_ERR;
    if (!valid_id(task->id))
        return ydoc_error(&p->y, v, p->d, "task id '%s' may hold only letters, digits, '_', '-' "
                          "and '.'", task->id);
    for (int i = 0; i < index; i++)
        if (strcmp(p->t->tasks[i].id, task->id) == 0)
            return ydoc_error(&p->y, v, p->d, "duplicate task id '%s' (first defined at line %d)",
                              task->id, p->t->tasks[i].pos.line);

    v = ydoc_require(&p->y, m, "engine", "task", p->d);
    if (v == NULL || ydoc_expect_scalar(&p->y, v, "task engine", p->d) != 0)
        return DIAG_ERR;
    for (int i = 0; i < ENG_COUNT; i++)
        if (strcmp(ydoc_str(v), ENGINE_NAMES[i]) == 0)
            e = i;
    if (e < 0)
        return ydoc_error(&p->y, v, p->d, "unknown engine '%s' (expected one of: gpu, dla0, dla1, "
                          "dla, pva, cpu)", ydoc_str(v));
    task->engine = (trace_engine_t)e;
    task->engine_pos.line = ydoc_line(v);
    task->engine_pos.col = ydoc_col(v);

    if ((v = ydoc_get(&p->y, m, "after"))) {
        if (ydoc_expect_seq(&p->y, v, "task after (a list of task ids)", p->d) != 0)
            return DIAG_ERR;
        for (size_t i = 0; i < ydoc_seq_len(v); i++) {
            char id[TRACE_ID_LEN];
            if (ydoc_string(&p->y, ydoc_seq_at(&p->y, v, i), "task id in after", id, sizeof id,
                            p->d) != 0)
                return DIAG_ERR;
        }
        p->after_nodes[index] = v;
    }

    ops = ydoc_require(&p->y, m, "ops", "task", p->d);
    if (ops == NULL || ydoc_expect_seq(&p->y, ops, "task ops", p->d) != 0)
        return DIAG_ERR;
    if (ydoc_seq_len(ops) == 0)
        return ydoc_error(&p->y, ops, p->d, "task '%s' has no ops (expected at least one)",
                          task->id);
    p->task = index;
    p->engine = task->engine;
    p->task_id = task->id;
    if (parse_ops(p, ops, 0, &list) != 0) {
        free(list.v);
        return DIAG_ERR;
    }
    task->ops = list.v;
    task->nops = list.n;
    p->ops_before += list.n;
    return 0;
}

/* ---- after edges, topological order, cycles ---- */

typedef struct id_index {
    const char *id;
    int task;
} id_index_t;

static int cmp_id(const void *a, const void *b)
{
    return strcmp(((const id_index_t *)a)->id, ((const id_index_t *)b)->id);
}

static int resolve_after(parser_t *p)
{
    trace_t *t = p->t;
    id_index_t *idx = malloc((size_t)t->ntasks * sizeof *idx);
    int *seen = calloc((size_t)t->ntasks, sizeof *seen);
    int rc = 0;
    if (idx == NULL || seen == NULL) {
        free(idx);
        free(seen);
        return oom(p);
    }
    for (int i = 0; i < t->ntasks; i++)
        idx[i] = (id_index_t){t->tasks[i].id, i};
    qsort(idx, (size_t)t->ntasks, sizeof *idx, cmp_id);
    for (int i = 0; i < t->ntasks && rc == 0; i++) {
        trace_task_t *task = &t->tasks[i];
        const yaml_node_t *list = p->after_nodes[i];
        size_t n = ydoc_seq_len(list);
        if (n == 0)
            continue;
        task->after = malloc(n * sizeof *task->after);
        if (task->after == NULL) {
            rc = oom(p);
            break;
        }
        for (size_t j = 0; j < n; j++) {
            yaml_node_t *item = ydoc_seq_at(&p->y, list, j);
            id_index_t key = {ydoc_str(item), 0};
            id_index_t *hit = bsearch(&key, idx, (size_t)t->ntasks, sizeof *idx, cmp_id);
            if (hit == NULL) {
                rc = ydoc_error(&p->y, item, p->d, "task '%s' is after unknown task '%s'",
                                task->id, key.id);
                break;
            }
            if (hit->task == i) {
                rc = ydoc_error(&p->y, item, p->d, "task '%s' lists itself in after", task->id);
                break;
            }
            if (seen[hit->task] == i + 1) {
                rc = ydoc_error(&p->y, item, p->d, "task '%s' lists '%s' twice in after",
                                task->id, key.id);
                break;
            }
            seen[hit->task] = i + 1;
            task->after[task->nafter++] = hit->task;
        }
    }
    free(idx);
    free(seen);
    return rc;
}

/* Report one cycle among the tasks Kahn's algorithm left (`done` == 0). Each of them has
 * an unfinished predecessor, so following the first such one from the lowest-index left
 * task must come back to a task already on the path. */
static int report_cycle(parser_t *p, const char *done)
{
    trace_t *t = p->t;
    int *onpath = calloc((size_t)t->ntasks, sizeof *onpath);   /* 1 + step number */
    int *path = malloc((size_t)t->ntasks * sizeof *path);
    int cur = 0, len = 0, first, low, lowstep, pred = -1, entry = 0;
    char msg[900];
    size_t used = 0;
    if (onpath == NULL || path == NULL) {
        free(onpath);
        free(path);
        return oom(p);
    }
    while (done[cur])
        cur++;
    while (!onpath[cur]) {
        trace_task_t *task = &t->tasks[cur];
        int next = -1;
        onpath[cur] = ++len;
        path[len - 1] = cur;
        for (int j = 0; j < task->nafter && next < 0; j++)
            if (!done[task->after[j]])
                next = task->after[j];
        assert(next >= 0);
        cur = next;
    }
    /* path[first..len-1] is the cycle, each task after the next one. */
    first = onpath[cur] - 1;
    low = first;
    for (int i = first; i < len; i++)
        if (path[i] < path[low])
            low = i;
    lowstep = low;
    /* Print in run order, starting and ending at the lowest-index task: walking the path
     * backwards from it goes from predecessor to successor. */
    for (int k = 0; k <= len - first; k++) {
        int i = lowstep - k;
        int w;
        if (i < first)
            i += len - first;
        w = snprintf(msg + used, sizeof msg - used, "%s%s", k ? " -> " : "", t->tasks[path[i]].id);
        if (w < 0 || (size_t)w >= sizeof msg - used) {
            snprintf(msg + (sizeof msg - 5), 5, " ...");
            break;
        }
        used += (size_t)w;
    }
    /* The edge at which it is reported: the lowest task's after entry naming its predecessor
     * in the cycle, which is the next task on the path. */
    low = path[lowstep];
    pred = path[lowstep + 1 < len ? lowstep + 1 : first];
    for (int j = 0; j < t->tasks[low].nafter; j++)
        if (t->tasks[low].after[j] == pred)
            entry = j;
    free(onpath);
    free(path);
    return ydoc_error(&p->y, ydoc_seq_at(&p->y, p->after_nodes[low], (size_t)entry), p->d,
                      "dependency cycle: %s", msg);
}

static int order_tasks(parser_t *p)
{
    trace_t *t = p->t;
    int n = t->ntasks, emitted = 0, rc = 0;
    int *indeg = calloc((size_t)n, sizeof *indeg);
    int *succ_start = calloc((size_t)n + 1, sizeof *succ_start);
    int *succ = NULL;
    char *done = calloc((size_t)n, 1);
    int64_t edges = 0;

    t->topo = malloc((size_t)n * sizeof *t->topo);
    if (indeg == NULL || succ_start == NULL || done == NULL || t->topo == NULL) {
        rc = oom(p);
        goto out;
    }
    /* Successor lists in CSR form: succ[succ_start[i] .. succ_start[i+1]) run after i. */
    for (int i = 0; i < n; i++) {
        indeg[i] = t->tasks[i].nafter;
        edges += t->tasks[i].nafter;
        for (int j = 0; j < t->tasks[i].nafter; j++)
            succ_start[t->tasks[i].after[j] + 1]++;
    }
    for (int i = 0; i < n; i++)
        succ_start[i + 1] += succ_start[i];
    succ = malloc((size_t)(edges ? edges : 1) * sizeof *succ);
    if (succ == NULL) {
        rc = oom(p);
        goto out;
    }
    {
        int *fill = calloc((size_t)n, sizeof *fill);
        if (fill == NULL) {
            rc = oom(p);
            goto out;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < t->tasks[i].nafter; j++) {
                int a = t->tasks[i].after[j];
                succ[succ_start[a] + fill[a]++] = i;
            }
        free(fill);
    }
    /* Kahn's algorithm, lowest ready index first: O(n^2 + edges), n <= TRACE_MAX_TASKS. */
    while (emitted < n) {
        int next = -1;
        for (int i = 0; i < n && next < 0; i++)
            if (!done[i] && indeg[i] == 0)
                next = i;
        if (next < 0)
            break;
        done[next] = 1;
        t->topo[emitted++] = next;
        for (int k = succ_start[next]; k < succ_start[next + 1]; k++)
            indeg[succ[k]]--;
    }
    if (emitted < n)
        rc = report_cycle(p, done);
out:
    free(indeg);
    free(succ_start);
    free(succ);
    free(done);
    return rc;
}

/* ---- the document ---- */

static int parse_version(parser_t *p, const yaml_node_t *root)
{
    yaml_node_t *v = ydoc_require(&p->y, root, "orinsim",
                                  "the trace (the format version: orinsim: 1)", p->d);
    double ver;
    if (v == NULL || ydoc_expect_scalar(&p->y, v, "orinsim (the format version)", p->d) != 0)
        return DIAG_ERR;
    if (units_number(ydoc_str(v), &ver) != 0 || ver != 1.0)
        return ydoc_error(&p->y, v, p->d,
                          "unsupported trace format version '%s' (this orinsim reads version 1)",
                          ydoc_str(v));
    p->t->version = 1;
    return 0;
}

static int parse_doc(parser_t *p)
{
    trace_t *t = p->t;
    yaml_node_t *root = ydoc_root(&p->y), *v, *tasks;
    size_t n;

    if (ydoc_expect_map(&p->y, root, "the trace (top level)", p->d) != 0 ||
        parse_version(p, root) != 0 ||
        ydoc_check_keys(&p->y, root, TOP_KEYS, "the trace (top level)", p->d) != 0)
        return DIAG_ERR;
    if ((v = ydoc_get(&p->y, root, "name")) && label(p, v, "trace name", t->name, sizeof t->name))
        return DIAG_ERR;
    t->frames = 1;
    if ((v = ydoc_get(&p->y, root, "frames")) &&
        ydoc_int(&p->y, v, "frames", 1, TRACE_MAX_FRAMES, &t->frames, p->d))
        return DIAG_ERR;
    t->period_ps = 0;
    if ((v = ydoc_get(&p->y, root, "period")) &&
        duration_value(p, v, "period", MAX_PERIOD_PS, &t->period_ps))
        return DIAG_ERR;
    t->max_in_flight = 1;
    if ((v = ydoc_get(&p->y, root, "max_in_flight")) &&
        ydoc_int(&p->y, v, "max_in_flight", 1, 1024, &t->max_in_flight, p->d))
        return DIAG_ERR;

    tasks = ydoc_require(&p->y, root, "tasks", "the trace (top level)", p->d);
    if (tasks == NULL || ydoc_expect_seq(&p->y, tasks, "tasks", p->d) != 0)
        return DIAG_ERR;
    n = ydoc_seq_len(tasks);
    if (n == 0)
        return ydoc_error(&p->y, tasks, p->d, "tasks is empty (expected at least one task)");
    if (n > TRACE_MAX_TASKS)
        return ydoc_error(&p->y, tasks, p->d, "too many tasks: %zu (at most %d)", n,
                          TRACE_MAX_TASKS);
    t->tasks = calloc(n, sizeof *t->tasks);
    p->after_nodes = calloc(n, sizeof *p->after_nodes);
    p->memo = calloc((size_t)(p->y.doc.nodes.top - p->y.doc.nodes.start), sizeof *p->memo);
    if (t->tasks == NULL || p->after_nodes == NULL || p->memo == NULL)
        return oom(p);
    for (size_t i = 0; i < n; i++) {
        t->ntasks = (int)i + 1;   /* so trace_free releases what this task allocated */
        if (parse_task(p, ydoc_seq_at(&p->y, tasks, i), (int)i) != 0)
            return DIAG_ERR;
    }
    if (budget_parse_yaml(&p->y, ydoc_get(&p->y, root, "budgets"), t, &t->budgets, p->d) != 0 ||
        resolve_after(p) != 0)
        return DIAG_ERR;
    return order_tasks(p);
}

static int parse_loaded(parser_t *p)
{
    int rc = parse_doc(p);
    free(p->after_nodes);
    free(p->memo);
    ydoc_free(&p->y);
    if (rc != 0) {
        char path[sizeof p->t->path];
        memcpy(path, p->t->path, sizeof path);
        trace_free(p->t);
        memcpy(p->t->path, path, sizeof path);
    }
    return rc;
}

int trace_load(const char *path, trace_t *t, diag_t *d)
{
    parser_t p = {.d = d, .t = t};
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s", path);
    if (ydoc_load_file(&p.y, path, d) != 0)
        return DIAG_ERR;
    return parse_loaded(&p);
}

int trace_parse(const char *name, const char *buf, size_t len, trace_t *t, diag_t *d)
{
    parser_t p = {.d = d, .t = t};
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s", name);
    if (ydoc_load_string(&p.y, name, buf, len, d) != 0)
        return DIAG_ERR;
    return parse_loaded(&p);
}

void trace_free(trace_t *t)
{
    if (t == NULL)
        return;
    for (int i = 0; i < t->ntasks; i++) {
        free(t->tasks[i].after);
        free(t->tasks[i].ops);
    }
    free(t->tasks);
    free(t->topo);
    budget_list_free(&t->budgets);
    memset(t, 0, sizeof *t);
}
