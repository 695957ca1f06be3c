//! Render: content + taxonomy → every page of the portal, written through an output sink.
//!
//! [`Site`] is the read-only context shared by all page renderers (config,
//! content, taxonomy, theme). Case-study pages, the bulk of the work, render in
//! parallel; each also writes its search result fragment and returns its
//! analysed text for the search index, so the Markdown is parsed once per build.

mod case_page;
mod charts;
mod extras;
pub mod fingerprint;
mod listing;
pub mod map;
mod matrix;
pub mod timeline;

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::content::Content;
use crate::error::Result;
use crate::links::{self, file_for, root_prefix};
use crate::output::Sink;
use crate::portal::Portal;
use crate::search::{index::LocalAnalyzer, Analyzer, SearchDoc};
use crate::taxonomy::CaseId;
use crate::templates::{Converted, Theme};
use crate::urls::{PageKind, Published, UrlTable};

use crate::views::{self, direction, NavLink, PageContext, SiteView};

/// Everything page renderers read.
#[derive(Debug)]
pub struct Site<'a> {
    /// The portal: config, content, taxonomy.
    pub portal: &'a Portal,
    /// The pages to render.
    pub urls: &'a UrlTable,
    /// Templates.
    pub theme: &'a Theme,
    /// Shared template values.
    pub view: SiteView,
    /// Markdown source (under `content/`) → page URL, for cross-links.
    pub markdown_urls: HashMap<String, String>,
    /// Related case studies, per case study.
    pub related: Vec<Vec<CaseId>>,
    /// Each case study's card, rendered once.
    pub cards: Vec<CardHtml>,
    /// Previous and next case study in its series, per case study.
    pub series: Vec<(Option<CaseId>, Option<CaseId>)>,
    /// What each listing of `urls` is about (heading, links, an
    /// intersection's narrowing counts), made on first use: once per
    /// listing, not once per page, since the narrowing counts intersect the
    /// listing's case studies with a dozen terms' and an intersection of
    /// 5,000 case studies has 105 pages.
    abouts: Vec<OnceLock<listing::About>>,
    /// In a multilingual portal, which edition this is and how its pages
    /// link to the others' ([`Site::in_edition`]).
    edition: Option<EditionLinks<'a>>,
}

/// Where an edition of a multilingual portal stands among the others.
#[derive(Debug)]
struct EditionLinks<'a> {
    alternates: &'a crate::languages::Alternates,
    /// Index of the edition.
    index: usize,
    /// `../` per folder of the edition's prefix.
    up: String,
}

/// What a [`Site`] derives from the content, kept by `serve` between edits.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    view: SiteView,
    markdown_urls: HashMap<String, String>,
    related: Vec<Vec<CaseId>>,
    cards: Vec<CardHtml>,
    series: Vec<(Option<CaseId>, Option<CaseId>)>,
}

impl Derived {
    /// The cards, by case study.
    pub fn into_cards(self) -> Vec<CardHtml> {
        self.cards
    }

    /// Each case study's related ones.
    pub fn related(&self) -> &[Vec<CaseId>] {
        &self.related
    }
}

/// Stands for the page's `root` in pre-rendered cards (a private-use
/// character no template escapes and no author writes).
const ROOT_MARK: &str = "\u{E000}";

/// A card rendered once with [`ROOT_MARK`] for `root`, kept in pieces split
/// at the mark: each listing page joins them around its own `root` instead of
/// searching every card for the mark again (a card is on ~30 pages).
#[derive(Debug, Clone, Default)]
pub struct CardHtml(Vec<String>);

impl CardHtml {
    fn new(html: &str) -> Self {
        CardHtml(html.split(ROOT_MARK).map(str::to_owned).collect())
    }

    /// The card's HTML with `root` filled in, marked safe for templates.
    fn with_root(&self, root: &str) -> Converted {
        let mut html = String::with_capacity(self.0.iter().map(String::len).sum::<usize>() + 64);
        for (i, piece) in self.0.iter().enumerate() {
            if i > 0 {
                html.push_str(root);
            }
            html.push_str(piece);
        }
        Converted::safe_html(&html)
    }
}

/// How many related case studies a case-study page shows.
pub const RELATED: usize = 4;

/// Counts of what a render wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct RenderStats {
    /// Case-study pages.
    pub case_pages: usize,
    /// All HTML pages.
    pub pages: usize,
}

