/* vi-cli-gallery.c — `elbo-lab-cli gallery DIR`: one figure of every series
 * kind (plus multi-panel, log-log, dark and print ones) as PNG, SVG and PDF
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gsl/gsl_randist.h>

#include "vi-cli-commands.h"
#include "vi-cli-common.h"
#include "vi-core-autocleanups.h"
#include "vi-bbvi-job.h"
#include "vi-bbvi-views.h"
#include "vi-expfam-job.h"
#include "vi-expfam-views.h"
#include "vi-figure.h"
#include "vi-job.h"
#include "vi-rng.h"
#include "vi-status.h"

#define SEED 20240601
#define GALLERY_BBVI_STEPS 300

/* Fills @fig (created with the item's rows × columns) from @rng. */
typedef void (*GalleryBuild) (ViFigure *fig,
                              gsl_rng  *rng);

typedef struct
{
  const char  *name;
  GalleryBuild build;
  double       width, height;   /* points */
  ViTheme      theme;
  const char  *title;           /* replaces the first panel's title, or NULL */
  guint        rows, cols;      /* the figure's grid; 0 means 1 */
} GalleryItem;

/* Panel (@row, @col) of @fig with its title and axis labels (NULL: none). */
static ViPanel *
titled_panel (ViFigure   *fig,
              guint       row,
              guint       col,
              const char *title,
              const char *xlabel,
              const char *ylabel)
{
  ViPanel *p = vi_figure_get_panel (fig, row, col);

  vi_panel_set_title (p, title);
  vi_panel_set_axis_label (p, VI_AXIS_X, xlabel);
  vi_panel_set_axis_label (p, VI_AXIS_Y, ylabel);
  return p;
}

/* titled_panel() with Pango markup for the axis labels. */
static ViPanel *
markup_panel (ViFigure   *fig,
              const char *title,
              const char *xmarkup,
              const char *ymarkup)
{
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);

  vi_panel_set_title (p, title);
  vi_panel_set_axis_markup (p, VI_AXIS_X, xmarkup);
  vi_panel_set_axis_markup (p, VI_AXIS_Y, ymarkup);
  return p;
}

static void
build_scatter_categories (ViFigure *fig,
                          gsl_rng  *rng)
{
  ViPanel *p = markup_panel (fig, "Scatter by category: 3-component Gaussian mixture",
                             "<i>z</i><sub>1</sub>", "<i>z</i><sub>2</sub>");
  const char *const names[] = { "cluster A", "cluster B", "cluster C", NULL };
  const double cx[] = { -2, 2, 0.3 }, cy[] = { -1, -0.5, 2.2 };
  enum { N = 3000 };
  g_autofree double *x = g_new (double, N);
  g_autofree double *y = g_new (double, N);
  g_autofree guint *c = g_new (guint, N);
  ViSeries *s;

  for (guint i = 0; i < N; i++)
    {
      c[i] = i % 3;
      x[i] = cx[c[i]] + gsl_ran_gaussian (rng, 0.7);
      y[i] = cy[c[i]] + gsl_ran_gaussian (rng, 0.6);
    }
  s = vi_panel_add_scatter (p, "samples", x, y, N);
  vi_series_set_categories (s, c, N, names);
  vi_series_set_alpha (s, 0.55);
  vi_series_set_marker (s, VI_MARKER_CIRCLE, 3.5);
}

static void
build_scatter_values (ViFigure *fig,
                      gsl_rng  *rng)
{
  ViPanel *p = markup_panel (fig, "Scatter by value: 10⁵ correlated Gaussian draws", "<i>u</i>",
                             "<i>v</i>");
  enum { N = 100000 };
  g_autofree double *x = g_new (double, N);
  g_autofree double *y = g_new (double, N);
  g_autofree double *v = g_new (double, N);
  ViSeries *s;

  for (guint i = 0; i < N; i++)
    {
      double a = gsl_ran_gaussian (rng, 1), b = gsl_ran_gaussian (rng, 1);

      x[i] = a;
      y[i] = 0.6 * a + 0.5 * b;       /* correlated Gaussian */
      v[i] = -0.5 * (a * a + b * b);
    }
  s = vi_panel_add_scatter (p, NULL, x, y, N);
  vi_series_set_values (s, v, N, VI_COLORMAP_VIRIDIS, "log density + const");
  vi_series_set_marker (s, VI_MARKER_CIRCLE, 2.0);
  vi_series_set_alpha (s, 0.8);
}

