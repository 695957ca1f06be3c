//! The preview's memory: the last good build, and how a change updates it.
//!
//! A change to the case studies (an edit, a new, deleted or renamed file)
//! is applied incrementally: the changed files are read again, the portal
//! classified again, the URL table and the links checked again, and then
//! only the pages whose fingerprint moved are rendered
//! ([`render::fingerprint`]); pages no longer published are removed. The
//! search data and open data follow once editing pauses. Anything else
//! (the config, the theme, a standalone page, an asset) rebuilds the site.
//! Both paths give the bytes a fresh build gives (`tests/soak.rs`).

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::content::{self, CaseStudy, Content, Discovered};
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::links::file_for;
use crate::output::{LiveDir, Recording};
use crate::portal::Portal;
use crate::references::{self, Scope};
use crate::render::fingerprint::{self, CaseRead, Fingerprint};
use crate::render::{self, Site};
use crate::taxonomy::{self, CaseId, Taxonomy};
use crate::templates::Theme;
use crate::urls::{Published, UrlTable};
use crate::{build_kept, catalogue, search, BuildOptions, Built};

use super::watch::Change;

/// The last good site, served from `out`, and what an update compares.
#[derive(Debug)]
pub(super) struct State {
    built: Built,
    /// The fingerprint of each page written, by URL.
    pages: HashMap<String, Fingerprint>,
    /// The fingerprints of the files that are not pages (feed, sitemap...).
    site_files: fingerprint::SiteFiles,
    /// The fingerprint of each case study's card (`built.derived` holds
    /// the cards), so that an update reuses the cards that did not change.
    card_prints: Vec<u64>,
    /// Each case study as read, by source.
    cases: HashMap<PathBuf, CaseRead>,
    out: LiveDir,
    base_url: String,
    /// Whether pages changed since the search data was last written.
    search_stale: bool,
    /// Set when an update failed half-way: the next change rebuilds.
    broken: bool,
}

/// What applying a change did.
#[derive(Debug, Default)]
pub(super) struct Applied {
    /// Pages written.
    pub(super) pages: usize,
    /// Whether only what the change touched was done again.
    pub(super) incremental: bool,
    /// Warnings.
    pub(super) warnings: Vec<Diagnostic>,
    /// Time per step of an incremental update, in order (`serve --verbose`
    /// prints them: the figures the README's serve profile quotes).
    pub(super) steps: Vec<(&'static str, Duration)>,
}

/// Measures the steps of an update, each from the end of the one before.
#[derive(Debug)]
struct Laps {
    last: Instant,
    steps: Vec<(&'static str, Duration)>,
}

impl Laps {
    fn start() -> Laps {
        Laps {
            last: Instant::now(),
            steps: Vec::new(),
        }
    }

    /// Ends step `name`.
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.steps.push((name, now - self.last));
        self.last = now;
    }
}

impl State {
    /// A full build into `out`.
    pub(super) fn build(
        root: &Path,
        out: &Path,
        base_url: &str,
        drafts: bool,
    ) -> Result<(State, usize, Vec<Diagnostic>)> {
        let options = BuildOptions {
            root: root.to_path_buf(),
            output: Some(out.to_path_buf()),
            base_url: Some(base_url.to_string()),
            live_reload: true,
            drafts,
        };
        let (report, built) = build_kept(&options)?;
        let state = State::remember(built, out, base_url);
        Ok((state, report.pages, report.warnings))
    }

    /// The memory of a full build: fingerprints of what it wrote.
    fn remember(mut built: Built, out: &Path, base_url: &str) -> State {
        let derived = std::mem::take(&mut built.derived);
        let site = Site::with_derived(&built.portal, &built.urls, &built.theme, derived);
        let cases = &built.portal.content.cases;
        let reads: Vec<CaseRead> = cases.par_iter().map(fingerprint::case).collect();
        let card_prints: Vec<u64> = (0..cases.len() as u32)
            .into_par_iter()
            .map(|id| fingerprint::card(&site, id))
            .collect();
        let prints = fingerprint::pages(&site, &card_prints, &reads);
        let pages = (built.urls.pages.iter().map(|p| p.url.clone()))
            .zip(prints)
            .collect();
        let sources = cases.iter().map(|c| c.source.clone());
        let cases = sources.zip(reads).collect();
        let site_files = fingerprint::site_files(&site);
        built.derived = site.into_derived();
        State {
            cases,
            built,
            pages,
            site_files,
            card_prints,
            out: LiveDir {
                dir: out.to_path_buf(),
            },
            base_url: base_url.to_string(),
            search_stale: false,
            broken: false,
        }
    }

