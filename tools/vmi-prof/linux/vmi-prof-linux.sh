#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# vmi-prof --linux's QEMU part (docs/profiling.md, "Linux"): boots one configuration of a Linux
# 2.6.32 VMI kernel with the workload initramfs under TCG with -icount shift=0,sleep=off (the guest
# TSC counts instructions; idle time does not advance it) and leaves the serial log in LOG.
#
#   vmi-prof-linux.sh CONFIG LOG [KERNEL]
#
# CONFIG  none: the bzImage, no ROM; native: the bzImage and the native ROM (Linux's own vmi_patch);
#         auto, call-only: the loader's plan as it boots by default (kept from Linux's
#         re-patching: vmi.keep=1); count-auto, count-call: the loader's counting plan over that
#         policy (vmi.count=1); auto-nokeep: the loader's auto plan with vmi.keep=0
# KERNEL  up (default: DIR/), pae (DIR/pae/), smp (DIR/smp/, two CPUs)
#
# Environment: LINUX_VMI_DIR (vmlinux, bzImage), VMI_LOADER, VMI_ROM (the native ROM),
# VMI_WORKLOAD (the initramfs), QEMU (qemu-system-i386), VMI_LINUX_TIMEOUT (60 s).
# Exit status: 0 when the workload reached its end (QEMU status 99), else 1 with one line.
set -u
usage="usage: vmi-prof-linux [--] CONFIG LOG [up|pae|smp]
  Boots one configuration of the Linux fixture kernel with the workload initramfs under QEMU
  -icount and leaves the serial log in LOG (vmi-prof --linux runs it; docs/profiling.md).
  CONFIG: none, native, auto, call-only, auto-nokeep, count-auto, count-call"
case "${1:-}" in
    --help) echo "$usage"; exit 0 ;;
    --version) echo "vmi-prof-linux @VERSION@"; exit 0 ;;
    --) shift ;;
    -*) echo "vmi-prof-linux: unknown option '$1'" >&2; echo "$usage" >&2; exit 2 ;;
esac
[ $# -eq 2 ] || [ $# -eq 3 ] || { echo "vmi-prof-linux: CONFIG and LOG are needed" >&2; echo "$usage" >&2; exit 2; }
config=$1 log=$2 kernel=${3:-up}
dir=${LINUX_VMI_DIR:?} qemu=${QEMU:-qemu-system-i386}
args="console=ttyS0 earlyprintk=serial,ttyS0"
smp=()
case "$kernel" in
    up) ;;
    pae) dir=$dir/pae ;;
    smp) dir=$dir/smp; smp=(-smp 2,sockets=2,cores=1,threads=1) ;;
    *) echo "$0: unknown kernel $kernel" >&2; exit 2 ;;
esac
case "$config" in
    none)       boot=(-kernel "$dir/bzImage"); rom=(); args+=" no_timer_check" ;;
    native)     boot=(-kernel "$dir/bzImage"); rom=(-option-rom "$VMI_ROM") ;;
    auto|call-only)
                boot=(-kernel "$VMI_LOADER"); rom=(-option-rom "$VMI_ROM")
                args="vmi.policy=$config $args" ;;
    auto-nokeep) boot=(-kernel "$VMI_LOADER"); rom=(-option-rom "$VMI_ROM")
                args="vmi.policy=auto vmi.keep=0 $args" ;;
    count-auto|count-call)
                p=${config#count-}; [ "$p" = call ] && p=call-only
                boot=(-kernel "$VMI_LOADER"); rom=(-option-rom "$VMI_ROM")
                args="vmi.policy=$p vmi.count=1 $args" ;;
    *) echo "$0: unknown configuration $config" >&2; exit 2 ;;
esac
if [ "${boot[1]}" = "$VMI_LOADER" ]; then
    initrd="$dir/vmlinux,$VMI_WORKLOAD"
else
    initrd=$VMI_WORKLOAD
fi
# -icount for the instruction counts; a counted boot needs none (its counters are exact anyway),
# and an SMP kernel under -icount runs its two CPUs in turn, about 30 times slower
clock=(-icount shift=0,sleep=off)
case "$config" in count-*) clock=() ;; esac
timeout "${VMI_LINUX_TIMEOUT:-60}" "$qemu" -accel tcg "${clock[@]}" -m 256 "${smp[@]}" -display none \
    -no-reboot -nic none -monitor none -serial "file:$log.tmp" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 "${boot[@]}" -initrd "$initrd" \
    -append "$args" "${rom[@]}" >"$log.qemu" 2>&1
rc=$?
tr -d '\r' <"$log.tmp" >"$log" && rm -f "$log.tmp"
if [ $rc -ne 99 ] || ! grep -q '^WORKLOAD DONE' "$log"; then
    echo "$config: QEMU exit status $rc, the workload did not finish (log $log)" >&2
    exit 1
fi
exit 0
