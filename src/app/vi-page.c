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

/* Settings keys and values a run label may show, in the translation
 * context "run label": a key or string value without a translation is
 * shown as it is (the C locale's labels are the keys themselves). */
static const char *const run_label_words[] G_GNUC_UNUSED = {
  NC_("run label", "family"), NC_("run label", "rate"), NC_("run label", "shape"),
  NC_("run label", "mean"), NC_("run label", "variance"), NC_("run label", "samples"),
  NC_("run label", "iterations"), NC_("run label", "optimizer"),
  NC_("run label", "step-size"), NC_("run label", "synthetic-n"),
  NC_("run label", "true-rate"), NC_("run label", "seed"), NC_("run label", "data-seed"),
  NC_("run label", "estimators"), NC_("run label", "counts-file"),
  NC_("run label", "exponential"), NC_("run label", "gaussian"),
};

static const char *
run_label_word (const char *word)
{
  return g_dpgettext2 (GETTEXT_PACKAGE, "run label", word);
}

/* A setting's value for a run label: numbers in the locale's notation
 * ("2,5" under sv_SE), words translated. */
static char *
format_value (GVariant *v)
{
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
    return g_strdup_printf ("%.4g", g_variant_get_double (v));
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
    return g_strdup (run_label_word (g_variant_get_string (v, NULL)));
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
    /* Translators: a switched setting in a run label, "show-estimates=on" */
    return g_strdup (g_variant_get_boolean (v) ? C_("run label", "on")
                                               : C_("run label", "off"));
  return g_variant_print (v, FALSE);
}

char *
vi_page_describe_settings (GVariant          *settings,
                           GVariant *const   *others,
                           gsize              n_others,
                           const char *const *skip)
{
  GString *s = g_string_new (NULL);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, settings);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      gboolean differs = (n_others == 0);
      g_autofree char *text = NULL;

      if (skip != NULL && g_strv_contains (skip, key))
        continue;
      for (gsize i = 0; i < n_others && !differs; i++)
        {
          g_autoptr(GVariant) other = g_variant_lookup_value (others[i], key, NULL);
          differs = other == NULL || !g_variant_equal (other, value);
        }
      if (!differs)
        continue;
      text = format_value (value);
      /* Translators: between two settings of a run label ("shape=2, rate=1");
       * with a decimal comma something else, like "; " */
      g_string_append_printf (s, "%s%s=%s", s->len > 0 ? C_("run label", ", ") : "",
                              run_label_word (key), text);
    }
  return g_string_free (s, FALSE);
}

void
vi_history_make_room (GPtrArray *history,
                      GVariant  *run_settings,
                      guint      max)
{
  for (guint k = 0; k < history->len; k++)
    if (g_variant_equal (((ViHistoryEntry *) g_ptr_array_index (history, k))->settings,
                         run_settings))
      {
        g_ptr_array_remove_index (history, k);
        break;
      }
  while (history->len > 0 && history->len >= max)
    g_ptr_array_remove_index (history, 0);
}

void
vi_history_relabel (GPtrArray         *history,
                    GVariant          *current,
                    const char *const *skip)
{
  g_autoptr(GPtrArray) others = g_ptr_array_new ();

  for (guint k = 0; k < history->len; k++)
    {
      ViHistoryEntry *e = g_ptr_array_index (history, k);

      g_ptr_array_set_size (others, 0);
      for (guint j = 0; j < history->len; j++)
        if (j != k)
          g_ptr_array_add (others, ((ViHistoryEntry *) g_ptr_array_index (history, j))->settings);
      if (current != NULL)
        g_ptr_array_add (others, current);
      g_free (e->label);
      e->label = vi_page_describe_settings (e->settings, (GVariant *const *) others->pdata,
                                            others->len, skip);
      if (e->label[0] == '\0')
        {
          g_free (e->label);
          /* Translators: label of an earlier run in the plot legend */
          e->label = g_strdup_printf (_("run %u"), k + 1);
        }
    }
}

ViViewRun *
vi_history_view_runs (GPtrArray *history,
                      GVariant  *current,
                      guint     *n_runs)
{
  ViViewRun *runs = g_new0 (ViViewRun, MAX (history->len, 1));
  guint n = 0;

  for (guint k = 0; k < history->len; k++)
    {
      ViHistoryEntry *e = g_ptr_array_index (history, k);

      if (current != NULL && g_variant_equal (current, e->settings))
        continue;
      runs[n++] = (ViViewRun) { .label = e->label, .snapshot = e->snapshot, .slot = k };
    }
  *n_runs = n;
  return runs;
}

void
vi_page_view_context_init (ViViewContext *ctx,
                           ViPlotView    *plot,
                           GPtrArray     *history,
                           GVariant      *current)
{
  guint n = 0;

  vi_view_context_init (ctx);
  ctx->line_scale = vi_plot_view_get_line_scale (plot);
  ctx->smoothing = vi_plot_view_get_smoothing (plot);
  ctx->history = vi_history_view_runs (history, current, &n);
  ctx->n_history = n;
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
