/*
 * gpu: the GA10B GPU at thread-block (CTA) granularity.
 *
 * What it captures
 *   - A kernel is a grid of identical CTAs. Each SM admits as many CTAs as its
 *     occupancy limits allow (threads, registers with per-warp allocation granularity,
 *     shared memory with a per-CTA reservation, the CTA limit). CTAs are dispatched
 *     breadth-first over the SMs at launch and one at a time as slots free up, oldest
 *     kernel first, so partial last waves and SM-count differences show up in time.
 *   - Concurrent kernels (from independent tasks) share SMs CTA by CTA.
 *   - A CTA's work is math plus DRAM traffic, and the two overlap: the CTA ends when both
 *     are done. Math is a flow on its SM's "math pipe" link, whose capacity is the clock
 *     in cycles/s; co-resident CTAs share it max-min fairly, and a CTA with few warps
 *     cannot issue at the full rate (ceiling = warps / warps_full_rate of the SM).
 *     DRAM traffic is a flow on the shared memory link (models/dram.c), with a per-CTA
 *     ceiling of the SM's DRAM bytes/clk scaled the same way.
 *   - Math cycles per CTA = sum over datatypes of flops / (per-SM rate x efficiency), on
 *     CUDA cores or tensor cores; 2:4 sparse tensor math runs at sparse_factor x rate.
 *   - Each launch pays a fixed overhead before its CTAs can be dispatched.
 *   - Kernels of different CUDA contexts (processes) never share the GPU: the scheduler
 *     gives one context the SMs for a time slice. At the end of a slice, if another
 *     context has kernels waiting, the running one is preempted: its resident CTAs stop
 *     where they are (their flows' remaining work is kept) and leave the SMs, the switch
 *     costs a fixed time, and the context with the oldest waiting kernel takes over. A
 *     preempted CTA resumes, before any new CTA of its kernel, when its context gets the
 *     GPU back. A context that runs out of work keeps the GPU to the end of its slice.
 *     Kernels of one context (the default) never switch.
 *
 * What it ignores
 *   - Warp scheduling, instruction mix within a CTA, shared-memory bank conflicts, L1
 *     and L2 hit rates beyond what the lowering (models/kernels.c) puts into the DRAM
 *     bytes, and the difference between the first and later waves of a kernel.
 *   - L2 persistence across kernels: every kernel's inputs are taken to come from DRAM.
 *     This is an assumption (docs/model.md), not a measured property of Orin's L2.
 *
 * All rates come from gpu_spec_t, filled from configs/ by soc/.
 */
#include "models/gpu.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/flow.h"

typedef struct gpu_sm {
    sim_link_t *math;            /* capacity: clock in cycles/s */
    int ctas, threads, regs;
    double smem;
    struct gpu_cta *last;        /* the group placed last here, while resident */
    uint64_t sweep;              /* the sweep that last looked at this SM ... */
    struct gpu_cta *sw_old, *sw_new;   /* ... its group that ends, the one that follows */
    int sw_n;                    /* ... and how many of its members end */
    struct gpu_cta *disp;        /* the group a kernel's dispatch started here */
} gpu_sm_t;

typedef struct gpu_run {
    gpu_kernel_t k;
    gpu_t *gpu;
    int64_t next_cta;            /* next CTA to dispatch */
    int64_t done_ctas;
    int regs_per_cta;            /* after allocation granularity */
    double smem_per_cta;         /* with the driver's reservation */
    double cycles_per_cta;
    double math_ceiling_frac;    /* fraction of an SM one CTA can use */
    gpu_done_fn done;
    void *ctx;
    uint64_t tag;
    struct gpu_run *next;        /* active list, oldest first */
    int active;
    struct gpu_cta *parked;      /* preempted CTAs waiting to resume */
} gpu_run_t;

/* A group of CTAs of one kernel placed on one SM at one instant with the same work: its
 * members share one math flow and one DRAM flow (sim_flow_join), so they run and end
 * together. A parked (preempted) CTA is a group of one. */
typedef struct gpu_cta {
    gpu_run_t *run;
    int sm;
    int n;                       /* members still resident */
    int first;                   /* ord[first .. first + n) are theirs */
    int math_wait, mem_wait;     /* members whose math / DRAM flow still runs */
    sim_flow_t *math, *mem;      /* those flows (NULL once done) */
    double cycles, bytes;        /* each member's work when placed */
    sim_time_t placed;
    sim_evid_t instant;          /* a CTA with no work: its end event, pending */
    double math_left, mem_left;  /* while parked: the work still to do */
    struct gpu_cta *res_prev, *res_next;   /* resident list */
    struct gpu_cta *free_next;   /* free list, or a run's parked list */
    uint64_t ord[SIM_FLOW_MEMBERS_MAX];    /* members' placement numbers */
} gpu_cta_t;

struct gpu {
    sim_t *sim;
    gpu_spec_t spec;
    dram_t *dram;
    gpu_sm_t *sms;
    int rr;                      /* round-robin start for breadth-first dispatch */
    gpu_run_t *head, *tail;      /* kernels with CTAs left to dispatch or running */
    gpu_cta_t *cta_free;
    gpu_cta_t **cta_blocks;
    int ncta_blocks;
    int resident;                /* CTAs resident on all SMs */
    int sms_busy;
    gpu_sm_fn observer;
    void *observer_ctx;
    gpu_ctx_fn ctx_observer;
    void *ctx_observer_ctx;
    gpu_stats_t stats;
    /* Time-slicing between contexts. */
    int ctx;                     /* context that holds the GPU (-1 before the first) */
    int next_ctx;                /* during a switch: the one coming in */
    int switching;               /* a context switch is under way */
    int preempting;              /* the slice ended: preemption is scheduled for this instant */
    gpu_cta_t *res_head;         /* resident groups, the one placed last first */
    uint64_t placed;             /* CTAs placed so far: the next placement number */
    sim_time_t slice_start;      /* slices run back to back from here */
    int idle;                    /* `ctx` has no kernels left ... */
    sim_time_t idle_since;       /* ... since then */
    sim_evid_t slice_ev;         /* the pending end-of-slice check, 0 if none ... */
    sim_time_t slice_ev_at;      /* ... and when it fires */
    uint64_t sweeps;             /* sweeps so far (cta_sweep) */
    int *swept;                  /* the SMs a sweep touches, in the order it meets them */
};

