/* vi-figure.c — the retained figure: a grid of panels and its settings
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-figure-private.h"

#define MAX_GRID 64

ViFigure *
vi_figure_create (guint rows,
                  guint cols)
{
  ViFigure *fig;

  rows = CLAMP (rows, 1, MAX_GRID);
  cols = CLAMP (cols, 1, MAX_GRID);
  fig = g_new0 (ViFigure, 1);
  fig->rows = rows;
  fig->cols = cols;
  fig->font_scale = 1.0;
  fig->theme = VI_THEME_LIGHT;
  fig->panels = g_new0 (ViPanel *, rows * cols);
  for (guint i = 0; i < rows * cols; i++)
    fig->panels[i] = vi_panel_new (fig);
  return fig;
}

void
vi_figure_free (ViFigure *fig)
{
  if (fig == NULL)
    return;
  for (guint i = 0; i < fig->rows * fig->cols; i++)
    vi_panel_free (fig->panels[i]);
  g_free (fig->panels);
  g_free (fig->title);
  g_free (fig->font_family);
  g_free (fig->decimal_mark);
  g_free (fig);
}

VI_DEFINE_STR_SETTER (ViFigure, vi_figure_set_title, title)
VI_DEFINE_GETTER (ViFigure, vi_figure_get_title, const char *, title)
VI_DEFINE_GETTER (ViFigure, vi_figure_get_n_rows, guint, rows)
VI_DEFINE_GETTER (ViFigure, vi_figure_get_n_cols, guint, cols)
VI_DEFINE_GETTER (ViFigure, vi_figure_get_theme, ViTheme, theme)
VI_DEFINE_GETTER (ViFigure, vi_figure_get_font_scale, double, font_scale)
VI_DEFINE_STR_SETTER (ViFigure, vi_figure_set_font_family, font_family)
VI_DEFINE_SETTER (ViFigure, vi_figure_set_transparent, gboolean, transparent)

void
vi_figure_set_decimal_mark (ViFigure   *fig,
                            const char *mark)
{
  g_return_if_fail (fig != NULL);
  g_free (fig->decimal_mark);
  fig->decimal_mark = mark != NULL && *mark != '\0' && strcmp (mark, ".") != 0
                      ? g_strdup (mark) : NULL;
}

char *
vi_figure_format_tick (ViFigure *fig,
                       double    value,
                       double    step,
                       gboolean  log_scale)
{
  char *label = vi_ticks_format (value, step, log_scale);
  const char *dot = strchr (label, '.');
  GString *out;

  if (fig == NULL || fig->decimal_mark == NULL || dot == NULL)
    return label;
  out = g_string_new_len (label, dot - label);
  g_string_append (out, fig->decimal_mark);
  g_string_append (out, dot + 1);
  g_free (label);
  return g_string_free (out, FALSE);
}

const char *
vi_figure_get_decimal_mark (ViFigure *fig)
{
  g_return_val_if_fail (fig != NULL, ".");
  return fig->decimal_mark != NULL ? fig->decimal_mark : ".";
}

gboolean
vi_figure_get_title_box (ViFigure *fig,
                         double   *x,
                         double   *y,
                         double   *width,
                         double   *height)
{
  double *out[] = { x, y, width, height };

  g_return_val_if_fail (fig != NULL, FALSE);
  if (!fig->drawn || !fig->title_drawn)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (out); i++)
    if (out[i] != NULL)
      *out[i] = fig->title_box[i];
  return TRUE;
}

ViPanel *
vi_figure_get_panel (ViFigure *fig,
                     guint     row,
                     guint     col)
{
  g_return_val_if_fail (fig != NULL, NULL);
  if (row >= fig->rows || col >= fig->cols)
    return NULL;
  return fig->panels[row * fig->cols + col];
}

void
vi_figure_set_theme (ViFigure *fig,
                     ViTheme   theme)
{
  g_return_if_fail (fig != NULL);
  fig->theme = (guint) theme <= VI_THEME_PRINT ? theme : VI_THEME_LIGHT;
}

void
vi_figure_set_font_scale (ViFigure *fig,
                          double    font_scale)
{
  g_return_if_fail (fig != NULL);
  fig->font_scale = isfinite (font_scale) ? CLAMP (font_scale, 0.25, 8) : 1.0;
}

ViPanel *
vi_figure_get_panel_at (ViFigure *fig,
                        double    px,
                        double    py)
{
  g_return_val_if_fail (fig != NULL, NULL);
  for (guint i = 0; i < fig->rows * fig->cols; i++)
    {
      ViPanel *p = fig->panels[i];

      if (p->laid_out && px >= p->ax && px <= p->ax + p->aw && py >= p->ay && py <= p->ay + p->ah)
        return p;
    }
  return NULL;
}
