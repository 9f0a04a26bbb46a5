/* vi-cli-bbvi.c — `elbo-lab-cli bbvi`: black-box VI on the Poisson–Gamma
 * model, and the gradient-variance experiment
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-bbvi-job.h"
#include "vi-bbvi-views.h"
#include "vi-cli-commands.h"
#include "vi-cli-common.h"
#include "vi-cli-run.h"
#include "vi-cli-work.h"
#include "vi-core-autocleanups.h"
#include "vi-figure.h"
#include "vi-status.h"

/* Rules between options, on what was given (before validation). */
static gboolean
check_options (GVariantDict  *given,
               GError       **error)
{
  const char *mode = NULL, *estimator = NULL;
  gboolean variance = g_variant_dict_lookup (given, "mode", "&s", &mode);
  gboolean counts = g_variant_dict_contains (given, "counts-file");
  gboolean synthetic = g_variant_dict_contains (given, "synthetic-n");
  gboolean sweep_theta = g_variant_dict_contains (given, "sweep-theta")
                         || g_variant_dict_contains (given, "sweep-theta-grid");
  gboolean sweep_samples = g_variant_dict_contains (given, "sweep-samples");
  gboolean at = g_variant_dict_contains (given, "at")
                || g_variant_dict_contains (given, "at-params");

  if (!variance && g_variant_dict_lookup (given, "estimators", "&s", &estimator)
      && strchr (estimator, ',') != NULL)
    return vi_cli_usage_error (error, "--estimator: give one estimator (got '%s')", estimator);
  if (counts && synthetic)
    return vi_cli_usage_error (error, "--counts and --synthetic exclude each other");
  if (counts && g_variant_dict_contains (given, "true-rate"))
    return vi_cli_usage_error (error, "--true-rate only applies to --synthetic");
  if (!variance && (at || g_variant_dict_contains (given, "repeats") || sweep_samples
                    || sweep_theta))
    return vi_cli_usage_error (error, "%s needs --variance",
                               at ? "--at" : g_variant_dict_contains (given, "repeats")
                               ? "--repeats" : sweep_samples ? "--sweep-samples"
                               : "--sweep-theta");
  if (variance)
    {
      const char *const bad[][2] = { { "iterations", "--iterations" },
                                     { "optimizer", "--optimizer" },
                                     { "step-size", "--step-size" } };

      for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
        if (g_variant_dict_contains (given, bad[i][0]))
          return vi_cli_usage_error (error, "%s does not apply to --variance", bad[i][1]);
    }
  if (sweep_samples && sweep_theta)
    return vi_cli_usage_error (error, "--sweep-samples and --sweep-theta exclude each other");
  if (at && sweep_theta)
    return vi_cli_usage_error (error, "--at and --sweep-theta exclude each other");
  /* Without --data-seed the synthetic data come from --seed, as before
   * there was one; the parameters echo says which. */
  if (!counts && !g_variant_dict_contains (given, "data-seed"))
    {
      guint64 seed = vi_params_lookup (vi_bbvi_job_type.params, "seed", NULL)->udef;

      g_variant_dict_lookup (given, "seed", "t", &seed);
      g_variant_dict_insert (given, "data-seed", "t", seed);
    }
  return TRUE;
}

static gboolean
is_sweep_theta (GVariant *params)
{
  return vi_params_has (params, "sweep-theta")
         || vi_params_get_int64 (params, "sweep-theta-grid") > 0;
}

/* ---- output ---- */

static void
add_model (JsonBuilder          *b,
           const ViBbviSnapshot *s)
{
  json_builder_set_member_name (b, "model");
  json_builder_begin_object (b);
  vi_json_add_double_member (b, "alpha", s->alpha);
  vi_json_add_double_member (b, "beta", s->beta);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, (gint64) s->n);
  vi_json_add_double_member (b, "sum_x", s->sum_x);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "posterior");
  json_builder_begin_object (b);
  vi_json_add_double_member (b, "shape", s->posterior_shape);
  vi_json_add_double_member (b, "rate", s->posterior_rate);
  json_builder_end_object (b);
  vi_json_add_double_member (b, "log_evidence", s->log_evidence);
  vi_json_add_int_member (b, "seed", (gint64) s->seed);
  vi_json_add_int_member (b, "data_seed", (gint64) s->data_seed);
}

