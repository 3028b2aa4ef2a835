/*
 * ydoc: a loaded YAML document plus the checks every orinsim file needs.
 *
 * Traces and SKU configs are read through libyaml's document API: the whole file becomes
 * a node tree, and every node keeps its start mark, so each error can name
 * file:line:column. These helpers keep the parsers short and their errors uniform:
 * unknown and duplicate keys, wrong node types, numbers, integers in range, and
 * quantities with units (see units.h).
 *
 * All functions that take a diag_t return 0 on success or DIAG_ERR after filling it.
 */
#ifndef ORINSIM_YDOC_H
#define ORINSIM_YDOC_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "sim/diag.h"

typedef struct ydoc {
    yaml_document_t doc;
    char path[512];
    int loaded;
} ydoc_t;

/* Load a file; "-" is standard input, named YDOC_STDIN in messages. Errors: not a
 * regular file, unreadable, YAML syntax, empty document. */
#define YDOC_STDIN "<stdin>"
int ydoc_load_file(ydoc_t *y, const char *path, diag_t *d);
/* Load from memory; `name` is used in messages (fuzzing, tests). */
int ydoc_load_string(ydoc_t *y, const char *name, const char *buf, size_t len, diag_t *d);
void ydoc_free(ydoc_t *y);

yaml_node_t *ydoc_root(ydoc_t *y);
int ydoc_line(const yaml_node_t *n);   /* 1-based */
int ydoc_col(const yaml_node_t *n);    /* 1-based */

/* Error located at node n (or at the file when n is NULL). Returns DIAG_ERR. */
int ydoc_error(ydoc_t *y, const yaml_node_t *n, diag_t *d, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Type checks: "expected a mapping for <what>". */
int ydoc_expect_map(ydoc_t *y, const yaml_node_t *n, const char *what, diag_t *d);
int ydoc_expect_seq(ydoc_t *y, const yaml_node_t *n, const char *what, diag_t *d);
int ydoc_expect_scalar(ydoc_t *y, const yaml_node_t *n, const char *what, diag_t *d);

/* Mapping access. */
yaml_node_t *ydoc_get(ydoc_t *y, const yaml_node_t *map, const char *key);
yaml_node_t *ydoc_key_node(ydoc_t *y, const yaml_node_t *map, const char *key);
/* Every key must be a scalar from `allowed` (NULL-terminated) and appear once. */
int ydoc_check_keys(ydoc_t *y, const yaml_node_t *map, const char *const *allowed,
                    const char *what, diag_t *d);
/* A required key: error "missing required field 'key' in <what>" at the map. */
yaml_node_t *ydoc_require(ydoc_t *y, const yaml_node_t *map, const char *key, const char *what,
                          diag_t *d);

size_t ydoc_seq_len(const yaml_node_t *seq);
yaml_node_t *ydoc_seq_at(ydoc_t *y, const yaml_node_t *seq, size_t i);
/* Mapping iteration: number of pairs, and the i-th key/value. */
size_t ydoc_map_len(const yaml_node_t *map);
yaml_node_t *ydoc_map_key(ydoc_t *y, const yaml_node_t *map, size_t i);
yaml_node_t *ydoc_map_value(ydoc_t *y, const yaml_node_t *map, size_t i);
/* The value of key `name` in a table of named entries (NULL if absent), and in `names` the
 * table's keys, comma-separated, for the message that lists what was expected. */
yaml_node_t *ydoc_entry(ydoc_t *y, const yaml_node_t *map, const char *name, char *names,
                        size_t len);

/* Scalar text (NUL-terminated by libyaml), or NULL if n is not a scalar. */
const char *ydoc_str(const yaml_node_t *n);

/* Scalars with checks. `what` names the field in messages. */
int ydoc_string(ydoc_t *y, const yaml_node_t *n, const char *what, char *out, size_t outlen,
                diag_t *d);
int ydoc_int(ydoc_t *y, const yaml_node_t *n, const char *what, int64_t min, int64_t max,
             int64_t *out, diag_t *d);
int ydoc_double(ydoc_t *y, const yaml_node_t *n, const char *what, double min, double max,
                double *out, diag_t *d);
int ydoc_bool(ydoc_t *y, const yaml_node_t *n, const char *what, int *out, diag_t *d);
/* Quantities with units, checked against [min, max] in base units. */
int ydoc_duration(ydoc_t *y, const yaml_node_t *n, const char *what, uint64_t min_ps,
                  uint64_t max_ps, uint64_t *out, diag_t *d);
int ydoc_size(ydoc_t *y, const yaml_node_t *n, const char *what, double min, double max,
              double *out, diag_t *d);
int ydoc_freq(ydoc_t *y, const yaml_node_t *n, const char *what, double min_hz, double max_hz,
              double *out, diag_t *d);
int ydoc_bandwidth(ydoc_t *y, const yaml_node_t *n, const char *what, double min_Bps,
                   double max_Bps, double *out, diag_t *d);
int ydoc_power(ydoc_t *y, const yaml_node_t *n, const char *what, double min_w, double max_w,
               double *out, diag_t *d);

#endif
