#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The Linux boot checks can fail: consoles and traces of real boots, altered one fault at a time,
# must be refused by tests/linux/console.sh and tests/linux/romtrace.sh, and the unaltered ones
# (and the allowed TSC-calibration warning) accepted.
#
#   tests/linux/negative.sh [--dir DIR] [--log DIR]
#
# Boots the non-PAE kernel three times (no ROM, the native ROM traced, the pv ROM; two at a time),
# then runs every case on copies of their logs.  A missing fixture prints "skipped: no Linux
# fixtures in DIR" and exits 0.  Prints one line per case and "linux negative: N of M cases as
# expected"; exits 1 unless all were.
set -u
here=$(dirname "$0")
dir=${LINUX_VMI_DIR:-}
logdir=build/linux/logs
while [ $# -gt 0 ]; do
    case "$1" in
        --dir) dir=$2; shift 2 ;;
        --log) logdir=$2; shift 2 ;;
        *) echo "usage: $0 [--dir DIR] [--log DIR]" >&2; exit 2 ;;
    esac
done
[ -n "$dir" ] || { echo "$0: no fixture directory: give --dir DIR or set LINUX_VMI_DIR" >&2; exit 2; }
if [ ! -f "$dir/bzImage" ] || [ ! -f "$dir/initrd.cpio" ]; then
    echo "skipped: no Linux fixtures in $dir"
    exit 0
fi
romdir=${VMI_ROM_DIR:-build/rom}
neg=$logdir/negative
mkdir -p "$neg"

# The real boots the cases start from; each must pass first.
bash "$here/boot.sh" --dir "$dir" --log "$neg" up none >"$neg/boot-none.txt" 2>&1 &
bash "$here/boot.sh" --dir "$dir" --log "$neg" --trace up native >"$neg/boot-native.txt" 2>&1 &
wait
bash "$here/boot.sh" --dir "$dir" --log "$neg" up pv >"$neg/boot-pv.txt" 2>&1
for b in none native pv; do
    if ! grep -aq '^PASS ' "$neg/boot-$b.txt"; then
        echo "FAIL: the unaltered $b boot did not pass, so the cases cannot start from it:"
        sed 's/^/  /' "$neg/boot-$b.txt" | head -20
        exit 1
    fi
done
none=$neg/linux-up-none.log.txt
native=$neg/linux-up-native.log.txt
pv=$neg/linux-up-pv.log.txt
trace=$neg/linux-up-native.log.trace
cmd_none="console=ttyS0 earlyprintk=serial,ttyS0 no_timer_check"

total=0
good=0
# case_ NAME EXPECT(refused|accepted) TEXT COMMAND...: runs COMMAND and checks its verdict, and that
# its output names TEXT (the fault refused, or what an accepted run must report) when TEXT is set.
case_() {
    local name=$1 want=$2 why=$3
    shift 3
    local got reason
    reason=$("$@" 2>&1)
    case $? in
        0) got=accepted ;;
        1) got=refused ;;
        *) got="error: $reason" ;;
    esac
    total=$((total + 1))
    if [ "$got" = "$want" ] && { [ -z "$why" ] || grep -qF -- "$why" <<<"$reason"; }; then
        good=$((good + 1))
        echo "ok   $name: $want${why:+ ($(grep -F -m1 -- "$why" <<<"$reason"))}"
    else
        echo "FAIL $name: expected $want${why:+ naming \"$why\"}, got $got: $(head -3 <<<"$reason" | paste -sd'|')"
    fi
}
con() { bash "$here/console.sh" "$@"; }
# variant NAME SED-SCRIPT SOURCE: a copy of SOURCE edited by sed
variant() { sed "$2" "$3" >"$neg/$1.txt"; echo "$neg/$1.txt"; }

case_ "no ROM, unaltered" accepted "" con --append "$cmd_none" up none "$none"
case_ "native ROM, unaltered" accepted "" con --append "console=ttyS0 earlyprintk=serial,ttyS0" up native "$native"
case_ "pv ROM, unaltered" accepted "" con up pv "$pv"
case_ "INIT DONE missing" refused "missing console line: INIT DONE" \
    con up none "$(variant no-init-done '/^INIT DONE/d' "$none")"
case_ "the child's exit status wrong" refused "no console line matches: ^fork" \
    con up none "$(variant fork-status 's/^\(fork: child .* status\) 7$/\1 9/' "$none")"
case_ "a BUG line" refused "bad console line: BUG: unable to handle" \
    con up none "$(variant bug '/^INIT OK/i BUG: unable to handle kernel paging request at 00000000' "$none")"
case_ "an Oops line" refused "bad console line: Oops: 0002" \
    con up none "$(variant oops '/^INIT OK/i Oops: 0002 [#1]' "$none")"
case_ "a panic line" refused "bad console line: Kernel panic" \
    con up none "$(variant panic '$a Kernel panic - not syncing: Attempted to kill init!' "$none")"
