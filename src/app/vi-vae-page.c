/* vi-vae-page.c — the variational autoencoder page
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A VAE (the "vae" job) trained live on Fashion-MNIST or any IDX images:
 * the ELBO with its reconstruction and KL terms, test images beside their
 * reconstructions, the latent scatter by class, the decoded manifold, the
 * KL per latent dimension, and the latent space you can touch
 * (vi-vae-page-touch.c). Model files are saved and loaded through the
 * job's save-model and load-model parameters; a checkpoint of a run
 * still training is saved through the base (vi_model_page_offer_checkpoint)
 * with vi_vae_job_save_model.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "vi-idx.h"
#include "vi-run.h"
#include "vi-vae-page-private.h"
#include "vi-vae-views.h"
#include "vi-window.h"

enum { DATA_FASHION, DATA_FILE };

G_DEFINE_FINAL_TYPE (ViVaePage, vi_vae_page, VI_TYPE_MODEL_PAGE)

/* The views' figures; the touch and generated plots are the page's own. */
#define N_VIEW_PLOTS VI_VAE_PLOT_TOUCH

static const struct
{
  guint rows, cols;
  void (*build) (ViFigure *, const ViVaeSnapshot *, const ViViewContext *);
} plot_info[N_VIEW_PLOTS] = {
  [VI_VAE_PLOT_ELBO] = { 2, 1, vi_vae_elbo_view_build },
  [VI_VAE_PLOT_SHOWCASE] = { 1, 1, vi_vae_showcase_view_build },
  [VI_VAE_PLOT_LATENT] = { 1, 1, vi_vae_latent_view_build },
  [VI_VAE_PLOT_MANIFOLD] = { 1, 1, vi_vae_manifold_view_build },
  [VI_VAE_PLOT_KL] = { 1, 1, vi_vae_kl_view_build },
};

static const ViVaeSnapshot *
live (ViVaePage *self)
{
  return vi_model_page_get_snapshot (VI_MODEL_PAGE (self));
}

static gboolean
file_mode (ViVaePage *self)
{
  return adw_combo_row_get_selected (self->data_row) == DATA_FILE;
}

static void
update_help (ViVaePage *self)
{
  for (guint i = 0; i < VI_VAE_N_PLOTS; i++)
    {
      g_autofree char *text = NULL;

      if (self->help[i] == NULL)
        continue;
      text = vi_vae_page_dup_help (i, live (self));
      gtk_label_set_label (self->help[i], text);
    }
}

/* What the data chooser says: the data of the live run, else whether the
 * data can be found (with the apt command when Fashion-MNIST is missing). */
static void
update_data_label (ViVaePage *self)
{
  const ViVaeSnapshot *s = live (self);
  g_autofree char *text = NULL;
  gboolean warn = FALSE;

  if (s != NULL)
    /* Translators: the images trained on: counts and their size */
    text = g_strdup_printf (_("%u training and %u test images of %u × %u pixels"),
                            s->n_train, s->n_test, s->rows, s->cols);
  else if ((text = vi_vae_page_dup_data_message (self, file_mode (self) ? self->data_file
                                                  : "fashion-mnist", &warn)) != NULL)
    ;
  else if (file_mode (self))
    text = g_strdup (self->data_file == NULL ? _("Open an IDX images file to start")
                     : _("The images are read when the run starts"));
  else
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = vi_idx_dup_fashion_mnist_path ("train-images-idx3-ubyte.gz",
                                                             &error);

      warn = path == NULL;
      text = path != NULL ? g_strdup (_("Fashion-MNIST: 60,000 training and 10,000 test "
                                        "images of clothes, 28 × 28 pixels, ten classes"))
             : g_strdup (error->message);
    }
  gtk_label_set_label (self->data_label, text);
  if (warn)
    gtk_widget_add_css_class (GTK_WIDGET (self->data_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->data_label), "warning");
}

static void
rebuild_all (ViVaePage *self)
{
  for (guint i = 0; i < N_VIEW_PLOTS; i++)
    vi_model_page_build_plot (VI_MODEL_PAGE (self), self->plots[i],
                              (ViModelPageBuildFunc) plot_info[i].build, live (self));
  update_help (self);
  update_data_label (self);
}

/* ---- controls ------------------------------------------------------------ */

