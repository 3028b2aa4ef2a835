/*
 * check_file: measurement files, written by `orinsim check --save` and read by
 * `orinsim compare` (format in docs/check.md, "Measurement files").
 *
 *   orinsim_measurements: 1
 *   device: {name: ..., compute_capability: "9.0", sms: 132, sm_clock: 1980 MHz, ...}
 *   trace: traces/check/gemm.yaml
 *   timing: {warmup: 5, runs: 20, l2_flush: true}
 *   ops:
 *     - op: {op: gemm, m: 256, n: 256, k: 256, dtype: fp16}
 *       measured: 12.345678 us
 *       min: 12.001000 us
 *     - op: {op: gemm, m: 256, n: 256, k: 256, dtype: fp16, sparsity: "2:4"}
 *       note: "2:4 sparse gemm needs cuSPARSELt, which this build does not have"
 *
 * Each `op` is a mapping in trace syntax (docs/trace-format.md), so the trace parser
 * checks it: the ops are written back as one flow mapping per line into an in-memory
 * trace, parsed, and a parse error is moved back to the op's place in the file. Only
 * the device's own properties are recorded, never the model's view of them: compare
 * rebuilds the SKU from the current per-SM tables, so a change to the model or a table
 * shows up as a change of error.
 */
#include "soc/measure/check.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/out.h"
#include "soc/io/ydoc.h"

static const char *const TOP_KEYS[] = {"orinsim_measurements", "device", "trace", "timing", "ops",
                                       NULL};
static const char *const DEV_KEYS[] = {
    "name", "compute_capability", "integrated", "sms", "sm_clock", "mem_clock", "mem_bus_bits",
    "l2_size", "total_memory", "max_threads_sm", "max_ctas_sm", "max_threads_cta", "regs_sm",
    "warp_size", "smem_sm", "smem_cta_max", "smem_cta_reserved", "driver", "runtime",
    "libraries", "sku", "mode", NULL};
static const char *const TIMING_KEYS[] = {"warmup", "runs", "l2_flush", NULL};
static const char *const ROW_KEYS[] = {"op", "measured", "min", "runs", "note", NULL};

#define MAX_ROWS 100000

/* ---- writing ---- */

/* A double-quoted YAML scalar. */
static void put_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\x%02x", (unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

static void put_field_str(FILE *f, const char *key, const char *v)
{
    if (v[0] == '\0')
        return;
    fprintf(f, "  %s: ", key);
    put_str(f, v);
    fputc('\n', f);
}

static void put_field_int(FILE *f, const char *key, int v)
{
    if (v > 0)
        fprintf(f, "  %s: %d\n", key, v);
}

static void put_field_bytes(FILE *f, const char *key, double v)
{
    if (v > 0)
        fprintf(f, "  %s: %.0f B\n", key, v);
}

