/* vi-bbvi-page.c — the black-box VI page
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Poisson–Gamma model of REFERENCES.md §2 fitted by BBVI with several
 * gradient estimators side by side (the "bbvi" job, mode "optimize", run by
 * the window's ViRun), and the gradient variance of the estimators against
 * S (the same job in mode "variance", run beside it on a worker thread:
 * vi-bbvi-page-variance.c).
 * Reference values (log p(x), the family's optimum, the posterior) come from
 * the job's first snapshot, made once per settings change.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "vi-bbvi-job.h"
#include "vi-bbvi-page-private.h"
#include "vi-bbvi-views.h"
#include "vi-optim.h"
#include "vi-model-page.h"
#include "vi-status.h"
#include "vi-util.h"

G_DEFINE_FINAL_TYPE (ViBbviPage, vi_bbvi_page, VI_TYPE_MODEL_PAGE)

/* vi_bbvi_page_get_plot (): elbo, params, q, variance, ratio, gap, gradvar. */
#define N_PLOTS 7

static gboolean
updating (ViBbviPage *self)
{
  return vi_model_page_is_updating (VI_MODEL_PAGE (self));
}

/* ---- snapshots ---------------------------------------------------------- */

static gboolean
snapshot_keepable (gconstpointer snapshot)
{
  const ViBbviSnapshot *s = snapshot;

  return s->iteration > 0 && !s->variance_mode;
}

/* What the optimisation plots show: the live run, else the starting point. */
static const ViBbviSnapshot *
shown (ViBbviPage *self)
{
  return live (self) != NULL ? live (self) : self->ref;
}

/* ---- settings ----------------------------------------------------------- */

static gboolean
file_mode (ViBbviPage *self)
{
  return adw_combo_row_get_selected (self->source_row) == 1;
}

static gboolean
same_data_seed (ViBbviPage *self)
{
  return gtk_switch_get_active (self->data_same_switch);
}

/* Counts-file mode before a file is chosen. */
static gboolean
no_file_yet (ViBbviPage *self)
{
  return file_mode (self) && self->counts_file == NULL;
}

static char *
dup_estimator_list (ViBbviPage *self)
{
  GString *s = g_string_new (NULL);

  for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
    if (gtk_check_button_get_active (self->est_check[e]))
      g_string_append_printf (s, "%s%s", s->len > 0 ? "," : "",
                              vi_bbvi_estimator_get_name ((ViBbviEstimator) e));
  return g_string_free (s, FALSE);
}

/* ---- settings checked; the counts file loaded off the UI thread -------- */

static gboolean
loading (ViBbviPage *self)
{
  return file_mode (self) && self->load_cancel != NULL;
}

/* Checks the settings with the job's cheap validate (no I/O), then makes
 * the first snapshot, the reference values. A counts file not loaded yet
 * is loaded on a GTask thread (the page says so meanwhile and refuses its
 * settings, so Run waits); once loaded it stays in the dataset cache
 * (vi-dataset.h), so a job created on a keystroke finds it there and the
 * UI thread never reads it. Shows the core's message inline when it
 * refuses them. */
static void
validate (ViBbviPage *self)
{
  g_autoptr(GVariant) params = NULL;
  g_autoptr(GVariant) valid = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *estimators = dup_estimator_list (self);
  g_autoptr(GVariant) loaded_params = g_steal_pointer (&self->loaded_params);
  ViBbviSnapshot *loaded_ref = g_steal_pointer (&self->loaded_ref);
  ViJob *job = NULL;

  vi_model_page_set_error (VI_MODEL_PAGE (self), NULL);
  /* Refused settings leave the plots empty rather than showing the
   * references of the previous, different model. */
  g_clear_pointer (&self->ref, vi_bbvi_snapshot_free);
  params = vi_page_dup_settings (VI_PAGE (self), NULL);
  if (estimators[0] == '\0')
    vi_model_page_set_error (VI_MODEL_PAGE (self),
                             _("estimators: check at least one estimator"));
  else if (no_file_yet (self))
    ;   /* not an error: the plots say what to do, add_settings refuses */
  else if ((valid = vi_job_validate (&vi_bbvi_job_type, params, &error)) == NULL)
    vi_model_page_set_error (VI_MODEL_PAGE (self), error->message);
  else if (file_mode (self) && self->load_error != NULL)
    vi_model_page_set_error (VI_MODEL_PAGE (self), self->load_error);
  else if (file_mode (self) && self->dataset == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("counts file: loading %s …"), self->counts_file);

      if (self->load_cancel == NULL)
        vi_bbvi_page_start_load (self, valid, vi_bbvi_page_settings_changed);
      vi_model_page_set_error (VI_MODEL_PAGE (self), msg);
    }
  else if (loaded_ref != NULL && g_variant_equal (loaded_params, valid))
    self->ref = g_steal_pointer (&loaded_ref);
  else
    {
      job = vi_job_create (&vi_bbvi_job_type, valid, &error);
      if (job == NULL)
        vi_model_page_set_error (VI_MODEL_PAGE (self), error->message);
    }
  g_clear_pointer (&loaded_ref, vi_bbvi_snapshot_free);
  if (job != NULL)
    {
      self->ref = vi_job_snapshot (job);
      vi_job_free (job);
    }
}

