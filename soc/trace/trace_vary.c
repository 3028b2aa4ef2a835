/*
 * trace_vary: what a trace declares as variable, and its deadlines (docs/trace-format.md,
 * "Variability" and "Deadlines").
 *
 *   - distributions (`{dist: lognormal, mean: 1.5ms, cv: 0.3}` ...), parsed into the
 *     trace's table `rands` and named by index from where they are used: a cpu op's
 *     `duration`, any op's `work_scale`, the jitter of periodic arrivals, the gaps and
 *     lengths of interference;
 *   - `arrival:` (periodic with jitter, Poisson, closed loop, bursts, or times read from
 *     a file), `deadline:`, `overload:` and `interference:` at the top level;
 *   - a task's `deadline:`.
 *
 * Nothing here draws a number: the run does (soc/run/replay.c) with sim/rng.h, one stream
 * per source. A histogram's edges and cumulative probabilities are allocated per
 * distribution and freed with the trace.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/slurp.h"
#include "soc/io/units.h"
#include "soc/trace/trace_internal.h"

#define MAX_BINS 4096
#define MAX_ARRIVAL_TIMES TRACE_MAX_FRAMES
#define MAX_ARRIVAL_FILE (64u << 20)
#define MAX_SCALE 1e6           /* work_scale: values up to a million times the op's work */
#define WEIGHT_TOLERANCE 1e-6   /* histogram weights must sum to 1 within this */

static const char *const ARRIVAL_KEYS[] = {"process", "jitter", "rate", "size", "spacing",
                                           "file", NULL};
static const char *const INTERF_KEYS[] = {"kind", "every", "duration", "threads", "bandwidth",
                                          NULL};
static const char *const RAND_KEYS[RAND_KIND_COUNT][5] = {
    [RAND_CONSTANT] = {"dist", "value", NULL},
    [RAND_EXPONENTIAL] = {"dist", "mean", NULL},
    [RAND_LOGNORMAL] = {"dist", "mean", "cv", NULL},
    [RAND_UNIFORM] = {"dist", "min", "max", NULL},
    [RAND_NORMAL] = {"dist", "mean", "sd", NULL},
    [RAND_HISTOGRAM] = {"dist", "bins", "weights", "counts", NULL},
};

/* ---- distributions ---- */

/* One value of a distribution: a duration in ps (durations) or a plain number. */
static int rand_value(parser_t *p, const yaml_node_t *v, const char *w, int durations, double *out)
{
    uint64_t ps;
    if (!durations)
        return ydoc_double(&p->y, v, w, 0.0, MAX_SCALE, out, p->d);
    if (ydoc_duration(&p->y, v, w, 0, MAX_DURATION_PS, &ps, p->d) != 0)
        return DIAG_ERR;
    *out = (double)ps;
    return 0;
}

static int rand_field(parser_t *p, const yaml_node_t *m, const char *key, const char *what,
                      int durations, double *out)
{
    char w[128];
    yaml_node_t *v = ydoc_require(&p->y, m, key, what, p->d);
    snprintf(w, sizeof w, "%s %s", what, key);
    return v == NULL ? DIAG_ERR : rand_value(p, v, w, durations, out);
}

