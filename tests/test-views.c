/* test-views.c — the views layer: the series each figure holds, building
 * is deterministic and complete, and the CLI's --plot is the views' figure
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "vi-bbvi-views.h"
#include "vi-expfam-views.h"
#include "vi-test-views.h"

#define N_ITER 10

/* ---- helpers ------------------------------------------------------------- */

static ViSeries *
find_series (ViPanel    *panel,
             const char *name)
{
  for (guint i = 0; i < vi_panel_get_n_series (panel); i++)
    {
      ViSeries *s = vi_panel_get_series (panel, i);

      if (g_strcmp0 (vi_series_get_name (s), name) == 0)
        return s;
    }
  return NULL;
}

static guint
count_kind (ViPanel      *panel,
            ViSeriesKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < vi_panel_get_n_series (panel); i++)
    n += vi_series_get_kind (vi_panel_get_series (panel, i)) == kind;
  return n;
}

/* A hand-made optimize snapshot: Exponential family, naive and cv, ELBO
 * rising to just below the family's best. */
static ViBbviSnapshot *
bbvi_snapshot (double offset)
{
  static const ViBbviEstimator est[] = { VI_BBVI_NAIVE, VI_BBVI_CV };
  ViBbviSnapshot *s = vi_bbvi_snapshot_new ();

  s->alpha = 2;
  s->beta = 1;
  s->n = 20;
  s->sum_x = 80;
  s->posterior_shape = 82;
  s->posterior_rate = 21;
  s->log_evidence = -42.77;
  s->family = vi_bbvi_family_lookup ("exponential");
  s->dim = 1;
  s->params_opt[0] = 0.256;
  s->elbo_opt = -87.24;
  s->iteration = s->iterations = N_ITER;
  s->n_traces = G_N_ELEMENTS (est);
  s->traces = g_new0 (ViBbviTrace, s->n_traces);
  for (size_t k = 0; k < s->n_traces; k++)
    {
      ViBbviTrace *t = &s->traces[k];

      t->estimator = est[k];
      t->len = N_ITER;
      t->iteration = g_new (double, N_ITER);
      t->elbo = g_new (double, N_ITER);
      t->elbo_estimate = g_new (double, N_ITER);
      t->params = g_new (double, N_ITER);
      t->grad_var = g_new (double, N_ITER);
      t->grad_snr = g_new (double, N_ITER);
      for (size_t i = 0; i < N_ITER; i++)
        {
          /* naive about 100, cv about 20 */
          t->grad_var[i] = (k == 0 ? 100.0 : 20.0) * (1 + 0.1 * (i % 3));
          t->grad_snr[i] = 1.0 / sqrt (t->grad_var[i]);
          t->iteration[i] = (double) i + 1;
          t->elbo[i] = s->elbo_opt - offset - 5.0 / (i + 1.0) - 0.1 * k;
          t->elbo_estimate[i] = t->elbo[i] + (i % 2 ? 1 : -1);
          t->params[i] = s->params_opt[0] * (1 + 0.5 / (i + 1.0));
        }
      t->current[0] = t->params[N_ITER - 1];
      t->current_elbo = t->elbo[N_ITER - 1];
    }
  return s;
}

static char *
build_csv (void               (*build) (ViFigure *, const ViBbviSnapshot *,
                                        const ViViewContext *),
           ViFigure            *fig,
           const ViBbviSnapshot *snap,
           const ViViewContext  *ctx)
{
  build (fig, snap, ctx);
  return vi_figure_to_csv (fig);
}

/* ---- bbvi ---------------------------------------------------------------- */

/* After 8 runs the ELBO legend has one entry per earlier run, and no
 * legend box hides a point of the current run: hit testing every point
 * of the box never finds one of its series. */
static void
test_bbvi_legend_8_runs (void)
{
  ViBbviSnapshot *snap = bbvi_snapshot (0.5), *old[8];
  ViViewRun runs[8];
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 900, 600);
  cairo_t *cr = cairo_create (surface);
  g_autofree char *labels = g_new0 (char, 8 * 16);
  ViViewContext ctx;
  double lx, ly, lw, lh;

  for (guint r = 0; r < 8; r++)
    {
      g_snprintf (labels + 16 * r, 16, "run %u", r + 1);
      old[r] = bbvi_snapshot (1.0 + r);
      runs[r] = (ViViewRun) { labels + 16 * r, old[r], r };
    }
  vi_view_context_init (&ctx);
  ctx.live = TRUE;
  ctx.history = runs;
  ctx.n_history = 8;
  vi_bbvi_elbo_view_build (fig, snap, &ctx);
  g_assert_cmpstr (vi_series_get_legend_group (find_series (panel, "run 3 · cv")), ==, "run 3");
  vi_figure_draw (fig, cr, 900, 600);
  g_assert_true (vi_panel_get_legend_box (panel, &lx, &ly, &lw, &lh));
  g_assert_cmpfloat (ly, >=, 0);
  g_assert_cmpfloat (ly + lh, <=, 600);
  for (double py = ly; py <= ly + lh; py += 1)
    for (double px = lx; px <= lx + lw; px += 1)
      {
        ViHit hit;

        if (vi_figure_hit_test (fig, px, py, 1.0, &hit))
          g_assert_true (strcmp (hit.name, "naive") != 0 && strcmp (hit.name, "cv") != 0);
      }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  vi_figure_free (fig);
  for (guint r = 0; r < 8; r++)
    vi_bbvi_snapshot_free (old[r]);
  vi_bbvi_snapshot_free (snap);
}

static void
test_bbvi_elbo (void)
{
  ViBbviSnapshot *snap = bbvi_snapshot (0.5), *old = bbvi_snapshot (2);
  ViViewRun run = { "samples=10", old, 3 };
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  ViViewContext ctx;
  ViSeries *s;
  double lo, hi;

  vi_view_context_init (&ctx);
  ctx.live = TRUE;
  vi_bbvi_elbo_view_build (fig, snap, &ctx);
  /* Per estimator the faint estimate and the exact line; two references. */
  g_assert_cmpuint (count_kind (panel, VI_SERIES_LINE), ==, 4);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_HLINE), ==, 2);
  s = find_series (panel, "naive");
  g_assert_nonnull (s);
  g_assert_cmpuint (vi_series_get_n_points (s), ==, N_ITER);
  g_assert_cmpuint (vi_series_get_color_index (s), ==, vi_bbvi_estimator_color (VI_BBVI_NAIVE));
  g_assert_cmpuint (vi_series_get_color_index (find_series (panel, "cv")), ==,
                    vi_bbvi_estimator_color (VI_BBVI_CV));
  g_assert_nonnull (find_series (panel, "log p(x)"));
  g_assert_nonnull (find_series (panel, "best ELBO in the family"));
  /* log p(x) is 44 nats above the family's best: off the top, with a note. */
  g_assert_cmpuint (count_kind (panel, VI_SERIES_TEXT), ==, 1);
  vi_panel_get_range (panel, VI_AXIS_X, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, N_ITER);

  /* Smoothing adds a smoothed estimate per estimator; a history run adds
   * one dashed line per estimator, labelled with the run and estimator. */
  ctx.smoothing = 0.5;
  ctx.history = &run;
  ctx.n_history = 1;
  vi_bbvi_elbo_view_build (fig, snap, &ctx);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_LINE), ==, 8);
  s = find_series (panel, "samples=10 · cv");
  g_assert_nonnull (s);
  g_assert_cmpuint (vi_series_get_color_index (s), ==, vi_bbvi_estimator_color (VI_BBVI_CV));

  /* Before a run (not live): only the starting points. */
  vi_view_context_init (&ctx);
  for (size_t k = 0; k < snap->n_traces; k++)
    snap->traces[k].len = 0;
  vi_bbvi_elbo_view_build (fig, snap, &ctx);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_LINE), ==, 0);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_SCATTER), ==, 2);
  for (size_t k = 0; k < snap->n_traces; k++)
    snap->traces[k].len = N_ITER;

  /* No snapshot: an empty, labelled panel. */
  vi_bbvi_elbo_view_build (fig, NULL, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 0);
  g_assert_nonnull (vi_panel_get_title (panel));
  vi_figure_free (fig);
  vi_bbvi_snapshot_free (snap);
  vi_bbvi_snapshot_free (old);
}

