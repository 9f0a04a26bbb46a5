/* vi-cli-common.c
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vi-cli-common.h"
#include "vi-params.h"

G_DEFINE_QUARK (vi-cli-error-quark, vi_cli_error)

int
vi_cli_report_error (const char   *subcommand,
                     const GError *error)
{
  g_autofree char *msg = g_strdup (error->message);
  int code = VI_EXIT_RUNTIME;

  g_strdelimit (msg, "\r\n", ' ');
  g_strstrip (msg);
  if (subcommand != NULL)
    fprintf (stderr, "elbo-lab-cli %s: %s\n", subcommand, msg);
  else
    fprintf (stderr, "elbo-lab-cli: %s\n", msg);

  if (error->domain == G_OPTION_ERROR)
    code = VI_EXIT_USAGE;
  else if (error->domain == VI_CLI_ERROR)
    code = error->code;
  return code;
}

gboolean
vi_cli_usage_error (GError    **error,
                    const char *format,
                    ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, VI_CLI_ERROR, VI_EXIT_USAGE, msg);
  return FALSE;
}

gboolean
vi_cli_parse_double (const char  *what,
                     const char  *text,
                     double      *out,
                     GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (vi_params_parse_double (what, text, out, &local))
    return TRUE;
  g_set_error_literal (error, VI_CLI_ERROR, VI_EXIT_USAGE, local->message);
  return FALSE;
}

static void
add_double (JsonBuilder *builder,
                    double       x)
{
  /* json-glib 1.6 would write ±inf/NaN as "inf.0"/"nan.0", which is not JSON. */
  if (isfinite (x))
    json_builder_add_double_value (builder, x);
  else
    json_builder_add_null_value (builder);
}

void
vi_json_add_double_member (JsonBuilder *builder,
                           const char  *name,
                           double       x)
{
  json_builder_set_member_name (builder, name);
  add_double (builder, x);
}

void
vi_json_add_int_member (JsonBuilder *builder,
                        const char  *name,
                        gint64       x)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, x);
}

static void
add_array (JsonBuilder  *builder,
           const double *x,
           gsize         n)
{
  json_builder_begin_array (builder);
  for (gsize i = 0; i < n; i++)
    add_double (builder, x[i]);
  json_builder_end_array (builder);
}

void
vi_json_add_array_member (JsonBuilder  *builder,
                          const char   *name,
                          const double *x,
                          gsize         n)
{
  json_builder_set_member_name (builder, name);
  add_array (builder, x, n);
}

void
vi_json_add_matrix_member (JsonBuilder  *builder,
                           const char   *name,
                           const double *x,
                           gsize         rows,
                           gsize         cols)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (gsize i = 0; i < rows; i++)
    add_array (builder, x + i * cols, cols);
  json_builder_end_array (builder);
}

static void write_node (GString *out, JsonNode *node, guint depth);

static void
indent (GString *out,
        guint    depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/* A double as a JSON number in any locale: '.' decimal point, the shortest
 * text that reads back to the same double; never "1e+20.0" (json-glib 1.6
 * appends ".0" to any number without a '.'). */
static void
write_double (GString *out,
              double   x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (x))
    {
      g_string_append (out, "null");
      return;
    }
  g_ascii_dtostr (buf, sizeof buf, x);
  g_string_append (out, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
write_object (GString    *out,
              JsonObject *obj,
              guint       depth)
{
  g_autoptr(GList) members = json_object_get_members (obj);

  if (members == NULL)
    {
      g_string_append (out, "{}");
      return;
    }
  g_string_append (out, "{\n");
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autoptr(JsonNode) key = json_node_init_string (json_node_alloc (), l->data);
      g_autofree char *quoted = json_to_string (key, FALSE);

      indent (out, depth + 1);
      g_string_append_printf (out, "%s : ", quoted);
      write_node (out, json_object_get_member (obj, l->data), depth + 1);
      g_string_append (out, l->next != NULL ? ",\n" : "\n");
    }
  indent (out, depth);
  g_string_append_c (out, '}');
}

static void
write_node (GString  *out,
            JsonNode *node,
            guint     depth)
{
  JsonArray *array;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      write_object (out, json_node_get_object (node), depth);
      break;
    case JSON_NODE_ARRAY:
      array = json_node_get_array (node);
      if (json_array_get_length (array) == 0)
        {
          g_string_append (out, "[]");
          break;
        }
      g_string_append (out, "[\n");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          indent (out, depth + 1);
          write_node (out, json_array_get_element (array, i), depth + 1);
          g_string_append (out, i + 1 < json_array_get_length (array) ? ",\n" : "\n");
        }
      indent (out, depth);
      g_string_append_c (out, ']');
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          write_double (out, json_node_get_double (node));
          break;
        }
      G_GNUC_FALLTHROUGH;
    case JSON_NODE_NULL:
    default:
      {
        g_autofree char *text = json_to_string (node, FALSE);

        g_string_append (out, text);
      }
      break;
    }
}

char *
vi_json_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  GString *out = g_string_new (NULL);

  if (root != NULL)
    write_node (out, root, 0);
  return g_string_free (out, FALSE);
}

const char *
vi_cli_fmt (double x)
{
  static char buf[8][48];
  static guint slot;
  char *b = buf[slot++ % 8];

  if (isnan (x))
    return "nan";
  if (isinf (x))
    return x > 0 ? "inf" : "-inf";
  g_snprintf (b, sizeof buf[0], "%.10g", x);
  return b;
}
