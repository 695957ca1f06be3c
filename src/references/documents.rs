//! Documents: the relative links and images of every case study and page,
//! found with their position in the source file and resolved against the
//! [`Targets`] a build would publish.
//!
//! Links are read from the Markdown with byte offsets, so a broken one is
//! reported at the `file:line:column` of its destination, and the front
//! matter's `image` at its own line. Fragments (`other.md#results`) are
//! checked against the headings of the Markdown they point into; a missing
//! one is a warning, since the page itself still opens.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag};

use super::targets::{Found, Targets};
use super::Checked;
use crate::content::discover::{content_dir, CONTENT_DIR, PAGES_DIR};
use crate::content::front_matter::{self, Locator, Split};
use crate::content::{CaseStudy, Content};
use crate::diagnostics::Diagnostic;
use crate::error::Result;
use crate::fsio;
use crate::links::{self, LinkResolver};
use crate::markdown;
use crate::portal::Portal;

/// Ids every page has besides its headings' (the layout's own).
const LAYOUT_IDS: &[&str] = &["main", "content", "top"];

/// One Markdown document of the site, as the resolver needs it.
pub(super) struct Document<'a> {
    /// Source, relative to the site root.
    source: &'a Path,
    /// Its folder under `content/`.
    dir: String,
    /// Front-matter image, for case studies.
    image: Option<&'a str>,
    /// Front-matter `links:` URLs, for case studies (a PDF beside the file).
    links: Vec<&'a str>,
}

impl Document<'_> {
    /// Resolves the document's relative links to site paths. The Markdown
    /// map stays empty: the checker looks Markdown sources up itself.
    fn resolver<'r>(&'r self, no_urls: &'r HashMap<String, String>) -> LinkResolver<'r> {
        LinkResolver {
            source_dir: &self.dir,
            page_url: "",
            markdown_urls: no_urls,
        }
    }
}

/// A link or image in a body, with where its destination is written.
#[derive(Debug, PartialEq, Eq)]
struct Reference {
    dest: String,
    image: bool,
    line: usize,
    column: usize,
    len: usize,
    text: String,
}

impl Reference {
    /// "link" or "image", for messages.
    fn what(&self) -> &'static str {
        if self.image {
            "image"
        } else {
            "link"
        }
    }

    /// The same reference drawn where its destination first appears in
    /// `text`, the file the Markdown was taken from (the config), or at the
    /// start of line `fallback` if it is written there in another form.
    fn placed_in(self, text: &str, fallback: usize) -> Reference {
        let found = text.lines().enumerate().find_map(|(i, line)| {
            let byte = line.find(self.dest.as_str())?;
            Some((i + 1, line[..byte].chars().count() + 1, line))
        });
        let (line, column, source) = found.unwrap_or_else(|| {
            let line = text.lines().nth(fallback.saturating_sub(1)).unwrap_or("");
            (fallback, 1, line)
        });
        Reference {
            line,
            column,
            text: source.to_string(),
            ..self
        }
    }

    /// A front-matter link, where the locator found its URL.
    fn at(dest: &str, span: front_matter::Span<'_>) -> Reference {
        Reference {
            dest: dest.to_string(),
            image: false,
            line: span.line,
            column: span.column,
            len: span.len,
            text: span.text.to_string(),
        }
    }
}

/// Which documents to read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every case study and page (`casebook check`).
    All,
    /// Only those that may point inside the site (`casebook build`): a
    /// corpus whose links are all external is not parsed a second time.
    MayLinkLocally,
}

/// The case studies and pages of `content` in `scope`.
pub(super) fn documents(content: &Content, scope: Scope) -> Vec<Document<'_>> {
    use rayon::prelude::*;
    // In parallel: at 10,000 case studies this scans 100 MB of Markdown.
    let cases = content
        .cases
        .par_iter()
        .filter(|c| scope == Scope::All || case_may_link_locally(c))
        .map(case_document);
    let pages = content
        .pages
        .par_iter()
        .filter(|p| scope == Scope::All || may_link_locally(&p.body))
        .map(|p| Document {
            source: &p.source,
            dir: content_dir(&p.source),
            image: None,
            links: Vec::new(),
        });
    cases.chain(pages).collect()
}

/// A Markdown file that did not load, read again for its links and images:
/// its own errors are reported, and an unknown code must not hide a broken
/// link in the same file.
pub(super) struct Unloaded {
    /// Source, relative to the site root.
    source: PathBuf,
    /// Front-matter `image`, if it reads as text.
    image: Option<String>,
    /// Front-matter `links:` URLs that read as text.
    links: Vec<String>,
}

