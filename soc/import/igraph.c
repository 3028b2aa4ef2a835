/*
 * igraph: the importer's graph (soc/import/igraph.h): tensors found by name through an
 * open-addressing table, memory that lives as long as the graph, and the order of the
 * nodes (Kahn's algorithm: a node is ready when every tensor it reads is made, and of the
 * ready nodes the one first in the file goes first; what is never ready lies on a cycle).
 */
#include "soc/import/igraph.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/grow.h"

void ig_init(ig_graph_t *g, const char *file)
{
    memset(g, 0, sizeof *g);
    g->file = file;
}

void ig_free(ig_graph_t *g)
{
    for (int i = 0; i < g->nblocks; i++)
        free(g->blocks[i]);
    free(g->blocks);
    free(g->t);
    free(g->hash);
    if (g->source_free != NULL)
        g->source_free(g->source);
    memset(g, 0, sizeof *g);
}

void *ig_alloc(ig_graph_t *g, size_t size)
{
    void **b = grow_one(g->blocks, g->nblocks, &g->bcap, 64, sizeof *b);
    void *p;
    if (b == NULL)
        return NULL;
    g->blocks = b;
    p = calloc(1, size ? size : 1);
    if (p != NULL)
        g->blocks[g->nblocks++] = p;
    return p;
}

static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

int ig_find(const ig_graph_t *g, const char *name)
{
    if (g->hcap == 0)
        return -1;
    for (uint32_t i = name_hash(name) & (uint32_t)(g->hcap - 1);; i = (i + 1) & (uint32_t)(g->hcap - 1)) {
        int k = g->hash[i];
        if (k == 0)
            return -1;
        if (strcmp(g->t[k - 1].name, name) == 0)
            return k - 1;
    }
}

static void hash_put(ig_graph_t *g, int k)
{
    uint32_t i = name_hash(g->t[k].name) & (uint32_t)(g->hcap - 1);
    while (g->hash[i] != 0)
        i = (i + 1) & (uint32_t)(g->hcap - 1);
    g->hash[i] = k + 1;
}

int ig_tensor(ig_graph_t *g, const char *name)
{
    int k = ig_find(g, name);
    ig_tensor_t *t;
    if (k >= 0)
        return k;
    if (2 * (g->nt + 1) > g->hcap) {   /* keep the table at most half full */
        int cap = g->hcap ? 2 * g->hcap : 256;
        int *h = calloc((size_t)cap, sizeof *h);
        if (h == NULL)
            return -1;
        free(g->hash);
        g->hash = h;
        g->hcap = cap;
        for (int i = 0; i < g->nt; i++)
            hash_put(g, i);
    }
    t = grow_one(g->t, g->nt, &g->tcap, 256, sizeof *t);
    if (t == NULL)
        return -1;
    g->t = t;
    k = g->nt++;
    memset(&g->t[k], 0, sizeof g->t[k]);
    g->t[k].name = name;
    g->t[k].rank = -1;
    g->t[k].producer = -1;
    hash_put(g, k);
    return k;
}

/* A binary min-heap of node indices. */
static void heap_push(int *h, int *n, int v)
{
    int i = (*n)++;
    while (i > 0 && h[(i - 1) / 2] > v) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = v;
}

static int heap_pop(int *h, int *n)
{
    int top = h[0], v = h[--*n], i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1] < h[c])
            c++;
        if (h[c] >= v)
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n > 0)
        h[i] = v;
    return top;
}

