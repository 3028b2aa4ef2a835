/*
 * replay: the SoC assembled from models, driven by a trace. See replay.h.
 *
 * Every op is lowered once, before the run, into what its engine executes: a kernel
 * launch (models/kernels.c) for the GPU, a number of cycles per thread for the CPU. The
 * run then only moves pointers: a task instance (task, frame) walks its op list, and
 * each completion callback starts the next op or finishes the task.
 *
 * Frame state lives in `max_in_flight` slots, reused round-robin: frame f uses slot
 * f mod max_in_flight, which is free because at most max_in_flight frames are in
 * flight. Tags passed to engines encode (slot, task).
 */
#include "soc/replay.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/cpu.h"
#include "models/dram.h"
#include "models/gpu.h"
#include "models/kernels.h"
#include "sim/sim.h"

typedef struct lowered_op {
    trace_op_kind_t kind;
    gpu_kernel_t kernel;          /* GPU ops */
    double cpu_cycles;            /* CPU ops: cycles per thread */
    int cpu_threads;
    double cpu_bytes;
} lowered_op_t;

typedef struct lowered_task {
    lowered_op_t *ops;
    int nops;
    int *dependents;              /* tasks that wait for this one */
    int ndependents;
} lowered_task_t;

typedef struct instance {
    int64_t frame;
    int deps_left;
    int op;                       /* next op to run */
    int waiting;                  /* ready but its previous frame's instance still runs */
    int done;
    sim_time_t ready;
} instance_t;

typedef struct slot {
    int64_t frame;                /* -1 when free */
    sim_time_t arrival;
    int tasks_left;
    instance_t *inst;             /* [ntasks] */
} slot_t;

typedef struct replay {
    const soc_config_t *cfg;
    const trace_t *trace;
    sim_t *sim;
    dram_t dram;
    gpu_t *gpu;
    cpu_t *cpu;
    lowered_task_t *tasks;
    int ntasks;
    slot_t *slots;
    int64_t nslots;
    int64_t frames;               /* to run */
    int64_t released, completed;
    int64_t in_flight;
    int64_t backlog;              /* arrived but waiting for a slot */
    sim_time_t *backlog_arrival;  /* ring of arrival times, nslots.. grows */
    int64_t backlog_cap, backlog_head;
    int64_t *next_frame;          /* per task: the frame whose instance may run next */
    replay_result_t *res;
    int failed;
} replay_t;

/* ---- lowering ---- */

