#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: the loader's patching of every pv site of the Linux fixtures, in guest instructions
# per site (QEMU -icount shift=0: the TSC advances one tick per instruction), read by the loader
# with rdtsc around plan + apply + verify; next to the same figure for the guest kernel's own
# boot-time patching of its glue sites (guest/patch.c's "patch ... cycles=").  The loader runs
# with vmi.stop: everything up to the jump into Linux, then QEMU exit status 5.
#
#   tests/loader/bench.sh LOADER FIXTURES GUEST_KERNEL
set -u
if [ $# -ne 3 ]; then
    echo "usage: $0 LOADER FIXTURES GUEST_KERNEL" >&2
    exit 2
fi
loader=$1 fixtures=$2 guest=$3
romdir=${VMI_ROM_DIR:-build/rom}
qemu=${QEMU:-qemu-system-i386}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
run() { # LOG MEM KERNEL [ARGS...]: one boot under -icount shift=0 with the native ROM
    local log=$1 mem=$2 kernel=$3
    shift 3
    timeout 120 "$qemu" -accel tcg -icount shift=0 -m "$mem" -display none -no-reboot -nic none \
        -monitor none -serial "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -option-rom "$romdir/vmi-native.rom" -kernel "$kernel" "$@" </dev/null >/dev/null 2>&1
}
if [ -f "$fixtures/vmlinux" ]; then
    for k in up pae smp; do
        vm=$fixtures/vmlinux smp=()
        [ $k != up ] && vm=$fixtures/$k/vmlinux
        [ $k = smp ] && smp=(-smp 2,sockets=2,cores=1,threads=1)
        for policy in auto call-only; do
            log=$tmp/$k-$policy.log
            run "$log" 256 "$loader" "${smp[@]}" -initrd "$vm,$fixtures/initrd.cpio" \
                -append "vmi.policy=$policy vmi.stop console=ttyS0"
            st=$?
            line=$(tr -d '\r' <"$log" | grep -a '^vmi-loader: rom=')
            p=$(tr -d '\r' <"$log" | grep -a '^vmi-loader: patch ')
            tsc=$(sed -n 's/.* tsc=\([0-9]*\).*/\1/p' <<<"$p")
            sites=$(sed -n 's/.* sites=\([0-9]*\).*/\1/p' <<<"$line")
            changed=$(sed -n 's/.* changed=\([0-9]*\).*/\1/p' <<<"$p")
            if [ "$st" != 5 ] || [ -z "$tsc" ] || [ -z "$sites" ]; then
                echo "FAIL bench-loader $k $policy: status $st, no figures"
                rc=1
                continue
            fi
            printf 'loader  kernel=%-3s policy=%-9s sites=%u changed=%u instructions=%u per_site=%u\n' \
                "$k" "$policy" "$sites" "$changed" "$tsc" $((tsc / sites))
        done
    done
else
    echo "skipped: no Linux fixtures in $fixtures"
fi
log=$tmp/guest.log
run "$log" 128 "$guest" -append "policy=auto"
g=$(tr -d '\r' <"$log" | grep -a '^patch sites=')
gs=$(sed -n 's/.*sites=\([0-9]*\).*/\1/p' <<<"$g")
gc=$(sed -n 's/.*cycles=\([0-9]*\).*/\1/p' <<<"$g")
if [ -n "$gs" ] && [ -n "$gc" ]; then
    printf 'guest   kernel=%-3s policy=%-9s sites=%u changed=%u instructions=%u per_site=%u\n' \
        glue auto "$gs" "$gs" "$gc" $((gc / gs))
else
    echo "FAIL bench-loader guest: no 'patch sites=' line"
    rc=1
fi
exit $rc
