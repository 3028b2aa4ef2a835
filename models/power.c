/*
 * power: the module's power from what its engines did.
 *
 * Each clocked engine (GPU SMs, CPU cores, each DLA, the PVA) draws
 *
 *     static  = units_powered x leak_w x (V / v_max) x exp(leak_per_c x (T_zone - leak_ref_c))
 *     dynamic = c_eff x V(f)^2 x f x (units_powered x idle_activity
 *                                     + units_busy x (1 - idle_activity))
 *
 * the classic C V^2 f switching power, with a clocked-but-idle floor (clock trees, the
 * schedulers' polling) and leakage that grows exponentially with temperature and linearly
 * with voltage. The GPU's units are its powered SMs (TPC power gating removes the rest, as
 * nvpmodel's TPC_PG_MASK does) and its busy units are the SMs with a CTA resident, the
 * quantity tegrastats reports as GR3D load. The CPU's units are the online cores. A DLA or
 * the PVA is power-gated while idle (the kernel's runtime power management), so its units
 * are powered only for its busy share; a DLA's busy units are its MAC-array utilisation.
 *
 * The SoC (memory controller, fabric, always-on logic) draws a constant plus an energy per
 * DRAM byte; the DRAM devices draw a background that scales with the EMC clock plus an
 * energy per byte; the 5 V system rail is constant. Each part sits on the rail that
 * tegrastats reports for it on AGX Orin (VDD_GPU_SOC: GPU + SoC; VDD_CPU_CV: CPU + DLA +
 * PVA; VDDQ_VDD2_1V8AO: DRAM; VIN_SYS_5V0), as configured per SKU.
 *
 * What it ignores: instruction mix (a memory-bound kernel that keeps SMs resident draws as
 * much SM power as a tensor-core GEMM; its DRAM traffic is charged separately), per-cluster
 * CPU clocks (one clock for all cores), video and display engines, and the carrier board.
 * Every coefficient comes from configs/ (fitted as docs/calibration.md records).
 */
#include "models/power.h"

#include <assert.h>
#include <math.h>

static const char *const PART_NAMES[PWP_COUNT] = {"gpu", "cpu", "dla0", "dla1", "pva",
                                                  "soc", "dram", "sys"};
static const char *const CLOCK_NAMES[PWC_COUNT] = {"gpu", "cpu", "dla", "pva", "emc"};

double power_voltage(const power_vf_t *vf, double hz)
{
    if (hz <= vf->f_knee_hz || vf->f_max_hz <= vf->f_knee_hz)
        return vf->v_min;
    return vf->v_min + (vf->v_max - vf->v_min) * (hz - vf->f_knee_hz) /
                           (vf->f_max_hz - vf->f_knee_hz);
}

/* Static and dynamic power of `powered` units of engine `e`, `busy` of them busy. */
static void engine_power(const power_spec_t *s, const power_engine_t *e, double hz,
                         double powered, double busy, double temp_c, double *stat,
                         double *dyn_idle, double *dyn_busy)
{
    double v = power_voltage(&e->vf, hz);
    double cv2f = e->c_eff * v * v * hz;
    assert(busy <= powered + 1e-9);
    *stat = powered * e->leak_w * (v / e->vf.v_max) * exp(s->leak_per_c * (temp_c - s->leak_ref_c));
    *dyn_idle = cv2f * powered * e->idle_activity;
    *dyn_busy = cv2f * busy * (1.0 - e->idle_activity);
}

static void put(power_breakdown_t *out, power_part_t p, double stat, double dyn_idle,
                double dyn_busy)
{
    out->part_w[p] += stat + dyn_idle + dyn_busy;
    out->part_dyn_w[p] += dyn_busy;
}

