#!/usr/bin/env python3
"""What is left of the Python ELF reader: tests/aot/profile.sh (another part's) still imports
Elf to clear every vmi_sites record's clobbers byte.  `aot-imgedit rec-clobbers IN OUT 0`
(tests/aot/imgedit.c) does the same on the hosted library; once profile.sh calls it, delete this
file.  Every other edit and check moved to aot-imgedit and test-aot-out."""
import struct


class Elf:
    def __init__(self, path):
        self.data = bytearray(open(path, 'rb').read())
        d = self.data
        assert d[:4] == b'\x7fELF' and d[4] == 1, path + ': not a 32-bit ELF'
        self.shoff, = struct.unpack_from('<I', d, 0x20)
        self.shentsize, self.shnum, self.shstrndx = struct.unpack_from('<HHH', d, 0x2e)
        self.secs = []
        for i in range(self.shnum):
            f = struct.unpack_from('<10I', d, self.shoff + i * self.shentsize)
            self.secs.append(dict(name=f[0], type=f[1], flags=f[2], addr=f[3], off=f[4],
                                  size=f[5], link=f[6], entsize=f[9]))
        names = self.secs[self.shstrndx]['off']
        for s in self.secs:
            s['n'] = self.data[names + s['name']:self.data.index(0, names + s['name'])].decode()

    def sec(self, name):
        return next((s for s in self.secs if s['n'] == name), None)
