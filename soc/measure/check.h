/*
 * check: the model against real kernels. `orinsim check` times each GPU op of a trace
 * on the GPU in the machine and simulates the same op on that GPU described as a SKU;
 * `orinsim compare` re-simulates the ops of a measurement file recorded by `check`, with
 * no GPU. Both print, per op, predicted, measured and error %, then the mean absolute
 * percentage error (MAPE) per class of op and overall. See docs/check.md.
 *
 * This header is the part that needs no CUDA: describing a device as a SKU from its
 * properties plus the per-SM table of its compute capability (configs/gpus/), the
 * measurement file, the per-op table and its statistics. The CUDA side is
 * soc/measure/check_backend.h (built only when CMake finds a CUDA compiler).
 */
#ifndef ORINSIM_CHECK_H
#define ORINSIM_CHECK_H

#include <stdint.h>
#include <stdio.h>

#include "sim/diag.h"
#include "soc/sku/sku.h"
#include "soc/trace/trace.h"

/* Exit codes of `orinsim check` besides those of sim/diag.h (documented in docs/check.md). */
enum {
    CHECK_EXIT_NO_CUDA = EXIT_UNAVAILABLE,          /* built without the CUDA backend */
    CHECK_EXIT_NO_DEVICE = EXIT_NO_DEVICE,          /* no usable CUDA device (or driver) */
    CHECK_EXIT_NOTHING_MEASURED = EXIT_NOTHING_MEASURED /* no op could be measured here */
};

/* Default bound on MAPE per class that the measured-file test enforces (percent). */
#define CHECK_MAPE_BOUND 15.0

/* What a GPU says about itself (cudaGetDeviceProperties / cudaDeviceGetAttribute), as
 * recorded in a measurement file. Zero = not reported (the table's value is used). */
typedef struct check_device {
    char name[128];              /* "NVIDIA H100 80GB HBM3" */
    int cc_major, cc_minor;
    int integrated;              /* shares DRAM with the CPU (Jetson) */
    int sms;
    double sm_clock_hz;          /* peak SM clock */
    double mem_clock_hz;         /* peak memory clock (DDR: data rate / 2) */
    int mem_bus_bits;
    double l2_bytes;
    double total_mem;            /* bytes */
    int max_threads_sm, max_ctas_sm, max_threads_cta, regs_sm, warp_size;
    double smem_sm, smem_cta_max, smem_cta_reserved;
    char driver[32];             /* "13.0" (CUDA driver API version) */
    char runtime[32];            /* "13.0" */
    char libraries[160];         /* "cuBLASLt 13.0.0, cuDNN 9.19.0, cuSPARSELt not built" */
    /* A Jetson is described by its Orin SKU and power mode instead of a table. */
    char sku[SKU_NAME_LEN];      /* "" = not a Jetson, or unknown */
    char mode[32];
} check_device_t;

/* The per-SM table of one compute capability (configs/gpus/sm_XY.yaml). */
typedef struct check_table {
    char path[512];
    char architecture[64];
    int cc_major, cc_minor;
    gpu_spec_t gpu;              /* rates, efficiencies, limits; sms, clock, L2 unset */
    double geforce_tensor[DT_COUNT];
    int has_geforce;
    double dram_efficiency;
    double dram_latency_s;
} check_table_t;

/* configs/gpus under sku_config_dir(). */
int check_table_load(int cc_major, int cc_minor, check_table_t *out, diag_t *d);
int check_table_load_file(const char *path, check_table_t *out, diag_t *d);

/* Describe a device as a SKU (one mode named "device") and resolve it. A Jetson with a
 * known SKU (dev->sku) loads that SKU under dev->mode instead. `sku` must outlive `cfg`. */
int check_describe(const check_device_t *dev, sku_t *sku, soc_config_t *cfg, diag_t *d);
/* On a Jetson: the shipped Orin SKU closest to the module's memory and peak GPU clock. */
int check_jetson_sku(double total_mem, double gpu_clock_hz, char *name, size_t len);

/* The op kinds `check` can run for real and `compare` accepts. */
int check_op_supported(trace_op_kind_t k);
/* The class an op's error is averaged in: "gemm fp16", "gemm fp16 2:4", "conv int8",
 * "attention bf16", "memcpy", "elementwise", "reduce". */
void check_op_class(const trace_op_t *op, char *buf, size_t len);
/* The op in trace syntax, one line: {op: gemm, m: 256, n: 256, k: 256, dtype: fp16}. */
void check_op_format(const trace_op_t *op, char *buf, size_t len);
/* Simulated time of one op alone on the GPU of `cfg` (seconds). */
int check_predict(const soc_config_t *cfg, const trace_t *t, const trace_op_t *op,
                  double *seconds, diag_t *d);

/* One op of a check: what ran, the simulation, the measurement. */
typedef struct check_row {
    trace_op_t op;
    char cls[48];
    double predicted_s;          /* < 0: the model cannot run it (see note) */
    double measured_s;           /* < 0: not measured (see note) */
    double min_s;                /* fastest run, when recorded; 0 = unknown */
    int runs;
    char note[256];
} check_row_t;

typedef struct check_class {
    char cls[48];
    int n;                       /* ops with both times */
    double mape;                 /* percent */
    double worst;                /* largest |error| percent */
} check_class_t;

/* A set of rows: a live check or a loaded measurement file. */
typedef struct check_run {
    check_device_t dev;
    char trace[512];             /* trace the ops came from */
    int warmup, runs, l2_flush;
    check_row_t *rows;
    int nrows, cap;
    /* Filled by check_summarise. */
    check_class_t *classes;
    int nclasses;
    int nmeasured;
    double mape;                 /* overall, over every op with both times */
} check_run_t;

void check_run_init(check_run_t *r);
void check_run_free(check_run_t *r);
check_row_t *check_run_add(check_run_t *r, const trace_op_t *op);
/* Error % of a row, (predicted - measured) / measured x 100; only when both exist. */
int check_row_error(const check_row_t *row, double *pct);
/* Classes (sorted by name), their MAPE, and the overall MAPE. */
int check_summarise(check_run_t *r);
/* Re-simulate every row on `cfg` (compare). */
int check_predict_all(check_run_t *r, const soc_config_t *cfg, diag_t *d);

/* The table of rows and the summary, as text and as JSON. */
void check_print_text(FILE *out, const check_run_t *r, const soc_config_t *cfg);
int check_print_json(FILE *out, const check_run_t *r, const soc_config_t *cfg);

/* Measurement files (docs/check.md, "Measurement files"). */
int check_save(const char *path, const check_run_t *r, diag_t *d);
int check_load(const char *path, check_run_t *r, diag_t *d);
int check_parse(const char *name, const char *buf, size_t len, check_run_t *r, diag_t *d);

#endif
