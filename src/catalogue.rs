//! Catalogue: the portal's metadata as open data, `catalogue.json` and
//! `catalogue.csv`, one record per case study with every field and facet term.
//!
//! Hosts and researchers reuse these files (spreadsheets, dashboards); the
//! column set is stable: core fields first (those the table of core fields,
//! [`crate::content::fields::CORE`], gives a column, in that column's
//! order), then one column per facet (term codes joined with "; ", an item
//! holding the separator quoted: [`crate::cells`]), then the site's extra
//! fields. Facets and extra fields sit in their own namespaces (`terms` and `extra` in the JSON,
//! `terms.<key>` and `extra.<name>` columns in the CSV), because a site names
//! them freely: the sample portal's `source` facet must not replace the
//! `source` its authors wrote.
//!
//! One [`Record`] per case study writes both files: catalogue.json holds it
//! as it serialises, catalogue.csv flattens that same serialisation into a
//! row, so the two can never disagree.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::cells;
use crate::config::Config;
use crate::content::case_study::Link;
use crate::content::fields::CORE;
use crate::content::CaseStudy;
use crate::error::{Error, Result};
use crate::links::LinkResolver;
use crate::output::Sink;
use crate::portal::Portal;
use crate::taxonomy::Taxonomy;

/// `catalogue.json`. Besides reusers of the open data, the browser tests
/// read it (`loadCatalogue` in tests/browser/helpers.mjs) to check every
/// count the search page shows.
#[derive(Serialize)]
struct Catalogue<'a> {
    /// The portal's title.
    title: &'a str,
    /// Its public address, ending in `/`: every `url` below starts with it.
    base_url: String,
    /// Always "Casebook".
    generator: &'static str,
    /// Every facet, in config order, with all its terms: what the codes in
    /// a record's `terms` mean. Read by `loadCatalogue`.
    facets: Vec<FacetEntry<'a>>,
    /// One record per case study, newest first (doc id order). Read by
    /// `loadCatalogue`.
    case_studies: &'a [Record<'a>],
}

/// One facet of [`Catalogue`].
#[derive(Serialize)]
struct FacetEntry<'a> {
    /// Facet key: the name of its list in a record's `terms` and of its
    /// `terms.<key>` CSV column.
    key: &'a str,
    /// Display name.
    label: &'a str,
    /// Every term, parents before children.
    terms: Vec<TermEntry<'a>>,
}

/// One term of a [`FacetEntry`].
#[derive(Serialize)]
struct TermEntry<'a> {
    /// Code, as records list it.
    code: &'a str,
    /// Display name.
    label: &'a str,
    /// Code of its parent term; absent for a top-level term. A record lists
    /// only the terms a case study was tagged with, so `loadCatalogue` adds
    /// their ancestors through this.
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
}

/// Writes `catalogue.json` and `catalogue.csv`.
pub fn write(portal: &Portal, strings: &crate::i18n::Strings, out: &dyn Sink) -> Result<()> {
    let (config, content, taxonomy) = (&portal.config, &portal.content, &portal.taxonomy);
    let markdown_urls = content.markdown_urls();
    let versions = Versions::of(portal);
    let records: Vec<Record<'_>> = content
        .cases
        .par_iter()
        .enumerate()
        // The open data never holds a draft, even where drafts are shown.
        .filter(|(_, c)| c.meta.status.is_published())
        .map(|(i, c)| record(portal, &versions, &markdown_urls, i, c))
        .collect();
    let catalogue = Catalogue {
        title: &config.title,
        base_url: config.base_url(),
        generator: "Casebook",
        facets: taxonomy
            .facets
            .iter()
            .map(|f| FacetEntry {
                key: &f.key,
                label: &f.label,
                terms: f
                    .terms
                    .iter()
                    .map(|t| TermEntry {
                        code: &t.code,
                        label: &t.label,
                        parent: t.parent.map(|p| f.terms[p].code.as_str()),
                    })
                    .collect(),
            })
            .collect(),
        case_studies: &records,
    };
    let (json, csv) = rayon::join(
        || {
            let json = serde_json::to_vec_pretty(&catalogue)
                .map_err(|e| Error::Internal(format!("catalogue.json: {e}")))?;
            out.write("catalogue.json", &json)
        },
        || out.write("catalogue.csv", &csv_bytes(config, taxonomy, &records)?),
    );
    json.and(csv)?;
    let dataset = crate::structured::dataset_json_ld(portal, strings, false);
    out.write(crate::structured::DATASET_FILE, dataset.as_bytes())?;
    let gaps = serde_json::to_vec_pretty(&crate::gaps::Gaps::new(portal, strings))
        .map_err(|e| Error::Internal(format!("{}: {e}", crate::gaps::GAPS_FILE)))?;
    out.write(crate::gaps::GAPS_FILE, &gaps)
}

