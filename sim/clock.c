/*
 * clock: cycles <-> picoseconds in a domain whose frequency may change. See clock.h.
 *
 * The domain is piecewise linear: between two frequency changes, cycles grow at hz per
 * second. A change at time t folds the cycles elapsed so far into cycles0 and restarts
 * the line at t, so conversions cost one multiply and never replay history.
 *
 * Durations are rounded up to a whole picosecond, except that a result within a relative
 * 1e-12 of an integer is taken as that integer: 1000 cycles at 1 GHz are 1000000 ps, not
 * 1000001 because of a last-bit error in the division. (1e-12 is about 10^4 ulps, far
 * below the 1 ps resolution for any duration shorter than a second.)
 */
#include "sim/clock.h"

#include <assert.h>
#include <math.h>

#define PS_PER_S 1e12

void sim_clock_init(sim_clock_t *c, double hz)
{
    assert(hz > 0 && isfinite(hz));
    c->hz = hz;
    c->t0 = 0;
    c->cycles0 = 0.0;
}

void sim_clock_set_hz(sim_clock_t *c, sim_time_t now, double hz)
{
    assert(hz > 0 && isfinite(hz));
    assert(now >= c->t0);
    c->cycles0 = sim_clock_cycles_at(c, now);
    c->t0 = now;
    c->hz = hz;
}

double sim_clock_hz(const sim_clock_t *c)
{
    return c->hz;
}

double sim_clock_cycles_at(const sim_clock_t *c, sim_time_t t)
{
    assert(t >= c->t0);
    return c->cycles0 + (double)(t - c->t0) * c->hz / PS_PER_S;
}

sim_time_t sim_clock_cycles_to_ps(const sim_clock_t *c, double n)
{
    assert(n >= 0);
    double ps = n * PS_PER_S / c->hz;
    double r = nearbyint(ps);
    if (fabs(ps - r) <= 1e-12 * ps)
        ps = r;
    else
        ps = ceil(ps);
    if (ps >= 18446744073709551615.0)
        return SIM_TIME_MAX;
    return (sim_time_t)ps;
}

double sim_clock_ps_to_cycles(const sim_clock_t *c, sim_time_t ps)
{
    return (double)ps * c->hz / PS_PER_S;
}
