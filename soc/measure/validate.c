/*
 * validate: the validation registry, its runs and the `orinsim validate` command.
 * See validate.h.
 *
 * A case is one replay. Its workload is either a model-zoo command, generated in memory
 * by the same code as `orinsim zoo` (zoo_cli_write) so the registry names exactly what a
 * user would type, or a trace file under traces/validation/. The run uses the shipped
 * SKU config and power mode unchanged; the only variations are an experiment's
 * io_format and dram_scale, which exist to attribute an effect to a mechanism and are
 * never scored, and a DLA clock the source itself pinned (dla_clock), a condition of the
 * measurement like its power mode. No per-case factor exists anywhere: the published
 * value is read only to compute the error.
 */
#define _POSIX_C_SOURCE 200809L
#include "soc/measure/validate.h"
#include "soc/measure/vclass.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/run/replay.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"
#include "soc/io/out.h"
#include "soc/io/units.h"
#include "soc/io/ydoc.h"
#include "soc/zoo/zoo.h"

static const char *const METRIC_NAMES[VM_COUNT] = {"throughput", "latency_ms", "latency_rate",
                                                   "task_rate", "total_rate"};

enum { MAX_ZOO_ARGS = 32 };

/* ---- the registry ---- */

const char *validate_default_registry(void)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/../traces/validation/cases.yaml", sku_config_dir());
    return path;
}

static int get_str(ydoc_t *y, const yaml_node_t *map, const char *key, char *out, size_t len,
                   int required, const char *what, diag_t *d)
{
    yaml_node_t *n = required ? ydoc_require(y, map, key, what, d) : ydoc_get(y, map, key);
    if (n == NULL)
        return required ? DIAG_ERR : 0;
    return ydoc_string(y, n, key, out, len, d);
}

