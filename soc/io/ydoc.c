/*
 * ydoc: libyaml document loading and checked field access. See ydoc.h.
 *
 * libyaml marks are 0-based; every position orinsim prints is 1-based, as editors count.
 * Aliases are resolved by libyaml into shared nodes, so a document can reference one
 * node many times: callers that expand structures (repeat) bound their own output.
 */
#include "soc/io/ydoc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "soc/io/slurp.h"
#include "soc/io/units.h"

enum { YDOC_MAX_FILE = 64 << 20 };   /* 64 MiB: no sensible trace or config is larger */

/* Lists and mappings inside each other: a trace with repeats nested as deep as they may
 * go (16) reaches about 40. libyaml's scanner checks every open flow level ('[', '{') at
 * every token, so the time to load a file grows with the square of its nesting (80,000
 * '[' take half a minute); counting the levels while scanning and stopping past this
 * limit keeps loading linear in the file's size. */
enum { YDOC_MAX_DEPTH = 64 };

/* The tag an event carries, if any: orinsim's files use none, and a tag would be ignored
 * by the loader (`!!int "7"` is still the string "7"), so it is refused. */
static const yaml_char_t *event_tag(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT: return ev->data.scalar.tag;
    case YAML_SEQUENCE_START_EVENT: return ev->data.sequence_start.tag;
    case YAML_MAPPING_START_EVENT: return ev->data.mapping_start.tag;
    default: return NULL;
    }
}

/* Walk the events of the document before it is loaded: stop at the first collection
 * deeper than YDOC_MAX_DEPTH and at the first tag. A syntax error is left for the loader
 * to report, as it would be without this pass; the loader reaches it at a depth within
 * the limit. */
static int prescan(const char *name, const unsigned char *buf, size_t len, diag_t *d)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    int depth = 0, rc = 0, done = 0;
    if (!yaml_parser_initialize(&parser))
        return diag_error(d, name, 0, 0, "out of memory initialising the YAML parser");
    yaml_parser_set_input_string(&parser, buf, len);
    while (!done && yaml_parser_parse(&parser, &ev)) {
        int line = (int)ev.start_mark.line + 1, col = (int)ev.start_mark.column + 1;
        const yaml_char_t *tag = event_tag(&ev);
        if (tag != NULL) {
            rc = diag_error(d, name, line, col, "YAML tag '%.200s' (orinsim files use no tags)",
                            (const char *)tag);
            done = 1;
        }
        switch (ev.type) {
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > YDOC_MAX_DEPTH && !done) {
                rc = diag_error(d, name, line, col, "lists and mappings nested more than %d deep",
                                YDOC_MAX_DEPTH);
                done = 1;
            }
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return rc;
}

static int load(ydoc_t *y, const char *name, const unsigned char *buf, size_t len, diag_t *d)
{
    yaml_parser_t parser;
    memset(y, 0, sizeof *y);
    snprintf(y->path, sizeof y->path, "%s", name);
    if (prescan(name, buf, len, d) != 0)
        return DIAG_ERR;
    if (!yaml_parser_initialize(&parser))
        return diag_error(d, name, 0, 0, "out of memory initialising the YAML parser");
    yaml_parser_set_input_string(&parser, buf, len);
    if (!yaml_parser_load(&parser, &y->doc)) {
        int line = (int)parser.problem_mark.line + 1, col = (int)parser.problem_mark.column + 1;
        const char *problem = parser.problem ? parser.problem : "unknown problem";
        if (parser.context)
            diag_error(d, name, line, col, "YAML syntax error: %s %s", parser.context, problem);
        else
            diag_error(d, name, line, col, "YAML syntax error: %s", problem);
        yaml_parser_delete(&parser);
        return DIAG_ERR;
    }
    yaml_parser_delete(&parser);
    y->loaded = 1;
    if (yaml_document_get_root_node(&y->doc) == NULL) {
        ydoc_free(y);
        return diag_error(d, name, 0, 0, "the file is empty (expected a YAML mapping)");
    }
    return 0;
}

int ydoc_load_string(ydoc_t *y, const char *name, const char *buf, size_t len, diag_t *d)
{
    return load(y, name, (const unsigned char *)buf, len, d);
}

