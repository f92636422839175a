#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The generator at work: check the spec, regenerate the bindings, show the ABI and one site.
# Usage: demo-gen.sh VMI_GEN OUTDIR SPEC...
set -euo pipefail
gen=$1; out=$2; shift 2
mkdir -p "$out"

echo "== vmi-gen --check $*"
"$gen" --check "$@" && echo "spec is consistent"
echo
echo "== regenerating the bindings into $out"
"$gen" --header "$out/vmi_abi.h" --glue "$out/vmi_glue.h" "$@"
printf '%-28s %6s lines\n' "$out/vmi_abi.h" "$(wc -l < "$out/vmi_abi.h")" \
                           "$out/vmi_glue.h" "$(wc -l < "$out/vmi_glue.h")"
if cmp -s "$out/vmi_abi.h" include/vmi_abi.h; then
    echo "include/vmi_abi.h (committed) is identical to the regenerated header"
else
    echo "include/vmi_abi.h differs from the spec: run make and commit it"
fi
echo
echo "== the VMI API 3.0 call table"
"$gen" --check --summary "$@"
echo
echo "== one call site: vmi_SetPxE(pte, ptr, flags) compiled by gcc -m32 -O2"
cat > "$out/site.c" <<'C'
#include "vmi_glue.h"
void set_pte(uint32_t *ptep, uint32_t pte) { vmi_SetPxE(pte, ptep, VMI_PAGE_PT); }
C
cc -m32 -O2 -I include -I "$out" -c "$out/site.c" -o "$out/site.o"
objdump -d --no-show-raw-insn "$out/site.o" | sed -n '/<set_pte>:/,$p'
echo
echo "== its record in section vmi_sites (offset, call, len, clobbers, flags, constant)"
objdump -s -j vmi_sites "$out/site.o" | tail -n +5
