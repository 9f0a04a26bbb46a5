/* vi-window.c — the main window
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "vi-output.h"
#include "vi-page-registry.h"
#include "vi-session.h"
#include "vi-util.h"
#include "vi-window.h"

/* Per page: its run and what a replayed session expects. */
typedef struct
{
  ViRun *run;
  gulong state_handler;
  gboolean kept;              /* the current run is already in the history */
  gboolean have_expected;
  guint64 expected_iteration;
  double expected_objective;
} PageRun;

struct _ViWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkStack *stack;
  GtkToggleButton *sidebar_button;
  GtkWidget *run_button;
  AdwButtonContent *run_button_content;
  GtkDropDown *speed_dropdown;
  GtkLabel *status_state;
  GtkLabel *status_iteration;
  GtkLabel *status_elapsed;
  GtkLabel *status_rate;
  GtkLabel *status_objective;

  GHashTable *runs;           /* page name → PageRun */
  guint tick_id;
  gint64 status_time;         /* last status-line update, µs */
  GSettings *settings;         /* may be NULL */
  guint screenshot_id;
  guint screenshot_retries;
  char *screenshot_path;
  double screenshot_after;
  void (*screenshot_done) (const GError *error,
                           gpointer      user_data);
  gpointer screenshot_data;
  gboolean presenting;
  gboolean sidebar_before_presenting;
  GStrv session_warnings;     /* of the last vi_window_open_session() */
};

G_DEFINE_FINAL_TYPE (ViWindow, vi_window, ADW_TYPE_APPLICATION_WINDOW)

static const guint speeds[] = { 1, 10, 100, 0 };

static void update_controls (ViWindow *self);
static void ensure_ticking (ViWindow *self);

static void
page_run_free (gpointer data)
{
  PageRun *pr = data;

  if (pr->run != NULL)
    {
      g_clear_signal_handler (&pr->state_handler, pr->run);
      vi_run_cancel (pr->run);
      g_clear_object (&pr->run);
    }
  g_free (pr);
}

static PageRun *
get_page_run (ViWindow *self,
              ViPage   *page)
{
  const char *name = vi_page_get_name (page);
  PageRun *pr = g_hash_table_lookup (self->runs, name);

  if (pr == NULL)
    {
      pr = g_new0 (PageRun, 1);
      g_hash_table_insert (self->runs, g_strdup (name), pr);
    }
  return pr;
}

ViPage *
vi_window_get_page (ViWindow *self)
{
  GtkWidget *child;

  g_return_val_if_fail (VI_IS_WINDOW (self), NULL);
  child = gtk_stack_get_visible_child (self->stack);
  return child != NULL ? VI_PAGE (child) : NULL;
}

ViPage *
vi_window_get_page_by_name (ViWindow   *self,
                            const char *name)
{
  GtkWidget *child;

  g_return_val_if_fail (VI_IS_WINDOW (self), NULL);
  child = gtk_stack_get_child_by_name (self->stack, name);
  return child != NULL ? VI_PAGE (child) : NULL;
}

ViRun *
vi_window_get_run (ViWindow *self)
{
  ViPage *page;

  g_return_val_if_fail (VI_IS_WINDOW (self), NULL);
  page = vi_window_get_page (self);
  return page != NULL ? get_page_run (self, page)->run : NULL;
}

