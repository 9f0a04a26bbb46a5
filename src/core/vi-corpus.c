/* vi-corpus.c — sparse bag-of-words corpora: building, splitting, and the
 * UCI docword/vocab format (read in memory or streamed, and written)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vi-core-autocleanups.h"
#include "vi-corpus-private.h"
#include "vi-output.h"
#include "vi-params.h"
#include "vi-status.h"

#define VI_CORPUS_CHUNK 65536
/* A line of a docword file is three numbers; anything this long is not one. */
#define VI_UCI_MAX_LINE 4096
/* A vocabulary word longer than this is not a word. */
#define VI_VOCAB_MAX_LINE 65536

void
vi_corpus_free (ViCorpus *corpus)
{
  if (corpus == NULL)
    return;
  g_free (corpus->doc_ptr);
  g_free (corpus->word);
  g_free (corpus->count);
  g_strfreev (corpus->vocab);
  g_free (corpus);
}

/* ---- building ------------------------------------------------------------ */

void
vi_corpus_builder_init (ViCorpusBuilder *b)
{
  guint64 zero = 0;

  b->doc_ptr = g_array_new (FALSE, FALSE, sizeof (guint64));
  b->word = g_array_new (FALSE, FALSE, sizeof (guint32));
  b->count = g_array_new (FALSE, FALSE, sizeof (guint32));
  b->n_tokens = 0;
  g_array_append_val (b->doc_ptr, zero);
}

void
vi_corpus_builder_clear (ViCorpusBuilder *b)
{
  g_clear_pointer (&b->doc_ptr, g_array_unref);
  g_clear_pointer (&b->word, g_array_unref);
  g_clear_pointer (&b->count, g_array_unref);
}

void
vi_corpus_builder_add (ViCorpusBuilder *b,
                       const guint32   *words,
                       const guint32   *counts,
                       guint32          n)
{
  guint64 end;

  g_array_append_vals (b->word, words, n);
  g_array_append_vals (b->count, counts, n);
  for (guint32 i = 0; i < n; i++)
    b->n_tokens += counts[i];
  end = b->word->len;
  g_array_append_val (b->doc_ptr, end);
}

ViCorpus *
vi_corpus_builder_finish (ViCorpusBuilder *b,
                          guint32          n_words,
                          char           **vocab)
{
  ViCorpus *c = g_new0 (ViCorpus, 1);

  c->n_docs = b->doc_ptr->len - 1;
  c->n_words = n_words;
  c->nnz = b->word->len;
  c->n_tokens = b->n_tokens;
  c->doc_ptr = (guint64 *) (void *) g_array_free (g_steal_pointer (&b->doc_ptr), FALSE);
  c->word = (guint32 *) (void *) g_array_free (g_steal_pointer (&b->word), FALSE);
  c->count = (guint32 *) (void *) g_array_free (g_steal_pointer (&b->count), FALSE);
  c->vocab = vocab;
  return c;
}

static int
cmp_pair (const void *a,
          const void *b)
{
  guint32 x = ((const guint32 *) a)[0], y = ((const guint32 *) b)[0];

  return (x > y) - (x < y);
}

guint32
vi_corpus_sort_merge (guint32 *words,
                      guint32 *counts,
                      guint32  n)
{
  g_autofree guint32 *pairs = NULL;
  guint32 m = 0;

  if (n == 0)
    return 0;
  pairs = g_new (guint32, 2 * (gsize) n);
  for (guint32 i = 0; i < n; i++)
    {
      pairs[2 * i] = words[i];
      pairs[2 * i + 1] = counts[i];
    }
  qsort (pairs, n, 2 * sizeof (guint32), cmp_pair);
  for (guint32 i = 0; i < n; i++)
    {
      if (m > 0 && words[m - 1] == pairs[2 * i])
        counts[m - 1] += pairs[2 * i + 1];
      else
        {
          words[m] = pairs[2 * i];
          counts[m] = pairs[2 * i + 1];
          m++;
        }
    }
  return m;
}

/* ---- splits -------------------------------------------------------------- */

static ViCorpus *
subset (const ViCorpus *c,
        gboolean        want_test)
{
  ViCorpusBuilder b;

  vi_corpus_builder_init (&b);
  for (guint32 d = 0; d < c->n_docs; d++)
    if (vi_corpus_is_test_doc (d) == want_test)
      vi_corpus_builder_add (&b, c->word + c->doc_ptr[d], c->count + c->doc_ptr[d],
                             vi_corpus_doc_len (c, d));
  return vi_corpus_builder_finish (&b, c->n_words,
                                   c->vocab != NULL ? g_strdupv (c->vocab) : NULL);
}

