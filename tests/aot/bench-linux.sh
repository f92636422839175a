#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# bench-aot-linux: `vmi-aot sites` (text and --json, with the DWARF op names and file:line) and
# `vmi-aot specialize --report` (the per-site report reads the DWARF too) on the non-PAE fixture
# vmlinux (17.7 MB), with wall time and peak resident memory from GNU time (getrusage
# ru_maxrss), each against its target: under 1 s and under 200 MB.  The best of 3 runs counts
# (the machine is shared); each line ends MET or MISSED.
# Usage: bench-linux.sh VMI-AOT ROMDIR LINUX_VMI_DIR   (LINUX_ROM_BASE: set by make, mk/inliner.mk)
set -u
: "${LINUX_ROM_BASE:?the Linux ROM base: set by make (mk/inliner.mk)}"
aot=$1 romdir=$2 dir=$3
k=$dir/vmlinux
[ -f "$k" ] || { echo "skipped: no Linux fixtures in $dir"; exit 0; }
t=/usr/bin/time
[ -x $t ] || { echo "bench-linux: GNU time ($t) is needed for peak memory" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-linux.XXXXXX")
trap 'rm -rf "$work"' EXIT
missed=0
measure() {     # measure LABEL CMD...: best wall time and its peak RSS over 3 runs
    local label=$1 best="" bkib=""
    shift
    for run in 1 2 3; do
        $t -f "%e %M" -o "$work/time" "$@" > "$work/stdout" 2> "$work/stderr" || {
            echo "FAIL: $label: $(head -3 "$work/stderr")" >&2
            exit 1
        }
        read -r secs kib < "$work/time"
        if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc)" = 1 ]; then best=$secs; bkib=$kib; fi
    done
    local mib tv mv
    mib=$(echo "scale=1; $bkib / 1024" | bc)
    tv=$([ "$(echo "$best < 1" | bc)" = 1 ] && echo MET || echo MISSED)
    mv=$([ "$(echo "$mib < 200" | bc)" = 1 ] && echo MET || echo MISSED)
    [ $tv = MET ] && [ $mv = MET ] || missed=$((missed + 1))
    printf '%-44s %5.2f s / 1 s %-6s %6.1f MiB / 200 MiB %s\n' "$label" "$best" "$tv" "$mib" "$mv"
}
n=$(( 0x$(readelf -SW "$k" | awk '$2 == ".parainstructions" {print $6}') / 8 ))
measure "sites ($n pv sites, text)" "$aot" sites "$k" -o "$work/sites.txt"
measure "sites --json ($n pv sites)" "$aot" sites "$k" --json -o "$work/sites.json"
grep -q "^# $n sites" "$work/sites.txt" || { echo "FAIL: sites did not list $n sites" >&2; exit 1; }
measure "specialize --report (pv ROM, auto)" "$aot" specialize "$k" --rom "$romdir/vmi-pv.rom" \
    --rom-base "$LINUX_ROM_BASE" -o "$work/out" --report "$work/report.json"
measure "specialize (pv ROM, auto, no report)" "$aot" specialize "$k" --rom "$romdir/vmi-pv.rom" \
    --rom-base "$LINUX_ROM_BASE" -o "$work/out2"
measure "verify --orig" "$aot" verify "$work/out" --rom "$romdir/vmi-pv.rom" --orig "$k"
cmp -s "$work/out" "$work/out2" || { echo "FAIL: two specialize runs differ" >&2; exit 1; }
echo "bench-aot-linux: $missed target(s) missed"
