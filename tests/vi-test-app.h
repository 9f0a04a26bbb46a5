/* vi-test-app.h — main() and main-loop helpers shared by the GUI test
 * binaries
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vi-application.h"
#include "vi-page.h"
#include "vi-window.h"

/* Registers the binary's cases (g_test_add_func) for @app and its @window. */
typedef void (*ViTestAddFunc) (ViApplication *app,
                               ViWindow      *window);

/* The whole main() of a GUI test binary: turns GSL's abort handler off,
 * uses in-memory GSettings and no accessibility bus, starts GTK and the
 * application, opens its window, lets @add_tests register the cases and
 * runs them. Returns g_test_run()'s status. */
int vi_test_app_main (int            argc,
                      char         **argv,
                      ViTestAddFunc  add_tests);

/* With ELBO_LAB_SCREENSHOT_DIR set, saves @window as NAME.png there (how
 * the README's and data/screenshots/ pictures are made); else nothing. */
void vi_test_maybe_screenshot (ViWindow   *window,
                               const char *name);
/* The same for any widget's window (a dialog's, say), rendered by its
 * renderer. */
void vi_test_maybe_screenshot_widget (GtkWidget  *widget,
                                      const char *name);
/* Applies the a{sv} @text to @page's settings, asserting it is taken. */
void vi_test_apply_settings   (ViPage     *page,
                               const char *text);

/* Shows page @name of @window from a clean slate: its settings reset,
 * its history cleared, the header bar's run speed entry @speed. */
void vi_test_fresh_page       (ViWindow   *window,
                               const char *name,
                               guint       speed);
/* Shows the child @name of the GtkStack that holds @widget. */
void vi_test_show_tab         (GtkWidget  *widget,
                               const char *name);

/* Conditions for spin_until() on a ViWindow *: its run finished; its run
 * finished or stopped on an error. */
gboolean vi_test_run_finished (gpointer window);
gboolean vi_test_run_ended    (gpointer window);

typedef gboolean (*Condition) (gpointer data);

/* Iterates the main loop until @cond holds; FALSE after @timeout s. */
static inline gboolean
spin_until (Condition  cond,
            gpointer   data,
            double     timeout)
{
  gint64 end = g_get_monotonic_time () + (gint64) (timeout * G_USEC_PER_SEC);

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

static inline gboolean
always_false (gpointer data)
{
  return FALSE;
}

static inline void
spin_for (double seconds)
{
  spin_until (always_false, NULL, seconds);
}

/* Selects entry @selected of the run-speed drop-down, the first GtkDropDown
 * (depth first) in @window: the one in the header bar. */
static inline void
set_window_speed (GtkWidget *window,
                  guint      selected)
{
  GtkWidget *dropdown = NULL;

  for (GtkWidget *w = window; w != NULL;)
    {
      if (GTK_IS_DROP_DOWN (w))
        {
          dropdown = w;
          break;
        }
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (dropdown);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
}
