/* vi-bbvi-page-explain.c — the bbvi page's "What am I seeing?" texts,
 * written by the views from what each optimisation plot shows
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "vi-bbvi-page-private.h"
#include "vi-bbvi-views.h"
#include "vi-model-page.h"

static char *
explain (ViBbviPage           *self,
         ViPlotView           *plot,
         char               *(*fn) (ViFigure *, const ViBbviSnapshot *, const ViViewContext *),
         const ViBbviSnapshot *snap)
{
  return vi_model_page_dup_explanation (VI_MODEL_PAGE (self), plot, (ViModelPageExplainFunc) fn,
                                        snap);
}

/* The optimisation card: the gap (top left), the gradient variance (top
 * right) and the ELBO (below). */
static void
explain_optimize (ViBbviPage           *self,
                  const ViBbviSnapshot *snap)
{
  g_autofree char *gap = explain (self, self->gap_plot, vi_bbvi_gap_view_explain, snap);
  g_autofree char *var = explain (self, self->gradvar_plot, vi_bbvi_gradvar_view_explain, snap);
  g_autofree char *elbo = explain (self, self->elbo_plot, vi_bbvi_elbo_view_explain, snap);
  g_autofree char *text = NULL;

  if (snap != NULL)
    /* Translators: the three texts of the plots at the top left, top right
     * and bottom of the optimisation tab */
    text = g_strdup_printf (_("Top left: %s\n\nTop right: %s\n\nBelow: %s"), gap, var, elbo);
  vi_label_set_text_if_changed (self->optimize_help, text != NULL ? text : "");
}

void
vi_bbvi_page_explain (ViBbviPage           *self,
                      ViPlotView           *plot,
                      const ViBbviSnapshot *snap)
{
  if (plot == self->params_plot)
    vi_model_page_explain_plot (VI_MODEL_PAGE (self), plot, self->params_help,
                                (ViModelPageExplainFunc) vi_bbvi_params_view_explain, snap);
  else if (plot == self->q_plot)
    vi_model_page_explain_plot (VI_MODEL_PAGE (self), plot, self->q_help,
                                (ViModelPageExplainFunc) vi_bbvi_q_view_explain, snap);
  else
    explain_optimize (self, snap);
}
