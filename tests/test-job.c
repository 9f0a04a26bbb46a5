/* test-job.c — the job protocol: LIVE edits between steps (vi_job_apply)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vi-bbvi-job.h"
#include "vi-expfam-job.h"
#include "vi-job.h"
#include "vi-status.h"

#define BBVI_PARAMS "{'synthetic-n': <int64 40>, 'seed': <int64 7>, " \
                    "'estimators': <'naive,cv'>, 'samples': <int64 20>, " \
                    "'iterations': <int64 120>, 'step-size': <0.05>}"

static GVariant *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *v = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  return v;
}

static ViJob *
new_job (const ViJobType *type,
         const char      *params)
{
  g_autoptr(GError) error = NULL;
  ViJob *job = vi_job_create (type, parse (params), &error);

  g_assert_no_error (error);
  g_assert_nonnull (job);
  return job;
}

static void
step_to (ViJob   *job,
         guint64  iteration)
{
  while (vi_job_get_iteration (job) < iteration)
    g_assert_cmpint (vi_job_step (job, NULL), ==, VI_CONTINUE);
}

static void
finish (ViJob *job)
{
  int status;

  while ((status = vi_job_step (job, NULL)) == VI_CONTINUE)
    ;
  g_assert_cmpint (status, ==, VI_OK);
}

static void
apply_ok (ViJob      *job,
          const char *edits)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vi_job_apply (job, parse (edits), &error));
  g_assert_no_error (error);
}

/* Element-wise equality of two traces' first @len entries, bit for bit. */
static gboolean
traces_equal (const ViBbviTrace *a,
              const ViBbviTrace *b,
              size_t             len,
              size_t             dim)
{
  return memcmp (a->elbo, b->elbo, len * sizeof (double)) == 0
         && memcmp (a->elbo_estimate, b->elbo_estimate, len * sizeof (double)) == 0
         && memcmp (a->params, b->params, len * dim * sizeof (double)) == 0;
}

/* A step-size edit at step 50 keeps the iteration count and the traces so
 * far, changes what follows, and two jobs given the same edit at the same
 * step end equal. */
static void
test_bbvi_step_size (void)
{
  ViJob *a = new_job (&vi_bbvi_job_type, BBVI_PARAMS);
  ViJob *b = new_job (&vi_bbvi_job_type, BBVI_PARAMS);
  ViJob *plain = new_job (&vi_bbvi_job_type, BBVI_PARAMS);
  ViBbviSnapshot *sa, *sb, *sp;
  double step = 0;

  step_to (a, 50);
  step_to (b, 50);
  apply_ok (a, "{'step-size': <0.4>}");
  g_assert_cmpuint (vi_job_get_iteration (a), ==, 50);
  sa = vi_job_snapshot (a);
  g_assert_cmpuint (sa->iteration, ==, 50);
  g_assert_cmpuint (sa->traces[0].len, ==, 50);
  vi_bbvi_snapshot_free (sa);
  g_assert_true (g_variant_lookup (vi_job_get_params (a), "step-size", "d", &step));
  g_assert_cmpfloat (step, ==, 0.4);
  g_assert_true (g_variant_lookup (vi_job_get_valid_params (a), "step-size", "d", &step));
  g_assert_cmpfloat (step, ==, 0.4);
  apply_ok (b, "{'step-size': <0.4>}");
  finish (a);
  finish (b);
  finish (plain);

  sa = vi_job_snapshot (a);
  sb = vi_job_snapshot (b);
  sp = vi_job_snapshot (plain);
  g_assert_cmpuint (sa->iteration, ==, 120);
  for (size_t k = 0; k < sa->n_traces; k++)
    {
      g_assert_cmpuint (sa->traces[k].len, ==, 120);
      g_assert_true (traces_equal (&sa->traces[k], &sb->traces[k], 120, sa->dim));
      /* Before the edit: the unedited run; after it: not. */
      g_assert_true (traces_equal (&sa->traces[k], &sp->traces[k], 51, sa->dim));
      g_assert_false (traces_equal (&sa->traces[k], &sp->traces[k], 120, sa->dim));
    }
  vi_bbvi_snapshot_free (sa);
  vi_bbvi_snapshot_free (sb);
  vi_bbvi_snapshot_free (sp);
  vi_job_free (a);
  vi_job_free (b);
  vi_job_free (plain);
}

