/*
 * onnx_read: an ONNX model file into the importer's graph (soc/import/igraph.h).
 *
 * The file is decoded by protobuf-c with the C code that protoc-c generates at build time
 * from the onnx.proto of Debian's libonnx-dev (CMakeLists.txt); this file only walks the
 * decoded ModelProto. Only what costs are made of is taken: the graph's nodes and their
 * attributes, the element types and shapes of inputs and initializers, and the values of
 * small integer and float constants that shapes depend on (Reshape's shape, Resize's
 * scales, Slice's bounds). A weight held in external data is known by its dims alone: the
 * weight files are never opened.
 *
 * Without protobuf-c (ORINSIM_HAVE_ONNX unset) the reader refuses with EXIT_UNAVAILABLE's
 * message: what to install.
 */
#include "soc/import/onnx_read.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/slurp.h"

/* Larger models than this are not read (the biggest vision and LLM exports with external
 * data are far smaller: their weights are outside the file). */
#define ONNX_MAX_BYTES ((size_t)2 << 30)

#ifndef ORINSIM_HAVE_ONNX

int onnx_available(void)
{
    return 0;
}

int onnx_parse(const char *name, const uint8_t *buf, size_t len, ig_graph_t *g, diag_t *d)
{
    (void)buf;
    (void)len;
    ig_init(g, name);
    return diag_error(d, name, 0, 0, "%s", ONNX_MISSING);
}

int onnx_read(const char *path, ig_graph_t *g, diag_t *d)
{
    return onnx_parse(path, NULL, 0, g, d);
}

#else

#include <onnx.pb-c.h>

int onnx_available(void)
{
    return 1;
}

static void free_model(void *m)
{
    if (m != NULL)
        onnx__model_proto__free_unpacked(m, NULL);
}

static size_t elem_size(int dtype)
{
    switch (dtype) {
    case IG_FLOAT: case IG_INT32: case IG_UINT32: return 4;
    case IG_INT64: case IG_UINT64: case IG_DOUBLE: return 8;
    case IG_FLOAT16: case IG_BFLOAT16: case IG_INT16: case IG_UINT16: return 2;
    case IG_INT8: case IG_UINT8: case IG_BOOL: return 1;
    default: return 0;
    }
}

/* The values of a small tensor, from raw_data or the typed fields; none from external data. */
static void tensor_values(const Onnx__TensorProto *tp, ig_tensor_t *t)
{
    double n = ig_elements(t);
    size_t es = elem_size(t->dtype);
    if (n > IG_MAX_VALUES || (tp->has_data_location &&
                              tp->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL))
        return;
    for (int i = 0; i < (int)n; i++) {
        double v;
        if (tp->has_raw_data) {
            const uint8_t *p = tp->raw_data.data + (size_t)i * es;
            if (es == 0 || (size_t)(i + 1) * es > tp->raw_data.len)
                return;
            switch (t->dtype) {   /* little-endian, as ONNX stores raw data */
            case IG_FLOAT: { float f; memcpy(&f, p, 4); v = f; break; }
            case IG_DOUBLE: { double f; memcpy(&f, p, 8); v = f; break; }
            case IG_INT64: { int64_t x; memcpy(&x, p, 8); v = (double)x; break; }
            case IG_INT32: { int32_t x; memcpy(&x, p, 4); v = x; break; }
            case IG_INT8: v = (int8_t)p[0]; break;
            case IG_UINT8: case IG_BOOL: v = p[0]; break;
            default: return;
            }
        } else if (t->dtype == IG_INT64 && (size_t)i < tp->n_int64_data) {
            v = (double)tp->int64_data[i];
        } else if (t->dtype == IG_FLOAT && (size_t)i < tp->n_float_data) {
            v = tp->float_data[i];
        } else if (t->dtype == IG_DOUBLE && (size_t)i < tp->n_double_data) {
            v = tp->double_data[i];
        } else if ((t->dtype == IG_INT32 || t->dtype == IG_INT8 || t->dtype == IG_UINT8 ||
                    t->dtype == IG_BOOL) && (size_t)i < tp->n_int32_data) {
            v = tp->int32_data[i];
        } else {
            return;
        }
        t->val[i] = ig_clamp(v);
    }
    t->nval = (int)n;
}

