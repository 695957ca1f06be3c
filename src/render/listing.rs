//! Listings: every paginated list of case studies, and the facet pages.
//!
//! All case studies, one listing per term (parents include their children's
//! case studies) and one per matrix intersection, each paginated so that every
//! case study is reachable without JavaScript.

use serde::Serialize;

use crate::config::MatrixSpec;
use crate::error::Result;
use crate::links::{self, page_url};
use crate::output::Sink;
use crate::taxonomy::{intersect, Facet};
use crate::urls::{Listing, ListingKind};

use super::map::MapView;
use super::timeline::TimelineView;
use super::Site;
use crate::templates::Converted;
use crate::views;
use crate::views::{lower_initial, PageLink, Pagination, TermLink, TermNode};

/// The page-specific variables of `listing.html`.
#[derive(Debug, Serialize)]
struct ListingBody<'a> {
    #[serde(flatten)]
    about: &'a About,
    count: usize,
    cards: Vec<Converted>,
    pagination: Pagination,
}

#[derive(Debug, Clone, Serialize)]
struct FacetRef {
    label: String,
    url: String,
}

/// What a listing is about; the same for each of its pages.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct About {
    heading: String,
    kicker: String,
    intro: String,
    facet: Option<FacetRef>,
    parent: Option<TermLink>,
    /// The terms crossed at an intersection, each with its own listing:
    /// wider, not narrower.
    broader: Vec<TermLink>,
    /// A term's children: each its own, narrower, listing.
    children: Vec<TermLink>,
    /// At an intersection, the ways to narrow it down (see [`narrowing`]).
    narrow: Vec<NarrowGroup>,
    /// A region of the map's facet: its map, zoomed to its countries
    /// (shown on the listing's first page).
    map: Option<MapView>,
}

/// Terms of one facet with their counts inside a listing, each linking to
/// the search page filtered to exactly those case studies.
#[derive(Debug, Clone, Serialize)]
struct NarrowGroup {
    /// Facet label ("GCM objective").
    label: String,
    terms: Vec<TermLink>,
}

/// Renders page `page` of listing `listing` of the URL table.
pub(super) fn render_page(
    site: &Site<'_>,
    out: &dyn Sink,
    listing: usize,
    page: usize,
) -> Result<()> {
    let about = site.about(listing);
    render_listing_page(site, out, about, &site.urls.listings[listing], page)
}

/// The heading, intro and links of a listing, from what it lists.
fn about(site: &Site<'_>, listing: &Listing) -> About {
    match listing.kind {
        ListingKind::All => About {
            heading: site.theme.strings().get("listing.all"),
            ..About::default()
        },
        ListingKind::Term { facet, term } => term_about(site, facet, term),
        ListingKind::Intersection { matrix, rows, cols } => About {
            narrow: narrowing(site, listing, matrix, rows, cols),
            ..intersection_about(site, rows, cols)
        },
    }
}

fn term_about(site: &Site<'_>, f: usize, term: usize) -> About {
    let facet = &site.portal.taxonomy.facets[f];
    let t = &facet.terms[term];
    let is_map = super::map::map_facet(site).is_some_and(|(m, _)| m == f);
    let map = (is_map && !t.children.is_empty())
        .then(|| super::map::map_view(site, f, Some(term), &facet.term_url(term)))
        .flatten();
    About {
        map,
        heading: t.name(),
        kicker: facet.label.clone(),
        intro: t.description.clone(),
        facet: Some(FacetRef {
            label: facet.label.clone(),
            url: facet.url(),
        }),
        parent: t.parent.map(|p| site.term_link(facet, p)),
        children: t
            .children
            .iter()
            .filter(|&&c| !facet.cases[c].is_empty())
            .map(|&c| site.term_link(facet, c))
            .collect(),
        ..About::default()
    }
}

