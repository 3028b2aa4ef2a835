/*
 * replay: the SoC assembled from models, driven by a trace. See replay.h.
 *
 * Before the run, every task becomes a program of steps (soc/run/program.c): a GPU kernel, a
 * CPU op, a PVA op, or a DLA segment (consecutive layers submitted to a DLA as one task),
 * with GPU reformat kernels where TensorRT inserts them.
 *
 * The run then only moves pointers: a task instance (task, frame) walks its steps, and
 * each completion callback starts the next step or finishes the task. GPU kernels and
 * CPU ops start at once (the GPU runs kernels concurrently, the CPU shares its cores);
 * the PVA queues its ops in order; each DLA runs one segment at a time from its own FIFO
 * and, for tasks on `dla` (either), from a shared FIFO, oldest request first.
 *
 * Frame state lives in `max_in_flight` slots, reused round-robin: frame f uses slot
 * f mod max_in_flight, which is free because at most max_in_flight frames are in
 * flight. Tags passed to engines encode (slot, task).
 */
#include "soc/run/replay.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/cpu.h"
#include "models/dla.h"
#include "models/dram.h"
#include "models/gpu.h"
#include "models/pva.h"
#include "sim/sim.h"
#include "soc/run/footprint.h"
#include "soc/run/lower.h"
#include "soc/run/program.h"
#include "soc/run/timeline.h"
#include "soc/run/vary.h"

#include "soc/run/replay_internal.h"

int replay_check(const soc_config_t *cfg, const trace_t *t, diag_t *d)
{
    footprint_t fp;
    for (int i = 0; i < t->ntasks; i++) {
        program_t p;
        int rc;
        memset(&p, 0, sizeof p);
        rc = program_build(cfg, t, i, &p, d);
        program_free(&p);
        if (rc != 0)
            return DIAG_ERR;
    }
    return footprint_check(cfg, t, &fp, d);
}

/* ---- the run ---- */

static void start_step(replay_t *r, int64_t si, int ti);
static void release_frame(replay_t *r, sim_time_t arrival);
static void step_done(sim_t *s, void *ctx, uint64_t tag);

static uint64_t tag_of(const replay_t *r, int64_t si, int ti)
{
    return (uint64_t)si * (uint64_t)r->ntasks + (uint64_t)ti;
}

static void fail(replay_t *r, const char *why)
{
    if (r->failed == NULL)
        r->failed = why;
    sim_stop(r->sim);
}

static int queue_push(queue_t *q, request_t req)
{
    if (q->n == q->cap) {
        int64_t cap = q->cap ? 2 * q->cap : 16;
        request_t *v = malloc((size_t)cap * sizeof *v);
        if (v == NULL)
            return -1;
        for (int64_t i = 0; i < q->n; i++)
            v[i] = q->v[(q->head + i) % q->cap];
        free(q->v);
        q->v = v;
        q->cap = cap;
        q->head = 0;
    }
    q->v[(q->head + q->n) % q->cap] = req;
    q->n++;
    return 0;
}

static request_t queue_pop(queue_t *q)
{
    request_t req = q->v[q->head];
    q->head = (q->head + 1) % q->cap;
    q->n--;
    return req;
}

static void dla_run(replay_t *r, int k, int64_t si, int ti)
{
    const step_t *s = &r->task[ti].prog.steps[r->slots[si].inst[ti].step];
    r->dla_running[k] = 1;
    r->dla_slot[k] = si;
    r->dla_task[k] = ti;
    r->slots[si].inst[ti].dla = k;
    r->slots[si].inst[ti].step_start = sim_now(r->sim);
    if (dla_submit(r->dla[k], s->layers, s->nlayers, step_done, r, tag_of(r, si, ti)) != 0)
        fail(r, "out of memory submitting a DLA segment");
}

