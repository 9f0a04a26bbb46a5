/* vi-vae-page-help.c — the vae page's "What am I seeing?" texts, written
 * from what each figure shows (numbers from the live snapshot)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "vi-vae-page-private.h"
#include "vi-vae-views.h"

static gboolean
has_trace (const ViVaeSnapshot *s)
{
  return s != NULL && s->trace_len > 0;
}

static char *
help_elbo (const ViVaeSnapshot *s)
{
  g_autofree char *now = NULL;

  if (has_trace (s))
    {
      guint i = s->trace_len - 1;

      /* Translators: the last point of the ELBO curves: epochs, the train
       * and test ELBO, the reconstruction term and the KL, in nats */
      now = g_strdup_printf (_(" After %.2f epochs: train ELBO %.1f, test ELBO %.1f nats per "
                               "image = reconstruction %.1f − KL %.1f; %.2f s of training at "
                               "%.1f GFLOP/s."),
                             s->trace_epoch[i], s->trace_train_elbo[i], s->trace_test_elbo[i],
                             s->trace_reconstruction[i], s->trace_kl[i], s->seconds,
                             s->gflops);
      if (isfinite (s->test_iwae))
        {
          g_autofree char *more = g_strdup_printf (_(" The importance-weighted bound on the "
                                                     "test set is %.1f nats, closer to "
                                                     "log p(x) than the ELBO."),
                                                   s->test_iwae);

          char *both = g_strconcat (now, more, NULL);

          g_free (now);
          now = both;
        }
    }
  return g_strdup_printf (_("Top: the ELBO per image in nats (higher is better) on the "
                            "training batches and on the test set, and its first term, "
                            "how well the decoder rebuilds a test image from a sample of "
                            "its code, E_q[log p(x|z)]. Bottom: the second term, "
                            "KL(q(z|x) ‖ N(0, I)), the nats the codes spend away from the "
                            "prior; the ELBO is the reconstruction minus the KL. Earlier runs "
                            "are drawn faded.%s"), now != NULL ? now : "");
}

static char *
help_showcase (const ViVaeSnapshot *s)
{
  g_autofree char *now = NULL;

  if (has_trace (s))
    /* Translators: the test reconstruction term, in nats per image */
    now = g_strdup_printf (_(" The decoder now gives a test image %.1f nats of log-likelihood "
                             "on average."), s->trace_reconstruction[s->trace_len - 1]);
  return g_strdup_printf (_("%u fixed test images (odd rows) and, beneath each, the mean of "
                            "the decoder's Bernoulli pixels for its code (even rows). Early "
                            "in training every reconstruction is the same blurred average; "
                            "as the ELBO rises they take each image's shape, then its "
                            "details.%s"), VI_VAE_SHOWCASE, now != NULL ? now : "");
}

static char *
help_latent (const ViVaeSnapshot *s)
{
  if (s != NULL && s->arch.latent > 2)
    return g_strdup_printf (_("%u test images placed by their code: the encoder's mean μ has "
                              "%u dimensions here, so the plot shows its first two principal "
                              "components. Colours are the classes, which the VAE never saw: "
                              "images alike land together."), s->n_scatter,
                            (guint) s->arch.latent);
  return g_strdup_printf (_("%u test images placed by their code, the encoder's mean μ in "
                            "the two-dimensional latent space; colours are the classes, which "
                            "the VAE never saw, yet images alike land together. The prior is "
                            "N(0, I): most points lie within 2 or 3 of the origin. Drag over "
                            "the plane to decode the point under the cursor; click a point "
                            "to see its image; pick two and interpolate; or sample the "
                            "prior."), s != NULL ? s->n_scatter : 0);
}

static char *
help_manifold (const ViVaeSnapshot *s)
{
  if (s != NULL && s->arch.latent != 2)
    return g_strdup (_("The decoded manifold needs a latent dimension of 2: set Latent "
                       "dimension to 2 and run again."));
  return g_strdup_printf (_("The decoder over a %u × %u grid of the latent plane, at the "
                            "standard-normal quantiles Φ⁻¹(p) for evenly spaced p, so each "
                            "image stands for an equal share of the prior. Neighbours "
                            "change smoothly: the decoder has learnt a continuous map from "
                            "the plane to images."), VI_VAE_MANIFOLD_SIDE, VI_VAE_MANIFOLD_SIDE);
}

static char *
help_kl (const ViVaeSnapshot *s)
{
  if (s == NULL || s->kl_per_dim == NULL)
    return g_strdup (_("The test KL of each latent dimension: a dimension whose KL stays "
                       "near 0 is unused (its code is the prior whatever the image); the "
                       "others are the active units."));
  /* Translators: %u of %u: the active latent dimensions of all */
  return g_strdup_printf (_("The test KL of each latent dimension in nats per image: %u of "
                            "%u dimensions are active (KL above 0.01 nats); the rest are "
                            "unused, their code the prior whatever the image. A VAE with "
                            "more dimensions than it needs switches the spare ones off."),
                          s->active_units, (guint) s->arch.latent);
}

char *
vi_vae_page_dup_help (ViVaePlot            plot,
                      const ViVaeSnapshot *s)
{
  switch (plot)
    {
    case VI_VAE_PLOT_ELBO:
      return help_elbo (s);
    case VI_VAE_PLOT_SHOWCASE:
      return help_showcase (s);
    case VI_VAE_PLOT_LATENT:
    case VI_VAE_PLOT_TOUCH:
    case VI_VAE_PLOT_GENERATED:
      return help_latent (s);
    case VI_VAE_PLOT_MANIFOLD:
      return help_manifold (s);
    case VI_VAE_PLOT_KL:
    case VI_VAE_N_PLOTS:
    default:
      return help_kl (s);
    }
}
