/* vi-expfam-job.c — Monte-Carlo draws in batches for the expfam page
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vi-expfam-job.h"
#include "vi-rng.h"
#include "vi-status.h"

/* The trace keeps at most this many points; when full it keeps every other
 * one and records only every 2nd, 4th, … step after that. */
#define TRACE_MAX 2048
#define CANCEL_EVERY 4096

typedef struct
{
  ViExpfamSnapshot snap;        /* trace_* point into the arrays below */
  gsl_rng *rng;
  guint64 batch;
  guint64 trace_stride;
  double *scratch;              /* batch draws */
  /* Welford moments of t(x). */
  double w_mean[VI_EXPFAM_MAX_DIM];
  double w_m2[VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM];
  guint64 w_n;
} ExpfamJob;

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

void
vi_expfam_job_plot_range (const ViExpfam *fam,
                          const double   *theta,
                          double         *lo,
                          double         *hi)
{
  enum { N = 4000 };
  double *x = g_new (double, N);
  gsl_rng *rng = vi_rng_create (20240601, 99);
  double slo, shi, a, b, pad;

  vi_expfam_get_support (fam, &slo, &shi);
  vi_expfam_sample_n (fam, theta, rng, N, x);
  qsort (x, N, sizeof (double), compare_doubles);
  a = x[N / 1000];
  b = x[N - 1 - N / 1000];
  gsl_rng_free (rng);
  g_free (x);

  if (vi_expfam_is_discrete (fam))
    {
      a = MAX (floor (a) - 1, slo);
      b = MAX (ceil (b) + 1, a + 1);
      if (isfinite (shi))
        b = MIN (b, shi);
      *lo = a - 0.5;
      *hi = b + 0.5;
      return;
    }
  pad = 0.05 * (b - a);
  if (!(pad > 0))
    pad = 0.5;
  a = MAX (a - pad, slo);
  b = MIN (b + pad, shi);
  /* Positive families: start at 0 when the quantile is close to it. */
  if (slo == 0 && a < 0.2 * b)
    a = 0;
  *lo = a;
  *hi = b;
}

static void
update_estimates (ExpfamJob *job)
{
  ViExpfamSnapshot *s = &job->snap;
  size_t d = s->dim;
  double num = 0, den = 0;

  if (job->w_n < 2)
    return;
  for (size_t i = 0; i < d; i++)
    s->mc_mean_t[i] = job->w_mean[i];
  for (size_t i = 0; i < d * d; i++)
    s->mc_fisher_eta[i] = job->w_m2[i] / (double) (job->w_n - 1);
  vi_expfam_fisher_params_from (s->fam, s->theta, s->mc_fisher_eta, s->mc_fisher_theta);
  for (size_t i = 0; i < d * d; i++)
    {
      num += (s->mc_fisher_eta[i] - s->fisher_eta[i]) * (s->mc_fisher_eta[i] - s->fisher_eta[i]);
      den += s->fisher_eta[i] * s->fisher_eta[i];
    }
  s->objective = den > 0 ? sqrt (num / den) : NAN;
}

static void
trace_append (ExpfamJob *job)
{
  ViExpfamSnapshot *s = &job->snap;
  size_t dd = s->dim * s->dim;

  if (job->w_n < 2 || s->iteration % job->trace_stride != 0)
    return;
  if (s->trace_len == TRACE_MAX)
    {
      for (guint k = 0; k < TRACE_MAX / 2; k++)
        {
          s->trace_n[k] = s->trace_n[2 * k + 1];
          memcpy (&s->trace_fisher[k * dd], &s->trace_fisher[(2 * k + 1) * dd],
                  dd * sizeof (double));
        }
      s->trace_len = TRACE_MAX / 2;
      job->trace_stride *= 2;
      if (s->iteration % job->trace_stride != 0)
        return;
    }
  s->trace_n[s->trace_len] = (double) s->n_drawn;
  memcpy (&s->trace_fisher[s->trace_len * dd], s->mc_fisher_eta, dd * sizeof (double));
  s->trace_len++;
}

static void
expfam_job_free (gpointer state)
{
  ExpfamJob *job = state;

  if (job == NULL)
    return;
  g_clear_pointer (&job->rng, gsl_rng_free);
  g_free (job->scratch);
  g_free (job->snap.trace_n);
  g_free (job->snap.trace_fisher);
  g_free (job);
}

/* ---- parameters ---------------------------------------------------------- */

/* Each family's own parameters as a parameter table, built once. */
typedef struct
{
  const char *family;
  ViParamSpec specs[VI_EXPFAM_MAX_DIM + 1];
} FamilyParams;

