/*
 * ilower: a shaped graph into the zoo's layers, with TensorRT's fusions.
 */
#ifndef ORINSIM_ILOWER_H
#define ORINSIM_ILOWER_H

#include "soc/import/igraph.h"
#include "soc/zoo/zoo_build.h"

#define ILOWER_MAX_UNKNOWN 32

/* What the lowering did, for the importer's summary on stderr. */
typedef struct ilower_report {
    int folded_bn, fused_act, pointwise_fused, attention, int8_layers, generic;
    int nunknown;
    struct {
        char op[64];
        int count;
    } unknown[ILOWER_MAX_UNKNOWN];   /* ops with no cost model, by op type */
} ilower_report_t;

/* Append the graph's layers to net (whose dtype and sparsity are set). With strict, an op
 * with no cost model is an error. Returns 0 or DIAG_ERR with d. */
int ilower_build(ig_graph_t *g, zoo_net_t *net, int strict, ilower_report_t *rep, diag_t *d);

#endif