void power_eval(const power_spec_t *s, const power_activity_t *a, power_breakdown_t *out)
{
    double st, di, db;
    double emc_frac = s->emc_max_hz > 0 ? a->hz[PWC_EMC] / s->emc_max_hz : 1.0;

    assert(s->present);
    for (int p = 0; p < PWP_COUNT; p++)
        out->part_w[p] = out->part_dyn_w[p] = 0;
    for (int r = 0; r < POWER_MAX_RAILS; r++)
        out->rail_w[r] = 0;
    for (int z = 0; z < THERMAL_ZONES; z++)
        out->zone_w[z] = 0;

    engine_power(s, &s->gpu, a->hz[PWC_GPU], a->gpu_sms, a->gpu_sms_busy,
                 a->temp_c[s->gpu.zone], &st, &di, &db);
    put(out, PWP_GPU, st, di, db);
    engine_power(s, &s->cpu, a->hz[PWC_CPU], a->cpus, a->cpu_busy, a->temp_c[s->cpu.zone],
                 &st, &di, &db);
    put(out, PWP_CPU, st, di, db);
    for (int k = 0; k < a->dlas && k < 2; k++) {
        /* power-gated while idle: powered only for its busy share, switching with its MACs */
        double mac = a->dla_mac[k] < a->dla_busy[k] ? a->dla_mac[k] : a->dla_busy[k];
        engine_power(s, &s->dla, a->hz[PWC_DLA], a->dla_busy[k], mac,
                     a->temp_c[s->dla.zone], &st, &di, &db);
        put(out, k == 0 ? PWP_DLA0 : PWP_DLA1, st, di, db);
    }
    if (a->pvas > 0) {
        engine_power(s, &s->pva, a->hz[PWC_PVA], a->pva_busy, a->pva_busy,
                     a->temp_c[s->pva.zone], &st, &di, &db);
        put(out, PWP_PVA, st, di, db);
    }
    put(out, PWP_SOC, s->soc_w, 0, s->soc_j_per_byte * a->dram_Bps);
    put(out, PWP_DRAM, s->dram_w * emc_frac, 0, s->dram_j_per_byte * a->dram_Bps);
    put(out, PWP_SYS, s->sys_w, 0, 0);

    out->total_w = 0;
    for (int p = 0; p < PWP_COUNT; p++) {
        int r = power_part_rail(s, (power_part_t)p), z = power_part_zone(s, (power_part_t)p);
        if (r >= 0 && !(s->has_input_rail && r == s->input_rail))
            out->rail_w[r] += out->part_w[p];
        if (z >= 0)
            out->zone_w[z] += out->part_w[p];
        out->total_w += out->part_w[p];
    }
    if (s->has_input_rail)        /* the module's input: every part */
        out->rail_w[s->input_rail] = out->total_w;
}

int power_part_zone(const power_spec_t *s, power_part_t p)
{
    switch (p) {
    case PWP_GPU: return s->gpu.zone;
    case PWP_CPU: return s->cpu.zone;
    case PWP_DLA0:
    case PWP_DLA1: return s->dla.zone;
    case PWP_PVA: return s->pva.zone;
    case PWP_SOC: return s->soc_zone;
    default: return -1;   /* DRAM devices and the system rail are off the die */
    }
}

int power_part_rail(const power_spec_t *s, power_part_t p)
{
    switch (p) {
    case PWP_GPU: return s->gpu.rail;
    case PWP_CPU: return s->cpu.rail;
    case PWP_DLA0:
    case PWP_DLA1: return s->dla.rail;
    case PWP_PVA: return s->pva.rail;
    case PWP_SOC: return s->soc_rail;
    case PWP_DRAM: return s->dram_rail;
    case PWP_SYS: return s->sys_rail;
    default: return -1;
    }
}

static double clamp(double hz, double lo, double hi)
{
    return hz < lo ? lo : hz > hi ? hi : hz;
}

/* Operating points: f_min, f_min + step, f_min + 2 step, ..., and the cap itself. */
double power_opp_down(double hz, double f_min, double step, double cap)
{
    double k;
    if (hz <= f_min * (1 + 1e-9))
        return f_min;
    k = ceil((hz - f_min) / step - 1e-9) - 1;   /* the point strictly below hz */
    return clamp(f_min + (k < 0 ? 0 : k) * step, f_min, cap);
}

double power_opp_up(double hz, double f_min, double step, double cap)
{
    double k = floor((hz - f_min) / step + 1e-9) + 1;
    return clamp(f_min + k * step, f_min, cap);
}

double power_opp_at_least(double hz, double f_min, double step, double cap)
{
    double k;
    if (hz <= f_min)
        return clamp(f_min, f_min, cap);
    k = ceil((hz - f_min) / step - 1e-9);
    return clamp(f_min + k * step, f_min, cap);
}

const char *power_part_name(power_part_t p)
{
    return p >= 0 && p < PWP_COUNT ? PART_NAMES[p] : "?";
}

const char *power_clock_name(power_clock_t c)
{
    return c >= 0 && c < PWC_COUNT ? CLOCK_NAMES[c] : "?";
}
