# vmi-inline: the VMI ABI spec, its generator, ROM images, the call-site inliner and its tools.
# `make` builds everything under build/; `make check` runs every test; `make demo` runs the main job;
# `make bench` runs the benchmarks; `make install PREFIX=... DESTDIR=...` installs.
# Each part of the design adds its rules in mk/<part>.mk and appends its test targets to CHECKS,
# its benchmarks to BENCHES and its installed files to INSTALL_FILES.

.DEFAULT_GOAL := all
SHELL         := /bin/bash
.SUFFIXES:
.DELETE_ON_ERROR:

PREFIX  ?= /usr/local
DESTDIR ?=
B       := build

CC      ?= cc
CLANG   ?= clang
WARN    := -Wall -Wextra -Werror
CSTD    := -std=gnu11
OPT     ?= -O2 -g

# SANITIZE=address,undefined builds the hosted code and tests under the sanitizers.
ifneq ($(SANITIZE),)
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
B        := build/san
endif

# Hosted code: the tools and unit tests (x86-64).
HOST_CFLAGS  := $(CSTD) $(WARN) $(OPT) $(SANFLAGS) -Iinclude -I$(B)/include
HOST_LDFLAGS := $(SANFLAGS)
# 32-bit hosted code: the harness and the glue tests.
M32_CFLAGS   := $(CSTD) $(WARN) -m32 -O2 -g -Iinclude -I$(B)/include
# Freestanding 32-bit code: the kernel-side inliner and the guest.
FREE_CFLAGS  := $(CSTD) $(WARN) -m32 -O2 -g -ffreestanding -fno-pic -fno-stack-protector \
                -nostdlib -fno-builtin -Iinclude -I$(B)/include

# Each object's header dependencies, written next to it (Makefile's -include of them, below).
DEPFLAGS     := -MMD -MP

CHECKS        :=
SAN_CHECKS    :=
DEMOS         :=
BENCHES       :=
INSTALL_FILES :=
ALL           :=

include mk/gen.mk
include mk/rom.mk
include mk/lib.mk
include mk/inliner.mk
include mk/aot.mk
include mk/guest.mk
include mk/prof.mk
include mk/hardening.mk
include mk/linux.mk
include mk/loader.mk
include mk/linprof.mk
include mk/docs.mk
include mk/man.mk
include mk/json.mk

# Every object rule compiles with $(DEPFLAGS): the headers it read are its prerequisites from the
# second build on (the one legitimate -include: the dependency files do not exist before).
-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

.PHONY: all deps check demo bench install clean
all: $(ALL)

# Installs the Debian packages the build needs; silent and quick when all are present.
deps:
	@sh tools/install-deps.sh

# The committed header is compared with the spec before `all` could regenerate it.
# With SANITIZE set, only the hosted checks run (in build/san), instrumented.
check: deps
	@$(MAKE) --no-print-directory check-header-fresh
	@$(MAKE) --no-print-directory all
	@bash tools/run-checks.sh $(if $(SANITIZE),$(SAN_CHECKS),$(CHECKS))

bench: deps
	@$(MAKE) --no-print-directory all
	@RUN_LABEL=benchmarks bash tools/run-checks.sh $(BENCHES)

# Each part appends its demonstration to DEMOS; the guest kernel's boots come last.
demo: deps
	@$(MAKE) --no-print-directory all
	@RUN_LABEL=demos bash tools/run-checks.sh $(DEMOS)

install: all
	@set -e; for spec in $(INSTALL_FILES); do \
	    src=$${spec%%:*}; rest=$${spec#*:}; dir=$${rest%%:*}; mode=$${rest#*:}; \
	    install -d "$(DESTDIR)$(PREFIX)/$$dir"; \
	    install -m "$$mode" "$$src" "$(DESTDIR)$(PREFIX)/$$dir/"; \
	done

clean:
	rm -rf build
