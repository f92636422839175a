# SPDX-License-Identifier: GPL-2.0-only
# The call-site inliner: $(B)/lib/libvmiinline.a (freestanding, 32-bit, for a kernel),
# $(B)/lib/libvmiinline-host.a (hosted x86-64, for the tools), its unit tests and the 32-bit
# self-patching harness vmi-selftest (one gcc build, one clang build).  docs/inliner.md.

INL_SRC  := $(wildcard inliner/*.c)
INL_HDR  := $(wildcard inliner/*.h) include/vmi_abi.h include/vmi_linux.h
INL_LIB  := $(B)/lib/libvmiinline.a
INL_HOST := $(B)/lib/libvmiinline-host.a
INL_CLANG_LIB := $(B)/lib/libvmiinline-clang.a
# gcc turns copy loops into memcpy calls even with -ffreestanding; the core must call nothing.
INL_NOLOOPCALL := $(if $(shell $(CC) --version 2>/dev/null | grep -i clang),,-fno-tree-loop-distribute-patterns)

ALL += $(INL_LIB) $(INL_HOST)
# Installed as libvmiinline-freestanding32.a: the name says which of the builds it is.
INSTALL_FILES += $(INL_LIB):$(libdir):644:libvmiinline-freestanding32.a $(INL_HOST):$(libdir):644 \
                 $(foreach h,vmi_inliner.h vmi_aot.h vmi_linux_ops.h vmi_linux_sites.h,inliner/$(h):$(pkgincludedir):644)

$(B)/obj/inliner/free/%.o: inliner/%.c $(INL_HDR)
	@mkdir -p $(@D)
	$(CC) $(FREE_CFLAGS) $(INL_NOLOOPCALL) -Iinliner $(DEPFLAGS) -c $< -o $@

$(B)/obj/inliner/free-clang/%.o: inliner/%.c $(INL_HDR)
	@mkdir -p $(@D)
	$(CLANG) $(FREE_CFLAGS) -Iinliner $(DEPFLAGS) -c $< -o $@

$(B)/obj/inliner/host/%.o: inliner/%.c $(INL_HDR)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iinliner $(DEPFLAGS) -c $< -o $@

$(INL_LIB): $(INL_SRC:inliner/%.c=$(B)/obj/inliner/free/%.o)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(INL_CLANG_LIB): $(INL_SRC:inliner/%.c=$(B)/obj/inliner/free-clang/%.o)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(INL_HOST): $(INL_SRC:inliner/%.c=$(B)/obj/inliner/host/%.o)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# ---- unit tests (hosted x86-64, cmocka, Zydis) ----
INL_TEST_SRC := $(wildcard tests/inliner/*.c)
INL_TEST     := $(B)/bin/test-inliner

$(B)/obj/tests/inliner/%.o: tests/inliner/%.c $(INL_HDR) $(wildcard tests/inliner/*.h)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iinliner -Itests/inliner $(DEPFLAGS) -c $< -o $@

$(INL_TEST): $(INL_TEST_SRC:tests/inliner/%.c=$(B)/obj/tests/inliner/%.o) $(INL_HOST)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) $^ -lcmocka -lZydis -o $@

# ---- checks ----
CHECKS += check-inliner-unit check-inliner-freestanding
SAN_CHECKS += check-inliner-unit

.PHONY: check-inliner-unit check-inliner-freestanding
check-inliner-unit: $(INL_TEST)
	$(INL_TEST)

# The freestanding archives (gcc and clang) must not need a single symbol from outside.
check-inliner-freestanding: $(INL_LIB) $(INL_CLANG_LIB)
	@set -e; for lib in $^; do \
	    undef=$$(comm -23 <(nm -A $$lib | awk '$$2 == "U" {print $$3}' | sort -u) \
	                      <(nm -A $$lib | awk 'NF == 3 && $$2 ~ /[TDRBC]/ {print $$3}' | sort -u)); \
	    if [ -n "$$undef" ]; then echo "$$lib needs: $$undef" >&2; exit 1; fi; \
	    echo "$$lib: freestanding, no external symbols"; \
	done

# ---- the 32-bit self-patching harness: one gcc build, one clang build ----
# A test program (built from tests/harness/): built in $(B)/bin for the checks and for people to
# run, and deliberately not in INSTALL_FILES (nothing installed is built from tests/).
# Where the harness shadows its pv ROM (2 KiB aligned, not 4 KiB): the one place that names it.
# The harness is compiled with it; exported, the AOT scripts (tests/aot/*.sh) plan with it.
HARNESS_ROM_BASE := 0xc8800
# Where a Linux VMI kernel calls the ROM: PAGE_OFFSET + 0xc8000, where SeaBIOS puts the first
# option ROM.  The one place that names it: the Linux AOT tests, benchmarks, fuzz seeds and the
# mutation guard (tests/aot/linux*.sh, bench-linux.sh, tests/fuzz/mkseeds_loader.sh,
# tests/mutate/run.sh) take it from the environment.
LINUX_ROM_BASE := 0xc00c8000
export HARNESS_ROM_BASE LINUX_ROM_BASE
SELFTEST_C   := $(wildcard tests/harness/*.c)
SELFTEST_OBJ := $(SELFTEST_C:tests/harness/%.c=%.o) iret.o
SELFTEST     := $(B)/bin/vmi-selftest
SELFTEST_CL  := $(B)/bin/vmi-selftest-clang
PV_ROM       := $(B)/rom/vmi-pv.rom
ALL += $(SELFTEST) $(SELFTEST_CL)

$(B)/obj/selftest/gcc/%.o: tests/harness/%.c | $(GLUE_H)
	@mkdir -p $(@D)
	$(CC) $(M32_CFLAGS) -fno-pie $(HOST32_INC) -DHARNESS_ROM_BASE=$(HARNESS_ROM_BASE)u $(DEPFLAGS) -c $< -o $@

$(B)/obj/selftest/clang/%.o: tests/harness/%.c | $(GLUE_H)
	@mkdir -p $(@D)
	$(CLANG) $(M32_CFLAGS) -fno-pie $(HOST32_INC) -DHARNESS_ROM_BASE=$(HARNESS_ROM_BASE)u $(DEPFLAGS) -c $< -o $@

$(B)/obj/selftest/gcc/iret.o: tests/harness/iret.S $(GLUE_H)
	@mkdir -p $(@D)
	$(CC) -m32 -Iinclude -I$(B)/include $(DEPFLAGS) -c $< -o $@

$(B)/obj/selftest/clang/iret.o: tests/harness/iret.S $(GLUE_H)
	@mkdir -p $(@D)
	$(CLANG) -m32 -Iinclude -I$(B)/include $(DEPFLAGS) -c $< -o $@

# linked with the hosted library's 32-bit part: the ROM entries and the monitor (mk/lib.mk)
$(SELFTEST): $(SELFTEST_OBJ:%=$(B)/obj/selftest/gcc/%) $(HOST32) $(INL_LIB)
	@mkdir -p $(@D)
	$(CC) -m32 -no-pie $^ -o $@

$(SELFTEST_CL): $(SELFTEST_OBJ:%=$(B)/obj/selftest/clang/%) $(HOST32_CLANG) $(INL_CLANG_LIB)
	@mkdir -p $(@D)
	$(CLANG) -m32 -no-pie $^ -o $@

CHECKS += check-selftest-gcc check-selftest-clang
.PHONY: check-selftest-gcc check-selftest-clang
check-selftest-gcc: $(SELFTEST) $(PV_ROM)
	$(SELFTEST) $(PV_ROM)

check-selftest-clang: $(SELFTEST_CL) $(PV_ROM)
	$(SELFTEST_CL) $(PV_ROM)
