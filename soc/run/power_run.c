/*
 * power_run: sampling the assembled SoC for power, energy and temperature, and the clock
 * governors. See power_run.h for what it does; docs/power.md for the model.
 *
 * The sampler is one periodic event. Each sample reads the engines' cumulative activity
 * integrals (SMs active, busy cores, DLA and PVA busy time, DRAM bytes), so the interval's
 * averages are exact whatever happened inside it; power is then constant over the interval
 * and both the energy sum and the RC step are exact for it. Clocks change only at sample
 * instants. The run stops by itself at its last frame with the next sample still pending;
 * finish() accounts for the partial interval up to the end.
 */
#include "soc/run/power_run.h"
#include "soc/run/timeline.h"
#include "soc/sku/cooling.h"

#include <assert.h>
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/cpu.h"
#include "models/dla.h"
#include "models/dram.h"
#include "models/gpu.h"
#include "models/pva.h"
#include "soc/io/units.h"

enum { N_UTIL = 3,   /* utilisation series: gpu, cpu, emc */
       MAX_SERIES = POWER_MAX_RAILS + 1 + N_UTIL + THERMAL_ZONES + PWC_COUNT,
       PCAP_STACK = 512 };
/* The time series keep at most this many points: when full, every two neighbours merge
 * into one (power averaged, temperatures and clocks the later point's) and from then on
 * one point stands for twice as many samples. A run of any length stays within
 * MAX_POINTS x (series + 1) x 8 bytes (about 40 MiB with 17 series). */
#define MAX_POINTS ((size_t)1 << 18)

/* Cumulative activity integrals (in unit x picoseconds, or bytes). */
typedef struct integrals {
    double gpu_sms, gpu_busy, cpu, dla[2], dla_mac[2], pva, dram_bytes;
} integrals_t;

struct power_run {
    const soc_config_t *cfg;
    power_spec_t spec;
    power_options_t opt;
    replay_hook_t hook;
    soc_handles_t h;
    int attached;
    thermal_t th;

    sim_time_t sample_ps, dvfs_ps, poll_ps;
    sim_time_t last_t, win_t0, next_dvfs, next_poll;
    integrals_t last, win;
    double win_part_j[PWP_COUNT], win_total_j;

    double cap_hz[PWC_COUNT], fmin_hz[PWC_COUNT], step_hz[PWC_COUNT];
    double hz[PWC_COUNT], gov_hz[PWC_COUNT];
    int present[PWC_COUNT];
    int therm_state[THERMAL_ZONES];
    int pcap_state[PWC_COUNT];
    int pcap_stack[PCAP_STACK], pcap_n;
    double hz_time[PWC_COUNT];            /* integral of hz dt, for averages */

    power_summary_t sum;

    /* time series */
    size_t n, cap;
    double *times;
    double *series[MAX_SERIES];
    int nseries;
    char names[MAX_SERIES][POWER_RAIL_LEN + 8];
    const char *units[MAX_SERIES];
    size_t stride, pending;               /* samples per point; samples in the open point */
    double acc[MAX_SERIES], acc_dt;       /* power x time of the open point */
    int oom;
};

/* Which zone throttles which clock. */
static const int CLOCK_ZONE[PWC_COUNT] = {TZ_GPU, TZ_CPU, TZ_CV, TZ_CV, TZ_SOC};

void power_options_init(power_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->clocks = POWER_CLOCKS_PINNED;
    o->ambient_c = POWER_DEFAULT_AMBIENT_C;
    o->sample_s = POWER_DEFAULT_SAMPLE_S;
}

static int opt_error(const char *fmt, const char *arg)
{
    diag_usage(NULL, fmt, arg);
    return -1;
}

int power_cli_option(power_options_t *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *v;
    char why[256];
    if (strcmp(a, "--power") == 0) {
        o->enabled = 1;
        return 1;
    }
    if (strcmp(a, "--clocks") != 0 && strcmp(a, "--power-cap") != 0 &&
        strcmp(a, "--ambient") != 0 && strcmp(a, "--power-sample") != 0 &&
        strcmp(a, "--cooling") != 0)
        return 0;
    if (*i + 1 >= argc)
        return opt_error("%s needs a value (see `orinsim --help`)", a);
    v = argv[++*i];
    o->enabled = 1;
    if (strcmp(a, "--clocks") == 0) {
        if (strcmp(v, "pinned") == 0)
            o->clocks = POWER_CLOCKS_PINNED;
        else if (strcmp(v, "dvfs") == 0)
            o->clocks = POWER_CLOCKS_DVFS;
        else
            return opt_error("--clocks expects 'pinned' or 'dvfs', got '%s'", v);
    } else if (strcmp(a, "--cooling") == 0) {
        if (strlen(v) >= sizeof o->cooling)
            return opt_error("--cooling: preset name too long: '%s'", v);
        snprintf(o->cooling, sizeof o->cooling, "%s", v);
    } else if (strcmp(a, "--power-cap") == 0) {
        double w;
        /* a bare number means watts */
        if (units_power_w(v, &w, why, sizeof why) != 0 && units_number(v, &w) != 0)
            return opt_error("--power-cap expects a power such as '25W', got '%s'", v);
        if (!(w > 0))
            return opt_error("--power-cap must be above 0 W, got '%s'", v);
        o->power_cap_w = w;
    } else if (strcmp(a, "--ambient") == 0) {
        double c;
        if (units_temp_c(v, &c, why, sizeof why) != 0 && units_number(v, &c) != 0)
            return opt_error("--ambient expects a temperature such as '45C', got '%s'", v);
        if (c < POWER_ABSOLUTE_ZERO_C)
            return opt_error("--ambient %s is below absolute zero (-273.15 C)", v);
        if (c > 200)
            return opt_error("--ambient %s is above 200 C: no Jetson module runs there", v);
        o->ambient_c = c;
    } else {
        uint64_t ps;
        if (units_duration_ps(v, &ps, why, sizeof why) != 0 || ps < SIM_US || ps > SIM_S)
            return opt_error("--power-sample expects a duration from 1us to 1s, got '%s'", v);
        o->sample_s = (double)ps * 1e-12;
    }
    return 1;
}

