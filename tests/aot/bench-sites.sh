#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The scale benchmark of `vmi-aot sites`: the generated image of N sites (tests/aot/gen-big.sh).
# Times `sites --json` (5 runs, best and median wall time, plus the tool's own phase times) and
# checks every answer at scale: N objects, each site's line in big.S holds that site's VMI_<Name>,
# each site's function is the one the generator put it in, every site native.
# Usage: bench-sites.sh VMI-AOT BIG.ELF N
set -u
aot=$1 img=$2 n=$3
src=${img%.elf}.S
out=${img%.elf}.json
times=()
for run in 1 2 3 4 5; do
    t0=$(date +%s%N)
    "$aot" sites --json "$img" -o "$out" 2>/dev/null || { echo "FAIL: vmi-aot sites failed on $img" >&2; exit 1; }
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
phases=$("$aot" sites --json --stats "$img" 2>&1 >/dev/null)

got=$(grep -c '^  {"addr":' "$out")
# every site: line L of big.S is "\tVMI_<call>..." and the function is f<record / 100>
bad=$(sed -n 's/^  {"addr":"[^"]*","call":"\([A-Za-z0-9]*\)".*"record":\([0-9]*\),"function":"\([^"]*\)".*"line":\([0-9]*\),"native":\([a-z]*\),.*/\1 \2 \3 \4 \5/p' "$out" |
    awk -v src="$src" '
        BEGIN { while ((getline l < src) > 0) text[++nl] = l }
        { want = sprintf("f%05d", int($2 / 100))
          if (text[$4] !~ ("^\tVMI_" $1 "( |$)") || $3 != want || $5 != "true") {
              if (bad++ < 3) print "site", $2, $1, "line", $4, "function", $3 > "/dev/stderr" } }
        END { print bad + 0 }')
echo "bench-aot-sites: $n sites; sites --json wall time best ${sorted[0]} ms, median ${sorted[2]} ms (5 runs)"
echo "bench-aot-sites: $phases"
echo "bench-aot-sites: $got site objects, $((got - bad)) with the right call line, function and native bytes"
rm -f "$out"
[ "$got" = "$n" ] && [ "$bad" = 0 ]
