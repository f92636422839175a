#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The Linux workload's checks (docs/profiling.md, "Linux"):
#
#   tests/linux/linprof.sh count FIXTURES BUILD    counting: exact per-site counts
#   tests/linux/linprof.sh icount FIXTURES BUILD   vmi-prof --linux twice: determinism and sanity
#   tests/linux/linprof.sh bench-sites FIXTURES BUILD   the hottest sites per phase (make bench)
#
# count: the loader's counting plan (vmi.count=1) over auto and over call-only (up), and over auto
# on pae and smp; in each log the SYSENTER path's irq_enable and irq_disable sites of
# ia32_sysenter_target ran exactly N times in the getpid-sysenter phase (N = its iters; the
# counter snapshots use int $0x80 only), its irq_enable_sysexit site N times but for the calls that
# found a reschedule pending (those return through iret; at most 5 allowed), and system_call's irq_disable at syscall_exit ran exactly N more times in the
# getpid-int80 phase than in the empty null phase (which holds only the snapshots' own syscall).
# vmi-prof --sites must put those three sites on top of the sysenter phase.  Then four altered
# copies of a real log (a count + 1, a site line dropped, no WORKLOAD DONE, another N) must each
# be refused.
# icount: two runs of vmi-prof --linux; the getpid phases' instruction counts identical in both
# (the longer phases can take a timer interrupt at a different point: reported, not asserted);
# every count > 0; auto < call-only on both getpid phases.
set -u
mode=$1 fixtures=$2 build=$3
[ -f "$fixtures/vmlinux" ] || { echo "skipped: no Linux fixtures in $fixtures"; exit 0; }
prof=$build/bin/vmi-prof aot=$build/bin/vmi-aot
logs=$build/linprof/logs
mkdir -p "$logs"
export LINUX_VMI_DIR=$fixtures VMI_LOADER=$build/loader/vmi-loader.elf \
       VMI_ROM=$build/rom/vmi-native.rom VMI_WORKLOAD=$build/linprof/vmi-workload.cpio
fail=()

# count LOG PHASE ADDR: the site's count in that phase's block (0 when absent)
count_of() {
    awk -v ph="phase=$2" -v a="addr=$3" '$1=="profile" && $2=="begin" { inb = ($4 == ph) }
        inb && $1=="site" && $2==a { sub("count=", "", $3); print $3; f=1 }
        END { if (!f) print 0 }' "$1"
}
iters_of() { sed -n "s/^phase $2 end iters=\([0-9]*\) .*/\1/p" "$1"; }

# The exactness rules on one counted log of KERNEL's vmlinux; prints one line per broken rule.
check_count_log() {
    local log=$1 vmlinux=$2 sites sysenter sysexit_irq n c z a top want
    sites=$("$aot" sites "$vmlinux")
    sysenter=$(echo "$sites" | awk '$8=="ia32_sysenter_target" && ($2=="pv_irq_ops.irq_enable" ||
        $2=="pv_irq_ops.irq_disable") { print $1 }')
    sysexit=$(echo "$sites" | awk '$8=="ia32_sysenter_target" && $2=="pv_cpu_ops.irq_enable_sysexit" { print $1 }')
    sysexit_irq=$(echo "$sites" | awk '$8=="system_call" && $2=="pv_irq_ops.irq_disable" { print $1 }')
    if [ "$(echo $sysenter | wc -w)" != 2 ] || [ -z "$sysexit" ] || [ -z "$sysexit_irq" ]; then
        echo "the syscall path's sites not found in vmi-aot sites $vmlinux"; return
    fi
    grep -q '^vmi-loader: count plan=' "$log" || echo "no vmi-loader: count line"
    grep -q '^WORKLOAD DONE' "$log" || echo "no WORKLOAD DONE"
    n=$(iters_of "$log" getpid-sysenter)
    [ -n "$n" ] || { echo "no getpid-sysenter phase"; return; }
    for a in $sysenter; do
        c=$(count_of "$log" getpid-sysenter "$a")
        [ "$c" = "$n" ] || echo "site $a ran $c times in getpid-sysenter, not $n"
    done
    # a call that finds work pending (a reschedule) leaves through iret instead of SYSEXIT
    c=$(count_of "$log" getpid-sysenter "$sysexit")
    [ "$c" -le "$n" ] && [ "$c" -ge $((n - 5)) ] || echo "the SYSEXIT site ran $c times in getpid-sysenter, not N-5..N=$n"
    n=$(iters_of "$log" getpid-int80)
    c=$(count_of "$log" getpid-int80 "$sysexit_irq"); z=$(count_of "$log" null "$sysexit_irq")
    [ $((c - z)) = "$n" ] || echo "syscall_exit's irq_disable: $c in getpid-int80 - $z in null != $n"
    top=$("$prof" --sites "$log" --image "$vmlinux" --phase getpid-sysenter --top 3 2>&1 |
          awk '$1 ~ /^[0-9]+$/ && $2 ~ /^0x/ { print $2, $7 }' | sort)
    want=$(for a in $sysenter $sysexit; do echo "$a ia32_sysenter_target"; done | sort)
    [ "$top" = "$want" ] || echo "vmi-prof --sites: the top 3 of getpid-sysenter are not the SYSENTER sites"
    "$prof" --sites "$log" --image "$vmlinux" --top 5 --chart "$log.svg" >"$log.sites" 2>&1 ||
        echo "vmi-prof --sites on the whole run: $(tail -1 "$log.sites")"
    grep -q '<svg' "$log.svg" 2>/dev/null || echo "vmi-prof --sites --chart wrote no SVG"
}

