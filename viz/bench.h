/*
 * bench: `orinsim view --bench`, the renderer's frame rate on a synthetic timeline of a
 * million slices (or --slices N): 24 lanes in every group, durations from 0.2 us to
 * 200 us with gaps between them, a DRAM and a power counter. It draws a fixed sequence of
 * frames into an offscreen canvas (zoom to fit, zoom in step by step to microseconds,
 * pan, zoom back out) and prints the time each frame took. The canvas is the same one the
 * window shows, so this is the software renderer's rate; putting the pixels on screen
 * adds one copy of the canvas per frame.
 */
#ifndef ORINSIM_VIZ_BENCH_H
#define ORINSIM_VIZ_BENCH_H

#include <stdio.h>

#include "soc/run/timeline.h"
#include "viz/font.h"

/* A synthetic timeline of about `slices` slices (deterministic). NULL out of memory. */
timeline_t *bench_timeline(long slices);
/* Render `frames` frames of w x h; print a report to `out`. Returns 0 or DIAG_ERR. */
int bench_run(const font_t *font, long slices, int w, int h, int frames, int json, FILE *out,
              diag_t *d);

#endif
