/* vi-cli-bbvi.c — `elbo-lab-cli bbvi`: black-box VI on the Poisson–Gamma
 * model, and the gradient-variance experiment
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vi-bbvi-job.h"
#include "vi-bbvi-views.h"
#include "vi-cli-commands.h"
#include "vi-cli-common.h"
#include "vi-core-autocleanups.h"
#include "vi-figure.h"
#include "vi-status.h"

typedef struct
{
  char *alpha, *beta, *counts, *synthetic, *true_rate, *seed, *family, *estimator;
  char *samples, *iterations, *optimizer, *step_size, *csv, *at, *repeats;
  char *sweep_samples, *sweep_theta, *threads, *plot;
  gboolean json, variance;
} Options;

static void
options_clear (Options *o)
{
  char **fields[] = { &o->alpha, &o->beta, &o->counts, &o->synthetic, &o->true_rate, &o->seed,
                      &o->family, &o->estimator, &o->samples, &o->iterations, &o->optimizer,
                      &o->step_size, &o->csv, &o->at, &o->repeats, &o->sweep_samples,
                      &o->sweep_theta, &o->threads, &o->plot };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    g_clear_pointer (fields[i], g_free);
}

static gboolean
add_double (GVariantBuilder *b,
            const char      *key,
            const char      *option,
            const char      *text,
            GError         **error)
{
  double x;

  if (text == NULL)
    return TRUE;
  if (!vi_cli_parse_double (option, text, &x, error))
    return FALSE;
  if (!isfinite (x))
    return vi_cli_usage_error (error, "%s: must be finite (got '%s')", option, text);
  g_variant_builder_add (b, "{sv}", key, g_variant_new_double (x));
  return TRUE;
}

static gboolean
add_int (GVariantBuilder *b,
         const char      *key,
         const char      *option,
         const char      *text,
         guint64          min,
         guint64          max,
         GError         **error)
{
  guint64 x;

  if (text == NULL)
    return TRUE;
  if (!vi_cli_parse_uint64 (option, text, min, max, &x, error))
    return FALSE;
  g_variant_builder_add (b, "{sv}", key, g_variant_new_int64 ((gint64) x));
  return TRUE;
}

/* Options → job parameters; every check that can be done without the data
 * is a usage error here or in the job's create. */
