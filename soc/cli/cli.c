/*
 * cli: the `orinsim` command line.
 *
 *   orinsim [run] [--sku NAME[:MODE],...|FILE] [--mode NAME] [--frames N]
 *                 [--budget 'METRIC<=LIMIT']... [--json FILE|-] [--junit FILE]
 *                 [--threads N] [--reproducible] [--quiet] trace.yaml...
 *   orinsim diff BASE.json NEW.json [--threshold 5%]
 *   orinsim view [options] trace.yaml           (viz/view.h)
 *   orinsim skus
 *   orinsim sku NAME|FILE [--mode NAME]
 *   orinsim bench phold [options]
 *   orinsim validate [--json] [--case ID]
 *
 * Exit codes (sim/diag.h): 0 success, 2 bad input or usage, 1 internal failure, 3 a
 * budget failed (run) or a regression past the threshold (diff), 8 an output could not
 * be written (soc/io/out.h). Several traces or
 * modules make a batch (soc/report/batch.c): every (trace, module) pair runs in parallel and
 * the output keeps the order given, trace by trace, module by module.
 * Every bad-input message is one line, "file:line:column: error: ..." when it has a
 * place in a file.
 */
#include "soc/cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"
#include "soc/cli/commands.h"
#include "soc/import/import.h"
#include "soc/io/out.h"
#include "soc/report/batch.h"
#include "soc/trace/budget.h"
#include "soc/measure/check.h"
#include "soc/report/diff.h"
#include "soc/report/junit.h"
#include "soc/run/power_run.h"
#include "soc/measure/profile.h"
#include "soc/run/replay.h"
#include "soc/report/report.h"
#include "soc/sku/sku.h"
#include "soc/report/sweep.h"
#include "soc/study/study_cli.h"
#include "soc/report/tegrastats.h"
#include "soc/io/units.h"
#include "soc/run/timeline.h"
#include "soc/run/vary.h"
#include "soc/trace/trace.h"
#include "soc/measure/validate.h"
#include "soc/zoo/zoo.h"
#include "viz/export.h"
#include "viz/view.h"

#define DEFAULT_SKU "agx64"

/* The options of `run`, the default subcommand: `orinsim run --help`. */
static void run_usage(FILE *out)
{
    fprintf(out,
            "usage: orinsim [run] [options] TRACE.yaml...   (- reads a trace from standard input)\n"
            "\n"
            "run options:\n"
            "  --sku NAME[:MODE],...|FILE  module(s) to simulate (default " DEFAULT_SKU "; see\n"
            "                    `orinsim skus`); several modules or traces run as a batch\n"
            "  --mode MODE       nvpmodel power mode, by name or ID (default: the module's default)\n"
            "  --frames N        override the trace's frame count\n"
            "  --fps N           release a frame N times a second (overrides the trace's period)\n"
            "  --period T        release a frame every T, e.g. 16.7ms (overrides the trace's period)\n"
            "  --budget 'METRIC<=LIMIT'  also >=, <, >; repeatable (docs/ci.md)\n"
            "  --json FILE|-     write the JSON report to FILE, or to stdout with -\n"
            "  --junit FILE      write a JUnit XML report (one test case per budget and run)\n"
            "  --threads N       runs of a batch in parallel (default: OpenMP's default)\n"
            "  --seed N          seed of the trace's random draws (default %u; docs/trace-format.md)\n"
            "  --reproducible    leave wall-clock figures out of the reports\n"
            "  --quiet           no text report (a batch still prints its summary)\n"
            "  --timeline FILE   write the timeline as Chrome Trace Event JSON (Perfetto; one run;\n"
            "                    FILE.gz: gzip)\n"
            "  --timeline-window START:END  only that stretch of the run, e.g. 10s:20s\n"
            "  --timeline-detail frames|tasks|kernels|sm  what the timeline holds (default\n"
            "                    kernels; docs/viewer.md)\n"
            "  --tegrastats FILE write the run's power, temperature, clock and load series as\n"
            "                    a tegrastats log of the module (turns --power on; one run)\n"
            "  --csv FILE        the same series as CSV (turns --power on; one run)\n"
            "  --help            this text\n", SIM_RNG_DEFAULT_SEED);
    power_cli_usage(out);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: orinsim [run] [options] TRACE.yaml   (- reads the trace from standard input)\n"
            "       orinsim skus\n"
            "       orinsim sku NAME|FILE [--mode MODE]\n"
            "       orinsim bench phold|replay [--help]\n"
            "       orinsim zoo list | orinsim zoo NAME [options]   (networks as traces)\n"
            "       orinsim import MODEL.onnx|LAYERS.json [options]   (your model as a trace)\n"
            "       orinsim validate [--json] [--case ID]   (against published results)\n"
            "       orinsim view [--help] [options] TRACE.yaml   (timeline viewer)\n"
            "       orinsim check [--help] TRACE.yaml   (run the ops on this machine's GPU)\n"
            "       orinsim compare MEASURED.yaml   (model against recorded measurements)\n"
            "       orinsim profile PROFILE.json TRACE.yaml   (model against a TensorRT layer profile)\n"
            "       orinsim sweep --sku A,B --mode all TRACE.yaml   (modes by energy per frame)\n"
            "       orinsim study STUDY.yaml [--shard K/N] | study merge PARTS... -o PREFIX\n"
            "                                  (design-space studies, docs/study.md)\n"
            "       orinsim diff BASE.json NEW.json [--threshold 5%%]\n"
            "       orinsim SUBCOMMAND --help   (that subcommand's options)\n"
            "       orinsim --version\n"
            "\n"
            "exit codes: 0 success, 1 internal error, 2 bad input or usage,\n"
            "            3 a budget failed (run) or a regression (diff), 4 thermal shutdown,\n"
            "            5 feature not in this build or environment, 6 no CUDA device,\n"
            "            7 nothing could be measured, 8 an output could not be written\n"
            "            (a full disk, a closed stdout: no partial file is left)\n"
            "\n");
    run_usage(out);
}