static void
update_data_rows (ViBbviPage *self)
{
  gboolean file = file_mode (self);
  g_autofree char *base = NULL;

  gtk_widget_set_visible (self->n_row, !file);
  gtk_widget_set_visible (self->rate_row, !file);
  vi_model_page_set_bound_active (VI_MODEL_PAGE (self), "synthetic-n", !file);
  vi_model_page_set_bound_active (VI_MODEL_PAGE (self), "true-rate", !file);
  gtk_widget_set_visible (GTK_WIDGET (self->file_row), file);
  /* The synthetic counts' seed: the Monte-Carlo seed (shown greyed, and
   * left out of the settings: absent means the same), or its own. */
  gtk_widget_set_visible (self->data_same_row, !file);
  gtk_widget_set_visible (self->data_seed_row, !file);
  gtk_widget_set_sensitive (self->data_seed_row, !same_data_seed (self));
  vi_model_page_set_bound_active (VI_MODEL_PAGE (self), "data-seed",
                                  !file && !same_data_seed (self));
  if (same_data_seed (self))
    {
      vi_model_page_begin_update (VI_MODEL_PAGE (self));
      gtk_spin_button_set_value (self->data_seed_spin,
                                 gtk_spin_button_get_value (self->seed_spin));
      vi_model_page_end_update (VI_MODEL_PAGE (self));
    }
  if (self->counts_file != NULL)
    {
      g_autofree char *full = g_path_get_basename (self->counts_file);

      base = vi_elide_middle (full, VI_ELIDE_MAX_CHARS);
    }
  adw_action_row_set_subtitle (self->file_row,
                               base != NULL ? base : _("One count per line"));
}

/* ---- plots (drawn by the bbvi views) ------------------------------------ */

static void
setup_view (ViModelPage   *page,
            ViViewContext *ctx)
{
  ViBbviPage *self = VI_BBVI_PAGE (page);

  ctx->live = live (self) != NULL;
  ctx->samples = gtk_spin_button_get_value (self->samples_spin);
  ctx->measuring = vi_model_page_is_running_job (page);
}

/* Before a counts file is chosen, the empty plots say what to do. */
static void
set_empty_hint (ViBbviPage *self,
                ViPlotView *plot)
{
  ViFigure *fig = vi_plot_view_get_figure (plot);
  const char *hint = no_file_yet (self) ? _("Choose a counts file to see the plots") : NULL;

  for (guint r = 0; fig != NULL && r < vi_figure_get_n_rows (fig); r++)
    for (guint c = 0; c < vi_figure_get_n_cols (fig); c++)
      vi_panel_set_empty_message (vi_figure_get_panel (fig, r, c), hint);
}

static void
rebuild_elbo (ViBbviPage *self)
{
  BUILD (self->elbo_plot, vi_bbvi_elbo_view_build, shown (self));
  BUILD (self->gap_plot, gtk_switch_get_active (self->estimates_switch)
         ? vi_bbvi_gap_band_view_build : vi_bbvi_gap_view_build, shown (self));
  BUILD (self->gradvar_plot, vi_bbvi_gradvar_view_build, shown (self));
  vi_bbvi_page_explain (self, self->elbo_plot, shown (self));
}

