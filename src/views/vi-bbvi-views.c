/* vi-bbvi-views.c — the figures of black-box VI
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawn by the bbvi page (one figure per tab) and by `elbo-lab-cli bbvi
 * --plot` (the overview, or the variance figure), from the same code.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "vi-bbvi-views.h"

#define N_CURVE 300

/* Okabe–Ito slots (vi-palette.c): vermillion, blue, bluish green, reddish
 * purple. */
static const guint est_colors[VI_BBVI_N_PUBLIC_ESTIMATORS] = { 3, 0, 2, 4 };

guint
vi_bbvi_estimator_color (ViBbviEstimator estimator)
{
  return (guint) estimator < G_N_ELEMENTS (est_colors) ? est_colors[estimator] : 7;
}

static const ViBbviSnapshot *
history_snap (const ViViewContext *ctx,
              guint                h)
{
  return ctx->history[h].snapshot;
}

static ViSeries *
add_reference (ViPanel             *panel,
               const ViViewContext *ctx,
               const char          *label,
               double               y,
               ViDash               dash,
               double               width)
{
  ViSeries *series = vi_panel_add_hline (panel, _(label), y);

  vi_series_set_data_name (series, label);
  vi_view_style (series, ctx, 7, 1, dash, width);
  return series;
}

/* ---- ELBO ---------------------------------------------------------------- */

static char *
trace_label (const ViViewRun   *run,
             const ViBbviTrace *t)
{
  const ViBbviSnapshot *s = run->snapshot;

  if (s->n_traces == 1)
    return g_strdup (run->label);
  return g_strdup_printf ("%s · %s", run->label, vi_bbvi_estimator_get_name (t->estimator));
}

/* A faint line of earlier run @h's trace @t (its run's dash), in its run's legend
 * group but without an entry of its own; its data name is "@prefix<estimator>
 * (earlier run)". */
static void
history_line (ViPanel             *panel,
              const ViViewContext *ctx,
              guint                h,
              const ViBbviTrace   *t,
              const char          *prefix,
              const double        *x,
              const double        *y,
              size_t               n)
{
  ViSeries *series = vi_panel_add_line (panel, NULL, x, y, n);

  vi_view_data_name (series, "%s%s (earlier run)", prefix,
                     vi_bbvi_estimator_get_name (t->estimator));

  vi_view_style (series, ctx, vi_bbvi_estimator_color (t->estimator), 0.4,
                 vi_view_history_dash (ctx->history[h].slot), 1.2);
  vi_series_set_show_in_legend (series, FALSE);
  vi_series_set_legend_group (series, ctx->history[h].label);
}

static void
extend (double       *lo,
        double       *hi,
        const double *y,
        size_t        n)
{
  for (size_t i = 0; i < n; i++)
    if (isfinite (y[i]))
      {
        *lo = MIN (*lo, y[i]);
        *hi = MAX (*hi, y[i]);
      }
}

/* The axes of a per-iteration panel: iteration (over @s's run) against
 * @ylabel on a @scale axis. Returns whether there is a snapshot to draw. */
static gboolean
iteration_axes (ViPanel              *panel,
                const ViBbviSnapshot *s,
                const char           *title,
                const char           *ylabel,
                const char           *ydata,
                ViScale               scale,
                ViLegendPosition      legend)
{
  vi_view_panel_reset (panel);
  vi_panel_set_title (panel, title);
  vi_panel_set_axis_label (panel, VI_AXIS_X, _("iteration"));
  vi_panel_set_axis_label (panel, VI_AXIS_Y, ylabel);
  vi_panel_set_axis_data_name (panel, VI_AXIS_X, "iteration");
  vi_panel_set_axis_data_name (panel, VI_AXIS_Y, ydata);
  vi_panel_set_scale (panel, VI_AXIS_Y, scale);
  vi_panel_set_legend (panel, legend);
  if (s != NULL)
    vi_panel_set_range (panel, VI_AXIS_X, 0, MAX ((double) s->iterations, 10.0));
  return s != NULL;
}

