#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# check-json-schema: every JSON document the tools write, made from real inputs of the build, is
# valid UTF-8, strict JSON, and valid against its schema in docs/schema/ (docs/json.md).
#   check.sh B LINUX_VMI_DIR      (B: the build directory; writes B/tests/json)
# Also proves that it can fail: real documents with one defect each (a raw \xff byte, a member
# renamed, an address or an offset written as a number, no head, ...) are each refused, and so is
# a document naming no schema that is not on the allowed pending list; and a path holding \xff
# comes out as U+FFFD in valid UTF-8.
set -u
: "${LINUX_ROM_BASE:?LINUX_ROM_BASE: set by make (mk/inliner.mk)}"
b=$1 linux_dir=$2
out=$b/tests/json aot=$b/bin/vmi-aot prof=$b/bin/vmi-prof selftest=$b/bin/vmi-selftest
mini=$b/tests/aot/linux-mini-0.elf kernel=$b/guest/kernel.elf
py=/usr/bin/python3                       # Debian's, with python3-jsonschema
val() { $py tests/json/validate.py docs/schema "$@"; }
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
rm -rf "$out" && mkdir -p "$out" || exit 1
: "${HARNESS_ROM_BASE:?the harness ROM base: set by make (mk/inliner.mk)}"
pv=$b/rom/vmi-pv.rom native=$b/rom/vmi-native.rom

# ---- the documents, converted: validated against their schema ----
docs=()
run() {     # run FILE=SCHEMA CMD...: CMD writes FILE
    local spec=$1; shift
    "$@" > "$out/cmd.out" 2> "$out/cmd.err" || { fail "$* exited $?: $(head -2 "$out/cmd.err")"; return; }
    docs+=("$spec")
}
run "$out/linux-mini-sites.json=vmi-aot.linux-sites/1" "$aot" sites --json "$mini" -o "$out/linux-mini-sites.json"
run "$out/prof.json=vmi-prof.result/2" "$prof" --quiet --n 1000 --k 3 --runs 1 --trap-n 10 \
    --only DisableInterrupts --json="$out/prof.json"
run "$out/prof-guest.json=vmi-prof.result/2" "$prof" --guest tests/prof/guest-pv-auto.log --json="$out/prof-guest.json"
run "$out/patch.json=vmi-prof.patch/1" "$prof" --patch-bench 1000 --k 3 --json="$out/patch.json"
if [ -f "$linux_dir/vmlinux" ]; then
    run "$out/linux-sites.json=vmi-aot.linux-sites/1" "$aot" sites --json "$linux_dir/vmlinux" -o "$out/linux-sites.json"
fi
# vmi-prof --linux boots five kernels: its documents are validated where bench-linprof and
# check-linprof-icount left them.
for f in "$b/linprof/linux.json" "$b/linprof/logs/icount-1.json"; do
    [ -f "$f" ] && docs+=("$f=vmi-prof.linux/1")
done
# and --sites on the real kernel's counting log, one phase of it, where bench-linprof left it
if [ -f "$b/linprof/logs/up-count-auto.log" ] && [ -f "$linux_dir/vmlinux" ]; then
    run "$out/prof-sites-vmlinux.json=vmi-prof.sites/1" sh -c '"$1" --sites "$2" --image "$3" --phase getpid-sysenter --json > "$4"' _ \
        "$prof" "$b/linprof/logs/up-count-auto.log" "$linux_dir/vmlinux" "$out/prof-sites-vmlinux.json"
fi

# specialize's report on the guest kernel, on the harness with its profile, on a Linux kernel
"$selftest" --profile "$out/harness.profile" "$pv" > "$out/harness.log" 2>&1 || fail "vmi-selftest --profile: $(tail -1 "$out/harness.log")"
run "$out/spec-report.json=vmi-aot.specialize/1" "$aot" specialize "$kernel" --rom "$pv" --dry-run --report "$out/spec-report.json"
run "$out/spec-profile.json=vmi-aot.specialize/1" "$aot" specialize "$selftest" --rom "$pv" \
    --rom-base "$HARNESS_ROM_BASE" --dry-run --report "$out/spec-profile.json" --profile "$out/harness.profile"
