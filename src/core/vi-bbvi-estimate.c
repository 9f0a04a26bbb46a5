/* vi-bbvi-estimate.c — Monte-Carlo estimators of the ELBO gradient for
 * black-box VI (REFERENCES.md §2; Ranganath, Gerrish & Blei 2014): naive,
 * leave-one-out control variates, the sufficient-statistics fit and
 * reparameterisation
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vi-bbvi.h"
#include "vi-bbvi-private.h"
#include "vi-status.h"

static const char *const estimator_names[VI_BBVI_N_ESTIMATORS] = {
  "naive", "cv", "cv-suff", "reparam", "cv-same-sample",
};

gboolean
vi_bbvi_estimator_from_name (const char      *name,
                             ViBbviEstimator *out)
{
  for (int i = 0; name != NULL && i < VI_BBVI_N_ESTIMATORS; i++)
    if (strcmp (estimator_names[i], name) == 0)
      {
        *out = (ViBbviEstimator) i;
        return TRUE;
      }
  return FALSE;
}

const char *
vi_bbvi_estimator_get_name (ViBbviEstimator estimator)
{
  g_assert ((int) estimator >= 0 && estimator < VI_BBVI_N_ESTIMATORS);
  return estimator_names[estimator];
}

size_t
vi_bbvi_estimator_min_samples (ViBbviEstimator estimator)
{
  switch (estimator)
    {
    case VI_BBVI_CV:
    case VI_BBVI_CV_SAME_SAMPLE:
      return 2;
    case VI_BBVI_CV_SUFF:
      return 3;
    case VI_BBVI_NAIVE:
    case VI_BBVI_REPARAM:
    case VI_BBVI_N_ESTIMATORS:
    default:
      return 1;
    }
}

ViBbviWorkspace *
vi_bbvi_workspace_create (size_t max_samples)
{
  ViBbviWorkspace *ws = g_try_new0 (ViBbviWorkspace, 1);

  if (ws == NULL || max_samples == 0 || max_samples > G_MAXSIZE / (8 * sizeof (double)))
    goto fail;
  ws->max_samples = max_samples;
  ws->lambda = g_try_new (double, max_samples);
  ws->w = g_try_new (double, max_samples);
  ws->h = g_try_new (double, VI_BBVI_MAX_DIM * max_samples);
  ws->f = g_try_new (double, VI_BBVI_MAX_DIM * max_samples);
  ws->q = g_try_new (double, 3 * max_samples);
  ws->iws = gsl_integration_workspace_alloc (1000);
  if (ws->lambda == NULL || ws->w == NULL || ws->h == NULL || ws->f == NULL || ws->q == NULL
      || ws->iws == NULL)
    goto fail;
  return ws;

fail:
  vi_bbvi_workspace_free (ws);
  return NULL;
}

void
vi_bbvi_workspace_free (ViBbviWorkspace *ws)
{
  if (ws == NULL)
    return;
  g_free (ws->lambda);
  g_free (ws->w);
  g_free (ws->h);
  g_free (ws->f);
  g_free (ws->q);
  if (ws->iws != NULL)
    gsl_integration_workspace_free (ws->iws);
  g_free (ws);
}

static inline double
dot (const double *x,
     const double *y,
     size_t        n)
{
  double s = 0.0;

  for (size_t i = 0; i < n; i++)
    s += x[i] * y[i];
  return s;
}

/* Least squares y ≈ X c for the S × 3 matrix X = [h, h log λ, h λ] = QR by
 * classical Gram–Schmidt with one reorthogonalisation (CGS2, as stable as
 * Householder QR for three columns). A column that is numerically dependent
 * on the previous ones gets c = 0, a zero column in Q and keep = FALSE. */
static void
suff_fit (double        *c,
          double        *q,
          double         R[3][3],
          gboolean      *keep,
          const double  *h,
          const double  *lambda,
          const double  *y,
          size_t         S)
{
  double qty[3];

  for (int j = 0; j < 3; j++)
    {
      double *v = q + (size_t) j * S;
      double norm0, norm;

      for (size_t s = 0; s < S; s++)
        v[s] = j == 0 ? h[s] : j == 1 ? h[s] * log (lambda[s]) : h[s] * lambda[s];
      norm0 = sqrt (dot (v, v, S));
      for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < j; i++)
          {
            double r;

            if (!keep[i])
              continue;
            r = dot (q + (size_t) i * S, v, S);
            R[i][j] += r;
            for (size_t s = 0; s < S; s++)
              v[s] -= r * q[(size_t) i * S + s];
          }
      norm = sqrt (dot (v, v, S));
      keep[j] = norm > 1e-12 * norm0 && norm > 0.0;
      R[j][j] = norm;
      for (size_t s = 0; s < S; s++)
        v[s] = keep[j] ? v[s] / norm : 0.0;
      qty[j] = keep[j] ? dot (v, y, S) : 0.0;
    }
  for (int j = 2; j >= 0; j--)
    {
      double r = qty[j];

      if (!keep[j])
        {
          c[j] = 0.0;
          continue;
        }
      for (int k = j + 1; k < 3; k++)
        r -= R[j][k] * c[k];
      c[j] = r / R[j][j];
    }
}

