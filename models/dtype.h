/*
 * dtype: the numeric formats a GPU op can compute in, and their storage sizes.
 */
#ifndef ORINSIM_DTYPE_H
#define ORINSIM_DTYPE_H

typedef enum dtype {
    DT_FP32 = 0,
    DT_TF32,          /* tensor-core format; stored as fp32 */
    DT_FP16,
    DT_BF16,
    DT_INT8,
    DT_INT4,
    DT_COUNT
} dtype_t;

/* Storage bytes per element (int4 = 0.5). */
double dtype_bytes(dtype_t t);
const char *dtype_name(dtype_t t);
/* Parse "fp32" etc.; returns -1 if unknown. */
int dtype_parse(const char *s, dtype_t *out);

#endif
