/*
 * itrt: a TensorRT engine's layer information into the zoo's layers.
 *
 * `trtexec --exportLayerInfo=FILE --profilingVerbosity=detailed` writes what
 * IEngineInspector reports (TensorRT developer guide, "Engine Inspector"):
 *
 *   {"Layers": [{"Name": "conv1 + relu1", "LayerType": "CaskConvolution",
 *                "Inputs": [{"Name": "x", "Dimensions": [1,3,224,224],
 *                            "Format/Datatype": "Row major linear FP16 format"}],
 *                "Outputs": [...], "ParameterType": "Convolution", "Kernel": [7,7],
 *                "PaddingMode": "kEXPLICIT_ROUND_DOWN", "PrePadding": [3,3],
 *                "PostPadding": [3,3], "Stride": [2,2], "Dilation": [1,1],
 *                "OutMaps": 64, "Groups": 1, "Activation": "RELU", ...}, ...],
 *    "Bindings": ["x", "y"]}
 *
 * These are the engine's own layers, fused already: each becomes one op, in the engine's
 * precision (the "Format/Datatype" of its first input), with the engine's layer name so
 * `orinsim profile` matches a profile of the same engine. Convolutions and deconvolutions
 * (ParameterType Convolution / Deconvolution), pooling, matrix products, element-wise
 * sums of two tensors, activations, softmax, resize and concatenation become their
 * layers; Reformat and Shuffle layers are copies; NoOp and Constant layers cost nothing;
 * any other layer (a Myelin or plugin region) is an elementwise op over its largest
 * tensor. Only the detailed form is read: a file of names alone (the default verbosity)
 * is refused with what to rebuild it with.
 */
#include "soc/import/itrt.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/grow.h"
#include "soc/io/jsonfile.h"
#include "soc/io/slurp.h"

#define ITRT_MAX_BYTES ((size_t)256 << 20)

typedef struct reader {
    const char *path;
    const char *text;
    diag_t *d;
} reader_t;

/* Where layer `index` is in the text: the first place its name is written as a JSON
 * string (a tensor of the same name written earlier is taken for it), else the index-th
 * "LayerType" key. */
static void layer_pos(const reader_t *r, int index, const char *name, int *line, int *col)
{
    const char *p = r->text;
    size_t n = strlen(name);
    *line = *col = 0;
    if (n > 0 && n < 512 && strchr(name, '"') == NULL && strchr(name, '\\') == NULL) {
        char *q = malloc(n + 3);
        if (q != NULL) {
            const char *hit;
            snprintf(q, n + 3, "\"%s\"", name);
            hit = strstr(r->text, q);
            free(q);
            if (hit != NULL) {
                json_file_position(r->text, (size_t)(hit - r->text), line, col);
                return;
            }
        }
    }
    for (int i = 0; p != NULL; i++) {
        p = strstr(p, "\"LayerType\"");
        if (p == NULL)
            return;
        if (i == index) {
            json_file_position(r->text, (size_t)(p - r->text), line, col);
            return;
        }
        p++;
    }
}

static int bad(const reader_t *r, int index, const char *name, const char *fmt, const char *what)
{
    int line, col;
    layer_pos(r, index, name, &line, &col);
    return diag_error(r->d, r->path, line, col, "layer %d ('%.60s'): %s %s", index, name, fmt,
                      what);
}

static const char *str_field(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

/* An array of up to `max` whole numbers; returns its length, or -1 if it is not one. */
static int ints(json_object *o, const char *key, int64_t *v, int max)
{
    json_object *a;
    int n;
    if (!json_object_object_get_ex(o, key, &a) || !json_object_is_type(a, json_type_array))
        return -1;
    n = (int)json_object_array_length(a);
    if (n > max)
        return -1;
    for (int i = 0; i < n; i++) {
        json_object *x = json_object_array_get_idx(a, (size_t)i);
        if (!json_object_is_type(x, json_type_int))
            return -1;
        v[i] = json_object_get_int64(x);
    }
    return n;
}

static int64_t int_field(json_object *o, const char *key, int64_t dflt)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int)
               ? json_object_get_int64(v)
               : dflt;
}

