/*
 * zoo_emit: the YAML writer of the zoo (zoo_write, soc/zoo/zoo_int.h).
 *
 * The writer walks a built network once per task; it never reorders or merges ops, so
 * the trace reads in the network's own order with its own layer names, one op per line,
 * with the output shape of each conv, pool and resize as a comment.
 *
 * Engine-dependent choices are made here, not in the builders: an activation fused into
 * a conv (act != NONE) is the conv's `activation:` key, or a separate `activation` op
 * when the target engine cannot fuse it (a DLA has no SiLU or GELU in its
 * post-processing unit; the GPU fuses every pointwise activation into the conv
 * epilogue, as TensorRT does). A DLA task
 * that holds any op the DLA cannot run gets `fallback: gpu`, and its comment counts them.
 * With gpu+2dla, each engine's instance is its own set of tasks, ids prefixed "gpu.",
 * "dla0.", "dla1.", and a DLA runs its share as a repeat of batch-2 passes.
 *
 * Output is a pure function of the plan: no time, path or host enters it.
 */
#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "soc/zoo/zoo_int.h"

static int is_layer(zoo_op_kind_t k)
{
    return k <= ZOO_SOFTMAX;
}

/* Count, repeats expanded, what a DLA cannot run in ops [first, end). */
typedef struct fallbacks {
    double act[ZOO_ACT_COUNT];    /* activations (fused or standalone) by function */
    double gpu_ops[ZOO_OP_KIND_COUNT];
    double total;
} fallbacks_t;

static void count_fallbacks(const zoo_net_t *net, int first, int end, fallbacks_t *fb)
{
    double stack[32], mult = 1;
    int depth = 0;
    memset(fb, 0, sizeof *fb);
    for (int i = first; i < end; i++) {
        const zoo_op_t *op = &net->ops[i];
        if (op->kind == ZOO_REPEAT) {
            stack[depth++] = mult;
            mult *= (double)op->count;
        } else if (op->kind == ZOO_END) {
            mult = stack[--depth];
        } else if (is_layer(op->kind)) {
            if (!zoo_dla_activation(op->act)) {
                fb->act[op->act] += mult;
                fb->total += mult;
            }
        } else {
            fb->gpu_ops[op->kind] += mult;
            fb->total += mult;
        }
    }
}

static const char *kind_name(zoo_op_kind_t k)
{
    static const char *const names[ZOO_OP_KIND_COUNT] = {
        "conv", "deconv", "fc", "pool", "activation", "eltwise", "concat", "resize",
        "softmax", "gemm", "attention", "elementwise", "kernel", "color_convert", "resize",
        "remap", "cpu", "repeat", "end"};
    return names[k];
}

static void put_shape(FILE *f, const char *key, int64_t n, int64_t c, int64_t h, int64_t w)
{
    fprintf(f, ", %s: [%" PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64 "]", key, n, c, h, w);
}

static void put_tail(FILE *f, const zoo_op_t *op)
{
    fprintf(f, ", dtype: %s", dtype_name(op->dtype));
    if (op->sparse)
        fprintf(f, ", sparsity: \"2:4\"");
    fprintf(f, "}");
}

/* ", name: NAME" (with `suffix`): plain when it is only letters, digits and "_./-+", as
 * every zoo name is; else double-quoted with '"' and '\\' escaped (an imported model's
 * "{ForeignNode[...]}" or "conv + PWN(a, b)"), so the flow mapping stays one. */
static void put_name(FILE *f, const char *name, const char *suffix)
{
    int plain = name[0] != '-';
    for (const char *p = name; *p && plain; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                *p == '_' || *p == '.' || *p == '/' || *p == '-' || *p == '+';
    if (plain) {
        fprintf(f, ", name: %s%s", name, suffix);
        return;
    }
    fprintf(f, ", name: \"");
    for (const char *p = name; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20 || ch >= 0x7f)   /* control bytes; UTF-8 a cut may have split */
            fputc(ch < 0x20 ? ' ' : '_', f);
        else
            fputc(ch, f);
    }
    fprintf(f, "%s\"", suffix);
}

