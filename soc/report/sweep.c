/*
 * sweep: every (module, mode) pair of a trace, in parallel. See sweep.h.
 *
 * The plan (loading SKUs, resolving modes) is serial and fails early on bad input. The
 * runs share only read-only data (the trace and the SKU descriptions); each builds its own
 * engine, SoC and power instrument, so they need no locks. OpenMP's dynamic schedule hands
 * out one pair at a time, since modes differ several-fold in run time.
 */
#include "soc/report/sweep.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef ORINSIM_HAVE_OPENMP
#include <omp.h>
#endif

#include "soc/io/out.h"
#include "soc/io/units.h"
#include "soc/report/batch.h"
#include "soc/report/junit.h"
#include "soc/run/replay.h"

#define SWEEP_MAX_SKUS 16
#define SWEEP_MAX_BUDGETS 64

static int plan(const sku_t *skus, int nskus, const char *modes, sweep_row_t **rows,
                soc_config_t **cfgs, int *n, diag_t *d)
{
    int cap = 0, all = strcmp(modes, "all") == 0, listed = 1;
    *rows = NULL;
    *cfgs = NULL;
    *n = 0;
    for (const char *p = modes; *p; p++)
        listed += *p == ',';
    for (int s = 0; s < nskus; s++)
        cap += all ? skus[s].nmodes : listed;
    *rows = calloc((size_t)cap, sizeof **rows);
    *cfgs = calloc((size_t)cap, sizeof **cfgs);
    if (*rows == NULL || *cfgs == NULL)
        return diag_error(d, NULL, 0, 0, "out of memory");
    for (int s = 0; s < nskus; s++) {
        const char *p = modes;
        int m = 0;
        for (;;) {
            char name[64];
            size_t len;
            if (all) {
                if (m == skus[s].nmodes)
                    break;
                snprintf(name, sizeof name, "%s", skus[s].modes[m++].name);
            } else {
                if (*p == '\0')
                    break;
                len = strcspn(p, ",");
                if (len == 0 || len >= sizeof name)
                    return diag_error(d, NULL, 0, 0, "--mode: expected 'all' or mode names "
                                      "separated by commas, got '%s'", modes);
                memcpy(name, p, len);
                name[len] = '\0';
                p += len + (p[len] == ',');
            }
            if (sku_resolve(&skus[s], name, &(*cfgs)[*n], d) != 0)
                return DIAG_ERR;
            snprintf((*rows)[*n].sku, sizeof (*rows)[*n].sku, "%s", skus[s].name);
            snprintf((*rows)[*n].mode, sizeof (*rows)[*n].mode, "%s", (*cfgs)[*n].mode->name);
            (*n)++;
        }
    }
    return 0;
}

int sweep_plan(const sku_t *skus, int nskus, const char *modes, sweep_row_t **rows,
               soc_config_t **cfgs, int *n, diag_t *d)
{
    if (plan(skus, nskus, modes, rows, cfgs, n, d) == 0)
        return 0;
    free(*rows);
    free(*cfgs);
    *rows = NULL;
    *cfgs = NULL;
    *n = 0;
    return DIAG_ERR;
}