int check_save(const char *path, const check_run_t *r, diag_t *d)
{
    const check_device_t *v = &r->dev;
    out_t o;
    FILE *f;
    char op[320];
    if (out_open(&o, path, "measurement file", d) != 0)
        return DIAG_ERR;
    f = o.f;
    fprintf(f, "# Measurements of real kernels, written by `orinsim check --save`;\n"
               "# `orinsim compare` re-simulates them (docs/check.md).\n"
               "orinsim_measurements: 1\ndevice:\n");
    put_field_str(f, "name", v->name);
    fprintf(f, "  compute_capability: \"%d.%d\"\n", v->cc_major, v->cc_minor);
    fprintf(f, "  integrated: %s\n", v->integrated ? "true" : "false");
    put_field_int(f, "sms", v->sms);
    if (v->sm_clock_hz > 0)
        fprintf(f, "  sm_clock: %.6g MHz\n", v->sm_clock_hz / 1e6);
    if (v->mem_clock_hz > 0)
        fprintf(f, "  mem_clock: %.6g MHz\n", v->mem_clock_hz / 1e6);
    put_field_int(f, "mem_bus_bits", v->mem_bus_bits);
    put_field_bytes(f, "l2_size", v->l2_bytes);
    put_field_bytes(f, "total_memory", v->total_mem);
    put_field_int(f, "max_threads_sm", v->max_threads_sm);
    put_field_int(f, "max_ctas_sm", v->max_ctas_sm);
    put_field_int(f, "max_threads_cta", v->max_threads_cta);
    put_field_int(f, "regs_sm", v->regs_sm);
    put_field_int(f, "warp_size", v->warp_size);
    put_field_bytes(f, "smem_sm", v->smem_sm);
    put_field_bytes(f, "smem_cta_max", v->smem_cta_max);
    put_field_bytes(f, "smem_cta_reserved", v->smem_cta_reserved);
    put_field_str(f, "driver", v->driver);
    put_field_str(f, "runtime", v->runtime);
    put_field_str(f, "libraries", v->libraries);
    put_field_str(f, "sku", v->sku);
    put_field_str(f, "mode", v->mode);
    if (r->trace[0]) {
        fprintf(f, "trace: ");
        put_str(f, r->trace);
        fputc('\n', f);
    }
    fprintf(f, "timing: {warmup: %d, runs: %d, l2_flush: %s}\nops:\n", r->warmup, r->runs,
            r->l2_flush ? "true" : "false");
    for (int i = 0; i < r->nrows; i++) {
        const check_row_t *row = &r->rows[i];
        check_op_format(&row->op, op, sizeof op);
        fprintf(f, "  - op: %s\n", op);
        if (row->measured_s > 0)
            fprintf(f, "    measured: %.6f us\n", row->measured_s * 1e6);
        if (row->min_s > 0)
            fprintf(f, "    min: %.6f us\n", row->min_s * 1e6);
        if (row->runs > 0 && row->runs != r->runs)
            fprintf(f, "    runs: %d\n", row->runs);
        if (row->note[0]) {
            fprintf(f, "    note: ");
            put_str(f, row->note);
            fputc('\n', f);
        }
    }
    return out_close(&o, d);
}

/* ---- reading ---- */

typedef struct buf {
    char *p;
    size_t n, cap;
    int oom;
} buf_t;

static void bput(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bput(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || b->oom)
        return;
    if (b->n + (size_t)n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)n;
        char *p = realloc(b->p, cap);
        if (p == NULL) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

/* Write a node back as flow YAML (the trace parser reads it again). */
static int emit(ydoc_t *y, yaml_node_t *n, buf_t *b, int depth)
{
    if (depth > 8)
        return -1;
    switch (n->type) {
    case YAML_SCALAR_NODE: {
        const char *s = ydoc_str(n);
        if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strpbrk(s, ",{}[]:#\"'\n") == NULL) {
            bput(b, "%s", s);
        } else {
            bput(b, "\"");
            for (; *s; s++) {
                if (*s == '"' || *s == '\\')
                    bput(b, "\\%c", *s);
                else if ((unsigned char)*s < 0x20)
                    bput(b, "\\x%02x", (unsigned char)*s);
                else
                    bput(b, "%c", *s);
            }
            bput(b, "\"");
        }
        return 0;
    }
    case YAML_SEQUENCE_NODE:
        bput(b, "[");
        for (size_t i = 0; i < ydoc_seq_len(n); i++) {
            if (i)
                bput(b, ", ");
            if (emit(y, ydoc_seq_at(y, n, i), b, depth + 1) != 0)
                return -1;
        }
        bput(b, "]");
        return 0;
    case YAML_MAPPING_NODE:
        bput(b, "{");
        for (size_t i = 0; i < ydoc_map_len(n); i++) {
            if (i)
                bput(b, ", ");
            if (emit(y, ydoc_map_key(y, n, i), b, depth + 1) != 0)
                return -1;
            bput(b, ": ");
            if (emit(y, ydoc_map_value(y, n, i), b, depth + 1) != 0)
                return -1;
        }
        bput(b, "}");
        return 0;
    default:
        return -1;
    }
}

