/* vi-json-check.h — a strict JSON checker (RFC 8259), run before a JSON
 * library sees untrusted text
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether @text (@len bytes, NULs included) is exactly one JSON value with
 * only white space around it, nested at most @max_depth arrays and objects
 * deep: numbers by the grammar (no NaN, Infinity, "1e+20.0" or leading
 * zeros), strings of valid UTF-8 without control characters, every \u
 * escape a character (a surrogate only as a pair). Otherwise NULL-safe
 * @message (transfer full) is "line L, column C: what" (columns in bytes,
 * from 1). Linear in @len; never recurses deeper than @max_depth. */
gboolean vi_json_check (const char  *text,
                        gsize        len,
                        guint        max_depth,
                        char       **message);

G_END_DECLS
