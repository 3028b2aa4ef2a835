/*
 * metric: the table of metrics and how each is read from a JSON report. See metric.h.
 *
 * A table row pairs a metric name with a JSON path. Both are dot-separated templates;
 * a component written `<task>` or `<engine>` stands for a key of the report's `tasks` or
 * `engines` object. Because task ids may themselves hold dots, a name is matched by the
 * text before and after its placeholder, never by splitting it at dots.
 *
 * Power and energy metrics come from the power model; metric_needs_power tells a caller
 * to turn it on for the run. Adding a metric is one row of METRICS: budgets and diffs
 * need nothing else.
 */
#include "soc/trace/metric.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/trace/trace_engine.h"
#include "soc/io/units.h"


static const metric_def_t METRICS[] = {
    {"frame_latency.mean", "frame_latency_ms.mean", METRIC_DURATION, METRIC_LOWER_BETTER},
    {"frame_latency.p50", "frame_latency_ms.p50", METRIC_DURATION, METRIC_LOWER_BETTER},
    {"frame_latency.p90", "frame_latency_ms.p90", METRIC_DURATION, METRIC_LOWER_BETTER},
    {"frame_latency.p95", "frame_latency_ms.p95", METRIC_DURATION, METRIC_LOWER_BETTER},
    {"frame_latency.p99", "frame_latency_ms.p99", METRIC_DURATION, METRIC_LOWER_BETTER},
    {"frame_latency.p99.9", "frame_latency_ms.p99_9", METRIC_DURATION, METRIC_LOWER_BETTER},
    {"frame_latency.max", "frame_latency_ms.max", METRIC_DURATION, METRIC_LOWER_BETTER},
    {"throughput_fps", "throughput_fps", METRIC_NUMBER, METRIC_HIGHER_BETTER},
    {"tasks.<task>.latency.mean", "tasks.<task>.latency_ms.mean", METRIC_DURATION,
     METRIC_LOWER_BETTER},
    {"tasks.<task>.latency.p50", "tasks.<task>.latency_ms.p50", METRIC_DURATION,
     METRIC_LOWER_BETTER},
    {"tasks.<task>.latency.p90", "tasks.<task>.latency_ms.p90", METRIC_DURATION,
     METRIC_LOWER_BETTER},
    {"tasks.<task>.latency.p95", "tasks.<task>.latency_ms.p95", METRIC_DURATION,
     METRIC_LOWER_BETTER},
    {"tasks.<task>.latency.p99.9", "tasks.<task>.latency_ms.p99_9", METRIC_DURATION,
     METRIC_LOWER_BETTER},
    {"tasks.<task>.latency.p99", "tasks.<task>.latency_ms.p99", METRIC_DURATION,
     METRIC_LOWER_BETTER},
    {"tasks.<task>.latency.max", "tasks.<task>.latency_ms.max", METRIC_DURATION,
     METRIC_LOWER_BETTER},
    {"frame_deadline.misses", "frame_deadline.misses", METRIC_NUMBER, METRIC_LOWER_BETTER},
    {"frame_deadline.miss_rate", "frame_deadline.miss_pct", METRIC_PERCENT, METRIC_LOWER_BETTER},
    {"frame_deadline.longest_miss_run", "frame_deadline.longest_miss_run", METRIC_NUMBER,
     METRIC_LOWER_BETTER},
    {"tasks.<task>.deadline.misses", "tasks.<task>.deadline.misses", METRIC_NUMBER,
     METRIC_LOWER_BETTER},
    {"tasks.<task>.deadline.miss_rate", "tasks.<task>.deadline.miss_pct", METRIC_PERCENT,
     METRIC_LOWER_BETTER},
    {"tasks.<task>.deadline.longest_miss_run", "tasks.<task>.deadline.longest_miss_run",
     METRIC_NUMBER, METRIC_LOWER_BETTER},
    {"dropped_frames", "dropped_frames", METRIC_NUMBER, METRIC_LOWER_BETTER},
    {"queue_wait.p99", "queue_wait_ms.p99", METRIC_DURATION, METRIC_LOWER_BETTER},
    {"engines.<engine>.busy_pct", "engines.<engine>.busy_pct", METRIC_PERCENT, METRIC_NEUTRAL,
     },
    {"engines.<engine>.util_pct", "engines.<engine>.util_pct", METRIC_PERCENT, METRIC_NEUTRAL,
     },
    {"engines.gpu.tflops", "engines.gpu.tflops", METRIC_NUMBER, METRIC_HIGHER_BETTER},
    {"dram.avg_gbps", "dram.avg_gbps", METRIC_BANDWIDTH, METRIC_NEUTRAL},
    {"dram.peak_gbps", "dram.peak_gbps", METRIC_BANDWIDTH, METRIC_NEUTRAL},
    /* Metrics of the power model (a budget on one turns the model on for the run). */
    {"power.module.avg", "power.avg_w", METRIC_POWER, METRIC_LOWER_BETTER},
    {"power.module.peak", "power.peak_w", METRIC_POWER, METRIC_LOWER_BETTER},
    {"energy_per_frame", "energy.per_frame_j", METRIC_ENERGY, METRIC_LOWER_BETTER},
    {"frames_per_joule", "energy.frames_per_j", METRIC_NUMBER, METRIC_HIGHER_BETTER},
    {"thermal.throttled_s", "power.thermal.throttled_s", METRIC_NUMBER, METRIC_LOWER_BETTER},
    {"thermal.first_throttle_s", "power.thermal.first_throttle_s", METRIC_NUMBER,
     METRIC_HIGHER_BETTER},
};
enum { NMETRICS = (int)(sizeof METRICS / sizeof METRICS[0]) };

