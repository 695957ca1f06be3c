//! Site configuration: `casebook.yaml` → [`Config`].
//!
//! The configuration is where a portal says what it is about: its facets, the
//! vocabularies behind them and the matrices on the home page. Nothing about
//! migration lives in Rust; the sample site's `casebook.yaml` declares it all.
//! Unknown keys are errors (with the line), because a typo in a config silently
//! ignored is a portal that silently lacks a facet.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::fsio;

/// The config file's name at the site root.
pub const CONFIG_FILE: &str = "casebook.yaml";

/// The sample portal's `casebook.yaml`, commented line by line: what
/// `casebook init` writes, and where the advice on a field no facet reads
/// finds a facet that reads it.
pub const SAMPLE: &str = include_str!("../casebook.yaml");

/// The sample portal's configuration, parsed once.
pub fn sample() -> &'static Config {
    static SAMPLE_CONFIG: std::sync::LazyLock<Config> = std::sync::LazyLock::new(|| {
        Config::parse(SAMPLE, Path::new(CONFIG_FILE)).expect("the sample casebook.yaml is valid")
    });
    &SAMPLE_CONFIG
}

/// A site's configuration, as written in `casebook.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Portal title.
    pub title: String,
    /// One line under the title.
    #[serde(default)]
    pub tagline: String,
    /// Absolute URL the site is published at; may include a sub-path.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Default BCP 47 language of case studies and of the interface: the
    /// first of `languages` when those are given (either key may be left
    /// out; given both, they must agree).
    #[serde(default)]
    pub language: String,
    /// The portal's languages, default first: the default language's portal
    /// lives at the site root, every other one under `/<code>/` (the
    /// convention of Hugo and Zola). Each is a code or a mapping with the
    /// site's own words in that language ([`LanguageSpec`]). Left out, the
    /// portal has one language, `language`, and builds as it always did.
    #[serde(default)]
    pub languages: Vec<LanguageSpec>,
    /// A language's portal also lists the case studies not translated into
    /// it, marked with their language, after its own: a French portal with
    /// few translations is then not empty.
    #[serde(default = "yes")]
    pub show_untranslated: bool,
    /// Where the site is written, relative to the site root.
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    /// Pass raw HTML in Markdown through instead of sanitising it.
    #[serde(default)]
    pub raw_html: bool,
    /// Case studies per listing page. 48 fills whole rows of a grid of 1, 2,
    /// 3 or 4 columns; with one-link cards (~650 bytes each) such a page is
    /// ~40 KB (8 KB gzipped): 1.5 times a page of 20 linked cards, for 2.4
    /// times the case studies per round trip.
    #[serde(default = "default_per_page")]
    pub per_page: usize,
    /// URL folder of case-study pages.
    #[serde(default = "default_case_path")]
    pub case_studies_path: String,
    /// Markdown shown at the top of the home page.
    #[serde(default)]
    pub intro: String,
    /// Number of newest case studies on the home page.
    #[serde(default = "default_newest")]
    pub newest: usize,
    /// Vocabularies by key: built in, from a file, and extensions.
    #[serde(default)]
    pub vocabularies: BTreeMap<String, VocabularySource>,
    /// Facets, in display order.
    #[serde(default)]
    pub facets: Vec<FacetSpec>,
    /// Cross-level matrices on the home page.
    #[serde(default)]
    pub matrices: Vec<MatrixSpec>,
    /// Counts shown on the home page.
    #[serde(default)]
    pub stats: Vec<StatSpec>,
    /// Extra front-matter fields a site allows (kept, shown in the catalogue).
    #[serde(default)]
    pub extra_fields: Vec<String>,
    /// The world map: which facet holds countries. Without it, no map.
    #[serde(default)]
    pub map: Option<MapSpec>,
}

/// The world map of a portal: drawn from the facet whose terms include
/// countries by ISO 3166-1 alpha-2 code (a term is placed when its code or
/// one of its aliases is one), so a portal on any subject gets it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapSpec {
    /// Facet key (a facet with a vocabulary).
    pub facet: String,
}

/// One language of the portal: its BCP 47 code and, for a language other
/// than the default, the site's own words in it (the title, the tagline, the
/// intro, and any label of this file through `labels`: "Governance level" →
/// "Niveau de gouvernance"). What is not given stays in the default language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "LanguageEntry")]
pub struct LanguageSpec {
    /// BCP 47 code ("fr", "pt-BR").
    pub code: String,
    /// The portal's title in this language.
    pub title: Option<String>,
    /// Its tagline.
    pub tagline: Option<String>,
    /// Its home-page introduction (Markdown).
    pub intro: Option<String>,
    /// Labels and descriptions of this file (facets, matrices, stats), and
    /// the free tags case studies give (themes), by their text in the
    /// default language.
    pub labels: BTreeMap<String, String>,
}

