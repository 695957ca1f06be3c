#!/usr/bin/env python3
"""Casebook's full-text ranking, re-implemented from src/search/FORMAT.md.

Usage: casebook_rank.py SITE_DIR QUERIES.json OUT.json

For each query: the top 10 doc URLs and the bytes a browser downloads to answer it
(dictionary shards + postings buckets + the top 10 `search/docs/<id>.json`),
raw and as gzip -6 would send them. All query words are required and matched as
whole words (no as-you-type prefix expansion), as the comparison asks; `fallback`
holds the same with FORMAT.md's rule for words the corpus never uses in that exact
form ("register" when it says "registered"): matched as a capped prefix.
Independent of the Rust code on purpose: it reads only the files and the spec.
"""
import gzip
import json
import math
import os
import re
import sys
import unicodedata

TOP = 10


def fold(word):
    """Lower-case and strip accents (NFKD, combining marks dropped)."""
    if word.isascii():
        return word.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", word)
                   if not unicodedata.combining(c)).lower()


WORD = re.compile(r"\w+(?:['’.:]\w+)*")


def query_words(q):
    """Distinct folded words of a query (Unicode-word-ish split, as the client's fallback)."""
    out = []
    for m in WORD.finditer(q):
        w = fold(m.group(0))
        if len(w) <= 40 and w not in out:
            out.append(w)
    return out


def shard_name(w):
    return "d-" + w[:2].encode("utf-8").hex() + ".json"


def varints(data, p):
    v = s = 0
    while True:
        b = data[p]
        p += 1
        v |= (b & 0x7F) << s
        s += 7
        if not b & 0x80:
            return v, p


def parse_bucket(data, docs):
    """term id -> (doc ids, weights, bytes of the term's record). A term in more than
    an eighth of the `docs` documents has its ids as a bitmap of ceil(docs / 8) bytes."""
    out, p = {}, 0
    while p < len(data):
        start = p
        term, p = varints(data, p)
        n, p = varints(data, p)
        ids, last = [], 0
        if 8 * n > docs:
            ids = [d for d in range(docs) if data[p + d // 8] >> (d % 8) & 1]
            p += (docs + 7) // 8
        else:
            for _ in range(n):
                gap, p = varints(data, p)
                last += gap
                ids.append(last)
        out[term] = (ids, data[p:p + n], p + n - start)
        p += n
    return out


class Site:
    def __init__(self, root):
        self.root = root
        self.search = os.path.join(root, "search")
        self.meta_raw = self.read("meta.json")
        self.meta = json.loads(self.meta_raw)
        self.n = self.meta["n"]
        self.buckets = self.meta["buckets"]
        self.cache = {}

    def read(self, rel):
        path = os.path.join(self.search, rel)
        if not os.path.exists(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    def fetch(self, rel):
        if rel not in self.cache:
            self.cache[rel] = self.read(rel)
        return self.cache[rel]


def gz(b):
    """Bytes a server compressing on the fly (gzip -6) would send."""
    return min(len(b), len(gzip.compress(b, 6, mtime=0))) if b else 0


def idf(n, df):
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


MIN_PREFIX, MAX_PREFIX_TERMS = 3, 12


def word_terms(shard, w, fallback):
    """Term ids a query word looks up. Whole word only; with `fallback` (FORMAT.md since the
    client learned it), a word the corpus never uses in exactly that form is matched as a
    prefix: >= 3 characters, at most 12 terms, shortest forms first."""
    terms = list(shard.get(w, []))
    if fallback and w not in shard and len(w) >= MIN_PREFIX:
        longer = sorted((f for f in shard if f != w and f.startswith(w)), key=lambda f: (len(f), f))
        for f in longer:
            if len(terms) >= MAX_PREFIX_TERMS:
                break
            terms += [t for t in shard[f] if t not in terms]
    return terms


def run_query(site, q, fallback=False):
    words = query_words(q)
    fetched = []  # (kind, rel path)

    def get(kind, rel):
        if (kind, rel) not in fetched:
            fetched.append((kind, rel))
        return site.fetch(rel)

    per_word = []
    wanted = 0  # postings bytes that belong to the query's own terms
    for w in words:
        raw = get("dictionary", "index/" + shard_name(w))
        shard = json.loads(raw) if raw else {}
        terms = word_terms(shard, w, fallback)
        best = {}  # doc -> its best weight among the word's terms
        for t in terms:
            bucket = parse_bucket(get("postings", f"index/p-{t % site.buckets}.bin") or b"", site.n)
            if t not in bucket:
                continue
            ids, weights, size = bucket[t]
            wanted += size
            for d, wt in zip(ids, weights):
                best[d] = max(best.get(d, 0), wt)
        # One idf per query word: the docs holding any of its terms (FORMAT.md).
        f = idf(site.n, len(best))
        scores = {d: f * wt for d, wt in best.items()}
        per_word.append((w, terms, scores))

    docs = None
    for _, _, scores in per_word:
        docs = set(scores) if docs is None else docs & set(scores)
    docs = docs or set()
    total = {d: sum(s[d] for _, _, s in per_word) for d in docs}
    ranked = sorted(docs, key=lambda d: (-total[d], d))
    top = []
    for d in ranked[:TOP]:
        frag = json.loads(get("docs", f"docs/{d}.json"))
        top.append({"id": d, "url": frag["u"], "score": round(total[d], 4)})

    by_kind = {}
    for kind, rel in fetched:
        data = site.fetch(rel) or b""
        k = by_kind.setdefault(kind, {"files": 0, "bytes": 0, "gzip": 0})
        k["files"] += 1 if data else 0
        k["bytes"] += len(data)
        k["gzip"] += gz(data)
    return {
        "q": q,
        "words": words,
        "terms": {w: t for w, t, _ in per_word},
        "missing": [w for w, _, s in per_word if not s],
        "hits": len(docs),
        "top": top,
        "bytes": by_kind,
        "query_bytes": sum(k["bytes"] for k in by_kind.values()),
        "query_gzip": sum(k["gzip"] for k in by_kind.values()),
        "postings_wanted": wanted,
    }


def du(path):
    total = files = 0
    for d, _, names in os.walk(path):
        for name in names:
            total += os.path.getsize(os.path.join(d, name))
            files += 1
    return total, files


def main():
    root, qfile, out = sys.argv[1:4]
    site = Site(root)
    queries = json.load(open(qfile))
    results = []
    for q in queries:
        r = dict(run_query(site, q["q"]), kind=q["kind"])
        fb = run_query(site, q["q"], fallback=True)
        r["fallback"] = {k: fb[k] for k in ["terms", "missing", "hits", "top", "bytes",
                                            "query_bytes", "query_gzip"]}
        results.append(r)
    startup = {}
    for rel in ["search/meta.json", "search/facets.bin", "assets/casebook.js"]:
        with open(os.path.join(root, rel), "rb") as f:
            b = f.read()
        startup[rel] = {"bytes": len(b), "gzip": gz(b)}
    sizes = {}
    for rel in ["search", "search/index", "search/docs"]:
        b, n = du(os.path.join(root, rel))
        sizes[rel] = {"bytes": b, "files": n}
    for rel in ["search/offline.js", "search/meta.json", "search/facets.bin", "search/order.bin"]:
        sizes[rel] = {"bytes": os.path.getsize(os.path.join(root, rel)), "files": 1}
    json.dump({"n": site.n, "buckets": site.buckets, "startup": startup, "sizes": sizes,
               "queries": results}, open(out, "w"), indent=1)
    print(f"casebook: {len(results)} queries ranked -> {out}")


if __name__ == "__main__":
    main()