impl<'a> Site<'a> {
    /// Prepares the shared context, rendering every case study's card once.
    pub fn new(
        portal: &'a Portal,
        urls: &'a UrlTable,
        theme: &'a Theme,
        live_reload: bool,
    ) -> Result<Self> {
        let mut site = Site::without_cards(portal, urls, theme, live_reload, None);
        site.cards = (0..portal.content.cases.len() as CaseId)
            .into_par_iter()
            .map(|id| site.render_card(id))
            .collect::<Result<_>>()?;
        Ok(site)
    }

    /// The same site as [`Site::new`], taking from `known` (by their
    /// fingerprint) the cards that did not change since they were rendered;
    /// returns each card's fingerprint too (`serve`, after an edit).
    pub fn reusing(
        portal: &'a Portal,
        urls: &'a UrlTable,
        theme: &'a Theme,
        live_reload: bool,
        mut known: HashMap<u64, CardHtml>,
        related: Option<Vec<Vec<CaseId>>>,
    ) -> Result<(Self, Vec<u64>)> {
        let mut site = Site::without_cards(portal, urls, theme, live_reload, related);
        let ids = 0..portal.content.cases.len() as CaseId;
        let fingerprints: Vec<u64> = (ids.clone().into_par_iter())
            .map(|id| fingerprint::card(&site, id))
            .collect();
        // Taken out of the map, not copied: two case studies with the same
        // card (a copied file) each get one.
        let kept: Vec<Option<CardHtml>> = fingerprints.iter().map(|f| known.remove(f)).collect();
        site.cards = (ids.into_par_iter().zip(kept))
            .map(|(id, card)| match card {
                Some(card) => Ok(card),
                None => site.render_card(id),
            })
            .collect::<Result<_>>()?;
        Ok((site, fingerprints))
    }

    /// Everything but the cards; the related case studies found unless
    /// given.
    fn without_cards(
        portal: &'a Portal,
        urls: &'a UrlTable,
        theme: &'a Theme,
        live_reload: bool,
        related: Option<Vec<Vec<CaseId>>>,
    ) -> Self {
        let (config, content) = (&portal.config, &portal.content);
        Site {
            portal,
            urls,
            theme,
            view: SiteView {
                title: config.title.clone(),
                tagline: config.tagline.clone(),
                language: config.language.clone(),
                dir: views::direction(&config.language).into(),
                base_url: config.base_url(),
                site_url: config.base_url(),
                feed_url: links::FEED_FILE.into(),
                cases_url: crate::links::cases_url(&config.case_studies_path),
                nav: nav(config, content, theme.strings()),
                live_reload,
            },
            markdown_urls: content.markdown_urls(),
            series: crate::taxonomy::series_neighbours(&content.cases),
            related: related.unwrap_or_else(|| {
                crate::taxonomy::related_all(&portal.taxonomy, content.cases.len(), RELATED)
            }),
            cards: Vec::new(),
            abouts: urls.listings.iter().map(|_| OnceLock::new()).collect(),
            edition: None,
        }
    }