/* A count, or [a, b] when the two axes differ (an imported network's 1x7 kernel). */
static void put_pair(FILE *f, const char *key, int a, int b)
{
    if (a == b)
        fprintf(f, ", %s: %d", key, a);
    else
        fprintf(f, ", %s: [%d, %d]", key, a, b);
}

/* Kernel, stride, padding and dilation, each left out where it is the trace format's
 * default: a stride of 1 for conv and deconv, the kernel itself for pool
 * (docs/trace-format.md). */
static void put_kernel_geom(FILE *f, const zoo_op_t *op)
{
    int pool = op->kind == ZOO_POOL;
    put_pair(f, "kernel", op->kh, op->kw);
    if (op->sh != (pool ? op->kh : 1) || op->sw != (pool ? op->kw : 1))
        put_pair(f, "stride", op->sh, op->sw);
    if (op->ph != 0 || op->pw != op->ph)
        put_pair(f, "padding", op->ph, op->pw);
    if (op->dh > 1 || op->dw > 1)
        put_pair(f, "dilation", op->dh > 1 ? op->dh : 1, op->dw > 1 ? op->dw : 1);
}

/* One op as a flow mapping on one line; a non-fusable activation after it on a DLA. */
static void emit_op(FILE *f, const zoo_op_t *op, const char *pad, int dla)
{
    static const char *const efn[] = {"add", "mul", "sub"};
    fprintf(f, "%s- {op: %s", pad, kind_name(op->kind));
    if (op->name[0])
        put_name(f, op->name, "");
    switch (op->kind) {
    case ZOO_CONV:
    case ZOO_DECONV:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        fprintf(f, ", filters: %" PRId64, op->k);
        put_kernel_geom(f, op);
        if (op->groups != 1)
            fprintf(f, ", groups: %" PRId64, op->groups);
        if (op->act != ZOO_ACT_NONE && (!dla || zoo_dla_activation(op->act)))
            fprintf(f, ", activation: %s", zoo_act_name(op->act));
        put_tail(f, op);
        fprintf(f, "   # -> %" PRId64 "x%" PRId64 "x%" PRId64, op->k, op->oh, op->ow);
        break;
    case ZOO_FC:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        fprintf(f, ", outputs: %" PRId64, op->k);
        put_tail(f, op);
        break;
    case ZOO_POOL:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        if (op->global)
            fprintf(f, ", global: true");
        else
            put_kernel_geom(f, op);
        fprintf(f, ", mode: %s", op->fn ? "avg" : "max");
        put_tail(f, op);
        fprintf(f, "   # -> %" PRId64 "x%" PRId64 "x%" PRId64, op->c, op->oh, op->ow);
        break;
    case ZOO_ACTIVATION:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        fprintf(f, ", function: %s", zoo_act_name(op->act));
        put_tail(f, op);
        break;
    case ZOO_ELTWISE:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        if (op->inputs != 2)
            fprintf(f, ", inputs: %" PRId64, op->inputs);
        if (op->fn != 0)
            fprintf(f, ", function: %s", efn[op->fn]);
        put_tail(f, op);
        break;
    case ZOO_CONCAT:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        if (op->inputs != 2)
            fprintf(f, ", inputs: %" PRId64, op->inputs);
        put_tail(f, op);
        break;
    case ZOO_RESIZE:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        if (op->sh > 0 && op->oh == op->h * op->sh && op->ow == op->w * op->sh)
            fprintf(f, ", scale: %d", op->sh);
        else
            fprintf(f, ", output: [%" PRId64 ", %" PRId64 "]", op->oh, op->ow);
        fprintf(f, ", mode: %s", op->fn ? "bilinear" : "nearest");
        put_tail(f, op);
        fprintf(f, "   # -> %" PRId64 "x%" PRId64 "x%" PRId64, op->c, op->oh, op->ow);
        break;
    case ZOO_SOFTMAX:
        put_shape(f, "input", op->n, op->c, op->h, op->w);
        put_tail(f, op);
        break;
    case ZOO_GEMM:
        fprintf(f, ", m: %" PRId64 ", n: %" PRId64 ", k: %" PRId64, op->m, op->gn, op->gk);
        if (op->batch != 1)
            fprintf(f, ", batch: %" PRId64, op->batch);
        fprintf(f, ", dtype: %s", dtype_name(op->dtype));
        if (op->has_wdtype)
            fprintf(f, ", weight_dtype: %s", dtype_name(op->wdtype));
        if (op->quant_group)
            fprintf(f, ", quant_group: %" PRId64, op->quant_group);
        if (!op->inputs)
            fprintf(f, ", weights: false");
        if (op->act != ZOO_ACT_NONE)
            fprintf(f, ", activation: %s", zoo_act_name(op->act));
        if (op->sparse)
            fprintf(f, ", sparsity: \"2:4\"");
        fprintf(f, "}");
        break;
    case ZOO_ATTENTION:
        if (op->batch != 1)
            fprintf(f, ", batch: %" PRId64, op->batch);
        fprintf(f, ", heads: %" PRId64, op->heads);
        if (op->kv_heads != op->heads)
            fprintf(f, ", kv_heads: %" PRId64, op->kv_heads);
        fprintf(f, ", seq_q: %" PRId64, op->seq_q);
        if (op->seq_kv != op->seq_q)
            fprintf(f, ", seq_kv: %" PRId64, op->seq_kv);
        fprintf(f, ", head_dim: %" PRId64, op->head_dim);
        if (op->causal)
            fprintf(f, ", causal: true");
        fprintf(f, ", dtype: %s}", dtype_name(op->dtype));
        break;
    case ZOO_ELEMENTWISE:
        fprintf(f, ", elements: %" PRId64, op->elements);
        if (op->inputs != 1)
            fprintf(f, ", inputs: %" PRId64, op->inputs);
        if (op->flops_per_element != 1)
            fprintf(f, ", flops_per_element: %g", op->flops_per_element);
        fprintf(f, ", dtype: %s}", dtype_name(op->dtype));
        break;
    case ZOO_KERNEL:
        fprintf(f, ", grid: [%" PRId64 ", 1, 1], block: [%" PRId64 ", 1, 1], registers: %" PRId64,
                op->grid, op->block, op->registers);
        if (op->shared > 0)
            fprintf(f, ", shared: %.0fB", op->shared);
        fprintf(f, ", flops: {fp32: %.0f}, dram_bytes: %.0fB}", op->kflops, op->dram_bytes);
        break;
    case ZOO_PVA_COLOR:
    case ZOO_PVA_REMAP:
        fprintf(f, ", image: [%" PRId64 ", %" PRId64 "]}", op->img_w, op->img_h);
        break;
    case ZOO_PVA_RESIZE:
        fprintf(f, ", image: [%" PRId64 ", %" PRId64 "], output: [%" PRId64 ", %" PRId64 "]}",
                op->img_w, op->img_h, op->out_w, op->out_h);
        break;
    case ZOO_CPU:
        fprintf(f, ", duration: %s, threads: 1", op->duration);
        if (op->cpu_bytes > 0)
            fprintf(f, ", bytes: %.0fB", op->cpu_bytes);
        fprintf(f, "}");
        break;
    default:
        assert(0 && "not a leaf op");
    }
    fprintf(f, "\n");
    /* A conv's fused activation is its `activation:` key above (the GPU runs it in the
     * kernel's epilogue; a DLA in its post-processing unit when that has it); a DLA
     * without it runs it as a separate op. The fused activation of an fc or eltwise op
     * is not written: it is free next to their memory traffic. */
    if (op->act != ZOO_ACT_NONE && op->kind != ZOO_ACTIVATION && dla && !zoo_dla_activation(op->act)) {
        int64_t c = op->kind == ZOO_ELTWISE ? op->c : op->k;
        int64_t h = op->kind == ZOO_FC ? 1 : op->kind == ZOO_ELTWISE ? op->h : op->oh;
        int64_t w = op->kind == ZOO_FC ? 1 : op->kind == ZOO_ELTWISE ? op->w : op->ow;
        fprintf(f, "%s- {op: activation", pad);
        put_name(f, op->name, ".act");
        put_shape(f, "input", op->n, c, h, w);
        fprintf(f, ", function: %s, dtype: %s}\n", zoo_act_name(op->act), dtype_name(op->dtype));
    }
}

