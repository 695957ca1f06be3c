//! Review workflow: whether a case study is published yet.
//!
//! Practice databases review submissions before publishing them, so a case
//! study says where it stands with `status: draft | review | published`
//! (absent: published). A build publishes only the published ones unless it
//! is asked for drafts (`build --drafts`, and `serve` by default): the others
//! are validated like any file, then held back here, at the end of loading,
//! so that no later stage (pages, listings, counts, search, sitemap, feed,
//! catalogue) can show them by mistake. `check` lists what was held back.

use std::path::PathBuf;

use serde::Serialize;

use super::Content;

/// Where a case study stands in the review workflow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written: not published.
    Draft,
    /// Written, awaiting review: not published.
    Review,
    /// Published (what a case study without `status` is).
    #[default]
    Published,
}

impl Status {
    /// The values `status` takes, as written.
    pub const NAMES: [&'static str; 3] = ["draft", "review", "published"];

    /// The status written as `text` (case and surrounding spaces ignored).
    pub fn parse(text: &str) -> Option<Status> {
        match text.trim().to_ascii_lowercase().as_str() {
            "draft" => Some(Status::Draft),
            "review" => Some(Status::Review),
            "published" => Some(Status::Published),
            _ => None,
        }
    }

    /// The name as written in front matter.
    pub fn name(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Published => "published",
        }
    }

    /// Whether a build without `--drafts` publishes it.
    pub fn is_published(self) -> bool {
        self == Status::Published
    }
}

/// A case study a build left out because it is not published yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unpublished {
    /// Source file, relative to the site root.
    pub path: PathBuf,
    /// Its title.
    pub title: String,
    /// Its status (`draft` or `review`).
    pub status: Status,
}

/// Moves the case studies that are not published out of `content.cases`
/// into `content.unpublished`, unless `drafts` asks for them to be shown.
/// The order of the others is kept.
pub fn hold_back(content: &mut Content, drafts: bool) {
    if drafts {
        content.unpublished.clear();
        return;
    }
    let (published, held): (Vec<_>, Vec<_>) = std::mem::take(&mut content.cases)
        .into_iter()
        .partition(|c| c.meta.status.is_published());
    content.cases = published;
    content.unpublished = held
        .into_iter()
        .map(|c| Unpublished {
            path: c.source,
            title: c.meta.title,
            status: c.meta.status,
        })
        .collect();
    content.unpublished.sort_by(|a, b| a.path.cmp(&b.path));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_written_in_any_case() {
        assert_eq!(Status::parse(" Draft "), Some(Status::Draft));
        assert_eq!(Status::parse("review"), Some(Status::Review));
        assert_eq!(Status::parse("PUBLISHED"), Some(Status::Published));
        assert_eq!(Status::parse("final"), None);
        for name in Status::NAMES {
            assert_eq!(Status::parse(name).map(Status::name), Some(name));
        }
    }
}
