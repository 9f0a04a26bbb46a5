/* test-cli-work.c — the runner's cost models (src/cli/vi-cli-work.c): runs
 * estimated beyond 24 hours are refused at once with exit 2 and the
 * estimate, unless --force is given
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "vi-test-idx.h"

/* Runs elbo-lab-cli with @args (NULL-terminated) and checks it is refused
 * within @max_seconds: exit 2, nothing on stdout, one line on stderr with
 * the estimate. */
static void
expect_refused (const char *const *args,
                double             max_seconds)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int wait_status = 0;
  gint64 t0 = g_get_monotonic_time ();
  double seconds;
  g_autofree char *limit = g_strdup_printf ("%.0f", 2 * max_seconds);

  g_assert_nonnull (g_getenv ("ELBO_LAB_CLI"));

  /* A run that was not refused is killed rather than left to run. */
  g_ptr_array_add (argv, (char *) "timeout");
  g_ptr_array_add (argv, (char *) "-s");
  g_ptr_array_add (argv, (char *) "KILL");
  g_ptr_array_add (argv, limit);
  g_ptr_array_add (argv, (char *) g_getenv ("ELBO_LAB_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &wait_status, &error));
  g_assert_no_error (error);
  seconds = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  g_test_message ("%s: %.2f s: %s", args[0], seconds, err);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_regex_match_simple ("^elbo-lab-cli [a-z]+: this run would take about [0-9]+ "
                                       "days; --force to run anyway\n$", err, 0, 0));
  g_assert_cmpfloat (seconds, <, max_seconds);
}

static void
test_refused (void)
{
  const char *bbvi[] = { "bbvi", "--iterations", "100000000", "--samples", "1000000", NULL };
  const char *variance[] = { "bbvi", "--variance", "--samples", "1000000", "--repeats",
                             "10000000", NULL };
  const char *gamma[] = { "bbvi", "--family", "gamma", "--estimator", "reparam", "--samples",
                          "10000", "--iterations", "10000000", NULL };
  const char *lda[] = { "lda", "--corpus", "kjv", "--topics", "1000", "--passes", "1000000",
                        NULL };

  expect_refused (bbvi, 5.0);
  expect_refused (variance, 5.0);
  expect_refused (gamma, 5.0);
  expect_refused (lda, 30.0);
}

static void
test_refused_vae (void)
{
  g_autofree char *images = NULL, *labels = NULL;
  g_autofree char *dir = vi_test_idx_write (2000, 28, &images, &labels);
  g_autofree char *spec = g_strdup_printf ("idx:%s,%s", images, labels);
  const char *vae[] = { "vae", "--data", spec, "--hidden", "2000", "--latent", "20", "--epochs",
                        "1000000", "--threads", "1", NULL };

  expect_refused (vae, 30.0);
  vi_test_idx_remove (dir);
}

/* With --force the same run starts (it is stopped by SIGINT: exit 130);
 * --force on a short run changes nothing. */
static void
test_force (void)
{
  const char *argv[] = { g_getenv ("ELBO_LAB_CLI"), "bbvi", "--iterations", "100000000",
                         "--samples", "1000000", "--force", NULL };
  const char *quick[] = { g_getenv ("ELBO_LAB_CLI"), "bbvi", "--iterations", "10", "--force",
                          NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  GPid pid;
  int status = 0;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                                | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  g_usleep (1500 * 1000);
  /* Still running: not refused. */
  g_assert_cmpint (waitpid (pid, &status, WNOHANG), ==, 0);
  kill (pid, SIGINT);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 130);
  g_spawn_close_pid (pid);

  g_assert_true (g_spawn_sync (NULL, (char **) quick, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_nonnull (strstr (out, "ELBO"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/work/refused", test_refused);
  g_test_add_func ("/cli/work/refused-vae", test_refused_vae);
  g_test_add_func ("/cli/work/force", test_force);
  return g_test_run ();
}
