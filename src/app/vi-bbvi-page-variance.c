/* vi-bbvi-page-variance.c — the bbvi page's gradient-variance measurement:
 * a "variance" bbvi job beside the window's run, remade (debounced, while
 * the page is on screen) when the model, data or S change, and its plots
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "vi-bbvi-page-private.h"
#include "vi-bbvi-views.h"

#define VARIANCE_REPEATS 1000
/* Larger S would make the measurement slow; the ratio bars then use the
 * largest measured S. */
#define VARIANCE_MAX_S 2000

static const gint64 sweep_s[] = { 2, 5, 10, 20, 50, 100, 200, 500, 1000 };

static gint64
spin_int (GtkSpinButton *spin)
{
  return (gint64) llround (gtk_spin_button_get_value (spin));
}

/* The page's family (the one measured next). */
static const ViBbviFamily *
page_family (ViBbviPage *self)
{
  return vi_bbvi_family_lookup (vi_model_page_get_choice (VI_MODEL_PAGE (self), "family"));
}

/* The settings the variance measurement depends on (with "samples": its
 * key), or NULL while the page refuses its settings. */
static GVariant *
dup_model_settings (ViBbviPage *self,
                    gboolean    with_samples)
{
  static const char *const keys[] = { "alpha", "beta", "family", "counts-file", "synthetic-n",
                                      "true-rate", "seed", "data-seed", "samples", NULL };
  g_autoptr(GVariant) all = vi_page_dup_settings (VI_PAGE (self), NULL);
  GVariantDict d;

  if (all == NULL)
    return NULL;
  g_variant_dict_init (&d, NULL);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) v = g_variant_lookup_value (all, keys[i], NULL);

      if (v != NULL && (with_samples || !g_str_equal (keys[i], "samples")))
        g_variant_dict_insert_value (&d, keys[i], v);
    }
  return g_variant_ref_sink (g_variant_dict_end (&d));
}

/* One panel per coordinate of the measured family: a new figure when that
 * number changes, keeping the empty-plot hint. */
static void
ensure_panels (ViBbviPage *self,
               ViPlotView *plot,
               gboolean    rows)
{
  guint n = vi_bbvi_variance_view_cols (self->variance);
  ViFigure *old = vi_plot_view_get_figure (plot), *fig;
  g_autofree char *hint = NULL;

  if (old != NULL && vi_figure_get_n_rows (old) == (rows ? n : 1)
      && vi_figure_get_n_cols (old) == (rows ? 1 : n))
    return;
  if (old != NULL)
    hint = g_strdup (vi_panel_get_empty_message (vi_figure_get_panel (old, 0, 0)));
  fig = rows ? vi_figure_create (n, 1) : vi_figure_create (1, n);
  for (guint i = 0; i < n; i++)
    vi_panel_set_empty_message (vi_figure_get_panel (fig, rows ? i : 0, rows ? 0 : i), hint);
  vi_plot_view_set_figure (plot, fig);
}

static void
rebuild_variance (ViBbviPage *self)
{
  ensure_panels (self, self->variance_plot, FALSE);
  BUILD (self->variance_plot, vi_bbvi_variance_view_build, self->variance);
}

void
vi_bbvi_page_rebuild_ratio (ViBbviPage *self)
{
  ensure_panels (self, self->ratio_plot, TRUE);
  BUILD (self->ratio_plot, vi_bbvi_ratio_view_build, self->variance);
}

static const ViBbviVariancePoint *
ratio_point (ViBbviPage *self)
{
  return vi_bbvi_ratio_view_point (self->variance, gtk_spin_button_get_value (self->samples_spin));
}

/* "θ = 0.26" or "shape = 2, rate = 1": where @p was measured. */
static char *
describe_point (const ViBbviSnapshot      *v,
                const ViBbviVariancePoint *p)
{
  const char *const *names = vi_bbvi_family_get_param_names (v->family);
  GString *s = g_string_new (NULL);

  if (v->dim <= 1)
    g_string_append_printf (s, "θ = %.4g", p->theta);
  for (size_t d = 0; v->dim > 1 && d < v->dim; d++)
    g_string_append_printf (s, "%s%s = %.4g", d ? ", " : "", names[d], p->params[d]);
  return g_string_free (s, FALSE);
}

