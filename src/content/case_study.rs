//! Case studies and pages: one Markdown file → a validated [`CaseStudy`].
//!
//! [`Meta`] is what the author wrote, typed and checked; [`CaseStudy`] adds what
//! we derive (slug, URL, resolved facet terms). Each file is read on its own, so
//! files are parsed in parallel, and each reports all of its problems at once.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde_yaml::{Mapping, Value};

use super::front_matter::{self, Locator, Split};
use super::review::Status;
use super::schema::{suggest, FieldKind, Schema, CORE_FIELDS};
use crate::diagnostics::Diagnostic;
use crate::links;
use crate::text::slugify;
use crate::yaml::scalar_text;

/// An external or relative link listed in the front matter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Link {
    /// Link text.
    pub title: String,
    /// Target URL.
    pub url: String,
}

/// What the author wrote, checked and typed.
#[derive(Debug, Clone, Default, Hash)]
pub struct Meta {
    /// Title (required).
    pub title: String,
    /// Date shared.
    pub date: Option<Date>,
    /// One or two sentences.
    pub summary: String,
    /// Series the case study belongs to.
    pub series: String,
    /// Number within the series.
    pub number: Option<u32>,
    /// BCP 47 language tag.
    pub language: String,
    /// What links the language versions of one case study: the
    /// `translation_key` field, else the file's path under `content/`
    /// without its language suffix and extension (`case-studies/name` for
    /// `name.md` and `name.fr.md`).
    pub translation_key: String,
    /// Where the case study comes from.
    pub source: String,
    /// Partner organisations.
    pub partners: Vec<String>,
    /// Related links.
    pub links: Vec<Link>,
    /// Image file, relative to the Markdown file.
    pub image: Option<String>,
    /// Alternative text of the image.
    pub image_alt: String,
    /// Free-text places.
    pub places: Vec<String>,
    /// Where it stands in the review workflow (published when absent).
    pub status: Status,
    /// Who reviewed it.
    pub reviewed_by: String,
    /// When it was reviewed.
    pub reviewed_on: Option<Date>,
    /// Site-declared extra fields, as written.
    pub extra: Vec<(String, Value)>,
}

/// Values of one facet as written in one case study.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FacetValues {
    /// Indices of vocabulary terms (ancestors not included).
    Terms(Vec<usize>),
    /// Free tags, trimmed with spaces collapsed, display form kept.
    Free(Vec<String>),
}

/// A validated case study.
#[derive(Debug, Clone, Hash)]
pub struct CaseStudy {
    /// Source file, relative to the site root (for messages).
    pub source: PathBuf,
    /// Folder of the source under `content/`, `/`-separated ("case-studies").
    pub dir: String,
    /// URL segment.
    pub slug: String,
    /// Site-relative URL ("case-studies/slug/").
    pub url: String,
    /// Whether the file name carries a language (`name.fr.md`): a
    /// translation, which needs its original `name.md`.
    pub is_translation: bool,
    /// Front matter.
    pub meta: Meta,
    /// One entry per facet, in config order.
    pub facets: Vec<FacetValues>,
    /// Markdown body.
    pub body: String,
}

/// A standalone page (About).
#[derive(Debug, Clone, Hash)]
pub struct Page {
    /// Source file, relative to the site root.
    pub source: PathBuf,
    /// URL segment.
    pub slug: String,
    /// Site-relative URL ("about/").
    pub url: String,
    /// Title.
    pub title: String,
    /// Summary (meta description).
    pub summary: String,
    /// Language.
    pub language: String,
    /// What links its language versions (see [`Meta::translation_key`]).
    pub translation_key: String,
    /// Markdown body.
    pub body: String,
}

/// A file's content: `Some` when valid, plus every problem found.
pub type Parsed<T> = (Option<T>, Vec<Diagnostic>);

