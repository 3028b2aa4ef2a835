/*
 * check_blas: gemm ops through cuBLASLt (dense) and cuSPARSELt (2:4 sparse).
 *
 * Layout: C[m x n] = A[m x k] B[k x n] in the "TN" form cuBLAS runs fastest: A is stored
 * k x m column-major and transposed by the library, B is k x n column-major, C is m x n
 * column-major; `batch` > 1 is a strided batch. The algorithm is cuBLASLt's first
 * heuristic choice with a 64 MiB workspace, which is what frameworks get.
 *
 *   dtype  A, B       C (= D)       compute
 *   fp32   fp32       fp32          CUBLAS_COMPUTE_32F (CUDA cores)
 *   tf32   fp32       fp32          CUBLAS_COMPUTE_32F_FAST_TF32
 *   fp16   fp16       fp16          CUBLAS_COMPUTE_32F (fp32 accumulation)
 *   bf16   bf16       bf16          CUBLAS_COMPUTE_32F
 *   int8   int8       int8          CUBLAS_COMPUTE_32I, fp32 scale (int32 C if the device
 *                                   has no int8-output kernel)
 *   int4   skipped: cuBLASLt has no int4 GEMM
 *
 * 2:4 sparse (A is the structured-sparse operand, as in the model): cuSPARSELt, with A
 * pruned and compressed once outside the timed region, when the build found it; otherwise
 * the op is skipped with a note. tf32 sparse uses fp32 storage, int8 sparse int8 output.
 */
#include "soc/measure/cuda/check_cuda.h"

#include <cublasLt.h>
#include <stdio.h>
#include <string.h>

#ifdef ORINSIM_HAVE_CUSPARSELT
#include <cusparseLt.h>
/* From cuSPARSELt 0.6 a float GEMM with 32-bit compute runs on TF32 tensor cores and
 * CUSPARSE_COMPUTE_TF32 is gone. */
#if defined(CUSPARSELT_VER_MAJOR) && (CUSPARSELT_VER_MAJOR > 0 || CUSPARSELT_VER_MINOR >= 6)
#define SPARSE_COMPUTE_TF32 CUSPARSE_COMPUTE_32F
#else
#define SPARSE_COMPUTE_TF32 CUSPARSE_COMPUTE_TF32
#endif
#endif

static cublasLtHandle_t lt;

void cuda_blas_info(char *buf, size_t len)
{
    size_t v = cublasLtGetVersion();
#ifdef ORINSIM_HAVE_CUSPARSELT
    snprintf(buf, len, "cuBLASLt %zu.%zu.%zu, cuSPARSELt %d.%d.%d", v / 10000, v / 100 % 100,
             v % 100, CUSPARSELT_VER_MAJOR, CUSPARSELT_VER_MINOR, CUSPARSELT_VER_PATCH);
#else
    snprintf(buf, len, "cuBLASLt %zu.%zu.%zu, cuSPARSELt not found at build time", v / 10000,
             v / 100 % 100, v % 100);
#endif
}

void cuda_blas_close(void)
{
    if (lt)
        cublasLtDestroy(lt);
    lt = NULL;
}

static int blas_fail(cublasStatus_t s, const char *what, char *note, size_t len)
{
    snprintf(note, len, "%s: cuBLAS status %d", what, (int)s);
    return CHECKB_ERR;
}

typedef struct gemm_job {
    cublasLtMatmulDesc_t desc;
    cublasLtMatrixLayout_t la, lb, lc;
    cublasLtMatmulAlgo_t algo;
    const void *alpha, *beta;
    const void *a, *b;
    void *c;
} gemm_job_t;

static int gemm_launch(void *arg, char *note, size_t len)
{
    gemm_job_t *j = (gemm_job_t *)arg;
    cublasStatus_t s = cublasLtMatmul(lt, j->desc, j->alpha, j->a, j->la, j->b, j->lb, j->beta,
                                      j->c, j->lc, j->c, j->lc, &j->algo, cuda_g.workspace,
                                      cuda_g.workspace_bytes, cuda_g.stream);
    if (s != CUBLAS_STATUS_SUCCESS) {
        blas_fail(s, "cublasLtMatmul", note, len);
        return -1;
    }
    return 0;
}

