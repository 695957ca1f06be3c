#!/usr/bin/env bash
# Instructions executed by a build of 1,000 case studies, counted by valgrind
# (cachegrind, no cache simulation), on one rayon thread.
#
# Wall time on this shared 2-core machine varies by ±30% with its neighbours'
# load, too much to see a 2% change; the instruction count of the same build
# varies by less than 0.1%, so it is what to compare before and after a change
# to the generator's own code (it does not see the kernel's time: file writes
# and page faults need the wall-time runs of benches/build.sh).
#
# Usage: benches/instructions.sh [BINARY ...]   (default: target/release/casebook)
#   Pass several binaries (copies of earlier builds) to compare them.
# Needs valgrind (apt-get install -y valgrind); takes ~15 s per binary.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
CORPUS=${BENCH_CORPUS:-/dev/shm/casebook-corpora/c1000}
OUT=${BENCH_OUT:-/dev/shm/casebook-instructions-out}
[ -d "$CORPUS/content" ] || python3 ../shared/bench/gen_corpus.py 1000 "$CORPUS" 42 >/dev/null
benches/lib/one-language-config.sh "$CORPUS/casebook.yaml"
if [ $# -eq 0 ]; then
  cargo build --release --quiet
  set -- target/release/casebook
fi
for bin in "$@"; do
  rm -rf "$OUT"
  RAYON_NUM_THREADS=1 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    --log-file=/tmp/casebook-instructions.log "$bin" build --root "$CORPUS" --output "$OUT" --quiet
  refs=$(grep -o 'I *refs: *[0-9,]*' /tmp/casebook-instructions.log | grep -o '[0-9,]*$')
  echo "$bin: $refs instructions"
done
rm -rf "$OUT"