void
vi_corpus_split (const ViCorpus  *corpus,
                 ViCorpus       **train,
                 ViCorpus       **test)
{
  if (train != NULL)
    *train = subset (corpus, FALSE);
  if (test != NULL)
    *test = subset (corpus, TRUE);
}

/* ---- input --------------------------------------------------------------- */

/* A line reader over a stream: lines without their '\n', with a length
 * cap and a check for NUL bytes (binary data). */
typedef struct
{
  GInputStream *in;
  const char   *path;
  char         *buf;
  gsize         len, pos;
  gboolean      eof;
  GString      *line;
  guint64       line_no;
  gsize         max_line;
} LineReader;

static void
line_reader_init (LineReader   *r,
                  GInputStream *in,
                  const char   *path,
                  gsize         max_line)
{
  memset (r, 0, sizeof *r);
  r->in = in;
  r->path = path;
  r->buf = g_malloc (VI_CORPUS_CHUNK);
  r->line = g_string_new (NULL);
  r->max_line = max_line;
}

static void
line_reader_clear (LineReader *r)
{
  g_clear_pointer (&r->buf, g_free);
  if (r->line != NULL)
    g_string_free (g_steal_pointer (&r->line), TRUE);
}

/* TRUE with r->line set; FALSE at the end (*error unset) or on an error. */
static gboolean
line_reader_next (LineReader  *r,
                  GError     **error)
{
  g_string_truncate (r->line, 0);
  for (;;)
    {
      if (r->pos == r->len)
        {
          g_autoptr(GError) local = NULL;
          gssize n;

          if (r->eof)
            break;
          n = g_input_stream_read (r->in, r->buf, VI_CORPUS_CHUNK, NULL, &local);
          if (n < 0)
            {
              g_set_error (error, VI_ERROR, VI_EIO, "%s:%" G_GUINT64_FORMAT ": %s%s", r->path,
                           r->line_no + 1,
                           g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
                           ? "truncated compressed file: " : "cannot read: ", local->message);
              return FALSE;
            }
          r->len = (gsize) n;
          r->pos = 0;
          if (n == 0)
            {
              r->eof = TRUE;
              break;
            }
        }
      {
        const char *start = r->buf + r->pos;
        const char *nl = memchr (start, '\n', r->len - r->pos);
        gsize take = nl != NULL ? (gsize) (nl - start) : r->len - r->pos;

        if (memchr (start, '\0', take) != NULL)
          {
            g_set_error (error, VI_ERROR, VI_EFORMAT, "%s:%" G_GUINT64_FORMAT ": binary data",
                         r->path, r->line_no + 1);
            return FALSE;
          }
        g_string_append_len (r->line, start, (gssize) take);
        r->pos += take + (nl != NULL);
        if (r->line->len > r->max_line)
          {
            g_set_error (error, VI_ERROR, VI_EFORMAT,
                         "%s:%" G_GUINT64_FORMAT ": line longer than %zu bytes",
                         r->path, r->line_no + 1, r->max_line);
            return FALSE;
          }
        if (nl != NULL)
          {
            r->line_no++;
            goto done;
          }
      }
    }
  if (r->line->len == 0)
    return FALSE;
  r->line_no++;
done:
  if (r->line->len > 0 && r->line->str[r->line->len - 1] == '\r')
    g_string_truncate (r->line, r->line->len - 1);
  return TRUE;
}

/* ---- UCI: streaming reader ------------------------------------------------ */

struct _ViUciReader
{
  GInputStream *in;
  char         *path;
  LineReader    lines;
  guint32       n_docs, n_words;
  guint64       nnz, seen;
  guint32       next_doc;       /* 0-based document returned next */
  gboolean      have_pending;   /* a triple read ahead */
  guint32       pending_doc, pending_word, pending_count;
  gboolean      done;
  GArray       *words, *counts;
};

/* Parses one unsigned decimal field of @s at *@pos into @value. */
static gboolean
parse_field (const char *s,
             gsize      *pos,
             guint64    *value)
{
  const char *p = s + *pos;
  char *end = NULL;

  while (*p == ' ' || *p == '\t')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  errno = 0;
  *value = g_ascii_strtoull (p, &end, 10);
  if (errno != 0 || (*end != '\0' && *end != ' ' && *end != '\t'))
    return FALSE;
  *pos = (gsize) (end - s);
  return TRUE;
}

