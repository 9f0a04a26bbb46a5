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

G_END_DECLS
