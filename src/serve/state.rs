//! The preview's memory: the last good build, and how a change updates it.

use std::path::{Path, PathBuf};

use crate::content::case_study::parse_case;
use crate::content::CaseStudy;
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::output::LiveDir;
use crate::render::{self, Site};
use crate::{build_kept, catalogue, search, BuildOptions, Built};

use super::watch::Change;

/// The last good site, served from `out`.
#[derive(Debug)]
pub(super) struct State {
    built: Built,
    out: PathBuf,
    base_url: String,
    /// Whether case studies were edited since the search index was last
    /// written (their pages and result fragments are written at once).
    search_stale: bool,
}

/// A re-read case study: its index, its new content, its warnings.
type TextEdit = (usize, CaseStudy, Vec<Diagnostic>);

/// Pages written, whether the update was incremental, warnings.
pub(super) type Applied = (usize, bool, Vec<Diagnostic>);

impl State {
    /// A full build into `out`.
    pub(super) fn build(
        root: &Path,
        out: &Path,
        base_url: &str,
    ) -> Result<(State, usize, Vec<Diagnostic>)> {
        let options = BuildOptions {
            root: root.to_path_buf(),
            output: Some(out.to_path_buf()),
            base_url: Some(base_url.to_string()),
            live_reload: true,
        };
        let (report, built) = build_kept(&options)?;
        Ok((
            State {
                built,
                out: out.to_path_buf(),
                base_url: base_url.to_string(),
                search_stale: false,
            },
            report.pages,
            report.warnings,
        ))
    }

    /// Brings the served site up to date with a change.
    pub(super) fn apply(&mut self, root: &Path, change: &Change) -> Result<Applied> {
        let edits = match change {
            Change::Content(paths) => self.text_edits(root, paths)?,
            Change::Structure => None,
        };
        match edits {
            Some(edits) => self.render_edits(edits),
            None => {
                let (state, pages, warnings) = State::build(root, &self.out, &self.base_url)?;
                *self = state;
                Ok((pages, false, warnings))
            }
        }
    }

    /// Re-reads changed case studies. `Some` when every change only edits
    /// text (same URL, date, series and terms); `None` when a rebuild is needed.
    fn text_edits(&self, root: &Path, paths: &[PathBuf]) -> Result<Option<Vec<TextEdit>>> {
        let found = crate::content::discover(root)?;
        if !found.outside.is_empty() {
            return Ok(None); // the full build reports the links
        }
        let known: Vec<&Path> = self
            .built
            .portal
            .content
            .cases
            .iter()
            .map(|c| c.source.as_path())
            .collect();
        let mut now: Vec<PathBuf> = found
            .cases
            .iter()
            .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
            .collect();
        now.sort();
        let mut known_sorted = known.clone();
        known_sorted.sort();
        if now.iter().map(PathBuf::as_path).ne(known_sorted) {
            return Ok(None); // files came, went or moved
        }
        let schema = &self.built.portal.schema;
        let mut edits = Vec::new();
        let mut problems = Vec::new();
        for path in paths {
            let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            let Some(id) = self
                .built
                .portal
                .content
                .cases
                .iter()
                .position(|c| c.source == rel)
            else {
                return Ok(None);
            };
            let Ok(text) = std::fs::read_to_string(path) else {
                return Ok(None);
            };
            let dir = self.built.portal.content.cases[id].dir.clone();
            match parse_case(schema, &rel, &dir, &text) {
                (Some(case), mut warnings)
                    if moves_nothing(&self.built.portal.content.cases[id], &case) =>
                {
                    warnings.extend(crate::content::invisible_in_body(&rel, &text, &case.body));
                    let (mut errors, mut links) = self.links_of(&case)?;
                    if errors.is_empty() {
                        warnings.append(&mut links);
                        edits.push((id, case, warnings))
                    } else {
                        problems.append(&mut errors);
                    }
                }
                (Some(_), _) => return Ok(None),
                (None, mut diagnostics) => problems.append(&mut diagnostics),
            }
        }
        if problems.is_empty() {
            Ok(Some(edits))
        } else {
            Err(Error::Content(problems))
        }
    }

    /// The broken links of an edited case study, as (errors, warnings):
    /// the preview refuses a broken internal link as `build` does.
    fn links_of(&self, case: &CaseStudy) -> Result<(Vec<Diagnostic>, Vec<Diagnostic>)> {
        if !crate::references::case_may_link_locally(case) {
            return Ok((Vec::new(), Vec::new()));
        }
        let b = &self.built;
        let problems = crate::references::of_case(&b.portal, &b.urls, case)?;
        Ok(problems.into_iter().partition(|d| d.is_error()))
    }

    fn render_edits(&mut self, edits: Vec<TextEdit>) -> Result<Applied> {
        let mut warnings = Vec::new();
        let ids: Vec<u32> = edits.iter().map(|(id, _, _)| *id as u32).collect();
        self.search_stale = true;
        for (id, case, mut w) in edits {
            self.built.portal.content.cases[id] = case;
            warnings.append(&mut w);
        }
        let out = LiveDir {
            dir: self.out.clone(),
        };
        let mut pages = 0;
        let b = &mut self.built;
        let derived = std::mem::take(&mut b.derived);
        let mut site = Site::with_derived(&b.portal, &b.urls, &b.theme, derived);
        let mut result = Ok(());
        for id in ids {
            match render::render_edit(&mut site, &out, &b.analyzer, id) {
                Ok((n, doc)) => {
                    pages += n;
                    b.docs[id as usize] = doc;
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        b.derived = site.into_derived();
        result.map(|_| (pages, true, warnings))
    }

    /// After an incremental update: the search data and open data, which
    /// readers of the page just reloaded do not wait for.
    pub(super) fn refresh_search(&mut self) -> Result<()> {
        if !std::mem::take(&mut self.search_stale) {
            return Ok(());
        }
        let out = LiveDir {
            dir: self.out.clone(),
        };
        let b = &self.built;
        search::write(&b.portal, &b.analyzer, &b.docs, &out)?;
        catalogue::write(&b.portal, &out)
    }
}

/// An edit that keeps the case study's place: same URL, date, series and terms.
fn moves_nothing(old: &CaseStudy, new: &CaseStudy) -> bool {
    old.url == new.url
        && old.meta.date == new.meta.date
        && old.meta.series == new.meta.series
        && old.meta.number == new.meta.number
        && old.facets == new.facets
}
