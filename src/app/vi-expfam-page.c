/* vi-expfam-page.c — the exponential-family page
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three plots: p(x | θ) with a histogram of the job's draws, a(η) along one
 * natural coordinate with its tangent (slope E[t]), and the Monte-Carlo
 * Fisher estimate converging to the closed form. The closed-form parts are
 * computed here on every slider move; the draws come from the "expfam" job.
 * The table of closed forms and estimates is vi-expfam-page-fisher.c.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "vi-expfam-job.h"
#include "vi-expfam-page-private.h"
#include "vi-expfam-views.h"
#include "vi-model-page.h"
#include "vi-util.h"

static const FamilyUi families[] = {
  { "gamma", N_("Gamma"), { N_("shape α"), N_("rate β") }, { 0.2, 0.1 }, { 20, 10 } },
  { "gaussian", N_("Gaussian"), { N_("mean μ"), N_("variance σ²") }, { -5, 0.05 }, { 5, 10 } },
  { "poisson", N_("Poisson"), { N_("rate λ") }, { 0.1 }, { 30 } },
  { "exponential", N_("Exponential"), { N_("rate λ") }, { 0.1 }, { 10 } },
  { "bernoulli", N_("Bernoulli"), { N_("probability p") }, { 0.01 }, { 0.99 } },
  /* Translators: μ and σ² of log x, not of x */
  { "lognormal", N_("Log-normal"), { N_("μ of log x"), N_("σ² of log x") },
    { -2, 0.05 }, { 2, 2 } },
  { "beta", N_("Beta"), { N_("shape a"), N_("shape b") }, { 0.2, 0.2 }, { 10, 10 } },
};

G_DEFINE_FINAL_TYPE (ViExpfamPage, vi_expfam_page, VI_TYPE_MODEL_PAGE)

static gboolean
updating (ViExpfamPage *self)
{
  return vi_model_page_is_updating (VI_MODEL_PAGE (self));
}

static guint64
get_n (ViExpfamPage *self)
{
  double v = pow (10, gtk_adjustment_get_value (self->n_adjustment));
  double mag = pow (10, floor (log10 (v)) - 1);

  /* Two significant digits: 20000, 25000, … */
  return (guint64) (round (v / mag) * mag);
}

/* ---- plots (drawn by the expfam views) ---------------------------------- */

static guint
get_coordinate (ViExpfamPage *self)
{
  guint k = adw_combo_row_get_selected (self->coordinate_row);

  return k < vi_expfam_get_dim (self->fam) ? k : 0;
}

/* The closed forms of the current settings, made again when they change. */
static const ViExpfamSnapshot *
get_preview (ViExpfamPage *self)
{
  ViExpfamSnapshot *p = self->preview;
  size_t d = vi_expfam_get_dim (self->fam);

  if (p == NULL || p->fam != self->fam || p->n_total != MAX (get_n (self), 2)
      || memcmp (p->theta, self->theta, d * sizeof (double)) != 0)
    {
      g_clear_pointer (&self->preview, vi_expfam_snapshot_free);
      self->preview = vi_expfam_view_preview (self->fam, self->theta, get_n (self));
    }
  return self->preview;
}

/* What the plots show: the closed forms of the current settings, with the
 * draws and the Monte-Carlo trace of the live run when it is of the same
 * family. Borrows the run's arrays. */
static void
get_display (ViExpfamPage     *self,
             ViExpfamSnapshot *out)
{
  const ViExpfamSnapshot *preview = get_preview (self);
  const ViExpfamSnapshot *snap = vi_expfam_page_live (self);

  if (snap == NULL || snap->fam != self->fam)
    {
      *out = *preview;
      return;
    }
  *out = *snap;
  memcpy (out->theta, preview->theta, sizeof preview->theta);
  memcpy (out->eta, preview->eta, sizeof preview->eta);
  memcpy (out->mean_t, preview->mean_t, sizeof preview->mean_t);
  memcpy (out->fisher_eta, preview->fisher_eta, sizeof preview->fisher_eta);
  memcpy (out->fisher_theta, preview->fisher_theta, sizeof preview->fisher_theta);
  out->n_total = preview->n_total;
}

