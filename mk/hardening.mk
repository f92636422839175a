# SPDX-License-Identifier: GPL-2.0-only
# Hardening: fuzz targets, the bad-input corpus, valgrind, the live re-patching test.
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
# The smoke run is the same every time: a fixed seed and a fixed number of inputs (capped by
# FUZZ_SMOKE_SECONDS on a slow machine, which only shortens the same sequence), so a check that
# passed here passes in CI; `make fuzz` explores with a fresh seed each run.
FUZZ_SMOKE_RUNS    ?= 30000
FUZZ_SMOKE_SEED    ?= 1
FUZZ_FLAGS  := $(CSTD) $(WARN) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
               -Iinclude -I$(B)/include
FUZZ_DIR    := $(B)/fuzz
# A huge allocation is an answer, not a crash: libdwarf sizes tables from counts in the input
# (dwarf_srcfiles: a DWARF 5 file-name count of 2^52, tests/fuzz/regress/elf/
# libdwarf-srcfiles-huge-count) and reports DW_DLE_ALLOC_FAIL when calloc returns NULL, which the
# tools turn into their one-line "bad DWARF" error; ASan would abort in calloc instead.
FUZZ_ENV    := ASAN_OPTIONS=allocator_may_return_null=1
AFL_CC      ?= afl-clang-fast
# `make afl-NAME` without AFL++: one line saying so, before anything is built.
ifneq ($(filter afl-%,$(MAKECMDGOALS)),)
ifeq ($(shell command -v $(AFL_CC) 2>/dev/null),)
$(error $(filter afl-%,$(MAKECMDGOALS)): $(AFL_CC) not found: install AFL++ (Debian: afl++) or set AFL_CC)
endif
endif

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
FUZZ_SEEDDEPS_sites = $(B)/tests/glue-gcc $(B)/tests/glue-clang $(AOT_T)/image-gcc.elf $(B)/bad/image-gcc.elf $(B)/bad/image-clang.elf
FUZZ_SEEDCMD_sites = bash tests/fuzz/mkseeds_sites.sh
FUZZ_SEEDARGS_sites = $(FUZZ_SEEDDEPS_sites)

