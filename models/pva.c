/*
 * pva: the PVA v2 programmable vision accelerator, one op at a time.
 *
 * The PVA is a VLIW SIMD DSP with two vector processing subsystems (VPS: a VPU, its
 * VMEM and its DMA engines) and a Cortex-R5 control subsystem that schedules work on
 * them [orin-facts §4b, S20]. The model runs one vision op at a time, in submission
 * order (a FIFO inside the model):
 *
 *   1. the per-op overhead (R5 scheduling, DMA descriptor setup, VPU program start), a
 *      fixed delay;
 *   2. then, overlapped, the op's math and its DMA traffic. The math is a flow of
 *      `cycles` VPS-cycles on a link of capacity vps x vps_hz: the op's pixels are split
 *      evenly over the VPS units, so it takes pixels x cycles_per_pixel / (vps x vps_hz).
 *      The DMA traffic is a flow on the shared DRAM link (dram_transfer) with the PVA's
 *      DMA ceiling, so it gets min(ceiling, its max-min fair share of the bus);
 *   3. the op ends when both are done.
 *
 * An op's cost (pva_op_cost) comes from a per-op table in configs/ (cycles per pixel per
 * VPS, DMA bytes per input and per output pixel) given for the op's default parameters;
 * the filter kernel size and the number of stereo disparities scale it as their
 * arithmetic does (op_scale below). No per-op cycle count of the Orin PVA is public:
 * every table entry is an ESTIMATE from an assumed VPU width, derived in the configs and
 * in docs/pva.md.
 *
 * What it ignores: VMEM tiling and halo re-reads (DMA traffic is the image once in and
 * once out), the DLUT coprocessor as a separate resource, contention on the R5 (the
 * overhead is a constant), running different ops on the two VPS at once, pixel formats
 * other than the op's default in the math (a 16-bit image fills half as many lanes), and
 * the 1 KiB or so of results some ops write besides their images (histogram bins).
 */
#include "models/pva.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/flow.h"
#include "sim/stats.h"

static const char *const OP_NAMES[PVA_OP_COUNT] = {
    "color_convert", "resize", "remap", "gaussian", "box", "harris", "fast", "histogram",
    "stereo", "vpu"};

const char *pva_op_name(pva_op_kind_t kind)
{
    return (int)kind >= 0 && kind < PVA_OP_COUNT ? OP_NAMES[kind] : NULL;
}

/* ---- cost ---- */

