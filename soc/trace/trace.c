/*
 * trace: the workload trace format v1, parsed from YAML. See trace.h and
 * docs/trace-format.md, which lists every field, unit, default and bound used here.
 *
 * The whole file is loaded as a libyaml document (soc/io/ydoc.c) and walked in three passes:
 *
 *   1. top-level fields, then each task in file order: id, engine, ops. `repeat` blocks
 *      are expanded while their op lists are parsed, so every task ends up with a flat
 *      op array. The `after` lists are only checked for shape here.
 *   2. `after` names are resolved to task indices (a task may name a later one).
 *   3. Kahn's algorithm gives `topo`, taking the lowest ready index first so the order
 *      is a function of the file alone. Tasks it cannot order lie on or behind a
 *      dependency cycle; one cycle is found by walking predecessors and reported.
 *
 * Errors: the first one found wins and names the node's line:column. Within a task the
 * order is document order; unknown `after` names and cycles come after every task has
 * parsed, because a task may depend on one defined below it.
 *
 * Expansion limits. YAML aliases let a few hundred bytes name one op list millions of
 * times, and an alias may even name the block that contains it (libyaml builds such
 * a self-referential node). So before a repeat block is expanded, the size of its body
 * is counted (ops_cost), saturating as soon as the whole-trace limit TRACE_MAX_OPS would
 * be passed, and repeat nesting is bounded (MAX_REPEAT_DEPTH), which also stops alias
 * cycles. The body is then parsed once and copied count - 1 times. Both the count and
 * the parse remember their result per YAML node (memo_t), so a node named through many
 * aliases costs one walk and then plain copies: time is linear in the file plus the ops
 * produced. An alias has no position of its own in libyaml's document, so an error in
 * an aliased node is reported where its anchor defines it.
 *
 * What it does not check: whether the module has the engine (a Nano has no DLA) or the
 * engine is modelled yet; soc/run/replay.c does that with engine_pos. It only checks
 * bounds that hold on any hardware (a CUDA block has at most 1024 threads).
 */
#include "soc/trace/trace.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/trace/trace_internal.h"
#include "soc/io/units.h"
#include "soc/io/ydoc.h"

enum { MAX_REPEAT_DEPTH = 16, MAX_OP_KEYS = 32 };

static const char *const TOP_KEYS[] = {"orinsim", "name", "frames", "period", "max_in_flight",
                                       "tasks", "budgets", "arrival", "deadline", "overload",
                                       "interference", "runtime", NULL};
static const char *const TASK_KEYS[] = {"id", "engine", "after", "ops", "fallback", "io_format",
                                        "memory", "process", "io_dtype", "input_dtype",
                                        "output_dtype", "deadline", NULL};
static const char *const MEMORY_KEYS[] = {"weights", "activations", "kv_cache", "buffers", NULL};
static const char *const REPEAT_KEYS[] = {"op", "name", "count", "ops", NULL};

/* ---- op lists and repeat ---- */

static int is_repeat(const yaml_node_t *item, parser_t *p)
{
    const char *s = ydoc_str(ydoc_get(&p->y, item, "op"));
    return item->type == YAML_MAPPING_NODE && s && strcmp(s, "repeat") == 0;
}

static memo_t *memo_of(parser_t *p, const yaml_node_t *n)
{
    return &p->memo[n - p->y.doc.nodes.start];
}

/* How many ops `seq` expands to, saturated at cap + 1. Anything that is not a well-formed
 * repeat counts as one op (the parse reports it), and so does a repeat at the depth limit.
 * An exact count is remembered per node, so each node is walked once however many
 * aliases name it; a saturated count ends the parse with an error. */
static int64_t ops_cost(parser_t *p, const yaml_node_t *seq, int depth, int64_t cap)
{
    int64_t total = 0;
    size_t n = ydoc_seq_len(seq);
    for (size_t i = 0; i < n && total <= cap; i++) {
        yaml_node_t *item = ydoc_seq_at(&p->y, seq, i);
        yaml_node_t *body = ydoc_get(&p->y, item, "ops");
        memo_t *mm = memo_of(p, item);
        int64_t cost = 1;
        double count;
        if (mm->cost > 0) {
            cost = mm->cost;
        } else if (is_repeat(item, p) && ydoc_seq_len(body) > 0 &&
                   units_number(ydoc_str(ydoc_get(&p->y, item, "count")), &count) == 0 &&
                   count >= 1 && count <= TRACE_MAX_OPS && count == floor(count)) {
            int64_t c = (int64_t)count, subcap = (cap - total) / c, sub;
            int cut = p->cost_cut;
            if (depth >= MAX_REPEAT_DEPTH) {
                p->cost_cut = 1;
            } else if (subcap < 1) {
                cost = cap + 1;
            } else {
                p->cost_cut = 0;
                sub = ops_cost(p, body, depth + 1, subcap);
                cost = c * sub;
                if (sub <= subcap && !p->cost_cut)
                    mm->cost = cost;
                p->cost_cut |= cut;
            }
        } else {
            mm->cost = 1;
        }
        total += cost;
    }
    return total < 1 ? 1 : total > cap ? cap + 1 : total;
}