/// One case study in the catalogue: an element of `case_studies` in
/// catalogue.json, and a row of catalogue.csv (its fields by name, `terms`
/// and `extra` as `terms.<key>` and `extra.<name>` columns).
///
/// Fields in alphabetical order: the order catalogue.json's records have
/// always had (they were first written from sorted JSON maps), which the
/// snapshot tests hold them to. `loadCatalogue` (tests/browser/helpers.mjs)
/// reads `slug`, `title`, `summary` and `terms`.
#[derive(Debug, Serialize)]
struct Record<'a> {
    /// Date shared, `YYYY-MM-DD`, or empty.
    date: String,
    /// The site's extra fields (`extra_fields` in casebook.yaml) that this
    /// case study gives, by name, with the YAML value as JSON.
    extra: BTreeMap<&'a str, Value>,
    /// BCP 47 language tag (the site's language when the file gives none).
    language: &'a str,
    /// Related links; one beside the case study's file (`study.pdf`) is
    /// given the absolute URL it was published at.
    links: Vec<Link>,
    /// Number in its series, or null.
    number: Option<u32>,
    /// Partner organisations.
    partners: &'a [String],
    /// Free-text places.
    places: &'a [String],
    /// Series, or empty.
    series: &'a str,
    /// URL segment of its page.
    slug: &'a str,
    /// Where the case study comes from, or empty.
    source: &'a str,
    /// Summary, or empty.
    summary: &'a str,
    /// Per facet key, the codes of the terms it is tagged with (no
    /// ancestors), in tagging order.
    terms: BTreeMap<&'a str, Vec<&'a str>>,
    /// Title.
    title: &'a str,
    /// In a multilingual portal, its other language versions (their
    /// language and the absolute URL of their page); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    translations: Option<Vec<Translation>>,
    /// Absolute URL of its page.
    url: String,
}

/// Another language version of a case study.
#[derive(Debug, Serialize)]
struct Translation {
    /// Its BCP 47 language.
    language: String,
    /// Absolute URL of its page.
    url: String,
}

fn record<'a>(
    portal: &'a Portal,
    versions: &Versions<'_>,
    markdown_urls: &HashMap<String, String>,
    index: usize,
    case: &'a CaseStudy,
) -> Record<'a> {
    let (config, taxonomy) = (&portal.config, &portal.taxonomy);
    let m = &case.meta;
    let terms = taxonomy
        .facets
        .iter()
        .map(|facet| {
            let codes = facet.tagged[index]
                .iter()
                .map(|&t| facet.terms[t].code.as_str())
                .collect();
            (facet.key.as_str(), codes)
        })
        .collect();
    let extra = (m.extra.iter())
        .map(|(key, value)| {
            (
                key.as_str(),
                serde_json::to_value(value).unwrap_or_default(),
            )
        })
        .collect();
    Record {
        date: m.date.map(|d| d.to_string()).unwrap_or_default(),
        extra,
        language: &m.language,
        links: absolute_links(config, markdown_urls, case),
        number: m.number,
        partners: &m.partners,
        places: &m.places,
        series: &m.series,
        slug: &case.slug,
        source: &m.source,
        summary: &m.summary,
        terms,
        title: &m.title,
        translations: config
            .is_multilingual()
            .then(|| versions.others(portal, case)),
        url: page_url(portal, case),
    }
}

/// The absolute URL of a case study's page, in its language's edition.
fn page_url(portal: &Portal, case: &CaseStudy) -> String {
    let folder = crate::languages::folder(portal, &case.meta.language);
    format!("{}{folder}{}", portal.config.base_url(), case.url)
}

/// The published case studies by translation key.
struct Versions<'p>(HashMap<&'p str, Vec<&'p CaseStudy>>);

impl<'p> Versions<'p> {
    fn of(portal: &'p Portal) -> Self {
        let mut by_key: HashMap<&str, Vec<&CaseStudy>> = HashMap::new();
        let published = (portal.content.cases.iter()).filter(|c| c.meta.status.is_published());
        for case in published {
            by_key
                .entry(&case.meta.translation_key)
                .or_default()
                .push(case);
        }
        Versions(by_key)
    }

    /// The other language versions of `case`, by language.
    fn others(&self, portal: &Portal, case: &CaseStudy) -> Vec<Translation> {
        let group = self.0.get(case.meta.translation_key.as_str());
        let mut others: Vec<Translation> = (group.into_iter().flatten())
            .filter(|c| c.source != case.source)
            .map(|c| Translation {
                language: c.meta.language.clone(),
                url: page_url(portal, c),
            })
            .collect();
        others.sort_by(|a, b| a.language.cmp(&b.language));
        others
    }
}

