/*
 * sku_power: the `power:` and `thermal:` sections of a SKU file (docs/configs.md,
 * docs/power.md), read into a power_spec_t. Called by soc/sku/sku.c for each file of an
 * inherits chain; a section given in a child overrides the inherited values field by field.
 */
#ifndef ORINSIM_SKU_POWER_H
#define ORINSIM_SKU_POWER_H

#include "models/power.h"
#include "sim/diag.h"
#include "soc/io/ydoc.h"

/* Per-file state the loader keeps across the chain (rail names until they are resolved). */
typedef struct sku_power_names {
    char rail[PWP_COUNT][POWER_RAIL_LEN];
    char order[POWER_MAX_RAILS][POWER_RAIL_LEN];   /* power.rails, in the monitor's order */
    int norder;
    char input[POWER_RAIL_LEN];   /* power.input_rail ("" when none) */
    char zone[PWP_COUNT][8];
    int line, col, file;          /* where the power section was last given */
} sku_power_names_t;

/* Read the sections of one file. Without an inherited power model, a file that gives one
 * of the sections must give both, with every field. */
int sku_power_parse(ydoc_t *y, yaml_node_t *root, power_spec_t *p, sku_power_names_t *names,
                    int file, diag_t *d);
/* After the chain: resolve rail and zone names and check cross-field limits. `gpu_hz`
 * and friends are the module's hardware maxima (the top of each V-f curve). */
int sku_power_finish(power_spec_t *p, const sku_power_names_t *names, const char *path,
                     double gpu_hz, double cpu_hz, double dla_hz, double pva_hz, double emc_hz,
                     diag_t *d);

#endif