static void
settings_changed (ViVaePage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->file_row), file_mode (self));
  if (file_mode (self) && self->data_file == NULL)
    vi_model_page_set_error (VI_MODEL_PAGE (self), _("Open an IDX images file (Open…)"));
  else
    vi_model_page_set_error (VI_MODEL_PAGE (self), NULL);
  if (self->data_file != NULL)
    adw_action_row_set_subtitle (self->file_row, self->data_file + strlen ("idx:"));
  vi_model_page_relabel_history (VI_MODEL_PAGE (self));
  vi_vae_page_load_data (self, update_data_label);
  update_data_label (self);
  if (!file_mode (self) || self->data_file != NULL)
    vi_page_settings_changed (VI_PAGE (self));
}

static void
control_changed_cb (ViVaePage *self)
{
  if (vi_model_page_is_updating (VI_MODEL_PAGE (self)))
    return;
  settings_changed (self);
}

void
vi_vae_page_set_data_file (ViVaePage  *self,
                           const char *path)
{
  g_autofree char *dir = NULL, *base = NULL, *labels = NULL;
  char *at;

  g_return_if_fail (VI_IS_VAE_PAGE (self));
  g_return_if_fail (path != NULL);
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  /* MNIST's naming: train-images-idx3-ubyte[.gz] beside train-labels-idx1-ubyte[.gz]. */
  at = strstr (base, "images-idx3");
  if (at != NULL)
    {
      g_autofree char *name = NULL;

      memcpy (at, "labels-idx1", strlen ("labels-idx1"));
      name = g_build_filename (dir, base, NULL);
      if (g_file_test (name, G_FILE_TEST_IS_REGULAR))
        labels = g_steal_pointer (&name);
    }
  g_free (self->data_file);
  self->data_file = labels != NULL ? g_strdup_printf ("idx:%s,%s", path, labels)
                    : g_strconcat ("idx:", path, NULL);
  vi_model_page_begin_update (VI_MODEL_PAGE (self));
  adw_combo_row_set_selected (self->data_row, DATA_FILE);
  vi_model_page_end_update (VI_MODEL_PAGE (self));
  settings_changed (self);
}

static void
file_chosen (ViModelPage *page,
             const char  *path)
{
  vi_vae_page_set_data_file (VI_VAE_PAGE (page), path);
}

static void
choose_file_cb (ViVaePage *self)
{
  vi_model_page_choose_file (VI_MODEL_PAGE (self), _("Open IDX Images"),
                             _("IDX image files"), "application/octet-stream", file_chosen);
}

/* A model file key (save-model, load-model) set to @path ("" clears). */
static void
set_model_file (ViVaePage  *self,
                const char *key,
                const char *path)
{
  AdwActionRow *row = g_str_equal (key, "save-model") ? self->save_row : self->load_row;

  if (path == NULL || *path == '\0')
    g_hash_table_remove (self->extra, key);
  else
    g_hash_table_replace (self->extra, g_strdup (key),
                          g_variant_ref_sink (g_variant_new_string (path)));
  adw_action_row_set_subtitle (row, path != NULL && *path != '\0' ? path
                               : g_str_equal (key, "save-model")
                               ? _("Not saved") : _("Start from random weights"));
  if (row == self->load_row)  /* a loaded model can be forgotten */
    gtk_button_set_label (self->load_button, path != NULL && *path != '\0' ? _("Forget")
                          : _("Open…"));
}

static void
load_chosen (ViModelPage *page,
             const char  *path)
{
  g_autoptr(GError) error = NULL;

  /* Its decoder, to touch the latent space before a run. */
  if (path != NULL && !vi_vae_page_read_decoder (VI_VAE_PAGE (page), path, &error))
    g_debug ("no decoder from %s: %s", path, error->message);
  set_model_file (VI_VAE_PAGE (page), "load-model", path);
  settings_changed (VI_VAE_PAGE (page));
}

static void
load_cb (ViVaePage *self)
{
  if (g_hash_table_contains (self->extra, "load-model"))
    load_chosen (VI_MODEL_PAGE (self), NULL);
  else
    vi_model_page_choose_file (VI_MODEL_PAGE (self), _("Load a VAE Model"),
                               _("VAE model files"), "application/octet-stream", load_chosen);
}

static void
save_chosen (ViModelPage *page,
             const char  *path)
{
  if (path == NULL)
    return;
  set_model_file (VI_VAE_PAGE (page), "save-model", path);
  settings_changed (VI_VAE_PAGE (page));
}

static void
save_cb (ViVaePage *self)
{
  ViModelPageClass *klass = VI_MODEL_PAGE_GET_CLASS (self);

  vi_model_page_choose_save_file (VI_MODEL_PAGE (self), klass->checkpoint_title,
                                  klass->checkpoint_name, save_chosen);
}

