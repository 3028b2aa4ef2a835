/*
 * check_cli: `orinsim check` and `orinsim compare`.
 *
 *   orinsim check [--sku NAME|FILE [--mode M]] [--device N] [--runs N] [--warmup N]
 *                 [--no-flush] [--json FILE|-] [--save FILE] TRACE.yaml
 *   orinsim check --info
 *   orinsim compare [--sku NAME|FILE [--mode M]] [--json FILE|-] [--max-mape PCT] FILE.yaml
 *
 * Exit codes (docs/check.md): 0 done; 2 bad input or usage; 1 internal error; 3 compare's
 * --max-mape exceeded by a class; 5 this orinsim has no CUDA backend; 6 no usable CUDA
 * device at run time; 7 no op of the trace could be measured here (each op's note says
 * why: missing library, dtype the device lacks, op kind with no reference implementation).
 *
 * Without a CUDA build, the backend (soc/measure/check_load.c) answers "built without
 * CUDA": everything up to the device (arguments, the trace) is still checked, so bad
 * input is reported as such.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"
#include "soc/cli/commands.h"
#include "soc/io/out.h"
#include "soc/measure/check.h"
#include "soc/measure/check_backend.h"

#define NVPMODEL_STATUS "/var/lib/nvpmodel/status"

static const char NO_CUDA_MSG[] =
    "orinsim: error: `orinsim check` needs a CUDA build: this orinsim was built without a CUDA "
    "compiler.\n"
    "  Install the CUDA toolkit (nvcc, cuBLAS; cuDNN and cuSPARSELt optional) and rebuild:\n"
    "    cmake -S . -B build -DORINSIM_CUDA=ON && cmake --build build\n"
    "  (see docs/check.md). `orinsim compare` needs no GPU.\n";

static int usage_error(const char *fmt, const char *arg)
{
    return diag_usage("see `orinsim check --help`", fmt, arg);
}

static void check_usage(FILE *out)
{
    fprintf(out,
            "usage: orinsim check [options] TRACE.yaml\n"
            "       orinsim check --info\n"
            "       orinsim compare [options] MEASURED.yaml\n"
            "\n"
            "check: run each GPU op of the trace on this machine's GPU, simulate it on the same\n"
            "GPU described as a SKU, and print predicted, measured and error per op, then the\n"
            "MAPE per class and overall. Needs a CUDA build and a GPU.\n"
            "  --sku NAME|FILE   simulate this SKU instead of the device's own description\n"
            "  --mode MODE       its power mode (on a Jetson: instead of the current one)\n"
            "  --device N        CUDA device index (default 0)\n"
            "  --runs N          timed runs per op, median reported (default 20)\n"
            "  --warmup N        untimed runs first (default 5)\n"
            "  --no-flush        do not flush L2 between runs (the model assumes it is flushed)\n"
            "  --json FILE|-     write the table as JSON\n"
            "  --save FILE       write the measurements (device, clocks, per-op times)\n"
            "  --info            say whether this build has the CUDA backend and which device\n"
            "\n"
            "compare: re-simulate the ops of a measurement file and print the same table. No GPU.\n"
            "  --sku, --mode, --json as above\n"
            "  --max-mape PCT    exit 3 if any class's MAPE is above PCT\n"
            "\n"
            "exit codes: 0 done, 1 internal error, 2 bad input or usage, 3 --max-mape exceeded,\n"
            "            5 built without CUDA, 6 no CUDA device, 7 no op could be measured\n");
}

static const char *opt_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static int parse_count(const char *opt, const char *v, int min, int max, int *out)
{
    char *end;
    long n;
    if (v == NULL)
        return usage_error("%s needs a value", opt);
    errno = 0;
    n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || errno || n < min || n > max) {
        fprintf(stderr, "orinsim: error: %s expects a whole number from %d to %d, got '%s'\n", opt,
                min, max, v);
        return EXIT_BAD_INPUT;
    }
    *out = (int)n;
    return EXIT_OK;
}

typedef struct check_opts {
    const char *sku, *mode, *json, *save, *path;
    int device, runs, warmup, flush, info;
    double max_mape;              /* < 0: no bound */
} check_opts_t;

