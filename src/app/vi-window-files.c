/* vi-window-files.c — what the window reads and writes: plot and data
 * exports, sessions, screenshots
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "vi-output.h"
#include "vi-plot-cache.h"
#include "vi-session.h"
#include "vi-util.h"
#include "vi-window-private.h"

/* ---- exports ------------------------------------------------------------ */

static gboolean
export_plot (ViWindow    *self,
             const char  *path,
             gboolean     data_only,
             GError     **error)
{
  ViPage *page = vi_window_get_page (self);
  ViPlotView *plot = page != NULL ? vi_page_get_main_plot (page) : NULL;

  if (plot == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: there is no plot to export"), path);
      return FALSE;
    }
  if (data_only && !g_str_has_suffix (path, ".csv"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: data is exported as .csv"), path);
      return FALSE;
    }
  return vi_plot_view_export (plot, path, 800, 500, 2, error);
}

/* ---- sessions ----------------------------------------------------------- */

/* (transfer container) The pages, in sidebar order. */
static GPtrArray *
list_pages (ViWindow *self)
{
  GPtrArray *pages = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    g_ptr_array_add (pages, child);
  return pages;
}

gboolean
vi_window_save_session (ViWindow    *self,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GPtrArray) pages = NULL;
  g_autofree ViSessionResult *results = NULL;
  ViPage *visible;

  g_return_val_if_fail (VI_IS_WINDOW (self), FALSE);
  visible = vi_window_get_page (self);
  pages = list_pages (self);
  results = g_new0 (ViSessionResult, pages->len);
  for (guint i = 0; i < pages->len; i++)
    {
      ViPageRun *pr = vi_window_get_page_run (self, pages->pdata[i]);

      /* A stale run's result is not what the saved settings replay to. */
      if (pr->run == NULL || pr->stale || vi_run_get_iteration (pr->run) == 0)
        continue;
      vi_run_update (pr->run);
      results[i].have = TRUE;
      results[i].iteration = vi_run_get_iteration (pr->run);
      results[i].objective = vi_run_get_objective (pr->run);
    }
  return vi_session_save (path, visible != NULL ? vi_page_get_name (visible) : "expfam",
                          (ViPage *const *) pages->pdata, results, pages->len, error);
}

/* Sets the pages to @session (read and checked against @pages). */
static gboolean
apply_session (ViWindow   *self,
               ViSession  *session,
               GPtrArray  *pages,
               GError    **error)
{
  const char *const *warnings;

  if (!vi_session_apply (session, error))
    return FALSE;
  for (guint i = 0; i < pages->len; i++)
    {
      const ViSessionResult *result = vi_session_get_result (session, pages->pdata[i]);
      ViPageRun *pr = vi_window_get_page_run (self, pages->pdata[i]);

      if (result == NULL)
        continue;
      vi_window_drop_run (self, pr);
      vi_page_show_snapshot (pages->pdata[i], NULL);
      pr->have_expected = result->have;
      pr->expected_iteration = result->iteration;
      pr->expected_objective = result->objective;
    }
  warnings = vi_session_get_warnings (session);
  for (guint i = 0; warnings[i] != NULL; i++)
    vi_widget_toast (GTK_WIDGET (self->toast_overlay), warnings[i]);
  if (vi_session_get_visible (session) != NULL)
    vi_window_set_page (self, vi_session_get_visible (session));
  g_strfreev (self->session_warnings);
  self->session_warnings = g_strdupv ((char **) warnings);
  vi_window_update_controls (self);
  return TRUE;
}

gboolean
vi_window_open_session (ViWindow    *self,
                        const char  *path,
                        GError     **error)
{
  ViSession *session;
  g_autoptr(GPtrArray) pages = NULL;
  gboolean ok;

  g_return_val_if_fail (VI_IS_WINDOW (self), FALSE);
  pages = list_pages (self);
  session = vi_session_read (path, (ViPage *const *) pages->pdata, pages->len, error);
  ok = session != NULL && apply_session (self, session, pages, error);
  vi_session_free (session);
  return ok;
}

#define OPEN_CANCEL_KEY "vi-window-open-session-cancellable"

