/*
 * canvas: a 32-bit ARGB pixel buffer and the few primitives the timeline needs (filled
 * rectangles, translucent rectangles, lines). Everything the viewer shows is drawn here
 * on the CPU: the same pixels go to the window, to a PNG screenshot and to the tests,
 * with no GPU or display involved. Every primitive clips to the canvas and to an
 * optional clip rectangle.
 */
#ifndef ORINSIM_VIZ_CANVAS_H
#define ORINSIM_VIZ_CANVAS_H

#include <stdint.h>

typedef struct canvas {
    uint32_t *px;             /* 0xAARRGGBB, row-major */
    int w, h;
    int pitch;                /* pixels per row (>= w) */
    int owned;                /* px was allocated by canvas_new */
    int cx0, cy0, cx1, cy1;   /* clip rectangle [cx0, cx1) x [cy0, cy1) */
} canvas_t;

/* A canvas of w x h pixels, or NULL out of memory. */
canvas_t *canvas_new(int w, int h);
/* Wrap existing pixels (e.g. a window surface); free with canvas_free as well. */
canvas_t *canvas_wrap(uint32_t *px, int w, int h, int pitch);
void canvas_free(canvas_t *c);
void canvas_clip(canvas_t *c, int x, int y, int w, int h);
void canvas_unclip(canvas_t *c);

void canvas_fill(canvas_t *c, int x, int y, int w, int h, uint32_t rgb);
/* Blend `rgb` over the rectangle with opacity alpha/255. */
void canvas_blend(canvas_t *c, int x, int y, int w, int h, uint32_t rgb, int alpha);
void canvas_frame(canvas_t *c, int x, int y, int w, int h, uint32_t rgb);   /* 1-px outline */
void canvas_line(canvas_t *c, int x0, int y0, int x1, int y1, uint32_t rgb);

static inline uint32_t canvas_get(const canvas_t *c, int x, int y)
{
    return c->px[(long)y * c->pitch + x] & 0xFFFFFFu;
}

#endif
