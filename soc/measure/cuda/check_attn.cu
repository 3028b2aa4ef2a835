/*
 * check_attn: attention ops through a reference flash-attention kernel of orinsim's own.
 *
 * cuDNN's fused attention is reachable only through its graph API (or the C++ frontend,
 * not installed with cuDNN), so the check runs a documented kernel instead: the
 * FlashAttention-2 forward algorithm (Dao, 2023) written with WMMA tensor-core fragments.
 *
 *   grid    (ceil(seq_q / 64), heads, batch); 128 threads = 4 warps per CTA
 *   warp    owns 16 query rows; its Q fragments stay in registers
 *   loop    over key/value tiles of 64 keys, loaded into shared memory by the CTA:
 *           S = Q K^T (16 x 64, fp32) -> shared memory; online softmax per row in fp32
 *           (running max m and sum l, exp2 with the scale folded in); P (fp16/bf16);
 *           O = O x exp(m_old - m_new) + P V, with O kept in shared memory in fp32
 *   causal  bottom-right aligned (query i sees keys <= i + seq_kv - seq_q), tiles past
 *           the block's last visible key are not loaded
 *   GQA     query head h reads key/value head h / (heads / kv_heads)
 *
 * Limits: fp16 and bf16, head_dim 64 or 128 (others are skipped with a note). It is a
 * straightforward implementation, not a tuned library: no split-KV for decoding (a
 * seq_q of 1 uses 1 of 64 rows per CTA), no pipelining of tile loads. Its times are
 * therefore an upper bound on what FlashAttention-2 or cuDNN achieve, and attention
 * error is reported as its own class, outside the GEMM, conv and bandwidth bounds.
 *
 * Tensors are [batch][heads][seq][head_dim], each head padded to a multiple of 64 rows,
 * so that every tile load is in bounds; padded keys are masked.
 */
#include "soc/measure/cuda/check_cuda.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <math.h>
#include <mma.h>
#include <stdio.h>

using namespace nvcuda;

enum { BR = 64, BC = 64, WARPS = 4 };

template <typename T> __device__ static inline T attn_from_f(float v);
template <> __device__ inline __half attn_from_f<__half>(float v) { return __float2half(v); }
template <> __device__ inline __nv_bfloat16 attn_from_f<__nv_bfloat16>(float v)
{
    return __float2bfloat16(v);
}

template <int D> static size_t attn_smem(size_t elt)
{
    return 2 * BC * D * elt             /* K, V tiles */
           + WARPS * 16 * BC * 4        /* S */
           + WARPS * 16 * BC * elt      /* P */
           + WARPS * 16 * D * 4         /* O */
           + 2 * WARPS * 16 * 4;        /* m, l */
}

