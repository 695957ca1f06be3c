//! The search data's JSON records, as the structs serialised into them:
//! `meta.json` ([`Meta`], [`FacetMeta`], [`TermMeta`]), `docs/<id>.json`
//! ([`DocFragment`]) and the same two inside `offline.js`.
//!
//! The browser reads these files by key, in `casebook.js`, so a key is a
//! contract between two languages: each field below says what it holds and
//! which function of `casebook.js` reads it. Keys are one letter where a
//! record repeats (a term of meta.json, of which a site has thousands; a
//! result fragment, fetched per result), whole words elsewhere. `FORMAT.md`
//! beside this file describes the files around these records.

use serde::Serialize;

/// `search/meta.json`: the facet catalogue, and what the browser must know of
/// the full-text index before its first query.
///
/// Fields in alphabetical order: the order the file's keys have always had
/// (it was first written from a sorted JSON map), which the snapshot tests
/// hold it to.
#[derive(Debug, Serialize)]
pub(super) struct Meta<'a> {
    /// Number of postings buckets: term `t` is in `index/p-<t % buckets>.bin`.
    /// Read by `searchWord`.
    pub(super) buckets: usize,
    /// Every facet, in config order. Read by `loadFacets` (the filter panel)
    /// and `exploreFilters` (a matrix cell's link to the search page).
    pub(super) facets: Vec<FacetMeta<'a>>,
    /// Number of case studies; doc ids are `0..n`, newest first. Read by
    /// `loadFacets` (the size of a bitmap) and `initSearch`.
    pub(super) n: usize,
    /// In one language's edition of a multilingual portal: how many case
    /// studies are in its language (doc ids `0..own`; the untranslated ones
    /// follow). Read by `ownLanguage`, which searches only those unless the
    /// reader widens the search to all languages. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) own: Option<usize>,
    /// Prefixes of the dictionary shards that exist, sorted: a word whose
    /// prefix is not listed is a miss without a request. Read by `initSearch`,
    /// used by `searchWord`.
    pub(super) shards: Vec<String>,
    /// Format version, 1. Not read by `casebook.js`: for other readers.
    pub(super) version: u32,
}

/// One facet of [`Meta`]. Fields in alphabetical order, as in [`Meta`].
#[derive(Debug, Serialize)]
pub(super) struct FacetMeta<'a> {
    /// Facet key: the first segment of its term pages' URLs and the name of
    /// its filter in the search page's query string. Read by `loadFacets`,
    /// `exploreFilters`.
    pub(super) key: &'a str,
    /// Display name, the legend of its filter group. Read by `loadFacets`.
    pub(super) label: &'a str,
    /// Names of the hierarchy levels, top first ("Goal", "Target"); empty
    /// for free tags. Read by `loadFacets` ("more Targets" under a Goal).
    pub(super) levels: &'a [String],
    /// Its terms, parents before children. Read by `loadFacets`.
    pub(super) terms: Vec<TermMeta<'a>>,
}

/// One term of a [`FacetMeta`], with where its case studies are in
/// `facets.bin`. Fields in alphabetical order, as in [`Meta`].
#[derive(Debug, Serialize)]
pub(super) struct TermMeta<'a> {
    /// Code: the value of its filter in the query string. Read by
    /// `loadFacets` and `exploreFilters`.
    #[serde(rename = "c")]
    pub(super) code: &'a str,
    /// Gloss (may be empty, `Term::gloss`): never an SDG target's
    /// official text, which would weigh on every first query. Read by
    /// `loadFacets`.
    #[serde(rename = "d")]
    pub(super) description: &'a str,
    /// How its own set is stored in `facets.bin`: `"b"` a bitmap of
    /// `ceil(n / 32)` u32 words, `"l"` a list of `n` u32 doc ids, `""` no
    /// case study. Read by `loadFacets`.
    #[serde(rename = "k")]
    pub(super) kind: &'static str,
    /// Display name: the label with its short name ("Target 10.7: …",
    /// `Term::name`), so that options and filter chips say what a code
    /// means. Read by `loadFacets`.
    #[serde(rename = "l")]
    pub(super) label: String,
    /// Size of its own set: the case studies tagged with exactly this term,
    /// not its descendants. Read by `loadFacets` (the length of a list).
    #[serde(rename = "n")]
    pub(super) count: usize,
    /// Byte offset of its own set in `facets.bin`, a multiple of 4. Read by
    /// `loadFacets`.
    #[serde(rename = "o")]
    pub(super) offset: usize,
    /// Index of its parent in the facet's terms, -1 for a top-level term.
    /// Read by `loadFacets` (which unites each parent's set with its
    /// children's).
    #[serde(rename = "p")]
    pub(super) parent: i64,
    /// URL segment of its term page (`<facet key>/<slug>/`). Read by
    /// `loadFacets` and `exploreFilters`.
    #[serde(rename = "s")]
    pub(super) slug: &'a str,
}

/// `search/docs/<id>.json`: what a search result shows of case study `id`;
/// `offline.js` holds one per case study, without the excerpt. Fields in the
/// order of the file.
#[derive(Debug, Serialize)]
pub(super) struct DocFragment<'a> {
    /// Title. Read by `card`; offline, also by `searchOffline` (matched
    /// first) and `sortedIds` (sort by title).
    #[serde(rename = "t")]
    pub(super) title: String,
    /// Site-relative URL of its page ("case-studies/slug/"), to prefix with
    /// the site root. Read by `card`.
    #[serde(rename = "u")]
    pub(super) url: String,
    /// Date shared, `YYYY-MM-DD`, or empty. Read by `card` (shown with
    /// `showDate`).
    #[serde(rename = "d")]
    pub(super) date: String,
    /// Summary. Read by `card` (the snippet when no excerpt matches) and,
    /// offline, `searchOffline`.
    #[serde(rename = "s")]
    pub(super) summary: String,
    /// BCP 47 language of the case study: the card's `lang`. Read by `card`.
    #[serde(rename = "l")]
    pub(super) lang: String,
    /// Its text direction, `"ltr"` or `"rtl"`: the card's `dir`. Read by
    /// `card`.
    #[serde(rename = "r")]
    pub(super) dir: &'static str,
    /// Labels of its terms in the first facet shown on cards (the
    /// governance levels of the sample portal). Read by `card` (level
    /// chips) and, offline, `searchOffline`.
    #[serde(rename = "v")]
    pub(super) levels: Vec<String>,
    /// Labels of up to 6 terms of the other facets shown on cards. Read by
    /// `card` (chips) and, offline, `searchOffline`.
    #[serde(rename = "g")]
    pub(super) tags: Vec<String>,
    /// What else it names that search finds ([`labels`](super::labels):
    /// its terms' labels, places and partners) and its chips do not show,
    /// one a line: the snippet (the label that matched) when only these hold
    /// the words found.
    /// Read by `card` (through `bestSnippet`). Left out when empty.
    #[serde(rename = "k", skip_serializing_if = "String::is_empty")]
    pub(super) labels: String,
    /// The start of its body as plain text, at most
    /// [`EXCERPT_CHARS`](super::EXCERPT_CHARS) characters, for the snippet
    /// around the words found. Read by `card` (through `snippet`). Left out
    /// when empty, as in `offline.js`.
    #[serde(rename = "x", skip_serializing_if = "str::is_empty")]
    pub(super) excerpt: &'a str,
}
