#!/usr/bin/env bash
# Runs each named make target as one check, keeps going after a failure, and ends with the line
# "checks: N passed, M failed" (RUN_LABEL replaces "checks").  Exits non-zero when any check failed.
set -u
passed=0
failed=0
failures=()
for target in "$@"; do
    echo "=== $target"
    if make --no-print-directory "$target"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures+=("$target")
    fi
done
echo
for target in "${failures[@]}"; do echo "FAILED: $target"; done
echo "${RUN_LABEL:-checks}: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
