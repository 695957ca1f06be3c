//! Serve: build, serve on loopback, watch, rebuild what changed, reload.
//!
//! The preview keeps the built site in memory ([`state::State`]). A change
//! is reduced to a [`watch::Change`] before anything is decided: an edit of
//! one case study's text re-renders only the pages that show it; anything
//! structural (a new or deleted file, a new date, slug or terms, the config,
//! the theme) rebuilds the site. A bad edit keeps the last good site served
//! and shows the problem in the terminal and as an overlay in the browser.
//! The library reports through [`ServeEvent`]s; `main` prints them.

mod http;
mod state;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};

pub use http::Broadcast;

/// Quiet time after an edit before the search data is brought up to date.
const SEARCH_REFRESH_AFTER: Duration = Duration::from_millis(800);

/// What `casebook serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root.
    pub root: PathBuf,
    /// Address to listen on.
    pub interface: String,
    /// Port; 0 lets the system choose.
    pub port: u16,
    /// Show draft case studies and those under review, with a banner (the
    /// default of `casebook serve`: authors preview what they write).
    pub drafts: bool,
}

/// What happened, for the terminal.
#[derive(Debug)]
pub enum ServeEvent {
    /// The server listens at this URL.
    Listening {
        /// The URL to open.
        url: String,
        /// Set when the asked port was taken and another was chosen.
        instead_of: Option<u16>,
    },
    /// A build or rebuild succeeded.
    Built {
        /// Pages written.
        pages: usize,
        /// Whether only the pages touched by the edit were rendered.
        incremental: bool,
        /// Time from the change to the pages being served.
        time: Duration,
        /// Warnings.
        warnings: Vec<Diagnostic>,
        /// Time per step of an incremental update, in order.
        steps: Vec<(&'static str, Duration)>,
    },
    /// The content has problems; the last good site is still served.
    Problems(Vec<Diagnostic>),
    /// A non-content failure (a template error, I/O); the last good site stays.
    Failed(String),
}

/// Runs the preview until the process is interrupted.
pub fn run(options: &ServeOptions, mut report: impl FnMut(ServeEvent)) -> Result<()> {
    let root = options
        .root
        .canonicalize()
        .map_err(|e| Error::io("resolving", &options.root, e))?;
    let out = serve_dir();
    // Watching starts before the first build and before the address is
    // announced, so no edit made from then on is missed.
    let mut changes = watch::watch(&root)?;
    let broadcast = Arc::new(Broadcast::default());
    let (server, addr, instead_of) = http::bind(&options.interface, options.port)?;
    let url = format!("http://{addr}/");
    // Before the first build: Ctrl-C during it must clean up too.
    cleanup_on_interrupt(out.clone());
    let mut preview = Preview {
        root,
        out: out.clone(),
        url: url.clone(),
        broadcast: Arc::clone(&broadcast),
        drafts: options.drafts,
        state: None,
        search_pending: false,
    };
    preview.build(Instant::now(), &mut report);
    http::spawn(server, out, broadcast);
    report(ServeEvent::Listening { url, instead_of });
    preview.follow(&mut changes, &mut report)
}

/// The preview between changes: the last good site and what is pending.
struct Preview {
    root: PathBuf,
    out: PathBuf,
    url: String,
    broadcast: Arc<Broadcast>,
    /// Whether unpublished case studies are shown.
    drafts: bool,
    /// The last good site; `None` until a build succeeds.
    state: Option<state::State>,
    /// Whether the search data waits for editing to pause.
    search_pending: bool,
}

impl Preview {
    /// Applies each change as it comes, until the watcher stops.
    fn follow(
        &mut self,
        changes: &mut watch::Batches,
        report: &mut impl FnMut(ServeEvent),
    ) -> Result<()> {
        // While problems are shown, every change rebuilds in full: an
        // incremental update re-reads only the saved files, so it would
        // clear the problems of files it never looked at.
        let mut unresolved = self.state.is_none();
        loop {
            // Search data and open data follow an edit once editing pauses,
            // so a burst of saves is never held up by rewriting them.
            let wait = self.search_pending.then_some(SEARCH_REFRESH_AFTER);
            let change = match changes.next_within(wait) {
                watch::Next::Change(c) => c,
                watch::Next::Quiet => {
                    self.refresh_search(changes.stirred(), report);
                    continue;
                }
                watch::Next::Closed => return Ok(()),
            };
            if let Some(e) = changes.take_failure() {
                report(ServeEvent::Failed(e.to_string()));
            }
            let change = if unresolved {
                watch::Change::Structure
            } else {
                change
            };
            unresolved = !self.apply(&change, report);
        }
    }

