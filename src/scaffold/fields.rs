//! The front matter of a new case study: every field the site accepts, each
//! with a comment saying what it takes.
//!
//! The core fields are the same on every portal: their order and comments
//! come from the table of core fields ([`crate::content::fields::CORE`]).
//! Every other field exists because a facet in `casebook.yaml` reads it; its
//! comment is generated from that facet and its vocabulary ("SDG target:
//! codes or names such as 10.7 (vocabulary: Sustainable Development Goals,
//! level Target)"), with examples taken from the site's own case studies
//! where there are some. Nothing about any subject is written here.

use std::collections::HashMap;

use jiff::civil::Date;

use crate::config::FacetSpec;
use crate::content::case_study::FacetValues;
use crate::content::fields::{Kind, CORE};
use crate::content::schema::{FieldKind, CORE_FIELDS};
use crate::content::Link;
use crate::text::normalise;
use crate::vocabulary::Vocabulary;
use crate::Portal;

/// Vocabularies with at most this many candidate terms are listed in full.
const LIST_ALL: usize = 12;

/// Examples given in a comment.
const EXAMPLES: usize = 2;

/// Heading of the classification fields.
const CLASSIFICATION: &str = "\
# Classification. Each field below feeds a facet declared in casebook.yaml.
# Write lists as [\"first\", \"second\"]; codes, names and aliases all work.
";

/// The Markdown body of a new case study.
const BODY: &str = include_str!("new-body.md");

/// Everything a new case-study file is made from.
#[derive(Debug)]
pub struct Draft<'a> {
    /// The site: config, schema and existing case studies (for examples).
    pub portal: &'a Portal,
    /// The values known so far, by field name; every other field is written
    /// empty, ready to fill (the language: the site's).
    pub values: &'a [(String, FieldValue)],
    /// The Markdown body; `None` gives the usual sections to fill.
    pub body: Option<&'a str>,
}

/// A value of a front-matter field, as `casebook new` and `casebook import`
/// know it, written in the YAML of its kind.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// One line of text.
    Text(String),
    /// A list of text values (a facet's codes, partners).
    List(Vec<String>),
    /// Links, each a title and a URL.
    Links(Vec<Link>),
    /// A date.
    Date(Date),
    /// A whole number.
    Number(u32),
    /// Any other value (an extra field), as JSON, which YAML reads as is.
    Json(serde_json::Value),
}

impl FieldValue {
    /// The value as YAML after `name:`; links are a block of indented lines.
    fn yaml(&self) -> String {
        match self {
            FieldValue::Text(text) => quote(text),
            FieldValue::List(items) => list(items),
            FieldValue::Links(links) if links.is_empty() => "[]".into(),
            FieldValue::Links(links) => links
                .iter()
                .map(|l| {
                    format!(
                        "\n  - title: {}\n    url: {}",
                        quote(&l.title),
                        quote(&l.url)
                    )
                })
                .collect(),
            FieldValue::Date(date) => date.to_string(),
            FieldValue::Number(n) => n.to_string(),
            FieldValue::Json(value) => serde_json::to_string(value).expect("JSON serialises"),
        }
    }
}

impl Draft<'_> {
    /// The YAML of the value given for `name`, if one is.
    fn given(&self, name: &str) -> Option<String> {
        (self.values.iter())
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.yaml())
    }
}

/// One field of the file: comment, name, YAML value.
struct Field {
    comment: String,
    name: String,
    value: String,
}

impl Field {
    fn write(&self, out: &mut String) {
        for line in self.comment.lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&self.name);
        out.push(':');
        if !self.value.is_empty() {
            // A block value (links) starts on the next line.
            if !self.value.starts_with('\n') {
                out.push(' ');
            }
            out.push_str(&self.value);
        }
        out.push('\n');
    }
}

/// The whole file: front matter and the body (by default, the usual
/// sections to fill).
pub fn case_file(draft: &Draft<'_>) -> String {
    let mut out = String::from("---\n");
    for field in core_fields(draft) {
        field.write(&mut out);
    }
    let classification = facet_fields(draft);
    if !classification.is_empty() {
        out.push('\n');
        out.push_str(CLASSIFICATION);
    }
    for field in classification.iter().chain(&extra_fields(draft)) {
        field.write(&mut out);
    }
    out.push_str("---\n\n");
    match draft.body {
        Some(body) => {
            out.push_str(body.trim_end());
            out.push('\n');
        }
        None => out.push_str(BODY),
    }
    out
}

fn core_fields(draft: &Draft<'_>) -> Vec<Field> {
    // Only a portal of several languages links translations.
    let multilingual = draft.portal.config.is_multilingual();
    CORE.iter()
        .filter(|field| multilingual || field.name != "translation_key")
        .map(|field| {
            // A field not given starts empty, in the YAML of its kind.
            let empty = || match field.kind {
                Kind::Language => quote(&draft.portal.config.language),
                Kind::Date | Kind::Number => String::new(),
                // Published, as a case study without the field is: the
                // author holds it back by writing `draft`.
                Kind::Status => "published".into(),
                Kind::TextList | Kind::Links => "[]".into(),
                Kind::Text | Kind::Slug | Kind::NameOrAddress | Kind::FileOrUrl => quote(""),
            };
            Field {
                comment: field.comment.to_string() + &facet_note(draft, field.name),
                name: field.name.to_string(),
                value: draft.given(field.name).unwrap_or_else(empty),
            }
        })
        .collect()
}

/// " Feeds the facet X." for core fields a facet reads (`source`, `date`).
fn facet_note(draft: &Draft<'_>, field: &str) -> String {
    draft
        .portal
        .config
        .facets
        .iter()
        .filter(|f| f.fields.contains_key(field))
        .map(|f| format!(" Feeds the facet {}.", f.label))
        .collect()
}