static void
rebuild_params (ViBbviPage *self)
{
  guint rows = vi_bbvi_params_view_rows (shown (self));

  if (rows != self->params_dim)
    {
      vi_plot_view_set_figure (self->params_plot, vi_figure_create (rows, 1));
      self->params_dim = rows;
    }
  BUILD (self->params_plot, vi_bbvi_params_view_build, shown (self));
  vi_bbvi_page_explain (self, self->params_plot, shown (self));
}

static void
rebuild_q (ViBbviPage *self)
{
  BUILD (self->q_plot, vi_bbvi_q_view_build, shown (self));
  vi_bbvi_page_explain (self, self->q_plot, shown (self));
}

static void
rebuild_optimize (ViBbviPage *self)
{
  rebuild_elbo (self);
  rebuild_params (self);
  rebuild_q (self);
  /* On the plots (elbo, params, q, variance, ratio, gap, gradvar), drawn later. */
  for (guint i = 0; i < N_PLOTS; i++)
    set_empty_hint (self, vi_bbvi_page_get_plot (self, i));
}

static void
rebuild_all (ViBbviPage *self)
{
  rebuild_optimize (self);
  vi_bbvi_page_rebuild_variance_all (self);
}

/* ---- controls ----------------------------------------------------------- */

/* Validates the settings and redraws; emits settings-changed once the
 * counts file is loaded. */
void
vi_bbvi_page_settings_changed (ViBbviPage *self)
{
  update_data_rows (self);
  validate (self);
  vi_model_page_relabel_history (VI_MODEL_PAGE (self));
  rebuild_optimize (self);
  vi_bbvi_page_maybe_remeasure (self);
  vi_bbvi_page_rebuild_variance_all (self);
  /* The window restarts a run when the data are loaded. */
  if (!loading (self))
    vi_page_settings_changed (VI_PAGE (self));
}

static void
control_changed_cb (ViBbviPage *self)
{
  if (updating (self))
    return;
  vi_bbvi_page_settings_changed (self);
}

static void
set_default_step (ViBbviPage *self)
{
  const char *opt = vi_model_page_get_choice (VI_MODEL_PAGE (self), "optimizer");
  double step = vi_optimizer_default_step_size (opt);

  /* The job's defaults (vi-bbvi-job.c): Adam needs a larger step for the
   * two-parameter families. */
  if (g_strcmp0 (opt, "adam") == 0)
    step = g_str_equal (vi_model_page_get_choice (VI_MODEL_PAGE (self), "family"),
                        "exponential") ? 0.05 : 0.2;
  vi_model_page_begin_update (VI_MODEL_PAGE (self));
  gtk_spin_button_set_value (self->step_spin, step);
  vi_model_page_end_update (VI_MODEL_PAGE (self));
}

static void
schedule_changed_cb (ViBbviPage *self)
{
  if (updating (self))
    return;
  set_default_step (self);
  vi_bbvi_page_settings_changed (self);
}

static void
counts_chosen (ViModelPage *page,
               const char  *path)
{
  vi_bbvi_page_set_counts_file (VI_BBVI_PAGE (page), path);
}

static void
choose_file_cb (ViBbviPage *self)
{
  vi_model_page_choose_file (VI_MODEL_PAGE (self), _("Open Counts File"), _("Text files"),
                             "text/plain", counts_chosen);
}

void
vi_bbvi_page_set_counts_file (ViBbviPage *self,
                              const char *path)
{
  g_return_if_fail (VI_IS_BBVI_PAGE (self));
  g_return_if_fail (path != NULL);
  vi_bbvi_page_forget_counts (self);
  g_free (self->counts_file);
  self->counts_file = g_strdup (path);
  vi_model_page_begin_update (VI_MODEL_PAGE (self));
  adw_combo_row_set_selected (self->source_row, 1);
  vi_model_page_end_update (VI_MODEL_PAGE (self));
  vi_bbvi_page_settings_changed (self);
}

const char *
vi_bbvi_page_get_error_text (ViBbviPage *self)
{
  g_return_val_if_fail (VI_IS_BBVI_PAGE (self), NULL);
  return error_text (self);
}

gboolean
vi_bbvi_page_is_loading (ViBbviPage *self)
{
  g_return_val_if_fail (VI_IS_BBVI_PAGE (self), FALSE);
  return loading (self);
}