/* Column @name of @csv (its first @n rows, as numbers). */
static double *
csv_column (const char *csv,
            const char *name,
            size_t      n)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_auto(GStrv) head = g_strsplit (lines[0], ",", -1);
  double *out = g_new (double, n);
  int col = -1;

  for (int j = 0; head[j] != NULL; j++)
    if (strcmp (g_strstrip (head[j]), name) == 0)
      col = j;
  g_assert_cmpint (col, >=, 0);
  for (size_t i = 0; i < n; i++)
    {
      g_auto(GStrv) cells = NULL;

      g_assert_nonnull (lines[1 + i]);
      cells = g_strsplit (lines[1 + i], ",", -1);
      g_assert_cmpuint (g_strv_length (cells), >, (guint) col);
      out[i] = g_ascii_strtod (cells[col], NULL);
    }
  return out;
}

/* ELBO* − ELBO per iteration on a log axis; the band only on request. */
static void
test_bbvi_gap (void)
{
  ViBbviSnapshot *snap = bbvi_snapshot (0.5), *old = bbvi_snapshot (2);
  ViViewRun run = { "run 1", old, 3 };
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  g_autofree char *csv = NULL;
  g_autofree double *last = NULL;
  ViViewContext ctx;
  ViSeries *s;

  vi_view_context_init (&ctx);
  ctx.live = TRUE;
  vi_bbvi_gap_view_build (fig, snap, &ctx);
  csv = vi_figure_to_csv (fig);
  g_assert_cmpint (vi_panel_get_scale (panel, VI_AXIS_Y), ==, VI_SCALE_LOG10);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_LINE), ==, 2);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_BAND), ==, 0);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_TEXT), ==, 0);
  for (size_t k = 0; k < snap->n_traces; k++)
    {
      const ViBbviTrace *t = &snap->traces[k];

      g_autofree char *col = g_strdup_printf ("%s · ELBO* - ELBO (nats)",
                                              vi_bbvi_estimator_get_name (t->estimator));
      g_autofree double *y = csv_column (csv, col, N_ITER);

      s = find_series (panel, vi_bbvi_estimator_get_name (t->estimator));
      g_assert_nonnull (s);
      g_assert_cmpuint (vi_series_get_n_points (s), ==, N_ITER);
      for (size_t i = 0; i < N_ITER; i++)
        g_assert_cmpfloat_with_epsilon (y[i], snap->elbo_opt - t->elbo[i], 1e-12);
    }

  /* The band with the switch; an earlier run faint, in its legend group. */
  ctx.history = &run;
  ctx.n_history = 1;
  vi_bbvi_gap_band_view_build (fig, snap, &ctx);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_BAND), ==, 2);
  g_assert_cmpstr (vi_series_get_legend_group (find_series (panel, "run 1 · cv")), ==, "run 1");
  g_assert_cmpuint (count_kind (panel, VI_SERIES_LINE), ==, 4);

  /* A gap ≤ 0 is drawn at the floor, with a note. */
  snap->traces[0].elbo[N_ITER - 1] = snap->elbo_opt + 1e-14;
  vi_bbvi_gap_view_build (fig, snap, &ctx);
  g_free (csv);
  csv = vi_figure_to_csv (fig);
  {
    g_autofree char *col = g_strdup_printf ("%s · ELBO* - ELBO (nats)",
                                            vi_bbvi_estimator_get_name (snap->traces[0].estimator));

    last = csv_column (csv, col, N_ITER);
  }
  g_assert_cmpfloat_with_epsilon (last[N_ITER - 1], 1e-12, 1e-20);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_TEXT), ==, 1);

  vi_bbvi_gap_band_view_build (fig, NULL, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 0);
  g_assert_nonnull (vi_panel_get_title (panel));
  vi_figure_free (fig);
  vi_bbvi_snapshot_free (snap);
  vi_bbvi_snapshot_free (old);
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_gap_last_half (const ViBbviSnapshot *snap,
                      ViBbviEstimator       estimator)
{
  for (size_t k = 0; k < snap->n_traces; k++)
    if (snap->traces[k].estimator == estimator)
      {
        const ViBbviTrace *t = &snap->traces[k];
        size_t n = t->len - t->len / 2;
        g_autofree double *gap = g_new (double, n);
        double m;

        for (size_t i = 0; i < n; i++)
          gap[i] = snap->elbo_opt - t->elbo[t->len / 2 + i];
        qsort (gap, n, sizeof *gap, cmp_double);
        m = n % 2 ? gap[n / 2] : 0.5 * (gap[n / 2 - 1] + gap[n / 2]);
        return m;
      }
  g_assert_not_reached ();
}

/* A real short run: naive's gap stays an order of magnitude above cv-suff's. */
static void
test_bbvi_gap_separation (void)
{
  g_autoptr(GVariant) params = views_params ("{'synthetic-n': <int64 20>, 'seed': <int64 3>, "
                                             "'iterations': <int64 400>, "
                                             "'estimators': <'naive,cv,cv-suff'>}");
  ViBbviSnapshot *snap = views_run_job (&vi_bbvi_job_type, params);
  double naive = median_gap_last_half (snap, VI_BBVI_NAIVE);
  double cv = median_gap_last_half (snap, VI_BBVI_CV);
  double suff = median_gap_last_half (snap, VI_BBVI_CV_SUFF);

  g_test_message ("median gap, last half: naive %g, cv %g, cv-suff %g", naive, cv, suff);
  /* Seed 3, 400 steps: naive 1.3e-3, cv 9.6e-4, cv-suff 5.5e-5 nats (ratio 23). */
  g_assert_cmpfloat (naive, >, 10 * suff);
  vi_bbvi_snapshot_free (snap);
}

static void
test_bbvi_params_q (void)
{
  ViBbviSnapshot *snap = bbvi_snapshot (0.5);
  ViFigure *fig = vi_figure_create (vi_bbvi_params_view_rows (snap), 1);
  ViFigure *q = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  ViViewContext ctx;
  ViSeries *s;

  vi_view_context_init (&ctx);
  ctx.live = TRUE;
  vi_bbvi_params_view_build (fig, snap, &ctx);
  g_assert_cmpuint (vi_bbvi_params_view_rows (snap), ==, 1);
  g_assert_nonnull (find_series (panel, "naive"));
  g_assert_nonnull (find_series (panel, "cv"));
  s = find_series (panel, "optimum");
  g_assert_nonnull (s);
  g_assert_cmpint (vi_series_get_kind (s), ==, VI_SERIES_HLINE);

  /* q(λ): prior, one q per estimator and the posterior, whose density
   * integrates to about 1 over the drawn range. */
  vi_bbvi_q_view_build (q, snap, &ctx);
  panel = vi_figure_get_panel (q, 0, 0);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 4);
  g_assert_nonnull (find_series (panel, "prior"));
  g_assert_nonnull (find_series (panel, "q · naive"));
  g_assert_cmpuint (vi_series_get_color_index (find_series (panel, "q · cv")), ==,
                    vi_bbvi_estimator_color (VI_BBVI_CV));
  g_assert_nonnull (find_series (panel, "posterior"));
  {
    g_autofree char *csv = vi_figure_to_csv (q);
    g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);
    g_auto(GStrv) header = g_strsplit (lines[0], ",", -1);
    guint col = 0;
    double sum = 0, dx = 0, x0 = NAN;

    while (header[col] != NULL && strcmp (header[col], "posterior · density") != 0)
      col++;
    g_assert_nonnull (header[col]);
    for (guint r = 1; lines[r] != NULL && lines[r][0] != '\0'; r++)
      {
        g_auto(GStrv) f = g_strsplit (lines[r], ",", -1);
        double x = g_ascii_strtod (f[col - 1], NULL);

        if (isnan (x0))
          x0 = x;
        else if (dx == 0)
          dx = x - x0;
        sum += g_ascii_strtod (f[col], NULL);
      }
    g_assert_cmpfloat (fabs (sum * dx - 1), <, 1e-3);
  }
  /* Only the starting point: the runs coincide, one q is drawn. */
  ctx.live = FALSE;
  vi_bbvi_q_view_build (q, snap, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 3);
  vi_figure_free (fig);
  vi_figure_free (q);
  vi_bbvi_snapshot_free (snap);
}