/// Reads a field mapping, collecting problems against the file's lines.
struct Reader<'a> {
    path: &'a Path,
    locator: Locator<'a>,
    problems: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    fn error(&mut self, field: &str, value: Option<&str>, message: String, help: Option<String>) {
        let span = match value {
            Some(v) => self.locator.value(field, v),
            None => self.locator.field(field),
        };
        let mut d = Diagnostic::error(self.path, message)
            .field(field)
            .at_span(span);
        if let Some(h) = help {
            d = d.help(h);
        }
        self.problems.push(d);
    }

    fn text(&mut self, field: &str, value: &Value) -> String {
        let written = self.locator.plain_scalars(field);
        match value {
            Value::Null if written.is_empty() => String::new(),
            v => Self::item_text(v, &mut written.iter())
                .map(|s| self.printable(field, s.trim().to_string()))
                .unwrap_or_else(|| {
                    self.error(
                        field,
                        None,
                        format!("expected text, found {}", kind(v)),
                        None,
                    );
                    String::new()
                }),
        }
    }

    /// `text`, after reporting any character that HTML and XML forbid: a
    /// control character (`"\x01"` in YAML, or pasted from a PDF) would make
    /// the Atom feed unreadable and the pages invalid, and cannot be seen.
    fn printable(&mut self, field: &str, text: String) -> String {
        if let Some(c) = text.chars().find(|&c| crate::markdown::is_invisible(c)) {
            self.error(
                field,
                None,
                format!(
                    "the text contains the invisible character U+{:04X}",
                    c as u32
                ),
                Some("delete it, or retype the text around it".into()),
            );
        }
        text
    }

    /// Whether `url` may be published as a link, reporting it if not: a
    /// `javascript:` or `data:` URL in an `href` runs script in the
    /// reader's browser (see [`links::forbidden_scheme`]).
    fn safe_url(&mut self, field: &str, url: &str) -> bool {
        let Some(scheme) = links::forbidden_scheme(url) else {
            return true;
        };
        self.error(
            field,
            Some(url),
            format!("a `{scheme}:` URL is not allowed"),
            Some(format!(
                "use a web address (`https://…`), an e-mail address (`mailto:…`) or a path to a file of the site; `{field}` may not use the scheme `{scheme}:`",
            )),
        );
        false
    }

    /// The text of a list item or single value as the author wrote it, so
    /// that `17.10` stays the SDG target 17.10 instead of becoming 17.1, a
    /// theme `1e3` is not shown as "1000.0", nor a place `~` dropped.
    /// `written` are the field's unquoted values in order (see
    /// [`Locator::plain_scalars`]); `None` for lists and mappings.
    fn item_text(value: &Value, written: &mut std::slice::Iter<'_, &str>) -> Option<String> {
        if !matches!(value, Value::Number(_) | Value::Bool(_) | Value::Null) {
            return scalar_text(value);
        }
        let as_written = written.find(|lit| reads_as(lit, value));
        as_written
            .map(|lit| lit.to_string())
            .or_else(|| scalar_text(value))
    }

    fn list(&mut self, field: &str, value: &Value) -> Vec<String> {
        let plain = self.locator.plain_scalars(field);
        let mut written = plain.iter();
        match value {
            Value::Null => Vec::new(),
            Value::Sequence(items) => items
                .iter()
                .filter_map(|item| {
                    let text = Self::item_text(item, &mut written);
                    if text.is_none() {
                        self.error(
                            field,
                            None,
                            format!(
                                "expected a list of text values, found {} in the list",
                                kind(item)
                            ),
                            Some(format!("write `{field}: [\"first\", \"second\"]`")),
                        );
                    }
                    text.map(|t| self.printable(field, collapse(&t)))
                        .filter(|t| !t.is_empty())
                })
                .collect(),
            v => match Self::item_text(v, &mut written) {
                Some(t) => vec![self.printable(field, collapse(&t))],
                None => {
                    self.error(
                        field,
                        None,
                        format!("expected a list, found {}", kind(v)),
                        Some(format!("write `{field}: [\"first\", \"second\"]`")),
                    );
                    Vec::new()
                }
            },
        }
    }
}