static int histogram(parser_t *p, const yaml_node_t *m, const char *what, int durations,
                     sim_rand_t *r)
{
    char w[128];
    yaml_node_t *bins = ydoc_require(&p->y, m, "bins", what, p->d);
    yaml_node_t *wn = ydoc_get(&p->y, m, "weights"), *cn = ydoc_get(&p->y, m, "counts");
    yaml_node_t *pn = wn ? wn : cn;
    size_t nb, np;
    double sum = 0;
    if (bins == NULL || ydoc_expect_seq(&p->y, bins, "histogram bins (the bin edges)", p->d))
        return DIAG_ERR;
    if (wn && cn)
        return ydoc_error(&p->y, cn, p->d, "%s: give weights or counts, not both", what);
    if (pn == NULL)
        return ydoc_error(&p->y, m, p->d, "%s: a histogram needs weights (summing to 1) or "
                          "counts", what);
    if (ydoc_expect_seq(&p->y, pn, wn ? "histogram weights" : "histogram counts", p->d))
        return DIAG_ERR;
    nb = ydoc_seq_len(bins);
    np = ydoc_seq_len(pn);
    if (nb < 2 || nb > MAX_BINS + 1)
        return ydoc_error(&p->y, bins, p->d, "%s: bins lists the bin edges, 2 to %d of them, "
                          "got %zu", what, MAX_BINS + 1, nb);
    if (np != nb - 1)
        return ydoc_error(&p->y, pn, p->d, "%s: %zu bin edges make %zu bins, so %s needs %zu "
                          "values, got %zu", what, nb, nb - 1, wn ? "weights" : "counts",
                          nb - 1, np);
    r->nbins = (int)np;
    r->edges = calloc(nb, sizeof *r->edges);
    r->cum = calloc(np, sizeof *r->cum);
    if (r->edges == NULL || r->cum == NULL)
        return trace__oom(p);
    for (size_t i = 0; i < nb; i++) {
        yaml_node_t *e = ydoc_seq_at(&p->y, bins, i);
        snprintf(w, sizeof w, "%.100s bin edge", what);
        if (rand_value(p, e, w, durations, &r->edges[i]) != 0)
            return DIAG_ERR;
        if (i > 0 && r->edges[i] <= r->edges[i - 1])
            return ydoc_error(&p->y, e, p->d, "%s: bin edges must increase, but %s does not "
                              "exceed the edge before it", what, ydoc_str(e));
    }
    for (size_t i = 0; i < np; i++) {
        double x;
        snprintf(w, sizeof w, "%.100s %s", what, wn ? "weight" : "count");
        if (ydoc_double(&p->y, ydoc_seq_at(&p->y, pn, i), w, 0.0, 1e15, &x, p->d) != 0)
            return DIAG_ERR;
        sum += x;
        r->cum[i] = sum;
    }
    if (wn && fabs(sum - 1.0) > WEIGHT_TOLERANCE)
        return ydoc_error(&p->y, wn, p->d, "%s: histogram weights sum to %.9g, expected 1 "
                          "(or give counts)", what, sum);
    if (sum <= 0)
        return ydoc_error(&p->y, pn, p->d, "%s: histogram counts sum to 0", what);
    for (size_t i = 0; i < np; i++)
        r->cum[i] /= sum;
    r->cum[np - 1] = 1.0;
    return 0;
}

