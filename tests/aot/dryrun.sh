#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# `vmi-aot specialize --dry-run`, `--stats`, `-v` and `vmi-aot verify --stats` (docs/aot.md) on
# one kernel, every number checked against `vmi-aot sites --json` of the same kernel (not against
# numbers written here):
#   - --dry-run -o OUT: exit 0, nothing on standard error, no OUT; the summary names OUT, the site
#     count, the decisions (adding up to the sites), the code bytes (the sum of the sites'
#     lengths), one "kind" line per call (a Linux kernel: per op) with that kind's site count;
#   - -v: one "site" line per site, in the listing's order, with its address, call (op) and, when
#     the listing knows them, function and file:line;
#   - --dry-run --report F: the report written, its totals equal to the summary, summary printed;
#   - a real run with --stats: the one line, then the dry run's summary with "written: OUT";
#   - verify --stats on OUT: every site, per kind, "problems: 0"; against the other ROM: exit 1,
#     "problems: 1";
#   - refused combinations: one line naming them, exit 2, nothing on standard output, no OUT.
# Usage: dryrun.sh VMI-AOT DIR ROMDIR KERNEL [ROM-BASE]
set -u
aot=$1 dir=$2 romdir=$3 k=$4 base=${5:-}
pv=$romdir/vmi-pv.rom native=$romdir/vmi-native.rom
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }
name=$(basename "$k")
out=$dir/dryrun-$name
rm -rf "$out" && mkdir -p "$out" || exit 1
b=(); [ -n "$base" ] && b=(--rom-base "$base")

"$aot" sites --json "$k" -o "$out/sites.json" 2> "$out/err" || { fail "$name: sites --json: $(cat "$out/err")"; exit 1; }
# The listing, one line per site: address, kind (call or op), function, file:line ("?": unknown).
python3 - "$out/sites.json" > "$out/listing" <<'PY' || { fail "$name: the listing: $(cat "$out/listing")"; exit 1; }
import json, sys
d = json.load(open(sys.argv[1]))
sites = d["sites"] if isinstance(d, dict) else d
for s in sites:
    kind = s.get("op") or s["call"]
    fn = s.get("function", s.get("func")) or "?"
    where = "%s:%s" % (s["file"], s["line"]) if s["line"] else "?"
    print(s["addr"], kind, s["len"], fn, where)
PY
n=$(wc -l < "$out/listing")
nbytes=$(awk '{n += $3} END {print n + 0}' "$out/listing")
awk '{c[$2]++} END {for (k in c) print k, c[k]}' "$out/listing" | sort > "$out/kinds.want"

# ---- --dry-run ----
rm -f "$out/never.elf"
"$aot" specialize "$k" --rom "$pv" "${b[@]}" --dry-run -o "$out/never.elf" > "$out/dry.txt" 2> "$out/err"
rc=$?
if [ $rc = 0 ] && [ ! -s "$out/err" ] && [ ! -e "$out/never.elf" ] \
        && grep -qx "dry run: nothing written; OUT would be $out/never.elf" "$out/dry.txt"; then
    pass "$name: --dry-run: exit 0, no OUT, the summary names it"
else
    fail "$name: --dry-run: exit $rc, $(head -2 "$out/err")"
fi
grep -qx "image: $k: $n sites (.*)" "$out/dry.txt" && pass "$name: --dry-run: $n sites, as the listing" \
    || fail "$name: --dry-run: not '$n sites': $(grep '^image: ' "$out/dry.txt")"
dsum=$(sed -n 's/^decisions: inline \([0-9]*\), call \([0-9]*\), jump \([0-9]*\), nop \([0-9]*\), native \([0-9]*\)$/\1 \2 \3 \4 \5/p' "$out/dry.txt" \
       | awk '{print $1 + $2 + $3 + $4 + $5}')
[ "$dsum" = "$n" ] && pass "$name: --dry-run: the decisions add up to $n" || fail "$name: the decisions add up to '$dsum', not $n"
grep -q "^code bytes: $nbytes at the sites: " "$out/dry.txt" && pass "$name: --dry-run: $nbytes code bytes, the sum of the site lengths" \
    || fail "$name: code bytes: $(grep '^code bytes' "$out/dry.txt"), expected $nbytes"
sed -n 's/^kind \([^:]*\): \([0-9]*\) sites\{0,1\}, .*/\1 \2/p' "$out/dry.txt" | sort > "$out/kinds.got"
if [ -s "$out/kinds.got" ] && cmp -s "$out/kinds.want" "$out/kinds.got"; then
    pass "$name: --dry-run: $(wc -l < "$out/kinds.got") kinds, each with the listing's site count"
else
    fail "$name: the kinds differ from the listing: $(diff "$out/kinds.want" "$out/kinds.got" | head -4)"
fi
if nm "$k" 2>/dev/null | grep -q ' vmi_aot_identity$'; then
    id=$(nm "$k" | awk '$3 == "vmi_aot_identity" {print $1}')
    want="identity: would be filled (vmi_aot_identity at 0x$id); sites_hash 0x"
elif grep -q '(.parainstructions' "$out/dry.txt"; then
    want="identity: would be in .vmi_aot only"
else
    want="identity: none (no vmi_aot_identity"
fi
grep -q "^${want//./\\.}" "$out/dry.txt" && pass "$name: --dry-run: ${want%%;*}" \
    || fail "$name: identity: $(grep '^identity' "$out/dry.txt"), expected '$want'"