/// A `languages:` entry as written: a bare code, or a mapping.
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a language code such as `fr`, or a mapping with `code` and any of `title`, `tagline`, `intro`, `labels`"
)]
enum LanguageEntry {
    Code(String),
    Full(LanguageMapping),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageMapping {
    code: String,
    title: Option<String>,
    tagline: Option<String>,
    intro: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

impl From<LanguageEntry> for LanguageSpec {
    fn from(entry: LanguageEntry) -> Self {
        match entry {
            LanguageEntry::Code(code) => LanguageSpec {
                code,
                ..LanguageSpec::default()
            },
            LanguageEntry::Full(m) => LanguageSpec {
                code: m.code,
                title: m.title,
                tagline: m.tagline,
                intro: m.intro,
                labels: m.labels,
            },
        }
    }
}

/// Where a vocabulary comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularySource {
    /// Name of an embedded vocabulary (`sdg`, `gcm`, `gcm_areas`, `levels`, `geography`).
    pub builtin: Option<String>,
    /// A YAML file in the site replacing the built-in one.
    pub file: Option<PathBuf>,
    /// YAML files whose terms are added (merged by code).
    #[serde(default)]
    pub extend: Vec<PathBuf>,
}

/// One facet: a way to classify and browse case studies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacetSpec {
    /// URL-safe key, also the URL folder of its pages.
    pub key: String,
    /// Display name.
    pub label: String,
    /// One sentence shown on the facet page.
    #[serde(default)]
    pub description: String,
    /// Vocabulary key; none means free tags.
    pub vocabulary: Option<String>,
    /// Front-matter fields feeding this facet, with what they hold:
    /// `any` (any term), `year` (the year of a date), or a vocabulary level name.
    pub fields: BTreeMap<String, String>,
    /// Show this facet's terms on case-study cards.
    #[serde(default)]
    pub on_cards: bool,
    /// Its terms are places (regions, countries): a case page's structured
    /// data gives them as its `spatialCoverage`, not as what it is `about`.
    #[serde(default)]
    pub spatial: bool,
}

/// A table of counts crossing two facets at their top level.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixSpec {
    /// Heading of the table.
    pub title: String,
    /// Facet whose top-level terms are the rows.
    pub rows: String,
    /// Facet whose top-level terms are the columns.
    pub columns: String,
    /// Facet whose top-level terms narrow an intersection page down (beside
    /// the children of the crossed terms); default: the first facet that is
    /// neither `rows` nor `columns`.
    #[serde(default)]
    pub narrow_by: Option<String>,
}

/// A count on the home page: terms in use at one depth of a facet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatSpec {
    /// Facet key.
    pub facet: String,
    /// Hierarchy depth, 1 for the top level.
    #[serde(default = "one")]
    pub depth: usize,
    /// What is counted ("countries").
    pub label: String,
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "en".into()
}
fn yes() -> bool {
    true
}
fn default_output_dir() -> PathBuf {
    "public".into()
}
fn default_per_page() -> usize {
    48
}
fn default_case_path() -> String {
    "case-studies".into()
}
fn default_newest() -> usize {
    6
}
fn one() -> usize {
    1
}