/// Whether YAML reads `literal` as `value` (`0o17` as 15, `~` as null).
fn reads_as(literal: &str, value: &Value) -> bool {
    match (value, literal.parse::<u64>()) {
        // Most values are small whole numbers (`gcm_objectives: [19, 23]`).
        (Value::Number(n), Ok(m)) if n.as_u64() == Some(m) => true,
        _ => serde_yaml::from_str::<Value>(literal).is_ok_and(|v| v == *value),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a set of fields",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Trims and collapses runs of white space.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits a file into front matter and body and parses the front matter,
/// with a [`Reader`] that places problems on the file's lines.
fn open<'a>(text: &'a str, rel: &'a Path) -> Result<(Split<'a>, Mapping, Reader<'a>), Diagnostic> {
    let split = front_matter::split(text, rel)?;
    let mapping = front_matter::parse(&split, rel)?;
    let reader = Reader {
        path: rel,
        locator: Locator::new(&split),
        problems: Vec::new(),
    };
    Ok((split, mapping, reader))
}

/// Parses one case-study file. `rel` is the path shown in messages and
/// `content_dir` its folder under `content/`.
pub fn parse_case(schema: &Schema, rel: &Path, content_dir: &str, text: &str) -> Parsed<CaseStudy> {
    let (split, mapping, mut reader) = match open(text, rel) {
        Ok(opened) => opened,
        Err(d) => return (None, vec![d]),
    };
    let naming = naming(&mut reader, rel, &schema.languages);
    let (mut meta, tag_fields) = read_meta(&mut reader, schema, &mapping);
    naming.settle(
        &mut reader,
        &mut meta.language,
        mapping.contains_key("language"),
    );
    if meta.translation_key.is_empty() {
        meta.translation_key = naming.key();
    }
    let facets = schema
        .facets
        .iter()
        .map(|f| facet_values(&mut reader, f, &meta, &tag_fields))
        .collect();
    let slug = read_slug(&mut reader, mapping.get("slug"), &naming.path);
    check_required(&mut reader, &meta, rel);
    let problems = reader.problems;
    if problems.iter().any(Diagnostic::is_error) {
        return (None, problems);
    }
    let url = crate::links::case_url(&schema.case_path, &slug);
    let case = CaseStudy {
        source: rel.to_path_buf(),
        dir: content_dir.to_string(),
        slug,
        url,
        is_translation: naming.language.is_some(),
        meta,
        facets,
        body: split.body.to_string(),
    };
    (Some(case), problems)
}

fn read_meta(
    r: &mut Reader<'_>,
    schema: &Schema,
    mapping: &Mapping,
) -> (Meta, Vec<(String, Vec<String>)>) {
    let mut meta = Meta {
        language: schema.default_language.clone(),
        ..Meta::default()
    };
    let mut tags = Vec::new();
    for (key, value) in mapping {
        let Some(key) = key.as_str() else {
            r.error("", None, "field names must be text".into(), None);
            continue;
        };
        if CORE_FIELDS.contains(&key) {
            read_core(r, &mut meta, key, value);
        } else if schema.is_tag_field(key) {
            let values = r.list(key, value);
            tags.push((key.to_string(), values));
        } else if schema.extra_fields.iter().any(|f| f == key) {
            // Left empty, as `casebook new` and `import` write a field with
            // no value, it is no data: the catalogue would list "" for it.
            if !matches!(value, Value::Null) && value.as_str() != Some("") {
                meta.extra.push((key.to_string(), value.clone()));
            }
        } else {
            unknown_field(r, schema, key);
        }
    }
    (meta, tags)
}

fn unknown_field(r: &mut Reader<'_>, schema: &Schema, key: &str) {
    let help = schema.unknown_field_help(key);
    r.error(key, None, format!("unknown field `{key}`"), Some(help));
}

fn read_core(r: &mut Reader<'_>, meta: &mut Meta, key: &str, value: &Value) {
    match key {
        "title" => meta.title = collapse(&r.text(key, value)),
        "summary" => meta.summary = collapse(&r.text(key, value)),
        "series" => meta.series = collapse(&r.text(key, value)),
        "source" => {
            meta.source = collapse(&r.text(key, value));
            // A source is a name ("UNDP: Annual report") or an address;
            // only an address, which has no space, is held to the schemes.
            if !meta.source.contains(' ') {
                r.safe_url(key, &meta.source);
            }
        }
        "image_alt" => meta.image_alt = collapse(&r.text(key, value)),
        "date" => meta.date = read_date(r, key, value),
        "reviewed_on" => meta.reviewed_on = read_date(r, key, value),
        "reviewed_by" => meta.reviewed_by = collapse(&r.text(key, value)),
        "status" => meta.status = read_status(r, value),
        "number" => meta.number = read_number(r, value),
        "language" => meta.language = read_language(r, value, &meta.language),
        "translation_key" => meta.translation_key = read_key(r, value),
        "partners" => meta.partners = r.list(key, value),
        "places" => meta.places = r.list(key, value),
        "links" => meta.links = read_links(r, value),
        "image" => {
            let image = r.text(key, value);
            meta.image = (!image.is_empty() && r.safe_url(key, &image)).then_some(image);
        }
        _ => {} // "slug" is read by read_slug
    }
}

/// A date field (`date`, `reviewed_on`).
fn read_date(r: &mut Reader<'_>, field: &str, value: &Value) -> Option<Date> {
    let text = r.text(field, value);
    if text.is_empty() {
        return None;
    }
    let parsed = (text.len() == 10)
        .then(|| text.parse::<Date>().ok())
        .flatten();
    if parsed.is_none() {
        r.error(
            field,
            Some(&text),
            format!("invalid date \"{text}\": expected a real date as YYYY-MM-DD"),
            Some(format!("e.g. `{field}: 2017-04-13`")),
        );
    }
    parsed
}

/// The review status; an unknown one is an error naming the three, with
/// the closest first ("publshed" → did you mean "published"?).
fn read_status(r: &mut Reader<'_>, value: &Value) -> Status {
    let text = r.text("status", value);
    if text.is_empty() {
        return Status::default();
    }
    if let Some(status) = Status::parse(&text) {
        return status;
    }
    let folded = text.to_lowercase();
    let help = match suggest(&folded, &Status::NAMES) {
        Some(near) => format!("did you mean \"{near}\"? `status` is draft, review or published"),
        None => "`status` is draft, review or published (published when absent)".to_string(),
    };
    r.error(
        "status",
        Some(&text),
        format!("unknown status \"{text}\""),
        Some(help),
    );
    Status::default()
}

fn read_number(r: &mut Reader<'_>, value: &Value) -> Option<u32> {
    // A number field reads YAML's number (`0o17` is 15); text ("#18") is
    // parsed below.
    if let Some(n) = value.as_u64().and_then(|n| u32::try_from(n).ok()) {
        return Some(n);
    }
    let text = r.text("number", value);
    if text.is_empty() {
        return None;
    }
    let n = text.trim_start_matches('#').parse().ok();
    if n.is_none() {
        r.error(
            "number",
            Some(&text),
            format!("expected a whole number, found \"{text}\""),
            Some("e.g. `number: 18`".into()),
        );
    }
    n
}

fn read_language(r: &mut Reader<'_>, value: &Value, default: &str) -> String {
    let text = r.text("language", value);
    if text.is_empty() {
        return default.to_string();
    }
    let valid = text.split('-').enumerate().all(|(i, part)| {
        let ok_len = if i == 0 {
            (2..=3).contains(&part.len())
        } else {
            (1..=8).contains(&part.len())
        };
        ok_len
            && part.chars().all(|c| c.is_ascii_alphanumeric())
            && (i > 0 || part.chars().all(|c| c.is_ascii_alphabetic()))
    });
    if !valid {
        let help = match language_code(&text) {
            Some(code) => format!("write the code: `language: {code}`"),
            None => "use a code such as `en`, `fr`, `es`, `ar`, `pt-BR`".into(),
        };
        r.error(
            "language",
            Some(&text),
            format!("\"{text}\" is not a BCP 47 language tag"),
            Some(help),
        );
    }
    text
}

/// The code of a language written by name, in English or in itself
/// ("Spanish", "español"), for the suggestion: editors often write names.
fn language_code(name: &str) -> Option<&'static str> {
    const NAMES: &[(&str, &[&str])] = &[
        ("ar", &["arabic", "العربية"]),
        ("de", &["german", "deutsch"]),
        ("en", &["english"]),
        ("es", &["spanish", "español", "espanol", "castellano"]),
        ("fr", &["french", "français", "francais"]),
        ("it", &["italian", "italiano"]),
        ("nl", &["dutch", "nederlands"]),
        ("pt", &["portuguese", "português", "portugues"]),
        ("ru", &["russian", "русский"]),
        ("tr", &["turkish", "türkçe", "turkce"]),
        ("zh", &["chinese", "中文"]),
    ];
    let name = name.trim().to_lowercase();
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&name.as_str()))
        .map(|(code, _)| *code)
}

