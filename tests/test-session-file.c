/* test-session-file.c — the session file without the pages: size and depth
 * bounds, member types, settings, data files (GTK-free, like the fuzz
 * target)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * g_test_init() makes CRITICALs and WARNINGs fatal, so a json-glib
 * accessor used on a member of the wrong type fails these tests.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "vi-json-check.h"
#include "vi-session-file.h"

static const ViJobType *
lookup (const char *name,
        gpointer    user_data)
{
  return vi_job_type_lookup (name);
}

static ViSessionFile *
parse (const char  *text,
       GError     **error)
{
  return vi_session_file_parse ("test.elbo-session.json", text, strlen (text), lookup, NULL,
                                error);
}

/* Asserts that @text is refused with a message naming the file and
 * containing @want. */
static void
assert_refused (const char *text,
                const char *want)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViSessionFile) file = parse (text, &error);

  g_assert_null (file);
  g_assert_nonnull (error);
  if (strstr (error->message, "test.elbo-session.json") == NULL
      || strstr (error->message, want) == NULL)
    g_error ("“%s” not in “%s” (input %.200s)", want, error->message, text);
}

#define HEAD "{\"format\": \"elbo-lab-session\", \"version\": 1, "

static void
test_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ViSessionFile) file = NULL;
  ViSessionPageEntry *e;

  file = parse (HEAD "\"app_version\": \"0.1.0\", \"page\": \"bbvi\", \"pages\": {"
                "\"expfam\": {\"settings\": {\"family\": \"gamma\", \"shape\": 2, \"rate\": 1},"
                " \"data_files\": [], \"result\": {\"iteration\": 7, \"objective\": -1.5}},"
                "\"bbvi\": {\"settings\": {}, \"data_files\": [{\"path\": \"/tmp/x\","
                " \"sha256\": \"00\"}], \"result\": {\"iteration\": 3, \"objective\": null}},"
                "\"lda\": {\"settings\": {}}, \"vae\": {\"settings\": {}}}}", &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);
  g_assert_cmpstr (file->visible, ==, "bbvi");
  g_assert_cmpuint (file->pages->len, ==, 4);
  e = &g_array_index (file->pages, ViSessionPageEntry, 0);
  g_assert_cmpstr (e->name, ==, "expfam");
  g_assert_true (e->result.have);
  g_assert_cmpuint (e->result.iteration, ==, 7);
  g_assert_cmpfloat (e->result.objective, ==, -1.5);
  g_assert_true (g_variant_is_of_type (e->settings, G_VARIANT_TYPE_VARDICT));
  e = &g_array_index (file->pages, ViSessionPageEntry, 1);
  g_assert_true (e->result.have);
  g_assert_true (isnan (e->result.objective));
  g_assert_false (g_array_index (file->pages, ViSessionPageEntry, 2).result.have);
  g_assert_cmpuint (file->files->len, ==, 2);
  g_assert_cmpstr (file->files->pdata[0], ==, "/tmp/x");
  g_assert_cmpstr (file->files->pdata[1], ==, "00");
}

