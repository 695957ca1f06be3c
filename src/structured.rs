//! Structured data: what search engines and data portals read of the
//! portal, as schema.org JSON-LD (and DCAT for the catalogue).
//!
//! Input: the [`Portal`]. Output: for each case study, the JSON-LD its page
//! carries in a `<script type="application/ld+json">` ([`case_json_ld`]);
//! for the catalogue, one description of the open data as a schema.org
//! `Dataset` that is also a `dcat:Dataset` with its two distributions
//! ([`dataset_json_ld`]), published as `catalogue.jsonld` and on the home
//! page. Every value is a typed struct below, so a field cannot be misspelt
//! on one page and right on another.
//!
//! Which facets are subjects and which are places is configuration, not
//! code: a vocabulary facet gives `about` terms ([`DefinedTerm`]s with
//! their code and term set), one marked `spatial: true` gives
//! `spatialCoverage`, and free tags from the site's own fields are
//! `keywords`.

use serde::Serialize;

use crate::content::fields;
use crate::content::review::Status;
use crate::content::CaseStudy;
use crate::i18n::Strings;
use crate::portal::Portal;
use crate::taxonomy::{CaseId, Facet};

/// The schema.org context of every document.
const SCHEMA_ORG: &str = "https://schema.org";

/// The file describing the catalogue, beside `catalogue.json`.
pub const DATASET_FILE: &str = "catalogue.jsonld";

/// A case study as schema.org sees it: a `Report`, the CreativeWork for a
/// document an organisation publishes about its work, with a number in a
/// series (`position`) as JMDI's "Case Study #18".
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseDocument {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    /// The page's absolute URL, also its identity.
    #[serde(rename = "@id")]
    id: String,
    /// Title.
    name: String,
    /// Summary.
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
    /// Date shared, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    /// BCP 47 tag.
    in_language: String,
    /// The page's absolute URL.
    url: String,
    /// Terms of the vocabulary facets that are not places.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<DefinedTerm>,
    /// Free-text places, then the terms of the `spatial` facets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    spatial_coverage: Vec<Place>,
    /// Free tags of the site's own fields (themes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<String>,
    /// The source, when it names an organisation or publication.
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Organization>,
    /// The source, when it is an address.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_based_on: Option<String>,
    /// The partners.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contributor: Vec<Organization>,
    /// The series it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_part_of: Option<Series>,
    /// Its number in the series.
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<u32>,
    /// "Draft" or "Under review" on pages shown before publication.
    #[serde(skip_serializing_if = "Option::is_none")]
    creative_work_status: Option<&'static str>,
}

/// A term of a controlled vocabulary.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DefinedTerm {
    #[serde(rename = "@type")]
    kind: &'static str,
    /// The name readers see ("Target 10.7: Facilitate orderly…").
    name: String,
    /// The code authors write ("10.7").
    term_code: String,
    /// The vocabulary.
    in_defined_term_set: TermSet,
    /// The term's page on the portal.
    url: String,
}

/// A vocabulary, identified by its facet's page on the portal (which
/// lists every term), and named as its file names it.
#[derive(Debug, Clone, Serialize)]
pub struct TermSet {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    name: String,
}

