#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# vmi-prof --guest LOG: the guest kernel's serial report into the same table and JSON.
# tests/prof/guest-pv-auto.log is the serial output of a real boot, copied unchanged:
#   qemu-system-i386 -display none -serial stdio -no-reboot -nic none \
#       -device isa-debug-exit,iobase=0xf4,iosize=0x04 -option-rom build/rom/vmi-pv.rom \
#       -kernel build/guest/kernel.elf -append policy=auto
# Its bench line: "bench op=irqsave iters=2000 rounds=16 native=- call=168.3 inline=29.5".
# Usage: guest.sh VMI-PROF OUTDIR LOG
set -eu
prof=$1 out=$2 log=$3
mkdir -p "$out"
"$prof" --guest "$log" > "$out/guest.txt"
grep -q '^guest:irqsave  *inline  *29.50 ' "$out/guest.txt"
grep -q '^  *call  *168.30 ' "$out/guest.txt"
grep -q 'source: guest serial log (gcc, rom found=1), best of runs, host TSC ticks (assumed' "$out/guest.txt"
"$prof" --guest "$log" --json > "$out/guest.json"
python3 - "$out/guest.json" "$log" <<'PY'
import json, re, sys
doc = json.load(open(sys.argv[1]))
rows = doc["rows"]
assert doc["parameters"]["guest_log"] == sys.argv[2] and doc["parameters"]["unit"] == "host TSC ticks", doc["parameters"]
assert all(t["verdict"] == "undecided" and t["workloads"] == [] for t in doc["targets"]), doc["targets"]
line = [l for l in open(sys.argv[2], errors="replace") if l.startswith("bench op=")][0]
vals = dict(re.findall(r"(\w+)=(\S+)", line))
got = {r["strategy"]: r for r in rows}
assert set(got) == {"call", "inline"}, sorted(got)
for s in ("call", "inline"):
    assert got[s]["workload"] == "guest:" + vals["op"], got[s]
    assert abs(got[s]["cycles_median"] - float(vals[s])) < 1e-6, (got[s], vals[s])
    assert got[s]["cycles_min"] == got[s]["cycles_max"] == got[s]["cycles_median"]
print("vmi-prof --guest: %s call %s inline %s host TSC ticks, as the log says" % (vals["op"], vals["call"], vals["inline"]))
PY
# the clock: from the log's "qemu clock=" line (tests/guest/boot.sh), or --guest-clock, not both
# disagreeing
"$prof" --guest "$log" --guest-clock icount > "$out/guest-ic.txt"
grep -q 'best of runs, instructions)' "$out/guest-ic.txt"
{ echo "qemu clock=icount-shift-0"; cat "$log"; } > "$out/icount.log"
"$prof" --guest "$out/icount.log" | grep -q '^(instructions per operation as reported'
{ echo "qemu clock=host"; cat "$log"; } > "$out/host.log"
"$prof" --guest "$out/host.log" | grep -q 'best of runs, host TSC ticks)'
if "$prof" --guest "$out/icount.log" --guest-clock host > /dev/null 2> "$out/clash.err"; then
    echo "vmi-prof --guest accepted a log whose clock contradicts --guest-clock" >&2; exit 1
fi
[ "$(wc -l < "$out/clash.err")" -eq 1 ] && grep -q "icount.log:1: the log says clock=icount-shift-0, --guest-clock says host" "$out/clash.err"
{ echo "qemu clock=fast"; cat "$log"; } > "$out/badclock.log"
if "$prof" --guest "$out/badclock.log" > /dev/null 2> "$out/badclock.err"; then
    echo "vmi-prof --guest accepted clock=fast" >&2; exit 1
fi
grep -q "badclock.log:1: unknown clock=fast" "$out/badclock.err"
# a log without a bench line is an error, not an empty table
printf 'VMI-GUEST compiler=gcc\nRESULT PASS checks_failed=0\n' > "$out/nobench.log"
if "$prof" --guest "$out/nobench.log" > /dev/null 2> "$out/nobench.err"; then
    echo "vmi-prof --guest accepted a log without a bench line" >&2; exit 1
fi
grep -q "no 'bench op=' line" "$out/nobench.err"
