#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Writes fuzz_linux_sites seeds into DIR: for each 32-bit ELF given (a kernel with
# .parainstructions), its configuration byte, the base and size of its first executable section
# (4 + 2 bytes, little-endian) and the section's records: the input format of
# tests/fuzz/fuzz_linux_sites.c.  Usage: mkseeds_linux.sh DIR ELF:CONFIG...
set -euo pipefail
dir=$1; shift
for arg in "$@"; do
    elf=${arg%:*}; cfg=${arg##*:}
    read -r addr size < <(readelf -W -S "$elf" | sed 's/^ *\[ *[0-9]*\] *//' |
                          awk '$5 ~ /^[0-9a-f]+$/ && $0 ~ / AX / {print $3, $5; exit}')
    [ -n "$addr" ] || { echo "mkseeds_linux.sh: $elf has no executable section" >&2; exit 1; }
    out="$dir/$(basename "$elf").pv"
    a=$((16#$addr)); s=$((16#$size)); [ $s -le 32768 ] || s=32768
    printf "$(printf '\\%03o' $((cfg)) $((a & 255)) $((a >> 8 & 255)) $((a >> 16 & 255)) $((a >> 24 & 255)) $((s & 255)) $((s >> 8 & 255)))" > "$out"
    objcopy -O binary --only-section=.parainstructions "$elf" "$out.body"
    cat "$out.body" >> "$out" && rm -f "$out.body"
done
