/*
 * kernels: lowering of high-level GPU ops to kernel launches, the way cuBLAS, cuDNN
 * and fused-attention libraries would run them. See models/kernels.c and docs/model.md.
 */
#ifndef ORINSIM_KERNELS_H
#define ORINSIM_KERNELS_H

#include <stdint.h>

#include "models/dtype.h"
#include "models/gpu.h"

/* What the lowering needs to know about the machine besides the GPU: the bandwidth a
 * kernel can expect from DRAM, used only to choose tile shapes. */
typedef struct kern_env {
    const gpu_spec_t *gpu;
    double dram_Bps;          /* achievable DRAM bandwidth */
} kern_env_t;

typedef struct kern_gemm {
    int64_t m, n, k, batch;
    dtype_t dtype;
    int sparse;               /* A (m x k) is 2:4 structured sparse */
    double weight_bytes;      /* bytes per element of B as stored (int4 weights with fp16
                               * math: 0.5); 0 = dtype's size */
} kern_gemm_t;

typedef struct kern_conv {
    int64_t n, c, h, w;       /* input NCHW */
    int64_t filters;          /* K */
    int64_t kh, kw, stride_h, stride_w, pad_h, pad_w, dil_h, dil_w, groups;
    dtype_t dtype;
    int sparse;               /* weights 2:4 sparse */
} kern_conv_t;

typedef struct kern_attn {
    int64_t batch, heads, seq_q, seq_kv, head_dim;
    int causal;
    dtype_t dtype;
    int64_t kv_heads;         /* grouped-query attention; 0 = heads */
} kern_attn_t;

/* Each fills one kernel. Returns 0, or -1 with `why` when the op cannot be lowered
 * (e.g. a datatype with no path on this GPU). */
int kern_gemm(const kern_env_t *env, const kern_gemm_t *op, gpu_kernel_t *out, char *why,
              unsigned long len);
int kern_conv(const kern_env_t *env, const kern_conv_t *op, gpu_kernel_t *out, char *why,
              unsigned long len);
int kern_attention(const kern_env_t *env, const kern_attn_t *op, gpu_kernel_t *out, char *why,
                   unsigned long len);
/* Streaming kernels: `bytes_in`/`bytes_out` are DRAM traffic, `flops` CUDA-core math. */
int kern_stream(const kern_env_t *env, const char *name, double elements, double bytes_in,
                double bytes_out, double flops, dtype_t dtype, gpu_kernel_t *out, char *why,
                unsigned long len);

/* Output conv dimensions (P, Q) for a conv op; 0 if the window does not fit. */
int64_t kern_conv_out(int64_t in, int64_t k, int64_t stride, int64_t pad, int64_t dil);

#endif