    /// Brings the served site up to date with a change.
    pub(super) fn apply(&mut self, root: &Path, change: &Change) -> Result<Applied> {
        // The incremental path knows one edition; a portal of several
        // languages is rebuilt whole (each edition reads every other's pages).
        let incremental = !self.broken && !self.built.portal.config.is_multilingual();
        let update = match change {
            Change::Content(paths) if incremental => self.update(root, paths),
            _ => Ok(None),
        };
        match update {
            Ok(Some(applied)) => Ok(applied),
            Ok(None) => self.rebuild(root),
            Err(e) => {
                self.broken = true;
                Err(e)
            }
        }
    }

    fn rebuild(&mut self, root: &Path) -> Result<Applied> {
        let drafts = self.built.portal.drafts;
        let (state, pages, warnings) = State::build(root, &self.out.dir, &self.base_url, drafts)?;
        *self = state;
        Ok(Applied {
            pages,
            warnings,
            ..Applied::default()
        })
    }

    /// Applies an edit of the case studies; `None` when only a rebuild can
    /// (a file of another kind came or went, a link leads outside the site).
    fn update(&mut self, root: &Path, paths: &[PathBuf]) -> Result<Option<Applied>> {
        let mut laps = Laps::start();
        let found = content::discover(root)?;
        if !found.outside.is_empty() || !self.same_assets(&found) {
            return Ok(None);
        }
        let changed = with_linked(paths, &found.linked);
        laps.lap("discover the files");
        if let Some(edits) = self.text_edits(root, &found, &changed) {
            laps.lap("read the edited files");
            return self.render_text_edits(edits, laps).map(Some);
        }
        laps.lap("read the edited files");
        let (content, before, mut warnings) = self.reload(root, &found, &changed)?;
        laps.lap("re-read the content");
        let taxonomy = self.built.portal.set_content(content);
        laps.lap("classify");
        let b = &self.built;
        // Independent, so side by side: the related case studies need
        // neither the URL table nor the links.
        let (planned, related) = rayon::join(
            || plan(&b.portal, &b.theme),
            || before.related_now(&b.portal, &taxonomy, b.derived.related()),
        );
        let (urls, problems) = planned?;
        self.built.urls = urls;
        warnings.extend(problems);
        laps.lap("URL table, links, related case studies");
        let pages = self.render_changes(related, &mut laps)?;
        Ok(Some(Applied {
            pages,
            incremental: true,
            warnings,
            steps: laps.steps,
        }))
    }

