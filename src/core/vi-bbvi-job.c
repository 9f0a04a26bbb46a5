/* vi-bbvi-job.c — the "bbvi" job type (see vi-bbvi-job.h)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-bbvi-job-private.h"
#include "vi-bbvi-job.h"
#include "vi-dataset.h"
#include "vi-optim.h"
#include "vi-rng.h"
#include "vi-status.h"

/* Beyond this |u| the positive parameters e^u would overflow soon. */
#define U_LIMIT 700.0

/* A run's trace keeps at most this many points: when full, every other
 * point goes and the run records every 2nd, 4th, … iteration after that,
 * so a long run's memory stays flat (about 0.25 MB per estimator). 2¹²,
 * not more: the app copies every trace into each frame's snapshot and
 * plots it, and 2¹⁶ points × 4 estimators cost ~75 ms of the UI thread a
 * frame (bench-app); 4096 points are still 4 per pixel of a wide plot. */
#define TRACE_MAX (1u << 12)

static void
bbvi_free (gpointer data)
{
  BbviJob *job = data;

  if (job == NULL)
    return;
  for (size_t i = 0; i < job->n_runs; i++)
    {
      Run *r = &job->runs[i];

      if (r->rng != NULL)
        gsl_rng_free (r->rng);
      vi_optimizer_free (r->opt);
      g_clear_pointer (&r->iteration, g_array_unref);
      g_clear_pointer (&r->elbo, g_array_unref);
      g_clear_pointer (&r->elbo_estimate, g_array_unref);
      g_clear_pointer (&r->trace_params, g_array_unref);
      g_clear_pointer (&r->grad_var, g_array_unref);
      g_clear_pointer (&r->grad_snr, g_array_unref);
      g_free (r->message);
    }
  vi_bbvi_workspace_free (job->ws);
  g_clear_pointer (&job->sweep_samples, g_array_unref);
  g_clear_pointer (&job->sweep_theta, g_array_unref);
  g_clear_pointer (&job->points, g_array_unref);
  g_free (job);
}

/* The seed of the synthetic counts: data-seed, else the Monte-Carlo seed
 * (so settings without data-seed draw the data they always drew). */
static guint64
data_seed (GVariant *params)
{
  return vi_params_has (params, "data-seed") ? vi_params_get_uint64 (params, "data-seed")
                                             : vi_params_get_uint64 (params, "seed");
}

static gboolean
load_counts (GVariant  *params,
             guint64  **x,
             size_t    *n,
             GError   **error)
{
  gsize len = 0;
  const gint64 *counts = vi_params_get_int_list (params, "counts", &len);

  if (vi_params_has (params, "counts-file"))
    {
      /* Loaded once per path and content (vi-dataset.h): a new job for
       * the same unchanged file does not read it again. */
      g_autoptr(ViDataset) data = vi_dataset_load (vi_params_get_string (params, "counts-file"),
                                                   VI_DATASET_COUNTS, error);

      if (data == NULL)
        return FALSE;
      counts = (const gint64 *) vi_dataset_get_counts (data, n);
      *x = g_memdup2 (counts, *n * sizeof (guint64));
      return TRUE;
    }
  if (counts != NULL)
    {
      /* Items are ≥ 0 (the table's range). */
      *x = g_memdup2 (counts, len * sizeof (guint64));
      *n = len;
      return TRUE;
    }
  *n = (size_t) vi_params_get_int64 (params, "synthetic-n");
  return (*x = vi_bbvi_counts_synthetic (*n, vi_params_get_double (params, "true-rate"),
                                         data_seed (params), error)) != NULL;
}

/* Default step size and schedule. Adam's rate decays as ρ₀ τ/(τ + t): the
 * exponential family starts near θ* and needs a short plateau (small ρ₀τ) so
 * that the noisy iterate settles (|θ/θ* − 1| ≲ 0.6 % over 20 seeds at S = 100,
 * 3000 iterations); gamma and lognormal must move their shape/σ² about five
 * log-units from the prior, so they get a longer plateau (KL ≲ 1e-4). */
static void
default_schedule (const char         *optimizer,
                  const ViBbviFamily *family,
                  double             *step,
                  double             *tau,
                  double             *kappa)
{
  gboolean one_param = vi_bbvi_family_get_dim (family) == 1;

  *step = vi_optimizer_default_step_size (optimizer);
  *tau = NAN;
  *kappa = NAN;
  if (g_strcmp0 (optimizer, "adam") == 0)
    {
      *step = one_param ? 0.05 : 0.2;
      *tau = one_param ? 5.0 : 100.0;
      *kappa = 1.0;
    }
}

