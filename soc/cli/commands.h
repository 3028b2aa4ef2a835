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

#include "soc/run/timeline.h"
#include "soc/sku/sku.h"
#include "viz/export.h"

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
/* `orinsim bench replay [options] [TRACE.yaml]`: the replay's speed on whole traces, with
 * and without a timeline (bench_replay.c). */
int bench_replay_cli(int argc, char **argv);

/* The timeline options of a run (timeline_cli.c). */
typedef struct cli_timeline {
    const char *path;             /* --timeline FILE, NULL when none */
    tl_detail_t detail;           /* --timeline-detail (default kernels) */
    sim_time_t win_start, win_end;/* --timeline-window (default: the whole run) */
    int filtered;                 /* a window or a detail was given */
} cli_timeline_t;

void cli_timeline_init(cli_timeline_t *o);
/* Parse argv[*i] if it is a timeline option, advancing *i past its value. Returns 1 if it
 * was one, 0 if not, -1 after printing a one-line error (exit code 2). */
int cli_timeline_option(cli_timeline_t *o, int argc, char **argv, int *i);
/* After parsing: EXIT_OK, or EXIT_BAD_INPUT (printed) for a window or detail without a file. */
int cli_timeline_check(const cli_timeline_t *o);
/* Before the run: a timeline streaming to the file (none without --timeline). `sample_s`
 * is the power sampler's period, the DRAM counter's averaging period below sm detail.
 * Returns an exit code, the error printed. */
int cli_timeline_start(const cli_timeline_t *o, double sample_s, const char *title,
                       timeline_t **tl, viz_export_t **x);
/* After the run (`ran`: it succeeded, else the file is left as it was): finish the file
 * and free both. Returns an exit code, the error printed. */
int cli_timeline_finish(timeline_t *tl, viz_export_t *x, int ran);

#endif