static void run_one(const soc_config_t *cfg, sweep_row_t *row, const trace_t *t,
                    const sweep_options_t *o)
{
    replay_options_t ro;
    replay_result_t res;
    power_run_t *pr = NULL;
    diag_t d;
    const power_summary_t *s;
    power_energy_t e;

    memset(&ro, 0, sizeof ro);
    ro.frames = o->frames;
    diag_clear(&d);
    power_options_t po = o->power;
    po.enabled = 1;
    if (power_run_setup(&pr, &po, cfg, &ro, &d) != 0 || replay_check(cfg, t, &d) != 0 ||
        replay_run(cfg, t, &ro, &res, &d) != 0) {
        diag_format(&d, row->error, sizeof row->error);
        power_run_free(pr);
        return;
    }
    s = power_run_summary(pr);
    power_run_energy(pr, t, &res, &e);
    row->ok = 1;
    row->frames = res.frames_done;
    if (res.frames_done >= 2 && res.end > res.first_done)
        row->fps = (double)(res.frames_done - 1) / ((double)(res.end - res.first_done) * 1e-12);
    else if (res.end > res.first_release)
        row->fps = (double)res.frames_done / ((double)(res.end - res.first_release) * 1e-12);
    row->p99_ms = (double)sim_dist_pct(&res.frame_latency, 99) / 1e9;
    row->avg_w = s->avg_w;
    row->peak_w = s->peak_w;
    row->j_per_frame = e.per_frame_j;
    row->frames_per_j = e.frames_per_j;
    row->nrails = s->nrails;
    for (int r = 0; r < s->nrails; r++) {
        snprintf(row->rails[r], sizeof row->rails[r], "%s", power_run_spec(pr)->rails[r]);
        row->rail_w[r] = s->rail_avg_w[r];
    }
    for (int p = 0; p < PWP_COUNT; p++)
        row->part_w[p] = s->seconds > 0 ? s->part_energy_j[p] / s->seconds : 0;
    for (int z = 0; z < THERMAL_ZONES; z++)
        if (s->peak_c[z] > row->peak_c)
            row->peak_c = s->peak_c[z];
    row->throttled_s = s->throttled_s;
    row->thermal_shutdown = s->thermal_shutdown;
    {
        uint64_t deadline = o->deadline_ps ? o->deadline_ps : t->period_ps;
        double p99_ps = (double)sim_dist_pct(&res.frame_latency, 99);
        row->meets = !s->thermal_shutdown && res.frames_done == res.frames;
        if (deadline > 0)
            row->meets = row->meets && p99_ps <= (double)deadline;
        if (t->period_ps > 0 && !o->deadline_ps)   /* keeps up with the offered rate */
            row->meets = row->meets && row->fps >= 0.99e12 / (double)t->period_ps;
    }
    power_run_free(pr);
    replay_result_free(&res);
}

void sweep_run(const soc_config_t *cfgs, sweep_row_t *rows, int n, const trace_t *t,
               const sweep_options_t *o)
{
#ifdef ORINSIM_HAVE_OPENMP
    int threads = o->threads > 0 ? o->threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
#endif
    for (int i = 0; i < n; i++)
        run_one(&cfgs[i], &rows[i], t, o);
    /* The least energy per frame among the rows that meet the deadline, per module. */
    for (int i = 0; i < n; i++) {
        int best = -1;
        if (i > 0 && strcmp(rows[i].sku, rows[i - 1].sku) == 0)
            continue;
        for (int j = i; j < n && strcmp(rows[j].sku, rows[i].sku) == 0; j++)
            if (rows[j].ok && rows[j].meets &&
                (best < 0 || rows[j].j_per_frame < rows[best].j_per_frame))
                best = j;
        if (best >= 0)
            rows[best].best = 1;
    }
}

static const char *deadline_text(const trace_t *t, const sweep_options_t *o, char *buf,
                                 size_t len)
{
    if (o->deadline_ps)
        snprintf(buf, len, "p99 <= %.3f ms (--deadline)", (double)o->deadline_ps / 1e9);
    else if (t->period_ps)
        snprintf(buf, len, "p99 <= period %.3f ms and keeps up with it",
                 (double)t->period_ps / 1e9);
    else
        snprintf(buf, len, "none (closed loop; give --deadline)");
    return buf;
}

void sweep_print_text(FILE *out, const sweep_row_t *rows, int n, const trace_t *t,
                      const sweep_options_t *o)
{
    char buf[128];
    fprintf(out, "sweep     %s (%s), clocks %s, ambient %.1f C\n", t->name[0] ? t->name : "trace",
            t->path, o->power.clocks == POWER_CLOCKS_DVFS ? "dvfs" : "pinned",
            o->power.ambient_c);
    fprintf(out, "deadline  %s\n\n", deadline_text(t, o, buf, sizeof buf));
    fprintf(out, "%-14s %-11s %10s %9s %8s %8s %10s %9s %-6s %s\n", "sku", "mode", "frames/s",
            "p99 ms", "avg W", "peak W", "J/frame", "frames/J", "meets", "rails (avg W)");
    for (int i = 0; i < n; i++) {
        const sweep_row_t *r = &rows[i];
        if (!r->ok) {
            fprintf(out, "%-14s %-11s cannot run: %s\n", r->sku, r->mode, r->error);
            continue;
        }
        fprintf(out, "%-14s %-11s %10.2f %9.3f %8.2f %8.2f %10.5f %9.3f %-6s", r->sku, r->mode,
                r->fps, r->p99_ms, r->avg_w, r->peak_w, r->j_per_frame, r->frames_per_j,
                r->best ? "yes *" : r->meets ? "yes" : "no");
        for (int k = 0; k < r->nrails; k++)
            fprintf(out, "%s%s %.2f", k ? ", " : "", r->rails[k], r->rail_w[k]);
        if (r->thermal_shutdown)
            fprintf(out, " THERMAL SHUTDOWN");
        else if (r->throttled_s > 0)
            fprintf(out, " (throttled %.1f s)", r->throttled_s);
        fputc('\n', out);
    }
    fprintf(out, "\n* least energy per frame among the modes that meet the deadline, per module\n");
}