/* ---- occupancy ---- */

static int regs_per_cta(const gpu_spec_t *s, const gpu_kernel_t *k)
{
    /* Registers are allocated per warp, rounded up to the allocation unit. */
    int warps = (k->threads + s->warp_size - 1) / s->warp_size;
    int per_warp = k->regs * s->warp_size;
    per_warp = (per_warp + s->reg_alloc_unit - 1) / s->reg_alloc_unit * s->reg_alloc_unit;
    return warps * per_warp;
}

static double smem_per_cta(const gpu_spec_t *s, const gpu_kernel_t *k)
{
    return k->smem + s->smem_cta_reserved;
}

int gpu_occupancy(const gpu_spec_t *s, const gpu_kernel_t *k, char *why, unsigned long len)
{
    int by_threads, by_regs, by_smem, occ;
    double smem = smem_per_cta(s, k);
    int regs = regs_per_cta(s, k);

    if (k->threads < 1 || k->threads > s->max_threads_cta) {
        if (why)
            snprintf(why, len, "%d threads per CTA (the SM allows 1 to %d)", k->threads,
                     s->max_threads_cta);
        return 0;
    }
    if (k->regs > s->max_regs_thread) {
        if (why)
            snprintf(why, len, "%d registers per thread (at most %d)", k->regs,
                     s->max_regs_thread);
        return 0;
    }
    if (k->smem > s->smem_cta_max) {
        if (why)
            snprintf(why, len, "%.0f B of shared memory per CTA (at most %.0f B)", k->smem,
                     s->smem_cta_max);
        return 0;
    }
    by_threads = s->max_threads_sm / k->threads;
    by_regs = regs > 0 ? s->regs_sm / regs : s->max_ctas_sm;
    by_smem = smem > 0 ? (int)floor(s->smem_sm / smem) : s->max_ctas_sm;
    occ = s->max_ctas_sm;
    if (by_threads < occ)
        occ = by_threads;
    if (by_regs < occ)
        occ = by_regs;
    if (by_smem < occ)
        occ = by_smem;
    if (occ < 1 && why)
        snprintf(why, len, "one CTA needs %d registers (the SM has %d)", regs, s->regs_sm);
    return occ < 0 ? 0 : occ;
}

/* A CTA's CUDA-core, tensor and special-function work run one after the other (a
 * CUTLASS kernel's epilogue follows its main loop). */
double gpu_cta_cycles(const gpu_spec_t *s, const gpu_kernel_t *k)
{
    double cycles = 0;
    for (int t = 0; t < DT_COUNT; t++) {
        if (k->cuda_flops[t] > 0) {
            double rate = s->cuda_flops_per_clk[t] * s->cuda_efficiency;
            assert(rate > 0);
            cycles += k->cuda_flops[t] / rate;
        }
        if (k->tensor_flops[t] > 0) {
            double rate = s->tensor_flops_per_clk[t] * s->tensor_efficiency;
            if (k->sparse)
                rate *= s->sparse_factor;
            assert(rate > 0);
            cycles += k->tensor_flops[t] / rate;
        }
    }
    if (k->sfu_ops > 0) {
        assert(s->sfu_ops_per_clk > 0);
        cycles += k->sfu_ops / s->sfu_ops_per_clk;
    }
    return cycles;
}

double gpu_kernel_min_s(const gpu_spec_t *s, const gpu_kernel_t *k)
{
    double cycles = gpu_cta_cycles(s, k);
    double warps = ceil((double)k->threads / (double)s->warp_size);
    double ceiling = warps / (double)s->warps_full_rate;
    double one, grid;
    if (ceiling > 1.0)
        ceiling = 1.0;
    one = ceiling > 0 ? cycles / ceiling : cycles;
    grid = cycles * (double)k->ctas / (double)s->sms;
    return s->launch_overhead_s + (one > grid ? one : grid) / s->clock_hz;
}

/* ---- CTA pool ---- */

enum { CTA_BLOCK = 1024 };

static gpu_cta_t *cta_alloc(gpu_t *g)
{
    if (g->cta_free == NULL) {
        gpu_cta_t *blk = calloc(CTA_BLOCK, sizeof *blk);
        gpu_cta_t **blocks = realloc(g->cta_blocks, (size_t)(g->ncta_blocks + 1) * sizeof *blocks);
        if (blk == NULL || blocks == NULL) {
            free(blk);
            if (blocks)
                g->cta_blocks = blocks;
            return NULL;
        }
        g->cta_blocks = blocks;
        g->cta_blocks[g->ncta_blocks++] = blk;
        for (int i = CTA_BLOCK - 1; i >= 0; i--) {
            blk[i].free_next = g->cta_free;
            g->cta_free = &blk[i];
        }
    }
    gpu_cta_t *c = g->cta_free;
    g->cta_free = c->free_next;
    return c;
}

static void cta_release(gpu_t *g, gpu_cta_t *c)
{
    c->free_next = g->cta_free;
    g->cta_free = c;
}

/* ---- dispatch ---- */