static void
build_band (ViFigure *fig,
            gsl_rng  *rng)
{
  ViPanel *p = titled_panel (fig, 0, 0, "Band series: synthetic sin curve ± 1 and 2 sd",
                             "x", "y");
  double x[200], m[200], lo[200], hi[200], lo2[200], hi2[200], ox[40], oy[40];
  ViSeries *b2, *b1, *l, *o;

  for (guint i = 0; i < 200; i++)
    {
      double sd = 0.15 + 0.12 * fabs (x[i] = -3 + 6.0 * i / 199);

      m[i] = sin (x[i]) + 0.1 * x[i];
      lo[i] = m[i] - sd, hi[i] = m[i] + sd;
      lo2[i] = m[i] - 2 * sd, hi2[i] = m[i] + 2 * sd;
    }
  for (guint i = 0; i < 40; i++)
    {
      ox[i] = -2.5 + 5 * gsl_rng_uniform (rng);
      oy[i] = sin (ox[i]) + 0.1 * ox[i] + gsl_ran_gaussian (rng, 0.2);
    }
  b2 = vi_panel_add_band (p, "± 2 sd", x, lo2, hi2, 200);
  vi_series_set_alpha (b2, 0.15);
  b1 = vi_panel_add_band (p, "± 1 sd", x, lo, hi, 200);
  vi_series_set_color_index (b1, 0);
  vi_series_set_color_index (b2, 0);
  l = vi_panel_add_line (p, "mean", x, m, 200);
  vi_series_set_color_index (l, 0);
  o = vi_panel_add_scatter (p, "noisy points", ox, oy, 40);
  vi_series_set_color_index (o, 3);
  vi_series_set_marker (o, VI_MARKER_CIRCLE, 5);
}

static void
build_bars (ViFigure *fig,
            gsl_rng  *rng)
{
  ViPanel *p = titled_panel (fig, 0, 0, "Bars ± error (made-up values)", NULL,
                             "value");
  ViPanel *q = titled_panel (fig, 0, 1, "Bars on a log axis (made-up)", NULL, "value");
  const char *const cats[] = { "group A", "group B", "group C", "group D", NULL };
  const char *const methods[] = { "series 1", "series 2", "series 3" };
  const double base[3][4] = { { 2.1, 3.5, 2.8, 4.0 }, { 0.6, 1.1, 0.9, 3.9 },
                              { 0.3, 0.5, 0.4, 1.2 } };
  const double var[3][4] = { { 3e2, 8e2, 5e2, 2e3 }, { 0.4, 1.5, 0.9, 2e3 },
                             { 0.02, 0.05, 0.03, 0.3 } };

  vi_panel_set_categories (p, cats);
  vi_panel_set_categories (q, cats);
  vi_panel_set_scale (q, VI_AXIS_Y, VI_SCALE_LOG10);
  for (guint m = 0; m < 3; m++)
    {
      double h[4], e[4];

      for (guint k = 0; k < 4; k++)
        {
          h[k] = base[m][k] * (1 + 0.05 * gsl_ran_gaussian (rng, 1));
          e[k] = 0.12 * h[k];
        }
      vi_panel_add_bars (p, methods[m], h, e, 4);
      vi_panel_add_bars (q, methods[m], var[m], NULL, 4);
    }
  /* One legend serves both panels. */
  vi_panel_set_legend (q, VI_LEGEND_NONE);
}

