/* vi-figure.h — retained figures drawn with cairo: screen, PNG, SVG, PDF, CSV
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * API overview
 *
 *   ViFigure  (owned by the caller: vi_figure_create / vi_figure_free)
 *     └ grid of rows × cols ViPanel   (owned by the figure; borrowed pointers)
 *         └ axes, legend, ViSeries    (owned by the panel; borrowed pointers)
 *
 *   A figure owns copies of all data given to it, so it can be redrawn,
 *   appended to, exported and hit-tested at any time. Borrowed ViPanel and
 *   ViSeries pointers stay valid until vi_panel_clear(), vi_series_remove() or
 *   vi_figure_free().
 *
 *   Units: every length (figure size, line widths, font sizes, marker sizes)
 *   is in points = cairo user units. Draw into a GTK widget with user units =
 *   logical pixels; export scales user units to device units.
 *
 *   Typical use in a widget:
 *
 *     fig = vi_figure_create (1, 1);
 *     panel = vi_figure_get_panel (fig, 0, 0);
 *     vi_panel_set_axis_label (panel, VI_AXIS_X, "iteration");
 *     vi_panel_set_axis_label (panel, VI_AXIS_Y, "ELBO");
 *     raw = vi_panel_add_line (panel, "run 1 (raw)", NULL, NULL, 0);
 *     vi_series_set_alpha (raw, 0.25);
 *     vi_series_set_show_in_legend (raw, FALSE);
 *     ema = vi_panel_add_line (panel, "run 1", NULL, NULL, 0);
 *     vi_series_set_color_index (ema, vi_series_get_color_index (raw));
 *     // each frame: vi_series_append (raw, xs, ys, n);   O(n appended)
 *     // draw:       vi_figure_set_theme (fig, dark ? VI_THEME_DARK : VI_THEME_LIGHT);
 *     //             vi_figure_set_font_scale (fig, presenting ? 1.6 : 1.0);
 *     //             vi_figure_draw (fig, cr, width, height);
 *     // zoom/pan:   vi_panel_set_view (panel, VI_AXIS_X, lo, hi); vi_panel_reset_view (panel);
 *     // tooltip:    if (vi_figure_hit_test (fig, px, py, 20, &hit)) show hit.name, hit.x, hit.y
 *
 *   Series kinds (vi_panel_add_*): line, scatter (category colours with a
 *   legend or continuous colours with a colour bar), band, bars (grouped,
 *   error bars), step, histogram, hline/vline with labels, heat map (colour
 *   bar, row/column labels), image grid (captions), text. Themes: light,
 *   dark, print; palette: Okabe–Ito (vi_palette_get). Export: PNG/SVG/PDF by
 *   extension (vi_figure_export) and CSV (vi_figure_export_csv), or any of
 *   the four to a GOutputStream (vi_figure_write).
 *
 *   Drawing is O(width) for long lines with increasing x (per-pixel-column
 *   min/max decimation over a block pyramid maintained on append). The
 *   geometry of the last vi_figure_draw()/vi_figure_export() (plot areas,
 *   axis ranges) is kept for hit testing and pixel ↔ data conversion, so
 *   redraw on screen after an export before hit-testing again. The figure
 *   is not thread-safe: use it from one thread (the UI thread) only; EMA
 *   smoothing and the like are the caller's (add the raw series with a low
 *   alpha and the smoothed one on top).
 *
 *   Robustness: NaN/±inf break lines; non-positive values are skipped on a
 *   log axis; empty panels show "no data"; any input draws without crashing.
 *   The drawing functions never print and never abort on data.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct _ViFigure ViFigure;
typedef struct _ViPanel  ViPanel;
typedef struct _ViSeries ViSeries;

typedef enum
{
  VI_THEME_LIGHT,
  VI_THEME_DARK,
  VI_THEME_PRINT,  /* white, black frame, no grid, dashes cycle with colour */
} ViTheme;

typedef enum
{
  VI_AXIS_X,
  VI_AXIS_Y,
} ViAxis;

