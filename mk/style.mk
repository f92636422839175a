# SPDX-License-Identifier: GPL-2.0-only
# Style that can be checked: short functions (tests/style/funclen.sh: no C function over 80
# lines without a "Long:" reason in the comment above it), library code that never prints
# (tests/style/noprint.sh: inliner/ and lib/), and the checkers' own test on cases that would
# fool them (tests/style/selftest.sh).
CHECKS += check-funclen check-noprint check-style-selftest
.PHONY: check-funclen check-noprint check-style-selftest
check-funclen:
	@bash tests/style/funclen.sh .
check-noprint:
	@bash tests/style/noprint.sh .
check-style-selftest:
	@CC="$(CC)" bash tests/style/selftest.sh