static gboolean
at_end_of_line (const char *s,
                gsize       pos)
{
  s += pos;
  while (*s == ' ' || *s == '\t')
    s++;
  return *s == '\0';
}

static gboolean
read_header_field (ViUciReader *r,
                   const char  *name,
                   guint64      max,
                   guint64     *value,
                   GError     **error)
{
  g_autoptr(GError) local = NULL;
  gsize pos = 0;

  if (!line_reader_next (&r->lines, &local))
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, VI_ERROR, VI_EFORMAT,
                     "%s:%" G_GUINT64_FORMAT ": missing header line %s (expected D, W "
                     "and NNZ on the first three lines)", r->path, r->lines.line_no + 1, name);
      return FALSE;
    }
  if (!parse_field (r->lines.line->str, &pos, value)
      || !at_end_of_line (r->lines.line->str, pos))
    {
      /* Quoted whole characters only (invalid bytes as U+FFFD). */
      g_autofree char *cut = vi_params_excerpt (r->lines.line->str, VI_PARAMS_EXCERPT_CHARS);

      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s:%" G_GUINT64_FORMAT ": header %s must be one non-negative integer "
                   "(got \"%s\")", r->path, r->lines.line_no, name, cut);
      return FALSE;
    }
  if (*value > max)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s:%" G_GUINT64_FORMAT ": header %s = %" G_GUINT64_FORMAT
                   " is above the limit %" G_GUINT64_FORMAT, r->path, r->lines.line_no, name,
                   *value, max);
      return FALSE;
    }
  return TRUE;
}

ViUciReader *
vi_uci_reader_open (const char  *docword_path,
                    GError     **error)
{
  g_autoptr(ViUciReader) r = g_new0 (ViUciReader, 1);
  guint64 d = 0, w = 0;

  r->path = g_strdup (docword_path);
  r->words = g_array_new (FALSE, FALSE, sizeof (guint32));
  r->counts = g_array_new (FALSE, FALSE, sizeof (guint32));
  r->in = vi_corpus_open_input (docword_path, error);
  if (r->in == NULL)
    return NULL;
  line_reader_init (&r->lines, r->in, r->path, VI_UCI_MAX_LINE);
  if (!read_header_field (r, "D", VI_CORPUS_MAX_DOCS, &d, error)
      || !read_header_field (r, "W", VI_CORPUS_MAX_WORDS, &w, error)
      || !read_header_field (r, "NNZ", G_MAXUINT64, &r->nnz, error))
    return NULL;
  if (d == 0 || w == 0)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: empty corpus (header D = %" G_GUINT64_FORMAT
                   ", W = %" G_GUINT64_FORMAT ")", r->path, d, w);
      return NULL;
    }
  if (r->nnz > d * w)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s:3: header NNZ = %" G_GUINT64_FORMAT " is more than D × W", r->path, r->nnz);
      return NULL;
    }
  r->n_docs = (guint32) d;
  r->n_words = (guint32) w;
  return g_steal_pointer (&r);
}

void
vi_uci_reader_free (ViUciReader *r)
{
  if (r == NULL)
    return;
  line_reader_clear (&r->lines);
  g_clear_object (&r->in);
  g_clear_pointer (&r->words, g_array_unref);
  g_clear_pointer (&r->counts, g_array_unref);
  g_free (r->path);
  g_free (r);
}

guint32
vi_uci_reader_get_n_docs (const ViUciReader *r)
{
  return r->n_docs;
}

guint32
vi_uci_reader_get_n_words (const ViUciReader *r)
{
  return r->n_words;
}