static int load_case(ydoc_t *y, const yaml_node_t *m, validate_kind_t kind, validate_case_t *c,
                     diag_t *d)
{
    static const char *const KEYS[] = {"id",     "group",  "zoo",  "trace",    "sku",
                                       "mode",   "metric", "stat", "task",     "per_frame",
                                       "published", "unit", "source", "miss",  "io_format",
                                       "dram_scale", "stream", "per_task", "one_process",
                                       "dla_clock", NULL};
    char metric[32] = "", io[16] = "", dla_clock[32] = "";
    yaml_node_t *n;
    int k, published = kind != VK_EXPERIMENT;

    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->per_frame = 1;
    c->dram_scale = 1;
    c->line = ydoc_line(m);
    if (ydoc_expect_map(y, m, "a validation case", d) != 0 ||
        ydoc_check_keys(y, m, KEYS, "a validation case", d) != 0 ||
        get_str(y, m, "id", c->id, sizeof c->id, 1, "a validation case", d) != 0 ||
        get_str(y, m, "group", c->group, sizeof c->group, 1, "a validation case", d) != 0 ||
        get_str(y, m, "zoo", c->zoo, sizeof c->zoo, 0, "", d) != 0 ||
        get_str(y, m, "trace", c->trace, sizeof c->trace, 0, "", d) != 0 ||
        get_str(y, m, "sku", c->sku, sizeof c->sku, 1, "a validation case", d) != 0 ||
        get_str(y, m, "mode", c->mode, sizeof c->mode, 1, "a validation case", d) != 0 ||
        get_str(y, m, "metric", metric, sizeof metric, 1, "a validation case", d) != 0 ||
        get_str(y, m, "stat", c->stat, sizeof c->stat, 0, "", d) != 0 ||
        get_str(y, m, "task", c->task, sizeof c->task, 0, "", d) != 0 ||
        get_str(y, m, "unit", c->unit, sizeof c->unit, 1, "a validation case", d) != 0 ||
        get_str(y, m, "source", c->source, sizeof c->source, published, "a validation case", d) !=
            0 ||
        get_str(y, m, "miss", c->miss, sizeof c->miss, 0, "", d) != 0 ||
        get_str(y, m, "io_format", io, sizeof io, 0, "", d) != 0 ||
        get_str(y, m, "dla_clock", dla_clock, sizeof dla_clock, 0, "", d) != 0)
        return DIAG_ERR;
    if (dla_clock[0]) {
        char why[128];
        if (units_freq_hz(dla_clock, &c->dla_hz, why, sizeof why) != 0 || c->dla_hz <= 0)
            return ydoc_error(y, ydoc_get(y, m, "dla_clock"), d,
                              "dla_clock: expected a frequency such as 1152 MHz, got '%s'",
                              dla_clock);
    }
    if ((c->zoo[0] != 0) == (c->trace[0] != 0))
        return ydoc_error(y, m, d, "case '%s' needs exactly one of 'zoo' and 'trace'", c->id);
    for (k = 0; k < VM_COUNT; k++)
        if (strcmp(metric, METRIC_NAMES[k]) == 0)
            break;
    if (k == VM_COUNT)
        return ydoc_error(y, ydoc_get(y, m, "metric"), d,
                          "unknown metric '%s' (throughput, latency_ms, latency_rate, task_rate, "
                          "total_rate)",
                          metric);
    c->metric = (validate_metric_t)k;
    if (c->metric == VM_LATENCY_MS && c->stat[0] == 0)
        snprintf(c->stat, sizeof c->stat, "mean");
    if (c->metric == VM_LATENCY_MS && strcmp(c->stat, "mean") != 0 &&
        strcmp(c->stat, "p90") != 0 && strcmp(c->stat, "p99") != 0)
        return ydoc_error(y, ydoc_get(y, m, "stat"), d, "stat must be mean, p90 or p99");
    if ((n = ydoc_get(y, m, "stream")) != NULL && ydoc_bool(y, n, "stream", &c->stream, d) != 0)
        return DIAG_ERR;
    if ((n = ydoc_get(y, m, "one_process")) != NULL &&
        ydoc_bool(y, n, "one_process", &c->one_process, d) != 0)
        return DIAG_ERR;
    if ((n = ydoc_get(y, m, "per_task")) != NULL) {
        if (ydoc_expect_map(y, n, "per_task", d) != 0)
            return DIAG_ERR;
        if (ydoc_map_len(n) > 4)
            return ydoc_error(y, n, d, "per_task names at most 4 tasks");
        for (size_t i = 0; i < ydoc_map_len(n); i++) {
            if (ydoc_string(y, ydoc_map_key(y, n, i), "per_task key", c->per_task_id[i],
                            sizeof c->per_task_id[i], d) != 0 ||
                ydoc_double(y, ydoc_map_value(y, n, i), "per_task", 1e-9, 1e9, &c->per_task[i],
                            d) != 0)
                return DIAG_ERR;
            c->nper_task++;
        }
    }
    if (c->metric == VM_TOTAL_RATE && c->nper_task == 0)
        return ydoc_error(y, m, d, "case '%s': metric total_rate needs 'per_task'", c->id);
    if (c->metric == VM_TASK_RATE && c->task[0] == 0)
        return ydoc_error(y, m, d, "case '%s': metric task_rate needs 'task'", c->id);
    if (io[0] && strcmp(io, "native") != 0 && strcmp(io, "linear") != 0)
        return ydoc_error(y, ydoc_get(y, m, "io_format"), d, "io_format must be native or linear");
    c->io_native = strcmp(io, "native") == 0;
    if ((n = ydoc_get(y, m, "per_frame")) != NULL &&
        ydoc_double(y, n, "per_frame", 1e-9, 1e9, &c->per_frame, d) != 0)
        return DIAG_ERR;
    if ((n = ydoc_get(y, m, "dram_scale")) != NULL &&
        ydoc_double(y, n, "dram_scale", 0.01, 100, &c->dram_scale, d) != 0)
        return DIAG_ERR;
    n = published ? ydoc_require(y, m, "published", "a validation case", d)
                  : ydoc_get(y, m, "published");
    if (published && n == NULL)
        return DIAG_ERR;
    if (n != NULL && !published)
        return ydoc_error(y, n, d, "an experiment has no published value");
    if (n != NULL && ydoc_double(y, n, "published", 1e-12, 1e12, &c->published, d) != 0)
        return DIAG_ERR;
    return 0;
}

