/*
 * cli: the `orinsim` command line.
 *
 *   orinsim [run] [--sku NAME|FILE] [--mode NAME] [--frames N] [--json FILE|-]
 *                 [--reproducible] [--quiet] [--timeline FILE] trace.yaml
 *   orinsim view [options] trace.yaml           (viz/view.h)
 *   orinsim skus
 *   orinsim sku NAME|FILE [--mode NAME]
 *   orinsim bench phold [options]
 *   orinsim validate [--json] [--case ID]
 *
 * Exit codes (sim/diag.h): 0 success, 2 bad input or usage, 1 internal failure.
 * Every bad-input message is one line, "file:line:column: error: ..." when it has a
 * place in a file.
 */
#include "soc/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"
#include "sim/phold.h"
#include "soc/check.h"
#include "soc/power_run.h"
#include "soc/replay.h"
#include "soc/report.h"
#include "soc/sku.h"
#include "soc/sweep.h"
#include "soc/timeline.h"
#include "soc/trace.h"
#include "soc/validate.h"
#include "soc/zoo.h"
#include "viz/export.h"
#include "viz/view.h"

#define DEFAULT_SKU "agx64"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: orinsim [run] [options] TRACE.yaml\n"
            "       orinsim skus\n"
            "       orinsim sku NAME|FILE [--mode MODE]\n"
            "       orinsim bench phold [--help]\n"
            "       orinsim zoo list | orinsim zoo NAME [options]   (networks as traces)\n"
            "       orinsim validate [--json] [--case ID]   (against published results)\n"
            "       orinsim view [--help] [options] TRACE.yaml   (timeline viewer)\n"
            "       orinsim check [--help] TRACE.yaml   (run the ops on this machine's GPU)\n"
            "       orinsim compare MEASURED.yaml   (model against recorded measurements)\n"
            "\n"
            "run options:\n"
            "  --sku NAME|FILE   module to simulate (default " DEFAULT_SKU "; see `orinsim skus`)\n"
            "  --mode MODE       nvpmodel power mode (default: the module's default mode)\n"
            "  --frames N        override the trace's frame count\n"
            "  --json FILE|-     write the JSON report to FILE, or to stdout with -\n"
            "  --reproducible    leave wall-clock figures out of the reports\n"
            "  --quiet           no text report\n"
            "  --timeline FILE   write the timeline as Chrome Trace Event JSON (Perfetto)\n"
            "  --help, --version\n"
            "\n"
            "exit codes: 0 success, 2 bad input or usage, 1 internal error\n");
    power_cli_usage(out);
}

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "orinsim: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see `orinsim --help`)\n");
    return EXIT_BAD_INPUT;
}

/* Fetch the value of an option that takes one. */
static const char *opt_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static int load_config(const char *sku_name, const char *mode, sku_t *sku, soc_config_t *cfg)
{
    diag_t d;
    diag_clear(&d);
    if (sku_load(sku_name, sku, &d) != 0 || sku_resolve(sku, mode, cfg, &d) != 0) {
        diag_print(&d);
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

static int cmd_skus(int argc, char **argv)
{
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
    rc = load_config(name, mode, sku, &cfg);
    if (rc == EXIT_OK)
        sku_print(stdout, &cfg);
    free(sku);
    return rc;
}

static int cmd_bench(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "phold") != 0)
        return bad_usage("%s", "`orinsim bench` needs a benchmark name: phold");
    return phold_cli(argc - 1, argv + 1);
}

/* `orinsim zoo list | NAME [options]`: write a model-zoo trace (soc/zoo.h). */
static int cmd_zoo(int argc, char **argv)
{
    return zoo_cli(argc, argv);
}

/* `orinsim validate [--json] [--case ID]`: the validation table (soc/validate.h). */
static int cmd_validate(int argc, char **argv)
{
    return validate_cli(argc, argv);
}