ViPlotView *
vi_vae_page_get_plot (ViVaePage *self,
                      ViVaePlot  plot)
{
  g_return_val_if_fail (VI_IS_VAE_PAGE (self), NULL);
  g_return_val_if_fail (plot < VI_VAE_N_PLOTS, NULL);
  return self->plots[plot];
}

const char *
vi_vae_page_get_help (ViVaePage *self,
                      ViVaePlot  plot)
{
  g_return_val_if_fail (VI_IS_VAE_PAGE (self), NULL);
  g_return_val_if_fail (plot < VI_VAE_N_PLOTS, NULL);
  return self->help[plot] != NULL ? gtk_label_get_label (self->help[plot]) : NULL;
}

/* ---- ViModelPage --------------------------------------------------------- */

static gboolean
snapshot_keepable (gconstpointer snapshot)
{
  return ((const ViVaeSnapshot *) snapshot)->iteration > 0;
}

/* The hidden sizes "400" or "500,300" as the table's list "ax". */
static GVariant *
parse_hidden (const char *text,
              GError    **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("ax"));
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *p = g_strstrip (g_strdup (parts[i]));
      gint64 v;

      if (!g_ascii_string_to_signed (p, 10, 1, G_MAXINT32, &v, NULL))
        {
          g_variant_builder_clear (&b);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("hidden: “%s” is not a list of layer sizes such as 400 or 500,300"),
                       text);
          return NULL;
        }
      g_variant_builder_add (&b, "x", v);
    }
  return g_variant_builder_end (&b);
}

static gboolean
add_settings (ViModelPage     *page,
              GVariantBuilder *b,
              GError         **error)
{
  ViVaePage *self = VI_VAE_PAGE (page);
  GHashTableIter iter;
  gpointer key, value;
  GVariant *hidden;

  if (file_mode (self) && self->data_file == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("data: open an IDX images file"));
      return FALSE;
    }
  hidden = parse_hidden (gtk_editable_get_text (GTK_EDITABLE (self->hidden_entry)), error);
  if (hidden == NULL)
    return FALSE;
  g_variant_builder_add (b, "{sv}", "hidden", hidden);
  g_variant_builder_add (b, "{sv}", "data",
                         g_variant_new_string (file_mode (self) ? self->data_file
                                               : "fashion-mnist"));
  g_hash_table_iter_init (&iter, self->extra);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_variant_builder_add (b, "{sv}", (const char *) key, (GVariant *) value);
  return TRUE;
}

static void
apply_settings (ViModelPage *page,
                GVariant    *settings)
{
  ViVaePage *self = VI_VAE_PAGE (page);
  const char *data = NULL, *key;
  g_autoptr(GVariant) hidden = NULL;
  GVariantIter iter;
  GVariant *value;

  g_variant_iter_init (&iter, settings);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      if (!g_str_equal (key, "data") && !g_str_equal (key, "hidden")
          && vi_model_page_get_bound_widget (page, key) == NULL
          && vi_params_lookup (vi_vae_job_type.params, key, settings) != NULL)
        {
          if (g_str_equal (key, "save-model") || g_str_equal (key, "load-model"))
            set_model_file (self, key, g_variant_get_string (value, NULL));
          else
            g_hash_table_replace (self->extra, g_strdup (key), g_variant_ref (value));
        }
      g_variant_unref (value);
    }
  vi_model_page_begin_update (page);
  if (g_variant_lookup (settings, "data", "&s", &data))
    {
      if (g_str_equal (data, "fashion-mnist"))
        adw_combo_row_set_selected (self->data_row, DATA_FASHION);
      else
        {
          g_free (self->data_file);
          self->data_file = g_strdup (data);
          adw_combo_row_set_selected (self->data_row, DATA_FILE);
        }
    }
  hidden = g_variant_lookup_value (settings, "hidden", G_VARIANT_TYPE ("ax"));
  if (hidden != NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      gsize n;
      const gint64 *v = g_variant_get_fixed_array (hidden, &n, sizeof (gint64));

      for (gsize i = 0; i < n; i++)
        g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", v[i]);
      gtk_editable_set_text (GTK_EDITABLE (self->hidden_entry), text->str);
    }
  vi_model_page_end_update (page);
  vi_model_page_clear_snapshot (page);
  settings_changed (self);
}

/* Once the window's run has ended (the job writes its model file after
 * the last snapshot), reads the saved model's decoder for the latent space
 * you can touch. */