static int load_list(ydoc_t *y, const yaml_node_t *seq, validate_kind_t kind,
                     validate_registry_t *r, diag_t *d)
{
    static const char *const LISTS[] = {"experiments", "cases", "cross_checks"};
    size_t len;
    if (ydoc_expect_seq(y, seq, LISTS[kind], d) != 0)
        return DIAG_ERR;
    len = ydoc_seq_len(seq);
    validate_case_t *grown = realloc(r->cases, (size_t)(r->n + (int)len + 1) * sizeof *grown);
    if (grown == NULL)
        return diag_error(d, r->path, 0, 0, "out of memory");
    r->cases = grown;
    for (size_t i = 0; i < len; i++) {
        validate_case_t *c = &r->cases[r->n];
        if (load_case(y, ydoc_seq_at(y, seq, i), kind, c, d) != 0)
            return DIAG_ERR;
        for (int j = 0; j < r->n; j++)
            if (strcmp(r->cases[j].id, c->id) == 0)
                return ydoc_error(y, ydoc_seq_at(y, seq, i), d, "duplicate case id '%s'", c->id);
        r->n++;
    }
    return 0;
}

int validate_load(const char *path, validate_registry_t *r, diag_t *d)
{
    static const char *const KEYS[] = {"mape_bound", "case_bound", "cases", "cross_checks",
                                       "experiments", NULL};
    ydoc_t y;
    yaml_node_t *root, *n;
    const char *slash;
    int rc = DIAG_ERR;

    memset(r, 0, sizeof *r);
    snprintf(r->path, sizeof r->path, "%s", path);
    slash = strrchr(path, '/');
    if (slash)
        snprintf(r->dir, sizeof r->dir, "%.*s", (int)(slash - path), path);
    else
        snprintf(r->dir, sizeof r->dir, ".");
    if (ydoc_load_file(&y, path, d) != 0)
        return DIAG_ERR;
    root = ydoc_root(&y);
    if (ydoc_expect_map(&y, root, "the validation registry", d) != 0 ||
        ydoc_check_keys(&y, root, KEYS, "the validation registry", d) != 0)
        goto out;
    if ((n = ydoc_require(&y, root, "mape_bound", "the validation registry", d)) == NULL ||
        ydoc_double(&y, n, "mape_bound", 0, 1000, &r->mape_bound, d) != 0)
        goto out;
    if ((n = ydoc_require(&y, root, "case_bound", "the validation registry", d)) == NULL ||
        ydoc_double(&y, n, "case_bound", 0, 1000, &r->case_bound, d) != 0)
        goto out;
    if ((n = ydoc_require(&y, root, "cases", "the validation registry", d)) == NULL ||
        load_list(&y, n, VK_CASE, r, d) != 0)
        goto out;
    if ((n = ydoc_get(&y, root, "cross_checks")) != NULL && load_list(&y, n, VK_CROSS, r, d) != 0)
        goto out;
    if ((n = ydoc_get(&y, root, "experiments")) != NULL && load_list(&y, n, VK_EXPERIMENT, r, d) != 0)
        goto out;
    rc = 0;
out:
    ydoc_free(&y);
    if (rc != 0)
        validate_free(r);
    return rc;
}

void validate_free(validate_registry_t *r)
{
    free(r->cases);
    r->cases = NULL;
    r->n = 0;
}

const validate_case_t *validate_find(const validate_registry_t *r, const char *id)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->cases[i].id, id) == 0)
            return &r->cases[i];
    return NULL;
}

/* ---- one case ---- */

