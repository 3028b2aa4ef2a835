/*
 * import_cli: `orinsim import MODEL [options] > trace.yaml` (docs/import.md). MODEL is an
 * ONNX model or the layer information of a TensorRT engine (`trtexec --exportLayerInfo`);
 * the options are the zoo's (--dtype --engine --batch --split --sparsity --io-dtype
 * --frames --period) and the importer's own (--shape NAME:DxDx..., --strict, --quiet).
 */
#include <stdio.h>
#include <string.h>

#include "soc/cli/commands.h"
#include "soc/import/import.h"
#include "soc/io/out.h"

#define HINT "see `orinsim import --help`"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: orinsim import MODEL.onnx|LAYERS.json [options] > trace.yaml\n"
            "\n"
            "  --shape NAME:DxD...  the shape of an input with dynamic dimensions, e.g.\n"
            "                       images:1x3x640x640 (repeat for several inputs)\n"
            "  --strict             an op with no cost model is an error (default: modelled\n"
            "                       as a memory-bound element-wise op, with a warning)\n"
            "  --quiet              no summary on stderr\n"
            "  --dtype T            fp32 tf32 fp16 bf16 int8 (default fp16; Q/DQ-quantized\n"
            "                       layers are int8 whatever it is; layer information: each\n"
            "                       layer's own unless given)\n"
            "  --engine E           gpu, dla, dla0, dla1 (ops the DLA cannot run fall back\n"
            "                       to the GPU), or gpu+2dla\n"
            "  --batch N            samples per frame (default: the model's)\n"
            "  --split G,D0,D1      gpu+2dla: samples per frame on gpu, dla0, dla1\n"
            "  --sparsity S         dense or 2:4 (weights of conv, fc and gemm)\n"
            "  --io-dtype T         --engine gpu: the type the input and output are held in\n"
            "  --frames N           releases of the task graph (1)\n"
            "  --period T           release interval, e.g. 33.333ms\n");
}

int import_cli(int argc, char **argv)
{
    import_options_t o;
    const char *path = NULL;
    out_t out;
    diag_t d;
    int rc;

    memset(&o, 0, sizeof o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            if (path != NULL)
                return diag_usage(HINT, "unexpected argument '%s' (one model at a time)", a);
            path = a;
            continue;
        }
        if (strcmp(a, "--strict") == 0) {
            o.strict = 1;
            continue;
        }
        if (strcmp(a, "--quiet") == 0) {
            o.quiet = 1;
            continue;
        }
        if (v == NULL)
            return diag_usage(HINT, "%s needs a value", a);
        i++;
        if (strcmp(a, "--shape") == 0) {
            char why[160];
            if (ishape_parse_given(v, &o.shapes, why, sizeof why) != 0)
                return diag_usage(HINT, "--shape: %s", why);
            continue;
        }
        if (strcmp(a, "--imgsz") == 0)
            return diag_usage(HINT, "%s is for the zoo's networks; an imported model's input "
                              "is its own (give a dynamic one with --shape NAME:DxDx...)", a);
        if (strcmp(a, "--seq") == 0 || strcmp(a, "--context") == 0 ||
            strcmp(a, "--prompt") == 0 || strcmp(a, "--group") == 0 ||
            strcmp(a, "--int8-fallback") == 0)
            return diag_usage(HINT, "%s is an option of the zoo's own networks, not of an "
                              "imported model", a);
        rc = zoo_option(&o.zoo, a, v, HINT);
        if (rc < 0)
            return diag_usage(HINT, "unknown option '%s'", a);
        if (rc != EXIT_OK)
            return rc;
    }
    if (path == NULL)
        return diag_usage(HINT, "%s", "`orinsim import` needs a model file (.onnx, or the "
                          ".json of trtexec --exportLayerInfo)");
    diag_clear(&d);
    out_open(&out, "-", "trace", &d);   /* standard output is always open */
    rc = import_write(out.f, path, &o, &d);
    if (rc != EXIT_OK && !ferror(out.f))
        diag_print(&d);
    diag_clear(&d);
    if (out_close(&out, &d) != 0) {     /* every write checked: a failed one says why */
        diag_print(&d);
        return EXIT_OUTPUT;
    }
    return rc;
}
