# SPDX-License-Identifier: GPL-2.0-only
# Checks shared by tests/aot/linux.sh and linux-mini.sh (sourced; they set $tmp).  The kernel's
# records and site bytes come from aot-imgedit's listings (tests/aot/imgedit.c), the byte facts
# of a specialized kernel from test-aot-out (tests/aot/test_aot_out.c); what is left here reads
# the JSON the tool wrote and compares it with those listings.
: "${AOT_OUT_TEST:?test-aot-out: set by make (mk/aot.mk)}" "${AOT_IMGEDIT:?aot-imgedit: set by make (mk/aot.mk)}"
: "${LINUX_ROM_BASE:?the Linux ROM base: set by make (mk/inliner.mk)}"

# linux_check_json SITES.json KERNEL: the `sites --json` listing agrees with the records.
linux_check_json() {
    "$AOT_IMGEDIT" records "$2" >"$tmp/records.txt" || return 1
    python3 - "$1" "$tmp/records.txt" <<'EOF'
import json, sys
jpath = sys.argv[1]
recs = []
for line in open(sys.argv[2]):
    f = line.split()
    recs.append(dict(index=int(f[0]), instr=int(f[1], 16), type=int(f[2]), len=int(f[3]),
                     clobbers=int(f[4]), bytes=' '.join(f[5:])))
doc = json.load(open(jpath))
def fail(msg):
    sys.exit('FAIL: %s: %s' % (jpath, msg))
for k in ('image', 'kind', 'table', 'records', 'config', 'template_words', 'op_names', 'ops', 'sites'):
    if k not in doc:
        fail('no key ' + k)
if doc['kind'] != 'linux' or doc['records'] != len(recs) or len(doc['sites']) != len(recs):
    fail('%s records, %d sites; the section holds %d' % (doc['records'], len(doc['sites']), len(recs)))
if sum(o['sites'] for o in doc['ops']) != len(recs):
    fail('the ops count %d sites' % sum(o['sites'] for o in doc['ops']))
keys = ('addr', 'op', 'type', 'call', 'call_nr', 'use', 'len', 'clobbers', 'clobber_mask',
        'linux_clobbers', 'record', 'function', 'file', 'line', 'bytes', 'asm')
prev, per_type = -1, {}
for s in doc['sites']:
    missing = [k for k in keys if k not in s]
    if missing:
        fail('site %s has no key %s' % (s.get('addr'), missing[0]))
    a = int(s['addr'], 16)
    if a <= prev:
        fail('sites not in address order at ' + s['addr'])
    prev = a
    r = recs[s['record']]
    if (r['instr'], r['type'], r['len'], r['clobbers']) != (a, s['type'], s['len'], int(s['linux_clobbers'], 16)):
        fail('site %s does not match record %d %r' % (s['addr'], r['index'], r))
    if s['bytes'] != r['bytes']:
        fail('site %s bytes differ from the file' % s['addr'])
    if int(s['clobber_mask'], 16) != (r['clobbers'] & 7) | 0x80:
        fail('site %s clobber mask %s, CLBR 0x%x' % (s['addr'], s['clobber_mask'], r['clobbers']))
    if s['bytes'].startswith('ff 15') and not s['asm'].startswith('call dword ptr ['):
        fail('site %s: %s is not an indirect call' % (s['addr'], s['asm']))
    per_type.setdefault(s['type'], set()).add(s['op'])
for t, names in per_type.items():
    if len(names) != 1:
        fail('type %d has ops %s' % (t, sorted(names)))
for o in doc['ops']:
    if per_type.get(o['type']) != {o['op']}:
        fail('op %s (type %d) names no site' % (o['op'], o['type']))
print('%s: %d sites, %d ops, agree with the records' % (jpath, len(recs), len(doc['ops'])))
EOF
}

# linux_check_out OUT KERNEL ROM POLICY REPORT: OUT's byte facts against KERNEL and ROM
# (test-aot-out), and the report's site bytes are OUT's.
linux_check_out() {
    "$AOT_OUT_TEST" "$2" "$1" "$3" "$4" "$LINUX_ROM_BASE" >"$tmp/unit" 2>&1 ||
        { grep -E '^\[  (FAILED|ERROR) |[Ff]ailure|error' "$tmp/unit" | head -3; return 1; }
    "$AOT_IMGEDIT" sites "$1" >"$tmp/out-sites.txt" || return 1
    python3 - "$5" "$tmp/out-sites.txt" <<'EOF' || return 1
import json, sys
have = {}
for line in open(sys.argv[2]):
    f = line.split()
    have[int(f[1], 16)] = ' '.join(f[4:])
for s in json.load(open(sys.argv[1]))['sites']:
    if s['bytes'] != have.get(int(s['addr'], 16)):
        sys.exit("FAIL: %s: the report's bytes at %s are not OUT's" % (sys.argv[1], s['addr']))
EOF
    echo "$1: $(grep -c '^\[       OK' "$tmp/unit") unit tests pass (only site bytes differ, hashes recomputed), the report's bytes are OUT's"
}
