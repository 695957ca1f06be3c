//! Discovery: walk `content/` and sort what is there into case studies, pages
//! and assets.
//!
//! Hidden files and folders and `_`-prefixed ones are skipped (editors' swap
//! files, drafts); `content/pages/` holds standalone pages. Paths are sorted so
//! that every later stage sees the same order on every machine.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

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
}

/// Walks `root/content`, following symbolic links.
pub fn discover(root: &Path) -> Result<Discovered> {
    let content = root.join(CONTENT_DIR);
    let pages_dir = content.join(PAGES_DIR);
    let mut found = Discovered::default();
    if !content.is_dir() {
        return Ok(found);
    }
    // Symbolic links are followed: a folder of case studies shared between
    // portals is often linked in, and skipping it would drop its case
    // studies without a word. walkdir reports a link loop as an error.
    let walker = WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_skipped(e.file_name().to_string_lossy().as_ref()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            // Deleted while the folder was read (a checkout, the preview
            // rebuilding while files go): it is simply not there.
            Err(e) if vanished(&e) => continue,
            Err(e) => return Err(walk_error(&content, e)),
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.into_path();
        let is_markdown = path.extension().is_some_and(|e| e == "md");
        match (is_markdown, path.starts_with(&pages_dir)) {
            (true, true) => found.pages.push(path),
            (true, false) => found.cases.push(path),
            (false, _) => found.assets.push(path),
        }
    }
    Ok(found)
}

/// Whether an entry failed because it no longer exists at all (unlike a
/// dangling link, which exists and points nowhere).
fn vanished(e: &walkdir::Error) -> bool {
    let not_found = e
        .io_error()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
    not_found && e.path().is_some_and(|p| p.symlink_metadata().is_err())
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
    fn follows_linked_folders_and_files() {
        let site = tempfile::tempdir().unwrap();
        let shared = tempfile::tempdir().unwrap();
        std::fs::write(shared.path().join("shared.md"), "---\ntitle: S\n---\n").unwrap();
        let cases = site.path().join("content/case-studies");
        std::fs::create_dir_all(&cases).unwrap();
        std::os::unix::fs::symlink(shared.path(), cases.join("shared")).unwrap();
        std::os::unix::fs::symlink(shared.path().join("shared.md"), cases.join("one.md")).unwrap();
        let found = discover(site.path()).unwrap();
        assert_eq!(found.cases.len(), 2, "{found:?}");
    }
}