run "$out/spec-linux.json=vmi-aot.specialize/1" "$aot" specialize "$mini" --rom "$pv" --rom-base "$LINUX_ROM_BASE" \
    --dry-run --report "$out/spec-linux.json"
# verify --json: a specialized guest kernel verified (exit 0), and against the other ROM (exit 1,
# still a valid document, ok false, the problem recorded)
run "$out/verify.json=vmi-aot.verify/1" sh -c '"$1" specialize "$2" --rom "$3" -o "$4" && "$1" verify "$4" --rom "$3" --orig "$2" --json="$5"' _ \
    "$aot" "$kernel" "$pv" "$out/kernel-aot.elf" "$out/verify.json"
"$aot" verify "$out/kernel-aot.elf" --rom "$native" --json > "$out/verify-fail.json" 2> "$out/cmd.err"
rc=$?
if [ $rc = 1 ] && $py -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (d["ok"] is False and d["problems"]))' "$out/verify-fail.json"; then
    docs+=("$out/verify-fail.json=vmi-aot.verify/1")
else
    fail "verify --json against the other ROM: exit $rc (expected 1), ok false with a problem: $(head -2 "$out/cmd.err")"
fi

run "$out/sites.json=vmi-aot.sites/1" "$aot" sites --json "$kernel" -o "$out/sites.json"
for r in "$pv" "$native"; do
    run "$out/check-rom-${r##*/}.json=vmi-aot.check-rom/1" sh -c '"$1" check-rom --json "$2" > "$3"' _ \
        "$aot" "$r" "$out/check-rom-${r##*/}.json"
done
run "$out/prof-sites.json=vmi-prof.sites/1" sh -c '"$1" --sites "$2" --image "$3" --rom "$4" --top 5 --json > "$5"' _ \
    "$prof" "$out/harness.profile" "$selftest" "$pv" "$out/prof-sites.json"
run "$out/prof-sites-all.json=vmi-prof.sites/1" sh -c '"$1" --sites "$2" --image "$3" --top 0 --json > "$4"' _ \
    "$prof" "$out/harness.profile" "$selftest" "$out/prof-sites-all.json"
# a Linux kernel's profile (no call=, the op from the image): three of the synthetic kernel's sites
$py -c 'import json,sys
for i, s in enumerate(json.load(open(sys.argv[1]))["sites"][:3]): print("site addr=%s count=%d" % (s["addr"], 10 * (i + 1)))' \
    "$out/linux-mini-sites.json" > "$out/linux-mini.profile" || fail "no profile of $mini"
run "$out/prof-sites-linux.json=vmi-prof.sites/1" sh -c '"$1" --sites "$2" --image "$3" --json > "$4"' _ \
    "$prof" "$out/linux-mini.profile" "$mini" "$out/prof-sites-linux.json"

# ---- not converted yet: none is left (specialize's report was the last).  The rule stays for
# the next emitter: a document passed after --pending must be valid UTF-8 and strict JSON, and
# is validated against its schema as soon as it names one; allow_pending is the explicit list of
# the documents that may still be pending (file names, comma-separated), empty now;
# validate.py fails any other document that names no schema. ----
allow_pending=
pending=()

# ---- a path that is not UTF-8: still valid JSON, the byte as U+FFFD ----
bad=$(printf 'r\xff.rom')
cp "$pv" "$out/$bad" && cp "$mini" "$out/k$bad" && cp "$kernel" "$out/g$bad" && cp "$out/harness.profile" "$out/p$bad"
run "$out/utf8-check-rom.json=vmi-aot.check-rom/1" sh -c '"$1" check-rom --json "$2" > "$3"' _ "$aot" "$out/$bad" "$out/utf8-check-rom.json"
run "$out/utf8-sites.json=vmi-aot.linux-sites/1" "$aot" sites --json "$out/k$bad" -o "$out/utf8-sites.json"
run "$out/utf8-gsites.json=vmi-aot.sites/1" "$aot" sites --json "$out/g$bad" -o "$out/utf8-gsites.json"
run "$out/utf8-prof-sites.json=vmi-prof.sites/1" sh -c '"$1" --sites "$2" --image "$3" --top 1 --json > "$4"' _ \
    "$prof" "$out/p$bad" "$selftest" "$out/utf8-prof-sites.json"
