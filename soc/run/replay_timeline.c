/*
 * replay_timeline: what a replay records on its timeline (soc/run/timeline.h): each step
 * as it ends, at the detail asked, the SMs' busy stretches, the GPU context holding the
 * GPU, the DLAs' layers and the DRAM bus, through observers set on the engines before the
 * run. See replay_internal.h.
 */
#include "soc/run/replay_internal.h"

int replay__first_lane(const replay_t *r, int64_t si, int ti)
{
    const task_state_t *ts = &r->task[ti];
    const step_t *st = &ts->prog.steps[0];
    if (st->on == ON_DLA)
        return r->dla_lane[0];
    (void)si;
    return ts->lane[st->on];
}

static void flush_run(replay_t *r, instance_t *in, int ti)
{
    timeline_slice(r->tl, in->run_lane, r->trace->tasks[ti].id, ti, in->frame, in->run_start,
                   in->run_end, in->run_bytes, in->run_flops);
    in->run_lane = -1;
}

/* A step ended: its slice (detail kernels), or (detail tasks) its part of the task's slice
 * on that lane, which runs of back-to-back steps on one lane share. */
void replay__record_step(replay_t *r, int64_t si, int ti, const step_t *st)
{
    instance_t *in = &r->slots[si].inst[ti];
    const task_state_t *ts = &r->task[ti];
    double bytes = 0, flops = 0;
    int lane;
    sim_time_t now = sim_now(r->sim);
    if (st->on == ON_DLA) {
        lane = r->dla_lane[in->dla];
    } else {
        const lowered_op_t *op = &ts->prog.ops[st->op];
        lane = ts->lane[st->on];
        if (st->on == ON_GPU) {
            bytes = op->kernel.dram_bytes * (double)op->kernel.ctas;
            flops = op->kernel.useful_flops;
        } else if (st->on == ON_CPU) {
            bytes = op->cpu_bytes;
        }
    }
    if (timeline_wants(r->tl, TL_DETAIL_KERNELS)) {
        timeline_slice(r->tl, lane, st->name, ti, in->frame, in->step_start, now, bytes, flops);
        return;
    }
    if (in->step > 0 && in->run_lane >= 0 &&
        (lane != in->run_lane || in->step_start != in->run_end))
        flush_run(r, in, ti);
    if (in->step == 0 || in->run_lane < 0) {
        in->run_lane = lane;
        in->run_start = in->step_start;
        in->run_bytes = in->run_flops = 0;
    }
    in->run_end = now;
    in->run_bytes += bytes;
    in->run_flops += flops;
    /* A DLA lane is shared: its slice goes out at once, before another task's. */
    if (st->on == ON_DLA || in->step + 1 == ts->prog.nsteps || st[1].on != st->on)
        flush_run(r, in, ti);
}

static void dram_tap(void *ctx, sim_time_t now, double Bps)
{
    replay_t *r = ctx;
    timeline_sample(r->tl, r->dram_counter, now, Bps / 1e9);
}

/* An SM's busy stretches, named by the kernel that started each. */
static void sm_tap(void *ctx, int sm, int busy, const char *kernel, sim_time_t now)
{
    replay_t *r = ctx;
    if (busy) {
        r->sm_start[sm] = now;
        snprintf(r->sm_kernel[sm], sizeof r->sm_kernel[sm], "%s", kernel);
    } else {
        timeline_slice(r->tl, r->sm_lane[sm], r->sm_kernel[sm], -1, -1, r->sm_start[sm], now, 0,
                       0);
    }
}

/* The process that holds the GPU, or "context switch". */
static const char *context_name(const replay_t *r, int context)
{
    if (context < 0)
        return "context switch";
    for (int i = 0; i < r->ntasks; i++)
        if (r->trace->tasks[i].context == context)
            return r->trace->tasks[i].process[0] ? r->trace->tasks[i].process : r->trace->name;
    return "?";
}

