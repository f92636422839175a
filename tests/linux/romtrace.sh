#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Lists the ROM routines Linux entered, by name, from QEMU's translation log of one boot.
#
#   tests/linux/romtrace.sh [--require LIST] ROM TRACE
#
# TRACE is what `qemu-system-i386 -d in_asm -dfilter 0xc00c0000..0xc00dffff -D TRACE` wrote: every
# translated block in the option-ROM window at Linux's virtual address of it (0xC0000000 plus the
# physical address the BIOS copied the ROM to), each once.  A call into a routine starts a block
# at its first byte, so the routines entered are the blocks whose address is the ROM's base plus a
# routine's offset.  The offsets and names come from `vmi-aot check-rom --json ROM` (entries and
# routines; several calls may share one body, whose name is then "A/B/...").
#
# The base: Linux's first call into the ROM is VMI_Init, so the base is the first block address
# that, less VMI_Init's offset, lies on a 2 KiB boundary in the window.
# Prints "rom base=0x... blocks=N other=M" (other: blocks that start no routine: inner blocks and
# return points), then "entered NAME" per routine entered, in offset order.  Exits 1 with one line
# on stderr when the ROM's routine table cannot be read or no base is found.
# --require LIST: a file of routine names, one a line ('#' comments); prints "not entered: NAME"
# for each one that was not entered (nor shares a body with one that was) and then exits 1.
set -u
require=
if [ "${1:-}" = --require ]; then
    require=$2
    shift 2
    [ -r "$require" ] || { echo "$require: no routine list" >&2; exit 2; }
fi
if [ $# -ne 2 ]; then
    echo "usage: $0 [--require LIST] ROM TRACE" >&2
    exit 2
fi
rom=$1
trace=$2
aot=${VMI_AOT:-build/bin/vmi-aot}
table=$(mktemp)
listed=$table.out
trap 'rm -f "$table" "$table.err" "$table.json" "$listed"' EXIT
# The routine table: "OFFSET NAME" per entry and routine (OFFSET decimal), from the JSON document
# (docs/schema/vmi-aot.check-rom.json: offsets are hex strings).
if ! "$aot" check-rom --json "$rom" >"$table.json" 2>"$table.err" ||
   ! python3 -c 'import json, sys
for r in json.load(open(sys.argv[1]))["routines"]:
    if r["kind"] in ("entry", "routine"): print(int(r["offset"], 16), r["name"])' "$table.json" >"$table" 2>>"$table.err"; then
    echo "$rom: vmi-aot check-rom failed: $(head -1 "$table.err")" >&2
    rm -f "$table.err" "$table.json"
    exit 1
fi
rm -f "$table.err" "$table.json"
[ -r "$trace" ] || { echo "$trace: no trace" >&2; exit 1; }

# Block addresses in trace order: the line after "IN:" (possibly "IN: symbol") starts with it.
grep -a -A1 '^IN:' "$trace" | sed -n 's/^\(0x[0-9a-fA-F]*\):.*/\1/p' |
awk -v table="$table" -v rom="$rom" -v trace="$trace" '
function hex(s,    i, c, v) {
    v = 0; s = tolower(s); sub(/^0x/, "", s)
    for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)); v = v * 16 + c - 1 }
    return v
}
BEGIN {
    while ((getline line < table) > 0) {
        split(line, f, " "); off = f[1] + 0; name = f[2]
        if (off in names) names[off] = names[off] "/" name; else { names[off] = name; offs[++n] = off }
        if (name == "VMI_Init") init = off
    }
    if (n == 0 || init == "") { print rom ": no routine table (VMI_Init) in vmi-aot check-rom --json" > "/dev/stderr"; exit 1 }
    lo = hex("0xc00c0000"); hi = hex("0xc00e0000")
}
{ a = hex($1); addr[++blocks] = a; if (base == "" && a - init >= lo && a - init < hi && (a - init) % 2048 == 0) base = a - init }
END {
    if (n == 0 || init == "") exit 1
    if (base == "") { print trace ": no call to VMI_Init at a 2 KiB boundary of 0xc00c0000..0xc00dffff (" blocks + 0 " blocks)" > "/dev/stderr"; exit 1 }
    for (i = 1; i <= blocks; i++) {
        o = addr[i] - base
        if (o in names) hit[o] = 1; else other++
    }
    printf "rom base=0x%x blocks=%d other=%d\n", base, blocks, other + 0
    # offset order (n is small: a simple insertion sort)
    for (i = 2; i <= n; i++) { v = offs[i]; for (j = i - 1; j >= 1 && offs[j] > v; j--) offs[j + 1] = offs[j]; offs[j + 1] = v }
    for (i = 1; i <= n; i++) if (offs[i] in hit) print "entered " names[offs[i]]
}' >"$listed"
status=${PIPESTATUS[2]}
cat "$listed"
[ "$status" -eq 0 ] || exit "$status"
[ -n "$require" ] || exit 0
missing=0
names=" $(sed -n 's/^entered //p' "$listed" | tr '/\n' '  ') "
while IFS= read -r r; do
    case "$r" in ''|'#'*) continue ;; esac
    [[ $names == *" $r "* ]] || { echo "not entered: $r"; missing=1; }
done <"$require"
exit "$missing"