/* Standard input, read to its end. */
static int load_stdin(ydoc_t *y, diag_t *d)
{
    char *buf;
    size_t len;
    int rc;
    if (slurp_stream(stdin, YDOC_STDIN, "input", YDOC_MAX_FILE, &buf, &len, d) != 0)
        return DIAG_ERR;
    rc = load(y, YDOC_STDIN, (const unsigned char *)buf, len, d);
    free(buf);
    return rc;
}

int ydoc_load_file(ydoc_t *y, const char *path, diag_t *d)
{
    struct stat st;
    FILE *f;
    char *buf;
    size_t got;
    int rc;

    memset(y, 0, sizeof *y);
    if (strcmp(path, "-") == 0)
        return load_stdin(y, d);
    if (stat(path, &st) != 0)
        return diag_error(d, path, 0, 0, "cannot open: %s", strerror(errno));
    if (!S_ISREG(st.st_mode))
        return diag_error(d, path, 0, 0, "not a regular file (expected a YAML file)");
    if (st.st_size > YDOC_MAX_FILE)
        return diag_error(d, path, 0, 0, "file is larger than %d MiB", YDOC_MAX_FILE >> 20);
    f = fopen(path, "rb");
    if (f == NULL)
        return diag_error(d, path, 0, 0, "cannot open: %s", strerror(errno));
    buf = malloc((size_t)st.st_size + 1);
    if (buf == NULL) {
        fclose(f);
        return diag_error(d, path, 0, 0, "out of memory reading the file");
    }
    got = fread(buf, 1, (size_t)st.st_size, f);
    fclose(f);
    buf[got] = '\0';
    rc = load(y, path, (const unsigned char *)buf, got, d);
    free(buf);
    return rc;
}

void ydoc_free(ydoc_t *y)
{
    if (y->loaded)
        yaml_document_delete(&y->doc);
    y->loaded = 0;
}

yaml_node_t *ydoc_root(ydoc_t *y)
{
    return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

int ydoc_line(const yaml_node_t *n)
{
    return n ? (int)n->start_mark.line + 1 : 0;
}

int ydoc_col(const yaml_node_t *n)
{
    return n ? (int)n->start_mark.column + 1 : 0;
}

int ydoc_error(ydoc_t *y, const yaml_node_t *n, diag_t *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, y->path, ydoc_line(n), ydoc_col(n), fmt, ap);
    va_end(ap);
    return DIAG_ERR;
}

static const char *type_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

static int expect(ydoc_t *y, const yaml_node_t *n, yaml_node_type_t t, const char *tname,
                  const char *what, diag_t *d)
{
    if (n == NULL)
        return ydoc_error(y, NULL, d, "expected %s for %s", tname, what);
    if (n->type != t)
        return ydoc_error(y, n, d, "expected %s for %s, got %s", tname, what, type_name(n));
    return 0;
}

int ydoc_expect_map(ydoc_t *y, const yaml_node_t *n, const char *what, diag_t *d)
{
    return expect(y, n, YAML_MAPPING_NODE, "a mapping", what, d);
}

int ydoc_expect_seq(ydoc_t *y, const yaml_node_t *n, const char *what, diag_t *d)
{
    return expect(y, n, YAML_SEQUENCE_NODE, "a list", what, d);
}

int ydoc_expect_scalar(ydoc_t *y, const yaml_node_t *n, const char *what, diag_t *d)
{
    return expect(y, n, YAML_SCALAR_NODE, "a value", what, d);
}

const char *ydoc_str(const yaml_node_t *n)
{
    if (n == NULL || n->type != YAML_SCALAR_NODE)
        return NULL;
    return (const char *)n->data.scalar.value;
}

