/* vi-parallel.c — fixed worker pool with dynamic task claiming
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdatomic.h>

#include "vi-parallel.h"
#include "vi-rng.h"
#include "vi-status.h"
#include "vi-thread.h"

/* One vi_parallel_for() call. Workers claim task indices from @next in
 * increasing order; @stop is raised by the first failure or cancel. */
typedef struct
{
  size_t n_tasks;
  guint64 seed, stream_base;
  ViParallelTaskFunc fn;
  gpointer user_data;
  const gint *cancel;
  atomic_size_t next;
  atomic_int stop;
  GMutex lock;             /* guards the three fields below */
  gboolean cancelled;
  size_t fail_index;
  int fail_status;
} Job;

typedef struct
{
  ViParallel *par;
  guint index;
} Helper;

struct _ViParallel
{
  guint n_workers;          /* the caller (worker 0) and the helpers */
  guint n_slots;            /* length of the arrays below */
  ViThread **threads;       /* helpers 1 … n_workers − 1 */
  Helper *helpers;
  gsl_rng **rngs;           /* one per worker */
  GMutex lock;
  GCond wake, idle;
  guint64 generation;       /* bumped for each job */
  guint busy;               /* helpers still inside the current job */
  gboolean quit;
  Job *job;
};

static void
job_fail (Job    *job,
          size_t  index,
          int     status)
{
  g_mutex_lock (&job->lock);
  if (status == VI_ECANCELLED)
    job->cancelled = TRUE;
  else if (index < job->fail_index)
    {
      job->fail_index = index;
      job->fail_status = status;
    }
  g_mutex_unlock (&job->lock);
  atomic_store (&job->stop, 1);
}

static void
job_work (Job     *job,
          guint    worker,
          gsl_rng *rng)
{
  for (;;)
    {
      ViParallelTask task = { 0, worker, rng, job->cancel };
      int status;

      if (atomic_load (&job->stop))
        return;
      if (job->cancel != NULL && g_atomic_int_get (job->cancel))
        {
          job_fail (job, 0, VI_ECANCELLED);
          return;
        }
      task.index = atomic_fetch_add (&job->next, 1);
      if (task.index >= job->n_tasks)
        return;
      vi_rng_reset (rng, job->seed, job->stream_base + task.index);
      status = job->fn (&task, job->user_data);
      if (status != VI_OK)
        job_fail (job, task.index, status);
    }
}

static gpointer
helper_main (gpointer data)
{
  Helper *h = data;
  ViParallel *par = h->par;
  guint64 seen = 0;

  g_mutex_lock (&par->lock);
  for (;;)
    {
      Job *job;

      while (!par->quit && par->generation == seen)
        g_cond_wait (&par->wake, &par->lock);
      if (par->quit)
        break;
      seen = par->generation;
      job = par->job;
      g_mutex_unlock (&par->lock);
      job_work (job, h->index, par->rngs[h->index]);
      g_mutex_lock (&par->lock);
      if (--par->busy == 0)
        g_cond_signal (&par->idle);
    }
  g_mutex_unlock (&par->lock);
  return NULL;
}

ViParallel *
vi_parallel_create (guint    n_threads,
                    GError **error)
{
  ViParallel *par;
  guint n;

  if (n_threads > VI_PARALLEL_MAX_THREADS)
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "n-threads: must be at most %d (got %u)",
                   VI_PARALLEL_MAX_THREADS, n_threads);
      return NULL;
    }
  n = n_threads > 0 ? n_threads : MAX (1, (guint) g_get_num_processors ());
  n = MIN (n, VI_PARALLEL_MAX_THREADS);
  par = g_new0 (ViParallel, 1);
  g_mutex_init (&par->lock);
  g_cond_init (&par->wake);
  g_cond_init (&par->idle);
  par->rngs = g_new0 (gsl_rng *, n);
  par->threads = g_new0 (ViThread *, n);
  par->helpers = g_new0 (Helper, n);
  par->n_workers = 1;
  par->n_slots = n;
  for (guint i = 0; i < n; i++)
    if ((par->rngs[i] = gsl_rng_alloc (gsl_rng_mt19937)) == NULL)
      {
        vi_parallel_free (par);
        g_set_error (error, VI_ERROR, VI_ENOMEM, "n-threads: out of memory for %u workers", n);
        return NULL;
      }
  for (guint i = 1; i < n; i++)
    {
      par->helpers[i] = (Helper) { par, i };
      par->threads[i] = vi_thread_start (helper_main, &par->helpers[i], NULL);
      if (par->threads[i] == NULL)
        break;  /* run with the workers we have */
      par->n_workers = i + 1;
    }
  return par;
}

