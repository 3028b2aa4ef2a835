/*
 * study_file: the study file (docs/study.md) into a study_t.
 *
 *     study: camera-choice
 *     axes:
 *       workload: [traces/camera-detector.yaml, yolo11n]
 *       dtype: [int8, fp16]          # zoo options: applied to networks only
 *       sku: [nano8, nx16]
 *       mode: [all]
 *       ambient: [25C, 40C]
 *     frames: 20
 *     metrics: [throughput_fps, frame_latency.p99, energy_per_frame]
 *     pareto: [energy_per_frame, frame_latency.p99]
 *     budgets:
 *       - {metric: frame_latency.p99, max: 33ms}
 *     output: results/camera-choice
 *
 * Everything that can be checked without another file is checked here, each error at
 * its node: unknown keys and axes, an empty axis (the product would be empty), a value
 * given twice on one axis (two runs with one id), values in the wrong form, metric names,
 * objectives without a better direction. Modules, modes and trace files are the plan's
 * (study_plan.c), since they are files of their own.
 */
#include "soc/study/study.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/units.h"
#include "soc/io/ydoc.h"
#include "soc/run/power_run.h"
#include "soc/run/vary.h"
#include "soc/trace/trace.h"
#include "soc/zoo/zoo.h"

static const char *const AXIS_NAMES[STUDY_AXES] = {
    "workload", "dtype", "engine", "batch", "imgsz", "sparsity", "runtime",
    "sku", "mode", "fps", "ambient", "cooling", "seed",
};

static const char *const TOP_KEYS[] = {"study", "axes", "frames", "power", "metrics", "pareto",
                                       "budgets", "output", NULL};

const char *study_axis_name(study_axis_id_t a)
{
    return a >= 0 && a < STUDY_AXES ? AXIS_NAMES[a] : "?";
}

int study_axis_is_zoo(study_axis_id_t a)
{
    return a >= STUDY_DTYPE && a <= STUDY_RUNTIME;
}

void study_free(study_t *s)
{
    for (int a = 0; a < STUDY_AXES; a++)
        free(s->axes[a].v);
    budget_list_free(&s->budgets);
    memset(s, 0, sizeof *s);
}

