/*
 * program: a trace task as a list of engine steps. See program.h.
 */
#include "soc/run/program.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/grow.h"
#include "soc/sku/runtime.h"

static int push_op(program_t *p, const lowered_op_t *op)
{
    lowered_op_t *v = grow_one(p->ops, p->nops, &p->cap, 16, sizeof *v);
    if (v == NULL)
        return -1;
    p->ops = v;
    p->ops[p->nops++] = *op;
    return 0;
}

static int push_step(program_t *p, lower_engine_t on, int op)
{
    step_t *v = grow_one(p->steps, p->nsteps, &p->scap, 16, sizeof *v);
    if (v == NULL)
        return -1;
    p->steps = v;
    p->steps[p->nsteps].on = on;
    p->steps[p->nsteps].op = op;
    p->steps[p->nsteps].layers = NULL;
    p->steps[p->nsteps].labels = NULL;
    p->steps[p->nsteps].nlayers = 0;
    p->steps[p->nsteps].name = NULL;
    p->steps[p->nsteps].first = -1;
    p->steps[p->nsteps].last = -1;
    p->nsteps++;
    return 0;
}

static int has_engine(const soc_config_t *cfg, trace_engine_t e)
{
    switch (e) {
    case ENG_DLA0:
    case ENG_DLA:
        return cfg->dlas >= 1;
    case ENG_DLA1:
        return cfg->dlas >= 2;
    case ENG_PVA:
        return cfg->pvas >= 1;
    default:
        return 1;
    }
}

int program_has_engine(const soc_config_t *cfg, trace_engine_t e, char *why, size_t len)
{
    if (has_engine(cfg, e))
        return 1;
    if (e == ENG_DLA1 && cfg->dlas == 1)
        snprintf(why, len, "%s (%s) has only one DLA", cfg->sku->name, cfg->sku->title);
    else
        snprintf(why, len, "%s (%s) has no %s", cfg->sku->name, cfg->sku->title,
                 e == ENG_PVA ? "PVA" : "DLA");
    return 0;
}

static int check_engine(const soc_config_t *cfg, const trace_t *t, const trace_task_t *task,
                        diag_t *d)
{
    const char *eng = trace_engine_name(task->engine);
    const char *what = task->engine == ENG_PVA ? "PVA" : "DLA";
    if (has_engine(cfg, task->engine) || task->fallback == FALLBACK_GPU)
        return 0;
    if (task->engine == ENG_DLA1 && cfg->dlas == 1)
        return diag_error(d, t->path, task->engine_pos.line, task->engine_pos.col,
                          "task '%s' asks for engine 'dla1', but %s (%s) has only one DLA "
                          "(use dla0 or dla, or fallback: gpu)", task->id, cfg->sku->name,
                          cfg->sku->title);
    return diag_error(d, t->path, task->engine_pos.line, task->engine_pos.col,
                      "task '%s' asks for engine '%s', but %s (%s) has no %s (add fallback: gpu "
                      "to run it on the GPU)", task->id, eng, cfg->sku->name, cfg->sku->title,
                      what);
}

/* A reformat kernel on the GPU: reads `in` bytes of tensor, writes `out`. */
static int push_reformat(const soc_config_t *cfg, program_t *p, double in, double out)
{
    lowered_op_t op;
    if (in <= 0 && out <= 0)
        return 0;
    if (lower_reformat(cfg, in, out, &op) != 0 || push_op(p, &op) != 0)
        return -1;
    return push_step(p, ON_GPU, p->nops - 1);
}

/* `bytes` of op `op`'s data as the task's input (entry) or output type holds it
 * (input_dtype / output_dtype), or as is. */
static double io_bytes(const trace_task_t *task, const trace_op_t *op, double bytes, int entry)
{
    if (entry ? !task->has_in_dtype : !task->has_out_dtype)
        return bytes;
    return bytes / dtype_bytes(op->dtype) *
           dtype_bytes(entry ? task->in_dtype : task->out_dtype);
}

/* A GPU op at the task's entry or exit converts its tensor from the input type or to the
 * output type when that differs from the op's type (TensorRT's I/O reformat layers). */
static int io_convert(const soc_config_t *cfg, const trace_task_t *task, program_t *p,
                      const trace_op_t *op, double bytes, int entry)
{
    int has = entry ? task->has_in_dtype : task->has_out_dtype;
    dtype_t t = entry ? task->in_dtype : task->out_dtype;
    if (!has || t == op->dtype || (t == DT_FP32 && op->dtype == DT_TF32))
        return 0;
    return entry ? push_reformat(cfg, p, io_bytes(task, op, bytes, 1), bytes)
                 : push_reformat(cfg, p, bytes, io_bytes(task, op, bytes, 0));
}