/* Builds @plot's figure with the page's view context, and sets @help to
 * what @explain says it shows. */
static void
rebuild_plot (ViExpfamPage           *self,
              ViPlotView             *plot,
              ViModelPageBuildFunc    build,
              GtkLabel               *help,
              ViModelPageExplainFunc  explain)
{
  ViExpfamSnapshot display;

  get_display (self, &display);
  vi_model_page_build_plot (VI_MODEL_PAGE (self), plot, build, &display);
  vi_model_page_explain_plot (VI_MODEL_PAGE (self), plot, help, explain, &display);
}

static void
setup_view (ViModelPage   *page,
            ViViewContext *ctx)
{
  ctx->coordinate = get_coordinate (VI_EXPFAM_PAGE (page));
}

/* The page's plots: density, log-partition, Fisher information. */
enum { DENSITY, LOG_PARTITION, FISHER };

static const struct
{
  ViModelPageBuildFunc build;
  ViModelPageExplainFunc explain;
} views[] = {
  [DENSITY] = { (ViModelPageBuildFunc) vi_expfam_density_view_build,
                (ViModelPageExplainFunc) vi_expfam_density_view_explain },
  [LOG_PARTITION] = { (ViModelPageBuildFunc) vi_expfam_logpartition_view_build,
                      (ViModelPageExplainFunc) vi_expfam_logpartition_view_explain },
  [FISHER] = { (ViModelPageBuildFunc) vi_expfam_fisher_view_build,
               (ViModelPageExplainFunc) vi_expfam_fisher_view_explain },
};

static void
rebuild_view (ViExpfamPage *self,
              guint         which)
{
  ViPlotView *plots[] = { self->density_plot, self->lp_plot, self->fisher_plot };
  GtkLabel *helps[] = { self->density_help, self->lp_help, self->fisher_help };

  rebuild_plot (self, plots[which], views[which].build, helps[which], views[which].explain);
}

static void
rebuild_fisher (ViExpfamPage *self)
{
  rebuild_view (self, FISHER);
}

static void
rebuild_all (ViExpfamPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    rebuild_view (self, i);
  vi_expfam_page_update_fisher_table (self);
}

/* ---- controls ----------------------------------------------------------- */

static void
set_error (ViExpfamPage *self,
           guint         index,
           const char   *message)
{
  self->invalid[index] = message != NULL;
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->param_spin[index]), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->param_spin[index]), "error");
  /* The label keeps the last message while either parameter is refused. */
  if (message != NULL || (!self->invalid[0] && !self->invalid[1]))
    vi_model_page_set_error (VI_MODEL_PAGE (self), message);
}

static void
sync_scale (ViExpfamPage *self,
            guint         i)
{
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (self->param_scale[i]));

  vi_model_page_begin_update (VI_MODEL_PAGE (self));
  gtk_adjustment_set_value (adj, CLAMP (self->theta[i], self->ui->min[i], self->ui->max[i]));
  vi_model_page_end_update (VI_MODEL_PAGE (self));
}

static void
params_changed (ViExpfamPage *self)
{
  vi_model_page_relabel_history (VI_MODEL_PAGE (self));
  rebuild_all (self);
  vi_page_settings_changed (VI_PAGE (self));
}

static gboolean
try_param (ViExpfamPage *self,
           guint         index,
           double        value)
{
  double theta[VI_EXPFAM_MAX_DIM] = { self->theta[0], self->theta[1] };
  g_autoptr(GError) error = NULL;

  theta[index] = value;
  if (!vi_expfam_check_params (self->fam, theta, &error))
    {
      set_error (self, index, error->message);
      return FALSE;
    }
  set_error (self, index, NULL);
  if (theta[index] == self->theta[index])
    return TRUE;
  self->theta[index] = theta[index];
  sync_scale (self, index);
  params_changed (self);
  return TRUE;
}

