/* vi-bbvi-page-counts.c — the bbvi page's counts file, loaded off the UI
 * thread: a GTask creates the job for the reference snapshot (which reads
 * the file into the dataset cache, vi-dataset.h) and the page keeps the
 * dataset, so later jobs find it there; a newer choice wins
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vi-bbvi-job.h"
#include "vi-bbvi-page-private.h"

/* A load of the counts file: on a GTask thread, the job is created from
 * @params (reading the file into the dataset cache, vi-dataset.h) for its
 * reference snapshot, and the dataset is kept so later jobs find it in the
 * cache. */
typedef struct
{
  char *path;
  GVariant *params;
  ViDataset *dataset;
  ViBbviSnapshot *ref;
  void (*loaded) (ViBbviPage *self);
} Load;

static void
load_free (gpointer data)
{
  Load *l = data;

  g_free (l->path);
  g_variant_unref (l->params);
  g_clear_pointer (&l->dataset, vi_dataset_unref);
  g_clear_pointer (&l->ref, vi_bbvi_snapshot_free);
  g_free (l);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  Load *l = data;
  ViJob *job;

  /* The job's message, as a job created on the UI thread gave it. */
  if ((job = vi_job_create (&vi_bbvi_job_type, l->params, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  l->ref = vi_job_snapshot (job);
  vi_job_free (job);
  l->dataset = vi_dataset_load (l->path, VI_DATASET_COUNTS, &error);
  if (l->dataset == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ViBbviPage *self = VI_BBVI_PAGE (source);
  Load *l = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* A newer choice (or dispose) replaced or cancelled this load. */
  if (g_task_get_cancellable (G_TASK (result)) != self->load_cancel)
    return;
  g_clear_object (&self->load_cancel);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    self->load_error = g_strdup (error->message);
  else
    {
      self->dataset = g_steal_pointer (&l->dataset);
      self->loaded_ref = g_steal_pointer (&l->ref);
      self->loaded_params = g_variant_ref (l->params);
    }
  l->loaded (self);
}

/* Loads the counts file for @valid (the page's normalised settings) on a
 * GTask thread, cancelling (ignoring) a load in flight; then keeps the
 * dataset and the reference snapshot, or the error in load_error, and
 * calls @loaded. */
void
vi_bbvi_page_start_load (ViBbviPage  *self,
                         GVariant    *valid,
                         void       (*loaded) (ViBbviPage *self))
{
  g_autoptr(GTask) task = NULL;
  Load *l = g_new0 (Load, 1);

  if (self->load_cancel != NULL)
    g_cancellable_cancel (self->load_cancel);
  g_clear_object (&self->load_cancel);
  self->load_cancel = g_cancellable_new ();
  l->path = g_strdup (self->counts_file);
  l->params = g_variant_ref (valid);
  l->loaded = loaded;
  task = g_task_new (self, self->load_cancel, load_done, NULL);
  g_task_set_source_tag (task, vi_bbvi_page_start_load);
  g_task_set_task_data (task, l, load_free);
  g_task_run_in_thread (task, load_thread);
}

/* Forgets the loaded counts file and cancels a load in flight (a new
 * choice is loaded again). */
void
vi_bbvi_page_forget_counts (ViBbviPage *self)
{
  if (self->load_cancel != NULL)
    g_cancellable_cancel (self->load_cancel);
  g_clear_object (&self->load_cancel);
  g_clear_pointer (&self->dataset, vi_dataset_unref);
  g_clear_pointer (&self->load_error, g_free);
  g_clear_pointer (&self->loaded_ref, vi_bbvi_snapshot_free);
  g_clear_pointer (&self->loaded_params, g_variant_unref);
}
