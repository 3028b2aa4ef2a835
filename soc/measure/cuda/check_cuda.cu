/*
 * check_cuda: the device, the timing loop and the streaming kernels of the checking
 * backend (soc/measure/check_backend.h).
 *
 * The device is described from cudaGetDeviceProperties and cudaDeviceGetAttribute (peak
 * SM and memory clocks in kHz; CUDA 13 dropped the clock fields of cudaDeviceProp).
 *
 * Timing (cuda_time): `warmup` untimed launches, then `runs` launches each bracketed by
 * CUDA events on one stream, and the median (and the minimum) of the event times. Before
 * each timed launch, when asked, a kernel reads a buffer of twice the L2 size: dirty lines
 * of the previous run are written back then, not during the run, and the L2 is left
 * holding only clean lines no op uses, so every input comes from DRAM as the model
 * assumes. Before the flush, one thread spins for HOLD_NS of GPU time, so that the host
 * has enqueued the start event, the op and the stop event before the GPU reaches them:
 * event times then include the GPU side of the launch and not the host's API call, also
 * for a library whose host side (cuDNN's, building an execution plan per call) takes
 * longer than the flush. The longest host call is kept; when it exceeds the hold, the
 * op's note says so, since its time may include idle GPU.
 *
 * The streaming kernels are the ones the model describes (models/kernels.c, kern_stream):
 * one full wave of 256-thread CTAs (SMs x max threads per SM / 256), grid-stride loops,
 * 16-byte vector loads and stores where the tensors allow.
 *   elementwise  reads `inputs` tensors and writes `outputs`, each `elements` long; math in
 *                fp32, flops_per_element / 2 dependent FMAs per element (the model charges
 *                the dtype's CUDA-core rate: they differ only when the op is compute-bound).
 *                Up to 8 inputs and 8 outputs.
 *   reduce       sums `elements` values into `outputs` fp32 sums of consecutive segments: a
 *                segment of at least 2048 values is swept grid-stride by several CTAs
 *                (4 loads in flight per thread) that add their sums atomically; shorter
 *                segments are reduced by one warp each, and segments of at most 128 bytes
 *                by one thread each; 16-byte vector loads wherever a segment allows.
 *   memcpy       a copy kernel with 16-byte vectors (not cudaMemcpy, whose copy engines the
 *                model does not describe).
 */
#include "soc/measure/cuda/check_cuda.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <algorithm>
#include <vector>

cuda_ctx_t cuda_g;
static int opened;

enum { THREADS = 256, MAX_EW_TENSORS = 8, SEGMENT_SPLIT = 2048, SLICE_MIN = 4096, UNROLL = 4,
       THREAD_SEG_BYTES = 128 };
static const size_t WORKSPACE_BYTES = 64u << 20;
static const long long HOLD_NS = 1000000;   /* 1 ms: tens of times cuDNN's host call */

int cuda_fail(cudaError_t e, const char *what, char *note, size_t len)
{
    snprintf(note, len, "%s: %s", what, cudaGetErrorString(e));
    cudaGetLastError();
    return CHECKB_ERR;
}

int cuda_alloc(void **p, size_t bytes, char *note, size_t len)
{
    cudaError_t e = cudaMalloc(p, bytes ? bytes : 16);
    if (e == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        *p = NULL;
        snprintf(note, len, "needs %.2f GiB more device memory than is free",
                 (double)bytes / 1073741824.0);
        return CHECKB_SKIP;
    }
    if (e != cudaSuccess)
        return cuda_fail(e, "cudaMalloc", note, len);
    return CHECKB_OK;
}

/* ---- fill ---- */

__device__ static inline uint32_t hash32(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return (uint32_t)x;
}

template <typename T> __device__ static inline T from_unit(float u);
template <> __device__ inline float from_unit<float>(float u) { return u; }
template <> __device__ inline __half from_unit<__half>(float u) { return __float2half(u); }
template <> __device__ inline __nv_bfloat16 from_unit<__nv_bfloat16>(float u)
{
    return __float2bfloat16(u);
}
template <> __device__ inline int8_t from_unit<int8_t>(float u) { return (int8_t)(u * 8.0f); }

