"""Check every src/vocabularies/translations/*.yaml: parses (PyYAML), code set == the English vocabulary's codes,
no empty strings, only the fields label/short/description; SDG target shorts are trims of their
description (port of vocabulary.rs is_trimmed_from) and at most 72 characters."""
import os, sys, glob, yaml
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from shorts import is_trimmed_from
VOC = os.path.join(HERE, '..', '..')

def codes(name):
    doc = yaml.safe_load(open(f'{VOC}/{name}.yaml', encoding='utf-8'))
    out = []
    def walk(ts, depth):
        for t in ts:
            out.append((t['code'], depth))
            walk(t.get('children', []), depth + 1)
    walk(doc['terms'], 1)
    return out

problems, n = [], 0
for path in sorted(glob.glob(f'{OUT}/*.yaml')):
    name, lang = os.path.basename(path)[:-5].rsplit('.', 1)
    data = yaml.safe_load(open(path, encoding='utf-8'))
    en = codes(name)
    want, got = [c for c, _ in en], list(data)
    if set(want) != set(got) or len(got) != len(want):
        problems.append(f'{path}: codes differ: missing {sorted(set(want) - set(got))}, extra {sorted(set(got) - set(want))}')
    for code, fields in data.items():
        n += 1
        if not isinstance(code, str):
            problems.append(f'{path}: code {code!r} is not a string')
        bad = set(fields) - {'label', 'short', 'description'}
        if bad or 'label' not in fields:
            problems.append(f'{path}: {code}: fields {sorted(fields)}')
        for k, v in fields.items():
            if not isinstance(v, str) or not v.strip() or v != v.strip():
                problems.append(f'{path}: {code}: {k} empty or padded: {v!r}')
    if name == 'sdg':
        depth = dict(en)
        for code, f in data.items():
            if depth.get(code) == 2:
                if not is_trimmed_from(f['short'], f['description']):
                    problems.append(f'{path}: {code}: short is not a trim of the description')
                if len(f['short']) > 72:
                    problems.append(f'{path}: {code}: short longer than 72')
    print(f'{os.path.basename(path)}: {len(data)} codes (English {len(want)})')
print(f'{n} terms checked, {len(problems)} problems')
for p in problems:
    print('  ' + p)
sys.exit(1 if problems else 0)