    /// The site of edition `index` of `editions`, each planned as in
    /// `urls` and linked by `alternates`: [`Site::new`], then
    /// [`Site::in_edition`] when the portal has several languages.
    pub fn of_edition(
        editions: &'a [crate::languages::Edition<'_>],
        index: usize,
        urls: &'a [UrlTable],
        theme: &'a Theme,
        alternates: &'a crate::languages::Alternates,
        live_reload: bool,
    ) -> Result<Self> {
        let edition = &editions[index];
        let mut site = Site::new(edition.portal(), &urls[index], theme, live_reload)?;
        if !alternates.is_empty() {
            let site_url = editions[0].portal().config.base_url();
            site.in_edition(alternates, index, &edition.prefix, &site_url);
        }
        Ok(site)
    }

    /// Places the site as edition `index` (under `prefix`, e.g. `fr/`) of
    /// a multilingual portal whose pages `alternates` links; `site_url` is
    /// the whole site's address.
    pub fn in_edition(
        &mut self,
        alternates: &'a crate::languages::Alternates,
        index: usize,
        prefix: &str,
        site_url: &str,
    ) {
        self.view.site_url = site_url.to_string();
        let up = "../".repeat(prefix.matches('/').count());
        self.edition = Some(EditionLinks {
            alternates,
            index,
            up,
        });
    }

    /// Renders one case study's card, with [`ROOT_MARK`] standing for `root`.
    pub fn render_card(&self, id: CaseId) -> Result<CardHtml> {
        #[derive(Serialize)]
        struct CardContext {
            card: views::CaseCard,
            root: &'static str,
        }
        let context = CardContext {
            card: self.card(id),
            root: ROOT_MARK,
        };
        Ok(CardHtml::new(&self.theme.render("card.html", &context)?))
    }

    /// Takes the derived values out, so `serve` can keep them between edits
    /// while the content they borrow from changes.
    pub fn into_derived(self) -> Derived {
        Derived {
            view: self.view,
            markdown_urls: self.markdown_urls,
            related: self.related,
            cards: self.cards,
            series: self.series,
        }
    }

    /// A site from kept derived values (see [`Site::into_derived`]).
    pub fn with_derived(
        portal: &'a Portal,
        urls: &'a UrlTable,
        theme: &'a Theme,
        d: Derived,
    ) -> Self {
        Site {
            portal,
            urls,
            theme,
            view: d.view,
            markdown_urls: d.markdown_urls,
            related: d.related,
            cards: d.cards,
            series: d.series,
            abouts: urls.listings.iter().map(|_| OnceLock::new()).collect(),
            edition: None,
        }
    }

    /// The pre-rendered cards of `ids`, with `root` filled in for the page
    /// at `url`: HTML marked safe, which templates write as it is.
    pub fn card_html(&self, ids: &[CaseId], url: &str) -> Vec<Converted> {
        let root = root_prefix(url);
        ids.iter()
            .map(|&id| self.cards[id as usize].with_root(&root))
            .collect()
    }

    /// Wraps a page body in the shared envelope for the page at `url`.
    pub fn context<T: Serialize>(
        &self,
        url: &str,
        title: &str,
        description: &str,
        lang: &str,
        body: T,
    ) -> PageContext<'_, T> {
        let (site_lang, page_lang) = if lang == self.view.language {
            (String::new(), String::new())
        } else {
            (lang_attributes(&self.view.language), lang_attributes(lang))
        };
        let root = root_prefix(url);
        let mut canonical = format!("{}{url}", self.view.base_url);
        let (site_root, languages) = match &self.edition {
            None => (root.clone(), Vec::new()),
            Some(e) => {
                let links = self.language_links(url);
                // An untranslated case study shown in this edition is a copy:
                // search engines are sent to its original.
                if let Some(original) = links.iter().find(|l| l.alternate && l.code == lang) {
                    if lang != self.view.language {
                        canonical = format!("{}{}", self.view.site_url, original.url);
                    }
                }
                (format!("{root}{}", e.up), links)
            }
        };
        PageContext {
            site: &self.view,
            root,
            lang: lang.to_string(),
            dir: direction(lang),
            site_lang,
            page_lang,
            title: title.to_string(),
            description: description.to_string(),
            canonical,
            current: self.nav_section(url),
            site_root,
            languages,
            body,
        }
    }

    /// In a multilingual portal, the page at `url` in every language (see
    /// [`crate::languages::Alternates::of`]); else empty.
    pub fn language_links(&self, url: &str) -> Vec<crate::views::LanguageLink> {
        match &self.edition {
            Some(e) => e.alternates.of(e.index, url),
            None => Vec::new(),
        }
    }

    /// Whether this is the default language's edition (or the only one):
    /// the one that writes what is the whole site's (robots.txt).
    pub fn is_default_edition(&self) -> bool {
        self.edition.as_ref().is_none_or(|e| e.index == 0)
    }

    /// The folders of the editions ("" for the default), for robots.txt.
    pub fn edition_prefixes(&self) -> Vec<String> {
        match &self.edition {
            Some(e) => e.alternates.prefixes(),
            None => vec![String::new()],
        }
    }

    fn nav_section(&self, url: &str) -> String {
        self.view
            .nav
            .iter()
            .filter(|n| !n.url.is_empty() && url.starts_with(&n.url))
            .map(|n| n.url.clone())
            .next()
            .unwrap_or_else(|| {
                if url.is_empty() {
                    String::new()
                } else {
                    links::BROWSE_URL.into()
                }
            })
    }

    /// Renders `template` with `context` and writes it at the page's URL.
    pub fn write_page<T: Serialize>(
        &self,
        out: &dyn Sink,
        template: &str,
        url: &str,
        context: &PageContext<'_, T>,
    ) -> Result<()> {
        let html = self.theme.render(template, context)?;
        out.write(&file_for(url), html.as_bytes())
    }
}