int study_is_trace(const char *v)
{
    size_t n = strlen(v);
    return strchr(v, '/') != NULL || (n > 5 && strcmp(v + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(v + n - 4, ".yml") == 0);
}

/* One value of an axis, checked for its form. */
static int check_value(ydoc_t *y, const yaml_node_t *n, study_axis_id_t a, study_value_t *v,
                       diag_t *d)
{
    char why[512];
    if (study_axis_is_zoo(a)) {
        zoo_options_t scratch;
        char opt[32];
        memset(&scratch, 0, sizeof scratch);
        snprintf(opt, sizeof opt, "--%s", AXIS_NAMES[a]);
        if (zoo_option_parse(&scratch, opt, v->text, why, sizeof why) != 0)
            return ydoc_error(y, n, d, "axis %s: %s", AXIS_NAMES[a], why);
        return 0;
    }
    switch (a) {
    case STUDY_WORKLOAD:
        if (!study_is_trace(v->text) && zoo_find(v->text) == NULL)
            return ydoc_error(y, n, d, "axis workload: '%s' is neither a trace file (a path "
                              "ending in .yaml) nor a network of the zoo (`orinsim zoo list`)",
                              v->text);
        return 0;
    case STUDY_FPS:
        /* 1e6 frames/s is a 1 us period; 1/3600 frames/s is the one-hour cap (as --fps) */
        if (units_number(v->text, &v->number) != 0 || !(v->number >= 1.0 / 3600.0) ||
            v->number > 1e6)
            return ydoc_error(y, n, d, "axis fps: expected frames per second from 0.000278 "
                              "to 1000000, got '%s'", v->text);
        return 0;
    case STUDY_AMBIENT:
        if (units_temp_c(v->text, &v->number, why, sizeof why) != 0)
            return ydoc_error(y, n, d, "axis ambient: %s", why);
        if (v->number < POWER_ABSOLUTE_ZERO_C || v->number > 200)
            return ydoc_error(y, n, d, "axis ambient: %s is outside -273.15 C to 200 C",
                              v->text);
        return 0;
    case STUDY_SEED:
        if (vary_parse_seed(v->text, &v->seed) != 0)
            return ydoc_error(y, n, d, "axis seed: expected a whole number from 0 to "
                              "18446744073709551615, got '%s'", v->text);
        return 0;
    case STUDY_COOLING:
        if (strlen(v->text) >= sizeof ((power_options_t *)0)->cooling)
            return ydoc_error(y, n, d, "axis cooling: preset name too long");
        return 0;
    default:   /* sku, mode: the plan loads them */
        return 0;
    }
}

static int parse_axis(ydoc_t *y, const yaml_node_t *key, const yaml_node_t *val, study_t *s,
                      diag_t *d)
{
    const char *name = ydoc_str(key);
    study_axis_t *ax;
    size_t n;
    int a;
    for (a = 0; a < STUDY_AXES; a++)
        if (strcmp(name, AXIS_NAMES[a]) == 0)
            break;
    if (a == STUDY_AXES) {
        char list[256] = "";
        for (int k = 0; k < STUDY_AXES; k++) {
            strcat(list, k ? " " : "");
            strcat(list, AXIS_NAMES[k]);
        }
        return ydoc_error(y, key, d, "unknown axis '%s' (expected one of: %s)", name, list);
    }
    ax = &s->axes[a];
    if (ax->present)
        return ydoc_error(y, key, d, "axis '%s' is given twice (line %d)", name, ax->line);
    ax->present = 1;
    ax->line = ydoc_line(key);
    ax->col = ydoc_col(key);
    if (val->type == YAML_SCALAR_NODE) {
        n = 1;
    } else if (val->type == YAML_SEQUENCE_NODE) {
        n = ydoc_seq_len(val);
    } else {
        return ydoc_error(y, val, d, "axis %s: expected a list of values", name);
    }
    if (n == 0)
        return ydoc_error(y, val, d, "axis %s is empty: the study would have no runs", name);
    if (n > STUDY_MAX_VALUES)
        return ydoc_error(y, val, d, "axis %s has %zu values (at most %d)", name, n,
                          STUDY_MAX_VALUES);
    ax->v = calloc(n, sizeof *ax->v);
    if (ax->v == NULL)
        return ydoc_error(y, val, d, "out of memory");
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *e = val->type == YAML_SCALAR_NODE ? (yaml_node_t *)val
                                                       : ydoc_seq_at(y, val, i);
        study_value_t *v = &ax->v[i];
        char what[64];
        snprintf(what, sizeof what, "a value of axis %s", name);
        if (ydoc_string(y, e, what, v->text, sizeof v->text, d) != 0)
            return DIAG_ERR;
        if (v->text[0] == '\0')
            return ydoc_error(y, e, d, "axis %s: empty value", name);
        if (strchr(v->text, ',') || strchr(v->text, '=') || strchr(v->text, '"') ||
            strchr(v->text, '\n'))
            return ydoc_error(y, e, d, "axis %s: a value may not hold ',', '=', '\"' or a "
                              "newline (they separate a run's parameters), got '%s'", name,
                              v->text);
        v->line = ydoc_line(e);
        v->col = ydoc_col(e);
        if (check_value(y, e, (study_axis_id_t)a, v, d) != 0)
            return DIAG_ERR;
        for (size_t k = 0; k < i; k++)
            if (strcmp(ax->v[k].text, v->text) == 0)
                return ydoc_error(y, e, d, "axis %s: '%s' is given twice (line %d)", name,
                                  v->text, ax->v[k].line);
        ax->n++;
    }
    return 0;
}

static int parse_metric_name(ydoc_t *y, const yaml_node_t *n, metric_t *m, diag_t *d)
{
    char name[METRIC_NAME_LEN], why[1024];
    if (ydoc_string(y, n, "a metric name", name, sizeof name, d) != 0)
        return DIAG_ERR;
    if (metric_lookup(name, m, why, sizeof why) != 0)
        return ydoc_error(y, n, d, "%s", why);
    return 0;
}

static int find_metric(const study_t *s, const metric_t *m)
{
    char a[METRIC_NAME_LEN], b[METRIC_NAME_LEN];
    metric_name(m, a, sizeof a);
    for (int i = 0; i < s->nmetrics; i++) {
        metric_name(&s->metrics[i], b, sizeof b);
        if (strcmp(a, b) == 0)
            return i;
    }
    return -1;
}