static int fits(const gpu_t *g, const gpu_sm_t *sm, const gpu_run_t *r)
{
    const gpu_spec_t *s = &g->spec;
    return sm->ctas + 1 <= s->max_ctas_sm && sm->threads + r->k.threads <= s->max_threads_sm &&
           sm->regs + r->regs_per_cta <= s->regs_sm &&
           sm->smem + r->smem_per_cta <= s->smem_sm + 1e-9;
}

static void set_levels(gpu_t *g)
{
    sim_time_t now = sim_now(g->sim);
    sim_util_set(&g->stats.busy, now, g->resident > 0 ? 1.0 : 0.0);
    sim_util_set(&g->stats.sms_active, now, (double)g->sms_busy);
}

static void cta_part_done(sim_t *s, void *ctx, uint64_t tag);

/* Can a CTA of `r` with this work join the group placed last on SM `smi`: the same
 * kernel and work, placed at this instant, and both flows still joinable (nothing
 * different started on their links since). */
static gpu_cta_t *joinable(gpu_t *g, int smi, const gpu_run_t *r, double cycles, double bytes)
{
    gpu_cta_t *c = g->sms[smi].last;
    if (c == NULL || c->run != r || c->placed != sim_now(g->sim) || c->cycles != cycles ||
        c->bytes != bytes || c->instant || c->first + c->n >= SIM_FLOW_MEMBERS_MAX)
        return NULL;
    if (cycles > 0 && !sim_flow_can_join(g->sms[smi].math, c->math))
        return NULL;
    if (bytes > 0 && !sim_flow_can_join(g->dram->link, c->mem))
        return NULL;
    return c;
}

/* Take one CTA's resources on SM `smi`. */
static void enter_sm(gpu_t *g, int smi, const gpu_run_t *r)
{
    gpu_sm_t *sm = &g->sms[smi];
    if (sm->ctas == 0) {
        g->sms_busy++;
        if (g->observer)
            g->observer(g->observer_ctx, smi, 1, r->k.name, sim_now(g->sim));
    }
    sm->ctas++;
    sm->threads += r->k.threads;
    sm->regs += r->regs_per_cta;
    sm->smem += r->smem_per_cta;
    g->resident++;
}

/* Up to `m` CTAs that have just entered the SM of `j` (enter_sm) join group `j`, which
 * joinable() has found; returns how many did (as many as it has room for). */
static int join_group(gpu_t *g, gpu_cta_t *j, int m)
{
    int take = SIM_FLOW_MEMBERS_MAX - (j->first + j->n);
    if (take > m)
        take = m;
    for (int i = 0; i < take; i++)
        j->ord[j->first + j->n + i] = g->placed++;
    j->n += take;
    if (j->math) {
        sim_flow_join_n(g->sms[j->sm].math, j->math, take);
        j->math_wait += take;
    }
    if (j->mem) {
        sim_flow_join_n(g->dram->link, j->mem, take);
        j->mem_wait += take;
    }
    return take;
}

/* Give `m` CTAs of `r` that have just entered SM `smi` (enter_sm), each with `cycles` of
 * math and `bytes` of DRAM traffic to do, their flows: as more members of the group
 * placed there last while they can join it, else as new groups, the first in `c` when
 * given and the others from the pool. The result is the same as placing them one by one.
 * -1 if the pool is empty and cannot grow. */
static int attach(gpu_t *g, int smi, gpu_run_t *r, gpu_cta_t *c, double cycles, double bytes,
                  int m)
{
    gpu_sm_t *sm = &g->sms[smi];
    double clock = g->spec.clock_hz;
    while (m > 0) {
        gpu_cta_t *j = joinable(g, smi, r, cycles, bytes);
        if (j != NULL) {
            m -= join_group(g, j, m);
            continue;
        }
        if (c == NULL && (c = cta_alloc(g)) == NULL)
            return -1;
        int take = m < SIM_FLOW_MEMBERS_MAX ? m : SIM_FLOW_MEMBERS_MAX;
        SIM_HOT_ASSERT(take == 1 || cycles > 0 || bytes > 0);
        c->run = r;
        c->sm = smi;
        c->n = take;
        c->first = 0;
        for (int i = 0; i < take; i++)
            c->ord[i] = g->placed++;
        c->math = c->mem = NULL;
        c->math_wait = c->mem_wait = 0;
        c->cycles = cycles;
        c->bytes = bytes;
        c->placed = sim_now(g->sim);
        c->instant = 0;
        c->res_prev = NULL;
        c->res_next = g->res_head;
        if (g->res_head)
            g->res_head->res_prev = c;
        g->res_head = c;
        sm->last = c;

        if (cycles > 0) {
            c->math = sim_flow_start(sm->math, cycles, clock * r->math_ceiling_frac, 1.0,
                                     cta_part_done, c, 0);
            if (take > 1)
                sim_flow_join_n(sm->math, c->math, take - 1);
            c->math_wait = take;
        }
        if (bytes > 0) {
            c->mem = dram_transfer(g->dram, bytes,
                                   g->spec.sm_dram_bytes_per_clk * clock * r->math_ceiling_frac,
                                   1.0, cta_part_done, c, 1);
            if (take > 1)
                sim_flow_join_n(g->dram->link, c->mem, take - 1);
            c->mem_wait = take;
        }
        if (cycles <= 0 && bytes <= 0) {
            /* A CTA with no work still occupies its slot for an instant. */
            c->instant = sim_schedule(g->sim, 0, (sim_handler_fn)cta_part_done, c, 2);
        }
        c = NULL;
        m -= take;
    }
    if (c != NULL)
        cta_release(g, c);
    return 0;
}

