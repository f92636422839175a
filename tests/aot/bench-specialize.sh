#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# bench-aot-specialize: `vmi-aot specialize` and `vmi-aot verify --orig` on the generated
# 100,000-site image (no vmi_rom_area: --rom-base $HARNESS_ROM_BASE), with wall time and peak resident
# memory from GNU time (getrusage ru_maxrss); then the same with the JSON report.  Checks the site
# count, that verify passes and that a second run gives the same bytes.
# Usage: bench-specialize.sh VMI-AOT BIG.ELF ROM SITES
: "${HARNESS_ROM_BASE:?the harness ROM base: set by make (mk/inliner.mk)}"
set -u
aot=$1 img=$2 rom=$3 n=$4
out=${img%.elf}-spec.elf
t=/usr/bin/time
[ -x $t ] || { echo "bench-specialize: GNU time ($t) is needed for peak memory" >&2; exit 1; }
measure() {     # measure LABEL CMD...: runs CMD, prints LABEL, seconds, peak KiB
    local label=$1
    shift
    $t -f "%e %M" -o "$out.time" "$@" >"$out.stdout" 2>"$out.stderr" || {
        echo "FAIL: $label: $(head -3 "$out.stderr")" >&2
        exit 1
    }
    read -r secs kib <"$out.time"
    printf '%-34s %6.2f s wall, %7.1f MiB peak RSS\n' "$label" "$secs" "$(echo "$kib / 1024" | bc -l)"
}
rm -f "$out" "$out.2"
measure "specialize ($n sites)" "$aot" specialize "$img" --rom "$rom" --rom-base $HARNESS_ROM_BASE -o "$out"
sed 's/^/  /' "$out.stdout"
grep -q ": $n sites for " "$out.stdout" || { echo "FAIL: not $n sites" >&2; exit 1; }
measure "verify --orig ($n sites)" "$aot" verify "$out" --rom "$rom" --orig "$img"
sed 's/^/  /' "$out.stdout"
measure "specialize --report ($n sites)" "$aot" specialize "$img" --rom "$rom" --rom-base $HARNESS_ROM_BASE \
    -o "$out.2" --report "$out.json"
cmp -s "$out" "$out.2" || { echo "FAIL: a second run gives different bytes" >&2; exit 1; }
echo "  report: $(stat -c %s "$out.json") bytes; OUT: $(stat -c %s "$out") bytes (input $(stat -c %s "$img")); second run byte-identical"
rm -f "$out.2" "$out.time" "$out.stdout" "$out.stderr"