static int parse_metrics(ydoc_t *y, const yaml_node_t *seq, study_t *s, diag_t *d)
{
    static const char *const DEFAULTS[] = {"throughput_fps", "frame_latency.p99", NULL};
    if (seq == NULL) {
        char why[256];
        for (int i = 0; DEFAULTS[i]; i++)
            metric_lookup(DEFAULTS[i], &s->metrics[s->nmetrics++], why, sizeof why);
        return 0;
    }
    if (ydoc_expect_seq(y, seq, "metrics (a list of metric names, docs/ci.md)", d) != 0)
        return DIAG_ERR;
    if (ydoc_seq_len(seq) == 0)
        return ydoc_error(y, seq, d, "metrics: the list is empty");
    if (ydoc_seq_len(seq) > STUDY_MAX_METRICS)
        return ydoc_error(y, seq, d, "metrics: at most %d", STUDY_MAX_METRICS);
    for (size_t i = 0; i < ydoc_seq_len(seq); i++) {
        yaml_node_t *e = ydoc_seq_at(y, seq, i);
        metric_t m;
        if (parse_metric_name(y, e, &m, d) != 0)
            return DIAG_ERR;
        if (find_metric(s, &m) >= 0)
            return ydoc_error(y, e, d, "metrics: '%s' is given twice", ydoc_str(e));
        s->metrics[s->nmetrics++] = m;
    }
    return 0;
}

static int parse_pareto(ydoc_t *y, const yaml_node_t *seq, study_t *s, diag_t *d)
{
    if (seq == NULL)
        return 0;
    if (ydoc_expect_seq(y, seq, "pareto (a list of two to four metrics of `metrics`)", d) != 0)
        return DIAG_ERR;
    if (ydoc_seq_len(seq) < 2 || ydoc_seq_len(seq) > STUDY_MAX_PARETO)
        return ydoc_error(y, seq, d, "pareto: expected two to %d objectives, got %zu",
                          STUDY_MAX_PARETO, ydoc_seq_len(seq));
    for (size_t i = 0; i < ydoc_seq_len(seq); i++) {
        yaml_node_t *e = ydoc_seq_at(y, seq, i);
        metric_t m;
        int k;
        if (parse_metric_name(y, e, &m, d) != 0)
            return DIAG_ERR;
        if ((k = find_metric(s, &m)) < 0)
            return ydoc_error(y, e, d, "pareto: '%s' is not one of the study's metrics "
                              "(add it to metrics:)", ydoc_str(e));
        if (m.def->sense == METRIC_NEUTRAL)
            return ydoc_error(y, e, d, "pareto: '%s' is neither better higher nor lower, so it "
                              "cannot be an objective", ydoc_str(e));
        for (int j = 0; j < s->npareto; j++)
            if (s->pareto[j] == k)
                return ydoc_error(y, e, d, "pareto: '%s' is given twice", ydoc_str(e));
        s->pareto[s->npareto++] = k;
    }
    return 0;
}

