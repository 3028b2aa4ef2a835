/*
 * bench_replay: `orinsim bench replay [options] [TRACE.yaml]`, the simulator's speed on
 * whole traces: each case is replayed --repeat times without a timeline and with one
 * (streamed to a temporary file at --timeline-detail), the two in turn, and the medians
 * are printed: wall and CPU seconds, engine events per second, simulated seconds per wall
 * second (and both per CPU second, which a shared machine disturbs less), the timeline's
 * size and its cost (with / without, medians of CPU time).
 *
 * With no trace, the standard cases (docs/performance.md): traces/camera-detector.yaml on
 * agx64 and on nano8, and the zoo's camera pipeline on nano8, each for one simulated hour
 * (--duration) at the trace's own frame rate. A trace given runs on --sku (default agx64).
 * Only the replay is timed: loading, lowering and reports are not.
 */
#include "soc/cli/commands.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim/diag.h"
#include "soc/io/out.h"
#include "soc/io/units.h"
#include "soc/report/batch.h"
#include "soc/run/power_run.h"
#include "soc/run/replay.h"
#include "soc/trace/trace.h"
#include "soc/zoo/zoo.h"

static const char USAGE[] =
    "usage: orinsim bench replay [options] [TRACE.yaml]\n"
    "  --sku NAME           module of a trace given (default agx64)\n"
    "  --duration T         simulated time per run, e.g. 60s (default 3600s: one hour)\n"
    "  --frames N           frames per run instead of --duration\n"
    "  --repeat R           runs of each variant; medians are printed (default 5)\n"
    "  --timeline-detail D  frames|tasks|kernels|sm for the runs with a timeline (default\n"
    "                       kernels, as `--timeline`)\n"
    "  --no-timeline        only the runs without a timeline\n"
    "  --json               one JSON object per case\n"
    "With no trace: traces/camera-detector.yaml on agx64 and nano8, and `orinsim zoo\n"
    "camera-pipeline` on nano8.\n";

typedef struct sample {
    double wall_s, cpu_s;
    uint64_t events;
    double sim_s;
    long long bytes;          /* timeline file, -1 without */
} sample_t;

static int bad(const char *fmt, const char *a)
{
    fprintf(stderr, "orinsim bench replay: ");
    fprintf(stderr, fmt, a);
    fprintf(stderr, " (run 'orinsim bench replay --help' for the options)\n");
    return EXIT_BAD_INPUT;
}

