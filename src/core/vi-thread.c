/* vi-thread.c — threads that outlive the work they run, reused newest first
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#ifdef __linux__
#include <unistd.h>
#include <sys/resource.h>
#endif

#include "vi-thread.h"

struct _ViThread
{
  GThread *thread;
  GMutex lock;
  GCond cond;
  GThreadFunc func;             /* the work, or NULL while idle */
  gpointer data, result;
  int nice;
  gboolean has_nice;
  gboolean done;                /* func returned; waiting for the join */
};

static GMutex idle_lock;
static GQueue idle = G_QUEUE_INIT; /* ViThread, most recently idle first */
static guint n_threads;

static gboolean
get_nice (int *nice)
{
#ifdef __linux__
  int value;

  errno = 0;
  value = getpriority (PRIO_PROCESS, (id_t) gettid ());
  if (value == -1 && errno != 0)
    return FALSE;
  *nice = value;
  return TRUE;
#else
  (void) nice;
  return FALSE;
#endif
}

void
vi_thread_set_nice (int nice)
{
#ifdef __linux__
  int current;

  if (get_nice (&current) && current != nice)
    (void) setpriority (PRIO_PROCESS, (id_t) gettid (), nice);
#else
  (void) nice;
#endif
}

static gpointer
thread_main (gpointer data)
{
  ViThread *t = data;

  g_mutex_lock (&t->lock);
  for (;;)
    {
      GThreadFunc func;
      gpointer result;

      while (t->func == NULL || t->done)
        g_cond_wait (&t->cond, &t->lock);
      func = t->func;
      if (t->has_nice)
        vi_thread_set_nice (t->nice);
      g_mutex_unlock (&t->lock);

      result = func (t->data);

      g_mutex_lock (&t->lock);
      t->result = result;
      t->done = TRUE;
      g_cond_broadcast (&t->cond);
    }
  return NULL;
}

ViThread *
vi_thread_start (GThreadFunc   func,
                 gpointer      data,
                 GError      **error)
{
  ViThread *t;
  gboolean fresh = FALSE;

  g_return_val_if_fail (func != NULL, NULL);

  g_mutex_lock (&idle_lock);
  t = g_queue_pop_head (&idle);
  g_mutex_unlock (&idle_lock);
  if (t == NULL)
    {
      t = g_new0 (ViThread, 1);
      g_mutex_init (&t->lock);
      g_cond_init (&t->cond);
      fresh = TRUE;
    }

  g_mutex_lock (&t->lock);
  t->func = func;
  t->data = data;
  t->result = NULL;
  t->done = FALSE;
  t->has_nice = get_nice (&t->nice);
  g_cond_broadcast (&t->cond);
  g_mutex_unlock (&t->lock);

  if (fresh)
    {
      t->thread = g_thread_try_new ("vi-thread", thread_main, t, error);
      if (t->thread == NULL)
        {
          g_mutex_clear (&t->lock);
          g_cond_clear (&t->cond);
          g_free (t);
          return NULL;
        }
      g_atomic_int_inc (&n_threads);
    }
  return t;
}

gpointer
vi_thread_join (ViThread *t)
{
  gpointer result;

  g_return_val_if_fail (t != NULL, NULL);

  g_mutex_lock (&t->lock);
  while (!t->done)
    g_cond_wait (&t->cond, &t->lock);
  result = t->result;
  t->func = NULL;
  t->data = NULL;
  t->result = NULL;
  t->done = FALSE;
  g_mutex_unlock (&t->lock);

  g_mutex_lock (&idle_lock);
  g_queue_push_head (&idle, t);
  g_mutex_unlock (&idle_lock);
  return result;
}

guint
vi_thread_count (void)
{
  return (guint) g_atomic_int_get (&n_threads);
}