static void
build_step (ViFigure *fig,
            gsl_rng  *rng)
{
  ViPanel *p = titled_panel (fig, 0, 0, "Step series: two decay schedules",
                             "step", "value");
  double x[60], y[60], x2[60], y2[60];

  for (guint i = 0; i < 60; i++)
    {
      x[i] = x2[i] = i;
      y[i] = 0.1 * pow (0.5, floor (i / 15.0));
      y2[i] = 0.1 * pow (0.9, i) + 0.002 * gsl_rng_uniform (rng);
    }
  vi_panel_add_step (p, "halve every 15 steps", x, y, 60);
  vi_panel_add_step (p, "0.9ⁿ + uniform noise", x2, y2, 60);
  vi_panel_add_hline (p, "floor 0.01", 0.01);
}

static void
build_reference (ViFigure *fig,
                 gsl_rng  *rng)
{
  ViPanel *p = titled_panel (fig, 0, 0, "Reference lines and text (synthetic curve)",
                             "x", "y");
  double x[500], y[500];
  ViSeries *t;

  for (guint i = 0; i < 500; i++)
    {
      x[i] = i;
      y[i] = -50 + 40 * (1 - exp (-(double) i / 80.0)) + gsl_ran_gaussian (rng, 0.8);
    }
  vi_panel_add_line (p, "noisy saturating curve", x, y, 500);
  vi_panel_add_hline (p, "asymptote y = −10", -10);
  vi_panel_add_vline (p, "x = 200", 200);
  t = vi_panel_add_text (p, 260, -30, "text label at (260, −30)");
  (void) t;
}

static void
build_heatmap (ViFigure *fig,
               gsl_rng  *rng)
{
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  const char *const words[] = { "gene", "protein", "cell", "dna", "market", "price",
                                "stock", "trade", "game", "team", "season", "player",
                                "vote", "party", "election", "senate", NULL };
  const char *const topics[] = { "topic 1 (biology)", "topic 2 (finance)", "topic 3 (sport)",
                                 "topic 4 (politics)", "topic 5 (mixed)", NULL };
  double z[5 * 16];
  ViSeries *s;

  vi_panel_set_title (p, "Heat map: synthetic topic–word table (Gamma draws, rows sum to 1)");
  for (guint t = 0; t < 5; t++)
    {
      double sum = 0;

      for (guint w = 0; w < 16; w++)
        {
          double a = (t < 4 && w / 4 == t) ? 8 : 0.6;

          if (t == 4)
            a = 2;
          z[t * 16 + w] = gsl_ran_gamma (rng, a, 1);
          sum += z[t * 16 + w];
        }
      for (guint w = 0; w < 16; w++)
        z[t * 16 + w] /= sum;
    }
  s = vi_panel_add_heatmap (p, NULL, z, 5, 16, VI_COLORMAP_VIRIDIS);
  vi_series_set_heatmap_labels (s, topics, words);
  vi_series_set_colorbar_label (s, "row share");
}

