#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Counts test cases over meson testlog.json files and prints the final line
"N passed, N failed[, N skipped]". TAP tests count one case per "ok"/"not ok"
line; other tests count as one case. A test that failed without a failing
TAP line (crash, timeout, sanitizer report at exit) adds one failure.
Exits 1 if anything failed or no test ran."""
import json
import re
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    except OSError as e:
        print(f"count-tests: cannot read {path}: {e}", file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        if not line.strip():
            continue
        t = json.loads(line)
        if t.get("is_benchmark"):
            continue
        out = t.get("stdout") or ""
        p = f = s = 0
        for l in out.splitlines():
            m = re.match(r"^(not ok|ok)\b(.*)$", l)
            if not m:
                continue
            skip = re.search(r"#\s*(SKIP|TODO)", m.group(2), re.I)
            if skip:
                s += 1
            elif m.group(1) == "ok":
                p += 1
            else:
                f += 1
        result = t.get("result", "")
        if p + f + s == 0:
            if result in ("OK", "EXPECTEDFAIL"):
                p = 1
            elif result == "SKIP":
                s = 1
            else:
                f = 1
        elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and f == 0:
            f = 1
            print(f"count-tests: {t.get('name')} ended {result} after its cases", file=sys.stderr)
        passed, failed, skipped = passed + p, failed + f, skipped + s

line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)
