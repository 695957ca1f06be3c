#!/usr/bin/env bash
# Casebook's search index vs Pagefind on the same corpus: build time, peak memory, index size,
# bytes downloaded per query, top-10 ranking agreement over 50 queries.
#
#   benches/search/compare.sh            # 1k and 10k case studies
#   SIZES=1000 benches/search/compare.sh # 1k only
#
# Everything it makes goes under $BENCH_ROOT (default /dev/shm: the disk is slow); corpora
# already there are reused. Writes benches/search/RESULTS.md and prints it.
# Environment: SIZES (default "1000 10000"), REPEAT (timed runs per tool, default 3),
# SEED (corpus seed, 42), QSEED (query seed, 2024), BENCH_ROOT, GEN (gen_corpus.py path),
# SKIP_BUILD=1 (use target/release/casebook as it is).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SIZES="${SIZES:-1000 10000}"
REPEAT="${REPEAT:-3}"
SEED="${SEED:-42}"
QSEED="${QSEED:-2024}"
BENCH_ROOT="${BENCH_ROOT:-/dev/shm}"
GEN="${GEN:-$REPO/../shared/bench/gen_corpus.py}"
[ -f "$GEN" ] || GEN=/work/shared/bench/gen_corpus.py
WORK="$BENCH_ROOT/casebook-search-bench"
mkdir -p "$WORK"
log() { printf '\n== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
log "tools"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
if [ ! -x /usr/bin/chromium ]; then apt-get update -qq && apt-get install -y -qq chromium; fi
if [ ! -d "$HERE/node_modules/playwright-core" ] || [ ! -d "$HERE/node_modules/pagefind" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund)
fi
PAGEFIND="$(cd "$HERE" && node -e 'import("./node_modules/pagefind/lib/resolveBinary.js").then(m => console.log(m.resolveBinaryPath(["pagefind_extended", "pagefind"])))')"
[ -x "$PAGEFIND" ] || { echo "no Pagefind binary ($PAGEFIND)" >&2; exit 1; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "cargo build --release"
  (cd "$REPO" && cargo build --release) ||
    echo "cargo build failed: benchmarking the existing target/release/casebook" >&2
fi
[ -x "$REPO/target/release/casebook" ] || { echo "no target/release/casebook" >&2; exit 1; }
# A private copy: other builds may replace target/release/casebook mid-run.
cp "$REPO/target/release/casebook" "$WORK/casebook"
CASEBOOK="$WORK/casebook"

python3 "$HERE/queries.py" "$GEN" "$WORK/queries.json" "$QSEED" >&2

python3 - "$WORK/env.json" <<EOF
import json, os, subprocess, sys, datetime
def sh(c):
    try: return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception: return "?"
cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
rev = sh("cd '$REPO' && git rev-parse --short HEAD")
dirty = sh("cd '$REPO' && git status --porcelain --untracked-files=no -- src themes Cargo.toml Cargo.lock")
json.dump({
  "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
  "cpu": cpu, "cores": os.cpu_count(),
  "mem": f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB",
  "load": " ".join(open('/proc/loadavg').read().split()[:3]),
  "casebook": rev + (" + uncommitted changes in src/themes" if dirty else ""),
  "pagefind": sh("'$PAGEFIND' --version").replace("pagefind ", ""),
  "chromium": sh("/usr/bin/chromium --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1"),
  "playwright": json.load(open("$HERE/node_modules/playwright-core/package.json"))["version"],
  "node": sh("node --version"), "seed": $SEED, "qseed": $QSEED, "repeat": $REPEAT,
}, open(sys.argv[1], "w"), indent=1)
EOF

DIRS=()
for N in $SIZES; do
  if [ $((N % 1000)) -eq 0 ]; then L="$((N / 1000))k"; else L="$N"; fi
  CORPUS="$BENCH_ROOT/c$L"
  SITE="$BENCH_ROOT/c$L-out"
  BODY_SITE="$BENCH_ROOT/c$L-pfbody"
  PF_DEFAULT="$BENCH_ROOT/pf$L-default/pagefind"
  PF_BODY="$BENCH_ROOT/pf$L-body/pagefind"
  R="$WORK/results-$L"
  rm -rf "$R" && mkdir -p "$R"
  cp "$WORK/env.json" "$R/env.json"

  # ------------------------------------------------------------ corpus
  have=$( (ls "$CORPUS/content/case-studies" 2>/dev/null || true) | wc -l)
  if [ "$have" -ne "$N" ]; then
    log "corpus $L"
    rm -rf "$CORPUS"
    python3 "$GEN" "$N" "$CORPUS" "$SEED" >&2
  fi
  # The corpus is in one language: the sample's config without its `languages:` block (with
  # it, each of the four editions would list the N untranslated case studies again).
  (cd "$REPO" && benches/lib/one-language-config.sh "$CORPUS/casebook.yaml")

  # ------------------------------------------------------------ Casebook build
  for i in $(seq 1 "$REPEAT"); do
    log "casebook build $L ($i/$REPEAT)"
    rm -rf "$SITE"
    /usr/bin/time -v -o "$R/cb_build_$i.time" \
      "$CASEBOOK" build --root "$CORPUS" --output "$SITE" --verbose >"$R/cb_build_$i.log" 2>&1
    cat "$R/cb_build_$i.log" >&2
  done

  # ------------------------------------------------------------ Pagefind
  python3 "$HERE/pagefind_body.py" "$SITE" "$BODY_SITE" >&2
  for i in $(seq 1 "$REPEAT"); do
    log "pagefind $L, as built ($i/$REPEAT)"
    rm -rf "$(dirname "$PF_DEFAULT")"
    /usr/bin/time -v -o "$R/pf_default_$i.time" "$PAGEFIND" --site "$SITE" \
      --glob "case-studies/*/index.html" --output-path "$PF_DEFAULT" >"$R/pf_default_$i.log" 2>&1
    tail -3 "$R/pf_default_$i.log" >&2
    log "pagefind $L, same text ($i/$REPEAT)"
    rm -rf "$(dirname "$PF_BODY")"
    /usr/bin/time -v -o "$R/pf_body_$i.time" "$PAGEFIND" --site "$BODY_SITE" \
      --glob "case-studies/*/index.html" --output-path "$PF_BODY" >"$R/pf_body_$i.log" 2>&1
    tail -3 "$R/pf_body_$i.log" >&2
  done

  # ------------------------------------------------------------ queries
  log "queries $L"
  python3 "$HERE/casebook_rank.py" "$SITE" "$WORK/queries.json" "$R/cb_rank.json" >&2
  node "$HERE/pagefind_query.mjs" pagefind "$SITE" "$PF_BODY" "$WORK/queries.json" "$R/pf_body.json" >&2
  node "$HERE/pagefind_query.mjs" pagefind "$SITE" "$PF_DEFAULT" "$WORK/queries.json" "$R/pf_default.json" >&2
  node "$HERE/pagefind_query.mjs" casebook "$SITE" - "$WORK/queries.json" "$R/cb_browser.json" >&2

  python3 - "$R/run.json" <<EOF
import json, sys
json.dump({"n": $N, "site_out": "$SITE", "pf_default": "$PF_DEFAULT", "pf_body": "$PF_BODY"},
          open(sys.argv[1], "w"))
EOF
  DIRS+=("$R")
done

python3 "$HERE/report.py" "${DIRS[@]}" >"$HERE/RESULTS.md"
cat "$HERE/RESULTS.md"
