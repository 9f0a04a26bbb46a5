/* vi-expfam-views.c — the figures of an exponential family
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The closed-form parts come from src/core/vi-expfam.c, the draws from the
 * "expfam" job's snapshot (its plot range and binning), for the expfam page
 * and `elbo-lab-cli expfam --plot` alike.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "vi-expfam-views.h"

#define N_CURVE 400

guint64
vi_expfam_view_batch (guint64 n)
{
  /* About 100 steps per run, so the histogram visibly fills, but at most
   * 2·10⁵ draws (a few ms) per step so the plots keep moving. */
  return CLAMP (n / 100, 1, 200000);
}

ViExpfamSnapshot *
vi_expfam_view_preview (const ViExpfam *fam,
                        const double   *theta,
                        guint64         n)
{
  const char *const *names = vi_expfam_get_param_names (fam);
  g_autoptr(GVariant) params = NULL;
  g_autoptr(GError) error = NULL;
  ViExpfamSnapshot *snap;
  GVariantBuilder b;
  ViJob *job;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "family", g_variant_new_string (vi_expfam_get_name (fam)));
  for (guint i = 0; names[i] != NULL; i++)
    g_variant_builder_add (&b, "{sv}", names[i], g_variant_new_double (theta[i]));
  g_variant_builder_add (&b, "{sv}", "n", g_variant_new_int64 ((gint64) MAX (n, 2)));
  params = g_variant_ref_sink (g_variant_builder_end (&b));
  job = vi_job_create (&vi_expfam_job_type, params, &error);
  if (job == NULL)
    return NULL;
  snap = vi_job_snapshot (job);
  vi_job_free (job);
  return snap;
}

/* ---- density ------------------------------------------------------------- */

static void
density_curve (const ViExpfam *fam,
               const double   *theta,
               double          lo,
               double          hi,
               double         *x,
               double         *y,
               gsize          *n)
{
  double eta[VI_EXPFAM_MAX_DIM];

  vi_expfam_natural (fam, theta, eta);
  if (vi_expfam_is_discrete (fam))
    {
      gsize k = 0;
      for (double v = ceil (lo); v <= hi && k < N_CURVE; v += 1, k++)
        {
          x[k] = v;
          y[k] = exp (vi_expfam_log_density (fam, eta, v));
        }
      *n = k;
      return;
    }
  for (gsize i = 0; i < N_CURVE; i++)
    {
      double v = lo + (hi - lo) * i / (N_CURVE - 1);
      double ld = vi_expfam_log_density (fam, eta, v);

      x[i] = v;
      y[i] = isfinite (ld) ? exp (ld) : (ld < 0 ? 0 : NAN);
    }
  *n = N_CURVE;
}

/* The snapshot's histogram as densities over its edges; FALSE when empty. */
static gboolean
histogram_density (const ViExpfamSnapshot *sn,
                   double                 *edges,
                   double                 *dens)
{
  double width;

  if (sn->n_drawn == 0 || sn->n_bins == 0)
    return FALSE;
  width = (sn->hi - sn->lo) / sn->n_bins;
  for (guint b = 0; b <= sn->n_bins; b++)
    edges[b] = sn->lo + b * width;
  for (guint b = 0; b < sn->n_bins; b++)
    dens[b] = sn->counts[b] / ((double) sn->n_drawn * width);
  return TRUE;
}