static GVariant *
build_params (const Options *o,
              guint64       *seed,
              GError       **error)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  *seed = 1;
  if (o->counts != NULL && o->synthetic != NULL)
    {
      vi_cli_usage_error (error, "--counts and --synthetic exclude each other");
      goto fail;
    }
  if (o->counts == NULL && o->synthetic == NULL)
    {
      vi_cli_usage_error (error, "give the data: --counts FILE or --synthetic N [--true-rate R]");
      goto fail;
    }
  if (o->counts != NULL && o->true_rate != NULL)
    {
      vi_cli_usage_error (error, "--true-rate only applies to --synthetic");
      goto fail;
    }
  if (!o->variance && (o->at != NULL || o->repeats != NULL || o->sweep_samples != NULL
                       || o->sweep_theta != NULL))
    {
      vi_cli_usage_error (error, "%s needs --variance",
                   o->at != NULL ? "--at" : o->repeats != NULL ? "--repeats"
                   : o->sweep_samples != NULL ? "--sweep-samples" : "--sweep-theta");
      goto fail;
    }
  if (o->variance && (o->iterations != NULL || o->optimizer != NULL || o->step_size != NULL))
    {
      vi_cli_usage_error (error, "%s does not apply to --variance",
                   o->iterations != NULL ? "--iterations"
                   : o->optimizer != NULL ? "--optimizer" : "--step-size");
      goto fail;
    }
  if (o->seed != NULL && !vi_cli_parse_uint64 ("--seed", o->seed, 0, G_MAXUINT64, seed, error))
    goto fail;
  g_variant_builder_add (&b, "{sv}", "seed", g_variant_new_uint64 (*seed));
  if (!add_double (&b, "alpha", "--alpha", o->alpha, error)
      || !add_double (&b, "beta", "--beta", o->beta, error)
      || !add_double (&b, "true-rate", "--true-rate", o->true_rate, error)
      || !add_double (&b, "step-size", "--step-size", o->step_size, error)
      || !add_double (&b, "at", "--at", o->at, error)
      || !add_int (&b, "synthetic-n", "--synthetic", o->synthetic, 1, 10000000, error)
      || !add_int (&b, "samples", "--samples", o->samples, 1, 1000000, error)
      || !add_int (&b, "iterations", "--iterations", o->iterations, 1, 100000000, error)
      || !add_int (&b, "repeats", "--repeats", o->repeats, 2, 10000000, error)
      || !add_int (&b, "threads", "--threads", o->threads, 0, 64, error))
    goto fail;
  if (o->counts != NULL)
    g_variant_builder_add (&b, "{sv}", "counts-file", g_variant_new_string (o->counts));
  if (o->family != NULL)
    g_variant_builder_add (&b, "{sv}", "family", g_variant_new_string (o->family));
  if (o->estimator != NULL)
    g_variant_builder_add (&b, "{sv}", "estimators", g_variant_new_string (o->estimator));
  if (o->optimizer != NULL)
    g_variant_builder_add (&b, "{sv}", "optimizer", g_variant_new_string (o->optimizer));
  if (o->variance)
    g_variant_builder_add (&b, "{sv}", "mode", g_variant_new_string ("variance"));
  if (o->sweep_samples != NULL && o->sweep_theta != NULL)
    {
      vi_cli_usage_error (error, "--sweep-samples and --sweep-theta exclude each other");
      goto fail;
    }
  if (o->sweep_samples != NULL)
    {
      g_autoptr(GArray) list = vi_cli_parse_double_list ("--sweep-samples", o->sweep_samples,
                                                         error);
      g_autoptr(GArray) ints = g_array_new (FALSE, FALSE, sizeof (guint64));

      if (list == NULL)
        goto fail;
      for (guint i = 0; i < list->len; i++)
        {
          double s = g_array_index (list, double, i);
          guint64 si = (guint64) s;

          if (!(s >= 1.0 && s <= 1e6 && s == floor (s)))
            {
              vi_cli_usage_error (error,
                           "--sweep-samples: values must be integers in [1, 1000000] (got %g)", s);
              goto fail;
            }
          g_array_append_val (ints, si);
        }
      g_variant_builder_add (&b, "{sv}", "sweep-samples",
                             g_variant_new_fixed_array (G_VARIANT_TYPE_UINT64, ints->data,
                                                        ints->len, sizeof (guint64)));
    }
  if (o->sweep_theta != NULL && g_strcmp0 (o->sweep_theta, "auto") == 0)
    g_variant_builder_add (&b, "{sv}", "sweep-theta-grid", g_variant_new_int64 (9));
  else if (o->sweep_theta != NULL)
    {
      g_autoptr(GArray) list = vi_cli_parse_double_list ("--sweep-theta", o->sweep_theta, error);

      if (list == NULL)
        goto fail;
      for (guint i = 0; i < list->len; i++)
        if (!(g_array_index (list, double, i) > 0.0))
          {
            vi_cli_usage_error (error, "--sweep-theta: values must be > 0 (got %g)",
                         g_array_index (list, double, i));
            goto fail;
          }
      g_variant_builder_add (&b, "{sv}", "sweep-theta",
                             g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, list->data,
                                                        list->len, sizeof (double)));
    }
  if (o->at != NULL && o->sweep_theta != NULL)
    {
      vi_cli_usage_error (error, "--at and --sweep-theta exclude each other");
      goto fail;
    }
  return g_variant_ref_sink (g_variant_builder_end (&b));

fail:
  g_variant_builder_clear (&b);
  return NULL;
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
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) s->seed);
}

static void
add_point (JsonBuilder               *b,
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

      json_builder_set_member_name (b, vi_bbvi_estimator_get_name (e));
      json_builder_begin_object (b);
      /* An estimator undefined at this S (or not requested) reports null. */
      vi_json_add_double_member (b, "mean", st->defined ? st->mean : NAN);
      vi_json_add_double_member (b, "variance", st->defined ? st->variance : NAN);
      vi_json_add_double_member (b, "variance_exact", st->defined ? st->variance_exact : NAN);
      vi_json_add_double_member (b, "bias", st->defined ? st->bias : NAN);
      vi_json_add_double_member (b, "mean_stderr", st->defined ? st->mean_stderr : NAN);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static void
print_json (const ViBbviSnapshot *s,
            gboolean              sweep,
            double                seconds)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *const *names = vi_bbvi_family_get_param_names (s->family);
  gboolean is_exp = s->dim == 1;

  json_builder_begin_object (b);
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
              add_point (b, &s->points[i]);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
        }
      else
        add_point (b, &s->points[0]);
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
    }
  vi_json_add_double_member (b, "seconds", seconds);
  json_builder_end_object (b);
  vi_json_print (b);
}

