/*
 * check_dnn: conv ops through cuDNN's convolution API (cudnnConvolutionForward).
 *
 * Tensors are NHWC for the tensor-core types, as TensorRT and cuDNN's fastest kernels
 * use them, and NCHW for fp32. The algorithm is the fastest, timed here, of those cuDNN
 * offers (cudnnGetConvolutionForwardAlgorithm_v7) whose workspace fits in 64 MiB.
 *
 *   dtype  data      compute  math
 *   fp32   float     float    CUDNN_FMA_MATH (CUDA cores; TF32 not allowed)
 *   tf32   float     float    CUDNN_DEFAULT_MATH (TF32 tensor cores allowed)
 *   fp16   half      float    CUDNN_TENSOR_OP_MATH
 *   bf16   bfloat16  float    CUDNN_TENSOR_OP_MATH
 *   int8   int8      int32    CUDNN_TENSOR_OP_MATH, int8 output (C and K multiples of 4)
 *   int4, 2:4 sparse: skipped (cuDNN has neither; TensorRT runs sparse convolutions)
 *
 * A 1x1, stride-1, unpadded, ungrouped convolution over NHWC tensors is a GEMM (M = N.H.W
 * pixels, N = K filters, K = C channels); it is also timed as that GEMM through cuBLASLt
 * and the faster of the two is the measurement, as TensorRT's tactic selection would
 * choose. cuDNN's legacy API has no tensor-core kernel for some of these shapes on
 * Hopper, and falls back to CUDA cores.
 *
 * Built only when CMake found cuDNN (ORINSIM_HAVE_CUDNN); otherwise conv ops are skipped
 * with a note.
 */
#include "soc/measure/cuda/check_cuda.h"

#include <stdio.h>
#include <string.h>

#ifdef ORINSIM_HAVE_CUDNN
#include <cudnn.h>

static cudnnHandle_t dnn;

void cuda_dnn_info(char *buf, size_t len)
{
    size_t v = cudnnGetVersion();
    snprintf(buf, len, "cuDNN %zu.%zu.%zu", v / 10000, v / 100 % 100, v % 100);
}

void cuda_dnn_close(void)
{
    if (dnn)
        cudnnDestroy(dnn);
    dnn = NULL;
}

typedef struct conv_job {
    cudnnTensorDescriptor_t xd, yd;
    cudnnFilterDescriptor_t wd;
    cudnnConvolutionDescriptor_t cd;
    cudnnConvolutionFwdAlgo_t algo;
    size_t ws;
    const void *x, *w;
    void *y;
} conv_job_t;

static int conv_launch(void *arg, char *note, size_t len)
{
    conv_job_t *j = (conv_job_t *)arg;
    const float one = 1.0f, zero = 0.0f;
    cudnnStatus_t s = cudnnConvolutionForward(dnn, &one, j->xd, j->x, j->wd, j->w, j->cd, j->algo,
                                              cuda_g.workspace, j->ws, &zero, j->yd, j->y);
    if (s != CUDNN_STATUS_SUCCESS) {
        snprintf(note, len, "cudnnConvolutionForward: %s", cudnnGetErrorString(s));
        return -1;
    }
    return 0;
}

static void conv_free(conv_job_t *j)
{
    if (j->xd)
        cudnnDestroyTensorDescriptor(j->xd);
    if (j->yd)
        cudnnDestroyTensorDescriptor(j->yd);
    if (j->wd)
        cudnnDestroyFilterDescriptor(j->wd);
    if (j->cd)
        cudnnDestroyConvolutionDescriptor(j->cd);
}