template <typename T> __global__ void fill_kernel(T *p, size_t n, uint32_t seed)
{
    size_t stride = (size_t)gridDim.x * blockDim.x;
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        float u = (float)(hash32(i * 0x9e3779b97f4a7c15ull + seed) >> 8) * (1.0f / 8388608.0f) - 1.0f;
        p[i] = from_unit<T>(u);
    }
}

int cuda_fill(void *p, size_t n, int dtype, uint32_t seed)
{
    int grid = cuda_g.wave_ctas;
    switch (dtype) {
    case DT_FP32:
    case DT_TF32: fill_kernel<float><<<grid, THREADS, 0, cuda_g.stream>>>((float *)p, n, seed); break;
    case DT_FP16: fill_kernel<__half><<<grid, THREADS, 0, cuda_g.stream>>>((__half *)p, n, seed); break;
    case DT_BF16:
        fill_kernel<__nv_bfloat16><<<grid, THREADS, 0, cuda_g.stream>>>((__nv_bfloat16 *)p, n, seed);
        break;
    default: fill_kernel<int8_t><<<grid, THREADS, 0, cuda_g.stream>>>((int8_t *)p, n, seed); break;
    }
    return cudaGetLastError() == cudaSuccess ? 0 : -1;
}

/* ---- timing ---- */

__global__ void flush_kernel(const uint4 *p, size_t n, float *sink)
{
    size_t stride = (size_t)gridDim.x * blockDim.x;
    uint32_t acc = 0;
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        uint4 v = p[i];
        acc ^= v.x ^ v.y ^ v.z ^ v.w;
    }
    if (acc == 0x12345678u)   /* never true for the buffer's contents: keeps the loads */
        sink[0] = (float)acc;
}

__global__ void hold_kernel(long long ns)
{
    unsigned long long t0, t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t0));
    do
        asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    while ((long long)(t - t0) < ns);
}

static double host_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int cuda_time(cuda_launch_fn fn, void *arg, const checkb_timing_t *t, double *median_s,
              double *min_s, char *note, size_t len)
{
    std::vector<float> ms((size_t)t->runs);
    double host_max = 0;
    cudaError_t e;
    for (int i = 0; i < t->warmup; i++)
        if (fn(arg, note, len) != 0)
            return CHECKB_ERR;
    if ((e = cudaStreamSynchronize(cuda_g.stream)) != cudaSuccess)
        return cuda_fail(e, "warm-up", note, len);
    for (int i = 0; i < t->runs; i++) {
        hold_kernel<<<1, 1, 0, cuda_g.stream>>>(HOLD_NS);
        if (t->l2_flush && cuda_g.flush)
            flush_kernel<<<cuda_g.wave_ctas, THREADS, 0, cuda_g.stream>>>(
                (const uint4 *)cuda_g.flush, cuda_g.flush_bytes / 16, cuda_g.sink);
        double h0 = host_now();
        cudaEventRecord(cuda_g.start, cuda_g.stream);
        if (fn(arg, note, len) != 0)
            return CHECKB_ERR;
        cudaEventRecord(cuda_g.stop, cuda_g.stream);
        host_max = std::max(host_max, host_now() - h0);
        if ((e = cudaEventSynchronize(cuda_g.stop)) != cudaSuccess)
            return cuda_fail(e, "timed run", note, len);
        if ((e = cudaEventElapsedTime(&ms[(size_t)i], cuda_g.start, cuda_g.stop)) != cudaSuccess)
            return cuda_fail(e, "cudaEventElapsedTime", note, len);
    }
    std::sort(ms.begin(), ms.end());
    size_t n = ms.size();
    double med = n % 2 ? ms[n / 2] : 0.5 * ((double)ms[n / 2 - 1] + ms[n / 2]);
    *median_s = med * 1e-3;
    *min_s = ms[0] * 1e-3;
    if (host_max * 1e9 > (double)HOLD_NS)
        snprintf(note, len, "the host took up to %.0f us to enqueue the op, longer than the "
                 "%.0f us hold: the time may include an idle GPU", host_max * 1e6,
                 (double)HOLD_NS * 1e-3);
    return CHECKB_OK;
}

