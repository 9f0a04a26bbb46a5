/* vi-test-json.h — strict checks of JSON and CSV text the CLI writes
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include <json-glib/json-glib.h>

#include "vi-json-check.h"

/* Asserts @text is one strict JSON value (vi_json_check: RFC 8259's
 * grammar, so no decimal comma, "1e+20.0", "nan" or "inf"; UTF-8; numbers
 * in the range json-glib reads) that json-glib reads too; returns the
 * number of numbers in it (outside strings). */
static inline guint
vi_test_assert_strict_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  gboolean in_string = FALSE;
  guint numbers = 0;

  if (!vi_json_check (text, strlen (text), 64, &why))
    g_error ("not strict JSON: %s in:\n%.2000s", why, text);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  for (const char *c = text; *c != '\0'; c++)
    {
      if (in_string)
        {
          if (*c == '\\' && c[1] != '\0')
            c++;
          else if (*c == '"')
            in_string = FALSE;
        }
      else if (*c == '"')
        in_string = TRUE;
      else if (*c == '-' || g_ascii_isdigit (*c))
        {
          numbers++;
          c += strspn (c, "-+.0123456789eE") - 1;
        }
    }
  return numbers;
}

/* Number of fields of one CSV line (RFC 4180 quotes). */
static inline guint
vi_test_csv_fields (const char *line)
{
  guint n = 1;
  gboolean quoted = FALSE;

  for (const char *c = line; *c != '\0'; c++)
    if (*c == '"')
      quoted = !quoted;
    else if (*c == ',' && !quoted)
      n++;
  return n;
}

/* Asserts every line of @csv has as many fields as its header (a decimal
 * comma would add some) and that unquoted fields that start like a number
 * are whole numbers in C notation. */
static inline void
vi_test_assert_csv_dot (const char *csv)
{
  g_auto(GStrv) lines = g_regex_split_simple ("\r?\n", csv, 0, 0);
  guint header;

  g_assert_nonnull (lines[0]);
  header = vi_test_csv_fields (lines[0]);
  g_assert_cmpuint (header, >, 1);
  for (guint r = 1; lines[r] != NULL; r++)
    {
      g_auto(GStrv) fields = NULL;

      if (lines[r][0] == '\0')
        continue;
      g_assert_cmpuint (vi_test_csv_fields (lines[r]), ==, header);
      if (strchr (lines[r], '"') != NULL)
        continue;
      fields = g_strsplit (lines[r], ",", -1);
      for (guint f = 0; fields[f] != NULL; f++)
        if (g_ascii_isdigit (fields[f][0]) || fields[f][0] == '-')
          {
            char *end = NULL;

            g_ascii_strtod (fields[f], &end);
            g_assert_cmpstr (end, ==, "");
          }
    }
}
