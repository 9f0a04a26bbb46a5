/* vi-optim.c — Robbins–Monro, AdaGrad and Adam behind one const table
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-optim.h"
#include "vi-status.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define VI_OPTIM_X86 1
#endif

typedef struct
{
  const char *name;
  double default_step;
  /* Writes the proposed step for gradient g into dx and the would-be new
   * state into m, v (committed only if the step is finite); t ≥ 1. */
  void (*direction) (ViOptimizer *opt, const double *g, double *dx, double *m, double *v);
} ViOptimizerType;

struct _ViOptimizer
{
  const ViOptimizerType *type;
  size_t dim;
  size_t t;
  double step;
  double tau, kappa;
  double adam_tau, adam_kappa;
  double *m;       /* AdaGrad: Σ g²; Adam: first moment */
  double *v;       /* Adam: second moment */
  double *dx, *m_new, *v_new;  /* the step and the would-be state */
  double block[];  /* the five arrays above, dim each */
};

static void
rm_direction (ViOptimizer *opt, const double *g, double *dx, double *m, double *v)
{
  double rho = opt->step * pow (opt->tau + (double) opt->t, -opt->kappa);

  for (size_t i = 0; i < opt->dim; i++)
    dx[i] = rho * g[i];
}

static void
adagrad_direction (ViOptimizer *opt, const double *g, double *dx, double *m, double *v)
{
  for (size_t i = 0; i < opt->dim; i++)
    {
      m[i] = opt->m[i] + g[i] * g[i];
      dx[i] = m[i] > 0.0 ? opt->step * g[i] / sqrt (m[i]) : 0.0;
    }
}

static void
adam_direction (ViOptimizer *opt, const double *g, double *dx, double *m, double *v)
{
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  double c1 = 1.0 - pow (b1, (double) opt->t), c2 = 1.0 - pow (b2, (double) opt->t);
  /* A decaying rate ρ₀ (τ/(τ + t))^κ lets the noisy iterate settle; with a
   * constant rate Adam keeps jittering at a level set by ρ₀. */
  double decay = opt->adam_tau > 0.0
                 ? pow (opt->adam_tau / (opt->adam_tau + (double) opt->t), opt->adam_kappa) : 1.0;
  double rate = opt->step * decay;

  for (size_t i = 0; i < opt->dim; i++)
    {
      m[i] = b1 * opt->m[i] + (1.0 - b1) * g[i];
      v[i] = b2 * opt->v[i] + (1.0 - b2) * g[i] * g[i];
      dx[i] = rate * (m[i] / c1) / (sqrt (v[i] / c2) + eps);
    }
}

static const ViOptimizerType optimizer_types[] = {
  { "rm", 0.002, rm_direction },
  { "adagrad", 0.1, adagrad_direction },
  { "adam", 0.05, adam_direction },
};

static const char *const optimizer_names[] = { "rm", "adagrad", "adam", NULL };

const char *const *
vi_optimizer_list_names (void)
{
  return optimizer_names;
}

static const ViOptimizerType *
lookup (const char *name)
{
  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS (optimizer_types); i++)
    if (strcmp (optimizer_types[i].name, name) == 0)
      return &optimizer_types[i];
  return NULL;
}

double
vi_optimizer_default_step_size (const char *name)
{
  const ViOptimizerType *type = lookup (name);

  return type != NULL ? type->default_step : NAN;
}

ViOptimizer *
vi_optimizer_create (const char  *name,
                     size_t       dim,
                     double       step_size,
                     GError     **error)
{
  const ViOptimizerType *type = lookup (name);
  ViOptimizer *opt;

  if (type == NULL)
    {
      g_set_error (error, VI_ERROR, VI_EINVAL,
                   "optimizer: unknown optimizer '%s' (valid: rm, adagrad, adam)",
                   name != NULL ? name : "(null)");
      return NULL;
    }
  if (!(isfinite (step_size) && step_size > 0.0))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "step-size: must be > 0 (got %g)", step_size);
      return NULL;
    }
  g_assert (dim >= 1);
  /* One allocation for the optimiser, its state and a step's scratch. */
  opt = g_malloc0 (sizeof (ViOptimizer) + 5 * dim * sizeof (double));
  opt->type = type;
  opt->dim = dim;
  opt->m = opt->block;
  opt->v = opt->m + dim;
  opt->dx = opt->v + dim;
  opt->m_new = opt->dx + dim;
  opt->v_new = opt->m_new + dim;
  opt->step = step_size;
  opt->tau = 1.0;
  opt->kappa = 0.6;
  opt->adam_tau = 0.0;
  opt->adam_kappa = 0.0;
  return opt;
}

void
vi_optimizer_free (ViOptimizer *opt)
{
  g_free (opt);
}

const char *
vi_optimizer_get_name (ViOptimizer *opt)
{
  return opt->type->name;
}