/* The base step ρ₀ @params ask for: step-size, else the optimiser's
 * default; @tau and @kappa get the default schedule (NaN: none). */
static double
step_size (GVariant           *params,
           const ViBbviFamily *family,
           double             *tau,
           double             *kappa)
{
  double step;

  default_schedule (vi_params_get_string (params, "optimizer"), family, &step, tau, kappa);
  return vi_params_has (params, "step-size") ? vi_params_get_double (params, "step-size") : step;
}

static gboolean
parse_estimators (const char       *list,
                  ViBbviEstimator  *out,
                  size_t           *n_out,
                  GError          **error)
{
  g_auto(GStrv) items = g_strsplit (list, ",", -1);
  size_t n = 0;

  for (guint i = 0; items[i] != NULL; i++)
    {
      ViBbviEstimator e;
      char *name = g_strstrip (items[i]);

      if (!vi_bbvi_estimator_from_name (name, &e))
        {
          g_set_error (error, VI_ERROR, VI_EINVAL,
                       "estimator: unknown estimator '%s' (valid: naive, cv, cv-suff, reparam)",
                       name);
          return FALSE;
        }
      for (size_t k = 0; k < n; k++)
        if (out[k] == e)
          {
            g_set_error (error, VI_ERROR, VI_EINVAL, "estimator: '%s' given twice", name);
            return FALSE;
          }
      out[n++] = e;
    }
  if (n == 0)
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "estimator: empty list");
      return FALSE;
    }
  *n_out = n;
  return TRUE;
}

static gboolean
check_estimator (const ViBbviFamily *family,
                 ViBbviEstimator     e,
                 size_t              samples,
                 GError            **error)
{
  if (e == VI_BBVI_REPARAM && !vi_bbvi_family_has_reparam (family))
    {
      g_set_error (error, VI_ERROR, VI_EINVAL,
                   "estimator: reparam is not available for the %s family "
                   "(implicit reparameterisation is not implemented)",
                   vi_bbvi_family_get_name (family));
      return FALSE;
    }
  if (samples < vi_bbvi_estimator_min_samples (e))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "samples: estimator %s needs at least %zu (got %zu)",
                   vi_bbvi_estimator_get_name (e), vi_bbvi_estimator_min_samples (e), samples);
      return FALSE;
    }
  return TRUE;
}

/* ---- parameters ---------------------------------------------------------- */

static const char *const family_choices[] = { "exponential", "gamma", "lognormal", NULL };
static const char *const mode_choices[] = { "optimize", "variance", NULL };
static const char *const optimizer_choices[] = { "rm", "adagrad", "adam", NULL };
/* As run labels show them (vi_params_describe_value). */
static const char *const family_labels[] = { "Exponential", "Gamma", "LogNormal", NULL };
static const char *const optimizer_labels[] = { "Robbins–Monro", "AdaGrad", "Adam", NULL };

/* --variance: mode = "variance". */
static gboolean
parse_variance_flag (const ViParamSpec  *spec,
                     const char         *option,
                     const char *const  *values,
                     GVariantDict       *params,
                     GError            **error)
{
  g_variant_dict_insert (params, spec->key, "s", "variance");
  return TRUE;
}

/* --sweep-theta: a list of θ, or "auto" for a log grid of 9 around θ*. */
static gboolean
parse_sweep_theta (const ViParamSpec  *spec,
                   const char         *option,
                   const char *const  *values,
                   GVariantDict       *params,
                   GError            **error)
{
  while (values[1] != NULL)
    values++;
  if (g_strcmp0 (values[0], "auto") == 0)
    {
      g_variant_dict_insert (params, "sweep-theta-grid", "x", (gint64) 9);
      return TRUE;
    }
  return vi_params_parse_cli (spec, option, values, params, error);
}

