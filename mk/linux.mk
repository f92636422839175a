# SPDX-License-Identifier: GPL-2.0-only
# The ROMs meet a real VMI kernel: Linux 2.6.32 fixture kernels (non-PAE "up", "pae",
# "smp") booted under qemu-system-i386 TCG with no ROM, the native ROM and the pv ROM; the native
# ROM also with each vmi= option and at other addresses and memory sizes; the ROM routines Linux
# entered, from QEMU's translation log.  tests/linux/, docs/linux-boot.md.
# Without the fixtures every check prints "skipped: no Linux fixtures in DIR" and counts as skipped.

LINUX_VMI_DIR ?= ../shared/linux-vmi
LINUX_KERNELS := up pae smp
LINUX_ROMS    := none native pv
LINUX_LOG     := $(B)/linux/logs
LINUX_DUMMY   := $(B)/linux/zz-dummy.rom
LINUX_ENV      = VMI_ROM_DIR=$(B)/rom VMI_AOT=$(VMI_AOT)

LINUX_BOOTS      := $(foreach k,$(LINUX_KERNELS),$(foreach r,$(LINUX_ROMS),check-linux-$(k)-$(r)))
LINUX_GROUPS     := $(foreach k,$(LINUX_KERNELS),check-linux-$(k)-vmi-options check-linux-$(k)-placement)
LINUX_CHECKS     := $(LINUX_BOOTS) $(LINUX_GROUPS) check-linux-negative
CHECKS += $(LINUX_CHECKS)
.PHONY: $(LINUX_CHECKS) check-linux demo-linux

# One boot per kernel and ROM; the native ROM's boot is traced to list the routines Linux entered.
define linux_boot_rule
check-linux-$(1)-$(2): $(ROM_IMAGES) $(VMI_AOT)
	@$(LINUX_ENV) bash tests/linux/boot.sh --dir $(LINUX_VMI_DIR) --log $(LINUX_LOG) $(if $(filter native,$(2)),--trace) $(1) $(2)
endef
$(foreach k,$(LINUX_KERNELS),$(foreach r,$(LINUX_ROMS),$(eval $(call linux_boot_rule,$(k),$(r)))))

# The native ROM with each vmi= option, and placed behind another option ROM, with -m 128 / 512.
define linux_group_rule
check-linux-$(1)-vmi-options: $(ROM_IMAGES) $(VMI_AOT)
	@$(LINUX_ENV) bash tests/linux/group.sh --dir $(LINUX_VMI_DIR) --log $(LINUX_LOG) options $(1)
check-linux-$(1)-placement: $(ROM_IMAGES) $(VMI_AOT) $(LINUX_DUMMY)
	@$(LINUX_ENV) bash tests/linux/group.sh --dir $(LINUX_VMI_DIR) --log $(LINUX_LOG) --dummy-rom $(LINUX_DUMMY) placement $(1)
endef
$(foreach k,$(LINUX_KERNELS),$(eval $(call linux_group_rule,$(k))))

# The checks can fail: real consoles and traces, altered one fault at a time, must be refused.
check-linux-negative: $(ROM_IMAGES) $(VMI_AOT)
	@$(LINUX_ENV) bash tests/linux/negative.sh --dir $(LINUX_VMI_DIR) --log $(LINUX_LOG)

# A minimal option ROM that the BIOS runs ahead of ours (tests/linux/dummy-rom.sh).
$(LINUX_DUMMY): tests/linux/dummy-rom.sh
	@mkdir -p $(@D)
	@bash $< $@

# Every Linux check on its own: `make check-linux` (not part of CHECKS: its checks are).
check-linux: $(ROM_IMAGES) $(VMI_AOT) $(LINUX_DUMMY)
	@RUN_LABEL=linux-checks bash tools/run-checks.sh $(LINUX_CHECKS)

# make demo: the non-PAE kernel on the native ROM, one row after the guest kernel's table.
demo-linux: $(ROM_IMAGES) $(VMI_AOT)
	@$(LINUX_ENV) bash tests/linux/demo.sh --dir $(LINUX_VMI_DIR)
DEMOS += demo-linux
