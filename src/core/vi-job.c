/* vi-job.c
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-job.h"
#include "vi-status.h"

struct _ViJob
{
  const ViJobType *type;
  GVariant *params;
  gpointer state;
  int last_status;
  char *error_message;
};

ViJob *
vi_job_create (const ViJobType  *type,
               GVariant         *params,
               GError          **error)
{
  g_autoptr(GVariant) owned = NULL;
  ViJob *job;
  gpointer state;

  g_assert (type != NULL);
  if (params == NULL)
    params = g_variant_new ("a{sv}", NULL);
  owned = g_variant_ref_sink (params);
  g_return_val_if_fail (g_variant_is_of_type (owned, G_VARIANT_TYPE_VARDICT), NULL);

  state = type->create (owned, error);
  if (state == NULL)
    return NULL;

  job = g_new0 (ViJob, 1);
  job->type = type;
  job->params = g_steal_pointer (&owned);
  job->state = state;
  job->last_status = VI_CONTINUE;
  return job;
}

void
vi_job_free (ViJob *job)
{
  if (job == NULL)
    return;
  job->type->free (job->state);
  g_variant_unref (job->params);
  g_free (job->error_message);
  g_free (job);
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

void
vi_job_snapshot_free (ViJob    *job,
                      gpointer  snapshot)
{
  if (snapshot != NULL)
    job->type->snapshot_free (snapshot);
}

static GPtrArray *job_types;
static GMutex job_types_lock;

void
vi_job_type_register (const ViJobType *type)
{
  g_mutex_lock (&job_types_lock);
  if (job_types == NULL)
    job_types = g_ptr_array_new ();
  if (!g_ptr_array_find (job_types, type, NULL))
    g_ptr_array_add (job_types, (gpointer) type);
  g_mutex_unlock (&job_types_lock);
}

const ViJobType *
vi_job_type_lookup (const char *name)
{
  const ViJobType *found = NULL;

  g_mutex_lock (&job_types_lock);
  for (guint i = 0; job_types != NULL && i < job_types->len; i++)
    {
      const ViJobType *t = g_ptr_array_index (job_types, i);
      if (g_strcmp0 (t->name, name) == 0)
        found = t;
    }
  g_mutex_unlock (&job_types_lock);
  return found;
}

gboolean
vi_params_get_double (GVariant    *params,
                      const char  *key,
                      double       def,
                      double       min,
                      double       max,
                      double      *out,
                      GError     **error)
{
  g_autoptr(GVariant) v = g_variant_lookup_value (params, key, NULL);
  double x;

  if (v == NULL)
    {
      *out = def;
      return TRUE;
    }
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
    x = g_variant_get_double (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    x = (double) g_variant_get_int64 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT32))
    x = g_variant_get_int32 (v);
  else
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: expected a number", key);
      return FALSE;
    }
  if (!isfinite (x) || x < min || x > max)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "%s must be in [%g, %g] (got %g)", key, min, max, x);
      return FALSE;
    }
  *out = x;
  return TRUE;
}

gboolean
vi_params_get_int64 (GVariant    *params,
                     const char  *key,
                     gint64       def,
                     gint64       min,
                     gint64       max,
                     gint64      *out,
                     GError     **error)
{
  g_autoptr(GVariant) v = g_variant_lookup_value (params, key, NULL);
  gint64 x;

  if (v == NULL)
    {
      *out = def;
      return TRUE;
    }
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    x = g_variant_get_int64 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT32))
    x = g_variant_get_int32 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64))
    x = (gint64) MIN (g_variant_get_uint64 (v), (guint64) G_MAXINT64);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE)
           && g_variant_get_double (v) == floor (g_variant_get_double (v))
           && fabs (g_variant_get_double (v)) < 9e15)
    x = (gint64) g_variant_get_double (v);
  else
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: expected an integer", key);
      return FALSE;
    }
  if (x < min || x > max)
    {
      g_set_error (error, VI_ERROR, VI_EDOM,
                   "%s must be in [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "] (got %"
                   G_GINT64_FORMAT ")", key, min, max, x);
      return FALSE;
    }
  *out = x;
  return TRUE;
}

char *
vi_params_dup_string (GVariant   *params,
                      const char *key,
                      const char *def)
{
  const char *s = NULL;

  if (g_variant_lookup (params, key, "&s", &s))
    return g_strdup (s);
  return g_strdup (def);
}

gboolean
vi_params_get_boolean (GVariant   *params,
                       const char *key,
                       gboolean    def)
{
  gboolean b;

  if (g_variant_lookup (params, key, "b", &b))
    return b;
  return def;
}
