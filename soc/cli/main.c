/*
 * orinsim: command-line entry point. All work happens in soc/cli/cli.c.
 */
#include "soc/cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