static int pair(json_object *o, const char *key, int *a, int *b, int dflt)
{
    int64_t v[2];
    int n = ints(o, key, v, 2);
    *a = *b = dflt;
    if (n == 2) {
        *a = (int)v[0];
        *b = (int)v[1];
    } else if (n == 1) {
        *a = 1;
        *b = (int)v[0];
    }
    return n;
}

/* "Thirty-two wide channel vectorized row major Int8 format.", "Row major linear FP16
 * format", "Half", "Float": the type named in a tensor's Format/Datatype. */
static int format_dtype(const char *f, dtype_t *t)
{
    if (f == NULL)
        return 0;
    if (strstr(f, "Int8") || strstr(f, "INT8"))
        *t = DT_INT8;
    else if (strstr(f, "FP16") || strstr(f, "Half"))
        *t = DT_FP16;
    else if (strstr(f, "BF16") || strstr(f, "BFloat16"))
        *t = DT_BF16;
    else if (strstr(f, "FP32") || strstr(f, "Float"))
        *t = DT_FP32;
    else
        return 0;
    return 1;
}

/* The first tensor of "Inputs" or "Outputs": its dims (all known) and type. */
static int tensor(const reader_t *r, int idx, const char *lname, json_object *lay,
                  const char *key, int which, int64_t *dims, int *rank, dtype_t *t, int *has_t,
                  int *count)
{
    json_object *a, *x;
    char what[64];
    if (!json_object_object_get_ex(lay, key, &a) || !json_object_is_type(a, json_type_array))
        return bad(r, idx, lname, "expected", key[0] == 'I' ? "an Inputs array" : "an Outputs array");
    if (count)
        *count = (int)json_object_array_length(a);
    *rank = -1;
    if ((size_t)which >= json_object_array_length(a))
        return 0;
    x = json_object_array_get_idx(a, (size_t)which);
    snprintf(what, sizeof what, "%s[%d] as an object with Dimensions", key, which);
    if (!json_object_is_type(x, json_type_object) ||
        (*rank = ints(x, "Dimensions", dims, ITRT_MAX_RANK)) < 0)
        return bad(r, idx, lname, "expected", what);
    for (int i = 0; i < *rank; i++)
        if (dims[i] < 1 || dims[i] > ((int64_t)1 << 30))
            return bad(r, idx, lname, "has a dynamic or out-of-range dimension; expected sizes "
                       "1..2^30 (export the layer information with the shapes set, "
                       "trtexec --shapes), in", what);
    if (t != NULL && format_dtype(str_field(x, "Format/Datatype"), t))
        *has_t = 1;
    return 0;
}

static zoo_act_t activation(const char *a)
{
    if (a == NULL) return ZOO_ACT_NONE;
    if (strcmp(a, "RELU") == 0 || strcmp(a, "kRELU") == 0) return ZOO_ACT_RELU;
    if (strcmp(a, "SIGMOID") == 0 || strcmp(a, "kSIGMOID") == 0) return ZOO_ACT_SIGMOID;
    if (strcmp(a, "TANH") == 0 || strcmp(a, "kTANH") == 0) return ZOO_ACT_TANH;
    if (strcmp(a, "LEAKY_RELU") == 0 || strcmp(a, "kLEAKY_RELU") == 0) return ZOO_ACT_LEAKY_RELU;
    if (strcmp(a, "CLIP") == 0 || strcmp(a, "kCLIP") == 0) return ZOO_ACT_CLIP;
    if (strstr(a, "SILU") || strstr(a, "SWISH")) return ZOO_ACT_SILU;
    if (strstr(a, "GELU")) return ZOO_ACT_GELU;
    return ZOO_ACT_NONE;
}

static int contains(const char *s, const char *w)
{
    return s != NULL && strstr(s, w) != NULL;
}

