/*
 * export: a run's timeline as Chrome Trace Event JSON, the format Perfetto
 * (ui.perfetto.dev) and chrome://tracing open, streamed to a file while the run goes.
 *
 * The writer is the timeline's sink (soc/run/timeline.h): each slice, counter sample,
 * flow and frame is written as the run records it and then forgotten, so the memory of an
 * export does not grow with the run. JSON is generated with yajl (Debian's libyajl), into
 * a buffer that goes to the file as it is, or through zlib's deflate as gzip when the
 * file name ends in ".gz" (Perfetto opens .json.gz as it is).
 *
 * Layout of the file:
 *   - one process per engine group (pid 1 GPU, 2 SM, 3 DLA, 4 PVA, 5 CPU, 6 SoC for
 *     counters, 7 Frames), one thread per lane (tid = lane index + 1), named by "M"
 *     metadata events and ordered by sort-index metadata, each written before the first
 *     event of its process or thread;
 *   - one complete ("X") event per slice, args: op, engine, frame, bytes, flops,
 *     achieved GB/s and TFLOPS;
 *   - flow events ("s" then "f", one id per `after` edge and frame) bound to the
 *     producer's last slice and the consumer's first slice of that frame, written once the
 *     consumer's slice is; an edge whose slices are not both in the file is left out;
 *   - counter ("C") events, one series per timeline counter ("DRAM GB/s", and any counter
 *     an instrument adds: power, temperature, clocks, frame latency);
 *   - each frame as an async span ("b"/"e", cat "frame", id = frame number) from arrival
 *     to completion, plus a global instant ("i") at each missed deadline.
 *
 * Events come in the order the run records them (a slice when it ends), which Perfetto
 * sorts. Timestamps are microseconds, as Chrome expects, written with six decimals: the
 * simulator's picosecond is kept exactly. Numbers are printed with fixed formats, so the
 * same run gives the same bytes.
 */
#ifndef ORINSIM_VIZ_EXPORT_H
#define ORINSIM_VIZ_EXPORT_H

#include <stdio.h>

#include "sim/diag.h"
#include "soc/run/timeline.h"

enum { VIZ_PID_COUNTERS = TL_GROUP_COUNT + 1, VIZ_PID_FRAMES = TL_GROUP_COUNT + 2 };

typedef struct viz_export viz_export_t;

/* Start writing `tl` to `path` ("-" = stdout; a name ending in ".gz" is gzip): the
 * timeline's sink becomes the writer. `title` (may be NULL) goes into otherData.title.
 * Returns 0, or DIAG_ERR (the file cannot be opened, out of memory). */
int viz_export_open(viz_export_t **out, const char *path, timeline_t *tl, const char *title,
                    diag_t *d);
/* The same into an open stream (not closed by the writer); gzip when `gzip` is set. */
int viz_export_open_file(viz_export_t **out, FILE *f, int gzip, timeline_t *tl,
                         const char *title, diag_t *d);
/* After the run (and timeline_end): finish the document and close the file. Returns 0, or
 * DIAG_ERR: "internal error" when the timeline is inconsistent (overlapping slices on one
 * lane) or incomplete (out of memory), otherwise the write that failed; no partial file
 * is left. Frees the writer and detaches it from the timeline. */
int viz_export_close(viz_export_t *x, diag_t *d);
/* Give up (the run failed): the file named by the user is left as it was. */
void viz_export_discard(viz_export_t *x);
/* Events written so far, by phase: slices ("X"), flow pairs, counter samples, frames. */
typedef struct viz_export_counts {
    size_t slices, flows, samples, frames;
} viz_export_counts_t;
viz_export_counts_t viz_export_counts(const viz_export_t *x);

#endif
