#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Library code never prints: in the core (inliner/) and the hosted library (lib/), no call that
# writes to the terminal (printf, puts, putchar, perror, vprintf, or fprintf/fputs/fputc/putc/
# vfprintf/fwrite/dprintf aimed at stdout or stderr, or to file descriptors 1 and 2).  A library
# reports through its error record (struct vmi_error, struct aot_err) and writes documents only
# to the FILE * its caller gives it; main and the commands print.
#
#   noprint.sh [ROOT]     (default: the current directory)
#
# Prints FILE:LINE: TEXT per call and exits 1 when there is one.  Comment lines (starting with
# "/*", "*" or "//") are not read.
set -u
cd "${1:-.}" || exit 2
pattern='(^|[^A-Za-z0-9_.>])(printf|puts|putchar|perror|vprintf)[[:space:]]*\(|(fprintf|fputs|fputc|putc|vfprintf|fwrite|dprintf)[[:space:]]*\([^;]*\b(stdout|stderr)\b|(dprintf|write)[[:space:]]*\([[:space:]]*[12][[:space:]]*,'
mapfile -t files < <(find inliner lib \( -name '*.c' -o -name '*.h' \) -type f 2>/dev/null | LC_ALL=C sort)
if [ ${#files[@]} -eq 0 ]; then
    echo "noprint: no C file under $(pwd)/inliner or lib"
    exit 2
fi
hits=$(grep -HnE "$pattern" -- "${files[@]}" | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*|//)')
if [ -n "$hits" ]; then
    printf '%s\n' "$hits" | sed 's/$/   (library code prints: return an error, let the caller report)/'
    echo "noprint: $(printf '%s\n' "$hits" | wc -l) call(s) that print in library code"
    exit 1
fi
echo "noprint: ${#files[@]} files of inliner/ and lib/, none prints"