/* Group consecutive DLA ops into segments and put reformat kernels at the hand-offs. */
static int build_dla_steps(const soc_config_t *cfg, const trace_task_t *task, program_t *p,
                           const lowered_op_t *ops, int n)
{
    const trace_op_t *tops = task->ops;
    int i = 0;
    while (i < n) {
        if (ops[i].fused) {       /* part of the kernel before it (lower_fuse_gpu) */
            i++;
            continue;
        }
        if (ops[i].on != ON_DLA) {
            int last = i + 1;
            while (last < n && ops[last].fused)
                last++;
            if (i == 0 && ops[i].on == ON_GPU &&
                io_convert(cfg, task, p, &tops[i], ops[i].in_bytes, 1) != 0)
                return -1;
            if (push_op(p, &ops[i]) != 0 || push_step(p, ops[i].on, p->nops - 1) != 0)
                return -1;
            p->steps[p->nsteps - 1].first = i;
            p->steps[p->nsteps - 1].last = last - 1;
            if (last == n && ops[i].on == ON_GPU &&
                io_convert(cfg, task, p, &tops[n - 1], ops[n - 1].out_bytes, 0) != 0)
                return -1;
            i++;
            continue;
        }
        int j = i;
        while (j < n && ops[j].on == ON_DLA)
            j++;
        /* Entering the DLA: from the task's input (unless native I/O) or from a GPU op. */
        if (i == 0 && !task->io_native) {
            if (push_reformat(cfg, p, io_bytes(task, &tops[i], ops[i].in_bytes, 1),
                              ops[i].in_bytes) != 0)
                return -1;
        } else if (i > 0 && ops[i - 1].on == ON_GPU) {
            if (push_reformat(cfg, p, ops[i].in_bytes, ops[i].in_bytes) != 0)
                return -1;
        }
        if (push_step(p, ON_DLA, -1) != 0)
            return -1;
        step_t *s = &p->steps[p->nsteps - 1];
        s->first = i;
        s->last = j - 1;
        s->layers = calloc((size_t)(j - i), sizeof *s->layers);
        s->labels = calloc((size_t)(j - i), sizeof *s->labels);
        if (s->layers == NULL || s->labels == NULL)
            return -1;
        for (int k = i; k < j; k++) {
            s->layers[k - i] = ops[k].layer;
            memcpy(s->labels[k - i], ops[k].label, sizeof s->labels[k - i]);
        }
        s->nlayers = j - i;
        /* Leaving the DLA: to the task's output (unless native) or to a GPU op. */
        if (j == n && !task->io_native) {
            if (push_reformat(cfg, p, ops[j - 1].out_bytes,
                              io_bytes(task, &tops[j - 1], ops[j - 1].out_bytes, 0)) != 0)
                return -1;
        } else if (j < n && ops[j].on == ON_GPU) {
            if (push_reformat(cfg, p, ops[j - 1].out_bytes, ops[j - 1].out_bytes) != 0)
                return -1;
        }
        i = j;
    }
    return 0;
}

/* Whether task `ti` starts an inference call: a GPU task that no GPU task it waits for
 * has started already (a detector's decode on the GPU is the same call). */
static int starts_call(const trace_t *t, int ti)
{
    const trace_task_t *task = &t->tasks[ti];
    if (task->engine != ENG_GPU)
        return 0;
    for (int i = 0; i < task->nafter; i++)
        if (t->tasks[task->after[i]].engine == ENG_GPU)
            return 0;
    return 1;
}

/* The runtime's host path (configs/runtimes/runtimes.yaml) as a CPU step on one core
 * before the call's first kernel. */
static int push_host_path(const trace_t *t, int ti, program_t *p, diag_t *d)
{
    runtime_t rt;
    lowered_op_t op;
    if (t->runtime[0] == '\0' || !starts_call(t, ti))
        return 0;
    if (runtime_load(t->runtime, t->path, t->runtime_pos.line, t->runtime_pos.col, &rt, d) != 0)
        return DIAG_ERR;
    if (rt.host_call_cycles <= 0)
        return 0;
    memset(&op, 0, sizeof op);
    op.on = ON_CPU;
    op.kind = OP_CPU;
    op.cpu_cycles = rt.host_call_cycles;
    op.cpu_threads = 1;
    snprintf(op.label, sizeof op.label, "host: %s", rt.name);
    if (push_op(p, &op) != 0 || push_step(p, ON_CPU, p->nops - 1) != 0)
        return diag_error(d, t->path, 0, 0, "out of memory");
    return 0;
}

