//! Links: the URL scheme of the portal (what each kind of page is called,
//! [`crate::urls`] lists them), and site-relative URLs made relative to the
//! page that links to them.
//!
//! Every internal link in the output is relative (`../../levels/local/`), so a
//! site works at a domain root, under a sub-path (`/practices/`) and from a
//! folder opened on disk. Pages pass `root` (the prefix back to the site root)
//! to templates; Markdown links are resolved here against the source file's
//! folder and rewritten for the page's URL.

use std::collections::HashMap;

/// Top-level URL folders the portal itself uses: no facet, page or
/// case-study folder may take them.
pub const RESERVED: &[&str] = &[
    "assets",
    "browse",
    "explore",
    "gaps",
    "search",
    "page",
    "__casebook",
];

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

/// URL of the overview of every facet.
pub const BROWSE_URL: &str = "browse/";

/// URL of the search page (its data is under the same folder).
pub const SEARCH_URL: &str = "search/";

/// The Atom feed of the newest case studies.
pub const FEED_FILE: &str = "atom.xml";

/// Whether `text` is a web address (`https://…`) rather than a name: a
/// case study's `source` may be either, and structured data and citations
/// give an address as one (a link to what it is based on), not as an
/// organisation or author.
pub fn is_web_address(text: &str) -> bool {
    let lower = text
        .trim_start()
        .get(..8)
        .unwrap_or(text)
        .to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// URL of the listing of every case study (`case-studies/`).
pub fn cases_url(case_path: &str) -> String {
    format!("{case_path}/")
}

/// URL of a case study's page (`case-studies/<slug>/`).
pub fn case_url(case_path: &str, slug: &str) -> String {
    format!("{case_path}/{slug}/")
}

/// URL of a standalone page (`about/`).
pub fn standalone_url(slug: &str) -> String {
    format!("{slug}/")
}

/// URL of a facet's page (`sdg/`).
pub fn facet_url(facet: &str) -> String {
    format!("{facet}/")
}

/// URL of a term's listing (`sdg/10-7/`).
pub fn term_url(facet: &str, term: &str) -> String {
    format!("{facet}/{term}/")
}

/// URL of the listing at a matrix cell, given each term as (facet, slug):
/// `explore/levels-local/sdg-10/`.
pub fn intersection_url(row: (&str, &str), column: (&str, &str)) -> String {
    format!("explore/{}-{}/{}-{}/", row.0, row.1, column.0, column.1)
}

/// URL of the search page with filters set, one `(facet key, term code)`
/// each: `search/?levels=local&gcm=rt3&geography=europe`, the query string
/// the page reads its state from. Codes are free text for free tags
/// ("Policy coherence"), so both sides are percent-encoded.
pub fn search_url(filters: &[(&str, &str)]) -> String {
    let encode = |s: &str| percent_encoding::utf8_percent_encode(s, QUERY_VALUE).to_string();
    let query: Vec<String> = (filters.iter())
        .map(|(key, code)| format!("{}={}", encode(key), encode(code)))
        .collect();
    format!("{SEARCH_URL}?{}", query.join("&"))
}

/// What a query string's key or value may not hold as is: everything but
/// the characters `URLSearchParams` never encodes.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'*');

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

/// What an author may write in a path but an HTML attribute's URL may not
/// hold as is (`image: "my map.svg"`); `%` stays, so `%20` is not encoded
/// twice.
const UNSAFE_IN_PATHS: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`');

/// `path` with what a URL may not hold as is percent-encoded: non-ASCII
/// letters (slugs keep them), spaces, quotes; `%` and `/` stay.
pub fn encode_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, UNSAFE_IN_PATHS).to_string()
}

/// A relative link target, read as a browser reads it.
///
/// The renderer and the link checker both work from this one reading, so a
/// link the checker accepts (`my%20case.md?ref=x#results`) is the link the
/// renderer rewrites, never one it leaves pointing at a `.md` file.
#[derive(Debug, PartialEq, Eq)]
pub struct Target<'d> {
    /// The site-relative file it names, percent-decoded (`case-studies/my case.md`).
    pub path: String,
    /// The same path as written, still percent-encoded, for the output.
    written: String,
    /// `?query` as written, with its `?`, or "".
    pub query: &'d str,
    /// What follows `#`, if there is a `#`.
    pub fragment: Option<&'d str>,
}

impl Target<'_> {
    /// The link to `path` with this target's query and fragment.
    fn with_path(&self, path: &str) -> String {
        let fragment = self.fragment.map(|f| format!("#{f}")).unwrap_or_default();
        format!("{path}{}{fragment}", self.query)
    }
}