size_t ydoc_map_len(const yaml_node_t *map)
{
    if (map == NULL || map->type != YAML_MAPPING_NODE)
        return 0;
    return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

yaml_node_t *ydoc_map_key(ydoc_t *y, const yaml_node_t *map, size_t i)
{
    if (i >= ydoc_map_len(map))
        return NULL;
    return yaml_document_get_node(&y->doc, map->data.mapping.pairs.start[i].key);
}

yaml_node_t *ydoc_map_value(ydoc_t *y, const yaml_node_t *map, size_t i)
{
    if (i >= ydoc_map_len(map))
        return NULL;
    return yaml_document_get_node(&y->doc, map->data.mapping.pairs.start[i].value);
}

yaml_node_t *ydoc_entry(ydoc_t *y, const yaml_node_t *map, const char *name, char *names,
                        size_t len)
{
    yaml_node_t *m = NULL;
    size_t used = 0;
    if (len > 0)
        names[0] = '\0';
    for (size_t i = 0; i < ydoc_map_len(map); i++) {
        const char *k = ydoc_str(ydoc_map_key(y, map, i));
        if (k && strcmp(k, name) == 0)
            m = ydoc_map_value(y, map, i);
        if (k && used < len) {
            int w = snprintf(names + used, len - used, "%s%s", used ? ", " : "", k);
            used += w > 0 ? (size_t)w : 0;
        }
    }
    return m;
}

yaml_node_t *ydoc_key_node(ydoc_t *y, const yaml_node_t *map, const char *key)
{
    size_t n = ydoc_map_len(map);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *k = ydoc_map_key(y, map, i);
        const char *s = ydoc_str(k);
        if (s && strcmp(s, key) == 0)
            return k;
    }
    return NULL;
}

yaml_node_t *ydoc_get(ydoc_t *y, const yaml_node_t *map, const char *key)
{
    size_t n = ydoc_map_len(map);
    for (size_t i = 0; i < n; i++) {
        const char *s = ydoc_str(ydoc_map_key(y, map, i));
        if (s && strcmp(s, key) == 0)
            return ydoc_map_value(y, map, i);
    }
    return NULL;
}

yaml_node_t *ydoc_require(ydoc_t *y, const yaml_node_t *map, const char *key, const char *what,
                          diag_t *d)
{
    yaml_node_t *v = ydoc_get(y, map, key);
    if (v == NULL)
        ydoc_error(y, map, d, "missing required field '%s' in %s", key, what);
    return v;
}

int ydoc_check_keys(ydoc_t *y, const yaml_node_t *map, const char *const *allowed,
                    const char *what, diag_t *d)
{
    size_t n = ydoc_map_len(map);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *k = ydoc_map_key(y, map, i);
        const char *s = ydoc_str(k);
        int ok = 0;
        if (s == NULL)
            return ydoc_error(y, k, d, "expected a plain key in %s, got %s", what, type_name(k));
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, s) == 0)
                ok = 1;
        if (!ok) {
            char list[512] = "";
            size_t used = 0;
            for (const char *const *a = allowed; *a && used < sizeof list - 1; a++) {
                int w = snprintf(list + used, sizeof list - used, "%s%s",
                                 a == allowed ? "" : ", ", *a);
                if (w < 0)
                    break;
                used += (size_t)w;
            }
            return ydoc_error(y, k, d, "unknown key '%s' in %s (expected one of: %s)", s, what,
                              list);
        }
        for (size_t j = 0; j < i; j++) {
            const char *t = ydoc_str(ydoc_map_key(y, map, j));
            if (t && strcmp(t, s) == 0)
                return ydoc_error(y, k, d, "duplicate key '%s' in %s", s, what);
        }
    }
    return 0;
}

