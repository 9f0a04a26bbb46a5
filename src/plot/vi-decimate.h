/* vi-decimate.h — min/max block pyramid and per-pixel-column decimation
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to src/plot (exposed for tests). A ViPyramid summarises a growing
 * array y[0..n) in blocks of VI_PYRAMID_BRANCH^(k+1) values per level k, so a
 * range query [a, b) costs O(BRANCH · levels) instead of O(b − a), and
 * appending m values costs O(m · levels) without rescanning y.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VI_PYRAMID_BRANCH 32
#define VI_PYRAMID_LEVELS 6

enum
{
  VI_RANGE_NONFINITE = 1 << 0,  /* a NaN or ±inf in the range */
  VI_RANGE_NONPOS    = 1 << 1,  /* a finite value ≤ 0 in the range */
};

/* Summary of a set of values: min/max over the finite ones (+inf/−inf when
 * none), smallest finite positive value (+inf when none), flags above. */
typedef struct
{
  double min;
  double max;
  double minpos;
  guint  flags;
} ViRange;

typedef struct _ViPyramid ViPyramid;

/* Summary of one pixel column: indices [first, last] of y, and the range. */
typedef struct
{
  gsize   first;
  gsize   last;
  ViRange range;
} ViColumn;

void       vi_range_init        (ViRange       *r);
void       vi_range_add         (ViRange       *r,
                                 double         v);
/* vi_range_add() of each of @v[0 .. n). */
void       vi_range_add_n       (ViRange       *r,
                                 const double  *v,
                                 gsize          n);
void       vi_range_merge       (ViRange       *r,
                                 const ViRange *other);

/* (transfer full) An empty pyramid. */
ViPyramid *vi_pyramid_create    (void);
void       vi_pyramid_free      (ViPyramid     *p);
/* Forgets everything (y was replaced). */
void       vi_pyramid_reset     (ViPyramid     *p);
/* Number of values summarised so far. */
gsize      vi_pyramid_get_n     (const ViPyramid *p);
/* Summarises y[n_old .. n) where n_old = vi_pyramid_get_n(); @y is the
 * whole array (double[n]). */
void       vi_pyramid_extend    (ViPyramid     *p,
                                 const double  *y,
                                 gsize          n);
/* Range of y[a .. b) (b ≤ vi_pyramid_get_n()); @y is the whole array. */
void       vi_pyramid_query     (const ViPyramid *p,
                                 const double  *y,
                                 gsize          a,
                                 gsize          b,
                                 ViRange       *out);

/* Index of the first x[i] ≥ @v in non-decreasing x[0..n) (n if none). */
gsize      vi_lower_bound       (const double  *x,
                                 gsize          n,
                                 double         v);

/* Per-column decimation of a line with non-decreasing finite x[0..n):
 * column c holds the points with edges[c] ≤ x < edges[c+1] (@edges has
 * @n_cols + 1 increasing values). Writes the non-empty columns to @out
 * (room for @n_cols) in order and returns their number; @column_of (may be
 * NULL, room for @n_cols) gets each written column's index c. Cost
 * O(n_cols · (log n + BRANCH · LEVELS)). */
gsize      vi_decimate_columns  (const ViPyramid *p,
                                 const double  *x,
                                 const double  *y,
                                 gsize          n,
                                 const double  *edges,
                                 gsize          n_cols,
                                 ViColumn      *out,
                                 gsize         *column_of);

G_END_DECLS
