//! Schema: which front-matter fields a site accepts and what each one feeds.
//!
//! Built once from the config and the vocabularies. The core fields (title,
//! date, summary...: the table [`fields::CORE`]) are the same for every
//! portal; every other field exists because a facet in `casebook.yaml`
//! declares it, or because the site lists it under `extra_fields`. Anything
//! else in a file is an unknown field.

use std::path::Path;
use std::sync::Arc;

use super::fields;
use crate::config::{Config, FacetSpec, CONFIG_FILE};
use crate::diagnostics::Diagnostic;
use crate::vocabulary::{Vocabularies, Vocabulary};

/// Fields every case study may have, whatever the site's facets (the names
/// of [`fields::CORE`], in its order).
pub use super::fields::CORE_FIELDS;

/// What a facet field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Any term of the vocabulary, or any free tag.
    Any,
    /// Terms at one depth of the vocabulary (1-based).
    Depth(usize),
    /// The year of the `date` field.
    Year,
}

/// One facet as the content stage needs it.
#[derive(Debug, Clone)]
pub struct FacetSchema {
    /// Facet key.
    pub key: String,
    /// Its vocabulary; `None` for free tags.
    pub vocabulary: Option<Arc<Vocabulary>>,
    /// Fields feeding it, sorted by name.
    pub fields: Vec<(String, FieldKind)>,
}

/// The accepted fields of a site.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Facets in config order.
    pub facets: Vec<FacetSchema>,
    /// Extra fields the site allows.
    pub extra_fields: Vec<String>,
    /// Language of case studies that do not say.
    pub default_language: String,
    /// URL folder of case-study pages.
    pub case_path: String,
    /// The portal's languages when it has several (a file `name.fr.md` is
    /// then the French version of `name.md`); empty when it has one, so
    /// that file names mean what they always meant.
    pub languages: Vec<String>,
    /// Keys of the vocabularies the config declares.
    pub vocabularies: Vec<String>,
}

impl Schema {
    /// Builds the schema, reporting config mistakes against `casebook.yaml`.
    pub fn new(config: &Config, vocabularies: &Vocabularies) -> Result<Self, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let facets = config
            .facets
            .iter()
            .map(|spec| {
                let vocabulary = spec
                    .vocabulary
                    .as_ref()
                    .and_then(|v| vocabularies.get(v))
                    .cloned();
                let fields = spec
                    .fields
                    .iter()
                    .filter_map(|(name, kind)| {
                        field_kind(&spec.key, name, kind, vocabulary.as_deref())
                            .map_err(|msg| problems.push(Diagnostic::error(CONFIG_FILE, msg)))
                            .ok()
                            .map(|k| (name.clone(), k))
                    })
                    .collect();
                FacetSchema {
                    key: spec.key.clone(),
                    vocabulary,
                    fields,
                }
            })
            .collect::<Vec<FacetSchema>>();
        problems.extend(extra_field_problems(&config.extra_fields, &facets));
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Schema {
            facets,
            extra_fields: config.extra_fields.clone(),
            default_language: config.language.clone(),
            case_path: config.case_studies_path.clone(),
            languages: if config.is_multilingual() {
                config.language_codes().map(str::to_string).collect()
            } else {
                Vec::new()
            },
            vocabularies: config.vocabularies.keys().cloned().collect(),
        })
    }

    /// The language whose portal publishes a file in `language`: that
    /// language when the portal publishes it, else the default language
    /// (whose portal holds every case study of a portal of one language).
    pub fn edition_of<'s>(&'s self, language: &'s str) -> &'s str {
        if self.languages.iter().any(|l| l == language) {
            language
        } else {
            &self.default_language
        }
    }

    /// True if `field` is a tag field (declared by a facet, not a core field).
    pub fn is_tag_field(&self, field: &str) -> bool {
        !CORE_FIELDS.contains(&field)
            && self
                .facets
                .iter()
                .any(|f| f.fields.iter().any(|(n, _)| n == field))
    }

    /// Every field name a case study may use, for "did you mean" suggestions.
    pub fn all_fields(&self) -> Vec<&str> {
        let facet_fields = self
            .facets
            .iter()
            .flat_map(|f| f.fields.iter().map(|(n, _)| n.as_str()));
        CORE_FIELDS
            .iter()
            .copied()
            .chain(facet_fields)
            .chain(self.extra_fields.iter().map(String::as_str))
            .collect()
    }
}

impl Schema {
    /// What to do about `field`, which the site does not accept. A site
    /// accepts a field by a facet reading it (to browse and filter by it) or
    /// by `extra_fields` (to keep it as data), so the advice names both: the
    /// sample portal's own facet when one of its facets reads a field of
    /// this name (`sdg_targets` on a site without facets), else a near name
    /// of this site's fields (a typo), else a facet of free tags.
    pub fn unknown_field_help(&self, field: &str) -> String {
        let sample = crate::config::sample();
        if let Some(spec) = sample.facets.iter().find(|f| f.fields.contains_key(field)) {
            return self.sample_facet_help(field, spec, sample);
        }
        if let Some(near) = suggest(field, &self.all_fields()) {
            return format!("did you mean `{near}`?");
        }
        let key = if crate::config::is_url_safe(field) {
            field.to_string()
        } else {
            crate::text::slugify(field)
        };
        let words = field.replace('_', " ");
        let mut chars = words.chars();
        let label: String = chars
            .next()
            .into_iter()
            .flat_map(char::to_uppercase)
            .chain(chars)
            .collect();
        let label = serde_json::to_string(&label).expect("text serialises");
        format!(
            "no facet of this site reads `{field}`: to browse and filter by it, add a facet \
             that reads it under `facets:` in casebook.yaml, \
             `- {{ key: {key}, label: {label}, fields: {{ {field}: any }} }}`; to keep it as \
             data only, list it under `extra_fields` (`extra_fields: [{field}]`); or remove it"
        )
    }

