#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# vmi-prof's smoke run (a few seconds): every workload and strategy with small N and K; the table
# and the targets print, the JSON parses and holds every (workload, strategy) expected, the CSV has
# a line per row, the SVG names every workload, the PNG is a PNG.  Never a timing target.
# The JSON is one object (schema vmi-prof.result/2, docs/profiling.md): tool, version (the one
# --version prints), schema, cpu, date (UTC ISO 8601), parameters, rows and targets, each target
# with its interval per workload, a verdict (K=3 cannot decide: "undecided") and the instruction
# cross-check slot.
# The expected workloads come from the spec, not from vmi-prof: one per inline body of
# spec/rom-pv.vmi ("routine NAME inline ... [variant ARG=VALUE]") plus the four kernel paths.
# Usage: smoke.sh VMI-PROF OUTDIR
set -eu
prof=$1 out=$2
mkdir -p "$out"
rm -f "$out"/smoke.{json,csv,svg,png,txt}
"$prof" --quiet --n 2000 --k 3 --trap-n 20 --json="$out/smoke.json" --csv="$out/smoke.csv" \
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
# --runs: engine processes pooled, repetition by repetition
"$prof" --quiet --n 1000 --k 3 --runs 2 --trap-n 10 --only DisableInterrupts --json > "$out/runs.json"
python3 - "$out/runs.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["parameters"]["runs"] == 2 and "2 runs x K=3" in d["source"], (d["parameters"], d["source"])
assert {r["repetitions"] for r in d["rows"]} == {6}, [(r["strategy"], r["repetitions"]) for r in d["rows"]]
w = d["targets"][0]["workloads"][0]
assert w["repetitions"] == 6 and w["interval_ok"] is True, w     # 6 pooled: a 95% interval exists
PY
grep -q '^  call >= 3x inline on the interrupt-flag calls: -> undecided$' "$out/smoke.txt" ||
    { echo "smoke: K=3 decided a target: $(grep -- '-> ' "$out/smoke.txt")" >&2; exit 1; }
python3 - "$out/smoke.json" "$out/smoke.csv" "$out/smoke.svg" "$out/smoke.png" spec/rom-pv.vmi \
    "$("$prof" --version)" <<'PY'
import json, re, sys
jpath, cpath, svg, png, spec, version = sys.argv[1:]
doc = json.load(open(jpath))
assert isinstance(doc, dict), "JSON: not an object"
want_keys = {"tool", "version", "schema", "cpu", "date", "source", "parameters", "rows", "targets"}
assert set(doc) == want_keys, "JSON keys %s" % sorted(doc)
assert "%s %s" % (doc["tool"], doc["version"]) == version, (doc["tool"], doc["version"], version)
assert doc["schema"] == "vmi-prof.result/2", doc["schema"]
assert isinstance(doc["cpu"], str) and doc["cpu"], doc["cpu"]
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["date"]), doc["date"]
p = doc["parameters"]
assert (p["n"], p["k"], p["trap_n"], p["callgrind"], p["confidence"]) == (2000, 3, 20, False, 0.95), p
ids = [t["id"] for t in doc["targets"]]
assert ids == ["call-vs-inline-irq-flag", "inline-vs-hand-paths"], ids
for t in doc["targets"]:
    assert t["direction"] in (">=", "<=") and t["threshold"] > 0, t
    assert t["verdict"] == "undecided", "K=3 cannot decide at 95%%: %s %s" % (t["id"], t["verdict"])
    assert t["instructions_verdict"] is None, t     # no --callgrind
    assert len(t["workloads"]) >= 4, t
    for w in t["workloads"]:
        lo, hi = w["interval"]
        assert w["repetitions"] == 3 and w["interval_ok"] is False and w["verdict"] == "undecided", w
        assert hi is None or lo <= w["ratio_median"] <= hi, w
        assert w["instructions"] is None, w
rows = doc["rows"]
assert isinstance(rows, list) and rows, "JSON: no rows"
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