static void
print_text (const ViBbviSnapshot *s,
            double                seconds)
{
  const char *const *names = vi_bbvi_family_get_param_names (s->family);

  printf ("model        alpha %s  beta %s  n %" G_GUINT64_FORMAT "  sum_x %s\n",
          vi_cli_fmt (s->alpha), vi_cli_fmt (s->beta), s->n, vi_cli_fmt (s->sum_x));
  printf ("posterior    Gamma(shape %s, rate %s)   log p(x) %s\n",
          vi_cli_fmt (s->posterior_shape), vi_cli_fmt (s->posterior_rate),
          vi_cli_fmt (s->log_evidence));
  if (s->variance_mode)
    {
      printf ("theta*       %s\n", vi_cli_fmt (s->params_opt[0]));
      printf ("%-10s %6s %-8s %14s %14s %14s %14s\n", "theta", "S", "estimator", "mean",
              "variance", "exact var", "ratio");
      for (size_t i = 0; i < s->n_points; i++)
        for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
          {
            const ViBbviVarianceStat *st = &s->points[i].est[e];

            if (!st->defined)
              continue;
            printf ("%-10s %6zu %-8s %14s %14s %14s %14s\n", vi_cli_fmt (s->points[i].theta),
                    s->points[i].samples, vi_bbvi_estimator_get_name (e), vi_cli_fmt (st->mean),
                    vi_cli_fmt (st->variance), vi_cli_fmt (st->variance_exact),
                    st->variance_exact > 0 ? vi_cli_fmt (st->variance / st->variance_exact)
                                           : "-");
          }
      printf ("(exact gradient at each theta: ");
      for (size_t i = 0; i < s->n_points; i++)
        printf ("%s%s", i ? ", " : "", vi_cli_fmt (s->points[i].exact_gradient));
      printf (")\n");
    }
  else
    {
      const ViBbviTrace *t = &s->traces[0];

      printf ("family       %s, estimator %s, S %zu, %" G_GUINT64_FORMAT " iterations\n",
              vi_bbvi_family_get_name (s->family), vi_bbvi_estimator_get_name (t->estimator),
              s->samples, s->iteration);
      for (size_t d = 0; d < s->dim; d++)
        printf ("%-12s %s   (optimum %s)\n", names[d], vi_cli_fmt (t->current[d]),
                vi_cli_fmt (s->params_opt[d]));
      printf ("ELBO         %s   (best in family %s)\n", vi_cli_fmt (t->current_elbo),
              vi_cli_fmt (s->elbo_opt));
      printf ("KL(q||post)  %s\n", vi_cli_fmt (s->log_evidence - t->current_elbo));
    }
  printf ("seconds      %.3f\n", seconds);
}

static gboolean
write_csv (const char           *path,
           const ViBbviSnapshot *s,
           GError              **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *const *names = vi_bbvi_family_get_param_names (s->family);

  if (s->variance_mode)
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
      g_string_append (out, "estimator,iteration,elbo,elbo_estimate");
      for (size_t d = 0; d < s->dim; d++)
        g_string_append_printf (out, ",%s", names[d]);
      g_string_append_c (out, '\n');
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
              g_string_append_c (out, '\n');
            }
        }
    }
  if (!g_file_set_contents (path, out->str, (gssize) out->len, error))
    {
      g_prefix_error (error, "--csv: ");
      return FALSE;
    }
  return TRUE;
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

static gboolean
write_plot (const char           *path,
            const ViBbviSnapshot *s,
            gboolean              sweep_theta,
            GError              **error)
{
  guint cols = s->variance_mode ? 1 : vi_bbvi_overview_view_cols (s);
  ViFigure *fig = vi_figure_create (1, cols);
  gboolean ok;

  if (s->variance_mode)
    plot_variance (fig, s, sweep_theta);
  else
    plot_optimize (fig, s);
  /* The variance figure at the app's export size, so the two match. */
  ok = vi_view_export (fig, path, s->variance_mode ? 0 : 400.0 * cols, 400, error);
  vi_figure_free (fig);
  if (!ok)
    g_prefix_error (error, "--plot: ");
  return ok;
}