# The Linux pv-site reader and the original-bytes plan, apply, revert: the synthetic Linux
# kernels' .parainstructions (mk/aot.mk, tests/aot/gen-linux-mini.py).
FUZZ_TARGETS      += linux_sites
FUZZ_SRC_linux_sites := $(wildcard inliner/*.c)
FUZZ_INC_linux_sites := -Iinliner
FUZZ_SEEDDEPS_linux_sites = $(AOT_MINIS)
FUZZ_SEEDCMD_linux_sites = bash tests/fuzz/mkseeds_linux.sh
FUZZ_SEEDARGS_linux_sites = $(foreach c,$(AOT_MINI_CFGS),$(AOT_T)/linux-mini-$(c).elf:$(c))

# vmi-aot's ELF reading path: aot_image_open, the DWARF index, site info, the sites command.
# Every hosted-library and vmi-aot source but main.c (a library the tool links is compiled in
# instead, so it is instrumented too).
FUZZ_TARGETS      += elf
FUZZ_SRC_elf       = $(HOSTLIB_SRC) $(filter-out tools/vmi-aot/main.c,$(wildcard tools/vmi-aot/*.c)) \
                     $(if $(filter $(INL_HOST),$(AOT_LIBDEPS)),$(wildcard inliner/*.c))
FUZZ_INC_elf      := -Itools/vmi-aot $(HOSTLIB_INC)
FUZZ_LIBS_elf      = $(filter-out $(HOSTLIB) $(INL_HOST),$(AOT_LIBDEPS)) $(AOT_LIBS)
FUZZ_SEEDS_elf     = $(AOT_T)/image-gcc.elf $(B)/bad/image-gcc.elf $(B)/bad/image-clang.elf $(B)/tests/glue-gcc $(B)/tests/glue-clang
FUZZ_SEEDDEPS_elf  = $(FUZZ_SEEDS_elf)
FUZZ_MAXLEN_elf   := 65536

# The loader's module parsing, built hosted (tests/loader/hosted/): the loader's own sources, for
# a 32-bit process (the loader's addresses are pointers), non-PIE and linked high, at 0x60000000,
# so that [64 KiB, 256 MiB) is free for the mapping that stands for the machine's RAM; the loader's
# image symbols are where a boot has them.  Its users: the fuzz target loader_elf and the mutation
# guard's loader-parse.
LOADER_HOSTED_SRC   := $(addprefix loader/,multiboot.c options.c vmlinux.c memory.c linux_config.c \
                       patch.c aot.c) tests/loader/hosted/hosted.c tests/loader/hosted/shim.c \
                       $(wildcard inliner/*.c)
LOADER_HOSTED_FLAGS := -m32 -fno-pie -no-pie -Iloader -Iinliner -Itools/vmi-aot -Itests/loader/hosted -Ilib \
                       -Wl,--defsym,__loader_start=0x100000 -Wl,--defsym,__loader_end=0x194000 \
                       -Wl,-Ttext-segment=0x60000000

# The loader's parsing of the vmlinux module and the multiboot information: the synthetic Linux
# kernels, plain and specialized, and (when the fixtures are there) the first 64 KiB of the
# fixture vmlinux.  libFuzzer's C++ runtime wants libstdc++, which the 32-bit sanitizer runtimes
# bring only as libstdc++.so.6.
FUZZ_TARGETS         += loader_elf
FUZZ_SRC_loader_elf   = $(LOADER_HOSTED_SRC)
FUZZ_INC_loader_elf   = $(LOADER_HOSTED_FLAGS) -nostdlib++ -l:libstdc++.so.6
FUZZ_SEEDDEPS_loader_elf = $(AOT_MINIS) $(VMI_AOT) $(B)/rom/vmi-native.rom
FUZZ_SEEDCMD_loader_elf = bash tests/fuzz/mkseeds_loader.sh
FUZZ_SEEDARGS_loader_elf = $(VMI_AOT) $(B)/rom/vmi-native.rom $(LINUX_VMI_DIR) $(AOT_MINIS)
FUZZ_MAXLEN_loader_elf := 65536

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
	@n=0; for f in $$(wildcard $$(FUZZ_SEEDS_$(1))); do n=$$$$((n + 1)); \
	    cp "$$$$f" $(FUZZ_DIR)/corpus-$(1)/seed$$$$n-$$$$(basename "$$$$f") || exit 1; done
	@$$(if $$(FUZZ_SEEDCMD_$(1)),$$(FUZZ_SEEDCMD_$(1)) $(FUZZ_DIR)/corpus-$(1) $$(FUZZ_SEEDARGS_$(1)))
	@$$(if $$(wildcard tests/fuzz/regress/$(1)/*),cp tests/fuzz/regress/$(1)/* $(FUZZ_DIR)/corpus-$(1)/)
	@echo "fuzz-$(1): $$$$(ls $(FUZZ_DIR)/corpus-$(1) | wc -l) seeds, at most $$(SECONDS_$(1)) s $$(FUZZ_RUN_LIMIT)"
	@$(FUZZ_ENV) $(FUZZ_DIR)/fuzz_$(1) -max_total_time=$$(SECONDS_$(1)) $$(FUZZ_RUN_LIMIT) -max_len=$$(or $$(FUZZ_MAXLEN_$(1)),16384) \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crash-$(1)- $(FUZZ_DIR)/corpus-$(1) \
	    > $(FUZZ_DIR)/log-$(1) 2>&1; rc=$$$$?; \
	    grep -E 'stat::number_of_executed_units|Done [0-9]|ERROR|SUMMARY|==ERROR' $(FUZZ_DIR)/log-$(1); \
	    if [ $$$$rc -ne 0 ]; then tail -40 $(FUZZ_DIR)/log-$(1); \
	        echo "fuzz-$(1): FAILED; the input is $(FUZZ_DIR)/crash-$(1)-*; copy it to tests/fuzz/regress/$(1)/"; fi; \
	    exit $$$$rc

# The same target for AFL++ (docs/reliability.md): never built by `make` or `make check`.
.PHONY: afl-$(1)
afl-$(1): tests/fuzz/fuzz_$(1).c $$(FUZZ_SRC_$(1)) $$(filter %.a,$$(FUZZ_LIBS_$(1))) $$(FUZZ_SEEDDEPS_$(1))
	@mkdir -p $(FUZZ_DIR)
	$$(AFL_CC) $$(FUZZ_FLAGS) $$(FUZZ_INC_$(1)) tests/fuzz/fuzz_$(1).c $$(FUZZ_SRC_$(1)) $$(FUZZ_LIBS_$(1)) \
	    -o $(FUZZ_DIR)/afl_$(1)

# Every input that once crashed the target, run once each: none may crash now.
fuzz-regress-$(1): $(FUZZ_DIR)/fuzz_$(1)
	@set -e; files=$$$$(ls tests/fuzz/regress/$(1)/* 2>/dev/null || true); \
	    if [ -z "$$$$files" ]; then echo "fuzz-regress-$(1): no regression inputs"; exit 0; fi; \
	    $(FUZZ_ENV) $(FUZZ_DIR)/fuzz_$(1) -runs=1 $$$$files > $(FUZZ_DIR)/regress-$(1).log 2>&1 \
	        || { tail -40 $(FUZZ_DIR)/regress-$(1).log; exit 1; }; \
	    echo "fuzz-regress-$(1): $$$$(echo $$$$files | wc -w) inputs replayed, no crash"
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rules,$(t))))
$(foreach t,$(FUZZ_TARGETS),$(eval SECONDS_$(t) ?= $$(FUZZ_SECONDS)))

.PHONY: fuzz check-fuzz-smoke check-fuzz-regress
fuzz: $(addprefix fuzz-,$(FUZZ_TARGETS))

# The smoke run in `make check`: every target for FUZZ_SMOKE_RUNS inputs from FUZZ_SMOKE_SEED.
check-fuzz-smoke:
	@$(MAKE) --no-print-directory $(addprefix fuzz-,$(FUZZ_TARGETS)) FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) \
	    FUZZ_RUN_LIMIT="-runs=$(FUZZ_SMOKE_RUNS) -seed=$(FUZZ_SMOKE_SEED)"
check-fuzz-regress: $(addprefix fuzz-regress-,$(FUZZ_TARGETS))
CHECKS += check-fuzz-regress check-fuzz-smoke

# ---- the bad-input corpus (tests/bad/) ----
# Each corpus is a case list and the expected one-line errors; the malformed inputs are made at
# test time from the real ones by $(BAD_CORRUPT) (tests/bad/corrupt.c).  tests/bad/run.sh checks
# the exit status, the message, that no output appears and that the input is unchanged.
BAD_DIR     := $(B)/bad
BAD_CORRUPT := $(BAD_DIR)/corrupt
BAD_PROBE   := $(BAD_DIR)/rom-probe
BAD_IMAGES  := $(BAD_DIR)/image-gcc.elf $(BAD_DIR)/image-clang.elf
BAD_INPUTS  := $(BAD_IMAGES) $(ROM_IMAGES)
BAD_ARGS     = vmi-aot=$(VMI_AOT) vmi-gen=$(VMI_GEN) rom-probe=$(BAD_PROBE) vmi-selftest=$(SELFTEST) \
               image-gcc=$(BAD_DIR)/image-gcc.elf image-clang=$(BAD_DIR)/image-clang.elf \
               pv=$(B)/rom/vmi-pv.rom native=$(B)/rom/vmi-native.rom

# The corpus's own base images (tests/bad/image.c): their layout is what the .err files name, so
# the debug info must not depend on where the tree or the build directory is.
BAD_IMG_FLAGS := $(CSTD) $(WARN) -m32 -O2 -g -fno-pic -fno-stack-protector -ffreestanding \
                 -nostdlib -static -Iinclude -I$(B)/include \
                 -fdebug-prefix-map=$(B)/include=gen -fdebug-prefix-map=$(CURDIR)=/src
$(BAD_DIR)/image-gcc.elf: tests/bad/image.c tests/bad/image_asm.S $(GLUE_H) include/vmi_abi.h
	@mkdir -p $(@D)
	$(CC) $(BAD_IMG_FLAGS) tests/bad/image.c tests/bad/image_asm.S -o $@
$(BAD_DIR)/image-clang.elf: tests/bad/image.c tests/bad/image_asm.S $(GLUE_H) include/vmi_abi.h
	@mkdir -p $(@D)
	$(CLANG) $(BAD_IMG_FLAGS) -fdebug-compilation-dir=/src -fuse-ld=bfd tests/bad/image.c tests/bad/image_asm.S -o $@

$(BAD_CORRUPT): tests/bad/corrupt.c include/vmi_abi.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $< $(HOST_LDFLAGS) -o $@
$(BAD_PROBE): tests/bad/rom_probe.c $(INL_HOST)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iinliner $< $(INL_HOST) $(HOST_LDFLAGS) -o $@

BAD_CHECKS := check-bad-elf check-bad-sites check-bad-rom check-bad-cli
.PHONY: $(BAD_CHECKS) check-hardening-compilers
$(BAD_CHECKS): check-bad-%: $(BAD_CORRUPT) $(BAD_PROBE) $(VMI_AOT) $(VMI_GEN) $(SELFTEST) $(BAD_INPUTS)
	@bash tests/bad/run.sh tests/bad/$* $(BAD_CORRUPT) $(BAD_ARGS)

# Both compilers build every hardening source warning-free: gcc and clang each check the fuzz
# targets (which only clang links, with libFuzzer) and clang the rest (gcc builds it above).
check-hardening-compilers: $(GLUE_H)
	@set -e; for cc in $(CC) $(CLANG); do for t in $(FUZZ_TARGETS); do \
	    $$cc $(CSTD) $(WARN) -O2 -Iinclude -I$(B)/include -Igen -Iinliner -Itools/vmi-aot -Ilib \
	        -Itests/loader/hosted \
	        -fsyntax-only tests/fuzz/fuzz_$$t.c; done; done; \
	$(CLANG) $(CSTD) $(WARN) -O2 -Iinclude -fsyntax-only tests/bad/corrupt.c; \
	$(CLANG) $(CSTD) $(WARN) -O2 -fsyntax-only tests/mutate/mutate.c; \
	$(CLANG) $(CSTD) $(WARN) -m32 -O2 -ffreestanding -fsyntax-only tests/mutate/nosites.c; \
	for f in tests/loader/hosted/parse.c $(LOADER_HOSTED_SRC); do \
	    $(CLANG) $(CSTD) $(WARN) -O2 -Iinclude -I$(B)/include $(filter -I%,$(LOADER_HOSTED_FLAGS)) -m32 \
	        -fsyntax-only $$f; done; \
	for f in tests/bad/rom_probe.c tests/fuzz/mkseeds_rom.c; do \
	    $(CLANG) $(CSTD) $(WARN) -O2 -Iinclude -I$(B)/include -Iinliner -Itests/inliner -fsyntax-only $$f; done; \
	for f in $(wildcard tests/live/*.c); do \
	    $(CLANG) $(M32_CFLAGS) -Iinliner -Itests/harness $(HOST32_INC) -DHARNESS_ROM_BASE=$(HARNESS_ROM_BASE)u \
	        -fsyntax-only $$f; done; \
	echo "hardening: gcc and clang -std=gnu11 $(WARN) compile every source"

CHECKS     += $(BAD_CHECKS) check-hardening-compilers
SAN_CHECKS += $(BAD_CHECKS)

# ---- valgrind memcheck on the tools' real runs and some error paths ----
VALGRIND := valgrind -q --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect,possible \
            --errors-for-leak-kinds=definite,indirect,possible
.PHONY: check-valgrind
check-valgrind: $(VMI_GEN) $(VMI_AOT) $(BAD_CORRUPT) $(BAD_INPUTS) $(AOT_T)/image-gcc.elf $(B)/tests/glue-gcc $(B)/tests/glue-clang
	@set -e; t=$$(mktemp -d); trap 'rm -rf $$t' EXIT; n=0; \
	run() { rc=0; $(VALGRIND) --log-file=$$t/vg.log "$$@" > $$t/out 2> $$t/err || rc=$$?; \
	    if [ -s $$t/vg.log ] || [ $$rc -ge 126 ]; then echo "valgrind: $$*"; cat $$t/vg.log; exit 1; fi; \
	    n=$$((n + 1)); }; \
	run $(VMI_GEN) --check $(ABI_SPEC); \
	run $(VMI_GEN) --summary --check $(ABI_SPEC); \
	run $(VMI_GEN) --header $$t/h.h --glue $$t/g.h $(ABI_SPEC); \
	run $(VMI_GEN) --rom pv=$$t/pv.s $(ABI_SPEC) spec/rom-pv.vmi; \
	run $(VMI_GEN) --check $(ABI_SPEC) tests/bad/spec/native-text-mismatch.vmi; \
	for r in $(ROM_IMAGES); do run $(VMI_AOT) check-rom $$r; run $(VMI_AOT) check-rom --json $$r; done; \
	$(BAD_CORRUPT) $(B)/rom/vmi-pv.rom $$t/bad.rom set 0x16 2 0 : romsum; run $(VMI_AOT) check-rom $$t/bad.rom; \
	for e in $(BAD_IMAGES) $(AOT_T)/image-gcc.elf $(B)/tests/glue-gcc $(B)/tests/glue-clang; do \
	    run $(VMI_AOT) sites $$e; run $(VMI_AOT) sites --json $$e -o $$t/sites.json; done; \
	$(BAD_CORRUPT) $(BAD_DIR)/image-gcc.elf $$t/bad.elf recadd 1 offset -12; run $(VMI_AOT) sites $$t/bad.elf; \
	$(BAD_CORRUPT) $(BAD_DIR)/image-gcc.elf $$t/bad2.elf shdr .symtab link 3; run $(VMI_AOT) sites $$t/bad2.elf; \
	echo "valgrind memcheck: $$n runs of vmi-gen and vmi-aot, no error, no leak"
CHECKS += check-valgrind

# ---- live re-patching under load (tests/live/live.c) ----
# 32-bit, linked with the hosted library's 32-bit part (lib/m32: the ROM's entries, its gate and
# the state page) and the freestanding inliner.  Built by gcc and by clang.
LIVE_HARNESS_GCC   := $(HOST32)
LIVE_HARNESS_CLANG := $(HOST32_CLANG)
LIVE     := $(B)/bin/vmi-live
LIVE_CL  := $(B)/bin/vmi-live-clang
LIVE_SWITCHES ?= 3000
LIVE_THREADS  ?= 4
ALL += $(LIVE) $(LIVE_CL)

$(LIVE): tests/live/live.c tests/harness/harness.h $(INL_HDR) $(GLUE_H) $(LIVE_HARNESS_GCC) $(INL_LIB)
	@mkdir -p $(@D)
	$(CC) $(M32_CFLAGS) -fno-pie -no-pie -pthread -Iinliner -Itests/harness $(HOST32_INC) -DHARNESS_ROM_BASE=$(HARNESS_ROM_BASE)u $< $(LIVE_HARNESS_GCC) $(INL_LIB) -o $@
$(LIVE_CL): tests/live/live.c tests/harness/harness.h $(INL_HDR) $(GLUE_H) $(LIVE_HARNESS_CLANG) $(INL_CLANG_LIB)
	@mkdir -p $(@D)
	$(CLANG) $(M32_CFLAGS) -fno-pie -no-pie -pthread -Iinliner -Itests/harness $(HOST32_INC) -DHARNESS_ROM_BASE=$(HARNESS_ROM_BASE)u $< $(LIVE_HARNESS_CLANG) $(INL_CLANG_LIB) -o $@

.PHONY: check-live-gcc check-live-clang check-live-bad-plan bench-live
check-live-gcc: $(LIVE) $(PV_ROM)
	$(LIVE) $(PV_ROM) --threads $(LIVE_THREADS) --switches $(LIVE_SWITCHES)
check-live-clang: $(LIVE_CL) $(PV_ROM)
	$(LIVE_CL) $(PV_ROM) --threads 2 --switches $(LIVE_SWITCHES)
# The test can fail: a plan that drops the SetPxE stores must be caught by the workers.
check-live-bad-plan: $(LIVE) $(PV_ROM)
	@if $(LIVE) $(PV_ROM) --threads 2 --switches 60 --bad-plan > $(B)/live-bad.log 2>&1; then \
	    cat $(B)/live-bad.log; echo "vmi-live --bad-plan passed: the workers' checks see nothing" >&2; exit 1; \
	else grep -m1 'wrong results; first' $(B)/live-bad.log; echo "vmi-live --bad-plan: caught"; fi
bench-live: $(LIVE) $(PV_ROM)
	$(LIVE) $(PV_ROM) --threads 4 --switches 5000
	$(LIVE) $(PV_ROM) --threads 2 --switches 20000
	$(LIVE) $(PV_ROM) --threads 1 --switches 20000

CHECKS  += check-live-gcc check-live-clang check-live-bad-plan
BENCHES += bench-live

# ---- the mutation guard (tests/mutate/run.sh, docs/reliability.md §6) ----
# Seeded mutants of every input kind through every command that reads it.  In SAN_CHECKS only: it
# runs once in CI, under `make check SANITIZE=address,undefined`, against the sanitized tools.
MUT_DIR     := $(B)/mutate
MUT_TOOL    := $(MUT_DIR)/mutate
MUT_NOSITES := $(MUT_DIR)/nosites.elf
MUT_SEED    ?= 17
MUT_COUNT   ?= 300
MUT_KINDS   ?= rom elf specialized spec linux linux-real
MUT_COUNT_REAL ?= 6
MUT_LOADER  := $(MUT_DIR)/loader-parse
$(MUT_TOOL): tests/mutate/mutate.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOST_LDFLAGS) $< -o $@
# an i386 image with no VMI sites, compiled here
$(MUT_NOSITES): tests/mutate/nosites.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -m32 -O2 -g -ffreestanding -nostdlib -static -fno-pic \
	    -Wl,--no-warn-rwx-segments $< -o $@

# the loader's module parsing, hosted, on one file (tests/loader/hosted/parse.c): sanitized in
# build/san like the tools
$(MUT_LOADER): tests/loader/hosted/parse.c $(LOADER_HOSTED_SRC) $(wildcard loader/*.h) \
               $(wildcard inliner/*.h) tests/loader/hosted/hosted.h include/vmi_abi.h include/vmi_linux.h
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O1 -g $(SANFLAGS) -Iinclude -I$(B)/include $(LOADER_HOSTED_FLAGS) \
	    tests/loader/hosted/parse.c $(LOADER_HOSTED_SRC) -o $@

SAN_CHECKS += check-mutation-guard
.PHONY: check-mutation-guard
check-mutation-guard: $(MUT_TOOL) $(MUT_NOSITES) $(VMI_AOT) $(VMI_GEN) $(BAD_PROBE) $(SELFTEST) \
                      $(ROM_RELOC_T) $(ROM_IMAGES) $(AOT_T)/image-gcc.elf $(AOT_T)/image-clang.elf \
                      $(PROF_FRONT) $(MUT_LOADER) $(AOT_MINIS)
	@MUTATE=$(MUT_TOOL) AOT=$(VMI_AOT) GEN=$(VMI_GEN) PROBE=$(BAD_PROBE) SELFTEST=$(SELFTEST) \
	    RELOC=$(ROM_RELOC_T) PV_ROM=$(B)/rom/vmi-pv.rom NATIVE_ROM=$(B)/rom/vmi-native.rom \
	    AOT_IMAGE=$(AOT_T)/image-gcc.elf \
	    ELF_INPUTS="$(AOT_T)/image-gcc.elf $(AOT_T)/image-clang.elf $(MUT_NOSITES)" \
	    SPEC_FILES="$(ABI_SPEC)" LINUX_SPEC=$(LINUX_SPEC) ROM_SPECS="spec/rom-pv.vmi spec/rom-native.vmi" \
	    MUT_SEED=$(MUT_SEED) MUT_COUNT=$(MUT_COUNT) \
	    PROF=$(PROF_FRONT) LOADER_PARSE=$(MUT_LOADER) LINUX_MINIS="$(AOT_MINIS)" \
	    LINUX_VMI_DIR=$(LINUX_VMI_DIR) MUT_COUNT_REAL=$(MUT_COUNT_REAL) \
	    bash tests/mutate/run.sh $(MUT_DIR)/run $(MUT_KINDS)

# The guard can fail: a stand-in tool misbehaving in each way the guard must catch.
SAN_CHECKS += check-mutation-guard-fails
.PHONY: check-mutation-guard-fails
check-mutation-guard-fails: $(MUT_TOOL) $(AOT_T)/image-gcc.elf $(BAD_PROBE) $(SELFTEST) $(ROM_RELOC_T) \
                            $(ROM_IMAGES) $(VMI_AOT) $(PROF_FRONT) $(AOT_MINIS)
	@set -e; for mode in two-lines empty crash sanitizer hang leave-output temp-file change-input; do \
	    if BAD_MODE=$$mode MUTATE=$(MUT_TOOL) AOT="bash tests/mutate/bad-tool.sh" \
	        AOT_IMAGE=$(AOT_T)/image-gcc.elf PV_ROM=$(B)/rom/vmi-pv.rom \
	        ELF_INPUTS=$(AOT_T)/image-gcc.elf MUT_COUNT=2 MUT_TIMEOUT=2 \
	        bash tests/mutate/run.sh $(MUT_DIR)/fails-$$mode elf > $(MUT_DIR)/fails-$$mode.log 2>&1; \
	    then echo "the guard accepted a tool that does '$$mode'"; exit 1; fi; \
	    grep -q '^FAIL' $(MUT_DIR)/fails-$$mode.log; \
	done
	@if BAD_MODE=accept-all MUTATE=$(MUT_TOOL) AOT="bash tests/mutate/bad-tool.sh" \
	    AOT_IMAGE=$(AOT_T)/image-gcc.elf PV_ROM=$(B)/rom/vmi-pv.rom \
	    NATIVE_ROM=$(B)/rom/vmi-native.rom PROBE=$(BAD_PROBE) SELFTEST=$(SELFTEST) \
	    RELOC=$(ROM_RELOC_T) MUT_COUNT=24 bash tests/mutate/run.sh $(MUT_DIR)/fails-accept rom \
	    > $(MUT_DIR)/fails-accept.log 2>&1 || ! grep -q '^FAIL behaviour' $(MUT_DIR)/fails-accept.log; \
	then echo "the guard missed accepted ROM mutants that behave differently"; exit 1; fi
	@for mode in crash two-lines; do \
	    if BAD_MODE=$$mode MUTATE=$(MUT_TOOL) AOT=$(VMI_AOT) PROF=$(PROF_FRONT) \
	        LOADER_PARSE="bash tests/mutate/bad-tool.sh" NATIVE_ROM=$(B)/rom/vmi-native.rom \
	        LINUX_MINIS=$(AOT_T)/linux-mini-0.elf MUT_COUNT=2 MUT_TIMEOUT=5 \
	        bash tests/mutate/run.sh $(MUT_DIR)/fails-linux-$$mode linux > $(MUT_DIR)/fails-linux-$$mode.log 2>&1 \
	        || ! grep -q '^FAIL.*loader-parse' $(MUT_DIR)/fails-linux-$$mode.log; \
	    then echo "the guard accepted a loader parser that does '$$mode'"; exit 1; fi; done
	@echo "mutation guard: fails on each of 11 misbehaviours (the last three: a check-rom that accepts all, a loader parser that crashes or prints two lines)"
