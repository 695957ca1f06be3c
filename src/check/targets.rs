//! What a build would publish: every page URL and file, computed from the
//! content and the taxonomy without rendering anything.
//!
//! The URL scheme mirrors the render stage (`render::listing` for listings,
//! pagination and matrix intersections, `render::extras` for the rest); a
//! test in `tests/editor.rs` checks the two agree on the fixture site.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::portal::Portal;
use crate::taxonomy::{intersect, Facet, Taxonomy};

/// Files the build writes besides pages and assets.
const SITE_FILES: &[&str] = &[
    "404.html",
    "robots.txt",
    "sitemap.xml",
    "atom.xml",
    "catalogue.json",
    "catalogue.csv",
];

/// Pages the build writes whatever the content.
const FIXED_PAGES: &[&str] = &["", "browse/", "search/"];

/// Every page and file a build of the site would publish.
#[derive(Debug, Default)]
pub(super) struct Targets {
    /// Markdown source under `content/` → the URL of its page.
    pub(super) markdown: HashMap<String, String>,
    /// Page URLs, site-relative, ending in `/` ("" is the home page).
    pages: HashSet<String>,
    /// Other files, site-relative.
    files: HashSet<String>,
    /// The files among them that the build writes itself (not the assets).
    own_files: HashSet<String>,
    /// URL → label of each term that has no case studies, hence no page.
    unpublished: HashMap<String, String>,
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
    /// Nothing.
    No,
}

impl Targets {
    /// Computes the targets of a build of `content`.
    pub(super) fn new(portal: &Portal, statics: &[String]) -> Targets {
        let (config, content, taxonomy) = (&portal.config, &portal.content, &portal.taxonomy);
        let mut t = Targets::default();
        t.pages.extend(FIXED_PAGES.iter().map(|p| p.to_string()));
        let listing = format!("{}/", config.case_studies_path);
        t.add_listing(&listing, content.cases.len(), config.per_page);
        t.markdown = content.markdown_urls();
        t.pages.extend(t.markdown.values().cloned());
        for facet in &taxonomy.facets {
            t.add_facet(facet, config.per_page);
        }
        t.add_intersections(config, taxonomy);
        t.own_files.extend(SITE_FILES.iter().map(|f| f.to_string()));
        t.own_files
            .extend(statics.iter().map(|s| format!("assets/{s}")));
        t.files.extend(t.own_files.iter().cloned());
        t.files
            .extend(content.assets.iter().map(|(_, rel)| rel.clone()));
        t
    }

    /// Why an asset cannot be copied to site-relative `rel`, if it cannot:
    /// the build writes a page, one of its own files or the search data
    /// (all of `search/`) there, and the copy would silently replace it.
    pub(super) fn taken(&self, rel: &str) -> Option<String> {
        let page = rel
            .strip_suffix("index.html")
            .filter(|url| url.is_empty() || url.ends_with('/'));
        if let Some(url) = page.filter(|url| self.pages.contains(*url)) {
            return Some(format!("this file would replace the page /{url}"));
        }
        if self.own_files.contains(rel) {
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
            if !self.markdown.contains_key(&rel) {
                self.unloaded.insert(rel);
            }
        }
    }

    /// A listing and its pagination (`page/2/`...), as `render::listing` writes them.
    fn add_listing(&mut self, url: &str, cases: usize, per_page: usize) {
        self.pages.insert(url.to_string());
        let pages = cases.div_ceil(per_page.max(1));
        self.pages
            .extend((2..=pages).map(|n| crate::links::page_url(url, n)));
    }

    fn add_facet(&mut self, facet: &Facet, per_page: usize) {
        self.pages.insert(facet.url());
        for term in 0..facet.terms.len() {
            let url = facet.term_url(term);
            match facet.cases[term].len() {
                0 => {
                    self.unpublished
                        .insert(url, facet.terms[term].label.clone());
                }
                n => self.add_listing(&url, n, per_page),
            }
        }
    }

    /// Non-empty cells of the home page's matrices (`explore/a-x/b-y/`).
    fn add_intersections(&mut self, config: &Config, taxonomy: &Taxonomy) {
        let find = |key: &str| taxonomy.facets.iter().find(|f| f.key == key);
        for matrix in &config.matrices {
            let (Some(rows), Some(cols)) = (find(&matrix.rows), find(&matrix.columns)) else {
                continue;
            };
            for r in rows.roots() {
                for c in cols.roots() {
                    let n = intersect(&rows.cases[r], &cols.cases[c]).len();
                    if n > 0 {
                        let url = crate::taxonomy::intersection_url(rows, r, cols, c);
                        self.add_listing(&url, n, config.per_page);
                    }
                }
            }
        }
    }

    /// What a site-relative path (no fragment) names. A page may be linked
    /// with or without its trailing `/` or `index.html`, and through its
    /// Markdown source.
    pub(super) fn find(&self, path: &str) -> Found {
        if let Some(url) = self.markdown.get(path) {
            return Found::Yes(url.clone());
        }
        if self.unloaded.contains(path) {
            return Found::Unloaded;
        }
        let page = path.strip_suffix("index.html").unwrap_or(path);
        let with_slash = if page.is_empty() || page.ends_with('/') {
            page.to_string()
        } else {
            format!("{page}/")
        };
        if self.pages.contains(&with_slash) {
            return Found::Yes(with_slash);
        }
        if self.files.contains(path) {
            return Found::Yes(path.to_string());
        }
        match self.unpublished.get(&with_slash) {
            Some(label) => Found::NoCases(label.clone()),
            None => Found::No,
        }
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
            self.markdown.keys().collect()
        } else if image || wanted_last.contains('.') {
            self.files.iter().collect()
        } else {
            self.pages.iter().collect()
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

    fn targets() -> Targets {
        let mut t = Targets::default();
        t.pages
            .extend(["", "about/", "levels/local/"].map(String::from));
        t.files.insert("case-studies/map.svg".into());
        t.markdown.insert(
            "case-studies/nepal-desks.md".into(),
            "case-studies/nepal-desks/".into(),
        );
        t.unpublished.insert("sdg/5/".into(), "Goal 5".into());
        t
    }

    #[test]
    fn pages_resolve_with_or_without_slash_and_index() {
        let t = targets();
        for path in ["about/", "about", "about/index.html", "", "index.html"] {
            assert!(matches!(t.find(path), Found::Yes(_)), "{path}");
        }
        assert_eq!(t.find("sdg/5/"), Found::NoCases("Goal 5".into()));
        assert_eq!(t.find("case-studies/map.png"), Found::No);
    }

    #[test]
    fn suggestions_keep_the_kind_of_target() {
        let t = targets();
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
