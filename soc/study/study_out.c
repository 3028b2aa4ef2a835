/*
 * study_out: a study's result as files: CSV and JSON with one row per run, a summary
 * table, JUnit for the budgets.
 *
 * Everything here reads only the study_result_t, in index order, with numbers formatted
 * from the doubles the runs produced; so the files are the same, byte for byte, whether
 * the result came from one process, from merged shards or from MPI ranks. No wall time,
 * host or shard count appears in them.
 *
 * The Pareto front is over the runs that succeeded and have a value for every
 * objective: a run is on it when no other run is at least as good on every objective
 * and better on one (lower for latency, power, energy; higher for throughput, as the
 * metric table says). Two runs with equal values are both on it. The test is O(n^2 k),
 * a few milliseconds for 10,000 runs.
 */
#include "soc/study/study_result.h"

#include <stdlib.h>
#include <string.h>

#include "soc/io/out.h"
#include "soc/report/batch.h"
#include "soc/report/junit.h"

static const char *const STATUS[] = {"ok", "failed", "thermal-shutdown"};
static const char *const STATE[] = {"pass", "fail", "no-value", "not-run"};

static int higher_better(const study_result_t *r, int m)
{
    metric_t def;
    char why[256];
    return metric_lookup(r->metrics[m], &def, why, sizeof why) == 0 &&
           def.def->sense == METRIC_HIGHER_BETTER;
}

static int eligible(const study_result_t *r, const study_row_t *row)
{
    if (row->status != STUDY_RUN_OK)
        return 0;
    for (int i = 0; i < r->npareto; i++)
        if (!row->has[r->pareto[i]])
            return 0;
    return 1;
}

/* Does a dominate b? */
static int dominates(const study_result_t *r, const int *hi, const study_row_t *a,
                     const study_row_t *b)
{
    int better = 0;
    for (int i = 0; i < r->npareto; i++) {
        int m = r->pareto[i];
        double x = hi[i] ? -a->metric[m] : a->metric[m], y = hi[i] ? -b->metric[m] : b->metric[m];
        if (x > y)
            return 0;
        better |= x < y;
    }
    return better;
}

void study_pareto(study_result_t *r)
{
    int hi[STUDY_MAX_PARETO];
    for (int i = 0; i < r->npareto; i++)
        hi[i] = higher_better(r, r->pareto[i]);
    for (int i = 0; i < r->nrows; i++) {
        study_row_t *a = &r->rows[i];
        a->pareto = r->npareto > 0 && eligible(r, a);
        for (int j = 0; a->pareto && j < r->nrows; j++)
            if (j != i && eligible(r, &r->rows[j]) && dominates(r, hi, &r->rows[j], a))
                a->pareto = 0;
    }
}

/* ---- CSV (RFC 4180) ---- */

static void csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int write_csv(FILE *f, void *arg)
{
    const study_result_t *r = arg;
    fputs("index,id", f);
    for (int c = 0; c < r->ncolumns; c++)
        fprintf(f, ",%s", r->columns[c]);
    fputs(",status", f);
    for (int m = 0; m < r->nmetrics; m++) {
        fputc(',', f);
        csv_field(f, r->metrics[m]);
    }
    fputs(",pareto,budgets,error\n", f);
    for (int i = 0; i < r->nrows; i++) {
        const study_row_t *row = &r->rows[i];
        int failed = 0, pass = 0;
        fprintf(f, "%d,", row->index);
        csv_field(f, row->id);
        for (int c = 0; c < r->ncolumns; c++) {
            fputc(',', f);
            csv_field(f, row->param[c]);
        }
        fprintf(f, ",%s", STATUS[row->status]);
        for (int m = 0; m < r->nmetrics; m++)
            row->has[m] ? fprintf(f, ",%.6g", row->metric[m]) : fputs(",", f);
        for (int b = 0; b < r->nbudgets; b++) {
            pass += row->budget[b] == STUDY_BUDGET_PASS;
            failed += row->budget[b] != STUDY_BUDGET_PASS;
        }
        fprintf(f, ",%d,", row->pareto);
        if (r->nbudgets > 0)
            fprintf(f, "%s %d/%d", failed ? "fail" : "pass", pass, r->nbudgets);
        fputc(',', f);
        csv_field(f, row->error ? row->error : "");
        fputc('\n', f);
    }
    return 0;
}

