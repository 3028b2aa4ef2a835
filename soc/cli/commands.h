/*
 * commands: the subcommands whose command line lives in soc/cli/, one file each, and what
 * they share. Each takes argv from its subcommand name on and returns a process exit
 * code (sim/diag.h: EXIT_*). The subcommands that are a room's own job keep their entry
 * beside it: `zoo` (soc/zoo/zoo.h), `validate` (soc/measure/validate.h) and `sweep`
 * (soc/report/sweep.h).
 */
#ifndef ORINSIM_COMMANDS_H
#define ORINSIM_COMMANDS_H

#include <stdio.h>

#include "soc/sku/sku.h"

/* Load a module (shipped name or SKU file) and resolve it in `mode` (NULL: its default).
 * Prints the error and returns EXIT_BAD_INPUT, or EXIT_OK. (cli_config.c) */
int cli_load_config(const char *sku_name, const char *mode, sku_t *sku, soc_config_t *cfg);

/* `orinsim skus` and `orinsim sku NAME [--mode M]`: the reports. (sku_print.c) */
void sku_print_list(FILE *out);
void sku_print(FILE *out, const soc_config_t *c);

/* `orinsim check ...` and `orinsim compare ...` (check_cli.c). */
int check_cli(int argc, char **argv);
int check_compare_cli(int argc, char **argv);

/* `orinsim profile [--sku S] [--mode M] [--json FILE|-] PROFILE.json TRACE.yaml`
 * (profile_cli.c). */
int profile_cli(int argc, char **argv);

/* `orinsim import MODEL [options]`: an ONNX model or a TensorRT engine's layer
 * information as a trace on stdout (import_cli.c). */
int import_cli(int argc, char **argv);

/* `orinsim bench phold [options]`: argv may start at "phold" or just after it
 * (bench_cli.c). */
int bench_phold_cli(int argc, char **argv);

#endif
