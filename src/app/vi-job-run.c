/* vi-job-run.c — one job run to its end on a GTask worker thread, a
 * measurement beside the window's runs (vi_job_run_async, vi-run.h)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vi-run.h"
#include "vi-status.h"

typedef struct
{
  const ViJobType *type;
  GVariant *params;
  GCancellable *cancellable;
  gulong handler;
  gint cancel;                  /* the job's cancel flag */
  double seconds;
} JobTask;

static void
job_task_free (gpointer data)
{
  JobTask *t = data;

  if (t->handler != 0)
    g_cancellable_disconnect (t->cancellable, t->handler);
  g_clear_object (&t->cancellable);
  g_variant_unref (t->params);
  g_free (t);
}

static void
job_cancelled_cb (GCancellable *cancellable,
                  gpointer      data)
{
  g_atomic_int_set (&((JobTask *) data)->cancel, 1);
}

static void
job_thread (GTask        *task,
            gpointer      source,
            gpointer      data,
            GCancellable *cancellable)
{
  JobTask *t = data;
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  ViJob *job = vi_job_create (t->type, t->params, &error);
  int status = VI_CONTINUE;

  if (job == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  while (status == VI_CONTINUE)
    status = vi_job_step (job, &t->cancel);
  if (status == VI_OK)
    {
      t->seconds = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
      g_task_return_pointer (task, vi_job_snapshot (job), t->type->snapshot_free);
    }
  else if (status == VI_ECANCELLED)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  else
    g_task_return_new_error (task, VI_ERROR, status, "%s", vi_job_get_error_message (job));
  vi_job_free (job);
}

void
vi_job_run_async (const ViJobType     *type,
                  GVariant            *params,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  JobTask *t;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (type != NULL);
  t = g_new0 (JobTask, 1);
  t->type = type;
  t->params = g_variant_ref_sink (params != NULL ? params : g_variant_new ("a{sv}", NULL));
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vi_job_run_async);
  g_task_set_task_data (task, t, job_task_free);
  if (cancellable != NULL)
    {
      t->cancellable = g_object_ref (cancellable);
      t->handler = g_cancellable_connect (cancellable, G_CALLBACK (job_cancelled_cb), t, NULL);
    }
  g_task_run_in_thread (task, job_thread);
}

gpointer
vi_job_run_finish (GAsyncResult  *result,
                   double        *seconds,
                   GError       **error)
{
  JobTask *t;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vi_job_run_async, NULL);
  t = g_task_get_task_data (G_TASK (result));
  if (seconds != NULL)
    *seconds = t->seconds;
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
vi_job_run_free_snapshot (GAsyncResult *result,
                          gpointer      snapshot)
{
  JobTask *t = g_task_get_task_data (G_TASK (result));

  if (snapshot != NULL)
    t->type->snapshot_free (snapshot);
}
