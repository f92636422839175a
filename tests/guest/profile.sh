#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Checks the per-site profile a counting boot printed (docs/specializer.md): exactly one block
# between "profile begin ... sites=N" and "profile end sites=N executions=T", "#" comment lines,
# and one line per site "site addr=0x<8 hex digits> call=NAME count=N", addresses increasing,
# N lines, the counts summing to T, something counted.
#
#   tests/guest/profile.sh LOG [SITES]      SITES: the number of sites the plan has
#
# Prints nothing and exits 0 when the block is right; else one line "profile: reason", exit 1.
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 LOG [SITES]" >&2
    exit 2
fi
[ -r "$1" ] || { echo "profile: cannot read $1"; exit 1; }
perr=$(tr -d '\r' <"$1" | awk -v want="${2:-}" '
    /^profile begin / { if (inb || done) { print "two profile blocks"; bad = 1; exit }
                        inb = 1; for (i = 1; i <= NF; i++) if ($i ~ /^sites=/) hs = substr($i, 7)
                        next }
    /^profile end / { if (!inb) { print "profile end without begin"; bad = 1; exit }
                      inb = 0; done = 1
                      for (i = 1; i <= NF; i++) { if ($i ~ /^sites=/) es = substr($i, 7)
                                                  if ($i ~ /^executions=/) ex = substr($i, 12) }
                      next }
    inb && /^#/ { next }
    inb && $1 != "site" { print "profile not ended (line " NR ": " $0 ")"; bad = 1; exit }
    inb { if (NF != 4 || $1 != "site" || $2 !~ /^addr=0x[0-9a-f]+$/ || length($2) != 15 ||
              $3 !~ /^call=[A-Za-z0-9]+$/ || $4 !~ /^count=[0-9]+$/) {
              print "line " NR ": malformed: " $0; bad = 1; exit }
          if (lines && $2 <= last) { print "line " NR ": address not above the previous: " $0; bad = 1; exit }
          last = $2; lines++; sum += substr($4, 7) }
    END { if (bad) exit
          if (!done) { print (inb ? "profile not ended" : "no profile block"); bad = 1; exit }
          if (want == "") want = lines
          if (hs != want || es != want || lines != want) {
              print lines " site lines, begin says " hs ", end " es ", the plan " want; bad = 1; exit }
          if (sum != ex) { print "site counts sum to " sum ", the end line says " ex; bad = 1; exit }
          if (sum == 0) print "no execution counted" }' 2>&1) || perr="awk failed: $perr"
[ -z "$perr" ] && exit 0
echo "profile: $perr"
exit 1
