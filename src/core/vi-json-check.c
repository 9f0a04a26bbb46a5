/* vi-json-check.c — a strict JSON checker (RFC 8259)
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib 1.6 leaks parts of its tree on some malformed inputs (a second
 * root, a broken \u escape) and decodes "\ud800x" into bytes that are not
 * UTF-8; found by fuzz-session. Text that passes this check is text
 * json-glib reads without either.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "vi-json-check.h"

typedef struct
{
  const char *text;
  gsize       len;
  gsize       pos;
  guint       max_depth;
  const char *what;   /* the first problem, NULL while none */
  char       *depth_error;
} Checker;

static gboolean
fail (Checker    *c,
      const char *what)
{
  if (c->what == NULL)
    c->what = what;
  return FALSE;
}

static void
skip_space (Checker *c)
{
  while (c->pos < c->len)
    {
      char ch = c->text[c->pos];

      if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
        break;
      c->pos++;
    }
}

static gboolean
at (Checker *c,
    char     ch)
{
  return c->pos < c->len && c->text[c->pos] == ch;
}

static gboolean
digit (Checker *c)
{
  return c->pos < c->len && g_ascii_isdigit (c->text[c->pos]);
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and in range: json-glib
 * reads an integer past 64 bits wrongly (99999999999999999999 as -1) and
 * 1e400 as infinity. */
static gboolean
number (Checker *c)
{
  gsize start = c->pos;
  gboolean integer = TRUE;
  g_autofree char *tok = NULL;
  double d;

  if (at (c, '-'))
    c->pos++;
  if (at (c, '0'))
    c->pos++;
  else if (digit (c))
    while (digit (c))
      c->pos++;
  else
    return fail (c, "not a JSON value");
  if (at (c, '.'))
    {
      integer = FALSE;
      c->pos++;
      if (!digit (c))
        return fail (c, "no digit after the decimal point");
      while (digit (c))
        c->pos++;
    }
  if (at (c, 'e') || at (c, 'E'))
    {
      integer = FALSE;
      c->pos++;
      if (at (c, '+') || at (c, '-'))
        c->pos++;
      if (!digit (c))
        return fail (c, "no digit in the exponent");
      while (digit (c))
        c->pos++;
    }
  if (digit (c))
    return fail (c, "a number with a leading zero");
  tok = g_strndup (c->text + start, c->pos - start);
  errno = 0;
  if (integer)
    {
      g_ascii_strtoll (tok, NULL, 10);
      if (errno == ERANGE)
        {
          c->pos = start;
          return fail (c, "an integer outside [-2^63, 2^63 - 1]");
        }
      return TRUE;
    }
  d = g_ascii_strtod (tok, NULL);
  if (isinf (d))
    {
      c->pos = start;
      return fail (c, "a number too large for a double");
    }
  return TRUE;
}

/* The four hex digits after "\u", or -1. */
static int
hex4 (Checker *c)
{
  int v = 0;

  for (int i = 0; i < 4; i++, c->pos++)
    {
      int d = c->pos < c->len ? g_ascii_xdigit_value (c->text[c->pos]) : -1;

      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* After the "\u" of an escape. */
static gboolean
unicode_escape (Checker *c)
{
  int u = hex4 (c), lo;

  if (u < 0)
    return fail (c, "\\u without four hex digits");
  if (u >= 0xdc00 && u <= 0xdfff)
    return fail (c, "a low surrogate escape without its high half");
  if (u < 0xd800 || u > 0xdbff)
    return TRUE;
  if (c->pos + 1 >= c->len || c->text[c->pos] != '\\' || c->text[c->pos + 1] != 'u')
    return fail (c, "a high surrogate escape without its low half");
  c->pos += 2;
  lo = hex4 (c);
  if (lo < 0xdc00 || lo > 0xdfff)
    return fail (c, "a high surrogate escape without its low half");
  return TRUE;
}

static gboolean
string (Checker *c)
{
  c->pos++;   /* the opening quote */
  while (c->pos < c->len)
    {
      guchar ch = (guchar) c->text[c->pos];
      const char *end;

      if (ch == '"')
        {
          c->pos++;
          return TRUE;
        }
      if (ch < 0x20)
        return fail (c, "a control character in a string");
      if (ch == '\\')
        {
          gsize esc = c->pos;   /* errors point at the backslash */

          if (++c->pos >= c->len)
            break;
          ch = (guchar) c->text[c->pos++];
          if (ch == 'u' ? !unicode_escape (c) : strchr ("\"\\/bfnrt", ch) == NULL || ch == '\0')
            {
              c->pos = esc;
              return fail (c, ch == 'u' ? c->what : "an unknown escape in a string");
            }
          continue;
        }
      if (ch < 0x80)
        {
          c->pos++;
          continue;
        }
      /* One multi-byte character: g_utf8_validate_len() refuses overlong
       * forms, surrogates and code points past U+10FFFF. */
      {
        gsize n = ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : 2;

        if (c->pos + n > c->len
            || !g_utf8_validate_len (c->text + c->pos, n, &end))
          return fail (c, "not UTF-8 text");
        c->pos += n;
      }
    }
  return fail (c, "an unterminated string");
}

static gboolean
literal (Checker    *c,
         const char *word)
{
  gsize n = strlen (word);

  if (c->len - c->pos < n || memcmp (c->text + c->pos, word, n) != 0)
    return fail (c, "not a JSON value");
  c->pos += n;
  return TRUE;
}

static gboolean value (Checker *c,
                       guint    depth);

/* An array or an object (@close is ']' or '}'), at nesting @depth. */
static gboolean
container (Checker *c,
           char     close,
           guint    depth)
{
  if (depth > c->max_depth)
    {
      c->depth_error = g_strdup_printf ("nested more than %u levels deep", c->max_depth);
      return fail (c, c->depth_error);
    }
  c->pos++;
  skip_space (c);
  if (at (c, close))
    {
      c->pos++;
      return TRUE;
    }
  for (;;)
    {
      if (close == '}')
        {
          if (!at (c, '"'))
            return fail (c, "a member name must be a string");
          if (!string (c))
            return FALSE;
          skip_space (c);
          if (!at (c, ':'))
            return fail (c, "':' expected after a member name");
          c->pos++;
          skip_space (c);
        }
      if (!value (c, depth))
        return FALSE;
      skip_space (c);
      if (at (c, close))
        {
          c->pos++;
          return TRUE;
        }
      if (!at (c, ','))
        return fail (c, close == '}' ? "',' or '}' expected" : "',' or ']' expected");
      c->pos++;
      skip_space (c);
    }
}

static gboolean
value (Checker *c,
       guint    depth)
{
  if (c->pos >= c->len)
    return fail (c, "the text ends before a value");
  switch (c->text[c->pos])
    {
    case '{':
      return container (c, '}', depth + 1);
    case '[':
      return container (c, ']', depth + 1);
    case '"':
      return string (c);
    case 't':
      return literal (c, "true");
    case 'f':
      return literal (c, "false");
    case 'n':
      return literal (c, "null");
    default:
      return number (c);
    }
}

gboolean
vi_json_check (const char  *text,
               gsize        len,
               guint        max_depth,
               char       **message)
{
  Checker c = { text, len, 0, max_depth, NULL, NULL };
  gsize line = 1, line_start = 0;

  skip_space (&c);
  if (value (&c, 0))
    {
      skip_space (&c);
      if (c.pos == len)
        return TRUE;
      fail (&c, "text after the value");
    }
  if (message != NULL)
    {
      c.pos = MIN (c.pos, len);
      for (gsize i = 0; i < c.pos; i++)
        if (text[i] == '\n')
          {
            line++;
            line_start = i + 1;
          }
      *message = g_strdup_printf ("line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT ": %s",
                                  line, c.pos - line_start + 1, c.what);
    }
  g_free (c.depth_error);
  return FALSE;
}
