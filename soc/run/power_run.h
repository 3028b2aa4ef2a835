/*
 * power_run: the power, energy and temperature instrument of a run.
 *
 * Attached to a replay (replay_options_t.hooks), it samples every engine's activity once
 * per sample period of simulated time (10 ms by default), turns it into power per part and
 * per rail (models/power.c), integrates energy and the thermal zones (models/thermal.c),
 * and runs the governors:
 *
 *   - clocks pinned (the default, like jetson_clocks): every engine at its mode cap;
 *   - clocks dvfs: a load-based governor per engine, the EMC included, every dvfs period
 *     (Linux devfreq simple_ondemand: above up_threshold busy, go to the cap; otherwise
 *     the lowest operating point that keeps the busy share under up_threshold minus half
 *     of down_differential);
 *   - thermal: once per polling period (1 s), a zone at or above its trip (99 C) steps its
 *     engines down one operating point, and back up one point per period once it is below
 *     trip - hysteresis; a zone at the critical trip (104.5 C) ends the run with a
 *     "thermal shutdown" status (replay_request_stop; the CLI exits with EXIT_THERMAL);
 *   - an optional power cap (--power-cap W), a what-if knob: the stock BSP does not enforce
 *     a power target on AGX Orin. Every dvfs period, if the module's average power is over
 *     the cap, the engine drawing the most dynamic power steps down one operating point;
 *     below 95% of the cap, the last engine stepped down steps back up.
 *
 * The sampler costs a few hundred nanoseconds per sample, so 30 simulated minutes at
 * 10 ms are 180,000 samples. Time series (rails, module, zone temperatures, clocks) are
 * kept in memory for the timeline viewer and the tegrastats and CSV logs, one point per
 * sample (up to 2^18 points, then neighbours merge), unless no_series says nothing will
 * read them.
 */
#ifndef ORINSIM_POWER_RUN_H
#define ORINSIM_POWER_RUN_H

#include <stddef.h>
#include <stdio.h>

#include "models/power.h"
#include "sim/diag.h"
#include "soc/run/replay.h"
#include "soc/sku/sku.h"

typedef enum power_clocks { POWER_CLOCKS_PINNED = 0, POWER_CLOCKS_DVFS } power_clocks_t;

typedef struct power_options {
    int enabled;               /* attach the instrument and report power */
    power_clocks_t clocks;
    double power_cap_w;        /* 0: no cap */
    double ambient_c;          /* default 25 C */
    double sample_s;           /* sampler period of simulated time (default 10 ms) */
    char cooling[64];          /* a preset of configs/cooling/presets.yaml; "" = the SKU's
                                * own thermal section */
    int no_series;             /* keep no time series (power_series_*: nothing will read
                                * them); the summary is the same */
} power_options_t;

#define POWER_DEFAULT_AMBIENT_C 25.0
#define POWER_DEFAULT_SAMPLE_S 0.010
#define POWER_ABSOLUTE_ZERO_C (-273.15)
/* The AGX Orin Industrial module's rated operating range; other modules are narrower. */
#define POWER_RATED_MIN_C (-40.0)
#define POWER_RATED_MAX_C 85.0

void power_options_init(power_options_t *o);
/* Parse one command-line option at argv[*i] if it is a power option (--power, --clocks,
 * --power-cap, --ambient, --power-sample), advancing *i past its value. Returns 1 if it
 * was one, 0 if not, and -1 after printing a one-line error (exit code 2). */
int power_cli_option(power_options_t *o, int argc, char **argv, int *i);
/* One line per option, for usage texts. */
void power_cli_usage(FILE *out);

typedef struct power_run power_run_t;

/* Checks the options against the configuration: the SKU must have a power model and the
 * cap must be at least the module's idle power. Errors are bad input. */
int power_run_new(power_run_t **out, const soc_config_t *cfg, const power_options_t *o,
                  diag_t *d);
void power_run_free(power_run_t *pr);
/* For the CLI: when the options ask for power, create the instrument and add its hook to
 * `ro` (*out stays NULL otherwise). */
