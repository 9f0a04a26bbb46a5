/* vi-test-util.h — assertions shared by the GLib test binaries
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>
#include <glib.h>

/* Asserts |got − want| ≤ atol + rtol·|want| (equal infinities pass), and
 * reports both values, the difference and the caller's context on failure. */
#define vi_assert_close(got, want, atol, rtol) \
  vi_test_assert_close (__FILE__, __LINE__, G_STRFUNC, #got, (got), (want), (atol), (rtol))

static inline void
vi_test_assert_close (const char *file,
                      int         line,
                      const char *func,
                      const char *expr,
                      double      got,
                      double      want,
                      double      atol,
                      double      rtol)
{
  double diff = fabs (got - want);

  if (got == want)
    return;
  if (!(diff <= atol + rtol * fabs (want)))
    {
      char *msg = g_strdup_printf ("%s: got %.17g, want %.17g "
                                   "(|diff| %.3g > atol %.3g + rtol %.3g)",
                                   expr, got, want, diff, atol, rtol);
      g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
      g_free (msg);
    }
}

/* Element-wise vi_assert_close over n values, naming the first bad index. */
static inline void
vi_test_assert_close_array (const char   *file,
                            int           line,
                            const char   *func,
                            const char   *expr,
                            const double *got,
                            const double *want,
                            gsize         n,
                            double        atol,
                            double        rtol)
{
  for (gsize i = 0; i < n; i++)
    {
      char *label = g_strdup_printf ("%s[%" G_GSIZE_FORMAT "]", expr, i);
      vi_test_assert_close (file, line, func, label, got[i], want[i], atol, rtol);
      g_free (label);
    }
}

#define vi_assert_close_array(got, want, n, atol, rtol) \
  vi_test_assert_close_array (__FILE__, __LINE__, G_STRFUNC, #got, (got), (want), (n), \
                              (atol), (rtol))
