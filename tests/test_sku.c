/*
 * test_sku: the shipped SKU files, mode resolution, peak figures and every loader error.
 *
 * Peak figures are checked against NVIDIA's published numbers through the arithmetic of
 * docs/configs.md: FLOP/s = SMs x FLOP/clk/SM x clock; DRAM bytes/s = bus_bits / 8 x 2 x
 * EMC clock. User variants are written into a fresh temporary directory per test, so each
 * error can be located to the exact line and column of the text below.
 */
#define _POSIX_C_SOURCE 200809L   /* setenv, mkdtemp */

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixtures.h"
#include "soc/sku/sku.h"
#include "soc/cli/commands.h"

static void setup(void)
{
    scratch_setup("sku");
}

static void teardown(void)
{
    scratch_teardown();
}

static void load_ok(const char *name, sku_t *s)
{
    diag_t d;
    char msg[2048];
    diag_clear(&d);
    if (sku_load(name, s, &d) != 0) {
        diag_format(&d, msg, sizeof msg);
        ck_abort_msg("loading %s failed: %s", name, msg);
    }
}

static void resolve_ok(const sku_t *s, const char *mode, soc_config_t *c)
{
    diag_t d;
    char msg[2048];
    diag_clear(&d);
    if (sku_resolve(s, mode, c, &d) != 0) {
        diag_format(&d, msg, sizeof msg);
        ck_abort_msg("resolving %s %s failed: %s", s->name, mode ? mode : "(default)", msg);
    }
}

/* Load must fail with a message that contains each of the given texts. */
static void load_fails(const char *name, const char *want1, const char *want2)
{
    sku_t s;
    diag_t d;
    char msg[2048];
    diag_clear(&d);
    ck_assert_int_lt(sku_load(name, &s, &d), 0);
    diag_format(&d, msg, sizeof msg);
    ck_assert_msg(strstr(msg, want1) != NULL, "'%s' not in: %s", want1, msg);
    if (want2)
        ck_assert_msg(strstr(msg, want2) != NULL, "'%s' not in: %s", want2, msg);
}

/* "path:line:col: error: " for a file written by scratch_put(). */
static const char *where(const char *name, int line, int col)
{
    static char buf[600];
    snprintf(buf, sizeof buf, "%s/%s:%d:%d: error: ", scratch_dir, name, line, col);
    return buf;
}

static void near(double got, double want, double rel)
{
    ck_assert_msg(fabs(got - want) <= rel * fabs(want), "got %.6g, expected %.6g within %.3g%%",
                  got, want, rel * 100);
}

/* ---- the shipped files ---- */

START_TEST(shipped_skus_load_and_every_mode_resolves)
{
    /* The seven modules of the Orin family, in name order. */
    static const char *const want[] = {"agx-industrial", "agx32", "agx64", "nano4", "nano8",
                                       "nx16", "nx8"};
    char names[16][SKU_NAME_LEN];
    int n = sku_list(names, 16);
    ck_assert_int_eq(n, 7);
    for (int i = 0; i < n; i++) {
        sku_t s;
        soc_config_t c;
        ck_assert_str_eq(names[i], want[i]);
        load_ok(names[i], &s);
        ck_assert_str_eq(s.name, names[i]);
        ck_assert_int_ge(s.nmodes, 1);
        for (int m = 0; m < s.nmodes; m++) {
            resolve_ok(&s, s.modes[m].name, &c);
            ck_assert_ptr_eq(c.mode, &s.modes[m]);
            /* A mode only ever lowers the hardware: SMs, clocks, EMC within the maxima. */
            ck_assert_int_eq(c.gpu.sms, s.modes[m].tpcs * s.sms_per_tpc);
            ck_assert_int_le(c.gpu.sms, s.gpu.sms);
            ck_assert(c.gpu.clock_hz > 0 && c.gpu.clock_hz <= s.gpu.clock_hz);
            ck_assert(c.dram.emc_hz > 0 && c.dram.emc_hz <= s.dram.emc_hz);
            ck_assert(c.cpus >= 1 && c.cpus <= s.cpus);
            ck_assert(c.cpu_hz > 0 && c.cpu_hz <= s.cpu_max_hz);
            ck_assert(c.dla.clock_hz <= s.dla_max_hz && (s.dlas == 0) == (c.dla.clock_hz == 0));
            ck_assert(c.pva.vps_hz <= s.pva_max_hz && (s.pvas == 0) == (c.pva.vps_hz == 0));
        }
        resolve_ok(&s, NULL, &c);
        ck_assert_ptr_eq(c.mode, &s.modes[s.default_mode]);
    }
}
END_TEST

