/*
 * sku: loading the Jetson Orin module descriptions of configs/ and resolving a power mode.
 *
 * A SKU file is read in one pass into a sku_t. A file that names `inherits:` first loads
 * its parent (a shipped SKU by name, or another file by path, relative to the child) and
 * then overrides whatever fields it gives: scalars field by field, the per-datatype rate
 * tables entry by entry, and `modes` as a whole list (a partial list merge would make it
 * impossible to drop a mode). Without `inherits:` every field is required.
 *
 * While a chain of files is read, a mode cap written `max` (or left out) is kept as the
 * sentinel CAP_MAX, because a child may still change the hardware maximum it stands for;
 * finish() resolves the sentinels once the whole chain is read and checks every explicit
 * cap against the final maximum. The loader remembers where each cap was written, so that
 * error can still name file:line:column after the files are closed.
 *
 * Mode names are matched case-insensitively and without NVIDIA's "MODE_" prefix, so
 * "MODE_30W", "mode_30w" and "30W" name the same mode; names must be unique under that
 * rule. A number selects the mode with that nvpmodel ID in the BSP of the default mode
 * (what `nvpmodel -m N` does on a module flashed with that BSP), or else the first mode
 * with that ID in another BSP (on nx16, "4" is the Super file's 40W).
 *
 * The printing side (`orinsim skus`, `orinsim sku`) lives in soc/cli/sku_print.c.
 */
#include "soc/sku/sku.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "soc/sku/sku_power.h"
#include "soc/io/units.h"
#include "soc/io/ydoc.h"

#define CAP_MAX (-1.0)        /* "max" while loading: the hardware maximum */
#define SKU_MAX_DEPTH 8       /* files in one inherits chain */
#define SKU_MAX_SHIPPED 64

enum { CAP_CPUS, CAP_CPU, CAP_TPCS, CAP_GPU, CAP_EMC, CAP_DLA, CAP_DLA_FALCON, CAP_PVA,
       CAP_PVA_AXI, CAP_COUNT };
static const char *const CAP_KEYS[CAP_COUNT] = {
    "cpus_online", "cpu_max", "tpcs", "gpu_max", "emc_max", "dla_core", "dla_falcon",
    "pva_vps", "pva_axi"};

typedef struct at {
    int file, line, col;      /* file indexes loader_t.files; line 0 = not written */
} at_t;

typedef struct loader {
    sku_t *sku;
    char files[SKU_MAX_DEPTH][512];
    int nfiles;
    char default_name[32];
    at_t default_at;
    at_t cap_at[SKU_MAX_MODES][CAP_COUNT];
    at_t name_at[SKU_MAX_MODES];
    at_t smem_cta_max_at, warps_full_rate_at, threads_cta_at, engine_at[2];
    at_t reserved_at;   /* dram.reserved, or dram.capacity when written after it */
    sku_power_names_t power_names;   /* soc/sku/sku_power.c */
} loader_t;

/* One file being read: its document, whether it is a base file (every field required). */
typedef struct rd {
    ydoc_t *y;
    loader_t *L;
    int file, base;
    diag_t *d;
} rd_t;

static const char *const TOP_KEYS[] = {"sku", "title", "inherits", "gpu", "dram", "cpu",
                                       "dla", "pva", "modes", "default_mode", "power",
                                       "thermal", NULL};
static const char *const GPU_KEYS[] = {
    "tpcs", "sms_per_tpc", "max_clock", "cuda_flops_per_clk", "tensor_flops_per_clk",
    "sparse_factor", "sparse_meta_bits", "tensor_efficiency", "cuda_efficiency", "sfu_ops_per_clk",
    "warp_size",
    "max_threads_sm", "max_ctas_sm", "max_threads_cta", "regs_sm", "max_regs_thread",
    "reg_alloc_unit", "smem_sm", "smem_cta_max", "smem_cta_reserved", "warps_full_rate",
    "l2_size", "sm_dram_per_clk", "launch_overhead", "timeslice", "context_switch", NULL};
static const char *const DTYPE_KEYS[] = {"fp32", "tf32", "fp16", "bf16", "int8", "int4", NULL};
static const char *const DRAM_KEYS[] = {"bus_bits", "max_emc_clock", "efficiency", "latency",
                                        "capacity", "reserved",
                                        NULL};
static const char *const CPU_KEYS[] = {"cores", "max_clock", "dram_bandwidth_per_core", NULL};
static const char *const DLA_KEYS[] = {
    "count", "max_clock", "falcon_max_clock", "int8_macs_per_clk", "fp16_macs_per_clk",
    "atom_c", "atom_k", "tap_fold_max", "sparse_factor", "sparse_min_c", "sram", "sdp_elems_per_clk",
    "pdp_elems_per_clk", "dram_bandwidth", "layer_overhead_falcon_cycles", "task_overhead",
    NULL};
static const char *const PVA_KEYS[] = {"count", "max_clock", "axi_max_clock", "vps",
                                       "dma_bandwidth", "op_overhead", "ops", NULL};
static const char *const MODE_KEYS[] = {"name", "id", "bsp", "cpus_online", "cpu_max", "tpcs",
                                        "gpu_max", "emc_max", "dla_core", "dla_falcon",
                                        "pva_vps", "pva_axi", NULL};
static const char *const BSPS[] = {"jp5", "jp6", "jp62", NULL};

/* Limits that catch typos, not hardware facts: any plausible Orin-class part fits. */
static const double HZ_MIN = 1e6, HZ_MAX = 5e9;

static at_t at_node(const rd_t *r, const yaml_node_t *n)
{
    at_t a = {r->file, ydoc_line(n), ydoc_col(n)};
    return a;
}

static int at_error(const loader_t *L, at_t a, diag_t *d, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int at_error(const loader_t *L, at_t a, diag_t *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, L->files[a.file], a.line, a.col, fmt, ap);
    va_end(ap);
    return DIAG_ERR;
}

/* ---- fields: absent is an error in a base file, and keeps the inherited value otherwise ---- */

