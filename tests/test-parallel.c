/* test-parallel.c — the worker pool: results independent of the thread
 * count, every task once, cancel, status propagation and the reductions
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#ifdef __linux__
#include <unistd.h>
#include <sys/resource.h>
#endif

#include <gsl/gsl_errno.h>

#include "vi-core-autocleanups.h"
#include "vi-parallel.h"
#include "vi-rng.h"
#include "vi-status.h"
#include "vi-thread.h"
#include "vi-test-util.h"

static const guint thread_counts[] = { 1, 2, 3, 8 };

typedef struct
{
  double *slots;      /* n_tasks × width */
  size_t width;
  gint *runs;         /* times each task ran */
  guint n_workers;
  gint bad_worker;
  size_t fail_at[2];  /* tasks returning fail_status[] */
  int fail_status[2];
  gulong sleep_us;
} Work;

static int
work_task (const ViParallelTask *task,
           gpointer              data)
{
  Work *w = data;

  if (w->runs != NULL)
    g_atomic_int_inc (&w->runs[task->index]);
  if (task->worker >= w->n_workers)
    g_atomic_int_set (&w->bad_worker, 1);
  if (w->sleep_us > 0)
    g_usleep (w->sleep_us);
  for (int f = 0; f < 2; f++)
    if (w->fail_status[f] != VI_OK && task->index == w->fail_at[f])
      return w->fail_status[f];
  for (size_t j = 0; w->slots != NULL && j < w->width; j++)
    {
      double s = 0.0;

      /* Enough work per task that the workers overlap. */
      for (int r = 0; r < 200; r++)
        s += log1p (gsl_rng_uniform (task->rng)) / (1.0 + (double) r);
      w->slots[task->index * w->width + j] = s;
    }
  return VI_OK;
}

static ViParallel *
pool_new (guint n_threads)
{
  g_autoptr(GError) error = NULL;
  ViParallel *par = vi_parallel_create (n_threads, &error);

  g_assert_no_error (error);
  g_assert_nonnull (par);
  return par;
}

static void
test_threads_bit_identical (void)
{
  const size_t n_tasks = 257, width = 5;
  g_autofree double *ref = NULL;
  double ref_sum = 0.0, ref_rows[5];

  for (gsize t = 0; t < G_N_ELEMENTS (thread_counts); t++)
    {
      ViParallel *par = pool_new (thread_counts[t]);
      g_autofree double *slots = g_new (double, n_tasks * width);
      Work w = { slots, width, NULL, vi_parallel_get_n_workers (par), 0, { 0, 0 },
                 { VI_OK, VI_OK }, 0 };
      double sum;

      g_assert_cmpuint (vi_parallel_get_n_workers (par), ==, thread_counts[t]);
      g_assert_cmpint (vi_parallel_for (par, n_tasks, 20240601, 7, work_task, &w, NULL), ==,
                       VI_OK);
      g_assert_cmpint (w.bad_worker, ==, 0);
      sum = vi_parallel_sum (slots, n_tasks * width);
      if (ref == NULL)
        {
          ref = g_memdup2 (slots, n_tasks * width * sizeof (double));
          ref_sum = sum;
        }
      g_assert_cmpmem (slots, n_tasks * width * sizeof (double),
                       ref, n_tasks * width * sizeof (double));
      g_assert_cmpfloat (sum, ==, ref_sum);
      vi_parallel_reduce_rows (slots, n_tasks, width);
      if (t == 0)
        memcpy (ref_rows, slots, sizeof ref_rows);
      g_assert_cmpmem (slots, sizeof ref_rows, ref_rows, sizeof ref_rows);
      vi_parallel_free (par);
    }
}

/* Task i draws from stream 7 + i of the seed, whatever worker runs it. */
static void
test_rng_streams (void)
{
  ViParallel *par = pool_new (3);
  double slots[40];
  Work w = { slots, 1, NULL, 3, 0, { 0, 0 }, { VI_OK, VI_OK }, 0 };

  g_assert_cmpint (vi_parallel_for (par, 40, 99, 7, work_task, &w, NULL), ==, VI_OK);
  for (size_t i = 0; i < 40; i++)
    {
      g_autoptr(gsl_rng) rng = vi_rng_create (99, 7 + i);
      double s = 0.0;

      for (int r = 0; r < 200; r++)
        s += log1p (gsl_rng_uniform (rng)) / (1.0 + (double) r);
      g_assert_cmpfloat (slots[i], ==, s);
    }
  vi_parallel_free (par);
}