static const FamilyParams *
family_params_tables (void)
{
  static gsize once;
  static FamilyParams *tables;

  if (g_once_init_enter (&once))
    {
      const char *const *families = vi_expfam_list_names ();
      guint n = g_strv_length ((char **) families);
      FamilyParams *t = g_new0 (FamilyParams, n + 1);

      for (guint f = 0; f < n; f++)
        {
          const ViExpfam *fam = vi_expfam_lookup (families[f]);
          const char *const *names = vi_expfam_get_param_names (fam);
          double def[VI_EXPFAM_MAX_DIM];

          vi_expfam_get_default_params (fam, def);
          t[f].family = families[f];
          for (size_t i = 0; i < vi_expfam_get_dim (fam); i++)
            t[f].specs[i] = (ViParamSpec) {
              .key = names[i],
              .type = VI_PARAM_DOUBLE,
              .help = "A parameter of the family",
              .def = def[i],
              .min = -G_MAXDOUBLE,
              .max = G_MAXDOUBLE,
            };
        }
      tables = t;
      g_once_init_leave (&once, 1);
    }
  return tables;
}

static const ViParamSpec *
family_param_specs (const char *family)
{
  for (const FamilyParams *t = family_params_tables (); t->family != NULL; t++)
    if (g_strcmp0 (t->family, family) == 0)
      return t->specs;
  return NULL;
}

/* `--param NAME=VALUE`, once per parameter of the family given by --family. */
static gboolean
parse_family_param (const ViParamSpec  *spec,
                    const char         *option,
                    const char *const  *values,
                    GVariantDict       *params,
                    GError            **error)
{
  const char *family = NULL;
  g_autofree char *valid = g_strjoinv (", ", (char **) vi_expfam_list_names ());
  const ViExpfam *fam;
  gboolean seen[VI_EXPFAM_MAX_DIM] = { FALSE };

  if (!g_variant_dict_lookup (params, spec->depends_on, "&s", &family))
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "--%s is required (valid: %s)", spec->depends_on,
                   valid);
      return FALSE;
    }
  fam = vi_expfam_lookup (family);
  if (fam == NULL)
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "--%s: unknown family '%s' (valid: %s)",
                   spec->depends_on, family, valid);
      return FALSE;
    }
  for (guint k = 0; values[k] != NULL; k++)
    {
      const char *eq = strchr (values[k], '=');
      g_autofree char *name = NULL;
      g_autofree char *what = NULL;
      double x;
      int idx;

      if (eq == NULL || eq == values[k])
        {
          g_set_error (error, VI_ERROR, VI_EINVAL, eq == NULL
                       ? "%s: expected NAME=VALUE (got '%s')"
                       : "%s: missing parameter name (got '%s')", option, values[k]);
          return FALSE;
        }
      name = g_strndup (values[k], (gsize) (eq - values[k]));
      idx = vi_expfam_param_index (fam, name);
      if (idx < 0)
        {
          g_autofree char *names = g_strjoinv (", ", (char **) vi_expfam_get_param_names (fam));

          g_set_error (error, VI_ERROR, VI_EINVAL, "%s: %s has no parameter '%s' (valid: %s)",
                       option, family, name, names);
          return FALSE;
        }
      if (seen[idx])
        {
          g_set_error (error, VI_ERROR, VI_EINVAL, "%s: %s given twice", option, name);
          return FALSE;
        }
      what = g_strdup_printf ("%s %s", option, name);
      if (!vi_params_parse_double (what, eq + 1, &x, error))
        return FALSE;
      g_variant_dict_insert (params, name, "d", x);
      seen[idx] = TRUE;
    }
  return TRUE;
}

static const ViParamSpec expfam_params[] = {
  { .key = "family", .type = VI_PARAM_ENUM, .help = "Exponential family", .sdef = "gaussian",
    .get_choices = vi_expfam_list_names,
    .cli = { "family", 'f', "NAME", "Exponential family (required; the list is below)" },
    .label = "%s" },
  { .key = "params", .type = VI_PARAM_DEPENDENT, .help = "The family's own parameters",
    .depends_on = "family", .get_sub_specs = family_param_specs,
    .cli = { "param", 'p', "NAME=VALUE",
             "Parameter NAME=VALUE (repeat for each, e.g. --param shape=2.5 --param rate=1.5)",
             parse_family_param, TRUE } },
  { .key = "n", .type = VI_PARAM_INT64, .help = "Total number of draws", .idef = 20000,
    .imin = 2, .imax = G_GINT64_CONSTANT (10000000000),
    .label = "n = %s" },
  { .key = "batch", .type = VI_PARAM_INT64, .flags = VI_PARAM_LIVE, .help = "Draws per step",
    .idef = 200, .imin = 1, .imax = 10000000,
    .label = "batch %s" },
  { .key = "seed", .type = VI_PARAM_UINT64, .help = "Random seed", .udef = 1, .umin = 0,
    .umax = VI_PARAM_SEED_MAX, .cli = { "seed", 's', "S" },
    .label = "seed %s" },
  { .key = "coordinate", .type = VI_PARAM_INT64, .flags = VI_PARAM_VIEW,
    .help = "Coordinate of η along which the page draws a(η)", .idef = 0, .imin = 0,
    .imax = VI_EXPFAM_MAX_DIM - 1 },
  { NULL }
};

