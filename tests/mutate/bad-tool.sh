#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A stand-in for vmi-aot that misbehaves as BAD_MODE says, so that check-mutation-guard-fails can
# show the guard fails on each kind of misbehaviour (a guard that cannot fail proves nothing).
# It misbehaves on every input it is given.
in=$2
out=""
for ((i = 1; i <= $#; i++)); do [[ ${!i} == -o ]] && { j=$((i + 1)); out=${!j}; }; done
case $BAD_MODE in
two-lines)    echo "vmi-aot sites: $in: first line" >&2; echo "second line" >&2; exit 1 ;;
empty)        echo "" >&2; exit 1 ;;
crash)        kill -SEGV $$ ;;
sanitizer)    echo "==1==ERROR: AddressSanitizer: heap-buffer-overflow" >&2; exit 1 ;;
hang)         sleep 30 ;;
leave-output) [[ -n $out ]] && echo partial > "$out"; echo "vmi-aot sites: $in: refused" >&2; exit 1 ;;
temp-file)    [[ -n $out ]] && : > "${out%/*}/.tmp-left"; echo "vmi-aot sites: $in: refused" >&2; exit 1 ;;
accept-all)   exit 0 ;;
change-input) printf 'x' >> "$in"; echo "vmi-aot sites: $in: refused" >&2; exit 1 ;;
esac
exit 0
