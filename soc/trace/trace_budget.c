/*
 * trace_budget: a trace's `budgets:` list, and command-line budgets checked against the
 * tasks of a trace. The budgets themselves (parsing a command-line budget, evaluating one
 * against a report) are soc/trace/budget.c; this file is the part that knows the trace.
 */
#include <string.h>

#include "soc/io/ydoc.h"
#include "soc/trace/budget.h"
#include "soc/trace/trace.h"

static const char *const BUDGET_KEYS[] = {"metric", "max", "min", NULL};

static int has_task(const trace_t *t, const char *id)
{
    for (int i = 0; i < t->ntasks; i++)
        if (strcmp(t->tasks[i].id, id) == 0)
            return 1;
    return 0;
}

/* "a, b, c" (the trace's task ids, as many as fit). */
static void task_list(const trace_t *t, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < t->ntasks && used < len; i++) {
        int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", t->tasks[i].id);
        if (w < 0)
            return;
        used += (size_t)w;
    }
}

static int needs_task(const metric_t *m)
{
    return strstr(m->def->name, "<task>") != NULL;
}

/* ---- the trace's budgets: list ---- */

static int parse_bound(ydoc_t *y, const yaml_node_t *entry, const char *key, budget_op_t op,
                       const metric_t *m, const char *name, budget_list_t *out, diag_t *d)
{
    yaml_node_t *v = ydoc_get(y, entry, key);
    budget_t b = {.metric = *m, .op = op, .line = ydoc_line(entry), .col = ydoc_col(entry)};
    char why[512];
    if (v == NULL)
        return 0;
    if (ydoc_expect_scalar(y, v, "a budget limit", d) != 0)
        return DIAG_ERR;
    if (metric_parse_limit(m->def->dim, ydoc_str(v), &b.limit, why, sizeof why) != 0)
        return ydoc_error(y, v, d, "budget '%s' %s: %s", name, key, why);
    if (budget_list_append(out, &b) != 0)
        return ydoc_error(y, v, d, "out of memory");
    return 0;
}

int budget_parse_yaml(struct ydoc *y, const yaml_node_t *seq, const struct trace *t,
                      budget_list_t *out, diag_t *d)
{
    if (seq == NULL)
        return 0;
    if (ydoc_expect_seq(y, seq, "budgets (a list of {metric, max | min})", d) != 0)
        return DIAG_ERR;
    for (size_t i = 0; i < ydoc_seq_len(seq); i++) {
        yaml_node_t *e = ydoc_seq_at(y, seq, i), *v;
        char name[METRIC_NAME_LEN], why[1024];
        metric_t m;
        if (ydoc_expect_map(y, e, "a budget ({metric: NAME, max: LIMIT} or min:)", d) != 0 ||
            ydoc_check_keys(y, e, BUDGET_KEYS, "budget", d) != 0)
            return DIAG_ERR;
        v = ydoc_require(y, e, "metric", "budget", d);
        if (v == NULL || ydoc_string(y, v, "budget metric", name, sizeof name, d) != 0)
            return DIAG_ERR;
        if (metric_lookup(name, &m, why, sizeof why) != 0)
            return ydoc_error(y, v, d, "%s", why);
        if (needs_task(&m) && !has_task(t, m.key)) {
            char tasks[512];
            task_list(t, tasks, sizeof tasks);
            return ydoc_error(y, v, d, "budget metric '%s' names task '%s', which the trace "
                              "does not have (its tasks: %s)", name, m.key, tasks);
        }
        if (ydoc_get(y, e, "max") == NULL && ydoc_get(y, e, "min") == NULL)
            return ydoc_error(y, e, d, "budget '%s' has no limit (expected max:, min: or both)",
                              name);
        if (parse_bound(y, e, "max", BUDGET_LE, &m, name, out, d) != 0 ||
            parse_bound(y, e, "min", BUDGET_GE, &m, name, out, d) != 0)
            return DIAG_ERR;
    }
    return 0;
}

int budget_check_trace(const budget_list_t *l, const struct trace *t, diag_t *d)
{
    for (int i = 0; i < l->n; i++) {
        const budget_t *b = &l->v[i];
        char name[METRIC_NAME_LEN], tasks[512];
        if (!needs_task(&b->metric) || has_task(t, b->metric.key))
            continue;
        metric_name(&b->metric, name, sizeof name);
        task_list(t, tasks, sizeof tasks);
        return diag_error(d, t->path, 0, 0, "budget metric '%s' names task '%s', which this "
                          "trace does not have (its tasks: %s)", name, b->metric.key, tasks);
    }
    return 0;
}