/// A place: a free-text name, or a term with its code and page.
#[derive(Debug, Serialize)]
pub struct Place {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// An organisation, by name.
#[derive(Debug, Serialize)]
pub struct Organization {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
}

/// A series of case studies.
#[derive(Debug, Serialize)]
pub struct Series {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
}

fn organization(name: &str) -> Organization {
    Organization {
        kind: "Organization",
        name: name.to_string(),
    }
}

/// The JSON-LD of case study `id`'s page, ready to go between the tags of
/// a script element (see [`script_safe`]).
pub fn case_json_ld(portal: &Portal, id: CaseId) -> String {
    script_safe(&serde_json::to_string(&case_document(portal, id)).unwrap_or_default())
}

/// Case study `id` as a schema.org document.
pub fn case_document(portal: &Portal, id: CaseId) -> CaseDocument {
    let case = &portal.content.cases[id as usize];
    let m = &case.meta;
    let base = portal.config.base_url();
    let url = format!("{base}{}", case.url);
    let (about, places, keywords) = classified(portal, id, &base);
    let is_address = crate::links::is_web_address(&m.source);
    CaseDocument {
        context: SCHEMA_ORG,
        kind: "Report",
        id: url.clone(),
        name: m.title.clone(),
        description: m.summary.clone(),
        date_published: m.date.map(|d| d.to_string()),
        in_language: m.language.clone(),
        url,
        about,
        spatial_coverage: free_places(case).chain(places).collect(),
        keywords,
        publisher: (!m.source.is_empty() && !is_address).then(|| organization(&m.source)),
        is_based_on: is_address.then(|| m.source.clone()),
        contributor: m.partners.iter().map(|p| organization(p)).collect(),
        is_part_of: (!m.series.is_empty()).then(|| Series {
            kind: "CreativeWorkSeries",
            name: m.series.clone(),
        }),
        position: m.number,
        creative_work_status: match m.status {
            Status::Published => None,
            Status::Draft => Some("Draft"),
            Status::Review => Some("Under review"),
        },
    }
}

fn free_places(case: &CaseStudy) -> impl Iterator<Item = Place> + '_ {
    case.meta.places.iter().map(|p| Place {
        kind: "Place",
        name: p.clone(),
        identifier: None,
        url: None,
    })
}

/// The case study's terms per facet: subjects, places and keywords.
fn classified(
    portal: &Portal,
    id: CaseId,
    base: &str,
) -> (Vec<DefinedTerm>, Vec<Place>, Vec<String>) {
    let (mut about, mut places, mut keywords) = (Vec::new(), Vec::new(), Vec::new());
    let facets = portal.taxonomy.facets.iter().zip(&portal.config.facets);
    for (facet, spec) in facets {
        let tagged = &facet.tagged[id as usize];
        let url = |t: usize| format!("{base}{}", facet.term_url(t));
        match &spec.vocabulary {
            Some(_) if spec.spatial => places.extend(tagged.iter().map(|&t| Place {
                kind: "Place",
                name: facet.terms[t].label.clone(),
                identifier: Some(facet.terms[t].code.clone()),
                url: Some(url(t)),
            })),
            Some(key) => {
                let set = term_set(portal, facet, key, base);
                about.extend(tagged.iter().map(|&t| DefinedTerm {
                    kind: "DefinedTerm",
                    name: facet.terms[t].name(),
                    term_code: facet.terms[t].code.clone(),
                    in_defined_term_set: set.clone(),
                    url: url(t),
                }));
            }
            // Free tags of core fields (source, partners, year) are given
            // above as what they are.
            None if spec.fields.keys().all(|f| fields::core(f).is_none()) => {
                keywords.extend(tagged.iter().map(|&t| facet.terms[t].label.clone()))
            }
            None => {}
        }
    }
    (about, places, keywords)
}

fn term_set(portal: &Portal, facet: &Facet, vocabulary: &str, base: &str) -> TermSet {
    let name = (portal.vocabularies.get(vocabulary))
        .map_or_else(|| facet.label.clone(), |v| v.label.clone());
    TermSet {
        kind: "DefinedTermSet",
        id: format!("{base}{}", facet.url()),
        name,
    }
}

/// JSON made safe to sit between `<script>` and `</script>`: `<`, `>` and
/// `&` only occur inside JSON strings, where their `\u` escapes mean the
/// same, so no `</script>` or `<!--` written by an author can end the
/// element or change how the browser reads it.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The catalogue as a dataset: schema.org `Dataset` and DCAT `dcat:Dataset`
/// in one node, with `catalogue.json` and `catalogue.csv` as its
/// distributions (`DataDownload` and `dcat:Distribution` each).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dataset {
    #[serde(rename = "@context")]
    context: DatasetContext,
    #[serde(rename = "@type")]
    kind: [&'static str; 2],
    /// Where this description is published.
    #[serde(rename = "@id")]
    id: String,
    /// The portal's title.
    name: String,
    /// The portal's tagline, or a sentence saying what the data holds.
    description: String,
    /// The portal's home page.
    url: String,
    /// The portal's language.
    in_language: String,
    /// The facets the records are classified by.
    keywords: Vec<String>,
    /// Date of the newest published case study.
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    /// The two files.
    distribution: Vec<Distribution>,
    #[serde(rename = "dct:title")]
    dct_title: String,
    #[serde(rename = "dct:description")]
    dct_description: String,
    #[serde(rename = "dcat:landingPage")]
    landing_page: IdRef,
    #[serde(rename = "dcat:distribution")]
    dcat_distribution: Vec<IdRef>,
}

