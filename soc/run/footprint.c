/*
 * footprint: resident DRAM of a trace against the module's usable capacity. See
 * footprint.h for the accounting rules.
 */
#include "soc/run/footprint.h"

#include <string.h>

#include "soc/io/units.h"

static double tensor_bytes(int64_t n, int64_t c, int64_t h, int64_t w, dtype_t t)
{
    return (double)n * c * h * w * dtype_bytes(t);
}

/* Weights, KV cache and the input + output bytes of one op. */
static void op_bytes(const trace_op_t *op, double *weights, double *kv, double *act)
{
    double e = dtype_bytes(op->dtype);
    *weights = *kv = *act = 0;
    switch (op->kind) {
    case OP_GEMM:
        if (op->u.gemm.weights)
            *weights = (double)op->u.gemm.k * op->u.gemm.n * trace_gemm_b_bytes(op);
        *act = (double)op->u.gemm.batch * op->u.gemm.m *
               ((double)op->u.gemm.k + (double)op->u.gemm.n) * e;
        if (!op->u.gemm.weights)
            *act += (double)op->u.gemm.batch * op->u.gemm.k * op->u.gemm.n * e;
        break;
    case OP_CONV:
    case OP_DECONV:
        *weights = (double)op->u.conv.filters * (op->u.conv.c / op->u.conv.groups) *
                   op->u.conv.kh * op->u.conv.kw * e;
        /* Output at most as large as input x (filters / c) x stride^2 (deconv); a bound is
         * enough for a footprint, the exact shape comes from the lowering. */
        *act = tensor_bytes(op->u.conv.n, op->u.conv.c, op->u.conv.h, op->u.conv.w, op->dtype) *
               (1.0 + (double)op->u.conv.filters / op->u.conv.c *
                          (op->kind == OP_DECONV ? op->u.conv.stride_h * op->u.conv.stride_w : 1));
        break;
    case OP_FC:
        *weights = (double)op->u.layer.outputs * op->u.layer.c * op->u.layer.h * op->u.layer.w * e;
        *act = ((double)op->u.layer.c * op->u.layer.h * op->u.layer.w + op->u.layer.outputs) *
               op->u.layer.n * e;
        break;
    case OP_ATTENTION:
        *kv = 2.0 * op->u.attn.batch * op->u.attn.kv_heads * op->u.attn.seq_kv *
              op->u.attn.head_dim * e;
        *act = 2.0 * op->u.attn.batch * op->u.attn.heads * op->u.attn.seq_q * op->u.attn.head_dim * e;
        break;
    case OP_ELEMENTWISE:
        *act = (double)op->u.ew.elements * (op->u.ew.inputs + op->u.ew.outputs) * e;
        break;
    case OP_REDUCE:
        *act = ((double)op->u.reduce.elements + op->u.reduce.outputs) * e;
        break;
    case OP_MEMCPY:
        *act = 2.0 * op->u.memcpy.bytes;
        break;
    case OP_KERNEL:
    case OP_CPU:
        break;   /* their traffic is streamed; declare residency with memory: */
    case OP_POOL:
    case OP_ACTIVATION:
    case OP_ELTWISE:
    case OP_BATCHNORM:
    case OP_CONCAT:
    case OP_RESIZE:
    case OP_SOFTMAX: {
        double in = tensor_bytes(op->u.layer.n, op->u.layer.c, op->u.layer.h, op->u.layer.w,
                                 op->dtype);
        double k = op->kind == OP_ELTWISE ? (double)op->u.layer.inputs : 1.0;
        double out = in;
        if (op->kind == OP_POOL || op->kind == OP_RESIZE)
            out = (double)op->u.layer.n * op->u.layer.c * op->u.layer.out_h * op->u.layer.out_w * e;
        *act = k * in + out;
        break;
    }
    default: {   /* vision primitives: an 8-bit frame in, one out (4 B/px upper bound) */
        double px = (double)op->u.image.width * op->u.image.height;
        *act = px * 8.0;
        break;
    }
    }
}

void footprint_of(const soc_config_t *cfg, const trace_t *t, footprint_t *out)
{
    double largest = -1;
    memset(out, 0, sizeof *out);
    out->usable = cfg->sku->dram_capacity - cfg->sku->dram_reserved;
    for (int i = 0; i < t->ntasks; i++) {
        const trace_task_t *task = &t->tasks[i];
        double w = task->memory.weights, kv = task->memory.kv_cache, act = 0, sum;
        for (int j = 0; j < task->nops; j++) {
            double ow, okv, oact;
            op_bytes(&task->ops[j], &ow, &okv, &oact);
            w += ow;
            kv += okv;
            if (oact > act)
                act = oact;
        }
        act = (act + task->memory.activations) * (double)t->max_in_flight;
        out->weights += w;
        out->kv_cache += kv;
        out->activations += act;
        out->buffers += task->memory.buffers;
        sum = w + kv + act + task->memory.buffers;
        if (sum > largest) {
            largest = sum;
            out->largest_task = i;
        }
    }
    out->total = out->weights + out->kv_cache + out->activations + out->buffers;
}

int footprint_check(const soc_config_t *cfg, const trace_t *t, footprint_t *out, diag_t *d)
{
    char tot[32], use[32], w[32], kv[32], act[32], buf[32], cap[32], res[32], short_by[32];
    footprint_of(cfg, t, out);
    if (out->total <= out->usable)
        return 0;
    units_fmt_bytes(out->total, tot, sizeof tot);
    units_fmt_bytes(out->usable, use, sizeof use);
    units_fmt_bytes(out->weights, w, sizeof w);
    units_fmt_bytes(out->kv_cache, kv, sizeof kv);
    units_fmt_bytes(out->activations, act, sizeof act);
    units_fmt_bytes(out->buffers, buf, sizeof buf);
    units_fmt_bytes(cfg->sku->dram_capacity, cap, sizeof cap);
    units_fmt_bytes(cfg->sku->dram_reserved, res, sizeof res);
    units_fmt_bytes(out->total - out->usable, short_by, sizeof short_by);
    return diag_error(d, t->path, 0, 0,
                      "the trace does not fit in %s's DRAM: it needs %s resident (weights %s, "
                      "KV cache %s, activations %s, buffers %s; largest task '%s'), %s short of "
                      "the %s usable (%s minus %s reserved for carve-outs and the OS)",
                      cfg->sku->name, tot, w, kv, act, buf, t->tasks[out->largest_task].id,
                      short_by, use, cap, res);
}
