/* vi-util.c — small helpers shared by the app's widgets
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#ifdef __linux__
#include <sys/resource.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <unistd.h>
#endif
#include <adwaita.h>

#include "vi-util.h"

void
vi_thread_set_nice (int nice)
{
#ifdef __linux__
  (void) setpriority (PRIO_PROCESS, (id_t) gettid (), nice);
#else
  (void) nice;
#endif
}

/* glibc raises its mmap threshold to the largest block freed so far (up
 * to 32 MiB) and its trim threshold to twice that: after the first frame
 * frees a few MB of plot image, every arena may keep up to 64 MB of free
 * memory at its top. The app frees such blocks every frame (GTK's cairo
 * renderer, plot images) and a job's snapshots on another thread, so a
 * page running for half an hour kept 30 MB more each time a fresh run
 * started (lda's and vae's soaks). Fixed thresholds stop that: blocks up
 * to 32 MiB still come from the heap (no page faults a frame, as with a
 * low mmap threshold: that cost 4 ms of CPU a frame), and any heap gives
 * back what is free at its top beyond 4 MiB. */
#define VI_MALLOC_MMAP_THRESHOLD (32 * 1024 * 1024)
#define VI_MALLOC_TRIM_THRESHOLD (4 * 1024 * 1024)

gboolean
vi_malloc_configure (void)
{
#ifdef __GLIBC__
  static gsize done;

  if (g_once_init_enter (&done))
    {
      int ok = mallopt (M_MMAP_THRESHOLD, VI_MALLOC_MMAP_THRESHOLD)
               && mallopt (M_TRIM_THRESHOLD, VI_MALLOC_TRIM_THRESHOLD);

      g_once_init_leave (&done, ok ? 1 : 2);
    }
  return done == 1;
#else
  return FALSE;
#endif
}

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
