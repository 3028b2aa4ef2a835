/*
 * dram: the SoC's shared LPDDR5 memory system as one fluid link. See dram.h.
 *
 * The link's capacity is the achievable bandwidth, efficiency x peak. Requesters start
 * transfers as flows; sim/flow.c shares the capacity max-min fairly among them and
 * re-solves only when a transfer starts or ends, or the EMC clock changes. A bandwidth
 * time series (sim_util_t) follows every re-solve, for reports and the timeline.
 */
#include "models/dram.h"

#include <string.h>

double dram_peak_Bps(const dram_spec_t *spec)
{
    /* bits / 8 = bytes per transfer edge; LPDDR5 transfers on both edges: x2. */
    return (double)spec->bus_bits / 8.0 * 2.0 * spec->emc_hz;
}

double dram_achievable_Bps(const dram_spec_t *spec)
{
    return dram_peak_Bps(spec) * spec->efficiency;
}

static void observe(void *ctx, sim_time_t now, double load)
{
    dram_t *m = ctx;
    sim_util_set(&m->bw, now, load);
    if (m->tap)
        m->tap(m->tap_ctx, now, load);
}

int dram_init(dram_t *m, sim_t *s, const dram_spec_t *spec)
{
    memset(m, 0, sizeof *m);
    m->spec = *spec;
    m->sim = s;
    m->link = sim_link_new(s, "dram", dram_achievable_Bps(spec));
    if (m->link == NULL)
        return -1;
    sim_util_init(&m->bw, sim_now(s));
    sim_link_set_observer(m->link, observe, m);
    return 0;
}

void dram_free(dram_t *m)
{
    if (m->link)
        sim_link_free(m->link);
    m->link = NULL;
}

void dram_set_emc_hz(dram_t *m, double hz)
{
    m->spec.emc_hz = hz;
    sim_link_set_capacity(m->link, dram_achievable_Bps(&m->spec));
}

sim_flow_t *dram_transfer(dram_t *m, double bytes, double ceiling_Bps, double weight,
                          sim_flow_done_fn done, void *ctx, uint64_t tag)
{
    return sim_flow_start(m->link, bytes, ceiling_Bps, weight, done, ctx, tag);
}

void dram_set_tap(dram_t *m, void (*fn)(void *ctx, sim_time_t now, double Bps), void *ctx)
{
    m->tap = fn;
    m->tap_ctx = ctx;
}

double dram_bytes_moved(dram_t *m)
{
    return sim_link_work_done(m->link);
}