static int read_layer(const reader_t *r, int idx, json_object *lay, itrt_engine_t *e, int *skip)
{
    itrt_layer_t *L = &e->v[e->nlayers];
    const char *name = str_field(lay, "Name"), *type, *ptype;
    int have_out;
    memset(L, 0, sizeof *L);
    *skip = 0;
    if (json_object_is_type(lay, json_type_string))
        return bad(r, idx, json_object_get_string(lay), "is a name only; expected",
                   "the detailed layer information (build the engine with trtexec "
                   "--profilingVerbosity=detailed --exportLayerInfo=FILE)");
    if (!json_object_is_type(lay, json_type_object))
        return bad(r, idx, "?", "expected", "an object");
    if (name == NULL || (type = str_field(lay, "LayerType")) == NULL)
        return bad(r, idx, name ? name : "?", "expected", "string fields Name and LayerType");
    snprintf(L->name, sizeof L->name, "%s", name);
    ptype = str_field(lay, "ParameterType");
    if (strcmp(type, "NoOp") == 0 || strcmp(type, "Constant") == 0 ||
        contains(ptype, "Constant")) {
        *skip = 1;
        return 0;
    }
    if (tensor(r, idx, name, lay, "Inputs", 0, L->in, &L->rin, &L->dtype, &L->has_dtype,
               &L->ninputs) ||
        tensor(r, idx, name, lay, "Inputs", 1, L->in2, &L->rin2, NULL, NULL, NULL) ||
        tensor(r, idx, name, lay, "Outputs", 0, L->out, &L->rout, &L->dtype,
               L->has_dtype ? &have_out : &L->has_dtype, NULL))
        return DIAG_ERR;
    if (L->rout < 0)
        return bad(r, idx, name, "expected", "at least one output");
    L->sh = L->sw = L->dh = L->dw = 1;
    if (contains(ptype, "Convolution") || contains(ptype, "Deconvolution") ||
        contains(type, "Convolution")) {
        int pb[2], pe[2];
        L->kind = contains(ptype, "Deconvolution") || contains(type, "Deconvolution")
                      ? ITRT_DECONV
                      : ITRT_CONV;
        if (L->rin != 4 || L->rout != 4)
            return bad(r, idx, name, "expected", "4-D input and output Dimensions (N, C, H, W)");
        if (pair(lay, "Kernel", &L->kh, &L->kw, 1) < 1)
            return bad(r, idx, name, "expected", "Kernel as [kh, kw]");
        pair(lay, "Stride", &L->sh, &L->sw, 1);
        pair(lay, "Dilation", &L->dh, &L->dw, 1);
        pair(lay, "PrePadding", &pb[0], &pb[1], 0);
        pair(lay, "PostPadding", &pe[0], &pe[1], 0);
        L->ph = pb[0] > pe[0] ? pb[0] : pe[0];
        L->pw = pb[1] > pe[1] ? pb[1] : pe[1];
        L->outmaps = int_field(lay, "OutMaps", L->out[1]);
        L->groups = int_field(lay, "Groups", 1);
        L->act = activation(str_field(lay, "Activation"));
        L->sparse = int_field(lay, "AllowSparse", 0) != 0 && contains(str_field(lay, "TacticName"), "sparse");
        if (L->kh < 1 || L->kw < 1 || L->sh < 1 || L->sw < 1 || L->dh < 1 || L->dw < 1 ||
            L->ph < 0 || L->pw < 0 || L->kh > 1024 || L->kw > 1024 || L->sh > 1024 ||
            L->sw > 1024 || L->ph > 1024 || L->pw > 1024 || L->dh > 1024 || L->dw > 1024)
            return bad(r, idx, name, "expected", "Kernel, Stride and Dilation of 1..1024 and "
                       "paddings of 0..1024");
        if (L->groups < 1 || L->in[1] % L->groups || L->outmaps < 1 || L->outmaps % L->groups)
            return bad(r, idx, name, "expected", "Groups dividing the input channels and OutMaps");
        if (L->kind == ITRT_CONV &&
            (L->in[2] + 2 * L->ph < (int64_t)L->dh * (L->kh - 1) + 1 ||
             L->in[3] + 2 * L->pw < (int64_t)L->dw * (L->kw - 1) + 1))
            return bad(r, idx, name, "expected", "a kernel that fits the padded input");
    } else if (contains(ptype, "Pooling") || contains(type, "Pooling")) {
        int pb[2], pe[2];
        L->kind = ITRT_POOL;
        if (L->rin != 4 || L->rout != 4)
            return bad(r, idx, name, "expected", "4-D input and output Dimensions (N, C, H, W)");
        if (pair(lay, "WindowSize", &L->kh, &L->kw, 1) < 1)
            pair(lay, "Kernel", &L->kh, &L->kw, 1);
        pair(lay, "Stride", &L->sh, &L->sw, 1);
        pair(lay, "PrePadding", &pb[0], &pb[1], 0);
        pair(lay, "PostPadding", &pe[0], &pe[1], 0);
        L->ph = pb[0] > pe[0] ? pb[0] : pe[0];
        L->pw = pb[1] > pe[1] ? pb[1] : pe[1];
        L->fn = contains(str_field(lay, "PoolingType"), "AVERAGE");
        if (L->kh < 1 || L->kw < 1 || L->sh < 1 || L->sw < 1 || L->ph < 0 || L->pw < 0 ||
            L->kh > L->in[2] + 2 * L->ph || L->kw > L->in[3] + 2 * L->pw || L->sh > 1024 ||
            L->sw > 1024 || L->ph > 1024 || L->pw > 1024)
            return bad(r, idx, name, "expected", "a WindowSize within the padded input and "
                       "strides of 1..1024");
    } else if (contains(ptype, "FullyConnected") || contains(type, "FullyConnected")) {
        L->kind = ITRT_FC;
    } else if (contains(ptype, "MatrixMultiply") || contains(type, "MatrixMultiply") ||
               contains(ptype, "Gemm") || contains(type, "Gemm")) {
        L->kind = ITRT_GEMM;
        if (L->rin < 1 || L->rout < 1)
            return bad(r, idx, name, "expected", "input and output Dimensions");
    } else if ((contains(ptype, "ElementWise") || contains(type, "ElementWise")) &&
               L->ninputs == 2 && L->rin == 4 && L->rin2 == 4 &&
               memcmp(L->in, L->in2, 4 * sizeof L->in[0]) == 0) {
        const char *op = str_field(lay, "Operation");
        L->kind = ITRT_ELTWISE;
        L->fn = contains(op, "PROD") ? 1 : contains(op, "SUB") ? 2 : 0;
    } else if ((contains(ptype, "Activation") || contains(type, "Activation")) && L->rin >= 1) {
        L->kind = ITRT_ACT;
        L->act = activation(str_field(lay, "ActivationType"));
        if (L->act == ZOO_ACT_NONE)
            L->act = activation(str_field(lay, "Activation"));
        if (L->act == ZOO_ACT_NONE)
            L->act = ZOO_ACT_RELU;
    } else if (contains(ptype, "SoftMax") || contains(ptype, "Softmax") ||
               contains(type, "SoftMax") || contains(type, "Softmax")) {
        L->kind = ITRT_SOFTMAX;
    } else if ((contains(ptype, "Resize") || contains(type, "Resize")) && L->rin == 4 &&
               L->rout == 4) {
        L->kind = ITRT_RESIZE;
        L->fn = contains(str_field(lay, "ResizeMode"), "LINEAR");
    } else if (contains(ptype, "Concatenation") || contains(type, "Concat")) {
        L->kind = ITRT_CONCAT;
    } else if (strcmp(type, "Reformat") == 0 || contains(ptype, "Reformat") ||
               contains(type, "Shuffle") || contains(ptype, "Shuffle")) {
        L->kind = ITRT_COPY;
    } else {
        L->kind = ITRT_GENERIC;
        e->nunknown++;
    }
    if (L->rin < 0) {
        memcpy(L->in, L->out, sizeof L->in);
        L->rin = L->rout;
    }
    return 0;
}

