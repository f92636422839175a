#!/usr/bin/env bash
# vmi-prof --linux's QEMU part (docs/profiling.md, "Linux"): boots one configuration of a Linux
# 2.6.32 VMI kernel with the workload initramfs under TCG with -icount shift=0 (the guest TSC counts
# instructions) and leaves the serial log in LOG.
#
#   vmi-prof-linux.sh CONFIG LOG        CONFIG: none | native | auto | call-only | count-auto | count-call
#
# Environment: LINUX_VMI_DIR (vmlinux, bzImage), VMI_LOADER, VMI_ROM (the native ROM),
# VMI_WORKLOAD (the initramfs), QEMU (qemu-system-i386), VMI_LINUX_TIMEOUT (60 s).
# Exit status: 0 when the workload reached its end (QEMU status 99), else 1 with one line.
set -u
[ $# -eq 2 ] || { echo "usage: $0 CONFIG LOG" >&2; exit 2; }
config=$1 log=$2
dir=${LINUX_VMI_DIR:?} qemu=${QEMU:-qemu-system-i386}
args="console=ttyS0 earlyprintk=serial,ttyS0"
case "$config" in
    none)       boot=(-kernel "$dir/bzImage"); rom=(); args+=" no_timer_check" ;;
    native)     boot=(-kernel "$dir/bzImage"); rom=(-option-rom "$VMI_ROM") ;;
    auto|call-only)
                boot=(-kernel "$VMI_LOADER"); rom=(-option-rom "$VMI_ROM")
                args="vmi.policy=$config vmi.keep=1 $args" ;;
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
timeout "${VMI_LINUX_TIMEOUT:-60}" "$qemu" -accel tcg -icount shift=0,sleep=off -m 256 -display none \
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
