//! Check: everything `build` validates, plus internal links and images,
//! without writing anything.
//!
//! Stage input: a site folder. Output: a [`CheckReport`], every problem found
//! as a [`Diagnostic`]. It runs the build's own stages up to the taxonomy
//! ([`crate::prepare`], the theme, [`taxonomy::build`]) and then, instead of
//! rendering, computes the set of pages and files the build would publish
//! ([`targets`]) and resolves every relative link and image of every case
//! study and page against it ([`references`]). So editors and CI learn about
//! a broken link with its `file:line` before the portal is published, and a
//! run never touches the output folder.

mod references;
mod targets;

pub use references::case_may_link_locally;

use std::path::Path;

use serde::Serialize;

use crate::content;
use crate::diagnostics::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::portal::{Loaded, Portal};
use crate::templates::{Theme, THEME_DIR};
use crate::urls::UrlTable;
use crate::{output, render, search};

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Case-study files found.
    pub cases: usize,
    /// Page files found.
    pub pages: usize,
    /// Internal links and images resolved.
    pub references: usize,
    /// Every problem, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// True when nothing blocks: no errors, and no warnings if `strict`.
    pub fn passes(&self, strict: bool) -> bool {
        self.errors() == 0 && !(strict && self.warnings() > 0)
    }

    /// "checked 16 case studies, 1 page: 0 errors, 2 warnings".
    pub fn summary(&self) -> String {
        format!(
            "checked {}, {}: {}, {}",
            count(self.cases, "case study", "case studies"),
            count(self.pages, "page", "pages"),
            count(self.errors(), "error", "errors"),
            count(self.warnings(), "warning", "warnings"),
        )
    }

    /// One JSON document: `{"errors", "warnings", "diagnostics": [...]}`.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            errors: usize,
            warnings: usize,
            diagnostics: &'a [Diagnostic],
        }
        let json = Json {
            errors: self.errors(),
            warnings: self.warnings(),
            diagnostics: &self.diagnostics,
        };
        serde_json::to_string_pretty(&json).expect("diagnostics serialise")
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Checks the site at `root`. Content and configuration problems are in the
/// report; only I/O failures (and a missing `casebook.yaml`) are errors.
pub fn check(root: &Path) -> Result<CheckReport> {
    let found = content::discover(root)?;
    let mut report = CheckReport {
        cases: found.cases.len(),
        pages: found.pages.len(),
        ..CheckReport::default()
    };
    let loaded = match Portal::load(root, None) {
        Ok(loaded) => loaded,
        Err(Error::Content(problems)) => {
            report.diagnostics = problems;
            diagnostics::sort(&mut report.diagnostics);
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    let Loaded {
        portal,
        mut diagnostics,
    } = loaded;
    let (theme, theme_problems) = load_theme(root)?;
    let statics = theme.as_ref().map(Theme::static_names).unwrap_or_default();
    let urls = UrlTable::new(&portal, &statics);
    let mut targets = targets::Targets::new(&urls, &portal.content);
    let sources = found.cases.iter().chain(&found.pages);
    targets.add_sources(&root.join(content::discover::CONTENT_DIR), sources);
    let documents = references::documents(&portal.content, references::Scope::All);
    let links = references::check_documents(root, &documents, &targets)?;
    report.references = links.checked;
    diagnostics.extend(shadowing_assets(root, &portal.content, &targets));
    let intro = references::check_intro(root, &portal.config.intro, &targets)?;
    report.references += intro.checked;
    diagnostics.extend(intro.problems);
    diagnostics.extend(theme_problems);
    diagnostics.extend(links.problems);
    if let Some(theme) = &theme {
        diagnostics.extend(render_problems(&portal, &urls, theme)?);
    }
    diagnostics::sort(&mut diagnostics);
    report.diagnostics = diagnostics;
    Ok(report)
}

/// What would make the site about to be built broken: links and images
/// that lead nowhere (errors; missing anchors are warnings), and files
/// under `content/` that would replace a page or file the build writes.
///
/// `build` runs this before writing anything, so such a site is never
/// published. Only documents that may link inside the site are read again
/// (see [`references::Scope`]).
pub fn publish_problems(portal: &Portal, urls: &UrlTable) -> Result<Vec<Diagnostic>> {
    let root = &portal.root;
    let targets = targets::Targets::new(urls, &portal.content);
    let mut problems = shadowing_assets(root, &portal.content, &targets);
    problems.extend(references::check_intro(root, &portal.config.intro, &targets)?.problems);
    let documents = references::documents(&portal.content, references::Scope::MayLinkLocally);
    if !documents.is_empty() {
        problems.extend(references::check_documents(root, &documents, &targets)?.problems);
    }
    Ok(problems)
}

/// Files under `content/` that would be copied over something the build
/// writes (`content/case-studies/x/index.html` over the page of case study
/// `x`): the copy would win, silently.
fn shadowing_assets(
    root: &Path,
    content: &content::Content,
    targets: &targets::Targets,
) -> Vec<Diagnostic> {
    content
        .assets
        .iter()
        .filter_map(|(from, rel)| {
            let why = targets.taken(rel)?;
            let source = from.strip_prefix(root).unwrap_or(from);
            let d = Diagnostic::error(source, why)
                .help("rename or move it; Casebook generates that path itself");
            Some(d)
        })
        .collect()
}

/// The broken links and images of one case study edited in place (`serve`),
/// against the site as built: an edit that keeps its URL and terms changes
/// no other target.
pub fn broken_references_of(
    portal: &Portal,
    urls: &UrlTable,
    case: &content::CaseStudy,
) -> Result<Vec<Diagnostic>> {
    let targets = targets::Targets::new(urls, &portal.content);
    let document = references::case_document(case);
    Ok(references::check_documents(&portal.root, &[document], &targets)?.problems)
}

/// The theme, or the template problem that would stop the build.
fn load_theme(root: &Path) -> Result<(Option<Theme>, Vec<Diagnostic>)> {
    match Theme::load(root) {
        Ok(theme) => Ok((Some(theme), Vec::new())),
        Err(Error::Template(message)) => Ok((None, vec![template_problem(&message)])),
        // Theme files linked from outside the site: `prepare` reported them.
        Err(Error::Content(_)) => Ok((None, Vec::new())),
        Err(e) => Err(e),
    }
}

fn template_problem(message: &str) -> Diagnostic {
    Diagnostic::error(THEME_DIR, format!("template error: {message}"))
}

/// Renders every page and writes none: a template can parse and still
/// fail on the data of some page (a variable it expects and the page lacks),
/// which stops a build, so `check` must meet it too.
fn render_problems(portal: &Portal, urls: &UrlTable, theme: &Theme) -> Result<Vec<Diagnostic>> {
    let rendered = render::Site::new(portal, urls, theme, false).and_then(|site| {
        let analyzer = search::Analyzer::default();
        render::render_all(&site, &output::Discard, &analyzer)
    });
    match rendered {
        Ok(_) => Ok(Vec::new()),
        Err(Error::Template(message)) => Ok(vec![template_problem(&message)]),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_in_words() {
        let mut report = CheckReport {
            cases: 16,
            pages: 1,
            ..CheckReport::default()
        };
        report.diagnostics.push(Diagnostic::warning("a.md", "w"));
        assert_eq!(
            report.summary(),
            "checked 16 case studies, 1 page: 0 errors, 1 warning"
        );
        assert!(report.passes(false) && !report.passes(true));
    }
}
