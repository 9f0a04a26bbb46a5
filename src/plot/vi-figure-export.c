/* vi-figure-export.c — writing a figure as PNG, SVG, PDF or CSV
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <gio/gio.h>

#include "vi-figure-private.h"

#define MAX_EXPORT_SIDE 100000.0   /* points */
#define MAX_PNG_PIXELS 32767.0     /* cairo image surface limit per side */

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

static GFileOutputStream *
open_for_replace (const char  *path,
                  GFile      **file_out,
                  GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local = NULL;
  GFileOutputStream *stream;

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, &local);
  if (stream == NULL)
    {
      g_set_error (error, local->domain, local->code, "%s: cannot write: %s", path,
                   local->message);
      return NULL;
    }
  *file_out = g_steal_pointer (&file);
  return stream;
}

static gboolean
finish_stream (const char      *path,
               GOutputStream   *stream,
               WriteClosure    *wc,
               cairo_status_t   status,
               GError         **error)
{
  g_autoptr(GError) close_error = NULL;

  if (wc->error != NULL || status != CAIRO_STATUS_SUCCESS)
    {
      GCancellable *cancel = g_cancellable_new ();

      /* Abort the replace so the old file (if any) stays. */
      g_cancellable_cancel (cancel);
      g_output_stream_close (stream, cancel, NULL);
      g_object_unref (cancel);
      if (wc->error != NULL)
        g_set_error (error, wc->error->domain, wc->error->code, "%s: write failed: %s", path,
                     wc->error->message);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: drawing failed: %s", path,
                     cairo_status_to_string (status));
      g_clear_error (&wc->error);
      return FALSE;
    }
  if (!g_output_stream_close (stream, NULL, &close_error))
    {
      g_set_error (error, close_error->domain, close_error->code, "%s: write failed: %s", path,
                   close_error->message);
      return FALSE;
    }
  return TRUE;
}

typedef enum { FMT_PNG, FMT_SVG, FMT_PDF, FMT_UNKNOWN } Format;

static Format
format_from_path (const char *path)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, '/');

  if (dot == NULL || (slash != NULL && dot < slash))
    return FMT_UNKNOWN;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    return FMT_PNG;
  if (g_ascii_strcasecmp (dot, ".svg") == 0)
    return FMT_SVG;
  if (g_ascii_strcasecmp (dot, ".pdf") == 0)
    return FMT_PDF;
  return FMT_UNKNOWN;
}

gboolean
vi_figure_export (ViFigure    *fig,
                  const char  *path,
                  double       width,
                  double       height,
                  double       scale,
                  GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  WriteClosure wc = { NULL, NULL };
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  cairo_t *cr;
  Format fmt;

  g_return_val_if_fail (fig != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  fmt = format_from_path (path);
  if (fmt == FMT_UNKNOWN)
    {
      const char *dot = strrchr (path, '.');

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: unknown file type '%s' (use .png, .svg or .pdf)", path,
                   dot != NULL && strchr (dot, '/') == NULL ? dot : "no extension");
      return FALSE;
    }
  if (!(width >= 1 && width <= MAX_EXPORT_SIDE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: width must be in [1, %g] points (got %g)", path, MAX_EXPORT_SIDE, width);
      return FALSE;
    }
  if (!(height >= 1 && height <= MAX_EXPORT_SIDE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: height must be in [1, %g] points (got %g)", path, MAX_EXPORT_SIDE, height);
      return FALSE;
    }
  if (fmt == FMT_PNG)
    {
      if (!(scale > 0) || !isfinite (scale))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: scale must be > 0 (got %g)", path, scale);
          return FALSE;
        }
      if (round (width * scale) < 1 || round (height * scale) < 1
          || round (width * scale) > MAX_PNG_PIXELS || round (height * scale) > MAX_PNG_PIXELS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: PNG size %g × %g pixels is outside [1, %g]", path,
                       round (width * scale), round (height * scale), MAX_PNG_PIXELS);
          return FALSE;
        }
    }

  stream = open_for_replace (path, &file, error);
  if (stream == NULL)
    return FALSE;
  wc.stream = G_OUTPUT_STREAM (stream);

  switch (fmt)
    {
    case FMT_PNG:
      {
        int pw = (int) round (width * scale), ph = (int) round (height * scale);

        surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
        cr = cairo_create (surface);
        cairo_scale (cr, pw / width, ph / height);
        vi_figure_draw (fig, cr, width, height);
        status = cairo_status (cr);
        cairo_destroy (cr);
        if (status == CAIRO_STATUS_SUCCESS)
          status = cairo_surface_write_to_png_stream (surface, write_cb, &wc);
      }
      break;
    case FMT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_cb, &wc, width, height);
      cairo_svg_surface_restrict_to_version (surface, CAIRO_SVG_VERSION_1_1);
      goto vector;
    case FMT_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_cb, &wc, width, height);
      if (fig->title != NULL)
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, fig->title);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "ELBO Lab");
    vector:
      cr = cairo_create (surface);
      vi_figure_draw (fig, cr, width, height);
      status = cairo_status (cr);
      cairo_destroy (cr);
      cairo_surface_finish (surface);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status (surface);
      break;
    case FMT_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
  cairo_surface_destroy (surface);
  return finish_stream (path, G_OUTPUT_STREAM (stream), &wc, status, error);
}

gboolean
vi_figure_export_csv (ViFigure    *fig,
                      const char  *path,
                      GError     **error)
{
  g_autofree char *csv = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (fig != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  csv = vi_figure_to_csv (fig);
  if (!g_file_set_contents (path, csv, -1, &local))
    {
      g_set_error (error, G_FILE_ERROR, local->code, "%s: cannot write: %s", path, local->message);
      return FALSE;
    }
  return TRUE;
}
