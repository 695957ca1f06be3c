//! Link targets: what a link in the content may point at, looked up in the
//! [`UrlTable`] of the build (its pages, its own files) plus the content's
//! assets and the Markdown sources that failed to load.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::content::discover::content_path;
use crate::content::Content;
use crate::urls::UrlTable;

/// Every page and file a build of the site would publish.
#[derive(Debug)]
pub(super) struct Targets<'u> {
    /// Pages, Markdown sources and unpublished terms.
    urls: &'u UrlTable,
    /// Files, site-relative: the build's own and the content's assets.
    files: HashSet<String>,
    /// The build's own files (a citation file beside every case page).
    own: HashSet<&'u str>,
    /// Markdown sources under `content/` of case studies a build leaves out
    /// (drafts, under review), with their status.
    held: HashMap<String, &'static str>,
    /// Markdown sources under `content/` that did not load (their own errors
    /// are reported; links to them are not reported again).
    unloaded: HashSet<String>,
}

/// What a link's path names.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// A page (its URL) or a file (its path).
    Yes(String),
    /// A term page that is not generated because no case study has the term.
    NoCases(String),
    /// A Markdown source with errors of its own: its URL is unknown.
    Unloaded,
    /// A case study the build leaves out, with its status (`draft`).
    Unpublished(&'static str),
    /// Nothing.
    No,
}

impl<'u> Targets<'u> {
    /// The targets of a build publishing `urls` and copying `content`'s assets.
    pub(super) fn new(urls: &'u UrlTable, content: &Content) -> Targets<'u> {
        let own = urls.own_files.iter().cloned();
        let assets = content.assets.iter().map(|(_, rel)| rel.clone());
        Targets {
            urls,
            files: own.chain(assets).collect(),
            own: urls.own_files.iter().map(String::as_str).collect(),
            held: (content.unpublished.iter())
                .map(|u| (content_path(&u.path), u.status.name()))
                .collect(),
            unloaded: HashSet::new(),
        }
    }

    /// Why an asset cannot be copied to site-relative `rel`, if it cannot:
    /// the build writes a page, one of its own files or the search data
    /// (all of `search/`) there, and the copy would silently replace it.
    pub(super) fn taken(&self, rel: &str) -> Option<String> {
        let page = rel
            .strip_suffix("index.html")
            .filter(|url| url.is_empty() || url.ends_with('/'));
        if let Some(url) = page.filter(|url| self.urls.has_page(url)) {
            return Some(format!("this file would replace the page /{url}"));
        }
        if self.own.contains(rel) {
            return Some(format!(
                "this file would replace /{rel}, which Casebook writes"
            ));
        }
        let search = format!("{}/", crate::search::DATA_DIR);
        rel.starts_with(&search)
            .then(|| format!("this file would land in /{search}, which holds the search data"))
    }

    /// Records the Markdown files found under `content/` (absolute paths),
    /// so that links to those that did not load are not reported twice.
    pub(super) fn add_sources<'p>(
        &mut self,
        content_dir: &Path,
        found: impl Iterator<Item = &'p PathBuf>,
    ) {
        for path in found {
            let rel = path.strip_prefix(content_dir).unwrap_or(path);
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !self.urls.markdown.contains_key(&rel) {
                self.unloaded.insert(rel);
            }
        }
    }

    /// The Markdown sources under `content/` that did not load, sorted.
    pub(super) fn unloaded(&self) -> Vec<&str> {
        let mut sources: Vec<&str> = self.unloaded.iter().map(String::as_str).collect();
        sources.sort_unstable();
        sources
    }