static int parse_ops(parser_t *p, const yaml_node_t *seq, int depth, oplist_t *out);

static int too_many(parser_t *p, const yaml_node_t *n)
{
    return ydoc_error(&p->y, n, p->d,
                      "too many ops: the trace would hold more than %d ops after repeat "
                      "expansion (TRACE_MAX_OPS)", TRACE_MAX_OPS);
}

static int parse_repeat(parser_t *p, const yaml_node_t *m, int depth, oplist_t *out)
{
    yaml_node_t *body, *v;
    int64_t count, cap, cost, start, len;
    char name[TRACE_ID_LEN];
    if (ydoc_check_keys(&p->y, m, REPEAT_KEYS, "repeat op", p->d) != 0 ||
        trace__int_field(p, m, "repeat", "count", 1, TRACE_MAX_OPS, NULL, &count) != 0)
        return DIAG_ERR;
    if ((v = ydoc_get(&p->y, m, "name")) && trace__label(p, v, "repeat name", name, sizeof name))
        return DIAG_ERR;
    body = ydoc_require(&p->y, m, "ops", "repeat op", p->d);
    if (body == NULL || ydoc_expect_seq(&p->y, body, "repeat ops", p->d) != 0)
        return DIAG_ERR;
    if (ydoc_seq_len(body) == 0)
        return ydoc_error(&p->y, body, p->d, "repeat ops is empty (expected at least one op)");
    if (depth + 1 > MAX_REPEAT_DEPTH)
        return ydoc_error(&p->y, m, p->d,
                          "repeat blocks nested more than %d deep (does a YAML alias name the "
                          "block that contains it?)", MAX_REPEAT_DEPTH);
    /* Count before expanding: the body alone, then count copies of it. */
    cap = (TRACE_MAX_OPS - p->ops_before - out->n) / count;
    cost = cap < 1 ? 1 : ops_cost(p, body, depth + 1, cap);
    if (cap < 1 || cost > cap)
        return too_many(p, m);
    start = out->n;
    if (p->depth_reached < depth + 1)
        p->depth_reached = depth + 1;
    if (parse_ops(p, body, depth + 1, out) != 0)
        return DIAG_ERR;
    len = out->n - start;
    assert(len >= 1);
    if (len * count > TRACE_MAX_OPS - p->ops_before - start)
        return too_many(p, m);          /* not reached: cost == len for a body that parsed */
    if (trace__oplist_reserve(p, out, start + len * count) != 0)
        return DIAG_ERR;
    for (int64_t i = 1; i < count; i++)
        memcpy(out->v + start + i * len, out->v + start, (size_t)len * sizeof *out->v);
    out->n = (int)(start + len * count);
    return 0;
}

/* Which engines run which op kinds: cpu ops only on the CPU and the CPU only cpu ops;
 * vision primitives on the PVA or the GPU, and the PVA only those. DLA tasks take layers
 * and GPU ops; whether the DLA can run each is decided when the SoC is built. */
static int check_engine(parser_t *p, const yaml_node_t *m, int kind, const char *ks)
{
    const char *eng = trace_engine_name(p->engine);
    if (kind == OP_CPU && p->engine != ENG_CPU)
        return ydoc_error(&p->y, m, p->d,
                          "cpu op in task '%s' on engine %s (cpu ops run only on engine cpu)",
                          p->task_id, eng);
    if (kind != OP_CPU && p->engine == ENG_CPU)
        return ydoc_error(&p->y, m, p->d,
                          "%s op in task '%s' on engine cpu (engine cpu runs only cpu ops)",
                          ks, p->task_id);
    if (trace_op_is_vision((trace_op_kind_t)kind) && p->engine != ENG_PVA &&
        p->engine != ENG_GPU)
        return ydoc_error(&p->y, m, p->d,
                          "%s op in task '%s' on engine %s (vision ops run on pva or gpu)", ks,
                          p->task_id, eng);
    if (!trace_op_is_vision((trace_op_kind_t)kind) && p->engine == ENG_PVA)
        return ydoc_error(&p->y, m, p->d,
                          "%s op in task '%s' on engine pva (the pva runs vision ops: "
                          "color_convert, resize, remap, gaussian, box_filter, harris, fast, "
                          "histogram, stereo, vpu)", ks, p->task_id);
    return 0;
}

