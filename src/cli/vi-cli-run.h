/* vi-cli-run.h — one runner for every model subcommand of elbo-lab-cli:
 * options from the job's parameter table, --json/--csv/--plot, progress and
 * a clean SIGINT
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "vi-figure.h"
#include "vi-job.h"
#include "vi-output.h"
#include "vi-view.h"

G_BEGIN_DECLS

/* Exit status of a run stopped by SIGINT (128 + SIGINT). */
#define VI_EXIT_INTERRUPTED 130

/* Longest run (estimated CPU seconds) made without --force: 24 hours. */
#define VI_CLI_MAX_SECONDS (24.0 * 3600.0)

/* What one model subcommand adds to the runner. @result is the job's
 * snapshot (vi_job_snapshot) or, with @compute, what compute returned;
 * @params is the validated dictionary: the job table's keys (defaults
 * filled in) and the @extra_params keys. */
typedef struct
{
  const char        *name;              /* "bbvi" */
  const char        *parameter_string;  /* after "Usage: elbo-lab-cli NAME [OPTION…]" */
  const char        *summary;
  const char        *description;
  const ViJobType   *job_type;          /* its table gives the options */
  /* CLI-only settings (NULL-terminated, or NULL), e.g. expfam's --at. */
  const ViParamSpec *extra_params;
  const char        *csv_help;          /* NULL: no --csv */
  const char        *plot_help;         /* NULL: no --plot */

  /* Optional: rules between options on what was given (before
   * validation); errors are usage errors. */
  gboolean  (*check)        (GVariantDict  *given,
                             GError       **error);
  /* Optional: compute the result directly instead of stepping a job of
   * job_type (which still validates the settings). Errors exit 1. */
  gpointer  (*compute)      (GVariant      *params,
                             GError       **error);
  void      (*result_free)  (gpointer       result);
  /* Members of the --json object after "parameters". */
  void      (*add_json)     (JsonBuilder   *builder,
                             gpointer       result,
                             GVariant      *params,
                             double         seconds);
  void      (*print_text)   (GString       *out,
                             gpointer       result,
                             GVariant      *params,
                             double         seconds);
  void      (*write_csv)    (GString       *out,
                             gpointer       result,
                             GVariant      *params);
  /* Optional: a conservative (rather low) estimate of the run's CPU
   * seconds from its first snapshot (the job created, data loaded, no step
   * made) and the settings, from a cost model calibrated per sample and
   * iteration. A run estimated beyond VI_CLI_MAX_SECONDS is refused with
   * exit 2 and the estimate unless --force is given (the option exists
   * only with this callback). */
  double    (*estimate_seconds) (gpointer   snapshot,
                                 GVariant  *params);
  /* (transfer full) The --plot figure and its size in points, or NULL
   * with @error set. */
  ViFigure *(*build_figure) (gpointer       result,
                             GVariant      *params,
                             double        *width,
                             double        *height,
                             GError       **error);
} ViCliDescriptor;

/* Runs the subcommand @desc with (argc, argv), argv[0] the subcommand:
 * parses the options generated from the parameter tables, validates,
 * runs the job (progress on stderr when it is a terminal; SIGINT stops it
 * within 100 ms, exits 130 with one line on stderr and writes nothing),
 * then writes --csv, --plot and stdout (text, or JSON with every parameter
 * under "parameters" first) through vi-output. Returns a ViExitCode or
 * VI_EXIT_INTERRUPTED. */
int      vi_cli_run_job       (const ViCliDescriptor  *desc,
                               int                     argc,
                               char                  **argv);

/* Writes @fig as PNG, SVG, PDF or its data as CSV (by @path's extension)
 * through @out, as the views export it (vi_view_write). */
gboolean vi_cli_write_figure  (ViFigure               *fig,
                               ViOutput               *out,
                               const char             *path,
                               double                  width,
                               double                  height,
                               GError                **error);

/* A view's build function (vi-view.h): fills @fig from a job's snapshot. */
typedef void (*ViCliViewFunc) (ViFigure            *fig,
                               gconstpointer        snapshot,
                               const ViViewContext  *ctx);
/* (transfer full) A @rows × @cols figure that @build fills from @snapshot
 * as a live run, with the default view context: the page's figure, for a
 * descriptor's build_figure. */
ViFigure *vi_cli_live_figure  (guint                   rows,
                               guint                   cols,
                               ViCliViewFunc           build,
                               gconstpointer           snapshot);

G_END_DECLS