size_t ydoc_seq_len(const yaml_node_t *seq)
{
    if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
        return 0;
    return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *ydoc_seq_at(ydoc_t *y, const yaml_node_t *seq, size_t i)
{
    if (i >= ydoc_seq_len(seq))
        return NULL;
    return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}

int ydoc_string(ydoc_t *y, const yaml_node_t *n, const char *what, char *out, size_t outlen,
                diag_t *d)
{
    const char *s;
    if (ydoc_expect_scalar(y, n, what, d) != 0)
        return DIAG_ERR;
    s = ydoc_str(n);
    if (strlen(s) >= outlen)
        return ydoc_error(y, n, d, "%s is too long (at most %zu characters)", what, outlen - 1);
    if (s[0] == '\0')
        return ydoc_error(y, n, d, "%s is empty", what);
    snprintf(out, outlen, "%s", s);
    return 0;
}

int ydoc_double(ydoc_t *y, const yaml_node_t *n, const char *what, double min, double max,
                double *out, diag_t *d)
{
    double v;
    if (ydoc_expect_scalar(y, n, what, d) != 0)
        return DIAG_ERR;
    if (units_number(ydoc_str(n), &v) != 0)
        return ydoc_error(y, n, d, "expected a number for %s, got '%s'", what, ydoc_str(n));
    if (v < min || v > max)
        return ydoc_error(y, n, d, "%s = %s is out of range (expected %g to %g)", what,
                          ydoc_str(n), min, max);
    *out = v;
    return 0;
}

int ydoc_int(ydoc_t *y, const yaml_node_t *n, const char *what, int64_t min, int64_t max,
             int64_t *out, diag_t *d)
{
    double v;
    if (ydoc_expect_scalar(y, n, what, d) != 0)
        return DIAG_ERR;
    if (units_number(ydoc_str(n), &v) != 0)
        return ydoc_error(y, n, d, "expected an integer for %s, got '%s'", what, ydoc_str(n));
    if (v != floor(v))
        return ydoc_error(y, n, d, "expected an integer for %s, got '%s'", what, ydoc_str(n));
    if (v < (double)min || v > (double)max)
        return ydoc_error(y, n, d, "%s = %s is out of range (expected %lld to %lld)", what,
                          ydoc_str(n), (long long)min, (long long)max);
    *out = (int64_t)v;
    return 0;
}

int ydoc_bool(ydoc_t *y, const yaml_node_t *n, const char *what, int *out, diag_t *d)
{
    const char *s;
    if (ydoc_expect_scalar(y, n, what, d) != 0)
        return DIAG_ERR;
    s = ydoc_str(n);
    if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0)
        *out = 1;
    else if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0)
        *out = 0;
    else
        return ydoc_error(y, n, d, "expected true or false for %s, got '%s'", what, s);
    return 0;
}

typedef int (*unit_fn)(const char *, double *, char *, size_t);

static int quantity(ydoc_t *y, const yaml_node_t *n, const char *what, unit_fn fn, double min,
                    double max, const char *unit, double *out, diag_t *d)
{
    char why[256];
    double v;
    if (ydoc_expect_scalar(y, n, what, d) != 0)
        return DIAG_ERR;
    if (fn(ydoc_str(n), &v, why, sizeof why) != 0)
        return ydoc_error(y, n, d, "%s: %s", what, why);
    if (v < min || v > max)
        return ydoc_error(y, n, d, "%s = %s is out of range (expected %g %s to %g %s)", what,
                          ydoc_str(n), min, unit, max, unit);
    *out = v;
    return 0;
}

int ydoc_duration(ydoc_t *y, const yaml_node_t *n, const char *what, uint64_t min_ps,
                  uint64_t max_ps, uint64_t *out, diag_t *d)
{
    char why[256];
    uint64_t v;
    if (ydoc_expect_scalar(y, n, what, d) != 0)
        return DIAG_ERR;
    if (units_duration_ps(ydoc_str(n), &v, why, sizeof why) != 0)
        return ydoc_error(y, n, d, "%s: %s", what, why);
    if (v < min_ps || v > max_ps)
        return ydoc_error(y, n, d, "%s = %s is out of range (expected %g s to %g s)", what,
                          ydoc_str(n), (double)min_ps / 1e12, (double)max_ps / 1e12);
    *out = v;
    return 0;
}

int ydoc_size(ydoc_t *y, const yaml_node_t *n, const char *what, double min, double max,
              double *out, diag_t *d)
{
    return quantity(y, n, what, units_size_bytes, min, max, "B", out, d);
}

int ydoc_freq(ydoc_t *y, const yaml_node_t *n, const char *what, double min_hz, double max_hz,
              double *out, diag_t *d)
{
    return quantity(y, n, what, units_freq_hz, min_hz, max_hz, "Hz", out, d);
}

int ydoc_bandwidth(ydoc_t *y, const yaml_node_t *n, const char *what, double min_Bps,
                   double max_Bps, double *out, diag_t *d)
{
    return quantity(y, n, what, units_bandwidth_Bps, min_Bps, max_Bps, "B/s", out, d);
}

int ydoc_power(ydoc_t *y, const yaml_node_t *n, const char *what, double min_w, double max_w,
               double *out, diag_t *d)
{
    return quantity(y, n, what, units_power_w, min_w, max_w, "W", out, d);
}