static int get_int(ydoc_t *y, yaml_node_t *m, const char *key, int64_t max, int *out, diag_t *d)
{
    yaml_node_t *n = ydoc_get(y, m, key);
    int64_t v;
    if (n == NULL)
        return 0;
    if (ydoc_int(y, n, key, 0, max, &v, d) != 0)
        return DIAG_ERR;
    *out = (int)v;
    return 0;
}

/* A size of the device. Only the shared memory a CTA leaves to the system may be 0; a
 * cache or memory of 0 B is no device (check --save writes only sizes it measured). */
static int get_size(ydoc_t *y, yaml_node_t *m, const char *key, double *out, diag_t *d)
{
    yaml_node_t *n = ydoc_get(y, m, key);
    double min = strcmp(key, "smem_cta_reserved") == 0 ? 0 : 1;
    return n ? ydoc_size(y, n, key, min, 1e18, out, d) : 0;
}

static int get_freq(ydoc_t *y, yaml_node_t *m, const char *key, double *out, diag_t *d)
{
    yaml_node_t *n = ydoc_get(y, m, key);
    return n ? ydoc_freq(y, n, key, 1e6, 1e11, out, d) : 0;
}

static int get_str(ydoc_t *y, yaml_node_t *m, const char *key, char *out, size_t len, diag_t *d)
{
    yaml_node_t *n = ydoc_get(y, m, key);
    return n ? ydoc_string(y, n, key, out, len, d) : 0;
}

static int parse_device(ydoc_t *y, yaml_node_t *m, check_device_t *v, diag_t *d)
{
    yaml_node_t *n;
    char cc[16];
    if (ydoc_expect_map(y, m, "device", d) != 0 || ydoc_check_keys(y, m, DEV_KEYS, "device", d) != 0)
        return DIAG_ERR;
    if ((n = ydoc_require(y, m, "compute_capability", "device", d)) == NULL ||
        ydoc_string(y, n, "compute_capability", cc, sizeof cc, d) != 0)
        return DIAG_ERR;
    if (sscanf(cc, "%d.%d", &v->cc_major, &v->cc_minor) != 2 || v->cc_major < 1 ||
        v->cc_minor < 0 || v->cc_minor > 9)
        return ydoc_error(y, n, d, "compute_capability must be \"major.minor\", e.g. \"9.0\", not '%s'",
                          cc);
    if ((n = ydoc_get(y, m, "integrated")) && ydoc_bool(y, n, "integrated", &v->integrated, d))
        return DIAG_ERR;
    if (get_str(y, m, "name", v->name, sizeof v->name, d) ||
        get_int(y, m, "sms", 100000, &v->sms, d) ||
        get_freq(y, m, "sm_clock", &v->sm_clock_hz, d) ||
        get_freq(y, m, "mem_clock", &v->mem_clock_hz, d) ||
        get_int(y, m, "mem_bus_bits", 65536, &v->mem_bus_bits, d) ||
        get_size(y, m, "l2_size", &v->l2_bytes, d) ||
        get_size(y, m, "total_memory", &v->total_mem, d) ||
        get_int(y, m, "max_threads_sm", 65536, &v->max_threads_sm, d) ||
        get_int(y, m, "max_ctas_sm", 1024, &v->max_ctas_sm, d) ||
        get_int(y, m, "max_threads_cta", 65536, &v->max_threads_cta, d) ||
        get_int(y, m, "regs_sm", 1 << 24, &v->regs_sm, d) ||
        get_int(y, m, "warp_size", 64, &v->warp_size, d) ||
        get_size(y, m, "smem_sm", &v->smem_sm, d) ||
        get_size(y, m, "smem_cta_max", &v->smem_cta_max, d) ||
        get_size(y, m, "smem_cta_reserved", &v->smem_cta_reserved, d) ||
        get_str(y, m, "driver", v->driver, sizeof v->driver, d) ||
        get_str(y, m, "runtime", v->runtime, sizeof v->runtime, d) ||
        get_str(y, m, "libraries", v->libraries, sizeof v->libraries, d) ||
        get_str(y, m, "sku", v->sku, sizeof v->sku, d) ||
        get_str(y, m, "mode", v->mode, sizeof v->mode, d))
        return DIAG_ERR;
    if (v->sku[0] == '\0' && (v->sms < 1 || v->sm_clock_hz <= 0 || v->mem_clock_hz <= 0 ||
                              v->mem_bus_bits < 1))
        return ydoc_error(y, m, d, "device needs sms, sm_clock, mem_clock and mem_bus_bits "
                                   "(or the sku of a Jetson)");
    return 0;
}

