/* vi-figure-axes.c — panel layout: ranges, ticks, tick labels, axes and grid
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-figure-draw-private.h"

void
vi_layout_clear (ViLayout *L)
{
  for (guint a = 0; a < 2; a++)
    for (guint i = 0; i < L->n_ticks[a]; i++)
      g_clear_pointer (&L->labels[a][i], g_free);
  for (guint i = 0; i < L->n_cbar; i++)
    g_clear_pointer (&L->cbar_labels[i], g_free);
  L->n_ticks[0] = L->n_ticks[1] = L->n_cbar = 0;
}

/* Category labels for @axis, or NULL: bars' categories on x, a heat map's
 * row/column labels. */
static char **
axis_categories (ViPanel *p,
                 ViAxis   axis,
                 gsize   *n)
{
  ViSeries *hm = vi_panel_find_kind (p, VI_SERIES_HEATMAP);

  if (hm != NULL)
    {
      char **labels = axis == VI_AXIS_X ? hm->col_labels : hm->row_labels;

      *n = axis == VI_AXIS_X ? hm->cols : hm->rows;
      return labels;
    }
  if (axis == VI_AXIS_X && p->categories != NULL && p->scale[0] == VI_SCALE_LINEAR)
    {
      *n = g_strv_length (p->categories);
      return p->categories;
    }
  *n = 0;
  return NULL;
}

/* Ticks for one axis given the pixel length available. */
static void
compute_ticks (ViDrawCtx *ctx,
               ViPanel   *p,
               ViLayout  *L,
               ViAxis     axis,
               double     length,
               guint      target)
{
  double lo = MIN (L->xf.tlo[axis], L->xf.thi[axis]);
  double hi = MAX (L->xf.tlo[axis], L->xf.thi[axis]);
  gsize n_cat = 0;
  char **cats = axis_categories (p, axis, &n_cat);
  gboolean integer = vi_panel_find_kind (p, VI_SERIES_HEATMAP) != NULL
                     || (axis == VI_AXIS_X && p->categories != NULL);
  double step = 1;
  guint n = 0;

  for (guint i = 0; i < L->n_ticks[axis]; i++)
    g_clear_pointer (&L->labels[axis][i], g_free);
  L->n_minor[axis] = 0;

  if (cats != NULL && n_cat > 0)
    {
      /* Every k-th category so the labels do not collide. */
      double per = length / MAX ((double) n_cat, 1);
      double need = axis == VI_AXIS_X && !L->rotate_x
                    ? 0 : vi_line_height (ctx, VI_FONT_TICK) * 1.1;
      gsize k = 1;

      if (axis == VI_AXIS_X && !L->rotate_x)
        for (gsize i = 0; i < n_cat && cats[i] != NULL; i++)
          {
            double w;

            vi_text_size (ctx, VI_FONT_TICK, cats[i], FALSE, &w, NULL);
            need = MAX (need, w + 6 * ctx->fs);
          }
      if (per > 0)
        k = (gsize) MAX (1, ceil (need / per));
      for (gsize i = 0; i < n_cat && n < VI_MAX_TICKS; i += k)
        {
          if (i >= g_strv_length (cats))
            break;
          L->ticks[axis][n] = (double) i;
          L->labels[axis][n] = g_markup_escape_text (cats[i], -1);
          n++;
        }
      L->n_ticks[axis] = n;
      return;
    }

  if (p->scale[axis] == VI_SCALE_LOG10)
    {
      double a = pow (10, lo), b = pow (10, hi);

      gboolean decades = TRUE;

      n = vi_ticks_log (a, b, L->ticks[axis], VI_MAX_TICKS, L->minor[axis], VI_MAX_MINOR,
                        &L->n_minor[axis]);
      for (guint i = 0; i < n; i++)
        {
          double e = log10 (L->ticks[axis][i]);

          if (fabs (e - round (e)) > 1e-9)
            decades = FALSE;
        }
      /* Less than two decades: vi_ticks_log gave linear ticks; label them so. */
      if (!decades && n >= 2)
        step = L->ticks[axis][1] - L->ticks[axis][0];
      /* Decades between 0.01 and 1000 read best as plain numbers; wider
       * axes get 10ⁿ throughout, never a mix. */
      if (decades && n > 0 && L->ticks[axis][0] >= 0.01 && L->ticks[axis][n - 1] <= 1000)
        for (guint i = 0; i < n; i++)
          L->labels[axis][i] = vi_figure_format_tick (p->fig, L->ticks[axis][i],
                                                      L->ticks[axis][i], FALSE);
      else
        for (guint i = 0; i < n; i++)
          L->labels[axis][i] = vi_figure_format_tick (p->fig, L->ticks[axis][i], step, decades);
      L->n_ticks[axis] = n;
      return;
    }

  n = vi_ticks_linear (lo, hi, target, FALSE, L->ticks[axis], VI_MAX_TICKS, &step);
  if (integer && step < 1)
    {
      n = vi_ticks_linear (lo, hi, target, FALSE, L->ticks[axis], VI_MAX_TICKS, &step);
      for (guint i = 0; i < n;)
        if (L->ticks[axis][i] != round (L->ticks[axis][i]))
          {
            memmove (&L->ticks[axis][i], &L->ticks[axis][i + 1], (n - i - 1) * sizeof (double));
            n--;
          }
        else
          i++;
      step = MAX (step, 1);
    }
  L->mult_exp[axis] = 0;
  {
    double maxabs = 0, scale = 1;

    for (guint i = 0; i < n; i++)
      maxabs = MAX (maxabs, fabs (L->ticks[axis][i]));
    /* Large or tiny values: one common power of ten, shown by the axis
     * label, instead of a different exponent on every tick. */
    if (maxabs >= 1e5 || (maxabs > 0 && maxabs < 1e-3))
      {
        L->mult_exp[axis] = (int) floor (log10 (maxabs) + 1e-9);
        scale = pow (10, L->mult_exp[axis]);
      }
    for (guint i = 0; i < n; i++)
      L->labels[axis][i] = vi_figure_format_tick (p->fig, L->ticks[axis][i] / scale,
                                                   step / scale, FALSE);
  }
  L->n_ticks[axis] = n;
}

