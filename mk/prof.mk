# SPDX-License-Identifier: GPL-2.0-only
# vmi-prof: inlined vs called vs indirect vs trapped VMI calls, per call and per kernel-like
# path, with charts.  docs/profiling.md.
#
#   $(B)/libexec/vmi-prof-relocs   i386: GetRelocationInfo of the pv ROM, executed (build time)
#   $(B)/prof/vmi-prof-gen         x86-64, Zydis + libvmiinline-host: writes the measured loops
#   $(B)/libexec/vmi-prof-engine   i386, non-PIE: maps the ROM at PROF_ROM_BASE, patches its own
#                                  loops, times them; links the monitor and the error record
#                                  (libvmihost32, mk/lib.mk)
#   $(B)/bin/vmi-prof              x86-64 front end: statistics, table, JSON, CSV, chart (cairo),
#                                  --callgrind, --guest LOG, --patch-bench, --measure

PROF_DIR     := tools/vmi-prof
PROF_B       := $(B)/prof
PROF_ROM     := $(B)/rom/vmi-pv.rom
PROF_FRONT   := $(B)/bin/vmi-prof
PROF_ENGINE  := $(B)/libexec/vmi-prof-engine
PROF_RELOCS  := $(B)/libexec/vmi-prof-relocs
PROF_GEN     := $(PROF_B)/vmi-prof-gen
PROF_T       := $(B)/tests/prof