/* Measured and exact ratio of naive's variance to @e's, coordinate d. */
static void
ratios (const ViBbviVariancePoint *p,
        ViBbviEstimator            e,
        size_t                     d,
        double                    *measured,
        double                    *exact)
{
  const ViBbviVarianceStat *nv = &p->est[VI_BBVI_NAIVE], *st = &p->est[e];

  *measured = vi_bbvi_variance_coord (nv, d, FALSE) / vi_bbvi_variance_coord (st, d, FALSE);
  *exact = vi_bbvi_variance_coord (nv, d, TRUE) / vi_bbvi_variance_coord (st, d, TRUE);
}

static void
update_measure_label (ViBbviPage *self)
{
  const ViBbviVariancePoint *p = ratio_point (self);
  const ViBbviSnapshot *v = self->variance;
  g_autofree char *text = NULL;

  if (vi_model_page_is_running_job (VI_MODEL_PAGE (self)))
    text = g_strdup (_("Measuring…"));
  else if (p == NULL || !vi_bbvi_variance_stat_ok (&p->est[VI_BBVI_NAIVE], TRUE))
    text = g_strdup (_("Not measured yet."));
  else if (v->dim <= 1)
    {
      double cm, ce, rm, re;

      ratios (p, VI_BBVI_CV, 0, &cm, &ce);
      ratios (p, VI_BBVI_REPARAM, 0, &rm, &re);
      /* Translators: measured ratios of gradient variances, exact in brackets */
      text = g_strdup_printf (_("At θ = %.4g%s, S = %zu: naive/cv %.2f× (exact %.2f×), "
                                "naive/reparam %.2f× (exact %.2f×); %.2f s%s"),
                              p->theta, self->variance_at_opt ? " (θ*)" : "", p->samples,
                              cm, ce, rm, re, self->variance_seconds,
                              self->variance_stale ? _(" — settings changed since") : "");
    }
  else
    {
      g_autofree char *where = describe_point (v, p);
      GString *s = g_string_new (NULL);

      /* Translators: %s is where ("shape = 2, rate = 1"), %zu is S */
      g_string_append_printf (s, _("At %s, S = %zu:"), where, p->samples);
      for (size_t d = 0; d < v->dim; d++)
        {
          double cm, ce, rm, re;

          ratios (p, VI_BBVI_CV, d, &cm, &ce);
          ratios (p, VI_BBVI_REPARAM, d, &rm, &re);
          /* Translators: a parameter name, then measured ratios of gradient
           * variances with the exact ones in brackets */
          g_string_append_printf (s, _(" %s: naive/cv %.2f× (exact %.2f×), naive/reparam "
                                       "%.2f× (exact %.2f×);"),
                                  vi_bbvi_family_get_param_names (v->family)[d], cm, ce, rm, re);
        }
      g_string_append_printf (s, " %.2f s%s", self->variance_seconds,
                              self->variance_stale ? _(" — settings changed since") : "");
      text = g_string_free (s, FALSE);
    }
  gtk_label_set_label (self->measure_label, text);
}

/* The data the measurement used, from the settings it was made for. */
static char *
describe_data (ViBbviPage *self)
{
  const ViBbviSnapshot *v = self->variance;
  const char *file = NULL;
  double rate = NAN;
  g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, v->n);

  if (self->variance_key != NULL
      && g_variant_lookup (self->variance_key, "counts-file", "&s", &file))
    {
      g_autofree char *base = g_path_get_basename (file);

      /* Translators: N counts read from the file %s, and their sum */
      return g_strdup_printf (_("%s counts from %s (Σx = %g)"), n, base, v->sum_x);
    }
  if (self->variance_key != NULL)
    g_variant_lookup (self->variance_key, "true-rate", "d", &rate);
  /* Translators: N synthetic counts drawn at a Poisson rate, and their sum */
  return g_strdup_printf (_("%s synthetic counts at rate %g (Σx = %g)"), n, rate, v->sum_x);
}

/* "What am I seeing?" of the variance plot: what was measured, from the
 * measurement itself. */