impl Unloaded {
    /// The file as a document to check.
    pub(super) fn document(&self) -> Document<'_> {
        Document {
            source: &self.source,
            dir: content_dir(&self.source),
            image: self.image.as_deref(),
            links: self.links.iter().map(String::as_str).collect(),
        }
    }
}

/// The files under `content/` (paths below it) that did not load, with
/// what their front matter holds that is read as a link, as far as it can
/// be read. A URL with a forbidden scheme is left out: the file's own
/// errors already name it.
pub(super) fn unloaded(root: &Path, sources: &[&str]) -> Result<Vec<Unloaded>> {
    let mut out = Vec::with_capacity(sources.len());
    for rel in sources {
        let source = Path::new(CONTENT_DIR).join(rel);
        let mut doc = Unloaded {
            source,
            image: None,
            links: Vec::new(),
        };
        let text = fsio::read_to_string(&root.join(&doc.source))?;
        let is_case = !rel.starts_with(&format!("{PAGES_DIR}/"));
        let mapping = front_matter::split(&text, &doc.source)
            .and_then(|split| front_matter::parse(&split, &doc.source));
        if let (true, Ok(mapping)) = (is_case, mapping) {
            let text_of = |v: &serde_yaml::Value| v.as_str().map(str::to_owned);
            let safe = |url: &String| links::forbidden_scheme(url).is_none();
            doc.image = mapping.get("image").and_then(text_of).filter(safe);
            let listed = mapping.get("links").and_then(|l| l.as_sequence());
            doc.links = (listed.into_iter().flatten())
                .filter_map(|link| link.get("url").and_then(text_of))
                .filter(safe)
                .collect();
        }
        out.push(doc);
    }
    Ok(out)
}

/// The links of the home page's `intro`, Markdown in `casebook.yaml` whose
/// links are written as from the top of `content/` (`pages/about.md`,
/// `levels/local/`): checked like a document's, each problem drawn at the
/// config line where the link is written.
pub(super) fn check_intro(portal: &Portal, targets: &Targets) -> Result<Checked> {
    let config = Path::new(crate::config::CONFIG_FILE);
    let text = fsio::read_to_string(&portal.root.join(config))?;
    let doc = Document {
        source: config,
        dir: String::new(),
        image: None,
        links: Vec::new(),
    };
    let no_urls = HashMap::new();
    let resolver = doc.resolver(&no_urls);
    let intro_line = text
        .lines()
        .position(|line| crate::yaml::top_level_key(line) == Some("intro"))
        .map_or(1, |i| i + 1);
    let mut checker = Checker::new(portal, targets);
    for reference in references(&portal.config.intro, 1) {
        let reference = reference.placed_in(&text, intro_line);
        checker.reference(&doc, &resolver, &reference)?;
    }
    Ok(checker.out)
}

/// A case study as a document to check.
pub(super) fn case_document(case: &CaseStudy) -> Document<'_> {
    Document {
        source: &case.source,
        dir: case.dir.clone(),
        image: case.meta.image.as_deref(),
        links: case.meta.links.iter().map(|l| l.url.as_str()).collect(),
    }
}

/// Checks the references of `documents` against `targets`.
pub(super) fn check_documents(
    portal: &Portal,
    documents: &[Document<'_>],
    targets: &Targets,
) -> Result<Checked> {
    let mut checker = Checker::new(portal, targets);
    for doc in documents {
        checker.document(doc)?;
    }
    Ok(checker.out)
}

struct Checker<'a> {
    root: &'a Path,
    /// The path part of `base_url` (`/practices/`): a link from the
    /// domain's root that starts with it leads into the site as published.
    base_path: String,
    targets: &'a Targets<'a>,
    /// Heading ids of Markdown documents, by page URL, read when first needed.
    anchors: HashMap<String, HashSet<String>>,
    out: Checked,
}

impl<'a> Checker<'a> {
    fn new(portal: &'a Portal, targets: &'a Targets) -> Self {
        Checker {
            root: &portal.root,
            base_path: portal.config.base_path(),
            targets,
            anchors: HashMap::new(),
            out: Checked::default(),
        }
    }

