//! Watching: file-system events → debounced, classified [`Change`]s.
//!
//! notify reports every write, rename and temporary file an editor makes,
//! and also every time a file is opened or read: the build's own reads of
//! the content, which must not count as changes (with notify's inotify
//! backend they made the preview rebuild itself in an endless loop). Those
//! are dropped, a burst of the rest (a save, a `git checkout` of 100 files)
//! is folded into one batch, and [`classify`] reduces the batch to what it
//! means for the build, ignoring editors' swap and backup files.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use crate::config::CONFIG_FILE;
use crate::content::discover::CONTENT_DIR;
use crate::error::{Error, Result};

/// The folder holding the theme folder (`themes/default/`): watched whole,
/// so that a theme copied in while the preview runs is seen.
const THEMES: &str = "themes";

/// Quiet time after the last event before a batch is handed over.
const DEBOUNCE: Duration = Duration::from_millis(120);
/// A batch is handed over after this long even if events keep coming.
const MAX_BATCH: Duration = Duration::from_secs(1);

/// What a batch of file-system events means for the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Change {
    /// Only these Markdown files under `content/` were touched.
    Content(Vec<PathBuf>),
    /// Anything else: config, theme, assets, pages. Rebuild everything.
    Structure,
}

/// Starts watching; the returned iterator yields one change per batch.
pub(super) fn watch(root: &Path) -> Result<Batches> {
    let (tx, rx) = channel::<notify::Result<Event>>();
    let stirred = Arc::new(AtomicBool::new(false));
    let raise = Arc::clone(&stirred);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
        if event.as_ref().map_or(true, |e| changes_files(&e.kind)) {
            raise.store(true, Ordering::Relaxed);
        }
        let _ = tx.send(event);
    })
    .map_err(watch_error)?;
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(watch_error)?;
    let mut batches = Batches {
        rx,
        root: root.to_path_buf(),
        watcher,
        watched: Vec::new(),
        vocabularies: Vec::new(),
        failed: None,
        stirred,
    };
    batches.refresh_watches()?;
    Ok(batches)
}

/// Batches of file-system events.
pub(super) struct Batches {
    rx: Receiver<notify::Result<Event>>,
    root: PathBuf,
    watcher: notify::RecommendedWatcher,
    /// Folders watched so far (besides the root itself, watched alone).
    watched: Vec<PathBuf>,
    /// The vocabulary files the config names, wherever they are.
    vocabularies: Vec<PathBuf>,
    /// Why a folder that appeared could not be watched, until reported.
    failed: Option<Error>,
    /// Raised by every event that may change a file, as it happens (see
    /// [`Batches::stirred`]).
    stirred: Arc<AtomicBool>,
}

impl Batches {
    /// A flag raised as soon as a file may have changed since the last
    /// batch was handed over: long work between batches (the search data)
    /// reads it to give way to an edit instead of holding it up.
    pub(super) fn stirred(&self) -> &AtomicBool {
        &self.stirred
    }

    /// A failure to watch a folder that appeared since the start, once.
    pub(super) fn take_failure(&mut self) -> Option<Error> {
        self.failed.take()
    }

    /// Watches `content/`, `themes/` and the folders of the vocabulary files,
    /// including any that appeared since the last call: an editor who
    /// copies the default theme in to customise it, or adds a vocabulary
    /// file to the config, expects the preview to follow it.
    fn refresh_watches(&mut self) -> Result<()> {
        self.vocabularies = vocabulary_files(&self.root);
        let folders = [CONTENT_DIR, THEMES]
            .iter()
            .map(|d| (self.root.join(d), RecursiveMode::Recursive))
            .chain(self.vocabularies.iter().filter_map(|f| {
                let dir = f.parent()?.to_path_buf();
                Some((dir, RecursiveMode::NonRecursive))
            }))
            .collect::<Vec<_>>();
        for (dir, mode) in folders {
            if dir == self.root || !dir.is_dir() || self.watched.contains(&dir) {
                continue;
            }
            self.watcher.watch(&dir, mode).map_err(watch_error)?;
            self.watched.push(dir);
        }
        Ok(())
    }
}

/// The vocabulary files `casebook.yaml` names (none if it does not load:
/// the build reports why, and the next change of the config reloads it).
fn vocabulary_files(root: &Path) -> Vec<PathBuf> {
    let Ok(config) = crate::config::Config::load(root) else {
        return Vec::new();
    };
    config
        .vocabularies
        .values()
        .flat_map(|v| v.file.iter().chain(&v.extend))
        .map(|f| root.join(f))
        .collect()
}

/// What waiting for the next change gave.
#[derive(Debug)]
pub(super) enum Next {
    /// A change.
    Change(Change),
    /// Nothing changed for the whole wait.
    Quiet,
    /// The watcher stopped.
    Closed,
}