static int get_time(ydoc_t *y, yaml_node_t *m, const char *key, double *out, diag_t *d)
{
    yaml_node_t *n = ydoc_get(y, m, key);
    uint64_t ps;
    if (n == NULL)
        return 0;
    if (ydoc_duration(y, n, key, 1, 3600ull * 1000000000000ull, &ps, d) != 0)
        return DIAG_ERR;
    *out = (double)ps * 1e-12;
    return 0;
}

/* Header lines of the in-memory trace before the first op (see parse_ops). */
#define OPS_HEADER "orinsim: 1\ntasks:\n  - id: ops\n    engine: gpu\n    ops:\n"
enum { OPS_FIRST_LINE = 6 };

static int parse_ops(ydoc_t *y, yaml_node_t *seq, check_run_t *r, diag_t *d)
{
    size_t n = ydoc_seq_len(seq);
    buf_t b = {0};
    trace_t t;
    diag_t e;
    int rc = DIAG_ERR;
    yaml_node_t **opnodes;

    if (n == 0)
        return ydoc_error(y, seq, d, "ops is empty: a measurement file records at least one op");
    if (n > MAX_ROWS)
        return ydoc_error(y, seq, d, "too many ops (at most %d)", MAX_ROWS);
    if ((opnodes = calloc(n, sizeof *opnodes)) == NULL)
        return diag_error(d, y->path, 0, 0, "internal error: out of memory");
    bput(&b, "%s", OPS_HEADER);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *row = ydoc_seq_at(y, seq, i), *op;
        if (ydoc_expect_map(y, row, "measured op", d) != 0 ||
            ydoc_check_keys(y, row, ROW_KEYS, "measured op", d) != 0 ||
            (op = ydoc_require(y, row, "op", "measured op", d)) == NULL ||
            ydoc_expect_map(y, op, "op", d) != 0)
            goto out;
        opnodes[i] = op;
        bput(&b, "      - ");
        if (emit(y, op, &b, 0) != 0) {
            ydoc_error(y, op, d, "op is nested too deeply");
            goto out;
        }
        bput(&b, "\n");
    }
    if (b.oom) {
        diag_error(d, y->path, 0, 0, "internal error: out of memory");
        goto out;
    }
    diag_clear(&e);
    if (trace_parse(y->path, b.p, b.n, &t, &e) != 0) {
        /* Move the error to the op's place in the file. */
        long i = (long)e.line - OPS_FIRST_LINE;
        if (i >= 0 && (size_t)i < n)
            ydoc_error(y, opnodes[i], d, "%s", e.msg);
        else
            *d = e;
        trace_free(&t);
        goto out;
    }
    if (t.ntasks != 1 || (size_t)t.tasks[0].nops != n) {
        /* a repeat inside an op entry would change the count */
        ydoc_error(y, seq, d, "each entry of ops must be one op (no repeat blocks)");
        trace_free(&t);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *rowm = ydoc_seq_at(y, seq, i);
        trace_op_t op = t.tasks[0].ops[i];
        check_row_t *row;
        if (!check_op_supported(op.kind)) {
            ydoc_error(y, opnodes[i], d,
                       "measurement files record gemm, conv, attention, elementwise, reduce "
                       "and memcpy ops, not %s",
                       trace_op_name(op.kind));
            trace_free(&t);
            goto out;
        }
        op.pos.line = ydoc_line(opnodes[i]);
        op.pos.col = ydoc_col(opnodes[i]);
        if ((row = check_run_add(r, &op)) == NULL) {
            diag_error(d, y->path, 0, 0, "internal error: out of memory");
            trace_free(&t);
            goto out;
        }
        row->runs = r->runs;
        if (get_time(y, rowm, "measured", &row->measured_s, d) ||
            get_time(y, rowm, "min", &row->min_s, d) ||
            get_int(y, rowm, "runs", 1000000, &row->runs, d) ||
            get_str(y, rowm, "note", row->note, sizeof row->note, d)) {
            trace_free(&t);
            goto out;
        }
        if (row->measured_s < 0 && row->note[0] == '\0') {
            ydoc_error(y, rowm, d, "a measured op needs `measured:` or a `note:` saying why not");
            trace_free(&t);
            goto out;
        }
    }
    trace_free(&t);
    rc = 0;
