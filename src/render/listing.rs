//! Listings: every paginated list of case studies, and the facet pages.
//!
//! All case studies, one listing per term (parents include their children's
//! case studies) and one per matrix intersection, each paginated so that every
//! case study is reachable without JavaScript.

use rayon::prelude::*;
use serde::Serialize;

use crate::config::MatrixSpec;
use crate::error::Result;
use crate::links::page_url;
use crate::output::Sink;
use crate::taxonomy::{intersect, intersection_url, CaseId, Facet};

use super::views::{PageLink, Pagination, TermLink, TermNode};
use super::Site;

/// The page-specific variables of `listing.html`.
#[derive(Debug, Serialize)]
struct ListingBody {
    heading: String,
    kicker: String,
    intro: String,
    count: usize,
    facet: Option<FacetRef>,
    parent: Option<TermLink>,
    children: Vec<TermLink>,
    cards: Vec<String>,
    pagination: Pagination,
}

#[derive(Debug, Clone, Serialize)]
struct FacetRef {
    label: String,
    url: String,
}

/// What a listing is about; the same for each of its pages.
#[derive(Debug, Clone)]
struct Listing {
    url: String,
    heading: String,
    kicker: String,
    intro: String,
    facet: Option<FacetRef>,
    parent: Option<TermLink>,
    children: Vec<TermLink>,
}

/// Renders all listings and facet pages; returns the number of pages written.
pub(super) fn render_all(site: &Site<'_>, out: &dyn Sink) -> Result<usize> {
    let mut jobs: Vec<(Listing, Vec<CaseId>)> = vec![all_cases(site)];
    for facet in &site.portal.taxonomy.facets {
        jobs.extend(
            (0..facet.terms.len())
                .filter(|&t| !facet.cases[t].is_empty())
                .map(|t| term_listing(site, facet, t)),
        );
    }
    jobs.extend(intersections(site));
    let counts = jobs
        .par_iter()
        .map(|(listing, cases)| render_listing(site, out, listing, cases))
        .collect::<Result<Vec<usize>>>()?;
    let facet_pages = render_facet_pages(site, out)?;
    Ok(counts.iter().sum::<usize>() + facet_pages)
}

/// Re-renders, in every listing holding case study `id`, the page it is on.
pub(super) fn render_edit(site: &Site<'_>, out: &dyn Sink, id: CaseId) -> Result<usize> {
    let mut jobs: Vec<(Listing, Vec<CaseId>)> = vec![all_cases(site)];
    for facet in &site.portal.taxonomy.facets {
        jobs.extend(
            (0..facet.terms.len())
                .filter(|&t| facet.cases[t].binary_search(&id).is_ok())
                .map(|t| term_listing(site, facet, t)),
        );
    }
    jobs.extend(
        intersections(site)
            .into_iter()
            .filter(|(_, cases)| cases.binary_search(&id).is_ok()),
    );
    for (listing, cases) in &jobs {
        let position = cases.binary_search(&id).unwrap_or(0);
        render_listing_page(
            site,
            out,
            listing,
            cases,
            position / site.portal.config.per_page + 1,
        )?;
    }
    Ok(jobs.len())
}

fn all_cases(site: &Site<'_>) -> (Listing, Vec<CaseId>) {
    let listing = Listing {
        url: format!("{}/", site.portal.config.case_studies_path),
        heading: "All case studies".into(),
        kicker: String::new(),
        intro: String::new(),
        facet: None,
        parent: None,
        children: Vec::new(),
    };
    (
        listing,
        (0..site.portal.content.cases.len() as CaseId).collect(),
    )
}

fn term_listing(site: &Site<'_>, facet: &Facet, term: usize) -> (Listing, Vec<CaseId>) {
    let t = &facet.terms[term];
    let listing = Listing {
        url: facet.term_url(term),
        heading: t.label.clone(),
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
    };
    (listing, facet.cases[term].clone())
}