/* f − h (c₀ + c₁ log λ + c₂ λ): what the sufficient-statistic fit leaves. */
static inline double
suff_resid (const double *c,
            double        f,
            double        h,
            double        lambda)
{
  return f - h * (c[0] + c[1] * log (lambda) + c[2] * lambda);
}

/* Running mean and sum of squared deviations (Welford) of one gradient
 * component's per-sample terms. */
typedef struct
{
  double n, mean, m2;
} Terms;

static inline void
terms_add (Terms  *t,
           double  x)
{
  double delta = x - t->mean;

  t->n += 1.0;
  t->mean += delta / t->n;
  t->m2 += delta * (x - t->mean);
}

int
vi_bbvi_estimate (double *grad, double *elbo_estimate, ViBbviWorkspace *ws,
                  const ViBbviModel *model, const ViBbviFamily *family, const double *params,
                  ViBbviEstimator estimator, size_t samples, gsl_rng *rng)
{
  return vi_bbvi_estimate_var (grad, elbo_estimate, NULL, ws, model, family, params, estimator,
                               samples, rng);
}

int
vi_bbvi_estimate_var (double *grad, double *elbo_estimate, double *grad_var,
                      ViBbviWorkspace *ws, const ViBbviModel *model, const ViBbviFamily *family,
                      const double *params, ViBbviEstimator estimator, size_t samples,
                      gsl_rng *rng)
{
  const size_t S = samples, D = family->dim;
  double elbo_sum = 0.0;
  Terms terms[VI_BBVI_MAX_DIM] = { { 0 } };
  double K = model_K (model), Am1 = model_A (model) - 1.0, B = model_B (model);

  g_assert ((int) estimator >= 0 && estimator < VI_BBVI_N_ESTIMATORS);
  if (S < vi_bbvi_estimator_min_samples (estimator) || S > ws->max_samples)
    return VI_EINVAL;
  if (estimator == VI_BBVI_REPARAM && family->reparam == NULL)
    return VI_EINVAL;

  if (estimator == VI_BBVI_REPARAM)
    {
      double g[VI_BBVI_MAX_DIM];

      for (size_t d = 0; d < D; d++)
        grad[d] = 0.0;
      for (size_t s = 0; s < S; s++)
        {
          double lambda = family->reparam (model, params, rng, ws, g);

          if (isnan (lambda))
            return VI_ENONFINITE;

          elbo_sum += K + Am1 * log (lambda) - B * lambda - family->log_q (params, lambda);
          for (size_t d = 0; d < D; d++)
            {
              grad[d] += g[d];
              terms_add (&terms[d], g[d]);
            }
        }
      for (size_t d = 0; d < D; d++)
        grad[d] /= (double) S;
      goto done;
    }

  for (size_t s = 0; s < S; s++)
    {
      double lambda = family->sample (params, rng);
      double w = K + Am1 * log (lambda) - B * lambda - family->log_q (params, lambda);
      double h[VI_BBVI_MAX_DIM];

      family->score (params, lambda, h);
      ws->lambda[s] = lambda;
      ws->w[s] = w;
      elbo_sum += w;
      for (size_t d = 0; d < D; d++)
        {
          ws->h[d * S + s] = h[d];
          ws->f[d * S + s] = h[d] * w;
        }
    }

  for (size_t d = 0; d < D; d++)
    {
      const double *h = ws->h + d * S, *f = ws->f + d * S;
      double sum = 0.0;

      switch (estimator)
        {
        case VI_BBVI_NAIVE:
          for (size_t s = 0; s < S; s++)
            {
              sum += f[s];
              terms_add (&terms[d], f[s]);
            }
          grad[d] = sum / (double) S;
          break;

        case VI_BBVI_CV:
          {
            /* Leave-one-out â₋ₛ = (Σ fh − fₛhₛ)/(Σ h² − hₛ²): E[h] = 0 is known,
             * so E[fh]/E[h²] is the variance-optimal coefficient. */
            double sfh = 0.0, shh = 0.0;

            for (size_t s = 0; s < S; s++)
              {
                sfh += f[s] * h[s];
                shh += h[s] * h[s];
              }
            for (size_t s = 0; s < S; s++)
              {
                double den = shh - h[s] * h[s];
                double a = den > 0.0 ? (sfh - f[s] * h[s]) / den : 0.0;

                sum += f[s] - a * h[s];
                terms_add (&terms[d], f[s] - a * h[s]);
              }
            grad[d] = sum / (double) S;
          }
          break;

        case VI_BBVI_CV_SAME_SAMPLE:
          {
            double sfh = 0.0, shh = 0.0, sf = 0.0, sh = 0.0, a;

            for (size_t s = 0; s < S; s++)
              {
                sfh += f[s] * h[s];
                shh += h[s] * h[s];
                sf += f[s];
                sh += h[s];
              }
            /* Cov(f, h)/Var(h) from the same samples, as in the BBVI paper. */
            a = (sfh - sf * sh / (double) S) / (shh - sh * sh / (double) S);
            grad[d] = (sf - a * sh) / (double) S;
            for (size_t s = 0; grad_var != NULL && s < S; s++)
              terms_add (&terms[d], f[s] - a * h[s]);
          }
          break;

        case VI_BBVI_CV_SUFF:
          {
            /* Leave-one-out coefficients c₋ₛ keep every term
             * f_s − c₋ₛᵀ(x_s − μ) unbiased. With the full fit X = QR,
             * c, residuals r_s and leverages h_ss = |q_s|², the identities
             * c₋ₛ = c − R⁻¹q_s r_s/(1 − h_ss) and y_s − c₋ₛᵀx_s = r_s/(1 − h_ss)
             * give term_s = cᵀμ + r_s (1 − νᵀq_s)/(1 − h_ss), ν = R⁻ᵀμ, in
             * O(S). At S = 3 every h_ss = 1 and the same-sample fit is used
             * (exact, so unbiased, for the exponential and gamma families). */
            double c[3], R[3][3] = { { 0 } }, mu[3], nu[3] = { 0, 0, 0 };
            double eg[2 * VI_BBVI_MAX_DIM];
            gboolean keep[3] = { FALSE, FALSE, FALSE };
            const double *q0 = ws->q, *q1 = ws->q + S, *q2 = ws->q + 2 * S;

            suff_fit (c, ws->q, R, keep, h, ws->lambda, f, S);
            family->suff_mean (params, eg);
            mu[0] = 0.0;
            mu[1] = eg[2 * d];
            mu[2] = eg[2 * d + 1];
            for (int j = 0; j < 3; j++)
              {
                double r = mu[j];

                if (!keep[j])
                  continue;
                for (int k = 0; k < j; k++)
                  r -= R[k][j] * nu[k];
                nu[j] = r / R[j][j];
              }
            double rr = 0.0, ff = 0.0;

            /* A fit that leaves only rounding (exponential, gamma) is the
             * exact linear relation, the same for every sample: use it as is,
             * as at S = 3, since dividing its rounding by a leverage 1 − h_ss
             * near 0 (small S) would amplify it. */
            for (size_t s = 0; s < S; s++)
              {
                double r = suff_resid (c, f[s], h[s], ws->lambda[s]);

                rr += r * r;
                ff += f[s] * f[s];
              }
            for (size_t s = 0; s < S; s++)
              {
                double lev = q0[s] * q0[s] + q1[s] * q1[s] + q2[s] * q2[s];
                double t = nu[0] * q0[s] + nu[1] * q1[s] + nu[2] * q2[s];
                double r = suff_resid (c, f[s], h[s], ws->lambda[s]);
                double term = 1.0 - lev > 1e-9 && rr > 1e-24 * ff
                              ? r * (1.0 - t) / (1.0 - lev) : r;

                sum += term;
                terms_add (&terms[d], term);
              }
            grad[d] = sum / (double) S + c[1] * mu[1] + c[2] * mu[2];
          }
          break;

        case VI_BBVI_REPARAM:
        case VI_BBVI_N_ESTIMATORS:
        default:
          g_assert_not_reached ();
        }
    }

done:
  if (elbo_estimate != NULL)
    *elbo_estimate = elbo_sum / (double) S;
  if (grad_var != NULL)
    {
      /* Σ_d s²_d / S; the terms of a component share its mean, grad[d] up
       * to cv-suff's known constant, which leaves s² unchanged. */
      *grad_var = 0.0;
      for (size_t d = 0; d < D; d++)
        *grad_var += S > 1 ? terms[d].m2 / ((double) S - 1.0) / (double) S : NAN;
    }
  for (size_t d = 0; d < D; d++)
    if (!isfinite (grad[d]))
      return VI_ENONFINITE;
  return VI_OK;
}
