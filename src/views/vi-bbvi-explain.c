/* vi-bbvi-explain.c — "What am I seeing?" for the figures of black-box VI,
 * written from the figure built and its snapshot (see vi-view.h)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "vi-bbvi-views.h"

/* Whether a run has produced steps (the figures show lines, not only the
 * starting points). */
static gboolean
has_steps (const ViBbviSnapshot *s)
{
  for (size_t k = 0; s != NULL && k < s->n_traces; k++)
    if (s->traces[k].len > 0)
      return TRUE;
  return FALSE;
}

/* Whether @t's line (named "@prefix<estimator>", or "<estimator>
 * (diverged)") is on @panel. */
static gboolean
trace_shown (ViPanel           *panel,
             const ViBbviTrace *t,
             const char        *prefix)
{
  const char *est = vi_bbvi_estimator_get_name (t->estimator);
  g_autofree char *name = g_strconcat (prefix, est, NULL);
  /* Translators: %s is an estimator name (as in the ELBO plot's legend) */
  g_autofree char *diverged = g_strdup_printf (_("%s (diverged)"), est);

  return vi_view_find_shown (panel, name) != NULL || vi_view_find_shown (panel, diverged) != NULL;
}

/* " @lead naive 1.2, cv 3.4." over the traces shown on @panel, with each
 * value(@s, trace, @data) printed with @format. */
static void
append_values (GString              *out,
               ViPanel              *panel,
               const ViBbviSnapshot *s,
               const char           *prefix,
               const char           *lead,
               const char           *format,
               double              (*value) (const ViBbviSnapshot *, const ViBbviTrace *,
                                             gsize),
               gsize                 data)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (size_t k = 0; k < s->n_traces; k++)
    {
      const ViBbviTrace *t = &s->traces[k];
      g_autofree char *num = NULL;

      if (!trace_shown (panel, t, prefix))
        continue;
      num = g_strdup_printf (format, value (s, t, data));
      g_string_append_printf (list, "%s%s %s", list->len > 0 ? ", " : "",
                              vi_bbvi_estimator_get_name (t->estimator), num);
    }
  if (list->len > 0)
    g_string_append_printf (out, " %s %s.", lead, list->str);
}

static double
current_elbo (const ViBbviSnapshot *s,
              const ViBbviTrace    *t,
              gsize                 data)
{
  return t->current_elbo;
}

static double
current_gap (const ViBbviSnapshot *s,
             const ViBbviTrace    *t,
             gsize                 data)
{
  return s->elbo_opt - t->current_elbo;
}

static double
current_param (const ViBbviSnapshot *s,
               const ViBbviTrace    *t,
               gsize                 d)
{
  return t->current[d];
}

/* Mean of the finite grad_var over the last @n steps (NaN if none). */
static double
recent_gradvar (const ViBbviSnapshot *s,
                const ViBbviTrace    *t,
                gsize                 n)
{
  double sum = 0;
  size_t m = 0;

  for (size_t i = t->len > n ? t->len - n : 0; t->grad_var != NULL && i < t->len; i++)
    if (isfinite (t->grad_var[i]))
      {
        sum += t->grad_var[i];
        m++;
      }
  return m > 0 ? sum / (double) m : NAN;
}

static ViPanel *
first_panel (ViFigure *fig)
{
  return vi_figure_get_panel (fig, 0, 0);
}