static ViBbviSnapshot *
variance_snapshot (size_t n_points)
{
  ViBbviSnapshot *s = bbvi_snapshot (0);

  s->variance_mode = TRUE;
  s->n_points = s->n_points_planned = n_points;
  s->points = g_new0 (ViBbviVariancePoint, n_points);
  for (size_t i = 0; i < n_points; i++)
    {
      ViBbviVariancePoint *p = &s->points[i];

      p->theta = 0.256;
      p->samples = (size_t) pow (10, (double) i + 1);
      p->repeats = 1000;
      for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
        {
          double v = (e == VI_BBVI_CV_SUFF ? 1e-24 : 1000.0 / (e + 1)) / p->samples;

          p->est[e].defined = TRUE;
          p->est[e].variance = 1.1 * v;
          p->est[e].variance_exact = v;
        }
    }
  return s;
}

static void
test_bbvi_variance (void)
{
  ViBbviSnapshot *v = variance_snapshot (3), *one = variance_snapshot (1);
  ViFigure *fig = vi_figure_create (1, 1), *ratio = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  ViViewContext ctx;
  ViSeries *s;

  vi_view_context_init (&ctx);
  vi_bbvi_variance_view_build (fig, v, &ctx);
  /* One exact line and one measured scatter per estimator but cv-suff,
   * which gets a note instead; log axes. */
  g_assert_cmpuint (count_kind (panel, VI_SERIES_LINE), ==, 3);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_SCATTER), ==, 3);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_TEXT), ==, 1);
  g_assert_null (find_series (panel, "cv-suff"));
  s = find_series (panel, "reparam");
  g_assert_cmpuint (vi_series_get_n_points (s), ==, 3);
  g_assert_cmpuint (vi_series_get_color_index (s), ==,
                    vi_bbvi_estimator_color (VI_BBVI_REPARAM));
  g_assert_cmpint (vi_panel_get_scale (panel, VI_AXIS_X), ==, VI_SCALE_LOG10);
  g_assert_cmpint (vi_panel_get_scale (panel, VI_AXIS_Y), ==, VI_SCALE_LOG10);
  /* One point: measured and exact bars over the four estimators. */
  vi_bbvi_variance_view_build (fig, one, &ctx);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_BARS), ==, 2);
  g_assert_cmpuint (vi_series_get_n_points (find_series (panel, "exact")), ==, 4);
  /* Nothing measured yet. */
  vi_bbvi_variance_view_build (fig, NULL, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 0);

  /* The ratio bars at the point nearest S = 90 (S = 100): naive ÷ each. */
  ctx.samples = 90;
  g_assert_true (vi_bbvi_ratio_view_point (v, 90) == &v->points[1]);
  vi_bbvi_ratio_view_build (ratio, v, &ctx);
  panel = vi_figure_get_panel (ratio, 0, 0);
  g_assert_cmpuint (vi_series_get_n_points (find_series (panel, "measured")), ==, 3);
  g_assert_cmpuint (vi_series_get_n_points (find_series (panel, "exact")), ==, 3);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_TEXT), ==, 3);
  vi_figure_free (fig);
  vi_figure_free (ratio);
  vi_bbvi_snapshot_free (v);
  vi_bbvi_snapshot_free (one);
}

/* A two-parameter family: one panel per coordinate, titled by the
 * parameter, drawing that coordinate's figures; the ratio bars one row
 * per coordinate; a one-column figure shows the first coordinate. */
static void
test_bbvi_variance_coords (void)
{
  ViBbviSnapshot *v = variance_snapshot (3), *one = variance_snapshot (1);
  ViFigure *fig = vi_figure_create (1, 2), *ratio = vi_figure_create (2, 1);
  ViFigure *narrow = vi_figure_create (1, 1);
  ViViewContext ctx;
  double lo[2], hi[2];

  for (ViBbviSnapshot **sp = (ViBbviSnapshot *[]) { v, one, NULL }; *sp != NULL; sp++)
    {
      ViBbviSnapshot *s = *sp;

      s->family = vi_bbvi_family_lookup ("gamma");
      s->dim = 2;
      for (size_t i = 0; i < s->n_points; i++)
        for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
          {
            ViBbviVarianceStat *st = &s->points[i].est[e];

            s->points[i].dim = 2;
            st->coord[0].variance = st->variance;
            st->coord[0].variance_exact = st->variance_exact;
            /* The rate's variances are 1000 × the shape's. */
            st->coord[1].variance = 1000 * st->variance;
            st->coord[1].variance_exact = 1000 * st->variance_exact;
          }
    }
  g_assert_cmpuint (vi_bbvi_variance_view_cols (v), ==, 2);
  g_assert_cmpuint (vi_bbvi_variance_view_cols (NULL), ==, 1);
  vi_view_context_init (&ctx);
  ctx.samples = 90;
  vi_bbvi_variance_view_build (fig, v, &ctx);
  for (guint d = 0; d < 2; d++)
    {
      ViPanel *panel = vi_figure_get_panel (fig, 0, d);

      g_assert_nonnull (strstr (vi_panel_get_title (panel), d ? "rate" : "shape"));
      g_assert_cmpuint (vi_series_get_n_points (find_series (panel, "naive")), ==, 3);
      g_assert_null (find_series (panel, "cv-suff"));
      vi_panel_get_range (panel, VI_AXIS_Y, &lo[d], &hi[d]);
    }
  /* Each panel's axis follows its own coordinate's variances. */
  g_assert_cmpfloat (fabs (hi[1] / hi[0] / 1000 - 1), <, 1e-9);
  vi_bbvi_variance_view_build (fig, one, &ctx);
  for (guint d = 0; d < 2; d++)
    g_assert_cmpuint (count_kind (vi_figure_get_panel (fig, 0, d), VI_SERIES_BARS), ==, 2);
  vi_bbvi_ratio_view_build (ratio, v, &ctx);
  for (guint d = 0; d < 2; d++)
    {
      ViPanel *panel = vi_figure_get_panel (ratio, d, 0);

      g_assert_nonnull (strstr (vi_panel_get_title (panel), d ? "rate" : "shape"));
      g_assert_cmpuint (vi_series_get_n_points (find_series (panel, "exact")), ==, 3);
    }
  vi_bbvi_variance_view_build (narrow, v, &ctx);
  g_assert_nonnull (strstr (vi_panel_get_title (vi_figure_get_panel (narrow, 0, 0)), "shape"));
  vi_figure_free (fig);
  vi_figure_free (ratio);
  vi_figure_free (narrow);
  vi_bbvi_snapshot_free (v);
  vi_bbvi_snapshot_free (one);
}

/* One point's bars: the y axis spans whole decades over naive, cv and
 * reparam; cv-suff below 1e-15 × naive is left off it, as a note. */
static void
test_bbvi_variance_axis (void)
{
  ViBbviSnapshot *one = variance_snapshot (1);
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  const ViBbviVariancePoint *p = &one->points[0];
  ViViewContext ctx;
  double lo, hi;

  vi_view_context_init (&ctx);
  vi_bbvi_variance_view_build (fig, one, &ctx);
  vi_panel_get_range (panel, VI_AXIS_Y, &lo, &hi);
  g_assert_cmpfloat (p->est[VI_BBVI_CV_SUFF].variance, <, 1e-15 * p->est[VI_BBVI_NAIVE].variance);
  g_assert_cmpfloat (lo, >, p->est[VI_BBVI_CV_SUFF].variance);
  g_assert_cmpfloat (lo, >, 1e-15 * p->est[VI_BBVI_NAIVE].variance);
  for (int e = 0; e < VI_BBVI_N_PUBLIC_ESTIMATORS; e++)
    if (e != VI_BBVI_CV_SUFF)
      {
        g_assert_cmpfloat (lo, <, p->est[e].variance_exact);
        g_assert_cmpfloat (hi, >, p->est[e].variance);
      }
  g_assert_cmpfloat (log10 (lo), ==, round (log10 (lo)));
  g_assert_cmpfloat (log10 (hi), ==, round (log10 (hi)));
  g_assert_cmpuint (count_kind (panel, VI_SERIES_TEXT), ==, 1);
  /* A cv-suff variance that is not rounding error is a bar on the axis. */
  one->points[0].est[VI_BBVI_CV_SUFF].variance = 1e-3 * p->est[VI_BBVI_NAIVE].variance;
  one->points[0].est[VI_BBVI_CV_SUFF].variance_exact = p->est[VI_BBVI_CV_SUFF].variance;
  vi_bbvi_variance_view_build (fig, one, &ctx);
  vi_panel_get_range (panel, VI_AXIS_Y, &lo, &hi);
  g_assert_cmpfloat (lo, <, p->est[VI_BBVI_CV_SUFF].variance);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_TEXT), ==, 0);
  vi_figure_free (fig);
  vi_bbvi_snapshot_free (one);
}

