/*
 * cli: the `orinsim` command line: run, skus, sku, bench. Returns a process exit code
 * (sim/diag.h: EXIT_*).
 */
#ifndef ORINSIM_CLI_H
#define ORINSIM_CLI_H

int cli_main(int argc, char **argv);

#endif
