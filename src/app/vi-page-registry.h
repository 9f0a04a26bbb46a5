/* vi-page-registry.h — the built-in model pages: name, title, type
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place that knows the concrete pages. Adding a page is one line in
 * page_infos[] (vi-page-registry.c): name (for --page, sessions and the
 * GSettings key "NAME-settings"), title (N_()), get_type.
 */
#pragma once

#include "vi-page.h"

G_BEGIN_DECLS

/* (transfer none) The built-in pages, terminated by a zeroed entry. Also
 * names each page type, so vi_page_get_name() works on its instances. */
const ViPageInfo *vi_page_list_infos  (void);
/* (transfer none) The page called @name, or NULL. */
const ViPageInfo *vi_page_lookup_info (const char *name);
/* (transfer full) The page names, ", "-separated ("expfam, bbvi"). */
char             *vi_page_dup_names   (void);

G_END_DECLS
