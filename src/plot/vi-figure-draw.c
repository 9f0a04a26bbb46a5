/* vi-figure-draw.c — drawing a figure: panels, series dispatch, the frame
 *
 * All lengths are in points (cairo user units).
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-figure-draw-private.h"

static gboolean
has_reference_labels (ViPanel *p)
{
  for (guint i = 0; i < p->series->len; i++)
    {
      ViSeries *s = p->series->pdata[i];

      if ((s->kind == VI_SERIES_HLINE || s->kind == VI_SERIES_VLINE) && *s->name != '\0')
        return TRUE;
    }
  return FALSE;
}

static void
draw_panel (ViDrawCtx *ctx,
            ViPanel   *p,
            double     cx,
            double     cy,
            double     cw,
            double     ch)
{
  cairo_t *cr = ctx->cr;
  g_autofree ViLayout *L = g_new0 (ViLayout, 1);
  double fs = ctx->fs;
  gboolean has_data = vi_panel_has_data (p);
  gboolean outside = p->legend == VI_LEGEND_OUTSIDE_RIGHT || p->legend == VI_LEGEND_OUTSIDE_TOP;

  p->laid_out = FALSE;
  p->leg_drawn = FALSE;
  memset (p->text_drawn, 0, sizeof p->text_drawn);
  g_array_set_size (p->annotations, 0);
  g_array_set_size (p->leg_entries, 0);
  if (cw < 4 || ch < 4)
    return;

  if (p->title != NULL && *p->title != '\0')
    {
      ViTextFit *fit = &L->title_fit;
      double *box = p->text_box[VI_PANEL_TEXT_TITLE];

      vi_text_fit (ctx, VI_FONT_TITLE, p->title, FALSE, cw - 16 * fs, fit);
      vi_draw_text_fit (ctx, VI_FONT_TITLE, p->title, FALSE, fit, cx + cw / 2, cy + 6 * fs, FALSE,
                        &ctx->tc->foreground);
      box[0] = cx + cw / 2 - fit->w / 2;
      box[1] = cy + 6 * fs;
      box[2] = fit->w;
      box[3] = fit->h;
      p->text_drawn[VI_PANEL_TEXT_TITLE] = TRUE;
    }

  if (vi_panel_is_image_only (p))
    {
      double top = cy + 8 * fs;

      if (p->title != NULL && *p->title != '\0')
        top += L->title_fit.h + 4 * fs;
      for (guint i = 0; i < p->series->len; i++)
        if (!((ViSeries *) p->series->pdata[i])->hidden)
          vi_draw_images (ctx, p, p->series->pdata[i], cx + 8 * fs, top, cw - 16 * fs,
                          cy + ch - 8 * fs - top);
      p->tlo[0] = p->tlo[1] = 0;
      p->thi[0] = p->thi[1] = 1;
      return;
    }

  vi_layout_set_ranges (p, L);
  vi_legend_build (ctx, p, L);
  vi_layout_panel (ctx, p, L, cx, cy, cw, ch, outside);
  if (L->n_entries > 0 && !outside && p->legend != VI_LEGEND_NONE)
    {
      gsize cost = G_MAXSIZE;

      /* A fixed spot is kept while it hides no data; else as for auto. */
      if (p->legend != VI_LEGEND_AUTO)
        {
          vi_legend_place_fixed (ctx, p, L);
          vi_layout_build_mask (ctx, p, L);
          if (L->sat != NULL)
            cost = vi_layout_mask_cost (L, L->leg_x, L->leg_y, L->leg_w, L->leg_h);
        }
      if (cost > 2)
        cost = vi_legend_place_auto (ctx, p, L);
      /* Hiding data anywhere inside: move the legend out. */
      if (cost > 2)
        {
          vi_layout_clear (L);
          vi_layout_panel (ctx, p, L, cx, cy, cw, ch, TRUE);
          outside = TRUE;
        }
    }
  if (outside && L->n_entries > 0 && !L->leg_top)
    {
      L->leg_x = L->xf.ax + L->xf.aw + 8 * fs + L->cbar_w;
      L->leg_y = L->xf.ay;
    }
  else if (L->n_entries > 0 && p->legend != VI_LEGEND_NONE)
    L->has_legend_box = TRUE;
  p->leg_drawn = L->n_entries > 0 && p->legend != VI_LEGEND_NONE;
  p->leg_box[0] = L->leg_x;
  p->leg_box[1] = L->leg_y;
  p->leg_box[2] = L->leg_w;
  p->leg_box[3] = L->leg_h;
  /* Reference-line labels need the mask of the final plot area. */
  if (has_reference_labels (p) && (L->sat == NULL || outside))
    vi_layout_build_mask (ctx, p, L);

  p->laid_out = TRUE;
  p->ax = L->xf.ax;
  p->ay = L->xf.ay;
  p->aw = L->xf.aw;
  p->ah = L->xf.ah;
  p->tlo[0] = L->xf.tlo[0];
  p->thi[0] = L->xf.thi[0];
  p->tlo[1] = L->xf.tlo[1];
  p->thi[1] = L->xf.thi[1];

  if (ctx->tc->grid_on && p->grid && vi_panel_find_kind (p, VI_SERIES_HEATMAP) == NULL
      && (has_data || p->empty_message == NULL))
    vi_draw_grid (ctx, L);

  cairo_save (cr);
  cairo_rectangle (cr, L->xf.ax, L->xf.ay, L->xf.aw, L->xf.ah);
  cairo_clip (cr);
  ctx->L = L;
  ctx->placed = p->annotations;
  for (guint pass = 0; pass < 2; pass++)
    {
      /* The data, then the annotations over it with a halo. */
      ctx->annotate = ctx->halo = pass == 1;
      for (guint i = 0; i < p->series->len; i++)
        vi_draw_series (ctx, &L->xf, p->series->pdata[i]);
    }
  ctx->annotate = ctx->halo = FALSE;
  ctx->placed = NULL;
  ctx->L = NULL;
  cairo_restore (cr);

  if (!has_data)
    vi_draw_text (ctx, VI_FONT_LABEL, p->empty_message != NULL ? p->empty_message : "no data",
                  FALSE, L->xf.ax + L->xf.aw / 2, L->xf.ay + L->xf.ah / 2, 0.5, 0.5, 0,
                  &ctx->tc->muted);

  if (has_data || p->empty_message == NULL)
    vi_draw_axes (ctx, p, L);
  if (L->cbar != NULL)
    vi_colorbar_draw (ctx, L);
  vi_legend_draw (ctx, p, L);
  vi_layout_clear (L);
  g_free (L->sat);
}

