//! URLs: every page and file the portal publishes, as data.
//!
//! Stage input: the [`Portal`] and the theme's static files. Output: a
//! [`UrlTable`] listing each page (its kind, its URL, the case studies it
//! shows) and each file the build writes itself. It is the one place the
//! URL scheme lives: the renderer renders what it lists, the sitemap is
//! drawn from it, the link checker resolves links against it, and `serve`
//! compares two of them to know which pages an edit touches.

use std::collections::{HashMap, HashSet};

use crate::links::{self, page_url};
use crate::portal::Portal;
use crate::taxonomy::{intersect, intersection_url, CaseId};

/// Files the build writes besides pages and assets.
pub const SITE_FILES: &[&str] = &[
    "404.html",
    "robots.txt",
    "sitemap.xml",
    "atom.xml",
    "catalogue.json",
    "catalogue.csv",
    crate::structured::DATASET_FILE,
    crate::gaps::GAPS_FILE,
];

/// What a page is, which says what it shows and what it depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// The home page: counts, newest case studies, matrices.
    Home,
    /// The overview of every facet.
    Browse,
    /// The search page (its data is under `search/`).
    Search,
    /// The coverage gaps: what no case study covers yet.
    Gaps,
    /// A case study's page.
    Case(CaseId),
    /// A standalone page (index into `content.pages`).
    Page(usize),
    /// A facet's term tree (index into `taxonomy.facets`).
    Facet(usize),
    /// Page `page` (1-based) of a listing (index into [`UrlTable::listings`]).
    Listing {
        /// Which listing.
        listing: usize,
        /// Which page of it.
        page: usize,
    },
}

/// What a listing lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListingKind {
    /// Every case study.
    All,
    /// The case studies of one term (a parent includes its children's).
    Term {
        /// Index into `taxonomy.facets`.
        facet: usize,
        /// Index into the facet's terms.
        term: usize,
    },
    /// The case studies at a non-empty cell of a home-page matrix.
    Intersection {
        /// Index into `config.matrices`.
        matrix: usize,
        /// Row facet and term.
        rows: (usize, usize),
        /// Column facet and term.
        cols: (usize, usize),
    },
}

/// A paginated list of case studies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// What it lists.
    pub kind: ListingKind,
    /// URL of its first page.
    pub url: String,
    /// Its case studies, in listing order (newest first).
    pub cases: Vec<CaseId>,
    /// Number of pages.
    pub pages: usize,
}

impl Listing {
    /// The case studies shown on page `page` (1-based).
    pub fn page_cases(&self, page: usize, per_page: usize) -> &[CaseId] {
        self.cases.chunks(per_page).nth(page - 1).unwrap_or(&[])
    }
}

/// One published HTML page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// Site-relative URL ("" is the home page; others end in `/`).
    pub url: String,
    /// What it is.
    pub kind: PageKind,
}

/// Every page and file a build publishes.
#[derive(Debug, Default)]
pub struct UrlTable {
    /// Every HTML page but `404.html`, in render order.
    pub pages: Vec<Published>,
    /// Every listing, in the order their pages appear in `pages`.
    pub listings: Vec<Listing>,
    /// Files the build writes itself (site files, theme assets).
    pub own_files: Vec<String>,
    /// Markdown source under `content/` → the URL of its page.
    pub markdown: HashMap<String, String>,
    /// URL → label of each term that has no case studies, hence no page.
    pub unpublished: HashMap<String, String>,
    /// Page URLs, for lookups.
    urls: HashSet<String>,
}

