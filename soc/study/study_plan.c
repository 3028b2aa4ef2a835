/*
 * study_plan: a study expanded into its runs, in a fixed order.
 *
 * The product is taken in three factors, nested in this order:
 *   1. workloads: each workload value; a zoo network times every combination of the zoo
 *      axes (dtype, engine, batch, imgsz, sparsity, runtime), a trace file once (the zoo's
 *      options do not apply to it, and its runs show them empty);
 *   2. configurations: each module of the sku axis times its modes (the mode axis, where
 *      `all` stands for every mode of that module, in the SKU file's order);
 *   3. conditions: fps x ambient x cooling x seed.
 * Within a factor the later axis varies fastest. An absent axis has one value, "not
 * set": the trace's own rate, 25 C, the module's cooling, the default seed; an absent
 * sku axis is agx64 and an absent mode axis the module's default mode.
 *
 * Modules are loaded and modes resolved here, once, and trace files read and parsed
 * once to fail early; each run parses its own copy of the text (study_run.c), since a
 * run may change its trace's rate.
 */
#include "soc/study/study.h"

#include <stdlib.h>
#include <string.h>

#include "soc/io/slurp.h"
#include "soc/sku/cooling.h"
#include "soc/trace/trace.h"

#define STUDY_MAX_TRACE_BYTES (64u << 20)   /* as trace files: docs/limits.md */

void study_plan_free(study_plan_t *p)
{
    for (int i = 0; p->trace_text && i < p->s->axes[STUDY_WORKLOAD].n; i++)
        free(p->trace_text[i]);
    free(p->trace_text);
    free(p->trace_len);
    free(p->trace_path);
    free(p->skus);
    free(p->cfgs);
    free(p->runs);
    memset(p, 0, sizeof *p);
}

static int value_error(const study_t *s, const study_value_t *v, diag_t *d, const diag_t *why)
{
    return diag_error(d, s->path, v->line, v->col, "%s", why->msg);
}

static int load_skus(const study_t *s, study_plan_t *p, diag_t *d)
{
    const study_axis_t *sa = &s->axes[STUDY_SKU], *ma = &s->axes[STUDY_MODE];
    int nsku = sa->present ? sa->n : 1, cap = 0;
    p->skus = calloc((size_t)nsku, sizeof *p->skus);
    if (p->skus == NULL)
        return diag_internal(d, s->path, 0, 0, "out of memory");
    for (int i = 0; i < nsku; i++) {
        diag_t e;
        diag_clear(&e);
        if (sku_load(sa->present ? sa->v[i].text : "agx64", &p->skus[i], &e) != 0) {
            if (!sa->present)
                return diag_error(d, e.file, e.line, e.col, "%s", e.msg);
            return value_error(s, &sa->v[i], d, &e);
        }
        if (s->power && !p->skus[i].power.present)
            return diag_error(d, s->path, sa->present ? sa->v[i].line : 0,
                              sa->present ? sa->v[i].col : 0, "axis sku: %s has no power model, "
                              "which this study needs (ambient, cooling or a power metric)",
                              p->skus[i].name);
        for (int j = 0; j < i; j++)
            if (strcmp(p->skus[j].name, p->skus[i].name) == 0)
                return diag_error(d, s->path, sa->v[i].line, sa->v[i].col, "axis sku: module "
                                  "%s comes twice (two runs would have one id)", p->skus[i].name);
        p->nskus++;
        cap += p->skus[i].nmodes * (ma->present ? ma->n : 1);
    }
    p->cfgs = calloc((size_t)cap, sizeof *p->cfgs);
    if (p->cfgs == NULL)
        return diag_internal(d, s->path, 0, 0, "out of memory");
    for (int i = 0; i < nsku; i++) {
        const sku_t *k = &p->skus[i];
        for (int m = 0; m < (ma->present ? ma->n : 1); m++) {
            const char *mode = ma->present ? ma->v[m].text : NULL;
            if (mode && strcmp(mode, "all") == 0) {
                for (int j = 0; j < k->nmodes; j++) {
                    diag_t e;
                    diag_clear(&e);
                    if (sku_resolve(k, k->modes[j].name, &p->cfgs[p->ncfgs], &e) != 0)
                        return value_error(s, &ma->v[m], d, &e);
                    p->ncfgs++;
                }
                continue;
            }
            {
                diag_t e;
                diag_clear(&e);
                if (sku_resolve(k, mode, &p->cfgs[p->ncfgs], &e) != 0) {
                    if (!ma->present)
                        return diag_error(d, e.file, e.line, e.col, "%s", e.msg);
                    return diag_error(d, s->path, ma->v[m].line, ma->v[m].col,
                                      "axis mode: %s (module %s)", e.msg, k->name);
                }
                p->ncfgs++;
            }
        }
    }
    /* The same mode twice for one module (`all` beside a name, or an ID and a name). */
    for (int i = 1; i < p->ncfgs; i++)
        for (int j = 0; j < i; j++)
            if (p->cfgs[i].sku == p->cfgs[j].sku && p->cfgs[i].mode == p->cfgs[j].mode)
                return diag_error(d, s->path, ma->line, ma->col, "axis mode: mode %s of %s "
                                  "comes twice (two runs would have one id)",
                                  p->cfgs[i].mode->name, p->cfgs[i].sku->name);
    return 0;
}