static void
spin_changed_cb (GtkSpinButton *spin,
                 ViExpfamPage  *self)
{
  guint i = spin == self->param_spin[0] ? 0 : 1;

  if (updating (self))
    return;
  try_param (self, i, gtk_spin_button_get_value (spin));
}

static void
scale_changed_cb (GtkRange     *range,
                  ViExpfamPage *self)
{
  guint i = range == GTK_RANGE (self->param_scale[0]) ? 0 : 1;

  if (updating (self))
    return;
  /* The spin button is the single source: setting it validates and applies. */
  gtk_spin_button_set_value (self->param_spin[i], gtk_range_get_value (range));
}

static void
set_family (ViExpfamPage   *self,
            const FamilyUi *ui,
            const double   *theta)
{
  size_t d;

  self->ui = ui;
  self->fam = vi_expfam_lookup (ui->name);
  d = vi_expfam_get_dim (self->fam);
  if (theta != NULL)
    memcpy (self->theta, theta, d * sizeof (double));
  else
    vi_expfam_get_default_params (self->fam, self->theta);

  vi_model_page_begin_update (VI_MODEL_PAGE (self));
  for (guint i = 0; i < VI_EXPFAM_MAX_DIM; i++)
    {
      gboolean used = i < d;
      GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (self->param_scale[i]));

      gtk_widget_set_visible (GTK_WIDGET (self->param_row[i]), used);
      self->invalid[i] = FALSE;
      gtk_widget_remove_css_class (GTK_WIDGET (self->param_spin[i]), "error");
      if (!used)
        continue;
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->param_row[i]), _(ui->labels[i]));
      gtk_adjustment_configure (adj, CLAMP (self->theta[i], ui->min[i], ui->max[i]),
                                ui->min[i], ui->max[i], (ui->max[i] - ui->min[i]) / 200,
                                (ui->max[i] - ui->min[i]) / 10, 0);
      gtk_spin_button_set_increments (self->param_spin[i], (ui->max[i] - ui->min[i]) / 100,
                                      (ui->max[i] - ui->min[i]) / 10);
      gtk_spin_button_set_value (self->param_spin[i], self->theta[i]);
    }
  vi_model_page_set_error (VI_MODEL_PAGE (self), NULL);
  gtk_widget_set_visible (self->coordinate_group, d > 1);
  if (adw_combo_row_get_selected (self->family_row) != (guint) (ui - families))
    adw_combo_row_set_selected (self->family_row, (guint) (ui - families));
  if (get_coordinate (self) != adw_combo_row_get_selected (self->coordinate_row))
    adw_combo_row_set_selected (self->coordinate_row, 0);
  vi_model_page_end_update (VI_MODEL_PAGE (self));

  /* Labels of the Fisher table follow the family's dimension. */
  for (guint r = 1; r < 4; r++)
    for (guint c = 1; c < 3; c++)
      gtk_label_set_label (self->fisher_cells[r][c], "");
  vi_plot_view_figure_changed (self->density_plot);
}

static void
family_changed_cb (ViExpfamPage *self)
{
  guint sel = adw_combo_row_get_selected (self->family_row);

  if (updating (self) || sel >= G_N_ELEMENTS (families) || &families[sel] == self->ui)
    return;
  set_family (self, &families[sel], NULL);
  vi_model_page_clear_snapshot (VI_MODEL_PAGE (self));
  params_changed (self);
}

/* The number of draws or the seed changed. */
static void
draws_changed_cb (ViExpfamPage *self)
{
  if (updating (self))
    return;
  vi_model_page_relabel_history (VI_MODEL_PAGE (self));
  rebuild_all (self);
  vi_page_settings_changed (VI_PAGE (self));
}