static const ViParamSpec bbvi_params[] = {
  { .key = "alpha", .type = VI_PARAM_DOUBLE, .flags = VI_PARAM_MIN_EXCLUSIVE,
    .help = "Prior shape α", .def = 2.0, .min = 0.0, .max = G_MAXDOUBLE,
    .cli = { "alpha", 0, "A" },
    .label = "α = %s" },
  { .key = "beta", .type = VI_PARAM_DOUBLE, .flags = VI_PARAM_MIN_EXCLUSIVE,
    .help = "Prior rate β", .def = 1.0, .min = 0.0, .max = G_MAXDOUBLE,
    .cli = { "beta", 0, "B" },
    .label = "β = %s" },
  { .key = "family", .type = VI_PARAM_ENUM, .help = "Variational family",
    .sdef = "exponential", .choices = family_choices, .cli = { "family", 'f', "NAME" },
    .label = "%s q", .choice_labels = family_labels },
  { .key = "mode", .type = VI_PARAM_ENUM, .help = "Optimise, or measure gradient variance",
    .sdef = "optimize", .choices = mode_choices,
    .cli = { "variance", 0, NULL,
             "Gradient-variance experiment (per coordinate of the family's parameters) "
             "instead of optimising",
             parse_variance_flag } },
  { .key = "samples", .type = VI_PARAM_INT64, .help = "Samples S per gradient estimate",
    .idef = 100, .imin = 1, .imax = 1000000, .cli = { "samples", 'n', "S" },
    .label = "S = %s" },
  { .key = "iterations", .type = VI_PARAM_INT64, .help = "Optimisation steps", .idef = 3000,
    .imin = 1, .imax = 100000000, .cli = { "iterations", 'i', "T" },
    .label = "%s steps" },
  { .key = "repeats", .type = VI_PARAM_INT64,
    .help = "Repeats R of the S-sample estimate (--variance)", .idef = 1000, .imin = 2,
    .imax = 10000000, .cli = { "repeats", 'r', "R" },
    .label = "R = %s" },
  { .key = "show-estimates", .type = VI_PARAM_BOOL, .flags = VI_PARAM_VIEW,
    .help = "Draw the noisy ELBO estimates as a band on the gap plot", .idef = 0 },
  { .key = "threads", .type = VI_PARAM_INT64, .flags = VI_PARAM_LIVE,
    .help = "Worker threads for the repeats (0: one per processor)", .idef = 0, .imin = 0,
    .imax = 64, .cli = { "threads", 0, "N" } },
  { .key = "estimators", .type = VI_PARAM_STRING, .flags = VI_PARAM_OPTIONAL,
    .help = "Gradient estimators, comma-separated: naive, cv, cv-suff, reparam (default cv; "
            "all with --variance)",
    .cli = { "estimator", 'e', "NAME", "Gradient estimator: naive | cv (default) | cv-suff | "
             "reparam" },
    .label = "estimator %s" },
  { .key = "optimizer", .type = VI_PARAM_ENUM, .help = "Optimiser", .sdef = "adam",
    .choices = optimizer_choices, .cli = { "optimizer", 0, "NAME" },
    .label = "%s", .choice_labels = optimizer_labels },
  { .key = "step-size", .type = VI_PARAM_DOUBLE,
    .flags = VI_PARAM_OPTIONAL | VI_PARAM_MIN_EXCLUSIVE | VI_PARAM_LIVE,
    .help = "Base step ρ₀ (default: adam 0.05 exponential / 0.2 otherwise, rm 0.002, "
            "adagrad 0.1)", .min = 0.0, .max = G_MAXDOUBLE, .cli = { "step-size", 0, "X" },
    .label = "step %s" },
  { .key = "tau", .type = VI_PARAM_DOUBLE, .flags = VI_PARAM_OPTIONAL,
    .help = "Schedule τ (with kappa)", .min = 0.0, .max = 1e9,
    .label = "τ = %s" },
  { .key = "kappa", .type = VI_PARAM_DOUBLE, .flags = VI_PARAM_OPTIONAL,
    .help = "Schedule κ (with tau)", .min = 0.0, .max = 1.0,
    .label = "κ = %s" },
  { .key = "counts-file", .type = VI_PARAM_PATH, .flags = VI_PARAM_OPTIONAL | VI_PARAM_DATA,
    .help = "Counts file: one non-negative integer per line, # comments",
    .cli = { "counts", 0, "FILE" },
    .label = "file %s" },
  { .key = "counts", .type = VI_PARAM_INT_LIST,
    .flags = VI_PARAM_OPTIONAL | VI_PARAM_DATA | VI_PARAM_ALLOW_EMPTY,
    .help = "The counts themselves", .imin = 0, .imax = G_MAXINT64,
    .label = "counts %s" },
  { .key = "synthetic-n", .type = VI_PARAM_INT64, .flags = VI_PARAM_DATA,
    .help = "Draw N synthetic counts (stream 0 of the data seed)", .idef = 50, .imin = 1,
    .imax = 10000000, .cli = { "synthetic", 0, "N" },
    .label = "N = %s" },
  { .key = "true-rate", .type = VI_PARAM_DOUBLE, .flags = VI_PARAM_DATA,
    .help = "Poisson rate of the synthetic counts", .def = 4.0, .min = 1e-300, .max = 1e6,
    .cli = { "true-rate", 0, "R" },
    .label = "true rate %s" },
  { .key = "seed", .type = VI_PARAM_UINT64, .flags = VI_PARAM_DATA,
    .help = "Monte-Carlo seed; estimator k draws from stream 1 + k", .udef = 1, .umin = 0,
    .umax = VI_PARAM_SEED_MAX, .cli = { "seed", 's', "S" },
    .label = "seed %s" },
  { .key = "data-seed", .type = VI_PARAM_UINT64, .flags = VI_PARAM_OPTIONAL | VI_PARAM_DATA,
    .help = "Seed of the synthetic counts (default: the seed)", .umin = 0,
    .umax = VI_PARAM_SEED_MAX, .cli = { "data-seed", 0, "S" },
    .label = "data seed %s" },
  { .key = "at", .type = VI_PARAM_DOUBLE, .flags = VI_PARAM_OPTIONAL,
    .help = "θ for --variance (default θ*)", .min = 1e-300, .max = G_MAXDOUBLE,
    .cli = { "at", 0, "THETA" },
    .label = "θ = %s" },
  { .key = "at-params", .type = VI_PARAM_DOUBLE_LIST, .flags = VI_PARAM_OPTIONAL,
    .help = "The family's parameters for --variance, e.g. shape,rate (default: θ* for the "
            "exponential, the runs' starting point otherwise)", .min = -G_MAXDOUBLE,
    .max = G_MAXDOUBLE, .cli = { "at-params", 0, "P,…" } },
  { .key = "sweep-samples", .type = VI_PARAM_INT_LIST, .flags = VI_PARAM_OPTIONAL,
    .help = "Sweep S, e.g. 2,5,10,100,1000", .imin = 1, .imax = 1000000,
    .cli = { "sweep-samples", 0, "S,…" } },
  { .key = "sweep-theta", .type = VI_PARAM_DOUBLE_LIST,
    .flags = VI_PARAM_OPTIONAL | VI_PARAM_MIN_EXCLUSIVE,
    .help = "Sweep θ at fixed S, e.g. 0.1,0.2,0.5, or 'auto': 9 points on a log grid "
            "θ*/10 … 10θ*", .min = 0.0, .max = G_MAXDOUBLE,
    .cli = { "sweep-theta", 0, "θ,…", NULL, parse_sweep_theta } },
  { .key = "sweep-theta-grid", .type = VI_PARAM_INT64,
    .help = "Sweep that many θ on a log grid over [0.1 θ*, 10 θ*] (0: none)", .idef = 0,
    .imin = 0, .imax = 1000 },
  { NULL }
};

