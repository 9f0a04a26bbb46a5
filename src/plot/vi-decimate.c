/* vi-decimate.c — min/max block pyramid and per-pixel-column decimation
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-decimate.h"

struct _ViPyramid
{
  gsize   n;                          /* values summarised */
  GArray *level[VI_PYRAMID_LEVELS];   /* of ViRange; level k node j covers
                                       * y[j·B^(k+1) .. (j+1)·B^(k+1)) */
};

void
vi_range_init (ViRange *r)
{
  r->min = INFINITY;
  r->max = -INFINITY;
  r->minpos = INFINITY;
  r->flags = 0;
}

/* vi_range_add(), inlined into the loops below (a pyramid sees each value
 * once, and a live plot rebuilds its pyramids every frame). */
static inline void
range_add (ViRange *r,
           double   v)
{
  if (!isfinite (v))
    {
      r->flags |= VI_RANGE_NONFINITE;
      return;
    }
  if (v < r->min)
    r->min = v;
  if (v > r->max)
    r->max = v;
  if (v > 0)
    {
      if (v < r->minpos)
        r->minpos = v;
    }
  else
    r->flags |= VI_RANGE_NONPOS;
}

void
vi_range_add (ViRange *r,
              double   v)
{
  range_add (r, v);
}

void
vi_range_add_n (ViRange      *r,
                const double *v,
                gsize         n)
{
  for (gsize i = 0; i < n; i++)
    range_add (r, v[i]);
}

void
vi_range_merge (ViRange       *r,
                const ViRange *o)
{
  if (o->min < r->min)
    r->min = o->min;
  if (o->max > r->max)
    r->max = o->max;
  if (o->minpos < r->minpos)
    r->minpos = o->minpos;
  r->flags |= o->flags;
}

ViPyramid *
vi_pyramid_create (void)
{
  ViPyramid *p = g_new0 (ViPyramid, 1);

  for (guint k = 0; k < VI_PYRAMID_LEVELS; k++)
    p->level[k] = g_array_new (FALSE, FALSE, sizeof (ViRange));
  return p;
}

void
vi_pyramid_free (ViPyramid *p)
{
  if (p == NULL)
    return;
  for (guint k = 0; k < VI_PYRAMID_LEVELS; k++)
    g_array_unref (p->level[k]);
  g_free (p);
}

void
vi_pyramid_reset (ViPyramid *p)
{
  p->n = 0;
  for (guint k = 0; k < VI_PYRAMID_LEVELS; k++)
    g_array_set_size (p->level[k], 0);
}

gsize
vi_pyramid_get_n (const ViPyramid *p)
{
  return p->n;
}

/* Returns level @lv's block @j, appending empty blocks up to it. */
static inline ViRange *
block (GArray *lv,
       gsize   j)
{
  while (j >= lv->len)
    {
      ViRange r;

      vi_range_init (&r);
      g_array_append_val (lv, r);
    }
  return &g_array_index (lv, ViRange, j);
}

void
vi_pyramid_extend (ViPyramid    *p,
                   const double *y,
                   gsize         n)
{
  const gsize B = VI_PYRAMID_BRANCH;
  gsize first = p->n;  /* the first changed value, then child block */

  if (n <= p->n)
    return;
  /* Level 0 from the values, one block at a time; each level above merges
   * the blocks of the one below that changed (the first of them may
   * already be in its parent: merging is a union, so merging it again
   * only adds what is new). About n + n/B + … range steps, not n a level. */
  for (gsize j = first / B; j * B < n; j++)
    {
      ViRange *r = block (p->level[0], j);

      for (gsize i = MAX (first, j * B); i < MIN (n, (j + 1) * B); i++)
        range_add (r, y[i]);
    }
  for (guint k = 1; k < VI_PYRAMID_LEVELS; k++)
    {
      const GArray *below = p->level[k - 1];

      first /= B;
      for (gsize c = first; c < below->len; c++)
        vi_range_merge (block (p->level[k], c / B), &g_array_index (below, ViRange, c));
    }
  p->n = n;
}

void
vi_pyramid_query (const ViPyramid *p,
                  const double    *y,
                  gsize            a,
                  gsize            b,
                  ViRange         *out)
{
  const gsize B = VI_PYRAMID_BRANCH;

  vi_range_init (out);
  if (b > p->n)
    b = p->n;
  /* Unaligned head and tail from the raw values, then whole blocks level by
   * level: each level touches fewer than 2·B nodes. */
  while (a < b && a % B != 0)
    vi_range_add (out, y[a++]);
  while (b > a && b % B != 0)
    vi_range_add (out, y[--b]);
  if (a >= b)
    return;
  a /= B;
  b /= B;
  for (guint k = 0; k < VI_PYRAMID_LEVELS && a < b; k++)
    {
      const ViRange *lv = (const ViRange *) p->level[k]->data;

      if (k + 1 == VI_PYRAMID_LEVELS)
        {
          for (; a < b; a++)
            vi_range_merge (out, &lv[a]);
          break;
        }
      while (a < b && a % B != 0)
        vi_range_merge (out, &lv[a++]);
      while (b > a && b % B != 0)
        vi_range_merge (out, &lv[--b]);
      a /= B;
      b /= B;
    }
}

gsize
vi_lower_bound (const double *x,
                gsize         n,
                double        v)
{
  gsize lo = 0, hi = n;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (x[mid] < v)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

gsize
vi_decimate_columns (const ViPyramid *p, const double *x, const double *y, gsize n,
                     const double *edges, gsize n_cols, ViColumn *out, gsize *column_of)
{
  gsize n_out = 0;
  gsize start;

  if (n == 0 || n_cols == 0)
    return 0;
  start = vi_lower_bound (x, n, edges[0]);
  for (gsize c = 0; c < n_cols && start < n; c++)
    {
      gsize end;

      /* The last column is closed on the right so x = edges[n_cols] counts. */
      if (c + 1 == n_cols)
        end = start + vi_lower_bound (x + start, n - start, nextafter (edges[c + 1], INFINITY));
      else
        end = start + vi_lower_bound (x + start, n - start, edges[c + 1]);
      if (end > start)
        {
          out[n_out].first = start;
          out[n_out].last = end - 1;
          vi_pyramid_query (p, y, start, end, &out[n_out].range);
          if (column_of != NULL)
            column_of[n_out] = c;
          n_out++;
        }
      start = end;
    }
  return n_out;
}
