#!/usr/bin/env bash
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

echo "negative boots: $ok rejected, $bad accepted"
[ "$bad" -eq 0 ]