typedef struct gemm_types {
    cudaDataType_t ab, c, scale;
    cublasComputeType_t compute;
    double eab, ec;           /* bytes per element */
} gemm_types_t;

static int types_of(int dtype, int int32_out, gemm_types_t *t)
{
    switch (dtype) {
    case DT_FP32: *t = {CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F, 4, 4}; return 0;
    case DT_TF32:
        *t = {CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32, 4, 4};
        return 0;
    case DT_FP16: *t = {CUDA_R_16F, CUDA_R_16F, CUDA_R_32F, CUBLAS_COMPUTE_32F, 2, 2}; return 0;
    case DT_BF16: *t = {CUDA_R_16BF, CUDA_R_16BF, CUDA_R_32F, CUBLAS_COMPUTE_32F, 2, 2}; return 0;
    case DT_INT8:
        if (int32_out)
            *t = {CUDA_R_8I, CUDA_R_32I, CUDA_R_32I, CUBLAS_COMPUTE_32I, 1, 4};
        else
            *t = {CUDA_R_8I, CUDA_R_8I, CUDA_R_32F, CUBLAS_COMPUTE_32I, 1, 1};
        return 0;
    default: return -1;
    }
}

/* Descriptors and the heuristic's first algorithm; CHECKB_SKIP when there is none. */
static int gemm_plan(const trace_op_t *op, const gemm_types_t *ty, gemm_job_t *j, char *note,
                     size_t len)
{
    int64_t m = op->u.gemm.m, n = op->u.gemm.n, k = op->u.gemm.k;
    int32_t batch = (int32_t)op->u.gemm.batch;
    cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
    cublasLtMatmulPreference_t pref = NULL;
    cublasLtMatmulHeuristicResult_t res;
    uint64_t ws = cuda_g.workspace_bytes;
    int found = 0;
    cublasStatus_t s;

    if ((s = cublasLtMatmulDescCreate(&j->desc, ty->compute, ty->scale)) != CUBLAS_STATUS_SUCCESS ||
        (s = cublasLtMatmulDescSetAttribute(j->desc, CUBLASLT_MATMUL_DESC_TRANSA, &ta,
                                            sizeof ta)) != CUBLAS_STATUS_SUCCESS ||
        (s = cublasLtMatmulDescSetAttribute(j->desc, CUBLASLT_MATMUL_DESC_TRANSB, &tb,
                                            sizeof tb)) != CUBLAS_STATUS_SUCCESS ||
        (s = cublasLtMatrixLayoutCreate(&j->la, ty->ab, (uint64_t)k, (uint64_t)m, k)) !=
            CUBLAS_STATUS_SUCCESS ||
        (s = cublasLtMatrixLayoutCreate(&j->lb, ty->ab, (uint64_t)k, (uint64_t)n, k)) !=
            CUBLAS_STATUS_SUCCESS ||
        (s = cublasLtMatrixLayoutCreate(&j->lc, ty->c, (uint64_t)m, (uint64_t)n, m)) !=
            CUBLAS_STATUS_SUCCESS)
        return blas_fail(s, "cuBLASLt descriptors", note, len);
    if (batch > 1) {
        int64_t sa = m * k, sb = k * n, sc = m * n;
        cublasLtMatrixLayout_t ls[3] = {j->la, j->lb, j->lc};
        int64_t strides[3] = {sa, sb, sc};
        for (int i = 0; i < 3; i++)
            if ((s = cublasLtMatrixLayoutSetAttribute(ls[i], CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT,
                                                      &batch, sizeof batch)) !=
                    CUBLAS_STATUS_SUCCESS ||
                (s = cublasLtMatrixLayoutSetAttribute(
                     ls[i], CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, &strides[i],
                     sizeof strides[i])) != CUBLAS_STATUS_SUCCESS)
                return blas_fail(s, "cuBLASLt batch layout", note, len);
    }
    if ((s = cublasLtMatmulPreferenceCreate(&pref)) != CUBLAS_STATUS_SUCCESS ||
        (s = cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                                                  &ws, sizeof ws)) != CUBLAS_STATUS_SUCCESS)
        return blas_fail(s, "cuBLASLt preference", note, len);
    s = cublasLtMatmulAlgoGetHeuristic(lt, j->desc, j->la, j->lb, j->lc, j->lc, pref, 1, &res,
                                       &found);
    cublasLtMatmulPreferenceDestroy(pref);
    if (s != CUBLAS_STATUS_SUCCESS || found < 1) {
        snprintf(note, len, "cuBLASLt has no %s GEMM kernel for this shape on this device "
                            "(heuristic status %d)", cuda_dtype_name(op->dtype), (int)s);
        return CHECKB_SKIP;
    }
    j->algo = res.algo;
    return CHECKB_OK;
}

