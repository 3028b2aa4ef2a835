/*
 * profile: the model against a TensorRT layer profile. See profile.h.
 */
#include "soc/measure/profile.h"

#include <ctype.h>
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/grow.h"
#include "soc/io/jsonfile.h"
#include "soc/io/out.h"
#include "soc/run/program.h"
#include "soc/run/replay.h"
#include "soc/io/slurp.h"
#include "soc/run/timeline.h"

enum { PROFILE_MAX_FILE = 64 << 20 };

/* What trtexec writes before its --dumpProfile table, and the name it gives the layers
 * that convert a tensor between formats. */
static const char TABLE_MARK[] = "=== Profile (";
static const char REFORMAT[] = "Reformatting CopyNode";

/* ---- the profile file ---- */

/* Byte offset of element `idx` of the top-level JSON array in `text` (0 if not found):
 * the first character of the idx-th value after the '[' or a ',' at depth 1. */
static size_t element_offset(const char *text, size_t idx)
{
    size_t n = 0;
    int depth = 0, in_str = 0, expect = 0;
    for (size_t i = 0; text[i]; i++) {
        char c = text[i];
        if (in_str) {
            if (c == '\\' && text[i + 1])
                i++;
            else if (c == '"')
                in_str = 0;
            continue;
        }
        if (depth == 1 && expect && !strchr(" \t\r\n,]", c)) {
            if (n++ == idx)
                return i;
            expect = 0;
        }
        if (c == '"')
            in_str = 1;
        else if (c == '[' || c == '{')
            expect = ++depth == 1;
        else if (c == ']' || c == '}')
            depth--;
        else if (c == ',' && depth == 1)
            expect = 1;
    }
    return 0;
}

static int element_error(diag_t *d, const char *path, const char *text, size_t idx,
                         const char *what)
{
    int line = 0, col = 0;
    size_t off = element_offset(text, idx);
    if (off > 0)
        json_file_position(text, off, &line, &col);
    return diag_error(d, path, line, col,
                      "layer %zu of the profile: %s (expected trtexec --exportProfile output: "
                      "{\"name\": \"...\", \"timeMs\": ..., \"averageMs\": ...})",
                      idx, what);
}

static int number(json_object *o, const char *key, double *v)
{
    json_object *x;
    if (!json_object_object_get_ex(o, key, &x) ||
        !(json_object_is_type(x, json_type_double) || json_object_is_type(x, json_type_int)))
        return -1;
    *v = json_object_get_double(x);
    return 0;
}

static int add_layer(profile_t *p, int *cap, const char *name, size_t len, double ms)
{
    profile_layer_t *v = grow_one(p->layers, p->nlayers, cap, 64, sizeof *v);
    char *copy;
    if (v == NULL)
        return -1;
    p->layers = v;
    if ((copy = malloc(len + 1)) == NULL)
        return -1;
    memcpy(copy, name, len);
    copy[len] = '\0';
    p->layers[p->nlayers].name = copy;
    p->layers[p->nlayers].ms = ms;
    p->layers[p->nlayers].group = -1;
    p->nlayers++;
    return 0;
}

static int valid_ms(double ms)
{
    return isfinite(ms) && ms >= 0 && ms <= 3.6e6;
}

/* trtexec --exportProfile JSON (the text has been read; this parses and takes it). */
static int load_json(const char *path, char *buf, size_t len, profile_t *p, diag_t *d)
{
    json_object *root;
    char *text;
    size_t n;
    int cap = 0;

    if (json_text_parse(path, "profile", buf, len, &root, &text, d) != 0)
        return DIAG_ERR;
    if (!json_object_is_type(root, json_type_array)) {
        json_object_put(root);
        free(text);
        return diag_error(d, path, 1, 1, "not a TensorRT layer profile: expected a JSON array "
                          "(trtexec --exportProfile) or the table of trtexec --dumpProfile");
    }
    n = json_object_array_length(root);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(root, i), *name;
        double ms, count;
        const char *why = NULL;

        if (!json_object_is_type(e, json_type_object)) {
            why = "not an object";
        } else if (!json_object_object_get_ex(e, "name", &name)) {
            if (i == 0 && number(e, "count", &count) == 0 && count >= 0 && count < 1e15) {
                p->iterations = (long long)count;
                continue;
            }
            why = "no \"name\"";
        } else if (!json_object_is_type(name, json_type_string)) {
            why = "\"name\" is not a string";
        } else if (number(e, "averageMs", &ms) != 0 && number(e, "medianMs", &ms) != 0) {
            why = "no \"averageMs\" (or \"medianMs\") number";
        } else if (!valid_ms(ms)) {
            why = "its time is not a duration in milliseconds (0 to one hour)";
        }
        if (why) {
            int rc = element_error(d, path, text, i, why);
            json_object_put(root);
            free(text);
            return rc;
        }
        if (add_layer(p, &cap, json_object_get_string(name),
                      (size_t)json_object_get_string_len(name), ms) != 0) {
            json_object_put(root);
            free(text);
            return diag_error(d, path, 0, 0, "out of memory");
        }
    }
    json_object_put(root);
    free(text);
    return 0;
}

