#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# check-completion: sources each bash completion script in completion/ and calls its function
# with COMP_WORDS as bash would give them, comparing COMPREPLY (sorted, duplicates dropped) with
# what the user should be offered; and the options each script offers include every long option
# the program's usage names, so an option added without its completion fails (the check shows
# it can fail with a stand-in program).
#   usage: check-completion.sh COMPLETION-DIR vmi-gen=PATH vmi-aot=PATH vmi-prof=PATH
set -u
export LC_ALL=C                         # one sort order for the expected replies
compdir=$(cd "$1" && pwd); shift
declare -A prog
for a in "$@"; do p=${a#*=}; [[ $p == /* ]] || p=$PWD/$p; prog[${a%%=*}]=$p; done
failed=0
cases=0

for f in vmi-aot vmi-gen vmi-prof; do
    # shellcheck source=/dev/null
    source "$compdir/$f" || { echo "check-completion: $compdir/$f: does not source"; exit 1; }
    complete -p "$f" >/dev/null 2>&1 || { echo "check-completion: $f: no complete -F"; failed=1; }
done

# reply FUNC WORD...: the sorted replies of FUNC for the command line WORD... (the last word is
# the one being completed; "" for an empty one).
reply() {
    local func=$1; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
    "$func"
    printf '%s\n' "${COMPREPLY[@]}" | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# expect FUNC 'WORDS' 'REPLIES': WORDS split at blanks ('' stands for the empty word).
expect() {
    local func=$1 want=$3 got words=()
    read -r -a words <<<"$2"
    for i in "${!words[@]}"; do [[ ${words[i]} == "''" ]] && words[i]=; done
    got=$(reply "$func" "${words[@]}")
    cases=$((cases + 1))
    if [[ $got != "$want" ]]; then
        echo "check-completion: $2<TAB>: got '$got', expected '$want'"; failed=1
    fi
}

# missing FUNC 'WORDS' PROG ARGS...: the long options PROG ARGS --help names that FUNC does not
# offer after WORDS (--opt is the usage's word for any option, as in --opt=VALUE).
missing() {
    local func=$1 words=$2 offered; shift 2
    read -r -a w <<<"$words"
    offered=" $(reply "$func" "${w[@]}" --) "
    "$@" --help 2>&1 | grep -o -- '--[a-z][a-z0-9-]*' | sort -u | grep -vx -- --opt |
        while read -r opt; do [[ $offered == *" $opt "* ]] || echo "$opt"; done
}

# coverage FUNC 'WORDS' PROG ARGS...: fails (and says so) when missing finds an option.
coverage() {
    local m
    m=$(missing "$@" | tr '\n' ' ')
    cases=$((cases + 1))
    [[ -z $m ]] || { echo "check-completion: \`$2 --<TAB>\` lacks ${m}(from its --help)"; failed=1; }
}

dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
cd "$dir" && mkdir sub && touch a.rom b.elf vmlinux abi.vmi x.h x.s r.json c.svg c.png

expect _vmi_aot "vmi-aot spe"                              "specialize"
expect _vmi_aot "vmi-aot ''"                               "--help --version check-rom help sites specialize verify"
expect _vmi_aot "vmi-aot specialize --pol"                 "--policy"
expect _vmi_aot "vmi-aot specialize --policy ''"           "auto call-only inline-only native-only"
expect _vmi_aot "vmi-aot specialize b.elf --policy = n"    "native-only"
expect _vmi_aot "vmi-aot specialize b.elf --rom ''"        "a.rom sub"
expect _vmi_aot "vmi-aot specialize b.elf --report ''"     "r.json sub"
expect _vmi_aot "vmi-aot check-rom ''"                     "a.rom sub"
expect _vmi_aot "vmi-aot check-rom --flavor ''"            "native pv"
expect _vmi_aot "vmi-aot sites --j"                        "--json"
expect _vmi_aot "vmi-aot verify --o"                       "--orig"
expect _vmi_gen "vmi-gen --su"                             "--summary"
expect _vmi_gen "vmi-gen --rom ''"                         "native= pv="
expect _vmi_gen "vmi-gen --rom pv = ''"                    "sub x.s"
expect _vmi_gen "vmi-gen --rom = pv = ''"                  "sub x.s"
expect _vmi_gen "vmi-gen --header ''"                      "sub x.h"
expect _vmi_gen "vmi-gen --check ''"                       "abi.vmi sub"
expect _vmi_prof "vmi-prof --guest-c"                      "--guest-clock"
expect _vmi_prof "vmi-prof --guest-clock ''"               "host icount"
expect _vmi_prof "vmi-prof --sites x --policy ''"          "auto call-only inline-only native-only"
expect _vmi_prof "vmi-prof --rom ''"                       "a.rom sub"
expect _vmi_prof "vmi-prof --chart ''"                     "c.png c.svg sub"
expect _vmi_prof "vmi-prof --sites x --image ''"           "b.elf sub vmlinux"
expect _vmi_prof "vmi-prof --json = ''"                    "r.json sub"
expect _vmi_prof "vmi-prof --measure L -- bas"             "$(compgen -c -- bas | sort -u | tr '\n' ' ' | sed 's/ $//')"

coverage _vmi_gen "vmi-gen" "${prog[vmi-gen]}"
coverage _vmi_prof "vmi-prof" "${prog[vmi-prof]}"
for cmd in $("${prog[vmi-aot]}" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p'); do
    coverage _vmi_aot "vmi-aot $cmd" "${prog[vmi-aot]}" "$cmd"
done

# The coverage check can fail: a usage naming an option no script offers is caught.
printf '#!/bin/sh\necho "usage: vmi-gen [--check] [--frobnicate-sites N]"\n' >stub; chmod +x stub
saved=$failed; failed=0
coverage _vmi_gen "vmi-gen" ./stub >/dev/null
if [[ $failed -eq 0 ]]; then
    echo "check-completion: an option without completion (--frobnicate-sites) was not caught"; saved=1
fi
failed=$saved

[[ $failed -eq 0 ]] && echo "check-completion: $cases cases pass"
exit "$failed"