int metric_count(void)
{
    return NMETRICS;
}

const metric_def_t *metric_def_at(int i)
{
    return (i >= 0 && i < NMETRICS) ? &METRICS[i] : NULL;
}

/* ---- names ---- */

/* Split a template at its placeholder: prefix length, placeholder ("<task>"), suffix.
 * Returns 0 if the template has none. */
static int placeholder(const char *tmpl, size_t *prefix, const char **ph, const char **suffix)
{
    const char *open = strchr(tmpl, '<');
    const char *close;
    if (open == NULL)
        return 0;
    close = strchr(open, '>');
    if (close == NULL)
        return 0;
    *prefix = (size_t)(open - tmpl);
    *ph = open;
    *suffix = close + 1;
    return 1;
}

static int is_engine(const char *s)
{
    for (int e = 0; e < ENG_COUNT; e++)
        if (strcmp(s, trace_engine_name((trace_engine_t)e)) == 0)
            return 1;
    return 0;
}

static void list_names(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < NMETRICS && used < len; i++) {
        int w;
        w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", METRICS[i].name);
        if (w < 0)
            return;
        used += (size_t)w;
    }
}

int metric_lookup(const char *name, metric_t *out, char *why, size_t whylen)
{
    char names[700];
    size_t n = strlen(name);
    memset(out, 0, sizeof *out);
    for (int i = 0; i < NMETRICS; i++) {
        const metric_def_t *def = &METRICS[i];
        size_t pre, suf, keylen;
        const char *ph, *suffix;
        if (!placeholder(def->name, &pre, &ph, &suffix)) {
            if (strcmp(name, def->name) != 0)
                continue;
        } else {
            suf = strlen(suffix);
            if (n <= pre + suf || strncmp(name, def->name, pre) != 0 ||
                strcmp(name + n - suf, suffix) != 0)
                continue;
            keylen = n - pre - suf;
            if (keylen >= sizeof out->key) {
                snprintf(why, whylen, "'%.*s' in metric '%s' is longer than %d characters",
                         (int)keylen, name + pre, name, (int)sizeof out->key - 1);
                return -1;
            }
            memcpy(out->key, name + pre, keylen);
            out->key[keylen] = '\0';
            if (strncmp(ph, "<engine>", 8) == 0 && !is_engine(out->key)) {
                snprintf(why, whylen, "unknown engine '%s' in metric '%s' (expected one of: "
                         "gpu, dla0, dla1, dla, pva, cpu)", out->key, name);
                return -1;
            }
        }
        out->def = def;
        return 0;
    }
    list_names(names, sizeof names);
    snprintf(why, whylen, "unknown metric '%s' (expected one of: %s; <task> is a task id of the "
             "trace, <engine> one of gpu, dla0, dla1, dla, pva, cpu)", name, names);
    return -1;
}

