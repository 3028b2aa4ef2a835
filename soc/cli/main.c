/*
 * orinsim: command-line entry point. All work happens in soc/cli/cli.c; what it printed
 * on standard output is checked here, once it is done (soc/io/out.h).
 */
#include <signal.h>

#include "sim/diag.h"
#include "soc/cli/cli.h"
#include "soc/io/out.h"

int main(int argc, char **argv)
{
    int rc;
    /* Past a file size limit (ulimit -f), a write fails with EFBIG and is reported like
     * any other failed write, instead of the signal ending the process. */
    signal(SIGXFSZ, SIG_IGN);
    out_stdout_begin();
    rc = cli_main(argc, argv);
    return out_stdout_finish() == EXIT_OUTPUT ? EXIT_OUTPUT : rc;
}
