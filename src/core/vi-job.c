/* vi-job.c
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-bbvi-job.h"
#include "vi-expfam-job.h"
#include "vi-job.h"
#include "vi-lda-job.h"
#include "vi-vae-job.h"
#include "vi-status.h"

struct _ViJob
{
  const ViJobType *type;
  GVariant *params;
  GVariant *valid;
  gpointer state;
  int last_status;
  char *error_message;
};

GVariant *
vi_job_validate (const ViJobType  *type,
                 GVariant         *params,
                 GError          **error)
{
  g_autoptr(GVariant) valid = NULL;

  g_return_val_if_fail (type != NULL && type->params != NULL, NULL);
  valid = vi_params_validate (type->params, params, error);
  if (valid == NULL)
    return NULL;
  if (type->validate != NULL && !type->validate (valid, error))
    return NULL;
  return g_steal_pointer (&valid);
}

ViJob *
vi_job_create (const ViJobType  *type,
               GVariant         *params,
               GError          **error)
{
  ViJob *job;
  gpointer state;
  g_autoptr(GVariant) given = NULL;
  g_autoptr(GVariant) valid = NULL;

  g_assert (type != NULL);
  given = g_variant_ref_sink (params != NULL ? params : g_variant_new ("a{sv}", NULL));
  valid = vi_job_validate (type, given, error);
  if (valid == NULL || (state = type->create (valid, error)) == NULL)
    return NULL;

  job = g_new0 (ViJob, 1);
  job->type = type;
  job->params = g_steal_pointer (&given);
  job->valid = g_steal_pointer (&valid);
  job->state = state;
  job->last_status = VI_CONTINUE;
  return job;
}

/* (floating) @params with @edits' keys inserted or replaced. */
static GVariant *
merge (GVariant *params,
       GVariant *edits)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (params);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, edits);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    g_variant_dict_insert_value (&dict, key, value);
  return g_variant_dict_end (&dict);
}

GVariant *
vi_job_merge_params (const ViJobType  *type,
                     GVariant         *params,
                     GVariant         *edits,
                     GError          **error)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (edits);
  g_autoptr(GVariant) merged = g_variant_ref_sink (merge (params, owned));
  g_autoptr(GVariant) valid = vi_job_validate (type, merged, error);

  return valid != NULL ? g_steal_pointer (&merged) : NULL;
}

gboolean
vi_job_edits_are_live (const ViJobType *type,
                       GVariant        *edits)
{
  GVariantIter iter;
  const char *key;

  g_return_val_if_fail (type != NULL && edits != NULL, FALSE);
  g_variant_iter_init (&iter, edits);
  while (g_variant_iter_next (&iter, "{&sv}", &key, NULL))
    {
      const ViParamSpec *spec = vi_params_lookup (type->params, key, NULL);

      if (spec == NULL || !(spec->flags & (VI_PARAM_LIVE | VI_PARAM_VIEW))
          || ((spec->flags & VI_PARAM_LIVE) && type->apply == NULL))
        return FALSE;
    }
  return TRUE;
}

gboolean
vi_job_apply (ViJob     *job,
              GVariant  *edits,
              GError   **error)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (edits);
  g_autoptr(GVariant) given = NULL;
  g_autoptr(GVariant) valid = NULL;

  if (!vi_job_edits_are_live (job->type, owned))
    {
      g_set_error (error, VI_ERROR, VI_EINVAL,
                   "%s: only live parameters can change during a run", job->type->name);
      return FALSE;
    }
  given = g_variant_ref_sink (merge (job->params, owned));
  valid = vi_job_validate (job->type, given, error);
  if (valid == NULL)
    return FALSE;
  if (job->type->apply != NULL && !job->type->apply (job->state, valid, error))
    return FALSE;
  g_variant_unref (job->params);
  job->params = g_steal_pointer (&given);
  g_variant_unref (job->valid);
  job->valid = g_steal_pointer (&valid);
  return TRUE;
}

void
vi_job_free (ViJob *job)
{
  if (job == NULL)
    return;
  job->type->free (job->state);
  g_variant_unref (job->params);
  g_variant_unref (job->valid);
  g_free (job->error_message);
  g_free (job);
}

gpointer
vi_job_get_state (ViJob *job)
{
  return job->state;
}

const ViJobType *
vi_job_get_type_info (ViJob *job)
{
  return job->type;
}

GVariant *
vi_job_get_params (ViJob *job)
{
  return job->params;
}

GVariant *
vi_job_get_valid_params (ViJob *job)
{
  return job->valid;
}

int
vi_job_step (ViJob      *job,
             const gint *cancel)
{
  char *message = NULL;
  int status;

  if (job->last_status != VI_CONTINUE)
    return job->last_status;

  status = job->type->step (job->state, cancel, &message);
  if (status == VI_ECANCELLED)
    {
      /* A cancelled step leaves the job consistent: it can be stepped again. */
      g_free (message);
      return status;
    }
  job->last_status = status;
  if (status != VI_OK && status != VI_CONTINUE)
    {
      g_free (job->error_message);
      job->error_message = message != NULL ? message : g_strdup (vi_status_to_string (status));
    }
  else
    g_free (message);
  return status;
}

gboolean
vi_job_is_finished (ViJob *job)
{
  return job->last_status != VI_CONTINUE;
}

const char *
vi_job_get_error_message (ViJob *job)
{
  return job->error_message;
}

guint64
vi_job_get_iteration (ViJob *job)
{
  return job->type->get_iteration != NULL ? job->type->get_iteration (job->state) : 0;
}

guint64
vi_job_get_n_steps (ViJob *job)
{
  return job->type->get_n_steps != NULL ? job->type->get_n_steps (job->state) : 0;
}

double
vi_job_get_objective (ViJob *job)
{
  return job->type->get_objective != NULL ? job->type->get_objective (job->state) : NAN;
}

gpointer
vi_job_snapshot (ViJob *job)
{
  return job->type->snapshot (job->state);
}

gpointer
vi_job_snapshot_ref (gconstpointer snapshot)
{
  g_return_val_if_fail (snapshot != NULL, NULL);
  return g_atomic_rc_box_acquire ((gpointer) snapshot);
}

void
vi_job_snapshot_free (ViJob    *job,
                      gpointer  snapshot)
{
  if (snapshot != NULL)
    job->type->snapshot_free (snapshot);
}

static const ViJobType *const job_types[] = {
  &vi_expfam_job_type,
  &vi_bbvi_job_type,
  &vi_lda_job_type,
  &vi_vae_job_type,
  NULL,
};

const ViJobType *const *
vi_job_types_list (void)
{
  return job_types;
}

const ViJobType *
vi_job_type_lookup (const char *name)
{
  for (guint i = 0; job_types[i] != NULL; i++)
    if (g_strcmp0 (job_types[i]->name, name) == 0)
      return job_types[i];
  return NULL;
}
