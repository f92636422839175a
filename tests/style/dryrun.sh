#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# check-make-dry-run: the Makefile's DRY_RUN (whether make was called with -n) is empty under
# every way CI or a user calls make without -n, and set under -n.  When it is wrongly set,
# `make check` only prints the run-checks line and passes having run nothing.
# Usage: dryrun.sh MAKE
set -u
make=$1
status=0
probe() {   # probe WANT MAKE-ARGS...: the value DRY_RUN takes for these arguments
    local want=$1; shift
    local got
    got=$(env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS $make "$@" show-dry-run 2>&1 | grep -o 'dry-run=\[[a-z]*\]')
    if [ "$got" = "dry-run=[$want]" ]; then
        echo "ok: make $* -> $got"
    else
        echo "check-make-dry-run: make $* gives '$got', not 'dry-run=[$want]'"
        status=1
    fi
}
probe ""
probe "" -j2
probe "" -k
probe "" -s
probe "" -Oline -j2
probe "" V=1
probe n -n
probe n -n -j2
probe n -kn
[ $status -eq 0 ] && echo "check-make-dry-run: make runs the checks unless -n (9 ways of calling it)"
exit $status
