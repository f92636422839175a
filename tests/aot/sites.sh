#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# CLI tests of `vmi-aot sites`.  On each test image (gcc and clang builds of tests/aot/image.c):
#   - call, function, file:line and constant of every site against the @site tags in the source;
#   - address, call number and length against the vmi_sites records as aot-imgedit decodes them
#     from the section's bytes (tests/aot/imgedit.c), which also makes the damaged copies below;
#   - file:line and function against addr2line (binutils), an independent DWARF reader;
#   - JSON: parses, one object per site, deterministic, -o writes the same bytes.
# Then bad inputs: each must fail with exit 1, one line on stderr naming the file and the
# problem, nothing on stdout and no output file.
# Usage: [AOT_GLUE_INC=dir-of-vmi_glue.h] sites.sh VMI-AOT DIR IMAGE...   (AOT_IMGEDIT: make's)
: "${AOT_IMGEDIT:?aot-imgedit (tests/aot/imgedit.c): set by make (mk/aot.mk)}"
set -u
aot=$1 dir=$2
shift 2
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }
src=tests/aot/image.c

# The tags: "CALL FUNC image.c:LINE CONST" per site, CONST "-" or the value.
expected_tags() {
    awk '
        /^[a-z_]/ && match($0, /[a-z_0-9]+\([^()]*\)$/) {      # a definition: name(params)
            func = substr($0, RSTART, RLENGTH); sub(/\(.*/, "", func) }
        /^(\/\*| \*)/ { next }                                # the comment block above the code
        {
            line = $0
            while ((i = index(line, "@site ")) > 0) {
                line = substr(line, i + 6)
                split(line, t, /[ *]+/)
                c = "-"; fn = func
                for (k = 2; k <= 3; k++) {
                    if (t[k] ~ /^const=/) c = substr(t[k], 7)
                    if (t[k] ~ /^func=/) fn = substr(t[k], 6)
                }
                print t[1], fn, "image.c:" NR, c
            }
        }' "$src" | sort
}

for img in "$@"; do
    name=$(basename "$img")
    # ---- text output against the tags ----
    if ! "$aot" sites "$img" >"$dir/s.txt" 2>"$dir/s.err"; then
        fail "$name: vmi-aot sites failed: $(cat "$dir/s.err")"; continue
    fi
    grep -v '^#' "$dir/s.txt" | awk '{
        n = split($8, p, "/"); c = $5; sub(/^[a-z_0-9]+=/, "", c)
        print $2, $7, p[n], c }' | sort >"$dir/s.got"
    expected_tags >"$dir/s.want"
    if cmp -s "$dir/s.got" "$dir/s.want"; then
        pass "$name: $(wc -l <"$dir/s.want") sites match the @site tags (call, function, line, constant)"
    else
        fail "$name: sites differ from the tags (< tool, > tags):"; diff "$dir/s.got" "$dir/s.want" >&2
    fi
    grep -q "^# $(wc -l <"$dir/s.want") sites, $(wc -l <"$dir/s.want") native" "$dir/s.txt" \
        && pass "$name: every site native" || fail "$name: summary line: $(tail -1 "$dir/s.txt")"

    # ---- JSON ----
    "$aot" sites --json "$img" >"$dir/s.json" 2>"$dir/s.err" || fail "$name: --json failed"
    "$aot" sites --json "$img" >"$dir/s2.json" 2>/dev/null
    cmp -s "$dir/s.json" "$dir/s2.json" && pass "$name: --json is deterministic" \
        || fail "$name: two --json runs differ"
    rm -f "$dir/s.o.json"
    "$aot" sites --json "$img" -o "$dir/s.o.json" >"$dir/s.stdout" 2>&1
    cmp -s "$dir/s.json" "$dir/s.o.json" && [ ! -s "$dir/s.stdout" ] \
        && ! ls "$dir"/s.o.json.tmp.* >/dev/null 2>&1 \
        && pass "$name: -o writes the same JSON, nothing on stdout, no temporary left" \
        || fail "$name: -o output differs or leaves something behind"
    n_json=$(grep -c '^  {"addr":' "$dir/s.json")
    [ "$n_json" = "$(wc -l <"$dir/s.want")" ] && pass "$name: JSON has $n_json site objects" \
        || fail "$name: JSON has $n_json objects"
    if command -v python3 >/dev/null 2>&1; then
        python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["tool"] == "vmi-aot sites" and d["schema"] == "vmi-aot.sites/1", "head %r" % d
assert d["records"] == len(d["sites"]), "records %d, sites %d" % (d["records"], len(d["sites"]))
need = {"addr", "call", "len", "function", "file", "line", "bytes", "asm", "clobbers", "const", "native"}
a = d["sites"]
assert isinstance(a, list) and a, "no sites"
for o in a:
    missing = need - set(o)
    assert not missing, "missing keys %s" % missing
    assert len(o["bytes"].split()) == o["len"], "bytes vs len at %s" % o["addr"]
