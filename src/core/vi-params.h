/* vi-params.h — parameter tables: what a job's a{sv} settings may hold, with
 * types, defaults, ranges, flags, help and CLI spellings, and one validator
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every ViJobType carries a const table of ViParamSpec, terminated by an
 * entry whose key is NULL. The table is the single description of the
 * job's settings: the job's create reads them through it, the CLI builds
 * its options, --help text and JSON echo from it, and the app binds widgets,
 * session files and GSettings to it.
 *
 * A settings dictionary is an a{sv} GVariant. vi_params_validate() checks
 * one against a table and returns the *normalised* dictionary: every key of
 * the table with its value in the canonical GVariant type below, defaults
 * filled in (except for VI_PARAM_OPTIONAL keys, which stay absent when not
 * given). The typed getters (vi_params_get_double() …) read a normalised
 * dictionary.
 *
 * Types, their canonical GVariant type, and what else is accepted on input:
 *
 *   VI_PARAM_DOUBLE      "d"   also "x", "i"; finite, in [min, max]
 *   VI_PARAM_INT64       "x"   also "i", "t", a whole "d"; in [imin, imax]
 *   VI_PARAM_UINT64      "t"   also "x", "i" when ≥ 0; in [umin, umax]
 *                              (random seeds)
 *   VI_PARAM_BOOL        "b"
 *   VI_PARAM_ENUM        "s"   one of choices / get_choices ()
 *   VI_PARAM_STRING      "s"
 *   VI_PARAM_PATH        "s"   a file name (usually VI_PARAM_DATA)
 *   VI_PARAM_DOUBLE_LIST "ad"  each item finite and in [min, max]
 *   VI_PARAM_INT_LIST    "ax"  also "at"; each item in [imin, imax]
 *   VI_PARAM_DEPENDENT   —     no key of its own: a group of parameters
 *                              that depends on the value of the ENUM named
 *                              by depends_on. get_sub_specs (choice) gives
 *                              their own (NULL-terminated) table; its keys
 *                              sit at the top level of the dictionary
 *                              (e.g. expfam's "shape", "rate" for
 *                              family = "gamma"). The DEPENDENT entry comes
 *                              after the ENUM it depends on.
 *
 * Errors are VI_ERROR (vi-status.h) and name the key and the range:
 *   VI_EINVAL "KEY: expected a number" / "KEY: expected an integer" /
 *             "KEY: expected a non-negative integer" / "KEY: expected a
 *             string" / "KEY: expected true or false" / "KEY: expected a
 *             list of numbers" / "KEY: expected a list of integers" /
 *             "KEY: empty list" /
 *             "KEY: unknown KEY 'VALUE' (valid: a, b, c)" /
 *             "KEY: unknown parameter (valid: …)"
 *   VI_EDOM   "KEY must be in [MIN, MAX] (got X)", or with
 *             VI_PARAM_MIN_EXCLUSIVE and no upper bound
 *             "KEY: must be > MIN (got X)"; for list items
 *             "KEY: values must be in [MIN, MAX] (got X)" /
 *             "KEY: values must be > MIN (got X)".
 */

/* How consumers use a table:
 *  - a job's create: vi_job_create() has already validated, so create reads
 *    the normalised dictionary with the getters, without checks of its own
 *    beyond I/O (e.g. reading a counts file);
 *  - a UI on every edit: vi_job_validate() (no I/O) and show the message;
 *    flags tell whether the edit needs a restart (not LIVE), a data reload
 *    (DATA) or only a redraw (VIEW);
 *  - a widget binding: DOUBLE/INT64/UINT64 → spin button with [min, max],
 *    ENUM → drop-down of its choices, BOOL → switch, PATH → file chooser,
 *    DEPENDENT → one spin button per sub-spec of the current choice;
 *  - sessions and GSettings: store the dictionary; on load run
 *    vi_job_validate() on every page's dictionary before applying any;
 *    vi_params_spec_default() gives the "reset" value;
 *  - the CLI (src/cli/vi-cli-run.c): one option per spec with a
 *    ViParamCli.long_name, --help from help + describe_default/_range, and
 *    the --json "parameters" echo in table order.
 * LIVE parameters reach a running job through ViJobType.apply (vi_job_apply,
 * and vi_run_apply in the app). */

typedef enum
{
  VI_PARAM_DOUBLE,
  VI_PARAM_INT64,
  VI_PARAM_UINT64,
  VI_PARAM_BOOL,
  VI_PARAM_ENUM,
  VI_PARAM_STRING,
  VI_PARAM_PATH,
  VI_PARAM_DOUBLE_LIST,
  VI_PARAM_INT_LIST,
  VI_PARAM_DEPENDENT,
} ViParamType;