ViPlotView *
vi_bbvi_page_get_plot (ViBbviPage *self,
                       guint       index)
{
  ViPlotView *plots[N_PLOTS] = { self->elbo_plot, self->params_plot, self->q_plot,
                                 self->variance_plot, self->ratio_plot, self->gap_plot,
                                 self->gradvar_plot };

  g_return_val_if_fail (VI_IS_BBVI_PAGE (self), NULL);
  g_return_val_if_fail (index < G_N_ELEMENTS (plots), NULL);
  return plots[index];
}

/* ---- ViModelPage --------------------------------------------------------- */

static gboolean
add_settings (ViModelPage     *page,
              GVariantBuilder *b,
              GError         **error)
{
  ViBbviPage *self = VI_BBVI_PAGE (page);
  g_autofree char *estimators = dup_estimator_list (self);

  if (no_file_yet (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("counts file: choose a file of counts"));
      return FALSE;
    }
  if (file_mode (self))
    g_variant_builder_add (b, "{sv}", "counts-file", g_variant_new_string (self->counts_file));
  g_variant_builder_add (b, "{sv}", "estimators", g_variant_new_string (estimators));
  return TRUE;
}

static void
apply_settings (ViModelPage *page,
                GVariant    *settings)
{
  ViBbviPage *self = VI_BBVI_PAGE (page);
  const char *s = NULL;
  double v;

  /* Without a step size, the schedule's default for the family. */
  if (!vi_settings_lookup_number (settings, "step-size", &v))
    set_default_step (self);
  vi_model_page_begin_update (page);
  if (g_variant_lookup (settings, "estimators", "&s", &s))
    {
      g_auto(GStrv) items = g_strsplit (s, ",", -1);

      for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
        {
          const char *name = vi_bbvi_estimator_get_name ((ViBbviEstimator) e);

          gtk_check_button_set_active (self->est_check[e],
                                       g_strv_contains ((const char *const *) items, name));
        }
    }
  if (g_variant_lookup (settings, "counts-file", "&s", &s))
    {
      vi_bbvi_page_forget_counts (self);
      g_free (self->counts_file);
      self->counts_file = s[0] != '\0' ? g_strdup (s) : NULL;
      adw_combo_row_set_selected (self->source_row, 1);
    }
  else if (vi_settings_lookup_number (settings, "synthetic-n", &v)
           || vi_settings_lookup_number (settings, "true-rate", &v))
    adw_combo_row_set_selected (self->source_row, 0);
  /* Settings with a seed but no data seed (sessions from before there
   * were two) draw the data from the seed. */
  if (vi_settings_lookup_number (settings, "data-seed", &v))
    gtk_switch_set_active (self->data_same_switch, FALSE);
  else if (vi_settings_lookup_number (settings, "seed", &v))
    gtk_switch_set_active (self->data_same_switch, TRUE);
  vi_model_page_end_update (page);
  vi_model_page_clear_snapshot (page);
  vi_bbvi_page_settings_changed (self);
}

static void
snapshot_shown (ViModelPage *page)
{
  rebuild_optimize (VI_BBVI_PAGE (page));
}

static void
rebuild_all_cb (ViModelPage *page)
{
  rebuild_all (VI_BBVI_PAGE (page));
}

static ViPlotView *
get_default_plot (ViModelPage *page)
{
  ViBbviPage *self = VI_BBVI_PAGE (page);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->plot_stack), "variance") == 0)
    return self->variance_plot;
  return self->elbo_plot;
}

static char **
dup_data_files (ViModelPage *page)
{
  ViBbviPage *self = VI_BBVI_PAGE (page);
  char **files;

  if (!file_mode (self) || self->counts_file == NULL)
    return NULL;
  files = g_new0 (char *, 2);
  files[0] = g_strdup (self->counts_file);
  return files;
}

/* ---- object ------------------------------------------------------------- */

static void
vi_bbvi_page_dispose (GObject *object)
{
  ViBbviPage *self = VI_BBVI_PAGE (object);

  vi_bbvi_page_cancel_measure (self);
  vi_bbvi_page_forget_counts (self);
  G_OBJECT_CLASS (vi_bbvi_page_parent_class)->dispose (object);
}