static void
build_images (ViFigure *fig,
              gsl_rng  *rng)
{
  ViPanel *p = vi_figure_get_panel (fig, 0, 0);
  ViPanel *q = vi_figure_get_panel (fig, 0, 1);
  enum { K = 10, S = 5 };
  double bars[K * S * S];
  double colour[6 * 16 * 16 * 3];
  const char *const caps[] = { "row 1", "row 2", "row 3", "row 4", "row 5", "col 1", "col 2",
                               "col 3", "col 4", "col 5", NULL };
  const char *const ccaps[] = { "sharp 1", "blurred 1", "sharp 2", "blurred 2", "sharp 3",
                                "blurred 3", NULL };

  vi_panel_set_title (p, "Image grid: synthetic “bars” (5 × 5)");
  for (guint k = 0; k < K; k++)
    for (guint r = 0; r < S; r++)
      for (guint c = 0; c < S; c++)
        {
          gboolean on = k < 5 ? r == k : c == k - 5;

          bars[(k * S + r) * S + c] = on ? 0.9 + 0.1 * gsl_rng_uniform (rng)
                                         : 0.08 * gsl_rng_uniform (rng);
        }
  vi_panel_add_images (p, "topics", bars, K, S, S, 1, caps, 5);

  vi_panel_set_title (q, "Image grid, RGB: synthetic blobs");
  for (guint i = 0; i < 6; i++)
    for (guint r = 0; r < 16; r++)
      for (guint c = 0; c < 16; c++)
        {
          double cx = 7.5 + 3 * sin (i / 2 * 2.1), cy = 7.5 + 3 * cos (i / 2 * 1.7);
          double d = hypot (r - cy, c - cx);
          double blur = i % 2 ? 1.8 : 0.6;
          double v = 1 / (1 + exp ((d - 4.5) / blur));
          double *px = &colour[((i * 16 + r) * 16 + c) * 3];

          px[0] = v * (0.3 + 0.3 * (i / 2));
          px[1] = v * 0.6;
          px[2] = 0.15 + v * 0.7;
        }
  vi_panel_add_images (q, "recon", colour, 6, 16, 16, 3, ccaps, 2);
}

/* Runs a job of @type with the parameters @params (a{sv} in GVariant text
 * format) to the end and returns its last snapshot; the gallery's settings
 * never fail, so a failure is a bug (aborts). */
static gpointer
gallery_run (const ViJobType *type,
             const char      *params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = g_variant_parse (G_VARIANT_TYPE_VARDICT, params, NULL, NULL, &error);
  g_autoptr(ViJob) job = v == NULL ? NULL : vi_job_create (type, v, &error);
  gint cancel = 0;
  int status;

  if (job == NULL)
    g_error ("gallery run: %s", error->message);
  while ((status = vi_job_step (job, &cancel)) == VI_CONTINUE)
    ;
  if (status != VI_OK)
    g_error ("gallery run: %s", vi_job_get_error_message (job));
  return vi_job_snapshot (job);
}

/* The gallery's BBVI run: the default Poisson–Gamma model (synthetic N = 50,
 * rate 4, seed 1), Exponential q, naive / cv / cv-suff, S = 20, a few hundred
 * steps so the whole gallery renders in seconds. */
static ViBbviSnapshot *
gallery_bbvi_run (void)
{
  return gallery_run (&vi_bbvi_job_type,
                      "{'estimators': <'naive,cv,cv-suff'>, 'iterations': <int64 "
                      G_STRINGIFY (GALLERY_BBVI_STEPS) ">, 'samples': <int64 20>, "
                      "'threads': <int64 1>, 'seed': <uint64 1>}");
}

/* Histogram and density: a real expfam job (Gamma(2.5, 1.5), 5000 seeded
 * draws) drawn by the expfam density view. */
static void
build_histogram (ViFigure *fig,
                 gsl_rng  *rng)
{
  ViExpfamSnapshot *snap = gallery_run (&vi_expfam_job_type,
                                         "{'family': <'gamma'>, 'shape': <2.5>, 'rate': <1.5>, "
                                         "'n': <int64 5000>, 'batch': <int64 5000>, "
                                         "'seed': <uint64 " G_STRINGIFY (SEED) ">}");
  ViViewContext ctx;

  (void) rng;
  vi_view_context_init (&ctx);
  vi_expfam_density_view_build (fig, snap, &ctx);
  vi_expfam_snapshot_free (snap);
}