    fn document(&mut self, doc: &Document<'_>) -> Result<()> {
        let text = fsio::read_to_string(&self.root.join(doc.source))?;
        // The file parsed when the content was loaded; it still splits.
        let Ok(split) = front_matter::split(&text, doc.source) else {
            return Ok(());
        };
        let no_urls = HashMap::new();
        let resolver = doc.resolver(&no_urls);
        if let Some(image) = doc.image {
            self.front_matter_image(doc, &split, &resolver, image);
        }
        let locator = Locator::new(&split);
        for url in &doc.links {
            if let Some(span) = locator.value("links", url) {
                self.reference(doc, &resolver, &Reference::at(url, span))?;
            }
        }
        for reference in references(split.body, split.body_line) {
            self.reference(doc, &resolver, &reference)?;
        }
        Ok(())
    }

    fn front_matter_image(
        &mut self,
        doc: &Document<'_>,
        split: &Split<'_>,
        resolver: &LinkResolver<'_>,
        image: &str,
    ) {
        let problem = if image.starts_with('/') {
            let message = format!("image \"{image}\" starts with `/`");
            Some(
                Diagnostic::error(doc.source, message).help(
                    "write the path relative to this file (diagram.svg), or a full https:// URL",
                ),
            )
        } else if let Some(target) = resolver.target(image) {
            self.out.checked += 1;
            let path = target.path;
            let message = format!("image \"{image}\" not found next to this file");
            (!self.targets.is_file(&path))
                .then(|| Diagnostic::error(doc.source, message).help(self.help(doc, &path, true)))
        } else {
            None // a full URL
        };
        if let Some(d) = problem {
            let span = Locator::new(split).value("image", image);
            self.out.problems.push(d.field("image").at_span(span));
        }
    }

    fn reference(
        &mut self,
        doc: &Document<'_>,
        resolver: &LinkResolver<'_>,
        r: &Reference,
    ) -> Result<()> {
        let problem = if let Some(d) = forbidden_scheme(doc, r) {
            Some(d)
        } else if is_rooted(&r.dest) {
            self.rooted_problem(doc, r)?
        } else {
            match resolver.target(&r.dest) {
                Some(target) => {
                    self.out.checked += 1;
                    self.resolved_problem(doc, target, r)?
                }
                None => None, // external, or an anchor on the same page
            }
        };
        if let Some(d) = problem {
            let d = d.at(r.line, r.column, r.len, &r.text);
            self.out.problems.push(d);
        }
        Ok(())
    }

    /// A link from the domain's root (`/levels/local/`), read from the
    /// site's root, or from `base_url`'s path when it starts with it
    /// (`/practices/levels/local/`). One that leads nowhere is broken like
    /// any other link, an error, so it is never published; one that leads
    /// to a page is a warning, since it still breaks under a sub-path and
    /// from disk.
    fn rooted_problem(&mut self, doc: &Document<'_>, r: &Reference) -> Result<Option<Diagnostic>> {
        let no_urls = HashMap::new();
        let site_root = LinkResolver {
            source_dir: "",
            page_url: "",
            markdown_urls: &no_urls,
        };
        let under_base = (self.base_path != "/")
            .then(|| r.dest.strip_prefix(self.base_path.as_str()))
            .flatten();
        self.out.checked += 1;
        let mut broken = None;
        for path in [Some(&r.dest[1..]), under_base].into_iter().flatten() {
            // No target: `/` alone or `/#top`, the home page.
            let problem = match site_root.target(path) {
                Some(target) => self.resolved_problem(doc, target, r)?,
                None => None,
            };
            match problem {
                Some(d) if d.is_error() => broken = broken.or(Some(d)),
                _ => return Ok(Some(rooted_warning(doc, r))),
            }
        }
        Ok(broken)
    }

    /// What is wrong with where a relative link leads, if anything.
    fn resolved_problem(
        &mut self,
        doc: &Document<'_>,
        target: links::Target<'_>,
        r: &Reference,
    ) -> Result<Option<Diagnostic>> {
        let what = r.what();
        let (path, fragment) = (target.path, target.fragment);
        Ok(match self.targets.find(&path) {
            Found::Yes(url) => match fragment.filter(|f| !f.is_empty()) {
                Some(f) => self.fragment(doc, &url, f, r)?,
                None => None,
            },
            Found::Unloaded => None,
            Found::Unpublished(status) => {
                let message = format!(
                    "{what} \"{}\" points at a case study that is not published (status: {status})",
                    r.dest
                );
                Some(
                    Diagnostic::error(doc.source, message).help(
                        "publish it first (`status: published`), or remove the link until it is",
                    ),
                )
            }
            Found::NoCases(label) => {
                let message = format!(
                    "{what} \"{}\" points at the page of “{label}”, which is not generated: \
                     no case study has this term",
                    r.dest
                );
                Some(
                    Diagnostic::error(doc.source, message)
                        .help("link to the facet page instead, or tag a case study with this term"),
                )
            }
            Found::No => {
                let message = format!(
                    "broken {what} \"{}\": the site has no such page or file",
                    r.dest
                );
                Some(Diagnostic::error(doc.source, message).help(self.help(doc, &path, r.image)))
            }
        })
    }