typedef enum
{
  VI_SCALE_LINEAR,
  VI_SCALE_LOG10,
} ViScale;

typedef enum
{
  VI_LEGEND_AUTO,          /* inside, in the corner/edge hiding least data; outside if all
                            * spots hide data */
  VI_LEGEND_NONE,
  VI_LEGEND_TOP_LEFT,
  VI_LEGEND_TOP_RIGHT,
  VI_LEGEND_BOTTOM_LEFT,
  VI_LEGEND_BOTTOM_RIGHT,
  VI_LEGEND_OUTSIDE_RIGHT, /* right of the plot area, outside the axes (above it in rows
                            * when a column would take over a third of the panel) */
  VI_LEGEND_OUTSIDE_TOP,   /* above the plot area, entries in rows */
} ViLegendPosition;

typedef enum
{
  VI_SERIES_LINE,
  VI_SERIES_SCATTER,
  VI_SERIES_BAND,
  VI_SERIES_BARS,
  VI_SERIES_STEP,
  VI_SERIES_HISTOGRAM,
  VI_SERIES_HLINE,
  VI_SERIES_VLINE,
  VI_SERIES_HEATMAP,
  VI_SERIES_IMAGES,
  VI_SERIES_TEXT,
} ViSeriesKind;

typedef enum
{
  VI_DASH_SOLID,
  VI_DASH_DASHED,
  VI_DASH_DOTTED,
  VI_DASH_DASH_DOT,
  VI_DASH_LONG_DASH,
} ViDash;

/* Sets @cr's dash pattern (and a round cap for dots) for a line of @width
 * points, as the figures draw @dash: for swatches drawn outside a figure. */
void vi_dash_apply (cairo_t *cr,
                    ViDash   dash,
                    double   width);

typedef enum
{
  VI_MARKER_NONE,
  VI_MARKER_CIRCLE,
  VI_MARKER_SQUARE,
  VI_MARKER_TRIANGLE,
  VI_MARKER_DIAMOND,
  VI_MARKER_CROSS,
} ViMarker;

typedef enum
{
  VI_COLORMAP_VIRIDIS,
  VI_COLORMAP_MAGMA,
  VI_COLORMAP_GREYS,    /* white (low) → black (high) */
} ViColormap;

typedef enum
{
  VI_FIGURE_FORMAT_PNG,
  VI_FIGURE_FORMAT_SVG,
  VI_FIGURE_FORMAT_PDF,
  VI_FIGURE_FORMAT_CSV,   /* the data (vi_figure_to_csv), not the picture */
} ViFigureFormat;

typedef struct
{
  double r, g, b, a;   /* each in [0, 1] */
} ViColor;

/* Result of a hit test. */
typedef struct
{
  ViPanel    *panel;    /* (transfer none) */
  ViSeries   *series;   /* (transfer none) */
  const char *name;     /* (transfer none) series name ("" if none) */
  gsize       index;    /* index of the point (heat map: row * cols + col) */
  double      x, y;     /* data coordinates of the point */
  double      value;    /* heat map cell / scatter colour value; NaN otherwise */
  double      px, py;   /* the point in user units (points) */
  double      distance; /* from the query position, in points */
} ViHit;

/* ---- palette ------------------------------------------------------------ */

/* Colour @index of the Okabe–Ito palette (cycles after 8) for @theme; slot 7
 * is the theme's foreground (black in light/print, light grey in dark). */
ViColor     vi_palette_get           (ViTheme     theme,
                                      guint       index);
/* Colour map value at @t in [0, 1] (clamped; NaN gives transparent). */
ViColor     vi_colormap_get          (ViColormap  map,
                                      double      t);

/* ---- figure ------------------------------------------------------------- */

/* (transfer full) A figure with @rows × @cols panels (each ≥ 1, ≤ 64). */
ViFigure   *vi_figure_create         (guint       rows,
                                      guint       cols);
void        vi_figure_free           (ViFigure   *fig);

void        vi_figure_set_title      (ViFigure   *fig,
                                      const char *title);
