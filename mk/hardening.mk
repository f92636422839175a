# Hardening (issue 8): fuzz targets, the bad-input corpus, valgrind, the live re-patching test.
# docs/reliability.md says what each check proves and how to run the fuzzers by hand.

# ---- fuzz targets (libFuzzer, clang) ----
# `make fuzz FUZZ_SECONDS=N` runs each target for N seconds; `make check` runs each for
# FUZZ_SMOKE_SECONDS and replays tests/fuzz/regress/NAME/* (every crash ever found) through it.
# A target NAME is tests/fuzz/fuzz_NAME.c compiled with FUZZ_SRC_NAME (sources, instrumented
# with it), FUZZ_INC_NAME, linked with FUZZ_LIBS_NAME.  Its corpus is built afresh each run from
# FUZZ_SEEDS_NAME (files; missing ones are skipped), the output of FUZZ_SEEDCMD_NAME (a command
# run with the corpus directory as its last argument, after FUZZ_SEEDDEPS_NAME are built) and the
# regression inputs.  FUZZ_MAXLEN_NAME bounds an input (default 16384).  Parts append NAME to
# FUZZ_TARGETS.
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_FLAGS  := $(CSTD) $(WARN) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
               -Iinclude -I$(B)/include
FUZZ_DIR    := $(B)/fuzz