/* Earlier run @h's trace @t as a faded line in its estimator's colour and
 * its run's dash (vi_view_history_dash), labelled by its run and
 * estimator, in its run's legend group. */
static void
earlier_run_line (ViPanel             *panel,
                  const ViViewContext *ctx,
                  guint                h,
                  const ViBbviTrace   *t,
                  const double        *y)
{
  g_autofree char *label = trace_label (&ctx->history[h], t);
  ViSeries *series = vi_panel_add_line (panel, label, t->iteration, y, t->len);

  vi_series_set_legend_group (series, ctx->history[h].label);
  vi_view_style (series, ctx, vi_bbvi_estimator_color (t->estimator), 0.45,
                 vi_view_history_dash (ctx->history[h].slot), 1.3);
}

static void
elbo_noisy (ViPanel              *panel,
            const ViBbviSnapshot *s,
            const ViViewContext  *ctx,
            double               *ymax)
{
  for (size_t k = 0; k < s->n_traces; k++)
    {
      const ViBbviTrace *t = &s->traces[k];
      guint color = vi_bbvi_estimator_color (t->estimator);
      g_autofree double *smooth = NULL;
      ViSeries *series;

      if (t->len == 0)
        continue;
      series = vi_panel_add_line (panel, NULL, t->iteration, t->elbo_estimate, t->len);
      vi_view_data_name (series, "%s estimate", vi_bbvi_estimator_get_name (t->estimator));
      vi_view_style (series, ctx, color, ctx->smoothing > 0 ? 0.07 : 0.35, VI_DASH_SOLID, 1.0);
      vi_series_set_show_in_legend (series, FALSE);
      if (ctx->smoothing > 0)
        {
          smooth = g_new (double, t->len);
          vi_ema_smooth (smooth, t->elbo_estimate, t->len, ctx->smoothing);
          series = vi_panel_add_line (panel, NULL, t->iteration, smooth, t->len);
          vi_view_data_name (series, "%s smoothed estimate",
                             vi_bbvi_estimator_get_name (t->estimator));
          for (size_t i = t->len / 10; i < t->len; i++)
            if (isfinite (smooth[i]))
              *ymax = MAX (*ymax, smooth[i]);
          vi_view_style (series, ctx, color, 0.5, VI_DASH_SOLID, 1.1);
          vi_series_set_show_in_legend (series, FALSE);
        }
    }
}

/* The start can be far below the optimum, and log p(x) far above the best
 * ELBO of a family without the posterior (Exponential: ~100 nats); keep the
 * part where the estimators differ readable and name the gap. */
static void
elbo_range (ViPanel              *panel,
            const ViBbviSnapshot *s,
            double                ymin,
            double                ymax)
{
  double lo, span, pad, hi;
  ViSeries *series;

  ymax = MAX (ymax, s->elbo_opt);
  if (!isfinite (ymin))
    return;
  lo = MAX (ymin, s->elbo_opt - 60.0);
  span = MAX (ymax - lo, 1.0);
  pad = 0.06 * span;
  hi = ymax + 2 * pad;
  if (s->log_evidence <= ymax + 0.6 * span)
    hi = MAX (hi, s->log_evidence + 2 * pad);
  else
    {
      /* Translators: %.4g is log p(x), %.3g a number of nats */
      g_autofree char *text = g_strdup_printf (_("log p(x) = %.4g, off the top: %.3g nats "
                                                 "above the best ELBO of this family"),
                                               s->log_evidence, s->log_evidence - s->elbo_opt);

      series = vi_panel_add_text (panel, 0.05 * MAX ((double) s->iterations, 10.0),
                                  lo + 0.1 * span, text);
      vi_series_set_color_index (series, 7);
    }
  vi_panel_set_range (panel, VI_AXIS_Y, lo - pad, hi);
}

