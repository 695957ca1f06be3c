//! Content: what authors wrote, discovered, split and validated.
//!
//! Stage input: the site's `content/` folder. Stage output: [`Content`], the
//! typed case studies and pages plus the list of asset files to copy, or every
//! problem found in every file. Nothing here renders or writes.
//!
//! Domain nouns: a **case study** is one Markdown file describing one practice;
//! a **page** is a standalone Markdown file under `content/pages/` (About); an
//! **asset** is any other file (an image, a PDF), copied beside its page.

pub mod case_study;
pub mod discover;
pub mod fields;
pub mod front_matter;
pub mod limits;
pub mod review;
pub mod schema;
pub mod translations;
mod yaml_limit;

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

pub use case_study::{CaseStudy, Link, Meta, Page};
pub use discover::{discover, Discovered};

/// Everything under `content/`, validated.
#[derive(Debug, Default)]
pub struct Content {
    /// Case studies, sorted by source path.
    pub cases: Vec<CaseStudy>,
    /// Standalone pages, sorted by source path.
    pub pages: Vec<Page>,
    /// Asset files: (absolute source path, site-relative output path).
    pub assets: Vec<(PathBuf, String)>,
    /// Valid case studies left out because they are not published yet
    /// (see [`review::hold_back`]), sorted by source path.
    pub unpublished: Vec<review::Unpublished>,
}

impl Content {
    /// Each Markdown source's path under `content/` → the URL of its page:
    /// what a link to `other-case.md` becomes, for the renderer and the
    /// link checker alike. A version's original path (its translation key
    /// and `.md`) leads to it too, where the original is not in `self`.
    pub fn markdown_urls(&self) -> std::collections::HashMap<String, String> {
        let cases = self.cases.iter().map(|c| (&c.source, &c.url));
        let pages = self.pages.iter().map(|p| (&p.source, &p.url));
        let mut urls: std::collections::HashMap<String, String> = cases
            .chain(pages)
            .map(|(source, url)| (discover::content_path(source), url.clone()))
            .collect();
        // In a language's edition, a link to `other.md` leads to the
        // version of `other.md` that edition publishes (`other.fr.md`).
        let keys = (self.cases.iter().map(|c| (&c.meta.translation_key, &c.url)))
            .chain(self.pages.iter().map(|p| (&p.translation_key, &p.url)));
        for (key, url) in keys {
            urls.entry(format!("{key}.md"))
                .or_insert_with(|| url.clone());
        }
        urls
    }
}

/// Content plus every problem found (errors and warnings).
#[derive(Debug, Default)]
pub struct Loaded {
    /// The valid files (incomplete when there are errors).
    pub content: Content,
    /// Problems in all files, sorted.
    pub diagnostics: Vec<crate::diagnostics::Diagnostic>,
}

/// Reads and validates every discovered file, in parallel.
pub fn load(root: &std::path::Path, schema: &schema::Schema, found: &Discovered) -> Loaded {
    use rayon::prelude::*;
    let cases: Vec<_> = (found.cases.par_iter())
        .map(|path| load_case(root, schema, path))
        .collect();
    assemble(root, schema, found, cases)
}

/// The content after an edit (`serve`): the files in `changed` (absolute
/// paths) and those not read before are read again; every other case study
/// is taken, already parsed, from `previous`.
pub fn reload(
    root: &std::path::Path,
    schema: &schema::Schema,
    found: &Discovered,
    previous: Content,
    changed: &[PathBuf],
) -> Loaded {
    let mut kept: std::collections::HashMap<PathBuf, CaseStudy> = (previous.cases.into_iter())
        .map(|c| (c.source.clone(), c))
        .collect();
    let cases: Vec<_> = (found.cases.iter())
        .map(|path| match kept.remove(&schema::rel(root, path)) {
            Some(case) if !changed.contains(path) => (Some(case), Vec::new()),
            _ => load_case(root, schema, path),
        })
        .collect();
    assemble(root, schema, found, cases)
}

/// Content from its parsed case studies, with the pages, the assets and
/// every problem (the files' own, URL clashes, links leading outside).
fn assemble(
    root: &std::path::Path,
    schema: &schema::Schema,
    found: &Discovered,
    cases: Vec<case_study::Parsed<CaseStudy>>,
) -> Loaded {
    let pages: Vec<_> = (found.pages.iter())
        .map(|path| load_page(root, schema, path))
        .collect();
    let mut loaded = Loaded::default();
    for (case, mut d) in cases {
        loaded.content.cases.extend(case);
        loaded.diagnostics.append(&mut d);
    }
    for (page, mut d) in pages {
        loaded.content.pages.extend(page);
        loaded.diagnostics.append(&mut d);
    }
    loaded.content.cases.sort_by(newest_first);
    loaded.content.assets = assets(root, found);
    let collided = collisions(root, &loaded.content, schema);
    loaded.diagnostics.extend(collided);
    loaded.diagnostics.extend(found.outside.iter().cloned());
    crate::diagnostics::sort(&mut loaded.diagnostics);
    loaded
}