    /// The content with the `changed` files (absolute paths) read again,
    /// what the update needs to know of it before, and its warnings; an
    /// error if a file has one. Keeps `self.cases` in step.
    fn reload(
        &mut self,
        root: &Path,
        found: &Discovered,
        changed: &[PathBuf],
    ) -> Result<(Content, Before, Vec<Diagnostic>)> {
        let changed_sources: HashSet<&Path> = (changed.iter())
            .map(|p| p.strip_prefix(root).unwrap_or(p))
            .collect();
        let is_changed = |source: &Path| changed_sources.contains(source);
        let previous = std::mem::take(&mut self.built.portal.content);
        let before = Before {
            sources: previous.cases.iter().map(|c| c.source.clone()).collect(),
            edited: (previous.cases.iter())
                .filter(|case| is_changed(&case.source))
                .map(|case| (case.source.clone(), case.clone()))
                .collect(),
        };
        let schema = &self.built.portal.schema;
        let loaded = content::reload(root, schema, found, previous, changed);
        if loaded.diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Content(loaded.diagnostics));
        }
        self.remember_reads(&loaded.content, &is_changed);
        Ok((loaded.content, before, loaded.diagnostics))
    }

    /// Brings `self.cases` up to date with `content`: the changed and new
    /// case studies as read now, the gone ones forgotten, the others kept
    /// (hashing 10,000 case studies again would take longer than the rest
    /// of an edit's reading).
    fn remember_reads(&mut self, content: &Content, is_changed: &dyn Fn(&Path) -> bool) {
        for case in &content.cases {
            if is_changed(&case.source) || !self.cases.contains_key(&case.source) {
                self.cases
                    .insert(case.source.clone(), fingerprint::case(case));
            }
        }
        // Every case study of `content` is known now: more means some went.
        if self.cases.len() != content.cases.len() {
            let now: HashSet<&Path> = (content.cases.iter()).map(|c| c.source.as_path()).collect();
            self.cases
                .retain(|source, _| now.contains(source.as_path()));
        }
    }

    /// Whether `content/` holds the same files besides case studies as the
    /// site built: a folder made with files in it, or renamed, is reported
    /// alone, without them.
    fn same_assets(&self, found: &Discovered) -> bool {
        let known = self.built.portal.content.assets.iter().map(|(p, _)| p);
        found.assets.iter().eq(known)
    }

    /// Renders the pages whose fingerprint moved and the site files,
    /// removes the pages no longer published; returns how many were written.
    fn render_changes(&mut self, related: Vec<Vec<u32>>, laps: &mut Laps) -> Result<usize> {
        let b = &mut self.built;
        let cards = std::mem::take(&mut b.derived).into_cards();
        let known = std::mem::take(&mut self.card_prints)
            .into_iter()
            .zip(cards)
            .collect();
        let (site, card_prints) =
            Site::reusing(&b.portal, &b.urls, &b.theme, true, known, Some(related))?;
        laps.lap("cards");
        let reads = reads_by_id(&self.cases, &b.portal);
        let prints = fingerprint::pages(&site, &card_prints, &reads);
        laps.lap("page fingerprints");
        let stale: Vec<&Published> = (b.urls.pages.iter().zip(&prints))
            .filter(|(page, print)| print.is_none() || self.pages.get(&page.url) != Some(print))
            .map(|(page, _)| page)
            .collect();
        // Their search data is discarded: the index is made afresh once
        // editing pauses (see `refresh_search`).
        render::render_pages(&site, &self.out, &b.analyzer, &stale)?;
        laps.lap("render pages");
        let written = stale.len() + write_site_files(&site, &self.out, &mut self.site_files)?;
        laps.lap("feed, sitemap, 404");
        for gone in self.pages.keys().filter(|url| !b.urls.has_page(url)) {
            self.out.remove(&file_for(gone))?;
        }
        self.pages = (b.urls.pages.iter().map(|p| p.url.clone()))
            .zip(prints)
            .collect();
        self.card_prints = card_prints;
        b.derived = site.into_derived();
        self.search_stale = true;
        laps.lap("remember");
        Ok(written)
    }

    /// The edited case studies, re-read, when the edit moves none of them
    /// (same files, and each keeps its URL, date, series and terms): then
    /// no listing, term or relation changes, only what shows their text.
    fn text_edits(
        &self,
        root: &Path,
        found: &Discovered,
        changed: &[PathBuf],
    ) -> Option<Vec<(u32, CaseStudy)>> {
        let cases = &self.built.portal.content.cases;
        let same_files = found.cases.len() == cases.len()
            && found
                .cases
                .iter()
                .all(|p| self.cases.contains_key(p.strip_prefix(root).unwrap_or(p)));
        if !same_files {
            return None;
        }
        let schema = &self.built.portal.schema;
        let mut edits = Vec::new();
        for path in changed {
            let rel = path.strip_prefix(root).unwrap_or(path);
            let id = cases.iter().position(|c| c.source == rel)?;
            match content::load_case(root, schema, path) {
                (Some(case), problems)
                    if problems.is_empty() && moves_nothing(&cases[id], &case) =>
                {
                    edits.push((id as u32, case))
                }
                _ => return None,
            }
        }
        Some(edits)
    }

    /// Applies edits that move nothing: the edited case studies' pages and
    /// cards, and the pages showing those cards, rendered again.
    fn render_text_edits(
        &mut self,
        edits: Vec<(u32, CaseStudy)>,
        mut laps: Laps,
    ) -> Result<Applied> {
        let mut warnings = Vec::new();
        for (_, case) in &edits {
            if references::case_may_link_locally(case) {
                warnings.extend(references::of_case(
                    &self.built.portal,
                    &self.built.urls,
                    case,
                )?);
            }
        }
        if warnings.iter().any(Diagnostic::is_error) {
            return Err(Error::Content(warnings));
        }
        let b = &mut self.built;
        for (id, case) in &edits {
            self.cases
                .insert(case.source.clone(), fingerprint::case(case));
            b.portal.content.cases[*id as usize] = case.clone();
        }
        let derived = std::mem::take(&mut b.derived);
        let mut site = Site::with_derived(&b.portal, &b.urls, &b.theme, derived);
        let ids: Vec<u32> = edits.iter().map(|(id, _)| *id).collect();
        for &id in &ids {
            site.cards[id as usize] = site.render_card(id)?;
            self.card_prints[id as usize] = fingerprint::card(&site, id);
        }
        let shown: Vec<&Published> = (b.urls.pages.iter())
            .filter(|page| render::shows_any(&site, page, &ids))
            .collect();
        let reads = reads_by_id(&self.cases, &b.portal);
        let prints = fingerprint::some(&site, &self.card_prints, &reads, &shown);
        render::render_pages(&site, &self.out, &b.analyzer, &shown)?;
        let pages = shown.len() + write_site_files(&site, &self.out, &mut self.site_files)?;
        for (page, print) in shown.iter().zip(prints) {
            self.pages.insert(page.url.clone(), print);
        }
        b.derived = site.into_derived();
        self.search_stale = true;
        laps.lap("render pages");
        Ok(Applied {
            pages,
            incremental: true,
            warnings,
            steps: laps.steps,
        })
    }

    /// After an update: the search data and open data, which readers of the
    /// page just reloaded do not wait for. The index is made as a build
    /// makes it, from every case study's text analysed afresh: the analyzer
    /// the edits went through still knows every word ever typed, and the
    /// index would list them all. Data files no longer written are removed.
    ///
    /// Analysing 10,000 case studies takes seconds of CPU: once `stop` is
    /// raised (a file changed) it gives up, returning false, so that the
    /// edit is not held up; the search data is refreshed at the next pause.
    pub(super) fn refresh_search(&mut self, stop: &AtomicBool) -> Result<bool> {
        if !self.search_stale {
            return Ok(true);
        }
        let b = &mut self.built;
        let derived = std::mem::take(&mut b.derived);
        let site = Site::with_derived(&b.portal, &b.urls, &b.theme, derived);
        let analyzer = search::Analyzer::default();
        let docs = render::analyse_all(&site, &analyzer, stop);
        b.derived = site.into_derived();
        let Some(docs) = docs else {
            return Ok(false);
        };
        self.search_stale = false;
        let recorded = Recording::new(&self.out);
        search::write(&b.portal, b.theme.strings(), &analyzer, &docs, &recorded)?;
        let written: HashSet<String> = recorded.written.into_inner().unwrap_or_default();
        for folder in ["docs", "index"] {
            let folder = format!("{}/{folder}", search::DATA_DIR);
            self.out.keep_only(&folder, &written)?;
        }
        catalogue::write(&b.portal, b.theme.strings(), &self.out)?;
        b.analyzer = analyzer;
        Ok(true)
    }
}