static int load_traces(const study_t *s, study_plan_t *p, diag_t *d)
{
    const study_axis_t *w = &s->axes[STUDY_WORKLOAD];
    p->trace_text = calloc((size_t)w->n, sizeof *p->trace_text);
    p->trace_len = calloc((size_t)w->n, sizeof *p->trace_len);
    p->trace_path = calloc((size_t)w->n, sizeof *p->trace_path);
    if (!p->trace_text || !p->trace_len || !p->trace_path)
        return diag_internal(d, s->path, 0, 0, "out of memory");
    for (int i = 0; i < w->n; i++) {
        const char *v = w->v[i].text;
        trace_t t;
        diag_t e;
        if (!study_is_trace(v))
            continue;
        if ((size_t)snprintf(p->trace_path[i], sizeof p->trace_path[i], "%s%s%s",
                             v[0] == '/' || strcmp(s->dir, ".") == 0 ? "" : s->dir,
                             v[0] == '/' || strcmp(s->dir, ".") == 0 ? "" : "/", v) >=
            sizeof p->trace_path[i])
            return diag_error(d, s->path, w->v[i].line, w->v[i].col, "axis workload: the "
                              "path is too long");
        diag_clear(&e);
        if (slurp_file(p->trace_path[i], "trace", STUDY_MAX_TRACE_BYTES, &p->trace_text[i],
                       &p->trace_len[i], &e) != 0)
            return diag_error(d, s->path, w->v[i].line, w->v[i].col, "axis workload: %s: %s",
                              p->trace_path[i], e.msg);
        if (trace_parse(p->trace_path[i], p->trace_text[i], p->trace_len[i], &t, d) != 0)
            return DIAG_ERR;
        trace_free(&t);
    }
    return 0;
}

static int check_cooling(const study_t *s, diag_t *d)
{
    const study_axis_t *c = &s->axes[STUDY_COOLING];
    for (int i = 0; c->present && i < c->n; i++) {
        cooling_t k;
        diag_t e;
        diag_clear(&e);
        if (cooling_load(c->v[i].text, &k, &e) != 0)
            return diag_error(d, s->path, c->v[i].line, c->v[i].col, "axis cooling: %s", e.msg);
    }
    return 0;
}

/* Count the values of axes [from, to]; absent axes count 1. Combination k of them into
 * value[] (the last axis fastest). */
static int64_t combos(const study_t *s, int from, int to)
{
    int64_t n = 1;
    for (int a = from; a <= to; a++)
        if (s->axes[a].present && a != STUDY_SKU && a != STUDY_MODE)
            n *= s->axes[a].n;
    return n;
}

static void combo(const study_t *s, int from, int to, int64_t k, int *value)
{
    for (int a = to; a >= from; a--) {
        if (!s->axes[a].present || a == STUDY_SKU || a == STUDY_MODE) {
            value[a] = -1;
            continue;
        }
        value[a] = (int)(k % s->axes[a].n);
        k /= s->axes[a].n;
    }
}

/* FNV-1a, 64 bits: the plan's fingerprint (which parts belong together). */
static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    h ^= 0xff;   /* a separator, so ("ab","c") and ("a","bc") differ */
    return h * 0x100000001b3ull;
}