/* A TensorProto (initializer or Constant's value) onto tensor k. */
static int set_tensor(ig_graph_t *g, int k, const Onnx__TensorProto *tp, const char *what,
                      diag_t *d)
{
    ig_tensor_t *t = &g->t[k];
    if (!tp->has_data_type || ig_dtype_name(tp->data_type) == NULL ||
        tp->data_type == IG_UNDEFINED)
        return diag_error(d, g->file, 0, 0,
                          "%s '%s': unknown data type %d (expected one of ONNX's element "
                          "types 1..%d: float, uint8, int8, ..., bfloat16)",
                          what, t->name, tp->has_data_type ? tp->data_type : 0,
                          IG_DTYPE_COUNT - 1);
    if (tp->n_dims > IG_MAX_RANK)
        return diag_error(d, g->file, 0, 0, "%s '%s' has %zu dimensions; expected at most %d",
                          what, t->name, tp->n_dims, IG_MAX_RANK);
    t->dtype = tp->data_type;
    t->rank = (int)tp->n_dims;
    for (size_t i = 0; i < tp->n_dims; i++) {
        if (tp->dims[i] < 0 || tp->dims[i] > IG_MAX_DIM)
            return diag_error(d, g->file, 0, 0,
                              "%s '%s': dimension %zu is %" PRId64 "; expected 0 to 2^40",
                              what, t->name, i, tp->dims[i]);
        t->dims[i] = tp->dims[i];
    }
    if (ig_elements(t) > IG_MAX_ELEMENTS)
        return diag_error(d, g->file, 0, 0, "%s '%s' holds more than 10^15 elements", what,
                          t->name);
    t->is_const = 1;
    tensor_values(tp, t);
    return 0;
}

/* A graph input's declared type and shape (a dynamic dimension is -1, with its name). */
static int set_input(ig_graph_t *g, int k, const Onnx__ValueInfoProto *vi, diag_t *d)
{
    ig_tensor_t *t = &g->t[k];
    const Onnx__TypeProto__Tensor *tt;
    if (vi->type == NULL || vi->type->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE ||
        vi->type->tensor_type == NULL)
        return diag_error(d, g->file, 0, 0, "graph input '%s': expected a tensor type",
                          t->name);
    tt = vi->type->tensor_type;
    if (!tt->has_elem_type || ig_dtype_name(tt->elem_type) == NULL ||
        tt->elem_type == IG_UNDEFINED)
        return diag_error(d, g->file, 0, 0,
                          "graph input '%s': unknown data type %d (expected one of ONNX's "
                          "element types 1..%d)", t->name, tt->has_elem_type ? tt->elem_type : 0,
                          IG_DTYPE_COUNT - 1);
    t->dtype = tt->elem_type;
    if (tt->shape == NULL)
        return 0;   /* rank unknown: --shape must give it */
    if (tt->shape->n_dim > IG_MAX_RANK)
        return diag_error(d, g->file, 0, 0, "graph input '%s' has %zu dimensions; expected "
                          "at most %d", t->name, tt->shape->n_dim, IG_MAX_RANK);
    t->rank = (int)tt->shape->n_dim;
    for (size_t i = 0; i < tt->shape->n_dim; i++) {
        const Onnx__TensorShapeProto__Dimension *dm = tt->shape->dim[i];
        t->dims[i] = -1;
        if (dm->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE &&
            dm->dim_value > IG_MAX_DIM)
            return diag_error(d, g->file, 0, 0, "graph input '%s': dimension %zu is %" PRId64
                              "; expected at most 2^40", t->name, i, dm->dim_value);
        if (dm->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE &&
            dm->dim_value > 0)
            t->dims[i] = dm->dim_value;
        else if (dm->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM)
            t->dim_param[i] = dm->dim_param;
    }
    return 0;
}

static int tensor_list(ig_graph_t *g, char **names, size_t n, int **out, diag_t *d)
{
    *out = ig_alloc(g, n * sizeof **out);
    if (*out == NULL)
        return diag_error(d, g->file, 0, 0, "internal error: out of memory");
    for (size_t i = 0; i < n; i++) {
        if (names[i] == NULL || names[i][0] == '\0') {
            (*out)[i] = -1;   /* an optional input left out */
            continue;
        }
        if (((*out)[i] = ig_tensor(g, names[i])) < 0)
            return diag_error(d, g->file, 0, 0, "internal error: out of memory");
    }
    return 0;
}