/// The main menu: the portal's own pages, then the site's standalone pages.
fn nav(config: &Config, content: &Content, strings: &crate::i18n::Strings) -> Vec<NavLink> {
    let link = |label: String, url: String| NavLink { label, url };
    let fixed = [
        link(strings.get("nav.home"), String::new()),
        link(
            strings.get("nav.cases"),
            crate::links::cases_url(&config.case_studies_path),
        ),
        link(strings.get("nav.explore"), links::BROWSE_URL.into()),
        link(strings.get("nav.search"), links::SEARCH_URL.into()),
    ];
    let pages = (content.pages.iter()).map(|p| link(p.title.clone(), p.url.clone()));
    fixed.into_iter().chain(pages).collect()
}

/// Renders every page of the table and the site files into `out`; returns
/// counts and, per case study, what the search stage needs (analysed while
/// the text is at hand).
pub fn render_all(
    site: &Site<'_>,
    out: &dyn Sink,
    analyzer: &Analyzer,
) -> Result<(RenderStats, Vec<SearchDoc>)> {
    let pages: Vec<&Published> = site.urls.pages.iter().collect();
    let (cases, written) = rayon::join(
        || render_pages(site, out, analyzer, &pages),
        || extras::render_site_files(site, out),
    );
    written?;
    let mut cases = cases?;
    cases.sort_unstable_by_key(|(id, _)| *id);
    let stats = RenderStats {
        case_pages: cases.len(),
        // The table's pages and 404.html.
        pages: pages.len() + 1,
    };
    Ok((stats, cases.into_iter().map(|(_, doc)| doc).collect()))
}

/// Most pages one rayon task renders in a row. Rayon splits a parallel loop
/// into a few long runs (a quarter or an eighth of the pages on two cores)
/// and splits no further unless a run is stolen: with case pages ten times
/// dearer than listing pages, one thread was left rendering a run of case
/// pages alone for a fifth of the stage. Short runs let the idle thread take
/// the rest of the work.
const PAGES_PER_TASK: usize = 32;

/// One [`LocalAnalyzer`] per rayon worker thread, kept from task to task:
/// its caches of stems are what make analysis fast, and rayon's `map_init`
/// would start a new one for every task (every [`PAGES_PER_TASK`] pages).
struct Workers<'a> {
    analyzer: &'a Analyzer,
    locals: Vec<Mutex<LocalAnalyzer<'a>>>,
}

impl<'a> Workers<'a> {
    fn new(analyzer: &'a Analyzer) -> Self {
        let n = rayon::current_num_threads();
        let locals = (0..n).map(|_| Mutex::new(analyzer.local())).collect();
        Workers { analyzer, locals }
    }