    /// What a site-relative path (no fragment) names. A page may be linked
    /// with or without its trailing `/` or `index.html`, and through its
    /// Markdown source.
    pub(super) fn find(&self, path: &str) -> Found {
        if let Some(url) = self.urls.markdown.get(path) {
            return Found::Yes(url.clone());
        }
        if self.unloaded.contains(path) {
            return Found::Unloaded;
        }
        if let Some(status) = self.held.get(path) {
            return Found::Unpublished(status);
        }
        let page = path.strip_suffix("index.html").unwrap_or(path);
        let with_slash = if page.is_empty() || page.ends_with('/') {
            page.to_string()
        } else {
            format!("{page}/")
        };
        if self.urls.has_page(&with_slash) {
            return Found::Yes(with_slash);
        }
        if self.files.contains(path) {
            return Found::Yes(path.to_string());
        }
        match self.urls.unpublished.get(&with_slash) {
            Some(label) => Found::NoCases(label.clone()),
            None => Found::No,
        }
    }

    /// The Markdown source under `content/` published at `url`, if any.
    pub(super) fn source_of(&self, url: &str) -> Option<&str> {
        self.urls
            .markdown
            .iter()
            .find(|(_, u)| *u == url)
            .map(|(source, _)| source.as_str())
    }

    /// Is `path` a published file (not a page)?
    pub(super) fn is_file(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    /// The existing target closest to `wanted`, of the same kind: a Markdown
    /// source for `.md`, a file for a name with an extension, else a page.
    pub(super) fn suggest(&self, wanted: &str, image: bool) -> Option<String> {
        let last = |p: &str| -> String {
            p.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_lowercase()
        };
        let wanted_last = last(wanted);
        let pool: Vec<&String> = if wanted.ends_with(".md") && !image {
            self.urls.markdown.keys().collect()
        } else if image || wanted_last.contains('.') {
            self.files.iter().collect()
        } else {
            self.urls.pages.iter().map(|p| &p.url).collect()
        };
        pool.into_iter()
            .map(|c| {
                let near = strsim::jaro_winkler(&wanted_last, &last(c));
                let whole = strsim::jaro_winkler(wanted, c);
                (c, near, whole)
            })
            .filter(|(_, near, _)| *near > 0.8)
            .max_by(|a, b| {
                a.1.total_cmp(&b.1)
                    .then(a.2.total_cmp(&b.2))
                    .then(b.0.cmp(a.0))
            })
            .map(|(c, _, _)| c.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> UrlTable {
        let mut u = UrlTable::default();
        for url in ["", "about/", "levels/local/"] {
            u.push(url, crate::urls::PageKind::Home);
        }
        u.markdown.insert(
            "case-studies/nepal-desks.md".into(),
            "case-studies/nepal-desks/".into(),
        );
        u.unpublished.insert("sdg/5/".into(), "Goal 5".into());
        u
    }

    fn targets(urls: &UrlTable) -> Targets<'_> {
        Targets {
            urls,
            files: HashSet::from(["case-studies/map.svg".to_string()]),
            own: HashSet::new(),
            held: HashMap::new(),
            unloaded: HashSet::new(),
        }
    }

    #[test]
    fn pages_resolve_with_or_without_slash_and_index() {
        let table = table();
        let t = targets(&table);
        for path in ["about/", "about", "about/index.html", "", "index.html"] {
            assert!(matches!(t.find(path), Found::Yes(_)), "{path}");
        }
        assert_eq!(t.find("sdg/5/"), Found::NoCases("Goal 5".into()));
        assert_eq!(t.find("case-studies/map.png"), Found::No);
    }

    #[test]
    fn suggestions_keep_the_kind_of_target() {
        let table = table();
        let t = targets(&table);
        assert_eq!(
            t.suggest("case-studies/nepal-desk.md", false).as_deref(),
            Some("case-studies/nepal-desks.md")
        );
        assert_eq!(
            t.suggest("levels/locl/", false).as_deref(),
            Some("levels/local/")
        );
        assert_eq!(
            t.suggest("case-studies/mapp.svg", true).as_deref(),
            Some("case-studies/map.svg")
        );
        assert_eq!(t.suggest("case-studies/unrelated.md", false), None);
    }
}
