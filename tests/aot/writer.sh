#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The ELF image writer's output, checked with independent tools: test-aot writes
# DIR/rewritten.elf from the gcc test image (site 0 turned into NOPs, a .vmi_aot section added);
# readelf -a and objdump -d must read it without a warning, and everything but the patched site,
# the two ELF header fields and the section-header/name tables must be what the input had in
# their eyes.  The bytes themselves (the input the output's prefix but for e_shoff, e_shnum and
# the site) are test-aot's assertions (test_writer, tests/aot/test_aot.c).
# Usage: writer.sh TEST-AOT DIR IMAGE
set -u
test_aot=$1 dir=$2 in=$3
out=$dir/rewritten.elf
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }

rm -f "$out"
AOT_TEST_DIR=$dir "$test_aot" >/dev/null 2>&1 || fail "test-aot failed (run it for details)"
[ -f "$out" ] || { echo "FAIL: test-aot did not write $out" >&2; exit 1; }

# readelf and objdump read it, silently
for tool in "readelf -a" "objdump -d" "readelf --debug-dump=info,line,aranges"; do
    if $tool "$out" >"$dir/w.out" 2>"$dir/w.err" && [ ! -s "$dir/w.err" ]; then
        pass "$tool reads the output without a warning"
    else
        fail "$tool on $out: $(head -3 "$dir/w.err")"
    fi
done

# readelf -a: the same but for e_shoff, e_shnum, the name table's place and the new section
filter() { grep -v -e 'Start of section headers' -e 'Number of section headers' -e ' \.shstrtab ' \
                   -e ' \.vmi_aot ' -e "^File: "; }
readelf -a "$in" 2>&1 | filter >"$dir/w.a"
readelf -a "$out" 2>&1 | filter >"$dir/w.b"
if cmp -s "$dir/w.a" "$dir/w.b"; then pass "readelf -a unchanged except the expected fields"
else fail "readelf -a differs: $(diff "$dir/w.a" "$dir/w.b" | head -5)"; fi
readelf -S -W "$out" | grep -q ' \.vmi_aot *PROGBITS *00000000 [0-9a-f]* 00001c 00  *0 *0 *8$' \
    && pass ".vmi_aot is a non-allocated PROGBITS section of 28 bytes" \
    || fail ".vmi_aot header: $(readelf -S -W "$out" | grep vmi_aot)"

# symbols and debug info byte-for-byte the same in readelf's eyes
for opt in "-s -W" "--debug-dump=info" "--debug-dump=decodedline" "-l -W"; do
    readelf $opt "$in" 2>&1 | grep -v "^File: " >"$dir/w.a"
    readelf $opt "$out" 2>&1 | grep -v "^File: " >"$dir/w.b"
    cmp -s "$dir/w.a" "$dir/w.b" && pass "readelf $opt identical" \
        || fail "readelf $opt differs: $(diff "$dir/w.a" "$dir/w.b" | head -4)"
done

# the code: objdump -d identical outside site 0, which is now NOPs
site=$(objdump -d "$in" | awk '/\tcli *$/ { sub(":", "", $1); print $1; exit }')
len=8
for range in "--stop-address=0x$site" "--start-address=$(printf '0x%x' $((0x$site + len)))"; do
    objdump -d $range "$in" | tail -n +3 >"$dir/w.a"
    objdump -d $range "$out" | tail -n +3 >"$dir/w.b"
    cmp -s "$dir/w.a" "$dir/w.b" && pass "objdump -d $range identical" \
        || fail "objdump -d $range differs: $(diff "$dir/w.a" "$dir/w.b" | head -4)"
done
objdump -d --start-address=0x$site --stop-address=$(printf '0x%x' $((0x$site + len))) "$out" \
    | grep -q "nopl   0x0(%eax,%eax,1)" && pass "site 0x$site holds the 8-byte NOP" \
    || fail "site 0x$site does not hold the NOP"

rm -f "$dir/w.a" "$dir/w.b" "$dir/w.out" "$dir/w.err"
echo "writer: $fails failure(s)"
[ "$fails" = 0 ]