static int read_node(ig_graph_t *g, int idx, const Onnx__NodeProto *np, diag_t *d)
{
    ig_node_t *n = &g->n[idx];
    if (np->op_type == NULL || np->op_type[0] == '\0')
        return diag_error(d, g->file, 0, 0, "node %d ('%s') has no op_type", idx,
                          np->name ? np->name : "");
    n->op = np->op_type;
    n->domain = np->domain ? np->domain : "";
    if (np->name != NULL && np->name[0] != '\0') {
        n->name = np->name;
    } else {
        char *nm = ig_alloc(g, strlen(np->op_type) + 16);
        if (nm == NULL)
            return diag_error(d, g->file, 0, 0, "internal error: out of memory");
        sprintf(nm, "%s_%d", np->op_type, idx);
        n->name = nm;
    }
    if (np->n_input > 1024 || np->n_output > 1024)
        return diag_error(d, g->file, 0, 0, "node '%s' (%s) has %zu inputs and %zu outputs; "
                          "expected at most 1024 of each", n->name, n->op, np->n_input,
                          np->n_output);
    n->nin = (int)np->n_input;
    n->nout = (int)np->n_output;
    if (tensor_list(g, np->input, np->n_input, &n->in, d) ||
        tensor_list(g, np->output, np->n_output, &n->out, d))
        return DIAG_ERR;
    n->nattr = (int)np->n_attribute;
    n->attr = ig_alloc(g, np->n_attribute * sizeof *n->attr);
    if (n->attr == NULL)
        return diag_error(d, g->file, 0, 0, "internal error: out of memory");
    for (size_t i = 0; i < np->n_attribute; i++) {
        const Onnx__AttributeProto *ap = np->attribute[i];
        ig_attr_t *a = &n->attr[i];
        a->name = ap->name ? ap->name : "";
        switch (ap->has_type ? ap->type : ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__UNDEFINED) {
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT:
            a->type = IG_A_INT;
            a->i = ap->i;
            break;
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT:
            a->type = IG_A_FLOAT;
            a->f = ap->f;
            break;
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS:
            a->type = IG_A_INTS;
            a->ints = ap->ints;
            a->n = ap->n_ints > 64 ? 64 : (int)ap->n_ints;
            break;
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS:
            a->type = IG_A_FLOATS;
            a->floats = ap->floats;
            a->n = ap->n_floats > 64 ? 64 : (int)ap->n_floats;
            break;
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING:
            a->type = IG_A_STRING;
            a->s = (const char *)ap->s.data;
            a->slen = ap->s.len;
            break;
        default:
            a->type = IG_A_OTHER;
            break;
        }
    }
    /* A Constant's value is known now. */
    if (strcmp(n->op, "Constant") == 0 && n->nout == 1 && n->out[0] >= 0) {
        ig_tensor_t *t = &g->t[n->out[0]];
        for (size_t i = 0; i < np->n_attribute; i++) {
            const Onnx__AttributeProto *ap = np->attribute[i];
            if (ap->name == NULL)
                continue;
            if (strcmp(ap->name, "value") == 0 && ap->t != NULL) {
                char what[96];
                snprintf(what, sizeof what, "node '%.40s' (Constant): value", n->name);
                if (set_tensor(g, n->out[0], ap->t, what, d) != 0)
                    return DIAG_ERR;
            } else if (strcmp(ap->name, "value_int") == 0 || strcmp(ap->name, "value_float") == 0) {
                int is_int = ap->name[6] == 'i';
                t->dtype = is_int ? IG_INT64 : IG_FLOAT;
                t->rank = 0;
                t->nval = 1;
                t->val[0] = ig_clamp(is_int ? (double)ap->i : ap->f);
                t->is_const = 1;
            } else if (strcmp(ap->name, "value_ints") == 0 ||
                       strcmp(ap->name, "value_floats") == 0) {
                int is_int = ap->name[6] == 'i';
                size_t cnt = is_int ? ap->n_ints : ap->n_floats;
                t->dtype = is_int ? IG_INT64 : IG_FLOAT;
                t->rank = 1;
                t->dims[0] = (int64_t)cnt;
                t->is_const = 1;
                if (cnt <= IG_MAX_VALUES) {
                    for (size_t j = 0; j < cnt; j++)
                        t->val[j] = ig_clamp(is_int ? (double)ap->ints[j] : ap->floats[j]);
                    t->nval = (int)cnt;
                }
            }
        }
    }
    return 0;
}