void sweep_print_csv(FILE *out, const sweep_row_t *rows, int n)
{
    fprintf(out, "sku,mode,ok,frames,fps,p99_ms,avg_w,peak_w,j_per_frame,frames_per_j,meets,best");
    for (int p = 0; p < PWP_COUNT; p++)
        fprintf(out, ",%s_w", power_part_name((power_part_t)p));
    fprintf(out, ",peak_c,throttled_s,rails\n");
    for (int i = 0; i < n; i++) {
        const sweep_row_t *r = &rows[i];
        fprintf(out, "%s,%s,%d,%lld,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%d,%d", r->sku, r->mode, r->ok,
                (long long)r->frames, r->fps, r->p99_ms, r->avg_w, r->peak_w, r->j_per_frame,
                r->frames_per_j, r->meets, r->best);
        for (int p = 0; p < PWP_COUNT; p++)
            fprintf(out, ",%.6g", r->part_w[p]);
        fprintf(out, ",%.6g,%.6g,", r->peak_c, r->throttled_s);
        for (int k = 0; k < r->nrails; k++)
            fprintf(out, "%s%s=%.6g", k ? ";" : "", r->rails[k], r->rail_w[k]);
        fputc('\n', out);
    }
}

static void sweep_usage(FILE *out)
{
    fprintf(out,
            "usage: orinsim sweep [options] TRACE.yaml\n"
            "  --sku A,B,...     modules (default agx64)\n"
            "  --mode all|M1,... power modes of each module (default all)\n"
            "  --deadline T      p99 frame latency a mode must meet (default: the trace's period)\n"
            "  --frames N        override the trace's frame count\n"
            "  --csv             comma-separated output, one row per run\n"
            "  --json FILE|-     also write every run's JSON report (docs/report.md), each with\n"
            "                    its sweep verdict; - for stdout (no table then)\n"
            "  --junit FILE      also write a JUnit XML report: one test suite per mode, a test\n"
            "                    case per budget\n"
            "  --budget 'METRIC<=LIMIT'  also >=, <, >; repeatable (docs/ci.md); with the\n"
            "                    trace's budgets, checked on every mode: exit 3 if one fails\n"
            "  --threads N       parallel simulations (default: OpenMP's, OMP_NUM_THREADS)\n"
            "  --reproducible    leave the wall time out\n"
            "  --clocks, --ambient, --power-cap as for `orinsim run`\n");
}

