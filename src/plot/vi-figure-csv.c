/* vi-figure-csv.c — the data behind a figure as CSV (RFC 4180)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-figure-private.h"

typedef struct
{
  char   *header;
  GArray *values;    /* double, or NULL for text */
  GPtrArray *text;   /* char*, for text columns */
} CsvColumn;

static void
csv_column_free (gpointer data)
{
  CsvColumn *c = data;

  g_free (c->header);
  if (c->values != NULL)
    g_array_unref (c->values);
  if (c->text != NULL)
    g_ptr_array_unref (c->text);
  g_free (c);
}

/* Column names: "<series> · <coordinate>", the coordinate named after the
 * panel's axis ("naive · iteration", "naive · ELBO"). */
typedef struct
{
  const char *x, *y;   /* the axes' data names, never NULL */
} CsvAxes;

static CsvColumn *
csv_add (GPtrArray  *cols,
         const char *prefix,
         const char *coord)
{
  CsvColumn *c = g_new0 (CsvColumn, 1);

  c->header = g_strdup_printf ("%s · %s", prefix, coord);
  c->values = g_array_new (FALSE, FALSE, sizeof (double));
  g_ptr_array_add (cols, c);
  return c;
}

static void
csv_add_array (GPtrArray  *cols,
               const char *prefix,
               const char *coord,
               GArray     *a)
{
  CsvColumn *c = csv_add (cols, prefix, coord);

  g_array_append_vals (c->values, a->data, a->len);
}

