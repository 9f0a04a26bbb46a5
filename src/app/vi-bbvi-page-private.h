/* vi-bbvi-page-private.h — the bbvi page's parts, shared by its files
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vi-bbvi-page.h"
#include "vi-dataset.h"

G_BEGIN_DECLS

struct _ViBbviPage
{
  ViModelPage parent_instance;

  AdwFlap *controls_flap;
  GtkSpinButton *alpha_spin;
  GtkSpinButton *beta_spin;
  AdwComboRow *source_row;
  GtkWidget *n_row;
  GtkSpinButton *n_spin;
  GtkWidget *rate_row;
  GtkSpinButton *rate_spin;
  AdwActionRow *file_row;
  GtkButton *file_button;
  GtkSpinButton *seed_spin;
  GtkWidget *data_same_row;
  GtkSwitch *data_same_switch;
  GtkWidget *data_seed_row;
  GtkSpinButton *data_seed_spin;
  AdwComboRow *family_row;
  GtkCheckButton *est_check[VI_BBVI_N_PUBLIC_ESTIMATORS];
  GtkSpinButton *samples_spin;
  AdwComboRow *optimizer_row;
  GtkSpinButton *step_spin;
  GtkSpinButton *iterations_spin;
  GtkSpinner *measure_spinner;
  GtkButton *measure_button;
  GtkLabel *measure_label;
  AdwPreferencesGroup *measure_group;
  GtkLabel *variance_explain_label;
  GtkLabel *why_label;
  GtkStack *plot_stack;
  ViPlotView *elbo_plot;
  ViPlotView *gap_plot;
  ViPlotView *gradvar_plot;
  GtkLabel *optimize_help;
  GtkLabel *params_help;
  GtkLabel *q_help;
  GtkSwitch *estimates_switch;
  ViPlotView *params_plot;
  ViPlotView *q_plot;
  ViPlotView *variance_plot;
  ViPlotView *ratio_plot;

  char *counts_file;
  /* The counts file is loaded off the UI thread (vi-bbvi-page.c): */
  ViDataset *dataset;             /* counts_file loaded (kept in the cache) */
  char *load_error;               /* why counts_file could not be loaded */
  GCancellable *load_cancel;      /* the load in flight, or NULL */
  ViBbviSnapshot *loaded_ref;     /* that load's reference snapshot … */
  GVariant *loaded_params;        /* … made for these settings */
  ViBbviSnapshot *ref;            /* iteration-0 snapshot of the settings */
  size_t params_dim;              /* panels in params_plot */

  ViBbviSnapshot *variance;       /* last measurement, or NULL */
  GVariant *variance_key;         /* model settings it was made for */
  double variance_seconds;
  gboolean variance_at_opt;
  GVariant *measuring_key;        /* the running measurement's variance_key */
  gboolean measuring_at_opt;
  guint measure_timeout;
  gboolean variance_stale;
};

#define BUILD(plot, build, snap) \
  vi_model_page_build_plot (VI_MODEL_PAGE (self), plot, (ViModelPageBuildFunc) (build), snap)

/* Validating, loading the counts file (vi-bbvi-page-counts.c), see there. */
void vi_bbvi_page_settings_changed     (ViBbviPage *self);
void vi_bbvi_page_start_load           (ViBbviPage  *self,
                                        GVariant    *valid,
                                        void       (*loaded) (ViBbviPage *self));
void vi_bbvi_page_forget_counts        (ViBbviPage *self);

/* The live run's results, or NULL. */
static inline const ViBbviSnapshot *
live (ViBbviPage *self)
{
  return vi_model_page_get_snapshot (VI_MODEL_PAGE (self));
}

/* Why the settings are refused, or NULL. */
static inline const char *
error_text (ViBbviPage *self)
{
  return vi_model_page_get_error (VI_MODEL_PAGE (self));
}

/* vi-bbvi-page-explain.c: sets the "What am I seeing?" of the card of the
 * optimisation plot @plot from what its plots show of @snap. */
void vi_bbvi_page_explain              (ViBbviPage           *self,
                                        ViPlotView           *plot,
                                        const ViBbviSnapshot *snap);

/* vi-bbvi-page-variance.c */
void vi_bbvi_page_rebuild_variance_all (ViBbviPage *self);
void vi_bbvi_page_rebuild_ratio        (ViBbviPage *self);
void vi_bbvi_page_cancel_measure       (ViBbviPage *self);
/* Measures again (debounced) if the model, data or S changed since the
 * last measurement, while the page is on screen. */
void vi_bbvi_page_maybe_remeasure      (ViBbviPage *self);
void vi_bbvi_page_map_cb               (GtkWidget  *widget,
                                        gpointer    data);
/* Run on the Gradient Variance tab measures (ViModelPageClass.run_override). */
gboolean vi_bbvi_page_run_override    (ViModelPage *page);

G_END_DECLS
