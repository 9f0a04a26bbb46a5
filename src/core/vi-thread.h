/* vi-thread.h — threads that outlive the work they run, reused newest first
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A function running on a kept thread, from vi_thread_start() until
 * vi_thread_join(). */
typedef struct _ViThread ViThread;

/* Runs @func (@data) on a thread that is kept for the next call once
 * joined: the one that became idle last, or a new one. A job's memory,
 * freed, stays in its thread's malloc arena for the next job on that
 * thread; a new thread per job would spread jobs over ever more arenas,
 * each keeping a job's worth (see vi-run.c). The function runs at the
 * scheduling priority (nice) of the thread that called this. Returns
 * NULL and sets @error if no thread can be made. */
ViThread *vi_thread_start (GThreadFunc   func,
                           gpointer      data,
                           GError      **error);
/* Waits for the function to return and returns its result; the thread is
 * idle again. Each start is joined exactly once. */
gpointer  vi_thread_join  (ViThread     *thread);
/* Gives the calling thread its own nice value (on Linux a thread has one;
 * elsewhere nothing): the UI thread stays at 0, plot rendering at 5, the
 * jobs' workers and housekeeping at 10. Failure only costs smoothness. */
void      vi_thread_set_nice (int        nice);
/* Threads made so far (busy and idle): for tests. */
guint     vi_thread_count (void);

G_END_DECLS
