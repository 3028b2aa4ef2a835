/*
 * study_part: a study's rows in memory, as a part file, and parts merged.
 *
 * A part is one JSON object (docs/study.md):
 *
 *     {"orinsim_study_part": 1, "study": NAME, "fingerprint": HEX, "runs": TOTAL,
 *      "shard": "K/N", "columns": [...], "metrics": [...], "pareto": [...],
 *      "budgets": [...],
 *      "rows": [{"index": I, "id": ID, "params": [...], "status": "ok", "error": null,
 *                "metrics": [x | null, ...], "budgets": [{"state": "pass", "value": x}]}]}
 *
 * Numbers are written "%.17g", which strtod reads back as the same double, so the
 * outputs of a merge are those of one process. Reading checks every field (a part is a
 * file like any other: it may be truncated, edited, or from another study), and the merge
 * checks that the parts are of one study (same fingerprint: the same runs, metrics,
 * budgets) before it joins them.
 */
#include "soc/study/study_result.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/jsonfile.h"
#include "soc/io/out.h"
#include "soc/io/slurp.h"

#define STUDY_PART_VERSION 1
#define STUDY_MAX_PART_BYTES (1024u << 20)
#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

static const char *const STATUS[] = {"ok", "failed", "thermal-shutdown"};
static const char *const STATE[] = {"pass", "fail", "no-value", "not-run"};

/* ---- rows ---- */

int study_row_alloc(const study_result_t *r, study_row_t *row)
{
    size_t m = (size_t)(r->nmetrics > 0 ? r->nmetrics : 1);
    size_t b = (size_t)(r->nbudgets > 0 ? r->nbudgets : 1);
    row->param = calloc((size_t)(r->ncolumns > 0 ? r->ncolumns : 1), sizeof *row->param);
    row->metric = calloc(m, sizeof *row->metric);
    row->has = calloc(m, 1);
    row->budget = calloc(b, 1);
    row->bvalue = calloc(b, sizeof *row->bvalue);
    if (!row->param || !row->metric || !row->has || !row->budget || !row->bvalue) {
        study_row_free(r, row);
        return -1;
    }
    return 0;
}

void study_row_free(const study_result_t *r, study_row_t *row)
{
    for (int c = 0; row->param && c < r->ncolumns; c++)
        free(row->param[c]);
    free(row->param);
    free(row->id);
    free(row->error);
    free(row->metric);
    free(row->has);
    free(row->budget);
    free(row->bvalue);
    memset(row, 0, sizeof *row);
}

int study_result_take(study_result_t *r, study_row_t *row)
{
    if (r->nrows == r->cap) {
        int cap = r->cap ? r->cap * 2 : 64;
        study_row_t *v = realloc(r->rows, (size_t)cap * sizeof *v);
        if (v == NULL)
            return -1;
        r->rows = v;
        r->cap = cap;
    }
    r->rows[r->nrows++] = *row;
    memset(row, 0, sizeof *row);
    return 0;
}

int study_result_init(study_result_t *r, const study_plan_t *p, diag_t *d)
{
    const study_t *s = p->s;
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", s->name);
    snprintf(r->fingerprint, sizeof r->fingerprint, "%s", p->fingerprint);
    r->total = p->nruns;
    r->ncolumns = p->ncolumns;
    for (int c = 0; c < p->ncolumns; c++)
        snprintf(r->columns[c], sizeof r->columns[c], "%s",
                 study_axis_name((study_axis_id_t)p->columns[c]));
    r->nmetrics = s->nmetrics;
    for (int m = 0; m < s->nmetrics; m++)
        metric_name(&s->metrics[m], r->metrics[m], sizeof r->metrics[m]);
    r->npareto = s->npareto;
    memcpy(r->pareto, s->pareto, sizeof r->pareto);
    r->nbudgets = s->budgets.n;
    if (r->nbudgets > 0 && (r->budgets = calloc((size_t)r->nbudgets, sizeof *r->budgets)) == NULL)
        return diag_internal(d, s->path, 0, 0, "out of memory");
    for (int b = 0; b < r->nbudgets; b++) {
        char desc[256];
        budget_describe(&s->budgets.v[b], desc, sizeof desc);
        if ((r->budgets[b] = strdup(desc)) == NULL)
            return diag_internal(d, s->path, 0, 0, "out of memory");
    }
    return 0;
}

