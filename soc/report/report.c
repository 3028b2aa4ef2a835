/*
 * report: text and JSON output of a run. See report.h.
 *
 * JSON is built with json-c, a maintained library from Debian, so escaping and
 * structure are never hand-written. Numbers are printed with a fixed precision
 * (json_object_new_double_s) so that reports are byte-identical across runs and
 * machines for the same inputs; with `reproducible`, wall-clock figures are zero.
 */
#include "soc/report/report.h"

#include <json-c/json.h>
#include <math.h>
#include <string.h>

#include "models/dram.h"
#include "soc/run/power_run.h"
#include "soc/run/program.h"
#include "soc/measure/vclass.h"
#include "soc/io/units.h"

static double ms(uint64_t ps)
{
    return (double)ps / 1e9;
}

static double span_s(const replay_result_t *r)
{
    return (double)(r->end - r->first_release) * 1e-12;
}

/* Steady-state rate: frames completed per second between the first and the last
 * completion; a single frame gives 1 / its latency. */
static double fps(const replay_result_t *r)
{
    double s;
    if (r->frames_done >= 2 && r->end > r->first_done)
        return (double)(r->frames_done - 1) / ((double)(r->end - r->first_done) * 1e-12);
    s = span_s(r);
    return s > 0 ? (double)r->frames_done / s : 0;
}

/* ---- text ---- */

static void dist_row(FILE *out, sim_dist_t *d)
{
    fprintf(out, "%9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f", sim_dist_mean(d) / 1e9,
            ms(sim_dist_pct(d, 50)), ms(sim_dist_pct(d, 90)), ms(sim_dist_pct(d, 95)),
            ms(sim_dist_pct(d, 99)), ms(sim_dist_pct(d, 99.9)), ms(sim_dist_max(d)));
}

static double miss_pct(const replay_misses_t *m, size_t n)
{
    return n > 0 ? 100.0 * (double)m->count / (double)n : 0;
}

static void misses_line(FILE *out, const char *what, const replay_misses_t *m, size_t n)
{
    fprintf(out, "  %-22s %9.3f ms: %lld of %zu missed (%.2f %%), longest run %lld\n", what,
            ms(m->deadline_ps), (long long)m->count, n, miss_pct(m, n), (long long)m->longest);
}

/* The model's error on published results of the class of this workload (vclass.h). */
static void validation_text(FILE *out, const trace_t *t)
{
    vclass_stat_t s;
    int found = vclass_lookup(t, &s);
    const char *bias = found > 0 ? vclass_bias(&s) : NULL;
    if (found < 0) {
        fprintf(out, "validation %s: the class table %s cannot be read\n", s.name,
                vclass_default_path());
        return;
    }
    if (found == 0) {
        fprintf(out, "validation %s: no published result of this class; the model's error "
                     "here is unmeasured (%s)\n", s.name, VCLASS_DOC);
        return;
    }
    fprintf(out, "validation %s: MAPE %.1f %% over %d published result%s", s.name, s.mape_pct,
            s.n, s.n == 1 ? "" : "s");
    if (bias)
        fprintf(out, ", %s on them (the model %s than measured by %.1f %% on average)", bias,
                s.mean_error_pct > 0 ? "faster" : "slower", fabs(s.mean_error_pct));
    fprintf(out, " (%s)\n", VCLASS_DOC);
}