/* Who holds the GPU, as stretches on one lane (traces with several processes). */
void replay__ctx_tap(void *ctx, int context, sim_time_t now)
{
    replay_t *r = ctx;
    if (r->ctx_holder != -2 && now > r->ctx_since)
        timeline_slice(r->tl, r->ctx_lane, context_name(r, r->ctx_holder), -1, -1, r->ctx_since,
                       now, 0, 0);
    r->ctx_holder = context;
    r->ctx_since = now;
}

/* Each hardware layer a DLA ran (fused layers under the first one's label). */
static void dla_layer_tap(void *ctx, int first, int count, sim_time_t start, sim_time_t end,
                          double bytes, double macs)
{
    struct dla_tap *tap = ctx;
    replay_t *r = tap->r;
    int k = tap->k, ti = r->dla_task[k];
    const instance_t *in = &r->slots[r->dla_slot[k]].inst[ti];
    const step_t *st = &r->task[ti].prog.steps[in->step];
    (void)count;
    timeline_slice(r->tl, r->dla_layer_lane[k], st->labels[first], ti, in->frame, start, end,
                   bytes, 2.0 * macs);
}

void replay__timeline_setup(replay_t *r)
{
    static const tl_group_t GROUP[4] = {[ON_GPU] = TL_GPU, [ON_DLA] = TL_DLA, [ON_PVA] = TL_PVA,
                                        [ON_CPU] = TL_CPU};
    static const char *const PREFIX[4] = {[ON_GPU] = "gpu", [ON_DLA] = "dla", [ON_PVA] = "pva",
                                          [ON_CPU] = "cpu"};
    char name[TRACE_ID_LEN + 8];
    for (int k = 0; k < r->cfg->dlas && k < MAX_DLAS; k++) {
        r->dla_lane[k] = timeline_lane(r->tl, TL_DLA, k ? "dla1" : "dla0");
        if (!timeline_wants(r->tl, TL_DETAIL_KERNELS))
            continue;
        r->dla_layer_lane[k] = timeline_lane(r->tl, TL_DLA, k ? "dla1 layers" : "dla0 layers");
        r->dla_tap[k].r = r;
        r->dla_tap[k].k = k;
        dla_set_observer(r->dla[k], dla_layer_tap, &r->dla_tap[k]);
    }
    if (timeline_wants(r->tl, TL_DETAIL_SM)) {
        r->sm_lane = calloc((size_t)r->cfg->gpu.sms, sizeof *r->sm_lane);
        r->sm_start = calloc((size_t)r->cfg->gpu.sms, sizeof *r->sm_start);
        r->sm_kernel = calloc((size_t)r->cfg->gpu.sms, sizeof *r->sm_kernel);
        if (r->sm_lane && r->sm_start && r->sm_kernel) {
            for (int i = 0; i < r->cfg->gpu.sms; i++) {
                snprintf(name, sizeof name, "SM %d", i);
                r->sm_lane[i] = timeline_lane(r->tl, TL_SM, name);
            }
            gpu_set_observer(r->gpu, sm_tap, r);
        } else {
            r->tl->failed = 1;
        }
    }
    for (int i = 0; i < r->ntasks; i++)
        for (int e = 0; e < 4; e++) {
            int used = 0;
            for (int s = 0; s < r->task[i].prog.nsteps; s++)
                used |= (int)r->task[i].prog.steps[s].on == e;
            if (!used || e == ON_DLA)
                continue;
            snprintf(name, sizeof name, "%s: %s", PREFIX[e], r->trace->tasks[i].id);
            r->task[i].lane[e] = timeline_lane(r->tl, GROUP[e], name);
        }
    r->dram_counter = timeline_rate_counter(r->tl, "DRAM", "GB/s");
    r->latency_counter = timeline_counter(r->tl, "frame latency", "ms");
    dram_set_tap(&r->dram, dram_tap, r);
    r->ctx_lane = -1;
    r->ctx_holder = -2;
    for (int i = 1; i < r->ntasks && timeline_wants(r->tl, TL_DETAIL_KERNELS); i++)
        if (r->trace->tasks[i].context != r->trace->tasks[0].context) {
            r->ctx_lane = timeline_lane(r->tl, TL_GPU, "gpu contexts");
            gpu_set_context_observer(r->gpu, replay__ctx_tap, r);
            break;
        }
}