impl UrlTable {
    /// The pages and files a build of `portal` publishes; `statics` are
    /// the theme's static files (published under `assets/`).
    pub fn new(portal: &Portal, statics: &[String]) -> UrlTable {
        let mut t = UrlTable {
            markdown: portal.content.markdown_urls(),
            ..UrlTable::default()
        };
        t.push("", PageKind::Home);
        t.add_listing(portal, ListingKind::All, all_url(portal), all_cases(portal));
        t.push(links::BROWSE_URL, PageKind::Browse);
        t.push(links::SEARCH_URL, PageKind::Search);
        t.push(crate::gaps::GAPS_URL, PageKind::Gaps);
        for (id, case) in portal.content.cases.iter().enumerate() {
            t.push(&case.url, PageKind::Case(id as CaseId));
        }
        for (i, page) in portal.content.pages.iter().enumerate() {
            t.push(&page.url, PageKind::Page(i));
        }
        for f in 0..portal.taxonomy.facets.len() {
            t.add_facet(portal, f);
        }
        t.add_intersections(portal);
        t.own_files.extend(SITE_FILES.iter().map(|f| f.to_string()));
        t.own_files
            .extend(statics.iter().map(|s| format!("assets/{s}")));
        t
    }

    /// Whether `url` is a published page.
    pub fn has_page(&self, url: &str) -> bool {
        self.urls.contains(url)
    }

    /// The listing a page belongs to and its page number, if it is one.
    pub fn listing_of(&self, page: &Published) -> Option<(&Listing, usize)> {
        match page.kind {
            PageKind::Listing { listing, page } => Some((&self.listings[listing], page)),
            _ => None,
        }
    }

    pub(crate) fn push(&mut self, url: &str, kind: PageKind) {
        self.urls.insert(url.to_string());
        self.pages.push(Published {
            url: url.to_string(),
            kind,
        });
    }

    /// A listing and its pages (`page/2/`...).
    fn add_listing(&mut self, portal: &Portal, kind: ListingKind, url: String, cases: Vec<CaseId>) {
        let pages = cases.len().div_ceil(portal.config.per_page.max(1)).max(1);
        let listing = self.listings.len();
        for page in 1..=pages {
            self.push(&page_url(&url, page), PageKind::Listing { listing, page });
        }
        self.listings.push(Listing {
            kind,
            url,
            cases,
            pages,
        });
    }

    /// A facet's page, then the listings of its terms that have case
    /// studies; the others are recorded as unpublished.
    fn add_facet(&mut self, portal: &Portal, f: usize) {
        let facet = &portal.taxonomy.facets[f];
        self.push(&facet.url(), PageKind::Facet(f));
        for term in 0..facet.terms.len() {
            let url = facet.term_url(term);
            if facet.cases[term].is_empty() {
                self.unpublished
                    .insert(url, facet.terms[term].label.clone());
            } else {
                let kind = ListingKind::Term { facet: f, term };
                self.add_listing(portal, kind, url, facet.cases[term].clone());
            }
        }
    }

    /// One listing per non-empty cell of every matrix (`explore/a-x/b-y/`).
    fn add_intersections(&mut self, portal: &Portal) {
        let facets = &portal.taxonomy.facets;
        let find = |key: &str| facets.iter().position(|f| f.key == key);
        for (m, matrix) in portal.config.matrices.iter().enumerate() {
            let (Some(rf), Some(cf)) = (find(&matrix.rows), find(&matrix.columns)) else {
                continue;
            };
            let (rows, cols) = (&facets[rf], &facets[cf]);
            for r in rows.roots() {
                for c in cols.roots() {
                    let cases = intersect(&rows.cases[r], &cols.cases[c]);
                    if cases.is_empty() {
                        continue;
                    }
                    let kind = ListingKind::Intersection {
                        matrix: m,
                        rows: (rf, r),
                        cols: (cf, c),
                    };
                    let url = intersection_url(rows, r, cols, c);
                    self.add_listing(portal, kind, url, cases);
                }
            }
        }
    }
}

/// URL of the listing of every case study.
fn all_url(portal: &Portal) -> String {
    crate::links::cases_url(&portal.config.case_studies_path)
}

fn all_cases(portal: &Portal) -> Vec<CaseId> {
    (0..portal.content.cases.len() as CaseId).collect()
}
