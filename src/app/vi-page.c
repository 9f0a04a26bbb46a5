/* vi-page.c — the model-page interface
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vi-page.h"

G_DEFINE_INTERFACE (ViPage, vi_page, GTK_TYPE_WIDGET)

enum {
  SETTINGS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
vi_page_default_init (ViPageInterface *iface)
{
  /**
   * ViPage::settings-changed:
   *
   * The user changed a setting the job depends on. A signal, not a
   * property: the settings are an a{sv} the page builds on demand.
   */
  signals[SETTINGS_CHANGED] =
    g_signal_new ("settings-changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static G_DEFINE_QUARK (vi-page-info, vi_page_info)

void
vi_page_type_set_info (GType             type,
                       const ViPageInfo *info)
{
  g_return_if_fail (g_type_is_a (type, VI_TYPE_PAGE));
  g_type_set_qdata (type, vi_page_info_quark (), (gpointer) info);
}

/* The info of the page's type, or of the nearest named ancestor type. */
static const ViPageInfo *
info_for_instance (ViPage *self)
{
  for (GType type = G_OBJECT_TYPE (self); type != 0; type = g_type_parent (type))
    {
      const ViPageInfo *info = g_type_get_qdata (type, vi_page_info_quark ());

      if (info != NULL)
        return info;
    }
  g_assert_not_reached ();
  return NULL;
}

const char *
vi_page_get_name (ViPage *self)
{
  g_return_val_if_fail (VI_IS_PAGE (self), NULL);
  return info_for_instance (self)->name;
}

const char *
vi_page_get_title (ViPage *self)
{
  g_return_val_if_fail (VI_IS_PAGE (self), NULL);
  return _(info_for_instance (self)->title);
}

const ViJobType *
vi_page_get_job_type (ViPage *self)
{
  g_return_val_if_fail (VI_IS_PAGE (self), NULL);
  return VI_PAGE_GET_IFACE (self)->get_job_type (self);
}

GVariant *
vi_page_dup_settings (ViPage  *self,
                      GError **error)
{
  g_return_val_if_fail (VI_IS_PAGE (self), NULL);
  return VI_PAGE_GET_IFACE (self)->dup_settings (self, error);
}

gboolean
vi_page_set_settings (ViPage    *self,
                      GVariant  *settings,
                      GError   **error)
{
  g_return_val_if_fail (VI_IS_PAGE (self), FALSE);
  g_return_val_if_fail (g_variant_is_of_type (settings, G_VARIANT_TYPE_VARDICT), FALSE);
  return VI_PAGE_GET_IFACE (self)->set_settings (self, settings, error);
}

void
vi_page_show_snapshot (ViPage        *self,
                       gconstpointer  snapshot)
{
  g_return_if_fail (VI_IS_PAGE (self));
  VI_PAGE_GET_IFACE (self)->show_snapshot (self, snapshot);
}

void
vi_page_keep_history (ViPage   *self,
                      GVariant *run_settings)
{
  g_return_if_fail (VI_IS_PAGE (self));
  VI_PAGE_GET_IFACE (self)->keep_history (self, run_settings);
}

void
vi_page_clear_history (ViPage *self)
{
  g_return_if_fail (VI_IS_PAGE (self));
  VI_PAGE_GET_IFACE (self)->clear_history (self);
}

guint
vi_page_get_n_history (ViPage *self)
{
  g_return_val_if_fail (VI_IS_PAGE (self), 0);
  return VI_PAGE_GET_IFACE (self)->get_n_history (self);
}

ViPlotView *
vi_page_get_main_plot (ViPage *self)
{
  g_return_val_if_fail (VI_IS_PAGE (self), NULL);
  return VI_PAGE_GET_IFACE (self)->get_main_plot (self);
}

void
vi_page_set_presentation (ViPage   *self,
                          gboolean  presenting)
{
  g_return_if_fail (VI_IS_PAGE (self));
  if (VI_PAGE_GET_IFACE (self)->set_presentation != NULL)
    VI_PAGE_GET_IFACE (self)->set_presentation (self, presenting);
}

void
vi_page_set_controls_visible (ViPage   *self,
                              gboolean  visible)
{
  g_return_if_fail (VI_IS_PAGE (self));
  if (VI_PAGE_GET_IFACE (self)->set_controls_visible != NULL)
    VI_PAGE_GET_IFACE (self)->set_controls_visible (self, visible);
}

char **
vi_page_dup_data_files (ViPage *self)
{
  g_return_val_if_fail (VI_IS_PAGE (self), NULL);
  if (VI_PAGE_GET_IFACE (self)->dup_data_files != NULL)
    return VI_PAGE_GET_IFACE (self)->dup_data_files (self);
  return NULL;
}

const char *
vi_page_get_objective_name (ViPage *self)
{
  g_return_val_if_fail (VI_IS_PAGE (self), NULL);
  if (VI_PAGE_GET_IFACE (self)->get_objective_name != NULL)
    return VI_PAGE_GET_IFACE (self)->get_objective_name (self);
  return _("Objective");
}

gboolean
vi_page_run_override (ViPage *self)
{
  g_return_val_if_fail (VI_IS_PAGE (self), FALSE);
  return VI_PAGE_GET_IFACE (self)->run_override != NULL
         && VI_PAGE_GET_IFACE (self)->run_override (self);
}

gboolean
vi_page_is_explorer (ViPage *self)
{
  g_return_val_if_fail (VI_IS_PAGE (self), FALSE);
  return VI_PAGE_GET_IFACE (self)->is_explorer != NULL
         && VI_PAGE_GET_IFACE (self)->is_explorer (self);
}

void
vi_page_settings_changed (ViPage *self)
{
  g_return_if_fail (VI_IS_PAGE (self));
  g_signal_emit (self, signals[SETTINGS_CHANGED], 0);
}

void
vi_page_view_context_clear (ViViewContext *ctx)
{
  g_free ((gpointer) ctx->history);
  ctx->history = NULL;
  ctx->n_history = 0;
}

void
vi_history_entry_clear (ViHistoryEntry *entry)
{
  g_clear_pointer (&entry->settings, g_variant_unref);
  g_clear_pointer (&entry->label, g_free);
}