void
vi_parallel_free (ViParallel *par)
{
  if (par == NULL)
    return;
  g_mutex_lock (&par->lock);
  par->quit = TRUE;
  g_cond_broadcast (&par->wake);
  g_mutex_unlock (&par->lock);
  for (guint i = 1; i < par->n_workers; i++)
    vi_thread_join (par->threads[i]);
  for (guint i = 0; i < par->n_slots; i++)
    if (par->rngs[i] != NULL)
      gsl_rng_free (par->rngs[i]);
  g_free (par->rngs);
  g_free (par->threads);
  g_free (par->helpers);
  g_mutex_clear (&par->lock);
  g_cond_clear (&par->wake);
  g_cond_clear (&par->idle);
  g_free (par);
}

guint
vi_parallel_get_n_workers (ViParallel *par)
{
  return par->n_workers;
}

int
vi_parallel_for (ViParallel         *par,
                 size_t              n_tasks,
                 guint64             seed,
                 guint64             stream_base,
                 ViParallelTaskFunc  fn,
                 gpointer            user_data,
                 const gint         *cancel)
{
  Job job = { n_tasks, seed, stream_base, fn, user_data, cancel };
  int status;

  atomic_init (&job.next, 0);
  atomic_init (&job.stop, 0);
  g_mutex_init (&job.lock);
  job.fail_index = SIZE_MAX;
  job.fail_status = VI_OK;
  if (n_tasks > 1 && par->n_workers > 1)
    {
      g_mutex_lock (&par->lock);
      par->job = &job;
      par->busy = par->n_workers - 1;
      par->generation++;
      g_cond_broadcast (&par->wake);
      g_mutex_unlock (&par->lock);
    }
  job_work (&job, 0, par->rngs[0]);
  g_mutex_lock (&par->lock);
  while (par->busy > 0)
    g_cond_wait (&par->idle, &par->lock);
  par->job = NULL;
  g_mutex_unlock (&par->lock);
  status = job.cancelled ? VI_ECANCELLED : job.fail_status;
  g_mutex_clear (&job.lock);
  return status;
}

double
vi_parallel_sum (const double *x,
                 size_t        n)
{
  double s = 0.0;

  if (n > 8)
    {
      size_t half = ((n / 8 + 1) / 2) * 8;  /* a multiple of 8, so blocks stay whole */

      return vi_parallel_sum (x, half) + vi_parallel_sum (x + half, n - half);
    }
  for (size_t i = 0; i < n; i++)
    s += x[i];
  return s;
}

/* row[i] += row[i + s] for s = 1, 2, 4, …, rows of @width floats (@f32) or
 * doubles. */
static void
reduce_tree (void     *slots,
             size_t    n_rows,
             size_t    width,
             gboolean  f32)
{
  for (size_t s = 1; s < n_rows; s *= 2)
    for (size_t i = 0; i + s < n_rows; i += 2 * s)
      {
        if (f32)
          {
            float *restrict d = (float *) slots + i * width;
            const float *restrict x = d + s * width;

            for (size_t j = 0; j < width; j++)
              d[j] += x[j];
          }
        else
          {
            double *restrict d = (double *) slots + i * width;
            const double *restrict x = d + s * width;

            for (size_t j = 0; j < width; j++)
              d[j] += x[j];
          }
      }
}

void
vi_parallel_reduce_rows (double *slots,
                         size_t  n_rows,
                         size_t  width)
{
  reduce_tree (slots, n_rows, width, FALSE);
}

void
vi_parallel_reduce_rows_f32 (float  *slots,
                             size_t  n_rows,
                             size_t  width)
{
  reduce_tree (slots, n_rows, width, TRUE);
}
