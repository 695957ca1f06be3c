//! Fuzz checks: what each fuzz target does with one input, and what it
//! asserts beyond "no panic".
//!
//! Shared by the cargo-fuzz targets (`fuzz_targets/*.rs`, libFuzzer, nightly
//! flags) and by `tests/fuzz_corpus.rs` in the main crate, which replays the
//! whole corpus on the stable toolchain in every `cargo test`: a crash the
//! fuzzer found once stays fixed without anyone running the fuzzer.
//!
//! Only public entry points of the library are called, the ones the build
//! itself uses, so the fuzzer reads files the way `casebook build` does:
//! [`front_matter`] splits, parses and validates a whole case-study file (and
//! a page) against the sample portal's own `casebook.yaml`; [`markdown`]
//! renders a body to HTML with the link resolver of a case-study page.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

use casebook::config::Config;
use casebook::content::case_study::{parse_case, parse_page};
use casebook::content::front_matter::{parse, split};
use casebook::content::schema::Schema;
use casebook::diagnostics::Diagnostic;
use casebook::links::LinkResolver;
use casebook::markdown;
use casebook::vocabulary::Vocabularies;

/// The sample portal's configuration: its facets decide which fields a case
/// study may have, so the fuzzer meets the same schema as the sample content.
const CONFIG: &str = include_str!("../../casebook.yaml");

static CONFIG_PARSED: LazyLock<Config> =
    LazyLock::new(|| Config::parse(CONFIG, Path::new("casebook.yaml")).expect("sample config"));

/// The sample's vocabularies are all built in: the root is never read.
static VOCABULARIES: LazyLock<Vocabularies> = LazyLock::new(|| {
    casebook::vocabulary::load_all(Path::new("."), &CONFIG_PARSED).expect("sample vocabularies")
});

static SCHEMA: LazyLock<Schema> =
    LazyLock::new(|| Schema::new(&CONFIG_PARSED, &VOCABULARIES).expect("sample schema"));

/// The Markdown sources of the sample portal and their pages, so that links
/// between case studies are rewritten as in a real build.
static MARKDOWN_URLS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    [
        (
            "case-studies/city-welcome-centre-saxony.md",
            "case-studies/city-welcome-centre-saxony/",
        ),
        (
            "case-studies/district-migrant-resource-desks-nepal.md",
            "case-studies/district-migrant-resource-desks-nepal/",
        ),
        ("pages/about.md", "about/"),
    ]
    .into_iter()
    .map(|(source, url)| (source.to_string(), url.to_string()))
    .collect()
});

/// Splits, parses and validates one file as a case study and as a page.
///
/// Beyond not panicking: the split accounts for every line before the body,
/// every diagnostic draws (annotate-snippets is strict about spans) and
/// points at a line of the file, and a valid case study has a title and a
/// URL-safe slug.
pub fn front_matter(text: &str) {
    let path = Path::new("content/case-studies/fuzz.md");
    if let Ok(s) = split(text, path) {
        let unmarked = text.strip_prefix('\u{feff}').unwrap_or(text);
        let body_start = unmarked.len() - s.body.len();
        // (A file ending on its closing fence has no body line to count.)
        if !s.body.is_empty() {
            assert_eq!(
                unmarked[..body_start].matches('\n').count() + 1,
                s.body_line,
                "body_line counts the lines before the body"
            );
        }
        match parse(&s, path) {
            Ok(_) => {}
            Err(d) => check_diagnostic(&d, unmarked),
        }
    }
    let (case, diagnostics) = parse_case(&SCHEMA, path, "case-studies", text);
    for d in diagnostics.iter().take(DRAWN) {
        check_diagnostic(d, text);
    }
    if let Some(case) = case {
        assert!(
            !case.meta.title.is_empty(),
            "a valid case study has a title"
        );
        assert!(!case.slug.is_empty(), "a valid case study has a slug");
        assert!(
            case.slug
                .chars()
                .all(|c| c == '-' || (c.is_alphanumeric() && !c.is_uppercase())),
            "slug {:?} is URL-safe",
            case.slug
        );
    }
    let (_, diagnostics) = parse_page(&SCHEMA, Path::new("content/pages/fuzz.md"), text);
    for d in diagnostics.iter().take(DRAWN) {
        check_diagnostic(d, text);
    }
}

/// Diagnostics drawn per file. Drawing is linear in the line's length, so
/// 1,500 errors on one 6 KB line cost seconds in the instrumented build
/// while a reader needs the first few; the first 50 meet every kind.
const DRAWN: usize = 50;

/// A diagnostic draws without panicking, and its line is one of the file's.
fn check_diagnostic(d: &Diagnostic, text: &str) {
    let drawn = d.render(false);
    assert!(!drawn.is_empty());
    let lines = text.lines().count().max(1);
    assert!(
        d.line <= lines + 1,
        "diagnostic on line {} of a {lines}-line file: {d:?}",
        d.line
    );
}