/* Options shared by check and compare; `compare` limits which apply. */
static int parse_opts(int argc, char **argv, int compare, check_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->runs = 20;
    o->warmup = 5;
    o->flush = 1;
    o->max_mape = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc = EXIT_OK;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            check_usage(stdout);
            return -1;
        } else if (strcmp(a, "--sku") == 0) {
            if ((o->sku = opt_value(argc, argv, &i)) == NULL)
                return usage_error("%s needs a value", a);
        } else if (strcmp(a, "--mode") == 0) {
            if ((o->mode = opt_value(argc, argv, &i)) == NULL)
                return usage_error("%s needs a value", a);
        } else if (strcmp(a, "--json") == 0) {
            if ((o->json = opt_value(argc, argv, &i)) == NULL)
                return usage_error("%s needs a value (a file name, or - for stdout)", a);
        } else if (!compare && strcmp(a, "--save") == 0) {
            if ((o->save = opt_value(argc, argv, &i)) == NULL)
                return usage_error("%s needs a file name", a);
        } else if (!compare && strcmp(a, "--runs") == 0) {
            rc = parse_count(a, opt_value(argc, argv, &i), 1, 100000, &o->runs);
        } else if (!compare && strcmp(a, "--warmup") == 0) {
            rc = parse_count(a, opt_value(argc, argv, &i), 0, 100000, &o->warmup);
        } else if (!compare && strcmp(a, "--device") == 0) {
            rc = parse_count(a, opt_value(argc, argv, &i), 0, 1024, &o->device);
        } else if (!compare && strcmp(a, "--no-flush") == 0) {
            o->flush = 0;
        } else if (!compare && strcmp(a, "--info") == 0) {
            o->info = 1;
        } else if (compare && strcmp(a, "--max-mape") == 0) {
            const char *v = opt_value(argc, argv, &i);
            char *end;
            if (v == NULL)
                return usage_error("%s needs a value in percent", a);
            o->max_mape = strtod(v, &end);
            if (*v == '\0' || *end != '\0' || !(o->max_mape >= 0 && o->max_mape <= 1e6))
                return usage_error("--max-mape expects a percentage such as 15, got '%s'", v);
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (o->path == NULL) {
            o->path = a;
        } else {
            return usage_error("unexpected argument '%s' (one file at a time)", a);
        }
        if (rc != EXIT_OK)
            return rc;
    }
    if (o->mode && !o->sku)
        return usage_error("%s", "--mode applies to --sku (a Jetson's own mode is read from the "
                                 "device)");
    if (o->path == NULL && !o->info)
        return usage_error("%s", compare ? "no measurement file given" : "no trace given");
    return EXIT_OK;
}

