/* vi-status.h — status codes for numeric kernels and their GError mapping
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Status returned by numeric kernels.  VI_OK and VI_CONTINUE are not errors. */
typedef enum
{
  VI_OK = 0,
  VI_CONTINUE = -1,   /* not converged / not finished yet */
  VI_EINVAL = 1,      /* invalid argument */
  VI_EDOM,            /* argument outside the domain */
  VI_ENOMEM,          /* allocation failed */
  VI_ENONFINITE,      /* a NaN or infinity appeared */
  VI_EMAXITER,        /* iteration limit reached */
  VI_ECANCELLED,      /* the cancel flag was raised */
  VI_EIO,             /* reading or writing a file failed */
  VI_EFORMAT,         /* malformed input data */
} ViStatus;

#define VI_ERROR (vi_error_quark ())
GQuark vi_error_quark (void);

/* GError codes in the VI_ERROR domain are ViStatus values. */

const char *vi_status_to_string (int status);

/* Sets @error (if not NULL) from @status with a message prefixed by @what
 * (may be NULL). Returns FALSE for error statuses, TRUE for VI_OK/VI_CONTINUE. */
gboolean    vi_status_to_error  (int          status,
                                 const char  *what,
                                 GError     **error);

/* Maps a GSL status (gsl_errno.h) to a ViStatus. */
int         vi_status_from_gsl  (int gsl_status);

G_END_DECLS
