#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# vmi-gen from the command line: exit codes, one-line errors, nothing written on failure,
# byte-identical output on every run.  Usage: cli.sh VMI_GEN SPEC...
set -u
gen=$1; shift
spec=("$@")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok()  { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

"$gen" --check "${spec[@]}" && ok || bad "--check rejects the real spec"

# the same spec gives the same bytes
"$gen" --header "$tmp/a.h" --glue "$tmp/a.g" "${spec[@]}" && "$gen" --header "$tmp/b.h" --glue "$tmp/b.g" "${spec[@]}" \
    && cmp -s "$tmp/a.h" "$tmp/b.h" && cmp -s "$tmp/a.g" "$tmp/b.g" && ok || bad "output is not deterministic"

# the spec files in any order: the same bytes, from every output, as in the order given by make
all=("${spec[@]}" spec/linux.vmi spec/rom-pv.vmi spec/rom-native.vmi)
rev=(); for ((i = ${#all[@]} - 1; i >= 0; i--)); do rev+=("${all[$i]}"); done
outs() {  # outs DIR SPEC...: every output vmi-gen writes, into DIR
    local d=$1; shift; mkdir -p "$d"
    "$gen" --header "$d/h" --glue "$d/g" --linux-header "$d/l" --rom pv="$d/pv.s" \
        --rom native="$d/native.s" "$@" && "$gen" --check --summary "$@" > "$d/summary"
}
outs "$tmp/fwd" "${all[@]}" && outs "$tmp/rev" "${rev[@]}" && diff -r "$tmp/fwd" "$tmp/rev" > /dev/null \
    && ok || bad "the spec files in reversed order give other outputs"
outs "$tmp/dir" --spec-dir=spec && diff -r "$tmp/fwd" "$tmp/dir" > /dev/null && ok \
    || bad "--spec-dir=spec differs from naming its files"
# a file put off after it had read ROM bodies (rom-pv.vmi before a call table named to sort last)
# is read again from scratch: the same ROM source but for the banner
cp spec/calls.vmi "$tmp/zz-calls.vmi"
late=(spec/abi.vmi spec/ext.vmi spec/native.vmi spec/pv.vmi spec/rom-pv.vmi "$tmp/zz-calls.vmi")
"$gen" --rom pv="$tmp/late.s" "${late[@]}" && cmp -s <(tail -n +2 "$tmp/late.s") <(tail -n +2 "$tmp/fwd/pv.s") \
    && ok || bad "a file put off and read again gives another ROM source"

# a reference to a call no file defines is still an error, named where it is, in any order
printf 'native NoSuchCall 90 | nop\n' > "$tmp/undefined.vmi"
for order in first last; do
    if [ $order = first ]; then set -- "$tmp/undefined.vmi" "${spec[@]}"; else set -- "${spec[@]}" "$tmp/undefined.vmi"; fi
    "$gen" --check "$@" 2> "$tmp/err"; rc=$?
    [ $rc -eq 1 ] && [ "$(cat "$tmp/err")" = "$tmp/undefined.vmi:1:8: native sequence for unknown call 'NoSuchCall'" ] \
        && ok || bad "an unknown call, $order: exit $rc: $(cat "$tmp/err")"
done

# a bad spec: exit 1, one line naming FILE:LINE:COL, no output file, no temporary left behind
bad_spec=tests/bad/spec/native-text-mismatch.vmi
"$gen" --header "$tmp/bad.h" --glue "$tmp/bad.g" "${spec[@]}" "$bad_spec" 2> "$tmp/err"
rc=$?
[ $rc -eq 1 ] && ok || bad "bad spec exit code $rc, expected 1"
[ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q "^$bad_spec:[0-9]*:[0-9]*: " "$tmp/err" && ok \
    || bad "error is not one FILE:LINE:COL line: $(cat "$tmp/err")"
[ ! -e "$tmp/bad.h" ] && [ ! -e "$tmp/bad.g" ] && ok || bad "output written despite the error"
[ -z "$(ls "$tmp" | grep tmp)" ] && ok || bad "temporary file left behind"

# a failing spec leaves an existing output untouched
cp "$tmp/a.h" "$tmp/keep.h"
"$gen" --header "$tmp/keep.h" "${spec[@]}" "$bad_spec" 2> /dev/null
cmp -s "$tmp/a.h" "$tmp/keep.h" && ok || bad "existing output changed by a failed run"

# a ROM flavor that breaks rules of the Linux profile: exit 1, one FILE:LINE:COL line per broken
# rule, nothing written
linux=spec/linux.vmi
cat > "$tmp/rom-bad.vmi" <<'EOF2'
rom bad
 manufacturer "x"
 product "y"
 rom_version 1.0
 api_minor 0
 virtual_top 0xfffff000
 license "GPL"
end
routine GetCycleFrequency native
end
routine SetAlarm nop
end
EOF2
"$gen" --linux-header "$tmp/rules.h" "${spec[@]}" "$linux" "$tmp/rom-bad.vmi" 2> "$tmp/err"
rc=$?
[ $rc -eq 1 ] && ok || bad "rule breaks: exit code $rc, expected 1"
for rule in timer-group timer-frequency get-not-nop virtual-top; do
    grep -q "^$tmp/rom-bad.vmi:[0-9]*:[0-9]*: ROM flavor 'bad' breaks Linux 2.6.32 rule '$rule': " "$tmp/err" \
        && ok || bad "no finding for rule $rule: $(cat "$tmp/err")"
done
[ "$(wc -l < "$tmp/err")" -eq 4 ] && ok || bad "expected 4 rule findings: $(cat "$tmp/err")"
[ ! -e "$tmp/rules.h" ] && ok || bad "output written despite the rule findings"
"$gen" --linux-header "$tmp/l.h" "${spec[@]}" 2> "$tmp/err"; [ $? -eq 1 ] && \
    grep -q "needs the Linux profile" "$tmp/err" && [ ! -e "$tmp/l.h" ] && ok || bad "--linux-header without the profile"
"$gen" --check "${spec[@]}" "$linux" && ok || bad "--check rejects the Linux profile"

# command-line errors exit 2
"$gen" --frobnicate "${spec[@]}" 2> /dev/null; [ $? -eq 2 ] && ok || bad "unknown option"
"$gen" 2> /dev/null; [ $? -eq 2 ] && ok || bad "no spec files"
"$gen" --check --header x.h "${spec[@]}" 2> /dev/null; [ $? -eq 2 ] && ok || bad "--check with outputs"
"$gen" --check /nonexistent.vmi 2> "$tmp/err"; [ $? -eq 1 ] && grep -q "^/nonexistent.vmi: cannot open" "$tmp/err" \
    && ok || bad "missing spec file: $(cat "$tmp/err")"

# --check runs the checks emission runs: a ROM variant on an argument whose sites
# record no constant is refused by --check exactly as by --rom
cat > "$tmp/rom-bad.vmi" <<'SPEC'
rom bad
    manufacturer  "test"
    product       "a variant no site can use"
    rom_version   1.0
    api_minor     1
    virtual_top   0xfc000000
    license       "GPL v2"
end
routine SetCR3              inline clobbers flags variant value=0
    mov %eax, ROM_VIRTUAL_TOP + vmi_pv_state.cr3
end
SPEC
"$gen" --check "${spec[@]}" "$tmp/rom-bad.vmi" 2> "$tmp/err-check"; rc_check=$?
"$gen" --rom bad="$tmp/bad.s" "${spec[@]}" "$tmp/rom-bad.vmi" 2> "$tmp/err-rom"; rc_rom=$?
[ $rc_check -eq 1 ] && [ $rc_rom -eq 1 ] && cmp -s "$tmp/err-check" "$tmp/err-rom" \
    && grep -q "record no constant" "$tmp/err-check" && [ ! -e "$tmp/bad.s" ] && ok \
    || bad "--check and --rom disagree on a variant: $rc_check $(cat "$tmp/err-check") / $rc_rom $(cat "$tmp/err-rom")"

echo "gen-cli: $passed passed, $failed failed"
[ $failed -eq 0 ]