template <typename T, int D>
__global__ void __launch_bounds__(WARPS * 32)
    attn_kernel(const T *Q, const T *K, const T *V, T *O, int heads, int kv_heads, int sq,
                int skv, int sq_pad, int skv_pad, int causal, float scale_log2)
{
    extern __shared__ __align__(128) unsigned char smem[];
    T *Ks = (T *)smem;
    T *Vs = Ks + BC * D;
    float *S = (float *)(Vs + BC * D);
    T *P = (T *)(S + WARPS * 16 * BC);
    float *Oacc = (float *)(P + WARPS * 16 * BC);
    float *mrow = Oacc + WARPS * 16 * D;
    float *lrow = mrow + WARPS * 16;

    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int h = blockIdx.y, b = blockIdx.z, kvh = h / (heads / kv_heads);
    const int q0 = blockIdx.x * BR + warp * 16;
    const int offset = skv - sq;
    const T *q = Q + ((size_t)(b * heads + h) * sq_pad + q0) * D;
    const T *k = K + (size_t)(b * kv_heads + kvh) * skv_pad * D;
    const T *v = V + (size_t)(b * kv_heads + kvh) * skv_pad * D;
    T *o = O + ((size_t)(b * heads + h) * sq_pad + q0) * D;
    float *Sw = S + warp * 16 * BC, *Ow = Oacc + warp * 16 * D;
    T *Pw = P + warp * 16 * BC;

    wmma::fragment<wmma::matrix_a, 16, 16, 16, T, wmma::row_major> qf[D / 16];
    for (int i = 0; i < D / 16; i++)
        wmma::load_matrix_sync(qf[i], q + i * 16, D);
    for (int i = lane; i < 16 * D; i += 32)
        Ow[i] = 0;
    if (lane < 16) {
        mrow[warp * 16 + lane] = -INFINITY;
        lrow[warp * 16 + lane] = 0;
    }
    int kv_end = skv;
    if (causal) {
        int last = (int)blockIdx.x * BR + BR - 1 + offset + 1;
        kv_end = last < skv ? last : skv;
    }
    for (int kv0 = 0; kv0 < kv_end; kv0 += BC) {
        __syncthreads();
        {
            const uint4 *ks = (const uint4 *)(k + (size_t)kv0 * D);
            const uint4 *vs = (const uint4 *)(v + (size_t)kv0 * D);
            uint4 *kd = (uint4 *)Ks, *vd = (uint4 *)Vs;
            const int nv = BC * D * (int)sizeof(T) / 16;
            for (int i = threadIdx.x; i < nv; i += WARPS * 32) {
                kd[i] = ks[i];
                vd[i] = vs[i];
            }
        }
        __syncthreads();
        /* S = Q K^T: K^T is K's rows read column-major. */
        for (int jn = 0; jn < BC / 16; jn++) {
            wmma::fragment<wmma::accumulator, 16, 16, 16, float> sf;
            wmma::fill_fragment(sf, 0.0f);
            for (int i = 0; i < D / 16; i++) {
                wmma::fragment<wmma::matrix_b, 16, 16, 16, T, wmma::col_major> kf;
                wmma::load_matrix_sync(kf, Ks + jn * 16 * D + i * 16, D);
                wmma::mma_sync(sf, qf[i], kf, sf);
            }
            wmma::store_matrix_sync(Sw + jn * 16, sf, BC, wmma::mem_row_major);
        }
        __syncwarp();
        /* Online softmax: two lanes per row, 32 columns each. */
        {
            const int r = lane >> 1, c0 = (lane & 1) * (BC / 2), qrow = q0 + r;
            float *Sr = Sw + r * BC;
            T *Pr = Pw + r * BC;
            float mx = -INFINITY, sum = 0;
            for (int c = c0; c < c0 + BC / 2; c++) {
                const int key = kv0 + c;
                const bool ok = key < skv && qrow < sq && (!causal || key <= qrow + offset);
                const float s = ok ? Sr[c] * scale_log2 : -INFINITY;
                Sr[c] = s;
                mx = fmaxf(mx, s);
            }
            mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
            const float mold = mrow[warp * 16 + r], mnew = fmaxf(mold, mx);
            const float alpha = mnew == -INFINITY ? 1.0f : exp2f(mold - mnew);
            for (int c = c0; c < c0 + BC / 2; c++) {
                const float p = mnew == -INFINITY ? 0.0f : exp2f(Sr[c] - mnew);
                sum += p;
                Pr[c] = attn_from_f<T>(p);
            }
            sum += __shfl_xor_sync(0xffffffffu, sum, 1);
            for (int d = (lane & 1) * (D / 2); d < (lane & 1) * (D / 2) + D / 2; d++)
                Ow[r * D + d] *= alpha;
            __syncwarp();
            if ((lane & 1) == 0) {
                mrow[warp * 16 + r] = mnew;
                lrow[warp * 16 + r] = lrow[warp * 16 + r] * alpha + sum;
            }
        }
        __syncwarp();
        /* O += P V */
        for (int jd = 0; jd < D / 16; jd++) {
            wmma::fragment<wmma::accumulator, 16, 16, 16, float> of;
            wmma::load_matrix_sync(of, Ow + jd * 16, D, wmma::mem_row_major);
            for (int i = 0; i < BC / 16; i++) {
                wmma::fragment<wmma::matrix_a, 16, 16, 16, T, wmma::row_major> pf;
                wmma::fragment<wmma::matrix_b, 16, 16, 16, T, wmma::row_major> vf;
                wmma::load_matrix_sync(pf, Pw + i * 16, BC);
                wmma::load_matrix_sync(vf, Vs + i * 16 * D + jd * 16, D);
                wmma::mma_sync(of, pf, vf, of);
            }
            wmma::store_matrix_sync(Ow + jd * 16, of, D, wmma::mem_row_major);
        }
        __syncwarp();
    }
    for (int i = lane; i < 16 * D; i += 32) {
        const float l = lrow[warp * 16 + i / D];
        o[i] = attn_from_f<T>(Ow[i] / (l > 0 ? l : 1.0f));
    }
}

typedef struct attn_job {
    void (*launch)(const struct attn_job *j);
    const void *q, *k, *v;
    void *o;
    int heads, kv_heads, sq, skv, sq_pad, skv_pad, causal, batch;
    float scale_log2;
    size_t smem;
} attn_job_t;

