#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make demo's guest part: boots the guest kernel (gcc and clang builds) in every mode under
# qemu-system-i386 -option-rom, two boots at a time, and prints one table.
#
#   tests/guest/demo.sh KERNEL_GCC KERNEL_CLANG
#
# The accelerator is KVM when /dev/kvm is usable and the guest boots under it (one trial boot),
# else TCG (software emulation); GUEST_ACCEL=tcg|kvm forces one.  Pre-specialized images
# (KERNEL-aot-pv.elf, KERNEL-aot-native.elf, made by vmi-aot specialize) are booted when present;
# a missing one is a row that says so.  Exits non-zero unless every row passed.
set -u
gcc_k=$1
clang_k=$2
here=$(dirname "$0")
logdir=build/guest/logs/demo
mkdir -p "$logdir"
start=$(date +%s%N)

accel=${GUEST_ACCEL:-}
note=""
if [ -z "$accel" ]; then
    accel=tcg
    if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
        if bash "$here/boot.sh" --accel kvm --log "$logdir" "$gcc_k" none >"$logdir/kvm-trial.txt" 2>&1; then
            accel=kvm
        else
            note="/dev/kvm is usable but this guest does not boot under it (trial: $logdir/kvm-trial.txt"
            if command -v dmesg >/dev/null && dmesg 2>/dev/null | tail -5 | grep -q "kvm.*triple fault"; then
                note="$note; the host logged a triple fault"
            fi
            note="$note): software emulation"
        fi
    else
        note="no usable /dev/kvm: software emulation"
    fi
fi

modes="none native-auto native-call pv-auto pv-call pv-count aot-match aot-mismatch"
jobs=()
for k in "$gcc_k" "$clang_k"; do
    for m in $modes; do
        img=$k
        case $m in
            aot-match) img=${k%.elf}-aot-pv.elf ;;
            aot-mismatch) img=${k%.elf}-aot-native.elf ;;
        esac
        jobs+=("$img $m")
    done
done

# two at a time (this machine has two CPUs); each writes its own result file
run_one() {
    local img=$1 m=$2 out=$3
    if [ ! -f "$img" ]; then
        echo "SUMMARY mode=$m kernel=$(basename "$img" .elf) accel=$accel result=MISSING" >"$out"
        return
    fi
    bash "$here/boot.sh" --accel "$accel" --log "$logdir" "$img" "$m" >"$out" 2>&1
}
i=0
for j in "${jobs[@]}"; do
    run_one $j "$logdir/result-$i.txt" &
    i=$((i + 1))
    if [ $((i % 2)) -eq 0 ]; then wait; fi
done
wait

compiler_of() {
    case $1 in
        *clang*) echo clang ;;
        *) echo gcc ;;
    esac
}
get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2" | head -1; }

echo
echo "Guest kernel boots: qemu-system-i386 -option-rom, accelerator $accel${note:+ ($note)}"
echo "sites: inline / call (+jump) / NOP / native, of each image's sites, as patched at boot"
echo "cycles: one irqsave critical-path operation (GetInterruptMask, DisableInterrupts, SetInterruptMask),"
echo "        the loop's own sites rewritten native, called and inlined in turn (rdtsc, best of 16 x 2000)"
echo "        (pv-count: every site through its counting thunk, the loop not re-patched: no cycles; the profile is in its log)"
[ "$accel" = tcg ] && echo "        (under TCG the TSC follows the host's clock: the numbers rank the variants; they are not CPU cycles)"
echo
printf '%-13s %-6s %-5s %6s %6s %5s %6s  %-7s %8s %8s %8s\n' mode cc accel inline call nop native result \
    native call inline
printf '%-13s %-6s %-5s %6s %6s %5s %6s  %-7s %8s %8s %8s\n' ------------- ------ ----- ------ ------ ----- ------ \
    ------- -------- -------- --------
failed=0
n=0
for ((k = 0; k < i; k++)); do
    f="$logdir/result-$k.txt"
    s=$(grep -a '^SUMMARY ' "$f" | tail -1)
    [ -n "$s" ] || s="SUMMARY mode=? result=ERROR"
    res=$(get result "$s")
    n=$((n + 1))
    [ "$res" = PASS ] || failed=$((failed + 1))
    call=$(get call "$s"); jump=$(get jump "$s")
    [ "${jump:-0}" != 0 ] && [ "${jump:-}" != - ] && call="$call+$jump"
    printf '%-13s %-6s %-5s %6s %6s %5s %6s  %-7s %8s %8s %8s\n' "$(get mode "$s")" \
        "$(compiler_of "$(get kernel "$s")")" "$(get accel "$s")" "$(get inline "$s")" "$call" \
        "$(get nop "$s")" "$(get native "$s")" "$res" "$(get cyc_native "$s")" "$(get cyc_call "$s")" \
        "$(get cyc_inline "$s")"
done
echo
for ((k = 0; k < i; k++)); do
    f="$logdir/result-$k.txt"
    if ! grep -aq '^SUMMARY .*result=PASS' "$f"; then
        echo "--- $(grep -a '^SUMMARY' "$f" | sed 's/^SUMMARY //' | cut -d' ' -f1-2)"
        if grep -aq 'result=MISSING' "$f"; then
            echo "  image not built (vmi-aot specialize did not produce it)"
        else
            grep -a '^FAIL\|^  - ' "$f" | head -8
        fi
    fi
done
secs=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$((n - failed)) of $n boots passed in $((secs / 1000)).$(( (secs % 1000) / 100 )) s; serial logs in $logdir"
[ "$failed" -eq 0 ]
