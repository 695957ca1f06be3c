//! Fingerprints: for each page of the URL table, a number that changes
//! whenever anything the page shows changes.
//!
//! `serve` keeps the fingerprints of the pages it wrote; after an edit it
//! computes them again and re-renders only the pages whose fingerprint
//! moved, and deletes those no longer in the table. A fingerprint hashes
//! what the page's template receives, except that a card stands for itself
//! by its own fingerprint (a listing page holds 48 cards; hashing their
//! HTML on every page would cost more than rendering). The home and search
//! pages show the whole site and are always rendered: they have none.
//!
//! Views are hashed field by field where they are made (`views::hash_card`,
//! `case_page::hash_facet_terms`), not serialised: at 10,000 case studies
//! making and serialising every card and term list took longer than the
//! pages an edit re-renders. Page-wide views hashed once per update are
//! still serialised.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::FxHasher;
use serde::Serialize;

use crate::taxonomy::CaseId;
use crate::urls::{PageKind, Published};

use super::{case_page, extras, listing, Site};

/// A page's fingerprint; `None` for pages rendered on every change.
pub type Fingerprint = Option<u64>;

/// What a fingerprint keeps of a case study as read, computed once per
/// read of its file (the body is 10 kB; 10,000 of them are worth not
/// scanning after every edit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRead {
    /// A hash of everything its page shows of it, the body included.
    pub hash: u64,
    /// Whether its links may lead inside the site, where they resolve
    /// through the site's Markdown sources
    /// ([`case_may_link_locally`](crate::references::case_may_link_locally)).
    pub links_locally: bool,
}

/// The fingerprint of every page of `site.urls`, in table order, given
/// each card's fingerprint (see [`card`]) and each case study as read
/// (see [`case`]), by id.
pub fn pages(site: &Site<'_>, cards: &[u64], reads: &[CaseRead]) -> Vec<Fingerprint> {
    with_context(site, cards, reads, |context| {
        (site.urls.pages.par_iter())
            .map(|page| context.page(page))
            .collect()
    })
}

/// The fingerprints of `pages` only (see [`pages`]).
pub fn some(
    site: &Site<'_>,
    cards: &[u64],
    reads: &[CaseRead],
    pages: &[&Published],
) -> Vec<Fingerprint> {
    with_context(site, cards, reads, |context| {
        pages.iter().map(|page| context.page(page)).collect()
    })
}

/// Runs `f` with what every page's fingerprint reads besides the page.
fn with_context<R>(
    site: &Site<'_>,
    cards: &[u64],
    reads: &[CaseRead],
    f: impl FnOnce(&Context<'_>) -> R,
) -> R {
    let listings = listing_prints(site);
    f(&Context {
        site,
        shared: shared(site),
        markdown_urls: markdown_urls(site),
        cards,
        listings: &listings,
        reads,
    })
}

/// What a fingerprint keeps of a case study as read (see [`CaseRead`]).
pub fn case(case: &crate::content::CaseStudy) -> CaseRead {
    let mut h = FxHasher::default();
    case.hash(&mut h);
    CaseRead {
        hash: h.finish(),
        links_locally: crate::references::case_may_link_locally(case),
    }
}

/// The fingerprint of case study `id`'s card (what `card.html` receives).
pub fn card(site: &Site<'_>, id: CaseId) -> u64 {
    let mut h = FxHasher::default();
    crate::views::hash_card(site.portal, id, &mut h);
    h.finish()
}

/// Per listing, what all its pages show besides their cards.
fn listing_prints(site: &Site<'_>) -> Vec<u64> {
    (site.urls.listings.par_iter().enumerate())
        .map(|(i, listing)| {
            let mut h = FxHasher::default();
            serialized(&mut h, site.about(i));
            (listing.cases.len(), listing.pages).hash(&mut h);
            h.finish()
        })
        .collect()
}

/// The fingerprints of the files that are not pages of the table (see
/// [`super::render_site_files`]): `serve` writes each again only when its
/// fingerprint moves. A new title, summary or term moves neither the
/// sitemap (12,000 URLs at 10,000 case studies) nor, unless it is among
/// the newest, the feed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SiteFiles {
    /// `404.html` and `robots.txt`: the site's shared values.
    pub shell: u64,
    /// `atom.xml`: the shared values and the newest case studies.
    pub feed: u64,
    /// `sitemap.xml`: the pages it lists and the case studies' dates.
    pub sitemap: u64,
}

