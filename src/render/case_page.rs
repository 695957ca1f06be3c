//! The case-study page: body, metadata panel, related and series links.

use crate::content::Link;
use crate::error::Result;
use crate::links::LinkResolver;
use crate::markdown;
use crate::output::Sink;
use crate::search::{self, index::LocalAnalyzer, DocText, SearchDoc};
use crate::taxonomy::CaseId;

use super::Site;
use crate::views::{display_date, CaseView, FacetTerms, ImageView};

/// Renders and writes one case-study page and its search result fragment;
/// returns its analysed text for the search index.
pub(super) fn render(
    site: &Site<'_>,
    out: &dyn Sink,
    id: CaseId,
    analyzer: &mut LocalAnalyzer<'_>,
) -> Result<SearchDoc> {
    let case = &site.portal.content.cases[id as usize];
    let resolver = LinkResolver {
        source_dir: &case.dir,
        page_url: &case.url,
        markdown_urls: &site.markdown_urls,
    };
    let mut body = markdown::render(&case.body, site.portal.config.raw_html, &|d| {
        resolver.resolve(d)
    });
    let (prev, next) = site.series[id as usize];
    let view = CaseView {
        title: case.meta.title.clone(),
        url: case.url.clone(),
        date: case.meta.date.map(|d| d.to_string()).unwrap_or_default(),
        date_display: display_date(case.meta.date, &case.meta.language),
        summary: case.meta.summary.clone(),
        series: case.meta.series.clone(),
        number: case.meta.number,
        // Shown once: as a facet chip when a facet classifies by source.
        source: if site
            .portal
            .config
            .facets
            .iter()
            .any(|f| f.fields.contains_key("source"))
        {
            String::new()
        } else {
            case.meta.source.clone()
        },
        partners: case.meta.partners.clone(),
        // Relative links in the front matter (a PDF beside the file) follow
        // the page to its pretty URL, like links in the body.
        links: case
            .meta
            .links
            .iter()
            .map(|l| Link {
                title: l.title.clone(),
                url: resolver.resolve(&l.url).unwrap_or_else(|| l.url.clone()),
            })
            .collect(),
        image: case.meta.image.as_ref().map(|img| ImageView {
            url: resolver.resolve(img).unwrap_or_else(|| img.clone()),
            alt: case.meta.image_alt.clone(),
        }),
        html: std::mem::take(&mut body.html),
        toc: std::mem::take(&mut body.toc),
        facets: facet_terms(site, id),
        places: case.meta.places.clone(),
        related: site.card_html(&site.related[id as usize], &case.url),
        prev: prev.map(|p| site.card(p)),
        next: next.map(|n| site.card(n)),
    };
    #[derive(serde::Serialize)]
    struct Body {
        case: CaseView,
    }
    let context = site.context(
        &case.url,
        &case.meta.title,
        &case.meta.summary,
        &case.meta.language,
        Body { case: view },
    );
    site.write_page(out, "case_study.html", &case.url, &context)?;
    let tags = search::tag_labels(site.portal, id);
    let doc = DocText {
        lang: &case.meta.language,
        title: &case.meta.title,
        summary: &case.meta.summary,
        tags: &tags,
        body: &body.text,
    };
    Ok(SearchDoc {
        terms: analyzer.analyse(doc),
        excerpt: search::excerpt(&body.text),
    })
}

/// The case study's own terms per facet (ancestors are implied, not listed).
fn facet_terms(site: &Site<'_>, id: CaseId) -> Vec<FacetTerms> {
    site.portal
        .taxonomy
        .facets
        .iter()
        .filter(|f| !f.tagged[id as usize].is_empty())
        .map(|f| FacetTerms {
            key: f.key.clone(),
            label: f.label.clone(),
            terms: f.tagged[id as usize]
                .iter()
                .map(|&t| site.term_link(f, t))
                .collect(),
            authored: f.levels.is_empty(),
        })
        .collect()
}