int cuda_conv(const trace_op_t *op, const checkb_timing_t *t, double *med, double *min, char *note,
              size_t len)
{
    const int64_t n = op->u.conv.n, c = op->u.conv.c, h = op->u.conv.h, w = op->u.conv.w;
    const int64_t k = op->u.conv.filters, g = op->u.conv.groups;
    cudnnDataType_t data, compute, out;
    cudnnTensorFormat_t fmt;
    cudnnMathType_t math;
    double elt, elt_out;
    conv_job_t j;
    cudnnConvolutionFwdAlgoPerf_t perf[8];
    int returned = 0, on, oc, oh, ow, rc = CHECKB_OK;
    void *x = NULL, *wt = NULL, *y = NULL;
    cudnnStatus_t s;

    if (op->sparse) {
        snprintf(note, len, "cuDNN has no 2:4 sparse convolution (TensorRT runs them)");
        return CHECKB_SKIP;
    }
    switch (op->dtype) {
    case DT_FP32:
        data = compute = out = CUDNN_DATA_FLOAT;
        fmt = CUDNN_TENSOR_NCHW;
        math = CUDNN_FMA_MATH;
        elt = elt_out = 4;
        break;
    case DT_TF32:
        data = compute = out = CUDNN_DATA_FLOAT;
        fmt = CUDNN_TENSOR_NHWC;
        math = CUDNN_DEFAULT_MATH;
        elt = elt_out = 4;
        break;
    case DT_FP16:
        data = out = CUDNN_DATA_HALF;
        compute = CUDNN_DATA_FLOAT;
        fmt = CUDNN_TENSOR_NHWC;
        math = CUDNN_TENSOR_OP_MATH;
        elt = elt_out = 2;
        break;
    case DT_BF16:
        data = out = CUDNN_DATA_BFLOAT16;
        compute = CUDNN_DATA_FLOAT;
        fmt = CUDNN_TENSOR_NHWC;
        math = CUDNN_TENSOR_OP_MATH;
        elt = elt_out = 2;
        break;
    case DT_INT8:
        if (c % 4 || k % 4 || (c / g) % 4) {
            snprintf(note, len, "cuDNN's int8 convolution needs channels and filters that are "
                                "multiples of 4 (C %lld, K %lld)", (long long)c, (long long)k);
            return CHECKB_SKIP;
        }
        data = out = CUDNN_DATA_INT8;
        compute = CUDNN_DATA_INT32;
        fmt = CUDNN_TENSOR_NHWC;
        math = CUDNN_TENSOR_OP_MATH;
        elt = elt_out = 1;
        break;
    default:
        snprintf(note, len, "cuDNN has no %s convolution", cuda_dtype_name(op->dtype));
        return CHECKB_SKIP;
    }
    if (n > 0x7fffffff || c > 0x7fffffff || h > 0x7fffffff || w > 0x7fffffff) {
        snprintf(note, len, "tensor dimensions beyond cuDNN's int range");
        return CHECKB_SKIP;
    }
    if (dnn == NULL) {
        if ((s = cudnnCreate(&dnn)) != CUDNN_STATUS_SUCCESS) {
            snprintf(note, len, "cudnnCreate: %s", cudnnGetErrorString(s));
            return CHECKB_ERR;
        }
        cudnnSetStream(dnn, cuda_g.stream);
    }
    memset(&j, 0, sizeof j);
    if ((s = cudnnCreateTensorDescriptor(&j.xd)) != CUDNN_STATUS_SUCCESS ||
        (s = cudnnCreateTensorDescriptor(&j.yd)) != CUDNN_STATUS_SUCCESS ||
        (s = cudnnCreateFilterDescriptor(&j.wd)) != CUDNN_STATUS_SUCCESS ||
        (s = cudnnCreateConvolutionDescriptor(&j.cd)) != CUDNN_STATUS_SUCCESS ||
        (s = cudnnSetTensor4dDescriptor(j.xd, fmt, data, (int)n, (int)c, (int)h, (int)w)) !=
            CUDNN_STATUS_SUCCESS ||
        (s = cudnnSetFilter4dDescriptor(j.wd, data, fmt, (int)k, (int)(c / g),
                                        (int)op->u.conv.kh, (int)op->u.conv.kw)) !=
            CUDNN_STATUS_SUCCESS ||
        (s = cudnnSetConvolution2dDescriptor(
             j.cd, (int)op->u.conv.pad_h, (int)op->u.conv.pad_w, (int)op->u.conv.stride_h,
             (int)op->u.conv.stride_w, (int)op->u.conv.dil_h, (int)op->u.conv.dil_w,
             CUDNN_CROSS_CORRELATION, compute)) != CUDNN_STATUS_SUCCESS ||
        (s = cudnnSetConvolutionGroupCount(j.cd, (int)g)) != CUDNN_STATUS_SUCCESS ||
        (s = cudnnSetConvolutionMathType(j.cd, math)) != CUDNN_STATUS_SUCCESS ||
        (s = cudnnGetConvolution2dForwardOutputDim(j.cd, j.xd, j.wd, &on, &oc, &oh, &ow)) !=
            CUDNN_STATUS_SUCCESS ||
        (s = cudnnSetTensor4dDescriptor(j.yd, fmt, out, on, oc, oh, ow)) != CUDNN_STATUS_SUCCESS) {
        snprintf(note, len, "cuDNN cannot describe this %s convolution: %s",
                 cuda_dtype_name(op->dtype), cudnnGetErrorString(s));
        rc = CHECKB_SKIP;
        goto out;
    }
    {
        size_t xe = (size_t)(n * c * h * w), we = (size_t)(k * (c / g) * op->u.conv.kh *
                                                           op->u.conv.kw);
        size_t ye = (size_t)on * oc * oh * ow;
        if ((rc = cuda_alloc(&x, xe * (size_t)elt, note, len)) != CHECKB_OK ||
            (rc = cuda_alloc(&wt, we * (size_t)elt, note, len)) != CHECKB_OK ||
            (rc = cuda_alloc(&y, ye * (size_t)elt_out, note, len)) != CHECKB_OK)
            goto out;
        cuda_fill(x, xe, op->dtype, 3);
        cuda_fill(wt, we, op->dtype, 4);
    }
    /* Every algorithm cuDNN has for the problem, each timed here as the op will be (a
     * short run: 2 warm-up, median of 5), and the fastest is measured: TensorRT chooses a
     * convolution's kernel the same way, by timing its tactics. The heuristic's first
     * guess, and cuDNN's own timing (cudnnFind...), can pick one many times slower. */
    j.x = x;
    j.w = wt;
    j.y = y;
    s = cudnnGetConvolutionForwardAlgorithm_v7(dnn, j.xd, j.wd, j.cd, j.yd, 8, &returned, perf);
    rc = CHECKB_SKIP;
    {
        checkb_timing_t quick = *t;
        double best = 0, qmed, qmin;
        char qnote[256];
        quick.warmup = 2;
        quick.runs = 5;
        for (int i = 0; s == CUDNN_STATUS_SUCCESS && i < returned; i++) {
            if (perf[i].status != CUDNN_STATUS_SUCCESS || perf[i].memory > cuda_g.workspace_bytes)
                continue;
            conv_job_t trial = j;
            trial.algo = perf[i].algo;
            trial.ws = perf[i].memory;
            qnote[0] = '\0';
            if (cuda_time(conv_launch, &trial, &quick, &qmed, &qmin, qnote, sizeof qnote) !=
                CHECKB_OK) {
                cudaStreamSynchronize(cuda_g.stream);
                cudaGetLastError();
                continue;
            }
            if (rc != CHECKB_OK || qmed < best) {
                best = qmed;
                j.algo = trial.algo;
                j.ws = trial.ws;
                rc = CHECKB_OK;
            }
        }
    }
    if (rc != CHECKB_OK) {
        snprintf(note, len, "cuDNN has no %s algorithm for this convolution on this device",
                 cuda_dtype_name(op->dtype));
        goto out;
    }
    rc = cuda_time(conv_launch, &j, t, med, min, note, len);
    if (rc == CHECKB_OK && fmt == CUDNN_TENSOR_NHWC && op->u.conv.kh == 1 && op->u.conv.kw == 1 &&
        op->u.conv.stride_h == 1 && op->u.conv.stride_w == 1 && op->u.conv.pad_h == 0 &&
        op->u.conv.pad_w == 0 && g == 1) {
        trace_op_t gop = *op;
        double gmed, gmin;
        char gnote[256] = "";
        memset(&gop.u, 0, sizeof gop.u);
        gop.kind = OP_GEMM;
        gop.u.gemm.m = n * h * w;
        gop.u.gemm.n = k;
        gop.u.gemm.k = c;
        gop.u.gemm.batch = 1;
        gop.u.gemm.weight_dtype = op->dtype;
        gop.u.gemm.weights = 1;
        if (cuda_gemm(&gop, t, &gmed, &gmin, gnote, sizeof gnote) == CHECKB_OK && gmed < *med) {
            *med = gmed;
            *min = gmin;
            snprintf(note, len, "timed as the equivalent GEMM through cuBLASLt (%.3f us), faster "
                     "than cuDNN%s%s", gmed * 1e6, gnote[0] ? ": " : "", gnote);
        }
    }
out:
    cudaStreamSynchronize(cuda_g.stream);
    cudaFree(x);
    cudaFree(wt);
    cudaFree(y);
    conv_free(&j);
    return rc;
}

#else /* no cuDNN */

void cuda_dnn_info(char *buf, size_t len)
{
    snprintf(buf, len, "cuDNN not found at build time");
}

void cuda_dnn_close(void)
{
}

int cuda_conv(const trace_op_t *op, const checkb_timing_t *t, double *med, double *min, char *note,
              size_t len)
{
    (void)op;
    (void)t;
    (void)med;
    (void)min;
    snprintf(note, len, "conv needs cuDNN, which this build does not have (docs/check.md)");
    return CHECKB_SKIP;
}

#endif
