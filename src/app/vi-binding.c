/* vi-binding.c — a settings key bound to a widget: read, checked, written,
 * and configured from the key's parameter spec
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>

#include "vi-binding.h"
#include "vi-status.h"
#include "vi-util.h"

/* Characters a spin button needs for its bounds: its width before the
 * table's (often unbounded) range replaces them. */
static int
spin_width_chars (GtkSpinButton *spin)
{
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (spin);
  guint digits = gtk_spin_button_get_digits (spin);
  g_autofree char *lo = g_strdup_printf ("%.*f", digits, gtk_adjustment_get_lower (adj));
  g_autofree char *hi = g_strdup_printf ("%.*f", digits, gtk_adjustment_get_upper (adj));

  return (int) MAX (strlen (lo), strlen (hi));
}

/* The spin button's lower and upper from @spec's range. It shows `digits`
 * decimals, so an open or positive lower bound becomes the smallest
 * positive value it shows; a double holds integers exactly up to 2^53. */
static void
spin_configure (GtkSpinButton     *spin,
                const ViParamSpec *spec)
{
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (spin);
  double quantum = pow (10, -(double) gtk_spin_button_get_digits (spin));
  double lower, upper;

  switch (spec->type)
    {
    case VI_PARAM_DOUBLE:
      lower = spec->min;
      upper = spec->max;
      if (spec->flags & VI_PARAM_MIN_EXCLUSIVE)
        lower += quantum;
      if (lower > 0)
        lower = MAX (lower, quantum);
      break;
    case VI_PARAM_INT64:
      lower = (double) spec->imin;
      upper = (double) spec->imax;
      break;
    case VI_PARAM_UINT64:
      lower = (double) spec->umin;
      upper = (double) spec->umax;
      break;
    default:
      g_critical ("%s: not a number, cannot bind a spin button", spec->key);
      return;
    }
  if (gtk_editable_get_width_chars (GTK_EDITABLE (spin)) < 0)
    gtk_editable_set_width_chars (GTK_EDITABLE (spin), spin_width_chars (spin));
  gtk_adjustment_set_lower (adj, MAX (lower, -9007199254740992.0));
  gtk_adjustment_set_upper (adj, MIN (upper, 9007199254740992.0));
}

/* Takes @b's choices, range, default and tooltip from @spec. */
void
vi_binding_configure (ViBinding         *b,
                   const ViParamSpec *spec)
{
  g_autofree char *tip = vi_params_spec_describe (spec);
  GVariant *def = vi_params_spec_default (spec);

  gtk_widget_set_tooltip_text (b->widget, tip);
  if (b->kind == VI_BINDING_CHOICE)
    {
      const char *const *choices = vi_params_spec_get_choices (spec);

      if (b->choices != NULL && !g_strv_equal ((const char *const *) b->choices, choices))
        g_critical ("%s: the widget's choices differ from the table's", b->key);
      b->choices = choices;
    }
  else if (b->kind == VI_BINDING_DOUBLE || b->kind == VI_BINDING_INT)
    spin_configure (GTK_SPIN_BUTTON (b->widget), spec);
  if (def != NULL)
    {
      GVariantDict d;
      g_autoptr(GVariant) one = NULL;

      g_variant_dict_init (&d, NULL);
      g_variant_dict_insert_value (&d, b->key, def);
      one = g_variant_ref_sink (g_variant_dict_end (&d));
      vi_binding_write (b, one);
    }
}

static guint
get_selected (GtkWidget *w)
{
  if (ADW_IS_COMBO_ROW (w))
    return adw_combo_row_get_selected (ADW_COMBO_ROW (w));
  return gtk_drop_down_get_selected (GTK_DROP_DOWN (w));
}

static void
set_selected (GtkWidget *w,
              guint      k)
{
  if (ADW_IS_COMBO_ROW (w))
    adw_combo_row_set_selected (ADW_COMBO_ROW (w), k);
  else
    gtk_drop_down_set_selected (GTK_DROP_DOWN (w), k);
}

const char *
vi_binding_get_choice (const ViBinding *b)
{
  guint n = g_strv_length ((char **) b->choices);

  return b->choices[MIN (get_selected (b->widget), n - 1)];
}

GVariant *
vi_binding_read (const ViBinding *b)
{
  GtkSpinButton *spin = GTK_IS_SPIN_BUTTON (b->widget) ? GTK_SPIN_BUTTON (b->widget) : NULL;

  switch (b->kind)
    {
    case VI_BINDING_DOUBLE:
      return g_variant_new_double (gtk_spin_button_get_value (spin));
    case VI_BINDING_INT:
      return g_variant_new_int64 (llround (gtk_spin_button_get_value (spin)));
    case VI_BINDING_CHOICE:
      return g_variant_new_string (vi_binding_get_choice (b));
    case VI_BINDING_SWITCH:
      if (GTK_IS_SWITCH (b->widget))
        return g_variant_new_boolean (gtk_switch_get_active (GTK_SWITCH (b->widget)));
      return g_variant_new_boolean (gtk_check_button_get_active (GTK_CHECK_BUTTON (b->widget)));
    case VI_BINDING_ENTRY:
    default:
      return g_variant_new_string (gtk_editable_get_text (GTK_EDITABLE (b->widget)));
    }
}

/* Whether @settings holds a valid value for @b, if any. */
gboolean
vi_binding_check (const ViBinding *b,
               GVariant        *settings,
               GError         **error)
{
  const char *s = NULL;

  if (b->kind == VI_BINDING_CHOICE && g_variant_lookup (settings, b->key, "&s", &s)
      && vi_strv_index (b->choices, s) < 0)
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "%s: unknown %s '%s'", b->key, b->key, s);
      return FALSE;
    }
  return TRUE;
}

void
vi_binding_write (const ViBinding *b,
               GVariant        *settings)
{
  const char *s = NULL;
  gboolean on;
  double v;

  switch (b->kind)
    {
    case VI_BINDING_DOUBLE:
    case VI_BINDING_INT:
      if (vi_settings_lookup_number (settings, b->key, &v))
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (b->widget), v);
      break;
    case VI_BINDING_CHOICE:
      if (g_variant_lookup (settings, b->key, "&s", &s))
        set_selected (b->widget, (guint) vi_strv_index (b->choices, s));
      break;
    case VI_BINDING_SWITCH:
      if (!g_variant_lookup (settings, b->key, "b", &on))
        break;
      if (GTK_IS_SWITCH (b->widget))
        gtk_switch_set_active (GTK_SWITCH (b->widget), on);
      else
        gtk_check_button_set_active (GTK_CHECK_BUTTON (b->widget), on);
      break;
    case VI_BINDING_ENTRY:
    default:
      if (g_variant_lookup (settings, b->key, "&s", &s))
        gtk_editable_set_text (GTK_EDITABLE (b->widget), s);
      break;
    }
}