    /// A warning if `fragment` is not a heading of the Markdown page at `url`.
    fn fragment(
        &mut self,
        doc: &Document<'_>,
        url: &str,
        fragment: &str,
        r: &Reference,
    ) -> Result<Option<Diagnostic>> {
        let Some(ids) = self.anchors_of(url)? else {
            return Ok(None);
        };
        if ids.contains(fragment) {
            return Ok(None);
        }
        let near = ids
            .iter()
            .map(|id| (id, strsim::jaro_winkler(fragment, id)))
            .filter(|(_, score)| *score > 0.8)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)));
        let help = match near {
            Some((id, _)) => format!("did you mean \"#{id}\"?"),
            None => "link to one of the page's headings: an id is the heading's text \
                     in lower case, words joined by `-`"
                .into(),
        };
        Ok(Some(
            Diagnostic::warning(
                doc.source,
                format!(
                    "link \"{}\": the page has no heading with the id \"{fragment}\"",
                    r.dest
                ),
            )
            .help(help),
        ))
    }

    /// Heading ids of the Markdown document published at `url`, if it is one.
    fn anchors_of(&mut self, url: &str) -> Result<Option<&HashSet<String>>> {
        let Some(source) = self.targets.source_of(url).map(str::to_owned) else {
            return Ok(None);
        };
        if !self.anchors.contains_key(url) {
            let path = self
                .root
                .join(crate::content::discover::CONTENT_DIR)
                .join(&source);
            let text = fsio::read_to_string(&path)?;
            let body = front_matter::split(&text, &path).map_or("", |s| s.body);
            let html = markdown::render(body, false, &|_| None).html;
            self.anchors.insert(url.to_string(), ids(&html));
        }
        Ok(self.anchors.get(url))
    }

    /// "did you mean ...?" relative to the document, or what to do.
    fn help(&self, doc: &Document<'_>, path: &str, image: bool) -> String {
        let name = path.rsplit('/').next().unwrap_or(path);
        let a_file = image || (name.contains('.') && !name.ends_with(".md"));
        match self.targets.suggest(path, image) {
            Some(near) => format!("did you mean \"{}\"?", relative(&doc.dir, &near)),
            None if a_file => "put the file next to the Markdown file, or fix the name".into(),
            None => "link to another file's Markdown source (other-case.md), \
                     or to a page URL ending in `/`"
                .into(),
        }
    }
}

/// A destination with a scheme that could run script: the sanitiser drops
/// such a link from the page, and the author should know theirs went
/// missing, and why.
fn forbidden_scheme(doc: &Document<'_>, r: &Reference) -> Option<Diagnostic> {
    let scheme = links::forbidden_scheme(&r.dest)?;
    let message = format!("{} with a `{scheme}:` URL is not allowed", r.what());
    Some(Diagnostic::error(doc.source, message).help(
        "use a web address (`https://…`), an e-mail address (`mailto:…`) or a path to a file of the site",
    ))
}

/// A path from the domain's root (`/levels/local/`), not `//host/…`.
fn is_rooted(dest: &str) -> bool {
    dest.starts_with('/') && !dest.starts_with("//")
}

/// A link from the domain's root that leads to a page of the site: it
/// works at the root of a domain only.
fn rooted_warning(doc: &Document<'_>, r: &Reference) -> Diagnostic {
    let message = format!(
        "{} \"{}\" starts with `/`: it works at the root of a domain only, \
         not under a sub-path (`base_url`) nor opened from disk",
        r.what(),
        r.dest
    );
    Diagnostic::warning(doc.source, message)
        .help("write it relative to this file: `other-case.md`, `../levels/local/`")
}