static void
toast (ViWindow   *self,
       const char *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* ---- status line -------------------------------------------------------- */

static const char *
state_label (ViRunState state)
{
  switch (state)
    {
    case VI_RUN_IDLE: return C_("run state", "Ready");
    case VI_RUN_RUNNING: return C_("run state", "Running");
    case VI_RUN_PAUSED: return C_("run state", "Paused");
    case VI_RUN_FINISHED: return C_("run state", "Finished");
    case VI_RUN_FAILED: return C_("run state", "Failed");
    case VI_RUN_CANCELLED: return C_("run state", "Cancelled");
    default: return "";
    }
}

static void
update_status (ViWindow *self)
{
  ViRun *run = vi_window_get_run (self);
  ViPage *page = vi_window_get_page (self);
  g_autofree char *iter = NULL, *elapsed = NULL, *rate = NULL, *objective = NULL;
  ViRunState state = run != NULL ? vi_run_get_state (run) : VI_RUN_IDLE;
  double obj = run != NULL ? vi_run_get_objective (run) : NAN;

  {
    /* A format macro inside _() would cut the msgid for xgettext. */
    g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                              run != NULL ? vi_run_get_iteration (run) : 0);

    /* Translators: %s is the number of steps done */
    iter = g_strdup_printf (_("Iteration %s"), count);
  }
  {
    double t = run != NULL ? vi_run_get_elapsed (run) : 0.0;
    /* Translators: elapsed time in milliseconds or seconds */
    elapsed = t < 1 ? g_strdup_printf (_("Elapsed %.0f ms"), 1000 * t)
                    : g_strdup_printf (_("Elapsed %.2f s"), t);
  }
  rate = g_strdup_printf (_("%.0f steps/s"), run != NULL ? vi_run_get_steps_per_second (run) : 0.0);
  if (isfinite (obj))
    objective = g_strdup_printf ("%s %.6g",
                                 page != NULL ? vi_page_get_objective_name (page) : "", obj);
  else
    objective = g_strdup_printf ("%s —", page != NULL ? vi_page_get_objective_name (page) : "");

  gtk_label_set_label (self->status_state, state_label (state));
  gtk_label_set_label (self->status_iteration, iter);
  gtk_label_set_label (self->status_elapsed, elapsed);
  gtk_label_set_label (self->status_rate, rate);
  gtk_label_set_label (self->status_objective, objective);
  if (state == VI_RUN_FAILED && run != NULL && vi_run_get_error_message (run) != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_state), vi_run_get_error_message (run));
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_state), NULL);
}

char *
vi_window_dup_status_text (ViWindow *self)
{
  g_return_val_if_fail (VI_IS_WINDOW (self), NULL);
  return g_strjoin (" · ",
                    gtk_label_get_label (self->status_state),
                    gtk_label_get_label (self->status_iteration),
                    gtk_label_get_label (self->status_elapsed),
                    gtk_label_get_label (self->status_rate),
                    gtk_label_get_label (self->status_objective),
                    NULL);
}

/* ---- runs --------------------------------------------------------------- */

static void
keep_in_history (ViWindow *self,
                 ViPage   *page,
                 PageRun  *pr)
{
  if (pr->run == NULL || pr->kept || vi_run_get_iteration (pr->run) == 0)
    return;
  vi_run_update (pr->run);
  if (vi_run_get_snapshot (pr->run) != NULL)
    vi_page_show_snapshot (page, vi_run_get_snapshot (pr->run));
  vi_page_keep_history (page, vi_run_get_params (pr->run));
  pr->kept = TRUE;
}

static void
check_replay (ViWindow *self,
              PageRun  *pr)
{
  g_autofree char *msg = NULL;
  double obj;

  if (!pr->have_expected || vi_run_get_iteration (pr->run) != pr->expected_iteration)
    return;
  pr->have_expected = FALSE;
  obj = vi_run_get_objective (pr->run);
  if (obj == pr->expected_objective || (isnan (obj) && isnan (pr->expected_objective)))
    msg = g_strdup_printf (_("Replay matches the saved session (objective %.6g)"), obj);
  else
    msg = g_strdup_printf (_("Replay differs from the saved session: objective %.17g, saved %.17g"),
                           obj, pr->expected_objective);
  toast (self, msg);
}

static void
run_state_cb (ViRun      *run,
              GParamSpec *pspec,
              ViWindow   *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PageRun *pr = value;
      ViPage *page = vi_window_get_page_by_name (self, key);

      if (pr->run != run || page == NULL)
        continue;
      if (vi_run_get_state (run) == VI_RUN_FINISHED)
        {
          keep_in_history (self, page, pr);
          check_replay (self, pr);
        }
      else if (vi_run_get_state (run) == VI_RUN_FAILED)
        {
          /* Translators: %s is the core's error message */
          g_autofree char *msg = g_strdup_printf (_("The run failed: %s"),
                                                  vi_run_get_error_message (run));
          toast (self, msg);
        }
    }
  update_controls (self);
}

static void
drop_run (ViWindow *self,
          PageRun  *pr)
{
  if (pr->run == NULL)
    return;
  g_clear_signal_handler (&pr->state_handler, pr->run);
  vi_run_cancel (pr->run);
  g_clear_object (&pr->run);
  pr->kept = FALSE;
}