/* Building is deterministic and sets everything it relies on: a figure
 * built before from other data (history, smoothing, presentation, another
 * snapshot) gives the same CSV and SVG as a fresh one. */
static void
test_bbvi_deterministic (void)
{
  ViBbviSnapshot *snap = bbvi_snapshot (0.5), *other = bbvi_snapshot (3);
  ViBbviSnapshot *var = variance_snapshot (4), *one = variance_snapshot (1);
  ViViewRun run = { "run 1", other, 0 };
  ViViewContext ctx, busy;
  g_autofree char *dir = g_dir_make_tmp ("test-views-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.svg", NULL);
  g_autofree char *b = g_build_filename (dir, "b.svg", NULL);
  struct
  {
    void (*build) (ViFigure *, const ViBbviSnapshot *, const ViViewContext *);
    const ViBbviSnapshot *snap, *before;
  } cases[] = {
    { vi_bbvi_elbo_view_build, snap, other },
    { vi_bbvi_q_view_build, snap, other },
    { vi_bbvi_params_view_build, snap, other },
    { vi_bbvi_gradvar_view_build, snap, other },
    { vi_bbvi_variance_view_build, var, one },
    { vi_bbvi_ratio_view_build, var, NULL },
  };

  vi_view_context_init (&ctx);
  ctx.live = TRUE;
  ctx.samples = 100;
  busy = ctx;
  busy.history = &run;
  busy.n_history = 1;
  busy.smoothing = 0.9;
  busy.line_scale = 1.6;
  busy.sweep_theta = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ViFigure *fresh = vi_figure_create (1, 1), *reused = vi_figure_create (1, 1);
      g_autofree char *c1 = build_csv (cases[i].build, fresh, cases[i].snap, &ctx);
      g_autofree char *c2 = NULL, *c3 = NULL, *s1 = NULL, *s2 = NULL;
      g_autoptr(GError) error = NULL;

      vi_panel_set_scale (vi_figure_get_panel (reused, 0, 0), VI_AXIS_X, VI_SCALE_LOG10);
      cases[i].build (reused, cases[i].before, &busy);
      c2 = build_csv (cases[i].build, reused, cases[i].snap, &ctx);
      c3 = build_csv (cases[i].build, reused, cases[i].snap, &ctx);
      g_assert_cmpstr (c1, ==, c2);
      g_assert_cmpstr (c2, ==, c3);
      g_assert_true (vi_view_export (fresh, a, 0, 0, &error));
      g_assert_true (vi_view_export (reused, b, 0, 0, &error));
      g_assert_no_error (error);
      s1 = views_read_svg (a);
      s2 = views_read_svg (b);
      g_assert_cmpstr (s1, ==, s2);
      vi_figure_free (fresh);
      vi_figure_free (reused);
    }
  g_unlink (a);
  g_unlink (b);
  g_rmdir (dir);
  vi_bbvi_snapshot_free (snap);
  vi_bbvi_snapshot_free (other);
  vi_bbvi_snapshot_free (var);
  vi_bbvi_snapshot_free (one);
}

/* The live gradient variance: one line per estimator in its colour on a
 * log axis, earlier runs faint and grouped; a variance at rounding level
 * (cv-suff) is left below the axis and noted, not allowed to flatten the
 * others. */
static void
test_bbvi_gradvar (void)
{
  ViBbviSnapshot *snap = bbvi_snapshot (0.5), *old = bbvi_snapshot (2);
  ViViewRun run = { "run 1", old, 3 };
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  g_autofree char *csv = NULL;
  g_autofree double *col = NULL;
  ViViewContext ctx;
  ViSeries *s;
  double lo, hi;

  vi_view_context_init (&ctx);
  /* Before a run: an empty, labelled panel. */
  vi_bbvi_gradvar_view_build (fig, snap, &ctx);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_LINE), ==, 0);
  g_assert_nonnull (vi_panel_get_title (panel));

  ctx.live = TRUE;
  vi_bbvi_gradvar_view_build (fig, snap, &ctx);
  g_assert_cmpint (vi_panel_get_scale (panel, VI_AXIS_Y), ==, VI_SCALE_LOG10);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_LINE), ==, 2);
  s = find_series (panel, "naive");
  g_assert_nonnull (s);
  g_assert_cmpuint (vi_series_get_color_index (s), ==, vi_bbvi_estimator_color (VI_BBVI_NAIVE));
  g_assert_cmpuint (vi_series_get_color_index (find_series (panel, "cv")), ==,
                    vi_bbvi_estimator_color (VI_BBVI_CV));
  csv = vi_figure_to_csv (fig);
  col = csv_column (csv, "cv · gradient variance", N_ITER);
  for (size_t i = 0; i < N_ITER; i++)
    g_assert_cmpfloat (col[i], ==, snap->traces[1].grad_var[i]);
  g_assert_cmpint (vi_series_get_fit (s, VI_AXIS_Y), ==, VI_FIT_INSIDE);

  /* An earlier run: faded, dashed, in its run's legend group. */
  ctx.history = &run;
  ctx.n_history = 1;
  vi_bbvi_gradvar_view_build (fig, snap, &ctx);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_LINE), ==, 4);
  s = find_series (panel, "run 1 · naive");
  g_assert_nonnull (s);
  g_assert_cmpstr (vi_series_get_legend_group (s), ==, "run 1");

  /* cv at rounding level: below the axis, with a note; naive still fills it. */
  for (size_t i = 0; i < N_ITER; i++)
    snap->traces[1].grad_var[i] = 1e-25 * (1 + i);
  ctx.n_history = 0;
  vi_bbvi_gradvar_view_build (fig, snap, &ctx);
  g_assert_cmpint (vi_series_get_fit (find_series (panel, "cv"), VI_AXIS_Y), ==, VI_FIT_BELOW);
  g_assert_cmpint (vi_series_get_fit (find_series (panel, "naive"), VI_AXIS_Y), ==,
                   VI_FIT_INSIDE);
  vi_panel_get_range (panel, VI_AXIS_Y, &lo, &hi);
  g_assert_cmpfloat (lo, >, 1);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_TEXT), ==, 1);
  vi_figure_free (fig);
  vi_bbvi_snapshot_free (snap);
  vi_bbvi_snapshot_free (old);
}

/* Traces of @len points: naive's variance about 100, cv's @cv_low at
 * every point but every third, where it is 50. */
static void
long_gradvar (ViBbviSnapshot *s,
              size_t          len,
              double          cv_low)
{
  for (size_t k = 0; k < s->n_traces; k++)
    {
      ViBbviTrace *t = &s->traces[k];

      g_free (t->iteration);
      g_free (t->grad_var);
      t->len = len;
      t->iteration = g_new (double, len);
      t->grad_var = g_new (double, len);
      for (size_t i = 0; i < len; i++)
        {
          t->iteration[i] = (double) i + 1;
          t->grad_var[i] = k == 0 ? 100.0 * (1 + 0.1 * (i % 7)) : i % 3 == 0 ? 50.0 : cv_low;
        }
    }
  s->iteration = s->iterations = len;
}

/* Long traces: the typical variance that decides what is left below the
 * axis is still their median (of a bounded sample), whatever the length. */
static void
test_bbvi_gradvar_long (void)
{
  ViBbviSnapshot *snap = bbvi_snapshot (0.5);
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  const size_t lens[] = { 4000, 100001, 1u << 20 };
  ViViewContext ctx;

  vi_view_context_init (&ctx);
  ctx.live = TRUE;
  for (guint j = 0; j < G_N_ELEMENTS (lens); j++)
    {
      /* Two thirds at rounding level: the median is, so cv is below… */
      long_gradvar (snap, lens[j], 1e-25);
      vi_bbvi_gradvar_view_build (fig, snap, &ctx);
      g_assert_cmpuint (count_kind (panel, VI_SERIES_TEXT), ==, 1);
      /* … two thirds at 20: the median is 20, so nothing is. */
      long_gradvar (snap, lens[j], 20);
      vi_bbvi_gradvar_view_build (fig, snap, &ctx);
      g_assert_cmpint (vi_series_get_fit (find_series (panel, "cv"), VI_AXIS_Y), ==,
                       VI_FIT_INSIDE);
      g_assert_cmpuint (count_kind (panel, VI_SERIES_TEXT), ==, 0);
    }
  vi_figure_free (fig);
  vi_bbvi_snapshot_free (snap);
}

