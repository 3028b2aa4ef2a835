/*
 * cli: argument parsing and dispatch for `orinsim`.
 */
#include "soc/cli.h"

#include <stdio.h>

#include "sim/diag.h"

int cli_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "orinsim: not built yet\n");
    return EXIT_INTERNAL;
}
