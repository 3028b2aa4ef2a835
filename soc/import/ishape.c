/*
 * ishape: shape propagation over the importer's graph, node by node in order.
 *
 * Each known operator has a rule from ONNX's operator specification (onnx/docs/
 * Operators.md): broadcasting for element-wise ops, the window arithmetic of Conv and
 * pooling (explicit pads, auto_pad, ceil_mode, dilations), Gemm's and MatMul's products,
 * Reshape's 0 and -1, Slice's clamped bounds, and so on. Shapes that hang on values
 * (Reshape's shape, Resize's scales, Slice's bounds, Split's sizes) are read from the
 * small constants the reader kept, and the ops that compute shapes at run time in an
 * export (Shape, Gather, Concat, Unsqueeze, Cast, integer arithmetic) are folded when
 * their inputs are known, so a traced `x.view(x.size(0), -1)` is worked out too.
 *
 * An op the importer does not know keeps the shape of its first input: the lowering
 * models it as element-wise (and lists it). A value that cannot be worked out, an input
 * whose shape is unknown or does not fit the op, is an error naming the node, its op and
 * what was expected.
 */
#include "soc/import/ishape.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXR IG_MAX_RANK

typedef struct ctx {
    ig_graph_t *g;
    const ig_node_t *n;
    diag_t *d;
} ctx_t;