START_TEST(agx64_maxn_peaks)
{
    sku_t s;
    soc_config_t c;
    load_ok("agx64", &s);
    resolve_ok(&s, "MAXN", &c);
    /* 8 TPC x 2 = 16 SMs; a CUDA core is one FP32 FMA lane: 256 FLOP/clk / 2 = 128 per SM,
     * 16 x 128 = 2048 CUDA cores (NVIDIA: 2048). */
    ck_assert_int_eq(c.gpu.sms, 16);
    ck_assert_int_eq((int)(c.gpu.sms * c.gpu.cuda_flops_per_clk[DT_FP32] / 2), 2048);
    ck_assert(c.gpu.clock_hz == 1300e6);
    /* FP32: 16 x 256 x 1.3e9 = 5.32e12 (NVIDIA: 5.3 TFLOPS). */
    near(soc_peak_flops(&c, DT_FP32, 0, 0), 5.3248e12, 1e-9);
    /* Sparse INT8 tensor: 16 x 4096 x 2 x 1.3e9 = 170.4e12 (NVIDIA: 170-171 TOPS). */
    near(soc_peak_flops(&c, DT_INT8, 1, 1), 170.39e12, 1e-4);
    /* Dense FP16 tensor: 16 x 2048 x 1.3e9 = 42.6e12. */
    near(soc_peak_flops(&c, DT_FP16, 1, 0), 42.598e12, 1e-4);
    /* 256 / 8 x 2 x 3199e6 = 204.7e9; NVIDIA rounds to 204.8 GB/s: within 0.1 %. */
    near(soc_peak_dram_Bps(&c), 204.8e9, 1e-3);
    ck_assert_int_eq(c.cpus, 12);
    ck_assert_int_eq(c.dlas, 2);
    ck_assert(c.dla.clock_hz == 1600e6);
}
END_TEST

START_TEST(agx32_maxn_has_14_sms_at_930_mhz)
{
    sku_t s;
    soc_config_t c;
    load_ok("agx32", &s);
    resolve_ok(&s, "MAXN", &c);
    /* TPC mask 128 gates 1 of 8 TPCs: 7 x 2 = 14 SMs x 128 = 1792 CUDA cores at 930 MHz. */
    ck_assert_int_eq(c.gpu.sms, 14);
    ck_assert_int_eq((int)(c.gpu.sms * c.gpu.cuda_flops_per_clk[DT_FP32] / 2), 1792);
    ck_assert(c.gpu.clock_hz == 930e6);
    ck_assert_int_eq(c.cpus, 8);
}
END_TEST