/* Place a CTA of `r` on SM `smi` with `cycles` of math and `bytes` of DRAM traffic to do
 * (a new CTA, or a preempted one resuming in `c`). -1 if the pool is empty and cannot
 * grow; the SM is then as it was. */
static int place_cta(gpu_t *g, int smi, gpu_run_t *r, gpu_cta_t *c, double cycles, double bytes)
{
    gpu_cta_t *j = joinable(g, smi, r, cycles, bytes);
    if (j != NULL) {
        if (c != NULL)
            cta_release(g, c);
        enter_sm(g, smi, r);
        join_group(g, j, 1);
        return 0;
    }
    if (c == NULL && (c = cta_alloc(g)) == NULL)
        return -1;
    enter_sm(g, smi, r);
    return attach(g, smi, r, c, cycles, bytes, 1);
}

static int start_cta(gpu_t *g, int smi, gpu_run_t *r)
{
    if (place_cta(g, smi, r, NULL, r->cycles_per_cta, r->k.dram_bytes) != 0) {
        sim_fail(g->sim, SIM_FAULT_NOMEM, "the GPU's CTAs (models/gpu.c)");   /* ends the run */
        return -1;
    }
    r->next_cta++;
    return 0;
}

/* `k` members of group `c` leave it (not the SM's counts); the group leaves the
 * resident list with its last member. */
static void leave_sm_n(gpu_t *g, gpu_cta_t *c, int k)
{
    c->n -= k;
    c->first += k;
    if (c->n > 0)
        return;
    if (g->sms[c->sm].last == c)
        g->sms[c->sm].last = NULL;
    if (c->res_prev)
        c->res_prev->res_next = c->res_next;
    else
        g->res_head = c->res_next;
    if (c->res_next)
        c->res_next->res_prev = c->res_prev;
}

/* Give one member of group `c`'s slot on its SM back (it ended or was preempted); the
 * group leaves the resident list with its last member. */
static void leave_sm(gpu_t *g, gpu_cta_t *c)
{
    gpu_run_t *r = c->run;
    gpu_sm_t *sm = &g->sms[c->sm];
    sm->ctas--;
    sm->threads -= r->k.threads;
    sm->regs -= r->regs_per_cta;
    sm->smem -= r->smem_per_cta;
    if (sm->smem < 1e-6)
        sm->smem = 0;
    if (sm->ctas == 0) {
        g->sms_busy--;
        if (g->observer)
            g->observer(g->observer_ctx, c->sm, 0, NULL, sim_now(g->sim));
    }
    g->resident--;
    leave_sm_n(g, c, 1);
}

/* May `r` dispatch CTAs now: its context holds the GPU and no switch is pending. */
static int eligible(const gpu_t *g, const gpu_run_t *r)
{
    return !g->switching && !g->preempting && r->k.context == g->ctx;
}

/* Fill SM `smi` from the oldest kernels first. */
static void fill_sm(gpu_t *g, int smi)
{
    for (gpu_run_t *r = g->head; r; r = r->next) {
        if (!eligible(g, r))
            continue;
        while (r->parked && fits(g, &g->sms[smi], r)) {
            gpu_cta_t *c = r->parked;
            r->parked = c->free_next;
            place_cta(g, smi, r, c, c->math_left, c->mem_left);   /* c given: cannot fail */
        }
        while (r->next_cta < r->k.ctas && fits(g, &g->sms[smi], r))
            if (start_cta(g, smi, r) != 0)
                return;
    }
}

/* Dispatch a newly ready kernel breadth-first: one CTA per SM per pass. An SM's first CTA
 * of the kernel starts a group (no group of a kernel just made ready can be joined); the
 * CTAs that follow it there join that group, as place_cta() would find (joinable()): it
 * was placed at this instant with the same work, and only identical flows of this kernel
 * have started on its links since. */
static void dispatch_new(gpu_t *g, gpu_run_t *r)
{
    int nsm = g->spec.sms;
    if (!eligible(g, r))
        return;
    for (int i = 0; i < nsm; i++)
        g->sms[i].disp = NULL;
    for (;;) {
        int placed = 0;
        for (int i = 0; i < nsm && r->next_cta < r->k.ctas; i++) {
            int smi = (g->rr + i) % nsm;
            gpu_sm_t *sm = &g->sms[smi];
            if (!fits(g, sm, r))
                continue;
            gpu_cta_t *c = sm->disp;
            if (c != NULL && !c->instant && c->first + c->n < SIM_FLOW_MEMBERS_MAX) {
                SIM_HOT_ASSERT(joinable(g, smi, r, r->cycles_per_cta, r->k.dram_bytes) == c);
                enter_sm(g, smi, r);
                join_group(g, c, 1);
                r->next_cta++;
            } else {
                if (start_cta(g, smi, r) != 0)
                    return;
                sm->disp = sm->last;
            }
            placed = 1;
        }
        if (!placed || r->next_cta >= r->k.ctas)
            break;
    }
    g->rr = (g->rr + 1) % nsm;
}

static void unlink_run(gpu_t *g, gpu_run_t *r)
{
    gpu_run_t **pp = &g->head, *prev = NULL;
    while (*pp && *pp != r) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    assert(*pp == r);
    *pp = r->next;
    if (g->tail == r)
        g->tail = prev;
}

/* ---- time-slicing between contexts ---- */

static int has_runs(const gpu_t *g, int ctx, int same)
{
    for (const gpu_run_t *r = g->head; r; r = r->next)
        if ((r->k.context == ctx) == same)
            return 1;
    return 0;
}

/* The end of the slice that contains time `t` (slices run back to back from
 * slice_start); `t` itself when it falls on a boundary after the start. */
