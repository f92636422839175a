#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# check-install: `make install` into a scratch DESTDIR and PREFIX, used as a user would.
#   - every installed program in bindir and libexecdir answers --help (exit 0, on stdout) and --version (exit 0,
#     the version of include/vmi_version.h)
#   - the installed vmi-gen checks the installed spec with no arguments, and regenerates the
#     committed headers from it byte for byte
#   - every installed header compiles on its own with its pkg-config file's flags
#   - programs link against the installed libraries with `pkg-config --cflags --libs` alone
#     (vmi-host x86-64, vmi-host32 and vmi-inline-freestanding32 -m32) and run
#   - the installed manuals lint clean (mandoc -T lint, or groff -ww without mandoc)
#   - `make uninstall` with the same variables leaves no file and no directory behind
#   check-install.sh SCRATCH MAKE NFILES   (NFILES: the INSTALL_FILES count, for the manifest)
set -u
t=$(cd "$1" && pwd) make=$2 nfiles=$3
dest=$t/dest prefix=/opt/vmi-check
root=$dest$prefix
status=0
bad() { echo "check-install: $*"; status=1; }
version=$(sed -n 's/^#define VMI_VERSION "\(.*\)"/\1/p' include/vmi_version.h)
cc=${CC:-cc}

vars=(DESTDIR="$dest" PREFIX="$prefix")
$make -s install "${vars[@]}" > "$t/install.log" 2>&1 || { cat "$t/install.log"; bad "make install failed"; exit 1; }
[ "$(grep -c '^f ' "$root/share/vmi/install-manifest")" -eq $((nfiles)) ] \
    || bad "the manifest lists $(grep -c '^f ' "$root/share/vmi/install-manifest") files, INSTALL_FILES $nfiles"

# ---- the programs ----
progs=0
for p in "$root"/bin/* "$root"/libexec/vmi/*; do
    name=$(basename "$p")
    out=$("$p" --help 2> "$t/err"); rc=$?
    [ "$rc" -eq 0 ] || bad "$name --help: exit $rc"
    grep -q "usage:.*$name" <<< "$out" || bad "$name --help: no usage line on stdout"
    out=$("$p" --version 2> "$t/err"); rc=$?
    [ "$rc" -eq 0 ] && [ "$out" = "$name $version" ] || bad "$name --version: '$out' (exit $rc), not '$name $version'"
    progs=$((progs + 1))
done
[ "$progs" -ge 6 ] || bad "only $progs programs in bindir and libexecdir"
for p in "$root"/libexec/vmi/*; do
    [ -x "$p" ] || bad "$p: not executable"
done

# ---- vmi-gen on the installed spec ----
gen=$root/bin/vmi-gen
"$gen" --check > "$t/gen-check.log" 2>&1 || { cat "$t/gen-check.log"; bad "installed vmi-gen --check (no SPEC) failed"; }
"$gen" --help | grep -q "$root/share/vmi/spec" || bad "installed vmi-gen --help does not name its spec directory"
abi=(spec/abi.vmi spec/calls.vmi spec/ext.vmi spec/native.vmi spec/pv.vmi)
( cd "$root/share/vmi" && "$gen" --header "$t/vmi_abi.h" "${abi[@]}" &&
  "$gen" --linux-header "$t/vmi_linux.h" "${abi[@]}" spec/linux.vmi ) || bad "installed vmi-gen cannot regenerate the headers"
for h in vmi_abi.h vmi_linux.h; do
    cmp -s "$t/$h" include/$h || bad "$h from the installed spec differs from include/$h"
    cmp -s "$t/$h" "$root/include/vmi/$h" || bad "$h from the installed spec differs from the installed one"
done

# ---- pkg-config ----
export PKG_CONFIG_PATH=$root/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$root/lib/pkgconfig
for pc in vmi-host vmi-host32 vmi-inline-freestanding32; do
    [ "$(pkg-config --modversion $pc 2>&1)" = "$version" ] || bad "pkg-config $pc: version '$(pkg-config --modversion $pc 2>&1)'"
done
# Each header alone; the 32-bit ones (the glue, the hosted library's 32-bit part) with -m32.
for h in "$root"/include/vmi/*.h "$root"/include/vmi/host/*.h; do
    case "$(basename "$h")" in vmi_glue.h|vmi_host32.h|rom_entry.h) pc=vmi-host32 ;; *) pc=vmi-host ;; esac
    # shellcheck disable=SC2046
    echo "#include \"$(basename "$h")\"" | $cc -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -x c - \
        $(pkg-config --cflags $pc) 2> "$t/hdr.err" || { head -3 "$t/hdr.err"; bad "$h does not compile alone ($pc)"; }
done
# shellcheck disable=SC2046
$cc tests/install/host.c -o "$t/host" $(pkg-config --cflags --libs vmi-host) 2> "$t/host.err" \
    || { head -5 "$t/host.err"; bad "cc host.c \$(pkg-config --cflags --libs vmi-host) failed"; }
[ -x "$t/host" ] && { "$t/host" "$root/share/vmi/vmi-pv.rom" || bad "the vmi-host program failed"; }
# shellcheck disable=SC2046
$cc tests/install/host32.c -o "$t/host32" $(pkg-config --cflags --libs vmi-host32) 2> "$t/host32.err" \
    || { head -5 "$t/host32.err"; bad "cc host32.c \$(pkg-config --cflags --libs vmi-host32) failed"; }
[ -x "$t/host32" ] && { "$t/host32" || bad "the vmi-host32 program failed"; }
# shellcheck disable=SC2046
$cc -m32 -ffreestanding -nostdlib -static -fno-pie -no-pie -fno-stack-protector -O2 tests/install/free32.c \
    -o "$t/free32" $(pkg-config --cflags --libs vmi-inline-freestanding32) 2> "$t/free32.err" \
    || { head -5 "$t/free32.err"; bad "cc -m32 -ffreestanding free32.c \$(pkg-config ... vmi-inline-freestanding32) failed"; }
[ -x "$t/free32" ] && { "$t/free32" && echo "free32: the freestanding core filled 9 bytes with nops" \
    || bad "the freestanding program failed"; }
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR

# ---- the manuals ----
pages=$(ls "$root"/share/man/man*/* 2>/dev/null | wc -l)
[ "$pages" -ge 1 ] || bad "no manual installed"
if command -v mandoc > /dev/null; then
    lint=$(mandoc -T lint -W warning "$root"/share/man/man*/* 2>&1) || bad "mandoc -T lint: $lint"
    linter="mandoc -T lint"
else
    lint=$(for m in "$root"/share/man/man*/*; do groff -ww -z -mandoc "$m" 2>&1; done)
    [ -z "$lint" ] || bad "groff -ww: $lint"
    linter="groff -ww"
fi

# ---- uninstall ----
$make -s uninstall "${vars[@]}" > "$t/uninstall.log" 2>&1 || { cat "$t/uninstall.log"; bad "make uninstall failed"; }
left=$(cd "$dest" && find . -mindepth 1 | head -5)
[ -z "$left" ] || bad "make uninstall left: $left"

[ "$status" -eq 0 ] && echo "check-install: $progs programs answer --help and --version; vmi-gen regenerates the headers from the installed spec; every header compiles alone; vmi-host, vmi-host32 and vmi-inline-freestanding32 link by pkg-config; $pages manuals pass $linter; uninstall leaves nothing"
exit "$status"