void
vi_optimizer_set_schedule (ViOptimizer *opt,
                           double       tau,
                           double       kappa)
{
  if (opt->type == &optimizer_types[2])
    {
      opt->adam_tau = tau;
      opt->adam_kappa = kappa;
    }
  else
    {
      opt->tau = tau;
      opt->kappa = kappa;
    }
}

void
vi_optimizer_set_step_size (ViOptimizer *opt,
                            double       step_size)
{
  g_return_if_fail (opt != NULL);
  g_return_if_fail (isfinite (step_size) && step_size > 0.0);
  opt->step = step_size;
}

double
vi_optimizer_get_step_size (ViOptimizer *opt)
{
  g_return_val_if_fail (opt != NULL, NAN);
  return opt->step;
}

size_t
vi_optimizer_get_iteration (ViOptimizer *opt)
{
  return opt->t;
}

int
vi_optimizer_step (ViOptimizer  *opt,
                   double       *x,
                   const double *grad)
{
  double *dx = opt->dx, *m = opt->m_new, *v = opt->v_new;
  size_t bytes = opt->dim * sizeof (double);

  for (size_t i = 0; i < opt->dim; i++)
    if (!isfinite (grad[i]))
      return VI_ENONFINITE;
  memcpy (m, opt->m, bytes);
  memcpy (v, opt->v, bytes);
  opt->t++;
  opt->type->direction (opt, grad, dx, m, v);
  for (size_t i = 0; i < opt->dim; i++)
    if (!isfinite (x[i] + dx[i]))
      {
        opt->t--;
        return VI_ENONFINITE;
      }
  /* Commit the state only once the step is known to be finite. */
  memcpy (opt->m, m, bytes);
  memcpy (opt->v, v, bytes);
  for (size_t i = 0; i < opt->dim; i++)
    x[i] += dx[i];
  return VI_OK;
}

/* ---- Adam in float32 ---- */

struct _ViAdamF32
{
  size_t dim;
  size_t t;
  float lr, beta1, beta2, eps;
  float *m, *v;
  float state[];  /* m and v, dim each */
};

ViAdamF32 *
vi_adam_f32_create (size_t   dim,
                    float    lr,
                    float    beta1,
                    float    beta2,
                    float    eps,
                    GError **error)
{
  const struct { const char *rule; float value; gboolean ok; } checks[] = {
    { "learning-rate: must be > 0", lr, isfinite (lr) && lr > 0.0f },
    { "beta1: must be in [0, 1)", beta1, beta1 >= 0.0f && beta1 < 1.0f },
    { "beta2: must be in [0, 1)", beta2, beta2 >= 0.0f && beta2 < 1.0f },
    { "epsilon: must be > 0", eps, isfinite (eps) && eps > 0.0f },
  };
  ViAdamF32 *adam;

  if (dim == 0)
    {
      g_set_error (error, VI_ERROR, VI_EINVAL, "dim: must be >= 1 (got 0)");
      return NULL;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (checks); i++)
    if (!checks[i].ok)
      {
        g_set_error (error, VI_ERROR, VI_EDOM, "%s (got %g)", checks[i].rule,
                     (double) checks[i].value);
        return NULL;
      }
  if (dim > (G_MAXSIZE - sizeof (ViAdamF32)) / (2 * sizeof (float))
      || (adam = g_try_malloc0 (sizeof (ViAdamF32) + 2 * dim * sizeof (float))) == NULL)
    {
      g_set_error (error, VI_ERROR, VI_ENOMEM, "dim: no memory for the state of %zu floats",
                   dim);
      return NULL;
    }
  adam->dim = dim;
  adam->lr = lr;
  adam->beta1 = beta1;
  adam->beta2 = beta2;
  adam->eps = eps;
  adam->m = adam->state;
  adam->v = adam->m + dim;
  return adam;
}

void
vi_adam_f32_free (ViAdamF32 *adam)
{
  g_free (adam);
}

size_t
vi_adam_f32_get_iteration (ViAdamF32 *adam)
{
  return adam->t;
}

gboolean
vi_adam_f32_set_learning_rate (ViAdamF32  *adam,
                               float       lr,
                               GError    **error)
{
  if (!(isfinite (lr) && lr > 0.0f))
    {
      g_set_error (error, VI_ERROR, VI_EDOM, "learning-rate: must be > 0 (got %g)", (double) lr);
      return FALSE;
    }
  adam->lr = lr;
  return TRUE;
}

static void
adam_update_ref (float       *x,
                 float       *m,
                 float       *v,
                 const float *grad,
                 size_t       n,
                 float        b1,
                 float        b2,
                 float        rate,
                 float        eps)
{
  float c1 = 1.0f - b1, c2 = 1.0f - b2;

  for (size_t i = 0; i < n; i++)
    {
      float g = grad[i];

      m[i] = b1 * m[i] + c1 * g;
      v[i] = b2 * v[i] + c2 * (g * g);
      x[i] += rate * m[i] / (sqrtf (v[i]) + eps);
    }
}

