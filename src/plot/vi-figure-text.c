/* vi-figure-text.c — text through Pango: fonts, markup, measuring (memoised) and drawing
 *
 * Text goes through Pango at 72 dpi with hinting off, so a layout measures the same on every
 * surface and a PNG at 2× is the 1× picture, sharper.
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "vi-figure-draw-private.h"

/* Pango 1.50 sizes <sub>/<sup> (font_scale attributes) wrongly at 72 dpi,
 * so they become spans with an explicit size and rise. */
static char *
rewrite_sub_sup (const char *markup,
                 double      size_pt)
{
  GString *out = g_string_new (NULL);
  char sub[64], sup[64];

  g_snprintf (sub, sizeof sub, "<span size='70%%' rise='%d'>",
              (int) lround (-0.18 * size_pt * PANGO_SCALE));
  g_snprintf (sup, sizeof sup, "<span size='70%%' rise='%d'>",
              (int) lround (0.38 * size_pt * PANGO_SCALE));
  for (const char *p = markup; *p;)
    {
      if (g_str_has_prefix (p, "<sub>"))
        g_string_append (out, sub), p += 5;
      else if (g_str_has_prefix (p, "<sup>"))
        g_string_append (out, sup), p += 5;
      else if (g_str_has_prefix (p, "</sub>") || g_str_has_prefix (p, "</sup>"))
        g_string_append (out, "</span>"), p += 6;
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* Laid-out text kept between draws, one cache per thread (Pango's cairo
 * font map is per thread). A live plot draws the same tick labels, titles
 * and legend entries frame after frame, and shaping them again each time
 * was a tenth of the UI thread's work on the bbvi page. Keyed by font (at
 * its scale), wrap width, markup and text. The layouts share one context.
 * With hinted metrics off a layout does not depend on the matrix, so the
 * context is matched to a draw's cairo_t only when the target surface's
 * font options differ from the last draw's: every pango_cairo_update_*
 * call sets the context's matrix, and Pango counts any set matrix as a
 * change that lays every layout of the context out again. Glyphs are drawn
 * with the cairo_t's own matrix either way. Emptied when it holds more
 * than LAYOUT_CACHE_MAX layouts, only when a draw begins, so a layout lent
 * to a draw stays valid through it. */
#define LAYOUT_CACHE_MAX 512

struct _ViLayoutCache
{
  PangoContext         *pc;
  GHashTable           *layouts;      /* key → PangoLayout */
  cairo_font_options_t *surface_fo;   /* of the surface the context was matched to */
};

static void
layout_cache_free (gpointer data)
{
  ViLayoutCache *c = data;

  g_hash_table_unref (c->layouts);
  g_object_unref (c->pc);
  if (c->surface_fo != NULL)
    cairo_font_options_destroy (c->surface_fo);
  g_free (c);
}

static GPrivate layout_cache_key = G_PRIVATE_INIT (layout_cache_free);
/* vi_text_cache_set_enabled(): off, every text is laid out anew. */
static gint cache_off;

void
vi_text_cache_set_enabled (gboolean enabled)
{
  g_atomic_int_set (&cache_off, !enabled);
}

/* This thread's cache, its context matched to @cr's surface. */
static ViLayoutCache *
layout_cache_get (cairo_t *cr)
{
  ViLayoutCache *c = g_private_get (&layout_cache_key);
  cairo_font_options_t *fo;

  if (c == NULL)
    {
      fo = cairo_font_options_create ();

      c = g_new0 (ViLayoutCache, 1);
      c->pc = pango_font_map_create_context (pango_cairo_font_map_get_default ());
      cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
      cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
      pango_cairo_context_set_font_options (c->pc, fo);
      cairo_font_options_destroy (fo);
      pango_cairo_context_set_resolution (c->pc, 72);
      c->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      g_private_set (&layout_cache_key, c);
    }
  if (g_hash_table_size (c->layouts) > LAYOUT_CACHE_MAX)
    g_hash_table_remove_all (c->layouts);
  fo = cairo_font_options_create ();
  cairo_surface_get_font_options (cairo_get_target (cr), fo);
  if (c->surface_fo == NULL || !cairo_font_options_equal (fo, c->surface_fo)
      || g_atomic_int_get (&cache_off))
    {
      pango_cairo_update_context (cr, c->pc);
      if (c->surface_fo != NULL)
        cairo_font_options_destroy (c->surface_fo);
      c->surface_fo = g_steal_pointer (&fo);
    }
  if (fo != NULL)
    cairo_font_options_destroy (fo);
  return c;
}

guint
vi_text_layouts_cached (guint *context_serial)
{
  ViLayoutCache *c = g_private_get (&layout_cache_key);

  if (context_serial != NULL)
    *context_serial = c != NULL ? pango_context_get_serial (c->pc) : 0;
  return c != NULL ? g_hash_table_size (c->layouts) : 0;
}

/* Lends ctx->layout: @text in @role's font times @scale, wrapped (centred)
 * at @wrap points, or on one line when @wrap ≤ 0. */
static void
set_text_fit (ViDrawCtx  *ctx,
              ViFontRole  role,
              const char *text,
              gboolean    markup,
              double      scale,
              double      wrap)
{
  double size = (double) pango_font_description_get_size (ctx->font[role]) / PANGO_SCALE;
  PangoFontDescription *d = pango_font_description_copy (ctx->font[role]);
  int width = wrap > 0 ? (int) floor (wrap * PANGO_SCALE) : -1;
  g_autofree char *font = NULL, *key = NULL;
  PangoLayout *layout;

  if (scale != 1)
    {
      size *= scale;
      pango_font_description_set_size (d, (gint) round (size * PANGO_SCALE));
    }
  font = pango_font_description_to_string (d);
  key = g_strdup_printf ("%s\037%d\037%d\037%s", font, width, markup ? 1 : 0, text);
  /* The text last lent is not used past this call. */
  if (g_atomic_int_get (&cache_off))
    g_hash_table_remove_all (ctx->cache->layouts);
  layout = g_hash_table_lookup (ctx->cache->layouts, key);
  if (layout == NULL)
    {
      layout = pango_layout_new (ctx->cache->pc);
      pango_layout_set_font_description (layout, d);
      pango_layout_set_width (layout, width);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment (layout, wrap > 0 ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
      if (markup && (strstr (text, "<sub>") != NULL || strstr (text, "<sup>") != NULL))
        {
          g_autofree char *fixed = rewrite_sub_sup (text, size);

          pango_layout_set_markup (layout, fixed, -1);
        }
      else if (markup)
        pango_layout_set_markup (layout, text, -1);
      else
        pango_layout_set_text (layout, text, -1);
      g_hash_table_insert (ctx->cache->layouts, g_steal_pointer (&key), layout);
    }
  pango_font_description_free (d);
  ctx->layout = layout;
}

static void
set_text (ViDrawCtx  *ctx,
          ViFontRole  role,
          const char *text,
          gboolean    markup)
{
  set_text_fit (ctx, role, text, markup, 1, -1);
}

void
vi_text_size (ViDrawCtx  *ctx,
              ViFontRole  role,
              const char *text,
              gboolean    markup,
              double     *w,
              double     *h)
{
  PangoRectangle logical;
  g_autofree char *key = g_strdup_printf ("%d%d%s", (int) role, markup ? 1 : 0, text);
  double *wh = g_hash_table_lookup (ctx->sizes, key);

  if (wh == NULL)
    {
      set_text (ctx, role, text, markup);
      pango_layout_get_extents (ctx->layout, NULL, &logical);
      wh = g_new (double, 2);
      wh[0] = (double) logical.width / PANGO_SCALE;
      wh[1] = (double) logical.height / PANGO_SCALE;
      g_hash_table_insert (ctx->sizes, g_steal_pointer (&key), wh);
    }
  if (w != NULL)
    *w = wh[0];
  if (h != NULL)
    *h = wh[1];
}

double
vi_line_height (ViDrawCtx  *ctx,
                ViFontRole  role)
{
  if (ctx->line_h[role] == 0)
    vi_text_size (ctx, role, "0Ag", FALSE, NULL, &ctx->line_h[role]);
  return ctx->line_h[role];
}

/* Measures the layout as set: its logical size and the offset of its
 * logical box from the layout origin. */
static void
measure_layout (ViDrawCtx *ctx,
                ViTextFit *fit)
{
  PangoRectangle logical;

  pango_layout_get_extents (ctx->layout, NULL, &logical);
  fit->w = (double) logical.width / PANGO_SCALE;
  fit->h = (double) logical.height / PANGO_SCALE;
  fit->dx = (double) logical.x / PANGO_SCALE;
  fit->dy = (double) logical.y / PANGO_SCALE;
  fit->lines = (guint) pango_layout_get_line_count (ctx->layout);
}

void
vi_text_fit (ViDrawCtx  *ctx,
             ViFontRole  role,
             const char *text,
             gboolean    markup,
             double      max_w,
             ViTextFit  *fit)
{
  static const double wrapped_scales[] = { 1, 0.9, 0.8, VI_TEXT_MIN_SCALE };

  *fit = (ViTextFit) { .scale = 1, .wrap = -1 };
  if (text == NULL || *text == '\0')
    return;
  set_text_fit (ctx, role, text, markup, 1, -1);
  measure_layout (ctx, fit);
  if (fit->w <= max_w || !(max_w > 0))
    return;
  /* A little too long: shrink it on one line. */
  if (max_w / fit->w >= 0.85)
    {
      fit->scale = max_w / fit->w * 0.999;
      set_text_fit (ctx, role, text, markup, fit->scale, -1);
      measure_layout (ctx, fit);
      return;
    }
  /* Else two lines, shrunk as needed down to the floor, where it takes
   * as many lines as it needs: text is never cut. */
  for (guint i = 0; i < G_N_ELEMENTS (wrapped_scales); i++)
    {
      fit->scale = wrapped_scales[i];
      fit->wrap = max_w;
      set_text_fit (ctx, role, text, markup, fit->scale, fit->wrap);
      measure_layout (ctx, fit);
      if (fit->lines <= 2)
        break;
    }
}

void
vi_draw_text (ViDrawCtx     *ctx,
              ViFontRole     role,
              const char    *text,
              gboolean       markup,
              double         x,
              double         y,
              double         xalign,
              double         yalign,
              double         angle,
              const ViColor *color)
{
  cairo_t *cr = ctx->cr;
  const ViTextFit *fit = ctx->fit;
  ViTextFit box;

  if (text == NULL || *text == '\0')
    return;
  set_text_fit (ctx, role, text, markup, fit != NULL ? fit->scale : 1,
                fit != NULL ? fit->wrap : -1);
  /* The lines are laid out once, for this and for drawing. */
  measure_layout (ctx, &box);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  if (angle != 0)
    cairo_rotate (cr, -angle);
  if (ctx->halo)
    {
      /* A background stroke under the glyphs keeps them readable over data. */
      cairo_move_to (cr, -xalign * box.w - box.dx, -yalign * box.h - box.dy);
      if (g_atomic_int_get (&cache_off))
        pango_cairo_update_layout (cr, ctx->layout);
      pango_cairo_layout_path (cr, ctx->layout);
      vi_set_color (cr, &ctx->tc->background);
      cairo_set_line_width (cr, 3 * ctx->fs);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke (cr);
    }
  cairo_move_to (cr, -xalign * box.w - box.dx, -yalign * box.h - box.dy);
  cairo_set_source_rgba (cr, color->r, color->g, color->b, color->a);
  /* Laid out without the matrix (see LAYOUT_CACHE_MAX); uncached, as
   * before the cache, matched to the rotation too. */
  if (g_atomic_int_get (&cache_off))
    pango_cairo_update_layout (cr, ctx->layout);
  pango_cairo_show_layout (cr, ctx->layout);
  cairo_restore (cr);
}

void
vi_draw_text_fit (ViDrawCtx       *ctx,
                  ViFontRole       role,
                  const char      *text,
                  gboolean         markup,
                  const ViTextFit *fit,
                  double           x,
                  double           y,
                  gboolean         vertical,
                  const ViColor   *color)
{
  ctx->fit = fit;
  vi_draw_text (ctx, role, text, markup, x, y, 0.5, vertical ? 1 : 0, vertical ? G_PI / 2 : 0,
                color);
  ctx->fit = NULL;
}

static PangoFontDescription *
make_font (const char *family,
           double      size,
           gboolean    bold)
{
  PangoFontDescription *d = pango_font_description_new ();

  pango_font_description_set_family (d, family);
  pango_font_description_set_size (d, (gint) round (size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (d, PANGO_WEIGHT_BOLD);
  return d;
}

void
vi_draw_ctx_init (ViDrawCtx *ctx,
                  ViFigure  *fig,
                  cairo_t   *cr)
{
  const char *family = fig->font_family != NULL ? fig->font_family : "Sans";
  double fs = fig->font_scale;

  *ctx = (ViDrawCtx) { 0 };
  ctx->fig = fig;
  ctx->cr = cr;
  ctx->theme = fig->theme;
  ctx->tc = vi_theme_colors (fig->theme);
  ctx->fs = fs;
  ctx->font[VI_FONT_TICK] = make_font (family, 9 * fs, FALSE);
  ctx->font[VI_FONT_LABEL] = make_font (family, 10 * fs, FALSE);
  ctx->font[VI_FONT_TITLE] = make_font (family, 10.5 * fs, TRUE);
  ctx->font[VI_FONT_FIG_TITLE] = make_font (family, 12 * fs, TRUE);
  ctx->font[VI_FONT_LEGEND] = make_font (family, 9 * fs, FALSE);
  ctx->sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ctx->cache = layout_cache_get (cr);
}

void
vi_draw_ctx_clear (ViDrawCtx *ctx)
{
  ctx->layout = NULL;   /* the cache's */
  ctx->cache = NULL;
  g_clear_pointer (&ctx->sizes, g_hash_table_unref);
  for (guint i = 0; i < VI_N_FONTS; i++)
    g_clear_pointer (&ctx->font[i], pango_font_description_free);
}

double
vi_widest_label (ViDrawCtx  *ctx,
                 char      **labels,
                 guint       n,
                 double     *height)
{
  double wmax = 0, hmax = 0;

  for (guint i = 0; i < n; i++)
    {
      double w, h;

      vi_text_size (ctx, VI_FONT_TICK, labels[i], TRUE, &w, &h);
      wmax = MAX (wmax, w);
      hmax = MAX (hmax, h);
    }
  if (height != NULL)
    *height = hmax;
  return wmax;
}

gboolean
vi_annotation_overlaps (ViDrawCtx *ctx,
                        double     x,
                        double     y,
                        double     w,
                        double     h)
{
  for (guint i = 0; ctx->placed != NULL && i < ctx->placed->len / 4; i++)
    {
      const double *b = &g_array_index (ctx->placed, double, 4 * i);

      if (x < b[0] + b[2] && x + w > b[0] && y < b[1] + b[3] && y + h > b[1])
        return TRUE;
    }
  return FALSE;
}

void
vi_annotation_place (ViDrawCtx *ctx,
                     double    *x,
                     double    *y,
                     double     w,
                     double     h)
{
  double y0 = *y, box[4];

  /* Greedy: the nearest free row, below first, then above. */
  for (guint k = 0; k < 41; k++)
    {
      double cand = y0 + (k % 2 == 1 ? 1 : -1) * (double) ((k + 1) / 2) * (h + 1);

      if (!vi_annotation_overlaps (ctx, *x, cand, w, h))
        {
          *y = cand;
          break;
        }
    }
  box[0] = *x;
  box[1] = *y;
  box[2] = w;
  box[3] = h;
  if (ctx->placed != NULL)
    g_array_append_vals (ctx->placed, box, 4);
}
