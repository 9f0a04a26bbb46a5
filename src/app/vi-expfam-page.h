/* vi-expfam-page.h — the exponential-family page
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vi-model-page.h"

G_BEGIN_DECLS

#define VI_TYPE_EXPFAM_PAGE (vi_expfam_page_get_type ())
G_DECLARE_FINAL_TYPE (ViExpfamPage, vi_expfam_page, VI, EXPFAM_PAGE, ViModelPage)

/* For tests: sets parameter @index (0 or 1) as if typed into its spin
 * button; returns FALSE (and shows the core's message inline) if refused. */
gboolean    vi_expfam_page_set_param          (ViExpfamPage *self,
                                               guint         index,
                                               double        value);
/* (transfer none) The inline error shown, or NULL. */
const char *vi_expfam_page_get_error_text     (ViExpfamPage *self);

G_END_DECLS
