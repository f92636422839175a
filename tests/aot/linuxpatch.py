#!/usr/bin/env python3
"""Linux kernels for the tests of vmi-aot (tests/aot/linux.sh), independent of vmi-aot: its own
ELF32 reader, .parainstructions decoder (struct paravirt_patch_site: u32 instr, u8 instrtype,
u8 len, u16 clobbers), FNV-1a 64 and .vmi_aot layout (docs/aot.md).

  linuxpatch.py records IMG                 index instr type len clobbers, one per record
  linuxpatch.py check-json SITES.json IMG   the `sites --json` listing against the records
  linuxpatch.py check-out OUT IMG REPORT     OUT against IMG: only site bytes changed (and the
                                            two header fields), .vmi_aot: flags, originals,
                                            sites_hash, count; the report's bytes are OUT's
  linuxpatch.py truncate IN OUT             .parainstructions' sh_size - 3
  linuxpatch.py record IN OUT REC FIELD V   set record REC's FIELD (instr, type, len, clobbers)
  linuxpatch.py machine IN OUT V            e_machine := V
  linuxpatch.py symsize IN OUT NAME V       the st_size of symbol NAME := V
  linuxpatch.py flip-site IN OUT ADDR       xor 0xff into the byte at ADDR (a site's first byte)
  linuxpatch.py debug-str IN OUT OLD NEW    every string OLD in .debug_str := NEW (same length)
"""
import json
import struct
import sys

FNV_INIT = 0xcbf29ce484222325


def fnv1a64(h, data):
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xffffffffffffffff
    return h


class Elf:
    def __init__(self, path):
        self.path = path
        self.data = bytearray(open(path, 'rb').read())
        d = self.data
        assert d[:4] == b'\x7fELF' and d[4] == 1, path + ': not a 32-bit ELF'
        self.shoff, = struct.unpack_from('<I', d, 0x20)
        self.shentsize, self.shnum, self.shstrndx = struct.unpack_from('<HHH', d, 0x2e)
        self.secs = []
        for i in range(self.shnum):
            f = struct.unpack_from('<10I', d, self.shoff + i * self.shentsize)
            self.secs.append(dict(idx=i, name=f[0], type=f[1], flags=f[2], addr=f[3], off=f[4],
                                  size=f[5], link=f[6], entsize=f[9]))
        st = self.secs[self.shstrndx]
        for s in self.secs:
            end = d.index(b'\0', st['off'] + s['name'])
            s['sname'] = d[st['off'] + s['name']:end].decode()

    def sec(self, name):
        for s in self.secs:
            if s['sname'] == name:
                return s
        return None

    def shdr_off(self, s):
        return self.shoff + s['idx'] * self.shentsize

    def records(self):
        s = self.sec('.parainstructions')
        out = []
        for i in range(s['size'] // 8):
            instr, typ, ln, clb = struct.unpack_from('<IBBH', self.data, s['off'] + 8 * i)
            out.append(dict(index=i, instr=instr, type=typ, len=ln, clobbers=clb))
        return out

    def file_off(self, addr):
        for s in self.secs:
            if s['type'] == 1 and s['flags'] & 2 and s['addr'] <= addr < s['addr'] + s['size']:
                return s['off'] + addr - s['addr']
        raise ValueError('0x%x in no allocated PROGBITS section' % addr)

    def write(self, path):
        open(path, 'wb').write(self.data)


def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)