/// The order of listings: newest first, then by file.
fn newest_first(a: &CaseStudy, b: &CaseStudy) -> std::cmp::Ordering {
    (b.meta.date.cmp(&a.meta.date)).then_with(|| a.source.cmp(&b.source))
}

/// Each asset file with its site-relative output path.
fn assets(root: &std::path::Path, found: &Discovered) -> Vec<(PathBuf, String)> {
    let content = root.join(discover::CONTENT_DIR);
    (found.assets.iter())
        .map(|p| {
            let rel = p.strip_prefix(&content).unwrap_or(p);
            (p.clone(), rel.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

/// Reads and validates one case-study file (absolute `path`).
pub fn load_case(
    root: &std::path::Path,
    schema: &schema::Schema,
    path: &std::path::Path,
) -> case_study::Parsed<CaseStudy> {
    let rel = schema::rel(root, path);
    let dir = discover::content_dir(&rel);
    read_and_parse(
        path,
        &rel,
        |text| case_study::parse_case(schema, &rel, &dir, text),
        |c| &c.body,
    )
}

/// Reads and validates one standalone page (absolute `path`).
fn load_page(
    root: &std::path::Path,
    schema: &schema::Schema,
    path: &std::path::Path,
) -> case_study::Parsed<Page> {
    let rel = schema::rel(root, path);
    read_and_parse(
        path,
        &rel,
        |text| case_study::parse_page(schema, &rel, text),
        |p| &p.body,
    )
}

/// Reads a file and parses it with `parse`, adding a warning for an
/// invisible character in the body (`body` of what was parsed).
fn read_and_parse<T>(
    path: &std::path::Path,
    rel: &std::path::Path,
    parse: impl FnOnce(&str) -> case_study::Parsed<T>,
    body: impl Fn(&T) -> &str,
) -> case_study::Parsed<T> {
    match read_text(path, rel) {
        Ok(text) => {
            let (parsed, mut problems) = parse(&text);
            let written = parsed.as_ref().map_or("", &body);
            problems.extend(invisible_in_body(rel, &text, written));
            (parsed, problems)
        }
        Err(d) => (None, vec![d]),
    }
}

fn read_text(
    path: &std::path::Path,
    rel: &std::path::Path,
) -> Result<String, crate::diagnostics::Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        crate::diagnostics::Diagnostic::error(rel, format!("cannot read the file: {e}"))
    })?;
    String::from_utf8(bytes).map_err(|e| not_utf8(rel, e.as_bytes(), e.utf8_error().valid_up_to()))
}

/// Points at the first byte that is not UTF-8: files saved as Latin-1 or
/// Windows-1252 are usually fine until the first accented letter.
fn not_utf8(rel: &std::path::Path, bytes: &[u8], bad: usize) -> crate::diagnostics::Diagnostic {
    let line_start = bytes[..bad]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = bytes[bad..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| bad + i);
    let line = bytes[..line_start].iter().filter(|&&b| b == b'\n').count() + 1;
    // Everything before `bad` is valid, so this counts characters.
    let column = String::from_utf8_lossy(&bytes[line_start..bad])
        .chars()
        .count()
        + 1;
    let text = String::from_utf8_lossy(&bytes[line_start..line_end]);
    crate::diagnostics::Diagnostic::error(rel, "not valid UTF-8 text")
        .at(line, column, 1, text.trim_end_matches('\r'))
        .help("save the file as UTF-8 in your editor (it may have been saved as Latin-1 or Windows-1252)")
}

/// A warning at the first invisible character of a Markdown body (a
/// control character or noncharacter, see [`crate::markdown::is_invisible`]).
///
/// In front matter such a character is an error; in a body, usually long
/// text pasted from a PDF or a word processor, the page is built without it
/// ([`crate::markdown::clean`]), so the build goes on. The warning is still
/// worth its line: the file holds a character its author cannot see, and
/// `check --strict` fails on it in CI. `body` is the end of `text`.
pub fn invisible_in_body(
    rel: &std::path::Path,
    text: &str,
    body: &str,
) -> Option<crate::diagnostics::Diagnostic> {
    use crate::markdown::{first_invisible, is_invisible};
    let (offset, c) = first_invisible(body)?;
    debug_assert!(text.ends_with(body), "the body is the end of the file");
    let at = text.len().checked_sub(body.len())? + offset;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text[..at].matches('\n').count() + 1;
    let column = text[line_start..at].chars().count() + 1;
    // Drawn with a visible stand-in, so the caret lines up and no control
    // character reaches the terminal.
    let shown: String = text[line_start..line_end]
        .trim_end_matches('\r')
        .chars()
        .map(|c| if is_invisible(c) { '\u{FFFD}' } else { c })
        .collect();
    let message = format!(
        "the text contains the invisible character U+{:04X}; the page is built without it",
        c as u32
    );
    Some(
        crate::diagnostics::Diagnostic::warning(rel, message)
            .at(line, column, 1, &shown)
            .help("delete it from the file, or retype the text around it"),
    )
}

/// The line of the `slug:` field of `source` and its text, if it has one:
/// read again, as this is needed only when two slugs collide.
fn slug_written(root: &std::path::Path, source: &std::path::Path) -> Option<(usize, String)> {
    let text = std::fs::read_to_string(root.join(source)).ok()?;
    let split = front_matter::split(&text, source).ok()?;
    let span = front_matter::Locator::new(&split).field("slug")?;
    Some((span.line, span.text.to_string()))
}

/// Two files that would produce the same URL, or a page taking a reserved
/// one. Both files of a collision are named with the line of their slug.
fn collisions(
    root: &std::path::Path,
    content: &Content,
    schema: &schema::Schema,
) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<(&str, &str), &std::path::Path> =
        std::collections::HashMap::new();
    let cases = (content.cases.iter()).map(|c| {
        let language = schema.edition_of(&c.meta.language);
        (language, c.url.as_str(), c.source.as_path())
    });
    let pages = (content.pages.iter()).map(|p| {
        (
            schema.edition_of(&p.language),
            p.url.as_str(),
            p.source.as_path(),
        )
    });
    let mut problems = Vec::new();
    for (language, url, source) in cases.chain(pages) {
        if let Some(first) = seen.insert((language, url), source) {
            problems.push(url_clash(root, url, [first, source]));
        }
    }
    problems.extend(reserved_pages(content, schema));
    problems.extend(translations::problems(content, schema));
    problems
}