void study_result_free(study_result_t *r)
{
    for (int i = 0; i < r->nrows; i++)
        study_row_free(r, &r->rows[i]);
    free(r->rows);
    for (int b = 0; r->budgets && b < r->nbudgets; b++)
        free(r->budgets[b]);
    free(r->budgets);
    memset(r, 0, sizeof *r);
}

/* ---- writing ---- */

static json_object *exact(double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    return json_object_new_double_s(v, buf);
}

static json_object *strings(char (*v)[METRIC_NAME_LEN], int n)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < n; i++)
        json_object_array_add(a, out_json_string(v[i]));
    return a;
}

static json_object *row_json(const study_result_t *r, const study_row_t *row)
{
    json_object *o = json_object_new_object(), *a;
    json_object_object_add(o, "index", json_object_new_int(row->index));
    json_object_object_add(o, "id", out_json_string(row->id));
    a = json_object_new_array();
    for (int c = 0; c < r->ncolumns; c++)
        json_object_array_add(a, out_json_string(row->param[c]));
    json_object_object_add(o, "params", a);
    json_object_object_add(o, "status", json_object_new_string(STATUS[row->status]));
    json_object_object_add(o, "error", row->error ? out_json_string(row->error) : NULL);
    a = json_object_new_array();
    for (int m = 0; m < r->nmetrics; m++)
        json_object_array_add(a, row->has[m] ? exact(row->metric[m]) : NULL);
    json_object_object_add(o, "metrics", a);
    a = json_object_new_array();
    for (int b = 0; b < r->nbudgets; b++) {
        json_object *e = json_object_new_object();
        int st = row->budget[b];
        json_object_object_add(e, "state", json_object_new_string(STATE[st]));
        json_object_object_add(e, "value", st <= STUDY_BUDGET_FAIL ? exact(row->bvalue[b]) : NULL);
        json_object_array_add(a, e);
    }
    json_object_object_add(o, "budgets", a);
    return o;
}

int study_part_write(FILE *out, const study_result_t *r, const char *shard)
{
    json_object *o = json_object_new_object(), *a;
    char cols[STUDY_AXES][METRIC_NAME_LEN];
    int rc;
    json_object_object_add(o, "orinsim_study_part", json_object_new_int(STUDY_PART_VERSION));
    json_object_object_add(o, "study", out_json_string(r->name));
    json_object_object_add(o, "fingerprint", json_object_new_string(r->fingerprint));
    json_object_object_add(o, "runs", json_object_new_int(r->total));
    json_object_object_add(o, "shard", json_object_new_string(shard));
    for (int c = 0; c < r->ncolumns; c++)
        snprintf(cols[c], sizeof cols[c], "%s", r->columns[c]);
    json_object_object_add(o, "columns", strings(cols, r->ncolumns));
    json_object_object_add(o, "metrics", strings((char (*)[METRIC_NAME_LEN])r->metrics,
                                                 r->nmetrics));
    a = json_object_new_array();
    for (int i = 0; i < r->npareto; i++)
        json_object_array_add(a, out_json_string(r->metrics[r->pareto[i]]));
    json_object_object_add(o, "pareto", a);
    a = json_object_new_array();
    for (int b = 0; b < r->nbudgets; b++)
        json_object_array_add(a, out_json_string(r->budgets[b]));
    json_object_object_add(o, "budgets", a);
    a = json_object_new_array();
    for (int i = 0; i < r->nrows; i++)
        json_object_array_add(a, row_json(r, &r->rows[i]));
    json_object_object_add(o, "rows", a);
    rc = fprintf(out, "%s\n", json_object_to_json_string_ext(o, JSON_FLAGS)) < 0 ? -1 : 0;
    json_object_put(o);
    return rc;
}

/* ---- reading ---- */

static int bad(diag_t *d, const char *name, const char *what)
{
    return diag_error(d, name, 0, 0, "not a study part written by this orinsim: %s", what);
}