static void
coordinate_changed_cb (ViExpfamPage *self)
{
  if (updating (self))
    return;
  rebuild_view (self, LOG_PARTITION);
}

static void
resample_cb (ViExpfamPage *self)
{
  vi_model_page_begin_update (VI_MODEL_PAGE (self));
  gtk_spin_button_set_value (self->seed_spin, gtk_spin_button_get_value (self->seed_spin) + 1);
  vi_model_page_end_update (VI_MODEL_PAGE (self));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.restart", NULL);
}

static char *
format_n (GtkScale *scale,
          double    value,
          gpointer  user_data)
{
  ViExpfamPage *self = user_data;
  guint64 n = get_n (self);

  return g_strdup_printf ("%" G_GUINT64_FORMAT, n);
}

/* ---- ViModelPage --------------------------------------------------------- */

static gboolean
add_settings (ViModelPage     *page,
              GVariantBuilder *b,
              GError         **error)
{
  ViExpfamPage *self = VI_EXPFAM_PAGE (page);
  const char *const *names = vi_expfam_get_param_names (self->fam);
  guint64 n = get_n (self);

  g_variant_builder_add (b, "{sv}", "family", g_variant_new_string (self->ui->name));
  for (guint i = 0; i < vi_expfam_get_dim (self->fam); i++)
    g_variant_builder_add (b, "{sv}", names[i], g_variant_new_double (self->theta[i]));
  g_variant_builder_add (b, "{sv}", "n", g_variant_new_int64 ((gint64) n));
  g_variant_builder_add (b, "{sv}", "batch",
                         g_variant_new_int64 ((gint64) vi_expfam_view_batch (n)));
  g_variant_builder_add (b, "{sv}", "coordinate",
                         g_variant_new_int64 (adw_combo_row_get_selected (self->coordinate_row)));
  return TRUE;
}

/* The family and parameters of @settings (defaults for missing ones). */
static gboolean
parse_family (GVariant        *settings,
              const FamilyUi **ui,
              double          *theta,
              GError         **error)
{
  const char *family = "gamma";
  const char *const *names;
  const ViExpfam *fam;

  *ui = NULL;
  g_variant_lookup (settings, "family", "&s", &family);
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    if (g_strcmp0 (families[i].name, family) == 0)
      *ui = &families[i];
  fam = vi_expfam_lookup_checked (family, error);
  if (fam == NULL || *ui == NULL)
    return FALSE;
  names = vi_expfam_get_param_names (fam);
  vi_expfam_get_default_params (fam, theta);
  for (guint i = 0; i < vi_expfam_get_dim (fam); i++)
    vi_settings_lookup_number (settings, names[i], &theta[i]);
  return vi_expfam_check_params (fam, theta, error);
}

static gboolean
check_settings (ViModelPage  *page,
                GVariant     *settings,
                GError      **error)
{
  const FamilyUi *ui;
  double theta[VI_EXPFAM_MAX_DIM];

  return parse_family (settings, &ui, theta, error);
}

static void
apply_settings (ViModelPage *page,
                GVariant    *settings)
{
  ViExpfamPage *self = VI_EXPFAM_PAGE (page);
  const FamilyUi *ui;
  double theta[VI_EXPFAM_MAX_DIM], v;

  if (!parse_family (settings, &ui, theta, NULL))
    g_assert_not_reached ();
  set_family (self, ui, theta);
  vi_model_page_begin_update (page);
  if (vi_settings_lookup_number (settings, "n", &v) && v >= 2)
    gtk_adjustment_set_value (self->n_adjustment, log10 (v));
  if (vi_settings_lookup_number (settings, "coordinate", &v) && v >= 0
      && v < vi_expfam_get_dim (self->fam))
    adw_combo_row_set_selected (self->coordinate_row, (guint) v);
  vi_model_page_end_update (page);
  vi_model_page_clear_snapshot (page);
  params_changed (self);
}