int power_run_setup(power_run_t **out, const power_options_t *o, const soc_config_t *cfg,
                    replay_options_t *ro, diag_t *d);
/* EXIT_THERMAL when the run ended in thermal shutdown and rc was EXIT_OK; else rc. */
int power_run_exit_code(const power_run_t *pr, int rc);
/* The hook to put into replay_options_t.hooks. A power_run serves one replay. */
const replay_hook_t *power_run_hook(power_run_t *pr);
/* Module power with every engine idle, clocks at their lowest operating points, at
 * `temp_c`: the floor no governor can go below. */
double power_idle_w(const power_spec_t *s, const soc_config_t *cfg, double temp_c);

/* ---- results, valid after the run ---- */

typedef struct power_summary {
    double seconds;                       /* covered by the samples */
    double energy_j;                      /* module */
    double avg_w, peak_w;                 /* module; peak = highest sample average */
    int nrails;
    double rail_avg_w[POWER_MAX_RAILS], rail_peak_w[POWER_MAX_RAILS];
    double rail_energy_j[POWER_MAX_RAILS];
    double part_energy_j[PWP_COUNT];      /* per engine / part */
    double part_dyn_energy_j[PWP_COUNT];  /* of which activity-proportional */
    double peak_c[THERMAL_ZONES];
    double final_c[THERMAL_ZONES];
    double throttled_s;                   /* time with any zone stepped down */
    double first_throttle_s;              /* when a zone first stepped down; -1: never */
    double peak_air_c;                    /* inside the enclosure (cooling presets) */
    int thermal_shutdown;
    double capped_s;                      /* time with the power cap holding a clock down */
    double min_hz[PWC_COUNT], avg_hz[PWC_COUNT];
} power_summary_t;

const power_summary_t *power_run_summary(const power_run_t *pr);
const power_spec_t *power_run_spec(const power_run_t *pr);
const power_options_t *power_run_options(const power_run_t *pr);

/* Derived figures of a finished run. Energy per task splits each engine's activity energy
 * among the tasks that ran on it in proportion to their summed latencies; idle, leakage,
 * SoC, DRAM and the system rail stay shared. */
typedef struct power_energy {
    double per_frame_j, frames_per_j;
    double per_hour_j;                    /* at the trace's frame rate (its period, or the
                                           * achieved rate of a closed loop) */
    double frame_rate;                    /* frames/s used for per_hour_j */
} power_energy_t;

void power_run_energy(const power_run_t *pr, const trace_t *t, const replay_result_t *r,
                      power_energy_t *out);
/* Energy (J) attributed to task `i` of the result. */
double power_task_energy_j(const power_run_t *pr, const replay_result_t *r, int i);

/* ---- time series (one point per sample) ----
 * Series k in [0, power_series_count) has a name ("VDD_GPU_SOC", "module", "util.gpu",
 * "temp.gpu", "clock.gpu"), a unit ("W", "%", "C", "MHz"), in that order: the rails, the
 * module, the utilisation of the GPU (SMs busy), the CPU (cores busy) and the EMC (DRAM
 * traffic over the peak at the clock in effect), the zones, the clocks; and
 * power_series_len values. The sample times (seconds of simulated time at the end of
 * each sample interval) are shared. Rail and
 * module values are the interval's average power (utilisations its average share);
 * temperatures and clocks are the state
 * at the end of the interval. Pointers stay valid until power_run_free. */
size_t power_series_len(const power_run_t *pr);
const double *power_series_times(const power_run_t *pr);
int power_series_count(const power_run_t *pr);
const char *power_series_name(const power_run_t *pr, int k);
const char *power_series_unit(const power_run_t *pr, int k);
const double *power_series_values(const power_run_t *pr, int k);

/* ---- reports (called by soc/report/report.c) ---- */

struct json_object;
void power_report_text(FILE *out, const power_run_t *pr, const trace_t *t,
                       const replay_result_t *r);
/* Adds "power" and "energy" objects to a report's root object. */
void power_report_json(struct json_object *root, const power_run_t *pr, const trace_t *t,
                       const replay_result_t *r);

#endif