const char *vi_figure_get_title      (ViFigure   *fig);
/* Box of the figure title as laid out by the last draw (wrapped or shrunk
 * to fit the width, as panel titles are); FALSE when none was drawn. */
gboolean    vi_figure_get_title_box  (ViFigure   *fig,
                                      double     *x,
                                      double     *y,
                                      double     *width,
                                      double     *height);
guint       vi_figure_get_n_rows     (ViFigure   *fig);
guint       vi_figure_get_n_cols     (ViFigure   *fig);
/* (transfer none) Panel at (@row, @col); NULL when out of range. */
ViPanel    *vi_figure_get_panel      (ViFigure   *fig,
                                      guint       row,
                                      guint       col);

void        vi_figure_set_theme      (ViFigure   *fig,
                                      ViTheme     theme);
ViTheme     vi_figure_get_theme      (ViFigure   *fig);
/* Multiplies every font size and text gap (1.0 default; presentation mode
 * e.g. 1.5). Clamped to [0.25, 8]. */
void        vi_figure_set_font_scale (ViFigure   *fig,
                                      double      font_scale);
double      vi_figure_get_font_scale (ViFigure   *fig);
/* Pango font family (default "Sans"); NULL restores the default. */
void        vi_figure_set_font_family (ViFigure  *fig,
                                       const char *family);
/* When TRUE the background is not painted (a widget draws its own). */
void        vi_figure_set_transparent (ViFigure  *fig,
                                       gboolean   transparent);
/* The decimal mark of the numbers the figure draws itself (tick and
 * colour-bar labels, vi_figure_describe()): "." by default and for NULL or
 * "". Text given to the figure (titles, legend labels) is drawn as given;
 * exported data (CSV) always uses '.'. */
void        vi_figure_set_decimal_mark (ViFigure  *fig,
                                        const char *mark);
const char *vi_figure_get_decimal_mark (ViFigure  *fig);
/* (transfer full) A plain-text summary of the figure for assistive
 * technology: per panel its title, axis labels and ranges, and each legend
 * series' name and last value (lines: the last point; bars: the heights),
 * numbers with the figure's decimal mark. Series without a name are left
 * out. "" for a figure with nothing drawn. */
char       *vi_figure_describe       (ViFigure   *fig);

/* Draws the whole figure into @cr over the rectangle (0, 0, @width, @height)
 * in user units. Saves and restores @cr's state. Stores the geometry for
 * hit testing. Any size (even 0 × 0) is accepted. */
void        vi_figure_draw           (ViFigure   *fig,
                                      cairo_t    *cr,
                                      double      width,
                                      double      height);

/* Writes the figure to @path; the format comes from the extension (.png,
 * .svg, .pdf, any case). @width × @height in points (SVG/PDF page size); a
 * PNG is round(width·scale) × round(height·scale) pixels (@scale ignored
 * for vector output). Writes through vi-output.h: a regular file (or a
 * symlink's target) is replaced atomically only on success, a device or
 * FIFO is written in place, and a failed export leaves no new file. Errors
 * (G_IO_ERROR, naming @path): unknown extension, bad size, unwritable path. */
gboolean    vi_figure_export         (ViFigure   *fig,
                                      const char *path,
                                      double      width,
                                      double      height,
                                      double      scale,
                                      GError    **error);
/* The data behind the figure as CSV (RFC 4180, '.' decimal point in any
 * locale): one column per series coordinate, named "<series> · <axis>" with
 * the untranslated data names ("naive · iteration", "naive · ELBO"; an
 * unlabelled axis is "x"/"y", or "category"/"height" for bars; a series
 * without a name is named by its kind; a repeated name gets " (2)", …);
 * shorter columns are left empty. (transfer full) */
char       *vi_figure_to_csv         (ViFigure   *fig);
/* vi_figure_to_csv() written to @path (replaced only on success). */
gboolean    vi_figure_export_csv     (ViFigure   *fig,
                                      const char *path,
                                      GError    **error);

/* The one extension check: the picture format named by @path's extension
 * (.png, .svg, .pdf, any case) into *@out (may be NULL). Otherwise FALSE
 * and G_IO_ERROR_INVALID_ARGUMENT "PATH: unknown file type '.ext' (use
 * .png, .svg or .pdf)". */
