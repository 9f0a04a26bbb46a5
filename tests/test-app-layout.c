/* test-app-layout.c — layout at every size, under Xvfb: the window fits
 * 800 × 600 (sidebar folded, controls over the plots), gives the extra room
 * of a wide window to the plots, and lets any plot fill its page and back
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "vi-application.h"
#include "vi-model-page.h"
#include "vi-page.h"
#include "vi-plot-view.h"
#include "vi-test-app.h"
#include "vi-window.h"

static ViApplication *app;
static ViWindow *window;

static void
activate (const char *action)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
}

static gboolean
action_state (const char *action)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), action);

  return g_variant_get_boolean (state);
}

/* The first descendant of @root (depth first) that @pred accepts. */
static GtkWidget *
find_widget (GtkWidget *root,
             gboolean (*pred) (GtkWidget *w))
{
  if (pred (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, pred);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_sidebar_flap (GtkWidget *w)
{
  return ADW_IS_FLAP (w) && GTK_IS_STACK_SIDEBAR (adw_flap_get_flap (ADW_FLAP (w)));
}

static AdwFlap *
sidebar_flap (void)
{
  GtkWidget *flap = find_widget (GTK_WIDGET (window), is_sidebar_flap);

  g_assert_nonnull (flap);
  return ADW_FLAP (flap);
}

static ViPage *
show_page (const char *name)
{
  g_assert_true (vi_window_set_page (window, name));
  return vi_window_get_page (window);
}

/* The page's controls flap (its only child). */
static AdwFlap *
controls_flap (ViPage *page)
{
  GtkWidget *flap = gtk_widget_get_first_child (GTK_WIDGET (page));

  g_assert_true (ADW_IS_FLAP (flap));
  return ADW_FLAP (flap);
}

typedef struct
{
  AdwFlap *flap;
  gboolean folded, revealed;
} FlapState;

static gboolean
flap_in_state (gpointer data)
{
  const FlapState *st = data;

  return adw_flap_get_folded (st->flap) == st->folded
         && adw_flap_get_reveal_flap (st->flap) == st->revealed
         && adw_flap_get_reveal_progress (st->flap) == (st->revealed ? 1 : 0);
}

/* Asserts that @flap is @folded and shows its flap or not (@revealed), once
 * the layout and the animations have settled (slow builds take longer). */
static void
assert_flap (AdwFlap  *flap,
             gboolean  folded,
             gboolean  revealed)
{
  FlapState st = { flap, folded, revealed };

  spin_until (flap_in_state, &st, 10);
  g_assert_cmpint (adw_flap_get_folded (flap), ==, folded);
  g_assert_cmpint (adw_flap_get_reveal_flap (flap), ==, revealed);
  g_assert_cmpfloat (adw_flap_get_reveal_progress (flap), ==, revealed ? 1 : 0);
}

typedef struct
{
  int w, h;
} Size;

static gboolean
has_size (gpointer data)
{
  const Size *size = data;

  return gtk_widget_get_width (GTK_WIDGET (window)) == size->w
         && gtk_widget_get_height (GTK_WIDGET (window)) == size->h;
}

/* Resizes the window to @w × @h and lets the layout (and the flaps'
 * animations) settle. */
static void
resize (int w,
        int h)
{
  Size size = { w, h };

  /* A mapped window keeps its size under Xvfb (no window manager): map
   * it again at the new default size, without the solid-CSD frame (as for
   * screenshots), so the window is exactly that size. */
  gtk_widget_add_css_class (GTK_WIDGET (window), "vi-screenshot");
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), w, h);
  gtk_window_present (GTK_WINDOW (window));
  if (!spin_until (has_size, &size, 10))
    g_error ("window is %d × %d, not %d × %d", gtk_widget_get_width (GTK_WIDGET (window)),
             gtk_widget_get_height (GTK_WIDGET (window)), w, h);
  spin_for (0.8);
  g_assert_true (has_size (&size));
}

/* 800 × 600: the window's minimum fits, the sidebar folds and so do the
 * controls of both pages; the controls button shows them over the plots
 * without widening the window. */
static void
test_small_window (void)
{
  int min_w, min_h;

  resize (800, 600);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL,
                      NULL);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, 800, &min_h, NULL, NULL,
                      NULL);
  g_assert_cmpint (min_w, <=, 800);
  g_assert_cmpint (min_h, <=, 600);
  assert_flap (sidebar_flap (), TRUE, FALSE);

  for (guint i = 0; i < 2; i++)
    {
      ViPage *page = show_page (i == 0 ? "bbvi" : "expfam");
      AdwFlap *controls = controls_flap (page);

      assert_flap (controls, TRUE, FALSE);
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (page)), ==, 800);
      /* The button follows the folded pane… */
      g_assert_false (action_state ("show-controls"));
      /* … and shows it over the plots. */
      activate ("show-controls");
      assert_flap (controls, TRUE, TRUE);
      g_assert_true (gtk_widget_get_mapped (adw_flap_get_flap (controls)));
      g_assert_cmpint (gtk_widget_get_width (adw_flap_get_content (controls)), >=, 760);
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), ==, 800);
      activate ("show-controls");
      assert_flap (controls, TRUE, FALSE);
    }

  /* The sidebar button shows the sidebar over the page. */
  activate ("show-controls");
  adw_flap_set_reveal_flap (sidebar_flap (), TRUE);
  assert_flap (sidebar_flap (), TRUE, TRUE);
  g_assert_true (gtk_widget_get_mapped (adw_flap_get_flap (sidebar_flap ())));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (vi_window_get_page (window))), ==, 800);
  /* Picking a page there folds it away again. */
  show_page ("bbvi");
  assert_flap (sidebar_flap (), TRUE, FALSE);
}

