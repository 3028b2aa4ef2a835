/*
 * import: the importer's driver (soc/import/import.h). An ONNX model is read once, its
 * shapes propagated and its layers built at the batch asked for (a dry run that reports
 * the errors and the summary), then handed to the zoo's writer as an outside network
 * (zoo_emit_source), which builds it again for each batch the trace needs (the header's
 * batch 1, the instances of gpu+2dla) and applies the same engine rules as to the zoo's
 * own networks. A TensorRT layer-information file goes the same way with the engine's
 * own layers (soc/import/itrt.c).
 */
#include "soc/import/import.h"

#include <stdlib.h>
#include <string.h>

#include "soc/import/ilower.h"
#include "soc/import/itrt.h"
#include "soc/import/onnx_read.h"

typedef struct import_ctx {
    import_format_t format;
    ig_graph_t g;                 /* ONNX */
    itrt_engine_t e;              /* TensorRT layer information */
    const import_options_t *o;
    ilower_report_t rep;
    char stage[32];
    diag_t err;
} import_ctx_t;

import_format_t import_format_of(const char *path)
{
    size_t l = strlen(path);
    FILE *f;
    int ch;
    if (l >= 5 && strcmp(path + l - 5, ".onnx") == 0)
        return IMPORT_ONNX;
    if (l >= 5 && strcmp(path + l - 5, ".json") == 0)
        return IMPORT_LAYERS;
    if ((f = fopen(path, "rb")) == NULL)
        return IMPORT_ONNX;
    do
        ch = fgetc(f);
    while (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t');
    fclose(f);
    return ch == '{' || ch == '[' ? IMPORT_LAYERS : IMPORT_ONNX;
}

static int build(const zoo_source_t *s, zoo_net_t *net, int64_t batch, diag_t *d)
{
    import_ctx_t *c = s->ctx;
    zb_stage(net, c->stage, ZOO_ROLE_MAIN, -1);
    if (c->format == IMPORT_LAYERS)
        return itrt_build(&c->e, net, batch, d);
    if (ishape_run(&c->g, &c->o->shapes, batch, d) != 0)
        return DIAG_ERR;
    return ilower_build(&c->g, net, c->o->strict, &c->rep, d);
}

/* The file's name without folders and extension, kept to what a task id may hold. */
static void stem(const char *path, char *buf, size_t len)
{
    const char *b = strrchr(path, '/'), *dot;
    size_t n;
    b = b ? b + 1 : path;
    dot = strrchr(b, '.');
    n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
    if (n >= len)
        n = len - 1;
    for (size_t i = 0; i < n; i++) {
        char ch = b[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '_' || ch == '-' || ch == '.';
        buf[i] = ok ? ch : '_';
    }
    buf[n] = '\0';
    if (n == 0)
        snprintf(buf, len, "model");
}

static void summary(const import_ctx_t *c, const zoo_net_t *net, const char *path)
{
    const ilower_report_t *r = &c->rep;
    double macs = zoo_net_sum(net, 0, net->nops, 0), params = zoo_net_sum(net, 0, net->nops, 1);
    if (c->format == IMPORT_LAYERS) {
        fprintf(stderr, "orinsim import: %s: %d engine layers -> %d ops, %.3f GMAC\n", path,
                c->e.nlayers, net->nops, macs / 1e9);
        return;
    }
    fprintf(stderr, "orinsim import: %s: %d nodes -> %d ops, %.3f GMAC, %.3f M parameters "
            "(%d batch-norms folded, %d activations fused, %d point-wise ops fused, %d "
            "attention blocks, %d int8 layers)\n", path, c->g.nn, net->nops, macs / 1e9,
            params / 1e6, r->folded_bn, r->fused_act, r->pointwise_fused, r->attention,
            r->int8_layers);
    if (r->nunknown > 0) {
        fprintf(stderr, "orinsim: warning: %s: ops with no cost model, each modelled as a "
                "memory-bound element-wise op:", path);
        for (int i = 0; i < r->nunknown; i++)
            fprintf(stderr, "%s %s x%d", i ? "," : "", r->unknown[i].op, r->unknown[i].count);
        fprintf(stderr, " (--strict refuses them)\n");
    }
}

int import_write(FILE *out, const char *path, const import_options_t *o, diag_t *d)
{
    import_ctx_t *c = calloc(1, sizeof *c);
    zoo_source_t s;
    zoo_options_t zo;
    zoo_net_t net;
    char name[32], desc[256], cmd[1024];
    int rc = EXIT_OK;

    if (c == NULL) {
        diag_error(d, path, 0, 0, "internal error: out of memory");
        return EXIT_INTERNAL;
    }
    memset(&net, 0, sizeof net);
    c->o = o;
    c->format = import_format_of(path);
    stem(path, name, sizeof name);
    snprintf(c->stage, sizeof c->stage, "%s", name);
    if (c->format == IMPORT_ONNX) {
        if (!onnx_available()) {
            diag_error(d, path, 0, 0, "%s", ONNX_MISSING);
            free(c);
            return EXIT_UNAVAILABLE;
        }
        if (onnx_read(path, &c->g, d) != 0) {
            rc = strstr(d->msg, "internal error") ? EXIT_INTERNAL : EXIT_BAD_INPUT;
            goto out;
        }
        snprintf(desc, sizeof desc, "ONNX model %s, %d nodes", path, c->g.nn);
    } else {
        if (itrt_read(path, &c->e, d) != 0) {
            rc = strstr(d->msg, "internal error") ? EXIT_INTERNAL : EXIT_BAD_INPUT;
            goto out;
        }
        snprintf(desc, sizeof desc, "TensorRT engine layers of %s, %d layers", path,
                 c->e.nlayers);
    }
    zo = o->zoo;
    if (c->format == IMPORT_ONNX && !zo.batch && zo.engine != ZOO_ENG_GPU_2DLA)
        zo.batch = ishape_default_batch(&c->g, &o->shapes);
    if (c->format == IMPORT_LAYERS && !zo.batch)
        zo.batch = c->e.batch;
    snprintf(cmd, sizeof cmd, "orinsim import %s", path);
    for (int i = 0; i < o->shapes.n; i++) {
        size_t l = strlen(cmd);
        snprintf(cmd + l, sizeof cmd - l, " --shape %s:", o->shapes.v[i].name);
        for (int k = 0; k < o->shapes.v[i].rank; k++) {
            l = strlen(cmd);
            snprintf(cmd + l, sizeof cmd - l, "%s%lld", k ? "x" : "",
                     (long long)o->shapes.v[i].dims[k]);
        }
    }
    if (o->strict) {
        size_t l = strlen(cmd);
        snprintf(cmd + l, sizeof cmd - l, " --strict");
    }
    s = (zoo_source_t){name, desc, cmd, c->format == IMPORT_LAYERS ? c->e.dtype : DT_FP16,
                       build, c, &c->err};

    /* The dry run at the batch asked for: errors and the summary. */
    net.dtype = o->zoo.dtype_set ? o->zoo.dtype : s.dtype;
    net.sparse = o->zoo.sparse;
    diag_clear(&c->err);
    if (build(&s, &net, zo.batch ? zo.batch : 1, d) != 0 || net.nomem) {
        if (!d->set)
            diag_error(d, path, 0, 0, "internal error: out of memory");
        rc = strstr(d->msg, "internal error") ? EXIT_INTERNAL : EXIT_BAD_INPUT;
        goto out;
    }
    if (net.nops == 0) {
        diag_error(d, path, 0, 0, "the model has no op that does work (only constants and "
                   "views); expected at least one layer");
        rc = EXIT_BAD_INPUT;
        goto out;
    }
    if (zoo_emit_source(out, &s, &zo, d) != 0) {
        rc = strstr(d->msg, "internal error") ? EXIT_INTERNAL : EXIT_BAD_INPUT;
        if (!d->file[0])   /* an option the network refuses: name the model */
            snprintf(d->file, sizeof d->file, "%s", path);
    } else if (!o->quiet) {
        summary(c, &net, path);
    }
out:
    zoo_net_free(&net);
    ig_free(&c->g);
    itrt_free(&c->e);
    free(c);
    return rc;
}

int import_trace(const char *path, trace_t *t, diag_t *d)
{
    import_options_t o;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc;
    if (f == NULL) {
        diag_error(d, path, 0, 0, "internal error: out of memory");
        return EXIT_INTERNAL;
    }
    memset(&o, 0, sizeof o);
    rc = import_write(f, path, &o, d);
    if (fclose(f) != 0 && rc == EXIT_OK) {
        diag_error(d, path, 0, 0, "internal error: out of memory");
        rc = EXIT_INTERNAL;
    }
    if (rc == EXIT_OK && trace_parse(path, buf, len, t, d) != 0)
        rc = EXIT_BAD_INPUT;
    free(buf);
    return rc;
}