static yaml_node_t *field(rd_t *r, yaml_node_t *map, const char *key, const char *what,
                          int *err)
{
    yaml_node_t *v = ydoc_get(r->y, map, key);
    *err = 0;
    if (v == NULL && r->base) {
        ydoc_require(r->y, map, key, what, r->d);
        *err = 1;
    }
    return v;
}

static int get_int(rd_t *r, yaml_node_t *map, const char *key, const char *what, int64_t min,
                   int64_t max, int *out)
{
    int err;
    int64_t v;
    yaml_node_t *n = field(r, map, key, what, &err);
    if (err)
        return DIAG_ERR;
    if (n == NULL)
        return 0;
    if (ydoc_int(r->y, n, key, min, max, &v, r->d) != 0)
        return DIAG_ERR;
    *out = (int)v;
    return 0;
}

static int get_double(rd_t *r, yaml_node_t *map, const char *key, const char *what, double min,
                      double max, double *out)
{
    int err;
    yaml_node_t *n = field(r, map, key, what, &err);
    if (err)
        return DIAG_ERR;
    return n ? ydoc_double(r->y, n, key, min, max, out, r->d) : 0;
}

static int get_freq(rd_t *r, yaml_node_t *map, const char *key, const char *what, double *out)
{
    int err;
    yaml_node_t *n = field(r, map, key, what, &err);
    if (err)
        return DIAG_ERR;
    return n ? ydoc_freq(r->y, n, key, HZ_MIN, HZ_MAX, out, r->d) : 0;
}

static int get_size(rd_t *r, yaml_node_t *map, const char *key, const char *what, double min,
                    double max, double *out)
{
    int err;
    yaml_node_t *n = field(r, map, key, what, &err);
    if (err)
        return DIAG_ERR;
    return n ? ydoc_size(r->y, n, key, min, max, out, r->d) : 0;
}

static int get_bandwidth(rd_t *r, yaml_node_t *map, const char *key, const char *what,
                         double *out)
{
    int err;
    yaml_node_t *n = field(r, map, key, what, &err);
    if (err)
        return DIAG_ERR;
    return n ? ydoc_bandwidth(r->y, n, key, 1e6, 1e12, out, r->d) : 0;
}

/* A duration, in picoseconds times `scale` (1e-12 gives seconds). */
/* The GPU's scheduling costs have positive minimums, or simulated time can stop moving (a
 * zero-length time slice hands the GPU between contexts again and again at one instant):
 * the time slice no shorter than nvgpu accepts (NVGPU_TSG_TIMESLICE_MIN_US = 1000,
 * include/nvgpu/tsg.h), a context switch of at least 1 us and a launch of at least 100 ns,
 * both far below any published or estimated value (docs/configs.md, docs/limits.md). */
#define MIN_TIMESLICE_PS (1000ull * 1000000ull)
#define MIN_SWITCH_PS 1000000ull
#define MIN_LAUNCH_PS 100000ull
#define MAX_GPU_COST_PS 1000000000000ull   /* 1 s */

static int get_duration(rd_t *r, yaml_node_t *map, const char *key, const char *what,
                        uint64_t min_ps, uint64_t max_ps, double scale, double *out)
{
    int err;
    uint64_t ps;
    yaml_node_t *n = field(r, map, key, what, &err);
    if (err)
        return DIAG_ERR;
    if (n == NULL)
        return 0;
    if (ydoc_duration(r->y, n, key, min_ps, max_ps, &ps, r->d) != 0)
        return DIAG_ERR;
    *out = (double)ps * scale;
    return 0;
}

/* Remember where a field was written, for checks made after the whole chain is read. */
static void mark(rd_t *r, yaml_node_t *map, const char *key, at_t *a)
{
    yaml_node_t *n = ydoc_get(r->y, map, key);
    if (n != NULL)
        *a = at_node(r, n);
}

/* A section mapping: NULL when absent (an error in a base file), after checking its keys. */
static int section(rd_t *r, yaml_node_t *root, const char *key, const char *const *keys,
                   yaml_node_t **out)
{
    int err;
    char what[64];
    yaml_node_t *n = field(r, root, key, "a SKU file", &err);
    *out = NULL;
    if (err)
        return DIAG_ERR;
    if (n == NULL)
        return 0;
    snprintf(what, sizeof what, "%s section", key);
    if (ydoc_expect_map(r->y, n, what, r->d) != 0 ||
        ydoc_check_keys(r->y, n, keys, what, r->d) != 0)
        return DIAG_ERR;
    *out = n;
    return 0;
}

/* ---- sections ---- */

static int parse_rates(rd_t *r, yaml_node_t *gpu, const char *key, double rates[DT_COUNT])
{
    yaml_node_t *map;
    int err;
    char what[64];
    map = field(r, gpu, key, "gpu section", &err);
    if (err)
        return DIAG_ERR;
    if (map == NULL)
        return 0;
    snprintf(what, sizeof what, "gpu.%s", key);
    if (ydoc_expect_map(r->y, map, what, r->d) != 0 ||
        ydoc_check_keys(r->y, map, DTYPE_KEYS, what, r->d) != 0)
        return DIAG_ERR;
    for (int t = 0; t < DT_COUNT; t++)
        if (get_double(r, map, DTYPE_KEYS[t], what, 0, 1e6, &rates[t]) != 0)
            return DIAG_ERR;
    return 0;
}

