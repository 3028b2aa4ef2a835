/*
 * onnx_read: an ONNX model (ModelProto, decoded by protobuf-c) into the importer's graph.
 */
#ifndef ORINSIM_ONNX_READ_H
#define ORINSIM_ONNX_READ_H

#include <stddef.h>
#include <stdint.h>

#include "soc/import/igraph.h"

/* What a build without the ONNX reader says (exit EXIT_UNAVAILABLE). */
#define ONNX_MISSING                                                                       \
    "this orinsim was built without the ONNX reader; install protobuf-c and the ONNX "   \
    "schema (Debian: apt-get install libonnx-dev protobuf-c-compiler libprotobuf-c-dev) " \
    "and rebuild"

/* 1 when this build reads ONNX. */
int onnx_available(void);
/* Read the model file at `path` (or the bytes of `buf`, named `name` in messages) into g,
 * ordered (ig_order). g must be freed with ig_free whatever the result. Returns 0 or
 * DIAG_ERR with d. */
int onnx_read(const char *path, ig_graph_t *g, diag_t *d);
int onnx_parse(const char *name, const uint8_t *buf, size_t len, ig_graph_t *g, diag_t *d);

#endif
