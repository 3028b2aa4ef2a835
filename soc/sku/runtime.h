/*
 * runtime: the inference runtimes of configs/runtimes/runtimes.yaml (a trace's `runtime:`,
 * docs/trace-format.md), and what sets each apart on the host: the CPU work of one
 * inference call around the engine's kernels.
 */
#ifndef ORINSIM_RUNTIME_H
#define ORINSIM_RUNTIME_H

#include "sim/diag.h"

#define RUNTIME_NAME_LEN 32

typedef struct runtime {
    char name[RUNTIME_NAME_LEN];
    double host_call_cycles;      /* CPU cycles, one core, per inference call: the host path
                                   * before the first kernel and after the last (0: none) */
} runtime_t;

/* Read runtime `name` from runtimes/runtimes.yaml in the config directory. "" is the
 * default, TensorRT driven from C++ with no host path, and reads nothing. An unknown name
 * is bad input, reported at `file:line:col` (where the trace names it) with the list of
 * runtimes. */
int runtime_load(const char *name, const char *file, int line, int col, runtime_t *out,
                 diag_t *d);

#endif
