//! The portal's other pages: home (with the cross-level matrices of
//! [`super::matrix`]), standalone pages, the search page, 404, the Atom
//! feed, the sitemap and robots.txt.

use serde::Serialize;

use crate::content::discover::content_dir;
use crate::error::Result;
use crate::links::{self, LinkResolver};
use crate::markdown;
use crate::output::Sink;
use crate::taxonomy::CaseId;
use crate::urls::{ListingKind, PageKind, Published};

use super::Site;
use crate::templates::Converted;
use crate::views::{MatrixView, PageContext};

/// How many entries the Atom feed carries.
pub(super) const FEED_ENTRIES: usize = 30;

/// Writes the site's files that are not pages of the table: the 404 page,
/// the feed, the sitemap and robots.txt. They show the whole site, so
/// every change rewrites them.
pub(super) fn render_site_files(site: &Site<'_>, out: &dyn Sink) -> Result<()> {
    render_changed_site_files(site, out, [true; 3])
}

/// Writes the site files `changed` says to, as (404 page and robots.txt,
/// feed, sitemap).
pub(super) fn render_changed_site_files(
    site: &Site<'_>,
    out: &dyn Sink,
    [shell, feed, sitemap]: [bool; 3],
) -> Result<()> {
    if shell {
        render_404(site, out)?;
    }
    if shell && site.is_default_edition() {
        // One robots.txt, at the root, naming every edition's sitemap.
        let mut robots = String::from("User-agent: *\nAllow: /\n");
        for prefix in site.edition_prefixes() {
            robots.push_str(&format!(
                "Sitemap: {}{prefix}sitemap.xml\n",
                site.view.site_url
            ));
        }
        out.write("robots.txt", robots.as_bytes())?;
    }
    if feed {
        render_feed(site, out)?;
    }
    if sitemap {
        render_sitemap(site, out)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct HomeBody {
    intro_html: String,
    stats: Vec<Stat>,
    newest: Vec<Converted>,
    matrices: Vec<MatrixView>,
    /// The catalogue described for data portals (as `catalogue.jsonld`).
    dataset_json_ld: String,
}

#[derive(Serialize)]
struct Stat {
    label: String,
    count: usize,
    url: String,
}

pub(super) fn render_home(site: &Site<'_>, out: &dyn Sink) -> Result<()> {
    // The intro is written as if it were a file at the top of `content/`.
    let resolver = LinkResolver {
        source_dir: "",
        page_url: "",
        markdown_urls: &site.markdown_urls,
    };
    let intro_html = markdown::render(
        &site.portal.config.intro,
        site.portal.config.raw_html,
        &|d| resolver.resolve(d),
    )
    .html;
    let body = HomeBody {
        intro_html,
        stats: stats(site),
        newest: site.card_html(
            &(0..site
                .portal
                .content
                .cases
                .len()
                .min(site.portal.config.newest) as CaseId)
                .collect::<Vec<_>>(),
            "",
        ),
        matrices: super::matrix::matrices(site),
        dataset_json_ld: crate::structured::dataset_json_ld(
            site.portal,
            site.theme.strings(),
            true,
        ),
    };
    let context = site.context(
        "",
        &site.portal.config.title,
        &site.portal.config.tagline,
        &site.portal.config.language,
        body,
    );
    site.write_page(out, "home.html", "", &context)
}

/// The home page's counts, those at 0 left out.
fn stats(site: &Site<'_>) -> Vec<Stat> {
    let cases = Stat {
        label: site.theme.strings().get("nav.cases"),
        count: site.portal.content.cases.len(),
        url: crate::links::cases_url(&site.portal.config.case_studies_path),
    };
    let per_facet = site.portal.config.stats.iter().filter_map(|s| {
        let facet = site
            .portal
            .taxonomy
            .facets
            .iter()
            .find(|f| f.key == s.facet)?;
        let count = (0..facet.terms.len())
            .filter(|&t| facet.terms[t].depth == s.depth && !facet.cases[t].is_empty())
            .count();
        Some(Stat {
            label: s.label.clone(),
            count,
            url: facet.url(),
        })
    });
    // "0 SDG targets" tells a reader nothing they can open.
    (std::iter::once(cases).chain(per_facet))
        .filter(|s| s.count > 0)
        .collect()
}

#[derive(Serialize)]
struct PageBody {
    page: PageView,
}

#[derive(Serialize)]
struct PageView {
    title: String,
    summary: String,
    html: String,
    toc: Vec<markdown::TocEntry>,
}

/// Standalone page `index` of the content (About).
pub(super) fn render_page(site: &Site<'_>, out: &dyn Sink, index: usize) -> Result<()> {
    let page = &site.portal.content.pages[index];
    let dir = content_dir(&page.source);
    let resolver = LinkResolver {
        source_dir: &dir,
        page_url: &page.url,
        markdown_urls: &site.markdown_urls,
    };
    let body = markdown::render(&page.body, site.portal.config.raw_html, &|d| {
        resolver.resolve(d)
    });
    let view = PageView {
        title: page.title.clone(),
        summary: page.summary.clone(),
        html: body.html,
        toc: body.toc,
    };
    let context = site.context(
        &page.url,
        &page.title,
        &page.summary,
        &page.language,
        PageBody { page: view },
    );
    site.write_page(out, "page.html", &page.url, &context)
}

/// The search page's own variables: which charts it offers, and the words
/// of its script (see [`crate::i18n::Strings::script_json`]).
#[derive(Serialize)]
struct SearchBody<T: Serialize> {
    #[serde(flatten)]
    charts: T,
    /// JSON, safe inside a script element.
    ui_strings: String,
    /// Whether a query searches the edition's own language unless widened
    /// to the untranslated case studies ([`crate::search::own_language`]).
    widen: bool,
}

pub(super) fn render_search(site: &Site<'_>, out: &dyn Sink) -> Result<()> {
    let strings = site.theme.strings();
    let body = SearchBody {
        charts: super::charts::write_search_charts(site, out)?,
        ui_strings: crate::structured::script_safe(&strings.script_json()),
        widen: crate::search::own_language(site.portal).is_some(),
    };
    let context = site.context(
        links::SEARCH_URL,
        &strings.get("search.title"),
        &strings.get("search.description"),
        &site.portal.config.language,
        body,
    );
    site.write_page(out, "search.html", links::SEARCH_URL, &context)
}

#[derive(Serialize)]
struct GapsBody {
    gaps: crate::gaps::Gaps,
}

/// The coverage gaps page (the same data as `gaps.json`).
pub(super) fn render_gaps(site: &Site<'_>, out: &dyn Sink) -> Result<()> {
    let url = crate::gaps::GAPS_URL;
    let body = GapsBody {
        gaps: crate::gaps::Gaps::new(site.portal, site.theme.strings()),
    };
    let strings = site.theme.strings();
    let (title, description) = (strings.get("gaps.title"), strings.get("gaps.description"));
    let lang = &site.portal.config.language;
    let context = site.context(url, &title, &description, lang, body);
    site.write_page(out, "gaps.html", url, &context)
}

/// 404 pages are served at any depth, so they link from the site's base path.
fn render_404(site: &Site<'_>, out: &dyn Sink) -> Result<()> {
    let title = site.theme.strings().get("notfound.title");
    let mut context: PageContext<'_, ()> =
        site.context("", &title, "", &site.portal.config.language, ());
    context.root = site.portal.config.base_path();
    context.site_root = crate::config::path_of(&site.view.site_url);
    context.canonical = String::new();
    let html = site.theme.render("404.html", &context)?;
    out.write("404.html", html.as_bytes())
}

#[derive(Serialize)]
struct FeedContext<'a> {
    site: &'a crate::views::SiteView,
    updated: String,
    feed_url_abs: String,
    home_url_abs: String,
    entries: Vec<FeedEntry>,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url_abs: String,
    updated: String,
    summary: String,
}

fn rfc3339(date: Option<jiff::civil::Date>) -> String {
    date.map(|d| format!("{d}T00:00:00Z"))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}

pub(super) fn render_feed(site: &Site<'_>, out: &dyn Sink) -> Result<()> {
    let base = &site.view.base_url;
    let entries: Vec<FeedEntry> = site
        .portal
        .content
        .cases
        .iter()
        // Drafts shown by `serve` or `build --drafts` are never announced;
        // a language's feed announces what is published in that language.
        .filter(|c| c.meta.status.is_published())
        .filter(|c| crate::views::other_language(site.portal, &c.meta.language).is_empty())
        .take(FEED_ENTRIES)
        .map(|c| FeedEntry {
            title: c.meta.title.clone(),
            url_abs: format!("{base}{}", c.url),
            updated: rfc3339(c.meta.date),
            summary: c.meta.summary.clone(),
        })
        .collect();
    let context = FeedContext {
        site: &site.view,
        updated: entries
            .first()
            .map(|e| e.updated.clone())
            .unwrap_or_else(|| rfc3339(None)),
        feed_url_abs: format!("{base}atom.xml"),
        home_url_abs: base.clone(),
        entries,
    };
    let xml = site.theme.render("atom.xml", &context)?;
    out.write(links::FEED_FILE, xml.as_bytes())
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: String,
    /// In a multilingual portal, the page's versions (hreflang, absolute URL).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alternates: Vec<(String, String)>,
}

/// Whether a page is listed in the sitemap: the pages a search engine
/// should index, each once (first pages of the case-study and term
/// listings, not the search page, later pages or matrix cells).
pub(super) fn in_sitemap(site: &Site<'_>, page: &Published) -> bool {
    match page.kind {
        PageKind::Home | PageKind::Browse | PageKind::Case(_) => true,
        PageKind::Page(_) | PageKind::Facet(_) | PageKind::Gaps => true,
        PageKind::Search => false,
        PageKind::Listing { listing, page } => {
            page == 1
                && !matches!(
                    site.urls.listings[listing].kind,
                    ListingKind::Intersection { .. }
                )
        }
    }
}

fn render_sitemap(site: &Site<'_>, out: &dyn Sink) -> Result<()> {
    let base = &site.view.base_url;
    // The sitemap protocol wants URLs escaped: a term slug may be in any
    // script (`themes/日本語/`).
    let site_url = &site.view.site_url;
    let loc = |url: &str, lastmod: String| SitemapUrl {
        loc: format!("{base}{}", crate::links::encode_path(url)),
        lastmod,
        alternates: (site.language_links(url).into_iter())
            .filter(|l| l.alternate)
            .map(|l| {
                (
                    l.code,
                    format!("{site_url}{}", crate::links::encode_path(&l.url)),
                )
            })
            .collect(),
    };
    let cases = &site.portal.content.cases;
    // An untranslated case study shown in another language's edition is a
    // copy, whose canonical page is its original's: not listed.
    let copy = |id: CaseId| {
        !crate::views::other_language(site.portal, &cases[id as usize].meta.language).is_empty()
    };
    let urls: Vec<SitemapUrl> = site
        .urls
        .pages
        .iter()
        .filter_map(|page| match page.kind {
            // Drafts shown by `serve` or `build --drafts` are not for
            // search engines (their pages say `noindex` too).
            PageKind::Case(id) if !cases[id as usize].meta.status.is_published() => None,
            PageKind::Case(id) if copy(id) => None,
            PageKind::Case(id) => {
                let date = cases[id as usize].meta.date;
                Some(loc(
                    &page.url,
                    date.map(|d| d.to_string()).unwrap_or_default(),
                ))
            }
            _ if in_sitemap(site, page) => Some(loc(&page.url, String::new())),
            _ => None,
        })
        .collect();
    #[derive(Serialize)]
    struct Ctx {
        urls: Vec<SitemapUrl>,
        multilingual: bool,
    }
    let multilingual = site.portal.config.is_multilingual();
    let xml = site
        .theme
        .render("sitemap.xml", &Ctx { urls, multilingual })?;
    out.write("sitemap.xml", xml.as_bytes())
}