/* Each wrong type is an error naming the member, never a CRITICAL. */
static void
test_wrong_types (void)
{
  static const struct
  {
    const char *text;
    const char *want;
  } cases[] = {
    { "[]", "no top-level object" },
    { "{\"format\": [], \"version\": 1, \"pages\": {}}", "“format” must be a string" },
    { "{\"format\": \"elbo-lab-session\", \"version\": [1], \"pages\": {}}",
      "“version” must be an integer" },
    { "{\"format\": \"elbo-lab-session\", \"version\": 1.5, \"pages\": {}}",
      "“version” must be an integer" },
    { "{\"format\": \"elbo-lab-session\", \"version\": 2, \"pages\": {}}", "(version)" },
    { "{\"format\": \"other\", \"version\": 1, \"pages\": {}}", "(format)" },
    { HEAD "\"page\": [\"expfam\"], \"pages\": {}}", "“page” must be a string" },
    { HEAD "\"app_version\": {}, \"pages\": {}}", "“app_version” must be a string" },
    { HEAD "\"pages\": []}", "“pages” must be an object" },
    { HEAD "\"page\": \"expfam\"}", "“pages” must be an object" },
    { HEAD "\"pages\": {\"expfam\": 3}}", "“pages.expfam” must be an object" },
    { HEAD "\"pages\": {\"nosuch\": {}}}", "unknown page “nosuch”" },
    { HEAD "\"pages\": {\"expfam\": {}}}", "“pages.expfam.settings” must be an object" },
    { HEAD "\"pages\": {\"expfam\": {\"settings\": [1, 2]}}}",
      "“pages.expfam.settings” must be an object" },
    { HEAD "\"pages\": {\"expfam\": {\"settings\": {\"family\": \"nosuch\"}}}}", "nosuch" },
    { HEAD "\"pages\": {\"expfam\": {\"settings\": {}, \"data_files\": {}}}}",
      "“pages.expfam.data_files” must be an array" },
    { HEAD "\"pages\": {\"expfam\": {\"settings\": {}, \"data_files\": [\"a\"]}}}",
      "“pages.expfam.data_files[0]” must be an object" },
    { HEAD "\"pages\": {\"expfam\": {\"settings\": {}, \"data_files\": [{}]}}}",
      "“pages.expfam.data_files[0].path” must be a string" },
    { HEAD "\"pages\": {\"expfam\": {\"settings\": {}, \"data_files\": [{\"path\": 1}]}}}",
      "“pages.expfam.data_files[0].path” must be a string" },
    { HEAD "\"pages\": {\"expfam\": {\"settings\": {}, \"data_files\": [{\"path\": \"a\","
      " \"sha256\": []}]}}}", "“pages.expfam.data_files[0].sha256” must be a string" },
    { HEAD "\"pages\": {\"expfam\": {\"settings\": {}, \"result\": 1}}}",
      "“pages.expfam.result” must be an object" },
    { HEAD "\"pages\": {\"expfam\": {\"settings\": {}, \"result\": {\"iteration\": {}}}}}",
      "“pages.expfam.result.iteration” must be an integer" },
    { HEAD "\"pages\": {\"expfam\": {\"settings\": {}, \"result\": {\"iteration\": -1}}}}",
      "“pages.expfam.result.iteration” must be a non-negative integer" },
    { HEAD "\"pages\": {\"expfam\": {\"settings\": {}, \"result\": {\"objective\": \"x\"}}}}",
      "“pages.expfam.result.objective” must be a number or null" },
    { "{\"format\": ", "test.elbo-session.json:" },
    { "", "line 1, column 1: the text ends before a value" },
    { " \n", "line 2, column 1: the text ends before a value" },
    { "0{}", "line 1, column 2: text after the value" },
    { "\"a\" {}", "line 1, column 5: text after the value" },
    { "\"a\"", "no top-level object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (cases[i].text, cases[i].want);
}

/* 100 000 nested arrays crashed json-glib's parser, 20 000 levels inside
 * "settings" json_gvariant_deserialize(): refused before parsing. */
static void
test_deep_nesting (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, ']');
  assert_refused (s->str, "nested more than 64 levels deep");

  g_string_assign (s, HEAD "\"pages\": {\"expfam\": {\"settings\": {\"family\": ");
  for (guint i = 0; i < 20000; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < 20000; i++)
    g_string_append_c (s, ']');
  g_string_append (s, "}}}}");
  assert_refused (s->str, "nested more than 64 levels deep");

  /* Brackets inside strings (and escaped quotes) do not count. */
  g_string_assign (s, HEAD "\"app_version\": \"\\\"");
  for (guint i = 0; i < 1000; i++)
    g_string_append (s, "[{");
  g_string_append (s, "\", \"pages\": {}}");
  g_assert_true (vi_json_check (s->str, s->len, 64, NULL));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ViSessionFile) file = parse (s->str, &error);

    g_assert_no_error (error);
    g_assert_nonnull (file);
  }
  g_assert_true (vi_json_check ("[[[]]]", 6, 3, NULL));
  g_assert_false (vi_json_check ("[[[[]]]]", 8, 3, NULL));
  g_string_free (s, TRUE);
}