static gboolean
create_run (ViWindow *self,
            ViPage   *page,
            PageRun  *pr)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) settings = vi_page_dup_settings (page, &error);
  ViRun *run;

  drop_run (self, pr);
  if (settings == NULL)
    {
      toast (self, error->message);
      return FALSE;
    }
  run = vi_run_new (vi_page_get_job_type (page), settings, &error);
  if (run == NULL)
    {
      toast (self, error->message);
      return FALSE;
    }
  pr->run = run;
  pr->kept = FALSE;
  vi_run_set_steps_per_frame (run, speeds[MIN (gtk_drop_down_get_selected (self->speed_dropdown),
                                               G_N_ELEMENTS (speeds) - 1)]);
  pr->state_handler = g_signal_connect (run, "notify::state", G_CALLBACK (run_state_cb), self);
  return TRUE;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  ViWindow *self = VI_WINDOW (widget);
  GHashTableIter iter;
  gpointer key, value;
  gboolean active = FALSE;

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PageRun *pr = value;
      g_autoptr(ViRun) run = NULL;
      ViPage *page;

      if (pr->run == NULL)
        continue;
      /* vi_run_update() may emit notify::state → run_state_cb; keep a ref. */
      run = g_object_ref (pr->run);
      vi_run_grant (run);
      page = vi_window_get_page_by_name (self, key);
      if (vi_run_update (run) && page != NULL && pr->run == run)
        vi_page_show_snapshot (page, vi_run_get_snapshot (run));
      if (pr->run == run)
        active |= vi_run_is_active (run);
    }
  /* Label changes re-layout the window; ten times a second is enough to
   * read and keeps frames cheap while a job runs flat out. */
  if (!active || g_get_monotonic_time () - self->status_time >= 100000)
    {
      self->status_time = g_get_monotonic_time ();
      update_status (self);
    }
  if (!active)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
ensure_ticking (ViWindow *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
}

static void
update_controls (ViWindow *self)
{
  ViRun *run = vi_window_get_run (self);
  gboolean running = run != NULL && vi_run_is_running (run);

  adw_button_content_set_label (self->run_button_content,
                                running ? _("Pause") : C_("verb", "Run"));
  adw_button_content_set_icon_name (self->run_button_content,
                                    running ? "media-playback-pause-symbolic"
                                            : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->run_button,
                               running ? _("Pause (Ctrl+Return)") : _("Run (Ctrl+Return)"));
  if (running)
    gtk_widget_remove_css_class (self->run_button, "suggested-action");
  else
    gtk_widget_add_css_class (self->run_button, "suggested-action");
  update_status (self);
}

/* The visible page's run, ready to start or step: a finished or failed run
 * is dropped and a new one created from the page's settings. NULL when there
 * is no page or the settings are refused. */
static PageRun *
ensure_live_run (ViWindow *self)
{
  ViPage *page = vi_window_get_page (self);
  PageRun *pr;

  if (page == NULL)
    return NULL;
  pr = get_page_run (self, page);
  if (pr->run != NULL && (vi_run_get_state (pr->run) == VI_RUN_FINISHED
                          || vi_run_get_state (pr->run) == VI_RUN_FAILED))
    drop_run (self, pr);
  if (pr->run == NULL && !create_run (self, page, pr))
    return NULL;
  return pr;
}

void
vi_window_start_run (ViWindow *self)
{
  PageRun *pr;

  g_return_if_fail (VI_IS_WINDOW (self));
  pr = ensure_live_run (self);
  if (pr == NULL)
    return;
  vi_run_start (pr->run);
  ensure_ticking (self);
  update_controls (self);
}

static void
run_pause_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  ViWindow *self = user_data;
  ViRun *run = vi_window_get_run (self);

  if (run != NULL && vi_run_is_running (run))
    {
      vi_run_pause (run);
      ensure_ticking (self);
      update_controls (self);
      return;
    }
  vi_window_start_run (self);
}

static void
step_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  ViWindow *self = user_data;
  PageRun *pr = ensure_live_run (self);

  if (pr == NULL)
    return;
  vi_run_step (pr->run);
  ensure_ticking (self);
  update_controls (self);
}

