/* vi-counts.c — count data: a reader for counts files and a synthetic
 * Poisson source
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include <gsl/gsl_randist.h>

#include "vi-counts.h"
#include "vi-input.h"
#include "vi-params.h"
#include "vi-rng.h"
#include "vi-status.h"

gboolean
vi_counts_check_file (const char  *path,
                      GError     **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return TRUE;
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, VI_ERROR, VI_EIO, "%s: cannot read counts file: not a regular file "
                   "(devices, FIFOs and directories are not read)", path);
      return FALSE;
    }
  if (st.st_size > VI_COUNTS_FILE_MAX)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT, "%s: counts file too large (%" G_GINT64_FORMAT
                   " bytes; at most %d MiB)", path, (gint64) st.st_size,
                   VI_COUNTS_FILE_MAX >> 20);
      return FALSE;
    }
  return TRUE;
}

guint64 *
vi_counts_read (const char  *path,
                size_t      *n_out,
                GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GArray) counts = NULL;
  gsize len = 0;
  char *p, *end;
  guint line_no = 0;

  *n_out = 0;
  /* Checked before it is opened, so that a FIFO or device never blocks or
   * streams forever; vi_input_read_all keeps the cap if the file grows. */
  if (!vi_counts_check_file (path, error))
    return NULL;
  contents = vi_input_read_all (path, VI_COUNTS_FILE_MAX, &len, error);
  if (contents == NULL)
    return NULL;
  counts = g_array_new (FALSE, FALSE, sizeof (guint64));
  p = contents;
  end = contents + len;
  /* A UTF-8 byte-order mark (as some editors write) is not data. */
  if (len >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (p < end)
    {
      char *nl = memchr (p, '\n', (size_t) (end - p));
      char *line_end = nl != NULL ? nl : end;
      char *hash;
      char *s, *e;
      guint64 value = 0;

      line_no++;
      if (memchr (p, '\0', (size_t) (line_end - p)) != NULL
          || !g_utf8_validate (p, line_end - p, NULL))
        {
          g_set_error (error, VI_ERROR, VI_EFORMAT,
                       "%s:%u: binary data (expected one non-negative integer per line)",
                       path, line_no);
          return NULL;
        }
      *line_end = '\0';
      hash = strchr (p, '#');
      if (hash != NULL)
        *hash = '\0';
      s = p;
      while (g_ascii_isspace (*s))
        s++;
      e = s + strlen (s);
      while (e > s && g_ascii_isspace (e[-1]))
        *--e = '\0';
      p = line_end + 1;
      if (*s == '\0')
        continue;

      {
        const char *q = s;
        gboolean ok = TRUE;

        if (*q == '+')
          q++;
        if (*q == '\0')
          ok = FALSE;
        for (; ok && *q != '\0'; q++)
          {
            if (!g_ascii_isdigit (*q))
              ok = FALSE;
            else if (value > (VI_COUNTS_MAX - (guint64) (*q - '0')) / 10)
              {
                g_autofree char *cut = vi_params_excerpt (s, VI_PARAMS_EXCERPT_CHARS);

                g_set_error (error, VI_ERROR, VI_EFORMAT,
                             "%s:%u: count too large (got '%s', max %" G_GUINT64_FORMAT ")",
                             path, line_no, cut, VI_COUNTS_MAX);
                return NULL;
              }
            else
              value = value * 10 + (guint64) (*q - '0');
          }
        if (!ok)
          {
            char *endp = NULL;
            double d = g_ascii_strtod (s, &endp);
            g_autofree char *cut = vi_params_excerpt (s, VI_PARAMS_EXCERPT_CHARS);

            if (endp != s && *endp == '\0' && d < 0.0)
              g_set_error (error, VI_ERROR, VI_EFORMAT,
                           "%s:%u: negative count (got '%s')", path, line_no, cut);
            else
              g_set_error (error, VI_ERROR, VI_EFORMAT,
                           "%s:%u: not a non-negative integer (got '%s')", path, line_no, cut);
            return NULL;
          }
      }
      g_array_append_val (counts, value);
    }
  if (counts->len == 0)
    {
      g_set_error (error, VI_ERROR, VI_EFORMAT,
                   "%s: no counts (the file is empty or has only comments)", path);
      return NULL;
    }
  *n_out = counts->len;
  return (guint64 *) g_array_free (g_steal_pointer (&counts), FALSE);
}

guint64 *
vi_counts_synthetic (size_t   n,
                     double   rate,
                     guint64  seed,
                     GError **error)
{
  gsl_rng *rng;
  guint64 *x;

  if (n == 0 || n > 10000000)
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "synthetic: N must be in [1, 10000000] (got %zu)", n);
      return NULL;
    }
  if (!(isfinite (rate) && rate > 0.0 && rate <= 1e6))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "true-rate: must be in (0, 1e6] (got %g)", rate);
      return NULL;
    }
  rng = vi_rng_create (seed, 0);
  if (rng == NULL)
    {
      g_set_error (error, VI_ERROR, VI_ENOMEM, "synthetic: out of memory");
      return NULL;
    }
  x = g_new (guint64, n);
  for (size_t i = 0; i < n; i++)
    x[i] = gsl_ran_poisson (rng, rate);
  gsl_rng_free (rng);
  return x;
}
