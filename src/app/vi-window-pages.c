/* vi-window-pages.c — the window's pages, their runs, the run controls
 * and the status line
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "vi-model-page.h"
#include "vi-page-registry.h"
#include "vi-plot-view.h"
#include "vi-util.h"
#include "vi-window-private.h"

static const guint speeds[] = { 1, 10, 100, 0 };

static void ensure_ticking (ViWindow *self);

static void
page_run_free (gpointer data)
{
  ViPageRun *pr = data;

  if (pr->run != NULL)
    {
      g_clear_signal_handler (&pr->state_handler, pr->run);
      vi_run_cancel (pr->run);
      g_clear_object (&pr->run);
    }
  g_free (pr);
}

ViPageRun *
vi_window_get_page_run (ViWindow *self,
                        ViPage   *page)
{
  const char *name = vi_page_get_name (page);
  ViPageRun *pr = g_hash_table_lookup (self->runs, name);

  if (pr == NULL)
    {
      pr = g_new0 (ViPageRun, 1);
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
  return page != NULL ? vi_window_get_page_run (self, page)->run : NULL;
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
  gboolean stale = vi_window_get_results_stale (self);
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
    if (t > 0 && t < 1e-3)
      elapsed = g_strdup_printf (_("Elapsed %.0f µs"), MAX (1e6 * t, 1.0));
    else
      elapsed = t < 1 ? g_strdup_printf (_("Elapsed %.0f ms"), 1000 * t)
                      : g_strdup_printf (_("Elapsed %.2f s"), t);
  }
  rate = g_strdup_printf (_("%.0f steps/s"), run != NULL ? vi_run_get_steps_per_second (run) : 0.0);
  if (isfinite (obj))
    objective = g_strdup_printf ("%s %.6g",
                                 page != NULL ? vi_page_get_objective_name (page) : "", obj);
  else
    objective = g_strdup_printf ("%s —", page != NULL ? vi_page_get_objective_name (page) : "");

  gtk_label_set_label (self->status_state,
                       stale ? C_("run state", "Stale — press Run") : state_label (state));
  gtk_label_set_label (self->status_iteration, iter);
  gtk_label_set_label (self->status_elapsed, elapsed);
  gtk_label_set_label (self->status_rate, rate);
  gtk_label_set_label (self->status_objective, objective);
  if (stale)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_state),
                                 _("The settings changed after this run finished: "
                                   "the results shown are the old run's"));
  else if (state == VI_RUN_FAILED && run != NULL && vi_run_get_error_message (run) != NULL)
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
                 ViPageRun  *pr)
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
              ViPageRun  *pr)
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
  vi_widget_toast (GTK_WIDGET (self->toast_overlay), msg);
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
      ViPageRun *pr = value;
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
          vi_widget_toast (GTK_WIDGET (self->toast_overlay), msg);
        }
    }
  vi_window_update_controls (self);
}

/* Fades every plot on @page while its results are stale. */
static void
fade_plots (GtkWidget *widget,
            gboolean   faded)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (VI_IS_PLOT_VIEW (child))
      gtk_widget_set_opacity (child, faded ? 0.45 : 1.0);
    else
      fade_plots (child, faded);
}

static void
set_stale (ViWindow  *self,
           ViPage    *page,
           ViPageRun *pr,
           gboolean   stale)
{
  if (pr->stale == stale)
    return;
  pr->stale = stale;
  if (page != NULL)
    fade_plots (GTK_WIDGET (page), stale);
  if (stale)
    {
      /* One at a time, not one per edit. */
      if (self->stale_toast != NULL)
        return;
      self->stale_toast = vi_widget_toast (GTK_WIDGET (self->toast_overlay),
                                           _("The settings changed: press Run for results "
                                             "with them"));
      if (self->stale_toast != NULL)
        g_object_add_weak_pointer (G_OBJECT (self->stale_toast),
                                   (gpointer *) &self->stale_toast);
    }
  /* (Not dismissed when Run is pressed: adw_toast_dismiss() during the
   * toast's show animation crashes libadwaita 1.2.) */
}

gboolean
vi_window_get_results_stale (ViWindow *self)
{
  ViPage *page;

  g_return_val_if_fail (VI_IS_WINDOW (self), FALSE);
  page = vi_window_get_page (self);
  return page != NULL && vi_window_get_page_run (self, page)->stale;
}