int trace__rand(parser_t *p, const yaml_node_t *v, const char *what, int durations, int *out)
{
    trace_t *t = p->t;
    sim_rand_t r;
    yaml_node_t *dn;
    const char *ds;
    int kind = -1, rc = 0;
    char w[160];

    memset(&r, 0, sizeof r);
    if (v->type == YAML_SCALAR_NODE) {            /* a fixed value */
        r.kind = RAND_CONSTANT;
        rc = rand_value(p, v, what, durations, &r.mean);
    } else {
        if (ydoc_expect_map(&p->y, v, what, p->d) != 0)
            return DIAG_ERR;
        dn = ydoc_require(&p->y, v, "dist", what, p->d);
        if (dn == NULL || ydoc_expect_scalar(&p->y, dn, "dist", p->d) != 0)
            return DIAG_ERR;
        ds = ydoc_str(dn);
        for (int k = 0; k < RAND_KIND_COUNT; k++)
            if (strcmp(ds, sim_rand_name((sim_rand_kind_t)k)) == 0)
                kind = k;
        if (kind < 0)
            return ydoc_error(&p->y, dn, p->d, "unknown distribution '%s' for %s (expected one "
                              "of: constant, exponential, lognormal, uniform, normal, "
                              "histogram)", ds, what);
        r.kind = (sim_rand_kind_t)kind;
        snprintf(w, sizeof w, "%s (%s)", what, ds);
        if (ydoc_check_keys(&p->y, v, RAND_KEYS[kind], w, p->d) != 0)
            return DIAG_ERR;
        switch (r.kind) {
        case RAND_CONSTANT:
            rc = rand_field(p, v, "value", w, durations, &r.mean);
            break;
        case RAND_EXPONENTIAL:
            rc = rand_field(p, v, "mean", w, durations, &r.mean);
            break;
        case RAND_LOGNORMAL:
            if ((rc = rand_field(p, v, "mean", w, durations, &r.mean)) != 0)
                break;
            if (r.mean <= 0)
                return ydoc_error(&p->y, ydoc_get(&p->y, v, "mean"), p->d,
                                  "%s: a lognormal's mean must be more than 0", w);
            dn = ydoc_require(&p->y, v, "cv", w, p->d);
            if (dn == NULL || ydoc_expect_scalar(&p->y, dn, "cv", p->d) != 0 ||
                units_number(ydoc_str(dn), &r.cv) != 0)
                return dn ? ydoc_error(&p->y, dn, p->d, "%s cv: expected a plain number such as "
                                       "0.3 (the standard deviation over the mean)", w)
                          : DIAG_ERR;
            if (r.cv < 0 || r.cv > 100)
                return ydoc_error(&p->y, dn, p->d, "%s: cv = %s is out of range (the "
                                  "coefficient of variation is at least 0, at most 100)", w,
                                  ydoc_str(dn));
            break;
        case RAND_UNIFORM:
            if ((rc = rand_field(p, v, "min", w, durations, &r.lo)) != 0 ||
                (rc = rand_field(p, v, "max", w, durations, &r.hi)) != 0)
                break;
            if (r.hi < r.lo)
                return ydoc_error(&p->y, ydoc_get(&p->y, v, "max"), p->d,
                                  "%s: max is below min", w);
            break;
        case RAND_NORMAL:
            rc = rand_field(p, v, "mean", w, durations, &r.mean) ||
                 rand_field(p, v, "sd", w, durations, &r.cv);
            break;
        case RAND_HISTOGRAM:
            rc = histogram(p, v, w, durations, &r);
            break;
        default:
            break;
        }
    }
    if (rc == 0 && t->nrands == t->crands) {
        int cap = t->crands ? 2 * t->crands : 8;
        sim_rand_t *nv = realloc(t->rands, (size_t)cap * sizeof *nv);
        if (nv == NULL)
            rc = trace__oom(p);
        else {
            t->rands = nv;
            t->crands = cap;
        }
    }
    if (rc != 0) {
        free(r.edges);
        free(r.cum);
        return DIAG_ERR;
    }
    sim_rand_prepare(&r);
    t->rands[t->nrands++] = r;
    *out = t->nrands;           /* 1-based: 0 means none */
    return 0;
}

/* ---- ops and tasks ---- */

int trace__vary_op(parser_t *p, const yaml_node_t *m, trace_op_t *op)
{
    yaml_node_t *v = ydoc_get(&p->y, m, "duration");
    if (op->kind == OP_CPU && v && v->type == YAML_MAPPING_NODE) {   /* its mean is kept */
        double mean;
        if (trace__rand(p, v, "cpu duration", 1, &op->duration_rand) != 0)
            return DIAG_ERR;
        mean = sim_rand_mean(&p->t->rands[op->duration_rand - 1]);
        if (mean < 1 || mean > (double)MAX_DURATION_PS)
            return ydoc_error(&p->y, v, p->d, "cpu duration: the distribution's mean must be "
                              "more than 0 s and at most %g s", (double)MAX_DURATION_PS / 1e12);
        op->u.cpu.duration_ps = (uint64_t)(mean + 0.5);
    }
    v = ydoc_get(&p->y, m, "work_scale");
    if (v == NULL)
        return 0;
    if (p->engine == ENG_DLA0 || p->engine == ENG_DLA1 || p->engine == ENG_DLA)
        return ydoc_error(&p->y, ydoc_key_node(&p->y, m, "work_scale"), p->d,
                          "work_scale is not supported on DLA tasks (a DLA runs a fixed "
                          "engine); use it on gpu, pva or cpu tasks");
    return trace__rand(p, v, "work_scale", 0, &op->work_rand);
}

int trace__vary_task(parser_t *p, const yaml_node_t *m, trace_task_t *task)
{
    yaml_node_t *v = ydoc_get(&p->y, m, "deadline");
    return v ? trace__duration_value(p, v, "task deadline", MAX_DURATION_PS, &task->deadline_ps)
             : 0;
}

/* ---- arrivals ---- */

/* The arrival file's directory is the trace's; a trace on standard input reads it from
 * the working directory. */
