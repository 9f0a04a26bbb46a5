/* vi-series-draw.c — drawing any series: the drawing function of each kind, and the
 * mask of the drawn data
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-figure-draw-private.h"

/* How each kind is drawn (images are laid out by the panel instead). */
static ViDrawSeriesFunc *const draw_kind[] = {
  [VI_SERIES_LINE] = vi_draw_line_series,
  [VI_SERIES_SCATTER] = vi_draw_scatter_series,
  [VI_SERIES_BAND] = vi_draw_band_series,
  [VI_SERIES_BARS] = vi_draw_bars_series,
  [VI_SERIES_STEP] = vi_draw_step_series,
  [VI_SERIES_HISTOGRAM] = vi_draw_histogram_series,
  [VI_SERIES_HLINE] = vi_draw_reference_series,
  [VI_SERIES_VLINE] = vi_draw_reference_series,
  [VI_SERIES_HEATMAP] = vi_draw_heatmap_series,
  [VI_SERIES_IMAGES] = NULL,
  [VI_SERIES_TEXT] = vi_draw_text_series,
};

void
vi_draw_series (ViDrawCtx     *ctx,
                const ViXform *xf,
                ViSeries      *s)
{
  gboolean note = s->kind == VI_SERIES_HLINE || s->kind == VI_SERIES_VLINE
                  || s->kind == VI_SERIES_TEXT;

  /* Annotations (reference-line labels, text) come in a pass of their own,
   * after all the data; the mask keeps text as data. */
  if (ctx->annotate ? !note : s->kind == VI_SERIES_TEXT && !ctx->for_mask)
    return;
  if (!s->hidden && (guint) s->kind < G_N_ELEMENTS (draw_kind) && draw_kind[s->kind] != NULL)
    draw_kind[s->kind] (ctx, xf, s);
}

void
vi_layout_build_mask (ViDrawCtx *ctx,
                      ViPanel   *p,
                      ViLayout  *L)
{
  const ViXform *xf = &L->xf;
  int mw = (int) ceil (xf->aw * VI_MASK_SCALE), mh = (int) ceil (xf->ah * VI_MASK_SCALE);
  cairo_surface_t *mask;
  cairo_t *mcr, *saved_cr;
  guint8 *data;
  int stride;

  g_clear_pointer (&L->sat, g_free);
  if (mw < 2 || mh < 2 || mw > 8192 || mh > 8192)
    return;
  mask = cairo_image_surface_create (CAIRO_FORMAT_A8, mw, mh);
  mcr = cairo_create (mask);
  cairo_scale (mcr, VI_MASK_SCALE, VI_MASK_SCALE);
  cairo_translate (mcr, -xf->ax, -xf->ay);
  saved_cr = ctx->cr;
  ctx->cr = mcr;
  ctx->for_mask = TRUE;
  for (guint i = 0; i < p->series->len; i++)
    vi_draw_series (ctx, xf, p->series->pdata[i]);
  ctx->for_mask = FALSE;
  ctx->cr = saved_cr;
  cairo_destroy (mcr);
  cairo_surface_flush (mask);

  data = cairo_image_surface_get_data (mask);
  stride = cairo_image_surface_get_stride (mask);
  L->mw = mw;
  L->mh = mh;
  L->sat = g_new0 (guint32, (gsize) (mw + 1) * (mh + 1));
  for (int yy = 0; yy < mh; yy++)
    for (int xx = 0; xx < mw; xx++)
      L->sat[(gsize) (yy + 1) * (mw + 1) + xx + 1] = (data[yy * stride + xx] > 16)
        + L->sat[(gsize) yy * (mw + 1) + xx + 1] + L->sat[(gsize) (yy + 1) * (mw + 1) + xx]
        - L->sat[(gsize) yy * (mw + 1) + xx];
  cairo_surface_destroy (mask);
}
