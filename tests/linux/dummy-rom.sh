#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Writes a minimal valid 512-byte option ROM: signature 55 AA, length 1 (x 512 bytes), an init
# entry at offset 3 that only returns (retf), zeros, and a last byte that makes the bytes sum to
# 0 mod 256.  Run by the BIOS ahead of a VMI ROM, it takes the first free 2 KiB slot of the option
# ROM area, so the VMI ROM lands at another address (tests/linux/group.sh placement).  SeaBIOS, as
# QEMU here hands it the -option-rom files, runs them in the reverse order of their file names,
# so mk/linux.mk names it zz-dummy.rom (and group.sh checks from the trace that ours moved).
#
#   tests/linux/dummy-rom.sh OUT
set -eu
[ $# -eq 1 ] || { echo "usage: $0 OUT" >&2; exit 2; }
out=$1
tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT
head=(0x55 0xaa 0x01 0xcb)            # signature, 512-byte blocks, retf
sum=0
for b in "${head[@]}"; do sum=$((sum + b)); done
{
    printf "$(printf '\\x%02x' "${head[@]}")"
    head -c $((512 - ${#head[@]} - 1)) /dev/zero
    printf "\\x$(printf '%02x' $(((256 - sum % 256) % 256)))"
} >"$tmp"
[ "$(stat -c %s "$tmp")" -eq 512 ] || { echo "$out: wrote $(stat -c %s "$tmp") bytes, not 512" >&2; exit 1; }
mv "$tmp" "$out"
trap - EXIT