static void gemm_unplan(gemm_job_t *j)
{
    if (j->la)
        cublasLtMatrixLayoutDestroy(j->la);
    if (j->lb)
        cublasLtMatrixLayoutDestroy(j->lb);
    if (j->lc)
        cublasLtMatrixLayoutDestroy(j->lc);
    if (j->desc)
        cublasLtMatmulDescDestroy(j->desc);
    memset(j, 0, sizeof *j);
}

#ifdef ORINSIM_HAVE_CUSPARSELT
static int sparse_gemm(const trace_op_t *op, const checkb_timing_t *t, double *med, double *min,
                       char *note, size_t len);
#endif

int cuda_gemm(const trace_op_t *op, const checkb_timing_t *t, double *med, double *min, char *note,
              size_t len)
{
    static const float one = 1.0f, zero = 0.0f;
    static const int32_t ione = 1, izero = 0;
    gemm_types_t ty;
    gemm_job_t j;
    void *a = NULL, *b = NULL, *c = NULL;
    size_t m = (size_t)op->u.gemm.m, n = (size_t)op->u.gemm.n, k = (size_t)op->u.gemm.k;
    size_t batch = (size_t)op->u.gemm.batch;
    int rc;

    if (op->dtype == DT_INT4) {
        snprintf(note, len, "cuBLASLt has no int4 GEMM");
        return CHECKB_SKIP;
    }
    if (op->u.gemm.weight_dtype != op->dtype) {
        snprintf(note, len, "mixed-precision weights (weight_dtype %s) have no cuBLASLt path "
                            "here", cuda_dtype_name(op->u.gemm.weight_dtype));
        return CHECKB_SKIP;
    }
    if (op->sparse) {
#ifdef ORINSIM_HAVE_CUSPARSELT
        return sparse_gemm(op, t, med, min, note, len);
#else
        snprintf(note, len, "2:4 sparse gemm needs cuSPARSELt, which this build does not have "
                            "(docs/check.md)");
        return CHECKB_SKIP;
#endif
    }
    if (lt == NULL && cublasLtCreate(&lt) != CUBLAS_STATUS_SUCCESS) {
        snprintf(note, len, "cublasLtCreate failed");
        return CHECKB_ERR;
    }
    memset(&j, 0, sizeof j);
    types_of(op->dtype, 0, &ty);
    rc = gemm_plan(op, &ty, &j, note, len);
    if (rc == CHECKB_SKIP && op->dtype == DT_INT8) {
        /* No int8-output kernel: int32 output, the model's C traffic x 4. */
        gemm_unplan(&j);
        types_of(op->dtype, 1, &ty);
        rc = gemm_plan(op, &ty, &j, note, len);
        if (rc == CHECKB_OK)
            snprintf(note, len, "int8 GEMM with int32 output (no int8-output kernel here)");
    }
    if (rc != CHECKB_OK)
        goto out;
    if ((rc = cuda_alloc(&a, batch * m * k * (size_t)ty.eab, note, len)) != CHECKB_OK ||
        (rc = cuda_alloc(&b, batch * k * n * (size_t)ty.eab, note, len)) != CHECKB_OK ||
        (rc = cuda_alloc(&c, batch * m * n * (size_t)ty.ec, note, len)) != CHECKB_OK)
        goto out;
    cuda_fill(a, batch * m * k, op->dtype, 1);
    cuda_fill(b, batch * k * n, op->dtype, 2);
    j.a = a;
    j.b = b;
    j.c = c;
    j.alpha = ty.scale == CUDA_R_32I ? (const void *)&ione : (const void *)&one;
    j.beta = ty.scale == CUDA_R_32I ? (const void *)&izero : (const void *)&zero;
    {
        char keep[160];
        snprintf(keep, sizeof keep, "%s", note);
        rc = cuda_time(gemm_launch, &j, t, med, min, note, len);
        if (rc == CHECKB_OK && keep[0])
            snprintf(note, len, "%s", keep);
    }
out:
    cudaStreamSynchronize(cuda_g.stream);
    cudaFree(a);
    cudaFree(b);
    cudaFree(c);
    gemm_unplan(&j);
    return rc;
}