static int fail(ctx_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(ctx_t *c, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return diag_error(c->d, c->g->file, 0, 0, "node '%s' (%s): %s", c->n->name, c->n->op, msg);
}

/* Input i, or NULL when left out. */
static ig_tensor_t *in(ctx_t *c, int i)
{
    return i < c->n->nin && c->n->in[i] >= 0 ? &c->g->t[c->n->in[i]] : NULL;
}

static ig_tensor_t *out(ctx_t *c, int i)
{
    return i < c->n->nout && c->n->out[i] >= 0 ? &c->g->t[c->n->out[i]] : NULL;
}

/* Input i, which must be there with a known shape. */
static int need(ctx_t *c, int i, ig_tensor_t **t)
{
    *t = in(c, i);
    if (*t == NULL)
        return fail(c, "input %d is missing; expected a tensor", i);
    if ((*t)->rank < 0)
        return fail(c, "the shape of input '%s' is not known; expected it from the node "
                       "that makes it or from --shape", (*t)->name);
    return 0;
}

/* Input i's values (a constant such as a shape, axes or scales). */
static int need_values(ctx_t *c, int i, const char *what, ig_tensor_t **t)
{
    if (need(c, i, t))
        return DIAG_ERR;
    if ((*t)->nval != (int)ig_elements(*t))
        return fail(c, "its %s ('%s') is not a constant; expected values known before "
                       "the model runs (an initializer or a folded expression)", what,
                    (*t)->name);
    return 0;
}

static void set_shape(ig_tensor_t *o, int dtype, int rank, const int64_t *dims)
{
    o->dtype = dtype;
    o->rank = rank;
    for (int i = 0; i < rank; i++)
        o->dims[i] = dims[i];
}

static int check_out(ctx_t *c, ig_tensor_t *o)
{
    for (int i = 0; i < o->rank; i++)
        if (o->dims[i] < 0 || o->dims[i] > ((int64_t)1 << 40))
            return fail(c, "output '%s' would have dimension %d = %" PRId64 "; expected a "
                           "size from 0 to 2^40", o->name, i, o->dims[i]);
    if (ig_elements(o) > 1e15)
        return fail(c, "output '%s' would hold more than 10^15 elements", o->name);
    return 0;
}

/* Normalise an axis of a rank-r tensor. */
static int axis_of(ctx_t *c, int64_t a, int r, int *axis)
{
    if (a < -r || a >= (r > 0 ? r : 1))
        return fail(c, "axis %" PRId64 " is outside a tensor of rank %d", a, r);
    *axis = (int)(a < 0 ? a + r : a);
    return 0;
}

/* ---------------------------------------------------------------- element-wise */

/* Numpy broadcasting of every present input onto out[0]; values folded for a few ops. */
static int broadcast(ctx_t *c, int dtype_from)
{
    int64_t dims[MAXR];
    int rank = 0, first = 1;
    ig_tensor_t *o = out(c, 0), *t;
    for (int i = 0; i < c->n->nin; i++) {
        if ((t = in(c, i)) == NULL)
            continue;
        if (t->rank < 0)
            return need(c, i, &t);
        if (first) {
            rank = t->rank;
            memcpy(dims, t->dims, sizeof dims);
            first = 0;
            continue;
        }
        if (t->rank > rank) {   /* right-align */
            int sh = t->rank - rank;
            memmove(dims + sh, dims, (size_t)rank * sizeof *dims);
            for (int k = 0; k < sh; k++)
                dims[k] = 1;
            rank = t->rank;
        }
        for (int k = 0; k < t->rank; k++) {
            int64_t a = dims[rank - t->rank + k], b = t->dims[k];
            if (a == b || b == 1)
                continue;
            if (a == 1)
                dims[rank - t->rank + k] = b;
            else
                return fail(c, "inputs cannot be broadcast: dimension %" PRId64 " against %"
                               PRId64 " in '%s'", a, b, t->name);
        }
    }
    if (first || o == NULL)
        return fail(c, "expected at least one input and one output");
    t = in(c, dtype_from) ? in(c, dtype_from) : in(c, 0);
    set_shape(o, t ? t->dtype : IG_FLOAT, rank, dims);
    return check_out(c, o);
}

/* Integer arithmetic of shape computations: Add Sub Mul Div on known values. */
static void fold_arith(ctx_t *c)
{
    ig_tensor_t *a = in(c, 0), *b = in(c, 1), *o = out(c, 0);
    int n = (int)ig_elements(o);
    if (a == NULL || b == NULL || o == NULL || n > IG_MAX_VALUES || a->nval == 0 ||
        b->nval == 0 || a->nval != (int)ig_elements(a) || b->nval != (int)ig_elements(b))
        return;
    for (int i = 0; i < n; i++) {
        double x = a->val[a->nval == 1 ? 0 : i % a->nval];
        double y = b->val[b->nval == 1 ? 0 : i % b->nval];
        switch (c->n->op[0]) {
        case 'A': o->val[i] = x + y; break;
        case 'S': o->val[i] = x - y; break;
        case 'M': o->val[i] = x * y; break;
        default:
            if (y == 0)
                return;
            o->val[i] = x / y;
            if (o->dtype == IG_INT64 || o->dtype == IG_INT32)
                o->val[i] = floor(o->val[i]);
            break;
        }
    }
    for (int i = 0; i < n; i++)
        o->val[i] = ig_clamp(o->val[i]);
    o->nval = n;
}

static void copy_values(ig_tensor_t *o, const ig_tensor_t *t)
{
    if (t->nval > 0 && t->nval == (int)ig_elements(o)) {
        memcpy(o->val, t->val, (size_t)t->nval * sizeof *o->val);
        o->nval = t->nval;
    }
}

/* The output has the shape of input 0 (an activation, a normalisation, a cast). */
static int same_shape(ctx_t *c, int dtype)
{
    ig_tensor_t *x, *o = out(c, 0);
    if (need(c, 0, &x))
        return DIAG_ERR;
    if (o == NULL)
        return fail(c, "expected an output");
    set_shape(o, dtype > 0 ? dtype : x->dtype, x->rank, x->dims);
    copy_values(o, x);
    return 0;
}

/* ---------------------------------------------------------------- windows */

static int ints_attr(const ig_node_t *n, const char *name, int64_t *v, int count, int64_t dflt)
{
    const ig_attr_t *a = ig_attr(n, name);
    for (int i = 0; i < count; i++)
        v[i] = dflt;
    if (a == NULL || a->type != IG_A_INTS)
        return 0;
    for (int i = 0; i < count && i < a->n; i++)
        v[i] = a->ints[i];
    return a->n;
}

/* Conv / pooling output size along each spatial axis (ONNX's formulas). The window
 * geometry goes to `geom` for the lowering: kernel, stride, begin and end pads, dilation. */
static int window(ctx_t *c, const ig_tensor_t *x, const int64_t *kernel, int64_t *odims,
                  int transpose)
{
    int sp = x->rank - 2;
    int64_t strides[MAXR], dil[MAXR], pads[2 * MAXR], outpad[MAXR];
    int ceil_mode = (int)ig_attr_int(c->n, "ceil_mode", 0);
    ints_attr(c->n, "strides", strides, sp, 1);
    ints_attr(c->n, "dilations", dil, sp, 1);
    ints_attr(c->n, "pads", pads, 2 * sp, 0);
    ints_attr(c->n, "output_padding", outpad, sp, 0);
    for (int i = 0; i < 2 * sp; i++)
        if (pads[i] < 0 || pads[i] > ((int64_t)1 << 30))
            return fail(c, "pads must be 0 to 2^30, got %" PRId64, pads[i]);
    for (int i = 0; i < sp; i++) {
        int64_t in_sz = x->dims[2 + i], ek, o;
        if (strides[i] < 1 || dil[i] < 1 || kernel[i] < 1 || strides[i] > (1 << 20) ||
            dil[i] > (1 << 20) || kernel[i] > (1 << 20) || outpad[i] < 0 ||
            outpad[i] > (1 << 20))
            return fail(c, "strides, dilations and kernel must be 1 to 2^20 (output padding "
                           "0 to 2^20)");
        ek = dil[i] * (kernel[i] - 1) + 1;
        if (transpose) {
            o = strides[i] * (in_sz - 1) + outpad[i] + ek - pads[i] - pads[sp + i];
            if (!ig_attr_is(c->n, "auto_pad", "NOTSET", 1) &&
                !ig_attr_is(c->n, "auto_pad", "VALID", 0))
                o = in_sz * strides[i];
        } else if (ig_attr_is(c->n, "auto_pad", "SAME_UPPER", 0) ||
                   ig_attr_is(c->n, "auto_pad", "SAME_LOWER", 0)) {
            o = (in_sz + strides[i] - 1) / strides[i];
        } else {
            int64_t span = in_sz + pads[i] + pads[sp + i] - ek;
            if (ig_attr_is(c->n, "auto_pad", "VALID", 0))
                span = in_sz - ek;
            if (span < 0)
                return fail(c, "its window (%" PRId64 " with dilation) is larger than the "
                               "padded input (%" PRId64 ") along spatial axis %d",
                            ek, in_sz + pads[i] + pads[sp + i], i);
            o = (ceil_mode ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1;
        }
        odims[2 + i] = o;
    }
    return 0;
}

static int shape_conv(ctx_t *c, int transpose)
{
    ig_tensor_t *x, *w, *o = out(c, 0);
    int64_t dims[MAXR], kernel[MAXR], group = ig_attr_int(c->n, "group", 1);
    if (need(c, 0, &x) || need(c, 1, &w))
        return DIAG_ERR;
    if (x->rank < 3 || x->rank > 5 || w->rank != x->rank)
        return fail(c, "input '%s' has rank %d and weights '%s' rank %d; expected both of "
                       "rank 3 to 5 (N, C, spatial)", x->name, x->rank, w->name, w->rank);
    if (group < 1 || x->dims[1] % group)
        return fail(c, "group = %" PRId64 " must divide the %" PRId64 " input channels",
                    group, x->dims[1]);
    if (!transpose && w->dims[1] * group != x->dims[1])
        return fail(c, "the input has %" PRId64 " channels; the weights '%s' expect %" PRId64
                       " x group %" PRId64, x->dims[1], w->name, w->dims[1], group);
    if (transpose && w->dims[0] != x->dims[1])
        return fail(c, "the input has %" PRId64 " channels; the weights '%s' expect %" PRId64,
                    x->dims[1], w->name, w->dims[0]);
    for (int i = 0; i < x->rank - 2; i++)
        kernel[i] = w->dims[2 + i];
    ints_attr(c->n, "kernel_shape", kernel, x->rank - 2, 0);
    for (int i = 0; i < x->rank - 2; i++)
        if (kernel[i] == 0)
            kernel[i] = w->dims[2 + i];
    dims[0] = x->dims[0];
    dims[1] = transpose ? w->dims[1] * group : w->dims[0];
    if (window(c, x, kernel, dims, transpose))
        return DIAG_ERR;
    if (transpose && ig_attr(c->n, "output_shape") != NULL) {
        int64_t os[MAXR];
        ints_attr(c->n, "output_shape", os, x->rank - 2, 0);
        for (int i = 0; i < x->rank - 2; i++)
            dims[2 + i] = os[i];
    }
    set_shape(o, x->dtype, x->rank, dims);
    return check_out(c, o);
}

static int shape_pool(ctx_t *c, int global)
{
    ig_tensor_t *x, *o = out(c, 0);
    int64_t dims[MAXR], kernel[MAXR];
    if (need(c, 0, &x))
        return DIAG_ERR;
    if (x->rank < 3)
        return fail(c, "input '%s' has rank %d; expected N, C and spatial axes", x->name,
                    x->rank);
    memcpy(dims, x->dims, sizeof dims);
    if (global) {
        for (int i = 2; i < x->rank; i++)
            dims[i] = 1;
    } else {
        if (ints_attr(c->n, "kernel_shape", kernel, x->rank - 2, 0) != x->rank - 2)
            return fail(c, "kernel_shape has not %d values; expected one per spatial axis",
                        x->rank - 2);
        if (window(c, x, kernel, dims, 0))
            return DIAG_ERR;
    }
    set_shape(o, x->dtype, x->rank, dims);
    if (out(c, 1))   /* MaxPool's indices */
        set_shape(out(c, 1), IG_INT64, x->rank, dims);
    return check_out(c, o);
}

/* ---------------------------------------------------------------- products */

static int shape_gemm(ctx_t *c)
{
    ig_tensor_t *a, *b, *o = out(c, 0);
    int ta = (int)ig_attr_int(c->n, "transA", 0), tb = (int)ig_attr_int(c->n, "transB", 0);
    int64_t dims[2];
    if (need(c, 0, &a) || need(c, 1, &b))
        return DIAG_ERR;
    if (a->rank != 2 || b->rank != 2)
        return fail(c, "inputs of rank %d and %d; expected two matrices", a->rank, b->rank);
    if (a->dims[ta ? 0 : 1] != b->dims[tb ? 1 : 0])
        return fail(c, "A is %" PRId64 "x%" PRId64 " and B %" PRId64 "x%" PRId64
                       " (transA %d, transB %d); expected matching inner dimensions",
                    a->dims[0], a->dims[1], b->dims[0], b->dims[1], ta, tb);
    dims[0] = a->dims[ta ? 1 : 0];
    dims[1] = b->dims[tb ? 0 : 1];
    set_shape(o, a->dtype, 2, dims);
    return check_out(c, o);
}

static int shape_matmul(ctx_t *c)
{
    ig_tensor_t *a, *b, *o = out(c, 0);
    int64_t da[MAXR], db[MAXR], dims[MAXR];
    int ra, rb, r;
    if (need(c, 0, &a) || need(c, 1, &b))
        return DIAG_ERR;
    if (a->rank < 1 || b->rank < 1)
        return fail(c, "expected inputs of rank 1 or more");
    /* 1-D operands are promoted to matrices (and the added axis dropped after). */
    ra = a->rank == 1 ? 2 : a->rank;
    rb = b->rank == 1 ? 2 : b->rank;
    if (a->rank == 1) { da[0] = 1; da[1] = a->dims[0]; } else memcpy(da, a->dims, sizeof da);
    if (b->rank == 1) { db[0] = b->dims[0]; db[1] = 1; } else memcpy(db, b->dims, sizeof db);
    if (da[ra - 1] != db[rb - 2])
        return fail(c, "'%s' has %" PRId64 " columns and '%s' %" PRId64 " rows; expected "
                       "them equal", a->name, da[ra - 1], b->name, db[rb - 2]);
    r = ra > rb ? ra : rb;
    for (int i = 0; i < r - 2; i++) {   /* broadcast the batch axes */
        int ia = i - (r - ra), ib = i - (r - rb);
        int64_t x = ia >= 0 ? da[ia] : 1, y = ib >= 0 ? db[ib] : 1;
        if (x != y && x != 1 && y != 1)
            return fail(c, "batch dimensions %" PRId64 " and %" PRId64 " cannot be broadcast",
                        x, y);
        dims[i] = x == 1 ? y : x;
    }
    dims[r - 2] = da[ra - 2];
    dims[r - 1] = db[rb - 1];
    if (b->rank == 1)
        r--;
    else if (a->rank == 1) {
        dims[r - 2] = dims[r - 1];
        r--;
    }
    set_shape(o, a->dtype, r, dims);
    return check_out(c, o);
}

/* Einsum as a (batched) matrix product: "bij,bjk->bik", "bhqd,bhkd->bhqk", ... */
static int shape_einsum(ctx_t *c)
{
    const ig_attr_t *eq = ig_attr(c->n, "equation");
    char buf[128], *arrow, *comma, *ins[2];
    int64_t size[128];
    ig_tensor_t *t[2], *o = out(c, 0);
    int64_t dims[MAXR];
    int r = 0;
    if (eq == NULL || eq->type != IG_A_STRING || eq->slen == 0 || eq->slen >= sizeof buf)
        return fail(c, "expected an equation attribute");
    if (c->n->nin != 2 || need(c, 0, &t[0]) || need(c, 1, &t[1]))
        return c->d->set ? DIAG_ERR : fail(c, "expected two inputs (a matrix product)");
    memcpy(buf, eq->s, eq->slen);
    buf[eq->slen] = '\0';
    for (char *p = buf, *q = buf;; p++) {   /* drop spaces */
        if (*p != ' ')
            *q++ = *p;
        if (*p == '\0')
            break;
    }
    arrow = strstr(buf, "->");
    comma = strchr(buf, ',');
    if (arrow == NULL || comma == NULL || comma > arrow || strchr(buf, '.'))
        return fail(c, "equation '%s': expected two operands and an explicit output "
                       "(\"ab,bc->ac\"), without ellipsis", buf);
    *comma = '\0';
    *arrow = '\0';
    ins[0] = buf;
    ins[1] = comma + 1;
    for (int i = 0; i < 128; i++)
        size[i] = -1;
    for (int k = 0; k < 2; k++) {
        if ((int)strlen(ins[k]) != t[k]->rank)
            return fail(c, "equation operand '%s' has %zu letters; input '%s' has rank %d",
                        ins[k], strlen(ins[k]), t[k]->name, t[k]->rank);
        for (int i = 0; ins[k][i]; i++) {
            unsigned char l = (unsigned char)ins[k][i];
            if (l >= 128 || !((l >= 'a' && l <= 'z') || (l >= 'A' && l <= 'Z')))
                return fail(c, "equation: '%c' is not a letter", l);
            if (size[l] >= 0 && size[l] != t[k]->dims[i] && size[l] != 1 && t[k]->dims[i] != 1)
                return fail(c, "equation: '%c' is %" PRId64 " and %" PRId64, l, size[l],
                            t[k]->dims[i]);
            if (size[l] < t[k]->dims[i])
                size[l] = t[k]->dims[i];
        }
    }
    for (char *p = arrow + 2; *p; p++) {
        unsigned char l = (unsigned char)*p;
        if (l >= 128 || size[l] < 0 || r >= MAXR)
            return fail(c, "equation: output letter '%c' is in no operand", l);
        dims[r++] = size[l];
    }
    set_shape(o, t[0]->dtype, r, dims);
    return check_out(c, o);
}

/* ---------------------------------------------------------------- layout */

static int shape_concat(ctx_t *c)
{
    ig_tensor_t *t, *o = out(c, 0), *first = NULL;
    int64_t dims[MAXR];
    int axis = 0, vals = 1, nv = 0;
    for (int i = 0; i < c->n->nin; i++) {
        if (need(c, i, &t))
            return DIAG_ERR;
        if (first == NULL) {
            first = t;
            if (axis_of(c, ig_attr_int(c->n, "axis", 0), t->rank, &axis))
                return DIAG_ERR;
            memcpy(dims, t->dims, sizeof dims);
            dims[axis] = 0;
        }
        if (t->rank != first->rank)
            return fail(c, "input '%s' has rank %d, '%s' rank %d; expected equal ranks",
                        t->name, t->rank, first->name, first->rank);
        for (int k = 0; k < t->rank; k++)
            if (k != axis && t->dims[k] != first->dims[k])
                return fail(c, "input '%s' is %" PRId64 " along axis %d, '%s' %" PRId64
                               "; expected equal sizes off the concatenation axis",
                            t->name, t->dims[k], k, first->name, first->dims[k]);
        dims[axis] += t->dims[axis];
        if (t->nval != (int)ig_elements(t) || (t->nval == 0 && ig_elements(t) > 0))
            vals = 0;
    }
    if (first == NULL)
        return fail(c, "expected at least one input");
    set_shape(o, first->dtype, first->rank, dims);
    if (vals && first->rank == 1 && ig_elements(o) <= IG_MAX_VALUES) {
        for (int i = 0; i < c->n->nin; i++)
            for (int k = 0; k < in(c, i)->nval; k++)
                o->val[nv++] = in(c, i)->val[k];
        o->nval = nv;
    }
    return check_out(c, o);
}

static int shape_split(ctx_t *c)
{
    ig_tensor_t *x, *s = in(c, 1);
    int axis = 0, nout = c->n->nout;
    int64_t sizes[64], total = 0;
    if (need(c, 0, &x) || axis_of(c, ig_attr_int(c->n, "axis", 0), x->rank, &axis))
        return DIAG_ERR;
    if (nout < 1 || nout > 64)
        return fail(c, "has %d outputs; expected 1 to 64", nout);
    if (s != NULL) {
        if (need_values(c, 1, "split", &s))
            return DIAG_ERR;
        if (s->nval != nout)
            return fail(c, "split has %d sizes for %d outputs", s->nval, nout);
        for (int i = 0; i < nout; i++)
            sizes[i] = (int64_t)s->val[i];
    } else if (ints_attr(c->n, "split", sizes, nout, 0) == 0) {
        int64_t each = (x->dims[axis] + nout - 1) / nout;   /* the last may be smaller */
        for (int i = 0; i < nout; i++)
            sizes[i] = i < nout - 1 ? each : x->dims[axis] - each * (nout - 1);
    }
    for (int i = 0; i < nout; i++) {
        if (sizes[i] < 0 || sizes[i] > x->dims[axis])
            return fail(c, "split size %" PRId64 " is outside 0..%" PRId64, sizes[i],
                        x->dims[axis]);
        total += sizes[i];
    }
    if (total != x->dims[axis])
        return fail(c, "the sizes add up to %" PRId64 "; the input has %" PRId64 " along "
                       "axis %d", total, x->dims[axis], axis);
    for (int i = 0; i < nout; i++) {
        ig_tensor_t *o = out(c, i);
        if (o == NULL)
            continue;
        set_shape(o, x->dtype, x->rank, x->dims);
        o->dims[axis] = sizes[i];
        if (check_out(c, o))
            return DIAG_ERR;
    }
    return 0;
}

static int shape_slice(ctx_t *c)
{
    ig_tensor_t *x, *o = out(c, 0), *t;
    double st[MAXR], en[MAXR], step[MAXR];
    int axes[MAXR], n;
    int64_t a[MAXR];
    if (need(c, 0, &x))
        return DIAG_ERR;
    if (c->n->nin >= 3) {   /* opset 10+: starts, ends, axes, steps as inputs */
        ig_tensor_t *s, *e;
        if (need_values(c, 1, "starts", &s) || need_values(c, 2, "ends", &e))
            return DIAG_ERR;
        n = s->nval;
        if (e->nval != n || n > x->rank)
            return fail(c, "starts and ends have %d and %d values; expected as many, at most "
                           "the rank %d", n, e->nval, x->rank);
        for (int i = 0; i < n; i++) {
            st[i] = s->val[i];
            en[i] = e->val[i];
            axes[i] = i;
            step[i] = 1;
        }
        if ((t = in(c, 3)) != NULL) {
            if (need_values(c, 3, "axes", &t))
                return DIAG_ERR;
            if (t->nval != n)
                return fail(c, "axes has %d values; expected %d", t->nval, n);
            for (int i = 0; i < n; i++)
                if (axis_of(c, (int64_t)t->val[i], x->rank, &axes[i]))
                    return DIAG_ERR;
        }
        if ((t = in(c, 4)) != NULL) {
            if (need_values(c, 4, "steps", &t))
                return DIAG_ERR;
            if (t->nval != n)
                return fail(c, "steps has %d values; expected %d", t->nval, n);
            for (int i = 0; i < n; i++)
                step[i] = t->val[i];
        }
    } else {                /* opset 1-9: attributes */
        int64_t s64[MAXR], e64[MAXR];
        n = ints_attr(c->n, "starts", s64, MAXR, 0);
        if (n == 0 || ints_attr(c->n, "ends", e64, MAXR, 0) != n || n > x->rank)
            return fail(c, "expected starts and ends of equal length, at most the rank");
        for (int i = 0; i < n; i++) {
            st[i] = (double)s64[i];
            en[i] = (double)e64[i];
            step[i] = 1;
            axes[i] = i;
        }
        if (ints_attr(c->n, "axes", a, n, 0) == n)
            for (int i = 0; i < n; i++)
                if (axis_of(c, a[i], x->rank, &axes[i]))
                    return DIAG_ERR;
    }
    set_shape(o, x->dtype, x->rank, x->dims);
    for (int i = 0; i < n; i++) {
        double dim = (double)x->dims[axes[i]], b = st[i], e = en[i], cnt;
        if (step[i] == 0)
            return fail(c, "a step is 0; expected a non-zero step");
        if (b < 0) b += dim;
        if (e < 0) e += dim;
        if (step[i] > 0) {
            b = b < 0 ? 0 : b > dim ? dim : b;
            e = e < 0 ? 0 : e > dim ? dim : e;
            cnt = e > b ? ceil((e - b) / step[i]) : 0;
        } else {
            b = b < 0 ? -1 : b > dim - 1 ? dim - 1 : b;
            e = e < -1 ? -1 : e > dim - 1 ? dim - 1 : e;
            cnt = b > e ? ceil((b - e) / -step[i]) : 0;
        }
        o->dims[axes[i]] = (int64_t)cnt;
        /* A slice of a 1-D constant (a shape) keeps its values. */
        if (x->rank == 1 && x->nval == (int)dim && cnt <= IG_MAX_VALUES) {
            for (int k = 0; k < (int)cnt; k++)
                o->val[k] = x->val[(int)(b + k * step[i])];
            o->nval = (int)cnt;
        }
    }
    return check_out(c, o);
}

static int shape_reshape(ctx_t *c)
{
    ig_tensor_t *x, *s, *o = out(c, 0);
    int64_t dims[MAXR];
    double known = 1;
    int infer = -1, allowzero = (int)ig_attr_int(c->n, "allowzero", 0);
    if (need(c, 0, &x) || need_values(c, 1, "shape", &s))
        return DIAG_ERR;
    if (s->nval > MAXR)
        return fail(c, "the shape has %d values; expected at most %d", s->nval, MAXR);
    for (int i = 0; i < s->nval; i++) {
        int64_t v = (int64_t)s->val[i];
        if (v == 0 && !allowzero) {
            if (i >= x->rank)
                return fail(c, "shape value 0 at %d copies a dimension the input (rank %d) "
                               "lacks", i, x->rank);
            v = x->dims[i];
        }
        if (v == -1) {
            if (infer >= 0)
                return fail(c, "the shape has two -1 values; expected at most one");
            infer = i;
            v = 1;
        } else if (v < 0) {
            return fail(c, "shape value %" PRId64 "; expected -1, 0 or a size", v);
        }
        dims[i] = v;
        known *= (double)v;
    }
    if (infer >= 0) {
        if (known == 0 || fmod(ig_elements(x), known) != 0)
            return fail(c, "cannot reshape %.0f elements with a -1 among sizes whose product "
                           "is %.0f", ig_elements(x), known);
        dims[infer] = (int64_t)(ig_elements(x) / known);
        known = ig_elements(x);
    }
    if (known != ig_elements(x)) {
        char a[96];
        ig_dims_str(x, a, sizeof a);
        return fail(c, "cannot reshape '%s' (%s, %.0f elements) to %.0f elements; a shape "
                       "written for another batch? (try --batch as exported)", x->name, a,
                    ig_elements(x), known);
    }
    set_shape(o, x->dtype, s->nval, dims);
    copy_values(o, x);
    return check_out(c, o);
}

static int shape_flatten(ctx_t *c)
{
    ig_tensor_t *x, *o = out(c, 0);
    int64_t dims[2] = {1, 1}, a = ig_attr_int(c->n, "axis", 1);
    if (need(c, 0, &x))
        return DIAG_ERR;
    if (a < 0)
        a += x->rank;
    if (a < 0 || a > x->rank)
        return fail(c, "axis %" PRId64 " is outside rank %d", a, x->rank);
    for (int i = 0; i < x->rank; i++)
        dims[i < a ? 0 : 1] *= x->dims[i];
    set_shape(o, x->dtype, 2, dims);
    return 0;
}

/* Squeeze (unsq = 0) and Unsqueeze (unsq = 1): axes from input 1 (opset 13) or attribute. */
static int shape_squeeze(ctx_t *c, int unsq)
{
    ig_tensor_t *x, *at, *o = out(c, 0);
    int64_t axes[MAXR], dims[MAXR];
    int na = 0, mark[MAXR] = {0}, r;
    if (need(c, 0, &x))
        return DIAG_ERR;
    if ((at = in(c, 1)) != NULL) {
        if (need_values(c, 1, "axes", &at))
            return DIAG_ERR;
        na = at->nval > MAXR ? MAXR : at->nval;
        for (int i = 0; i < na; i++)
            axes[i] = (int64_t)at->val[i];
    } else {
        na = ints_attr(c->n, "axes", axes, MAXR, 0);
        na = na > MAXR ? MAXR : na;
    }
    r = unsq ? x->rank + na : x->rank;
    if (r > MAXR)
        return fail(c, "the result would have rank %d; expected at most %d", r, MAXR);
    for (int i = 0; i < na; i++) {
        int ax = 0;
        if (axis_of(c, axes[i], r, &ax))
            return DIAG_ERR;
        mark[ax] = 1;
    }
    if (unsq) {
        for (int i = 0, k = 0; i < r; i++)
            dims[i] = mark[i] ? 1 : x->dims[k++];
    } else {
        r = 0;
        for (int i = 0; i < x->rank; i++) {
            if (na == 0 ? x->dims[i] == 1 : mark[i]) {
                if (x->dims[i] != 1)
                    return fail(c, "axis %d has size %" PRId64 "; expected 1 to squeeze", i,
                                x->dims[i]);
                continue;
            }
            dims[r++] = x->dims[i];
        }
    }
    set_shape(o, x->dtype, r, dims);
    copy_values(o, x);
    return 0;
}

static int shape_transpose(ctx_t *c)
{
    ig_tensor_t *x, *o = out(c, 0);
    int64_t perm[MAXR], dims[MAXR];
    int used[MAXR] = {0};
    if (need(c, 0, &x))
        return DIAG_ERR;
    for (int i = 0; i < x->rank; i++)
        perm[i] = x->rank - 1 - i;
    if (ig_attr(c->n, "perm") && ints_attr(c->n, "perm", perm, x->rank, 0) != x->rank)
        return fail(c, "perm has not %d values; expected a permutation of the axes", x->rank);
    for (int i = 0; i < x->rank; i++) {
        if (perm[i] < 0 || perm[i] >= x->rank || used[perm[i]]++)
            return fail(c, "perm is not a permutation of 0..%d", x->rank - 1);
        dims[i] = x->dims[perm[i]];
    }
    set_shape(o, x->dtype, x->rank, dims);
    return 0;
}

static int shape_resize(ctx_t *c)
{
    ig_tensor_t *x, *o = out(c, 0), *sc, *sz;
    int64_t dims[MAXR];
    int upsample = strcmp(c->n->op, "Upsample") == 0;
    if (need(c, 0, &x))
        return DIAG_ERR;
    /* Resize: X, roi, scales, sizes (opset 11+) or X, scales (opset 10); Upsample: X, scales. */
    sc = in(c, upsample || c->n->nin == 2 ? 1 : 2);
    sz = upsample ? NULL : in(c, 3);
    memcpy(dims, x->dims, sizeof dims);
    if (sz != NULL && ig_elements(sz) > 0) {
        if (need_values(c, 3, "sizes", &sz))
            return DIAG_ERR;
        if (sz->nval != x->rank)
            return fail(c, "sizes has %d values for rank %d", sz->nval, x->rank);
        for (int i = 0; i < x->rank; i++)
            dims[i] = (int64_t)sz->val[i];
    } else if (sc != NULL && ig_elements(sc) > 0) {
        int idx = upsample || c->n->nin == 2 ? 1 : 2;
        if (need_values(c, idx, "scales", &sc))
            return DIAG_ERR;
        if (sc->nval != x->rank)
            return fail(c, "scales has %d values for rank %d", sc->nval, x->rank);
        for (int i = 0; i < x->rank; i++) {
            double v = floor((double)x->dims[i] * sc->val[i] + 1e-9);
            if (!(sc->val[i] > 0) || v > (double)IG_MAX_DIM)
                return fail(c, "scale %g; expected above 0, to a size of at most 2^40",
                            sc->val[i]);
            dims[i] = (int64_t)v;
        }
    } else if (ig_attr(c->n, "scales") != NULL) {   /* Upsample opset 7-8 */
        const ig_attr_t *a = ig_attr(c->n, "scales");
        if (a->type != IG_A_FLOATS || a->n != x->rank)
            return fail(c, "scales must have one value per axis");
        for (int i = 0; i < x->rank; i++) {
            double v = floor((double)x->dims[i] * a->floats[i] + 1e-9);
            if (!(v >= 0 && v <= (double)IG_MAX_DIM))
                return fail(c, "scales must give sizes of 0 to 2^40");
            dims[i] = (int64_t)v;
        }
    } else {
        return fail(c, "expected scales or sizes");
    }
    set_shape(o, x->dtype, x->rank, dims);
    return check_out(c, o);
}

static int shape_reduce(ctx_t *c, int arg)
{
    ig_tensor_t *x, *at, *o = out(c, 0);
    int64_t axes[MAXR], dims[MAXR];
    int na, mark[MAXR] = {0}, r = 0, keep = (int)ig_attr_int(c->n, "keepdims", 1);
    if (need(c, 0, &x))
        return DIAG_ERR;
    if (arg) {
        axes[0] = ig_attr_int(c->n, "axis", 0);
        na = 1;
    } else if ((at = in(c, 1)) != NULL) {
        if (need_values(c, 1, "axes", &at))
            return DIAG_ERR;
        na = at->nval > MAXR ? MAXR : at->nval;
        for (int i = 0; i < na; i++)
            axes[i] = (int64_t)at->val[i];
    } else {
        na = ints_attr(c->n, "axes", axes, MAXR, 0);
        na = na > MAXR ? MAXR : na;
    }
    for (int i = 0; i < na; i++) {
        int ax = 0;
        if (axis_of(c, axes[i], x->rank, &ax))
            return DIAG_ERR;
        mark[ax] = 1;
    }
    for (int i = 0; i < x->rank; i++) {
        int reduced = na == 0 ? !ig_attr_int(c->n, "noop_with_empty_axes", 0) : mark[i];
        if (!reduced)
            dims[r++] = x->dims[i];
        else if (keep)
            dims[r++] = 1;
    }
    set_shape(o, arg ? IG_INT64 : x->dtype, r, dims);
    return 0;
}

static int shape_gather(ctx_t *c)
{
    ig_tensor_t *x, *idx, *o = out(c, 0);
    int64_t dims[MAXR];
    int axis = 0, r = 0;
    if (need(c, 0, &x) || need(c, 1, &idx) ||
        axis_of(c, ig_attr_int(c->n, "axis", 0), x->rank, &axis))
        return DIAG_ERR;
    if (x->rank - 1 + idx->rank > MAXR)
        return fail(c, "the result would have rank above %d", MAXR);
    for (int i = 0; i < axis; i++)
        dims[r++] = x->dims[i];
    for (int i = 0; i < idx->rank; i++)
        dims[r++] = idx->dims[i];
    for (int i = axis + 1; i < x->rank; i++)
        dims[r++] = x->dims[i];
    set_shape(o, x->dtype, r, dims);
    /* A dimension picked from a shape: Shape -> Gather. */
    if (x->rank == 1 && x->nval == (int)x->dims[0] && idx->nval == (int)ig_elements(idx) &&
        idx->nval > 0) {
        for (int i = 0; i < idx->nval; i++) {
            int64_t k = (int64_t)idx->val[i];
            if (k < 0)
                k += x->dims[0];
            if (k < 0 || k >= x->dims[0])
                return fail(c, "index %" PRId64 " is outside 0..%" PRId64, k, x->dims[0] - 1);
            o->val[i] = x->val[k];
        }
        o->nval = idx->nval;
    }
    return check_out(c, o);
}

static int shape_of_shape(ctx_t *c)
{
    ig_tensor_t *x, *o = out(c, 0);
    int64_t start = ig_attr_int(c->n, "start", 0), end = ig_attr_int(c->n, "end", MAXR);
    int64_t dims[1];
    if (need(c, 0, &x))
        return DIAG_ERR;
    if (start < 0) start += x->rank;
    if (end < 0) end += x->rank;
    start = start < 0 ? 0 : start > x->rank ? x->rank : start;
    end = end < start ? start : end > x->rank ? x->rank : end;
    dims[0] = end - start;
    set_shape(o, IG_INT64, 1, dims);
    for (int64_t i = start; i < end; i++)
        o->val[i - start] = (double)x->dims[i];
    o->nval = (int)dims[0];
    return 0;
}

/* Expand, Tile, Pad, ConstantOfShape: shapes from values. */
static int shape_from_values(ctx_t *c)
{
    const char *op = c->n->op;
    ig_tensor_t *x = NULL, *v, *o = out(c, 0);
    int64_t dims[MAXR];
    int r;
    if (strcmp(op, "ConstantOfShape") == 0) {
        if (need_values(c, 0, "shape", &v))
            return DIAG_ERR;
        if (v->nval > MAXR)
            return fail(c, "the shape has %d values; expected at most %d", v->nval, MAXR);
        for (int i = 0; i < v->nval; i++)
            dims[i] = (int64_t)v->val[i];
        set_shape(o, IG_FLOAT, v->nval, dims);
        o->is_const = 1;
        return check_out(c, o);
    }
    if (need(c, 0, &x))
        return DIAG_ERR;
    r = x->rank;
    memcpy(dims, x->dims, sizeof dims);
    if (strcmp(op, "Pad") == 0) {
        int64_t pads[2 * MAXR];
        int np;
        if (in(c, 1) != NULL) {
            if (need_values(c, 1, "pads", &v))
                return DIAG_ERR;
            np = v->nval;
            for (int i = 0; i < np && i < 2 * MAXR; i++)
                pads[i] = (int64_t)v->val[i];
        } else {
            np = ints_attr(c->n, "pads", pads, 2 * MAXR, 0);
        }
        if (np != 2 * r || in(c, 3) != NULL)
            return fail(c, "expected %d pads (begin and end of each axis, no axes input)", 2 * r);
        for (int i = 0; i < r; i++) {
            if (pads[i] < -IG_MAX_DIM || pads[i] > IG_MAX_DIM || pads[r + i] < -IG_MAX_DIM ||
                pads[r + i] > IG_MAX_DIM)
                return fail(c, "pads must be within +-2^40");
            dims[i] += pads[i] + pads[r + i];
        }
    } else if (strcmp(op, "Tile") == 0) {
        if (need_values(c, 1, "repeats", &v))
            return DIAG_ERR;
        if (v->nval != r)
            return fail(c, "repeats has %d values for rank %d", v->nval, r);
        for (int i = 0; i < r; i++) {
            if (v->val[i] < 0 || v->val[i] > (1 << 20))
                return fail(c, "repeats must be 0 to 2^20");
            dims[i] *= (int64_t)v->val[i];
        }
    } else {   /* Expand: broadcast with the shape */
        if (need_values(c, 1, "shape", &v))
            return DIAG_ERR;
        if (v->nval > MAXR)
            return fail(c, "the shape has %d values; expected at most %d", v->nval, MAXR);
        if (v->nval > r) {
            int sh = v->nval - r;
            memmove(dims + sh, dims, (size_t)r * sizeof *dims);
            for (int i = 0; i < sh; i++)
                dims[i] = 1;
            r = v->nval;
        }
        for (int i = 0; i < v->nval; i++) {
            int k = r - v->nval + i;
            int64_t s = (int64_t)v->val[i];
            if (s != 1 && dims[k] != 1 && dims[k] != s)
                return fail(c, "cannot expand %" PRId64 " to %" PRId64, dims[k], s);
            if (dims[k] == 1)
                dims[k] = s;
        }
    }
    set_shape(o, x->dtype, r, dims);
    return check_out(c, o);
}

static int shape_topk(ctx_t *c)
{
    ig_tensor_t *x, *k;
    int axis = 0;
    if (need(c, 0, &x) || need_values(c, 1, "k", &k) ||
        axis_of(c, ig_attr_int(c->n, "axis", -1), x->rank, &axis))
        return DIAG_ERR;
    for (int i = 0; i < 2; i++)
        if (out(c, i) != NULL) {
            set_shape(out(c, i), i ? IG_INT64 : x->dtype, x->rank, x->dims);
            out(c, i)->dims[axis] = (int64_t)k->val[0];
        }
    return 0;
}

/* ---------------------------------------------------------------- the table */

typedef enum rule {
    R_SAME, R_CAST, R_QUANT, R_DEQUANT, R_BCAST, R_ARITH, R_COMPARE, R_WHERE, R_CONV,
    R_DECONV, R_POOL, R_GPOOL, R_GEMM, R_MATMUL, R_EINSUM, R_CONCAT, R_SPLIT, R_SLICE,
    R_RESHAPE, R_FLATTEN, R_SQUEEZE, R_UNSQUEEZE, R_TRANSPOSE, R_RESIZE, R_REDUCE, R_ARG,
    R_GATHER, R_SHAPE, R_VALUES, R_TOPK, R_CONSTANT
} rule_t;

static const struct {
    const char *op;
    rule_t rule;
} RULES[] = {
    {"Relu", R_SAME}, {"Sigmoid", R_SAME}, {"Tanh", R_SAME}, {"LeakyRelu", R_SAME},
    {"Elu", R_SAME}, {"Selu", R_SAME}, {"Celu", R_SAME}, {"HardSigmoid", R_SAME},
    {"HardSwish", R_SAME}, {"Softplus", R_SAME}, {"Softsign", R_SAME}, {"Mish", R_SAME},
    {"Gelu", R_SAME}, {"Clip", R_SAME}, {"Exp", R_SAME}, {"Log", R_SAME}, {"Sqrt", R_SAME},
    {"Reciprocal", R_SAME}, {"Neg", R_SAME}, {"Abs", R_SAME}, {"Erf", R_SAME},
    {"Floor", R_SAME}, {"Ceil", R_SAME}, {"Round", R_SAME}, {"Sin", R_SAME}, {"Cos", R_SAME},
    {"Sign", R_SAME}, {"Identity", R_SAME}, {"Dropout", R_SAME}, {"Softmax", R_SAME},
    {"LogSoftmax", R_SAME}, {"LayerNormalization", R_SAME}, {"BatchNormalization", R_SAME},
    {"InstanceNormalization", R_SAME}, {"GroupNormalization", R_SAME}, {"LRN", R_SAME},
    {"PRelu", R_BCAST}, {"Cast", R_CAST}, {"QuantizeLinear", R_QUANT},
    {"DequantizeLinear", R_DEQUANT}, {"Add", R_ARITH}, {"Sub", R_ARITH}, {"Mul", R_ARITH},
    {"Div", R_ARITH}, {"Pow", R_BCAST}, {"Max", R_BCAST}, {"Min", R_BCAST},
    {"Mean", R_BCAST}, {"Sum", R_BCAST}, {"Mod", R_BCAST}, {"Equal", R_COMPARE},
    {"Less", R_COMPARE}, {"Greater", R_COMPARE}, {"LessOrEqual", R_COMPARE},
    {"GreaterOrEqual", R_COMPARE}, {"And", R_COMPARE}, {"Or", R_COMPARE}, {"Not", R_SAME},
    {"Where", R_WHERE}, {"Conv", R_CONV}, {"ConvTranspose", R_DECONV}, {"MaxPool", R_POOL},
    {"AveragePool", R_POOL}, {"LpPool", R_POOL}, {"GlobalAveragePool", R_GPOOL},
    {"GlobalMaxPool", R_GPOOL}, {"Gemm", R_GEMM}, {"MatMul", R_MATMUL},
    {"Einsum", R_EINSUM}, {"Concat", R_CONCAT}, {"Split", R_SPLIT}, {"Slice", R_SLICE},
    {"Reshape", R_RESHAPE}, {"Flatten", R_FLATTEN}, {"Squeeze", R_SQUEEZE},
    {"Unsqueeze", R_UNSQUEEZE}, {"Transpose", R_TRANSPOSE}, {"Resize", R_RESIZE},
    {"Upsample", R_RESIZE}, {"ReduceMean", R_REDUCE}, {"ReduceSum", R_REDUCE},
    {"ReduceMax", R_REDUCE}, {"ReduceMin", R_REDUCE}, {"ReduceProd", R_REDUCE},
    {"ReduceL2", R_REDUCE}, {"ArgMax", R_ARG}, {"ArgMin", R_ARG}, {"Gather", R_GATHER},
    {"Shape", R_SHAPE}, {"Expand", R_VALUES}, {"Tile", R_VALUES}, {"Pad", R_VALUES},
    {"ConstantOfShape", R_VALUES}, {"TopK", R_TOPK}, {"Constant", R_CONSTANT},
};
#define NRULES ((int)(sizeof RULES / sizeof RULES[0]))

static int rule_of(const ig_node_t *n)
{
    if (n->domain[0] != '\0' && strcmp(n->domain, "ai.onnx") != 0)
        return -1;
    for (int i = 0; i < NRULES; i++)
        if (strcmp(RULES[i].op, n->op) == 0)
            return (int)RULES[i].rule;
    return -1;
}

int ishape_known(const char *op)
{
    for (int i = 0; i < NRULES; i++)
        if (strcmp(RULES[i].op, op) == 0)
            return 1;
    return 0;
}

/* An op without a rule: every output takes the shape of the first input known. */
static int shape_unknown(ctx_t *c)
{
    ig_tensor_t *x = NULL;
    for (int i = 0; i < c->n->nin && x == NULL; i++)
        if (in(c, i) != NULL && in(c, i)->rank >= 0)
            x = in(c, i);
    if (x == NULL)
        return fail(c, "the importer does not know this op and it has no input of known "
                       "shape; expected an input to take the output's shape from");
    for (int i = 0; i < c->n->nout; i++)
        if (out(c, i) != NULL)
            set_shape(out(c, i), x->dtype, x->rank, x->dims);
    return 0;
}

static int shape_node(ctx_t *c)
{
    switch (rule_of(c->n)) {
    case R_SAME: return same_shape(c, 0);
    case R_CAST: return same_shape(c, (int)ig_attr_int(c->n, "to", 0));
    case R_QUANT: {
        ig_tensor_t *zp = in(c, 2);
        return same_shape(c, zp && zp->dtype ? zp->dtype : IG_UINT8);
    }
    case R_DEQUANT: return same_shape(c, IG_FLOAT);
    case R_BCAST: return broadcast(c, 0);
    case R_ARITH:
        if (broadcast(c, 0))
            return DIAG_ERR;
        fold_arith(c);
        return 0;
    case R_COMPARE:
        if (broadcast(c, 0))
            return DIAG_ERR;
        out(c, 0)->dtype = IG_BOOL;
        return 0;
    case R_WHERE: return broadcast(c, 1);
    case R_CONV: return shape_conv(c, 0);
    case R_DECONV: return shape_conv(c, 1);
    case R_POOL: return shape_pool(c, 0);
    case R_GPOOL: return shape_pool(c, 1);
    case R_GEMM: return shape_gemm(c);
    case R_MATMUL: return shape_matmul(c);
    case R_EINSUM: return shape_einsum(c);
    case R_CONCAT: return shape_concat(c);
    case R_SPLIT: return shape_split(c);
    case R_SLICE: return shape_slice(c);
    case R_RESHAPE: return shape_reshape(c);
    case R_FLATTEN: return shape_flatten(c);
    case R_SQUEEZE: return shape_squeeze(c, 0);
    case R_UNSQUEEZE: return shape_squeeze(c, 1);
    case R_TRANSPOSE: return shape_transpose(c);
    case R_RESIZE: return shape_resize(c);
    case R_REDUCE: return shape_reduce(c, 0);
    case R_ARG: return shape_reduce(c, 1);
    case R_GATHER: return shape_gather(c);
    case R_SHAPE: return shape_of_shape(c);
    case R_VALUES: return shape_from_values(c);
    case R_TOPK: return shape_topk(c);
    case R_CONSTANT:
        if (out(c, 0) == NULL || out(c, 0)->rank < 0)
            return fail(c, "expected a value, value_int(s) or value_float(s) attribute");
        return 0;
    default: return shape_unknown(c);
    }
}

/* ---------------------------------------------------------------- inputs */

int ishape_parse_given(const char *arg, ishape_given_t *given, char *why, size_t len)
{
    const char *colon = strrchr(arg, ':'), *p;
    int r = 0;
    if (given->n >= ISHAPE_MAX_GIVEN) {
        snprintf(why, len, "at most %d --shape options", ISHAPE_MAX_GIVEN);
        return -1;
    }
    if (colon == NULL || colon == arg || (size_t)(colon - arg) >= sizeof given->v[0].name) {
        snprintf(why, len, "expected NAME:DxDx... (e.g. images:1x3x640x640), got '%s'", arg);
        return -1;
    }
    memcpy(given->v[given->n].name, arg, (size_t)(colon - arg));
    given->v[given->n].name[colon - arg] = '\0';
    for (p = colon + 1;; p++) {
        char *end;
        long long v;
        if (*p < '0' || *p > '9' || r >= IG_MAX_RANK) {
            snprintf(why, len, "expected NAME:DxDx... with 1 to %d sizes, got '%s'",
                     IG_MAX_RANK, arg);
            return -1;
        }
        v = strtoll(p, &end, 10);
        if (v < 1 || v > (1LL << 30)) {
            snprintf(why, len, "a size in '%s' is outside 1..2^30", arg);
            return -1;
        }
        given->v[given->n].dims[r++] = v;
        p = end;
        if (*p == '\0')
            break;
        if (*p != 'x') {
            snprintf(why, len, "expected NAME:DxDx... (sizes separated by 'x'), got '%s'", arg);
            return -1;
        }
    }
    given->v[given->n].rank = r;
    given->n++;
    return 0;
}

static int given_index(const ishape_given_t *given, const char *name)
{
    for (int i = 0; given != NULL && i < given->n; i++)
        if (strcmp(given->v[i].name, name) == 0)
            return i;
    return -1;
}

int64_t ishape_default_batch(const ig_graph_t *g, const ishape_given_t *given)
{
    const ig_tensor_t *t;
    int k;
    if (g->ninputs == 0)
        return 1;
    t = &g->t[g->inputs[0]];
    if ((k = given_index(given, t->name)) >= 0)
        return given->v[k].dims[0];
    return t->decl_rank >= 1 && t->decl[0] > 0 ? t->decl[0] : 1;
}

static int set_inputs(ig_graph_t *g, const ishape_given_t *given, int64_t batch, diag_t *d)
{
    int64_t dflt = ishape_default_batch(g, given);
    for (int i = 0; given != NULL && i < given->n; i++) {
        int k = ig_find(g, given->v[i].name);
        if (k < 0 || g->t[k].kind != IG_INPUT)
            return diag_error(d, g->file, 0, 0, "--shape %s: the model has no input of that "
                              "name", given->v[i].name);
    }
    for (int i = 0; i < g->ninputs; i++) {
        ig_tensor_t *t = &g->t[g->inputs[i]];
        int k = given_index(given, t->name);
        t->rank = t->decl_rank;
        memcpy(t->dims, t->decl, sizeof t->dims);
        if (k >= 0) {
            if (t->rank >= 0 && t->rank != given->v[k].rank)
                return diag_error(d, g->file, 0, 0, "--shape %s: %d sizes for an input of "
                                  "rank %d", t->name, given->v[k].rank, t->rank);
            t->rank = given->v[k].rank;
            memcpy(t->dims, given->v[k].dims, sizeof t->dims);
        } else if (t->rank < 0) {
            return diag_error(d, g->file, 0, 0, "input '%s' has no declared shape; expected "
                              "--shape %s:DxDx...", t->name, t->name);
        }
        /* The batch: the first dimension (when it is the model's batch, or dynamic). */
        if (t->rank >= 1 && (t->dims[0] < 0 || t->dims[0] == dflt))
            t->dims[0] = batch;
        for (int j = 0; j < t->rank; j++)
            if (t->dims[j] < 0) {
                char s[96];
                ig_dims_str(t, s, sizeof s);
                return diag_error(d, g->file, 0, 0,
                                  "input '%s' (%s) has dynamic dimension %d%s%s%s; expected "
                                  "its size with --shape %s:DxDx...", t->name, s, j,
                                  t->dim_param[j] ? " ('" : "",
                                  t->dim_param[j] ? t->dim_param[j] : "",
                                  t->dim_param[j] ? "')" : "", t->name);
            }
        if (ig_elements(t) > IG_MAX_ELEMENTS)
            return diag_error(d, g->file, 0, 0, "input '%s' holds more than 10^15 elements",
                              t->name);
    }
    return 0;
}

int ishape_run(ig_graph_t *g, const ishape_given_t *given, int64_t batch, diag_t *d)
{
    /* Forget what an earlier run worked out, keeping what the file holds. */
    for (int k = 0; k < g->nt; k++) {
        ig_tensor_t *t = &g->t[k];
        if (t->producer >= 0 && strcmp(g->n[t->producer].op, "Constant") != 0) {
            t->rank = -1;
            t->nval = 0;
            t->is_const = 0;
            t->dtype = IG_UNDEFINED;
        }
    }
    if (set_inputs(g, given, batch, d) != 0)
        return DIAG_ERR;
    for (int i = 0; i < g->nn; i++) {
        ctx_t c = {g, &g->n[g->order[i]], d};
        int is_const = 1;
        if (shape_node(&c) != 0)
            return DIAG_ERR;
        for (int j = 0; j < c.n->nin; j++)
            if (c.n->in[j] >= 0 && !g->t[c.n->in[j]].is_const)
                is_const = 0;
        for (int j = 0; j < c.n->nout; j++)
            if (c.n->out[j] >= 0) {
                ig_tensor_t *o = &g->t[c.n->out[j]];
                o->is_const |= is_const || strcmp(c.n->op, "Shape") == 0;
            }
    }
    return 0;
}
