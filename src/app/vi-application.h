/* vi-application.h — the AdwApplication: options, app actions, settings
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define VI_TYPE_APPLICATION (vi_application_get_type ())
G_DECLARE_FINAL_TYPE (ViApplication, vi_application, VI, APPLICATION, AdwApplication)

/* Registers the built-in job types too. Pass G_APPLICATION_NON_UNIQUE in
 * tests so parallel runs do not forward into one process. The application
 * always handles open (`elbo-lab FILE`, the file manager): FILE is a
 * session, opened in the window. */
ViApplication *vi_application_new          (GApplicationFlags  flags);
/* (transfer none) The app's GSettings, or NULL when the schema is not
 * installed (then nothing is persisted) or in screenshot mode. */
GSettings     *vi_application_get_settings (ViApplication     *self);
/* Status main() returns after g_application_run() (1 when --screenshot
 * failed). */
int            vi_application_get_exit_status (ViApplication *self);

G_END_DECLS
