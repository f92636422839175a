#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs check-rom on each corrupted ROM of a case file and expects a failure naming the case's
# message.  Usage: corrupt.sh ROM-CORRUPT VMI-AOT OUTDIR CASES ROMDIR
# Prints "N passed, M failed"; exits 1 when any case is accepted or fails without its message.
set -u
corrupt=$1 aot=$2 out=$3 cases=$4 romdir=$5
mkdir -p "$out"
passed=0 failed=0
while IFS='|' read -r name rom ops expect; do
    name=$(echo "$name" | xargs)
    [[ -z "$name" || "$name" == \#* ]] && continue
    rom=$(echo "$rom" | xargs)
    expect=$(echo "$expect" | sed 's/^ *//; s/ *$//')
    bad="$out/$name.rom"
    # shellcheck disable=SC2086
    if ! "$corrupt" "$romdir/vmi-$rom.rom" "$bad" $ops; then
        echo "FAIL $name: cannot build the corrupted ROM"; failed=$((failed + 1)); continue
    fi
    output=$("$aot" check-rom "$bad" 2>&1); rc=$?
    if [[ $rc -ne 1 ]]; then
        echo "FAIL $name: check-rom exited $rc, expected 1"; failed=$((failed + 1))
    elif ! grep -qF -- "$expect" <<<"$output"; then
        echo "FAIL $name: no finding says: $expect"
        grep -F "$bad:" <<<"$output" | head -5 | sed 's/^/    /'
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
done < "$cases"
echo "corrupted ROMs: $passed passed, $failed failed"
[[ $failed -eq 0 && $passed -ge 15 ]]