/* The SoC to simulate: --sku, or the device's own description. */
static int resolve(const check_opts_t *o, const check_device_t *dev, sku_t *sku, soc_config_t *cfg)
{
    diag_t d;
    diag_clear(&d);
    if (o->sku ? (sku_load(o->sku, sku, &d) != 0 || sku_resolve(sku, o->mode, cfg, &d) != 0)
               : check_describe(dev, sku, cfg, &d) != 0) {
        diag_print(&d);
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

typedef struct check_output {
    const check_run_t *r;
    const soc_config_t *cfg;
} check_output_t;

static int emit_json(FILE *f, void *arg)
{
    const check_output_t *o = arg;
    return check_print_json(f, o->r, o->cfg);
}

static int write_json(const char *path, const check_run_t *r, const soc_config_t *cfg)
{
    check_output_t o = {r, cfg};
    diag_t d;
    int rc;
    diag_clear(&d);
    if ((rc = out_write_file(path, "JSON report", emit_json, &o, &d)) != EXIT_OK)
        diag_print(&d);
    return rc;
}

static int output(const check_opts_t *o, const check_run_t *r, const soc_config_t *cfg)
{
    if (!(o->json && strcmp(o->json, "-") == 0))
        check_print_text(stdout, r, cfg);
    return o->json ? write_json(o->json, r, cfg) : EXIT_OK;
}

/* A Jetson's current nvpmodel mode: the ID in NVPMODEL_STATUS ("pmode:0002"). */
static int jetson_mode(char *mode, size_t len)
{
    FILE *f = fopen(NVPMODEL_STATUS, "r");
    char line[128];
    int id = -1;
    if (f == NULL)
        return -1;
    while (id < 0 && fgets(line, sizeof line, f))
        if (sscanf(line, "pmode:%d", &id) != 1)
            id = -1;
    fclose(f);
    if (id < 0)
        return -1;
    snprintf(mode, len, "%d", id);
    return 0;
}

static int check_info(void)
{
    check_device_t dev;
    char why[256];
    if (!checkb_available()) {
        fputs(NO_CUDA_MSG, stderr);
        return CHECK_EXIT_NO_CUDA;
    }
    printf("backend: %s\n", checkb_build_info());
    memset(&dev, 0, sizeof dev);
    if (checkb_open(0, &dev, why, sizeof why) != CHECKB_OK) {
        fprintf(stderr, "orinsim: error: no CUDA device found (%s)\n", why);
        return CHECK_EXIT_NO_DEVICE;
    }
    printf("device 0: %s, compute capability %d.%d, %d SMs, driver %s\n", dev.name, dev.cc_major,
           dev.cc_minor, dev.sms, dev.driver);
    checkb_close();
    return EXIT_OK;
}

static int measure(const check_opts_t *o, const trace_t *t, const soc_config_t *cfg,
                   check_run_t *run)
{
    checkb_timing_t tm = {o->warmup, o->runs, o->flush};
    int measured = 0;
    for (int ti = 0; ti < t->ntasks; ti++) {
        const trace_task_t *task = &t->tasks[t->topo[ti]];
        if (task->engine != ENG_GPU) {
            fprintf(stderr, "orinsim: note: task '%s' runs on %s; check times GPU ops only\n",
                    task->id, trace_engine_name(task->engine));
            continue;
        }
        for (int i = 0; i < task->nops; i++) {
            /* The library calls have no fused activation: time and predict the conv or
             * gemm without it, and say so. */
            trace_op_t bare = task->ops[i];
            const trace_op_t *op = &bare;
            int act = op->act;
            check_row_t *row;
            diag_t d;
            int rc;
            bare.act = -1;
            row = check_run_add(run, op);
            if (row == NULL)
                return EXIT_INTERNAL;
            row->runs = o->runs;
            diag_clear(&d);
            if (check_predict(cfg, t, op, &row->predicted_s, &d) != 0) {
                if (diag_exit_code(&d) == EXIT_INTERNAL) {
                    diag_print(&d);
                    return EXIT_INTERNAL;
                }
                row->predicted_s = -1;
                snprintf(row->note, sizeof row->note, "not simulated: %.140s", d.msg);
            }
            if (!check_op_supported(op->kind)) {
                snprintf(row->note, sizeof row->note,
                         "no reference implementation for %s ops (check runs gemm, conv, "
                         "attention, elementwise, reduce, memcpy)",
                         trace_op_name(op->kind));
                continue;
            }
            rc = checkb_run(op, &tm, &row->measured_s, &row->min_s, row->note, sizeof row->note);
            if (rc == CHECKB_ERR) {
                fprintf(stderr, "%s:%d:%d: error: running the op on the GPU failed: %s\n",
                        t->path, op->pos.line, op->pos.col, row->note);
                return EXIT_INTERNAL;
            }
            if (rc == CHECKB_OK)
                measured++;
            else
                row->measured_s = row->min_s = -1;
            if (act >= 0 && row->note[0] == 0)
                snprintf(row->note, sizeof row->note,
                         "without its fused %s, in both columns (the library call has no "
                         "activation)", trace_act_name((trace_act_t)act));
        }
    }
    return measured ? EXIT_OK : CHECK_EXIT_NOTHING_MEASURED;
}

int check_cli(int argc, char **argv)
{
    check_opts_t o;
    check_device_t dev;
    check_run_t run;
    trace_t trace;
    sku_t *sku;
    soc_config_t cfg;
    diag_t d;
    char why[256];
    int rc = parse_opts(argc, argv, 0, &o);

    if (rc != EXIT_OK)
        return rc < 0 ? EXIT_OK : rc;
    if (o.info)
        return check_info();
    diag_clear(&d);
    if (trace_load(o.path, &trace, &d) != 0) {
        diag_print(&d);
        trace_free(&trace);
        return EXIT_BAD_INPUT;
    }
    if (!checkb_available()) {
        trace_free(&trace);
        fputs(NO_CUDA_MSG, stderr);
        return CHECK_EXIT_NO_CUDA;
    }
    memset(&dev, 0, sizeof dev);
    if (checkb_open(o.device, &dev, why, sizeof why) != CHECKB_OK) {
        trace_free(&trace);
        fprintf(stderr, "orinsim: error: no CUDA device found (%s)\n", why);
        return CHECK_EXIT_NO_DEVICE;
    }
    if (dev.integrated && dev.cc_major == 8 && dev.cc_minor == 7 && o.sku == NULL) {
        if (check_jetson_sku(dev.total_mem, dev.sm_clock_hz, dev.sku, sizeof dev.sku) != 0)
            fprintf(stderr, "orinsim: note: no shipped Orin SKU matches this Jetson; describing "
                            "it from configs/gpus/sm_87.yaml\n");
        else if (jetson_mode(dev.mode, sizeof dev.mode) != 0)
            fprintf(stderr, "orinsim: note: cannot read the power mode from " NVPMODEL_STATUS
                            "; simulating %s's default mode (pass --sku %s --mode M)\n",
                    dev.sku, dev.sku);
    }
    if ((sku = calloc(1, sizeof *sku)) == NULL) {
        trace_free(&trace);
        checkb_close();
        return EXIT_INTERNAL;
    }
    rc = resolve(&o, &dev, sku, &cfg);
    check_run_init(&run);
    run.dev = dev;
    snprintf(run.trace, sizeof run.trace, "%s", o.path);
    run.warmup = o.warmup;
    run.runs = o.runs;
    run.l2_flush = o.flush;
    if (rc == EXIT_OK)
        rc = measure(&o, &trace, &cfg, &run);
    checkb_close();
    if (rc == EXIT_OK || rc == CHECK_EXIT_NOTHING_MEASURED) {
        int out_rc;
        if (check_summarise(&run) != 0) {
            rc = EXIT_INTERNAL;
            goto done;
        }
        out_rc = output(&o, &run, &cfg);
        if (o.save) {
            diag_clear(&d);
            if (check_save(o.save, &run, &d) != 0) {
                diag_print(&d);
                out_rc = EXIT_OUTPUT;
            }
        }
        if (rc == CHECK_EXIT_NOTHING_MEASURED)
            fprintf(stderr, "orinsim: error: no op of %s could be measured on this machine (the "
                            "notes say why)\n",
                    o.path);
        else
            rc = out_rc;
    }
done:
    check_run_free(&run);
    trace_free(&trace);
    free(sku);
    return rc;
}

int check_compare_cli(int argc, char **argv)
{
    check_opts_t o;
    check_run_t run;
    sku_t *sku;
    soc_config_t cfg;
    diag_t d;
    int rc = parse_opts(argc, argv, 1, &o);

    if (rc != EXIT_OK)
        return rc < 0 ? EXIT_OK : rc;
    diag_clear(&d);
    if (check_load(o.path, &run, &d) != 0) {
        diag_print(&d);
        return EXIT_BAD_INPUT;
    }
    if ((sku = calloc(1, sizeof *sku)) == NULL) {
        check_run_free(&run);
        return EXIT_INTERNAL;
    }
    rc = resolve(&o, &run.dev, sku, &cfg);
    if (rc == EXIT_OK) {
        diag_clear(&d);
        if (check_predict_all(&run, &cfg, &d) != 0) {
            diag_print(&d);
            rc = EXIT_INTERNAL;
        }
    }
    if (rc == EXIT_OK)
        rc = output(&o, &run, &cfg);
    if (rc == EXIT_OK && o.max_mape >= 0) {
        for (int j = 0; j < run.nclasses; j++)
            if (run.classes[j].mape > o.max_mape) {
                fprintf(stderr, "%s: error: MAPE of class '%s' is %.1f%%, above the bound of %g%%\n",
                        o.path, run.classes[j].cls, run.classes[j].mape, o.max_mape);
                rc = EXIT_BUDGET;
            }
        if (run.nmeasured == 0) {
            fprintf(stderr, "%s: error: no op has both a prediction and a measurement\n", o.path);
            rc = EXIT_BUDGET;
        }
    }
    check_run_free(&run);
    free(sku);
    return rc;
}