static void
vi_bbvi_page_finalize (GObject *object)
{
  ViBbviPage *self = VI_BBVI_PAGE (object);

  g_clear_pointer (&self->ref, vi_bbvi_snapshot_free);
  g_clear_pointer (&self->variance, vi_bbvi_snapshot_free);
  g_clear_pointer (&self->variance_key, g_variant_unref);
  g_clear_pointer (&self->measuring_key, g_variant_unref);
  g_free (self->counts_file);
  G_OBJECT_CLASS (vi_bbvi_page_parent_class)->finalize (object);
}

#define CHILD(member) VI_TEMPLATE_CHILD (ViBbviPage, member)
#define CHILD_AS(id, member) VI_TEMPLATE_CHILD_AS (ViBbviPage, id, member)

static const ViTemplateChild children[] = {
  CHILD (controls_flap), CHILD (alpha_spin), CHILD (beta_spin), CHILD (source_row),
  CHILD (n_row), CHILD (n_spin), CHILD (rate_row), CHILD (rate_spin), CHILD (file_row),
  CHILD (file_button), CHILD (seed_spin), CHILD (data_same_row), CHILD (data_same_switch),
  CHILD (data_seed_row), CHILD (data_seed_spin), CHILD (family_row), CHILD (samples_spin),
  CHILD (optimizer_row), CHILD (step_spin), CHILD (iterations_spin), CHILD (measure_spinner),
  CHILD (measure_button), CHILD (measure_label), CHILD (measure_group),
  CHILD (variance_explain_label), CHILD (why_label), CHILD (plot_stack), CHILD (elbo_plot),
  CHILD (params_plot), CHILD (q_plot), CHILD (variance_plot), CHILD (ratio_plot), CHILD (gap_plot),
  CHILD (gradvar_plot), CHILD (optimize_help), CHILD (params_help), CHILD (q_help),
  CHILD (estimates_switch), CHILD_AS ("est0_check", est_check[0]),
  CHILD_AS ("est1_check", est_check[1]), CHILD_AS ("est2_check", est_check[2]),
  CHILD_AS ("est3_check", est_check[3])
};

static void
vi_bbvi_page_class_init (ViBbviPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ViModelPageClass *page_class = VI_MODEL_PAGE_CLASS (klass);

  object_class->dispose = vi_bbvi_page_dispose;
  object_class->finalize = vi_bbvi_page_finalize;
  vi_model_page_class_setup (page_class, &vi_bbvi_job_type,
                             "/io/github/elbolab/ElboLab/ui/vi-bbvi-page.ui", "error_label",
                             children, G_N_ELEMENTS (children));
  /* Translators: the status line shows the exact ELBO of the first run */
  page_class->objective_name = _("ELBO");
  page_class->runs_keep_series_colours = TRUE;
  page_class->snapshot_keepable = snapshot_keepable;
  page_class->add_settings = add_settings;
  page_class->apply_settings = apply_settings;
  page_class->rebuild = rebuild_all_cb;
  page_class->snapshot_shown = snapshot_shown;
  page_class->get_default_plot = get_default_plot;
  page_class->dup_data_files = dup_data_files;
  page_class->setup_view = setup_view;
  page_class->run_override = vi_bbvi_page_run_override;
}

