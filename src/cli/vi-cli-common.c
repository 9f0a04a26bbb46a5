/* vi-cli-common.c
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

char *
vi_json_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
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