/// The fingerprints of `site`'s own files (see [`SiteFiles`]); they must
/// read what `extras::render_feed` and `extras::render_sitemap` read.
pub fn site_files(site: &Site<'_>) -> SiteFiles {
    let shell = shared(site);
    let cases = &site.portal.content.cases;
    let mut feed = FxHasher::default();
    shell.hash(&mut feed);
    for case in cases.iter().take(extras::FEED_ENTRIES) {
        let meta = &case.meta;
        (&meta.title, &case.url, meta.date, &meta.summary).hash(&mut feed);
    }
    let mut sitemap = FxHasher::default();
    site.view.base_url.hash(&mut sitemap);
    for page in site.urls.pages.iter() {
        match page.kind {
            PageKind::Case(id) => (&page.url, cases[id as usize].meta.date).hash(&mut sitemap),
            _ if extras::in_sitemap(site, page) => page.url.hash(&mut sitemap),
            _ => {}
        }
    }
    SiteFiles {
        shell,
        feed: feed.finish(),
        sitemap: sitemap.finish(),
    }
}

/// What every page shows: the site's name, navigation and addresses.
fn shared(site: &Site<'_>) -> u64 {
    let mut h = FxHasher::default();
    serialized(&mut h, &site.view);
    h.finish()
}

/// Where each Markdown source is published: what a body's links to other
/// case studies and pages become.
fn markdown_urls(site: &Site<'_>) -> u64 {
    let mut h = FxHasher::default();
    let mut urls: Vec<_> = site.markdown_urls.iter().collect();
    urls.sort_unstable();
    urls.hash(&mut h);
    h.finish()
}

struct Context<'s> {
    site: &'s Site<'s>,
    shared: u64,
    markdown_urls: u64,
    cards: &'s [u64],
    /// Per listing, what all its pages show besides their cards.
    listings: &'s [u64],
    /// Each case study as read, by id.
    reads: &'s [CaseRead],
}

impl Context<'_> {
    fn page(&self, page: &Published) -> Fingerprint {
        let mut h = FxHasher::default();
        (self.shared, &page.url).hash(&mut h);
        let site = self.site;
        match page.kind {
            // The gaps page shows every term's count: any edit may change it.
            PageKind::Home | PageKind::Search | PageKind::Gaps => return None,
            PageKind::Case(id) => self.case(&mut h, id),
            PageKind::Listing { listing, page } => self.listing(&mut h, listing, page),
            PageKind::Facet(f) => serialized(&mut h, &listing::facet_body(site, f)),
            PageKind::Browse => serialized(&mut h, &listing::browse_body(site)),
            PageKind::Page(i) => (&site.portal.content.pages[i], self.markdown_urls).hash(&mut h),
        }
        Some(h.finish())
    }

    /// A case page: the case study, its terms, where its links lead, and
    /// the cards of its related case studies and series neighbours.
    fn case(&self, h: &mut FxHasher, id: CaseId) {
        let site = self.site;
        let read = self.reads[id as usize];
        read.hash.hash(h);
        if read.links_locally {
            self.markdown_urls.hash(h);
        }
        case_page::hash_facet_terms(site, id, h);
        let (prev, next) = site.series[id as usize];
        let shown = site.related[id as usize].iter().chain(&prev).chain(&next);
        for &other in shown {
            self.cards[other as usize].hash(h);
        }
        (prev.is_some(), next.is_some()).hash(h);
    }

    /// A listing page: what the listing is about, its size, and the cards
    /// on this page.
    fn listing(&self, h: &mut FxHasher, index: usize, page: usize) {
        let site = self.site;
        self.listings[index].hash(h);
        let listing = &site.urls.listings[index];
        for &id in listing.page_cases(page, site.portal.config.per_page) {
            self.cards[id as usize].hash(h);
        }
    }
}

/// Feeds `value`, as JSON, to the hasher.
fn serialized(h: &mut FxHasher, value: &impl Serialize) {
    struct Feed<'h>(&'h mut FxHasher);
    impl std::io::Write for Feed<'_> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    // Serialising views cannot fail: they hold strings, numbers and lists.
    let _ = serde_json::to_writer(Feed(h), value);
}