/// The front-matter links of `case`, a link to a file beside it
/// ("study.pdf") made the absolute URL it was published at: a relative
/// path means nothing outside the site.
fn absolute_links(
    config: &Config,
    markdown_urls: &HashMap<String, String>,
    case: &CaseStudy,
) -> Vec<Link> {
    let resolver = LinkResolver {
        source_dir: &case.dir,
        page_url: "",
        markdown_urls,
    };
    let absolute = |url: &String| {
        resolver.resolve(url).map_or_else(
            || url.clone(),
            |resolved| format!("{}{resolved}", config.base_url()),
        )
    };
    (case.meta.links.iter())
        .map(|l| Link {
            title: l.title.clone(),
            url: absolute(&l.url),
        })
        .collect()
}

/// The column of the page's `url` among the core columns: right after the
/// slug, together the record's identity.
pub(crate) const URL_COLUMN: usize = 1;

/// The CSV's first columns, fields of every case study: the core fields the
/// table gives a column, and the page's `url`, in column order.
fn core_columns() -> Vec<&'static str> {
    let mut columns: Vec<(usize, &str)> = CORE
        .iter()
        .filter_map(|f| f.column.map(|c| (c, f.name)))
        .chain([(URL_COLUMN, "url")])
        .collect();
    columns.sort_unstable();
    columns.into_iter().map(|(_, name)| name).collect()
}

fn csv_bytes(config: &Config, taxonomy: &Taxonomy, records: &[Record<'_>]) -> Result<Vec<u8>> {
    // (namespace in the JSON record, "" for core fields; key)
    let facets = taxonomy.facets.iter().map(|f| ("terms", f.key.as_str()));
    let extras = config.extra_fields.iter().map(|k| ("extra", k.as_str()));
    let translations = config.is_multilingual().then_some(("", "translations"));
    let columns: Vec<(&str, &str)> = core_columns()
        .into_iter()
        .map(|c| ("", c))
        .chain(translations)
        .chain(facets)
        .chain(extras)
        .collect();
    let header = |&(namespace, key): &(&str, &str)| match namespace {
        "" => key.to_string(),
        ns => format!("{ns}.{key}"),
    };
    let rows: Vec<Vec<String>> = records
        .par_iter()
        .map(|r| row(r, &columns))
        .collect::<Result<_>>()?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| Error::Internal(format!("catalogue.csv: {e}"));
    writer
        .write_record(columns.iter().map(header))
        .map_err(csv_err)?;
    for row in rows {
        writer.write_record(row).map_err(csv_err)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::Internal(format!("catalogue.csv: {e}")))
}

/// A record as a CSV row: its JSON serialisation, the value of each column
/// looked up by name (`terms.<key>` in `terms`), flattened into a cell.
fn row(record: &Record<'_>, columns: &[(&str, &str)]) -> Result<Vec<String>> {
    let json =
        serde_json::to_value(record).map_err(|e| Error::Internal(format!("catalogue.csv: {e}")))?;
    let value = |&(namespace, key): &(&str, &str)| match namespace {
        "" => json.get(key),
        ns => json.get(ns).and_then(|n| n.get(key)),
    };
    Ok(columns.iter().map(|c| cell(value(c))).collect())
}

/// A JSON value as one CSV cell: lists as [`cells::join`] writes them
/// (items that contain the separator quoted), links as "title <url>".
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => {
            let items: Vec<String> = items
                .iter()
                .map(|v| match v {
                    Value::Object(o) if o.contains_key("url") => cells::link_item(&Link {
                        // A link's title, or a translation's language.
                        title: cell(o.get("title").or(o.get("language"))),
                        url: cell(o.get("url")),
                    }),
                    other => cell(Some(other)),
                })
                .collect();
            cells::join(&items)
        }
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_columns_are_numbered_without_gaps_or_repeats() {
        let mut numbers: Vec<usize> = CORE.iter().filter_map(|f| f.column).collect();
        numbers.push(URL_COLUMN);
        numbers.sort_unstable();
        let expected: Vec<usize> = (0..numbers.len()).collect();
        assert_eq!(numbers, expected);
    }

    /// The CSV finds a core column's value in the record by the column's
    /// name: a record field missing for a column would leave it empty.
    #[test]
    fn a_record_holds_exactly_the_core_columns_terms_and_extra() {
        let record = Record {
            date: String::new(),
            extra: BTreeMap::new(),
            language: "",
            links: Vec::new(),
            number: None,
            partners: &[],
            places: &[],
            series: "",
            slug: "",
            source: "",
            summary: "",
            terms: BTreeMap::new(),
            title: "",
            translations: None,
            url: String::new(),
        };
        let json = serde_json::to_value(&record).unwrap();
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = core_columns();
        expected.extend(["terms", "extra"]);
        keys.sort_unstable();
        expected.sort_unstable();
        assert_eq!(keys, expected);
    }
}
