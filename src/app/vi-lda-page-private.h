/* vi-lda-page-private.h — the lda page's parts, shared by its files
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vi-lda-job.h"
#include "vi-lda-page.h"

G_BEGIN_DECLS

/* (transfer full) The "What am I seeing?" text of @plot for the live
 * snapshot @s (NULL before a run) at the relevance @lambda
 * (vi-lda-page-help.c). */
char *vi_lda_page_dup_help (ViLdaPlot            plot,
                            const ViLdaSnapshot *s,
                            double               lambda);

G_END_DECLS