static void
test_long_string (void)
{
  g_autofree char *path = g_strnfill (20000, 'a');
  g_autofree char *text = g_strdup_printf (HEAD "\"pages\": {\"bbvi\": {\"settings\": "
                                           "{\"counts-file\": \"/%s\"}}}}", path);

  assert_refused (text, "“counts-file” is longer than 4096 bytes");
}

static void
test_not_regular (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-session-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *big = g_build_filename (dir, "big.json", NULL);
  const char *paths[] = { "/dev/zero", fifo, dir, big };
  const char *wants[] = { "not a regular file", "not a regular file", "not a regular file",
                          "too large for a session file" };
  FILE *f;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  f = g_fopen (big, "w");
  g_assert_nonnull (f);
  /* A sparse file one byte over the 16 MiB cap. */
  g_assert_cmpint (fseek (f, VI_SESSION_MAX_SIZE, SEEK_SET), ==, 0);
  g_assert_cmpint (fputc (' ', f), !=, EOF);
  fclose (f);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ViSessionFile) file = vi_session_file_load (paths[i], lookup, NULL, &error);

      g_assert_null (file);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, paths[i]));
      g_assert_nonnull (strstr (error->message, wants[i]));
    }
  g_unlink (big);
  g_unlink (fifo);
  g_rmdir (dir);
}

/* A data file that is a device or FIFO is a warning at once, never read;
 * a changed one is a warning naming it. */
static void
test_data_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("elbo-lab-session-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *data = g_build_filename (dir, "data.txt", NULL);
  g_autofree char *session = g_build_filename (dir, "s.elbo-session.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ViSessionFile) file = NULL;
  g_auto(GStrv) warnings = NULL;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (data, "1 2 3\n", -1, NULL));
  text = g_strdup_printf (HEAD "\"pages\": {\"bbvi\": {\"settings\": {}, \"data_files\": ["
                          "{\"path\": \"/dev/zero\", \"sha256\": \"0\"},"
                          "{\"path\": \"%s\", \"sha256\": \"0\"},"
                          "{\"path\": \"%s\", \"sha256\": \"0\"},"
                          "{\"path\": \"%s\", \"sha256\": \"0\"}]}}}",
                          fifo, data, dir);
  g_assert_true (g_file_set_contents (session, text, -1, NULL));
  file = vi_session_file_load (session, lookup, NULL, &error);
  g_assert_no_error (error);
  warnings = vi_session_file_check_data (file, NULL);
  g_assert_cmpuint (g_strv_length (warnings), ==, 4);
  g_assert_nonnull (strstr (warnings[0], "/dev/zero: not a regular file"));
  g_assert_nonnull (strstr (warnings[1], fifo));
  g_assert_nonnull (strstr (warnings[1], "not a regular file"));
  g_assert_nonnull (strstr (warnings[2], data));
  g_assert_nonnull (strstr (warnings[2], "has changed"));
  g_assert_nonnull (strstr (warnings[3], "not a regular file"));

  g_unlink (session);
  g_unlink (data);
  g_unlink (fifo);
  g_rmdir (dir);
}

/* json-glib 1.6 writes 1e20 as "1e+20.0" (not JSON): the writer and the
 * reader drop the ".0", outside strings only. */