static void sibling_path(const char *trace_path, const char *name, char *out, size_t len)
{
    const char *slash = strrchr(trace_path, '/');
    if (name[0] == '/' || slash == NULL || strcmp(trace_path, YDOC_STDIN) == 0)
        snprintf(out, len, "%s", name);
    else
        snprintf(out, len, "%.*s/%s", (int)(slash - trace_path), trace_path, name);
}

/* One arrival time a line (a duration from the start of the run, e.g. 12.5ms), blank
 * lines and `#` comments skipped, nondecreasing. */
static int arrival_file(parser_t *p, const yaml_node_t *v, trace_arrival_t *a)
{
    char path[1024], why[256];
    char *text = NULL, *line;
    size_t len;
    int ln = 0, rc = 0;
    int64_t cap = 0;
    if (ydoc_expect_scalar(&p->y, v, "arrival file", p->d) != 0)
        return DIAG_ERR;
    sibling_path(p->t->path, ydoc_str(v), path, sizeof path);
    if (slurp_file(path, "arrival times", MAX_ARRIVAL_FILE, &text, &len, p->d) != 0) {
        snprintf(why, sizeof why, "%.200s", p->d->msg);
        return ydoc_error(&p->y, v, p->d, "arrival file: %s", why);
    }
    for (line = text; line && *line && rc == 0;) {
        char *nl = strchr(line, '\n'), *s = line, *e;
        uint64_t ps;
        ln++;
        if (nl)
            *nl = '\0';
        while (*s == ' ' || *s == '\t')
            s++;
        e = s + strlen(s);
        if (strchr(s, '#'))
            e = strchr(s, '#');
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        *e = '\0';
        if (*s) {
            if (units_duration_ps(s, &ps, why, sizeof why) != 0)
                rc = diag_error(p->d, path, ln, (int)(s - line) + 1, "arrival time: %s", why);
            else if (a->ntimes > 0 && ps < a->times_ps[a->ntimes - 1])
                rc = diag_error(p->d, path, ln, (int)(s - line) + 1, "arrival time %s is "
                                "before the one on the line above (times must not decrease)", s);
            else if (a->ntimes == MAX_ARRIVAL_TIMES)
                rc = diag_error(p->d, path, ln, 1, "more than %d arrival times",
                                MAX_ARRIVAL_TIMES);
            else {
                if (a->ntimes == cap) {
                    int64_t nc = cap ? 2 * cap : 256;
                    uint64_t *nv = realloc(a->times_ps, (size_t)nc * sizeof *nv);
                    if (nv == NULL) {
                        rc = trace__oom(p);
                        break;
                    }
                    a->times_ps = nv;
                    cap = nc;
                }
                a->times_ps[a->ntimes++] = ps;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    if (rc == 0 && a->ntimes == 0)
        rc = diag_error(p->d, path, 0, 0, "no arrival times in the file");
    return rc ? DIAG_ERR : 0;
}

static int arrival(parser_t *p, const yaml_node_t *m)
{
    trace_t *t = p->t;
    trace_arrival_t *a = &t->arrival;
    yaml_node_t *pn, *v;
    const char *ps;
    static const char *const NAMES[] = {"periodic", "closed", "poisson", "burst", "file"};
    int kind = -1;

    if (ydoc_expect_map(&p->y, m, "arrival (e.g. {process: poisson, rate: 30Hz})", p->d) ||
        ydoc_check_keys(&p->y, m, ARRIVAL_KEYS, "arrival", p->d))
        return DIAG_ERR;
    pn = ydoc_require(&p->y, m, "process", "arrival", p->d);
    if (pn == NULL || ydoc_expect_scalar(&p->y, pn, "arrival process", p->d))
        return DIAG_ERR;
    ps = ydoc_str(pn);
    for (int k = 0; k < 5; k++)
        if (strcmp(ps, NAMES[k]) == 0)
            kind = k;
    if (kind < 0)
        return ydoc_error(&p->y, pn, p->d, "unknown arrival process '%s' (expected one of: "
                          "periodic, closed, poisson, burst, file)", ps);
    a->kind = (trace_arrival_kind_t)kind;
    /* Which keys go with which process. */
    for (size_t i = 0; i < ydoc_map_len(m); i++) {
        const char *k = ydoc_str(ydoc_map_key(&p->y, m, i));
        int ok = strcmp(k, "process") == 0 ||
                 (strcmp(k, "jitter") == 0 && a->kind == ARRIVE_PERIODIC) ||
                 (strcmp(k, "rate") == 0 && a->kind == ARRIVE_POISSON) ||
                 ((strcmp(k, "size") == 0 || strcmp(k, "spacing") == 0) &&
                  a->kind == ARRIVE_BURST) ||
                 (strcmp(k, "file") == 0 && a->kind == ARRIVE_FILE);
        if (!ok)
            return ydoc_error(&p->y, ydoc_map_key(&p->y, m, i), p->d,
                              "'%s' does not apply to %s arrivals", k, ps);
    }
    if ((a->kind == ARRIVE_PERIODIC || a->kind == ARRIVE_BURST) && t->period_ps == 0)
        return ydoc_error(&p->y, pn, p->d, "%s arrivals need the trace's period", ps);
    if (a->kind == ARRIVE_CLOSED && t->period_ps != 0)
        return ydoc_error(&p->y, pn, p->d, "closed-loop arrivals take no period (remove "
                          "period:)");
    switch (a->kind) {
    case ARRIVE_PERIODIC:
        if ((v = ydoc_get(&p->y, m, "jitter")) &&
            trace__rand(p, v, "arrival jitter", 1, &a->jitter_rand))
            return DIAG_ERR;
        break;
    case ARRIVE_POISSON:
        v = ydoc_get(&p->y, m, "rate");
        if (v == NULL) {
            if (t->period_ps == 0)
                return ydoc_error(&p->y, m, p->d, "poisson arrivals need a rate (e.g. rate: "
                                  "30Hz) or the trace's period (the mean gap)");
            a->rate_hz = 1e12 / (double)t->period_ps;
        } else if (ydoc_freq(&p->y, v, "arrival rate", 1e-3, 1e9, &a->rate_hz, p->d)) {
            return DIAG_ERR;
        }
        break;
    case ARRIVE_BURST:
        a->burst = 1;
        if ((v = ydoc_get(&p->y, m, "size")) &&
            ydoc_int(&p->y, v, "arrival size (frames per burst)", 1, 1000000, &a->burst, p->d))
            return DIAG_ERR;
        if ((v = ydoc_get(&p->y, m, "spacing")) &&
            ydoc_duration(&p->y, v, "arrival spacing", 0, MAX_DURATION_PS, &a->spacing_ps, p->d))
            return DIAG_ERR;
        break;
    case ARRIVE_FILE:
        v = ydoc_require(&p->y, m, "file", "arrival (file)", p->d);
        if (v == NULL || arrival_file(p, v, a) != 0)
            return DIAG_ERR;
        break;
    default:
        break;
    }
    return 0;
}

/* ---- interference ---- */

static int interference(parser_t *p, const yaml_node_t *seq)
{
    trace_t *t = p->t;
    size_t n;
    if (ydoc_expect_seq(&p->y, seq, "interference (a list)", p->d))
        return DIAG_ERR;
    n = ydoc_seq_len(seq);
    if (n > 64)
        return ydoc_error(&p->y, seq, p->d, "too many interference sources: %zu (at most 64)", n);
    t->interf = calloc(n ? n : 1, sizeof *t->interf);
    if (t->interf == NULL)
        return trace__oom(p);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *m = ydoc_seq_at(&p->y, seq, i), *k, *v;
        trace_interference_t *s = &t->interf[i];
        const char *ks;
        if (ydoc_expect_map(&p->y, m, "an interference source (e.g. {kind: cpu_noise, every: "
                            "10ms, duration: 200us})", p->d) ||
            ydoc_check_keys(&p->y, m, INTERF_KEYS, "interference", p->d))
            return DIAG_ERR;
        t->ninterf = (int)i + 1;
        s->pos.line = ydoc_line(m);
        s->pos.col = ydoc_col(m);
        k = ydoc_require(&p->y, m, "kind", "interference", p->d);
        if (k == NULL || ydoc_expect_scalar(&p->y, k, "interference kind", p->d))
            return DIAG_ERR;
        ks = ydoc_str(k);
        if (strcmp(ks, "cpu_noise") == 0)
            s->kind = INTERF_CPU_NOISE;
        else if (strcmp(ks, "dram") == 0)
            s->kind = INTERF_DRAM;
        else
            return ydoc_error(&p->y, k, p->d, "unknown interference kind '%s' (expected "
                              "cpu_noise or dram; another process on the GPU is a task with "
                              "its own process:)", ks);
        v = ydoc_require(&p->y, m, "every", "interference", p->d);
        if (v == NULL || trace__rand(p, v, "interference every", 1, &s->every_rand))
            return DIAG_ERR;
        if (sim_rand_mean(&t->rands[s->every_rand - 1]) <= 0)
            return ydoc_error(&p->y, v, p->d, "interference every: the mean gap must be more "
                              "than 0");
        v = ydoc_require(&p->y, m, "duration", "interference", p->d);
        if (v == NULL || trace__rand(p, v, "interference duration", 1, &s->length_rand))
            return DIAG_ERR;
        if (s->kind == INTERF_CPU_NOISE) {
            if ((v = ydoc_key_node(&p->y, m, "bandwidth")))
                return ydoc_error(&p->y, v, p->d, "bandwidth applies to dram interference");
            if (trace__int_field(p, m, "interference", "threads", 1, 256, &trace__ONE,
                                 &s->threads))
                return DIAG_ERR;
        } else {
            if ((v = ydoc_key_node(&p->y, m, "threads")))
                return ydoc_error(&p->y, v, p->d, "threads applies to cpu_noise interference");
            v = ydoc_require(&p->y, m, "bandwidth", "dram interference", p->d);
            if (v == NULL ||
                ydoc_bandwidth(&p->y, v, "interference bandwidth", 1e3, 1e13, &s->Bps, p->d))
                return DIAG_ERR;
        }
    }
    return 0;
}

/* ---- the top level ---- */

int trace__vary_top(parser_t *p, const yaml_node_t *root)
{
    trace_t *t = p->t;
    yaml_node_t *v;
    t->arrival.kind = t->period_ps ? ARRIVE_PERIODIC : ARRIVE_CLOSED;
    if ((v = ydoc_get(&p->y, root, "arrival")) && arrival(p, v) != 0)
        return DIAG_ERR;
    t->deadline_ps = t->arrival.kind == ARRIVE_PERIODIC ? t->period_ps : 0;
    if ((v = ydoc_get(&p->y, root, "deadline")) &&
        trace__duration_value(p, v, "deadline", MAX_DURATION_PS, &t->deadline_ps))
        return DIAG_ERR;
    if ((v = ydoc_get(&p->y, root, "overload"))) {
        const char *s = ydoc_str(v);
        if (s && strcmp(s, "drop") == 0)
            t->drop = 1;
        else if (!s || strcmp(s, "queue") != 0)
            return ydoc_error(&p->y, v, p->d, "overload: expected queue (a frame waits for a "
                              "slot) or drop (it is dropped)");
    }
    if ((v = ydoc_get(&p->y, root, "interference")) && interference(p, v) != 0)
        return DIAG_ERR;
    return 0;
}

void trace__vary_free(trace_t *t)
{
    for (int i = 0; i < t->nrands; i++) {
        free(t->rands[i].edges);
        free(t->rands[i].cum);
    }
    free(t->rands);
    free(t->arrival.times_ps);
    free(t->interf);
}

int trace_set_period(trace_t *t, uint64_t period_ps, diag_t *d)
{
    uint64_t old_default = t->arrival.kind == ARRIVE_PERIODIC ? t->period_ps : 0;
    if (t->arrival.kind == ARRIVE_POISSON || t->arrival.kind == ARRIVE_FILE)
        return diag_error(d, t->path, 0, 0, "its frames arrive %s, not at a period: --fps and "
                          "--period replace a period", t->arrival.kind == ARRIVE_POISSON
                          ? "as a Poisson process" : "at the times of a file");
    if (t->deadline_ps == old_default)
        t->deadline_ps = period_ps;
    if (t->arrival.kind == ARRIVE_CLOSED)
        t->arrival.kind = ARRIVE_PERIODIC;
    t->period_ps = period_ps;
    return 0;
}

int trace_is_random(const trace_t *t)
{
    for (int i = 0; i < t->nrands; i++)
        if (t->rands[i].kind != RAND_CONSTANT)
            return 1;
    return t->arrival.kind == ARRIVE_POISSON;
}