static sim_time_t slice_end(const gpu_t *g, sim_time_t t)
{
    sim_time_t ts = (sim_time_t)llround(g->spec.timeslice_s * 1e12);
    sim_time_t el;
    if (ts == 0)
        return t;
    if (t <= g->slice_start)
        return g->slice_start + ts;
    el = t - g->slice_start;
    return el % ts == 0 ? t : g->slice_start + (el / ts + 1) * ts;
}

static void schedule_slice(gpu_t *g);
static void preempt(sim_t *s, void *ctx, uint64_t tag);

static void switch_done(sim_t *s, void *ctx, uint64_t tag)
{
    gpu_t *g = ctx;
    (void)s;
    (void)tag;
    g->switching = 0;
    g->ctx = g->next_ctx;
    g->slice_start = sim_now(g->sim);
    if (g->ctx_observer)
        g->ctx_observer(g->ctx_observer_ctx, g->ctx, g->slice_start);
    g->idle = !has_runs(g, g->ctx, 1);
    g->idle_since = g->slice_start;
    for (int i = 0; i < g->spec.sms; i++)
        fill_sm(g, (g->rr + i) % g->spec.sms);
    set_levels(g);
    schedule_slice(g);
}

/* The running context's slice is over and its CTAs are gone: switch to the context of
 * the oldest kernel waiting. */
static void begin_switch(gpu_t *g)
{
    const gpu_run_t *r = g->head;
    while (r && r->k.context == g->ctx)
        r = r->next;
    assert(r != NULL && g->resident == 0);
    g->switching = 1;
    g->next_ctx = r->k.context;
    g->stats.context_switches++;
    if (g->ctx_observer)
        g->ctx_observer(g->ctx_observer_ctx, -1, sim_now(g->sim));
    if (sim_schedule(g->sim, (sim_time_t)llround(g->spec.context_switch_s * 1e12), switch_done,
                     g, 0) == 0)
        switch_done(g->sim, g, 0);   /* out of memory: switch at once rather than stall */
}

static void slice_timer(sim_t *s, void *ctx, uint64_t tag)
{
    gpu_t *g = ctx;
    (void)s;
    (void)tag;
    g->slice_ev = 0;
    schedule_slice(g);
}

/* The slice is over: stop every resident CTA where it is, keep its remaining work for
 * when its context gets the GPU back, and switch. */
static void preempt(sim_t *s, void *ctx, uint64_t tag)
{
    gpu_t *g = ctx;
    (void)s;
    (void)tag;
    /* CTA by CTA, the one placed last first, as separate CTAs would leave: each group's
     * flows stop when its first member leaves, and every member is parked on its own. */
    for (gpu_cta_t *c = g->res_head; c; c = c->res_next)
        c->math_left = -1;       /* flows not stopped yet */
    while (g->res_head) {
        gpu_cta_t *c = g->res_head;
        for (gpu_cta_t *o = c->res_next; o; o = o->res_next)
            if (o->ord[o->first + o->n - 1] > c->ord[c->first + c->n - 1])
                c = o;
        gpu_run_t *r = c->run;
        if (c->math_left < 0) {
            c->math_left = c->mem_left = 0;
            if (c->math) {
                sim_link_t *l = g->sms[c->sm].math;
                c->math_left = sim_flow_remaining(l, c->math);
                sim_flow_cancel(l, c->math);
            }
            if (c->mem) {
                c->mem_left = sim_flow_remaining(g->dram->link, c->mem);
                sim_flow_cancel(g->dram->link, c->mem);
            }
            if (c->instant)
                sim_cancel(g->sim, c->instant);
        }
        gpu_cta_t *p = c;
        if (c->n > 1 && (p = cta_alloc(g)) == NULL) {
            fprintf(stderr, "orinsim: out of memory preempting the GPU\n");
            abort();
        }
        if (p != c) {
            p->run = r;
            p->math_left = c->math_left;
            p->mem_left = c->mem_left;
        }
        /* The member placed last leaves: the group keeps ord[first .. first + n - 1). */
        c->first--;
        leave_sm(g, c);
        p->free_next = r->parked;
        r->parked = p;
    }
    g->preempting = 0;
    set_levels(g);
    begin_switch(g);
}

/* Decide whether the running context must give up the GPU now, or when. */
static void schedule_slice(gpu_t *g)
{
    sim_time_t now = sim_now(g->sim), end;
    if (g->switching || g->preempting || !has_runs(g, g->ctx, 0))
        return;
    end = slice_end(g, g->idle ? g->idle_since : now);
    if (end <= now) {
        /* Preempt in an event of its own at this instant, once every flow that ended now
         * has called back: a flow handle is only valid until then. */
        g->preempting = 1;
        if (sim_schedule(g->sim, 0, preempt, g, 0) == 0)
            preempt(g->sim, g, 0);
        return;
    }
    if (g->slice_ev && g->slice_ev_at == end)
        return;
    if (g->slice_ev)
        sim_cancel(g->sim, g->slice_ev);
    g->slice_ev_at = end;
    g->slice_ev = sim_schedule_at(g->sim, end, slice_timer, g, 0);
}

/* A member of group `c` has ended: it leaves its SM and the SM takes more work; the
 * kernel ends with its last CTA. */
static void cta_end(gpu_t *g, gpu_cta_t *c)
{
    gpu_run_t *r = c->run;
    int smi = c->sm;
    leave_sm(g, c);
    g->stats.ctas++;
    r->done_ctas++;
    if (c->n == 0)
        cta_release(g, c);

    if (r->done_ctas == r->k.ctas) {
        gpu_done_fn done = r->done;
        void *dctx = r->ctx;
        uint64_t dtag = r->tag;
        g->stats.kernels++;
        g->stats.flops += r->k.useful_flops;
        unlink_run(g, r);
        free(r);
        fill_sm(g, smi);
        if (!g->idle && !has_runs(g, g->ctx, 1)) {
            g->idle = 1;
            g->idle_since = sim_now(g->sim);
        }
        schedule_slice(g);
        set_levels(g);
        done(g->sim, dctx, dtag);
        return;
    }
    fill_sm(g, smi);
    set_levels(g);
}