static void
test_exponents (void)
{
  static const struct
  {
    const char *in, *out;
  } cases[] = {
    { "[1e+20.0, 2e-12.0, 1E300.0, 1e5.0]", "[1e+20, 2e-12, 1E300, 1e5]" },
    { "[1.5e+20, 3.0, 10.0, 1e+20.05]", "[1.5e+20, 3.0, 10.0, 1e+20.05]" },
    { "{\"a\": \"1e+20.0\", \"b\\\"1e5.0\": true}", "{\"a\": \"1e+20.0\", \"b\\\"1e5.0\": true}" },
    { "1e+2", "1e+2" },
    { "1e+2.0", "1e+2" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(ViSessionFile) file = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup (cases[i].in);
      gsize len = vi_session_fix_exponents (text, strlen (text));

      text[len] = '\0';
      g_assert_cmpstr (text, ==, cases[i].out);
    }
  file = parse (HEAD "\"pages\": {\"expfam\": {\"settings\": {\"family\": \"gamma\", "
                "\"rate\": 1e+3.0}, \"result\": {\"iteration\": 2, \"objective\": -1e+20.0}}}}",
                &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (g_array_index (file->pages, ViSessionPageEntry, 0).result.objective, ==,
                     -1e20);
}

/* json-glib 1.6 refuses raw bytes that are not UTF-8, but decodes a lone
 * surrogate escape followed by a character ("\ud800x") into bytes that
 * are not UTF-8, which reached g_variant_new_string() (a CRITICAL, found
 * by fuzz-session). vi_json_check refuses them first. */
static void
test_utf8 (void)
{
  static const struct
  {
    const char *text;
    const char *want;
  } cases[] = {
    { HEAD "\"pages\": {\"bbvi\": {\"settings\": {\"counts-file\": \"a\xff\"}}}}",
      "line 1, column 95: not UTF-8 text" },
    { HEAD "\"pages\": {\"bbvi\": {\"settings\": {\"counts-file\": \"\\ud800x\"}}}}",
      "line 1, column 94: a high surrogate escape without its low half" },
    { HEAD "\"pages\": {\"bbvi\": {\"settings\": {\"counts-file\": \"x\\udc00y\"}}}}",
      "line 1, column 95: a low surrogate escape without its high half" },
    { HEAD "\"pages\": {\"bbvi\": {\"settings\": {\"\\ud800-\": 1}}}}",
      "a high surrogate escape without its low half" },
    { HEAD "\"pages\": {\"bbvi\": {\"settings\": {}, \"data_files\": [{\"path\": \"\\udfff/a\"}]}}}",
      "a low surrogate escape without its high half" },
    { HEAD "\"app_version\": \"\\ud83d.\", \"pages\": {}}", "a high surrogate escape without its low half" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (cases[i].text, cases[i].want);

  /* A surrogate pair is one character, and fine. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ViSessionFile) file =
      parse (HEAD "\"app_version\": \"\\ud83d\\ude00\", \"pages\": {\"bbvi\": {\"settings\": "
             "{\"counts-file\": \"\\u00e5\\ud83d\\ude00.txt\"}}}}", &error);
    const char *path = NULL;

    g_assert_no_error (error);
    g_assert_true (g_variant_lookup (g_array_index (file->pages, ViSessionPageEntry, 0).settings,
                                     "counts-file", "&s", &path));
    g_assert_cmpstr (path, ==, "\xc3\xa5\xf0\x9f\x98\x80.txt");
  }
}

/* A second top-level value: json-glib 1.6 leaks the first root when it
 * meets one (found by fuzz-session under LeakSanitizer). */
static void
test_trailing (void)
{
  static const char *const cases[] = {
    HEAD "\"pages\": {}}{}",
    HEAD "\"pages\": {}} {\"a\": {}}",
    HEAD "\"pages\": {}}\n[]",
    HEAD "\"pages\": {}} x",
    "{}{}",
    "{} 1",
    "{\"a\": \"}{\"} {\"b\": \"\\\"\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (cases[i], "text after the value");
  /* Trailing white space is not text. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ViSessionFile) file = parse (HEAD "\"pages\": {}} \n\t\r\n", &error);

    g_assert_no_error (error);
    g_assert_nonnull (file);
  }
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/session-file/valid", test_valid);
  g_test_add_func ("/app/session-file/wrong-types", test_wrong_types);
  g_test_add_func ("/app/session-file/deep-nesting", test_deep_nesting);
  g_test_add_func ("/app/session-file/long-string", test_long_string);
  g_test_add_func ("/app/session-file/not-regular", test_not_regular);
  g_test_add_func ("/app/session-file/data-files", test_data_files);
  g_test_add_func ("/app/session-file/exponents", test_exponents);
  g_test_add_func ("/app/session-file/utf8", test_utf8);
  g_test_add_func ("/app/session-file/trailing", test_trailing);
  return g_test_run ();
}
