#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make demo's Linux row: boots the non-PAE Linux 2.6.32 fixture on the native ROM (traced, through
# tests/linux/boot.sh) and prints one row in the format of tests/guest/demo.sh's boot table, which
# make demo prints just before.  Columns that only the project's guest kernel reports (its sites
# as patched, its cycle counts) are "-"; the row ends with the routines Linux entered in the ROM.
#
#   tests/linux/demo.sh [--dir DIR]
#
# A missing fixture prints "skipped: no Linux fixtures in DIR" and exits 0.  Exits 1 unless the
# boot passed.
set -u
here=$(dirname "$0")
dir=${LINUX_VMI_DIR:-}
[ "${1:-}" = --dir ] && dir=$2
[ -n "$dir" ] || { echo "$0: no fixture directory: give --dir DIR or set LINUX_VMI_DIR" >&2; exit 2; }
logdir=build/linux/logs/demo
mkdir -p "$logdir"
out=$logdir/result.txt
bash "$here/boot.sh" --dir "$dir" --log "$logdir" --trace up native >"$out" 2>&1
status=$?
if grep -aq '^skipped: ' "$out"; then
    cat "$out"
    exit 0
fi
s=$(grep -a '^SUMMARY ' "$out" | tail -1)
[ -n "$s" ] || s="SUMMARY result=ERROR"
get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2" | head -1; }
routines=$(sed -n 's/^  ROM at .*entered: //p' "$out")
ms=$(get ms "$s")

echo
echo "Linux 2.6.32 (CONFIG_VMI=y, non-PAE) on the native ROM: qemu-system-i386 -option-rom, accelerator tcg"
echo
printf '%-13s %-6s %-5s %6s %6s %5s %6s  %-7s %8s %8s %8s\n' mode cc accel inline call nop native result \
    native call inline
printf '%-13s %-6s %-5s %6s %6s %5s %6s  %-7s %8s %8s %8s\n' ------------- ------ ----- ------ ------ ----- ------ \
    ------- -------- -------- --------
printf '%-13s %-6s %-5s %6s %6s %5s %6s  %-7s %8s %8s %8s  %s\n' linux-2.6.32 gcc tcg - - - - \
    "$(get result "$s")" - - - "native ROM at $(get base "$s"), ${ms:-?} ms"
echo
if [ -n "$routines" ]; then
    echo "ROM routines Linux entered: $routines"
fi
if [ "$status" -ne 0 ]; then
    echo "--- linux-2.6.32 native"
    grep -a '^  - ' "$out" | head -8
fi
echo "linux demo: $([ "$status" -eq 0 ] && echo 1 || echo 0) of 1 boots passed; console log $(get log "$s")"
[ "$status" -eq 0 ]
