/*
 * image: canvases to and from PNG files through libpng, for screenshots (`orinsim view
 * --screenshot`, F12 in the viewer) and for tests that read a screenshot back.
 */
#ifndef ORINSIM_VIZ_IMAGE_H
#define ORINSIM_VIZ_IMAGE_H

#include "sim/diag.h"
#include "viz/canvas.h"

/* Write `c` as an 8-bit RGB PNG. */
int image_write_png(const char *path, const canvas_t *c, diag_t *d);
/* Read an 8-bit RGB or RGBA PNG into a new canvas (*out, free with canvas_free). */
int image_read_png(const char *path, canvas_t **out, diag_t *d);

#endif