static void
update_explanation (ViBbviPage *self)
{
  const ViBbviSnapshot *v = self->variance;
  const ViBbviVariancePoint *p = ratio_point (self);
  const char *const *names;
  g_autofree char *where = NULL, *data = NULL, *coords = NULL;
  GString *s;

  if (v == NULL || p == NULL)
    {
      gtk_label_set_label (self->variance_explain_label,
                           _("Not measured yet. Press Measure, or Run while this tab is shown, "
                             "to measure the variance of each gradient estimator for the "
                             "page's family and data."));
      return;
    }
  names = vi_bbvi_family_get_param_names (v->family);
  where = describe_point (v, p);
  data = describe_data (self);
  coords = g_strjoinv (", ", (char **) names);
  s = g_string_new (NULL);
  /* Translators: family name, point ("shape = 2, rate = 1"), which point
   * that is, the data, R, the smallest and largest S */
  g_string_append_printf (s, _("Measured: the %s family at %s (%s), on %s; R = %zu repeats of "
                               "each S-sample estimate, S = %zu … %zu. "),
                          vi_bbvi_family_get_name (v->family), where,
                          !self->variance_at_opt ? _("the first run's current parameters")
                          : v->dim <= 1 ? _("θ*, the best in the family")
                          : _("the runs' starting point"), data, p->repeats,
                          v->points[0].samples, v->points[v->n_points - 1].samples);
  /* Translators: %s lists the family's parameters */
  g_string_append_printf (s, _("One panel per coordinate of the gradient (%s): the variance of "
                               "the S-sample estimate against S on log-log axes. Dots: measured "
                               "from the R repeats (each estimator on its own random stream). "
                               "Lines: the exact variance, a one-dimensional integral over "
                               "λ ~ q divided by S, so each is a straight line of slope −1."),
                          coords);
  for (size_t d = 0; d < MAX (v->dim, 1); d++)
    {
      const ViBbviVarianceStat *est = p->est;
      /* Translators: S, a parameter name, then variances: measured (exact) */
      g_string_append_printf (s, _(" At S = %zu, ∂ELBO/∂%s: naive %.3g (exact %.3g), cv %.3g "
                                   "(optimal â %.3g, measured/optimal %.2f), reparam %.3g "
                                   "(exact %.3g), cv-suff %.2g."),
                              p->samples, names[d],
                              vi_bbvi_variance_coord (&est[VI_BBVI_NAIVE], d, FALSE),
                              vi_bbvi_variance_coord (&est[VI_BBVI_NAIVE], d, TRUE),
                              vi_bbvi_variance_coord (&est[VI_BBVI_CV], d, FALSE),
                              vi_bbvi_variance_coord (&est[VI_BBVI_CV], d, TRUE),
                              vi_bbvi_variance_coord (&est[VI_BBVI_CV], d, FALSE)
                              / vi_bbvi_variance_coord (&est[VI_BBVI_CV], d, TRUE),
                              vi_bbvi_variance_coord (&est[VI_BBVI_REPARAM], d, FALSE),
                              vi_bbvi_variance_coord (&est[VI_BBVI_REPARAM], d, TRUE),
                              vi_bbvi_variance_coord (&est[VI_BBVI_CV_SUFF], d, FALSE));
    }
  g_string_append_c (s, ' ');
  if (v->family == vi_bbvi_family_lookup ("lognormal"))
    g_string_append (s, _("For the LogNormal family log p − log q has a (log λ)² term, so "
                          "cv-suff is not exact: its leave-one-out fit of three coefficients "
                          "costs extra variance at small S, above its exact line."));
  else
    g_string_append (s, _("cv-suff is exact up to rounding for this family, since log p − "
                          "log q is linear in (1, log λ, λ): a note below the axis, not a "
                          "line. Leave-one-out cv is slightly above its optimal-â line at "
                          "small S."));
  if (self->variance_stale)
    g_string_append (s, _(" The settings changed since: press Measure to measure again."));
  gtk_label_set_label (self->variance_explain_label, s->str);
  g_string_free (s, TRUE);
}

/* "Why …?" beside the ratios, for the family shown (the template's text is
 * the exponential's). */