/* Reads the next triple into pending; FALSE at the end or on an error. */
static gboolean
read_triple (ViUciReader *r,
             GError     **error)
{
  const char *s;
  guint64 doc = 0, word = 0, count = 0;
  gsize pos = 0;

  for (;;)
    {
      if (!line_reader_next (&r->lines, error))
        return FALSE;
      s = r->lines.line->str;
      if (!at_end_of_line (s, 0))
        break;
    }
  if (!parse_field (s, &pos, &doc) || !parse_field (s, &pos, &word)
      || !(s[pos] == ' ' || s[pos] == '\t')
      || !parse_field (s, &pos, &count) || !at_end_of_line (s, pos))
    {
      const char *p = s;

      while (*p == ' ' || *p == '\t' || g_ascii_isdigit (*p))
        p++;
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s:%" G_GUINT64_FORMAT ": expected \"docID wordID count\" (three "
                   "positive integers)%s", r->path, r->lines.line_no,
                   *p == '-' ? ": negative value" : "");
      return FALSE;
    }
  if (doc == 0 || doc > r->n_docs)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s:%" G_GUINT64_FORMAT ": document id %" G_GUINT64_FORMAT
                   " is outside [1, %u] (header D)", r->path, r->lines.line_no, doc, r->n_docs);
      return FALSE;
    }
  if (word == 0 || word > r->n_words)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s:%" G_GUINT64_FORMAT ": word id %" G_GUINT64_FORMAT
                   " is outside [1, %u] (header W)", r->path, r->lines.line_no, word, r->n_words);
      return FALSE;
    }
  if (count == 0 || count > VI_CORPUS_MAX_COUNT)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s:%" G_GUINT64_FORMAT ": count must be in [1, %u] (got %" G_GUINT64_FORMAT
                   ")", r->path, r->lines.line_no, VI_CORPUS_MAX_COUNT, count);
      return FALSE;
    }
  if (++r->seen > r->nnz)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s:%" G_GUINT64_FORMAT ": more triples than the header's NNZ = %"
                   G_GUINT64_FORMAT, r->path, r->lines.line_no, r->nnz);
      return FALSE;
    }
  if (doc - 1 < r->next_doc)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s:%" G_GUINT64_FORMAT ": document %" G_GUINT64_FORMAT
                   " after document %u (triples must be grouped by document, in order)",
                   r->path, r->lines.line_no, doc, r->next_doc + (r->words->len > 0));
      return FALSE;
    }
  r->pending_doc = (guint32) (doc - 1);
  r->pending_word = (guint32) (word - 1);
  r->pending_count = (guint32) count;
  r->have_pending = TRUE;
  return TRUE;
}

static int
cmp_u32 (const void *a,
         const void *b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return (x > y) - (x < y);
}

