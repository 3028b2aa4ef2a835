/*
 * dtype: names and storage sizes of the GPU's numeric formats. See dtype.h.
 */
#include "models/dtype.h"

#include <string.h>

static const char *const NAMES[DT_COUNT] = {"fp32", "tf32", "fp16", "bf16", "int8", "int4"};
/* TF32 is a tensor-core input format: its operands sit in memory as fp32. */
static const double BYTES[DT_COUNT] = {4.0, 4.0, 2.0, 2.0, 1.0, 0.5};

double dtype_bytes(dtype_t t)
{
    return (t >= 0 && t < DT_COUNT) ? BYTES[t] : 0.0;
}

const char *dtype_name(dtype_t t)
{
    return (t >= 0 && t < DT_COUNT) ? NAMES[t] : "?";
}

int dtype_parse(const char *s, dtype_t *out)
{
    for (int i = 0; i < DT_COUNT; i++)
        if (s && strcmp(s, NAMES[i]) == 0) {
            *out = (dtype_t)i;
            return 0;
        }
    return -1;
}