/* Write ops [i, end) at `indent`, stopping at the ZOO_END that closes the caller's
 * block; returns the index after what was written. */
static int emit_range(FILE *f, const zoo_net_t *net, int i, int end, int indent, int dla)
{
    char pad[80];
    assert(indent < (int)sizeof pad);
    memset(pad, ' ', (size_t)indent);
    pad[indent] = '\0';
    while (i < end) {
        const zoo_op_t *op = &net->ops[i];
        if (op->kind == ZOO_END)
            return i + 1;
        if (op->kind == ZOO_REPEAT) {
            fprintf(f, "%s- op: repeat\n", pad);
            if (op->name[0])
                fprintf(f, "%s  name: %s\n", pad, op->name);
            fprintf(f, "%s  count: %" PRId64 "\n%s  ops:\n", pad, op->count, pad);
            i = emit_range(f, net, i + 1, end, indent + 4, dla);
            continue;
        }
        emit_op(f, op, pad, dla);
        i++;
    }
    return i;
}

static void fmt_count(double v, char *buf, size_t len)
{
    if (v >= 1e9)
        snprintf(buf, len, "%.3f G", v / 1e9);
    else
        snprintf(buf, len, "%.3f M", v / 1e6);
}

/* A CNN built at an input other than its default square: the trace names the size (the
 * default is left out, so traces written before --imgsz existed stay byte-identical). */
