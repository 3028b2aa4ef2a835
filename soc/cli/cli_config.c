/*
 * cli_config: a module and its power mode, loaded for a subcommand. See commands.h.
 */
#include "soc/cli/commands.h"

#include "sim/diag.h"

int cli_load_config(const char *sku_name, const char *mode, sku_t *sku, soc_config_t *cfg)
{
    diag_t d;
    diag_clear(&d);
    if (sku_load(sku_name, sku, &d) != 0 || sku_resolve(sku, mode, cfg, &d) != 0) {
        diag_print(&d);
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}
