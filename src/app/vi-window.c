/* vi-window.c — the main window: its template, presentation mode, saved
 * state and lifetime (its parts: vi-window-private.h)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vi-window-private.h"
#include "vi-model-page.h"
#include "vi-util.h"

G_DEFINE_FINAL_TYPE (ViWindow, vi_window, ADW_TYPE_APPLICATION_WINDOW)

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

/* Flips the boolean state of @action and returns the new state. */
static gboolean
toggle_state (GSimpleAction *action)
{
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));
  gboolean on = !g_variant_get_boolean (state);

  g_simple_action_set_state (action, g_variant_new_boolean (on));
  return on;
}

static void
presentation_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  set_presenting (user_data, toggle_state (action));
}

static void
show_controls_action (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  ViWindow *self = user_data;
  gboolean on = toggle_state (action);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    vi_page_set_controls_visible (VI_PAGE (child), on);
}

gboolean
vi_window_restore_plot (ViWindow *self)
{
  ViPage *page = vi_window_get_page (self);

  if (!VI_IS_MODEL_PAGE (page) || !vi_model_page_restore_plot (VI_MODEL_PAGE (page)))
    return FALSE;
  if (self->sidebar_before_expand)
    gtk_toggle_button_set_active (self->sidebar_button, TRUE);
  self->sidebar_before_expand = FALSE;
  return TRUE;
}

void
vi_window_expand_plot (ViWindow *self)
{
  ViPage *page = vi_window_get_page (self);

  if (!VI_IS_MODEL_PAGE (page) || vi_window_restore_plot (self))
    return;
  gtk_widget_activate_action (GTK_WIDGET (page), "page.expand-plot", NULL);
  if (vi_model_page_get_expanded_plot (VI_MODEL_PAGE (page)) != NULL)
    {
      self->sidebar_before_expand = gtk_toggle_button_get_active (self->sidebar_button);
      gtk_toggle_button_set_active (self->sidebar_button, FALSE);
    }
}

/* ---- folding the sidebar ------------------------------------------------- */

/* Below this width the sidebar folds (shown over the page by its button),
 * so a 1024-wide projector gives the page the whole width. */
#define FOLD_WIDTH 1100
/* Below this width the status line keeps only the state, the iteration and
 * the objective. */
#define STATUS_WIDTH 720

/* Whether the layout for @width differs from the one shown. */
static gboolean
fold_changes (ViWindow *self,
              int       width)
{
  gboolean folded = adw_flap_get_fold_policy (self->sidebar_flap) == ADW_FLAP_FOLD_POLICY_ALWAYS;

  return (width < FOLD_WIDTH) != folded
         || (width < STATUS_WIDTH) == gtk_widget_get_visible (GTK_WIDGET (self->status_rate));
}

static gboolean
update_fold (gpointer data)
{
  ViWindow *self = data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  self->fold_idle = 0;
  if (width <= 0 || !fold_changes (self, width))
    return G_SOURCE_REMOVE;
  adw_flap_set_fold_policy (self->sidebar_flap, width < FOLD_WIDTH ? ADW_FLAP_FOLD_POLICY_ALWAYS
                                                                   : ADW_FLAP_FOLD_POLICY_AUTO);
  gtk_widget_set_visible (GTK_WIDGET (self->status_rate), width >= STATUS_WIDTH);
  gtk_widget_set_visible (GTK_WIDGET (self->status_elapsed), width >= STATUS_WIDTH);
  return G_SOURCE_REMOVE;
}

/* A page picked from the folded sidebar: the sidebar gets out of the way. */
static void
page_shown_cb (ViWindow *self)
{
  if (adw_flap_get_folded (self->sidebar_flap))
    adw_flap_set_reveal_flap (self->sidebar_flap, FALSE);
}

static void
vi_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  ViWindow *self = VI_WINDOW (widget);

  GTK_WIDGET_CLASS (vi_window_parent_class)->size_allocate (widget, width, height, baseline);
  /* Not during the allocation: folding resizes the content. */
  if (self->fold_idle == 0 && fold_changes (self, width))
    self->fold_idle = g_idle_add (update_fold, self);
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

  /* A run that would be lost may be saved first (not when a screenshot
   * closes the window: nobody is there to answer). */
  if (self->screenshot.path == NULL && vi_window_offer_checkpoint (self, NULL))
    return TRUE;
  save_state (self);
  /* Stop every worker before the widgets go away. */
  vi_window_pages_stop (self);
  return GTK_WINDOW_CLASS (vi_window_parent_class)->close_request (window);
}

static void
vi_window_dispose (GObject *object)
{
  ViWindow *self = VI_WINDOW (object);

  g_clear_handle_id (&self->fold_idle, g_source_remove);
  if (self->stale_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->stale_toast), (gpointer *) &self->stale_toast);
  self->stale_toast = NULL;
  vi_window_files_dispose (self);
  vi_window_pages_stop (self);
  g_clear_pointer (&self->runs, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), VI_TYPE_WINDOW);
  G_OBJECT_CLASS (vi_window_parent_class)->dispose (object);
}

static void
vi_window_finalize (GObject *object)
{
  ViWindow *self = VI_WINDOW (object);

  g_free ((char *) self->screenshot.path);
  g_strfreev (self->session_warnings);
  g_free (self->switch_target);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (vi_window_parent_class)->finalize (object);
}

static void
vi_window_class_init (ViWindowClass *klass)
{
  static const ViTemplateChild children[] = {
    VI_TEMPLATE_CHILD (ViWindow, toast_overlay),
    VI_TEMPLATE_CHILD (ViWindow, window_title),
    VI_TEMPLATE_CHILD (ViWindow, stack),
    VI_TEMPLATE_CHILD (ViWindow, sidebar_button),
    VI_TEMPLATE_CHILD (ViWindow, sidebar_flap),
    VI_TEMPLATE_CHILD (ViWindow, run_button),
    VI_TEMPLATE_CHILD (ViWindow, run_button_content),
    VI_TEMPLATE_CHILD (ViWindow, speed_dropdown),
    VI_TEMPLATE_CHILD (ViWindow, status_state),
    VI_TEMPLATE_CHILD (ViWindow, status_iteration),
    VI_TEMPLATE_CHILD (ViWindow, status_elapsed),
    VI_TEMPLATE_CHILD (ViWindow, status_rate),
    VI_TEMPLATE_CHILD (ViWindow, status_objective),
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  widget_class->size_allocate = vi_window_size_allocate;
  object_class->dispose = vi_window_dispose;
  object_class->finalize = vi_window_finalize;
  window_class->close_request = vi_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/elbolab/ElboLab/ui/vi-window.ui");
  vi_widget_class_bind_children (widget_class, children, G_N_ELEMENTS (children));
}

static void
vi_window_init (ViWindow *self)
{
  static const GActionEntry actions[] = {
    { "presentation", presentation_action, NULL, "false" },
    { "show-controls", show_controls_action, NULL, "true" },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  vi_window_pages_init (self);
  g_signal_connect_object (self->stack, "notify::visible-child", G_CALLBACK (page_shown_cb), self,
                           G_CONNECT_SWAPPED);
  vi_window_files_init (self);
  if (g_getenv ("ELBO_LAB_REPORT_FIRST_FRAME") != NULL)
    g_signal_connect (self, "realize", G_CALLBACK (report_first_frame), NULL);
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
    vi_window_screenshot_and_close (self, screenshot);
  return self;
}