static int is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

static int bad_usage(const char *fmt, const char *arg)
{
    return diag_usage("see `orinsim --help`", fmt, arg);
}

/* Fetch the value of an option that takes one. */
static const char *opt_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static int cmd_skus(int argc, char **argv)
{
    if (argc > 1 && is_help(argv[1])) {
        printf("usage: orinsim skus\n"
               "  every shipped module with its power modes (name, ID, budget); no options\n"
               "  --help            this text\n");
        return EXIT_OK;
    }
    if (argc > 1)
        return bad_usage("unexpected argument '%s' to `orinsim skus`", argv[1]);
    sku_print_list(stdout);
    return EXIT_OK;
}

static int cmd_sku(int argc, char **argv)
{
    const char *name = NULL, *mode = NULL;
    sku_t *sku;
    soc_config_t cfg;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (is_help(argv[i])) {
            printf("usage: orinsim sku NAME|FILE [--mode MODE]\n"
                   "  the module's resolved clocks, SMs, peak TFLOPS/TOPS and GB/s\n"
                   "  NAME|FILE         a shipped module (`orinsim skus`) or a SKU file\n"
                   "  --mode MODE       nvpmodel power mode, by name or ID (default: the module's)\n"
                   "  --help            this text\n");
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--mode") == 0) {
            if ((mode = opt_value(argc, argv, &i)) == NULL)
                return bad_usage("%s needs a value", "--mode");
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return bad_usage("unknown option '%s'", argv[i]);
        } else if (name == NULL) {
            name = argv[i];
        } else {
            return bad_usage("unexpected argument '%s'", argv[i]);
        }
    }
    if (name == NULL)
        return bad_usage("%s", "`orinsim sku` needs a module name (see `orinsim skus`)");
    sku = calloc(1, sizeof *sku);
    if (sku == NULL)
        return EXIT_INTERNAL;
    rc = cli_load_config(name, mode, sku, &cfg);
    if (rc == EXIT_OK)
        sku_print(stdout, &cfg);
    free(sku);
    return rc;
}

