"""Resolve hand-chosen target short names against the official texts.

Input: shorts.<lang>.txt, lines "code<TAB>piece … piece". Each piece is typed
without tatweel (U+0640); it is located in the official text (ignoring tatweel
and, for the first piece, the case of the first letter), on whole-word
boundaries, after the previous piece, and replaced by the verbatim span.
"""
import os
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
import sys, re
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load import *

TATWEEL = '\u0640'

def norm_map(s):
    out, idx = [], []
    for i, ch in enumerate(s):
        if ch == TATWEEL:
            continue
        out.append(ch); idx.append(i)
    idx.append(len(s))
    return ''.join(out), idx

def alone(c):
    return c is None or not c.isalnum()

def locate(piece, full, start, first):
    n, idx = norm_map(full)
    p = piece.replace(TATWEEL, '')
    cands = [p]
    if first and p:
        cands.append(p[0].lower() + p[1:])
    best = None
    for c in cands:
        pos = start
        while True:
            at = n.find(c, pos)
            if at < 0:
                break
            end = at + len(c)
            before = n[at-1] if at > 0 else None
            after = n[end] if end < len(n) else None
            if alone(before) and alone(after):
                if best is None or at < best[0]:
                    best = (at, end)
                break
            pos = at + 1
    if best is None:
        return None
    at, end = best
    return idx[at], idx[end - 1] + 1, end

def resolve(short, full):
    pieces = [p.strip() for p in short.split('…')]
    out, start = [], 0
    for i, p in enumerate(pieces):
        r = locate(p, full, start, i == 0)
        if r is None:
            raise ValueError(f'piece {p!r} not found in order')
        a, b, nend = r
        text = full[a:b]
        if i == 0:
            text = text[0].upper() + text[1:]
        out.append(text)
        start = nend
    return ' … '.join(out)

# Port of vocabulary.rs is_trimmed_from, to check the result the way the project will.
def is_trimmed_from(short, full):
    frm = 0
    for i, piece in enumerate(p.strip() for p in short.split('…')):
        lowered = piece[0].lower() + piece[1:] if (i == 0 and piece) else piece
        ends = []
        for p in {piece, lowered}:
            if not p:
                continue
            at = full.find(p, frm)
            if at < 0:
                continue
            end = at + len(p)
            b = full[at-1] if at > 0 else None
            a = full[end] if end < len(full) else None
            if alone(b) and alone(a):
                ends.append(end)
        if not ends:
            return False
        frm = min(ends)
    return True

def load_shorts(lang):
    T = targets_en(); R = ref(lang, 'targets')
    res, errs = {}, []
    for ln, line in enumerate(open(os.path.join(HERE, f'shorts.{lang}.txt'), encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'):
            continue
        code, short = re.split(r'\t| \| ', line, maxsplit=1)
        full = R[tkey(code)+'-title']
        try:
            s = resolve(short, full)
        except ValueError as e:
            errs.append(f'{lang}:{ln}: {code}: {e}'); continue
        if not is_trimmed_from(s, full):
            errs.append(f'{lang}:{ln}: {code}: check failed {s!r}')
        if len(s) > 72:
            errs.append(f'{lang}:{ln}: {code}: {len(s)} chars > 72: {s!r}')
        res[code] = s
    return res, errs

if __name__ == '__main__':
    for lang in sys.argv[1:]:
        res, errs = load_shorts(lang)
        print(lang, len(res), 'shorts,', len(errs), 'errors')
        for e in errs: print(' ', e)