static int lower_op(const soc_config_t *cfg, const trace_t *t, const trace_op_t *op,
                    lowered_op_t *out, diag_t *d)
{
    kern_env_t env = {&cfg->gpu, dram_achievable_Bps(&cfg->dram)};
    char why[256] = "";
    int rc = 0;
    double elt = dtype_bytes(op->dtype);

    memset(out, 0, sizeof *out);
    out->kind = op->kind;
    switch (op->kind) {
    case OP_GEMM: {
        kern_gemm_t g = {op->u.gemm.m, op->u.gemm.n, op->u.gemm.k, op->u.gemm.batch, op->dtype,
                         op->sparse};
        rc = kern_gemm(&env, &g, &out->kernel, why, sizeof why);
        break;
    }
    case OP_CONV: {
        kern_conv_t c = {op->u.conv.n,        op->u.conv.c,        op->u.conv.h,
                         op->u.conv.w,        op->u.conv.filters,  op->u.conv.kh,
                         op->u.conv.kw,       op->u.conv.stride_h, op->u.conv.stride_w,
                         op->u.conv.pad_h,    op->u.conv.pad_w,    op->u.conv.dil_h,
                         op->u.conv.dil_w,    op->u.conv.groups,   op->dtype,
                         op->sparse};
        rc = kern_conv(&env, &c, &out->kernel, why, sizeof why);
        break;
    }
    case OP_ATTENTION: {
        kern_attn_t a = {op->u.attn.batch,  op->u.attn.heads,    op->u.attn.seq_q,
                         op->u.attn.seq_kv, op->u.attn.head_dim, op->u.attn.causal,
                         op->dtype};
        rc = kern_attention(&env, &a, &out->kernel, why, sizeof why);
        break;
    }
    case OP_ELEMENTWISE: {
        double n = (double)op->u.ew.elements;
        rc = kern_stream(&env, "elementwise", n, n * elt * (double)op->u.ew.inputs,
                         n * elt * (double)op->u.ew.outputs, n * op->u.ew.flops_per_element,
                         op->dtype, &out->kernel, why, sizeof why);
        break;
    }
    case OP_REDUCE: {
        double n = (double)op->u.reduce.elements;
        rc = kern_stream(&env, "reduce", n, n * elt, (double)op->u.reduce.outputs * elt, n,
                         op->dtype, &out->kernel, why, sizeof why);
        break;
    }
    case OP_MEMCPY: {
        /* A device-to-device copy kernel reads and writes every byte (16-byte vectors). */
        double b = op->u.memcpy.bytes;
        rc = kern_stream(&env, "memcpy", b / 16.0, b, b, 0, DT_FP32, &out->kernel, why,
                         sizeof why);
        break;
    }
    case OP_KERNEL: {
        gpu_kernel_t *k = &out->kernel;
        double ctas = (double)op->u.kernel.grid[0] * op->u.kernel.grid[1] * op->u.kernel.grid[2];
        double threads =
            (double)op->u.kernel.block[0] * op->u.kernel.block[1] * op->u.kernel.block[2];
        if (ctas > 2147483647.0) {
            snprintf(why, sizeof why, "grid of %.0f CTAs exceeds 2^31-1", ctas);
            rc = -1;
            break;
        }
        snprintf(k->name, sizeof k->name, "%s", op->name[0] ? op->name : "kernel");
        k->ctas = (int64_t)ctas;
        k->threads = (int)threads;
        k->regs = (int)op->u.kernel.registers;
        k->smem = op->u.kernel.shared;
        for (int i = 0; i < DT_COUNT; i++) {
            k->cuda_flops[i] = op->u.kernel.flops[i] / ctas;
            k->tensor_flops[i] = op->u.kernel.tensor_flops[i] / ctas;
            k->useful_flops += op->u.kernel.flops[i] + op->u.kernel.tensor_flops[i];
            if (k->tensor_flops[i] > 0 && cfg->gpu.tensor_flops_per_clk[i] <= 0) {
                snprintf(why, sizeof why, "this GPU has no tensor-core path for %s",
                         dtype_name((dtype_t)i));
                rc = -1;
            }
            if (k->cuda_flops[i] > 0 && cfg->gpu.cuda_flops_per_clk[i] <= 0) {
                /* No CUDA-core path for this type: it runs at the fp32 rate. */
                k->cuda_flops[DT_FP32] += k->cuda_flops[i];
                k->cuda_flops[i] = 0;
            }
        }
        k->dram_bytes = op->u.kernel.dram_bytes / ctas;
        break;
    }
    case OP_CPU: {
        double ref = op->u.cpu.ref_hz > 0 ? op->u.cpu.ref_hz : cfg->sku->cpu_max_hz;
        if (op->u.cpu.duration_ps > 0)
            out->cpu_cycles = (double)op->u.cpu.duration_ps * 1e-12 * ref;
        else
            out->cpu_cycles = op->u.cpu.instructions / op->u.cpu.ipc;
        out->cpu_threads = (int)op->u.cpu.threads;
        out->cpu_bytes = op->u.cpu.bytes;
        break;
    }
    default:
        snprintf(why, sizeof why, "op '%s' is not supported", trace_op_name(op->kind));
        rc = -1;
    }
    if (rc == 0 && op->kind != OP_CPU) {
        char occ_why[160] = "";
        if (gpu_occupancy(&cfg->gpu, &out->kernel, occ_why, sizeof occ_why) < 1) {
            snprintf(why, sizeof why, "the kernel does not fit on an SM: %s", occ_why);
            rc = -1;
        }
    }
    if (rc != 0)
        return diag_error(d, t->path, op->pos.line, op->pos.col, "cannot run %s op on %s: %s",
                          trace_op_name(op->kind), cfg->sku->name, why);
    return 0;
}

static int check_engine(const soc_config_t *cfg, const trace_t *t, const trace_task_t *task,
                        diag_t *d)
{
    const char *eng = trace_engine_name(task->engine);
    int line = task->engine_pos.line, col = task->engine_pos.col;
    switch (task->engine) {
    case ENG_GPU:
    case ENG_CPU:
        return 0;
    case ENG_DLA0:
    case ENG_DLA1:
    case ENG_DLA:
        if (cfg->dlas == 0)
            return diag_error(d, t->path, line, col,
                              "task '%s' asks for engine '%s', but %s (%s) has no DLA", task->id,
                              eng, cfg->sku->name, cfg->sku->title);
        if (task->engine == ENG_DLA1 && cfg->dlas < 2)
            return diag_error(d, t->path, line, col,
                              "task '%s' asks for engine 'dla1', but %s (%s) has only one DLA",
                              task->id, cfg->sku->name, cfg->sku->title);
        break;
    case ENG_PVA:
        if (cfg->pvas == 0)
            return diag_error(d, t->path, line, col,
                              "task '%s' asks for engine 'pva', but %s (%s) has no PVA",
                              task->id, cfg->sku->name, cfg->sku->title);
        break;
    default:
        break;
    }
    return diag_error(d, t->path, line, col,
                      "task '%s': engine '%s' is not modelled yet (expected gpu or cpu)",
                      task->id, eng);
}