/* ---- explanations -------------------------------------------------------- */

static char *
fmt (const char *format,
     double      value)
{
  return g_strdup_printf (format, value);
}

static void G_GNUC_PRINTF (2, 3)
assert_contains (const char *text,
                 const char *format,
                 ...)
{
  g_autofree char *part = NULL;
  va_list args;

  va_start (args, format);
  part = g_strdup_vprintf (format, args);
  va_end (args);
  if (strstr (text, part) == NULL)
    g_error ("“%s” not in “%s”", part, text);
}

static void
assert_lacks (const char *text,
              const char *part)
{
  if (strstr (text, part) != NULL)
    g_error ("“%s” unexpectedly in “%s”", part, text);
}

/* The bbvi texts name the lines on the figure and give the snapshot's
 * numbers; an estimator switched off (its line hidden, or not in the
 * run) is not named; an off-scale series is said to be off-scale. */
static void
test_bbvi_explain (void)
{
  ViBbviSnapshot *snap = bbvi_snapshot (0.5), *old = bbvi_snapshot (2);
  ViViewRun run = { "run 1", old, 3 };
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  ViViewContext ctx;
  char *text;
  g_autofree char *gap0 = fmt ("%.3g", snap->elbo_opt - snap->traces[0].current_elbo);
  g_autofree char *gap1 = fmt ("%.3g", snap->elbo_opt - snap->traces[1].current_elbo);
  g_autofree char *elbo1 = fmt ("%.6g", snap->traces[1].current_elbo);
  g_autofree char *logz = fmt ("%.6g", snap->log_evidence);
  g_autofree char *theta = fmt ("%.4g", snap->traces[0].current[0]);
  g_autofree char *opt = fmt ("%.4g", snap->params_opt[0]);

  vi_view_context_init (&ctx);
  ctx.live = TRUE;
  ctx.history = &run;
  ctx.n_history = 1;

  /* Gap: both estimators named with their current gaps; one earlier run. */
  vi_bbvi_gap_view_build (fig, snap, &ctx);
  text = vi_bbvi_gap_view_explain (fig, snap, &ctx);
  g_test_message ("gap: %s", text);
  assert_contains (text, "On the plot: naive, cv.");
  assert_contains (text, "Faded: 1 earlier run.");
  assert_contains (text, "naive %s, cv %s.", gap0, gap1);
  assert_lacks (text, "Shaded");
  g_free (text);
  /* Toggling naive off (its legend entry): gone from the text. */
  vi_series_set_visible (find_series (panel, "naive"), FALSE);
  text = vi_bbvi_gap_view_explain (fig, snap, &ctx);
  assert_lacks (text, "naive");
  assert_contains (text, "On the plot: cv.");
  g_free (text);
  /* The band is mentioned only when drawn. */
  vi_bbvi_gap_band_view_build (fig, snap, &ctx);
  text = vi_bbvi_gap_view_explain (fig, snap, &ctx);
  assert_contains (text, "Shaded");
  g_free (text);

  /* ELBO: log p(x) is off the top (44 nats above the family's best). */
  vi_bbvi_elbo_view_build (fig, snap, &ctx);
  text = vi_bbvi_elbo_view_explain (fig, snap, &ctx);
  g_test_message ("elbo: %s", text);
  assert_contains (text, "Off-scale, above the top: log p(x).");
  assert_contains (text, "%s", logz);
  assert_contains (text, "%s", elbo1);
  assert_contains (text, "On the plot: naive, cv, log p(x), best ELBO in the family.");
  g_free (text);

  /* Params: θ of each run and the optimum. */
  vi_bbvi_params_view_build (fig, snap, &ctx);
  text = vi_bbvi_params_view_explain (fig, snap, &ctx);
  g_test_message ("params: %s", text);
  assert_contains (text, "theta (optimum %s) now: naive %s", opt, theta);
  assert_contains (text, "exponential family");
  g_free (text);

  /* q: the posterior's numbers and the family's limitation. */
  vi_bbvi_q_view_build (fig, snap, &ctx);
  text = vi_bbvi_q_view_explain (fig, snap, &ctx);
  g_test_message ("q: %s", text);
  assert_contains (text, "Gamma(82, 21)");
  assert_contains (text, "q · naive");
  assert_contains (text, "Exponential q");
  g_free (text);

  /* Gradient variance: the recent means and the ratio naive ÷ cv. */
  vi_bbvi_gradvar_view_build (fig, snap, &ctx);
  text = vi_bbvi_gradvar_view_explain (fig, snap, &ctx);
  g_test_message ("gradvar: %s", text);
  {
    double mn = 0, mc = 0;

    for (size_t i = 0; i < N_ITER; i++)
      {
        mn += snap->traces[0].grad_var[i] / N_ITER;
        mc += snap->traces[1].grad_var[i] / N_ITER;
      }
    assert_contains (text, "naive %.3g, cv %.3g.", mn, mc);
    assert_contains (text, "naive ÷ estimator: cv %.3g×", mn / mc);
  }
  assert_lacks (text, "Off-scale");
  g_free (text);
  /* cv-level rounding: cv off-scale, said so. */
  for (size_t i = 0; i < N_ITER; i++)
    snap->traces[1].grad_var[i] = 1e-25;
  vi_bbvi_gradvar_view_build (fig, snap, &ctx);
  text = vi_bbvi_gradvar_view_explain (fig, snap, &ctx);
  assert_contains (text, "Off-scale, below the axis: cv.");
  g_free (text);

  /* A run of cv alone: naive is named nowhere. */
  snap->n_traces = 1;
  snap->traces[0].estimator = VI_BBVI_CV;
  vi_bbvi_gap_view_build (fig, snap, &ctx);
  text = vi_bbvi_gap_view_explain (fig, snap, &ctx);
  assert_lacks (text, "naive");
  g_free (text);
  snap->n_traces = 2;
  snap->traces[0].estimator = VI_BBVI_NAIVE;
  vi_figure_free (fig);
  vi_bbvi_snapshot_free (snap);
  vi_bbvi_snapshot_free (old);
}

/* ---- expfam -------------------------------------------------------------- */

static ViExpfamSnapshot *
expfam_preview (const char *family,
                double      a,
                double      b)
{
  double theta[2] = { a, b };
  ViExpfamSnapshot *snap = vi_expfam_view_preview (vi_expfam_lookup (family), theta, 1000);

  g_assert_nonnull (snap);
  g_assert_cmpuint (snap->n_drawn, ==, 0);
  g_assert_cmpuint (snap->trace_len, ==, 0);
  return snap;
}

static void
test_expfam_density (void)
{
  ViExpfamSnapshot *snap = expfam_preview ("gamma", 2.5, 1.5);
  ViExpfamSnapshot *old = expfam_preview ("gamma", 4, 1.5);
  ViViewRun run = { "shape=4", old, 1 };
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  ViViewContext ctx;
  ViSeries *s;
  double lo, hi, plo, phi;

  vi_view_context_init (&ctx);
  /* Before any draw: the density alone, over the job's plot range. */
  vi_expfam_density_view_build (fig, snap, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 1);
  s = find_series (panel, "p(x | θ)");
  g_assert_nonnull (s);
  g_assert_cmpuint (vi_series_get_n_points (s), ==, 400);
  vi_panel_get_range (panel, VI_AXIS_X, &lo, &hi);
  vi_expfam_job_plot_range (snap->fam, snap->theta, &plo, &phi);
  g_assert_cmpfloat (lo, ==, plo);
  g_assert_cmpfloat (hi, ==, phi);

  /* The job's bins as a density histogram; an earlier run faded. */
  snap->n_bins = 4;
  snap->lo = 0;
  snap->hi = 4;
  snap->n_drawn = 10;
  snap->counts[0] = 2;
  snap->counts[1] = 5;
  snap->counts[2] = 3;
  snap->counts[3] = 0;
  ctx.history = &run;
  ctx.n_history = 1;
  vi_expfam_density_view_build (fig, snap, &ctx);
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 3);
  s = find_series (panel, "histogram of 10 draws");
  g_assert_nonnull (s);
  g_assert_cmpuint (vi_series_get_n_points (s), ==, 4);
  s = find_series (panel, "shape=4");
  g_assert_nonnull (s);
  g_assert_cmpuint (vi_series_get_color_index (s), ==, vi_view_history_color (1));
  /* The histogram integrates to 1: (2 + 5 + 3) / 10 · width 1 / width. */
  {
    g_autofree char *csv = vi_figure_to_csv (fig);

    g_assert_nonnull (strstr (csv, "histogram of 10 draws · density"));
    g_assert_nonnull (strstr (csv, ",0,1,0.20000000000000001,"));
  }

  /* A discrete family draws points. */
  vi_expfam_snapshot_free (snap);
  snap = expfam_preview ("poisson", 4, 0);
  ctx.n_history = 0;
  vi_expfam_density_view_build (fig, snap, &ctx);
  s = find_series (panel, "p(x | θ)");
  g_assert_cmpint (vi_series_get_kind (s), ==, VI_SERIES_SCATTER);
  vi_figure_free (fig);
  vi_expfam_snapshot_free (snap);
  vi_expfam_snapshot_free (old);
}

