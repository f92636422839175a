# SPDX-License-Identifier: GPL-2.0-only
# vmi-aot, the ahead-of-time tool: $(B)/bin/vmi-aot (every tools/vmi-aot/*.c and the hosted library
# $(B)/lib/libvmihost.a, mk/lib.mk; libelf, libdwarf, Zydis), its unit tests (cmocka), its CLI tests on 32-bit test images built here, and the
# 100,000-site benchmark image.  docs/aot.md.
#
# Ownership: this file owns the vmi-aot link rule.  Other parts add sources to tools/vmi-aot/
# (the wildcard picks them up) and, when they need a library, append to AOT_LIBS/AOT_LIBDEPS.

AOT_SRC   := $(wildcard tools/vmi-aot/*.c)
AOT_OBJ   := $(AOT_SRC:tools/vmi-aot/%.c=$(B)/obj/aot/%.o)
AOT_LIBOBJ := $(filter-out $(B)/obj/aot/main.o,$(AOT_OBJ))
VMI_AOT   := $(B)/bin/vmi-aot
AOT_LIBS  += $(HOSTLIB_LIBS)
AOT_LIBDEPS += $(HOSTLIB) $(INL_HOST)
AOT_INC   := -Itools/vmi-aot $(HOSTLIB_INC)
AOT_T     := $(B)/tests/aot

ALL += $(VMI_AOT)
INSTALL_FILES += $(VMI_AOT):$(bindir):755

$(B)/obj/aot/%.o: tools/vmi-aot/%.c | $(GLUE_H)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(AOT_INC) $(DEPFLAGS) -c $< -o $@

$(VMI_AOT): $(AOT_OBJ) $(AOT_LIBDEPS)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) $(AOT_OBJ) $(AOT_LIBDEPS) $(AOT_LIBS) -o $@

# ---- test images (32-bit, never run) ----
# The C image: gcc and clang builds, -O2 -g, the glue's sites in known functions and lines.
AOT_IMG_FLAGS := $(CSTD) $(WARN) -m32 -O2 -g -fno-pic -fno-stack-protector -ffreestanding \
                 -nostdlib -static -Iinclude -I$(B)/include -Wl,--no-warn-rwx-segments
$(AOT_T)/image-gcc.elf: tests/aot/image.c $(GLUE_H) include/vmi_abi.h
	@mkdir -p $(@D)
	$(CC) $(AOT_IMG_FLAGS) $< -o $@
$(AOT_T)/image-clang.elf: tests/aot/image.c $(GLUE_H) include/vmi_abi.h
	@mkdir -p $(@D)
	$(CLANG) $(AOT_IMG_FLAGS) -fuse-ld=bfd $< -o $@

# The 100,000-site image: an assembler file of 1,000 functions x 100 sites, each site one
# VMI_<Name> macro of the glue on its own line, assembled with line info (-g).
AOT_BIG_SITES ?= 100000
$(AOT_T)/big.S: tests/aot/gen-big.sh
	@mkdir -p $(@D)
	sh $< $(AOT_BIG_SITES) > $@.tmp && mv $@.tmp $@
$(AOT_T)/big.elf: $(AOT_T)/big.S $(GLUE_H) include/vmi_abi.h
	$(CC) -m32 -nostdlib -static -Iinclude -I$(B)/include $< -o $@

# ---- unit tests ----
AOT_TEST := $(B)/bin/test-aot
$(B)/obj/tests/aot/%.o: tests/aot/%.c | $(GLUE_H)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(AOT_INC) $(DEPFLAGS) -c $< -o $@
$(AOT_TEST): $(B)/obj/tests/aot/test_aot.o $(AOT_LIBOBJ) $(AOT_LIBDEPS)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) $^ $(AOT_LIBS) -lcmocka -o $@

# The byte facts of one specialized image against its input and ROM (tests/aot/test_aot_out.c,
# run by the CLI tests on the outputs they make), and the damaged copies those tests refuse
# (tests/aot/imgedit.c).  Test programs on the hosted library: built in $(B)/bin, never installed.
AOT_OUT_TEST := $(B)/bin/test-aot-out
AOT_IMGEDIT  := $(B)/bin/aot-imgedit
$(AOT_OUT_TEST): $(B)/obj/tests/aot/test_aot_out.o $(AOT_LIBDEPS)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) $^ $(AOT_LIBS) -lcmocka -o $@
$(AOT_IMGEDIT): $(B)/obj/tests/aot/imgedit.o $(AOT_LIBDEPS)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) $^ $(AOT_LIBS) -o $@
# The CLI tests find both by these names.  aot-imgedit is in `all` (as vmi-selftest): the
# documentation's tampering example (docs/aot.md) runs it.
export AOT_OUT_TEST AOT_IMGEDIT
ALL += $(AOT_IMGEDIT)

# ---- checks ----
CHECKS  += check-aot-clang check-aot-unit check-aot-sites check-aot-writer check-aot-specialize \
           check-aot-guest
SAN_CHECKS += check-aot-unit check-aot-specialize
BENCHES += bench-aot-sites bench-aot-specialize

.PHONY: check-aot-clang check-aot-unit check-aot-sites check-aot-writer bench-aot-sites \
        check-aot-specialize check-aot-guest bench-aot-specialize

# Both compilers build the tool and its tests warning-free.
check-aot-clang: $(GLUE_H)
	@set -e; for f in $(AOT_SRC) $(HOSTLIB_SRC) tests/aot/test_aot.c tests/aot/test_aot_out.c tests/aot/imgedit.c \
	         tests/lib/test_lib.c; do \
	    $(CLANG) $(CSTD) $(WARN) -O2 -Iinclude -I$(B)/include $(AOT_INC) -fsyntax-only $$f; \
	done; echo "vmi-aot and lib/: clang -std=gnu11 $(WARN) compiles every source"

check-aot-unit: $(AOT_TEST) $(AOT_T)/image-gcc.elf
	AOT_TEST_DIR=$(AOT_T) $(AOT_TEST)

check-aot-sites: $(VMI_AOT) $(AOT_T)/image-gcc.elf $(AOT_T)/image-clang.elf $(AOT_IMGEDIT)
	AOT_GLUE_INC=$(B)/include bash tests/aot/sites.sh $(VMI_AOT) $(AOT_T) $(AOT_T)/image-gcc.elf $(AOT_T)/image-clang.elf

check-aot-writer: $(AOT_TEST) $(AOT_T)/image-gcc.elf
	bash tests/aot/writer.sh $(AOT_TEST) $(AOT_T) $(AOT_T)/image-gcc.elf

bench-aot-sites: $(VMI_AOT) $(AOT_T)/big.elf
	bash tests/aot/bench-sites.sh $(VMI_AOT) $(AOT_T)/big.elf $(AOT_BIG_SITES)
SAN_CHECKS += check-aot-unit check-aot-sites check-aot-writer

# aotboot: a 32-bit stand-in for a kernel booting under the AOT contract (tests/aot/aotboot.c),
# gcc and clang builds, linked with the freestanding inliner archives as the harness is.
AOT_BOOT    := $(AOT_T)/aotboot-gcc $(AOT_T)/aotboot-clang
AOT_BOOT_LD := -m32 -no-pie -Wl,--no-warn-rwx-segments
$(AOT_T)/aotboot-gcc: tests/aot/aotboot.c $(GLUE_H) $(INL_HDR) $(INL_LIB) $(HOST32)
	@mkdir -p $(@D)
	$(CC) $(M32_CFLAGS) -fno-pie -Iinliner -Itests/harness $(HOST32_INC) $< $(HOST32) $(INL_LIB) $(AOT_BOOT_LD) -o $@
$(AOT_T)/aotboot-clang: tests/aot/aotboot.c $(GLUE_H) $(INL_HDR) $(INL_CLANG_LIB) $(HOST32_CLANG)
	@mkdir -p $(@D)
	$(CLANG) $(M32_CFLAGS) -fno-pie -Iinliner -Itests/harness $(HOST32_INC) $< $(HOST32_CLANG) $(INL_CLANG_LIB) -fuse-ld=bfd $(AOT_BOOT_LD) -o $@

# specialize and verify (docs/aot.md): the test images (with vmi_rom_area and vmi_aot_identity)
# and both harness builds (without: --rom-base $(HARNESS_ROM_BASE)), every policy and ROM, bad inputs,
# tampered outputs, and the harness's own load-time plan compared with specialize's.
AOT_SPEC_IMAGES := $(AOT_T)/image-gcc.elf $(AOT_T)/image-clang.elf $(SELFTEST) $(SELFTEST_CL)
check-aot-specialize: $(VMI_AOT) $(AOT_SPEC_IMAGES) $(AOT_BOOT) $(ROM_IMAGES) $(AOT_OUT_TEST) $(AOT_IMGEDIT)
	AOT_HARNESS="$(SELFTEST) $(SELFTEST_CL)" AOT_BOOT="$(AOT_BOOT)" bash tests/aot/specialize.sh \
	    $(VMI_AOT) $(AOT_T) $(B)/rom $(AOT_SPEC_IMAGES) $(AOT_BOOT)

# The harness's AOT mode (tests/harness/aot_boot.c): both harness builds specialized with
# --rom-base $(HARNESS_ROM_BASE) for the pv ROM (match: no site patched at load), for the native ROM but run
# with pv (mismatch: reverted, patched at load), and with a site changed afterwards (untrusted).
CHECKS += check-aot-harness
.PHONY: check-aot-harness
check-aot-harness: $(VMI_AOT) $(SELFTEST) $(SELFTEST_CL) $(ROM_IMAGES) $(AOT_IMGEDIT)
	bash tests/aot/harness-aot.sh $(VMI_AOT) $(AOT_T) $(B)/rom $(SELFTEST) $(SELFTEST_CL)

# specialize --profile (tests/aot/profile.sh): both harness builds with the profile each writes
# of itself (vmi-selftest --profile), and the profiles and options it must refuse.
CHECKS += check-aot-profile
SAN_CHECKS += check-aot-profile
.PHONY: check-aot-profile
check-aot-profile: $(VMI_AOT) $(SELFTEST) $(SELFTEST_CL) $(B)/rom/vmi-pv.rom $(AOT_IMGEDIT)
	bash tests/aot/profile.sh $(VMI_AOT) $(AOT_T) $(B)/rom/vmi-pv.rom $(SELFTEST) $(SELFTEST_CL)

# The same on the guest kernels (mk/guest.mk builds them; their boots of pre-specialized images
# are check-guest-*-aot-*).  The paths are guest.mk's, which is included after this file.
AOT_GUEST_IMAGES := $(B)/guest/kernel.elf $(B)/guest/kernel-clang.elf
check-aot-guest: $(VMI_AOT) $(AOT_GUEST_IMAGES) $(ROM_IMAGES) $(AOT_OUT_TEST) $(AOT_IMGEDIT)
	@mkdir -p $(AOT_T)/guest && cp $(AOT_GUEST_IMAGES) $(AOT_T)/guest/
	bash tests/aot/specialize.sh $(VMI_AOT) $(AOT_T)/guest $(B)/rom \
	    $(addprefix $(AOT_T)/guest/,$(notdir $(AOT_GUEST_IMAGES)))

# The 100,000-site image specialized for the pv ROM at $(HARNESS_ROM_BASE) and verified against the original:
# wall time and peak memory of each (/usr/bin/time), and the decisions.
bench-aot-specialize: $(VMI_AOT) $(AOT_T)/big.elf $(B)/rom/vmi-pv.rom
	bash tests/aot/bench-specialize.sh $(VMI_AOT) $(AOT_T)/big.elf $(B)/rom/vmi-pv.rom $(AOT_BIG_SITES)

# vmi-aot on the Linux VMI fixture kernels (tests/aot/linux.sh, docs/linux.md): sites, specialize
# and verify on the non-PAE, PAE and SMP vmlinux with both ROMs and every policy, bad inputs.
# Without the fixtures it prints one "skipped:" line.
LINUX_VMI_DIR ?= ../shared/linux-vmi
CHECKS += check-aot-linux
SAN_CHECKS += check-aot-linux
BENCHES += bench-aot-linux
.PHONY: check-aot-linux bench-aot-linux
check-aot-linux: $(VMI_AOT) $(ROM_IMAGES) $(AOT_OUT_TEST) $(AOT_IMGEDIT)
	bash tests/aot/linux.sh $(VMI_AOT) $(AOT_T) $(B)/rom $(LINUX_VMI_DIR)

# sites and specialize on the 17.7 MB non-PAE vmlinux: time and peak memory against targets.
bench-aot-linux: $(VMI_AOT) $(ROM_IMAGES)
	bash tests/aot/bench-linux.sh $(VMI_AOT) $(B)/rom $(LINUX_VMI_DIR)

# The same path without the fixtures: synthetic kernels laid out from the spec's Linux profile
# (tests/aot/gen-linux-mini.py) for the non-PAE (0), PAE (1) and SMP (local APIC + SMP, 6)
# configurations, checked by tests/aot/linux-mini.sh.
AOT_MINI_CFGS := 0 1 6
AOT_MINIS := $(AOT_MINI_CFGS:%=$(AOT_T)/linux-mini-%.elf)
$(AOT_T)/linux-mini-%.c: tests/aot/gen-linux-mini.py include/vmi_linux.h
	@mkdir -p $(@D)
	python3 $< include/vmi_linux.h $* > $@.tmp && mv $@.tmp $@
$(AOT_T)/linux-mini-%.elf: $(AOT_T)/linux-mini-%.c
	$(CC) $(CSTD) $(WARN) -m32 -O2 -g -fno-pic -fno-stack-protector -ffreestanding -nostdlib \
	    -static -Wl,--no-warn-rwx-segments $< -o $@
CHECKS += check-aot-linux-mini
SAN_CHECKS += check-aot-linux-mini
.PHONY: check-aot-linux-mini
check-aot-linux-mini: $(VMI_AOT) $(ROM_IMAGES) $(AOT_MINIS) $(AOT_OUT_TEST) $(AOT_IMGEDIT)
	bash tests/aot/linux-mini.sh $(VMI_AOT) $(B)/rom $(foreach c,$(AOT_MINI_CFGS),$(AOT_T)/linux-mini-$(c).elf $(c))

# specialize --dry-run / --stats / -v and verify --stats (tests/aot/dryrun.sh): the summary's
# numbers against `vmi-aot sites --json` of the same kernel, one -v line per site, the refused
# combinations; on the guest kernel, and on the Linux fixture vmlinux ("skipped:" without it).
# aot_summary's unit tests: check-aot-summary.
CHECKS += check-aot-dryrun check-aot-dryrun-linux check-aot-summary
.PHONY: check-aot-dryrun check-aot-dryrun-linux check-aot-summary
check-aot-dryrun: $(VMI_AOT) $(B)/guest/kernel.elf $(ROM_IMAGES)
	bash tests/aot/dryrun.sh $(VMI_AOT) $(AOT_T) $(B)/rom $(B)/guest/kernel.elf
check-aot-dryrun-linux: $(VMI_AOT) $(ROM_IMAGES)
	@if [ -f $(LINUX_VMI_DIR)/vmlinux ]; then \
	    bash tests/aot/dryrun.sh $(VMI_AOT) $(AOT_T) $(B)/rom $(LINUX_VMI_DIR)/vmlinux $(LINUX_ROM_BASE); \
	else echo "skipped: no Linux fixtures in $(LINUX_VMI_DIR)"; fi
AOT_SUMMARY_TEST := $(B)/bin/test-aot-summary
$(AOT_SUMMARY_TEST): $(B)/obj/tests/aot/test_summary.o $(AOT_LIBOBJ) $(AOT_LIBDEPS)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) $^ $(AOT_LIBS) -lcmocka -o $@
check-aot-summary: $(AOT_SUMMARY_TEST)
	$(AOT_SUMMARY_TEST)
