/*
 * sku: Jetson Orin modules and their nvpmodel power modes, loaded from configs/.
 *
 * A SKU file (configs/<name>.yaml) describes one module at its hardware maximum and
 * lists every nvpmodel mode as a vector of caps. Resolving a SKU with a mode gives a
 * soc_config_t: the immutable description the SoC is built from, with the per-unit
 * specs of models/ filled in (a model never reads YAML). A user's own file may name a
 * shipped SKU under `inherits:` and override any field.
 *
 * Every number in the files carries its source in a comment; see docs/configs.md.
 */
#ifndef ORINSIM_SKU_H
#define ORINSIM_SKU_H

#include <stdio.h>

#include "models/dla.h"
#include "models/dram.h"
#include "models/dtype.h"
#include "models/gpu.h"
#include "models/power.h"
#include "models/pva.h"
#include "sim/diag.h"

#define SKU_MAX_MODES 24
#define SKU_NAME_LEN 64

typedef struct sku_mode {
    char name[32];            /* as the user types it: "MAXN", "30W", "MAXN_SUPER" */
    int id;                   /* nvpmodel ID within its BSP file */
    char bsp[16];             /* "jp5" / "jp6" (original) or "jp62" (Super) */
    int cpus_online;
    double cpu_max_hz;        /* caps; each is <= the hardware maximum */
    int tpcs;
    double gpu_max_hz;
    double emc_max_hz;
    double dla_hz, dla_falcon_hz;
    double pva_vps_hz, pva_axi_hz;
} sku_mode_t;

typedef struct sku {
    char name[SKU_NAME_LEN];  /* "agx64" */
    char title[128];          /* "Jetson AGX Orin 64GB" */
    char path[512];           /* file it was loaded from */

    /* GPU at its hardware maximum: gpu.sms = tpcs x sms_per_tpc, gpu.clock_hz = max. */
    int tpcs, sms_per_tpc;
    gpu_spec_t gpu;
    /* DRAM at the highest EMC clock the module supports. */
    dram_spec_t dram;
    /* Other engines (modelled in later parts; counts and clocks are known now). */
    int cpus;
    double cpu_max_hz;
    double cpu_dram_Bps_per_core; /* DRAM bandwidth one core can stream */
    double dram_capacity;         /* bytes of DRAM on the module */
    double dram_reserved;         /* of which carve-outs and the OS keep (bytes) */
    int dlas;
    double dla_max_hz;
    double dla_falcon_max_hz; /* DLA controller (Falcon) clock ceiling */
    dla_spec_t dla;           /* one DLA at its maximum clocks (all zero when dlas = 0) */
    int pvas;
    double pva_max_hz;        /* PVA vector subsystems (VPS) */
    double pva_axi_max_hz;    /* PVA control processor / AXI clock ceiling */
    pva_spec_t pva;           /* at the VPS and AXI maxima; zero without a PVA */
    power_spec_t power;       /* power and thermal model (power.present = 0: none) */

    sku_mode_t modes[SKU_MAX_MODES];
    int nmodes;
    int default_mode;         /* index into modes */
} sku_t;

/* A SKU resolved under one mode: what the SoC is built from. */
typedef struct soc_config {
    const sku_t *sku;
    const sku_mode_t *mode;
    gpu_spec_t gpu;           /* sms = mode TPCs x sms_per_tpc; clock = mode cap */
    dram_spec_t dram;         /* emc_hz = mode cap */
    int cpus;
    double cpu_hz;
    int dlas;
    dla_spec_t dla;           /* clock_hz = mode's DLA core cap; layer_overhead_s from the
                               * mode's Falcon cap */
    int pvas;
    pva_spec_t pva;           /* vps_hz = mode VPS cap; dram_Bps scaled by the mode's AXI cap */
    power_spec_t power;       /* the SKU's power and thermal model (models/power.h) */
} soc_config_t;

/* Directory of shipped SKU files, the first of: the installed configs beside the
 * executable (<bindir>/../share/orinsim/configs), $ORINSIM_CONFIG_DIR, the source tree's
 * configs/ the build was made from. The traces the validation registry names are in
 * ../traces from it. */
const char *sku_config_dir(void);
/* Where sku_config_dir looks, in order, each with whether it is there (for messages). */
void sku_config_search(char *buf, size_t len);
/* Load a shipped SKU by name ("agx32") or a user file by path (contains '/' or ends in
 * .yaml). Errors (unknown SKU, bad file) go to d with file:line:column. */
int sku_load(const char *name_or_path, sku_t *out, diag_t *d);
/* Find a mode by name (case-insensitive; "MODE_30W" and "30W" both match) or by
 * numeric nvpmodel ID; NULL mode = the default. Unknown mode: error listing the modes. */
int sku_resolve(const sku_t *sku, const char *mode, soc_config_t *out, diag_t *d);
/* Names of the shipped SKUs, sorted; returns the count (<= max). */
int sku_list(char names[][SKU_NAME_LEN], int max);

/* Peak math throughput of the resolved GPU in FLOP/s (or OP/s for integers).
 * tensor=0: CUDA cores (0 if the dtype has no CUDA-core path); sparse applies to tensor. */
double soc_peak_flops(const soc_config_t *c, dtype_t t, int tensor, int sparse);
double soc_peak_dram_Bps(const soc_config_t *c);

#endif