START_TEST(module_bandwidths_in_default_modes)
{
    sku_t s;
    soc_config_t c;
    /* nx16, default 15W, EMC uncapped: 128 / 8 x 2 x 3199e6 = 102.4e9 (NVIDIA: 102.4 GB/s). */
    load_ok("nx16", &s);
    resolve_ok(&s, NULL, &c);
    ck_assert_str_eq(c.mode->name, "15W");
    near(soc_peak_dram_Bps(&c), 102.4e9, 1e-3);
    /* nano8, default 15W of the original BSP, EMC 2133 MHz: 128 / 8 x 2 x 2133e6 = 68.26e9
     * (NVIDIA: 68 GB/s, 0.4 % lower). */
    load_ok("nano8", &s);
    resolve_ok(&s, NULL, &c);
    ck_assert_str_eq(c.mode->name, "15W");
    near(soc_peak_dram_Bps(&c), 68e9, 5e-3);
    /* ... and 40 sparse INT8 TOPS: 8 SM x 4096 x 2 x 625e6 = 40.96e12 (NVIDIA: 40). */
    near(soc_peak_flops(&c, DT_INT8, 1, 1), 40e12, 0.025);
    /* nano4, default 10W: 64 / 8 x 2 x 2133e6 = 34.13e9 (NVIDIA: 34 GB/s). */
    load_ok("nano4", &s);
    resolve_ok(&s, NULL, &c);
    ck_assert_str_eq(c.mode->name, "10W");
    near(soc_peak_dram_Bps(&c), 34e9, 5e-3);
    /* ... and 4 SMs x 4096 x 2 x 625e6 = 20.48e12 sparse (NVIDIA: 20 TOPS). */
    near(soc_peak_flops(&c, DT_INT8, 1, 1), 20e12, 0.025);
}
END_TEST

START_TEST(super_modes_raise_the_ceilings)
{
    sku_t s;
    soc_config_t c;
    /* nano8 MAXN_SUPER: 1020 MHz GPU, EMC 3199 MHz = 102.4 GB/s; 8 x 8192 x 1.02e9 = 66.8
     * sparse TOPS (NVIDIA: 67). */
    load_ok("nano8", &s);
    resolve_ok(&s, "maxn_super", &c);
    ck_assert(c.gpu.clock_hz == 1020e6);
    near(soc_peak_dram_Bps(&c), 102.4e9, 1e-3);
    near(soc_peak_flops(&c, DT_INT8, 1, 1), 67e12, 0.01);
    /* The Super file's 15W is a different mode from the original 15W: 612 vs 625 MHz. */
    resolve_ok(&s, "15W_SUPER", &c);
    ck_assert(c.gpu.clock_hz == 612e6);
    ck_assert_str_eq(c.mode->bsp, "jp62");
    /* nx16 40W exists only in the Super file: 8 SMs at 1173 MHz. */
    load_ok("nx16", &s);
    resolve_ok(&s, "40W", &c);
    ck_assert_int_eq(c.gpu.sms, 8);
    ck_assert(c.gpu.clock_hz == 1173e6);
    /* Original MAXN is held at the original ceilings: 918 MHz GPU, 614.4 MHz DLA. */
    resolve_ok(&s, "MAXN", &c);
    ck_assert(c.gpu.clock_hz == 918e6);
    ck_assert(c.dla.clock_hz == 614.4e6);
}
END_TEST

START_TEST(industrial_total_is_248_tops)
{
    sku_t s;
    soc_config_t c;
    double gpu, dla;
    load_ok("agx-industrial", &s);
    resolve_ok(&s, NULL, &c);
    /* GPU: 16 x 4096 x 2 x 1.2e9 = 157.3e12 sparse INT8. */
    gpu = soc_peak_flops(&c, DT_INT8, 1, 1);
    near(gpu, 157.29e12, 1e-3);
    /* DLA: 16384 dense INT8 ops/clk per DLA (105 TOPS = 2 x 16384 x 2 x 1.6 GHz on agx64,
     * orin-facts §1c), doubled by 2:4 sparsity: 2 x 16384 x 2 x 1.4e9 = 91.75e12. */
    dla = c.dlas * 16384.0 * 2 * c.dla.clock_hz;
    near(dla, 91.75e12, 1e-3);
    /* 157.3 + 91.8 = 249.0 TOPS against the published 248: within 2 %. */
    near(gpu + dla, 248e12, 0.02);
}
END_TEST

