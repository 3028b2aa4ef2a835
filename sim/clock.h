/*
 * clock: a clock domain, converting between cycles and picoseconds at a frequency that
 * may change during a run (DVFS, power modes, thermal throttling).
 *
 * The domain remembers the time and cycle count at the last frequency change; cycle
 * counts are doubles so that fractional cycles from fluid models accumulate exactly
 * enough (53-bit mantissa: exact to the cycle for 10^15 cycles).
 */
#ifndef ORINSIM_CLOCK_H
#define ORINSIM_CLOCK_H

#include "sim/sim.h"

typedef struct sim_clock {
    double hz;              /* current frequency */
    sim_time_t t0;          /* time of the last change */
    double cycles0;         /* cycles elapsed at t0 */
} sim_clock_t;

void sim_clock_init(sim_clock_t *c, double hz);
/* Change frequency at time `now` (>= the last change). */
void sim_clock_set_hz(sim_clock_t *c, sim_time_t now, double hz);
double sim_clock_hz(const sim_clock_t *c);
/* Cycles elapsed since init, at time t (>= the last change). */
double sim_clock_cycles_at(const sim_clock_t *c, sim_time_t t);
/* Duration of n cycles at the current frequency, rounded up to a whole picosecond. */
sim_time_t sim_clock_cycles_to_ps(const sim_clock_t *c, double n);
/* Cycles in a duration at the current frequency. */
double sim_clock_ps_to_cycles(const sim_clock_t *c, sim_time_t ps);

#endif