static void
test_expfam_logpartition_fisher (void)
{
  ViExpfamSnapshot *snap = expfam_preview ("gamma", 2.5, 1.5);
  double *saved_n, *saved_fisher;
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  double trace_n[2] = { 10, 1000 };
  double trace_fisher[8];
  ViViewContext ctx;
  ViSeries *s;

  vi_view_context_init (&ctx);
  ctx.coordinate = 1;
  vi_expfam_logpartition_view_build (fig, snap, &ctx);
  /* a(η) along η₂ with its tangent of slope E[t₂] = 2.5/1.5, and a dot. */
  g_assert_cmpuint (vi_panel_get_n_series (panel), ==, 3);
  g_assert_nonnull (find_series (panel, "a(η)"));
  g_assert_nonnull (find_series (panel, "tangent: slope E[t₂] = 1.667"));
  g_assert_nonnull (find_series (panel, "current η"));

  /* Fisher: the closed forms as reference lines (one for both scaled
   * diagonals), then one Monte-Carlo line per entry. */
  vi_expfam_fisher_view_build (fig, snap, &ctx);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_HLINE), ==, 2);
  g_assert_nonnull (find_series (panel, "I₁₁, I₂₂ closed form"));
  g_assert_nonnull (find_series (panel, "I₁₂ closed form"));
  g_assert_cmpuint (count_kind (panel, VI_SERIES_LINE), ==, 0);
  g_assert_cmpint (vi_panel_get_scale (panel, VI_AXIS_X), ==, VI_SCALE_LOG10);
  for (guint i = 0; i < 8; i++)
    trace_fisher[i] = snap->fisher_eta[i % 4];
  saved_n = snap->trace_n;
  saved_fisher = snap->trace_fisher;
  snap->trace_len = 2;
  snap->trace_n = trace_n;
  snap->trace_fisher = trace_fisher;
  vi_expfam_fisher_view_build (fig, snap, &ctx);
  g_assert_cmpuint (count_kind (panel, VI_SERIES_LINE), ==, 3);
  s = find_series (panel, "I₁₂ Monte Carlo");
  g_assert_nonnull (s);
  g_assert_cmpuint (vi_series_get_n_points (s), ==, 2);
  snap->trace_len = 0;
  snap->trace_n = saved_n;
  snap->trace_fisher = saved_fisher;
  vi_expfam_snapshot_free (snap);
  vi_figure_free (fig);
}

/* ---- the CLI draws the views' figures ------------------------------------ */

/* The figures' exported data: columns named "<series> · <axis>" in the
 * untranslated data names; a capped bar exports its true height. */
static char *
csv_header (ViFigure *fig)
{
  g_autofree char *csv = vi_figure_to_csv (fig);

  return g_strndup (csv, strcspn (csv, "\r\n"));
}

/* The expfam texts: family and θ, the draws, the current Monte-Carlo
 * Fisher entries; a clipped series is named. */
static void
test_expfam_explain (void)
{
  ViExpfamSnapshot *snap = NULL;
  ViFigure *fig = vi_figure_create (1, 1);
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  ViViewContext ctx;
  char *text;
  double trace_n[2] = { 10, 1000 }, trace_fisher[8];
  double *saved_n, *saved_fisher;

  snap = expfam_preview ("gamma", 2.5, 1.5);
  vi_view_context_init (&ctx);
  vi_expfam_density_view_build (fig, snap, &ctx);
  text = vi_expfam_density_view_explain (fig, snap, &ctx);
  g_test_message ("density: %s", text);
  assert_contains (text, "gamma family at shape = 2.5, rate = 1.5");
  assert_contains (text, "No draws yet.");
  assert_contains (text, "On the plot: p(x | θ).");
  assert_lacks (text, "histogram");
  g_free (text);
  /* A fixed range that cuts the curve's peak: clipped. */
  vi_panel_set_range (panel, VI_AXIS_Y, 0, 0.1);
  text = vi_expfam_density_view_explain (fig, snap, &ctx);
  assert_contains (text, "Partly off-scale (clipped): p(x | θ).");
  g_free (text);

  ctx.coordinate = 1;
  vi_expfam_logpartition_view_build (fig, snap, &ctx);
  text = vi_expfam_logpartition_view_explain (fig, snap, &ctx);
  g_test_message ("lp: %s", text);
  assert_contains (text, "E[t₂] = %.4g", snap->mean_t[1]);
  assert_contains (text, "η₂ = %.4g", snap->eta[1]);
  g_free (text);

  /* Fisher with a two-step trace. */
  for (guint i = 0; i < 8; i++)
    trace_fisher[i] = snap->fisher_eta[i % 4] * (i < 4 ? 1.3 : 1.01);
  saved_n = snap->trace_n;
  saved_fisher = snap->trace_fisher;
  snap->trace_len = 2;
  snap->trace_n = trace_n;
  snap->trace_fisher = trace_fisher;
  snap->n_drawn = 1000;
  for (guint i = 0; i < 4; i++)
    snap->mc_fisher_eta[i] = trace_fisher[4 + i];
  vi_expfam_fisher_view_build (fig, snap, &ctx);
  text = vi_expfam_fisher_view_explain (fig, snap, &ctx);
  g_test_message ("fisher: %s", text);
  assert_contains (text, "the 1000 draws");
  assert_contains (text, "I₁₁ %.4g", 1.01);
  assert_contains (text, "I₁₂ Monte Carlo");
  vi_series_set_visible (find_series (panel, "I₁₂ Monte Carlo"), FALSE);
  g_free (text);
  text = vi_expfam_fisher_view_explain (fig, snap, &ctx);
  assert_lacks (text, "I₁₂ Monte Carlo");
  g_free (text);
  snap->trace_len = 0;
  snap->trace_n = saved_n;
  snap->trace_fisher = saved_fisher;
  vi_figure_free (fig);
  vi_expfam_snapshot_free (snap);
}

