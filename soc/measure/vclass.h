/*
 * vclass: the model's error by class of workload, so a report can set the model's error
 * beside its answer.
 *
 * A workload's class is its main task's engine (GPU, DLA, PVA, CPU), family (CNN: it has
 * a convolution; transformer: attention or matrix products and no convolution; other)
 * and dominant precision, e.g. "GPU CNN INT8". The main task is the one with the most
 * network layers (conv, deconv, fc, gemm, attention), the first on a tie.
 *
 * `orinsim validate --classes` classifies every registry entry with a published value
 * (the scored cases and the cross-checks) the same way and writes, per class, the number
 * of results, their MAPE and their mean signed error as speed (a latency's error with its
 * sign turned, so > 0 is always "the model is faster than measured"), as
 * traces/validation/classes.yaml.
 * tests/test_validation.c regenerates the table and fails when the file differs, so the
 * file is always the registry's. Reports read it (report.c) and print their workload's
 * class with its error; docs/validation.md#error-by-class explains the table.
 */
#ifndef ORINSIM_VCLASS_H
#define ORINSIM_VCLASS_H

#include <stdio.h>

#include "sim/diag.h"
#include "soc/trace/trace.h"

#define VCLASS_LEN 48
#define VCLASS_MAX 64
#define VCLASS_DOC "docs/validation.md#error-by-class"

typedef struct vclass_stat {  /* struct tag: validate.h names it */
    char name[VCLASS_LEN];        /* "GPU CNN INT8" */
    int n;                        /* published results of the class */
    double mape_pct;              /* mean absolute percentage error */
    double mean_error_pct;        /* mean signed error as speed: > 0 the model is optimistic */
} vclass_stat_t;

/* The class of a trace's main workload into `out`. */
void vclass_of(const trace_t *t, char *out, size_t len);
/* The sign of a class's bias: "optimistic" (faster than measured) or "pessimistic" when its
 * mean signed error is at least half its MAPE over at least 3 results (most errors one
 * way), else NULL. */
const char *vclass_bias(const vclass_stat_t *s);

/* Add one published result's error (a fraction, signed) to its class in out[0..*n). */
void vclass_add(vclass_stat_t *out, int max, int *n, const char *name, double error);
/* (error: as speed, see mean_error_pct) */
/* Turn the sums of vclass_add into means and sort the classes by name. */
void vclass_finish(vclass_stat_t *out, int n);
/* The table as traces/validation/classes.yaml holds it. */
void vclass_write(FILE *f, const vclass_stat_t *s, int n);
/* traces/validation/classes.yaml next to the shipped configs. */
const char *vclass_default_path(void);
/* Read the table. 0, or DIAG_ERR with file:line:column. */
int vclass_load(const char *path, vclass_stat_t *out, int max, int *n, diag_t *d);
/* The class of `t` looked up in the shipped table: 1 found (*s filled), 0 the class has
 * no published result (s->name set, n 0), -1 the table cannot be read. */
int vclass_lookup(const trace_t *t, vclass_stat_t *s);

#endif
