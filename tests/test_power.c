/*
 * Power: the model's formulas against hand arithmetic, the SKU sections, the run
 * instrument (energy bookkeeping, the RC curve end to end, throttling, shutdown, DVFS, the
 * power cap), the sweep's determinism, and the validation against the published rail
 * measurements (docs/validation.md, power section): MAPE <= 15%.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/power.h"
#include "soc/run/power_run.h"
#include "soc/run/replay.h"
#include "soc/sku/sku.h"
#include "soc/report/sweep.h"
#include "soc/trace/trace.h"

#define SRC ORINSIM_SOURCE_DIR

/* ---- the model ---- */

static power_spec_t unit_spec(void)
{
    /* 1 nF per unit, a flat 1 V curve: a busy unit at 1 GHz draws 1e-9 x 1 x 1e9 = 1 W. */
    power_spec_t s;
    memset(&s, 0, sizeof s);
    s.present = 1;
    s.nrails = 4;
    s.has_input_rail = 0;
    s.gpu.c_eff = 1e-9;
    s.gpu.vf = (power_vf_t){1.0, 1.0, 1e9, 1e9};
    s.cpu = s.dla = s.pva = s.gpu;
    s.gpu.rail = 0;
    s.cpu.rail = s.dla.rail = s.pva.rail = 1;
    s.gpu.zone = TZ_GPU;
    s.cpu.zone = TZ_CPU;
    s.dla.zone = s.pva.zone = TZ_CV;
    s.soc_rail = 0;
    s.soc_zone = TZ_SOC;
    s.dram_rail = 2;
    s.sys_rail = 3;
    s.emc_max_hz = 3.2e9;
    s.leak_ref_c = 25;
    return s;
}

static power_activity_t idle_activity(void)
{
    power_activity_t a;
    memset(&a, 0, sizeof a);
    for (int k = 0; k < PWC_COUNT; k++)
        a.hz[k] = 1e9;
    a.hz[PWC_EMC] = 3.2e9;
    for (int z = 0; z < THERMAL_ZONES; z++)
        a.temp_c[z] = 25;
    return a;
}

START_TEST(test_voltage_curve)
{
    /* Flat at 0.6 V up to the 700 MHz knee, then linear to 1.0 V at 1300 MHz:
     * at 1000 MHz 0.6 + 0.4 x 300/600 = 0.8 V. */
    power_vf_t vf = {0.6, 1.0, 700e6, 1300e6};
    ck_assert_double_eq_tol(power_voltage(&vf, 300e6), 0.6, 1e-12);
    ck_assert_double_eq_tol(power_voltage(&vf, 700e6), 0.6, 1e-12);
    ck_assert_double_eq_tol(power_voltage(&vf, 1000e6), 0.8, 1e-12);
    ck_assert_double_eq_tol(power_voltage(&vf, 1300e6), 1.0, 1e-12);
}
END_TEST

START_TEST(test_dynamic_power_cv2f)
{
    /* 16 SMs powered, 4 busy, idle_activity 0.25, 1 nF, 1 V, 1 GHz:
     * 1 W x (16 x 0.25 + 4 x 0.75) = 7 W, of which the activity share is 3 W.
     * Halving the voltage quarters it: 1.75 W. */
    power_spec_t s = unit_spec();
    power_activity_t a = idle_activity();
    power_breakdown_t b;
    s.gpu.idle_activity = 0.25;
    a.gpu_sms = 16;
    a.gpu_sms_busy = 4;
    power_eval(&s, &a, &b);
    ck_assert_double_eq_tol(b.part_w[PWP_GPU], 7.0, 1e-12);
    ck_assert_double_eq_tol(b.part_dyn_w[PWP_GPU], 3.0, 1e-12);
    ck_assert_double_eq_tol(b.rail_w[0], 7.0, 1e-12);
    ck_assert_double_eq_tol(b.zone_w[TZ_GPU], 7.0, 1e-12);
    s.gpu.vf.v_min = s.gpu.vf.v_max = 0.5;
    power_eval(&s, &a, &b);
    ck_assert_double_eq_tol(b.part_w[PWP_GPU], 1.75, 1e-12);
}
END_TEST

START_TEST(test_leakage_and_gating)
{
    /* 12 online idle cores, 0.1 W leakage each at 25 C and v_max: 1.2 W. At 25 + ln2/k the
     * leakage doubles: 2.4 W. An idle DLA is power-gated (0 W); busy half the time with its
     * MAC array 20% used it draws 0.5 x (0.1 W leak) + 1 W x (0.5 x 0.1 + 0.2 x 0.9). */
    power_spec_t s = unit_spec();
    power_activity_t a = idle_activity();
    power_breakdown_t b;
    s.cpu.leak_w = 0.1;
    s.cpu.c_eff = 0;
    s.leak_per_c = 0.02;
    a.cpus = 12;
    power_eval(&s, &a, &b);
    ck_assert_double_eq_tol(b.part_w[PWP_CPU], 1.2, 1e-12);
    a.temp_c[TZ_CPU] = 25 + log(2) / 0.02;
    power_eval(&s, &a, &b);
    ck_assert_double_eq_tol(b.part_w[PWP_CPU], 2.4, 1e-9);

    s.dla.leak_w = 0.1;
    s.dla.idle_activity = 0.1;
    a.dlas = 2;
    power_eval(&s, &a, &b);
    ck_assert_double_eq_tol(b.part_w[PWP_DLA0], 0, 1e-12);
    a.dla_busy[1] = 0.5;
    a.dla_mac[1] = 0.2;
    power_eval(&s, &a, &b);
    ck_assert_double_eq_tol(b.part_w[PWP_DLA1], 0.05 + 0.05 + 0.18, 1e-12);
    ck_assert_double_eq_tol(b.part_dyn_w[PWP_DLA1], 0.18, 1e-12);
}
END_TEST