case "$mode" in
count)
    for run in up:count-auto up:count-call pae:count-auto smp:count-auto; do
        k=${run%%:*} cfg=${run#*:}
        log=$logs/$k-$cfg.log vmlinux=$fixtures/vmlinux
        [ $k = up ] || vmlinux=$fixtures/$k/vmlinux
        bash "$build/libexec/vmi-prof-linux" "$cfg" "$log" "$k" || { fail+=("$k $cfg: boot"); continue; }
        while read -r l; do [ -n "$l" ] && fail+=("$k $cfg: $l"); done <<<"$(check_count_log "$log" "$vmlinux")"
    done
    # the rules can fail: each altered copy of the first log must be refused
    log=$logs/up-count-auto.log
    if [ -f "$log" ]; then
        a=addr=$("$aot" sites "$fixtures/vmlinux" | awk '$8=="ia32_sysenter_target" &&
            $2=="pv_irq_ops.irq_enable" { print $1 }')
        t=$logs/tampered.log
        for how in plus-one drop-site drop-done int80-extra; do
            case $how in
            plus-one)    awk -v a="$a" '/phase=getpid-sysenter/ { f=1 } /^profile end/ { f=0 }
                             f && $2==a { split($3, c, "="); $3 = "count=" c[2] + 1 } { print }' "$log" ;;
            drop-site)   awk -v a="$a" '/phase=getpid-sysenter/ { f=1 } /^profile end/ { f=0 }
                             !(f && $2==a) { print }' "$log" | sed '/phase=getpid-sysenter/s/sites=[0-9]*/sites=26/' ;;
            drop-done)   grep -v '^WORKLOAD DONE' "$log" ;;
            int80-extra) sed 's/^phase getpid-int80 end iters=2000 /phase getpid-int80 end iters=1999 /' "$log" ;;
            esac >"$t"
            out=$(check_count_log "$t" "$fixtures/vmlinux")
            [ -n "$out" ] || fail+=("altered log ($how) accepted")
        done
        rm -f "$t" "$t.sites"
    fi
    name=check-linprof-count ;;
icount)
    for r in 1 2; do
        "$prof" --linux --quiet --linux-dir "$fixtures" --json="$logs/icount-$r.json" >"$logs/icount-$r.txt" ||
            { echo "FAIL check-linprof-icount: vmi-prof --linux run $r"; exit 1; }
    done
    out=$(python3 - "$logs/icount-1.json" "$logs/icount-2.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for pa, pb in zip(a["phases"], b["phases"]):
    ia, ib = pa["instructions"], pb["instructions"]
    for c, v in ia.items():
        if v <= 0:
            print("%s %s: %d instructions" % (pa["phase"], c, v))
        if pa["phase"].startswith("getpid") and v != ib[c]:
            print("%s %s: %d then %d instructions (not deterministic)" % (pa["phase"], c, v, ib[c]))
        elif v != ib[c]:
            sys.stderr.write("note: %s %s: %d then %d (a timer interrupt)\n" % (pa["phase"], c, v, ib[c]))
    if pa["phase"].startswith("getpid") and not ia["auto"] < ia["call-only"]:
        print("%s: auto %d not below call-only %d" % (pa["phase"], ia["auto"], ia["call-only"]))
PY
)
    [ -n "$out" ] && while read -r l; do fail+=("$l"); done <<<"$out"
    name=check-linprof-icount ;;
bench-sites)
    log=$logs/count-auto.log
    bash "$build/libexec/vmi-prof-linux" count-auto "$log" || exit 1
    for ph in total fork-wait getpid-int80 getpid-sysenter mmap-touch-munmap pipe-pingpong page-faults; do
        echo "== $ph (loader, auto plan, counted)"
        if [ $ph = total ]; then "$prof" --sites "$log" --image "$fixtures/vmlinux" --top 10 &&
            "$prof" --sites "$log" --image "$fixtures/vmlinux" --top 30 \
                --chart "$build/linprof/sites.svg" >/dev/null
        else "$prof" --sites "$log" --image "$fixtures/vmlinux" --phase $ph --top 6; fi
    done
    exit 0 ;;
*) echo "usage: $0 count|icount|bench-sites FIXTURES BUILD" >&2; exit 2 ;;
esac
if [ ${#fail[@]} -eq 0 ]; then echo "PASS $name"; exit 0; fi
echo "FAIL $name: ${fail[*]}"
exit 1