void power_cli_usage(FILE *out)
{
    fprintf(out,
            "\npower options of run (exit code 4: the run ended in thermal shutdown):\n"
            "  --power           report power, energy and temperature (implied by the next four)\n"
            "  --clocks pinned|dvfs  pinned: every engine at its mode cap (default, like\n"
            "                    jetson_clocks); dvfs: load-based governor per engine and EMC\n"
            "  --power-cap W     what-if closed-loop power cap (the stock BSP enforces none)\n"
            "  --ambient T       ambient temperature, e.g. 45C (default 25C)\n"
            "  --power-sample D  sampler period of simulated time (default 10ms)\n"
            "  --cooling NAME    devkit-fan (the module's own), passive-heatsink or\n"
            "                    sealed-housing (configs/cooling/presets.yaml)\n"
            "\n"
            "       orinsim sweep --sku A,B --mode all|M1,M2 [--deadline T] [--csv] TRACE.yaml\n"
            "                     (orinsim sweep --help)\n");
}

/* ---- clocks ---- */

static void clock_table(power_run_t *pr)
{
    const soc_config_t *c = pr->cfg;
    const power_spec_t *s = &pr->spec;
    const power_engine_t *e[PWC_COUNT] = {&s->gpu, &s->cpu, &s->dla, &s->pva, NULL};
    const double cap[PWC_COUNT] = {c->gpu.clock_hz, c->cpu_hz, c->dlas ? c->dla.clock_hz : 0,
                                   c->pvas ? c->pva.vps_hz : 0, c->dram.emc_hz};
    for (int k = 0; k < PWC_COUNT; k++) {
        pr->cap_hz[k] = cap[k];
        pr->present[k] = cap[k] > 0;
        pr->fmin_hz[k] = e[k] ? e[k]->f_min_hz : s->emc_f_min_hz;
        pr->step_hz[k] = e[k] ? e[k]->opp_step_hz : s->emc_opp_step_hz;
        if (pr->fmin_hz[k] > cap[k])
            pr->fmin_hz[k] = cap[k];
        pr->hz[k] = pr->gov_hz[k] = cap[k];
    }
}

static double steps_down(const power_run_t *pr, int k, double hz, int steps)
{
    for (int i = 0; i < steps; i++)
        hz = power_opp_down(hz, pr->fmin_hz[k], pr->step_hz[k], pr->cap_hz[k]);
    return hz;
}

static void apply_clocks(power_run_t *pr)
{
    for (int k = 0; k < PWC_COUNT; k++) {
        double hz;
        if (!pr->present[k])
            continue;
        hz = pr->gov_hz[k];
        double t = steps_down(pr, k, pr->cap_hz[k], pr->therm_state[CLOCK_ZONE[k]]);
        double p = steps_down(pr, k, pr->cap_hz[k], pr->pcap_state[k]);
        if (t < hz)
            hz = t;
        if (p < hz)
            hz = p;
        if (hz == pr->hz[k])
            continue;
        pr->hz[k] = hz;
        switch (k) {
        case PWC_GPU:
            gpu_set_clock(pr->h.gpu, hz);
            break;
        case PWC_CPU:
            cpu_set_clock(pr->h.cpu, hz);
            break;
        case PWC_DLA:
            for (int d = 0; d < pr->h.ndla; d++)
                dla_set_clock(pr->h.dla[d], hz);
            break;
        case PWC_PVA:
            if (pr->h.pva)
                pva_set_clock(pr->h.pva, hz);
            break;
        case PWC_EMC:
            dram_set_emc_hz(pr->h.dram, hz);
            break;
        }
    }
}

/* ---- sampling ---- */

static void read_integrals(power_run_t *pr, sim_time_t now, integrals_t *v)
{
    const gpu_stats_t *gs;
    double t = (double)now;
    memset(v, 0, sizeof *v);
    gpu_stats_flush(pr->h.gpu);
    gs = gpu_stats(pr->h.gpu);
    v->gpu_sms = gs->sms_active.area;
    v->gpu_busy = gs->busy.area;
    v->cpu = cpu_busy_cores(pr->h.cpu, 0) * t;
    for (int k = 0; k < pr->h.ndla && k < 2; k++) {
        v->dla[k] = dla_busy_frac(pr->h.dla[k], 0) * t;
        v->dla_mac[k] = dla_mac_frac(pr->h.dla[k], 0) * t;
    }
    if (pr->h.pva)
        v->pva = pva_busy_frac(pr->h.pva, 0) * t;
    v->dram_bytes = dram_bytes_moved(pr->h.dram);
}

static double clamp01(double x, double hi)
{
    return x < 0 ? 0 : x > hi ? hi : x;
}

