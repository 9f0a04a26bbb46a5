/* vi-status.c
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gsl/gsl_errno.h>

#include "vi-status.h"

G_DEFINE_QUARK (vi-error-quark, vi_error)

const char *
vi_status_to_string (int status)
{
  switch (status)
    {
    case VI_OK: return "success";
    case VI_CONTINUE: return "not finished";
    case VI_EINVAL: return "invalid argument";
    case VI_EDOM: return "argument outside its domain";
    case VI_ENOMEM: return "out of memory";
    case VI_ENONFINITE: return "non-finite value (NaN or infinity)";
    case VI_EMAXITER: return "iteration limit reached";
    case VI_ECANCELLED: return "cancelled";
    case VI_EIO: return "input/output error";
    case VI_EFORMAT: return "malformed data";
    default: return "unknown error";
    }
}

gboolean
vi_status_to_error (int          status,
                    const char  *what,
                    GError     **error)
{
  if (status == VI_OK || status == VI_CONTINUE)
    return TRUE;
  if (what != NULL)
    g_set_error (error, VI_ERROR, status, "%s: %s", what, vi_status_to_string (status));
  else
    g_set_error_literal (error, VI_ERROR, status, vi_status_to_string (status));
  return FALSE;
}

int
vi_status_from_gsl (int gsl_status)
{
  switch (gsl_status)
    {
    case GSL_SUCCESS: return VI_OK;
    case GSL_CONTINUE: return VI_CONTINUE;
    case GSL_EDOM: return VI_EDOM;
    case GSL_ENOMEM: return VI_ENOMEM;
    case GSL_EMAXITER: return VI_EMAXITER;
    case GSL_EOVRFLW:
    case GSL_ERANGE:
    case GSL_ESING:
    case GSL_EDIVERGE: return VI_ENONFINITE;
    default: return VI_EINVAL;
    }
}
