/* vi-test-json.h — strict checks of JSON and CSV text the CLI writes
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include <json-glib/json-glib.h>

/* TRUE if @tok (length @len) is a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static inline gboolean
vi_test_json_number_ok (const char *tok,
                        gsize       len)
{
  gsize i = 0;

  if (i < len && tok[i] == '-')
    i++;
  if (i < len && tok[i] == '0')
    i++;
  else if (i < len && tok[i] >= '1' && tok[i] <= '9')
    while (i < len && g_ascii_isdigit (tok[i]))
      i++;
  else
    return FALSE;
  if (i < len && tok[i] == '.')
    {
      if (++i >= len || !g_ascii_isdigit (tok[i]))
        return FALSE;
      while (i < len && g_ascii_isdigit (tok[i]))
        i++;
    }
  if (i < len && (tok[i] == 'e' || tok[i] == 'E'))
    {
      i++;
      if (i < len && (tok[i] == '+' || tok[i] == '-'))
        i++;
      if (i >= len || !g_ascii_isdigit (tok[i]))
        return FALSE;
      while (i < len && g_ascii_isdigit (tok[i]))
        i++;
    }
  return i == len;
}

/* Asserts @text is one JSON value json-glib reads and that every number
 * token in it (outside strings) is a strict JSON number, so no decimal
 * comma, "1e+20.0", "nan" or "inf"; returns the number of numbers. */
static inline guint
vi_test_assert_strict_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gboolean in_string = FALSE;
  guint numbers = 0;

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
          continue;
        }
      if (*c == '"')
        in_string = TRUE;
      else if (*c == '-' || g_ascii_isdigit (*c) || *c == '.')
        {
          gsize len = strcspn (c, ",]} \t\r\n");

          if (!vi_test_json_number_ok (c, len))
            g_error ("not a JSON number: %.*s", (int) len, c);
          numbers++;
          c += len - 1;
        }
      else if (g_ascii_isalpha (*c))
        {
          g_assert_true (g_str_has_prefix (c, "true") || g_str_has_prefix (c, "false")
                         || g_str_has_prefix (c, "null"));
          while (g_ascii_isalpha (c[1]))
            c++;
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
