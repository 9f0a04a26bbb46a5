/* vi-bbvi-page.h — the black-box VI page (Poisson–Gamma model)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vi-model-page.h"

#include "vi-bbvi-job.h"
#include "vi-plot-view.h"

G_BEGIN_DECLS

#define VI_TYPE_BBVI_PAGE (vi_bbvi_page_get_type ())
G_DECLARE_FINAL_TYPE (ViBbviPage, vi_bbvi_page, VI, BBVI_PAGE, ViModelPage)

/* Uses the counts file at @path (as if chosen in the file chooser). It is
 * loaded on a GTask thread (vi_bbvi_page_is_loading(); a newer choice wins
 * over an older load); a file the core refuses then leaves its one-line
 * message in the page (see vi_bbvi_page_get_error_text()). */
void                  vi_bbvi_page_set_counts_file      (ViBbviPage *self,
                                                         const char *path);
/* (transfer none) The inline error shown (bad file or parameter), or NULL. */
const char           *vi_bbvi_page_get_error_text       (ViBbviPage *self);
/* Whether the chosen counts file is still being loaded (on a GTask thread:
 * the error text says so, and the settings are refused until it is). */
gboolean              vi_bbvi_page_is_loading           (ViBbviPage *self);
/* Starts the gradient-variance measurement (a "variance" bbvi job on a
 * GTask thread; a running one is cancelled) at the current θ of the first
 * Exponential run, or θ* when there is none. */
void                  vi_bbvi_page_measure_variance     (ViBbviPage *self);
gboolean              vi_bbvi_page_is_measuring         (ViBbviPage *self);
/* (transfer none) The last finished measurement (points over S), or NULL. */
const ViBbviSnapshot *vi_bbvi_page_get_variance         (ViBbviPage *self);
/* (transfer none) The plot views, for tests: 0 ELBO, 1 parameters, 2 q(λ),
 * 3 variance against S, 4 variance ratios, 5 gap to the optimum, 6 the
 * gradient variance during the run. */
ViPlotView           *vi_bbvi_page_get_plot             (ViBbviPage *self,
                                                         guint       index);

G_END_DECLS