static json_object *field(json_object *o, const char *key, json_type type)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
        return NULL;
    return v;
}

/* A string as the writer writes it back (bytes that are not UTF-8 as U+FFFD, see
 * out_json_string), so that a part read and written again is the same part. */
static char *dup_clean(json_object *v)
{
    json_object *c;
    char *s;
    if (!json_object_is_type(v, json_type_string))
        return NULL;
    c = out_json_string(json_object_get_string(v));
    s = c ? strdup(json_object_get_string(c)) : NULL;
    json_object_put(c);
    return s;
}

static int copy_clean(json_object *v, char *buf, size_t len)
{
    char *s = dup_clean(v);
    int rc = s && strlen(s) < len ? 0 : -1;
    if (rc == 0)
        memcpy(buf, s, strlen(s) + 1);
    free(s);
    return rc;
}

static int get_string(json_object *o, const char *key, char *buf, size_t len)
{
    return copy_clean(field(o, key, json_type_string), buf, len);
}

/* A number (int or double, finite) or, with nullable, null (*has = 0). */
static int get_number(json_object *v, int nullable, double *out, unsigned char *has)
{
    if (v == NULL && nullable) {
        *has = 0;
        *out = 0;
        return 0;
    }
    if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
        return -1;
    *out = json_object_get_double(v);
    *has = 1;
    return isfinite(*out) ? 0 : -1;
}