typedef enum
{
  VI_PARAM_FLAGS_NONE   = 0,
  /* May change between two steps of a running job without a restart. */
  VI_PARAM_LIVE          = 1 << 0,
  /* Changing it means (re)loading or regenerating the data. */
  VI_PARAM_DATA          = 1 << 1,
  /* Only changes how results are drawn; the job ignores it. */
  VI_PARAM_VIEW          = 1 << 2,
  /* No fixed default: absent stays absent after validation and the job
   * derives a value (e.g. bbvi's step-size from the optimizer). */
  VI_PARAM_OPTIONAL      = 1 << 3,
  /* Numbers (and list items) must be > min rather than ≥ min. */
  VI_PARAM_MIN_EXCLUSIVE = 1 << 4,
  /* Lists: an empty list passes (the job's validate says why not). */
  VI_PARAM_ALLOW_EMPTY   = 1 << 5,
} ViParamFlags;

typedef struct _ViParamSpec ViParamSpec;

/* A CLI parser: turns the text given to the option into entries of
 * @params (usually one key, but e.g. `--sweep-theta auto` sets
 * "sweep-theta-grid" and `--variance` sets "mode"). @values holds the text
 * of every occurrence in order (NULL-terminated; for a flag without a value
 * each item is ""); non-repeatable options use the last one. @option is the
 * spelling for messages, e.g. "--seed". Errors: VI_ERROR, VI_EINVAL, with
 * the message starting with @option (the CLI reports them as usage
 * errors). The default parsers are vi_params_parse_cli (). */
typedef gboolean (*ViParamCliParse) (const ViParamSpec  *spec,
                                     const char         *option,
                                     const char *const  *values,
                                     GVariantDict       *params,
                                     GError            **error);

/* How a parameter is spelled on the command line. long_name NULL: no
 * option. metavar NULL: a flag without a value. */
typedef struct
{
  const char      *long_name;   /* without the leading "--" */
  char             short_name;  /* 0: none */
  const char      *metavar;     /* e.g. "N", "FILE", "NAME=VALUE" */
  const char      *help;        /* NULL: the spec's help */
  ViParamCliParse  parse;       /* NULL: vi_params_parse_cli () */
  gboolean         repeatable;  /* e.g. --param NAME=VALUE, given per name */
} ViParamCli;

struct _ViParamSpec
{
  const char   *key;            /* NULL ends a table */
  ViParamType   type;
  ViParamFlags  flags;
  const char   *help;           /* one line, no trailing period */

  /* DOUBLE and DOUBLE_LIST items */
  double        def;
  double        min, max;
  /* INT64 and INT_LIST items; BOOL default (0 or 1) in idef */
  gint64        idef;
  gint64        imin, imax;
  /* UINT64 */
  guint64       udef;
  guint64       umin, umax;
  /* ENUM, STRING, PATH default (NULL: "" for STRING/PATH) */
  const char   *sdef;
  /* ENUM: NULL-terminated choices, or a function giving them */
  const char *const  *choices;
  const char *const *(*get_choices)   (void);
  /* DEPENDENT: the ENUM key and the sub-table for one of its values
   * (NULL-terminated, static; NULL for an unknown value) */
  const char   *depends_on;
  const ViParamSpec  *(*get_sub_specs) (const char *choice);

  ViParamCli    cli;

  /* A short human label for run names, a printf format of one "%s" that
   * vi_params_describe_value() fills with the value ("N = %s", "step %s",
   * "%s q"); NULL: "KEY=VALUE". Untranslated: the app passes it through
   * gettext. */
  const char   *label;
  /* ENUM: the choices as shown in labels, in the order of choices
   * ("Gamma" for "gamma"); NULL: the choices themselves. */
  const char *const  *choice_labels;
};

/* ---- tables -------------------------------------------------------------- */

/* Number of entries before the NULL key. */
guint              vi_params_count          (const ViParamSpec  *specs);
/* (transfer none) The entry for @key (a DEPENDENT entry by its own key
 * too), searching DEPENDENT sub-tables for the choice in @params (may be
 * NULL: top level only); NULL if none. */
const ViParamSpec *vi_params_lookup         (const ViParamSpec  *specs,
                                             const char         *key,
                                             GVariant           *params);
/* (transfer none) The choices of an ENUM spec. */
const char *const *vi_params_spec_get_choices (const ViParamSpec *spec);
/* (transfer full) The default as a GVariant of the canonical type, or NULL
 * for VI_PARAM_OPTIONAL and DEPENDENT specs. */