/* The estimators to run: the list given, or cv (optimize) / all (variance). */
static gboolean
get_estimators (GVariant         *params,
                ViBbviEstimator  *list,
                size_t           *n_list,
                GError          **error)
{
  const char *estimators = vi_params_get_string (params, "estimators");

  *n_list = 0;
  if (estimators != NULL)
    return parse_estimators (estimators, list, n_list, error);
  if (g_strcmp0 (vi_params_get_string (params, "mode"), "variance") == 0)
    {
      for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
        list[(*n_list)++] = (ViBbviEstimator) e;
    }
  else
    list[(*n_list)++] = VI_BBVI_CV;
  return TRUE;
}

/* Where the variance is measured: at (θ) and the θ sweeps are the
 * exponential family's; at-params gives any family's parameters. */
static gboolean
check_variance_point (GVariant            *params,
                      const ViBbviFamily  *family,
                      GError             **error)
{
  static const char *const exp_only[] = { "at", "sweep-theta", NULL };
  gsize len = 0;
  const double *at = vi_params_get_double_list (params, "at-params", &len);

  for (guint i = 0; family != vi_bbvi_family_lookup ("exponential") && exp_only[i]; i++)
    if (vi_params_has (params, exp_only[i]))
      {
        g_set_error (error, VI_ERROR, VI_EINVAL, "%s: only for the exponential family (got %s); "
                     "use at-params", exp_only[i], vi_bbvi_family_get_name (family));
        return FALSE;
      }
  if (family != vi_bbvi_family_lookup ("exponential")
      && vi_params_get_int64 (params, "sweep-theta-grid") > 0)
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "sweep-theta-grid: only for the exponential "
                   "family (got %s)", vi_bbvi_family_get_name (family));
      return FALSE;
    }
  if (at == NULL)
    return TRUE;
  if (vi_params_has (params, "at") || vi_params_has (params, "sweep-theta")
      || vi_params_get_int64 (params, "sweep-theta-grid") > 0)
    {
      g_set_error (error, VI_ERROR, VI_EINVAL,
                   "at-params: cannot be combined with at or a θ sweep");
      return FALSE;
    }
  if (len != vi_bbvi_family_get_dim (family))
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "at-params: %s needs %zu values (got %zu)",
                   vi_bbvi_family_get_name (family), vi_bbvi_family_get_dim (family),
                   (size_t) len);
      return FALSE;
    }
  if (!vi_bbvi_family_check_params (family, at, error))
    {
      g_prefix_error (error, "at-params: ");
      return FALSE;
    }
  return TRUE;
}

