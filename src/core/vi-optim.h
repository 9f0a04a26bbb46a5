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
/* Sets the base step ρ₀ (> 0 and finite) between two steps, keeping the
 * iteration count, the schedule and the moments: a run's later steps use
 * it as if it had been given from the start. */
void         vi_optimizer_set_step_size (ViOptimizer *opt,
                                         double       step_size);
double       vi_optimizer_get_step_size (ViOptimizer *opt);
/* One ascent step on @x (dim) with gradient @grad (dim). Returns VI_OK, or
 * VI_ENONFINITE (x untouched) if @grad or the new x is not finite. */
int          vi_optimizer_step     (ViOptimizer  *opt,
                                    double       *x,
                                    const double *grad);
/* Number of steps taken. */
size_t       vi_optimizer_get_iteration (ViOptimizer *opt);

/* ---- Adam in float32 over one flat vector (Kingma & Ba 2015, Alg. 1) ----
 *
 * For models with millions of parameters in float (the VAE): m and v are
 * float arrays of @dim on the heap, t counts from 1, and one step is, per
 * entry, with the bias corrections folded into the rate and ε as in the
 * paper's §2 (the same step as m̂ / (sqrt(v̂) + ε) up to rounding):
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,
 *   x ← x + α_t m / (sqrt(v) + ε_t),
 *   α_t = α sqrt(1 − β₂ᵗ) / (1 − β₁ᵗ),   ε_t = ε sqrt(1 − β₂ᵗ).
 * It ASCENDS (x moves along +g, maximising an objective such as the ELBO,
 * like vi_optimizer_step); pass −∇loss to minimise a loss. */
typedef struct _ViAdamF32 ViAdamF32;

/* (transfer full) Adam for @dim ≥ 1 floats with rate @lr > 0, β₁, β₂ in
 * [0, 1) and @eps > 0 (the paper's defaults: 1e-3, 0.9, 0.999, 1e-8).
 * Returns NULL and sets @error naming "dim", "learning-rate", "beta1",
 * "beta2" or "epsilon" on a bad value, VI_ENOMEM if the state does not fit. */
ViAdamF32 *vi_adam_f32_create        (size_t      dim,
                                      float       lr,
                                      float       beta1,
                                      float       beta2,
                                      float       eps,
                                      GError    **error);
void       vi_adam_f32_free          (ViAdamF32  *adam);
/* One ascent step on @x (dim) with gradient @grad (dim). Returns VI_OK, or
 * VI_ENONFINITE with @x and the state untouched if @grad or @x holds a NaN
 * or infinity. */
int        vi_adam_f32_ascend        (ViAdamF32   *adam,
                                      float       *x,
                                      const float *grad);
/* The same step in parts, for callers that split the vector over threads:
 * vi_adam_f32_begin counts the step and fills @step with its rate and ε;
 * vi_adam_f32_update_range then applies it to entries [from, to) of @x
 * and the state. Disjoint ranges may run concurrently; a split whose
 * cuts are multiples of 8 gives the same result, bit for bit, as
 * vi_adam_f32_ascend (any other, the same up to rounding). The caller checks
 * that @grad and @x are finite (vi_f32_all_finite) before begin. */
typedef struct
{
  float rate;
  float eps;
} ViAdamF32Step;

void       vi_adam_f32_begin         (ViAdamF32           *adam,
                                      ViAdamF32Step       *step);
void       vi_adam_f32_update_range  (ViAdamF32           *adam,
                                      const ViAdamF32Step *step,
                                      float               *x,
                                      const float         *grad,
                                      size_t               from,
                                      size_t               to);
/* Whether every one of the @n floats of @x is finite (no NaN, no
 * infinity); vectorised, for gradients of millions of entries. */
gboolean   vi_f32_all_finite         (const float         *x,
                                      size_t               n);
/* Number of steps taken. */
size_t     vi_adam_f32_get_iteration (ViAdamF32  *adam);
/* Changes the rate α for the following steps (a schedule, or a live edit);
 * the state is kept. Returns FALSE and sets @error naming "learning-rate"
 * unless @lr > 0 and finite. */
gboolean   vi_adam_f32_set_learning_rate (ViAdamF32  *adam,
                                          float       lr,
                                          GError    **error);
/* The state, for model files: dim, and (transfer none, writable) the
 * moment estimates m and v (dim floats each); set_iteration restores t
 * with them, so a restored optimiser takes the same next step. */
size_t     vi_adam_f32_get_dim       (ViAdamF32  *adam);
float     *vi_adam_f32_get_m         (ViAdamF32  *adam);
float     *vi_adam_f32_get_v         (ViAdamF32  *adam);
void       vi_adam_f32_set_iteration (ViAdamF32  *adam,
                                      size_t      t);

G_END_DECLS