START_TEST(test_memory_and_rails_add_up)
{
    /* DRAM: 2 W background at the 3.2 GHz maximum, 1.6 GHz halves it; 40 pJ/B at 100 GB/s
     * = 4 W. SoC: 1.5 W + 10 pJ/B x 100 GB/s = 2.5 W. Sys 5 W. Total 1 + 4 + 2.5 + 5. */
    power_spec_t s = unit_spec();
    power_activity_t a = idle_activity();
    power_breakdown_t b;
    double sum = 0;
    s.dram_w = 2;
    s.dram_j_per_byte = 40e-12;
    s.soc_w = 1.5;
    s.soc_j_per_byte = 10e-12;
    s.sys_w = 5;
    a.hz[PWC_EMC] = 1.6e9;
    a.dram_Bps = 100e9;
    power_eval(&s, &a, &b);
    ck_assert_double_eq_tol(b.part_w[PWP_DRAM], 5.0, 1e-9);
    ck_assert_double_eq_tol(b.part_w[PWP_SOC], 2.5, 1e-9);
    ck_assert_double_eq_tol(b.total_w, 12.5, 1e-9);
    for (int r = 0; r < s.nrails; r++)
        sum += b.rail_w[r];
    ck_assert_double_eq_tol(sum, b.total_w, 1e-9);
    ck_assert_double_eq_tol(b.zone_w[TZ_SOC], 2.5, 1e-9);   /* DRAM and sys are off the die */
}
END_TEST

START_TEST(test_operating_points)
{
    /* Points 306, 408, ..., 1224 MHz and the 1300 MHz cap. */
    double f = 306e6, s = 102e6, cap = 1300e6;
    ck_assert_double_eq_tol(power_opp_down(1300e6, f, s, cap), 1224e6, 1);
    ck_assert_double_eq_tol(power_opp_down(1224e6, f, s, cap), 1122e6, 1);
    ck_assert_double_eq_tol(power_opp_down(306e6, f, s, cap), 306e6, 1);
    ck_assert_double_eq_tol(power_opp_up(1224e6, f, s, cap), 1300e6, 1);
    ck_assert_double_eq_tol(power_opp_up(408e6, f, s, cap), 510e6, 1);
    ck_assert_double_eq_tol(power_opp_at_least(500e6, f, s, cap), 510e6, 1);
    ck_assert_double_eq_tol(power_opp_at_least(100e6, f, s, cap), 306e6, 1);
}
END_TEST

/* ---- configs ---- */

static char *write_tmp(const char *text);

/* A complete SKU file without a power model: the shipped nano4 up to its power section. */
static char *nano4_without_power(void)
{
    static char text[65536];
    FILE *f = fopen(ORINSIM_SOURCE_DIR "/configs/nano4.yaml", "r");
    size_t n;
    char *cut;
    ck_assert_ptr_nonnull(f);
    n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    cut = strstr(text, "# ---- power and thermal model");
    ck_assert_ptr_nonnull(cut);
    *cut = '\0';
    return write_tmp(text);
}

static char *write_tmp(const char *text)
{
    static char paths[8][80];
    static int next;
    char *p = paths[next++ % 8];
    FILE *f;
    int fd;
    snprintf(p, 80, "/tmp/orinsim_power_XXXXXX");
    fd = mkstemp(p);
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    {
        /* `inherits:` reads only .yaml files. */
        char named[80];
        snprintf(named, sizeof named, "%.60s.yaml", p);
        ck_assert_int_eq(rename(p, named), 0);
        snprintf(p, 80, "%s", named);
    }
    return p;
}