tscwarn='WARNING: at arch/x86/kernel/apic/apic.c:1261 setup_local_APIC+0x2aa/0x3b0()'
case_ "the APIC warning without the TSC failure" refused "bad console line: $tscwarn" \
    con up none "$(variant apic-warn "/TSC: Unable to calibrate against PIT/d; /^INIT OK/i $tscwarn" "$none")"
case_ "the APIC warning after the TSC failure" accepted "" \
    con up none "$(variant apic-warn-tsc "/^INIT OK/i TSC: Unable to calibrate against PIT\\n$tscwarn" "$none")"
case_ "the APIC warning with vmi=disable_tsc" accepted "" \
    con --opt disable_tsc up native \
    "$(variant apic-warn-notsc "/TSC: Unable to calibrate against PIT/d; /^INIT OK/i $tscwarn" "$native")"
case_ "another warning after the TSC failure" refused "bad console line: WARNING: at kernel/time" \
    con up none "$(variant other-warn "/^INIT OK/i TSC: Unable to calibrate against PIT\\nWARNING: at kernel/time/clockevents.c:49 clockevent_delta2ns+0x98/0xa0()" "$none")"
case_ "no-ROM console as a native-ROM boot" refused "missing console line: VMI: Found" con up native "$none"
case_ "native-ROM console as a no-ROM boot" refused "unexpected console line: VMI: Found" con up none "$native"
case_ "pv console without the failure line" refused "missing console line: VMI ROM failed" \
    con up pv "$(variant pv-no-fail '/VMI ROM failed to initialize!/d' "$pv")"
case_ "pv failure after the native boot" refused "came before VMI_Init failed" \
    con up pv "$(variant pv-order '/VMI ROM failed to initialize!/d; /^INIT OK/i VMI ROM failed to initialize!' "$pv")"
case_ "pv console booting on vmi" refused "unexpected console line: Booting paravirtualized kernel on vmi" \
    con up pv "$(variant pv-on-vmi 's/kernel on bare hardware/kernel on vmi [deprecated]/' "$pv")"
case_ "the VMI timer on the native ROM" refused "unexpected console line: vmi: registering clock event" \
    con up native "$(variant vmi-timer '/^INIT OK/i vmi: registering clock event vmi-timer. mult=1 shift=22' "$native")"
case_ "one CPU on the SMP build" refused "missing console line: Brought up 2 CPUs" con smp none "$none"
case_ "another command line" refused "did not echo this boot's command line" \
    con --append "$cmd_none vmi=disable_pge" up none "$none"

case_ "trace, unaltered" accepted "" \
    bash "$here/romtrace.sh" --require "$here/expect/routines-up.txt" "$romdir/vmi-native.rom" "$trace"
case_ "trace against the PAE list" refused "not entered: SetPxELong" \
    bash "$here/romtrace.sh" --require "$here/expect/routines-pae.txt" "$romdir/vmi-native.rom" "$trace"
# Trace edits at routine entries: the addresses from the ROM's base and vmi-aot's routine table.
aot=${VMI_AOT:-build/bin/vmi-aot}
base=$(bash "$here/romtrace.sh" "$romdir/vmi-native.rom" "$trace" | sed -n 's/^rom base=\(0x[0-9a-f]*\).*/\1/p')
offset_of() {   # NAME: the routine's offset in the native ROM, decimal (the JSON's is hex)
    "$aot" check-rom --json "$romdir/vmi-native.rom" | python3 -c 'import json, sys
print(next((int(r["offset"], 16) for r in json.load(sys.stdin)["routines"]
            if r["kind"] in ("entry", "routine") and r["name"] == sys.argv[1]), ""))' "$1"
}
entry_of() { printf '0x%08x' $((base + $(offset_of "$1"))); }
case_ "trace without DisableInterrupts" refused "not entered: DisableInterrupts" \
    bash "$here/romtrace.sh" --require "$here/expect/routines-up.txt" "$romdir/vmi-native.rom" \
    "$(variant trace-no-cli "/^$(entry_of DisableInterrupts):/d" "$trace")"
case_ "trace without VMI_Init" refused "no call to VMI_Init" \
    bash "$here/romtrace.sh" "$romdir/vmi-native.rom" "$(variant trace-no-init "/^$(entry_of VMI_Init):/d" "$trace")"
# The same boot 2 KiB higher: the base found must follow (the placement check relies on it).
while IFS= read -r l; do
    if [[ $l =~ ^(0x[0-9a-f]{8}):(.*)$ ]]; then
        printf '0x%08x:%s\n' $((BASH_REMATCH[1] + 2048)) "${BASH_REMATCH[2]}"
    else
        printf '%s\n' "$l"
    fi
done <"$trace" >"$neg/trace-moved.txt"
case_ "trace 2 KiB higher" accepted "rom base=$(printf '0x%x' $((base + 2048)))" \
    bash "$here/romtrace.sh" --require "$here/expect/routines-up.txt" "$romdir/vmi-native.rom" "$neg/trace-moved.txt"

echo "linux negative: $good of $total cases as expected; logs in $neg"
[ "$good" -eq "$total" ]
