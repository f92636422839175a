#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The loader on kernels pre-specialized by vmi-aot, made at test time from the fixture (never
# stored), then booted with the native ROM by tests/loader/boot.sh:
#
#   tests/loader/aot.sh LOADER FIXTURES VMI_AOT ROM_BASE KERNEL MODE
#
# MODE       image                                                   expected loader state
# match      specialized for the native ROM at ROM_BASE              aot=match, nothing written
# mismatch   specialized for the pv ROM at ROM_BASE                  aot=mismatch, re-planned
# untrusted  the match image with one site's first byte flipped      aot=untrusted, unpatched
# malformed  the match image with .vmi_aot's magic changed           one line, a clean stop (status 3)
# (the damaged copies are aot-imgedit's, tests/aot/imgedit.c: AOT_IMGEDIT, else beside VMI_AOT)
# ROM_BASE is where Linux will call the ROM: PAGE_OFFSET + where QEMU puts the option ROM; "probe"
# asks the loader (vmi.stop, native-only: it reports rom= and stops before Linux) and adds the
# kernel's PAGE_OFFSET (p_vaddr - p_paddr of its first PT_LOAD segment).
set -u
if [ $# -ne 6 ]; then
    echo "usage: $0 LOADER FIXTURES VMI_AOT ROM_BASE up|pae|smp match|mismatch|untrusted|malformed" >&2
    exit 2
fi
loader=$1 fixtures=$2 aot=$3 base=$4 kernel=$5 mode=$6
romdir=${VMI_ROM_DIR:-build/rom}
[ -f "$fixtures/vmlinux" ] || { echo "skipped: no Linux fixtures in $fixtures"; exit 0; }
case "$kernel" in
    up) src=$fixtures/vmlinux ;;
    pae|smp) src=$fixtures/$kernel/vmlinux ;;
    *) echo "$0: unknown kernel $kernel" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$base" = probe ]; then
    timeout 60 "${QEMU:-qemu-system-i386}" -accel tcg -m 256 -display none -no-reboot -nic none \
        -monitor none -serial "file:$tmp/probe.log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -option-rom "$romdir/vmi-native.rom" -kernel "$loader" -initrd "$src,$fixtures/initrd.cpio" \
        -append "vmi.stop vmi.policy=native-only" </dev/null >/dev/null 2>&1
    phys=$(tr -d '\r' <"$tmp/probe.log" | sed -n 's/^vmi-loader: rom=\(0x[0-9a-f]*\) .*/\1/p')
    offset=$(readelf -lW "$src" | awk '$1 == "LOAD" { print $3, $4; exit }')
    [ -n "$phys" ] && [ -n "$offset" ] || { echo "FAIL $kernel-aot-$mode: the loader found no ROM to specialize for"; exit 1; }
    read -r vaddr paddr <<<"$offset"
    base=$(printf '0x%x' $(( phys + vaddr - paddr )))
fi
rom=native
[ "$mode" = mismatch ] && rom=pv
"$aot" specialize "$src" --rom "$romdir/vmi-$rom.rom" --rom-base "$base" --policy auto \
    -o "$tmp/spec.elf" >"$tmp/spec.out" 2>&1 || { echo "FAIL $kernel-aot-$mode: specialize: $(cat "$tmp/spec.out")"; exit 1; }
image=$tmp/spec.elf
edit=${AOT_IMGEDIT:-$(dirname "$aot")/aot-imgedit}     # tests/aot/imgedit.c, beside vmi-aot
if [ "$mode" = untrusted ]; then
    addr=$("$edit" records "$src" | awk 'NR == 1 { print $2 }')
    "$edit" flip-addr "$tmp/spec.elf" "$tmp/tampered.elf" "$addr" ||
        { echo "FAIL $kernel-aot-$mode: cannot flip the site at $addr"; exit 1; }
    image=$tmp/tampered.elf
fi
if [ "$mode" = malformed ]; then
    "$edit" record-magic "$tmp/spec.elf" "$tmp/bad.elf" || { echo "FAIL $kernel-aot-$mode: cannot break .vmi_aot"; exit 1; }
    log=${LOADER_LOG_DIR:-build/loader/logs}/$kernel-aot-$mode.log
    mkdir -p "$(dirname "$log")"
    timeout 60 "${QEMU:-qemu-system-i386}" -accel tcg -m 256 -display none -no-reboot -nic none \
        -monitor none -serial "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -option-rom "$romdir/vmi-native.rom" -kernel "$loader" -initrd "$tmp/bad.elf,$fixtures/initrd.cpio" \
        -append "console=ttyS0" </dev/null >/dev/null 2>&1
    status=$?
    lines=$(tr -d '\r' <"$log" | grep -a '^vmi-loader:')
    echo "$lines"
    if [ "$status" = 3 ] && [ "$(grep -c . <<<"$lines")" = 1 ] && grep -q 'vmlinux: .vmi_aot' <<<"$lines" &&
        ! grep -aq 'Linux version' "$log"; then
        echo "PASS $kernel-aot-$mode"
        exit 0
    fi
    echo "FAIL $kernel-aot-$mode: status $status (expected 3), lines: $lines"
    exit 1
fi
bash tests/loader/boot.sh "$loader" "$fixtures" "$kernel" "aot-$mode" "$image"