impl Config {
    /// Reads and validates `casebook.yaml` in `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            return Err(Error::Usage(format!(
                "no {CONFIG_FILE} in {}: run Casebook in a site folder, pass --root, or create one with `casebook init`",
                root.display()
            )));
        }
        let text = fsio::read_to_string(&path)?;
        Config::parse(&text, Path::new(CONFIG_FILE))
    }

    /// Parses config text; `path` is only used in diagnostics.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let mut config: Config = serde_yaml::from_str(text)
            .map_err(|e| Error::Content(vec![crate::yaml::diagnostic(path, text, &e, 0)]))?;
        let mut problems = config.settle_languages(path, text);
        problems.extend(config.validate(path, text));
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(Error::Content(problems))
        }
    }

    /// The facet with this key.
    pub fn facet(&self, key: &str) -> Option<&FacetSpec> {
        self.facets.iter().find(|f| f.key == key)
    }

    /// `base_url` with exactly one trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }

    /// The path part of `base_url` ("/practices/"), used by 404 pages.
    pub fn base_path(&self) -> String {
        path_of(&self.base_url())
    }

    /// The portal's language codes, default first.
    pub fn language_codes(&self) -> impl Iterator<Item = &str> {
        self.languages.iter().map(|l| l.code.as_str())
    }

    /// The site's own words in its language (the `labels` of its
    /// `languages:` entry), by their text in the default language.
    pub fn words(&self) -> &BTreeMap<String, String> {
        static NONE: BTreeMap<String, String> = BTreeMap::new();
        (self.languages.iter())
            .find(|l| l.code == self.language)
            .map_or(&NONE, |l| &l.labels)
    }

    /// Whether the portal is published in more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// Makes `language` and `languages` agree: either may be left out, the
    /// default being the first of `languages`, else `language`, else `en`.
    fn settle_languages(&mut self, path: &Path, text: &str) -> Vec<Diagnostic> {
        let mut problems = Problems {
            path,
            text,
            found: Vec::new(),
        };
        match self.languages.first() {
            None => {
                if self.language.is_empty() {
                    self.language = default_language();
                }
                self.languages.push(LanguageSpec {
                    code: self.language.clone(),
                    ..LanguageSpec::default()
                });
            }
            Some(first) if self.language.is_empty() || self.language == first.code => {
                self.language = first.code.clone();
            }
            Some(first) => {
                let msg = format!(
                    "`language: {}` disagrees with `languages`, whose first entry `{}` is the default language",
                    self.language, first.code
                );
                problems.at(msg, "language", &self.language.clone());
            }
        }
        self.check_language_codes(&mut problems);
        problems.found
    }

    /// Language codes: BCP 47 in shape, each once, and (being URL folders)
    /// clear of the portal's own folders and facet keys.
    fn check_language_codes(&self, problems: &mut Problems<'_>) {
        let mut seen = std::collections::HashSet::new();
        for code in self.language_codes() {
            if !is_language_code(code) {
                let msg = format!(
                    "`{code}` is not a BCP 47 language code (expected e.g. `fr`, `es`, `ar`, `pt-BR`)"
                );
                problems.at(msg, "code", code);
            } else if !seen.insert(code) {
                problems.at(format!("language `{code}` is declared twice"), "code", code);
            }
            let taken = crate::links::RESERVED.contains(&code)
                || code == self.case_studies_path
                || self.facets.iter().any(|f| f.key == code);
            if taken {
                let msg = format!(
                    "language `{code}` would be a URL folder the portal already uses (a facet key or its own pages)"
                );
                problems.at(msg, "code", code);
            }
        }
    }

    fn validate(&self, path: &Path, text: &str) -> Vec<Diagnostic> {
        let mut problems = Problems {
            path,
            text,
            found: Vec::new(),
        };
        self.check_facets(&mut problems);
        self.check_facet_references(&mut problems);
        self.check_settings(&mut problems);
        problems.found
    }

    /// Facet keys: unique, URL-safe, clear of the portal's own folders,
    /// and their vocabularies declared.
    fn check_facets(&self, problems: &mut Problems<'_>) {
        let mut seen = std::collections::HashSet::new();
        for facet in &self.facets {
            let key = facet.key.as_str();
            if !seen.insert(key) {
                let msg = format!("facet key `{key}` is declared twice");
                problems.at_last(msg, "key", key);
            }
            if !is_url_safe(key) {
                let msg =
                    format!("facet key `{key}` must be lower-case letters, digits, `-` or `_`");
                problems.at(msg, "key", key);
            }
            if crate::links::RESERVED.contains(&key) || key == self.case_studies_path {
                let msg = format!(
                    "facet key `{key}` names a URL folder the portal uses for its own pages (taken: {}, {})",
                    crate::links::RESERVED.join(", "),
                    self.case_studies_path
                );
                problems.at(msg, "key", key);
            }
            if let Some(v) = &facet.vocabulary {
                if !self.vocabularies.contains_key(v) {
                    let msg = format!(
                        "facet `{key}` uses vocabulary `{v}`, which is not declared under `vocabularies`"
                    );
                    problems.at(msg, "vocabulary", v);
                }
            }
        }
    }

    /// Matrices and home-page stats name facets that exist.
    fn check_facet_references(&self, problems: &mut Problems<'_>) {
        for m in &self.matrices {
            let narrow_by = m.narrow_by.iter().map(|key| ("narrow_by", key));
            for (field, key) in [("rows", &m.rows), ("columns", &m.columns)]
                .into_iter()
                .chain(narrow_by)
            {
                if self.facet(key).is_none() {
                    let msg = format!("matrix `{}` names unknown facet `{key}`", m.title);
                    problems.at(msg, field, key);
                }
            }
            if let Some(key) = m
                .narrow_by
                .as_ref()
                .filter(|k| [&m.rows, &m.columns].contains(k))
            {
                let msg = format!(
                    "matrix `{}`: `narrow_by` must be a third facet, not its rows or columns (`{key}`)",
                    m.title
                );
                problems.at(msg, "narrow_by", key);
            }
        }
        if let Some(map) = &self.map {
            match self.facet(&map.facet) {
                None => {
                    let msg = format!("`map` names unknown facet `{}`", map.facet);
                    problems.in_section(msg, "map", "facet", &map.facet);
                }
                Some(f) if f.vocabulary.is_none() => {
                    let msg = format!(
                        "`map` facet `{}` has no vocabulary: the map needs terms coded by country",
                        map.facet
                    );
                    problems.in_section(msg, "map", "facet", &map.facet);
                }
                Some(_) => {}
            }
        }
        for s in &self.stats {
            if self.facet(&s.facet).is_none() {
                let msg = format!("stat `{}` names unknown facet `{}`", s.label, s.facet);
                problems.at(msg, "facet", &s.facet);
            }
        }
    }

    /// Single settings: base URL, page size, case-study folder.
    fn check_settings(&self, problems: &mut Problems<'_>) {
        if let Some(why) = base_url_problem(&self.base_url) {
            let msg = format!("`base_url` {:?} cannot be used: {why}", self.base_url);
            problems.at(msg, "base_url", &self.base_url);
        }
        if self.per_page == 0 {
            problems.at("`per_page` must be at least 1".into(), "per_page", "0");
        }
        let folder = self.case_studies_path.as_str();
        if !is_url_safe(folder) {
            let msg = "`case_studies_path` must be a single URL-safe folder name".into();
            problems.at(msg, "case_studies_path", folder);
        }
        if crate::links::RESERVED.contains(&folder) {
            let msg = format!(
                "`case_studies_path` cannot be `{folder}`: the portal uses that folder itself"
            );
            problems.at(msg, "case_studies_path", folder);
        }
    }
}