static void
reset_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  ViWindow *self = user_data;
  ViPage *page = vi_window_get_page (self);
  PageRun *pr;

  if (page == NULL)
    return;
  pr = get_page_run (self, page);
  if (pr->run != NULL)
    {
      vi_run_cancel (pr->run);
      keep_in_history (self, page, pr);
      drop_run (self, pr);
    }
  vi_page_show_snapshot (page, NULL);
  update_controls (self);
}

static void
restart_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  ViWindow *self = user_data;
  ViPage *page = vi_window_get_page (self);

  if (page == NULL)
    return;
  drop_run (self, get_page_run (self, page));
  vi_page_show_snapshot (page, NULL);
  vi_window_start_run (self);
}

static void
cancel_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  ViWindow *self = user_data;
  ViRun *run = vi_window_get_run (self);

  /* Escape first leaves presentation mode, as in other GNOME apps. */
  if (self->presenting)
    {
      g_action_group_activate_action (G_ACTION_GROUP (self), "presentation", NULL);
      return;
    }
  if (run == NULL)
    return;
  vi_run_cancel (run);
  update_controls (self);
}

static void
clear_history_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  ViWindow *self = user_data;
  ViPage *page = vi_window_get_page (self);

  if (page != NULL)
    vi_page_clear_history (page);
}

static void
speed_changed_cb (ViWindow *self)
{
  guint sel = MIN (gtk_drop_down_get_selected (self->speed_dropdown), G_N_ELEMENTS (speeds) - 1);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((PageRun *) value)->run != NULL)
      vi_run_set_steps_per_frame (((PageRun *) value)->run, speeds[sel]);
}

/* A setting the job depends on changed: the old run no longer matches the
 * controls, so replace it; keep running if it was running or had run. */
static void
settings_changed_cb (ViPage   *page,
                     ViWindow *self)
{
  PageRun *pr = get_page_run (self, page);
  ViRunState state;

  /* Edited settings are no longer the saved session's run. */
  pr->have_expected = FALSE;
  if (pr->run == NULL)
    return;
  state = vi_run_get_state (pr->run);
  drop_run (self, pr);
  vi_page_show_snapshot (page, NULL);
  if (state == VI_RUN_RUNNING || state == VI_RUN_FINISHED)
    {
      if (create_run (self, page, pr))
        {
          vi_run_start (pr->run);
          ensure_ticking (self);
        }
    }
  if (page == vi_window_get_page (self))
    update_controls (self);
}

/* ---- pages -------------------------------------------------------------- */

gboolean
vi_window_set_page (ViWindow   *self,
                    const char *name)
{
  g_return_val_if_fail (VI_IS_WINDOW (self), FALSE);
  if (gtk_stack_get_child_by_name (self->stack, name) == NULL)
    return FALSE;
  gtk_stack_set_visible_child_name (self->stack, name);
  return TRUE;
}

static void
visible_page_cb (ViWindow *self)
{
  ViPage *page = vi_window_get_page (self);

  if (page == NULL)
    return;
  adw_window_title_set_subtitle (self->window_title, vi_page_get_title (page));
  update_controls (self);
}

/* ---- export ------------------------------------------------------------- */

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

static void
export_plot_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  ViWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  const char *path = g_variant_get_string (param, NULL);

  if (!export_plot (self, path, FALSE, &error))
    toast (self, error->message);
}

static void
export_data_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  ViWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!export_plot (self, g_variant_get_string (param, NULL), TRUE, &error))
    toast (self, error->message);
}

static void
export_plot_dialog_action (GSimpleAction *action,
                           GVariant      *param,
                           gpointer       user_data)
{
  ViWindow *self = user_data;
  ViPage *page = vi_window_get_page (self);
  ViPlotView *plot = page != NULL ? vi_page_get_main_plot (page) : NULL;

  if (plot != NULL)
    vi_plot_view_export_dialog (plot);
}

