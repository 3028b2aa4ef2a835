/*
 * vclass: the model's error by class of workload. See vclass.h.
 *
 * The same classifier runs on a registry entry's trace (in validate_case) and on a
 * report's trace, so a report's class is found in the table exactly when the registry
 * holds a published result of that class.
 */
#include "soc/measure/vclass.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/dtype.h"
#include "soc/io/ydoc.h"
#include "soc/sku/sku.h"

static int is_layer(trace_op_kind_t k)
{
    return k == OP_CONV || k == OP_DECONV || k == OP_FC || k == OP_GEMM || k == OP_ATTENTION;
}

static const char *engine_word(trace_engine_t e)
{
    switch (e) {
    case ENG_GPU: return "GPU";
    case ENG_DLA:
    case ENG_DLA0:
    case ENG_DLA1: return "DLA";
    case ENG_PVA: return "PVA";
    default: return "CPU";
    }
}

void vclass_of(const trace_t *t, char *out, size_t len)
{
    int main = 0, best = -1, conv = 0, matmul = 0, count[DT_COUNT] = {0}, dt = 0;
    char prec[16];
    for (int i = 0; i < t->ntasks; i++) {
        int n = 0;
        for (int j = 0; j < t->tasks[i].nops; j++)
            n += is_layer(t->tasks[i].ops[j].kind);
        if (n > best) {
            best = n;
            main = i;
        }
    }
    if (t->ntasks == 0) {
        snprintf(out, len, "empty");
        return;
    }
    for (int j = 0; j < t->tasks[main].nops; j++) {
        const trace_op_t *op = &t->tasks[main].ops[j];
        if (!is_layer(op->kind))
            continue;
        conv |= op->kind == OP_CONV || op->kind == OP_DECONV;
        matmul |= op->kind == OP_GEMM || op->kind == OP_ATTENTION || op->kind == OP_FC;
        if (op->dtype >= 0 && op->dtype < DT_COUNT)
            count[op->dtype]++;
    }
    for (int k = 1; k < DT_COUNT; k++)
        if (count[k] > count[dt])
            dt = k;
    snprintf(prec, sizeof prec, "%s", best > 0 ? dtype_name((dtype_t)dt) : "");
    for (char *p = prec; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    snprintf(out, len, "%s %s%s%s", engine_word(t->tasks[main].engine),
             conv ? "CNN" : matmul ? "transformer" : "other", prec[0] ? " " : "", prec);
}

const char *vclass_bias(const vclass_stat_t *s)
{
    if (s->n < 3 || fabs(s->mean_error_pct) < 0.5 * s->mape_pct)
        return NULL;
    return s->mean_error_pct < 0 ? "pessimistic" : "optimistic";
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const vclass_stat_t *)a)->name, ((const vclass_stat_t *)b)->name);
}

void vclass_add(vclass_stat_t *out, int max, int *n, const char *name, double error)
{
    int k;
    for (k = 0; k < *n && strcmp(out[k].name, name) != 0; k++)
        ;
    if (k == *n) {
        if (*n == max)
            return;
        memset(&out[k], 0, sizeof out[k]);
        snprintf(out[k].name, sizeof out[k].name, "%s", name);
        (*n)++;
    }
    out[k].n++;
    out[k].mape_pct += fabs(error) * 100;
    out[k].mean_error_pct += error * 100;
}

void vclass_finish(vclass_stat_t *out, int n)
{
    for (int k = 0; k < n; k++) {
        out[k].mape_pct /= out[k].n;
        out[k].mean_error_pct /= out[k].n;
    }
    qsort(out, (size_t)n, sizeof *out, by_name);
}

void vclass_write(FILE *f, const vclass_stat_t *s, int n)
{
    fprintf(f, "# The model's error by class of workload over the validation registry's published\n"
               "# results (cases.yaml: cases and cross-checks); mean_error_pct is signed as speed,\n"
               "# > 0 the model is faster than measured (a latency's error with its sign turned).\n"
               "# Written by\n"
               "#   orinsim validate --classes > traces/validation/classes.yaml\n"
               "# and checked against the registry by tests/test_validation.c; reports print their\n"
               "# workload's row (docs/validation.md#error-by-class).\n"
               "classes:\n");
    for (int k = 0; k < n; k++)
        fprintf(f, "  - {class: %s, results: %d, mape_pct: %.1f, mean_error_pct: %.1f}\n",
                s[k].name, s[k].n, s[k].mape_pct, s[k].mean_error_pct);
}

const char *vclass_default_path(void)
{
    static _Thread_local char path[4200];
    snprintf(path, sizeof path, "%s/../traces/validation/classes.yaml", sku_config_dir());
    return path;
}

int vclass_load(const char *path, vclass_stat_t *out, int max, int *n, diag_t *d)
{
    static const char *const KEYS[] = {"class", "results", "mape_pct", "mean_error_pct", NULL};
    ydoc_t y;
    yaml_node_t *root, *seq;
    int rc = DIAG_ERR;
    *n = 0;
    if (ydoc_load_file(&y, path, d) != 0)
        return DIAG_ERR;
    root = ydoc_root(&y);
    if (root == NULL || ydoc_expect_map(&y, root, "class table", d) ||
        (seq = ydoc_require(&y, root, "classes", "class table", d)) == NULL ||
        ydoc_expect_seq(&y, seq, "classes", d))
        goto out;
    for (size_t i = 0; i < ydoc_seq_len(seq) && *n < max; i++) {
        yaml_node_t *m = ydoc_seq_at(&y, seq, i), *v;
        vclass_stat_t *s = &out[*n];
        int64_t results;
        if (ydoc_expect_map(&y, m, "class", d) || ydoc_check_keys(&y, m, KEYS, "class", d) ||
            (v = ydoc_require(&y, m, "class", "class", d)) == NULL ||
            ydoc_string(&y, v, "class", s->name, sizeof s->name, d) ||
            (v = ydoc_require(&y, m, "results", "class", d)) == NULL ||
            ydoc_int(&y, v, "results", 1, 100000, &results, d) ||
            (v = ydoc_require(&y, m, "mape_pct", "class", d)) == NULL ||
            ydoc_double(&y, v, "mape_pct", 0, 1e6, &s->mape_pct, d) ||
            (v = ydoc_require(&y, m, "mean_error_pct", "class", d)) == NULL ||
            ydoc_double(&y, v, "mean_error_pct", -1e6, 1e6, &s->mean_error_pct, d))
            goto out;
        s->n = (int)results;
        (*n)++;
    }
    rc = 0;
out:
    ydoc_free(&y);
    return rc;
}

int vclass_lookup(const trace_t *t, vclass_stat_t *s)
{
    vclass_stat_t table[VCLASS_MAX];
    int n;
    diag_t d;
    memset(s, 0, sizeof *s);
    vclass_of(t, s->name, sizeof s->name);
    diag_clear(&d);
    if (vclass_load(vclass_default_path(), table, VCLASS_MAX, &n, &d) != 0)
        return -1;
    for (int k = 0; k < n; k++)
        if (strcmp(table[k].name, s->name) == 0) {
            *s = table[k];
            return 1;
        }
    return 0;
}