static void
test_each_task_once (void)
{
  const size_t n_tasks = 10007;

  for (gsize t = 0; t < G_N_ELEMENTS (thread_counts); t++)
    {
      ViParallel *par = pool_new (thread_counts[t]);
      g_autofree gint *runs = g_new0 (gint, n_tasks);
      Work w = { NULL, 0, runs, vi_parallel_get_n_workers (par), 0, { 0, 0 },
                 { VI_OK, VI_OK }, 0 };

      /* The pool is reused: run several loops, including empty and single ones. */
      for (int rep = 0; rep < 3; rep++)
        {
          memset (runs, 0, n_tasks * sizeof (gint));
          g_assert_cmpint (vi_parallel_for (par, n_tasks, 1, 0, work_task, &w, NULL), ==, VI_OK);
          for (size_t i = 0; i < n_tasks; i++)
            g_assert_cmpint (runs[i], ==, 1);
          g_assert_cmpint (vi_parallel_for (par, 0, 1, 0, work_task, &w, NULL), ==, VI_OK);
          g_assert_cmpint (vi_parallel_for (par, 1, 1, 0, work_task, &w, NULL), ==, VI_OK);
          g_assert_cmpint (runs[0], ==, 2);
        }
      g_assert_cmpint (w.bad_worker, ==, 0);
      vi_parallel_free (par);
    }
}

static gpointer
raise_later (gpointer data)
{
  g_usleep (50 * 1000);
  g_atomic_int_set ((gint *) data, 1);
  return NULL;
}

static void
test_cancel (void)
{
  const size_t n_tasks = 20000;  /* 2 s of 100 µs tasks on one thread */

  for (gsize t = 0; t < G_N_ELEMENTS (thread_counts); t++)
    {
      ViParallel *par = pool_new (thread_counts[t]);
      g_autofree gint *runs = g_new0 (gint, n_tasks);
      Work w = { NULL, 0, runs, vi_parallel_get_n_workers (par), 0, { 0, 0 },
                 { VI_OK, VI_OK }, 100 };
      gint cancel = 0;
      GThread *raiser = g_thread_new ("raise", raise_later, &cancel);
      gint64 t0 = g_get_monotonic_time (), elapsed;
      size_t ran = 0;

      g_assert_cmpint (vi_parallel_for (par, n_tasks, 1, 0, work_task, &w, &cancel), ==,
                       VI_ECANCELLED);
      elapsed = g_get_monotonic_time () - t0;
      g_thread_join (raiser);
      /* Raised after 50 ms; stopping waits only for the running tasks. */
      g_assert_cmpint (elapsed, <, 1000 * 1000);
      for (size_t i = 0; i < n_tasks; i++)
        {
          g_assert_cmpint (runs[i], <=, 1);
          ran += (size_t) runs[i];
        }
      g_assert_cmpuint (ran, <, n_tasks);

      /* A flag already raised starts no task. */
      memset (runs, 0, n_tasks * sizeof (gint));
      g_assert_cmpint (vi_parallel_for (par, n_tasks, 1, 0, work_task, &w, &cancel), ==,
                       VI_ECANCELLED);
      for (size_t i = 0; i < n_tasks; i++)
        g_assert_cmpint (runs[i], ==, 0);
      vi_parallel_free (par);
    }
}