void
vi_expfam_density_view_build (ViFigure               *fig,
                              const ViExpfamSnapshot *snap,
                              const ViViewContext    *ctx)
{
  ViPanel *panel = vi_view_begin (fig, ctx);
  gboolean discrete = vi_expfam_is_discrete (snap->fam);
  double edges[VI_EXPFAM_JOB_MAX_BINS + 1], dens[VI_EXPFAM_JOB_MAX_BINS];
  double x[N_CURVE], y[N_CURVE], lo, hi;
  gsize n;
  ViSeries *s;

  vi_expfam_job_plot_range (snap->fam, snap->theta, &lo, &hi);
  vi_view_panel_reset (panel);
  vi_panel_set_title (panel, discrete ? _("Probability mass p(x | θ) and a histogram of the draws")
                                      : _("Density p(x | θ) and a histogram of the draws"));
  vi_panel_set_axis_label (panel, VI_AXIS_X, "x");
  vi_panel_set_axis_label (panel, VI_AXIS_Y, discrete ? _("probability") : _("density"));
  vi_panel_set_axis_data_name (panel, VI_AXIS_Y, discrete ? "probability" : "density");
  vi_panel_set_range (panel, VI_AXIS_X, lo, hi);

  for (guint k = 0; k < ctx->n_history; k++)
    {
      const ViExpfamSnapshot *e = ctx->history[k].snapshot;
      gboolean e_discrete = vi_expfam_is_discrete (e->fam);

      density_curve (e->fam, e->theta, lo, hi, x, y, &n);
      s = e_discrete ? vi_panel_add_scatter (panel, ctx->history[k].label, x, y, n)
                     : vi_panel_add_line (panel, ctx->history[k].label, x, y, n);
      vi_view_history_style (s, ctx, ctx->history[k].slot, 0.6, 1.3);
      vi_series_set_legend_group (s, ctx->history[k].label);
      if (e_discrete)
        vi_series_set_marker (s, VI_MARKER_DIAMOND, vi_view_line_width (ctx, 6));
    }

  if (histogram_density (snap, edges, dens))
    {
      /* A format macro inside _() would cut the msgid for xgettext. */
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, snap->n_drawn);
      /* Translators: %s is a number of random draws */
      g_autofree char *name = g_strdup_printf (_("histogram of %s draws"), count);

      s = vi_panel_add_histogram (panel, name, edges, dens, snap->n_bins);
      vi_view_data_name (s, "histogram of %s draws", count);
      vi_series_set_color_index (s, 1);
      vi_series_set_alpha (s, 0.55);
    }

  density_curve (snap->fam, snap->theta, lo, hi, x, y, &n);
  if (discrete)
    {
      s = vi_panel_add_scatter (panel, _("p(x | θ)"), x, y, n);
      vi_series_set_marker (s, VI_MARKER_CIRCLE, vi_view_line_width (ctx, 8));
    }
  else
    s = vi_panel_add_line (panel, _("p(x | θ)"), x, y, n);
  vi_series_set_data_name (s, "p(x | θ)");
  vi_view_style (s, ctx, 5, 1, VI_DASH_SOLID, 2.5);
}

/* ---- log-partition ------------------------------------------------------- */

static void
lp_curve (const ViExpfam *fam,
          const double   *eta0,
          guint           k,
          double          lo,
          double          hi,
          double         *x,
          double         *y)
{
  for (gsize i = 0; i < N_CURVE; i++)
    {
      double eta[VI_EXPFAM_MAX_DIM] = { eta0[0], eta0[1] };

      eta[k] = lo + (hi - lo) * i / (N_CURVE - 1);
      x[i] = eta[k];
      y[i] = vi_expfam_check_natural (fam, eta, NULL) ? vi_expfam_log_partition (fam, eta) : NAN;
    }
}

static const char *
coordinate_suffix (const ViExpfam *fam,
                   guint           k)
{
  return vi_expfam_get_dim (fam) == 1 ? "" : (k == 0 ? "₁" : "₂");
}

/* The tangent would stretch the y axis far beyond the curve. */
static void
lp_range (ViPanel      *panel,
          const double *y)
{
  double ymin = INFINITY, ymax = -INFINITY, pad;

  for (gsize i = 0; i < N_CURVE; i++)
    if (isfinite (y[i]))
      {
        ymin = MIN (ymin, y[i]);
        ymax = MAX (ymax, y[i]);
      }
  if (isfinite (ymin) && isfinite (ymax))
    {
      pad = 0.08 * MAX (ymax - ymin, 1e-6);
      vi_panel_set_range (panel, VI_AXIS_Y, ymin - pad, ymax + pad);
    }
}

