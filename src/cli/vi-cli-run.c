/* vi-cli-run.c — the one runner behind every model subcommand
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vi-cli-common.h"
#include "vi-cli-run.h"
#include "vi-output.h"
#include "vi-status.h"
#include "vi-view.h"

/* The cancel flag of the running job; set by the SIGINT handler. */
static gint interrupted;

static void
sigint_handler (int sig)
{
  (void) sig;
  g_atomic_int_set (&interrupted, 1);
}

/* ---- options from the tables ------------------------------------------- */

typedef struct
{
  const ViParamSpec *spec;
  char *option;         /* "--seed" */
  char short_option[3]; /* "-s" or "" */
  GPtrArray *values;    /* of char *, in order */
} Slot;

typedef struct
{
  GArray *slots;        /* Slot */
  GPtrArray *strings;   /* help texts, kept alive while parsing */
  gboolean json;
  gboolean force;
  char *csv;
  char *plot;
} Options;

static void
options_clear (Options *o)
{
  for (guint i = 0; o->slots != NULL && i < o->slots->len; i++)
    {
      Slot *s = &g_array_index (o->slots, Slot, i);

      g_free (s->option);
      g_ptr_array_unref (s->values);
    }
  g_clear_pointer (&o->slots, g_array_unref);
  g_clear_pointer (&o->strings, g_ptr_array_unref);
  g_clear_pointer (&o->csv, g_free);
  g_clear_pointer (&o->plot, g_free);
}

static gboolean
option_cb (const char  *option_name,
           const char  *value,
           gpointer     data,
           GError     **error)
{
  Options *o = data;

  (void) error;
  for (guint i = 0; i < o->slots->len; i++)
    {
      Slot *s = &g_array_index (o->slots, Slot, i);

      if (strcmp (option_name, s->option) == 0 || strcmp (option_name, s->short_option) == 0)
        {
          g_ptr_array_add (s->values, g_strdup (value != NULL ? value : ""));
          return TRUE;
        }
    }
  g_assert_not_reached ();
}

/* The spec's own description, or the option's help if it has one. */
static char *
help_text (const ViParamSpec *spec)
{
  if (spec->cli.help != NULL)
    return g_strdup (spec->cli.help);
  if (spec->cli.metavar == NULL)
    return g_strdup (spec->help);
  return vi_params_spec_describe (spec);
}

static void
add_slots (Options           *o,
           GArray            *entries,
           const ViParamSpec *specs)
{
  for (guint i = 0; specs != NULL && specs[i].key != NULL; i++)
    {
      const ViParamSpec *spec = &specs[i];
      Slot slot = { spec, NULL, "", NULL };
      GOptionEntry e = { 0 };
      char *help;

      if (spec->cli.long_name == NULL)
        continue;
      slot.option = g_strconcat ("--", spec->cli.long_name, NULL);
      if (spec->cli.short_name != 0)
        g_snprintf (slot.short_option, sizeof slot.short_option, "-%c", spec->cli.short_name);
      slot.values = g_ptr_array_new_with_free_func (g_free);
      g_array_append_val (o->slots, slot);
      help = help_text (spec);
      g_ptr_array_add (o->strings, help);
      e.long_name = spec->cli.long_name;
      e.short_name = spec->cli.short_name;
      e.flags = spec->cli.metavar == NULL ? G_OPTION_FLAG_NO_ARG : 0;
      e.arg = G_OPTION_ARG_CALLBACK;
      e.arg_data = (gpointer) option_cb;
      e.description = help;
      e.arg_description = spec->cli.metavar;
      g_array_append_val (entries, e);
    }
}