START_TEST(test_sku_sections)
{
    sku_t *s = calloc(1, sizeof *s);
    soc_config_t c;
    diag_t d;
    diag_clear(&d);
    ck_assert_int_eq(sku_load("agx64", s, &d), 0);
    ck_assert(s->power.present);
    /* Rails in the order of the config's `rails:` (tegrastats' order). */
    ck_assert_int_eq(s->power.nrails, 4);
    ck_assert_str_eq(s->power.rails[0], "VDD_GPU_SOC");
    ck_assert_str_eq(s->power.rails[1], "VDD_CPU_CV");
    ck_assert_str_eq(s->power.rails[2], "VIN_SYS_5V0");
    ck_assert_str_eq(s->power.rails[3], "VDDQ_VDD2_1V8AO");
    ck_assert_int_eq(s->power.dla.rail, 1);
    ck_assert_int_eq(s->power.dram_rail, 3);
    ck_assert(!s->power.has_input_rail);
    ck_assert_double_eq_tol(s->power.gpu.vf.f_max_hz, 1300e6, 1);
    ck_assert_double_eq_tol(s->power.thermal.trip_c, 99, 1e-12);
    ck_assert_double_eq_tol(s->power.thermal.shutdown_c, 104.5, 1e-12);
    ck_assert_int_eq(sku_resolve(s, "MAXN", &c, &d), 0);
    ck_assert(c.power.present);
    /* A module without a power model loads; its config says so. */
    ck_assert_int_eq(sku_load(nano4_without_power(), s, &d), 0);
    ck_assert(!s->power.present);
    /* An inheriting file overrides one field. */
    ck_assert_int_eq(sku_load(write_tmp("sku: x\ntitle: x\ninherits: agx64\n"
                                        "thermal: {gpu: {r: 0.5, c: 40}}\n"), s, &d), 0);
    ck_assert_double_eq_tol(s->power.thermal.r_kpw[TZ_GPU], 0.5, 1e-12);
    ck_assert_double_eq_tol(s->power.thermal.r_kpw[TZ_CPU], 2.0, 1e-12);
    free(s);
}
END_TEST

START_TEST(test_sku_section_errors)
{
    sku_t *s = calloc(1, sizeof *s);
    diag_t d;
    /* A power model given from scratch needs both sections. */
    diag_clear(&d);
    {
        char yaml[512];
        snprintf(yaml, sizeof yaml, "sku: x\ntitle: x\ninherits: %s\npower: {leak_ref: 25 C}\n",
                 nano4_without_power());
        ck_assert_int_ne(sku_load(write_tmp(yaml), s, &d), 0);
    }
    ck_assert_ptr_nonnull(strstr(d.msg, "both a power and a thermal section"));
    diag_clear(&d);
    ck_assert_int_ne(sku_load(write_tmp("sku: x\ntitle: x\ninherits: agx64\n"
                                        "power: {gpu: {zone: die}}\n"), s, &d), 0);
    ck_assert_ptr_nonnull(strstr(d.msg, "unknown thermal zone 'die'"));
    diag_clear(&d);
    ck_assert_int_ne(sku_load(write_tmp("sku: x\ntitle: x\ninherits: agx64\n"
                                        "thermal: {trip: 110 C}\n"), s, &d), 0);
    ck_assert_ptr_nonnull(strstr(d.msg, "shutdown must be above trip"));
    diag_clear(&d);
    ck_assert_int_ne(sku_load(write_tmp("sku: x\ntitle: x\ninherits: agx64\n"
                                        "power: {gpu: {c_eff: 1}}\n"), s, &d), 0);
    ck_assert_ptr_nonnull(strstr(d.msg, "unknown key 'c_eff'"));
    free(s);
}
END_TEST

/* ---- runs ---- */

typedef struct run {
    sku_t sku;
    soc_config_t cfg;
    trace_t trace;
    replay_result_t res;
    power_run_t *pr;
    const power_summary_t *s;
} run_t;

static run_t *run(const char *sku, const char *mode, const char *trace, const power_options_t *po,
                  int64_t frames)
{
    run_t *r = calloc(1, sizeof *r);
    replay_options_t ro;
    char path[1024];
    diag_t d;
    power_options_t o;
    diag_clear(&d);
    memset(&ro, 0, sizeof ro);
    ro.frames = frames;
    if (po)
        o = *po;
    else
        power_options_init(&o);
    o.enabled = 1;
    snprintf(path, sizeof path, "%s/%s", SRC, trace);
    if (sku_load(sku, &r->sku, &d) != 0 || sku_resolve(&r->sku, mode, &r->cfg, &d) != 0 ||
        trace_load(path, &r->trace, &d) != 0 || power_run_setup(&r->pr, &o, &r->cfg, &ro, &d) ||
        replay_run(&r->cfg, &r->trace, &ro, &r->res, &d) != 0) {
        diag_print(&d);
        ck_abort_msg("run of %s failed", trace);
    }
    r->s = power_run_summary(r->pr);
    return r;
}

static void run_free(run_t *r)
{
    power_run_free(r->pr);
    replay_result_free(&r->res);
    trace_free(&r->trace);
    free(r);
}

static double rail(const run_t *r, const char *name)
{
    const power_spec_t *s = power_run_spec(r->pr);
    for (int k = 0; k < s->nrails; k++)
        if (strcmp(s->rails[k], name) == 0)
            return r->s->rail_avg_w[k];
    ck_abort_msg("no rail %s", name);
    return 0;
}