    /// Runs `f` with this thread's analyzer, or with a new one if that is
    /// busy (a thread waiting inside `f` may be given another page to render).
    fn with<R>(&self, f: impl FnOnce(&mut LocalAnalyzer<'a>) -> R) -> R {
        let i = rayon::current_thread_index().unwrap_or(0) % self.locals.len();
        match self.locals[i].try_lock() {
            Ok(mut local) => f(&mut local),
            Err(_) => f(&mut self.analyzer.local()),
        }
    }
}

/// Renders `pages` (all of the table, or those an edit changed) in
/// parallel; returns the search data of the case studies among them.
pub fn render_pages(
    site: &Site<'_>,
    out: &dyn Sink,
    analyzer: &Analyzer,
    pages: &[&Published],
) -> Result<Vec<(CaseId, SearchDoc)>> {
    let workers = Workers::new(analyzer);
    let docs = pages
        .par_iter()
        .with_max_len(PAGES_PER_TASK)
        .map(|page| workers.with(|local| render_page(site, out, page, local)))
        .collect::<Result<Vec<_>>>()?;
    Ok(docs.into_iter().flatten().collect())
}

/// Renders one page of the table; a case study's page also gives its
/// analysed text.
fn render_page(
    site: &Site<'_>,
    out: &dyn Sink,
    page: &Published,
    analyzer: &mut LocalAnalyzer<'_>,
) -> Result<Option<(CaseId, SearchDoc)>> {
    match page.kind {
        PageKind::Case(id) => return Ok(Some((id, case_page::render(site, out, id, analyzer)?))),
        PageKind::Listing { listing, page } => listing::render_page(site, out, listing, page)?,
        PageKind::Facet(f) => listing::render_facet_page(site, out, f)?,
        PageKind::Browse => listing::render_browse(site, out)?,
        PageKind::Page(i) => extras::render_page(site, out, i)?,
        PageKind::Home => extras::render_home(site, out)?,
        PageKind::Search => extras::render_search(site, out)?,
        PageKind::Gaps => extras::render_gaps(site, out)?,
    }
    Ok(None)
}

/// Whether `page` shows any of the case studies `ids`: as its own page, a
/// related case study or series neighbour, or a card on a listing page or
/// the home page (which always shows the newest).
pub fn shows_any(site: &Site<'_>, page: &Published, ids: &[CaseId]) -> bool {
    match page.kind {
        PageKind::Case(c) => {
            let (prev, next) = site.series[c as usize];
            let related = &site.related[c as usize];
            ids.iter().any(|id| {
                c == *id || related.contains(id) || prev == Some(*id) || next == Some(*id)
            })
        }
        PageKind::Listing { listing, page } => {
            let listing = &site.urls.listings[listing];
            let shown = listing.page_cases(page, site.portal.config.per_page);
            ids.iter().any(|id| shown.contains(id))
        }
        PageKind::Home => true,
        _ => false,
    }
}

/// Writes the files that show the whole site but are not pages of the
/// table: 404.html, the feed, the sitemap and robots.txt.
pub fn render_site_files(site: &Site<'_>, out: &dyn Sink) -> Result<()> {
    extras::render_site_files(site, out)
}

/// Writes the site files (see [`render_site_files`]) whose fingerprint
/// moved from `before` to `now` (`serve`).
pub fn render_changed_site_files(
    site: &Site<'_>,
    out: &dyn Sink,
    before: &fingerprint::SiteFiles,
    now: &fingerprint::SiteFiles,
) -> Result<()> {
    let moved = [
        before.shell != now.shell,
        before.feed != now.feed,
        before.sitemap != now.sitemap,
    ];
    extras::render_changed_site_files(site, out, moved)
}

/// Every case study's search data, analysed with `analyzer`, writing
/// nothing: what [`render_all`] returns, for `serve` to index the site as a
/// build would once editing pauses (an analyzer that saw the edits still
/// knows every word typed, and its index would list them all). `None` if
/// `stop` was raised before the end (`serve`: a file changed meanwhile).
pub fn analyse_all(
    site: &Site<'_>,
    analyzer: &Analyzer,
    stop: &std::sync::atomic::AtomicBool,
) -> Option<Vec<SearchDoc>> {
    use std::sync::atomic::Ordering;
    let workers = Workers::new(analyzer);
    (0..site.portal.content.cases.len() as CaseId)
        .into_par_iter()
        .with_max_len(PAGES_PER_TASK)
        .map(|id| {
            let go_on = !stop.load(Ordering::Relaxed);
            go_on.then(|| workers.with(|local| case_page::analyse(site, id, local)))
        })
        .collect()
}

impl Site<'_> {
    /// The card of a case study.
    pub fn card(&self, id: CaseId) -> views::CaseCard {
        views::card(self.portal, self.theme.strings(), id)
    }

    /// Link to a term with its count.
    pub fn term_link(&self, facet: &crate::taxonomy::Facet, term: usize) -> views::TermLink {
        views::term_link(facet, term)
    }

    /// A term and its descendants as a tree.
    pub fn term_node(&self, facet: &crate::taxonomy::Facet, term: usize) -> views::TermNode {
        views::term_node(facet, term)
    }
}

/// ` lang="…" dir="…"` for an element whose text is in `lang`.
fn lang_attributes(lang: &str) -> String {
    let lang_escaped = crate::templates::escape_html(lang);
    format!(" lang=\"{lang_escaped}\" dir=\"{}\"", direction(lang))
}
