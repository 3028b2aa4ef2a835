/*
 * check_backend: running trace ops for real on a CUDA GPU (soc/measure/cuda/check_cuda.cu).
 *
 * Built only when CMake finds a CUDA compiler (ORINSIM_HAVE_CUDA); otherwise
 * soc/measure/check_load.c provides stand-ins that say the build has no backend. The
 * backend uses only the types of soc/measure/check.h and soc/trace/trace.h, never the
 * simulator, so the simulator builds and runs the same with or without it.
 */
#ifndef ORINSIM_CHECK_BACKEND_H
#define ORINSIM_CHECK_BACKEND_H

#include <stddef.h>

#include "soc/measure/check.h"
#include "soc/trace/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct checkb_timing {
    int warmup;        /* untimed runs first */
    int runs;          /* timed runs; the median is reported */
    int l2_flush;      /* overwrite a buffer of twice the L2 size before each timed run */
} checkb_timing_t;

enum { CHECKB_OK = 0, CHECKB_SKIP = 1, CHECKB_ERR = -1 };

/* 1 when this orinsim has the CUDA backend. */
int checkb_available(void);
/* What the backend was built against, one line ("CUDA 13.0, cuBLASLt, cuDNN 9.19.0,
 * cuSPARSELt not found at build time"). */
const char *checkb_build_info(void);
/* Open device `index` and describe it. CHECKB_ERR with `why` when there is no usable
 * device (no GPU, no driver, driver older than the runtime). */
int checkb_open(int index, check_device_t *dev, char *why, size_t len);
/* Time one op: `warmup` runs, then `runs` runs timed with CUDA events, L2 flushed before
 * each when asked. CHECKB_OK fills median and min (seconds); CHECKB_SKIP means this op
 * cannot run here (dtype not supported by the device or library, library not built, shape
 * outside the reference kernels) and `note` says why; CHECKB_ERR is a CUDA failure. */
int checkb_run(const trace_op_t *op, const checkb_timing_t *t, double *median_s, double *min_s,
               char *note, size_t len);
void checkb_close(void);

#ifdef __cplusplus
}
#endif

#endif