START_TEST(test_rails_are_tegrastats_names)
{
    /* Each module's rails are the channels its power monitor has, with tegrastats' names
     * and order (docs/power.md): the AGX Orin's two INA3221 give VDD_GPU_SOC, VDD_CPU_CV,
     * VIN_SYS_5V0 and VDDQ_VDD2_1V8AO and no input rail; the Orin NX and Nano's one gives
     * VDD_IN (the module's input), VDD_CPU_GPU_CV and VDD_SOC. */
    static const char *const AGX[] = {"VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0",
                                      "VDDQ_VDD2_1V8AO", NULL};
    static const char *const SMALL[] = {"VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC", NULL};
    static const struct { const char *sku; const char *const *rails; int input; } M[] = {
        {"agx64", AGX, 0}, {"agx32", AGX, 0}, {"agx-industrial", AGX, 0},
        {"nx16", SMALL, 1}, {"nx8", SMALL, 1}, {"nano8", SMALL, 1}, {"nano4", SMALL, 1},
    };
    sku_t *s = calloc(1, sizeof *s);
    diag_t d;
    for (size_t m = 0; m < sizeof M / sizeof M[0]; m++) {
        int n = 0;
        diag_clear(&d);
        ck_assert_msg(sku_load(M[m].sku, s, &d) == 0, "%s: %s", M[m].sku, d.msg);
        ck_assert(s->power.present);
        while (M[m].rails[n])
            n++;
        ck_assert_int_eq(s->power.nrails, n);
        for (int k = 0; k < n; k++)
            ck_assert_msg(strcmp(s->power.rails[k], M[m].rails[k]) == 0, "%s rail %d: %s, "
                          "expected %s", M[m].sku, k, s->power.rails[k], M[m].rails[k]);
        ck_assert_int_eq(s->power.has_input_rail, M[m].input);
        if (M[m].input) {
            ck_assert_int_eq(s->power.input_rail, 0);
            ck_assert_int_eq(s->power.gpu.rail, 1);      /* VDD_CPU_GPU_CV */
            ck_assert_int_eq(s->power.cpu.rail, 1);
            ck_assert_int_eq(s->power.soc_rail, 2);      /* VDD_SOC */
            ck_assert_int_eq(s->power.dram_rail, 0);     /* only in VDD_IN */
            ck_assert_int_eq(s->power.sys_rail, 0);
        } else {
            ck_assert_int_eq(s->power.gpu.rail, 0);      /* VDD_GPU_SOC */
            ck_assert_int_eq(s->power.soc_rail, 0);
            ck_assert_int_eq(s->power.cpu.rail, 1);      /* VDD_CPU_CV */
            ck_assert_int_eq(s->power.sys_rail, 2);      /* VIN_SYS_5V0 */
            ck_assert_int_eq(s->power.dram_rail, 3);     /* VDDQ_VDD2_1V8AO */
        }
    }
    free(s);
}
END_TEST

START_TEST(test_input_rail_reads_the_module)
{
    /* With an input rail, it reads every part: unit_spec's parts at idle activity with
     * DRAM 2 W, SoC 1.5 W, sys 5 W on a 3-rail module (0 input, 1 engines, 2 SoC), DRAM
     * and sys on the input. Rail 1 = the four engines, rail 2 = the SoC, rail 0 = total. */
    power_spec_t s = unit_spec();
    power_activity_t a = idle_activity();
    power_breakdown_t b;
    s.nrails = 3;
    s.has_input_rail = 1;
    s.input_rail = 0;
    s.gpu.rail = s.cpu.rail = s.dla.rail = s.pva.rail = 1;
    s.soc_rail = 2;
    s.dram_rail = s.sys_rail = 0;
    s.dram_w = 2;
    s.soc_w = 1.5;
    s.sys_w = 5;
    a.gpu_sms = 1;
    a.gpu_sms_busy = 1;                /* 1 nF x 1 V^2 x 1 GHz = 1 W */
    power_eval(&s, &a, &b);
    ck_assert_double_eq_tol(b.rail_w[1], 1.0, 1e-12);
    ck_assert_double_eq_tol(b.rail_w[2], 1.5, 1e-12);
    ck_assert_double_eq_tol(b.total_w, 1.0 + 1.5 + 2.0 + 5.0, 1e-12);
    ck_assert_double_eq_tol(b.rail_w[0], b.total_w, 1e-12);
}
END_TEST

