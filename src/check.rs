//! Check: everything `build` validates, plus internal links and images,
//! without writing anything.
//!
//! Input: a site folder. Output: a [`CheckReport`], every problem found as a
//! [`Diagnostic`]. It runs the build's own stages ([`Portal::load`], the
//! theme, the [`UrlTable`], [`references`] over every document, and the
//! render into a sink that discards), so editors and CI learn about a broken
//! link or a template that fails on some page, with its `file:line`, before
//! the portal is published, and a run never touches the output folder.

use std::path::Path;

use serde::Serialize;

use crate::content;
use crate::content::review::Unpublished;
use crate::diagnostics::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::portal::{Loaded, Portal};
use crate::references::{self, Scope};
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
    /// Valid case studies a build leaves out (drafts and those under
    /// review), by file: validated like the others, listed so that none is
    /// forgotten.
    pub unpublished: Vec<Unpublished>,
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

    /// The case studies a build leaves out, one line each, under a heading
    /// saying why; `None` when every valid case study is published.
    pub fn unpublished_list(&self) -> Option<String> {
        if self.unpublished.is_empty() {
            return None;
        }
        let mut text = format!(
            "{} not published (`build --drafts` and `serve` show them):",
            count(self.unpublished.len(), "case study is", "case studies are")
        );
        for u in &self.unpublished {
            let status = u.status.name();
            text.push_str(&format!("\n  {} ({status}): {}", u.path.display(), u.title));
        }
        Some(text)
    }

    /// One JSON document: `{"errors", "warnings", "diagnostics": [...],
    /// "unpublished": [{path, title, status}]}`.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            errors: usize,
            warnings: usize,
            diagnostics: &'a [Diagnostic],
            unpublished: &'a [Unpublished],
        }
        let json = Json {
            errors: self.errors(),
            warnings: self.warnings(),
            diagnostics: &self.diagnostics,
            unpublished: &self.unpublished,
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
    let loaded = match Portal::load(root, None, false) {
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
    report.unpublished = portal.content.unpublished.clone();
    let (theme, theme_problems) = load_theme(root, &crate::portal::languages(&portal.config))?;
    let statics = theme.as_ref().map(Theme::static_names).unwrap_or_default();
    let editions = crate::languages::editions(&portal)?;
    let urls: Vec<UrlTable> = (editions.iter())
        .map(|e| UrlTable::new(e.portal(), &statics))
        .collect();
    let sources: Vec<_> = found.cases.into_iter().chain(found.pages).collect();
    for (i, (edition, urls)) in editions.iter().zip(&urls).enumerate() {
        // Each file's own links are counted once, with the first edition.
        let sources = if i == 0 { &sources[..] } else { &[] };
        let links = references::check(edition.portal(), urls, Scope::All, sources)?;
        if i == 0 {
            report.references = links.checked;
        }
        diagnostics.extend(links.problems);
    }
    diagnostics.extend(theme_problems);
    let config_text = crate::fsio::read_to_string(&root.join(crate::config::CONFIG_FILE))?;
    diagnostics.extend(crate::languages::misspelt_labels(&portal, &config_text));
    if let Some(theme) = &theme {
        diagnostics.extend(render_problems(&editions, &urls, theme)?);
    }
    diagnostics::sort(&mut diagnostics);
    diagnostics.dedup();
    report.diagnostics = diagnostics;
    Ok(report)
}

/// The theme, or the template problem that would stop the build.
fn load_theme(root: &Path, languages: &[String]) -> Result<(Option<Theme>, Vec<Diagnostic>)> {
    match Theme::load(root, languages) {
        Ok(theme) => Ok((Some(theme), Vec::new())),
        Err(Error::Template(message)) => Ok((None, vec![template_problem(&message)])),
        // Theme files linked from outside the site, translation files that
        // cannot be read: `Portal::load` reported them.
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
fn render_problems(
    editions: &[crate::languages::Edition<'_>],
    urls: &[UrlTable],
    theme: &Theme,
) -> Result<Vec<Diagnostic>> {
    let alternates = crate::languages::Alternates::new(editions, urls);
    let rendered = (0..editions.len()).try_for_each(|i| {
        let site = render::Site::of_edition(editions, i, urls, theme, &alternates, false)?;
        let analyzer = search::Analyzer::default();
        render::render_all(&site, &output::Discard, &analyzer).map(|_| ())
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

    #[test]
    fn unpublished_case_studies_are_listed_with_their_status() {
        use crate::content::review::Status;
        let mut report = CheckReport::default();
        assert_eq!(report.unpublished_list(), None);
        report.unpublished.push(Unpublished {
            path: "content/case-studies/a.md".into(),
            title: "A practice".into(),
            status: Status::Review,
        });
        assert_eq!(
            report.unpublished_list().as_deref(),
            Some(
                "1 case study is not published (`build --drafts` and `serve` show them):\n  \
                 content/case-studies/a.md (review): A practice"
            )
        );
    }
}