/* Only LIVE keys; refused values leave the job as it was. */
static void
test_refuses (void)
{
  ViJob *job = new_job (&vi_bbvi_job_type, BBVI_PARAMS);
  g_autoptr(GVariant) before = g_variant_ref (vi_job_get_params (job));
  const char *bad[] = { "{'samples': <int64 5>}", "{'seed': <int64 2>}",
                        "{'step-size': <-1.0>}", "{'no-such-key': <1.0>}" };

  step_to (job, 3);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (vi_job_apply (job, parse (bad[i]), &error));
      g_assert_error (error, VI_ERROR, (i == 2 ? (int) VI_EDOM : (int) VI_EINVAL));
      g_assert_true (g_variant_equal (vi_job_get_params (job), before));
      g_assert_cmpuint (vi_job_get_iteration (job), ==, 3);
    }
  g_assert_true (vi_job_edits_are_live (&vi_bbvi_job_type, parse ("{'step-size': <1.0>, "
                                                                   "'threads': <int64 2>}")));
  g_assert_false (vi_job_edits_are_live (&vi_bbvi_job_type, parse ("{'counts-file': <'x'>}")));
  g_assert_true (vi_job_edits_are_live (&vi_expfam_job_type, parse ("{'coordinate': <int64 1>, "
                                                                     "'batch': <int64 9>}")));
  g_assert_false (vi_job_edits_are_live (&vi_expfam_job_type, parse ("{'n': <int64 9>}")));
  vi_job_free (job);
}

/* expfam's batch is live: the draws come from one stream in order, so the
 * histogram after n draws does not depend on the batching. */
static void
test_expfam_batch (void)
{
  const char *params = "{'family': <'gamma'>, 'n': <int64 3000>, 'batch': <int64 100>}";
  ViJob *a = new_job (&vi_expfam_job_type, params);
  ViJob *plain = new_job (&vi_expfam_job_type, params);
  ViExpfamSnapshot *sa, *sp;

  step_to (a, 5);
  apply_ok (a, "{'batch': <int64 5000>}");
  g_assert_cmpuint (vi_job_get_iteration (a), ==, 5);
  g_assert_cmpint (vi_job_step (a, NULL), ==, VI_OK);
  finish (plain);
  sa = vi_job_snapshot (a);
  sp = vi_job_snapshot (plain);
  g_assert_cmpuint (sa->iteration, ==, 6);
  g_assert_cmpuint (sp->iteration, ==, 30);
  g_assert_cmpuint (sa->n_drawn, ==, 3000);
  g_assert_cmpmem (sa->counts, sizeof sa->counts, sp->counts, sizeof sp->counts);
  g_assert_cmpuint (sa->n_outside, ==, sp->n_outside);
  vi_expfam_snapshot_free (sa);
  vi_expfam_snapshot_free (sp);
  vi_job_free (a);
  vi_job_free (plain);
}

/* vi_job_merge_params keeps the given form and validates the result. */
static void
test_merge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) given = parse ("{'samples': <int64 7>}");
  g_autoptr(GVariant) merged = NULL;
  gint64 samples = 0;
  double step = 0;

  merged = vi_job_merge_params (&vi_bbvi_job_type, given, parse ("{'step-size': <0.3>}"),
                                &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (merged), ==, 2);
  g_assert_true (g_variant_lookup (merged, "samples", "x", &samples));
  g_assert_cmpint (samples, ==, 7);
  g_assert_true (g_variant_lookup (merged, "step-size", "d", &step));
  g_assert_cmpfloat (step, ==, 0.3);
  g_assert_null (vi_job_merge_params (&vi_bbvi_job_type, given, parse ("{'step-size': <0.0>}"),
                                      &error));
  g_assert_error (error, VI_ERROR, VI_EDOM);
}

/* Snapshots are shared boxes: a reference is the same memory, and it
 * outlives the job and the first holder. */
static void
test_snapshot_ref (void)
{
  ViJob *job = new_job (&vi_bbvi_job_type, BBVI_PARAMS);
  ViBbviSnapshot *s, *t;
  ViExpfamSnapshot *e, *f;

  step_to (job, 10);
  s = vi_job_snapshot (job);
  t = vi_job_snapshot_ref (s);
  g_assert_true (s == t);
  vi_job_free (job);
  vi_bbvi_snapshot_free (s);
  g_assert_cmpuint (t->iteration, ==, 10);
  g_assert_cmpuint (t->traces[1].len, ==, 10);
  vi_bbvi_snapshot_free (t);

  job = new_job (&vi_expfam_job_type, "{'family': <'poisson'>}");
  step_to (job, 2);
  e = vi_job_snapshot (job);
  f = vi_job_snapshot_ref (e);
  g_assert_true (e == f);
  vi_job_snapshot_free (job, e);
  vi_job_free (job);
  g_assert_cmpuint (f->iteration, ==, 2);
  g_assert_cmpuint (f->trace_len, ==, 2);
  vi_expfam_snapshot_free (f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/job/apply-bbvi-step-size", test_bbvi_step_size);
  g_test_add_func ("/core/job/apply-refuses", test_refuses);
  g_test_add_func ("/core/job/apply-expfam-batch", test_expfam_batch);
  g_test_add_func ("/core/job/merge-params", test_merge);
  g_test_add_func ("/core/job/snapshot-ref", test_snapshot_ref);
  return g_test_run ();
}
