#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The project stands alone: no tracked file cites a document outside the repository (the
# reference notes, prior-art surveys) or a tracker number.  The one path outside it that may
# appear is the Linux fixtures' default directory (LINUX_VMI_DIR, ../shared/linux-vmi).
# Prints FILE:LINE: TEXT per citation and exits 1 when there is one.
set -u
cd "${1:-.}" || exit 2
pattern='shared/reference|vmi-abi\.md|prior-art|[Ii]ssue [0-9]+|#[0-9]+ \(|\.\./shared/[a-km-z]'
hits=$(git ls-files -z | grep -zv '^tests/fuzz/regress/' | grep -zv '^tests/docs/standalone.sh$' \
       | xargs -0 grep -I -n -E "$pattern" -- 2>/dev/null)
if [ -n "$hits" ]; then
    printf '%s\n' "$hits" | sed 's/$/   (a citation outside the repository)/'
    echo "standalone: $(printf '%s\n' "$hits" | wc -l) citations outside the repository"
    exit 1
fi
echo "standalone: no tracked file cites anything outside the repository"
