#!/usr/bin/env bash
# vmi-prof --callgrind: the same loops under valgrind; every non-trap row of the measured workload
# gets an instruction count, and the counts are exact: the hand-written DisableInterrupts is one
# instruction (movb $0, vif+1), the inlined one two (the body and one NOP of fill), the direct
# call four (call, NOP fill, the body, ret), the indirect call three (call *, body, ret).
# Usage: callgrind.sh VMI-PROF OUTDIR
set -eu
prof=$1 out=$2
mkdir -p "$out"
"$prof" --n 1000 --k 3 --only DisableInterrupts --callgrind --json="$out/cg.json" > "$out/cg.txt"
grep -q 'insns/op' "$out/cg.txt"
python3 - "$out/cg.json" <<'PY'
import json, sys
rows = {r["strategy"]: r for r in json.load(open(sys.argv[1]))}
want = {"hand": 1, "inline": 2, "call": 4, "indirect": 3}
for s, n in want.items():
    got = rows[s].get("insns_per_op")
    assert got is not None and abs(got - n) < 0.01, "%s: %r instructions per op, want %d" % (s, got, n)
assert "insns_per_op" not in rows["trap"], "trap has an instruction count"
print("vmi-prof --callgrind: DisableInterrupts hand 1, inline 2, call 4, indirect 3 instructions")
PY
