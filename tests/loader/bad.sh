#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Bad input to the loader, made at test time from the fixtures (never stored): each must give one
# "vmi-loader: <what is wrong>" line and either a clean stop (QEMU status 3 through isa-debug-exit,
# Linux never entered) or a native boot of the unchanged kernel (INIT DONE, status 99).
#
#   tests/loader/bad.sh LOADER FIXTURES CASE
#
# CASE          input                                   expected
# not-elf       the initrd given as vmlinux              stop, "vmlinux: not an ELF file"
# machine       e_machine set to 62 (x86-64)             stop, "e_machine 62, expected EM_386"
# class         EI_CLASS set to ELFCLASS64               stop, "ELF class 2"
# truncated     the first 1,000,000 bytes                stop, "outside the file of 1000000 bytes"
# entry         e_entry outside every segment            stop, "entry 0x... is in no loaded segment"
# no-initrd     one module only                          stop, "no initrd"
# small-ram     -m 32: the modules do not fit above the  stop, "not enough memory"
#               kernel
# option        vmi.policy=fastest                       stop, "vmi.policy=fastest"
# unknown-opt   vmi.bogus=1                              stop, "unknown loader option"
# no-parainstr  .parainstructions removed (objcopy; no     native boot, "no .parainstructions"
#               ROM: objcopy leaves the kernel's own apply_paravirt a table it cannot use)
# bad-rom       native ROM whose inline table magic is   native boot, "fails the probe", no site
#               broken, checksum fixed (SeaBIOS skips a  patched; Linux, which knows no inline
#               ROM with a bad checksum)                 table, still uses the ROM itself
set -u
if [ $# -ne 3 ]; then
    echo "usage: $0 LOADER FIXTURES CASE" >&2
    exit 2
fi
loader=$1 fixtures=$2 case=$3
romdir=${VMI_ROM_DIR:-build/rom}
logdir=${LOADER_LOG_DIR:-build/loader/logs}
qemu=${QEMU:-qemu-system-i386}
[ -f "$fixtures/vmlinux" ] || { echo "skipped: no Linux fixtures in $fixtures"; exit 0; }
mkdir -p "$logdir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vm=$tmp/vmlinux
modules="$vm,$fixtures/initrd.cpio"
append="console=ttyS0 no_timer_check"
romargs=()
expect=stop
mem=256

poke() { # FILE OFFSET HEXBYTES: overwrite bytes in place
    printf "$(sed 's/\(..\)/\\x\1/g' <<<"$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

case "$case" in
    not-elf)   cp "$fixtures/initrd.cpio" "$vm"; want="vmlinux: not an ELF file" ;;
    machine)   cp "$fixtures/vmlinux" "$vm"; chmod u+w "$vm"; poke "$vm" 18 3e00; want="e_machine 62, expected EM_386" ;;
    class)     cp "$fixtures/vmlinux" "$vm"; chmod u+w "$vm"; poke "$vm" 4 02; want="ELF class 2, expected ELFCLASS32" ;;
    truncated) head -c 1000000 "$fixtures/vmlinux" >"$vm"; want="outside the file of 1000000 bytes" ;;
    entry)     cp "$fixtures/vmlinux" "$vm"; chmod u+w "$vm"; poke "$vm" 24 00000030; want="entry 0x30000000 is in no loaded segment" ;;
    no-initrd) cp "$fixtures/vmlinux" "$vm"; modules=$vm; want="no initrd" ;;
    small-ram) cp "$fixtures/vmlinux" "$vm"; mem=32; want="not enough memory: " ;;
    option)    cp "$fixtures/vmlinux" "$vm"; append="vmi.policy=fastest $append"; want="vmi.policy=fastest" ;;
    unknown-opt) cp "$fixtures/vmlinux" "$vm"; append="vmi.bogus=1 $append"; want="unknown loader option vmi.bogus=1" ;;
    no-parainstr)
        objcopy --remove-section .parainstructions "$fixtures/vmlinux" "$vm"
        expect=boot; want="no .parainstructions section" ;;
    bad-rom)
        cp "$fixtures/vmlinux" "$vm"
        python3 - "$romdir/vmi-native.rom" "$tmp/bad.rom" <<'PY' || { echo "FAIL bad-$case: cannot make the ROM"; exit 1; }
import struct, sys
rom = bytearray(open(sys.argv[1], "rb").read())
magic, table_offs, _ = struct.unpack_from("<4sHH", rom, 0x20)    # struct vmi_inline_ptr
assert magic == b"VMIX" and rom[table_offs:table_offs + 4] == b"VIXT"
rom[table_offs:table_offs + 4] = b"VIXX"
rom[-1] = (rom[-1] - (sum(rom) & 0xff)) & 0xff                    # the 8-bit sum is 0 again
open(sys.argv[2], "wb").write(rom)
PY
        romargs=(-option-rom "$tmp/bad.rom"); expect=boot; want="fails the probe" ;;
    *) echo "$0: unknown case $case" >&2; exit 2 ;;
esac

log=$logdir/bad-$case.log
timeout 60 "$qemu" -accel tcg -m "$mem" -display none -no-reboot -nic none -monitor none \
    -serial "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 "${romargs[@]}" \
    -kernel "$loader" -initrd "$modules" -append "$append" </dev/null >"$log.qemu" 2>&1
status=$?
tr -d '\r' <"$log" >"$log.txt" 2>/dev/null || : >"$log.txt"
txt=$log.txt
fail=()
grep -a '^vmi-loader:' "$txt"
problem=$(grep -a '^vmi-loader:' "$txt" | grep -v -E '^vmi-loader: (rom=|inlined |patch )')
[ "$(grep -c . <<<"$problem")" = 1 ] || fail+=("expected one problem line, got: ${problem:-none}")
grep -aqF -- "$want" <<<"$problem" || fail+=("the problem line does not say '$want'")
if [ $expect = stop ]; then
    [ "$status" = 3 ] || fail+=("QEMU exit status $status, expected 3 (the loader's clean stop)")
    grep -aq 'Linux version' "$txt" && fail+=("Linux was entered")
else
    [ "$status" = 99 ] || fail+=("QEMU exit status $status, expected 99 (native boot)")
    grep -aq '^INIT DONE' "$txt" || fail+=("no INIT DONE")
    line=$(grep -a '^vmi-loader: rom=' "$txt")
    grep -q ' inline=0 call=0 jump=0 nop=0 ' <<<"$line" || fail+=("sites were patched: $line")
    grep -aE 'BUG|Oops|Kernel panic' "$txt" >/dev/null && fail+=("$(grep -aE -m1 'BUG|Oops|Kernel panic' "$txt")")
fi
if [ ${#fail[@]} -eq 0 ]; then
    echo "PASS bad-$case"
    exit 0
fi
printf 'FAIL bad-%s: %s\n' "$case" "$(IFS=';'; echo "${fail[*]}")"
echo "  log: $txt"
exit 1