static int grow_series(power_run_t *pr)
{
    size_t cap = pr->cap ? pr->cap * 2 : 1024;
    double *t = realloc(pr->times, cap * sizeof *t);
    if (t == NULL)
        return -1;
    pr->times = t;
    for (int k = 0; k < pr->nseries; k++) {
        double *v = realloc(pr->series[k], cap * sizeof *v);
        if (v == NULL)
            return -1;
        pr->series[k] = v;
    }
    pr->cap = cap;
    return 0;
}

/* Halve the series: neighbours merge (see MAX_POINTS). */
static void decimate(power_run_t *pr)
{
    int watts = pr->spec.nrails + 1 + N_UTIL;
    for (size_t i = 0; i < pr->n / 2; i++) {
        pr->times[i] = pr->times[2 * i + 1];
        for (int k = 0; k < pr->nseries; k++) {
            double *v = pr->series[k];
            v[i] = k < watts ? (v[2 * i] + v[2 * i + 1]) / 2 : v[2 * i + 1];
        }
    }
    pr->n /= 2;
    pr->stride *= 2;
}

static void record(power_run_t *pr, sim_time_t now, const power_breakdown_t *b,
                   const power_activity_t *a, double dt)
{
    double val[MAX_SERIES];
    int k = 0, watts = pr->spec.nrails + 1 + N_UTIL;
    double emc_peak;
    if (pr->oom || pr->opt.no_series)
        return;
    emc_peak = dram_peak_Bps(&pr->h.dram->spec);
    for (int r = 0; r < pr->spec.nrails; r++)
        val[k++] = b->rail_w[r];
    val[k++] = b->total_w;
    val[k++] = a->gpu_sms > 0 ? 100.0 * a->gpu_sms_busy / a->gpu_sms : 0;
    val[k++] = a->cpus > 0 ? 100.0 * a->cpu_busy / a->cpus : 0;
    val[k++] = emc_peak > 0 ? 100.0 * a->dram_Bps / emc_peak : 0;
    for (int z = 0; z < THERMAL_ZONES; z++)
        val[k++] = pr->th.t_c[z];
    for (int c = 0; c < PWC_COUNT; c++)
        val[k++] = pr->hz[c] / 1e6;
    if (pr->stride > 1) {              /* a point averages `stride` samples' power */
        for (k = 0; k < watts; k++)
            pr->acc[k] += val[k] * dt;
        pr->acc_dt += dt;
        if (++pr->pending < pr->stride)
            return;
        for (k = 0; k < watts; k++)
            val[k] = pr->acc_dt > 0 ? pr->acc[k] / pr->acc_dt : 0;
        memset(pr->acc, 0, sizeof pr->acc);
        pr->acc_dt = 0;
        pr->pending = 0;
    }
    if (pr->n == MAX_POINTS)
        decimate(pr);
    if (pr->n == pr->cap && grow_series(pr) != 0) {
        pr->oom = 1;
        return;
    }
    pr->times[pr->n] = (double)now * 1e-12;
    for (k = 0; k < pr->nseries; k++)
        pr->series[k][pr->n] = val[k];
    pr->n++;
}

static void sample(power_run_t *pr, sim_time_t now)
{
    integrals_t v;
    power_activity_t a;
    power_breakdown_t b;
    power_summary_t *s = &pr->sum;
    double dps = (double)(now - pr->last_t), dt = dps * 1e-12;
    int throttled = 0, capped = 0;

    if (now <= pr->last_t)
        return;
    read_integrals(pr, now, &v);
    memset(&a, 0, sizeof a);
    for (int k = 0; k < PWC_COUNT; k++)
        a.hz[k] = pr->hz[k];
    a.gpu_sms = pr->cfg->gpu.sms;
    a.gpu_sms_busy = clamp01((v.gpu_sms - pr->last.gpu_sms) / dps, a.gpu_sms);
    a.cpus = pr->cfg->cpus;
    a.cpu_busy = clamp01((v.cpu - pr->last.cpu) / dps, a.cpus);
    a.dlas = pr->h.ndla;
    for (int k = 0; k < a.dlas && k < 2; k++) {
        a.dla_busy[k] = clamp01((v.dla[k] - pr->last.dla[k]) / dps, 1);
        a.dla_mac[k] = clamp01((v.dla_mac[k] - pr->last.dla_mac[k]) / dps, 1);
    }
    a.pvas = pr->h.pva ? 1 : 0;
    a.pva_busy = clamp01((v.pva - pr->last.pva) / dps, 1);
    a.dram_Bps = (v.dram_bytes - pr->last.dram_bytes) / dt;
    for (int z = 0; z < THERMAL_ZONES; z++)
        a.temp_c[z] = pr->th.t_c[z];
    power_eval(&pr->spec, &a, &b);

    for (int p = 0; p < PWP_COUNT; p++) {
        s->part_energy_j[p] += b.part_w[p] * dt;
        s->part_dyn_energy_j[p] += b.part_dyn_w[p] * dt;
    }
    for (int r = 0; r < pr->spec.nrails; r++) {
        s->rail_energy_j[r] += b.rail_w[r] * dt;
        if (b.rail_w[r] > s->rail_peak_w[r])
            s->rail_peak_w[r] = b.rail_w[r];
    }
    s->energy_j += b.total_w * dt;
    if (b.total_w > s->peak_w)
        s->peak_w = b.total_w;
    s->seconds += dt;
    for (int z = 0; z < THERMAL_ZONES; z++)
        throttled |= pr->therm_state[z] > 0;
    for (int k = 0; k < PWC_COUNT; k++) {
        capped |= pr->pcap_state[k] > 0;
        pr->hz_time[k] += pr->hz[k] * dt;
        if (pr->present[k] && (s->min_hz[k] == 0 || pr->hz[k] < s->min_hz[k]))
            s->min_hz[k] = pr->hz[k];
    }
    if (throttled) {
        if (s->first_throttle_s < 0)
            s->first_throttle_s = (double)pr->last_t * 1e-12;
        s->throttled_s += dt;
    }
    if (capped)
        s->capped_s += dt;
    thermal_step(&pr->th, b.zone_w, dt);
    s->peak_air_c = pr->th.peak_air_c;
    pr->last = v;
    pr->last_t = now;
    record(pr, now, &b, &a, dt);
}

