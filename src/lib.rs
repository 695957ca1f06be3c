//! Casebook turns a folder of Markdown case studies into a static portal of
//! good practices: browsable by every level of every facet, searchable, and
//! publishable on any static host.
//!
//! The build is one pipeline of stages, each a function from typed input to
//! typed output, all called from [`build_observed`] in this order:
//!
//! 1. **load** ([`portal`]): `casebook.yaml` ([`config`]), the vocabularies
//!    ([`vocabulary`]), the content (discovered, front matter read and
//!    validated: [`content`]) and its taxonomy ([`taxonomy`]) → [`Portal`]
//! 2. **plan**: the theme ([`templates`]), every page and file to publish
//!    ([`urls`]), and every relative link and image checked against them
//!    ([`references`]); any error stops the build before anything is written
//! 3. **render** ([`render`]): every page through the theme, Markdown by
//!    [`markdown`], each case study's text analysed for search in the same
//!    pass ([`search::Analyzer`]); the open data ([`catalogue`], with the
//!    coverage gaps of [`gaps`]) alongside
//! 4. **search** ([`search`]): result fragments, the full-text index and the
//!    facet catalogue, from the analysed text
//! 5. **publish** ([`output`]): theme assets and content files copied, then
//!    the staging folder swapped in; [`output`] is the only writer
//!
//! `check` runs stages 1–3 into a sink that keeps nothing; `serve` keeps
//! what the stages built and re-runs what an edit touches. Content problems
//! never stop a stage early: they are collected as
//! [`diagnostics::Diagnostic`]s and reported together.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod catalogue;
pub mod cells;
pub mod check;
pub mod citation;
pub mod config;
pub mod confine;
pub mod content;
pub mod diagnostics;
pub mod error;
pub mod fsio;
pub mod gaps;
pub mod i18n;
pub mod import;
pub mod languages;
pub mod links;
pub mod markdown;
pub mod output;
pub mod portal;
pub mod references;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod structured;
pub mod taxonomy;
pub mod templates;
pub mod text;
pub mod urls;
pub mod views;
pub mod vocabulary;
pub mod yaml;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use diagnostics::Diagnostic;
use error::{Error, Result};
use output::Sink;
pub use portal::{Loaded, Portal};

/// What a build is asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root (holds `casebook.yaml`).
    pub root: PathBuf,
    /// Output directory, overriding the config's `output_dir`.
    pub output: Option<PathBuf>,
    /// Base URL, overriding the config's `base_url`.
    pub base_url: Option<String>,
    /// Inject the live-reload script (serve mode).
    pub live_reload: bool,
    /// Publish draft case studies and those under review too, each page
    /// with a banner saying so (`build --drafts`, and `serve`).
    pub drafts: bool,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Case studies built (files: a case study and its translation are two).
    pub cases: usize,
    /// Languages the portal was published in.
    pub languages: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Where the site is.
    pub output: PathBuf,
    /// Warnings (the build succeeded regardless).
    pub warnings: Vec<Diagnostic>,
    /// Time per stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// A built site kept in memory: what `serve` holds between edits so that an
/// edit re-renders only what it touches.
#[derive(Debug)]
pub struct Built {
    /// The portal as read.
    pub portal: Portal,
    /// Templates.
    pub theme: templates::Theme,
    /// The pages published.
    pub urls: urls::UrlTable,
    /// Cards, related case studies and other derived values.
    pub derived: render::Derived,
    /// The full-text analyzer (its stem ids).
    pub analyzer: search::Analyzer,
    /// Per case study, its search data.
    pub docs: Vec<search::SearchDoc>,
}

/// Builds the site: every stage, then the atomic swap into the output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    build_kept(options).map(|(report, _)| report)
}

/// Builds the site and returns what was built, for `serve` to keep.
pub fn build_kept(options: &BuildOptions) -> Result<(BuildReport, Built)> {
    build_observed(options, &|_, _| {})
}

