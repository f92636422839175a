# SPDX-License-Identifier: GPL-2.0-only
# Docs that cannot drift: every ```console example in README.md and docs/*.md is run on this
# build, its output compared where the document shows output (tests/docs/examples.sh says how).
DOC_FILES   := README.md $(wildcard docs/*.md)

# The checker is proved first (examples-selftest.sh: documents it must refuse). The examples run
# the built programs (QEMU boots of the guest, and of the Linux fixtures when
# LINUX_VMI_DIR has them), so they need `all`, and nothing a check leaves behind.
CHECKS += check-doc-examples
.PHONY: check-doc-examples
check-doc-examples: all
	@bash tests/docs/examples-selftest.sh .
	@bash tests/docs/examples.sh . $(LINUX_VMI_DIR) $(DOC_FILES)

# The project stands alone: no citation of a file outside it or of a tracker number.
CHECKS += check-standalone
.PHONY: check-standalone
check-standalone:
	@bash tests/docs/standalone.sh .