static int parse_root(ydoc_t *y, study_t *s, diag_t *d)
{
    yaml_node_t *root = ydoc_root(y), *n;
    trace_t none;
    if (ydoc_expect_map(y, root, "the study (a mapping with study, axes, metrics, ...)", d) != 0 ||
        ydoc_check_keys(y, root, TOP_KEYS, "study", d) != 0)
        return DIAG_ERR;
    n = ydoc_require(y, root, "study", "study (its name)", d);
    if (n == NULL || ydoc_string(y, n, "study name", s->name, sizeof s->name, d) != 0)
        return DIAG_ERR;
    if (s->name[0] == '\0' || strchr(s->name, '/'))
        return ydoc_error(y, n, d, "study name: expected a name without '/', got '%s'", s->name);
    n = ydoc_require(y, root, "axes", "study", d);
    if (n == NULL || ydoc_expect_map(y, n, "axes (a mapping of axis: [values])", d) != 0)
        return DIAG_ERR;
    if (ydoc_map_len(n) == 0)
        return ydoc_error(y, n, d, "axes: none given: the study would have no runs");
    for (size_t i = 0; i < ydoc_map_len(n); i++) {
        yaml_node_t *k = ydoc_map_key(y, n, i), *v = ydoc_map_value(y, n, i);
        if (ydoc_expect_scalar(y, k, "an axis name", d) != 0 || parse_axis(y, k, v, s, d) != 0)
            return DIAG_ERR;
    }
    if (!s->axes[STUDY_WORKLOAD].present)
        return ydoc_error(y, n, d, "axes: missing required axis 'workload' (trace files or zoo "
                          "networks)");
    if ((n = ydoc_get(y, root, "frames")) != NULL &&
        ydoc_int(y, n, "frames", 1, TRACE_MAX_FRAMES, &s->frames, d) != 0)
        return DIAG_ERR;
    if ((n = ydoc_get(y, root, "power")) != NULL && ydoc_bool(y, n, "power", &s->power, d) != 0)
        return DIAG_ERR;
    if ((n = ydoc_get(y, root, "output")) != NULL &&
        ydoc_string(y, n, "output", s->output, sizeof s->output, d) != 0)
        return DIAG_ERR;
    if (parse_metrics(y, ydoc_get(y, root, "metrics"), s, d) != 0 ||
        parse_pareto(y, ydoc_get(y, root, "pareto"), s, d) != 0)
        return DIAG_ERR;
    /* A study's budgets hold for every workload, so a task's metric cannot be checked
     * against one trace here: a run without that task has no value for it. */
    memset(&none, 0, sizeof none);
    snprintf(none.path, sizeof none.path, "%.*s", (int)sizeof none.path - 1, s->path);
    if ((n = ydoc_get(y, root, "budgets")) != NULL && ydoc_seq_len(n) > 0 &&
        n->type == YAML_SEQUENCE_NODE) {
        for (size_t i = 0; i < ydoc_seq_len(n); i++) {
            yaml_node_t *e = ydoc_seq_at(y, n, i), *m;
            if (e->type == YAML_MAPPING_NODE && (m = ydoc_get(y, e, "metric")) != NULL &&
                ydoc_str(m) && strstr(ydoc_str(m), "tasks.") == ydoc_str(m))
                return ydoc_error(y, m, d, "budgets: '%s' names a task; a study's budgets hold "
                                  "for every workload, so they take the whole run's metrics",
                                  ydoc_str(m));
        }
    }
    if (budget_parse_yaml(y, ydoc_get(y, root, "budgets"), &none, &s->budgets, d) != 0)
        return DIAG_ERR;
    /* Ambient, cooling and metrics of the power model need the power instrument. */
    if (s->axes[STUDY_AMBIENT].present || s->axes[STUDY_COOLING].present)
        s->power = 1;
    for (int i = 0; i < s->nmetrics; i++)
        s->power |= metric_needs_power(&s->metrics[i]);
    for (int i = 0; i < s->budgets.n; i++)
        s->power |= metric_needs_power(&s->budgets.v[i].metric);
    return 0;
}

static void set_dir(study_t *s, const char *name)
{
    const char *slash = strrchr(name, '/');
    if (slash == NULL || strcmp(name, YDOC_STDIN) == 0)
        snprintf(s->dir, sizeof s->dir, ".");
    else if (slash == name)
        snprintf(s->dir, sizeof s->dir, "/");
    else
        snprintf(s->dir, sizeof s->dir, "%.*s", (int)(slash - name), name);
}

static int finish(ydoc_t *y, study_t *s, int rc, diag_t *d)
{
    if (rc == 0)
        rc = parse_root(y, s, d);
    ydoc_free(y);
    if (rc != 0) {
        study_free(s);
        return DIAG_ERR;
    }
    return 0;
}

int study_parse(const char *name, const char *buf, size_t len, study_t *s, diag_t *d)
{
    ydoc_t y;
    int rc;
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", name);
    set_dir(s, name);
    rc = ydoc_load_string(&y, name, buf, len, d);
    return finish(&y, s, rc, d);
}

int study_load(const char *path, study_t *s, diag_t *d)
{
    ydoc_t y;
    int rc;
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", strcmp(path, "-") == 0 ? YDOC_STDIN : path);
    set_dir(s, s->path);
    rc = ydoc_load_file(&y, path, d);
    return finish(&y, s, rc, d);
}
