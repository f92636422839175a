#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boots one of the Linux 2.6.32 VMI fixture kernels under qemu-system-i386 (TCG) and checks its
# console against the expectation files in tests/linux/expect/ (docs/linux-boot.md).
#
#   tests/linux/boot.sh [options] KERNEL ROM [VMI_OPTION]
#
# KERNEL      up (DIR/bzImage), pae (DIR/pae/bzImage) or smp (DIR/smp/bzImage, two CPUs)
# ROM         none, native (build/rom/vmi-native.rom) or pv (build/rom/vmi-pv.rom)
# VMI_OPTION  e.g. disable_timer: adds vmi=VMI_OPTION to the kernel command line
# --dir DIR       the fixtures (default: $LINUX_VMI_DIR); absent: prints "skipped: no Linux fixtures in DIR"
#                 and exits 0 (tools/run-checks.sh counts that line as a skip)
# --log DIR       console logs (default build/linux/logs)
# --mem MIB       guest memory (default 256)
# --pre-rom FILE  an option ROM given to QEMU ahead of ours, so that ours lands elsewhere
# --tag TAG       added to the boot's name (its log file)
# --trace         logs the blocks QEMU translates in the option-ROM window and requires the
#                 routines of expect/routines-KERNEL.txt among those Linux entered (romtrace.sh)
# --timeout S     QEMU's time limit (default LINUX_BOOT_TIMEOUT or 60 s)
#
# Every boot needs QEMU's exit status 99 (init's isa-debug-exit: INIT DONE was printed), the
# lines of expect/common.txt, expect/rom-ROM.txt, expect/kernel-KERNEL.txt and
# expect/timer-native.txt (Linux's own timer, not a VMI one), its own command line echoed by init, and no BUG, Oops or panic line, nor any WARNING but the
# TSC-calibration one (apic.c:1261, allowed only after "TSC: Unable to calibrate against PIT" or
# with disable_tsc).  A boot whose console shows that Linux stopped for good (an early fault
# "BUG: Int N", "Kernel panic") is ended a second later instead of waiting for the timeout.
# A failed boot whose console shows that TCG failed the TSC calibration (a loaded host) is run
# once more ("RETRY NAME" and the first attempt's reasons; its logs keep the suffix .attempt1).
# Prints "SUMMARY key=value ...", then "PASS NAME" or "FAIL NAME" with the reasons, the relevant
# console lines and the log path.  Exit status: 0 on PASS (and on a skip), 1 on FAIL, 2 on usage.
set -u
here=$(dirname "$0")
args=("$@")
dir=${LINUX_VMI_DIR:-}
logdir=build/linux/logs
mem=256
prerom=
tag=
trace=0
limit=${LINUX_BOOT_TIMEOUT:-60}
romdir=${VMI_ROM_DIR:-build/rom}
qemu=${QEMU:-qemu-system-i386}
while [ $# -gt 0 ]; do
    case "$1" in
        --dir) dir=$2; shift 2 ;;
        --log) logdir=$2; shift 2 ;;
        --mem) mem=$2; shift 2 ;;
        --pre-rom) prerom=$2; shift 2 ;;
        --tag) tag=$2; shift 2 ;;
        --trace) trace=1; shift ;;
        --timeout) limit=$2; shift 2 ;;
        --*) echo "$0: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 [--dir DIR] [--log DIR] [--mem MIB] [--pre-rom FILE] [--tag TAG] [--trace] [--timeout S] KERNEL ROM [VMI_OPTION]" >&2
    exit 2
fi
kernel=$1
rom=$2
vmiopt=${3:-}
[ -n "$dir" ] || { echo "$0: no fixture directory: give --dir DIR or set LINUX_VMI_DIR" >&2; exit 2; }
case "$kernel" in
    up) image=$dir/bzImage ;;
    pae|smp) image=$dir/$kernel/bzImage ;;
    *) echo "$0: unknown kernel $kernel (up, pae, smp)" >&2; exit 2 ;;
esac
case "$rom" in
    none|native|pv) ;;
    *) echo "$0: unknown ROM $rom (none, native, pv)" >&2; exit 2 ;;
esac
if [ ! -f "$image" ] || [ ! -f "$dir/initrd.cpio" ]; then
    echo "skipped: no Linux fixtures in $dir"
    exit 0
fi

name=linux-$kernel-$rom${vmiopt:+-$vmiopt}${tag:+-$tag}
fail=()
romargs=()
[ -n "$prerom" ] && romargs+=(-option-rom "$prerom")
if [ "$rom" != none ]; then
    romfile=$romdir/vmi-$rom.rom
    [ -f "$romfile" ] || { echo "FAIL $name: no ROM $romfile (run make)"; exit 1; }
    romargs+=(-option-rom "$romfile")
fi
if [ -n "$prerom" ] && [ ! -f "$prerom" ]; then echo "FAIL $name: no ROM $prerom"; exit 1; fi
smpargs=()
# shellcheck disable=SC2054  # one QEMU argument with commas
[ "$kernel" = smp ] && smpargs=(-smp 2,sockets=2,cores=1,threads=1)

# The fixtures' command line; without a ROM, no IO-APIC timer check, which TCG on a loaded
# machine can fail (Linux skips it itself when it finds a ROM, even one whose VMI_Init fails).
append="console=ttyS0 earlyprintk=serial,ttyS0"
[ "$rom" = none ] && append="$append no_timer_check"
[ -n "$vmiopt" ] && append="$append vmi=$vmiopt"
[ -n "${LINUX_EXTRA_APPEND:-}" ] && append="$append $LINUX_EXTRA_APPEND"