/* Members of group `c` finished their math (tag 0) or DRAM traffic (1): `count` of them,
 * or one that had no work (tag 2). Each ends when its other part is done too; all
 * members of a flow finish together, so either none or all of them end here. */
static int parts_done(gpu_cta_t *c, uint64_t tag, int count)
{
    if (tag == 0) {
        c->math = NULL;
        c->math_wait -= count;
        return c->mem_wait == 0;
    }
    if (tag == 1) {
        c->mem = NULL;
        c->mem_wait -= count;
        return c->math_wait == 0;
    }
    c->instant = 0;
    return 1;
}

static void cta_part_done(sim_t *s, void *ctx, uint64_t tag)
{
    gpu_cta_t *c = ctx;
    (void)s;
    if (parts_done(c, tag, 1))
        cta_end(c->run->gpu, c);
}

/* Once one CTA of `r` has left `sm`, does a new CTA of `r` fit there and bring the SM
 * back exactly as it was (the shared memory sum rounds back to the same value)? */
static int refill_restores(const gpu_t *g, const gpu_sm_t *sm, const gpu_run_t *r)
{
    gpu_sm_t after = *sm;
    after.ctas--;
    after.threads -= r->k.threads;
    after.regs -= r->regs_per_cta;
    after.smem -= r->smem_per_cta;
    if (after.smem < 1e-6)
        after.smem = 0;
    return after.smem + r->smem_per_cta == sm->smem && fits(g, &after, r);
}

/* Does a kernel other than `r` claim a slot that frees on SMs `ids[0..n)`: an older one
 * with CTAs waiting, or any waiting one that fits on one of them? */
static int other_kernel_claims(const gpu_t *g, const gpu_run_t *r, const int *ids, int n)
{
    int older = 1;
    for (const gpu_run_t *q = g->head; q; q = q->next) {
        if (q == r) {
            older = 0;
            continue;
        }
        if (!eligible(g, q) || (!q->parked && q->next_cta >= q->k.ctas))
            continue;
        if (older)
            return 1;
        for (int i = 0; i < n; i++)
            if (fits(g, &g->sms[ids[i]], q))
                return 1;
    }
    return 0;
}

/* Would `count` members of `c` ending one after the other each give their slot to one
 * new CTA of the same kernel, and nothing else happen? That is: the kernel goes on past
 * them, no older kernel has CTAs waiting and no other kernel fits on the SM (after a
 * CTA leaves and one of the same kernel takes its place, the SM is as it was). Also
 * reserves the (at most two) group records the new CTAs need. */
static int same_refill(gpu_t *g, const gpu_cta_t *c, int count)
{
    gpu_run_t *r = c->run;
    const gpu_sm_t *sm = &g->sms[c->sm];
    if (!eligible(g, r) || r->parked || r->next_cta + count > r->k.ctas ||
        r->done_ctas + count >= r->k.ctas || fits(g, sm, r))
        return 0;
    if (other_kernel_claims(g, r, &c->sm, 1))
        return 0;
    gpu_cta_t *a = cta_alloc(g), *b = a ? cta_alloc(g) : NULL;
    if (a)
        cta_release(g, a);
    if (b)
        cta_release(g, b);
    return b != NULL;
}

/* `count` consecutive members of group `c` finished a part (sim_link_set_batch): the same
 * as `count` calls of cta_part_done(), with the common case (each ending CTA replaced by
 * one of its own kernel) done at once. */
static void cta_parts_done(sim_t *s, void *ctx, uint64_t tag, int count)
{
    gpu_cta_t *c = ctx;
    gpu_run_t *r = c->run;
    gpu_t *g = r->gpu;
    (void)s;
    if (!parts_done(c, tag, count))
        return;
    if (!same_refill(g, c, count)) {
        for (int i = 0; i < count; i++)
            cta_end(g, c);
        return;
    }
    int smi = c->sm, i;
    gpu_sm_t *sm = &g->sms[smi];
    if (sm->ctas > 1 && refill_restores(g, sm, r)) {
        /* Each member leaving and a new CTA entering brings the SM back to the same
         * counts, exactly, and never empties it: only the group and the totals change. */
        leave_sm_n(g, c, count);
        g->stats.ctas += (uint64_t)count;
        r->done_ctas += count;
        r->next_cta += count;
        int rc = attach(g, smi, r, NULL, r->cycles_per_cta, r->k.dram_bytes, count);
        assert(rc == 0);   /* same_refill() reserved the records */
        (void)rc;
        if (c->n == 0)
            cta_release(g, c);
        set_levels(g);
        return;
    }
    for (i = 0; i < count; i++) {
        leave_sm(g, c);
        g->stats.ctas++;
        r->done_ctas++;
        if (!fits(g, &g->sms[smi], r))
            break;       /* rounding made the SM differ: the rest one by one */
        enter_sm(g, smi, r);
    }
    r->next_cta += i;
    int rc = attach(g, smi, r, NULL, r->cycles_per_cta, r->k.dram_bytes, i);
    assert(rc == 0);   /* same_refill() reserved the records */
    (void)rc;
    if (i < count) {     /* the member that left last has not taken more work yet */
        if (c->n == 0)
            cta_release(g, c);
        fill_sm(g, smi);
        set_levels(g);
        for (i++; i < count; i++)
            cta_end(g, c);
        return;
    }
    if (c->n == 0)
        cta_release(g, c);
    set_levels(g);
}