static void
elbo_panel (ViPanel              *panel,
            const ViBbviSnapshot *s,
            const ViViewContext  *ctx)
{
  double ymin = INFINITY, ymax = -INFINITY;
  ViSeries *series;

  if (!iteration_axes (panel, s,
                       _("ELBO per estimator (exact; the noisy estimate smoothed, faint)"),
                       _("ELBO (nats)"), "ELBO (nats)", VI_SCALE_LINEAR, VI_LEGEND_BOTTOM_RIGHT))
    return;
  for (guint h = 0; h < ctx->n_history; h++)
    {
      const ViBbviSnapshot *hs = history_snap (ctx, h);

      for (size_t k = 0; k < hs->n_traces; k++)
        {
          const ViBbviTrace *t = &hs->traces[k];

          earlier_run_line (panel, ctx, h, t, t->elbo);
          extend (&ymin, &ymax, t->elbo, t->len);
        }
    }
  if (ctx->live)
    elbo_noisy (panel, s, ctx, &ymax);
  for (size_t k = 0; k < s->n_traces; k++)
    {
      const ViBbviTrace *t = &s->traces[k];
      g_autofree char *name = NULL;

      if (t->diverged)
        /* Translators: %s is an estimator name */
        name = g_strdup_printf (_("%s (diverged)"), vi_bbvi_estimator_get_name (t->estimator));
      else
        name = g_strdup (vi_bbvi_estimator_get_name (t->estimator));
      if (t->len > 0)
        series = vi_panel_add_line (panel, name, t->iteration, t->elbo, t->len);
      else
        {
          /* Before the run: the starting point. */
          double x0 = 0;

          series = vi_panel_add_scatter (panel, name, &x0, &t->current_elbo, 1);
          vi_series_set_marker (series, VI_MARKER_CIRCLE, vi_view_line_width (ctx, 8));
        }
      if (t->diverged)
        vi_view_data_name (series, "%s (diverged)", vi_bbvi_estimator_get_name (t->estimator));
      vi_view_style (series, ctx, vi_bbvi_estimator_color (t->estimator), 1, VI_DASH_SOLID, 2.2);
      extend (&ymin, &ymax, t->elbo, t->len);
      extend (&ymin, &ymax, &t->current_elbo, 1);
    }

  add_reference (panel, ctx, N_("log p(x)"), s->log_evidence, VI_DASH_DASHED, 1.2);
  if (fabs (s->log_evidence - s->elbo_opt) > 1e-9 * MAX (1.0, fabs (s->log_evidence)))
    add_reference (panel, ctx, N_("best ELBO in the family"), s->elbo_opt, VI_DASH_DOTTED, 1.0);
  elbo_range (panel, s, ymin, ymax);
  for (size_t k = 0; k < s->n_traces; k++)
    if (s->traces[k].diverged && s->traces[k].message != NULL)
      {
        vi_panel_add_text (panel, 0.02 * (double) s->iterations, MAX (ymax, s->elbo_opt),
                           s->traces[k].message);
        break;
      }
}

void
vi_bbvi_elbo_view_build (ViFigure             *fig,
                         const ViBbviSnapshot *snap,
                         const ViViewContext  *ctx)
{
  elbo_panel (vi_view_begin (fig, ctx), snap, ctx);
}

/* ---- gap to the optimum ------------------------------------------------- */

/* The log axis cannot show a gap ≤ 0 (rounding at the optimum, or an
 * estimate above it): such gaps are drawn at this floor, and noted. */
#define VI_BBVI_GAP_FLOOR 1e-12
/* Half-width (iterations) of the moving window of the estimates' band. */
#define VI_BBVI_GAP_WINDOW 10

/* @gap[i] = ELBO* − @elbo[i], clamped to the floor; returns how many were. */
static size_t
gap_column (double        elbo_opt,
            const double *elbo,
            size_t        n,
            double       *gap)
{
  size_t clamped = 0;

  for (size_t i = 0; i < n; i++)
    {
      gap[i] = elbo_opt - elbo[i];
      if (isfinite (gap[i]) && gap[i] < VI_BBVI_GAP_FLOOR)
        {
          gap[i] = VI_BBVI_GAP_FLOOR;
          clamped++;
        }
    }
  return clamped;
}

