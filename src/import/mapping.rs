//! Mapping: which column of the imported file feeds which field, and how
//! its values are rewritten on the way.
//!
//! Stage input: the mapping file (`--map mapping.yaml`), or none, and the
//! table's column names. Output: a [`Mapping`] of resolved [`Column`]s.
//! A column named like a field feeds that field, and the catalogue's own
//! `terms.<facet>` and `extra.<name>` columns feed the facet and the extra
//! field they are named after, so that a portal's catalogue.csv or
//! catalogue.json imports as it is, with no mapping. A mapping file names
//! the other columns (and may send a column named like a field elsewhere);
//! its fields and columns are checked, every problem reported at once with
//! a did-you-mean.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::table::Table;
use crate::cells;
use crate::content::schema::{suggest, Schema};
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};

/// The mapping file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    /// Separator of the items of a list cell (default `;`).
    separator: Option<String>,
    /// The column whose text becomes the Markdown body.
    body: Option<String>,
    /// Field (or `terms.<facet>`) → its column, read by [`spec`].
    #[serde(default)]
    fields: BTreeMap<String, serde_yaml::Value>,
}

/// The mapping file, each field's column read.
#[derive(Debug, Default)]
struct MappingFile {
    separator: Option<String>,
    body: Option<String>,
    fields: BTreeMap<String, ColumnSpec>,
    /// Its text, to place problems at their line (empty without a file).
    text: String,
}

/// A field's column: its name alone, or with how to read it.
#[derive(Debug)]
enum ColumnSpec {
    Name(String),
    Full(FullSpec),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FullSpec {
    column: String,
    separator: Option<String>,
    format: Option<String>,
    #[serde(default)]
    values: BTreeMap<String, String>,
    #[serde(default)]
    rewrite: Vec<Rewrite>,
}

/// A pattern rewrite: `match` with `*` standing for any text, `to` with
/// `$1`, `$2`… for what each `*` matched ("Objective *: *" → "$1").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Rewrite {
    #[serde(rename = "match")]
    pattern: String,
    to: String,
}

/// What a column feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// A front-matter field, by name.
    Field(String),
    /// A facet (index in the schema), each value to the field of the
    /// facet that takes its level: catalogue's `terms.<key>` columns.
    Facet(usize),
}

/// One column read into the case studies.
#[derive(Debug, Clone)]
pub(super) struct Column {
    /// What it feeds.
    pub(super) target: Target,
    /// Its index in the table.
    pub(super) index: usize,
    /// Separator of its list items.
    pub(super) separator: String,
    /// The `strftime` format of its dates, if not YYYY-MM-DD.
    pub(super) format: Option<String>,
    /// Exact value rewrites.
    values: BTreeMap<String, String>,
    /// Pattern rewrites, the first that matches applying.
    rewrite: Vec<Rewrite>,
}

/// The resolved mapping.
#[derive(Debug, Default)]
pub(super) struct Mapping {
    /// The columns read, in mapping order.
    pub(super) columns: Vec<Column>,
    /// The body's column.
    pub(super) body: Option<usize>,
}

