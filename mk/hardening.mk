# Fuzz targets (libFuzzer, clang): `make fuzz FUZZ_SECONDS=N` runs each for N seconds;
# `make check` runs each for FUZZ_SMOKE_SECONDS.  A target is tests/fuzz/fuzz_NAME.c, linked with
# FUZZ_LIBS_NAME, seeded from FUZZ_SEEDS_NAME; parts append NAME to FUZZ_TARGETS.
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_FLAGS  := $(CSTD) $(WARN) -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -I$(B)/include

FUZZ_TARGETS      += spec
FUZZ_SRC_spec     := $(filter-out gen/main.c,$(wildcard gen/*.c))
FUZZ_INC_spec     := -Igen
FUZZ_LIBS_spec    := -lZydis
FUZZ_SEEDS_spec    = spec/*.vmi tests/bad/spec/*.vmi

# Each target: build/fuzz/fuzz_NAME, and a corpus seeded afresh from the real inputs.
define fuzz_rules
$(B)/fuzz/fuzz_$(1): tests/fuzz/fuzz_$(1).c $$(FUZZ_SRC_$(1))
	@mkdir -p $$(@D)
	$$(CLANG) $$(FUZZ_FLAGS) $$(FUZZ_INC_$(1)) $$^ $$(FUZZ_LIBS_$(1)) -o $$@

.PHONY: fuzz-$(1) fuzz-smoke-$(1)
fuzz-$(1): $(B)/fuzz/fuzz_$(1)
	@rm -rf $(B)/fuzz/corpus-$(1) && mkdir -p $(B)/fuzz/corpus-$(1)
	@cp $$(FUZZ_SEEDS_$(1)) $(B)/fuzz/corpus-$(1)/
	$(B)/fuzz/fuzz_$(1) -max_total_time=$$(SECONDS_$(1)) -max_len=16384 -print_final_stats=1 \
	    -artifact_prefix=$(B)/fuzz/crash-$(1)- $(B)/fuzz/corpus-$(1) 2>&1 | grep -E 'stat::number_of_executed_units|Done|ERROR|SUMMARY' ; \
	    test $$$${PIPESTATUS[0]} -eq 0
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rules,$(t))))
$(foreach t,$(FUZZ_TARGETS),$(eval SECONDS_$(t) ?= $$(FUZZ_SECONDS)))

.PHONY: fuzz check-fuzz-smoke
fuzz: $(addprefix fuzz-,$(FUZZ_TARGETS))

# The smoke run in `make check`: every target for FUZZ_SMOKE_SECONDS.
check-fuzz-smoke:
	@$(MAKE) --no-print-directory $(addprefix fuzz-,$(FUZZ_TARGETS)) FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)
CHECKS += check-fuzz-smoke