int replay_check(const soc_config_t *cfg, const trace_t *t, diag_t *d)
{
    lowered_op_t lo;
    for (int i = 0; i < t->ntasks; i++) {
        const trace_task_t *task = &t->tasks[i];
        if (check_engine(cfg, t, task, d) != 0)
            return DIAG_ERR;
        for (int j = 0; j < task->nops; j++)
            if (lower_op(cfg, t, &task->ops[j], &lo, d) != 0)
                return DIAG_ERR;
    }
    return 0;
}

/* ---- the run ---- */

static void start_op(replay_t *r, int64_t si, int ti);
static void release_frame(replay_t *r, sim_time_t arrival);

static uint64_t tag_of(const replay_t *r, int64_t si, int ti)
{
    return (uint64_t)si * (uint64_t)r->ntasks + (uint64_t)ti;
}

static void try_start(replay_t *r, int64_t si, int ti)
{
    instance_t *in = &r->slots[si].inst[ti];
    if (r->next_frame[ti] != in->frame) {
        in->waiting = 1;
        return;
    }
    in->waiting = 0;
    start_op(r, si, ti);
}

static void frame_done(replay_t *r, int64_t si)
{
    slot_t *sl = &r->slots[si];
    sim_time_t now = sim_now(r->sim);
    sim_dist_add(&r->res->frame_latency, now - sl->arrival);
    sl->frame = -1;
    r->in_flight--;
    if (r->completed++ == 0)
        r->res->first_done = now;
    r->res->end = now;
    if (r->backlog > 0) {
        sim_time_t arr = r->backlog_arrival[r->backlog_head];
        r->backlog_head = (r->backlog_head + 1) % r->backlog_cap;
        r->backlog--;
        release_frame(r, arr);
    } else if (r->trace->period_ps == 0 && r->released < r->frames) {
        release_frame(r, now);
    }
}

static void task_done(replay_t *r, int64_t si, int ti)
{
    slot_t *sl = &r->slots[si];
    instance_t *in = &sl->inst[ti];
    const lowered_task_t *lt = &r->tasks[ti];
    sim_time_t now = sim_now(r->sim);

    in->done = 1;
    sim_dist_add(&r->res->tasks[ti].latency, now - in->ready);
    r->next_frame[ti] = in->frame + 1;
    /* The next frame's instance of this task may be waiting for this one. */
    for (int64_t k = 0; k < r->nslots; k++) {
        instance_t *o = &r->slots[k].inst[ti];
        if (r->slots[k].frame == in->frame + 1 && o->waiting) {
            try_start(r, k, ti);
            break;
        }
    }
    for (int j = 0; j < lt->ndependents; j++) {
        int dj = lt->dependents[j];
        instance_t *dep = &sl->inst[dj];
        if (--dep->deps_left == 0) {
            dep->ready = now;
            try_start(r, si, dj);
        }
    }
    if (--sl->tasks_left == 0)
        frame_done(r, si);
}

static void op_done(sim_t *s, void *ctx, uint64_t tag)
{
    replay_t *r = ctx;
    int64_t si = (int64_t)(tag / (uint64_t)r->ntasks);
    int ti = (int)(tag % (uint64_t)r->ntasks);
    instance_t *in = &r->slots[si].inst[ti];
    (void)s;
    in->op++;
    if (in->op < r->tasks[ti].nops)
        start_op(r, si, ti);
    else
        task_done(r, si, ti);
}

static void start_op(replay_t *r, int64_t si, int ti)
{
    instance_t *in = &r->slots[si].inst[ti];
    const lowered_op_t *op = &r->tasks[ti].ops[in->op];
    int rc;
    if (op->kind == OP_CPU)
        rc = cpu_run(r->cpu, op->cpu_cycles, op->cpu_threads, op->cpu_bytes, op_done, r,
                     tag_of(r, si, ti));
    else
        rc = gpu_launch(r->gpu, &op->kernel, op_done, r, tag_of(r, si, ti));
    if (rc != 0) {
        r->failed = 1;
        sim_stop(r->sim);
    }
}

