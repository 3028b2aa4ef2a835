/*
 * view_none: `orinsim view` in a build without SDL2, SDL2_ttf or libpng. CMake compiles
 * this file instead of the viewer; it explains what is missing.
 */
#include "viz/view.h"

#include <stdio.h>

int viz_view_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "orinsim: error: this orinsim was built without the timeline viewer "
                    "(SDL2, SDL2_ttf or libpng was missing at configure time; on Debian: "
                    "apt-get install libsdl2-dev libsdl2-ttf-dev libpng-dev fonts-dejavu-core, "
                    "then re-run cmake). `orinsim run --timeline FILE` still writes a trace "
                    "for Perfetto.\n");
    return VIZ_EXIT_UNAVAILABLE;
}
