//! Links: site-relative URLs made relative to the page that links to them.
//!
//! Every internal link in the output is relative (`../../levels/local/`), so a
//! site works at a domain root, under a sub-path (`/practices/`) and from a
//! folder opened on disk. Pages pass `root` (the prefix back to the site root)
//! to templates; Markdown links are resolved here against the source file's
//! folder and rewritten for the page's URL.

use std::collections::HashMap;

/// The prefix from a page at site-relative `url` back to the site root.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// Site-relative output file for a page URL (`a/b/` → `a/b/index.html`).
pub fn file_for(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

/// URL of page `page` (1-based) of a listing at `base` (`levels/local/page/2/`).
pub fn page_url(base: &str, page: usize) -> String {
    if page == 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// Resolves Markdown links of one source file for its page.
#[derive(Debug)]
pub struct LinkResolver<'a> {
    /// Folder of the source under `content/` ("case-studies").
    pub source_dir: &'a str,
    /// Site-relative URL of the page being rendered.
    pub page_url: &'a str,
    /// Site-relative path of each Markdown source under `content/` → its URL.
    pub markdown_urls: &'a HashMap<String, String>,
}

impl LinkResolver<'_> {
    /// The rewritten target, or `None` for external links and anchors.
    pub fn resolve(&self, dest: &str) -> Option<String> {
        let target = self.site_path(dest)?;
        let (path, fragment) = match target.split_once('#') {
            Some((p, f)) => (p.to_string(), format!("#{f}")),
            None => (target, String::new()),
        };
        let path = self.markdown_urls.get(&path).cloned().unwrap_or(path);
        Some(format!("{}{path}{fragment}", root_prefix(self.page_url)))
    }

    /// The site-relative path a relative link points at, or `None` if external.
    pub fn site_path(&self, dest: &str) -> Option<String> {
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with('/') || has_scheme(dest) {
            return None;
        }
        let mut parts: Vec<&str> = self
            .source_dir
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        for seg in dest.split('/') {
            match seg {
                "." | "" => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        Some(parts.join("/"))
    }
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => !dest[..i].contains(['/', '?', '#']),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_files() {
        assert_eq!(root_prefix(""), "");
        assert_eq!(root_prefix("case-studies/x/"), "../../");
        assert_eq!(file_for("about/"), "about/index.html");
        assert_eq!(file_for(""), "index.html");
        assert_eq!(file_for("sitemap.xml"), "sitemap.xml");
    }

    #[test]
    fn relative_links_follow_the_page() {
        let mut md = HashMap::new();
        md.insert(
            "case-studies/other.md".to_string(),
            "case-studies/other/".to_string(),
        );
        let r = LinkResolver {
            source_dir: "case-studies",
            page_url: "case-studies/x/",
            markdown_urls: &md,
        };
        assert_eq!(
            r.resolve("map.svg").as_deref(),
            Some("../../case-studies/map.svg")
        );
        assert_eq!(
            r.resolve("other.md#results").as_deref(),
            Some("../../case-studies/other/#results")
        );
        assert_eq!(
            r.resolve("../pages/about.md").as_deref(),
            Some("../../pages/about.md")
        );
        assert_eq!(r.resolve("https://x.org"), None);
        assert_eq!(r.resolve("#top"), None);
    }
}