void report_text(FILE *out, const soc_config_t *cfg, const trace_t *t, replay_result_t *r,
                 const report_options_t *opt)
{
    char buf[64];
    const sku_t *s = cfg->sku;
    double sim_s = span_s(r);

    fprintf(out, "orinsim %s: %s (%s)\n", ORINSIM_VERSION, t->name[0] ? t->name : "trace",
            t->path);
    fprintf(out, "module    %s, %s, mode %s (nvpmodel %d)\n", s->name, s->title, cfg->mode->name,
            cfg->mode->id);
    fprintf(out, "clocks    GPU %.1f MHz x %d SMs | CPU %d cores @ %.1f MHz | EMC %.0f MHz "
                 "(%.1f GB/s peak)\n",
            cfg->gpu.clock_hz / 1e6, cfg->gpu.sms, cfg->cpus, cfg->cpu_hz / 1e6,
            cfg->dram.emc_hz / 1e6, dram_peak_Bps(&cfg->dram) / 1e9);
    if (r->stopped[0])
        fprintf(out, "\nSTOPPED   %s after %lld of %lld frames\n", r->stopped,
                (long long)r->frames_done, (long long)r->frames);
    fprintf(out, "\nframes    %lld in %.6f s: %.2f frames/s", (long long)r->frames_done, sim_s,
            fps(r));
    if (t->period_ps > 0)
        fprintf(out, " (period %.3f ms = %.2f frames/s offered)", ms(t->period_ps),
                1e12 / (double)t->period_ps);
    fputc('\n', out);
    validation_text(out, t);
    fprintf(out, "\n%-24s %-6s %8s %9s %9s %9s %9s %9s %9s %9s\n", "latency (ms)", "engine",
            "count", "mean", "p50", "p90", "p95", "p99", "p99.9", "max");
    fprintf(out, "%-24s %-6s %8zu ", "frame", "", sim_dist_count(&r->frame_latency));
    dist_row(out, &r->frame_latency);
    fputc('\n', out);
    if (sim_dist_max(&r->queue_wait) > 0) {
        fprintf(out, "%-24s %-6s %8zu ", "(waiting for a slot)", "",
                sim_dist_count(&r->queue_wait));
        dist_row(out, &r->queue_wait);
        fputc('\n', out);
    }
    for (int i = 0; i < r->ntasks; i++) {
        replay_task_result_t *tr = &r->tasks[i];
        fprintf(out, "%-24s %-6s %8zu ", tr->id, trace_engine_name(tr->engine),
                sim_dist_count(&tr->latency));
        dist_row(out, &tr->latency);
        fputc('\n', out);
    }
    for (int i = 0; i < r->ntasks; i++) {
        char why[512];
        if (!program_has_engine(cfg, r->tasks[i].engine, why, sizeof why))
            fprintf(out, "note      task '%s' ran on the GPU, not %s: %s (fallback: gpu)\n",
                    r->tasks[i].id, trace_engine_name(r->tasks[i].engine), why);
    }
    {
        int any = r->frame_misses.deadline_ps > 0 || r->dropped > 0;
        for (int i = 0; i < r->ntasks; i++)
            any |= r->tasks[i].misses.deadline_ps > 0;
        if (any)
            fprintf(out, "\ndeadlines\n");
        if (r->frame_misses.deadline_ps > 0)
            misses_line(out, "frame", &r->frame_misses, sim_dist_count(&r->frame_latency));
        for (int i = 0; i < r->ntasks; i++)
            if (r->tasks[i].misses.deadline_ps > 0)
                misses_line(out, r->tasks[i].id, &r->tasks[i].misses,
                            sim_dist_count(&r->tasks[i].latency));
        if (r->dropped > 0 || t->drop)
            fprintf(out, "  %-22s %lld of %lld frames dropped on arrival (overload: drop)\n",
                    "dropped", (long long)r->dropped, (long long)r->frames);
    }
    fprintf(out, "\nengines\n");
    if (r->engines[ENG_GPU].present)
        fprintf(out, "  gpu     busy %6.2f %%   SMs active %6.2f %%   %llu kernels, %llu CTAs, "
                     "%.3f TFLOP/s achieved\n",
                r->engines[ENG_GPU].busy_pct, r->engines[ENG_GPU].util_pct,
                (unsigned long long)r->kernels, (unsigned long long)r->ctas,
                sim_s > 0 ? r->gpu_flops / sim_s / 1e12 : 0);
    if (r->engines[ENG_GPU].present && r->context_switches > 0)
        fprintf(out, "          %llu context switches between processes\n",
                (unsigned long long)r->context_switches);
    for (int e = ENG_DLA0; e <= ENG_DLA1; e++)
        if (r->engines[e].present)
            fprintf(out, "  %-7s busy %6.2f %%   MAC array %6.2f %%\n", r->engines[e].name,
                    r->engines[e].busy_pct, r->engines[e].util_pct);
    if (r->engines[ENG_PVA].present)
        fprintf(out, "  pva     busy %6.2f %%\n", r->engines[ENG_PVA].busy_pct);
    if (r->engines[ENG_CPU].present)
        fprintf(out, "  cpu     busy %6.2f %% of %d cores\n", r->engines[ENG_CPU].busy_pct,
                cfg->cpus);
    {
        char tot[32], use[32];
        units_fmt_bytes(r->footprint.total, tot, sizeof tot);
        units_fmt_bytes(r->footprint.usable, use, sizeof use);
        fprintf(out, "\nmemory    %s resident of %s usable (%.1f %%)", tot, use,
                r->footprint.usable > 0 ? 100.0 * r->footprint.total / r->footprint.usable : 0);
        units_fmt_bytes(r->footprint.weights, tot, sizeof tot);
        fprintf(out, ": weights %s", tot);
        units_fmt_bytes(r->footprint.kv_cache, tot, sizeof tot);
        fprintf(out, ", KV cache %s", tot);
        units_fmt_bytes(r->footprint.activations, tot, sizeof tot);
        fprintf(out, ", activations %s", tot);
        units_fmt_bytes(r->footprint.buffers, tot, sizeof tot);
        fprintf(out, ", buffers %s\n", tot);
    }
    units_fmt_bytes(r->dram_bytes, buf, sizeof buf);
    fprintf(out, "\ndram      %s moved, average %.2f GB/s, peak %.2f GB/s "
                 "(achievable %.2f of %.2f GB/s)\n",
            buf, r->dram_avg_Bps / 1e9, r->dram_peak_Bps / 1e9,
            dram_achievable_Bps(&cfg->dram) / 1e9, dram_peak_Bps(&cfg->dram) / 1e9);
    if (opt && opt->reproducible)
        fprintf(out, "sim       %.6f s simulated, %llu events\n", sim_s,
                (unsigned long long)r->events);
    else
        fprintf(out, "sim       %.6f s simulated in %.3f s wall, %llu events (%.2f M events/s)\n",
                sim_s, r->wall_s, (unsigned long long)r->events,
                r->wall_s > 0 ? (double)r->events / r->wall_s / 1e6 : 0);
    if (opt && opt->power)
        power_report_text(out, opt->power, t, r);
}