static void
vi_bbvi_page_init (ViBbviPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  {
    ViBinding bindings[] = {
      { "alpha", GTK_WIDGET (self->alpha_spin), VI_BINDING_DOUBLE, NULL },
      { "beta", GTK_WIDGET (self->beta_spin), VI_BINDING_DOUBLE, NULL },
      { "seed", GTK_WIDGET (self->seed_spin), VI_BINDING_INT, NULL },
      { "data-seed", GTK_WIDGET (self->data_seed_spin), VI_BINDING_INT, NULL },
      { "family", GTK_WIDGET (self->family_row), VI_BINDING_CHOICE, NULL },
      { "samples", GTK_WIDGET (self->samples_spin), VI_BINDING_INT, NULL },
      { "optimizer", GTK_WIDGET (self->optimizer_row), VI_BINDING_CHOICE, NULL },
      { "step-size", GTK_WIDGET (self->step_spin), VI_BINDING_DOUBLE, NULL },
      { "iterations", GTK_WIDGET (self->iterations_spin), VI_BINDING_INT, NULL },
      { "synthetic-n", GTK_WIDGET (self->n_spin), VI_BINDING_INT, NULL },
      { "true-rate", GTK_WIDGET (self->rate_spin), VI_BINDING_DOUBLE, NULL },
      { "show-estimates", GTK_WIDGET (self->estimates_switch), VI_BINDING_SWITCH, NULL },
    };

    vi_model_page_set_bindings (VI_MODEL_PAGE (self), bindings, G_N_ELEMENTS (bindings));
  }
  vi_model_page_set_skip_needs_live (VI_MODEL_PAGE (self), TRUE);
  vi_model_page_set_controls (VI_MODEL_PAGE (self), GTK_WIDGET (self->controls_flap));
  /* The gap (plot 5) first, then the gradient variance (6), elbo, params,
   * q, variance, ratio. */
  {
    static const guint order[N_PLOTS] = { 5, 6, 0, 1, 2, 3, 4 };

    for (guint i = 0; i < N_PLOTS; i++)
      vi_model_page_add_plot (VI_MODEL_PAGE (self), vi_bbvi_page_get_plot (self, order[i]));
  }

  vi_plot_view_set_figure (self->elbo_plot, vi_figure_create (1, 1));
  vi_plot_view_set_smoothable (self->elbo_plot, TRUE);
  vi_plot_view_set_smoothing (self->elbo_plot, 0.95);
  vi_plot_view_set_smoothable (self->gradvar_plot, TRUE);
  vi_plot_view_set_smoothing (self->gradvar_plot, 0.9);
  for (guint i = 2; i < N_PLOTS; i++)   /* q, variance, ratio, gap, gradvar */
    vi_plot_view_set_figure (vi_bbvi_page_get_plot (self, i), vi_figure_create (1, 1));

  /* Default: the seed's experiment, naive against the scalar and the
   * sufficient-statistic control variates, Exponential family, Adam. */
  vi_model_page_begin_update (VI_MODEL_PAGE (self));
  gtk_check_button_set_active (self->est_check[VI_BBVI_NAIVE], TRUE);
  gtk_check_button_set_active (self->est_check[VI_BBVI_CV], TRUE);
  gtk_check_button_set_active (self->est_check[VI_BBVI_CV_SUFF], TRUE);
  vi_model_page_end_update (VI_MODEL_PAGE (self));
  set_default_step (self);
  update_data_rows (self);
  validate (self);
  rebuild_all (self);

  {
    GtkSpinButton *spins[] = { self->alpha_spin, self->beta_spin, self->n_spin, self->rate_spin,
                               self->seed_spin, self->data_seed_spin, self->samples_spin,
                               self->iterations_spin, self->step_spin };

    for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
      g_signal_connect_swapped (spins[i], "value-changed", G_CALLBACK (control_changed_cb),
                                self);
  }
  for (guint i = 0; i < VI_BBVI_N_PUBLIC_ESTIMATORS; i++)
    g_signal_connect_swapped (self->est_check[i], "toggled", G_CALLBACK (control_changed_cb),
                              self);
  g_signal_connect_swapped (self->source_row, "notify::selected",
                            G_CALLBACK (control_changed_cb), self);
  g_signal_connect_swapped (self->data_same_switch, "notify::active",
                            G_CALLBACK (control_changed_cb), self);
  g_signal_connect_swapped (self->family_row, "notify::selected",
                            G_CALLBACK (schedule_changed_cb), self);
  g_signal_connect_swapped (self->optimizer_row, "notify::selected",
                            G_CALLBACK (schedule_changed_cb), self);
  g_signal_connect_swapped (self->file_button, "clicked", G_CALLBACK (choose_file_cb), self);
  g_signal_connect_swapped (self->measure_button, "clicked",
                            G_CALLBACK (vi_bbvi_page_measure_variance), self);
  g_signal_connect_swapped (self->elbo_plot, "notify::smoothing", G_CALLBACK (rebuild_elbo), self);
  g_signal_connect_swapped (self->gradvar_plot, "notify::smoothing", G_CALLBACK (rebuild_elbo),
                            self);
  g_signal_connect_swapped (self->estimates_switch, "notify::active", G_CALLBACK (rebuild_elbo),
                            self);
  g_signal_connect_swapped (self->samples_spin, "value-changed",
                            G_CALLBACK (vi_bbvi_page_rebuild_ratio), self);
  g_signal_connect (self, "map", G_CALLBACK (vi_bbvi_page_map_cb), NULL);
}