int ig_order(ig_graph_t *g, diag_t *d)
{
    int *waiting = ig_alloc(g, (size_t)g->nn * sizeof *waiting);
    int *ready = ig_alloc(g, (size_t)g->nn * sizeof *ready);
    int nready = 0, norder = 0, nuses = 0, *first, *fill, *users;
    g->order = ig_alloc(g, (size_t)g->nn * sizeof *g->order);
    if (waiting == NULL || ready == NULL || g->order == NULL)
        return diag_error(d, g->file, 0, 0, "internal error: out of memory");
    for (int i = 0; i < g->nn; i++) {
        const ig_node_t *n = &g->n[i];
        for (int j = 0; j < n->nout; j++) {
            ig_tensor_t *t = n->out[j] >= 0 ? &g->t[n->out[j]] : NULL;
            if (t == NULL)
                continue;
            if (t->producer >= 0 || t->kind != IG_VALUE)
                return diag_error(d, g->file, 0, 0,
                                  "node '%s' (%s): its output '%s' is already %s; expected "
                                  "each tensor to be made once",
                                  n->name, n->op, t->name,
                                  t->producer >= 0 ? "made by another node"
                                  : t->kind == IG_INPUT ? "a graph input" : "an initializer");
            t->producer = i;
        }
    }
    for (int i = 0; i < g->nn; i++) {
        const ig_node_t *n = &g->n[i];
        for (int j = 0; j < n->nin; j++) {
            ig_tensor_t *t = n->in[j] >= 0 ? &g->t[n->in[j]] : NULL;
            if (t == NULL)
                continue;
            t->nconsumers++;
            if (t->kind == IG_VALUE && t->producer < 0)
                return diag_error(d, g->file, 0, 0,
                                  "node '%s' (%s): input '%s' is made by no node and is "
                                  "neither a graph input nor an initializer",
                                  n->name, n->op, t->name);
            if (t->producer >= 0)
                waiting[i]++;
        }
        if (waiting[i] == 0)
            heap_push(ready, &nready, i);
    }
    /* Consumers of each tensor, as a CSR table: first[t] .. first[t + 1] in users. */
    first = ig_alloc(g, (size_t)(g->nt + 1) * sizeof *first);
    fill = ig_alloc(g, (size_t)(g->nt + 1) * sizeof *fill);
    for (int i = 0; first != NULL && i < g->nn; i++)
        for (int j = 0; j < g->n[i].nin; j++)
            if (g->n[i].in[j] >= 0)
                first[g->n[i].in[j] + 1]++, nuses++;
    users = ig_alloc(g, (size_t)nuses * sizeof *users);
    if (first == NULL || fill == NULL || users == NULL)
        return diag_error(d, g->file, 0, 0, "internal error: out of memory");
    for (int k = 0; k < g->nt; k++)
        first[k + 1] += first[k];
    for (int i = 0; i < g->nn; i++)
        for (int j = 0; j < g->n[i].nin; j++) {
            int k = g->n[i].in[j];
            if (k >= 0)
                users[first[k] + fill[k]++] = i;
        }
    /* Kahn: take the ready node that comes first in the file, release the nodes reading
     * its outputs. A min-heap on the node index keeps the file's own order when it is
     * already a topological one (exporters write it so). */
    while (nready > 0) {
        int i = heap_pop(ready, &nready);
        const ig_node_t *n = &g->n[i];
        g->order[norder++] = i;
        for (int j = 0; j < n->nout; j++) {
            int o = n->out[j];
            if (o < 0)
                continue;
            for (int u = first[o]; u < first[o + 1]; u++)
                if (--waiting[users[u]] == 0)
                    heap_push(ready, &nready, users[u]);
        }
    }
    if (norder < g->nn) {
        for (int i = 0; i < g->nn; i++)
            if (waiting[i] > 0)
                return diag_error(d, g->file, 0, 0,
                                  "node '%s' (%s) is on a cycle: it reads, through other "
                                  "nodes, its own output; expected an acyclic graph",
                                  g->n[i].name, g->n[i].op);
    }
    return 0;
}

const ig_attr_t *ig_attr(const ig_node_t *n, const char *name)
{
    for (int i = 0; i < n->nattr; i++)
        if (strcmp(n->attr[i].name, name) == 0)
            return &n->attr[i];
    return NULL;
}

int64_t ig_attr_int(const ig_node_t *n, const char *name, int64_t dflt)
{
    const ig_attr_t *a = ig_attr(n, name);
    return a && a->type == IG_A_INT ? a->i : dflt;
}

double ig_attr_float(const ig_node_t *n, const char *name, double dflt)
{
    const ig_attr_t *a = ig_attr(n, name);
    return a && a->type == IG_A_FLOAT ? a->f : dflt;
}

int ig_attr_is(const ig_node_t *n, const char *name, const char *s, int dflt_match)
{
    const ig_attr_t *a = ig_attr(n, name);
    if (a == NULL || a->type != IG_A_STRING)
        return dflt_match;
    return a->slen == strlen(s) && memcmp(a->s, s, a->slen) == 0;
}

double ig_clamp(double v)
{
    const double lim = 4611686018427387904.0;   /* 2^62 */
    if (v != v)
        return 0;
    return v > lim ? lim : v < -lim ? -lim : v;
}

double ig_elements(const ig_tensor_t *t)
{
    double e = 1;
    for (int i = 0; i < t->rank; i++)
        e *= (double)t->dims[i];
    return e;
}

const char *ig_dtype_name(int dtype)
{
    static const char *const names[IG_DTYPE_COUNT] = {
        "undefined", "float", "uint8", "int8", "uint16", "int16", "int32", "int64",
        "string", "bool", "float16", "double", "uint32", "uint64", "complex64",
        "complex128", "bfloat16"};
    return dtype >= 0 && dtype < IG_DTYPE_COUNT ? names[dtype] : NULL;
}

void ig_dims_str(const ig_tensor_t *t, char *buf, size_t len)
{
    size_t l = 0;
    buf[0] = '\0';
    if (t->rank <= 0) {
        snprintf(buf, len, t->rank == 0 ? "scalar" : "unknown");
        return;
    }
    for (int i = 0; i < t->rank && l < len; i++) {
        if (t->dims[i] < 0)
            snprintf(buf + l, len - l, "%s%s", i ? "x" : "",
                     t->dim_param[i] ? t->dim_param[i] : "?");
        else
            snprintf(buf + l, len - l, "%s%" PRId64, i ? "x" : "", t->dims[i]);
        l = strlen(buf);
    }
}
