/*
 * check: a GPU described as a SKU, ops simulated one at a time, and the error table.
 *
 * Describing a device. What the device reports about itself (SMs, peak SM clock, L2,
 * memory bus width and clock, occupancy limits) is taken as it is; what it cannot report
 * (math rates per SM per clock and datatype, 2:4 sparsity, efficiencies, launch overhead,
 * DRAM efficiency) comes from the table of its compute capability, configs/gpus/sm_XY.yaml,
 * where every number names its source. The result is a sku_t with one mode, "device", at
 * the reported clocks, resolved like any shipped module, so the simulation of a desktop GPU
 * runs exactly the code that simulates an Orin. A Jetson is not described from a table:
 * it is the shipped Orin SKU closest to its memory size and peak GPU clock, under the power
 * mode it runs in.
 *
 * Simulating one op. Each op is replayed alone: a one-task, one-op, one-frame trace on the
 * resolved SoC, so the prediction is what `orinsim run` would charge that op on an idle
 * GPU: launch overhead plus the kernel, with every input read from DRAM (the check flushes
 * L2 between runs to match, docs/check.md).
 *
 * Error and MAPE. error % = (predicted - measured) / measured x 100 per op; MAPE is the mean
 * of |error %| over the ops of a class (gemm per dtype and dense / 2:4, conv per dtype,
 * attention per dtype, memcpy, elementwise, reduce) and over all ops. Ops that were skipped
 * (no library, unsupported dtype) or that the model cannot run are listed with the reason
 * and left out of every mean.
 *
 * The measurement file (read and written in check_file.c) and the command line
 * (check_cli.c) are separate files; the CUDA side is soc/measure/cuda/.
 */
#include "soc/measure/check.h"

#include <assert.h>
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "soc/io/grow.h"
#include "soc/run/replay.h"
#include "soc/io/units.h"
#include "soc/io/ydoc.h"

/* ---- per-SM tables (configs/gpus) ---- */

static const char *const TABLE_KEYS[] = {
    "compute_capability", "architecture", "cuda_flops_per_clk", "tensor_flops_per_clk",
    "geforce_tensor_flops_per_clk", "sparse_factor", "sparse_meta_bits", "tensor_efficiency",
    "cuda_efficiency", "sfu_ops_per_clk", "warp_size", "max_threads_sm", "max_ctas_sm",
    "max_threads_cta", "regs_sm", "max_regs_thread", "reg_alloc_unit", "smem_sm", "smem_cta_max",
    "smem_cta_reserved", "warps_full_rate", "sm_dram_per_clk", "launch_overhead",
    "dram_efficiency", "dram_latency", NULL};
static const char *const DTYPE_KEYS[] = {"fp32", "tf32", "fp16", "bf16", "int8", "int4", NULL};

static int t_double(ydoc_t *y, yaml_node_t *root, const char *key, double min, double max,
                    double *out, diag_t *d)
{
    yaml_node_t *n = ydoc_require(y, root, key, "GPU table", d);
    return n ? ydoc_double(y, n, key, min, max, out, d) : DIAG_ERR;
}

static int t_int(ydoc_t *y, yaml_node_t *root, const char *key, int64_t min, int64_t max, int *out,
                 diag_t *d)
{
    int64_t v;
    yaml_node_t *n = ydoc_require(y, root, key, "GPU table", d);
    if (n == NULL || ydoc_int(y, n, key, min, max, &v, d) != 0)
        return DIAG_ERR;
    *out = (int)v;
    return 0;
}

static int t_size(ydoc_t *y, yaml_node_t *root, const char *key, double min, double max,
                  double *out, diag_t *d)
{
    yaml_node_t *n = ydoc_require(y, root, key, "GPU table", d);
    return n ? ydoc_size(y, n, key, min, max, out, d) : DIAG_ERR;
}