/* ---- the device ---- */

extern "C" int checkb_available(void)
{
    return 1;
}

extern "C" const char *checkb_build_info(void)
{
    static char buf[200];
    char blas[64], dnn[64];
    cuda_blas_info(blas, sizeof blas);
    cuda_dnn_info(dnn, sizeof dnn);
    snprintf(buf, sizeof buf, "CUDA %d.%d, %s, %s", CUDART_VERSION / 1000,
             CUDART_VERSION % 1000 / 10, blas, dnn);
    return buf;
}

static void version(int v, char *buf, size_t len)
{
    snprintf(buf, len, "%d.%d", v / 1000, v % 1000 / 10);
}

extern "C" int checkb_open(int index, check_device_t *dev, char *why, size_t len)
{
    int count = 0, khz = 0, v = 0;
    cudaError_t e = cudaGetDeviceCount(&count);
    cuda_ctx_t *g = &cuda_g;

    if (e != cudaSuccess) {
        snprintf(why, len, "cudaGetDeviceCount: %s", cudaGetErrorString(e));
        return CHECKB_ERR;
    }
    if (count == 0) {
        snprintf(why, len, "the driver sees no GPU");
        return CHECKB_ERR;
    }
    if (index >= count) {
        snprintf(why, len, "device %d asked for, %d present", index, count);
        return CHECKB_ERR;
    }
    memset(g, 0, sizeof *g);
    g->device = index;
    if ((e = cudaSetDevice(index)) != cudaSuccess ||
        (e = cudaGetDeviceProperties(&g->prop, index)) != cudaSuccess) {
        snprintf(why, len, "device %d: %s", index, cudaGetErrorString(e));
        return CHECKB_ERR;
    }
    const cudaDeviceProp *p = &g->prop;
    memset(dev, 0, sizeof *dev);
    snprintf(dev->name, sizeof dev->name, "%.127s", p->name);
    dev->cc_major = p->major;
    dev->cc_minor = p->minor;
    dev->integrated = p->integrated;
    dev->sms = p->multiProcessorCount;
    if (cudaDeviceGetAttribute(&khz, cudaDevAttrClockRate, index) == cudaSuccess)
        dev->sm_clock_hz = khz * 1e3;
    if (cudaDeviceGetAttribute(&khz, cudaDevAttrMemoryClockRate, index) == cudaSuccess)
        dev->mem_clock_hz = khz * 1e3;
    dev->mem_bus_bits = p->memoryBusWidth;
    dev->l2_bytes = p->l2CacheSize;
    dev->total_mem = (double)p->totalGlobalMem;
    dev->max_threads_sm = p->maxThreadsPerMultiProcessor;
    dev->max_ctas_sm = p->maxBlocksPerMultiProcessor;
    dev->max_threads_cta = p->maxThreadsPerBlock;
    dev->regs_sm = p->regsPerMultiprocessor;
    dev->warp_size = p->warpSize;
    dev->smem_sm = (double)p->sharedMemPerMultiprocessor;
    dev->smem_cta_max = (double)p->sharedMemPerBlockOptin;
    dev->smem_cta_reserved = (double)p->reservedSharedMemPerBlock;
    if (cudaDriverGetVersion(&v) == cudaSuccess)
        version(v, dev->driver, sizeof dev->driver);
    if (cudaRuntimeGetVersion(&v) == cudaSuccess)
        version(v, dev->runtime, sizeof dev->runtime);
    snprintf(dev->libraries, sizeof dev->libraries, "%s", checkb_build_info());

    g->wave_ctas = p->multiProcessorCount * (p->maxThreadsPerMultiProcessor / THREADS);
    if (g->wave_ctas < 1)
        g->wave_ctas = 1;
    g->flush_bytes = (size_t)p->l2CacheSize * 2;
    g->workspace_bytes = WORKSPACE_BYTES;
    if ((e = cudaStreamCreateWithFlags(&g->stream, cudaStreamNonBlocking)) != cudaSuccess ||
        (e = cudaEventCreate(&g->start)) != cudaSuccess ||
        (e = cudaEventCreate(&g->stop)) != cudaSuccess ||
        (e = cudaMalloc(&g->workspace, g->workspace_bytes)) != cudaSuccess ||
        (e = cudaMalloc((void **)&g->sink, 16)) != cudaSuccess ||
        (g->flush_bytes && (e = cudaMalloc(&g->flush, g->flush_bytes)) != cudaSuccess) ||
        (g->flush_bytes && (e = cudaMemset(g->flush, 0x5a, g->flush_bytes)) != cudaSuccess)) {
        snprintf(why, len, "setting up device %d: %s", index, cudaGetErrorString(e));
        return CHECKB_ERR;
    }
    opened = 1;
    return CHECKB_OK;
}

