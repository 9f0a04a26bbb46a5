/* vi-figure-paint.c — drawing primitives: dashes, clipped polylines, markers
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vi-figure-draw-private.h"

/* @dash's on/off lengths for a line of @width into @d; returns how many
 * (0: solid). Dots are 0.01 long, drawn by their round caps. */
static int
dash_pattern (ViDash  dash,
              double  width,
              double  d[4])
{
  double w = MAX (width, 0.5);

  switch (dash)
    {
    case VI_DASH_DASHED:
      d[0] = 4 * w, d[1] = 2.5 * w;
      return 2;
    case VI_DASH_DOTTED:
      d[0] = 0.01, d[1] = 2 * w;
      return 2;
    case VI_DASH_DASH_DOT:
      d[0] = 4 * w, d[1] = 2 * w, d[2] = 0.01, d[3] = 2 * w;
      return 4;
    case VI_DASH_LONG_DASH:
      d[0] = 8 * w, d[1] = 3 * w;
      return 2;
    case VI_DASH_SOLID:
    default:
      return 0;
    }
}

void
vi_dash_apply (cairo_t *cr,
               ViDash   dash,
               double   width)
{
  double d[4];
  int n = dash_pattern (dash, width, d);

  if (dash == VI_DASH_DOTTED || dash == VI_DASH_DASH_DOT)
    cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_dash (cr, n > 0 ? d : NULL, n, 0);
}

double
vi_dash_period (ViDash dash,
                double width)
{
  double d[4], period = 0;
  int n = dash_pattern (dash, width, d);

  for (int i = 0; i < n; i++)
    period += d[i];
  return period;
}

void
vi_set_dash (ViDrawCtx *ctx,
             ViDash     dash,
             double     width)
{
  vi_dash_apply (ctx->cr, dash, width);
}

/* Liang–Barsky clip of segment (x0,y0)–(x1,y1) to the box; FALSE if outside. */
static gboolean
clip_segment (double  bx0,
              double  by0,
              double  bx1,
              double  by1,
              double *x0,
              double *y0,
              double *x1,
              double *y1)
{
  double t0 = 0, t1 = 1, dx = *x1 - *x0, dy = *y1 - *y0;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { *x0 - bx0, bx1 - *x0, *y0 - by0, by1 - *y0 };

  for (int i = 0; i < 4; i++)
    {
      if (p[i] == 0)
        {
          if (q[i] < 0)
            return FALSE;
        }
      else
        {
          double r = q[i] / p[i];

          if (p[i] < 0)
            {
              if (r > t1)
                return FALSE;
              if (r > t0)
                t0 = r;
            }
          else
            {
              if (r < t0)
                return FALSE;
              if (r < t1)
                t1 = r;
            }
        }
    }
  if (t1 < 1)
    {
      *x1 = *x0 + t1 * dx;
      *y1 = *y0 + t1 * dy;
    }
  if (t0 > 0)
    {
      *x0 = *x0 + t0 * dx;
      *y0 = *y0 + t0 * dy;
    }
  return TRUE;
}

void
vi_poly_break (ViPoly *pl)
{
  pl->have_prev = FALSE;
  pl->pen_at_prev = FALSE;
}

void
vi_poly_init (ViPoly        *pl,
              cairo_t       *cr,
              const ViXform *xf)
{
  double m = 50;

  pl->cr = cr;
  pl->bx0 = xf->ax - m;
  pl->by0 = xf->ay - m;
  pl->bx1 = xf->ax + xf->aw + m;
  pl->by1 = xf->ay + xf->ah + m;
  vi_poly_break (pl);
}

void
vi_poly_point (ViPoly *pl,
               double  x,
               double  y)
{
  if (!isfinite (x) || !isfinite (y))
    {
      vi_poly_break (pl);
      return;
    }
  if (pl->have_prev)
    {
      double x0 = pl->px, y0 = pl->py, x1 = x, y1 = y;

      if (clip_segment (pl->bx0, pl->by0, pl->bx1, pl->by1, &x0, &y0, &x1, &y1))
        {
          if (!pl->pen_at_prev || x0 != pl->px || y0 != pl->py)
            cairo_move_to (pl->cr, x0, y0);
          cairo_line_to (pl->cr, x1, y1);
          pl->pen_at_prev = x1 == x && y1 == y;
        }
      else
        pl->pen_at_prev = FALSE;
    }
  else if (x >= pl->bx0 && x <= pl->bx1 && y >= pl->by0 && y <= pl->by1)
    {
      /* A lone point still shows (as a dot with round caps). */
      cairo_move_to (pl->cr, x, y);
      cairo_line_to (pl->cr, x, y);
      cairo_move_to (pl->cr, x, y);
      pl->pen_at_prev = TRUE;
    }
  pl->px = x;
  pl->py = y;
  pl->have_prev = TRUE;
}