void
vi_expfam_logpartition_view_build (ViFigure               *fig,
                                   const ViExpfamSnapshot *snap,
                                   const ViViewContext    *ctx)
{
  ViPanel *panel = vi_view_begin (fig, ctx);
  const ViExpfam *fam = snap->fam;
  guint k = ctx->coordinate < vi_expfam_get_dim (fam) ? ctx->coordinate : 0;
  double eta[VI_EXPFAM_MAX_DIM], mean[VI_EXPFAM_MAX_DIM];
  double x[N_CURVE], y[N_CURVE], t[N_CURVE], hx[N_CURVE], hy[N_CURVE];
  double span, lo, hi, a0;
  g_autofree char *xlabel = NULL, *tangent = NULL;
  ViSeries *s;

  vi_expfam_natural (fam, snap->theta, eta);
  vi_expfam_mean_sufficient (fam, eta, mean);
  a0 = vi_expfam_log_partition (fam, eta);
  span = MAX (2.0, 1.5 * fabs (eta[k]));
  lo = eta[k] - span;
  hi = eta[k] + span;

  vi_view_panel_reset (panel);
  xlabel = g_strdup_printf ("η%s", coordinate_suffix (fam, k));
  vi_panel_set_title (panel, _("Log-partition a(η)"));
  vi_panel_set_axis_label (panel, VI_AXIS_X, xlabel);
  vi_panel_set_axis_label (panel, VI_AXIS_Y, "a(η)");
  vi_panel_set_range (panel, VI_AXIS_X, lo, hi);

  lp_curve (fam, eta, k, lo, hi, x, y);
  for (guint h = 0; h < ctx->n_history; h++)
    {
      const ViExpfamSnapshot *e = ctx->history[h].snapshot;

      if (e->fam != fam)
        continue;
      lp_curve (e->fam, e->eta, k, lo, hi, hx, hy);
      s = vi_panel_add_line (panel, ctx->history[h].label, hx, hy, N_CURVE);
      vi_view_history_style (s, ctx, ctx->history[h].slot, 0.5, 1.2);
      vi_series_set_show_in_legend (s, FALSE);
      vi_series_set_legend_group (s, ctx->history[h].label);
    }
  s = vi_panel_add_line (panel, "a(η)", x, y, N_CURVE);
  vi_view_style (s, ctx, 5, 1, VI_DASH_SOLID, 2.5);

  for (gsize i = 0; i < N_CURVE; i++)
    t[i] = a0 + mean[k] * (x[i] - eta[k]);
  /* Translators: %s is t₁ or t₂, %.3g its expectation */
  tangent = g_strdup_printf (_("tangent: slope E[t%s] = %.4g"), coordinate_suffix (fam, k),
                             mean[k]);
  s = vi_panel_add_line (panel, tangent, x, t, N_CURVE);
  vi_view_data_name (s, "tangent: slope E[t%s]", coordinate_suffix (fam, k));
  vi_view_style (s, ctx, 7, 1, VI_DASH_SOLID, 1.5);
  vi_series_set_dash (s, VI_DASH_DASHED);

  s = vi_panel_add_scatter (panel, _("current η"), &eta[k], &a0, 1);
  vi_series_set_data_name (s, "current η");
  vi_series_set_color_index (s, 5);
  vi_series_set_marker (s, VI_MARKER_CIRCLE, vi_view_line_width (ctx, 9));
  vi_series_set_show_in_legend (s, FALSE);

  lp_range (panel, y);
  vi_panel_set_legend (panel, VI_LEGEND_TOP_LEFT);
}

/* ---- Fisher information -------------------------------------------------- */

static const char *entry_names[] = { "I₁₁", "I₁₂", "I₂₂" };

static void
fisher_history (ViPanel             *panel,
                const ViViewContext *ctx)
{
  for (guint h = 0; h < ctx->n_history; h++)
    {
      const ViExpfamSnapshot *sn = ctx->history[h].snapshot;
      size_t dd = sn->dim * sn->dim;
      g_autofree double *yy = g_new (double, MAX (1, sn->trace_len));
      g_autofree double *xx = g_new (double, MAX (1, sn->trace_len));
      ViSeries *s;

      for (guint i = 0; i < sn->trace_len; i++)
        {
          xx[i] = sn->trace_n[i];
          yy[i] = sn->trace_fisher[i * dd] / sn->fisher_eta[0];
        }
      s = vi_panel_add_line (panel, ctx->history[h].label, xx, yy, sn->trace_len);
      vi_view_history_style (s, ctx, ctx->history[h].slot, 0.45, 1.2);
      vi_series_set_show_in_legend (s, FALSE);
      vi_series_set_legend_group (s, ctx->history[h].label);
    }
}

