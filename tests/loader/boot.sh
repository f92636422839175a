#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boots a Linux 2.6.32 VMI fixture through the loader under QEMU (TCG) and checks the result.
#
#   tests/loader/boot.sh LOADER FIXTURES KERNEL MODE [IMAGE]
#
# KERNEL      up (FIXTURES/vmlinux), pae (FIXTURES/pae/vmlinux), smp (FIXTURES/smp/vmlinux: two CPUs)
# MODE        ROM          vmi.policy   what must hold
# none        -            auto         rom=none, every site native, Linux on bare hardware
# native-auto vmi-native   auto         sites patched, inline > 0 for each interrupt-flag op, Linux on vmi
# native-call vmi-native   call-only    sites patched, inline = 0, call > 0, Linux on vmi
# pv          vmi-pv       auto         ROM found, nothing patched (it needs a hypervisor), Linux native
# vmi-option  vmi-native   auto         Linux given vmi=disable_noidle (it changes how Linux sets up a
#                                       fill op): nothing patched, Linux on vmi patches itself
# aot-match / aot-mismatch / aot-untrusted   IMAGE (vmi-aot specialize output) with the native ROM:
#             the loader line says aot=MODE's word; match: nothing written, mismatch: re-planned,
#             untrusted: the image's original bytes booted unpatched
# Every Linux boot: "INIT DONE", QEMU exit status 99, no BUG/Oops/panic, no WARNING but the
# emulation's (apic.c:1261, fixtures README), SMP "Brought up 2 CPUs".
# Prints the loader's lines, then "PASS NAME" or "FAIL NAME: reasons"; exit status 0 only on PASS.
set -u
if [ $# -lt 4 ]; then
    echo "usage: $0 LOADER FIXTURES up|pae|smp MODE [IMAGE]" >&2
    exit 2
fi
loader=$1 fixtures=$2 kernel=$3 mode=$4 image=${5:-}
romdir=${VMI_ROM_DIR:-build/rom}
logdir=${LOADER_LOG_DIR:-build/loader/logs}
qemu=${QEMU:-qemu-system-i386}
[ -f "$fixtures/vmlinux" ] || { echo "skipped: no Linux fixtures in $fixtures"; exit 0; }
name="$kernel-$mode"

case "$kernel" in
    up)  vmlinux=$fixtures/vmlinux; smp=() ;;
    pae) vmlinux=$fixtures/pae/vmlinux; smp=() ;;
    smp) vmlinux=$fixtures/smp/vmlinux; smp=(-smp 2,sockets=2,cores=1,threads=1) ;;
    *) echo "$0: unknown kernel $kernel" >&2; exit 2 ;;
esac
[ -n "$image" ] && vmlinux=$image
linux_args="console=ttyS0 earlyprintk=serial,ttyS0"
case "$mode" in
    none)         rom=;       policy=auto;      linux_args+=" no_timer_check" ;;
    native-auto)  rom=native; policy=auto ;;
    native-call)  rom=native; policy=call-only ;;
    pv)           rom=pv;     policy=auto;      linux_args+=" no_timer_check" ;;
    vmi-option)   rom=native; policy=auto;      linux_args+=" vmi=disable_noidle" ;;
    aot-match|aot-mismatch|aot-untrusted) rom=native; policy=auto ;;
    *) echo "$0: unknown mode $mode" >&2; exit 2 ;;
esac
linux_args+=" ${LOADER_LINUX_ARGS:-}"

fail=()
romargs=()
if [ -n "$rom" ]; then
    [ -f "$romdir/vmi-$rom.rom" ] || { echo "FAIL $name: no ROM $romdir/vmi-$rom.rom"; exit 1; }
    romargs=(-option-rom "$romdir/vmi-$rom.rom")
fi
mkdir -p "$logdir"
log=$logdir/$name.log
start=$(date +%s%N)
timeout 60 "$qemu" -accel tcg -m 256 "${smp[@]}" -display none -no-reboot -nic none -monitor none \
    -serial "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 "${romargs[@]}" \
    -kernel "$loader" -initrd "$vmlinux,$fixtures/initrd.cpio" \
    -append "vmi.policy=$policy $linux_args" </dev/null >"$log.qemu" 2>&1
status=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
tr -d '\r' <"$log" >"$log.txt" 2>/dev/null || : >"$log.txt"
txt=$log.txt

grep -a '^vmi-loader:' "$txt"
line=$(grep -a '^vmi-loader: rom=' "$txt" | head -1)
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" ${line#vmi-loader: }"; }
num() { local v; v=$(field "$1"); [[ $v =~ ^[0-9]+$ ]] && echo "$v" || echo -1; }

