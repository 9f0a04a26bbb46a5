/* test-app-vae.c — the variational autoencoder page under Xvfb: it opens
 * on Fashion-MNIST with latent 2, trains a small IDX fixture to the end
 * with the reconstructions and the latent scatter appearing, decodes the
 * latent plane, samples the prior, interpolates, and exports its plot
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With ELBO_LAB_SCREENSHOT_DIR set, each tab is saved there as a PNG.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "vi-application.h"
#include "vi-model-page.h"
#include "vi-page-registry.h"
#include "vi-run.h"
#include "vi-test-app.h"
#include "vi-vae-job.h"
#include "vi-vae-page.h"
#include "vi-vae-views.h"
#include "vi-window.h"

#define N_IMAGES 200
#define SIDE     8

static ViApplication *app;
static ViWindow *window;

static ViVaePage *
vae_page (void)
{
  return VI_VAE_PAGE (vi_window_get_page_by_name (window, "vae"));
}

static void
show_tab (const char *name)
{
  vi_test_show_tab (GTK_WIDGET (vi_vae_page_get_plot (vae_page (), VI_VAE_PLOT_ELBO)), name);
}

static void
maybe_screenshot (const char *name)
{
  vi_test_maybe_screenshot (window, name);
}

static void
activate (const char *action,
          GVariant   *param)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), action, param);
}

static void
apply_settings (const char *text)
{
  vi_test_apply_settings (VI_PAGE (vae_page ()), text);
}

static ViPanel *
plot_panel (ViVaePlot plot)
{
  return vi_figure_get_panel (vi_plot_view_get_figure (vi_vae_page_get_plot (vae_page (),
                                                                             plot)), 0, 0);
}

/* The number of images of the first image series of @plot (0: none). */
static gsize
n_images (ViVaePlot plot)
{
  ViPanel *panel = plot_panel (plot);

  for (guint i = 0; i < vi_panel_get_n_series (panel); i++)
    if (vi_series_get_kind (vi_panel_get_series (panel, i)) == VI_SERIES_IMAGES)
      return vi_series_get_n_points (vi_panel_get_series (panel, i));
  return 0;
}

static void
fresh_state (void)
{
  vi_test_fresh_page (window, "vae", 3);
}

/* Writes a big-endian 32-bit count. */
static void
put_be32 (GString *s,
          guint32  v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

  g_string_append_len (s, (const char *) b, 4);
}

/* N_IMAGES images of SIDE × SIDE in @dir: class c (0 … 4) a bright row c
 * and column 7 − c over faint noise; returns the images path. */
static char *
write_fixture (const char *dir)
{
  g_autoptr(GString) images = g_string_new_len ("\0\0\x08\x03", 4);
  g_autoptr(GString) labels = g_string_new_len ("\0\0\x08\x01", 4);
  g_autofree char *ipath = g_build_filename (dir, "train-images-idx3-ubyte", NULL);
  g_autofree char *lpath = g_build_filename (dir, "train-labels-idx1-ubyte", NULL);
  g_autoptr(GError) error = NULL;
  guint32 state = 12345;

  put_be32 (images, N_IMAGES);
  put_be32 (images, SIDE);
  put_be32 (images, SIDE);
  put_be32 (labels, N_IMAGES);
  for (guint i = 0; i < N_IMAGES; i++)
    {
      guint c = i % 5;

      for (guint r = 0; r < SIDE; r++)
        for (guint k = 0; k < SIDE; k++)
          {
            guint8 v;

            state = state * 1103515245u + 12345u;
            v = r == c || k == SIDE - 1 - c ? 230 : (state >> 16) % 60;
            g_string_append_c (images, (char) v);
          }
      g_string_append_c (labels, (char) c);
    }
  g_assert_true (g_file_set_contents (ipath, images->str, images->len, &error));
  g_assert_true (g_file_set_contents (lpath, labels->str, labels->len, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&ipath);
}

/* Whether the page decodes: after a run, once it has read the saved model
 * (the job writes it when the run ends). */
static gboolean
decodes (gpointer data)
{
  const double *z = data;

  return vi_vae_page_decode_at (vae_page (), z[0], z[1]);
}

/* The page's drag gesture on the latent plot (the one in the capture
 * phase, before the plot's own pan). */
static GtkGesture *
latent_drag (void)
{
  GtkWidget *plot = GTK_WIDGET (vi_vae_page_get_plot (vae_page (), VI_VAE_PLOT_LATENT));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (plot);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (c)
          && gtk_event_controller_get_propagation_phase (c) == GTK_PHASE_CAPTURE)
        return GTK_GESTURE (c);
    }
  return NULL;
}