/* "name": {mean, variance, variance_exact, bias, mean_stderr[,
 * variance_stderr]} of estimator @e; an estimator undefined at this S (or
 * not requested) reports null. */
static void
add_stat (JsonBuilder           *b,
          ViBbviEstimator        e,
          gboolean               defined,
          const ViBbviCoordStat *c,
          gboolean               with_variance_stderr)
{
  json_builder_set_member_name (b, vi_bbvi_estimator_get_name (e));
  json_builder_begin_object (b);
  vi_json_add_double_member (b, "mean", defined ? c->mean : NAN);
  vi_json_add_double_member (b, "variance", defined ? c->variance : NAN);
  vi_json_add_double_member (b, "variance_exact", defined ? c->variance_exact : NAN);
  vi_json_add_double_member (b, "bias", defined ? c->bias : NAN);
  vi_json_add_double_member (b, "mean_stderr", defined ? c->mean_stderr : NAN);
  if (with_variance_stderr)
    vi_json_add_double_member (b, "variance_stderr", defined ? c->variance_stderr : NAN);
  json_builder_end_object (b);
}

/* Per coordinate of the family's parameters: "coordinates": {name: {…}}. */
static void
add_coordinates (JsonBuilder               *b,
                 const ViBbviFamily        *family,
                 const ViBbviVariancePoint *p)
{
  const char *const *names = vi_bbvi_family_get_param_names (family);

  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  for (size_t d = 0; d < p->dim; d++)
    vi_json_add_double_member (b, names[d], p->params[d]);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "coordinates");
  json_builder_begin_object (b);
  for (size_t d = 0; d < p->dim; d++)
    {
      json_builder_set_member_name (b, names[d]);
      json_builder_begin_object (b);
      vi_json_add_double_member (b, "exact_gradient", p->exact_gradients[d]);
      json_builder_set_member_name (b, "estimators");
      json_builder_begin_object (b);
      for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
        add_stat (b, e, p->est[e].defined, &p->est[e].coord[d], TRUE);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static void
add_point (JsonBuilder               *b,
           const ViBbviFamily        *family,
           const ViBbviVariancePoint *p)
{
  vi_json_add_double_member (b, "theta", p->theta);
  json_builder_set_member_name (b, "samples");
  json_builder_add_int_value (b, (gint64) p->samples);
  json_builder_set_member_name (b, "repeats");
  json_builder_add_int_value (b, (gint64) p->repeats);
  vi_json_add_double_member (b, "exact_gradient", p->exact_gradient);
  json_builder_set_member_name (b, "estimators");
  json_builder_begin_object (b);
  for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
    {
      const ViBbviVarianceStat *st = &p->est[e];
      /* Coordinate 0 as the scalar fields have it. */
      ViBbviCoordStat c0 = { st->mean, st->variance, st->mean_stderr, NAN, st->bias,
                             st->variance_exact };

      add_stat (b, e, st->defined, &c0, FALSE);
    }
  json_builder_end_object (b);
  add_coordinates (b, family, p);
}

/* The gradient's noise over the run (vi-bbvi-job.h): the variance and
 * signal-to-noise ratio of the last step's estimate, and the mean variance
 * over every step (null when S = 1 leaves it undefined); then how the trace
 * was kept (every trace_stride-th iteration, trace_points of them). */
static void
add_grad_noise (JsonBuilder       *b,
                const ViBbviTrace *t)
{
  vi_json_add_double_member (b, "grad_var", t->len > 0 ? t->grad_var[t->len - 1] : NAN);
  vi_json_add_double_member (b, "grad_snr", t->len > 0 ? t->grad_snr[t->len - 1] : NAN);
  vi_json_add_double_member (b, "grad_var_mean", t->grad_var_mean);
  vi_json_add_int_member (b, "trace_stride", (gint64) t->stride);
  vi_json_add_int_member (b, "trace_points", (gint64) t->len);
}

static void
add_json (JsonBuilder *b,
          gpointer     result,
          GVariant    *params,
          double       seconds)
{
  const ViBbviSnapshot *s = result;
  const char *const *names = vi_bbvi_family_get_param_names (s->family);
  gboolean is_exp = s->dim == 1;
  gboolean sweep = vi_params_has (params, "sweep-samples") || is_sweep_theta (params);

  add_model (b, s);
  json_builder_set_member_name (b, "family");
  json_builder_add_string_value (b, vi_bbvi_family_get_name (s->family));
  if (s->variance_mode)
    {
      if (sweep)
        {
          json_builder_set_member_name (b, "sweep");
          json_builder_begin_array (b);
          for (size_t i = 0; i < s->n_points; i++)
            {
              json_builder_begin_object (b);
              add_point (b, s->family, &s->points[i]);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
        }
      else
        add_point (b, s->family, &s->points[0]);
      vi_json_add_double_member (b, "theta_opt", s->params_opt[0]);
    }
  else
    {
      const ViBbviTrace *t = &s->traces[0];

      json_builder_set_member_name (b, "estimator");
      json_builder_add_string_value (b, vi_bbvi_estimator_get_name (t->estimator));
      json_builder_set_member_name (b, "variational");
      json_builder_begin_object (b);
      for (size_t d = 0; d < s->dim; d++)
        vi_json_add_double_member (b, names[d], t->current[d]);
      json_builder_end_object (b);
      vi_json_add_double_member (b, "theta_opt", is_exp ? s->params_opt[0] : NAN);
      vi_json_add_double_member (b, "elbo", t->current_elbo);
      vi_json_add_double_member (b, "elbo_opt", s->elbo_opt);
      vi_json_add_double_member (b, "kl_to_posterior", s->log_evidence - t->current_elbo);
      json_builder_set_member_name (b, "iterations");
      json_builder_add_int_value (b, (gint64) s->iteration);
      json_builder_set_member_name (b, "samples");
      json_builder_add_int_value (b, (gint64) s->samples);
      add_grad_noise (b, t);
    }
  vi_json_add_double_member (b, "seconds", seconds);
}

/* The variance table of a family with several parameters: a row per S,
 * estimator and coordinate. */
static void
print_coordinates (GString              *out,
                   const ViBbviSnapshot *s)
{
  const char *const *names = vi_bbvi_family_get_param_names (s->family);

  g_string_append_printf (out, "family       %s at", vi_bbvi_family_get_name (s->family));
  for (size_t d = 0; d < s->dim && s->n_points > 0; d++)
    g_string_append_printf (out, "%s %s %s", d ? "," : "", names[d],
                            vi_cli_fmt (s->points[0].params[d]));
  g_string_append_printf (out, "\n%6s %-8s %-8s %14s %14s %14s %14s\n", "S", "estimator",
                          "coord", "mean", "variance", "exact var", "ratio");
  for (size_t i = 0; i < s->n_points; i++)
    for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
      for (size_t d = 0; d < s->dim && s->points[i].est[e].defined; d++)
        {
          const ViBbviCoordStat *c = &s->points[i].est[e].coord[d];

          g_string_append_printf (out, "%6zu %-8s %-8s %14s %14s %14s %14s\n",
                                  s->points[i].samples, vi_bbvi_estimator_get_name (e), names[d],
                                  vi_cli_fmt (c->mean), vi_cli_fmt (c->variance),
                                  vi_cli_fmt (c->variance_exact), c->variance_exact > 0
                                  ? vi_cli_fmt (c->variance / c->variance_exact) : "-");
        }
  g_string_append (out, "(exact gradient:");
  for (size_t d = 0; d < s->dim && s->n_points > 0; d++)
    g_string_append_printf (out, "%s %s %s", d ? "," : "", names[d],
                            vi_cli_fmt (s->points[0].exact_gradients[d]));
  g_string_append (out, ")\n");
}

static void
print_text (GString  *out,
            gpointer  result,
            GVariant *params,
            double    seconds)
{
  const ViBbviSnapshot *s = result;
  const char *const *names;

  names = vi_bbvi_family_get_param_names (s->family);
  g_string_append_printf (out,
                          "model        alpha %s  beta %s  n %" G_GUINT64_FORMAT "  sum_x %s\n",
                          vi_cli_fmt (s->alpha), vi_cli_fmt (s->beta), s->n,
                          vi_cli_fmt (s->sum_x));
  g_string_append_printf (out, "posterior    Gamma(shape %s, rate %s)   log p(x) %s\n",
                          vi_cli_fmt (s->posterior_shape), vi_cli_fmt (s->posterior_rate),
                          vi_cli_fmt (s->log_evidence));
  if (s->variance_mode && s->dim > 1)
    print_coordinates (out, s);
  else if (s->variance_mode)
    {
      g_string_append_printf (out, "theta*       %s\n", vi_cli_fmt (s->params_opt[0]));
      g_string_append_printf (out, "%-10s %6s %-8s %14s %14s %14s %14s\n", "theta", "S",
                              "estimator", "mean", "variance", "exact var", "ratio");
      for (size_t i = 0; i < s->n_points; i++)
        for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
          {
            const ViBbviVarianceStat *st = &s->points[i].est[e];

            if (!st->defined)
              continue;
            g_string_append_printf (out, "%-10s %6zu %-8s %14s %14s %14s %14s\n",
                                    vi_cli_fmt (s->points[i].theta), s->points[i].samples,
                                    vi_bbvi_estimator_get_name (e), vi_cli_fmt (st->mean),
                                    vi_cli_fmt (st->variance), vi_cli_fmt (st->variance_exact),
                                    st->variance_exact > 0
                                    ? vi_cli_fmt (st->variance / st->variance_exact) : "-");
          }
      g_string_append (out, "(exact gradient at each theta: ");
      for (size_t i = 0; i < s->n_points; i++)
        g_string_append_printf (out, "%s%s", i ? ", " : "",
                                vi_cli_fmt (s->points[i].exact_gradient));
      g_string_append (out, ")\n");
    }
  else
    {
      const ViBbviTrace *t = &s->traces[0];

      g_string_append_printf (out, "family       %s, estimator %s, S %zu, %" G_GUINT64_FORMAT
                              " iterations\n", vi_bbvi_family_get_name (s->family),
                              vi_bbvi_estimator_get_name (t->estimator), s->samples,
                              s->iteration);
      for (size_t d = 0; d < s->dim; d++)
        g_string_append_printf (out, "%-12s %s   (optimum %s)\n", names[d],
                                vi_cli_fmt (t->current[d]), vi_cli_fmt (s->params_opt[d]));
      g_string_append_printf (out, "ELBO         %s   (best in family %s)\n",
                              vi_cli_fmt (t->current_elbo), vi_cli_fmt (s->elbo_opt));
      g_string_append_printf (out, "KL(q||post)  %s\n",
                              vi_cli_fmt (s->log_evidence - t->current_elbo));
    }
  g_string_append_printf (out, "seconds      %.3f\n", seconds);
}

/* A family with several parameters: its parameters first, then a row per
 * S, estimator and coordinate (the exponential keeps the header above). */
static void
write_csv_coordinates (GString              *out,
                       const ViBbviSnapshot *s)
{
  const char *const *names = vi_bbvi_family_get_param_names (s->family);

  for (size_t d = 0; d < s->dim; d++)
    g_string_append_printf (out, "%s,", names[d]);
  g_string_append (out, "samples,repeats,estimator,coordinate,mean,variance,variance_stderr,"
                        "variance_exact,bias,exact_gradient\n");
  for (size_t i = 0; i < s->n_points; i++)
    for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
      for (size_t d = 0; d < s->dim; d++)
        {
          const ViBbviVariancePoint *p = &s->points[i];
          const ViBbviCoordStat *c = &p->est[e].coord[d];

          for (size_t k = 0; k < s->dim; k++)
            g_string_append_printf (out, "%.17g,", p->params[k]);
          g_string_append_printf (out, "%zu,%zu,%s,%s,", p->samples, p->repeats,
                                  vi_bbvi_estimator_get_name (e), names[d]);
          if (p->est[e].defined)
            g_string_append_printf (out, "%.17g,%.17g,%.17g,%.17g,%.17g,", c->mean, c->variance,
                                    c->variance_stderr, c->variance_exact, c->bias);
          else
            g_string_append (out, ",,,,,");
          g_string_append_printf (out, "%.17g\n", p->exact_gradients[d]);
        }
}

/* ",x", or "," alone for a value that is not finite (undefined at S = 1). */
static void
csv_number (GString *out,
            double   x)
{
  if (isfinite (x))
    g_string_append_printf (out, ",%.17g", x);
  else
    g_string_append_c (out, ',');
}

static void
write_csv (GString  *out,
           gpointer  result,
           GVariant *params)
{
  const ViBbviSnapshot *s = result;
  const char *const *names = vi_bbvi_family_get_param_names (s->family);

  if (s->variance_mode && s->dim > 1)
    write_csv_coordinates (out, s);
  else if (s->variance_mode)
    {
      g_string_append (out, "theta,samples,repeats,estimator,mean,variance,variance_exact,bias,"
                            "exact_gradient\n");
      for (size_t i = 0; i < s->n_points; i++)
        for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
          {
            const ViBbviVariancePoint *p = &s->points[i];
            const ViBbviVarianceStat *st = &p->est[e];

            g_string_append_printf (out, "%.17g,%zu,%zu,%s,", p->theta, p->samples, p->repeats,
                                    vi_bbvi_estimator_get_name (e));
            if (st->defined)
              g_string_append_printf (out, "%.17g,%.17g,%.17g,%.17g,", st->mean, st->variance,
                                      st->variance_exact, st->bias);
            else
              g_string_append (out, ",,,,");
            g_string_append_printf (out, "%.17g\n", p->exact_gradient);
          }
    }
  else
    {
      /* The documented columns first; the gradient's noise after them. */
      g_string_append (out, "estimator,iteration,elbo,elbo_estimate");
      for (size_t d = 0; d < s->dim; d++)
        g_string_append_printf (out, ",%s", names[d]);
      g_string_append (out, ",grad_var,grad_snr\n");
      for (size_t k = 0; k < s->n_traces; k++)
        {
          const ViBbviTrace *t = &s->traces[k];

          for (size_t i = 0; i < t->len; i++)
            {
              g_string_append_printf (out, "%s,%.0f,%.17g,%.17g",
                                      vi_bbvi_estimator_get_name (t->estimator), t->iteration[i],
                                      t->elbo[i], t->elbo_estimate[i]);
              for (size_t d = 0; d < s->dim; d++)
                g_string_append_printf (out, ",%.17g", t->params[i * s->dim + d]);
              csv_number (out, t->grad_var[i]);
              csv_number (out, t->grad_snr[i]);
              g_string_append_c (out, '\n');
            }
        }
    }
}

/* ---- plots ---- */

/* The optimize figure: ELBO | parameters | q(λ), built by the bbvi views
 * the app's page draws with. */
static void
plot_optimize (ViFigure             *fig,
               const ViBbviSnapshot *s)
{
  ViViewContext ctx;

  vi_view_context_init (&ctx);
  ctx.live = TRUE;
  vi_bbvi_overview_view_build (fig, s, &ctx);
}

/* The variance figure: the page's "gradient variance" view. */
static void
plot_variance (ViFigure             *fig,
               const ViBbviSnapshot *s,
               gboolean              sweep_theta)
{
  ViViewContext ctx;

  vi_view_context_init (&ctx);
  ctx.sweep_theta = sweep_theta;
  vi_bbvi_variance_view_build (fig, s, &ctx);
}

static ViFigure *
build_figure (gpointer   result,
              GVariant  *params,
              double    *width,
              double    *height,
              GError   **error)
{
  const ViBbviSnapshot *s = result;
  guint cols = s->variance_mode ? vi_bbvi_variance_view_cols (s)
                                : vi_bbvi_overview_view_cols (s);
  ViFigure *fig = vi_figure_create (1, cols);

  if (s->variance_mode)
    plot_variance (fig, s, is_sweep_theta (params));
  else
    plot_optimize (fig, s);
  /* The variance figure at the app's export size, so the two match. */
  *width = s->variance_mode ? VI_VIEW_EXPORT_WIDTH * (cols > 1 ? 1.5 : 1) : 400.0 * cols;
  *height = s->variance_mode ? VI_VIEW_EXPORT_HEIGHT : 400;
  return fig;
}

const ViCliDescriptor vi_cli_bbvi_command = {
  .name = "bbvi",
  .parameter_string = "— black-box VI on the Poisson–Gamma model",
  .summary =
    "λ ~ Gamma(α, β), xₙ | λ ~ Poisson(λ). Fits q(λ) by stochastic gradient ascent on the\n"
    "ELBO with a Monte-Carlo gradient estimator, and reports the exact ELBO, the\n"
    "optimum in the family and KL(q ‖ posterior). With --variance, measures the\n"
    "variance of each estimator over R repeats against its exact value, per\n"
    "coordinate of the family's parameters (theta; shape, rate; mu, sigma2).",
  .description =
    "Estimators: naive score function; cv (score function with the control variate\n"
    "h = ∇log q and leave-one-out â, unbiased, S ≥ 2); cv-suff (least-squares control\n"
    "variates h, h·log λ, h·λ with known means, leave-one-out fit, S ≥ 3); reparam\n"
    "(exponential λ = ε/θ, lognormal λ = e^(μ+σε), gamma by implicit reparameterisation).\n"
    "Positive parameters are optimised in log space; Adam's rate decays as ρ₀ τ/(τ + t)\n"
    "(τ = 5 for exponential, 100 for gamma/lognormal).\n"
    "\nExit status: 0 success, 1 bad counts file or a diverging run, 2 bad options,\n"
    "130 interrupted.\n"
    "\nExamples:\n"
    "  elbo-lab-cli bbvi --plot bbvi.png   (synthetic N = 50, rate 4)\n"
    "  elbo-lab-cli bbvi --synthetic 50 --true-rate 4 --estimator cv --json\n"
    "  elbo-lab-cli bbvi --seed 2 --data-seed 1 --json   (new noise, same data)\n"
    "  elbo-lab-cli bbvi --synthetic 50 --variance --samples 100 --repeats 1000\n"
    "  elbo-lab-cli bbvi --synthetic 50 --variance --sweep-samples 2,10,100 --csv sweep.csv\n"
    "  elbo-lab-cli bbvi --family gamma --variance --at-params 50,15 --samples 10 --json\n"
    "\nThe variance CSV of the exponential family has the header\n"
    "theta,samples,repeats,estimator,mean,variance,variance_exact,bias,exact_gradient;\n"
    "gamma and lognormal start with their parameters and have a row per coordinate:\n"
    "shape,rate,samples,repeats,estimator,coordinate,mean,variance,variance_stderr,\n"
    "variance_exact,bias,exact_gradient.\n",
  .job_type = &vi_bbvi_job_type,
  .csv_help = "Write the trace (or the variance table) as CSV",
  .plot_help = "Draw the ELBO/parameter/density traces (or the variance plot) to FILE "
               "(.png, .svg, .pdf; .csv: the figure's data)",
  .check = check_options,
  .add_json = add_json,
  .print_text = print_text,
  .write_csv = write_csv,
  .estimate_seconds = vi_cli_bbvi_estimate_seconds,
  .build_figure = build_figure,
};
