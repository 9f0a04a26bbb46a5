/* vi-view.h — the views layer: one builder per figure, shared by the app's
 * pages and the CLI's --plot
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A view turns a model's snapshot (src/core) into a figure (src/plot):
 *
 *   vi_<model>_<figure>_view_build (ViFigure *fig, const <Snapshot> *snap,
 *                                   const ViViewContext *ctx);
 *
 * A builder clears the series of every panel it draws and sets every panel
 * property it relies on (titles, labels, scales, ranges, legend), so
 * building the same snapshot with the same context into a fresh figure or
 * into one built before gives the same figure — what the app exports is
 * what `elbo-lab-cli … --plot` writes. Builders are deterministic: no RNG,
 * no clock. The layer depends on core and plot only, never on GTK
 * (tests/check-views-deps.sh checks the includes, meson the link).
 */
#pragma once

#include <glib.h>

#include "vi-figure.h"

G_BEGIN_DECLS

/* One earlier run, drawn faded behind the live one. */
typedef struct
{
  const char    *label;     /* legend label, e.g. "shape=2.5" */
  gconstpointer  snapshot;  /* the model's snapshot type */
  guint          slot;      /* its place in the page's history (picks its colour) */
} ViViewRun;

typedef struct
{
  ViTheme          theme;
  double           line_scale;   /* line widths and markers ×; 1, more when presenting */
  char             decimal_mark[8]; /* of the numbers the figure draws: the locale's */
  const ViViewRun *history;      /* earlier runs, oldest first (may be NULL) */
  guint            n_history;
  double           smoothing;    /* EMA factor in [0, 1) for noisy traces; 0: none */
  /* Model-specific view settings (ignored by the figures that do not use them). */
  guint            coordinate;   /* expfam a(η): the natural coordinate drawn */
  gboolean         live;         /* bbvi: the snapshot is a run, not only its start */
  double           samples;      /* bbvi ratio: the S whose bars are drawn */
  gboolean         measuring;    /* bbvi variance: a measurement is under way */
  gboolean         sweep_theta;  /* bbvi variance: the points sweep θ, not S */
  double           relevance;    /* lda: λ of the top words' relevance, in [0, 1] (1: β̄) */
} ViViewContext;

/* Size of an exported figure in points (PNG at scale 2), the same in the
 * app's "Export plot" and the CLI's --plot. */
#define VI_VIEW_EXPORT_WIDTH  800.0
#define VI_VIEW_EXPORT_HEIGHT 500.0
#define VI_VIEW_EXPORT_SCALE  2.0

/* The defaults: light theme, line scale 1, no history, no smoothing,
 * relevance 1 (top words by probability), and
 * the decimal mark of the current LC_NUMERIC locale (localeconv()), so the
 * app and the CLI (both call setlocale (LC_ALL, "")) draw the numbers of a
 * figure alike in the same locale: "," under sv_SE, "." under C. The mark
 * is for display only; exported data (CSV, JSON) always uses '.'. */
void     vi_view_context_init   (ViViewContext       *ctx);

/* @base × the context's line scale. */
double   vi_view_line_width     (const ViViewContext *ctx,
                                 double               base);

/* Styles @series: palette @color, @alpha (set when < 1), @dash (set when
 * not solid) and a line of @width × the context's line scale. */
void     vi_view_style          (ViSeries            *series,
                                 const ViViewContext *ctx,
                                 guint                color,
                                 double               alpha,
                                 ViDash               dash,
                                 double               width);

/* Gives @series the untranslated name its exported data uses (printf
 * @format), for a series whose display name is translated or empty. */
void     vi_view_data_name      (ViSeries            *series,
                                 const char          *format,
                                 ...) G_GNUC_PRINTF (2, 3);

/* The style of the earlier run in history @slot, colour-blind safe and
 * legible in greyscale: its palette colour cycles through five Okabe–Ito
 * slots away from the live curves' colours (vermillion, orange, bluish
 * green, yellow, reddish purple: neighbours differ in lightness), its dash
 * through four patterns (dashed, dotted, dash-dot, long dash; never solid,
 * which is the live run's). 5 and 4 are coprime, so 20 consecutive slots
 * have distinct (colour, dash) pairs, and two of any 8 consecutive slots
 * with the same dash are 4 apart: neighbouring colours, whose greyscale
 * differs. */
guint    vi_view_history_color  (guint                slot);
ViDash   vi_view_history_dash   (guint                slot);
/* vi_view_style() with the colour and dash of history @slot. */
void     vi_view_history_style  (ViSeries            *series,
                                 const ViViewContext *ctx,
                                 guint                slot,
                                 double               alpha,
                                 double               width);

/* Starts a view: themes @fig as @ctx says and returns its first panel
 * (row 0, column 0). */
ViPanel *vi_view_begin          (ViFigure            *fig,
                                 const ViViewContext *ctx);

/* Clears @panel's series and resets what a builder may set to the panel
 * defaults (no title, labels or categories; linear axes with automatic
 * ranges; automatic legend; grid), leaving an interactive zoom alone. */
void     vi_view_panel_reset    (ViPanel             *panel);

/* Exponential moving average: out[0] = y[0], out[i] = a·out[i−1] + (1−a)·y[i]
 * with a = @smoothing in [0, 1). Non-finite y[i] are copied through and do
 * not disturb the average. @out may equal @y. */
void     vi_ema_smooth          (double              *out,
                                 const double        *y,
                                 gsize                n,
                                 double               smoothing);

/* ---- "What am I seeing?" (vi-view-explain.c) ----
 *
 * A view's explanation (vi_<model>_<figure>_view_explain) is written from
 * the figure it built and the snapshot: the lines on it by name, the ones
 * off-scale, the current numbers; never about lines that are not there.
 * These helpers append the parts read off the figure, each a sentence
 * starting with a space. Earlier runs' lines (in a legend group, or named
 * after a run of ctx->history) are counted, not listed. */
/* Appends, for every panel of @fig, " On the plot: a, b." — its visible
 * series with a legend entry of their own and its named reference lines —
 * " Faded: N earlier runs.", and those of them wholly below or above the
 * y range (off-scale) or partly beyond it (clipped), e.g. " Off-scale,
 * below the axis: cv-suff."; returns the text of @out (freeing @out). */
char     *vi_view_explain_finish (GString             *out,
                                  ViFigure            *fig,
                                  const ViViewContext *ctx);
/* (transfer none) The visible series of @panel named @name with a legend
 * entry, or the reference line of that name, or NULL: whether that line
 * is on the plot. */
ViSeries *vi_view_find_shown     (ViPanel             *panel,
                                  const char          *name);

/* Writes @fig to @path: CSV for .csv, else PNG/SVG/PDF by extension at
 * VI_VIEW_EXPORT_WIDTH × VI_VIEW_EXPORT_HEIGHT (or @width × @height when
 * both are > 0) in the light theme on an opaque page (the figure keeps its
 * theme and is left opaque: for figures built to be written, like the
 * CLI's; the app exports through vi_plot_view_export()). */
gboolean vi_view_export         (ViFigure            *fig,
                                 const char          *path,
                                 double               width,
                                 double               height,
                                 GError             **error);
/* The same figure as vi_view_export() in @format, written to @stream (left
 * open), for writers that own the file (the CLI's atomic outputs). */
gboolean vi_view_write          (ViFigure            *fig,
                                 GOutputStream       *stream,
                                 ViFigureFormat       format,
                                 double               width,
                                 double               height,
                                 GError             **error);

G_END_DECLS