static void release_frame(replay_t *r, sim_time_t arrival)
{
    int64_t f = r->released++;
    int64_t si = f % r->nslots;
    slot_t *sl = &r->slots[si];
    sim_time_t now = sim_now(r->sim);

    assert(sl->frame == -1);
    sl->frame = f;
    sl->arrival = arrival;
    sl->tasks_left = r->ntasks;
    r->in_flight++;
    for (int i = 0; i < r->ntasks; i++) {
        instance_t *in = &sl->inst[i];
        in->frame = f;
        in->deps_left = r->trace->tasks[i].nafter;
        in->op = 0;
        in->waiting = 0;
        in->done = 0;
        in->ready = now;
    }
    /* Start tasks in topological order so equal-time starts are deterministic. */
    for (int k = 0; k < r->ntasks; k++) {
        int i = r->trace->topo[k];
        if (sl->inst[i].deps_left == 0)
            try_start(r, si, i);
    }
}

/* Periodic arrivals: frame f arrives at f x period. */
static void arrival(sim_t *s, void *ctx, uint64_t f)
{
    replay_t *r = ctx;
    sim_time_t now = sim_now(s);
    if (f + 1 < (uint64_t)r->frames)
        sim_schedule(s, r->trace->period_ps, arrival, r, f + 1);
    if (r->in_flight < r->nslots) {
        release_frame(r, now);
        return;
    }
    if (r->backlog == r->backlog_cap) {
        int64_t cap = r->backlog_cap ? r->backlog_cap * 2 : 64;
        sim_time_t *b = malloc((size_t)cap * sizeof *b);
        if (b == NULL) {
            r->failed = 1;
            sim_stop(s);
            return;
        }
        for (int64_t i = 0; i < r->backlog; i++)
            b[i] = r->backlog_arrival[(r->backlog_head + i) % r->backlog_cap];
        free(r->backlog_arrival);
        r->backlog_arrival = b;
        r->backlog_cap = cap;
        r->backlog_head = 0;
    }
    r->backlog_arrival[(r->backlog_head + r->backlog) % r->backlog_cap] = now;
    r->backlog++;
}

static void replay_free(replay_t *r)
{
    for (int i = 0; r->tasks && i < r->ntasks; i++) {
        free(r->tasks[i].ops);
        free(r->tasks[i].dependents);
    }
    free(r->tasks);
    for (int64_t i = 0; r->slots && i < r->nslots; i++)
        free(r->slots[i].inst);
    free(r->slots);
    free(r->next_frame);
    free(r->backlog_arrival);
    gpu_free(r->gpu);
    cpu_free(r->cpu);
    if (r->dram.link)
        dram_free(&r->dram);
    if (r->sim)
        sim_free(r->sim);
}

