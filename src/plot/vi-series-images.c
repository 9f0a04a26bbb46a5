/* vi-series-images.c — image grid series: model and drawing (a panel of images has no axes)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-figure-draw-private.h"

ViSeries *
vi_panel_add_images (ViPanel *panel, const char *name, const double *pixels, gsize n_images,
                     gsize height, gsize width, guint channels, const char *const *captions,
                     guint grid_cols)
{
  ViSeries *s;
  gsize total;

  g_return_val_if_fail (panel != NULL, NULL);
  s = vi_series_new (panel, VI_SERIES_IMAGES, name);
  s->grid_cols = grid_cols;
  vi_set_strv (&s->captions, captions);
  if (pixels == NULL || n_images == 0 || height == 0 || width == 0
      || (channels != 1 && channels != 3)
      || height > 65536 || width > 65536 || n_images > G_MAXSIZE / (height * width * 3 * 8))
    return s;
  total = n_images * height * width * channels;
  s->pixels = g_memdup2 (pixels, total * sizeof (double));
  s->n_images = n_images;
  s->img_h = height;
  s->img_w = width;
  s->channels = channels;
  return s;
}

static cairo_surface_t *
image_surface (ViSeries *s,
               gsize     index)
{
  guint32 *data;
  int stride;
  cairo_surface_t *img = vi_image_surface_new (CAIRO_FORMAT_RGB24, s->img_w, s->img_h, &data,
                                               &stride);
  const double *px = s->pixels + index * s->img_h * s->img_w * s->channels;

  if (data == NULL)
    return img;
  for (gsize r = 0; r < s->img_h; r++)
    for (gsize c = 0; c < s->img_w; c++)
      {
        const double *v = px + (r * s->img_w + c) * s->channels;
        double rgb[3];

        for (guint k = 0; k < 3; k++)
          {
            double t = v[s->channels == 3 ? k : 0];

            rgb[k] = isfinite (t) ? CLAMP (t, 0, 1) : 0;
          }
        data[r * stride + c] = vi_pixel_rgb (rgb[0], rgb[1], rgb[2]);
      }
  cairo_surface_mark_dirty (img);
  return img;
}

void
vi_draw_images (ViDrawCtx *ctx,
                ViPanel   *p,
                ViSeries  *s,
                double     x,
                double     y,
                double     w,
                double     h)
{
  cairo_t *cr = ctx->cr;
  guint cols, rows;
  double gap = 6 * ctx->fs, cap_h = 0, cell_w, cell_h, img_w, img_h, x0, y0;
  gboolean captions = s->captions != NULL && s->captions[0] != NULL;

  if (s->n_images == 0 || s->img_w > 32767 || s->img_h > 32767)
    return;
  cols = s->grid_cols > 0 ? s->grid_cols : (guint) ceil (sqrt ((double) s->n_images));
  cols = (guint) MIN (cols, s->n_images);
  rows = (guint) ((s->n_images + cols - 1) / cols);
  if (captions)
    cap_h = vi_line_height (ctx, VI_FONT_TICK) + 2 * ctx->fs;
  cell_w = (w - gap * (cols - 1)) / cols;
  cell_h = (h - gap * (rows - 1)) / rows - cap_h;
  if (cell_w <= 1 || cell_h <= 1)
    return;
  /* Square pixels: fit the image aspect into the cell. */
  img_w = cell_w;
  img_h = img_w * s->img_h / s->img_w;
  if (img_h > cell_h)
    {
      img_h = cell_h;
      img_w = img_h * s->img_w / s->img_h;
    }
  x0 = x + (w - (cols * img_w + (cols - 1) * gap)) / 2;
  y0 = y + (h - (rows * (img_h + cap_h) + (rows - 1) * gap)) / 2;
  p->laid_out = TRUE;
  p->ax = x0;
  p->ay = y0;
  p->aw = cols * img_w + (cols - 1) * gap;
  p->ah = rows * (img_h + cap_h) + (rows - 1) * gap;
  for (gsize i = 0; i < s->n_images; i++)
    {
      double ix = x0 + (i % cols) * (img_w + gap);
      double iy = y0 + (i / cols) * (img_h + cap_h + gap);
      cairo_surface_t *img;
      cairo_pattern_t *pat;

      if (ctx->for_mask)
        continue;
      img = image_surface (s, i);
      cairo_save (cr);
      cairo_translate (cr, ix, iy);
      cairo_scale (cr, img_w / s->img_w, img_h / s->img_h);
      cairo_set_source_surface (cr, img, 0, 0);
      pat = cairo_get_source (cr);
      cairo_pattern_set_filter (pat, CAIRO_FILTER_NEAREST);
      cairo_rectangle (cr, 0, 0, (double) s->img_w, (double) s->img_h);
      cairo_fill (cr);
      cairo_restore (cr);
      cairo_surface_destroy (img);
      cairo_save (cr);
      vi_stroke_frame (cr, &ctx->tc->grid, ix, iy, img_w, img_h);
      cairo_restore (cr);
      if (captions && i < g_strv_length (s->captions))
        vi_draw_text (ctx, VI_FONT_TICK, s->captions[i], FALSE, ix + img_w / 2,
                      iy + img_h + ctx->fs, 0.5, 0, 0, &ctx->tc->foreground);
    }
}
