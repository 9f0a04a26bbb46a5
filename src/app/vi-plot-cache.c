/* vi-plot-cache.c — a plot view's rendered figure, rasterised off the UI
 * thread while a job runs flat out
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vi-plot-cache.h"
#include "vi-thread.h"

struct _ViPlotCache
{
  gint         refs;        /* the view's, and one for a render in flight */
  GWeakRef     owner;
  gboolean     freed;       /* the view let it go */

  cairo_surface_t *image;   /* device pixels, its device scale set */
  int          w, h;        /* of the image, device pixels */
  int          scale;
  gboolean     dark;
  gboolean     dirty;
  gboolean     live;        /* the last change was a live refresh */
  guint64      generation;  /* counts the renders asked for */
  guint64      image_gen;   /* the one the image shows */

  gboolean     rendering;   /* a replay on a worker thread */
  cairo_surface_t *pending; /* a newer recording waiting for it */
  guint64      pending_gen;

  /* Images the replays draw into again, so a run flat out allocates no
   * image a frame (a new image a frame, made on the render thread and
   * freed on this one, fragments malloc's arenas: RSS crept up in soaks).
   * @retired is the image last on screen, maybe still painted by GTK's
   * previous render node; it becomes @spare one landing later. */
  cairo_surface_t *retired;
  cairo_surface_t *spare;
};

typedef struct
{
  ViPlotCache     *cache;       /* a reference */
  cairo_surface_t *recording;
  cairo_surface_t *image;       /* a spare to draw into or NULL; the result */
  int              w, h, scale;
  guint64          generation;
} Replay;

/* vi_plot_cache_set_synchronous(): screenshots render what is current. */
static gboolean synchronous;
/* Images made by image_context(), on any thread. */
static gint images_made;
/* Every cache of the process (UI thread only). */
static GPtrArray *all_caches;

static void start_replay (ViPlotCache     *cache,
                          cairo_surface_t *recording,
                          guint64          generation);

static ViPlotCache *
cache_ref (ViPlotCache *cache)
{
  g_atomic_int_inc (&cache->refs);
  return cache;
}

static void
cache_unref (ViPlotCache *cache)
{
  if (!g_atomic_int_dec_and_test (&cache->refs))
    return;
  g_clear_pointer (&cache->image, cairo_surface_destroy);
  g_clear_pointer (&cache->pending, cairo_surface_destroy);
  g_clear_pointer (&cache->retired, cairo_surface_destroy);
  g_clear_pointer (&cache->spare, cairo_surface_destroy);
  g_weak_ref_clear (&cache->owner);
  g_free (cache);
}

ViPlotCache *
vi_plot_cache_new (GtkWidget *owner)
{
  ViPlotCache *cache = g_new0 (ViPlotCache, 1);

  cache->refs = 1;
  g_weak_ref_init (&cache->owner, owner);
  cache->dirty = TRUE;
  if (all_caches == NULL)
    all_caches = g_ptr_array_new ();
  g_ptr_array_add (all_caches, cache);
  return cache;
}

void
vi_plot_cache_free (ViPlotCache *cache)
{
  if (cache == NULL)
    return;
  cache->freed = TRUE;
  g_ptr_array_remove_fast (all_caches, cache);
  g_weak_ref_set (&cache->owner, NULL);
  cache_unref (cache);
}

void
vi_plot_cache_invalidate (ViPlotCache *cache,
                          gboolean     live)
{
  cache->dirty = TRUE;
  cache->live = live;
}

/* A context on a new, cleared @w × @h image, its user space scaled by
 * @scale (so the figure's decimation sees device pixels), or NULL when the
 * image cannot be had. */
static cairo_t *
image_context (int w,
               int h,
               int scale)
{
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr;

  g_atomic_int_inc (&images_made);
  if (cairo_surface_status (image) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (image);
      return NULL;
    }
  cr = cairo_create (image);
  cairo_surface_destroy (image);
  cairo_scale (cr, scale, scale);
  return cr;
}

/* (transfer full) The image @cr drew on, painted at device scale @scale;
 * destroys @cr. */
