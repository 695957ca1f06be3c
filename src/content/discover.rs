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

/// Walks `root/content`.
pub fn discover(root: &Path) -> Result<Discovered> {
    let content = root.join(CONTENT_DIR);
    let pages_dir = content.join(PAGES_DIR);
    let mut found = Discovered::default();
    if !content.is_dir() {
        return Ok(found);
    }
    let walker = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_skipped(e.file_name().to_string_lossy().as_ref()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(&content).to_path_buf();
            Error::io("walking", path, e.into())
        })?;
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
}
