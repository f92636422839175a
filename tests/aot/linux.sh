#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# vmi-aot on real Linux VMI kernels (docs/linux.md, docs/aot.md):
#     linux.sh VMI_AOT WORKDIR ROMDIR LINUX_VMI_DIR
# sites on the three fixture kernels (record counts, per-op counts, the JSON against the records
# as aot-imgedit lists them), specialize + verify --orig on every kernel with both ROMs and every
# policy (the report's per-op decisions; test-aot-out: byte changes only inside sites, hashes
# recomputed, .vmi_aot's originals; determinism), tampering, and bad inputs (one error line, no
# output).  Damaged kernels are aot-imgedit's (tests/aot/imgedit.c); the ROM base is make's
# LINUX_ROM_BASE (mk/inliner.mk).
set -u
aot=$1; work=$2; romdir=$3; dir=$4
[ -f "$dir/vmlinux" ] || { echo "skipped: no Linux fixtures in $dir"; exit 0; }
here=$(dirname "$0")
mkdir -p "$work"
tmp=$(mktemp -d "$work/linux.XXXXXX")
. "$here/linux-lib.sh"
edit=$AOT_IMGEDIT
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The fixtures' record counts (their README) and the non-PAE kernel's interrupt-flag ops.
declare -A records=([.]=2383 [pae]=2471 [smp]=1287)
declare -A nonpae=([pv_irq_ops.irq_disable]=661 [pv_irq_ops.restore_fl]=470
                   [pv_irq_ops.save_fl]=440 [pv_irq_ops.irq_enable]=297)
irq_ops="pv_irq_ops.irq_disable pv_irq_ops.restore_fl pv_irq_ops.save_fl pv_irq_ops.irq_enable"

# ---- sites ----
for b in . pae smp; do
    k=$dir/$b/vmlinux
    [ -f "$k" ] || { bad "$k missing"; continue; }
    if ! "$aot" sites "$k" > "$tmp/sites.txt" 2> "$tmp/err"; then
        bad "sites $k: $(cat "$tmp/err")"; continue
    fi
    n=$(grep -c '^0x' "$tmp/sites.txt")
    [ "$n" = "${records[$b]}" ] && grep -q "^# ${records[$b]} sites, ${records[$b]} with file:line" "$tmp/sites.txt" \
        && ok "sites $b: ${records[$b]} records listed, each with file:line" \
        || bad "sites $b: $n lines, expected ${records[$b]}"
    grep -q "op names from the kernel's DWARF (agreeing with the spec)" "$tmp/sites.txt" \
        && ok "sites $b: op names from DWARF agree with the spec" || bad "sites $b: op names"
    "$aot" sites "$k" --json -o "$tmp/sites.json" 2> "$tmp/err" || bad "sites --json $b: $(cat "$tmp/err")"
    linux_check_json "$tmp/sites.json" "$k" && ok "sites --json $b: valid, agrees with the records" \
        || bad "sites --json $b"
    if [ "$b" = . ]; then
        for op in "${!nonpae[@]}"; do
            got=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print([o['sites'] for o in d['ops'] if o['op']==sys.argv[2]][0])" "$tmp/sites.json" "$op")
            [ "$got" = "${nonpae[$op]}" ] && ok "sites: $op has ${nonpae[$op]} sites" \
                || bad "sites: $op has $got sites, expected ${nonpae[$op]}"
            grep -q "^# $op .* ${nonpae[$op]}\$" "$tmp/sites.txt" || bad "sites text: no per-op line for $op"
        done
    fi
done