def check_json(jpath, ipath):
    img = Elf(ipath)
    recs = img.records()
    doc = json.load(open(jpath))
    for k in ('image', 'kind', 'table', 'records', 'config', 'template_words', 'op_names', 'ops',
              'sites'):
        if k not in doc:
            fail('%s: no key %s' % (jpath, k))
    if doc['kind'] != 'linux' or doc['records'] != len(recs) or len(doc['sites']) != len(recs):
        fail('%s: %s records, %d sites; the section holds %d' % (jpath, doc['records'],
                                                                  len(doc['sites']), len(recs)))
    if sum(o['sites'] for o in doc['ops']) != len(recs):
        fail('%s: the ops count %d sites' % (jpath, sum(o['sites'] for o in doc['ops'])))
    keys = ('addr', 'op', 'type', 'call', 'call_nr', 'use', 'len', 'clobbers', 'clobber_mask',
            'linux_clobbers', 'record', 'function', 'file', 'line', 'bytes', 'asm')
    prev = -1
    per_type = {}
    for s in doc['sites']:
        for k in keys:
            if k not in s:
                fail('%s: site %s has no key %s' % (jpath, s.get('addr'), k))
        a = int(s['addr'], 16)
        if a <= prev:
            fail('%s: sites not in address order at %s' % (jpath, s['addr']))
        prev = a
        r = recs[s['record']]
        if (r['instr'], r['type'], r['len'], r['clobbers']) != (a, s['type'], s['len'],
                                                                int(s['linux_clobbers'], 16)):
            fail('%s: site %s does not match record %d %r' % (jpath, s['addr'], r['index'], r))
        off = img.file_off(a)
        if s['bytes'] != ' '.join('%02x' % b for b in img.data[off:off + r['len']]):
            fail('%s: site %s bytes differ from the file' % (jpath, s['addr']))
        mask = int(s['clobber_mask'], 16)
        want = (r['clobbers'] & 7) | 0x80
        if mask != want:
            fail('%s: site %s clobber mask 0x%x, CLBR 0x%x gives 0x%x' % (jpath, s['addr'], mask,
                                                                          r['clobbers'], want))
        if s['bytes'].startswith('ff 15') and not s['asm'].startswith('call dword ptr ['):
            fail('%s: site %s: %s is not an indirect call' % (jpath, s['addr'], s['asm']))
        per_type.setdefault(s['type'], set()).add(s['op'])
    for t, names in per_type.items():
        if len(names) != 1:
            fail('%s: type %d has ops %s' % (jpath, t, sorted(names)))
    for o in doc['ops']:
        if per_type.get(o['type']) != {o['op']}:
            fail('%s: op %s (type %d) names no site' % (jpath, o['op'], o['type']))
    print('%s: %d sites, %d ops, agree with the records' % (jpath, len(recs), len(doc['ops'])))


def parse_vmi_aot(img):
    s = img.sec('.vmi_aot')
    if not s or s['flags'] & 2:
        fail(img.path + ': no non-allocated .vmi_aot')
    d = img.data[s['off']:s['off'] + s['size']]
    if d[:4] != b'VAOS':
        fail(img.path + ': .vmi_aot magic')
    count, bsize, flags = struct.unpack_from('<III', d, 0x0c)
    ident = d[0x18:0x40]
    entries = [struct.unpack_from('<IIIBBBB', d, 0x40 + 16 * i) for i in range(count)]
    base = 0x40 + 16 * count
    return dict(count=count, flags=flags, ident=ident, entries=entries,
                bytes=d[base:base + bsize])