static int t_rates(ydoc_t *y, yaml_node_t *root, const char *key, int required,
                   double rates[DT_COUNT], diag_t *d)
{
    yaml_node_t *m = required ? ydoc_require(y, root, key, "GPU table", d) : ydoc_get(y, root, key);
    if (m == NULL)
        return required ? DIAG_ERR : 1;
    if (ydoc_expect_map(y, m, key, d) != 0 || ydoc_check_keys(y, m, DTYPE_KEYS, key, d) != 0)
        return DIAG_ERR;
    for (int t = 0; t < DT_COUNT; t++)
        if (t_double(y, m, DTYPE_KEYS[t], 0, 1e6, &rates[t], d) != 0)
            return DIAG_ERR;
    return 0;
}

int check_table_load_file(const char *path, check_table_t *out, diag_t *d)
{
    ydoc_t y;
    yaml_node_t *root, *n;
    gpu_spec_t *g = &out->gpu;
    char cc[16];
    uint64_t ps;
    int rc = DIAG_ERR, r;

    memset(out, 0, sizeof *out);
    snprintf(out->path, sizeof out->path, "%s", path);
    if (ydoc_load_file(&y, path, d) != 0)
        return DIAG_ERR;
    root = ydoc_root(&y);
    if (ydoc_expect_map(&y, root, "GPU table", d) != 0 ||
        ydoc_check_keys(&y, root, TABLE_KEYS, "GPU table", d) != 0)
        goto out;
    if ((n = ydoc_require(&y, root, "compute_capability", "GPU table", d)) == NULL ||
        ydoc_string(&y, n, "compute_capability", cc, sizeof cc, d) != 0)
        goto out;
    if (sscanf(cc, "%d.%d", &out->cc_major, &out->cc_minor) != 2 || out->cc_major < 1 ||
        out->cc_minor < 0 || out->cc_minor > 9) {
        ydoc_error(&y, n, d, "compute_capability must be \"major.minor\", e.g. \"8.7\", not '%s'",
                   cc);
        goto out;
    }
    if ((n = ydoc_get(&y, root, "architecture")) &&
        ydoc_string(&y, n, "architecture", out->architecture, sizeof out->architecture, d) != 0)
        goto out;
    if (t_rates(&y, root, "cuda_flops_per_clk", 1, g->cuda_flops_per_clk, d) != 0 ||
        t_rates(&y, root, "tensor_flops_per_clk", 1, g->tensor_flops_per_clk, d) != 0)
        goto out;
    r = t_rates(&y, root, "geforce_tensor_flops_per_clk", 0, out->geforce_tensor, d);
    if (r < 0)
        goto out;
    out->has_geforce = r == 0;
    if (t_double(&y, root, "sparse_factor", 1, 8, &g->sparse_factor, d) ||
        t_double(&y, root, "sparse_meta_bits", 0, 16, &g->sparse_meta_bits, d) ||
        t_double(&y, root, "tensor_efficiency", 0.01, 1, &g->tensor_efficiency, d) ||
        t_double(&y, root, "cuda_efficiency", 0.01, 1, &g->cuda_efficiency, d) ||
        t_double(&y, root, "sfu_ops_per_clk", 1, 1024, &g->sfu_ops_per_clk, d) ||
        t_int(&y, root, "warp_size", 1, 64, &g->warp_size, d) ||
        t_int(&y, root, "max_threads_sm", 32, 4096, &g->max_threads_sm, d) ||
        t_int(&y, root, "max_ctas_sm", 1, 64, &g->max_ctas_sm, d) ||
        t_int(&y, root, "max_threads_cta", 32, 4096, &g->max_threads_cta, d) ||
        t_int(&y, root, "regs_sm", 1024, 1 << 20, &g->regs_sm, d) ||
        t_int(&y, root, "max_regs_thread", 16, 1024, &g->max_regs_thread, d) ||
        t_int(&y, root, "reg_alloc_unit", 1, 4096, &g->reg_alloc_unit, d) ||
        t_size(&y, root, "smem_sm", 0, 16 << 20, &g->smem_sm, d) ||
        t_size(&y, root, "smem_cta_max", 0, 16 << 20, &g->smem_cta_max, d) ||
        t_size(&y, root, "smem_cta_reserved", 0, 64 << 10, &g->smem_cta_reserved, d) ||
        t_int(&y, root, "warps_full_rate", 1, 128, &g->warps_full_rate, d) ||
        t_size(&y, root, "sm_dram_per_clk", 1, 4096, &g->sm_dram_bytes_per_clk, d) ||
        t_double(&y, root, "dram_efficiency", 0.05, 1, &out->dram_efficiency, d))
        goto out;
    if ((n = ydoc_require(&y, root, "launch_overhead", "GPU table", d)) == NULL ||
        ydoc_duration(&y, n, "launch_overhead", 0, 1000000000ull, &ps, d) != 0)
        goto out;
    g->launch_overhead_s = (double)ps * 1e-12;
    if ((n = ydoc_require(&y, root, "dram_latency", "GPU table", d)) == NULL ||
        ydoc_duration(&y, n, "dram_latency", 0, 1000000000ull, &ps, d) != 0)
        goto out;
    out->dram_latency_s = (double)ps * 1e-12;
    if (g->smem_cta_max > g->smem_sm) {
        ydoc_error(&y, ydoc_get(&y, root, "smem_cta_max"), d,
                   "smem_cta_max is larger than smem_sm");
        goto out;
    }
    if (g->warps_full_rate * g->warp_size > g->max_threads_sm) {
        ydoc_error(&y, ydoc_get(&y, root, "warps_full_rate"), d,
                   "warps_full_rate x warp_size is more than max_threads_sm");
        goto out;
    }
    rc = 0;
out:
    ydoc_free(&y);
    return rc;
}

