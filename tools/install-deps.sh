#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian packages the build and the tests need, and only those that are missing.
# Quiet and quick when everything is present.  NO_DEPS=1 skips it entirely (a machine whose
# packages are managed otherwise); when it must use sudo, it first says so and which packages.
set -eu

if [ "${NO_DEPS:-}" = 1 ]; then
    exit 0
fi

PACKAGES="build-essential gcc-multilib clang libelf-dev libdwarf-dev libzydis-dev libzycore-dev
libcmocka-dev qemu-system-x86 libcairo2-dev valgrind libjansson-dev python3-jsonschema mandoc
pkg-config"

missing=""
for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-deps: missing packages:$missing (run as root or install sudo)" >&2
        exit 1
    fi
else
    SUDO=""
fi

if [ -n "$SUDO" ]; then
    echo "install-deps: will run sudo apt-get install for:$missing (NO_DEPS=1 skips this)"
else
    echo "install-deps: installing$missing"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