#ifdef VI_OPTIM_X86
#define AVX2 __attribute__ ((target ("avx2,fma")))

/* The same update, 8 lanes at a time (the same operations, so the same
 * rounding up to the FMA's single rounding). */
AVX2 static void
adam_update_avx2 (float       *x,
                  float       *m,
                  float       *v,
                  const float *grad,
                  size_t       n,
                  float        b1,
                  float        b2,
                  float        rate,
                  float        eps)
{
  __m256 vb1 = _mm256_set1_ps (b1), vb2 = _mm256_set1_ps (b2);
  __m256 vc1 = _mm256_set1_ps (1.0f - b1), vc2 = _mm256_set1_ps (1.0f - b2);
  __m256 vrate = _mm256_set1_ps (rate), veps = _mm256_set1_ps (eps);
  size_t i = 0;

  for (; i + 8 <= n; i += 8)
    {
      __m256 g = _mm256_loadu_ps (grad + i);
      __m256 mi = _mm256_fmadd_ps (vb1, _mm256_loadu_ps (m + i), _mm256_mul_ps (vc1, g));
      __m256 vi = _mm256_fmadd_ps (vb2, _mm256_loadu_ps (v + i),
                                   _mm256_mul_ps (vc2, _mm256_mul_ps (g, g)));
      __m256 step = _mm256_div_ps (_mm256_mul_ps (vrate, mi),
                                   _mm256_add_ps (_mm256_sqrt_ps (vi), veps));

      _mm256_storeu_ps (m + i, mi);
      _mm256_storeu_ps (v + i, vi);
      _mm256_storeu_ps (x + i, _mm256_add_ps (_mm256_loadu_ps (x + i), step));
    }
  adam_update_ref (x + i, m + i, v + i, grad + i, n - i, b1, b2, rate, eps);
}

static gboolean
have_avx2 (void)
{
  static gsize once = 0;
  static gboolean yes;

  if (g_once_init_enter (&once))
    {
      __builtin_cpu_init ();
      yes = __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
      g_once_init_leave (&once, 1);
    }
  return yes;
}
#endif

gboolean
vi_f32_all_finite (const float *x,
                   size_t       n)
{
  guint32 bad = 0;

  /* An exponent of all ones is an infinity or a NaN; an OR over integers
   * vectorises, where isfinite() with an early exit does not. */
  for (size_t i = 0; i < n; i++)
    {
      guint32 bits;

      memcpy (&bits, x + i, sizeof bits);
      bad |= (bits & 0x7f800000u) == 0x7f800000u;
    }
  return bad == 0;
}

void
vi_adam_f32_begin (ViAdamF32     *adam,
                   ViAdamF32Step *step)
{
  double t, bc1, bc2;

  adam->t++;
  t = (double) adam->t;
  bc1 = 1.0 - pow ((double) adam->beta1, t);
  bc2 = 1.0 - pow ((double) adam->beta2, t);
  step->rate = (float) ((double) adam->lr * sqrt (bc2) / bc1);
  step->eps = (float) ((double) adam->eps * sqrt (bc2));
}

void
vi_adam_f32_update_range (ViAdamF32           *adam,
                          const ViAdamF32Step *step,
                          float               *x,
                          const float         *grad,
                          size_t               from,
                          size_t               to)
{
  g_return_if_fail (from <= to && to <= adam->dim);
#ifdef VI_OPTIM_X86
  if (have_avx2 ())
    {
      adam_update_avx2 (x + from, adam->m + from, adam->v + from, grad + from, to - from,
                        adam->beta1, adam->beta2, step->rate, step->eps);
      return;
    }
#endif
  adam_update_ref (x + from, adam->m + from, adam->v + from, grad + from, to - from,
                   adam->beta1, adam->beta2, step->rate, step->eps);
}

int
vi_adam_f32_ascend (ViAdamF32   *adam,
                    float       *x,
                    const float *grad)
{
  ViAdamF32Step step;

  /* Check everything before changing anything: x and the state stay as they
   * were on failure. */
  if (!vi_f32_all_finite (grad, adam->dim) || !vi_f32_all_finite (x, adam->dim))
    return VI_ENONFINITE;
  vi_adam_f32_begin (adam, &step);
  vi_adam_f32_update_range (adam, &step, x, grad, 0, adam->dim);
  return VI_OK;
}

size_t
vi_adam_f32_get_dim (ViAdamF32 *adam)
{
  return adam->dim;
}

float *
vi_adam_f32_get_m (ViAdamF32 *adam)
{
  return adam->m;
}

float *
vi_adam_f32_get_v (ViAdamF32 *adam)
{
  return adam->v;
}

void
vi_adam_f32_set_iteration (ViAdamF32 *adam,
                           size_t     t)
{
  adam->t = t;
}
