/* vi-bbvi-variance-views.c — the BBVI gradient-variance figures: measured
 * against exact variance per estimator (bars, or a sweep over S or θ), and
 * the variance-reduction ratios
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "vi-bbvi-views.h"

/* Below this fraction of naive's variance, cv-suff's is rounding error. */
#define VI_BBVI_VIEW_SUFF_OFF_AXIS 1e-15

double
vi_bbvi_variance_coord (const ViBbviVarianceStat *st,
                        size_t                    d,
                        gboolean                  exact)
{
  if (!st->defined)
    return NAN;
  /* Coordinate 0 from the scalar fields, which core keeps equal to coord[0]. */
  if (d == 0)
    return exact ? st->variance_exact : st->variance;
  return exact ? st->coord[d].variance_exact : st->coord[d].variance;
}

gboolean
vi_bbvi_variance_coord_ok (const ViBbviVarianceStat *st,
                           size_t                    d,
                           gboolean                  exact)
{
  double v = vi_bbvi_variance_coord (st, d, exact);

  return st->defined && isfinite (v) && v > 0;
}

gboolean
vi_bbvi_variance_stat_ok (const ViBbviVarianceStat *st,
                          gboolean                  exact)
{
  return vi_bbvi_variance_coord_ok (st, 0, exact);
}

guint
vi_bbvi_variance_view_cols (const ViBbviSnapshot *snap)
{
  return snap != NULL && snap->dim > 1 ? (guint) snap->dim : 1;
}

/* Name of coordinate d of @snap's family, or NULL for a one-parameter family
 * (whose figures keep their titles without one). */
static const char *
coord_name (const ViBbviSnapshot *snap,
            size_t                d)
{
  if (snap == NULL || snap->family == NULL || snap->dim <= 1)
    return NULL;
  return vi_bbvi_family_get_param_names (snap->family)[d];
}

/* The two bar series just added to @panel (measured, exact): untranslated
 * names and, when the bars were capped, their true heights. */
static void
bars_data_names (ViPanel      *panel,
                 const double *measured,
                 const double *exact,
                 gsize         n)
{
  guint len = vi_panel_get_n_series (panel);
  ViSeries *m = vi_panel_get_series (panel, len - 2), *e = vi_panel_get_series (panel, len - 1);

  vi_panel_set_axis_data_name (panel, VI_AXIS_X, "estimator");
  vi_series_set_data_name (m, "measured");
  vi_series_set_data_name (e, "exact");
  vi_series_set_true_heights (m, measured, n);
  vi_series_set_true_heights (e, exact, n);
}

/* cv-suff's variance is rounding error, far below the others: a note. */
static void
variance_suff_note (ViPanel *panel,
                    double   x,
                    double   y,
                    double   suff_lo,
                    double   suff_hi)
{
  g_autofree char *text = NULL;
  ViSeries *series;

  if (suff_lo == suff_hi)
    /* Translators: the cv-suff variance is about 10⁻²⁵, far below the
     * axis; %.0e is that value */
    text = g_strdup_printf (_("cv-suff: %.0e, rounding error, far below this axis"), suff_lo);
  else
    /* Translators: the cv-suff variance is 10⁻²⁶…10⁻¹⁰, far below the
     * axis; %.0e are those bounds */
    text = g_strdup_printf (_("cv-suff: %.0e … %.0e, rounding error, far below this axis"),
                            suff_lo, suff_hi);
  series = vi_panel_add_text (panel, x, y, text);
  vi_series_set_color_index (series, vi_bbvi_estimator_color (VI_BBVI_CV_SUFF));
}

/* One point: measured and exact variance of each estimator as bars, on a
 * log axis over whole decades that shows naive, cv and reparam apart;
 * cv-suff's rounding error (below VI_BBVI_VIEW_SUFF_OFF_AXIS × naive) is
 * left off that axis, as a note. */