/* The keys of an op kind, and work_scale, which every op takes. */
static const char *const *op_keys(int kind, const char **buf)
{
    const char *const *k = trace__op_keys((trace_op_kind_t)kind);
    int n = 0;
    while (k[n] && n < MAX_OP_KEYS - 2) {
        buf[n] = k[n];
        n++;
    }
    buf[n++] = "work_scale";
    buf[n] = NULL;
    return buf;
}

static int parse_op(parser_t *p, const yaml_node_t *m, int depth, oplist_t *out)
{
    const char *keys[MAX_OP_KEYS];
    yaml_node_t *kn, *v;
    const char *ks;
    trace_op_t op;
    int kind;
    char w[96];

    if (ydoc_expect_map(&p->y, m, "an op (e.g. {op: gemm, m: 64, n: 64, k: 64})", p->d) != 0)
        return DIAG_ERR;
    kn = ydoc_require(&p->y, m, "op", "op (its kind, e.g. gemm, conv, pool, cpu or repeat)", p->d);
    if (kn == NULL || ydoc_expect_scalar(&p->y, kn, "op", p->d) != 0)
        return DIAG_ERR;
    ks = ydoc_str(kn);
    if (strcmp(ks, "repeat") == 0)
        return parse_repeat(p, m, depth, out);
    kind = trace__op_kind(p, m, ks);
    if (kind < 0)
        return ydoc_error(&p->y, kn, p->d,
                          "unknown op '%s' (expected one of: gemm, conv, attention, elementwise, "
                          "reduce, memcpy, kernel, cpu, deconv, fc, pool, activation, eltwise, "
                          "batchnorm, concat, resize, softmax, color_convert, remap, gaussian, "
                          "box_filter, harris, fast, histogram, stereo, vpu, repeat)", ks);
    if (check_engine(p, m, kind, ks) != 0)
        return DIAG_ERR;
    if (kind != OP_GEMM && kind != OP_CONV && kind != OP_DECONV && kind != OP_FC &&
        (v = ydoc_key_node(&p->y, m, "sparsity")))
        return ydoc_error(&p->y, v, p->d,
                          "sparsity applies only to gemm, conv, deconv and fc ops, not %s", ks);
    if (ydoc_check_keys(&p->y, m, op_keys(kind, keys), trace__what(w, sizeof w, ks, "op"),
                        p->d) != 0)
        return DIAG_ERR;

    memset(&op, 0, sizeof op);
    op.kind = (trace_op_kind_t)kind;
    op.pos.line = ydoc_line(m);
    op.pos.col = ydoc_col(m);
    op.dtype = DT_FP16;
    op.act = -1;
    if ((v = ydoc_get(&p->y, m, "name")) &&
        trace__label(p, v, trace__what(w, sizeof w, ks, "name"), op.name, sizeof op.name))
        return DIAG_ERR;
    if (trace__op_fields(p, m, &op) != 0 || trace__vary_op(p, m, &op) != 0)
        return DIAG_ERR;
    if (p->ops_before + out->n + 1 > TRACE_MAX_OPS)
        return too_many(p, m);
    if (trace__oplist_reserve(p, out, (int64_t)out->n + 1) != 0)
        return DIAG_ERR;
    out->v[out->n++] = op;
    return 0;
}

/* Parse an op list into `out`. An item already expanded in this task (an alias of it) is
 * copied from that expansion, unless at this depth its repeats would nest too deep. */
