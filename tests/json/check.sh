#!/bin/bash
# check-json-schema: every JSON document the tools write, made from real inputs of the build, is
# valid UTF-8, strict JSON, and valid against its schema in docs/schema/ (docs/json.md).
#   check.sh B LINUX_VMI_DIR      (B: the build directory; writes B/tests/json)
# Also proves that it can fail: a document with a raw \xff byte, one with a member renamed, one
# with an address written as a number, are each refused; and a path holding \xff comes out as
# U+FFFD in valid UTF-8.
set -u
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

# specialize's report on the guest kernel, on the harness with its profile, on a Linux kernel
"$selftest" --profile "$out/harness.profile" "$pv" > "$out/harness.log" 2>&1 || fail "vmi-selftest --profile: $(tail -1 "$out/harness.log")"
run "$out/spec-report.json=vmi-aot.specialize/1" "$aot" specialize "$kernel" --rom "$pv" --dry-run --report "$out/spec-report.json"
run "$out/spec-profile.json=vmi-aot.specialize/1" "$aot" specialize "$selftest" --rom "$pv" \
    --rom-base "$HARNESS_ROM_BASE" --dry-run --report "$out/spec-profile.json" --profile "$out/harness.profile"
run "$out/spec-linux.json=vmi-aot.specialize/1" "$aot" specialize "$mini" --rom "$pv" --rom-base 0xc00c8000 \
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

# ---- not converted yet (the emitters in cmd_sites.c, cmd_check_rom.c, cmd_specialize.c,
# prof_sites.c): valid UTF-8 and strict JSON now, their schema as soon as they name it ----
pending=()
prun() { local f=$1; shift; "$@" > "$out/cmd.out" 2> "$out/cmd.err" || { fail "$* exited $?"; return; }; pending+=("$f"); }
prun "$out/sites.json" "$aot" sites --json "$kernel" -o "$out/sites.json"
for r in "$pv" "$native"; do
    prun "$out/check-rom-${r##*/}.json" sh -c '"$1" check-rom --json "$2" > "$3"' _ "$aot" "$r" "$out/check-rom-${r##*/}.json"
done
prun "$out/prof-sites.json" sh -c '"$1" --sites "$2" --image "$3" --rom "$4" --top 5 --json > "$5"' _ \
    "$prof" "$out/harness.profile" "$selftest" "$pv" "$out/prof-sites.json"

# ---- a path that is not UTF-8: still valid JSON, the byte as U+FFFD ----
bad=$(printf 'r\xff.rom')
cp "$pv" "$out/$bad" && cp "$mini" "$out/k$bad"
prun "$out/utf8-check-rom.json" sh -c '"$1" check-rom --json "$2" > "$3"' _ "$aot" "$out/$bad" "$out/utf8-check-rom.json"
run "$out/utf8-sites.json=vmi-aot.linux-sites/1" "$aot" sites --json "$out/k$bad" -o "$out/utf8-sites.json"
for f in "$out/utf8-check-rom.json" "$out/utf8-sites.json"; do
    grep -q $'r\xef\xbf\xbd.rom' "$f" || fail "$f: the path's \\xff is not U+FFFD"
done

val "${docs[@]}" --pending "${pending[@]}" || fails=$((fails + 1))

# ---- the check fails when it should ----
d=$out/linux-mini-sites.json
printf '{"tool": "vmi-aot sites", "version": "1.1.0", "schema": "vmi-aot.linux-sites/1", "image": "k\xff"}\n' > "$out/neg-utf8.json"
sed 's/"function":/"func":/' "$d" > "$out/neg-func.json"
$py -c 'import json,sys; d=json.load(open(sys.argv[1])); d["sites"][0]["addr"]=int(d["sites"][0]["addr"],16); json.dump(d,open(sys.argv[2],"w"))' "$d" "$out/neg-addr.json"
for n in utf8 func addr; do
    if val "$out/neg-$n.json" > "$out/neg-$n.out"; then
        fail "a document with a defect ($n) was accepted"
    else
        echo "ok: refused ($n): $(sed 's/^FAIL: //' "$out/neg-$n.out" | cut -c1-150)"
    fi
done
if val --pending "$out/neg-utf8.json" > /dev/null; then fail "--pending accepted invalid UTF-8"; fi

[ "$fails" = 0 ] && echo "check-json-schema: ${#docs[@]} documents valid, ${#pending[@]} pending conversion, 4 defects refused"
exit $((fails != 0))