gboolean    vi_figure_format_from_path (const char     *path,
                                        ViFigureFormat *out,
                                        GError        **error);
/* Same, but .csv (VI_FIGURE_FORMAT_CSV) is accepted too, for outputs that
 * may be the data as well as the picture ("… (use .png, .svg, .pdf or
 * .csv)"). */
gboolean    vi_figure_format_from_path_or_csv (const char     *path,
                                               ViFigureFormat *out,
                                               GError        **error);
/* Writes the figure in @format to @stream (which stays open; the caller
 * closes it): the same bytes vi_figure_export() / vi_figure_export_csv()
 * put in a file. Size and scale as for vi_figure_export() (ignored for
 * CSV). Errors (G_IO_ERROR, or the stream's own) start with the stream's
 * file for a file output's stream (vi_output_get_stream(): "PATH: cannot
 * write: No space left on device"), else its type name, e.g.
 * "GMemoryOutputStream: cannot write: …"; a failing stream is reported,
 * never a crash, and may hold part of the output. */
gboolean    vi_figure_write          (ViFigure       *fig,
                                      GOutputStream  *stream,
                                      ViFigureFormat  format,
                                      double          width,
                                      double          height,
                                      double          scale,
                                      GError        **error);

/* (transfer none) Panel whose plot area (last draw) contains (@px, @py),
 * or NULL. */
ViPanel    *vi_figure_get_panel_at   (ViFigure   *fig,
                                      double      px,
                                      double      py);
/* Nearest point (in points, within @max_distance) of the nearest series in
 * the panel under (@px, @py), using the last draw's geometry. Series of every
 * kind except reference lines, text and images take part; a heat map
 * reports the cell under the pointer. FALSE and @hit untouched if none. */
gboolean    vi_figure_hit_test       (ViFigure   *fig,
                                      double      px,
                                      double      py,
                                      double      max_distance,
                                      ViHit      *hit);
/* (transfer none) The legend group (vi_series_set_legend_group) of the
 * legend entry of the last draw under (@px, @py), in points, or NULL when
 * there is none there or the entry is not a group (a single series, "+N
 * more", a collapsed legend's handle). Valid until the next draw. */
const char *vi_figure_legend_group_at (ViFigure  *fig,
                                       double     px,
                                       double     py);
/* The hit as text for a tooltip, in data units with the axes' (display)
 * names: "naive: iteration = 120, ELBO = -45.3"; a bar gives its category
 * and true height (even when drawn clipped), a histogram bin its edges, a
 * heat-map cell its row, column and value. Numbers in the locale's
 * notation. (transfer full) */
char       *vi_hit_describe          (const ViHit *hit);

/* ---- panel -------------------------------------------------------------- */

void        vi_panel_set_title       (ViPanel    *panel,
                                      const char *title);
const char *vi_panel_get_title       (ViPanel    *panel);
/* What an empty panel says instead of "no data" (e.g. what to do to fill
 * it); then it draws no axes. NULL: "no data". Kept by vi_panel_clear. */
void        vi_panel_set_empty_message (ViPanel    *panel,
                                        const char *message);
const char *vi_panel_get_empty_message (ViPanel    *panel);
/* Axis label as plain text; NULL clears. */
void        vi_panel_set_axis_label  (ViPanel    *panel,
                                      ViAxis      axis,
                                      const char *label);
/* Same, with Pango markup (e.g. "σ<sup>2</sup>"). Invalid markup is shown
 * as plain text. */
void        vi_panel_set_axis_markup (ViPanel    *panel,
                                      ViAxis      axis,
                                      const char *markup);
/* The untranslated, plain-text axis name CSV column names use (NULL: the
 * label with markup stripped, the default; setting the label resets it). */
void        vi_panel_set_axis_data_name (ViPanel    *panel,
                                         ViAxis      axis,
                                         const char *name);
void        vi_panel_set_scale       (ViPanel    *panel,
                                      ViAxis      axis,
                                      ViScale     scale);