fn read_links(r: &mut Reader<'_>, value: &Value) -> Vec<Link> {
    let Value::Sequence(items) = value else {
        if !value.is_null() {
            r.error(
                "links",
                None,
                format!("expected a list of links, found {}", kind(value)),
                Some(
                    "write `links:` then lines `  - title: \"…\"` and `    url: \"https://…\"`"
                        .into(),
                ),
            );
        }
        return Vec::new();
    };
    items.iter().filter_map(|item| read_link(r, item)).collect()
}

fn read_link(r: &mut Reader<'_>, item: &Value) -> Option<Link> {
    let (title, url) = match item {
        Value::String(url) => (url.clone(), url.clone()),
        Value::Mapping(m) => {
            let get = |k: &str| m.get(k).and_then(scalar_text).unwrap_or_default();
            let unknown = m
                .keys()
                .filter_map(Value::as_str)
                .find(|k| *k != "title" && *k != "url");
            if let Some(k) = unknown {
                r.error(
                    "links",
                    Some(k),
                    format!("unknown link field `{k}`"),
                    Some("a link has `title` and `url`".into()),
                );
            }
            (get("title"), get("url"))
        }
        other => {
            r.error(
                "links",
                None,
                format!("expected a link, found {}", kind(other)),
                None,
            );
            return None;
        }
    };
    if url.trim().is_empty() {
        r.error(
            "links",
            Some(&title),
            "link without `url`".into(),
            Some("each link needs `url: \"https://…\"`".into()),
        );
        return None;
    }
    if !r.safe_url("links", &url) {
        return None;
    }
    let title = if title.trim().is_empty() {
        url.clone()
    } else {
        collapse(&title)
    };
    Some(Link {
        title,
        url: url.trim().to_string(),
    })
}

