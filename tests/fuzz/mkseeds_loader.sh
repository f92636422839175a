#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Seeds for fuzz-loader_elf: mkseeds_loader.sh CORPUS VMI_AOT NATIVE_ROM LINUX_VMI_DIR MINI.elf...
# Each synthetic Linux kernel, plain and specialized for the native ROM at LINUX_ROM_BASE (make's,
# mk/inliner.mk; its .vmi_aot record is what the loader's aot_read parses), and, when the fixtures are there, the first 64 KiB of the
# fixture vmlinux (the ELF and program headers of a real kernel; its section headers lie past the
# cut, so the loader refuses it, and the fuzzer starts from there).
set -eu
: "${LINUX_ROM_BASE:?the Linux ROM base: set by make (mk/inliner.mk)}"
corpus=$1 aot=$2 rom=$3 fixtures=$4; shift 4
for k in "$@"; do
    cp "$k" "$corpus/plain-${k##*/}"
    "$aot" specialize "$k" --rom "$rom" --rom-base "$LINUX_ROM_BASE" -o "$corpus/specialized-${k##*/}" >/dev/null
done
if [ -e "$fixtures/vmlinux" ]; then head -c 65536 "$fixtures/vmlinux" > "$corpus/fixture-vmlinux-64k"; fi
