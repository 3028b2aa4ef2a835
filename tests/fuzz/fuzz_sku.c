/*
 * fuzz_sku: libFuzzer target for the SKU config loader (soc/sku/sku.c, soc/sku/sku_power.c).
 *
 * The loader reads files (a SKU may `inherits:` a shipped one by name), so each input is
 * written to a file under $TMPDIR and loaded; every mode of a SKU that loads is then
 * resolved. Every input must end in a clean error or a SKU whose modes resolve;
 * AddressSanitizer and UBSan (enabled by -DORINSIM_FUZZ=ON) catch the rest. Run it with
 * tests/fuzz/run-fuzz.sh (FUZZER=sku), which points ORINSIM_CONFIG_DIR at configs/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_file.h"
#include "soc/sku/sku.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sku_t sku;
    soc_config_t cfg;
    diag_t d;
    const char *path = fuzz_write_input("sku", data, size);
    if (path == NULL)
        return 0;
    diag_clear(&d);
    if (sku_load(path, &sku, &d) == 0)
        for (int i = 0; i < sku.nmodes; i++) {
            diag_clear(&d);
            if (sku_resolve(&sku, sku.modes[i].name, &cfg, &d) != 0)
                abort();   /* a SKU that loads has modes that resolve */
        }
    return 0;
}