ViScale     vi_panel_get_scale       (ViPanel    *panel,
                                      ViAxis      axis);
/* Fixed range [@lo, @hi] (part of the figure's design; @lo > @hi flips the
 * axis). Non-finite or equal values or, on a log axis, non-positive ones
 * fall back to the automatic range. */
void        vi_panel_set_range       (ViPanel    *panel,
                                      ViAxis      axis,
                                      double      lo,
                                      double      hi);
/* Back to the automatic range: data bounds plus 5 % padding (log: in
 * decades); bars and histograms include 0 on a linear axis. */
void        vi_panel_set_auto_range  (ViPanel    *panel,
                                      ViAxis      axis);
/* Interactive view (zoom/pan): overrides the fixed or automatic range until
 * vi_panel_reset_view(). Same validity rules as vi_panel_set_range(). */
void        vi_panel_set_view        (ViPanel    *panel,
                                      ViAxis      axis,
                                      double      lo,
                                      double      hi);
void        vi_panel_reset_view      (ViPanel    *panel);
gboolean    vi_panel_has_view        (ViPanel    *panel);
/* The range that will be drawn now (view, else fixed, else automatic), with
 * *lo < *hi unless the axis is flipped. Needs no previous draw. */
void        vi_panel_get_range       (ViPanel    *panel,
                                      ViAxis      axis,
                                      double     *lo,
                                      double     *hi);
/* Where the legend goes. A legend never covers data: a fixed inside
 * position that would hide data falls back as VI_LEGEND_AUTO does (another
 * free spot inside, else outside, shrinking the plot area); a legend taller
 * than the room it has gets a second column or ends in "+N more". */
void        vi_panel_set_legend      (ViPanel    *panel,
                                      ViLegendPosition position);
/* A collapsed legend is only a small "legend (N)" handle (N entries). */
void        vi_panel_set_legend_collapsed (ViPanel *panel,
                                           gboolean collapsed);
gboolean    vi_panel_get_legend_collapsed (ViPanel *panel);
/* The texts of a panel that are laid out to fit (wrapped or shrunk). */
typedef enum
{
  VI_PANEL_TEXT_TITLE,
  VI_PANEL_TEXT_X_LABEL,
  VI_PANEL_TEXT_Y_LABEL
} ViPanelText;

/* Box of @which as laid out by the last draw, in points (a rotated y label:
 * its box on the page); FALSE when it was not drawn. A title or axis label
 * too long for its space is shrunk a little, else wrapped to two lines and
 * shrunk (down to 70 %), never cut. */
gboolean    vi_panel_get_text_box    (ViPanel     *panel,
                                      ViPanelText  which,
                                      double      *x,
                                      double      *y,
                                      double      *width,
                                      double      *height);
/* Box of the legend of the last draw, in points; FALSE when none was drawn. */
gboolean    vi_panel_get_legend_box  (ViPanel    *panel,
                                      double     *x,
                                      double     *y,
                                      double     *width,
                                      double     *height);
void        vi_panel_set_grid        (ViPanel    *panel,
                                      gboolean    grid);
/* Category labels for the x axis (ticks at 0, 1, …, n − 1), used by bar
 * series; copies @labels (NULL-terminated; NULL clears). */
void        vi_panel_set_categories  (ViPanel    *panel,
                                      const char *const *labels);
/* Removes (frees) every series of the panel. */
void        vi_panel_clear           (ViPanel    *panel);
guint       vi_panel_get_n_series    (ViPanel    *panel);
/* (transfer none) */
ViSeries   *vi_panel_get_series      (ViPanel    *panel,
                                      guint       index);

/* Plot area (inside the axes) of the last draw, in points; FALSE before the
 * first draw or when the panel had no room. */
gboolean    vi_panel_get_plot_area   (ViPanel    *panel,
                                      double     *x,
                                      double     *y,
                                      double     *width,
                                      double     *height);
/* Last draw's transforms; FALSE before the first draw. Exact inverses of
 * each other (log axes transform log10 of the value). */
