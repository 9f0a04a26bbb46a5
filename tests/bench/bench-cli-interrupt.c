/* bench-cli-interrupt.c — how long `elbo-lab-cli` takes to stop after SIGINT
 * (issue #9: within 100 ms, exit 130, nothing written)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts a long run, lets it work for 300 ms, sends SIGINT and times the
 * gap until the process has exited, over 20 runs of each kind of job:
 * an optimisation and a variance sweep (work inside one step). Prints the
 * median and the maximum, and fails if a run did not exit 130 or left its
 * --csv file behind.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#define RUNS 20

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Milliseconds from SIGINT to exit, or a negative value on a failure. */
static double
one_run (const char *cli,
         const char *csv,
         const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GPid pid;
  int status;
  gint64 t0, t1;

  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, (gpointer) "--csv");
  g_ptr_array_add (argv, (gpointer) csv);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_async (NULL, (char **) argv->pdata, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                      | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error))
    {
      fprintf (stderr, "bench-cli-interrupt: %s\n", error->message);
      return -1;
    }
  g_usleep (300 * 1000);
  t0 = g_get_monotonic_time ();
  kill (pid, SIGINT);
  if (waitpid (pid, &status, 0) != pid)
    return -1;
  t1 = g_get_monotonic_time ();
  g_spawn_close_pid (pid);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 130)
    {
      fprintf (stderr, "bench-cli-interrupt: exit status %d, not 130\n", status);
      return -1;
    }
  if (g_file_test (csv, G_FILE_TEST_EXISTS))
    {
      fprintf (stderr, "bench-cli-interrupt: %s was written\n", csv);
      return -1;
    }
  return (double) (t1 - t0) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  static const char *const optimize[] = { "bbvi", "--synthetic", "50", "--samples", "1000",
                                          "--iterations", "100000000", NULL };
  static const char *const variance[] = { "bbvi", "--synthetic", "50", "--variance",
                                          "--samples", "1000", "--repeats", "10000000",
                                          "--threads", "2", NULL };
  static const struct { const char *name; const char *const *args; } kinds[] = {
    { "optimize (cv, S = 1000)", optimize },
    { "variance (R = 10^7 in one step, 2 threads)", variance },
  };
  const char *cli = g_getenv ("ELBO_LAB_CLI");
  g_autofree char *dir = g_dir_make_tmp ("bench-interrupt-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "out.csv", NULL);
  gboolean ok = TRUE;

  if (cli == NULL)
    cli = argc > 1 ? argv[1] : "src/cli/elbo-lab-cli";
  printf ("SIGINT → exit of elbo-lab-cli, %d runs each (target ≤ 100 ms)\n", RUNS);
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      double ms[RUNS];

      for (int r = 0; r < RUNS; r++)
        {
          ms[r] = one_run (cli, csv, kinds[k].args);
          if (ms[r] < 0)
            {
              ok = FALSE;
              break;
            }
        }
      if (!ok)
        break;
      qsort (ms, RUNS, sizeof ms[0], cmp_double);
      printf ("  %-44s median %6.2f ms, max %6.2f ms\n", kinds[k].name,
              (ms[RUNS / 2 - 1] + ms[RUNS / 2]) / 2, ms[RUNS - 1]);
    }
  g_rmdir (dir);
  return ok ? 0 : 1;
}