int itrt_parse(const char *path, char *text, size_t len, itrt_engine_t *e, diag_t *d)
{
    json_object *root = NULL, *layers;
    char *kept = NULL;
    reader_t r = {path, NULL, d};
    int counts[DT_COUNT] = {0}, rc = 0;
    memset(e, 0, sizeof *e);
    if (json_text_parse(path, "layer information", text, len, &root, &kept, d) != 0)
        return DIAG_ERR;
    r.text = kept;
    if (json_object_is_type(root, json_type_array))
        layers = root;
    else if (!json_object_is_type(root, json_type_object) ||
             !json_object_object_get_ex(root, "Layers", &layers) ||
             !json_object_is_type(layers, json_type_array)) {
        rc = diag_error(d, path, 1, 1, "expected a JSON object with a \"Layers\" array "
                        "(trtexec --exportLayerInfo with --profilingVerbosity=detailed)");
        goto out;
    }
    for (size_t i = 0; i < json_object_array_length(layers); i++) {
        itrt_layer_t *v = grow_one(e->v, e->nlayers, &e->cap, 64, sizeof *v);
        int skip;
        if (v == NULL) {
            rc = diag_error(d, path, 0, 0, "internal error: out of memory");
            goto out;
        }
        e->v = v;
        if (read_layer(&r, (int)i, json_object_array_get_idx(layers, i), e, &skip) != 0) {
            rc = DIAG_ERR;
            goto out;
        }
        if (!skip) {
            if (e->v[e->nlayers].has_dtype)
                counts[e->v[e->nlayers].dtype]++;
            e->nlayers++;
        }
    }
    if (e->nlayers == 0) {
        rc = diag_error(d, path, 1, 1, "no layer that does work; expected at least one in "
                        "\"Layers\"");
        goto out;
    }
    e->batch = e->v[0].in[0];
    e->dtype = DT_FP16;
    for (int t = 0; t < DT_COUNT; t++)
        if (counts[t] > counts[e->dtype])
            e->dtype = (dtype_t)t;
out:
    json_object_put(root);
    free(kept);
    return rc;
}

