/*
 * igraph: a model's computation graph as the importer works on it, whatever file it came
 * from: tensors (named values with a type, a shape once known, and their values when they
 * are small constants that shapes depend on) and nodes (an operator, its inputs and
 * outputs as tensor indices, its attributes), with the nodes in an order where every
 * tensor is made before it is used.
 *
 * The ONNX reader (soc/import/onnx_read.c) fills it; shape propagation
 * (soc/import/ishape.c) completes the shapes; the lowering (soc/import/ilower.c) turns it
 * into the zoo's layers. Strings and attribute arrays point into the memory of the file's
 * own decoded form, which the graph owns and frees (ig_free).
 */
#ifndef ORINSIM_IGRAPH_H
#define ORINSIM_IGRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "sim/diag.h"

#define IG_MAX_RANK 8
/* Constant values are kept for tensors this small (shapes, axes, scales, bounds). */
#define IG_MAX_VALUES 64

/* The largest dimension and element count a tensor may have. */
#define IG_MAX_DIM ((int64_t)1 << 40)
#define IG_MAX_ELEMENTS 1e15

/* ONNX's element types (TensorProto.DataType) that a model may use. */
enum {
    IG_UNDEFINED = 0, IG_FLOAT = 1, IG_UINT8 = 2, IG_INT8 = 3, IG_UINT16 = 4, IG_INT16 = 5,
    IG_INT32 = 6, IG_INT64 = 7, IG_STRING = 8, IG_BOOL = 9, IG_FLOAT16 = 10, IG_DOUBLE = 11,
    IG_UINT32 = 12, IG_UINT64 = 13, IG_COMPLEX64 = 14, IG_COMPLEX128 = 15, IG_BFLOAT16 = 16,
    IG_DTYPE_COUNT
};

typedef enum ig_kind {
    IG_VALUE = 0,      /* made by a node */
    IG_INPUT,          /* a graph input the user feeds */
    IG_WEIGHT,         /* an initializer */
} ig_kind_t;

typedef struct ig_tensor {
    const char *name;
    ig_kind_t kind;
    int dtype;                    /* IG_*; IG_UNDEFINED until known */
    int rank;                     /* -1 until known */
    int64_t dims[IG_MAX_RANK];    /* after shape propagation; graph inputs: -1 = dynamic */
    const char *dim_param[IG_MAX_RANK];   /* graph inputs: a dynamic dimension's name */
    int decl_rank;                /* graph inputs: the shape as declared (-1 = none) */
    int64_t decl[IG_MAX_RANK];
    int is_const;                 /* computed from initializers alone (weights, shapes) */
    int nval;                     /* values known (0: none) */
    double val[IG_MAX_VALUES];
    int producer;                 /* node index, or -1 */
    int nconsumers;               /* nodes that read it, counted once per input slot */
    int is_output;                /* a graph output */
} ig_tensor_t;

typedef enum ig_attr_type {
    IG_A_OTHER = 0, IG_A_INT, IG_A_FLOAT, IG_A_INTS, IG_A_FLOATS, IG_A_STRING
} ig_attr_type_t;

typedef struct ig_attr {
    const char *name;
    ig_attr_type_t type;
    int64_t i;
    double f;
    const int64_t *ints;
    const float *floats;
    int n;                        /* ints / floats */
    const char *s;                /* string (not NUL-terminated: slen bytes) */
    size_t slen;
} ig_attr_t;

typedef struct ig_node {
    const char *name;             /* as the exporter gave it (never empty: op_index if so) */
    const char *op;               /* op_type */
    const char *domain;           /* "" for ONNX's own */
    int nin, nout;
    int *in, *out;                /* tensor indices; -1: an optional input left out */
    int nattr;
    ig_attr_t *attr;
    int done;                     /* lowering: already part of an earlier layer */
} ig_node_t;

typedef struct ig_graph {
    const char *file;             /* for messages */
    ig_tensor_t *t;
    int nt, tcap;
    ig_node_t *n;
    int nn;
    int *order;                   /* node indices, producers first */
    int *inputs, ninputs;         /* tensors of kind IG_INPUT */
    int *hash;                    /* tensor index + 1 by name, open addressing */
    int hcap;
    void **blocks;                /* allocations freed with the graph */
    int nblocks, bcap;
    void *source;                 /* the decoded file, freed by source_free */
    void (*source_free)(void *);
} ig_graph_t;

void ig_init(ig_graph_t *g, const char *file);
void ig_free(ig_graph_t *g);
/* Memory owned by the graph (zeroed); NULL when out of memory. */
void *ig_alloc(ig_graph_t *g, size_t size);
/* The tensor named `name`, created (IG_VALUE, unknown shape) if new; -1 when out of memory. */
int ig_tensor(ig_graph_t *g, const char *name);
/* The tensor named `name`, or -1. */
int ig_find(const ig_graph_t *g, const char *name);
/* Link producers and consumers and order the nodes; an input nobody makes, a tensor made
 * twice or a cycle is an error naming the node. */
int ig_order(ig_graph_t *g, diag_t *d);

/* Attributes of a node: NULL when absent. */
const ig_attr_t *ig_attr(const ig_node_t *n, const char *name);
int64_t ig_attr_int(const ig_node_t *n, const char *name, int64_t dflt);
double ig_attr_float(const ig_node_t *n, const char *name, double dflt);
/* A string attribute equal to `s`? (absent: dflt_match) */
int ig_attr_is(const ig_node_t *n, const char *name, const char *s, int dflt_match);

/* A constant's value as kept: NaN as 0, and within +-2^62, so that any value converts to
 * int64_t without overflow. */
double ig_clamp(double v);
/* The element count of a shaped tensor (1 for a scalar). */
double ig_elements(const ig_tensor_t *t);
/* An element type's name ("float", "int8") or NULL if it is not one of ONNX's. */
const char *ig_dtype_name(int dtype);
/* Write dims as "1x3x640x640" (a scalar: "scalar"). */
void ig_dims_str(const ig_tensor_t *t, char *buf, size_t len);

#endif
