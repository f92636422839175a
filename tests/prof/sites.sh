#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# vmi-prof --sites: the hottest sites of a per-site profile, attributed (docs/specializer.md).
#
#   sites.sh VMI-PROF OUTDIR ROM harness PROFILE IMAGE      the harness's counting phase
#   sites.sh VMI-PROF OUTDIR ROM guest LOG IMAGE            a pv-count boot's serial log
#
# harness: the top site must be the probe's GetCR0 site with count 1000, in count_probe (gcc may
# name the clone count_probe.constprop.0), tests/harness/counting.c; the decision must be given
# with --rom; the JSON must agree with the table and the profile; bad profiles must be rejected
# with one line naming the file and line.  guest: the top three sites are the bench loop's, each
# counted exactly 2000 x 16 = 32000 times, in guest/bench.c.
set -u
prof=$1 out=$2 rom=$3 kind=$4 input=$5 image=$6
mkdir -p "$out"
fail=0
die() { echo "FAIL: $*" >&2; fail=1; }

"$prof" --sites "$input" --image "$image" --rom "$rom" --top 5 >"$out/$kind-sites.txt" ||
    die "vmi-prof --sites $input exited $?"
"$prof" --sites "$input" --image "$image" --rom "$rom" --top 0 --json >"$out/$kind-sites.json" ||
    die "vmi-prof --sites --json $input exited $?"
sed 's/^/  /' "$out/$kind-sites.txt"
# the chart: a PNG of the label column plus the plot, a row per site; an output that cannot be
# written fails at once, in one line naming it, before anything is read
rm -f "$out/$kind-sites.png"
"$prof" --sites "$input" --image "$image" --rom "$rom" --top 5 --chart "$out/$kind-sites.png" >/dev/null ||
    die "vmi-prof --sites --chart exited $?"
python3 - "$out/$kind-sites.png" <<'PY' || fail=1
import struct, sys
b = open(sys.argv[1], "rb").read(24)
assert b[:8] == b"\x89PNG\r\n\x1a\n", "sites chart: not a PNG"
w, h = struct.unpack(">II", b[16:24])
# 5 rows of 14 px between a 58 px head and a 50 px foot (the axis and its title)
assert h == 58 + 5 * 14 + 4 + 50 and 600 < w < 1400, "sites chart: %dx%d" % (w, h)
PY
t0=$(date +%s)
"$prof" --sites "$input" --image "$image" --chart "$out/missing/s.png" >"$out/chart.out" 2>"$out/chart.err"
rc=$? t1=$(date +%s)
{ [ $rc -eq 1 ] && [ "$(wc -l <"$out/chart.err")" -eq 1 ] && grep -qF "$out/missing/s.png" "$out/chart.err" &&
  [ ! -s "$out/chart.out" ] && [ $((t1 - t0)) -lt 10 ]; } ||
    die "--chart into a missing directory: status $rc, $(head -2 "$out/chart.err")"
python3 - "$kind" "$out/$kind-sites.json" "$out/$kind-sites.txt" "$input" <<'PY' || fail=1
import json, re, sys
kind, jpath, tpath, inp = sys.argv[1:5]
d = json.load(open(jpath))
top = d["top"]
# the profile's own lines: every site, its count, the total
lines, inb, blk = [], False, any(l.startswith("profile begin") for l in open(inp, errors="replace"))
for l in open(inp, errors="replace"):
    l = l.rstrip("\r\n")
    if blk:
        if l.startswith("profile begin"): inb = True; continue
        if l.startswith("profile end"): inb = False; continue
        if not inb: continue
    if l.startswith("site "):
        f = dict(kv.split("=", 1) for kv in l.split()[1:])
        lines.append((int(f["addr"], 16), f["call"], int(f["count"])))
assert d["sites"] == len(lines) == len(top), (d["sites"], len(lines), len(top))
assert d["executions"] == sum(c for _, _, c in lines), d["executions"]
byaddr = {a: (c, n) for a, c, n in lines}
for r in top:
    assert byaddr[int(r["addr"], 16)] == (r["call"], r["count"]), r
assert [r["count"] for r in top] == sorted((r["count"] for r in top), reverse=True)
assert abs(sum(r["share"] for r in top) - 1.0) < 1e-4 or d["executions"] == 0
rows = [l.split() for l in open(tpath) if re.match(r"^ +\d+ 0x", l)]
assert len(rows) == min(5, len(top)), rows
for row, r in zip(rows, top):
    assert row[1] == r["addr"] and int(row[2]) == r["count"] and row[4] == r["call"], (row, r)