void
vi_window_drop_run (ViWindow  *self,
                    ViPageRun *pr)
{
  if (pr->stale)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, self->runs);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (value == pr)
          set_stale (self, vi_window_get_page_by_name (self, key), pr, FALSE);
    }
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
            ViPageRun  *pr)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) settings = vi_page_dup_settings (page, &error);
  ViRun *run;

  vi_window_drop_run (self, pr);
  if (settings == NULL)
    {
      vi_widget_toast (GTK_WIDGET (self->toast_overlay), error->message);
      return FALSE;
    }
  run = vi_run_new (vi_page_get_job_type (page), settings, &error);
  if (run == NULL)
    {
      vi_widget_toast (GTK_WIDGET (self->toast_overlay), error->message);
      return FALSE;
    }
  pr->run = run;
  pr->kept = FALSE;
  pr->switch_declined = FALSE;
  pr->close_answered = FALSE;
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
      ViPageRun *pr = value;
      g_autoptr(ViRun) run = NULL;
      ViPage *page;

      if (pr->run == NULL)
        continue;
      /* vi_run_update() may emit notify::state → run_state_cb; keep a ref. */
      run = g_object_ref (pr->run);
      vi_run_grant (run);
      page = vi_window_get_page_by_name (self, key);
      if (vi_run_update (run) && page != NULL && pr->run == run)
        {
          /* Flat out, a frame refreshes what its budget holds; the last
           * snapshot of a run (finished, paused) refreshes every plot. */
          if (vi_run_is_active (run))
            {
              vi_plot_budget_begin ();
              vi_page_show_snapshot (page, vi_run_get_snapshot (run));
              vi_plot_budget_end ();
              pr->plots_behind = vi_plot_budget_take_refused ();
            }
          else
            {
              vi_page_show_snapshot (page, vi_run_get_snapshot (run));
              pr->plots_behind = FALSE;
            }
        }
      else if (pr->plots_behind && !vi_run_is_active (run) && page != NULL && pr->run == run
               && vi_run_get_snapshot (run) != NULL)
        {
          vi_page_show_snapshot (page, vi_run_get_snapshot (run));
          pr->plots_behind = FALSE;
        }
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

void
vi_window_update_controls (ViWindow *self)
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
static ViPageRun *
ensure_live_run (ViWindow *self)
{
  ViPage *page = vi_window_get_page (self);
  ViPageRun *pr;

  if (page == NULL)
    return NULL;
  pr = vi_window_get_page_run (self, page);
  if (pr->run != NULL && (vi_run_get_state (pr->run) == VI_RUN_FINISHED
                          || vi_run_get_state (pr->run) == VI_RUN_FAILED))
    vi_window_drop_run (self, pr);
  if (pr->run == NULL && !create_run (self, page, pr))
    return NULL;
  return pr;
}

/* Starts the visible page's run, or makes it take one step when
 * @one_step. */
static void
advance (ViWindow *self,
         gboolean  one_step)
{
  ViPageRun *pr = ensure_live_run (self);

  if (pr == NULL)
    return;
  if (one_step)
    vi_run_step (pr->run);
  else
    vi_run_start (pr->run);
  /* Keep the frames ticking until the run settles. */
  ensure_ticking (self);
  vi_window_update_controls (self);
}

void
vi_window_start_run (ViWindow *self)
{
  g_return_if_fail (VI_IS_WINDOW (self));
  advance (self, FALSE);
}

static void
run_pause (ViWindow *self)
{
  ViRun *run = vi_window_get_run (self);
  ViPage *page = vi_window_get_page (self);

  if (run == NULL || !vi_run_is_running (run))
    {
      /* The page may answer Run itself (the bbvi Gradient Variance tab
       * measures instead of starting an optimisation it does not show). */
      if (page != NULL && vi_page_run_override (page))
        vi_window_update_controls (self);
      else
        vi_window_start_run (self);
      return;
    }
  vi_run_pause (run);
  ensure_ticking (self);
  vi_window_update_controls (self);
}

static void
step (ViWindow *self)
{
  advance (self, TRUE);
}

static void
reset (ViWindow *self)
{
  ViPage *page = vi_window_get_page (self);
  ViPageRun *pr;

  if (page == NULL)
    return;
  pr = vi_window_get_page_run (self, page);
  if (pr->run != NULL)
    {
      vi_run_cancel (pr->run);
      keep_in_history (self, page, pr);
      vi_window_drop_run (self, pr);
    }
  vi_page_show_snapshot (page, NULL);
  vi_window_update_controls (self);
}

static void
restart (ViWindow *self)
{
  ViPage *page = vi_window_get_page (self);

  if (page == NULL)
    return;
  vi_window_drop_run (self, vi_window_get_page_run (self, page));
  vi_page_show_snapshot (page, NULL);
  vi_window_start_run (self);
}

static void
cancel (ViWindow *self)
{
  ViRun *run = vi_window_get_run (self);

  /* Escape first leaves presentation mode, as in other GNOME apps. */
  if (self->presenting)
    {
      g_action_group_activate_action (G_ACTION_GROUP (self), "presentation", NULL);
      return;
    }
  /* … and an expanded plot goes back to its place. */
  if (vi_window_restore_plot (self))
    return;
  if (run == NULL)
    return;
  vi_run_cancel (run);
  vi_window_update_controls (self);
}