/* simple_ondemand (Linux devfreq): the clock that would keep the busy share just under
 * the threshold, on an operating point. */
static void dvfs(power_run_t *pr, sim_time_t now, const integrals_t *v)
{
    double dps = (double)(now - pr->win_t0), up = pr->spec.dvfs_up_threshold;
    double down = pr->spec.dvfs_down_differential, load[PWC_COUNT] = {0};
    if (dps <= 0)
        return;
    load[PWC_GPU] = (v->gpu_busy - pr->win.gpu_busy) / dps;
    load[PWC_CPU] = pr->cfg->cpus ? (v->cpu - pr->win.cpu) / dps / pr->cfg->cpus : 0;
    for (int k = 0; k < pr->h.ndla && k < 2; k++) {
        double l = (v->dla[k] - pr->win.dla[k]) / dps;
        if (l > load[PWC_DLA])
            load[PWC_DLA] = l;
    }
    load[PWC_PVA] = (v->pva - pr->win.pva) / dps;
    load[PWC_EMC] = (v->dram_bytes - pr->win.dram_bytes) / (dps * 1e-12) /
                    dram_achievable_Bps(&pr->h.dram->spec);
    for (int k = 0; k < PWC_COUNT; k++) {
        if (!pr->present[k])
            continue;
        if (load[k] >= up)
            pr->gov_hz[k] = pr->cap_hz[k];
        else if (load[k] < up - down)
            pr->gov_hz[k] = power_opp_at_least(pr->hz[k] * load[k] / (up - down / 2),
                                               pr->fmin_hz[k], pr->step_hz[k], pr->cap_hz[k]);
    }
}

/* The clock whose parts drew the most power over the window, among those that can still
 * step down. */
static int hungriest(const power_run_t *pr, const double part_w[PWP_COUNT])
{
    double w[PWC_COUNT] = {part_w[PWP_GPU], part_w[PWP_CPU], part_w[PWP_DLA0] + part_w[PWP_DLA1],
                           part_w[PWP_PVA], part_w[PWP_DRAM]};
    int best = -1;
    for (int k = 0; k < PWC_COUNT; k++) {
        if (!pr->present[k] || pr->hz[k] <= pr->fmin_hz[k])
            continue;
        if (best < 0 || w[k] > w[best])
            best = k;
    }
    return best;
}

static void power_cap(power_run_t *pr, sim_time_t now)
{
    double dt = (double)(now - pr->win_t0) * 1e-12, part_w[PWP_COUNT], avg;
    if (dt <= 0)
        return;
    avg = (pr->sum.energy_j - pr->win_total_j) / dt;
    for (int p = 0; p < PWP_COUNT; p++)
        part_w[p] = (pr->sum.part_energy_j[p] - pr->win_part_j[p]) / dt;
    if (avg > pr->opt.power_cap_w) {
        int k = hungriest(pr, part_w);
        if (k >= 0 && pr->pcap_n < PCAP_STACK) {
            pr->pcap_state[k]++;
            pr->pcap_stack[pr->pcap_n++] = k;
        }
    } else if (avg < 0.95 * pr->opt.power_cap_w && pr->pcap_n > 0) {
        pr->pcap_state[pr->pcap_stack[--pr->pcap_n]]--;
    }
}

static void thermal_governor(power_run_t *pr)
{
    const thermal_spec_t *ts = &pr->spec.thermal;
    for (int z = 0; z < THERMAL_ZONES; z++) {
        int can_step = 0;
        for (int k = 0; k < PWC_COUNT; k++)
            if (CLOCK_ZONE[k] == z && pr->present[k] &&
                steps_down(pr, k, pr->cap_hz[k], pr->therm_state[z]) > pr->fmin_hz[k])
                can_step = 1;
        if (pr->th.t_c[z] >= ts->trip_c && can_step)
            pr->therm_state[z]++;
        else if (pr->th.t_c[z] < ts->trip_c - ts->hysteresis_c && pr->therm_state[z] > 0)
            pr->therm_state[z]--;
    }
}

