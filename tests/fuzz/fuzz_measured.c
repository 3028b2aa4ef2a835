/*
 * fuzz_measured: libFuzzer target for measurement files, the input of `orinsim compare`
 * (soc/measure/check_file.c).
 *
 * Each input is parsed as a measurement file; one that parses is then taken through what
 * `compare` does with it: the measured device is described as a SKU, every row is
 * re-simulated on it and the table is printed (to /dev/null). Every input must end in a
 * clean error or a printed table; AddressSanitizer and UBSan (-DORINSIM_FUZZ=ON) catch
 * the rest. Run it with FUZZER=measured tests/fuzz/run-fuzz.sh, which points
 * ORINSIM_CONFIG_DIR at configs/ (the per-SM tables in configs/gpus).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "soc/measure/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sku_t sku;
    static FILE *sink;
    check_run_t r;
    soc_config_t cfg;
    diag_t d;
    if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
        return 0;
    diag_clear(&d);
    if (check_parse("fuzz.yaml", (const char *)data, size, &r, &d) != 0)
        return 0;
    diag_clear(&d);
    if (check_describe(&r.dev, &sku, &cfg, &d) == 0) {
        diag_clear(&d);
        if (check_predict_all(&r, &cfg, &d) == 0)
            check_print_text(sink, &r, &cfg);
    }
    check_run_free(&r);
    return 0;
}