fn facet_values(
    r: &mut Reader<'_>,
    facet: &super::schema::FacetSchema,
    meta: &Meta,
    tags: &[(String, Vec<String>)],
) -> FacetValues {
    let mut terms = Vec::new();
    let mut free = Vec::new();
    for (field, kind) in &facet.fields {
        for value in field_values(field, *kind, meta, tags) {
            match &facet.vocabulary {
                None => free.push(value),
                Some(vocabulary) => {
                    let depth = match kind {
                        FieldKind::Depth(d) => Some(*d),
                        _ => None,
                    };
                    match vocabulary.resolve(&value, depth) {
                        Ok(t) if !terms.contains(&t) => terms.push(t),
                        Ok(_) => {}
                        Err(miss) => {
                            let (message, help) = vocabulary.explain(&value, depth, miss);
                            r.error(field, Some(&value), message, Some(help));
                        }
                    }
                }
            }
        }
    }
    match facet.vocabulary {
        Some(_) => FacetValues::Terms(terms),
        None => FacetValues::Free(free),
    }
}

fn field_values(
    field: &str,
    kind: FieldKind,
    meta: &Meta,
    tags: &[(String, Vec<String>)],
) -> Vec<String> {
    let one = |s: &str| {
        if s.is_empty() {
            vec![]
        } else {
            vec![s.to_string()]
        }
    };
    match (field, kind) {
        ("date", _) => meta
            .date
            .map(|d| vec![d.year().to_string()])
            .unwrap_or_default(),
        ("source", _) => one(&meta.source),
        ("series", _) => one(&meta.series),
        ("language", _) => one(&meta.language),
        ("partners", _) => meta.partners.clone(),
        ("places", _) => meta.places.clone(),
        _ => tags
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
    }
}

