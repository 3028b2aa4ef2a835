/*
 * thermal: one lumped RC node per thermal zone (GPU, CPU, CV, SoC) against ambient.
 *
 *     C dT/dt = P(t) - (T - T_amb) / R
 *
 * Between samples the power is taken as constant, and the step is the exact solution of
 * that equation:
 *
 *     T(t + dt) = T_amb + P R + (T(t) - T_amb - P R) exp(-dt / (R C))
 *
 * so a run from T_amb under constant P follows T(t) = T_amb + P R (1 - exp(-t / RC)) at
 * any step size. The zones are independent: each R lumps the zone's own path to ambient,
 * its share of the heat sink included. Heat flowing between zones through the shared heat
 * spreader is not modelled (docs/power.md). R and C are configured per SKU; no published
 * values exist, so they are marked unconfirmed and docs/calibration.md explains how to fit
 * them from one tegrastats power-step run.
 */
#ifndef ORINSIM_THERMAL_H
#define ORINSIM_THERMAL_H

typedef enum thermal_zone_id {
    TZ_GPU = 0, TZ_CPU, TZ_CV, TZ_SOC, THERMAL_ZONES
} thermal_zone_id_t;

typedef struct thermal_spec {
    double r_kpw[THERMAL_ZONES];  /* K/W, zone to ambient */
    double c_jpk[THERMAL_ZONES];  /* J/K */
    double trip_c;                /* passive throttle trip (99 C on T234) */
    double hysteresis_c;          /* clocks step back up below trip - hysteresis */
    double shutdown_c;            /* critical trip: the run ends (104.5 C on T234) */
    double poll_s;                /* thermal governor polling period (1 s on T234) */
    /* An enclosure (cooling presets, configs/cooling/presets.yaml): one more node, the air
     * inside, between every zone and the ambient: C_e dT_air/dt = q - (T_air - T_amb) / R_e, q the
     * heat leaving the zones. enclosure_r_kpw = 0: open air, the zones see the ambient. */
    double enclosure_r_kpw, enclosure_c_jpk;
} thermal_spec_t;

typedef struct thermal {
    thermal_spec_t spec;
    double ambient_c;
    double t_c[THERMAL_ZONES];
    double peak_c[THERMAL_ZONES];
    double air_c, peak_air_c;     /* inside the enclosure (= ambient without one) */
} thermal_t;

/* All zones start at ambient. */
void thermal_init(thermal_t *th, const thermal_spec_t *spec, double ambient_c);
/* Advance by dt seconds with constant power p_w[zone] into each zone. With an enclosure,
 * the air node steps first under the heat the zones give off at the start of the step
 * (their (T - T_air) / R; equal to their power once settled), and the zones then step
 * against the new air temperature. */
void thermal_step(thermal_t *th, const double p_w[THERMAL_ZONES], double dt_s);
/* Temperature a zone settles at under constant power. */
double thermal_steady_c(const thermal_t *th, int zone, double p_w);
/* The hottest zone and its temperature. */
int thermal_hottest(const thermal_t *th, double *t_c);
const char *thermal_zone_name(int zone);

#endif
