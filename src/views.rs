//! View types: the typed values templates and the search data receive,
//! built from the portal alone (so the search stage reads the same card as
//! the listings, without depending on the renderer).
//!
//! Every template gets a [`PageContext`] (the shared envelope: site, root,
//! language, title) with a page-specific body flattened into it. Views hold
//! display-ready strings and site-relative URLs; templates add `root`.

use std::hash::{Hash, Hasher};

use serde::Serialize;

use crate::i18n::Strings;
use crate::markdown::TocEntry;
use crate::taxonomy::{CaseId, Facet};
use crate::templates::Converted;

use crate::portal::Portal;

/// Site-wide values every page gets as `site`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteView {
    /// Portal title.
    pub title: String,
    /// One line under the title.
    pub tagline: String,
    /// Default language: that of the portal's own words (navigation,
    /// labels), marked on them when a page's content is in another.
    pub language: String,
    /// Writing direction of `language`.
    pub dir: String,
    /// Absolute base URL, with a trailing slash (of this language's
    /// edition: `…/fr/`).
    pub base_url: String,
    /// Absolute URL of the whole site's root (`base_url` without the
    /// language folder), for links between editions.
    pub site_url: String,
    /// Site-relative URL of the Atom feed.
    pub feed_url: String,
    /// Site-relative URL of the list of all case studies.
    pub cases_url: String,
    /// Primary navigation.
    pub nav: Vec<NavLink>,
    /// Include the live-reload script (serve mode only).
    pub live_reload: bool,
}

/// A navigation entry.
#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    /// Text.
    pub label: String,
    /// Site-relative URL.
    pub url: String,
}

/// The envelope of every page: shared values plus the page's own `body`.
#[derive(Debug, Serialize)]
pub struct PageContext<'a, T: Serialize> {
    /// Site-wide values.
    pub site: &'a SiteView,
    /// Relative prefix back to the site root.
    pub root: String,
    /// Language of the page.
    pub lang: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// On a page whose content is in another language than the portal's:
    /// ` lang="en" dir="ltr"`, for the portal's own words (navigation,
    /// labels), so that screen readers read each part in its language and
    /// an Arabic case study keeps a left-to-right header. Else empty.
    pub site_lang: String,
    /// On such a page: ` lang="ar" dir="rtl"`, for the author's words
    /// inside those parts (a date, places). Else empty.
    pub page_lang: String,
    /// Page title (without the site title).
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Absolute canonical URL.
    pub canonical: String,
    /// URL of the nav entry this page belongs to.
    pub current: String,
    /// Relative prefix back to the root of the whole site: `root` for the
    /// default language, one folder further up in another language's
    /// edition (its theme assets and open data are shared, at the root).
    pub site_root: String,
    /// In a multilingual portal, this page in every language (the language
    /// switcher, `hreflang`); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<LanguageLink>,
    /// The page-specific variables.
    #[serde(flatten)]
    pub body: T,
}

/// A term shown as a link chip.
#[derive(Debug, Clone, Serialize)]
pub struct Chip {
    /// Text.
    pub label: String,
    /// Site-relative URL.
    pub url: String,
}

/// A term with its page and count.
#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    /// Term label.
    pub label: String,
    /// Term description.
    pub description: String,
    /// Site-relative URL.
    pub url: String,
    /// Case studies under the term.
    pub count: usize,
}

/// A term and its page, without its count: what a case-study page shows,
/// so that the page does not change when other case studies are tagged.
#[derive(Debug, Clone, Serialize)]
pub struct TermRef {
    /// Term label.
    pub label: String,
    /// Term description.
    pub description: String,
    /// Site-relative URL.
    pub url: String,
}

/// A term in a facet tree.
#[derive(Debug, Clone, Serialize)]
pub struct TermNode {
    /// Term label.
    pub label: String,
    /// Term description.
    pub description: String,
    /// Site-relative URL.
    pub url: String,
    /// Case studies under the term.
    pub count: usize,
    /// Child terms.
    pub children: Vec<TermNode>,
    /// Shown only to place its children (a term in use, among those that
    /// are not): its name without its count or link.
    pub context: bool,
}