static int build(replay_t *r, diag_t *d)
{
    const trace_t *t = r->trace;
    cpu_spec_t cs;

    r->ntasks = t->ntasks;
    r->tasks = calloc((size_t)t->ntasks, sizeof *r->tasks);
    r->nslots = t->max_in_flight;
    r->slots = calloc((size_t)r->nslots, sizeof *r->slots);
    r->next_frame = calloc((size_t)t->ntasks, sizeof *r->next_frame);
    if (!r->tasks || !r->slots || !r->next_frame)
        return diag_error(d, t->path, 0, 0, "out of memory");
    for (int i = 0; i < t->ntasks; i++) {
        const trace_task_t *task = &t->tasks[i];
        lowered_task_t *lt = &r->tasks[i];
        if (check_engine(r->cfg, t, task, d) != 0)
            return DIAG_ERR;
        lt->nops = task->nops;
        lt->ops = calloc((size_t)task->nops, sizeof *lt->ops);
        lt->dependents = calloc((size_t)t->ntasks, sizeof *lt->dependents);
        if (!lt->ops || !lt->dependents)
            return diag_error(d, t->path, 0, 0, "out of memory");
        for (int j = 0; j < task->nops; j++)
            if (lower_op(r->cfg, t, &task->ops[j], &lt->ops[j], d) != 0)
                return DIAG_ERR;
    }
    for (int i = 0; i < t->ntasks; i++)
        for (int j = 0; j < t->tasks[i].nafter; j++) {
            lowered_task_t *up = &r->tasks[t->tasks[i].after[j]];
            up->dependents[up->ndependents++] = i;
        }
    for (int64_t i = 0; i < r->nslots; i++) {
        r->slots[i].frame = -1;
        r->slots[i].inst = calloc((size_t)t->ntasks, sizeof(instance_t));
        if (!r->slots[i].inst)
            return diag_error(d, t->path, 0, 0, "out of memory");
    }

    r->sim = sim_new();
    if (r->sim == NULL || dram_init(&r->dram, r->sim, &r->cfg->dram) != 0)
        return diag_error(d, t->path, 0, 0, "out of memory building the SoC");
    r->gpu = gpu_new(r->sim, &r->cfg->gpu, &r->dram);
    cs.cores = r->cfg->cpus;
    cs.hz = r->cfg->cpu_hz;
    cs.dram_Bps_per_core = r->cfg->sku->cpu_dram_Bps_per_core;
    r->cpu = cpu_new(r->sim, &cs, &r->dram);
    if (r->gpu == NULL || r->cpu == NULL)
        return diag_error(d, t->path, 0, 0, "out of memory building the SoC");
    return 0;
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int replay_run(const soc_config_t *cfg, const trace_t *t, const replay_options_t *opt,
               replay_result_t *out, diag_t *d)
{
    replay_t r;
    double t0 = wall_seconds();
    sim_time_t span;

    memset(&r, 0, sizeof r);
    memset(out, 0, sizeof *out);
    r.cfg = cfg;
    r.trace = t;
    r.res = out;
    r.frames = (opt && opt->frames > 0) ? opt->frames : t->frames;
    sim_dist_init(&out->frame_latency);
    out->ntasks = t->ntasks;
    out->tasks = calloc((size_t)t->ntasks, sizeof *out->tasks);
    if (out->tasks == NULL)
        return diag_error(d, t->path, 0, 0, "out of memory");
    for (int i = 0; i < t->ntasks; i++) {
        snprintf(out->tasks[i].id, sizeof out->tasks[i].id, "%s", t->tasks[i].id);
        out->tasks[i].engine = t->tasks[i].engine;
        sim_dist_init(&out->tasks[i].latency);
    }
    if (build(&r, d) != 0) {
        replay_free(&r);
        return DIAG_ERR;
    }

    out->frames = r.frames;
    out->first_release = 0;
    if (t->period_ps > 0) {
        sim_schedule(r.sim, 0, arrival, &r, 0);
    } else {
        for (int64_t i = 0; i < r.nslots && r.released < r.frames; i++)
            release_frame(&r, 0);
    }
    sim_run(r.sim, SIM_TIME_MAX);
    if (r.failed || r.completed != r.frames) {
        replay_free(&r);
        return diag_error(d, t->path, 0, 0,
                          "internal error: the run stopped after %lld of %lld frames",
                          (long long)r.completed, (long long)r.frames);
    }

    span = out->end - out->first_release;
    gpu_stats_flush(r.gpu);
    {
        const gpu_stats_t *gs = gpu_stats(r.gpu);
        replay_engine_result_t *e = &out->engines[ENG_GPU];
        e->name = "gpu";
        e->busy_pct = 100.0 * sim_util_avg(&gs->busy, 0, out->end);
        e->util_pct = 100.0 * sim_util_avg(&gs->sms_active, 0, out->end) / cfg->gpu.sms;
        out->gpu_flops = gs->flops;
        out->kernels = gs->kernels;
        out->ctas = gs->ctas;
    }
    {
        replay_engine_result_t *e = &out->engines[ENG_CPU];
        double busy = cpu_busy_cores(r.cpu, 0);
        e->name = "cpu";
        e->util_pct = 100.0 * busy / cfg->cpus;
        e->busy_pct = e->util_pct;
    }
    for (int i = 0; i < t->ntasks; i++)
        out->engines[t->tasks[i].engine].present = 1;
    out->dram_bytes = dram_bytes_moved(&r.dram);
    out->dram_avg_Bps = span > 0 ? out->dram_bytes / ((double)span * 1e-12) : 0;
    sim_util_set(&r.dram.bw, out->end, r.dram.bw.level);
    out->dram_peak_Bps = r.dram.bw.peak;
    out->events = sim_events_executed(r.sim);
    replay_free(&r);
    out->wall_s = wall_seconds() - t0;
    return 0;
}

void replay_result_free(replay_result_t *r)
{
    sim_dist_free(&r->frame_latency);
    for (int i = 0; r->tasks && i < r->ntasks; i++)
        sim_dist_free(&r->tasks[i].latency);
    free(r->tasks);
    r->tasks = NULL;
}
