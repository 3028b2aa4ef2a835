/*
 * trace_internal: what soc/trace/trace.c (documents, tasks, repeat, the task graph) and
 * soc/trace/trace_ops.c (the fields of each op kind) share. Not part of the public API.
 */
#ifndef ORINSIM_TRACE_INTERNAL_H
#define ORINSIM_TRACE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "soc/trace/trace.h"
#include "soc/io/ydoc.h"

/* Bounds on user-provided quantities (docs/trace-format.md, "Bounds"). They reject
 * typos and absurd values, not unusual workloads. */
#define GIB 1073741824.0
#define MIB 1048576.0
#define MAX_BYTES (64.0 * GIB)            /* memcpy, kernel dram_bytes, cpu bytes, memory */
#define MAX_SHARED MIB                    /* kernel shared memory per CTA */
#define MAX_FLOPS 1e18                    /* per kernel, per dtype */
#define MAX_PERIOD_PS TRACE_MAX_PERIOD_PS
#define MAX_DURATION_PS (3600ULL * SIM_S)


typedef struct oplist {
    trace_op_t *v;
    int n, cap;
} oplist_t;

/* What is known about one YAML node of an op list, so that a node named many times
 * through aliases is counted and parsed once. */
typedef struct memo {
    int64_t cost;                  /* ops it expands to (ops_cost); 0 = not known */
    int task;                      /* 1 + task whose op list holds its expansion; 0 = none */
    int start, len;                /* its expansion: ops [start, start + len) of that list */
    int height;                    /* repeat levels below it */
} memo_t;

typedef struct parser {
    ydoc_t y;
    diag_t *d;
    trace_t *t;
    int64_t ops_before;            /* ops of the tasks already parsed */
    int task;                      /* index of the task being parsed */
    trace_engine_t engine;         /* of that task */
    const char *task_id;
    yaml_node_t **after_nodes;     /* per task: its `after` list, or NULL */
    memo_t *memo;                  /* per document node */
    int depth_reached;             /* deepest repeat level parsed so far */
    int cost_cut;                  /* ops_cost stopped at the depth limit */
} parser_t;

extern const int64_t trace__ONE;

int trace__oom(parser_t *p);
int trace__oplist_reserve(parser_t *p, oplist_t *l, int64_t need);
const char *trace__what(char *buf, size_t len, const char *ctx, const char *key);
int trace__int_field(parser_t *p, const yaml_node_t *map, const char *ctx, const char *key,
                     int64_t min, int64_t max, const int64_t *def, int64_t *out);
int trace__double_field(parser_t *p, const yaml_node_t *map, const char *ctx, const char *key,
                        double min, double max, double def, double *out);
int trace__size_value(parser_t *p, const yaml_node_t *v, const char *w, double min, double max,
                      double *out);
int trace__size_field(parser_t *p, const yaml_node_t *map, const char *ctx, const char *key,
                      double min, double max, int required, double *out);
int trace__duration_value(parser_t *p, const yaml_node_t *v, const char *w, uint64_t max_ps,
                          uint64_t *out);
int trace__dims_field(parser_t *p, const yaml_node_t *v, const char *w, int n, int64_t min,
                      int64_t max, int64_t fill, int64_t *out);
int trace__label(parser_t *p, const yaml_node_t *v, const char *w, char *out, size_t maxlen);
int trace__dtype_field(parser_t *p, const yaml_node_t *map, const char *ctx, dtype_t *out);

/* Variability and deadlines (soc/trace/trace_vary.c). trace__rand parses a distribution
 * (or a fixed value) of durations (ps) or of plain numbers into t->rands, *out = its
 * index + 1. */
int trace__rand(parser_t *p, const yaml_node_t *v, const char *what, int durations, int *out);
int trace__vary_top(parser_t *p, const yaml_node_t *root);
int trace__vary_task(parser_t *p, const yaml_node_t *m, trace_task_t *task);
int trace__vary_op(parser_t *p, const yaml_node_t *m, trace_op_t *op);
void trace__vary_free(trace_t *t);

/* The keys an op kind accepts (NULL-terminated), and the parse of its fields (after the
 * keys were checked; op->kind, pos, name and dtype default are set). */
const char *const *trace__op_keys(trace_op_kind_t kind);
int trace__op_fields(parser_t *p, const yaml_node_t *m, trace_op_t *op);
/* The op kind named `s` for the map `m` ("resize" with `image` is the vision primitive),
 * or -1. */
int trace__op_kind(parser_t *p, const yaml_node_t *m, const char *s);

#endif
