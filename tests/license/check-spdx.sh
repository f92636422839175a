#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# check-spdx: LICENSE is the GPL version 2 the ROMs' license string ("GPL v2", spec/rom-*.vmi)
# names, every tracked source file has its SPDX line (tools/spdx.sh --check), and spdx.sh itself
# works: in a scratch repository its --check fails on files without the line, and after it ran
# the line is where docs say (first line after a "#!" for a script, last line of a C file) and
# the check passes.
#   check-spdx.sh SCRATCH_DIR
set -u
scratch=$1 status=0
top=$(pwd)
bad() { echo "check-spdx: $*"; status=1; }

head -20 LICENSE | grep -q "GNU GENERAL PUBLIC LICENSE" && head -20 LICENSE | grep -q "Version 2, June 1991" \
    || bad "LICENSE: not the GNU GPL version 2"
for rom in spec/rom-*.vmi; do
    grep -Eq '^[[:space:]]*license[[:space:]]+"GPL v2"' "$rom" || bad "$rom: license is not \"GPL v2\" (LICENSE is)"
done
bash tools/spdx.sh --check || status=1

# spdx.sh on a scratch repository: the check must be able to fail.
rm -rf "$scratch" && mkdir -p "$scratch/man" || exit 1
cd "$scratch" || exit 1
git init -q . && git config user.email t@t && git config user.name t
printf '#!/bin/sh\necho hi\n' > run.sh
printf 'int f(void);' > f.c                     # no final newline
printf '.Dd 2026\n.Dt X 1\n' > man/x.1
printf '{}\n' > data.json                       # data: not touched
git add . && git commit -qm scratch
if bash "$top/tools/spdx.sh" --check > check.out 2>&1; then bad "--check passed on files without the line"; fi
[ "$(grep -c 'no SPDX' check.out)" -eq 3 ] || bad "--check listed $(grep -c 'no SPDX' check.out) files, not 3"
bash "$top/tools/spdx.sh" > /dev/null || bad "spdx.sh failed on the scratch repository"
[ "$(sed -n 2p run.sh)" = "# SPDX-License-Identifier: GPL-2.0-only" ] || bad "run.sh: not on the line after #!"
[ "$(tail -n 1 f.c)" = "/* SPDX-License-Identifier: GPL-2.0-only */" ] || bad "f.c: not the last line"
[ "$(head -n 1 f.c)" = "int f(void);" ] || bad "f.c: its first line moved"
[ "$(head -n 1 man/x.1)" = '.\" SPDX-License-Identifier: GPL-2.0-only' ] || bad "man/x.1: not the first line"
[ "$(cat data.json)" = "{}" ] || bad "data.json was changed"
bash "$top/tools/spdx.sh" --check > /dev/null || bad "--check failed after spdx.sh ran"
before=$(cat run.sh f.c man/x.1 | md5sum)
bash "$top/tools/spdx.sh" > /dev/null
[ "$(cat run.sh f.c man/x.1 | md5sum)" = "$before" ] || bad "a second run changed the files"
cd "$top" && rm -rf "$scratch"
[ "$status" -eq 0 ] && echo "check-spdx: LICENSE is GPL-2.0 as the ROMs say; spdx.sh adds, places and checks the line"
exit "$status"