START_TEST(mode_caps_apply)
{
    sku_t s;
    soc_config_t c;
    load_ok("agx64", &s);
    /* 15W: TPC mask 248 leaves 3 TPCs = 6 SMs at 408 MHz; EMC 2133 MHz gives
     * 256 / 8 x 2 x 2133e6 = 136.5e9 B/s. */
    resolve_ok(&s, "15W", &c);
    ck_assert_int_eq(c.gpu.sms, 6);
    ck_assert(c.gpu.clock_hz == 408e6);
    ck_assert(c.dram.emc_hz == 2133e6);
    near(soc_peak_dram_Bps(&c), 136.512e9, 1e-6);
    /* FP32 on 6 SMs: 6 x 256 x 408e6 = 0.627e12. */
    near(soc_peak_flops(&c, DT_FP32, 0, 0), 0.626688e12, 1e-9);
    ck_assert_int_eq(c.cpus, 4);
    ck_assert(c.cpu_hz == 1113.6e6);
    ck_assert(c.dla.clock_hz == 614.4e6 && c.pva.vps_hz == 307.2e6);
    /* The hardware description itself is untouched by resolving. */
    ck_assert_int_eq(s.gpu.sms, 16);
}
END_TEST

START_TEST(mode_names_ids_and_default)
{
    sku_t s;
    soc_config_t a, b;
    load_ok("agx64", &s);
    /* NVIDIA's MODE_ prefix and case do not matter; ID 2 and no mode are the default 30W. */
    resolve_ok(&s, "30W", &a);
    ck_assert_str_eq(a.mode->name, "30W");
    resolve_ok(&s, "MODE_30W", &b);
    ck_assert_ptr_eq(a.mode, b.mode);
    resolve_ok(&s, "mode_30w", &b);
    ck_assert_ptr_eq(a.mode, b.mode);
    resolve_ok(&s, "2", &b);
    ck_assert_ptr_eq(a.mode, b.mode);
    resolve_ok(&s, NULL, &b);
    ck_assert_ptr_eq(a.mode, b.mode);
    /* nx16: ID 2 is both the original BSP's 15W and 15W_SUPER, so it alone names no mode
     * (error_ambiguous_mode_id); ID 4 exists only in the Super file. */
    load_ok("nx16", &s);
    {
        diag_t d;
        diag_clear(&d);
        ck_assert_int_lt(sku_resolve(&s, "2", &a, &d), 0);
    }
    resolve_ok(&s, "4", &a);
    ck_assert_str_eq(a.mode->name, "40W");
}
END_TEST

START_TEST(peak_flops_paths)
{
    sku_t s;
    soc_config_t c;
    load_ok("agx64", &s);
    resolve_ok(&s, "MAXN", &c);
    /* No FP32 tensor path and no TF32 CUDA-core path: 0. Sparsity applies to tensor only. */
    ck_assert(soc_peak_flops(&c, DT_FP32, 1, 0) == 0);
    ck_assert(soc_peak_flops(&c, DT_TF32, 0, 0) == 0);
    ck_assert(soc_peak_flops(&c, DT_FP32, 0, 1) == soc_peak_flops(&c, DT_FP32, 0, 0));
    /* Sparse is exactly sparse_factor (2) x dense. */
    ck_assert(soc_peak_flops(&c, DT_BF16, 1, 1) == 2 * soc_peak_flops(&c, DT_BF16, 1, 0));
}
END_TEST

START_TEST(printing_is_deterministic)
{
    sku_t s;
    soc_config_t c;
    char a[8192], b[8192];
    FILE *f;
    size_t na, nb;
    load_ok("agx64", &s);
    resolve_ok(&s, "MAXN", &c);
    f = tmpfile();
    sku_print(f, &c);
    rewind(f);
    na = fread(a, 1, sizeof a - 1, f);
    a[na] = '\0';
    fclose(f);
    f = tmpfile();
    sku_print(f, &c);
    rewind(f);
    nb = fread(b, 1, sizeof b - 1, f);
    b[nb] = '\0';
    fclose(f);
    ck_assert_str_eq(a, b);
    ck_assert_ptr_nonnull(strstr(a, "2048 CUDA cores"));
    ck_assert_ptr_nonnull(strstr(a, "peak 204.7 GB/s"));
    ck_assert_ptr_nonnull(strstr(a, "170.39 TOPS"));
    f = tmpfile();
    sku_print_list(f);
    rewind(f);
    na = fread(a, 1, sizeof a - 1, f);
    a[na] = '\0';
    fclose(f);
    ck_assert_ptr_nonnull(strstr(a, "agx64            Jetson AGX Orin 64GB"));
    ck_assert_ptr_nonnull(strstr(a, "MAXN, 15W, 30W*, 50W\n"));
    ck_assert_ptr_nonnull(strstr(a, "nano8"));
    ck_assert_ptr_null(strstr(a, "error"));
}
END_TEST

