/*
 * draw: the timeline as pixels. Given a timeline, a visible time range and the viewer's
 * state (collapsed groups, selected slice, selected range, search text), it lays out rows
 * and draws them into a canvas:
 *
 *   header     title (trace, module, mode) and a hint line
 *   time axis  ticks at 1-2-5 steps with units (ps ns us ms s)
 *   frames     each frame from arrival to completion; missed deadlines in red
 *   lanes      per group (GPU, SM, DLA, PVA, CPU) a header row, then one row per lane, or
 *              one summary row when the group is collapsed
 *   counters   one area chart per counter (DRAM GB/s, and whatever instruments add),
 *              pinned at the bottom
 *   status     search text, messages
 *
 * Level of detail, as Tracy does it: a slice narrower than one pixel is not drawn alone;
 * the renderer paints that pixel column as busy and jumps, by binary search, to the first
 * slice that ends after the column. A row therefore costs O(columns x log slices), not
 * O(slices), and a million slices draw as fast as a thousand. Counters likewise show the
 * largest value in force in each column, looking at no more than a few samples per
 * column.
 *
 * Nothing here touches SDL's video: the same code renders the window, screenshots and the
 * tests' in-memory frames.
 */
#ifndef ORINSIM_VIZ_DRAW_H
#define ORINSIM_VIZ_DRAW_H

#include <stddef.h>

#include "sim/diag.h"
#include "soc/run/timeline.h"
#include "viz/canvas.h"
#include "viz/font.h"
#include "viz/index.h"

/* Thin vertical lines drawn across idle lanes: time-axis ticks, frame arrivals, missed
 * deadlines. */
enum { DRAW_GRID = 0x353A45, DRAW_FRAME_LINE = 0x3E4452, DRAW_MISS = 0xE0474C };

typedef enum draw_row_kind { ROW_GROUP, ROW_LANE, ROW_SUMMARY, ROW_COUNTER } draw_row_kind_t;

typedef struct draw_row {
    draw_row_kind_t kind;
    int id;                   /* group, lane or counter */
    int y, h;                 /* on the canvas, after scrolling; h = 0 when scrolled away */
} draw_row_t;

typedef struct draw_agg {     /* one lane's share of the selected range */
    double busy_ps, bytes, flops;
    size_t slices;
} draw_agg_t;

typedef struct draw {
    const timeline_t *tl;
    viz_index_t ix;
    const font_t *font;
    double t0, t1;            /* visible range, ps */
    int scroll;               /* pixels the lane rows are scrolled up */
    int collapsed[TL_GROUP_COUNT];
    long sel;                 /* selected slice (index into tl->slices) or -1 */
    int ranged;               /* a range is selected: [r0, r1] ps */
    double r0, r1;
    char search[64];
    unsigned char *match;     /* per interned name: matches the search */
    size_t nmatches;
    int help;                 /* show the key list */
    char title[1024];
    char status[512];
    /* layout of the last frame drawn */
    int x0, y0, w, h;         /* the part of the canvas it was drawn in */
    int label_w;              /* lane-name column */
    int lanes_y, lanes_h;     /* the scrolled area */
    int frames_y, axis_y;
    draw_row_t *rows;
    int nrows;
    /* range aggregates, recomputed when the range changes */
    draw_agg_t *agg;
    double agg_r0, agg_r1;
} draw_t;

/* Prepare to draw `tl` (which must outlive the draw_t) with `font`; zooms to fit. */
int draw_init(draw_t *v, const timeline_t *tl, const font_t *font, diag_t *d);
/* Show another timeline (a re-simulation), keeping the view state that still applies. */
int draw_retarget(draw_t *v, const timeline_t *tl, diag_t *d);
void draw_free(draw_t *v);

/* Render into the rectangle (x, y, w, h) of `c`. */
void draw_render(draw_t *v, canvas_t *c, int x, int y, int w, int h);

void draw_fit(draw_t *v);
/* Zoom by `factor` (< 1 zooms in) keeping the time under canvas column `at_x` in place. */
void draw_zoom(draw_t *v, double factor, int at_x);
/* Move the view by `dx` pixels (positive: later times come into view). */
void draw_pan(draw_t *v, double dx);
void draw_scroll(draw_t *v, int dy);
void draw_set_search(draw_t *v, const char *text);
/* Select the next (dir > 0) or previous slice matching the search, after the current
 * selection, and bring it into view. Returns 0, or -1 when nothing matches. */
int draw_next_match(draw_t *v, int dir);
void draw_select_range(draw_t *v, double t0, double t1);
void draw_toggle_group(draw_t *v, tl_group_t g);

/* Canvas column of time t (ps), and time of column x, in the last layout. */
double draw_x_of(const draw_t *v, double t);
double draw_t_of(const draw_t *v, double x);
/* The row at canvas row y, or NULL. */
const draw_row_t *draw_row_at(const draw_t *v, int y);
/* The row of lane `lane` in the last layout, or NULL (collapsed, or scrolled away). */
const draw_row_t *draw_lane_row(const draw_t *v, int lane);
/* Each lane's busy time, bytes, flops and slices inside the selected range (an array of
 * tl->nlanes; a slice's bytes and flops count in proportion to its part in the range). */
const draw_agg_t *draw_aggregates(draw_t *v);
/* Energy of counter `c` over the selected range in joules, if its unit is W or mW (the
 * value holds until the next sample); -1 for other counters. */
double draw_energy(const draw_t *v, int c);
/* The slice under (x, y), within 3 pixels, or -1. */
long draw_pick(const draw_t *v, int x, int y);

#endif