for f in "$out/utf8-check-rom.json" "$out/utf8-sites.json" "$out/utf8-gsites.json" "$out/utf8-prof-sites.json"; do
    grep -q $'r\xef\xbf\xbd.rom' "$f" || fail "$f: the path's \\xff is not U+FFFD"
done

val "${docs[@]}" --allow-pending="$allow_pending" --pending "${pending[@]}" || fails=$((fails + 1))

# ---- the check fails when it should ----
# Each negative case is a real document with one defect (an edit in Python, NEG_EDIT, on the
# parsed document d, or a sed on its text); validate.py must refuse it.
negs=()
neg() {     # neg NAME SOURCE EDIT: SOURCE with EDIT applied, as neg-NAME.json
    local n=$1 src=$2
    NEG_EDIT=$3 $py -c 'import json,os,sys
d = json.load(open(sys.argv[1])); exec(os.environ["NEG_EDIT"]); json.dump(d, open(sys.argv[2], "w"))' \
        "$src" "$out/neg-$n.json" || fail "neg $n: the edit failed"
    negs+=("$n")
}
printf '{"tool": "vmi-aot sites", "version": "1.1.0", "schema": "vmi-aot.linux-sites/1", "image": "k\xff"}\n' > "$out/neg-utf8.json"
negs+=(utf8)
sed 's/"function":/"func":/' "$out/linux-mini-sites.json" > "$out/neg-func.json"; negs+=(func)
neg addr "$out/linux-mini-sites.json" 'd["sites"][0]["addr"] = int(d["sites"][0]["addr"], 16)'
sed 's/"function":/"func":/' "$out/sites.json" > "$out/neg-sites-func.json"; negs+=(sites-func)
neg sites-line-zero "$out/sites.json" 'd["sites"][0]["line"] = 0'
neg sites-bare-array "$out/sites.json" 'd = d["sites"]'
neg rom-top-number "$out/check-rom-vmi-pv.rom.json" 'd["virtual_top"] = int(d["virtual_top"], 16)'
neg rom-offset-number "$out/check-rom-vmi-pv.rom.json" 'd["routines"][0]["offset"] = int(d["routines"][0]["offset"], 16)'
neg rom-call "$out/check-rom-vmi-pv.rom.json" 'r = d["routines"][2]; r["call"] = r.pop("call_nr")'
neg rom-no-head "$out/check-rom-vmi-pv.rom.json" 'del d["tool"], d["version"]'
neg rom-schema-2 "$out/check-rom-vmi-pv.rom.json" 'd["schema"] = "vmi-aot.check-rom/2"'
neg prof-share-percent "$out/prof-sites.json" 'd["top"][0]["share"] *= 100'
neg prof-no-op "$out/prof-sites.json" 'del d["top"][0]["op"]'
neg prof-count-text "$out/prof-sites.json" 'd["top"][0]["count"] = str(d["top"][0]["count"])'
for n in "${negs[@]}"; do
    if val "$out/neg-$n.json" > "$out/neg-$n.out"; then
        fail "a document with a defect ($n) was accepted"
    else
        echo "ok: refused ($n): $(sed 's/^FAIL: //' "$out/neg-$n.out" | cut -c1-150)"
    fi
done
if val --pending "$out/neg-utf8.json" > /dev/null; then fail "--pending accepted invalid UTF-8"; fi
# a document without its "schema" member is pending, which only the allowed list excuses
neg prof-unnamed "$out/prof-sites.json" 'del d["schema"]'
if val --allow-pending="$allow_pending" --pending "$out/neg-prof-unnamed.json" > "$out/neg-unnamed.out"; then
    fail "a pending document not on the allowed list was accepted: $(cat "$out/neg-unnamed.out")"
else
    echo "ok: refused (pending, not on the list): $(cut -c1-150 "$out/neg-unnamed.out")"
fi
cp "$out/neg-prof-unnamed.json" "$out/spec-report-copy.json"
val --allow-pending=spec-report-copy.json --pending "$out/spec-report-copy.json" > /dev/null ||
    fail "a pending document on the allowed list was refused"

[ "$fails" = 0 ] && echo "check-json-schema: ${#docs[@]} documents valid, ${#pending[@]} pending conversion (on the list: ${allow_pending:-none}), $((${#negs[@]} + 2)) defects refused"
exit $((fails != 0))
