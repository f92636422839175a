#!/usr/bin/env bash
# vmi-prof's smoke run (a few seconds): every workload and strategy with small N and K; the table
# and the targets print, the JSON parses and holds every (workload, strategy) expected, the CSV has
# a line per row, the SVG names every workload, the PNG is a PNG.  Never a timing target.
# The expected workloads come from the spec, not from vmi-prof: one per inline body of
# spec/rom-pv.vmi ("routine NAME inline ... [variant ARG=VALUE]") plus the four kernel paths.
# Usage: smoke.sh VMI-PROF OUTDIR
set -eu
prof=$1 out=$2
mkdir -p "$out"
rm -f "$out"/smoke.{json,csv,svg,png,txt}
"$prof" --n 2000 --k 3 --trap-n 20 --json="$out/smoke.json" --csv="$out/smoke.csv" \
    --chart "$out/smoke.svg" --chart "$out/smoke.png" > "$out/smoke.txt"
grep -q '^workload  *strategy  *median  *min  *max  *vs hand' "$out/smoke.txt"
grep -q '^targets (reported, not asserted' "$out/smoke.txt"
grep -q 'call >= 3x inline on the interrupt-flag calls' "$out/smoke.txt"
# the specialization table: one row per variant and for the lazy-MMU fill path, numbers in each column
grep -q '^specialization: constant at the site (variant inlined)' "$out/smoke.txt"
for w in 'SetPxE\[flags=0\]' 'SetLazyMode\[mode=1\]' 'SetLazyMode\[mode=2\]' 'path:lazy-mmu-fill\[mode=1,flags=0\]'; do
    grep -Eq "^  $w +-?[0-9]+\.[0-9]{2} +-?[0-9]+\.[0-9]{2} +-?[0-9]+\.[0-9]{2} +(>=)?-?[0-9.]+x +(>=)?-?[0-9.]+x" "$out/smoke.txt" ||
        { echo "smoke: no specialization row for $w" >&2; exit 1; }
done
python3 - "$out/smoke.json" "$out/smoke.csv" "$out/smoke.svg" "$out/smoke.png" spec/rom-pv.vmi <<'PY'
import json, re, sys
jpath, cpath, svg, png, spec = sys.argv[1:]
rows = json.load(open(jpath))
assert isinstance(rows, list) and rows, "JSON: not a non-empty array"
for r in rows:
    for k in ("workload", "strategy", "cycles_median", "cycles_min", "cycles_max"):
        assert k in r, "JSON row without %s: %r" % (k, r)
    assert r["strategy"] in ("hand", "inline", "call", "indirect", "trap"), r
    assert r["cycles_min"] <= r["cycles_median"] <= r["cycles_max"], r
    assert all(isinstance(r[k], (int, float)) for k in ("cycles_median", "cycles_min", "cycles_max"))
got = {(r["workload"], r["strategy"]) for r in rows}
assert len(got) == len(rows), "JSON: a (workload, strategy) appears twice"

# the spec's inline bodies
inl = []
for line in open(spec):
    m = re.match(r"routine\s+(\w+)\s+(?:native\s+)?inline\b(.*)", line)
    if m:
        v = re.search(r"variant\s+(\w+)=(\w+)", m.group(2))
        inl.append(m.group(1) + ("[%s=%s]" % v.groups() if v else ""))
        if v:   # the same value in a register: the general counterpart (specialization table)
            inl.append(m.group(1) + "(%s=%s)" % v.groups())
assert len(inl) >= 10, "the spec lists only %d inline bodies?" % len(inl)
# the native sequence traps in ring 3 (cli, sti, mov cr, a page-table store) or it does not
trapping = {"SetCR2", "GetCR0", "GetCR2", "GetCR3", "GetCR4", "EnableInterrupts",
            "DisableInterrupts", "SetPxE"}
paths = ["path:irqsave-restore", "path:context-switch", "path:lazy-mmu-batch", "path:irq-delivery",
         "path:lazy-mmu-fill[mode=1,flags=0]", "path:lazy-mmu-fill(mode=1,flags=0)"]
want = set()
for w in inl:
    for s in ("hand", "inline", "call", "indirect"):
        want.add((w, s))
    if re.split(r"[\[(]", w)[0] in trapping:
        want.add((w, "trap"))
for w in paths:
    for s in ("hand", "inline", "call", "indirect", "trap"):
        want.add((w, s))
missing = want - got
extra = got - want
assert not missing, "JSON: missing %s" % sorted(missing)
assert not extra, "JSON: unexpected %s" % sorted(extra)

csv = open(cpath).read().splitlines()
assert csv[0].startswith("workload,strategy,cycles_median,cycles_min,cycles_max"), csv[0]
assert len(csv) == len(rows) + 1, "CSV: %d lines for %d rows" % (len(csv), len(rows))

text = open(svg).read()
assert text.lstrip().startswith("<?xml") and "<svg" in text, "SVG: not an SVG"
assert len(text) > 10000, "SVG: only %d bytes" % len(text)
# cairo draws the labels as glyphs; the chart's <desc> names every workload as text
for w in set(r["workload"] for r in rows):
    assert "workload %s:" % w in text, "SVG: no workload %s" % w
assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n", "PNG: bad signature"
print("vmi-prof smoke: %d rows, %d workloads (%d inline bodies + %d paths), table, JSON, CSV, "
      "SVG, PNG" % (len(rows), len(inl) + len(paths), len(inl), len(paths)))
PY
