/*
 * canvas: pixel primitives (see canvas.h). Rectangles are clipped once and filled row by
 * row; that is all the level-of-detail renderer needs, since it emits at most a few
 * rectangles per pixel column of each row.
 */
#include "viz/canvas.h"

#include <stdlib.h>

canvas_t *canvas_new(int w, int h)
{
    canvas_t *c;
    if (w <= 0 || h <= 0)
        return NULL;
    c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->px = calloc((size_t)w * (size_t)h, sizeof *c->px);
    if (c->px == NULL) {
        free(c);
        return NULL;
    }
    c->w = c->pitch = w;
    c->h = h;
    c->owned = 1;
    canvas_unclip(c);
    return c;
}

canvas_t *canvas_wrap(uint32_t *px, int w, int h, int pitch)
{
    canvas_t *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->px = px;
    c->w = w;
    c->h = h;
    c->pitch = pitch;
    canvas_unclip(c);
    return c;
}

void canvas_free(canvas_t *c)
{
    if (c == NULL)
        return;
    if (c->owned)
        free(c->px);
    free(c);
}

void canvas_clip(canvas_t *c, int x, int y, int w, int h)
{
    c->cx0 = x < 0 ? 0 : x;
    c->cy0 = y < 0 ? 0 : y;
    c->cx1 = x + w > c->w ? c->w : x + w;
    c->cy1 = y + h > c->h ? c->h : y + h;
}

void canvas_unclip(canvas_t *c)
{
    canvas_clip(c, 0, 0, c->w, c->h);
}

/* Clip [x, x+w) x [y, y+h) to the clip rectangle; 0 if nothing is left. */
static int clip(const canvas_t *c, int *x, int *y, int *w, int *h)
{
    int x0 = *x, y0 = *y, x1 = *x + *w, y1 = *y + *h;
    if (x0 < c->cx0)
        x0 = c->cx0;
    if (y0 < c->cy0)
        y0 = c->cy0;
    if (x1 > c->cx1)
        x1 = c->cx1;
    if (y1 > c->cy1)
        y1 = c->cy1;
    if (x0 >= x1 || y0 >= y1)
        return 0;
    *x = x0;
    *y = y0;
    *w = x1 - x0;
    *h = y1 - y0;
    return 1;
}

void canvas_fill(canvas_t *c, int x, int y, int w, int h, uint32_t rgb)
{
    uint32_t v = 0xFF000000u | rgb;
    if (!clip(c, &x, &y, &w, &h))
        return;
    for (int j = 0; j < h; j++) {
        uint32_t *p = c->px + (long)(y + j) * c->pitch + x;
        for (int i = 0; i < w; i++)
            p[i] = v;
    }
}

void canvas_blend(canvas_t *c, int x, int y, int w, int h, uint32_t rgb, int alpha)
{
    uint32_t r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
    uint32_t a = (uint32_t)(alpha < 0 ? 0 : alpha > 255 ? 255 : alpha), na = 255 - a;
    if (!clip(c, &x, &y, &w, &h))
        return;
    for (int j = 0; j < h; j++) {
        uint32_t *p = c->px + (long)(y + j) * c->pitch + x;
        for (int i = 0; i < w; i++) {
            uint32_t q = p[i];
            uint32_t qr = (q >> 16) & 255, qg = (q >> 8) & 255, qb = q & 255;
            p[i] = 0xFF000000u | ((qr * na + r * a) / 255) << 16 | ((qg * na + g * a) / 255) << 8 |
                   ((qb * na + b * a) / 255);
        }
    }
}

void canvas_frame(canvas_t *c, int x, int y, int w, int h, uint32_t rgb)
{
    canvas_fill(c, x, y, w, 1, rgb);
    canvas_fill(c, x, y + h - 1, w, 1, rgb);
    canvas_fill(c, x, y, 1, h, rgb);
    canvas_fill(c, x + w - 1, y, 1, h, rgb);
}

void canvas_line(canvas_t *c, int x0, int y0, int x1, int y1, uint32_t rgb)
{
    int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy, steps = 0;
    for (;;) {
        if (x0 >= c->cx0 && x0 < c->cx1 && y0 >= c->cy0 && y0 < c->cy1)
            c->px[(long)y0 * c->pitch + x0] = 0xFF000000u | rgb;
        if ((x0 == x1 && y0 == y1) || ++steps > 100000)
            break;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}
