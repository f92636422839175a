#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs every example in README.md and docs/*.md, so that a documented command that stops working
# fails `make check`.  The conventions, for whoever writes a document:
#
# An example is a fenced block opened by ```console.  In it, a line "$ COMMAND" (continued by a
# trailing backslash) is run by bash in a scratch directory that holds symbolic links to the
# checkout's build/, spec/, include/, tests/, docs/, man/ and completion/, shared by every
# example of one document; the lines after it, up to the next "$ " line, are its expected output
# (stdout and stderr together).  Expected lines match in order, each against one output line
# (a trailing CR dropped): "..." alone skips any number of lines, "..." inside a line matches any
# text, and the last line "[exit N]" expects exit status N (otherwise the command must succeed).  With no expected lines only the status counts.
# "$ make TARGET..." is not run (make check is already running): make -n must know the targets.
# "```console linux" blocks need the Linux fixtures (linked as linux-vmi/ in the scratch directory;
# $LINUX_VMI_DIR is exported as their absolute path) and are skipped without them.
#
# A command shown anywhere else (an indented block or a plain ``` fence whose line starts with
# "$ ", build/bin/, vmi-*, make, bash, qemu-system-..., or another program of $command_re; a line
# of prose starting with "$ " or build/bin/) is an error: it would not be tested.  Usage synopses,
# and commands that need what the build does not provide (AFL++), belong in a ```synopsis block,
# which is not run; any other fenced language (```c, ```json, ...) is not looked at.
#
# Usage: examples.sh TOP LINUX_VMI_DIR FILE...   prints one line per failure and a summary.
set -u
top=$(cd "$1" && pwd); linux=$2; shift 2
failures=0 ran=0 skipped=0 checked=0
if [ -d "$linux" ]; then LINUX_VMI_DIR=$(cd "$linux" && pwd); export LINUX_VMI_DIR; fi

fail() { echo "$1: $2"; failures=$((failures + 1)); }

# What a displayed command starts with: a prompt, a program of the build or one a reader would run.
command_re='(\$ |build/(bin|libexec|fuzz)/|vmi-(gen|aot|prof|selftest) |make |bash |sh |qemu-system-|afl-|valgrind |callgrind_annotate |python3 |(cc|gcc|clang) |pkg-config |man )'
# A program's message quoted in a doc ("vmi-aot verify: FILE: ...") is output, not a command.
message_re='^[[:space:]]*vmi-[a-z]+( [a-z-]+)?: '
untested() {
    [[ $3 =~ $message_re ]] && return
    fail "$1:$2" "a command outside a \`\`\`console block (it would not be tested): ${3#"${3%%[! ]*}"}"
}

# The glob pattern for one expected line: glob characters quoted, "..." as "*".
pattern_of() {
    local s=$1 out="" c
    while [ -n "$s" ]; do
        if [ "${s:0:3}" = "..." ]; then out+="*"; s=${s:3}; continue; fi
        c=${s:0:1}; s=${s:1}
        case $c in
            '*'|'?'|'['|']'|'\') out+="\\$c" ;;
            *) out+=$c ;;
        esac
    done
    printf '%s' "$out"
}

