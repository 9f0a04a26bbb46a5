/* vi-ticks.c — nice linear ticks (Wilkinson's extended algorithm), log ticks
 * and tick labels
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The extended algorithm is from J. Talbot, S. Lin, P. Hanrahan, "An
 * Extension of Wilkinson's Algorithm for Positioning Tick Labels on Axes",
 * IEEE InfoVis 2010: it scores candidate labelings by simplicity, coverage,
 * density and legibility (here constant) and searches them in an order that
 * allows pruning by the best score still reachable.
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "vi-figure.h"

static const double Q[] = { 1, 5, 2, 2.5, 4, 3 };
#define N_Q G_N_ELEMENTS (Q)
static const double W_SIMPLICITY = 0.25, W_COVERAGE = 0.2, W_DENSITY = 0.5, W_LEGIBILITY = 0.05;

static double
simplicity (guint  qi,
            double j,
            double lmin,
            double lmax,
            double lstep)
{
  const double eps = 1e-10;
  double rem = fmod (lmin, lstep);
  double v = ((fabs (rem) < eps * lstep || lstep - fabs (rem) < eps * lstep)
              && lmin <= 0 && lmax >= 0) ? 1 : 0;

  return 1 - (double) qi / (N_Q - 1) - j + v;
}

static double
simplicity_max (guint  qi,
                double j)
{
  return 1 - (double) qi / (N_Q - 1) - j + 1;
}

static double
coverage (double dmin,
          double dmax,
          double lmin,
          double lmax)
{
  double range = dmax - dmin;

  return 1 - 0.5 * ((dmax - lmax) * (dmax - lmax) + (dmin - lmin) * (dmin - lmin))
             / ((0.1 * range) * (0.1 * range));
}

static double
coverage_max (double dmin,
              double dmax,
              double span)
{
  double range = dmax - dmin;

  if (span > range)
    {
      double half = (span - range) / 2;
      return 1 - 0.5 * (2 * half * half) / ((0.1 * range) * (0.1 * range));
    }
  return 1;
}

static double
density (double k,
         double m,
         double dmin,
         double dmax,
         double lmin,
         double lmax)
{
  double r = (k - 1) / (lmax - lmin);
  double rt = (m - 1) / (MAX (lmax, dmax) - MIN (dmin, lmin));

  return 2 - MAX (r / rt, rt / r);
}

static double
density_max (double k,
             double m)
{
  return k >= m ? 2 - (k - 1) / (m - 1) : 1;
}

/* Makes [lo, hi] a usable finite range with hi > lo. */
static void
sanitize_range (double *lo,
                double *hi)
{
  double a = *lo, b = *hi, mag;

  if (!isfinite (a) && !isfinite (b))
    a = 0, b = 1;
  else if (!isfinite (a))
    a = b;
  else if (!isfinite (b))
    b = a;
  if (a > b)
    {
      double t = a;
      a = b;
      b = t;
    }
  mag = MAX (fabs (a), fabs (b));
  if (b - a <= 1e-12 * mag || b - a < 1e-300)
    {
      double d = mag > 0 ? 0.1 * mag : 1;
      double c = 0.5 * (a + b);
      a = c - d;
      b = c + d;
    }
  if (!isfinite (b - a))
    {
      a = -DBL_MAX / 4;
      b = DBL_MAX / 4;
    }
  *lo = a;
  *hi = b;
}