/// Two files giving the same page `url`, reported in the file whose
/// `slug:` line made the clash if only one has one (that is the line to
/// change), naming the other with its line.
fn url_clash(root: &std::path::Path, url: &str, mut files: [&std::path::Path; 2]) -> Diagnostic {
    files.sort();
    let [a, b] = files.map(|f| (f, slug_written(root, f)));
    let (here, there) = if b.1.is_none() && a.1.is_some() {
        (a, b)
    } else {
        (b, a)
    };
    let other = match there.1 {
        Some((line, _)) => format!("{}:{line}", there.0.display()),
        None => format!("{} (named after its file)", there.0.display()),
    };
    let d = Diagnostic::error(
        here.0,
        format!("this file and {other} both produce the page /{url}"),
    )
    .field("slug")
    .help("give one of them a different `slug:` or file name");
    match here.1 {
        Some((line, text)) => d.at(line, 1, 4, &text),
        None => d,
    }
}

/// Standalone pages whose URL the portal uses for its own pages.
fn reserved_pages(content: &Content, schema: &schema::Schema) -> Vec<Diagnostic> {
    let taken: Vec<&str> = (crate::links::RESERVED.iter().copied())
        .chain(schema.facets.iter().map(|f| f.key.as_str()))
        .chain([schema.case_path.as_str()])
        .collect();
    (content.pages.iter())
        .filter(|page| taken.contains(&page.slug.as_str()))
        .map(|page| {
            let message = format!("the page URL /{} is used by the portal itself", page.url);
            Diagnostic::error(&page.source, message)
                .field("slug")
                .help(format!(
                    "choose another `slug:`; taken: {}",
                    taken.join(", ")
                ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_invisible_character_of_a_body_is_located() {
        let text = "---\ntitle: T\n---\nFine.\r\n\r\nCafé\u{1}x\u{B}y\n";
        let body = &text[text.find("Fine").unwrap()..];
        let d = invisible_in_body(std::path::Path::new("x.md"), text, body).unwrap();
        assert_eq!((d.line, d.column), (6, 5));
        assert!(d.message.contains("U+0001"), "{}", d.message);
        assert_eq!(d.source_line.as_deref(), Some("Café\u{FFFD}x\u{FFFD}y"));
        assert!(invisible_in_body(std::path::Path::new("x.md"), "a\rb", "a\rb").is_none());
    }

    #[test]
    fn a_latin1_byte_is_located_by_line_and_column() {
        let bytes = b"---\ntitle: Caf\xe9 \xe0 la carte\n---\n";
        let bad = bytes.iter().position(|&b| b == 0xe9).unwrap();
        let d = not_utf8(std::path::Path::new("x.md"), bytes, bad);
        assert_eq!((d.line, d.column), (2, 11));
    }
}