/* ---- JSON ---- */

static json_object *jnum(double v)
{
    char buf[64];
    if (!isfinite(v))
        return NULL;    /* serialised as null */
    snprintf(buf, sizeof buf, "%.9g", v);
    return json_object_new_double_s(v, buf);
}

static json_object *jdist(sim_dist_t *d)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "mean", jnum(sim_dist_mean(d) / 1e9));
    json_object_object_add(o, "p50", jnum(ms(sim_dist_pct(d, 50))));
    json_object_object_add(o, "p90", jnum(ms(sim_dist_pct(d, 90))));
    json_object_object_add(o, "p95", jnum(ms(sim_dist_pct(d, 95))));
    json_object_object_add(o, "p99", jnum(ms(sim_dist_pct(d, 99))));
    json_object_object_add(o, "p99_9", jnum(ms(sim_dist_pct(d, 99.9))));
    json_object_object_add(o, "max", jnum(ms(sim_dist_max(d))));
    return o;
}

/* Misses against a deadline (a deadline of 0 ms: none declared, no misses). */
static json_object *jmisses(const replay_misses_t *m, size_t n)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "deadline_ms", jnum(ms(m->deadline_ps)));
    json_object_object_add(o, "misses", json_object_new_int64(m->count));
    json_object_object_add(o, "miss_pct", jnum(miss_pct(m, n)));
    json_object_object_add(o, "longest_miss_run", json_object_new_int64(m->longest));
    return o;
}

