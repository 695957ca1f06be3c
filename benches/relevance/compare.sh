#!/usr/bin/env bash
# Precision at 3 of Casebook's search and of Pagefind on the sample portal, over the relevance
# test set (tests/relevance/queries.yaml), and the bytes Casebook's search page downloads before
# its first results at 10,000 case studies. Writes benches/relevance/RESULTS.md and prints it.
#
#   benches/relevance/compare.sh    # SKIP_BUILD=1: target/release/casebook as it is; SKIP_10K=1
#
# Builds the sample portal with target/release/casebook, then indexes the same built case pages
# with Pagefind four ways: the pages as built and with exactly Casebook's text marked
# (../search/pagefind_body.py), each with Pagefind's default per-language indexes and with
# `--force-language en`. Then builds gen_corpus.py 10000 (seed 42; reused when present) and opens
# its search page with 20 queries (first_results_bytes.mjs). Everything goes under $BENCH_ROOT
# (default /dev/shm). Needs cargo, python3, node/npm and /usr/bin/chromium; runs `npm install`
# here (pagefind, playwright-core, yaml).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BENCH_ROOT="${BENCH_ROOT:-/dev/shm}"
WORK="$BENCH_ROOT/casebook-relevance-bench"
GEN="${GEN:-$REPO/../shared/bench/gen_corpus.py}"
[ -f "$GEN" ] || GEN=/work/shared/bench/gen_corpus.py
rm -rf "$WORK" && mkdir -p "$WORK"
log() { printf '\n== %s\n' "$*" >&2; }

[ -x /usr/bin/chromium ] || { apt-get update -qq && apt-get install -y -qq chromium; }
[ -d "$HERE/node_modules/pagefind" ] || (cd "$HERE" && npm install --no-audit --no-fund)
PAGEFIND="$(cd "$HERE" && node -e 'import("./node_modules/pagefind/lib/resolveBinary.js").then(m => console.log(m.resolveBinaryPath(["pagefind_extended", "pagefind"])))')"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "cargo build --release"
  (cd "$REPO" && cargo build --release)
fi

log "casebook build (the sample portal)"
"$REPO/target/release/casebook" build --quiet --root "$REPO" --output "$WORK/site"
python3 "$REPO/benches/search/pagefind_body.py" "$WORK/site" "$WORK/site-body" >&2

bundles=()
for pages in built body; do
  src="$WORK/site"; [ "$pages" = body ] && src="$WORK/site-body"
  for lang in default en; do
    name="pagefind-$pages-$lang"
    args=(--site "$src" --glob "case-studies/*/index.html" --output-path "$WORK/$name/pagefind")
    [ "$lang" = en ] && args+=(--force-language en)
    log "$name: pagefind ${args[*]}"
    "$PAGEFIND" "${args[@]}" >"$WORK/$name.log" 2>&1 || { cat "$WORK/$name.log" >&2; exit 1; }
    bundles+=("$name=$WORK/$name/pagefind")
  done
done

log "queries"
node "$HERE/compare.mjs" "$WORK/site" "$WORK/results.json" "${bundles[@]}" >&2

if [ "${SKIP_10K:-0}" != 1 ]; then
  CORPUS="$BENCH_ROOT/c10k"
  if [ "$(find "$CORPUS/content/case-studies" -maxdepth 1 -name '*.md' 2>/dev/null | wc -l)" -ne 10000 ]; then
    log "corpus: gen_corpus.py 10000 $CORPUS 42"
    rm -rf "$CORPUS" && python3 "$GEN" 10000 "$CORPUS" 42 >&2
  fi
  # The corpus is in one language: the sample's config without its `languages:` block.
  (cd "$REPO" && benches/lib/one-language-config.sh "$CORPUS/casebook.yaml")
  log "casebook build (10,000 case studies)"
  "$REPO/target/release/casebook" build --quiet --root "$CORPUS" --output "$WORK/site-10k"
  node "$HERE/first_results_bytes.mjs" "$WORK/site-10k" >"$WORK/bytes.json"
  ( cd "$WORK/site-10k/search/index" && node -e '
    const fs = require("fs"), zlib = require("zlib");
    const size = re => fs.readdirSync(".").filter(f => re.test(f)).reduce((a, f) => {
      const b = fs.readFileSync(f); return [a[0] + b.length, a[1] + zlib.gzipSync(b, { level: 6 }).length]; }, [0, 0]);
    console.log(JSON.stringify({ index: size(/\.(json|bin)$/), twins: size(/\.js$/) }));' ) >"$WORK/offline.json"
fi
node "$HERE/report.mjs" "$WORK/results.json" "$("$PAGEFIND" --version)" "$WORK/bytes.json" "$WORK/offline.json" >"$HERE/RESULTS.md"
cat "$HERE/RESULTS.md"