gboolean
vi_uci_reader_next (ViUciReader     *r,
                    guint32         *doc,
                    const guint32  **words,
                    const guint32  **counts,
                    guint32         *n,
                    GError         **error)
{
  g_autoptr(GError) local = NULL;
  guint64 first_line;
  gboolean sorted = TRUE;

  *n = 0;
  if (r->done || r->next_doc >= r->n_docs)
    goto end;
  g_array_set_size (r->words, 0);
  g_array_set_size (r->counts, 0);
  if (!r->have_pending && !read_triple (r, &local) && local != NULL)
    goto fail;
  /* The triples have run out: a header NNZ they did not reach is refused
   * now, not after returning up to 10⁸ empty documents (fuzz-uci). */
  if (!r->have_pending && r->seen != r->nnz)
    goto end;
  first_line = r->lines.line_no;
  while (r->have_pending && r->pending_doc == r->next_doc)
    {
      guint32 w = r->pending_word;

      if (r->words->len > 0 && w <= g_array_index (r->words, guint32, r->words->len - 1))
        sorted = FALSE;
      g_array_append_val (r->words, w);
      g_array_append_val (r->counts, r->pending_count);
      r->have_pending = FALSE;
      if (!read_triple (r, &local) && local != NULL)
        goto fail;
    }
  if (!sorted)
    {
      /* Triples of a document in any word order: sort, and refuse a repeat. */
      guint32 m = r->words->len;
      g_autofree guint32 *copy = g_memdup2 (r->words->data, m * sizeof (guint32));

      qsort (copy, m, sizeof (guint32), cmp_u32);
      for (guint32 i = 1; i < m; i++)
        if (copy[i] == copy[i - 1])
          {
            g_set_error (error, VI_ERROR, VI_EFORMAT,
                         "%s:%" G_GUINT64_FORMAT ": word id %u appears twice in document %u",
                         r->path, first_line, copy[i] + 1, r->next_doc + 1);
            return FALSE;
          }
      m = vi_corpus_sort_merge ((guint32 *) r->words->data, (guint32 *) r->counts->data, m);
    }
  *doc = r->next_doc++;
  *words = (const guint32 *) (void *) r->words->data;
  *counts = (const guint32 *) (void *) r->counts->data;
  *n = r->words->len;
  return TRUE;

end:
  if (!r->done)
    {
      r->done = TRUE;
      if (r->have_pending || (!read_triple (r, &local) && local != NULL))
        {
          if (local != NULL)
            goto fail;
        }
      if (r->seen != r->nnz)
        {
          g_set_error (error, VI_ERROR, VI_EFORMAT,
                       "%s:%" G_GUINT64_FORMAT ": the header says NNZ = %" G_GUINT64_FORMAT
                       " but the file has %" G_GUINT64_FORMAT " triples", r->path,
                       r->lines.line_no, r->nnz, r->seen);
          return FALSE;
        }
    }
  return FALSE;

fail:
  r->done = TRUE;
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* ---- UCI: in memory ------------------------------------------------------- */

/* vocab.NAME.txt beside docword.NAME.txt[.gz], else vocab.txt; NULL if
 * neither exists. */
static char *
find_vocab (const char *docword_path)
{
  g_autofree char *dir = g_path_get_dirname (docword_path);
  g_autofree char *base = g_path_get_basename (docword_path);
  g_autofree char *guess = NULL;

  if (g_str_has_prefix (base, "docword."))
    {
      g_autofree char *name = g_strdup (base + strlen ("docword."));
      char *dot;

      if (g_str_has_suffix (name, ".gz"))
        name[strlen (name) - 3] = '\0';
      dot = g_str_has_suffix (name, ".txt") ? name + strlen (name) - 4 : NULL;
      if (dot != NULL)
        *dot = '\0';
      guess = g_strdup_printf ("%s/vocab.%s.txt", dir, name);
      if (g_file_test (guess, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&guess);
      g_clear_pointer (&guess, g_free);
    }
  guess = g_build_filename (dir, "vocab.txt", NULL);
  return g_file_test (guess, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&guess) : NULL;
}

static char **
read_vocab (const char *path,
            guint32     n_words,
            GError    **error)
{
  g_autoptr(GInputStream) in = vi_corpus_open_input (path, error);
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GError) local = NULL;
  LineReader lines;

  if (in == NULL)
    return NULL;
  words = g_ptr_array_new_with_free_func (g_free);
  line_reader_init (&lines, in, path, VI_VOCAB_MAX_LINE);
  while (words->len < n_words && line_reader_next (&lines, &local))
    {
      if (!g_utf8_validate (lines.line->str, (gssize) lines.line->len, NULL))
        {
          g_set_error (error, VI_ERROR, VI_EFORMAT,
                       "%s:%" G_GUINT64_FORMAT ": not UTF-8 text", path, lines.line_no);
          line_reader_clear (&lines);
          return NULL;
        }
      g_ptr_array_add (words, g_strstrip (g_strdup (lines.line->str)));
    }
  line_reader_clear (&lines);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (words->len < n_words)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s: the vocabulary has %u words but the docword header says W = %u",
                   path, words->len, n_words);
      return NULL;
    }
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}