/* The axis label with the tick multiplier appended ("iteration (×10⁶)").
 * Sets *markup to whether the result is markup. (transfer full) */
static char *
axis_title (ViPanel  *p,
            ViLayout *L,
            ViAxis    axis,
            gboolean *markup)
{
  const char *label = p->label[axis];
  g_autofree char *mult = NULL;

  *markup = p->label_markup[axis];
  if (L->mult_exp[axis] == 0)
    return g_strdup (label);
  {
    g_autofree char *power = vi_ticks_format (pow (10, L->mult_exp[axis]), 0, TRUE);

    mult = g_strdup_printf ("×%s", power);
  }
  if (label == NULL || *label == '\0')
    return g_steal_pointer (&mult);
  return g_strdup_printf ("%s (%s)", label, mult);
}

static double
axis_pos (const ViXform *xf,
          ViAxis         axis,
          double         v)
{
  return axis == VI_AXIS_X ? vi_xf_x (xf, v) : vi_xf_y (xf, v);
}

/* TRUE if neighbouring tick labels along x would touch. */
static gboolean
x_labels_collide (ViDrawCtx *ctx,
                  ViLayout  *L)
{
  double prev_right = -INFINITY;

  for (guint i = 0; i < L->n_ticks[0]; i++)
    {
      double w, c = axis_pos (&L->xf, VI_AXIS_X, L->ticks[0][i]);

      vi_text_size (ctx, VI_FONT_TICK, L->labels[0][i], TRUE, &w, NULL);
      if (c - w / 2 < prev_right + 6 * ctx->fs)
        return TRUE;
      prev_right = c + w / 2;
    }
  return FALSE;
}

/* Whether @axis gets a title line: a label, or a tick multiplier (which
 * compute_ticks will choose for these magnitudes). */
static gboolean
axis_has_title (ViPanel  *p,
                ViLayout *L,
                ViAxis    axis)
{
  double m = MAX (fabs (L->xf.tlo[axis]), fabs (L->xf.thi[axis]));
  gsize n_cat = 0;

  if (p->label[axis] != NULL && *p->label[axis] != '\0')
    return TRUE;
  if (p->scale[axis] == VI_SCALE_LOG10 || axis_categories (p, axis, &n_cat) != NULL)
    return FALSE;
  return m >= 1e5 || (m > 0 && m < 1.1e-3);
}

/* Fits the axis titles, now that their text (with the tick multiplier) is
 * known: the x title in the cell's width @cw, the y title along the plot
 * area (at least three lines' worth of the cell's height @ch); a y title
 * that takes two lines moves the plot area right. */
