#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The boot checks must be able to fail: boots that are wrong on purpose, each of which
# tests/guest/boot.sh has to reject with the expected reason.
#   tests/guest/negative.sh KERNEL ROMDIR
set -u
kernel=$1
romdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok=0
bad=0

expect_fail() {   # $1: name, $2: reason to find, then the boot.sh arguments
    local name=$1 reason=$2
    shift 2
    local out
    out=$(bash tests/guest/boot.sh --log "$tmp/logs" "$@" 2>&1)
    if [ $? -ne 0 ] && grep -qF -- "$reason" <<<"$out"; then
        echo "rejected as expected: $name ($reason)"
        ok=$((ok + 1))
    else
        echo "NOT rejected: $name (wanted: $reason)"
        sed 's/^/    /' <<<"$out" | tail -5
        bad=$((bad + 1))
    fi
}

# 1. The pv ROM with one byte flipped: SeaBIOS drops it (bad checksum), so no ROM is found.
mkdir -p "$tmp/badsum"
python3 - "$romdir/vmi-pv.rom" "$tmp/badsum/vmi-pv.rom" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[0x100] ^= 1
open(sys.argv[2], 'wb').write(d)
PY
VMI_ROM_DIR=$tmp/badsum expect_fail "pv ROM with a bad checksum" \
    'expected the ROM "VMI reference paravirtual ROM"' "$kernel" pv-auto

# 2. The pv ROM where the native one should be: the wrong ROM and the platform in use.
mkdir -p "$tmp/swapped"
cp "$romdir/vmi-pv.rom" "$tmp/swapped/vmi-native.rom"
VMI_ROM_DIR=$tmp/swapped expect_fail "pv ROM passed as the native ROM" \
    "the pv platform ran without the pv ROM" "$kernel" native-auto

# 3. A plain image where a pre-specialized one is expected.
VMI_ROM_DIR=$romdir expect_fail "plain image in aot-match" \
    "expected a matching pre-specialized image" "$kernel" aot-match

# 4. The counting boot's profile check (tests/guest/profile.sh) on tampered copies of a real
#    pv-count log: each must be rejected for its reason.
if bash tests/guest/boot.sh --log "$tmp/logs" "$kernel" pv-count >"$tmp/count.out" 2>&1; then
    log=$(sed -n 's/^SUMMARY .* log=\([^ ]*\).*/\1/p' "$tmp/count.out")
    n=$(grep -c '^site ' "$log")
    profile_fail() {   # $1: name, $2: reason, $3: sed expression applied to the log
        local out
        sed "$3" "$log" >"$tmp/tampered.log"
        out=$(bash tests/guest/profile.sh "$tmp/tampered.log" "$n")
        if [ $? -ne 0 ] && grep -qF -- "$2" <<<"$out"; then
            echo "rejected as expected: $1 ($2)"
            ok=$((ok + 1))
        else
            echo "NOT rejected: $1 (wanted: $2; got: ${out:-accepted})"
            bad=$((bad + 1))
        fi
    }
    profile_fail "profile with a site line dropped" "site lines, begin says" '0,/^site /{/^site /d}'
    profile_fail "profile with a garbled count" "malformed" '0,/^site /s/count=/count=x/'
    profile_fail "profile with a wrong total" "the end line says" 's/executions=[0-9]*/executions=1/'
    profile_fail "profile without its end line" "profile not ended" '/^profile end/d'
    profile_fail "log without a profile" "no profile block" '/^profile \|^site /d'
else
    echo "NOT rejected: the pv-count boot itself failed"; sed 's/^/    /' "$tmp/count.out" | tail -5
    bad=$((bad + 1))
fi

echo "negative boots: $ok rejected, $bad accepted"
[ "$bad" -eq 0 ]