# The spec parser and checker.
FUZZ_TARGETS      += spec
FUZZ_SRC_spec     := $(filter-out gen/main.c,$(wildcard gen/*.c))
FUZZ_INC_spec     := -Igen
FUZZ_LIBS_spec    := -lZydis
FUZZ_SEEDS_spec    = spec/*.vmi tests/bad/spec/*.vmi

# The ROM probe, the inline-extension reader, and the planner over the bodies it finds.
FUZZ_TARGETS      += rom
FUZZ_SRC_rom      := $(wildcard inliner/*.c)
FUZZ_INC_rom      := -Iinliner
FUZZ_SEEDS_rom     = $(B)/rom/vmi-native.rom $(B)/rom/vmi-pv.rom
FUZZ_SEEDDEPS_rom  = $(FUZZ_DIR)/mkseeds_rom
FUZZ_SEEDCMD_rom   = $(FUZZ_DIR)/mkseeds_rom

# The site-table reader: the records of the glue tests' and the aot test images' vmi_sites.
FUZZ_TARGETS      += sites
FUZZ_SRC_sites    := $(wildcard inliner/*.c)
FUZZ_INC_sites    := -Iinliner
FUZZ_SEEDDEPS_sites = $(B)/tests/glue-gcc $(B)/tests/glue-clang $(AOT_T)/image-gcc.elf $(AOT_T)/image-clang.elf
FUZZ_SEEDCMD_sites = bash tests/fuzz/mkseeds_sites.sh
FUZZ_SEEDARGS_sites = $(FUZZ_SEEDDEPS_sites)

# vmi-aot's ELF reading path: aot_image_open, the DWARF index, site info, the sites command.
# Every vmi-aot source but main.c (a library the tool links is compiled in instead, so it is
# instrumented too).
FUZZ_TARGETS      += elf
FUZZ_SRC_elf       = $(filter-out tools/vmi-aot/main.c,$(wildcard tools/vmi-aot/*.c)) \
                     $(if $(filter $(INL_HOST),$(AOT_LIBDEPS)),$(wildcard inliner/*.c))
FUZZ_INC_elf      := -Itools/vmi-aot -Iinliner
FUZZ_LIBS_elf      = $(filter-out $(INL_HOST),$(AOT_LIBDEPS)) $(AOT_LIBS)
FUZZ_SEEDS_elf     = $(AOT_T)/image-gcc.elf $(AOT_T)/image-clang.elf $(B)/tests/glue-gcc $(B)/tests/glue-clang
FUZZ_SEEDDEPS_elf  = $(FUZZ_SEEDS_elf)
FUZZ_MAXLEN_elf   := 65536

$(FUZZ_DIR)/mkseeds_rom: tests/fuzz/mkseeds_rom.c tests/inliner/romgen.c tests/inliner/romgen.h $(INL_HOST)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iinliner -Itests/inliner tests/fuzz/mkseeds_rom.c tests/inliner/romgen.c \
	    $(INL_HOST) $(HOST_LDFLAGS) -o $@

# Each target: $(FUZZ_DIR)/fuzz_NAME, fuzz-NAME (a run of SECONDS_NAME) and fuzz-regress-NAME.
define fuzz_rules
$(FUZZ_DIR)/fuzz_$(1): tests/fuzz/fuzz_$(1).c $$(FUZZ_SRC_$(1)) $$(filter %.a,$$(FUZZ_LIBS_$(1)))
	@mkdir -p $$(@D)
	$$(CLANG) $$(FUZZ_FLAGS) $$(FUZZ_INC_$(1)) $$(filter %.c,$$^) $$(FUZZ_LIBS_$(1)) -o $$@

.PHONY: fuzz-$(1) fuzz-regress-$(1)
fuzz-$(1): $(FUZZ_DIR)/fuzz_$(1) $$(FUZZ_SEEDDEPS_$(1))
	@rm -rf $(FUZZ_DIR)/corpus-$(1) && mkdir -p $(FUZZ_DIR)/corpus-$(1)
	@$$(if $$(wildcard $$(FUZZ_SEEDS_$(1))),cp $$(wildcard $$(FUZZ_SEEDS_$(1))) $(FUZZ_DIR)/corpus-$(1)/)
	@$$(if $$(FUZZ_SEEDCMD_$(1)),$$(FUZZ_SEEDCMD_$(1)) $(FUZZ_DIR)/corpus-$(1) $$(FUZZ_SEEDARGS_$(1)))
	@$$(if $$(wildcard tests/fuzz/regress/$(1)/*),cp tests/fuzz/regress/$(1)/* $(FUZZ_DIR)/corpus-$(1)/)
	@echo "fuzz-$(1): $$$$(ls $(FUZZ_DIR)/corpus-$(1) | wc -l) seeds, $$(SECONDS_$(1)) s"
	@$(FUZZ_DIR)/fuzz_$(1) -max_total_time=$$(SECONDS_$(1)) -max_len=$$(or $$(FUZZ_MAXLEN_$(1)),16384) \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crash-$(1)- $(FUZZ_DIR)/corpus-$(1) \
	    > $(FUZZ_DIR)/log-$(1) 2>&1; rc=$$$$?; \
	    grep -E 'stat::number_of_executed_units|Done [0-9]|ERROR|SUMMARY|==ERROR' $(FUZZ_DIR)/log-$(1); \
	    if [ $$$$rc -ne 0 ]; then tail -40 $(FUZZ_DIR)/log-$(1); \
	        echo "fuzz-$(1): FAILED; the input is $(FUZZ_DIR)/crash-$(1)-*; copy it to tests/fuzz/regress/$(1)/"; fi; \
	    exit $$$$rc

# Every input that once crashed the target, run once each: none may crash now.
fuzz-regress-$(1): $(FUZZ_DIR)/fuzz_$(1)
	@set -e; files=$$$$(ls tests/fuzz/regress/$(1)/* 2>/dev/null || true); \
	    if [ -z "$$$$files" ]; then echo "fuzz-regress-$(1): no regression inputs"; exit 0; fi; \
	    $(FUZZ_DIR)/fuzz_$(1) -runs=1 $$$$files > $(FUZZ_DIR)/regress-$(1).log 2>&1 \
	        || { tail -40 $(FUZZ_DIR)/regress-$(1).log; exit 1; }; \
	    echo "fuzz-regress-$(1): $$$$(echo $$$$files | wc -w) inputs replayed, no crash"
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rules,$(t))))
$(foreach t,$(FUZZ_TARGETS),$(eval SECONDS_$(t) ?= $$(FUZZ_SECONDS)))

.PHONY: fuzz check-fuzz-smoke check-fuzz-regress
fuzz: $(addprefix fuzz-,$(FUZZ_TARGETS))

# The smoke run in `make check`: every target for FUZZ_SMOKE_SECONDS.
check-fuzz-smoke:
	@$(MAKE) --no-print-directory $(addprefix fuzz-,$(FUZZ_TARGETS)) FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)
check-fuzz-regress: $(addprefix fuzz-regress-,$(FUZZ_TARGETS))
CHECKS += check-fuzz-regress check-fuzz-smoke
