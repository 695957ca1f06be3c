#!/usr/bin/env bash
# Casebook and Hugo on the same corpus, in the same run (issue 16: "7 times faster
# than Hugo in the same run"). Figures measured on different days on this shared
# 2-core machine differ by ±30%, so a ratio is only worth something when both
# generators are timed in the same minutes: runs are interleaved (Casebook, Hugo,
# Casebook, Hugo, ...) and the medians compared.
#
# Usage: benches/hugo.sh [RUNS]            (RUNS per generator and size, default 5)
#   SIZES="1000 10000"  corpus sizes (default both); BENCH_CORPORA=/dev/shm/casebook-corpora
#   caches the corpora (../shared/bench/gen_corpus.py N DIR 42, hugo flavour, as
#   benches/build.sh); BENCH_OUT=/dev/shm is where both write (tmpfs, so the shared
#   disk's tenfold swings in write speed do not decide the result); HUGO=hugo.
# Prints a Markdown table for the README; each side's log goes to BENCH_OUT/casebook-vs-hugo/.
#
# Install Hugo (Debian's package, 0.111.3 on bookworm; the issue measured that version):
#   apt-get update && apt-get install -y hugo
#
# What is compared. Both read the same Markdown files (the corpus's content/ folder,
# hugo flavour: flat front matter) and write into a fresh, empty output folder on the
# same tmpfs; Hugo also gets a fresh --cacheDir each run. Both are cold processes.
#   Casebook (the repo's casebook.yaml): case pages with contents, related case
#     studies and term chips; listing pages of 48 cards for every term of every facet,
#     with hierarchies (SDG goal > target, GCM round table > objective, region >
#     sub-region > country), year and source; the home page with its matrices; the
#     explore pages (matrix intersections); the search page, full-text search index
#     and result fragments; catalogue.csv/json; atom.xml, sitemap.xml, robots.txt, 404.
#   Hugo: the plain theme this script writes (layouts only, no CSS/JS, no theme
#     download): case pages with title, date, summary, table of contents, body, and
#     links to their terms; the flat taxonomies levels, sdg_targets, gcm_objectives,
#     regions, countries, themes, source (a page listing each taxonomy's terms with
#     counts, and each term's case studies as cards: title, date, summary, tags,
#     48 per page, as Casebook's); a year listing (one section per year, 48 per page);
#     the case-study section paginated; home (newest 6, taxonomy counts); RSS of the
#     home page (30 items, as Casebook's atom.xml), sitemap.xml, robots.txt, 404.
#     Cards go through partialCached, as Casebook renders each card once. Links to
#     terms are made from the front matter with urlize, the usual idiom, not with
#     .GetTerms: before Hugo 0.128 that walks the whole taxonomy on each call
#     (gohugoio/hugo#12610), and with it this theme took 58 s and 2.5 GB at 10,000.
#   Hugo does not build: search index, catalogue, related case studies, hierarchies of
#   terms, the home page's matrices and their intersection pages. So the comparison
#   favours Hugo in work done; the page counts printed say how much each side writes.
# Wall time, CPU time (user + sys) and peak RSS come from /usr/bin/time -f "%e %M %U %S"
# (both generators are one process using both cores). Each side's case pages are counted
# after the runs: the script stops if either did not write one page per case study.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
SIZES=${SIZES:-1000 10000}
CORPORA=${BENCH_CORPORA:-/dev/shm/casebook-corpora}
OUT=${BENCH_OUT:-/dev/shm}/casebook-vs-hugo
HUGO=${HUGO:-hugo}
GEN=../shared/bench/gen_corpus.py
command -v "$HUGO" >/dev/null || { echo "hugo not found: apt-get install -y hugo" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found: apt-get install -y time" >&2; exit 2; }
cargo build --release --quiet
BIN=$PWD/target/release/casebook
mkdir -p "$OUT"
SITE=$(mktemp -d "$OUT/hugo-site.XXXXXX")
# KEEP=1 keeps the Hugo site and the last run's outputs (in BENCH_OUT/casebook-vs-hugo/).
if [ -n "${KEEP:-}" ]; then echo "Hugo site: $SITE" >&2
else trap 'rm -rf "$SITE" "$OUT/casebook" "$OUT/hugo" "$OUT/hugo-cache"' EXIT; fi

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
mb() { echo $(( ${1%.*} / 1024 )); }
commas() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }
# HTML pages written, not counting redirects (Hugo writes one from each list's page/1/
# to the list, and disableAliases does not turn those off).
pages() {
  echo $(( $(find "$1" -name '*.html' | wc -l) - $(grep -rl --include='*.html' 'http-equiv="refresh"' "$1" | wc -l) ))
}