/// A matrix cell: both terms, their descriptions, links to each.
fn intersection_about(site: &Site<'_>, (rf, r): (usize, usize), (cf, c): (usize, usize)) -> About {
    let facets = &site.portal.taxonomy.facets;
    let (rows, cols) = (&facets[rf], &facets[cf]);
    let (rt, ct) = (&rows.terms[r], &cols.terms[c]);
    About {
        heading: format!("{} × {}", rt.name(), ct.name()),
        kicker: format!("{} × {}", rows.label, cols.label),
        intro: [rt.description.as_str(), ct.description.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · "),
        broader: vec![site.term_link(rows, r), site.term_link(cols, c)],
        ..About::default()
    }
}

/// The ways to narrow an intersection down, each term with its count at
/// the intersection: the children of the crossed terms (the GCM objectives
/// of a round table), then the top-level terms of one more facet (regions).
/// No static page lists three terms' case studies, so each links to the
/// search page with the filters set, which shows exactly that many.
fn narrowing(
    site: &Site<'_>,
    listing: &Listing,
    matrix: usize,
    row: (usize, usize),
    col: (usize, usize),
) -> Vec<NarrowGroup> {
    let facets = &site.portal.taxonomy.facets;
    // A child replaces its parent among the filters (within a facet the
    // search page ORs its filters; the child is inside the parent anyway).
    let deeper = [(col, row), (row, col)].map(|((f, t), kept)| {
        let children = facets[f].terms[t].children.iter().copied();
        narrow_group(site, listing, f, children, &[kept])
    });
    let third = site.narrow_by(matrix).map(|f| {
        let roots = facets[f].roots();
        narrow_group(site, listing, f, roots, &[row, col])
    });
    deeper.into_iter().chain(third).flatten().collect()
}

/// `terms` of facet `f` that hold case studies of `listing`, with their
/// counts there and the search for `kept` filters and the term; `None` if
/// none does.
fn narrow_group(
    site: &Site<'_>,
    listing: &Listing,
    f: usize,
    terms: impl Iterator<Item = usize>,
    kept: &[(usize, usize)],
) -> Option<NarrowGroup> {
    let facets = &site.portal.taxonomy.facets;
    let code = |(f, t): (usize, usize)| (facets[f].key.as_str(), facets[f].terms[t].code.as_str());
    let links: Vec<TermLink> = terms
        .filter_map(|t| {
            let count = intersect(&listing.cases, &facets[f].cases[t]).len();
            let filters: Vec<_> = kept.iter().copied().chain([(f, t)]).map(code).collect();
            (count > 0).then(|| TermLink {
                label: facets[f].terms[t].name(),
                description: String::new(),
                url: links::search_url(&filters),
                count,
            })
        })
        .collect();
    (!links.is_empty()).then(|| NarrowGroup {
        label: lower_initial(&facets[f].label),
        terms: links,
    })
}

impl Site<'_> {
    /// What listing `i` of the URL table is about, made once (see
    /// `Site::abouts`).
    pub(super) fn about(&self, i: usize) -> &About {
        self.abouts[i].get_or_init(|| about(self, &self.urls.listings[i]))
    }

    /// Each configured matrix with its (rows, columns) facets. The config
    /// was validated to name existing facets, so none is left out.
    pub(super) fn matrix_facets(&self) -> Vec<(&MatrixSpec, &Facet, &Facet)> {
        let find = |key: &str| self.portal.taxonomy.facets.iter().find(|f| f.key == key);
        self.portal
            .config
            .matrices
            .iter()
            .filter_map(|m| Some((m, find(&m.rows)?, find(&m.columns)?)))
            .collect()
    }

    /// The facet narrowing the intersections of matrix `m` down: its
    /// `narrow_by`, else the first facet that is neither its rows nor its
    /// columns (the config was validated: `narrow_by` is one of those).
    fn narrow_by(&self, m: usize) -> Option<usize> {
        let spec = &self.portal.config.matrices[m];
        let facets = &self.portal.taxonomy.facets;
        match &spec.narrow_by {
            Some(key) => facets.iter().position(|f| &f.key == key),
            None => (facets.iter()).position(|f| f.key != spec.rows && f.key != spec.columns),
        }
    }
}

/// Page numbers worth linking from page `current`: the first, the last and
/// two either side of the current one (a listing may have hundreds of pages).
fn window(current: usize, total: usize) -> impl Iterator<Item = usize> {
    (1..=total).filter(move |&n| n == 1 || n == total || n.abs_diff(current) <= 2)
}

/// Renders page `page` (1-based) of a listing.
fn render_listing_page(
    site: &Site<'_>,
    out: &dyn Sink,
    about: &About,
    listing: &Listing,
    page: usize,
) -> Result<()> {
    let per_page = site.portal.config.per_page;
    let total = listing.pages;
    let url = page_url(&listing.url, page);
    let pagination = Pagination {
        current: page,
        total,
        prev_url: (page > 1).then(|| page_url(&listing.url, page - 1)),
        next_url: (page < total).then(|| page_url(&listing.url, page + 1)),
        pages: window(page, total)
            .map(|n| PageLink {
                number: n,
                url: page_url(&listing.url, n),
                current: n == page,
            })
            .collect(),
    };
    let title = if total > 1 {
        site.theme.strings().format(
            "listing.page_of",
            &[
                ("heading", &about.heading),
                ("page", &page.to_string()),
                ("total", &total.to_string()),
            ],
        )
    } else {
        about.heading.clone()
    };
    let body = ListingBody {
        about,
        count: listing.cases.len(),
        cards: site.card_html(listing.page_cases(page, per_page), &url),
        pagination,
    };
    let lang = &site.portal.config.language;
    let context = site.context(&url, &title, &about.intro, lang, body);
    site.write_page(out, "listing.html", &url, &context)
}

#[derive(Debug, Serialize)]
pub(super) struct FacetBody {
    facet: FacetInfo,
    /// The terms holding case studies, as a tree.
    terms: Vec<TermNode>,
    /// The terms holding none, folded away on the page: a tree in which a
    /// term that holds case studies is only `context` for its empty ones.
    empty: Vec<TermNode>,
    /// How many terms `empty` holds, per level: "8 goals and 145 targets".
    empty_summary: String,
    /// The world map, on the page of the facet the config maps.
    map: Option<MapView>,
    /// The chart of case studies per year, on the page of the year facet.
    timeline: Option<TimelineView>,
}