static int parse_gpu(rd_t *r, yaml_node_t *root)
{
    sku_t *s = r->L->sku;
    gpu_spec_t *g = &s->gpu;
    yaml_node_t *n;
    const char *w = "gpu section";
    if (section(r, root, "gpu", GPU_KEYS, &n) != 0)
        return DIAG_ERR;
    if (n == NULL)
        return 0;
    mark(r, n, "smem_cta_max", &r->L->smem_cta_max_at);
    mark(r, n, "warps_full_rate", &r->L->warps_full_rate_at);
    mark(r, n, "max_threads_cta", &r->L->threads_cta_at);
    if (get_int(r, n, "tpcs", w, 1, 64, &s->tpcs) ||
        get_int(r, n, "sms_per_tpc", w, 1, 4, &s->sms_per_tpc) ||
        get_freq(r, n, "max_clock", w, &g->clock_hz) ||
        parse_rates(r, n, "cuda_flops_per_clk", g->cuda_flops_per_clk) ||
        parse_rates(r, n, "tensor_flops_per_clk", g->tensor_flops_per_clk) ||
        get_double(r, n, "sparse_factor", w, 1, 8, &g->sparse_factor) ||
        get_double(r, n, "sparse_meta_bits", w, 0, 16, &g->sparse_meta_bits) ||
        get_double(r, n, "tensor_efficiency", w, 0.01, 1, &g->tensor_efficiency) ||
        get_double(r, n, "cuda_efficiency", w, 0.01, 1, &g->cuda_efficiency) ||
        get_double(r, n, "sfu_ops_per_clk", w, 1, 1024, &g->sfu_ops_per_clk) ||
        get_int(r, n, "warp_size", w, 1, 64, &g->warp_size) ||
        get_int(r, n, "max_threads_sm", w, 32, 4096, &g->max_threads_sm) ||
        get_int(r, n, "max_ctas_sm", w, 1, 64, &g->max_ctas_sm) ||
        get_int(r, n, "max_threads_cta", w, 32, 4096, &g->max_threads_cta) ||
        get_int(r, n, "regs_sm", w, 1024, 1 << 20, &g->regs_sm) ||
        get_int(r, n, "max_regs_thread", w, 16, 1024, &g->max_regs_thread) ||
        get_int(r, n, "reg_alloc_unit", w, 1, 4096, &g->reg_alloc_unit) ||
        get_size(r, n, "smem_sm", w, 0, 16 << 20, &g->smem_sm) ||
        get_size(r, n, "smem_cta_max", w, 0, 16 << 20, &g->smem_cta_max) ||
        get_size(r, n, "smem_cta_reserved", w, 0, 64 << 10, &g->smem_cta_reserved) ||
        get_int(r, n, "warps_full_rate", w, 1, 128, &g->warps_full_rate) ||
        get_size(r, n, "l2_size", w, 0, 1 << 30, &g->l2_bytes) ||
        get_size(r, n, "sm_dram_per_clk", w, 1, 4096, &g->sm_dram_bytes_per_clk) ||
        get_duration(r, n, "launch_overhead", w, MIN_LAUNCH_PS, MAX_GPU_COST_PS, 1e-12,
                     &g->launch_overhead_s) ||
        get_duration(r, n, "timeslice", w, MIN_TIMESLICE_PS, MAX_GPU_COST_PS, 1e-12,
                     &g->timeslice_s) ||
        get_duration(r, n, "context_switch", w, MIN_SWITCH_PS, MAX_GPU_COST_PS, 1e-12,
                     &g->context_switch_s))
        return DIAG_ERR;
    return 0;
}

/* The DLA's hardware description (models/dla.h); required with a count > 0. */
static int parse_dla(rd_t *r, yaml_node_t *n)
{
    dla_spec_t *a = &r->L->sku->dla;
    const char *w = "dla section";
    int atom_c = a->atom_c, atom_k = a->atom_k, fold = a->tap_fold_max, min_c = a->sparse_min_c;
    int cycles;
    cycles = (int)a->layer_overhead_falcon_cycles;
    if (get_double(r, n, "int8_macs_per_clk", w, 1, 1 << 20, &a->int8_macs_per_clk) ||
        get_double(r, n, "fp16_macs_per_clk", w, 1, 1 << 20, &a->fp16_macs_per_clk) ||
        get_int(r, n, "atom_c", w, 1, 4096, &atom_c) ||
        get_int(r, n, "atom_k", w, 1, 4096, &atom_k) ||
        get_int(r, n, "tap_fold_max", w, 0, 64, &fold) ||
        get_double(r, n, "sparse_factor", w, 1, 8, &a->sparse_factor) ||
        get_int(r, n, "sparse_min_c", w, 0, 8192, &min_c) ||
        get_size(r, n, "sram", w, 1024, 1 << 30, &a->sram_bytes) ||
        get_double(r, n, "sdp_elems_per_clk", w, 0.01, 4096, &a->sdp_elems_per_clk) ||
        get_double(r, n, "pdp_elems_per_clk", w, 0.01, 4096, &a->pdp_elems_per_clk) ||
        get_bandwidth(r, n, "dram_bandwidth", w, &a->dram_Bps) ||
        get_int(r, n, "layer_overhead_falcon_cycles", w, 0, 100000000, &cycles) ||
        get_duration(r, n, "task_overhead", w, 0, 1000000000000ull, 1e-12, &a->task_overhead_s))
        return DIAG_ERR;
    a->atom_c = atom_c;
    a->atom_k = atom_k;
    a->tap_fold_max = fold;
    a->sparse_min_c = min_c;
    a->layer_overhead_falcon_cycles = cycles;
    return 0;
}