ViCorpus *
vi_corpus_read_uci (const char  *docword_path,
                    const char  *vocab_path,
                    GError     **error)
{
  g_autoptr(ViUciReader) r = vi_uci_reader_open (docword_path, error);
  g_autofree char *found = NULL;
  g_autoptr(GError) local = NULL;
  char **vocab = NULL;
  ViCorpusBuilder b;
  const guint32 *words, *counts;
  guint32 doc, n;
  ViCorpus *c;

  if (r == NULL)
    return NULL;
  vi_corpus_builder_init (&b);
  while (vi_uci_reader_next (r, &doc, &words, &counts, &n, &local))
    vi_corpus_builder_add (&b, words, counts, n);
  if (local != NULL)
    {
      vi_corpus_builder_clear (&b);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (b.n_tokens == 0)
    {
      vi_corpus_builder_clear (&b);
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: empty corpus (no tokens)", docword_path);
      return NULL;
    }
  if (vocab_path == NULL)
    vocab_path = found = find_vocab (docword_path);
  if (vocab_path != NULL && (vocab = read_vocab (vocab_path, r->n_words, error)) == NULL)
    {
      vi_corpus_builder_clear (&b);
      return NULL;
    }
  c = vi_corpus_builder_finish (&b, r->n_words, vocab);
  vi_corpus_builder_clear (&b);
  return c;
}

/* A UCI docword writer: buffered, gzip-compressed when the path ends in
 * ".gz", moved into place atomically by vi_output_commit(). */
struct _ViUciWriter
{
  ViOutput      *out;
  GOutputStream *gz;    /* the compressor over out's stream, or NULL */
  GString       *buf;
};

static gboolean
uci_writer_flush (ViUciWriter *w,
                  GError     **error)
{
  GOutputStream *s = w->gz != NULL ? w->gz : vi_output_get_stream (w->out);
  g_autoptr(GError) local = NULL;

  if (w->buf->len > 0
      && !g_output_stream_write_all (s, w->buf->str, w->buf->len, NULL, NULL, &local))
    {
      g_set_error (error, VI_ERROR, VI_EIO, "%s: cannot write: %s",
                   vi_output_get_path (w->out), local->message);
      return FALSE;
    }
  g_string_truncate (w->buf, 0);
  return TRUE;
}

void
vi_uci_writer_abort (ViUciWriter *w)
{
  if (w == NULL)
    return;
  g_clear_object (&w->gz);
  vi_output_abort (w->out);
  g_string_free (w->buf, TRUE);
  g_free (w);
}

ViUciWriter *
vi_uci_writer_open (const char  *path,
                    guint64      n_docs,
                    guint32      n_words,
                    guint64      nnz,
                    GError     **error)
{
  ViUciWriter *w;
  ViOutput *out = vi_output_open (path, error);

  if (out == NULL)
    return NULL;
  w = g_new0 (ViUciWriter, 1);
  w->out = out;
  w->buf = g_string_sized_new (VI_CORPUS_CHUNK + 64);
  if (g_str_has_suffix (path, ".gz"))
    {
      g_autoptr(GConverter) z =
        G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6));

      w->gz = g_converter_output_stream_new (vi_output_get_stream (out), z);
      g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (w->gz), FALSE);
    }
  g_string_append_printf (w->buf, "%" G_GUINT64_FORMAT "\n%u\n%" G_GUINT64_FORMAT "\n",
                          n_docs, n_words, nnz);
  return w;
}

gboolean
vi_uci_writer_add (ViUciWriter   *w,
                   guint64        doc,
                   const guint32 *words,
                   const guint32 *counts,
                   guint32        n,
                   GError       **error)
{
  for (guint32 i = 0; i < n; i++)
    g_string_append_printf (w->buf, "%" G_GUINT64_FORMAT " %u %u\n", doc + 1, words[i] + 1,
                            counts[i]);
  return w->buf->len < VI_CORPUS_CHUNK || uci_writer_flush (w, error);
}

gboolean
vi_uci_writer_commit (ViUciWriter *w,
                      GError     **error)
{
  g_autoptr(GError) local = NULL;
  gboolean ok = uci_writer_flush (w, error);

  if (ok && w->gz != NULL && !g_output_stream_close (w->gz, NULL, &local))
    {
      g_set_error (error, VI_ERROR, VI_EIO, "%s: cannot write: %s",
                   vi_output_get_path (w->out), local->message);
      ok = FALSE;
    }
  g_clear_object (&w->gz);
  if (ok)
    ok = vi_output_commit (g_steal_pointer (&w->out), error);
  vi_uci_writer_abort (w);
  return ok;
}

gboolean
vi_corpus_write_uci (const ViCorpus  *corpus,
                     const char      *docword_path,
                     const char      *vocab_path,
                     GError         **error)
{
  ViUciWriter *w = vi_uci_writer_open (docword_path, corpus->n_docs, corpus->n_words,
                                       corpus->nnz, error);

  if (w == NULL)
    return FALSE;
  for (guint32 d = 0; d < corpus->n_docs; d++)
    if (!vi_uci_writer_add (w, d, corpus->word + corpus->doc_ptr[d],
                            corpus->count + corpus->doc_ptr[d], vi_corpus_doc_len (corpus, d),
                            error))
      {
        vi_uci_writer_abort (w);
        return FALSE;
      }
  if (!vi_uci_writer_commit (w, error))
    return FALSE;
  if (vocab_path != NULL && corpus->vocab != NULL)
    {
      g_autoptr(ViOutput) vout = vi_output_open (vocab_path, error);

      if (vout == NULL)
        return FALSE;
      for (guint32 v = 0; v < corpus->n_words; v++)
        if (!vi_output_printf (vout, error, "%s\n", corpus->vocab[v]))
          return FALSE;
      return vi_output_commit (g_steal_pointer (&vout), error);
    }
  return TRUE;
}
