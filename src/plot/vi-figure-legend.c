/* vi-figure-legend.c — legend: entries, placement where it hides the least data, drawing
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-figure-draw-private.h"

/* Whether an entry for legend group @group is already in @L. */
static gboolean
has_group (const ViLayout *L,
           const char     *group)
{
  for (guint i = 0; i < L->n_entries; i++)
    if (L->entries[i].series->legend_group != NULL
        && strcmp (L->entries[i].series->legend_group, group) == 0)
      return TRUE;
  return FALSE;
}

/* Entry widths, box size and one column of rows from the entries. */
static void
legend_measure (ViDrawCtx *ctx,
                ViLayout  *L)
{
  double wmax = 0;
  double pad = 5 * ctx->fs, sw = 20 * ctx->fs, gap = 5 * ctx->fs;

  for (guint i = 0; i < L->n_entries; i++)
    {
      double w;

      vi_text_size (ctx, VI_FONT_LEGEND, L->entries[i].text, FALSE, &w, NULL);
      if (!L->entries[i].swatch)
        w -= sw + gap;
      wmax = MAX (wmax, w);
    }
  L->leg_row_h = vi_line_height (ctx, VI_FONT_LEGEND) * 1.15;
  L->leg_text_x = sw + gap;
  L->leg_w = pad + L->leg_text_x + wmax + pad;
  L->leg_h = 2 * pad * 0.8 + L->n_entries * L->leg_row_h;
  for (guint i = 0; i < L->n_entries; i++)
    {
      L->entries[i].ex = pad;
      L->entries[i].ey = pad * 0.8 + (i + 0.5) * L->leg_row_h;
    }
}

void
vi_legend_build (ViDrawCtx *ctx,
                 ViPanel   *p,
                 ViLayout  *L)
{
  L->n_entries = 0;
  if (p->legend == VI_LEGEND_NONE)
    return;
  for (guint i = 0; i < p->series->len && L->n_entries < VI_MAX_LEGEND; i++)
    {
      ViSeries *s = p->series->pdata[i];

      if (!s->in_legend || s->hidden || vi_series_get_n_points (s) == 0)
        continue;
      if (s->legend_group != NULL)
        {
          if (!has_group (L, s->legend_group))
            L->entries[L->n_entries++] = (ViLegendEntry) { s, s->legend_group, G_MAXUINT, TRUE };
          continue;
        }
      if (s->kind == VI_SERIES_SCATTER && s->categories != NULL && s->category_names != NULL)
        {
          for (guint k = 0; s->category_names[k] != NULL && L->n_entries < VI_MAX_LEGEND; k++)
            L->entries[L->n_entries++] = (ViLegendEntry) { s, s->category_names[k], k, TRUE };
          continue;
        }
      if (*s->name == '\0')
        continue;
      L->entries[L->n_entries++] = (ViLegendEntry) { s, s->name, G_MAXUINT, TRUE };
    }
  if (L->n_entries == 0)
    return;
  if (p->legend_collapsed)
    {
      g_snprintf (L->leg_note, sizeof L->leg_note, "legend (%u)", L->n_entries);
      L->entries[0] = (ViLegendEntry) { L->entries[0].series, L->leg_note, G_MAXUINT, FALSE };
      L->n_entries = 1;
    }
  legend_measure (ctx, L);
}

void
vi_legend_truncate (ViLayout *L,
                    guint     keep)
{
  guint shown;

  keep = MAX (keep, 1);
  if (keep >= L->n_entries)
    return;
  shown = L->n_entries - (L->n_more > 0 ? 1 : 0);
  L->n_more += shown - (keep - 1);
  g_snprintf (L->leg_note, sizeof L->leg_note, "+%u more", L->n_more);
  L->entries[keep - 1].text = L->leg_note;
  L->entries[keep - 1].swatch = FALSE;
  L->n_entries = keep;
}