static void
clear_history (ViWindow *self)
{
  ViPage *page = vi_window_get_page (self);

  if (page != NULL)
    vi_page_clear_history (page);
}

/* The run controls' actions ("win.NAME"): none takes a parameter. */
static const struct
{
  const char *name;
  void      (*run) (ViWindow *self);
} commands[] = {
  { "run-pause", run_pause },
  { "step", step },
  { "reset", reset },
  { "cancel", cancel },
  { "restart", restart },
  { "clear-history", clear_history },
  { "expand-plot", vi_window_expand_plot },
};

static void
command_activate_cb (GSimpleAction *action,
                     GVariant      *param,
                     ViWindow      *self)
{
  const char *name = g_action_get_name (G_ACTION (action));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      commands[i].run (self);
}

static void
speed_changed_cb (ViWindow *self)
{
  guint sel = MIN (gtk_drop_down_get_selected (self->speed_dropdown), G_N_ELEMENTS (speeds) - 1);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((ViPageRun *) value)->run != NULL)
      vi_run_set_steps_per_frame (((ViPageRun *) value)->run, speeds[sel]);
}

/* The page's settings changed. Edits the job can take between steps (LIVE
 * keys, vi_run_apply) or that only change the drawing (VIEW) keep the run;
 * anything else means the old run no longer matches the controls. A
 * running run is replaced and keeps running. A finished one is replaced
 * and re-run on an explorer page (its results follow the sliders); on a
 * trainer page it stays, marked stale, until Run starts a fresh run, so an
 * edit never starts a run that the next press of Run would pause. */
static void
settings_changed_cb (ViPage   *page,
                     ViWindow *self)
{
  ViPageRun *pr = vi_window_get_page_run (self, page);
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(GVariant) edits = NULL;
  ViRunState state;

  if (pr->run == NULL)
    {
      /* Edited settings are no longer the saved session's run. */
      pr->have_expected = FALSE;
      return;
    }
  settings = vi_page_dup_settings (page, NULL);
  switch (vi_run_diff_settings (pr->run, settings, &edits))
    {
    case VI_RUN_EDIT_NONE:
    case VI_RUN_EDIT_VIEW:
      /* Edited back to the run's settings: its results hold again. */
      set_stale (self, page, pr, FALSE);
      goto done;
    case VI_RUN_EDIT_LIVE:
      pr->have_expected = FALSE;
      if (vi_run_apply (pr->run, edits, NULL))
        return;
      break;
    case VI_RUN_EDIT_RESTART:
    default:
      break;
    }
  pr->have_expected = FALSE;
  state = vi_run_get_state (pr->run);
  if (state == VI_RUN_FINISHED && !vi_page_is_explorer (page))
    {
      set_stale (self, page, pr, TRUE);
      goto done;
    }
  vi_window_drop_run (self, pr);
  vi_page_show_snapshot (page, NULL);
  if (state == VI_RUN_RUNNING || state == VI_RUN_FINISHED)
    {
      if (create_run (self, page, pr))
        {
          vi_run_start (pr->run);
          ensure_ticking (self);
        }
    }
done:
  if (page == vi_window_get_page (self))
    vi_window_update_controls (self);
}

/* ---- pages -------------------------------------------------------------- */

/* Shows page @name without asking about a checkpoint. */
static void
show_page (ViWindow   *self,
           const char *name)
{
  gboolean was = self->switching;

  self->switching = TRUE;
  gtk_stack_set_visible_child_name (self->stack, name);
  self->switching = was;
}

gboolean
vi_window_set_page (ViWindow   *self,
                    const char *name)
{
  g_return_val_if_fail (VI_IS_WINDOW (self), FALSE);
  if (gtk_stack_get_child_by_name (self->stack, name) == NULL)
    return FALSE;
  /* Programmatic (--page, a session): no question. */
  show_page (self, name);
  return TRUE;
}

/* ---- checkpoints --------------------------------------------------------- */

/* The page to ask about: @only (leaving it), or any page (closing). */
static ViPage *
page_to_ask (ViWindow *self,
             ViPage   *only)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      ViPageRun *pr;

      if ((only != NULL && child != GTK_WIDGET (only)) || !VI_IS_MODEL_PAGE (child))
        continue;
      pr = vi_window_get_page_run (self, VI_PAGE (child));
      if (only != NULL ? pr->switch_declined : pr->close_answered)
        continue;
      if (vi_model_page_has_unsaved_run (VI_MODEL_PAGE (child), pr->run))
        return VI_PAGE (child);
    }
  return NULL;
}

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (data);
  return G_SOURCE_REMOVE;
}

