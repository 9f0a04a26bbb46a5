/* vi-view-explain.c — the parts of a "What am I seeing?" text that are read
 * off the figure itself: the lines on it, the ones off-scale or clipped
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "vi-view.h"

/* Whether @s is an earlier run's line: in a run's legend group, or named
 * after a history run of @ctx. */
static gboolean
is_history (ViSeries            *s,
            const ViViewContext *ctx)
{
  if (vi_series_get_legend_group (s) != NULL)
    return TRUE;
  for (guint h = 0; ctx != NULL && h < ctx->n_history; h++)
    if (g_strcmp0 (vi_series_get_name (s), ctx->history[h].label) == 0)
      return TRUE;
  return FALSE;
}

/* Whether @s is a named line on the plot: one with a legend entry, or a
 * reference line (labelled on the plot instead). */
static gboolean
is_shown (ViSeries *s)
{
  ViSeriesKind kind = vi_series_get_kind (s);

  if (kind == VI_SERIES_HLINE || kind == VI_SERIES_VLINE)
    return vi_series_get_visible (s) && vi_series_get_n_points (s) > 0
           && g_strcmp0 (vi_series_get_name (s), "") != 0;
  return vi_series_get_in_legend (s);
}

/* Appends @name to the comma-separated list @list. */
static void
list_add (GString    *list,
          const char *name)
{
  g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", name);
}

ViSeries *
vi_view_find_shown (ViPanel    *panel,
                    const char *name)
{
  for (guint i = 0; panel != NULL && i < vi_panel_get_n_series (panel); i++)
    {
      ViSeries *s = vi_panel_get_series (panel, i);

      if (is_shown (s) && g_strcmp0 (vi_series_get_name (s), name) == 0)
        return s;
    }
  return NULL;
}

static void
explain_series (GString             *out,
                ViPanel             *panel,
                const ViViewContext *ctx)
{
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GPtrArray) runs = g_ptr_array_new ();

  for (guint i = 0; i < vi_panel_get_n_series (panel); i++)
    {
      ViSeries *s = vi_panel_get_series (panel, i);
      const char *group = vi_series_get_legend_group (s);

      if (!vi_series_get_visible (s) || vi_series_get_n_points (s) == 0)
        continue;
      if (is_history (s, ctx))
        {
          const char *run = group != NULL ? group : vi_series_get_name (s);

          if (!g_ptr_array_find_with_equal_func (runs, run, g_str_equal, NULL))
            g_ptr_array_add (runs, (gpointer) run);
        }
      else if (is_shown (s))
        list_add (list, vi_series_get_name (s));
    }
  if (list->len > 0)
    /* Translators: %s lists the names of the lines on a plot */
    g_string_append_printf (out, _(" On the plot: %s."), list->str);
  if (runs->len > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, " Faded: %u earlier run.",
                                              " Faded: %u earlier runs.", runs->len),
                            runs->len);
}

static void
explain_fit (GString             *out,
             ViPanel             *panel,
             const ViViewContext *ctx)
{
  g_autoptr(GString) below = g_string_new (NULL);
  g_autoptr(GString) above = g_string_new (NULL);
  g_autoptr(GString) clipped = g_string_new (NULL);

  for (guint i = 0; i < vi_panel_get_n_series (panel); i++)
    {
      ViSeries *s = vi_panel_get_series (panel, i);

      if (!is_shown (s) || is_history (s, ctx))
        continue;
      switch (vi_series_get_fit (s, VI_AXIS_Y))
        {
        case VI_FIT_BELOW:
          list_add (below, vi_series_get_name (s));
          break;
        case VI_FIT_ABOVE:
          list_add (above, vi_series_get_name (s));
          break;
        case VI_FIT_CLIPPED:
          list_add (clipped, vi_series_get_name (s));
          break;
        case VI_FIT_EMPTY:
        case VI_FIT_INSIDE:
        default:
          break;
        }
    }
  if (below->len > 0)
    /* Translators: %s lists the names of lines */
    g_string_append_printf (out, _(" Off-scale, below the axis: %s."), below->str);
  if (above->len > 0)
    /* Translators: %s lists the names of lines */
    g_string_append_printf (out, _(" Off-scale, above the top: %s."), above->str);
  if (clipped->len > 0)
    /* Translators: %s lists the names of lines */
    g_string_append_printf (out, _(" Partly off-scale (clipped): %s."), clipped->str);
}

char *
vi_view_explain_finish (GString             *out,
                        ViFigure            *fig,
                        const ViViewContext *ctx)
{
  for (guint r = 0; r < vi_figure_get_n_rows (fig); r++)
    for (guint c = 0; c < vi_figure_get_n_cols (fig); c++)
      {
        ViPanel *panel = vi_figure_get_panel (fig, r, c);

        explain_series (out, panel, ctx);
        explain_fit (out, panel, ctx);
      }
  return g_string_free (out, FALSE);
}