/* Can the members of `r` that end on the SMs of this sweep each hand their slot to a new
 * CTA of `r`, with nothing else happening (same_refill(), for several SMs at once)? The
 * SMs must stay full for `r` and come back exactly as they were, no group may have been
 * placed on them at this instant, and no older kernel may wait nor another fit. */
static int sweep_refills(gpu_t *g, const gpu_run_t *r, int nsw)
{
    sim_time_t now = sim_now(g->sim);
    if (!eligible(g, r) || r->parked || (r->cycles_per_cta <= 0 && r->k.dram_bytes <= 0))
        return 0;
    for (int i = 0; i < nsw; i++) {
        const gpu_sm_t *sm = &g->sms[g->swept[i]];
        if (sm->sw_old->run != r || sm->ctas < 2 || fits(g, sm, r) ||
            (sm->last && sm->last->placed == now))
            return 0;
        if (!refill_restores(g, sm, r))
            return 0;
    }
    return !other_kernel_claims(g, r, g->swept, nsw);
}

static int imin(int a, int b)
{
    return a < b ? a : b;
}

/* Does any kernel that may run now have CTAs waiting (new or parked)? */
static int work_waiting(const gpu_t *g)
{
    for (const gpu_run_t *q = g->head; q; q = q->next)
        if (eligible(g, q) && (q->parked || q->next_cta < q->k.ctas))
            return 1;
    return 0;
}

/* Every member that finished a part in one event of a link, as runs of members of the
 * groups ctx[], in the order their callbacks would run (sim_link_set_sweep): the same as
 * that many calls of cta_part_done(). Members whose other part still runs only count down. Members
 * that end take one of two short ways while they are exact, then the long one (cta_end)
 * from the first that fits neither:
 *   - refill: the member hands its slot to a new CTA of its own kernel and nothing else
 *     happens (sweep_refills()): the SM's counts do not move, the new CTA starts the
 *     SM's new group or joins it. The new CTAs are placed in callback order, so they get
 *     the placement and start numbers, groups and flow order they would one by one.
 *   - drain: no kernel that may run has CTAs waiting and the member is not its kernel's
 *     last: it leaves its SM and nothing takes its place.
 * The GPU's busy levels are set once at the end: at one instant only the last value and
 * the peak count, and the short ways keep them or lower them. 0 (nothing changed) where
 * the members' groups are not one per SM. */
static int cta_sweep(sim_t *s, void *const *ctx, const int *members, int runs, uint64_t tag)
{
    gpu_t *g = ((const gpu_cta_t *)ctx[0])->run->gpu;
    uint64_t mark = ++g->sweeps;
    int nsw = 0;
    (void)s;

    /* One group per SM; count each group's members. */
    for (int i = 0; i < runs; i++) {
        gpu_cta_t *c = ctx[i];
        gpu_sm_t *sm = &g->sms[c->sm];
        if (sm->sweep != mark) {
            sm->sweep = mark;
            sm->sw_old = c;
            sm->sw_new = NULL;
            sm->sw_n = 0;
            g->swept[nsw++] = c->sm;
        } else if (sm->sw_old != c) {
            return 0;
        }
        sm->sw_n += members[i];
    }
    /* Groups whose other part still runs only count down; the rest end member by member. */
    int ending = 0;
    for (int i = 0; i < nsw; i++) {
        gpu_sm_t *sm = &g->sms[g->swept[i]];
        if (parts_done(sm->sw_old, tag, sm->sw_n))
            g->swept[ending++] = g->swept[i];
        else
            sm->sw_old = NULL;
    }
    if (ending == 0)
        return 1;

    gpu_run_t *r = g->sms[g->swept[0]].sw_old->run;
    int refill = sweep_refills(g, r, ending);
    int drain = -1;              /* work_waiting() not asked yet */
    int i = 0, m = 0, changed = 0;
    for (; i < runs; i++) {
        gpu_cta_t *c = ctx[i];
        gpu_sm_t *sm = &g->sms[c->sm];
        if (sm->sw_old != c)
            continue;            /* counted down above */
        for (m = members[i]; m > 0;) {
            int j;
            if (refill && (j = imin(m, imin(r->k.ctas - r->next_cta,
                                            r->k.ctas - 1 - r->done_ctas))) > 0) {
                if (sm->sw_new == NULL && (sm->sw_new = cta_alloc(g)) == NULL)
                    goto rest;
                leave_sm_n(g, c, j);
                if (c->n == 0)
                    cta_release(g, c);
                if (sm->sw_n > 0) {   /* the SM's first new CTAs: a new group */
                    sm->sw_n = 0;
                    int rc = attach(g, c->sm, r, sm->sw_new, r->cycles_per_cta,
                                    r->k.dram_bytes, j);
                    assert(rc == 0);  /* given a record, and at most a group's worth */
                    (void)rc;
                } else {
                    int took = join_group(g, sm->sw_new, j);
                    assert(took == j);
                    (void)took;
                }
                g->stats.ctas += (uint64_t)j;
                r->done_ctas += j;
                r->next_cta += j;
                m -= j;
                changed = 1;
                continue;
            }
            if (drain < 0)
                drain = !work_waiting(g);
            gpu_run_t *q = c->run;
            if (drain && (j = imin(m, q->k.ctas - 1 - q->done_ctas)) > 0) {
                for (int x = 0; x < j; x++)
                    leave_sm(g, c);
                g->stats.ctas += (uint64_t)j;
                q->done_ctas += j;
                if (c->n == 0)
                    cta_release(g, c);
                m -= j;
                changed = 1;
                continue;
            }
            goto rest;
        }
    }
rest:
    if (changed)
        set_levels(g);
    /* The rest the long way, one by one: m members of run i, then the later runs. */
    for (int first = 1; i < runs; i++, first = 0) {
        gpu_cta_t *c = ctx[i];
        if (g->sms[c->sm].sw_old != c)
            continue;
        for (int x = first ? m : members[i]; x > 0; x--)
            cta_end(g, c);
    }
    return 1;
}

