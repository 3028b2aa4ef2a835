/*
 * budget: parsing budgets from a trace and from the command line, and evaluating them
 * against a JSON report. See budget.h; the metrics are those of soc/trace/metric.c.
 *
 * A trace entry may give `max`, `min` or both; each bound becomes one budget, `max`
 * first, so a CI report shows one test case per bound. Limits are converted to the
 * metric's report unit when parsed (33ms -> 33, 50GB/s -> 50), so evaluation is a plain
 * comparison with the value the JSON report holds. A value equal to a `max` or `min`
 * limit passes; `<` and `>` are strict.
 */
#include "soc/trace/budget.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/grow.h"

int budget_list_append(budget_list_t *l, const budget_t *b)
{
    budget_t *v = grow_one(l->v, l->n, &l->cap, 8, sizeof *v);
    if (v == NULL)
        return DIAG_ERR;
    l->v = v;
    l->v[l->n++] = *b;
    return 0;
}

void budget_list_free(budget_list_t *l)
{
    if (l == NULL)
        return;
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* ---- the command line ---- */

static void trim(char *s)
{
    size_t n = strlen(s), i = 0;
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    while (isspace((unsigned char)s[i]))
        i++;
    memmove(s, s + i, n - i + 1);
}

int budget_parse_arg(const char *arg, budget_list_t *out, diag_t *d)
{
    char name[METRIC_NAME_LEN], limit[128], why[1024];
    const char *op = strpbrk(arg, "<>");
    size_t oplen;
    budget_t b = {0};
    int rc;

    if (op == NULL && strchr(arg, '='))
        return diag_error(d, NULL, 0, 0, "--budget '%s': '=' is not a budget operator (expected "
                          "<=, >=, < or >)", arg);
    if (op == NULL)
        return diag_error(d, NULL, 0, 0, "--budget '%s': expected METRIC<=LIMIT (or >=, <, >), "
                          "for example 'frame_latency.p99<=33ms'", arg);
    if ((size_t)(op - arg) >= sizeof name)
        return diag_error(d, NULL, 0, 0, "--budget '%s': metric name too long", arg);
    memcpy(name, arg, (size_t)(op - arg));
    name[op - arg] = '\0';
    trim(name);
    if (strchr(name, '=') || strchr(name, '!'))
        return diag_error(d, NULL, 0, 0, "--budget '%s': expected one of the operators <=, >=, "
                          "<, > after the metric name", arg);
    if (name[0] == '\0')
        return diag_error(d, NULL, 0, 0, "--budget '%s': missing metric name before '%c'", arg,
                          *op);
    oplen = op[1] == '=' ? 2 : 1;
    b.op = op[0] == '<' ? (oplen == 2 ? BUDGET_LE : BUDGET_LT)
                        : (oplen == 2 ? BUDGET_GE : BUDGET_GT);
    if (strlen(op + oplen) >= sizeof limit)
        return diag_error(d, NULL, 0, 0, "--budget '%s': limit too long", arg);
    snprintf(limit, sizeof limit, "%s", op + oplen);
    trim(limit);
    if (limit[0] == '\0')
        return diag_error(d, NULL, 0, 0, "--budget '%s': missing limit after '%.*s'", arg,
                          (int)oplen, op);
    rc = metric_lookup(name, &b.metric, why, sizeof why);
    if (rc != 0)
        return diag_error(d, NULL, 0, 0, "--budget '%s': %s", arg, why);
    if (metric_parse_limit(b.metric.def->dim, limit, &b.limit, why, sizeof why) != 0)
        return diag_error(d, NULL, 0, 0, "--budget '%s': %s", arg, why);
    if (budget_list_append(out, &b) != 0)
        return diag_error(d, NULL, 0, 0, "out of memory");
    return 0;
}

/* ---- evaluation and output ---- */

budget_status_t budget_eval(const budget_t *b, json_object *report, double *value)
{
    double v;
    int ok;
    if (metric_value(&b->metric, report, &v) != 0)
        return BUDGET_NO_VALUE;
    *value = v;
    switch (b->op) {
    case BUDGET_LE: ok = v <= b->limit; break;
    case BUDGET_LT: ok = v < b->limit; break;
    case BUDGET_GE: ok = v >= b->limit; break;
    default: ok = v > b->limit; break;
    }
    return ok ? BUDGET_PASS : BUDGET_FAIL;
}

const char *budget_op_str(budget_op_t op)
{
    static const char *const OPS[] = {"<=", "<", ">=", ">"};
    return (op >= BUDGET_LE && op <= BUDGET_GT) ? OPS[op] : "?";
}

void budget_describe(const budget_t *b, char *buf, size_t len)
{
    char name[METRIC_NAME_LEN];
    const char *unit = metric_unit(b->metric.def->dim);
    metric_name(&b->metric, name, sizeof name);
    snprintf(buf, len, "%s %s %.9g%s%s", name, budget_op_str(b->op), b->limit,
             unit[0] && unit[0] != '%' ? " " : "", unit);
}

void budget_print(FILE *out, const budget_t *b, budget_status_t s, double value)
{
    char desc[METRIC_NAME_LEN + 64], val[64];
    budget_describe(b, desc, sizeof desc);
    if (s == BUDGET_NO_VALUE) {
        fprintf(out, "  ERROR %s: the run has no value for this metric\n", desc);
        return;
    }
    metric_format(b->metric.def->dim, value, val, sizeof val);
    fprintf(out, "  %-5s %s: %s\n", s == BUDGET_PASS ? "pass" : "FAIL", desc, val);
}

static json_object *jnum(double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.9g", v);
    return json_object_new_double_s(v, buf);
}

json_object *budget_json(const budget_t *b, budget_status_t s, double value,
                         const char *origin)
{
    static const char *const STATUS[] = {"pass", "fail", "no_value"};
    json_object *o = json_object_new_object();
    char name[METRIC_NAME_LEN], where[600];
    metric_name(&b->metric, name, sizeof name);
    json_object_object_add(o, "metric", json_object_new_string(name));
    json_object_object_add(o, "op", json_object_new_string(budget_op_str(b->op)));
    json_object_object_add(o, "limit", jnum(b->limit));
    json_object_object_add(o, "unit", json_object_new_string(metric_unit(b->metric.def->dim)));
    json_object_object_add(o, "value", s == BUDGET_NO_VALUE ? NULL : jnum(value));
    json_object_object_add(o, "status", json_object_new_string(STATUS[s]));
    if (b->line > 0)
        snprintf(where, sizeof where, "%s:%d:%d", origin ? origin : "", b->line, b->col);
    else
        snprintf(where, sizeof where, "command line");
    json_object_object_add(o, "source", json_object_new_string(where));
    return o;
}