/// The path part of an absolute URL with a trailing slash ("/practices/"),
/// or the URL itself when it is a path already.
pub fn path_of(url: &str) -> String {
    let after_scheme = url.split_once("://").map(|(_, rest)| rest).unwrap_or(url);
    match after_scheme.find('/') {
        Some(i) if url.contains("://") => after_scheme[i..].to_string(),
        _ if url.contains("://") => "/".into(),
        _ => url.to_string(),
    }
}

/// Problems found in `casebook.yaml`, each drawn at the line where its
/// `key: value` is written.
struct Problems<'t> {
    path: &'t Path,
    text: &'t str,
    found: Vec<Diagnostic>,
}

impl Problems<'_> {
    /// A problem at the first line setting `key` to `value`.
    fn at(&mut self, message: String, key: &str, value: &str) {
        let lines = setting_lines(self.text, key, value);
        self.push(message, key, value, lines.first().copied());
    }

    /// A problem with `value`, set under the top-level `section` in either
    /// block (`facet: x` on its own line) or flow style (`{ facet: x }`):
    /// at the first line after the section's start that names the value.
    fn in_section(&mut self, message: String, section: &str, key: &str, value: &str) {
        let lines = self.text.lines().enumerate();
        let mut from_section = lines.skip_while(|(_, l)| !l.starts_with(&format!("{section}:")));
        let line = from_section.find_map(|(i, l)| {
            let column = l.find(value)?;
            Some((i + 1, l[..column].chars().count() + 1, l))
        });
        self.push(message, key, value, line);
    }

    /// A problem at the last such line: the repeat of a declaration.
    fn at_last(&mut self, message: String, key: &str, value: &str) {
        let lines = setting_lines(self.text, key, value);
        self.push(message, key, value, lines.last().copied());
    }

    fn push(
        &mut self,
        message: String,
        key: &str,
        value: &str,
        line: Option<(usize, usize, &str)>,
    ) {
        let d = Diagnostic::error(self.path, message).field(key);
        self.found.push(match line {
            Some((line, column, text)) => d.at(line, column, value.chars().count(), text),
            None => d,
        });
    }
}

/// The lines of a YAML text that set `key` to `value` (`key: value`,
/// `- key: "value"`), as (line, column of the value, line text).
fn setting_lines<'t>(text: &'t str, key: &str, value: &str) -> Vec<(usize, usize, &'t str)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let rest = line.trim_start().trim_start_matches("- ").trim_start();
            let after_key = rest.strip_prefix(key)?.trim_start().strip_prefix(':')?;
            let written = after_key.split(" #").next().unwrap_or("").trim();
            (written.trim_matches(['"', '\'']) == value).then(|| {
                let byte = line.len() - after_key.len() + after_key.find(written).unwrap_or(0);
                let quote = usize::from(written.starts_with(['"', '\'']));
                (i + 1, line[..byte].chars().count() + 1 + quote, line)
            })
        })
        .collect()
}