/// A case study in a list.
#[derive(Debug, Clone, Serialize)]
pub struct CaseCard {
    /// Title.
    pub title: String,
    /// Site-relative URL.
    pub url: String,
    /// YYYY-MM-DD or empty.
    pub date: String,
    /// "13 April 2017" or empty.
    pub date_display: String,
    /// Summary.
    pub summary: String,
    /// Language.
    pub lang: String,
    /// Direction.
    pub dir: &'static str,
    /// Terms of the first card facet (governance levels in the sample).
    pub levels: Vec<Chip>,
    /// Terms of the other card facets, at most
    /// [`CARD_TERMS_PER_FACET`] of each, then "+2 more".
    pub tags: Vec<Chip>,
    /// "Draft" or "Under review" where drafts are shown (`serve`, `build
    /// --drafts`), so that a reviewer tells them apart in every listing;
    /// absent for a published case study.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub status: String,
    /// In an edition of a multilingual portal, the name of the case
    /// study's language when it is not the edition's (an untranslated one,
    /// shown after the edition's own); else absent.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub other_language: String,
}

/// Page links of a paginated listing.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// 1-based current page.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Previous page URL.
    pub prev_url: Option<String>,
    /// Next page URL.
    pub next_url: Option<String>,
    /// Every page.
    pub pages: Vec<PageLink>,
}

/// One page of a pagination.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// 1-based number.
    pub number: usize,
    /// Site-relative URL.
    pub url: String,
    /// This is the current page.
    pub current: bool,
}

/// One facet's terms as shown on a case-study page.
#[derive(Debug, Clone, Serialize)]
pub struct FacetTerms {
    /// Facet key.
    pub key: String,
    /// Facet label.
    pub label: String,
    /// The case study's terms in this facet.
    pub terms: Vec<TermRef>,
    /// Free tags: the author's words, in the case study's language, where
    /// a vocabulary's labels are in the portal's (screen readers read each
    /// in its own).
    pub authored: bool,
}

/// The case-study page's own variables (`case`).
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    /// Title.
    pub title: String,
    /// Site-relative URL.
    pub url: String,
    /// YYYY-MM-DD or empty.
    pub date: String,
    /// Human date.
    pub date_display: String,
    /// In an edition of another language, the name of the case study's
    /// language (an untranslated one); else empty.
    pub other_language: String,
    /// Summary.
    pub summary: String,
    /// Series.
    pub series: String,
    /// Number in the series.
    pub number: Option<u32>,
    /// Source.
    pub source: String,
    /// Partners.
    pub partners: Vec<String>,
    /// Links.
    pub links: Vec<crate::content::Link>,
    /// Image, if any.
    pub image: Option<ImageView>,
    /// Body HTML.
    pub html: String,
    /// Table of contents.
    pub toc: Vec<TocEntry>,
    /// Terms per facet.
    pub facets: Vec<FacetTerms>,
    /// Places.
    pub places: Vec<String>,
    /// Related case studies (card HTML, marked safe).
    pub related: Vec<Converted>,
    /// Previous in series.
    pub prev: Option<CaseCard>,
    /// Next in series.
    pub next: Option<CaseCard>,
    /// `published`, `draft` or `review`: the two last show a banner.
    pub status: &'static str,
    /// Who reviewed it, or empty.
    pub reviewed_by: String,
    /// When it was reviewed, YYYY-MM-DD, or empty.
    pub reviewed_on: String,
    /// The same, as a human date.
    pub reviewed_on_display: String,
    /// Its schema.org JSON-LD, safe inside a script element (see
    /// [`crate::structured::script_safe`]).
    pub json_ld: String,
    /// How to cite it.
    pub citation: crate::citation::CitationSentence,
    /// Its citation in each format, as download links.
    pub cite_downloads: Vec<crate::citation::CitationDownload>,
}

/// An image with its text alternative.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    /// URL as the page uses it: relative to the page (root prefix
    /// included) for a file of the site, as written for a full URL. Decided
    /// here, where "is it a URL" is known, not by the template.
    pub url: String,
    /// Alternative text.
    pub alt: String,
}