/* ---- user variants ---- */

START_TEST(inherits_overrides_fields)
{
    sku_t s;
    soc_config_t c;
    const char *p = scratch_put("fast.yaml",
                        "sku: agx64-fast\n"
                        "title: AGX Orin 64GB, GPU at 1.1 GHz\n"
                        "inherits: agx64\n"
                        "gpu:\n"
                        "  max_clock: 1100 MHz\n"
                        "  tensor_flops_per_clk:\n"
                        "    fp16: 4096\n");
    load_ok(p, &s);
    ck_assert_str_eq(s.name, "agx64-fast");
    ck_assert_str_eq(s.path, p);
    resolve_ok(&s, "MAXN", &c);
    /* MAXN's `max` follows the new ceiling: 16 x 256 x 1.1e9 = 4.51e12 FP32. */
    ck_assert(c.gpu.clock_hz == 1100e6);
    near(soc_peak_flops(&c, DT_FP32, 0, 0), 4.5056e12, 1e-9);
    /* One table entry changed, the others inherited. */
    ck_assert(c.gpu.tensor_flops_per_clk[DT_FP16] == 4096);
    ck_assert(c.gpu.tensor_flops_per_clk[DT_BF16] == 2048);
    /* Modes and default inherited. */
    ck_assert_int_eq(s.nmodes, 4);
    ck_assert_str_eq(s.modes[s.default_mode].name, "30W");
}
END_TEST

START_TEST(inherits_modes_replace_the_list)
{
    sku_t s;
    const char *p = scratch_put("one.yaml",
                        "sku: agx64-one\n"
                        "title: one mode\n"
                        "inherits: agx64\n"
                        "modes:\n"
                        "  - {name: 20W, id: 7, bsp: jp6, tpcs: 4, gpu_max: 700 MHz}\n"
                        "default_mode: 20W\n");
    load_ok(p, &s);
    ck_assert_int_eq(s.nmodes, 1);
    /* Absent caps are the hardware maxima: 12 CPUs, 3199 MHz EMC. */
    ck_assert_int_eq(s.modes[0].cpus_online, 12);
    ck_assert(s.modes[0].emc_max_hz == 3199e6);
    /* Without default_mode, the inherited default 30W is not in the new list. */
    p = scratch_put("nodefault.yaml",
            "sku: agx64-nodef\n"
            "title: one mode\n"
            "inherits: agx64\n"
            "modes:\n"
            "  - {name: 20W, id: 7, bsp: jp6}\n");
    load_fails(p, where("nodefault.yaml", 5, 3), "default_mode '30W' is not one of the modes");
}
END_TEST

START_TEST(error_unknown_sku)
{
    load_fails("agx99", "unknown SKU 'agx99'", "agx32, agx64, nano4, nano8, nx16, nx8");
}
END_TEST

START_TEST(error_unknown_mode_lists_modes)
{
    sku_t s;
    soc_config_t c;
    diag_t d;
    char msg[2048];
    load_ok("agx64", &s);
    diag_clear(&d);
    ck_assert_int_lt(sku_resolve(&s, "60W", &c, &d), 0);
    diag_format(&d, msg, sizeof msg);
    ck_assert_ptr_nonnull(strstr(msg, "configs/agx64.yaml: error: unknown mode '60W' for agx64"));
    ck_assert_ptr_nonnull(strstr(msg, "MAXN (ID 0 jp5), 15W (ID 1 jp5), 30W (ID 2 jp5, default), "
                                      "50W (ID 3 jp5)"));
    diag_clear(&d);
    ck_assert_int_lt(sku_resolve(&s, "9", &c, &d), 0);
    /* An ID names one mode where it is unique: agx64's ID 2 is 30W. */
    diag_clear(&d);
    ck_assert_int_eq(sku_resolve(&s, "2", &c, &d), 0);
    ck_assert_str_eq(c.mode->name, "30W");
}
END_TEST

