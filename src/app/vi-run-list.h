/* vi-run-list.h — the run manager's list: a model page's kept runs with
 * their colour, label, why they are not drawn, and show/hide, rename, pin
 * and delete
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A collapsible "Runs (N)" section that the model-page base puts at the
 * top of a page's controls pane; every change goes through the page's run
 * API (vi-model-page.h), which calls vi_run_list_update() back.
 */
#pragma once

#include <gtk/gtk.h>

#include "vi-model-page.h"

G_BEGIN_DECLS

#define VI_TYPE_RUN_LIST (vi_run_list_get_type ())
G_DECLARE_FINAL_TYPE (ViRunList, vi_run_list, VI, RUN_LIST, GtkWidget)

/* A list of @page's runs (the page is not referenced: the list lives in it). */
GtkWidget *vi_run_list_new    (ViModelPage *page);
/* Shows the page's runs now (rebuilds the rows only when what they show
 * changed, so an edit in progress survives a redraw). */
void       vi_run_list_update (ViRunList   *self);
/* Run index shown in row @position (pinned runs first), or G_MAXUINT. */
guint      vi_run_list_get_run_at (ViRunList *self,
                                   guint      position);

G_END_DECLS
