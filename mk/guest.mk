# SPDX-License-Identifier: GPL-2.0-only
# The guest kernel: a multiboot kernel that finds a VMI ROM and patches its own call sites
# at boot, built by gcc ($(B)/guest/kernel.elf) and clang ($(B)/guest/kernel-clang.elf); its boots
# under QEMU in every mode (tests/guest/boot.sh) and `make demo`'s table (tests/guest/demo.sh).
# docs/guest.md.

GUEST_C   := $(wildcard guest/*.c)
GUEST_S   := $(wildcard guest/*.S)
GUEST_H   := $(wildcard guest/*.h) inliner/vmi_inliner.h inliner/vmi_aot.h include/vmi_abi.h $(GLUE_H)
GUEST_LD  := guest/kernel.ld
GUEST_DIR := $(B)/guest
GUEST_GCC   := $(GUEST_DIR)/kernel.elf
GUEST_CLANG := $(GUEST_DIR)/kernel-clang.elf
GUEST_CFLAGS = $(FREE_CFLAGS) -Iinliner -Iguest -fno-omit-frame-pointer
GUEST_LDFLAGS := -m32 -nostdlib -static -Wl,-T,$(GUEST_LD) -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

GUEST_OBJ_GCC   := $(GUEST_C:guest/%.c=$(B)/obj/guest/gcc/%.o) $(GUEST_S:guest/%.S=$(B)/obj/guest/gcc/%.o)
GUEST_OBJ_CLANG := $(GUEST_C:guest/%.c=$(B)/obj/guest/clang/%.o) $(GUEST_S:guest/%.S=$(B)/obj/guest/clang/%.o)

ALL += $(GUEST_GCC) $(GUEST_CLANG)

$(B)/obj/guest/gcc/%.o: guest/%.c $(GUEST_H)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) $(INL_NOLOOPCALL) $(DEPFLAGS) -c $< -o $@
$(B)/obj/guest/gcc/%.o: guest/%.S $(GUEST_H)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(B)/obj/guest/clang/%.o: guest/%.c $(GUEST_H)
	@mkdir -p $(@D)
	$(CLANG) $(GUEST_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(B)/obj/guest/clang/%.o: guest/%.S $(GUEST_H)
	@mkdir -p $(@D)
	$(CLANG) $(GUEST_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(GUEST_GCC): $(GUEST_OBJ_GCC) $(INL_LIB) $(GUEST_LD)
	@mkdir -p $(@D)
	$(CC) $(GUEST_LDFLAGS) $(GUEST_OBJ_GCC) $(INL_LIB) -o $@
$(GUEST_CLANG): $(GUEST_OBJ_CLANG) $(INL_CLANG_LIB) $(GUEST_LD)
	@mkdir -p $(@D)
	$(CLANG) -fuse-ld=bfd $(GUEST_LDFLAGS) $(GUEST_OBJ_CLANG) $(INL_CLANG_LIB) -o $@

# ---- pre-specialized images (docs/aot.md): vmi-aot specialize for one ROM ----
# kernel-aot-pv.elf is specialized for the pv ROM (boots with it: identity checked, nothing patched);
# kernel-aot-native.elf for the native ROM (booted with the pv ROM: mismatch, reverted, re-patched).
GUEST_AOT = $(foreach k,kernel kernel-clang,$(foreach r,pv native,$(GUEST_DIR)/$(k)-aot-$(r).elf))
ALL += $(GUEST_AOT)

$(GUEST_DIR)/%-aot-pv.elf: $(GUEST_DIR)/%.elf $(B)/rom/vmi-pv.rom $(VMI_AOT)
	$(VMI_AOT) specialize $< --rom $(B)/rom/vmi-pv.rom --policy auto -o $@
$(GUEST_DIR)/%-aot-native.elf: $(GUEST_DIR)/%.elf $(B)/rom/vmi-native.rom $(VMI_AOT)
	$(VMI_AOT) specialize $< --rom $(B)/rom/vmi-native.rom --policy auto -o $@

# ---- boots: one check per kernel and mode (tests/guest/boot.sh); TCG unless GUEST_ACCEL=kvm ----
GUEST_ACCEL ?= tcg
GUEST_MODES := none native-auto native-call pv-auto pv-call pv-count
GUEST_AOT_MODES := aot-match aot-mismatch
GUEST_BOOTS := $(foreach k,gcc clang,$(foreach m,$(GUEST_MODES) $(GUEST_AOT_MODES),check-guest-$(k)-$(m)))
guest_elf = $(if $(filter clang,$(1)),$(GUEST_CLANG),$(GUEST_GCC))
guest_aot_elf = $(GUEST_DIR)/$(if $(filter clang,$(1)),kernel-clang,kernel)-aot-$(if $(filter aot-match,$(2)),pv,native).elf

CHECKS += $(GUEST_BOOTS)
.PHONY: $(GUEST_BOOTS) demo-guest

define guest_boot_rule
check-guest-$(1)-$(2): $(if $(filter aot-%,$(2)),$(call guest_aot_elf,$(1),$(2)),$(call guest_elf,$(1))) $(ROM_IMAGES)
	@bash tests/guest/boot.sh --accel $(GUEST_ACCEL) $$< $(2)
endef
$(foreach k,gcc clang,$(foreach m,$(GUEST_MODES) $(GUEST_AOT_MODES),$(eval $(call guest_boot_rule,$(k),$(m)))))

# ---- make demo: every mode, both compilers, one table (KVM when it boots the guest, else TCG) ----
demo-guest: $(GUEST_GCC) $(GUEST_CLANG) $(GUEST_AOT) $(ROM_IMAGES)
	@bash tests/guest/demo.sh $(GUEST_GCC) $(GUEST_CLANG)
DEMOS += demo-guest

# The boot checks can fail: wrong ROMs and a wrong image must be rejected (tests/guest/negative.sh).
.PHONY: check-guest-negative
check-guest-negative: $(GUEST_GCC) $(ROM_IMAGES)
	@bash tests/guest/negative.sh $(GUEST_GCC) $(B)/rom
CHECKS += check-guest-negative