START_TEST(error_ambiguous_mode_id)
{
    /* nano8 carries JetPack 5's modes (15W = ID 0, 7W = ID 1) and JetPack 6.2's Super
     * modes (15W_SUPER = ID 0, 25W = ID 1, MAXN_SUPER = ID 2): ID 0 and 1 are each two
     * modes, ID 2 one. */
    sku_t s;
    soc_config_t c;
    diag_t d;
    char msg[2048];
    load_ok("nano8", &s);
    diag_clear(&d);
    ck_assert_int_lt(sku_resolve(&s, "0", &c, &d), 0);
    diag_format(&d, msg, sizeof msg);
    ck_assert_msg(strstr(msg, "mode ID 0 of nano8 is ambiguous: 15W (ID 0 jp5), 15W_SUPER "
                              "(ID 0 jp62); give the mode by name") != NULL, "%s", msg);
    diag_clear(&d);
    ck_assert_int_lt(sku_resolve(&s, "1", &c, &d), 0);
    diag_clear(&d);
    ck_assert_int_eq(sku_resolve(&s, "2", &c, &d), 0);
    ck_assert_str_eq(c.mode->name, "MAXN_SUPER");
    ck_assert_int_eq(sku_resolve(&s, "15W_SUPER", &c, &d), 0);
    ck_assert_int_eq(c.mode->id, 0);
}
END_TEST

START_TEST(error_unknown_key)
{
    const char *p = scratch_put("typo.yaml",
                        "sku: typo\n"
                        "title: typo\n"
                        "inherits: agx64\n"
                        "gpu:\n"
                        "  tpcz: 4\n");
    load_fails(p, where("typo.yaml", 5, 3), "unknown key 'tpcz' in gpu section");
}
END_TEST

START_TEST(error_missing_unit)
{
    const char *p = scratch_put("unit.yaml",
                        "sku: unit\n"
                        "title: unit\n"
                        "inherits: agx64\n"
                        "dram:\n"
                        "  max_emc_clock: 3199\n");
    load_fails(p, where("unit.yaml", 5, 18), "missing unit in '3199'");
}
END_TEST

START_TEST(error_cap_above_maximum)
{
    const char *p = scratch_put("cap.yaml",
                        "sku: cap\n"
                        "title: cap\n"
                        "inherits: agx64\n"
                        "modes:\n"
                        "  - name: TURBO\n"
                        "    id: 9\n"
                        "    bsp: jp5\n"
                        "    gpu_max: 1.4 GHz\n"
                        "default_mode: TURBO\n");
    /* 1400 MHz > agx64's 1300 MHz ceiling. */
    load_fails(p, where("cap.yaml", 8, 14),
               "gpu_max = 1400 MHz in mode 'TURBO' is above the hardware maximum 1300 MHz");
    p = scratch_put("tpc.yaml",
            "sku: tpc\n"
            "title: tpc\n"
            "inherits: nano4\n"
            "modes:\n"
            "  - {name: BIG, id: 9, bsp: jp5, tpcs: 4}\n"
            "default_mode: BIG\n");
    /* nano4 has 2 TPCs. */
    load_fails(p, where("tpc.yaml", 5, 40),
               "tpcs = 4 in mode 'BIG' is above the hardware maximum 2");
    p = scratch_put("dla.yaml",
            "sku: dla\n"
            "title: dla\n"
            "inherits: nano8\n"
            "modes:\n"
            "  - {name: X, id: 9, bsp: jp5, dla_core: 600 MHz}\n"
            "default_mode: X\n");
    load_fails(p, where("dla.yaml", 5, 42), "mode 'X' sets dla_core, but the module has no DLA");
}
END_TEST

