/*
 * diff: metric-by-metric comparison of two JSON reports. See diff.h.
 *
 * The metrics and their sense (is higher better?) come from the table of soc/trace/metric.c,
 * the same one budgets use, so `diff` and `--budget` always agree on what a metric is.
 * Metrics with a placeholder (tasks.<task>..., engines.<engine>...) are expanded with
 * the keys of both reports: the base's in its order, then those only the new one has.
 *
 * The change is relative to the base: (new - base) / |base|. A base of 0 makes any
 * change infinite, which is past every threshold. A value that became null (the new run
 * had none) is a regression. Both reports are checked before they are compared: a
 * broken one is bad input, never an empty diff.
 */
#include "soc/report/diff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/jsonfile.h"
#include "soc/io/slurp.h"
#include "soc/trace/metric.h"

enum { DIFF_MAX_FILE = 256 << 20 };

/* ---- loading ---- */

static int version_of(json_object *o)
{
    json_object *v;
    if (!json_object_is_type(o, json_type_object) ||
        !json_object_object_get_ex(o, "report_version", &v) ||
        !json_object_is_type(v, json_type_int))
        return -1;
    return json_object_get_int(v);
}

int diff_report_version(json_object *report)
{
    if (json_object_is_type(report, json_type_array))
        return json_object_array_length(report) > 0
                   ? version_of(json_object_array_get_idx(report, 0))
                   : -1;
    return version_of(report);
}

/* ---- checking a report ----
 *
 * A broken report must not pass as "nothing regressed": a metric turned into a string,
 * a key dropped or `tasks` emptied would otherwise show as "only in base" and exit 0.
 * Every run of a report is checked before anything is compared: the keys every run has,
 * with their types, and every metric of the table (a number, or null where the run had
 * no value) wherever its parent object is. A run that could not be simulated (a batch
 * element with "error") has only its names. */

static const char *kind(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null: return "null";
    case json_type_boolean: return "a boolean";
    case json_type_double: return isfinite(json_object_get_double(v)) ? "a number" : "not finite";
    case json_type_int: return "a number";
    case json_type_object: return "an object";
    case json_type_array: return "an array";
    case json_type_string: return "a string";
    }
    return "unknown";
}

/* The run's place in messages: "" for a single run, "run 2 of 3: " in a batch. */
typedef struct where {
    const char *path;
    char run[64];
} where_t;

/* o[key] must be of type t (a number: an integer or a finite double). */
static int need(const where_t *w, json_object *o, const char *parent, const char *key,
                json_type t, json_object **out, diag_t *d)
{
    static const char *const NAMES[] = {
        [json_type_null] = "null", [json_type_boolean] = "a boolean",
        [json_type_double] = "a number", [json_type_int] = "an integer",
        [json_type_object] = "an object", [json_type_array] = "an array",
        [json_type_string] = "a string"};
    json_object *v;
    int ok;
    if (!json_object_object_get_ex(o, key, &v))
        return diag_error(d, w->path, 0, 0, "%sbroken report: no '%s%s'", w->run, parent, key);
    ok = json_object_is_type(v, t) ||
         (t == json_type_double && json_object_is_type(v, json_type_int));
    if (ok && t == json_type_double)
        ok = isfinite(json_object_get_double(v));
    if (!ok)
        return diag_error(d, w->path, 0, 0, "%sbroken report: '%s%s' is %s (expected %s)",
                          w->run, parent, key, kind(v), NAMES[t]);
    if (out)
        *out = v;
    return 0;
}

/* Every metric of the table in run `o`: a number or null wherever its parent is. */
static int check_metrics(const where_t *w, json_object *o, diag_t *d)
{
    for (int i = 0; i < metric_count(); i++) {
        const metric_def_t *def = metric_def_at(i);
        int n = metric_expand(def, o, NULL, 0);
        metric_t *v = malloc((size_t)(n + 1) * sizeof *v);
        if (v == NULL)
            return diag_error(d, w->path, 0, 0, "out of memory");
        metric_expand(def, o, v, n);
        for (int k = 0; k < n; k++) {
            metric_presence_t p = metric_presence(&v[k], o);
            char name[METRIC_NAME_LEN + 64];
            /* A key may be missing: reports of an older orinsim lack the metrics added
             * since (compare_one flags a value the new report dropped). */
            if (p == METRIC_HAS_VALUE || p == METRIC_NULL || p == METRIC_NO_PARENT ||
                p == METRIC_NO_KEY)
                continue;
            /* The report's own path: the JSON template with the key put in. */
            {
                const char *lt = strchr(def->json, '<'), *gt = lt ? strchr(lt, '>') : NULL;
                if (lt && gt)
                    snprintf(name, sizeof name, "%.*s%s%s", (int)(lt - def->json), def->json,
                             v[k].key, gt + 1);
                else
                    snprintf(name, sizeof name, "%s", def->json);
            }
            free(v);
            if (p == METRIC_BAD_PARENT)
                return diag_error(d, w->path, 0, 0, "%sbroken report: the parent of '%s' is "
                                  "not an object", w->run, name);
            return diag_error(d, w->path, 0, 0, "%sbroken report: '%s' is not a finite number "
                              "or null", w->run, name);
        }
        free(v);
    }
    return 0;
}

