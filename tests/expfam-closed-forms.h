/* expfam-closed-forms.h — the closed forms of REFERENCES.md §1, written out
 * independently of src/core so tests can check the library and the CLI
 * against them
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>
#include <string.h>
#include <glib.h>
#include <gsl/gsl_sf_psi.h>

typedef struct
{
  int dim;
  double eta[2];
  double log_partition;
  double mean[2];
  double fisher_eta[4];
  double fisher_theta[4];
} ClosedForm;

/* Fills @cf for @family at θ; returns FALSE for an unknown family. */
static inline gboolean
closed_form (const char   *family,
             const double *th,
             ClosedForm   *cf)
{
  memset (cf, 0, sizeof *cf);
  if (strcmp (family, "poisson") == 0)
    {
      double l = th[0];
      cf->dim = 1;
      cf->eta[0] = log (l);
      cf->log_partition = l;
      cf->mean[0] = l;
      cf->fisher_eta[0] = l;
      cf->fisher_theta[0] = 1.0 / l;
    }
  else if (strcmp (family, "exponential") == 0)
    {
      double l = th[0];
      cf->dim = 1;
      cf->eta[0] = -l;
      cf->log_partition = -log (l);
      cf->mean[0] = 1.0 / l;
      cf->fisher_eta[0] = 1.0 / (l * l);
      cf->fisher_theta[0] = 1.0 / (l * l);
    }
  else if (strcmp (family, "bernoulli") == 0)
    {
      double p = th[0];
      cf->dim = 1;
      cf->eta[0] = log (p / (1.0 - p));
      cf->log_partition = -log (1.0 - p);
      cf->mean[0] = p;
      cf->fisher_eta[0] = p * (1.0 - p);
      cf->fisher_theta[0] = 1.0 / (p * (1.0 - p));
    }
  else if (strcmp (family, "gaussian") == 0 || strcmp (family, "lognormal") == 0)
    {
      double mu = th[0], s = th[1];
      cf->dim = 2;
      cf->eta[0] = mu / s;
      cf->eta[1] = -1.0 / (2.0 * s);
      cf->log_partition = mu * mu / (2.0 * s) + 0.5 * log (s);
      cf->mean[0] = mu;
      cf->mean[1] = mu * mu + s;
      cf->fisher_eta[0] = s;
      cf->fisher_eta[1] = cf->fisher_eta[2] = 2.0 * mu * s;
      cf->fisher_eta[3] = 4.0 * mu * mu * s + 2.0 * s * s;
      cf->fisher_theta[0] = 1.0 / s;
      cf->fisher_theta[3] = 1.0 / (2.0 * s * s);
    }
  else if (strcmp (family, "gamma") == 0)
    {
      double a = th[0], b = th[1];
      cf->dim = 2;
      cf->eta[0] = a - 1.0;
      cf->eta[1] = -b;
      cf->log_partition = lgamma (a) - a * log (b);
      cf->mean[0] = gsl_sf_psi (a) - log (b);
      cf->mean[1] = a / b;
      cf->fisher_eta[0] = gsl_sf_psi_1 (a);
      cf->fisher_eta[1] = cf->fisher_eta[2] = 1.0 / b;
      cf->fisher_eta[3] = a / (b * b);
      cf->fisher_theta[0] = gsl_sf_psi_1 (a);
      cf->fisher_theta[1] = cf->fisher_theta[2] = -1.0 / b;
      cf->fisher_theta[3] = a / (b * b);
    }
  else if (strcmp (family, "beta") == 0)
    {
      double a = th[0], b = th[1], t_ab = gsl_sf_psi_1 (a + b);
      cf->dim = 2;
      cf->eta[0] = a - 1.0;
      cf->eta[1] = b - 1.0;
      cf->log_partition = lgamma (a) + lgamma (b) - lgamma (a + b);
      cf->mean[0] = gsl_sf_psi (a) - gsl_sf_psi (a + b);
      cf->mean[1] = gsl_sf_psi (b) - gsl_sf_psi (a + b);
      cf->fisher_eta[0] = gsl_sf_psi_1 (a) - t_ab;
      cf->fisher_eta[1] = cf->fisher_eta[2] = -t_ab;
      cf->fisher_eta[3] = gsl_sf_psi_1 (b) - t_ab;
      memcpy (cf->fisher_theta, cf->fisher_eta, sizeof cf->fisher_eta);
    }
  else
    return FALSE;
  return TRUE;
}

/* Parameter sets used across the tests: several per family, including
 * awkward ones (small shapes, extreme p, negative means). */
typedef struct
{
  const char *family;
  double theta[2];
} ParamCase;

static const ParamCase param_cases[] = {
  { "poisson", { 0.3 } }, { "poisson", { 4.0 } }, { "poisson", { 57.5 } },
  { "exponential", { 0.05 } }, { "exponential", { 1.5 } }, { "exponential", { 30.0 } },
  { "bernoulli", { 0.001 } }, { "bernoulli", { 0.3 } }, { "bernoulli", { 0.97 } },
  { "gaussian", { 0.0, 1.0 } }, { "gaussian", { -3.5, 0.2 } }, { "gaussian", { 12.0, 40.0 } },
  { "gamma", { 0.4, 2.0 } }, { "gamma", { 2.5, 1.5 } }, { "gamma", { 30.0, 0.1 } },
  { "lognormal", { 0.0, 0.25 } }, { "lognormal", { -1.0, 1.5 } }, { "lognormal", { 2.0, 0.01 } },
  { "beta", { 2.0, 5.0 } }, { "beta", { 0.5, 0.5 } }, { "beta", { 40.0, 3.0 } },
};
