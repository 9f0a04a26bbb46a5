/* test-app-checkpoint.c — "Save a checkpoint?" under Xvfb: closing a
 * window or leaving the VAE page while it trains asks, Save writes a model
 * file that loads with the run's architecture, Cancel keeps the window and
 * the run, Discard goes on, and nothing is asked when nothing would be lost
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With ELBO_LAB_SCREENSHOT_DIR set, the question is saved there as a PNG.
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "vi-application.h"
#include "vi-model-page.h"
#include "vi-run.h"
#include "vi-test-app.h"
#include "vi-test-idx.h"
#include "vi-vae-job.h"
#include "vi-window.h"

static ViApplication *app;
static ViWindow *main_window;
static char *fixture_dir, *data_spec;

/* ---- helpers ------------------------------------------------------------ */

static GtkWidget *
find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWidget *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

static gboolean
shown (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static gboolean
gone (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) == NULL;
}

#define DIALOG_TYPE GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG)
#define CHOOSER_TYPE GSIZE_TO_POINTER (GTK_TYPE_FILE_CHOOSER_DIALOG)

static AdwMessageDialog *
question (void)
{
  return ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static GtkButton *
find_button (GtkWidget  *widget,
             const char *label)
{
  g_assert_nonnull (widget);
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return GTK_BUTTON (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkButton *b = find_button (c, label);

      if (b != NULL)
        return b;
    }
  return NULL;
}

/* Clicks the question's button @label, as the user does (the dialog then
 * closes itself). */
static void
answer (const char *label)
{
  AdwMessageDialog *dialog;
  GtkButton *button;

  g_assert_true (spin_until (shown, DIALOG_TYPE, 10));
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  button = find_button (GTK_WIDGET (dialog), label);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* A new window (the application keeps it), nothing saved in GSettings. */
static ViWindow *
new_window (void)
{
  ViWindow *w = vi_window_new (GTK_APPLICATION (app), NULL, NULL);

  gtk_window_present (GTK_WINDOW (w));
  spin_for (0.3);
  return w;
}

static ViModelPage *
vae_page (ViWindow *w)
{
  return VI_MODEL_PAGE (vi_window_get_page_by_name (w, "vae"));
}

static gboolean
reached (gpointer data)
{
  ViRun *run = vi_window_get_run (data);

  return run != NULL && vi_run_get_iteration (run) >= 5;
}

/* Starts the VAE on the fixture for @epochs epochs, flat out, on @w, and
 * waits for 5 steps. */
static void
train (ViWindow *w,
       guint     epochs)
{
  g_autofree char *text = g_strdup_printf ("{'data': <'%s'>, 'hidden': <[int64 32]>, "
                                           "'latent': <int64 2>, 'epochs': <int64 %u>, "
                                           "'batch-size': <int64 20>, 'iwae': <int64 0>, "
                                           "'seed': <uint64 5>}", data_spec, epochs);

  g_assert_true (vi_window_set_page (w, "vae"));
  vi_test_apply_settings (VI_PAGE (vae_page (w)), text);
  set_window_speed (GTK_WIDGET (w), 3);
  vi_window_start_run (w);
  g_assert_true (spin_until (reached, w, 60));
}

static GtkButton *find_button (GtkWidget *widget, const char *label);

static gboolean
chooser_names (gpointer path)
{
  GtkWidget *chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_autoptr(GFile) file = chooser != NULL ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))
                                          : NULL;
  g_autofree char *named = file != NULL ? g_file_get_path (file) : NULL;

  return g_strcmp0 (named, path) == 0;
}

/* Answers the file dialog with @path (its folder, then its name), and
 * clicks its Save button as the user does. */