/* Expand a template with the metric's key. */
static void expand(const char *tmpl, const char *key, char *buf, size_t len)
{
    size_t pre;
    const char *ph, *suffix;
    if (!placeholder(tmpl, &pre, &ph, &suffix))
        snprintf(buf, len, "%s", tmpl);
    else
        snprintf(buf, len, "%.*s%s%s", (int)pre, tmpl, key, suffix);
}

void metric_name(const metric_t *m, char *buf, size_t len)
{
    expand(m->def->name, m->key, buf, len);
}

/* ---- values ---- */

/* Walk a JSON template component by component; the placeholder component is the key.
 * Stops before the last `stop` components (1: return the parent object). */
static json_object *walk(json_object *o, const char *tmpl, const char *key, int stop)
{
    char comp[METRIC_NAME_LEN];
    const char *p = tmpl;
    int total = 1, seen = 0;
    for (const char *q = tmpl; *q; q++)
        total += *q == '.';
    while (o != NULL && seen < total - stop) {
        const char *dot = strchr(p, '.');
        size_t l = dot ? (size_t)(dot - p) : strlen(p);
        json_object *next;
        if (l >= sizeof comp)
            return NULL;
        memcpy(comp, p, l);
        comp[l] = '\0';
        if (comp[0] == '<')
            snprintf(comp, sizeof comp, "%s", key);
        if (!json_object_is_type(o, json_type_object) ||
            !json_object_object_get_ex(o, comp, &next))
            return NULL;
        o = next;
        seen++;
        p = dot ? dot + 1 : p + l;
    }
    return o;
}

int metric_value(const metric_t *m, json_object *report, double *out)
{
    json_object *v = walk(report, m->def->json, m->key, 0);
    if (v == NULL || !(json_object_is_type(v, json_type_double) ||
                       json_object_is_type(v, json_type_int)))
        return -1;
    *out = json_object_get_double(v);
    return isfinite(*out) ? 0 : -1;
}

metric_presence_t metric_presence(const metric_t *m, json_object *report)
{
    json_object *parent = walk(report, m->def->json, m->key, 1), *v;
    const char *dot = strrchr(m->def->json, '.');
    const char *last = dot ? dot + 1 : m->def->json;   /* no template ends in a placeholder */
    if (parent == NULL)
        return METRIC_NO_PARENT;
    if (!json_object_is_type(parent, json_type_object))
        return METRIC_BAD_PARENT;
    if (!json_object_object_get_ex(parent, last, &v))
        return METRIC_NO_KEY;
    if (v == NULL)
        return METRIC_NULL;
    if (!(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)) ||
        !isfinite(json_object_get_double(v)))
        return METRIC_NOT_NUMBER;
    return METRIC_HAS_VALUE;
}

int metric_expand(const metric_def_t *def, json_object *report, metric_t *out, int max)
{
    size_t pre;
    const char *ph, *suffix;
    char parent[METRIC_NAME_LEN];
    json_object *o;
    int n = 0;
    if (!placeholder(def->json, &pre, &ph, &suffix)) {
        if (max > 0) {
            out[0].def = def;
            out[0].key[0] = '\0';
        }
        return 1;
    }
    /* The object whose keys the placeholder takes: the path before it. */
    if (pre == 0 || pre >= sizeof parent)
        return 0;
    snprintf(parent, sizeof parent, "%.*s", (int)pre - 1, def->json);
    o = walk(report, parent, "", 0);
    if (o == NULL || !json_object_is_type(o, json_type_object))
        return 0;
    json_object_object_foreach(o, k, v) {
        (void)v;
        if (strlen(k) >= sizeof out->key)
            continue;
        if (n < max) {
            out[n].def = def;
            snprintf(out[n].key, sizeof out[n].key, "%s", k);
        }
        n++;
    }
    return n;
}

