#!/usr/bin/env bash
# Does a change to the generator change its output? Builds the same two sites with an
# old and a new Casebook and compares the outputs byte for byte (diff -r): the repo's
# sample portal (this checkout's casebook.yaml + content/, built with each binary's
# embedded theme, not the checkout's themes/ folder) and a corpus of 1,000
# generated case studies (../shared/bench/gen_corpus.py 1000 DIR 42, with this
# checkout's casebook.yaml). Issue 16: "the rework changes no output"; a performance
# change should pass this unchanged, and any intended change should be named (-x).
#
# Usage: benches/same-output.sh [-v] [-1] [-t REV] [-x NAME]... OLD NEW
#   OLD, NEW: a casebook binary (a path to an executable file), or a git revision of
#     this repository (e.g. main, HEAD~3, 2f2b956): the revision's files are exported
#     with git archive into a temporary folder (no git worktree is registered) and
#     built there with cargo build --release, CARGO_TARGET_DIR=target/same-output (kept
#     between runs, so only the first build compiles the dependencies: 3 CPU-minutes).
#     Both binaries read the same input: the sites come from this checkout, not from
#     the revisions.
#   -v       show a unified diff of the first 5 differing files (40 lines each).
#   -1       the sample portal in one language: its casebook.yaml without `languages:`
#            and its content without translations (name.<lang>.md), as a Casebook from
#            before languages can build it (issue 13's byte-identity).
#   -t REV   both binaries build with the default theme of revision REV (its templates
#            and static files as the sites' theme overrides): what differs then is the
#            generator's doing, not the theme's.
#   -x NAME  leave files or folders named NAME out of the comparison (diff -x: a base
#            name or shell pattern), to name a change that is intended; repeatable.
#   BENCH_CORPORA=/dev/shm/casebook-corpora caches the corpus (as benches/build.sh);
#   SAME_OUTPUT_DIR=/dev/shm/casebook-same-output is where the four outputs are written.
# Exit status: 0 if both sites are identical, 1 if any file differs, 2 on error.
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { sed -n '/^# Usage/,/^# Exit/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

VERBOSE=0
ONE_LANGUAGE=0
THEME_REV=
EXCLUDES=()
while getopts "v1t:x:h" opt; do
  case $opt in
    v) VERBOSE=1 ;;
    1) ONE_LANGUAGE=1 ;;
    t) THEME_REV=$OPTARG ;;
    x) EXCLUDES+=("$OPTARG") ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || usage

REPO=$PWD
CORPORA=${BENCH_CORPORA:-/dev/shm/casebook-corpora}
OUT=${SAME_OUTPUT_DIR:-/dev/shm/casebook-same-output}
# Only a folder this script made (it holds .same-output) is ever emptied.
if [ -e "$OUT" ] && [ ! -e "$OUT/.same-output" ]; then
  echo "$OUT exists and was not made by this script: choose another SAME_OUTPUT_DIR" >&2; exit 2
fi
rm -rf "$OUT"
mkdir -p "$OUT"
touch "$OUT/.same-output"

# binary SPEC LABEL: print the path of a casebook binary for SPEC (a file or a revision).
binary() {
  local spec=$1 label=$2 src
  if [ -f "$spec" ] && [ -x "$spec" ]; then
    realpath "$spec"
    return
  fi
  git -C "$REPO" rev-parse --verify --quiet "$spec^{commit}" >/dev/null ||
    { echo "$spec is neither an executable file nor a git revision" >&2; exit 2; }
  src=$OUT/src-$label
  mkdir -p "$src"
  git -C "$REPO" archive "$spec" | tar -x -C "$src"
  echo "building $spec ($(git -C "$REPO" rev-parse --short "$spec")) ..." >&2
  CARGO_TARGET_DIR=$REPO/target/same-output cargo build --release --quiet --manifest-path "$src/Cargo.toml" >&2
  cp "$REPO/target/same-output/release/casebook" "$OUT/casebook-$label"
  rm -rf "$src"
  echo "$OUT/casebook-$label"
}

OLD_BIN=$(binary "$1" old)
NEW_BIN=$(binary "$2" new)

# The corpus is copied beside the outputs, so that a theme given with -t stays out of the cache.
[ -d "$CORPORA/c1000/content" ] || python3 ../shared/bench/gen_corpus.py 1000 "$CORPORA/c1000" 42 >/dev/null
corpus=$OUT/corpus-site
mkdir -p "$corpus"
cp -r "$CORPORA/c1000/content" "$corpus/"
benches/lib/one-language-config.sh "$corpus/casebook.yaml"

diff_args=(-r)
for x in "${EXCLUDES[@]}"; do diff_args+=(-x "$x"); done

status=0
# The sample portal without its themes/ folder: that folder (the source of the embedded
# theme) would override each binary's own templates with this checkout's.
sample=$OUT/sample-site
mkdir -p "$sample"
cp -r casebook.yaml content "$sample/"
if [ "$ONE_LANGUAGE" = 1 ]; then
  benches/lib/one-language-config.sh "$sample/casebook.yaml"
  find "$sample/content" -name '*.[a-z][a-z].md' -delete
fi
if [ -n "$THEME_REV" ]; then
  for root in "$sample" "$corpus"; do
    git -C "$REPO" archive "$THEME_REV" themes/default/templates themes/default/static | tar -x -C "$root"
  done
fi

for site in sample:"$sample" corpus-1000:"$corpus"; do
  name=${site%%:*} root=${site#*:}
  for side in old new; do
    bin=$OLD_BIN; [ "$side" = new ] && bin=$NEW_BIN
    if ! "$bin" build --root "$root" --output "$OUT/$side/$name" --quiet 2>"$OUT/$side-$name.log"; then
      echo "$name: the $side binary ($bin) failed:" >&2; cat "$OUT/$side-$name.log" >&2; exit 2
    fi
  done
  files=$(find "$OUT/new/$name" -type f | wc -l)
  if diff "${diff_args[@]}" -q "$OUT/old/$name" "$OUT/new/$name" >"$OUT/$name.diff"; then
    echo "$name: identical ($files files)"
  else
    status=1
    count=$(wc -l <"$OUT/$name.diff")
    echo "$name: $count differences in $files files:"
    head -50 "$OUT/$name.diff" | sed "s|$OUT/||g"
    [ "$count" -le 50 ] || echo "... and $((count - 50)) more (all in $OUT/$name.diff)"
    if [ "$VERBOSE" = 1 ]; then
      grep -m5 '^Files .* differ$' "$OUT/$name.diff" | while read -r _ a _ b _; do
        if grep -Iq . "$a" || [ ! -s "$a" ]; then
          diff -u "$a" "$b" >"$OUT/file.diff" || true
          head -40 "$OUT/file.diff" | sed "s|$OUT/||g"
        else
          echo "binary files: $(cmp "$a" "$b" | sed "s|$OUT/||g" || true)"
        fi
      done
    fi
  fi
done
[ ${#EXCLUDES[@]} -eq 0 ] || echo "left out as intended changes: ${EXCLUDES[*]}"
[ -z "$THEME_REV" ] || echo "both built with the theme of $THEME_REV"
echo "old: $1 ($OLD_BIN); new: $2 ($NEW_BIN); outputs in $OUT"
exit $status