/* A DLA finished a segment: serve the oldest request it can take. */
static void dla_next(replay_t *r, int k)
{
    queue_t *own = &r->dla_queue[k], *any = &r->dla_queue[MAX_DLAS];
    queue_t *q = NULL;
    r->dla_running[k] = 0;
    if (own->n && any->n)
        q = own->v[own->head].seq < any->v[any->head].seq ? own : any;
    else if (own->n)
        q = own;
    else if (any->n)
        q = any;
    if (q) {
        request_t req = queue_pop(q);
        dla_run(r, k, req.slot, req.task);
    }
}

static void dla_request(replay_t *r, int64_t si, int ti)
{
    int want = r->task[ti].prog.dla;
    request_t req = {r->seq++, si, ti};
    for (int k = 0; k < r->cfg->dlas && k < MAX_DLAS; k++)
        if ((want < 0 || want == k) && !r->dla_running[k]) {
            dla_run(r, k, si, ti);
            return;
        }
    if (queue_push(&r->dla_queue[want < 0 ? MAX_DLAS : want], req) != 0)
        fail(r, "out of memory queueing a DLA segment");
}

static void start_step(replay_t *r, int64_t si, int ti)
{
    program_t *p = &r->task[ti].prog;
    const step_t *s = &p->steps[r->slots[si].inst[ti].step];
    r->slots[si].inst[ti].step_start = sim_now(r->sim);
    const lowered_op_t *op = s->op >= 0 ? &p->ops[s->op] : NULL;
    uint64_t tag = tag_of(r, si, ti);
    double f = s->on == ON_DLA ? 1.0 : vary_work(&r->vary, ti, s->first, s->last);
    int rc = 0;
    switch (s->on) {
    case ON_GPU:
        if (f != 1.0) {
            gpu_kernel_t k = op->kernel;
            double ctas = llround((double)k.ctas * f);
            k.ctas = ctas < 1 ? 1 : (int64_t)ctas;
            k.useful_flops *= (double)k.ctas / (double)op->kernel.ctas;
            rc = gpu_launch(r->gpu, &k, step_done, r, tag);
        } else {
            rc = gpu_launch(r->gpu, &op->kernel, step_done, r, tag);
        }
        break;
    case ON_CPU:
        rc = cpu_run(r->cpu, op->cpu_cycles * f * vary_duration(&r->vary, ti, s->first),
                     op->cpu_threads, op->cpu_bytes * f, step_done, r, tag);
        break;
    case ON_PVA:
        if (f != 1.0) {
            pva_op_t o = op->pva;
            if (o.kind == PVA_VPU) {
                o.cycles *= f;
                o.cycles_per_pixel *= f;
                o.bytes *= f;
            } else {              /* per-pixel work: scale the rows */
                double h = llround((double)o.height * f);
                o.height = h < 1 ? 1 : h > PVA_MAX_DIM ? PVA_MAX_DIM : (int64_t)h;
            }
            rc = pva_submit(r->pva, &o, step_done, r, tag);
        } else {
            rc = pva_submit(r->pva, &op->pva, step_done, r, tag);
        }
        break;
    case ON_DLA:
        dla_request(r, si, ti);
        break;
    }
    if (rc != 0)
        fail(r, "out of memory starting a step");
}

static void try_start(replay_t *r, int64_t si, int ti)
{
    instance_t *in = &r->slots[si].inst[ti];
    if (r->next_frame[ti] != in->frame) {
        in->waiting = 1;
        return;
    }
    in->waiting = 0;
    start_step(r, si, ti);
}

/* A latency against a deadline: count misses and runs of consecutive misses. */
static void miss_check(replay_misses_t *m, sim_time_t latency)
{
    if (m->deadline_ps == 0)
        return;
    if (latency > m->deadline_ps) {
        m->count++;
        if (++m->run > m->longest)
            m->longest = m->run;
    } else {
        m->run = 0;
    }
}

/* Every frame arrived and either completed or was dropped. */
static int all_done(const replay_t *r)
{
    return r->completed + r->res->dropped == r->frames;
}

