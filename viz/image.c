/*
 * image: PNG through libpng's simplified API (png_image_*, libpng >= 1.6), which handles
 * the format conversions; the canvas is 0xAARRGGBB in native byte order, i.e. BGRA bytes
 * on a little-endian machine, so the conversion goes through a byte buffer.
 */
#include "viz/image.h"

#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "soc/io/out.h"

int image_write_png(const char *path, const canvas_t *c, diag_t *d)
{
    png_image img;
    unsigned char *rgb = malloc((size_t)c->w * (size_t)c->h * 3);
    out_t o;
    int ok;
    if (rgb == NULL)
        return diag_error(d, path, 0, 0, "out of memory writing the image");
    if (out_open(&o, path, "PNG", d) != 0) {
        free(rgb);
        return DIAG_ERR;
    }
    for (int y = 0; y < c->h; y++)
        for (int x = 0; x < c->w; x++) {
            uint32_t p = c->px[(long)y * c->pitch + x];
            unsigned char *q = rgb + ((size_t)y * (size_t)c->w + (size_t)x) * 3;
            q[0] = (unsigned char)(p >> 16);
            q[1] = (unsigned char)(p >> 8);
            q[2] = (unsigned char)p;
        }
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)c->w;
    img.height = (png_uint_32)c->h;
    img.format = PNG_FORMAT_RGB;
    ok = png_image_write_to_stdio(&img, o.f, 0, rgb, c->w * 3, NULL);
    free(rgb);
    if (!ok && !ferror(o.f)) {
        out_discard(&o);
        return diag_error(d, path, 0, 0, "cannot write the PNG: %s", img.message);
    }
    return out_close(&o, d);   /* a failed write: out_close says why */
}

int image_read_png(const char *path, canvas_t **out, diag_t *d)
{
    png_image img;
    unsigned char *rgb;
    canvas_t *c;
    *out = NULL;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path))
        return diag_error(d, path, 0, 0, "cannot read the PNG: %s", img.message);
    img.format = PNG_FORMAT_RGB;
    rgb = malloc(PNG_IMAGE_SIZE(img));
    c = canvas_new((int)img.width, (int)img.height);
    if (rgb == NULL || c == NULL) {
        free(rgb);
        canvas_free(c);
        png_image_free(&img);
        return diag_error(d, path, 0, 0, "out of memory reading the PNG");
    }
    if (!png_image_finish_read(&img, NULL, rgb, 0, NULL)) {
        free(rgb);
        canvas_free(c);
        return diag_error(d, path, 0, 0, "cannot read the PNG: %s", img.message);
    }
    for (int y = 0; y < c->h; y++)
        for (int x = 0; x < c->w; x++) {
            const unsigned char *q = rgb + ((size_t)y * (size_t)c->w + (size_t)x) * 3;
            c->px[(long)y * c->pitch + x] =
                0xFF000000u | (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2];
        }
    free(rgb);
    *out = c;
    return 0;
}