gboolean    vi_panel_pixel_to_data   (ViPanel    *panel,
                                      double      px,
                                      double      py,
                                      double     *x,
                                      double     *y);
gboolean    vi_panel_data_to_pixel   (ViPanel    *panel,
                                      double      x,
                                      double      y,
                                      double     *px,
                                      double     *py);

/* Annotations of the last draw (labels of reference lines, text series),
 * drawn over the data with a halo and never overlapping each other: their
 * number and the box of each, in points. */
guint       vi_panel_get_n_annotations (ViPanel  *panel);
gboolean    vi_panel_get_annotation_box (ViPanel *panel,
                                         guint    index,
                                         double  *x,
                                         double  *y,
                                         double  *width,
                                         double  *height);

/* ---- series (all copy their inputs; return (transfer none)) ------------- */

/* Line through (x[i], y[i]); @x NULL means x = 0, 1, …; @n may be 0. */
ViSeries   *vi_panel_add_line        (ViPanel      *panel,
                                      const char   *name,
                                      const double *x,
                                      const double *y,
                                      gsize         n);
/* Points; colour per point with vi_series_set_categories() or
 * vi_series_set_values(). Fast for ≥ 100k points. */
ViSeries   *vi_panel_add_scatter     (ViPanel      *panel,
                                      const char   *name,
                                      const double *x,
                                      const double *y,
                                      gsize         n);
/* Filled band between @lower[i] and @upper[i] at x[i] (e.g. mean ± sd);
 * default alpha 0.25. */
ViSeries   *vi_panel_add_band        (ViPanel      *panel,
                                      const char   *name,
                                      const double *x,
                                      const double *lower,
                                      const double *upper,
                                      gsize         n);
/* Bars at categories 0 … n − 1 (label them with vi_panel_set_categories());
 * several bar series in one panel are grouped side by side. @error (NULL
 * for none) draws ± error bars. On a log y axis bars start at the bottom. */
ViSeries   *vi_panel_add_bars        (ViPanel      *panel,
                                      const char   *name,
                                      const double *height,
                                      const double *error,
                                      gsize         n);
/* Step line: y[i] holds on [x[i], x[i+1]). */
ViSeries   *vi_panel_add_step        (ViPanel      *panel,
                                      const char   *name,
                                      const double *x,
                                      const double *y,
                                      gsize         n);
/* Histogram from @n_bins counts (or densities) and @n_bins + 1 increasing
 * edges. */
ViSeries   *vi_panel_add_histogram   (ViPanel      *panel,
                                      const char   *name,
                                      const double *edges,
                                      const double *counts,
                                      gsize         n_bins);
/* Histogram of @samples (non-finite ones ignored) over @n_bins equal bins
 * (0: Freedman–Diaconis, ≤ 200); @density scales to unit area. */
ViSeries   *vi_panel_add_histogram_of (ViPanel      *panel,
                                       const char   *name,
                                       const double *samples,
                                       gsize         n,
                                       guint         n_bins,
                                       gboolean      density);
/* Reference lines across the plot with an optional label (NULL: none). */
ViSeries   *vi_panel_add_hline       (ViPanel      *panel,
                                      const char   *label,
                                      double        y);
ViSeries   *vi_panel_add_vline       (ViPanel      *panel,
                                      const char   *label,
                                      double        x);
/* Heat map of a row-major @rows × @cols matrix (row 0 at the top), with a
 * colour bar; NaN cells are left blank. Axes become row/column indices. */
ViSeries   *vi_panel_add_heatmap     (ViPanel      *panel,
                                      const char   *name,
                                      const double *z,
                                      gsize         rows,
                                      gsize         cols,
                                      ViColormap    map);
/* Row and column labels (NULL-terminated, copied; NULL keeps indices). */
void        vi_series_set_heatmap_labels (ViSeries          *series,
                                          const char *const *row_labels,
                                          const char *const *col_labels);
/* Grid of @n_images images of @height × @width pixels with @channels 1
 * (grey) or 3 (RGB), values in [0, 1] (clamped), pixels row-major, image
 * after image: pixels[((i * height + r) * width + c) * channels + k].
 * @captions NULL-terminated or NULL; @grid_cols 0 picks a near-square grid.
 * The panel's axes are hidden when it holds only images. */