/* The Monte-Carlo trace of entry (i, j) divided by @scale. */
static void
fisher_trace (ViPanel                *panel,
              const ViExpfamSnapshot *sn,
              const ViViewContext    *ctx,
              size_t                  i,
              size_t                  j,
              double                  scale,
              const char             *name,
              guint                   color)
{
  size_t d = sn->dim;
  g_autofree double *raw = g_new (double, sn->trace_len);
  g_autofree double *smooth = g_new (double, sn->trace_len);
  g_autofree double *xx = g_new (double, sn->trace_len);
  g_autofree char *label = g_strdup_printf (_("%s Monte Carlo"), name);
  ViSeries *s;

  for (guint k = 0; k < sn->trace_len; k++)
    {
      xx[k] = sn->trace_n[k];
      raw[k] = sn->trace_fisher[k * d * d + i * d + j] / scale;
    }
  if (ctx->smoothing > 0)
    {
      vi_ema_smooth (smooth, raw, sn->trace_len, ctx->smoothing);
      s = vi_panel_add_line (panel, NULL, xx, raw, sn->trace_len);
      vi_view_data_name (s, "%s Monte Carlo (raw)", name);
      vi_series_set_color_index (s, color);
      vi_series_set_alpha (s, 0.25);
      vi_series_set_show_in_legend (s, FALSE);
      s = vi_panel_add_line (panel, label, xx, smooth, sn->trace_len);
    }
  else
    s = vi_panel_add_line (panel, label, xx, raw, sn->trace_len);
  vi_view_data_name (s, "%s Monte Carlo", name);
  vi_view_style (s, ctx, color, 1, VI_DASH_SOLID, 2);
}

void
vi_expfam_fisher_view_build (ViFigure               *fig,
                             const ViExpfamSnapshot *snap,
                             const ViViewContext    *ctx)
{
  ViPanel *panel = vi_view_begin (fig, ctx);
  size_t d = vi_expfam_get_dim (snap->fam);
  double eta[VI_EXPFAM_MAX_DIM], fisher[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];
  guint64 n = snap->n_total;
  ViSeries *s;

  vi_expfam_natural (snap->fam, snap->theta, eta);
  vi_expfam_fisher_natural (snap->fam, eta, fisher);

  vi_view_panel_reset (panel);
  /* A log axis spreads the draws evenly over the 1/√n convergence. */
  vi_panel_set_title (panel, _("Fisher information I(η), Monte Carlo"));
  vi_panel_set_axis_label (panel, VI_AXIS_X, _("draws n"));
  vi_panel_set_axis_data_name (panel, VI_AXIS_X, "draws n");
  vi_panel_set_axis_markup (panel, VI_AXIS_Y,
                            "Î<sub>ij</sub> / √(I<sub>ii</sub> I<sub>jj</sub>)");
  vi_panel_set_scale (panel, VI_AXIS_X, VI_SCALE_LOG10);
  vi_panel_set_range (panel, VI_AXIS_X, MAX (2, vi_expfam_view_batch (n)), MAX (10, n));
  fisher_history (panel, ctx);

  for (size_t i = 0, e = 0; i < d; i++)
    for (size_t j = i; j < d; j++, e++)
      {
        double scale = sqrt (fisher[i * d + i] * fisher[j * d + j]);
        const char *name = d == 1 ? "I" : entry_names[i + j];
        guint color = (guint) (e == 0 ? 0 : e == 1 ? 2 : 4);
        g_autofree char *label = NULL;

        if (snap->trace_len > 0)
          fisher_trace (panel, snap, ctx, i, j, scale, name, color);
        /* Scaled diagonals are all exactly 1: one reference line for them. */
        if (i == j && i > 0)
          continue;
        label = g_strdup_printf (_("%s closed form"), d == 2 && i == j ? "I₁₁, I₂₂" : name);
        s = vi_panel_add_hline (panel, label, fisher[i * d + j] / scale);
        vi_view_data_name (s, "%s closed form", d == 2 && i == j ? "I₁₁, I₂₂" : name);
        vi_view_style (s, ctx, i == j ? 7 : color, 1, VI_DASH_SOLID, 1.2);
        vi_series_set_dash (s, VI_DASH_DASHED);
      }
}

/* ---- the CLI's figure ----------------------------------------------------- */

/* E[x]: exact from a sufficient statistic t_k(x) = x, else the closed forms
 * of the two families without one. */