    /// Advice taken from the facet of the sample portal that reads `field`.
    fn sample_facet_help(&self, field: &str, spec: &FacetSpec, sample: &Config) -> String {
        let keep = format!(
            "or, to keep it as data without a facet, list it under `extra_fields` \
             (`extra_fields: [{field}]`)"
        );
        if self.facets.iter().any(|f| f.key == spec.key) {
            return format!(
                "no facet of this site reads `{field}`: add `{field}: {}` to the `fields` of \
                 facet `{}` in casebook.yaml, as the sample portal does; {keep}",
                spec.fields[field], spec.key
            );
        }
        let mut help = format!(
            "no facet of this site reads `{field}`: to browse and filter by it, add a facet \
             that reads it under `facets:` in casebook.yaml, as the sample portal \
             (`casebook init`) does:\n{}",
            facet_yaml(spec)
        );
        let builtin = |v: &&String| sample.vocabularies.get(*v).and_then(|s| s.builtin.clone());
        let missing = spec
            .vocabulary
            .as_ref()
            .filter(|v| !self.vocabularies.contains(v));
        if let Some((key, builtin)) = missing.and_then(|v| Some((v, builtin(&v)?))) {
            help.push_str(&format!(
                "\nand its vocabulary under `vocabularies:`:\n  {key}: {{ builtin: {builtin} }}"
            ));
        }
        help.push('\n');
        help.push_str(&keep);
        help
    }
}

/// A facet as a list item of `facets:` in casebook.yaml.
fn facet_yaml(spec: &FacetSpec) -> String {
    let label = serde_json::to_string(&spec.label).expect("text serialises");
    let fields: Vec<String> = spec
        .fields
        .iter()
        .map(|(f, k)| format!("{f}: {k}"))
        .collect();
    let mut yaml = format!("  - key: {}\n    label: {label}\n", spec.key);
    if let Some(v) = &spec.vocabulary {
        yaml.push_str(&format!("    vocabulary: {v}\n"));
    }
    yaml.push_str(&format!("    fields: {{ {} }}", fields.join(", ")));
    yaml
}

/// Extra fields that would never be read as such: a front-matter field is
/// read as a core field first, then as a facet's, and only then as extra, so
/// an extra field named like one of those would be silently ignored.
fn extra_field_problems(extra: &[String], facets: &[FacetSchema]) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    let mut problems = Vec::new();
    for name in extra {
        let owner = facets
            .iter()
            .find(|f| f.fields.iter().any(|(n, _)| n == name))
            .map(|f| format!("facet `{}`", f.key));
        let message = if CORE_FIELDS.contains(&name.as_str()) {
            format!("extra field `{name}` is already a field of every case study")
        } else if let Some(owner) = owner {
            format!("extra field `{name}` is already read by {owner}")
        } else if !seen.insert(name) {
            format!("extra field `{name}` is declared twice")
        } else {
            continue;
        };
        let d = Diagnostic::error(CONFIG_FILE, message)
            .field("extra_fields")
            .help("remove it from `extra_fields`");
        problems.push(d);
    }
    problems
}

fn field_kind(
    facet: &str,
    field: &str,
    kind: &str,
    vocabulary: Option<&Vocabulary>,
) -> Result<FieldKind, String> {
    if fields::core(field).is_some_and(|f| !f.facetable) {
        let facetable: Vec<&str> = fields::facetable().collect();
        return Err(format!(
            "facet `{facet}`: field `{field}` cannot be a facet field (facetable core fields: {})",
            facetable.join(", ")
        ));
    }
    match (kind, vocabulary) {
        ("year", _) if field == "date" => Ok(FieldKind::Year),
        ("year", _) => Err(format!("facet `{facet}`: only `date` can be read as `year`")),
        (_, _) if field == "date" => Err(format!("facet `{facet}`: `date` must be read as `year`")),
        ("any", _) => Ok(FieldKind::Any),
        (level, Some(v)) => v.level_depth(level).map(FieldKind::Depth).ok_or_else(|| {
            format!(
                "facet `{facet}`: field `{field}` holds `{level}`, which is not a level of vocabulary `{}` (levels: {}, or `any`)",
                v.key,
                v.levels.join(", ")
            )
        }),
        (other, None) => Err(format!(
            "facet `{facet}` has no vocabulary, so field `{field}` must hold `any`, not `{other}`"
        )),
    }
}

/// Did-you-mean for a field name.
pub fn suggest<'a>(wanted: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (*c, strsim::jaro_winkler(wanted, c)))
        .filter(|(_, score)| *score > 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

/// Displays a path relative to the site root, for diagnostics.
pub fn rel(root: &Path, path: &Path) -> std::path::PathBuf {
    crate::diagnostics::display_path(root, path)
}
