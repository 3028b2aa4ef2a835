/*
 * tegrastats: a run's power time series written as a tegrastats log (`--tegrastats FILE`),
 * or as CSV (`--csv FILE`), so that the tools teams run on logs from a module read the
 * simulated run too. docs/power.md, "Logs of a run".
 */
#ifndef ORINSIM_TEGRASTATS_H
#define ORINSIM_TEGRASTATS_H

#include <stdio.h>

#include "soc/run/footprint.h"
#include "soc/run/power_run.h"
#include "soc/sku/sku.h"

/* One line per point of the series, in tegrastats' format for the module's family
 * (AGX Orin, or Orin NX / Nano). Returns 0, or -1 on a write error. */
int tegrastats_write(FILE *out, const soc_config_t *cfg, const power_run_t *pr,
                     const footprint_t *fp);
/* The same series as CSV: a header `time_s,<series>[unit],...`, one row per point. */
int tegrastats_csv(FILE *out, const power_run_t *pr);

#endif