/* A drag that starts at the data point (@x, @y) of the latent plane. */
static void
drag_at (double x,
         double y)
{
  ViPanel *panel = plot_panel (VI_VAE_PLOT_LATENT);
  GtkGesture *drag = latent_drag ();
  double px, py;

  g_assert_nonnull (drag);
  g_assert_true (vi_panel_data_to_pixel (panel, x, y, &px, &py));
  g_signal_emit_by_name (drag, "drag-begin", px, py);
}

/* ---- cases -------------------------------------------------------------- */

static void
test_opens (void)
{
  const ViPageInfo *info = vi_page_lookup_info ("vae");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) settings = NULL;
  const char *data = NULL;
  gint64 latent = 0;

  g_assert_nonnull (info);
  g_assert_cmpstr (info->title, ==, "Variational Autoencoder");
  fresh_state ();
  g_assert_true (VI_IS_VAE_PAGE (vi_window_get_page (window)));
  g_assert_true (vi_page_get_job_type (VI_PAGE (vae_page ())) == &vi_vae_job_type);
  /* Fashion-MNIST with a latent plane by default; nothing drawn yet, and
   * nothing to decode. */
  settings = vi_page_dup_settings (VI_PAGE (vae_page ()), &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (settings, "data", "&s", &data));
  g_assert_cmpstr (data, ==, "fashion-mnist");
  g_assert_true (g_variant_lookup (settings, "latent", "x", &latent));
  g_assert_cmpint (latent, ==, 2);
  g_assert_cmpuint (n_images (VI_VAE_PLOT_SHOWCASE), ==, 0);
  g_assert_false (vi_vae_page_decode_at (vae_page (), 0, 0));
  g_assert_false (vi_vae_page_sample_prior (vae_page ()));
  g_assert_nonnull (strstr (vi_vae_page_get_help (vae_page (), VI_VAE_PLOT_ELBO),
                            "reconstruction"));
}

/* The hidden sizes are a list; a bad one is refused and names the key. */
static void
test_hidden (void)
{
  GtkEditable *entry;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(GVariant) hidden = NULL;

  fresh_state ();
  apply_settings ("{'hidden': <[int64 50, 30]>}");
  entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (vae_page ()),
                                                       VI_TYPE_VAE_PAGE, "hidden_entry"));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "50,30");
  settings = vi_page_dup_settings (VI_PAGE (vae_page ()), &error);
  g_assert_no_error (error);
  hidden = g_variant_lookup_value (settings, "hidden", G_VARIANT_TYPE ("ax"));
  g_assert_nonnull (hidden);
  g_assert_cmpuint (g_variant_n_children (hidden), ==, 2);
  gtk_editable_set_text (entry, "fifty");
  g_clear_pointer (&settings, g_variant_unref);
  settings = vi_page_dup_settings (VI_PAGE (vae_page ()), &error);
  g_assert_null (settings);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "hidden"));
  gtk_editable_set_text (entry, "400");
}

