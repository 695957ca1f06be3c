#!/usr/bin/env bash
# Writes the repo's casebook.yaml without its `languages:` block to $1: the generated corpora
# are in one language, and the benchmarks (issue 16's ratio to Hugo, issue 13's "one language
# not more than 5% slower") measure the portal in one language. With the sample's four
# languages every edition would also list the 10,000 untranslated case studies.
# Usage: benches/lib/one-language-config.sh DEST   (run from the repository root)
set -euo pipefail
awk '
  /^languages:/ { skip = 1; next }
  skip && /^[^ #-]/ { skip = 0 }
  !skip { print }
' casebook.yaml > "$1"