static int parse_ops(parser_t *p, const yaml_node_t *seq, int depth, oplist_t *out)
{
    size_t n = ydoc_seq_len(seq);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = ydoc_seq_at(&p->y, seq, i);
        memo_t *mm = memo_of(p, item);
        int start = out->n, outer = p->depth_reached;
        if (mm->task == p->task + 1 && depth + mm->height <= MAX_REPEAT_DEPTH) {
            if (p->ops_before + out->n + mm->len > TRACE_MAX_OPS)
                return too_many(p, item);
            if (trace__oplist_reserve(p, out, (int64_t)out->n + mm->len) != 0)
                return DIAG_ERR;
            memcpy(out->v + out->n, out->v + mm->start, (size_t)mm->len * sizeof *out->v);
            out->n += mm->len;
            if (p->depth_reached < depth + mm->height)
                p->depth_reached = depth + mm->height;
            continue;
        }
        p->depth_reached = depth;
        if (parse_op(p, item, depth, out) != 0)
            return DIAG_ERR;
        mm->task = p->task + 1;
        mm->start = start;
        mm->len = out->n - start;
        mm->height = p->depth_reached - depth;
        if (p->depth_reached < outer)
            p->depth_reached = outer;
    }
    return 0;
}

/* ---- tasks ---- */