[ "$status" = 99 ] || fail+=("QEMU exit status $status, expected 99")
grep -aq '^INIT DONE' "$txt" || fail+=("no INIT DONE")
grep -aE 'BUG|Oops|Kernel panic|general protection' "$txt" >/dev/null && fail+=("$(grep -aE -m1 'BUG|Oops|Kernel panic|general protection' "$txt")")
bad_warn=$(grep -a 'WARNING:' "$txt" | grep -v 'arch/x86/kernel/apic/apic.c:1261' | head -1)
[ -n "$bad_warn" ] && fail+=("$bad_warn")
[ "$kernel" = smp ] && ! grep -aq 'Brought up 2 CPUs' "$txt" && fail+=("no 'Brought up 2 CPUs'")
[ -n "$line" ] || fail+=("no 'vmi-loader: rom=' line")
grep -a '^vmi-loader:' "$txt" | grep -v -E '^vmi-loader: (rom|inlined|patch|not patched|aot|keep)' >/dev/null &&
    fail+=("unexpected loader line: $(grep -a '^vmi-loader:' "$txt" | grep -v -E '^vmi-loader: (rom|inlined|patch|not patched|aot|keep)' | head -1)")
cmdline=$(grep -a -A1 -i '^/proc/cmdline' "$txt" | tail -1)
grep -a 'Kernel command line:' "$txt" | grep -q 'vmi\.' && fail+=("a vmi. option reached Linux")

sites=$(num sites) inline=$(num inline) call=$(num call) jump=$(num jump) nop=$(num nop) native=$(num native)
[ "$sites" -gt 0 ] || fail+=("sites=$sites")
[ $((inline + call + jump + nop + native)) = "$sites" ] || fail+=("decisions do not add up to sites=$sites")
aot=$(field aot)
patched=$((inline + call + jump + nop))
on_vmi() { grep -aq 'Booting paravirtualized kernel on vmi' "$txt" || fail+=("Linux is not on vmi"); }
on_bare() { grep -aq 'Booting paravirtualized kernel on bare hardware' "$txt" || fail+=("Linux is not on bare hardware"); }
replace_off() { grep -a 'Kernel command line:' "$txt" | grep -q 'noreplace-paravirt' || fail+=("noreplace-paravirt not given to Linux"); }
# vmi_activate's own apply_paravirt must leave the plan's vmi_patch sites: their records retyped
kept() {
    local k; k=$(sed -n 's/^vmi-loader: keep: \([0-9]*\) records.*/\1/p' "$txt" | head -1)
    [ -n "$k" ] && [ "$k" -gt 0 ] || fail+=("no 'vmi-loader: keep:' line with records retyped")
}
per_op() {
    local ops; ops=$(grep -a '^vmi-loader: inlined' "$txt" | head -1)
    for op in irq_disable irq_enable restore_fl save_fl; do
        v=$(sed -n "s/.* $op=\([0-9]*\).*/\1/p" <<<"$ops")
        [ -n "$v" ] && [ "$v" -gt 0 ] || fail+=("inlined $op=${v:-missing}")
    done
}
case "$mode" in
    none)
        [ "$(field rom)" = none ] || fail+=("rom=$(field rom), expected none")
        [ "$native" = "$sites" ] || fail+=("not every site native")
        [ "$aot" = none ] || fail+=("aot=$aot")
        on_bare ;;
    native-auto)
        [[ $(field rom) =~ ^0x[0-9a-f]+$ ]] || fail+=("rom=$(field rom)")
        [ "$inline" -gt 0 ] || fail+=("inline=$inline")
        per_op; on_vmi; replace_off; kept ;;
    native-call)
        [ "$inline" = 0 ] || fail+=("inline=$inline under call-only")
        [ "$call" -gt 0 ] || fail+=("call=$call")
        on_vmi; replace_off; kept ;;
    pv)
        [[ $(field rom) =~ ^0x[0-9a-f]+$ ]] || fail+=("rom=$(field rom)")
        [ "$patched" = 0 ] || fail+=("$patched sites patched against a ROM that needs a hypervisor")
        grep -aq '^vmi-loader: not patched' "$txt" || fail+=("no 'not patched' line")
        grep -aq 'VMI ROM failed to initialize' "$txt" || fail+=("Linux did not refuse the ROM")
        on_bare ;;
    vmi-option)
        [ "$patched" = 0 ] || fail+=("$patched sites patched although Linux sets up its ops differently")
        grep -aq '^vmi-loader: not patched: vmi=disable_noidle' "$txt" || fail+=("no 'not patched' line")
        grep -a 'Kernel command line:' "$txt" | grep -q 'noreplace-paravirt' && fail+=("noreplace-paravirt given to Linux")
        on_vmi ;;
    aot-match)
        [ "$aot" = match ] || fail+=("aot=$aot, expected match")
        grep -aq '^vmi-loader: aot .*written=0' "$txt" || fail+=("no 'written=0' aot line")
        on_vmi; replace_off; kept ;;
    aot-mismatch)
        [ "$aot" = mismatch ] || fail+=("aot=$aot, expected mismatch")
        [ "$inline" -gt 0 ] || fail+=("inline=$inline")
        on_vmi; replace_off; kept ;;
    aot-untrusted)
        [ "$aot" = untrusted ] || fail+=("aot=$aot, expected untrusted")
        [ "$patched" = 0 ] || fail+=("$patched sites patched in an untrusted image")
        grep -aq '^vmi-loader: keep:' "$txt" && fail+=("records retyped in an untrusted image") ;;
esac

if [ ${#fail[@]} -eq 0 ]; then
    echo "PASS $name (${ms} ms)"
    exit 0
fi
printf 'FAIL %s: %s\n' "$name" "$(IFS=';'; echo "${fail[*]}")"
echo "  log: $txt"
exit 1
