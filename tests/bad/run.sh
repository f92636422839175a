#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The bad-input corpus runner.  Usage:
#   run.sh CORPUS_DIR CORRUPT [NAME=PATH]...
# CORPUS_DIR/cases lists the cases; CORPUS_DIR/NAME.err holds each case's expected error line.
# NAME=PATH arguments name the tools (vmi-aot=build/bin/vmi-aot) and the real inputs the cases
# start from (image-gcc=build/tests/aot/image-gcc.elf); CORRUPT is tests/bad/corrupt.c built.
#
# The cases file:
#   %cmd TOOL ARGS...   the command; @IN@ is the case's input, @OUT@ an output that must not appear
#   %also TOOL ARGS...  a second command each case is given to: it must exit with the same status,
#                       not crash, and leave the same traces (none); its messages are not compared
#   %exit N             the exit status every case expects (default 1)
#   %ext EXT            the input's file name is NAME.EXT (default "in")
#   %mode cli           each case line is NAME EXIT TOOL ARGS... (the command-line corpus), run in
#                       an empty scratch directory in which nothing may appear (but the files
#                       NAME.left lists, one a line); @ROOT@ is the source tree, @NAME@ a path
#                       given on the command line.  NAME.err holds the first lines of stderr (so
#                       an error line and the usage line after it); NAME.out, when present, the
#                       first lines of stdout.  Either file empty: that stream must be empty; a
#                       last line "$": nothing may follow the lines before it.  @VERSION@ in an
#                       expected line is VMI_VERSION (include/vmi_version.h).
#   NAME BASE [OP ARGS... [: OP ARGS...]...]
#                       the input is BASE, a real input named on the command line, or a built-in:
#                       @empty @text @dir @missing @arm @x86-64-obj @x86-64-exe @i386-obj
#                       @stripped:BASE @nosites:BASE; then corrupt's operations are applied.
# For every case: the exit status, stderr exactly the one expected line (the file named as the
# tool was given it: a relative NAME.EXT), no output file and no other file left behind, the input
# unchanged, and no crash.  An expected line that starts with "~ " is a bash pattern (for a
# message that holds a process id); every other line is compared exactly.  BAD_UPDATE=1 rewrites the .err files from what the tools print
# (review the diff before committing).
set -u
dir=$1; corrupt=$2; shift 2
declare -A map
for a in "$@"; do map[${a%%=*}]=${a#*=}; done
cases=$dir/cases
[ -f "$cases" ] || { echo "run.sh: $cases: no such file" >&2; exit 2; }
corpus=$(basename "$dir")
work=$(mktemp -d "${TMPDIR:-/tmp}/bad-$corpus.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
passed=0; failed=0; total=0
fail() { failed=$((failed + 1)); echo "FAIL $corpus/$name: $*"; }
resolve() {     # a tool or base name -> path
    local p=${map[$1]:-}
    [ -n "$p" ] || { echo "run.sh: $cases: '$1' is not given on the command line" >&2; exit 2; }
    case $p in /*) echo "$p" ;; *) echo "$PWD/$p" ;; esac
}

# Makes the base input $1 as file $2 (absent for @missing, a directory for @dir).
make_base() {
    local base=$1 out=$2 src
    case $base in
    @empty)   : > "$out" ;;
    @text)    printf 'this is not a binary image\n' > "$out" ;;
    @dir)     mkdir "$out" ;;
    @missing) ;;
    @arm)     "$corrupt" --arm "$out" ;;
    @x86-64-obj|@x86-64-exe|@i386-obj)
        printf 'int answer(void) { return 42; }\nint main(void) { return answer(); }\n' > "$work/foreign.c"
        case $base in
        @x86-64-obj) gcc -c "$work/foreign.c" -o "$out" ;;
        @x86-64-exe) gcc "$work/foreign.c" -o "$out" ;;
        @i386-obj)   gcc -m32 -c "$work/foreign.c" -o "$out" ;;
        esac ;;
    @stripped:*) src=$(resolve "${base#@stripped:}") && strip --strip-all "$src" -o "$out" ;;
    @nosites:*)  src=$(resolve "${base#@nosites:}") && objcopy --remove-section=vmi_sites "$src" "$out" ;;
    *)           src=$(resolve "$base") && cp "$src" "$out" ;;
    esac
}

# The cli corpus's expected lines: @VERSION@ is the project's version.
version=$(sed -n 's/^#define VMI_VERSION "\(.*\)"$/\1/p' include/vmi_version.h)
# streams_differ EXPECTED GOT WHAT: succeeds when GOT's first lines are EXPECTED's (see %mode cli),
# else prints what differs and fails.
streams_differ() {
    local want=$1 got=$2 what=$3 i=0 line exact=0 n
    [ -s "$want" ] || { [ -s "$got" ] && { echo "$what is not empty: $(head -2 "$got" | tr '\n' ' ')"; return 1; }; return 0; }
    [ "$(tail -1 "$want")" = '$' ] && exact=1
    n=$(grep -vc '^\$$' "$want")
    while IFS= read -r line; do
        [ "$line" = '$' ] && break
        i=$((i + 1))
        line=${line//@VERSION@/$version}
        local have; have=$(sed -n "${i}p" "$got")
        if [ "${line:0:2}" = "~ " ]; then [[ $have == ${line:2} ]]; else [ "$have" = "$line" ]; fi \
            || { echo "$what line $i differs: expected '$line', got '$have'"; return 1; }
    done < "$want"
    if [ $exact = 1 ] && [ "$(wc -l < "$got")" -ne "$n" ]; then
        echo "$what has $(wc -l < "$got") lines, not $n: $(sed -n "$((n + 1))p" "$got")"; return 1
    fi
    return 0
}

cmd=(); also=(); want_exit=1; ext=in; mode=files
while read -r name rest; do
    case $name in
    ''|'#'*) continue ;;
    %cmd)  read -r -a cmd <<< "$rest"; continue ;;
    %also) read -r -a also <<< "$rest"; continue ;;
    %exit) want_exit=$rest; continue ;;
    %ext)  ext=$rest; continue ;;
    %mode) mode=$rest; continue ;;
    esac
    total=$((total + 1))
    errf=$dir/$name.err
    [ -f "$errf" ] || [ "${BAD_UPDATE:-}" = 1 ] || { fail "no $name.err"; continue; }
    cdir=$work/$name; mkdir -p "$cdir/run"
    read -r -a words <<< "$rest"
    if [ "$mode" = cli ]; then
        want=${words[0]}; tool=$(resolve "${words[1]}") || exit 2
        args=("${words[@]:2}")
        argv=("$tool")
        for w in "${args[@]}"; do
            w=${w//@ROOT@/$PWD}
            while [[ $w =~ @([a-z0-9-]+)@ ]]; do w=${w//${BASH_REMATCH[0]}/$(resolve "${BASH_REMATCH[1]}")}; done
            argv+=("$w")
        done
        (cd "$cdir/run" && exec "${argv[@]}") > "$cdir/stdout" 2> "$cdir/stderr" < /dev/null
        rc=$?
        got=$(head -1 "$cdir/stderr")
        left=$(LC_ALL=C comm -23 <(ls -A "$cdir/run" | LC_ALL=C sort) \
                                 <(LC_ALL=C sort "$dir/$name.left" 2>/dev/null))
        cli_why=
        if [ -f "$dir/$name.left" ] && [ -z "$left" ] && \
           [ "$(ls -A "$cdir/run" | LC_ALL=C sort)" != "$(LC_ALL=C sort "$dir/$name.left")" ]; then
            cli_why="the files left are not $(tr '\n' ' ' < "$dir/$name.left")"
        elif [ -f "$errf" ] && ! cli_why=$(streams_differ "$errf" "$cdir/stderr" stderr); then
            :
        elif [ -f "$dir/$name.out" ] && ! cli_why=$(streams_differ "$dir/$name.out" "$cdir/stdout" stdout); then
            :
        fi
        [ "${BAD_UPDATE:-}" = 1 ] && cli_why=
    else
        want=$want_exit
        base=${words[0]}; ops=("${words[@]:1}")
        in=$name.$ext
        make_base "$base" "$cdir/run/$in" || { fail "cannot make the base input $base"; continue; }
        if [ ${#ops[@]} -gt 0 ]; then
            "$corrupt" "$cdir/run/$in" "$cdir/run/$in" "${ops[@]}" || { fail "corrupt ${ops[*]} failed"; continue; }
        fi
        [ -f "$cdir/run/$in" ] && cp -p "$cdir/run/$in" "$cdir/orig"
        [ -f "$cdir/run/$in" ] && chmod a-w "$cdir/run/$in"
        before=$(ls -A "$cdir/run")
        tool=$(resolve "${cmd[0]}") || exit 2
        argv=("$tool")
        for w in "${cmd[@]:1}"; do w=${w//@IN@/$in}; argv+=("${w//@OUT@/$name.out}"); done
        (cd "$cdir/run" && exec "${argv[@]}") > "$cdir/stdout" 2> "$cdir/stderr" < /dev/null
        rc=$?
        got=$(cat "$cdir/stderr")
        left=$(comm -13 <(echo "$before") <(ls -A "$cdir/run"))
        if [ ${#also[@]} -gt 0 ]; then
            tool2=$(resolve "${also[0]}") || exit 2
            argv=("$tool2")
            for w in "${also[@]:1}"; do w=${w//@IN@/$in}; argv+=("${w//@OUT@/$name.out}"); done
            (cd "$cdir/run" && exec "${argv[@]}") > "$cdir/stdout2" 2> "$cdir/stderr2" < /dev/null
            rc2=$?
            left="$left$(comm -13 <(echo "$before") <(ls -A "$cdir/run"))"
            if [ $rc2 -ge 128 ]; then
                fail "${also[0]} crashed (signal $((rc2 - 128))): $(tail -3 "$cdir/stderr2" | tr '\n' ' ')"; continue
            elif [ "$rc2" != "$want" ]; then
                fail "${also[0]} exit $rc2, expected $want: $(grep -v 'findings*$' "$cdir/stderr2" | head -2 | tr '\n' ' ')"; continue
            fi
        fi
        if [ -f "$cdir/orig" ] && ! cmp -s "$cdir/orig" "$cdir/run/$in"; then
            fail "the input was changed"; continue
        fi
    fi
    if [ "${BAD_UPDATE:-}" = 1 ] && ! grep -q '^~ ' "$errf" 2>/dev/null && \
       [ "$(wc -l < "$errf" 2>/dev/null || echo 0)" -le 1 ] && [ -s "$cdir/stderr" ]; then
        head -1 "$cdir/stderr" > "$errf"
    fi
    expect=$(cat "$errf")
    if [ $rc -ge 128 ]; then
        fail "crashed (signal $((rc - 128))): $(tail -3 "$cdir/stderr" | tr '\n' ' ')"
    elif [ "$rc" != "$want" ]; then
        fail "exit $rc, expected $want; stderr: $(head -3 "$cdir/stderr" | tr '\n' ' ')"
    elif [ "$mode" = cli ] && [ -n "$cli_why" ]; then
        fail "$cli_why"
    elif [ "$mode" != cli ] && if [ "${expect:0:2}" = "~ " ]; then [[ $got != ${expect:2} ]]; else [ "$got" != "$expect" ]; fi; then
        fail "error differs:"; echo "  expected: $expect"; echo "  got:      $got"
    elif [ "$mode" != cli ] && [ "$(wc -l < "$cdir/stderr")" -ne 1 ]; then
        fail "stderr is not one line"
    elif [ -n "$left" ]; then
        fail "left behind: $left"
    else
        passed=$((passed + 1))
    fi
done < "$cases"
echo "bad-$corpus: $passed of $total cases rejected as expected, $failed failed"
[ $failed -eq 0 ] && [ $total -gt 0 ]
