#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Bad command lines: a line saying what was wrong, then the usage, on stderr; exit status 2;
# nothing on stdout.  --help: the usage on stdout, status 0; --version: "vmi-prof VERSION".
# Usage: usage.sh VMI-PROF
set -u
prof=$1
fail=0
check() {
    out=$("$prof" "$@" 2> /tmp/vmi-prof-usage.$$); rc=$?
    first=$(head -1 /tmp/vmi-prof-usage.$$)
    second=$(sed -n 2p /tmp/vmi-prof-usage.$$)
    if [ $rc -ne 2 ] || [ -n "$out" ] || [[ "$first" != "vmi-prof: "* ]] ||
        [[ "$first" == *usage* ]] || [[ "$second" != "usage: vmi-prof"* ]]; then
        echo "vmi-prof $*: status $rc, stderr '${first:0:70}' / '${second:0:30}', stdout '${out:0:40}' (want 2, an error line then the usage, no stdout)" >&2
        fail=1
    fi
}
check --bogus
check --n
check --n 0
check --n x12
check --k 1000
check --chart out.pdf
check --chart
check --json --csv
check --guest
check --guest x.log --callgrind
check --only
check --measure label
check extra-argument
check --sites
check --sites p.profile
check --image k.elf
check --top 3
check --sites p.profile --image k.elf --policy auto
check --sites p.profile --image k.elf --rom r.rom --policy bogus
check --sites p.profile --image k.elf --csv
check --sites p.profile --image k.elf --json=out.json
check --sites p.profile --image k.elf --top x
check --guest x.log --guest-clock
check --guest x.log --guest-clock tsc
check --guest-clock icount
check --patch-bench 10 --csv=x.csv
check --linux --callgrind
check --linux --chart x.svg --chart y.png
check --linux --csv=x.csv
check --linux --linux-dir
check --linux-dir /tmp
check --phase getpid-int80
check --sites p.log --phase
check --runs 0
check --runs 20 --k 20
check --n=0
check --json=
check --chart=x.pdf
check -x
check --measure label --
check -- true
check --patch-bench 10 20
# --help: stdout, status 0; --version: the one version (include/vmi_version.h), status 0
help=$("$prof" --help 2> /tmp/vmi-prof-usage.$$) || { echo "--help: status $?" >&2; fail=1; }
[[ "$help" == "usage: vmi-prof"* ]] && [ ! -s /tmp/vmi-prof-usage.$$ ] ||
    { echo "--help: no usage on stdout, or something on stderr" >&2; fail=1; }
want="vmi-prof $(sed -n 's/^#define VMI_VERSION "\(.*\)"$/\1/p' include/vmi_version.h)"
got=$("$prof" --version) || { echo "--version: status $?" >&2; fail=1; }
[ "$got" = "$want" ] || { echo "--version: '$got', want '$want'" >&2; fail=1; }
# getopt_long: --opt=value, --opt value, an option after an operand, "--" for --measure
"$prof" --guest=tests/prof/guest-pv-auto.log --json | grep -q '"guest_log": "tests/prof/guest-pv-auto.log"' ||
    { echo "--guest=LOG not taken" >&2; fail=1; }
"$prof" --json --guest tests/prof/guest-pv-auto.log | grep -q '"guest_log"' ||
    { echo "--guest LOG not taken" >&2; fail=1; }
"$prof" --measure=label -- true -x --n 0 | grep -q '^label: .* exit status 0$' ||
    { echo "--measure LABEL -- CMD with options after --: not run" >&2; fail=1; }
rm -f /tmp/vmi-prof-usage.$$
[ $fail = 0 ] && echo "vmi-prof: $(grep -c "^check " "$0") bad command lines, each an error line then the usage and status 2; --help, --version; --opt=value and --"
exit $fail