static cairo_surface_t *
image_finish (cairo_t *cr,
              int      scale)
{
  cairo_surface_t *image = cairo_surface_reference (cairo_get_target (cr));

  cairo_destroy (cr);
  cairo_surface_flush (image);
  cairo_surface_set_device_scale (image, scale, scale);
  return image;
}

/* The device-pixel image of @recording (made at @scale) drawn into
 * @target (taken; NULL: a new image), or NULL. */
static cairo_surface_t *
rasterise (cairo_surface_t *recording,
           cairo_surface_t *target,
           int              w,
           int              h,
           int              scale)
{
  cairo_t *cr;

  if (target != NULL)
    {
      cairo_surface_set_device_scale (target, 1, 1);
      cr = cairo_create (target);
      cairo_surface_destroy (target);
      /* SOURCE: cairo replays the recording straight into the image, as
       * it does into a new (clear) one with OVER. */
      cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
    }
  else if ((cr = image_context (w, h, scale)) == NULL)
    return NULL;
  /* The recording holds device pixels: painted without the scale. */
  cairo_identity_matrix (cr);
  cairo_set_source_surface (cr, recording, 0, 0);
  cairo_paint (cr);
  return image_finish (cr, scale);
}

/* Keeps @image (taken) to be drawn into again when it has the cache's
 * size; the image it displaces from @retired becomes the spare. */
static void
recycle (ViPlotCache     *cache,
         cairo_surface_t *image)
{
  if (image == NULL)
    return;
  if (cache->freed || cairo_image_surface_get_width (image) != cache->w
      || cairo_image_surface_get_height (image) != cache->h)
    {
      cairo_surface_destroy (image);
      return;
    }
  g_clear_pointer (&cache->spare, cairo_surface_destroy);
  cache->spare = cache->retired;
  cache->retired = image;
}

/* On the UI thread: the replay landed. */
static gboolean
replay_landed (gpointer data)
{
  Replay *r = data;
  ViPlotCache *cache = r->cache;
  g_autoptr(GtkWidget) owner = g_weak_ref_get (&cache->owner);

  cache->rendering = FALSE;
  if (r->image != NULL && r->generation > cache->image_gen && !cache->freed)
    {
      recycle (cache, g_steal_pointer (&cache->image));
      cache->image = g_steal_pointer (&r->image);
      cache->image_gen = r->generation;
      if (owner != NULL)
        gtk_widget_queue_draw (owner);
    }
  recycle (cache, g_steal_pointer (&r->image));
  if (cache->pending != NULL && !cache->freed)
    {
      cairo_surface_t *next = g_steal_pointer (&cache->pending);

      start_replay (cache, next, cache->pending_gen);
    }
  cairo_surface_destroy (r->recording);
  g_free (r);
  cache_unref (cache);
  return G_SOURCE_REMOVE;
}

/* On the render thread: one at a time, so rasterising plots takes one
 * core at most beside the UI and the job's workers. The thread is the
 * pool's own (exclusive) and lives as long as the process: it keeps its
 * nice, and the cairo temporaries it frees stay in its malloc arena for
 * the next image instead of in whichever arena a shared pool thread
 * brought (see vi-thread.h). */
static void
replay_thread (gpointer data,
               gpointer user_data)
{
  Replay *r = data;
  static _Thread_local gboolean niced;

  /* Between the UI thread (0) and the jobs' workers (10, vi-run.c): with
   * 2 cores, a job flat out and this thread busy stroking eight earlier
   * runs, the UI thread must still get a core at once, while the plots
   * keep up ahead of the job. */
  if (!niced)
    {
      vi_thread_set_nice (5);
      niced = TRUE;
    }

  r->image = rasterise (r->recording, r->image, r->w, r->h, r->scale);
  g_idle_add_full (G_PRIORITY_DEFAULT, replay_landed, r, NULL);
}

/* Takes @recording. */
static void
start_replay (ViPlotCache     *cache,
              cairo_surface_t *recording,
              guint64          generation)
{
  static GThreadPool *pool;
  Replay *r = g_new0 (Replay, 1);

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (replay_thread, NULL, 1, TRUE, NULL));
  r->cache = cache_ref (cache);
  r->recording = recording;
  r->w = cache->w;
  r->h = cache->h;
  r->scale = cache->scale;
  r->generation = generation;
  /* recycle () keeps only images of the cache's size. */
  if (cache->spare != NULL)
    {
      r->image = g_steal_pointer (&cache->spare);
      /* Here, not on the render thread: a snapshot cairo still keeps of
       * it (a render node GTK has not let go) gets its own copy now. */
      cairo_surface_flush (r->image);
    }
  cache->rendering = TRUE;
  g_thread_pool_push (pool, r, NULL);
}

