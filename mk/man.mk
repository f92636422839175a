# SPDX-License-Identifier: GPL-2.0-only
# Manuals (man/, mdoc, written by hand) and bash completion (completion/).
# check-man: the pages lint clean and document every long option the programs' usage names;
# check-completion: each completion script answers a few typed prefixes as expected.
MAN_PAGES   := $(wildcard man/*.[1-8])
COMPLETIONS := completion/vmi-aot completion/vmi-gen completion/vmi-prof

.PHONY: check-man check-completion
check-man: $(VMI_GEN) $(VMI_AOT) $(PROF_FRONT) $(MAN_PAGES)
	@bash tests/man/check-man.sh man vmi-gen=$(VMI_GEN) vmi-aot=$(VMI_AOT) vmi-prof=$(PROF_FRONT)

check-completion: $(VMI_GEN) $(VMI_AOT) $(PROF_FRONT) $(COMPLETIONS)
	@bash tests/man/check-completion.sh completion vmi-gen=$(VMI_GEN) vmi-aot=$(VMI_AOT) vmi-prof=$(PROF_FRONT)

CHECKS += check-man check-completion
INSTALL_FILES += $(foreach p,$(MAN_PAGES),$(p):$(mandir)/man$(subst .,,$(suffix $(p))):644) \
                 $(COMPLETIONS:%=%:$(bashcompdir):644)
