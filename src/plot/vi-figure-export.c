/* vi-figure-export.c — writing a figure as PNG, SVG, PDF or CSV, to a stream or a file
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vi_figure_write() is the one writer: it draws the figure into a cairo
 * surface whose bytes go straight to a GOutputStream (CSV: the text of
 * vi_figure_to_csv()). vi_figure_export() and vi_figure_export_csv() write
 * through the core output helper (vi-output.h), the one way ELBO Lab writes
 * a file, and commit the file only when everything was written.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "vi-figure-private.h"
#include "vi-output.h"

#define MAX_EXPORT_SIDE 100000.0   /* points */
#define MAX_PNG_PIXELS 32767.0     /* cairo image surface limit per side */

/* ---- formats ------------------------------------------------------------ */

static const struct
{
  const char     *extension;
  ViFigureFormat  format;
} formats[] = {
  { ".png", VI_FIGURE_FORMAT_PNG },
  { ".svg", VI_FIGURE_FORMAT_SVG },
  { ".pdf", VI_FIGURE_FORMAT_PDF },
  { ".csv", VI_FIGURE_FORMAT_CSV },
};

static gboolean
format_from_path (const char      *path,
                  gboolean         allow_csv,
                  ViFigureFormat  *out,
                  GError         **error)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, '/');

  if (dot != NULL && (slash == NULL || dot > slash))
    for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
      if (g_ascii_strcasecmp (dot, formats[i].extension) == 0
          && (allow_csv || formats[i].format != VI_FIGURE_FORMAT_CSV))
        {
          if (out != NULL)
            *out = formats[i].format;
          return TRUE;
        }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "%s: unknown file type '%s' (use .png, .svg%s .pdf%s)", path,
               dot != NULL && strchr (dot, '/') == NULL ? dot : "no extension",
               allow_csv ? "," : " or", allow_csv ? " or .csv" : "");
  return FALSE;
}

gboolean
vi_figure_format_from_path (const char      *path,
                            ViFigureFormat  *out,
                            GError         **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  return format_from_path (path, FALSE, out, error);
}

gboolean
vi_figure_format_from_path_or_csv (const char      *path,
                                   ViFigureFormat  *out,
                                   GError         **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  return format_from_path (path, TRUE, out, error);
}

/* ---- writing to a stream ------------------------------------------------ */

typedef struct
{
  GOutputStream *stream;
  GError        *error;
} WriteClosure;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  WriteClosure *wc = closure;

  if (wc->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (wc->stream, data, length, NULL, NULL, &wc->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/* Checks the page size (and for PNG the scale) before anything is written;
 * errors start with @name. */
static gboolean
check_size (const char      *name,
            ViFigureFormat   format,
            double           width,
            double           height,
            double           scale,
            GError         **error)
{
  if (format == VI_FIGURE_FORMAT_CSV)
    return TRUE;
  if (!(width >= 1 && width <= MAX_EXPORT_SIDE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: width must be in [1, %g] points (got %g)", name, MAX_EXPORT_SIDE, width);
      return FALSE;
    }
  if (!(height >= 1 && height <= MAX_EXPORT_SIDE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: height must be in [1, %g] points (got %g)", name, MAX_EXPORT_SIDE, height);
      return FALSE;
    }
  if (format != VI_FIGURE_FORMAT_PNG)
    return TRUE;
  if (!(scale > 0) || !isfinite (scale))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: scale must be > 0 (got %g)", name, scale);
      return FALSE;
    }
  if (round (width * scale) < 1 || round (height * scale) < 1
      || round (width * scale) > MAX_PNG_PIXELS || round (height * scale) > MAX_PNG_PIXELS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: PNG size %g × %g pixels is outside [1, %g]", name,
                   round (width * scale), round (height * scale), MAX_PNG_PIXELS);
      return FALSE;
    }
  return TRUE;
}

/* Draws @fig into a new surface of @format that writes through @wc. */
static cairo_status_t
draw_to_stream (ViFigure       *fig,
                ViFigureFormat  format,
                double          width,
                double          height,
                double          scale,
                WriteClosure   *wc)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (format == VI_FIGURE_FORMAT_PNG)
    {
      int pw = (int) round (width * scale), ph = (int) round (height * scale);

      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
      cr = cairo_create (surface);
      cairo_scale (cr, pw / width, ph / height);
      vi_figure_draw (fig, cr, width, height);
      status = cairo_status (cr);
      cairo_destroy (cr);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream (surface, write_cb, wc);
      cairo_surface_destroy (surface);
      return status;
    }
  if (format == VI_FIGURE_FORMAT_SVG)
    {
      surface = cairo_svg_surface_create_for_stream (write_cb, wc, width, height);
      cairo_svg_surface_restrict_to_version (surface, CAIRO_SVG_VERSION_1_1);
    }
  else
    {
      surface = cairo_pdf_surface_create_for_stream (write_cb, wc, width, height);
      if (fig->title != NULL)
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, fig->title);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "ELBO Lab");
    }
  cr = cairo_create (surface);
  vi_figure_draw (fig, cr, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return status;
}