guint
vi_ticks_linear (double    lo,
                 double    hi,
                 guint     target,
                 gboolean  loose,
                 double   *ticks,
                 guint     max,
                 double   *step_out)
{
  double dmin, dmax, m;
  double best_score = -2, best_lmin = 0, best_lmax = 1, best_step = 1, best_unit = 1;
  gboolean found = FALSE;
  guint n = 0;

  dmin = lo;
  dmax = hi;
  sanitize_range (&dmin, &dmax);
  m = MAX (target, 2);

  for (double j = 1; j < 20; j++)
    {
      gboolean stop_j = FALSE;

      for (guint qi = 0; qi < N_Q; qi++)
        {
          double q = Q[qi];
          double sm = simplicity_max (qi, j);

          if (W_SIMPLICITY * sm + W_COVERAGE + W_DENSITY + W_LEGIBILITY < best_score)
            {
              stop_j = TRUE;
              break;
            }
          /* At most 5/3 of the target: no crowded axes. */
          for (double k = 2; k <= MAX (4, floor (m * 5 / 3)); k++)
            {
              double dm = density_max (k, m);
              double delta, z;

              if (W_SIMPLICITY * sm + W_COVERAGE + W_DENSITY * dm + W_LEGIBILITY < best_score)
                break;
              delta = (dmax - dmin) / (k + 1) / j / q;
              z = ceil (log10 (delta));
              for (guint zi = 0; zi < 40; zi++, z++)
                {
                  double step = j * q * pow (10, z);
                  double cm = coverage_max (dmin, dmax, step * (k - 1));
                  double min_start, max_start;

                  if (W_SIMPLICITY * sm + W_COVERAGE * cm + W_DENSITY * dm + W_LEGIBILITY
                      < best_score)
                    break;
                  min_start = floor (dmax / step) * j - (k - 1) * j;
                  max_start = ceil (dmin / step) * j;
                  if (min_start > max_start || max_start - min_start > 1000)
                    continue;
                  for (double start = min_start; start <= max_start; start++)
                    {
                      double lmin = start * (step / j);
                      double lmax = lmin + step * (k - 1);
                      double s = simplicity (qi, j, lmin, lmax, step);
                      double c = coverage (dmin, dmax, lmin, lmax);
                      double g = density (k, m, dmin, dmax, lmin, lmax);
                      double score = W_SIMPLICITY * s + W_COVERAGE * c + W_DENSITY * g
                                     + W_LEGIBILITY;

                      if (score > best_score
                          && (!loose || (lmin <= dmin && lmax >= dmax))
                          && (loose || (lmin >= dmin - 1e-9 * step
                                        && lmax <= dmax + 1e-9 * step)))
                        {
                          best_score = score;
                          best_lmin = lmin;
                          best_lmax = lmax;
                          best_step = step;
                          best_unit = step / j;
                          found = TRUE;
                        }
                    }
                }
            }
        }
      if (stop_j)
        break;
    }

  if (!found)
    {
      /* Pathological ranges (huge magnitudes): plain end points. */
      best_lmin = dmin;
      best_lmax = dmax;
      best_step = dmax - dmin;
      best_unit = best_step;
    }
  for (double v = best_lmin; v <= best_lmax + 0.5 * best_step && n < max; v += best_step)
    {
      /* Snap values like 0.30000000000000004 and −1e-17 to the grid of
       * q·10^z (the ticks are every j-th point of it). */
      double t = found ? round (v / best_unit) * best_unit : v;
      ticks[n++] = fabs (t) < 1e-12 * best_step ? 0 : t;
      if (best_step <= 0)
        break;
    }
  if (step_out != NULL)
    *step_out = best_step;
  return n;
}

guint
vi_ticks_log (double  lo,
              double  hi,
              double *major,
              guint   max_major,
              double *minor,
              guint   max_minor,
              guint  *n_minor)
{
  double a, b, e0, e1;
  guint n = 0, nm = 0;
  int every;

  if (!(lo > 0) || !isfinite (lo))
    lo = hi > 0 && isfinite (hi) ? hi / 10 : 1;
  if (!(hi > 0) || !isfinite (hi))
    hi = lo * 10;
  if (lo > hi)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  a = log10 (lo);
  b = log10 (hi);
  e0 = ceil (a - 1e-9);
  e1 = floor (b + 1e-9);

  if (e1 - e0 < 1)
    {
      /* Fewer than two decades inside: linear ticks in value space, plus the
       * decade if there is one. */
      double step;

      n = vi_ticks_linear (lo, hi, 5, FALSE, major, max_major, &step);
      for (guint i = 0; i < n;)
        if (major[i] <= 0)
          {
            memmove (major + i, major + i + 1, (n - i - 1) * sizeof (double));
            n--;
          }
        else
          i++;
      if (n_minor != NULL)
        *n_minor = 0;
      return n;
    }

  every = (int) ceil ((e1 - e0 + 1) / 8.0);
  if (every > 1 && every < 5 && every != 2)
    every = every == 3 ? 3 : 5;
  /* Start at a multiple of @every so labels read 10^0, 10^3, 10^6, … */
  for (double e = ceil (e0 / every) * every; e <= e1 && n < max_major; e += every)
    major[n++] = pow (10, e);

  if (every == 1)
    for (double e = floor (a); e <= b && minor != NULL; e++)
      for (int mlt = 2; mlt <= 9 && nm < max_minor; mlt++)
        {
          double v = mlt * pow (10, e);
          if (v >= lo && v <= hi)
            minor[nm++] = v;
        }
  else
    for (double e = floor (a); e <= b && minor != NULL && nm < max_minor; e++)
      {
        double v = pow (10, e);
        if (v >= lo && v <= hi && fmod (e, every) != 0)
          minor[nm++] = v;
      }
  if (n_minor != NULL)
    *n_minor = nm;
  return n;
}