PROF_FRONT_SRC := $(wildcard $(PROF_DIR)/*.c)
PROF_FRONT_OBJ := $(PROF_FRONT_SRC:$(PROF_DIR)/%.c=$(B)/obj/prof/%.o)
PROF_ENG_SRC   := $(PROF_DIR)/engine/engine.c $(PROF_DIR)/engine/trap.c \
                  $(PROF_DIR)/engine/rommap.c $(PROF_DIR)/engine/patchbench.c

# i386, non-PIE: the hand strategy's code holds absolute ROM addresses.
PROF_M32 := $(M32_CFLAGS) -fno-pic -Iinliner -I$(PROF_DIR) -I$(PROF_DIR)/engine $(HOST32_INC)
PROF_M32_LD := -m32 -no-pie

ALL += $(PROF_FRONT) $(PROF_ENGINE)
INSTALL_FILES += $(PROF_FRONT):$(bindir):755 $(PROF_ENGINE):$(pkglibexecdir):755

# ---- the 32-bit side ----
$(B)/obj/prof/engine/%.o: $(PROF_DIR)/engine/%.c | $(GLUE_H)
	@mkdir -p $(@D)
	$(CC) $(PROF_M32) $(DEPFLAGS) -c $< -o $@

$(PROF_RELOCS): $(B)/obj/prof/engine/relocs.o $(B)/obj/prof/engine/rommap.o $(HOST32) $(INL_LIB)
	@mkdir -p $(@D)
	$(CC) $(PROF_M32_LD) $^ -o $@

$(PROF_B)/relocs.txt: $(PROF_RELOCS) $(PROF_ROM)
	@mkdir -p $(@D)
	$(PROF_RELOCS) $(PROF_ROM) > $@.tmp && mv $@.tmp $@

$(PROF_GEN): $(PROF_DIR)/gen/prof_gen.c $(PROF_DIR)/prof_workloads.h $(INL_HOST) $(INL_HDR)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iinliner -I$(PROF_DIR) $< $(INL_HOST) $(HOST_LDFLAGS) -lZydis -o $@

$(PROF_B)/loops.S $(PROF_B)/workloads.c &: $(PROF_GEN) $(PROF_ROM) $(PROF_B)/relocs.txt
	$(PROF_GEN) $(PROF_ROM) $(PROF_B)/relocs.txt $(PROF_B)/loops.S $(PROF_B)/workloads.c

$(B)/obj/prof/engine/loops.o: $(PROF_B)/loops.S $(GLUE_H) include/vmi_abi.h
	@mkdir -p $(@D)
	$(CC) $(PROF_M32) $(DEPFLAGS) -c $< -o $@
$(B)/obj/prof/engine/workloads.o: $(PROF_B)/workloads.c | $(GLUE_H)
	@mkdir -p $(@D)
	$(CC) $(PROF_M32) $(DEPFLAGS) -c $< -o $@

PROF_ENG_OBJ := $(PROF_ENG_SRC:$(PROF_DIR)/engine/%.c=$(B)/obj/prof/engine/%.o) \
                $(B)/obj/prof/engine/loops.o $(B)/obj/prof/engine/workloads.o
$(PROF_ENGINE): $(PROF_ENG_OBJ) $(HOST32) $(INL_LIB)
	@mkdir -p $(@D)
	$(CC) $(PROF_M32_LD) $(PROF_ENG_OBJ) $(HOST32) $(INL_LIB) -o $@

# ---- the 64-bit front end ----
# (--sites --rom on an image without vmi_rom_area places the ROM where the harness maps it:
# HARNESS_ROM_BASE, mk/inliner.mk.)
PROF_FRONT_DEFS := -DHARNESS_ROM_BASE=$(HARNESS_ROM_BASE)u
$(B)/obj/prof/%.o: $(PROF_DIR)/%.c | $(GLUE_H)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOSTLIB_INC) $(PROF_FRONT_DEFS) $(shell pkg-config --cflags cairo 2>/dev/null) $(DEPFLAGS) -c $< -o $@

# --sites attributes addresses with the hosted library (the ELF image, DWARF lines, site info,
# ROM loading, mk/lib.mk), the JSON outputs write strings with its escaper; vmi_sites_read and the
# planner come from the host inliner.

$(PROF_FRONT): $(PROF_FRONT_OBJ) $(HOSTLIB) $(INL_HOST)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) $(PROF_FRONT_OBJ) $(HOSTLIB) $(INL_HOST) -lcairo -lfontconfig \
	    $(HOSTLIB_LIBS) -lm -o $@

# ---- checks (never a timing target: those are reported by make bench) ----
CHECKS     += check-prof-smoke check-prof-callgrind check-prof-guest check-prof-usage \
              check-prof-clang check-prof-stats check-prof-outputs check-prof-guest-icount
SAN_CHECKS += check-prof-smoke check-prof-guest check-prof-usage check-prof-stats \
              check-prof-outputs
.PHONY: check-prof-smoke check-prof-callgrind check-prof-guest check-prof-usage check-prof-clang \
        check-prof-stats check-prof-outputs check-prof-guest-icount

# cmocka: intervals, paired ratios and verdicts on synthetic samples (tests/prof/test_stats.c).
PROF_STATS_TEST := $(B)/tests/test-prof-stats
$(PROF_STATS_TEST): tests/prof/test_stats.c $(PROF_DIR)/prof_stats.c $(PROF_DIR)/prof_stats.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -I$(PROF_DIR) tests/prof/test_stats.c $(PROF_DIR)/prof_stats.c \
	    $(HOST_LDFLAGS) -lcmocka -lm -o $@
check-prof-stats: $(PROF_STATS_TEST)
	$(PROF_STATS_TEST)

# cmocka: the strategy chart's layout as drawn (axis titles and units, whiskers, stubs under the
# resolution, the trap's own panel, no text overlapping or clipped, the PNG's size;
# tests/prof/test_chart.c).
CHECKS     += check-prof-chart
SAN_CHECKS += check-prof-chart
.PHONY: check-prof-chart
PROF_CHART_TEST := $(B)/tests/test-prof-chart
PROF_CHART_SRC  := $(PROF_DIR)/prof_chart.c $(PROF_DIR)/prof_surface.c $(PROF_DIR)/prof_stats.c \
                   lib/aot_err.c
$(PROF_CHART_TEST): tests/prof/test_chart.c $(PROF_CHART_SRC) $(PROF_DIR)/prof_chart.h \
                    $(PROF_DIR)/prof_surface.h $(PROF_DIR)/prof_output.h lib/json_out.h $(INL_HOST)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -I$(PROF_DIR) $(HOSTLIB_INC) $(shell pkg-config --cflags cairo 2>/dev/null) \
	    tests/prof/test_chart.c $(PROF_CHART_SRC) $(INL_HOST) \
	    $(HOST_LDFLAGS) -lcmocka -lcairo -lfontconfig -lm -o $@
check-prof-chart: $(PROF_CHART_TEST)
	$(PROF_CHART_TEST)

# Output files are checked before anything is measured: a path that cannot be written fails at
# once with one line; nothing is left behind (tests/prof/outputs.sh).
check-prof-outputs: $(PROF_FRONT) $(PROF_ENGINE) $(PROF_ROM)
	bash tests/prof/outputs.sh $(PROF_FRONT) $(PROF_T)

# The guest's benchmark under QEMU -icount shift=0: two boots give the same instruction counts,
# and vmi-prof --guest reads them as instructions (tests/prof/guest-icount.sh).
check-prof-guest-icount: $(PROF_FRONT) $(B)/guest/kernel.elf $(ROM_IMAGES)
	bash tests/prof/guest-icount.sh $(PROF_FRONT) $(PROF_T)/icount $(B)/guest/kernel.elf pv-auto

# A few seconds: every workload and strategy, small N and K; table, JSON, CSV, SVG and PNG.
check-prof-smoke: $(PROF_FRONT) $(PROF_ENGINE) $(PROF_ROM)
	bash tests/prof/smoke.sh $(PROF_FRONT) $(PROF_T)

check-prof-callgrind: $(PROF_FRONT) $(PROF_ENGINE) $(PROF_ROM)
	bash tests/prof/callgrind.sh $(PROF_FRONT) $(PROF_T)

# The guest kernel's report: a log copied from a real boot (tests/prof/guest-pv-auto.log).
check-prof-guest: $(PROF_FRONT)
	bash tests/prof/guest.sh $(PROF_FRONT) $(PROF_T) tests/prof/guest-pv-auto.log

check-prof-usage: $(PROF_FRONT)
	bash tests/prof/usage.sh $(PROF_FRONT)

check-prof-clang: $(GLUE_H)
	@set -e; for f in $(PROF_FRONT_SRC); do \
	    $(CLANG) $(CSTD) $(WARN) -O2 -Iinclude -I$(B)/include -I$(PROF_DIR) $(HOSTLIB_INC) \
	        $(PROF_FRONT_DEFS) $(shell pkg-config --cflags cairo 2>/dev/null) -fsyntax-only $$f; done
	@$(CLANG) $(CSTD) $(WARN) -O2 -Iinclude -I$(B)/include -Iinliner -I$(PROF_DIR) -fsyntax-only \
	    $(PROF_DIR)/gen/prof_gen.c
	@set -e; for f in $(PROF_ENG_SRC) $(PROF_DIR)/engine/relocs.c; do \
	    $(CLANG) $(PROF_M32) -fsyntax-only $$f; done
	@echo "vmi-prof: clang -std=gnu11 $(WARN) compiles the front end, the generator and the engine"

# vmi-prof --sites (docs/specializer.md): on the harness's profile with the harness image (its
# counting phase writes the profile), and on a pv-count boot's serial log with the guest kernel.
.PHONY: check-prof-sites-harness check-prof-sites-guest
CHECKS     += check-prof-sites-harness check-prof-sites-guest
SAN_CHECKS += check-prof-sites-harness
check-prof-sites-harness: $(PROF_FRONT) $(SELFTEST) $(PROF_ROM)
	@mkdir -p $(PROF_T)
	$(SELFTEST) --profile $(PROF_T)/harness.profile $(PROF_ROM) > $(PROF_T)/harness-count.log
	bash tests/prof/sites.sh $(PROF_FRONT) $(PROF_T) $(PROF_ROM) harness $(PROF_T)/harness.profile $(SELFTEST)
check-prof-sites-guest: $(PROF_FRONT) $(B)/guest/kernel.elf $(ROM_IMAGES)
	@mkdir -p $(PROF_T)
	bash tests/guest/boot.sh --accel $(GUEST_ACCEL) --log $(PROF_T)/guest $(B)/guest/kernel.elf pv-count > $(PROF_T)/pv-count.out || \
	    { cat $(PROF_T)/pv-count.out; exit 1; }
	bash tests/prof/sites.sh $(PROF_FRONT) $(PROF_T) $(PROF_ROM) guest \
	    $$(sed -n 's/^SUMMARY .* log=\([^ ]*\).*/\1/p' $(PROF_T)/pv-count.out) $(B)/guest/kernel.elf

# ---- benchmarks ----
BENCHES += bench-prof bench-prof-patch bench-prof-aot bench-prof-guest-icount
.PHONY: bench-prof bench-prof-patch bench-prof-aot bench-prof-guest-icount

PROF_BENCH_N ?= 100000
PROF_BENCH_K ?= 15
# three engine processes of K repetitions each, pooled (45): the interval then also spans what
# differs between processes (the address layout, a neighbour's load for a whole run), and a
# median's 95% interval of 45 is x(16)..x(30)
PROF_BENCH_RUNS ?= 3
# The full table and the targets, the callgrind column, JSON, CSV, and the chart as SVG and PNG.
bench-prof: $(PROF_FRONT) $(PROF_ENGINE) $(PROF_ROM)
	@mkdir -p $(PROF_B)
	$(PROF_FRONT) --n $(PROF_BENCH_N) --k $(PROF_BENCH_K) --runs $(PROF_BENCH_RUNS) --callgrind \
	    --json=$(PROF_B)/bench.json --csv=$(PROF_B)/bench.csv \
	    --chart $(PROF_B)/bench.svg --chart $(PROF_B)/bench.png
	@python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("bench-prof: %d rows in %s (%s %s, %s, %s); targets %s; chart %s" % (len(d["rows"]), sys.argv[1], d["tool"], d["version"], d["cpu"], d["date"], ", ".join("%s %s (instructions %s)" % (t["id"], t["verdict"], t["instructions_verdict"]) for t in d["targets"]), sys.argv[2]))' \
	    $(PROF_B)/bench.json $(PROF_B)/bench.svg

# The guest's irqsave loop in exact instructions (QEMU -icount shift=0): the pv ROM (call,
# inline) and the native ROM (native, call, inline), booted twice each; the counts must agree.
bench-prof-guest-icount: $(PROF_FRONT) $(B)/guest/kernel.elf $(ROM_IMAGES)
	bash tests/prof/guest-icount.sh $(PROF_FRONT) $(PROF_B)/icount $(B)/guest/kernel.elf pv-auto native-auto

# Load-time patching throughput: plan + apply + verify (and revert) of 100,000 synthetic sites,
# beside the reference (the same bytes copied site by site, and the text in one memcpy), against
# the 20 million sites/s target (docs/profiling.md).
bench-prof-patch: $(PROF_FRONT) $(PROF_ENGINE) $(PROF_ROM)
	$(PROF_FRONT) --patch-bench 100000 --k $(PROF_BENCH_K)

# vmi-aot on the 100,000-site image: wall time and peak memory of sites and specialize (big.elf
# has no vmi_rom_area: the ROM is placed where the engine maps it, 0xc8000).
bench-prof-aot: $(PROF_FRONT) $(VMI_AOT) $(AOT_T)/big.elf $(PROF_ROM)
	@mkdir -p $(PROF_B)
	$(PROF_FRONT) --measure "vmi-aot sites --json (100,000 sites)" -- \
	    $(VMI_AOT) sites --json $(AOT_T)/big.elf -o $(PROF_B)/big-sites.json
	$(PROF_FRONT) --measure "vmi-aot specialize (100,000 sites)" -- \
	    $(VMI_AOT) specialize $(AOT_T)/big.elf --rom $(PROF_ROM) --rom-base 0xc8000 -o $(PROF_B)/big-spec.elf
	@rm -f $(PROF_B)/big-sites.json $(PROF_B)/big-spec.elf