static void
update_why (ViBbviPage *self)
{
  const ViBbviFamily *family = self->variance != NULL ? self->variance->family
                                                      : page_family (self);
  const char *exp_text = g_object_get_data (G_OBJECT (self->why_label), "vi-exponential");

  if (exp_text == NULL)
    {
      exp_text = gtk_label_get_label (self->why_label);
      g_object_set_data_full (G_OBJECT (self->why_label), "vi-exponential", g_strdup (exp_text),
                              g_free);
      exp_text = g_object_get_data (G_OBJECT (self->why_label), "vi-exponential");
    }
  if (family == vi_bbvi_family_lookup ("gamma"))
    gtk_label_set_label (self->why_label,
                         _("<b>Why do the sufficient-statistic control variates collapse the "
                           "variance?</b> For the Gamma family too, log p(x, λ) − log q(λ | a, b) "
                           "is linear in (1, log λ, λ): log q = a log b − lgamma(a) + "
                           "(a − 1) log λ − bλ. So each coordinate of f = h·(log p − log q), "
                           "with h = ∇ log q = (log b − ψ(a) + log λ, a/b − λ), is exactly a "
                           "combination of h_d, h_d·log λ and h_d·λ, whose means are known: "
                           "the fit reproduces f sample by sample and the estimate is exact up "
                           "to rounding from S = 3 on.\n\nThe scalar control variate removes "
                           "only the part of f_d proportional to h_d. At the optimum q is the "
                           "posterior, log p − log q is the constant log p(x), and even the "
                           "scalar one has variance 0 there; so the page measures at the "
                           "runs' starting point, or at the first run's parameters."));
  else if (family == vi_bbvi_family_lookup ("lognormal"))
    gtk_label_set_label (self->why_label,
                         _("<b>Why do the sufficient-statistic control variates not collapse "
                           "the variance here?</b> For the LogNormal family log q(λ) = −log λ − "
                           "½ log(2πσ²) − (log λ − μ)²/(2σ²) has a (log λ)² term, so "
                           "log p − log q is not linear in (1, log λ, λ): h_d, h_d·log λ and "
                           "h_d·λ reproduce f = h·(log p − log q) only approximately. cv-suff "
                           "still removes most of the variance, but not down to rounding, and "
                           "its leave-one-out fit of three coefficients costs extra variance "
                           "at small S."));
  else
    gtk_label_set_label (self->why_label, exp_text);
}

static void
update_group (ViBbviPage *self)
{
  g_autofree char *text = NULL;

  /* Translators: %d is R, %s the family's name */
  text = g_strdup_printf (_("R = %d repeats per S, %s family, on a worker thread"),
                          VARIANCE_REPEATS, vi_bbvi_family_get_name (page_family (self)));
  adw_preferences_group_set_description (self->measure_group, text);
}

void
vi_bbvi_page_rebuild_variance_all (ViBbviPage *self)
{
  rebuild_variance (self);
  vi_bbvi_page_rebuild_ratio (self);
  update_measure_label (self);
  update_explanation (self);
  update_why (self);
  update_group (self);
}

/* ---- variance measurement (a job off the UI thread) -------------------- */

static void
measure_done (ViModelPage  *page,
              gpointer      snapshot,
              double        seconds,
              const GError *error)
{
  ViBbviPage *self = VI_BBVI_PAGE (page);

  gtk_spinner_stop (self->measure_spinner);
  if (snapshot == NULL)
    {
      /* Translators: %s is the core's message */
      g_autofree char *msg = g_strdup_printf (_("Variance measurement failed: %s"),
                                              error->message);
      vi_bbvi_page_rebuild_variance_all (self);
      gtk_label_set_label (self->measure_label, msg);
      return;
    }
  g_clear_pointer (&self->variance, vi_bbvi_snapshot_free);
  self->variance = snapshot;
  self->variance_seconds = seconds;
  self->variance_at_opt = self->measuring_at_opt;
  g_clear_pointer (&self->variance_key, g_variant_unref);
  self->variance_key = g_steal_pointer (&self->measuring_key);
  self->variance_stale = FALSE;
  vi_bbvi_page_rebuild_variance_all (self);
}

void
vi_bbvi_page_cancel_measure (ViBbviPage *self)
{
  vi_model_page_cancel_job (VI_MODEL_PAGE (self));
  g_clear_handle_id (&self->measure_timeout, g_source_remove);
  gtk_spinner_stop (self->measure_spinner);
}