/* The statistics every latency object of report_version 1 has had from the start: a
 * number, or null when the run had no sample. */
static int check_dist(const where_t *w, json_object *o, const char *name, diag_t *d)
{
    static const char *const KEYS[] = {"mean", "p50", "p95", "p99", "max"};
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++) {
        json_object *v;
        if (!json_object_object_get_ex(o, KEYS[i], &v))
            return diag_error(d, w->path, 0, 0, "%sbroken report: no '%s.%s'", w->run, name,
                              KEYS[i]);
    }
    return 0;   /* the values themselves: check_metrics */
}

static int check_run(const where_t *w, json_object *o, diag_t *d)
{
    json_object *tasks, *v;
    if (!json_object_is_type(o, json_type_object))
        return diag_error(d, w->path, 0, 0, "%snot an orinsim report (expected a JSON object, "
                          "got %s)", w->run, kind(o));
    if (version_of(o) < 1)
        return diag_error(d, w->path, 0, 0, "%snot an orinsim report (no integer "
                          "report_version)", w->run);
    if (need(w, o, "", "trace", json_type_string, NULL, d) != 0 ||
        need(w, o, "", "sku", json_type_string, NULL, d) != 0 ||
        need(w, o, "", "mode", json_type_string, NULL, d) != 0)
        return DIAG_ERR;
    if (json_object_object_get_ex(o, "error", &v))   /* a run that could not be simulated */
        return need(w, o, "", "error", json_type_string, NULL, d);
    if (!json_object_object_get_ex(o, "throughput_fps", &v))
        return diag_error(d, w->path, 0, 0, "%sbroken report: no 'throughput_fps'", w->run);
    if (need(w, o, "", "frames", json_type_int, NULL, d) != 0 ||
        need(w, o, "", "frame_latency_ms", json_type_object, &v, d) != 0 ||
        check_dist(w, v, "frame_latency_ms", d) != 0 ||
        need(w, o, "", "engines", json_type_object, NULL, d) != 0 ||
        need(w, o, "", "dram", json_type_object, NULL, d) != 0 ||
        need(w, o, "", "tasks", json_type_object, &tasks, d) != 0)
        return DIAG_ERR;
    if (json_object_object_length(tasks) == 0)
        return diag_error(d, w->path, 0, 0, "%sbroken report: 'tasks' is empty (a run has at "
                          "least one task)", w->run);
    json_object_object_foreach(tasks, id, task) {
        char parent[METRIC_KEY_LEN + 32];
        snprintf(parent, sizeof parent, "tasks.%.*s.", METRIC_KEY_LEN, id);
        if (!json_object_is_type(task, json_type_object))
            return diag_error(d, w->path, 0, 0, "%sbroken report: '%.*s' is %s (expected an "
                              "object)", w->run, (int)strlen(parent) - 1, parent, kind(task));
        if (need(w, task, parent, "engine", json_type_string, NULL, d) != 0 ||
            need(w, task, parent, "count", json_type_int, NULL, d) != 0 ||
            need(w, task, parent, "latency_ms", json_type_object, &v, d) != 0)
            return DIAG_ERR;
        strcat(parent, "latency_ms");
        if (check_dist(w, v, parent, d) != 0)
            return DIAG_ERR;
    }
    return check_metrics(w, o, d);
}

static int check_report(const char *path, json_object *o, diag_t *d)
{
    where_t w = {path, ""};
    int v;
    if (json_object_is_type(o, json_type_array)) {
        size_t n = json_object_array_length(o);
        if (n == 0)
            return diag_error(d, path, 0, 0, "not an orinsim report (an empty array)");
        v = version_of(json_object_array_get_idx(o, 0));
        for (size_t i = 0; i < n; i++) {
            int vi = version_of(json_object_array_get_idx(o, i));
            if (vi < 1)
                return diag_error(d, path, 0, 0, "not an orinsim report (element %zu of the "
                                  "array has no integer report_version)", i);
            if (vi != v)
                return diag_error(d, path, 0, 0, "the array mixes report_version %d and %d", v,
                                  vi);
        }
        for (size_t i = 0; i < n; i++) {
            snprintf(w.run, sizeof w.run, "run %zu of %zu: ", i + 1, n);
            if (check_run(&w, json_object_array_get_idx(o, i), d) != 0)
                return DIAG_ERR;
        }
        return 0;
    }
    if (!json_object_is_type(o, json_type_object))
        return diag_error(d, path, 0, 0, "not an orinsim report (expected a JSON object or an "
                          "array of them)");
    return check_run(&w, o, d);
}

