/*
 * profile_cli: `orinsim profile [--sku S] [--mode M] [--json FILE|-] PROFILE.json TRACE.yaml`.
 *
 * Exit codes (docs/check.md): 0 done; 1 internal error; 2 bad input or usage (the
 * profile, the trace, the module), with file:line:column where the file has one.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"
#include "soc/cli/commands.h"
#include "soc/io/out.h"
#include "soc/measure/profile.h"

static void usage(FILE *out)
{
    fputs("usage: orinsim profile [options] PROFILE.json TRACE.yaml\n"
          "\n"
          "Set the model's GPU kernels for one frame of TRACE beside the layers of a TensorRT\n"
          "layer profile of the same network: the JSON of trtexec --dumpProfile\n"
          "--separateProfileRun --exportProfile=PROFILE.json, or a log holding the table\n"
          "--dumpProfile prints. Layers and kernels are matched by the ONNX node names TensorRT\n"
          "gives its layers and the op names of the trace (the zoo uses the networks' own\n"
          "module names).\n"
          "  --sku NAME|FILE   module to simulate (default agx64)\n"
          "  --mode MODE       its power mode (default: the module's default)\n"
          "  --json FILE|-     also write the groups as JSON (- for stdout, no table)\n"
          "\n"
          "exit codes: 0 done, 1 internal error, 2 bad input or usage\n",
          out);
}

static int bad(const char *fmt, const char *arg)
{
    return diag_usage("see `orinsim profile --help`", fmt, arg);
}

typedef struct profile_output {
    const profile_t *prof;
    const char *trace, *sku, *mode;
} profile_output_t;

static int emit_json(FILE *f, void *arg)
{
    const profile_output_t *o = arg;
    return profile_write_json(f, o->prof, o->trace, o->sku, o->mode);
}

int profile_cli(int argc, char **argv)
{
    const char *sku_name = "agx64", *mode = NULL, *json = NULL, *files[2] = {NULL, NULL};
    int nfiles = 0, rc;
    sku_t *sku;
    soc_config_t cfg;
    trace_t trace;
    profile_t prof;
    diag_t d;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--sku") == 0    ? &sku_name
                            : strcmp(a, "--mode") == 0 ? &mode
                            : strcmp(a, "--json") == 0 ? &json
                                                       : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        }
        if (slot) {
            if (i + 1 >= argc)
                return bad("%s needs a value", a);
            *slot = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            return bad("unknown option '%s' to `orinsim profile`", a);
        } else if (nfiles == 2) {
            return bad("unexpected argument '%s' (`orinsim profile PROFILE.json TRACE.yaml`)",
                       a);
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles != 2)
        return bad("%s", "`orinsim profile` needs a TensorRT profile and a trace: "
                         "PROFILE.json TRACE.yaml");
    if ((sku = calloc(1, sizeof *sku)) == NULL)
        return EXIT_INTERNAL;
    rc = cli_load_config(sku_name, mode, sku, &cfg);
    if (rc != EXIT_OK) {
        free(sku);
        return rc;
    }
    diag_clear(&d);
    memset(&trace, 0, sizeof trace);
    memset(&prof, 0, sizeof prof);
    if (profile_load(files[0], &prof, &d) != 0 || trace_load(files[1], &trace, &d) != 0 ||
        profile_simulate(&cfg, &trace, &prof, &d) != 0) {
        diag_print(&d);
        rc = EXIT_BAD_INPUT;
    } else if (profile_match(&prof) != 0) {
        fprintf(stderr, "orinsim: error: out of memory\n");
        rc = EXIT_INTERNAL;
    } else {
        int to_stdout = json && strcmp(json, "-") == 0;
        if (!to_stdout)
            profile_print(stdout, &prof, files[1], sku->name, cfg.mode->name);
        if (json) {
            profile_output_t po = {&prof, files[1], sku->name, cfg.mode->name};
            diag_clear(&d);
            if ((rc = out_write_file(json, "JSON output", emit_json, &po, &d)) != EXIT_OK)
                diag_print(&d);
        }
    }
    profile_free(&prof);
    trace_free(&trace);
    free(sku);
    return rc;
}