/* Min–max over a moving window of the gap of the noisy estimate. */
static void
gap_band (ViPanel              *panel,
          const ViBbviSnapshot *s,
          const ViBbviTrace    *t,
          const ViViewContext  *ctx)
{
  g_autofree double *gap = g_new (double, t->len);
  g_autofree double *lo = g_new (double, t->len);
  g_autofree double *hi = g_new (double, t->len);
  ViSeries *series;

  gap_column (s->elbo_opt, t->elbo_estimate, t->len, gap);
  for (size_t i = 0; i < t->len; i++)
    {
      size_t a = i > VI_BBVI_GAP_WINDOW ? i - VI_BBVI_GAP_WINDOW : 0;
      size_t b = MIN (t->len, i + VI_BBVI_GAP_WINDOW + 1);

      lo[i] = INFINITY;
      hi[i] = -INFINITY;
      extend (&lo[i], &hi[i], gap + a, b - a);
      if (!isfinite (lo[i]))
        lo[i] = hi[i] = NAN;
    }
  series = vi_panel_add_band (panel, NULL, t->iteration, lo, hi, t->len);
  vi_view_data_name (series, "%s estimate band", vi_bbvi_estimator_get_name (t->estimator));
  vi_view_style (series, ctx, vi_bbvi_estimator_color (t->estimator), 0.15, VI_DASH_SOLID, 1.0);
  vi_series_set_show_in_legend (series, FALSE);
}

static void
gap_panel (ViPanel              *panel,
           const ViBbviSnapshot *s,
           const ViViewContext  *ctx,
           gboolean              band)
{
  size_t clamped = 0;
  ViSeries *series;

  if (!iteration_axes (panel, s, _("Gap to the best ELBO in the family, ELBO* − ELBO (exact)"),
                       _("ELBO* − ELBO (nats, log)"), "ELBO* - ELBO (nats)", VI_SCALE_LOG10,
                       VI_LEGEND_TOP_RIGHT))
    return;
  for (guint h = 0; h < ctx->n_history; h++)
    {
      const ViBbviSnapshot *hs = history_snap (ctx, h);

      for (size_t k = 0; k < hs->n_traces; k++)
        {
          const ViBbviTrace *t = &hs->traces[k];
          g_autofree double *gap = g_new (double, MAX (t->len, 1));

          clamped += gap_column (hs->elbo_opt, t->elbo, t->len, gap);
          earlier_run_line (panel, ctx, h, t, gap);
        }
    }
  for (size_t k = 0; k < s->n_traces; k++)
    {
      const ViBbviTrace *t = &s->traces[k];
      g_autofree double *gap = g_new (double, MAX (t->len, 1));

      if (t->len == 0)
        continue;
      if (band && ctx->live)
        gap_band (panel, s, t, ctx);
      clamped += gap_column (s->elbo_opt, t->elbo, t->len, gap);
      series = vi_panel_add_line (panel, vi_bbvi_estimator_get_name (t->estimator),
                                  t->iteration, gap, t->len);
      vi_view_style (series, ctx, vi_bbvi_estimator_color (t->estimator), 1, VI_DASH_SOLID, 2.2);
    }
  if (clamped > 0)
    {
      /* Translators: %.0e is a tiny number of nats */
      g_autofree char *text = g_strdup_printf (_("gaps ≤ 0 (rounding at the optimum) "
                                                 "drawn at %.0e"), VI_BBVI_GAP_FLOOR);

      series = vi_panel_add_text (panel, 0.05 * MAX ((double) s->iterations, 10.0),
                                  10 * VI_BBVI_GAP_FLOOR, text);
      vi_series_set_color_index (series, 7);
    }
}

void
vi_bbvi_gap_view_build (ViFigure             *fig,
                        const ViBbviSnapshot *snap,
                        const ViViewContext  *ctx)
{
  gap_panel (vi_view_begin (fig, ctx), snap, ctx, FALSE);
}

void
vi_bbvi_gap_band_view_build (ViFigure             *fig,
                             const ViBbviSnapshot *snap,
                             const ViViewContext  *ctx)
{
  gap_panel (vi_view_begin (fig, ctx), snap, ctx, TRUE);
}

/* ---- gradient variance during the run ------------------------------------ */

/* A series whose typical variance is below this fraction of the largest
 * one's (cv-suff's rounding, ~1e-25 of naive's) is left below the axis and
 * noted, so that it does not flatten the others. */
