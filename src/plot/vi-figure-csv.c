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

static CsvColumn *
csv_add (GPtrArray  *cols,
         const char *prefix,
         const char *coord)
{
  CsvColumn *c = g_new0 (CsvColumn, 1);

  c->header = g_strdup_printf ("%s:%s", prefix, coord);
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
series_csv_columns (ViSeries   *s,
                    const char *prefix,
                    GPtrArray  *cols)
{
  CsvColumn *c, *c2, *c3;

  switch (s->kind)
    {
    case VI_SERIES_LINE:
    case VI_SERIES_STEP:
    case VI_SERIES_SCATTER:
      csv_add_array (cols, prefix, "x", s->x);
      csv_add_array (cols, prefix, "y", s->y);
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
      csv_add_array (cols, prefix, "x", s->x);
      csv_add_array (cols, prefix, "lower", s->y);
      csv_add_array (cols, prefix, "upper", s->y2);
      break;
    case VI_SERIES_BARS:
      csv_add_array (cols, prefix, "category", s->x);
      csv_add_array (cols, prefix, "height", s->y);
      if (s->y2->len > 0)
        csv_add_array (cols, prefix, "error", s->y2);
      break;
    case VI_SERIES_HISTOGRAM:
      c = csv_add (cols, prefix, "left");
      c2 = csv_add (cols, prefix, "right");
      for (guint i = 0; i + 1 < s->x->len; i++)
        {
          g_array_append_val (c->values, g_array_index (s->x, double, i));
          g_array_append_val (c2->values, g_array_index (s->x, double, i + 1));
        }
      csv_add_array (cols, prefix, "count", s->y);
      break;
    case VI_SERIES_HLINE:
      c = csv_add (cols, prefix, "y");
      g_array_append_val (c->values, s->value);
      break;
    case VI_SERIES_VLINE:
      c = csv_add (cols, prefix, "x");
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
      csv_add_array (cols, prefix, "x", s->x);
      csv_add_array (cols, prefix, "y", s->y);
      c = g_new0 (CsvColumn, 1);
      c->header = g_strdup_printf ("%s:text", prefix);
      c->text = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (c->text, g_strdup (s->text));
      g_ptr_array_add (cols, c);
      break;
    default:
      break;
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

      for (guint i = 0; i < p->series->len; i++)
        {
          ViSeries *s = p->series->pdata[i];
          g_autofree char *name = NULL;
          g_autofree char *prefix = NULL;

          if (s->hidden)
            continue;
          if (*s->name != '\0')
            name = g_strdup (s->name);
          else
            name = g_strdup_printf ("series %u", i + 1);
          if (fig->rows * fig->cols > 1)
            prefix = g_strdup_printf ("%s/%s", p->title != NULL && *p->title != '\0'
                                      ? p->title : "panel", name);
          else
            prefix = g_strdup (name);
          if (fig->rows * fig->cols > 1 && (p->title == NULL || *p->title == '\0'))
            {
              g_free (prefix);
              prefix = g_strdup_printf ("panel %u/%s", pi + 1, name);
            }
          series_csv_columns (s, prefix, cols);
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
