/*
 * font: text for the viewer. A monospaced TrueType font (DejaVu Sans Mono from Debian's
 * fonts-dejavu-core by default) is rendered once, through SDL2_ttf, into an alpha atlas of
 * the printable ASCII characters; drawing a string is then a blend of each glyph's
 * coverage into the canvas, with no per-frame font work. Characters outside ASCII are
 * drawn as '?'.
 */
#ifndef ORINSIM_VIZ_FONT_H
#define ORINSIM_VIZ_FONT_H

#include <stdint.h>

#include "sim/diag.h"
#include "viz/canvas.h"

#define FONT_FIRST 32
#define FONT_COUNT 95

typedef struct font {
    int w, h;                 /* advance and line height, pixels */
    uint8_t *alpha;           /* FONT_COUNT glyphs of w x h coverage values */
} font_t;

/* The font file to use: `path` if given, else $ORINSIM_FONT, else the built-in default. */
const char *font_default_path(const char *path);
/* Load `path` at `points`. A missing or unreadable file is a DIAG_ERR naming it and the
 * Debian package that provides the default. */
int font_load(font_t *f, const char *path, int points, diag_t *d);
void font_free(font_t *f);
/* Draw `s` with its top-left at (x, y), at most `max_w` pixels wide (longer text is cut
 * and ends in '~'); returns the width drawn. */
int font_draw(canvas_t *c, const font_t *f, int x, int y, const char *s, uint32_t rgb,
              int max_w);
static inline int font_width(const font_t *f, const char *s, int n)
{
    (void)s;
    return f->w * n;
}

#endif
