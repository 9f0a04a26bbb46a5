/* vi-input.h — opening data files for the readers (corpora, IDX, …):
 * regular files only, gzip-compressed or not
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* (transfer full) A stream over the regular file @path, decompressed when
 * it starts with the gzip magic (a truncated .gz is a read error then).
 * Errors (VI_ERROR, VI_EIO) name the file: missing, unreadable, or not a
 * regular file (a device, a FIFO, a folder). */
GInputStream *vi_input_open     (const char  *path,
                                 GError     **error);

/* (transfer full) The whole content of @path (decompressed), NUL-terminated
 * (the NUL not counted in *@len), or NULL with @error when it cannot be
 * read or holds more than @max_bytes (VI_EFORMAT, naming the file). */
char         *vi_input_read_all (const char  *path,
                                 gsize        max_bytes,
                                 gsize       *len,
                                 GError     **error);

G_END_DECLS
