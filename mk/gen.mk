# The spec and its generator: build/bin/vmi-gen, include/vmi_abi.h (committed),
# $(B)/include/vmi_glue.h, and the generator's tests.

ABI_SPEC := spec/abi.vmi spec/ext.vmi spec/calls.vmi spec/native.vmi
ROM_SPEC := $(wildcard spec/rom-*.vmi)
GEN_SRC  := $(filter-out gen/main.c,$(wildcard gen/*.c))
GEN_OBJ  := $(GEN_SRC:gen/%.c=$(B)/obj/gen/%.o)
VMI_GEN  := $(B)/bin/vmi-gen
GLUE_H   := $(B)/include/vmi_glue.h

ALL += $(VMI_GEN) include/vmi_abi.h $(GLUE_H)
INSTALL_FILES += $(VMI_GEN):bin:755 include/vmi_abi.h:include/vmi:644 $(GLUE_H):include/vmi:644

$(B)/obj/gen/%.o: gen/%.c gen/*.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(B)/lib/libvmigen.a: $(GEN_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(VMI_GEN): $(B)/obj/gen/main.o $(B)/lib/libvmigen.a
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) $^ -lZydis -o $@

# The committed header follows the spec: `make` regenerates it after a spec edit.
include/vmi_abi.h: $(ABI_SPEC) $(VMI_GEN)
	$(VMI_GEN) --header $@ $(ABI_SPEC)

$(GLUE_H): $(ABI_SPEC) $(VMI_GEN)
	@mkdir -p $(@D)
	$(VMI_GEN) --glue $@ $(ABI_SPEC)

# ---- tests ----
# The committed header must match the spec; `make check` runs this before anything regenerates it.
.PHONY: check-header-fresh
check-header-fresh: $(VMI_GEN)
	@mkdir -p $(B)/gen
	@$(VMI_GEN) --header $(B)/gen/vmi_abi.h $(ABI_SPEC)
	@if cmp -s $(B)/gen/vmi_abi.h include/vmi_abi.h; then \
	    echo "include/vmi_abi.h is up to date with the spec"; \
	else \
	    echo "include/vmi_abi.h is stale: run make and commit it" >&2; \
	    diff -u include/vmi_abi.h $(B)/gen/vmi_abi.h | head -20 >&2; exit 1; \
	fi
CHECKS += check-header-fresh