static int parse_engines(rd_t *r, yaml_node_t *root)
{
    sku_t *s = r->L->sku;
    yaml_node_t *n;
    if (section(r, root, "dram", DRAM_KEYS, &n) != 0)
        return DIAG_ERR;
    if (n && (get_int(r, n, "bus_bits", "dram section", 16, 1024, &s->dram.bus_bits) ||
              get_freq(r, n, "max_emc_clock", "dram section", &s->dram.emc_hz) ||
              get_double(r, n, "efficiency", "dram section", 0.01, 1, &s->dram.efficiency) ||
              get_size(r, n, "capacity", "dram section", 1 << 20, 1099511627776.0,
                       &s->dram_capacity) ||
              get_size(r, n, "reserved", "dram section", 0, 1099511627776.0,
                       &s->dram_reserved) ||
              get_duration(r, n, "latency", "dram section", 0, 100000000ull, 1.0,
                           &s->dram.latency_ps)))
        return DIAG_ERR;
    if (n) {
        /* The later of the two, in reading order (a child's after its parent's). */
        yaml_node_t *c = ydoc_get(r->y, n, "reserved");
        if (c == NULL)
            c = ydoc_get(r->y, n, "capacity");
        if (c != NULL)
            r->L->reserved_at = at_node(r, c);
    }
    if (n && s->dram.bus_bits % 16 != 0)
        return ydoc_error(r->y, ydoc_get(r->y, n, "bus_bits"), r->d,
                          "bus_bits = %d is not a whole number of 16-bit LPDDR5 channels",
                          s->dram.bus_bits);
    if (section(r, root, "cpu", CPU_KEYS, &n) != 0)
        return DIAG_ERR;
    if (n && (get_int(r, n, "cores", "cpu section", 1, 64, &s->cpus) ||
              get_freq(r, n, "max_clock", "cpu section", &s->cpu_max_hz) ||
              get_bandwidth(r, n, "dram_bandwidth_per_core", "cpu section",
                            &s->cpu_dram_Bps_per_core)))
        return DIAG_ERR;

    /* DLA and PVA: clocks are required only when the module has the engine. */
    for (int e = 0; e < 2; e++) {
        const char *key = e ? "pva" : "dla", *what = e ? "pva section" : "dla section";
        const char *aux = e ? "axi_max_clock" : "falcon_max_clock";
        int *count = e ? &s->pvas : &s->dlas;
        double *hz = e ? &s->pva_max_hz : &s->dla_max_hz;
        double *aux_hz = e ? &s->pva_axi_max_hz : &s->dla_falcon_max_hz;
        rd_t rr = *r;
        if (section(r, root, key, e ? PVA_KEYS : DLA_KEYS, &n) != 0)
            return DIAG_ERR;
        if (n == NULL)
            continue;
        r->L->engine_at[e] = at_node(r, n);
        if (get_int(r, n, "count", what, 0, 8, count) != 0)
            return DIAG_ERR;
        rr.base = r->base && *count > 0;
        if (get_freq(&rr, n, "max_clock", what, hz) || get_freq(&rr, n, aux, what, aux_hz))
            return DIAG_ERR;
        if (e == 0 && parse_dla(&rr, n) != 0)
            return DIAG_ERR;
        if (*count == 0)
            *hz = *aux_hz = 0;
        if (e == 0 && *count == 0)
            memset(&s->dla, 0, sizeof s->dla);
    }
    return 0;
}

/* A mode cap: absent or `max` = CAP_MAX; otherwise a frequency (or a count for ints). */
static int parse_cap(rd_t *r, yaml_node_t *m, int idx, int cap, double *hz, int *count)
{
    yaml_node_t *n = ydoc_get(r->y, m, CAP_KEYS[cap]);
    const char *s = ydoc_str(n);
    int64_t v;
    if (hz)
        *hz = CAP_MAX;
    else
        *count = (int)CAP_MAX;
    if (n == NULL)
        return 0;
    r->L->cap_at[idx][cap] = at_node(r, n);
    if (s && strcmp(s, "max") == 0)
        return 0;
    if (hz)
        return ydoc_freq(r->y, n, CAP_KEYS[cap], HZ_MIN, HZ_MAX, hz, r->d);
    if (ydoc_int(r->y, n, CAP_KEYS[cap], 1, 64, &v, r->d) != 0)
        return DIAG_ERR;
    *count = (int)v;
    return 0;
}