START_TEST(test_energy_bookkeeping)
{
    /* Energy = sum of rails = sum of parts = average power x covered time; the samples
     * cover the whole run; an idle module draws the idle power of its mode at its clocks
     * (power_eval with no activity at 25 C, checked against the sampled run). */
    run_t *r = run("agx64", "MAXN", "traces/power/light-load.yaml", NULL, 0);
    const power_summary_t *s = r->s;
    double rails = 0, parts = 0, span = (double)(r->res.end - r->res.first_release) * 1e-12;
    power_energy_t e;
    for (int k = 0; k < s->nrails; k++)
        rails += s->rail_energy_j[k];
    for (int p = 0; p < PWP_COUNT; p++)
        parts += s->part_energy_j[p];
    ck_assert_double_eq_tol(rails, s->energy_j, 1e-9 * s->energy_j);
    ck_assert_double_eq_tol(parts, s->energy_j, 1e-9 * s->energy_j);
    ck_assert_double_eq_tol(s->seconds, span, 1e-9);
    ck_assert_double_eq_tol(s->avg_w * s->seconds, s->energy_j, 1e-9 * s->energy_j);
    ck_assert(s->peak_w >= s->avg_w);
    power_run_energy(r->pr, &r->trace, &r->res, &e);
    /* 200 frames at a 10 ms period: 100 frames/s, energy per hour = J/frame x 360000. */
    ck_assert_double_eq_tol(e.frame_rate, 100, 1e-9);
    ck_assert_double_eq_tol(e.per_hour_j, e.per_frame_j * 360000, 1e-6);
    ck_assert_double_eq_tol(e.frames_per_j * e.per_frame_j, 1, 1e-12);
    /* Time series: one point per 10 ms sample, the module series equals the rails' sum. */
    ck_assert_uint_ge(power_series_len(r->pr), 199);
    {
        int nr = power_run_spec(r->pr)->nrails;
        size_t i = power_series_len(r->pr) / 2;
        double sum = 0;
        for (int k = 0; k < nr; k++)
            sum += power_series_values(r->pr, k)[i];
        ck_assert_str_eq(power_series_name(r->pr, nr), "module");
        ck_assert_double_eq_tol(power_series_values(r->pr, nr)[i], sum, 1e-9);
        ck_assert_str_eq(power_series_unit(r->pr, nr + 4), "C");
        ck_assert_str_eq(power_series_name(r->pr, nr + 4 + THERMAL_ZONES), "clock.gpu");
        ck_assert_double_eq_tol(power_series_times(r->pr)[0], 0.01, 1e-12);
    }
    run_free(r);

    r = run("agx64", "MAXN", "traces/power/idle.yaml", NULL, 0);
    /* Idle at the mode's caps: the GPU, CPU and EMC stay at their caps (pinned). */
    {
        power_activity_t a;
        power_breakdown_t b;
        memset(&a, 0, sizeof a);
        a.hz[PWC_GPU] = r->cfg.gpu.clock_hz;
        a.hz[PWC_CPU] = r->cfg.cpu_hz;
        a.hz[PWC_EMC] = r->cfg.dram.emc_hz;
        a.gpu_sms = r->cfg.gpu.sms;
        a.cpus = r->cfg.cpus;
        for (int z = 0; z < THERMAL_ZONES; z++)
            a.temp_c[z] = 25;
        power_eval(&r->cfg.power, &a, &b);
        ck_assert_double_eq_tol(r->s->avg_w, b.total_w, 0.01 * b.total_w);  /* self-heating */
        ck_assert(power_idle_w(&r->cfg.power, &r->cfg, 25) < b.total_w);
    }
    run_free(r);
}
END_TEST

START_TEST(test_rc_curve_end_to_end)
{
    /* With temperature-independent leakage, full GPU load is constant power, so the GPU
     * zone must follow T_amb + P R (1 - exp(-t / RC)) sample by sample. R = 1 K/W and
     * C = 10 J/K (tau 10 s), trips out of reach; 40 s of the 30-minute trace. */
    sku_t *sku = calloc(1, sizeof *sku);
    soc_config_t cfg;
    trace_t t;
    replay_result_t res;
    replay_options_t ro;
    power_options_t o;
    power_run_t *pr;
    diag_t d;
    char path[1024];
    const double *temp, *times;
    double p_gpu;
    size_t n;
    diag_clear(&d);
    ck_assert_int_eq(sku_load(write_tmp("sku: x\ntitle: x\ninherits: agx64\n"
                                        "power: {leak_per_c: 0}\n"
                                        "thermal: {gpu: {r: 1, c: 10}, trip: 250 C, "
                                        "shutdown: 260 C}\n"), sku, &d), 0);
    ck_assert_int_eq(sku_resolve(sku, "MAXN", &cfg, &d), 0);
    snprintf(path, sizeof path, "%s/traces/power/gpu-heat-30min.yaml", SRC);
    ck_assert_int_eq(trace_load(path, &t, &d), 0);
    power_options_init(&o);
    o.enabled = 1;
    o.ambient_c = 50;
    memset(&ro, 0, sizeof ro);
    ro.frames = 400;
    ck_assert_int_eq(power_run_setup(&pr, &o, &cfg, &ro, &d), 0);
    ck_assert_int_eq(replay_run(&cfg, &t, &ro, &res, &d), 0);
    /* The GPU zone's power: the gpu part's average (constant but for the launch gaps). */
    p_gpu = power_run_summary(pr)->part_energy_j[PWP_GPU] / power_run_summary(pr)->seconds;
    ck_assert(p_gpu > 20);
    temp = power_series_values(pr, power_run_spec(pr)->nrails + 4 + TZ_GPU);
    times = power_series_times(pr);
    n = power_series_len(pr);
    ck_assert_uint_ge(n, 3900);
    for (size_t i = 0; i < n; i += 97) {
        double want = 50 + p_gpu * 1.0 * (1 - exp(-times[i] / 10.0));
        ck_assert_double_le(fabs(temp[i] - want), 0.05);
    }
    power_run_free(pr);
    replay_result_free(&res);
    trace_free(&t);
    free(sku);
}
END_TEST

