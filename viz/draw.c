/*
 * draw: layout and rendering of a timeline (see draw.h for what is drawn and the level of
 * detail). Times are kept as doubles of picoseconds in the view (a double holds integer
 * picoseconds exactly up to 104 days); the timeline itself stays in integer picoseconds.
 *
 * Colours: a dark theme; a slice's colour comes from a hash of its name, so an op keeps
 * its colour across lanes, zoom levels, runs and modules.
 */
#include "viz/draw.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    BG = 0x1B1D23, ROW_A = 0x23262D, ROW_B = 0x1F2228, HEAD_BG = 0x2E3440, TEXT = 0xD8DEE9,
    DIM_TEXT = 0x8A93A6, GRID = DRAW_GRID, AGGREGATE = 0x8C9BB8, DIMMED = 0x3A3F4B,
    SELECT = 0xFFFFFF, RANGE = 0x5E81AC, MISS = DRAW_MISS, FRAME_OK = 0x4C8C6A,
    FRAME_LINE = DRAW_FRAME_LINE, PANEL = 0x2B303B, COUNTER = 0xD08770, AXIS_BG = 0x262A33
};

static const uint32_t PALETTE[] = {0x5E81AC, 0x88C0D0, 0xA3BE8C, 0xEBCB8B, 0xD08770,
                                   0xB48EAD, 0x8FBCBB, 0x81A1C1, 0xC9A66B, 0x9BB86F,
                                   0xC98AA0, 0x6FA8DC};
static const uint32_t COUNTER_COLOURS[] = {0xD08770, 0x88C0D0, 0xA3BE8C, 0xEBCB8B, 0xB48EAD};

#define NPAL (sizeof PALETTE / sizeof *PALETTE)
#define LINE 160

static int line_h(const draw_t *v)
{
    return v->font->h + 4;
}

static int lane_h(const draw_t *v)
{
    return v->font->h + 6;
}

static int counter_h(const draw_t *v)
{
    return 2 * v->font->h + 12;
}