static int fail(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    if (why != NULL && len > 0) {
        va_start(ap, fmt);
        vsnprintf(why, len, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int dim_ok(int64_t v)
{
    return v >= 1 && v <= PVA_MAX_DIM;
}

/* How the op's parameters scale its cycles per pixel, relative to the table entry (given
 * at PVA_DEFAULT_KERNEL / PVA_DEFAULT_DISPARITIES). The counts are the op's arithmetic,
 * the same as in the configs' derivations:
 *   gaussian: separable, k MACs per pass, 2 passes = 2k per pixel       -> k / k0
 *   box:      vertical running sum (add the entering row, subtract the leaving one: 2),
 *             horizontal direct sum (k), one normalising multiply (1)  -> (k+3) / (k0+3)
 *   stereo:   SGM cost and path aggregation per disparity               -> D / D0 */
static double op_scale(const pva_op_t *op)
{
    double k = (double)(op->kernel ? op->kernel : PVA_DEFAULT_KERNEL);
    double d = (double)(op->disparities ? op->disparities : PVA_DEFAULT_DISPARITIES);
    switch (op->kind) {
    case PVA_GAUSSIAN:
        return k / PVA_DEFAULT_KERNEL;
    case PVA_BOX:
        return (k + 3) / (PVA_DEFAULT_KERNEL + 3);
    case PVA_STEREO:
        return d / PVA_DEFAULT_DISPARITIES;
    default:
        return 1;
    }
}

/* The generic op: cycles given directly or per pixel, bytes given directly. */
static int vpu_cost(const pva_op_t *op, pva_cost_t *out, char *why, size_t len)
{
    int has_cpp = op->cycles_per_pixel != 0, has_cycles = op->cycles != 0;
    if (op->kernel || op->disparities || op->out_width || op->out_height ||
        op->bytes_per_pixel != 0)
        return fail(why, len, "vpu op takes only width, height, cycles_per_pixel or cycles, "
                    "and bytes (kernel, disparities, out size and bytes_per_pixel do not apply)");
    if (has_cpp == has_cycles)
        return fail(why, len, "vpu op needs exactly one of cycles_per_pixel and cycles");
    if (!(op->bytes >= 0 && op->bytes <= PVA_MAX_BYTES))
        return fail(why, len, "vpu op bytes = %g (expected 0 to %g)", op->bytes, PVA_MAX_BYTES);
    if (has_cycles) {
        if (!(op->cycles > 0 && op->cycles <= PVA_MAX_CYCLES))
            return fail(why, len, "vpu op cycles = %g (expected > 0 and <= %g)", op->cycles,
                        PVA_MAX_CYCLES);
        if ((op->width || op->height) && !(dim_ok(op->width) && dim_ok(op->height)))
            return fail(why, len, "vpu op size %" PRId64 "x%" PRId64 " (expected 1 to %d each, "
                        "or both 0 with total cycles)", op->width, op->height, PVA_MAX_DIM);
        out->cycles = op->cycles;
    } else {
        if (!(dim_ok(op->width) && dim_ok(op->height)))
            return fail(why, len, "vpu op size %" PRId64 "x%" PRId64 " (expected 1 to %d each "
                        "with cycles_per_pixel)", op->width, op->height, PVA_MAX_DIM);
        if (!(op->cycles_per_pixel > 0 && op->cycles_per_pixel <= 1e6))
            return fail(why, len, "vpu op cycles_per_pixel = %g (expected > 0 and <= 1e6)",
                        op->cycles_per_pixel);
        out->cycles = (double)op->width * (double)op->height * op->cycles_per_pixel;
    }
    out->dram_bytes = op->bytes;
    return 0;
}

int pva_op_cost(const pva_spec_t *spec, const pva_op_t *op, pva_cost_t *out, char *why,
                size_t len)
{
    const char *name = pva_op_name(op->kind);
    int resamples = op->kind == PVA_RESIZE || op->kind == PVA_REMAP;
    int filter = op->kind == PVA_GAUSSIAN || op->kind == PVA_BOX;
    double in_px, out_px, in_bpp, out_bpp;

    if (spec->vps < 1 || !(spec->vps_hz > 0))
        return fail(why, len, "no PVA in this configuration (%d VPS at %g MHz)", spec->vps,
                    spec->vps_hz / 1e6);
    if (name == NULL)
        return fail(why, len, "unknown PVA op kind %d", (int)op->kind);
    out->cycles = out->dram_bytes = 0;
    if (op->kind == PVA_VPU)
        return vpu_cost(op, out, why, len);

    if (op->cycles_per_pixel != 0 || op->cycles != 0 || op->bytes != 0)
        return fail(why, len, "cycles_per_pixel, cycles and bytes apply only to the vpu op, "
                    "not to %s", name);
    if (!(dim_ok(op->width) && dim_ok(op->height)))
        return fail(why, len, "%s size %" PRId64 "x%" PRId64 " (expected 1 to %d each)", name,
                    op->width, op->height, PVA_MAX_DIM);
    if (!resamples && (op->out_width || op->out_height))
        return fail(why, len, "an output size applies only to resize and remap, not to %s",
                    name);
    if ((op->out_width || op->out_height) && !(dim_ok(op->out_width) && dim_ok(op->out_height)))
        return fail(why, len, "%s output size %" PRId64 "x%" PRId64 " (expected 1 to %d each, "
                    "or both 0 for the input size)", name, op->out_width, op->out_height,
                    PVA_MAX_DIM);
    if (op->kernel && !filter)
        return fail(why, len, "a kernel size applies only to gaussian and box, not to %s", name);
    if (op->kernel && (op->kernel < PVA_MIN_KERNEL || op->kernel > PVA_MAX_KERNEL ||
                       op->kernel % 2 == 0))
        return fail(why, len, "%s kernel %" PRId64 " (expected an odd size %d to %d)", name,
                    op->kernel, PVA_MIN_KERNEL, PVA_MAX_KERNEL);
    if (op->disparities && op->kind != PVA_STEREO)
        return fail(why, len, "disparities apply only to stereo, not to %s", name);
    if (op->disparities && (op->disparities < 1 || op->disparities > PVA_MAX_DISPARITIES))
        return fail(why, len, "stereo disparities %" PRId64 " (expected 1 to %d)",
                    op->disparities, PVA_MAX_DISPARITIES);
    if (!(op->bytes_per_pixel >= 0 && op->bytes_per_pixel <= PVA_MAX_BYTES_PER_PIXEL))
        return fail(why, len, "%s bytes_per_pixel = %g (expected 0 for the default, or up to "
                    "%g)", name, op->bytes_per_pixel, PVA_MAX_BYTES_PER_PIXEL);

    in_px = (double)op->width * (double)op->height;
    out_px = op->out_width ? (double)op->out_width * (double)op->out_height : in_px;
    /* A resampling op computes each output pixel; the others each input pixel. */
    out->cycles = (resamples ? out_px : in_px) * spec->cycles_per_pixel[op->kind] * op_scale(op);
    in_bpp = spec->bytes_per_pixel_in[op->kind];
    out_bpp = spec->bytes_per_pixel_out[op->kind];
    if (op->bytes_per_pixel > 0) {
        /* Ops whose output has the input's format (resize, remap, filters) widen their
         * output with it; the others write a format of their own (RGB, corners, bins,
         * disparities). */
        if ((resamples || filter) && in_bpp > 0)
            out_bpp *= op->bytes_per_pixel / in_bpp;
        in_bpp = op->bytes_per_pixel;
    }
    out->dram_bytes = in_px * in_bpp + out_px * out_bpp;
    return 0;
}

/* ---- timing ---- */

typedef struct pva_job {
    struct pva_job *next;
    pva_cost_t cost;
    pva_done_fn done;
    void *ctx;
    uint64_t tag;
} pva_job_t;

struct pva {
    sim_t *sim;
    pva_spec_t spec;
    dram_t *dram;
    sim_link_t *vps;          /* capacity vps x vps_hz, in VPS-cycles per second */
    pva_job_t *head, *tail;   /* head is running (overhead or work) while non-NULL */
    int queued;
    int parts;                /* of the running job's work still in flight */
    sim_util_t busy;
};

static void work_start(sim_t *s, void *component, uint64_t payload);

pva_t *pva_new(sim_t *s, const pva_spec_t *spec, dram_t *dram)
{
    pva_t *p;
    if (spec->vps < 1 || !(spec->vps_hz > 0))
        return NULL;
    p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->sim = s;
    p->spec = *spec;
    p->dram = dram;
    sim_label(s, work_start, "the PVA (models/pva.c)");
    p->vps = sim_link_new(s, "pva", spec->vps * spec->vps_hz);
    if (p->vps == NULL) {
        free(p);
        return NULL;
    }
    sim_util_init(&p->busy, sim_now(s));
    return p;
}

void pva_free(pva_t *p)
{
    if (p == NULL)
        return;
    while (p->head != NULL) {
        pva_job_t *j = p->head;
        p->head = j->next;
        free(j);
    }
    sim_link_free(p->vps);
    free(p);
}

static int start_head(pva_t *p);

static void part_done(sim_t *s, void *ctx, uint64_t tag)
{
    pva_t *p = ctx;
    pva_job_t *j = p->head;
    (void)tag;
    assert(j != NULL && p->parts > 0);
    if (--p->parts > 0)
        return;
    p->head = j->next;
    if (p->head == NULL)
        p->tail = NULL;
    p->queued--;
    if (p->head != NULL) {
        int rc = start_head(p);
        assert(rc == 0);   /* only an allocation failure; nothing to return it to */
        (void)rc;
    } else {
        sim_util_set(&p->busy, sim_now(s), 0);
    }
    j->done(s, j->ctx, j->tag);
    free(j);
}

/* The overhead is over: the math and the DMA traffic start together. */
static void work_start(sim_t *s, void *component, uint64_t payload)
{
    pva_t *p = component;
    pva_job_t *j = p->head;
    sim_flow_t *f;
    (void)s;
    (void)payload;
    assert(j != NULL);
    p->parts = 1 + (j->cost.dram_bytes > 0);
    f = sim_flow_start(p->vps, j->cost.cycles, 0, 1.0, part_done, p, 0);
    assert(f != NULL);
    if (j->cost.dram_bytes > 0) {
        f = dram_transfer(p->dram, j->cost.dram_bytes, p->spec.dram_Bps, 1.0, part_done, p, 1);
        assert(f != NULL);
    }
    (void)f;
}

static int start_head(pva_t *p)
{
    double ps = p->spec.op_overhead_s * 1e12;
    sim_util_set(&p->busy, sim_now(p->sim), 1);
    return sim_schedule(p->sim, ps > 0 ? (sim_time_t)llround(ps) : 0, work_start, p, 0) ? 0 : -1;
}

int pva_submit(pva_t *p, const pva_op_t *op, pva_done_fn done, void *ctx, uint64_t tag)
{
    pva_cost_t cost;
    pva_job_t *j;
    if (pva_op_cost(&p->spec, op, &cost, NULL, 0) != 0)
        return -1;
    j = calloc(1, sizeof *j);
    if (j == NULL)
        return -1;
    j->cost = cost;
    j->done = done;
    j->ctx = ctx;
    j->tag = tag;
    if (p->head == NULL) {
        p->head = p->tail = j;
        if (start_head(p) != 0) {
            p->head = p->tail = NULL;
            sim_util_set(&p->busy, sim_now(p->sim), 0);
            free(j);
            return -1;
        }
    } else {
        p->tail->next = j;
        p->tail = j;
    }
    p->queued++;
    return 0;
}

int pva_busy(const pva_t *p)
{
    return p->queued;
}

double pva_busy_frac(pva_t *p, sim_time_t t0)
{
    sim_util_set(&p->busy, sim_now(p->sim), p->busy.level);
    return sim_util_avg(&p->busy, t0, sim_now(p->sim));
}

const pva_spec_t *pva_spec(const pva_t *p)
{
    return &p->spec;
}

void pva_set_clock(pva_t *p, double hz)
{
    assert(hz > 0);
    p->spec.vps_hz = hz;
    sim_link_set_capacity(p->vps, p->spec.vps * hz);
}