template <typename T, int D> static void attn_launch_t(const attn_job_t *j)
{
    dim3 grid((unsigned)(j->sq_pad / BR), (unsigned)j->heads, (unsigned)j->batch);
    attn_kernel<T, D><<<grid, WARPS * 32, j->smem, cuda_g.stream>>>(
        (const T *)j->q, (const T *)j->k, (const T *)j->v, (T *)j->o, j->heads, j->kv_heads, j->sq,
        j->skv, j->sq_pad, j->skv_pad, j->causal, j->scale_log2);
}

template <typename T, int D> static cudaError_t attn_prepare(attn_job_t *j, size_t elt)
{
    j->smem = attn_smem<D>(elt);
    j->launch = attn_launch_t<T, D>;
    return cudaFuncSetAttribute(attn_kernel<T, D>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                (int)j->smem);
}

static int attn_run(void *arg, char *note, size_t len)
{
    const attn_job_t *j = (const attn_job_t *)arg;
    cudaError_t e;
    j->launch(j);
    if ((e = cudaGetLastError()) != cudaSuccess) {
        cuda_fail(e, "attention kernel", note, len);
        return -1;
    }
    return 0;
}

int cuda_attention(const trace_op_t *op, const checkb_timing_t *t, double *med, double *min,
                   char *note, size_t len)
{
    attn_job_t j = {};
    const int64_t d = op->u.attn.head_dim;
    const int64_t kvh = op->u.attn.kv_heads > 0 ? op->u.attn.kv_heads : op->u.attn.heads;
    size_t elt = 2, qe, kve;
    void *q = NULL, *k = NULL, *v = NULL, *o = NULL;
    cudaError_t e;
    int rc;

    if (op->dtype != DT_FP16 && op->dtype != DT_BF16) {
        snprintf(note, len, "the reference attention kernel runs fp16 and bf16, not %s",
                 cuda_dtype_name(op->dtype));
        return CHECKB_SKIP;
    }
    if (d != 64 && d != 128) {
        snprintf(note, len, "the reference attention kernel runs head_dim 64 and 128, not %lld",
                 (long long)d);
        return CHECKB_SKIP;
    }
    if (op->u.attn.heads % kvh != 0 || op->u.attn.seq_q > (1 << 24) ||
        op->u.attn.seq_kv > (1 << 24) || op->u.attn.batch > 65535 || op->u.attn.heads > 65535) {
        snprintf(note, len, "shape outside the reference attention kernel's grid");
        return CHECKB_SKIP;
    }
    j.heads = (int)op->u.attn.heads;
    j.kv_heads = (int)kvh;
    j.batch = (int)op->u.attn.batch;
    j.sq = (int)op->u.attn.seq_q;
    j.skv = (int)op->u.attn.seq_kv;
    j.sq_pad = (j.sq + BR - 1) / BR * BR;
    j.skv_pad = (j.skv + BC - 1) / BC * BC;
    j.causal = op->u.attn.causal;
    j.scale_log2 = (float)(1.4426950408889634 / sqrt((double)d));
    if (op->dtype == DT_FP16)
        e = d == 64 ? attn_prepare<__half, 64>(&j, elt) : attn_prepare<__half, 128>(&j, elt);
    else
        e = d == 64 ? attn_prepare<__nv_bfloat16, 64>(&j, elt)
                    : attn_prepare<__nv_bfloat16, 128>(&j, elt);
    if (e != cudaSuccess || j.smem > cuda_g.prop.sharedMemPerBlockOptin) {
        cudaGetLastError();
        snprintf(note, len, "the reference attention kernel needs %zu B of shared memory per CTA, "
                            "more than this device allows", j.smem);
        return CHECKB_SKIP;
    }
    qe = (size_t)j.batch * j.heads * j.sq_pad * (size_t)d;
    kve = (size_t)j.batch * j.kv_heads * j.skv_pad * (size_t)d;
    if ((rc = cuda_alloc(&q, qe * elt, note, len)) != CHECKB_OK ||
        (rc = cuda_alloc(&k, kve * elt, note, len)) != CHECKB_OK ||
        (rc = cuda_alloc(&v, kve * elt, note, len)) != CHECKB_OK ||
        (rc = cuda_alloc(&o, qe * elt, note, len)) != CHECKB_OK)
        goto out;
    cuda_fill(q, qe, op->dtype, 5);
    cuda_fill(k, kve, op->dtype, 6);
    cuda_fill(v, kve, op->dtype, 7);
    j.q = q;
    j.k = k;
    j.v = v;
    j.o = o;
    rc = cuda_time(attn_run, &j, t, med, min, note, len);
out:
    cudaStreamSynchronize(cuda_g.stream);
    cudaFree(q);
    cudaFree(k);
    cudaFree(v);
    cudaFree(o);
    return rc;
}