static gboolean
saved_poll_cb (gpointer data)
{
  ViVaePage *self = data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  ViRun *run = VI_IS_WINDOW (root) ? vi_window_get_run (VI_WINDOW (root)) : NULL;
  GVariant *save = g_hash_table_lookup (self->extra, "save-model");
  g_autoptr(GError) error = NULL;

  if (save != NULL && run != NULL && vi_run_get_job_type (run) == &vi_vae_job_type
      && vi_run_get_state (run) != VI_RUN_FINISHED && vi_run_get_error_message (run) == NULL)
    return G_SOURCE_CONTINUE;
  self->saved_poll_id = 0;
  self->saved_read = TRUE;
  if (save == NULL)
    return G_SOURCE_REMOVE;
  if (!vi_vae_page_read_decoder (self, g_variant_get_string (save, NULL), &error))
    g_debug ("no decoder from the saved model: %s", error->message);
  else
    vi_vae_page_touch_reset (self);
  return G_SOURCE_REMOVE;
}

/* When the run has finished with save-model set, waits for its model
 * file (a snapshot may carry no decoder). */
static void
read_saved_decoder (ViVaePage *self)
{
  const ViVaeSnapshot *s = live (self);

  if (s == NULL || s->n_steps == 0 || s->iteration < s->n_steps)
    {
      self->saved_read = FALSE;
      return;
    }
  if (self->saved_read || self->saved_poll_id != 0 || s->decoder_params != NULL
      || !g_hash_table_contains (self->extra, "save-model"))
    return;
  self->saved_poll_id = g_timeout_add (100, saved_poll_cb, self);
}

static void
rebuild_cb (ViModelPage *page)
{
  read_saved_decoder (VI_VAE_PAGE (page));
  vi_vae_page_touch_reset (VI_VAE_PAGE (page));
  rebuild_all (VI_VAE_PAGE (page));
}

static ViPlotView *
get_default_plot (ViModelPage *page)
{
  ViVaePage *self = VI_VAE_PAGE (page);
  const char *tab = gtk_stack_get_visible_child_name (self->plot_stack);

  if (g_strcmp0 (tab, "reconstructions") == 0)
    return self->plots[VI_VAE_PLOT_SHOWCASE];
  if (g_strcmp0 (tab, "latent") == 0)
    return self->plots[VI_VAE_PLOT_LATENT];
  if (g_strcmp0 (tab, "manifold") == 0)
    return self->plots[VI_VAE_PLOT_MANIFOLD];
  if (g_strcmp0 (tab, "units") == 0)
    return self->plots[VI_VAE_PLOT_KL];
  return self->plots[VI_VAE_PLOT_ELBO];
}

static char **
dup_data_files (ViModelPage *page)
{
  ViVaePage *self = VI_VAE_PAGE (page);
  const char *path;
  char **files;

  if (!file_mode (self) || self->data_file == NULL)
    return NULL;
  path = self->data_file + strlen ("idx:");
  files = g_new0 (char *, 2);
  files[0] = g_strndup (path, strcspn (path, ","));
  return files;
}

/* ---- object -------------------------------------------------------------- */

static void
vi_vae_page_dispose (GObject *object)
{
  ViVaePage *self = VI_VAE_PAGE (object);

  g_clear_handle_id (&self->saved_poll_id, g_source_remove);
  vi_vae_page_forget_data (self);
  G_OBJECT_CLASS (vi_vae_page_parent_class)->dispose (object);
}

static void
vi_vae_page_finalize (GObject *object)
{
  g_free (VI_VAE_PAGE (object)->data_file);
  g_free (VI_VAE_PAGE (object)->model_decoder);
  g_hash_table_unref (VI_VAE_PAGE (object)->extra);
  G_OBJECT_CLASS (vi_vae_page_parent_class)->finalize (object);
}

#define CHILD(member) VI_TEMPLATE_CHILD (ViVaePage, member)
#define CHILD_AS(id, member) VI_TEMPLATE_CHILD_AS (ViVaePage, id, member)

