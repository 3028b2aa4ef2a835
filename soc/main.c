/*
 * orinsim: command-line entry point. All work happens in soc/cli.c.
 */
#include "soc/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