static int find(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

static int parse_row(json_object *o, study_result_t *r, study_row_t *row)
{
    json_object *a, *v;
    const char *st;
    int idx;
    if (!json_object_is_type(o, json_type_object) || (v = field(o, "index", json_type_int)) == NULL)
        return -1;
    idx = json_object_get_int(v);
    if (idx < 0 || idx >= r->total)
        return -1;
    row->index = idx;
    if ((v = field(o, "id", json_type_string)) == NULL ||
        (row->id = dup_clean(v)) == NULL)
        return -1;
    if ((a = field(o, "params", json_type_array)) == NULL ||
        (int)json_object_array_length(a) != r->ncolumns)
        return -1;
    for (int c = 0; c < r->ncolumns; c++) {
        v = json_object_array_get_idx(a, (size_t)c);
        if ((row->param[c] = dup_clean(v)) == NULL)
            return -1;
    }
    if ((v = field(o, "status", json_type_string)) == NULL)
        return -1;
    st = json_object_get_string(v);
    if ((idx = find(STATUS, 3, st)) < 0)
        return -1;
    row->status = (study_status_t)idx;
    if (json_object_object_get_ex(o, "error", &v) && v != NULL) {
        if ((row->error = dup_clean(v)) == NULL)
            return -1;
    }
    if ((a = field(o, "metrics", json_type_array)) == NULL ||
        (int)json_object_array_length(a) != r->nmetrics)
        return -1;
    for (int m = 0; m < r->nmetrics; m++)
        if (get_number(json_object_array_get_idx(a, (size_t)m), 1, &row->metric[m],
                       &row->has[m]) != 0)
            return -1;
    if ((a = field(o, "budgets", json_type_array)) == NULL ||
        (int)json_object_array_length(a) != r->nbudgets)
        return -1;
    for (int b = 0; b < r->nbudgets; b++) {
        json_object *e = json_object_array_get_idx(a, (size_t)b);
        unsigned char has;
        if (!json_object_is_type(e, json_type_object) ||
            (v = field(e, "state", json_type_string)) == NULL ||
            (idx = find(STATE, 4, json_object_get_string(v))) < 0)
            return -1;
        row->budget[b] = (unsigned char)idx;
        if (!json_object_object_get_ex(e, "value", &v) ||
            get_number(v, 1, &row->bvalue[b], &has) != 0 || has != (idx <= STUDY_BUDGET_FAIL))
            return -1;
    }
    return 0;
}

static int parse_names(json_object *root, const char *key, char (*out)[METRIC_NAME_LEN],
                       size_t width, int max, int *n)
{
    json_object *a = field(root, key, json_type_array);
    if (a == NULL || (int)json_object_array_length(a) > max)
        return -1;
    *n = (int)json_object_array_length(a);
    for (int i = 0; i < *n; i++) {
        json_object *v = json_object_array_get_idx(a, (size_t)i);
        if (copy_clean(v, (char *)out + width * (size_t)i, width) != 0)
            return -1;
    }
    return 0;
}

static int parse_header(json_object *root, study_result_t *r)
{
    json_object *v, *a;
    char pareto[STUDY_MAX_PARETO][METRIC_NAME_LEN];
    const char *names[STUDY_MAX_METRICS];
    char cols[STUDY_AXES][METRIC_NAME_LEN];
    if (!json_object_is_type(root, json_type_object) ||
        (v = field(root, "orinsim_study_part", json_type_int)) == NULL ||
        json_object_get_int(v) != STUDY_PART_VERSION ||
        get_string(root, "study", r->name, sizeof r->name) != 0 ||
        get_string(root, "fingerprint", r->fingerprint, sizeof r->fingerprint) != 0 ||
        (v = field(root, "runs", json_type_int)) == NULL)
        return -1;
    r->total = json_object_get_int(v);
    if (r->total < 1 || r->total > STUDY_MAX_RUNS ||
        parse_names(root, "columns", cols, METRIC_NAME_LEN, STUDY_AXES, &r->ncolumns) != 0 ||
        parse_names(root, "metrics", r->metrics, METRIC_NAME_LEN, STUDY_MAX_METRICS,
                    &r->nmetrics) != 0 ||
        parse_names(root, "pareto", pareto, METRIC_NAME_LEN, STUDY_MAX_PARETO, &r->npareto) != 0)
        return -1;
    for (int c = 0; c < r->ncolumns; c++) {
        if (strlen(cols[c]) >= sizeof r->columns[c])
            return -1;
        memcpy(r->columns[c], cols[c], strlen(cols[c]) + 1);   /* fits: checked above */
    }
    for (int m = 0; m < r->nmetrics; m++)
        names[m] = r->metrics[m];
    for (int i = 0; i < r->npareto; i++)
        if ((r->pareto[i] = find(names, r->nmetrics, pareto[i])) < 0)
            return -1;
    if ((a = field(root, "budgets", json_type_array)) == NULL)
        return -1;
    r->nbudgets = (int)json_object_array_length(a);
    if (r->nbudgets > 0 && (r->budgets = calloc((size_t)r->nbudgets, sizeof *r->budgets)) == NULL)
        return -1;
    for (int b = 0; b < r->nbudgets; b++) {
        v = json_object_array_get_idx(a, (size_t)b);
        if ((r->budgets[b] = dup_clean(v)) == NULL)
            return -1;
    }
    return 0;
}

int study_part_parse(const char *name, char *buf, size_t len, study_result_t *r, diag_t *d)
{
    json_object *root = NULL, *rows;
    memset(r, 0, sizeof *r);
    if (json_text_parse(name, "study part", buf, len, &root, NULL, d) != 0)
        return DIAG_ERR;
    if (parse_header(root, r) != 0) {
        json_object_put(root);
        study_result_free(r);
        return bad(d, name, "its header (orinsim_study_part, study, fingerprint, runs, "
                   "columns, metrics, pareto, budgets) is missing or malformed");
    }
    if ((rows = field(root, "rows", json_type_array)) == NULL) {
        json_object_put(root);
        study_result_free(r);
        return bad(d, name, "no rows array");
    }
    for (size_t i = 0; i < json_object_array_length(rows); i++) {
        study_row_t row;
        memset(&row, 0, sizeof row);
        if (study_row_alloc(r, &row) != 0 ||
            parse_row(json_object_array_get_idx(rows, i), r, &row) != 0 ||
            study_result_take(r, &row) != 0) {
            char what[96];
            study_row_free(r, &row);
            json_object_put(root);
            study_result_free(r);
            snprintf(what, sizeof what, "row %zu is malformed", i + 1);
            return bad(d, name, what);
        }
    }
    json_object_put(root);
    return 0;
}

int study_part_load(const char *path, study_result_t *r, diag_t *d)
{
    char *text = NULL;
    size_t len = 0;
    memset(r, 0, sizeof *r);
    if (slurp_file(path, "study part", STUDY_MAX_PART_BYTES, &text, &len, d) != 0)
        return DIAG_ERR;
    return study_part_parse(path, text, len, r, d);
}

/* ---- merging ---- */

static int same_header(const study_result_t *a, const study_result_t *b)
{
    if (strcmp(a->fingerprint, b->fingerprint) != 0 || strcmp(a->name, b->name) != 0 ||
        a->total != b->total || a->ncolumns != b->ncolumns || a->nmetrics != b->nmetrics ||
        a->npareto != b->npareto || a->nbudgets != b->nbudgets)
        return 0;
    for (int c = 0; c < a->ncolumns; c++)
        if (strcmp(a->columns[c], b->columns[c]) != 0)
            return 0;
    for (int m = 0; m < a->nmetrics; m++)
        if (strcmp(a->metrics[m], b->metrics[m]) != 0)
            return 0;
    for (int i = 0; i < a->npareto; i++)
        if (a->pareto[i] != b->pareto[i])
            return 0;
    for (int i = 0; i < a->nbudgets; i++)
        if (strcmp(a->budgets[i], b->budgets[i]) != 0)
            return 0;
    return 1;
}

int study_merge(study_result_t *parts, int n, int complete, study_result_t *out, int *dropped,
                diag_t *d)
{
    study_row_t **at;
    int missing = 0, first_missing = -1;
    memset(out, 0, sizeof *out);
    *dropped = 0;
    if (n < 1)
        return diag_error(d, NULL, 0, 0, "no parts to merge");
    for (int i = 1; i < n; i++)
        if (!same_header(&parts[0], &parts[i]))
            return diag_error(d, NULL, 0, 0, "part %d is of another study than part 1 (study "
                              "'%s' %s, study '%s' %s): parts merge only with the parts of "
                              "the same study file", i + 1, parts[i].name,
                              parts[i].fingerprint, parts[0].name, parts[0].fingerprint);
    at = calloc((size_t)parts[0].total, sizeof *at);
    if (at == NULL)
        return diag_internal(d, NULL, 0, 0, "out of memory");
    for (int i = 0; i < n; i++)
        for (int k = 0; k < parts[i].nrows; k++) {
            study_row_t *row = &parts[i].rows[k];
            if (at[row->index] == NULL) {
                at[row->index] = row;
            } else if (strcmp(at[row->index]->id, row->id) != 0) {
                diag_error(d, NULL, 0, 0, "run %d is '%s' in one part and '%s' in another",
                           row->index, at[row->index]->id, row->id);
                free(at);
                return DIAG_ERR;
            } else {
                (*dropped)++;
            }
        }
    for (int i = 0; i < parts[0].total; i++)
        if (at[i] == NULL && missing++ == 0)
            first_missing = i;
    if (complete && missing > 0) {
        free(at);
        return diag_error(d, NULL, 0, 0, "%d of %d runs are in no part (the first: run %d); "
                          "run the shards that are missing, or the killed ones again", missing,
                          parts[0].total, first_missing);
    }
    /* The header is copied (budgets duplicated); rows move over in index order. */
    *out = parts[0];
    out->rows = NULL;
    out->nrows = out->cap = 0;
    out->budgets = NULL;
    if (out->nbudgets > 0 && (out->budgets = calloc((size_t)out->nbudgets,
                                                    sizeof *out->budgets)) == NULL) {
        free(at);
        return diag_internal(d, NULL, 0, 0, "out of memory");
    }
    for (int b = 0; b < out->nbudgets; b++)
        if ((out->budgets[b] = strdup(parts[0].budgets[b])) == NULL) {
            free(at);
            study_result_free(out);
            return diag_internal(d, NULL, 0, 0, "out of memory");
        }
    for (int i = 0; i < parts[0].total; i++)
        if (at[i] != NULL && study_result_take(out, at[i]) != 0) {
            free(at);
            study_result_free(out);
            return diag_internal(d, NULL, 0, 0, "out of memory");
        }
    free(at);
    return 0;
}