/// Why `url` cannot prefix the site's absolute links (canonical URLs, the
/// feed, the sitemap), if it cannot: it must be an `http(s)://` URL with a
/// host, or a path from the server root (`/`, the default).
pub fn base_url_problem(url: &str) -> Option<String> {
    if url.chars().any(char::is_whitespace) {
        return Some("it contains a space".into());
    }
    if url.contains(['?', '#']) {
        return Some("a base URL has no query (`?`) or fragment (`#`)".into());
    }
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match host {
        Some(h) if h.is_empty() || h.starts_with('/') => Some("it has no host name".into()),
        Some(_) => None,
        None if url.starts_with('/') => None,
        // Another scheme (`javascript:`, `data:`), not a host and port
        // (`localhost:8000`) where only `https://` is missing.
        None if crate::links::forbidden_scheme(url).is_some() && !has_port(url) => {
            Some("a base URL is a web address (`https://…`) or a path (`/practices/`)".into())
        }
        None => Some(format!(
            "expected an absolute URL such as `https://{}/`",
            url.trim_matches('/')
        )),
    }
}

/// `host:8000…`: what follows the first `:` starts with a digit.
fn has_port(url: &str) -> bool {
    url.split_once(':')
        .is_some_and(|(_, rest)| rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// A BCP 47 tag in shape: a 2–3 letter lower-case language, then subtags
/// of 1–8 letters or digits (`fr`, `pt-BR`, `zh-Hant`).
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

pub(crate) fn is_url_safe(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_absolute_or_paths() {
        for good in [
            "/",
            "/practices/",
            "https://example.org/practices/",
            "http://localhost:8000",
        ] {
            assert_eq!(base_url_problem(good), None, "{good}");
        }
        assert!(base_url_problem("example.org/practices")
            .unwrap()
            .contains("https://example.org/practices/"));
        assert!(base_url_problem("localhost:8000")
            .unwrap()
            .contains("https://localhost:8000/"));
        for script in ["javascript:alert(1)", "JavaScript:alert(1)//", "data:x/"] {
            let problem = base_url_problem(script).unwrap();
            assert!(problem.contains("web address"), "{script}: {problem}");
        }
        assert!(base_url_problem("https://").is_some());
        assert!(base_url_problem("https://example.org/a b/").is_some());
        assert!(base_url_problem("https://example.org/?x=1").is_some());
    }

    #[test]
    fn the_sample_config_is_valid() {
        assert!(sample()
            .facets
            .iter()
            .any(|f| f.fields.contains_key("sdg_targets")));
    }

    #[test]
    fn config_problems_point_at_their_line() {
        let text = SAMPLE
            .replace(
                "base_url: \"https://example.org/practices/\"",
                "base_url: \"example.org\"",
            )
            .replace("  - key: sdg\n", "  - key: \"levels\"\n");
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let Err(crate::error::Error::Content(problems)) = Config::parse(&text, Path::new("c.yaml"))
        else {
            panic!("accepted");
        };
        let at = |message: &str| {
            let d = problems
                .iter()
                .find(|d| d.message.contains(message))
                .unwrap();
            (d.line, d.column)
        };
        assert_eq!(at("base_url"), (line_of("base_url:"), 12));
        assert_eq!(at("declared twice"), (line_of("key: \"levels\""), 11));
        assert_eq!(
            at("names unknown facet `sdg`"),
            (line_of("columns: sdg"), 14)
        );
    }

    #[test]
    fn a_matrix_narrows_down_by_a_third_facet_that_exists() {
        let text = include_str!("../casebook.yaml")
            .replacen("narrow_by: geography", "narrow_by: gcm", 1)
            .replacen("narrow_by: geography", "narrow_by: regions", 1);
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        let Err(crate::error::Error::Content(problems)) = Config::parse(&text, Path::new("c.yaml"))
        else {
            panic!("accepted");
        };
        let at = |message: &str| {
            let d = problems.iter().find(|d| d.message.contains(message));
            d.map(|d| (d.line, d.column))
        };
        assert_eq!(
            at("`narrow_by` must be a third facet, not its rows or columns (`gcm`)"),
            Some((line_of("narrow_by: gcm"), 16))
        );
        assert_eq!(
            at("names unknown facet `regions`"),
            Some((line_of("narrow_by: regions"), 16))
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
    }
}
