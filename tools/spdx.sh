#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Gives every tracked source file an "SPDX-License-Identifier: GPL-2.0-only" line (LICENSE; the
# ROMs' license string is "GPL v2"), in the comment syntax of its type:
#   C, headers, assembler, linker scripts   /* SPDX-License-Identifier: GPL-2.0-only */
#   shell, make, python, spec (.vmi), pkg-config templates, bash completion   # SPDX-...
#   manuals (man/*.[1-8])                   .\" SPDX-...
# Scripts, makefiles, manuals and templates get it as their first line (after a "#!" line);
# C, assembler, linker scripts and spec files as their last line, so that no line number moves:
# those appear in compiler diagnostics, DWARF line tables and spec errors (FILE:LINE:COL), which
# tests and docs show.  Other tracked files (docs, JSON, expected outputs, binary inputs, test
# tables, the rejected-spec corpus tests/bad/spec whose errors name end-of-file positions) are
# data, not source, and are left alone.
#
#   tools/spdx.sh            adds the line where it is missing (idempotent); prints each file
#   tools/spdx.sh --check    lists the source files without it; exit 1 if there are any
# Run from anywhere inside the checkout; it works on `git ls-files`.
set -u
TAG="SPDX-License-Identifier: GPL-2.0-only"
check=0
case "${1:-}" in
    --check) check=1 ;;
    "") ;;
    -h|--help) awk 'NR > 1 && /^#/ && !/^# SPDX-License-Identifier:/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
               exit 0 ;;
    *) echo "spdx.sh: unknown argument '$1' (expected --check)" >&2; exit 2 ;;
esac
top=$(git rev-parse --show-toplevel 2>/dev/null) || { echo "spdx.sh: not in a git checkout" >&2; exit 2; }
cd "$top" || exit 2

# The comment style and place of one path: "c-end", "hash-top", "man-top", or nothing (data).
style_of() {
    case "$1" in
        tests/bad/spec/*) ;;    # the rejected-spec corpus: every byte and position is the test
        *.c|*.h|*.S|*.s|*.ld) echo c-end ;;
        *.vmi) echo hash-end ;;
        *.sh|*.py|*.mk|Makefile|*/Makefile|*.pc.in|completion/*) echo hash-top ;;
        man/*.[1-8]) echo man-top ;;
    esac
}

# Writes FILE with LINE inserted (at the top after a shebang, or appended), atomically.
add_line() {
    local file=$1 place=$2 line=$3 tmp
    tmp=$(mktemp "$file.spdx.XXXXXX") || return 1
    if [ "$place" = top ]; then
        if head -c 2 "$file" | grep -q '^#!'; then
            { head -n 1 "$file"; printf '%s\n' "$line"; tail -n +2 "$file"; } > "$tmp"
        else
            { printf '%s\n' "$line"; cat "$file"; } > "$tmp"
        fi
    else
        # A last line without its newline gets one first.
        { cat "$file"; [ -z "$(tail -c 1 "$file")" ] || echo; printf '%s\n' "$line"; } > "$tmp"
    fi
    chmod --reference="$file" "$tmp" && mv "$tmp" "$file"
}

# The exact line of a style: a file "has" it only as a whole line (not, say, inside a string).
line_of() {
    case "$1" in
        c-end) echo "/* $TAG */" ;;
        hash-end|hash-top) echo "# $TAG" ;;
        man-top) echo ".\\\" $TAG" ;;
    esac
}

missing=0 added=0
while IFS= read -r -d '' f; do
    style=$(style_of "$f")
    [ -n "$style" ] && [ -f "$f" ] || continue
    line=$(line_of "$style")
    grep -qxF -- "$line" "$f" && continue
    if [ "$check" -eq 1 ]; then
        echo "$f: no $TAG line"
        missing=$((missing + 1))
        continue
    fi
    case "$style" in
        *-end) add_line "$f" end "$line" ;;
        *-top) add_line "$f" top "$line" ;;
    esac || { echo "spdx.sh: $f: cannot rewrite" >&2; exit 1; }
    echo "$f"
    added=$((added + 1))
done < <(git ls-files -z)

if [ "$check" -eq 1 ]; then
    [ "$missing" -eq 0 ] && echo "check-spdx: every tracked source file has its SPDX line" && exit 0
    echo "check-spdx: $missing files without an SPDX line: run bash tools/spdx.sh" >&2
    exit 1
fi
echo "spdx.sh: $added files given an SPDX line"