extern "C" void checkb_close(void)
{
    if (!opened)
        return;
    cuda_blas_close();
    cuda_dnn_close();
    cudaFree(cuda_g.flush);
    cudaFree(cuda_g.sink);
    cudaFree(cuda_g.workspace);
    cudaEventDestroy(cuda_g.start);
    cudaEventDestroy(cuda_g.stop);
    cudaStreamDestroy(cuda_g.stream);
    opened = 0;
}

extern "C" int checkb_run(const trace_op_t *op, const checkb_timing_t *t, double *median_s,
                          double *min_s, char *note, size_t len)
{
    note[0] = '\0';
    *median_s = *min_s = -1;
    if (!opened) {
        snprintf(note, len, "the device is not open");
        return CHECKB_ERR;
    }
    switch (op->kind) {
    case OP_GEMM: return cuda_gemm(op, t, median_s, min_s, note, len);
    case OP_CONV: return cuda_conv(op, t, median_s, min_s, note, len);
    case OP_ATTENTION: return cuda_attention(op, t, median_s, min_s, note, len);
    case OP_ELEMENTWISE:
    case OP_REDUCE:
    case OP_MEMCPY: return cuda_stream_op(op, t, median_s, min_s, note, len);
    default:
        snprintf(note, len, "no reference implementation for this op kind");
        return CHECKB_SKIP;
    }
}

/* ---- streaming kernels ---- */

template <typename T> __device__ static inline float to_f(T v) { return (float)v; }
template <> __device__ inline float to_f<__half>(__half v) { return __half2float(v); }
template <> __device__ inline float to_f<__nv_bfloat16>(__nv_bfloat16 v)
{
    return __bfloat162float(v);
}
/* The sum, in fp32, of the 16 / sizeof(T) values of one 16-byte vector. */
template <typename T> __device__ static inline float vec_sum(uint4 u)
{
    constexpr int V = 16 / sizeof(T);
    union { uint4 u; T e[V]; } x;
    float acc = 0;
    x.u = u;
    for (int k = 0; k < V; k++)
        acc += to_f<T>(x.e[k]);
    return acc;
}
template <typename T> __device__ static inline T from_f(float v) { return (T)v; }
template <> __device__ inline __half from_f<__half>(float v) { return __float2half(v); }
template <> __device__ inline __nv_bfloat16 from_f<__nv_bfloat16>(float v)
{
    return __float2bfloat16(v);
}
template <> __device__ inline int8_t from_f<int8_t>(float v) { return (int8_t)v; }

typedef struct ew_args {
    const void *in[MAX_EW_TENSORS];
    void *out[MAX_EW_TENSORS];
    int inputs, outputs;
    int fmas;                 /* dependent FMAs per element */
    float a, b;
} ew_args_t;

/* One element: sum of the inputs, then `fmas` dependent FMAs. */
template <typename T> __device__ static inline float ew_value(const ew_args_t &g, size_t i)
{
    float v = g.inputs ? 0.0f : (float)(i & 255);
    for (int t = 0; t < g.inputs; t++)
        v += to_f<T>(((const T *)g.in[t])[i]);
    for (int f = 0; f < g.fmas; f++)
        v = fmaf(v, g.a, g.b);
    return v;
}

/* Vectorised: 16 bytes of each tensor per step (V = 16 / sizeof(T) elements), the V
 * partial values in registers (indices known at compile time). */