/* vi_figure_write() with the errors starting with @name. */
static gboolean
write_named (ViFigure        *fig,
             GOutputStream   *stream,
             const char      *name,
             ViFigureFormat   format,
             double           width,
             double           height,
             double           scale,
             GError         **error)
{
  WriteClosure wc = { stream, NULL };
  cairo_status_t status = CAIRO_STATUS_SUCCESS;

  if (!check_size (name, format, width, height, scale, error))
    return FALSE;
  if (format == VI_FIGURE_FORMAT_CSV)
    {
      g_autofree char *csv = vi_figure_to_csv (fig);

      g_output_stream_write_all (stream, csv, strlen (csv), NULL, NULL, &wc.error);
    }
  else
    status = draw_to_stream (fig, format, width, height, scale, &wc);
  if (wc.error != NULL)
    {
      g_set_error (error, wc.error->domain, wc.error->code, "%s: cannot write: %s", name,
                   wc.error->message);
      g_clear_error (&wc.error);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: drawing failed: %s", name,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

gboolean
vi_figure_write (ViFigure        *fig,
                 GOutputStream   *stream,
                 ViFigureFormat   format,
                 double           width,
                 double           height,
                 double           scale,
                 GError         **error)
{
  const char *name;

  g_return_val_if_fail (fig != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail ((guint) format <= VI_FIGURE_FORMAT_CSV, FALSE);
  /* The stream of a file output (vi-output.h) is named by its file. */
  name = vi_output_stream_get_path (stream);
  return write_named (fig, stream, name != NULL ? name : G_OBJECT_TYPE_NAME (stream), format,
                      width, height, scale, error);
}

/* ---- writing to a file -------------------------------------------------- */

/* Writes @fig to @path through the core output helper (vi-output.h): a
 * regular file is replaced only when everything was written, a device or
 * FIFO is written in place, and a failed export leaves no new file. */
static gboolean
export_file (ViFigure        *fig,
             const char      *path,
             ViFigureFormat   format,
             double           width,
             double           height,
             double           scale,
             GError         **error)
{
  ViOutput *out;

  if (!check_size (path, format, width, height, scale, error))
    return FALSE;
  out = vi_output_open (path, error);
  if (out == NULL)
    return FALSE;
  if (!write_named (fig, vi_output_get_stream (out), path, format, width, height, scale, error))
    {
      vi_output_abort (out);
      return FALSE;
    }
  return vi_output_commit (out, error);
}

gboolean
vi_figure_export (ViFigure    *fig,
                  const char  *path,
                  double       width,
                  double       height,
                  double       scale,
                  GError     **error)
{
  ViFigureFormat format;

  g_return_val_if_fail (fig != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  if (!vi_figure_format_from_path (path, &format, error))
    return FALSE;
  return export_file (fig, path, format, width, height, scale, error);
}

gboolean
vi_figure_export_csv (ViFigure    *fig,
                      const char  *path,
                      GError     **error)
{
  g_return_val_if_fail (fig != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  return export_file (fig, path, VI_FIGURE_FORMAT_CSV, 0, 0, 0, error);
}