# ---- specialize + verify: every kernel, both ROMs, every policy ----
base=$LINUX_ROM_BASE
for b in . pae smp; do
    k=$dir/$b/vmlinux
    for rom in native pv; do
        for pol in auto call-only native-only inline-only; do
            out=$tmp/out; rep=$tmp/rep.json
            if ! "$aot" specialize "$k" --rom "$romdir/vmi-$rom.rom" --rom-base $base --policy $pol \
                    -o "$out" --report "$rep" > "$tmp/so" 2> "$tmp/err"; then
                bad "specialize $b $rom $pol: $(cat "$tmp/err")"; continue
            fi
            "$aot" verify "$out" --rom "$romdir/vmi-$rom.rom" --orig "$k" > "$tmp/vo" 2> "$tmp/err" \
                || { bad "verify $b $rom $pol: $(head -3 "$tmp/err")"; continue; }
            grep -q "verified ${records[$b]} Linux pv sites" "$tmp/vo" || bad "verify $b $rom $pol: $(cat "$tmp/vo")"
            # the report: per op, decisions add up; every site vmi_patch rewrites is patched
            # under auto and call-only; the interrupt-flag ops all inlined where the body fits
            python3 - "$rep" "$pol" "$rom" "$b" "${records[$b]}" > "$tmp/py" 2>&1 <<'EOF' || { bad "report $b $rom $pol: $(cat "$tmp/py")"; continue; }
import json, sys
rep, pol, rom, build, nrec = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
d = json.load(open(rep))
t, lx = d['totals'], d['linux']
assert t['sites'] == nrec == len(d['sites']), 'sites'
assert sum(t[k] for k in ('inline', 'call', 'jump', 'nop', 'native')) == nrec, 'totals'
assert sum(o['sites'] for o in lx['ops']) == nrec, 'ops'
for o in lx['ops']:
    assert sum(o[k] for k in ('inline', 'call', 'jump', 'nop', 'native')) == o['sites'], o
    if o['use'] not in ('patch', 'fill'):
        assert o['native'] == o['sites'], ('kept', o)
    if pol == 'native-only':
        assert o['native'] == o['sites'], ('native-only', o)
    if pol == 'call-only':
        assert o['inline'] == 0, ('call-only', o)
ops = {o['op']: o for o in lx['ops']}
if pol in ('auto', 'call-only'):
    assert lx['patch_sites_native'] == 0, 'a vmi_patch site left unpatched'
    for op in ('pv_cpu_ops.iret', 'pv_cpu_ops.irq_enable_sysexit'):
        assert ops[op]['native'] == 0, op
irq = ('pv_irq_ops.irq_disable', 'pv_irq_ops.restore_fl', 'pv_irq_ops.save_fl', 'pv_irq_ops.irq_enable')
if pol == 'auto' and rom == 'native':      # the native ROM's bodies fit every 6-byte site
    for op in irq:
        assert ops[op]['inline'] == ops[op]['sites'], op
for s in d['sites']:
    if s['use'] in ('wrap', 'get', 'native'):
        assert s['decision'] == 'native' and s['reason'] in ('linux-keep', 'policy'), s
print(' '.join('%s %d/%d' % (op.split('.')[1], ops[op]['inline'], ops[op]['sites']) for op in irq))
EOF
            ok "specialize+verify $b $rom $pol: inlined $(cat "$tmp/py")"
            if [ $pol = auto ]; then
                linux_check_out "$out" "$k" "$romdir/vmi-$rom.rom" $pol "$rep" > "$tmp/py" 2>&1 && ok "$(cat "$tmp/py")" \
                    || bad "check-out $b $rom: $(cat "$tmp/py")"
            fi
        done
    done
done

k=$dir/vmlinux
"$aot" specialize "$k" --rom "$romdir/vmi-pv.rom" --rom-base $base -o "$tmp/a1" > /dev/null 2>&1
"$aot" specialize "$k" --rom "$romdir/vmi-pv.rom" --rom-base $base -o "$tmp/a2" > /dev/null 2>&1
cmp -s "$tmp/a1" "$tmp/a2" && ok "specialize is deterministic" || bad "two runs differ"
"$aot" specialize "$k" --rom "$romdir/vmi-pv.rom" --rom-base $base --dry-run --report "$tmp/dry.json" > "$tmp/dry.txt" 2> "$tmp/err" \
    && grep -q '^dry run: nothing written' "$tmp/dry.txt" && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/dry.json" \
    && ok "--dry-run: the summary, and the report valid JSON" || bad "--dry-run: $(cat "$tmp/err")"
"$aot" sites "$tmp/a1" > /dev/null 2>&1 && ok "sites reads a specialized kernel" || bad "sites on OUT"