/* @label as plain text: markup tags dropped, entities decoded. */
static char *
csv_plain (const char *label,
           gboolean    markup)
{
  GString *out = g_string_new (NULL);
  static const char *const entities[][2] = {
    { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&apos;", "'" },
  };

  for (const char *c = label; *c != '\0'; c++)
    {
      gboolean done = FALSE;

      if (markup && *c == '<' && strchr (c, '>') != NULL)
        {
          c = strchr (c, '>');
          continue;
        }
      for (guint k = 0; markup && k < G_N_ELEMENTS (entities) && !done; k++)
        if (g_str_has_prefix (c, entities[k][0]))
          {
            g_string_append (out, entities[k][1]);
            c += strlen (entities[k][0]) - 1;
            done = TRUE;
          }
      if (!done)
        g_string_append_c (out, *c);
    }
  return g_string_free (out, FALSE);
}

char *
vi_panel_axis_text (ViPanel    *p,
                    ViAxis      axis,
                    gboolean    data,
                    const char *fallback)
{
  if (data && p->data_label[axis] != NULL)
    return g_strdup (p->data_label[axis]);
  if (p->label[axis] != NULL && *p->label[axis] != '\0')
    {
      char *plain = csv_plain (p->label[axis], p->label_markup[axis]);

      if (*plain != '\0')
        return plain;
      g_free (plain);
    }
  return g_strdup (fallback);
}

/* A stable name for a series without one: what it is. */
static const char *
csv_kind_name (ViSeriesKind kind)
{
  switch (kind)
    {
    case VI_SERIES_LINE: return "line";
    case VI_SERIES_STEP: return "steps";
    case VI_SERIES_SCATTER: return "points";
    case VI_SERIES_BAND: return "band";
    case VI_SERIES_BARS: return "bars";
    case VI_SERIES_HISTOGRAM: return "histogram";
    case VI_SERIES_HLINE: return "horizontal line";
    case VI_SERIES_VLINE: return "vertical line";
    case VI_SERIES_HEATMAP: return "heat map";
    case VI_SERIES_IMAGES: return "images";
    case VI_SERIES_TEXT: return "text";
    default: return "data";
    }
}

static void
csv_append_quoted (GString    *out,
                   const char *s)
{
  if (strpbrk (s, ",\"\r\n") == NULL)
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (; *s; s++)
    {
      if (*s == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *s);
    }
  g_string_append_c (out, '"');
}

static void
series_csv_columns (ViSeries      *s,
                    const char    *prefix,
                    const CsvAxes *ax,
                    GPtrArray     *cols)
{
  CsvColumn *c, *c2, *c3;

  switch (s->kind)
    {
    case VI_SERIES_LINE:
    case VI_SERIES_STEP:
    case VI_SERIES_SCATTER:
      csv_add_array (cols, prefix, ax->x, s->x);
      csv_add_array (cols, prefix, ax->y, s->y);
      if (s->categories != NULL)
        {
          c = csv_add (cols, prefix, "category");
          for (guint i = 0; i < s->y->len; i++)
            {
              double v = s->categories[i];
              g_array_append_val (c->values, v);
            }
        }
      if (s->values != NULL)
        {
          c = csv_add (cols, prefix, "value");
          g_array_append_vals (c->values, s->values, s->y->len);
        }
      break;
    case VI_SERIES_BAND:
      csv_add_array (cols, prefix, ax->x, s->x);
      csv_add_array (cols, prefix, "lower", s->y);
      csv_add_array (cols, prefix, "upper", s->y2);
      break;
    case VI_SERIES_BARS:
      if (s->panel->categories != NULL)
        {
          c = g_new0 (CsvColumn, 1);
          c->header = g_strdup_printf ("%s · %s", prefix, ax->x);
          c->text = g_ptr_array_new_with_free_func (g_free);
          for (guint k = 0; k < s->y->len; k++)
            g_ptr_array_add (c->text, g_strdup (k < g_strv_length (s->panel->categories)
                                                ? s->panel->categories[k] : ""));
          g_ptr_array_add (cols, c);
        }
      else
        csv_add_array (cols, prefix, ax->x, s->x);
      c = csv_add (cols, prefix, ax->y);
      if (s->values != NULL)
        g_array_append_vals (c->values, s->values, s->y->len);
      else
        g_array_append_vals (c->values, s->y->data, s->y->len);
      if (s->y2->len > 0)
        csv_add_array (cols, prefix, "error", s->y2);
      break;
    case VI_SERIES_HISTOGRAM:
      {
        g_autofree char *from = g_strdup_printf ("%s from", ax->x);
        g_autofree char *to = g_strdup_printf ("%s to", ax->x);

        c = csv_add (cols, prefix, from);
        c2 = csv_add (cols, prefix, to);
      }
      for (guint i = 0; i + 1 < s->x->len; i++)
        {
          g_array_append_val (c->values, g_array_index (s->x, double, i));
          g_array_append_val (c2->values, g_array_index (s->x, double, i + 1));
        }
      csv_add_array (cols, prefix, ax->y, s->y);
      break;
    case VI_SERIES_HLINE:
      c = csv_add (cols, prefix, ax->y);
      g_array_append_val (c->values, s->value);
      break;
    case VI_SERIES_VLINE:
      c = csv_add (cols, prefix, ax->x);
      g_array_append_val (c->values, s->value);
      break;
    case VI_SERIES_HEATMAP:
      c = csv_add (cols, prefix, "row");
      c2 = csv_add (cols, prefix, "col");
      c3 = csv_add (cols, prefix, "z");
      for (gsize r = 0; r < s->rows; r++)
        for (gsize k = 0; k < s->cols; k++)
          {
            double vr = r, vk = k;

            g_array_append_val (c->values, vr);
            g_array_append_val (c2->values, vk);
            g_array_append_val (c3->values, s->z[r * s->cols + k]);
          }
      break;
    case VI_SERIES_IMAGES:
      {
        gsize per = s->img_h * s->img_w;
        const char *names[3] = { "r", "g", "b" };
        CsvColumn *cc[3] = { NULL, NULL, NULL };

        c = csv_add (cols, prefix, "image");
        c2 = csv_add (cols, prefix, "row");
        c3 = csv_add (cols, prefix, "col");
        for (guint k = 0; k < s->channels; k++)
          cc[k] = csv_add (cols, prefix, s->channels == 1 ? "value" : names[k]);
        for (gsize i = 0; i < s->n_images * per; i++)
          {
            double vi = (double) (i / per), vr = (double) ((i % per) / s->img_w);
            double vc = (double) (i % s->img_w);

            g_array_append_val (c->values, vi);
            g_array_append_val (c2->values, vr);
            g_array_append_val (c3->values, vc);
            for (guint k = 0; k < s->channels; k++)
              g_array_append_val (cc[k]->values, s->pixels[i * s->channels + k]);
          }
      }
      break;
    case VI_SERIES_TEXT:
      csv_add_array (cols, prefix, ax->x, s->x);
      csv_add_array (cols, prefix, ax->y, s->y);
      c = g_new0 (CsvColumn, 1);
      c->header = g_strdup_printf ("%s · text", prefix);
      c->text = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (c->text, g_strdup (s->text));
      g_ptr_array_add (cols, c);
      break;
    default:
      break;
    }
}

/* Gives column @c a header no earlier column has ("naive · x (2)"). */
static void
csv_unique_header (GPtrArray *cols,
                   guint      c)
{
  CsvColumn *col = cols->pdata[c];
  g_autofree char *base = g_strdup (col->header);

  for (guint k = 2, j = 0; j < c; j++)
    if (strcmp (((CsvColumn *) cols->pdata[j])->header, col->header) == 0)
      {
        g_free (col->header);
        col->header = g_strdup_printf ("%s (%u)", base, k++);
        j = G_MAXUINT;   /* check the new name against every column again */
      }
}

char *
vi_figure_to_csv (ViFigure *fig)
{
  g_autoptr(GPtrArray) cols = g_ptr_array_new_with_free_func (csv_column_free);
  GString *out = g_string_new (NULL);
  guint rows = 0;

  g_return_val_if_fail (fig != NULL, NULL);
  for (guint pi = 0; pi < fig->rows * fig->cols; pi++)
    {
      ViPanel *p = fig->panels[pi];
      g_autofree char *xn = vi_panel_axis_text (p, VI_AXIS_X, TRUE, NULL);
      g_autofree char *yn = vi_panel_axis_text (p, VI_AXIS_Y, TRUE, NULL);
      CsvAxes ax = { xn != NULL ? xn : "x", yn != NULL ? yn : "y" };
      CsvAxes bars = { xn != NULL ? xn : "category", yn != NULL ? yn : "height" };

      for (guint i = 0; i < p->series->len; i++)
        {
          ViSeries *s = p->series->pdata[i];
          const char *name = s->data_name != NULL ? s->data_name : s->name;
          guint first = cols->len;

          if (s->hidden)
            continue;
          series_csv_columns (s, *name != '\0' ? name : csv_kind_name (s->kind),
                              s->kind == VI_SERIES_BARS ? &bars : &ax, cols);
          for (guint c = first; c < cols->len; c++)
            csv_unique_header (cols, c);
        }
    }

  for (guint c = 0; c < cols->len; c++)
    {
      CsvColumn *col = cols->pdata[c];

      if (c > 0)
        g_string_append_c (out, ',');
      csv_append_quoted (out, col->header);
      rows = MAX (rows, col->values != NULL ? col->values->len : col->text->len);
    }
  g_string_append (out, "\r\n");
  for (guint r = 0; r < rows; r++)
    {
      for (guint c = 0; c < cols->len; c++)
        {
          CsvColumn *col = cols->pdata[c];

          if (c > 0)
            g_string_append_c (out, ',');
          if (col->values != NULL && r < col->values->len)
            {
              double v = g_array_index (col->values, double, r);
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              if (isnan (v))
                g_string_append (out, "NaN");
              else if (isinf (v))
                g_string_append (out, v > 0 ? "inf" : "-inf");
              else
                g_string_append (out, g_ascii_dtostr (buf, sizeof buf, v));
            }
          else if (col->text != NULL && r < col->text->len)
            csv_append_quoted (out, col->text->pdata[r]);
        }
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}

void
vi_panel_set_axis_data_name (ViPanel    *p,
                             ViAxis      axis,
                             const char *name)
{
  g_return_if_fail (p != NULL && (axis == VI_AXIS_X || axis == VI_AXIS_Y));
  vi_set_str (&p->data_label[axis], name != NULL && *name != '\0' ? name : NULL);
}