int report_json(FILE *out, const soc_config_t *cfg, const trace_t *t, replay_result_t *r,
                const report_options_t *opt)
{
    json_object *root = json_object_new_object();
    json_object *clocks = json_object_new_object();
    json_object *tasks = json_object_new_object();
    json_object *engines = json_object_new_object();
    json_object *dram = json_object_new_object();
    json_object *sim = json_object_new_object();
    int repro = opt && opt->reproducible;
    int rc;

    json_object_object_add(root, "report_version", json_object_new_int(REPORT_VERSION));
    json_object_object_add(root, "orinsim", json_object_new_string(ORINSIM_VERSION));
    json_object_object_add(root, "trace", json_object_new_string(t->path));
    json_object_object_add(root, "name", json_object_new_string(t->name));
    json_object_object_add(root, "sku", json_object_new_string(cfg->sku->name));
    json_object_object_add(root, "mode", json_object_new_string(cfg->mode->name));
    json_object_object_add(clocks, "gpu_mhz", jnum(cfg->gpu.clock_hz / 1e6));
    json_object_object_add(clocks, "gpu_sms", json_object_new_int(cfg->gpu.sms));
    json_object_object_add(clocks, "cpu_mhz", jnum(cfg->cpu_hz / 1e6));
    json_object_object_add(clocks, "cpu_cores", json_object_new_int(cfg->cpus));
    json_object_object_add(clocks, "emc_mhz", jnum(cfg->dram.emc_hz / 1e6));
    json_object_object_add(root, "clocks", clocks);
    json_object_object_add(root, "frames", json_object_new_int64(r->frames_done));
    if (r->stopped[0])
        json_object_object_add(root, "stopped", json_object_new_string(r->stopped));
    json_object_object_add(root, "simulated_s", jnum(span_s(r)));
    json_object_object_add(root, "throughput_fps", jnum(fps(r)));
    json_object_object_add(root, "frame_latency_ms", jdist(&r->frame_latency));
    json_object_object_add(root, "queue_wait_ms", jdist(&r->queue_wait));
    json_object_object_add(root, "frame_deadline",
                           jmisses(&r->frame_misses, sim_dist_count(&r->frame_latency)));
    json_object_object_add(root, "dropped_frames", json_object_new_int64(r->dropped));
    {
        vclass_stat_t s;
        int found = vclass_lookup(t, &s);
        const char *bias = found > 0 ? vclass_bias(&s) : NULL;
        json_object *v = json_object_new_object();
        json_object_object_add(v, "class", json_object_new_string(s.name));
        json_object_object_add(v, "results", json_object_new_int(found > 0 ? s.n : 0));
        json_object_object_add(v, "mape_pct", found > 0 ? jnum(s.mape_pct) : NULL);
        json_object_object_add(v, "mean_error_pct", found > 0 ? jnum(s.mean_error_pct) : NULL);
        json_object_object_add(v, "bias", bias ? json_object_new_string(bias) : NULL);
        json_object_object_add(v, "doc", json_object_new_string(VCLASS_DOC));
        json_object_object_add(root, "validation", v);
    }
    for (int i = 0; i < r->ntasks; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "engine",
                               json_object_new_string(trace_engine_name(r->tasks[i].engine)));
        json_object_object_add(o, "count",
                               json_object_new_int64((int64_t)sim_dist_count(&r->tasks[i].latency)));
        json_object_object_add(o, "latency_ms", jdist(&r->tasks[i].latency));
        json_object_object_add(o, "deadline", jmisses(&r->tasks[i].misses,
                                                      sim_dist_count(&r->tasks[i].latency)));
        {
            char why[512];
            if (!program_has_engine(cfg, r->tasks[i].engine, why, sizeof why)) {
                json_object_object_add(o, "ran_on", json_object_new_string("gpu"));
                json_object_object_add(o, "fallback_reason", json_object_new_string(why));
            }
        }
        json_object_object_add(tasks, r->tasks[i].id, o);
    }
    json_object_object_add(root, "tasks", tasks);
    for (int e = 0; e < ENG_COUNT; e++) {
        json_object *o;
        if (!r->engines[e].present)
            continue;
        o = json_object_new_object();
        json_object_object_add(o, "busy_pct", jnum(r->engines[e].busy_pct));
        json_object_object_add(o, "util_pct", jnum(r->engines[e].util_pct));
        if (e == ENG_GPU) {
            json_object_object_add(o, "kernels", json_object_new_int64((int64_t)r->kernels));
            json_object_object_add(o, "context_switches",
                                   json_object_new_int64((int64_t)r->context_switches));
            json_object_object_add(o, "ctas", json_object_new_int64((int64_t)r->ctas));
            json_object_object_add(o, "tflops", jnum(span_s(r) > 0 ? r->gpu_flops / span_s(r) / 1e12 : 0));
        }
        json_object_object_add(engines, trace_engine_name((trace_engine_t)e), o);
    }
    json_object_object_add(root, "engines", engines);
    json_object_object_add(dram, "bytes", jnum(r->dram_bytes));
    json_object_object_add(dram, "avg_gbps", jnum(r->dram_avg_Bps / 1e9));
    json_object_object_add(dram, "peak_gbps", jnum(r->dram_peak_Bps / 1e9));
    json_object_object_add(dram, "achievable_gbps", jnum(dram_achievable_Bps(&cfg->dram) / 1e9));
    json_object_object_add(root, "dram", dram);
    {
        json_object *mem = json_object_new_object();
        json_object_object_add(mem, "footprint_bytes", jnum(r->footprint.total));
        json_object_object_add(mem, "usable_bytes", jnum(r->footprint.usable));
        json_object_object_add(mem, "weights_bytes", jnum(r->footprint.weights));
        json_object_object_add(mem, "kv_cache_bytes", jnum(r->footprint.kv_cache));
        json_object_object_add(mem, "activations_bytes", jnum(r->footprint.activations));
        json_object_object_add(mem, "buffers_bytes", jnum(r->footprint.buffers));
        json_object_object_add(root, "memory", mem);
    }
    json_object_object_add(sim, "events", json_object_new_int64((int64_t)r->events));
    json_object_object_add(sim, "wall_s", jnum(repro ? 0 : r->wall_s));
    json_object_object_add(sim, "events_per_s",
                           jnum(repro || r->wall_s <= 0 ? 0 : (double)r->events / r->wall_s));
    json_object_object_add(root, "sim", sim);
    if (opt && opt->power)
        power_report_json(root, opt->power, t, r);

    rc = fprintf(out, "%s\n",
                 json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
                                                          JSON_C_TO_STRING_SPACED |
                                                          JSON_C_TO_STRING_NOSLASHESCAPE)) < 0
             ? -1
             : 0;
    json_object_put(root);
    return rc;
}