START_TEST(test_thirty_minutes_at_50c)
{
    /* agx64 MAXN, full GPU load, 50 C ambient: ~35 W into R = 1.5 K/W would settle above
     * 100 C, so the GPU zone reaches the 99 C trip after about one time constant and the
     * governor holds it there by stepping the clock down (never to shutdown). At 25 C
     * ambient the same load settles near 80 C and never throttles. */
    power_options_t o;
    run_t *r;
    power_options_init(&o);
    o.ambient_c = 50;
    r = run("agx64", "MAXN", "traces/power/gpu-heat-30min.yaml", &o, 0);
    ck_assert(r->s->seconds >= 1800);
    ck_assert(!r->s->thermal_shutdown);
    ck_assert_double_ge(r->s->peak_c[TZ_GPU], 99);
    ck_assert_double_lt(r->s->peak_c[TZ_GPU], 101);
    ck_assert_double_gt(r->s->throttled_s, 1500);
    ck_assert_double_lt(r->s->min_hz[PWC_GPU], 1300e6);
    ck_assert_double_lt(r->s->avg_hz[PWC_GPU], 1300e6);
    ck_assert_int_eq(r->res.stopped[0], '\0');
    run_free(r);

    o.ambient_c = 25;
    r = run("agx64", "MAXN", "traces/power/gpu-heat-30min.yaml", &o, 3000);
    ck_assert_double_lt(r->s->peak_c[TZ_GPU], 95);
    ck_assert_double_eq(r->s->throttled_s, 0);
    run_free(r);
}
END_TEST

START_TEST(test_thermal_shutdown_stops_the_run)
{
    /* A heat sink ten times worse (R 15 K/W, C 1 J/K: tau 15 s) heats faster than one
     * operating point per second can cool: the run ends at 104.5 C. */
    sku_t *sku = calloc(1, sizeof *sku);
    soc_config_t cfg;
    trace_t t;
    replay_result_t res;
    replay_options_t ro;
    power_options_t o;
    power_run_t *pr;
    diag_t d;
    char path[1024];
    diag_clear(&d);
    ck_assert_int_eq(sku_load(write_tmp("sku: x\ntitle: x\ninherits: agx64\n"
                                        "thermal: {gpu: {r: 15, c: 1}}\n"), sku, &d), 0);
    ck_assert_int_eq(sku_resolve(sku, "MAXN", &cfg, &d), 0);
    snprintf(path, sizeof path, "%s/traces/power/gpu-heat-30min.yaml", SRC);
    ck_assert_int_eq(trace_load(path, &t, &d), 0);
    power_options_init(&o);
    o.enabled = 1;
    memset(&ro, 0, sizeof ro);
    ck_assert_int_eq(power_run_setup(&pr, &o, &cfg, &ro, &d), 0);
    ck_assert_int_eq(replay_run(&cfg, &t, &ro, &res, &d), 0);
    ck_assert(power_run_summary(pr)->thermal_shutdown);
    ck_assert_ptr_nonnull(strstr(res.stopped, "thermal shutdown"));
    ck_assert_int_lt(res.frames_done, res.frames);
    ck_assert_double_ge(power_run_summary(pr)->peak_c[TZ_GPU], 104.5);
    ck_assert_int_eq(power_run_exit_code(pr, EXIT_OK), EXIT_THERMAL);
    power_run_free(pr);
    replay_result_free(&res);
    trace_free(&t);
    free(sku);
}
END_TEST

START_TEST(test_dvfs_saves_energy_at_light_load)
{
    /* Light load under DVFS: the idle GPU, CPU and EMC drop to lower operating points, so
     * the average clocks fall and the energy falls; the work still keeps its period. */
    power_options_t o;
    run_t *pin, *dv;
    power_options_init(&o);
    pin = run("agx64", "MAXN", "traces/power/light-load.yaml", &o, 0);
    o.clocks = POWER_CLOCKS_DVFS;
    dv = run("agx64", "MAXN", "traces/power/light-load.yaml", &o, 0);
    ck_assert_double_lt(dv->s->avg_hz[PWC_CPU], 0.8 * 2201.6e6);
    ck_assert_double_lt(dv->s->avg_hz[PWC_EMC], 3199e6);
    ck_assert_double_lt(dv->s->energy_j, 0.9 * pin->s->energy_j);
    ck_assert_int_eq(dv->res.frames_done, 200);
    run_free(pin);
    run_free(dv);
}
END_TEST