static int write_json(const char *path, const soc_config_t *cfg, const trace_t *t,
                      replay_result_t *r, const report_options_t *ro)
{
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    int rc;
    if (f == NULL) {
        fprintf(stderr, "%s: error: cannot write the JSON report\n", path);
        return EXIT_BAD_INPUT;
    }
    rc = report_json(f, cfg, t, r, ro);
    if (f != stdout && fclose(f) != 0)
        rc = -1;
    if (rc != 0) {
        fprintf(stderr, "%s: error: writing the JSON report failed\n", path);
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

static int cmd_run(int argc, char **argv)
{
    const char *sku_name = DEFAULT_SKU, *mode = NULL, *json = NULL, *path = NULL;
    const char *timeline = NULL;
    int quiet = 0, rc;
    replay_options_t ro = {0};
    report_options_t rep = {0};
    sku_t *sku;
    soc_config_t cfg;
    trace_t trace;
    replay_result_t res;
    diag_t d;
    power_options_t pw;
    power_run_t *prun = NULL;
    int prc;

    power_options_init(&pw);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if ((prc = power_cli_option(&pw, argc, argv, &i)) != 0) {
            if (prc < 0)
                return EXIT_BAD_INPUT;
        } else if (strcmp(a, "--sku") == 0) {
            if ((sku_name = opt_value(argc, argv, &i)) == NULL)
                return bad_usage("%s needs a value", a);
        } else if (strcmp(a, "--mode") == 0) {
            if ((mode = opt_value(argc, argv, &i)) == NULL)
                return bad_usage("%s needs a value", a);
        } else if (strcmp(a, "--json") == 0) {
            if ((json = opt_value(argc, argv, &i)) == NULL)
                return bad_usage("%s needs a value (a file name, or - for stdout)", a);
        } else if (strcmp(a, "--frames") == 0) {
            const char *v = opt_value(argc, argv, &i);
            char *end;
            long long n;
            if (v == NULL)
                return bad_usage("%s needs a value", a);
            n = strtoll(v, &end, 10);
            if (*v == '\0' || *end != '\0' || n < 1 || n > TRACE_MAX_FRAMES)
                return bad_usage("--frames expects a whole number from 1 to 10000000, got '%s'",
                                 v);
            ro.frames = n;
        } else if (strcmp(a, "--timeline") == 0) {
            if ((timeline = opt_value(argc, argv, &i)) == NULL)
                return bad_usage("%s needs a value (a file name)", a);
        } else if (strcmp(a, "--reproducible") == 0) {
            rep.reproducible = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return bad_usage("unknown option '%s'", a);
        } else if (path == NULL) {
            path = a;
        } else {
            return bad_usage("unexpected argument '%s' (one trace per run)", a);
        }
    }
    if (path == NULL)
        return bad_usage("%s", "no trace given");

    sku = calloc(1, sizeof *sku);
    if (sku == NULL)
        return EXIT_INTERNAL;
    rc = load_config(sku_name, mode, sku, &cfg);
    if (rc != EXIT_OK) {
        free(sku);
        return rc;
    }
    diag_clear(&d);
    if (trace_load(path, &trace, &d) != 0) {
        diag_print(&d);
        trace_free(&trace);
        free(sku);
        return EXIT_BAD_INPUT;
    }
    if (timeline && (ro.timeline = timeline_new()) == NULL)
        diag_error(&d, path, 0, 0, "internal error: out of memory");
    if (d.set || power_run_setup(&prun, &pw, &cfg, &ro, &d) != 0 ||
        replay_check(&cfg, &trace, &d) != 0 ||
        replay_run(&cfg, &trace, &ro, &res, &d) != 0) {
        diag_print(&d);
        timeline_free(ro.timeline);
        trace_free(&trace);
        power_run_free(prun);
        free(sku);
        return strstr(d.msg, "internal error") ? EXIT_INTERNAL : EXIT_BAD_INPUT;
    }
    rc = EXIT_OK;
    rep.power = prun;
    if (!quiet && !(json && strcmp(json, "-") == 0))
        report_text(stdout, &cfg, &trace, &res, &rep);
    if (json)
        rc = write_json(json, &cfg, &trace, &res, &rep);
    if (timeline && rc == EXIT_OK &&
        viz_export_chrome_path(timeline, ro.timeline, trace.name[0] ? trace.name : path, &d)) {
        diag_print(&d);
        rc = strstr(d.msg, "internal error") ? EXIT_INTERNAL : EXIT_BAD_INPUT;
    }
    timeline_free(ro.timeline);
    rc = power_run_exit_code(prun, rc);
    power_run_free(prun);
    replay_result_free(&res);
    trace_free(&trace);
    free(sku);
    return rc;
}

int cli_main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
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
    if (strcmp(argv[1], "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    return cmd_run(argc - 1, argv + 1);
}
