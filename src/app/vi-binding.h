/* vi-binding.h — a settings key bound to a widget (ViModelPage's binding
 * table): read, checked, written, and configured from the key's parameter
 * spec
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vi-params.h"

G_BEGIN_DECLS

/* How a bound widget holds its setting. The kinds follow the value types
 * of the parameter tables (ViParamSpec): on a page whose class follows its
 * job's table (vi_model_page_class_set_job_type), each binding takes its
 * key's default, range (a spin button's lower and upper), choices and
 * tooltip from the table. */
typedef enum
{
  VI_BINDING_DOUBLE,  /* GtkSpinButton            ↔ "d" */
  VI_BINDING_INT,     /* GtkSpinButton (rounded)  ↔ "x" (also read: "t", "i", "d") */
  VI_BINDING_CHOICE,  /* AdwComboRow, GtkDropDown ↔ "s", one of choices[] */
  VI_BINDING_SWITCH,  /* GtkSwitch, GtkCheckButton ↔ "b" */
  VI_BINDING_ENTRY,   /* GtkEditable              ↔ "s" */
} ViBindingKind;

typedef struct
{
  const char        *key;
  GtkWidget         *widget;    /* (transfer none) a template child */
  ViBindingKind      kind;
  const char *const *choices;   /* VI_BINDING_CHOICE: item i's name, NULL-terminated;
                                 * NULL: the table's (which given ones must equal) */
  /*< private >*/
  gboolean           inactive;  /* see vi_model_page_set_bound_active () */
} ViBinding;

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
