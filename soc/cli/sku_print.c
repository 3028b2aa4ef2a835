/*
 * sku_print: the reports of `orinsim skus` (every shipped module and its modes) and
 * `orinsim sku NAME [--mode M]` (one module under one mode: counts, clocks, peaks).
 *
 * Everything printed is computed from the resolved soc_config_t, so the report shows
 * exactly what a simulation of that mode would be built from. Output is deterministic:
 * SKUs in name order, modes in file order, fixed number formats.
 */
#include <stdio.h>
#include <string.h>

#include "soc/cli/commands.h"
#include "soc/sku/sku.h"

static void mhz(char *buf, size_t len, double hz)
{
    snprintf(buf, len, "%.1f MHz", hz / 1e6);
    /* "1300.0 MHz" -> "1300 MHz": keep a decimal only where the clock has one. */
    if (strstr(buf, ".0 MHz"))
        snprintf(buf, len, "%.0f MHz", hz / 1e6);
}

void sku_print_list(FILE *out)
{
    char names[64][SKU_NAME_LEN];
    int n = sku_list(names, 64);
    fprintf(out, "%-16s %-32s %s\n", "SKU", "module", "modes (* = default)");
    for (int i = 0; i < n; i++) {
        sku_t s;
        diag_t d;
        diag_clear(&d);
        if (sku_load(names[i], &s, &d) != 0) {
            char msg[2048];
            diag_format(&d, msg, sizeof msg);
            fprintf(out, "%-16s %s\n", names[i], msg);
            continue;
        }
        fprintf(out, "%-16s %-32s", s.name, s.title);
        for (int m = 0; m < s.nmodes; m++)
            fprintf(out, "%s%s%s", m ? ", " : " ", s.modes[m].name,
                    m == s.default_mode ? "*" : "");
        fputc('\n', out);
    }
    if (n == 0) {
        char where[3 * 4096];
        sku_config_search(where, sizeof where);
        fprintf(out, "(no SKU files found; looked in, in order: %s)\n", where);
    }
}

static void peak_cell(FILE *out, double v, int integer)
{
    char cell[32] = "-";
    if (v > 0)
        snprintf(cell, sizeof cell, "%.2f %s", v / 1e12, integer ? "TOPS" : "TFLOPS");
    fprintf(out, "  %16s", cell);
}

void sku_print(FILE *out, const soc_config_t *c)
{
    const sku_t *s = c->sku;
    const sku_mode_t *m = c->mode;
    const gpu_spec_t *g = &c->gpu;
    char a[32], b[32], l2[32];
    double peak = soc_peak_dram_Bps(c);

    fprintf(out, "%s (%s), mode %s (nvpmodel ID %d, %s)%s\n", s->title, s->name, m->name,
            m->id, m->bsp, m == &s->modes[s->default_mode] ? ", the default" : "");
    fprintf(out, "  config   %s\n", s->path);
    mhz(a, sizeof a, g->clock_hz);
    mhz(b, sizeof b, s->gpu.clock_hz);
    /* A CUDA core is one FP32 FMA lane: 2 FLOP per clock. */
    fprintf(out, "  GPU      %d of %d TPCs = %d SMs, %.0f CUDA cores, %s (max %s)\n",
            m->tpcs, s->tpcs, g->sms, g->sms * g->cuda_flops_per_clk[DT_FP32] / 2, a, b);
    snprintf(l2, sizeof l2, "%.0f KiB", g->l2_bytes / 1024);
    if (g->l2_bytes >= 1048576 && (long long)g->l2_bytes % 1048576 == 0)
        snprintf(l2, sizeof l2, "%.0f MiB", g->l2_bytes / 1048576);
    fprintf(out, "           L2 %s, shared memory %.0f KiB/SM, %d threads/SM\n", l2,
            g->smem_sm / 1024, g->max_threads_sm);
    fprintf(out, "           launch %.0f us; between processes: %.0f us time slice, %.0f us "
                 "per context switch\n",
            g->launch_overhead_s * 1e6, g->timeslice_s * 1e6, g->context_switch_s * 1e6);
    mhz(a, sizeof a, c->cpu_hz);
    mhz(b, sizeof b, s->cpu_max_hz);
    fprintf(out, "  CPU      %d of %d cores online, %s (max %s)\n", c->cpus, s->cpus, a, b);
    mhz(a, sizeof a, c->dram.emc_hz);
    mhz(b, sizeof b, s->dram.emc_hz);
    fprintf(out, "  EMC      %s (max %s), %d-bit LPDDR5\n", a, b, c->dram.bus_bits);
    fprintf(out, "  DRAM     peak %.1f GB/s, achievable %.1f GB/s (efficiency %.3f)\n",
            peak / 1e9, peak * c->dram.efficiency / 1e9, c->dram.efficiency);
    if (c->dlas > 0) {
        mhz(a, sizeof a, c->dla.clock_hz);
        mhz(b, sizeof b, m->dla_falcon_hz);
        fprintf(out, "  DLA      %d, core %s, falcon %s\n", c->dlas, a, b);
        /* MACs x 2 ops x clock, per DLA; 2:4 sparsity doubles the INT8 rate. */
        fprintf(out, "           peak INT8 %.1f TOPS dense, %.1f sparse; FP16 %.1f TFLOPS "
                     "(all DLAs)\n",
                c->dlas * c->dla.int8_macs_per_clk * 2 * c->dla.clock_hz / 1e12,
                c->dlas * c->dla.int8_macs_per_clk * 2 * c->dla.sparse_factor * c->dla.clock_hz / 1e12,
                c->dlas * c->dla.fp16_macs_per_clk * 2 * c->dla.clock_hz / 1e12);
    } else {
        fprintf(out, "  DLA      none\n");
    }
    if (c->pvas > 0) {
        mhz(a, sizeof a, c->pva.vps_hz);
        mhz(b, sizeof b, m->pva_axi_hz);
        fprintf(out, "  PVA      %d, VPS %s, AXI %s\n", c->pvas, a, b);
    } else {
        fprintf(out, "  PVA      none\n");
    }
    fprintf(out, "  GPU peak  %16s  %16s  %16s\n", "CUDA cores", "tensor dense",
            "tensor 2:4 sparse");
    for (int t = 0; t < DT_COUNT; t++) {
        int integer = t == DT_INT8 || t == DT_INT4;
        fprintf(out, "    %-6s", dtype_name((dtype_t)t));
        peak_cell(out, soc_peak_flops(c, (dtype_t)t, 0, 0), integer);
        peak_cell(out, soc_peak_flops(c, (dtype_t)t, 1, 0), integer);
        peak_cell(out, soc_peak_flops(c, (dtype_t)t, 1, 1), integer);
        fputc('\n', out);
    }
    fprintf(out, "    special functions (exp2, reciprocal, tanh): %.1f G results/s\n",
            c->gpu.sfu_ops_per_clk * c->gpu.sms * c->gpu.clock_hz / 1e9);
}
