#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# check-man: every manual in man/ passes `mandoc -T lint -W warning` silently, and every long
# option a program's usage text mentions (`PROG --help`, and for vmi-aot each command's
# `vmi-aot CMD --help`) appears in that program's rendered manual, so an option added without
# documentation fails the build.  Then it proves it can fail: a stand-in program whose usage
# names an undocumented option must be caught.
#   usage: check-man.sh MANDIR vmi-gen=PATH vmi-aot=PATH vmi-prof=PATH
set -u
mandir=$1; shift
declare -A prog
for a in "$@"; do prog[${a%%=*}]=${a#*=}; done
status=0

# The page's text as a reader sees it (no overstrike), for option lookups.
rendered() { mandoc -T ascii "$1" | col -b; }

# The long options a usage text names: --name, --name-with-dashes (not a bare --).
long_options() { grep -o -- '--[a-z][a-z0-9-]*' | sort -u; }

# missing_options PAGE: reads a usage text on stdin, prints each long option the page lacks
# (--rom is not found in --rom-base).
missing_options() {
    local text opt
    text=$(rendered "$1")
    long_options | while read -r opt; do
        grep -Eq -- "$opt([^a-z0-9-]|\$)" <<<"$text" || echo "$opt"
    done
}

# check_usage NAME PAGE CMD...: the usage CMD prints (stdout and stderr) against PAGE.
check_usage() {
    local name=$1 page=$2; shift 2
    local missing
    missing=$("$@" 2>&1 | missing_options "$page")
    if [ -n "$missing" ]; then
        echo "check-man: $page: does not document $(tr '\n' ' ' <<<"$missing")(from \`$name --help\`)"
        return 1
    fi
}

lint=$(mandoc -T lint -W warning "$mandir"/*.[1-8] 2>&1); rc=$?
if [ "$rc" -ne 0 ] || [ -n "$lint" ]; then
    echo "check-man: mandoc -T lint -W warning (exit $rc):"; echo "$lint"; status=1
fi

check_usage vmi-gen "$mandir/vmi-gen.1" "${prog[vmi-gen]}" --help || status=1
check_usage vmi-prof "$mandir/vmi-prof.1" "${prog[vmi-prof]}" --help || status=1
check_usage vmi-aot "$mandir/vmi-aot.1" "${prog[vmi-aot]}" --help || status=1
# The commands are the indented words of vmi-aot's usage ("  sites    list ...").
cmds=$("${prog[vmi-aot]}" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
[ -n "$cmds" ] || { echo "check-man: no commands in \`vmi-aot --help\`"; status=1; }
for cmd in $cmds; do
    grep -q "^\.Cm $cmd\$" "$mandir/vmi-aot.1" ||
        { echo "check-man: $mandir/vmi-aot.1: does not document the command $cmd"; status=1; }
    check_usage "vmi-aot $cmd" "$mandir/vmi-aot.1" "${prog[vmi-aot]}" "$cmd" --help || status=1
done

# The check can fail: an option the page lacks is reported.
stub=$(mktemp); trap 'rm -f "$stub"' EXIT
printf '#!/bin/sh\necho "usage: vmi-gen [--check] [--frobnicate-sites N]"\n' >"$stub"; chmod +x "$stub"
if check_usage stub "$mandir/vmi-gen.1" "$stub" --help >/dev/null; then
    echo "check-man: an undocumented option (--frobnicate-sites) was not caught"; status=1
fi

[ "$status" -eq 0 ] && echo "check-man: $(ls "$mandir"/*.[1-8] | wc -l) pages lint clean; every usage option documented"
exit "$status"