template <typename T> __global__ void __launch_bounds__(THREADS) ew_kernel(ew_args_t g, size_t n)
{
    constexpr int V = 16 / sizeof(T);
    size_t nv = n / V, stride = (size_t)gridDim.x * blockDim.x;
    for (size_t j = (size_t)blockIdx.x * blockDim.x + threadIdx.x; j < nv; j += stride) {
        float acc[V];
        union { uint4 u; T e[V]; } y;
#pragma unroll
        for (int k = 0; k < V; k++)
            acc[k] = g.inputs ? 0.0f : (float)(k + 1);
        for (int t = 0; t < g.inputs; t++) {
            union { uint4 u; T e[V]; } x;
            x.u = ((const uint4 *)g.in[t])[j];
#pragma unroll
            for (int k = 0; k < V; k++)
                acc[k] += to_f<T>(x.e[k]);
        }
#pragma unroll
        for (int k = 0; k < V; k++) {
            float v = acc[k];
            for (int f = 0; f < g.fmas; f++)
                v = fmaf(v, g.a, g.b);
            y.e[k] = from_f<T>(v);
        }
        for (int t = 0; t < g.outputs; t++)
            ((uint4 *)g.out[t])[j] = y.u;
    }
    /* The tail that does not fill a vector. */
    for (size_t i = nv * V + (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        float v = ew_value<T>(g, i);
        for (int t = 0; t < g.outputs; t++)
            ((T *)g.out[t])[i] = from_f<T>(v);
    }
}

/* Long segments: the `slices` CTAs of segment (b / slices) sweep it together, grid-stride
 * (CTA b's threads take vectors (b % slices) x THREADS + t, then every slices x THREADS
 * further on, UNROLL loads in flight), and add their sums atomically. */
template <typename T>
__global__ void __launch_bounds__(THREADS)
    reduce_split_kernel(const T *in, size_t seg, int slices, float *out)
{
    constexpr int V = 16 / sizeof(T);
    __shared__ float warp_sums[THREADS / 32];
    size_t s = blockIdx.x / slices, slice = blockIdx.x % slices;
    size_t stride = (size_t)slices * THREADS;
    const T *p = in + s * seg;
    float acc = 0;
    if (seg % V == 0) {
        size_t j = slice * THREADS + threadIdx.x, end = seg / V;
        for (; j + (UNROLL - 1) * stride < end; j += UNROLL * stride) {
            uint4 x[UNROLL];
            for (int u = 0; u < UNROLL; u++)
                x[u] = ((const uint4 *)p)[j + (size_t)u * stride];
            for (int u = 0; u < UNROLL; u++)
                acc += vec_sum<T>(x[u]);
        }
        for (; j < end; j += stride)
            acc += vec_sum<T>(((const uint4 *)p)[j]);
    } else {
        for (size_t i = slice * THREADS + threadIdx.x; i < seg; i += stride)
            acc += to_f<T>(p[i]);
    }
    for (int o = 16; o > 0; o /= 2)
        acc += __shfl_xor_sync(0xffffffffu, acc, o);
    if (threadIdx.x % 32 == 0)
        warp_sums[threadIdx.x / 32] = acc;
    __syncthreads();
    if (threadIdx.x == 0) {
        float t = 0;
        for (int w = 0; w < THREADS / 32; w++)
            t += warp_sums[w];
        atomicAdd(&out[s], t);
    }
}

/* Very short segments (at most THREAD_SEG_BYTES, whole 16-byte vectors): one thread per
 * segment, reading it in 16-byte vectors. */
template <typename T>
__global__ void __launch_bounds__(THREADS)
    reduce_thread_kernel(const T *in, size_t seg, size_t segs, float *out)
{
    constexpr int V = 16 / sizeof(T);
    size_t stride = (size_t)gridDim.x * THREADS, nv = seg / V;
    for (size_t s = (size_t)blockIdx.x * THREADS + threadIdx.x; s < segs; s += stride) {
        const uint4 *p = (const uint4 *)(in + s * seg);
        float acc = 0;
        for (size_t j = 0; j < nv; j++)
            acc += vec_sum<T>(p[j]);
        out[s] = acc;
    }
}

/* Short segments: one warp per segment. */
template <typename T>
__global__ void __launch_bounds__(THREADS)
    reduce_warp_kernel(const T *in, size_t seg, size_t segs, float *out)
{
    size_t warps = (size_t)gridDim.x * (THREADS / 32);
    int lane = threadIdx.x % 32;
    for (size_t s = (size_t)blockIdx.x * (THREADS / 32) + threadIdx.x / 32; s < segs; s += warps) {
        float acc = 0;
        if (seg % (16 / sizeof(T)) == 0) {
            /* 16-byte vectors, one per lane per step. */
            constexpr int V = 16 / sizeof(T);
            const uint4 *p = (const uint4 *)(in + s * seg);
            for (size_t j = lane; j < seg / V; j += 32)
                acc += vec_sum<T>(p[j]);
        } else {
            for (size_t i = lane; i < seg; i += 32)
                acc += to_f<T>(in[s * seg + i]);
        }
        for (int o = 16; o > 0; o /= 2)
            acc += __shfl_xor_sync(0xffffffffu, acc, o);
        if (lane == 0)
            out[s] = acc;
    }
}

__global__ void __launch_bounds__(THREADS) copy_kernel(const uint4 *src, uint4 *dst, size_t nv,
                                                       const uint8_t *s8, uint8_t *d8, size_t n)
{
    size_t stride = (size_t)gridDim.x * blockDim.x;
    size_t t = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
    for (size_t j = t; j < nv; j += stride)
        dst[j] = src[j];
    for (size_t i = nv * 16 + t; i < n; i += stride)
        d8[i] = s8[i];
}

typedef struct stream_job {
    trace_op_kind_t kind;
    int dtype;
    ew_args_t ew;
    size_t n;                 /* elements (memcpy: bytes) */
    const void *src;
    void *dst;
    float *sums;
    size_t seg, segs;
    int slices;
} stream_job_t;

template <typename T> static void launch_stream(const stream_job_t *j)
{
    cudaStream_t st = cuda_g.stream;
    if (j->kind == OP_ELEMENTWISE) {
        ew_kernel<T><<<cuda_g.wave_ctas, THREADS, 0, st>>>(j->ew, j->n);
    } else if (j->slices > 0) {
        /* The sums accumulate over runs: nobody reads them, and zeroing them would be a
         * second kernel inside the timed region. */
        reduce_split_kernel<T><<<(unsigned)(j->segs * j->slices), THREADS, 0, st>>>(
            (const T *)j->src, j->seg, j->slices, j->sums);
    } else if (j->seg * sizeof(T) <= THREAD_SEG_BYTES && j->seg * sizeof(T) % 16 == 0) {
        reduce_thread_kernel<T><<<cuda_g.wave_ctas, THREADS, 0, st>>>((const T *)j->src, j->seg,
                                                                       j->segs, j->sums);
    } else {
        reduce_warp_kernel<T><<<cuda_g.wave_ctas, THREADS, 0, st>>>((const T *)j->src, j->seg,
                                                                     j->segs, j->sums);
    }
}

static int stream_launch(void *arg, char *note, size_t len)
{
    const stream_job_t *j = (const stream_job_t *)arg;
    cudaError_t e;
    if (j->kind == OP_MEMCPY) {
        copy_kernel<<<cuda_g.wave_ctas, THREADS, 0, cuda_g.stream>>>(
            (const uint4 *)j->src, (uint4 *)j->dst, j->n / 16, (const uint8_t *)j->src,
            (uint8_t *)j->dst, j->n);
    } else {
        switch (j->dtype) {
        case DT_FP32: launch_stream<float>(j); break;
        case DT_FP16: launch_stream<__half>(j); break;
        case DT_BF16: launch_stream<__nv_bfloat16>(j); break;
        default: launch_stream<int8_t>(j); break;
        }
    }
    if ((e = cudaGetLastError()) != cudaSuccess)
    {
        cuda_fail(e, "kernel launch", note, len);
        return -1;
    }
    return 0;
}

int cuda_stream_op(const trace_op_t *op, const checkb_timing_t *t, double *med, double *min,
                   char *note, size_t len)
{
    stream_job_t j;
    void *bufs[2 * MAX_EW_TENSORS + 2] = {0};
    int nb = 0, rc = CHECKB_OK;
    double elt = op->dtype == DT_FP32 ? 4 : op->dtype == DT_INT8 ? 1 : 2;

    memset(&j, 0, sizeof j);
    j.kind = op->kind;
    j.dtype = op->dtype;
    if (op->kind != OP_MEMCPY && (op->dtype == DT_TF32 || op->dtype == DT_INT4)) {
        snprintf(note, len, "%s has no CUDA-core data type for streaming kernels (tf32 and int4 are "
                            "tensor-core formats)", cuda_dtype_name(op->dtype));
        return CHECKB_SKIP;
    }
    if (op->kind == OP_MEMCPY) {
        j.n = (size_t)op->u.memcpy.bytes;
        if ((rc = cuda_alloc(&bufs[nb++], j.n, note, len)) != CHECKB_OK ||
            (rc = cuda_alloc(&bufs[nb++], j.n, note, len)) != CHECKB_OK)
            goto out;
        j.src = bufs[0];
        j.dst = bufs[1];
        cudaMemsetAsync(bufs[0], 0x3c, j.n, cuda_g.stream);
    } else if (op->kind == OP_ELEMENTWISE) {
        if (op->u.ew.inputs > MAX_EW_TENSORS || op->u.ew.outputs > MAX_EW_TENSORS) {
            snprintf(note, len, "the reference elementwise kernel takes at most %d inputs and %d "
                                "outputs", MAX_EW_TENSORS, MAX_EW_TENSORS);
            return CHECKB_SKIP;
        }
        j.n = (size_t)op->u.ew.elements;
        j.ew.inputs = (int)op->u.ew.inputs;
        j.ew.outputs = (int)op->u.ew.outputs;
        j.ew.fmas = (int)(op->u.ew.flops_per_element / 2);
        j.ew.a = 0.999f;
        j.ew.b = 0.001f;
        for (int i = 0; i < j.ew.inputs; i++) {
            if ((rc = cuda_alloc(&bufs[nb], j.n * (size_t)elt, note, len)) != CHECKB_OK)
                goto out;
            j.ew.in[i] = bufs[nb];
            cuda_fill(bufs[nb++], j.n, op->dtype, 11u + (uint32_t)i);
        }
        for (int i = 0; i < j.ew.outputs; i++) {
            if ((rc = cuda_alloc(&bufs[nb], j.n * (size_t)elt, note, len)) != CHECKB_OK)
                goto out;
            j.ew.out[i] = bufs[nb++];
        }
    } else {
        j.n = (size_t)op->u.reduce.elements;
        j.segs = (size_t)op->u.reduce.outputs;
        if (j.n % j.segs != 0) {
            snprintf(note, len, "the reference reduce kernel needs elements (%zu) to be a multiple "
                                "of outputs (%zu)", j.n, j.segs);
            return CHECKB_SKIP;
        }
        j.seg = j.n / j.segs;
        if (j.seg >= SEGMENT_SPLIT) {
            /* Enough CTAs for a full wave, each slice at least SLICE_MIN values. */
            size_t want = ((size_t)cuda_g.wave_ctas + j.segs - 1) / j.segs;
            size_t most = (j.seg + SLICE_MIN - 1) / SLICE_MIN;
            j.slices = (int)std::max<size_t>(1, std::min(want, most));
        }
        if ((rc = cuda_alloc(&bufs[nb], j.n * (size_t)elt, note, len)) != CHECKB_OK)
            goto out;
        j.src = bufs[nb];
        cuda_fill(bufs[nb++], j.n, op->dtype, 7u);
        if ((rc = cuda_alloc(&bufs[nb], j.segs * sizeof(float), note, len)) != CHECKB_OK)
            goto out;
        j.sums = (float *)bufs[nb++];
        cudaMemsetAsync(j.sums, 0, j.segs * sizeof(float), cuda_g.stream);
    }
    rc = cuda_time(stream_launch, &j, t, med, min, note, len);
out:
    cudaStreamSynchronize(cuda_g.stream);
    for (int i = 0; i < nb; i++)
        cudaFree(bufs[i]);
    return rc;
}