static void
snapshot_shown (ViModelPage *page)
{
  ViExpfamPage *self = VI_EXPFAM_PAGE (page);
  const ViExpfamSnapshot *snap = vi_expfam_page_live (self);

  rebuild_view (self, DENSITY);
  rebuild_view (self, FISHER);
  vi_expfam_page_fisher_table_changed (self, snap == NULL || snap->n_drawn >= snap->n_total);
}

static gboolean
snapshot_keepable (gconstpointer snapshot)
{
  return ((const ViExpfamSnapshot *) snapshot)->n_drawn > 0;
}

static void
rebuild_all_cb (ViModelPage *page)
{
  rebuild_all (VI_EXPFAM_PAGE (page));
}

/* ---- object ------------------------------------------------------------- */

static void
vi_expfam_page_dispose (GObject *object)
{
  ViExpfamPage *self = VI_EXPFAM_PAGE (object);

  g_clear_handle_id (&self->table_id, g_source_remove);
  G_OBJECT_CLASS (vi_expfam_page_parent_class)->dispose (object);
}

static void
vi_expfam_page_finalize (GObject *object)
{
  ViExpfamPage *self = VI_EXPFAM_PAGE (object);

  g_clear_pointer (&self->preview, vi_expfam_snapshot_free);
  G_OBJECT_CLASS (vi_expfam_page_parent_class)->finalize (object);
}

#define CHILD(member) VI_TEMPLATE_CHILD (ViExpfamPage, member)
#define CHILD_AS(id, member) VI_TEMPLATE_CHILD_AS (ViExpfamPage, id, member)

static const ViTemplateChild children[] = {
  CHILD (controls_flap), CHILD (family_row), CHILD (n_scale),
  CHILD (n_adjustment), CHILD (seed_spin), CHILD (resample_button), CHILD (coordinate_group),
  CHILD (coordinate_row), CHILD (fisher_grid), CHILD (density_plot), CHILD (lp_plot),
  CHILD (fisher_plot), CHILD (density_help), CHILD (lp_help), CHILD (fisher_help),
  CHILD_AS ("param0_row", param_row[0]),
  CHILD_AS ("param1_row", param_row[1]), CHILD_AS ("param0_scale", param_scale[0]),
  CHILD_AS ("param1_scale", param_scale[1]), CHILD_AS ("param0_spin", param_spin[0]),
  CHILD_AS ("param1_spin", param_spin[1])
};


static void
vi_expfam_page_class_init (ViExpfamPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ViModelPageClass *page_class = VI_MODEL_PAGE_CLASS (klass);

  object_class->dispose = vi_expfam_page_dispose;
  object_class->finalize = vi_expfam_page_finalize;
  vi_model_page_class_setup (page_class, &vi_expfam_job_type,
                             "/io/github/elbolab/ElboLab/ui/vi-expfam-page.ui", "error_label",
                             children, G_N_ELEMENTS (children));
  /* Translators: relative error of the Monte-Carlo Fisher estimate */
  page_class->objective_name = _("Fisher error");
  page_class->explorer = TRUE;
  page_class->snapshot_keepable = snapshot_keepable;
  page_class->add_settings = add_settings;
  page_class->check_settings = check_settings;
  page_class->apply_settings = apply_settings;
  page_class->rebuild = rebuild_all_cb;
  page_class->snapshot_shown = snapshot_shown;
  page_class->setup_view = setup_view;
}

