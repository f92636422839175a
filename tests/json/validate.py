#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""validate.py SCHEMA_DIR [--allow-pending=NAME,...] [--pending] FILE[=SCHEMA]...

Each FILE is one JSON document a tool wrote.  It must be valid UTF-8 (read as bytes, decoded
strictly: a tool that passes a path's \\xff through fails here), strict JSON (no NaN, no
Infinity, no duplicate keys), a top-level object naming its layout in "schema"
("vmi-aot.sites/1"), and valid against SCHEMA_DIR/<name>.json (the name without "/N"; the file
pins the number), whose common definitions are SCHEMA_DIR/common.json.  FILE=SCHEMA also
requires that the document claims SCHEMA.  FILE@MEMBER=SCHEMA validates only the document's
MEMBER against SCHEMA's definition of it (a member already converted, in a document that is not).

--pending: the FILEs after it come from emitters not yet converted to the conventions
(docs/json.md): they must still be valid UTF-8 and strict JSON, and are validated against their
schema once they name one.  One that names none yet is "pending", which is a failure unless its
file name (without the directory) is one of --allow-pending's NAMEs: the explicit list of
documents still waiting, kept in tests/json/check.sh.  A document on that list that names its
schema is validated and reported "no longer pending" (take it off the list).

Validated with python3-jsonschema (Debian), Draft 7.  Exit 0 when every FILE passes, else 1 with
one line per failure."""
import json
import os
import sys
import warnings

import jsonschema

# RefResolver is deprecated in jsonschema 4.18+ in favour of the referencing package, but it is
# what every jsonschema Debian ships has; the warning would only drown the result lines.
warnings.filterwarnings('ignore', category=DeprecationWarning, module=__name__)


def strict_json(text):
    def no_dups(pairs):
        keys = [k for k, _ in pairs]
        dup = {k for k in keys if keys.count(k) > 1}
        if dup:
            raise ValueError('duplicate key(s) %s' % sorted(dup))
        return dict(pairs)

    def no_const(c):
        raise ValueError('%s is not JSON' % c)
    return json.loads(text, object_pairs_hook=no_dups, parse_constant=no_const)


def load_schemas(sdir):
    schemas = {}
    for f in sorted(os.listdir(sdir)):
        if f.endswith('.json'):
            with open(os.path.join(sdir, f), 'rb') as fh:
                s = strict_json(fh.read().decode('utf-8'))
            jsonschema.Draft7Validator.check_schema(s)
            schemas[f[:-5]] = s
    return schemas


def validator(sdir, schemas, base, member):
    root = 'file://%s/' % os.path.abspath(sdir)
    schema, uri = schemas[base], root + base + '.json'
    if member:      # a schema of its own that refers into the document's
        schema, uri = {'$ref': uri + '#/properties/' + member}, root + 'member-of-' + base
    resolver = jsonschema.RefResolver(uri, schema,
                                      store={root + k + '.json': v for k, v in schemas.items()})
    return jsonschema.Draft7Validator(schema, resolver=resolver)


def check(path, want, pending, sdir, schemas):
    path, _, member = path.partition('@')
    with open(path, 'rb') as fh:
        raw = fh.read()
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        return 'not valid UTF-8 at byte %d (%r)' % (e.start, raw[max(0, e.start - 20):e.end + 5])
    try:
        doc = strict_json(text)
    except ValueError as e:
        return 'not JSON: %s' % e
    name = doc.get('schema') if isinstance(doc, dict) else None
    if member:
        if member not in doc:
            return 'no member %s' % member
        name, doc = want, doc[member]
    if not isinstance(name, str):
        return 'pending' if pending else 'not an object naming its "schema"'
    if want and name != want:
        return 'claims schema %s, expected %s' % (name, want)
    base = name.split('/')[0]
    if base not in schemas:
        return 'schema %s: no %s/%s.json' % (name, sdir, base)
    v = validator(sdir, schemas, base, member)
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errs:
        e = errs[0]
        where = '/'.join(str(p) for p in e.absolute_path) or '(top)'
        return '%s%s at %s: %s (%d error(s))' % (name, member and ' ' + member, where,
                                                 e.message[:300], len(errs))
    return None


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().split('\n')[0], file=sys.stderr)
        return 2
    sdir = argv[1]
    schemas = load_schemas(sdir)
    bad, pending, allowed = 0, False, set()
    for arg in argv[2:]:
        if arg == '--pending':
            pending = True
            continue
        if arg.startswith('--allow-pending='):
            allowed |= {n for n in arg.partition('=')[2].split(',') if n}
            continue
        path, _, want = arg.partition('=')
        why = check(path, want, pending, sdir, schemas)
        name = os.path.basename(path.partition('@')[0])
        if why == 'pending' and name in allowed:
            print('pending: %s (no "schema" member yet; on the list of documents still waiting)' % path)
        elif why == 'pending':
            print('FAIL: %s: pending (no "schema" member), and not on the list of documents '
                  'still waiting (--allow-pending)' % path)
            bad += 1
        elif why:
            print('FAIL: %s: %s' % (path, why))
            bad += 1
        elif pending and name in allowed:
            print('ok: %s (no longer pending: take %s off the --allow-pending list)' % (path, name))
        else:
            print('ok: %s' % path)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