int diff_load(const char *path, json_object **out, diag_t *d)
{
    json_object *o;

    *out = NULL;
    if (strcmp(path, "-") == 0) {
        char *buf;
        size_t len;
        if (slurp_stream(stdin, DIFF_STDIN, "report", DIFF_MAX_FILE, &buf, &len, d) != 0)
            return DIAG_ERR;
        if (len == 0) {
            free(buf);
            return diag_error(d, DIFF_STDIN, 0, 0, "the report is empty (expected JSON)");
        }
        if (json_text_parse(DIFF_STDIN, "report", buf, len, &o, NULL, d) != 0)
            return DIAG_ERR;
        path = DIFF_STDIN;
    } else if (json_file_load(path, "report", DIFF_MAX_FILE, &o, NULL, d) != 0) {
        return DIAG_ERR;
    }
    if (check_report(path, o, d) != 0) {
        json_object_put(o);
        return DIAG_ERR;
    }
    *out = o;
    return 0;
}

/* ---- comparison ---- */

typedef struct tally {
    int compared, changed, regressions, improvements;
    int header;                 /* the table header of this run is printed */
} tally_t;

static const char *str_field(json_object *o, const char *key)
{
    json_object *v;
    if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return "?";
}

static void run_label(json_object *o, char *buf, size_t len)
{
    const char *name = str_field(o, "name");
    snprintf(buf, len, "%s on %s %s", name[0] && strcmp(name, "?") ? name : str_field(o, "trace"),
             str_field(o, "sku"), str_field(o, "mode"));
}

static int has_key(const metric_t *v, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i].key, key) == 0)
            return 1;
    return 0;
}

/* The metrics of def in either report: base's keys, then those only cur has. */
static int expand_both(const metric_def_t *def, json_object *base, json_object *cur,
                       metric_t **out)
{
    int nb = metric_expand(def, base, NULL, 0), nc = metric_expand(def, cur, NULL, 0), n;
    metric_t *v = malloc((size_t)(nb + nc + 1) * sizeof *v), *c;
    if (v == NULL)
        return -1;
    c = malloc((size_t)(nc + 1) * sizeof *c);
    if (c == NULL) {
        free(v);
        return -1;
    }
    metric_expand(def, base, v, nb);
    metric_expand(def, cur, c, nc);
    n = nb;
    for (int i = 0; i < nc; i++)
        if (!has_key(v, nb, c[i].key))
            v[n++] = c[i];
    free(c);
    *out = v;
    return n;
}

static void compare_one(FILE *out, const metric_t *m, json_object *base, json_object *cur,
                        double thr, tally_t *t)
{
    char name[METRIC_NAME_LEN], vb_s[64], vc_s[64], ch[32];
    double vb, vc, change;
    int hb = metric_value(m, base, &vb) == 0, hc = metric_value(m, cur, &vc) == 0;
    const char *flag = "";
    if (!hb && !hc)
        return;
    metric_name(m, name, sizeof name);
    if (hb && hc) {
        t->compared++;
        if (vb == vc)
            return;
        t->changed++;
        change = vb != 0 ? (vc - vb) / fabs(vb) * 100.0 : (vc > vb ? INFINITY : -INFINITY);
        if (isinf(change))
            snprintf(ch, sizeof ch, "%s", change > 0 ? "+inf%" : "-inf%");
        else
            snprintf(ch, sizeof ch, "%+.2f%%", change);
        if (m->def->sense != METRIC_NEUTRAL && fabs(change) > thr) {
            int worse = (m->def->sense == METRIC_LOWER_BETTER) == (change > 0);
            flag = worse ? "regression" : "improvement";
            t->regressions += worse;
            t->improvements += !worse;
        }
        metric_format(m->def->dim, vb, vb_s, sizeof vb_s);
        metric_format(m->def->dim, vc, vc_s, sizeof vc_s);
    } else {
        t->changed++;
        if (hb)
            metric_format(m->def->dim, vb, vb_s, sizeof vb_s);
        else
            snprintf(vb_s, sizeof vb_s, "-");
        if (hc)
            metric_format(m->def->dim, vc, vc_s, sizeof vc_s);
        else
            snprintf(vc_s, sizeof vc_s, "-");
        snprintf(ch, sizeof ch, "%s", hb ? "only in base" : "only in new");
        /* A value the new run no longer has, where it has the task or section (null: no
         * frame finished, no sample; or the key dropped) is a regression of any metric
         * with a sense: a gate cannot pass on a report that lost the figure. */
        metric_presence_t pc = hb ? metric_presence(m, cur) : METRIC_HAS_VALUE;
        if (pc == METRIC_NULL || pc == METRIC_NO_KEY) {
            /* The new run has the task or section but not this value. */
            snprintf(ch, sizeof ch, "%s", pc == METRIC_NULL ? "no value" : "missing");
            if (m->def->sense != METRIC_NEUTRAL) {
                flag = "regression";
                t->regressions++;
            }
        } else if (hc && metric_presence(m, base) == METRIC_NULL) {
            snprintf(ch, sizeof ch, "no value in base");
        }
    }
    if (!t->header) {
        fprintf(out, "\n%-36s %14s %14s %12s\n", "metric", "base", "new", "change");
        t->header = 1;
    }
    fprintf(out, "%-36s %14s %14s %12s%s%s\n", name, vb_s, vc_s, ch, flag[0] ? "  " : "", flag);
}