# ---- -v: one line per site ----
"$aot" specialize "$k" --rom "$pv" "${b[@]}" --dry-run -v > "$out/v.txt" 2> "$out/err" || fail "$name: --dry-run -v: $(cat "$out/err")"
nv=$(grep -c '^site ' "$out/v.txt")
[ "$nv" = "$n" ] && pass "$name: -v: $nv site lines" || fail "$name: -v: $nv site lines, $n sites"
# address, kind (a Linux site: OP/CALL), function, file:line against the listing
awk '$1 == "site" { k = $3; sub("/.*", "", k); print $2, k, $6, $7 }' "$out/v.txt" > "$out/v.got"
awk '{print $1, $2, $4, $5}' "$out/listing" > "$out/v.want"
cmp -s "$out/v.want" "$out/v.got" && pass "$name: -v: every line's address, kind, function and file:line are the listing's" \
    || fail "$name: -v lines differ from the listing: $(diff "$out/v.want" "$out/v.got" | head -4)"
diff <(grep -v '^site ' "$out/v.txt") <(sed 's/^dry run: .*/dry run: nothing written/' "$out/dry.txt") > /dev/null \
    && pass "$name: -v: the same summary" || fail "$name: -v changes the summary"

# ---- --dry-run --report F ----
"$aot" specialize "$k" --rom "$pv" "${b[@]}" --dry-run --report "$out/r.json" > "$out/r.txt" 2> "$out/err"
rc=$?
rdec=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["totals"]
print("decisions: inline %d, call %d, jump %d, nop %d, native %d" % tuple(t[d] for d in ("inline", "call", "jump", "nop", "native")))' "$out/r.json" 2>&1)
if [ $rc = 0 ] && grep -qx "$rdec" "$out/r.txt" && grep -q '^dry run: nothing written$' "$out/r.txt"; then
    pass "$name: --dry-run --report: the report written, the summary printed, the same decisions"
else
    fail "$name: --dry-run --report: exit $rc, report '$rdec', $(head -2 "$out/err")"
fi

# ---- a real run with --stats, then verify --stats ----
o=$out/aot.elf
"$aot" specialize "$k" --rom "$pv" "${b[@]}" -o "$o" --stats > "$out/stats.txt" 2> "$out/err" || fail "$name: --stats: $(cat "$out/err")"
head -1 "$out/stats.txt" | grep -q "^$o: $n sites for $pv " && sed -n 2p "$out/stats.txt" | grep -qx "written: $o" \
    && diff <(tail -n +3 "$out/stats.txt") <(tail -n +2 "$out/dry.txt" | sed 's/^identity: would be /identity: /') > /dev/null \
    && pass "$name: --stats: the line, then the dry run's summary" \
    || fail "$name: --stats: $(diff <(tail -n +3 "$out/stats.txt") <(tail -n +2 "$out/dry.txt") | head -4)"
"$aot" verify "$o" --rom "$pv" --orig "$k" --stats > "$out/vs.txt" 2> "$out/err"
rc=$?
sed -n 's/^kind \([^:]*\): \([0-9]*\) sites\{0,1\}, .*/\1 \2/p' "$out/vs.txt" | sort > "$out/vkinds.got"
if [ $rc = 0 ] && grep -q "^sites: $n (" "$out/vs.txt" && grep -qx 'problems: 0' "$out/vs.txt" \
        && grep -q "^bytes: [0-9]* site bytes hashed; [0-9]* original site bytes and [0-9]* bytes outside the sites compared with $k$" "$out/vs.txt" \
        && cmp -s "$out/kinds.want" "$out/vkinds.got"; then
    pass "$name: verify --stats: $n sites, per kind as the listing, bytes compared, problems: 0"
else
    fail "$name: verify --stats: exit $rc: $(head -3 "$out/vs.txt") $(head -2 "$out/err")"
fi
"$aot" verify "$o" --rom "$native" --stats > "$out/vbad.txt" 2> "$out/err"
rc=$?
[ $rc = 1 ] && grep -qx 'problems: 1' "$out/vbad.txt" && grep -q 'specialized for another ROM' "$out/err" \
    && pass "$name: verify --stats, the other ROM: exit 1, problems: 1" \
    || fail "$name: verify --stats, the other ROM: exit $rc, $(tail -1 "$out/vbad.txt")"

# ---- refused combinations: one line, exit 2, nothing on standard output, no OUT ----
refused() {     # refused WHAT MESSAGE CMD...
    local what=$1 msg=$2 rc; shift 2
    rm -f "$out/no.elf"
    "$@" > "$out/no.out" 2> "$out/no.err"
    rc=$?
    if [ $rc = 2 ] && [ "$(wc -l < "$out/no.err")" = 1 ] && [ ! -s "$out/no.out" ] && [ ! -e "$out/no.elf" ] \
            && grep -qxF "$msg" "$out/no.err"; then
        pass "$name: refused, exit 2: $what"
    else
        fail "$name: $what: exit $rc, '$(head -2 "$out/no.err")', expected '$msg'"
    fi
}
S=(specialize "$k" --rom "$pv" "${b[@]}")
refused "-v alone" "vmi-aot specialize: -v lists the sites in the summary of --dry-run or --stats: give one of them" \
    "$aot" "${S[@]}" -o "$out/no.elf" -v
refused "--dry-run --report -" "vmi-aot specialize: --report - would mix the JSON report with the summary of --dry-run or --stats on standard output: give --report FILE" \
    "$aot" "${S[@]}" --dry-run --report -
refused "--stats --report -" "vmi-aot specialize: --report - would mix the JSON report with the summary of --dry-run or --stats on standard output: give --report FILE" \
    "$aot" "${S[@]}" -o "$out/no.elf" --stats --report -
refused "verify --stats --json" "vmi-aot verify: --stats and --json would both write to standard output: give --json=FILE" \
    "$aot" verify "$o" --rom "$pv" --stats --json

echo "dryrun $name: $fails failure(s)"
[ "$fails" -eq 0 ]