int onnx_parse(const char *name, const uint8_t *buf, size_t len, ig_graph_t *g, diag_t *d)
{
    Onnx__ModelProto *m;
    const Onnx__GraphProto *gp;

    ig_init(g, name);
    m = onnx__model_proto__unpack(NULL, len, buf);
    if (m == NULL)
        return diag_error(d, name, 0, 0,
                          "not an ONNX model: the protobuf data is truncated or corrupt "
                          "(expected a ModelProto, onnx.proto)");
    g->source = m;
    g->source_free = free_model;
    gp = m->graph;
    if (gp == NULL || gp->n_node == 0)
        return diag_error(d, name, 0, 0, "the model has no graph%s; expected a ModelProto "
                          "with the nodes of its graph", gp ? " nodes" : "");
    if (gp->n_node > 1000000)
        return diag_error(d, name, 0, 0, "the graph has %zu nodes; expected at most 1000000",
                          gp->n_node);
    for (size_t i = 0; i < gp->n_initializer; i++) {
        const Onnx__TensorProto *tp = gp->initializer[i];
        int k;
        if (tp->name == NULL || tp->name[0] == '\0')
            return diag_error(d, name, 0, 0, "initializer %zu has no name", i);
        if ((k = ig_tensor(g, tp->name)) < 0)
            return diag_error(d, name, 0, 0, "internal error: out of memory");
        g->t[k].kind = IG_WEIGHT;
        if (set_tensor(g, k, tp, "initializer", d) != 0)
            return DIAG_ERR;
    }
    g->inputs = ig_alloc(g, (gp->n_input + 1) * sizeof *g->inputs);
    if (g->inputs == NULL)
        return diag_error(d, name, 0, 0, "internal error: out of memory");
    for (size_t i = 0; i < gp->n_input; i++) {
        const Onnx__ValueInfoProto *vi = gp->input[i];
        int k;
        if (vi->name == NULL || vi->name[0] == '\0')
            return diag_error(d, name, 0, 0, "graph input %zu has no name", i);
        if ((k = ig_tensor(g, vi->name)) < 0)
            return diag_error(d, name, 0, 0, "internal error: out of memory");
        if (g->t[k].kind == IG_WEIGHT)
            continue;   /* older exporters list the initializers among the inputs */
        g->t[k].kind = IG_INPUT;
        if (set_input(g, k, vi, d) != 0)
            return DIAG_ERR;
        g->t[k].decl_rank = g->t[k].rank;
        memcpy(g->t[k].decl, g->t[k].dims, sizeof g->t[k].decl);
        g->inputs[g->ninputs++] = k;
    }
    g->n = ig_alloc(g, gp->n_node * sizeof *g->n);
    if (g->n == NULL)
        return diag_error(d, name, 0, 0, "internal error: out of memory");
    g->nn = (int)gp->n_node;
    for (size_t i = 0; i < gp->n_node; i++)
        if (read_node(g, (int)i, gp->node[i], d) != 0)
            return DIAG_ERR;
    for (size_t i = 0; i < gp->n_output; i++) {
        int k;
        if (gp->output[i]->name == NULL || (k = ig_find(g, gp->output[i]->name)) < 0)
            return diag_error(d, name, 0, 0, "graph output '%s' is made by no node",
                              gp->output[i]->name ? gp->output[i]->name : "");
        g->t[k].is_output = 1;
    }
    return ig_order(g, d);
}

int onnx_read(const char *path, ig_graph_t *g, diag_t *d)
{
    char *text = NULL;
    size_t len = 0;
    int rc;
    if (slurp_file(path, "ONNX model", ONNX_MAX_BYTES, &text, &len, d) != 0) {
        ig_init(g, path);
        return DIAG_ERR;
    }
    rc = onnx_parse(path, (const uint8_t *)text, len, g, d);
    free(text);   /* protobuf-c copied what it kept */
    return rc;
}

#endif