fn facet_fields(draft: &Draft<'_>) -> Vec<Field> {
    let mut out = Vec::new();
    for (index, facet) in draft.portal.schema.facets.iter().enumerate() {
        let spec = &draft.portal.config.facets[index];
        let mut fields: Vec<&(String, FieldKind)> = facet
            .fields
            .iter()
            .filter(|(name, _)| !CORE_FIELDS.contains(&name.as_str()))
            .collect();
        fields.sort_by_key(|(_, kind)| match kind {
            FieldKind::Depth(d) => *d,
            FieldKind::Any | FieldKind::Year => 0,
        });
        for (name, kind) in fields {
            if out.iter().any(|f: &Field| f.name == *name) {
                continue; // read by an earlier facet too; YAML allows a key once
            }
            let comment = match &facet.vocabulary {
                Some(v) => vocabulary_comment(draft, index, spec, v.as_ref(), *kind),
                None => free_comment(draft, index, spec),
            };
            out.push(Field {
                comment,
                name: name.clone(),
                value: draft.given(name).unwrap_or_else(|| list(&[])),
            });
        }
    }
    out
}

fn extra_fields(draft: &Draft<'_>) -> Vec<Field> {
    draft
        .portal
        .schema
        .extra_fields
        .iter()
        .map(|name| Field {
            comment: "A field this site adds (extra_fields in casebook.yaml).".into(),
            name: name.clone(),
            value: draft.given(name).unwrap_or_else(|| quote("")),
        })
        .collect()
}

/// "SDG target: codes or names such as 10.7, 17.18 (vocabulary: …, level Target)".
fn vocabulary_comment(
    draft: &Draft<'_>,
    facet: usize,
    spec: &FacetSpec,
    vocabulary: &Vocabulary,
    kind: FieldKind,
) -> String {
    let depth = match kind {
        FieldKind::Depth(d) => Some(d),
        FieldKind::Any | FieldKind::Year => None,
    };
    let fits = |t: usize| depth.is_none_or(|d| vocabulary.terms[t].depth == d);
    let candidates: Vec<usize> = (0..vocabulary.terms.len()).filter(|&t| fits(t)).collect();
    let level = match depth.and_then(|d| vocabulary.levels.get(d - 1)) {
        Some(name) => format!(", level {name}"),
        None if vocabulary.levels.len() > 1 => ", any level".into(),
        None => String::new(),
    };
    let code = |t: &usize| vocabulary.terms[*t].code.clone();
    let values = if candidates.len() <= LIST_ALL {
        let all: Vec<String> = candidates.iter().map(code).collect();
        format!("one or more of {}", all.join(", "))
    } else {
        let mut shown = used_terms(draft.portal, facet, &fits);
        let padding: Vec<usize> = candidates
            .iter()
            .filter(|t| !shown.contains(t))
            .take(EXAMPLES)
            .copied()
            .collect();
        shown.extend(padding);
        let shown: Vec<String> = shown.iter().take(EXAMPLES).map(code).collect();
        format!("codes or names such as {}", shown.join(", "))
    };
    format!(
        "{}: {values} (vocabulary: {}{level}).",
        spec.label, vocabulary.label
    )
}

/// "Theme: free text such as \"Policy coherence\"".
fn free_comment(draft: &Draft<'_>, facet: usize, spec: &FacetSpec) -> String {
    let used = used_tags(draft.portal, facet);
    if used.is_empty() {
        format!("{}: free text, one entry per tag.", spec.label)
    } else {
        let shown: Vec<String> = used.iter().take(EXAMPLES).map(|t| quote(t)).collect();
        format!("{}: free text such as {}.", spec.label, shown.join(", "))
    }
}

/// Terms of a facet the site's case studies use, most used first.
fn used_terms(portal: &Portal, facet: usize, keep: &dyn Fn(usize) -> bool) -> Vec<usize> {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for case in &portal.content.cases {
        if let Some(FacetValues::Terms(terms)) = case.facets.get(facet) {
            for &t in terms.iter().filter(|&&t| keep(t)) {
                *counts.entry(t).or_default() += 1;
            }
        }
    }
    let mut used: Vec<(usize, usize)> = counts.into_iter().collect();
    used.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    used.into_iter().map(|(t, _)| t).collect()
}

/// Free tags of a facet the site's case studies use, most used first.
fn used_tags(portal: &Portal, facet: usize) -> Vec<String> {
    let mut counts: HashMap<String, (usize, String)> = HashMap::new();
    for case in &portal.content.cases {
        if let Some(FacetValues::Free(values)) = case.facets.get(facet) {
            for v in values {
                counts.entry(normalise(v)).or_insert((0, v.clone())).0 += 1;
            }
        }
    }
    let mut used: Vec<(usize, String)> = counts.into_values().collect();
    used.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    used.into_iter().map(|(_, tag)| tag).collect()
}

/// A YAML double-quoted string (JSON's quoting is valid YAML).
fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// A YAML flow list of quoted strings; quoting keeps codes such as "10.10"
/// from being read as numbers.
fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_yaml() {
        assert_eq!(quote("Migration: \"a\" case"), r#""Migration: \"a\" case""#);
        assert_eq!(list(&["10.10".into(), "PH".into()]), r#"["10.10", "PH"]"#);
        let parsed: serde_yaml::Value = serde_yaml::from_str(&list(&["10.10".into()])).unwrap();
        assert_eq!(parsed[0].as_str(), Some("10.10"));
    }
}