impl Batches {
    /// The next change, waiting at most `wait` (forever if `None`).
    pub(super) fn next_within(&mut self, wait: Option<Duration>) -> Next {
        self.stirred.store(false, Ordering::Relaxed);
        loop {
            let first = match wait {
                Some(w) => match self.rx.recv_timeout(w) {
                    Ok(e) => e,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return Next::Quiet,
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Next::Closed,
                },
                None => match self.rx.recv() {
                    Ok(e) => e,
                    Err(_) => return Next::Closed,
                },
            };
            let mut paths = Vec::new();
            let started = Instant::now();
            let mut next = Some(first);
            while let Some(event) = next {
                match event {
                    Ok(e) if changes_files(&e.kind) => paths.extend(e.paths),
                    Ok(_) => {}
                    Err(_) => return Next::Change(Change::Structure),
                }
                next = (started.elapsed() < MAX_BATCH)
                    .then(|| self.rx.recv_timeout(DEBOUNCE).ok())
                    .flatten();
            }
            if let Some(change) = classify(&self.root, &self.vocabularies, &paths) {
                if change == Change::Structure {
                    self.failed = self.refresh_watches().err();
                }
                return Next::Change(change);
            }
        }
    }
}

/// Whether an event can change what the build reads: not a file being
/// opened or read (the build's own reads), but a write being closed is.
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(access) => *access == AccessKind::Close(AccessMode::Write),
        _ => true,
    }
}

fn watch_error(e: notify::Error) -> Error {
    Error::Usage(format!("cannot watch the site for changes: {e}"))
}

/// Reduces a batch of paths to a change, or `None` if none matters.
pub(super) fn classify(root: &Path, vocabularies: &[PathBuf], paths: &[PathBuf]) -> Option<Change> {
    let relevant: Vec<&PathBuf> = paths
        .iter()
        .filter(|p| vocabularies.contains(p) || matters(root, p) && (p.exists() || was_read(p)))
        .collect();
    if relevant.is_empty() {
        return None;
    }
    let content = root.join(CONTENT_DIR);
    let pages = content.join(crate::content::discover::PAGES_DIR);
    let in_cases = |p: &&&PathBuf| p.starts_with(&content) && !p.starts_with(&pages);
    let markdown = |p: &&&PathBuf| p.extension().is_some_and(|e| e == "md");
    // Folders are reported when files in them come and go, or alone when
    // made or moved with files in them; the state checks whether the files
    // under content/ changed, so they need no rebuild here.
    let only_cases = relevant
        .iter()
        .all(|p| in_cases(&p) && (markdown(&p) || p.is_dir()));
    if only_cases {
        let mut files: Vec<PathBuf> = relevant
            .iter()
            .filter(|p| markdown(p))
            .map(|p| (*p).clone())
            .collect();
        files.sort();
        files.dedup();
        Some(Change::Content(files))
    } else {
        Some(Change::Structure)
    }
}

/// Whether a path that is gone could have been a file the build read: a
/// template, a stylesheet, an image, a case study. Editors and tools make
/// and remove temporary files all the time (`sed -i`'s `sedXXXXXX`, vim's
/// `4913`, JetBrains' `x.md___jb_tmp___`); those have no extension or a
/// temporary one, and their going changes nothing.
fn was_read(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy())
        .is_some_and(|e| !(e.contains("___jb_") || e == "tmp" || e.ends_with("swp")))
}

/// Editors' temporary files, hidden files and the output do not matter.
fn matters(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next().unwrap_or_default();
    if rel.components().count() == 1 {
        // The content or theme folder itself: made, removed or replaced.
        return [CONFIG_FILE, CONTENT_DIR, THEMES].contains(&first.as_ref());
    }
    if first != CONTENT_DIR && first != THEMES {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !(name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_batches() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        for file in [
            "casebook.yaml",
            "content/case-studies/a.md",
            "content/pages/about.md",
            "themes/default/templates/base.html",
        ] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), "x").unwrap();
        }
        let case = root.join("content/case-studies/a.md");
        let dir = root.join("content/case-studies");
        assert_eq!(
            classify(root, &[], &[case.clone(), case.clone(), dir]),
            Some(Change::Content(vec![case.clone()]))
        );
        assert_eq!(
            classify(root, &[], &[root.join("content/case-studies/.a.md.swp")]),
            None
        );
        assert_eq!(
            classify(root, &[], &[root.join("content/case-studies/sed8Xk2a")]),
            None,
            "a gone temporary file"
        );
        assert_eq!(classify(root, &[], &[root.join("public/index.html")]), None);
        assert_eq!(
            classify(root, &[], &[case.clone(), root.join("casebook.yaml")]),
            Some(Change::Structure)
        );
        assert_eq!(
            classify(root, &[], &[root.join("content/pages/about.md")]),
            Some(Change::Structure)
        );
        assert_eq!(
            classify(
                root,
                &[],
                &[root.join("themes/default/templates/base.html")]
            ),
            Some(Change::Structure)
        );
        assert_eq!(
            classify(root, &[], &[root.join("themes/default/static/gone.css")]),
            Some(Change::Structure),
            "a deleted stylesheet, template or image rebuilds"
        );
        assert_eq!(
            classify(
                root,
                &[],
                &[root.join("content/case-studies/a.md___jb_tmp___")]
            ),
            None
        );
        let gone = root.join("content/case-studies/deleted.md");
        assert_eq!(
            classify(root, &[], std::slice::from_ref(&gone)),
            Some(Change::Content(vec![gone])),
            "the state sees it is gone"
        );
    }
}
