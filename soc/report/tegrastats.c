/*
 * tegrastats: the power sampler's series (soc/run/power_run.h) as tegrastats lines.
 *
 * The line follows tegrastats on JetPack 5 and 6 (L4T R35/R36), field by field:
 *
 *   MM-DD-YYYY HH:MM:SS RAM used/totalMB SWAP 0/0MB (cached 0MB)
 *   CPU [u%@f,u%@f,...] EMC_FREQ u%@f GR3D_FREQ u%@[f,f] <zone>@T.TTTC ... <rail> PmW/AmW ...
 *
 * where each rail gives its power over the point and its running average, as tegrastats'
 * "current/average". What the model has not (per-core load, the largest free block, swap,
 * VIC and APE clocks) is left out or zero: every core shows the cluster's average load,
 * SWAP reads 0. Names per family (power-memory.md 1.3, orin-facts.md):
 *   AGX Orin:     zones CPU GPU CV0 CV1 CV2 SOC0 SOC1 SOC2 tj; its rails as configured
 *                 (VDD_GPU_SOC VDD_CPU_CV VIN_SYS_5V0 VDDQ_VDD2_1V8AO), no VDD_IN
 *   Orin NX/Nano: zones cpu gpu cv0 cv1 cv2 soc0 soc1 soc2 tj (the Nano has no cv zone
 *                 and leaves out cv0..2); VDD_IN (the module), then its measured rails
 *                 (those of the config whose name does not end in _REST)
 * One model zone stands for the numbered sensors of its kind (cv0..2 read the cv zone,
 * soc0..2 the soc zone); tj is the hottest zone. Clocks in MHz; the GPU's two GPCs read
 * the one GPU clock. Times start at 01-01-2026 00:00:00 plus the simulated time of the
 * point, to the second.
 */
#include "soc/report/tegrastats.h"

#include <math.h>
#include <string.h>

#include "models/thermal.h"

/* Series layout (power_run.h): rails, module, util.gpu, util.cpu, util.emc, zones, clocks
 * (gpu, cpu, dla, pva, emc). */
enum { UTIL_GPU = 0, UTIL_CPU, UTIL_EMC };

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static void stamp(FILE *out, double t_s)
{
    long long s = (long long)floor(t_s);
    long long days = s / 86400, rem = s % 86400;
    /* January 2026 has 31 days; a run of more than a month keeps counting the day. */
    fprintf(out, "01-%02lld-2026 %02lld:%02lld:%02lld", 1 + days, rem / 3600, rem / 60 % 60,
            rem % 60);
}

int tegrastats_write(FILE *out, const soc_config_t *cfg, const power_run_t *pr,
                     const footprint_t *fp)
{
    const power_spec_t *sp = power_run_spec(pr);
    size_t n = power_series_len(pr);
    const double *t = power_series_times(pr);
    int nr = sp->nrails, agx = strstr(cfg->sku->title, "AGX") != NULL;
    const double *module = power_series_values(pr, nr);
    const double *util = module + 0, *temp[THERMAL_ZONES], *clk_gpu, *clk_cpu, *clk_emc;
    double sum_rail[POWER_MAX_RAILS + 1] = {0};
    int zone0 = nr + 4, clk0 = zone0 + THERMAL_ZONES;
    (void)util;
    for (int z = 0; z < THERMAL_ZONES; z++)
        temp[z] = power_series_values(pr, zone0 + z);
    clk_gpu = power_series_values(pr, clk0 + PWC_GPU);
    clk_cpu = power_series_values(pr, clk0 + PWC_CPU);
    clk_emc = power_series_values(pr, clk0 + PWC_EMC);
    for (size_t i = 0; i < n; i++) {
        double u_gpu = power_series_values(pr, nr + 1 + UTIL_GPU)[i];
        double u_cpu = power_series_values(pr, nr + 1 + UTIL_CPU)[i];
        double u_emc = power_series_values(pr, nr + 1 + UTIL_EMC)[i];
        double hot = temp[0][i];
        static const char *const AGX_Z[] = {"CPU", "GPU", "CV0", "CV1", "CV2", "SOC0", "SOC1",
                                            "SOC2"};
        static const char *const NX_Z[] = {"cpu", "gpu", "cv0", "cv1", "cv2", "soc0", "soc1",
                                           "soc2"};
        static const int ZONE_OF[] = {TZ_CPU, TZ_GPU, TZ_CV, TZ_CV, TZ_CV, TZ_SOC, TZ_SOC, TZ_SOC};
        stamp(out, t[i]);
        fprintf(out, " RAM %.0f/%.0fMB SWAP 0/0MB (cached 0MB) CPU [", fp->total / 1048576.0,
                fp->usable / 1048576.0);
        for (int c = 0; c < cfg->cpus; c++)
            fprintf(out, "%s%.0f%%@%.0f", c ? "," : "", u_cpu, clk_cpu[i]);
        fprintf(out, "] EMC_FREQ %.0f%%@%.0f GR3D_FREQ %.0f%%@[%.0f,%.0f]", u_emc, clk_emc[i],
                u_gpu, clk_gpu[i], clk_gpu[i]);
        for (int z = 1; z < THERMAL_ZONES; z++)
            if (temp[z][i] > hot)
                hot = temp[z][i];
        for (int k = 0; k < 8; k++) {
            if (ZONE_OF[k] == TZ_CV && cfg->dlas == 0 && cfg->pvas == 0)
                continue;                     /* a module without CV engines (Nano) */
            fprintf(out, " %s@%.3fC", agx ? AGX_Z[k] : NX_Z[k], temp[ZONE_OF[k]][i]);
        }
        fprintf(out, " tj@%.3fC", hot);
        if (!agx && !sp->has_input_rail) {   /* a monitor with VDD_IN lists it below */
            sum_rail[nr] += module[i];
            fprintf(out, " VDD_IN %.0fmW/%.0fmW", module[i] * 1e3,
                    sum_rail[nr] / (double)(i + 1) * 1e3);
        }
        for (int r = 0; r < nr; r++) {
            const double *v = power_series_values(pr, r);
            sum_rail[r] += v[i];
            if (ends_with(sp->rails[r], "_REST"))
                continue;
            fprintf(out, " %s %.0fmW/%.0fmW", sp->rails[r], v[i] * 1e3,
                    sum_rail[r] / (double)(i + 1) * 1e3);
        }
        if (fputc('\n', out) == EOF)
            return -1;
    }
    return ferror(out) ? -1 : 0;
}

int tegrastats_csv(FILE *out, const power_run_t *pr)
{
    size_t n = power_series_len(pr);
    int ns = power_series_count(pr);
    const double *t = power_series_times(pr);
    fprintf(out, "time_s");
    for (int k = 0; k < ns; k++)
        fprintf(out, ",%s[%s]", power_series_name(pr, k), power_series_unit(pr, k));
    fputc('\n', out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%.6f", t[i]);
        for (int k = 0; k < ns; k++)
            fprintf(out, ",%.6g", power_series_values(pr, k)[i]);
        if (fputc('\n', out) == EOF)
            return -1;
    }
    return ferror(out) ? -1 : 0;
}
