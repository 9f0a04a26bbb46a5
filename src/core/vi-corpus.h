/* vi-corpus.h — bag-of-words corpora for LDA: sparse documents over a
 * vocabulary, their readers and writers, and synthetic corpora with known
 * topics (REFERENCES.md §3, §5)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A corpus is a compressed sparse row matrix of word counts: document d has
 * the unique words word[doc_ptr[d] .. doc_ptr[d + 1]) (0-based ids, < W, in
 * increasing order) with their counts. Readers check everything and report
 * an error naming the file and the line; nothing here prints.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

/* Bounds that keep a hostile header from asking for a giant allocation. */
#define VI_CORPUS_MAX_DOCS   G_GUINT64_CONSTANT (100000000)
#define VI_CORPUS_MAX_WORDS  10000000u
#define VI_CORPUS_MAX_COUNT  1000000000u

typedef struct
{
  guint32   n_docs;
  guint32   n_words;    /* W, the vocabulary size */
  guint64   nnz;        /* stored (document, word) pairs */
  guint64   n_tokens;   /* Σ counts */
  guint64  *doc_ptr;    /* n_docs + 1 offsets into word/count */
  guint32  *word;       /* nnz word ids, increasing within a document */
  guint32  *count;      /* nnz counts ≥ 1 */
  char    **vocab;      /* n_words strings, or NULL when none is known */
} ViCorpus;

void       vi_corpus_free          (ViCorpus *corpus);

/* Tokens and unique words of document @d. */
static inline guint32
vi_corpus_doc_len (const ViCorpus *corpus,
                   guint32         d)
{
  return (guint32) (corpus->doc_ptr[d + 1] - corpus->doc_ptr[d]);
}

/* ---- UCI bag of words ---------------------------------------------------- */

/* Reads a UCI `docword` file (three header lines D, W, NNZ, then
 * `docID wordID count` triples, 1-based, grouped by document in increasing
 * docID) — plain or gzip-compressed (detected from its first bytes) — and
 * its vocabulary @vocab_path (one word a line, at least W lines; NULL: look
 * for `vocab.NAME.txt` beside `docword.NAME.txt[.gz]`, else `vocab.txt`;
 * no vocabulary found is not an error). Word ids are kept as given (id − 1).
 * Returns NULL with @error (VI_ERROR: VI_EIO for a missing, unreadable or
 * non-regular file or a truncated .gz; VI_EFORMAT for a header that
 * disagrees with the body, word id 0 or > W, a zero, negative or
 * non-numeric count, a repeated word in a document, documents out of
 * order, a vocabulary shorter than W, no tokens at all, binary data) whose
 * message starts "PATH:LINE: ". */
ViCorpus  *vi_corpus_read_uci      (const char      *docword_path,
                                    const char      *vocab_path,
                                    GError         **error);
/* Writes @corpus as a UCI docword file at @docword_path and, when it has
 * one, its vocabulary at @vocab_path (may be NULL), each atomically. */
gboolean   vi_corpus_write_uci     (const ViCorpus  *corpus,
                                    const char      *docword_path,
                                    const char      *vocab_path,
                                    GError         **error);

/* A streaming UCI writer: the header's counts must be known up front;
 * documents are added in order (0-based @doc, words increasing). Abort
 * leaves no file behind. */
typedef struct _ViUciWriter ViUciWriter;

ViUciWriter *vi_uci_writer_open    (const char      *path,
                                    guint64          n_docs,
                                    guint32          n_words,
                                    guint64          nnz,
                                    GError         **error);
gboolean     vi_uci_writer_add     (ViUciWriter     *writer,
                                    guint64          doc,
                                    const guint32   *words,
                                    const guint32   *counts,
                                    guint32          n,
                                    GError         **error);
/* Writes the rest and moves the file into place; frees @writer. */
gboolean     vi_uci_writer_commit  (ViUciWriter     *writer,
                                    GError         **error);
void         vi_uci_writer_abort   (ViUciWriter     *writer);

/* A streaming UCI reader: documents one at a time, memory O(longest
 * document), for corpora bigger than memory. */
typedef struct _ViUciReader ViUciReader;

ViUciReader *vi_uci_reader_open    (const char      *docword_path,
                                    GError         **error);
void         vi_uci_reader_free    (ViUciReader     *reader);
/* D and W from the header. */
guint32      vi_uci_reader_get_n_docs  (const ViUciReader *reader);
guint32      vi_uci_reader_get_n_words (const ViUciReader *reader);
/* The next document (0-based index in *@doc, its unique words and counts in
 * the arrays, valid until the next call; documents without words are
 * returned too, with *@n = 0). Returns TRUE with a document, FALSE at the
 * end (no error) or on an error (@error set). */
gboolean     vi_uci_reader_next    (ViUciReader     *reader,
                                    guint32         *doc,
                                    const guint32  **words,
                                    const guint32  **counts,
                                    guint32         *n,
                                    GError         **error);

/* ---- plain text ---------------------------------------------------------- */

typedef struct
{
  guint   min_count;   /* drop words with fewer occurrences in the corpus (≥ 1) */
  double  max_df;      /* drop words in more than this fraction of documents, (0, 1] */
  char  **stopwords;   /* NULL-terminated, lowercase; NULL: none */
} ViCorpusTextOptions;

