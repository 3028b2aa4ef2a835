/*
 * cli: the `orinsim` command line: run, skus, sku, bench. Returns a process exit code
 * (sim/diag.h: EXIT_*).
 */
#ifndef ORINSIM_CLI_H
#define ORINSIM_CLI_H

#include "soc/sku.h"

int cli_main(int argc, char **argv);

/* Load a module (shipped name or SKU file) and resolve it in `mode` (NULL: its default).
 * Prints the error and returns EXIT_BAD_INPUT, or EXIT_OK. */
int cli_load_config(const char *sku_name, const char *mode, sku_t *sku, soc_config_t *cfg);

#endif