static int other_imgsz(const zoo_entry_t *e, const zoo_plan_t *p)
{
    return (e->info.options & ZOO_OPT_IMGSZ) &&
           (p->r.img_h != e->imgsz || p->r.img_w != (e->imgsz_w ? e->imgsz_w : e->imgsz));
}

/* The options in canonical form, as a command line. */
static void canonical(const zoo_entry_t *e, const zoo_plan_t *p, char *buf, size_t len)
{
    size_t l;
    unsigned o = e->info.options;
    snprintf(buf, len, "--dtype %s --engine %s", dtype_name(p->udtype),
             zoo_engine_name(p->engine));
#define CAT(...) (l = strlen(buf), snprintf(buf + l, len - l, __VA_ARGS__))
    if (p->engine == ZOO_ENG_GPU_2DLA)
        CAT(" --split %" PRId64 ",%" PRId64 ",%" PRId64, p->split[0], p->split[1], p->split[2]);
    else if (o & ZOO_OPT_BATCH)
        CAT(" --batch %" PRId64, p->r.batch);
    if (p->r.sparse)
        CAT(" --sparsity 2:4");
    if (o & ZOO_OPT_SEQ)
        CAT(" --seq %" PRId64, p->r.seq);
    if (o & ZOO_OPT_CONTEXT)
        CAT(" --context %" PRId64, p->r.context);
    if (o & ZOO_OPT_PROMPT)
        CAT(" --prompt %" PRId64, p->r.prompt);
    if ((o & ZOO_OPT_GROUP) && p->r.group)
        CAT(" --group %" PRId64, p->r.group);
    if (p->io_set)
        CAT(" --io-dtype %s", dtype_name(p->io_dtype));
    if ((o & ZOO_OPT_FALLBACK) && p->r.dtype == DT_INT8)
        CAT(" --int8-fallback %s", dtype_name(p->r.fallback));
    if (other_imgsz(e, p))
        CAT(" --imgsz %" PRId64 "x%" PRId64, p->r.img_h, p->r.img_w);
    CAT(" --frames %" PRId64, p->frames);
    if (p->period[0])
        CAT(" --period %s", p->period);
    if (p->runtime[0])
        CAT(" --runtime %s", p->runtime);
    if (p->deadline[0])
        CAT(" --deadline %s", p->deadline);
#undef CAT
}

