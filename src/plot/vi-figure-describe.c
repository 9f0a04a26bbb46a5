/* vi-figure-describe.c — a plain-text summary of a figure for assistive
 * technology
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plot library has no translations of its own, so the summary is made
 * of the figure's own (translated) words — titles, axis labels, series and
 * category names — joined by punctuation only:
 *
 *   "ELBO. iteration 0 – 3000, ELBO −60 – −40. naive: iteration 2999,
 *    ELBO −45.2. log p(x): ELBO −40.1."
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-figure-private.h"

#define MAX_BARS 8

/* @v with four significant digits, the figure's decimal mark and a typeset
 * minus. */
static void
append_number (GString  *out,
               ViFigure *fig,
               double    v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *mark = vi_figure_get_decimal_mark (fig);

  if (isnan (v))
    {
      g_string_append (out, "NaN");
      return;
    }
  if (isinf (v))
    {
      g_string_append (out, v > 0 ? "∞" : "−∞");
      return;
    }
  g_ascii_formatd (buf, sizeof buf, "%.4g", v);
  for (const char *c = buf; *c; c++)
    if (*c == '-')
      g_string_append (out, "−");
    else if (*c == '.')
      g_string_append (out, mark);
    else
      g_string_append_c (out, *c);
}

/* "<axis name> <lo> – <hi>" for @axis of @p (after ", " when @out does not
 * end a sentence): the range the panel shows (fixed, zoomed or the data's),
 * the same before and after a draw. Nothing for a category axis. */
static gboolean
append_range (GString  *out,
              ViPanel  *p,
              ViAxis    axis,
              char    **name)
{
  double lo, hi;

  if ((axis == VI_AXIS_X && p->categories != NULL)
      || !vi_panel_compute_range (p, axis, &lo, &hi))
    return FALSE;
  if (out->len > 0)
    g_string_append (out, out->str[out->len - 1] != '.' ? ", " : " ");
  if (*name[axis] != '\0')
    g_string_append_printf (out, "%s ", name[axis]);
  append_number (out, p->fig, MIN (lo, hi));
  g_string_append (out, " – ");
  append_number (out, p->fig, MAX (lo, hi));
  return TRUE;
}

static void
append_pair (GString    *out,
             ViFigure   *fig,
             const char *name,
             double      v)
{
  if (*name != '\0')
    g_string_append_printf (out, "%s ", name);
  append_number (out, fig, v);
}

/* "<series name>: …" with its last point, value or bar heights. */
static void
describe_series (GString   *out,
                 ViPanel   *p,
                 ViSeries  *s,
                 char     **name)
{
  const double *x, *y;
  gsize n = vi_series_columns (s, &x, &y);

  g_string_append_printf (out, " %s", s->name);
  switch (s->kind)
    {
    case VI_SERIES_HLINE:
      g_string_append (out, ": ");
      append_pair (out, p->fig, name[VI_AXIS_Y], s->value);
      break;
    case VI_SERIES_VLINE:
      g_string_append (out, ": ");
      append_pair (out, p->fig, name[VI_AXIS_X], s->value);
      break;
    case VI_SERIES_BARS:
      g_string_append (out, ":");
      for (gsize i = 0; i < n && i < MAX_BARS; i++)
        {
          guint len = p->categories != NULL ? g_strv_length (p->categories) : 0;

          g_string_append (out, i > 0 ? ", " : " ");
          append_pair (out, p->fig, i < len ? p->categories[i] : "",
                       s->values != NULL ? s->values[i] : y[i]);
        }
      break;
    case VI_SERIES_LINE:
    case VI_SERIES_STEP:
    case VI_SERIES_SCATTER:
      if (n == 0)
        break;
      g_string_append (out, ": ");
      append_pair (out, p->fig, name[VI_AXIS_X], x[n - 1]);
      g_string_append (out, ", ");
      append_pair (out, p->fig, name[VI_AXIS_Y], y[n - 1]);
      break;
    default:
      break;
    }
  g_string_append_c (out, '.');
}

static void
describe_panel (GString *out,
                ViPanel *p)
{
  char *name[2];

  if (!vi_panel_has_data (p) && (p->title == NULL || *p->title == '\0'))
    return;
  for (ViAxis axis = VI_AXIS_X; axis <= VI_AXIS_Y; axis++)
    name[axis] = vi_panel_axis_text (p, axis, FALSE, "");
  if (p->title != NULL && *p->title != '\0')
    g_string_append_printf (out, "%s%s.", out->len > 0 ? " " : "", p->title);
  if (vi_panel_has_data (p) && !vi_panel_is_image_only (p))
    {
      gboolean x = append_range (out, p, VI_AXIS_X, name);

      if (append_range (out, p, VI_AXIS_Y, name) || x)
        g_string_append_c (out, '.');
    }
  for (guint i = 0; i < p->series->len; i++)
    {
      ViSeries *s = g_ptr_array_index (p->series, i);

      if (s->hidden || s->name == NULL || *s->name == '\0')
        continue;
      describe_series (out, p, s, name);
    }
  g_free (name[0]);
  g_free (name[1]);
}

char *
vi_figure_describe (ViFigure *fig)
{
  GString *out;

  g_return_val_if_fail (fig != NULL, NULL);
  out = g_string_new (NULL);
  if (fig->title != NULL && *fig->title != '\0')
    g_string_append_printf (out, "%s.", fig->title);
  for (guint i = 0; i < fig->rows * fig->cols; i++)
    describe_panel (out, fig->panels[i]);
  g_strstrip (out->str);
  out->len = strlen (out->str);
  return g_string_free (out, FALSE);
}