/* "10" followed by the exponent in Unicode superscripts (⁻¹²): Pango's <sup>
 * scales badly with absolute font sizes, and these glyphs are in every
 * common sans font. */
static void
append_power_of_ten (GString *out,
                     int      e)
{
  static const char *const sup[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
  char digits[16];

  g_string_append (out, "10");
  if (e < 0)
    g_string_append (out, "⁻");
  g_snprintf (digits, sizeof digits, "%d", ABS (e));
  for (const char *d = digits; *d; d++)
    g_string_append (out, sup[*d - '0']);
}

static char *
power_of_ten (int e)
{
  GString *out = g_string_new (NULL);

  append_power_of_ten (out, e);
  return g_string_free (out, FALSE);
}

/* Replaces '-' by U+2212 MINUS SIGN for typeset labels. */
static char *
typeset_minus (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s; s++)
    if (*s == '-')
      g_string_append (out, "\xe2\x88\x92");
    else
      g_string_append_c (out, *s);
  return g_string_free (out, FALSE);
}

char *
vi_ticks_format (double   value,
                 double   step,
                 gboolean log_scale)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double mag;
  int decimals;

  if (isnan (value))
    return g_strdup ("NaN");
  if (isinf (value))
    return g_strdup (value > 0 ? "∞" : "−∞");

  if (log_scale)
    {
      double e = log10 (value);

      if (value > 0 && fabs (e - round (e)) < 1e-9)
        {
          int ie = (int) round (e);

          return power_of_ten (ie);
        }
      step = 0;
    }

  if (!(step > 0) || !isfinite (step))
    step = fabs (value) > 0 ? fabs (value) / 10 : 1;
  if (fabs (value) < 1e-9 * step)
    return g_strdup ("0");

  mag = fabs (value);
  if (mag >= 1e5 || mag < 1e-4)
    {
      /* Scientific: mantissa with as many digits as the step needs. */
      int e = (int) floor (log10 (mag) + 1e-12);
      double mant = value / pow (10, e);
      double mstep = step / pow (10, e);
      g_autofree char *m = NULL;

      decimals = CLAMP ((int) ceil (-log10 (mstep) - 1e-9), 0, 6);
      /* A 2.5-style step needs one more digit than its decade suggests. */
      if (decimals < 6 && fabs (mstep * pow (10, decimals) - round (mstep * pow (10, decimals)))
          > 1e-6)
        decimals++;
      {
        char fmt[16];
        g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
        m = g_strdup (g_ascii_formatd (buf, sizeof buf, fmt, mant));
      }
      if (strcmp (m, "1") == 0)
        return power_of_ten (e);
      {
        g_autofree char *mm = typeset_minus (m);
        GString *out = g_string_new (mm);

        g_string_append (out, "×");
        append_power_of_ten (out, e);
        return g_string_free (out, FALSE);
      }
    }

  decimals = CLAMP ((int) ceil (-log10 (step) - 1e-9), 0, 10);
  if (decimals < 10 && fabs (step * pow (10, decimals) - round (step * pow (10, decimals))) > 1e-6)
    decimals++;
  {
    char fmt[16];
    g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
    g_ascii_formatd (buf, sizeof buf, fmt, value);
  }
  return typeset_minus (buf);
}