/* Line series (one dashed) and markers: the gallery's BBVI run, exact ELBO. */
static void
build_line (ViFigure *fig,
            gsl_rng  *rng)
{
  ViBbviSnapshot *snap = gallery_bbvi_run ();
  ViPanel *p = titled_panel (fig, 0, 0, "BBVI on the Poisson–Gamma model: exact ELBO",
                             "iteration", "ELBO (nats)");

  (void) rng;
  for (size_t k = 0; k < snap->n_traces; k++)
    {
      const ViBbviTrace *t = &snap->traces[k];
      ViSeries *s = vi_panel_add_line (p, vi_bbvi_estimator_get_name (t->estimator),
                                       t->iteration, t->elbo, t->len);

      vi_series_set_color_index (s, vi_bbvi_estimator_color (t->estimator));
      if (t->estimator == VI_BBVI_NAIVE)
        vi_series_set_dash (s, VI_DASH_DASHED);
      if (t->estimator == VI_BBVI_CV)
        {
          double mx[11], my[11];
          guint n = 0;
          ViSeries *m;

          for (size_t i = 0; i < t->len && n < G_N_ELEMENTS (mx); i += 30)
            mx[n] = t->iteration[i], my[n++] = t->elbo[i];
          m = vi_panel_add_line (p, "cv every 30 steps (markers)", mx, my, n);
          vi_series_set_marker (m, VI_MARKER_CIRCLE, 6);
          vi_series_set_line_width (m, 1.0);
          vi_series_set_color_index (m, vi_bbvi_estimator_color (t->estimator));
        }
    }
  vi_panel_add_hline (p, "ELBO*", snap->elbo_opt);
  vi_bbvi_snapshot_free (snap);
}

static void
build_multipanel (ViFigure *fig,
                  gsl_rng  *rng)
{
  ViBbviSnapshot *snap = gallery_bbvi_run ();
  ViPanel *a, *gp, *h, *bars;
  const char *names[VI_BBVI_N_ESTIMATORS + 1] = { NULL };
  double final_gap[VI_BBVI_N_ESTIMATORS];

  (void) rng;
  vi_figure_set_title (fig, "Black-box VI on the Poisson–Gamma model "
                       "(N = 50, Exponential q, S = 20, real run)");
  a = titled_panel (fig, 0, 0, "(a) exact ELBO", "iteration", "ELBO (nats)");
  gp = titled_panel (fig, 0, 1, "(b) gap to the best in the family", "iteration",
                     "ELBO* − ELBO (nats)");
  h = titled_panel (fig, 1, 0, "(c) cv: noisy ELBO estimates, 2nd half", "ELBO estimate",
                    "count");
  bars = titled_panel (fig, 1, 1, "(d) final gap", NULL, "ELBO* − ELBO (nats)");
  vi_panel_set_scale (gp, VI_AXIS_Y, VI_SCALE_LOG10);
  vi_panel_set_scale (bars, VI_AXIS_Y, VI_SCALE_LOG10);
  for (size_t k = 0; k < snap->n_traces; k++)
    {
      const ViBbviTrace *t = &snap->traces[k];
      const char *name = vi_bbvi_estimator_get_name (t->estimator);
      g_autofree double *gap = g_new (double, MAX (t->len, 1));
      guint color = vi_bbvi_estimator_color (t->estimator);

      for (size_t i = 0; i < t->len; i++)
        gap[i] = MAX (snap->elbo_opt - t->elbo[i], 1e-12);
      vi_series_set_color_index (vi_panel_add_line (a, name, t->iteration, t->elbo, t->len),
                                 color);
      vi_series_set_color_index (vi_panel_add_line (gp, name, t->iteration, gap, t->len), color);
      names[k] = name;
      final_gap[k] = MAX (snap->elbo_opt - t->current_elbo, 1e-12);
      if (t->estimator == VI_BBVI_CV && t->len > 1)
        vi_series_set_color_index (vi_panel_add_histogram_of (h, "cv", t->elbo_estimate
                                                              + t->len / 2,
                                                              t->len - t->len / 2, 30, FALSE),
                                   color);
    }
  vi_panel_add_hline (a, "ELBO* (best in family)", snap->elbo_opt);
  vi_panel_add_vline (h, "ELBO*", snap->elbo_opt);
  vi_panel_set_categories (bars, names);
  vi_panel_add_bars (bars, "final gap", final_gap, NULL, snap->n_traces);
  vi_panel_set_legend (gp, VI_LEGEND_NONE);
  vi_panel_set_legend (h, VI_LEGEND_NONE);
  vi_panel_set_legend (bars, VI_LEGEND_NONE);
  vi_bbvi_snapshot_free (snap);
}