static void
variance_bars (ViPanel              *panel,
               const ViBbviSnapshot *v,
               size_t                d)
{
  static const char *const cats[] = { "naive", "cv", "cv-suff", "reparam", NULL };
  const ViBbviVariancePoint *p = &v->points[0];
  const ViBbviVarianceStat *naive = &p->est[VI_BBVI_NAIVE];
  double measured[VI_BBVI_N_PUBLIC_ESTIMATORS], exact[VI_BBVI_N_PUBLIC_ESTIMATORS];
  double lo = INFINITY, hi = -INFINITY, suff = NAN;
  const char *name = coord_name (v, d);
  g_autofree char *title = NULL;

  if (name == NULL)
    title = g_strdup_printf ("gradient variance at θ = %g, S = %zu, R = %zu", p->theta,
                             p->samples, p->repeats);
  else
    /* Translators: %s is a parameter name (shape, rate, mu, sigma2) */
    title = g_strdup_printf (_("∂ELBO/∂%s at S = %zu"), name, p->samples);
  for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
    {
      const ViBbviVarianceStat *st = &p->est[e];

      measured[e] = vi_bbvi_variance_coord (st, d, FALSE);
      exact[e] = vi_bbvi_variance_coord (st, d, TRUE);
      if (e == VI_BBVI_CV_SUFF && vi_bbvi_variance_coord_ok (naive, d, FALSE) && st->defined
          && measured[e] < VI_BBVI_VIEW_SUFF_OFF_AXIS * vi_bbvi_variance_coord (naive, d, FALSE))
        {
          suff = measured[e];
          measured[e] = exact[e] = NAN;
          continue;
        }
      for (int k = 0; k < 2; k++)
        if (vi_bbvi_variance_coord_ok (st, d, k))
          {
            lo = MIN (lo, vi_bbvi_variance_coord (st, d, k));
            hi = MAX (hi, vi_bbvi_variance_coord (st, d, k));
          }
    }
  vi_panel_set_title (panel, title);
  vi_panel_set_axis_label (panel, VI_AXIS_X, _("estimator"));
  vi_panel_set_scale (panel, VI_AXIS_X, VI_SCALE_LINEAR);
  vi_panel_set_categories (panel, cats);
  vi_series_set_color_index (vi_panel_add_bars (panel, _("measured"), measured, NULL,
                                                VI_BBVI_N_PUBLIC_ESTIMATORS), 5);
  vi_series_set_color_index (vi_panel_add_bars (panel, _("exact"), exact, NULL,
                                                VI_BBVI_N_PUBLIC_ESTIMATORS), 1);
  bars_data_names (panel, NULL, NULL, VI_BBVI_N_PUBLIC_ESTIMATORS);
  if (!isfinite (lo))
    return;
  /* Whole decades, with one of room below the lowest bar. */
  lo = pow (10, floor (log10 (lo)) - 1);
  hi = pow (10, ceil (log10 (hi * 1.5)));
  vi_panel_set_range (panel, VI_AXIS_Y, lo, hi);
  if (isfinite (suff))
    variance_suff_note (panel, VI_BBVI_CV_SUFF - 0.45, lo * 2, MAX (suff, 0), MAX (suff, 0));
}

/* Whether cv-suff's measured variance at @p is rounding error (positive
 * but below VI_BBVI_VIEW_SUFF_OFF_AXIS × naive's) or exactly 0: a note,
 * not a point on the axis. */
static gboolean
suff_off_axis (const ViBbviVariancePoint *p,
               size_t                     d)
{
  const ViBbviVarianceStat *st = &p->est[VI_BBVI_CV_SUFF];
  double naive = vi_bbvi_variance_coord (&p->est[VI_BBVI_NAIVE], d, FALSE);

  return st->defined && !(vi_bbvi_variance_coord (st, d, FALSE)
                          >= VI_BBVI_VIEW_SUFF_OFF_AXIS * naive);
}

static double
point_x (const ViBbviVariancePoint *p,
         const ViViewContext       *ctx)
{
  return ctx->sweep_theta ? p->theta : (double) p->samples;
}

