/* vi-cli-work.c — cost models of the model subcommands: how long a run
 * would take, to refuse runs beyond VI_CLI_MAX_SECONDS without --force
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-bbvi-job.h"
#include "vi-cli-work.h"
#include "vi-lda-job.h"
#include "vi-params.h"
#include "vi-vae-job.h"

/* Each model errs on the fast side (costs about half or less of what
 * they were measured at on a 2-core machine), so that a run a faster
 * machine would finish within the limit is not refused. */

/* ---- bbvi ---- */

/* CPU seconds per Monte-Carlo sample of one gradient estimate, by family
 * (exponential, gamma, lognormal) and estimator (naive, cv, cv-suff,
 * reparam): about half what they take on the machine they were measured on
 * (S = 1000, 2000 iterations; the gamma's implicit reparameterisation
 * solves for each sample), so that a faster machine is not refused. */
static const double cost_per_sample[3][VI_BBVI_N_PUBLIC_ESTIMATORS] = {
  { 25e-9, 25e-9, 45e-9, 20e-9 },
  { 70e-9, 70e-9, 110e-9, 2.5e-6 },
  { 25e-9, 30e-9, 65e-9, 20e-9 },
};
/* And per iteration of one run, besides its samples. */
#define COST_PER_ITERATION 1e-7

static double
sample_cost (const ViBbviFamily *family,
             ViBbviEstimator     e)
{
  const char *name = vi_bbvi_family_get_name (family);
  guint f = strcmp (name, "gamma") == 0 ? 1 : strcmp (name, "lognormal") == 0 ? 2 : 0;

  return (int) e < VI_BBVI_N_PUBLIC_ESTIMATORS ? cost_per_sample[f][e] : cost_per_sample[f][0];
}

/* Optimize: iterations × Σ_runs (overhead + S × cost); variance: points ×
 * R × S × Σ_estimators cost, shared by the threads. */
double
vi_cli_bbvi_estimate_seconds (gpointer  snapshot,
                              GVariant *params)
{
  const ViBbviSnapshot *s = snapshot;
  double seconds = 0.0;

  if (!s->variance_mode)
    {
      for (size_t k = 0; k < s->n_traces; k++)
        seconds += (double) s->iterations
                   * (COST_PER_ITERATION
                      + (double) s->samples * sample_cost (s->family, s->traces[k].estimator));
      return seconds;
    }
  {
    /* The values are held while read: a pointer into @params would not
     * survive @params being serialised meanwhile. */
    g_autoptr(GVariant) sweep_v = g_variant_lookup_value (params, "sweep-samples",
                                                          G_VARIANT_TYPE ("ax"));
    g_autoptr(GVariant) names_v = g_variant_lookup_value (params, "estimators",
                                                          G_VARIANT_TYPE_STRING);
    gsize n_s = 0;
    const gint64 *sweep = sweep_v != NULL ? g_variant_get_fixed_array (sweep_v, &n_s,
                                                                       sizeof (gint64)) : NULL;
    double repeats = (double) vi_params_get_int64 (params, "repeats");
    double per_sample = 0.0, samples = 0.0;
    gint64 threads = vi_params_get_int64 (params, "threads");
    ViBbviEstimator list[VI_BBVI_N_PUBLIC_ESTIMATORS];
    size_t n_list = 0;
    const char *names = names_v != NULL ? g_variant_get_string (names_v, NULL) : NULL;
    g_auto(GStrv) parts = g_strsplit (names != NULL ? names : "", ",", -1);

    for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
      if (names == NULL || g_strv_contains ((const char *const *) parts,
                                            vi_bbvi_estimator_get_name (e)))
        list[n_list++] = (ViBbviEstimator) e;
    for (size_t k = 0; k < n_list; k++)
      per_sample += sample_cost (s->family, list[k]);
    for (gsize i = 0; i < n_s; i++)
      samples += (double) sweep[i];
    if (sweep == NULL)
      samples = (double) s->samples * (double) MAX (s->n_points_planned, 1);
    if (threads <= 0)
      threads = g_get_num_processors ();
    return samples * repeats * per_sample / (double) threads;
  }
}

/* ---- lda ---- */

/* Seconds per token, topic and pass: one pass of `lda --corpus kjv
 * --topics 20 --threads 1` (2.9e5 tokens, E-steps of tens of rounds)
 * takes ~1e-7; this allows 50× for threads, early-converging E-steps and a
 * faster machine. */
#define LDA_COST_PER_TOKEN_TOPIC 2e-9

double
vi_cli_lda_estimate_seconds (gpointer  snapshot,
                             GVariant *params)
{
  const ViLdaSnapshot *s = snapshot;

  /* A streamed corpus is not counted before it is read (n_tokens 0). */
  return (double) MAX (s->n_runs, 1) * (double) vi_params_get_int64 (params, "passes")
         * (double) s->n_tokens * (double) s->n_topics * LDA_COST_PER_TOKEN_TOPIC;
}

/* ---- vae ---- */

/* Sustained flop rate of the training steps: this machine's OpenBLAS
 * reaches ~13 GFLOP/s on one thread; 2e11 is a many-core machine's. */
#define VAE_FLOPS_PER_SECOND 2e11

double
vi_cli_vae_estimate_seconds (gpointer  snapshot,
                             GVariant *params)
{
  const ViVaeSnapshot *s = snapshot;

  return (double) vi_params_get_int64 (params, "epochs") * (double) s->n_train
         * (double) vi_params_get_int64 (params, "samples") * vi_vae_arch_flops (&s->arch)
         / VAE_FLOPS_PER_SECOND;
}
