/* vi-counts.h — count data: a reader for counts files and a synthetic
 * Poisson source, shared by the models that observe counts
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>

#include <glib.h>

G_BEGIN_DECLS

/* Largest count accepted from a file (keeps Σx exact in a double). */
#define VI_COUNTS_MAX G_GUINT64_CONSTANT (1000000000000)

/* Largest counts file read, in bytes. A count takes 8 bytes in memory and
 * at least 2 in the file ("0\n"), so a file of this size takes at most
 * 5 × 64 MiB = 320 MiB to read; it holds ≥ 3.2·10⁶ counts of the largest
 * size (13 digits) and up to 3.3·10⁷ one-digit counts, more than the
 * conjugate model needs (synthetic data stop at 10⁷ counts). */
#define VI_COUNTS_FILE_MAX (64 << 20)

/* (transfer full, g_free) Reads counts from @path: one non-negative integer
 * (≤ VI_COUNTS_MAX) per line; blank lines, text after '#' and a UTF-8
 * byte-order mark at the start are ignored. Only a regular file of at most
 * VI_COUNTS_FILE_MAX bytes is read (checked before it is opened: a FIFO or
 * device is refused at once); a gzip-compressed file is decompressed
 * (vi_input_read_all). On a missing/unreadable file, binary data, a non-integer, a negative value
 * or no counts at all returns NULL, sets *@n_out to 0 and sets @error
 * (VI_ERROR, VI_EIO or VI_EFORMAT) with a message "PATH:LINE: ..." naming
 * the file and line. */
guint64 *vi_counts_read      (const char  *path,
                              size_t      *n_out,
                              GError     **error);

/* FALSE and @error (as vi_counts_read's) when @path exists but is not a
 * regular file or is larger than VI_COUNTS_FILE_MAX; from its stat only,
 * without opening it. A path that cannot be examined passes. */
gboolean vi_counts_check_file (const char  *path,
                               GError     **error);

/* (transfer full, g_free) @n Poisson(@rate) counts from stream 0 of @seed
 * (vi_rng_create, gsl_ran_poisson). Returns NULL and sets @error (VI_EDOM,
 * naming "synthetic" or "true-rate") if n = 0, n > 10⁷ or rate ∉ (0, 10⁶]. */
guint64 *vi_counts_synthetic (size_t       n,
                              double       rate,
                              guint64      seed,
                              GError     **error);

G_END_DECLS
