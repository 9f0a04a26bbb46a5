/* vi-util.h — small helpers shared by the app's widgets
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <gtk/gtk.h>

#include "vi-view.h"  /* vi_ema_smooth(), now in the views layer */

G_BEGIN_DECLS

/* A template child (its id in the .ui) and where the instance keeps it. */
typedef struct
{
  const char *id;
  gssize      offset;
} ViTemplateChild;
#define VI_TEMPLATE_CHILD(Type, member) { #member, G_STRUCT_OFFSET (Type, member) }
/* A child whose id differs from its member, e.g. an array element. */
#define VI_TEMPLATE_CHILD_AS(Type, id, member) { id, G_STRUCT_OFFSET (Type, member) }

/* Binds each of @children (gtk_widget_class_bind_template_child_full) to
 * its instance field; @widget_class must have its template set. */
void  vi_widget_class_bind_children (GtkWidgetClass        *widget_class,
                                     const ViTemplateChild *children,
                                     gsize                  n_children);

/* Reads a number of any numeric type from @settings. */
gboolean vi_settings_lookup_number  (GVariant              *settings,
                                     const char            *key,
                                     double                *out);

/* The index of @name in @names (NULL-terminated), or -1. */
int   vi_strv_index                 (const char *const     *names,
                                     const char            *name);

/* Characters a label, toast, dialog or title shows of a string that may
 * be long (a path from a session file): laying out tens of thousands
 * takes minutes. */
#define VI_ELIDE_MAX_CHARS 160

/* (transfer full) @text (made valid UTF-8) when it has at most @max_chars
 * (≥ 3) characters, else its start and end around "…", @max_chars in all:
 * the middle goes, so a path keeps its root and its file name. */
char *vi_elide_middle               (const char            *text,
                                     guint                  max_chars);

/* Whether @dev_dir (normally "/dev") holds a GPU device a GL driver could
 * use: a DRM node under dri/, or NVIDIA's nvidia0. Without one, all GL on
 * Linux is a software rasteriser. */
gboolean vi_gpu_device_present      (const char            *dev_dir);

/* Shows @message (elided to VI_ELIDE_MAX_CHARS) in the AdwToastOverlay above @widget (or a dialog-less
 * warning when there is none, e.g. in a test). Returns the toast (transfer
 * none: the overlay holds it until it is dismissed), or NULL. */
AdwToast *vi_widget_toast           (GtkWidget             *widget,
                                     const char            *message);

G_END_DECLS