#define VI_BBVI_GRADVAR_FLOOR 1e-10

/* At most this many values of a trace make its typical variance (a
 * strided sample of longer traces), so a frame's cost does not grow with
 * the trace. */
#define VI_BBVI_TYPICAL_SAMPLES 4096

/* The @k-th smallest of @v[0 … @n − 1] (reordering @v), what v[k] is once
 * @v is sorted: Wirth's selection, linear on average. No NaN in @v. */
static double
select_kth (double *v,
            gssize  n,
            gssize  k)
{
  gssize l = 0, m = n - 1;

  while (l < m)
    {
      double x = v[k];
      gssize i = l, j = m;

      do
        {
          while (v[i] < x)
            i++;
          while (x < v[j])
            j--;
          if (i <= j)
            {
              double tmp = v[i];

              v[i++] = v[j];
              v[j--] = tmp;
            }
        }
      while (i <= j);
      if (j < k)
        l = i;
      if (k < i)
        m = j;
    }
  return v[k];
}

/* Median of the positive finite grad_var of @t past its first tenth (of
 * every stride-th one when there are more than VI_BBVI_TYPICAL_SAMPLES);
 * NaN if none. */
static double
gradvar_typical (const ViBbviTrace *t)
{
  size_t start = t->len / 10;
  size_t stride = (t->len - start + VI_BBVI_TYPICAL_SAMPLES - 1) / VI_BBVI_TYPICAL_SAMPLES;
  double v[VI_BBVI_TYPICAL_SAMPLES];
  size_t n = 0;

  for (size_t i = start; t->grad_var != NULL && i < t->len; i += MAX (stride, 1))
    if (isfinite (t->grad_var[i]) && t->grad_var[i] > 0)
      v[n++] = t->grad_var[i];
  if (n == 0)
    return NAN;
  return select_kth (v, (gssize) n, (gssize) (n / 2));
}

/* The y range: every trace whose typical variance is within
 * VI_BBVI_GRADVAR_FLOOR of the largest; returns the traces left below. */
static GString *
gradvar_range (ViPanel              *panel,
               const ViBbviSnapshot *s)
{
  double top = 0, lo = INFINITY, hi = 0;
  GString *below = g_string_new (NULL);
  g_autofree double *typical = g_new (double, MAX (s->n_traces, 1));

  for (size_t k = 0; k < s->n_traces; k++)
    {
      typical[k] = gradvar_typical (&s->traces[k]);
      if (isfinite (typical[k]))
        top = MAX (top, typical[k]);
    }
  for (size_t k = 0; top > 0 && k < s->n_traces; k++)
    {
      const ViBbviTrace *t = &s->traces[k];
      double m = typical[k];

      if (!isfinite (m))
        continue;
      if (m < VI_BBVI_GRADVAR_FLOOR * top)
        {
          g_string_append_printf (below, "%s%s", below->len > 0 ? ", " : "",
                                  vi_bbvi_estimator_get_name (t->estimator));
          continue;
        }
      for (size_t i = 0; i < t->len; i++)
        if (isfinite (t->grad_var[i]) && t->grad_var[i] > 0)
          {
            lo = MIN (lo, t->grad_var[i]);
            hi = MAX (hi, t->grad_var[i]);
          }
    }
  if (below->len > 0 && hi > 0)
    vi_panel_set_range (panel, VI_AXIS_Y, lo / 2, hi * 2);
  return below;
}

