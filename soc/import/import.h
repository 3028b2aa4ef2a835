/*
 * import: a user's model as an orinsim trace (docs/import.md): an ONNX model
 * (soc/import/onnx_read.c, shapes by soc/import/ishape.c, layers and TensorRT's fusions by
 * soc/import/ilower.c) or the layer information of a built TensorRT engine
 * (soc/import/itrt.c, `trtexec --exportLayerInfo`), written by the zoo's writer with the
 * zoo's options, so an imported network and the zoo's network of the same definition give
 * the same trace ops.
 */
#ifndef ORINSIM_IMPORT_H
#define ORINSIM_IMPORT_H

#include <stdio.h>

#include "soc/import/ishape.h"
#include "soc/trace/trace.h"
#include "soc/zoo/zoo.h"

typedef struct import_options {
    zoo_options_t zoo;            /* --dtype --engine --batch --split --sparsity --io-dtype
                                   * --frames --period, as `orinsim zoo` takes them */
    ishape_given_t shapes;        /* --shape NAME:DxDx... */
    int strict;                   /* an op with no cost model is an error */
    int quiet;                    /* no summary on stderr */
} import_options_t;

/* Which reader a path goes to: by its extension (.onnx, .json), else by its first byte. */
typedef enum import_format { IMPORT_ONNX, IMPORT_LAYERS } import_format_t;
import_format_t import_format_of(const char *path);

/* Import the model at `path` and write its trace to `out`. Returns a process exit code:
 * EXIT_OK, EXIT_BAD_INPUT (d filled: the file, the node and op, what was expected),
 * EXIT_UNAVAILABLE (no ONNX reader in this build) or EXIT_INTERNAL. A summary (layers,
 * fusions, ops with no cost model) goes to stderr unless o->quiet. */
int import_write(FILE *out, const char *path, const import_options_t *o, diag_t *d);

/* Import with default options and parse the trace (`orinsim run model.onnx`). */
int import_trace(const char *path, trace_t *t, diag_t *d);

#endif