static gboolean
bbvi_validate (GVariant  *params,
               GError   **error)
{
  const ViBbviFamily *family = vi_bbvi_family_lookup (vi_params_get_string (params, "family"));
  gboolean variance = g_strcmp0 (vi_params_get_string (params, "mode"), "variance") == 0;
  size_t samples = (size_t) vi_params_get_int64 (params, "samples");
  ViBbviEstimator list[VI_BBVI_N_ESTIMATORS];
  size_t n_list = 0;
  gsize n_counts = 0;

  if (!get_estimators (params, list, &n_list, error))
    return FALSE;
  if (!variance)
    {
      for (size_t k = 0; k < n_list; k++)
        if (!check_estimator (family, list[k], samples, error))
          return FALSE;
      if (vi_params_has (params, "tau") != vi_params_has (params, "kappa"))
        {
          g_set_error (error, VI_ERROR, VI_EINVAL, "%s: give tau and kappa together",
                       vi_params_has (params, "tau") ? "kappa" : "tau");
          return FALSE;
        }
    }
  else
    {
      if (!check_variance_point (params, family, error))
        return FALSE;
      if (vi_params_has (params, "sweep-theta") && vi_params_has (params, "sweep-samples"))
        {
          g_set_error (error, VI_ERROR, VI_EINVAL,
                       "sweep-theta: cannot be combined with sweep-samples");
          return FALSE;
        }
      if (vi_params_get_int64 (params, "sweep-theta-grid") > 0
          && (vi_params_has (params, "sweep-theta") || vi_params_has (params, "sweep-samples")))
        {
          g_set_error (error, VI_ERROR, VI_EINVAL,
                       "sweep-theta-grid: cannot be combined with sweep-theta or "
                       "sweep-samples");
          return FALSE;
        }
      for (size_t k = 0; k < n_list; k++)
        if (list[k] == VI_BBVI_REPARAM && !vi_bbvi_family_has_reparam (family))
          {
            g_set_error (error, VI_ERROR, VI_EINVAL, "estimator: reparam unavailable");
            return FALSE;
          }
    }
  vi_params_get_int_list (params, "counts", &n_counts);
  if (vi_params_has (params, "counts") && !vi_params_has (params, "counts-file") && n_counts == 0)
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "counts: need at least one count (got 0)");
      return FALSE;
    }
  return TRUE;
}