START_TEST(error_lowered_maximum_reports_the_inherited_cap)
{
    /* Lowering the GPU ceiling below agx64's 50W cap of 816 MHz: the error points at that
     * cap in configs/agx64.yaml, found here by searching the file for its line. */
    char want[1024], line[256];
    int lineno = 0, found = 0;
    FILE *f = fopen(ORINSIM_SOURCE_DIR "/configs/agx64.yaml", "r");
    const char *p;
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f) && !found) {
        lineno++;
        found = strncmp(line, "    gpu_max: 816 MHz", 20) == 0;
    }
    fclose(f);
    ck_assert(found);
    snprintf(want, sizeof want, "configs/agx64.yaml:%d:14: error: gpu_max = 816 MHz in mode '50W'",
             lineno);
    p = scratch_put("slow.yaml",
            "sku: slow\n"
            "title: slow\n"
            "inherits: agx64\n"
            "gpu:\n"
            "  max_clock: 700 MHz\n");
    load_fails(p, want, "above the hardware maximum 700 MHz");
}
END_TEST

START_TEST(error_inherits_unknown_sku)
{
    const char *p = scratch_put("orphan.yaml",
                        "sku: orphan\n"
                        "title: orphan\n"
                        "inherits: agx99\n");
    load_fails(p, where("orphan.yaml", 3, 11), "unknown SKU 'agx99'");
    p = scratch_put("cycle.yaml",
            "sku: cycle\n"
            "title: cycle\n"
            "inherits: ./cycle.yaml\n");
    load_fails(p, "inherits chain is deeper than", NULL);
    /* A path is relative to the inheriting file. */
    p = scratch_put("lost.yaml",
            "sku: lost\n"
            "title: lost\n"
            "inherits: missing.yaml\n");
    load_fails(p, where("lost.yaml", 3, 11), "inherits: cannot open");
    load_fails(p, "/missing.yaml'", NULL);
}
END_TEST

START_TEST(error_base_file_fields)
{
    /* Without inherits every field is required: the first missing one is named at the map. */
    const char *p = scratch_put("bare.yaml",
                        "sku: bare\n"
                        "title: bare\n"
                        "gpu:\n"
                        "  tpcs: 4\n");
    load_fails(p, where("bare.yaml", 4, 3), "missing required field 'sms_per_tpc' in gpu section");
    /* Ranges: 65 TPCs is outside 1..64. */
    p = scratch_put("range.yaml",
            "sku: range\n"
            "title: range\n"
            "inherits: agx64\n"
            "gpu: {tpcs: 65}\n");
    load_fails(p, where("range.yaml", 4, 13), "tpcs = 65 is out of range (expected 1 to 64)");
    /* Clocks: 6 GHz is outside 1 MHz..5 GHz. */
    p = scratch_put("clock.yaml",
            "sku: clock\n"
            "title: clock\n"
            "inherits: agx64\n"
            "cpu: {max_clock: 6 GHz}\n");
    load_fails(p, where("clock.yaml", 4, 18), "max_clock = 6 GHz is out of range");
    /* Cross-field limits are checked on the merged result: agx64's 163 KiB per-CTA maximum
     * no longer fits a 100 KiB SM, reported where that maximum is written. */
    p = scratch_put("smem.yaml",
            "sku: smem\n"
            "title: smem\n"
            "inherits: agx64\n"
            "gpu: {smem_sm: 100 KiB}\n");
    load_fails(p, "configs/agx64.yaml:", "smem_cta_max = 166912 B is above smem_sm = 102400 B");
    /* A Nano given DLAs must also be given their clocks. */
    p = scratch_put("nanodla.yaml",
            "sku: nanodla\n"
            "title: nanodla\n"
            "inherits: nano8\n"
            "dla: {count: 2}\n");
    load_fails(p, where("nanodla.yaml", 4, 6), "dla count is 2 but its clocks are not given");
}
END_TEST

