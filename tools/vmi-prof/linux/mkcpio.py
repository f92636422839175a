#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Writes the workload's initramfs: a newc cpio with /dev, /dev/console (c 5 1) and /init.

    mkcpio.py INIT OUT

No cpio tool and no root needed (device nodes are only header fields); mtimes are 0 so the
archive depends on INIT alone. Written to OUT.tmp, then renamed."""
import os
import sys


def entry(name, mode, data=b"", rdev=(0, 0), ino=1):
    nm = name.encode() + b"\0"
    hdr = "070701" + "".join("%08x" % v for v in (
        ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(nm), 0))
    out = hdr.encode() + nm
    out += b"\0" * (-len(out) % 4)
    out += data + b"\0" * (-len(data) % 4)
    return out


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: mkcpio.py INIT OUT\n")
        return 2
    init, outp = sys.argv[1], sys.argv[2]
    try:
        with open(init, "rb") as f:
            data = f.read()
    except OSError as e:
        sys.stderr.write("mkcpio.py: %s: %s\n" % (init, e.strerror))
        return 1
    blob = (entry("dev", 0o40755, ino=1) + entry("dev/console", 0o20600, rdev=(5, 1), ino=2) +
            entry("init", 0o100755, data, ino=3) + entry("TRAILER!!!", 0, ino=0))
    blob += b"\0" * (-len(blob) % 512)
    with open(outp + ".tmp", "wb") as f:
        f.write(blob)
    os.rename(outp + ".tmp", outp)
    return 0


sys.exit(main())
