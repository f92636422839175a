# SPDX-License-Identifier: GPL-2.0-only
# The spec and its generator: build/bin/vmi-gen, include/vmi_abi.h (committed),
# $(B)/include/vmi_glue.h, and the generator's tests.

ABI_SPEC := spec/abi.vmi spec/ext.vmi spec/calls.vmi spec/native.vmi spec/pv.vmi
ROM_SPEC := $(wildcard spec/rom-*.vmi)
# The Linux consumer profile (after the call table it names): include/vmi_linux.h (committed).
LINUX_SPEC := spec/linux.vmi
LINUX_H    := include/vmi_linux.h
LINUX_VMI_DIR ?= ../shared/linux-vmi
GEN_SRC  := $(filter-out gen/main.c,$(wildcard gen/*.c))
GEN_OBJ  := $(GEN_SRC:gen/%.c=$(B)/obj/gen/%.o)
VMI_GEN  := $(B)/bin/vmi-gen
GLUE_H   := $(B)/include/vmi_glue.h

ALL += $(VMI_GEN) include/vmi_abi.h $(LINUX_H) $(GLUE_H)
INSTALL_FILES += $(VMI_GEN):$(bindir):755 include/vmi_abi.h:$(pkgincludedir):644 \
                 $(GLUE_H):$(pkgincludedir):644 $(LINUX_H):$(pkgincludedir):644 \
                 $(foreach s,$(ABI_SPEC) $(ROM_SPEC) $(LINUX_SPEC),$(s):$(pkgdatadir)/spec:644)

$(B)/obj/gen/%.o: gen/%.c gen/*.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(B)/lib/libvmigen.a: $(GEN_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# vmi-gen parses its command line with the hosted library's option table (lib/opts.c, which
# needs only libc and lib/aot_err.h), compiled here on its own: lib/'s pattern rule waits for the
# glue header, which vmi-gen itself writes.
$(B)/obj/gen/main.o: HOST_CFLAGS += -Ilib
$(B)/obj/gen/opts.o: lib/opts.c lib/opts.h lib/aot_err.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ilib $(DEPFLAGS) -c $< -o $@

$(VMI_GEN): $(B)/obj/gen/main.o $(B)/obj/gen/opts.o $(B)/lib/libvmigen.a
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) $^ -lZydis -o $@

# The committed header follows the spec: `make` regenerates it after a spec edit.
include/vmi_abi.h: $(ABI_SPEC) $(VMI_GEN)
	$(VMI_GEN) --header $@ $(ABI_SPEC)

$(LINUX_H): $(ABI_SPEC) $(LINUX_SPEC) $(VMI_GEN)
	$(VMI_GEN) --linux-header $@ $(ABI_SPEC) $(LINUX_SPEC)

$(GLUE_H): $(ABI_SPEC) $(VMI_GEN)
	@mkdir -p $(@D)
	$(VMI_GEN) --glue $@ $(ABI_SPEC)

# ---- tests ----
# The committed headers must match the spec; `make check` runs this before anything regenerates
# them.
.PHONY: check-header-fresh
check-header-fresh: $(VMI_GEN)
	@mkdir -p $(B)/gen
	@$(VMI_GEN) --header $(B)/gen/vmi_abi.h $(ABI_SPEC)
	@$(VMI_GEN) --linux-header $(B)/gen/vmi_linux.h $(ABI_SPEC) $(LINUX_SPEC)
	@for h in vmi_abi.h vmi_linux.h; do \
	    if cmp -s $(B)/gen/$$h include/$$h; then \
	        echo "include/$$h is up to date with the spec"; \
	    else \
	        echo "include/$$h is stale: run make and commit it" >&2; \
	        diff -u include/$$h $(B)/gen/$$h | head -20 >&2; exit 1; \
	    fi; \
	done

# cmocka tests of the parser, checker and emitters, and the bad-spec corpus (run from the root).
$(B)/tests/test_spec: tests/gen/test_spec.c $(B)/lib/libvmigen.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Igen $< $(B)/lib/libvmigen.a $(HOST_LDFLAGS) -lZydis -lcmocka -o $@

.PHONY: check-gen-unit check-gen-cli check-header-modes check-glue-gcc check-glue-clang
check-gen-unit: $(B)/tests/test_spec
	$(B)/tests/test_spec

check-gen-cli: $(VMI_GEN)
	bash tests/gen/cli.sh $(VMI_GEN) $(ABI_SPEC)

# The header compiles hosted, -m32 and freestanding, with both compilers, and from assembler.
check-header-modes: include/vmi_abi.h $(LINUX_H)
	@set -e; for cc in $(CC) $(CLANG); do \
	    for mode in "" "-m32" "-m32 -ffreestanding -nostdlib"; do \
	        $$cc $(CSTD) $(WARN) -Iinclude $$mode -c tests/gen/header_modes.c -o /dev/null; \
	        $$cc $(CSTD) $(WARN) -Iinclude $$mode -c tests/gen/linux_header_modes.c -o /dev/null; \
	        echo "vmi_abi.h and vmi_linux.h compile: $$cc $$mode"; \
	    done; \
	    echo '#include "vmi_abi.h"' | $$cc -m32 -Iinclude -x assembler-with-cpp -c - -o /dev/null; \
	    echo "vmi_abi.h assembles: $$cc"; \
	done

# The glue in a 32-bit program, built by each compiler.
$(B)/tests/glue-%: tests/gen/glue_sites.c tests/gen/glue_asm.S $(GLUE_H) include/vmi_abi.h
	@mkdir -p $(@D)
	$(if $(filter clang,$*),$(CLANG),$(CC)) $(M32_CFLAGS) tests/gen/glue_sites.c tests/gen/glue_asm.S -o $@

check-glue-gcc: $(B)/tests/glue-gcc
	$<
check-glue-clang: $(B)/tests/glue-clang
	$<

CHECKS += check-gen-unit check-gen-cli check-header-modes check-glue-gcc check-glue-clang
SAN_CHECKS += check-gen-unit check-gen-cli

# The Linux profile's layout against the DWARF of the fixture kernels (non-PAE, PAE, SMP): every
# row's word offset and every group's size, read by gdb.
$(B)/tests/linux-layout: tests/linux/layout_dump.c $(B)/lib/libvmiinline-host.a $(LINUX_H)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iinliner $< $(B)/lib/libvmiinline-host.a $(HOST_LDFLAGS) -o $@

.PHONY: check-linux-layout
check-linux-layout: $(B)/tests/linux-layout
	@bash tests/linux/layout.sh $(B)/tests/linux-layout $(LINUX_VMI_DIR)

CHECKS += check-linux-layout
SAN_CHECKS += check-linux-layout

# Every ROM flavor of the spec against the Linux profile's rules (vmi-gen's side; check-rom-images
# runs vmi-aot check-rom, which applies the same generated rules to the images).
.PHONY: check-linux-rules
check-linux-rules: $(VMI_GEN)
	$(VMI_GEN) --check $(ABI_SPEC) $(LINUX_SPEC) $(ROM_SPEC)
	@echo "ROM flavors $(ROM_SPEC): no $(LINUX_SPEC) rule broken"

CHECKS += check-linux-rules
SAN_CHECKS += check-linux-rules

.PHONY: demo-gen
demo-gen: $(VMI_GEN) include/vmi_abi.h
	@bash tools/demo-gen.sh $(VMI_GEN) $(B)/demo $(ABI_SPEC)
DEMOS += demo-gen