static void
test_status_propagates (void)
{
  for (gsize t = 0; t < G_N_ELEMENTS (thread_counts); t++)
    {
      ViParallel *par = pool_new (thread_counts[t]);
      Work w = { NULL, 0, NULL, vi_parallel_get_n_workers (par), 0, { 500, 37 },
                 { VI_EDOM, VI_ENONFINITE }, 0 };

      /* The lowest-indexed failure wins, for any thread count. */
      g_assert_cmpint (vi_parallel_for (par, 1000, 1, 0, work_task, &w, NULL), ==,
                       VI_ENONFINITE);
      w.fail_status[1] = VI_OK;
      g_assert_cmpint (vi_parallel_for (par, 1000, 1, 0, work_task, &w, NULL), ==, VI_EDOM);
      /* A task may report cancellation itself. */
      w.fail_status[0] = VI_ECANCELLED;
      g_assert_cmpint (vi_parallel_for (par, 1000, 1, 0, work_task, &w, NULL), ==,
                       VI_ECANCELLED);
      /* The pool still works after a failed loop. */
      w.fail_status[0] = VI_OK;
      g_assert_cmpint (vi_parallel_for (par, 1000, 1, 0, work_task, &w, NULL), ==, VI_OK);
      vi_parallel_free (par);
    }
}

static void
test_create_errors (void)
{
  g_autoptr(GError) error = NULL;
  ViParallel *par;

  g_assert_null (vi_parallel_create (VI_PARALLEL_MAX_THREADS + 1, &error));
  g_assert_error (error, VI_ERROR, VI_EINVAL);
  g_assert_nonnull (strstr (error->message, "n-threads"));
  g_assert_nonnull (strstr (error->message, "1025"));
  par = pool_new (0);
  g_assert_cmpuint (vi_parallel_get_n_workers (par), ==, g_get_num_processors ());
  vi_parallel_free (par);
  vi_parallel_free (NULL);
}

static void
test_sum (void)
{
  g_autoptr(gsl_rng) rng = vi_rng_create (20240601, 0);
  const size_t sizes[] = { 0, 1, 7, 8, 9, 16, 17, 1000, 100003 };

  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      size_t n = sizes[s];
      g_autofree double *x = g_new (double, n + 1);
      g_autofree double *ints = g_new (double, n + 1);
      long double ref = 0.0L;
      double int_ref = 0.0;

      for (size_t i = 0; i < n; i++)
        {
          x[i] = gsl_rng_uniform (rng) - 0.25;
          ints[i] = (double) (i % 97);
          ref += x[i];
          int_ref += ints[i];
        }
      /* Integers sum exactly in any order. */
      g_assert_cmpfloat (vi_parallel_sum (ints, n), ==, int_ref);
      vi_assert_close (vi_parallel_sum (x, n), (double) ref, 1e-15 * (double) n, 1e-14);
    }
}

static void
test_reduce_rows (void)
{
  g_autoptr(gsl_rng) rng = vi_rng_create (20240601, 1);

  for (size_t n_rows = 1; n_rows <= 13; n_rows++)
    {
      const size_t width = 6;
      g_autofree double *d = g_new (double, n_rows * width);
      g_autofree float *f = g_new (float, n_rows * width);
      double want_d[6] = { 0 }, want_f[6] = { 0 };

      for (size_t i = 0; i < n_rows * width; i++)
        {
          d[i] = gsl_rng_uniform (rng);
          f[i] = (float) (int) (gsl_rng_uniform (rng) * 64.0);  /* exact in float */
          want_d[i % width] += d[i];
          want_f[i % width] += f[i];
        }
      vi_parallel_reduce_rows (d, n_rows, width);
      vi_parallel_reduce_rows_f32 (f, n_rows, width);
      for (size_t j = 0; j < width; j++)
        {
          vi_assert_close (d[j], want_d[j], 0.0, 1e-15 * (double) n_rows);
          g_assert_cmpfloat ((double) f[j], ==, want_f[j]);
        }
    }
}

/* ---- kept threads (vi-thread.c) ------------------------------------------ */

static gpointer
which_thread (gpointer data)
{
  *(GThread **) data = g_thread_self ();
  return GINT_TO_POINTER (42);
}

static void
test_thread_reuse (void)
{
  GThread *first = NULL, *again = NULL;
  guint before = vi_thread_count ();
  ViThread *t;

  t = vi_thread_start (which_thread, &first, NULL);
  g_assert_nonnull (t);
  g_assert_cmpint (GPOINTER_TO_INT (vi_thread_join (t)), ==, 42);
  g_assert_nonnull (first);
  g_assert_true (first != g_thread_self ());
  g_assert_cmpuint (vi_thread_count (), <=, before + 1);
  before = vi_thread_count ();
  /* One after another, the calls share the thread: no new ones, and the
   * thread (with its malloc arena) is the same each time. */
  for (int k = 0; k < 20; k++)
    {
      again = NULL;
      t = vi_thread_start (which_thread, &again, NULL);
      g_assert_cmpint (GPOINTER_TO_INT (vi_thread_join (t)), ==, 42);
      g_assert_true (again == first);
    }
  g_assert_cmpuint (vi_thread_count (), ==, before);
}

