/*
 * study_cli: `orinsim study` (see study_cli.c and docs/study.md).
 */
#ifndef ORINSIM_STUDY_CLI_H
#define ORINSIM_STUDY_CLI_H

/* `orinsim study ...` (argv[0] = "study"); returns the exit code. */
int study_cli(int argc, char **argv);

#endif
