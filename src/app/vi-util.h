/* vi-util.h — small helpers shared by the app's widgets
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vi-view.h"  /* vi_ema_smooth(), now in the views layer */

G_BEGIN_DECLS

/* Shows @message in the AdwToastOverlay above @widget (or a dialog-less
 * warning when there is none, e.g. in a test). */
void  vi_widget_toast   (GtkWidget    *widget,
                         const char   *message);

/* (transfer full) Lower-case hex SHA-256 of the file at @path, or NULL and
 * @error naming the file. */
char *vi_file_sha256    (const char   *path,
                         GError      **error);

G_END_DECLS