/* The S values of the sweep: the fixed grid and the page's S. */
static GVariant *
sweep_samples (ViBbviPage *self)
{
  g_autoptr(GArray) s_list = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 page_s = spin_int (self->samples_spin);
  gboolean have = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (sweep_s); i++)
    {
      if (!have && page_s < sweep_s[i] && page_s <= VARIANCE_MAX_S)
        g_array_append_val (s_list, page_s);
      have |= page_s <= sweep_s[i];
      g_array_append_val (s_list, sweep_s[i]);
    }
  if (!have && page_s <= VARIANCE_MAX_S)
    g_array_append_val (s_list, page_s);
  return g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, s_list->data, s_list->len,
                                    sizeof (gint64));
}

void
vi_bbvi_page_measure_variance (ViBbviPage *self)
{
  const ViBbviSnapshot *snap;
  g_autoptr(GVariant) model = NULL;
  GVariantDict d;

  g_return_if_fail (VI_IS_BBVI_PAGE (self));
  vi_bbvi_page_cancel_measure (self);
  if (error_text (self) != NULL)
    {
      gtk_label_set_label (self->measure_label, error_text (self));
      return;
    }
  snap = live (self);
  g_clear_pointer (&self->measuring_key, g_variant_unref);
  self->measuring_key = dup_model_settings (self, TRUE);
  model = dup_model_settings (self, FALSE);
  g_variant_dict_init (&d, model);
  g_variant_dict_insert (&d, "mode", "s", "variance");
  g_variant_dict_insert (&d, "repeats", "x", (gint64) VARIANCE_REPEATS);
  g_variant_dict_insert_value (&d, "sweep-samples", sweep_samples (self));
  /* At the first run's parameters when it is of the page's family; else the
   * job's default point (θ*, or the runs' starting point). */
  self->measuring_at_opt = !(snap != NULL && snap->family == page_family (self)
                             && snap->n_traces > 0 && snap->iteration > 0);
  if (!self->measuring_at_opt)
    g_variant_dict_insert_value (&d, "at-params",
                                 g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE,
                                                            snap->traces[0].current, snap->dim,
                                                            sizeof (double)));
  vi_model_page_run_job (VI_MODEL_PAGE (self), &vi_bbvi_job_type, g_variant_dict_end (&d),
                         measure_done);
  gtk_spinner_start (self->measure_spinner);
  vi_bbvi_page_rebuild_variance_all (self);
}

gboolean
vi_bbvi_page_is_measuring (ViBbviPage *self)
{
  g_return_val_if_fail (VI_IS_BBVI_PAGE (self), FALSE);
  return vi_model_page_is_running_job (VI_MODEL_PAGE (self));
}

const ViBbviSnapshot *
vi_bbvi_page_get_variance (ViBbviPage *self)
{
  g_return_val_if_fail (VI_IS_BBVI_PAGE (self), NULL);
  return self->variance;
}

static gboolean
measure_timeout_cb (gpointer data)
{
  ViBbviPage *self = data;

  self->measure_timeout = 0;
  vi_bbvi_page_measure_variance (self);
  return G_SOURCE_REMOVE;
}

/* Measures again (debounced) when the model, data or S changed since the
 * last measurement, but only while the page is on screen. */
void
vi_bbvi_page_maybe_remeasure (ViBbviPage *self)
{
  g_autoptr(GVariant) key = dup_model_settings (self, TRUE);

  if (key != NULL && self->variance_key != NULL && g_variant_equal (key, self->variance_key))
    {
      self->variance_stale = FALSE;
      return;
    }
  self->variance_stale = self->variance != NULL;
  if (error_text (self) != NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  g_clear_handle_id (&self->measure_timeout, g_source_remove);
  self->measure_timeout = g_timeout_add (400, measure_timeout_cb, self);
}

gboolean
vi_bbvi_page_run_override (ViModelPage *page)
{
  ViBbviPage *self = VI_BBVI_PAGE (page);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->plot_stack), "variance") != 0)
    return FALSE;
  vi_bbvi_page_measure_variance (self);
  return TRUE;
}

void
vi_bbvi_page_map_cb (GtkWidget *widget,
        gpointer   data)
{
  ViBbviPage *self = VI_BBVI_PAGE (widget);

  if (self->variance == NULL && !vi_model_page_is_running_job (VI_MODEL_PAGE (self)))
    vi_bbvi_page_measure_variance (self);
  else
    vi_bbvi_page_maybe_remeasure (self);
}