static double clock_s(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One replay, timed; with `detail` >= 0 its timeline streams to `tmp`. */
static int one_run(const soc_config_t *cfg, const trace_t *t, int64_t frames, int detail,
                   const char *tmp, sample_t *s)
{
    replay_options_t ro = {0};
    replay_result_t res;
    cli_timeline_t tlo;
    viz_export_t *x = NULL;
    timeline_t *tl = NULL;
    diag_t d;
    struct stat st;
    double w0, c0;
    int rc = EXIT_OK;
    cli_timeline_init(&tlo);
    ro.frames = frames;
    w0 = clock_s(CLOCK_MONOTONIC);
    c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    if (detail >= 0) {
        tlo.path = tmp;
        tlo.detail = (tl_detail_t)detail;
        if ((rc = cli_timeline_start(&tlo, POWER_DEFAULT_SAMPLE_S, batch_trace_label(t), &tl,
                                     &x)) != EXIT_OK)
            return rc;
        ro.timeline = tl;
    }
    diag_clear(&d);
    if (replay_run(cfg, t, &ro, &res, &d) != 0) {
        diag_print(&d);
        cli_timeline_finish(tl, x, 0);
        return EXIT_INTERNAL;
    }
    if (x && (rc = cli_timeline_finish(tl, x, 1)) != EXIT_OK)
        return rc;
    s->wall_s = clock_s(CLOCK_MONOTONIC) - w0;
    s->cpu_s = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    s->events = res.events;
    s->sim_s = (double)res.end * 1e-12;
    s->bytes = detail >= 0 && stat(tmp, &st) == 0 ? (long long)st.st_size : -1;
    replay_result_free(&res);
    if (detail >= 0)
        unlink(tmp);
    return EXIT_OK;
}

typedef struct summary {
    double wall_s, cpu_s, events_per_s, sim_per_wall, events_per_cpu_s, sim_per_cpu;
    long long bytes;
    uint64_t events;
    double sim_s;
} summary_t;

static summary_t summarize(const sample_t *s, int n)
{
    summary_t m = {0};
    double *w = malloc((size_t)n * sizeof *w), *c = malloc((size_t)n * sizeof *c);
    double *e = malloc((size_t)n * sizeof *e), *r = malloc((size_t)n * sizeof *r);
    if (w && c && e && r) {
        for (int i = 0; i < n; i++) {
            w[i] = s[i].wall_s;
            c[i] = s[i].cpu_s;
            e[i] = s[i].wall_s > 0 ? (double)s[i].events / s[i].wall_s : 0;
            r[i] = s[i].wall_s > 0 ? s[i].sim_s / s[i].wall_s : 0;
        }
        m.wall_s = median(w, n);
        m.cpu_s = median(c, n);
        m.events_per_s = median(e, n);
        m.sim_per_wall = median(r, n);
        /* the same per CPU second: steadier on a shared machine */
        for (int i = 0; i < n; i++) {
            e[i] = s[i].cpu_s > 0 ? (double)s[i].events / s[i].cpu_s : 0;
            r[i] = s[i].cpu_s > 0 ? s[i].sim_s / s[i].cpu_s : 0;
        }
        m.events_per_cpu_s = median(e, n);
        m.sim_per_cpu = median(r, n);
    }
    m.bytes = s[0].bytes;
    m.events = s[0].events;
    m.sim_s = s[0].sim_s;
    free(w);
    free(c);
    free(e);
    free(r);
    return m;
}

static void print_summary(const char *what, const summary_t *m, int repeat)
{
    printf("  %-22s median of %d: wall %.3f s, CPU %.3f s; %.2f M events/s, %.0f simulated s "
           "per wall s (per CPU s: %.2f M events, %.0f simulated s)",
           what, repeat, m->wall_s, m->cpu_s, m->events_per_s / 1e6, m->sim_per_wall,
           m->events_per_cpu_s / 1e6, m->sim_per_cpu);
    if (m->bytes >= 0)
        printf("; file %.2f MiB", (double)m->bytes / 1048576.0);
    printf("\n");
}

/* One case: `repeat` pairs of runs, without and with a timeline, in turn. */
static int bench_case(const char *label, const char *sku, const trace_t *t, int64_t frames,
                      int repeat, int detail, int json, const char *tmp)
{
    sku_t *sk = calloc(1, sizeof *sk);
    soc_config_t cfg;
    sample_t *a = calloc((size_t)repeat, sizeof *a), *b = calloc((size_t)repeat, sizeof *b);
    summary_t ma, mb = {0};
    int rc;
    if (sk == NULL || a == NULL || b == NULL) {
        free(sk);
        free(a);
        free(b);
        return EXIT_INTERNAL;
    }
    if ((rc = cli_load_config(sku, NULL, sk, &cfg)) != EXIT_OK)
        goto done;
    if (!json)
        printf("%s on %s, %lld frames:\n", label, sku, (long long)frames);
    for (int r = 0; r < repeat && rc == EXIT_OK; r++) {
        rc = one_run(&cfg, t, frames, -1, tmp, &a[r]);
        if (rc == EXIT_OK && detail >= 0)
            rc = one_run(&cfg, t, frames, detail, tmp, &b[r]);
        if (rc == EXIT_OK && !json) {
            printf("  run %d/%d: %.3f s wall, %.3f s CPU", r + 1, repeat, a[r].wall_s, a[r].cpu_s);
            if (detail >= 0)
                printf("; with timeline %.3f s wall, %.3f s CPU", b[r].wall_s, b[r].cpu_s);
            printf("\n");
            out_stdout_flush();
        }
    }
    if (rc != EXIT_OK)
        goto done;
    ma = summarize(a, repeat);
    if (detail >= 0)
        mb = summarize(b, repeat);
    if (json) {
        printf("{\"case\": \"%s\", \"sku\": \"%s\", \"frames\": %lld, \"simulated_s\": %.6f, "
               "\"events\": %llu, \"repeat\": %d, \"wall_s\": %.6f, \"cpu_s\": %.6f, "
               "\"events_per_s\": %.0f, \"simulated_s_per_wall_s\": %.3f, "
               "\"events_per_cpu_s\": %.0f, \"simulated_s_per_cpu_s\": %.3f",
               label, sku, (long long)frames, ma.sim_s, (unsigned long long)ma.events, repeat,
               ma.wall_s, ma.cpu_s, ma.events_per_s, ma.sim_per_wall, ma.events_per_cpu_s,
               ma.sim_per_cpu);
        if (detail >= 0)
            printf(", \"timeline\": {\"detail\": \"%s\", \"bytes\": %lld, \"wall_s\": %.6f, "
                   "\"cpu_s\": %.6f, \"cpu_ratio\": %.3f}",
                   timeline_detail_name((tl_detail_t)detail), mb.bytes, mb.wall_s, mb.cpu_s,
                   ma.cpu_s > 0 ? mb.cpu_s / ma.cpu_s : 0);
        printf("}\n");
    } else {
        printf("  %.1f simulated s, %llu events\n", ma.sim_s, (unsigned long long)ma.events);
        print_summary("without timeline:", &ma, repeat);
        if (detail >= 0) {
            char what[64];
            snprintf(what, sizeof what, "timeline, %s:", timeline_detail_name((tl_detail_t)detail));
            print_summary(what, &mb, repeat);
            printf("  timeline cost: %.2fx CPU time (medians)\n",
                   ma.cpu_s > 0 ? mb.cpu_s / ma.cpu_s : 0);
        }
    }
done:
    free(sk);
    free(a);
    free(b);
    return rc;
}

/* Frames for `duration_ps` at the trace's period (at least 1). */
static int64_t frames_for(const trace_t *t, uint64_t duration_ps, int64_t frames)
{
    if (frames > 0)
        return frames;
    if (t->period_ps == 0)
        return t->frames;
    return (int64_t)(duration_ps / t->period_ps) > 0 ? (int64_t)(duration_ps / t->period_ps) : 1;
}

static int load_zoo(const char *name, trace_t *t)
{
    char *buf = NULL;
    size_t n = 0;
    char *argv[] = {"zoo", (char *)name, NULL};
    FILE *f = open_memstream(&buf, &n);
    diag_t d;
    int rc;
    if (f == NULL)
        return EXIT_INTERNAL;
    rc = zoo_cli_write(f, 2, argv);
    fclose(f);
    diag_clear(&d);
    if (rc == EXIT_OK && trace_parse(name, buf, n, t, &d) != 0) {
        diag_print(&d);
        rc = EXIT_INTERNAL;
    }
    free(buf);
    return rc;
}

int bench_replay_cli(int argc, char **argv)
{
    const char *sku = "agx64", *path = NULL;
    uint64_t duration = 3600 * SIM_S;
    int64_t frames = 0;
    int repeat = 5, detail = TL_DETAIL_KERNELS, json = 0, rc = EXIT_OK;
    char why[256], tmp[4096];
    const char *dir = getenv("TMPDIR");
    int i = argc > 0 && strcmp(argv[0], "replay") == 0;
    for (; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(USAGE, stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--no-timeline") == 0) {
            detail = -1;
        } else if (strcmp(a, "--sku") == 0 || strcmp(a, "--duration") == 0 ||
                   strcmp(a, "--frames") == 0 || strcmp(a, "--repeat") == 0 ||
                   strcmp(a, "--timeline-detail") == 0) {
            char *end;
            long long n;
            if (v == NULL)
                return bad("%s needs a value", a);
            i++;
            if (strcmp(a, "--sku") == 0) {
                sku = v;
            } else if (strcmp(a, "--duration") == 0) {
                if (units_duration_ps(v, &duration, why, sizeof why) != 0 || duration == 0)
                    return bad("--duration expects a duration such as '60s', got '%s'", v);
            } else if (strcmp(a, "--timeline-detail") == 0) {
                tl_detail_t dl;
                if (timeline_parse_detail(v, &dl) != 0)
                    return bad("--timeline-detail expects frames, tasks, kernels or sm, got '%s'",
                               v);
                detail = (int)dl;
            } else {
                n = strtoll(v, &end, 10);
                if (*v == '\0' || *end != '\0' || n < 1 ||
                    n > (a[2] == 'f' ? TRACE_MAX_FRAMES : 1000))
                    return bad(a[2] == 'f' ? "--frames expects a whole number from 1, got '%s'"
                                           : "--repeat expects a whole number from 1 to 1000, "
                                             "got '%s'", v);
                if (a[2] == 'f')
                    frames = n;
                else
                    repeat = (int)n;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return bad("unknown option '%s'", a);
        } else if (path) {
            return bad("one trace at a time, at '%s'", a);
        } else {
            path = a;
        }
    }
    snprintf(tmp, sizeof tmp, "%s/orinsim-bench-%ld.json", dir && *dir ? dir : "/tmp",
             (long)getpid());
    if (path) {
        trace_t t;
        diag_t d;
        diag_clear(&d);
        if (trace_load(path, &t, &d) != 0) {
            diag_print(&d);
            return EXIT_BAD_INPUT;
        }
        rc = bench_case(path, sku, &t, frames_for(&t, duration, frames), repeat, detail, json,
                        tmp);
        trace_free(&t);
        return rc;
    }
    {
        static const struct { const char *trace, *sku; int zoo; } CASES[] = {
            {"traces/camera-detector.yaml", "agx64", 0},
            {"traces/camera-detector.yaml", "nano8", 0},
            {"camera-pipeline", "nano8", 1}};
        char full[4096];
        for (size_t k = 0; k < sizeof CASES / sizeof *CASES && rc == EXIT_OK; k++) {
            trace_t t;
            diag_t d;
            diag_clear(&d);
            if (CASES[k].zoo) {
                rc = load_zoo(CASES[k].trace, &t);
            } else {
                /* the shipped traces sit beside the module descriptions */
                snprintf(full, sizeof full, "%s/../%s", sku_config_dir(), CASES[k].trace);
                if (trace_load(full, &t, &d) != 0) {
                    diag_print(&d);
                    rc = EXIT_BAD_INPUT;
                }
            }
            if (rc != EXIT_OK)
                break;
            rc = bench_case(CASES[k].zoo ? "zoo camera-pipeline" : CASES[k].trace, CASES[k].sku,
                            &t, frames_for(&t, duration, frames), repeat, detail, json, tmp);
            trace_free(&t);
        }
    }
    return rc;
}
