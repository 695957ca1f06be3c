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
use std::sync::{Arc, Mutex};
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
    let options = &ServeOptions {
        root,
        ..options.clone()
    };
    let out = serve_dir();
    // Watching starts before the first build and before the address is
    // announced, so no edit made from then on is missed.
    let mut changes = watch::watch(&options.root)?;
    let broadcast = Arc::new(Broadcast::default());
    let (server, addr, instead_of) = http::bind(&options.interface, options.port)?;
    let url = format!("http://{addr}/");
    let state = Arc::new(Mutex::new(None::<state::State>));
    let started = Instant::now();
    // Before the first build: Ctrl-C during it must clean up too.
    cleanup_on_interrupt(out.clone());
    match state::State::build(&options.root, &out, &url) {
        Ok((s, pages, warnings)) => {
            *state.lock().expect("state lock") = Some(s);
            report(ServeEvent::Built {
                pages,
                incremental: false,
                time: started.elapsed(),
                warnings,
            });
        }
        Err(e) => problems(&broadcast, e, &mut report),
    }
    http::spawn(server, out.clone(), Arc::clone(&broadcast));
    report(ServeEvent::Listening {
        url: url.clone(),
        instead_of,
    });
    let mut search_pending = false;
    // While problems are shown, every change rebuilds in full: an
    // incremental update re-reads only the saved files, so it would clear
    // the problems of files it never looked at.
    let mut unresolved = state.lock().expect("state lock").is_none();
    loop {
        // Search data and open data follow an edit once editing pauses, so a
        // burst of saves is never held up by rewriting them after each one.
        let wait = search_pending.then_some(SEARCH_REFRESH_AFTER);
        let change = match changes.next_within(wait) {
            watch::Next::Change(c) => c,
            watch::Next::Quiet => {
                if let Some(s) = state.lock().expect("state lock").as_mut() {
                    if let Err(e) = s.refresh_search() {
                        report(ServeEvent::Failed(e.to_string()));
                    }
                }
                search_pending = false;
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
        let started = Instant::now();
        let mut guard = state.lock().expect("state lock");
        let result = match guard.as_mut() {
            Some(s) => s.apply(&options.root, &change),
            None => state::State::build(&options.root, &out, &url).map(|(s, pages, w)| {
                *guard = Some(s);
                (pages, false, w)
            }),
        };
        unresolved = result.is_err();
        match result {
            Ok((pages, incremental, warnings)) => {
                let time = started.elapsed();
                broadcast.clear_problems();
                broadcast.send("reload", "");
                report(ServeEvent::Built {
                    pages,
                    incremental,
                    time,
                    warnings,
                });
                search_pending |= incremental;
            }
            Err(e) => problems(&broadcast, e, &mut report),
        }
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

/// Ctrl-C removes the preview folder, and the staging and previous trees
/// of a build it interrupts, and exits cleanly.
fn cleanup_on_interrupt(out: PathBuf) {
    let _ = ctrlc::set_handler(move || {
        let dirs: Vec<PathBuf> = std::iter::once(out.clone())
            .chain(crate::output::work_dirs(&out))
            .collect();
        // The build's threads may still be writing and can make a folder
        // again just after it is removed: sweep until all stay gone.
        for _ in 0..40 {
            let left: Vec<&PathBuf> = dirs.iter().filter(|d| d.exists()).collect();
            if left.is_empty() {
                break;
            }
            for dir in left {
                let _ = std::fs::remove_dir_all(dir);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        std::process::exit(0);
    });
}

/// True if `path` is inside `dir` (both must exist).
fn is_inside(dir: &Path, path: &Path) -> bool {
    match (dir.canonicalize(), path.canonicalize()) {
        (Ok(d), Ok(p)) => p.starts_with(d),
        _ => false,
    }
}