static int parse_mode(rd_t *r, yaml_node_t *m, int idx)
{
    sku_mode_t *md = &r->L->sku->modes[idx];
    yaml_node_t *n;
    int64_t id;
    const char *s;
    int ok = 0;

    if (ydoc_expect_map(r->y, m, "a mode", r->d) ||
        ydoc_check_keys(r->y, m, MODE_KEYS, "a mode", r->d))
        return DIAG_ERR;
    memset(md, 0, sizeof *md);
    memset(r->L->cap_at[idx], 0, sizeof r->L->cap_at[idx]);
    /* name, id and bsp are required in every mode, inherited file or not */
    n = ydoc_require(r->y, m, "name", "a mode", r->d);
    if (n == NULL || ydoc_string(r->y, n, "mode name", md->name, sizeof md->name, r->d))
        return DIAG_ERR;
    r->L->name_at[idx] = at_node(r, n);
    for (s = md->name; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.')
            return ydoc_error(r->y, n, r->d, "mode name '%s' may hold only letters, digits, "
                              "'_' and '.'", md->name);
    if (md->name[strspn(md->name, "0123456789")] == '\0')
        return ydoc_error(r->y, n, r->d, "mode name '%s' is a number: numbers select modes "
                          "by nvpmodel ID", md->name);
    n = ydoc_require(r->y, m, "id", "a mode", r->d);
    if (n == NULL || ydoc_int(r->y, n, "id", 0, 99, &id, r->d))
        return DIAG_ERR;
    md->id = (int)id;
    n = ydoc_require(r->y, m, "bsp", "a mode", r->d);
    if (n == NULL || ydoc_string(r->y, n, "bsp", md->bsp, sizeof md->bsp, r->d))
        return DIAG_ERR;
    for (const char *const *b = BSPS; *b; b++)
        ok |= strcmp(*b, md->bsp) == 0;
    if (!ok)
        return ydoc_error(r->y, n, r->d, "unknown bsp '%s' (expected one of: jp5, jp6, jp62)",
                          md->bsp);
    if (parse_cap(r, m, idx, CAP_CPUS, NULL, &md->cpus_online) ||
        parse_cap(r, m, idx, CAP_CPU, &md->cpu_max_hz, NULL) ||
        parse_cap(r, m, idx, CAP_TPCS, NULL, &md->tpcs) ||
        parse_cap(r, m, idx, CAP_GPU, &md->gpu_max_hz, NULL) ||
        parse_cap(r, m, idx, CAP_EMC, &md->emc_max_hz, NULL) ||
        parse_cap(r, m, idx, CAP_DLA, &md->dla_hz, NULL) ||
        parse_cap(r, m, idx, CAP_DLA_FALCON, &md->dla_falcon_hz, NULL) ||
        parse_cap(r, m, idx, CAP_PVA, &md->pva_vps_hz, NULL) ||
        parse_cap(r, m, idx, CAP_PVA_AXI, &md->pva_axi_hz, NULL))
        return DIAG_ERR;
    return 0;
}

static int parse_modes(rd_t *r, yaml_node_t *root)
{
    sku_t *s = r->L->sku;
    int err;
    yaml_node_t *n = field(r, root, "modes", "a SKU file", &err);
    size_t len;
    if (err)
        return DIAG_ERR;
    if (n != NULL) {   /* a child's list replaces the inherited one */
        if (ydoc_expect_seq(r->y, n, "modes", r->d) != 0)
            return DIAG_ERR;
        len = ydoc_seq_len(n);
        if (len < 1 || len > SKU_MAX_MODES)
            return ydoc_error(r->y, n, r->d, "modes lists %zu modes (expected 1 to %d)", len,
                              SKU_MAX_MODES);
        s->nmodes = (int)len;
        for (size_t i = 0; i < len; i++)
            if (parse_mode(r, ydoc_seq_at(r->y, n, i), (int)i) != 0)
                return DIAG_ERR;
        r->L->default_at = at_node(r, n);
    }
    n = field(r, root, "default_mode", "a SKU file", &err);
    if (err)
        return DIAG_ERR;
    if (n != NULL) {
        if (ydoc_string(r->y, n, "default_mode", r->L->default_name,
                        sizeof r->L->default_name, r->d) != 0)
            return DIAG_ERR;
        r->L->default_at = at_node(r, n);
    }
    return 0;
}

/* The PVA cost table (models/pva.h, docs/pva.md): required in a base file when the module
 * has a PVA, overridable entry by entry in a child. Runs after parse_engines, so the
 * count and clocks in effect are known; vps_hz is the hardware maximum here and the
 * mode's cap in sku_resolve. */
static int parse_pva(rd_t *r, yaml_node_t *root)
{
    static const char *const OP_KEYS[] = {"cycles_per_pixel", "bytes_in", "bytes_out", NULL};
    sku_t *s = r->L->sku;
    pva_spec_t *p = &s->pva;
    const char *w = "pva section";
    char what[64];
    const char *ops_keys[PVA_OP_COUNT + 1];
    yaml_node_t *n = ydoc_get(r->y, root, "pva"), *ops;
    rd_t rr = *r;
    int err, k;

    if (n != NULL) {   /* parse_engines has checked the section's keys */
        rr.base = r->base && s->pvas > 0;
        if (get_int(&rr, n, "vps", w, 1, 8, &p->vps) ||
            get_bandwidth(&rr, n, "dma_bandwidth", w, &p->dram_Bps) ||
            get_duration(&rr, n, "op_overhead", w, 0, 1000000000000ull, 1e-12, &p->op_overhead_s))
            return DIAG_ERR;
        ops = field(&rr, n, "ops", w, &err);
        if (err)
            return DIAG_ERR;
        for (k = 0; k < PVA_VPU; k++)   /* the generic vpu op carries its own cost */
            ops_keys[k] = pva_op_name((pva_op_kind_t)k);
        ops_keys[k] = NULL;
        if (ops && (ydoc_expect_map(r->y, ops, "pva.ops", r->d) ||
                    ydoc_check_keys(r->y, ops, ops_keys, "pva.ops", r->d)))
            return DIAG_ERR;
        for (k = 0; ops && k < PVA_VPU; k++) {
            yaml_node_t *e;
            snprintf(what, sizeof what, "pva.ops.%s", ops_keys[k]);
            e = field(&rr, ops, ops_keys[k], "pva.ops", &err);
            if (err)
                return DIAG_ERR;
            if (e == NULL)
                continue;
            if (ydoc_expect_map(r->y, e, what, r->d) ||
                ydoc_check_keys(r->y, e, OP_KEYS, what, r->d) ||
                get_double(&rr, e, "cycles_per_pixel", what, 1e-3, 1e5,
                           &p->cycles_per_pixel[k]) ||
                get_double(&rr, e, "bytes_in", what, 0, 64, &p->bytes_per_pixel_in[k]) ||
                get_double(&rr, e, "bytes_out", what, 0, 64, &p->bytes_per_pixel_out[k]))
                return DIAG_ERR;
        }
    }
    if (s->pvas == 0) {
        memset(p, 0, sizeof *p);
        return 0;
    }
    /* A child that gives a PVA to a module without one must give the whole table. */
    for (k = 0; k < PVA_VPU; k++)
        if (p->cycles_per_pixel[k] == 0)
            break;
    if (p->vps == 0 || p->dram_Bps == 0 || k < PVA_VPU)
        return at_error(r->L, r->L->engine_at[1], r->d, "pva count is %d but its cost table "
                        "is incomplete (vps, dma_bandwidth, op_overhead and every op of "
                        "pva.ops are required)", s->pvas);
    p->vps_hz = s->pva_max_hz;
    return 0;
}

/* ---- names and files ---- */

/* <the executable's directory>/ORINSIM_INSTALL_CONFIG_REL (../share/orinsim/configs as
 * GNUInstallDirs lays it out), written to `buf`; 0 when the executable's path is unknown. */
static int installed_dir(char *buf, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);
    char *slash;
    if (n <= 0 || (size_t)n >= len - 1)
        return 0;
    buf[n] = '\0';
    if ((slash = strrchr(buf, '/')) == NULL)
        return 0;
    *slash = '\0';
    return (size_t)snprintf(slash, len - (size_t)(slash - buf), "/%s",
                            ORINSIM_INSTALL_CONFIG_REL) < len - (size_t)(slash - buf);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *sku_config_dir(void)
{
    /* Per thread: a batch loads its modules on one thread, but any thread may ask. */
    static _Thread_local char installed[4096];
    const char *e = getenv("ORINSIM_CONFIG_DIR");
    if (installed_dir(installed, sizeof installed) && is_dir(installed))
        return installed;
    if (e && e[0])
        return e;
    return ORINSIM_BUILD_CONFIG_DIR;
}

void sku_config_search(char *buf, size_t len)
{
    char installed[4096];
    const char *e = getenv("ORINSIM_CONFIG_DIR");
    if (!installed_dir(installed, sizeof installed))
        snprintf(installed, sizeof installed, "(the executable's path is unknown)/%s",
                 ORINSIM_INSTALL_CONFIG_REL);
    snprintf(buf, len, "%s (%s), $ORINSIM_CONFIG_DIR (%s%s), %s (%s)", installed,
             is_dir(installed) ? "found" : "absent", e && e[0] ? e : "not set",
             e && e[0] && !is_dir(e) ? ": absent" : "", ORINSIM_BUILD_CONFIG_DIR,
             is_dir(ORINSIM_BUILD_CONFIG_DIR) ? "found" : "absent");
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

int sku_list(char names[][SKU_NAME_LEN], int max)
{
    DIR *dir = opendir(sku_config_dir());
    struct dirent *e;
    int n = 0;
    if (dir == NULL)
        return 0;
    while ((e = readdir(dir)) != NULL && n < max) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || len - 5 >= SKU_NAME_LEN || e->d_name[0] == '.' ||
            strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        memcpy(names[n], e->d_name, len - 5);
        names[n][len - 5] = '\0';
        n++;
    }
    closedir(dir);
    qsort(names, (size_t)n, SKU_NAME_LEN, cmp_names);
    return n;
}

static int is_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') != NULL || (n > 5 && strcmp(s + n - 5, ".yaml") == 0);
}

