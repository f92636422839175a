# SPDX-License-Identifier: GPL-2.0-only
# The ROM images: $(B)/rom/vmi-native.rom and $(B)/rom/vmi-pv.rom, built from the spec by vmi-gen
# (assembler source) -> gcc -m32 -c -> ld at 0 -> objcopy to raw binary -> vmi-romfinish (lengths
# and checksums).  Their tests: check-rom on both, the corrupted corpus, and GetRelocationInfo and
# VMI_Init executed by a 32-bit program with the image at three addresses.  docs/rom-format.md,
# docs/pv-rom.md.

ROM_FLAVORS := native pv
ROM_IMAGES  := $(ROM_FLAVORS:%=$(B)/rom/vmi-%.rom)
ROM_FINISH  := $(B)/bin/vmi-romfinish
ROM_AOT     := $(B)/bin/vmi-aot      # built by mk/aot.mk, included after this file

ALL += $(ROM_FINISH) $(ROM_IMAGES)
INSTALL_FILES += $(ROM_IMAGES:%=%:$(pkgdatadir):644) $(ROM_FINISH):$(pkglibexecdir):755

$(ROM_FINISH): rom/rom_finish.c include/vmi_abi.h include/vmi_version.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOST_LDFLAGS) $< -o $@

$(B)/rom/vmi-%.s: $(ABI_SPEC) spec/rom-%.vmi $(VMI_GEN)
	@mkdir -p $(@D)
	$(VMI_GEN) --rom $*=$@ $(ABI_SPEC) spec/rom-$*.vmi

$(B)/rom/vmi-%.o: $(B)/rom/vmi-%.s
	$(CC) -m32 $(DEPFLAGS) -c $< -o $@

$(B)/rom/vmi-%.bin: $(B)/rom/vmi-%.o
	ld -m elf_i386 -e 0 -Ttext=0 -o $(@:.bin=.elf) $<
	objcopy -O binary -j .text $(@:.bin=.elf) $@.tmp && mv $@.tmp $@

$(B)/rom/vmi-%.rom: $(B)/rom/vmi-%.bin $(ROM_FINISH)
	$(ROM_FINISH) $< $@

.PRECIOUS: $(B)/rom/vmi-%.s $(B)/rom/vmi-%.o $(B)/rom/vmi-%.bin

# ---- tests ----
ROM_T         := $(B)/tests/rom
ROM_RELOC_T   := $(B)/bin/test-rom-reloc
ROM_CORRUPT   := $(B)/bin/rom-corrupt
ROM_UNIT_T    := $(B)/bin/test-romchk

# 32-bit: maps each image at three 2 KiB-aligned addresses and runs its entries.
# The entries are called through the hosted library's 32-bit part (lib/m32/rom_entry.c).
$(ROM_RELOC_T): tests/rom/reloc_test.c include/vmi_abi.h $(HOST32)
	@mkdir -p $(@D)
	$(CC) $(M32_CFLAGS) -fno-pie -no-pie $(HOST32_INC) $< $(HOST32) -o $@

$(ROM_CORRUPT): tests/rom/rom_corrupt.c include/vmi_abi.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOST_LDFLAGS) $< -o $@

# cmocka: check-rom's code analysis on hand-written byte strings.
$(ROM_UNIT_T): tests/rom/test_romchk.c $(B)/lib/libvmihost.a $(B)/lib/libvmiinline-host.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ilib -Iinliner $(HOST_LDFLAGS) $^ -lelf -ldwarf -lZydis -lcmocka -o $@

CHECKS += check-rom-images check-rom-reloc check-rom-corrupt check-rom-unit check-rom-clang
.PHONY: check-rom-images check-rom-reloc check-rom-corrupt check-rom-unit check-rom-clang

check-rom-images: $(ROM_IMAGES) $(ROM_AOT)
	@set -e; for r in $(ROM_IMAGES); do $(ROM_AOT) check-rom $$r; done
	@mkdir -p $(@D) $(B)/tests; set -e; for r in $(ROM_IMAGES); do \
	    $(ROM_AOT) check-rom --json $$r > $(ROM_T)-check.json; \
	    grep -q '"ok": true' $(ROM_T)-check.json; grep -q '"kind": "inline"' $(ROM_T)-check.json; \
	done; echo "check-rom --json: both images ok"

check-rom-reloc: $(ROM_RELOC_T) $(ROM_IMAGES)
	$(ROM_RELOC_T) $(ROM_IMAGES)

check-rom-corrupt: $(ROM_CORRUPT) $(ROM_IMAGES) $(ROM_AOT)
	bash tests/rom/corrupt.sh $(ROM_CORRUPT) $(ROM_AOT) $(ROM_T) tests/rom/corrupt-cases.txt \
	    $(B)/rom

check-rom-unit: $(ROM_UNIT_T)
	$(ROM_UNIT_T)

# Both compilers build the ROM tools warning-free.
check-rom-clang:
	@set -e; for f in rom/rom_finish.c gen/emit_rom.c gen/rom_body.c tools/vmi-aot/cmd_check_rom.c \
	    lib/romchk_*.c tests/rom/rom_corrupt.c tests/rom/test_romchk.c; do \
	    $(CLANG) $(CSTD) $(WARN) -O2 -Iinclude -I$(B)/include -Igen -Itools/vmi-aot -Ilib -Iinliner -fsyntax-only $$f; \
	done
	@$(CLANG) $(M32_CFLAGS) $(HOST32_INC) -fsyntax-only tests/rom/reloc_test.c
	@echo "ROM tools: clang -std=gnu11 $(WARN) compiles every source"
SAN_CHECKS += check-rom-images check-rom-corrupt check-rom-unit