impl LinkResolver<'_> {
    /// The rewritten target, or `None` for external links and anchors.
    pub fn resolve(&self, dest: &str) -> Option<String> {
        let target = self.target(dest)?;
        // A Markdown source becomes its page; any other file keeps its path.
        let path = match self.markdown_urls.get(&target.path) {
            Some(url) => url.clone(),
            None => encode_path(&target.written),
        };
        Some(format!(
            "{}{}",
            root_prefix(self.page_url),
            target.with_path(&path)
        ))
    }

    /// The site-relative target of a relative link, or `None` if it is
    /// external, absolute or an anchor on the same page.
    pub fn target<'d>(&self, dest: &'d str) -> Option<Target<'d>> {
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with('/') || has_scheme(dest) {
            return None;
        }
        let (rest, fragment) = match dest.split_once('#') {
            Some((rest, f)) => (rest, Some(f)),
            None => (dest, None),
        };
        let (path, query) = rest.split_at(rest.find('?').unwrap_or(rest.len()));
        let written = self.join(path);
        let path = percent_encoding::percent_decode_str(&written)
            .decode_utf8()
            .map_or_else(|_| written.clone(), |p| p.into_owned());
        Some(Target {
            path,
            written,
            query,
            fragment,
        })
    }

    /// A relative path, as written, joined to the source's folder. A
    /// trailing `/` stays: `../levels/local/` is a page, and without it a
    /// folder opened from disk shows a file listing instead.
    fn join(&self, relative: &str) -> String {
        let mut parts: Vec<&str> = self
            .source_dir
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        for seg in relative.split('/') {
            match seg {
                "." | "" => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        let mut joined = parts.join("/");
        if relative.ends_with('/') && !joined.is_empty() {
            joined.push('/');
        }
        joined
    }
}

/// URL schemes a link or image taken from content or config may use: the
/// web and e-mail. Everything else (`javascript:`, `data:`, `vbscript:`,
/// `file:`) could run script in a reader's browser or reach their disk.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// The scheme of `url` when it is not one of [`ALLOWED_SCHEMES`]; `None` for
/// allowed and relative URLs.
///
/// The URL is read as a browser reads an `href`: leading and trailing
/// spaces and control characters are ignored and tabs and line breaks
/// removed anywhere, so ` JaVaScript:` and `java\tscript:` are both caught.
pub fn forbidden_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let scheme = scheme.to_ascii_lowercase();
    (is_scheme && !ALLOWED_SCHEMES.contains(&scheme.as_str())).then_some(scheme)
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
    fn search_urls_encode_free_text_codes() {
        assert_eq!(
            search_url(&[("levels", "local"), ("sdg", "10.7")]),
            "search/?levels=local&sdg=10.7"
        );
        assert_eq!(
            search_url(&[("themes", "Policy & coherence"), ("geography", "Côte")]),
            "search/?themes=Policy%20%26%20coherence&geography=C%C3%B4te"
        );
    }

    /// One Markdown source and the URL of its page.
    fn markdown_urls(source: &str, url: &str) -> HashMap<String, String> {
        HashMap::from([(source.to_string(), url.to_string())])
    }

    /// The resolver of a case study at `case-studies/x/`.
    fn from_case_page(md: &HashMap<String, String>) -> LinkResolver<'_> {
        LinkResolver {
            source_dir: "case-studies",
            page_url: "case-studies/x/",
            markdown_urls: md,
        }
    }

    #[test]
    fn web_addresses_are_told_from_names() {
        for address in ["https://example.org/r", "HTTP://x.org", " https://a.b"] {
            assert!(is_web_address(address), "{address}");
        }
        for name in [
            "UNDP: Annual report",
            "Direct contribution",
            "http",
            "é-https://",
        ] {
            assert!(!is_web_address(name), "{name}");
        }
    }

    #[test]
    fn only_web_and_mail_schemes_are_allowed() {
        for ok in [
            "https://x.org",
            "HTTP://x.org",
            "mailto:a@b.org",
            "map.svg",
            "../pages/about.md#a:b",
            "a/b:c",
            "?q=x:y",
            "#x:y",
            "",
        ] {
            assert_eq!(forbidden_scheme(ok), None, "{ok:?}");
        }
        for (bad, scheme) in [
            ("javascript:alert(1)", "javascript"),
            (" JaVaScRiPt:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("\u{1}javascript:alert(1)", "javascript"),
            ("data:text/html,x", "data"),
            ("vbscript:x", "vbscript"),
            ("file:///etc/passwd", "file"),
        ] {
            assert_eq!(forbidden_scheme(bad).as_deref(), Some(scheme), "{bad:?}");
        }
    }

    #[test]
    fn paths_are_encoded_once() {
        assert_eq!(encode_path("themes/日本/"), "themes/%E6%97%A5%E6%9C%AC/");
        assert_eq!(encode_path("a%20b/c d.pdf"), "a%20b/c%20d.pdf");
    }

    #[test]
    fn prefixes_and_files() {
        assert_eq!(root_prefix(""), "");
        assert_eq!(root_prefix("case-studies/x/"), "../../");
        assert_eq!(file_for("about/"), "about/index.html");
        assert_eq!(file_for(""), "index.html");
        assert_eq!(file_for("sitemap.xml"), "sitemap.xml");
    }

    #[test]
    fn encoded_names_and_queries_reach_the_markdown_page() {
        let md = markdown_urls("case-studies/my case.md", "case-studies/my-case/");
        let r = from_case_page(&md);
        assert_eq!(
            r.resolve("my%20case.md?ref=list#results").as_deref(),
            Some("../../case-studies/my-case/?ref=list#results")
        );
        assert_eq!(
            r.resolve("full%20study.pdf?v=2").as_deref(),
            Some("../../case-studies/full%20study.pdf?v=2"),
            "an asset link keeps its encoding"
        );
        let target = r.target("a%20b.pdf?x#y").unwrap();
        assert_eq!(target.path, "case-studies/a b.pdf");
        assert_eq!((target.query, target.fragment), ("?x", Some("y")));
        assert_eq!(r.target("100%.pdf").unwrap().path, "case-studies/100%.pdf");
        assert_eq!(
            r.resolve("my map.svg").as_deref(),
            Some("../../case-studies/my%20map.svg"),
            "a space written in front matter is encoded"
        );
        assert_eq!(
            r.resolve("httpmap.svg").as_deref(),
            Some("../../case-studies/httpmap.svg")
        );
    }

    #[test]
    fn relative_links_follow_the_page() {
        let md = markdown_urls("case-studies/other.md", "case-studies/other/");
        let r = from_case_page(&md);
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
        assert_eq!(
            r.resolve("../levels/local/").as_deref(),
            Some("../../levels/local/")
        );
        assert_eq!(r.resolve("https://x.org"), None);
        assert_eq!(r.resolve("/abs/path"), None);
        assert_eq!(r.resolve("#top"), None);
    }
}