static void
test_fixture_run (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-vae-XXXXXX", NULL);
  g_autofree char *images = write_fixture (dir);
  g_autofree char *model = g_build_filename (dir, "model.vae", NULL);
  g_autofree char *png = g_build_filename (dir, "elbo.png", NULL);
  g_autofree char *csv = g_build_filename (dir, "elbo.csv", NULL);
  g_autofree char *text = NULL;
  const ViVaeSnapshot *snap;
  const char *const *classes = vi_idx_fashion_mnist_classes ();
  ViPanel *panel;

  fresh_state ();
  text = g_strdup_printf ("{'hidden': <[int64 32]>, 'latent': <int64 2>, 'epochs': <int64 4>, "
                          "'batch-size': <int64 20>, 'learning-rate': <0.005>, "
                          "'iwae': <int64 5>, 'seed': <uint64 3>, 'save-model': <'%s'>}",
                          model);
  apply_settings (text);
  vi_vae_page_set_data_file (vae_page (), images);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) settings = vi_page_dup_settings (VI_PAGE (vae_page ()), &error);
    const char *data = NULL;

    g_assert_no_error (error);
    g_assert_true (g_variant_lookup (settings, "data", "&s", &data));
    /* The labels beside the images are found by their name. */
    g_assert_true (g_str_has_prefix (data, "idx:"));
    g_assert_nonnull (strstr (data, ",") );
    g_assert_nonnull (strstr (data, "train-labels-idx1-ubyte"));
  }
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_ended, window, 240));
  g_assert_null (vi_run_get_error_message (vi_window_get_run (window)));
  snap = vi_model_page_get_snapshot (VI_MODEL_PAGE (vae_page ()));
  g_assert_nonnull (snap);
  g_assert_cmpuint (snap->rows, ==, SIDE);
  g_assert_cmpuint (snap->n_train, ==, N_IMAGES);
  g_assert_cmpuint (snap->iteration, ==, snap->n_steps);
  g_assert_cmpuint (snap->trace_len, >=, 4);

  /* The ELBO and its terms, the last point the snapshot's. */
  panel = plot_panel (VI_VAE_PLOT_ELBO);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 3);
  {
    const double *x, *y;
    ViSeries *test = vi_panel_get_series (panel, 2);

    g_assert_cmpstr (vi_series_get_name (test), ==, "test ELBO");
    g_assert_cmpuint (vi_series_get_xy (test, &x, &y), ==, snap->trace_len);
    g_assert_cmpfloat (y[snap->trace_len - 1], ==, snap->trace_test_elbo[snap->trace_len - 1]);
  }
  g_assert_true (snap->trace_test_elbo[snap->trace_len - 1] > snap->trace_test_elbo[0]);
  /* Reconstructions: each showcase image with its reconstruction. */
  g_assert_cmpuint (n_images (VI_VAE_PLOT_SHOWCASE), ==, 2 * VI_VAE_SHOWCASE);
  /* The scatter by class, named as Fashion-MNIST's. */
  panel = plot_panel (VI_VAE_PLOT_LATENT);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 5);
  g_assert_cmpstr (vi_series_get_name (vi_panel_get_series (panel, 0)), ==, classes[0]);
  g_assert_cmpuint (n_images (VI_VAE_PLOT_MANIFOLD), ==,
                    VI_VAE_MANIFOLD_SIDE * VI_VAE_MANIFOLD_SIDE);
  g_assert_nonnull (strstr (vi_vae_page_get_help (vae_page (), VI_VAE_PLOT_ELBO),
                            "After "));
  maybe_screenshot ("vae-fixture-elbo");

  /* The latent space you can touch: the saved model's decoder decodes the
   * point under the cursor, and it is the image of the manifold's job. */
  show_tab ("latent");
  {
    double z[2] = { 0.5, -0.25 };

    g_assert_true (spin_until (decodes, z, 30));
  }
  g_assert_true (g_file_test (model, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (n_images (VI_VAE_PLOT_TOUCH), ==, 1);
  {
    /* The cursor is drawn on the latent plane. */
    ViPanel *latent = plot_panel (VI_VAE_PLOT_LATENT);
    ViSeries *cursor = vi_panel_get_series (latent, vi_panel_get_n_series (latent) - 1);
    const double *x, *y;

    g_assert_cmpstr (vi_series_get_name (cursor), ==, "cursor");
    g_assert_cmpuint (vi_series_get_xy (cursor, &x, &y), ==, 1);
    g_assert_cmpfloat (x[0], ==, 0.5);
    g_assert_cmpfloat (y[0], ==, -0.25);
  }
  /* Nothing picked yet: nothing to interpolate. */
  g_assert_false (vi_vae_page_interpolate (vae_page ()));
  /* The gesture: a press on the empty plane decodes the point under it,
   * a press on a test point picks it. */
  spin_for (0.3);
  {
    ViPanel *latent = plot_panel (VI_VAE_PLOT_LATENT);
    double lo, hi, ylo, yhi;
    const double *x, *y;
    ViSeries *cursor;

    vi_panel_get_range (latent, VI_AXIS_X, &lo, &hi);
    vi_panel_get_range (latent, VI_AXIS_Y, &ylo, &yhi);
    /* A corner of the plane, away from the five clusters. */
    drag_at (lo + 0.01 * (hi - lo), yhi - 0.01 * (yhi - ylo));
    cursor = vi_panel_get_series (latent, vi_panel_get_n_series (latent) - 1);
    g_assert_cmpstr (vi_series_get_name (cursor), ==, "cursor");
    g_assert_cmpuint (vi_series_get_xy (cursor, &x, &y), ==, 1);
    g_assert_cmpfloat (fabs (x[0] - (lo + 0.01 * (hi - lo))), <, 1e-6 * (hi - lo) + 1e-9);
    g_assert_nonnull (strstr (vi_panel_get_title (plot_panel (VI_VAE_PLOT_TOUCH)),
                              "cursor"));
    drag_at (snap->scatter_xy[0], snap->scatter_xy[1]);
    g_assert_nonnull (strstr (vi_panel_get_title (plot_panel (VI_VAE_PLOT_TOUCH)),
                              "Test point"));
  }
  g_assert_true (vi_vae_page_pick_point (vae_page (), 0));
  g_assert_cmpuint (n_images (VI_VAE_PLOT_TOUCH), >=, 1);
  g_assert_nonnull (strstr (vi_panel_get_title (plot_panel (VI_VAE_PLOT_TOUCH)),
                            classes[snap->scatter_label[0]]));
  g_assert_true (vi_vae_page_pick_point (vae_page (), 1));
  g_assert_true (vi_vae_page_interpolate (vae_page ()));
  g_assert_cmpuint (n_images (VI_VAE_PLOT_GENERATED), ==, 10);
  g_assert_true (vi_vae_page_sample_prior (vae_page ()));
  g_assert_cmpuint (n_images (VI_VAE_PLOT_GENERATED), ==, 16);
  g_assert_false (vi_vae_page_pick_point (vae_page (), snap->n_scatter));
  maybe_screenshot ("vae-fixture-latent");
  show_tab ("reconstructions");
  maybe_screenshot ("vae-fixture-reconstructions");
  show_tab ("manifold");
  maybe_screenshot ("vae-fixture-manifold");
  show_tab ("units");
  g_assert_nonnull (strstr (vi_vae_page_get_help (vae_page (), VI_VAE_PLOT_KL), "of 2"));
  maybe_screenshot ("vae-fixture-units");
  show_tab ("training");

  /* Export of the main plot writes a file, picture and data. */
  activate ("export-plot", g_variant_new_string (png));
  activate ("export-data", g_variant_new_string (csv));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));
  {
    g_autofree char *data = NULL;

    g_assert_true (g_file_get_contents (csv, &data, NULL, NULL));
    g_assert_nonnull (strstr (data, "test ELBO"));
  }
  {
    g_auto(GStrv) files = vi_page_dup_data_files (VI_PAGE (vae_page ()));

    g_assert_nonnull (files);
    g_assert_cmpstr (files[0], ==, images);
  }
  /* The saved model can be loaded to start from, and forgotten. */
  {
    GtkButton *load = GTK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (vae_page ()),
                                                                 VI_TYPE_VAE_PAGE,
                                                                 "load_button"));
    g_autofree char *set = g_strdup_printf ("{'load-model': <'%s'>}", model);
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) settings = NULL;
    const char *path = NULL;

    apply_settings (set);
    g_assert_cmpstr (gtk_button_get_label (load), ==, "Forget");
    settings = vi_page_dup_settings (VI_PAGE (vae_page ()), &error);
    g_assert_no_error (error);
    g_assert_true (g_variant_lookup (settings, "load-model", "&s", &path));
    g_assert_cmpstr (path, ==, model);
    g_signal_emit_by_name (load, "clicked");
    g_assert_cmpstr (gtk_button_get_label (load), ==, "Open…");
  }
  activate ("reset", NULL);
  apply_settings ("{'data': <'fashion-mnist'>, 'save-model': <''>}");
  g_assert_false (vi_vae_page_decode_at (vae_page (), 0, 0));
  g_unlink (png);
  g_unlink (csv);
  g_unlink (model);
  g_unlink (images);
  {
    g_autofree char *labels = g_build_filename (dir, "train-labels-idx1-ubyte", NULL);

    g_unlink (labels);
  }
  g_rmdir (dir);
}

