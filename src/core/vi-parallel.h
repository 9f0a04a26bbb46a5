/* vi-parallel.h — a parallel-for over a fixed worker pool, one random stream
 * per task, the shared cancel flag, and reductions whose result does not
 * depend on the number of threads
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>

#include <glib.h>
#include <gsl/gsl_rng.h>

G_BEGIN_DECLS

/* A pool of worker threads, started once by vi_parallel_create() and reused
 * by every vi_parallel_for() until vi_parallel_free(). The thread calling
 * vi_parallel_for() is worker 0 and helps; one pool serves one caller at a
 * time (it is not itself thread-safe). */
typedef struct _ViParallel ViParallel;

/* What a task is told. @rng is the worker's generator, re-seeded before the
 * task to stream @stream_base + @index of the run's @seed (vi_rng_reset), so
 * what a task draws depends only on its index, never on the worker or the
 * number of threads. @worker (< vi_parallel_get_n_workers) indexes per-worker
 * scratch the caller allocated; two tasks never run on the same worker at
 * once. A long task may poll @cancel itself (may be NULL). */
typedef struct
{
  size_t      index;
  guint       worker;
  gsl_rng    *rng;
  const gint *cancel;
} ViParallelTask;

/* Runs one task; returns VI_OK or a ViStatus that stops the loop. Results go
 * to per-task slots (indexed by @task->index) the caller reduces in task
 * order afterwards, e.g. with vi_parallel_sum() or vi_parallel_reduce_rows(). */
typedef int (*ViParallelTaskFunc) (const ViParallelTask *task,
                                   gpointer              user_data);

/* (transfer full) A pool of @n_threads workers (0: one per processor),
 * counting the caller. If the system refuses a thread the pool runs with
 * fewer. Returns NULL and sets @error naming "n-threads" when @n_threads >
 * VI_PARALLEL_MAX_THREADS, or VI_ENOMEM if a generator cannot be allocated. */
#define VI_PARALLEL_MAX_THREADS 1024
ViParallel *vi_parallel_create        (guint        n_threads,
                                       GError     **error);
/* Stops and joins the workers; NULL is ignored. */
void        vi_parallel_free          (ViParallel  *par);
guint       vi_parallel_get_n_workers (ViParallel  *par);

/* Runs @fn for task indices 0 … @n_tasks − 1, each exactly once, spread over
 * the workers, and returns when all started tasks have finished. Tasks are
 * started in increasing index order; before starting one, a worker checks
 * *@cancel (g_atomic_int_get; may be NULL) and whether a task failed, and
 * then starts no more. Returns VI_OK, VI_ECANCELLED if the cancel flag was
 * seen or a task returned it, else the status of the lowest-indexed failing
 * task (the same for any number of threads, since every task below a
 * started one has started). */
int         vi_parallel_for           (ViParallel         *par,
                                       size_t              n_tasks,
                                       guint64             seed,
                                       guint64             stream_base,
                                       ViParallelTaskFunc  fn,
                                       gpointer            user_data,
                                       const gint         *cancel);

/* Σ @x[0 … n−1] by pairwise summation in a fixed order (blocks of 8 added
 * left to right, blocks combined as a balanced tree): bit-identical for the
 * same input whatever thread filled it, and an error O(ε log n). */
double      vi_parallel_sum           (const double *x,
                                       size_t        n);

/* Sums the @n_rows rows of @width values stored one after another in
 * @slots (row i = the output of task i) into row 0, in place, as a fixed
 * pairwise tree: row i += row i + s for s = 1, 2, 4, … The other rows are
 * overwritten. The _f32 version adds in float. */
void        vi_parallel_reduce_rows     (double *slots,
                                         size_t  n_rows,
                                         size_t  width);
void        vi_parallel_reduce_rows_f32 (float  *slots,
                                         size_t  n_rows,
                                         size_t  width);

G_END_DECLS