static void
vi_expfam_page_init (ViExpfamPage *self)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  ViFigure *fig;

  gtk_widget_init_template (GTK_WIDGET (self));
  {
    ViBinding bindings[] = {
      { "seed", GTK_WIDGET (self->seed_spin), VI_BINDING_INT, NULL },
    };
    static const char *const skip[] = { "batch", "coordinate", NULL };

    vi_model_page_set_bindings (VI_MODEL_PAGE (self), bindings, G_N_ELEMENTS (bindings));
    vi_model_page_set_label_skip (VI_MODEL_PAGE (self), skip);
  }
  vi_model_page_set_controls (VI_MODEL_PAGE (self), GTK_WIDGET (self->controls_flap));
  vi_model_page_add_plot (VI_MODEL_PAGE (self), self->density_plot);
  vi_model_page_add_plot (VI_MODEL_PAGE (self), self->lp_plot);
  vi_model_page_add_plot (VI_MODEL_PAGE (self), self->fisher_plot);

  /* The family row lists the table's choices, in the page's order. */
  g_warn_if_fail (g_strv_length ((char **) vi_expfam_list_names ()) == G_N_ELEMENTS (families));
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      g_warn_if_fail (g_strv_contains (vi_expfam_list_names (), families[i].name));
      gtk_string_list_append (model, _(families[i].title));
    }
  adw_combo_row_set_model (self->family_row, G_LIST_MODEL (model));

  vi_expfam_page_init_fisher_table (self);

  fig = vi_figure_create (1, 1);
  vi_plot_view_set_figure (self->density_plot, fig);
  fig = vi_figure_create (1, 1);
  vi_plot_view_set_figure (self->lp_plot, fig);
  fig = vi_figure_create (1, 1);
  vi_plot_view_set_figure (self->fisher_plot, fig);
  vi_plot_view_set_smoothable (self->fisher_plot, TRUE);

  /* The number of draws on a log scale over the table's range. */
  {
    const ViParamSpec *spec = vi_params_lookup (vi_expfam_job_type.params, "n", NULL);
    g_autofree char *tip = vi_params_spec_describe (spec);

    gtk_adjustment_set_lower (self->n_adjustment, log10 ((double) spec->imin));
    gtk_adjustment_set_upper (self->n_adjustment, log10 ((double) spec->imax));
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->n_scale), tip);
  }
  gtk_scale_set_format_value_func (self->n_scale, format_n, self, NULL);
  set_family (self, &families[0], NULL);
  rebuild_all (self);

  g_signal_connect (self->param_spin[0], "value-changed", G_CALLBACK (spin_changed_cb), self);
  g_signal_connect (self->param_spin[1], "value-changed", G_CALLBACK (spin_changed_cb), self);
  g_signal_connect (self->param_scale[0], "value-changed", G_CALLBACK (scale_changed_cb), self);
  g_signal_connect (self->param_scale[1], "value-changed", G_CALLBACK (scale_changed_cb), self);
  g_signal_connect_swapped (self->family_row, "notify::selected",
                            G_CALLBACK (family_changed_cb), self);
  g_signal_connect_swapped (self->n_adjustment, "value-changed",
                            G_CALLBACK (draws_changed_cb), self);
  g_signal_connect_swapped (self->seed_spin, "value-changed", G_CALLBACK (draws_changed_cb), self);
  g_signal_connect_swapped (self->coordinate_row, "notify::selected",
                            G_CALLBACK (coordinate_changed_cb), self);
  g_signal_connect_swapped (self->resample_button, "clicked", G_CALLBACK (resample_cb), self);
  g_signal_connect_swapped (self->fisher_plot, "notify::smoothing",
                            G_CALLBACK (rebuild_fisher), self);
}

gboolean
vi_expfam_page_set_param (ViExpfamPage *self,
                          guint         index,
                          double        value)
{
  g_return_val_if_fail (VI_IS_EXPFAM_PAGE (self), FALSE);
  g_return_val_if_fail (index < vi_expfam_get_dim (self->fam), FALSE);
  vi_model_page_begin_update (VI_MODEL_PAGE (self));
  gtk_spin_button_set_value (self->param_spin[index], value);
  vi_model_page_end_update (VI_MODEL_PAGE (self));
  return try_param (self, index, value);
}

const char *
vi_expfam_page_get_error_text (ViExpfamPage *self)
{
  g_return_val_if_fail (VI_IS_EXPFAM_PAGE (self), NULL);
  return vi_model_page_get_error (VI_MODEL_PAGE (self));
}
