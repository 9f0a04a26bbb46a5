/* vi-test-app.c — the main() shared by the GUI test binaries
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gsl/gsl_errno.h>

#include "vi-plot-cache.h"
#include "vi-run.h"
#include "vi-test-app.h"

int
vi_test_app_main (int              argc,
                  char           **argv,
                  ViTestAddFunc    add_tests)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViApplication) app = NULL;
  ViWindow *window;

  gsl_set_error_handler_off ();
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* No AT-SPI; a test that reads accessible properties sets "test" first. */
  if (g_strcmp0 (g_getenv ("GTK_A11Y"), "test") != 0)
    g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  app = vi_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = VI_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  spin_for (0.3);

  add_tests (app, window);
  return g_test_run ();
}

void
vi_test_maybe_screenshot (ViWindow   *window,
                          const char *name)
{
  const char *dir = g_getenv ("ELBO_LAB_SCREENSHOT_DIR");
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;
  spin_for (0.5);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (vi_window_save_png (window, path, &error));
  g_assert_no_error (error);
}

void
vi_test_maybe_screenshot_widget (GtkWidget  *widget,
                                 const char *name)
{
  const char *dir = g_getenv ("ELBO_LAB_SCREENSHOT_DIR");
  g_autofree char *file = NULL, *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  int w, h;

  if (dir == NULL)
    return;
  spin_for (1.0);
  w = gtk_widget_get_width (widget);
  h = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  /* Plots show what is current, not what their render thread will bring. */
  vi_plot_cache_set_synchronous (TRUE);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  vi_plot_cache_set_synchronous (FALSE);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

void
vi_test_apply_settings (ViPage     *page,
                        const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);
  gboolean taken;

  g_assert_no_error (error);
  taken = vi_page_set_settings (page, v, &error);
  g_assert_no_error (error);
  g_assert_true (taken);
}

void
vi_test_fresh_page (ViWindow   *window,
                    const char *name,
                    guint       speed)
{
  g_assert_true (vi_window_set_page (window, name));
  g_action_group_activate_action (G_ACTION_GROUP (window), "reset", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (window), "clear-history", NULL);
  set_window_speed (GTK_WIDGET (window), speed);
}

void
vi_test_show_tab (GtkWidget  *widget,
                  const char *name)
{
  GtkWidget *stack = gtk_widget_get_ancestor (widget, GTK_TYPE_STACK);

  g_assert_nonnull (stack);
  gtk_stack_set_visible_child_name (GTK_STACK (stack), name);
}

gboolean
vi_test_run_finished (gpointer window)
{
  ViRun *run = vi_window_get_run (window);

  return run != NULL && vi_run_get_state (run) == VI_RUN_FINISHED;
}

gboolean
vi_test_run_ended (gpointer window)
{
  ViRun *run = vi_window_get_run (window);

  return run != NULL && (vi_run_get_state (run) == VI_RUN_FINISHED
                         || vi_run_get_error_message (run) != NULL);
}
