#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The mutation guard (docs/reliability.md §6): seeded mutants of every input kind, each run through
# every command that reads that kind.  A run fails on a crash or signal, a sanitizer report, a hang
# (MUT_TIMEOUT seconds), an exit status other than 0 (accepted) or 1 (refused), a refusal that is
# not exactly one non-empty line, an output file or a temporary left behind by a refusal, or a
# changed input; and an accepted ROM mutant must still behave as the original: the pv ROM passes
# vmi-selftest (real execution against the harness's model) and both pass test-rom-reloc.
#
# Usage: run.sh OUTDIR KIND...   KIND: rom (both ROMs, half each) elf specialized spec
# Environment (set by mk/hardening.mk): MUTATE AOT GEN PROBE SELFTEST RELOC PV_ROM NATIVE_ROM
# AOT_IMAGE (specialize's input) ELF_INPUTS SPEC_FILES LINUX_SPEC ROM_SPECS MUT_SEED MUT_COUNT MUT_TIMEOUT
# MUT_JOBS; for the Linux kinds PROF (vmi-prof) LOADER_PARSE (the loader's parsers, hosted)
# LINUX_MINIS (the synthetic kernels) LINUX_ROM_BASE LINUX_VMI_DIR MUT_COUNT_REAL (linux-real's
# mutants of the fixture vmlinux; the kind is skipped with one line without the fixtures).  Prints one line per kind and a total; exits 1 on any failure.
set -u
out=$1; shift
: "${MUT_SEED:=17}" "${MUT_COUNT:=300}" "${MUT_TIMEOUT:=20}" "${MUT_JOBS:=2}" "${MUT_COUNT_REAL:=6}"
: "${LINUX_ROM_BASE:?the Linux ROM base: set by make (mk/inliner.mk)}" "${LINUX_VMI_DIR:=}"
export ASAN_OPTIONS="exitcode=86:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="exitcode=86:halt_on_error=1:print_stacktrace=1"
rm -rf "$out"; mkdir -p "$out"