void
vi_legend_bound (ViDrawCtx *ctx,
                 ViLayout  *L,
                 double     max_w,
                 double     max_h)
{
  double pad = 5 * ctx->fs, spacing = 12 * ctx->fs;
  guint rows;
  double col_w;

  if (L->n_entries == 0 || L->leg_h <= max_h)
    return;
  rows = (guint) MAX (1.0, floor ((max_h - 2 * pad * 0.8) / L->leg_row_h));
  col_w = L->leg_w - 2 * pad;
  if ((L->n_entries + rows - 1) / rows == 2 && 2 * pad + 2 * col_w + spacing <= max_w)
    {
      for (guint i = rows; i < L->n_entries; i++)
        {
          L->entries[i].ex = pad + col_w + spacing;
          L->entries[i].ey = L->entries[i - rows].ey;
        }
      L->leg_w = 2 * pad + 2 * col_w + spacing;
    }
  else
    {
      /* "+N more" is narrower than an entry: the width stays. */
      vi_legend_truncate (L, rows);
    }
  L->leg_h = 2 * pad * 0.8 + MIN (rows, L->n_entries) * L->leg_row_h;
}

void
vi_legend_flow (ViDrawCtx *ctx,
                ViLayout  *L,
                double     max_w)
{
  double pad = 5 * ctx->fs, spacing = 12 * ctx->fs;
  double x = pad, row = 0, widest = 0;

  for (guint i = 0; i < L->n_entries; i++)
    {
      double w, ew;

      vi_text_size (ctx, VI_FONT_LEGEND, L->entries[i].text, FALSE, &w, NULL);
      ew = (L->entries[i].swatch ? L->leg_text_x : 0) + w;
      if (x > pad && x + ew + pad > max_w)
        {
          x = pad;
          row++;
        }
      L->entries[i].ex = x;
      L->entries[i].ey = pad * 0.8 + (row + 0.5) * L->leg_row_h;
      widest = MAX (widest, x + ew + pad);
      x += ew + spacing;
    }
  L->leg_w = widest;
  L->leg_h = 2 * pad * 0.8 + (row + 1) * L->leg_row_h;
  L->leg_top = TRUE;
}

static void
draw_legend_swatch (ViDrawCtx           *ctx,
                    const ViLegendEntry *e,
                    double               x,
                    double               yc)
{
  cairo_t *cr = ctx->cr;
  ViSeries *s = e->series;
  double sw = 20 * ctx->fs;
  ViColor c;

  cairo_save (cr);
  if (e->category != G_MAXUINT)
    {
      c = vi_palette_get (ctx->theme, e->category);
      c.a *= s->alpha;
    }
  else
    c = vi_series_resolve_color (s, ctx->theme);
  if (s->kind == VI_SERIES_SCATTER && s->values != NULL && e->category == G_MAXUINT)
    c = vi_colormap_get (s->map, 0.5);
  vi_set_color (cr, &c);
  switch (s->kind)
    {
    case VI_SERIES_BAND:
    case VI_SERIES_BARS:
    case VI_SERIES_HISTOGRAM:
      cairo_rectangle (cr, x + 2 * ctx->fs, yc - 4.5 * ctx->fs, sw - 4 * ctx->fs, 9 * ctx->fs);
      cairo_fill (cr);
      break;
    case VI_SERIES_SCATTER:
      c.a = MAX (c.a, 0.6);
      vi_set_color (cr, &c);
      vi_marker_path (cr, s->marker, x + sw / 2, yc, MAX (s->marker_size, 5 * ctx->fs));
      vi_marker_paint (cr, s->marker, s->line_width);
      break;
    default:
      cairo_set_line_width (cr, MAX (s->line_width, 1.0));
      vi_set_dash (ctx, vi_series_resolve_dash (s, ctx->theme), s->line_width);
      cairo_move_to (cr, x, yc);
      cairo_line_to (cr, x + sw, yc);
      cairo_stroke (cr);
      if (s->marker != VI_MARKER_NONE)
        {
          vi_marker_path (cr, s->marker, x + sw / 2, yc, s->marker_size);
          vi_marker_paint (cr, s->marker, s->line_width);
        }
      break;
    }
  cairo_restore (cr);
}