/* ---- JSON ---- */

static json_object *num(double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.9g", v);
    return json_object_new_double_s(v, buf);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct metric_summary {
    int n;
    double min, median, max;
    int best;                       /* row index of the best value, -1 */
} metric_summary_t;

static void summarise(const study_result_t *r, int m, metric_summary_t *s)
{
    double *v = malloc((size_t)(r->nrows > 0 ? r->nrows : 1) * sizeof *v);
    int hi = higher_better(r, m);
    memset(s, 0, sizeof *s);
    s->best = -1;
    for (int i = 0; i < r->nrows; i++) {
        const study_row_t *row = &r->rows[i];
        if (row->status != STUDY_RUN_OK || !row->has[m])
            continue;
        if (v)
            v[s->n] = row->metric[m];
        s->n++;
        if (s->best < 0 || (hi ? row->metric[m] > r->rows[s->best].metric[m]
                               : row->metric[m] < r->rows[s->best].metric[m]))
            s->best = i;
    }
    if (s->n > 0 && v) {
        qsort(v, (size_t)s->n, sizeof *v, cmp_double);
        s->min = v[0];
        s->max = v[s->n - 1];
        s->median = s->n % 2 ? v[s->n / 2] : (v[s->n / 2 - 1] + v[s->n / 2]) / 2;
    }
    free(v);
}

static void counts(const study_result_t *r, int *ok, int *failed, int *thermal, int *front,
                   int *bpass, int *bfail)
{
    *ok = *failed = *thermal = *front = *bpass = *bfail = 0;
    for (int i = 0; i < r->nrows; i++) {
        const study_row_t *row = &r->rows[i];
        int f = 0;
        *ok += row->status == STUDY_RUN_OK;
        *failed += row->status == STUDY_RUN_FAILED;
        *thermal += row->status == STUDY_RUN_THERMAL;
        *front += row->pareto;
        for (int b = 0; b < r->nbudgets; b++)
            f |= row->budget[b] != STUDY_BUDGET_PASS;
        if (r->nbudgets > 0)
            *(f ? bfail : bpass) += 1;
    }
}

static int write_json(FILE *f, void *arg)
{
    const study_result_t *r = arg;
    json_object *root = json_object_new_object(), *a, *sum, *o;
    int ok, failed, thermal, front, bpass, bfail, rc;
    counts(r, &ok, &failed, &thermal, &front, &bpass, &bfail);
    json_object_object_add(root, "study", out_json_string(r->name));
    json_object_object_add(root, "runs", json_object_new_int(r->total));
    a = json_object_new_array();
    for (int c = 0; c < r->ncolumns; c++)
        json_object_array_add(a, json_object_new_string(r->columns[c]));
    json_object_object_add(root, "parameters", a);
    a = json_object_new_array();
    for (int m = 0; m < r->nmetrics; m++)
        json_object_array_add(a, json_object_new_string(r->metrics[m]));
    json_object_object_add(root, "metrics", a);
    a = json_object_new_array();
    for (int i = 0; i < r->npareto; i++)
        json_object_array_add(a, json_object_new_string(r->metrics[r->pareto[i]]));
    json_object_object_add(root, "pareto_objectives", a);
    a = json_object_new_array();
    for (int b = 0; b < r->nbudgets; b++)
        json_object_array_add(a, out_json_string(r->budgets[b]));
    json_object_object_add(root, "budgets", a);

    sum = json_object_new_object();
    json_object_object_add(sum, "ok", json_object_new_int(ok));
    json_object_object_add(sum, "failed", json_object_new_int(failed));
    json_object_object_add(sum, "thermal_shutdown", json_object_new_int(thermal));
    json_object_object_add(sum, "pareto_front", json_object_new_int(front));
    json_object_object_add(sum, "budgets_passed", json_object_new_int(bpass));
    json_object_object_add(sum, "budgets_failed", json_object_new_int(bfail));
    o = json_object_new_object();
    for (int m = 0; m < r->nmetrics; m++) {
        metric_summary_t s;
        json_object *e = json_object_new_object();
        summarise(r, m, &s);
        json_object_object_add(e, "runs", json_object_new_int(s.n));
        json_object_object_add(e, "min", s.n ? num(s.min) : NULL);
        json_object_object_add(e, "median", s.n ? num(s.median) : NULL);
        json_object_object_add(e, "max", s.n ? num(s.max) : NULL);
        json_object_object_add(e, "best", s.best >= 0 ? out_json_string(r->rows[s.best].id)
                                                       : NULL);
        json_object_object_add(o, r->metrics[m], e);
    }
    json_object_object_add(sum, "metrics", o);
    json_object_object_add(root, "summary", sum);

    a = json_object_new_array();
    for (int i = 0; i < r->nrows; i++) {
        const study_row_t *row = &r->rows[i];
        json_object *e = json_object_new_object(), *p = json_object_new_object(), *b;
        json_object_object_add(e, "index", json_object_new_int(row->index));
        json_object_object_add(e, "id", out_json_string(row->id));
        for (int c = 0; c < r->ncolumns; c++)
            json_object_object_add(p, r->columns[c], row->param[c][0]
                                                         ? out_json_string(row->param[c]) : NULL);
        json_object_object_add(e, "parameters", p);
        json_object_object_add(e, "status", json_object_new_string(STATUS[row->status]));
        json_object_object_add(e, "error", row->error ? out_json_string(row->error) : NULL);
        p = json_object_new_object();
        for (int m = 0; m < r->nmetrics; m++)
            json_object_object_add(p, r->metrics[m], row->has[m] ? num(row->metric[m]) : NULL);
        json_object_object_add(e, "metrics", p);
        json_object_object_add(e, "pareto", json_object_new_boolean(row->pareto));
        b = json_object_new_array();
        for (int k = 0; k < r->nbudgets; k++) {
            json_object *x = json_object_new_object();
            json_object_object_add(x, "budget", out_json_string(r->budgets[k]));
            json_object_object_add(x, "status", json_object_new_string(STATE[row->budget[k]]));
            json_object_object_add(x, "value", row->budget[k] <= STUDY_BUDGET_FAIL
                                                   ? num(row->bvalue[k]) : NULL);
            json_object_array_add(b, x);
        }
        json_object_object_add(e, "budgets", b);
        json_object_array_add(a, e);
    }
    json_object_object_add(root, "results", a);
    rc = fprintf(f, "%s\n", json_object_to_json_string_ext(root, BATCH_JSON_FLAGS)) < 0 ? -1 : 0;
    json_object_put(root);
    return rc;
}

/* ---- the summary table ---- */

void study_summary(FILE *out, const study_result_t *r)
{
    int ok, failed, thermal, front, bpass, bfail, shown = 0;
    counts(r, &ok, &failed, &thermal, &front, &bpass, &bfail);
    fprintf(out, "study     %s: %d runs, %d ok, %d failed, %d in thermal shutdown\n", r->name,
            r->nrows, ok, failed, thermal);
    if (r->nrows < r->total)
        fprintf(out, "          (a partial result: %d of the study's %d runs)\n", r->nrows,
                r->total);
    fprintf(out, "\n%-28s %6s %12s %12s %12s  %s\n", "metric", "runs", "min", "median", "max",
            "best run");
    for (int m = 0; m < r->nmetrics; m++) {
        metric_summary_t s;
        summarise(r, m, &s);
        fprintf(out, "%-28s %6d ", r->metrics[m], s.n);
        if (s.n == 0)
            fprintf(out, "%12s %12s %12s  -\n", "-", "-", "-");
        else
            fprintf(out, "%12.6g %12.6g %12.6g  %s\n", s.min, s.median, s.max,
                    r->rows[s.best].id);
    }
    if (r->npareto > 0) {
        fprintf(out, "\npareto    %d runs on the front of", front);
        for (int i = 0; i < r->npareto; i++)
            fprintf(out, "%s %s", i ? " vs" : "", r->metrics[r->pareto[i]]);
        fputc('\n', out);
        for (int i = 0; i < r->nrows; i++) {
            if (!r->rows[i].pareto)
                continue;
            fprintf(out, "  ");
            for (int k = 0; k < r->npareto; k++)
                fprintf(out, "%12.6g ", r->rows[i].metric[r->pareto[k]]);
            fprintf(out, " %s\n", r->rows[i].id);
        }
    }
    if (r->nbudgets > 0) {
        fprintf(out, "\nbudgets   %d runs pass all %d, %d do not:", bpass, r->nbudgets, bfail);
        for (int b = 0; b < r->nbudgets; b++)
            fprintf(out, "%s %s", b ? ";" : "", r->budgets[b]);
        fputc('\n', out);
    }
    for (int i = 0; i < r->nrows; i++) {
        const study_row_t *row = &r->rows[i];
        if (row->status == STUDY_RUN_OK)
            continue;
        if (shown++ == 0)
            fprintf(out, "\nfailed runs\n");
        if (shown > 20) {
            fprintf(out, "  ... %d more in the CSV and JSON results\n", failed + thermal - 20);
            break;
        }
        fprintf(out, "  %s: %s\n", row->id, row->error ? row->error : STATUS[row->status]);
    }
}

static int write_summary(FILE *f, void *arg)
{
    study_summary(f, arg);
    return 0;
}

/* ---- JUnit: one test suite, a test case per run and budget ---- */

static int write_junit(FILE *f, void *arg)
{
    const study_result_t *r = arg;
    int tests = 0, failures = 0, errors = 0;
    for (int i = 0; i < r->nrows; i++)
        for (int b = 0; b < r->nbudgets; b++) {
            int st = r->rows[i].budget[b];
            tests++;
            failures += st == STUDY_BUDGET_FAIL;
            errors += st >= STUDY_BUDGET_NO_VALUE;
        }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"orinsim study\" "
               "tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"0\">\n", tests, failures, errors);
    fputs("  <testsuite name=\"", f);
    junit_escape(f, r->name);
    fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"0\">\n", tests, failures,
            errors);
    for (int i = 0; i < r->nrows; i++) {
        const study_row_t *row = &r->rows[i];
        for (int b = 0; b < r->nbudgets; b++) {
            int st = row->budget[b];
            fputs("    <testcase classname=\"", f);
            junit_escape(f, row->id);
            fputs("\" name=\"", f);
            junit_escape(f, r->budgets[b]);
            fputs("\" time=\"0\"", f);
            if (st == STUDY_BUDGET_PASS) {
                fputs("/>\n", f);
                continue;
            }
            if (st == STUDY_BUDGET_FAIL)
                fprintf(f, ">\n      <failure type=\"budget\" message=\"value %.6g\"/>\n",
                        row->bvalue[b]);
            else if (st == STUDY_BUDGET_NO_VALUE)
                fputs(">\n      <error type=\"no-value\" message=\"the run has no value for "
                      "this metric\"/>\n", f);
            else {
                fputs(">\n      <error type=\"run\" message=\"", f);
                junit_escape(f, row->error ? row->error : "the run failed");
                fputs("\"/>\n", f);
            }
            fputs("    </testcase>\n", f);
        }
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    return 0;
}