static void
choose (const char *path)
{
  GtkFileChooser *chooser;

  g_assert_true (spin_until (shown, CHOOSER_TYPE, 10));
  chooser = GTK_FILE_CHOOSER (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  /* Typed in full, as a user may: the name entry takes a whole path. */
  gtk_file_chooser_set_current_name (chooser, path);
  g_assert_true (spin_until (chooser_names, (gpointer) path, 10));
  g_signal_emit_by_name (find_button (GTK_WIDGET (chooser), "_Save"), "clicked");
  g_assert_true (spin_until (gone, CHOOSER_TYPE, 10));
}

/* @path is a VAE model of the fixture's run: 64-32-2, trained some steps. */
static void
check_model (const char *path)
{
  ViVaeModel m = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (vi_vae_model_load (path, &m, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (m.arch.n_in, ==, 64);
  g_assert_cmpuint (m.arch.n_hidden, ==, 1);
  g_assert_cmpuint (m.arch.hidden[0], ==, 32);
  g_assert_cmpuint (m.arch.latent, ==, 2);
  g_assert_cmpuint (m.iteration, >=, 5);
  vi_vae_model_clear (&m);
}

typedef struct
{
  ViRun *run;
  guint64 from;
} Progress;

static gboolean
stepped_on (gpointer data)
{
  Progress *p = data;

  return vi_run_get_iteration (p->run) > p->from;
}

/* @run is running and its steps keep coming (within 30 s on a busy
 * machine). */
static gboolean
still_running (ViRun *run)
{
  Progress p = { run, vi_run_get_iteration (run) };

  return spin_until (stepped_on, &p, 30) && vi_run_get_state (run) == VI_RUN_RUNNING;
}

/* ---- cases -------------------------------------------------------------- */

/* Closing while it trains asks; Cancel keeps the window and the run;
 * Save writes a model that loads, then the window closes. */
static void
test_close_save (void)
{
  g_autofree char *model = g_build_filename (fixture_dir, "close.vae", NULL);
  ViWindow *w = new_window ();
  AdwMessageDialog *dialog;
  ViRun *run;

  g_object_add_weak_pointer (G_OBJECT (w), (gpointer *) &w);
  train (w, 100000);
  run = vi_window_get_run (w);
  gtk_window_close (GTK_WINDOW (w));
  g_assert_true (spin_until (shown, DIALOG_TYPE, 10));
  dialog = question ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (w));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save a checkpoint?");
  g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  g_assert_true (adw_message_dialog_has_response (dialog, "save"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Variational Autoencoder"));
  vi_test_maybe_screenshot_widget (GTK_WIDGET (dialog), "checkpoint-dialog");
  /* Training goes on while it asks. */
  g_assert_true (still_running (run));

  answer ("_Cancel");
  g_assert_true (spin_until (gone, DIALOG_TYPE, 10));
  g_assert_nonnull (w);
  g_assert_true (vi_window_get_run (w) == run);
  g_assert_true (still_running (run));

  gtk_window_close (GTK_WINDOW (w));
  g_assert_true (spin_until (shown, DIALOG_TYPE, 10));
  answer ("_Save…");
  choose (model);
  g_assert_true (spin_until (is_null, &w, 60));
  g_assert_true (gone (DIALOG_TYPE));
  check_model (model);
  g_unlink (model);
}

/* Discard closes at once; a failed save is shown and keeps everything. */
static void
test_close_discard_and_error (void)
{
  /* A folder that exists but takes no new file, even as root. */
  const char *model = "/proc/elbo-lab-checkpoint.vae";
  ViWindow *w = new_window ();
  ViRun *run;

  g_object_add_weak_pointer (G_OBJECT (w), (gpointer *) &w);
  train (w, 100000);
  run = vi_window_get_run (w);
  gtk_window_close (GTK_WINDOW (w));
  g_assert_true (spin_until (shown, DIALOG_TYPE, 10));
  answer ("_Save…");
  {
    GtkFileChooser *chooser;

    g_assert_true (spin_until (shown, CHOOSER_TYPE, 10));
    chooser = GTK_FILE_CHOOSER (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
    gtk_file_chooser_set_current_name (chooser, model);
    g_assert_true (spin_until (chooser_names, (gpointer) model, 10));
    g_signal_emit_by_name (find_button (GTK_WIDGET (chooser), "_Save"), "clicked");
  }
  g_assert_true (spin_until (gone, CHOOSER_TYPE, 10));
  spin_for (1.0);
  g_assert_true (gone (DIALOG_TYPE));
  g_assert_nonnull (w);
  g_assert_false (g_file_test (model, G_FILE_TEST_EXISTS));
  g_assert_true (vi_window_get_run (w) == run);
  g_assert_true (still_running (run));

  gtk_window_close (GTK_WINDOW (w));
  g_assert_true (spin_until (shown, DIALOG_TYPE, 10));
  answer ("_Discard");
  g_assert_true (spin_until (is_null, &w, 60));
}

typedef struct
{
  gboolean done;
  GError *error;
} Saved;

static void
saved_cb (ViModelPage  *page,
          const GError *error,
          gpointer      data)
{
  Saved *s = data;

  s->error = error != NULL ? g_error_copy (error) : NULL;
  s->done = TRUE;
}

static gboolean
saved_done (gpointer data)
{
  return ((Saved *) data)->done;
}

static gboolean
paused (gpointer data)
{
  return vi_run_get_state (data) == VI_RUN_PAUSED;
}

static gboolean
unsaved (gpointer data)
{
  ViWindow *w = data;

  return vi_model_page_has_unsaved_run (vae_page (w), vi_window_get_run (w));
}

/* Leaving the page while it trains asks the same: Cancel stays on it,
 * Save saves and goes, Discard goes and is not asked again for the run;
 * a paused run saved since its last step is not asked about. */
static void
test_switch (void)
{
  g_autofree char *model = g_build_filename (fixture_dir, "switch.vae", NULL);
  g_autofree char *error_path = g_build_filename (fixture_dir, "no", "such", "x.vae", NULL);
  ViWindow *w = main_window;
  GtkStack *stack;
  ViRun *run;
  Saved s = { 0 }, bad = { 0 };

  train (w, 100000);
  run = vi_window_get_run (w);
  stack = GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (vae_page (w))));
  /* As the sidebar does. */
  gtk_stack_set_visible_child_name (stack, "expfam");
  g_assert_true (spin_until (shown, DIALOG_TYPE, 10));
  g_assert_cmpstr (vi_page_get_name (vi_window_get_page (w)), ==, "vae");
  answer ("_Cancel");
  g_assert_true (spin_until (gone, DIALOG_TYPE, 10));
  g_assert_cmpstr (vi_page_get_name (vi_window_get_page (w)), ==, "vae");
  g_assert_true (still_running (run));

  gtk_stack_set_visible_child_name (stack, "expfam");
  g_assert_true (spin_until (shown, DIALOG_TYPE, 10));
  answer ("_Save…");
  choose (model);
  g_assert_true (spin_until (gone, CHOOSER_TYPE, 10));
  g_assert_true (spin_until (gone, DIALOG_TYPE, 10));
  spin_for (0.5);
  g_assert_cmpstr (vi_page_get_name (vi_window_get_page (w)), ==, "expfam");
  check_model (model);
  g_unlink (model);
  /* The run trains on behind the other page. */
  g_assert_true (still_running (run));

  /* Paused and saved: nothing to ask. */
  g_assert_true (vi_window_set_page (w, "vae"));
  g_action_group_activate_action (G_ACTION_GROUP (w), "run-pause", NULL);
  g_assert_true (spin_until (paused, run, 10));
  g_assert_true (vi_model_page_has_unsaved_run (vae_page (w), run));
  vi_model_page_save_checkpoint (vae_page (w), run, model, saved_cb, &s);
  g_assert_true (spin_until (saved_done, &s, 60));
  g_assert_no_error (s.error);
  check_model (model);
  g_assert_false (vi_model_page_has_unsaved_run (vae_page (w), run));
  gtk_stack_set_visible_child_name (stack, "expfam");
  spin_for (0.3);
  g_assert_true (gone (DIALOG_TYPE));
  g_assert_cmpstr (vi_page_get_name (vi_window_get_page (w)), ==, "expfam");
  /* An error names the file. */
  vi_model_page_save_checkpoint (vae_page (w), run, error_path, saved_cb, &bad);
  g_assert_true (spin_until (saved_done, &bad, 30));
  g_assert_nonnull (bad.error);
  g_assert_nonnull (strstr (bad.error->message, error_path));
  g_clear_error (&bad.error);

  /* A step after the save is unsaved again; Discard goes and stops asking. */
  g_assert_true (vi_window_set_page (w, "vae"));
  g_action_group_activate_action (G_ACTION_GROUP (w), "step", NULL);
  g_assert_true (spin_until (unsaved, w, 30));
  gtk_stack_set_visible_child_name (stack, "expfam");
  g_assert_true (spin_until (shown, DIALOG_TYPE, 10));
  answer ("_Discard");
  g_assert_true (spin_until (gone, DIALOG_TYPE, 10));
  g_assert_cmpstr (vi_page_get_name (vi_window_get_page (w)), ==, "expfam");
  gtk_stack_set_visible_child_name (stack, "vae");
  gtk_stack_set_visible_child_name (stack, "expfam");
  spin_for (0.3);
  g_assert_true (gone (DIALOG_TYPE));
  g_assert_cmpstr (vi_page_get_name (vi_window_get_page (w)), ==, "expfam");

  g_assert_true (vi_window_set_page (w, "vae"));
  g_action_group_activate_action (G_ACTION_GROUP (w), "reset", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (w), "clear-history", NULL);
  g_unlink (model);
}

static gboolean
run_finished (gpointer data)
{
  ViRun *run = vi_window_get_run (data);

  return run != NULL && vi_run_get_state (run) == VI_RUN_FINISHED;
}

/* Nothing trained, or a finished run: the window closes without asking. */
static void
test_nothing_to_ask (void)
{
  ViWindow *w = new_window ();

  g_object_add_weak_pointer (G_OBJECT (w), (gpointer *) &w);
  g_assert_true (vi_window_set_page (w, "vae"));
  g_assert_false (vi_model_page_has_unsaved_run (vae_page (w), vi_window_get_run (w)));
  gtk_window_close (GTK_WINDOW (w));
  g_assert_true (spin_until (is_null, &w, 10));
  g_assert_true (gone (DIALOG_TYPE));

  w = new_window ();
  g_object_add_weak_pointer (G_OBJECT (w), (gpointer *) &w);
  train (w, 2);
  g_assert_true (spin_until (run_finished, w, 60));
  g_assert_false (vi_model_page_has_unsaved_run (vae_page (w), vi_window_get_run (w)));
  gtk_window_close (GTK_WINDOW (w));
  g_assert_true (spin_until (is_null, &w, 10));
  g_assert_true (gone (DIALOG_TYPE));
}

/* The page's Save model… uses the same file dialog: its choice becomes the
 * run's save-model file. */
static void
test_save_model_button (void)
{
  g_autofree char *model = g_build_filename (fixture_dir, "button.vae", NULL);
  GtkWidget *page = GTK_WIDGET (vae_page (main_window));
  GObject *button = gtk_widget_get_template_child (page, G_OBJECT_TYPE (page), "save_button");
  GtkFileChooser *chooser;
  g_autofree char *name = NULL;
  g_autoptr(GVariant) settings = NULL;
  const char *path = NULL;

  g_assert_true (vi_window_set_page (main_window, "vae"));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (spin_until (shown, CHOOSER_TYPE, 10));
  chooser = GTK_FILE_CHOOSER (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  name = gtk_file_chooser_get_current_name (chooser);
  g_assert_cmpstr (name, ==, "model.vae");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (chooser)), ==, "Save the VAE Model");
  choose (model);
  settings = vi_page_dup_settings (VI_PAGE (vae_page (main_window)), NULL);
  g_assert_true (g_variant_lookup (settings, "save-model", "&s", &path));
  g_assert_cmpstr (path, ==, model);
  vi_test_apply_settings (VI_PAGE (vae_page (main_window)), "{'save-model': <''>}");
}

static void
add_tests (ViApplication *the_app,
           ViWindow      *the_window)
{
  g_autofree char *images = NULL, *labels = NULL;

  app = the_app;
  main_window = the_window;
  fixture_dir = vi_test_idx_write (200, 8, &images, &labels);
  data_spec = g_strdup_printf ("idx:%s,%s", images, labels);
  g_test_add_func ("/app/checkpoint/close-save", test_close_save);
  g_test_add_func ("/app/checkpoint/close-discard-error", test_close_discard_and_error);
  g_test_add_func ("/app/checkpoint/switch", test_switch);
  g_test_add_func ("/app/checkpoint/nothing-to-ask", test_nothing_to_ask);
  g_test_add_func ("/app/checkpoint/save-model-button", test_save_model_button);
}

int
main (int    argc,
      char **argv)
{
  int status = vi_test_app_main (argc, argv, add_tests);

  vi_test_idx_remove (fixture_dir);
  g_free (fixture_dir);
  g_free (data_spec);
  return status;
}