static int bad(const char *fmt, const char *arg)
{
    return diag_usage("see `orinsim sweep --help`", fmt, arg);
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The sweep's verdict on a run, added to its JSON report. */
static void add_verdict(json_object *report, const sweep_row_t *row, const trace_t *t,
                        const sweep_options_t *o)
{
    json_object *v = json_object_new_object();
    uint64_t deadline = o->deadline_ps ? o->deadline_ps : t->period_ps;
    json_object_object_add(v, "deadline_ms",
                           deadline ? json_object_new_double((double)deadline / 1e9) : NULL);
    json_object_object_add(v, "meets", json_object_new_boolean(row->ok && row->meets));
    json_object_object_add(v, "best", json_object_new_boolean(row->best));
    json_object_object_add(report, "sweep", v);
}

typedef struct sweep_output {
    const batch_run_t *runs;
    int n;
    int (*write)(FILE *, const batch_run_t *, int);
} sweep_output_t;

static int emit(FILE *f, void *arg)
{
    const sweep_output_t *o = arg;
    return o->write(f, o->runs, o->n);
}

/* Through soc/io/out.h, as every output: checked writes, no partial file. */
static int write_out(const char *path, const char *what, const batch_run_t *runs, int n,
                     int (*write)(FILE *, const batch_run_t *, int))
{
    sweep_output_t o = {runs, n, write};
    diag_t d;
    int rc;
    diag_clear(&d);
    if ((rc = out_write_file(path, what, emit, &o, &d)) != EXIT_OK)
        diag_print(&d);
    return rc;
}

/* --json, --junit, --budget: every (module, mode) pair as a run of a batch (soc/report/
 * batch.h) with the same power options, so its reports and budgets are those of
 * `orinsim run --power`. Returns the worse exit code of the budgets and the writes. */
static int sweep_reports(const soc_config_t *cfgs, const sweep_row_t *rows, int n,
                         const trace_t *t, const sweep_options_t *o, const budget_list_t *budgets,
                         int repro, const char *json, const char *junit)
{
    batch_run_t *runs = calloc((size_t)n, sizeof *runs);
    batch_options_t bo;
    power_options_t po = o->power;
    int rc, wrc;
    if (runs == NULL)
        return EXIT_INTERNAL;
    memset(&bo, 0, sizeof bo);
    po.enabled = 1;
    bo.replay.frames = o->frames;
    bo.report.reproducible = repro;
    bo.budgets = budgets;
    bo.power = &po;
    bo.threads = o->threads;
    for (int i = 0; i < n; i++)
        runs[i] = (batch_run_t){.trace = t, .cfg = &cfgs[i]};
    batch_run(runs, n, &bo);
    for (int i = 0; i < n; i++)
        if (runs[i].report)
            add_verdict(runs[i].report, &rows[i], t, o);
    rc = batch_exit_code(runs, n);
    if (json && (wrc = write_out(json, "JSON report", runs, n, batch_write_json)) != EXIT_OK)
        rc = rc == EXIT_INTERNAL ? rc : wrc;
    if (junit && (wrc = write_out(junit, "JUnit report", runs, n, junit_write)) != EXIT_OK)
        rc = rc == EXIT_INTERNAL ? rc : wrc;
    if (!json || strcmp(json, "-") != 0)
        for (int i = 0; i < n; i++)
            for (int k = 0; k < runs[i].nbudgets; k++)
                if (runs[i].budgets[k].status != BUDGET_PASS) {
                    fprintf(stderr, "%s %s: ", rows[i].sku, rows[i].mode);
                    budget_print(stderr, &runs[i].budgets[k].budget, runs[i].budgets[k].status,
                                 runs[i].budgets[k].value);
                }
    for (int i = 0; i < n; i++)
        batch_run_free(&runs[i]);
    free(runs);
    return rc;
}

int sweep_cli(int argc, char **argv)
{
    const char *json = NULL, *junit = NULL, *budget_args[SWEEP_MAX_BUDGETS];
    int nbudget_args = 0;
    budget_list_t budgets = {0};
    const char *skus_arg = "agx64", *modes = "all", *path = NULL;
    sweep_options_t o;
    int csv = 0, repro = 0, nskus = 0, n = 0, rc = EXIT_OK, ok = 0;
    sku_t *skus = NULL;
    sweep_row_t *rows = NULL;
    soc_config_t *cfgs = NULL;
    trace_t trace;
    diag_t d;
    double t0;

    memset(&o, 0, sizeof o);
    power_options_init(&o.power);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int prc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            sweep_usage(stdout);
            return EXIT_OK;
        }
        if ((prc = power_cli_option(&o.power, argc, argv, &i)) != 0) {
            if (prc < 0)
                return EXIT_BAD_INPUT;
            continue;
        }
        if (strcmp(a, "--json") == 0 || strcmp(a, "--junit") == 0 ||
            strcmp(a, "--budget") == 0) {
            const char *v = i + 1 < argc ? argv[++i] : NULL;
            if (v == NULL)
                return bad("%s needs a value", a);
            if (strcmp(a, "--json") == 0)
                json = v;
            else if (strcmp(a, "--junit") == 0)
                junit = v;
            else if (nbudget_args == SWEEP_MAX_BUDGETS)
                return bad("too many --budget options (at most 64), at '%s'", v);
            else
                budget_args[nbudget_args++] = v;
        } else if (strcmp(a, "--csv") == 0) {
            csv = 1;
        } else if (strcmp(a, "--reproducible") == 0) {
            repro = 1;
        } else if (strcmp(a, "--sku") == 0 || strcmp(a, "--mode") == 0 ||
                   strcmp(a, "--deadline") == 0 || strcmp(a, "--frames") == 0 ||
                   strcmp(a, "--threads") == 0) {
            const char *v = i + 1 < argc ? argv[++i] : NULL;
            char why[256], *end;
            long long k;
            if (v == NULL)
                return bad("%s needs a value", a);
            if (strcmp(a, "--sku") == 0) {
                skus_arg = v;
            } else if (strcmp(a, "--mode") == 0) {
                modes = v;
            } else if (strcmp(a, "--deadline") == 0) {
                if (units_duration_ps(v, &o.deadline_ps, why, sizeof why) != 0 ||
                    o.deadline_ps == 0)
                    return bad("--deadline expects a duration such as '33.3ms', got '%s'", v);
            } else {
                k = strtoll(v, &end, 10);
                if (*v == '\0' || *end != '\0' || k < 1 ||
                    k > (strcmp(a, "--frames") == 0 ? TRACE_MAX_FRAMES : 1024))
                    return bad(strcmp(a, "--frames") == 0
                                   ? "--frames expects a whole number from 1 to 10000000, got '%s'"
                                   : "--threads expects a whole number from 1 to 1024, got '%s'",
                               v);
                if (strcmp(a, "--frames") == 0)
                    o.frames = k;
                else
                    o.threads = (int)k;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return bad("unknown option '%s'", a);
        } else if (path == NULL) {
            path = a;
        } else {
            return bad("unexpected argument '%s' (one trace per sweep)", a);
        }
    }
    if (path == NULL)
        return bad("%s", "no trace given");
    if (json && csv && strcmp(json, "-") == 0)
        return bad("%s", "--json - and --csv cannot both write to stdout");
    for (int k = 0; k < nbudget_args; k++) {
        diag_clear(&d);
        if (budget_parse_arg(budget_args[k], &budgets, &d) != 0) {
            fprintf(stderr, "orinsim: error: %s (see docs/ci.md)\n", d.msg);
            budget_list_free(&budgets);
            return EXIT_BAD_INPUT;
        }
    }

    skus = calloc(SWEEP_MAX_SKUS, sizeof *skus);
    if (skus == NULL) {
        budget_list_free(&budgets);
        return EXIT_INTERNAL;
    }
    diag_clear(&d);
    for (const char *p = skus_arg; *p;) {
        char name[512];
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= sizeof name || nskus == SWEEP_MAX_SKUS) {
            free(skus);
            return bad("--sku expects up to 16 module names separated by commas, got '%s'",
                       skus_arg);
        }
        memcpy(name, p, len);
        name[len] = '\0';
        p += len + (p[len] == ',');
        if (sku_load(name, &skus[nskus], &d) != 0)
            break;
        if (!skus[nskus].power.present) {
            diag_error(&d, skus[nskus].path, 0, 0, "%s has no power model (add power: and "
                       "thermal: sections, see docs/power.md)", skus[nskus].name);
            break;
        }
        nskus++;
    }
    if (d.set || sweep_plan(skus, nskus, modes, &rows, &cfgs, &n, &d) != 0 ||
        trace_load(path, &trace, &d) != 0) {
        diag_print(&d);
        free(rows);
        free(cfgs);
        free(skus);
        budget_list_free(&budgets);
        if (!d.set)
            return EXIT_INTERNAL;
        return EXIT_BAD_INPUT;
    }
    if (budget_check_trace(&budgets, &trace, &d) != 0) {
        diag_print(&d);
        rc = EXIT_BAD_INPUT;
    }
    /* Options that depend on a configuration (the cap against idle power) fail early. */
    for (int i = 0; i < n && rc == EXIT_OK; i++) {
        power_run_t *pr;
        power_options_t po = o.power;
        po.enabled = 1;
        if (power_run_new(&pr, &cfgs[i], &po, &d) != 0) {
            diag_print(&d);
            rc = EXIT_BAD_INPUT;
        }
        power_run_free(pr);
    }
    if (rc == EXIT_OK) {
        t0 = wall();
        sweep_run(cfgs, rows, n, &trace, &o);
        t0 = wall() - t0;
        if (json && strcmp(json, "-") == 0)
            ;                       /* stdout holds the JSON */
        else if (csv)
            sweep_print_csv(stdout, rows, n);
        else
            sweep_print_text(stdout, rows, n, &trace, &o);
        if (!csv && !repro && !(json && strcmp(json, "-") == 0)) {
#ifdef ORINSIM_HAVE_OPENMP
            int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
#else
            int threads = 1;
#endif
            printf("%d simulations on %d threads in %.3f s wall\n", n, threads, t0);
        }
        fflush(stdout);
        for (int i = 0; i < n; i++)
            ok += rows[i].ok;
        if (ok == 0)
            rc = EXIT_BAD_INPUT;
        else if (json || junit || budgets.n > 0)
            rc = sweep_reports(cfgs, rows, n, &trace, &o, &budgets, repro, json, junit);
    }
    budget_list_free(&budgets);
    trace_free(&trace);
    free(rows);
    free(cfgs);
    free(skus);
    return rc;
}