/* Generate the zoo trace of `args` ("resnet50 --engine dla ...") and parse it. */
static int zoo_trace(const validate_case_t *c, trace_t *t, diag_t *d)
{
    char buf[sizeof c->zoo], *argv[MAX_ZOO_ARGS + 1], *text = NULL, *save = NULL;
    size_t len = 0;
    int argc = 0, rc;
    FILE *f;

    snprintf(buf, sizeof buf, "%s", c->zoo);
    argv[argc++] = "zoo";
    for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (argc == MAX_ZOO_ARGS)
            return diag_error(d, c->id, 0, 0, "too many zoo arguments");
        argv[argc++] = tok;
    }
    argv[argc] = NULL;
    f = open_memstream(&text, &len);
    if (f == NULL)
        return diag_error(d, c->id, 0, 0, "out of memory");
    rc = zoo_cli_write(f, argc, argv);
    fclose(f);
    if (rc != 0) {
        free(text);
        return diag_error(d, c->id, 0, 0, "`orinsim zoo %s` failed", c->zoo);
    }
    rc = trace_parse(c->id, text, len, t, d);
    free(text);
    return rc;
}

/* Instances of task `ti` per second over the window in which every task still runs. */
static double task_rate(const trace_t *t, replay_result_t *res, int ti)
{
    uint64_t window = UINT64_MAX;
    size_t count = 0;
    for (int i = 0; i < res->ntasks; i++) {
        uint64_t last = sim_dist_max(&res->tasks[i].latency);
        if (last < window)
            window = last;
    }
    (void)t;
    for (size_t k = 0; k < res->tasks[ti].latency.n; k++)
        if (res->tasks[ti].latency.v[k] <= window)
            count++;
    return window > 0 ? (double)count / ((double)window * 1e-12) : 0;
}

static int task_index(const trace_t *t, const char *id)
{
    for (int i = 0; i < t->ntasks; i++)
        if (strcmp(t->tasks[i].id, id) == 0)
            return i;
    return -1;
}

static double throughput(const replay_result_t *r)
{
    if (r->frames_done >= 2 && r->end > r->first_done)
        return (double)(r->frames_done - 1) / ((double)(r->end - r->first_done) * 1e-12);
    if (r->end > r->first_release)
        return (double)r->frames_done / ((double)(r->end - r->first_release) * 1e-12);
    return 0;
}

static int metric(const validate_case_t *c, const trace_t *t, replay_result_t *res,
                  double *out, diag_t *d)
{
    double ms;
    int ti = -1;
    switch (c->metric) {
    case VM_THROUGHPUT:
        *out = throughput(res) * c->per_frame;
        return 0;
    case VM_LATENCY_MS:
        if (strcmp(c->stat, "mean") == 0)
            ms = sim_dist_mean(&res->frame_latency) * 1e-9;
        else
            ms = (double)sim_dist_pct(&res->frame_latency, strcmp(c->stat, "p90") == 0 ? 90 : 99) *
                 1e-9;
        *out = ms;
        return 0;
    case VM_LATENCY_RATE:
        ms = sim_dist_mean(&res->frame_latency) * 1e-9;
        *out = ms > 0 ? c->per_frame * 1e3 / ms : 0;
        return 0;
    case VM_TASK_RATE:
    case VM_TOTAL_RATE:
        if (t->max_in_flight < t->frames)
            return diag_error(d, c->id, 0, 0, "%s needs every frame released at once "
                              "(max_in_flight %lld < frames %lld; add stream: true)",
                              METRIC_NAMES[c->metric], (long long)t->max_in_flight,
                              (long long)t->frames);
        if (c->metric == VM_TASK_RATE) {
            if ((ti = task_index(t, c->task)) < 0)
                return diag_error(d, c->id, 0, 0, "the trace has no task '%s'", c->task);
            *out = task_rate(t, res, ti) * c->per_frame;
            return 0;
        }
        *out = 0;
        for (int i = 0; i < c->nper_task; i++) {
            if ((ti = task_index(t, c->per_task_id[i])) < 0)
                return diag_error(d, c->id, 0, 0, "the trace has no task '%s'",
                                  c->per_task_id[i]);
            *out += task_rate(t, res, ti) * c->per_task[i];
        }
        return 0;
    default:
        return diag_error(d, c->id, 0, 0, "internal error: metric %d", (int)c->metric);
    }
}