static void on_sample(sim_t *s, void *component, uint64_t payload)
{
    power_run_t *pr = component;
    sim_time_t now = sim_now(s);
    double hot_c;
    int hot;
    (void)payload;
    sample(pr, now);
    hot = thermal_hottest(&pr->th, &hot_c);
    if (hot_c >= pr->spec.thermal.shutdown_c) {
        char why[160];
        pr->sum.thermal_shutdown = 1;
        snprintf(why, sizeof why, "thermal shutdown: the %s zone reached %.1f C (critical trip "
                 "%.1f C) at %.3f s", thermal_zone_name(hot), hot_c, pr->spec.thermal.shutdown_c,
                 (double)now * 1e-12);
        replay_request_stop(pr->h.replay, why);
        return;
    }
    if (now >= pr->next_poll) {
        thermal_governor(pr);
        pr->next_poll += pr->poll_ps;
    }
    if (now >= pr->next_dvfs) {
        integrals_t v = pr->last;   /* read by sample() at this instant */
        if (pr->opt.clocks == POWER_CLOCKS_DVFS)
            dvfs(pr, now, &v);
        if (pr->opt.power_cap_w > 0)
            power_cap(pr, now);
        pr->win = v;
        pr->win_t0 = now;
        pr->win_total_j = pr->sum.energy_j;
        memcpy(pr->win_part_j, pr->sum.part_energy_j, sizeof pr->win_part_j);
        pr->next_dvfs += pr->dvfs_ps;
    }
    apply_clocks(pr);
    sim_schedule(s, pr->sample_ps, on_sample, pr, 0);
}

static int attach(void *ctx, const soc_handles_t *soc)
{
    power_run_t *pr = ctx;
    sim_time_t now = sim_now(soc->sim);
    pr->h = *soc;
    pr->attached = 1;
    clock_table(pr);
    thermal_init(&pr->th, &pr->spec.thermal, pr->opt.ambient_c);
    pr->sum.first_throttle_s = -1;
    pr->stride = 1;
    pr->last_t = pr->win_t0 = now;
    read_integrals(pr, now, &pr->last);
    pr->win = pr->last;
    pr->next_dvfs = now + pr->dvfs_ps;
    pr->next_poll = now + pr->poll_ps;
    if (!pr->opt.no_series && grow_series(pr) != 0)
        return -1;
    sim_label(soc->sim, on_sample, "the power and thermal sampler (soc/run/power_run.c)");
    return sim_schedule(soc->sim, pr->sample_ps, on_sample, pr, 0) ? 0 : -1;
}

/* The series as timeline counters: each point's value holds from the end of the point
 * before it (0 for the first), so a rail's counter steps to the interval's average at its
 * start. Clocks of engines the module lacks are left out. */
static void to_timeline(const power_run_t *pr, timeline_t *tl)
{
    int first_clock = pr->nseries - PWC_COUNT;
    for (int k = 0; k < pr->nseries; k++) {
        int c;
        if (k >= first_clock && !pr->present[k - first_clock])
            continue;
        c = timeline_counter(tl, pr->names[k], pr->units[k]);
        for (size_t i = 0; i < pr->n; i++)
            timeline_sample(tl, c, i ? (sim_time_t)llround(pr->times[i - 1] * 1e12) : 0,
                            pr->series[k][i]);
    }
}

static void finish(void *ctx, const soc_handles_t *soc, sim_time_t end)
{
    power_run_t *pr = ctx;
    power_summary_t *s = &pr->sum;
    if (end > pr->last_t && sim_now(soc->sim) >= end)
        sample(pr, end);
    s->nrails = pr->spec.nrails;
    s->avg_w = s->seconds > 0 ? s->energy_j / s->seconds : 0;
    for (int r = 0; r < s->nrails; r++)
        s->rail_avg_w[r] = s->seconds > 0 ? s->rail_energy_j[r] / s->seconds : 0;
    for (int z = 0; z < THERMAL_ZONES; z++) {
        s->peak_c[z] = pr->th.peak_c[z];
        s->final_c[z] = pr->th.t_c[z];
    }
    for (int k = 0; k < PWC_COUNT; k++)
        s->avg_hz[k] = s->seconds > 0 ? pr->hz_time[k] / s->seconds : pr->hz[k];
    if (soc->timeline)
        to_timeline(pr, soc->timeline);
}

/* ---- construction ---- */

int power_run_setup(power_run_t **out, const power_options_t *o, const soc_config_t *cfg,
                    replay_options_t *ro, diag_t *d)
{
    *out = NULL;
    if (!o->enabled)
        return 0;
    if (ro->nhooks >= REPLAY_MAX_HOOKS)
        return diag_error(d, NULL, 0, 0, "too many instruments on one run");
    if (power_run_new(out, cfg, o, d) != 0)
        return DIAG_ERR;
    ro->hooks[ro->nhooks++] = power_run_hook(*out);
    return 0;
}

int power_run_exit_code(const power_run_t *pr, int rc)
{
    return pr && rc == EXIT_OK && pr->sum.thermal_shutdown ? EXIT_THERMAL : rc;
}

double power_idle_w(const power_spec_t *s, const soc_config_t *cfg, double temp_c)
{
    power_activity_t a;
    power_breakdown_t b;
    memset(&a, 0, sizeof a);
    a.hz[PWC_GPU] = s->gpu.f_min_hz < cfg->gpu.clock_hz ? s->gpu.f_min_hz : cfg->gpu.clock_hz;
    a.hz[PWC_CPU] = s->cpu.f_min_hz < cfg->cpu_hz ? s->cpu.f_min_hz : cfg->cpu_hz;
    a.hz[PWC_DLA] = s->dla.f_min_hz;
    a.hz[PWC_PVA] = s->pva.f_min_hz;
    a.hz[PWC_EMC] = s->emc_f_min_hz < cfg->dram.emc_hz ? s->emc_f_min_hz : cfg->dram.emc_hz;
    a.gpu_sms = cfg->gpu.sms;
    a.cpus = cfg->cpus;
    a.dlas = cfg->dlas;
    a.pvas = cfg->pvas;
    for (int z = 0; z < THERMAL_ZONES; z++)
        a.temp_c[z] = temp_c;
    power_eval(s, &a, &b);
    return b.total_w;
}