# match OUTFILE EXPFILE: 0 when the output lines match the expected lines.
match() {
    local -a got want
    mapfile -t got < "$1"; mapfile -t want < "$2"
    # a serial console's lines end in CR LF; a terminal shows no CR
    got=("${got[@]%$'\r'}")
    local g=0 w=0 skip=0
    while [ $w -lt ${#want[@]} ]; do
        if [ "${want[$w]}" = "..." ]; then skip=1; w=$((w + 1)); continue; fi
        local p; p=$(pattern_of "${want[$w]}")
        while [ $g -lt ${#got[@]} ]; do
            # shellcheck disable=SC2053
            if [[ ${got[$g]} == $p ]]; then break; fi
            [ $skip -eq 1 ] || { echo "expected: ${want[$w]}"; echo "got:      ${got[$g]}"; return 1; }
            g=$((g + 1))
        done
        [ $g -lt ${#got[@]} ] || { echo "expected: ${want[$w]}"; echo "got:      (end of output)"; return 1; }
        g=$((g + 1)); w=$((w + 1)); skip=0
    done
    [ $skip -eq 1 ] || [ $g -eq ${#got[@]} ] || { echo "unexpected: ${got[$g]}"; return 1; }
}

# run_one DOC LINE CMD EXPFILE SCRATCH
run_one() {
    local doc=$1 line=$2 cmd=$3 exp=$4 dir=$5 want_rc=0 rc
    if [ -s "$exp" ] && [[ $(tail -n 1 "$exp") =~ ^\[exit\ ([0-9]+)\]$ ]]; then
        want_rc=${BASH_REMATCH[1]}
        sed -i '$d' "$exp"
    fi
    if [[ $cmd =~ ^make\ (.*)$ ]]; then
        # shellcheck disable=SC2086
        make -C "$top" -n ${BASH_REMATCH[1]} >/dev/null 2>&1 || fail "$doc:$line" "make does not know: $cmd"
        checked=$((checked + 1))
        return
    fi
    (cd "$dir" && timeout 300 bash -c "$cmd") > "$dir/.out" 2>&1 < /dev/null
    rc=$?
    ran=$((ran + 1))
    if [ $rc -ne "$want_rc" ]; then
        fail "$doc:$line" "exit $rc, expected $want_rc: $cmd"
        sed 's/^/    /' "$dir/.out" | tail -n 5
    elif [ -s "$exp" ] && ! match "$dir/.out" "$exp" > "$dir/.why"; then
        fail "$doc:$line" "output differs: $cmd"
        sed 's/^/    /' "$dir/.why"
    fi
}

scratch_for() {
    local dir; dir=$(mktemp -d)
    for d in build spec include tests docs man completion; do ln -s "$top/$d" "$dir/$d"; done
    [ -d "$linux" ] && ln -s "$(cd "$linux" && pwd)" "$dir/linux-vmi"
    printf '%s' "$dir"
}

# run_doc FILE: the examples of one document, in order, in one scratch directory.
run_doc() {
    local doc=$1 dir n=0 in=0 kind="" cmd="" cmdline=0 exp raw cont=0
    dir=$(scratch_for); exp="$dir/.exp"; : > "$exp"
    flush() {
        if [ -n "$cmd" ]; then
            if [ "$kind" = linux ] && [ ! -d "$linux" ]; then skipped=$((skipped + 1))
            else run_one "$doc" "$cmdline" "$cmd" "$exp" "$dir"; fi
        fi
        cmd=""; : > "$exp"
    }
    while IFS= read -r raw || [ -n "$raw" ]; do
        n=$((n + 1))
        if [ $in -eq 0 ]; then
            if [[ $raw =~ ^\`\`\`console(\ (linux))?$ ]]; then in=1; kind=${BASH_REMATCH[2]}; continue; fi
            if [[ $raw =~ ^\`\`\`(sh|bash|shell|console.*)$ ]]; then
                fail "$doc:$n" "a \`\`\`${BASH_REMATCH[1]} block: use \`\`\`console (run) or \`\`\`synopsis"
                in=2; continue
            fi
            if [[ $raw =~ ^\`\`\`$ ]]; then in=3; continue; fi
            if [[ $raw =~ ^\`\`\` ]]; then in=2; continue; fi
            if [[ $raw =~ ^(\ {4}|\	)\ *$command_re ]] || [[ $raw =~ ^(\$\ |build/bin/) ]]; then
                untested "$doc" "$n" "$raw"
            fi
            continue
        fi
        if [[ $raw =~ ^\`\`\`$ ]]; then
            [ $in -eq 1 ] && flush
            in=0; continue
        fi
        [ $in -eq 2 ] && continue
        # a plain fence shows output or text: a command in it would not be run
        if [ $in -eq 3 ]; then
            [[ $raw =~ ^\ *$command_re ]] && untested "$doc" "$n" "$raw"
            continue
        fi
        if [ $cont -eq 1 ]; then
            cmd+=$'\n'"$raw"; [[ $raw == *\\ ]] || cont=0; continue
        fi
        if [[ $raw == '$ '* ]]; then
            flush
            cmd=${raw:2}; cmdline=$n
            [[ $raw == *\\ ]] && cont=1
            continue
        fi
        [ -n "$cmd" ] && printf '%s\n' "$raw" >> "$exp"
    done < "$doc"
    [ $in -eq 0 ] || fail "$doc:$n" "a \`\`\` block is not closed"
    rm -rf "$dir"
}

for f in "$@"; do run_doc "$f"; done
echo "doc-examples: $ran commands run, $checked make lines checked, $skipped skipped (no Linux fixtures), $failures failed"
[ $failures -eq 0 ]