void
vi_marker_path (cairo_t  *cr,
                ViMarker  marker,
                double    x,
                double    y,
                double    size)
{
  double r = size / 2;

  switch (marker)
    {
    case VI_MARKER_SQUARE:
      cairo_rectangle (cr, x - r * 0.886, y - r * 0.886, r * 1.772, r * 1.772);
      break;
    case VI_MARKER_TRIANGLE:
      cairo_move_to (cr, x, y - r * 1.15);
      cairo_line_to (cr, x + r, y + r * 0.58);
      cairo_line_to (cr, x - r, y + r * 0.58);
      cairo_close_path (cr);
      break;
    case VI_MARKER_DIAMOND:
      cairo_move_to (cr, x, y - r * 1.2);
      cairo_line_to (cr, x + r * 0.85, y);
      cairo_line_to (cr, x, y + r * 1.2);
      cairo_line_to (cr, x - r * 0.85, y);
      cairo_close_path (cr);
      break;
    case VI_MARKER_CROSS:
      cairo_move_to (cr, x - r, y - r);
      cairo_line_to (cr, x + r, y + r);
      cairo_move_to (cr, x - r, y + r);
      cairo_line_to (cr, x + r, y - r);
      break;
    case VI_MARKER_CIRCLE:
    case VI_MARKER_NONE:
    default:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    }
}

void
vi_marker_paint (cairo_t  *cr,
                 ViMarker  marker,
                 double    width)
{
  if (marker == VI_MARKER_CROSS)
    {
      cairo_set_line_width (cr, MAX (1.0, width));
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_stroke (cr);
    }
  else
    cairo_fill (cr);
}

void
vi_stroke_frame (cairo_t       *cr,
                 const ViColor *color,
                 double         x,
                 double         y,
                 double         w,
                 double         h)
{
  vi_set_color (cr, color);
  cairo_set_line_width (cr, 0.75);
  cairo_rectangle (cr, x, y, w, h);
  cairo_stroke (cr);
}

/* The legend mask only needs where the data is: a dashed line is masked
 * as a solid one, which also spares the mask the cost of stroking dash by
 * dash (the kept runs' dashed lines, every frame of a live run). */
ViDash
vi_series_draw_dash (ViDrawCtx *ctx,
                     ViSeries  *s)
{
  return ctx->for_mask ? VI_DASH_SOLID : vi_series_resolve_dash (s, ctx->theme);
}

ViColor
vi_series_draw_color (ViDrawCtx *ctx,
                      ViSeries  *s)
{
  ViColor c = vi_series_resolve_color (s, ctx->theme);

  /* The legend mask only needs where the data is. */
  if (ctx->for_mask)
    c.a = 1;
  return c;
}

ViColor
vi_series_begin (ViDrawCtx *ctx,
                 ViSeries  *s,
                 gboolean   stroke)
{
  ViColor c = vi_series_draw_color (ctx, s);

  cairo_save (ctx->cr);
  vi_set_color (ctx->cr, &c);
  if (stroke)
    {
      cairo_set_line_width (ctx->cr, s->line_width);
      vi_set_dash (ctx, vi_series_draw_dash (ctx, s), s->line_width);
    }
  return c;
}

cairo_surface_t *
vi_image_surface_new (cairo_format_t   format,
                      gsize            width,
                      gsize            height,
                      guint32        **data,
                      int             *stride)
{
  cairo_surface_t *img = cairo_image_surface_create (format, (int) width, (int) height);

  *data = NULL;
  *stride = 0;
  if (cairo_surface_status (img) != CAIRO_STATUS_SUCCESS)
    return img;
  cairo_surface_flush (img);
  *data = (guint32 *) cairo_image_surface_get_data (img);
  *stride = cairo_image_surface_get_stride (img) / 4;
  return img;
}

double
vi_device_scale_x (cairo_t *cr)
{
  double dx = 1, dy = 0, sx = 1, sy = 1;

  /* The CTM excludes the surface's device scale (HiDPI widgets). */
  cairo_user_to_device_distance (cr, &dx, &dy);
  cairo_surface_get_device_scale (cairo_get_target (cr), &sx, &sy);
  return MAX (hypot (dx * sx, dy * sy), 1e-3);
}