ViSeries   *vi_panel_add_images      (ViPanel           *panel,
                                      const char        *name,
                                      const double      *pixels,
                                      gsize              n_images,
                                      gsize              height,
                                      gsize              width,
                                      guint              channels,
                                      const char *const *captions,
                                      guint              grid_cols);
/* Text at data position (@x, @y), left-aligned, vertically centred. */
ViSeries   *vi_panel_add_text        (ViPanel      *panel,
                                      double        x,
                                      double        y,
                                      const char   *text);

/* Removes @series from its panel and frees it. */
void        vi_series_remove         (ViSeries     *series);

ViSeriesKind vi_series_get_kind      (ViSeries     *series);
const char *vi_series_get_name       (ViSeries     *series);
void        vi_series_set_name       (ViSeries     *series,
                                      const char   *name);
/* Bars drawn clipped (heights capped by the caller): the true @n heights
 * (@n = the bars' count; NULL clears), which hit tests and CSV report. */
void        vi_series_set_true_heights (ViSeries     *series,
                                        const double *heights,
                                        gsize         n);
/* The untranslated name CSV uses for @series (NULL: the display name, the
 * default; vi_series_set_name() resets it). */
void        vi_series_set_data_name  (ViSeries     *series,
                                      const char   *name);
/* Number of points (bars/histogram: bars; heat map: cells; images: images). */
gsize       vi_series_get_n_points   (ViSeries     *series);
/* (transfer none) The x and y columns of a line, scatter or step series
 * (band: x and the lower edge) in *@x and *@y; returns their length (0 and
 * NULLs for other kinds). Map them with vi_panel_data_to_pixel(). */
gsize       vi_series_get_xy         (ViSeries      *series,
                                      const double **x,
                                      const double **y);

/* Appends @n points to a line, scatter or step series (@x NULL continues
 * x = n_points, n_points + 1, …). Cost O(@n), independent of the series
 * length. Ignored for other kinds. */
void        vi_series_append         (ViSeries     *series,
                                      const double *x,
                                      const double *y,
                                      gsize         n);
/* Appends @n points to a band (@x NULL continues x = n_points, …); O(@n). */
void        vi_series_append_band    (ViSeries     *series,
                                      const double *x,
                                      const double *lower,
                                      const double *upper,
                                      gsize         n);
/* A hidden series keeps its data but is left out of drawing, automatic
 * ranges, the legend, hit tests and CSV (e.g. a run switched off). */
void        vi_series_set_visible    (ViSeries     *series,
                                      gboolean      visible);
gboolean    vi_series_get_visible    (ViSeries     *series);
/* Whether @series has an entry of its own in the legend (named, shown in
 * the legend, visible and not empty; a grouped series shares its group's). */
gboolean    vi_series_get_in_legend  (ViSeries     *series);

/* Where the data of @series lie against its panel's current range of
 * @axis (vi_panel_get_range(); on a log axis only values > 0 count). */
typedef enum
{
  VI_FIT_EMPTY,    /* no point to place (or a kind without coordinates) */
  VI_FIT_INSIDE,   /* every point within the range */
  VI_FIT_CLIPPED,  /* some points within, some beyond */
  VI_FIT_BELOW,    /* every point below the range (left of it on x) */
  VI_FIT_ABOVE,    /* every point above (right of) it */
} ViFit;

ViFit       vi_series_get_fit        (ViSeries     *series,
                                      ViAxis        axis);
/* Replaces all points of a line, scatter or step series. */
void        vi_series_set_data       (ViSeries     *series,
                                      const double *x,
                                      const double *y,
                                      gsize         n);

/* Colour from the palette slot @index (default: panel order of insertion). */
void        vi_series_set_color_index (ViSeries    *series,
                                       guint        index);
guint       vi_series_get_color_index (ViSeries    *series);
/* The colour @series is drawn with under @theme (palette slot or explicit
 * colour, alpha included), e.g. for a swatch next to a run's name. */
