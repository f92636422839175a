#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boots the guest kernel in one mode under qemu-system-i386 and checks its serial report.
#
#   tests/guest/boot.sh [--accel tcg|kvm] [--icount] [--log DIR] KERNEL MODE
#
# --icount runs TCG with -icount shift=0: the guest TSC then counts executed instructions, so the
# benchmark's figures are exact and repeatable; the log is named ...-tcg-icount.log and its .txt
# copy starts with the line "qemu clock=icount-shift-0" (without: "qemu clock=host") for
# vmi-prof --guest (docs/profiling.md).
#
# MODE        ROM given to QEMU        kernel command line   what the report must show
# none        -                        policy=auto           no ROM found; every site native
# native-auto vmi-native.rom           policy=auto           patched at load time, some inlined
# native-call vmi-native.rom           policy=call-only      patched at load time, none inlined
# pv-auto     vmi-pv.rom               policy=auto           patched, the pv platform active
# pv-call     vmi-pv.rom               policy=call-only      as pv-auto, none inlined
# pv-count    vmi-pv.rom               policy=auto count=1   as pv-auto, through the counting plan:
#                                                            the profile block, well-formed, one
#                                                            line per site, the loop counted exactly
# aot-match   vmi-pv.rom               policy=auto           KERNEL pre-specialized for the pv ROM:
#                                                            identity checked, nothing patched
# aot-mismatch vmi-pv.rom              policy=auto           KERNEL pre-specialized for the native
#                                                            ROM: mismatch, reverted, re-patched
#
# Every mode also needs every self-test check PASS, the benchmark, the per-call counts and
# "RESULT PASS", and QEMU's exit status 33 (the kernel wrote 0x10 to isa-debug-exit: (0x10<<1)|1);
# 35 is the kernel's FAIL, 124 a timeout, 0 or 1 a crash (a triple fault resets; -no-reboot exits).
# Prints the report's key lines, then "SUMMARY key=value ..." (read by tests/guest/demo.sh), then
# "PASS MODE" or "FAIL MODE: reasons"; the exit status is 0 only on PASS.
set -u
accel=tcg
logdir=build/guest/logs
icount=
while [ $# -gt 2 ]; do
    case "$1" in
        --accel) accel=$2; shift 2 ;;
        --icount) icount=1; shift ;;
        --log) logdir=$2; shift 2 ;;
        *) break ;;
    esac
done
if [ $# -ne 2 ]; then
    echo "usage: $0 [--accel tcg|kvm] [--icount] [--log DIR] KERNEL MODE" >&2
    exit 2
fi
kernel=$1
mode=$2
romdir=${VMI_ROM_DIR:-build/rom}
qemu=${QEMU:-qemu-system-i386}

case "$mode" in
    none)         rom=;          policy=auto ;;
    native-auto)  rom=native;    policy=auto ;;
    native-call)  rom=native;    policy=call-only ;;
    pv-auto)      rom=pv;        policy=auto ;;
    pv-call)      rom=pv;        policy=call-only ;;
    pv-count)     rom=pv;        policy="auto count=1" ;;
    aot-match)    rom=pv;        policy=auto ;;
    aot-mismatch) rom=pv;        policy=auto ;;
    *) echo "$0: unknown mode $mode" >&2; exit 2 ;;
esac

fail=()
[ -f "$kernel" ] || { echo "FAIL $mode: no kernel image $kernel"; exit 1; }
romargs=()
if [ -n "$rom" ]; then
    [ -f "$romdir/vmi-$rom.rom" ] || { echo "FAIL $mode: no ROM $romdir/vmi-$rom.rom"; exit 1; }
    romargs=(-option-rom "$romdir/vmi-$rom.rom")
fi
case "$accel" in
    tcg) accelargs=(-accel tcg) ;;
    kvm) accelargs=(-accel kvm) ;;
    *) echo "$0: unknown accelerator $accel" >&2; exit 2 ;;
esac
clock=host
if [ -n "$icount" ]; then
    [ "$accel" = tcg ] || { echo "$0: --icount needs --accel tcg" >&2; exit 2; }
    accelargs+=(-icount shift=0)
    accel=tcg-icount clock=icount-shift-0
fi

mkdir -p "$logdir"
compiler=$(basename "$kernel" .elf)
log="$logdir/$compiler-$mode-$accel.log"
start=$(date +%s%N)
# No network, no display, no reboot; the serial port is the report; 60 s at most.
timeout 60 "$qemu" "${accelargs[@]}" -m 128 -display none -no-reboot -nic none \
    -monitor none -parallel none -serial "file:$log" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    "${romargs[@]}" -kernel "$kernel" -append "policy=$policy" </dev/null >"$log.qemu" 2>&1
status=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
{ echo "qemu clock=$clock"; tr -d '\r' <"$log" 2>/dev/null; } >"$log.txt"
out="$log.txt"

case $status in
    33) ;;
    35) fail+=("the kernel reported FAIL (exit 35)") ;;
    124) fail+=("timeout after 60 s") ;;
    *) fail+=("QEMU exit status $status (not the kernel's isa-debug-exit): $(head -c 300 "$log.qemu")") ;;
esac

line() { grep -m1 -a "^$1" "$out"; }
need() { line "$1" >/dev/null || fail+=("missing report line: $1"); }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1" | head -1; }