/// Renders one Markdown body with sanitising on (the default) and off.
///
/// Beyond not panicking, the sanitised HTML: has no tag or attribute that
/// runs script, no `javascript:`-like URL, and ids that are unique, with
/// every table-of-contents entry pointing at one of them.
pub fn markdown(text: &str) {
    let urls = &*MARKDOWN_URLS;
    let resolver = LinkResolver {
        source_dir: "case-studies",
        page_url: "case-studies/fuzz/",
        markdown_urls: urls,
    };
    let rendered = markdown::render(text, false, &|d| resolver.resolve(d));
    if let Err(why) = check_safe_html(&rendered.html) {
        panic!("unsafe HTML: {why}\n{}", rendered.html);
    }
    let raw = markdown::render(text, true, &|d| resolver.resolve(d));
    // Sanitising may drop what follows an unclosed `<script>`, headings
    // included, and raw HTML may carry ids of its own: the ids are the
    // renderer's alone when the sanitiser changed nothing.
    if raw.html == rendered.html {
        check_ids(&rendered);
    }
}

/// Ids are unique and non-empty, and the table of contents points at them.
fn check_ids(rendered: &markdown::Rendered) {
    let ids = html_ids(&rendered.html);
    let mut seen = HashSet::new();
    for id in &ids {
        assert!(!id.is_empty(), "empty id in {}", rendered.html);
        assert!(
            seen.insert(id),
            "two elements have the id {id:?}: {}",
            rendered.html
        );
    }
    for entry in &rendered.toc {
        assert!(
            ids.contains(&entry.id),
            "table of contents points at #{} which is not in {}",
            entry.id,
            rendered.html
        );
        assert!((2..=4).contains(&entry.level));
    }
}

/// Tags a sanitised document must not contain.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "style", "iframe", "frame", "object", "embed", "base", "meta", "link", "form", "svg",
    "math", "template",
];

/// Schemes a sanitised document's URLs must not use.
const FORBIDDEN_SCHEMES: &[&str] = &["javascript", "vbscript", "data", "file"];

/// Scans the tags of `html` (as pulldown-cmark and ammonia write them: text
/// has `<` escaped, attribute values are double-quoted) for anything that
/// could run script.
pub fn check_safe_html(html: &str) -> Result<(), String> {
    for (name, attrs) in tags(html)? {
        if FORBIDDEN_TAGS.contains(&name.as_str()) {
            return Err(format!("<{name}> tag"));
        }
        for (attr, value) in attrs {
            // pulldown-cmark aligns table cells with a fixed style.
            let alignment = matches!(
                value.as_str(),
                "text-align: left" | "text-align: center" | "text-align: right"
            );
            if attr.starts_with("on") || (attr == "style" && !alignment) || attr == "srcdoc" {
                return Err(format!("attribute {attr} on <{name}>"));
            }
            if matches!(
                attr.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) {
                if let Some(scheme) = url_scheme(&value) {
                    if FORBIDDEN_SCHEMES.contains(&scheme.as_str()) {
                        return Err(format!("{attr}={value:?} on <{name}>"));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The scheme of an attribute's URL as a browser reads it (WHATWG URL):
/// character references decoded, leading and trailing C0 controls and
/// spaces trimmed, tabs and line breaks removed anywhere, lower-cased. Any
/// other control character makes the scheme invalid: the URL is relative.
fn url_scheme(value: &str) -> Option<String> {
    let decoded = decode_entities(value);
    let url: String = decoded
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = url.split_once(':')?;
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

type Tag = (String, Vec<(String, String)>);

/// The start tags of `html` with their attributes (names lower-cased).
fn tags(html: &str) -> Result<Vec<Tag>, String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if rest.starts_with('/') || rest.starts_with('!') {
            rest = &rest[rest.find('>').ok_or("unclosed end tag or comment")? + 1..];
            continue;
        }
        let name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .ok_or("unclosed tag")?;
        let name = rest[..name_end].to_ascii_lowercase();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(format!("a raw `<` outside a tag: <{}", &rest[..name_end]));
        }
        rest = &rest[name_end..];
        let mut attrs = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if let Some(after) = rest.strip_prefix('>') {
                rest = after;
                break;
            }
            let attr_end = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
                .ok_or("unclosed tag")?;
            let attr = rest[..attr_end].to_ascii_lowercase();
            rest = &rest[attr_end..];
            let value = if let Some(after) = rest.strip_prefix("=\"") {
                let close = after.find('"').ok_or("unclosed attribute value")?;
                rest = &after[close + 1..];
                after[..close].to_string()
            } else if rest.starts_with('=') {
                return Err(format!("unquoted value of {attr} on <{name}>"));
            } else {
                String::new()
            };
            attrs.push((attr, value));
        }
        found.push((name, attrs));
    }
    Ok(found)
}

/// Decodes the character references a browser would in an attribute value.
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        let end = rest.find(';').unwrap_or(0);
        let entity = &rest[..end];
        let decoded = match entity {
            "colon" => Some(':'),
            "tab" | "Tab" => Some('\t'),
            "newline" | "NewLine" => Some('\n'),
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) if end > 0 => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// The values of every `id` attribute in `html`, in order.
fn html_ids(html: &str) -> Vec<String> {
    tags(html)
        .unwrap_or_default()
        .into_iter()
        .flat_map(|(_, attrs)| attrs)
        .filter(|(a, _)| a == "id")
        .map(|(_, v)| decode_entities(&v))
        .collect()
}