ViColor     vi_series_get_color      (ViSeries     *series,
                                      ViTheme       theme);
/* Explicit colour, overriding the palette (alpha multiplies the series
 * alpha); NULL goes back to the palette. */
void        vi_series_set_color      (ViSeries     *series,
                                      const ViColor *color);
/* Opacity in [0, 1] for the whole series (fade earlier runs). */
void        vi_series_set_alpha      (ViSeries     *series,
                                      double        alpha);
/* Line width in points (default 1.5). */
void        vi_series_set_line_width (ViSeries     *series,
                                      double        width);
void        vi_series_set_dash       (ViSeries     *series,
                                      ViDash        dash);
/* Markers on a line/step (drawn when ≤ 5000 points are visible) or the
 * point shape of a scatter; @size is the diameter in points. */
void        vi_series_set_marker     (ViSeries     *series,
                                      ViMarker      marker,
                                      double        size);
void        vi_series_set_show_in_legend (ViSeries *series,
                                          gboolean  show);
/* Series sharing a legend group (e.g. "run 3") share one legend entry: the
 * group's name with the swatch of its first series in the legend. NULL
 * (the default): an entry of its own. */
void        vi_series_set_legend_group (ViSeries   *series,
                                        const char *group);
const char *vi_series_get_legend_group (ViSeries   *series);
/* Scatter: category c[i] < n_names coloured by palette slot c[i], one
 * legend entry per name (@names NULL-terminated, copied); @n must equal the
 * point count, else ignored. */
void        vi_series_set_categories (ViSeries          *series,
                                      const guint       *categories,
                                      gsize              n,
                                      const char *const *names);
/* Scatter: continuous colour from @map over the values' range, with a
 * colour bar titled @label (may be NULL); @n must equal the point count. */
void        vi_series_set_values     (ViSeries     *series,
                                      const double *values,
                                      gsize         n,
                                      ViColormap    map,
                                      const char   *label);
/* Colour-bar title for a heat map or valued scatter. */
void        vi_series_set_colorbar_label (ViSeries   *series,
                                          const char *label);

/* ---- ticks (exposed for tests and the app's own axes) ------------------- */

/* Nice linear ticks for [@lo, @hi] (Wilkinson's extended algorithm, Talbot,
 * Lin & Hanrahan 2010) aiming at @target ticks (≥ 2). With @loose the ticks
 * cover [lo, hi] (first ≤ lo, last ≥ hi); otherwise they lie inside it.
 * Writes at most @max ticks into @ticks and returns their number; *step is
 * the spacing. A zero-width or non-finite range gets sensible ticks around
 * the value (or 0…1). */
guint       vi_ticks_linear          (double      lo,
                                      double      hi,
                                      guint       target,
                                      gboolean    loose,
                                      double     *ticks,
                                      guint       max,
                                      double     *step);
/* Log10 ticks for [@lo, @hi] (both > 0): major ticks at decades (every k-th
 * decade when there are many), minor ticks at 2…9 × 10^k when few decades.
 * Less than one decade falls back to linear ticks as majors. Returns the
 * number of majors written to @major (≤ @max_major) and sets *n_minor. */
guint       vi_ticks_log             (double      lo,
                                      double      hi,
                                      double     *major,
                                      guint       max_major,
                                      double     *minor,
                                      guint       max_minor,
                                      guint      *n_minor);
/* Label for tick @value given the tick @step (valid Pango markup, e.g.
 * "0.25", "−1", "10³", "2×10⁶", "10⁻²"; with @log_scale, decades are
 * always 10ⁿ, other values as for a linear axis). (transfer full) */
char       *vi_ticks_format          (double      value,
                                      double      step,
                                      gboolean    log_scale);
/* A tick label as @fig draws it: vi_ticks_format() with @fig's decimal
 * mark ("2,5" for a decimal comma). (transfer full) */
char       *vi_figure_format_tick    (ViFigure   *fig,
                                      double      value,
                                      double      step,
                                      gboolean    log_scale);

G_END_DECLS
