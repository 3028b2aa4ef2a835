/*
 * thermal: lumped RC zones, stepped with the exact solution for piecewise-constant
 * power. See thermal.h for the equations and what is left out.
 */
#include "models/thermal.h"

#include <assert.h>
#include <math.h>

static const char *const ZONE_NAMES[THERMAL_ZONES] = {"gpu", "cpu", "cv", "soc"};

void thermal_init(thermal_t *th, const thermal_spec_t *spec, double ambient_c)
{
    th->spec = *spec;
    th->ambient_c = ambient_c;
    for (int z = 0; z < THERMAL_ZONES; z++) {
        assert(spec->r_kpw[z] > 0 && spec->c_jpk[z] > 0);
        th->t_c[z] = ambient_c;
        th->peak_c[z] = ambient_c;
    }
    assert(spec->enclosure_r_kpw == 0 || spec->enclosure_c_jpk > 0);
    th->air_c = th->peak_air_c = ambient_c;
}

void thermal_step(thermal_t *th, const double p_w[THERMAL_ZONES], double dt_s)
{
    double ref = th->ambient_c;
    assert(dt_s >= 0);
    if (th->spec.enclosure_r_kpw > 0) {
        double q = 0, re = th->spec.enclosure_r_kpw, steady;
        for (int z = 0; z < THERMAL_ZONES; z++)
            q += (th->t_c[z] - th->air_c) / th->spec.r_kpw[z];
        steady = th->ambient_c + q * re;
        th->air_c = steady + (th->air_c - steady) * exp(-dt_s / (re * th->spec.enclosure_c_jpk));
        if (th->air_c > th->peak_air_c)
            th->peak_air_c = th->air_c;
        ref = th->air_c;
    }
    for (int z = 0; z < THERMAL_ZONES; z++) {
        double r = th->spec.r_kpw[z], c = th->spec.c_jpk[z];
        double steady = ref + p_w[z] * r;
        th->t_c[z] = steady + (th->t_c[z] - steady) * exp(-dt_s / (r * c));
        if (th->t_c[z] > th->peak_c[z])
            th->peak_c[z] = th->t_c[z];
    }
}

double thermal_steady_c(const thermal_t *th, int zone, double p_w)
{
    assert(zone >= 0 && zone < THERMAL_ZONES);
    return th->ambient_c + p_w * th->spec.r_kpw[zone];
}

int thermal_hottest(const thermal_t *th, double *t_c)
{
    int hot = 0;
    for (int z = 1; z < THERMAL_ZONES; z++)
        if (th->t_c[z] > th->t_c[hot])
            hot = z;
    if (t_c)
        *t_c = th->t_c[hot];
    return hot;
}

const char *thermal_zone_name(int zone)
{
    return zone >= 0 && zone < THERMAL_ZONES ? ZONE_NAMES[zone] : "?";
}
