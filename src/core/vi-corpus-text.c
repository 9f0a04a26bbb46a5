/* vi-corpus-text.c — corpora from plain text: the tokenizer, stop words,
 * the vocabulary filters, text files and folders, and the KJV chapters
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "vi-core-autocleanups.h"
#include "vi-corpus-private.h"
#include "vi-status.h"

/* Plain-text inputs are read whole; beyond this use a UCI file (streamed). */
#define VI_TEXT_MAX_BYTES ((gsize) 1 << 30)
#define VI_TOKEN_MAX_BYTES 256

void
vi_corpus_tokenize (const char  *text,
                    gssize       len,
                    ViTokenFunc  func,
                    gpointer     user_data)
{
  const char *p = text, *end = text + (len < 0 ? (gssize) strlen (text) : len);
  char token[VI_TOKEN_MAX_BYTES + 8];
  gsize n = 0, chars = 0;
  gboolean ascii = TRUE;

  while (p <= end)
    {
      gunichar c = 0;
      const char *next = p;

      if (p < end)
        {
          c = g_utf8_get_char_validated (p, end - p);
          if (c == (gunichar) -1 || c == (gunichar) -2)
            {
              c = 0;
              next = p + 1;
            }
          else
            next = g_utf8_next_char (p);
        }
      if (c != 0 && g_unichar_isalpha (c))
        {
          gsize bytes = (gsize) (next - p);

          if (n + bytes <= VI_TOKEN_MAX_BYTES)
            {
              memcpy (token + n, p, bytes);
              n += bytes;
            }
          chars++;
          ascii = ascii && c < 0x80;
        }
      else
        {
          if (chars >= 2)
            {
              token[n] = '\0';
              if (ascii)
                {
                  for (gsize i = 0; i < n; i++)
                    token[i] = g_ascii_tolower (token[i]);
                  func (token, n, user_data);
                }
              else
                {
                  g_autofree char *folded = g_utf8_casefold (token, (gssize) n);

                  func (folded, strlen (folded), user_data);
                }
            }
          n = chars = 0;
          ascii = TRUE;
        }
      if (p == end)
        break;
      p = next;
    }
}

char **
vi_corpus_read_stopwords (const char  *path,
                          GError     **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) words = NULL;
  gsize len = 0;

  text = vi_corpus_read_all (path, 16 << 20, &len, error);
  if (text == NULL)
    return NULL;
  if (!g_utf8_validate (text, (gssize) len, NULL))
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: not UTF-8 text", path);
      return NULL;
    }
  words = g_ptr_array_new ();
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *hash = strchr (lines[i], '#');

      if (hash != NULL)
        *hash = '\0';
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0')
        g_ptr_array_add (words, g_utf8_casefold (lines[i], -1));
    }
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

/* ---- texts → corpus ------------------------------------------------------ */

typedef struct
{
  GHashTable *ids;        /* word → GUINT_TO_POINTER (1 + provisional id) */
  GPtrArray  *words;      /* provisional id → word (owned) */
  GHashTable *stop;       /* stop words (borrowed keys) */
  GArray     *tokens;     /* the current document's provisional ids */
} Tokens;

static void
add_token (const char *token,
           gsize       len,
           gpointer    user_data)
{
  Tokens *t = user_data;
  guint32 id;
  gpointer v;

  if (t->stop != NULL && g_hash_table_contains (t->stop, token))
    return;
  v = g_hash_table_lookup (t->ids, token);
  if (v == NULL)
    {
      char *copy = g_strndup (token, len);

      id = t->words->len;
      g_ptr_array_add (t->words, copy);
      g_hash_table_insert (t->ids, copy, GUINT_TO_POINTER (id + 1));
    }
  else
    id = GPOINTER_TO_UINT (v) - 1;
  g_array_append_val (t->tokens, id);
}

static int
cmp_word_index (const void *a,
                const void *b,
                void       *words)
{
  const char *const *w = words;

  return strcmp (w[*(const guint32 *) a], w[*(const guint32 *) b]);
}