int check_table_load(int cc_major, int cc_minor, check_table_t *out, diag_t *d)
{
    char path[600];
    snprintf(path, sizeof path, "%s/gpus/sm_%d%d.yaml", sku_config_dir(), cc_major, cc_minor);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return diag_error(d, path, 0, 0,
                          "no per-SM table for compute capability %d.%d (tables exist for 8.0, "
                          "8.6, 8.7, 8.9 and 9.0; see configs/gpus/README.md to add one)",
                          cc_major, cc_minor);
    fclose(f);
    if (check_table_load_file(path, out, d) != 0)
        return DIAG_ERR;
    if (out->cc_major != cc_major || out->cc_minor != cc_minor)
        return diag_error(d, path, 0, 0, "the table says compute capability %d.%d, its name %d.%d",
                          out->cc_major, out->cc_minor, cc_major, cc_minor);
    return 0;
}

/* ---- describing a device ---- */

int check_jetson_sku(double total_mem, double gpu_clock_hz, char *name, size_t len)
{
    char names[64][SKU_NAME_LEN];
    int n = sku_list(names, 64), best = -1;
    double best_score = INFINITY;
    sku_t *s = calloc(1, sizeof *s);
    if (s == NULL)
        return -1;
    for (int i = 0; i < n; i++) {
        diag_t d;
        double score;
        diag_clear(&d);
        if (sku_load(names[i], s, &d) != 0 || s->dram_capacity <= 0 || s->gpu.clock_hz <= 0)
            continue;
        /* The module's memory first (CUDA sees the capacity less carve-outs, a few per
         * cent), then the peak clock. */
        score = 4 * fabs(log(total_mem / s->dram_capacity)) +
                fabs(log(gpu_clock_hz / s->gpu.clock_hz));
        if (score < best_score) {
            best_score = score;
            best = i;
        }
    }
    free(s);
    if (best < 0)
        return -1;
    snprintf(name, len, "%s", names[best]);
    return 0;
}

/* A file-system-friendly short name from a device name: "NVIDIA H100 80GB HBM3" ->
 * "nvidia-h100-80gb-hbm3". */
static void device_slug(const char *in, char *out, size_t len)
{
    size_t j = 0;
    int dash = 0;
    for (size_t i = 0; in[i] && j + 1 < len; i++) {
        char c = in[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out[j++] = c;
            dash = 0;
        } else if (c >= 'A' && c <= 'Z') {
            out[j++] = (char)(c - 'A' + 'a');
            dash = 0;
        } else if (!dash && j > 0) {
            out[j++] = '-';
            dash = 1;
        }
    }
    while (j > 0 && out[j - 1] == '-')
        j--;
    out[j] = '\0';
    if (j == 0)
        snprintf(out, len, "device");
}