/* Log-log axes: a real gradient-variance sweep over S at θ* (the default
 * model, all estimators, R = 200), drawn by the BBVI variance view. */
static void
build_loglog (ViFigure *fig,
              gsl_rng  *rng)
{
  ViBbviSnapshot *snap = gallery_run (&vi_bbvi_job_type,
                                       "{'mode': <'variance'>, 'repeats': <int64 200>, "
                                       "'threads': <int64 1>, 'sweep-samples': "
                                       "<[uint64 2, 5, 10, 20, 50, 100, 200, 500, 1000]>}");
  ViViewContext ctx;

  (void) rng;
  vi_view_context_init (&ctx);
  vi_bbvi_variance_view_build (fig, snap, &ctx);
  vi_bbvi_snapshot_free (snap);
}

static void
build_live (ViFigure *fig,
            gsl_rng  *rng)
{
  ViPanel *p = titled_panel (fig, 0, 0, "10⁶ synthetic noisy points (decimated per pixel) and EMA",
                             "index", "value");
  enum { N = 1000000 };
  g_autofree double *y = g_new (double, N);
  g_autofree double *ema = g_new (double, N);
  double m = -800;
  ViSeries *raw, *sm;

  for (guint i = 0; i < N; i++)
    {
      y[i] = -800 + 700 * (1 - exp (-(double) i / 150000.0)) + gsl_ran_gaussian (rng, 25);
      m = i == 0 ? y[i] : 0.999 * m + 0.001 * y[i];
      ema[i] = m;
    }
  raw = vi_panel_add_line (p, "raw", NULL, y, N);
  vi_series_set_alpha (raw, 0.3);
  vi_series_set_line_width (raw, 0.8);
  sm = vi_panel_add_line (p, "EMA (0.999)", NULL, ema, N);
  vi_series_set_color_index (sm, vi_series_get_color_index (raw));
  vi_series_set_line_width (sm, 1.8);
}

static void
build_robust (ViFigure *fig,
              gsl_rng  *rng)
{
  ViPanel *a = vi_figure_get_panel (fig, 0, 0);
  ViPanel *b = vi_figure_get_panel (fig, 0, 1);
  ViPanel *c = vi_figure_get_panel (fig, 0, 2);
  double x[200], y[200], k[3] = { 5, 5, 5 };

  for (guint i = 0; i < 200; i++)
    {
      x[i] = i;
      y[i] = (i / 40) % 2 == 1 && i % 40 < 10 ? NAN : sin (i / 15.0) + gsl_ran_gaussian (rng, 0.05);
    }
  y[100] = INFINITY;
  vi_panel_set_title (a, "NaN/∞ break the line");
  vi_panel_add_line (a, "with gaps", x, y, 200);
  vi_panel_set_legend (a, VI_LEGEND_NONE);
  vi_panel_set_title (b, "empty panel");
  vi_panel_add_line (b, "nothing", NULL, NULL, 0);
  vi_panel_set_title (c, "constant data");
  vi_panel_add_line (c, "y = 5", NULL, k, 3);
  vi_panel_set_legend (c, VI_LEGEND_NONE);
}