char *
vi_bbvi_gap_view_explain (ViFigure             *fig,
                          const ViBbviSnapshot *snap,
                          const ViViewContext  *ctx)
{
  ViPanel *panel = first_panel (fig);
  GString *out = g_string_new (NULL);
  gboolean band = FALSE;

  if (!has_steps (snap))
    {
      g_string_append (out, _("The gap ELBO* − ELBO to the best ELBO in the family appears here "
                               "per estimator, on a log scale, once a run has taken steps."));
      return g_string_free (out, FALSE);
    }
  /* Translators: %.6g is the best ELBO in the family, in nats */
  g_string_append_printf (out, _("The gap ELBO* − ELBO (exact) between each run's ELBO and the "
                                 "best in the family, ELBO* = %.6g nats, on a log scale: where "
                                 "the estimators come apart."), snap->elbo_opt);
  /* Translators: followed by "naive 0.012, cv 0.0031" (gaps in nats) */
  append_values (out, panel, snap, "", _("Gap now (nats):"), "%.3g", current_gap, 0);
  for (guint i = 0; i < vi_panel_get_n_series (panel); i++)
    band |= vi_series_get_kind (vi_panel_get_series (panel, i)) == VI_SERIES_BAND
            && vi_series_get_visible (vi_panel_get_series (panel, i));
  if (band)
    g_string_append (out, _(" Shaded: the range of each noisy estimate's gap over 21 "
                            "iterations."));
  return vi_view_explain_finish (out, fig, ctx);
}

char *
vi_bbvi_elbo_view_explain (ViFigure             *fig,
                           const ViBbviSnapshot *snap,
                           const ViViewContext  *ctx)
{
  ViPanel *panel = first_panel (fig);
  GString *out = g_string_new (NULL);

  if (snap == NULL)
    return g_string_free (out, FALSE);
  if (has_steps (snap) && ctx->live)
    {
      g_string_append (out, _("Solid lines: the exact ELBO (closed form) at each estimator's "
                              "parameters, one run per estimator from the same seed and "
                              "start."));
      /* Translators: %zu is the number of samples S */
      g_string_append_printf (out, ctx->smoothing > 0
                              ? _(" Faint: the noisy Monte-Carlo ELBO estimates from S = %zu "
                                  "samples, smoothed on top (right-click to change).")
                              : _(" Faint: the noisy Monte-Carlo ELBO estimates from S = %zu "
                                  "samples."), snap->samples);
    }
  else
    g_string_append (out, _("Dots: the exact ELBO of each estimator's starting point, before "
                            "the run."));
  /* Translators: followed by "naive -87.25, cv -87.24" */
  append_values (out, panel, snap, "", _("ELBO now:"), "%.6g", current_elbo, 0);
  if (vi_view_find_shown (panel, _("log p(x)")) != NULL)
    /* Translators: %.6g are log p(x) and the best ELBO, %.3g their difference (nats) */
    g_string_append_printf (out, _(" log p(x) = %.6g; the ELBO stays below it by KL(q ‖ "
                                   "posterior): the best this family reaches is %.6g, %.3g nats "
                                   "below."), snap->log_evidence, snap->elbo_opt,
                            snap->log_evidence - snap->elbo_opt);
  return vi_view_explain_finish (out, fig, ctx);
}

char *
vi_bbvi_params_view_explain (ViFigure             *fig,
                             const ViBbviSnapshot *snap,
                             const ViViewContext  *ctx)
{
  GString *out = g_string_new (NULL);
  const char *const *names;

  if (snap == NULL)
    return g_string_free (out, FALSE);
  names = vi_bbvi_family_get_param_names (snap->family);
  /* Translators: %s is a family name (exponential, gamma, lognormal) */
  g_string_append_printf (out, _("The %s family's parameters of each run against iteration; "
                                 "dashed: the best the family can reach, in closed form. The "
                                 "spread of a curve around its line is gradient noise the "
                                 "optimiser has not averaged away."),
                          vi_bbvi_family_get_name (snap->family));
  for (guint d = 0; d < snap->dim && d < vi_figure_get_n_rows (fig); d++)
    {
      ViPanel *panel = vi_figure_get_panel (fig, d, 0);
      /* Translators: %s is a parameter's name, %.4g its optimal value */
      g_autofree char *lead = g_strdup_printf (_("%s (optimum %.4g) now:"), names[d],
                                               snap->params_opt[d]);

      append_values (out, panel, snap, "", lead, "%.4g", current_param, d);
    }
  return vi_view_explain_finish (out, fig, ctx);
}