START_TEST(error_mode_names)
{
    /* MODE_15W and 15W are the same name once the prefix is dropped. */
    const char *p = scratch_put("dup.yaml",
                        "sku: dup\n"
                        "title: dup\n"
                        "inherits: agx64\n"
                        "modes:\n"
                        "  - {name: 15W, id: 1, bsp: jp5}\n"
                        "  - {name: MODE_15W, id: 2, bsp: jp5}\n"
                        "default_mode: 15W\n");
    load_fails(p, where("dup.yaml", 6, 12), "mode name 'MODE_15W' repeats '15W'");
    p = scratch_put("num.yaml",
            "sku: num\n"
            "title: num\n"
            "inherits: agx64\n"
            "modes:\n"
            "  - {name: 15, id: 1, bsp: jp5}\n"
            "default_mode: 15\n");
    load_fails(p, where("num.yaml", 5, 12), "is a number");
    p = scratch_put("bsp.yaml",
            "sku: bsp\n"
            "title: bsp\n"
            "inherits: agx64\n"
            "modes:\n"
            "  - {name: A, id: 1, bsp: jp4}\n"
            "default_mode: A\n");
    load_fails(p, where("bsp.yaml", 5, 27), "unknown bsp 'jp4'");
}
END_TEST

START_TEST(error_shipped_name_must_match_file)
{
    /* A config directory is taken from $ORINSIM_CONFIG_DIR; a file's sku: must match its name. */
    scratch_put("foo.yaml", "sku: bar\ntitle: bar\ninherits: " ORINSIM_SOURCE_DIR "/configs/agx64.yaml\n");
    setenv("ORINSIM_CONFIG_DIR", scratch_dir, 1);
    ck_assert_str_eq(sku_config_dir(), scratch_dir);
    load_fails("foo", where("foo.yaml", 1, 6),
               "sku: 'bar' does not match the file name 'foo.yaml'");
}
END_TEST

static Suite *sku_suite(void)
{
    Suite *s = suite_create("sku");
    TCase *shipped = tcase_create("shipped");
    TCase *variants = tcase_create("variants");
    tcase_add_checked_fixture(shipped, setup, teardown);
    tcase_add_checked_fixture(variants, setup, teardown);
    tcase_add_test(shipped, shipped_skus_load_and_every_mode_resolves);
    tcase_add_test(shipped, agx64_maxn_peaks);
    tcase_add_test(shipped, agx32_maxn_has_14_sms_at_930_mhz);
    tcase_add_test(shipped, module_bandwidths_in_default_modes);
    tcase_add_test(shipped, super_modes_raise_the_ceilings);
    tcase_add_test(shipped, industrial_total_is_248_tops);
    tcase_add_test(shipped, mode_caps_apply);
    tcase_add_test(shipped, mode_names_ids_and_default);
    tcase_add_test(shipped, peak_flops_paths);
    tcase_add_test(shipped, printing_is_deterministic);
    tcase_add_test(shipped, error_unknown_sku);
    tcase_add_test(shipped, error_unknown_mode_lists_modes);
    tcase_add_test(shipped, error_ambiguous_mode_id);
    tcase_add_test(variants, inherits_overrides_fields);
    tcase_add_test(variants, inherits_modes_replace_the_list);
    tcase_add_test(variants, error_unknown_key);
    tcase_add_test(variants, error_missing_unit);
    tcase_add_test(variants, error_cap_above_maximum);
    tcase_add_test(variants, error_lowered_maximum_reports_the_inherited_cap);
    tcase_add_test(variants, error_inherits_unknown_sku);
    tcase_add_test(variants, error_base_file_fields);
    tcase_add_test(variants, error_mode_names);
    tcase_add_test(variants, error_shipped_name_must_match_file);
    suite_add_tcase(s, shipped);
    suite_add_tcase(s, variants);
    return s;
}

int main(void)
{
    SRunner *r = srunner_create(sku_suite());
    int failed;
    srunner_run_all(r, CK_NORMAL);
    failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