typedef struct
{
  GMutex *lock;
  GCond *cond;
  guint *arrived;
  GThread *self;
} Meet;

/* Returns once @n_meet calls are inside at the same time (or after 10 s,
 * returning NULL): they ran on distinct threads. */
static gpointer
meet (gpointer data)
{
  Meet *m = data;
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  gboolean all = TRUE;

  m->self = g_thread_self ();
  g_mutex_lock (m->lock);
  (*m->arrived)++;
  g_cond_broadcast (m->cond);
  while (*m->arrived < 2 && all)
    all = g_cond_wait_until (m->cond, m->lock, deadline) || *m->arrived >= 2;
  g_mutex_unlock (m->lock);
  return all ? m : NULL;
}

static void
test_thread_concurrent (void)
{
  GMutex lock;
  GCond cond;
  guint arrived = 0;
  Meet a = { &lock, &cond, &arrived, NULL }, b = a;
  ViThread *ta, *tb, *tc;
  GThread *next = NULL;

  g_mutex_init (&lock);
  g_cond_init (&cond);
  ta = vi_thread_start (meet, &a, NULL);
  tb = vi_thread_start (meet, &b, NULL);
  g_assert_true (vi_thread_join (ta) == &a);
  g_assert_true (vi_thread_join (tb) == &b);
  g_assert_true (a.self != b.self);
  g_assert_cmpuint (vi_thread_count (), >=, 2);
  /* The thread joined last is the one reused first. */
  tc = vi_thread_start (which_thread, &next, NULL);
  vi_thread_join (tc);
  g_assert_true (next == b.self);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
}

#ifdef __linux__
static int
own_nice (void)
{
  return getpriority (PRIO_PROCESS, (id_t) gettid ());
}

static gpointer
report_nice (gpointer data)
{
  *(int *) data = own_nice ();
  return NULL;
}

/* A niced caller (as the app's job thread is) starts work at its nice,
 * on a kept thread made before at a lower one. */
typedef struct
{
  int want, seen;
  gboolean refused;
} Niced;

static gpointer
niced_caller (gpointer data)
{
  Niced *n = data;

  n->want = MIN (own_nice () + 3, 19);
  if (setpriority (PRIO_PROCESS, (id_t) gettid (), n->want) != 0)
    {
      n->refused = TRUE;
      return NULL;
    }
  vi_thread_join (vi_thread_start (report_nice, &n->seen, NULL));
  return NULL;
}

static void
test_thread_nice (void)
{
  Niced n = { 0, -100, FALSE };
  int seen = -100;

  vi_thread_join (vi_thread_start (report_nice, &seen, NULL));
  g_assert_cmpint (seen, ==, own_nice ());
  g_thread_join (g_thread_new ("niced-caller", niced_caller, &n));
  if (n.refused)
    {
      g_test_skip ("setpriority refused");
      return;
    }
  g_assert_cmpint (n.seen, ==, n.want);
}
#endif

int
main (int    argc,
      char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/parallel/threads-bit-identical", test_threads_bit_identical);
  g_test_add_func ("/core/parallel/rng-streams", test_rng_streams);
  g_test_add_func ("/core/parallel/each-task-once", test_each_task_once);
  g_test_add_func ("/core/parallel/cancel", test_cancel);
  g_test_add_func ("/core/parallel/status-propagates", test_status_propagates);
  g_test_add_func ("/core/parallel/create-errors", test_create_errors);
  g_test_add_func ("/core/parallel/sum", test_sum);
  g_test_add_func ("/core/parallel/reduce-rows", test_reduce_rows);
  g_test_add_func ("/core/thread/reuse", test_thread_reuse);
  g_test_add_func ("/core/thread/concurrent", test_thread_concurrent);
#ifdef __linux__
  g_test_add_func ("/core/thread/nice", test_thread_nice);
#endif
  return g_test_run ();
}