static gpointer
bbvi_create (GVariant  *params,
             GError   **error)
{
  BbviJob *job = g_new0 (BbviJob, 1);
  g_autofree guint64 *x = NULL;
  const char *optimizer = vi_params_get_string (params, "optimizer");
  ViBbviEstimator list[VI_BBVI_N_ESTIMATORS];
  size_t n = 0, n_list = 0;
  double alpha = vi_params_get_double (params, "alpha");
  double beta = vi_params_get_double (params, "beta");
  double step = NAN, tau = NAN, kappa = NAN;
  gboolean have_schedule = FALSE;
  size_t max_samples;

  job->family = vi_bbvi_family_lookup (vi_params_get_string (params, "family"));
  job->variance_mode = g_strcmp0 (vi_params_get_string (params, "mode"), "variance") == 0;
  job->samples = (size_t) vi_params_get_int64 (params, "samples");
  job->iterations = (guint64) vi_params_get_int64 (params, "iterations");
  job->repeats = (size_t) vi_params_get_int64 (params, "repeats");
  job->threads = (guint) vi_params_get_int64 (params, "threads");
  job->seed = vi_params_get_uint64 (params, "seed");
  job->data_seed = data_seed (params);
  if (!get_estimators (params, list, &n_list, error))
    goto fail;

  if (!job->variance_mode)
    {
      step = step_size (params, job->family, &tau, &kappa);
      if (vi_params_has (params, "tau"))
        {
          tau = vi_params_get_double (params, "tau");
          kappa = vi_params_get_double (params, "kappa");
        }
      have_schedule = !isnan (tau);
    }
  else
    {
      gsize len = 0;
      const gint64 *ss = vi_params_get_int_list (params, "sweep-samples", &len);
      const double *th;

      if (ss != NULL)
        {
          job->sweep_samples = g_array_new (FALSE, FALSE, sizeof (size_t));
          for (gsize i = 0; i < len; i++)
            {
              size_t si = (size_t) ss[i];

              g_array_append_val (job->sweep_samples, si);
            }
        }
      th = vi_params_get_double_list (params, "sweep-theta", &len);
      if (th != NULL)
        {
          job->sweep_theta = g_array_new (FALSE, FALSE, sizeof (double));
          g_array_append_vals (job->sweep_theta, th, (guint) len);
        }
      memcpy (job->var_estimators, list, n_list * sizeof list[0]);
      job->n_var_estimators = n_list;
    }

  if (!load_counts (params, &x, &n, error))
    goto fail;
  if (!vi_bbvi_model_init (&job->model, alpha, beta, x, n, error))
    goto fail;
  job->elbo_opt = vi_bbvi_family_optimum (job->family, &job->model, job->params_opt);

  if (job->variance_mode)
    {
      gint64 grid = vi_params_get_int64 (params, "sweep-theta-grid");

      gsize len = 0;
      const double *at = vi_params_get_double_list (params, "at-params", &len);

      /* The exponential's default is θ*; at the gamma's optimum q is the
       * posterior and the cv variances vanish, so the 2-D families start
       * where every run starts. */
      if (at != NULL)
        memcpy (job->at, at, len * sizeof (double));
      else if (vi_bbvi_family_get_dim (job->family) == 1)
        job->at[0] = vi_params_has (params, "at") ? vi_params_get_double (params, "at")
                                                  : job->params_opt[0];
      else
        vi_bbvi_family_init_params (job->family, &job->model, job->at);
      if (grid > 0)
        {
          /* Log grid over [0.1 θ*, 10 θ*]. */
          job->sweep_theta = g_array_new (FALSE, FALSE, sizeof (double));
          for (gint64 i = 0; i < grid; i++)
            {
              double e10 = grid == 1 ? 0.0 : -1.0 + 2.0 * (double) i / (double) (grid - 1);
              double th = job->params_opt[0] * pow (10.0, e10);

              g_array_append_val (job->sweep_theta, th);
            }
        }
      job->points = g_array_new (FALSE, TRUE, sizeof (ViBbviVariancePoint));
      return job;
    }

  max_samples = job->samples;
  job->ws = vi_bbvi_workspace_create (max_samples);
  if (job->ws == NULL)
    {
      g_set_error (error, VI_ERROR, VI_ENOMEM, "samples: out of memory for %zu samples",
                   max_samples);
      goto fail;
    }
  for (size_t k = 0; k < n_list; k++)
    {
      Run *r = &job->runs[job->n_runs++];
      size_t dim = vi_bbvi_family_get_dim (job->family);

      r->estimator = list[k];
      r->rng = vi_rng_create (job->seed, 1 + (guint64) list[k]);
      r->opt = vi_optimizer_create (optimizer, dim, step, error);
      if (r->opt == NULL)
        goto fail;
      if (have_schedule)
        vi_optimizer_set_schedule (r->opt, tau, kappa);
      vi_bbvi_family_init_params (job->family, &job->model, r->params);
      vi_bbvi_family_to_unconstrained (job->family, r->params, r->u);
      r->iteration = g_array_new (FALSE, FALSE, sizeof (double));
      r->elbo = g_array_new (FALSE, FALSE, sizeof (double));
      r->elbo_estimate = g_array_new (FALSE, FALSE, sizeof (double));
      r->trace_params = g_array_new (FALSE, FALSE, sizeof (double));
      r->grad_var = g_array_new (FALSE, FALSE, sizeof (double));
      r->grad_snr = g_array_new (FALSE, FALSE, sizeof (double));
      r->stride = 1;
    }
  return job;

fail:
  bbvi_free (job);
  return NULL;
}

/* Names of the optimiser's coordinates (see vi-bbvi.h). */
static const char *
unconstrained_name (const ViBbviFamily *family,
                    size_t              d)
{
  const char *name = vi_bbvi_family_get_name (family);

  if (strcmp (name, "exponential") == 0)
    return "log theta";
  if (strcmp (name, "gamma") == 0)
    return d == 0 ? "log shape" : "log mean";
  return d == 0 ? "mu" : "log sigma2";
}

