# SPDX-License-Identifier: GPL-2.0-only
# The loader agent: build/loader/vmi-loader.elf, a freestanding 32-bit multiboot program
# that loads an unchanged Linux 2.6.32 VMI vmlinux through the 32-bit boot protocol and patches its
# paravirt call sites with the inliner against the VMI ROM it finds.  docs/loader.md.

LOADER_C   := $(wildcard loader/*.c)
LOADER_S   := $(wildcard loader/*.S)
LOADER_H   := $(wildcard loader/*.h) $(wildcard inliner/*.h) include/vmi_abi.h include/vmi_linux.h
LOADER_LD  := loader/loader.ld
LOADER_DIR := $(B)/loader
LOADER     := $(LOADER_DIR)/vmi-loader.elf
LOADER_CLANG := $(LOADER_DIR)/vmi-loader-clang.elf
LOADER_CFLAGS = $(FREE_CFLAGS) -Iinliner -Iloader -fno-omit-frame-pointer
LOADER_LDFLAGS := -m32 -nostdlib -static -Wl,-T,$(LOADER_LD) -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

LOADER_OBJ       := $(LOADER_C:loader/%.c=$(B)/obj/loader/gcc/%.o) $(LOADER_S:loader/%.S=$(B)/obj/loader/gcc/%.o)
LOADER_OBJ_CLANG := $(LOADER_C:loader/%.c=$(B)/obj/loader/clang/%.o) $(LOADER_S:loader/%.S=$(B)/obj/loader/clang/%.o)

ALL += $(LOADER) $(LOADER_CLANG)
INSTALL_FILES += $(LOADER):$(pkgdatadir):644

$(B)/obj/loader/gcc/%.o: loader/%.c $(LOADER_H)
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) $(INL_NOLOOPCALL) $(DEPFLAGS) -c $< -o $@
$(B)/obj/loader/gcc/%.o: loader/%.S
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(B)/obj/loader/clang/%.o: loader/%.c $(LOADER_H)
	@mkdir -p $(@D)
	$(CLANG) $(LOADER_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(B)/obj/loader/clang/%.o: loader/%.S
	@mkdir -p $(@D)
	$(CLANG) $(LOADER_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(LOADER): $(LOADER_OBJ) $(INL_LIB) $(LOADER_LD)
	@mkdir -p $(@D)
	$(CC) $(LOADER_LDFLAGS) $(LOADER_OBJ) $(INL_LIB) -o $@
$(LOADER_CLANG): $(LOADER_OBJ_CLANG) $(INL_CLANG_LIB) $(LOADER_LD)
	@mkdir -p $(@D)
	$(CLANG) -fuse-ld=bfd $(LOADER_LDFLAGS) $(LOADER_OBJ_CLANG) $(INL_CLANG_LIB) -o $@

# ---- boots of the Linux fixtures through the loader (tests/loader/boot.sh), TCG ----
LINUX_VMI_DIR ?= ../shared/linux-vmi
LOADER_KERNELS := up pae smp
LOADER_MODES   := none native-auto native-call pv
LOADER_BOOTS   := $(foreach k,$(LOADER_KERNELS),$(foreach m,$(LOADER_MODES),check-loader-$(k)-$(m)))
LOADER_BAD     := not-elf machine class truncated entry no-initrd small-ram option unknown-opt no-parainstr bad-rom
LOADER_BAD_CHECKS := $(LOADER_BAD:%=check-loader-bad-%)

CHECKS += $(LOADER_BOOTS) $(LOADER_BAD_CHECKS) check-loader-up-vmi-option
.PHONY: $(LOADER_BOOTS) $(LOADER_BAD_CHECKS) check-loader check-loader-up-vmi-option

define loader_boot_rule
check-loader-$(1)-$(2): $(LOADER) $(ROM_IMAGES)
	@bash tests/loader/boot.sh $(LOADER) $(LINUX_VMI_DIR) $(1) $(2)
endef
$(foreach k,$(LOADER_KERNELS),$(foreach m,$(LOADER_MODES),$(eval $(call loader_boot_rule,$(k),$(m)))))
$(eval $(call loader_boot_rule,up,vmi-option))

$(LOADER_BAD_CHECKS): check-loader-bad-%: $(LOADER) $(ROM_IMAGES)
	@bash tests/loader/bad.sh $(LOADER) $(LINUX_VMI_DIR) $*

# every loader check at once: make check-loader
check-loader:
	@bash tools/run-checks.sh $(filter check-loader-%,$(CHECKS))

# ---- pre-specialized kernels (tests/loader/aot.sh): vmi-aot specialize at test time ----
# Where Linux will call the native ROM (PAGE_OFFSET + the address QEMU's BIOS gives the option ROM);
# "probe": asked from the loader itself (vmi.stop) before specializing.
LOADER_ROM_BASE ?= probe
LOADER_AOT_MODES := match mismatch untrusted
LOADER_AOT_KERNELS := up pae smp
LOADER_AOT := $(foreach k,$(LOADER_AOT_KERNELS),$(foreach m,$(LOADER_AOT_MODES),check-loader-$(k)-aot-$(m)))
CHECKS += $(LOADER_AOT) check-loader-up-aot-malformed
.PHONY: $(LOADER_AOT) check-loader-up-aot-malformed

define loader_aot_rule
check-loader-$(1)-aot-$(2): $(LOADER) $(ROM_IMAGES) $(VMI_AOT) $(AOT_IMGEDIT)
	@bash tests/loader/aot.sh $(LOADER) $(LINUX_VMI_DIR) $(VMI_AOT) $(LOADER_ROM_BASE) $(1) $(2)
endef
$(foreach k,$(LOADER_AOT_KERNELS),$(foreach m,$(LOADER_AOT_MODES),$(eval $(call loader_aot_rule,$(k),$(m)))))
$(eval $(call loader_aot_rule,up,malformed))

# ---- make bench: patching cost in guest instructions per site (tests/loader/bench.sh) ----
BENCHES += bench-loader
.PHONY: bench-loader
bench-loader: $(LOADER) $(ROM_IMAGES) $(GUEST_GCC)
	@bash tests/loader/bench.sh $(LOADER) $(LINUX_VMI_DIR) $(GUEST_GCC)

# the clang build of the loader boots too (one mode, the one that patches the most)
CHECKS += check-loader-clang-up-native-auto
.PHONY: check-loader-clang-up-native-auto
check-loader-clang-up-native-auto: $(LOADER_CLANG) $(ROM_IMAGES)
	@LOADER_LOG_DIR=$(LOADER_DIR)/logs-clang bash tests/loader/boot.sh $(LOADER_CLANG) $(LINUX_VMI_DIR) up native-auto