static void
session_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ViWindow *self = g_task_get_source_object (task);
  g_autoptr(ViSession) session = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  GError *error = NULL;

  session = vi_session_read_finish (result, &error);
  /* A newer open replaced this one (or it was cancelled). */
  if (session == NULL || g_task_return_error_if_cancelled (task))
    {
      if (session == NULL)
        g_task_return_error (task, error);
      return;
    }
  if (g_object_get_data (G_OBJECT (self), OPEN_CANCEL_KEY) == g_task_get_cancellable (task))
    g_object_set_data (G_OBJECT (self), OPEN_CANCEL_KEY, NULL);
  pages = list_pages (self);
  if (apply_session (self, session, pages, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
vi_window_open_session_async (ViWindow            *self,
                              const char          *path,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GCancellable *cancellable = g_cancellable_new ();
  GCancellable *older = g_object_get_data (G_OBJECT (self), OPEN_CANCEL_KEY);
  g_autoptr(GPtrArray) pages = NULL;
  GTask *task;

  g_return_if_fail (VI_IS_WINDOW (self));
  if (older != NULL)
    g_cancellable_cancel (older);
  g_object_set_data_full (G_OBJECT (self), OPEN_CANCEL_KEY, cancellable, g_object_unref);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vi_window_open_session_async);
  pages = list_pages (self);
  vi_session_read_async (path, (ViPage *const *) pages->pdata, pages->len, cancellable,
                         session_read_cb, task);
}

gboolean
vi_window_open_session_finish (ViWindow      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *const *
vi_window_get_session_warnings (ViWindow *self)
{
  g_return_val_if_fail (VI_IS_WINDOW (self), NULL);
  return (const char *const *) self->session_warnings;
}

/* ---- actions that take a path, and their file dialogs ------------------- */

/* Runs "win.@action" on @path. */
static gboolean
run_file_action (ViWindow    *self,
                 const char  *action,
                 const char  *path,
                 GError     **error)
{
  if (g_str_equal (action, "export-plot"))
    return export_plot (self, path, FALSE, error);
  if (g_str_equal (action, "export-data"))
    return export_plot (self, path, TRUE, error);
  if (g_str_equal (action, "save-session"))
    return vi_window_save_session (self, path, error);
  g_assert (g_str_equal (action, "open-session"));
  return vi_window_open_session (self, path, error);
}

/* Translators: a toast; %s is the session file's name */
static const char opened_format[] = N_("Opened session “%s”; press Run to replay");

/* Toasts why opening a session failed, or @done (a "%s" message, the
 * session's name, or NULL) when it opened. */
static void
session_opened_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ViWindow *self = VI_WINDOW (source);
  g_autofree char *done = user_data;
  g_autoptr(GError) error = NULL;

  if (vi_window_open_session_finish (self, result, &error))
    {
      if (done != NULL)
        vi_widget_toast (GTK_WIDGET (self->toast_overlay), done);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    vi_widget_toast (GTK_WIDGET (self->toast_overlay), error->message);
}

static void
file_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  ViWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  /* Opening a session hashes its data files: on a worker thread. */
  if (g_str_equal (name, "open-session"))
    {
      const char *path = g_variant_get_string (param, NULL);
      g_autofree char *base = g_path_get_basename (path);

      vi_window_open_session_async (self, path, session_opened_cb,
                                    g_strdup_printf (_(opened_format), base));
    }
  else if (!run_file_action (self, name, g_variant_get_string (param, NULL), &error))
    vi_widget_toast (GTK_WIDGET (self->toast_overlay), error->message);
}

/* A file dialog that runs a path action on the chosen file. */
typedef struct
{
  const char *action;         /* the path action; the dialog is "ACTION-dialog" */
  const char *title;          /* N_() marked, as the strings below */
  GtkFileChooserAction mode;
  const char *accept;
  const char *filter_name;
  const char *pattern;
  const char *suggested;      /* file name offered when saving (N_() marked), or NULL */
  const char *suffix;         /* added when the chosen name lacks it, or NULL */
  const char *done;           /* toast after success ("%s" the file's name), or NULL */
} FileDialog;

static const FileDialog file_dialogs[] = {
  { "export-data", N_("Export Data"), GTK_FILE_CHOOSER_ACTION_SAVE, N_("_Export"),
    N_("CSV data"), "*.csv",
    /* Translators: the file name offered by Export Data; keep ".csv" */
    N_("data.csv"), ".csv", NULL },
  { "save-session", N_("Save Session"), GTK_FILE_CHOOSER_ACTION_SAVE, N_("_Save"),
    N_("ELBO Lab sessions"), "*.json",
    /* Translators: the file name offered by Save Session; keep
     * ".elbo-session.json", the suffix the desktop knows sessions by */
    N_("session.elbo-session.json"), NULL, N_("Saved session “%s”") },
  { "open-session", N_("Open Session"), GTK_FILE_CHOOSER_ACTION_OPEN, N_("_Open"),
    N_("ELBO Lab sessions"), "*.json", NULL, NULL, opened_format },
};

static void
file_dialog_response_cb (GtkNativeDialog *dialog,
                         int              response,
                         gpointer         user_data)
{
  ViWindow *self = user_data;
  const FileDialog *fd = g_object_get_data (G_OBJECT (dialog), "vi-file-dialog");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL
      && (path = g_file_get_path (file)) != NULL)
    {
      if (fd->suffix != NULL && !g_str_has_suffix (path, fd->suffix))
        {
          char *p = g_strconcat (path, fd->suffix, NULL);

          g_free (path);
          path = p;
        }
      if (g_str_equal (fd->action, "open-session"))
        {
          g_autofree char *base = g_path_get_basename (path);

          vi_window_open_session_async (self, path, session_opened_cb,
                                        g_strdup_printf (_(fd->done), base));
        }
      else if (!run_file_action (self, fd->action, path, &error))
        vi_widget_toast (GTK_WIDGET (self->toast_overlay), error->message);
      else if (fd->done != NULL)
        {
          g_autofree char *base = g_path_get_basename (path);
          g_autofree char *msg = g_strdup_printf (_(fd->done), base);

          vi_widget_toast (GTK_WIDGET (self->toast_overlay), msg);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
file_dialog_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  ViWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  const FileDialog *fd = NULL;
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter;

  /* Export Plot… is the plot's own dialog, with its size and format. */
  if (g_str_equal (name, "export-plot-dialog"))
    {
      ViPage *page = vi_window_get_page (self);

      if (page != NULL && vi_page_get_main_plot (page) != NULL)
        vi_plot_view_export_dialog (vi_page_get_main_plot (page));
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (file_dialogs); i++)
    if (g_str_has_prefix (name, file_dialogs[i].action)
        && g_str_equal (name + strlen (file_dialogs[i].action), "-dialog"))
      fd = &file_dialogs[i];
  g_assert (fd != NULL);
  filter = gtk_file_filter_new ();
  dialog = gtk_file_chooser_native_new (_(fd->title), GTK_WINDOW (self), fd->mode,
                                        _(fd->accept), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  if (fd->suggested != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _(fd->suggested));
  gtk_file_filter_set_name (filter, _(fd->filter_name));
  gtk_file_filter_add_pattern (filter, fd->pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_object_set_data (G_OBJECT (dialog), "vi-file-dialog", (gpointer) fd);
  g_signal_connect (dialog, "response", G_CALLBACK (file_dialog_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- screenshot --------------------------------------------------------- */

gboolean
vi_window_save_png (ViWindow    *self,
                    const char  *path,
                    GError     **error)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;

  g_return_val_if_fail (VI_IS_WINDOW (self), FALSE);

  renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  if (renderer == NULL || width <= 0 || height <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("%s: the window is not shown yet"), path);
      return FALSE;
    }
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_scale (snapshot, scale, scale);
  /* Plots show what is current, not what a render thread will bring. */
  vi_plot_cache_set_synchronous (TRUE);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  vi_plot_cache_set_synchronous (FALSE);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("%s: nothing was drawn"),
                   path);
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width * scale,
                                                              height * scale));
  png = gdk_texture_save_to_png_bytes (texture);
  return vi_output_write_file (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), error);
}

static gboolean
screenshot_cb (gpointer user_data)
{
  ViWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  self->screenshot_id = 0;
  if (!vi_window_save_png (self, self->screenshot.path, &error))
    {
      /* A loaded machine (or a sanitizer build) may not have laid the
       * window out yet: try again for a few seconds before giving up. A
       * file that cannot be written fails at once. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED)
          && self->screenshot_retries++ < 50)
        {
          self->screenshot_id = g_timeout_add (100, screenshot_cb, self);
          return G_SOURCE_REMOVE;
        }
    }
  if (self->screenshot.done != NULL)
    self->screenshot.done (error, self->screenshot.user_data);
  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
screenshot_after_paint (GdkFrameClock *clock,
                        ViWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, screenshot_after_paint, self);
  if (self->screenshot_id == 0)
    self->screenshot_id = g_timeout_add ((guint) MAX (50, self->screenshot.after * 1000),
                                         screenshot_cb, self);
}

/* Start the --after countdown once the window has been drawn once. */
static void
screenshot_after_map (ViWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->screenshot.path == NULL || self->screenshot_id != 0 || clock == NULL)
    return;
  g_signal_connect (clock, "after-paint", G_CALLBACK (screenshot_after_paint), self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
vi_window_screenshot_and_close (ViWindow                  *self,
                                const ViScreenshotOptions *options)
{
  self->screenshot = *options;
  self->screenshot.path = g_strdup (options->path);
  gtk_widget_add_css_class (GTK_WIDGET (self), "vi-screenshot");
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    screenshot_after_map (self);
  else
    g_signal_connect_swapped (self, "map", G_CALLBACK (screenshot_after_map), self);
}

/* ---- set-up and shutdown ------------------------------------------------ */

void
vi_window_files_init (ViWindow *self)
{
  static const GActionEntry actions[] = {
    { "export-plot", file_action, "s" },
    { "export-data", file_action, "s" },
    { "save-session", file_action, "s" },
    { "open-session", file_action, "s" },
    { "export-plot-dialog", file_dialog_action },
    { "export-data-dialog", file_dialog_action },
    { "save-session-dialog", file_dialog_action },
    { "open-session-dialog", file_dialog_action },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
}

void
vi_window_files_dispose (ViWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock != NULL)
    g_signal_handlers_disconnect_by_func (clock, screenshot_after_paint, self);
  g_clear_handle_id (&self->screenshot_id, g_source_remove);
}
