/* vi-figure-colorbar.c — the colour bar of a heat map or a valued scatter
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-figure-draw-private.h"

/* The series whose values the colour bar shows, or NULL. */
static ViSeries *
colorbar_series (ViPanel *p)
{
  for (guint i = 0; i < p->series->len; i++)
    {
      ViSeries *s = p->series->pdata[i];

      if (s->hidden)
        continue;
      if ((s->kind == VI_SERIES_HEATMAP && s->z != NULL)
          || (s->kind == VI_SERIES_SCATTER && s->values != NULL))
        if (s->vmin <= s->vmax)
          return s;
    }
  return NULL;
}

void
vi_colorbar_layout (ViDrawCtx *ctx,
                    ViPanel   *p,
                    ViLayout  *L)
{
  double fs = ctx->fs, tl = 4 * fs, tg = 3 * fs;
  double label_h = vi_line_height (ctx, VI_FONT_LABEL);
  double step, w;

  L->cbar = colorbar_series (p);
  L->cbar_w = 0;
  if (L->cbar == NULL)
    return;
  L->n_cbar = vi_ticks_linear (L->cbar->vmin, L->cbar->vmax, 5, FALSE, L->cbar_ticks,
                               VI_MAX_TICKS, &step);
  for (guint i = 0; i < L->n_cbar; i++)
    L->cbar_labels[i] = vi_figure_format_tick (p->fig, L->cbar_ticks[i], step, FALSE);
  w = vi_widest_label (ctx, L->cbar_labels, L->n_cbar, NULL);
  L->cbar_w = 10 * fs + 10 * fs + tl + tg + w;
  if (L->cbar->colorbar_label != NULL && *L->cbar->colorbar_label != '\0')
    L->cbar_w += label_h + 4 * fs;
}

void
vi_colorbar_draw (ViDrawCtx *ctx,
                  ViLayout  *L)
{
  cairo_t *cr = ctx->cr;
  ViSeries *s = L->cbar;
  double fs = ctx->fs, tl = 4 * fs, tg = 3 * fs;
  double x = L->xf.ax + L->xf.aw + 10 * fs, y = L->xf.ay, w = 10 * fs, h = L->xf.ah;
  double span = s->vmax - s->vmin, label_x;
  cairo_pattern_t *grad;
  double pos[17];
  ViColor cols[17];
  guint n;

  vi_colormap_stops (s->map, &n, pos, cols);
  grad = cairo_pattern_create_linear (0, y + h, 0, y);
  for (guint i = 0; i < n; i++)
    cairo_pattern_add_color_stop_rgb (grad, pos[i], cols[i].r, cols[i].g, cols[i].b);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_set_source (cr, grad);
  cairo_fill (cr);
  cairo_pattern_destroy (grad);
  vi_stroke_frame (cr, &ctx->tc->axis, x, y, w, h);
  label_x = x + w + tl + tg;
  for (guint i = 0; i < L->n_cbar; i++)
    {
      double t = span > 0 ? (L->cbar_ticks[i] - s->vmin) / span : 0.5;
      double py = y + h - t * h;

      cairo_move_to (cr, x + w, py);
      cairo_line_to (cr, x + w + tl, py);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
  for (guint i = 0; i < L->n_cbar; i++)
    {
      double t = span > 0 ? (L->cbar_ticks[i] - s->vmin) / span : 0.5;

      vi_draw_text (ctx, VI_FONT_TICK, L->cbar_labels[i], TRUE, label_x, y + h - t * h, 0, 0.5, 0,
                    &ctx->tc->muted);
    }
  if (s->colorbar_label != NULL && *s->colorbar_label != '\0')
    {
      double wl = vi_widest_label (ctx, L->cbar_labels, L->n_cbar, NULL);

      vi_draw_text (ctx, VI_FONT_LABEL, s->colorbar_label, FALSE, label_x + wl + 4 * fs, y + h / 2,
                    0.5, 0, G_PI / 2, &ctx->tc->foreground);
    }
}
