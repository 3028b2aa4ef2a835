/*
 * batch: parallel runs with deterministic output. See batch.h.
 *
 * What a run touches, and why it is safe on several threads at once:
 *   - the trace and the soc_config_t (with its sku_t) are read-only once loaded;
 *   - replay_run builds its own engine, models and result; the library keeps no
 *     writable global or static state (`nm` of liborinsim_core shows none) and calls
 *     no non-reentrant libc function during a run;
 *   - report_text and report_json write to the run's own memory stream; json-c objects
 *     are per run, and json-c's only shared state (its hash seed) is set atomically;
 *   - sim_dist_pct sorts a distribution in place, but each distribution is the run's.
 * Loading files (the YAML parser, strerror in its messages, the SKU directory) happens
 * before the batch, on one thread. ThreadSanitizer finds no race in a batch when the
 * OpenMP loop is replaced by a pthread pool (libgomp is not instrumented, so under
 * OpenMP it reports false races across the implicit barrier at the loop's end).
 *
 * The JSON report is rendered by report_json and parsed back with json-c: budgets are
 * evaluated on exactly the numbers the report holds, and the `budgets` array is added
 * to that object. json-c keeps each number's text when it parses, so re-serialising
 * changes nothing else, byte for byte.
 */
#include "soc/report/batch.h"

#include <stdlib.h>
#include <string.h>

#ifdef ORINSIM_HAVE_OPENMP
#include <omp.h>
#endif

const char *batch_trace_label(const trace_t *t)
{
    return t->name[0] ? t->name : t->path;
}

static int fail(batch_run_t *r, int rc, const char *msg)
{
    if (!r->diag.set)
        diag_error(&r->diag, r->trace->path, 0, 0, "%s", msg);
    r->rc = rc;
    return rc;
}

/* Render the JSON report and parse it back. */
static json_object *json_report(batch_run_t *r, replay_result_t *res,
                                const report_options_t *rep)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    json_object *root = NULL;
    if (f == NULL)
        return NULL;
    if (report_json(f, r->cfg, r->trace, res, rep) == 0 && fclose(f) == 0) {
        json_tokener *tok = json_tokener_new();
        if (tok) {
            root = json_tokener_parse_ex(tok, buf, (int)len);
            if (json_tokener_get_error(tok) != json_tokener_success && root) {
                json_object_put(root);
                root = NULL;
            }
            json_tokener_free(tok);
        }
    } else {
        fclose(f);
    }
    free(buf);
    return root;
}

static int collect_budgets(batch_run_t *r, const batch_options_t *o)
{
    const budget_list_t *lists[2] = {&r->trace->budgets, o->budgets};
    int n = r->trace->budgets.n + (o->budgets ? o->budgets->n : 0), k = 0;
    json_object *arr;
    if (n == 0)
        return 0;
    r->budgets = calloc((size_t)n, sizeof *r->budgets);
    if (r->budgets == NULL)
        return -1;
    arr = json_object_new_array();
    for (int l = 0; l < 2; l++) {
        if (lists[l] == NULL)
            continue;
        for (int i = 0; i < lists[l]->n; i++, k++) {
            batch_budget_t *b = &r->budgets[k];
            b->budget = lists[l]->v[i];
            b->status = budget_eval(&b->budget, r->report, &b->value);
            r->failed += b->status == BUDGET_FAIL;
            r->no_value += b->status == BUDGET_NO_VALUE;
            json_object_array_add(arr, budget_json(&b->budget, b->status, b->value,
                                                   r->trace->path));
        }
    }
    r->nbudgets = n;
    json_object_object_add(r->report, "budgets", arr);
    return 0;
}

