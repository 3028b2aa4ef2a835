/*
 * profile: the model against a TensorRT engine's own layer profile, layer by layer.
 *
 *   trtexec --loadEngine=yolo11n.engine --dumpProfile --separateProfileRun \
 *           --exportProfile=yolo11n-profile.json
 *   orinsim profile --sku nano8 --mode MAXN_SUPER yolo11n-profile.json yolo11n.yaml
 *
 * The trace is simulated for one frame and each GPU kernel of it is set beside the
 * profile's layers that ran the same network nodes. TensorRT names a layer after the
 * ONNX nodes it fused ("/model.2/cv1/conv/Conv + PWN(PWN(/model.2/cv1/act/Sigmoid),
 * /model.2/cv1/act/Mul)"); the zoo names its ops after the same modules ("model.2.cv1").
 * A node matches the op whose name is the longest prefix of the node's module path, so
 * one engine layer can join several model kernels and one kernel several layers: the
 * comparison is made per group of layers and kernels joined this way. Engine layers that
 * match no op (reformats, copies, layers of ops the trace leaves out) and kernels that
 * match no layer are totalled apart. See docs/check.md, "A TensorRT layer profile".
 */
#ifndef ORINSIM_PROFILE_H
#define ORINSIM_PROFILE_H

#include <stdio.h>

#include "sim/diag.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"

#define PROFILE_NAME_LEN 128

typedef struct profile_layer {
    char *name;                   /* as TensorRT wrote it */
    double ms;                    /* mean time per run (averageMs) */
    int group;                    /* index into the groups, -1 if it matched no op */
} profile_layer_t;

typedef struct profile_kernel {
    char label[PROFILE_NAME_LEN]; /* the first op's name, or the kernel's */
    char (*names)[PROFILE_NAME_LEN]; /* the ops it runs, repeats expanded, lower case */
    int nnames;
    int task;
    const char *kind;             /* the first op's kind ("conv"), or "reformat" */
    double ms;                    /* simulated, its launch included */
    int group;                    /* -1 if no layer matched it */
} profile_kernel_t;

typedef struct profile_group {
    int first_kernel;             /* groups are listed in kernel order */
    int nkernels, nlayers;
    double measured_ms, predicted_ms;
} profile_group_t;

typedef struct profile {
    char path[512];
    long long iterations;         /* the profile's "count", 0 if absent */
    profile_layer_t *layers;
    int nlayers;
    profile_kernel_t *kernels;
    int nkernels;
    profile_group_t *groups;
    int ngroups;
    double measured_ms, predicted_ms;           /* every layer, every kernel */
    double lone_layer_ms, lone_kernel_ms;       /* those that matched nothing */
    int lone_layers, lone_kernels;
} profile_t;

/* Read trtexec's --exportProfile JSON (an array of {"name", "timeMs", "averageMs", ...}
 * objects, optionally led by {"count": N}), or a text holding the table --dumpProfile
 * prints ("=== Profile (N iterations ) ===", a header, rows up to "Total"). Returns 0,
 * or DIAG_ERR with d. */
int profile_load(const char *path, profile_t *p, diag_t *d);

/* Simulate one frame of `t` on `cfg` and record its GPU kernels (task order, then
 * kernel order) with the names of the ops each runs. Returns 0, or DIAG_ERR with d. */
int profile_simulate(const soc_config_t *cfg, const trace_t *t, profile_t *p, diag_t *d);

/* Join layers and kernels into groups and total them (after load and simulate). Returns
 * 0, or -1 when out of memory. */
int profile_match(profile_t *p);

/* The module path of an ONNX node name: "/model.2/m/m.0/cv1/conv/Conv" -> "model.2.m.0.
 * cv1.conv.conv" (lower case; a ModuleList's own scope "m" before "m.0" is dropped). */
void profile_node_path(const char *node, size_t len, char *out, size_t outlen);

/* The name of the k-th op (from 0) of a task called `name`, as the network's exporter
 * names it, in lower case: inside a repeat ("model.4.m.0-1.cv1") the k-th instance
 * ("model.4.m.1.cv1" for k = 1); another name called again gets PyTorch's "_k" suffix
 * ("model.9.m", "model.9.m_1", "model.9.m_2"). An op named by an ONNX node, as
 * `orinsim import` names them ("/model.0/conv/Conv"), is that node's module path. */
void profile_instance_name(const char *name, int k, char *out, size_t outlen);

void profile_print(FILE *out, const profile_t *p, const char *trace_path, const char *sku,
                   const char *mode);
int profile_write_json(FILE *out, const profile_t *p, const char *trace_path, const char *sku,
                       const char *mode);
void profile_free(profile_t *p);

#endif
