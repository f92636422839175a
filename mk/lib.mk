# SPDX-License-Identifier: GPL-2.0-only
# The hosted library (docs/architecture.md): what the tools and the tests share, above the core.
#   $(B)/lib/libvmihost.a         x86-64: the ELF image layer, DWARF lines, the Linux image, the
#                                 ELF writer, output files, JSON output, the error record, the
#                                 option table, ROM loading with check-rom's checks and the
#                                 emulated GetRelocationInfo (every lib/*.c)
#   $(B)/lib/libvmihost32.a       i386 (gcc; -clang: clang): a VMI ROM run in a 32-bit process,
#   $(B)/lib/libvmihost32-clang.a its entries called for real and the pv monitor (lib/m32/*.c),
#                                 and the one error record (lib/aot_err.c, as in libvmihost.a)
# Users add -Ilib (or $(HOST32_INC)) and link the archive after their objects, before the core's.

HOSTLIB_SRC   := $(wildcard lib/*.c)
HOSTLIB_OBJ   := $(HOSTLIB_SRC:lib/%.c=$(B)/obj/lib/%.o)
HOSTLIB       := $(B)/lib/libvmihost.a
HOSTLIB_LIBS  := -lelf -ldwarf -lZydis -ljansson -lm
HOSTLIB_INC   := -Ilib -Iinliner
HOST32_SRC    := $(wildcard lib/m32/*.c)
HOST32_SHARED := aot_err
HOST32_OBJ    := $(HOST32_SRC:lib/m32/%.c=%.o) $(HOST32_SHARED:%=%.o)
HOST32        := $(B)/lib/libvmihost32.a
HOST32_CLANG  := $(B)/lib/libvmihost32-clang.a
HOST32_INC    := -Ilib/m32 -Ilib -Iinliner

ALL += $(HOSTLIB) $(HOST32) $(HOST32_CLANG)
INSTALL_FILES += $(HOSTLIB):$(libdir):644 $(HOST32):$(libdir):644 \
                 $(foreach h,$(wildcard lib/*.h),$(h):$(pkgincludedir)/host:644) \
                 lib/m32/vmi_host32.h:$(pkgincludedir)/host:644 lib/m32/rom_entry.h:$(pkgincludedir)/host:644

# Headers are found by -MMD's dependency files; the generated glue must exist before the first.
$(B)/obj/lib/%.o: lib/%.c | $(GLUE_H)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOSTLIB_INC) $(DEPFLAGS) -c $< -o $@

$(HOSTLIB): $(HOSTLIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# 32-bit, non-PIE (the ROM's code holds absolute addresses of where it is mapped).
$(B)/obj/lib32/gcc/%.o: lib/m32/%.c | $(GLUE_H)
	@mkdir -p $(@D)
	$(CC) $(M32_CFLAGS) -fno-pie $(HOST32_INC) $(DEPFLAGS) -c $< -o $@
$(B)/obj/lib32/clang/%.o: lib/m32/%.c | $(GLUE_H)
	@mkdir -p $(@D)
	$(CLANG) $(M32_CFLAGS) -fno-pie $(HOST32_INC) $(DEPFLAGS) -c $< -o $@
# The part of lib/ the 32-bit users share with the 64-bit ones (HOST32_SHARED).
$(HOST32_SHARED:%=$(B)/obj/lib32/gcc/%.o): $(B)/obj/lib32/gcc/%.o: lib/%.c | $(GLUE_H)
	@mkdir -p $(@D)
	$(CC) $(M32_CFLAGS) -fno-pie $(HOST32_INC) $(DEPFLAGS) -c $< -o $@
$(HOST32_SHARED:%=$(B)/obj/lib32/clang/%.o): $(B)/obj/lib32/clang/%.o: lib/%.c | $(GLUE_H)
	@mkdir -p $(@D)
	$(CLANG) $(M32_CFLAGS) -fno-pie $(HOST32_INC) $(DEPFLAGS) -c $< -o $@

$(HOST32): $(HOST32_OBJ:%=$(B)/obj/lib32/gcc/%)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
$(HOST32_CLANG): $(HOST32_OBJ:%=$(B)/obj/lib32/clang/%)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# ---- unit tests (cmocka): tests/lib/test_lib.c on the aot test image (mk/aot.mk builds it), and
# tests/lib/test_opts.c ----
HOSTLIB_TEST := $(B)/bin/test-lib
$(B)/obj/tests/lib/%.o: tests/lib/%.c | $(GLUE_H)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOSTLIB_INC) $(DEPFLAGS) -c $< -o $@
$(HOSTLIB_TEST): $(B)/obj/tests/lib/test_lib.o $(HOSTLIB) $(B)/lib/libvmiinline-host.a
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) $^ $(HOSTLIB_LIBS) -lcmocka -o $@

# The option table (lib/opts.h, tests/lib/test_opts.c): needs nothing but itself.
OPTS_TEST := $(B)/bin/test-opts
$(OPTS_TEST): $(B)/obj/tests/lib/test_opts.o $(B)/obj/lib/opts.o
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) $^ -lcmocka -o $@

CHECKS     += check-lib-unit
SAN_CHECKS += check-lib-unit
.PHONY: check-lib-unit
check-lib-unit: $(HOSTLIB_TEST) $(OPTS_TEST) $(B)/tests/aot/image-gcc.elf
	LIB_TEST_IMAGE=$(B)/tests/aot/image-gcc.elf $(HOSTLIB_TEST)
	$(OPTS_TEST)

# cmocka: the session (lib/session.h) on the aot test image and the pv ROM: the pipeline, and its
# errors (tests/lib/test_session.c).
SESSION_TEST := $(B)/bin/test-session
$(SESSION_TEST): $(B)/obj/tests/lib/test_session.o $(HOSTLIB) $(B)/lib/libvmiinline-host.a
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) $^ $(HOSTLIB_LIBS) -lcmocka -o $@

CHECKS     += check-lib-session
SAN_CHECKS += check-lib-session
.PHONY: check-lib-session
check-lib-session: $(SESSION_TEST) $(B)/tests/aot/image-gcc.elf $(B)/rom/vmi-pv.rom
	LIB_TEST_IMAGE=$(B)/tests/aot/image-gcc.elf LIB_TEST_ROM=$(B)/rom/vmi-pv.rom $(SESSION_TEST)