static void
variance_sweep (ViPanel              *panel,
                const ViBbviSnapshot *v,
                const ViViewContext  *ctx,
                size_t                d)
{
  double lo = INFINITY, hi = -INFINITY, suff_lo = INFINITY, suff_hi = -INFINITY;

  for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
    {
      g_autofree double *sx = g_new (double, v->n_points);
      g_autofree double *ex = g_new (double, v->n_points);
      g_autofree double *mx = g_new (double, v->n_points);
      g_autofree double *my = g_new (double, v->n_points);
      guint color = vi_bbvi_estimator_color ((ViBbviEstimator) e);
      gsize ne = 0, nm = 0;
      ViSeries *series;

      for (size_t i = 0; i < v->n_points; i++)
        {
          const ViBbviVarianceStat *st = &v->points[i].est[e];

          double var = vi_bbvi_variance_coord (st, d, FALSE);
          double var_exact = vi_bbvi_variance_coord (st, d, TRUE);

          /* cv-suff: a note when it is rounding error, else a curve. */
          if (e == VI_BBVI_CV_SUFF && suff_off_axis (&v->points[i], d))
            {
              if (vi_bbvi_variance_coord_ok (st, d, FALSE))
                {
                  suff_lo = MIN (suff_lo, var);
                  suff_hi = MAX (suff_hi, var);
                }
              continue;
            }
          if (vi_bbvi_variance_coord_ok (st, d, TRUE))
            {
              sx[ne] = point_x (&v->points[i], ctx);
              ex[ne++] = var_exact;
              lo = MIN (lo, var_exact);
              hi = MAX (hi, var_exact);
            }
          if (vi_bbvi_variance_coord_ok (st, d, FALSE))
            {
              mx[nm] = point_x (&v->points[i], ctx);
              my[nm++] = var;
              lo = MIN (lo, var);
              hi = MAX (hi, var);
            }
        }
      if (ne == 0 && nm == 0 && e == VI_BBVI_CV_SUFF)
        continue;
      series = vi_panel_add_line (panel, vi_bbvi_estimator_get_name ((ViBbviEstimator) e),
                                  sx, ex, ne);
      vi_view_style (series, ctx, color, 1, VI_DASH_SOLID, 1.6);
      series = vi_panel_add_scatter (panel, NULL, mx, my, nm);
      vi_view_data_name (series, "%s measured", vi_bbvi_estimator_get_name ((ViBbviEstimator) e));
      vi_series_set_color_index (series, color);
      vi_series_set_marker (series, VI_MARKER_CIRCLE, vi_view_line_width (ctx, 8));
      vi_series_set_show_in_legend (series, FALSE);
    }
  if (!isfinite (lo))
    return;
  vi_panel_set_range (panel, VI_AXIS_Y, lo / 20, hi * 3);
  if (!ctx->sweep_theta)
    vi_panel_set_range (panel, VI_AXIS_X, 1.5, 1500);
  if (isfinite (suff_lo) && !ctx->sweep_theta)
    variance_suff_note (panel, 2.0, lo / 20 * 2.2, suff_lo, suff_hi);
}