ViCorpus *
vi_corpus_from_texts (const char *const         *texts,
                      guint32                     n_docs,
                      const ViCorpusTextOptions  *options,
                      GError                    **error)
{
  ViCorpusTextOptions defaults = { 1, 1.0, NULL };
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autofree guint64 *total = NULL;
  g_autofree guint32 *df = NULL, *order = NULL, *final = NULL;
  g_autofree guint32 *words = NULL, *counts = NULL;
  g_autoptr(GHashTable) stop = NULL;
  Tokens t;
  guint32 n_prov, n_kept = 0, longest = 0;
  double max_docs;
  char **vocab;
  ViCorpusBuilder b;
  ViCorpus *c;

  if (options == NULL)
    options = &defaults;
  if (options->min_count < 1)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "min-count: must be ≥ 1 (got %u)",
                   options->min_count);
      return NULL;
    }
  if (!(options->max_df > 0 && options->max_df <= 1))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "max-df: must be in (0, 1] (got %g)",
                   options->max_df);
      return NULL;
    }
  if (options->stopwords != NULL)
    {
      stop = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; options->stopwords[i] != NULL; i++)
        g_hash_table_add (stop, options->stopwords[i]);
    }
  t.ids = g_hash_table_new (g_str_hash, g_str_equal);
  t.words = g_ptr_array_new_with_free_func (g_free);
  t.stop = stop;
  for (guint32 d = 0; d < n_docs; d++)
    {
      t.tokens = g_array_new (FALSE, FALSE, sizeof (guint32));
      vi_corpus_tokenize (texts[d], -1, add_token, &t);
      longest = MAX (longest, t.tokens->len);
      g_ptr_array_add (docs, t.tokens);
    }
  n_prov = t.words->len;
  total = g_new0 (guint64, MAX (n_prov, 1));
  df = g_new0 (guint32, MAX (n_prov, 1));
  words = g_new (guint32, MAX (longest, 1));
  counts = g_new (guint32, MAX (longest, 1));
  for (guint32 d = 0; d < n_docs; d++)
    {
      GArray *tok = g_ptr_array_index (docs, d);
      guint32 m;

      for (guint32 i = 0; i < tok->len; i++)
        {
          words[i] = g_array_index (tok, guint32, i);
          counts[i] = 1;
        }
      m = vi_corpus_sort_merge (words, counts, tok->len);
      for (guint32 i = 0; i < m; i++)
        {
          total[words[i]] += counts[i];
          df[words[i]]++;
        }
    }
  /* The vocabulary: the words that pass the filters, in byte order. */
  max_docs = options->max_df * n_docs;
  order = g_new (guint32, MAX (n_prov, 1));
  for (guint32 w = 0; w < n_prov; w++)
    if (total[w] >= options->min_count && df[w] <= max_docs)
      order[n_kept++] = w;
  g_qsort_with_data (order, (gint) n_kept, sizeof (guint32), cmp_word_index, t.words->pdata);
  final = g_new (guint32, MAX (n_prov, 1));
  for (guint32 w = 0; w < n_prov; w++)
    final[w] = G_MAXUINT32;
  vocab = g_new0 (char *, (gsize) n_kept + 1);
  for (guint32 i = 0; i < n_kept; i++)
    {
      final[order[i]] = i;
      vocab[i] = g_strdup (g_ptr_array_index (t.words, order[i]));
    }
  g_hash_table_unref (t.ids);
  g_ptr_array_unref (t.words);
  if (n_kept == 0)
    {
      g_strfreev (vocab);
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "empty corpus: no word is left after the stop words, min-count %u and "
                   "max-df %g", options->min_count, options->max_df);
      return NULL;
    }
  vi_corpus_builder_init (&b);
  for (guint32 d = 0; d < n_docs; d++)
    {
      GArray *tok = g_ptr_array_index (docs, d);
      guint32 m = 0;

      for (guint32 i = 0; i < tok->len; i++)
        {
          guint32 w = final[g_array_index (tok, guint32, i)];

          if (w != G_MAXUINT32)
            {
              words[m] = w;
              counts[m++] = 1;
            }
        }
      m = vi_corpus_sort_merge (words, counts, m);
      vi_corpus_builder_add (&b, words, counts, m);
    }
  c = vi_corpus_builder_finish (&b, n_kept, vocab);
  vi_corpus_builder_clear (&b);
  return c;
}

/* The 1-based line of byte @offset in @text. */
static guint64
line_of (const char *text,
         gsize       offset)
{
  guint64 line = 1;

  for (gsize i = 0; i < offset; i++)
    line += text[i] == '\n';
  return line;
}

/* Checks @text (@len bytes) is UTF-8 text without NUL bytes. */
static gboolean
check_text (const char *path,
            const char *text,
            gsize       len,
            GError    **error)
{
  const char *bad = memchr (text, '\0', len);
  const char *invalid = NULL;

  if (bad == NULL && !g_utf8_validate (text, (gssize) len, &invalid))
    bad = invalid;
  if (bad == NULL)
    return TRUE;
  g_set_error (error, VI_ERROR, VI_EFORMAT, "%s:%" G_GUINT64_FORMAT ": %s", path,
               line_of (text, (gsize) (bad - text)),
               invalid != NULL ? "not UTF-8 text" : "binary data");
  return FALSE;
}