int itrt_read(const char *path, itrt_engine_t *e, diag_t *d)
{
    char *text = NULL;
    size_t len = 0;
    memset(e, 0, sizeof *e);
    if (slurp_file(path, "layer information", ITRT_MAX_BYTES, &text, &len, d) != 0)
        return DIAG_ERR;
    return itrt_parse(path, text, len, e, d);
}

void itrt_free(itrt_engine_t *e)
{
    free(e->v);
    memset(e, 0, sizeof *e);
}

static double elems(const int64_t *dims, int rank)
{
    double n = 1;
    for (int i = 0; i < rank; i++)
        n *= (double)dims[i];
    return n;
}

static zt_t nchw(const int64_t *v, int rank, int64_t n)
{
    zt_t x = {n, 1, 1, 1};
    if (rank >= 2)
        x.c = v[1];
    if (rank >= 3)
        x.w = v[rank - 1];
    for (int i = 2; i < rank - 1; i++)
        x.h *= v[i];
    return x;
}

static int fits(zt_t x)
{
    const int64_t m = (int64_t)1 << 20;
    return x.n >= 1 && x.c >= 1 && x.h >= 1 && x.w >= 1 && x.n <= m && x.c <= m && x.h <= m &&
           x.w <= m;
}

int itrt_build(const itrt_engine_t *e, zoo_net_t *net, int64_t batch, diag_t *d)
{
    (void)d;
    for (int i = 0; i < e->nlayers; i++) {
        const itrt_layer_t *L = &e->v[i];
        /* Dimension 0 is the batch when it is the engine's (a multiple of it, scaled). */
        int64_t n = L->in[0] % e->batch == 0 ? L->in[0] / e->batch * batch : L->in[0];
        double scale = (double)n / (double)L->in[0];
        zt_t x = nchw(L->in, L->rin, n), y = nchw(L->out, L->rout, n);
        zb_geom_t g = {L->kh, L->kw, L->sh, L->sw, L->ph, L->pw, L->dh, L->dw};
        int before = net->nops;
        switch (L->kind) {
        case ITRT_CONV:
            if (fits(x)) {
                zb_conv2d(net, x, L->outmaps, &g, L->groups, L->act, "%s", L->name);
                break;
            }
            goto generic;
        case ITRT_DECONV:
            if (fits(x)) {
                int64_t oh = (x.h - 1) * L->sh - 2 * L->ph + (int64_t)L->dh * (L->kh - 1) + 1;
                int64_t ow = (x.w - 1) * L->sw - 2 * L->pw + (int64_t)L->dw * (L->kw - 1) + 1;
                int ph = (int)(L->out[2] - oh), pw = (int)(L->out[3] - ow);
                if (ph >= 0 && pw >= 0) {
                    zb_deconv(net, x, L->outmaps, &g, L->groups, ph, pw, L->act, "%s", L->name);
                    break;
                }
            }
            goto generic;
        case ITRT_POOL:
            if (fits(x)) {
                zb_pool2d(net, x, &g, L->fn, "%s", L->name);
                break;
            }
            goto generic;
        case ITRT_FC: {
            zt_t f = {n, (int64_t)(elems(L->in, L->rin) / (double)L->in[0]), 1, 1};
            int64_t k = (int64_t)(elems(L->out, L->rout) / (double)L->out[0]);
            if (fits(f) && k >= 1 && k <= ((int64_t)1 << 20)) {
                zb_fc(net, f, k, L->act, "%s", L->name);
                break;
            }
            goto generic;
        }
        case ITRT_GEMM: {
            zoo_resolved_t r;
            int64_t k = L->in[L->rin - 1], nn = L->out[L->rout - 1];
            int64_t m = L->rout >= 2 ? L->out[L->rout - 2] : 1;
            double batches = elems(L->out, L->rout) * scale / ((double)m * (double)nn);
            int weights = L->ninputs < 2;
            if (weights) {   /* one input: activations x a weight matrix */
                m = (int64_t)(elems(L->out, L->rout) * scale / (double)nn);
                batches = 1;
            }
            if (k < 1 || nn < 1 || m < 1 || m > ((int64_t)1 << 24) || k > ((int64_t)1 << 24) ||
                nn > ((int64_t)1 << 24) || batches < 1 || batches > (1 << 20))
                goto generic;
            memset(&r, 0, sizeof r);
            zoo_op_t *op = zb_gemm(net, &r, m, nn, k, weights, 0, "%s", L->name);
            op->batch = (int64_t)batches;
            op->macs *= (double)op->batch;
            break;
        }
        case ITRT_ELTWISE:
            if (fits(x)) {
                zb_eltwise(net, x, 2, L->fn, ZOO_ACT_NONE, "%s", L->name);
                break;
            }
            goto generic;
        case ITRT_ACT:
            if (fits(x)) {
                zb_act(net, x, L->act, "%s", L->name);
                break;
            }
            goto generic;
        case ITRT_SOFTMAX:
            if (fits(x)) {
                zb_softmax(net, x, "%s", L->name);
                break;
            }
            goto generic;
        case ITRT_RESIZE:
            if (fits(x) && fits(y)) {
                zb_resize_to(net, x, y.h, y.w, L->fn, "%s", L->name);
                break;
            }
            goto generic;
        case ITRT_CONCAT:
            if (fits(y)) {
                zb_concat(net, y, L->ninputs < 1 ? 1 : L->ninputs, "%s", L->name);
                break;
            }
            goto generic;
        case ITRT_COPY:
            zb_elementwise(net, (int64_t)(elems(L->out, L->rout) * scale), 1, 0, 0, "%s",
                           L->name);
            break;
        case ITRT_GENERIC:
        generic: {
            double a = elems(L->in, L->rin), b = elems(L->out, L->rout);
            int ins = L->ninputs < 1 ? 1 : L->ninputs > 64 ? 64 : L->ninputs;
            zb_elementwise(net, (int64_t)((a > b ? a : b) * scale), ins, 1, 0, "%s", L->name);
            break;
        }
        }
        if (net->nops > before && !net->nomem) {
            zoo_op_t *op = &net->ops[net->nops - 1];
            if (L->has_dtype && !e->dtype_override)
                op->dtype = L->dtype;
            if (L->sparse)
                op->sparse = 1;
        }
    }
    return 0;
}
