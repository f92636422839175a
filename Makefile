# SPDX-License-Identifier: GPL-2.0-only
# vmi-inline: the VMI ABI spec, its generator, ROM images, the call-site inliner and its tools.
# `make` builds everything under build/; `make check` runs every test; `make demo` runs the main job;
# `make bench` runs the benchmarks; `make install PREFIX=... DESTDIR=...` installs and
# `make uninstall` (same variables) removes what it installed (docs/install.md).
# Each part of the design adds its rules in mk/<part>.mk and appends its test targets to CHECKS,
# its benchmarks to BENCHES and its installed files to INSTALL_FILES (format: mk/install.mk).

.DEFAULT_GOAL := all
SHELL         := /bin/bash
.SUFFIXES:
.DELETE_ON_ERROR:

# The install layout: the GNU directory variables, defaulted from PREFIX (docs/install.md).
# Recursive (=) so that a PREFIX given on the command line moves every directory with it.
PREFIX        ?= /usr/local
DESTDIR       ?=
bindir        ?= $(PREFIX)/bin
libdir        ?= $(PREFIX)/lib
includedir    ?= $(PREFIX)/include
libexecdir    ?= $(PREFIX)/libexec
datarootdir   ?= $(PREFIX)/share
datadir       ?= $(datarootdir)
mandir        ?= $(datarootdir)/man
pkgconfigdir  ?= $(libdir)/pkgconfig
bashcompdir   ?= $(datadir)/bash-completion/completions
pkgdatadir    := $(datadir)/vmi
pkglibexecdir := $(libexecdir)/vmi
pkgincludedir := $(includedir)/vmi
B             := build

# Recipes are not echoed unless V=1 (what a rule prints itself still shows); sub-makes do not
# announce their directories.
ifneq ($(V),1)
.SILENT:
MAKEFLAGS += --no-print-directory
endif

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
include mk/install.mk
include mk/license.mk
include mk/style.mk

# Every object rule compiles with $(DEPFLAGS): the headers it read are its prerequisites from the
# second build on (the one legitimate -include: the dependency files do not exist before).
-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

.PHONY: all deps check demo bench clean
all: $(ALL)

# Installs the Debian packages the build needs; silent and quick when all are present.
deps:
	@sh tools/install-deps.sh

# The committed header is compared with the spec before `all` could regenerate it.
# With SANITIZE set, only the hosted checks run (in build/san), instrumented.
# run-checks.sh runs the checks one after the other; the "+" hands it make's job slots, so that
# under `make -jN` each check's own prerequisites build in parallel.  A "+" line runs even under
# make -n (the docs' examples ask make -n whether it knows a target): then it only prints.
# (MAKEFLAGS's first word holds the one-letter flags, without a dash, when there are any; the
# --no-print-directory appended above must not count as one: it holds an n.)
DRY_RUN   := $(findstring n,$(filter-out -%,$(firstword $(MAKEFLAGS))))
RUN_CHECKS = $(if $(DRY_RUN),echo tools/run-checks.sh,bash tools/run-checks.sh)
check: deps
	@$(MAKE) --no-print-directory check-header-fresh
	@$(MAKE) --no-print-directory all
	+@$(RUN_CHECKS) $(if $(SANITIZE),$(SAN_CHECKS),$(CHECKS))

bench: deps
	@$(MAKE) --no-print-directory all
	+@RUN_LABEL=benchmarks $(RUN_CHECKS) $(BENCHES)

# Each part appends its demonstration to DEMOS; the guest kernel's boots come last.
demo: deps
	@$(MAKE) --no-print-directory all
	+@RUN_LABEL=demos $(RUN_CHECKS) $(DEMOS)

clean:
	rm -rf build

# check runs its checks under every way of calling make, and only prints them under make -n
# (a "+" recipe line runs even then): the dry-run test above, exercised (tests/style/dryrun.sh).
CHECKS += check-make-dry-run
.PHONY: check-make-dry-run show-dry-run
show-dry-run:
	@echo "dry-run=[$(DRY_RUN)]"
check-make-dry-run:
	@bash tests/style/dryrun.sh "$(MAKE)"