static int expand(const study_t *s, study_plan_t *p, diag_t *d)
{
    const study_axis_t *w = &s->axes[STUDY_WORKLOAD];
    int64_t zoo = combos(s, STUDY_DTYPE, STUDY_RUNTIME);
    int64_t cond = combos(s, STUDY_FPS, STUDY_SEED), nwork = 0, total;
    uint64_t h = 0xcbf29ce484222325ull;
    int64_t k = 0;
    for (int i = 0; i < w->n; i++)
        nwork += p->trace_text[i] ? 1 : zoo;
    total = nwork * p->ncfgs * cond;   /* each factor is at most 256^5: no overflow yet */
    if (total > STUDY_MAX_RUNS || nwork > STUDY_MAX_RUNS || cond > STUDY_MAX_RUNS)
        return diag_error(d, s->path, 1, 1, "the study expands to %lld runs (at most %d)",
                          (long long)total, STUDY_MAX_RUNS);
    p->runs = calloc((size_t)total, sizeof *p->runs);
    if (p->runs == NULL)
        return diag_internal(d, s->path, 0, 0, "out of memory");
    for (int i = 0; i < w->n; i++)
        for (int64_t z = 0; z < (p->trace_text[i] ? 1 : zoo); z++)
            for (int c = 0; c < p->ncfgs; c++)
                for (int64_t e = 0; e < cond; e++, k++) {
                    study_run_spec_t *r = &p->runs[k];
                    combo(s, STUDY_DTYPE, STUDY_RUNTIME, z, r->value);
                    if (p->trace_text[i])
                        for (int a = STUDY_DTYPE; a <= STUDY_RUNTIME; a++)
                            r->value[a] = -1;
                    combo(s, STUDY_FPS, STUDY_SEED, e, r->value);
                    r->value[STUDY_WORKLOAD] = i;
                    r->value[STUDY_SKU] = r->value[STUDY_MODE] = -1;
                    r->cfg = c;
                }
    p->nruns = (int)total;
    for (int a = 0; a < STUDY_AXES; a++)
        if (s->axes[a].present || a == STUDY_SKU || a == STUDY_MODE)
            p->columns[p->ncolumns++] = a;
    for (int i = 0; i < p->nruns; i++) {
        char id[2048];
        study_run_id(p, i, id, sizeof id);
        h = fnv(h, id);
    }
    {
        char m[METRIC_NAME_LEN];
        for (int i = 0; i < s->nmetrics; i++) {
            metric_name(&s->metrics[i], m, sizeof m);
            h = fnv(h, m);
        }
        for (int i = 0; i < s->budgets.n; i++) {
            char b[256];
            budget_describe(&s->budgets.v[i], b, sizeof b);
            h = fnv(h, b);
        }
        h = fnv(h, s->name);
        h ^= (uint64_t)s->frames * 0x9e3779b97f4a7c15ull;
    }
    snprintf(p->fingerprint, sizeof p->fingerprint, "%016llx", (unsigned long long)h);
    return 0;
}

int study_plan(const study_t *s, study_plan_t *p, diag_t *d)
{
    memset(p, 0, sizeof *p);
    p->s = s;
    if (load_skus(s, p, d) != 0 || load_traces(s, p, d) != 0 || check_cooling(s, d) != 0 ||
        expand(s, p, d) != 0) {
        study_plan_free(p);
        return DIAG_ERR;
    }
    return 0;
}

void study_param(const study_plan_t *p, int i, int c, char *buf, size_t len)
{
    const study_run_spec_t *r = &p->runs[i];
    int a = p->columns[c];
    if (a == STUDY_SKU)
        snprintf(buf, len, "%s", p->cfgs[r->cfg].sku->name);
    else if (a == STUDY_MODE)
        snprintf(buf, len, "%s", p->cfgs[r->cfg].mode->name);
    else if (r->value[a] < 0)
        snprintf(buf, len, "%s", "");
    else
        snprintf(buf, len, "%s", p->s->axes[a].v[r->value[a]].text);
}

void study_run_id(const study_plan_t *p, int i, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int c = 0; c < p->ncolumns && used < len; c++) {
        char v[STUDY_VALUE_LEN];
        int w;
        study_param(p, i, c, v, sizeof v);
        if (v[0] == '\0')
            continue;
        w = snprintf(buf + used, len - used, "%s%s=%s", used ? "," : "",
                     study_axis_name((study_axis_id_t)p->columns[c]), v);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}