int
vi_cli_bbvi (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) params = NULL;
  g_autoptr(ViJob) job = NULL;
  ViBbviSnapshot *snap = NULL;
  Options o = { 0 };
  guint64 seed;
  gint cancel = 0;
  gint64 t0;
  double seconds;
  int status, code = VI_EXIT_OK;
  GOptionEntry entries[] = {
    { "alpha", 0, 0, G_OPTION_ARG_STRING, &o.alpha, "Prior shape α > 0 (default 2)", "A" },
    { "beta", 0, 0, G_OPTION_ARG_STRING, &o.beta, "Prior rate β > 0 (default 1)", "B" },
    { "counts", 0, 0, G_OPTION_ARG_FILENAME, &o.counts,
      "Counts file: one non-negative integer per line, # comments", "FILE" },
    { "synthetic", 0, 0, G_OPTION_ARG_STRING, &o.synthetic,
      "Draw N synthetic counts (stream 0 of the seed)", "N" },
    { "true-rate", 0, 0, G_OPTION_ARG_STRING, &o.true_rate,
      "Poisson rate of the synthetic counts (default 4)", "R" },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &o.seed,
      "Random seed (default 1); estimator k draws from stream 1 + k", "S" },
    { "family", 'f', 0, G_OPTION_ARG_STRING, &o.family,
      "Variational family: exponential (default) | gamma | lognormal", "NAME" },
    { "estimator", 'e', 0, G_OPTION_ARG_STRING, &o.estimator,
      "Gradient estimator: naive | cv (default) | cv-suff | reparam", "NAME" },
    { "samples", 'n', 0, G_OPTION_ARG_STRING, &o.samples,
      "Samples S per gradient estimate (default 100)", "S" },
    { "iterations", 'i', 0, G_OPTION_ARG_STRING, &o.iterations,
      "Optimisation steps (default 3000)", "T" },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &o.optimizer,
      "rm | adagrad | adam (default)", "NAME" },
    { "step-size", 0, 0, G_OPTION_ARG_STRING, &o.step_size,
      "Base step ρ₀ (default: adam 0.05 exponential / 0.2 otherwise, rm 0.002, adagrad 0.1)",
      "X" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, "Print one JSON object", NULL },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &o.csv,
      "Write the trace (or the variance table) as CSV", "FILE" },
    { "plot", 0, 0, G_OPTION_ARG_FILENAME, &o.plot,
      "Draw the ELBO/parameter/density traces (or the variance plot) to FILE (.png, .svg, .pdf)",
      "FILE" },
    { "variance", 0, 0, G_OPTION_ARG_NONE, &o.variance,
      "Gradient-variance experiment (exponential family) instead of optimising", NULL },
    { "at", 0, 0, G_OPTION_ARG_STRING, &o.at, "θ for --variance (default θ*)", "THETA" },
    { "repeats", 'r', 0, G_OPTION_ARG_STRING, &o.repeats,
      "Repeats R of the S-sample estimate (default 1000)", "R" },
    { "sweep-samples", 0, 0, G_OPTION_ARG_STRING, &o.sweep_samples,
      "Sweep S, e.g. 2,5,10,100,1000", "S,…" },
    { "sweep-theta", 0, 0, G_OPTION_ARG_STRING, &o.sweep_theta,
      "Sweep θ at fixed S, e.g. 0.1,0.2,0.5, or 'auto': 9 points on a log grid θ*/10 … 10θ*",
      "θ,…" },
    { "threads", 0, 0, G_OPTION_ARG_STRING, &o.threads,
      "Worker threads for the repeats (default 0: one per processor)", "N" },
    { NULL }
  };

  ctx = g_option_context_new ("— black-box VI on the Poisson–Gamma model");
  g_option_context_set_summary (ctx,
    "λ ~ Gamma(α, β), xₙ | λ ~ Poisson(λ). Fits q(λ) by stochastic gradient ascent on the\n"
    "ELBO with a Monte-Carlo gradient estimator, and reports the exact ELBO, the\n"
    "optimum in the family and KL(q ‖ posterior). With --variance, measures the\n"
    "variance of each estimator over R repeats against its exact value.");
  g_option_context_set_description (ctx,
    "Estimators: naive score function; cv (score function with the control variate\n"
    "h = ∇log q and leave-one-out â, unbiased, S ≥ 2); cv-suff (least-squares control\n"
    "variates h, h·log λ, h·λ with known means, leave-one-out fit, S ≥ 3); reparam\n"
    "(exponential λ = ε/θ, lognormal λ = e^(μ+σε), gamma by implicit reparameterisation).\n"
    "Positive parameters are optimised in log space; Adam's rate decays as ρ₀ τ/(τ + t)\n"
    "(τ = 5 for exponential, 100 for gamma/lognormal).\n"
    "\nExit status: 0 success, 1 bad counts file or a diverging run, 2 bad options.\n"
    "\nExamples:\n"
    "  elbo-lab-cli bbvi --synthetic 50 --true-rate 4 --estimator cv --json\n"
    "  elbo-lab-cli bbvi --synthetic 50 --variance --samples 100 --repeats 1000\n"
    "  elbo-lab-cli bbvi --synthetic 50 --variance --sweep-samples 2,10,100 --csv sweep.csv\n");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      code = vi_cli_report_error ("bbvi", error);
      goto out;
    }
  if (argc > 1)
    {
      vi_cli_usage_error (&error, "unexpected argument '%s'", argv[1]);
      code = vi_cli_report_error ("bbvi", error);
      goto out;
    }
  if (!o.variance && o.estimator != NULL && strchr (o.estimator, ',') != NULL)
    {
      vi_cli_usage_error (&error, "--estimator: give one estimator (got '%s')", o.estimator);
      code = vi_cli_report_error ("bbvi", error);
      goto out;
    }
  if (o.plot != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (o.plot, -1);

      if (!g_str_has_suffix (lower, ".png") && !g_str_has_suffix (lower, ".svg")
          && !g_str_has_suffix (lower, ".pdf"))
        {
          vi_cli_usage_error (&error, "--plot: unknown format (use .png, .svg or .pdf; got '%s')",
                              o.plot);
          code = vi_cli_report_error ("bbvi", error);
          goto out;
        }
    }
  params = build_params (&o, &seed, &error);
  if (params == NULL)
    {
      code = vi_cli_report_error ("bbvi", error);
      goto out;
    }

  vi_job_type_register (&vi_bbvi_job_type);
  job = vi_job_create (&vi_bbvi_job_type, params, &error);
  if (job == NULL)
    {
      /* A bad counts file is a runtime error; any other bad value a usage error. */
      gboolean data_error = error->domain == VI_ERROR
                            && (error->code == VI_EIO || error->code == VI_EFORMAT);
      g_autoptr(GError) mapped = g_error_new_literal (VI_CLI_ERROR,
                                                      data_error ? VI_EXIT_RUNTIME : VI_EXIT_USAGE,
                                                      error->message);

      code = vi_cli_report_error ("bbvi", mapped);
      goto out;
    }
  t0 = g_get_monotonic_time ();
  while ((status = vi_job_step (job, &cancel)) == VI_CONTINUE)
    ;
  seconds = (double) (g_get_monotonic_time () - t0) / 1e6;
  if (status != VI_OK)
    {
      g_autoptr(GError) run_error = g_error_new (VI_CLI_ERROR, VI_EXIT_RUNTIME, "%s",
                                                 vi_job_get_error_message (job) != NULL
                                                 ? vi_job_get_error_message (job)
                                                 : vi_status_to_string (status));

      code = vi_cli_report_error ("bbvi", run_error);
      goto out;
    }
  snap = vi_job_snapshot (job);
  if (o.csv != NULL && !write_csv (o.csv, snap, &error))
    {
      code = vi_cli_report_error ("bbvi", error);
      goto out;
    }
  if (o.plot != NULL && !write_plot (o.plot, snap, o.sweep_theta != NULL, &error))
    {
      code = vi_cli_report_error ("bbvi", error);
      goto out;
    }
  if (o.json)
    print_json (snap, o.sweep_samples != NULL || o.sweep_theta != NULL, seconds);
  else
    print_text (snap, seconds);

out:
  if (snap != NULL)
    vi_job_snapshot_free (job, snap);
  options_clear (&o);
  return code;
}
