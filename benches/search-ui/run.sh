#!/usr/bin/env bash
# Casebook's search page vs Pagefind's UIs in headless Chromium on 10,000 case studies:
# bytes before first results, keystroke → results, facet click → counts and results.
#
#   benches/search-ui/run.sh              # writes benches/search-ui/RESULTS.md and prints it
#   QUICK=1 benches/search-ui/run.sh      # smoke test: 3 words, 1 load each (RESULTS.md is not touched)
#
# Everything it makes goes under $BENCH_ROOT (default /dev/shm; the disk is slow), and what is
# already there is reused: the corpus ($BENCH_ROOT/c10k, gen_corpus.py 10000 … 42) and the
# Pagefind index ($BENCH_ROOT/c10k-pfui/pagefind; REINDEX=1 rebuilds it, ~1–3 min and ~4.5 GB of
# RAM). The site ($BENCH_ROOT/c10k-site) is rebuilt every run (SKIP_BUILD=1 reuses it) with
# target/release/casebook, built only if missing: the theme and casebook.js are embedded in the
# binary, so REBUILD=1 runs `cargo build --release` first to measure the working tree's.
# Other settings: see the top of bench.mjs.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BENCH_ROOT="${BENCH_ROOT:-/dev/shm}"
GEN="${GEN:-/work/shared/bench/gen_corpus.py}"
CORPUS="$BENCH_ROOT/c10k"
SITE="$BENCH_ROOT/c10k-site"
PFOUT="$BENCH_ROOT/c10k-pfui"
WORK="$BENCH_ROOT/search-ui-bench"
START=$SECONDS
log() { printf '\n== %s (%ds)\n' "$*" "$((SECONDS - START))" >&2; }
mkdir -p "$WORK"

log "tools"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { apt-get update -qq && apt-get install -y -qq chromium; }
if [ ! -d "$HERE/node_modules/playwright-core" ] || [ ! -d "$HERE/node_modules/pagefind" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund)
fi
# casebook.js and the theme are embedded in the binary: REBUILD=1 rebuilds it from the working tree.
if [ "${REBUILD:-0}" = 1 ] || [ ! -x "$REPO/target/release/casebook" ]; then
  log "cargo build --release"
  (cd "$REPO" && cargo build --release)
fi
# A private copy: other builds may replace target/release/casebook mid-run.
cp "$REPO/target/release/casebook" "$WORK/casebook"

if [ "$(find "$CORPUS/content/case-studies" -maxdepth 1 -name '*.md' 2>/dev/null | wc -l)" -ne 10000 ]; then
  log "corpus: gen_corpus.py 10000 $CORPUS 42"
  python3 "$GEN" 10000 "$CORPUS" 42
fi
# The corpus is in one language: the sample's config without its `languages:` block.
(cd "$REPO" && benches/lib/one-language-config.sh "$CORPUS/.casebook.yaml.tmp")
if cmp -s "$CORPUS/.casebook.yaml.tmp" "$CORPUS/casebook.yaml"; then
  rm "$CORPUS/.casebook.yaml.tmp"
else
  mv "$CORPUS/.casebook.yaml.tmp" "$CORPUS/casebook.yaml"
fi

if [ "${SKIP_BUILD:-0}" = 1 ] && [ -f "$SITE/search/meta.json" ]; then
  log "site: reusing $SITE"
else
  log "site: casebook build --root $CORPUS --output $SITE"
  "$WORK/casebook" build --root "$CORPUS" --output "$SITE"
fi

if [ "${REINDEX:-0}" = 1 ] || [ ! -f "$PFOUT/pagefind/pagefind-entry.json" ]; then
  log "Pagefind index of the case pages (slow: minutes, GBs of RAM)"
  rm -rf "$PFOUT/pagefind.tmp" && mkdir -p "$PFOUT"
  (cd "$HERE" && npx --no-install pagefind --site "$SITE" --glob "case-studies/*/index.html" --output-path "$PFOUT/pagefind.tmp") \
    > "$PFOUT/index.log" 2>&1 || { tail -20 "$PFOUT/index.log" >&2; exit 1; }
  rm -rf "$PFOUT/pagefind" && mv "$PFOUT/pagefind.tmp" "$PFOUT/pagefind"
  grep -E '^ *Indexed' "$PFOUT/index.log" >&2 || true
else
  log "Pagefind index: reusing $PFOUT/pagefind"
fi

log "browser measurements"
OUT_DEFAULT="$HERE/RESULTS.md"
[ "${QUICK:-0}" = 1 ] && OUT_DEFAULT="$WORK/RESULTS-quick.md"
(cd "$HERE" && SITE="$SITE" PF_DIR="$PFOUT/pagefind" OUT="${OUT:-$OUT_DEFAULT}" JSON_OUT="${JSON_OUT:-$WORK/results.json}" node bench.mjs)
log "done"