static void
fit_axis_titles (ViDrawCtx *ctx,
                 ViPanel   *p,
                 ViLayout  *L,
                 double     cw,
                 double     ch)
{
  double label_h = vi_line_height (ctx, VI_FONT_LABEL);
  gboolean mk;
  g_autofree char *tx = axis_title (p, L, VI_AXIS_X, &mk);
  g_autofree char *ty = NULL;

  memset (L->axis_fit, 0, sizeof L->axis_fit);
  if (tx != NULL)
    vi_text_fit (ctx, VI_FONT_LABEL, tx, mk, cw, &L->axis_fit[0]);
  ty = axis_title (p, L, VI_AXIS_Y, &mk);
  if (ty != NULL)
    {
      double extra;

      vi_text_fit (ctx, VI_FONT_LABEL, ty, mk, MAX (L->xf.ah, MIN (ch, 3 * label_h)),
                   &L->axis_fit[1]);
      extra = L->axis_fit[1].h - label_h;
      if (extra > 0)
        {
          L->xf.ax += extra;
          L->xf.aw = MAX (L->xf.aw - extra, 1);
        }
    }
}

void
vi_layout_set_ranges (ViPanel  *p,
                      ViLayout *L)
{
  for (guint a = 0; a < 2; a++)
    {
      double lo, hi, tlo, thi;

      vi_panel_compute_range (p, (ViAxis) a, &lo, &hi);
      L->xf.scale[a] = p->scale[a];
      tlo = vi_axis_transform (p->scale[a], lo);
      thi = vi_axis_transform (p->scale[a], hi);
      if (!isfinite (tlo) || !isfinite (thi) || tlo == thi)
        {
          tlo = 0;
          thi = 1;
        }
      L->xf.tlo[a] = tlo;
      L->xf.thi[a] = thi;
    }
}

void
vi_layout_panel (ViDrawCtx *ctx,
                 ViPanel   *p,
                 ViLayout  *L,
                 double     cx,
                 double     cy,
                 double     cw,
                 double     ch,
                 gboolean   legend_outside)
{
  double fs = ctx->fs;
  double m = 8 * fs, tl = 4 * fs, tg = 3 * fs;
  double top = cy + m, bottom = cy + ch - m, left = cx + m, right = cx + cw - m;
  double tick_h = vi_line_height (ctx, VI_FONT_TICK);
  double label_h = vi_line_height (ctx, VI_FONT_LABEL);
  double xlab_h;
  guint target;

  L->leg_outside = legend_outside;
  L->cell[0] = cx;
  L->cell[1] = cy;
  L->cell[2] = cw;
  L->cell[3] = ch;
  if (p->title != NULL && *p->title != '\0')
    top += L->title_fit.h + 4 * fs;
  if (axis_has_title (p, L, VI_AXIS_X))
    {
      gboolean mk;
      g_autofree char *tx = axis_title (p, L, VI_AXIS_X, &mk);

      /* Its text may still gain a multiplier: fitted again below. */
      if (tx != NULL)
        vi_text_fit (ctx, VI_FONT_LABEL, tx, mk, cw - 2 * m, &L->axis_fit[0]);
      bottom -= MAX (L->axis_fit[0].h, label_h) + 3 * fs;
    }
  if (axis_has_title (p, L, VI_AXIS_Y))
    left += label_h + 3 * fs;

  /* Colour bar at the right. */
  vi_colorbar_layout (ctx, p, L);
  right -= L->cbar_w;
  L->leg_top = FALSE;
  if (legend_outside && L->n_entries > 0)
    {
      /* A legend column may take at most a third of the cell; otherwise
       * the entries flow in rows above the plot. */
      if (p->legend != VI_LEGEND_OUTSIDE_TOP && L->leg_w + 8 * fs <= (right - left) / 3)
        {
          /* As tall as the plot area at most. */
          vi_legend_bound (ctx, L, (right - left) / 3 - 8 * fs, bottom - top - tick_h - 4 * fs);
          right -= L->leg_w + 8 * fs;
        }
      else
        {
          vi_legend_flow (ctx, L, right - left);
          /* At most a third of the cell's height in rows. */
          while (L->leg_h > ch / 3 && L->n_entries > 1)
            {
              vi_legend_truncate (L, L->n_entries - 1);
              vi_legend_flow (ctx, L, right - left);
            }
          L->leg_x = left + (right - left - L->leg_w) / 2;
          L->leg_y = top;
          top += L->leg_h + 6 * fs;
        }
    }

  /* y ticks depend on the height, x ticks on the width, which depends on
   * the y labels' width: settle the height first. */
  L->rotate_x = FALSE;
  xlab_h = tick_h;
  {
    gsize n_cat = 0;
    char **cats = axis_categories (p, VI_AXIS_X, &n_cat);

    if (cats != NULL && n_cat > 0)
      {
        double wsum = 0, wmax = 0;

        for (gsize i = 0; i < n_cat && cats[i] != NULL; i++)
          {
            double w;

            vi_text_size (ctx, VI_FONT_TICK, cats[i], FALSE, &w, NULL);
            wsum += w + 6 * fs;
            wmax = MAX (wmax, w);
          }
        /* Rotate long category labels when they do not fit side by side. */
        if (wsum > (right - left) * 0.95 && wmax > tick_h * 2)
          {
            L->rotate_x = TRUE;
            xlab_h = MIN (wmax, ch * 0.35);
          }
      }
  }
  L->xlab_h = xlab_h;
  bottom -= tl + tg + xlab_h;

  L->xf.ay = top;
  L->xf.ah = MAX (bottom - top, 1);
  target = (guint) CLAMP (L->xf.ah / (55 * fs) + 1, 2, 8);
  do
    {
      compute_ticks (ctx, p, L, VI_AXIS_Y, L->xf.ah, target);
      if (L->n_ticks[1] < 2 || p->scale[1] == VI_SCALE_LOG10)
        break;
      if (fabs (axis_pos (&L->xf, VI_AXIS_Y, L->ticks[1][1])
                - axis_pos (&L->xf, VI_AXIS_Y, L->ticks[1][0])) >= tick_h * 1.4)
        break;
    }
  while (--target >= 2);
  L->label_w[1] = vi_widest_label (ctx, L->labels[1], L->n_ticks[1], NULL);
  left += L->label_w[1] + tl + tg;

  L->xf.ax = left;
  L->xf.aw = MAX (right - left, 1);
  target = (guint) CLAMP (L->xf.aw / (80 * fs) + 1, 2, 10);
  do
    {
      compute_ticks (ctx, p, L, VI_AXIS_X, L->xf.aw, target);
      if (L->n_ticks[0] < 2 || L->rotate_x || !x_labels_collide (ctx, L))
        break;
    }
  while (--target >= 2);
  if (L->n_ticks[0] >= 2 && !L->rotate_x && x_labels_collide (ctx, L))
    {
      /* Still too crowded: keep every other label. */
      guint k = 0;

      for (guint i = 0; i < L->n_ticks[0]; i++)
        if (i % 2 == 0)
          {
            L->ticks[0][k] = L->ticks[0][i];
            L->labels[0][k++] = L->labels[0][i];
          }
        else
          g_free (L->labels[0][i]);
      L->n_ticks[0] = k;
    }

  fit_axis_titles (ctx, p, L, MAX (cw - 2 * m, 1), MAX (ch - 2 * m, 1));

  /* Keep the last x label inside the cell. */
  if (L->n_ticks[0] > 0 && !L->rotate_x)
    {
      double w, c = axis_pos (&L->xf, VI_AXIS_X, L->ticks[0][L->n_ticks[0] - 1]);
      double over;

      vi_text_size (ctx, VI_FONT_TICK, L->labels[0][L->n_ticks[0] - 1], TRUE, &w, NULL);
      over = c + w / 2 - (cx + cw - 2 * fs);
      if (over > 0 && L->cbar == NULL && !(legend_outside && L->n_entries > 0))
        L->xf.aw = MAX (L->xf.aw - over, 1);
    }
}