static void
checkpoint_answered (ViModelPage *page,
                     gboolean     proceed,
                     gboolean     discarded,
                     gpointer     data)
{
  ViWindow *self = data;
  ViPageRun *pr = vi_window_get_page_run (self, VI_PAGE (page));
  g_autofree char *target = g_steal_pointer (&self->switch_target);
  gboolean closing = self->asking_close;

  self->asking = FALSE;
  if (closing && !proceed)
    {
      /* The window stays: a later close asks about every page again. */
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->runs);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        ((ViPageRun *) value)->close_answered = FALSE;
    }
  else if (closing)
    {
      pr->close_answered = TRUE;
      /* Asks about the next page, or closes — once the question's dialog,
       * transient for the window, has gone. Not at idle priority: a run
       * drawing every frame would starve it. */
      g_idle_add_full (G_PRIORITY_DEFAULT, close_idle_cb, g_object_ref (self), g_object_unref);
    }
  else if (proceed)
    {
      /* Leaving the page leaves its run training: Discard means "do not
       * ask again for this run when leaving"; the close still asks. */
      pr->switch_declined = discarded;
      show_page (self, target);
    }
}

gboolean
vi_window_offer_checkpoint (ViWindow   *self,
                            const char *target)
{
  ViPage *page;

  g_return_val_if_fail (VI_IS_WINDOW (self), FALSE);
  if (self->asking)
    return TRUE;
  page = page_to_ask (self, target != NULL ? self->shown_page : NULL);
  if (page == NULL)
    return FALSE;
  /* Closing: show the page asked about. */
  if (target == NULL && page != vi_window_get_page (self))
    show_page (self, vi_page_get_name (page));
  if (!vi_model_page_offer_checkpoint (VI_MODEL_PAGE (page),
                                       vi_window_get_page_run (self, page)->run,
                                       checkpoint_answered, self))
    return TRUE;
  self->asking = TRUE;
  self->asking_close = target == NULL;
  g_free (self->switch_target);
  self->switch_target = g_strdup (target);
  return TRUE;
}

static void
visible_page_cb (ViWindow *self)
{
  ViPage *page = vi_window_get_page (self);
  ViPage *from = self->shown_page;

  if (page == NULL)
    return;
  /* The user leaves a page whose run has unsaved progress: stay on it
   * while asking; the answer goes on to @page, or not. */
  if (!self->switching && from != NULL && page != from
      && (self->asking || page_to_ask (self, from) != NULL))
    {
      g_autofree char *target = g_strdup (vi_page_get_name (page));

      show_page (self, vi_page_get_name (from));
      vi_window_offer_checkpoint (self, target);
      return;
    }
  self->shown_page = page;
  adw_window_title_set_subtitle (self->window_title, vi_page_get_title (page));
  vi_window_update_controls (self);
}

/* Right and Page Down (what presenter remotes send) step the run, unless
 * the focus is in a control that uses those keys itself (a popover menu
 * opens a submenu with Right). */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ViWindow              *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if ((state & gtk_accelerator_get_default_mod_mask ()) != 0
      || (keyval != GDK_KEY_Right && keyval != GDK_KEY_KP_Right
          && keyval != GDK_KEY_Page_Down && keyval != GDK_KEY_KP_Page_Down))
    return FALSE;
  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_EDITABLE (w) || GTK_IS_TEXT_VIEW (w) || GTK_IS_SPIN_BUTTON (w)
        || GTK_IS_RANGE (w) || GTK_IS_POPOVER (w))
      return FALSE;
  g_action_group_activate_action (G_ACTION_GROUP (self), "step", NULL);
  return TRUE;
}

/* ---- set-up and shutdown ------------------------------------------------ */

void
vi_window_pages_init (ViWindow *self)
{
  GtkEventController *key;

  self->runs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, page_run_free);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (commands[i].name, NULL);

      g_signal_connect (action, "activate", G_CALLBACK (command_activate_cb), self);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }
  gtk_drop_down_set_selected (self->speed_dropdown, 1);
  for (const ViPageInfo *info = vi_page_list_infos (); info->name != NULL; info++)
    {
      GtkWidget *page = g_object_new (info->get_type (), NULL);

      gtk_stack_add_titled (self->stack, page, info->name, _(info->title));
      g_signal_connect (page, "settings-changed", G_CALLBACK (settings_changed_cb), self);
    }
  g_signal_connect_swapped (self->stack, "notify::visible-child",
                            G_CALLBACK (visible_page_cb), self);
  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (key, "vi-step-keys");
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  g_signal_connect_swapped (self->speed_dropdown, "notify::selected",
                            G_CALLBACK (speed_changed_cb), self);
  visible_page_cb (self);
}

void
vi_window_pages_stop (ViWindow *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self->runs != NULL)
    {
      g_hash_table_iter_init (&iter, self->runs);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        vi_window_drop_run (self, value);
    }
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}
