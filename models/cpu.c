/*
 * cpu: the Cortex-A78AE cores as a processor-sharing pool.
 *
 * The online cores form one fluid link whose capacity is cores x clock (core-cycles per
 * second). A CPU op of t threads is a flow of t x cycles with a ceiling of
 * min(t, cores) x clock: each thread runs on at most one core, and concurrent ops share
 * the cores max-min fairly, as the Linux scheduler roughly does for CPU-bound threads.
 * An op's DRAM traffic is a flow on the shared memory link, capped at what its threads'
 * cores can stream; the op ends when both its work and its traffic are done.
 *
 * What it ignores: caches (the op's bytes are its DRAM traffic), core-to-core latency,
 * cluster topology, SMT (A78AE has none) and the governor (clocks are pinned).
 */
#include "models/cpu.h"

#include <assert.h>
#include <stdlib.h>

struct cpu {
    sim_t *sim;
    cpu_spec_t spec;
    dram_t *dram;
    sim_link_t *cores;
    sim_util_t busy;          /* busy cores */
    struct cpu_op *ops;       /* in flight */
};

typedef struct cpu_op {
    cpu_t *cpu;
    struct cpu_op *prev, *next;   /* the ops in flight, freed with the CPU if a run ends
                                   * before they do */
    int parts;
    sim_flow_done_fn done;
    void *ctx;
    uint64_t tag;
} cpu_op_t;

static void observe(void *ctx, sim_time_t now, double load)
{
    cpu_t *c = ctx;
    sim_util_set(&c->busy, now, load / c->spec.hz);
}

cpu_t *cpu_new(sim_t *s, const cpu_spec_t *spec, dram_t *dram)
{
    cpu_t *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->sim = s;
    c->spec = *spec;
    c->dram = dram;
    c->cores = sim_link_new(s, "cpu", spec->cores * spec->hz);
    if (c->cores == NULL) {
        free(c);
        return NULL;
    }
    sim_util_init(&c->busy, sim_now(s));
    sim_link_set_observer(c->cores, observe, c);
    return c;
}

void cpu_free(cpu_t *c)
{
    if (c == NULL)
        return;
    sim_link_free(c->cores);
    while (c->ops != NULL) {
        struct cpu_op *op = c->ops;
        c->ops = op->next;
        free(op);
    }
    free(c);
}

static void unlink_op(cpu_op_t *op)
{
    if (op->prev)
        op->prev->next = op->next;
    else
        op->cpu->ops = op->next;
    if (op->next)
        op->next->prev = op->prev;
}

static void part_done(sim_t *s, void *ctx, uint64_t tag)
{
    cpu_op_t *op = ctx;
    (void)tag;
    if (--op->parts > 0)
        return;
    sim_flow_done_fn done = op->done;
    void *dctx = op->ctx;
    uint64_t dtag = op->tag;
    unlink_op(op);
    free(op);
    done(s, dctx, dtag);
}

int cpu_run(cpu_t *c, double cycles_per_thread, int threads, double bytes, sim_flow_done_fn done,
            void *ctx, uint64_t tag)
{
    cpu_op_t *op = calloc(1, sizeof *op);
    int used = threads < c->spec.cores ? threads : c->spec.cores;
    if (op == NULL)
        return -1;
    op->cpu = c;
    op->done = done;
    op->ctx = ctx;
    op->tag = tag;
    op->parts = 1 + (bytes > 0);
    if (sim_flow_start(c->cores, cycles_per_thread * threads, used * c->spec.hz, 1.0, part_done,
                       op, 0) == NULL) {
        free(op);
        return -1;
    }
    op->next = c->ops;
    if (c->ops)
        c->ops->prev = op;
    c->ops = op;
    if (bytes > 0)
        dram_transfer(c->dram, bytes, used * c->spec.dram_Bps_per_core, 1.0, part_done, op, 1);
    return 0;
}

double cpu_busy_cores(cpu_t *c, sim_time_t t0)
{
    sim_util_set(&c->busy, sim_now(c->sim), c->busy.level);
    return sim_util_avg(&c->busy, t0, sim_now(c->sim));
}

const cpu_spec_t *cpu_spec(const cpu_t *c)
{
    return &c->spec;
}

void cpu_set_clock(cpu_t *c, double hz)
{
    /* Ops already running keep the per-thread ceiling they started with (flows have no
     * ceiling setter); the pool's capacity, and so every op sharing it, follows at once. */
    assert(hz > 0);
    c->spec.hz = hz;
    sim_link_set_capacity(c->cores, c->spec.cores * hz);
}
