#!/usr/bin/env python3
"""The I/O floor: read every Markdown file of a corpus and write each, unchanged,
as OUT/<slug>/index.html. No parsing, no templates: what any generator pays
before doing any work. Usage: floor.py CORPUS_DIR OUT_DIR"""
import os
import sys
import time

corpus, out = sys.argv[1], sys.argv[2]
start = time.time()
src = os.path.join(corpus, "content", "case-studies")
for name in sorted(os.listdir(src)):
    with open(os.path.join(src, name), "rb") as f:
        data = f.read()
    page = os.path.join(out, name[:-3])
    os.makedirs(page, exist_ok=True)
    with open(os.path.join(page, "index.html"), "wb") as f:
        f.write(data)
print(f"floor: {time.time() - start:.2f} s")