/// One listing per non-empty cell of every matrix.
fn intersections(site: &Site<'_>) -> Vec<(Listing, Vec<CaseId>)> {
    let mut out = Vec::new();
    for (_, rows, cols) in site.matrix_facets() {
        for r in rows.roots() {
            for c in cols.roots() {
                let cases = intersect(&rows.cases[r], &cols.cases[c]);
                if cases.is_empty() {
                    continue;
                }
                let (rt, ct) = (&rows.terms[r], &cols.terms[c]);
                let listing = Listing {
                    url: intersection_url(rows, r, cols, c),
                    heading: format!("{} × {}", rt.label, ct.label),
                    kicker: format!("{} × {}", rows.label, cols.label),
                    intro: [rt.description.as_str(), ct.description.as_str()]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" · "),
                    facet: None,
                    parent: None,
                    children: vec![site.term_link(rows, r), site.term_link(cols, c)],
                };
                out.push((listing, cases));
            }
        }
    }
    out
}

impl Site<'_> {
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
}

/// Page numbers worth linking from page `current`: the first, the last and
/// two either side of the current one (a listing may have hundreds of pages).
fn window(current: usize, total: usize) -> impl Iterator<Item = usize> {
    (1..=total).filter(move |&n| n == 1 || n == total || n.abs_diff(current) <= 2)
}

fn render_listing(
    site: &Site<'_>,
    out: &dyn Sink,
    listing: &Listing,
    cases: &[CaseId],
) -> Result<usize> {
    let total = cases.len().div_ceil(site.portal.config.per_page).max(1);
    for page in 1..=total {
        render_listing_page(site, out, listing, cases, page)?;
    }
    Ok(total)
}

/// Renders page `page` (1-based) of a listing.
fn render_listing_page(
    site: &Site<'_>,
    out: &dyn Sink,
    listing: &Listing,
    cases: &[CaseId],
    page: usize,
) -> Result<()> {
    let per_page = site.portal.config.per_page;
    let total = cases.len().div_ceil(per_page).max(1);
    let url = page_url(&listing.url, page);
    let chunk = cases.chunks(per_page).nth(page - 1).unwrap_or(&[]);
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
        format!("{} (page {page} of {total})", listing.heading)
    } else {
        listing.heading.clone()
    };
    let body = ListingBody {
        heading: listing.heading.clone(),
        kicker: listing.kicker.clone(),
        intro: listing.intro.clone(),
        count: cases.len(),
        facet: listing.facet.clone(),
        parent: listing.parent.clone(),
        children: listing.children.clone(),
        cards: site.card_html(chunk, &url),
        pagination,
    };
    let context = site.context(
        &url,
        &title,
        &listing.intro,
        &site.portal.config.language,
        body,
    );
    site.write_page(out, "listing.html", &url, &context)
}

#[derive(Debug, Serialize)]
struct FacetBody {
    facet: FacetInfo,
    terms: Vec<TermNode>,
}

#[derive(Debug, Serialize)]
struct FacetInfo {
    key: String,
    label: String,
    description: String,
}

#[derive(Debug, Serialize)]
struct FacetsBody {
    facets: Vec<FacetSummary>,
}

#[derive(Debug, Serialize)]
struct FacetSummary {
    label: String,
    description: String,
    url: String,
    terms: Vec<TermLink>,
}

/// One page per facet (its term tree) and the overview of all facets.
fn render_facet_pages(site: &Site<'_>, out: &dyn Sink) -> Result<usize> {
    let lang = &site.portal.config.language;
    for facet in &site.portal.taxonomy.facets {
        let body = FacetBody {
            facet: FacetInfo {
                key: facet.key.clone(),
                label: facet.label.clone(),
                description: facet.description.clone(),
            },
            terms: facet.roots().map(|t| site.term_node(facet, t)).collect(),
        };
        let url = facet.url();
        let context = site.context(&url, &facet.label, &facet.description, lang, body);
        site.write_page(out, "facet.html", &url, &context)?;
    }
    let body = FacetsBody {
        facets: site
            .portal
            .taxonomy
            .facets
            .iter()
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
    };
    let context = site.context("browse/", "Explore by facet", "", lang, body);
    site.write_page(out, "facets.html", "browse/", &context)?;
    Ok(site.portal.taxonomy.facets.len() + 1)
}