static double
mean_of_x (const ViExpfamSnapshot *snap)
{
  const char *const *stats = vi_expfam_get_stat_names (snap->fam);
  const char *name = vi_expfam_get_name (snap->fam);

  for (guint k = 0; stats[k] != NULL; k++)
    if (strcmp (stats[k], "x") == 0)
      return snap->mean_t[k];
  if (strcmp (name, "lognormal") == 0)
    return exp (snap->theta[0] + snap->theta[1] / 2);
  if (strcmp (name, "beta") == 0)
    return snap->theta[0] / (snap->theta[0] + snap->theta[1]);
  return NAN;
}

static char *
title_of (const ViExpfamSnapshot *snap)
{
  const char *const *names = vi_expfam_get_param_names (snap->fam);
  GString *t = g_string_new (vi_expfam_get_name (snap->fam));

  g_string_append_c (t, '(');
  for (guint k = 0; names[k] != NULL; k++)
    g_string_append_printf (t, "%s%s = %g", k ? ", " : "", names[k], snap->theta[k]);
  g_string_append_c (t, ')');
  return g_string_free (t, FALSE);
}

/* Discrete: one bar per integer of the snapshot's bins (centred on them). */
static void
draws_pmf (ViPanel                *p,
           const ViExpfamSnapshot *snap,
           const char             *draws_name,
           const char             *mean_label,
           double                  mean)
{
  double kmin = snap->lo + 0.5;
  gsize n = snap->n_bins > 0 ? snap->n_bins : (gsize) MAX (1, round (snap->hi - snap->lo));
  g_autofree double *pmf = g_new (double, n);
  g_autofree double *freq = g_new (double, n);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < n; i++)
    {
      pmf[i] = exp (vi_expfam_log_density (snap->fam, snap->eta, kmin + i));
      freq[i] = snap->n_drawn > 0 && i < snap->n_bins ? snap->counts[i] / snap->n_drawn : 0;
      g_ptr_array_add (labels, g_strdup_printf ("%g", kmin + i));
    }
  g_ptr_array_add (labels, NULL);
  vi_panel_set_categories (p, (const char *const *) labels->pdata);
  vi_panel_set_axis_label (p, VI_AXIS_Y, "probability");
  vi_panel_add_bars (p, "pmf p(x)", pmf, NULL, n);
  if (draws_name != NULL)
    vi_panel_add_bars (p, draws_name, freq, NULL, n);
  /* Bars sit at category indices, so the mean moves with them. */
  vi_series_set_data_name (vi_panel_add_vline (p, mean_label, mean - kmin), "mean");
}

void
vi_expfam_draws_view_build (ViFigure               *fig,
                            const ViExpfamSnapshot *snap,
                            const ViViewContext    *ctx)
{
  ViPanel *p = vi_view_begin (fig, ctx);
  double mean = mean_of_x (snap);
  g_autofree char *title = title_of (snap);
  g_autofree char *mean_label = g_strdup_printf ("mean %.4g", mean);
  g_autofree char *draws_name = NULL;

  vi_figure_set_title (fig, title);
  vi_view_panel_reset (p);
  vi_panel_set_axis_label (p, VI_AXIS_X, "x");
  if (snap->n_drawn > 0)
    draws_name = g_strdup_printf ("%" G_GUINT64_FORMAT " draws", snap->n_drawn);
  if (vi_expfam_is_discrete (snap->fam))
    {
      draws_pmf (p, snap, draws_name, mean_label, mean);
      return;
    }
  vi_panel_set_axis_label (p, VI_AXIS_Y, "density");
  vi_panel_set_range (p, VI_AXIS_X, snap->lo, snap->hi);
  {
    double edges[VI_EXPFAM_JOB_MAX_BINS + 1], dens[VI_EXPFAM_JOB_MAX_BINS];
    double x[N_CURVE], y[N_CURVE];
    gsize n;

    if (histogram_density (snap, edges, dens))
      vi_series_set_color_index (vi_panel_add_histogram (p, draws_name, edges, dens,
                                                         snap->n_bins), 5);
    density_curve (snap->fam, snap->theta, snap->lo, snap->hi, x, y, &n);
    vi_series_set_color_index (vi_panel_add_line (p, "density p(x)", x, y, n), 0);
  }
  vi_series_set_data_name (vi_panel_add_vline (p, mean_label, mean), "mean");
}