/* Panel of coordinate d (a one-parameter family: the only panel). */
static void
variance_panel (ViPanel              *panel,
                const ViBbviSnapshot *snap,
                const ViViewContext  *ctx,
                size_t                d)
{
  const char *name = coord_name (snap, d);
  g_autofree char *title = NULL, *ylabel = NULL, *ydata = NULL;

  vi_view_panel_reset (panel);
  vi_panel_set_scale (panel, VI_AXIS_X, VI_SCALE_LOG10);
  vi_panel_set_scale (panel, VI_AXIS_Y, VI_SCALE_LOG10);
  vi_panel_set_axis_label (panel, VI_AXIS_X, ctx->sweep_theta ? "θ" : _("samples S"));
  if (name == NULL)
    {
      ylabel = g_strdup (_("variance of the dELBO/dθ estimate"));
      ydata = g_strdup ("variance of the dELBO/dθ estimate");
    }
  else
    {
      /* Translators: %s is a parameter name (shape, rate, mu, sigma2) */
      ylabel = g_strdup_printf (_("variance of the ∂ELBO/∂%s estimate"), name);
      ydata = g_strdup_printf ("variance of the ∂ELBO/∂%s estimate", name);
    }
  vi_panel_set_axis_label (panel, VI_AXIS_Y, ylabel);
  vi_panel_set_axis_data_name (panel, VI_AXIS_X, ctx->sweep_theta ? "θ" : "samples S");
  vi_panel_set_axis_data_name (panel, VI_AXIS_Y, ydata);
  vi_panel_set_legend (panel, VI_LEGEND_TOP_RIGHT);
  if (snap == NULL || snap->n_points == 0)
    {
      vi_panel_set_title (panel, ctx->measuring
                                 ? _("Gradient variance against S — measuring…")
                                 : _("Gradient variance against S — press Measure"));
      return;
    }
  if (snap->n_points == 1)
    {
      variance_bars (panel, snap, d);
      return;
    }
  if (ctx->sweep_theta)
    title = g_strdup_printf ("Gradient variance against θ at S = %zu (dots: measured, R = %zu; "
                             "lines: exact)", snap->points[0].samples, snap->points[0].repeats);
  else if (name == NULL)
    /* Translators: %.4g is θ, %u the number of repeats */
    title = g_strdup_printf (_("Gradient variance against S at θ = %.4g (dots: measured, R = %u; "
                               "lines: exact)"), snap->points[0].theta,
                             (guint) snap->points[0].repeats);
  else
    /* Translators: %s is a parameter name; the panel's title */
    title = g_strdup_printf (_("∂ELBO/∂%s against S"), name);
  vi_panel_set_title (panel, title);
  variance_sweep (panel, snap, ctx, d);
}

void
vi_bbvi_variance_view_build (ViFigure             *fig,
                             const ViBbviSnapshot *snap,
                             const ViViewContext  *ctx)
{
  guint cols = MIN (vi_bbvi_variance_view_cols (snap), vi_figure_get_n_cols (fig));

  vi_view_begin (fig, ctx);
  for (guint d = 0; d < vi_figure_get_n_cols (fig); d++)
    {
      if (d < cols)
        variance_panel (vi_figure_get_panel (fig, 0, d), snap, ctx, d);
      else
        vi_view_panel_reset (vi_figure_get_panel (fig, 0, d));
    }
}

/* ---- variance reduction -------------------------------------------------- */

const ViBbviVariancePoint *
vi_bbvi_ratio_view_point (const ViBbviSnapshot *snap,
                          double                samples)
{
  double want = log (samples);
  const ViBbviVariancePoint *best = NULL;

  if (snap == NULL)
    return NULL;
  for (size_t i = 0; i < snap->n_points; i++)
    if (best == NULL || fabs (log ((double) snap->points[i].samples) - want)
                        < fabs (log ((double) best->samples) - want))
      best = &snap->points[i];
  return best;
}

static void
ratio_labels (ViPanel               *panel,
              const double          *measured,
              const double          *exact,
              const ViBbviEstimator *which,
              gsize                  n,
              double                 clip)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *text = NULL;
      double shown_at = MIN (MAX (measured[i], exact[i]), clip);

      if (which[i] == VI_BBVI_CV_SUFF || !(measured[i] < clip))
        {
          g_autofree char *power = vi_ticks_format (pow (10, round (log10 (measured[i]))), 1,
                                                    TRUE);

          /* Translators: %s is a power of ten; the ratio is too large to draw */
          text = g_strdup_printf (_("≈%s× (off scale)"), power);
        }
      else
        text = g_strdup_printf ("%.1f× / %.1f×", measured[i], exact[i]);
      vi_panel_add_text (panel, (double) i - 0.38, MIN (shown_at * 1.6, clip * 1.4), text);
    }
}