/* Reads θ in the family's order from a normalised dictionary. */
static const ViExpfam *
get_theta (GVariant *params,
           double   *theta)
{
  const ViExpfam *fam = vi_expfam_lookup (vi_params_get_string (params, "family"));
  const char *const *names = vi_expfam_get_param_names (fam);

  for (size_t i = 0; i < vi_expfam_get_dim (fam); i++)
    theta[i] = vi_params_get_double (params, names[i]);
  return fam;
}

static gboolean
expfam_job_validate (GVariant  *params,
                     GError   **error)
{
  double theta[VI_EXPFAM_MAX_DIM];
  const ViExpfam *fam = get_theta (params, theta);

  return vi_expfam_check_params (fam, theta, error);
}

static gpointer
expfam_job_create (GVariant  *params,
                   GError   **error)
{
  ExpfamJob *job = g_new0 (ExpfamJob, 1);
  ViExpfamSnapshot *s = &job->snap;
  const ViExpfam *fam = get_theta (params, s->theta);
  size_t d = vi_expfam_get_dim (fam);
  gint64 n = vi_params_get_int64 (params, "n");
  gint64 batch = vi_params_get_int64 (params, "batch");
  guint64 seed = vi_params_get_uint64 (params, "seed");

  s->fam = fam;
  s->dim = d;
  vi_expfam_natural (fam, s->theta, s->eta);
  vi_expfam_mean_sufficient (fam, s->eta, s->mean_t);
  vi_expfam_fisher_natural (fam, s->eta, s->fisher_eta);
  vi_expfam_fisher_params (fam, s->theta, s->fisher_theta);
  for (size_t i = 0; i < VI_EXPFAM_MAX_DIM * VI_EXPFAM_MAX_DIM; i++)
    s->mc_fisher_eta[i] = s->mc_fisher_theta[i] = NAN;
  for (size_t i = 0; i < VI_EXPFAM_MAX_DIM; i++)
    s->mc_mean_t[i] = NAN;
  s->objective = NAN;
  s->n_total = (guint64) n;

  vi_expfam_job_plot_range (fam, s->theta, &s->lo, &s->hi);
  if (vi_expfam_is_discrete (fam))
    s->n_bins = (guint) MIN ((double) VI_EXPFAM_JOB_MAX_BINS, round (s->hi - s->lo));
  else
    s->n_bins = 60;
  if (vi_expfam_is_discrete (fam) && s->n_bins == VI_EXPFAM_JOB_MAX_BINS)
    s->hi = s->lo + VI_EXPFAM_JOB_MAX_BINS;

  job->batch = (guint64) batch;
  job->trace_stride = 1;
  job->rng = vi_rng_create (seed, 0);
  job->scratch = g_try_new (double, MIN ((guint64) batch, CANCEL_EVERY));
  s->trace_n = g_try_new (double, TRACE_MAX);
  s->trace_fisher = g_try_new (double, TRACE_MAX * d * d);
  if (job->rng == NULL || job->scratch == NULL || s->trace_n == NULL || s->trace_fisher == NULL)
    {
      g_set_error (error, VI_ERROR, VI_ENOMEM, "expfam: out of memory (batch %" G_GINT64_FORMAT ")",
                   batch);
      goto fail;
    }
  return job;

fail:
  expfam_job_free (job);
  return NULL;
}

/* LIVE: batch. The draws come from one stream in order, so the histogram
 * and moments after n draws do not depend on how they were batched; only
 * the trace (one point per step) does. */
static gboolean
expfam_job_apply (gpointer   state,
                  GVariant  *params,
                  GError   **error)
{
  ExpfamJob *job = state;
  guint64 batch = (guint64) vi_params_get_int64 (params, "batch");
  double *scratch = job->scratch;

  if (MIN (batch, CANCEL_EVERY) > MIN (job->batch, CANCEL_EVERY))
    {
      scratch = g_try_new (double, MIN (batch, CANCEL_EVERY));
      if (scratch == NULL)
        {
          g_set_error (error, VI_ERROR, VI_ENOMEM,
                       "batch: out of memory for %" G_GUINT64_FORMAT " draws", batch);
          return FALSE;
        }
      g_free (job->scratch);
    }
  job->scratch = scratch;
  job->batch = batch;
  return TRUE;
}