# tampering: another ROM, a site changed after specialize
"$aot" verify "$tmp/a1" --rom "$romdir/vmi-native.rom" > /dev/null 2> "$tmp/err" \
    && bad "verify accepted another ROM" \
    || { grep -q "specialized for another ROM" "$tmp/err" && ok "verify: another ROM refused"; } \
    || bad "verify, another ROM: $(cat "$tmp/err")"
first=$("$edit" records "$k" | awk '$3 == 45 && !f {print $2; f = 1}')     # an irq_disable site: patched
"$edit" flip-addr "$tmp/a1" "$tmp/t1" "$first"
"$aot" verify "$tmp/t1" --rom "$romdir/vmi-pv.rom" > /dev/null 2> "$tmp/err" \
    && bad "verify accepted a changed site" \
    || { grep -q "a site was changed after specialize" "$tmp/err" && ok "verify: a changed site refused"; } \
    || bad "verify, changed site: $(cat "$tmp/err")"

# ---- bad inputs: one line on stderr, nothing on stdout, no output file ----
refuse() {      # WHAT IMAGE PATTERN
    local what=$1 img=$2 pat=$3
    for cmd in sites specialize; do
        rm -f "$tmp/bout"
        if [ $cmd = sites ]; then
            "$aot" sites "$img" -o "$tmp/bout" > "$tmp/o" 2> "$tmp/e"
        else
            "$aot" specialize "$img" --rom "$romdir/vmi-pv.rom" --rom-base $base -o "$tmp/bout" > "$tmp/o" 2> "$tmp/e"
        fi
        rc=$?
        if [ $rc = 1 ] && [ "$(wc -l < "$tmp/e")" = 1 ] && [ ! -s "$tmp/o" ] && [ ! -e "$tmp/bout" ] &&
           ! ls "$tmp"/bout.tmp* > /dev/null 2>&1 && grep -q -- "$pat" "$tmp/e"; then
            ok "$cmd: $what: exit 1, '$(cut -c1-150 "$tmp/e")'"
        else
            bad "$cmd: $what: exit $rc, stderr '$(cat "$tmp/e")', stdout $(wc -c < "$tmp/o") bytes"
        fi
    done
}
"$edit" section-size "$k" "$tmp/b1" .parainstructions -3
refuse "truncated .parainstructions" "$tmp/b1" "not a whole number of 8-byte"
"$edit" linux-record "$k" "$tmp/b2" 7 instr 0x00001000
refuse "a record outside the text" "$tmp/b2" "record 7 (at .*outside every executable section"
"$edit" linux-record "$k" "$tmp/b3" 9 type 200
refuse "an unknown type" "$tmp/b3" "record 9 (at .*type 200 is no op"
"$edit" linux-record "$k" "$tmp/b4" 11 clobbers 0x10
refuse "clobbers outside CLBR_ANY" "$tmp/b4" "record 11 (at .*clobbers 0x0010"
irq=$("$edit" records "$k" | awk '$3 == 45 && !f {print $1; f = 1}')
"$edit" linux-record "$k" "$tmp/b5" "$irq" len 4
refuse "a 4-byte irq_disable site" "$tmp/b5" "record $irq (at .*length 4"
"$edit" machine "$k" "$tmp/b6" 62
refuse "a non-i386 ELF" "$tmp/b6" "e_machine 62 is not EM_386"
"$edit" symsize "$k" "$tmp/b7" pv_mmu_ops 160      # symbols claim PAE: the DWARF disagrees
refuse "pv_mmu_ops sized for PAE, DWARF not" "$tmp/b7" "paravirt_patch_template"
"$edit" symsize "$k" "$tmp/b8" pv_cpu_ops 12
refuse "pv ops sizes no configuration has" "$tmp/b8" "no configuration of the spec's Linux profile"
"$edit" debug-str "$k" "$tmp/b9" irq_disable irq_disablX   # the DWARF names the member otherwise
refuse "the DWARF names an op otherwise than the spec" "$tmp/b9" \
    "record $irq (at .*type 45 is pv_irq_ops.irq_disablX in the kernel's DWARF, but pv_irq_ops.irq_disable in the spec"
rm -f "$tmp"/b?

echo "linux: $fails failure(s)"
[ $fails = 0 ]