/* Length of a template up to the end of its placeholder ("tasks.<task>"), or 0. */
static size_t group_prefix(const char *tmpl)
{
    const char *close = strchr(tmpl, '>');
    return strchr(tmpl, '<') && close ? (size_t)(close - tmpl) + 1 : 0;
}

/* Metrics in table order, except that consecutive rows sharing a placeholder (the
 * statistics of a task, the figures of an engine) are listed key by key. */
static int compare_runs(FILE *out, json_object *base, json_object *cur, double thr, tally_t *t)
{
    int i = 0;
    t->header = 0;
    while (i < metric_count()) {
        const metric_def_t *first = metric_def_at(i);
        size_t pre = group_prefix(first->json);
        int end = i + 1, n;
        metric_t *keys;
        while (pre && end < metric_count() && group_prefix(metric_def_at(end)->json) == pre &&
               strncmp(metric_def_at(end)->json, first->json, pre) == 0)
            end++;
        n = expand_both(first, base, cur, &keys);
        if (n < 0)
            return -1;
        for (int k = 0; k < n; k++)
            for (int g = i; g < end; g++) {
                metric_t m = keys[k];
                m.def = metric_def_at(g);
                compare_one(out, &m, base, cur, thr, t);
            }
        free(keys);
        i = end;
    }
    return 0;
}

int diff_reports(FILE *out, json_object *base, const char *base_name, json_object *cur,
                 const char *cur_name, double thr, diag_t *d)
{
    int vb = diff_report_version(base), vc = diff_report_version(cur);
    int arr = json_object_is_type(base, json_type_array);
    size_t n = arr ? json_object_array_length(base) : 1;
    tally_t t = {0};

    if (vb != vc)
        return diag_error(d, NULL, 0, 0, "%s is report_version %d but %s is report_version %d: "
                          "compare reports of one version", base_name, vb, cur_name, vc);
    if (arr != json_object_is_type(cur, json_type_array))
        return diag_error(d, NULL, 0, 0, "%s is %s but %s is %s: compare a run with a run, a "
                          "batch with a batch", base_name, arr ? "a batch (an array)" : "one run",
                          cur_name, arr ? "one run" : "a batch (an array)");
    if (arr && json_object_array_length(cur) != n)
        return diag_error(d, NULL, 0, 0, "%s has %zu runs but %s has %zu: a batch is compared "
                          "run by run", base_name, n, cur_name, json_object_array_length(cur));

    for (size_t i = 0; i < n; i++) {
        json_object *b = arr ? json_object_array_get_idx(base, i) : base;
        json_object *c = arr ? json_object_array_get_idx(cur, i) : cur;
        char lb[512], lc[512];
        run_label(b, lb, sizeof lb);
        run_label(c, lc, sizeof lc);
        if (arr)
            fprintf(out, "%srun %zu of %zu\n", i ? "\n" : "", i + 1, n);
        fprintf(out, "base  %s (%s)\nnew   %s (%s)\n", lb, base_name, lc, cur_name);
        if (compare_runs(out, b, c, thr, &t) != 0)
            return diag_error(d, NULL, 0, 0, "out of memory");
    }
    if (t.changed == 0)
        fprintf(out, "\n%d metrics compared, none changed\n", t.compared);
    else
        fprintf(out, "\n%d metrics compared, %d changed: %d regression%s and %d improvement%s "
                     "past %g%%\n", t.compared, t.changed, t.regressions,
                t.regressions == 1 ? "" : "s", t.improvements, t.improvements == 1 ? "" : "s",
                thr);
    return t.regressions;
}
