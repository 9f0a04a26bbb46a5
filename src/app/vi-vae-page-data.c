/* vi-vae-page-data.c — the vae page's images, loaded off the UI thread:
 * a GTask loads the data sets the settings name into the dataset cache
 * (vi-dataset.h, as vi-bbvi-page-counts.c does for counts files) and the
 * page keeps them, so the job created on Run or a restart finds them there
 * instead of decompressing Fashion-MNIST on the UI thread
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "vi-vae-page-private.h"

/* On a GTask thread: the data sets of the normalised settings @data into
 * the cache, returned as the task's pointer. */
static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *sets = vi_vae_job_load_data (data, &error);

  if (sets == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, sets, (GDestroyNotify) g_ptr_array_unref);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ViVaePage *self = VI_VAE_PAGE (source);
  g_autoptr(GError) error = NULL;

  /* Replaced by a newer choice, or cancelled by dispose: the task frees
   * what it loaded. */
  if (g_task_get_cancellable (G_TASK (result)) != self->data_cancel)
    return;
  g_clear_object (&self->data_cancel);
  self->data_sets = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->data_sets == NULL)
    self->data_error = g_strdup (error->message);
  self->data_loaded (self);
}

/* The data sets the page's settings name ("data", then "test"), or NULL
 * when the settings are refused. */
static char *
dup_data_key (ViVaePage  *self,
              GVariant  **valid)
{
  g_autoptr(GVariant) settings = vi_page_dup_settings (VI_PAGE (self), NULL);

  *valid = settings != NULL ? vi_job_validate (&vi_vae_job_type, settings, NULL) : NULL;
  if (*valid == NULL)
    return NULL;
  return g_strconcat (vi_params_get_string (*valid, "data"), "\n",
                      vi_params_get_string (*valid, "test"), NULL);
}

void
vi_vae_page_load_data (ViVaePage  *self,
                       void      (*loaded) (ViVaePage *self))
{
  g_autoptr(GVariant) valid = NULL;
  g_autofree char *key = dup_data_key (self, &valid);
  g_autoptr(GTask) task = NULL;

  if (key == NULL || g_strcmp0 (key, self->data_key) == 0)
    return;
  vi_vae_page_forget_data (self);
  self->data_key = g_steal_pointer (&key);
  self->data_cancel = g_cancellable_new ();
  self->data_loaded = loaded;
  task = g_task_new (self, self->data_cancel, load_done, NULL);
  g_task_set_source_tag (task, vi_vae_page_load_data);
  g_task_set_task_data (task, g_steal_pointer (&valid), (GDestroyNotify) g_variant_unref);
  g_task_run_in_thread (task, load_thread);
}

void
vi_vae_page_forget_data (ViVaePage *self)
{
  if (self->data_cancel != NULL)
    g_cancellable_cancel (self->data_cancel);
  g_clear_object (&self->data_cancel);
  g_clear_pointer (&self->data_sets, g_ptr_array_unref);
  g_clear_pointer (&self->data_key, g_free);
  g_clear_pointer (&self->data_error, g_free);
}

char *
vi_vae_page_dup_data_message (ViVaePage  *self,
                              const char *data,
                              gboolean   *warn)
{
  size_t len = data != NULL ? strlen (data) : 0;

  /* Only about the data chosen now (a load of other data may be ending). */
  if (data == NULL || self->data_key == NULL || strncmp (self->data_key, data, len) != 0
      || self->data_key[len] != '\n')
    return NULL;
  if (self->data_error != NULL)
    {
      *warn = TRUE;
      return g_strdup (self->data_error);
    }
  if (self->data_cancel == NULL)
    return NULL;
  if (g_str_has_prefix (data, "idx:"))
    /* Translators: %s is the path of the images file being read */
    return g_strdup_printf (_("Loading %s…"), data + strlen ("idx:"));
  return g_strdup (_("Loading Fashion-MNIST…"));
}
