/* vi-binding.h — a settings key bound to a widget (ViModelPage's binding
 * table): read, checked, written, and configured from the key's parameter
 * spec
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vi-model-page.h"

G_BEGIN_DECLS

/* Takes @b's choices (given ones must equal the table's), range (a spin
 * button's lower and upper, keeping its width), default and tooltip from
 * @spec. */
void        vi_binding_configure  (ViBinding         *b,
                                   const ViParamSpec *spec);
/* (transfer floating) The widget's value in the kind's GVariant type. */
GVariant   *vi_binding_read       (const ViBinding   *b);
/* Whether @settings holds a valid value for @b, if any (a choice must be
 * one of the choices). */
gboolean    vi_binding_check      (const ViBinding   *b,
                                   GVariant          *settings,
                                   GError           **error);
/* Shows @b's value in @settings, if any, in the widget. */
void        vi_binding_write      (const ViBinding   *b,
                                   GVariant          *settings);
/* (transfer none) The choice a CHOICE binding's widget shows. */
const char *vi_binding_get_choice (const ViBinding   *b);

G_END_DECLS