static void kernel_ready(sim_t *s, void *ctx, uint64_t tag)
{
    gpu_run_t *r = ctx;
    gpu_t *g = r->gpu;
    (void)s;
    (void)tag;
    r->next = NULL;
    if (g->tail)
        g->tail->next = r;
    else
        g->head = r;
    g->tail = r;
    r->active = 1;
    if (g->ctx < 0) {            /* the first kernel: its context takes the idle GPU */
        g->ctx = r->k.context;
        g->slice_start = sim_now(g->sim);
        if (g->ctx_observer)
            g->ctx_observer(g->ctx_observer_ctx, g->ctx, g->slice_start);
    }
    if (r->k.context == g->ctx) {
        g->idle = 0;
        dispatch_new(g, r);
    } else {
        schedule_slice(g);
    }
    set_levels(g);
}

int gpu_launch(gpu_t *g, const gpu_kernel_t *k, gpu_done_fn done, void *ctx, uint64_t tag)
{
    gpu_run_t *r;
    const gpu_spec_t *s = &g->spec;
    int warps;

    if (gpu_occupancy(s, k, NULL, 0) < 1 || k->ctas < 1)
        return -1;
    r = calloc(1, sizeof *r);
    if (r == NULL)
        return -1;
    r->k = *k;
    r->gpu = g;
    r->regs_per_cta = regs_per_cta(s, k);
    r->smem_per_cta = smem_per_cta(s, k);
    r->cycles_per_cta = gpu_cta_cycles(s, k);
    warps = (k->threads + s->warp_size - 1) / s->warp_size;
    r->math_ceiling_frac = (double)warps / (double)s->warps_full_rate;
    if (r->math_ceiling_frac > 1.0)
        r->math_ceiling_frac = 1.0;
    r->done = done;
    r->ctx = ctx;
    r->tag = tag;
    if (sim_schedule(g->sim, (sim_time_t)llround(s->launch_overhead_s * 1e12), kernel_ready, r,
                     0) == 0) {
        free(r);
        return -1;
    }
    return 0;
}

gpu_t *gpu_new(sim_t *s, const gpu_spec_t *spec, dram_t *dram)
{
    gpu_t *g = calloc(1, sizeof *g);
    if (g == NULL)
        return NULL;
    g->sim = s;
    g->spec = *spec;
    g->dram = dram;
    sim_link_set_batch(dram->link, cta_part_done, cta_parts_done);
    sim_link_set_sweep(dram->link, cta_sweep);
    assert(spec->sms > 0 && spec->clock_hz > 0 && spec->warps_full_rate > 0);
    sim_label(s, (sim_handler_fn)cta_part_done, "the GPU's CTAs (models/gpu.c)");
    sim_label(s, kernel_ready, "the GPU's kernel launches (models/gpu.c)");
    sim_label(s, switch_done, "the GPU's context switches (models/gpu.c)");
    sim_label(s, slice_timer, "the GPU's time slices (models/gpu.c)");
    sim_label(s, preempt, "the GPU's time slices (models/gpu.c)");
    g->sms = calloc((size_t)spec->sms, sizeof *g->sms);
    g->swept = calloc((size_t)spec->sms, sizeof *g->swept);
    if (g->sms == NULL || g->swept == NULL) {
        free(g->sms);
        free(g->swept);
        free(g);
        return NULL;
    }
    for (int i = 0; i < spec->sms; i++) {
        char name[32];
        snprintf(name, sizeof name, "sm%d", i);
        g->sms[i].math = sim_link_new(s, name, spec->clock_hz);
        if (g->sms[i].math == NULL) {
            gpu_free(g);
            return NULL;
        }
        sim_link_set_batch(g->sms[i].math, cta_part_done, cta_parts_done);
        sim_link_set_sweep(g->sms[i].math, cta_sweep);
    }
    sim_util_init(&g->stats.busy, sim_now(s));
    sim_util_init(&g->stats.sms_active, sim_now(s));
    g->ctx = -1;
    return g;
}

void gpu_set_observer(gpu_t *g, gpu_sm_fn fn, void *ctx)
{
    g->observer = fn;
    g->observer_ctx = ctx;
}

void gpu_set_context_observer(gpu_t *g, gpu_ctx_fn fn, void *ctx)
{
    g->ctx_observer = fn;
    g->ctx_observer_ctx = ctx;
}

void gpu_set_clock(gpu_t *g, double hz)
{
    g->spec.clock_hz = hz;
    for (int i = 0; i < g->spec.sms; i++)
        sim_link_set_capacity(g->sms[i].math, hz);
}

void gpu_free(gpu_t *g)
{
    if (g == NULL)
        return;
    for (int i = 0; g->sms && i < g->spec.sms; i++)
        if (g->sms[i].math)
            sim_link_free(g->sms[i].math);
    free(g->sms);
    free(g->swept);
    while (g->head) {
        gpu_run_t *n = g->head->next;
        free(g->head);
        g->head = n;
    }
    for (int i = 0; i < g->ncta_blocks; i++)
        free(g->cta_blocks[i]);
    free(g->cta_blocks);
    free(g);
}

const gpu_stats_t *gpu_stats(gpu_t *g)
{
    return &g->stats;
}

void gpu_stats_flush(gpu_t *g)
{
    set_levels(g);
}
