/* test-faults-app.c — the app's saves and exports where writing fails:
 * the functions behind Save Session, Export Plot and Export Data
 * (vi_session_save, vi_plot_view_export) writing to /dev/full (through a
 * link), a full file system, a file size limit, a read-only folder, a
 * missing folder and a directory: FALSE with an error naming the file,
 * the old file intact byte for byte and nothing left beside it. The
 * window's own paths to them are in test-app (/app/export/output-errors).
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gtk/gtk.h>

#include "vi-plot-view.h"
#include "vi-session.h"
#include "vi-test-faults.h"

#define OLD_SESSION "{\"format\": \"elbo-lab-session\", \"version\": 1, \"pages\": {}}\n"

static gboolean have_gtk;

static void
assert_names_file (const GError *error,
                   const char   *path)
{
  g_autofree char *prefix = g_strdup_printf ("%s: ", path);

  g_assert_nonnull (error);
  if (!g_str_has_prefix (error->message, prefix) || strchr (error->message, '\n') != NULL)
    g_error ("'%s' is not one line starting with '%s'", error->message, prefix);
}

/* Save Session writes the settings of every page (none here: the writing
 * is what is tested) through vi-output. */
static void
test_session (gconstpointer data)
{
  ViFaultKind kind = GPOINTER_TO_INT (data);
  g_autoptr(ViFault) f = vi_fault_new (kind, "session.json", OLD_SESSION);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  vi_fault_enter (f);
  ok = vi_session_save (f->path, "expfam", NULL, NULL, 0, &error);
  vi_fault_leave (f);
  g_assert_false (ok);
  assert_names_file (error, f->path);
  vi_fault_assert_intact (f);
}

/* Through a symbolic link the target is written; the link stays a link. */
static void
test_session_symlink (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vi-fault-app-XXXXXX", &error);
  g_autofree char *target = g_build_filename (dir, "real.json", NULL);
  g_autofree char *link = g_build_filename (dir, "session.json", NULL);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (target, OLD_SESSION, -1, NULL));
  g_assert_cmpint (symlink ("real.json", link), ==, 0);
  g_assert_true (vi_session_save (link, "lda", NULL, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (target, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"lda\""));
  vi_fault_remove_tree (dir);
}

static ViFigure *
simple_figure (void)
{
  ViFigure *fig = vi_figure_create (1, 1);
  double x[50], y[50];

  for (guint i = 0; i < 50; i++)
    {
      x[i] = i;
      y[i] = sin (i / 5.0);
    }
  vi_panel_add_line (vi_figure_get_panel (fig, 0, 0), "sine", x, y, 50);
  return fig;
}

/* Export Plot (PNG, SVG, PDF) and Export Data (CSV), as the window calls
 * them. */
static void
test_plot_export (gconstpointer data)
{
  static const char *const names[] = { "plot.png", "plot.svg", "plot.pdf", "data.csv" };
  ViFaultKind kind = GPOINTER_TO_INT (data);
  GtkWidget *plot;

  if (!have_gtk)
    {
      g_test_skip ("no display");
      return;
    }
  plot = g_object_ref_sink (vi_plot_view_new ());
  vi_plot_view_set_figure (VI_PLOT_VIEW (plot), simple_figure ());
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(ViFault) f = vi_fault_new (kind, names[i], "old export\n");
      g_autoptr(GError) error = NULL;
      gboolean ok;

      vi_fault_enter (f);
      ok = vi_plot_view_export (VI_PLOT_VIEW (plot), f->path, 800, 500, 2, &error);
      vi_fault_leave (f);
      g_assert_false (ok);
      assert_names_file (error, f->path);
      vi_fault_assert_intact (f);
    }
  g_object_unref (plot);
}

int
main (int    argc,
      char **argv)
{
  vi_test_faults_init ();
  g_test_init (&argc, &argv, NULL);
  have_gtk = gtk_init_check ();
  for (int k = 0; k < VI_FAULT_N; k++)
    {
      g_autofree char *session = g_strdup_printf ("/app/faults/session/%s", vi_fault_names[k]);
      g_autofree char *plot = g_strdup_printf ("/app/faults/plot-export/%s", vi_fault_names[k]);

      g_test_add_data_func (session, GINT_TO_POINTER (k), test_session);
      g_test_add_data_func (plot, GINT_TO_POINTER (k), test_plot_export);
    }
  g_test_add_func ("/app/faults/session-symlink", test_session_symlink);
  return g_test_run ();
}