static void
run_diverge (Run        *r,
             BbviJob    *job,
             const char *why)
{
  const char *const *names = vi_bbvi_family_get_param_names (job->family);
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%s diverged at iteration %" G_GUINT64_FORMAT ": %s; last ",
                          vi_bbvi_estimator_get_name (r->estimator), job->t, why);
  for (size_t d = 0; d < vi_bbvi_family_get_dim (job->family); d++)
    g_string_append_printf (s, "%s%s = %g", d ? ", " : "", names[d], r->params[d]);
  g_string_append (s, "; try a smaller step size or more samples");
  r->diverged = TRUE;
  r->message = g_string_free (s, FALSE);
}

/* Signal-to-noise ratio of an estimate @grad with estimated variance @var
 * (the trace of its covariance): ‖grad‖ / √var (NaN when var is NaN). */
static double
grad_snr (const double *grad,
          size_t        dim,
          double        var)
{
  double norm2 = 0.0;

  for (size_t d = 0; d < dim; d++)
    norm2 += grad[d] * grad[d];
  return sqrt (norm2) / sqrt (var);
}

/* Keeps entries 0, 2, 4, … of @a (items of @width doubles). */
static void
halve (GArray *a,
       guint   width)
{
  double *d = (double *) a->data;
  guint n = a->len / width;

  for (guint k = 1; 2 * k < n; k++)
    memmove (d + k * width, d + 2 * k * width, width * sizeof (double));
  g_array_set_size (a, (n + 1) / 2 * width);
}

/* Whether iteration @it goes into @r's trace; halves the trace (and
 * doubles the stride) when it is full. */
static gboolean
trace_wants (Run     *r,
             guint64  it,
             guint    dim)
{
  if (it % r->stride != 0)
    return FALSE;
  if (r->iteration->len < TRACE_MAX)
    return TRUE;
  halve (r->iteration, 1);
  halve (r->elbo, 1);
  halve (r->elbo_estimate, 1);
  halve (r->trace_params, dim);
  halve (r->grad_var, 1);
  halve (r->grad_snr, 1);
  r->stride *= 2;
  return it % r->stride == 0;
}

static int
step_optimize (BbviJob  *job,
               char    **error_message)
{
  size_t dim = vi_bbvi_family_get_dim (job->family);
  size_t alive = 0;

  if (job->t >= job->iterations)
    return VI_OK;
  job->t++;
  for (size_t k = 0; k < job->n_runs; k++)
    {
      Run *r = &job->runs[k];
      double grad[VI_BBVI_MAX_DIM], gu[VI_BBVI_MAX_DIM];
      double u[VI_BBVI_MAX_DIM], est, it = (double) (job->t - 1), elbo, var, snr;
      int status;

      if (r->diverged)
        continue;
      status = vi_bbvi_estimate_var (grad, &est, &var, job->ws, &job->model, job->family,
                                     r->params, r->estimator, job->samples, r->rng);
      if (isfinite (var))
        {
          r->grad_var_sum += var;
          r->grad_var_n++;
        }
      if (trace_wants (r, job->t - 1, (guint) dim))
        {
          elbo = vi_bbvi_family_elbo (job->family, &job->model, r->params);
          snr = grad_snr (grad, dim, var);
          g_array_append_val (r->iteration, it);
          g_array_append_val (r->elbo, elbo);
          g_array_append_val (r->elbo_estimate, est);
          g_array_append_vals (r->trace_params, r->params, (guint) dim);
          g_array_append_val (r->grad_var, var);
          g_array_append_val (r->grad_snr, snr);
        }
      if (status != VI_OK)
        {
          run_diverge (r, job, "the gradient estimate is not finite");
          continue;
        }
      vi_bbvi_family_grad_unconstrained (job->family, r->params, grad, gu);
      memcpy (u, r->u, sizeof u);
      if (vi_optimizer_step (r->opt, u, gu) != VI_OK)
        {
          run_diverge (r, job, "the step is not finite");
          continue;
        }
      for (size_t d = 0; d < dim; d++)
        if (fabs (u[d]) > U_LIMIT)
          {
            g_autofree char *why = g_strdup_printf ("parameter overflow (the step took %s "
                                                    "to %g)", unconstrained_name (job->family, d),
                                                    u[d]);

            run_diverge (r, job, why);
            break;
          }
      if (r->diverged)
        continue;
      memcpy (r->u, u, sizeof u);
      vi_bbvi_family_from_unconstrained (job->family, r->u, r->params);
      alive++;
    }
  if (alive == 0)
    {
      GString *s = g_string_new (NULL);

      for (size_t k = 0; k < job->n_runs; k++)
        g_string_append_printf (s, "%s%s", k ? "; " : "", job->runs[k].message);
      *error_message = g_string_free (s, FALSE);
      return VI_ENONFINITE;
    }
  return job->t >= job->iterations ? VI_OK : VI_CONTINUE;
}

