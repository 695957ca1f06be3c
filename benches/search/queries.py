#!/usr/bin/env python3
"""50 deterministic benchmark queries drawn from the corpus generator's vocabulary.

Usage: queries.py GEN_CORPUS_PY OUT.json [SEED]

Half one-word, half two-word queries, in base forms as a person would type them:
nouns, verbs, adjectives, country names and themes from gen_corpus.py. Same seed ->
same list. Each query is {"q": text, "kind": "..."}.
"""
import importlib.util
import json
import random
import sys

gen_path, out = sys.argv[1], sys.argv[2]
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 2024

spec = importlib.util.spec_from_file_location("gen_corpus", gen_path)
g = importlib.util.module_from_spec(spec)
spec.loader.exec_module(g)

nouns = sorted(set(g.NOUNS))
verbs = sorted(set(g.VERBS))
adjs = sorted(set(g.ADJECTIVES))
one_word_countries = [c for c in g.COUNTRIES if " " not in c]
two_word_countries = [c for c in g.COUNTRIES if " " in c]
two_word_themes = [t for t in g.THEMES if len(t.split()) == 2]

r = random.Random(seed)
# (kind, how many, generator)
plan = [
    ("noun", 9, lambda: r.choice(nouns)),
    ("verb", 5, lambda: r.choice(verbs)),
    ("adjective", 6, lambda: r.choice(adjs)),
    ("country", 5, lambda: r.choice(one_word_countries)),
    ("adjective noun", 8, lambda: f"{r.choice(adjs)} {r.choice(nouns)}"),
    ("noun noun", 6, lambda: f"{r.choice(nouns)} {r.choice(nouns)}"),
    ("verb noun", 4, lambda: f"{r.choice(verbs)} {r.choice(nouns)}"),
    ("country noun", 3, lambda: f"{r.choice(one_word_countries)} {r.choice(nouns)}"),
    ("two-word country", 1, lambda: r.choice(two_word_countries)),
    ("theme", 3, lambda: r.choice(two_word_themes)),
]
queries, seen = [], set()
for kind, count, make in plan:
    got = 0
    while got < count:
        q = make()
        if q.lower() in seen:
            continue
        seen.add(q.lower())
        queries.append({"q": q, "kind": kind})
        got += 1
assert len(queries) == 50, len(queries)
with open(out, "w") as f:
    json.dump(queries, f, indent=1)
print(f"{len(queries)} queries -> {out}")