static void
test_file_needs_choosing (void)
{
  AdwComboRow *row;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) settings = NULL;

  fresh_state ();
  row = ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (vae_page ()),
                                                      VI_TYPE_VAE_PAGE, "data_row"));
  adw_combo_row_set_selected (row, 1);
  settings = vi_page_dup_settings (VI_PAGE (vae_page ()), &error);
  g_assert_null (settings);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  adw_combo_row_set_selected (row, 0);
}

/* Whether the page's data set is loaded without error (the label is no
 * warning). */
static gboolean
data_label_loaded (gpointer data)
{
  GtkWidget *label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (vae_page ()),
                                                                VI_TYPE_VAE_PAGE,
                                                                "data_label"));

  return !gtk_widget_has_css_class (label, "warning")
         && strstr (gtk_label_get_label (GTK_LABEL (label)), "Loading") == NULL;
}

/* Whether the page's data label is a warning naming the file @data. */
static gboolean
data_label_names (gpointer data)
{
  GtkWidget *label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (vae_page ()),
                                                                VI_TYPE_VAE_PAGE,
                                                                "data_label"));

  return gtk_widget_has_css_class (label, "warning")
         && strstr (gtk_label_get_label (GTK_LABEL (label)), data) != NULL;
}

/* The images are read off the UI thread when the settings name them; a
 * missing or malformed file is still a clear message naming it, on the
 * page and when Run is pressed (no run starts). */