/// Whether a Markdown body may hold a link or image inside the site: a
/// destination after `](` or `]:` that is not a URL with a scheme or an
/// anchor. Errs towards yes: it only decides which files are read again.
fn may_link_locally(body: &str) -> bool {
    body.match_indices(']').any(|(i, _)| {
        let after = &body[i + 1..];
        let Some(dest) = after.strip_prefix('(').or_else(|| after.strip_prefix(':')) else {
            return false;
        };
        !points_elsewhere(dest.trim_start().trim_start_matches('<'))
    })
}

/// Whether a case study's body, image or front-matter links may point
/// inside the site (see [`may_link_locally`]).
pub fn case_may_link_locally(case: &CaseStudy) -> bool {
    case.meta.image.is_some()
        || case.meta.links.iter().any(|l| !points_elsewhere(&l.url))
        || may_link_locally(&case.body)
}

/// A destination on another site, or an anchor on the same page.
fn points_elsewhere(dest: &str) -> bool {
    const ELSEWHERE: [&str; 4] = ["http://", "https://", "mailto:", "#"];
    ELSEWHERE.iter().any(|p| dest.starts_with(p))
}

/// Every link and image in a Markdown body, with file positions
/// (`body_line` is the file line the body starts on).
fn references(body: &str, body_line: usize) -> Vec<Reference> {
    let options = crate::markdown::options();
    Parser::new_ext(body, options)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some((dest_url, false, range)),
            Event::Start(Tag::Image { dest_url, .. }) => Some((dest_url, true, range)),
            _ => None,
        })
        .map(|(dest, image, range)| {
            // Point at the destination as written, else at the link's start.
            let start = body[range.clone()]
                .find(dest.as_ref())
                .map_or(range.start, |i| range.start + i);
            let line_start = body[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = body[start..].find('\n').map_or(body.len(), |i| start + i);
            let text = body[line_start..line_end].trim_end_matches('\r');
            Reference {
                line: body_line + body[..start].matches('\n').count(),
                column: body[line_start..start].chars().count() + 1,
                len: dest
                    .chars()
                    .count()
                    .clamp(1, text[start - line_start..].chars().count().max(1)),
                text: text.to_string(),
                dest: dest.to_string(),
                image,
            }
        })
        .collect()
}

/// The `id` attributes of an HTML fragment, plus the layout's own ids.
fn ids(html: &str) -> HashSet<String> {
    let mut out: HashSet<String> = LAYOUT_IDS.iter().map(|s| s.to_string()).collect();
    for piece in html.split(" id=\"").skip(1) {
        if let Some(end) = piece.find('"') {
            out.insert(piece[..end].to_string());
        }
    }
    out
}

/// The path from folder `from` to site path `to`, as an author writes it.
fn relative(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    if out.is_empty() {
        "./".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bodies_that_may_link_inside_the_site_are_read_again() {
        assert!(!may_link_locally("See [a](https://x.org) and [b]( #top)."));
        assert!(!may_link_locally("[id]: <mailto:a@b.org>\nNo links."));
        assert!(may_link_locally(
            "See [a](https://x.org) and ![d](diagram.svg)."
        ));
        assert!(may_link_locally("[other]: ../pages/about.md"));
        assert!(may_link_locally("[a](\n  other-case.md)"));
    }

    #[test]
    fn references_carry_file_positions() {
        let body = "\nSee [the map](map.svg) and\n![x](img/a%20b.png \"t\").\n";
        let refs = references(body, 7);
        assert_eq!(refs.len(), 2);
        assert_eq!((refs[0].line, refs[0].column, refs[0].len), (8, 15, 7));
        assert_eq!(refs[0].dest, "map.svg");
        assert!(refs[1].image);
        assert_eq!((refs[1].line, refs[1].column), (9, 6));
    }

    #[test]
    fn relative_paths_from_the_source_folder() {
        assert_eq!(relative("case-studies", "case-studies/x.md"), "x.md");
        assert_eq!(
            relative("case-studies", "levels/local/"),
            "../levels/local/"
        );
        assert_eq!(
            relative("pages", "case-studies/x.md"),
            "../case-studies/x.md"
        );
        assert_eq!(relative("", "about/"), "about/");
        assert_eq!(relative("case-studies", ""), "../");
    }

    #[test]
    fn ids_include_headings_and_layout() {
        let html = markdown::render("## Results\n\ntext", false, &|_| None).html;
        let ids = ids(&html);
        assert!(ids.contains("results") && ids.contains("top"));
    }
}
