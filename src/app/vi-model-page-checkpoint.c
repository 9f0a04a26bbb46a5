/* vi-model-page-checkpoint.c — the model pages' file dialogs and
 * checkpoints: saving a run's model while it trains, and asking whether
 * to before the window closes or another page is shown
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The save runs on the run's worker between two steps (vi_run_call_async
 * with the class's save_checkpoint), never on the UI thread and never
 * beside a step: the worker stays the only owner of the job. A running run
 * goes on running while the question is open and while it saves — nothing
 * is paused, so Cancel changes nothing — and the file holds the state of
 * the step boundary where the worker took the save.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "vi-model-page-private.h"
#include "vi-util.h"

#define PRIV(self) vi_model_page_get_private (self)
#define CLASS(self) VI_MODEL_PAGE_GET_CLASS (self)

/* ---- file dialogs -------------------------------------------------------- */

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     ViModelPage     *self)
{
  ViModelPagePrivate *priv = PRIV (self);
  g_autoptr(GtkFileChooserNative) chooser = g_steal_pointer (&priv->chooser);
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      path = file != NULL ? g_file_get_path (file) : NULL;
    }
  /* Cleared first: @done may open another dialog. */
  if (path != NULL || priv->chooser_tells_dismiss)
    priv->chooser_done (self, path);
}

static GtkFileChooser *
open_chooser (ViModelPage          *self,
              const char           *title,
              GtkFileChooserAction  action,
              const char           *accept,
              gboolean              tells_dismiss,
              ViModelPageFileFunc   done)
{
  ViModelPagePrivate *priv = PRIV (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (priv->chooser != NULL)
    return NULL;
  priv->chooser_done = done;
  priv->chooser_tells_dismiss = tells_dismiss;
  priv->chooser = gtk_file_chooser_native_new (title,
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               action, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (priv->chooser), TRUE);
  g_signal_connect (priv->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  return GTK_FILE_CHOOSER (priv->chooser);
}

void
vi_model_page_choose_file (ViModelPage         *self,
                           const char          *title,
                           const char          *filter_name,
                           const char          *mime_type,
                           ViModelPageFileFunc  done)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_auto(GStrv) types = g_strsplit (mime_type, ";", -1);
  GtkFileChooser *chooser;

  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  chooser = open_chooser (self, title, GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), FALSE, done);
  if (chooser == NULL)
    return;
  gtk_file_filter_set_name (filter, filter_name);
  for (guint i = 0; types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, types[i]);
  gtk_file_chooser_add_filter (chooser, filter);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
vi_model_page_choose_save_file (ViModelPage         *self,
                                const char          *title,
                                const char          *current_name,
                                ViModelPageFileFunc  done)
{
  GtkFileChooser *chooser;

  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  chooser = open_chooser (self, title, GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), TRUE, done);
  if (chooser == NULL)
    {
      done (self, NULL);
      return;
    }
  gtk_file_chooser_set_current_name (chooser, current_name);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- saving -------------------------------------------------------------- */

typedef struct
{
  gboolean           (*save) (ViJob *job, const char *path, GError **error);
  char                *path;
  ViModelPage         *page;      /* a reference */
  ViModelPageSavedFunc done;
  gpointer             user_data;
} SaveCall;

static void
save_call_free (gpointer data)
{
  SaveCall *c = data;

  g_free (c->path);
  g_object_unref (c->page);
  g_free (c);
}

/* On the worker, between two steps. */
static gboolean
save_call (ViJob     *job,
           gpointer   data,
           GError   **error)
{
  SaveCall *c = data;

  return c->save (job, c->path, error);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  ViRun *run = VI_RUN (source);
  SaveCall *c = data;
  ViModelPagePrivate *priv = PRIV (c->page);
  g_autoptr(GError) error = NULL;
  guint64 iteration = 0;

  if (vi_run_call_finish (run, result, &iteration, &error))
    {
      g_set_weak_pointer (&priv->saved_run, run);
      priv->saved_iteration = iteration;
    }
  if (c->done != NULL)
    c->done (c->page, error, c->user_data);
}

gboolean
vi_model_page_has_unsaved_run (ViModelPage *self,
                               ViRun       *run)
{
  ViModelPagePrivate *priv;
  ViRunState state;

  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), FALSE);
  priv = PRIV (self);
  if (CLASS (self)->save_checkpoint == NULL || run == NULL
      || vi_run_get_job_type (run) != CLASS (self)->job_type)
    return FALSE;
  state = vi_run_get_state (run);
  if (state == VI_RUN_RUNNING)
    return TRUE;
  return state == VI_RUN_PAUSED && vi_run_get_iteration (run) > 0
         && (priv->saved_run != run || vi_run_get_iteration (run) > priv->saved_iteration);
}

