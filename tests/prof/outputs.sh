#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# vmi-prof's output files and progress lines (docs/profiling.md, "Progress and output files"):
#  - an output that cannot be written (a missing directory, a directory as the name) fails before
#    anything is measured, at the full N and K: exit 1, one line on stderr naming the file,
#    nothing on stdout, no progress line (and within 10 s: a hang detector, not a timing target;
#    measuring takes 20 s);
#  - a failed run leaves an existing output as it was and no temporary file behind;
#  - a good run replaces its outputs whole and leaves no temporary file;
#  - a line on stderr per workload phase (rdtsc and callgrind), none with --quiet.
# Usage: outputs.sh VMI-PROF OUTDIR
set -u
prof=$1 out=$2/outputs
rm -rf "$out"
mkdir -p "$out"
fail=0
err() { echo "outputs: $*" >&2; fail=1; }

# $1: the file the line must name; the rest: vmi-prof's arguments
refuse() {
    local name=$1
    shift
    local t0 t1 rc lines
    t0=$(date +%s%N)
    "$prof" "$@" > "$out/stdout" 2> "$out/stderr"
    rc=$?
    t1=$(date +%s%N)
    lines=$(wc -l < "$out/stderr")
    [ $rc -eq 1 ] || err "$*: status $rc, want 1"
    [ "$lines" -eq 1 ] || err "$*: $lines lines on stderr, want 1: $(head -3 "$out/stderr")"
    grep -qF "$name" "$out/stderr" || err "$*: the line does not name $name: $(cat "$out/stderr")"
    grep -q 'rdtsc \[' "$out/stderr" && err "$*: measured before failing"
    [ -s "$out/stdout" ] && err "$*: wrote to stdout"
    [ $(( (t1 - t0) / 1000000 )) -lt 10000 ] || err "$*: took $(( (t1 - t0) / 1000000 )) ms: it measured?"
}
refuse /nonexistent/x.json --json=/nonexistent/x.json
refuse /nonexistent/x.png --chart /nonexistent/x.png
refuse /nonexistent/x.svg --chart=/nonexistent/x.svg --json="$out/ok.json"
refuse "$out/missing/g.png" --guest tests/prof/guest-pv-auto.log --chart "$out/missing/g.png"
refuse "$out/missing/r.json" --json="$out/missing/r.json"
refuse "$out/missing/r.csv" --csv="$out/missing/r.csv"
refuse "$out/missing/r.svg" --chart "$out/missing/r.svg"
refuse "$out/missing/r.png" --json="$out/ok.json" --chart "$out/missing/r.png"
mkdir -p "$out/adir"
refuse "$out/adir" --json="$out/adir"
refuse "$out/missing/p.json" --patch-bench 1000 --json="$out/missing/p.json"
refuse "$out/missing/g.json" --guest tests/prof/guest-pv-auto.log --json="$out/missing/g.json"
[ -e "$out/ok.json" ] && err "a refused run left $out/ok.json"

# a failed measurement: the old file stays, no temporary file is left
echo old > "$out/keep.json"
"$prof" --engine /bin/false --json="$out/keep.json" > /dev/null 2>&1 && err "--engine /bin/false succeeded"
[ "$(cat "$out/keep.json")" = old ] || err "a failed run changed keep.json"

# a good run: outputs replaced whole, progress per workload, nothing left over
"$prof" --n 1000 --k 3 --trap-n 10 --only Interrupt --json="$out/keep.json" --csv="$out/r.csv" \
    --chart "$out/r.svg" > "$out/table.txt" 2> "$out/progress.txt" || err "the good run failed"
python3 -m json.tool "$out/keep.json" > /dev/null || err "keep.json is not JSON"
n=$(grep -c '^vmi-prof: rdtsc \[[0-9]*/4\] [A-Za-z]*Interrupt[A-Za-z]*: 3 repetitions x [45] strategies, N=1000$' "$out/progress.txt")
[ "$n" -eq 4 ] || err "want 4 rdtsc progress lines, got $n: $(cat "$out/progress.txt")"
[ "$(wc -l < "$out/progress.txt")" -eq 4 ] || err "other lines on stderr: $(cat "$out/progress.txt")"
"$prof" --quiet --n 1000 --k 3 --trap-n 10 --only Interrupt > /dev/null 2> "$out/quiet.txt"
[ -s "$out/quiet.txt" ] && err "--quiet still printed: $(cat "$out/quiet.txt")"
if [ -x /usr/bin/valgrind ]; then
    "$prof" --n 500 --k 3 --only DisableInterrupts --callgrind > /dev/null 2> "$out/cg.txt"
    grep -q '^vmi-prof: callgrind \[1/1\] DisableInterrupts: 4 strategies' "$out/cg.txt" ||
        err "no callgrind progress line: $(cat "$out/cg.txt")"
fi
left=$(find "$out" -name '*.tmp.*' | head -3)
[ -z "$left" ] || err "temporary files left: $left"
[ $fail = 0 ] && echo "vmi-prof outputs: 11 unwritable outputs refused before measuring, with one line; a failed run keeps the old file; progress per workload, silent with --quiet; no temporary file left"
exit $fail