/* Path of a shipped SKU, or an error (at `file`:`line`:`col` if given) listing them all. */
static int shipped_path(const char *name, char *path, size_t len, const char *file, int line,
                        int col, diag_t *d)
{
    char names[SKU_MAX_SHIPPED][SKU_NAME_LEN], list[1024] = "";
    struct stat st;
    int n, ok = name[0] != '\0';
    for (const char *p = name; *p; p++)
        ok &= isalnum((unsigned char)*p) || *p == '-' || *p == '_';
    if (ok && (size_t)snprintf(path, len, "%s/%s.yaml", sku_config_dir(), name) < len &&
        stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return 0;
    n = sku_list(names, SKU_MAX_SHIPPED);
    for (int i = 0; i < n; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
    }
    if (n == 0) {
        char where[3 * 4096];
        sku_config_search(where, sizeof where);
        return diag_error(d, file, line, col, "unknown SKU '%s': no shipped SKU files found "
                          "(looked in, in order: %s; set ORINSIM_CONFIG_DIR to the configs "
                          "directory, or give a path to a .yaml file)", name, where);
    }
    return diag_error(d, file, line, col,
                      "unknown SKU '%s' (shipped SKUs in %s: %s; or give a path to a .yaml file)",
                      name, sku_config_dir(), list);
}

static int mode_name_eq(const char *a, const char *b)
{
    if (strncasecmp(a, "MODE_", 5) == 0)
        a += 5;
    if (strncasecmp(b, "MODE_", 5) == 0)
        b += 5;
    return strcasecmp(a, b) == 0;
}

static int find_mode(const sku_t *s, const char *name)
{
    for (int i = 0; i < s->nmodes; i++)
        if (mode_name_eq(s->modes[i].name, name))
            return i;
    return -1;
}

/* ---- one file of a chain ---- */

static int load_chain(loader_t *L, const char *path, const char *expect_name,
                      diag_t *d);

static int read_file(loader_t *L, ydoc_t *y, const char *path, const char *expect_name,
                     diag_t *d)
{
    yaml_node_t *root = ydoc_root(y), *n;
    rd_t r = {y, L, 0, 1, d};
    sku_t *s = L->sku;

    if (L->nfiles >= SKU_MAX_DEPTH)
        return ydoc_error(y, root, d, "inherits chain is deeper than %d files (a cycle?)",
                          SKU_MAX_DEPTH - 1);
    r.file = L->nfiles++;
    snprintf(L->files[r.file], sizeof L->files[r.file], "%s", path);
    if (ydoc_expect_map(y, root, "a SKU file", d) ||
        ydoc_check_keys(y, root, TOP_KEYS, "a SKU file", d))
        return DIAG_ERR;
    if ((n = ydoc_get(y, root, "inherits")) != NULL) {
        char parent[512];
        const char *v;
        if (ydoc_expect_scalar(y, n, "inherits", d))
            return DIAG_ERR;
        v = ydoc_str(n);
        if (!is_path(v)) {
            if (shipped_path(v, parent, sizeof parent, path, ydoc_line(n), ydoc_col(n), d))
                return DIAG_ERR;
        } else {
            /* A relative path is relative to the inheriting file, not to the caller. */
            const char *slash = strrchr(path, '/');
            int dirlen = slash ? (int)(slash - path) : 1;
            struct stat st;
            if ((size_t)(v[0] == '/' ? snprintf(parent, sizeof parent, "%s", v)
                                     : snprintf(parent, sizeof parent, "%.*s/%s", dirlen,
                                                slash ? path : ".", v)) >= sizeof parent)
                return ydoc_error(y, n, d, "inherits path is too long");
            if (strlen(v) < 5 || strcmp(v + strlen(v) - 5, ".yaml") != 0)
                /* Not read at all: a message about some other file's first key would
                 * show that file's content (inherits: /etc/shadow). */
                return ydoc_error(y, n, d, "inherits: '%s' is not a .yaml file (expected a "
                                  "SKU name or a .yaml file)", v);
            if (stat(parent, &st) != 0 || !S_ISREG(st.st_mode))
                return ydoc_error(y, n, d, "inherits: cannot open '%s' (expected a SKU name "
                                  "or a .yaml file)", parent);
        }
        if (load_chain(L, parent, is_path(v) ? NULL : v, d) != 0)
            return DIAG_ERR;
        r.base = 0;
    }
    n = ydoc_get(y, root, "sku");
    if (n == NULL)
        return ydoc_require(y, root, "sku", "a SKU file", d), DIAG_ERR;
    if (ydoc_string(y, n, "sku", s->name, sizeof s->name, d))
        return DIAG_ERR;
    if (expect_name && strcmp(s->name, expect_name) != 0)
        return ydoc_error(y, n, d, "sku: '%s' does not match the file name '%s.yaml'", s->name,
                          expect_name);
    n = ydoc_require(y, root, "title", "a SKU file", d);
    if (n == NULL || ydoc_string(y, n, "title", s->title, sizeof s->title, d))
        return DIAG_ERR;
    if (parse_gpu(&r, root) || parse_engines(&r, root) || parse_modes(&r, root))
        return DIAG_ERR;
    if (parse_pva(&r, root))
        return DIAG_ERR;
    if (sku_power_parse(y, root, &s->power, &L->power_names, r.file, d))
        return DIAG_ERR;
    snprintf(s->path, sizeof s->path, "%s", path);
    return 0;
}

static int load_chain(loader_t *L, const char *path, const char *expect_name,
                      diag_t *d)
{
    ydoc_t y;
    int rc;
    if (ydoc_load_file(&y, path, d) != 0)
        return DIAG_ERR;
    rc = read_file(L, &y, path, expect_name, d);
    ydoc_free(&y);
    return rc;
}

/* ---- after the whole chain: resolve `max`, check caps and cross-field limits ---- */

static int check_cap(const loader_t *L, int i, int cap, double *v, double hw, int has_unit,
                     diag_t *d)
{
    const sku_mode_t *m = &L->sku->modes[i];
    static const char *const UNIT_NAME[CAP_COUNT] = {
        "CPU cores", "cpu.max_clock", "gpu.tpcs", "gpu.max_clock", "dram.max_emc_clock",
        "dla.max_clock", "dla.falcon_max_clock", "pva.max_clock", "pva.axi_max_clock"};
    if (*v == CAP_MAX) {
        *v = hw;
        return 0;
    }
    if (hw == 0)
        return at_error(L, L->cap_at[i][cap], d, "mode '%s' sets %s, but the module has no %s",
                        m->name, CAP_KEYS[cap], cap >= CAP_PVA ? "PVA" : "DLA");
    if (*v > hw * (1 + 1e-12)) {
        if (has_unit)
            return at_error(L, L->cap_at[i][cap], d,
                            "%s = %g MHz in mode '%s' is above the hardware maximum %g MHz (%s)",
                            CAP_KEYS[cap], *v / 1e6, m->name, hw / 1e6, UNIT_NAME[cap]);
        return at_error(L, L->cap_at[i][cap], d,
                        "%s = %g in mode '%s' is above the hardware maximum %g (%s)",
                        CAP_KEYS[cap], *v, m->name, hw, UNIT_NAME[cap]);
    }
    return 0;
}

static int finish(loader_t *L, diag_t *d)
{
    sku_t *s = L->sku;
    gpu_spec_t *g = &s->gpu;

    g->sms = s->tpcs * s->sms_per_tpc;
    if (s->dram_reserved >= s->dram_capacity) {
        char res[32], cap[32];
        units_fmt_bytes(s->dram_reserved, res, sizeof res);
        units_fmt_bytes(s->dram_capacity, cap, sizeof cap);
        return at_error(L, L->reserved_at, d, "dram.reserved = %s leaves nothing of "
                        "dram.capacity = %s (expected less than the capacity)", res, cap);
    }
    for (int e = 0; e < 2; e++)
        if ((e ? s->pvas : s->dlas) > 0 &&
            ((e ? s->pva_max_hz : s->dla_max_hz) == 0 ||
             (e ? s->pva_axi_max_hz : s->dla_falcon_max_hz) == 0))
            return at_error(L, L->engine_at[e], d, "%s count is %d but its clocks are not "
                            "given", e ? "pva" : "dla", e ? s->pvas : s->dlas);
    if (s->dlas > 0 && s->dla.int8_macs_per_clk == 0)
        return at_error(L, L->engine_at[0], d, "dla count is %d but its hardware "
                        "(int8_macs_per_clk, sram, ...) is not given", s->dlas);
    s->dla.clock_hz = s->dla_max_hz;
    if (s->dlas > 0)
        s->dla.layer_overhead_s = s->dla.layer_overhead_falcon_cycles / s->dla_falcon_max_hz;
    if (g->smem_cta_max > g->smem_sm)
        return at_error(L, L->smem_cta_max_at, d,
                        "smem_cta_max = %g B is above smem_sm = %g B", g->smem_cta_max, g->smem_sm);
    if (g->max_threads_cta > g->max_threads_sm)
        return at_error(L, L->threads_cta_at, d,
                        "max_threads_cta = %d is above max_threads_sm = %d",
                        g->max_threads_cta, g->max_threads_sm);
    if (g->warps_full_rate * g->warp_size > g->max_threads_sm)
        return at_error(L, L->warps_full_rate_at, d,
                        "warps_full_rate = %d is more warps than an SM holds (%d)",
                        g->warps_full_rate, g->max_threads_sm / g->warp_size);
    for (int i = 0; i < s->nmodes; i++) {
        sku_mode_t *m = &s->modes[i];
        double cpus = m->cpus_online, tpcs = m->tpcs;
        for (int j = 0; j < i; j++) {
            if (mode_name_eq(m->name, s->modes[j].name))
                return at_error(L, L->name_at[i], d, "mode name '%s' repeats '%s' (names are "
                                "compared without case and without a MODE_ prefix)",
                                m->name, s->modes[j].name);
            if (m->id == s->modes[j].id && strcmp(m->bsp, s->modes[j].bsp) == 0)
                return at_error(L, L->name_at[i], d, "mode '%s' repeats nvpmodel ID %d of "
                                "mode '%s' in bsp %s", m->name, m->id, s->modes[j].name, m->bsp);
        }
        if (check_cap(L, i, CAP_CPUS, &cpus, s->cpus, 0, d) ||
            check_cap(L, i, CAP_CPU, &m->cpu_max_hz, s->cpu_max_hz, 1, d) ||
            check_cap(L, i, CAP_TPCS, &tpcs, s->tpcs, 0, d) ||
            check_cap(L, i, CAP_GPU, &m->gpu_max_hz, g->clock_hz, 1, d) ||
            check_cap(L, i, CAP_EMC, &m->emc_max_hz, s->dram.emc_hz, 1, d) ||
            check_cap(L, i, CAP_DLA, &m->dla_hz, s->dla_max_hz, 1, d) ||
            check_cap(L, i, CAP_DLA_FALCON, &m->dla_falcon_hz, s->dla_falcon_max_hz, 1, d) ||
            check_cap(L, i, CAP_PVA, &m->pva_vps_hz, s->pva_max_hz, 1, d) ||
            check_cap(L, i, CAP_PVA_AXI, &m->pva_axi_hz, s->pva_axi_max_hz, 1, d))
            return DIAG_ERR;
        m->cpus_online = (int)cpus;
        m->tpcs = (int)tpcs;
    }
    if (sku_power_finish(&s->power, &L->power_names, L->files[L->power_names.file], g->clock_hz,
                         s->cpu_max_hz, s->dla_max_hz, s->pva_max_hz, s->dram.emc_hz, d))
        return DIAG_ERR;
    s->default_mode = find_mode(s, L->default_name);
    if (s->default_mode < 0)
        return at_error(L, L->default_at, d, "default_mode '%s' is not one of the modes",
                        L->default_name);
    return 0;
}

int sku_load(const char *name_or_path, sku_t *out, diag_t *d)
{
    loader_t *L;
    char path[512];
    int rc;
    if (!is_path(name_or_path) &&
        shipped_path(name_or_path, path, sizeof path, NULL, 0, 0, d) != 0)
        return DIAG_ERR;
    L = calloc(1, sizeof *L);
    if (L == NULL)
        return diag_error(d, name_or_path, 0, 0, "out of memory loading the SKU");
    memset(out, 0, sizeof *out);
    L->sku = out;
    if (is_path(name_or_path))
        rc = load_chain(L, name_or_path, NULL, d);
    else
        rc = load_chain(L, path, name_or_path, d);
    if (rc == 0)
        rc = finish(L, d);
    free(L);
    return rc;
}

/* ---- resolving a mode ---- */

int sku_resolve(const sku_t *sku, const char *mode, soc_config_t *out, diag_t *d)
{
    int idx = -1;
    const sku_mode_t *m;
    if (mode == NULL || mode[0] == '\0') {
        idx = sku->default_mode;
    } else if (mode[strspn(mode, "0123456789")] == '\0' && strlen(mode) < 4) {
        /* An nvpmodel ID (`nvpmodel -m N`). IDs are per BSP file: where JetPack 5's and
         * JetPack 6.2's modes share an ID, the ID alone does not say which is meant. */
        char list[1024] = "";
        int n = 0;
        for (int i = 0; i < sku->nmodes; i++)
            if (sku->modes[i].id == atoi(mode)) {
                size_t used = strlen(list);
                snprintf(list + used, sizeof list - used, "%s%s (ID %d %s)", n ? ", " : "",
                         sku->modes[i].name, sku->modes[i].id, sku->modes[i].bsp);
                idx = i;
                n++;
            }
        if (n > 1)
            return diag_error(d, sku->path, 0, 0, "mode ID %s of %s is ambiguous: %s; give "
                              "the mode by name", mode, sku->name, list);
    } else {
        idx = find_mode(sku, mode);
    }
    if (idx < 0) {
        char list[1024] = "";
        for (int i = 0; i < sku->nmodes; i++) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s%s (ID %d %s%s)", i ? ", " : "",
                     sku->modes[i].name, sku->modes[i].id, sku->modes[i].bsp,
                     i == sku->default_mode ? ", default" : "");
        }
        return diag_error(d, sku->path, 0, 0, "unknown mode '%s' for %s; modes: %s", mode,
                          sku->name, list);
    }
    m = &sku->modes[idx];
    memset(out, 0, sizeof *out);
    out->sku = sku;
    out->mode = m;
    out->gpu = sku->gpu;
    out->gpu.sms = m->tpcs * sku->sms_per_tpc;
    out->gpu.clock_hz = m->gpu_max_hz;
    out->dram = sku->dram;
    out->dram.emc_hz = m->emc_max_hz;
    out->cpus = m->cpus_online;
    out->cpu_hz = m->cpu_max_hz;
    out->dlas = sku->dlas;
    out->dla = sku->dla;
    if (sku->dlas > 0) {
        out->dla.clock_hz = m->dla_hz;
        out->dla.layer_overhead_s = sku->dla.layer_overhead_falcon_cycles / m->dla_falcon_hz;
    }
    out->pvas = sku->pvas;
    out->pva = sku->pva;
    out->pva.vps_hz = m->pva_vps_hz;
    if (sku->pva_axi_max_hz > 0)   /* the DMA engines run on the AXI clock (U, docs/pva.md) */
        out->pva.dram_Bps = sku->pva.dram_Bps * m->pva_axi_hz / sku->pva_axi_max_hz;
    out->power = sku->power;
    return 0;
}

double soc_peak_flops(const soc_config_t *c, dtype_t t, int tensor, int sparse)
{
    const gpu_spec_t *g = &c->gpu;
    double per_clk;
    if (t < 0 || t >= DT_COUNT)
        return 0;
    per_clk = tensor ? g->tensor_flops_per_clk[t] * (sparse ? g->sparse_factor : 1.0)
                     : g->cuda_flops_per_clk[t];
    return per_clk * g->sms * g->clock_hz;
}

double soc_peak_dram_Bps(const soc_config_t *c)
{
    return dram_peak_Bps(&c->dram);
}