/// The slug of a case study or page: the `slug` field when given, else the
/// file name. Both must already be URL-safe, and neither may be empty: an
/// empty slug would put the page at the site root (or at its listing's URL)
/// and overwrite the home page there.
fn read_slug(r: &mut Reader<'_>, given: Option<&Value>, rel: &Path) -> String {
    let given = given.map(|v| r.text("slug", v)).filter(|g| !g.is_empty());
    let Some(given) = given else {
        let slug = slug_from_path(rel);
        if slug.is_empty() {
            let d = Diagnostic::error(
                rel,
                "the file name has no letters or digits to make a URL from",
            )
            .field("slug")
            .help("rename the file, or add `slug: \"a-short-name\"` to the front matter");
            r.problems.push(d);
        }
        return slug;
    };
    let clean = slugify(&given);
    if given != clean {
        let help = if clean.is_empty() {
            "use lower-case letters, digits and `-`".to_string()
        } else {
            format!("use lower-case letters, digits and `-`: \"{clean}\"")
        };
        r.error(
            "slug",
            Some(&given),
            format!("slug \"{given}\" is not URL-safe"),
            Some(help),
        );
    }
    clean
}

/// What a file's name says of its language. In a portal of several
/// languages, `name.fr.md` is the French version of `name.md` (Zola's
/// convention): it takes the slug of `name.md` and the language `fr`.
#[derive(Debug)]
struct Naming {
    /// The path without the language suffix (`case-studies/name.md`).
    path: PathBuf,
    /// The language the name gives, if it gives one.
    language: Option<String>,
}

/// Reads the language suffix of `rel` among `languages` (none for a portal
/// of one language). A two-letter suffix naming a language the portal does
/// not publish is an error: `name.de.md` would otherwise become a case
/// study of its own at `name-de/`.
fn naming(r: &mut Reader<'_>, rel: &Path, languages: &[String]) -> Naming {
    let plain = Naming {
        path: rel.to_path_buf(),
        language: None,
    };
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let Some((name, suffix)) = stem.rsplit_once('.').filter(|_| !languages.is_empty()) else {
        return plain;
    };
    if languages.iter().any(|l| l == suffix) {
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("md");
        return Naming {
            path: rel.with_file_name(format!("{name}.{ext}")),
            language: Some(suffix.to_string()),
        };
    }
    if suffix.len() == 2 && suffix.bytes().all(|b| b.is_ascii_lowercase()) {
        let message = format!(
            "the file name ends in `.{suffix}`, a language this portal does not publish (languages: {})",
            languages.join(", ")
        );
        let help = format!("add `{suffix}` to `languages:` in casebook.yaml, or rename the file");
        r.problems
            .push(Diagnostic::error(rel, message).field("language").help(help));
    }
    plain
}

impl Naming {
    /// The language versions' shared key: the path under `content/`
    /// without suffix and extension.
    fn key(&self) -> String {
        let path = self.path.with_extension("");
        let path = path.to_string_lossy().replace('\\', "/");
        let under = path.strip_prefix("content/").unwrap_or(&path);
        under.to_string()
    }

    /// The file's language: the name's, which a `language:` field written
    /// too must repeat.
    fn settle(&self, r: &mut Reader<'_>, language: &mut String, written: bool) {
        let Some(named) = &self.language else { return };
        if written && language != named {
            let message = format!(
                "`language: {language}` disagrees with the file name, which says `{named}`"
            );
            let help = format!(
                "write `language: {named}`, or leave the field out (the file name says it)"
            );
            r.error("language", Some(language.as_str()), message, Some(help));
        }
        *language = named.clone();
    }
}

/// The `translation_key` field: URL-safe segments, `/`-separated like the
/// keys file names give (`case-studies/name`).
fn read_key(r: &mut Reader<'_>, value: &Value) -> String {
    let key = r.text("translation_key", value);
    let safe = |segment: &str| !segment.is_empty() && slugify(segment) == segment;
    if !key.is_empty() && !key.split('/').all(safe) {
        let help = format!(
            "use lower-case letters, digits and `-`: \"{}\"",
            slugify(&key)
        );
        let message = format!("translation key \"{key}\" is not URL-safe");
        r.error("translation_key", Some(&key), message, Some(help));
    }
    key
}

/// `foo/bar.md` → `bar`; a page bundle `foo/index.md` → `foo`.
pub fn slug_from_path(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = if stem == "index" {
        path.parent()
            .and_then(Path::file_name)
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(stem)
    } else {
        stem
    };
    slugify(&name)
}