static GOptionContext *
build_context (const ViCliDescriptor *desc,
               Options               *o)
{
  g_autoptr(GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  GOptionContext *ctx = g_option_context_new (desc->parameter_string);
  GOptionGroup *group = g_option_group_new (desc->name, desc->summary, desc->summary, o, NULL);
  GOptionEntry json = { "json", 0, 0, G_OPTION_ARG_NONE, &o->json,
                        "Print one JSON object: every parameter, then the results", NULL };
  GOptionEntry csv = { "csv", 0, 0, G_OPTION_ARG_FILENAME, &o->csv, desc->csv_help, "FILE" };
  GOptionEntry plot = { "plot", 0, 0, G_OPTION_ARG_FILENAME, &o->plot, desc->plot_help, "FILE" };
  GOptionEntry force = { "force", 0, 0, G_OPTION_ARG_NONE, &o->force,
                         "Run even when the run is estimated to take more than 24 hours", NULL };

  o->slots = g_array_new (FALSE, TRUE, sizeof (Slot));
  o->strings = g_ptr_array_new_with_free_func (g_free);
  add_slots (o, entries, desc->job_type->params);
  add_slots (o, entries, desc->extra_params);
  g_array_append_val (entries, json);
  if (desc->csv_help != NULL)
    g_array_append_val (entries, csv);
  if (desc->plot_help != NULL)
    g_array_append_val (entries, plot);
  if (desc->estimate_seconds != NULL)
    g_array_append_val (entries, force);
  g_option_group_add_entries (group, (const GOptionEntry *) entries->data);
  g_option_context_set_main_group (ctx, group);
  g_option_context_set_summary (ctx, desc->summary);
  g_option_context_set_description (ctx, desc->description);
  return ctx;
}

/* Turns the option texts into settings, in table order. */
static gboolean
parse_values (Options       *o,
              GVariantDict  *given,
              GError       **error)
{
  for (guint i = 0; i < o->slots->len; i++)
    {
      Slot *s = &g_array_index (o->slots, Slot, i);
      ViParamCliParse parse = s->spec->cli.parse != NULL ? s->spec->cli.parse
                                                         : vi_params_parse_cli;
      gboolean ok;

      if (s->values->len == 0)
        continue;
      if (!s->spec->cli.repeatable && s->values->len > 1)
        g_ptr_array_remove_range (s->values, 0, s->values->len - 1);
      g_ptr_array_add (s->values, NULL);
      ok = parse (s->spec, s->option, (const char *const *) s->values->pdata, given, error);
      g_ptr_array_set_size (s->values, s->values->len - 1);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* The one extension check of --plot, made before the run: the plot
 * library's, as a usage error. */
static gboolean
check_plot_extension (const char  *path,
                      GError     **error)
{
  ViFigureFormat format;

  if (vi_figure_format_from_path_or_csv (path, &format, NULL))
    return TRUE;
  return vi_cli_usage_error (error, "--plot: unknown format (use .png, .svg, .pdf or .csv; "
                             "got '%s')", path);
}

/* Validates the given settings: the job's own against its table (and its
 * validate), the CLI-only ones against extra_params. */
static GVariant *
validate (const ViCliDescriptor  *desc,
          GVariant               *given,
          GVariant              **job_params,
          GError                **error)
{
  GVariantDict job, extra;
  g_autoptr(GVariant) valid_job = NULL;
  g_autoptr(GVariant) valid_extra = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_dict_init (&job, NULL);
  g_variant_dict_init (&extra, NULL);
  g_variant_iter_init (&iter, given);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      gboolean is_extra = desc->extra_params != NULL
                          && vi_params_lookup (desc->extra_params, key, NULL) != NULL;

      g_variant_dict_insert_value (is_extra ? &extra : &job, key, value);
      g_variant_unref (value);
    }
  *job_params = g_variant_ref_sink (g_variant_dict_end (&job));
  valid_job = vi_job_validate (desc->job_type, *job_params, error);
  if (valid_job == NULL)
    {
      g_variant_dict_clear (&extra);
      return NULL;
    }
  g_variant_dict_init (&job, valid_job);
  if (desc->extra_params != NULL)
    {
      valid_extra = vi_params_validate (desc->extra_params, g_variant_dict_end (&extra), error);
      if (valid_extra == NULL)
        {
          g_variant_dict_clear (&job);
          return NULL;
        }
      g_variant_iter_init (&iter, valid_extra);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
        {
          g_variant_dict_insert_value (&job, key, value);
          g_variant_unref (value);
        }
    }
  else
    g_variant_dict_clear (&extra);
  return g_variant_ref_sink (g_variant_dict_end (&job));
}

/* ---- running ------------------------------------------------------------- */

/* FALSE and a usage error when the job just created is estimated to run
 * longer than VI_CLI_MAX_SECONDS. */
static gboolean
check_work (const ViCliDescriptor  *desc,
            ViJob                  *job,
            GVariant               *params,
            GError                **error)
{
  gpointer snap;
  double seconds;

  if (desc->estimate_seconds == NULL)
    return TRUE;
  snap = vi_job_snapshot (job);
  seconds = desc->estimate_seconds (snap, params);
  vi_job_snapshot_free (job, snap);
  if (!(seconds > VI_CLI_MAX_SECONDS))
    return TRUE;
  if (seconds >= 1e9 * 86400.0)
    return vi_cli_usage_error (error, "this run would take more than a billion days; "
                               "--force to run anyway");
  return vi_cli_usage_error (error, "this run would take about %.0f days; --force to run anyway",
                             ceil (seconds / 86400.0));
}

typedef struct
{
  const ViCliDescriptor *desc;
  ViJob *job;
  GVariant *params;
  GMutex lock;
  GCond cond;
  gboolean done;
  guint64 iteration;
  double objective;
  int status;
  gpointer result;      /* compute's */
  GError *error;        /* compute's */
} Run;

static gpointer
worker (gpointer data)
{
  Run *run = data;
  int status = VI_OK;

  if (run->desc->compute != NULL)
    run->result = run->desc->compute (run->params, &run->error);
  else
    do
      {
        status = vi_job_step (run->job, &interrupted);
        g_mutex_lock (&run->lock);
        run->iteration = vi_job_get_iteration (run->job);
        run->objective = vi_job_get_objective (run->job);
        g_mutex_unlock (&run->lock);
      }
    while (status == VI_CONTINUE);
  g_mutex_lock (&run->lock);
  run->status = status;
  run->done = TRUE;
  g_cond_signal (&run->cond);
  g_mutex_unlock (&run->lock);
  return NULL;
}

static void
draw_progress (Run    *run,
               guint64 n_steps,
               double  seconds)
{
  double rate = seconds > 0 ? run->iteration / seconds : 0;
  g_autofree char *total = n_steps > 0 ? g_strdup_printf ("/%" G_GUINT64_FORMAT, n_steps)
                                       : g_strdup ("");
  g_autofree char *eta = n_steps > run->iteration && rate > 0
    ? g_strdup_printf ("  ETA %.0f s", (double) (n_steps - run->iteration) / rate) : g_strdup ("");

  fprintf (stderr, "\r\033[K%s: iteration %" G_GUINT64_FORMAT "%s  %.3g it/s  objective %s%s",
           run->desc->name, run->iteration, total, rate, vi_cli_fmt (run->objective), eta);
  fflush (stderr);
}

/* Waits for the worker, drawing progress; FALSE when SIGINT came first. */
static gboolean
wait_for_worker (Run *run,
                 gint64 t0)
{
  gboolean tty = isatty (STDERR_FILENO) && run->job != NULL;
  guint64 n_steps = run->job != NULL ? vi_job_get_n_steps (run->job) : 0;
  gint64 last_draw = t0;
  gboolean drawn = FALSE;

  g_mutex_lock (&run->lock);
  while (!run->done && !g_atomic_int_get (&interrupted))
    {
      gint64 now;

      g_cond_wait_until (&run->cond, &run->lock,
                         g_get_monotonic_time () + 10 * G_TIME_SPAN_MILLISECOND);
      now = g_get_monotonic_time ();
      if (tty && !run->done && now - last_draw >= 100 * G_TIME_SPAN_MILLISECOND)
        {
          draw_progress (run, n_steps, (double) (now - t0) / G_USEC_PER_SEC);
          last_draw = now;
          drawn = TRUE;
        }
    }
  if (!run->done)
    {
      /* Interrupted: the job polls the flag every few ms. */
      gint64 deadline = g_get_monotonic_time () + 80 * G_TIME_SPAN_MILLISECOND;

      while (!run->done && g_cond_wait_until (&run->cond, &run->lock, deadline))
        ;
    }
  g_mutex_unlock (&run->lock);
  if (drawn)
    fputs ("\r\033[K", stderr);
  return !g_atomic_int_get (&interrupted) && run->status != VI_ECANCELLED;
}

static int
interrupted_exit (Run      *run,
                  GThread  *thread)
{
  fprintf (stderr, "elbo-lab-cli %s: interrupted\n", run->desc->name);
  fflush (stderr);
  if (!run->done)
    _exit (VI_EXIT_INTERRUPTED);  /* the worker cannot be stopped; write nothing */
  if (thread != NULL)
    g_thread_join (thread);
  return VI_EXIT_INTERRUPTED;
}

/* ---- output -------------------------------------------------------------- */

gboolean
vi_cli_write_figure (ViFigure    *fig,
                     ViOutput    *out,
                     const char  *path,
                     double       width,
                     double       height,
                     GError     **error)
{
  ViFigureFormat format;

  /* Both name the file (errors on an output's stream start with its path). */
  return vi_figure_format_from_path_or_csv (path, &format, error)
         && vi_view_write (fig, vi_output_get_stream (out), format, width, height, error);
}

/* Opens @path and writes @len bytes (or the figure) to it through
 * vi-output, for commit_output(); NULL and the error prefixed by @what
 * ("--csv") when that fails. */
static ViOutput *
fill_output (const char   *what,
             const char   *path,
             const char   *data,
             gsize         len,
             ViFigure     *fig,
             double        width,
             double        height,
             GError      **error)
{
  g_autoptr(ViOutput) out = vi_output_open (path, error);

  if (out != NULL
      && (fig != NULL ? vi_cli_write_figure (fig, out, path, width, height, error)
                      : vi_output_write (out, data, len, error)))
    return g_steal_pointer (&out);
  if (what != NULL)
    g_prefix_error (error, "%s: ", what);
  return NULL;
}

/* Moves @out into place, unless SIGINT came (then it is dropped: nothing
 * is left behind); the error is prefixed by @what. */
static gboolean
commit_output (const char  *what,
               ViOutput    *out,
               GError     **error)
{
  if (g_atomic_int_get (&interrupted))
    {
      vi_output_abort (out);
      return TRUE;
    }
  if (vi_output_commit (out, error))
    return TRUE;
  if (what != NULL)
    g_prefix_error (error, "%s: ", what);
  return FALSE;
}

/* Every file the run will write (--csv, --plot, the job's output paths)
 * can be written: a missing or read-only folder or a directory is an error
 * before the run, not after it, and then no output of the run is written. */
static gboolean
check_outputs (const ViCliDescriptor  *desc,
               const Options          *o,
               GVariant               *params,
               GError                **error)
{
  const ViParamSpec *specs = desc->job_type->params;
  const char *path, *what = NULL;

  if (o->csv != NULL && !vi_output_check (o->csv, error))
    what = "--csv";
  else if (o->plot != NULL && !vi_output_check (o->plot, error))
    what = "--plot";
  if (what != NULL)
    {
      g_prefix_error (error, "%s: ", what);
      return FALSE;
    }
  for (guint i = 0; specs != NULL && specs[i].key != NULL; i++)
    if (specs[i].type == VI_PARAM_PATH && !(specs[i].flags & VI_PARAM_DATA)
        && g_variant_lookup (params, specs[i].key, "&s", &path) && path[0] != '\0'
        && !vi_output_check (path, error))
      return FALSE;
  return TRUE;
}

/* Every parameter, in table order. */
static void
add_parameter_members (JsonBuilder       *b,
                       const ViParamSpec *specs,
                       GVariant          *params)
{
  for (guint i = 0; specs != NULL && specs[i].key != NULL; i++)
    {
      g_autoptr(GVariant) value = NULL;

      if (specs[i].type == VI_PARAM_DEPENDENT)
        {
          const char *choice = vi_params_get_string (params, specs[i].depends_on);

          add_parameter_members (b, specs[i].get_sub_specs (choice), params);
          continue;
        }
      value = g_variant_lookup_value (params, specs[i].key, NULL);
      if (value == NULL)
        continue;
      json_builder_set_member_name (b, specs[i].key);
      json_builder_add_value (b, json_gvariant_serialize (value));
    }
}

/* --csv is data: '.' decimal point whatever LC_NUMERIC says (the messages
 * keep the user's language). */
static void
write_csv_c_locale (const ViCliDescriptor *desc,
                    GString               *text,
                    gpointer               result,
                    GVariant              *params)
{
  locale_t base = duplocale (LC_GLOBAL_LOCALE);
  locale_t c = base != (locale_t) 0 ? newlocale (LC_NUMERIC_MASK, "C", base) : (locale_t) 0;
  locale_t old = c != (locale_t) 0 ? uselocale (c) : (locale_t) 0;

  if (c == (locale_t) 0 && base != (locale_t) 0)
    freelocale (base);
  desc->write_csv (text, result, params);
  if (c != (locale_t) 0)
    {
      uselocale (old);
      freelocale (c);
    }
}

static gboolean
write_results (const ViCliDescriptor  *desc,
               Options                *o,
               gpointer                result,
               GVariant               *params,
               double                  seconds,
               GError                **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(ViOutput) csv = NULL;
  g_autoptr(ViOutput) plot = NULL;
  ViOutput *out;

  if (g_atomic_int_get (&interrupted))
    return TRUE;
  if (o->csv != NULL)
    {
      write_csv_c_locale (desc, text, result, params);
      csv = fill_output ("--csv", o->csv, text->str, text->len, NULL, 0, 0, error);
      if (csv == NULL)
        return FALSE;
      g_string_truncate (text, 0);
    }
  if (o->plot != NULL)
    {
      double width = 640, height = 400;
      ViFigure *fig = desc->build_figure (result, params, &width, &height, error);

      if (fig == NULL)
        return FALSE;
      plot = fill_output ("--plot", o->plot, NULL, 0, fig, width, height, error);
      vi_figure_free (fig);
      if (plot == NULL)
        return FALSE;
    }
  /* Both written in full (a full disk fails one before either is in
   * place): now they replace the old files. */
  if ((csv != NULL && !commit_output ("--csv", g_steal_pointer (&csv), error))
      || (plot != NULL && !commit_output ("--plot", g_steal_pointer (&plot), error)))
    return FALSE;
  if (o->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autofree char *json = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "parameters");
      json_builder_begin_object (b);
      add_parameter_members (b, desc->job_type->params, params);
      add_parameter_members (b, desc->extra_params, params);
      json_builder_end_object (b);
      desc->add_json (b, result, params, seconds);
      json_builder_end_object (b);
      json = vi_json_to_string (b);
      g_string_append (text, json);
      g_string_append_c (text, '\n');
    }
  else
    desc->print_text (text, result, params, seconds);
  out = fill_output (NULL, "/dev/stdout", text->str, text->len, NULL, 0, 0, error);
  return out != NULL && commit_output (NULL, out, error);
}

/* ---- the runner ----------------------------------------------------------- */

static int
fail (const ViCliDescriptor *desc,
      GError                *error,
      int                    code)
{
  g_autoptr(GError) mapped = g_error_new_literal (VI_CLI_ERROR, code, error->message);

  return vi_cli_report_error (desc->name, mapped);
}

int
vi_cli_run_job (const ViCliDescriptor  *desc,
                int                     argc,
                char                  **argv)
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) given = NULL;
  g_autoptr(GVariant) job_params = NULL;
  g_autoptr(GVariant) params = NULL;
  GVariantDict dict;
  Options o = { 0 };
  Run run = { 0 };
  GThread *thread;
  struct sigaction sa = { 0 }, old_sa;
  gint64 t0;
  double seconds;
  int code = VI_EXIT_OK;

  ctx = build_context (desc, &o);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      code = vi_cli_report_error (desc->name, error);
      goto out;
    }
  if (argc > 1)
    vi_cli_usage_error (&error, "unexpected argument '%s'", argv[1]);
  else if (o.plot != NULL)
    check_plot_extension (o.plot, &error);
  if (error != NULL)
    {
      code = vi_cli_report_error (desc->name, error);
      goto out;
    }
  g_variant_dict_init (&dict, NULL);
  if (!parse_values (&o, &dict, &error)
      || (desc->check != NULL && !desc->check (&dict, &error)))
    {
      g_variant_dict_clear (&dict);
      code = fail (desc, error, VI_EXIT_USAGE);
      goto out;
    }
  given = g_variant_ref_sink (g_variant_dict_end (&dict));
  params = validate (desc, given, &job_params, &error);
  if (params == NULL)
    {
      code = fail (desc, error, VI_EXIT_USAGE);
      goto out;
    }

  run.desc = desc;
  run.params = params;
  if (desc->compute == NULL)
    {
      run.job = vi_job_create (desc->job_type, job_params, &error);
      if (run.job == NULL)
        {
          /* A bad data file is a runtime error; any other bad value a usage error. */
          gboolean data_error = error->domain == VI_ERROR
                                && (error->code == VI_EIO || error->code == VI_EFORMAT);

          code = fail (desc, error, data_error ? VI_EXIT_RUNTIME : VI_EXIT_USAGE);
          goto out;
        }
      if (!o.force && !check_work (desc, run.job, params, &error))
        {
          code = vi_cli_report_error (desc->name, error);
          goto out;
        }
    }

  if (!check_outputs (desc, &o, params, &error))
    {
      code = fail (desc, error, VI_EXIT_RUNTIME);
      goto out;
    }

  g_mutex_init (&run.lock);
  g_cond_init (&run.cond);
  g_atomic_int_set (&interrupted, 0);
  sa.sa_handler = sigint_handler;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGINT, &sa, &old_sa);
  t0 = g_get_monotonic_time ();
  thread = g_thread_new ("vi-cli-run", worker, &run);
  if (!wait_for_worker (&run, t0))
    {
      code = interrupted_exit (&run, thread);
      goto done;
    }
  g_thread_join (thread);
  seconds = (double) (g_get_monotonic_time () - t0) / 1e6;

  if (desc->compute != NULL && run.result == NULL)
    {
      code = fail (desc, run.error, VI_EXIT_RUNTIME);
      goto done;
    }
  if (desc->compute == NULL && run.status != VI_OK)
    {
      g_autoptr(GError) run_error = g_error_new (VI_CLI_ERROR, VI_EXIT_RUNTIME, "%s",
                                                 vi_job_get_error_message (run.job) != NULL
                                                 ? vi_job_get_error_message (run.job)
                                                 : vi_status_to_string (run.status));

      code = vi_cli_report_error (desc->name, run_error);
      goto done;
    }
  if (run.result == NULL)
    run.result = vi_job_snapshot (run.job);
  if (!write_results (desc, &o, run.result, params, seconds, &error))
    code = fail (desc, error, VI_EXIT_RUNTIME);
  else if (g_atomic_int_get (&interrupted))
    code = interrupted_exit (&run, NULL);

done:
  sigaction (SIGINT, &old_sa, NULL);
  if (run.result != NULL)
    {
      if (desc->compute != NULL)
        desc->result_free (run.result);
      else
        vi_job_snapshot_free (run.job, run.result);
    }
  g_clear_error (&run.error);
  g_mutex_clear (&run.lock);
  g_cond_clear (&run.cond);
out:
  vi_job_free (run.job);
  options_clear (&o);
  return code;
}

ViFigure *
vi_cli_live_figure (guint          rows,
                    guint          cols,
                    ViCliViewFunc  build,
                    gconstpointer  snapshot)
{
  ViFigure *fig = vi_figure_create (rows, cols);
  ViViewContext ctx;

  vi_view_context_init (&ctx);
  ctx.live = TRUE;
  build (fig, snapshot, &ctx);
  return fig;
}
