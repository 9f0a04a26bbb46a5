/* vi-output.h — the one way ELBO Lab writes a file: atomically for regular
 * files, in place for devices, FIFOs and standard output
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An output being written. Where it goes depends on what @path names when it
 * is opened:
 *  - "-" or "/dev/stdout": standard output, written in place;
 *  - a character device, FIFO or socket (e.g. /dev/null): opened and written
 *    in place, never replaced or removed;
 *  - a symbolic link: its final target, by the rules here (the link stays);
 *  - a regular file, or nothing yet: a temporary file beside it
 *    (".NAME.XXXXXX" in the same directory) that vi_output_commit() renames
 *    over NAME, keeping an existing file's permissions (new files get
 *    0666 & ~umask). Until the commit, an existing file is untouched; an
 *    aborted or failed output leaves no file behind.
 *  - a directory: an error.
 * Every error is a G_IO_ERROR naming @path: "PATH: cannot write: REASON". */
typedef struct _ViOutput ViOutput;

/* (transfer full) Opens @path for writing, or returns NULL and sets @error. */
ViOutput      *vi_output_open        (const char   *path,
                                      GError      **error);
/* Checks ahead (before a long run) that @path can be written: opens it as
 * vi_output_open() does and drops it, leaving nothing behind (a device,
 * FIFO or socket is only looked at). FALSE and @error as vi_output_open(). */
gboolean       vi_output_check       (const char   *path,
                                      GError      **error);
/* (transfer none) The stream to write to; valid until commit or abort
 * (then every write fails). Writing through it directly is fine: its errors
 * are the bare reason ("No space left on device"), and after the first one
 * every write fails and the commit reports it, whether or not the writer
 * handled it. */
GOutputStream *vi_output_get_stream  (ViOutput     *out);
/* The path (as given to vi_output_open()) of the output @stream belongs to,
 * or NULL when @stream is not a vi_output_get_stream(). */
const char    *vi_output_stream_get_path (GOutputStream *stream);
/* The path as given to vi_output_open(). */
const char    *vi_output_get_path    (ViOutput     *out);
gboolean       vi_output_write       (ViOutput     *out,
                                      const void   *data,
                                      gsize         len,
                                      GError      **error);
gboolean       vi_output_printf      (ViOutput     *out,
                                      GError      **error,
                                      const char   *format,
                                      ...) G_GNUC_PRINTF (3, 4);
/* Flushes, syncs and moves the output into place, then frees @out. Returns
 * FALSE and sets @error (after removing the temporary file) if any write,
 * the flush or the rename failed. */
gboolean       vi_output_commit      (ViOutput     *out,
                                      GError      **error);
/* Drops the output (removes the temporary file, leaves an existing file as
 * it was) and frees @out. NULL is a no-op. */
void           vi_output_abort       (ViOutput     *out);

/* Writes @len bytes of @data to @path in one go, by the rules above. */
gboolean       vi_output_write_file  (const char   *path,
                                      const void   *data,
                                      gsize         len,
                                      GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ViOutput, vi_output_abort)

G_END_DECLS