static void
gradvar_panel (ViPanel              *panel,
               const ViBbviSnapshot *s,
               const ViViewContext  *ctx)
{
  g_autoptr(GString) below = NULL;
  ViSeries *series;

  if (!iteration_axes (panel, s, _("Gradient variance per estimator"),
                       _("Var of the gradient (log)"), "gradient variance",
                       VI_SCALE_LOG10, VI_LEGEND_TOP_RIGHT))
    return;
  for (guint h = 0; h < ctx->n_history; h++)
    {
      const ViBbviSnapshot *hs = history_snap (ctx, h);

      for (size_t k = 0; k < hs->n_traces; k++)
        if (hs->traces[k].grad_var != NULL)
          earlier_run_line (panel, ctx, h, &hs->traces[k], hs->traces[k].grad_var);
    }
  for (size_t k = 0; ctx->live && k < s->n_traces; k++)
    {
      const ViBbviTrace *t = &s->traces[k];
      const char *name = vi_bbvi_estimator_get_name (t->estimator);
      guint color = vi_bbvi_estimator_color (t->estimator);
      g_autofree double *smooth = NULL;

      if (t->len == 0 || t->grad_var == NULL)
        continue;
      if (ctx->smoothing > 0)
        {
          series = vi_panel_add_line (panel, NULL, t->iteration, t->grad_var, t->len);
          vi_view_data_name (series, "%s raw", name);
          vi_view_style (series, ctx, color, 0.2, VI_DASH_SOLID, 1.0);
          vi_series_set_show_in_legend (series, FALSE);
          smooth = g_new (double, t->len);
          vi_ema_smooth (smooth, t->grad_var, t->len, ctx->smoothing);
        }
      series = vi_panel_add_line (panel, name, t->iteration, smooth != NULL ? smooth : t->grad_var,
                                  t->len);
      vi_view_style (series, ctx, color, 1, VI_DASH_SOLID, 2.0);
    }
  below = gradvar_range (panel, s);
  if (below->len > 0)
    {
      /* Translators: %s lists estimator names, e.g. "cv-suff" */
      g_autofree char *text = g_strdup_printf (_("below the axis: %s (rounding)"), below->str);
      double lo;

      vi_panel_get_range (panel, VI_AXIS_Y, &lo, NULL);
      series = vi_panel_add_text (panel, 0.05 * MAX ((double) s->iterations, 10.0), 2 * lo, text);
      vi_series_set_color_index (series, 7);
    }
}

void
vi_bbvi_gradvar_view_build (ViFigure             *fig,
                            const ViBbviSnapshot *snap,
                            const ViViewContext  *ctx)
{
  gradvar_panel (vi_view_begin (fig, ctx), snap, ctx);
}

/* ---- parameters ---------------------------------------------------------- */

static const char *
param_label (const ViBbviFamily *family,
             size_t              d)
{
  const char *name = vi_bbvi_family_get_name (family);

  if (strcmp (name, "exponential") == 0)
    return N_("rate θ");
  if (strcmp (name, "gamma") == 0)
    return d == 0 ? N_("shape a") : N_("rate b");
  return d == 0 ? N_("μ of log λ") : N_("σ² of log λ");
}

/* Column @d of the trace's parameters (a new array of MAX (len, 1)). */
static double *
param_column (const ViBbviTrace *t,
              size_t             dim,
              size_t             d)
{
  double *y = g_new (double, MAX (t->len, 1));

  for (size_t i = 0; i < t->len; i++)
    y[i] = t->params[i * dim + d];
  return y;
}

/* Past the first tenth of the run, where the noise shows. */
static void
params_range (ViPanel              *panel,
              const ViBbviSnapshot *s,
              size_t                d)
{
  double lo = s->params_opt[d], hi = s->params_opt[d], pad;

  for (size_t k = 0; k < s->n_traces; k++)
    for (size_t i = s->traces[k].len / 10; i < s->traces[k].len; i++)
      {
        double y = s->traces[k].params[i * s->dim + d];

        if (isfinite (y))
          {
            lo = MIN (lo, y);
            hi = MAX (hi, y);
          }
      }
  pad = MAX (0.08 * (hi - lo), 1e-3 * fabs (s->params_opt[d]));
  vi_panel_set_range (panel, VI_AXIS_Y, lo - pad, hi + pad);
}

