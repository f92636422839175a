#!/usr/bin/env python3
"""Surgery on 32-bit ELF images for the tests of `vmi-aot specialize` and `vmi-aot verify`
(tests/aot/specialize.sh).  Independent of vmi-aot: its own ELF32 reader, site-table decoder,
FNV-1a 64 and .vmi_aot layout (docs/aot.md).

  aotpatch.py sites IMG                      idx addr len fileoff(decimal) call, per site, address order
  aotpatch.py rec-offset IN OUT REC DELTA    add DELTA to vmi_sites record REC's offset field
  aotpatch.py flip IN OUT SITE [POS]         xor 0xff into byte POS (default 0) of site SITE
  aotpatch.py branch IN OUT SITE TARGET      site SITE := jmp TARGET + 1-byte NOPs; fix the hashes
  aotpatch.py cut IN OUT SITE                site SITE := NOPs then e8 as its last byte; fix the hashes
  aotpatch.py flip-outside IN OUT            xor 0xff into the first .text byte outside every site
  aotpatch.py check-hash IMG                 exit 0 when sites_hash (identity and .vmi_aot) matches
  aotpatch.py identity IMG                   the identity record's fields, key=value
"""
import struct
import sys


def fnv1a64(h, data):
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xffffffffffffffff
    return h


FNV_INIT = 0xcbf29ce484222325


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
            s['n'] = self.cstr(names + s['name'])

    def cstr(self, off):
        return self.data[off:self.data.index(0, off)].decode()

    def sec(self, name):
        return next((s for s in self.secs if s['n'] == name), None)

    def off_of(self, addr, n=1):
        for s in self.secs:
            if s['type'] == 1 and s['flags'] & 2 and s['addr'] <= addr and \
                    addr + n <= s['addr'] + s['size']:
                return s['off'] + addr - s['addr']
        raise ValueError('0x%x is in no allocated PROGBITS section' % addr)

    def symbol(self, name):
        for st in self.secs:
            if st['type'] != 2:
                continue
            strs = self.secs[st['link']]['off']
            for i in range(st['size'] // 16):
                nm, val, size, info, other, shndx = struct.unpack_from('<IIIBBH', self.data,
                                                                       st['off'] + 16 * i)
                if shndx and self.cstr(strs + nm) == name:
                    return val, size
        return None

    def sites(self):
        t = self.sec('vmi_sites')
        out = []
        for i in range(t['size'] // 12):
            ro = t['off'] + 12 * i
            off, call, ln = struct.unpack_from('<iBB', self.data, ro)
            addr = (t['addr'] + 12 * i + off) & 0xffffffff
            out.append(dict(addr=addr, len=ln, call=call, rec=i))
        out.sort(key=lambda s: s['addr'])
        for s in out:
            s['off'] = self.off_of(s['addr'], s['len'])
        return out

    def sites_hash(self):
        h = FNV_INIT
        for s in self.sites():
            h = fnv1a64(h, self.data[s['off']:s['off'] + s['len']])
        return h

    def id_offsets(self):
        """File offsets of the identity records: the copy in .vmi_aot and the symbol's, if any."""
        offs = []
        a = self.sec('.vmi_aot')
        if a:
            offs.append(a['off'] + 0x18)
        sym = self.symbol('vmi_aot_identity')
        if sym:
            offs.append(self.off_of(sym[0], 40))
        return offs

    def rehash(self):
        h = self.sites_hash()
        for o in self.id_offsets():
            struct.pack_into('<Q', self.data, o + 0x20, h)

    def save(self, path):
        open(path, 'wb').write(self.data)


def main(argv):
    cmd = argv[1]
    e = Elf(argv[2])
    if cmd == 'sites':
        for i, s in enumerate(e.sites()):
            print(i, '0x%08x' % s['addr'], s['len'], s['off'], s['call'])
        return 0
    if cmd == 'check-hash':
        h = e.sites_hash()
        ok = all(struct.unpack_from('<Q', e.data, o + 0x20)[0] == h for o in e.id_offsets())
        return 0 if ok and e.id_offsets() else 1
    if cmd == 'identity':
        o = e.id_offsets()[-1]
        magic, ver, kind, pol, rh, rs, rb, sc, res, sh = struct.unpack_from('<IHBBQIIIIQ', e.data, o)
        print('magic=0x%08x version=%u hash_kind=%u policy=%u rom_hash=0x%016x rom_size=%u '
              'rom_base=0x%08x site_count=%u sites_hash=0x%016x' % (magic, ver, kind, pol, rh, rs,
                                                                    rb, sc, sh))
        return 0
    out = argv[3]
    if cmd == 'rec-offset':
        t = e.sec('vmi_sites')
        ro = t['off'] + 12 * int(argv[4])
        off, = struct.unpack_from('<i', e.data, ro)
        struct.pack_into('<i', e.data, ro, off + int(argv[5], 0))
    elif cmd == 'flip':
        s = e.sites()[int(argv[4])]
        pos = int(argv[5]) if len(argv) > 5 else 0
        e.data[s['off'] + pos] ^= 0xff
    elif cmd == 'branch':
        s = e.sites()[int(argv[4])]
        target = int(argv[5], 0)
        assert s['len'] >= 5
        rel = (target - (s['addr'] + 5)) & 0xffffffff
        e.data[s['off']:s['off'] + s['len']] = bytes([0xe9]) + struct.pack('<I', rel) + \
            b'\x90' * (s['len'] - 5)
        e.rehash()
    elif cmd == 'cut':
        s = e.sites()[int(argv[4])]
        e.data[s['off']:s['off'] + s['len']] = b'\x90' * (s['len'] - 1) + b'\xe8'
        e.rehash()
    elif cmd == 'flip-outside':
        text = e.sec('.text')
        taken = set()
        for s in e.sites():
            taken.update(range(s['off'], s['off'] + s['len']))
        k = next(k for k in range(text['off'], text['off'] + text['size']) if k not in taken)
        e.data[k] ^= 0xff
    else:
        print(__doc__, file=sys.stderr)
        return 2
    e.save(out)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