static int valid_id(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

/* A task's io_dtype, input_dtype or output_dtype `key` in `v`: the type its host tensors
 * are held in. */
static int parse_io_dtype(parser_t *p, const yaml_node_t *v, const char *key,
                          const trace_task_t *task, dtype_t *out)
{
    int dla = task->engine == ENG_DLA0 || task->engine == ENG_DLA1 || task->engine == ENG_DLA;
    char what[32];
    snprintf(what, sizeof what, "task %s", key);
    if (ydoc_expect_scalar(&p->y, v, what, p->d) != 0)
        return DIAG_ERR;
    if (dtype_parse(ydoc_str(v), out) != 0 || *out == DT_TF32)
        return ydoc_error(&p->y, v, p->d, "unknown %s '%s' (expected fp32, fp16, bf16, int8 or "
                          "int4)", key, ydoc_str(v));
    if (!dla && task->engine != ENG_GPU)
        return ydoc_error(&p->y, v, p->d, "%s applies to gpu and dla tasks, not to engine %s",
                          key, trace_engine_name(task->engine));
    return 0;
}

/* fallback, io_format, the I/O types and memory: what a task asks of its engine. */
static int parse_task_options(parser_t *p, const yaml_node_t *m, trace_task_t *task)
{
    yaml_node_t *v;
    int dla = task->engine == ENG_DLA0 || task->engine == ENG_DLA1 || task->engine == ENG_DLA;
    if ((v = ydoc_get(&p->y, m, "fallback"))) {
        const char *s;
        if (ydoc_expect_scalar(&p->y, v, "task fallback", p->d) != 0)
            return DIAG_ERR;
        s = ydoc_str(v);
        if (strcmp(s, "gpu") == 0)
            task->fallback = FALLBACK_GPU;
        else if (strcmp(s, "none") != 0)
            return ydoc_error(&p->y, v, p->d, "unknown fallback '%s' (expected none or gpu)", s);
        if (task->fallback == FALLBACK_GPU && !dla && task->engine != ENG_PVA)
            return ydoc_error(&p->y, v, p->d,
                              "fallback applies to dla and pva tasks, not to engine %s",
                              trace_engine_name(task->engine));
    }
    if ((v = ydoc_get(&p->y, m, "io_format"))) {
        const char *s;
        if (ydoc_expect_scalar(&p->y, v, "task io_format", p->d) != 0)
            return DIAG_ERR;
        s = ydoc_str(v);
        if (strcmp(s, "native") == 0)
            task->io_native = 1;
        else if (strcmp(s, "linear") != 0)
            return ydoc_error(&p->y, v, p->d, "unknown io_format '%s' (expected linear or native)",
                              s);
        if (!dla)
            return ydoc_error(&p->y, v, p->d, "io_format applies to dla tasks, not to engine %s",
                              trace_engine_name(task->engine));
    }
    if ((v = ydoc_get(&p->y, m, "io_dtype"))) {
        if (parse_io_dtype(p, v, "io_dtype", task, &task->in_dtype) != 0)
            return DIAG_ERR;
        task->out_dtype = task->in_dtype;
        task->has_in_dtype = task->has_out_dtype = 1;
    }
    for (int out = 0; out < 2; out++) {   /* input_dtype, output_dtype: one side each */
        const char *key = out ? "output_dtype" : "input_dtype";
        if ((v = ydoc_get(&p->y, m, key)) == NULL)
            continue;
        if (ydoc_get(&p->y, m, "io_dtype"))
            return ydoc_error(&p->y, v, p->d, "%s and io_dtype both given (io_dtype sets the "
                              "input and the output type)", key);
        if (parse_io_dtype(p, v, key, task, out ? &task->out_dtype : &task->in_dtype) != 0)
            return DIAG_ERR;
        *(out ? &task->has_out_dtype : &task->has_in_dtype) = 1;
    }
    if ((v = ydoc_get(&p->y, m, "memory"))) {
        double *f[] = {&task->memory.weights, &task->memory.activations, &task->memory.kv_cache,
                       &task->memory.buffers};
        if (ydoc_expect_map(&p->y, v, "task memory", p->d) != 0 ||
            ydoc_check_keys(&p->y, v, MEMORY_KEYS, "task memory", p->d) != 0)
            return DIAG_ERR;
        for (int i = 0; MEMORY_KEYS[i]; i++)
            if (trace__size_field(p, v, "memory", MEMORY_KEYS[i], 0.0, 1024.0 * GIB, 0, f[i]))
                return DIAG_ERR;
    }
    return 0;
}

/* process: the OS process (CUDA context) a task's GPU work belongs to. Tasks without one
 * share the trace's own process, context 0; each named process is a context of its own,
 * numbered in order of first appearance. */
static int parse_process(parser_t *p, const yaml_node_t *m, int index)
{
    trace_task_t *task = &p->t->tasks[index];
    yaml_node_t *v = ydoc_get(&p->y, m, "process");
    int contexts = 0;
    if (v == NULL)
        return 0;
    if (ydoc_string(&p->y, v, "task process", task->process, sizeof task->process, p->d) != 0)
        return DIAG_ERR;
    if (!valid_id(task->process))
        return ydoc_error(&p->y, v, p->d, "process '%s' may hold only letters, digits, '_', '-' "
                          "and '.'", task->process);
    for (int i = 0; i < index; i++) {
        const trace_task_t *o = &p->t->tasks[i];
        if (o->process[0] && strcmp(o->process, task->process) == 0) {
            task->context = o->context;
            return 0;
        }
        if (o->context > contexts)
            contexts = o->context;
    }
    task->context = contexts + 1;
    return 0;
}

static int parse_task(parser_t *p, const yaml_node_t *m, int index)
{
    trace_task_t *task = &p->t->tasks[index];
    yaml_node_t *v, *ops;
    oplist_t list = {0};
    int e = -1;

    if (ydoc_expect_map(&p->y, m, "a task (id, engine, after, ops)", p->d) != 0 ||
        ydoc_check_keys(&p->y, m, TASK_KEYS, "task", p->d) != 0)
        return DIAG_ERR;
    task->pos.line = ydoc_line(m);
    task->pos.col = ydoc_col(m);
    v = ydoc_require(&p->y, m, "id", "task", p->d);
    if (v == NULL || ydoc_string(&p->y, v, "task id", task->id, sizeof task->id, p->d) != 0)
        return DIAG_ERR;
    if (!valid_id(task->id))
        return ydoc_error(&p->y, v, p->d, "task id '%s' may hold only letters, digits, '_', '-' "
                          "and '.'", task->id);
    for (int i = 0; i < index; i++)
        if (strcmp(p->t->tasks[i].id, task->id) == 0)
            return ydoc_error(&p->y, v, p->d, "duplicate task id '%s' (first defined at line %d)",
                              task->id, p->t->tasks[i].pos.line);

    v = ydoc_require(&p->y, m, "engine", "task", p->d);
    if (v == NULL || ydoc_expect_scalar(&p->y, v, "task engine", p->d) != 0)
        return DIAG_ERR;
    for (int i = 0; i < ENG_COUNT; i++)
        if (strcmp(ydoc_str(v), trace_engine_name((trace_engine_t)i)) == 0)
            e = i;
    if (e < 0)
        return ydoc_error(&p->y, v, p->d, "unknown engine '%s' (expected one of: gpu, dla0, dla1, "
                          "dla, pva, cpu)", ydoc_str(v));
    task->engine = (trace_engine_t)e;
    task->engine_pos.line = ydoc_line(v);
    task->engine_pos.col = ydoc_col(v);
    if (parse_task_options(p, m, task) != 0 || parse_process(p, m, index) != 0 ||
        trace__vary_task(p, m, task) != 0)
        return DIAG_ERR;

    if ((v = ydoc_get(&p->y, m, "after"))) {
        if (ydoc_expect_seq(&p->y, v, "task after (a list of task ids)", p->d) != 0)
            return DIAG_ERR;
        for (size_t i = 0; i < ydoc_seq_len(v); i++) {
            char id[TRACE_ID_LEN];
            if (ydoc_string(&p->y, ydoc_seq_at(&p->y, v, i), "task id in after", id, sizeof id,
                            p->d) != 0)
                return DIAG_ERR;
        }
        p->after_nodes[index] = v;
    }

    ops = ydoc_require(&p->y, m, "ops", "task", p->d);
    if (ops == NULL || ydoc_expect_seq(&p->y, ops, "task ops", p->d) != 0)
        return DIAG_ERR;
    if (ydoc_seq_len(ops) == 0)
        return ydoc_error(&p->y, ops, p->d, "task '%s' has no ops (expected at least one)",
                          task->id);
    p->task = index;
    p->engine = task->engine;
    p->task_id = task->id;
    if (parse_ops(p, ops, 0, &list) != 0) {
        free(list.v);
        return DIAG_ERR;
    }
    task->ops = list.v;
    task->nops = list.n;
    p->ops_before += list.n;
    return 0;
}

/* ---- after edges, topological order, cycles ---- */

typedef struct id_index {
    const char *id;
    int task;
} id_index_t;

static int cmp_id(const void *a, const void *b)
{
    return strcmp(((const id_index_t *)a)->id, ((const id_index_t *)b)->id);
}

static int resolve_after(parser_t *p)
{
    trace_t *t = p->t;
    id_index_t *idx = malloc((size_t)t->ntasks * sizeof *idx);
    int *seen = calloc((size_t)t->ntasks, sizeof *seen);
    int rc = 0;
    if (idx == NULL || seen == NULL) {
        free(idx);
        free(seen);
        return trace__oom(p);
    }
    for (int i = 0; i < t->ntasks; i++)
        idx[i] = (id_index_t){t->tasks[i].id, i};
    qsort(idx, (size_t)t->ntasks, sizeof *idx, cmp_id);
    for (int i = 0; i < t->ntasks && rc == 0; i++) {
        trace_task_t *task = &t->tasks[i];
        const yaml_node_t *list = p->after_nodes[i];
        size_t n = ydoc_seq_len(list);
        if (n == 0)
            continue;
        task->after = malloc(n * sizeof *task->after);
        if (task->after == NULL) {
            rc = trace__oom(p);
            break;
        }
        for (size_t j = 0; j < n; j++) {
            yaml_node_t *item = ydoc_seq_at(&p->y, list, j);
            id_index_t key = {ydoc_str(item), 0};
            id_index_t *hit = bsearch(&key, idx, (size_t)t->ntasks, sizeof *idx, cmp_id);
            if (hit == NULL) {
                rc = ydoc_error(&p->y, item, p->d, "task '%s' is after unknown task '%s'",
                                task->id, key.id);
                break;
            }
            if (hit->task == i) {
                rc = ydoc_error(&p->y, item, p->d, "task '%s' lists itself in after", task->id);
                break;
            }
            if (seen[hit->task] == i + 1) {
                rc = ydoc_error(&p->y, item, p->d, "task '%s' lists '%s' twice in after",
                                task->id, key.id);
                break;
            }
            seen[hit->task] = i + 1;
            task->after[task->nafter++] = hit->task;
        }
    }
    free(idx);
    free(seen);
    return rc;
}

/* Report one cycle among the tasks Kahn's algorithm left (`done` == 0). Each of them has
 * an unfinished predecessor, so following the first such one from the lowest-index left
 * task must come back to a task already on the path. */
static int report_cycle(parser_t *p, const char *done)
{
    trace_t *t = p->t;
    int *onpath = calloc((size_t)t->ntasks, sizeof *onpath);   /* 1 + step number */
    int *path = malloc((size_t)t->ntasks * sizeof *path);
    int cur = 0, len = 0, first, low, lowstep, pred = -1, entry = 0;
    char msg[900];
    size_t used = 0;
    if (onpath == NULL || path == NULL) {
        free(onpath);
        free(path);
        return trace__oom(p);
    }
    while (done[cur])
        cur++;
    while (!onpath[cur]) {
        trace_task_t *task = &t->tasks[cur];
        int next = -1;
        onpath[cur] = ++len;
        path[len - 1] = cur;
        for (int j = 0; j < task->nafter && next < 0; j++)
            if (!done[task->after[j]])
                next = task->after[j];
        assert(next >= 0);
        cur = next;
    }
    /* path[first..len-1] is the cycle, each task after the next one. */
    first = onpath[cur] - 1;
    low = first;
    for (int i = first; i < len; i++)
        if (path[i] < path[low])
            low = i;
    lowstep = low;
    /* Print in run order, starting and ending at the lowest-index task: walking the path
     * backwards from it goes from predecessor to successor. */
    for (int k = 0; k <= len - first; k++) {
        int i = lowstep - k;
        int w;
        if (i < first)
            i += len - first;
        w = snprintf(msg + used, sizeof msg - used, "%s%s", k ? " -> " : "", t->tasks[path[i]].id);
        if (w < 0 || (size_t)w >= sizeof msg - used) {
            snprintf(msg + (sizeof msg - 5), 5, " ...");
            break;
        }
        used += (size_t)w;
    }
    /* The edge at which it is reported: the lowest task's after entry naming its predecessor
     * in the cycle, which is the next task on the path. */
    low = path[lowstep];
    pred = path[lowstep + 1 < len ? lowstep + 1 : first];
    for (int j = 0; j < t->tasks[low].nafter; j++)
        if (t->tasks[low].after[j] == pred)
            entry = j;
    free(onpath);
    free(path);
    return ydoc_error(&p->y, ydoc_seq_at(&p->y, p->after_nodes[low], (size_t)entry), p->d,
                      "dependency cycle: %s", msg);
}

static int order_tasks(parser_t *p)
{
    trace_t *t = p->t;
    int n = t->ntasks, emitted = 0, rc = 0;
    int *indeg = calloc((size_t)n, sizeof *indeg);
    int *succ_start = calloc((size_t)n + 1, sizeof *succ_start);
    int *succ = NULL;
    char *done = calloc((size_t)n, 1);
    int64_t edges = 0;

    t->topo = malloc((size_t)n * sizeof *t->topo);
    if (indeg == NULL || succ_start == NULL || done == NULL || t->topo == NULL) {
        rc = trace__oom(p);
        goto out;
    }
    /* Successor lists in CSR form: succ[succ_start[i] .. succ_start[i+1]) run after i. */
    for (int i = 0; i < n; i++) {
        indeg[i] = t->tasks[i].nafter;
        edges += t->tasks[i].nafter;
        for (int j = 0; j < t->tasks[i].nafter; j++)
            succ_start[t->tasks[i].after[j] + 1]++;
    }
    for (int i = 0; i < n; i++)
        succ_start[i + 1] += succ_start[i];
    succ = malloc((size_t)(edges ? edges : 1) * sizeof *succ);
    if (succ == NULL) {
        rc = trace__oom(p);
        goto out;
    }
    {
        int *fill = calloc((size_t)n, sizeof *fill);
        if (fill == NULL) {
            rc = trace__oom(p);
            goto out;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < t->tasks[i].nafter; j++) {
                int a = t->tasks[i].after[j];
                succ[succ_start[a] + fill[a]++] = i;
            }
        free(fill);
    }
    /* Kahn's algorithm, lowest ready index first: O(n^2 + edges), n <= TRACE_MAX_TASKS. */
    while (emitted < n) {
        int next = -1;
        for (int i = 0; i < n && next < 0; i++)
            if (!done[i] && indeg[i] == 0)
                next = i;
        if (next < 0)
            break;
        done[next] = 1;
        t->topo[emitted++] = next;
        for (int k = succ_start[next]; k < succ_start[next + 1]; k++)
            indeg[succ[k]]--;
    }
    if (emitted < n)
        rc = report_cycle(p, done);
out:
    free(indeg);
    free(succ_start);
    free(succ);
    free(done);
    return rc;
}

/* ---- the document ---- */

static int parse_version(parser_t *p, const yaml_node_t *root)
{
    yaml_node_t *v = ydoc_require(&p->y, root, "orinsim",
                                  "the trace (the format version: orinsim: 1)", p->d);
    double ver;
    if (v == NULL || ydoc_expect_scalar(&p->y, v, "orinsim (the format version)", p->d) != 0)
        return DIAG_ERR;
    if (units_number(ydoc_str(v), &ver) != 0 || ver != 1.0)
        return ydoc_error(&p->y, v, p->d,
                          "unsupported trace format version '%s' (this orinsim reads version 1)",
                          ydoc_str(v));
    p->t->version = 1;
    return 0;
}

static int parse_doc(parser_t *p)
{
    trace_t *t = p->t;
    yaml_node_t *root = ydoc_root(&p->y), *v, *tasks;
    size_t n;

    if (ydoc_expect_map(&p->y, root, "the trace (top level)", p->d) != 0 ||
        parse_version(p, root) != 0 ||
        ydoc_check_keys(&p->y, root, TOP_KEYS, "the trace (top level)", p->d) != 0)
        return DIAG_ERR;
    if ((v = ydoc_get(&p->y, root, "name")) && trace__label(p, v, "trace name", t->name, sizeof t->name))
        return DIAG_ERR;
    t->frames = 1;
    if ((v = ydoc_get(&p->y, root, "frames")) &&
        ydoc_int(&p->y, v, "frames", 1, TRACE_MAX_FRAMES, &t->frames, p->d))
        return DIAG_ERR;
    if (v) {
        t->frames_pos.line = ydoc_line(v);
        t->frames_pos.col = ydoc_col(v);
    }
    t->period_ps = 0;
    if ((v = ydoc_get(&p->y, root, "period")) &&
        trace__duration_value(p, v, "period", MAX_PERIOD_PS, &t->period_ps))
        return DIAG_ERR;
    if (v) {
        t->period_pos.line = ydoc_line(v);
        t->period_pos.col = ydoc_col(v);
    }
    t->max_in_flight = 1;
    if ((v = ydoc_get(&p->y, root, "max_in_flight")) &&
        ydoc_int(&p->y, v, "max_in_flight", 1, 1024, &t->max_in_flight, p->d))
        return DIAG_ERR;
    if (trace__vary_top(p, root) != 0)
        return DIAG_ERR;
    if ((v = ydoc_get(&p->y, root, "runtime")) != NULL) {
        if (trace__label(p, v, "runtime", t->runtime, sizeof t->runtime))
            return DIAG_ERR;
        t->runtime_pos.line = ydoc_line(v);
        t->runtime_pos.col = ydoc_col(v);
    }

    tasks = ydoc_require(&p->y, root, "tasks", "the trace (top level)", p->d);
    if (tasks == NULL || ydoc_expect_seq(&p->y, tasks, "tasks", p->d) != 0)
        return DIAG_ERR;
    n = ydoc_seq_len(tasks);
    if (n == 0)
        return ydoc_error(&p->y, tasks, p->d, "tasks is empty (expected at least one task)");
    if (n > TRACE_MAX_TASKS)
        return ydoc_error(&p->y, tasks, p->d, "too many tasks: %zu (at most %d)", n,
                          TRACE_MAX_TASKS);
    t->tasks = calloc(n, sizeof *t->tasks);
    p->after_nodes = calloc(n, sizeof *p->after_nodes);
    p->memo = calloc((size_t)(p->y.doc.nodes.top - p->y.doc.nodes.start), sizeof *p->memo);
    if (t->tasks == NULL || p->after_nodes == NULL || p->memo == NULL)
        return trace__oom(p);
    for (size_t i = 0; i < n; i++) {
        t->ntasks = (int)i + 1;   /* so trace_free releases what this task allocated */
        if (parse_task(p, ydoc_seq_at(&p->y, tasks, i), (int)i) != 0)
            return DIAG_ERR;
    }
    if (budget_parse_yaml(&p->y, ydoc_get(&p->y, root, "budgets"), t, &t->budgets, p->d) != 0 ||
        resolve_after(p) != 0)
        return DIAG_ERR;
    return order_tasks(p);
}

static int parse_loaded(parser_t *p)
{
    int rc = parse_doc(p);
    free(p->after_nodes);
    free(p->memo);
    ydoc_free(&p->y);
    if (rc != 0) {
        char path[sizeof p->t->path];
        memcpy(path, p->t->path, sizeof path);
        trace_free(p->t);
        memcpy(p->t->path, path, sizeof path);
    }
    return rc;
}

int trace_load(const char *path, trace_t *t, diag_t *d)
{
    parser_t p = {.d = d, .t = t};
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s", strcmp(path, "-") == 0 ? YDOC_STDIN : path);
    if (ydoc_load_file(&p.y, path, d) != 0)
        return DIAG_ERR;
    return parse_loaded(&p);
}

int trace_parse(const char *name, const char *buf, size_t len, trace_t *t, diag_t *d)
{
    parser_t p = {.d = d, .t = t};
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s", name);
    if (ydoc_load_string(&p.y, name, buf, len, d) != 0)
        return DIAG_ERR;
    return parse_loaded(&p);
}

void trace_free(trace_t *t)
{
    if (t == NULL)
        return;
    for (int i = 0; i < t->ntasks; i++) {
        free(t->tasks[i].after);
        free(t->tasks[i].ops);
    }
    free(t->tasks);
    free(t->topo);
    budget_list_free(&t->budgets);
    trace__vary_free(t);
    memset(t, 0, sizeof *t);
}