static void
params_panel (ViPanel              *panel,
              const ViBbviSnapshot *s,
              const ViViewContext  *ctx,
              size_t                d,
              gboolean              last)
{
  ViSeries *series;

  vi_view_panel_reset (panel);
  if (d == 0)
    vi_panel_set_title (panel, _("Variational parameters"));
  vi_panel_set_axis_label (panel, VI_AXIS_X, last ? _("iteration") : NULL);
  if (s == NULL)
    return;
  vi_panel_set_axis_label (panel, VI_AXIS_Y, _(param_label (s->family, d)));
  vi_panel_set_axis_data_name (panel, VI_AXIS_Y, param_label (s->family, d));
  vi_panel_set_axis_data_name (panel, VI_AXIS_X, last ? "iteration" : NULL);
  vi_panel_set_range (panel, VI_AXIS_X, 0, MAX ((double) s->iterations, 10.0));
  vi_panel_set_legend (panel, d == 0 ? VI_LEGEND_AUTO : VI_LEGEND_NONE);

  for (guint h = 0; h < ctx->n_history; h++)
    {
      const ViBbviSnapshot *hs = history_snap (ctx, h);

      if (hs->family != s->family)
        continue;
      for (size_t k = 0; k < hs->n_traces; k++)
        {
          const ViBbviTrace *t = &hs->traces[k];
          g_autofree double *y = param_column (t, hs->dim, d);

          history_line (panel, ctx, h, t, "", t->iteration, y, t->len);
        }
    }
  for (size_t k = 0; k < s->n_traces; k++)
    {
      const ViBbviTrace *t = &s->traces[k];
      const char *name = vi_bbvi_estimator_get_name (t->estimator);
      g_autofree double *y = param_column (t, s->dim, d);

      if (t->len > 0)
        series = vi_panel_add_line (panel, name, t->iteration, y, t->len);
      else
        {
          double x0 = 0;

          series = vi_panel_add_scatter (panel, name, &x0, &t->current[d], 1);
          vi_series_set_marker (series, VI_MARKER_CIRCLE, vi_view_line_width (ctx, 8));
        }
      vi_view_style (series, ctx, vi_bbvi_estimator_color (t->estimator), 1, VI_DASH_SOLID, 1.8);
    }
  if (ctx->live)
    params_range (panel, s, d);
  add_reference (panel, ctx, N_("optimum"), s->params_opt[d], VI_DASH_DASHED, 1.2);
}

guint
vi_bbvi_params_view_rows (const ViBbviSnapshot *snap)
{
  return snap != NULL ? (guint) snap->dim : 1;
}

void
vi_bbvi_params_view_build (ViFigure             *fig,
                           const ViBbviSnapshot *snap,
                           const ViViewContext  *ctx)
{
  guint rows = MIN (vi_bbvi_params_view_rows (snap), vi_figure_get_n_rows (fig));

  vi_view_begin (fig, ctx);
  for (guint d = 0; d < rows; d++)
    params_panel (vi_figure_get_panel (fig, d, 0), snap, ctx, d, d + 1 == rows);
}

/* ---- q(λ) ---------------------------------------------------------------- */

/* y[i] = q(x[i]) for the family at @params (0 outside the support). */
static void
q_curve (const ViBbviFamily *family,
         const double       *params,
         const double       *x,
         double             *y)
{
  for (gsize i = 0; i < N_CURVE; i++)
    {
      double lq = vi_bbvi_family_log_q (family, params, x[i]);

      y[i] = isfinite (lq) ? exp (lq) : 0.0;
    }
}

static double
gamma_pdf (double shape,
           double rate,
           double x)
{
  double params[2] = { shape, rate };
  double lq = vi_bbvi_family_log_q (vi_bbvi_family_lookup ("gamma"), params, x);

  return isfinite (lq) ? exp (lq) : 0.0;
}

