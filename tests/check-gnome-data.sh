#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Validates the GNOME integration files (issue #5). Speaks TAP.
#
#   check-gnome-data.sh desktop FILE        desktop-file-validate, no errors or warnings
#   check-gnome-data.sh metainfo FILE       appstreamcli validate --no-net, no errors,
#                                           warnings or infos (see below)
#   check-gnome-data.sh screenshots FILE DIR
#                                           each screenshot the metainfo links is a PNG
#                                           in DIR (SKIP until made with --screenshot)
#   check-gnome-data.sh mime XML DESKTOP    update-mime-database takes XML silently, its
#                                           types and globs are registered, DESKTOP
#                                           lists each type in MimeType=
#   check-gnome-data.sh schema SRCDIR       glib-compile-schemas --strict --dry-run, silent
#   check-gnome-data.sh schema-keys DIR     the compiled schema in DIR has the keys,
#                                           types and defaults the app relies on
#   check-gnome-data.sh icons SVG...        xmllint, square viewBox, symbolic = one colour
#   check-gnome-data.sh po PO               msgfmt --check: no untranslated, no fuzzy,
#                                           mnemonics kept
#   check-gnome-data.sh po-current PODIR SRCROOT
#                                           PO still covers every string in POTFILES.in
#   check-gnome-data.sh sv-runtime APP LOCALEDIR
#                                           `APP --help` under LANGUAGE=sv shows Swedish
set -u