int validate_case(const validate_registry_t *r, const validate_case_t *c, validate_result_t *out,
                  diag_t *d)
{
    sku_t *sku = calloc(1, sizeof *sku);
    soc_config_t cfg;
    trace_t t;
    replay_options_t ro;
    replay_result_t res;
    int rc = DIAG_ERR;

    memset(out, 0, sizeof *out);
    memset(&t, 0, sizeof t);
    memset(&ro, 0, sizeof ro);
    if (sku == NULL)
        return diag_error(d, c->id, 0, 0, "out of memory");
    if (sku_load(c->sku, sku, d) != 0 || sku_resolve(sku, c->mode, &cfg, d) != 0)
        goto out;
    cfg.dram.emc_hz *= c->dram_scale;
    if (c->dla_hz > 0) {
        if (cfg.dlas == 0 || c->dla_hz > sku->dla_max_hz * (1 + 1e-9)) {
            diag_error(d, c->id, 0, 0, "dla_clock %.1f MHz: %s has %s", c->dla_hz / 1e6, c->sku,
                       cfg.dlas == 0 ? "no DLA" : "a lower DLA clock ceiling");
            goto out;
        }
        cfg.dla.clock_hz = c->dla_hz;
    }
    if (c->zoo[0]) {
        if (zoo_trace(c, &t, d) != 0)
            goto out;
    } else {
        char path[800];
        snprintf(path, sizeof path, "%s/%s", r->dir, c->trace);
        if (trace_load(path, &t, d) != 0)
            goto out;
    }
    vclass_of(&t, out->vclass, sizeof out->vclass);
    for (int i = 0; c->io_native && i < t.ntasks; i++)
        t.tasks[i].io_native = 1;
    for (int i = 0; c->one_process && i < t.ntasks; i++)
        t.tasks[i].context = 0;
    if (c->stream)
        t.max_in_flight = t.frames;
    if (replay_check(&cfg, &t, d) != 0 || replay_run(&cfg, &t, &ro, &res, d) != 0)
        goto out;
    rc = metric(c, &t, &res, &out->predicted, d);
    if (rc == 0 && c->kind != VK_EXPERIMENT)
        out->error = (out->predicted - c->published) / c->published;
    replay_result_free(&res);
out:
    trace_free(&t);
    free(sku);
    return rc;
}

void validate_summarise(const validate_registry_t *r, const validate_result_t *res,
                        validate_summary_t *s)
{
    double sum = 0, worst = -1, cross_sum = 0;
    memset(s, 0, sizeof *s);
    s->worst = -1;
    for (int i = 0; i < r->n; i++) {
        const validate_case_t *c = &r->cases[i];
        double e = fabs(res[i].error) * 100;
        if (c->kind == VK_CROSS) {
            s->cross++;
            cross_sum += e;
        }
        if (c->kind != VK_CASE)
            continue;
        s->scored++;
        sum += e;
        if (e > worst) {
            worst = e;
            s->worst = i;
        }
        if (e > r->case_bound) {
            if (c->miss[0])
                s->misses++;
            else
                s->over++;
        }
    }
    s->mape = s->scored ? sum / s->scored : 0;
    s->cross_mape = s->cross ? cross_sum / s->cross : 0;
}

int validate_classes(const validate_registry_t *r, const validate_result_t *res,
                     const int *run, vclass_stat_t *out, int max)
{
    int n = 0;
    for (int i = 0; i < r->n; i++)
        if (run[i] && r->cases[i].kind != VK_EXPERIMENT && res[i].vclass[0])
            /* as speed: a latency predicted too low is the model being too fast */
            vclass_add(out, max, &n, res[i].vclass,
                       r->cases[i].metric == VM_LATENCY_MS ? -res[i].error : res[i].error);
    vclass_finish(out, n);
    return n;
}