' "$dir/s.json" 2>"$dir/s.err" && pass "$name: JSON parses (python3) with every key, bytes as long as len" \
            || fail "$name: JSON: $(tail -1 "$dir/s.err")"
    fi

    # ---- addresses, calls, lengths against the records as aot-imgedit decodes them ----
    "$AOT_IMGEDIT" records "$img" | awk '{ print $2, $3, $4 }' | sort >"$dir/s.rec"
    sed -n 's/^  {"addr":"\(0x[0-9a-f]*\)".*"call_nr":\([0-9]*\),"len":\([0-9]*\),.*/\1 \2 \3/p' \
        "$dir/s.json" | sort >"$dir/s.gotrec"
    cmp -s "$dir/s.rec" "$dir/s.gotrec" && pass "$name: addresses, call numbers, lengths match the raw records" \
        || { fail "$name: records differ (< aot-imgedit, > tool)"; diff "$dir/s.rec" "$dir/s.gotrec" >&2; }

    # ---- file:line and function against addr2line ----
    # addr2line -a -f -i: per address, the inline chain innermost first; the site's line is the
    # first entry outside vmi_glue.h, its function the outermost one.
    addrs=$(cut -d' ' -f1 "$dir/s.gotrec")
    addr2line -a -f -i -e "$img" $addrs | awk '
        function flush() { if (a != "") print a, outer, loc }
        /^0x/ { flush(); a = $1; loc = ""; outer = ""; k = 0; next }
        { if (k % 2 == 0) fn = $1
          else { sub(/ \(discriminator.*/, ""); if (loc == "" && $0 !~ /vmi_glue\.h:/) loc = $0; outer = fn }
          k++ }
        END { flush() }' | sort >"$dir/s.a2l"
    sed -n 's/^  {"addr":"\(0x[0-9a-f]*\)".*"function":"\([^"]*\)","file":"\([^"]*\)","line":\([0-9]*\),.*/\1 \2 \3:\4/p' \
        "$dir/s.json" | sort >"$dir/s.gotloc"
    # addr2line prints addresses with 8 hex digits too
    cmp -s "$dir/s.a2l" "$dir/s.gotloc" && pass "$name: functions and file:line agree with addr2line" \
        || { fail "$name: differs from addr2line (< addr2line, > tool)"; diff "$dir/s.a2l" "$dir/s.gotloc" >&2; }
done

# ---- bad inputs ----
img=$1
bad=$dir/bad
rm -rf "$bad" && mkdir -p "$bad"
sum_before=$(md5sum <"$img")
echo "hello, not an ELF" >"$bad/notelf.txt"
cp "$aot" "$bad/elf64"                                    # vmi-aot itself: a 64-bit ELF
head -c 2000 "$img" >"$bad/truncated.elf"
objcopy --remove-section vmi_sites "$img" "$bad/nosites.elf"
${CC:-cc} -m32 -O2 -Iinclude -I"${AOT_GLUE_INC:-build/include}" -c "$src" -o "$bad/image.o"
: >"$bad/empty.elf"

read -r saddr < <(readelf -S -W "$img" |
    awk '{ for (i = 1; i < NF; i++) if ($i == "vmi_sites") { print $(i + 2); exit } }')
"$AOT_IMGEDIT" site-record "$img" "$bad/outside.elf" 0 offset 0x40000000
"$AOT_IMGEDIT" rec-alias "$img" "$bad/overlap.elf" 1 0
"$AOT_IMGEDIT" site-record "$img" "$bad/badcall.elf" 0 call 60       # call 60: undefined
"$AOT_IMGEDIT" site-record "$img" "$bad/badlen.elf" 0 len 0          # length 0

check_bad() {   # FILE WANT
    local f=$1 want=$2 rc
    rm -f "$bad/out.json"
    "$aot" sites --json "$f" -o "$bad/out.json" >"$bad/stdout" 2>"$bad/stderr"; rc=$?
    local lines; lines=$(wc -l <"$bad/stderr")
    if [ $rc = 1 ] && [ "$lines" = 1 ] && grep -qF "$f" "$bad/stderr" && grep -qF -- "$want" "$bad/stderr" \
        && [ ! -s "$bad/stdout" ] && [ ! -e "$bad/out.json" ] && ! ls "$bad"/out.json.tmp.* >/dev/null 2>&1; then
        pass "$(basename "$f"): exit 1, '$(cut -c1-110 "$bad/stderr")'"
    else
        fail "$(basename "$f"): rc $rc, $lines stderr line(s): $(head -2 "$bad/stderr"); want '$want', no output"
    fi
    # and to standard output: nothing at all
    "$aot" sites "$f" >"$bad/stdout" 2>/dev/null
    [ ! -s "$bad/stdout" ] || fail "$(basename "$f"): printed to stdout"
}
check_bad "$bad/notelf.txt"    "not an ELF file"
check_bad "$bad/empty.elf"     "not an ELF file (empty)"
check_bad "$bad/elf64"         "64-bit ELF"
check_bad "$bad/truncated.elf" "truncated: section header table"
check_bad "$bad/nosites.elf"   "no site table"
check_bad "$bad/image.o"       "relocatable object"
check_bad "$bad/outside.elf"   "vmi_sites record 0 (at 0x$saddr"
check_bad "$bad/outside.elf"   "is outside every executable section"
check_bad "$bad/overlap.elf"   "overlapping sites"
check_bad "$bad/badcall.elf"   "call 60 is not a VMI call"
check_bad "$bad/badlen.elf"    "length 0 is shorter than"
check_bad "$bad/missing.elf"   "cannot open"
[ "$(md5sum <"$img")" = "$sum_before" ] && pass "the input image is unchanged" || fail "the input changed"

# usage
"$aot" sites >/dev/null 2>&1; [ $? = 2 ] && pass "no KERNEL: exit 2" || fail "no KERNEL: not exit 2"
"$aot" sites --frobnicate "$img" >/dev/null 2>&1; [ $? = 2 ] && pass "unknown option: exit 2" \
    || fail "unknown option: not exit 2"

rm -f "$dir"/s.* "$dir/s2.json"
rm -rf "$bad"
echo "sites: $fails failure(s)"
[ "$fails" = 0 ]