static int
cmp_str (const void *a,
         const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

ViCorpus *
vi_corpus_read_text (const char                 *path,
                     const ViCorpusTextOptions  *options,
                     GError                    **error)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *single = NULL;
  gsize len = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(GDir) dir = g_dir_open (path, 0, &local);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        {
          g_set_error (error, VI_ERROR, VI_EIO, "%s: cannot read folder: %s", path,
                       local->message);
          return NULL;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".txt"))
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, cmp_str);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *file = g_build_filename (path, names->pdata[i], NULL);
          char *text = vi_corpus_read_all (file, VI_TEXT_MAX_BYTES, &len, error);

          if (text == NULL)
            return NULL;
          g_ptr_array_add (texts, text);
          if (!check_text (file, text, len, error))
            return NULL;
        }
      if (texts->len == 0)
        {
          g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: empty corpus (no .txt files)", path);
          return NULL;
        }
    }
  else
    {
      char *line, *next;

      single = vi_corpus_read_all (path, VI_TEXT_MAX_BYTES, &len, error);
      if (single == NULL || !check_text (path, single, len, error))
        return NULL;
      for (line = single; line != NULL; line = next)
        {
          next = strchr (line, '\n');
          if (next != NULL)
            *next++ = '\0';
          if (*g_strstrip (line) != '\0')
            g_ptr_array_add (texts, g_strdup (line));
        }
      if (texts->len == 0)
        {
          g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: empty corpus (no text)", path);
          return NULL;
        }
    }
  {
    g_autoptr(GError) local = NULL;
    ViCorpus *c = vi_corpus_from_texts ((const char *const *) texts->pdata, texts->len,
                                        options, &local);

    if (c == NULL)
      g_set_error (error, local->domain, local->code, "%s: %s", path, local->message);
    return c;
  }
}

/* ---- the KJV chapters ----------------------------------------------------- */

ViCorpus *
vi_corpus_from_kjv_verses (const char                *text,
                           gsize                      len,
                           const ViCorpusTextOptions *options,
                           GError                   **error)
{
  g_autoptr(GPtrArray) chapters = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) chapter = g_string_new (NULL);
  g_autofree char *key = NULL;
  const char *p = text, *end = text + len;
  guint64 line_no = 0;

  if (!check_text ("bible", text, len, error))
    return NULL;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      const char *eol = nl != NULL ? nl : end;
      const char *colon = memchr (p, ':', (gsize) (eol - p));
      const char *space = memchr (p, ' ', (gsize) (eol - p));

      line_no++;
      if (eol > p)
        {
          if (colon == NULL || space == NULL || colon > space || colon == p)
            {
              g_set_error (error, VI_ERROR, VI_EFORMAT,
                           "bible:%" G_GUINT64_FORMAT ": expected \"Book1:1 text\"", line_no);
              return NULL;
            }
          if (key == NULL || strncmp (key, p, (gsize) (colon - p)) != 0
              || key[colon - p] != '\0')
            {
              if (key != NULL)
                g_ptr_array_add (chapters, g_strdup (chapter->str));
              g_free (key);
              key = g_strndup (p, (gsize) (colon - p));
              g_string_truncate (chapter, 0);
            }
          g_string_append_len (chapter, space, eol - space);
        }
      p = eol + (nl != NULL);
    }
  if (key != NULL)
    g_ptr_array_add (chapters, g_strdup (chapter->str));
  if (chapters->len == 0)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "bible: no verses");
      return NULL;
    }
  return vi_corpus_from_texts ((const char *const *) chapters->pdata, chapters->len, options,
                               error);
}

ViCorpus *
vi_corpus_build_kjv (const ViCorpusTextOptions  *options,
                     GError                    **error)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  const char *text;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &local, "bible", "-f", "gen1:1-rev22:21", NULL);
  if (proc == NULL)
    {
      g_set_error (error, VI_ERROR, VI_EIO,
                   "kjv: cannot run the program bible (%s); install it with "
                   "apt-get install bible-kjv bible-kjv-text", local->message);
      return NULL;
    }
  if (!g_subprocess_communicate (proc, NULL, NULL, &out, NULL, &local))
    {
      g_set_error (error, VI_ERROR, VI_EIO, "kjv: bible failed: %s", local->message);
      return NULL;
    }
  if (!g_subprocess_get_successful (proc))
    {
      g_set_error (error, VI_ERROR, VI_EIO,
                   "kjv: bible -f gen1:1-rev22:21 failed; is bible-kjv-text installed?");
      return NULL;
    }
  text = g_bytes_get_data (out, &len);
  return vi_corpus_from_kjv_verses (text != NULL ? text : "", len, options, error);
}

char *
vi_corpus_dup_stopwords_path (void)
{
  g_autofree char *installed = g_build_filename (PKGDATADIR, "stopwords-en.txt", NULL);

  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);
  return g_build_filename (SOURCE_DATADIR, "stopwords-en.txt", NULL);
}
