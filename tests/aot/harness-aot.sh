#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The harness's AOT mode (tests/harness/aot_boot.c; docs/aot.md "What the kernel does at boot"):
# each harness build, specialized by vmi-aot with --rom-base $HARNESS_ROM_BASE (where it shadows its ROM),
# run with the pv ROM:
#   plain image                         -> "aot state=none", N passed, 0 failed
#   specialized for pv (auto, call-only,
#     inline-only, native-only)         -> "aot state=match ... no site patched at load", N passed, 0 failed
#   specialized for the native ROM      -> "aot state=mismatch ... reverted to native, then patched at load",
#                                          N passed, 0 failed
#   specialized for pv, a site's byte
#     flipped afterwards                -> "aot state=untrusted ... nothing patched", exit 1
# (the harness cannot run with the native ROM: its monitor needs the pv ROM's state page).
# Usage: harness-aot.sh VMI-AOT DIR ROMDIR HARNESS...
: "${HARNESS_ROM_BASE:?the harness ROM base: set by make (mk/inliner.mk)}"
: "${AOT_IMGEDIT:?aot-imgedit (tests/aot/imgedit.c): set by make (mk/aot.mk)}"
set -u
aot=$1 dir=$2 romdir=$3
shift 3
pv=$romdir/vmi-pv.rom
native=$romdir/vmi-native.rom
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }
out=$dir/harness-aot
mkdir -p "$out"
rm -f "$out"/*

# run WHAT IMAGE WANT-RC WANT-LINE-PATTERN
run() {
    local what=$1 image=$2 rc want=$3 pat=$4 last line
    "$image" "$pv" >"$out/run.log" 2>&1
    rc=$?
    last=$(tail -1 "$out/run.log")
    line=$(grep -m1 '^aot state=' "$out/run.log")
    if [ "$rc" != "$want" ]; then
        fail "$what: exit $rc, expected $want: $line / $last"
    elif ! grep -Eq -- "$pat" <<<"$line"; then
        fail "$what: expected a line matching '$pat', got '$line'"
    elif [ "$want" = 0 ] && ! grep -Eq '^[0-9]+ passed, 0 failed$' <<<"$last"; then
        fail "$what: ends with '$last'"
    elif [ "$want" != 0 ] && ! grep -Eq '^[0-9]+ passed, [1-9][0-9]* failed$' <<<"$last"; then
        fail "$what: ends with '$last'"
    else
        pass "$what: $line; $last"
    fi
}

for h in "$@"; do
    name=$(basename "$h")
    nm "$h" | grep -q ' vmi_aot_identity$' || fail "$name: no vmi_aot_identity symbol"
    run "$name plain" "$h" 0 '^aot state=none: '
    for pol in auto call-only inline-only native-only; do
        o=$out/$name-pv-$pol
        "$aot" specialize "$h" --rom "$pv" --rom-base $HARNESS_ROM_BASE --policy $pol -o "$o" >/dev/null \
            || { fail "$name: specialize pv $pol"; continue; }
        run "$name specialized for pv ($pol), run with pv" "$o" 0 \
            "^aot state=match: specialized for this ROM .*policy $pol: [0-9]+ sites verified, no site patched at load$"
    done
    o=$out/$name-native-auto
    "$aot" specialize "$h" --rom "$native" --rom-base $HARNESS_ROM_BASE -o "$o" >/dev/null \
        || fail "$name: specialize native"
    run "$name specialized for native, run with pv" "$o" 0 \
        '^aot state=mismatch: specialized for another ROM .*: [0-9]+ sites reverted to native, then patched at load, policy auto$'
    "$AOT_IMGEDIT" flip "$out/$name-pv-auto" "$out/$name-flipped" 3 || fail "$name: aot-imgedit flip"
    run "$name specialized for pv, a site changed afterwards" "$out/$name-flipped" 1 \
        '^aot state=untrusted: .*a site changed after specialize; nothing patched$'
done
echo "harness aot mode: $fails failure(s)"
[ "$fails" -eq 0 ]