/// A cross-level matrix.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixView {
    /// HTML id.
    pub id: String,
    /// Heading.
    pub title: String,
    /// Table caption.
    pub caption: String,
    /// Row facet label.
    pub row_label: String,
    /// Column facet label.
    pub col_label: String,
    /// Row facet key (for the interactive search).
    pub row_facet: String,
    /// Column facet key.
    pub col_facet: String,
    /// Column headers.
    pub columns: Vec<MatrixHeader>,
    /// Rows.
    pub rows: Vec<MatrixRow>,
    /// The shades used, lightest first, with the counts each stands for.
    pub legend: Vec<HeatStep>,
}

/// One shade of a matrix legend.
#[derive(Debug, Clone, Serialize)]
pub struct HeatStep {
    /// Shade, 1 (lightest) to 5, as in [`MatrixCell::level`].
    pub level: usize,
    /// The counts it stands for: "3–4", or "9".
    pub counts: String,
}

/// A matrix column header.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixHeader {
    /// Label ("Round table 1").
    pub label: String,
    /// Short name, shown under the label (empty if none).
    pub short: String,
    /// Description.
    pub description: String,
    /// Term page, `None` when the term has no case study (and so no page).
    pub url: Option<String>,
    /// Term code (for the interactive search).
    pub code: String,
}

/// A matrix row.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    /// Label.
    pub label: String,
    /// Term page, `None` when the term has no case study.
    pub url: Option<String>,
    /// Term code.
    pub code: String,
    /// Cells, one per column.
    pub cells: Vec<MatrixCell>,
}

/// A matrix cell.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixCell {
    /// Case studies at the intersection.
    pub count: usize,
    /// Intersection page, `None` when empty.
    pub url: Option<String>,
    /// Shade, 0 (empty) to 5.
    pub level: usize,
    /// Accessible description.
    pub label: String,
}