static void trace_name(const zoo_entry_t *e, const zoo_plan_t *p, char *buf, size_t len)
{
    static const char *const eng[ZOO_ENG_COUNT] = {"gpu", "dla", "dla0", "dla1", "gpu2dla"};
    size_t l;
    snprintf(buf, len, "%s-%s-%s", e->info.name, dtype_name(p->udtype), eng[p->engine]);
    l = strlen(buf);
    if (p->engine == ZOO_ENG_GPU_2DLA)
        snprintf(buf + l, len - l, "-offline");
    else if (e->info.options & ZOO_OPT_BATCH)
        snprintf(buf + l, len - l, "-b%" PRId64, p->r.batch);
    l = strlen(buf);
    if (e->info.options & ZOO_OPT_SEQ)
        snprintf(buf + l, len - l, "-s%" PRId64, p->r.seq);
    else if (e->info.options & ZOO_OPT_CONTEXT)
        snprintf(buf + l, len - l, "-ctx%" PRId64, p->r.context);
    else if (e->info.options & ZOO_OPT_PROMPT)
        snprintf(buf + l, len - l, "-p%" PRId64, p->r.prompt);
    if (other_imgsz(e, p)) {
        l = strlen(buf);
        snprintf(buf + l, len - l, "-%" PRId64 "x%" PRId64, p->r.img_h, p->r.img_w);
    }
    if (p->r.sparse) {
        l = strlen(buf);
        snprintf(buf + l, len - l, "-sparse");
    }
}

static void emit_fallback_note(FILE *f, const fallbacks_t *fb)
{
    int first = 1;
    fprintf(f, "    # On a DLA these ops fall back to the GPU:");
    for (int a = 0; a < ZOO_ACT_COUNT; a++)
        if (fb->act[a] > 0) {
            fprintf(f, "%s %.0f %s activations", first ? "" : ",", fb->act[a], zoo_act_name(a));
            first = 0;
        }
    for (int k = 0; k < ZOO_OP_KIND_COUNT; k++)
        if (fb->gpu_ops[k] > 0) {
            fprintf(f, "%s %.0f %s", first ? "" : ",", fb->gpu_ops[k], kind_name(k));
            first = 0;
        }
    fprintf(f, ".\n");
}

/* One instance of the network: its engine and the nets that hold its ops. */
typedef struct instance {
    zoo_engine_t engine;          /* gpu, dla, dla0 or dla1 */
    const char *prefix;           /* task id prefix ("" for a single instance) */
    const zoo_net_t *whole;       /* at the instance's batch */
    const zoo_net_t *pass;        /* DLA share of gpu+2dla: a batch-2 pass, or NULL */
    int64_t passes;
    const zoo_net_t *odd;         /* and a batch-1 pass for an odd share, or NULL */
    int native_io;
} instance_t;

