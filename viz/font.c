/*
 * font: SDL2_ttf renders each printable ASCII glyph once (anti-aliased, "shaded" onto an
 * 8-bit surface whose palette index is the coverage); the coverage bytes are copied into
 * one atlas. TTF_Init does not need a display, so screenshots work headless.
 */
#include "viz/font.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <SDL.h>
#include <SDL_ttf.h>

const char *font_default_path(const char *path)
{
    const char *env = getenv("ORINSIM_FONT");
    if (path && *path)
        return path;
    if (env && *env)
        return env;
    return ORINSIM_DEFAULT_FONT;
}

int font_load(font_t *f, const char *path, int points, diag_t *d)
{
    struct stat st;
    TTF_Font *tf;
    SDL_Color fg = {255, 255, 255, 255}, bg = {0, 0, 0, 255};
    int advance = 0;
    memset(f, 0, sizeof *f);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return diag_error(d, path, 0, 0,
                          "font not found (install the Debian package fonts-dejavu-core, or "
                          "give another TrueType font with --font FILE.ttf or ORINSIM_FONT)");
    if (!TTF_WasInit() && TTF_Init() != 0)
        return diag_error(d, path, 0, 0, "cannot start SDL2_ttf: %s", TTF_GetError());
    tf = TTF_OpenFont(path, points);
    if (tf == NULL)
        return diag_error(d, path, 0, 0, "not a usable TrueType font: %s", TTF_GetError());
    TTF_GlyphMetrics(tf, 'M', NULL, NULL, NULL, NULL, &advance);
    f->w = advance > 0 ? advance : points;
    f->h = TTF_FontHeight(tf);
    f->alpha = calloc((size_t)FONT_COUNT * (size_t)(f->w * f->h), 1);
    if (f->alpha == NULL) {
        TTF_CloseFont(tf);
        return diag_error(d, path, 0, 0, "out of memory loading the font");
    }
    for (int g = 0; g < FONT_COUNT; g++) {
        SDL_Surface *s = TTF_RenderGlyph_Shaded(tf, (Uint16)(FONT_FIRST + g), fg, bg);
        uint8_t *dst = f->alpha + (size_t)g * (size_t)(f->w * f->h);
        if (s == NULL)
            continue;
        for (int y = 0; y < s->h && y < f->h; y++)
            for (int x = 0; x < s->w && x < f->w; x++) {
                uint8_t idx = ((uint8_t *)s->pixels)[y * s->pitch + x];
                /* A shaded surface's palette runs from bg (0) to fg (255) in 256 steps. */
                dst[y * f->w + x] = s->format->palette ? s->format->palette->colors[idx].r : idx;
            }
        SDL_FreeSurface(s);
    }
    TTF_CloseFont(tf);
    return 0;
}

void font_free(font_t *f)
{
    free(f->alpha);
    f->alpha = NULL;
}

static void glyph(canvas_t *c, const font_t *f, int x, int y, int ch, uint32_t rgb)
{
    const uint8_t *a;
    uint32_t r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
    if (ch < FONT_FIRST || ch >= FONT_FIRST + FONT_COUNT)
        ch = '?';
    a = f->alpha + (size_t)(ch - FONT_FIRST) * (size_t)(f->w * f->h);
    for (int j = 0; j < f->h; j++) {
        int py = y + j;
        if (py < c->cy0 || py >= c->cy1)
            continue;
        for (int i = 0; i < f->w; i++) {
            int px = x + i;
            uint32_t k = a[j * f->w + i], nk, q, *p;
            if (k == 0 || px < c->cx0 || px >= c->cx1)
                continue;
            p = &c->px[(long)py * c->pitch + px];
            q = *p;
            nk = 255 - k;
            *p = 0xFF000000u | ((((q >> 16) & 255) * nk + r * k) / 255) << 16 |
                 ((((q >> 8) & 255) * nk + g * k) / 255) << 8 | (((q & 255) * nk + b * k) / 255);
        }
    }
}

int font_draw(canvas_t *c, const font_t *f, int x, int y, const char *s, uint32_t rgb,
              int max_w)
{
    int n = (int)strlen(s), fit = max_w / f->w, cut = 0;
    if (n > fit) {
        if (fit <= 0)
            return 0;
        n = fit;
        cut = 1;
    }
    for (int i = 0; i < n; i++)
        glyph(c, f, x + i * f->w, y, (cut && i == n - 1) ? '~' : (unsigned char)s[i], rgb);
    return n * f->w;
}