static int write_one(const char *prefix, const char *ext, const char *what,
                     int (*emit)(FILE *, void *), const study_result_t *r)
{
    char path[STUDY_PATH_LEN + 16];
    diag_t d;
    int rc;
    snprintf(path, sizeof path, "%s%s", prefix, ext);
    diag_clear(&d);
    if ((rc = out_write_file(path, what, emit, (void *)r, &d)) != EXIT_OK)
        diag_print(&d);
    return rc;
}

int study_write_outputs(const study_result_t *r, const char *prefix)
{
    int rc = EXIT_OK, w;
    if ((w = write_one(prefix, ".csv", "study CSV", write_csv, r)) != EXIT_OK)
        rc = w;
    if ((w = write_one(prefix, ".json", "study JSON", write_json, r)) != EXIT_OK)
        rc = w;
    if ((w = write_one(prefix, ".txt", "study summary", write_summary, r)) != EXIT_OK)
        rc = w;
    if (r->nbudgets > 0 &&
        (w = write_one(prefix, ".junit.xml", "JUnit report", write_junit, r)) != EXIT_OK)
        rc = w;
    return rc;
}

int study_exit_code(const study_result_t *r)
{
    int ok = 0, budget = 0;
    for (int i = 0; i < r->nrows; i++) {
        ok += r->rows[i].status == STUDY_RUN_OK;
        for (int b = 0; b < r->nbudgets; b++)
            budget |= r->rows[i].budget[b] == STUDY_BUDGET_FAIL ||
                      r->rows[i].budget[b] == STUDY_BUDGET_NO_VALUE;
    }
    return ok == 0 ? EXIT_BAD_INPUT : budget ? EXIT_BUDGET : EXIT_OK;
}