for l in "VMI-GUEST compiler=" "boot cmdline=" "rom found=" "boot done" "plan stats " \
         "bench op=irqsave " "platform active=" "count " "RESULT "; do
    need "$l"
done
grep -aq "^aot state=" "$out" || fail+=("missing report line: aot state=")
for c in cpu map_unmap lazy_batch address_spaces tlb_flush frames_released timer_ticks nested_critical \
         enable_delivers no_handler_in_critical_section calls_exercised; do
    grep -aq "^check $c PASS" "$out" || fail+=("check $c: $(grep -a "^check $c " "$out" || echo missing)")
done
while read -r l; do fail+=("$l"); done < <(grep -a "^check .* FAIL" "$out")
grep -aq "^RESULT PASS" "$out" || fail+=("no RESULT PASS")

stats=$(line "plan stats ")
sites=$(field "$stats" sites)
inline=$(field "$stats" inline); call=$(field "$stats" call); jump=$(field "$stats" jump)
nop=$(field "$stats" nop); native=$(field "$stats" native)
romline=$(line "rom found=")
patchline=$(line "patch sites=")
aotline=$(grep -a "^aot state=" "$out" | tail -1)
platline=$(line "platform active=")

expect_rom() {   # $1: product
    case "$romline" in
        "rom found=1 "*"product=\"$1\""*) ;;
        *) fail+=("expected the ROM \"$1\", got: $romline") ;;
    esac
    grep -aq "^rom init=0 " "$out" || fail+=("VMI_Init did not return 0")
}
expect_patched() {
    [ -n "$patchline" ] && [ "$(field "$patchline" written)" = "$sites" ] ||
        fail+=("expected every site written at load time: ${patchline:-no patch line}")
}
case "$mode" in
    none)
        [[ $romline == "rom found=0"* ]] || fail+=("expected no ROM: $romline")
        [ "${native:-x}" = "${sites:-y}" ] || fail+=("expected every site native: $stats")
        [ -z "$patchline" ] || fail+=("patched without a ROM: $patchline") ;;
    native-*) expect_rom "VMI native ROM"; expect_patched ;;
    pv-*|aot-*) expect_rom "VMI reference paravirtual ROM" ;;
esac
case "$mode" in
    pv-*) expect_patched ;;
esac
case "$mode" in
    *-auto|pv-count|aot-*) [ "${inline:-0}" -gt 0 ] || fail+=("expected inlined sites under policy auto: $stats") ;;
    *-call) [ "${inline:-1}" -eq 0 ] && [ "${call:-0}" -gt 0 ] ||
                fail+=("expected calls and no inlining under call-only: $stats") ;;
esac
case "$mode" in
    pv-*|aot-*)
        [[ $platline == "platform active=1"* ]] || fail+=("the pv platform was not used: $platline")
        grep -aq "^check pv_platform PASS" "$out" || fail+=("check pv_platform: $(grep -a '^check pv_platform' "$out" || echo missing)") ;;
    *)  [[ $platline == "platform active=0"* ]] || fail+=("the pv platform ran without the pv ROM: $platline") ;;
esac
case "$mode" in
    aot-match)
        [[ $aotline == "aot state=match patched=0"* ]] || fail+=("expected a matching pre-specialized image: ${aotline:-no aot line}")
        [ -z "$patchline" ] || fail+=("patched at boot although the image matched: $patchline") ;;
    aot-mismatch)
        [[ $aotline == "aot state=mismatch reverted="* ]] || fail+=("expected a mismatch and a revert: ${aotline:-no aot line}")
        expect_patched ;;
    *)  [ "$aotline" = "aot state=none" ] || fail+=("expected a plain image: $aotline") ;;
esac

# The counting plan's profile (docs/specializer.md): between "profile begin" and "profile end",
# one well-formed "site" line per site of the plan, addresses increasing, the totals agreeing.
if [ "$mode" = pv-count ]; then
    countline=$(line "count plan=")
    [ -n "$countline" ] && [ "$(field "$countline" sites)" = "$sites" ] ||
        fail+=("expected the counting plan over every site: ${countline:-no count plan line}")
    grep -aq "^check count_exact PASS" "$out" || fail+=("check count_exact: $(grep -a '^check count_exact' "$out" || echo missing)")
    perr=$(bash "$(dirname "$0")/profile.sh" "$out" "$sites") || fail+=("$perr")
    grep -a "^count loop \|^profile end" "$out" | sed 's/^/  /'
fi

bench=$(line "bench op=irqsave ")
grep -a "^rom \|^aot \|^patch \|^plan stats\|^bench op\|^platform \|^check .* FAIL\|^RESULT\|^PANIC" "$out" | sed 's/^/  /'
echo "SUMMARY mode=$mode kernel=$compiler accel=$accel sites=${sites:--} inline=${inline:--} call=${call:--}" \
     "jump=${jump:--} nop=${nop:--} native=${native:--} result=$([ ${#fail[@]} -eq 0 ] && echo PASS || echo FAIL)" \
     "cyc_native=$(field "$bench" native) cyc_call=$(field "$bench" call) cyc_inline=$(field "$bench" inline)" \
     "ms=$ms log=$out"
if [ ${#fail[@]} -eq 0 ]; then
    echo "PASS $mode ($compiler, $accel)"
    exit 0
fi
echo "FAIL $mode ($compiler, $accel):"
printf '  - %s\n' "${fail[@]}"
exit 1