/// "13 April 2017" in the page's language where we know the month names.
pub fn display_date(date: Option<jiff::civil::Date>, lang: &str) -> String {
    let Some(d) = date else { return String::new() };
    let month = (d.month() - 1) as usize;
    match lang.split('-').next().unwrap_or("") {
        "fr" => format!("{} {} {}", d.day(), MONTHS_FR[month], d.year()),
        "es" => format!("{} de {} de {}", d.day(), MONTHS_ES[month], d.year()),
        "ar" => format!("{} {} {}", d.day(), MONTHS_AR[month], d.year()),
        _ => format!("{} {} {}", d.day(), MONTHS_EN[month], d.year()),
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const MONTHS_AR: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

/// "Kenya: 3 case studies": a term and its count, as a map's country or a
/// chart's bar names itself.
pub fn counted(strings: &Strings, label: &str, cases: usize) -> String {
    let count = strings.plural("count.cases", cases);
    strings.format("count.term", &[("label", label), ("count", &count)])
}

pub use crate::i18n::{lower_initial, plural};

pub use crate::text::direction;

/// How many terms of one facet a card names before saying how many more:
/// with their short names, three SDG targets already fill a card's width
/// three times, and each card facet (countries too) keeps its place.
pub const CARD_TERMS_PER_FACET: usize = 3;

/// The card of a case study, its words ("+2 more", "Draft") from `strings`.
pub fn card(portal: &Portal, strings: &Strings, id: CaseId) -> CaseCard {
    let case = &portal.content.cases[id as usize];
    let mut card_facets = portal.taxonomy.facets.iter().filter(|f| f.on_cards);
    let chip = |facet: &Facet, t: usize| Chip {
        label: facet.terms[t].name(),
        url: facet.term_url(t),
    };
    let levels = (card_facets.next())
        .map(|f| f.tagged[id as usize].iter().map(|&t| chip(f, t)).collect())
        .unwrap_or_default();
    let tags = card_facets
        .flat_map(|facet| {
            // The most specific first: a card names "Kenya" before "Eastern Africa".
            let mut tagged = facet.tagged[id as usize].clone();
            tagged.sort_by_key(|&t| std::cmp::Reverse(facet.terms[t].depth));
            let shown = tagged.iter().take(CARD_TERMS_PER_FACET);
            let hidden = tagged.len().saturating_sub(CARD_TERMS_PER_FACET);
            let more = (hidden > 0).then(|| Chip {
                label: strings.plural("card.more", hidden),
                url: facet.url(),
            });
            shown
                .map(|&t| chip(facet, t))
                .chain(more)
                .collect::<Vec<_>>()
        })
        .collect();
    CaseCard {
        title: case.meta.title.clone(),
        url: case.url.clone(),
        date: case.meta.date.map(|d| d.to_string()).unwrap_or_default(),
        date_display: display_date(case.meta.date, &case.meta.language),
        summary: case.meta.summary.clone(),
        lang: case.meta.language.clone(),
        dir: direction(&case.meta.language),
        levels,
        tags,
        status: match case.meta.status {
            crate::content::review::Status::Published => String::new(),
            crate::content::review::Status::Draft => strings.get("status.draft"),
            crate::content::review::Status::Review => strings.get("status.review"),
        },
        other_language: other_language(portal, &case.meta.language),
    }
}

/// The name of `language` when a multilingual portal's edition shows a
/// case study in it as an untranslated one; else empty.
pub fn other_language(portal: &Portal, language: &str) -> String {
    let config = &portal.config;
    if config.is_multilingual() && portal.schema.edition_of(language) != config.language {
        crate::text::autonym(language)
    } else {
        String::new()
    }
}

/// Feeds `h` everything [`card`] reads for case study `id`, without making
/// the card: `serve` compares it for all 10,000 case studies after each
/// edit, where building and serialising every card cost ~70 ms. It must
/// read what [`card`] reads (the soak test compares the preview with a
/// fresh build after random edits).
pub fn hash_card(portal: &Portal, id: CaseId, h: &mut impl Hasher) {
    let case = &portal.content.cases[id as usize];
    let meta = &case.meta;
    (&meta.title, &case.url, meta.date).hash(h);
    (&meta.summary, &meta.language, meta.status).hash(h);
    for facet in portal.taxonomy.facets.iter().filter(|f| f.on_cards) {
        let tagged = &facet.tagged[id as usize];
        (&facet.key, tagged.len()).hash(h);
        for &t in tagged {
            hash_term(&facet.terms[t], h);
        }
    }
}

/// Feeds `h` what a view shows of a term: its name, gloss and URL segment
/// ([`Term::name`](crate::vocabulary::Term::name) and
/// [`Term::gloss`](crate::vocabulary::Term::gloss) are made of these), and
/// its depth, by which cards order their chips.
pub fn hash_term(term: &crate::vocabulary::Term, h: &mut impl Hasher) {
    let t = term;
    (&t.label, &t.short, &t.description, &t.slug, t.depth).hash(h);
}

/// Link to a term with its count.
pub fn term_link(facet: &Facet, term: usize) -> TermLink {
    let t = &facet.terms[term];
    TermLink {
        label: t.name(),
        description: t.gloss().to_string(),
        url: facet.term_url(term),
        count: facet.cases[term].len(),
    }
}

/// A term and its descendants as a tree.
pub fn term_node(facet: &Facet, term: usize) -> TermNode {
    let link = term_link(facet, term);
    TermNode {
        label: link.label,
        description: link.description,
        url: link.url,
        count: link.count,
        children: facet.terms[term]
            .children
            .iter()
            .map(|&c| term_node(facet, c))
            .collect(),
        context: false,
    }
}
/// One page's versions in the other editions.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    /// BCP 47 code.
    pub code: String,
    /// The language's own name.
    pub name: String,
    /// Site-relative URL from the site root (`fr/search/`): the same page
    /// in that edition, or that edition's home when it has none.
    pub url: String,
    /// Whether this is the page's own edition.
    pub current: bool,
    /// Whether `url` is this page's content in that language (an
    /// `hreflang` alternate), not a fallback to a home page or a copy of an
    /// untranslated original.
    pub alternate: bool,
}