static void
export_data_response_cb (GtkNativeDialog *dialog,
                         int              response,
                         gpointer         user_data)
{
  ViWindow *self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL
      && (path = g_file_get_path (file)) != NULL)
    {
      if (!g_str_has_suffix (path, ".csv"))
        {
          char *p = g_strconcat (path, ".csv", NULL);
          g_free (path);
          path = p;
        }
      if (!export_plot (self, path, TRUE, &error))
        toast (self, error->message);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_data_dialog_action (GSimpleAction *action,
                           GVariant      *param,
                           gpointer       user_data)
{
  ViWindow *self = user_data;
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Export Data"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "data.csv");
  gtk_file_filter_set_name (filter, _("CSV data"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_signal_connect (dialog, "response", G_CALLBACK (export_data_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
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
      PageRun *pr = get_page_run (self, pages->pdata[i]);

      if (pr->run == NULL || vi_run_get_iteration (pr->run) == 0)
        continue;
      vi_run_update (pr->run);
      results[i].have = TRUE;
      results[i].iteration = vi_run_get_iteration (pr->run);
      results[i].objective = vi_run_get_objective (pr->run);
    }
  return vi_session_save (path, visible != NULL ? vi_page_get_name (visible) : "expfam",
                          (ViPage *const *) pages->pdata, results, pages->len, error);
}

gboolean
vi_window_open_session (ViWindow    *self,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(ViSession) session = NULL;
  const char *const *warnings;

  g_return_val_if_fail (VI_IS_WINDOW (self), FALSE);
  pages = list_pages (self);
  session = vi_session_read (path, (ViPage *const *) pages->pdata, pages->len, error);
  if (session == NULL || !vi_session_apply (session, error))
    return FALSE;
  for (guint i = 0; i < pages->len; i++)
    {
      const ViSessionResult *result = vi_session_get_result (session, pages->pdata[i]);
      PageRun *pr = get_page_run (self, pages->pdata[i]);

      if (result == NULL)
        continue;
      drop_run (self, pr);
      vi_page_show_snapshot (pages->pdata[i], NULL);
      pr->have_expected = result->have;
      pr->expected_iteration = result->iteration;
      pr->expected_objective = result->objective;
    }
  warnings = vi_session_get_warnings (session);
  for (guint i = 0; warnings[i] != NULL; i++)
    toast (self, warnings[i]);
  if (vi_session_get_visible (session) != NULL)
    vi_window_set_page (self, vi_session_get_visible (session));
  g_strfreev (self->session_warnings);
  self->session_warnings = g_strdupv ((char **) warnings);
  update_controls (self);
  return TRUE;
}

const char *const *
vi_window_get_session_warnings (ViWindow *self)
{
  g_return_val_if_fail (VI_IS_WINDOW (self), NULL);
  return (const char *const *) self->session_warnings;
}

static void
save_session_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  ViWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vi_window_save_session (self, g_variant_get_string (param, NULL), &error))
    toast (self, error->message);
}

static void
open_session_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  ViWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vi_window_open_session (self, g_variant_get_string (param, NULL), &error))
    toast (self, error->message);
}

