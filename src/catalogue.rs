//! Catalogue: the portal's metadata as open data, `catalogue.json` and
//! `catalogue.csv`, one record per case study with every field and facet term.
//!
//! Hosts and researchers reuse these files (spreadsheets, dashboards); the
//! column set is stable: core fields first, then one column per facet (term
//! codes joined with "; "), then the site's extra fields. Facets and extra
//! fields sit in their own namespaces (`terms` and `extra` in the JSON,
//! `terms.<key>` and `extra.<name>` columns in the CSV), because a site names
//! them freely: the sample portal's `source` facet must not replace the
//! `source` its authors wrote.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::content::case_study::Link;
use crate::content::CaseStudy;
use crate::error::{Error, Result};
use crate::links::LinkResolver;
use crate::output::Sink;
use crate::portal::Portal;
use crate::taxonomy::Taxonomy;

#[derive(Serialize)]
struct Catalogue<'a> {
    title: &'a str,
    base_url: String,
    generator: &'static str,
    facets: Vec<FacetEntry<'a>>,
    case_studies: &'a [Map<String, Value>],
}

#[derive(Serialize)]
struct FacetEntry<'a> {
    key: &'a str,
    label: &'a str,
    terms: Vec<TermEntry<'a>>,
}

#[derive(Serialize)]
struct TermEntry<'a> {
    code: &'a str,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
}

/// Writes `catalogue.json` and `catalogue.csv`.
pub fn write(portal: &Portal, out: &dyn Sink) -> Result<()> {
    let (config, content, taxonomy) = (&portal.config, &portal.content, &portal.taxonomy);
    let markdown_urls = content.markdown_urls();
    let records: Vec<Map<String, Value>> = content
        .cases
        .par_iter()
        .enumerate()
        .map(|(i, c)| record(config, taxonomy, &markdown_urls, i, c))
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
    json.and(csv)
}

fn record(
    config: &Config,
    taxonomy: &Taxonomy,
    markdown_urls: &HashMap<String, String>,
    index: usize,
    case: &CaseStudy,
) -> Map<String, Value> {
    let m = &case.meta;
    let mut r = Map::new();
    let mut put = |k: &str, v: Value| {
        r.insert(k.to_string(), v);
    };
    put("slug", case.slug.clone().into());
    put("url", format!("{}{}", config.base_url(), case.url).into());
    put("title", m.title.clone().into());
    put(
        "date",
        m.date.map(|d| d.to_string()).unwrap_or_default().into(),
    );
    put("summary", m.summary.clone().into());
    put("series", m.series.clone().into());
    put("number", m.number.map_or(Value::Null, Value::from));
    put("language", m.language.clone().into());
    put("source", m.source.clone().into());
    put("partners", m.partners.clone().into());
    put("places", m.places.clone().into());
    // A link to a file beside the case study ("study.pdf") means nothing
    // outside the site: open data gets the absolute URL it was published at.
    let resolver = LinkResolver {
        source_dir: &case.dir,
        page_url: "",
        markdown_urls,
    };
    let links: Vec<Link> = m
        .links
        .iter()
        .map(|l| Link {
            title: l.title.clone(),
            url: resolver.resolve(&l.url).map_or_else(
                || l.url.clone(),
                |url| format!("{}{url}", config.base_url()),
            ),
        })
        .collect();
    put("links", serde_json::to_value(&links).unwrap_or_default());
    let terms: Map<String, Value> = taxonomy
        .facets
        .iter()
        .map(|facet| {
            let codes = facet.tagged[index]
                .iter()
                .map(|&t| facet.terms[t].code.clone().into())
                .collect();
            (facet.key.clone(), Value::Array(codes))
        })
        .collect();
    put("terms", terms.into());
    let extra: Map<String, Value> = m
        .extra
        .iter()
        .map(|(key, value)| (key.clone(), serde_json::to_value(value).unwrap_or_default()))
        .collect();
    put("extra", extra.into());
    r
}

/// The CSV's first columns: the fields every case study has.
const CORE_COLUMNS: [&str; 12] = [
    "slug", "url", "title", "date", "summary", "series", "number", "language", "source",
    "partners", "places", "links",
];

fn csv_bytes(
    config: &Config,
    taxonomy: &Taxonomy,
    records: &[Map<String, Value>],
) -> Result<Vec<u8>> {
    // (namespace in the JSON record, "" for core fields; key)
    let facets = taxonomy.facets.iter().map(|f| ("terms", f.key.as_str()));
    let extras = config.extra_fields.iter().map(|k| ("extra", k.as_str()));
    let columns: Vec<(&str, &str)> = CORE_COLUMNS
        .iter()
        .map(|&c| ("", c))
        .chain(facets)
        .chain(extras)
        .collect();
    let header = |&(namespace, key): &(&str, &str)| match namespace {
        "" => key.to_string(),
        ns => format!("{ns}.{key}"),
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| Error::Internal(format!("catalogue.csv: {e}"));
    writer
        .write_record(columns.iter().map(header))
        .map_err(csv_err)?;
    for r in records {
        let value = |&(namespace, key): &(&str, &str)| match namespace {
            "" => r.get(key),
            ns => r.get(ns).and_then(|n| n.get(key)),
        };
        writer
            .write_record(columns.iter().map(|c| cell(value(c))))
            .map_err(csv_err)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::Internal(format!("catalogue.csv: {e}")))
}

/// A JSON value as one CSV cell: lists joined with "; ", links as "title <url>".
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::Object(o) if o.contains_key("url") => {
                    format!("{} <{}>", cell(o.get("title")), cell(o.get("url")))
                }
                other => cell(Some(other)),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => other.to_string(),
    }
}