int power_run_new(power_run_t **out, const soc_config_t *cfg, const power_options_t *o,
                  diag_t *d)
{
    power_run_t *pr;
    *out = NULL;
    if (!cfg->power.present)
        return diag_error(d, cfg->sku->path, 0, 0, "%s has no power model (add power: and "
                          "thermal: sections, see docs/power.md)", cfg->sku->name);
    if (o->ambient_c < POWER_ABSOLUTE_ZERO_C)
        return diag_error(d, NULL, 0, 0, "ambient %.2f C is below absolute zero (-273.15 C)",
                          o->ambient_c);
    if (o->power_cap_w > 0) {
        double idle = power_idle_w(&cfg->power, cfg, o->ambient_c);
        if (o->power_cap_w < idle)
            return diag_error(d, NULL, 0, 0, "--power-cap %.2f W is below the idle power of "
                              "%s in mode %s (%.2f W with every clock at its lowest operating "
                              "point, at %.1f C): no governor can meet it", o->power_cap_w,
                              cfg->sku->name, cfg->mode->name, idle, o->ambient_c);
    }
    pr = calloc(1, sizeof *pr);
    if (pr == NULL)
        return diag_error(d, NULL, 0, 0, "out of memory");
    pr->cfg = cfg;
    pr->spec = cfg->power;
    pr->opt = *o;
    if (o->cooling[0]) {
        cooling_t c;
        if (cooling_load(o->cooling, &c, d) != 0) {
            free(pr);
            return DIAG_ERR;
        }
        cooling_apply(&c, &pr->spec.thermal);
    }
    pr->sample_ps = (sim_time_t)llround(o->sample_s * 1e12);
    pr->dvfs_ps = (sim_time_t)llround(pr->spec.dvfs_period_s * 1e12);
    pr->poll_ps = (sim_time_t)llround(pr->spec.thermal.poll_s * 1e12);
    if (pr->sample_ps == 0)
        pr->sample_ps = SIM_MS;
    if (pr->dvfs_ps < pr->sample_ps)
        pr->dvfs_ps = pr->sample_ps;
    if (pr->poll_ps < pr->sample_ps)
        pr->poll_ps = pr->sample_ps;
    pr->hook.ctx = pr;
    pr->hook.attach = attach;
    pr->hook.finish = finish;
    for (int r = 0; r < pr->spec.nrails; r++) {
        snprintf(pr->names[pr->nseries], sizeof pr->names[0], "%s", pr->spec.rails[r]);
        pr->units[pr->nseries++] = "W";
    }
    snprintf(pr->names[pr->nseries], sizeof pr->names[0], "module");
    pr->units[pr->nseries++] = "W";
    for (int u = 0; u < N_UTIL; u++) {
        static const char *const UTIL[N_UTIL] = {"util.gpu", "util.cpu", "util.emc"};
        snprintf(pr->names[pr->nseries], sizeof pr->names[0], "%s", UTIL[u]);
        pr->units[pr->nseries++] = "%";
    }
    for (int z = 0; z < THERMAL_ZONES; z++) {
        snprintf(pr->names[pr->nseries], sizeof pr->names[0], "temp.%s", thermal_zone_name(z));
        pr->units[pr->nseries++] = "C";
    }
    for (int c = 0; c < PWC_COUNT; c++) {
        snprintf(pr->names[pr->nseries], sizeof pr->names[0], "clock.%s",
                 power_clock_name((power_clock_t)c));
        pr->units[pr->nseries++] = "MHz";
    }
    assert(pr->nseries <= MAX_SERIES);
    *out = pr;
    return 0;
}

void power_run_free(power_run_t *pr)
{
    if (pr == NULL)
        return;
    free(pr->times);
    for (int k = 0; k < pr->nseries; k++)
        free(pr->series[k]);
    free(pr);
}

const replay_hook_t *power_run_hook(power_run_t *pr)
{
    return &pr->hook;
}

const power_summary_t *power_run_summary(const power_run_t *pr)
{
    return &pr->sum;
}

const power_spec_t *power_run_spec(const power_run_t *pr)
{
    return &pr->spec;
}

const power_options_t *power_run_options(const power_run_t *pr)
{
    return &pr->opt;
}

size_t power_series_len(const power_run_t *pr)
{
    return pr->n;
}

const double *power_series_times(const power_run_t *pr)
{
    return pr->times;
}

int power_series_count(const power_run_t *pr)
{
    return pr->nseries;
}

const char *power_series_name(const power_run_t *pr, int k)
{
    return k >= 0 && k < pr->nseries ? pr->names[k] : NULL;
}

const char *power_series_unit(const power_run_t *pr, int k)
{
    return k >= 0 && k < pr->nseries ? pr->units[k] : NULL;
}

const double *power_series_values(const power_run_t *pr, int k)
{
    return k >= 0 && k < pr->nseries ? pr->series[k] : NULL;
}

/* ---- derived figures ---- */

static double run_fps(const replay_result_t *r)
{
    if (r->frames_done >= 2 && r->end > r->first_done)
        return (double)(r->frames_done - 1) / ((double)(r->end - r->first_done) * 1e-12);
    return r->end > r->first_release
               ? (double)r->frames_done / ((double)(r->end - r->first_release) * 1e-12)
               : 0;
}