/// What an update keeps of the site before the edit, to find each case
/// study's related ones again only where the edit may have changed them.
struct Before {
    /// Source of each case study, by id.
    sources: Vec<PathBuf>,
    /// The edited case studies as they were, by source.
    edited: HashMap<PathBuf, CaseStudy>,
}

impl Before {
    /// The related case studies of each case study of `portal` (the site
    /// after the edit of `edited`; before it, `taxonomy` and `related`, by
    /// id): found again where the edit may have changed them
    /// ([`taxonomy::related_some`]), taken from before for the others. A
    /// new title, summary, text or slug finds nothing again.
    fn related_now(
        &self,
        portal: &Portal,
        taxonomy: &Taxonomy,
        related: &[Vec<CaseId>],
    ) -> Vec<Vec<CaseId>> {
        let cases = &portal.content.cases;
        // Keyed by the path's bytes: hashing a `Path` walks its components.
        let new_ids: FxHashMap<&OsStr, CaseId> = (cases.iter().enumerate())
            .map(|(id, c)| (c.source.as_os_str(), id as CaseId))
            .collect();
        let old_ids: FxHashMap<&OsStr, CaseId> = (self.sources.iter().enumerate())
            .map(|(id, s)| (s.as_os_str(), id as CaseId))
            .collect();
        let moved = self.moved(portal, taxonomy, &old_ids, &new_ids);
        let kept = |id: CaseId| {
            let old = old_ids[cases[id as usize].source.as_os_str()];
            (related[old as usize].iter())
                .filter_map(|&o| new_ids.get(self.sources[o as usize].as_os_str()).copied())
                .collect()
        };
        let count = cases.len();
        taxonomy::related_some(&portal.taxonomy, count, render::RELATED, &moved, &kept)
    }