static guint64
expfam_job_get_n_steps (gpointer state)
{
  ExpfamJob *job = state;

  return (job->snap.n_total + job->batch - 1) / job->batch;
}

static int
expfam_job_step (gpointer     state,
                 const gint  *cancel,
                 char       **error_message)
{
  ExpfamJob *job = state;
  ViExpfamSnapshot *s = &job->snap;
  size_t d = s->dim;
  guint64 todo = MIN (job->batch, s->n_total - s->n_drawn);
  double width = (s->hi - s->lo) / s->n_bins;

  /* The batch is drawn in chunks so that cancel is seen every few ms; a
   * cancelled step has still drawn whole chunks, which stay counted. */
  while (todo > 0)
    {
      size_t chunk = (size_t) MIN (todo, CANCEL_EVERY);

      if (cancel != NULL && g_atomic_int_get (cancel))
        return VI_ECANCELLED;
      vi_expfam_sample_n (s->fam, s->theta, job->rng, chunk, job->scratch);
      for (size_t k = 0; k < chunk; k++)
        {
          double x = job->scratch[k];
          double t[VI_EXPFAM_MAX_DIM], delta[VI_EXPFAM_MAX_DIM];
          double pos = (x - s->lo) / width;

          if (pos >= 0 && pos < s->n_bins)
            s->counts[(guint) pos] += 1;
          else
            s->n_outside++;

          vi_expfam_sufficient (s->fam, x, t);
          job->w_n++;
          for (size_t i = 0; i < d; i++)
            {
              delta[i] = t[i] - job->w_mean[i];
              job->w_mean[i] += delta[i] / (double) job->w_n;
            }
          for (size_t i = 0; i < d; i++)
            for (size_t j = 0; j < d; j++)
              job->w_m2[i * d + j] += delta[i] * (t[j] - job->w_mean[j]);
        }
      s->n_drawn += chunk;
      todo -= chunk;
    }
  s->iteration++;
  update_estimates (job);
  trace_append (job);
  for (size_t i = 0; i < d * d; i++)
    if (job->w_n >= 2 && !isfinite (s->mc_fisher_eta[i]))
      {
        *error_message = g_strdup_printf ("expfam: Monte-Carlo Fisher estimate is not finite "
                                          "after %" G_GUINT64_FORMAT " draws", s->n_drawn);
        return VI_ENONFINITE;
      }
  return s->n_drawn >= s->n_total ? VI_OK : VI_CONTINUE;
}

ViExpfamSnapshot *
vi_expfam_snapshot_copy (const ViExpfamSnapshot *snap)
{
  ViExpfamSnapshot *copy = (g_atomic_rc_box_dup) (sizeof *snap, snap);
  size_t dd = snap->dim * snap->dim;

  copy->trace_n = g_memdup2 (snap->trace_n, MAX (1, snap->trace_len) * sizeof (double));
  copy->trace_fisher = g_memdup2 (snap->trace_fisher,
                                  MAX (1, snap->trace_len) * dd * sizeof (double));
  return copy;
}

static void
snapshot_clear (gpointer data)
{
  ViExpfamSnapshot *snap = data;

  g_free (snap->trace_n);
  g_free (snap->trace_fisher);
}

void
vi_expfam_snapshot_free (ViExpfamSnapshot *snap)
{
  if (snap != NULL)
    g_atomic_rc_box_release_full (snap, snapshot_clear);
}

static gpointer
expfam_job_snapshot (gpointer state)
{
  return vi_expfam_snapshot_copy (&((ExpfamJob *) state)->snap);
}

static void
expfam_snapshot_free (gpointer snapshot)
{
  vi_expfam_snapshot_free (snapshot);
}

static guint64
expfam_job_get_iteration (gpointer state)
{
  return ((ExpfamJob *) state)->snap.iteration;
}

static double
expfam_job_get_objective (gpointer state)
{
  return ((ExpfamJob *) state)->snap.objective;
}

const ViJobType vi_expfam_job_type = {
  .name = "expfam",
  .params = expfam_params,
  .validate = expfam_job_validate,
  .create = expfam_job_create,
  .step = expfam_job_step,
  .snapshot = expfam_job_snapshot,
  .snapshot_free = expfam_snapshot_free,
  .free = expfam_job_free,
  .get_iteration = expfam_job_get_iteration,
  .get_objective = expfam_job_get_objective,
  .get_n_steps = expfam_job_get_n_steps,
  .apply = expfam_job_apply,
};