def check_out(opath, ipath, rpath):
    out, img = Elf(opath), Elf(ipath)
    recs = sorted(img.records(), key=lambda r: r['instr'])
    rec = parse_vmi_aot(out)
    if rec['flags'] != 2:
        fail('%s: .vmi_aot flags 0x%x, expected 0x2 (Linux, no identity symbol)' % (opath,
                                                                                 rec['flags']))
    if rec['count'] != len(recs):
        fail('%s: .vmi_aot counts %d sites, the kernel has %d records' % (opath, rec['count'],
                                                                          len(recs)))
    may = [(0x20, 4), (0x30, 2)]                # e_shoff, e_shnum
    h = FNV_INIT
    changed = 0
    for r, e in zip(recs, rec['entries']):
        addr, record, boff, call, ln, dec, why = e
        if (addr, record, ln) != (r['instr'], r['index'], r['len']):
            fail('%s: .vmi_aot entry for 0x%x is %r' % (opath, r['instr'], e))
        off = img.file_off(addr)
        if rec['bytes'][boff:boff + ln] != img.data[off:off + ln]:
            fail('%s: .vmi_aot keeps other bytes than %s at 0x%x' % (opath, ipath, addr))
        may.append((off, ln))
        h = fnv1a64(h, out.data[off:off + ln])
        changed += out.data[off:off + ln] != img.data[off:off + ln]
    sites_hash, = struct.unpack_from('<Q', rec['ident'], 0x20)
    site_count, = struct.unpack_from('<I', rec['ident'], 0x18)
    if h != sites_hash or site_count != len(recs):
        fail('%s: sites_hash 0x%x / count %d; recomputed 0x%x / %d' % (opath, sites_hash,
                                                                      site_count, h, len(recs)))
    at = 0
    for off, ln in sorted(may) + [(len(img.data), 0)]:
        if out.data[at:off] != img.data[at:off]:
            k = next(i for i in range(at, off) if out.data[i] != img.data[i])
            fail('%s: file offset 0x%x changed outside the sites' % (opath, k))
        at = max(at, off + ln)
    rep = json.load(open(rpath))
    for s in rep['sites']:
        off = out.file_off(int(s['addr'], 16))
        if s['bytes'] != ' '.join('%02x' % b for b in out.data[off:off + s['len']]):
            fail('%s: the report\'s bytes at %s are not OUT\'s' % (rpath, s['addr']))
    print('%s: %d sites, %d changed, only site bytes differ from %s, hashes recomputed' %
          (opath, len(recs), changed, ipath))


def main(argv):
    cmd = argv[1]
    if cmd == 'records':
        for r in Elf(argv[2]).records():
            print(r['index'], '0x%08x' % r['instr'], r['type'], r['len'], r['clobbers'])
    elif cmd == 'check-json':
        check_json(argv[2], argv[3])
    elif cmd == 'check-out':
        check_out(argv[2], argv[3], argv[4])
    else:
        img = Elf(argv[2])
        if cmd == 'truncate':
            s = img.sec('.parainstructions')
            struct.pack_into('<I', img.data, img.shdr_off(s) + 20, s['size'] - 3)
        elif cmd == 'record':
            s = img.sec('.parainstructions')
            at = s['off'] + 8 * int(argv[4])
            fmt, pos = {'instr': ('<I', 0), 'type': ('<B', 4), 'len': ('<B', 5),
                        'clobbers': ('<H', 6)}[argv[5]]
            struct.pack_into(fmt, img.data, at + pos, int(argv[6], 0))
        elif cmd == 'machine':
            struct.pack_into('<H', img.data, 0x12, int(argv[4], 0))
        elif cmd == 'symsize':
            tab = [s for s in img.secs if s['type'] == 2][0]
            strs = img.secs[tab['link']]
            name = argv[4].encode()
            for i in range(tab['size'] // 16):
                at = tab['off'] + 16 * i
                n, = struct.unpack_from('<I', img.data, at)
                if img.data[strs['off'] + n:strs['off'] + n + len(name) + 1] == name + b'\0':
                    struct.pack_into('<I', img.data, at + 8, int(argv[5], 0))
                    break
            else:
                fail('no symbol ' + argv[4])
        elif cmd == 'debug-str':
            s = img.sec('.debug_str')
            old, new = argv[4].encode() + b'\0', argv[5].encode() + b'\0'
            assert len(old) == len(new)
            area = bytes(img.data[s['off']:s['off'] + s['size']])
            if old not in area:
                fail('no string ' + argv[4])
            img.data[s['off']:s['off'] + s['size']] = area.replace(old, new)
        elif cmd == 'flip-site':
            img.data[img.file_off(int(argv[4], 0))] ^= 0xff
        else:
            fail('unknown command ' + cmd)
        img.write(argv[3])


if __name__ == '__main__':
    main(sys.argv)
