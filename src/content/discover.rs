//! Discovery: walk `content/` and sort what is there into case studies, pages
//! and assets.
//!
//! Hidden files and folders and `_`-prefixed ones are skipped (editors' swap
//! files, drafts); `content/pages/` holds standalone pages. Paths are sorted so
//! that every later stage sees the same order on every machine. Symbolic
//! links are followed while they stay inside the site (see [`crate::confine`]).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::confine::SiteRoot;
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};

/// The folder under the site root holding the content.
pub const CONTENT_DIR: &str = "content";

/// A source's path under `content/`, with `/` separators, as links between
/// sources name it: `content/case-studies/x.md` → `case-studies/x.md`.
pub fn content_path(source: &Path) -> String {
    let under = source.strip_prefix(CONTENT_DIR).unwrap_or(source);
    under.to_string_lossy().replace('\\', "/")
}

/// The folder of a source under `content/`, against which its relative links
/// resolve: `content/case-studies/x.md` → `case-studies`.
pub fn content_dir(source: &Path) -> String {
    content_path(source.parent().unwrap_or(Path::new("")))
}
/// The folder under `content/` holding standalone pages.
pub const PAGES_DIR: &str = "pages";

/// Files found under `content/`, by kind, each sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Discovered {
    /// Markdown case studies (absolute paths).
    pub cases: Vec<PathBuf>,
    /// Markdown pages under `content/pages/`.
    pub pages: Vec<PathBuf>,
    /// Other files, to copy.
    pub assets: Vec<PathBuf>,
    /// The case studies reached through a symbolic link (to a file, or to a
    /// folder above them): their file is also, or only, somewhere else.
    pub linked: Vec<PathBuf>,
    /// Symbolic links leading outside the site: errors, and neither they
    /// nor anything under them is in the lists above.
    pub outside: Vec<Diagnostic>,
}

/// Walks `root/content`, following symbolic links that stay inside the site.
pub fn discover(root: &Path) -> Result<Discovered> {
    let content = root.join(CONTENT_DIR);
    let pages_dir = content.join(PAGES_DIR);
    let mut found = Discovered::default();
    if !content.is_dir() {
        return Ok(found);
    }
    let site = SiteRoot::new(root)?;
    if let Some(problem) = site.outside(&content)? {
        found.outside.push(problem);
        return Ok(found);
    }
    // Symbolic links are followed: a folder of case studies shared between
    // portals is often linked in, and skipping it would drop its case
    // studies without a word. walkdir reports a link loop as an error.
    let mut walker = WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_skipped(e.file_name().to_string_lossy().as_ref()));
    let mut linked_dirs: Vec<PathBuf> = Vec::new();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            // Deleted while the folder was read (a checkout, the preview
            // rebuilding while files go): it is simply not there.
            Err(e) if vanished(&e) => continue,
            Err(e) => match link_out(&site, &e) {
                Some(problem) => {
                    found.outside.push(problem);
                    continue;
                }
                None => return Err(walk_error(&content, e)),
            },
        };
        // Only a link can lead out: every other entry lies in a folder
        // already found inside. A linked folder that leads out is not
        // entered at all.
        if entry.path_is_symlink() {
            if let Some(problem) = site.outside(entry.path())? {
                found.outside.push(problem);
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        let linked =
            entry.path_is_symlink() || linked_dirs.iter().any(|d| entry.path().starts_with(d));
        if entry.file_type().is_file() {
            found.sort_in(entry.into_path(), &pages_dir, linked);
        } else if entry.path_is_symlink() {
            linked_dirs.push(entry.into_path());
        }
    }
    Ok(found)
}

impl Discovered {
    /// Files a file under its kind; `linked` when reached through a link.
    fn sort_in(&mut self, path: PathBuf, pages_dir: &Path, linked: bool) {
        let is_markdown = path.extension().is_some_and(|e| e == "md");
        match (is_markdown, path.starts_with(pages_dir)) {
            (true, true) => self.pages.push(path),
            (true, false) => {
                if linked {
                    self.linked.push(path.clone());
                }
                self.cases.push(path)
            }
            (false, _) => self.assets.push(path),
        }
    }
}

