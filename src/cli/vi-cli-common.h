/* vi-cli-common.h — shared pieces of elbo-lab-cli: exit codes, one-line
 * errors, and JSON output without ±inf/NaN
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  VI_EXIT_OK = 0,
  VI_EXIT_RUNTIME = 1,  /* unreadable/malformed file, numerical failure */
  VI_EXIT_USAGE = 2,    /* unknown subcommand/option/family, bad or missing value */
} ViExitCode;

#define VI_CLI_ERROR (vi_cli_error_quark ())
GQuark vi_cli_error_quark (void);

/* GError codes in VI_CLI_ERROR are ViExitCode values. */

/* Prints "elbo-lab-cli SUBCOMMAND: MESSAGE" on one line to stderr (newlines in
 * @message are replaced by spaces) and returns the exit code for @error:
 * VI_EXIT_USAGE for G_OPTION_ERROR and VI_CLI_ERROR/VI_EXIT_USAGE, otherwise
 * VI_EXIT_RUNTIME. */
int      vi_cli_report_error   (const char  *subcommand,
                                const GError *error);

/* Sets a VI_CLI_ERROR/VI_EXIT_USAGE error from a printf-style message and
 * returns FALSE, for `return vi_cli_usage_error (error, "…", …);`. */
gboolean vi_cli_usage_error    (GError     **error,
                                const char  *format,
                                ...) G_GNUC_PRINTF (2, 3);

/* Parses a number; errors are VI_EXIT_USAGE "OPTION: ... (got 'VALUE')" with
 * @what naming the option, e.g. "--scale" (see vi_params_parse_double). */
gboolean vi_cli_parse_double   (const char  *what,
                                const char  *text,
                                double      *out,
                                GError     **error);

/* JSON helpers: a non-finite double is written as null. */
void     vi_json_add_double_member (JsonBuilder  *builder,
                                    const char   *name,
                                    double        x);
void     vi_json_add_int_member    (JsonBuilder  *builder,
                                    const char   *name,
                                    gint64        x);
/* Row-major @rows × @cols matrix as a list of rows. */
void     vi_json_add_matrix_member (JsonBuilder  *builder,
                                    const char   *name,
                                    const double *x,
                                    gsize         rows,
                                    gsize         cols);
void     vi_json_add_array_member  (JsonBuilder  *builder,
                                    const char   *name,
                                    const double *x,
                                    gsize         n);
/* (transfer full) The builder's root as pretty-printed JSON, every number
 * written locale-independently and valid ("1e+20", never "1e+20.0"). */
char    *vi_json_to_string         (JsonBuilder  *builder);

/* Formats a double for text output (%.10g, "-inf", "nan"). Returns a static
 * buffer rotated over 8 slots. */
const char *vi_cli_fmt (double x);

G_END_DECLS