/* ---- the command ---- */

static void print_text(FILE *f, const validate_registry_t *r, const validate_result_t *res,
                       const int *run, const validate_summary_t *s)
{
    const char *group = "";
    for (int i = 0; i < r->n; i++) {
        const validate_case_t *c = &r->cases[i];
        if (!run[i])
            continue;
        if (strcmp(group, c->group) != 0) {
            group = c->group;
            fprintf(f, "\n%s\n  %-36s %-16s %12s %12s %8s  %s\n", group, "case", "module, mode",
                    "published", "predicted", "error", "unit");
        }
        char mod[80];
        snprintf(mod, sizeof mod, "%s %s", c->sku, c->mode);
        if (c->kind == VK_CASE)
            fprintf(f, "  %-36s %-16s %12.4g %12.4g %+7.1f%%  %s%s\n", c->id, mod, c->published,
                    res[i].predicted, res[i].error * 100, c->unit,
                    fabs(res[i].error) * 100 > r->case_bound
                        ? (c->miss[0] ? "  (known miss)" : "  OVER BOUND")
                        : "");
        else if (c->kind == VK_CROSS)
            fprintf(f, "  %-36s %-16s %12.4g %12.4g %+7.1f%%  %s (cross-check)\n", c->id, mod,
                    c->published, res[i].predicted, res[i].error * 100, c->unit);
        else
            fprintf(f, "  %-36s %-16s %12s %12.4g %8s  %s (experiment)\n", c->id, mod, "-",
                    res[i].predicted, "", c->unit);
    }
    if (s->scored > 0)
        fprintf(f, "\n%d published cases: MAPE %.1f%% (bound %.1f%%), worst %s %+.1f%%; "
                "%d beyond %.0f%% (%d of them known misses)\n",
                s->scored, s->mape, r->mape_bound, r->cases[s->worst].id,
                res[s->worst].error * 100, s->over + s->misses, r->case_bound, s->misses);
    if (s->cross > 0)
        fprintf(f, "%d cross-checks (published elsewhere, not in the MAPE): MAPE %.1f%%\n",
                s->cross, s->cross_mape);
}

static int print_json(FILE *f, const validate_registry_t *r, const validate_result_t *res,
                      const int *run, const validate_summary_t *s)
{
    json_object *root = json_object_new_object(), *arr = json_object_new_array();
    for (int i = 0; i < r->n; i++) {
        const validate_case_t *c = &r->cases[i];
        json_object *o;
        if (!run[i])
            continue;
        o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_string(c->id));
        json_object_object_add(o, "group", json_object_new_string(c->group));
        json_object_object_add(o, "sku", json_object_new_string(c->sku));
        json_object_object_add(o, "mode", json_object_new_string(c->mode));
        json_object_object_add(o, "metric", json_object_new_string(METRIC_NAMES[c->metric]));
        json_object_object_add(o, "unit", json_object_new_string(c->unit));
        json_object_object_add(o, "predicted", json_object_new_double(res[i].predicted));
        if (c->kind != VK_EXPERIMENT) {
            if (c->kind == VK_CROSS)
                json_object_object_add(o, "cross_check", json_object_new_boolean(1));
            json_object_object_add(o, "published", json_object_new_double(c->published));
            json_object_object_add(o, "error_pct", json_object_new_double(res[i].error * 100));
            json_object_object_add(o, "source", json_object_new_string(c->source));
            if (c->miss[0])
                json_object_object_add(o, "known_miss", json_object_new_string(c->miss));
        }
        json_object_array_add(arr, o);
    }
    json_object_object_add(root, "cases", arr);
    if (s->scored > 0) {
        json_object *sum = json_object_new_object();
        json_object_object_add(sum, "scored", json_object_new_int(s->scored));
        json_object_object_add(sum, "mape_pct", json_object_new_double(s->mape));
        json_object_object_add(sum, "mape_bound_pct", json_object_new_double(r->mape_bound));
        json_object_object_add(sum, "case_bound_pct", json_object_new_double(r->case_bound));
        json_object_object_add(sum, "beyond_case_bound", json_object_new_int(s->over + s->misses));
        json_object_object_add(sum, "known_misses", json_object_new_int(s->misses));
        json_object_object_add(sum, "cross_checks", json_object_new_int(s->cross));
        json_object_object_add(sum, "cross_check_mape_pct", json_object_new_double(s->cross_mape));
        json_object_object_add(root, "summary", sum);
    }
    fprintf(f, "%s\n",
            json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                     JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(root);
    return ferror(f) ? -1 : 0;
}