/// The prefixes of the dataset's terms: schema.org by default, DCAT and
/// Dublin Core terms by prefix.
#[derive(Debug, Serialize)]
struct DatasetContext {
    #[serde(rename = "@vocab")]
    vocab: &'static str,
    dcat: &'static str,
    dct: &'static str,
}

/// A reference to a node by its IRI.
#[derive(Debug, Serialize)]
struct IdRef {
    #[serde(rename = "@id")]
    id: String,
}

/// One file of the catalogue.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Distribution {
    #[serde(rename = "@type")]
    kind: [&'static str; 2],
    #[serde(rename = "@id")]
    id: String,
    name: String,
    content_url: String,
    encoding_format: &'static str,
    #[serde(rename = "dct:title")]
    dct_title: String,
    #[serde(rename = "dcat:downloadURL")]
    download_url: IdRef,
    #[serde(rename = "dcat:accessURL")]
    access_url: IdRef,
    #[serde(rename = "dcat:mediaType")]
    media_type: IdRef,
}

/// The catalogue's files: name, media type, the UI string of what it is.
const DISTRIBUTIONS: [(&str, &str, &str); 2] = [
    ("catalogue.json", "application/json", "data.json"),
    ("catalogue.csv", "text/csv", "data.csv"),
];

/// The catalogue described as a dataset, in the words of `strings`.
pub fn dataset(portal: &Portal, strings: &Strings) -> Dataset {
    let config = &portal.config;
    let base = config.base_url();
    let description = if config.tagline.is_empty() {
        strings.format("data.description", &[("portal", &config.title)])
    } else {
        config.tagline.clone()
    };
    let distribution: Vec<Distribution> = (DISTRIBUTIONS.iter())
        .map(|(file, media, what)| (file, media, strings.get(what)))
        .map(|(file, media, what)| Distribution {
            kind: ["DataDownload", "dcat:Distribution"],
            id: format!("{base}{file}"),
            name: file.to_string(),
            content_url: format!("{base}{file}"),
            encoding_format: media,
            dct_title: format!("{file}: {what}"),
            download_url: IdRef {
                id: format!("{base}{file}"),
            },
            access_url: IdRef { id: base.clone() },
            media_type: IdRef {
                id: format!("https://www.iana.org/assignments/media-types/{media}"),
            },
        })
        .collect();
    let newest = (portal.content.cases.iter())
        .filter(|c| c.meta.status.is_published())
        .filter_map(|c| c.meta.date)
        .max();
    Dataset {
        context: DatasetContext {
            vocab: "https://schema.org/",
            dcat: "http://www.w3.org/ns/dcat#",
            dct: "http://purl.org/dc/terms/",
        },
        kind: ["Dataset", "dcat:Dataset"],
        id: format!("{base}{DATASET_FILE}"),
        name: config.title.clone(),
        dct_title: config.title.clone(),
        dct_description: description.clone(),
        description,
        url: base.clone(),
        landing_page: IdRef { id: base.clone() },
        in_language: config.language.clone(),
        keywords: config.facets.iter().map(|f| f.label.clone()).collect(),
        date_modified: newest.map(|d| d.to_string()),
        dcat_distribution: distribution
            .iter()
            .map(|d| IdRef { id: d.id.clone() })
            .collect(),
        distribution,
    }
}

/// The dataset as JSON-LD: pretty for `catalogue.jsonld`, or compact and
/// [`script_safe`] for a page's script element.
pub fn dataset_json_ld(portal: &Portal, strings: &Strings, for_page: bool) -> String {
    let dataset = dataset(portal, strings);
    if for_page {
        script_safe(&serde_json::to_string(&dataset).unwrap_or_default())
    } else {
        serde_json::to_string_pretty(&dataset).unwrap_or_default() + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_cannot_close_the_element_and_still_parses() {
        let json = serde_json::to_string("</script><!-- a & b").unwrap();
        let safe = script_safe(&json);
        assert!(!safe.contains('<') && !safe.contains('>'), "{safe}");
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "</script><!-- a & b");
    }
}
