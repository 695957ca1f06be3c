//! Casebook turns a folder of Markdown case studies into a static portal of
//! good practices: browsable by every level of every facet, searchable, and
//! publishable on any static host.
//!
//! The build is a pipeline of stages, each a function from typed input to
//! typed output:
//!
//! 1. [`config`]: `casebook.yaml` → [`config::Config`]
//! 2. [`vocabulary`]: the controlled vocabularies facets draw on
//! 3. [`content`]: discover, split front matter, validate → case studies and pages
//! 4. [`taxonomy`]: case studies × facets → terms, postings, relations
//! 5. [`render`]: pages through the [`templates`] of the theme, Markdown by [`markdown`]
//! 6. [`catalogue`] and [`search`]: open data and the search data
//! 7. [`output`]: the only writer; a staging directory swapped in at the end
//!
//! Content problems never stop a stage early: they are collected as
//! [`diagnostics::Diagnostic`]s and reported together.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod catalogue;
pub mod check;
pub mod config;
pub mod confine;
pub mod content;
pub mod diagnostics;
pub mod error;
pub mod fsio;
pub mod links;
pub mod markdown;
pub mod output;
pub mod portal;
pub mod references;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod taxonomy;
pub mod templates;
pub mod text;
pub mod urls;
pub mod views;
pub mod vocabulary;
pub mod yaml;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use content::Content;
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
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Case studies built.
    pub cases: usize,
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
    "read and validate",
    "taxonomy, theme and links",
    "render pages, catalogue (analyse text)",
    "search index and data",
    "copy assets and swap",
];

/// Builds the site, calling `on_stage(index, name)` as each stage starts (for
/// a progress display: the library itself never prints).
pub fn build_observed(
    options: &BuildOptions,
    on_stage: &dyn Fn(usize, &'static str),
) -> Result<(BuildReport, Built)> {
    let mut clock = Clock::new(on_stage);
    let root = &options.root;
    let loaded = Portal::load(root, options.base_url.as_deref())?;
    clock.next();
    if !loaded.is_valid() {
        return Err(Error::Content(loaded.diagnostics));
    }
    let Loaded {
        portal,
        mut diagnostics,
    } = loaded;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| portal.config.output_dir.clone());
    let theme = templates::Theme::load(root)?;
    let urls = urls::UrlTable::new(&portal, &theme.static_names());
    let links = references::check(&portal, &urls, references::Scope::MayLinkLocally, &[])?;
    diagnostics.extend(links.problems);
    if diagnostics.iter().any(|d| d.is_error()) {
        diagnostics::sort(&mut diagnostics);
        return Err(Error::Content(diagnostics));
    }
    let asked_by = output::asked_by(root, options.output.is_some());
    let staging = output::Staging::begin(root, &output, asked_by)?;
    clock.next();
    let site = render::Site::new(&portal, &urls, &theme, options.live_reload)?;
    let analyzer = search::Analyzer::default();
    // The catalogue needs no rendered page: it fills the gaps of the render's
    // parallel loops instead of running alone after them.
    let (rendered, catalogued) = rayon::join(
        || render::render_all(&site, &staging, &analyzer),
        || catalogue::write(&portal, &staging),
    );
    let (stats, docs) = rendered?;
    catalogued?;
    clock.next();
    search::write(&portal, &analyzer, &docs, &staging)?;
    clock.next();
    copy_assets(&theme, &portal.content, &staging)?;
    let output = staging.target().to_path_buf();
    diagnostics.extend(staging.commit()?);
    clock.next();
    let derived = site.into_derived();
    let report = BuildReport {
        cases: stats.case_pages,
        pages: stats.pages,
        output,
        warnings: diagnostics,
        timings: clock.finish(),
    };
    let built = Built {
        portal,
        theme,
        urls,
        derived,
        analyzer,
        docs,
    };
    Ok((report, built))
}

fn copy_assets(
    theme: &templates::Theme,
    content: &Content,
    staging: &output::Staging,
) -> Result<()> {
    for (name, bytes) in theme.statics() {
        staging.write(&format!("assets/{name}"), bytes)?;
    }
    for (from, rel) in &content.assets {
        staging.copy(from, rel)?;
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