n=0
failed=0
ok ()     { n=$((n + 1)); echo "ok $n - $*"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
diag ()   { printf '%s\n' "$@" | sed 's/^/# /'; }
finish () { echo "1..$n"; exit $failed; }

mode=${1:-}
[ $# -gt 0 ] && shift

case "$mode" in
  desktop)
    for f in "$@"; do
      out=$(desktop-file-validate "$f" 2>&1); rc=$?
      [ -n "$out" ] && diag "$out"
      # Hints are advice, not defects: the spec allows several main categories
      # and GNOME Shell shows no category menu (Education;Science;Math; is wanted).
      if [ $rc -ne 0 ] || printf '%s\n' "$out" | grep -q -E ': (error|warning): '; then
        not_ok "desktop-file-validate $(basename "$f")"
      else
        ok "desktop-file-validate $(basename "$f")"
      fi
    done
    finish
    ;;

  metainfo)
    for f in "$@"; do
      out=$(appstreamcli validate --no-net --explain "$f" 2>&1); rc=$?
      diag "$out"
      # AppStream < 1.0 (Debian 12 has 0.16) does not know <developer id="…">
      # yet and reports it as an info; <developer_name> is there for it. Any
      # other error, warning or info fails.
      issues=$(printf '%s\n' "$out" | grep -E '^[EWI]: ' | grep -v -E '^I: [^ ]+ unknown-tag developer$')
      if [ $rc -ne 0 ] || [ -n "$issues" ]; then
        not_ok "appstreamcli validate --no-net $(basename "$f")"
      else
        ok "appstreamcli validate --no-net $(basename "$f")"
      fi
      for want in '<developer id="' '<developer_name' '<content_rating type="oars-1.1"' \
                  '<launchable type="desktop-id">io.github.elbolab.ElboLab.desktop<' \
                  '<release version="0.1.0" date="' \
                  '<url type="homepage">https://github.com/elbolab/elbo-lab</url>'; do
        if grep -q -F "$want" "$f"; then ok "metainfo has $want"; else not_ok "metainfo has $want"; fi
      done
      bad=$(grep -o -E '<image[^>]*>[^<]*' "$f" | sed 's/.*>//' \
            | grep -v -E '^https://raw\.githubusercontent\.com/elbolab/elbo-lab/main/data/screenshots/[a-z0-9-]+\.png$')
      if grep -q '<image' "$f" && [ -z "$bad" ]; then
        ok "screenshots are absolute URLs under data/screenshots/"
      else
        not_ok "screenshots are absolute URLs under data/screenshots/: ${bad:-none found}"
      fi
    done
    finish
    ;;

  mime)
    xml=$1
    desktop=$2
    tmp=$(mktemp -d) || exit 1
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp/mime/packages" && cp "$xml" "$tmp/mime/packages/"
    out=$(xmllint --noout "$xml" 2>&1 \
          && XDG_DATA_HOME="$tmp" XDG_DATA_DIRS="$tmp" update-mime-database "$tmp/mime" 2>&1)
    rc=$?
    [ -n "$out" ] && diag "$out"
    if [ $rc -eq 0 ] && [ -z "$out" ]; then
      ok "update-mime-database $(basename "$xml")"
    else
      not_ok "update-mime-database $(basename "$xml")"
    fi
    for t in $(grep -o '<mime-type type="[^"]*"' "$xml" | sed 's/.*type="//; s/"$//'); do
      if grep -q -x -F "$t" "$tmp/mime/types"; then ok "$t registered"; else not_ok "$t registered"; fi
      if grep -q -E "^[0-9]+:$t:\*\." "$tmp/mime/globs2"; then
        ok "$t has a glob"
      else
        not_ok "$t has a glob"
      fi
      if grep -E '^MimeType=' "$desktop" | tr '=;' '\n\n' | grep -q -x -F "$t"; then
        ok "$(basename "$desktop") MimeType= lists $t"
      else
        not_ok "$(basename "$desktop") MimeType= lists $t"
      fi
    done
    finish
    ;;

  screenshots)
    f=$1
    dir=$2
    # One "WIDTHxHEIGHT URL" line per <image>; the PNG must have the size stated.
    grep -o -E '<image[^>]*>[^<]*' "$f" \
      | sed -E 's/.*width="([0-9]+)".*height="([0-9]+)".*>(.*)/\1x\2 \3/' > "${TMPDIR:-/tmp}/elbo-lab-ss.$$"
    while read -r want url; do
      png=$dir/$(basename "$url")
      if [ ! -e "$png" ]; then
        ok "$(basename "$png") is in data/screenshots # SKIP not made yet (elbo-lab --screenshot)"
      elif [ "$(od -A n -t x1 -N 8 "$png" | tr -d ' \n')" = 89504e470d0a1a0a ]; then
        size=$(od -A n -t u1 -j 16 -N 8 "$png" \
               | awk '{ printf "%dx%d", $1*16777216 + $2*65536 + $3*256 + $4, $5*16777216 + $6*65536 + $7*256 + $8 }')
        if [ "$size" = "$want" ]; then
          ok "$(basename "$png") is a $size PNG, as the metainfo says"
        else
          not_ok "$(basename "$png") is $size, the metainfo says $want"
        fi
      else
        not_ok "$(basename "$png") is not a PNG"
      fi
    done < "${TMPDIR:-/tmp}/elbo-lab-ss.$$"
    rm -f "${TMPDIR:-/tmp}/elbo-lab-ss.$$"
    finish
    ;;

  schema)
    out=$(glib-compile-schemas --strict --dry-run "$1" 2>&1); rc=$?
    [ -n "$out" ] && diag "$out"
    if [ $rc -eq 0 ] && [ -z "$out" ]; then
      ok "glib-compile-schemas --strict --dry-run"
    else
      not_ok "glib-compile-schemas --strict --dry-run"
    fi
    finish
    ;;

  schema-keys)
    dir=$1
    schema=io.github.elbolab.ElboLab
    # key|default as `gsettings get` prints it
    for kv in "window-width|1280" "window-height|800" "window-maximized|false" \
              "last-page|'expfam'" "style-variant|'system'" \
              "expfam-settings|@a{sv} {}" "bbvi-settings|@a{sv} {}" \
              "lda-settings|@a{sv} {}" "vae-settings|@a{sv} {}"; do
      key=${kv%%|*}
      want=${kv#*|}
      got=$(gsettings --schemadir "$dir" get "$schema" "$key" 2>&1)
      if [ "$got" = "$want" ]; then
        ok "$key defaults to $want"
      else
        not_ok "$key defaults to $want, got: $got"
      fi
    done
    got=$(gsettings --schemadir "$dir" range "$schema" style-variant 2>&1 | tr '\n' ' ')
    if [ "$got" = "enum 'system' 'light' 'dark' " ]; then
      ok "style-variant choices are system, light, dark"
    else
      not_ok "style-variant choices are system, light, dark, got: $got"
    fi
    got=$(gsettings --schemadir "$dir" list-keys "$schema" 2>&1 | sort | tr '\n' ' ')
    want="bbvi-settings expfam-settings last-page lda-settings style-variant vae-settings window-height window-maximized window-width "
    if [ "$got" = "$want" ]; then ok "no other keys"; else not_ok "keys are $want, got: $got"; fi
    # The path is part of the contract: users' stored settings live there.
    if grep -q -F 'path="/io/github/elbolab/ElboLab/"' "$2"; then
      ok "schema path is /io/github/elbolab/ElboLab/"
    else
      not_ok "schema path is /io/github/elbolab/ElboLab/"
    fi
    finish
    ;;

  icons)
    for f in "$@"; do
      name=$(basename "$f")
      out=$(xmllint --noout "$f" 2>&1); rc=$?
      [ -n "$out" ] && diag "$out"
      if [ $rc -eq 0 ] && [ -z "$out" ]; then ok "xmllint $name"; else not_ok "xmllint $name"; fi
      root=$(xmllint --xpath 'name(/*)' "$f" 2>/dev/null)
      vb=$(xmllint --xpath 'string(/*/@viewBox)' "$f" 2>/dev/null)
      case "$name" in
        *-symbolic.svg) want_vb="0 0 16 16" ;;
        *) want_vb="0 0 128 128" ;;
      esac
      if [ "$root" = svg ] && [ "$vb" = "$want_vb" ]; then
        ok "$name is an <svg> with viewBox $want_vb"
      else
        not_ok "$name is an <svg> with viewBox $want_vb, got <$root> viewBox '$vb'"
      fi
      case "$name" in
        *-symbolic.svg)
          # GTK recolours symbolic icons through their fill only: one colour,
          # no strokes, no gradients, no images.
          colours=$(grep -o -i -E '#[0-9a-f]{6}\b|#[0-9a-f]{3}\b' "$f" | tr 'A-F' 'a-f' | sort -u | tr '\n' ' ')
          if [ "$(printf '%s' "$colours" | wc -w)" -eq 1 ] \
             && ! grep -q -E 'stroke=|stroke:|Gradient|<image|<text' "$f"; then
            ok "$name is one colour ($colours) of filled shapes"
          else
            not_ok "$name is one colour of filled shapes: colours $colours"
          fi
          ;;
      esac
    done
    finish
    ;;

  po)
    po=$1
    out=$(LC_ALL=C msgfmt --check --check-accelerators=_ --statistics -o /dev/null "$po" 2>&1); rc=$?
    diag "$out"
    # All-translated files print exactly "N translated messages." (or "message.").
    if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q -E '^[1-9][0-9]* translated messages?\.$'; then
      ok "msgfmt --check $(basename "$po"): no untranslated, no fuzzy"
    else
      not_ok "msgfmt --check $(basename "$po"): no untranslated, no fuzzy"
    fi
    finish
    ;;

  po-current)
    podir=$1
    srcroot=$2
    tmp=$(mktemp -d) || exit 1
    trap 'rm -rf "$tmp"' EXIT
    # The same extraction as meson's i18n.gettext (preset: 'glib').
    if xgettext --package-name=elbo-lab -f "$podir/POTFILES.in" -D "$srcroot" \
         -o "$tmp/elbo-lab.pot" --from-code=UTF-8 --add-comments -k_ -kN_ -kC_:1c,2 \
         -kNC_:1c,2 -kg_dcgettext:2 -kg_dngettext:2,3 -kg_dpgettext2:2c,3 2>"$tmp/err"; then
      ok "xgettext over POTFILES.in"
    else
      diag "$(cat "$tmp/err")"
      not_ok "xgettext over POTFILES.in"
      finish
    fi
    # xgettext cannot expand G_GUINT64_FORMAT and friends: it cuts the msgid at
    # the macro, and the full string is then never found at run time. Use
    # "%" PRIu64 (xgettext knows <inttypes.h>) or a %s of a formatted number.
    cut=$(msgcat --no-wrap "$tmp/elbo-lab.pot" | grep -E '^msgid ".*%"$' | grep -v -E '%%"$')
    if [ -z "$cut" ]; then
      ok "no msgid is cut short at a format macro"
    else
      diag "$cut"
      not_ok "no msgid is cut short at a format macro (G_*_FORMAT in a _() string)"
    fi
    for lang in $(grep -v '^#' "$podir/LINGUAS"); do
      msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$podir/$lang.po" "$tmp/elbo-lab.pot"
      stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
      if printf '%s\n' "$stats" | grep -q -E '^[1-9][0-9]* translated messages?\.$'; then
        ok "$lang.po translates every string in the sources"
      else
        diag "after msgmerge with the sources: $stats"
        diag "(update with: meson compile -C _build elbo-lab-update-po, then translate)"
        diag "$(msgattrib --untranslated --no-obsolete --no-wrap "$tmp/$lang.po" | grep '^msgid "..*"$')"
        not_ok "$lang.po translates every string in the sources"
      fi
    done
    finish
    ;;

  sv-runtime)
    app=$1
    localedir=$2
    mo="$localedir/sv/LC_MESSAGES/elbo-lab.mo"
    if [ ! -f "$mo" ]; then not_ok "$mo exists"; finish; fi
    ok "$mo exists"
    en=$(LANG=C.UTF-8 LC_ALL= LANGUAGE= ELBO_LAB_LOCALEDIR="$localedir" "$app" --help 2>&1); rc_en=$?
    sv=$(LANG=C.UTF-8 LC_ALL= LANGUAGE=sv ELBO_LAB_LOCALEDIR="$localedir" "$app" --help 2>&1); rc_sv=$?
    if [ $rc_en -eq 0 ] && [ $rc_sv -eq 0 ]; then
      ok "--help exits 0 in both languages"
    else
      diag "C: $en" "sv: $sv"
      not_ok "--help exits 0 in both languages (C: $rc_en, sv: $rc_sv)"
    fi
    # Every translated one-line message of ours that differs from its English:
    # one must show up in Swedish, its English original must not.
    msgunfmt --no-wrap "$mo" | awk '
      /^msgid "/  { id = substr ($0, 8, length ($0) - 8); next }
      /^msgstr "/ { s = substr ($0, 9, length ($0) - 9)
                    if (id != "" && s != id && length (id) >= 8 && index (id, "\\") == 0)
                      print id "\t" s }' > "${TMPDIR:-/tmp}/elbo-lab-sv.$$"
    found=""
    while IFS="$(printf '\t')" read -r id s; do
      if printf '%s\n' "$sv" | grep -q -F -- "$s" && printf '%s\n' "$en" | grep -q -F -- "$id" \
         && ! printf '%s\n' "$sv" | grep -q -F -- "$id"; then
        found="$id -> $s"
        break
      fi
    done < "${TMPDIR:-/tmp}/elbo-lab-sv.$$"
    rm -f "${TMPDIR:-/tmp}/elbo-lab-sv.$$"
    if [ -n "$found" ]; then
      ok "LANGUAGE=sv --help shows Swedish: $found"
    else
      diag "C: $en" "sv: $sv"
      not_ok "LANGUAGE=sv --help shows none of our Swedish strings"
    fi
    finish
    ;;

  *)
    echo "usage: $0 desktop|metainfo|schema|schema-keys|icons|po|po-current|sv-runtime ARGS..." >&2
    exit 2
    ;;
esac