void
vi_model_page_save_checkpoint (ViModelPage          *self,
                               ViRun                *run,
                               const char           *path,
                               ViModelPageSavedFunc  done,
                               gpointer              user_data)
{
  SaveCall *c;

  g_return_if_fail (VI_IS_MODEL_PAGE (self));
  g_return_if_fail (VI_IS_RUN (run));
  g_return_if_fail (CLASS (self)->save_checkpoint != NULL);
  g_return_if_fail (vi_run_get_job_type (run) == CLASS (self)->job_type);
  c = g_new0 (SaveCall, 1);
  c->save = CLASS (self)->save_checkpoint;
  c->path = g_strdup (path);
  c->page = g_object_ref (self);
  c->done = done;
  c->user_data = user_data;
  vi_run_call_async (run, save_call, c, save_call_free, saved_cb, c);
}

/* ---- the question -------------------------------------------------------- */

typedef struct
{
  ViRun               *run;       /* a reference */
  AdwMessageDialog    *dialog;    /* while shown, or NULL */
  ViModelPageOfferFunc done;
  gpointer             user_data;
} Offer;

/* Ends the question: @done learns the answer once it is closed. */
static void
offer_finish (ViModelPage *self,
              gboolean     proceed,
              gboolean     discarded)
{
  Offer *o = g_steal_pointer (&PRIV (self)->offer);

  if (o == NULL)
    return;
  if (o->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (o->dialog));
  g_object_unref (o->run);
  o->done (self, proceed, discarded, o->user_data);
  g_free (o);
}

static void
offer_saved (ViModelPage  *self,
             const GError *error,
             gpointer      user_data)
{
  if (error != NULL)
    {
      /* Translators: %s says which file and why */
      g_autofree char *msg = g_strdup_printf (_("The checkpoint was not saved: %s"),
                                              error->message);

      vi_widget_toast (GTK_WIDGET (self), msg);
    }
  offer_finish (self, error == NULL, FALSE);
}

static void
offer_file_chosen (ViModelPage *self,
                   const char  *path)
{
  Offer *o = PRIV (self)->offer;

  if (o == NULL)
    return;
  if (path == NULL)
    offer_finish (self, FALSE, FALSE);
  else
    vi_model_page_save_checkpoint (self, o->run, path, offer_saved, NULL);
}

static void
offer_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   ViModelPage      *self)
{
  Offer *o = PRIV (self)->offer;

  if (o == NULL || o->dialog != dialog)
    return;
  /* The dialog closes itself after this signal. */
  o->dialog = NULL;
  if (g_str_equal (response, "save"))
    vi_model_page_choose_save_file (self, CLASS (self)->checkpoint_title,
                                    CLASS (self)->checkpoint_name, offer_file_chosen);
  else
    offer_finish (self, g_str_equal (response, "discard"), TRUE);
}

gboolean
vi_model_page_offer_checkpoint (ViModelPage          *self,
                                ViRun                *run,
                                ViModelPageOfferFunc  done,
                                gpointer              user_data)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *steps = NULL, *body = NULL;
  Offer *o;

  g_return_val_if_fail (VI_IS_MODEL_PAGE (self), FALSE);
  g_return_val_if_fail (VI_IS_RUN (run), FALSE);
  if (PRIV (self)->offer != NULL)
    return FALSE;
  steps = g_strdup_printf ("%" G_GUINT64_FORMAT, vi_run_get_iteration (run));
  /* Translators: %s is the page's title, %s the number of training steps */
  body = g_strdup_printf (_("The %s has trained for %s steps that are not saved. A checkpoint "
                            "keeps the model, its optimiser and its place in the data, so a "
                            "later run can load it and go on."),
                          vi_page_get_title (VI_PAGE (self)), steps);
  o = g_new0 (Offer, 1);
  o->run = g_object_ref (run);
  o->done = done;
  o->user_data = user_data;
  o->dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                          : NULL,
                                                          _("Save a checkpoint?"), body));
  adw_message_dialog_add_responses (o->dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (o->dialog, "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (o->dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (o->dialog, "save");
  adw_message_dialog_set_close_response (o->dialog, "cancel");
  g_signal_connect (o->dialog, "response", G_CALLBACK (offer_response_cb), self);
  PRIV (self)->offer = o;
  gtk_window_present (GTK_WINDOW (o->dialog));
  return TRUE;
}

void
vi_model_page_checkpoint_dispose (ViModelPage *self)
{
  ViModelPagePrivate *priv = PRIV (self);
  Offer *o = g_steal_pointer (&priv->offer);

  if (priv->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (priv->chooser));
  g_clear_object (&priv->chooser);
  g_clear_weak_pointer (&priv->saved_run);
  if (o != NULL)
    {
      if (o->dialog != NULL)
        gtk_window_destroy (GTK_WINDOW (o->dialog));
      g_object_unref (o->run);
      g_free (o);
    }
}
