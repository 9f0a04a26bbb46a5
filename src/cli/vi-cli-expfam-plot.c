/* vi-cli-expfam-plot.c — the figure of `elbo-lab-cli expfam --plot FILE`:
 * density or pmf, the mean, and a histogram of the draws
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The draws come from the "expfam" job the app runs (its plot range and
 * binning); the figure from the expfam views.
 */
#include "config.h"

#include <string.h>

#include "vi-cli-common.h"
#include "vi-cli-expfam-plot.h"
#include "vi-expfam-job.h"
#include "vi-expfam-views.h"
#include "vi-status.h"

/* The job's snapshot after @samples draws (0: before any). */
static ViExpfamSnapshot *
run_job (const ViExpfam *fam,
         const double   *theta,
         guint64         samples,
         guint64         seed,
         GError        **error)
{
  const char *const *names = vi_expfam_get_param_names (fam);
  guint64 n = MAX (samples, 2);
  g_autoptr(GVariant) params = NULL;
  ViExpfamSnapshot *snap = NULL;
  GVariantBuilder b;
  ViJob *job;
  int status = VI_CONTINUE;
  gint cancel = 0;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "family", g_variant_new_string (vi_expfam_get_name (fam)));
  for (guint i = 0; names[i] != NULL; i++)
    g_variant_builder_add (&b, "{sv}", names[i], g_variant_new_double (theta[i]));
  g_variant_builder_add (&b, "{sv}", "n", g_variant_new_int64 ((gint64) n));
  g_variant_builder_add (&b, "{sv}", "batch",
                         g_variant_new_int64 ((gint64) vi_expfam_view_batch (n)));
  g_variant_builder_add (&b, "{sv}", "seed", g_variant_new_int64 ((gint64) MIN (seed, G_MAXINT64)));
  params = g_variant_ref_sink (g_variant_builder_end (&b));
  job = vi_job_create (&vi_expfam_job_type, params, error);
  if (job == NULL)
    return NULL;
  while (samples > 0 && status == VI_CONTINUE)
    status = vi_job_step (job, &cancel);
  if (samples > 0 && status != VI_OK)
    g_set_error (error, VI_CLI_ERROR, VI_EXIT_RUNTIME, "expfam: %s",
                 vi_job_get_error_message (job) != NULL ? vi_job_get_error_message (job)
                                                        : vi_status_to_string (status));
  else
    snap = vi_job_snapshot (job);
  vi_job_free (job);
  return snap;
}

ViFigure *
vi_cli_expfam_plot_figure (const ViExpfam  *fam,
                           const double    *theta,
                           guint64          samples,
                           guint64          seed,
                           GError         **error)
{
  ViExpfamSnapshot *snap;
  ViViewContext ctx;
  ViFigure *fig;

  snap = run_job (fam, theta, samples, seed, error);
  if (snap == NULL)
    return NULL;
  vi_view_context_init (&ctx);
  fig = vi_figure_create (1, 1);
  vi_expfam_draws_view_build (fig, snap, &ctx);
  vi_expfam_snapshot_free (snap);
  return fig;
}