mkdir -p "$logdir"
log=$logdir/$name.log
rm -f "$log" "$log.trace"
[ -n "${LINUX_BOOT_RETRY:-}" ] || rm -f "$log.attempt1" "$log.txt.attempt1" "$log.qemu.attempt1" "$log.trace.attempt1"
traceargs=()
[ "$trace" = 1 ] && traceargs=(-d in_asm -dfilter 0xc00c0000..0xc00dffff -D "$log.trace")

start=$(date +%s%N)
timeout "$limit" "$qemu" -accel tcg -m "$mem" "${smpargs[@]}" -display none -no-reboot -nic none \
    -monitor none -parallel none -serial "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    "${romargs[@]}" "${traceargs[@]}" -kernel "$image" -initrd "$dir/initrd.cpio" -append "$append" \
    </dev/null >"$log.qemu" 2>&1 &
qpid=$!
# Linux halts for good after these lines: end the boot a second later (the rest of the report).
stopped=
while kill -0 "$qpid" 2>/dev/null; do
    if [ -z "$stopped" ] && [ -f "$log" ] &&
       stopped=$(grep -a -m1 -o -e '^BUG: Int [0-9]*: .*' -e 'Kernel panic - not syncing.*' "$log"); then
        sleep 1
        kill "$qpid" 2>/dev/null
        break
    fi
    stopped=
    sleep 0.2
done
wait "$qpid"
status=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
out=$log.txt
tr -d '\r' <"$log" >"$out" 2>/dev/null || : >"$out"

if [ -n "$stopped" ]; then
    fail+=("Linux stopped (\"$stopped\"): QEMU ended after it, $ms ms into the boot")
else
    case $status in
        99) ;;
        124) fail+=("timeout: no isa-debug-exit within $limit s") ;;
        *) fail+=("QEMU exit status $status, not init's 99: $(head -c 300 "$log.qemu")") ;;
    esac
fi

# Linux's clock: the ROM's (GetCycleFrequency answered, no vmi=disable_timer) or its own.
timer=native
grep -aqF "vmi: registering clock event vmi-timer" "$out" && timer=vmi
reasons=$(bash "$here/console.sh" --opt "$vmiopt" --append "$append" "$kernel" "$rom" "$out" 2>&1)
case $? in
    0) ;;
    1) while IFS= read -r l; do fail+=("$l"); done <<<"$reasons" ;;
    *) fail+=("the console check could not run: $reasons") ;;
esac

# The routines Linux entered, from the translation log: those of expect/routines-KERNEL.txt.
base=-
nroutines=-
if [ "$trace" = 1 ]; then
    report=$(bash "$here/romtrace.sh" --require "$here/expect/routines-$kernel.txt" "$romfile" "$log.trace" 2>&1)
    traced=$?
    base=$(sed -n 's/^rom base=\(0x[0-9a-f]*\).*/\1/p' <<<"$report")
    entered=$(sed -n 's/^entered //p' <<<"$report" | paste -sd' ')
    if [ -n "$base" ]; then
        nroutines=$(wc -w <<<"$entered")
        echo "  ROM at $base (virtual), $nroutines routines entered: $entered"
    fi
    case $traced in
        0) ;;
        1) while IFS= read -r l; do fail+=("ROM routine $l (trace: $log.trace)"); done < <(sed -n 's/^not entered: //p' <<<"$report")
           [ -n "$base" ] || fail+=("no ROM routine list: $report") ;;
        *) fail+=("no ROM routine list: $report") ;;
    esac
    base=${base:--}
fi

# A loaded host can make TCG fail Linux's TSC calibration, and then its timing loops (an SMP
# kernel gave up on its second CPU: "Stuck ??"): one more attempt, reported, in that case only.
if [ ${#fail[@]} -gt 0 ] && [ -z "${LINUX_BOOT_RETRY:-}" ] && grep -aqF "TSC: Unable to calibrate against PIT" "$out"; then
    for f in "$log" "$out" "$log.qemu" "$log.trace"; do [ -f "$f" ] && mv "$f" "$f.attempt1"; done
    echo "RETRY $name ($ms ms): failed after TCG failed the TSC calibration (a loaded host); once more." \
         "First attempt: $out.attempt1"
    printf '  - %s\n' "${fail[@]}" | head -5
    LINUX_BOOT_RETRY=1 exec bash "$0" "${args[@]}"
fi
grep -a -e "^VMI" -e "VMI ROM failed" -e "^Booting paravirtualized" -e "^vmi: registering clock event" -e "^Brought up" -e "^INIT DONE" "$out" | sed 's/^/  /'
result=$([ ${#fail[@]} -eq 0 ] && echo PASS || echo FAIL)
echo "SUMMARY boot=$name kernel=$kernel rom=$rom opt=${vmiopt:--} mem=$mem pre_rom=$([ -n "$prerom" ] && echo 1 || echo 0)" \
     "timer=$timer result=$result status=$status ms=$ms base=$base routines=$nroutines log=$out"
if [ "$result" = PASS ]; then
    echo "PASS $name ($ms ms)"
    exit 0
fi
echo "FAIL $name ($ms ms):"
printf '  - %s\n' "${fail[@]}"
echo "  console ($out), the relevant lines:"
{ grep -a -n -B2 -A6 -E '(^|[^A-Za-z_])(BUG|Oops|panic)([^A-Za-z_]|$)|WARNING' "$out" | head -40
  echo "  ... last lines:"
  tail -n 8 "$out" | sed '$a\'; } | sed 's/^/    /'
exit 1