    /// Brings the served site up to date with `change`; false if it failed
    /// (the problem is shown and the last good site stays).
    fn apply(&mut self, change: &watch::Change, report: &mut impl FnMut(ServeEvent)) -> bool {
        let started = Instant::now();
        let Some(state) = self.state.as_mut() else {
            return self.build(started, report);
        };
        match state.apply(&self.root, change) {
            Ok(applied) => {
                self.built(started, applied, report);
                true
            }
            Err(e) => {
                problems(&self.broadcast, e, report);
                false
            }
        }
    }

    /// A full build; false if it failed.
    fn build(&mut self, started: Instant, report: &mut impl FnMut(ServeEvent)) -> bool {
        match state::State::build(&self.root, &self.out, &self.url, self.drafts) {
            Ok((state, pages, warnings)) => {
                self.state = Some(state);
                let applied = state::Applied {
                    pages,
                    warnings,
                    ..state::Applied::default()
                };
                self.built(started, applied, report);
                true
            }
            Err(e) => {
                problems(&self.broadcast, e, report);
                false
            }
        }
    }

    /// Reloads the open pages and reports a successful update.
    fn built(
        &mut self,
        started: Instant,
        applied: state::Applied,
        report: &mut impl FnMut(ServeEvent),
    ) {
        let state::Applied {
            pages,
            incremental,
            warnings,
            steps,
        } = applied;
        let time = started.elapsed();
        self.broadcast.clear_problems();
        self.broadcast.send("reload", "");
        report(ServeEvent::Built {
            pages,
            incremental,
            time,
            warnings,
            steps,
        });
        self.search_pending |= incremental;
    }

    /// The search data brought up to date, unless a file changes
    /// meanwhile (`stop`): then it waits for the next pause.
    fn refresh_search(&mut self, stop: &AtomicBool, report: &mut impl FnMut(ServeEvent)) {
        let done = match self.state.as_mut().map(|state| state.refresh_search(stop)) {
            Some(Err(e)) => {
                report(ServeEvent::Failed(e.to_string()));
                true
            }
            Some(Ok(done)) => done,
            None => true,
        };
        self.search_pending = !done;
    }
}

/// Shows a failure in the browser overlay and the terminal.
fn problems(broadcast: &Broadcast, error: Error, report: &mut impl FnMut(ServeEvent)) {
    match error {
        Error::Content(diagnostics) => {
            let text: String = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.render(false))
                .collect();
            broadcast.set_problems(&text);
            report(ServeEvent::Problems(diagnostics));
        }
        other => {
            broadcast.set_problems(&other.to_string());
            report(ServeEvent::Failed(other.to_string()));
        }
    }
}

/// The preview is built outside the site, so `public/` is never touched.
fn serve_dir() -> PathBuf {
    std::env::temp_dir().join(format!("casebook-serve-{}", std::process::id()))
}

/// Ctrl-C, SIGTERM and SIGHUP (ctrlc's `termination` feature) remove the
/// preview folder, and the staging and previous trees of a build it
/// interrupts, and exit cleanly.
fn cleanup_on_interrupt(out: PathBuf) {
    let _ = ctrlc::set_handler(move || {
        let dirs: Vec<PathBuf> = std::iter::once(out.clone())
            .chain(crate::output::work_dirs(&out))
            .collect();
        crate::output::stop_process(&dirs, 0)
    });
}

/// True if `path` is inside `dir` (both must exist).
fn is_inside(dir: &Path, path: &Path) -> bool {
    match (dir.canonicalize(), path.canonicalize()) {
        (Ok(d), Ok(p)) => p.starts_with(d),
        _ => false,
    }
}