static const ViTemplateChild children[] = {
  CHILD (controls_flap), CHILD (data_row), CHILD (file_row), CHILD (file_button),
  CHILD (data_label), CHILD (latent_spin), CHILD (hidden_entry), CHILD (batch_spin),
  CHILD (rate_spin), CHILD (epochs_spin), CHILD (samples_spin), CHILD (seed_spin),
  CHILD (save_row), CHILD (save_button), CHILD (load_row), CHILD (load_button),
  CHILD (plot_stack), CHILD (prior_button), CHILD (interpolate_button), CHILD (touch_label),
  CHILD_AS ("elbo_plot", plots[VI_VAE_PLOT_ELBO]),
  CHILD_AS ("showcase_plot", plots[VI_VAE_PLOT_SHOWCASE]),
  CHILD_AS ("latent_plot", plots[VI_VAE_PLOT_LATENT]),
  CHILD_AS ("manifold_plot", plots[VI_VAE_PLOT_MANIFOLD]),
  CHILD_AS ("kl_plot", plots[VI_VAE_PLOT_KL]),
  CHILD_AS ("touch_plot", plots[VI_VAE_PLOT_TOUCH]),
  CHILD_AS ("generated_plot", plots[VI_VAE_PLOT_GENERATED]),
  CHILD_AS ("elbo_help", help[VI_VAE_PLOT_ELBO]),
  CHILD_AS ("showcase_help", help[VI_VAE_PLOT_SHOWCASE]),
  CHILD_AS ("latent_help", help[VI_VAE_PLOT_LATENT]),
  CHILD_AS ("manifold_help", help[VI_VAE_PLOT_MANIFOLD]),
  CHILD_AS ("kl_help", help[VI_VAE_PLOT_KL]),
};

static void
vi_vae_page_class_init (ViVaePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ViModelPageClass *page_class = VI_MODEL_PAGE_CLASS (klass);

  object_class->dispose = vi_vae_page_dispose;
  object_class->finalize = vi_vae_page_finalize;
  vi_model_page_class_setup (page_class, &vi_vae_job_type,
                             "/io/github/elbolab/ElboLab/ui/vi-vae-page.ui", "error_label",
                             children, G_N_ELEMENTS (children));
  /* Translators: the status line shows the test ELBO */
  page_class->objective_name = _("Test ELBO");
  page_class->snapshot_keepable = snapshot_keepable;
  page_class->add_settings = add_settings;
  page_class->apply_settings = apply_settings;
  page_class->rebuild = rebuild_cb;
  page_class->get_default_plot = get_default_plot;
  page_class->dup_data_files = dup_data_files;
  /* Checkpoints mid-run, and the file dialog of Save model… */
  page_class->save_checkpoint = vi_vae_job_save_model;
  page_class->checkpoint_title = _("Save the VAE Model");
  page_class->checkpoint_name = "model.vae";
}

static void
vi_vae_page_init (ViVaePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->extra = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_variant_unref);
  {
    ViBinding bindings[] = {
      { "latent", GTK_WIDGET (self->latent_spin), VI_BINDING_INT, NULL },
      { "batch-size", GTK_WIDGET (self->batch_spin), VI_BINDING_INT, NULL },
      { "learning-rate", GTK_WIDGET (self->rate_spin), VI_BINDING_DOUBLE, NULL },
      { "epochs", GTK_WIDGET (self->epochs_spin), VI_BINDING_INT, NULL },
      { "samples", GTK_WIDGET (self->samples_spin), VI_BINDING_INT, NULL },
      { "seed", GTK_WIDGET (self->seed_spin), VI_BINDING_INT, NULL },
    };

    vi_model_page_set_bindings (VI_MODEL_PAGE (self), bindings, G_N_ELEMENTS (bindings));
  }
  set_model_file (self, "save-model", NULL);
  set_model_file (self, "load-model", NULL);
  vi_model_page_set_skip_needs_live (VI_MODEL_PAGE (self), TRUE);
  vi_model_page_set_controls (VI_MODEL_PAGE (self), GTK_WIDGET (self->controls_flap));
  for (guint i = 0; i < VI_VAE_N_PLOTS; i++)
    {
      vi_plot_view_set_figure (self->plots[i],
                               vi_figure_create (i < N_VIEW_PLOTS ? plot_info[i].rows : 1,
                                                 i < N_VIEW_PLOTS ? plot_info[i].cols : 1));
      vi_model_page_add_plot (VI_MODEL_PAGE (self), self->plots[i]);
    }
  vi_vae_page_touch_init (self);
  settings_changed (self);
  rebuild_all (self);

  {
    GtkSpinButton *spins[] = { self->latent_spin, self->batch_spin, self->rate_spin,
                               self->epochs_spin, self->samples_spin, self->seed_spin };

    for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
      g_signal_connect_swapped (spins[i], "value-changed", G_CALLBACK (control_changed_cb),
                                self);
  }
  g_signal_connect_swapped (self->hidden_entry, "activate", G_CALLBACK (control_changed_cb),
                            self);
  g_signal_connect_swapped (self->data_row, "notify::selected",
                            G_CALLBACK (control_changed_cb), self);
  g_signal_connect_swapped (self->file_button, "clicked", G_CALLBACK (choose_file_cb), self);
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (save_cb), self);
  g_signal_connect_swapped (self->load_button, "clicked", G_CALLBACK (load_cb), self);
}