START_TEST(test_power_cap_holds)
{
    /* GPU stress on agx64 MAXN draws ~45 W; a 30 W cap steps the GPU down until the
     * module stays under it (within one operating point: 5%) after settling. */
    power_options_t o;
    run_t *r;
    diag_t d;
    power_run_t *pr;
    soc_config_t cfg;
    sku_t *sku = calloc(1, sizeof *sku);
    power_options_init(&o);
    o.power_cap_w = 30;
    r = run("agx64", "MAXN", "traces/power/gpu-stress.yaml", &o, 60);
    {
        int nr = power_run_spec(r->pr)->nrails;
        const double *mod = power_series_values(r->pr, nr);
        size_t n = power_series_len(r->pr);
        double late = 0;
        for (size_t i = n / 2; i < n; i++)
            late += mod[i];
        late /= (double)(n - n / 2);
        ck_assert_double_le(late, 30 * 1.05);
    }
    ck_assert_double_gt(r->s->capped_s, 0);
    ck_assert_double_lt(r->s->avg_hz[PWC_GPU], 1300e6);
    run_free(r);
    /* A cap below the idle power of the mode is refused. */
    diag_clear(&d);
    ck_assert_int_eq(sku_load("agx64", sku, &d), 0);
    ck_assert_int_eq(sku_resolve(sku, "MAXN", &cfg, &d), 0);
    o.power_cap_w = 2;
    ck_assert_int_ne(power_run_new(&pr, &cfg, &o, &d), 0);
    ck_assert_ptr_nonnull(strstr(d.msg, "below the idle power"));
    diag_clear(&d);
    o.power_cap_w = 0;
    o.ambient_c = -300;
    ck_assert_int_ne(power_run_new(&pr, &cfg, &o, &d), 0);
    ck_assert_ptr_nonnull(strstr(d.msg, "absolute zero"));
    free(sku);
}
END_TEST

START_TEST(test_sweep_deterministic)
{
    /* The same rows, bit for bit, on 1 and 2 threads; MAXN is faster than 15W (lower p99). */
    sku_t *skus = calloc(1, sizeof *skus);
    sweep_row_t *a, *b;
    soc_config_t *ca, *cb;
    int na, nb;
    trace_t t;
    sweep_options_t o;
    diag_t d;
    char path[1024];
    diag_clear(&d);
    ck_assert_int_eq(sku_load("agx64", &skus[0], &d), 0);
    snprintf(path, sizeof path, "%s/traces/power/resnet50-int8.yaml", SRC);
    ck_assert_int_eq(trace_load(path, &t, &d), 0);
    memset(&o, 0, sizeof o);
    power_options_init(&o.power);
    o.frames = 40;
    ck_assert_int_eq(sweep_plan(skus, 1, "all", &a, &ca, &na, &d), 0);
    ck_assert_int_eq(sweep_plan(skus, 1, "all", &b, &cb, &nb, &d), 0);
    ck_assert_int_eq(na, 4);
    o.threads = 1;
    sweep_run(ca, a, na, &t, &o);
    o.threads = 2;
    sweep_run(cb, b, nb, &t, &o);
    ck_assert_int_eq(memcmp(a, b, (size_t)na * sizeof *a), 0);
    ck_assert_str_eq(a[0].mode, "MAXN");
    ck_assert_str_eq(a[1].mode, "15W");
    ck_assert_double_lt(a[0].p99_ms, a[1].p99_ms);
    for (int i = 0, best = 0; i < na; i++) {
        ck_assert(a[i].ok && a[i].meets);
        best += a[i].best;
        if (i == na - 1)
            ck_assert_int_eq(best, 1);
    }
    free(b);
    free(cb);
    ck_assert_int_ne(sweep_plan(skus, 1, "MAXN,99W", &b, &cb, &nb, &d), 0);
    ck_assert_ptr_nonnull(strstr(d.msg, "unknown mode '99W'"));
    ck_assert_ptr_null(b);
    free(a);
    free(ca);
    trace_free(&t);
    free(skus);
}
END_TEST

/* ---- validation against published measurements (docs/validation.md) ---- */

typedef struct vcase {
    const char *what;
    double predicted, published;
} vcase_t;

static double perf_per_w_ratio(const char *net, const char *mode)
{
    /* DLA images per joule over GPU images per joule, each engine's power being its rail's
     * rise over the idle module (VDD_CPU_CV for the DLAs, VDD_GPU_SOC for the GPU). */
    char g[128], dl[128];
    run_t *idle, *gpu, *dla;
    double ratio;
    snprintf(g, sizeof g, "traces/power/%s-gpu-bs32.yaml", net);
    snprintf(dl, sizeof dl, "traces/power/%s-dla-bs2.yaml", net);
    idle = run("agx64", mode, "traces/power/idle.yaml", NULL, 0);
    gpu = run("agx64", mode, g, NULL, 0);
    dla = run("agx64", mode, dl, NULL, 0);
    {
        double fps_g = (double)(gpu->res.frames_done - 1) /
                       ((double)(gpu->res.end - gpu->res.first_done) * 1e-12) * 32;
        double fps_d = (double)(dla->res.frames_done - 1) /
                       ((double)(dla->res.end - dla->res.first_done) * 1e-12) * 4;
        double pg = rail(gpu, "VDD_GPU_SOC") - rail(idle, "VDD_GPU_SOC");
        double pd = rail(dla, "VDD_CPU_CV") - rail(idle, "VDD_CPU_CV");
        ratio = (fps_d / pd) / (fps_g / pg);
    }
    run_free(idle);
    run_free(gpu);
    run_free(dla);
    return ratio;
}