char *
vi_bbvi_q_view_explain (ViFigure             *fig,
                        const ViBbviSnapshot *snap,
                        const ViViewContext  *ctx)
{
  GString *out = g_string_new (NULL);
  const char *family;

  if (snap == NULL)
    return g_string_free (out, FALSE);
  family = vi_bbvi_family_get_name (snap->family);
  /* Translators: the %.4g are shapes and rates of Gamma densities */
  g_string_append_printf (out, _("The density q(λ) of each run at its current parameters, "
                                 "against the exact posterior Gamma(%.4g, %.4g) and the prior "
                                 "Gamma(%.4g, %.4g)."), snap->posterior_shape,
                          snap->posterior_rate, snap->alpha, snap->beta);
  if (strcmp (family, "exponential") == 0)
    g_string_append (out, _(" An Exponential q has its mode at 0 and cannot fit a peaked "
                            "posterior: at its optimum it only matches log-moments."));
  else if (strcmp (family, "gamma") == 0)
    g_string_append (out, _(" A Gamma q can coincide with the posterior."));
  else
    g_string_append (out, _(" A log-normal q can come close to the posterior but not match "
                            "it."));
  return vi_view_explain_finish (out, fig, ctx);
}

/* Steps averaged for the numbers of the gradient-variance text. */
#define RECENT 100

char *
vi_bbvi_gradvar_view_explain (ViFigure             *fig,
                              const ViBbviSnapshot *snap,
                              const ViViewContext  *ctx)
{
  ViPanel *panel = first_panel (fig);
  GString *out = g_string_new (NULL);
  const ViBbviTrace *naive = NULL;
  g_autoptr(GString) ratios = g_string_new (NULL);

  if (!has_steps (snap) || !ctx->live)
    {
      g_string_append (out, _("The variance of each estimator's gradient, as the samples of "
                              "each step estimate it, appears here once a run has taken "
                              "steps."));
      return g_string_free (out, FALSE);
    }
  /* Translators: %zu is the number of samples S */
  g_string_append_printf (out, _("At every step, the variance of the gradient estimate from its "
                                 "own S = %zu samples: their sample variance ÷ S (for cv and "
                                 "cv-suff the terms after the control variate), on a log "
                                 "scale. Lower is a smoother climb."), snap->samples);
  if (ctx->smoothing > 0)
    g_string_append (out, _(" Smoothed; the raw values faint."));
  /* Translators: %d is a number of iterations, followed by "naive 812, cv 220" */
  {
    g_autofree char *lead = g_strdup_printf (_("Mean over the last %d steps:"), RECENT);

    append_values (out, panel, snap, "", lead, "%.3g", recent_gradvar, RECENT);
  }
  for (size_t k = 0; k < snap->n_traces; k++)
    if (snap->traces[k].estimator == VI_BBVI_NAIVE && trace_shown (panel, &snap->traces[k], ""))
      naive = &snap->traces[k];
  for (size_t k = 0; naive != NULL && k < snap->n_traces; k++)
    {
      const ViBbviTrace *t = &snap->traces[k];
      double r = recent_gradvar (snap, naive, RECENT) / recent_gradvar (snap, t, RECENT);

      ViSeries *line = vi_view_find_shown (panel, vi_bbvi_estimator_get_name (t->estimator));

      /* A variance at rounding level (below the axis) makes no ratio. */
      if (t == naive || line == NULL || vi_series_get_fit (line, VI_AXIS_Y) == VI_FIT_BELOW
          || !isfinite (r))
        continue;
      g_string_append_printf (ratios, "%s%s %.3g×", ratios->len > 0 ? ", " : "",
                              vi_bbvi_estimator_get_name (t->estimator), r);
    }
  if (ratios->len > 0)
    /* Translators: %s is e.g. "cv 3.7×, reparam 8.2×" */
    g_string_append_printf (out, _(" Variance ratio naive ÷ estimator: %s."), ratios->str);
  return vi_view_explain_finish (out, fig, ctx);
}
