/*
 * check_cuda: what the CUDA files of the checking backend share (C++, internal).
 *
 * One device, one stream, one L2-flush buffer and one library workspace per process,
 * opened by checkb_open. Each op allocates its own tensors, fills them with small
 * pseudo-random values (so that tensor-core power and clocks are those of real data, not
 * of zeros), times itself with cuda_time and frees them.
 */
#ifndef ORINSIM_CHECK_CUDA_H
#define ORINSIM_CHECK_CUDA_H

#include <cuda_runtime.h>
#include <stddef.h>
#include <stdint.h>

#include "soc/measure/check_backend.h"

typedef struct cuda_ctx {
    int device;
    cudaDeviceProp prop;
    cudaStream_t stream;
    cudaEvent_t start, stop;
    void *flush;               /* 2 x L2 bytes, read before each timed run */
    size_t flush_bytes;
    float *sink;               /* where the flush kernel writes (never read) */
    void *workspace;           /* library workspace */
    size_t workspace_bytes;
    int wave_ctas;             /* one full wave of 256-thread CTAs */
} cuda_ctx_t;

extern cuda_ctx_t cuda_g;

/* Names without calling into the simulator library (the backend links only CUDA). */
static inline const char *cuda_dtype_name(int t)
{
    static const char *const names[] = {"fp32", "tf32", "fp16", "bf16", "int8", "int4"};
    return t >= 0 && t < 6 ? names[t] : "?";
}

/* A launch of the op under test; returns 0, or -1 with `note` filled. */
typedef int (*cuda_launch_fn)(void *arg, char *note, size_t len);

/* Warm-up, then timed runs (L2 flushed before each when asked); median and min in s. */
int cuda_time(cuda_launch_fn fn, void *arg, const checkb_timing_t *t, double *median_s,
              double *min_s, char *note, size_t len);
/* cudaMalloc that turns out-of-memory into CHECKB_SKIP with a note; CHECKB_ERR otherwise. */
int cuda_alloc(void **p, size_t bytes, char *note, size_t len);
/* Fill with pseudo-random values of the dtype in [-1, 1) (integers: [-8, 8)). */
int cuda_fill(void *p, size_t elements, int dtype, uint32_t seed);
/* Note a CUDA error; returns CHECKB_ERR. */
int cuda_fail(cudaError_t e, const char *what, char *note, size_t len);

/* The ops (one file each). */
int cuda_gemm(const trace_op_t *op, const checkb_timing_t *t, double *med, double *min, char *note,
              size_t len);
int cuda_conv(const trace_op_t *op, const checkb_timing_t *t, double *med, double *min, char *note,
              size_t len);
int cuda_attention(const trace_op_t *op, const checkb_timing_t *t, double *med, double *min,
                   char *note, size_t len);
int cuda_stream_op(const trace_op_t *op, const checkb_timing_t *t, double *med, double *min,
                   char *note, size_t len);

/* Library versions for the device description ("cuBLASLt 13.0.0"), and teardown. */
void cuda_blas_info(char *buf, size_t len);
void cuda_dnn_info(char *buf, size_t len);
void cuda_blas_close(void);
void cuda_dnn_close(void);

#endif
