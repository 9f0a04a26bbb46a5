/* vi-optim.h — stochastic-gradient optimisers for maximising an objective
 * over an unconstrained vector (positive parameters are passed in log space)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>

#include <glib.h>

G_BEGIN_DECLS

/* Optimisers (all ascend: x ← x + step):
 *   rm       Robbins–Monro, ρ_t = ρ₀ (τ + t)^−κ, step ρ_t g.
 *   adagrad  ρ₀ g / sqrt(Σ_{s≤t} g_s²) per component (Ranganath et al. 2014,
 *            §3; Duchi et al. 2011).
 *   adam     Kingma & Ba 2015 with β₁ = 0.9, β₂ = 0.999, ε = 1e-8, and an
 *            optional decaying rate (vi_optimizer_set_schedule).
 * t counts from 1. */
typedef struct _ViOptimizer ViOptimizer;

/* NULL-terminated, static. */
const char *const *vi_optimizer_list_names        (void);
/* Default ρ₀ of optimiser @name, or NaN for an unknown name. */
double             vi_optimizer_default_step_size (const char *name);

/* (transfer full) An optimiser of type @name for @dim ≥ 1 parameters (its
 * state is on the heap, of any size) with base step @step_size > 0. Returns NULL and sets @error
 * naming "optimizer" or "step-size" on bad values. */
ViOptimizer *vi_optimizer_create   (const char   *name,
                                    size_t        dim,
                                    double        step_size,
                                    GError      **error);
void         vi_optimizer_free     (ViOptimizer  *opt);
const char  *vi_optimizer_get_name (ViOptimizer  *opt);
/* Step schedule: Robbins–Monro ρ_t = ρ₀ (τ + t)^−κ (defaults τ = 1,
 * κ = 0.6; κ ∈ (0.5, 1] for the Robbins–Monro conditions); Adam's rate
 * ρ₀ (τ/(τ + t))^κ (default: constant, τ = 0); ignored by AdaGrad. */
void         vi_optimizer_set_schedule (ViOptimizer *opt,
                                        double       tau,
                                        double       kappa);
/* One ascent step on @x (dim) with gradient @grad (dim). Returns VI_OK, or
 * VI_ENONFINITE (x untouched) if @grad or the new x is not finite. */
int          vi_optimizer_step     (ViOptimizer  *opt,
                                    double       *x,
                                    const double *grad);
/* Number of steps taken. */
size_t       vi_optimizer_get_iteration (ViOptimizer *opt);

G_END_DECLS
