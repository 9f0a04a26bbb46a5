/* vi-util.c — small helpers shared by the app's widgets
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <adwaita.h>

#include "vi-util.h"

char *
vi_elide_middle (const char *text,
                 guint       max_chars)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  glong n = g_utf8_strlen (valid, -1);
  guint head, tail;
  const char *tail_start;
  GString *s;

  g_return_val_if_fail (max_chars >= 3, NULL);
  if (n <= (glong) max_chars)
    return g_steal_pointer (&valid);
  head = max_chars / 2;
  tail = max_chars - 1 - head;
  tail_start = g_utf8_offset_to_pointer (valid, n - (glong) tail);
  s = g_string_new_len (valid, g_utf8_offset_to_pointer (valid, head) - valid);
  g_string_append (s, "…");
  g_string_append (s, tail_start);
  return g_string_free (s, FALSE);
}

AdwToast *
vi_widget_toast (GtkWidget  *widget,
                 const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *shown = vi_elide_middle (message, VI_ELIDE_MAX_CHARS);
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_message ("%s", message);
      return NULL;
    }
  toast = adw_toast_new (shown);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return toast;
}


void
vi_widget_class_bind_children (GtkWidgetClass        *widget_class,
                               const ViTemplateChild *children,
                               gsize                  n_children)
{
  for (gsize i = 0; i < n_children; i++)
    gtk_widget_class_bind_template_child_full (widget_class, children[i].id, FALSE,
                                               children[i].offset);
}

int
vi_strv_index (const char *const *names,
               const char        *name)
{
  for (int i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return -1;
}

gboolean
vi_settings_lookup_number (GVariant   *settings,
                           const char *key,
                           double     *out)
{
  g_autoptr(GVariant) v = g_variant_lookup_value (settings, key, NULL);

  if (v == NULL)
    return FALSE;
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
    *out = g_variant_get_double (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
    *out = (double) g_variant_get_int64 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64))
    *out = (double) g_variant_get_uint64 (v);
  else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT32))
    *out = g_variant_get_int32 (v);
  else
    return FALSE;
  return TRUE;
}

gboolean
vi_gpu_device_present (const char *dev_dir)
{
  g_autofree char *dri = g_build_filename (dev_dir, "dri", NULL);
  g_autofree char *nvidia = g_build_filename (dev_dir, "nvidia0", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (nvidia, G_FILE_TEST_EXISTS))
    return TRUE;
  dir = g_dir_open (dri, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD") || g_str_has_prefix (name, "card"))
      return TRUE;
  return FALSE;
}