void
vi_legend_draw (ViDrawCtx *ctx,
                ViPanel   *p,
                ViLayout  *L)
{
  cairo_t *cr = ctx->cr;
  if (L->n_entries == 0)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, L->leg_x + 0.5, L->leg_y + 0.5, L->leg_w - 1, L->leg_h - 1);
  vi_set_color (cr, &ctx->tc->legend_bg);
  cairo_fill_preserve (cr);
  vi_set_color (cr, &ctx->tc->legend_border);
  cairo_set_line_width (cr, 0.75);
  cairo_stroke (cr);
  cairo_restore (cr);
  for (guint i = 0; i < L->n_entries; i++)
    {
      double xs = L->leg_x + L->entries[i].ex, yc = L->leg_y + L->entries[i].ey;

      ViLegendHit hit = { { xs, yc - L->leg_row_h / 2, 0, L->leg_row_h }, NULL };
      double w;

      vi_text_size (ctx, VI_FONT_LEGEND, L->entries[i].text, FALSE, &w, NULL);
      hit.box[2] = (L->entries[i].swatch ? L->leg_text_x : 0) + w;
      if (L->entries[i].swatch && L->entries[i].series->legend_group != NULL)
        hit.group = g_strdup (L->entries[i].series->legend_group);
      g_array_append_val (p->leg_entries, hit);
      if (L->entries[i].swatch)
        draw_legend_swatch (ctx, &L->entries[i], xs, yc);
      vi_draw_text (ctx, VI_FONT_LEGEND, L->entries[i].text, FALSE,
                    xs + (L->entries[i].swatch ? L->leg_text_x : 0), yc, 0, 0.5, 0,
                    L->entries[i].swatch ? &ctx->tc->foreground : &ctx->tc->muted);
    }
}

/* Top-left corner of the legend box placed at @h across (0 left, 1 centre,
 * 2 right) and @v down (0 top, 1 middle, 2 bottom) the plot area, @m from
 * its edges. */
static void
legend_spot (const ViLayout *L,
             double          m,
             guint           h,
             guint           v,
             double         *x,
             double         *y)
{
  const ViXform *xf = &L->xf;

  *x = h == 0 ? xf->ax + m
     : h == 1 ? xf->ax + (xf->aw - L->leg_w) / 2
              : xf->ax + xf->aw - m - L->leg_w;
  *y = v == 0 ? xf->ay + m
     : v == 1 ? xf->ay + (xf->ah - L->leg_h) / 2
              : xf->ay + xf->ah - m - L->leg_h;
}

gsize
vi_legend_place_auto (ViDrawCtx *ctx,
                      ViPanel   *p,
                      ViLayout  *L)
{
  /* In order of preference: top right, top left, bottom right, bottom
   * left, top centre, bottom centre, middle right, middle left. */
  static const guint8 spots[][2] = {
    { 2, 0 }, { 0, 0 }, { 2, 2 }, { 0, 2 }, { 1, 0 }, { 1, 2 }, { 2, 1 }, { 0, 1 },
  };
  const ViXform *xf = &L->xf;
  double m = 6 * ctx->fs;
  double cand[G_N_ELEMENTS (spots)][2];
  gsize best_cost = G_MAXSIZE;
  guint best = 0;

  for (guint c = 0; c < G_N_ELEMENTS (spots); c++)
    legend_spot (L, m, spots[c][0], spots[c][1], &cand[c][0], &cand[c][1]);
  L->leg_x = cand[0][0];
  L->leg_y = cand[0][1];
  if (L->leg_w + 2 * m > xf->aw || L->leg_h + 2 * m > xf->ah)
    return G_MAXSIZE;
  vi_layout_build_mask (ctx, p, L);
  if (L->sat == NULL)
    return G_MAXSIZE;
  for (guint c = 0; c < G_N_ELEMENTS (cand); c++)
    {
      gsize cost = vi_layout_mask_cost (L, cand[c][0], cand[c][1], L->leg_w, L->leg_h);

      if (cost < best_cost)
        {
          best_cost = cost;
          best = c;
        }
    }
  L->leg_x = cand[best][0];
  L->leg_y = cand[best][1];
  return best_cost;
}

void
vi_legend_place_fixed (ViDrawCtx *ctx,
                       ViPanel   *p,
                       ViLayout  *L)
{
  gboolean left = p->legend == VI_LEGEND_TOP_LEFT || p->legend == VI_LEGEND_BOTTOM_LEFT;
  gboolean bottom = p->legend == VI_LEGEND_BOTTOM_LEFT || p->legend == VI_LEGEND_BOTTOM_RIGHT;

  /* Any other position: top right. */
  legend_spot (L, 6 * ctx->fs, left ? 0 : 2, bottom ? 2 : 0, &L->leg_x, &L->leg_y);
}
