/* test-json-check.c — the strict JSON checker: RFC 8259's grammar, UTF-8,
 * surrogates, ranges json-glib reads wrongly, depth, and where it stops
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "vi-json-check.h"

static gboolean
check (const char  *text,
       char       **why)
{
  return vi_json_check (text, strlen (text), 8, why);
}

/* Text that passes; json-glib must read each too. */
static void
test_valid (void)
{
  static const char *const ok[] = {
    "{}", "[]", "0", "-0", "1.5", "-1.25e-3", "1E+2", "2e-12", "true", "false", "null",
    "\"\"", " \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } } \n",
    "9223372036854775807", "-9223372036854775808", "1.7976931348623157e308", "5e-324",
    "1e-400",  /* underflows to 0: representable, read as 0 */
    "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e5\\uffff\"",
    "\"\\ud83d\\ude00 \\uD83D\\uDE00\"",   /* pairs, either case */
    "\"åäö 😀 \xe2\x82\xac\"",
    "[[[[[[[[]]]]]]]]",                    /* 8 deep: the limit */
    "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":1}}}}}}}",
    "\"[{\\\"\"",                           /* brackets in strings do not nest */
  };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autofree char *why = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (!check (ok[i], &why))
        g_error ("refused %s: %s", ok[i], why);
      g_assert_null (why);
      g_assert_true (json_parser_load_from_data (parser, ok[i], -1, &error));
      g_assert_no_error (error);
    }
}

/* Text that does not, with where and why. */
static void
test_invalid (void)
{
  static const struct
  {
    const char *text;
    const char *want;
  } cases[] = {
    { "", "line 1, column 1: the text ends before a value" },
    { "  \n ", "line 2, column 2: the text ends before a value" },
    { "{} {}", "line 1, column 4: text after the value" },
    { "[1]\n[2]", "line 2, column 1: text after the value" },
    { "{}x", "line 1, column 3: text after the value" },
    { "01", "line 1, column 2: a number with a leading zero" },
    { "-", "line 1, column 2: not a JSON value" },
    { "+1", "line 1, column 1: not a JSON value" },
    { ".5", "line 1, column 1: not a JSON value" },
    { "1.", "line 1, column 3: no digit after the decimal point" },
    { "1e", "line 1, column 3: no digit in the exponent" },
    { "1e+20.0", "line 1, column 6: text after the value" },
    { "NaN", "line 1, column 1: not a JSON value" },
    { "[Infinity]", "line 1, column 2: not a JSON value" },
    { "nul", "line 1, column 1: not a JSON value" },
    { "[tru]", "line 1, column 2: not a JSON value" },
    { "99999999999999999999", "line 1, column 1: an integer outside [-2^63, 2^63 - 1]" },
    { "[9223372036854775808]", "line 1, column 2: an integer outside [-2^63, 2^63 - 1]" },
    { "-9223372036854775809", "line 1, column 1: an integer outside [-2^63, 2^63 - 1]" },
    { "1e400", "line 1, column 1: a number too large for a double" },
    { "[-1.8e308]", "line 1, column 2: a number too large for a double" },
    { "\"abc", "line 1, column 5: an unterminated string" },
    { "\"\\", "line 1, column 3: an unterminated string" },
    { "\"\\x\"", "line 1, column 2: an unknown escape in a string" },
    { "\"\\u12\"", "line 1, column 2: \\u without four hex digits" },
    { "\"\\ud800\"", "line 1, column 2: a high surrogate escape without its low half" },
    { "\"\\ud800x\"", "line 1, column 2: a high surrogate escape without its low half" },
    { "\"\\ud800\\u0041\"", "line 1, column 2: a high surrogate escape without its low half" },
    { "\"\\udc00\"", "line 1, column 2: a low surrogate escape without its high half" },
    { "\"a\tb\"", "line 1, column 3: a control character in a string" },
    { "\"a\nb\"", "line 1, column 3: a control character in a string" },
    { "\"\xff\"", "line 1, column 2: not UTF-8 text" },
    { "\"\xc3\"", "line 1, column 2: not UTF-8 text" },          /* cut short */
    { "\"\xc0\xaf\"", "line 1, column 2: not UTF-8 text" },      /* overlong */
    { "\"\xed\xa0\x80\"", "line 1, column 2: not UTF-8 text" },  /* a surrogate */
    { "\"\xf4\x90\x80\x80\"", "line 1, column 2: not UTF-8 text" }, /* past U+10FFFF */
    { "\"\x80\"", "line 1, column 2: not UTF-8 text" },          /* a lone continuation */
    { "{1: 2}", "line 1, column 2: a member name must be a string" },
    { "{\"a\" 2}", "line 1, column 6: ':' expected after a member name" },
    { "{\"a\": 1,}", "line 1, column 9: a member name must be a string" },
    { "{\"a\": 1 \"b\": 2}", "line 1, column 9: ',' or '}' expected" },
    { "[1 2]", "line 1, column 4: ',' or ']' expected" },
    { "[1,]", "line 1, column 4: not a JSON value" },
    { "[", "line 1, column 2: the text ends before a value" },
    { "{", "line 1, column 2: a member name must be a string" },
    { "[[[[[[[[[]]]]]]]]]", "line 1, column 9: nested more than 8 levels deep" },
    { "\xef\xbb\xbf{}", "line 1, column 1: not a JSON value" },  /* a BOM is not JSON */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *why = NULL;

      g_assert_false (check (cases[i].text, &why));
      if (g_strcmp0 (why, cases[i].want) != 0)
        g_error ("input %s: got “%s”, want “%s”", cases[i].text, why, cases[i].want);
    }
  /* A NULL message is fine. */
  g_assert_false (check ("[", NULL));
}

/* The length, not a NUL, ends the text: a NUL inside is refused and a
 * text cut short is read only up to its length (ASan would catch more). */
static void
test_length (void)
{
  g_autofree char *why = NULL;
  g_autofree char *cut = g_memdup2 ("[1, 2]", 4);   /* "[1, " without a NUL */

  g_assert_false (vi_json_check ("[1]\0", 4, 8, &why));
  g_assert_cmpstr (why, ==, "line 1, column 4: text after the value");
  g_clear_pointer (&why, g_free);
  g_assert_false (vi_json_check ("\"a\0b\"", 5, 8, &why));
  g_assert_cmpstr (why, ==, "line 1, column 3: a control character in a string");
  g_clear_pointer (&why, g_free);
  g_assert_false (vi_json_check (cut, 4, 8, &why));
  g_assert_cmpstr (why, ==, "line 1, column 5: the text ends before a value");
  g_assert_true (vi_json_check ("[1]xyz", 3, 8, NULL));
}

/* 10^6 nested arrays: refused at the limit in linear time, without
 * recursing past it (a stack overflow otherwise). */
static void
test_deep (void)
{
  gsize n = 1000000;
  g_autofree char *text = g_malloc (2 * n);
  g_autofree char *why = NULL;

  memset (text, '[', n);
  memset (text + n, ']', n);
  g_assert_false (vi_json_check (text, 2 * n, 64, &why));
  g_assert_cmpstr (why, ==, "line 1, column 65: nested more than 64 levels deep");
  g_assert_true (vi_json_check (text + n - 64, 128, 64, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/json-check/valid", test_valid);
  g_test_add_func ("/core/json-check/invalid", test_invalid);
  g_test_add_func ("/core/json-check/length", test_length);
  g_test_add_func ("/core/json-check/deep", test_deep);
  return g_test_run ();
}