# ---------------------------------------------------------------- the Hugo site
write_hugo_theme() {
  local l=$SITE/layouts
  mkdir -p "$l/_default" "$l/partials" "$l/years"
  cat >"$l/_default/baseof.html" <<'EOF'
<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
{{ with .Params.summary }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
</head>
<body>
<header>
<a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav><ul>
<li><a href="{{ "case-studies/" | relURL }}">Case studies</a></li>
{{ range site.Params.order }}<li><a href="{{ printf "%s/" . | relURL }}">{{ index site.Params.labels . }}</a></li>{{ end }}
<li><a href="{{ "years/" | relURL }}">Year</a></li>
</ul></nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
EOF
  cat >"$l/partials/card.html" <<'EOF'
<li><article class="card">
<h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<p>{{ .Params.summary }}</p>
<ul class="tags">{{ range slice "levels" "sdg_targets" "gcm_objectives" "themes" }}{{ range index $.Params . }}<li>{{ . }}</li>{{ end }}{{ end }}</ul>
</article></li>
EOF
  cat >"$l/partials/pager.html" <<'EOF'
{{ $p := .Paginator }}
<p>{{ $p.TotalNumberOfElements }} case studies</p>
<ul class="cards">
{{ range $p.Pages }}{{ partialCached "card.html" . .RelPermalink }}{{ end }}
</ul>
{{ template "_internal/pagination.html" . }}
EOF
  # The case studies of one year, selected once rather than on every page of its list.
  cat >"$l/partials/year-pages.html" <<'EOF'
{{ return where site.RegularPages "Date.Year" . }}
EOF
  cat >"$l/_default/single.html" <<'EOF'
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="lead">{{ .Params.summary }}</p>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ .TableOfContents }}
{{ .Content }}
<section>
<h2>About this case study</h2>
<dl>
{{ range site.Params.order }}{{ $tax := . }}{{ with index $.Params $tax }}{{ $terms := . }}{{ if not (reflect.IsSlice .) }}{{ $terms = slice . }}{{ end }}
<dt>{{ index site.Params.labels $tax }}</dt>
<dd><ul>{{ range $terms }}<li><a href="{{ printf "%s/%s/" $tax (urlize (printf "%v" .)) | relURL }}">{{ . }}</a></li>{{ end }}</ul></dd>
{{ end }}{{ end }}
<dt>Year</dt>
<dd><a href="{{ printf "years/%d/" .Date.Year | relURL }}">{{ .Date.Year }}</a></dd>
</dl>
</section>
</article>
{{ end }}
EOF
  cat >"$l/_default/list.html" <<'EOF'
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $_ := .Paginate .Pages }}
{{ partial "pager.html" . }}
{{ end }}
EOF
  cat >"$l/_default/terms.html" <<'EOF'
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}
</ul>
{{ end }}
EOF
  cat >"$l/_default/taxonomy.html" <<'EOF'
{{ define "main" }}
<h1>{{ index site.Params.labels .Data.Plural }}: {{ .Title }}</h1>
{{ $_ := .Paginate .Pages }}
{{ partial "pager.html" . }}
{{ end }}
EOF
  cat >"$l/years/list.html" <<'EOF'
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Params.year }}
{{ $_ := $.Paginate (partialCached "year-pages.html" . .) }}
{{ partial "pager.html" $ }}
{{ else }}
<ul>
{{ range .Sections.ByTitle.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ul>
{{ end }}
{{ end }}
EOF
  cat >"$l/index.html" <<'EOF'
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<h2>Newest case studies</h2>
<ul class="cards">
{{ range first 6 site.RegularPages.ByDate.Reverse }}{{ partialCached "card.html" . .RelPermalink }}{{ end }}
</ul>
<h2>Browse</h2>
<ul>
{{ range site.Params.order }}<li><a href="{{ printf "%s/" . | relURL }}">{{ index site.Params.labels . }}</a>: {{ len (index site.Taxonomies .) }} terms</li>
{{ end }}
</ul>
{{ end }}
EOF
  cat >"$l/404.html" <<'EOF'
{{ define "main" }}<h1>Page not found</h1><p><a href="{{ site.Home.RelPermalink }}">Home</a></p>{{ end }}
EOF
}

# The config of one corpus: its content/ folder mounted as Hugo's content, next to
# the year sections (Hugo 0.111 cannot make pages from a date, so the script writes
# one _index.md per year found in the corpus, before timing).
write_hugo_config() {
  local corpus=$1
  rm -rf "$SITE/years"
  mkdir -p "$SITE/years"
  printf -- '---\ntitle: "Year shared"\n---\n' >"$SITE/years/_index.md"
  grep -rhom1 '^date: [0-9]\{4\}' "$corpus/content/case-studies" | cut -c7-10 | sort -u |
    while read -r year; do
      mkdir -p "$SITE/years/$year"
      printf -- '---\ntitle: "%s"\nyear: %s\n---\n' "$year" "$year" >"$SITE/years/$year/_index.md"
    done
  cat >"$SITE/hugo.toml" <<EOF
baseURL = "https://example.org/practices/"
languageCode = "en"
title = "Migration & Development Good Practices"
paginate = 48
rssLimit = 30
enableRobotsTXT = true

[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]

[taxonomies]
level = "levels"
sdg_target = "sdg_targets"
gcm_objective = "gcm_objectives"
region = "regions"
country = "countries"
theme = "themes"
source = "source"

[params]
order = ["levels", "sdg_targets", "gcm_objectives", "regions", "countries", "themes", "source"]
[params.labels]
levels = "Governance level"
sdg_targets = "SDG target"
gcm_objectives = "GCM objective"
regions = "Region"
countries = "Country"
themes = "Theme"
source = "Source"

[[module.mounts]]
source = "$corpus/content"
target = "content"
[[module.mounts]]
source = "years"
target = "content/years"
EOF
}

# ---------------------------------------------------------------- runs
# run NAME LOG CMD...: time one cold build into $OUT/NAME, append "wall rss user sys" to $OUT/NAME.times
run() {
  local name=$1 log=$2
  shift 2
  rm -rf "${OUT:?}/$name" "$OUT/hugo-cache"
  sync
  if ! /usr/bin/time -f "%e %M %U %S" -o "$OUT/time" "$@" >"$log" 2>&1; then
    echo "$name failed:" >&2; tail -20 "$log" >&2; exit 1
  fi
  cat "$OUT/time" >>"$OUT/$name.times"
  rm "$OUT/time"
}

write_hugo_theme
declare -A WALL CPU RSS PAGES
for n in $SIZES; do
  corpus=$CORPORA/c$n
  [ -d "$corpus/content" ] || python3 "$GEN" "$n" "$corpus" 42 >/dev/null
  benches/lib/one-language-config.sh "$corpus/casebook.yaml"
  write_hugo_config "$corpus"
  rm -f "$OUT/casebook.times" "$OUT/hugo.times"
  for i in $(seq "$RUNS"); do
    echo "$n case studies, run $i of $RUNS" >&2
    run casebook "$OUT/casebook.log" "$BIN" build --root "$corpus" --output "$OUT/casebook" --quiet
    run hugo "$OUT/hugo.log" "$HUGO" --quiet --noBuildLock --source "$SITE" \
      --destination "$OUT/hugo" --cacheDir "$OUT/hugo-cache"
  done
  for side in casebook hugo; do
    WALL[$side$n]=$(awk '{print $1}' "$OUT/$side.times" | median)
    CPU[$side$n]=$(awk '{print $3 + $4}' "$OUT/$side.times" | median)
    RSS[$side$n]=$(awk '{print $2}' "$OUT/$side.times" | median)
    PAGES[$side$n]=$(pages "$OUT/$side")
    cases=$(find "$OUT/$side/case-studies" -mindepth 2 -maxdepth 2 -path '*/case-studies/[0-9]*/index.html' | wc -l)
    [ "$cases" -eq "$n" ] || { echo "$side wrote $cases case pages for $n case studies" >&2; exit 1; }
    echo "$side, $n: wall $(paste -sd' ' <(awk '{print $1}' "$OUT/$side.times")) s;" \
      "CPU $(paste -sd' ' <(awk '{print $3 + $4}' "$OUT/$side.times")) s;" \
      "RSS $(paste -sd' ' <(awk '{print $2}' "$OUT/$side.times")) KB;" \
      "$(find "$OUT/$side" -type f | wc -l) files, $(du -sm "$OUT/$side" | cut -f1) MB" >&2
  done
done

hugo_version=$("$HUGO" version | grep -o 'v[0-9.]*' | head -1)
echo
echo "| Case studies | Casebook wall | CPU | peak RSS | pages | Hugo $hugo_version wall | CPU | peak RSS | pages | Hugo ÷ Casebook: wall | CPU | memory |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  printf '| %s | %s s | %s s | %s MB | %s | %s s | %s s | %s MB | %s | %s× | %s× | %s× |\n' \
    "$(commas "$n")" \
    "${WALL[casebook$n]}" "${CPU[casebook$n]}" "$(commas "$(mb "${RSS[casebook$n]}")")" "$(commas "${PAGES[casebook$n]}")" \
    "${WALL[hugo$n]}" "${CPU[hugo$n]}" "$(commas "$(mb "${RSS[hugo$n]}")")" "$(commas "${PAGES[hugo$n]}")" \
    "$(ratio "${WALL[hugo$n]}" "${WALL[casebook$n]}")" "$(ratio "${CPU[hugo$n]}" "${CPU[casebook$n]}")" \
    "$(ratio "${RSS[hugo$n]}" "${RSS[casebook$n]}")"
done
echo
echo "Medians of $RUNS interleaved runs each, $(date +%Y-%m-%d), fresh output folders on $(df --output=fstype "$OUT" | tail -1); CPU = user + sys."
if [[ " $SIZES " == *" 1000 "* && " $SIZES " == *" 10000 "* ]]; then
  echo "Linearity, 10,000 ÷ 1,000 case studies (10× the input): Casebook wall $(ratio "${WALL[casebook10000]}" "${WALL[casebook1000]}")×," \
    "CPU $(ratio "${CPU[casebook10000]}" "${CPU[casebook1000]}")×; Hugo wall $(ratio "${WALL[hugo10000]}" "${WALL[hugo1000]}")×," \
    "CPU $(ratio "${CPU[hugo10000]}" "${CPU[hugo1000]}")×."
fi
