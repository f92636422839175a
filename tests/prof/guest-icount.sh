#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The guest kernel's benchmark in exact instructions: each MODE booted twice under QEMU TCG with
# -icount shift=0 (tests/guest/boot.sh --icount), where the guest TSC counts instructions.  The two
# boots' "bench op=" lines must be identical, the log must record the clock ("qemu
# clock=icount-shift-0"), and vmi-prof --guest must read the figures as instructions.  Prints the
# figures.
# Usage: guest-icount.sh VMI-PROF OUTDIR KERNEL MODE...
set -u
prof=$1 out=$2 kernel=$3
shift 3
fail=0
mkdir -p "$out"
for mode in "$@"; do
    lines=()
    for boot in 1 2; do
        bash tests/guest/boot.sh --icount --log "$out/boot$boot" "$kernel" "$mode" > "$out/$mode-$boot.out" ||
            { echo "guest-icount: $mode boot $boot failed:" >&2; tail -5 "$out/$mode-$boot.out" >&2; exit 1; }
        log=$(sed -n 's/^SUMMARY .* log=\([^ ]*\).*/\1/p' "$out/$mode-$boot.out")
        head -1 "$log" | grep -qx 'qemu clock=icount-shift-0' ||
            { echo "guest-icount: $log does not start with 'qemu clock=icount-shift-0'" >&2; exit 1; }
        lines[$boot]=$(grep -a '^bench ' "$log")
        [ -n "${lines[$boot]}" ] || { echo "guest-icount: $log: no bench line" >&2; exit 1; }
    done
    if [ "${lines[1]}" != "${lines[2]}" ]; then
        echo "guest-icount: $mode: the two boots counted differently:" >&2
        diff <(echo "${lines[1]}") <(echo "${lines[2]}") >&2
        fail=1
        continue
    fi
    "$prof" --guest "$log" > "$out/$mode.txt" || { echo "guest-icount: vmi-prof --guest $log failed" >&2; exit 1; }
    grep -q 'best of runs, instructions)' "$out/$mode.txt" ||
        { echo "guest-icount: vmi-prof --guest does not call the figures instructions:" >&2; cat "$out/$mode.txt" >&2; exit 1; }
    # the exact figures: "bench op=irqsave ... native=X call=Y inline=Z" in instructions per pass
    echo "guest-icount $mode: identical in 2 boots: $(grep -a '^bench op=' <<<"${lines[1]}") (instructions per pass)"
done
exit $fail