static void emit_task(FILE *f, const zoo_plan_t *p, const instance_t *in, int s)
{
    const zoo_stage_t *st = &in->whole->stages[s];
    int on_dla = st->role == ZOO_ROLE_MAIN && zoo_engine_is_dla(in->engine);
    const char *engine = st->role == ZOO_ROLE_MAIN  ? zoo_engine_name(in->engine)
                         : st->role == ZOO_ROLE_GPU ? "gpu"
                         : st->role == ZOO_ROLE_PVA ? "pva"
                                                    : "cpu";
    fallbacks_t fb;
    int fallback = st->role == ZOO_ROLE_PVA;

    fprintf(f, "\n");
    if (st->note[0])
        fprintf(f, "  # %s\n", st->note);
    fprintf(f, "  - id: %s%s\n    engine: %s\n", in->prefix, st->id, engine);
    if (st->after >= 0)
        fprintf(f, "    after: [%s%s]\n", in->prefix, in->whole->stages[st->after].id);
    if (on_dla) {
        count_fallbacks(in->whole, st->first, st->end, &fb);
        if (fb.total > 0) {
            emit_fallback_note(f, &fb);
            fallback = 1;
        }
        fallback |= st->fallback;
    }
    if (fallback)
        fprintf(f, "    fallback: gpu\n");
    if (on_dla && in->native_io)
        fprintf(f, "    io_format: native   # MLPerf feeds the DLAs int8 CHW4 tensors\n");
    if (p->io_set) {              /* the network's input enters its first task, ... */
        int first = s == 0, last = s == in->whole->nstages - 1;
        if (first && last)
            fprintf(f, "    io_dtype: %s\n", dtype_name(p->io_dtype));
        else if (first)
            fprintf(f, "    input_dtype: %s\n", dtype_name(p->io_dtype));
        else if (last)            /* ... and its output leaves the last */
            fprintf(f, "    output_dtype: %s\n", dtype_name(p->io_dtype));
    }
    if (st->weight_bytes > 0)
        fprintf(f, "    memory: {weights: %.0fB}\n", st->weight_bytes);
    fprintf(f, "    ops:\n");
    if (st->role == ZOO_ROLE_MAIN && in->pass != NULL) {
        const zoo_stage_t *ps = &in->pass->stages[s];
        fprintf(f, "      - op: repeat\n        name: batches of %d\n        count: %" PRId64
                   "\n        ops:\n", ZOO_DLA_BATCH, in->passes);
        emit_range(f, in->pass, ps->first, ps->end, 10, on_dla);
    }
    if (st->role == ZOO_ROLE_MAIN && in->odd != NULL) {
        const zoo_stage_t *os = &in->odd->stages[s];
        emit_range(f, in->odd, os->first, os->end, 6, on_dla);
    }
    if (st->role != ZOO_ROLE_MAIN || (in->pass == NULL && in->odd == NULL))
        emit_range(f, in->whole, st->first, st->end, 6, on_dla);
}

static void emit_header(FILE *f, const zoo_entry_t *e, const zoo_plan_t *p, const zoo_net_t *one)
{
    char opts[256], mac[32], par[32];
    const char *per = e->family == FAM_LLM ? (e->variant % 2 ? "per prompt" : "per token")
                      : e->family == FAM_PIPELINE ? "per frame (detector)"
                                                  : "per sample";
    canonical(e, p, opts, sizeof opts);
    fmt_count(zoo_net_sum(one, 0, one->nops, 0), mac, sizeof mac);
    fmt_count(zoo_net_sum(one, 0, one->nops, 1), par, sizeof par);
    fprintf(f, "# %s: %s.\n", e->info.name, e->info.description);
    if (other_imgsz(e, p))
        fprintf(f, "# Input %" PRId64 "x%" PRId64 " (height x width, --imgsz), not the "
                   "%" PRId64 "x%" PRId64 " above.\n",
                p->r.img_h, p->r.img_w, e->imgsz, e->imgsz);
    if (e->family == FAM_IMPORT) {
        fprintf(f, "# Imported by `%s %s`.\n", e->info.source, opts);
    } else {
        fprintf(f, "# Architecture: %s.\n", e->info.source);
        fprintf(f, "# Generated by `orinsim zoo %s %s`\n", e->info.name, opts);
        fprintf(f, "# from the layer definitions in soc/zoo*.c; regenerate (tests/zoo/regen.sh), "
                   "do not edit.\n");
    }
    fprintf(f, "# Batch 1: %sMAC %s, %s parameters (weights and biases).\n", mac, per, par);
    fputs(one->notes, f);
    if (p->engine == ZOO_ENG_GPU_2DLA)
        fprintf(f, "# MLPerf Offline: independent instances on gpu, dla0 and dla1 take %" PRId64
                   ", %" PRId64 " and %" PRId64 " samples of each frame;\n"
                   "# the GPU runs its share as one batch, a DLA in batches of %d "
                   "(MLPerf v3.0 Orin config:\n"
                   "# gpu_batch_size 256, dla_batch_size 2, 4500 vs 600 samples/s expected).\n",
                p->split[0], p->split[1], p->split[2], ZOO_DLA_BATCH);
}

