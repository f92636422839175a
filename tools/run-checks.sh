#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs each named make target as one check, keeps going after a failure, and ends with the line
# "checks: N passed, M failed, K skipped" (RUN_LABEL replaces "checks").  A check that succeeds
# and printed a line starting "skipped: " (a missing fixture) counts as skipped, not passed.
# Exits non-zero when any check failed.
set -u
passed=0
failed=0
skipped=0
failures=()
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for target in "$@"; do
    echo "=== $target"
    if make --no-print-directory "$target" 2>&1 | tee "$out"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
        if grep -aq '^skipped: ' "$out"; then skipped=$((skipped + 1)); else passed=$((passed + 1)); fi
    else
        failed=$((failed + 1))
        failures+=("$target")
    fi
done
echo
for target in "${failures[@]}"; do echo "FAILED: $target"; done
echo "${RUN_LABEL:-checks}: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
