#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# CLI tests of `vmi-aot specialize` and `vmi-aot verify` (docs/aot.md).
# On each image (the gcc and clang test images, which define vmi_rom_area and vmi_aot_identity,
# and the harness binaries, which define vmi_aot_identity but no vmi_rom_area and are planned with
# --rom-base $HARNESS_ROM_BASE, where the harness shadows its ROM):
#   - every policy x both ROMs: specialize, then verify --orig passes;
#   - the input is unchanged; the same inputs give a byte-identical OUT;
#   - OUT is a valid ELF: readelf -a and objdump -d read it cleanly, symbols, program headers and
#     debug info are the input's; `sites` lists the same sites with the same function and line;
#   - the byte facts of OUT against the input and the ROM (test-aot-out, tests/aot/test_aot_out.c):
#     only site bytes, the identity record and the two header fields differ; the identity
#     record's fields, rom_hash and sites_hash recomputed; .vmi_aot's entries and original bytes;
#   - the report: valid JSON, the documented keys, totals that add up, variant only for variants;
#   - --dry-run writes only the report (and prints the summary);
#   - harness images: each site's decision, reason and target equal the harness's own load-time
#     plan (vmi-selftest -v executes the real GetRelocationInfo; specialize emulates it).
# Bad inputs to specialize: each exits 1 (2 for usage) with one line on stderr, nothing on stdout
# and no OUT (nor a temporary file).  Tampered OUTs: verify must fail and name the problem.
# Damaged copies are aot-imgedit's (tests/aot/imgedit.c).
# Usage: specialize.sh VMI-AOT DIR ROMDIR IMAGE...   (env AOT_HARNESS: harness images to run;
# HARNESS_ROM_BASE, AOT_OUT_TEST and AOT_IMGEDIT: set by make, mk/inliner.mk and mk/aot.mk)
: "${HARNESS_ROM_BASE:?the harness ROM base: set by make (mk/inliner.mk)}"
: "${AOT_OUT_TEST:?test-aot-out: set by make (mk/aot.mk)}" "${AOT_IMGEDIT:?aot-imgedit: set by make (mk/aot.mk)}"
set -u
aot=$1 dir=$2 romdir=$3
shift 3
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }
edit=$AOT_IMGEDIT
pv=$romdir/vmi-pv.rom
native=$romdir/vmi-native.rom
out=$dir/spec
mkdir -p "$out"
rm -f "$out"/*

is_harness() { ! nm "$1" 2>/dev/null | grep -q ' vmi_rom_area$'; }

for img in "$@"; do
    name=$(basename "$img" .elf)
    base=()
    is_harness "$img" && base=(--rom-base $HARNESS_ROM_BASE)
    sum=$(sha256sum <"$img")
    for rom in pv native; do
        for pol in auto call-only native-only inline-only; do
            o=$out/$name-$rom-$pol.elf
            if ! "$aot" specialize "$img" --rom "$romdir/vmi-$rom.rom" --policy $pol "${base[@]}" \
                    -o "$o" --report "$o.json" >"$o.stdout" 2>"$o.stderr"; then
                fail "$name $rom $pol: specialize: $(cat "$o.stderr")"
                continue
            fi
            "$aot" verify "$o" --rom "$romdir/vmi-$rom.rom" --orig "$img" >/dev/null 2>"$o.verr" \
                || fail "$name $rom $pol: verify --orig: $(head -3 "$o.verr")"
        done
    done
    pass "$name: specialize + verify --orig, 4 policies x 2 ROMs"
    [ "$sum" = "$(sha256sum <"$img")" ] && pass "$name: the input is unchanged" \
        || fail "$name: the input changed"

    o=$out/$name-pv-auto.elf
    "$aot" specialize "$img" --rom "$pv" "${base[@]}" -o "$o.again" >/dev/null 2>&1
    cmp -s "$o" "$o.again" && pass "$name: deterministic (byte-identical OUT)" \
        || fail "$name: two runs differ"
    ls "$out" | grep -q '\.tmp\.' && fail "$name: temporary files left: $(ls "$out" | grep '\.tmp\.')"

    # a valid ELF, with the input's symbols, segments and debug info
    readelf -a -W "$o" >/dev/null 2>"$o.re" && [ ! -s "$o.re" ] \
        && pass "$name: readelf -a reads OUT without a warning" || fail "$name: readelf -a: $(head -2 "$o.re")"
    objdump -d "$o" >/dev/null 2>"$o.od" && [ ! -s "$o.od" ] \
        && pass "$name: objdump -d reads OUT" || fail "$name: objdump -d: $(head -2 "$o.od")"
    for what in "-s -W" "-l -W" "--debug-dump=info" "--debug-dump=decodedline"; do
        if diff <(readelf $what "$img" 2>&1 | grep -v '^File: ') \
                <(readelf $what "$o" 2>&1 | grep -v '^File: ') >/dev/null; then
            pass "$name: readelf $what identical"
        else
            fail "$name: readelf $what differs"
        fi
    done
    readelf -S -W "$o" | grep -q ' \.vmi_aot *PROGBITS *00000000 ' \
        && pass "$name: .vmi_aot is a non-allocated PROGBITS section" || fail "$name: no .vmi_aot"
    # the same sites, functions and lines
    if diff <("$aot" sites --json "$img" | python3 -c 'import json,sys
for s in json.load(sys.stdin)["sites"]: print(s["addr"], s["call"], s["len"], s["function"], s["file"], s["line"])') \
            <("$aot" sites --json "$o" | python3 -c 'import json,sys
for s in json.load(sys.stdin)["sites"]: print(s["addr"], s["call"], s["len"], s["function"], s["file"], s["line"])') \
            >/dev/null; then
        pass "$name: sites on OUT: same sites, functions and lines"
    else
        fail "$name: sites on OUT differ"
    fi
    # the byte facts of OUT (test-aot-out): only the sites, the identity record and e_shoff/e_shnum
    # differ; the identity record and .vmi_aot recomputed from the input, OUT and the ROM
    if "$AOT_OUT_TEST" "$img" "$o" "$pv" auto ${base[1]:-} >"$o.unit" 2>&1; then
        pass "$name: OUT's bytes, identity and .vmi_aot: $(grep -c '^\[       OK' "$o.unit") unit tests pass"
    else
        fail "$name: test-aot-out: $(grep -E '^\[  (FAILED|ERROR) |[Ff]ailure|error' "$o.unit" | head -3)"
    fi

    # the report
    python3 - "$o.json" "$("$edit" sites "$img" | wc -l)" <<'EOF' && pass "$name: report: valid JSON, keys, totals" || fail "$name: report"
import json, sys
r = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
keys = {"addr", "call", "len", "decision", "reason", "function", "file", "line", "variant"}
assert len(r["sites"]) == n == r["totals"]["sites"], (len(r["sites"]), n)
t = r["totals"]
assert sum(t[d] for d in ("inline", "call", "jump", "nop", "native")) == n
assert sum(r["totals"]["reasons"].values()) == n
for s in r["sites"]:
    assert keys <= set(s), s
    assert s["decision"] in ("inline", "call", "jump", "nop", "native"), s
    assert (s["variant"] is not None) == (s["reason"] == "inline-variant"), s
    assert (s["line"] is None) == (s["file"] is None) and s["function"] != "?", s
assert [s["addr"] for s in r["sites"]] == sorted(s["addr"] for s in r["sites"])
assert sum(1 for s in r["sites"] if s["variant"]) == t["variant"]
EOF

    # --dry-run: the report and the summary, no OUT (tests/aot/dryrun.sh checks the summary)
    rm -f "$out/dry.elf"
    if "$aot" specialize "$img" --rom "$pv" "${base[@]}" --dry-run -o "$out/dry.elf" --report "$out/dry.json" \
            >"$out/dry.txt" 2>/dev/null && [ ! -e "$out/dry.elf" ] && grep -q '^dry run: nothing written' "$out/dry.txt" \
            && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out/dry.json"; then
        pass "$name: --dry-run writes only the report and prints the summary"
    else
        fail "$name: --dry-run"
    fi
done

# The harness's own plan (real GetRelocationInfo at $HARNESS_ROM_BASE) against specialize's (emulated).
for h in ${AOT_HARNESS:-}; do
    name=$(basename "$h")
    "$h" -v "$pv" >"$out/$name.run" 2>&1 || fail "$name: the harness fails on its own"
    for pol in auto call-only native-only inline-only; do
        awk -v p="$pol" '/^policy / { cur = $2; sub(":", "", cur) }
             cur == p && $1 == "site" { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
                                       print f["addr"], f["decision"], f["reason"], f["noinline"], f["target"] }' \
            "$out/$name.run" | sort >"$out/$name.$pol.harness"
        "$aot" specialize "$h" --rom "$pv" --rom-base $HARNESS_ROM_BASE --policy $pol --dry-run \
            --report "$out/$name.$pol.json" >/dev/null 2>&1
        python3 -c '
import json, sys
for s in json.load(sys.stdin)["sites"]:
    print(s["addr"], s["decision"], s["reason"], s["noinline"], s["target"] or "0x00000000")' \
            <"$out/$name.$pol.json" | sort >"$out/$name.$pol.aot"
        if [ -s "$out/$name.$pol.aot" ] && cmp -s "$out/$name.$pol.harness" "$out/$name.$pol.aot"; then
            pass "$name $pol: every site's decision, reason and target equal the harness's load-time plan ($(wc -l <"$out/$name.$pol.aot") sites)"
        else
            fail "$name $pol: specialize's plan differs from the harness's: $(diff "$out/$name.$pol.harness" "$out/$name.$pol.aot" | head -4)"
        fi
    done
done

# A boot under the contract (aotboot: vmi_rom_area, vmi_aot_identity, docs/aot.md steps 1-4, in
# user space): a pre-specialized image that finds its ROM patches nothing and ends with the same
# text as load-time patching of the plain image; one that finds another ROM reverts and re-patches
# to that same text; one whose sites were changed is not trusted and patches nothing.
for b in ${AOT_BOOT:-}; do
    name=$(basename "$b")
    texthash() { sed -n 's/^text fnv1a64=//p'; }
    boot() {    # boot WHAT IMAGE ROM WANT-STATE WANT-HASH [POLICY]
        local what=$1 image=$2 rom=$3 state=$4 hash=$5 got
        got=$("$image" "$rom" ${6:-} 2>&1)
        if ! grep -q "^aot state=$state " <<<"$got"; then
            fail "$name $what: expected state=$state: $(tr '\n' ' ' <<<"$got")"
        elif [ -n "$hash" ] && [ "$(texthash <<<"$got")" != "$hash" ]; then
            fail "$name $what: text $(texthash <<<"$got"), load-time patching gives $hash"
        else
            pass "$name $what: $(head -1 <<<"$got")${hash:+, the text load-time patching gives}"
        fi
    }
    h_pv=$("$b" "$pv" | texthash)
    h_call=$("$b" "$pv" call-only | texthash)
    h_native=$("$b" "$native" | texthash)
    [ -n "$h_pv" ] && [ "$h_pv" != "$h_native" ] || fail "$name: the plain image does not boot: $("$b" "$pv" 2>&1)"
    boot "plain, pv ROM (load-time patching)"            "$b"                          "$pv"     none      "$h_pv"
    boot "specialized for pv, pv ROM"                    "$out/$name-pv-auto.elf"      "$pv"     match     "$h_pv"
    boot "specialized for pv call-only, pv ROM"          "$out/$name-pv-call-only.elf" "$pv"     match     "$h_call"
    boot "specialized for native, pv ROM"                "$out/$name-native-auto.elf"  "$pv"     mismatch  "$h_pv"
    boot "specialized for pv, native ROM"                "$out/$name-pv-auto.elf"      "$native" mismatch  "$h_native"
    boot "specialized native-only for pv, pv ROM"        "$out/$name-pv-native-only.elf" "$pv"   match     ""
    "$edit" flip "$out/$name-pv-auto.elf" "$out/$name-flipped.elf" 1
    boot "a site changed after specialize"               "$out/$name-flipped.elf"      "$pv"     untrusted ""
    grep -q "written=0 " <("$out/$name-pv-auto.elf" "$pv") && pass "$name: a matching image writes no site" \
        || fail "$name: a matching image wrote sites"
done

# ---- bad inputs to specialize: exit 1, one line on stderr, no OUT ----
img=$1
bad() {     # bad WHAT WANT-RC WANT-TEXT ARGS...
    local what=$1 want=$2 text=$3
    shift 3
    rm -f "$out/bad.elf" "$out"/bad.elf.tmp.*
    "$aot" specialize "$@" -o "$out/bad.elf" >"$out/bad.stdout" 2>"$out/bad.stderr"
    local rc=$?
    local lines
    lines=$(wc -l <"$out/bad.stderr")
    if [ $rc -ne "$want" ]; then
        fail "$what: exit $rc, expected $want: $(cat "$out/bad.stderr")"
    elif [ -e "$out/bad.elf" ] || ls "$out" | grep -q 'bad\.elf\.tmp'; then
        fail "$what: an output file was left"
    elif [ "$want" = 1 ] && { [ "$lines" -ne 1 ] || [ -s "$out/bad.stdout" ] || ! grep -q -- "$text" "$out/bad.stderr"; }; then
        fail "$what: expected one line saying '$text', got: $(cat "$out/bad.stderr" "$out/bad.stdout")"
    else
        pass "$what: exit $want${text:+, '$text'}"
    fi
}
printf 'not an image\n' >"$out/text.elf"
head -c 1000 "$img" >"$out/trunc.elf"
cp "$pv" "$out/badsum.rom"
printf '\x55' | dd of="$out/badsum.rom" bs=1 seek=300 conv=notrunc status=none
"$edit" rec-offset "$img" "$out/outside.elf" 0 0x1000000
"$edit" rec-alias "$img" "$out/overlap.elf" 1 0
bad "not an ELF"            1 "not an ELF file"                "$out/text.elf" --rom "$pv"
bad "a 64-bit ELF"          1 "64-bit ELF"                     "$aot" --rom "$pv"
bad "a truncated image"     1 "truncated"                      "$out/trunc.elf" --rom "$pv"
bad "no site table"         1 "no site table"                  "$romdir/vmi-pv.elf" --rom "$pv" --rom-base $HARNESS_ROM_BASE
bad "a site outside the text" 1 "outside every executable section" "$out/outside.elf" --rom "$pv"
bad "overlapping sites"     1 "overlapping sites"              "$out/overlap.elf" --rom "$pv"
bad "a ROM failing check-rom" 1 "fails check-rom"              "$img" --rom "$out/badsum.rom"
bad "an ELF as the ROM"     1 "fails check-rom\|not a ROM"      "$img" --rom "$img"
bad "a missing ROM"         1 "cannot open"                    "$img" --rom "$out/nonexistent.rom"
bad "already specialized"   1 "already specialized"            "$out/$(basename "$img" .elf)-pv-auto.elf" --rom "$pv"
bad "--rom-base against vmi_rom_area" 1 "vmi_rom_area is at"  "$img" --rom "$pv" --rom-base $HARNESS_ROM_BASE
for h in ${AOT_HARNESS:-}; do
    bad "no vmi_rom_area, no --rom-base" 1 "give --rom-base"   "$h" --rom "$pv"
    bad "a base the emulator cannot use" 1 "not supported"     "$h" --rom "$pv" --rom-base 0x10
    break
done
cp "$img" "$out/self.elf"
if ! "$aot" specialize "$out/self.elf" --rom "$pv" -o "$out/self.elf" 2>"$out/self.err" \
        && grep -q "is the input image" "$out/self.err" && cmp -s "$img" "$out/self.elf"; then
    pass "OUT is the input: refused, the input untouched"
else
    fail "OUT is the input: $(cat "$out/self.err")"
fi
bad "no --rom (usage)"      2 ""                               "$img"
bad "an unknown policy"     2 ""                               "$img" --rom "$pv" --policy fastest

# ---- tampered OUTs: verify must fail and say why ----
o=$out/$(basename "$img" .elf)-pv-auto.elf
vbad() {    # vbad WHAT WANT-TEXT FILE [ARGS...]
    local what=$1 text=$2 f=$3
    shift 3
    if "$aot" verify "$f" "$@" >"$out/v.stdout" 2>"$out/v.stderr"; then
        fail "verify accepted $what"
    elif ! grep -q -- "$text" "$out/v.stderr"; then
        fail "verify on $what: expected '$text', got: $(head -3 "$out/v.stderr")"
    else
        pass "verify refuses $what: $(head -1 "$out/v.stderr" | cut -c1-150)"
    fi
}
calltarget=$(python3 -c 'import json,sys
print(next(s["target"] for s in json.load(open(sys.argv[1]))["sites"] if s["decision"] == "call"))' "$o.json")
long=$("$edit" sites "$o" | awk '$3 >= 6 {print $1; exit}')
"$edit" flip "$o" "$out/t-flip.elf" 0
"$edit" branch "$o" "$out/t-away.elf" "$long" 0x00001234
"$edit" branch "$o" "$out/t-header.elf" "$long" "$(( $(nm "$img" | awk '$3 == "vmi_rom_area" {print "0x" $1}') + 0x10 ))"
"$edit" branch "$o" "$out/t-good.elf" "$long" "$calltarget"
"$edit" cut "$o" "$out/t-cut.elf" "$long"
"$edit" flip-outside "$o" "$out/t-outside.elf"
vbad "a byte flipped inside a site"    "sites_hash"                    "$out/t-flip.elf" --rom "$pv"
vbad "a jump that leaves the ROM"      "outside the site and outside the ROM" "$out/t-away.elf" --rom "$pv"
vbad "a jump into the ROM header"      "in none of its routines"       "$out/t-header.elf" --rom "$pv"
vbad "a site cut mid-instruction"      "instruction boundary"          "$out/t-cut.elf" --rom "$pv"
vbad "the wrong ROM"                   "specialized for another ROM"   "$o" --rom "$native"
vbad "a changed byte outside the sites" "outside the sites and the records" "$out/t-outside.elf" --rom "$pv" --orig "$img"
vbad "an image never specialized"      "no non-allocated PROGBITS section .vmi_aot" "$img" --rom "$pv"
vbad "another image as the original"   "the original" "$o" --rom "$pv" --orig "$2"
grep -q "site [0-9]* at 0x" <("$aot" verify "$out/t-away.elf" --rom "$pv" 2>&1) \
    && pass "verify names the offending site" || fail "verify does not name the site"
"$aot" verify "$out/t-good.elf" --rom "$pv" >/dev/null 2>&1 \
    && pass "verify accepts a site rewritten to jump to a ROM routine, hashes fixed (the control)" \
    || fail "verify refuses a good jump: $("$aot" verify "$out/t-good.elf" --rom "$pv" 2>&1 | head -2)"
"$aot" verify "$out/t-outside.elf" --rom "$pv" >/dev/null 2>&1 \
    && pass "without --orig, bytes outside the sites are not checked (documented)" \
    || fail "verify without --orig refused a change outside the sites"

echo "specialize/verify: $fails failure(s)"
[ $fails -eq 0 ]
