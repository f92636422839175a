#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The doc-example checker can fail: tests/docs/examples.sh on small documents, each of which must
# pass or fail as its name says (a wrong line, a missing or extra line, a wrong exit status, a
# command outside a ```console block, an unknown make target, an unclosed fence) and, for the
# passing ones, run the number of commands it says.
#
# Usage: examples-selftest.sh TOP    prints one line per case that went wrong and a summary.
set -u
top=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bad=0 n=0

# case NAME WANT RAN: the document on stdin; WANT pass or fail; RAN the commands a pass runs.
case_() {
    local name=$1 want=$2 ran=${3:-} out rc got
    cat > "$work/$name.md"
    n=$((n + 1))
    out=$(bash "$here/examples.sh" "$top" "$work/no-fixtures" "$work/$name.md" 2>&1); rc=$?
    if [ $rc -eq 0 ]; then got=pass; else got=fail; fi
    if [ "$got" != "$want" ]; then
        echo "examples-selftest: $name: expected $want, got $got:"; echo "$out" | sed 's/^/    /'
        bad=$((bad + 1)); return
    fi
    if [ -n "$ran" ] && ! grep -q "^doc-examples: $ran commands run" <<<"$out"; then
        echo "examples-selftest: $name: expected $ran commands run: $(tail -n 1 <<<"$out")"
        bad=$((bad + 1))
    fi
}

f='```'
case_ plain pass 1 <<EOF
${f}console
\$ echo hi
hi
$f
EOF
case_ wildcards pass 3 <<EOF
${f}console
\$ printf 'a\nb\nc\n'
a
...
c
\$ echo hello world
hello ...
\$ printf 'x\r\n'
x
$f
EOF
case_ status pass 2 <<EOF
${f}console
\$ false
[exit 1]
\$ echo a \\
    b
a b
$f
EOF
case_ synopsis-not-run pass 0 <<EOF
${f}synopsis
build/bin/vmi-gen [--check] SPEC...
$f
${f}c
int main(void) { return 0; }
$f
EOF
case_ linux-skipped pass 0 <<EOF
${f}console linux
\$ false
$f
EOF
case_ quoted-message pass 0 <<EOF
A refusal:

    vmi-aot verify: tampered.elf: sites_hash: the site bytes hash to 0x1
    vmi-loader: rom=none sites=0
EOF
case_ wrong-line fail <<EOF
${f}console
\$ echo hi
ho
$f
EOF
case_ missing-line fail <<EOF
${f}console
\$ echo a
a
b
$f
EOF
case_ extra-line fail <<EOF
${f}console
\$ printf 'a\nb\n'
a
$f
EOF
case_ glob-literal fail <<EOF
${f}console
\$ echo ab
a*
$f
EOF
case_ failing-command fail <<EOF
${f}console
\$ false
$f
EOF
case_ wrong-exit fail <<EOF
${f}console
\$ true
[exit 1]
$f
EOF
case_ indented-command fail <<EOF
Run it:

    build/bin/vmi-gen --check spec/abi.vmi
EOF
case_ indented-qemu fail <<EOF
Boot:

    qemu-system-i386 -kernel build/guest/kernel.elf
EOF
case_ plain-fence-command fail <<EOF
$f
\$ ls
$f
EOF
case_ sh-fence fail <<EOF
${f}sh
ls
$f
EOF
case_ unknown-make-target fail <<EOF
${f}console
\$ make no-such-target-for-the-selftest
$f
EOF
case_ unclosed fail <<EOF
${f}console
\$ true
EOF
echo "examples-selftest: $((n - bad)) of $n cases as expected"
[ $bad -eq 0 ]