int check_describe(const check_device_t *dev, sku_t *sku, soc_config_t *cfg, diag_t *d)
{
    check_table_t tab;
    gpu_spec_t *g = &sku->gpu;
    sku_mode_t *m = &sku->modes[0];

    if (dev->sku[0]) {
        if (sku_load(dev->sku, sku, d) != 0)
            return DIAG_ERR;
        return sku_resolve(sku, dev->mode[0] ? dev->mode : NULL, cfg, d);
    }
    if (dev->sms < 1 || dev->sm_clock_hz <= 0 || dev->mem_clock_hz <= 0 || dev->mem_bus_bits < 1)
        return diag_error(d, NULL, 0, 0,
                          "the device description lacks its SMs, SM clock or memory bus (sms %d, "
                          "sm_clock %.0f Hz, mem_clock %.0f Hz, mem_bus_bits %d)",
                          dev->sms, dev->sm_clock_hz, dev->mem_clock_hz, dev->mem_bus_bits);
    if (check_table_load(dev->cc_major, dev->cc_minor, &tab, d) != 0)
        return DIAG_ERR;
    memset(sku, 0, sizeof *sku);
    device_slug(dev->name, sku->name, sizeof sku->name);
    snprintf(sku->title, sizeof sku->title, "%s", dev->name[0] ? dev->name : "CUDA device");
    snprintf(sku->path, sizeof sku->path, "%s", tab.path);
    *g = tab.gpu;
    if (tab.has_geforce && strstr(dev->name, "GeForce"))
        memcpy(g->tensor_flops_per_clk, tab.geforce_tensor, sizeof tab.geforce_tensor);
    /* The device's own limits win over the table's (the table covers what is missing). */
    if (dev->max_threads_sm > 0)
        g->max_threads_sm = dev->max_threads_sm;
    if (dev->max_ctas_sm > 0)
        g->max_ctas_sm = dev->max_ctas_sm;
    if (dev->max_threads_cta > 0)
        g->max_threads_cta = dev->max_threads_cta;
    if (dev->regs_sm > 0)
        g->regs_sm = dev->regs_sm;
    if (dev->warp_size > 0)
        g->warp_size = dev->warp_size;
    if (dev->smem_sm > 0)
        g->smem_sm = dev->smem_sm;
    if (dev->smem_cta_max > 0)
        g->smem_cta_max = dev->smem_cta_max;
    if (dev->smem_cta_reserved > 0)
        g->smem_cta_reserved = dev->smem_cta_reserved;
    g->l2_bytes = dev->l2_bytes;
    g->sms = dev->sms;
    g->clock_hz = dev->sm_clock_hz;
    sku->tpcs = dev->sms;
    sku->sms_per_tpc = 1;
    sku->dram.bus_bits = dev->mem_bus_bits;
    sku->dram.emc_hz = dev->mem_clock_hz;
    sku->dram.efficiency = tab.dram_efficiency;
    sku->dram.latency_ps = tab.dram_latency_s * 1e12;
    sku->dram_capacity = dev->total_mem > 0 ? dev->total_mem : 1e15;
    sku->dram_reserved = 0;
    /* The host is not part of the check: one core at a nominal clock for the replay. */
    sku->cpus = 1;
    sku->cpu_max_hz = 1e9;
    sku->cpu_dram_Bps_per_core = 1e9;
    snprintf(m->name, sizeof m->name, "device");
    snprintf(m->bsp, sizeof m->bsp, "none");
    m->cpus_online = 1;
    m->cpu_max_hz = sku->cpu_max_hz;
    m->tpcs = dev->sms;
    m->gpu_max_hz = dev->sm_clock_hz;
    m->emc_max_hz = dev->mem_clock_hz;
    sku->nmodes = 1;
    sku->default_mode = 0;
    if (g->warps_full_rate * g->warp_size > g->max_threads_sm)
        g->warps_full_rate = g->max_threads_sm / g->warp_size;
    if (g->smem_cta_max > g->smem_sm)
        g->smem_cta_max = g->smem_sm;
    return sku_resolve(sku, NULL, cfg, d);
}

