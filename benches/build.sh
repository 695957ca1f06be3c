#!/usr/bin/env bash
# Build benchmark: `casebook build` on generated corpora of 1,000 and 10,000 case
# studies (../shared/bench/gen_corpus.py, seed 42), fresh output folder each run,
# median wall time and peak memory over RUNS runs, next to the I/O floor
# (benches/floor.py: read every Markdown file, write it back as a page).
#
# Usage: benches/build.sh [RUNS] [OUT_PARENT]
#   OUT_PARENT defaults to /dev/shm (tmpfs): this machine's disk is shared and its
#   write speed varies tenfold from one minute to the next, which would measure the
#   disk, not the generator. Pass a disk folder to measure both.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
OUT=${2:-/dev/shm}
CORPORA=${BENCH_CORPORA:-/dev/shm/casebook-corpora}
GEN=../shared/bench/gen_corpus.py
cargo build --release --quiet
BIN=$PWD/target/release/casebook

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "| case studies | Casebook wall (median of $RUNS) | CPU, user + sys | peak RSS | I/O floor | pages written |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in 1000 10000; do
  corpus=$CORPORA/c$n
  [ -d "$corpus/content" ] || python3 "$GEN" "$n" "$corpus" 42 >/dev/null
  benches/lib/one-language-config.sh "$corpus/casebook.yaml"
  site=$OUT/casebook-bench-out
  times=(); mems=(); cpus=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$site"; sync
    /usr/bin/time -f "%e %M %U %S" -o /tmp/casebook-bench-time "$BIN" build --root "$corpus" --output "$site" --verbose 2>/tmp/casebook-bench-log
    read -r t m u s < /tmp/casebook-bench-time
    times+=("$t"); mems+=("$m"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')")
  done
  pages=$(grep -o '[0-9]* pages' /tmp/casebook-bench-log | head -1)
  rm -rf "$site" "$OUT/casebook-floor"
  floor=$(python3 benches/floor.py "$corpus" "$OUT/casebook-floor" | awk '{print $2}')
  rm -rf "$OUT/casebook-floor"
  t=$(printf '%s\n' "${times[@]}" | median)
  m=$(printf '%s\n' "${mems[@]}" | median)
  c=$(printf '%s\n' "${cpus[@]}" | median)
  echo "| $n | ${t} s | ${c} s | $((${m%.*} / 1024)) MB | ${floor} s | ${pages% pages} |"
  echo "Stages of the last $n run:" >&2
  grep -E '^\s+[a-z]' /tmp/casebook-bench-log >&2
done