static void frame_done(replay_t *r, int64_t si)
{
    slot_t *sl = &r->slots[si];
    sim_time_t now = sim_now(r->sim);
    if (sim_dist_add(&r->res->frame_latency, now - sl->arrival) != 0)
        fail(r, "out of memory recording a frame's latency");
    miss_check(&r->res->frame_misses, now - sl->arrival);
    if (r->tl) {
        timeline_frame(r->tl, sl->frame, sl->arrival, now,
                       r->trace->deadline_ps ? sl->arrival + r->trace->deadline_ps : 0);
        timeline_sample(r->tl, r->latency_counter, now, (double)(now - sl->arrival) / 1e9);
    }
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
    } else if (r->trace->arrival.kind == ARRIVE_CLOSED && r->released < r->frames) {
        release_frame(r, now);
    }
    if (all_done(r))
        sim_stop(r->sim);   /* instruments may keep periodic events pending */
}

void replay_request_stop(replay_t *r, const char *reason)
{
    if (r->stopped)
        return;
    r->stopped = 1;
    snprintf(r->res->stopped, sizeof r->res->stopped, "%s", reason);
    sim_stop(r->sim);
}

static void task_done(replay_t *r, int64_t si, int ti)
{
    slot_t *sl = &r->slots[si];
    instance_t *in = &sl->inst[ti];
    const task_state_t *ts = &r->task[ti];
    const program_t *p = &ts->prog;
    sim_time_t now = sim_now(r->sim);

    if (sim_dist_add(&r->res->tasks[ti].latency, now - in->ready) != 0)
        fail(r, "out of memory recording a task's latency");
    miss_check(&r->res->tasks[ti].misses, now - in->ready);
    r->next_frame[ti] = in->frame + 1;
    /* The next frame's instance of this task may be waiting for this one. */
    for (int64_t k = 0; k < r->nslots; k++) {
        instance_t *o = &r->slots[k].inst[ti];
        if (r->slots[k].frame == in->frame + 1 && o->waiting) {
            try_start(r, k, ti);
            break;
        }
    }
    for (int j = 0; j < ts->ndependents; j++) {
        int dj = ts->dependents[j];
        instance_t *dep = &sl->inst[dj];
        if (r->tl && timeline_wants(r->tl, TL_DETAIL_KERNELS)) {
            const step_t *last = &p->steps[p->nsteps - 1];
            int from = last->on == ON_DLA ? r->dla_lane[in->dla] : ts->lane[last->on];
            timeline_flow(r->tl, from, now, replay__first_lane(r, si, dj), now, dj, in->frame);
        }
        if (--dep->deps_left == 0) {
            dep->ready = now;
            try_start(r, si, dj);
        }
    }
    if (--sl->tasks_left == 0)
        frame_done(r, si);
}

static void step_done(sim_t *s, void *ctx, uint64_t tag)
{
    replay_t *r = ctx;
    int64_t si = (int64_t)(tag / (uint64_t)r->ntasks);
    int ti = (int)(tag % (uint64_t)r->ntasks);
    instance_t *in = &r->slots[si].inst[ti];
    const step_t *st = &r->task[ti].prog.steps[in->step];
    (void)s;
    if (r->tl && timeline_wants(r->tl, TL_DETAIL_TASKS))
        replay__record_step(r, si, ti, st);
    if (st->on == ON_DLA)
        dla_next(r, in->dla);
    in->step++;
    if (in->step < r->task[ti].prog.nsteps)
        start_step(r, si, ti);
    else
        task_done(r, si, ti);
}