/* Past a log line's "[date] [I] " prefixes and blanks. */
static const char *skip_prefix(const char *q, const char *eol)
{
    for (;;) {
        const char *r;
        while (q < eol && (*q == ' ' || *q == '\t'))
            q++;
        if (q >= eol || *q != '[' || (r = memchr(q, ']', (size_t)(eol - q))) == NULL)
            return q;
        q = r + 1;
    }
}

/* The table trtexec --dumpProfile prints:
 *   === Profile (2094 iterations ) ===
 *      Time(ms)     Avg.(ms)   Median(ms)   Time(%)   Layer
 *         16.15       0.0077       0.0075       0.5   Reformatting CopyNode for ...
 *   ...
 *         Total ...
 * (the Total row is required: a table without it was cut short), each line possibly behind trtexec's "[date] [I] " log prefixes. The numeric columns are
 * those the header names before "Layer"; the time is the one whose header starts "Avg". */
static int load_table(const char *path, const char *text, profile_t *p, diag_t *d)
{
    const char *start = strstr(text, TABLE_MARK);
    const char *s;
    int line = 1, ncols = 0, avg = -1, header = 0, cap = 0, total = 0;

    for (s = text; s < start; s++)
        line += *s == '\n';
    {
        long long n = strtoll(start + sizeof TABLE_MARK - 1, NULL, 10);
        p->iterations = n > 0 ? n : 0;
    }
    s = strchr(start, '\n');
    while (s != NULL && *s) {
        const char *lb = s + 1, *eol = strchr(lb, '\n'), *q, *end;
        if (eol == NULL)
            eol = lb + strlen(lb);
        line++;
        s = *eol ? eol : NULL;
        q = skip_prefix(lb, eol);
        end = eol;
        while (end > q && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
            end--;
        if (!header) {
            const char *lay;
            if (q == end)
                continue;
            lay = strstr(q, "Layer");
            if (lay == NULL || lay >= end || strstr(q, "(ms)") == NULL)
                return diag_error(d, path, line, (int)(q - lb) + 1,
                                  "expected the profile table's header (\"Time(ms) Avg.(ms) "
                                  "... Layer\") after \"=== Profile\"");
            for (const char *t = q; t < lay;) {
                while (t < lay && (*t == ' ' || *t == '\t'))
                    t++;
                if (t >= lay)
                    break;
                if (strncmp(t, "Avg", 3) == 0)
                    avg = ncols;
                ncols++;
                while (t < lay && *t != ' ' && *t != '\t')
                    t++;
            }
            if (avg < 0 || ncols > 8)
                return diag_error(d, path, line, (int)(q - lb) + 1,
                                  "the profile table's header has no \"Avg.(ms)\" column before "
                                  "\"Layer\"");
            header = 1;
            continue;
        }
        if (q == end)
            break;                /* the blank line after the table */
        {
            double v[8] = {0};
            const char *name;
            for (int c = 0; c < ncols; c++) {
                char *e;
                while (q < end && (*q == ' ' || *q == '\t'))
                    q++;
                v[c] = strtod(q, &e);
                if (e == q || e > end)
                    return diag_error(d, path, line, (int)(q - lb) + 1,
                                      "expected %d numbers and a layer name in the profile "
                                      "table", ncols);
                q = e;
            }
            while (q < end && (*q == ' ' || *q == '\t'))
                q++;
            name = q;
            if (name == end)
                return diag_error(d, path, line, (int)(q - lb) + 1,
                                  "a profile table row without a layer name");
            if ((size_t)(end - name) == 5 && strncmp(name, "Total", 5) == 0) {
                total = 1;
                break;
            }
            if (!valid_ms(v[avg]))
                return diag_error(d, path, line, 1, "its time is not a duration in "
                                  "milliseconds (0 to one hour)");
            if (add_layer(p, &cap, name, (size_t)(end - name), v[avg]) != 0)
                return diag_error(d, path, 0, 0, "out of memory");
        }
    }
    if (!header)
        return diag_error(d, path, line, 1, "the profile table ends before its header");
    /* trtexec always closes the table with its Total row: without it the log was cut
     * (or its tail edited away), and the layers read so far are not the whole engine. */
    if (!total)
        return diag_error(d, path, line, 1, "the profile table ends without its \"Total\" "
                          "row (a log cut short?)");
    return 0;
}

int profile_load(const char *path, profile_t *p, diag_t *d)
{
    char *text;
    size_t len;
    int rc;

    memset(p, 0, sizeof *p);
    snprintf(p->path, sizeof p->path, "%s", path);
    if (slurp_file(path, "profile", PROFILE_MAX_FILE, &text, &len, d) != 0)
        return DIAG_ERR;
    if (len == 0) {
        free(text);
        return diag_error(d, path, 0, 0, "the profile is empty (expected trtexec "
                          "--exportProfile JSON or the table of --dumpProfile)");
    }
    if (strstr(text, TABLE_MARK) != NULL) {
        rc = load_table(path, text, p, d);
        free(text);
    } else {
        rc = load_json(path, text, len, p, d);
    }
    if (rc == 0 && p->nlayers == 0)
        rc = diag_error(d, path, 1, 1, "the profile has no layers");
    return rc;
}

/* ---- names ---- */

static void lower_copy(char *out, size_t outlen, const char *s, size_t len)
{
    size_t i;
    if (outlen == 0)
        return;
    for (i = 0; i < len && i + 1 < outlen; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
}

void profile_node_path(const char *node, size_t len, char *out, size_t outlen)
{
    const char *seg[64];
    size_t seglen[64];
    int nseg = 0;
    size_t at = 0;

    /* Split on '/', keeping the non-empty segments. */
    for (size_t i = 0; i <= len && nseg < 64;) {
        size_t j = i;
        while (j < len && node[j] != '/')
            j++;
        if (j > i) {
            seg[nseg] = node + i;
            seglen[nseg++] = j - i;
        }
        i = j + 1;
    }
    if (outlen == 0)
        return;
    out[0] = '\0';
    for (int s = 0; s < nseg; s++) {
        /* A ModuleList's own scope ("m") before its child ("m.0") adds nothing. */
        if (s + 1 < nseg && seglen[s + 1] > seglen[s] &&
            strncmp(seg[s + 1], seg[s], seglen[s]) == 0 && seg[s + 1][seglen[s]] == '.')
            continue;
        if (at > 0 && at + 1 < outlen)
            out[at++] = '.';
        lower_copy(out + at, outlen - at, seg[s], seglen[s]);
        at += strlen(out + at);
    }
}

void profile_instance_name(const char *name, int k, char *out, size_t outlen)
{
    const char *s = name;
    if (name[0] == '/') {   /* an ONNX node's own name, kept by `orinsim import` */
        profile_node_path(name, strlen(name), out, outlen);
        return;
    }
    lower_copy(out, outlen, name, strlen(name));
    while (*s) {
        const char *e = strchr(s, '.');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char *dash;
        long a, b;
        char seg[32];
        if (len > 0 && len < sizeof seg) {
            memcpy(seg, s, len);
            seg[len] = '\0';
            dash = strchr(seg, '-');
            if (dash && dash > seg && strspn(seg, "0123456789") == (size_t)(dash - seg) &&
                dash[1] && strspn(dash + 1, "0123456789") == strlen(dash + 1)) {
                a = strtol(seg, NULL, 10);
                b = strtol(dash + 1, NULL, 10);
                if (a <= b && k >= 0 && k <= b - a) {
                    char num[24];
                    size_t at = (size_t)(s - name);
                    snprintf(num, sizeof num, "%ld", a + k);
                    /* head, the instance number, the rest: each cut to what fits */
                    if (at + 1 < outlen) {
                        lower_copy(out + at, outlen - at, num, strlen(num));
                        at += strlen(out + at);
                        if (e && at + 1 < outlen)
                            lower_copy(out + at, outlen - at, e, strlen(e));
                    }
                }
                return;
            }
        }
        if (!e)
            break;
        s = e + 1;
    }
    /* A module called again (SPPF's one max-pool, three times): PyTorch's exporter scopes
     * the k-th call as "m_k". */
    if (k > 0) {
        size_t at = strlen(out);
        if (at + 1 < outlen)
            snprintf(out + at, outlen - at, "_%d", k);
    }
}

/* ---- the model's kernels ---- */

typedef struct named {
    const char *name;
    int index;
} named_t;

static int by_name(const void *a, const void *b)
{
    const named_t *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : x->index - y->index;
}

/* occ[j]: how many earlier ops of the task have op j's name (its repeat instance). */
static int instances(const trace_task_t *task, int *occ)
{
    named_t *v = calloc((size_t)task->nops + 1, sizeof *v);
    if (v == NULL)
        return -1;
    for (int j = 0; j < task->nops; j++) {
        v[j].name = task->ops[j].name;
        v[j].index = j;
    }
    qsort(v, (size_t)task->nops, sizeof *v, by_name);
    for (int j = 0; j < task->nops; j++)
        occ[v[j].index] = j > 0 && strcmp(v[j].name, v[j - 1].name) == 0
                              ? occ[v[j - 1].index] + 1
                              : 0;
    free(v);
    return 0;
}

typedef struct slice_ref {
    sim_time_t start;
    size_t index;
} slice_ref_t;

static int by_start(const void *a, const void *b)
{
    const slice_ref_t *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Record task ti's GPU kernels: its program's GPU steps, in order, beside the timeline's
 * slices of that task on GPU lanes, in order of start. */
static int add_task(const soc_config_t *cfg, const trace_t *t, int ti, const timeline_t *tl,
                    profile_t *p, int *cap, diag_t *d)
{
    const trace_task_t *task = &t->tasks[ti];
    program_t prog;
    slice_ref_t *sl = NULL;
    int *occ = NULL;
    size_t ns = 0;
    int k = 0, rc = 0;

    memset(&prog, 0, sizeof prog);
    if (program_build(cfg, t, ti, &prog, d) != 0) {
        program_free(&prog);
        return DIAG_ERR;
    }
    sl = calloc(tl->nslices + 1, sizeof *sl);
    occ = calloc((size_t)task->nops + 1, sizeof *occ);
    if (sl == NULL || occ == NULL || instances(task, occ) != 0) {
        rc = diag_error(d, t->path, 0, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < tl->nslices; i++) {
        const tl_slice_t *s = &tl->slices[i];
        if (s->task == ti && tl->lanes[s->lane].group == TL_GPU) {
            sl[ns].start = s->start;
            sl[ns++].index = i;
        }
    }
    qsort(sl, ns, sizeof *sl, by_start);
    for (int s = 0; s < prog.nsteps && rc == 0; s++) {
        const step_t *st = &prog.steps[s];
        profile_kernel_t *v, *kn;
        if (st->on != ON_GPU)
            continue;
        if ((size_t)k >= ns) {
            rc = diag_error(d, t->path, task->pos.line, task->pos.col,
                            "task '%s': the simulated frame has fewer GPU kernels than its "
                            "program", task->id);
            break;
        }
        v = grow_one(p->kernels, p->nkernels, cap, 64, sizeof *v);
        if (v == NULL) {
            rc = diag_error(d, t->path, 0, 0, "out of memory");
            break;
        }
        p->kernels = v;
        kn = &p->kernels[p->nkernels];
        memset(kn, 0, sizeof *kn);
        kn->task = ti;
        kn->group = -1;
        {
            const tl_slice_t *x = &tl->slices[sl[k++].index];
            kn->ms = (double)(x->end - x->start) * 1e-9;
        }
        snprintf(kn->label, sizeof kn->label, "%s", st->name ? st->name : "kernel");
        kn->kind = st->first >= 0 ? trace_op_name(task->ops[st->first].kind) : "reformat";
        if (st->first >= 0) {
            int n = st->last - st->first + 1;
            kn->names = calloc((size_t)n, sizeof *kn->names);
            if (kn->names == NULL) {
                rc = diag_error(d, t->path, 0, 0, "out of memory");
                break;
            }
            for (int j = st->first; j <= st->last; j++)
                if (task->ops[j].name[0])
                    profile_instance_name(task->ops[j].name, occ[j], kn->names[kn->nnames++],
                                          sizeof kn->names[0]);
            if (kn->nnames > 0)
                snprintf(kn->label, sizeof kn->label, "%s", kn->names[0]);
        } else {
            snprintf(kn->label, sizeof kn->label, "(reformat)");
        }
        p->nkernels++;
    }
done:
    free(sl);
    free(occ);
    program_free(&prog);
    return rc;
}

int profile_simulate(const soc_config_t *cfg, const trace_t *t, profile_t *p, diag_t *d)
{
    replay_options_t ro;
    replay_result_t res;
    timeline_t *tl;
    int rc = 0, cap = 0;

    if (replay_check(cfg, t, d) != 0)
        return DIAG_ERR;
    if ((tl = timeline_new()) == NULL)
        return diag_error(d, t->path, 0, 0, "out of memory");
    memset(&ro, 0, sizeof ro);
    memset(&res, 0, sizeof res);
    ro.frames = 1;
    ro.timeline = tl;
    if (replay_run(cfg, t, &ro, &res, d) != 0) {
        timeline_free(tl);
        return DIAG_ERR;
    }
    if (tl->failed)
        rc = diag_error(d, t->path, 0, 0, "out of memory (timeline)");
    for (int ti = 0; ti < t->ntasks && rc == 0; ti++)
        rc = add_task(cfg, t, ti, tl, p, &cap, d);
    replay_result_free(&res);
    timeline_free(tl);
    if (rc == 0 && p->nkernels == 0)
        rc = diag_error(d, t->path, 0, 0, "the trace runs no GPU kernel, so there is nothing "
                        "to set beside a TensorRT GPU profile");
    return rc;
}

/* ---- matching ---- */

static int find(int *parent, int x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

static void unite(int *parent, int a, int b)
{
    a = find(parent, a);
    b = find(parent, b);
    if (a != b)
        parent[a > b ? a : b] = a < b ? a : b;
}

/* The kernel whose op name is the longest prefix of `path` at a '.' boundary, or -1. */
static int best_kernel(const profile_t *p, const char *path)
{
    int best = -1;
    size_t best_len = 0;
    for (int k = 0; k < p->nkernels; k++)
        for (int j = 0; j < p->kernels[k].nnames; j++) {
            const char *n = p->kernels[k].names[j];
            size_t len = strlen(n);
            if (len > best_len && strncmp(path, n, len) == 0 &&
                (path[len] == '\0' || path[len] == '.')) {
                best = k;
                best_len = len;
            }
        }
    return best;
}

/* Join layer `li` (union-find node li) with the kernels its nodes name. */
static void match_layer(const profile_t *p, int li, int *parent)
{
    const char *name = p->layers[li].name;
    size_t len = strlen(name);
    char path[512];
    int nodes = 0;

    /* TensorRT's reformat layers name the layer they feed; they are the engine's own. */
    if (strncmp(name, REFORMAT, sizeof REFORMAT - 1) == 0)
        return;
    /* ONNX node names: tokens that start with '/' after a delimiter. */
    for (size_t i = 0; i < len; i++) {
        size_t j;
        if (name[i] != '/' || (i > 0 && !strchr(" (,[+", name[i - 1])))
            continue;
        for (j = i; j < len && !strchr(" ,()[]+", name[j]); j++)
            ;
        profile_node_path(name + i, j - i, path, sizeof path);
        {
            int k = best_kernel(p, path);
            if (k >= 0)
                unite(parent, li, p->nlayers + k);
        }
        nodes++;
        i = j;
    }
    /* Names from other front ends: the parts between " + ". */
    if (nodes == 0) {
        const char *s = name;
        while (*s) {
            const char *e = strstr(s, " + ");
            size_t n = e ? (size_t)(e - s) : strlen(s);
            int k;
            profile_node_path(s, n, path, sizeof path);
            if ((k = best_kernel(p, path)) >= 0)
                unite(parent, li, p->nlayers + k);
            if (!e)
                break;
            s = e + 3;
        }
    }
}

int profile_match(profile_t *p)
{
    int n = p->nlayers + p->nkernels;
    int *parent = malloc((size_t)(n + 1) * sizeof *parent);
    int *gid = malloc((size_t)(n + 1) * sizeof *gid);
    int cap = 0;

    if (parent == NULL || gid == NULL) {
        free(parent);
        free(gid);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        parent[i] = i;
        gid[i] = -1;
    }
    for (int li = 0; li < p->nlayers; li++)
        match_layer(p, li, parent);
    free(p->groups);
    p->groups = NULL;
    p->ngroups = 0;
    p->measured_ms = p->predicted_ms = p->lone_layer_ms = p->lone_kernel_ms = 0;
    p->lone_layers = p->lone_kernels = 0;
    /* A root with a layer and a kernel in its set is a group, numbered in kernel order;
     * roots are the smallest index of their set, so a set with a layer has a layer root. */
    for (int k = 0; k < p->nkernels; k++) {
        int r = find(parent, p->nlayers + k);
        profile_kernel_t *kn = &p->kernels[k];
        p->predicted_ms += kn->ms;
        if (r >= p->nlayers) {          /* no layer joined this kernel */
            kn->group = -1;
            p->lone_kernels++;
            p->lone_kernel_ms += kn->ms;
            continue;
        }
        if (gid[r] < 0) {
            profile_group_t *v = grow_one(p->groups, p->ngroups, &cap, 32, sizeof *v);
            if (v == NULL) {
                free(parent);
                free(gid);
                return -1;
            }
            p->groups = v;
            memset(&p->groups[p->ngroups], 0, sizeof p->groups[0]);
            p->groups[p->ngroups].first_kernel = k;
            gid[r] = p->ngroups++;
        }
        kn->group = gid[r];
        p->groups[kn->group].nkernels++;
        p->groups[kn->group].predicted_ms += kn->ms;
    }
    for (int li = 0; li < p->nlayers; li++) {
        profile_layer_t *l = &p->layers[li];
        int r = find(parent, li);
        p->measured_ms += l->ms;
        l->group = gid[r];
        if (l->group < 0) {
            p->lone_layers++;
            p->lone_layer_ms += l->ms;
            continue;
        }
        p->groups[l->group].nlayers++;
        p->groups[l->group].measured_ms += l->ms;
    }
    free(parent);
    free(gid);
    return 0;
}

/* ---- output ---- */

static double err_pct(double predicted, double measured)
{
    return measured > 0 ? (predicted - measured) / measured * 100.0 : NAN;
}

/* Mean absolute percentage error over the groups, and the matched totals. */
static double group_mape(const profile_t *p, double *meas, double *pred)
{
    double sum = 0;
    int n = 0;
    *meas = *pred = 0;
    for (int g = 0; g < p->ngroups; g++) {
        const profile_group_t *gr = &p->groups[g];
        *meas += gr->measured_ms;
        *pred += gr->predicted_ms;
        if (gr->measured_ms > 0) {
            sum += fabs(err_pct(gr->predicted_ms, gr->measured_ms));
            n++;
        }
    }
    return n ? sum / n : NAN;
}

static int by_ms_desc(const void *a, const void *b)
{
    const profile_layer_t *x = *(const profile_layer_t *const *)a;
    const profile_layer_t *y = *(const profile_layer_t *const *)b;
    if (x->ms != y->ms)
        return x->ms > y->ms ? -1 : 1;
    return x < y ? -1 : x > y;
}

typedef struct ranked {
    double diff;                  /* |predicted - measured|, ms */
    int group;
} ranked_t;

static int by_diff_desc(const void *a, const void *b)
{
    const ranked_t *x = a, *y = b;
    if (x->diff != y->diff)
        return x->diff > y->diff ? -1 : 1;
    return x->group - y->group;
}

/* The groups where the model is furthest from the profile, in milliseconds. */
static void print_largest(FILE *out, const profile_t *p)
{
    ranked_t *r;
    int n = p->ngroups < 10 ? p->ngroups : 10;
    if (n == 0 || (r = malloc((size_t)p->ngroups * sizeof *r)) == NULL)
        return;
    for (int g = 0; g < p->ngroups; g++) {
        r[g].diff = fabs(p->groups[g].predicted_ms - p->groups[g].measured_ms);
        r[g].group = g;
    }
    qsort(r, (size_t)p->ngroups, sizeof *r, by_diff_desc);
    fprintf(out, "\nlargest differences (predicted - measured):\n");
    for (int i = 0; i < n; i++) {
        const profile_group_t *gr = &p->groups[r[i].group];
        fprintf(out, "  %+10.4f ms  %s\n", gr->predicted_ms - gr->measured_ms,
                p->kernels[gr->first_kernel].label);
    }
    free(r);
}

/* Matched groups totalled by the kind of their first kernel's first op. */
static void print_kinds(FILE *out, const profile_t *p)
{
    struct kind_sum {
        const char *kind;
        int groups;
        double meas, pred;
    } *v = calloc((size_t)p->ngroups + 1, sizeof *v);
    int nk = 0;
    if (v == NULL)
        return;
    for (int g = 0; g < p->ngroups; g++) {
        const char *k = p->kernels[p->groups[g].first_kernel].kind;
        int i;
        for (i = 0; i < nk && strcmp(v[i].kind, k) != 0; i++)
            ;
        if (i == nk)
            v[nk++].kind = k;
        v[i].meas += p->groups[g].measured_ms;
        v[i].pred += p->groups[g].predicted_ms;
        v[i].groups++;
    }
    if (nk > 0) {
        fprintf(out, "\nby kind of op (matched groups):\n");
        fprintf(out, "  %-16s %6s %12s %13s %8s\n", "kind", "groups", "measured ms",
                "predicted ms", "error");
    }
    for (int i = 0; i < nk; i++)
        fprintf(out, "  %-16s %6d %12.4f %13.4f %+7.1f%%\n", v[i].kind, v[i].groups, v[i].meas,
                v[i].pred, err_pct(v[i].pred, v[i].meas));
    free(v);
}

void profile_print(FILE *out, const profile_t *p, const char *trace_path, const char *sku,
                   const char *mode)
{
    double meas, pred, mape = group_mape(p, &meas, &pred);
    const profile_layer_t **lone;
    int nlone = 0;

    fprintf(out, "profile   %s: %d layers", p->path, p->nlayers);
    if (p->iterations > 0)
        fprintf(out, ", %lld runs", p->iterations);
    fprintf(out, "\nmodel     %s on %s %s: %d GPU kernels in one frame\n\n", trace_path, sku,
            mode, p->nkernels);
    fprintf(out, "  %-40s %6s %7s %12s %13s %8s\n", "group (first op)", "layers", "kernels",
            "measured ms", "predicted ms", "error");
    for (int g = 0; g < p->ngroups; g++) {
        const profile_group_t *gr = &p->groups[g];
        fprintf(out, "  %-40.40s %6d %7d %12.4f %13.4f %+7.1f%%\n",
                p->kernels[gr->first_kernel].label, gr->nlayers, gr->nkernels, gr->measured_ms,
                gr->predicted_ms, err_pct(gr->predicted_ms, gr->measured_ms));
    }
    fprintf(out, "  %-40s %6d %7s %12.4f %13s\n", "layers matching no op", p->lone_layers, "-",
            p->lone_layer_ms, "-");
    fprintf(out, "  %-40s %6s %7d %12s %13.4f\n", "kernels matching no layer", "-",
            p->lone_kernels, "-", p->lone_kernel_ms);
    fprintf(out, "  %-40s %6d %7d %12.4f %13.4f %+7.1f%%\n\n", "all", p->nlayers, p->nkernels,
            p->measured_ms, p->predicted_ms, err_pct(p->predicted_ms, p->measured_ms));
    fprintf(out, "matched   %.4f of %.4f measured ms (%.1f %%) in %d groups: predicted %.4f ms "
                 "(%+.1f %%); MAPE per group %.1f %%\n",
            meas, p->measured_ms, p->measured_ms > 0 ? meas / p->measured_ms * 100 : 0.0,
            p->ngroups, pred, err_pct(pred, meas), mape);

    print_largest(out, p);
    print_kinds(out, p);

    lone = calloc((size_t)p->nlayers + 1, sizeof *lone);
    if (lone == NULL)
        return;
    for (int i = 0; i < p->nlayers; i++)
        if (p->layers[i].group < 0)
            lone[nlone++] = &p->layers[i];
    if (nlone > 0) {
        qsort(lone, (size_t)nlone, sizeof *lone, by_ms_desc);
        fprintf(out, "\nlayers matching no op, longest first:\n");
        for (int i = 0; i < nlone && i < 10; i++)
            fprintf(out, "  %10.4f ms  %.100s\n", lone[i]->ms, lone[i]->name);
        if (nlone > 10)
            fprintf(out, "  ... and %d more (--json lists all)\n", nlone - 10);
    }
    free(lone);
    if (p->lone_kernels > 0) {
        int shown = 0;
        fprintf(out, "\nkernels matching no layer:\n");
        for (int k = 0; k < p->nkernels && shown < 10; k++)
            if (p->kernels[k].group < 0) {
                fprintf(out, "  %10.4f ms  %s\n", p->kernels[k].ms, p->kernels[k].label);
                shown++;
            }
        if (p->lone_kernels > shown)
            fprintf(out, "  ... and %d more (--json lists all)\n", p->lone_kernels - shown);
    }
}

static json_object *jnum(double v)
{
    return isfinite(v) ? json_object_new_double(v) : NULL;
}

/* {"name": name, "ms": ms} at the end of `array`. */
static void add_timed(json_object *array, const char *name, double ms)
{
    json_object *e = json_object_new_object();
    json_object_object_add(e, "name", out_json_string(name));
    json_object_object_add(e, "ms", jnum(ms));
    json_object_array_add(array, e);
}

int profile_write_json(FILE *out, const profile_t *p, const char *trace_path, const char *sku,
                       const char *mode)
{
    double meas, pred, mape = group_mape(p, &meas, &pred);
    json_object *o = json_object_new_object();
    json_object *groups = json_object_new_array();
    json_object *layers = json_object_new_array();
    json_object *kernels = json_object_new_array();
    const char *s;

    if (o == NULL || groups == NULL || layers == NULL || kernels == NULL) {
        json_object_put(o);
        json_object_put(groups);
        json_object_put(layers);
        json_object_put(kernels);
        return -1;
    }
    json_object_object_add(o, "profile", out_json_string(p->path));
    json_object_object_add(o, "iterations", json_object_new_int64(p->iterations));
    json_object_object_add(o, "trace", out_json_string(trace_path));
    json_object_object_add(o, "sku", out_json_string(sku));
    json_object_object_add(o, "mode", out_json_string(mode));
    for (int g = 0; g < p->ngroups; g++) {
        const profile_group_t *gr = &p->groups[g];
        json_object *e = json_object_new_object(), *ln = json_object_new_array(),
                    *kn = json_object_new_array();
        for (int i = 0; i < p->nlayers; i++)
            if (p->layers[i].group == g)
                json_object_array_add(ln, out_json_string(p->layers[i].name));
        for (int k = 0; k < p->nkernels; k++)
            if (p->kernels[k].group == g)
                json_object_array_add(kn, out_json_string(p->kernels[k].label));
        json_object_object_add(e, "kind",
                               out_json_string(p->kernels[gr->first_kernel].kind));
        json_object_object_add(e, "layers", ln);
        json_object_object_add(e, "kernels", kn);
        json_object_object_add(e, "measured_ms", jnum(gr->measured_ms));
        json_object_object_add(e, "predicted_ms", jnum(gr->predicted_ms));
        json_object_object_add(e, "error_pct", jnum(err_pct(gr->predicted_ms, gr->measured_ms)));
        json_object_array_add(groups, e);
    }
    json_object_object_add(o, "groups", groups);
    for (int i = 0; i < p->nlayers; i++)
        if (p->layers[i].group < 0)
            add_timed(layers, p->layers[i].name, p->layers[i].ms);
    json_object_object_add(o, "unmatched_layers", layers);
    for (int k = 0; k < p->nkernels; k++)
        if (p->kernels[k].group < 0)
            add_timed(kernels, p->kernels[k].label, p->kernels[k].ms);
    json_object_object_add(o, "unmatched_kernels", kernels);
    {
        json_object *t = json_object_new_object();
        json_object_object_add(t, "measured_ms", jnum(p->measured_ms));
        json_object_object_add(t, "predicted_ms", jnum(p->predicted_ms));
        json_object_object_add(t, "matched_measured_ms", jnum(meas));
        json_object_object_add(t, "matched_predicted_ms", jnum(pred));
        json_object_object_add(t, "group_mape_pct", jnum(mape));
        json_object_object_add(o, "total", t);
    }
    s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    fprintf(out, "%s\n", s);
    json_object_put(o);
    return ferror(out) ? -1 : 0;
}

void profile_free(profile_t *p)
{
    for (int i = 0; i < p->nlayers; i++)
        free(p->layers[i].name);
    for (int k = 0; k < p->nkernels; k++)
        free(p->kernels[k].names);
    free(p->layers);
    free(p->kernels);
    free(p->groups);
    memset(p, 0, sizeof *p);
}