void power_run_energy(const power_run_t *pr, const trace_t *t, const replay_result_t *r,
                      power_energy_t *out)
{
    const power_summary_t *s = &pr->sum;
    memset(out, 0, sizeof *out);
    if (r->frames_done > 0)
        out->per_frame_j = s->energy_j / (double)r->frames_done;
    if (s->energy_j > 0)
        out->frames_per_j = (double)r->frames_done / s->energy_j;
    out->frame_rate = t->period_ps > 0 ? 1e12 / (double)t->period_ps : run_fps(r);
    out->per_hour_j = out->per_frame_j * out->frame_rate * 3600.0;
}

static power_part_t part_of_engine(trace_engine_t e)
{
    switch (e) {
    case ENG_CPU: return PWP_CPU;
    case ENG_DLA0: return PWP_DLA0;
    case ENG_DLA1: return PWP_DLA1;
    case ENG_PVA: return PWP_PVA;
    default: return PWP_GPU;
    }
}

double power_task_energy_j(const power_run_t *pr, const replay_result_t *r, int i)
{
    /* A task on `dla` (either DLA) shares both DLAs' activity energy. */
    trace_engine_t e = r->tasks[i].engine;
    double mine = 0, all = 0, pool;
    for (int j = 0; j < r->ntasks; j++) {
        trace_engine_t ej = r->tasks[j].engine;
        int same = ej == e || ((e == ENG_DLA || e == ENG_DLA0 || e == ENG_DLA1) &&
                               (ej == ENG_DLA || ej == ENG_DLA0 || ej == ENG_DLA1));
        double busy = r->tasks[j].latency.sum;
        if (!same)
            continue;
        all += busy;
        if (j == i)
            mine = busy;
    }
    if (e == ENG_DLA || e == ENG_DLA0 || e == ENG_DLA1)
        pool = pr->sum.part_dyn_energy_j[PWP_DLA0] + pr->sum.part_dyn_energy_j[PWP_DLA1];
    else
        pool = pr->sum.part_dyn_energy_j[part_of_engine(e)];
    return all > 0 ? pool * mine / all : 0;
}

/* ---- reports ---- */

static const char *clocks_name(power_clocks_t c)
{
    return c == POWER_CLOCKS_DVFS ? "dvfs" : "pinned";
}

void power_report_text(FILE *out, const power_run_t *pr, const trace_t *t,
                       const replay_result_t *r)
{
    const power_summary_t *s = &pr->sum;
    const power_spec_t *sp = &pr->spec;
    power_energy_t e;
    double fr = r->frames_done > 0 ? (double)r->frames_done : 1;

    power_run_energy(pr, t, r, &e);
    fprintf(out, "\npower     clocks %s, ambient %.1f C", clocks_name(pr->opt.clocks),
            pr->opt.ambient_c);
    if (pr->opt.power_cap_w > 0)
        fprintf(out, ", power cap %.2f W (what-if: the stock BSP enforces none)",
                pr->opt.power_cap_w);
    if (pr->opt.ambient_c < POWER_RATED_MIN_C || pr->opt.ambient_c > POWER_RATED_MAX_C)
        fprintf(out, " (outside the -40..85 C rating of the Industrial module)");
    fprintf(out, "\n  %-18s %9s %9s %11s\n", "rail", "avg W", "peak W", "energy J");
    for (int k = 0; k < s->nrails; k++)
        fprintf(out, "  %-18s %9.3f %9.3f %11.3f\n", sp->rails[k], s->rail_avg_w[k],
                s->rail_peak_w[k], s->rail_energy_j[k]);
    fprintf(out, "  %-18s %9.3f %9.3f %11.3f\n", "module", s->avg_w, s->peak_w, s->energy_j);
    fprintf(out, "  %-18s %9s %11s %11s\n", "part", "avg W", "J/frame", "active J/fr");
    for (int p = 0; p < PWP_COUNT; p++) {
        if (s->part_energy_j[p] == 0)
            continue;
        fprintf(out, "  %-18s %9.3f %11.5f %11.5f\n", power_part_name((power_part_t)p),
                s->seconds > 0 ? s->part_energy_j[p] / s->seconds : 0, s->part_energy_j[p] / fr,
                s->part_dyn_energy_j[p] / fr);
    }
    fprintf(out, "\nenergy    %.5f J per frame, %.3f frames/J, %.1f kJ (%.2f Wh) per hour at "
                 "%.2f frames/s\n",
            e.per_frame_j, e.frames_per_j, e.per_hour_j / 1e3, e.per_hour_j / 3600.0,
            e.frame_rate);
    for (int i = 0; i < r->ntasks; i++)
        fprintf(out, "  task %-19s %.5f J per frame (its engine's activity)\n", r->tasks[i].id,
                power_task_energy_j(pr, r, i) / fr);
    fprintf(out, "\nthermal   peak");
    for (int z = 0; z < THERMAL_ZONES; z++)
        fprintf(out, " %s %.1f C%s", thermal_zone_name(z), s->peak_c[z],
                z + 1 < THERMAL_ZONES ? "," : "");
    fprintf(out, "; throttled %.3f s of %.3f s (trip %.1f C)", s->throttled_s, s->seconds,
            sp->thermal.trip_c);
    if (s->first_throttle_s >= 0)
        fprintf(out, ", first at %.3f s", s->first_throttle_s);
    if (pr->opt.cooling[0])
        fprintf(out, "; cooling %s", pr->opt.cooling);
    if (sp->thermal.enclosure_r_kpw > 0)
        fprintf(out, ", air inside up to %.1f C", s->peak_air_c);
    if (s->thermal_shutdown)
        fprintf(out, "; THERMAL SHUTDOWN at %.1f C", sp->thermal.shutdown_c);
    fputc('\n', out);
    if (pr->opt.clocks == POWER_CLOCKS_DVFS || s->throttled_s > 0 || s->capped_s > 0) {
        fprintf(out, "clocks    average");
        for (int k = 0; k < PWC_COUNT; k++)
            if (pr->present[k])
                fprintf(out, " %s %.0f MHz (min %.0f)", power_clock_name((power_clock_t)k),
                        s->avg_hz[k] / 1e6, s->min_hz[k] / 1e6);
        if (pr->opt.power_cap_w > 0)
            fprintf(out, "; capped %.3f s", s->capped_s);
        fputc('\n', out);
    }
}

