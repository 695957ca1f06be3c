//! References: the relative links and images of every case study, page and
//! the home intro, resolved against what the build publishes.
//!
//! Stage input: the [`Portal`] and its [`UrlTable`]. Output: the problems
//! that would make the published site broken (a link or image leading
//! nowhere, an anchor missing, a file under `content/` that would replace a
//! page the build writes), each at the `file:line:column` of its source.
//! `build` runs it before writing anything, so a broken site is never
//! published; `check` runs it over every document; `serve` over an edited one.

mod documents;
mod targets;

pub use documents::{case_may_link_locally, Scope};

use std::path::{Path, PathBuf};

use crate::content::{self, CaseStudy};
use crate::diagnostics::Diagnostic;
use crate::error::Result;
use crate::portal::Portal;
use crate::urls::UrlTable;

use targets::Targets;

/// What the reference check found.
#[derive(Debug, Default)]
pub struct Checked {
    /// References resolved (internal links and images).
    pub checked: usize,
    /// Broken ones, and files that would replace a page.
    pub problems: Vec<Diagnostic>,
}

/// Checks the documents of `portal` in `scope` and the home intro.
/// `sources` are the Markdown files found under `content/`: those that did
/// not load have errors of their own, and links to them are not reported
/// again, but their own links and images are checked too, so that a file's
/// problems are all reported in one run.
pub fn check(
    portal: &Portal,
    urls: &UrlTable,
    scope: Scope,
    sources: &[PathBuf],
) -> Result<Checked> {
    let root = &portal.root;
    let mut targets = Targets::new(urls, &portal.content);
    targets.add_sources(&root.join(content::discover::CONTENT_DIR), sources.iter());
    let mut problems = shadowing_assets(root, &portal.content, &targets);
    let intro = documents::check_intro(portal, &targets)?;
    problems.extend(intro.problems);
    let unloaded = documents::unloaded(root, &targets.unloaded())?;
    let mut docs = documents::documents(&portal.content, scope);
    docs.extend(unloaded.iter().map(documents::Unloaded::document));
    let links = documents::check_documents(portal, &docs, &targets)?;
    problems.extend(links.problems);
    Ok(Checked {
        checked: intro.checked + links.checked,
        problems,
    })
}

/// The broken links and images of one case study edited in place (`serve`),
/// against the site as built: an edit that keeps its URL and terms changes
/// no other target.
pub fn of_case(portal: &Portal, urls: &UrlTable, case: &CaseStudy) -> Result<Vec<Diagnostic>> {
    let targets = Targets::new(urls, &portal.content);
    let document = documents::case_document(case);
    Ok(documents::check_documents(portal, &[document], &targets)?.problems)
}

/// Files under `content/` that would be copied over something the build
/// writes (`content/case-studies/x/index.html` over the page of case study
/// `x`): the copy would win, silently.
fn shadowing_assets(root: &Path, content: &content::Content, targets: &Targets) -> Vec<Diagnostic> {
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
