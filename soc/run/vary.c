/*
 * vary: random draws and interference of a run. See vary.h.
 *
 * Interference runs as its own chain of events: a source starts a burst (cpu_noise: a CPU
 * op of `threads` threads lasting the drawn duration at the current CPU clock; dram: a
 * transfer of bandwidth x duration bytes capped at `bandwidth`), and its next burst starts
 * `every` after this one started. A burst that outlasts the gap overlaps the next one, as
 * two independent noise events would. The chains never end on their own: the run stops
 * the engine when its last frame is done.
 */
#include "soc/run/vary.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vary_source {
    vary_t *v;
    const trace_interference_t *def;
    sim_rng_t every, length;
    sim_t *sim;
    cpu_t *cpu;
    dram_t *dram;
};

int vary_parse_seed(const char *text, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (text[0] < '0' || text[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

static void seed_named(sim_rng_t *r, uint64_t seed, const char *name)
{
    sim_rng_seed(r, seed, sim_rng_stream_id(name));
}

int vary_init(vary_t *v, const trace_t *t, uint64_t seed)
{
    char name[TRACE_ID_LEN + 64];
    memset(v, 0, sizeof *v);
    v->trace = t;
    v->seed = seed;
    seed_named(&v->arrival, seed, "arrival");
    seed_named(&v->jitter, seed, "arrival/jitter");
    v->work = calloc((size_t)t->ntasks, sizeof *v->work);
    v->duration = calloc((size_t)t->ntasks, sizeof *v->duration);
    v->sources = calloc((size_t)t->ninterf + 1, sizeof *v->sources);
    if (v->work == NULL || v->duration == NULL || v->sources == NULL)
        return -1;
    for (int i = 0; i < t->ntasks; i++) {
        const trace_task_t *task = &t->tasks[i];
        for (int j = 0; j < task->nops; j++) {
            const trace_op_t *op = &task->ops[j];
            if (op->work_rand && v->work[i] == NULL &&
                (v->work[i] = calloc((size_t)task->nops, sizeof **v->work)) == NULL)
                return -1;
            if (op->duration_rand && v->duration[i] == NULL &&
                (v->duration[i] = calloc((size_t)task->nops, sizeof **v->duration)) == NULL)
                return -1;
            if (op->work_rand) {
                snprintf(name, sizeof name, "task/%s/op/%d/work", task->id, j);
                seed_named(&v->work[i][j], seed, name);
            }
            if (op->duration_rand) {
                snprintf(name, sizeof name, "task/%s/op/%d/duration", task->id, j);
                seed_named(&v->duration[i][j], seed, name);
            }
        }
    }
    for (int i = 0; i < t->ninterf; i++) {
        vary_source_t *s = &v->sources[i];
        s->v = v;
        s->def = &t->interf[i];
        snprintf(name, sizeof name, "interference/%d/every", i);
        seed_named(&s->every, seed, name);
        snprintf(name, sizeof name, "interference/%d/duration", i);
        seed_named(&s->length, seed, name);
    }
    return 0;
}

void vary_free(vary_t *v)
{
    for (int i = 0; v->trace && i < v->trace->ntasks; i++) {
        if (v->work)
            free(v->work[i]);
        if (v->duration)
            free(v->duration[i]);
    }
    free(v->work);
    free(v->duration);
    free(v->sources);
    memset(v, 0, sizeof *v);
}

static sim_time_t to_ps(double x)
{
    if (!(x > 0))
        return 0;
    if (x > 9e18)
        return (sim_time_t)9e18;
    return (sim_time_t)llround(x);
}

sim_time_t vary_poisson_gap(vary_t *v)
{
    double mean_ps = 1e12 / v->trace->arrival.rate_hz;
    sim_time_t g = to_ps(-mean_ps * log(sim_rng_uniform(&v->arrival)));
    return g > 0 ? g : 1;
}

sim_time_t vary_jitter(vary_t *v)
{
    int k = v->trace->arrival.jitter_rand;
    return k ? to_ps(sim_rand_draw(&v->trace->rands[k - 1], &v->jitter)) : 0;
}

double vary_work(vary_t *v, int ti, int first, int last)
{
    const trace_task_t *task = &v->trace->tasks[ti];
    double f = 1.0;
    if (v->work[ti] == NULL || first < 0)
        return 1.0;
    for (int j = first; j <= last && j < task->nops; j++)
        if (task->ops[j].work_rand)
            f *= sim_rand_draw(&v->trace->rands[task->ops[j].work_rand - 1], &v->work[ti][j]);
    return f;
}

double vary_duration(vary_t *v, int ti, int op)
{
    const trace_op_t *o;
    if (v->duration[ti] == NULL || op < 0)
        return 1.0;
    o = &v->trace->tasks[ti].ops[op];
    if (!o->duration_rand)
        return 1.0;
    return sim_rand_draw(&v->trace->rands[o->duration_rand - 1], &v->duration[ti][op]) /
           (double)o->u.cpu.duration_ps;
}

/* ---- interference ---- */

static void burst_done(sim_t *s, void *ctx, uint64_t tag)
{
    (void)s;
    (void)ctx;
    (void)tag;
}

static void burst(sim_t *s, void *ctx, uint64_t tag)
{
    vary_source_t *src = ctx;
    const trace_t *t = src->v->trace;
    double len_ps = sim_rand_draw(&t->rands[src->def->length_rand - 1], &src->length);
    double gap_ps = sim_rand_draw(&t->rands[src->def->every_rand - 1], &src->every);
    (void)tag;
    if (len_ps >= 1) {
        if (src->def->kind == INTERF_CPU_NOISE)
            cpu_run(src->cpu, len_ps * 1e-12 * cpu_spec(src->cpu)->hz, (int)src->def->threads,
                    0, burst_done, src, 0);
        else
            dram_transfer(src->dram, src->def->Bps * len_ps * 1e-12, src->def->Bps, 1.0,
                          burst_done, src, 0);
    }
    sim_schedule(s, gap_ps >= 1 ? to_ps(gap_ps) : 1, burst, src, 0);
}

int vary_interference_start(vary_t *v, sim_t *s, cpu_t *cpu, dram_t *dram)
{
    for (int i = 0; i < v->trace->ninterf; i++) {
        vary_source_t *src = &v->sources[i];
        double first = sim_rand_draw(&v->trace->rands[src->def->every_rand - 1], &src->every);
        src->sim = s;
        src->cpu = cpu;
        src->dram = dram;
        sim_label(s, burst, "the trace's interference (soc/run/vary.c)");
        if (sim_schedule(s, to_ps(first), burst, src, 0) == 0)
            return -1;
    }
    return 0;
}