static const GalleryItem gallery[] = {
  { "line", build_line, 480, 320 },
  { "scatter-categories", build_scatter_categories, 480, 360 },
  { "scatter-values", build_scatter_values, 480, 360 },
  { "band", build_band, 480, 320 },
  { "bars", build_bars, 720, 300, .cols = 2 },
  { "histogram", build_histogram, 480, 320,
    .title = "Gamma(2.5, 1.5): density and 5000 draws (expfam job)" },
  { "step", build_step, 480, 320 },
  { "reference-text", build_reference, 480, 320 },
  { "heatmap", build_heatmap, 600, 300 },
  { "images", build_images, 640, 300, .cols = 2 },
  { "multipanel", build_multipanel, 640, 480, .rows = 2, .cols = 2 },
  { "loglog", build_loglog, 640, 400 },
  { "dark", build_band, 480, 320, VI_THEME_DARK, "Band series (dark theme, synthetic)" },
  { "print", build_line, 480, 320, VI_THEME_PRINT, "BBVI exact ELBO (print theme)" },
  { "live-1e6", build_live, 640, 360 },
  { "robustness", build_robust, 720, 240, .cols = 3 },
};

int
vi_cli_gallery (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scale_text = NULL;
  gboolean csv = FALSE;
  double scale = 2;
  const char *dir;
  GOptionEntry entries[] = {
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale_text, "PNG pixels per point (default 2)", "S" },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "Also write the data of each figure as CSV", NULL },
    { NULL }
  };

  ctx = g_option_context_new ("DIR — write the plot gallery as PNG, SVG and PDF");
  g_option_context_set_summary (ctx,
    "Writes one figure of every series kind (line, scatter, band, bars, step,\n"
    "histogram, reference lines, heat map, image grid, text) plus multi-panel,\n"
    "log-log, dark-theme and print-theme figures to DIR as gallery-NN-NAME.{png,svg,pdf}.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return vi_cli_report_error ("gallery", error);
  if (argc != 2)
    {
      g_set_error (&error, VI_CLI_ERROR, VI_EXIT_USAGE,
                   argc < 2 ? "missing output directory DIR" : "unexpected argument '%s'",
                   argc < 2 ? "" : argv[2]);
      return vi_cli_report_error ("gallery", error);
    }
  if (scale_text != NULL && !vi_cli_parse_double ("--scale", scale_text, &scale, &error))
    return vi_cli_report_error ("gallery", error);
  if (!(scale >= 0.1 && scale <= 8))
    {
      g_set_error (&error, VI_CLI_ERROR, VI_EXIT_USAGE, "--scale: must be in [0.1, 8] (got '%s')",
                   scale_text);
      return vi_cli_report_error ("gallery", error);
    }
  dir = argv[1];
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int err = errno;

      g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (err),
                   "%s: cannot create directory: %s", dir, g_strerror (err));
      return vi_cli_report_error ("gallery", error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (gallery); i++)
    {
      static const char *const ext[] = { "png", "svg", "pdf", "csv" };
      g_autoptr(gsl_rng) rng = vi_rng_create (SEED, i);
      ViFigure *fig = vi_figure_create (MAX (gallery[i].rows, 1), MAX (gallery[i].cols, 1));
      gboolean ok = TRUE;

      gallery[i].build (fig, rng);
      vi_figure_set_theme (fig, gallery[i].theme);
      if (gallery[i].title != NULL)
        vi_panel_set_title (vi_figure_get_panel (fig, 0, 0), gallery[i].title);
      /* The CSV (last) only with --csv. */
      for (guint e = 0; ok && e < G_N_ELEMENTS (ext) - (csv ? 0 : 1); e++)
        {
          g_autofree char *base = g_strdup_printf ("gallery-%02u-%s.%s", i + 1, gallery[i].name,
                                                   ext[e]);
          g_autofree char *path = g_build_filename (dir, base, NULL);

          if (g_str_equal (ext[e], "csv"))
            ok = vi_figure_export_csv (fig, path, &error);
          else
            ok = vi_figure_export (fig, path, gallery[i].width, gallery[i].height, scale, &error);
          if (ok)
            printf ("%s\n", path);
        }
      vi_figure_free (fig);
      if (!ok)
        return vi_cli_report_error ("gallery", error);
    }
  return VI_EXIT_OK;
}