static void
session_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  ViWindow *self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gboolean save = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog))
    == GTK_FILE_CHOOSER_ACTION_SAVE;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL
      && (path = g_file_get_path (file)) != NULL)
    {
      gboolean ok = save ? vi_window_save_session (self, path, &error)
                         : vi_window_open_session (self, path, &error);
      if (!ok)
        toast (self, error->message);
      else
        {
          g_autofree char *base = g_path_get_basename (path);
          const char *format = save ? _("Saved session “%s”")
                                    : _("Opened session “%s”; press Run to replay");
          g_autofree char *msg = g_strdup_printf (format, base);
          toast (self, msg);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
session_dialog (ViWindow *self,
                gboolean  save)
{
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (save ? _("Save Session") : _("Open Session"),
                                        GTK_WINDOW (self),
                                        save ? GTK_FILE_CHOOSER_ACTION_SAVE
                                             : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        save ? _("_Save") : _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (filter, _("ELBO Lab sessions"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  if (save)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "session.json");
  g_signal_connect (dialog, "response", G_CALLBACK (session_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_session_dialog_action (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  session_dialog (user_data, TRUE);
}

static void
open_session_dialog_action (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  session_dialog (user_data, FALSE);
}

/* ---- presentation ------------------------------------------------------- */

static void
set_presenting (ViWindow *self,
                gboolean  presenting)
{
  if (self->presenting == presenting)
    return;
  self->presenting = presenting;
  if (presenting)
    {
      self->sidebar_before_presenting = gtk_toggle_button_get_active (self->sidebar_button);
      gtk_toggle_button_set_active (self->sidebar_button, FALSE);
      gtk_widget_add_css_class (GTK_WIDGET (self), "presenting");
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_toggle_button_set_active (self->sidebar_button, self->sidebar_before_presenting);
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presenting");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    vi_page_set_presentation (VI_PAGE (child), presenting);
}

static void
presentation_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  ViWindow *self = user_data;
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));
  gboolean on = !g_variant_get_boolean (state);

  g_simple_action_set_state (action, g_variant_new_boolean (on));
  set_presenting (self, on);
}

static void
show_controls_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  ViWindow *self = user_data;
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));
  gboolean on = !g_variant_get_boolean (state);

  g_simple_action_set_state (action, g_variant_new_boolean (on));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    vi_page_set_controls_visible (VI_PAGE (child), on);
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
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s: the window is not shown yet"), path);
      return FALSE;
    }
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_scale (snapshot, scale, scale);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: nothing was drawn"), path);
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
  if (!vi_window_save_png (self, self->screenshot_path, &error))
    {
      /* A loaded machine (or a sanitizer build) may not have laid the
       * window out yet: try again for a few seconds before giving up. */
      if (self->screenshot_retries++ < 50)
        {
          self->screenshot_id = g_timeout_add (100, screenshot_cb, self);
          return G_SOURCE_REMOVE;
        }
    }
  if (self->screenshot_done != NULL)
    self->screenshot_done (error, self->screenshot_data);
  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
screenshot_after_paint (GdkFrameClock *clock,
                        ViWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, screenshot_after_paint, self);
  if (self->screenshot_id == 0)
    self->screenshot_id = g_timeout_add ((guint) MAX (50, self->screenshot_after * 1000),
                                         screenshot_cb, self);
}

/* Start the --after countdown once the window has been drawn once. */
static void
screenshot_after_map (ViWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->screenshot_path == NULL || self->screenshot_id != 0 || clock == NULL)
    return;
  g_signal_connect (clock, "after-paint", G_CALLBACK (screenshot_after_paint), self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
screenshot_and_close (ViWindow                  *self,
                      const ViScreenshotOptions *options)
{
  self->screenshot_path = g_strdup (options->path);
  self->screenshot_after = options->after;
  self->screenshot_done = options->done;
  self->screenshot_data = options->user_data;
  gtk_widget_add_css_class (GTK_WIDGET (self), "vi-screenshot");
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    screenshot_after_map (self);
  else
    g_signal_connect_swapped (self, "map", G_CALLBACK (screenshot_after_map), self);
}

/* ---- first frame (for tests/bench) --------------------------------------- */

static void
first_paint_cb (GdkFrameClock *clock,
                ViWindow      *self)
{
  /* CLOCK_MONOTONIC is shared between processes, so the benchmark can
   * subtract its own launch time. */
  g_print ("first-frame-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, first_paint_cb, self);
}

static void
report_first_frame (ViWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock != NULL)
    g_signal_connect (clock, "after-paint", G_CALLBACK (first_paint_cb), self);
}

/* ---- settings and lifetime ---------------------------------------------- */

static gboolean
settings_has_key (GSettings  *settings,
                  const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL && g_settings_schema_has_key (schema, key);
}

static void
save_state (ViWindow *self)
{
  GSettings *settings = self->settings;
  ViPage *visible = vi_window_get_page (self);

  if (settings == NULL)
    return;
  if (!self->presenting)
    {
      int w, h;

      gtk_window_get_default_size (GTK_WINDOW (self), &w, &h);
      g_settings_set_int (settings, "window-width", w);
      g_settings_set_int (settings, "window-height", h);
      g_settings_set_boolean (settings, "window-maximized",
                              gtk_window_is_maximized (GTK_WINDOW (self)));
    }
  if (visible != NULL)
    g_settings_set_string (settings, "last-page", vi_page_get_name (visible));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *key = g_strdup_printf ("%s-settings", vi_page_get_name (VI_PAGE (child)));
      g_autoptr(GVariant) value = NULL;

      if (!settings_has_key (settings, key))
        continue;
      value = vi_page_dup_settings (VI_PAGE (child), NULL);
      if (value != NULL)
        g_settings_set_value (settings, key, value);
    }
}

static void
restore_state (ViWindow *self)
{
  GSettings *settings = self->settings;

  if (settings == NULL)
    return;
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *key = g_strdup_printf ("%s-settings", vi_page_get_name (VI_PAGE (child)));
      g_autoptr(GVariant) value = NULL;
      g_autoptr(GError) error = NULL;

      if (!settings_has_key (settings, key))
        continue;
      value = g_settings_get_value (settings, key);
      /* Stale saved settings must not stop the app: fall back to defaults. */
      if (g_variant_n_children (value) > 0
          && !vi_page_set_settings (VI_PAGE (child), value, &error))
        g_debug ("ignoring saved %s: %s", key, error->message);
    }
}