/// The build stages, in order, as [`build_observed`] reports them.
pub const STAGES: [&str; 5] = [
    "load: config, vocabularies, content, taxonomy, languages",
    "plan: theme, pages, links",
    "render pages (analyse text), catalogue",
    "search data",
    "publish: assets and swap",
];

/// Builds the site, calling `on_stage(index, name)` as each stage starts (for
/// a progress display: the library itself never prints).
pub fn build_observed(
    options: &BuildOptions,
    on_stage: &dyn Fn(usize, &'static str),
) -> Result<(BuildReport, Built)> {
    let mut clock = Clock::new(on_stage);
    let Loaded {
        portal,
        mut diagnostics,
    } = load(options)?;
    let editions = languages::editions(&portal)?;
    clock.next();
    let (theme, urls) = plan(&editions, &mut diagnostics)?;
    let staging = begin_output(&portal, options)?;
    clock.next();
    let themes = languages::Themes::new(&theme, &editions)?;
    let rendered = render_editions(&editions, &urls, &themes, &staging, options)?;
    clock.next();
    for (i, (edition, r)) in editions.iter().zip(&rendered).enumerate() {
        let strings = themes.of(i).strings();
        let out = edition.output(&staging);
        search::write(edition.portal(), strings, &r.analyzer, &r.docs, &out)?;
    }
    clock.next();
    copy_assets(&editions, &theme, &staging)?;
    let output = staging.target().to_path_buf();
    diagnostics.extend(staging.commit()?);
    clock.next();
    let report = BuildReport {
        cases: portal.content.cases.len(),
        languages: editions.len(),
        pages: rendered.iter().map(|r| r.stats.pages).sum(),
        output,
        warnings: diagnostics,
        timings: clock.finish(),
    };
    // `serve` keeps the default language's edition.
    let first = rendered.into_iter().next();
    let first = first.ok_or_else(|| Error::Internal("a portal without a language".into()))?;
    let edition = editions
        .into_iter()
        .next()
        .and_then(languages::Edition::into_portal);
    let built = Built {
        portal: edition.unwrap_or(portal),
        theme,
        urls: urls.into_iter().next().unwrap_or_default(),
        derived: first.derived,
        analyzer: first.analyzer,
        docs: first.docs,
    };
    Ok((report, built))
}

/// What stage 3 made of one edition, for the search stage and `serve`.
struct Rendered {
    stats: render::RenderStats,
    docs: Vec<search::SearchDoc>,
    analyzer: search::Analyzer,
    derived: render::Derived,
}

/// Stage 3: every edition's pages (its case studies' text analysed for
/// search on the way), and the open-data catalogue of every language beside
/// them: it needs no rendered page, so it fills the gaps of the render's
/// parallel loops instead of running alone after them.
fn render_editions(
    editions: &[languages::Edition<'_>],
    urls: &[urls::UrlTable],
    themes: &languages::Themes<'_>,
    staging: &output::Staging,
    options: &BuildOptions,
) -> Result<Vec<Rendered>> {
    let alternates = languages::Alternates::new(editions, urls);
    let render_one = |i: usize| {
        let live = options.live_reload;
        let theme = themes.of(i);
        let site = render::Site::of_edition(editions, i, urls, theme, &alternates, live)?;
        let analyzer = search::Analyzer::default();
        let (stats, docs) = render::render_all(&site, &editions[i].output(staging), &analyzer)?;
        let derived = site.into_derived();
        Ok(Rendered {
            stats,
            docs,
            analyzer,
            derived,
        })
    };
    let whole = editions[0].whole();
    let (rendered, catalogued) = rayon::join(
        || {
            (0..editions.len())
                .map(render_one)
                .collect::<Result<Vec<_>>>()
        },
        || catalogue::write(whole, themes.of(0).strings(), staging),
    );
    catalogued?;
    rendered
}

/// Stage 1: the portal and every problem of its files.
fn load(options: &BuildOptions) -> Result<Loaded> {
    Portal::load(&options.root, options.base_url.as_deref(), options.drafts)
}

/// Stage 2: the theme and the pages each edition publishes, refused if a
/// file has an error or a link or image leads nowhere (its warnings join
/// `diagnostics`). The links of files with errors, which the portal leaves
/// out, are checked too, so that one run reports every problem of every
/// file; a link in a case study shown in several editions is reported once.
fn plan(
    editions: &[languages::Edition<'_>],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(templates::Theme, Vec<urls::UrlTable>)> {
    let refuse = |diagnostics: &mut Vec<Diagnostic>| {
        diagnostics::sort(diagnostics);
        diagnostics.dedup();
        Err(Error::Content(std::mem::take(diagnostics)))
    };
    let invalid = diagnostics.iter().any(Diagnostic::is_error);
    let root = &editions[0].portal().root;
    let languages = portal::languages(&editions[0].whole().config);
    let theme = match templates::Theme::load(root, &languages) {
        Err(_) if invalid => return refuse(diagnostics),
        theme => theme?,
    };
    let sources = if invalid {
        let found = content::discover(root)?;
        found.cases.into_iter().chain(found.pages).collect()
    } else {
        Vec::new()
    };
    let mut tables = Vec::new();
    for (i, edition) in editions.iter().enumerate() {
        let portal = edition.portal();
        let urls = urls::UrlTable::new(portal, &theme.static_names());
        let sources = if i == 0 { &sources[..] } else { &[] };
        let links = references::check(portal, &urls, references::Scope::MayLinkLocally, sources)?;
        diagnostics.extend(links.problems);
        tables.push(urls);
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return refuse(diagnostics);
    }
    if editions.len() > 1 {
        diagnostics::sort(diagnostics);
        diagnostics.dedup();
    }
    Ok((theme, tables))
}

/// The staging folder, once the output folder asked for is known to be safe.
fn begin_output(portal: &Portal, options: &BuildOptions) -> Result<output::Staging> {
    let root = &options.root;
    let target = options
        .output
        .clone()
        .unwrap_or_else(|| portal.config.output_dir.clone());
    let asked_by = output::asked_by(root, options.output.is_some());
    output::Staging::begin(root, &target, asked_by)
}

/// The theme's static files (once, at the site root: `theme` is `None` for
/// the other editions) and the content's files beside their pages (in each
/// edition, as its pages link to them).
fn copy_assets(
    editions: &[languages::Edition<'_>],
    theme: &templates::Theme,
    staging: &output::Staging,
) -> Result<()> {
    for (name, bytes) in theme.statics() {
        staging.write(&format!("assets/{name}"), bytes)?;
    }
    for edition in editions {
        let out = edition.output(staging);
        for (from, rel) in &edition.portal().content.assets {
            out.copy(from, rel)?;
        }
    }
    Ok(())
}

/// Measures the stages of a build (see [`STAGES`]) and reports each start.
struct Clock<'a> {
    on_stage: &'a dyn Fn(usize, &'static str),
    stage: usize,
    started: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl<'a> Clock<'a> {
    fn new(on_stage: &'a dyn Fn(usize, &'static str)) -> Self {
        on_stage(0, STAGES[0]);
        Clock {
            on_stage,
            stage: 0,
            started: Instant::now(),
            laps: Vec::new(),
        }
    }

    /// Ends the current stage and starts the next.
    fn next(&mut self) {
        let now = Instant::now();
        self.laps.push((STAGES[self.stage], now - self.started));
        self.stage += 1;
        self.started = now;
        if let Some(name) = STAGES.get(self.stage) {
            (self.on_stage)(self.stage, name);
        }
    }

    fn finish(self) -> Vec<(&'static str, Duration)> {
        self.laps
    }
}