static uint32_t name_colour(const timeline_t *tl, int name)
{
    uint32_t h = 2166136261u;
    for (const char *s = timeline_name(tl, name); *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return PALETTE[h % NPAL];
}

/* ---- time formatting ---- */

static void fmt_time(char *buf, size_t n, double ps, double step)
{
    static const char *const UNIT[] = {"ps", "ns", "us", "ms", "s"};
    double a = fabs(ps) > fabs(step) ? fabs(ps) : fabs(step), scale = 1;
    int u = 0, dec;
    while (u < 4 && a >= 1000 * scale) {
        scale *= 1000;
        u++;
    }
    dec = step > 0 ? (int)ceil(-log10(step / scale) - 1e-9) : 3;
    dec = dec < 0 ? 0 : dec > 6 ? 6 : dec;
    snprintf(buf, n, "%.*f %s", dec, ps / scale, UNIT[u]);
}

static void fmt_si(char *buf, size_t n, double v, const char *unit)
{
    static const char *const P[] = {"", "k", "M", "G", "T", "P"};
    int i = 0;
    while (i < 5 && fabs(v) >= 1000) {
        v /= 1000;
        i++;
    }
    snprintf(buf, n, "%.3g %s%s", v, P[i], unit);
}

/* ---- state ---- */

static int setup(draw_t *v, const timeline_t *tl, diag_t *d)
{
    v->tl = tl;
    if (viz_index_build(&v->ix, tl, d) != 0)
        return DIAG_ERR;
    v->rows = calloc((size_t)(tl->nlanes + tl->ncounters + TL_GROUP_COUNT) + 1, sizeof *v->rows);
    v->agg = calloc((size_t)tl->nlanes + 1, sizeof *v->agg);
    v->match = calloc((size_t)tl->nnames + 1, 1);
    if (v->rows == NULL || v->agg == NULL || v->match == NULL) {
        draw_free(v);
        return diag_error(d, "", 0, 0, "out of memory preparing the timeline view");
    }
    v->agg_r0 = v->agg_r1 = -1;
    draw_set_search(v, v->search);
    return 0;
}

int draw_init(draw_t *v, const timeline_t *tl, const font_t *font, diag_t *d)
{
    memset(v, 0, sizeof *v);
    v->font = font;
    v->sel = -1;
    if (setup(v, tl, d) != 0)
        return DIAG_ERR;
    draw_fit(v);
    return 0;
}

int draw_retarget(draw_t *v, const timeline_t *tl, diag_t *d)
{
    draw_free(v);
    v->nrows = 0;
    v->sel = -1;
    return setup(v, tl, d);
}

void draw_free(draw_t *v)
{
    viz_index_free(&v->ix);
    free(v->rows);
    free(v->agg);
    free(v->match);
    v->rows = NULL;
    v->agg = NULL;
    v->match = NULL;
}

static double span_max(const draw_t *v)
{
    return v->tl->end > 0 ? 2.0 * (double)v->tl->end : 1e9;
}

void draw_fit(draw_t *v)
{
    double end = v->tl->end > 0 ? (double)v->tl->end : 1e9;
    v->t0 = 0;
    v->t1 = end * 1.02;
}

static double plot_w(const draw_t *v)
{
    double w = v->w - v->label_w;
    return w > 1 ? w : 1;
}

double draw_x_of(const draw_t *v, double t)
{
    return v->x0 + v->label_w + (t - v->t0) / (v->t1 - v->t0) * plot_w(v);
}

double draw_t_of(const draw_t *v, double x)
{
    return v->t0 + (x - v->x0 - v->label_w) / plot_w(v) * (v->t1 - v->t0);
}

void draw_zoom(draw_t *v, double factor, int at_x)
{
    double at = draw_t_of(v, at_x), span = (v->t1 - v->t0) * factor;
    if (at_x < v->x0 + v->label_w || at_x >= v->x0 + v->w)
        at = (v->t0 + v->t1) / 2;
    if (span < 100)                 /* 100 ps across the screen is as deep as it goes */
        span = 100;
    if (span > span_max(v))
        span = span_max(v);
    v->t0 = at - (at - v->t0) / (v->t1 - v->t0) * span;
    v->t1 = v->t0 + span;
}

void draw_pan(draw_t *v, double dx)
{
    double dt = dx / plot_w(v) * (v->t1 - v->t0);
    v->t0 += dt;
    v->t1 += dt;
}

void draw_scroll(draw_t *v, int dy)
{
    v->scroll += dy;
    if (v->scroll < 0)
        v->scroll = 0;
}

static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return 0;
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

void draw_set_search(draw_t *v, const char *text)
{
    if (text != v->search)
        snprintf(v->search, sizeof v->search, "%s", text);
    v->nmatches = 0;
    for (int i = 0; i < v->tl->nnames; i++)
        v->match[i] = (unsigned char)contains_ci(timeline_name(v->tl, i), v->search);
    if (v->search[0])
        for (size_t i = 0; i < v->tl->nslices; i++)
            v->nmatches += v->match[v->tl->slices[i].name];
}

int draw_next_match(draw_t *v, int dir)
{
    const timeline_t *tl = v->tl;
    long best = -1;
    sim_time_t from = v->sel >= 0 ? tl->slices[v->sel].start : (sim_time_t)(v->t0 > 0 ? v->t0 : 0);
    if (!v->search[0] || v->nmatches == 0)
        return -1;
    /* The nearest matching start after (or before) the current one; ties by index. */
    for (size_t i = 0; i < tl->nslices; i++) {
        const tl_slice_t *s = &tl->slices[i];
        int after;
        if (!v->match[s->name] || (long)i == v->sel)
            continue;
        after = dir > 0 ? (s->start > from || (s->start == from && (long)i > v->sel))
                        : (s->start < from || (s->start == from && (long)i < v->sel));
        if (!after)
            continue;
        if (best < 0 || (dir > 0 ? s->start < tl->slices[best].start
                                 : s->start > tl->slices[best].start))
            best = (long)i;
    }
    if (best < 0)
        return -1;
    v->sel = best;
    if ((double)tl->slices[best].end < v->t0 || (double)tl->slices[best].start > v->t1) {
        double span = v->t1 - v->t0, mid = ((double)tl->slices[best].start +
                                            (double)tl->slices[best].end) / 2;
        v->t0 = mid - span / 2;
        v->t1 = mid + span / 2;
    }
    return 0;
}

void draw_select_range(draw_t *v, double t0, double t1)
{
    v->ranged = t1 > t0;
    v->r0 = t0 < t1 ? t0 : t1;
    v->r1 = t0 < t1 ? t1 : t0;
    if (v->r0 < 0)
        v->r0 = 0;
    v->ranged = v->r1 > v->r0;
}

void draw_toggle_group(draw_t *v, tl_group_t g)
{
    if (g >= 0 && g < TL_GROUP_COUNT)
        v->collapsed[g] = !v->collapsed[g];
}

/* ---- layout ---- */

static void layout(draw_t *v, int x, int y, int w, int h)
{
    const timeline_t *tl = v->tl;
    int lh = line_h(v), yy, bottom, total = 0;
    v->x0 = x;
    v->y0 = y;
    v->w = w;
    v->h = h;
    v->label_w = 18 * v->font->w;
    v->axis_y = y + 2 * lh;
    v->frames_y = v->axis_y + lh;
    v->lanes_y = v->frames_y + 2 * (v->font->h + 2);
    bottom = y + h - lh - tl->ncounters * counter_h(v);
    v->lanes_h = bottom - v->lanes_y;
    v->nrows = 0;
    /* lanes, by group, then lane order */
    for (int g = 0; g < TL_GROUP_COUNT; g++) {
        int any = 0;
        for (int l = 0; l < tl->nlanes; l++)
            any |= (int)tl->lanes[l].group == g;
        if (!any)
            continue;
        v->rows[v->nrows++] = (draw_row_t){ROW_GROUP, g, 0, lh};
        if (v->collapsed[g]) {
            v->rows[v->nrows++] = (draw_row_t){ROW_SUMMARY, g, 0, lane_h(v)};
            continue;
        }
        for (int l = 0; l < tl->nlanes; l++)
            if ((int)tl->lanes[l].group == g)
                v->rows[v->nrows++] = (draw_row_t){ROW_LANE, l, 0, lane_h(v)};
    }
    for (int r = 0; r < v->nrows; r++)
        total += v->rows[r].h;
    if (v->scroll > total - v->lanes_h)
        v->scroll = total - v->lanes_h > 0 ? total - v->lanes_h : 0;
    yy = v->lanes_y - v->scroll;
    for (int r = 0; r < v->nrows; r++) {
        int rh = v->rows[r].h;
        v->rows[r].y = yy;
        /* rows outside the scrolled area are not drawn and not hit */
        if (yy + rh <= v->lanes_y || yy >= bottom)
            v->rows[r].h = 0;
        yy += rh;
    }
    /* counters follow the lanes, or are pinned at the bottom when the lanes scroll */
    if (total < v->lanes_h) {
        bottom = v->lanes_y + total;
        v->lanes_h = total;
    }
    for (int c = 0; c < tl->ncounters; c++)
        v->rows[v->nrows++] = (draw_row_t){ROW_COUNTER, c, bottom + c * counter_h(v),
                                           counter_h(v)};
}

const draw_row_t *draw_row_at(const draw_t *v, int y)
{
    for (int r = 0; r < v->nrows; r++)
        if (v->rows[r].h > 0 && y >= v->rows[r].y && y < v->rows[r].y + v->rows[r].h)
            return &v->rows[r];
    return NULL;
}

const draw_row_t *draw_lane_row(const draw_t *v, int lane)
{
    for (int r = 0; r < v->nrows; r++)
        if (v->rows[r].kind == ROW_LANE && v->rows[r].id == lane && v->rows[r].h > 0)
            return &v->rows[r];
    return NULL;
}

/* ---- lanes ---- */

static int visible_slice_colour(const draw_t *v, const tl_slice_t *s, uint32_t *col)
{
    *col = name_colour(v->tl, s->name);
    if (v->search[0] && !v->match[s->name])
        *col = DIMMED;
    return 1;
}

/* Draw lane `l` into the row at y..y+h (both for a lane row and, overlaid, for a group's
 * summary row). */
static void draw_lane_slices(draw_t *v, canvas_t *c, int l, int y, int h, int labels)
{
    const timeline_t *tl = v->tl;
    const viz_lane_index_t *li = &v->ix.lanes[l];
    double px_ps = (v->t1 - v->t0) / plot_w(v);
    double left = v->x0 + v->label_w, right = v->x0 + v->w;
    size_t k = viz_lane_first_ending_after(&v->ix, l, v->t0 > 0 ? (sim_time_t)v->t0 : 0);
    while (k < li->n) {
        const tl_slice_t *s = viz_lane_slice(&v->ix, l, k);
        double xs = draw_x_of(v, (double)s->start), xe = draw_x_of(v, (double)s->end);
        uint32_t col;
        if (xs >= right)
            break;
        if (xe - xs < 1.0) {
            /* Tiny: paint the column(s) it touches busy, then jump past every slice that
             * ends inside them. */
            int c0 = (int)floor(xs < left ? left : xs), c1 = (int)ceil(xe) - 1;
            double t_next;
            size_t nk;
            if (c1 < c0)
                c1 = c0;
            t_next = draw_t_of(v, c1 + 1);
            nk = viz_lane_skip(&v->ix, l, k, t_next > 0 ? (sim_time_t)t_next : 0);
            if (nk <= k + 1) {
                visible_slice_colour(v, s, &col);
                nk = k + 1;
            } else {
                col = v->search[0] ? DIMMED : AGGREGATE;
            }
            canvas_fill(c, c0, y + 1, c1 - c0 + 1, h - 2, col);
            k = nk;
            continue;
        }
        visible_slice_colour(v, s, &col);
        {
            int x0 = (int)floor(xs < left - 1 ? left - 1 : xs);
            int x1 = (int)ceil(xe > right + 1 ? right + 1 : xe);
            canvas_fill(c, x0, y + 1, x1 - x0, h - 2, col);
            if (x1 - x0 >= 3)
                canvas_fill(c, x1 - 1, y + 1, 1, h - 2, (col >> 1) & 0x7F7F7F);
            if (labels && x1 - x0 > 3 * v->font->w) {
                int lx = x0 < (int)left ? (int)left : x0;
                font_draw(c, v->font, lx + 2, y + (h - v->font->h) / 2,
                          timeline_name(tl, s->name), 0x15171C, x1 - lx - 4);
            }
        }
        (void)px_ps;
        k++;
    }
}

static void draw_selected(draw_t *v, canvas_t *c)
{
    const tl_slice_t *s;
    const draw_row_t *row = NULL;
    int x0, x1;
    if (v->sel < 0 || (size_t)v->sel >= v->tl->nslices)
        return;
    s = &v->tl->slices[v->sel];
    row = draw_lane_row(v, s->lane);
    if (row == NULL) {
        for (int r = 0; r < v->nrows; r++)
            if (v->rows[r].kind == ROW_SUMMARY && v->rows[r].h > 0 &&
                v->rows[r].id == (int)v->tl->lanes[s->lane].group)
                row = &v->rows[r];
    }
    if (row == NULL)
        return;
    x0 = (int)floor(draw_x_of(v, (double)s->start));
    x1 = (int)ceil(draw_x_of(v, (double)s->end));
    if (x1 - x0 < 3) {
        x0 -= 1;
        x1 = x0 + 3;
    }
    canvas_frame(c, x0, row->y, x1 - x0, row->h, SELECT);
}

/* ---- counters ---- */

static void draw_counter(draw_t *v, canvas_t *c, const draw_row_t *row)
{
    const timeline_t *tl = v->tl;
    const viz_counter_index_t *ci = &v->ix.counters[row->id];
    uint32_t col = COUNTER_COLOURS[row->id % (int)(sizeof COUNTER_COLOURS / sizeof *COUNTER_COLOURS)];
    int left = v->x0 + v->label_w, right = v->x0 + v->w;
    int top = row->y + v->font->h + 4, bot = row->y + row->h - 2;
    double vmax = ci->max > 0 ? ci->max : 1;
    char buf[96], num[48];
    canvas_fill(c, v->x0, row->y, v->w, row->h, row->id % 2 ? ROW_B : ROW_A);
    canvas_fill(c, v->x0, row->y, v->w, 1, GRID);
    for (int x = left; x < right && ci->n; x++) {
        double ta = draw_t_of(v, x), tb = draw_t_of(v, x + 1), best;
        size_t k;
        int n;
        if (tb < 0)
            continue;
        k = viz_counter_at(&v->ix, row->id, ta > 0 ? (sim_time_t)ta : 0);
        if (k == (size_t)-1) {
            if (viz_counter_sample(&v->ix, row->id, 0)->t >= (sim_time_t)tb)
                continue;
            k = 0;
        }
        if ((double)viz_counter_sample(&v->ix, row->id, k)->t > (double)tl->end)
            break;
        best = viz_counter_sample(&v->ix, row->id, k)->value;
        /* samples that start inside the column: look at a few, then jump */
        for (n = 0, k++; k < ci->n && (double)viz_counter_sample(&v->ix, row->id, k)->t < tb &&
                         n < 16;
             k++, n++)
            if (viz_counter_sample(&v->ix, row->id, k)->value > best)
                best = viz_counter_sample(&v->ix, row->id, k)->value;
        if (ta > (double)tl->end)
            break;
        {
            int hgt = (int)lround((best / vmax) * (bot - top));
            if (hgt > 0)
                canvas_fill(c, x, bot - hgt, 1, hgt, col);
        }
    }
    snprintf(buf, sizeof buf, "%s", timeline_name(tl, tl->counters[row->id].name));
    font_draw(c, v->font, v->x0 + 4, row->y + 2, buf, TEXT, v->label_w - 8);
    fmt_si(num, sizeof num, ci->max, timeline_name(tl, tl->counters[row->id].unit));
    snprintf(buf, sizeof buf, "max %s", num);
    font_draw(c, v->font, v->x0 + 4, row->y + 2 + v->font->h, buf, DIM_TEXT, v->label_w - 8);
}

/* ---- axis, frames ---- */

static double tick_step(const draw_t *v)
{
    double want = (v->t1 - v->t0) / plot_w(v) * 14 * v->font->w, step = 1;
    while (step * 10 <= want)
        step *= 10;
    if (step * 2 >= want)
        return step * 2;
    if (step * 5 >= want)
        return step * 5;
    return step * 10;
}

static void draw_axis(draw_t *v, canvas_t *c)
{
    double step = tick_step(v), t;
    int lh = line_h(v), bottom = v->lanes_y + v->lanes_h;
    char buf[48];
    canvas_fill(c, v->x0, v->axis_y, v->w, lh, AXIS_BG);
    font_draw(c, v->font, v->x0 + 4, v->axis_y + 2, "time", DIM_TEXT, v->label_w);
    for (t = floor(v->t0 / step) * step; t <= v->t1; t += step) {
        int x = (int)lround(draw_x_of(v, t));
        if (x < v->x0 + v->label_w)
            continue;
        canvas_fill(c, x, v->axis_y + lh - 5, 1, 5, TEXT);
        canvas_fill(c, x, v->lanes_y, 1, bottom - v->lanes_y, GRID);
        fmt_time(buf, sizeof buf, t, step);
        font_draw(c, v->font, x + 3, v->axis_y + 2, buf, TEXT, v->x0 + v->w - x - 3);
    }
}

/* Frames, by arrival. When frames are denser than pixels, each pixel column shows one
 * bar, red if any frame arriving in it missed its deadline (a prefix count of misses
 * answers that without visiting the frames), and the walk jumps to the next column. */
static void draw_frames(draw_t *v, canvas_t *c)
{
    const timeline_t *tl = v->tl;
    const viz_index_t *ix = &v->ix;
    int half = v->font->h + 2, bottom = v->lanes_y + v->lanes_h;
    int left = v->x0 + v->label_w, right = v->x0 + v->w;
    /* the longest frame bounds how far before t0 a visible frame may arrive */
    double back = 0;
    size_t k;
    char buf[48];
    canvas_fill(c, v->x0, v->frames_y, v->w, 2 * half, ROW_B);
    font_draw(c, v->font, v->x0 + 4, v->frames_y + 2, "frames", DIM_TEXT, v->label_w);
    canvas_clip(c, left, v->y0, v->w - v->label_w, v->h);
    for (size_t i = 0; i < tl->nframes && i < 64; i++)
        if ((double)(tl->frames[i].done - tl->frames[i].arrival) > back)
            back = (double)(tl->frames[i].done - tl->frames[i].arrival);
    k = viz_frame_first_arriving_at(ix, v->t0 - 4 * back > 0 ? (sim_time_t)(v->t0 - 4 * back) : 0);
    while (k < tl->nframes) {
        const tl_frame_t *f = &tl->frames[ix->frames[k]];
        double xa = draw_x_of(v, (double)f->arrival), xd = draw_x_of(v, (double)f->done);
        int missed = viz_frame_missed(f);
        int y = v->frames_y + (int)(f->frame & 1) * half;
        if (xa >= right)
            break;
        if (xd - xa < 1) {
            /* tiny frames: one column, then jump past it */
            int col = (int)floor(xa);
            double t_next = draw_t_of(v, col + 1);
            size_t nk = viz_frame_first_arriving_at(ix, t_next > 0 ? (sim_time_t)ceil(t_next) : 0);
            if (nk <= k)
                nk = k + 1;
            missed = ix->missed_before[nk] > ix->missed_before[k];
            canvas_fill(c, col, v->frames_y + 1, 1, 2 * half - 2, missed ? MISS : FRAME_OK);
            k = nk;
            continue;
        }
        if (xd >= left) {
            double x0 = xa < left - 1 ? left - 1 : xa, x1 = xd > right + 1 ? right + 1 : xd;
            canvas_fill(c, (int)x0, y + 1, (int)ceil(x1 - x0), half - 1, missed ? MISS : FRAME_OK);
            if (xa >= left - 1)
                canvas_fill(c, (int)lround(xa), v->lanes_y, 1, bottom - v->lanes_y, FRAME_LINE);
            if (missed) {
                double xl = draw_x_of(v, (double)f->deadline);
                if (xl >= left - 1 && xl <= right)
                    canvas_fill(c, (int)lround(xl), v->frames_y, 1, bottom - v->frames_y, MISS);
            }
            if (x1 - x0 > 4 * v->font->w) {
                snprintf(buf, sizeof buf, "%lld", (long long)f->frame);
                font_draw(c, v->font, (int)x0 + 2, y + 1, buf, 0x101216, (int)(x1 - x0) - 4);
            }
        }
        k++;
    }
    canvas_unclip(c);
}

/* Missed deadlines as red lines over the lanes, when frames are wider than a pixel. */
static void draw_misses(draw_t *v, canvas_t *c)
{
    const timeline_t *tl = v->tl;
    size_t k = viz_frame_first_arriving_at(&v->ix, v->t0 > 0 ? (sim_time_t)v->t0 : 0), n = 0;
    if (k > 0)
        k--;
    for (; k < tl->nframes && n < 4096; k++, n++) {
        const tl_frame_t *f = &tl->frames[v->ix.frames[k]];
        if ((double)f->arrival > v->t1)
            break;
        if (viz_frame_missed(f))
            canvas_fill(c, (int)lround(draw_x_of(v, (double)f->deadline)), v->lanes_y, 1,
                        v->lanes_h, MISS);
    }
}

/* ---- panels ---- */

static void panel(draw_t *v, canvas_t *c, char lines[][LINE], int n, int right_align)
{
    int w = 0, lh = v->font->h, pw, ph, x, y;
    for (int i = 0; i < n; i++) {
        int lw = (int)strlen(lines[i]) * v->font->w;
        w = lw > w ? lw : w;
    }
    pw = w + 16;
    ph = n * lh + 12;
    x = right_align ? v->x0 + v->w - pw - 8 : v->x0 + v->label_w + 8;
    /* below the counters when there is room there, else over the bottom of the lanes */
    y = v->lanes_y + v->lanes_h + v->tl->ncounters * counter_h(v) + 6;
    if (y + ph > v->y0 + v->h - line_h(v)) {
        y = v->lanes_y + v->lanes_h - ph - 6;
        if (y < v->lanes_y)
            y = v->lanes_y;
    }
    canvas_blend(c, x, y, pw, ph, PANEL, 235);
    canvas_frame(c, x, y, pw, ph, GRID);
    for (int i = 0; i < n; i++)
        font_draw(c, v->font, x + 8, y + 6 + i * lh, lines[i], i == 0 ? 0xFFFFFF : TEXT, pw - 12);
}

static void details_panel(draw_t *v, canvas_t *c)
{
    const timeline_t *tl = v->tl;
    const tl_slice_t *s;
    char l[10][LINE], a[48], b[48];
    double dur_s;
    int n = 0;
    if (v->sel < 0 || (size_t)v->sel >= tl->nslices)
        return;
    s = &tl->slices[v->sel];
    dur_s = (double)(s->end - s->start) * 1e-12;
    snprintf(l[n++], LINE, "%s", timeline_name(tl, s->name));
    snprintf(l[n++], LINE, "engine    %s (%s)", timeline_name(tl, tl->lanes[s->lane].name),
             timeline_group_name(tl->lanes[s->lane].group));
    if (s->frame >= 0)
        snprintf(l[n++], LINE, "frame     %lld", (long long)s->frame);
    fmt_time(a, sizeof a, (double)s->start, 1e3);
    snprintf(l[n++], LINE, "start     %s", a);
    fmt_time(a, sizeof a, (double)(s->end - s->start), 1e3);
    snprintf(l[n++], LINE, "duration  %s", a);
    fmt_si(a, sizeof a, s->bytes, "B");
    snprintf(l[n++], LINE, "bytes     %s", a);
    fmt_si(a, sizeof a, s->flops, "FLOP");
    snprintf(l[n++], LINE, "flops     %s", a);
    fmt_si(a, sizeof a, dur_s > 0 ? s->bytes / dur_s : 0, "B/s");
    fmt_si(b, sizeof b, dur_s > 0 ? s->flops / dur_s : 0, "FLOP/s");
    snprintf(l[n++], LINE, "achieved  %s, %s", a, b);
    panel(v, c, l, n, 1);
}

const draw_agg_t *draw_aggregates(draw_t *v)
{
    const timeline_t *tl = v->tl;
    if (v->agg_r0 == v->r0 && v->agg_r1 == v->r1)
        return v->agg;
    v->agg_r0 = v->r0;
    v->agg_r1 = v->r1;
    for (int l = 0; l < tl->nlanes; l++) {
        draw_agg_t *g = &v->agg[l];
        size_t k = viz_lane_first_ending_after(&v->ix, l, (sim_time_t)v->r0);
        memset(g, 0, sizeof *g);
        for (; k < v->ix.lanes[l].n; k++) {
            const tl_slice_t *s = viz_lane_slice(&v->ix, l, k);
            double a = (double)s->start, b = (double)s->end, frac;
            if (a >= v->r1)
                break;
            a = a < v->r0 ? v->r0 : a;
            b = b > v->r1 ? v->r1 : b;
            if (b <= a)
                continue;
            /* bytes and flops are spread evenly over the slice */
            frac = s->end > s->start ? (b - a) / (double)(s->end - s->start) : 1;
            g->busy_ps += b - a;
            g->bytes += s->bytes * frac;
            g->flops += s->flops * frac;
            g->slices++;
        }
    }
    return v->agg;
}

double draw_energy(const draw_t *v, int c)
{
    const char *unit = timeline_name(v->tl, v->tl->counters[c].unit);
    double scale = strcmp(unit, "W") == 0 ? 1 : strcmp(unit, "mW") == 0 ? 1e-3 : 0, e = 0;
    size_t k;
    if (scale == 0)
        return -1;
    k = viz_counter_at(&v->ix, c, (sim_time_t)v->r0);
    if (k == (size_t)-1)
        k = 0;
    for (; k < v->ix.counters[c].n; k++) {
        const tl_sample_t *s = viz_counter_sample(&v->ix, c, k);
        double a = (double)s->t, b = k + 1 < v->ix.counters[c].n
                                         ? (double)viz_counter_sample(&v->ix, c, k + 1)->t
                                         : (double)v->tl->end;
        if (a >= v->r1)
            break;
        a = a < v->r0 ? v->r0 : a;
        b = b > v->r1 ? v->r1 : b;
        if (b > a)
            e += s->value * scale * (b - a) * 1e-12;
    }
    return e;
}

static void range_panel(draw_t *v, canvas_t *c)
{
    const timeline_t *tl = v->tl;
    char l[24][LINE], a[48], b[48], e[48];
    int n = 0;
    double span = v->r1 - v->r0;
    if (!v->ranged)
        return;
    draw_aggregates(v);
    fmt_time(a, sizeof a, v->r0, span / 100);
    fmt_time(b, sizeof b, span, span / 100);
    snprintf(l[n++], LINE, "range %s + %s", a, b);
    snprintf(l[n++], LINE, "%-18s %6s %10s %7s", "lane", "busy", "bytes", "slices");
    for (int g = 0; g < TL_GROUP_COUNT; g++)
        for (int ln = 0; ln < tl->nlanes && n < 20; ln++) {
            const draw_agg_t *ag = &v->agg[ln];
            if ((int)tl->lanes[ln].group != g || ag->slices == 0)
                continue;
            fmt_si(a, sizeof a, ag->bytes, "B");
            snprintf(l[n++], LINE, "%-18.18s %5.1f%% %10s %7zu", timeline_name(tl, tl->lanes[ln].name),
                     100 * ag->busy_ps / span, a, ag->slices);
        }
    for (int k = 0; k < tl->ncounters && n < 23; k++) {
        double en = draw_energy(v, k);
        if (en < 0)
            continue;
        fmt_si(e, sizeof e, en, "J");
        snprintf(l[n++], LINE, "energy %-11.11s %s", timeline_name(tl, tl->counters[k].name), e);
    }
    panel(v, c, l, n, 0);
}

static void help_panel(draw_t *v, canvas_t *c)
{
    static const char *const K[] = {
        "keys and mouse",
        "wheel, W / S      zoom in / out (at the mouse)",
        "A / D, right-drag pan",
        "F                 zoom to fit",
        "left-click        slice details",
        "left-drag         select a range: busy %, bytes, energy",
        "/  then text      search slices by name; N / Shift+N next / previous",
        "1-5, click header collapse GPU SM DLA PVA CPU",
        "Up/Down, PgUp/Dn  scroll lanes",
        "P / Shift+P       next / previous power mode (re-simulates)",
        "M / Shift+M       next / previous module (re-simulates)",
        "Esc               clear selection and search",
        "F12               screenshot      ? help      Q quit",
    };
    char l[16][LINE];
    int n = (int)(sizeof K / sizeof *K);
    for (int i = 0; i < n; i++)
        snprintf(l[i], LINE, "%s", K[i]);
    panel(v, c, l, n, 1);
}

/* ---- frame ---- */

void draw_render(draw_t *v, canvas_t *c, int x, int y, int w, int h)
{
    const timeline_t *tl = v->tl;
    int lh = line_h(v), bottom;
    char buf[1200];
    layout(v, x, y, w, h);
    bottom = v->lanes_y + v->lanes_h;
    canvas_clip(c, x, y, w, h);
    canvas_fill(c, x, y, w, h, BG);
    /* header */
    canvas_fill(c, x, y, w, 2 * lh, HEAD_BG);
    font_draw(c, v->font, x + 6, y + 2, v->title, 0xFFFFFF, w - 12);
    snprintf(buf, sizeof buf, "%zu slices, %d lanes, %d counters, %zu frames   |   ? help",
             tl->nslices, tl->nlanes, tl->ncounters, tl->nframes);
    font_draw(c, v->font, x + 6, y + 2 + lh, buf, DIM_TEXT, w - 12);
    /* lane rows: backgrounds and labels first, then slices clipped to the plot */
    canvas_clip(c, x, v->lanes_y, w, v->lanes_h);
    for (int r = 0; r < v->nrows; r++) {
        const draw_row_t *row = &v->rows[r];
        if (row->h == 0 || row->kind == ROW_COUNTER)
            continue;
        if (row->kind == ROW_GROUP) {
            int nl = 0;
            for (int l = 0; l < tl->nlanes; l++)
                nl += (int)tl->lanes[l].group == row->id;
            canvas_fill(c, x, row->y, w, row->h, HEAD_BG);
            snprintf(buf, sizeof buf, "%s %s (%d)", v->collapsed[row->id] ? "+" : "-",
                     timeline_group_name((tl_group_t)row->id), nl);
            font_draw(c, v->font, x + 4, row->y + 2, buf, 0xFFFFFF, v->label_w);
            continue;
        }
        canvas_fill(c, x, row->y, w, row->h, r % 2 ? ROW_A : ROW_B);
        font_draw(c, v->font, x + 12, row->y + (row->h - v->font->h) / 2,
                  row->kind == ROW_LANE ? timeline_name(tl, tl->lanes[row->id].name) : "(all lanes)",
                  TEXT, v->label_w - 14);
    }
    canvas_unclip(c);
    draw_axis(v, c);
    draw_frames(v, c);
    canvas_clip(c, x + v->label_w, v->lanes_y, w - v->label_w, v->lanes_h);
    canvas_clip(c, c->cx0, c->cy0, c->cx1 - c->cx0, bottom - c->cy0);
    for (int r = 0; r < v->nrows; r++) {
        const draw_row_t *row = &v->rows[r];
        if (row->h == 0)
            continue;
        if (row->kind == ROW_LANE)
            draw_lane_slices(v, c, row->id, row->y, row->h, 1);
        else if (row->kind == ROW_SUMMARY)
            for (int l = 0; l < tl->nlanes; l++)
                if ((int)tl->lanes[l].group == row->id)
                    draw_lane_slices(v, c, l, row->y, row->h, 0);
    }
    draw_misses(v, c);
    draw_selected(v, c);
    if (v->ranged) {
        double a = draw_x_of(v, v->r0), b = draw_x_of(v, v->r1);
        canvas_blend(c, (int)a, v->lanes_y, (int)ceil(b - a) > 1 ? (int)ceil(b - a) : 1,
                     v->lanes_h, RANGE, 60);
        canvas_fill(c, (int)a, v->lanes_y, 1, v->lanes_h, RANGE);
        canvas_fill(c, (int)b, v->lanes_y, 1, v->lanes_h, RANGE);
    }
    canvas_unclip(c);
    canvas_clip(c, x, y, w, h);
    /* counters */
    for (int r = 0; r < v->nrows; r++)
        if (v->rows[r].kind == ROW_COUNTER) {
            canvas_clip(c, x, v->rows[r].y, w, v->rows[r].h);
            draw_counter(v, c, &v->rows[r]);
            canvas_clip(c, x, y, w, h);
        }
    canvas_fill(c, x + v->label_w - 1, v->axis_y, 1, y + h - lh - v->axis_y, GRID);
    /* panels */
    canvas_clip(c, x, v->lanes_y, w, y + h - line_h(v) - v->lanes_y);
    if (v->help)
        help_panel(v, c);
    else
        details_panel(v, c);
    range_panel(v, c);
    canvas_clip(c, x, y, w, h);
    /* status line */
    canvas_fill(c, x, y + h - lh, w, lh, HEAD_BG);
    if (v->search[0])
        snprintf(buf, sizeof buf, "search: %s  (%zu matching slices)  %s", v->search,
                 v->nmatches, v->status);
    else
        snprintf(buf, sizeof buf, "%s", v->status);
    font_draw(c, v->font, x + 6, y + h - lh + 2, buf, TEXT, w - 12);
    canvas_unclip(c);
}

long draw_pick(const draw_t *v, int x, int y)
{
    const draw_row_t *row = draw_row_at(v, y);
    const timeline_t *tl = v->tl;
    double t, tol, best_d = 1e300;
    long best = -1;
    if (row == NULL || (row->kind != ROW_LANE && row->kind != ROW_SUMMARY) ||
        x < v->x0 + v->label_w)
        return -1;
    t = draw_t_of(v, x + 0.5);
    tol = 3 * (v->t1 - v->t0) / plot_w(v);
    for (int l = 0; l < tl->nlanes; l++) {
        size_t k;
        if (row->kind == ROW_LANE ? l != row->id : (int)tl->lanes[l].group != row->id)
            continue;
        k = viz_lane_first_ending_after(&v->ix, l, t - tol > 0 ? (sim_time_t)(t - tol) : 0);
        for (; k < v->ix.lanes[l].n; k++) {
            const tl_slice_t *s = viz_lane_slice(&v->ix, l, k);
            double dd;
            if ((double)s->start > t + tol)
                break;
            dd = t < (double)s->start ? (double)s->start - t : t > (double)s->end ? t - (double)s->end : 0;
            if (dd < best_d) {
                best_d = dd;
                best = (long)v->ix.lanes[l].slice[k];
            }
            if (dd == 0)
                break;
        }
    }
    return best;
}