/// Whether an entry failed because it no longer exists at all (unlike a
/// dangling link, which exists and points nowhere).
fn vanished(e: &walkdir::Error) -> bool {
    let not_found = e
        .io_error()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
    not_found && e.path().is_some_and(|p| p.symlink_metadata().is_err())
}

/// The problem with a link that failed to be followed because it leads
/// outside the site: a link to a folder holding the site is a loop to
/// walkdir, but what matters is that it leads out. `None` for links that
/// cannot be resolved (dangling) and for other failures.
fn link_out(site: &SiteRoot, e: &walkdir::Error) -> Option<Diagnostic> {
    let path = e.path()?;
    let is_link = path.symlink_metadata().ok()?.file_type().is_symlink();
    if !is_link {
        return None;
    }
    site.outside(path).ok().flatten()
}

/// Says which link is wrong when following symbolic links fails.
fn walk_error(content: &Path, e: walkdir::Error) -> Error {
    let path = e.path().unwrap_or(content).to_path_buf();
    if let Some(ancestor) = e.loop_ancestor() {
        return Error::Usage(format!(
            "{}: this symbolic link loops back to {}",
            path.display(),
            ancestor.display()
        ));
    }
    let is_link = path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink());
    if is_link && !path.exists() {
        return Error::Usage(format!(
            "{}: symbolic link to a file that does not exist (remove the link or fix its target)",
            path.display()
        ));
    }
    let io = e
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other("cannot be read"));
    Error::io("walking", path, io)
}

/// Hidden and `_`-prefixed names are not content (drafts, editor files).
fn is_skipped(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('_') || name.ends_with('~')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_hidden_drafts_and_backups() {
        assert!(is_skipped(".#case.md"));
        assert!(is_skipped("_draft.md"));
        assert!(is_skipped("case.md~"));
        assert!(!is_skipped("case.md"));
    }

    #[cfg(unix)]
    #[test]
    fn follows_links_inside_the_site_only() {
        use std::os::unix::fs::symlink;
        let site = tempfile::tempdir().unwrap();
        let away = tempfile::tempdir().unwrap();
        std::fs::write(away.path().join("away.md"), "---\ntitle: A\n---\n").unwrap();
        let root = site.path();
        let cases = root.join("content/case-studies");
        std::fs::create_dir_all(root.join("shared")).unwrap();
        std::fs::create_dir_all(&cases).unwrap();
        std::fs::write(root.join("shared/shared.md"), "---\ntitle: S\n---\n").unwrap();
        symlink(root.join("shared"), cases.join("shared")).unwrap();
        symlink("../../shared/shared.md", cases.join("one.md")).unwrap();
        symlink(away.path(), cases.join("away")).unwrap();
        symlink(away.path().join("away.md"), cases.join("two.md")).unwrap();
        let found = discover(root).unwrap();
        let names: Vec<_> = found
            .cases
            .iter()
            .map(|p| p.strip_prefix(root).unwrap())
            .collect();
        assert_eq!(
            names,
            [
                Path::new("content/case-studies/one.md"),
                Path::new("content/case-studies/shared/shared.md")
            ]
        );
        let blamed: Vec<_> = found.outside.iter().map(|d| d.path.as_path()).collect();
        assert_eq!(
            blamed,
            [
                Path::new("content/case-studies/away"),
                Path::new("content/case-studies/two.md")
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_content_folder_linked_from_outside_is_not_read() {
        let site = tempfile::tempdir().unwrap();
        let away = tempfile::tempdir().unwrap();
        std::fs::write(away.path().join("a.md"), "---\ntitle: A\n---\n").unwrap();
        std::os::unix::fs::symlink(away.path(), site.path().join(CONTENT_DIR)).unwrap();
        let found = discover(site.path()).unwrap();
        assert!(found.cases.is_empty(), "{found:?}");
        assert_eq!(found.outside[0].path, Path::new(CONTENT_DIR));
    }
}