/// The mapping for `table`: from `file` when given, else by column names.
/// `body` (the `--body` option) overrides the file's.
pub(super) fn resolve(
    file: Option<&Path>,
    body: Option<&str>,
    table: &Table,
    schema: &Schema,
) -> Result<Mapping> {
    let (mut written, shown) = match file {
        Some(path) => (parse(path)?, path.to_path_buf()),
        None => (MappingFile::default(), Path::new("--map").to_path_buf()),
    };
    add_by_name(&mut written, table, schema);
    let mut problems = Vec::new();
    let mut mapping = Mapping::default();
    for (field, spec) in &written.fields {
        match resolve_column(field, spec, &written, table, schema) {
            Ok(column) => mapping.columns.push(column),
            Err(found) => problems.extend(found.into_iter().map(|d| {
                let d = Diagnostic {
                    path: shown.clone(),
                    ..d
                };
                at_key(d, &written.text, field)
            })),
        }
    }
    let body = match body {
        Some(name) => Some((name.to_string(), Path::new("--body"))),
        None => written.body.clone().map(|name| (name, shown.as_path())),
    };
    if let Some((name, shown)) = body {
        match column(table, &name, shown, "body") {
            Ok(index) => mapping.body = Some(index),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(mapping)
    } else {
        Err(Error::Content(problems))
    }
}

/// The column `spec` names for `field`, or the problems of both.
fn resolve_column(
    field: &str,
    spec: &ColumnSpec,
    written: &MappingFile,
    table: &Table,
    schema: &Schema,
) -> Result<Column, Vec<Diagnostic>> {
    let target = target(field, schema).map_err(|help| {
        let message = format!("`{field}` is not a field of this site");
        Diagnostic::error("", message).field(field).help(help)
    });
    let (name, full) = match spec {
        ColumnSpec::Name(name) => (name, None),
        ColumnSpec::Full(full) => (&full.column, Some(full)),
    };
    let index = column(table, name, Path::new(""), field);
    let (target, index) = match (target, index) {
        (Ok(target), Ok(index)) => (target, index),
        (target, index) => return Err(target.err().into_iter().chain(index.err()).collect()),
    };
    let separator = (full.and_then(|f| f.separator.clone()))
        .or(written.separator.clone())
        .unwrap_or(cells::SEPARATOR.into());
    Ok(Column {
        target,
        index,
        separator,
        format: full.and_then(|f| f.format.clone()),
        values: full.map(|f| f.values.clone()).unwrap_or_default(),
        rewrite: full.map(|f| f.rewrite.clone()).unwrap_or_default(),
    })
}

fn parse(path: &Path) -> Result<MappingFile> {
    let text = crate::fsio::read_to_string(path)?;
    let written: Written = serde_yaml::from_str(&text)
        .map_err(|e| Error::Content(vec![crate::yaml::diagnostic(path, &text, &e, 0)]))?;
    let mut problems = Vec::new();
    let mut fields = BTreeMap::new();
    for (field, value) in written.fields {
        match spec(value) {
            Ok(spec) => {
                fields.insert(field, spec);
            }
            Err(message) => {
                let d = Diagnostic::error(path, format!("`{field}`: {message}")).field(&field);
                let help = "write `field: Column name`, or `field: { column: …, separator: …, \
                            format: …, values: {…}, rewrite: [{match: …, to: …}] }`";
                problems.push(at_key(d, &text, &field).help(help));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    Ok(MappingFile {
        separator: written.separator,
        body: written.body,
        fields,
        text,
    })
}

/// A field's column as written: a name, or a set of fields.
fn spec(value: serde_yaml::Value) -> Result<ColumnSpec, String> {
    match value {
        serde_yaml::Value::Mapping(_) => serde_yaml::from_value(value)
            .map(ColumnSpec::Full)
            .map_err(|e| e.to_string()),
        other => crate::yaml::scalar_text(&other)
            .map(ColumnSpec::Name)
            .ok_or_else(|| "expected a column name, or a set of fields".to_string()),
    }
}

/// `d` at the line of the mapping's key `key` (under `fields:`).
fn at_key(d: Diagnostic, text: &str, key: &str) -> Diagnostic {
    let found = text
        .lines()
        .enumerate()
        .skip_while(|(_, l)| !l.starts_with("fields:"));
    let line = found.skip(1).find(|(_, l)| {
        l.trim_start()
            .strip_prefix(key)
            .is_some_and(|r| r.starts_with(':'))
    });
    match line {
        Some((i, l)) => {
            let column = l.len() - l.trim_start().len() + 1;
            d.at(i + 1, column, key.chars().count(), l)
        }
        None => d,
    }
}

/// Adds to the mapping each column named like a field, or like a
/// catalogue's `terms.<facet>` or `extra.<name>` column, to feed it, when
/// the mapping neither reads that column nor fills that field (so that a
/// mapping file names only what differs; without one, this is the whole
/// mapping); and the column `body` as the body, when none is named.
fn add_by_name(mapping: &mut MappingFile, table: &Table, schema: &Schema) {
    let used: Vec<&str> = (mapping.fields.values())
        .map(|spec| match spec {
            ColumnSpec::Name(name) => name.as_str(),
            ColumnSpec::Full(full) => full.column.as_str(),
        })
        .chain(mapping.body.as_deref())
        .collect();
    let filled: Vec<Target> = (mapping.fields.keys())
        .filter_map(|field| target(field, schema).ok())
        .collect();
    let added: Vec<(String, ColumnSpec)> = (table.columns.iter())
        .filter(|name| !used.contains(&name.as_str()))
        .filter(|name| target(name, schema).is_ok_and(|t| !filled.contains(&t)))
        .map(|name| (name.clone(), ColumnSpec::Name(name.clone())))
        .collect();
    if mapping.body.is_none() && table.column("body").is_some() && !used.contains(&"body") {
        mapping.body = Some("body".to_string());
    }
    mapping.fields.extend(added);
}

/// What `name` feeds, or the help for a name that is not a field.
fn target(name: &str, schema: &Schema) -> Result<Target, String> {
    if let Some(key) = name.strip_prefix("terms.") {
        if let Some(i) = schema.facets.iter().position(|f| f.key == key) {
            return Ok(Target::Facet(i));
        }
        let keys: Vec<&str> = schema.facets.iter().map(|f| f.key.as_str()).collect();
        return Err(match suggest(key, &keys) {
            Some(near) => format!("did you mean `terms.{near}`?"),
            None => format!("the facets of this site are {}", keys.join(", ")),
        });
    }
    let name = name.strip_prefix("extra.").unwrap_or(name);
    let fields = schema.all_fields();
    if fields.contains(&name) {
        return Ok(Target::Field(name.to_string()));
    }
    Err(match suggest(name, &fields) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("the fields of this site are {}", fields.join(", ")),
    })
}

/// The index of column `name`, or a problem naming the columns there are.
fn column(table: &Table, name: &str, shown: &Path, field: &str) -> Result<usize, Diagnostic> {
    table.column(name).ok_or_else(|| {
        let names: Vec<&str> = table.columns.iter().map(String::as_str).collect();
        let help = match suggest(name, &names) {
            Some(near) => format!("did you mean \"{near}\"?"),
            None => format!("the columns are: {}", names.join(", ")),
        };
        let message = format!("the imported file has no column \"{name}\"");
        Diagnostic::error(shown, message).field(field).help(help)
    })
}

impl Column {
    /// `value` after the column's rewrites: an exact value first, else the
    /// first pattern that matches; otherwise as it is.
    pub(super) fn rewrite(&self, value: &str) -> String {
        if let Some(to) = self.values.get(value) {
            return to.clone();
        }
        let folded = crate::text::normalise(value);
        let exact = self
            .values
            .iter()
            .find(|(from, _)| crate::text::normalise(from) == folded);
        if let Some((_, to)) = exact {
            return to.clone();
        }
        (self.rewrite.iter())
            .find_map(|r| {
                let captures = glob(&r.pattern, value)?;
                Some(substitute(&r.to, &captures))
            })
            .unwrap_or_else(|| value.to_string())
    }
}

/// What each `*` of `pattern` matched in `text`, if the whole of `text`
/// matches (each `*` as little as it can, so `*: *` splits at the first
/// colon).
fn glob<'t>(pattern: &str, text: &'t str) -> Option<Vec<&'t str>> {
    let Some((literal, rest)) = pattern.split_once('*') else {
        return (pattern == text).then(Vec::new);
    };
    let after = text.strip_prefix(literal)?;
    let ends = after.char_indices().map(|(i, _)| i).chain([after.len()]);
    ends.into_iter().find_map(|end| {
        let mut captures = glob(rest, &after[end..])?;
        captures.insert(0, &after[..end]);
        Some(captures)
    })
}

/// `to` with `$1`… replaced by the captures (trimmed).
fn substitute(to: &str, captures: &[&str]) -> String {
    let mut out = to.to_string();
    // From the last, so that `$1` does not take the start of `$12`.
    for (i, capture) in captures.iter().enumerate().rev() {
        out = out.replace(&format!("${}", i + 1), capture.trim());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glob_captures_each_star_shortest_first() {
        assert_eq!(
            glob("Objective *: *", "Objective 23: Strengthen: cooperation"),
            Some(vec!["23", "Strengthen: cooperation"])
        );
        assert_eq!(glob("Objective *", "Target 10.7"), None);
        assert_eq!(glob("exact", "exact"), Some(vec![]));
        assert_eq!(glob("*", "é"), Some(vec!["é"]));
    }

    #[test]
    fn values_apply_before_patterns() {
        let column = Column {
            target: Target::Field("countries".into()),
            index: 0,
            separator: ";".into(),
            format: None,
            values: [("Türkiye".to_string(), "TR".to_string())].into(),
            rewrite: vec![Rewrite {
                pattern: "Objective *: *".into(),
                to: "$1".into(),
            }],
        };
        assert_eq!(column.rewrite("türkiye"), "TR");
        assert_eq!(column.rewrite("Objective 23: Strengthen"), "23");
        assert_eq!(column.rewrite("Philippines"), "Philippines");
    }
}
