#!/usr/bin/env python3
"""Copies a built site's case-study pages, marking exactly the text Casebook indexes.

Usage: pagefind_body.py SITE_DIR OUT_DIR

Adds `data-pagefind-body` to the case's <article class="case"> (title, summary, body,
facet panel) and `data-pagefind-ignore` to its "Related case studies" section, whose
cards carry other cases' titles and summaries. The theme is untouched: only the copy
changes, so Pagefind ranks the same text Casebook's index sees.
"""
import os
import sys

site, out = sys.argv[1], sys.argv[2]
src = os.path.join(site, "case-studies")
n = 0
for slug in sorted(os.listdir(src)):
    page = os.path.join(src, slug, "index.html")
    if not os.path.isfile(page):
        continue
    html = open(page, encoding="utf-8").read()
    for old, new in [('<article class="case"', '<article class="case" data-pagefind-body'),
                     ('<section class="related"', '<section class="related" data-pagefind-ignore')]:
        count = html.count(old)
        if old.startswith("<article") and count != 1:
            sys.exit(f"{page}: expected one {old!r}, found {count}")
        html = html.replace(old, new, 1)
    os.makedirs(os.path.join(out, "case-studies", slug), exist_ok=True)
    with open(os.path.join(out, "case-studies", slug, "index.html"), "w", encoding="utf-8") as f:
        f.write(html)
    n += 1
print(f"pagefind_body: {n} case pages -> {out}")
