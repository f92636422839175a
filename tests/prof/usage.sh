#!/usr/bin/env bash
# Bad command lines: one line on stderr, exit status 2, nothing on stdout.
# Usage: usage.sh VMI-PROF
set -u
prof=$1
fail=0
check() {
    out=$("$prof" "$@" 2> /tmp/vmi-prof-usage.$$); rc=$?
    lines=$(wc -l < /tmp/vmi-prof-usage.$$)
    if [ $rc -ne 2 ] || [ "$lines" -ne 1 ] || [ -n "$out" ]; then
        echo "vmi-prof $*: status $rc, $lines lines on stderr, stdout '${out:0:40}' (want 2, 1, none)" >&2
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
check --runs 0
check --runs 20 --k 20
rm -f /tmp/vmi-prof-usage.$$
"$prof" --help | grep -q '^usage: vmi-prof' || { echo "--help prints no usage" >&2; fail=1; }
"$prof" --version | grep -Eqx 'vmi-prof [0-9]+\.[0-9]+\.[0-9]+' || { echo "--version: '$("$prof" --version)'" >&2; fail=1; }
[ $fail = 0 ] && echo "vmi-prof: 28 bad command lines, each one line and status 2; --help, --version"
exit $fail