#[derive(Debug, Serialize)]
struct FacetInfo {
    key: String,
    label: String,
    description: String,
}

#[derive(Debug, Serialize)]
pub(super) struct FacetsBody {
    facets: Vec<FacetSummary>,
}

#[derive(Debug, Serialize)]
struct FacetSummary {
    label: String,
    description: String,
    url: String,
    terms: Vec<TermLink>,
}

/// The page of facet `f`: its term tree with counts.
pub(super) fn render_facet_page(site: &Site<'_>, out: &dyn Sink, f: usize) -> Result<()> {
    let facet = &site.portal.taxonomy.facets[f];
    let url = facet.url();
    let lang = &site.portal.config.language;
    let body = facet_body(site, f);
    let context = site.context(&url, &facet.label, &facet.description, lang, body);
    site.write_page(out, "facet.html", &url, &context)
}

/// What the page of facet `f` shows: the terms in use first; the others
/// (most of the 169 SDG targets, most countries) folded behind a count.
pub(super) fn facet_body(site: &Site<'_>, f: usize) -> FacetBody {
    let facet = &site.portal.taxonomy.facets[f];
    let used = |t: &usize| !facet.cases[*t].is_empty();
    FacetBody {
        facet: FacetInfo {
            key: facet.key.clone(),
            label: facet.label.clone(),
            description: facet.description.clone(),
        },
        terms: facet
            .roots()
            .filter(used)
            .map(|t| used_tree(facet, t))
            .collect(),
        empty: facet.roots().filter_map(|t| empty_tree(facet, t)).collect(),
        empty_summary: empty_summary(site.theme.strings(), facet),
        map: super::map::map_facet(site)
            .filter(|&(m, _)| m == f)
            .and_then(|_| super::map::map_view(site, f, None, &facet.url())),
        timeline: (super::timeline::year_facet(site) == Some(f))
            .then(|| {
                let root = crate::links::root_prefix(&facet.url());
                super::timeline::timeline(site, f, super::timeline::BarLink::Page(&root))
            })
            .flatten(),
    }
}

/// Term `t`, which holds case studies, with its children that do.
fn used_tree(facet: &Facet, t: usize) -> TermNode {
    let children = facet.terms[t].children.iter().copied();
    TermNode {
        children: (children.filter(|&c| !facet.cases[c].is_empty()))
            .map(|c| used_tree(facet, c))
            .collect(),
        ..views::term_node(facet, t)
    }
}

/// Term `t` if it holds no case study (with all its children, which hold
/// none either), or as context for those of its descendants that hold none.
fn empty_tree(facet: &Facet, t: usize) -> Option<TermNode> {
    if facet.cases[t].is_empty() {
        return Some(views::term_node(facet, t));
    }
    let children = facet.terms[t].children.iter();
    let empty: Vec<TermNode> = children.filter_map(|&c| empty_tree(facet, c)).collect();
    (!empty.is_empty()).then(|| TermNode {
        children: empty,
        context: true,
        ..views::term_node(facet, t)
    })
}

/// "8 goals and 145 targets": the terms holding no case study, per level.
fn empty_summary(strings: &crate::i18n::Strings, facet: &Facet) -> String {
    let depths = facet.terms.iter().map(|t| t.depth).max().unwrap_or(0);
    let parts: Vec<String> = (1..=depths)
        .filter_map(|depth| {
            let empty = (0..facet.terms.len())
                .filter(|&t| facet.terms[t].depth == depth && facet.cases[t].is_empty())
                .count();
            (empty > 0).then(|| match facet.levels.get(depth - 1) {
                Some(level) => strings.level(level, empty),
                None => strings.level("term", empty),
            })
        })
        .collect();
    strings.list(&parts)
}

/// The overview of all facets, each with its top-level terms in use.
pub(super) fn render_browse(site: &Site<'_>, out: &dyn Sink) -> Result<()> {
    let lang = &site.portal.config.language;
    let body = browse_body(site);
    let title = site.theme.strings().get("browse.title");
    let context = site.context(links::BROWSE_URL, &title, "", lang, body);
    site.write_page(out, "facets.html", links::BROWSE_URL, &context)
}

/// What the overview of all facets shows.
pub(super) fn browse_body(site: &Site<'_>) -> FacetsBody {
    FacetsBody {
        facets: (site.portal.taxonomy.facets.iter())
            .map(|f| FacetSummary {
                label: f.label.clone(),
                description: f.description.clone(),
                url: f.url(),
                terms: f
                    .roots()
                    .filter(|&t| !f.cases[t].is_empty())
                    .map(|t| site.term_link(f, t))
                    .collect(),
            })
            .collect(),
    }
}