static void
test_wrong_data_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-vae-bad-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-images-idx3-ubyte", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad-images-idx3-ubyte", NULL);
  g_autofree char *images = write_fixture (dir);
  g_autofree char *labels = g_build_filename (dir, "train-labels-idx1-ubyte", NULL);
  g_autoptr(GError) error = NULL;

  fresh_state ();
  apply_settings ("{'hidden': <[int64 32]>, 'epochs': <int64 1>, 'batch-size': <int64 20>}");
  vi_vae_page_set_data_file (vae_page (), missing);
  g_assert_true (spin_until (data_label_names, missing, 60));
  activate ("run-pause", NULL);
  g_assert_null (vi_window_get_run (window));

  g_assert_true (g_file_set_contents (bad, "\0\0\x08\x01garbage", 12, &error));
  g_assert_no_error (error);
  vi_vae_page_set_data_file (vae_page (), bad);
  g_assert_true (spin_until (data_label_names, bad, 60));
  activate ("run-pause", NULL);
  g_assert_null (vi_window_get_run (window));

  /* A good file clears the message. */
  vi_vae_page_set_data_file (vae_page (), images);
  g_assert_true (spin_until (data_label_loaded, NULL, 60));
  g_unlink (bad);
  g_unlink (images);
  g_unlink (labels);
  g_rmdir (dir);
}