static void
test_csv_names (void)
{
  ViBbviSnapshot *snap = bbvi_snapshot (0.5), *v = variance_snapshot (3);
  ViExpfamSnapshot *ex = expfam_preview ("gamma", 2.5, 1.5);
  ViFigure *fig = vi_figure_create (1, 1);
  ViViewContext ctx;
  g_autofree char *elbo = NULL, *variance = NULL, *ratio = NULL, *lp = NULL, *ratio_csv = NULL;

  vi_view_context_init (&ctx);
  ctx.live = TRUE;
  ctx.smoothing = 0.5;
  vi_bbvi_elbo_view_build (fig, snap, &ctx);
  elbo = csv_header (fig);
  g_test_message ("%s", elbo);
  g_assert_true (g_str_has_prefix (elbo, "naive estimate · iteration,"
                                         "naive estimate · ELBO (nats),"
                                         "naive smoothed estimate · iteration,"));
  g_assert_nonnull (strstr (elbo, ",naive · iteration,naive · ELBO (nats),"));
  g_assert_nonnull (strstr (elbo, ",log p(x) · ELBO (nats),"));
  g_assert_nonnull (strstr (elbo, ",best ELBO in the family · ELBO (nats)"));

  ctx.smoothing = 0;
  vi_bbvi_variance_view_build (fig, v, &ctx);
  variance = csv_header (fig);
  g_test_message ("%s", variance);
  g_assert_true (g_str_has_prefix (variance, "naive · samples S,"
                                             "naive · variance of the dELBO/dθ estimate,"
                                             "naive measured · samples S,"));

  ctx.samples = 100;
  vi_bbvi_ratio_view_build (fig, v, &ctx);
  ratio = csv_header (fig);
  g_test_message ("%s", ratio);
  g_assert_true (g_str_has_prefix (ratio, "measured · estimator,"
                                          "measured · naive variance ÷ variance,"
                                          "exact · estimator,"));

  vi_expfam_logpartition_view_build (fig, ex, &ctx);
  lp = csv_header (fig);
  g_test_message ("%s", lp);
  g_assert_nonnull (strstr (lp, "tangent: slope E[t₁] · η₁,"));
  g_assert_nonnull (strstr (lp, "current η · η₁,current η · a(η)"));
  for (const char *const *h = (const char *const[]) { elbo, variance, ratio, lp, NULL }; *h; h++)
    g_assert_null (strstr (*h, "series"));
  vi_figure_free (fig);
  vi_bbvi_snapshot_free (snap);
  vi_bbvi_snapshot_free (v);
  vi_expfam_snapshot_free (ex);
}

static void
test_cli_expfam_plot (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-views-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "cli.csv", NULL);
  g_autofree char *svg = g_build_filename (dir, "cli.svg", NULL);
  g_autofree char *own_svg = g_build_filename (dir, "own.svg", NULL);
  const char *a1[] = { "expfam", "--family", "gamma", "--param", "shape=2.5", "--param",
                       "rate=1.5", "--samples", "3000", "--seed", "7", "--plot", csv, NULL };
  const char *a2[] = { "expfam", "--family", "gamma", "--param", "shape=2.5", "--param",
                       "rate=1.5", "--samples", "3000", "--seed", "7", "--plot", svg, NULL };
  g_autoptr(GVariant) params = views_params ("{'family': <'gamma'>, 'shape': <2.5>, "
                                             "'rate': <1.5>, 'n': <int64 3000>, "
                                             "'batch': <int64 30>, 'seed': <int64 7>}");
  g_autoptr(GError) error = NULL;
  ViExpfamSnapshot *snap;
  ViFigure *fig = vi_figure_create (1, 1);
  ViViewContext ctx;
  g_autofree char *cli_csv = NULL, *own_csv = NULL, *cli_text = NULL, *own_text = NULL;

  if (g_getenv ("ELBO_LAB_CLI") == NULL)
    {
      g_test_skip ("ELBO_LAB_CLI not set");
      return;
    }
  g_assert_cmpint (views_run_cli (a1), ==, 0);
  g_assert_cmpint (views_run_cli (a2), ==, 0);
  /* The same figure from the job the app runs, built here. */
  snap = views_run_job (&vi_expfam_job_type, params);
  vi_view_context_init (&ctx);
  vi_expfam_draws_view_build (fig, snap, &ctx);
  own_csv = vi_figure_to_csv (fig);
  cli_csv = views_read (csv);
  g_assert_cmpstr (cli_csv, ==, own_csv);
  g_assert_true (vi_view_export (fig, own_svg, 480, 320, &error));
  g_assert_no_error (error);
  cli_text = views_read_svg (svg);
  own_text = views_read_svg (own_svg);
  g_assert_cmpstr (cli_text, ==, own_text);
  /* The job's bins and range, not a range of its own. */
  g_assert_true (g_str_has_prefix (cli_csv, "3000 draws · x from"));
  vi_figure_free (fig);
  vi_expfam_snapshot_free (snap);
  g_unlink (csv);
  g_unlink (svg);
  g_unlink (own_svg);
  g_rmdir (dir);
}

static void
test_cli_bbvi_plot (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-views-XXXXXX", NULL);
  g_autofree char *cli_svg = g_build_filename (dir, "cli.svg", NULL);
  g_autofree char *own_svg = g_build_filename (dir, "own.svg", NULL);
  const char *variance[] = { "bbvi", "--synthetic", "20", "--seed", "3", "--variance",
                             "--sweep-samples", "2,10,100", "--repeats", "50", "--plot",
                             cli_svg, NULL };
  const char *optimize[] = { "bbvi", "--synthetic", "20", "--seed", "3", "--family", "gamma",
                             "--iterations", "40", "--plot", cli_svg, NULL };
  struct
  {
    const char *const *args;
    const char *params;
  } cases[] = {
    { variance, "{'synthetic-n': <int64 20>, 'seed': <int64 3>, 'mode': <'variance'>, "
                "'sweep-samples': <[int64 2, 10, 100]>, 'repeats': <int64 50>}" },
    { optimize, "{'synthetic-n': <int64 20>, 'seed': <int64 3>, 'family': <'gamma'>, "
                "'iterations': <int64 40>}" },
  };

  if (g_getenv ("ELBO_LAB_CLI") == NULL)
    {
      g_test_skip ("ELBO_LAB_CLI not set");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GVariant) params = views_params (cases[i].params);
      g_autoptr(GError) error = NULL;
      ViBbviSnapshot *snap = views_run_job (&vi_bbvi_job_type, params);
      g_autofree char *a = NULL, *b = NULL;
      ViViewContext ctx;
      ViFigure *fig;
      gboolean ok;

      g_assert_cmpint (views_run_cli (cases[i].args), ==, 0);
      vi_view_context_init (&ctx);
      ctx.live = TRUE;
      if (snap->variance_mode)
        {
          fig = vi_figure_create (1, 1);
          vi_bbvi_variance_view_build (fig, snap, &ctx);
          ok = vi_view_export (fig, own_svg, 0, 0, &error);
        }
      else
        {
          guint cols = vi_bbvi_overview_view_cols (snap);

          g_assert_cmpuint (cols, ==, 5);
          fig = vi_figure_create (1, cols);
          vi_bbvi_overview_view_build (fig, snap, &ctx);
          ok = vi_view_export (fig, own_svg, 400.0 * cols, 400, &error);
        }
      g_assert_no_error (error);
      g_assert_true (ok);
      a = views_read_svg (cli_svg);
      b = views_read_svg (own_svg);
      g_assert_cmpstr (a, ==, b);
      vi_figure_free (fig);
      vi_bbvi_snapshot_free (snap);
    }
  g_unlink (cli_svg);
  g_unlink (own_svg);
  g_rmdir (dir);
}

/* ---- the view helpers ---------------------------------------------------- */

static void
test_view_begin (void)
{
  ViFigure *fig = vi_figure_create (2, 2);
  ViViewContext ctx;

  vi_view_context_init (&ctx);
  ctx.theme = VI_THEME_DARK;
  g_assert_cmpint (vi_figure_get_theme (fig), !=, VI_THEME_DARK);
  g_assert_true (vi_view_begin (fig, &ctx) == vi_figure_get_panel (fig, 0, 0));
  g_assert_cmpint (vi_figure_get_theme (fig), ==, VI_THEME_DARK);
  ctx.theme = VI_THEME_PRINT;
  g_assert_true (vi_view_begin (fig, &ctx) == vi_figure_get_panel (fig, 0, 0));
  g_assert_cmpint (vi_figure_get_theme (fig), ==, VI_THEME_PRINT);
  vi_figure_free (fig);
}

/* vi_view_style() is the setters it stands for: the same SVG as a series
 * styled by hand (alpha only below 1, dash only when not solid, the width
 * times the line scale), for solid/opaque and dashed/translucent lines. */
