/*
 * report: the text and JSON reports of a run. The JSON schema is documented in
 * docs/report.md and versioned by `report_version`.
 */
#ifndef ORINSIM_REPORT_H
#define ORINSIM_REPORT_H

#include <stdio.h>

#include "soc/run/replay.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"

#define REPORT_VERSION 1

struct power_run;

typedef struct report_options {
    int reproducible;          /* leave out wall-clock figures (byte-identical reports) */
    const struct power_run *power;  /* power, energy and thermal sections (soc/run/power_run.h) */
} report_options_t;

void report_text(FILE *out, const soc_config_t *cfg, const trace_t *t, replay_result_t *r,
                 const report_options_t *opt);
/* Returns 0, or -1 if writing failed. */
int report_json(FILE *out, const soc_config_t *cfg, const trace_t *t, replay_result_t *r,
                const report_options_t *opt);

#endif