/* With ELBO_LAB_SCREENSHOT_DIR set and Fashion-MNIST installed: two
 * epochs of the real thing, each tab saved. */
static void
test_fashion_screenshots (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-vae-fm-XXXXXX", NULL);
  g_autofree char *model = g_build_filename (dir, "model.vae", NULL);
  g_autofree char *text = NULL;
  g_autofree char *path = vi_idx_dup_fashion_mnist_path ("train-images-idx3-ubyte.gz", NULL);
  const ViVaeSnapshot *snap;

  if (g_getenv ("ELBO_LAB_SCREENSHOT_DIR") == NULL || path == NULL)
    {
      g_test_skip ("screenshots only (ELBO_LAB_SCREENSHOT_DIR), on Fashion-MNIST");
      g_rmdir (dir);
      return;
    }
  fresh_state ();
  text = g_strdup_printf ("{'data': <'fashion-mnist'>, 'epochs': <int64 2>, "
                          "'hidden': <[int64 400]>, 'latent': <int64 2>, "
                          "'batch-size': <int64 128>, 'learning-rate': <0.001>, "
                          "'eval-every': <int64 100>, 'save-model': <'%s'>}", model);
  apply_settings (text);
  activate ("run-pause", NULL);
  g_assert_true (spin_until (vi_test_run_ended, window, 600));
  g_assert_null (vi_run_get_error_message (vi_window_get_run (window)));
  snap = vi_model_page_get_snapshot (VI_MODEL_PAGE (vae_page ()));
  maybe_screenshot ("vae-fm-elbo");
  show_tab ("reconstructions");
  maybe_screenshot ("vae-fm-reconstructions");
  show_tab ("latent");
  /* A trouser and a boot, if the scatter holds them. */
  {
    double z[2] = { 0.8, -0.5 };

    g_assert_true (spin_until (decodes, z, 60));
  }
  for (guint want = 1, i = 0; i < snap->n_scatter && want <= 9; i++)
    if (snap->scatter_label[i] == want)
      {
        g_assert_true (vi_vae_page_pick_point (vae_page (), i));
        want += 8;
      }
  g_assert_true (vi_vae_page_interpolate (vae_page ()));
  g_assert_true (vi_vae_page_decode_at (vae_page (), 0.8, -0.5));
  maybe_screenshot ("vae-fm-latent");
  g_assert_true (vi_vae_page_sample_prior (vae_page ()));
  maybe_screenshot ("vae-fm-latent-prior");
  show_tab ("manifold");
  maybe_screenshot ("vae-fm-manifold");
  show_tab ("units");
  maybe_screenshot ("vae-fm-units");
  show_tab ("training");
  activate ("reset", NULL);
  apply_settings ("{'save-model': <''>}");
  g_unlink (model);
  g_rmdir (dir);
}

static void
add_tests (ViApplication *the_app,
           ViWindow      *the_window)
{
  app = the_app;
  window = the_window;
  g_test_add_func ("/app/vae/opens", test_opens);
  g_test_add_func ("/app/vae/hidden", test_hidden);
  /* Before a file was chosen (the page keeps the last one). */
  g_test_add_func ("/app/vae/file-needs-choosing", test_file_needs_choosing);
  g_test_add_func ("/app/vae/fixture-run", test_fixture_run);
  g_test_add_func ("/app/vae/wrong-data-path", test_wrong_data_path);
  /* Not a check, a way to make the README's pictures: registered only when
   * asked for, so the suite never skips it. */
  if (g_getenv ("ELBO_LAB_SCREENSHOT_DIR") != NULL)
    g_test_add_func ("/app/vae/fashion-screenshots", test_fashion_screenshots);
}

int
main (int    argc,
      char **argv)
{
  return vi_test_app_main (argc, argv, add_tests);
}