static char *text_report(batch_run_t *r, replay_result_t *res, const report_options_t *rep)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return NULL;
    report_text(f, r->cfg, r->trace, res, rep);
    if (r->nbudgets > 0) {
        fprintf(f, "\nbudgets   %d of %d passed\n", r->nbudgets - r->failed - r->no_value,
                r->nbudgets);
        for (int i = 0; i < r->nbudgets; i++)
            budget_print(f, &r->budgets[i].budget, r->budgets[i].status, r->budgets[i].value);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static void run_one(batch_run_t *r, const batch_options_t *o)
{
    replay_result_t res;
    replay_options_t ro = o->replay;    /* each run attaches its own instruments */
    report_options_t rep = o->report;
    power_run_t *pr = NULL;
    diag_clear(&r->diag);
    r->rc = EXIT_OK;
    if ((o->power && power_run_setup(&pr, o->power, r->cfg, &ro, &r->diag) != 0) ||
        replay_check(r->cfg, r->trace, &r->diag) != 0 ||
        replay_run(r->cfg, r->trace, &ro, &res, &r->diag) != 0) {
        r->rc = diag_exit_code(&r->diag);
        power_run_free(pr);
        return;
    }
    rep.power = pr;
    r->thermal_shutdown = power_run_exit_code(pr, EXIT_OK) == EXIT_THERMAL;
    r->wall_s = o->report.reproducible ? 0 : res.wall_s;
    r->report = json_report(r, &res, &rep);
    if (r->report == NULL)
        fail(r, EXIT_INTERNAL, "internal error: the JSON report could not be rendered");
    else if (collect_budgets(r, o) != 0)
        fail(r, EXIT_INTERNAL, "out of memory evaluating budgets");
    else if (r->no_value > 0)
        r->rc = EXIT_BAD_INPUT;
    if (r->rc != EXIT_INTERNAL && o->text && (r->text = text_report(r, &res, &rep)) == NULL)
        fail(r, EXIT_INTERNAL, "out of memory rendering the text report");
    r->footprint = res.footprint;
    replay_result_free(&res);
    if (o->keep_power)
        r->power = pr;
    else
        power_run_free(pr);
}

void batch_run(batch_run_t *runs, int n, const batch_options_t *opt)
{
#ifdef ORINSIM_HAVE_OPENMP
    int threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    if (threads > n)
        threads = n > 0 ? n : 1;
#pragma omp parallel for schedule(dynamic) num_threads(threads)
#endif
    for (int i = 0; i < n; i++)
        run_one(&runs[i], opt);
}

void batch_run_free(batch_run_t *r)
{
    free(r->text);
    free(r->budgets);
    if (r->report)
        json_object_put(r->report);
    power_run_free(r->power);
    r->text = NULL;
    r->budgets = NULL;
    r->report = NULL;
    r->power = NULL;
}

int batch_exit_code(const batch_run_t *runs, int n)
{
    int internal = 0, bad = 0, failed = 0, thermal = 0;
    for (int i = 0; i < n; i++) {
        internal |= runs[i].rc == EXIT_INTERNAL;
        bad |= runs[i].rc == EXIT_BAD_INPUT;
        failed |= runs[i].failed > 0;
        thermal |= runs[i].thermal_shutdown;
    }
    return internal ? EXIT_INTERNAL : bad ? EXIT_BAD_INPUT : failed ? EXIT_BUDGET
           : thermal ? EXIT_THERMAL : EXIT_OK;
}

static json_object *error_object(const batch_run_t *r)
{
    json_object *o = json_object_new_object();
    char msg[2048];
    diag_format(&r->diag, msg, sizeof msg);
    json_object_object_add(o, "report_version", json_object_new_int(REPORT_VERSION));
    json_object_object_add(o, "trace", json_object_new_string(r->trace->path));
    json_object_object_add(o, "name", json_object_new_string(r->trace->name));
    json_object_object_add(o, "sku", json_object_new_string(r->cfg->sku->name));
    json_object_object_add(o, "mode", json_object_new_string(r->cfg->mode->name));
    json_object_object_add(o, "error", json_object_new_string(msg));
    return o;
}

int batch_write_json(FILE *out, const batch_run_t *runs, int n)
{
    json_object *root;
    int rc;
    if (n == 1 && runs[0].report)
        root = json_object_get(runs[0].report);
    else if (n == 1)
        root = error_object(&runs[0]);
    else {
        root = json_object_new_array();
        for (int i = 0; i < n; i++)
            json_object_array_add(root, runs[i].report ? json_object_get(runs[i].report)
                                                       : error_object(&runs[i]));
    }
    rc = fprintf(out, "%s\n", json_object_to_json_string_ext(root, BATCH_JSON_FLAGS)) < 0 ? -1 : 0;
    json_object_put(root);
    return rc;
}

void batch_summary(FILE *out, const batch_run_t *runs, int n)
{
    int width = 5;
    for (int i = 0; i < n; i++) {
        int l = (int)strlen(batch_trace_label(runs[i].trace));
        if (l > width)
            width = l;
    }
    if (width > 48)
        width = 48;
    fprintf(out, "summary   %d runs\n", n);
    fprintf(out, "%-*s  %-12s %-12s %10s %12s  %s\n", width, "trace", "sku", "mode", "frames/s",
            "p99 (ms)", "budgets");
    for (int i = 0; i < n; i++) {
        const batch_run_t *r = &runs[i];
        char result[64];
        fprintf(out, "%-*.*s  %-12s %-12s ", width, width, batch_trace_label(r->trace),
                r->cfg->sku->name, r->cfg->mode->name);
        if (r->report == NULL) {
            fprintf(out, "%10s %12s  %s\n", "-", "-", r->rc == EXIT_INTERNAL ? "internal error"
                                                                           : "error (bad input)");
            continue;
        }
        {
            metric_t fps, p99;
            double vf = 0, vp = 0;
            char why[1024];
            metric_lookup("throughput_fps", &fps, why, sizeof why);
            metric_lookup("frame_latency.p99", &p99, why, sizeof why);
            metric_value(&fps, r->report, &vf);
            metric_value(&p99, r->report, &vp);
            fprintf(out, "%10.2f %12.3f  ", vf, vp);
        }
        if (r->nbudgets == 0)
            snprintf(result, sizeof result, "-");
        else if (r->no_value > 0)
            snprintf(result, sizeof result, "error (%d without a value)", r->no_value);
        else if (r->failed > 0)
            snprintf(result, sizeof result, "FAIL (%d of %d failed)", r->failed, r->nbudgets);
        else
            snprintf(result, sizeof result, "pass (%d)", r->nbudgets);
        fprintf(out, "%s\n", result);
    }
}