static void
test_view_style (void)
{
  static const double x[] = { 0, 1, 2, 3 }, y[] = { 1, 3, 2, 4 };
  g_autofree char *dir = g_dir_make_tmp ("test-views-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.svg", NULL);
  g_autofree char *b = g_build_filename (dir, "b.svg", NULL);
  ViFigure *styled = vi_figure_create (1, 1), *by_hand = vi_figure_create (1, 1);
  ViPanel *p = vi_figure_get_panel (styled, 0, 0), *q = vi_figure_get_panel (by_hand, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *s1 = NULL, *s2 = NULL;
  ViViewContext ctx;
  ViSeries *s, *t;

  vi_view_context_init (&ctx);
  ctx.line_scale = 1.5;
  s = vi_panel_add_line (p, "solid", x, y, 4);
  vi_view_style (s, &ctx, 3, 1, VI_DASH_SOLID, 2);
  g_assert_cmpuint (vi_series_get_color_index (s), ==, 3);
  t = vi_panel_add_line (q, "solid", x, y, 4);
  vi_series_set_color_index (t, 3);
  vi_series_set_line_width (t, 3);
  s = vi_panel_add_line (p, "dashed", x, y, 4);
  vi_view_style (s, &ctx, 5, 0.4, VI_DASH_DASHED, 1.2);
  g_assert_cmpfloat_with_epsilon (vi_series_get_color (s, VI_THEME_LIGHT).a, 0.4, 1e-12);
  t = vi_panel_add_line (q, "dashed", x, y, 4);
  vi_series_set_color_index (t, 5);
  vi_series_set_alpha (t, 0.4);
  vi_series_set_dash (t, VI_DASH_DASHED);
  vi_series_set_line_width (t, 1.2 * 1.5);
  g_assert_true (vi_view_export (styled, a, 0, 0, &error));
  g_assert_true (vi_view_export (by_hand, b, 0, 0, &error));
  g_assert_no_error (error);
  s1 = views_read_svg (a);
  s2 = views_read_svg (b);
  g_assert_cmpstr (s1, ==, s2);
  vi_figure_free (styled);
  vi_figure_free (by_hand);
  g_unlink (a);
  g_unlink (b);
  g_rmdir (dir);
}

/* Earlier runs: 8 consecutive history slots (any start) have 8 distinct
 * (colour, dash) pairs, never the live run's solid line, and two of them
 * with the same dash differ in greyscale (relative luminance). */
static double
luminance (ViColor c)
{
  double ch[3] = { c.r, c.g, c.b };

  for (guint i = 0; i < 3; i++)
    ch[i] = ch[i] <= 0.04045 ? ch[i] / 12.92 : pow ((ch[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

static void
test_view_history_palette (void)
{
  for (guint start = 0; start < 40; start++)
    for (guint a = start; a < start + 8; a++)
      {
        guint ca = vi_view_history_color (a);
        ViDash da = vi_view_history_dash (a);

        g_assert_cmpint (da, !=, VI_DASH_SOLID);
        for (guint b = a + 1; b < start + 8; b++)
          {
            guint cb = vi_view_history_color (b);
            ViDash db = vi_view_history_dash (b);

            g_assert_true (ca != cb || da != db);
            if (da == db)
              {
                double la = luminance (vi_palette_get (VI_THEME_LIGHT, ca));
                double lb = luminance (vi_palette_get (VI_THEME_LIGHT, cb));

                g_assert_cmpfloat (fabs (la - lb), >=, 0.05);
              }
          }
      }
  /* Away from the expfam live colours (0 histogram, 5 curve, 7 reference). */
  for (guint k = 0; k < 5; k++)
    {
      guint c = vi_view_history_color (k);

      g_assert_true (c != 0 && c != 5 && c != 7);
    }
}

/* A view draws its numbers with the locale's decimal mark — the CLI's
 * --plot in the same locale alike — and keeps '.' in its data. */
static void
test_view_decimal_mark (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-views-XXXXXX", NULL);
  g_autofree char *cli_svg = g_build_filename (dir, "cli.svg", NULL);
  g_autofree char *dot_svg = g_build_filename (dir, "dot.svg", NULL);
  g_autofree char *comma_svg = g_build_filename (dir, "comma.svg", NULL);
  const char *args[] = { "expfam", "--family", "gamma", "--param", "shape=2.5", "--param",
                         "rate=1.5", "--samples", "3000", "--seed", "7", "--plot", cli_svg,
                         NULL };
  g_autoptr(GVariant) params = views_params ("{'family': <'gamma'>, 'shape': <2.5>, "
                                             "'rate': <1.5>, 'n': <int64 3000>, "
                                             "'batch': <int64 30>, 'seed': <int64 7>}");
  g_autoptr(GError) error = NULL;
  g_autofree char *dot_csv = NULL, *comma_csv = NULL;
  g_autofree char *dot = NULL, *comma = NULL, *cli = NULL;
  ViFigure *fig = vi_figure_create (1, 1);
  ViExpfamSnapshot *snap;
  ViViewContext ctx;

  if (setlocale (LC_NUMERIC, "sv_SE.UTF-8") == NULL)
    {
      g_test_skip ("the sv_SE.UTF-8 locale is not installed");
      return;
    }
  setlocale (LC_NUMERIC, "C");
  snap = views_run_job (&vi_expfam_job_type, params);
  vi_view_context_init (&ctx);
  g_assert_cmpstr (ctx.decimal_mark, ==, ".");
  vi_expfam_draws_view_build (fig, snap, &ctx);
  dot_csv = vi_figure_to_csv (fig);
  g_assert_true (vi_view_export (fig, dot_svg, 480, 320, &error));

  setlocale (LC_NUMERIC, "sv_SE.UTF-8");
  vi_view_context_init (&ctx);
  g_assert_cmpstr (ctx.decimal_mark, ==, ",");
  vi_expfam_draws_view_build (fig, snap, &ctx);
  g_assert_cmpstr (vi_figure_get_decimal_mark (fig), ==, ",");
  comma_csv = vi_figure_to_csv (fig);
  g_assert_true (vi_view_export (fig, comma_svg, 480, 320, &error));
  g_assert_no_error (error);
  setlocale (LC_NUMERIC, "C");
  g_assert_cmpstr (comma_csv, ==, dot_csv);
  dot = views_read_svg (dot_svg);
  comma = views_read_svg (comma_svg);
  g_assert_cmpstr (dot, !=, comma);

  if (g_getenv ("ELBO_LAB_CLI") != NULL)
    {
      g_autofree char *saved = g_strdup (g_getenv ("LC_ALL"));

      g_setenv ("LC_ALL", "sv_SE.UTF-8", TRUE);
      g_assert_cmpint (views_run_cli (args), ==, 0);
      if (saved != NULL)
        g_setenv ("LC_ALL", saved, TRUE);
      else
        g_unsetenv ("LC_ALL");
      cli = views_read_svg (cli_svg);
      g_assert_cmpstr (cli, ==, comma);
      g_unlink (cli_svg);
    }
  vi_figure_free (fig);
  vi_expfam_snapshot_free (snap);
  g_unlink (dot_svg);
  g_unlink (comma_svg);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/views/view/begin", test_view_begin);
  g_test_add_func ("/views/view/style", test_view_style);
  g_test_add_func ("/views/bbvi/elbo", test_bbvi_elbo);
  g_test_add_func ("/views/bbvi/gap", test_bbvi_gap);
  g_test_add_func ("/views/bbvi/gap-separation", test_bbvi_gap_separation);
  g_test_add_func ("/views/bbvi/legend-8-runs", test_bbvi_legend_8_runs);
  g_test_add_func ("/views/bbvi/params-q", test_bbvi_params_q);
  g_test_add_func ("/views/bbvi/variance", test_bbvi_variance);
  g_test_add_func ("/views/bbvi/variance-axis", test_bbvi_variance_axis);
  g_test_add_func ("/views/bbvi/variance-coords", test_bbvi_variance_coords);
  g_test_add_func ("/views/bbvi/deterministic", test_bbvi_deterministic);
  g_test_add_func ("/views/bbvi/gradvar", test_bbvi_gradvar);
  g_test_add_func ("/views/bbvi/gradvar-long", test_bbvi_gradvar_long);
  g_test_add_func ("/views/bbvi/explain", test_bbvi_explain);
  g_test_add_func ("/views/expfam/explain", test_expfam_explain);
  g_test_add_func ("/views/csv/names", test_csv_names);
  g_test_add_func ("/views/expfam/density", test_expfam_density);
  g_test_add_func ("/views/expfam/logpartition-fisher", test_expfam_logpartition_fisher);
  g_test_add_func ("/views/cli/expfam-plot", test_cli_expfam_plot);
  g_test_add_func ("/views/cli/bbvi-plot", test_cli_bbvi_plot);
  g_test_add_func ("/views/view/history-palette", test_view_history_palette);
  g_test_add_func ("/views/view/decimal-mark", test_view_decimal_mark);
  return g_test_run ();
}
