/*
 * cli: the `orinsim` command line: the subcommand dispatch, `run` and `diff`. Returns a
 * process exit code (sim/diag.h: EXIT_*). The other subcommands are in soc/cli/commands.h.
 */
#ifndef ORINSIM_CLI_H
#define ORINSIM_CLI_H

int cli_main(int argc, char **argv);

#endif
