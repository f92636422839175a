#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boots one fixture kernel several times on the native ROM, two boots at a time (this machine has
# two CPUs; SMP boots one at a time), each through tests/linux/boot.sh, and prints every boot's
# report and one total line.
#
#   tests/linux/group.sh [--dir DIR] [--log DIR] [--dummy-rom FILE] options|placement KERNEL
#
# options    one boot per vmi= option of Linux 2.6.32 that applies to this ROM (VMI_OPTIONS)
# placement  traced boots: with FILE (a dummy option ROM) given to QEMU ahead of ours, and with
#            -m 128 and -m 512; ours must be found (its VMI_Init entered) at a 2 KiB boundary other
#            than in the two boots with the default ROM layout
# A missing fixture prints "skipped: no Linux fixtures in DIR" once and exits 0.
# Exit status 0 when every boot passed (and, for placement, the addresses differ), else 1.
set -u
here=$(dirname "$0")
dir=${LINUX_VMI_DIR:-}
logdir=build/linux/logs
dummy=build/linux/zz-dummy.rom
while [ $# -gt 0 ]; do
    case "$1" in
        --dir) dir=$2; shift 2 ;;
        --log) logdir=$2; shift 2 ;;
        --dummy-rom) dummy=$2; shift 2 ;;
        --*) echo "$0: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
if [ $# -ne 2 ]; then
    echo "usage: $0 [--dir DIR] [--log DIR] [--dummy-rom FILE] options|placement KERNEL" >&2
    exit 2
fi
group=$1
kernel=$2
[ -n "$dir" ] || { echo "$0: no fixture directory: give --dir DIR or set LINUX_VMI_DIR" >&2; exit 2; }
case "$kernel" in
    up) image=$dir/bzImage ;;
    pae|smp) image=$dir/$kernel/bzImage ;;
    *) echo "$0: unknown kernel $kernel (up, pae, smp)" >&2; exit 2 ;;
esac
if [ ! -f "$image" ] || [ ! -f "$dir/initrd.cpio" ]; then
    echo "skipped: no Linux fixtures in $dir"
    exit 0
fi

# Linux 2.6.32's parse_vmi also knows disable_noidle, which matters only with the VMI timer (with
# a ROM that answers NONE for the timer, as the native one, Linux sets it itself); disable_cx8 and
# disable_nodelay belong to older kernels and this one ignores them.
VMI_OPTIONS="disable_timer disable_pge disable_pse disable_sep disable_tsc disable_mtrr"
boots=()
case "$group" in
    options)
        for o in $VMI_OPTIONS; do boots+=("$kernel native $o"); done ;;
    placement)
        [ -f "$dummy" ] || { echo "FAIL placement $kernel: no dummy ROM $dummy (run make)"; exit 1; }
        boots=("--trace --pre-rom $dummy --tag pre-rom $kernel native"
               "--trace --mem 128 --tag m128 $kernel native"
               "--trace --mem 512 --tag m512 $kernel native") ;;
    *) echo "$0: unknown group $group (options, placement)" >&2; exit 2 ;;
esac

# Two boots at a time, but one SMP boot at a time: its two emulated CPUs already take both host
# CPUs, and a starved second CPU is what a loaded host breaks first.
jobs=2
[ "$kernel" = smp ] && jobs=1
mkdir -p "$logdir"
start=$(date +%s%N)
results=()
i=0
for b in "${boots[@]}"; do
    r=$logdir/group-$group-$kernel-$i.txt
    results+=("$r")
    # shellcheck disable=SC2086  # b is a list of words
    bash "$here/boot.sh" --dir "$dir" --log "$logdir" $b >"$r" 2>&1 &
    i=$((i + 1))
    [ $((i % jobs)) -eq 0 ] && wait
done
wait
secs=$(( ($(date +%s%N) - start) / 1000000 ))

failed=0
for r in "${results[@]}"; do
    cat "$r"
    grep -aq '^PASS ' "$r" || failed=$((failed + 1))
done
total=${#results[@]}
misplaced=0

if [ "$group" = placement ]; then
    base_of() { sed -n 's/^SUMMARY .* base=\([^ ]*\).*/\1/p' "${results[$1]}" | tail -1; }
    ahead=$(base_of 0); m128=$(base_of 1); m512=$(base_of 2)
    echo "ROM found at (virtual): $ahead with a ROM ahead of it; $m128 with -m 128; $m512 with -m 512"
    if [ "${ahead:--}" = - ] || [ "${m128:--}" = - ] || [ "${m512:--}" = - ]; then
        echo "FAIL placement $kernel: an address is missing (no trace of VMI_Init)"
        misplaced=1
    elif [ "$ahead" = "$m128" ] || [ "$ahead" = "$m512" ]; then
        echo "FAIL placement $kernel: the ROM ahead did not move ours ($ahead)"
        misplaced=1
    fi
fi
echo "linux $group $kernel: $((total - failed)) of $total boots passed in $((secs / 1000)).$(( (secs % 1000) / 100 )) s"
[ "$failed" -eq 0 ] && [ "$misplaced" -eq 0 ]