/* ---- limits and formatting ---- */

/* "80%" or "80 %": a plain number followed by a percent sign. */
static int parse_percent(const char *text, double *out, char *why, size_t whylen)
{
    char num[64];
    const char *pct = strchr(text, '%');
    size_t l;
    if (pct == NULL) {
        char *end;
        strtod(text, &end);
        while (*end == ' ' || *end == '\t')
            end++;
        if (end != text && *end != '\0')
            snprintf(why, whylen, "unknown unit '%s' in '%s': expected a percentage such as "
                     "80%%", end, text);
        else
            snprintf(why, whylen, "missing unit in '%s': expected a percentage such as 80%%",
                     text);
        return -1;
    }
    for (const char *q = pct + 1; *q; q++)
        if (*q != ' ' && *q != '\t') {
            snprintf(why, whylen, "expected a percentage such as 80%%, got '%s'", text);
            return -1;
        }
    l = (size_t)(pct - text);
    while (l > 0 && (text[l - 1] == ' ' || text[l - 1] == '\t'))
        l--;
    if (l == 0 || l >= sizeof num) {
        snprintf(why, whylen, "expected a percentage such as 80%%, got '%s'", text);
        return -1;
    }
    memcpy(num, text, l);
    num[l] = '\0';
    if (units_number(num, out) != 0) {
        snprintf(why, whylen, "expected a percentage such as 80%%, got '%s'", text);
        return -1;
    }
    return 0;
}

int metric_parse_limit(metric_dim_t dim, const char *text, double *out, char *why,
                       size_t whylen)
{
    uint64_t ps;
    double v;
    int rc = 0;
    switch (dim) {
    case METRIC_DURATION:
        rc = units_duration_ps(text, &ps, why, whylen);
        v = (double)ps / 1e9;
        break;
    case METRIC_NUMBER:
        if (units_number(text, &v) != 0) {
            snprintf(why, whylen, "expected a plain number such as 30 (no unit), got '%s'",
                     text);
            return -1;
        }
        break;
    case METRIC_PERCENT:
        rc = parse_percent(text, &v, why, whylen);
        break;
    case METRIC_BANDWIDTH:
        rc = units_bandwidth_Bps(text, &v, why, whylen);
        v /= 1e9;
        break;
    case METRIC_POWER:
        rc = units_power_w(text, &v, why, whylen);
        break;
    case METRIC_ENERGY:
        rc = units_energy_j(text, &v, why, whylen);
        break;
    default:
        assert(!"unknown metric dimension");
        return -1;
    }
    if (rc != 0)
        return -1;
    if (v < 0) {
        snprintf(why, whylen, "negative limit '%s'", text);
        return -1;
    }
    *out = v;
    return 0;
}

const char *metric_unit(metric_dim_t dim)
{
    static const char *const UNITS[] = {
        [METRIC_DURATION] = "ms", [METRIC_NUMBER] = "",  [METRIC_PERCENT] = "%",
        [METRIC_BANDWIDTH] = "GB/s", [METRIC_POWER] = "W", [METRIC_ENERGY] = "J"};
    return (dim >= 0 && dim <= METRIC_ENERGY) ? UNITS[dim] : "";
}

void metric_format(metric_dim_t dim, double v, char *buf, size_t len)
{
    switch (dim) {
    case METRIC_DURATION:
        snprintf(buf, len, "%.3f ms", v);
        break;
    case METRIC_PERCENT:
        snprintf(buf, len, "%.2f %%", v);
        break;
    case METRIC_BANDWIDTH:
        snprintf(buf, len, "%.2f GB/s", v);
        break;
    case METRIC_POWER:
        snprintf(buf, len, "%.2f W", v);
        break;
    case METRIC_ENERGY:
        snprintf(buf, len, "%.4f J", v);
        break;
    default:
        snprintf(buf, len, "%.2f", v);
        break;
    }
}

int metric_needs_power(const metric_t *m)
{
    const char *path = m->def->json;
    return strncmp(path, "power.", 6) == 0 || strncmp(path, "energy.", 7) == 0;
}