static void release_frame(replay_t *r, sim_time_t arrival)
{
    int64_t f = r->released++;
    int64_t si = f % r->nslots;
    slot_t *sl = &r->slots[si];
    sim_time_t now = sim_now(r->sim);

    assert(sl->frame == -1);
    if (sim_dist_add(&r->res->queue_wait, now - arrival) != 0)
        fail(r, "out of memory recording a frame's wait");
    sl->frame = f;
    sl->arrival = arrival;
    sl->tasks_left = r->ntasks;
    r->in_flight++;
    for (int i = 0; i < r->ntasks; i++) {
        instance_t *in = &sl->inst[i];
        in->frame = f;
        in->deps_left = r->trace->tasks[i].nafter;
        in->step = 0;
        in->waiting = 0;
        in->ready = now;
    }
    /* Start tasks in topological order so equal-time starts are deterministic. */
    for (int k = 0; k < r->ntasks; k++) {
        int i = r->trace->topo[k];
        if (sl->inst[i].deps_left == 0)
            try_start(r, si, i);
    }
}

/* A frame arrives now: released, queued for a slot, or dropped. */
static void arrive(replay_t *r)
{
    sim_time_t now = sim_now(r->sim);
    r->arrived++;
    if (r->in_flight < r->nslots) {
        release_frame(r, now);
        return;
    }
    if (r->trace->drop) {
        r->res->dropped++;
        if (all_done(r))
            sim_stop(r->sim);
        return;
    }
    if (r->backlog == r->backlog_cap) {
        int64_t cap = r->backlog_cap ? r->backlog_cap * 2 : 64;
        sim_time_t *b = malloc((size_t)cap * sizeof *b);
        if (b == NULL) {
            fail(r, "out of memory queueing frames that wait for a slot");
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

static void arrive_event(sim_t *s, void *ctx, uint64_t payload)
{
    (void)s;
    (void)payload;
    arrive(ctx);
}

/* Periodic arrivals: frame f arrives at f x period, plus its jitter when declared. */
static void arrival(sim_t *s, void *ctx, uint64_t f)
{
    replay_t *r = ctx;
    if (f + 1 < (uint64_t)r->frames)
        sim_schedule(s, r->trace->period_ps, arrival, r, f + 1);
    if (r->trace->arrival.jitter_rand)
        sim_schedule(s, vary_jitter(&r->vary), arrive_event, r, 0);
    else
        arrive(r);
}

/* Poisson arrivals: exponential gaps from a first arrival at 0. */
static void poisson(sim_t *s, void *ctx, uint64_t f)
{
    replay_t *r = ctx;
    if (f + 1 < (uint64_t)r->frames)
        sim_schedule(s, vary_poisson_gap(&r->vary), poisson, r, f + 1);
    arrive(r);
}

/* Bursts: every period, `burst` frames `spacing` apart. Payload: the frame that opens it. */
static void burst(sim_t *s, void *ctx, uint64_t f)
{
    replay_t *r = ctx;
    const trace_arrival_t *a = &r->trace->arrival;
    uint64_t end = f + (uint64_t)a->burst;
    if (end > (uint64_t)r->frames)
        end = (uint64_t)r->frames;
    if (end < (uint64_t)r->frames)
        sim_schedule(s, r->trace->period_ps, burst, r, end);
    for (uint64_t k = f; k < end; k++) {
        if (k == f || a->spacing_ps == 0)
            arrive(r);
        else
            sim_schedule(s, (k - f) * a->spacing_ps, arrive_event, r, 0);
    }
}

/* Arrivals from a file: frame f at times_ps[f]. */
static void listed(sim_t *s, void *ctx, uint64_t f)
{
    replay_t *r = ctx;
    const trace_arrival_t *a = &r->trace->arrival;
    if (f + 1 < (uint64_t)r->frames)
        sim_schedule_at(s, a->times_ps[f + 1], listed, r, f + 1);
    arrive(r);
}

static void replay_free(replay_t *r)
{
    for (int i = 0; r->task && i < r->ntasks; i++) {
        program_free(&r->task[i].prog);
        free(r->task[i].dependents);
    }
    free(r->task);
    for (int64_t i = 0; r->slots && i < r->nslots; i++)
        free(r->slots[i].inst);
    free(r->slots);
    free(r->next_frame);
    free(r->backlog_arrival);
    free(r->sm_lane);
    free(r->sm_start);
    free(r->sm_kernel);
    for (int k = 0; k <= MAX_DLAS; k++)
        free(r->dla_queue[k].v);
    gpu_free(r->gpu);
    cpu_free(r->cpu);
    for (int k = 0; k < MAX_DLAS; k++)
        if (r->dla[k])
            dla_free(r->dla[k]);
    if (r->pva)
        pva_free(r->pva);
    if (r->dram.link)
        dram_free(&r->dram);
    if (r->sim)
        sim_free(r->sim);
    vary_free(&r->vary);
}

static int build(replay_t *r, diag_t *d)
{
    const trace_t *t = r->trace;
    const soc_config_t *cfg = r->cfg;
    cpu_spec_t cs;

    r->ntasks = t->ntasks;
    r->task = calloc((size_t)t->ntasks, sizeof *r->task);
    r->nslots = t->max_in_flight;
    r->slots = calloc((size_t)r->nslots, sizeof *r->slots);
    r->next_frame = calloc((size_t)t->ntasks, sizeof *r->next_frame);
    if (!r->task || !r->slots || !r->next_frame)
        return diag_error(d, t->path, 0, 0, "out of memory");
    for (int i = 0; i < t->ntasks; i++) {
        if (program_build(cfg, t, i, &r->task[i].prog, d) != 0)
            return DIAG_ERR;
        r->task[i].dependents = calloc((size_t)t->ntasks, sizeof(int));
        if (r->task[i].dependents == NULL)
            return diag_error(d, t->path, 0, 0, "out of memory");
    }
    for (int i = 0; i < t->ntasks; i++)
        for (int j = 0; j < t->tasks[i].nafter; j++) {
            task_state_t *up = &r->task[t->tasks[i].after[j]];
            up->dependents[up->ndependents++] = i;
        }
    for (int64_t i = 0; i < r->nslots; i++) {
        r->slots[i].frame = -1;
        r->slots[i].inst = calloc((size_t)t->ntasks, sizeof(instance_t));
        if (!r->slots[i].inst)
            return diag_error(d, t->path, 0, 0, "out of memory");
    }

    r->sim = sim_new();
    if (r->sim == NULL || dram_init(&r->dram, r->sim, &cfg->dram) != 0)
        return diag_error(d, t->path, 0, 0, "out of memory building the SoC");
    r->gpu = gpu_new(r->sim, &cfg->gpu, &r->dram);
    cs.cores = cfg->cpus;
    cs.hz = cfg->cpu_hz;
    cs.dram_Bps_per_core = cfg->sku->cpu_dram_Bps_per_core;
    r->cpu = cpu_new(r->sim, &cs, &r->dram);
    if (r->gpu == NULL || r->cpu == NULL)
        return diag_error(d, t->path, 0, 0, "out of memory building the SoC");
    for (int k = 0; k < cfg->dlas && k < MAX_DLAS; k++)
        if ((r->dla[k] = dla_new(r->sim, &cfg->dla, &r->dram)) == NULL)
            return diag_error(d, t->path, 0, 0, "out of memory building the SoC");
    if (cfg->pvas > 0 && (r->pva = pva_new(r->sim, &cfg->pva, &r->dram)) == NULL)
        return diag_error(d, t->path, 0, 0, "out of memory building the SoC");
    r->soc.cfg = cfg;
    r->soc.sim = r->sim;
    r->soc.dram = &r->dram;
    r->soc.gpu = r->gpu;
    r->soc.cpu = r->cpu;
    for (int k = 0; k < MAX_DLAS; k++)
        r->soc.dla[k] = r->dla[k];
    r->soc.ndla = cfg->dlas < MAX_DLAS ? cfg->dlas : MAX_DLAS;
    r->soc.pva = r->pva;
    r->soc.replay = r;
    return 0;
}

/* ---- limits checked before the run (docs/limits.md) ---- */

/* The run cannot end before the engine's horizon (SIM_TIME_MAX, about 213 days): every
 * task runs its frames one after another, so it needs at least frames x its program's
 * lower bound; the last frame arrives at (frames - 1) x period and needs at least the
 * longest task's bound. The first task past the horizon is refused at its slowest op. */
static int check_horizon(const replay_t *r, diag_t *d)
{
    const trace_t *t = r->trace;
    const double horizon_s = (double)SIM_TIME_MAX / (double)SIM_S;
    const double day = 86400.0;
    double frames = (double)r->frames, longest = 0;
    for (int i = 0; i < r->ntasks; i++) {
        const program_t *p = &r->task[i].prog;
        int worst;
        double s = program_min_seconds(r->cfg, p, &worst);
        if (s > longest)
            longest = s;
        if (frames * s >= horizon_s) {
            const step_t *st = worst >= 0 ? &p->steps[worst] : NULL;
            trace_pos_t at = st && st->first >= 0 ? t->tasks[i].ops[st->first].pos
                                                  : t->tasks[i].pos;
            return diag_error(d, t->path, at.line, at.col,
                              "task '%s' needs at least %.4g s a frame (this op alone %.4g s), "
                              "so %lld frame%s at least %.1f days, past the simulated-time "
                              "horizon of %.1f days (expected fewer frames or less work)",
                              t->tasks[i].id, s,
                              st ? program_step_min_seconds(r->cfg, p, worst) : 0.0,
                              (long long)r->frames, r->frames == 1 ? " takes" : "s take",
                              frames * s / day, horizon_s / day);
        }
    }
    if (t->period_ps > 0 && (t->arrival.kind == ARRIVE_PERIODIC ||
                             t->arrival.kind == ARRIVE_BURST)) {
        /* The last frame arrives at (frames - 1) periods, or with bursts at the start of
         * the last burst plus its spacing. Poisson gaps are drawn at random and a file's
         * times are bounded where it is read: the engine's horizon covers those. */
        double periods = frames - 1, spread = 0;
        if (t->arrival.kind == ARRIVE_BURST && t->arrival.burst > 0) {
            periods = ceil(frames / (double)t->arrival.burst) - 1;
            spread = (double)(t->arrival.burst - 1) * (double)t->arrival.spacing_ps / (double)SIM_S;
        }
        double last = periods * ((double)t->period_ps / (double)SIM_S) + spread + longest;
        if (last >= horizon_s)
            return diag_error(d, t->path, t->period_pos.line, t->period_pos.col,
                              "%lld frames, one every %.6g s, arrive over %.1f days, past the "
                              "simulated-time horizon of %.1f days (expected frames x period "
                              "below it)",
                              (long long)r->frames, (double)t->period_ps / (double)SIM_S,
                              last / day, horizon_s / day);
    }
    return 0;
}

/* Every latency sample the run will record, allocated before it starts: 8 B per frame for
 * the frame latency, 8 B per frame for its wait for a slot and 8 B per frame for each
 * task. A run whose samples do not fit is refused here rather than cut short or summarised
 * over part of the run. */
static int reserve_samples(replay_t *r, diag_t *d)
{
    size_t n = (size_t)r->frames;
    double mib = 8.0 * (double)r->frames * (double)(r->ntasks + 2) / (1024.0 * 1024.0);
    int rc = sim_dist_reserve(&r->res->frame_latency, n) | sim_dist_reserve(&r->res->queue_wait, n);
    for (int i = 0; rc == 0 && i < r->ntasks; i++)
        rc = sim_dist_reserve(&r->res->tasks[i].latency, n);
    if (rc != 0)
        return diag_internal(d, r->trace->path, 0, 0,
                             "out of memory: %lld frames of %d tasks need %.1f MiB for their "
                             "latency samples (16 B per frame, and 8 B per frame and task)",
                             (long long)r->frames, r->ntasks, mib);
    return 0;
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void collect(replay_t *r, replay_result_t *out)
{
    const soc_config_t *cfg = r->cfg;
    const trace_t *t = r->trace;
    const gpu_stats_t *gs;
    replay_engine_result_t *e;

    gpu_stats_flush(r->gpu);
    gs = gpu_stats(r->gpu);
    e = &out->engines[ENG_GPU];
    e->name = "gpu";
    e->busy_pct = 100.0 * sim_util_avg(&gs->busy, 0, out->end);
    e->util_pct = 100.0 * sim_util_avg(&gs->sms_active, 0, out->end) / cfg->gpu.sms;
    out->gpu_flops = gs->flops;
    out->kernels = gs->kernels;
    out->context_switches = gs->context_switches;
    out->ctas = gs->ctas;

    e = &out->engines[ENG_CPU];
    e->name = "cpu";
    e->util_pct = 100.0 * cpu_busy_cores(r->cpu, 0) / cfg->cpus;
    e->busy_pct = e->util_pct;

    for (int k = 0; k < cfg->dlas && k < MAX_DLAS; k++) {
        e = &out->engines[k == 0 ? ENG_DLA0 : ENG_DLA1];
        e->name = k == 0 ? "dla0" : "dla1";
        e->busy_pct = 100.0 * dla_busy_frac(r->dla[k], 0);
        e->util_pct = 100.0 * dla_mac_frac(r->dla[k], 0);
        e->present = dla_macs_done(r->dla[k]) > 0 || e->busy_pct > 0;
    }
    if (r->pva) {
        e = &out->engines[ENG_PVA];
        e->name = "pva";
        e->busy_pct = e->util_pct = 100.0 * pva_busy_frac(r->pva, 0);
        e->present = e->busy_pct > 0;
    }
    /* Engines the trace uses: the GPU also when reformat or fallback kernels ran on it. */
    for (int i = 0; i < t->ntasks; i++) {
        if (t->tasks[i].engine == ENG_GPU || t->tasks[i].engine == ENG_CPU)
            out->engines[t->tasks[i].engine].present = 1;
        for (int s = 0; s < r->task[i].prog.nsteps; s++)
            if (r->task[i].prog.steps[s].on == ON_GPU)
                out->engines[ENG_GPU].present = 1;
    }
    out->dram_bytes = dram_bytes_moved(&r->dram);
    sim_util_set(&r->dram.bw, out->end, r->dram.bw.level);
    out->dram_peak_Bps = r->dram.bw.peak;
    out->events = sim_events_executed(r->sim);
    footprint_of(cfg, t, &out->footprint);
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
    if (t->arrival.kind == ARRIVE_FILE && r.frames > t->arrival.ntimes)
        r.frames = t->arrival.ntimes;
    sim_dist_init(&out->frame_latency);
    sim_dist_init(&out->queue_wait);
    out->frame_misses.deadline_ps = t->deadline_ps;
    out->ntasks = t->ntasks;
    out->tasks = calloc((size_t)t->ntasks, sizeof *out->tasks);
    if (out->tasks == NULL)
        return diag_error(d, t->path, 0, 0, "out of memory");
    for (int i = 0; i < t->ntasks; i++) {
        snprintf(out->tasks[i].id, sizeof out->tasks[i].id, "%s", t->tasks[i].id);
        out->tasks[i].engine = t->tasks[i].engine;
        sim_dist_init(&out->tasks[i].latency);
        out->tasks[i].misses.deadline_ps = t->tasks[i].deadline_ps;
    }
    r.opt = opt;
    if (vary_init(&r.vary, t, opt && opt->seeded ? opt->seed : SIM_RNG_DEFAULT_SEED) != 0) {
        replay_free(&r);
        replay_result_free(out);
        return diag_internal(d, t->path, 0, 0, "out of memory");
    }
    if (build(&r, d) != 0 || check_horizon(&r, d) != 0 || reserve_samples(&r, d) != 0) {
        replay_free(&r);
        replay_result_free(out);
        return DIAG_ERR;
    }
    sim_label(r.sim, arrival, "the trace's frame arrivals (soc/run/replay.c)");
    sim_label(r.sim, arrive_event, "the trace's frame arrivals (soc/run/replay.c)");
    sim_label(r.sim, poisson, "the trace's frame arrivals (soc/run/replay.c)");
    sim_label(r.sim, burst, "the trace's frame arrivals (soc/run/replay.c)");
    sim_label(r.sim, listed, "the trace's frame arrivals (soc/run/replay.c)");
    if (opt)
        sim_set_limits(r.sim, opt->max_instant_events, opt->max_events, opt->horizon_ps);
    if (opt && opt->timeline) {
        r.tl = opt->timeline;
        replay__timeline_setup(&r);
        r.soc.timeline = r.tl;
    }
    for (int h = 0; opt && h < opt->nhooks; h++)
        if (opt->hooks[h]->attach && opt->hooks[h]->attach(opt->hooks[h]->ctx, &r.soc) != 0) {
            replay_free(&r);
            replay_result_free(out);
            return diag_internal(d, t->path, 0, 0, "out of memory attaching instruments");
        }

    out->frames = r.frames;
    out->first_release = 0;
    if (vary_interference_start(&r.vary, r.sim, r.cpu, &r.dram) != 0) {
        replay_free(&r);
        return diag_error(d, t->path, 0, 0, "out of memory");
    }
    switch (t->arrival.kind) {
    case ARRIVE_PERIODIC:
        sim_schedule(r.sim, 0, arrival, &r, 0);
        break;
    case ARRIVE_POISSON:
        sim_schedule(r.sim, 0, poisson, &r, 0);
        break;
    case ARRIVE_BURST:
        sim_schedule(r.sim, 0, burst, &r, 0);
        break;
    case ARRIVE_FILE:
        out->first_release = t->arrival.times_ps[0];
        sim_schedule_at(r.sim, t->arrival.times_ps[0], listed, &r, 0);
        break;
    case ARRIVE_CLOSED:
        for (int64_t i = 0; i < r.nslots && r.released < r.frames; i++)
            release_frame(&r, 0);
        break;
    }
    sim_run(r.sim, SIM_TIME_MAX);
    if (sim_fault(r.sim) != SIM_FAULT_NONE || r.failed || (!all_done(&r) && !r.stopped)) {
        const char *why = sim_fault(r.sim) != SIM_FAULT_NONE ? sim_fault_message(r.sim)
                          : r.failed ? r.failed : "internal error";
        diag_internal(d, t->path, 0, 0, "the run stopped after %lld of %lld frames: %s",
                      (long long)r.completed, (long long)r.frames, why);
        replay_free(&r);
        replay_result_free(out);
        return DIAG_ERR;
    }
    if (r.stopped)
        out->end = sim_now(r.sim);
    if (r.tl && r.ctx_lane >= 0 && r.ctx_holder >= 0 && out->end > r.ctx_since)
        replay__ctx_tap(&r, -2, out->end);   /* the last holder's stretch ends with the run */
    out->frames_done = r.completed;
    if (r.completed < 1)
        out->first_done = out->end;
    span = out->end - out->first_release;
    collect(&r, out);
    for (int h = 0; opt && h < opt->nhooks; h++)
        if (opt->hooks[h]->finish)
            opt->hooks[h]->finish(opt->hooks[h]->ctx, &r.soc, out->end);
    if (r.tl)
        timeline_end(r.tl, out->end);
    out->dram_avg_Bps = span > 0 ? out->dram_bytes / ((double)span * 1e-12) : 0;
    replay_free(&r);
    out->wall_s = wall_seconds() - t0;
    return 0;
}

void replay_result_free(replay_result_t *r)
{
    sim_dist_free(&r->frame_latency);
    sim_dist_free(&r->queue_wait);
    for (int i = 0; r->tasks && i < r->ntasks; i++)
        sim_dist_free(&r->tasks[i].latency);
    free(r->tasks);
    r->tasks = NULL;
}