static int bad(const char *fmt, const char *arg)
{
    return diag_usage("usage: orinsim validate [--json] [--case ID] [--registry FILE]", fmt, arg);
}

int validate_cli(int argc, char **argv)
{
    const char *path = validate_default_registry(), *only = NULL;
    int json = 0, classes = 0, rc = EXIT_OK, *run = NULL;
    validate_registry_t r;
    validate_result_t *res = NULL;
    validate_summary_t s;
    diag_t d;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: orinsim validate [--json] [--case ID] [--registry FILE]\n"
                   "  the model's predictions against published Orin measurements, case by case,\n"
                   "  with each class's MAPE (docs/validation.md)\n"
                   "  --json            the table as JSON on stdout\n"
                   "  --case ID         one case of the registry\n"
                   "  --registry FILE   another registry (default traces/validation/cases.yaml)\n"
                   "  --classes         the error by class of workload, as\n"
                   "                    traces/validation/classes.yaml holds it (reports\n"
                   "                    print their class's row)\n"
                   "  --help            this text\n");
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--classes") == 0) {
            classes = 1;
        } else if (strcmp(argv[i], "--case") == 0 || strcmp(argv[i], "--registry") == 0) {
            if (i + 1 >= argc)
                return bad("%s needs a value", argv[i]);
            if (strcmp(argv[i], "--case") == 0)
                only = argv[++i];
            else
                path = argv[++i];
        } else {
            return bad("unexpected argument '%s'", argv[i]);
        }
    }
    diag_clear(&d);
    if (validate_load(path, &r, &d) != 0) {
        diag_print(&d);
        return EXIT_BAD_INPUT;
    }
    if (only && validate_find(&r, only) == NULL) {
        validate_free(&r);
        return bad("no case '%s' in the registry", only);
    }
    res = calloc((size_t)r.n + 1, sizeof *res);
    run = calloc((size_t)r.n + 1, sizeof *run);
    if (res == NULL || run == NULL) {
        rc = EXIT_INTERNAL;
        goto out;
    }
    for (int i = 0; i < r.n; i++) {
        if (only && strcmp(r.cases[i].id, only) != 0)
            continue;
        if (validate_case(&r, &r.cases[i], &res[i], &d) != 0) {
            diag_print(&d);
            rc = diag_exit_code(&d);
            goto out;
        }
        run[i] = 1;
    }
    validate_summarise(&r, res, &s);
    if (only) {                   /* one case: its row is the answer, no summary */
        memset(&s, 0, sizeof s);
        s.worst = -1;
    }
    if (classes || json) {
        out_t o;
        /* Standard output is checked as it is closed: a failed write says why. */
        diag_clear(&d);
        out_open(&o, "-", classes ? "class table" : "validation table", &d);
        if (classes) {
            vclass_stat_t table[VCLASS_MAX];
            vclass_write(o.f, table, validate_classes(&r, res, run, table, VCLASS_MAX));
        } else {
            print_json(o.f, &r, res, run, &s);
        }
        if (out_close(&o, &d) != 0) {
            diag_print(&d);
            rc = EXIT_OUTPUT;
        }
    } else {
        print_text(stdout, &r, res, run, &s);
    }
out:
    free(res);
    free(run);
    validate_free(&r);
    return rc;
}
