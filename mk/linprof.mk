# SPDX-License-Identifier: GPL-2.0-only
# The Linux workload and its measurements (docs/profiling.md, "Linux"): a static i386
# /init (tools/vmi-prof/linux/workload.c, no libc) packed into an initramfs at build time, the
# helper vmi-prof --linux runs for each boot, and the checks.
LINPROF_DIR    := $(B)/linprof
LINPROF_INIT   := $(LINPROF_DIR)/init
LINPROF_CPIO   := $(LINPROF_DIR)/vmi-workload.cpio
LINPROF_HELPER := $(B)/libexec/vmi-prof-linux
ALL += $(LINPROF_CPIO) $(LINPROF_HELPER)
INSTALL_FILES += $(LINPROF_HELPER):$(pkglibexecdir):755 $(LINPROF_CPIO):$(pkgdatadir):644

$(LINPROF_INIT): tools/vmi-prof/linux/workload.c loader/count_area.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -Wall -Wextra -Werror -m32 -static -nostdlib -fno-pie \
	    -fno-stack-protector -fcf-protection=none -O1 -Iloader $< -lgcc -o $@
$(LINPROF_CPIO): $(LINPROF_INIT) tools/vmi-prof/linux/mkcpio.py
	python3 tools/vmi-prof/linux/mkcpio.py $< $@
$(LINPROF_HELPER): tools/vmi-prof/linux/vmi-prof-linux.sh include/vmi_version.h
	@mkdir -p $(@D)
	sed 's/@VERSION@/$(VMI_VERSION_STR)/' $< > $@.tmp && chmod 755 $@.tmp && mv $@.tmp $@

LINPROF_DEPS := $(LOADER) $(ROM_IMAGES) $(LINPROF_CPIO) $(LINPROF_HELPER) $(PROF_FRONT)

# counts exact and repeatable, the inlined plan cheaper than the call-only one on the syscall path
CHECKS += check-linprof-count check-linprof-icount
.PHONY: check-linprof-count check-linprof-icount bench-linprof
check-linprof-count: $(LINPROF_DEPS)
	@bash tests/linux/linprof.sh count $(LINUX_VMI_DIR) $(B)
check-linprof-icount: $(LINPROF_DEPS)
	@bash tests/linux/linprof.sh icount $(LINUX_VMI_DIR) $(B)

BENCHES += bench-linprof
bench-linprof: $(LINPROF_DEPS)
	@if [ -f $(LINUX_VMI_DIR)/vmlinux ]; then \
	    $(PROF_FRONT) --linux --linux-dir $(LINUX_VMI_DIR) --json=$(LINPROF_DIR)/linux.json \
	        --chart $(LINPROF_DIR)/linux.svg && \
	    bash tests/linux/linprof.sh bench-sites $(LINUX_VMI_DIR) $(B); \
	else echo "skipped: no Linux fixtures in $(LINUX_VMI_DIR)"; fi