int zoo_write(FILE *f, const zoo_entry_t *e, const zoo_plan_t *p, diag_t *d)
{
    /* nets[0]: batch 1 (header); per instance: whole, pass, odd */
    zoo_net_t nets[1 + 3 * 3];
    instance_t inst[3];
    int ninst = 0, nnets = 0, rc = 0;
    zoo_resolved_t r = p->r;
    char name[128];

    memset(nets, 0, sizeof nets);
    r.batch = 1;
    if (zoo_build_with(e, &r, &nets[nnets++], d) != 0) {
        rc = DIAG_ERR;
        goto out;
    }
    if (p->engine != ZOO_ENG_GPU_2DLA) {
        memset(&inst[0], 0, sizeof inst[0]);
        inst[0].engine = p->engine;
        inst[0].prefix = "";
        if (zoo_build_with(e, &p->r, &nets[nnets], d) != 0) {
            rc = DIAG_ERR;
            goto out;
        }
        inst[0].whole = &nets[nnets++];
        ninst = 1;
    } else {
        static const char *const prefix[3] = {"gpu.", "dla0.", "dla1."};
        static const zoo_engine_t engs[3] = {ZOO_ENG_GPU, ZOO_ENG_DLA0, ZOO_ENG_DLA1};
        for (int k = 0; k < 3; k++) {
            instance_t *in = &inst[ninst];
            if (p->split[k] == 0)
                continue;
            memset(in, 0, sizeof *in);
            in->engine = engs[k];
            in->prefix = prefix[k];
            r.batch = p->split[k];
            if (zoo_build_with(e, &r, &nets[nnets], d) != 0) {
                rc = DIAG_ERR;
                goto out;
            }
            in->whole = &nets[nnets++];
            if (k > 0) {
                in->native_io = 1;
                in->passes = p->split[k] / ZOO_DLA_BATCH;
                if (in->passes > 0) {
                    r.batch = ZOO_DLA_BATCH;
                    if (zoo_build_with(e, &r, &nets[nnets], d) != 0) {
                        rc = DIAG_ERR;
                        goto out;
                    }
                    in->pass = &nets[nnets++];
                }
                if (p->split[k] % ZOO_DLA_BATCH) {
                    r.batch = p->split[k] % ZOO_DLA_BATCH;
                    if (zoo_build_with(e, &r, &nets[nnets], d) != 0) {
                        rc = DIAG_ERR;
                        goto out;
                    }
                    in->odd = &nets[nnets++];
                }
            }
            ninst++;
        }
    }

    emit_header(f, e, p, &nets[0]);
    trace_name(e, p, name, sizeof name);
    fprintf(f, "orinsim: 1\nname: %s\nframes: %" PRId64 "\n", name, p->frames);
    if (p->period[0])
        fprintf(f, "period: %s\n", p->period);
    if (p->max_in_flight != 1)
        fprintf(f, "max_in_flight: %" PRId64 "\n", p->max_in_flight);
    if (p->runtime[0])
        fprintf(f, "runtime: %s\n", p->runtime);
    if (p->deadline[0])
        fprintf(f, "deadline: %s\n", p->deadline);
    fprintf(f, "tasks:\n");
    for (int i = 0; i < ninst; i++)
        for (int s = 0; s < inst[i].whole->nstages; s++)
            emit_task(f, p, &inst[i], s);
    if (ferror(f))
        rc = diag_error(d, NULL, 0, 0, "internal error: writing the trace failed");
out:
    for (int i = 0; i < nnets; i++)
        zoo_net_free(&nets[i]);
    return rc;
}