GVariant          *vi_params_spec_default   (const ViParamSpec  *spec);
/* (transfer full) The range for help text: "[1, 1000000]", "> 0", "≥ 0",
 * "exponential | gamma | lognormal", or NULL when unbounded. */
char              *vi_params_spec_describe_range (const ViParamSpec *spec);
/* (transfer full) The default for help text ("100", "adam"), or NULL. */
char              *vi_params_spec_describe_default (const ViParamSpec *spec);
/* (transfer full) The help with its default and range, for --help and
 * tooltips: "HELP (default D; in RANGE)"; enums list their choices:
 * "HELP: a | b | c (default a)". */
char              *vi_params_spec_describe (const ViParamSpec *spec);

/* (transfer full) @value of @spec as a short human label: @spec's label
 * format filled with the value (numbers with "%.4g" in the locale's
 * notation, ENUM choices by their choice label, a PATH by its base name,
 * booleans as "on"/"off"); without a label "KEY=VALUE". @spec may be NULL
 * (then @key names the value). @translate (may be NULL) translates the
 * format and the choice labels. */
char              *vi_params_describe_value (const ViParamSpec *spec,
                                             const char        *key,
                                             GVariant          *value,
                                             const char      *(*translate) (const char *text));

/* ---- validation ---------------------------------------------------------- */

/* (transfer full) Checks @params (a{sv}; NULL means empty; floating refs
 * are sunk) against @specs: unknown keys, wrong types and out-of-range
 * values are refused (see the messages above), in table order. Returns
 * the normalised dictionary (defaults filled in), or NULL and sets @error. */
GVariant   *vi_params_validate       (const ViParamSpec  *specs,
                                      GVariant           *params,
                                      GError            **error);

/* Typed getters on a normalised dictionary (from vi_params_validate). A
 * key absent (VI_PARAM_OPTIONAL) reads as NaN, 0, FALSE, NULL or an empty
 * list; vi_params_has() tells. Strings and lists point into @params. */
gboolean       vi_params_has            (GVariant    *params,
                                         const char  *key);
double         vi_params_get_double     (GVariant    *params,
                                         const char  *key);
gint64         vi_params_get_int64      (GVariant    *params,
                                         const char  *key);
guint64        vi_params_get_uint64     (GVariant    *params,
                                         const char  *key);
gboolean       vi_params_get_boolean    (GVariant    *params,
                                         const char  *key);
const char    *vi_params_get_string     (GVariant    *params,
                                         const char  *key);
const double  *vi_params_get_double_list (GVariant   *params,
                                          const char *key,
                                          gsize      *n);
const gint64  *vi_params_get_int_list   (GVariant    *params,
                                         const char  *key,
                                         gsize       *n);

/* ---- command-line text ---------------------------------------------------- */

/* The default ViParamCliParse for every type: DOUBLE a finite number;
 * INT64/UINT64 a whole number in the spec's range ("OPTION: must be an
 * integer in [MIN, MAX] (got 'TEXT')"); BOOL a flag (TRUE); ENUM, STRING,
 * PATH the text; DOUBLE_LIST "0.5,1,2"; INT_LIST "2,10,100" (integers in
 * range). DEPENDENT has no default parser. */
gboolean    vi_params_parse_cli      (const ViParamSpec  *spec,
                                      const char         *option,
                                      const char *const  *values,
                                      GVariantDict       *params,
                                      GError            **error);

/* Text parsers used by the above; @what names the option in messages. */
gboolean    vi_params_parse_double   (const char  *what,
                                      const char  *text,
                                      double      *out,
                                      GError     **error);
gboolean    vi_params_parse_uint64   (const char  *what,
                                      const char  *text,
                                      guint64      min,
                                      guint64      max,
                                      guint64     *out,
                                      GError     **error);
/* Seeds (UINT64 random seeds) are in [0, VI_PARAM_SEED_MAX]: JSON readers
 * (json-glib, and the session files through it) read a larger integer
 * back wrongly, so a seed must stay a non-negative 64-bit signed value. */
#define VI_PARAM_SEED_MAX ((guint64) G_MAXINT64)

/* How many characters of a bad value error messages quote. */
#define VI_PARAMS_EXCERPT_CHARS 40

/* (transfer full) @text cut to at most @max_chars characters on a
 * character boundary, with "…" appended when cut; invalid UTF-8 is
 * replaced by U+FFFD first. For quoting user text in messages. */
char       *vi_params_excerpt        (const char  *text,
                                      gsize        max_chars);

/* (transfer full) Comma-separated finite numbers. */
GArray     *vi_params_parse_double_list (const char  *what,
                                         const char  *text,
                                         GError     **error);

G_END_DECLS