static json_object *jnum(double v)
{
    char buf[64];
    if (!isfinite(v))
        return NULL;
    snprintf(buf, sizeof buf, "%.9g", v);
    return json_object_new_double_s(v, buf);
}

void power_report_json(json_object *root, const power_run_t *pr, const trace_t *t,
                       const replay_result_t *r)
{
    const power_summary_t *s = &pr->sum;
    const power_spec_t *sp = &pr->spec;
    json_object *p = json_object_new_object(), *rails = json_object_new_object();
    json_object *parts = json_object_new_object(), *th = json_object_new_object();
    json_object *peak = json_object_new_object(), *clk = json_object_new_object();
    json_object *en = json_object_new_object(), *tasks = json_object_new_object();
    power_energy_t e;
    double fr = r->frames_done > 0 ? (double)r->frames_done : 1;

    power_run_energy(pr, t, r, &e);
    json_object_object_add(p, "clocks", json_object_new_string(clocks_name(pr->opt.clocks)));
    json_object_object_add(p, "ambient_c", jnum(pr->opt.ambient_c));
    if (pr->opt.power_cap_w > 0) {
        json_object_object_add(p, "power_cap_w", jnum(pr->opt.power_cap_w));
        json_object_object_add(p, "capped_s", jnum(s->capped_s));
    }
    json_object_object_add(p, "seconds", jnum(s->seconds));
    json_object_object_add(p, "avg_w", jnum(s->avg_w));
    json_object_object_add(p, "peak_w", jnum(s->peak_w));
    for (int k = 0; k < s->nrails; k++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "avg_w", jnum(s->rail_avg_w[k]));
        json_object_object_add(o, "peak_w", jnum(s->rail_peak_w[k]));
        json_object_object_add(o, "energy_j", jnum(s->rail_energy_j[k]));
        json_object_object_add(rails, sp->rails[k], o);
    }
    json_object_object_add(p, "rails", rails);
    for (int q = 0; q < PWP_COUNT; q++) {
        json_object *o;
        if (s->part_energy_j[q] == 0)
            continue;
        o = json_object_new_object();
        json_object_object_add(o, "avg_w", jnum(s->seconds > 0 ? s->part_energy_j[q] / s->seconds : 0));
        json_object_object_add(o, "energy_j", jnum(s->part_energy_j[q]));
        json_object_object_add(o, "active_energy_j", jnum(s->part_dyn_energy_j[q]));
        json_object_object_add(parts, power_part_name((power_part_t)q), o);
    }
    json_object_object_add(p, "parts", parts);
    for (int z = 0; z < THERMAL_ZONES; z++)
        json_object_object_add(peak, thermal_zone_name(z), jnum(s->peak_c[z]));
    json_object_object_add(th, "peak_c", peak);
    json_object_object_add(th, "throttled_s", jnum(s->throttled_s));
    /* never throttled: the whole run, so that a budget `>=` reads "not before" */
    json_object_object_add(th, "first_throttle_s",
                           jnum(s->first_throttle_s >= 0 ? s->first_throttle_s : s->seconds));
    if (pr->opt.cooling[0]) {
        json_object_object_add(th, "cooling", json_object_new_string(pr->opt.cooling));
        if (pr->spec.thermal.enclosure_r_kpw > 0)
            json_object_object_add(th, "enclosure_peak_c", jnum(s->peak_air_c));
    }
    json_object_object_add(th, "shutdown", json_object_new_boolean(s->thermal_shutdown));
    json_object_object_add(p, "thermal", th);
    for (int k = 0; k < PWC_COUNT; k++) {
        json_object *o;
        if (!pr->present[k])
            continue;
        o = json_object_new_object();
        json_object_object_add(o, "avg_mhz", jnum(s->avg_hz[k] / 1e6));
        json_object_object_add(o, "min_mhz", jnum(s->min_hz[k] / 1e6));
        json_object_object_add(clk, power_clock_name((power_clock_t)k), o);
    }
    json_object_object_add(p, "clock", clk);
    json_object_object_add(root, "power", p);

    json_object_object_add(en, "total_j", jnum(s->energy_j));
    json_object_object_add(en, "per_frame_j", jnum(e.per_frame_j));
    json_object_object_add(en, "frames_per_j", jnum(e.frames_per_j));
    json_object_object_add(en, "frame_rate", jnum(e.frame_rate));
    json_object_object_add(en, "per_hour_j", jnum(e.per_hour_j));
    json_object_object_add(en, "per_hour_wh", jnum(e.per_hour_j / 3600.0));
    for (int i = 0; i < r->ntasks; i++)
        json_object_object_add(tasks, r->tasks[i].id, jnum(power_task_energy_j(pr, r, i) / fr));
    json_object_object_add(en, "task_j_per_frame", tasks);
    json_object_object_add(root, "energy", en);
}
