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

static gboolean
is_exponential (const ViBbviSnapshot *s)
{
  return s != NULL && s->family == vi_bbvi_family_lookup ("exponential");
}

/* The settings the variance measurement depends on (with "samples": its
 * key), or NULL while the page refuses its settings. */
static GVariant *
dup_model_settings (ViBbviPage *self,
                    gboolean    with_samples)
{
  static const char *const keys[] = { "alpha", "beta", "counts-file", "synthetic-n",
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

static void
rebuild_variance (ViBbviPage *self)
{
  BUILD (self->variance_plot, vi_bbvi_variance_view_build, self->variance);
}

void
vi_bbvi_page_rebuild_ratio (ViBbviPage *self)
{
  BUILD (self->ratio_plot, vi_bbvi_ratio_view_build, self->variance);
}

static const ViBbviVariancePoint *
ratio_point (ViBbviPage *self)
{
  return vi_bbvi_ratio_view_point (self->variance, gtk_spin_button_get_value (self->samples_spin));
}

static void
update_measure_label (ViBbviPage *self)
{
  const ViBbviVariancePoint *p = ratio_point (self);
  g_autofree char *text = NULL;

  if (vi_model_page_is_running_job (VI_MODEL_PAGE (self)))
    text = g_strdup (_("Measuring…"));
  else if (p == NULL || !vi_bbvi_variance_stat_ok (&p->est[VI_BBVI_NAIVE], TRUE))
    text = g_strdup (_("Not measured yet."));
  else
    {
      const ViBbviVarianceStat *nv = &p->est[VI_BBVI_NAIVE];
      const ViBbviVarianceStat *cv = &p->est[VI_BBVI_CV];
      const ViBbviVarianceStat *rp = &p->est[VI_BBVI_REPARAM];

      /* Translators: measured ratios of gradient variances, exact in brackets */
      text = g_strdup_printf (_("At θ = %.4g%s, S = %zu: naive/cv %.2f× (exact %.2f×), "
                                "naive/reparam %.2f× (exact %.2f×); %.2f s%s"),
                              p->theta, self->variance_at_opt ? " (θ*)" : "", p->samples,
                              nv->variance / cv->variance, nv->variance_exact / cv->variance_exact,
                              nv->variance / rp->variance, nv->variance_exact / rp->variance_exact,
                              self->variance_seconds,
                              self->variance_stale ? _(" — settings changed since") : "");
    }
  gtk_label_set_label (self->measure_label, text);
}

void
vi_bbvi_page_rebuild_variance_all (ViBbviPage *self)
{
  rebuild_variance (self);
  vi_bbvi_page_rebuild_ratio (self);
  update_measure_label (self);
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
  g_variant_dict_insert (&d, "family", "s", "exponential");
  g_variant_dict_insert (&d, "repeats", "x", (gint64) VARIANCE_REPEATS);
  g_variant_dict_insert_value (&d, "sweep-samples", sweep_samples (self));
  self->measuring_at_opt = !(is_exponential (snap) && snap->n_traces > 0 && snap->iteration > 0);
  if (!self->measuring_at_opt)
    g_variant_dict_insert (&d, "at", "d", snap->traces[0].current[0]);
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

