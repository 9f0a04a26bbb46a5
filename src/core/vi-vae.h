/* vi-vae.h — a variational autoencoder with a Bernoulli decoder, float32
 * over cblas_sgemm (seed 2.4; Kingma & Welling 2014; REFERENCES.md §4)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Encoder: x → ReLU(W₁x + b₁) → … → (μ, log σ²); decoder: z → ReLU(…) →
 * logits of the pixels' Bernoulli means, the hidden sizes mirrored. For a
 * batch of B images and S samples z_s = μ + σ ∘ ε_s each:
 *   ELBO(x) = (1/S) Σ_s Σ_pixels [x l_s − softplus(l_s)] − KL(q(z|x) ‖ N(0, I)),
 *   KL = −½ Σ_j (1 + log σ²_j − μ_j² − σ²_j)   (analytic, REFERENCES.md §4).
 * All parameters live in one flat float vector (weights row-major, out ×
 * in, then the bias, layer after layer: encoder, μ head, log σ² head,
 * decoder), and so does the gradient, for Adam.
 */
#pragma once

#include <stddef.h>

#include <glib.h>
#include <gsl/gsl_rng.h>

G_BEGIN_DECLS

#define VI_VAE_MAX_HIDDEN 4

typedef struct
{
  size_t n_in;                        /* pixels, e.g. 784 */
  guint  n_hidden;                    /* hidden layers of the encoder (1 … 4) */
  size_t hidden[VI_VAE_MAX_HIDDEN];   /* their sizes, encoder order */
  size_t latent;                      /* dimension of z */
} ViVaeArch;

/* Checks @arch; errors (VI_EDOM) name "hidden" or "latent". */
gboolean  vi_vae_arch_check     (const ViVaeArch *arch,
                                 GError         **error);
/* Parameters of @arch (weights and biases). */
size_t    vi_vae_arch_n_params  (const ViVaeArch *arch);
/* Multiply–adds of the matrix products of one training step per image and
 * sample (forward and backward; the first layer needs no input gradient). */
double    vi_vae_arch_flops     (const ViVaeArch *arch);

typedef struct _ViVae ViVae;

/* (transfer full) A model whose layers start as PyTorch's nn.Linear does:
 * weights and biases uniform in ±1/√fan_in, from @rng. Workspaces for
 * batches of up to @max_batch images with @samples samples each. */
ViVae    *vi_vae_create         (const ViVaeArch *arch,
                                 size_t           max_batch,
                                 guint            samples,
                                 gsl_rng         *rng,
                                 GError         **error);
/* (transfer full) A worker of @master for data-parallel steps: its own
 * workspaces (batches of up to @max_batch × the master's samples) over the
 * master's parameters, which it reads and never frees; free it before
 * the master. */
ViVae    *vi_vae_create_worker  (ViVae           *master,
                                 size_t           max_batch,
                                 GError         **error);
void      vi_vae_free           (ViVae           *vae);
const ViVaeArch *vi_vae_get_arch (const ViVae    *vae);
size_t    vi_vae_get_n_params   (const ViVae     *vae);
/* (transfer none) The flat parameters, writable (Adam steps them). */
float    *vi_vae_get_params     (ViVae           *vae);

typedef struct
{
  double elbo;            /* Σ over the batch's images */
  double reconstruction;  /* Σ over images of the mean over samples of log p(x|z) */
  double kl;              /* Σ over images */
} ViVaeTerms;

/* Evaluates a batch of @n images @x (n × n_in, values in [0, 1]) with the
 * noise @eps (n × samples × latent standard normals); with @grad not NULL
 * also the gradient of the batch's mean ELBO per image (n_params floats,
 * overwritten). Returns VI_OK, VI_EINVAL (n = 0 or above max_batch), or
 * VI_ENONFINITE. */
int       vi_vae_batch          (ViVae           *vae,
                                 const float     *x,
                                 size_t           n,
                                 const float     *eps,
                                 float           *grad,
                                 ViVaeTerms      *terms);

/* The encoder's μ and log σ² of @n images (n × latent each; either may be
 * NULL). */
int       vi_vae_encode         (ViVae           *vae,
                                 const float     *x,
                                 size_t           n,
                                 float           *mu,
                                 float           *logvar);
/* Pixel means sigmoid(logits) of @n latent points @z (n × latent) into
 * @out (n × n_in). */
int       vi_vae_decode         (ViVae           *vae,
                                 const float     *z,
                                 size_t           n,
                                 float           *out);

/* The importance-weighted bound (Burda et al. 2016) of each of @n images
 * with @k samples from @rng: log (1/k) Σ_i p(x, z_i) / q(z_i | x), into
 * @out (n doubles). */
int       vi_vae_iwae           (ViVae           *vae,
                                 const float     *x,
                                 size_t           n,
                                 guint            k,
                                 gsl_rng         *rng,
                                 double          *out);

/* Naive references for the tests: y (n × out) = x (n × in) Wᵀ + b, and the
 * softplus log-likelihood x l − log(1 + e^l) summed over @m values, stable
 * for large |l|. */
void      vi_vae_dense_naive    (float           *y,
                                 const float     *x,
                                 const float     *w,
                                 const float     *b,
                                 size_t           n,
                                 size_t           in,
                                 size_t           out);
double    vi_vae_bernoulli_loglik (const float   *x,
                                   const float   *logits,
                                   size_t         m);

/* The output layer of one image: returns Σ x l − softplus(l) over @m
 * pixels and, when @d is not NULL, writes @d = (x − sigmoid(l)) · @scale.
 * The AVX2 version (libmvec's expf and logf) and its float reference. */
double    vi_vae_bernoulli_out     (const float  *x,
                                    const float  *logits,
                                    float        *d,
                                    size_t        m,
                                    float         scale);
double    vi_vae_bernoulli_out_ref (const float  *x,
                                    const float  *logits,
                                    float        *d,
                                    size_t        m,
                                    float         scale);

/* Where the decoder's parameters start in the flat vector of @arch; they
 * run to its end (vi_vae_arch_n_params − offset floats), in the same
 * layout. */
size_t    vi_vae_arch_decoder_offset (const ViVaeArch *arch);
/* Pixel means sigmoid(logits) of one latent point @z (arch->latent) into
 * @out (arch->n_in), from the decoder's parameters @decoder alone (the
 * floats from vi_vae_arch_decoder_offset on): a small decoder for one
 * image at a time without a ViVae, e.g. on the UI thread from a snapshot.
 * Naive loops in double; agrees with vi_vae_decode to float rounding. */
void      vi_vae_decode_params  (const ViVaeArch *arch,
                                 const float     *decoder,
                                 const float     *z,
                                 float           *out);

G_END_DECLS
