#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# `vmi-aot specialize --profile` (docs/aot.md, docs/specializer.md) on the harness builds, with a
# real profile written by the harness itself (vmi-selftest --profile):
#   - the report's "profile" object: executions equal the profile's sum, inlined + not inlined
#     add up, every executed site the plan did not inline is listed (and nothing else), sorted by
#     count, with the plan's decision and reason; per call the executions add up to the total, the
#     suggested reserve reaches the share when it says so, and at the current reserve the model
#     agrees with the auto plan;
#   - the text: one "not inlined:" line per listed site, one "reserve:" line per call;
#   - a clobber conflict (the harness's record clobbers byte set to 0): listed with what conflicts;
#   - --inline-share 1 and 0.5; bad shares and --inline-share without --profile: exit 2;
#   - refused, exit 1, one line, no OUT: another image's profile, a malformed line (FILE:LINE),
#     a bad count (FILE:LINE), a site listed twice, a missing site, a wrong call name.
# Usage: profile.sh VMI-AOT DIR PV-ROM HARNESS...
: "${HARNESS_ROM_BASE:?the harness ROM base: set by make (mk/inliner.mk)}"
set -u
aot=$1 dir=$2 pv=$3
shift 3
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }
out=$dir/profile
mkdir -p "$out"
rm -f "$out"/*

check_report() {    # check_report REPORT PROFILE SHARE
    python3 - "$@" <<'PY'
import json, sys
rep = json.load(open(sys.argv[1]))
share = float(sys.argv[3])
counts = {}
for line in open(sys.argv[2]):
    w = line.split()
    if not w or w[0].startswith('#'):
        continue
    kv = dict(x.split('=', 1) for x in w[1:])
    counts[int(kv['addr'], 16)] = int(kv['count'])
p = rep['profile']
total = sum(counts.values())
assert p['executions'] == total, (p['executions'], total)
assert p['inlined'] + p['not_inlined_executions'] == total
assert p['sites'] == len(rep['sites']) == len(counts)
assert p['hot'] == sum(1 for c in counts.values() if c)
sites = {int(s['addr'], 16): s for s in rep['sites']}
want = sorted((a for a, s in sites.items() if counts[a] and s['decision'] != 'inline'),
              key=lambda a: (-counts[a], a))
got = [int(m['addr'], 16) for m in p['not_inlined']]
assert got == want, (got[:5], want[:5])
assert p['inlined'] == sum(counts[a] for a, s in sites.items() if s['decision'] == 'inline')
for m in p['not_inlined']:
    s = sites[int(m['addr'], 16)]
    assert m['count'] == counts[int(m['addr'], 16)] > 0
    assert (m['call'], m['len'], m['decision'], m['noinline']) == (s['call'], s['len'], s['decision'], s['noinline']), m
    assert (m['missed_bytes'] is not None) == (m['noinline'] == 'too-long'), m
    if m['missed_bytes'] is not None:
        assert m['missed_bytes'] == m['body_len'] - m['len'] > 0, m
    assert (m['clobber_conflict'] is not None) == (m['noinline'] == 'clobbers'), m
assert sum(c['executions'] for c in p['calls']) == total
assert [c['executions'] for c in p['calls']] == sorted((c['executions'] for c in p['calls']), reverse=True)
for c in p['calls']:
    assert c['executions'] == sum(counts[a] for a, s in sites.items() if s['call'] == c['call'])
    assert c['inlined_at_suggested'] <= c['executions'] and c['inlined_at_reserve'] <= c['executions']
    if c['reachable']:
        assert c['inlined_at_suggested'] >= share * c['executions'] - 1e-9, c
    # at the current reserve the model agrees with the auto plan
    if rep['policy'] == 'auto':
        assert c['inlined_at_reserve'] == sum(counts[a] for a, s in sites.items()
                                              if s['call'] == c['call'] and s['decision'] == 'inline'), c
print("%d executions, %d not inlined at %d sites, %d calls" % (total, p['not_inlined_executions'],
      len(p['not_inlined']), len(p['calls'])))
PY
}

# bad WHAT PATTERN PROFILE IMAGE: exit 1, one line matching PATTERN, nothing on stdout, no OUT
bad() {
    local what=$1 pat=$2 prof=$3 img=$4 rc
    rm -f "$out/bad.out"
    "$aot" specialize "$img" --rom "$pv" --rom-base $HARNESS_ROM_BASE -o "$out/bad.out" --profile "$prof" \
        >"$out/bad.stdout" 2>"$out/bad.stderr"
    rc=$?
    if [ $rc -ne 1 ] || [ "$(wc -l <"$out/bad.stderr")" -ne 1 ] || [ -s "$out/bad.stdout" ] \
            || [ -e "$out/bad.out" ] || ls "$out" | grep -q 'bad\.out\.tmp'; then
        fail "$what: exit $rc, $(cat "$out/bad.stderr" "$out/bad.stdout" | head -3)"
    elif ! grep -Eq -- "$pat" "$out/bad.stderr"; then
        fail "$what: expected '$pat', got '$(cat "$out/bad.stderr")'"
    else
        pass "$what: $(cat "$out/bad.stderr")"
    fi
}

first=
for h in "$@"; do
    name=$(basename "$h")
    prof=$out/$name.prof
    "$h" --profile "$prof" "$pv" >"$out/$name.run" 2>&1 || fail "$name: the harness fails: $(tail -1 "$out/$name.run")"
    [ -s "$prof" ] || { fail "$name: no profile written"; continue; }
    for share in 0.9 1 0.5; do
        args=(--profile "$prof")
        [ "$share" = 0.9 ] || args+=(--inline-share "$share")
        if "$aot" specialize "$h" --rom "$pv" --rom-base $HARNESS_ROM_BASE -o "$out/$name.out" \
                --report "$out/$name.json" "${args[@]}" >"$out/$name.txt" 2>"$out/$name.err" \
                && res=$(check_report "$out/$name.json" "$prof" "$share" 2>&1); then
            pass "$name share $share: report's profile object: $res"
        else
            fail "$name share $share: $(cat "$out/$name.err") $res"
        fi
    done
    nmiss=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["profile"]["not_inlined"]))' "$out/$name.json")
    ncalls=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["profile"]["calls"]))' "$out/$name.json")
    if [ "$(grep -c '^  not inlined: ' "$out/$name.txt")" = "$nmiss" ] \
            && [ "$(grep -c '^  reserve: ' "$out/$name.txt")" = "$ncalls" ] \
            && grep -q "^profile $prof: .* executions; inlined " "$out/$name.txt"; then
        pass "$name: text: a summary, $nmiss not-inlined lines, $ncalls reserve lines"
    else
        fail "$name: text output: $(head -3 "$out/$name.txt")"
    fi
    # a clobber conflict: every record's clobbers byte 0 (the site keeps every register)
    "$AOT_IMGEDIT" rec-clobbers "$h" "$out/$name-noclob" 0 || fail "$name: aot-imgedit rec-clobbers"
    if "$aot" specialize "$out/$name-noclob" --rom "$pv" --rom-base $HARNESS_ROM_BASE --dry-run \
            --report "$out/$name-noclob.json" --profile "$prof" >"$out/$name-noclob.txt" 2>&1 \
            && res=$(check_report "$out/$name-noclob.json" "$prof" 0.9 2>&1) \
            && python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["profile"]["not_inlined"]
sys.exit(not any(x["noinline"] == "clobbers" and x["clobber_conflict"] for x in m))' "$out/$name-noclob.json" \
            && grep -q 'clobbers: the body writes [a-z,]*, which the site keeps' "$out/$name-noclob.txt"; then
        pass "$name: clobber conflicts listed with what conflicts: $res"
    else
        fail "$name: clobber conflicts: $(head -3 "$out/$name-noclob.txt") $res"
    fi
    if [ -z "$first" ]; then first=$h; firstprof=$prof; continue; fi
    # another build's profile: refused
    bad "$name: the profile of $(basename "$first")" "is not a site of|is [A-Za-z]+ in .*the profile says|lists [0-9]+ of the" "$firstprof" "$h"
done

h=$first prof=$firstprof
if [ -n "$h" ]; then
    cp "$prof" "$out/garbage.prof"; sed -i '3i this is not a profile line' "$out/garbage.prof"
    bad "a malformed line" "^vmi-aot specialize: $out/garbage.prof:3: not a profile line" "$out/garbage.prof" "$h"
    sed '4s/count=[0-9]*/count=12x/' "$prof" >"$out/count.prof"
    bad "a bad count" "^vmi-aot specialize: $out/count.prof:4: count '12x' is not a decimal count" "$out/count.prof" "$h"
    sed '2s/addr=[0-9a-fx]*/addr=0x10/' "$prof" >"$out/addr.prof"
    bad "an address that is no site" "^vmi-aot specialize: $out/addr.prof:2: 0x00000010 is not a site of " "$out/addr.prof" "$h"
    { cat "$prof"; sed -n 2p "$prof"; } >"$out/twice.prof"
    bad "a site listed twice" "$out/twice.prof:$(($(wc -l <"$prof") + 1)): the site at 0x[0-9a-f]+ is listed twice \(first at line 2\)" "$out/twice.prof" "$h"
    sed '5d' "$prof" >"$out/missing.prof"
    bad "a missing site" "$out/missing.prof: lists [0-9]+ of the [0-9]+ sites of .* is missing" "$out/missing.prof" "$h"
    sed '2s/call=[A-Za-z0-9]*/call=Halt/' "$prof" >"$out/call.prof"
    bad "a wrong call" "$out/call.prof:2: the site at 0x[0-9a-f]+ is [A-Za-z0-9]+ in .*the profile says Halt" "$out/call.prof" "$h"
    bad "no such profile" "$out/none.prof: cannot open" "$out/none.prof" "$h"
    for s in 0 1.5 -0.5 abc 0.1234567; do
        "$aot" specialize "$h" --rom "$pv" --rom-base $HARNESS_ROM_BASE --dry-run --profile "$prof" \
            --inline-share "$s" >/dev/null 2>&1
        [ $? -eq 2 ] && pass "--inline-share $s: exit 2" || fail "--inline-share $s accepted"
    done
    "$aot" specialize "$h" --rom "$pv" --rom-base $HARNESS_ROM_BASE --dry-run --inline-share 0.5 >/dev/null 2>&1
    [ $? -eq 2 ] && pass "--inline-share without --profile: exit 2" || fail "--inline-share without --profile accepted"
fi
echo "profile: $fails failure(s)"
[ "$fails" -eq 0 ]
