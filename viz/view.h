/*
 * view: `orinsim view`, the interactive timeline viewer.
 *
 *   orinsim view [--sku NAME|FILE] [--mode MODE] [--frames N] [--size WxH] [--font FILE]
 *                [--range T0:T1] [--select T0:T1] [--search TEXT] [--compare SKU[:MODE]]
 *                [--screenshot OUT.png] [--shots DIR] trace.yaml
 *   orinsim view --bench [--slices N] [--size WxH] [--frames N]
 *
 * It replays the trace in-process, records its timeline and draws it (viz/draw.h) into
 * a window through SDL2, or into an offscreen image written as PNG (--screenshot). Keys
 * and mouse are listed in docs/viewer.md and by `orinsim view --help`.
 *
 * Exit codes: those of sim/diag.h (0 ok, 1 internal, 2 bad input or usage), plus
 * VIZ_EXIT_UNAVAILABLE when the viewer cannot run here: no display, no font, or orinsim
 * was built without SDL2.
 */
#ifndef ORINSIM_VIZ_VIEW_H
#define ORINSIM_VIZ_VIEW_H

#include "sim/diag.h"

enum { VIZ_EXIT_UNAVAILABLE = EXIT_UNAVAILABLE };   /* sim/diag.h */

/* argv[0] is "view". Returns a process exit code. */
int viz_view_main(int argc, char **argv);

#endif