static int cmd_bench(int argc, char **argv)
{
    if (argc >= 2 && is_help(argv[1])) {
        printf("usage: orinsim bench phold|replay [options]\n"
               "  phold             the event engine's benchmark (`orinsim bench phold --help`)\n"
               "  replay            whole traces replayed, with and without a timeline\n"
               "                    (`orinsim bench replay --help`)\n"
               "  --help            this text\n");
        return EXIT_OK;
    }
    if (argc >= 2 && strcmp(argv[1], "replay") == 0)
        return bench_replay_cli(argc - 1, argv + 1);
    if (argc < 2 || strcmp(argv[1], "phold") != 0)
        return bad_usage("%s", "`orinsim bench` needs a benchmark name: phold or replay");
    return bench_phold_cli(argc - 1, argv + 1);
}

/* `orinsim zoo list | NAME [options]`: write a model-zoo trace (soc/zoo/zoo.h). */
static int cmd_zoo(int argc, char **argv)
{
    return zoo_cli(argc, argv);
}

/* `orinsim validate [--json] [--case ID]`: the validation table (soc/measure/validate.h). */
static int cmd_validate(int argc, char **argv)
{
    return validate_cli(argc, argv);
}

/* ---- run: one trace on one module, or a batch of (trace, module) pairs ---- */

enum { MAX_SKUS = 64, MAX_TRACES = 4096 };

/* The worse of two exit codes: a lost output, internal error, then bad input, then a
 * failed budget. */
static int exit_rank(int code)
{
    return code == EXIT_OUTPUT ? 4 : code == EXIT_INTERNAL ? 3 : code == EXIT_BAD_INPUT ? 2
           : code == EXIT_BUDGET ? 1 : 0;
}

static int worse(int a, int b)
{
    return exit_rank(b) > exit_rank(a) ? b : a;
}

typedef struct run_output {
    const batch_run_t *runs;
    int n;
    int (*write)(FILE *, const batch_run_t *, int);
} run_output_t;

static int emit_runs(FILE *f, void *arg)
{
    const run_output_t *o = arg;
    return o->write(f, o->runs, o->n);
}

static int write_file(const char *path, const char *what, const batch_run_t *runs, int n,
                      int (*write)(FILE *, const batch_run_t *, int))
{
    run_output_t o = {runs, n, write};
    diag_t d;
    int rc;
    diag_clear(&d);
    if ((rc = out_write_file(path, what, emit_runs, &o, &d)) != EXIT_OK)
        diag_print(&d);
    return rc;
}

/* The series of a single run as a tegrastats log, or as CSV. */
static int tegrastats_log(FILE *f, const batch_run_t *runs, int n)
{
    (void)n;
    return tegrastats_write(f, runs[0].cfg, runs[0].power, &runs[0].footprint);
}

static int csv_log(FILE *f, const batch_run_t *runs, int n)
{
    (void)n;
    return tegrastats_csv(f, runs[0].power);
}

/* `--fps N` (frames a second, N may have decimals) or `--period T` (a duration with its
 * unit) as a release period in picoseconds, from 1 us to the longest a trace may give. */