static void
ratio_panel (ViPanel                   *panel,
             const ViBbviSnapshot      *snap,
             const ViBbviVariancePoint *p,
             size_t                     d)
{
  const char *labels[VI_BBVI_N_PUBLIC_ESTIMATORS + 1] = { NULL };
  double measured[VI_BBVI_N_PUBLIC_ESTIMATORS], exact[VI_BBVI_N_PUBLIC_ESTIMATORS];
  double mc[VI_BBVI_N_PUBLIC_ESTIMATORS], ec[VI_BBVI_N_PUBLIC_ESTIMATORS];
  ViBbviEstimator which[VI_BBVI_N_PUBLIC_ESTIMATORS];
  const ViBbviVarianceStat *naive = p != NULL ? &p->est[VI_BBVI_NAIVE] : NULL;
  const char *name = coord_name (snap, d);
  double top = 10, clip;
  gsize n = 0;
  g_autofree char *title = NULL;

  vi_view_panel_reset (panel);
  vi_panel_set_scale (panel, VI_AXIS_Y, VI_SCALE_LOG10);
  vi_panel_set_axis_label (panel, VI_AXIS_Y, _("naive variance ÷ variance"));
  vi_panel_set_axis_data_name (panel, VI_AXIS_Y, "naive variance ÷ variance");
  vi_panel_set_legend (panel, VI_LEGEND_TOP_LEFT);
  if (p == NULL || !vi_bbvi_variance_coord_ok (naive, d, FALSE)
      || !vi_bbvi_variance_coord_ok (naive, d, TRUE))
    {
      vi_panel_set_title (panel, _("Variance reduction"));
      return;
    }
  if (name == NULL)
    /* Translators: %zu is S, %.4g is θ */
    title = g_strdup_printf (_("Variance reduction at S = %zu, θ = %.4g"), p->samples, p->theta);
  else
    /* Translators: %s is a parameter name, %zu is S */
    title = g_strdup_printf (_("∂ELBO/∂%s at S = %zu"), name, p->samples);
  vi_panel_set_title (panel, title);
  for (int e = VI_BBVI_CV; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
    {
      const ViBbviVarianceStat *st = &p->est[e];

      if (!st->defined)
        continue;
      which[n] = (ViBbviEstimator) e;
      labels[n] = vi_bbvi_estimator_get_name ((ViBbviEstimator) e);
      measured[n] = vi_bbvi_variance_coord (naive, d, FALSE)
                    / vi_bbvi_variance_coord (st, d, FALSE);
      exact[n] = vi_bbvi_variance_coord (naive, d, TRUE) / vi_bbvi_variance_coord (st, d, TRUE);
      if (e != VI_BBVI_CV_SUFF)
        top = MAX (top, MAX (measured[n], exact[n]));
      n++;
    }
  labels[n] = NULL;
  vi_panel_set_categories (panel, labels);
  clip = top * 8;
  for (gsize i = 0; i < n; i++)
    {
      mc[i] = isfinite (measured[i]) && measured[i] > 0 ? MIN (measured[i], clip) : clip;
      ec[i] = isfinite (exact[i]) && exact[i] > 0 ? MIN (exact[i], clip) : clip;
    }
  vi_series_set_color_index (vi_panel_add_bars (panel, _("measured"), mc, NULL, n), 5);
  vi_series_set_color_index (vi_panel_add_bars (panel, _("exact"), ec, NULL, n), 1);
  bars_data_names (panel, measured, exact, n);
  ratio_labels (panel, measured, exact, which, n, clip);
  vi_panel_set_range (panel, VI_AXIS_Y, 1, clip * 3);
}

void
vi_bbvi_ratio_view_build (ViFigure             *fig,
                          const ViBbviSnapshot *snap,
                          const ViViewContext  *ctx)
{
  const ViBbviVariancePoint *p = vi_bbvi_ratio_view_point (snap, ctx->samples);
  guint rows = MIN (vi_bbvi_variance_view_cols (snap), vi_figure_get_n_rows (fig));

  vi_view_begin (fig, ctx);
  for (guint d = 0; d < vi_figure_get_n_rows (fig); d++)
    {
      if (d < rows)
        ratio_panel (vi_figure_get_panel (fig, d, 0), snap, p, d);
      else
        vi_view_panel_reset (vi_figure_get_panel (fig, d, 0));
    }
}
