#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The Linux profile's layout (include/vmi_linux.h, through inliner/linux_ops.c) against the DWARF
# of each fixture kernel:   layout.sh LAYOUT_DUMP LINUX_VMI_DIR
# For each build (DIR, DIR/pae, DIR/smp) the config bits come from its .config; gdb then reads,
# for every row that exists in that build, the member's offset in struct paravirt_patch_template
# (it must be the row's type * 4) or, for an extern row, that the member exists; for every
# template group, sizeof(struct NAME) and the ELF symbol's st_size (both words * 4).  A member
# the table lacks shifts every later offset, so the group sizes and offsets together cover it.
set -u
dump=$1; dir=$2
[ -d "$dir" ] || { echo "skipped: no Linux fixtures in $dir"; exit 0; }
command -v gdb >/dev/null || { echo "layout.sh: gdb is needed (apt-get install gdb)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/linux-layout.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0; builds=0

config_bits() {     # the VMI_LINUX_CFG_* bits of a .config, from the profile's own symbol list
    local cfg=$1 bits=0
    while read -r bit sym; do
        grep -qx "$sym=y" "$cfg" && bits=$((bits | bit))
    done < <(sed -n 's/^#define VMI_LINUX_CFG_[A-Z_]* *\(0x[0-9a-f]*\) *\/\* \(CONFIG_[A-Z0-9_]*\) \*\//\1 \2/p' \
             "$(dirname "$0")/../../include/vmi_linux.h")
    echo $bits
}

for build in "$dir" "$dir/pae" "$dir/smp"; do
    [ -f "$build/vmlinux" ] && [ -f "$build/config" ] || continue
    builds=$((builds + 1))
    cfg=$(config_bits "$build/config")
    "$dump" "$cfg" > "$work/dump" || { echo "FAIL: layout_dump $cfg"; failed=1; continue; }
    "$dump" --patched "$cfg" > "$work/patched" || { echo "FAIL: layout_dump --patched"; failed=1; continue; }
    : > "$work/gdb"; : > "$work/want"
    while read -r kind name a b; do
        if [ "$kind" = group ] && [ "$b" = 0 ]; then
            echo "print/d sizeof(struct $name)" >> "$work/gdb"
            echo "sizeof(struct_$name) $((a * 4))" >> "$work/want"
        elif [ "$kind" = op ] && [ "$a" -ge 0 ]; then
            echo "print/d (unsigned)&((struct paravirt_patch_template *)0)->$name" >> "$work/gdb"
            echo "offsetof($name) $((a * 4))" >> "$work/want"
        elif [ "$kind" = op ]; then
            echo "print/d sizeof($name)" >> "$work/gdb"
            echo "sizeof($name) 4" >> "$work/want"
        fi
    done < "$work/dump"
    gdb -batch -nx -x "$work/gdb" "$build/vmlinux" 2>&1 | sed -n 's/^\$[0-9]* = //p;/No symbol\|There is no member\|Attempt to/p' > "$work/got"
    paste -d' ' "$work/want" "$work/got" > "$work/cmp"
    n=0; before=$failed; failed=0
    while read -r what want got rest; do
        n=$((n + 1))
        [ "$want" = "$got" ] && [ -z "$rest" ] && continue
        echo "FAIL $build: $what is ${got:-missing}${rest:+ $rest}, the table says $want"; failed=1
    done < "$work/cmp"
    [ "$(wc -l < "$work/want")" = "$(wc -l < "$work/got")" ] || {
        echo "FAIL $build: gdb answered $(wc -l < "$work/got") of $(wc -l < "$work/want") questions"; failed=1; }
    # the loader's check: each group's ELF symbol size (a kernel without CONFIG_PARAVIRT_SPINLOCKS
    # has no pv_lock_ops variable, so an absent symbol is not a failure)
    readelf -sW "$build/vmlinux" > "$work/syms"
    nsyms=0
    while read -r kind name a b; do
        [ "$kind" = group ] && [ "$b" = 0 ] || continue
        size=$(awk -v s="$name" '$8 == s && $5 == "GLOBAL" {print $3; exit}' "$work/syms")
        [ -n "$size" ] || continue
        nsyms=$((nsyms + 1))
        if [ "$size" != "$((a * 4))" ]; then
            echo "FAIL $build: symbol $name has st_size $size, the table says $((a * 4))"; failed=1
        fi
    done < "$work/dump"
    # every .parainstructions record names a row of the table (its instrtype is a row's type),
    # and every site of a patched op has room for a call or jmp (vmi_patch() BUG()s below 5 bytes)
    objcopy -O binary --only-section=.parainstructions "$build/vmlinux" "$work/pi" 2>/dev/null
    awk '$1 == "op" && $3 >= 0 { print $3, $2 }' "$work/dump" > "$work/types"
    sites=$(od -An -tu1 -w8 -v "$work/pi" | awk -v types="$work/types" -v patched="$work/patched" '
        BEGIN { while ((getline l < types) > 0) { split(l, f, " "); name[f[1]] = f[2] }
                while ((getline l < patched) > 0) patch[l] = 1 }
        NF == 8 { n++; t = $5; len = $6
                  if (!(t in name)) { printf "FAIL: a site of type %d, which no row has\n", t; bad = 1 }
                  else if ((name[t] in patch) && len < 5) { printf "FAIL: a %d-byte site of %s\n", len, name[t]; bad = 1 } }
        END { if (!bad) print n; exit bad }')
    if [ $? -ne 0 ] || [ -z "$sites" ]; then
        echo "FAIL $build: .parainstructions: ${sites:-no records}" | head -5; failed=1
    fi
    [ $failed = 0 ] && echo "linux layout: $build (config 0x$(printf %x "$cfg")): $n members and" \
        "group sizes and $nsyms symbol sizes agree with the DWARF; all $sites pv sites name a row"
    failed=$((failed | before))
done
[ "$builds" -gt 0 ] || { echo "skipped: no Linux fixtures in $dir"; exit 0; }
exit $failed