/* Calls @func for every token of the UTF-8 text @text (@len bytes, -1:
 * NUL-terminated): maximal runs of letters (g_unichar_isalpha), case-folded,
 * of two or more letters. The token is NUL-terminated and valid only
 * during the call. */
typedef void (*ViTokenFunc) (const char *token,
                             gsize       len,
                             gpointer    user_data);
void       vi_corpus_tokenize      (const char      *text,
                                    gssize           len,
                                    ViTokenFunc      func,
                                    gpointer         user_data);

/* (transfer full, g_strfreev) The words of a stop-word file: one word a
 * line, '#' comments, blank lines ignored, lowercased. */
char     **vi_corpus_read_stopwords (const char     *path,
                                     GError        **error);

/* (transfer full) The English stop-word list shipped in data/: the
 * installed copy, else the source tree's. */
char      *vi_corpus_dup_stopwords_path (void);

/* Builds a corpus from documents given as UTF-8 strings (@n_docs of them):
 * tokenized, stop words removed, then words below min_count or above max_df
 * dropped; the vocabulary is sorted (byte order), so the result does not
 * depend on anything but the text. Documents left empty are kept. @names
 * label the documents in errors (NULL: "document N"). */
ViCorpus  *vi_corpus_from_texts    (const char *const         *texts,
                                    guint32                     n_docs,
                                    const ViCorpusTextOptions  *options,
                                    GError                    **error);
/* Reads plain text: @path is a file (one document a line; blank lines are
 * not documents) or a folder (one document per `*.txt` file, in name
 * order). Invalid UTF-8 or binary data is an error naming the file and
 * line. */
ViCorpus  *vi_corpus_read_text     (const char                 *path,
                                    const ViCorpusTextOptions  *options,
                                    GError                    **error);

/* The King James Bible, one document per chapter (1,189), from the output
 * of `bible -f gen1:1-rev22:21` (Debian bible-kjv): lines "Ge1:1 text";
 * @options as for plain text (the reference corpus uses the English stop
 * words and min_count 5). */
ViCorpus  *vi_corpus_from_kjv_verses (const char                *text,
                                      gsize                      len,
                                      const ViCorpusTextOptions *options,
                                      GError                   **error);
/* Runs `bible -f gen1:1-rev22:21` and builds the chapters corpus; an error
 * says which Debian package to install when the program is missing. */
ViCorpus  *vi_corpus_build_kjv     (const ViCorpusTextOptions  *options,
                                    GError                    **error);

/* ---- synthetic corpora --------------------------------------------------- */

/* The "bars" corpus (Griffiths & Steyvers 2004): W = side² pixels, K =
 * 2·side topics, each uniform over one horizontal or vertical bar (topics
 * 0..side−1 the rows, then the columns), θ_d ~ Dirichlet(@alpha), @length
 * words a document, from stream 0 of @seed. *@topics_out (may be NULL)
 * gets the K × W true topics (row-major, g_free). Errors name the
 * parameter: side ∈ [2, 100], n_docs ∈ [1, 10⁷], alpha > 0, length ≥ 1. */
ViCorpus  *vi_corpus_bars          (guint            side,
                                    guint32          n_docs,
                                    double           alpha,
                                    guint32          length,
                                    guint64          seed,
                                    double         **topics_out,
                                    GError         **error);

/* An LDA-generated corpus: K topics β_k ~ Dirichlet(@eta) over W words,
 * θ_d ~ Dirichlet(@alpha), @length words a document. Documents are drawn
 * one at a time from per-document RNG streams, so vi_corpus_synthetic_doc()
 * regenerates any one of them (a writer can stream any size). */
typedef struct _ViLdaGenerator ViLdaGenerator;

ViLdaGenerator *vi_lda_generator_create (guint32   n_words,
                                         guint     n_topics,
                                         guint32   length,
                                         double    alpha,
                                         double    eta,
                                         guint64   seed,
                                         GError  **error);
void            vi_lda_generator_free   (ViLdaGenerator *gen);
/* (transfer none) The K × W true topics. */
const double   *vi_lda_generator_get_topics (const ViLdaGenerator *gen);
/* Document @d's unique words (increasing) and counts into @words/@counts
 * (room for @length each); returns how many. */
guint32         vi_lda_generator_doc    (ViLdaGenerator *gen,
                                         guint64         d,
                                         guint32        *words,
                                         guint32        *counts);
/* Writes a UCI docword file of @n_docs documents (gzip when the path ends
 * in ".gz"), streaming: memory O(W·K). */
gboolean        vi_lda_generator_write  (ViLdaGenerator *gen,
                                         guint64         n_docs,
                                         const char     *docword_path,
                                         GError        **error);

/* ---- splits -------------------------------------------------------------- */

/* The deterministic test split: 0-based document d is held out when
 * d mod 10 = 9. Either output may be NULL; both keep the vocabulary. */
void       vi_corpus_split         (const ViCorpus  *corpus,
                                    ViCorpus       **train,
                                    ViCorpus       **test);
/* Whether 0-based document @d belongs to the test split. */
static inline gboolean
vi_corpus_is_test_doc (guint64 d)
{
  return d % 10 == 9;
}

G_END_DECLS