int program_build(const soc_config_t *cfg, const trace_t *t, int ti, program_t *p,
                         diag_t *d)
{
    const trace_task_t *task = &t->tasks[ti];
    int on_engine = has_engine(cfg, task->engine);
    lowered_op_t *ops;
    int rc = 0;

    if (check_engine(cfg, t, task, d) != 0 || push_host_path(t, ti, p, d) != 0)
        return DIAG_ERR;
    p->dla = task->engine == ENG_DLA0 ? 0 : task->engine == ENG_DLA1 ? 1 : -1;
    ops = calloc((size_t)task->nops, sizeof *ops);
    if (ops == NULL)
        return diag_error(d, t->path, 0, 0, "out of memory");
    for (int j = 0; j < task->nops && rc == 0; j++) {
        const trace_op_t *op = &task->ops[j];
        char why[200] = "";
        int placed = -1;
        switch (task->engine) {
        case ENG_CPU:
            lower_cpu(cfg, op, &ops[j]);
            placed = 0;
            break;
        case ENG_DLA0:
        case ENG_DLA1:
        case ENG_DLA:
            if (on_engine)
                placed = lower_dla(cfg, op, &ops[j], why, sizeof why);
            break;
        case ENG_PVA:
            if (on_engine)
                placed = lower_pva(cfg, op, &ops[j], why, sizeof why);
            break;
        default:
            break;
        }
        if (placed == 0) {
            snprintf(ops[j].label, sizeof ops[j].label, "%s",
                     op->name[0] ? op->name : trace_op_name(op->kind));
            continue;
        }
        if (task->engine != ENG_GPU && task->fallback != FALLBACK_GPU)
            rc = diag_error(d, t->path, op->pos.line, op->pos.col,
                            "%s op of task '%s' cannot run on %s: %s (add fallback: gpu to run "
                            "it on the GPU)", trace_op_name(op->kind), task->id,
                            trace_engine_name(task->engine), why);
        else
            rc = lower_gpu(cfg, t, op, &ops[j], d);
        snprintf(ops[j].label, sizeof ops[j].label, "%s",
                 op->name[0] ? op->name : ops[j].kernel.name);
    }
    if (rc == 0)
        lower_fuse_gpu(task->ops, ops, task->nops);
    if (rc == 0 && build_dla_steps(cfg, task, p, ops, task->nops) != 0)
        rc = diag_error(d, t->path, 0, 0, "out of memory");
    free(ops);
    /* Slice names: an op's label (its `name:`, else its kind or kernel); a DLA segment
     * is named by its task. */
    for (int s = 0; rc == 0 && s < p->nsteps; s++) {
        step_t *st = &p->steps[s];
        st->name = st->on == ON_DLA ? task->id : p->ops[st->op].label;
    }
    /* Its kernels run in its process's CUDA context (models/gpu.c time-slices them). */
    for (int k = 0; rc == 0 && k < p->nops; k++)
        p->ops[k].kernel.context = task->context;
    return rc;
}

void program_free(program_t *p)
{
    for (int i = 0; i < p->nsteps; i++) {
        free(p->steps[i].layers);
        free(p->steps[i].labels);
    }
    free(p->steps);
    free(p->ops);
    memset(p, 0, sizeof *p);
}

double program_step_min_seconds(const soc_config_t *cfg, const program_t *p, int step)
{
    const step_t *st = &p->steps[step];
    const lowered_op_t *op = st->op >= 0 ? &p->ops[st->op] : NULL;
    pva_cost_t cost;
    char why[8];
    if (op == NULL)
        return 0;
    if (st->on == ON_GPU)
        return gpu_kernel_min_s(&cfg->gpu, &op->kernel);
    if (st->on == ON_CPU)
        return op->cpu_cycles / cfg->cpu_hz;     /* one thread on one core at full clock */
    if (st->on == ON_PVA && cfg->pvas > 0 &&
        pva_op_cost(&cfg->pva, &op->pva, &cost, why, sizeof why) == 0)
        return cfg->pva.op_overhead_s + cost.cycles / (cfg->pva.vps * cfg->pva.vps_hz);
    return 0;
}

double program_min_seconds(const soc_config_t *cfg, const program_t *p, int *worst)
{
    double sum = 0, most = -1;
    *worst = -1;
    for (int i = 0; i < p->nsteps; i++) {
        double s = program_step_min_seconds(cfg, p, i);
        sum += s;
        if (s > most) {
            most = s;
            *worst = i;
        }
    }
    return sum;
}
