/*
 * power: power of each engine and each supply rail from activity, clock, voltage and
 * temperature. See models/power.c and docs/power.md.
 */
#ifndef ORINSIM_POWER_H
#define ORINSIM_POWER_H

#include "models/thermal.h"

#define POWER_MAX_RAILS 6
#define POWER_RAIL_LEN 24

/* The parts of the module that draw power, each on one rail. */
typedef enum power_part {
    PWP_GPU = 0,
    PWP_CPU,
    PWP_DLA0,
    PWP_DLA1,
    PWP_PVA,
    PWP_SOC,      /* memory controller, fabric and the rest of the SoC */
    PWP_DRAM,     /* LPDDR5 devices: background plus energy per byte */
    PWP_SYS,      /* the module's 5 V system rail: regulators, I/O (constant) */
    PWP_COUNT
} power_part_t;

/* The clocked engines whose clocks a governor steps (the EMC included). */
typedef enum power_clock {
    PWC_GPU = 0, PWC_CPU, PWC_DLA, PWC_PVA, PWC_EMC, PWC_COUNT
} power_clock_t;

/* A voltage-frequency curve. No Orin V-f table is published: the curve is an assumption
 * with fitted parameters, flat at v_min up to f_knee_hz, then linear up to v_max at
 * f_max_hz (the engine's hardware maximum); above f_max it keeps rising on that line. */
typedef struct power_vf {
    double v_min, v_max;          /* volts */
    double f_knee_hz, f_max_hz;
} power_vf_t;

/* A clocked compute engine made of `units` identical units (SMs, cores, one DLA, the PVA).
 *   P = units_powered x leak_w x (V / v_max) x exp(leak_per_c x (T - leak_ref_c))
 *     + c_eff x V^2 x f x (units_powered x idle_activity + units_busy x (1 - idle_activity))
 * units_busy is the time average of busy units over the interval (for a DLA, its MAC-array
 * utilisation: a DLA running a depthwise layer switches less than one running a dense
 * convolution). */
typedef struct power_engine {
    double c_eff;                 /* farads switched per unit per cycle at full activity */
    double idle_activity;         /* share of c_eff a clocked, idle unit still switches */
    double leak_w;                /* static W per powered unit at v_max and leak_ref_c */
    power_vf_t vf;
    double f_min_hz;              /* lowest operating point */
    double opp_step_hz;           /* spacing of operating points above f_min */
    int rail;                     /* index into power_spec_t.rails */
    int zone;                     /* thermal zone (thermal_zone_id_t) */
} power_engine_t;

typedef struct power_spec {
    int present;                  /* 0: the SKU has no power model */
    int nrails;
    char rails[POWER_MAX_RAILS][POWER_RAIL_LEN];   /* as the module's power monitor names them */
    /* The rail that measures the module's whole input (the Orin NX and Nano's VDD_IN), if
     * any: it reads the sum of every part; the parts on it have no rail of their own. */
    int has_input_rail, input_rail;
    power_engine_t gpu, cpu, dla, pva;   /* dla: one DLA; gpu: one SM; cpu: one core */
    double leak_ref_c, leak_per_c;       /* leakage temperature law, shared by the engines */
    double soc_w;                 /* SoC idle (fabric, MC, always-on) at the max EMC clock */
    double soc_j_per_byte;        /* MC and fabric energy per DRAM byte */
    int soc_rail, soc_zone;
    double dram_w;                /* DRAM background (refresh, I/O termination) at max EMC */
    double dram_j_per_byte;       /* DRAM device + I/O energy per byte moved */
    int dram_rail;
    double emc_f_min_hz, emc_opp_step_hz, emc_max_hz;
    double sys_w;                 /* constant */
    int sys_rail;
    /* governors */
    double dvfs_period_s;         /* load-based DVFS sampling period */
    double dvfs_up_threshold;     /* busy share above which an engine goes to its cap */
    double dvfs_down_differential;
    thermal_spec_t thermal;
} power_spec_t;

/* What the engines did over one interval, and their state. */
typedef struct power_activity {
    double hz[PWC_COUNT];         /* clocks in effect */
    int gpu_sms;                  /* powered SMs (mode TPCs x SMs per TPC) */
    double gpu_sms_busy;          /* average SMs with work */
    int cpus;                     /* online cores */
    double cpu_busy;              /* average busy cores */
    int dlas;
    double dla_busy[2];           /* average busy share of each DLA (powered while busy) */
    double dla_mac[2];            /* average MAC-array utilisation (its busy units) */
    int pvas;
    double pva_busy;
    double dram_Bps;              /* average DRAM traffic */
    double temp_c[THERMAL_ZONES]; /* zone temperatures (leakage) */
} power_activity_t;

typedef struct power_breakdown {
    double part_w[PWP_COUNT];
    double part_dyn_w[PWP_COUNT]; /* the share that scales with activity */
    double rail_w[POWER_MAX_RAILS];
    double zone_w[THERMAL_ZONES]; /* heat into each thermal zone */
    double total_w;
} power_breakdown_t;

/* V(f) on the curve. */
double power_voltage(const power_vf_t *vf, double hz);
/* Power of every part, rail and zone for one interval's activity. */
void power_eval(const power_spec_t *s, const power_activity_t *a, power_breakdown_t *out);
/* The operating point one step below / above `hz` (clamped to [f_min, cap]). */
double power_opp_down(double hz, double f_min, double step, double cap);
double power_opp_up(double hz, double f_min, double step, double cap);
/* Lowest operating point >= hz (clamped to [f_min, cap]). */
double power_opp_at_least(double hz, double f_min, double step, double cap);
const char *power_part_name(power_part_t p);
const char *power_clock_name(power_clock_t c);
/* Zone and rail of a part (-1: outside the die / no rail). */
int power_part_zone(const power_spec_t *s, power_part_t p);
int power_part_rail(const power_spec_t *s, power_part_t p);

#endif
