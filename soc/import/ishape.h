/*
 * ishape: shape propagation over the importer's graph (soc/import/igraph.h).
 */
#ifndef ORINSIM_ISHAPE_H
#define ORINSIM_ISHAPE_H

#include "soc/import/igraph.h"

#define ISHAPE_MAX_GIVEN 16

/* Shapes the user gives for graph inputs (--shape name:1x3x640x640). */
typedef struct ishape_given {
    int n;
    struct {
        char name[128];
        int rank;
        int64_t dims[IG_MAX_RANK];
    } v[ISHAPE_MAX_GIVEN];
} ishape_given_t;

/* Parse "name:1x3x640x640" into `given`. Returns 0, or -1 with why (for a usage error). */
int ishape_parse_given(const char *arg, ishape_given_t *given, char *why, size_t len);

/* The batch a model runs at unless told: the first dimension of its first input as given
 * (--shape) or declared, or 1 when that is dynamic. */
int64_t ishape_default_batch(const ig_graph_t *g, const ishape_given_t *given);

/* Fix every graph input's shape (given, declared; dimension 0 = batch, a dynamic first
 * dimension included) and propagate through the nodes in order. Every input must be
 * fully known; a node whose output shape cannot be worked out is an error naming it.
 * An op the importer does not know keeps the shape of its first input (it is modelled as
 * element-wise). May be run again with another batch. Returns 0 or DIAG_ERR. */
int ishape_run(ig_graph_t *g, const ishape_given_t *given, int64_t batch, diag_t *d);

/* Does the importer know this op (ONNX domain) and how to work out its shapes? */
int ishape_known(const char *op);

#endif
