# Style that can be checked: short functions (tests/style/funclen.sh: no C function over 80
# lines without a "Long:" reason in the comment above it), and the checker's own test on cases
# that would fool a plain brace count (tests/style/funclen-test.sh).
CHECKS += check-funclen check-funclen-selftest
.PHONY: check-funclen check-funclen-selftest
check-funclen:
	@bash tests/style/funclen.sh .
check-funclen-selftest:
	@CC="$(CC)" bash tests/style/funclen-test.sh
