/*
 * cooling: the cooling and enclosure presets of configs/cooling/presets.yaml
 * (`--cooling NAME`, docs/power.md "Heat soak"), applied to a module's thermal model.
 */
#ifndef ORINSIM_COOLING_H
#define ORINSIM_COOLING_H

#include "models/thermal.h"
#include "sim/diag.h"

#define COOLING_NAME_LEN 64

typedef struct cooling {
    char name[COOLING_NAME_LEN];
    double zone_r_scale;          /* multiplies every zone's R */
    double enclosure_r_kpw;       /* 0: open air */
    double enclosure_c_jpk;
} cooling_t;

/* Read preset `name` from cooling/presets.yaml in the config directory. An unknown name is bad
 * input whose message lists the presets. */
int cooling_load(const char *name, cooling_t *out, diag_t *d);
/* The module's thermal model under the preset. */
void cooling_apply(const cooling_t *c, thermal_spec_t *spec);

#endif