/* ---- ops ---- */

int check_op_supported(trace_op_kind_t k)
{
    return k == OP_GEMM || k == OP_CONV || k == OP_ATTENTION || k == OP_ELEMENTWISE ||
           k == OP_REDUCE || k == OP_MEMCPY;
}

void check_op_class(const trace_op_t *op, char *buf, size_t len)
{
    switch (op->kind) {
    case OP_GEMM:
    case OP_CONV:
        snprintf(buf, len, "%s %s%s", trace_op_name(op->kind), dtype_name(op->dtype),
                 op->sparse ? " 2:4" : "");
        break;
    case OP_ATTENTION:
        snprintf(buf, len, "attention %s", dtype_name(op->dtype));
        break;
    default:
        snprintf(buf, len, "%s", trace_op_name(op->kind));
        break;
    }
}

static size_t put(char *buf, size_t len, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static size_t put(char *buf, size_t len, size_t at, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (at >= len)
        return at;
    va_start(ap, fmt);
    n = vsnprintf(buf + at, len - at, fmt, ap);
    va_end(ap);
    return n < 0 ? at : at + (size_t)n;
}

static size_t put_pair(char *buf, size_t len, size_t at, const char *key, int64_t a, int64_t b)
{
    if (a == b)
        return put(buf, len, at, ", %s: %lld", key, (long long)a);
    return put(buf, len, at, ", %s: [%lld, %lld]", key, (long long)a, (long long)b);
}

void check_op_format(const trace_op_t *op, char *buf, size_t len)
{
    size_t at = put(buf, len, 0, "{op: %s", trace_op_name(op->kind));
    if (op->name[0])
        at = put(buf, len, at, ", name: \"%s\"", op->name);
    switch (op->kind) {
    case OP_GEMM:
        at = put(buf, len, at, ", m: %lld, n: %lld, k: %lld", (long long)op->u.gemm.m,
                 (long long)op->u.gemm.n, (long long)op->u.gemm.k);
        if (op->u.gemm.batch != 1)
            at = put(buf, len, at, ", batch: %lld", (long long)op->u.gemm.batch);
        if (op->u.gemm.weight_dtype != op->dtype)
            at = put(buf, len, at, ", weight_dtype: %s", dtype_name(op->u.gemm.weight_dtype));
        if (!op->u.gemm.weights)
            at = put(buf, len, at, ", weights: false");
        break;
    case OP_CONV:
        at = put(buf, len, at, ", input: [%lld, %lld, %lld, %lld], filters: %lld",
                 (long long)op->u.conv.n, (long long)op->u.conv.c, (long long)op->u.conv.h,
                 (long long)op->u.conv.w, (long long)op->u.conv.filters);
        at = put_pair(buf, len, at, "kernel", op->u.conv.kh, op->u.conv.kw);
        at = put_pair(buf, len, at, "stride", op->u.conv.stride_h, op->u.conv.stride_w);
        at = put_pair(buf, len, at, "padding", op->u.conv.pad_h, op->u.conv.pad_w);
        if (op->u.conv.dil_h != 1 || op->u.conv.dil_w != 1)
            at = put_pair(buf, len, at, "dilation", op->u.conv.dil_h, op->u.conv.dil_w);
        if (op->u.conv.groups != 1)
            at = put(buf, len, at, ", groups: %lld", (long long)op->u.conv.groups);
        break;
    case OP_ATTENTION:
        if (op->u.attn.batch != 1)
            at = put(buf, len, at, ", batch: %lld", (long long)op->u.attn.batch);
        at = put(buf, len, at, ", heads: %lld", (long long)op->u.attn.heads);
        if (op->u.attn.kv_heads != op->u.attn.heads && op->u.attn.kv_heads > 0)
            at = put(buf, len, at, ", kv_heads: %lld", (long long)op->u.attn.kv_heads);
        at = put(buf, len, at, ", seq_q: %lld, seq_kv: %lld, head_dim: %lld",
                 (long long)op->u.attn.seq_q, (long long)op->u.attn.seq_kv,
                 (long long)op->u.attn.head_dim);
        if (op->u.attn.causal)
            at = put(buf, len, at, ", causal: true");
        break;
    case OP_ELEMENTWISE:
        at = put(buf, len, at, ", elements: %lld, inputs: %lld, outputs: %lld",
                 (long long)op->u.ew.elements, (long long)op->u.ew.inputs,
                 (long long)op->u.ew.outputs);
        if (op->u.ew.flops_per_element != 1)
            at = put(buf, len, at, ", flops_per_element: %.17g", op->u.ew.flops_per_element);
        break;
    case OP_REDUCE:
        at = put(buf, len, at, ", elements: %lld, outputs: %lld",
                 (long long)op->u.reduce.elements, (long long)op->u.reduce.outputs);
        break;
    case OP_MEMCPY:
        at = put(buf, len, at, ", bytes: %.17g B", op->u.memcpy.bytes);
        break;
    default:
        break;
    }
    if (op->act >= 0)
        at = put(buf, len, at, ", activation: %s", trace_act_name((trace_act_t)op->act));
    if (op->kind != OP_MEMCPY)
        at = put(buf, len, at, ", dtype: %s", dtype_name(op->dtype));
    if (op->sparse)
        at = put(buf, len, at, ", sparsity: \"2:4\"");
    put(buf, len, at, "}");
}

int check_predict(const soc_config_t *cfg, const trace_t *t, const trace_op_t *op,
                  double *seconds, diag_t *d)
{
    trace_t one;
    trace_task_t task;
    trace_op_t copy = *op;
    int topo = 0;
    replay_options_t ro;
    replay_result_t res;

    memset(&one, 0, sizeof one);
    memset(&task, 0, sizeof task);
    memset(&ro, 0, sizeof ro);
    snprintf(one.path, sizeof one.path, "%s", t ? t->path : "");
    snprintf(one.name, sizeof one.name, "check");
    one.version = 1;
    one.frames = 1;
    one.max_in_flight = 1;
    one.tasks = &task;
    one.ntasks = 1;
    one.topo = &topo;
    snprintf(task.id, sizeof task.id, "op");
    task.engine = ENG_GPU;
    task.pos = op->pos;
    task.engine_pos = op->pos;
    task.ops = &copy;
    task.nops = 1;
    if (replay_check(cfg, &one, d) != 0 || replay_run(cfg, &one, &ro, &res, d) != 0)
        return DIAG_ERR;
    *seconds = (double)(res.end - res.first_release) * 1e-12;
    replay_result_free(&res);
    return 0;
}

/* ---- rows and statistics ---- */

void check_run_init(check_run_t *r)
{
    memset(r, 0, sizeof *r);
    r->l2_flush = 1;
}

void check_run_free(check_run_t *r)
{
    free(r->rows);
    free(r->classes);
    memset(r, 0, sizeof *r);
}

check_row_t *check_run_add(check_run_t *r, const trace_op_t *op)
{
    check_row_t *row, *v = grow_one(r->rows, r->nrows, &r->cap, 64, sizeof *v);
    if (v == NULL)
        return NULL;
    r->rows = v;
    row = &r->rows[r->nrows++];
    memset(row, 0, sizeof *row);
    row->op = *op;
    check_op_class(op, row->cls, sizeof row->cls);
    row->predicted_s = -1;
    row->measured_s = -1;
    return row;
}

int check_row_error(const check_row_t *row, double *pct)
{
    if (row->predicted_s < 0 || row->measured_s <= 0)
        return 0;
    *pct = (row->predicted_s - row->measured_s) / row->measured_s * 100.0;
    return 1;
}

static int cmp_class(const void *a, const void *b)
{
    return strcmp(((const check_class_t *)a)->cls, ((const check_class_t *)b)->cls);
}

int check_summarise(check_run_t *r)
{
    double sum = 0;
    free(r->classes);
    r->classes = NULL;
    r->nclasses = 0;
    r->nmeasured = 0;
    r->mape = 0;
    if (r->nrows > 0 && (r->classes = calloc((size_t)r->nrows, sizeof *r->classes)) == NULL)
        return -1;
    for (int i = 0; i < r->nrows; i++) {
        const check_row_t *row = &r->rows[i];
        check_class_t *c = NULL;
        double e;
        if (!check_row_error(row, &e))
            continue;
        for (int j = 0; j < r->nclasses && c == NULL; j++)
            if (strcmp(r->classes[j].cls, row->cls) == 0)
                c = &r->classes[j];
        if (c == NULL) {
            c = &r->classes[r->nclasses++];
            snprintf(c->cls, sizeof c->cls, "%s", row->cls);
        }
        c->n++;
        c->mape += fabs(e);
        if (fabs(e) > c->worst)
            c->worst = fabs(e);
        sum += fabs(e);
        r->nmeasured++;
    }
    for (int j = 0; j < r->nclasses; j++)
        r->classes[j].mape /= r->classes[j].n;
    qsort(r->classes, (size_t)r->nclasses, sizeof *r->classes, cmp_class);
    r->mape = r->nmeasured ? sum / r->nmeasured : 0;
    return 0;
}

int check_predict_all(check_run_t *r, const soc_config_t *cfg, diag_t *d)
{
    for (int i = 0; i < r->nrows; i++) {
        check_row_t *row = &r->rows[i];
        diag_t e;
        diag_clear(&e);
        row->predicted_s = -1;
        if (check_predict(cfg, NULL, &row->op, &row->predicted_s, &e) != 0) {
            if (diag_exit_code(&e) == EXIT_INTERNAL) {
                *d = e;
                return DIAG_ERR;
            }
            /* The model cannot run it (no tensor path for a dtype, ...): a note, no error. */
            const char *why = strstr(e.msg, "GPU: ");
            char was[sizeof row->note];
            snprintf(was, sizeof was, "%s", row->note);
            snprintf(row->note, sizeof row->note, "%.100s%snot simulated: %.100s", was,
                     was[0] ? "; " : "", why ? why + 5 : e.msg);
        }
    }
    return check_summarise(r);
}

/* ---- output ---- */

static void fmt_s(double s, char *buf, size_t len)
{
    if (s < 0)
        snprintf(buf, len, "-");
    else
        units_fmt_duration((uint64_t)llround(s * 1e12), buf, len);
}

static void describe_device(FILE *out, const check_run_t *r, const soc_config_t *cfg)
{
    const check_device_t *v = &r->dev;
    fprintf(out, "device: %s (compute capability %d.%d", v->name[0] ? v->name : "?", v->cc_major,
            v->cc_minor);
    if (v->driver[0])
        fprintf(out, ", driver %s", v->driver);
    fprintf(out, ")\n");
    if (cfg)
        fprintf(out, "model:  %s, mode %s: %d SMs at %.0f MHz, %.1f GB/s DRAM peak, L2 %.1f MiB\n",
                cfg->sku->name, cfg->mode->name, cfg->gpu.sms, cfg->gpu.clock_hz / 1e6,
                dram_peak_Bps(&cfg->dram) / 1e9, cfg->gpu.l2_bytes / 1048576.0);
    if (r->runs > 0)
        fprintf(out, "timing: %d warm-up runs, median of %d timed runs%s\n", r->warmup, r->runs,
                r->l2_flush ? ", L2 flushed before each" : "");
}

void check_print_text(FILE *out, const check_run_t *r, const soc_config_t *cfg)
{
    char op[320], p[32], m[32];
    describe_device(out, r, cfg);
    fprintf(out, "\n%4s  %-18s %12s %12s %9s  %s\n", "#", "class", "predicted", "measured",
            "error", "op");
    for (int i = 0; i < r->nrows; i++) {
        const check_row_t *row = &r->rows[i];
        double e;
        check_op_format(&row->op, op, sizeof op);
        fmt_s(row->predicted_s, p, sizeof p);
        fmt_s(row->measured_s, m, sizeof m);
        if (check_row_error(row, &e))
            fprintf(out, "%4d  %-18s %12s %12s %+8.1f%%  %s\n", i + 1, row->cls, p, m, e, op);
        else
            fprintf(out, "%4d  %-18s %12s %12s %9s  %s\n", i + 1, row->cls, p, m, "-", op);
        if (row->note[0])
            fprintf(out, "      note: %s\n", row->note);
    }
    fprintf(out, "\nMAPE by class (ops with both times):\n");
    for (int j = 0; j < r->nclasses; j++)
        fprintf(out, "  %-18s %7.1f%%  (%d op%s, worst %.1f%%)\n", r->classes[j].cls,
                r->classes[j].mape, r->classes[j].n, r->classes[j].n == 1 ? "" : "s",
                r->classes[j].worst);
    if (r->nmeasured)
        fprintf(out, "  %-18s %7.1f%%  (%d of %d ops)\n", "overall", r->mape, r->nmeasured,
                r->nrows);
    else
        fprintf(out, "  no op has both a prediction and a measurement\n");
}

static json_object *jnum(double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.6g", v);
    return json_object_new_double_s(v, buf);
}

int check_print_json(FILE *out, const check_run_t *r, const soc_config_t *cfg)
{
    json_object *root = json_object_new_object(), *dev = json_object_new_object();
    json_object *ops = json_object_new_array(), *cls = json_object_new_object();
    char op[320], cc[16];
    int rc;

    json_object_object_add(dev, "name", json_object_new_string(r->dev.name));
    snprintf(cc, sizeof cc, "%d.%d", r->dev.cc_major, r->dev.cc_minor);
    json_object_object_add(dev, "compute_capability", json_object_new_string(cc));
    json_object_object_add(dev, "driver", json_object_new_string(r->dev.driver));
    if (cfg) {
        json_object_object_add(dev, "sku", json_object_new_string(cfg->sku->name));
        json_object_object_add(dev, "mode", json_object_new_string(cfg->mode->name));
        json_object_object_add(dev, "sms", json_object_new_int(cfg->gpu.sms));
        json_object_object_add(dev, "sm_clock_hz", jnum(cfg->gpu.clock_hz));
        json_object_object_add(dev, "dram_peak_Bps", jnum(dram_peak_Bps(&cfg->dram)));
    }
    json_object_object_add(root, "device", dev);
    json_object_object_add(root, "trace", json_object_new_string(r->trace));
    json_object_object_add(root, "warmup", json_object_new_int(r->warmup));
    json_object_object_add(root, "runs", json_object_new_int(r->runs));
    json_object_object_add(root, "l2_flush", json_object_new_boolean(r->l2_flush));
    for (int i = 0; i < r->nrows; i++) {
        const check_row_t *row = &r->rows[i];
        json_object *o = json_object_new_object();
        double e;
        check_op_format(&row->op, op, sizeof op);
        json_object_object_add(o, "op", json_object_new_string(op));
        json_object_object_add(o, "class", json_object_new_string(row->cls));
        json_object_object_add(o, "predicted_s",
                               row->predicted_s >= 0 ? jnum(row->predicted_s) : NULL);
        json_object_object_add(o, "measured_s", row->measured_s > 0 ? jnum(row->measured_s) : NULL);
        json_object_object_add(o, "error_pct", check_row_error(row, &e) ? jnum(e) : NULL);
        if (row->note[0])
            json_object_object_add(o, "note", json_object_new_string(row->note));
        json_object_array_add(ops, o);
    }
    json_object_object_add(root, "ops", ops);
    for (int j = 0; j < r->nclasses; j++) {
        json_object *c = json_object_new_object();
        json_object_object_add(c, "ops", json_object_new_int(r->classes[j].n));
        json_object_object_add(c, "mape_pct", jnum(r->classes[j].mape));
        json_object_object_add(c, "worst_pct", jnum(r->classes[j].worst));
        json_object_object_add(cls, r->classes[j].cls, c);
    }
    json_object_object_add(root, "mape_by_class", cls);
    json_object_object_add(root, "mape_pct", r->nmeasured ? jnum(r->mape) : NULL);
    json_object_object_add(root, "ops_compared", json_object_new_int(r->nmeasured));
    rc = fprintf(out, "%s\n",
                 json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
                                                          JSON_C_TO_STRING_NOSLASHESCAPE)) < 0;
    json_object_put(root);
    return rc ? -1 : 0;
}