#ifdef ORINSIM_HAVE_CUSPARSELT
/* Written against the cuSPARSELt 0.5+ API (plan without workspace argument,
 * cusparseLtSpMMACompressedSize with plan). */
static cusparseLtHandle_t splt;
static int splt_ready;

typedef struct sparse_job {
    cusparseLtMatmulPlan_t plan;
    const void *a, *b;
    void *c;
    void *ws;
    float alpha, beta;
} sparse_job_t;

static int sparse_launch(void *arg, char *note, size_t len)
{
    sparse_job_t *j = (sparse_job_t *)arg;
    cusparseStatus_t s = cusparseLtMatmul(&splt, &j->plan, &j->alpha, j->a, j->b, &j->beta, j->c,
                                          j->c, j->ws, &cuda_g.stream, 1);
    if (s != CUSPARSE_STATUS_SUCCESS) {
        snprintf(note, len, "cusparseLtMatmul: status %d", (int)s);
        return -1;
    }
    return 0;
}

static int sparse_gemm(const trace_op_t *op, const checkb_timing_t *t, double *med, double *min,
                       char *note, size_t len)
{
    int64_t m = op->u.gemm.m, n = op->u.gemm.n, k = op->u.gemm.k;
    cudaDataType_t ab, c;
    cusparseComputeType compute;
    double eab, ec;
    cusparseLtMatDescriptor_t ma, mb, mc;
    cusparseLtMatmulDescriptor_t md;
    cusparseLtMatmulAlgSelection_t sel;
    sparse_job_t j;
    void *a = NULL, *ac = NULL, *acbuf = NULL, *b = NULL, *cc = NULL;
    size_t ws = 0, csize = 0, cbuf = 0;
    cusparseOperation_t ta = CUSPARSE_OPERATION_TRANSPOSE, tb = CUSPARSE_OPERATION_NON_TRANSPOSE;
    int rc = CHECKB_OK, planned = 0;
    cusparseStatus_t s;

    switch (op->dtype) {
    case DT_TF32: ab = c = CUDA_R_32F; compute = SPARSE_COMPUTE_TF32; eab = ec = 4; break;
    case DT_FP16: ab = c = CUDA_R_16F; compute = CUSPARSE_COMPUTE_32F; eab = ec = 2; break;
    case DT_BF16: ab = c = CUDA_R_16BF; compute = CUSPARSE_COMPUTE_32F; eab = ec = 2; break;
    case DT_INT8: ab = c = CUDA_R_8I; compute = CUSPARSE_COMPUTE_32I; eab = ec = 1; break;
    default:
        snprintf(note, len, "cuSPARSELt has no 2:4 %s GEMM", cuda_dtype_name(op->dtype));
        return CHECKB_SKIP;
    }
    if (op->u.gemm.batch != 1) {
        snprintf(note, len, "batched 2:4 gemm is not run by the reference path");
        return CHECKB_SKIP;
    }
    if (!splt_ready) {
        if (cusparseLtInit(&splt) != CUSPARSE_STATUS_SUCCESS) {
            snprintf(note, len, "cusparseLtInit failed (device not supported by cuSPARSELt?)");
            return CHECKB_SKIP;
        }
        splt_ready = 1;
    }
    memset(&j, 0, sizeof j);
    j.alpha = 1.0f;
    /* A stored k x m column-major, transposed: the structured operand. */
    if ((s = cusparseLtStructuredDescriptorInit(&splt, &ma, k, m, k, 16, ab, CUSPARSE_ORDER_COL,
                                                CUSPARSELT_SPARSITY_50_PERCENT)) !=
            CUSPARSE_STATUS_SUCCESS ||
        (s = cusparseLtDenseDescriptorInit(&splt, &mb, k, n, k, 16, ab, CUSPARSE_ORDER_COL)) !=
            CUSPARSE_STATUS_SUCCESS ||
        (s = cusparseLtDenseDescriptorInit(&splt, &mc, m, n, m, 16, c, CUSPARSE_ORDER_COL)) !=
            CUSPARSE_STATUS_SUCCESS ||
        (s = cusparseLtMatmulDescriptorInit(&splt, &md, ta, tb, &ma, &mb, &mc, &mc, compute)) !=
            CUSPARSE_STATUS_SUCCESS ||
        (s = cusparseLtMatmulAlgSelectionInit(&splt, &sel, &md, CUSPARSELT_MATMUL_ALG_DEFAULT)) !=
            CUSPARSE_STATUS_SUCCESS ||
        (s = cusparseLtMatmulPlanInit(&splt, &j.plan, &md, &sel)) != CUSPARSE_STATUS_SUCCESS) {
        snprintf(note, len, "cuSPARSELt cannot plan a 2:4 %s GEMM of this shape (status %d)",
                 cuda_dtype_name(op->dtype), (int)s);
        return CHECKB_SKIP;
    }
    planned = 1;
    if ((s = cusparseLtMatmulGetWorkspace(&splt, &j.plan, &ws)) != CUSPARSE_STATUS_SUCCESS ||
        (s = cusparseLtSpMMACompressedSize(&splt, &j.plan, &csize, &cbuf)) !=
            CUSPARSE_STATUS_SUCCESS) {
        snprintf(note, len, "cuSPARSELt sizes: status %d", (int)s);
        rc = CHECKB_ERR;
        goto out;
    }
    if ((rc = cuda_alloc(&a, (size_t)(m * k * eab), note, len)) != CHECKB_OK ||
        (rc = cuda_alloc(&ac, csize, note, len)) != CHECKB_OK ||
        (rc = cuda_alloc(&acbuf, cbuf, note, len)) != CHECKB_OK ||
        (rc = cuda_alloc(&b, (size_t)(k * n * eab), note, len)) != CHECKB_OK ||
        (rc = cuda_alloc(&cc, (size_t)(m * n * ec), note, len)) != CHECKB_OK ||
        (ws && (rc = cuda_alloc(&j.ws, ws, note, len)) != CHECKB_OK))
        goto out;
    cuda_fill(a, (size_t)(m * k), op->dtype, 1);
    cuda_fill(b, (size_t)(k * n), op->dtype, 2);
    if ((s = cusparseLtSpMMAPrune(&splt, &md, a, a, CUSPARSELT_PRUNE_SPMMA_TILE, cuda_g.stream)) !=
            CUSPARSE_STATUS_SUCCESS ||
        (s = cusparseLtSpMMACompress(&splt, &j.plan, a, ac, acbuf, cuda_g.stream)) !=
            CUSPARSE_STATUS_SUCCESS) {
        snprintf(note, len, "cuSPARSELt prune/compress: status %d", (int)s);
        rc = CHECKB_ERR;
        goto out;
    }
    j.a = ac;
    j.b = b;
    j.c = cc;
    /* cuSPARSELt's own search: it runs the kernels it has for the plan and keeps the
     * fastest (its default is a first guess, like a heuristic). The one it keeps may want
     * a larger workspace. */
    if ((s = cusparseLtMatmulSearch(&splt, &j.plan, &j.alpha, j.a, j.b, &j.beta, j.c, j.c, j.ws,
                                    &cuda_g.stream, 1)) != CUSPARSE_STATUS_SUCCESS) {
        snprintf(note, len, "cusparseLtMatmulSearch: status %d", (int)s);
        rc = CHECKB_ERR;
        goto out;
    }
    {
        size_t ws2 = 0;
        if ((s = cusparseLtMatmulGetWorkspace(&splt, &j.plan, &ws2)) != CUSPARSE_STATUS_SUCCESS) {
            snprintf(note, len, "cuSPARSELt workspace: status %d", (int)s);
            rc = CHECKB_ERR;
            goto out;
        }
        if (ws2 > ws) {
            cudaFree(j.ws);
            j.ws = NULL;
            if ((rc = cuda_alloc(&j.ws, ws2, note, len)) != CHECKB_OK)
                goto out;
        }
    }
    rc = cuda_time(sparse_launch, &j, t, med, min, note, len);
out:
    cudaStreamSynchronize(cuda_g.stream);
    cudaFree(a);
    cudaFree(ac);
    cudaFree(acbuf);
    cudaFree(b);
    cudaFree(cc);
    cudaFree(j.ws);
    if (planned)
        cusparseLtMatmulPlanDestroy(&j.plan);
    return rc;
}
#endif
