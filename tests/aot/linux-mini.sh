#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# vmi-aot's Linux path on synthetic kernels, without the fixtures (docs/aot.md, "Linux kernels"):
#     linux-mini.sh VMI_AOT ROMDIR MINI.elf CONFIG [MINI.elf CONFIG ...]
# Each MINI is tests/aot/gen-linux-mini.py's kernel for a configuration (VMI_LINUX_CFG_* bits):
# the pv template laid out from the spec's rows, 18 sites of 12 ops.  Checked: sites (text and
# JSON against the records, the configuration the tool decides), specialize + verify --orig with
# both ROMs and every policy (per-op decisions; test-aot-out: only site bytes changed, hashes
# recomputed), a truncated .parainstructions and an unknown type refused (aot-imgedit's copies).
set -u
aot=$1; romdir=$2; shift 2
here=$(dirname "$0")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linux-mini.XXXXXX")
. "$here/linux-lib.sh"
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
while [ $# -ge 2 ]; do
    k=$1; cfg=$2; shift 2
    name=$(basename "$k")
    "$aot" sites "$k" > "$tmp/s.txt" 2> "$tmp/e" || { bad "sites $name: $(cat "$tmp/e")"; continue; }
    grep -q "^# 18 sites, 18 with file:line, 12 ops" "$tmp/s.txt" && ok "sites $name: 18 sites, 12 ops" \
        || bad "sites $name: $(grep '^# [0-9]' "$tmp/s.txt")"
    "$aot" sites "$k" --json -o "$tmp/s.json" 2> "$tmp/e" || bad "sites --json $name: $(cat "$tmp/e")"
    linux_check_json "$tmp/s.json" "$k" > "$tmp/cj" 2>&1 && ok "sites --json $name agrees with the records" \
        || bad "sites --json $name: $(cat "$tmp/cj")"
    got=$(python3 -c "import json,sys; print(int(json.load(open(sys.argv[1]))['config']['bits'], 16))" "$tmp/s.json")
    [ "$got" = "$((cfg))" ] && ok "$name: configuration $cfg decided from the symbol sizes" \
        || bad "$name: configuration $got, built for $cfg"
    for rom in native pv; do
        for pol in auto call-only native-only inline-only; do
            if ! "$aot" specialize "$k" --rom "$romdir/vmi-$rom.rom" --rom-base $LINUX_ROM_BASE --policy $pol \
                    -o "$tmp/out" --report "$tmp/r.json" > /dev/null 2> "$tmp/e"; then
                bad "specialize $name $rom $pol: $(cat "$tmp/e")"; continue
            fi
            "$aot" verify "$tmp/out" --rom "$romdir/vmi-$rom.rom" --orig "$k" > /dev/null 2> "$tmp/e" \
                || { bad "verify $name $rom $pol: $(head -3 "$tmp/e")"; continue; }
            python3 - "$tmp/r.json" $rom $pol > "$tmp/py" 2>&1 <<'PY' || { bad "report $name $rom $pol: $(cat "$tmp/py")"; continue; }
import json, sys
d = json.load(open(sys.argv[1])); rom, pol = sys.argv[2], sys.argv[3]
dec = {}
for s in d['sites']:
    dec.setdefault(s['op'], set()).add(s['decision'])
kept = ('pv_cpu_ops.cpuid', 'pv_mmu_ops.pte_val', 'pv_mmu_ops.lazy_mode.enter')
for op in kept:
    assert dec[op] == {'native'}, (op, dec[op])
irq = ('pv_irq_ops.irq_disable', 'pv_irq_ops.irq_enable', 'pv_irq_ops.save_fl', 'pv_irq_ops.restore_fl')
if pol == 'native-only':
    assert all(v == {'native'} for v in dec.values()), dec
elif pol in ('auto', 'call-only'):
    assert d['linux']['patch_sites'] == 11 and d['linux']['patch_sites_native'] == 0, d['linux']
    want = {'native': {'jump'}, 'pv': {'call'}}[rom]      # JUMP_REL vs CALL_REL for IRET
    assert dec['pv_cpu_ops.iret'] == want and dec['pv_cpu_ops.irq_enable_sysexit'] == want, dec
if pol in ('auto', 'inline-only') and rom == 'native':
    for op in irq + ('pv_mmu_ops.read_cr2', 'pv_cpu_ops.read_cr0'):
        assert dec[op] == {'inline'}, (op, dec[op])
if pol == 'call-only':
    assert all('inline' not in v for v in dec.values()), dec
print(' '.join('%s=%s' % (op.split('.')[-1], '/'.join(sorted(v))) for op, v in sorted(dec.items())))
PY
            ok "$name $rom $pol: $(cat "$tmp/py")"
            if [ $pol = auto ]; then
                linux_check_out "$tmp/out" "$k" "$romdir/vmi-$rom.rom" $pol "$tmp/r.json" > "$tmp/py" 2>&1 && ok "$name $rom: $(cat "$tmp/py")" \
                    || bad "check-out $name $rom: $(cat "$tmp/py")"
            fi
        done
    done
    "$AOT_IMGEDIT" section-size "$k" "$tmp/b1" .parainstructions -3
    "$AOT_IMGEDIT" linux-record "$k" "$tmp/b2" 3 type 200
    for b in b1:"truncated .parainstructions" b2:"an unknown type"; do
        rm -f "$tmp/bo"
        "$aot" specialize "$tmp/${b%%:*}" --rom "$romdir/vmi-pv.rom" --rom-base $LINUX_ROM_BASE -o "$tmp/bo" \
            > "$tmp/o" 2> "$tmp/e"
        [ $? = 1 ] && [ "$(wc -l < "$tmp/e")" = 1 ] && [ ! -s "$tmp/o" ] && [ ! -e "$tmp/bo" ] \
            && ok "$name, ${b#*:}: refused, '$(cut -c1-120 "$tmp/e")'" || bad "$name, ${b#*:}: $(cat "$tmp/e")"
    done
done
echo "linux-mini: $fails failure(s)"
[ $fails = 0 ]
