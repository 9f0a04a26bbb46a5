/* vi-expfam-page-private.h — the expfam page's parts, shared by its files
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vi-expfam-job.h"
#include "vi-expfam-page.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  const char *title;                      /* N_() */
  const char *labels[VI_EXPFAM_MAX_DIM];  /* N_() */
  double min[VI_EXPFAM_MAX_DIM];          /* slider range */
  double max[VI_EXPFAM_MAX_DIM];
} FamilyUi;

struct _ViExpfamPage
{
  ViModelPage parent_instance;

  AdwFlap *controls_flap;
  AdwComboRow *family_row;
  AdwActionRow *param_row[2];
  GtkScale *param_scale[2];
  GtkSpinButton *param_spin[2];
  GtkScale *n_scale;
  GtkAdjustment *n_adjustment;
  GtkSpinButton *seed_spin;
  GtkButton *resample_button;
  GtkWidget *coordinate_group;
  AdwComboRow *coordinate_row;
  GtkGrid *fisher_grid;
  ViPlotView *density_plot;
  ViPlotView *lp_plot;
  ViPlotView *fisher_plot;
  GtkLabel *density_help;         /* "What am I seeing?" of each plot */
  GtkLabel *lp_help;
  GtkLabel *fisher_help;
  GtkLabel *fisher_cells[4][3];

  const FamilyUi *ui;
  const ViExpfam *fam;
  double theta[VI_EXPFAM_MAX_DIM];
  gboolean invalid[VI_EXPFAM_MAX_DIM];
  ViExpfamSnapshot *preview;      /* the settings before any draw */
  gint64 table_time;              /* last Fisher-table update, µs */
  guint table_id;                 /* pending Fisher-table update */
};

/* The live run's results, or NULL. */
static inline const ViExpfamSnapshot *
vi_expfam_page_live (ViExpfamPage *self)
{
  return vi_model_page_get_snapshot (VI_MODEL_PAGE (self));
}

/* vi-expfam-page-fisher.c */
void vi_expfam_page_init_fisher_table    (ViExpfamPage *self);
void vi_expfam_page_update_fisher_table  (ViExpfamPage *self);
/* The numbers changed (@final: for the last time in a run). */
void vi_expfam_page_fisher_table_changed (ViExpfamPage *self,
                                          gboolean      final);

G_END_DECLS