/* 1920 × 1080: sidebar and controls beside the plots; the plots, not the
 * controls, take the extra width. */
static void
test_wide_window (void)
{
  resize (1920, 1080);
  assert_flap (sidebar_flap (), FALSE, TRUE);
  for (guint i = 0; i < 2; i++)
    {
      ViPage *page = show_page (i == 0 ? "bbvi" : "expfam");
      AdwFlap *controls = controls_flap (page);
      int pane, plots;

      if (!adw_flap_get_reveal_flap (controls))
        activate ("show-controls");
      assert_flap (controls, FALSE, TRUE);
      g_assert_true (action_state ("show-controls"));
      pane = gtk_widget_get_width (adw_flap_get_flap (controls));
      plots = gtk_widget_get_width (adw_flap_get_content (controls));
      g_assert_cmpint (pane, <=, 420);
      g_assert_cmpint (plots, >=, 1920 - 200 - pane - 40);
    }
}

static void
collect_plots (GtkWidget *w,
               GPtrArray *plots)
{
  if (VI_IS_PLOT_VIEW (w) && gtk_widget_get_mapped (w))
    g_ptr_array_add (plots, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_plots (c, plots);
}

/* Each plot shown on the page can fill the window, hiding the rest (the
 * sidebar too), and goes back with the same command or Escape. */
static void
test_expand_plot (void)
{
  ViPage *page;
  ViModelPage *mp;
  g_autoptr(GPtrArray) plots = g_ptr_array_new ();
  int pw, ph;

  resize (1280, 800);
  page = show_page ("bbvi");
  mp = VI_MODEL_PAGE (page);
  assert_flap (controls_flap (page), FALSE, TRUE);
  assert_flap (sidebar_flap (), FALSE, TRUE);
  collect_plots (GTK_WIDGET (page), plots);
  g_assert_cmpuint (plots->len, >=, 3);
  pw = gtk_widget_get_width (GTK_WIDGET (page));
  ph = gtk_widget_get_height (GTK_WIDGET (page));

  for (guint i = 0; i < plots->len; i++)
    {
      GtkWidget *plot = plots->pdata[i];

      /* From the plot's menu. */
      g_assert_true (gtk_widget_activate_action (plot, "plot.expand", NULL));
      assert_flap (controls_flap (page), FALSE, FALSE);
      assert_flap (sidebar_flap (), FALSE, FALSE);
      g_assert_true (vi_model_page_get_expanded_plot (mp) == VI_PLOT_VIEW (plot));
      g_assert_cmpint (gtk_widget_get_width (plot), >=, pw - 60);
      g_assert_cmpint (gtk_widget_get_height (plot), >=, ph - 60);
      for (guint j = 0; j < plots->len; j++)
        if (j != i)
          g_assert_false (gtk_widget_get_mapped (plots->pdata[j]));
      /* Escape (or the same command) puts everything back. */
      activate (i % 2 == 0 ? "cancel" : "expand-plot");
      assert_flap (controls_flap (page), FALSE, TRUE);
      assert_flap (sidebar_flap (), FALSE, TRUE);
      g_assert_null (vi_model_page_get_expanded_plot (mp));
      for (guint j = 0; j < plots->len; j++)
        g_assert_true (gtk_widget_get_mapped (plots->pdata[j]));
      g_assert_cmpint (gtk_widget_get_width (plot), <, pw - 300);
    }

  /* The shortcut's action expands the last used plot. */
  activate ("expand-plot");
  g_assert_nonnull (vi_model_page_get_expanded_plot (mp));
  activate ("cancel");
  g_assert_null (vi_model_page_get_expanded_plot (mp));
  g_assert_false (vi_model_page_restore_plot (mp));
}

static void
add_tests (ViApplication *the_app,
           ViWindow      *the_window)
{
  app = the_app;
  window = the_window;
  g_test_add_func ("/app/layout/small-window", test_small_window);
  g_test_add_func ("/app/layout/wide-window", test_wide_window);
  g_test_add_func ("/app/layout/expand-plot", test_expand_plot);
}

int
main (int    argc,
      char **argv)
{
  return vi_test_app_main (argc, argv, add_tests);
}