void
vi_figure_draw (ViFigure *fig,
                cairo_t  *cr,
                double    width,
                double    height)
{
  ViDrawCtx ctx;
  double top = 0, fs;

  g_return_if_fail (fig != NULL);
  g_return_if_fail (cr != NULL);
  for (guint i = 0; i < fig->rows * fig->cols; i++)
    fig->panels[i]->laid_out = FALSE;
  if (!(width > 0) || !(height > 0) || !isfinite (width) || !isfinite (height)
      || cairo_status (cr) != CAIRO_STATUS_SUCCESS)
    return;
  width = MIN (width, VI_COORD_LIMIT / 4);
  height = MIN (height, VI_COORD_LIMIT / 4);

  cairo_save (cr);
  vi_draw_ctx_init (&ctx, fig, cr);
  fs = ctx.fs;

  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  if (!fig->transparent)
    {
      vi_set_color (cr, &ctx.tc->background);
      cairo_paint (cr);
    }

  fig->title_drawn = FALSE;
  if (fig->title != NULL && *fig->title != '\0')
    {
      ViTextFit fit;

      vi_text_fit (&ctx, VI_FONT_FIG_TITLE, fig->title, FALSE, width - 12 * fs, &fit);
      vi_draw_text_fit (&ctx, VI_FONT_FIG_TITLE, fig->title, FALSE, &fit, width / 2, 6 * fs, FALSE,
                        &ctx.tc->foreground);
      top = 6 * fs + fit.h;
      fig->title_box[0] = width / 2 - fit.w / 2;
      fig->title_box[1] = 6 * fs;
      fig->title_box[2] = fit.w;
      fig->title_box[3] = fit.h;
      fig->title_drawn = TRUE;
    }

  for (guint r = 0; r < fig->rows; r++)
    for (guint c = 0; c < fig->cols; c++)
      {
        double cw = width / fig->cols, ch = (height - top) / fig->rows;

        draw_panel (&ctx, fig->panels[r * fig->cols + c], c * cw, top + r * ch, cw, ch);
      }

  cairo_restore (cr);
  vi_draw_ctx_clear (&ctx);
  fig->drawn = TRUE;
}