# check LABEL INPUT STYLE OUT -- CMD...: one run; STYLE "line" (refusal = one stderr line) or
# "findings" (check-rom: findings on stdout, a last line "IN: N findings"; or, for a file that is
# no VMI ROM at all, one line "vmi-aot check-rom: IN: not a VMI ROM: ..." alone) or "report" (verify:
# one named line per problem on stderr, as docs/aot.md documents). OUT: "" or the output
# path, which must not exist after a refusal.  Prints "FAIL ..." lines; returns 1 on failure.
check() {
    local label=$1 in=$2 style=$3 o=$4; shift 5
    local w=${in%/*} why="" rc
    shopt -s nullglob dotglob
    local before=("$w"/out/*)
    echo "$label" >> "$w/runs"
    timeout -k 2 "$MUT_TIMEOUT" $1 "${@:2}" >"$w/stdout" 2>"$w/stderr"
    rc=$?
    local err; mapfile -t err < "$w/stderr"
    if [[ $rc -eq 124 || $rc -eq 137 ]]; then why="hang (over ${MUT_TIMEOUT}s)"
    elif [[ "${err[*]}" =~ AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|"runtime error:" ]]; then
        why="sanitizer report: ${err[*]:0:3}"
    elif [[ $rc -ne 0 && $rc -ne 1 ]]; then why="exit status $rc (crash or unexpected)"
    elif ! cmp -s "$in" "$w/input.saved"; then why="the input changed"
    elif [[ $rc -eq 1 ]]; then
        local line
        if [[ $style == line ]]; then
            if [[ ${#err[@]} -ne 1 || -z ${err[0]// /} ]]; then
                why="refusal is ${#err[@]} lines, not one: ${err[*]:0:3}"
            fi
        elif [[ $style == report ]]; then
            # a checker's list of problems (verify): each line one problem, named, non-empty
            [[ ${#err[@]} -ge 1 ]] || why="refused without a problem line"
            for line in "${err[@]}"; do
                [[ $line =~ ^vmi-aot\ [a-z-]+:\ [^\ ].*[^\ :]$ || $line =~ ^[^\ ]+:[0-9]+:[0-9]+:\ [^\ ].*[^\ :]$ ]] \
                    || why="a problem line that is empty or unnamed: $line"
            done
        else
            local outl; mapfile -t outl < "$w/stdout"
            if [[ ${#err[@]} -eq 1 && ${#outl[@]} -eq 0 && ${err[0]} == "vmi-aot check-rom: $in: not a VMI ROM: "?* ]]; then
                :   # no VMI ROM at all: refused in one line, before any table
            elif [[ ${#err[@]} -ne 0 || ! ${outl[-1]:-} =~ :\ [1-9][0-9]*\ findings?$ ]]; then
                why="check-rom refused without its findings line"
            fi
            for line in "${outl[@]}"; do
                [[ $line == "$in:"* && $line =~ :[[:space:]]*$ ]] && why="an empty finding: $line"
            done
        fi
        if [[ -z $why && -n $o && -e $o ]]; then why="refused, but left $o behind"; fi
        local after=("$w"/out/*)
        if [[ -z $why && "${after[*]}" != "${before[*]}" ]]; then
            why="refused, but left files in its output directory: ${after[*]}"
        fi
    fi
    if [[ -n $why ]]; then
        echo "FAIL $label: $in: $* -> $why"
        local d=${w%/*}; cp "$in" "$out/failed-${d##*/}-${w##*/}-${in##*/}" 2>/dev/null
        return 1
    fi
    [[ $rc -eq 0 ]] && echo "$label accepted" >> "$w/accepted"
    return 0
}

# One mutant of one kind, in its own directory (the runs of a kind go in parallel).
one() {
    local kind=$1 m=$2 fails=0
    local w=${m%/*}
    mkdir -p "$w/out"
    cp "$m" "$w/input.saved"
    case $kind in
    rom)
        local flavor=rom-native
        [[ ${m##*/} == *-vmi-pv.rom ]] && flavor=rom-pv
        check check-rom "$m" findings "" -- "$AOT" check-rom "$m" || fails=1
        check rom-probe "$m" line "" -- "$PROBE" "$m" || fails=1
        check specialize "$m" line "$w/out/s.elf" -- "$AOT" specialize "$AOT_IMAGE" --rom "$m" \
            -o "$w/out/s.elf" || fails=1
        if [[ -e $w/out/s.elf ]]; then
            check verify "$m" report "" -- "$AOT" verify "$w/out/s.elf" --rom "$m" --orig "$AOT_IMAGE" || fails=1
            rm -f "$w/out/s.elf"
        fi
        if grep -q '^check-rom accepted' "$w/accepted" 2>/dev/null; then
            # accepted: it must behave as the original where the program is real
            if [[ $flavor == rom-pv ]]; then
                "$SELFTEST" "$m" >"$w/selftest" 2>&1 || { echo "FAIL behaviour: $m: check-rom accepts it but vmi-selftest fails: $(tail -n 2 "$w/selftest" | tr '\n' '|')"; fails=1; }
                "$RELOC" "$NATIVE_ROM" "$m" >"$w/reloc" 2>&1 || { echo "FAIL behaviour: $m: check-rom accepts it but test-rom-reloc fails: $(grep -m1 FAIL "$w/reloc")"; fails=1; }
            else
                "$RELOC" "$m" "$PV_ROM" >"$w/reloc" 2>&1 || { echo "FAIL behaviour: $m: check-rom accepts it but test-rom-reloc fails: $(grep -m1 FAIL "$w/reloc")"; fails=1; }
            fi
        fi
        ;;
    elf)
        check sites "$m" line "$w/out/sites.txt" -- "$AOT" sites "$m" -o "$w/out/sites.txt" || fails=1
        rm -f "$w/out/sites.txt"
        check specialize "$m" line "$w/out/s.elf" -- "$AOT" specialize "$m" --rom "$PV_ROM" -o "$w/out/s.elf" || fails=1
        if [[ -e $w/out/s.elf ]]; then      # the mutant as verify's original
            check verify-orig "$m" report "" -- "$AOT" verify "$w/out/s.elf" --rom "$PV_ROM" --orig "$m" || fails=1
            rm -f "$w/out/s.elf"
        fi
        ;;
    specialized)
        check verify "$m" report "" -- "$AOT" verify "$m" --rom "$PV_ROM" --orig "$AOT_IMAGE" || fails=1
        check sites "$m" line "$w/out/sites.txt" -- "$AOT" sites "$m" -o "$w/out/sites.txt" || fails=1
        rm -f "$w/out/sites.txt"
        ;;
    linux|linux-real)
        # every reader of a vmlinux; the input's directory says what it was made from (make_kind)
        local d=${w%/*} orig
        orig=$(<"$d/orig")
        check sites "$m" line "$w/out/sites.txt" -- "$AOT" sites "$m" -o "$w/out/sites.txt" || fails=1
        rm -f "$w/out/sites.txt"
        check sites-json "$m" line "$w/out/sites.json" -- "$AOT" sites --json "$m" -o "$w/out/sites.json" || fails=1
        rm -f "$w/out/sites.json"
        check specialize "$m" line "$w/out/s.elf" -- "$AOT" specialize "$m" --rom "$NATIVE_ROM" \
            --rom-base "$LINUX_ROM_BASE" -o "$w/out/s.elf" || fails=1
        if [[ -e $w/out/s.elf ]]; then      # the mutant as verify's original
            check verify-orig "$m" report "" -- "$AOT" verify "$w/out/s.elf" --rom "$NATIVE_ROM" --orig "$m" || fails=1
            rm -f "$w/out/s.elf"
        fi
        if [[ -e $d/specialized ]]; then    # a mutant of a specialized kernel, against its original
            check verify "$m" report "" -- "$AOT" verify "$m" --rom "$NATIVE_ROM" --orig "$orig" || fails=1
        fi
        check prof-sites "$m" line "" -- "$PROF" --sites "$d/profile" --image "$m" --top 3 || fails=1
        check loader-parse "$m" line "" -- "$LOADER_PARSE" "$m" || fails=1
        ;;
    spec)
        # the mutant replaces one spec file; its name says which (NNNN-FILE.vmi)
        local base=${m##*/}; base=${base#*-}
        local abi=() f rp=spec/rom-pv.vmi rn=spec/rom-native.vmi lx=$LINUX_SPEC
        for f in $SPEC_FILES; do [[ ${f##*/} == "$base" ]] && abi+=("$m") || abi+=("$f"); done
        [[ $base == rom-pv.vmi ]] && rp=$m
        [[ $base == rom-native.vmi ]] && rn=$m
        [[ $base == "${LINUX_SPEC##*/}" ]] && lx=$m
        # with the Linux profile, --check lists every rule a flavor breaks: one named line each
        check gen-check "$m" report "" -- "$GEN" --check "${abi[@]}" "$lx" "$rp" "$rn" || fails=1
        check gen-linux-header "$m" line "$w/out/l.h" -- "$GEN" --linux-header "$w/out/l.h" \
            "${abi[@]}" "$lx" || fails=1
        rm -f "$w/out/l.h"
        if [[ $base != rom-*.vmi && $base != "${LINUX_SPEC##*/}" ]]; then
            check gen-header "$m" line "$w/out/h.h" -- "$GEN" --header "$w/out/h.h" \
                --glue "$w/out/g.h" "${abi[@]}" || fails=1
            rm -f "$w/out/h.h" "$w/out/g.h"
        fi
        check gen-rom-pv "$m" line "$w/out/r.s" -- "$GEN" --rom "pv=$w/out/r.s" "${abi[@]}" "$rp" || fails=1
        rm -f "$w/out/r.s"
        check gen-rom-native "$m" line "$w/out/r.s" -- "$GEN" --rom "native=$w/out/r.s" "${abi[@]}" "$rn" || fails=1
        rm -f "$w/out/r.s"
        ;;
    esac
    return $fails
}
export -f one check
export out MUT_TIMEOUT AOT PROF LOADER_PARSE NATIVE_ROM LINUX_ROM_BASE

# The mutants of one kind: COUNT spread over its inputs.
# The Linux kinds' inputs: each kernel, and (synthetic kernels) the kernel specialized for the
# native ROM; each input directory keeps the unspecialized original and a profile of three of its
# sites (vmi-prof --sites).
linux_inputs() {
    local n=${#inputs[@]} i src sp
    for ((i = 0; i < n; i++)); do
        src=${inputs[$i]}
        mkdir -p "$out/$kind/$i"; echo "$src" > "$out/$kind/$i/orig"
        if [[ $kind == linux ]]; then
            sp="$out/$kind/specialized-${src##*/}"
            "$AOT" specialize "$src" --rom "$NATIVE_ROM" --rom-base "$LINUX_ROM_BASE" -o "$sp" >/dev/null || return 1
            inputs+=("$sp"); mkdir -p "$out/$kind/$((n + i))"
            echo "$src" > "$out/$kind/$((n + i))/orig"; : > "$out/$kind/$((n + i))/specialized"
        fi
    done
    for i in "${!inputs[@]}"; do
        "$AOT" sites "$(<"$out/$kind/$i/orig")" | awk '/^0x/ && n < 3 { n++; print "site addr=" $1 " count=" n * 100 }' \
            > "$out/$kind/$i/profile" || return 1
        [[ -s $out/$kind/$i/profile ]] || return 1
    done
}

make_kind() {
    local kind=$1 inputs=() mkind count=$MUT_COUNT
    case $kind in
    rom) inputs=("$PV_ROM" "$NATIVE_ROM"); mkind=rom ;;
    elf) read -r -a inputs <<<"$ELF_INPUTS"; mkind=elf ;;
    specialized) "$AOT" specialize "$AOT_IMAGE" --rom "$PV_ROM" -o "$out/specialized.elf" >/dev/null || return 1
                 inputs=("$out/specialized.elf"); mkind=elf ;;
    spec) read -r -a inputs <<<"$SPEC_FILES $LINUX_SPEC $ROM_SPECS"; mkind=text ;;
    linux) read -r -a inputs <<<"$LINUX_MINIS"; mkind=linux ;;
    linux-real) [[ -e $LINUX_VMI_DIR/vmlinux ]] || return 2
                inputs=("$LINUX_VMI_DIR/vmlinux"); mkind=linux; count=$MUT_COUNT_REAL ;;
    esac
    if [[ $kind == linux* ]]; then linux_inputs || return 1; fi
    local per=$(( (count + ${#inputs[@]} - 1) / ${#inputs[@]} )) k=0 i
    for i in "${!inputs[@]}"; do
        local src=${inputs[$i]} d="$out/$kind/$i"
        mkdir -p "$d/new"
        "$MUTATE" "$mkind" "$((MUT_SEED * 131 + i))" "$per" "$src" "$d/new" || return 1
        for f in "$d"/new/*; do
            local nm=${f##*/}
            [[ $kind == spec || $kind == rom ]] && nm="${nm%%.*}-${src##*/}"
            mkdir -p "$d/m$k"; mv "$f" "$d/m$k/$nm"; k=$((k + 1))
        done
    done
}

total=0 failed=0 allruns=0 start=$SECONDS
for kind in "$@"; do
    t0=$SECONDS
    make_kind "$kind"; rc=$?
    if [[ $rc -eq 2 ]]; then echo "mutation guard: $kind: skipped: no Linux fixtures in $LINUX_VMI_DIR"; continue; fi
    [[ $rc -eq 0 ]] || { echo "FAIL $kind: cannot make the mutants"; failed=$((failed + 1)); continue; }
    mapfile -t ms < <(find "$out/$kind" -mindepth 3 -type f -path '*/m[0-9]*/*' ! -name '*.saved' | sort)
    log="$out/$kind.log"
    printf '%s\n' "${ms[@]}" | xargs -P "$MUT_JOBS" -I{} bash -c 'one "$0" "$1"' "$kind" {} > "$log" 2>&1
    nf=$(grep -c '^FAIL' "$log")
    acc=$(cat "$out/$kind"/*/m*/accepted 2>/dev/null | sort | uniq -c | awk '{printf "%s%s %s", (NR>1?", ":""), $2, $1}')
    runs=$(cat "$out/$kind"/*/m*/runs 2>/dev/null | wc -l)
    echo "mutation guard: $kind: ${#ms[@]} mutants, $runs runs, $nf failures, accepted: ${acc:-none} ($((SECONDS - t0)) s)"
    grep '^FAIL' "$log" | head -n 10
    # the fixture's mutants are 17-20 MB each: only the failed ones are kept (as failed-*)
    [[ $kind == linux-real ]] && find "$out/$kind" -type f -size +1M -delete
    total=$((total + ${#ms[@]})); failed=$((failed + nf)); allruns=$((allruns + runs))
done
echo "mutation guard: $total mutants (seed $MUT_SEED), $allruns runs, $failed failures, $((SECONDS - start)) s"
[[ $failed -eq 0 ]]