static void
q_panel (ViPanel              *panel,
         const ViBbviSnapshot *s,
         const ViViewContext  *ctx)
{
  double x[N_CURVE], y[N_CURVE];
  double mean, sd, xmax, peak = 0, mode;
  ViSeries *series;

  vi_view_panel_reset (panel);
  vi_panel_set_title (panel, _("q(λ) against the exact posterior"));
  vi_panel_set_axis_label (panel, VI_AXIS_X, "λ");
  vi_panel_set_axis_label (panel, VI_AXIS_Y, _("density"));
  vi_panel_set_axis_data_name (panel, VI_AXIS_Y, "density");
  vi_panel_set_legend (panel, VI_LEGEND_TOP_RIGHT);
  if (s == NULL)
    return;
  mean = s->posterior_shape / s->posterior_rate;
  sd = sqrt (s->posterior_shape) / s->posterior_rate;
  xmax = MAX (mean + 5 * sd, 1.6 * mean);
  for (gsize i = 0; i < N_CURVE; i++)
    x[i] = xmax * (i + 0.5) / N_CURVE;
  vi_panel_set_range (panel, VI_AXIS_X, 0, xmax);

  for (gsize i = 0; i < N_CURVE; i++)
    y[i] = gamma_pdf (s->alpha, s->beta, x[i]);
  series = vi_panel_add_line (panel, _("prior"), x, y, N_CURVE);
  vi_series_set_data_name (series, "prior");
  vi_view_style (series, ctx, 1, 1, VI_DASH_DOTTED, 1.6);

  for (guint h = 0; h < ctx->n_history; h++)
    {
      const ViBbviSnapshot *hs = history_snap (ctx, h);

      for (size_t k = 0; k < hs->n_traces; k++)
        {
          const ViBbviTrace *t = &hs->traces[k];

          q_curve (hs->family, t->current, x, y);
          history_line (panel, ctx, h, t, "q · ", x, y, N_CURVE);
        }
    }
  for (size_t k = 0; k < s->n_traces; k++)
    {
      const ViBbviTrace *t = &s->traces[k];
      g_autofree char *name = g_strdup_printf ("q · %s",
                                               vi_bbvi_estimator_get_name (t->estimator));

      q_curve (s->family, t->current, x, y);
      for (gsize i = 0; i < N_CURVE; i++)
        peak = MAX (peak, y[i]);
      series = vi_panel_add_line (panel, name, x, y, N_CURVE);
      vi_view_style (series, ctx, vi_bbvi_estimator_color (t->estimator), 1, VI_DASH_SOLID, 2.0);
      /* Runs from the same start coincide before the first step. */
      if (!ctx->live)
        break;
    }

  for (gsize i = 0; i < N_CURVE; i++)
    {
      y[i] = gamma_pdf (s->posterior_shape, s->posterior_rate, x[i]);
      peak = MAX (peak, y[i]);
    }
  series = vi_panel_add_line (panel, _("posterior"), x, y, N_CURVE);
  vi_series_set_data_name (series, "posterior");
  vi_view_style (series, ctx, 7, 0.85, VI_DASH_SOLID, 1.6);
  /* A q collapsing to a spike would flatten everything else: cap the axis
   * at 3× the posterior's peak (at its mode, mean − var/mean). */
  mode = MAX (mean - sd * sd / mean, 1e-12);
  vi_panel_set_range (panel, VI_AXIS_Y, 0,
                      1.15 * MIN (peak, 3.0 * gamma_pdf (s->posterior_shape, s->posterior_rate,
                                                         mode)));
}

void
vi_bbvi_q_view_build (ViFigure             *fig,
                      const ViBbviSnapshot *snap,
                      const ViViewContext  *ctx)
{
  q_panel (vi_view_begin (fig, ctx), snap, ctx);
}

/* ---- overview ------------------------------------------------------------ */

guint
vi_bbvi_overview_view_cols (const ViBbviSnapshot *snap)
{
  return 3 + vi_bbvi_params_view_rows (snap);
}

void
vi_bbvi_overview_view_build (ViFigure             *fig,
                             const ViBbviSnapshot *snap,
                             const ViViewContext  *ctx)
{
  guint dim = vi_bbvi_params_view_rows (snap);

  g_return_if_fail (vi_figure_get_n_cols (fig) >= dim + 3);
  gap_panel (vi_view_begin (fig, ctx), snap, ctx, FALSE);
  elbo_panel (vi_figure_get_panel (fig, 0, 1), snap, ctx);
  for (guint d = 0; d < dim; d++)
    params_panel (vi_figure_get_panel (fig, 0, 2 + d), snap, ctx, d, TRUE);
  q_panel (vi_figure_get_panel (fig, 0, 2 + dim), snap, ctx);
}