/* The figure drawn into a recording surface of device pixels. */
static cairo_surface_t *
record (ViFigure *figure,
        int       width,
        int       height,
        int       scale)
{
  cairo_surface_t *rec = cairo_recording_surface_create (
    CAIRO_CONTENT_COLOR_ALPHA, &(cairo_rectangle_t) { 0, 0, width * scale, height * scale });
  cairo_t *cr = cairo_create (rec);

  cairo_scale (cr, scale, scale);
  vi_figure_draw (figure, cr, width, height);
  cairo_destroy (cr);
  return rec;
}

/* The figure drawn straight into a new image, or NULL. */
static cairo_surface_t *
draw_image (ViFigure *figure,
            int       width,
            int       height,
            int       scale)
{
  cairo_t *cr = image_context (width * scale, height * scale, scale);

  if (cr == NULL)
    return NULL;
  vi_figure_draw (figure, cr, width, height);
  return image_finish (cr, scale);
}

gint64
vi_plot_cache_update (ViPlotCache *cache,
                      ViFigure    *figure,
                      int          width,
                      int          height,
                      int          scale,
                      gboolean     dark)
{
  int w = width * scale, h = height * scale;
  gboolean same = cache->image != NULL && w == cache->w && h == cache->h
                  && scale == cache->scale && dark == cache->dark;
  gboolean behind = cache->rendering || cache->pending != NULL;
  gint64 t0 = g_get_monotonic_time ();

  if (same && !cache->dirty && !(synchronous && behind))
    return 0;
  cache->dirty = FALSE;
  cache->generation++;
  if (same && cache->live && !synchronous)
    {
      /* Recorded now, rasterised on a worker; the old image stays on
       * screen until it lands. */
      cairo_surface_t *rec = record (figure, width, height, scale);

      if (cache->rendering)
        {
          g_clear_pointer (&cache->pending, cairo_surface_destroy);
          cache->pending = rec;
          cache->pending_gen = cache->generation;
        }
      else
        start_replay (cache, rec, cache->generation);
      return g_get_monotonic_time () - t0;
    }
  /* At once; a replay in flight or waiting is older, so it is dropped. */
  g_clear_pointer (&cache->pending, cairo_surface_destroy);
  if (same)
    recycle (cache, g_steal_pointer (&cache->image));
  else
    {
      g_clear_pointer (&cache->image, cairo_surface_destroy);
      g_clear_pointer (&cache->retired, cairo_surface_destroy);
      g_clear_pointer (&cache->spare, cairo_surface_destroy);
    }
  cache->image = draw_image (figure, width, height, scale);
  cache->w = w;
  cache->h = h;
  cache->scale = scale;
  cache->dark = dark;
  cache->image_gen = cache->generation;
  return g_get_monotonic_time () - t0;
}

void
vi_plot_cache_paint (ViPlotCache *cache,
                     cairo_t     *cr)
{
  if (cache->image == NULL)
    return;
  cairo_set_source_surface (cr, cache->image, 0, 0);
  cairo_paint (cr);
}

gboolean
vi_plot_cache_is_rendering (ViPlotCache *cache)
{
  return cache->rendering;
}

guint
vi_plot_cache_images_made (void)
{
  return (guint) g_atomic_int_get (&images_made);
}

void
vi_plot_cache_set_synchronous (gboolean sync)
{
  synchronous = sync;
  /* GTK reuses a widget's last render node until it is queued for a
   * draw: those behind must draw again. */
  for (guint i = 0; sync && all_caches != NULL && i < all_caches->len; i++)
    {
      ViPlotCache *cache = g_ptr_array_index (all_caches, i);
      g_autoptr(GtkWidget) owner = g_weak_ref_get (&cache->owner);

      if (owner != NULL && (cache->dirty || cache->rendering || cache->pending != NULL))
        gtk_widget_queue_draw (owner);
    }
}