out:
    free(b.p);
    free(opnodes);
    return rc;
}

static int parse_doc(ydoc_t *y, check_run_t *r, diag_t *d)
{
    yaml_node_t *root = ydoc_root(y), *n;
    int64_t version;
    if (ydoc_expect_map(y, root, "measurement file", d) != 0 ||
        ydoc_check_keys(y, root, TOP_KEYS, "measurement file", d) != 0)
        return DIAG_ERR;
    if ((n = ydoc_require(y, root, "orinsim_measurements", "measurement file", d)) == NULL ||
        ydoc_int(y, n, "orinsim_measurements", 1, 1, &version, d) != 0)
        return DIAG_ERR;
    if ((n = ydoc_require(y, root, "device", "measurement file", d)) == NULL ||
        parse_device(y, n, &r->dev, d) != 0)
        return DIAG_ERR;
    if (get_str(y, root, "trace", r->trace, sizeof r->trace, d) != 0)
        return DIAG_ERR;
    if ((n = ydoc_get(y, root, "timing"))) {
        yaml_node_t *f;
        if (ydoc_expect_map(y, n, "timing", d) != 0 ||
            ydoc_check_keys(y, n, TIMING_KEYS, "timing", d) != 0 ||
            get_int(y, n, "warmup", 1000000, &r->warmup, d) ||
            get_int(y, n, "runs", 1000000, &r->runs, d))
            return DIAG_ERR;
        if ((f = ydoc_get(y, n, "l2_flush")) && ydoc_bool(y, f, "l2_flush", &r->l2_flush, d))
            return DIAG_ERR;
    }
    if ((n = ydoc_require(y, root, "ops", "measurement file", d)) == NULL ||
        ydoc_expect_seq(y, n, "ops", d) != 0)
        return DIAG_ERR;
    return parse_ops(y, n, r, d);
}

int check_parse(const char *name, const char *buf, size_t len, check_run_t *r, diag_t *d)
{
    ydoc_t y;
    int rc;
    check_run_init(r);
    if (ydoc_load_string(&y, name, buf, len, d) != 0)
        return DIAG_ERR;
    rc = parse_doc(&y, r, d);
    ydoc_free(&y);
    if (rc != 0)
        check_run_free(r);
    return rc;
}

int check_load(const char *path, check_run_t *r, diag_t *d)
{
    ydoc_t y;
    int rc;
    check_run_init(r);
    if (ydoc_load_file(&y, path, d) != 0)
        return DIAG_ERR;
    rc = parse_doc(&y, r, d);
    ydoc_free(&y);
    if (rc != 0)
        check_run_free(r);
    return rc;
}