START_TEST(test_validation_mape)
{
    static const char *modes32[] = {"MAXN", "40W", "30W", "15W"};
    static const double gpu_w[] = {40.4, 18.4, 7.6, 5.2}, cpu_w[] = {15.2, 6.0, 5.6, 1.6};
    vcase_t v[32];
    int n = 0;
    double sum = 0;
    power_options_t o;
    run_t *r;

    for (int m = 0; m < 4; m++) {
        r = run("agx32", modes32[m], "traces/power/gpu-stress.yaml", NULL, 0);
        v[n++] = (vcase_t){"agx32 GPU stress VDD_GPU_SOC", rail(r, "VDD_GPU_SOC"), gpu_w[m]};
        run_free(r);
        r = run("agx32", modes32[m], "traces/power/cpu-stress.yaml", NULL, 0);
        v[n++] = (vcase_t){"agx32 CPU stress VDD_CPU_CV", rail(r, "VDD_CPU_CV"), cpu_w[m]};
        run_free(r);
    }
    r = run("agx64", "MAXN", "traces/power/light-load.yaml", NULL, 0);
    v[n++] = (vcase_t){"light load VDD_GPU_SOC", rail(r, "VDD_GPU_SOC"), 5.1};
    v[n++] = (vcase_t){"light load VDD_CPU_CV", rail(r, "VDD_CPU_CV"), 3.3};
    v[n++] = (vcase_t){"light load VIN_SYS_5V0", rail(r, "VIN_SYS_5V0"), 5.5};
    run_free(r);
    power_options_init(&o);
    o.clocks = POWER_CLOCKS_DVFS;
    r = run("agx64", "MAXN", "traces/power/cpu-stress.yaml", &o, 0);
    v[n++] = (vcase_t){"CPU-saturated VDD_GPU_SOC", rail(r, "VDD_GPU_SOC"), 3.15};
    v[n++] = (vcase_t){"CPU-saturated VDD_CPU_CV", rail(r, "VDD_CPU_CV"), 14.3};
    v[n++] = (vcase_t){"CPU-saturated VIN_SYS_5V0", rail(r, "VIN_SYS_5V0"), 4.97};
    v[n++] = (vcase_t){"CPU-saturated VDDQ_VDD2_1V8AO", rail(r, "VDDQ_VDD2_1V8AO"), 1.09};
    run_free(r);
    v[n++] = (vcase_t){"DLA/GPU perf/W ResNet-50 MAXN", perf_per_w_ratio("resnet50", "MAXN"), 3.5};
    v[n++] = (vcase_t){"DLA/GPU perf/W ResNet-50 15W", perf_per_w_ratio("resnet50", "15W"), 3.9};
    v[n++] = (vcase_t){"DLA/GPU perf/W SSD-MobileNetV1 MAXN",
                       perf_per_w_ratio("ssd-mobilenetv1", "MAXN"), 4.2};
    v[n++] = (vcase_t){"DLA/GPU perf/W SSD-MobileNetV1 15W",
                       perf_per_w_ratio("ssd-mobilenetv1", "15W"), 5.0};
    printf("%-40s %10s %10s %8s\n", "case", "predicted", "published", "error");
    for (int i = 0; i < n; i++) {
        double e = (v[i].predicted - v[i].published) / v[i].published;
        sum += fabs(e);
        printf("%-40s %10.3f %10.3f %+7.1f%%\n", v[i].what, v[i].predicted, v[i].published,
               100 * e);
    }
    printf("MAPE over %d points: %.1f%%\n", n, 100 * sum / n);
    ck_assert_int_eq(n, 19);
    ck_assert_double_le(sum / n, 0.15);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("power");
    TCase *m = tcase_create("model"), *r = tcase_create("runs");
    SRunner *sr;
    int failed;
    tcase_add_test(m, test_voltage_curve);
    tcase_add_test(m, test_dynamic_power_cv2f);
    tcase_add_test(m, test_leakage_and_gating);
    tcase_add_test(m, test_memory_and_rails_add_up);
    tcase_add_test(m, test_input_rail_reads_the_module);
    tcase_add_test(m, test_operating_points);
    tcase_add_test(m, test_sku_sections);
    tcase_add_test(m, test_rails_are_tegrastats_names);
    tcase_add_test(m, test_sku_section_errors);
    tcase_add_test(r, test_energy_bookkeeping);
    tcase_add_test(r, test_rc_curve_end_to_end);
    tcase_add_test(r, test_thirty_minutes_at_50c);
    tcase_add_test(r, test_thermal_shutdown_stops_the_run);
    tcase_add_test(r, test_dvfs_saves_energy_at_light_load);
    tcase_add_test(r, test_power_cap_holds);
    tcase_add_test(r, test_sweep_deterministic);
    tcase_add_test(r, test_validation_mape);
    tcase_set_timeout(r, 600);
    suite_add_tcase(s, m);
    suite_add_tcase(s, r);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