/* @c moved so that a length @w centred on it lies within [@lo, @hi] when
 * it can. */
static double
clamp_centre (double c,
              double w,
              double lo,
              double hi)
{
  if (c + w / 2 > hi)
    c = hi - w / 2;
  if (c - w / 2 < lo)
    c = lo + w / 2;
  return c;
}

static void
set_text_box (ViPanel     *p,
              ViPanelText  which,
              double       x,
              double       y,
              double       w,
              double       h)
{
  p->text_box[which][0] = x;
  p->text_box[which][1] = y;
  p->text_box[which][2] = w;
  p->text_box[which][3] = h;
  p->text_drawn[which] = TRUE;
}

void
vi_draw_axes (ViDrawCtx *ctx,
              ViPanel   *p,
              ViLayout  *L)
{
  cairo_t *cr = ctx->cr;
  const ViXform *xf = &L->xf;
  double fs = ctx->fs, tl = 4 * fs, tg = 3 * fs;
  double x0 = round (xf->ax) , y1 = xf->ay + xf->ah;

  (void) x0;
  cairo_save (cr);
  vi_set_color (cr, &ctx->tc->axis);
  cairo_set_line_width (cr, 0.8);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
  if (ctx->tc->full_frame)
    cairo_rectangle (cr, xf->ax, xf->ay, xf->aw, xf->ah);
  else
    {
      cairo_move_to (cr, xf->ax, xf->ay);
      cairo_line_to (cr, xf->ax, y1);
      cairo_line_to (cr, xf->ax + xf->aw, y1);
    }
  cairo_stroke (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (guint i = 0; i < L->n_ticks[0]; i++)
    {
      double px = vi_xf_x (xf, L->ticks[0][i]);

      cairo_move_to (cr, px, y1);
      cairo_line_to (cr, px, y1 + tl);
    }
  for (guint i = 0; i < L->n_ticks[1]; i++)
    {
      double py = vi_xf_y (xf, L->ticks[1][i]);

      cairo_move_to (cr, xf->ax, py);
      cairo_line_to (cr, xf->ax - tl, py);
    }
  cairo_stroke (cr);
  cairo_set_line_width (cr, 0.6);
  for (guint i = 0; i < L->n_minor[0]; i++)
    {
      double px = vi_xf_x (xf, L->minor[0][i]);

      cairo_move_to (cr, px, y1);
      cairo_line_to (cr, px, y1 + tl * 0.55);
    }
  for (guint i = 0; i < L->n_minor[1]; i++)
    {
      double py = vi_xf_y (xf, L->minor[1][i]);

      cairo_move_to (cr, xf->ax, py);
      cairo_line_to (cr, xf->ax - tl * 0.55, py);
    }
  cairo_stroke (cr);
  cairo_restore (cr);

  for (guint i = 0; i < L->n_ticks[0]; i++)
    {
      double px = vi_xf_x (xf, L->ticks[0][i]);

      if (L->rotate_x)
        vi_draw_text (ctx, VI_FONT_TICK, L->labels[0][i], TRUE, px, y1 + tl + tg, 1, 0.5, G_PI / 2,
                      &ctx->tc->muted);
      else
        vi_draw_text (ctx, VI_FONT_TICK, L->labels[0][i], TRUE, px, y1 + tl + tg, 0.5, 0, 0,
                      &ctx->tc->muted);
    }
  for (guint i = 0; i < L->n_ticks[1]; i++)
    vi_draw_text (ctx, VI_FONT_TICK, L->labels[1][i], TRUE, xf->ax - tl - tg,
                  vi_xf_y (xf, L->ticks[1][i]), 1, 0.5, 0, &ctx->tc->muted);

  {
    gboolean mk;
    g_autofree char *tx = axis_title (p, L, VI_AXIS_X, &mk);
    g_autofree char *ty = NULL;

    if (tx != NULL)
      {
        const ViTextFit *fit = &L->axis_fit[0];
        /* Under the plot area's centre, moved into the cell if need be. */
        double c = clamp_centre (xf->ax + xf->aw / 2, fit->w, L->cell[0] + 2 * fs,
                                 L->cell[0] + L->cell[2] - 2 * fs);
        double y = y1 + tl + tg + L->xlab_h + 3 * fs;

        vi_draw_text_fit (ctx, VI_FONT_LABEL, tx, mk, fit, c, y, FALSE, &ctx->tc->foreground);
        set_text_box (p, VI_PANEL_TEXT_X_LABEL, c - fit->w / 2, y, fit->w, fit->h);
      }
    ty = axis_title (p, L, VI_AXIS_Y, &mk);
    if (ty != NULL)
      {
        const ViTextFit *fit = &L->axis_fit[1];
        double x = xf->ax - tl - tg - L->label_w[1] - 3 * fs;
        double c = clamp_centre (xf->ay + xf->ah / 2, fit->w, L->cell[1] + 2 * fs,
                                 L->cell[1] + L->cell[3] - 2 * fs);

        vi_draw_text_fit (ctx, VI_FONT_LABEL, ty, mk, fit, x, c, TRUE, &ctx->tc->foreground);
        set_text_box (p, VI_PANEL_TEXT_Y_LABEL, x - fit->h, c - fit->w / 2, fit->h, fit->w);
      }
  }
}

void
vi_draw_grid (ViDrawCtx *ctx,
              ViLayout  *L)
{
  cairo_t *cr = ctx->cr;
  const ViXform *xf = &L->xf;

  cairo_save (cr);
  vi_set_color (cr, &ctx->tc->grid);
  cairo_set_line_width (cr, 0.6);
  for (guint i = 0; i < L->n_ticks[0]; i++)
    {
      double px = vi_xf_x (xf, L->ticks[0][i]);

      cairo_move_to (cr, px, xf->ay);
      cairo_line_to (cr, px, xf->ay + xf->ah);
    }
  for (guint i = 0; i < L->n_ticks[1]; i++)
    {
      double py = vi_xf_y (xf, L->ticks[1][i]);

      cairo_move_to (cr, xf->ax, py);
      cairo_line_to (cr, xf->ax + xf->aw, py);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}
