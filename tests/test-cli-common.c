/* test-cli-common.c — the CLI's JSON writer: valid, locale-independent
 * numbers ("1e+20", never "1e+20.0" or "0,5"), null for non-finite values
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>

#include "vi-cli-common.h"
#include "vi-test-json.h"

static char *
sample_json (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const double row[6] = { 5e-324, 0.5, 3, -1.5e-300, NAN, -INFINITY };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "big");
  json_builder_add_double_value (b, 1e20);
  vi_json_add_double_member (b, "tiny", 1e-300);
  vi_json_add_array_member (b, "row", row, 6);
  vi_json_add_matrix_member (b, "matrix", row, 2, 2);
  vi_json_add_array_member (b, "empty", row, 0);
  json_builder_set_member_name (b, "text \"q\"");
  json_builder_add_string_value (b, "a,b\n\u00e9");
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, -7);
  json_builder_set_member_name (b, "flag");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "nothing");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "object");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return vi_json_to_string (b);
}

static void
check_sample (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  JsonArray *row;

  g_assert_cmpuint (vi_test_assert_strict_json (text), ==, 2 + 4 + 4 + 1);
  g_assert_nonnull (strstr (text, "\"big\" : 1e+20,"));
  g_assert_nonnull (strstr (text, "\"tiny\" : 1e-300,"));
  g_assert_nonnull (strstr (text, "  \"nothing\" : null,\n"));
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (json_object_get_double_member (o, "big"), ==, 1e20);
  row = json_object_get_array_member (o, "row");
  g_assert_cmpuint (json_array_get_length (row), ==, 6);
  g_assert_cmpfloat (json_array_get_double_element (row, 0), ==, 5e-324);
  g_assert_cmpfloat (json_array_get_double_element (row, 1), ==, 0.5);
  g_assert_cmpfloat (json_array_get_double_element (row, 2), ==, 3);
  g_assert_cmpfloat (json_array_get_double_element (row, 3), ==, -1.5e-300);
  g_assert_true (json_array_get_null_element (row, 4));
  g_assert_true (json_array_get_null_element (row, 5));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "empty")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "text \"q\""), ==, "a,b\n\u00e9");
  g_assert_cmpint (json_object_get_int_member (o, "count"), ==, -7);
  g_assert_true (json_object_get_boolean_member (o, "flag"));
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (o, "object")), ==, 0);
}

static void
test_json_numbers (void)
{
  g_autofree char *text = sample_json ();

  check_sample (text);
  /* The same text in a locale with a decimal comma. */
  if (setlocale (LC_NUMERIC, "sv_SE.UTF-8") == NULL
      && setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("no locale with a decimal comma installed");
      return;
    }
  {
    g_autofree char *local = g_strdup_printf ("%.1f", 0.5);
    g_autofree char *again = sample_json ();

    g_assert_cmpstr (local, ==, "0,5");
    setlocale (LC_NUMERIC, "C");
    g_assert_cmpstr (again, ==, text);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/common/json-numbers", test_json_numbers);
  return g_test_run ();
}
