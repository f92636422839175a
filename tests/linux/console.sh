#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Checks one Linux console log against the boot rules (docs/linux-boot.md): used by boot.sh on
# every boot, and by negative.sh on altered consoles, which it must refuse.
#
#   tests/linux/console.sh [--opt VMI_OPTION] [--append CMDLINE] KERNEL ROM CONSOLE
#
# The console needs the lines of expect/common.txt, expect/rom-ROM.txt, expect/kernel-KERNEL.txt
# and expect/timer-native.txt ("+ TEXT" a line containing TEXT; "- TEXT" no line containing it;
# "~ REGEX" a line matching the extended regular expression); for the pv ROM the failure line
# before the native boot; init's echo of CMDLINE when given; and no BUG, Oops or panic line, nor
# any WARNING but the TSC-calibration one (apic.c:1261), allowed only after "TSC: Unable to
# calibrate against PIT" or with vmi=disable_tsc: setup_local_APIC warns when cpu_khz is 0, which
# TCG causes when it fails the calibration and disable_tsc causes by taking the TSC away.
# Prints one line per broken rule; exit status 0 when none is broken, 1 otherwise, 2 on usage.
set -u
here=$(dirname "$0")
vmiopt=
append=
while [ $# -gt 3 ]; do
    case "$1" in
        --opt) vmiopt=$2; shift 2 ;;
        --append) append=$2; shift 2 ;;
        *) break ;;
    esac
done
if [ $# -ne 3 ]; then
    echo "usage: $0 [--opt VMI_OPTION] [--append CMDLINE] KERNEL ROM CONSOLE" >&2
    exit 2
fi
kernel=$1
rom=$2
out=$3
for f in common rom-$rom kernel-$kernel timer-native; do
    [ -f "$here/expect/$f.txt" ] || { echo "$0: no expectation file $here/expect/$f.txt" >&2; exit 2; }
done
[ -r "$out" ] || { echo "$out: no console log"; exit 1; }

fail=()
has() { grep -aqF -- "$1" "$out"; }
for f in common rom-$rom kernel-$kernel timer-native; do
    while IFS= read -r l; do
        case "$l" in
            "+ "*) has "${l#+ }" || fail+=("missing console line: ${l#+ }") ;;
            "- "*) ! has "${l#- }" || fail+=("unexpected console line: $(grep -aF -m1 -- "${l#- }" "$out")") ;;
            "~ "*) grep -aqE -- "${l#\~ }" "$out" || fail+=("no console line matches: ${l#\~ }") ;;
        esac
    done <"$here/expect/$f.txt"
done

# The pv ROM's failure comes first, then the native boot (not a native boot that failed later).
if [ "$rom" = pv ]; then
    failed_at=$(grep -anF -m1 "VMI ROM failed to initialize!" "$out" | cut -d: -f1)
    native_at=$(grep -anF -m1 "Booting paravirtualized kernel on bare hardware" "$out" | cut -d: -f1)
    [ -z "$failed_at" ] || [ -z "$native_at" ] || [ "$failed_at" -lt "$native_at" ] ||
        fail+=("the native boot (line $native_at) came before VMI_Init failed (line $failed_at)")
fi
if [ -n "$append" ]; then
    grep -aqxF "cmdline: $append" "$out" || fail+=("init did not echo this boot's command line (cmdline: $append)")
fi

bad='(^|[^A-Za-z_])(BUG|Oops|panic)([^A-Za-z_]|$)'
tscwarn='WARNING: at arch/x86/kernel/apic/apic.c:1261'
while IFS= read -r l; do fail+=("bad console line: $l"); done < <(grep -aE "$bad" "$out" | head -5)
if has "TSC: Unable to calibrate against PIT" || [ "$vmiopt" = disable_tsc ]; then
    warns=$(grep -a 'WARNING' "$out" | grep -avF "$tscwarn")
else
    warns=$(grep -a 'WARNING' "$out")
fi
[ -z "$warns" ] || while IFS= read -r l; do fail+=("bad console line: $l"); done <<<"$(head -5 <<<"$warns")"

[ ${#fail[@]} -eq 0 ] && exit 0
printf '%s\n' "${fail[@]}"
exit 1
