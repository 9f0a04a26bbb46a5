/* vi-series-reference.c — reference lines (hline, vline) and text annotations
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-figure-draw-private.h"

static ViSeries *
add_reference (ViPanel      *panel,
               ViSeriesKind  kind,
               const char   *label,
               double        v)
{
  ViSeries *s;

  g_return_val_if_fail (panel != NULL, NULL);
  s = vi_series_new (panel, kind, label);
  s->value = v;
  if (kind == VI_SERIES_HLINE)
    vi_range_add (&s->by, v);
  else
    vi_range_add (&s->bx, v);
  return s;
}

ViSeries *
vi_panel_add_hline (ViPanel    *panel,
                    const char *label,
                    double      y)
{
  return add_reference (panel, VI_SERIES_HLINE, label, y);
}

ViSeries *
vi_panel_add_vline (ViPanel    *panel,
                    const char *label,
                    double      x)
{
  return add_reference (panel, VI_SERIES_VLINE, label, x);
}

ViSeries *
vi_panel_add_text (ViPanel    *panel,
                   double      x,
                   double      y,
                   const char *text)
{
  ViSeries *s;

  g_return_val_if_fail (panel != NULL, NULL);
  s = vi_series_new (panel, VI_SERIES_TEXT, NULL);
  s->text = g_strdup (text != NULL ? text : "");
  g_array_append_val (s->x, x);
  g_array_append_val (s->y, y);
  vi_range_add (&s->bx, x);
  vi_range_add (&s->by, y);
  return s;
}

/* Draws @text with a halo with its box's top-left corner near (@x, @y),
 * clear of the annotations drawn before it, and inside the plot area:
 * moved left, else shrunk or wrapped (vi_text_fit), never cut. */
static void
draw_annotation (ViDrawCtx     *ctx,
                 ViFontRole     role,
                 const char    *text,
                 double         x,
                 double         y,
                 const ViColor *color)
{
  const ViLayout *L = ctx->L;
  ViTextFit fit;

  if (text == NULL || *text == '\0')
    return;
  vi_text_fit (ctx, role, text, FALSE, L != NULL ? L->xf.aw - 2 * ctx->fs : -1, &fit);
  if (L != NULL)
    x = MAX (MIN (x, L->xf.ax + L->xf.aw - ctx->fs - fit.w), L->xf.ax + ctx->fs);
  vi_annotation_place (ctx, &x, &y, fit.w, fit.h);
  ctx->fit = &fit;
  vi_draw_text (ctx, role, text, FALSE, x, y, 0, 0, 0, color);
  ctx->fit = NULL;
}

/* Places the label of a reference line at the candidate spot (top-left
 * corners in @cand) hiding the least data, not the legend and no earlier
 * annotation. */
static void
draw_reference_label (ViDrawCtx    *ctx,
                      const char   *text,
                      const double (*cand)[4],
                      guint         n_cand)
{
  const ViLayout *L = ctx->L;
  double w, h;
  gsize best_cost = G_MAXSIZE;
  guint best = 0;

  if (text == NULL || *text == '\0' || ctx->for_mask)
    return;
  vi_text_size (ctx, VI_FONT_TICK, text, FALSE, &w, &h);
  for (guint c = 0; c < n_cand && L != NULL; c++)
    {
      double x = cand[c][0] - cand[c][2] * w, y = cand[c][1] - cand[c][3] * h;
      gsize cost = vi_layout_mask_cost (L, x, y, w, h);

      if (L->has_legend_box && x < L->leg_x + L->leg_w && x + w > L->leg_x
          && y < L->leg_y + L->leg_h && y + h > L->leg_y)
        cost += 100000;
      if (vi_annotation_overlaps (ctx, x, y, w, h))
        cost += 10000;
      if (cost < best_cost)
        {
          best_cost = cost;
          best = c;
        }
    }
  draw_annotation (ctx, VI_FONT_TICK, text, cand[best][0] - cand[best][2] * w,
                   cand[best][1] - cand[best][3] * h, &ctx->tc->muted);
}

/* The line of @s (data pass) or its label (annotation pass). */
void
vi_draw_reference_series (ViDrawCtx     *ctx,
                          const ViXform *xf,
                          ViSeries      *s)
{
  cairo_t *cr = ctx->cr;
  double gap = 3 * ctx->fs;
  gboolean h = s->kind == VI_SERIES_HLINE;
  double v = h ? vi_xf_y (xf, s->value) : vi_xf_x (xf, s->value);
  double lo = h ? xf->ay : xf->ax, len = h ? xf->ah : xf->aw;

  if (!isfinite (s->value) || !isfinite (v) || v < lo - 1 || v > lo + len + 1)
    return;
  if (!ctx->annotate)
    {
      vi_series_begin (ctx, s, TRUE);
      cairo_move_to (cr, h ? xf->ax : v, h ? v : xf->ay);
      cairo_line_to (cr, h ? xf->ax + xf->aw : v, h ? v : xf->ay + xf->ah);
      cairo_stroke (cr);
      cairo_restore (cr);
      return;
    }
  if (h)
    {
      double r = xf->ax + xf->aw - gap, l = xf->ax + gap, mid = xf->ax + xf->aw / 2;
      /* x, y, xalign, yalign: right end above first, as readers expect. */
      const double cand[][4] = {
        { r, v - 2, 1, 1 }, { r, v + 2, 1, 0 }, { l, v - 2, 0, 1 },
        { l, v + 2, 0, 0 }, { mid, v - 2, 0.5, 1 }, { mid, v + 2, 0.5, 0 },
      };

      draw_reference_label (ctx, s->name, cand, G_N_ELEMENTS (cand));
    }
  else
    {
      double t = xf->ay + gap, b = xf->ay + xf->ah - gap, m = xf->ay + xf->ah / 2;
      const double cand[][4] = {
        { v + gap, t, 0, 0 }, { v - gap, t, 1, 0 }, { v + gap, b, 0, 1 },
        { v - gap, b, 1, 1 }, { v + gap, m, 0, 0.5 }, { v - gap, m, 1, 0.5 },
      };

      draw_reference_label (ctx, s->name, cand, G_N_ELEMENTS (cand));
    }
}

void
vi_draw_text_series (ViDrawCtx     *ctx,
                     const ViXform *xf,
                     ViSeries      *s)
{
  ViColor c = vi_series_draw_color (ctx, s);
  double x = g_array_index (s->x, double, 0), y = g_array_index (s->y, double, 0);
  double h;

  if (!vi_valid_point (xf, x, y))
    return;
  if (ctx->for_mask)
    {
      vi_draw_text (ctx, VI_FONT_LEGEND, s->text, FALSE, vi_clampc (vi_xf_x (xf, x)),
                    vi_clampc (vi_xf_y (xf, y)), 0, 0.5, 0, &c);
      return;
    }
  vi_text_size (ctx, VI_FONT_LEGEND, s->text, FALSE, NULL, &h);
  draw_annotation (ctx, VI_FONT_LEGEND, s->text, vi_clampc (vi_xf_x (xf, x)),
                   vi_clampc (vi_xf_y (xf, y)) - h / 2, &c);
}
