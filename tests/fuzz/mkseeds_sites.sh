#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Writes fuzz_sites seeds into DIR: the vmi_sites section of each 32-bit ELF given, prefixed with
# its address (4 bytes, little-endian), the input format of tests/fuzz/fuzz_sites.c.
# Usage: mkseeds_sites.sh DIR ELF...
set -euo pipefail
dir=$1; shift
for elf in "$@"; do
    addr=$(readelf -W -S "$elf" | awk '$2 == "vmi_sites" {print $4} $3 == "vmi_sites" {print $5}' | head -1)
    [ -n "$addr" ] || { echo "mkseeds_sites.sh: $elf has no vmi_sites section" >&2; exit 1; }
    out="$dir/$(basename "$elf").sites"
    a=$((16#$addr))
    printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((a & 255)) $((a >> 8 & 255)) $((a >> 16 & 255)) $((a >> 24 & 255)))" > "$out"
    objcopy -O binary --only-section=vmi_sites "$elf" "$out.body"
    cat "$out.body" >> "$out" && rm -f "$out.body"
done
