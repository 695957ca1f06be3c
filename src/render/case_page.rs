//! The case-study page: body, metadata panel, related and series links.

use crate::citation::Citation;
use crate::content::Link;
use crate::error::Result;
use crate::links::LinkResolver;
use crate::markdown;
use crate::output::Sink;
use crate::search::{self, index::LocalAnalyzer, DocText, SearchDoc};
use crate::taxonomy::CaseId;

use super::Site;
use crate::views::{display_date, CaseView, FacetTerms, ImageView, TermRef};

/// Renders and writes one case-study page; returns its analysed text and
/// excerpt for the search stage (the Markdown is parsed once per build).
pub(super) fn render(
    site: &Site<'_>,
    out: &dyn Sink,
    id: CaseId,
    analyzer: &mut LocalAnalyzer<'_>,
) -> Result<SearchDoc> {
    let case = &site.portal.content.cases[id as usize];
    let resolver = resolver(site, id);
    let markdown::Rendered {
        html, toc, text, ..
    } = body(site, id, &resolver);
    #[derive(serde::Serialize)]
    struct Body {
        case: CaseView,
    }
    let view = case_view(site, id, &resolver, (html, toc));
    let meta = &case.meta;
    let context = site.context(
        &case.url,
        &meta.title,
        &meta.summary,
        &meta.language,
        Body { case: view },
    );
    site.write_page(out, "case_study.html", &case.url, &context)?;
    Ok(search_doc(site, id, &text, analyzer))
}

/// What [`render`] gives the search stage, without writing the page: for
/// `serve`, which indexes every case study again once editing pauses.
pub(super) fn analyse(site: &Site<'_>, id: CaseId, analyzer: &mut LocalAnalyzer<'_>) -> SearchDoc {
    let text = body(site, id, &resolver(site, id)).text;
    search_doc(site, id, &text, analyzer)
}

/// Resolves the links of case study `id` for its page.
fn resolver<'s>(site: &'s Site<'_>, id: CaseId) -> LinkResolver<'s> {
    let case = &site.portal.content.cases[id as usize];
    LinkResolver {
        source_dir: &case.dir,
        page_url: &case.url,
        markdown_urls: &site.markdown_urls,
    }
}

/// The body of case study `id` rendered.
fn body(site: &Site<'_>, id: CaseId, resolver: &LinkResolver<'_>) -> markdown::Rendered {
    let case = &site.portal.content.cases[id as usize];
    markdown::render(&case.body, site.portal.config.raw_html, &|d| {
        resolver.resolve(d)
    })
}

/// The fields of a case study the search index reads, with its body as
/// plain `text`, analysed; and the start of the body for its result.
fn search_doc(
    site: &Site<'_>,
    id: CaseId,
    text: &str,
    analyzer: &mut LocalAnalyzer<'_>,
) -> SearchDoc {
    let meta = &site.portal.content.cases[id as usize].meta;
    let tags = search::labels(site.portal, id);
    let doc = DocText {
        lang: &meta.language,
        title: &meta.title,
        summary: &meta.summary,
        tags: &tags,
        body: text,
    };
    SearchDoc {
        terms: analyzer.analyse(doc),
        excerpt: search::excerpt(text),
    }
}

/// What `case_study.html` shows of case study `id`, with its body's HTML
/// and table of contents.
fn case_view(
    site: &Site<'_>,
    id: CaseId,
    resolver: &LinkResolver<'_>,
    (html, toc): (String, Vec<markdown::TocEntry>),
) -> CaseView {
    let case = &site.portal.content.cases[id as usize];
    let meta = &case.meta;
    let (prev, next) = site.series[id as usize];
    // Relative paths in the front matter (a PDF beside the file) follow the
    // page to its pretty URL, like links in the body.
    let resolve = |url: &String| resolver.resolve(url).unwrap_or_else(|| url.clone());
    let citation = Citation::of(site.portal, id);
    CaseView {
        title: meta.title.clone(),
        url: case.url.clone(),
        date: meta.date.map(|d| d.to_string()).unwrap_or_default(),
        date_display: display_date(meta.date, &meta.language),
        other_language: crate::views::other_language(site.portal, &meta.language),
        summary: meta.summary.clone(),
        series: meta.series.clone(),
        number: meta.number,
        source: source_shown(site, &meta.source),
        partners: meta.partners.clone(),
        links: meta
            .links
            .iter()
            .map(|l| Link {
                title: l.title.clone(),
                url: resolve(&l.url),
            })
            .collect(),
        image: meta.image.as_ref().map(|img| ImageView {
            url: resolve(img),
            alt: meta.image_alt.clone(),
        }),
        html,
        toc,
        facets: facet_terms(site, id),
        places: meta.places.clone(),
        related: site.card_html(&site.related[id as usize], &case.url),
        prev: prev.map(|p| site.card(p)),
        next: next.map(|n| site.card(n)),
        status: meta.status.name(),
        reviewed_by: meta.reviewed_by.clone(),
        reviewed_on: meta.reviewed_on.map(|d| d.to_string()).unwrap_or_default(),
        reviewed_on_display: display_date(meta.reviewed_on, &site.portal.config.language),
        json_ld: crate::structured::case_json_ld(site.portal, id),
        citation: citation.sentence(),
        cite_downloads: citation.downloads(),
    }
}

/// The source as metadata text, or nothing when a facet classifies by
/// source: then it is shown once, as that facet's chip.
fn source_shown(site: &Site<'_>, source: &str) -> String {
    let is_facet = (site.portal.config.facets.iter()).any(|f| f.fields.contains_key("source"));
    if is_facet {
        String::new()
    } else {
        source.to_string()
    }
}

/// Feeds `h` what [`facet_terms`] reads, without making the views: the
/// fingerprint of every case page is computed after each edit in `serve`,
/// where serialising 10,000 lists of terms cost more than the pages
/// rendered. It must read what [`facet_terms`] reads.
pub(super) fn hash_facet_terms(site: &Site<'_>, id: CaseId, h: &mut impl std::hash::Hasher) {
    use std::hash::Hash;
    for f in &site.portal.taxonomy.facets {
        let tagged = &f.tagged[id as usize];
        if tagged.is_empty() {
            continue;
        }
        (&f.key, &f.label, f.levels.is_empty(), tagged.len()).hash(h);
        for &t in tagged {
            crate::views::hash_term(&f.terms[t], h);
        }
    }
}

/// The case study's own terms per facet (ancestors are implied, not listed).
pub(super) fn facet_terms(site: &Site<'_>, id: CaseId) -> Vec<FacetTerms> {
    site.portal
        .taxonomy
        .facets
        .iter()
        .filter(|f| !f.tagged[id as usize].is_empty())
        .map(|f| FacetTerms {
            key: f.key.clone(),
            label: f.label.clone(),
            terms: (f.tagged[id as usize].iter())
                .map(|&t| TermRef {
                    label: f.terms[t].name(),
                    description: f.terms[t].gloss().to_string(),
                    url: f.term_url(t),
                })
                .collect(),
            authored: f.levels.is_empty(),
        })
        .collect()
}