static gboolean
vi_window_close_request (GtkWindow *window)
{
  ViWindow *self = VI_WINDOW (window);
  GHashTableIter iter;
  gpointer value;

  save_state (self);
  /* Stop every worker before the widgets go away. */
  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    drop_run (self, value);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  return GTK_WINDOW_CLASS (vi_window_parent_class)->close_request (window);
}

static void
vi_window_dispose (GObject *object)
{
  ViWindow *self = VI_WINDOW (object);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock != NULL)
    g_signal_handlers_disconnect_by_func (clock, screenshot_after_paint, self);
  g_clear_handle_id (&self->screenshot_id, g_source_remove);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_clear_pointer (&self->runs, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), VI_TYPE_WINDOW);
  G_OBJECT_CLASS (vi_window_parent_class)->dispose (object);
}

static void
vi_window_finalize (GObject *object)
{
  ViWindow *self = VI_WINDOW (object);

  g_free (self->screenshot_path);
  g_strfreev (self->session_warnings);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (vi_window_parent_class)->finalize (object);
}

static void
vi_window_class_init (ViWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = vi_window_dispose;
  object_class->finalize = vi_window_finalize;
  window_class->close_request = vi_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/elbolab/ElboLab/ui/vi-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ViWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ViWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ViWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ViWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, ViWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, ViWindow, run_button_content);
  gtk_widget_class_bind_template_child (widget_class, ViWindow, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ViWindow, status_state);
  gtk_widget_class_bind_template_child (widget_class, ViWindow, status_iteration);
  gtk_widget_class_bind_template_child (widget_class, ViWindow, status_elapsed);
  gtk_widget_class_bind_template_child (widget_class, ViWindow, status_rate);
  gtk_widget_class_bind_template_child (widget_class, ViWindow, status_objective);
}

static void
vi_window_init (ViWindow *self)
{
  static const GActionEntry actions[] = {
    { "run-pause", run_pause_action },
    { "step", step_action },
    { "reset", reset_action },
    { "cancel", cancel_action },
    { "restart", restart_action },
    { "clear-history", clear_history_action },
    { "export-plot", export_plot_action, "s" },
    { "export-data", export_data_action, "s" },
    { "export-plot-dialog", export_plot_dialog_action },
    { "export-data-dialog", export_data_dialog_action },
    { "save-session", save_session_action, "s" },
    { "open-session", open_session_action, "s" },
    { "save-session-dialog", save_session_dialog_action },
    { "open-session-dialog", open_session_dialog_action },
    { "presentation", presentation_action, NULL, "false" },
    { "show-controls", show_controls_action, NULL, "true" },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->runs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, page_run_free);
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  gtk_drop_down_set_selected (self->speed_dropdown, 1);

  for (const ViPageInfo *info = vi_page_list_infos (); info->name != NULL; info++)
    {
      GtkWidget *page = g_object_new (info->get_type (), NULL);

      gtk_stack_add_titled (self->stack, page, info->name, _(info->title));
      g_signal_connect (page, "settings-changed", G_CALLBACK (settings_changed_cb), self);
    }
  g_signal_connect_swapped (self->stack, "notify::visible-child",
                            G_CALLBACK (visible_page_cb), self);
  g_signal_connect_swapped (self->speed_dropdown, "notify::selected",
                            G_CALLBACK (speed_changed_cb), self);
  if (g_getenv ("ELBO_LAB_REPORT_FIRST_FRAME") != NULL)
    g_signal_connect (self, "realize", G_CALLBACK (report_first_frame), NULL);
  visible_page_cb (self);
}

ViWindow *
vi_window_new (GtkApplication            *app,
               GSettings                 *settings,
               const ViScreenshotOptions *screenshot)
{
  ViWindow *self = g_object_new (VI_TYPE_WINDOW, "application", app, NULL);

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), self);
  g_set_object (&self->settings, settings);
  restore_state (self);
  if (screenshot != NULL && screenshot->path != NULL)
    screenshot_and_close (self, screenshot);
  return self;
}