t = top[0]
if kind == "harness":
    assert t["call"] == "GetCR0" and t["count"] == 1000, t
    assert re.match(r"^count_probe(\.|$)", t["function"]), t
    assert t["file"].endswith("tests/harness/counting.c") and t["line"] > 0, t
    assert t["decision"] in ("inline", "call"), t
    print("vmi-prof --sites (harness): top site GetCR0 x1000 in %s, %s:%d, %s/%s; %d sites, %d executions"
          % (t["function"], t["file"], t["line"], t["decision"], t["reason"], d["sites"], d["executions"]))
else:
    loop = top[:3]
    assert sorted(r["call"] for r in loop) == ["DisableInterrupts", "GetInterruptMask", "SetInterruptMask"], loop
    for r in loop:
        assert r["count"] == 32000 and r["file"].endswith("guest/bench.c") and r["function"].startswith("bench_irqsave"), r
    print("vmi-prof --sites (guest log): the bench loop's 3 sites x32000 in %s, guest/bench.c; %d sites, %d executions"
          % (loop[0]["function"], d["sites"], d["executions"]))
PY

# bad inputs: exit 1, one line on stderr naming the file (and the line), nothing on stdout
bad() {   # $1: what, $2: text expected on stderr, $3: profile file
    local o e rc
    o=$("$prof" --sites "$3" --image "$image" 2>"$out/err.txt"); rc=$?
    e=$(cat "$out/err.txt")
    if [ $rc -ne 1 ] || [ -n "$o" ] || [ "$(wc -l <"$out/err.txt")" -ne 1 ] || ! grep -qF -- "$2" <<<"$e"; then
        die "$1: status $rc, stderr '$e', stdout '${o:0:60}' (want 1, one line with '$2', none)"
    fi
}
if [ "$kind" = harness ]; then
    p=$out/bad.profile
    first=$(grep -n '^site ' "$input" | head -1 | cut -d: -f1)
    sed "${first}s/count=/count=-/" "$input" >"$p";      bad "negative count" "$p:$first: count=-" "$p"
    sed "${first}s/call=[A-Za-z0-9]*/call=Bogus/" "$input" >"$p"; bad "unknown call" "$p:$first: call=Bogus is not a VMI call" "$p"
    sed "${first}s/call=[A-Za-z0-9]*/call=Halt/" "$input" >"$p"; bad "wrong call" "$p:$first: the site at" "$p"
    sed "${first}s/addr=0x[0-9a-f]*/addr=0x00000010/" "$input" >"$p"; bad "no such site" "$p:$first: no site of" "$p"
    sed "${first}s/addr=/adr=/" "$input" >"$p";          bad "bad key" "$p:$first: unexpected field 'adr'" "$p"
    { cat "$input"; grep -m1 '^site ' "$input"; } >"$p"; bad "duplicate site" "already on line $first" "$p"
    { cat "$input"; echo "garbage"; } >"$p";             bad "a line that is not a site" "not a profile line" "$p"
    { echo "profile begin sites=1"; cat "$input"; } >"$p"; bad "block without end" "$p:1: profile begin without profile end" "$p"
    { echo "profile begin sites=9999"; cat "$input"; echo "profile end sites=9999"; } >"$p"; bad "wrong end count" "profile end says sites=9999" "$p"
    printf '# nothing\n' >"$p";                          bad "empty profile" "$p: no site lines" "$p"
    bad "missing file" "$out/none.profile: No such file" "$out/none.profile"
    # a log: the block is found among other lines, and gives the same table as the bare profile
    { echo "VMI-GUEST compiler=gcc"; echo "profile begin format=vmi-profile-1 sites=$(grep -c '^site ' "$input")";
      tr -d '\r' <"$input" | sed 's/$/\r/'; echo "profile end sites=$(grep -c '^site ' "$input")"; echo "RESULT PASS"; } >"$out/as-log.txt"
    "$prof" --sites "$out/as-log.txt" --image "$image" --top 0 >"$out/as-log.out" 2>&1 || die "a log holding the profile: $(head -1 "$out/as-log.out")"
    "$prof" --sites "$input" --image "$image" --top 0 >"$out/as-file.out" 2>&1
    cmp -s "$out/as-log.out" "$out/as-file.out" || die "the log's block and the bare profile give different tables"
    [ $fail = 0 ] && echo "vmi-prof --sites: 11 bad profiles rejected (file:line), a log's block read like the file"
fi
exit $fail
