/* vi-cli-expfam-plot.h — the figure of `elbo-lab-cli expfam --plot FILE`
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vi-expfam.h"
#include "vi-figure.h"

G_BEGIN_DECLS

/* (transfer full) The density (continuous) or pmf (discrete) of @fam at
 * @theta, with the mean marked and, when @samples > 0, a histogram of the
 * "expfam" job's @samples draws (stream 0 of @seed, the app's range and
 * bins). Returns NULL and sets @error if the job fails. */
ViFigure *vi_cli_expfam_plot_figure (const ViExpfam  *fam,
                                     const double    *theta,
                                     guint64          samples,
                                     guint64          seed,
                                     GError         **error);

G_END_DECLS
