/* vi-expfam-explain.c — "What am I seeing?" for the figures of an
 * exponential family, written from the figure built and its snapshot (see
 * vi-view.h)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "vi-expfam-views.h"

/* "shape = 2.5, rate = 1.5" */
static char *
theta_text (const ViExpfamSnapshot *snap)
{
  const char *const *names = vi_expfam_get_param_names (snap->fam);
  GString *s = g_string_new (NULL);

  for (size_t d = 0; d < snap->dim; d++)
    g_string_append_printf (s, "%s%s = %.4g", d ? ", " : "", names[d], snap->theta[d]);
  return g_string_free (s, FALSE);
}

static const char *
suffix (const ViExpfamSnapshot *snap,
        guint                   k)
{
  return snap->dim == 1 ? "" : (k == 0 ? "₁" : "₂");
}

char *
vi_expfam_density_view_explain (ViFigure               *fig,
                                const ViExpfamSnapshot *snap,
                                const ViViewContext    *ctx)
{
  GString *out = g_string_new (NULL);
  g_autofree char *theta = theta_text (snap);

  /* Translators: the first %s is a family name, the second its parameters
   * ("shape = 2.5, rate = 1.5") */
  g_string_append_printf (out, vi_expfam_is_discrete (snap->fam)
                          ? _("The curve is the probability mass p(x | θ) of the %s family at "
                              "%s.")
                          : _("The curve is the density p(x | θ) of the %s family at %s."),
                          vi_expfam_get_name (snap->fam), theta);
  if (snap->n_drawn > 0)
    {
      /* Translators: %s is a number of draws */
      g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, snap->n_drawn);

      g_string_append_printf (out, _(" The bars are a histogram of the %s Monte-Carlo draws so "
                                     "far, scaled to unit area: as draws arrive they settle onto "
                                     "the curve."), n);
      if (snap->n_outside > 0)
        {
          g_autofree char *k = g_strdup_printf ("%" G_GUINT64_FORMAT, snap->n_outside);

          /* Translators: %s is a number of draws */
          g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                    " %s draw fell outside the plotted range.",
                                                    " %s draws fell outside the plotted range.",
                                                    (gulong) MIN (snap->n_outside, G_MAXULONG)),
                                  k);
        }
    }
  else
    g_string_append (out, _(" No draws yet."));
  return vi_view_explain_finish (out, fig, ctx);
}

char *
vi_expfam_logpartition_view_explain (ViFigure               *fig,
                                     const ViExpfamSnapshot *snap,
                                     const ViViewContext    *ctx)
{
  GString *out = g_string_new (NULL);
  guint k = ctx->coordinate < snap->dim ? ctx->coordinate : 0;

  /* Translators: η%s and t%s are a natural coordinate and its statistic
   * (η₁, t₁); the %.4g are the current η and E[t] */
  g_string_append_printf (out, _("The log-partition a(η), which normalises p(x | η) = h(x) "
                                 "exp(ηᵀt(x) − a(η)), along η%s with the other coordinates "
                                 "held fixed. It is convex, and its slope at the current η%s = "
                                 "%.4g (the dot) is E[t%s] = %.4g, the slope of the dashed "
                                 "tangent: ∇a(η) = E[t(x)]."), suffix (snap, k), suffix (snap, k),
                          snap->eta[k], suffix (snap, k), snap->mean_t[k]);
  return vi_view_explain_finish (out, fig, ctx);
}

char *
vi_expfam_fisher_view_explain (ViFigure               *fig,
                               const ViExpfamSnapshot *snap,
                               const ViViewContext    *ctx)
{
  static const char *const names[] = { "I₁₁", "I₁₂", "I₂₂" };
  ViPanel *panel = vi_figure_get_panel (fig, 0, 0);
  GString *out = g_string_new (NULL);
  g_autoptr(GString) now = g_string_new (NULL);
  size_t d = snap->dim;
  g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, snap->n_drawn);

  /* Translators: %s is a number of draws */
  g_string_append_printf (out, _("The Fisher information I(η) = ∇²a(η) = Cov[t(x)], estimated "
                                 "from the %s draws so far: each entry divided by √(Iᵢᵢ Iⱼⱼ) "
                                 "of the closed form, so the diagonal settles at 1 (dashed). "
                                 "The error shrinks like 1/√n."), n);
  if (d == 2)
    /* Translators: %.3g is a correlation */
    g_string_append_printf (out, _(" I₁₂ settles at the correlation of t₁ and t₂, %.3g."),
                            snap->fisher_eta[1] / sqrt (snap->fisher_eta[0] * snap->fisher_eta[3]));
  for (size_t i = 0, e = 0; i < d; i++)
    for (size_t j = i; j < d; j++, e++)
      {
        const char *name = d == 1 ? "I" : names[i + j];
        g_autofree char *label = g_strdup_printf (_("%s Monte Carlo"), name);
        double v = snap->mc_fisher_eta[i * d + j]
                   / sqrt (snap->fisher_eta[i * d + i] * snap->fisher_eta[j * d + j]);

        if (vi_view_find_shown (panel, label) != NULL && isfinite (v))
          g_string_append_printf (now, "%s%s %.4g", now->len > 0 ? ", " : "", name, v);
      }
  if (now->len > 0)
    /* Translators: %s is e.g. "I₁₁ 0.98, I₁₂ 0.71" */
    g_string_append_printf (out, _(" Now: %s."), now->str);
  return vi_view_explain_finish (out, fig, ctx);
}