/// Longest summary that reads as one or two sentences on a card; longer
/// ones are published, with a warning.
pub const MAX_SUMMARY: usize = 300;

fn check_required(r: &mut Reader<'_>, meta: &Meta, rel: &Path) {
    if meta.title.is_empty() {
        let d = Diagnostic::error(rel, "missing `title`")
            .field("title")
            .help("add a line `title: \"…\"` to the front matter");
        let span = Locator::field(&r.locator, "title");
        r.problems.push(d.at_span(span));
    }
    if meta.image.is_some() && meta.image_alt.is_empty() {
        r.error(
            "image",
            None,
            "`image` without `image_alt`".into(),
            Some("describe the image for readers who cannot see it: `image_alt: \"…\"`".into()),
        );
    }
    let long = meta.summary.chars().count();
    if long > MAX_SUMMARY {
        let d = Diagnostic::warning(
            rel,
            format!(
                "the summary is {long} characters long: listings, search results and link previews show it whole"
            ),
        )
        .field("summary")
        .help(format!(
            "keep it to one or two sentences (under {MAX_SUMMARY} characters); the body holds the rest"
        ));
        let span = r.locator.field("summary");
        r.problems.push(d.at_span(span));
    }
    if meta.summary.is_empty() {
        r.problems.push(no_summary(&r.locator, rel));
    }
}

/// The warning for a case study without a summary, at the line to edit:
/// the empty `summary:` (as `casebook new` leaves it), or, when there is
/// none, the title, below which it goes.
fn no_summary(locator: &Locator<'_>, rel: &Path) -> Diagnostic {
    let shown = "listings and search results will show none";
    let d = match locator.field("summary") {
        Some(_) => Diagnostic::warning(rel, format!("`summary` is empty: {shown}"))
            .help("write one or two sentences between the quotes: `summary: \"…\"`")
            .at_span(locator.value("summary", "\"\"")),
        None => Diagnostic::warning(rel, format!("no `summary`: {shown}"))
            .help("add a line `summary: \"One or two sentences\"` below the title")
            .at_span(locator.field("title")),
    };
    d.field("summary")
}

/// Parses a standalone page: title (required), summary, slug, language.
pub fn parse_page(schema: &Schema, rel: &Path, text: &str) -> Parsed<Page> {
    let default_language = schema.default_language.as_str();
    let (split, mapping, mut r) = match open(text, rel) {
        Ok(opened) => opened,
        Err(d) => return (None, vec![d]),
    };
    let naming = naming(&mut r, rel, &schema.languages);
    let mut page = Page {
        source: rel.to_path_buf(),
        slug: String::new(),
        url: String::new(),
        title: String::new(),
        summary: String::new(),
        language: default_language.to_string(),
        translation_key: naming.key(),
        body: split.body.to_string(),
    };
    for (key, value) in &mapping {
        match key.as_str().unwrap_or("") {
            "title" => page.title = collapse(&r.text("title", value)),
            "summary" => page.summary = collapse(&r.text("summary", value)),
            "slug" => {} // read below, with the file name as fallback
            "language" => page.language = read_language(&mut r, value, default_language),
            other => {
                let help = suggest(other, &["title", "summary", "slug", "language"]).map_or(
                    "a page has `title`, `summary`, `slug` and `language`".to_string(),
                    |s| format!("did you mean `{s}`?"),
                );
                r.error(other, None, format!("unknown field `{other}`"), Some(help));
            }
        }
    }
    if page.title.is_empty() {
        r.problems.push(
            Diagnostic::error(rel, "missing `title`")
                .field("title")
                .help("add a line `title: \"…\"`"),
        );
    }
    naming.settle(&mut r, &mut page.language, mapping.contains_key("language"));
    page.slug = read_slug(&mut r, mapping.get("slug"), &naming.path);
    page.url = crate::links::standalone_url(&page.slug);
    let ok = !r.problems.iter().any(Diagnostic::is_error);
    (ok.then_some(page), r.problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_names_suggest_their_code() {
        assert_eq!(language_code("English"), Some("en"));
        assert_eq!(language_code(" Español "), Some("es"));
        assert_eq!(language_code("العربية"), Some("ar"));
        assert_eq!(language_code("Klingon"), None);
    }
}