static int parse_rate(const char *opt, const char *v, uint64_t *period_ps)
{
    char why[256];
    double fps;
    if (strcmp(opt, "--fps") == 0) {
        /* 1e6 frames/s is a 1 us period; 1/3600 frames/s is the one-hour cap */
        if (units_number(v, &fps) != 0 || !(fps >= 1.0 / 3600.0) || fps > 1e6) {
            fprintf(stderr, "orinsim: error: --fps expects frames per second from 0.000278 "
                            "(one an hour) to 1000000, got '%s'\n", v);
            return EXIT_BAD_INPUT;
        }
        *period_ps = (uint64_t)(1e12 / fps + 0.5);
        return EXIT_OK;
    }
    if (units_duration_ps(v, period_ps, why, sizeof why) != 0 || *period_ps < SIM_US ||
        *period_ps > TRACE_MAX_PERIOD_PS) {
        fprintf(stderr, "orinsim: error: --period expects a duration from 1us to 3600s such as "
                        "'16.7ms', got '%s'\n", v);
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

/* Add the comma-separated entries of a --sku value ("agx32,nano8:15W"). */
static int add_skus(const char *v, char (*specs)[SKU_NAME_LEN + 512], int *n)
{
    const char *p = v;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        if (l == 0)
            return bad_usage("--sku '%s' has an empty entry (expected NAME[:MODE],...)", v);
        if (*n == MAX_SKUS)
            return bad_usage("too many modules (at most 64), at '%s'", p);
        if (l >= sizeof specs[0])
            return bad_usage("--sku entry too long in '%s'", v);
        memcpy(specs[*n], p, l);
        specs[(*n)++][l] = '\0';
        if (comma == NULL)
            return EXIT_OK;
        p = comma + 1;
    }
}

/* Print what a run leaves for stderr: its error, or its failing budgets when the text
 * report (which lists them) is not shown. */
static void run_messages(const batch_run_t *r, int text_shown)
{
    int header = 0;
    if (r->report == NULL) {
        diag_print(&r->diag);
        return;
    }
    for (int i = 0; i < r->nbudgets; i++) {
        const batch_budget_t *b = &r->budgets[i];
        if (b->status == BUDGET_PASS || (text_shown && b->status == BUDGET_FAIL))
            continue;
        if (!header)
            fprintf(stderr, "%s on %s %s: budgets\n", batch_trace_label(r->trace),
                    r->cfg->sku->name, r->cfg->mode->name);
        header = 1;
        budget_print(stderr, &b->budget, b->status, b->value);
    }
}

static int cmd_run(int argc, char **argv)
{
    char (*specs)[SKU_NAME_LEN + 512] = NULL;
    const char *mode = NULL, *json = NULL, *junit = NULL;
    const char **paths = NULL;
    int nspecs = 0, npaths = 0, quiet = 0, rc = EXIT_OK, nruns = 0, text_shown;
    batch_options_t bo = {0};
    budget_list_t budgets = {0};
    sku_t **skus = NULL;
    soc_config_t *cfgs = NULL;
    trace_t *traces = NULL;
    batch_run_t *runs = NULL;
    diag_t d;
    power_options_t pw;
    const char *tegra = NULL, *csv = NULL;
    cli_timeline_t tlo;
    viz_export_t *tlx = NULL;
    int prc, help = 0;
    uint64_t period_ps = 0;    /* --fps / --period: 0 keeps each trace's own */

    power_options_init(&pw);
    cli_timeline_init(&tlo);
    paths = calloc((size_t)argc + 1, sizeof *paths);
    specs = calloc(MAX_SKUS, sizeof *specs);
    if (paths == NULL || specs == NULL) {
        free(paths);
        free(specs);
        return EXIT_INTERNAL;
    }
    for (int i = 0; i < argc && rc == EXIT_OK; i++) {
        const char *a = argv[i];
        if (is_help(a)) {
            help = 1;
            break;
        } else if ((prc = power_cli_option(&pw, argc, argv, &i)) != 0) {
            if (prc < 0)
                rc = EXIT_BAD_INPUT;
        } else if (strcmp(a, "--tegrastats") == 0 || strcmp(a, "--csv") == 0) {
            const char *v = opt_value(argc, argv, &i);
            if (v == NULL)
                rc = bad_usage("%s needs a value (a file name)", a);
            else
                *(a[2] == 't' ? &tegra : &csv) = v;
            pw.enabled = 1;
        } else if ((prc = cli_timeline_option(&tlo, argc, argv, &i)) != 0) {
            if (prc < 0)
                rc = EXIT_BAD_INPUT;
        } else if (strcmp(a, "--sku") == 0) {
            const char *v = opt_value(argc, argv, &i);
            rc = v ? add_skus(v, specs, &nspecs) : bad_usage("%s needs a value", a);
        } else if (strcmp(a, "--mode") == 0) {
            if ((mode = opt_value(argc, argv, &i)) == NULL)
                rc = bad_usage("%s needs a value", a);
        } else if (strcmp(a, "--json") == 0 || strcmp(a, "--junit") == 0) {
            const char *v = opt_value(argc, argv, &i);
            if (v == NULL)
                rc = bad_usage("%s needs a value (a file name, or - for stdout)", a);
            else if (a[3] == 's')
                json = v;
            else
                junit = v;
        } else if (strcmp(a, "--budget") == 0) {
            const char *v = opt_value(argc, argv, &i);
            diag_clear(&d);
            if (v == NULL) {
                rc = bad_usage("%s needs a value, for example 'frame_latency.p99<=33ms'", a);
            } else if (budget_parse_arg(v, &budgets, &d) != 0) {
                fprintf(stderr, "orinsim: error: %s (see docs/ci.md)\n", d.msg);
                rc = EXIT_BAD_INPUT;
            }
        } else if (strcmp(a, "--frames") == 0 || strcmp(a, "--threads") == 0) {
            const char *v = opt_value(argc, argv, &i);
            long long max = a[2] == 'f' ? TRACE_MAX_FRAMES : 1024, n;
            char *end;
            if (v == NULL) {
                rc = bad_usage("%s needs a value", a);
                continue;
            }
            n = strtoll(v, &end, 10);
            if (*v == '\0' || *end != '\0' || n < 1 || n > max) {
                fprintf(stderr, "orinsim: error: %s expects a whole number from 1 to %lld, got "
                                "'%s' (see `orinsim --help`)\n", a, max, v);
                rc = EXIT_BAD_INPUT;
            } else if (a[2] == 'f') {
                bo.replay.frames = n;
            } else {
                bo.threads = (int)n;
            }
        } else if (strcmp(a, "--seed") == 0) {
            const char *v = opt_value(argc, argv, &i);
            if (v == NULL || vary_parse_seed(v, &bo.replay.seed) != 0) {
                fprintf(stderr, "orinsim: error: --seed expects a whole number from 0 to "
                                "18446744073709551615, got '%s' (see `orinsim --help`)\n",
                        v ? v : "");
                rc = EXIT_BAD_INPUT;
            }
            bo.replay.seeded = 1;
        } else if (strcmp(a, "--fps") == 0 || strcmp(a, "--period") == 0) {
            const char *v = opt_value(argc, argv, &i);
            rc = v ? parse_rate(a, v, &period_ps) : bad_usage("%s needs a value", a);
        } else if (strcmp(a, "--reproducible") == 0) {
            bo.report.reproducible = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = bad_usage("unknown option '%s'", a);
        } else if (npaths == MAX_TRACES) {
            rc = bad_usage("too many traces (at most 4096), at '%s'", a);
        } else {
            paths[npaths++] = a;
        }
    }
    if (help) {
        run_usage(stdout);
        free(paths);
        free(specs);
        budget_list_free(&budgets);
        return EXIT_OK;
    }
    if (rc == EXIT_OK && npaths == 0)
        rc = bad_usage("%s", "no trace given");
    if (rc == EXIT_OK && json && junit && strcmp(json, "-") == 0 && strcmp(junit, "-") == 0)
        rc = bad_usage("%s", "--json - and --junit - cannot both write to stdout");
    if (rc == EXIT_OK && nspecs == 0)
        rc = add_skus(DEFAULT_SKU, specs, &nspecs);
    if (rc == EXIT_OK)
        rc = cli_timeline_check(&tlo);
    if (rc == EXIT_OK && tlo.path && (npaths > 1 || nspecs > 1))
        rc = bad_usage("%s", "--timeline records one run: give one trace and one module");
    if (rc == EXIT_OK && (tegra || csv) && (npaths > 1 || nspecs > 1))
        rc = bad_usage("%s", "--tegrastats and --csv log one run: give one trace and one module");

    /* Load every module and trace first, on one thread: bad input stops the batch before
     * any run, with one message. */
    if (rc == EXIT_OK) {
        skus = calloc((size_t)nspecs, sizeof *skus);
        cfgs = calloc((size_t)nspecs, sizeof *cfgs);
        traces = calloc((size_t)npaths, sizeof *traces);
        runs = calloc((size_t)nspecs * (size_t)npaths, sizeof *runs);
        if (skus == NULL || cfgs == NULL || traces == NULL || runs == NULL)
            rc = EXIT_INTERNAL;
    }
    for (int j = 0; j < nspecs && rc == EXIT_OK; j++) {
        char *colon = strrchr(specs[j], ':');
        const char *m = mode;
        if (colon && !strchr(colon, '/')) {
            *colon = '\0';
            m = colon + 1;
        }
        skus[j] = calloc(1, sizeof *skus[j]);
        rc = skus[j] ? cli_load_config(specs[j], m, skus[j], &cfgs[j]) : EXIT_INTERNAL;
    }
    for (int i = 0; i < npaths && rc == EXIT_OK; i++) {
        size_t len = strlen(paths[i]);
        diag_clear(&d);
        if (len > 5 && strcmp(paths[i] + len - 5, ".onnx") == 0) {
            /* `orinsim run model.onnx`: imported with the defaults (docs/import.md) */
            rc = import_trace(paths[i], &traces[i], &d);
            if (rc == EXIT_OK && budget_check_trace(&budgets, &traces[i], &d) != 0)
                rc = EXIT_BAD_INPUT;
            if (rc != EXIT_OK)
                diag_print(&d);
        } else if (trace_load(paths[i], &traces[i], &d) != 0 ||
                   budget_check_trace(&budgets, &traces[i], &d) != 0) {
            diag_print(&d);
            rc = EXIT_BAD_INPUT;
        }
        if (rc == EXIT_OK && period_ps > 0 && trace_set_period(&traces[i], period_ps, &d) != 0) {
            diag_print(&d);
            rc = EXIT_BAD_INPUT;
        }
    }

    /* Budgets on power or energy turn the power model on. */
    for (int k = 0; k < budgets.n; k++)
        if (metric_needs_power(&budgets.v[k].metric))
            pw.enabled = 1;
    for (int i = 0; i < npaths && rc == EXIT_OK; i++)
        for (int k = 0; k < traces[i].budgets.n; k++)
            if (metric_needs_power(&traces[i].budgets.v[k].metric))
                pw.enabled = 1;
    if (rc == EXIT_OK)
        rc = cli_timeline_start(&tlo, pw.sample_s, batch_trace_label(&traces[0]),
                                &bo.replay.timeline, &tlx);

    if (rc == EXIT_OK) {
        for (int i = 0; i < npaths; i++)
            for (int j = 0; j < nspecs; j++)
                runs[nruns++] = (batch_run_t){.trace = &traces[i], .cfg = &cfgs[j]};
        text_shown = !quiet && !(json && strcmp(json, "-") == 0);
        bo.text = text_shown;
        bo.budgets = &budgets;
        bo.power = &pw;
        bo.keep_power = tegra || csv;
        pw.no_series = !tegra && !csv && !tlo.path;   /* up to 40 MiB on a long run */
        batch_run(runs, nruns, &bo);

        /* Everything is printed here, in the order the runs were given. */
        for (int k = 0, printed = 0; k < nruns; k++) {
            if (text_shown && runs[k].text)
                printf("%s%s", printed++ ? "\n" : "", runs[k].text);
            run_messages(&runs[k], text_shown);
        }
        if (nruns > 1 && !(json && strcmp(json, "-") == 0)) {
            if (text_shown)
                putchar('\n');
            batch_summary(stdout, runs, nruns);
        }
        out_stdout_flush();
        rc = batch_exit_code(runs, nruns);
        if (json)
            rc = worse(rc, write_file(json, "JSON report", runs, nruns, batch_write_json));
        if (junit)
            rc = worse(rc, write_file(junit, "JUnit report", runs, nruns, junit_write));
        if (tlx)
            rc = worse(rc, cli_timeline_finish(bo.replay.timeline, tlx, runs[0].rc == EXIT_OK));
        tlx = NULL;
        bo.replay.timeline = NULL;
    }
    if (rc != EXIT_INTERNAL && nruns == 1 && runs[0].power) {
        if (tegra)
            rc = worse(rc, write_file(tegra, "tegrastats log", runs, 1, tegrastats_log));
        if (csv)
            rc = worse(rc, write_file(csv, "CSV series", runs, 1, csv_log));
    }
    cli_timeline_finish(bo.replay.timeline, tlx, 0);

    for (int k = 0; k < nruns; k++)
        batch_run_free(&runs[k]);
    for (int i = 0; traces && i < npaths; i++)
        trace_free(&traces[i]);
    for (int j = 0; skus && j < nspecs; j++)
        free(skus[j]);
    free(runs);
    free(traces);
    free(cfgs);
    free(skus);
    free(paths);
    free(specs);
    budget_list_free(&budgets);
    return rc;
}

/* ---- diff: compare two JSON reports ---- */

static int cmd_diff(int argc, char **argv)
{
    const char *files[2] = {NULL, NULL};
    double threshold = DIFF_DEFAULT_THRESHOLD_PCT;
    json_object *base = NULL, *cur = NULL;
    int nfiles = 0, n;
    diag_t d;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (is_help(a)) {
            printf("usage: orinsim diff BASE.json NEW.json [--threshold 5%%]\n"
                   "  compare two JSON reports metric by metric (either may be - for standard\n"
                   "  input); exit 3 on a regression, 2 on a broken report\n"
                   "  --threshold P     the change that counts as a regression (default 5%%)\n"
                   "  --help            this text\n");
            return EXIT_OK;
        }
        if (strcmp(a, "--threshold") == 0) {
            const char *v = opt_value(argc, argv, &i);
            char why[256];
            if (v == NULL)
                return bad_usage("%s needs a value, for example 5%%", a);
            if (metric_parse_limit(METRIC_PERCENT, v, &threshold, why, sizeof why) != 0) {
                fprintf(stderr, "orinsim: error: --threshold: %s\n", why);
                return EXIT_BAD_INPUT;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return bad_usage("unknown option '%s' to `orinsim diff`", a);
        } else if (nfiles == 2) {
            return bad_usage("unexpected argument '%s' (`orinsim diff BASE.json NEW.json`)", a);
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles != 2)
        return bad_usage("%s", "`orinsim diff` needs two reports: BASE.json NEW.json");
    if (strcmp(files[0], "-") == 0 && strcmp(files[1], "-") == 0)
        return bad_usage("%s", "only one of the two reports can be read from standard input (-)");
    diag_clear(&d);
    if (diff_load(files[0], &base, &d) != 0 || diff_load(files[1], &cur, &d) != 0 ||
        (n = diff_reports(stdout, base, strcmp(files[0], "-") ? files[0] : DIFF_STDIN, cur,
                          strcmp(files[1], "-") ? files[1] : DIFF_STDIN, threshold, &d)) < 0) {
        diag_print(&d);
        n = -1;
    }
    if (base)
        json_object_put(base);
    if (cur)
        json_object_put(cur);
    return n < 0 ? EXIT_BAD_INPUT : n > 0 ? EXIT_BUDGET : EXIT_OK;
}

int cli_main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    if (is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("orinsim %s\n", ORINSIM_VERSION);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "skus") == 0)
        return cmd_skus(argc - 1, argv + 1);
    if (strcmp(argv[1], "sku") == 0)
        return cmd_sku(argc - 1, argv + 1);
    if (strcmp(argv[1], "bench") == 0)
        return cmd_bench(argc - 1, argv + 1);
    if (strcmp(argv[1], "diff") == 0)
        return cmd_diff(argc - 1, argv + 1);
    if (strcmp(argv[1], "zoo") == 0)
        return cmd_zoo(argc - 1, argv + 1);
    if (strcmp(argv[1], "validate") == 0)
        return cmd_validate(argc - 1, argv + 1);
    if (strcmp(argv[1], "view") == 0)
        return viz_view_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "check") == 0)
        return check_cli(argc - 1, argv + 1);
    if (strcmp(argv[1], "compare") == 0)
        return check_compare_cli(argc - 1, argv + 1);
    if (strcmp(argv[1], "sweep") == 0)
        return sweep_cli(argc - 1, argv + 1);
    if (strcmp(argv[1], "study") == 0)
        return study_cli(argc - 1, argv + 1);
    if (strcmp(argv[1], "profile") == 0)
        return profile_cli(argc - 1, argv + 1);
    if (strcmp(argv[1], "import") == 0)
        return import_cli(argc - 1, argv + 1);
    if (strcmp(argv[1], "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    return cmd_run(argc - 1, argv + 1);
}