static int
step_variance (BbviJob     *job,
               const gint  *cancel,
               char       **error_message)
{
  size_t planned = job->sweep_samples != NULL ? job->sweep_samples->len
                   : job->sweep_theta != NULL ? job->sweep_theta->len : 1;
  size_t i = job->points->len;
  double theta = job->sweep_theta != NULL ? g_array_index (job->sweep_theta, double, i)
                                          : job->at[0];
  size_t S = job->sweep_samples != NULL ? g_array_index (job->sweep_samples, size_t, i)
                                        : job->samples;
  ViBbviVariancePoint point;
  int status;

  if (i >= planned)
    return VI_OK;
  if (i == 0 || job->sweep_theta != NULL)
    {
      double at[VI_BBVI_MAX_DIM];

      memcpy (at, job->at, sizeof at);
      at[0] = theta;
      status = vi_bbvi_variance_exact_at (&job->exact, &job->model, job->family, at);
      if (status != VI_OK)
        {
          *error_message = g_strdup_printf ("exact variance at theta = %g failed: %s", theta,
                                            vi_status_to_string (status));
          return status;
        }
    }
  status = vi_bbvi_variance_measure (&point, &job->model, &job->exact, S, job->repeats,
                                     job->var_estimators, job->n_var_estimators, job->seed,
                                     job->threads, cancel);
  if (status != VI_OK)
    {
      *error_message = g_strdup_printf ("variance at theta = %g, S = %zu: %s", theta, S,
                                        vi_status_to_string (status));
      return status;
    }
  g_array_append_val (job->points, point);
  return job->points->len >= planned ? VI_OK : VI_CONTINUE;
}

static int
bbvi_step (gpointer     state,
           const gint  *cancel,
           char       **error_message)
{
  BbviJob *job = state;

  if (cancel != NULL && g_atomic_int_get (cancel))
    return VI_ECANCELLED;
  if (job->variance_mode)
    return step_variance (job, cancel, error_message);
  return step_optimize (job, error_message);
}

/* LIVE: step-size (every run's optimiser takes the new ρ₀ from the next
 * step on; its moments and iteration count stay) and threads (the variance
 * sweep's reduction does not depend on it). */
static gboolean
bbvi_apply (gpointer   state,
            GVariant  *params,
            GError   **error)
{
  BbviJob *job = state;
  double tau, kappa, step = step_size (params, job->family, &tau, &kappa);

  for (size_t k = 0; k < job->n_runs; k++)
    vi_optimizer_set_step_size (job->runs[k].opt, step);
  job->threads = (guint) vi_params_get_int64 (params, "threads");
  return TRUE;
}

static guint64
bbvi_get_iteration (gpointer state)
{
  BbviJob *job = state;

  return job->variance_mode ? job->points->len : job->t;
}

static double
bbvi_get_objective (gpointer state)
{
  BbviJob *job = state;

  if (job->variance_mode || job->n_runs == 0)
    return NAN;
  return vi_bbvi_family_elbo (job->family, &job->model, job->runs[0].params);
}

static guint64
bbvi_get_n_steps (gpointer state)
{
  BbviJob *job = state;

  if (!job->variance_mode)
    return job->iterations;
  return job->sweep_samples != NULL ? job->sweep_samples->len
         : job->sweep_theta != NULL ? job->sweep_theta->len : 1;
}

const ViJobType vi_bbvi_job_type = {
  .name = "bbvi",
  .params = bbvi_params,
  .validate = bbvi_validate,
  .create = bbvi_create,
  .step = bbvi_step,
  .snapshot = vi_bbvi_job_snapshot_state,
  .snapshot_free = vi_bbvi_job_snapshot_release,
  .free = bbvi_free,
  .get_iteration = bbvi_get_iteration,
  .get_objective = bbvi_get_objective,
  .get_n_steps = bbvi_get_n_steps,
  .apply = bbvi_apply,
};