    /// What the edit moved: the case studies new, gone, or edited in a way
    /// that can move them in a ranking ([`ranks_alike`]), the terms they
    /// joined or left, and the terms holding those that changed places
    /// (new, gone, or with a new date: their id follows it). A case study
    /// only retagged keeps its place: only those sharing a term it joined
    /// or left can rank it otherwise.
    fn moved(
        &self,
        portal: &Portal,
        taxonomy: &Taxonomy,
        old_ids: &FxHashMap<&OsStr, CaseId>,
        new_ids: &FxHashMap<&OsStr, CaseId>,
    ) -> taxonomy::Moved {
        let cases = &portal.content.cases;
        let edited = (self.edited.iter()).filter_map(|(source, old)| {
            let new = &cases[*new_ids.get(source.as_os_str())? as usize];
            let placed = old.meta.date != new.meta.date;
            (!ranks_alike(old, new)).then_some((source.as_os_str(), placed))
        });
        let gone = (old_ids.keys()).filter(|s| !new_ids.contains_key(*s));
        let new = (new_ids.keys()).filter(|s| !old_ids.contains_key(*s));
        let came_or_went = gone.chain(new).map(|&s| (s, true));
        let sources: Vec<(&OsStr, bool)> = edited.chain(came_or_went).collect();
        let (mut changed, mut holding) = (HashSet::new(), HashSet::new());
        let mut moved_cases = vec![false; cases.len()];
        for (source, placed) in sources {
            let old = holding_of(taxonomy, old_ids, source);
            let new = holding_of(&portal.taxonomy, new_ids, source);
            changed.extend(old.symmetric_difference(&new).copied());
            if placed {
                holding.extend(old.into_iter().chain(new));
            }
            if let Some(&id) = new_ids.get(source) {
                moved_cases[id as usize] = true;
            }
        }
        taxonomy::Moved {
            cases: moved_cases,
            changed: taxonomy::term_mask(&portal.taxonomy, &changed),
            holding: taxonomy::term_mask(&portal.taxonomy, &holding),
        }
    }
}

/// The terms holding the case study at `source` in `taxonomy` (whose ids
/// are `ids`), if it has it (see [`taxonomy::terms_holding`]).
fn holding_of<'t>(
    taxonomy: &'t Taxonomy,
    ids: &FxHashMap<&OsStr, CaseId>,
    source: &OsStr,
) -> HashSet<(&'t str, &'t str)> {
    (ids.get(source)).map_or_else(HashSet::new, |&id| taxonomy::terms_holding(taxonomy, id))
}

/// The URL table of `portal` and the warnings of its links; an error if a
/// link or image leads nowhere.
fn plan(portal: &Portal, theme: &Theme) -> Result<(UrlTable, Vec<Diagnostic>)> {
    let urls = UrlTable::new(portal, &theme.static_names());
    let links = references::check(portal, &urls, Scope::MayLinkLocally, &[])?;
    if links.problems.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(links.problems));
    }
    Ok((urls, links.problems))
}

/// Writes the site files whose fingerprint moved from `known`, which it
/// updates; returns how many pages that was (1 with the 404 page, else 0).
fn write_site_files(
    site: &Site<'_>,
    out: &LiveDir,
    known: &mut fingerprint::SiteFiles,
) -> Result<usize> {
    let now = fingerprint::site_files(site);
    render::render_changed_site_files(site, out, known, &now)?;
    let not_found = usize::from(now.shell != known.shell);
    *known = now;
    Ok(not_found)
}

/// Each case study of `portal` as read (`cases`, by source), by id.
fn reads_by_id(cases: &HashMap<PathBuf, CaseRead>, portal: &Portal) -> Vec<CaseRead> {
    (portal.content.cases.iter())
        .map(|case| cases[&case.source])
        .collect()
}

/// Whether a case study ranks among related ones as it did: the ranking
/// reads its terms, and its id, which follows its date (then its file).
fn ranks_alike(old: &CaseStudy, new: &CaseStudy) -> bool {
    old.meta.date == new.meta.date && old.facets == new.facets
}

/// An edit that keeps the case study's place: same URL, date, series,
/// terms and review status (a case study leaving the published ones, when
/// drafts are not shown, leaves every listing).
fn moves_nothing(old: &CaseStudy, new: &CaseStudy) -> bool {
    old.url == new.url
        && old.meta.status == new.meta.status
        && old.meta.date == new.meta.date
        && old.meta.series == new.meta.series
        && old.meta.number == new.meta.number
        && old.facets == new.facets
}

/// The edited files, with every case study that is one of them under
/// another name (through a symbolic link), and the file behind an edited
/// link: each is a case study of its own, changed as much.
fn with_linked(paths: &[PathBuf], linked: &[PathBuf]) -> Vec<PathBuf> {
    let mut all = paths.to_vec();
    if linked.is_empty() {
        return all;
    }
    let real: Vec<PathBuf> = paths.iter().filter_map(|p| p.canonicalize().ok()).collect();
    for link in linked {
        let Ok(target) = link.canonicalize() else {
            continue;
        };
        if paths.contains(link) || real.contains(&target) {
            all.extend([link.clone(), target]);
        }
    }
    all.sort();
    all.dedup();
    all
}
