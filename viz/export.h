/*
 * export: a run's timeline as Chrome Trace Event JSON, the format Perfetto
 * (ui.perfetto.dev) and chrome://tracing open.
 *
 * Layout of the file:
 *   - one process per engine group (pid 1 GPU, 2 SM, 3 DLA, 4 PVA, 5 CPU, 6 SoC for
 *     counters, 7 Frames), one thread per lane (tid = lane index + 1), named by "M"
 *     metadata events and ordered by sort-index metadata;
 *   - one complete ("X") event per slice, args: op, engine, task lane, frame, bytes, flops,
 *     achieved GB/s and TFLOPS;
 *   - flow events ("s" then "f", one id per `after` edge) bound to the producer's last
 *     slice and the consumer's first slice;
 *   - counter ("C") events, one series per timeline counter ("DRAM GB/s", and any counter
 *     an instrument adds: power, temperature, clocks);
 *   - each frame as an async span ("b"/"e", cat "frame", id = frame number) from arrival
 *     to completion, plus a global instant ("i") at each missed deadline.
 *
 * Timestamps are microseconds, as Chrome expects, written with six decimals: the
 * simulator's picosecond is kept exactly, so ordering survives the conversion. Numbers are
 * printed with fixed formats and events in a fixed order, so the same run gives the same
 * bytes. Strings go through json-c, which does the escaping.
 */
#ifndef ORINSIM_VIZ_EXPORT_H
#define ORINSIM_VIZ_EXPORT_H

#include <stdio.h>

#include "sim/diag.h"
#include "soc/run/timeline.h"

enum { VIZ_PID_COUNTERS = TL_GROUP_COUNT + 1, VIZ_PID_FRAMES = TL_GROUP_COUNT + 2 };

/* Write `tl` to `out`. `title` (may be NULL) goes into otherData.title. Returns 0, or
 * DIAG_ERR if the timeline is inconsistent (overlapping slices), incomplete or a write
 * fails. */
int viz_export_chrome(FILE *out, const timeline_t *tl, const char *title, diag_t *d);
/* The same into a file ("-" = stdout). */
int viz_export_chrome_path(const char *path, const timeline_t *tl, const char *title,
                           diag_t *d);

#endif
