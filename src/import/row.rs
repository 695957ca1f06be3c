//! Row: one row of the table → the values of one case study's fields, and
//! the file they make, validated as a build validates it.
//!
//! Each mapped cell is read as its field's kind asks (a list split on the
//! separator, a date in the column's format, links as `title <url>`),
//! rewritten by the mapping, and vocabulary values made their codes. The
//! file is then written in memory, exactly as it will be saved, and read
//! back by the build's own reader ([`parse_case`]), so an import accepts
//! what a build accepts and says what a build says; each of its problems is
//! moved from the file's line to the row and column it came from.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::mapping::{Column, Mapping, Target};
use super::table::Row;
use crate::cells;
use crate::content::case_study::parse_case;
use crate::content::fields::{self, Kind};
use crate::content::schema::{FacetSchema, FieldKind, Schema};
use crate::content::Link;
use crate::diagnostics::Diagnostic;
use crate::scaffold::{canonical, case_file, facet_of, Draft, FieldValue};
use crate::Portal;

/// One row, ready to write.
#[derive(Debug)]
pub(super) struct Converted {
    /// The row's number.
    pub(super) row: usize,
    /// The field values read, by name.
    pub(super) values: Vec<(String, FieldValue)>,
    /// The body's text.
    pub(super) body: Option<String>,
    /// Each field read and the column (index) it came from.
    sources: Vec<(String, usize)>,
}

impl Converted {
    /// The text value given for `field`, if any.
    pub(super) fn text(&self, field: &str) -> Option<&str> {
        self.values.iter().find_map(|(f, v)| match v {
            FieldValue::Text(t) if f == field && !t.trim().is_empty() => Some(t.as_str()),
            _ => None,
        })
    }

    /// The file's text, as `casebook new` would write it with these values.
    pub(super) fn file_text(&self, portal: &Portal) -> String {
        case_file(&Draft {
            portal,
            values: &self.values,
            body: self.body.as_deref(),
        })
    }
}

/// Where problems are reported: the imported file (as shown) and its
/// column names.
pub(super) struct Origin<'a> {
    /// The imported file, as messages show it.
    pub(super) shown: &'a Path,
    /// Its column names.
    pub(super) columns: &'a [String],
}

impl Origin<'_> {
    /// A problem at `row`, in the cell of column `index` when known.
    pub(super) fn problem(&self, row: usize, index: Option<usize>, message: String) -> Diagnostic {
        let (column, message) = match index {
            Some(i) => (i + 1, format!("column \"{}\": {message}", self.columns[i])),
            None => (0, message),
        };
        let mut d = Diagnostic::error(self.shown, message);
        (d.line, d.column) = (row, column);
        d
    }
}

/// The values of `row`, and the problems found reading its cells.
pub(super) fn convert(
    row: &Row,
    mapping: &Mapping,
    schema: &Schema,
    origin: &Origin<'_>,
) -> (Converted, Vec<Diagnostic>) {
    let mut converted = Converted {
        row: row.number,
        values: Vec::new(),
        body: mapping.body.and_then(|i| text_of(&row.cells[i])),
        sources: Vec::new(),
    };
    let mut problems = Vec::new();
    for column in &mapping.columns {
        let cell = &row.cells[column.index];
        if is_empty(cell) {
            continue;
        }
        let read = match &column.target {
            Target::Field(name) => {
                read_field(name, cell, column, schema).map(|value| vec![(name.clone(), value)])
            }
            Target::Facet(facet) => Ok(route(&schema.facets[*facet], cell, column)),
        };
        match read {
            Ok(values) => {
                for (field, value) in values {
                    converted.sources.push((field.clone(), column.index));
                    add(&mut converted.values, field, value);
                }
            }
            Err(message) => {
                let field = match &column.target {
                    Target::Field(name) => name.clone(),
                    Target::Facet(i) => format!("terms.{}", schema.facets[*i].key),
                };
                let d = origin.problem(row.number, Some(column.index), message);
                problems.push(d.field(field));
            }
        }
    }
    (converted, problems)
}

/// Adds a field's value; a second list for the same field (two columns
/// feeding it) joins the first.
fn add(values: &mut Vec<(String, FieldValue)>, field: String, value: FieldValue) {
    match (values.iter_mut().find(|(f, _)| *f == field), value) {
        (Some((_, FieldValue::List(have))), FieldValue::List(more)) => {
            for item in more {
                if !have.contains(&item) {
                    have.push(item);
                }
            }
        }
        (Some((_, have)), value) => *have = value,
        (None, value) => values.push((field, value)),
    }
}

/// Whether a cell gives nothing: no value, blank text, an empty list.
pub(super) fn is_empty(cell: &Value) -> bool {
    match cell {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// A scalar cell's text; `None` for a list or an object.
fn text_of(cell: &Value) -> Option<String> {
    match cell {
        Value::String(s) => Some(s.replace("\r\n", "\n")),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The items of a list cell: a JSON list's, or a text split on the
/// column's separator; each rewritten.
fn items(cell: &Value, column: &Column) -> Vec<String> {
    let raw = match cell {
        Value::Array(items) => items.iter().filter_map(text_of).collect(),
        other => text_of(other)
            .map(|t| cells::split(&t, &column.separator))
            .unwrap_or_default(),
    };
    raw.iter().map(|item| column.rewrite(item.trim())).collect()
}

/// The one value of a cell, rewritten; an error for a list or an object.
fn single(cell: &Value, column: &Column) -> Result<String, String> {
    let text = text_of(cell).ok_or("expected one value, found a list or a set of fields")?;
    Ok(column.rewrite(text.trim()))
}

/// The value of field `name` from `cell`, as its kind asks.
fn read_field(
    name: &str,
    cell: &Value,
    column: &Column,
    schema: &Schema,
) -> Result<FieldValue, String> {
    if let Some(core) = fields::core(name) {
        return read_core(core.kind, cell, column);
    }
    if let Some((facet, kind)) = facet_of(schema, name) {
        let vocabulary = facet.vocabulary.as_deref();
        let codes = (items(cell, column).into_iter())
            .map(|v| canonical(vocabulary, kind, &v).unwrap_or(v))
            .collect();
        return Ok(FieldValue::List(codes));
    }
    // An extra field keeps what JSON gave it. A CSV cell is text, unless
    // it reads as a number or true/false: catalogue.csv writes those so.
    Ok(match cell {
        Value::String(_) => {
            let text = single(cell, column)?;
            match serde_json::from_str(&text) {
                Ok(v @ (Value::Number(_) | Value::Bool(_))) => FieldValue::Json(v),
                _ => FieldValue::Text(text),
            }
        }
        other => FieldValue::Json(other.clone()),
    })
}

fn read_core(kind: Kind, cell: &Value, column: &Column) -> Result<FieldValue, String> {
    Ok(match kind {
        Kind::Text
        | Kind::Slug
        | Kind::NameOrAddress
        | Kind::FileOrUrl
        | Kind::Language
        | Kind::Status => FieldValue::Text(single(cell, column)?),
        Kind::Date => read_date(&single(cell, column)?, column.format.as_deref())?,
        Kind::Number => {
            let text = single(cell, column)?;
            text.parse()
                .map_or(FieldValue::Text(text), FieldValue::Number)
        }
        Kind::TextList => FieldValue::List(items(cell, column)),
        Kind::Links => FieldValue::Links(links(cell, column)),
    })
}

/// A date in the column's `format` (a `strftime` format such as
/// `%d %B %Y`), or as written: the build's reader judges a date given
/// without a format, with its own message.
fn read_date(text: &str, format: Option<&str>) -> Result<FieldValue, String> {
    if let Ok(date) = text.parse() {
        return Ok(FieldValue::Date(date));
    }
    let Some(format) = format else {
        return Ok(FieldValue::Text(text.to_string()));
    };
    jiff::fmt::strtime::parse(format, text)
        .and_then(|t| t.to_date())
        .map(FieldValue::Date)
        .map_err(|e| {
            format!(
                "\"{text}\" is not a date in the format \"{format}\" \
                 (the column's `format` in the mapping file): {e}"
            )
        })
}

/// Links from a JSON list (`{title, url}` objects or URLs) or from the
/// items of a text cell, each `title <url>` or a URL.
fn links(cell: &Value, column: &Column) -> Vec<Link> {
    let from_json = |item: &Value| match item {
        Value::Object(o) => {
            let get = |k| o.get(k).and_then(text_of).unwrap_or_default();
            Some(Link {
                title: get("title"),
                url: get("url"),
            })
        }
        other => text_of(other).map(|t| cells::parse_link(&t)),
    };
    match cell {
        Value::Array(items) => items.iter().filter_map(from_json).collect(),
        other => (text_of(other).into_iter())
            .flat_map(|t| cells::split(&t, &column.separator))
            .map(|item| cells::parse_link(&item))
            .collect(),
    }
}

/// A facet's codes (catalogue's `terms.<key>`), each to the field of the
/// facet that takes its level. A facet that reads only core fields (the
/// year of `date`, `partners`) gets its terms from those columns, so its
/// own column is not read again. A value the vocabulary does not know goes
/// to the facet's first field, for the build's reader to report.
fn route(facet: &FacetSchema, cell: &Value, column: &Column) -> Vec<(String, FieldValue)> {
    let own: Vec<&(String, FieldKind)> = (facet.fields.iter())
        .filter(|(name, _)| fields::core(name).is_none())
        .collect();
    let Some(first) = own.first() else {
        return Vec::new();
    };
    let mut routed: Vec<(String, FieldValue)> = Vec::new();
    for value in items(cell, column) {
        let term = (facet.vocabulary.as_deref())
            .and_then(|v| v.resolve(&value, None).ok().map(|t| (v, t)));
        let (field, value) = match term {
            Some((v, t)) => {
                // The field of the term's level, else one taking any.
                let depth = FieldKind::Depth(v.terms[t].depth);
                let field = (own.iter().find(|(_, kind)| *kind == depth))
                    .or_else(|| own.iter().find(|(_, kind)| *kind == FieldKind::Any))
                    .unwrap_or(first);
                (field.0.clone(), v.terms[t].code.clone())
            }
            None => (first.0.clone(), value),
        };
        add(&mut routed, field, FieldValue::List(vec![value]));
    }
    routed
}

/// The file's problems as a build reports them, moved to `row` and the
/// column of the field concerned (the row alone when no column gave it).
pub(super) fn validate(
    converted: &Converted,
    text: &str,
    rel: &Path,
    schema: &Schema,
    origin: &Origin<'_>,
) -> Vec<Diagnostic> {
    let dir = crate::content::discover::content_dir(rel);
    let (_, problems) = parse_case(schema, rel, &dir, text);
    problems
        .into_iter()
        .map(|d| {
            let index = (d.field.as_ref())
                .and_then(|f| converted.sources.iter().find(|(s, _)| s == f))
                .map(|(_, i)| *i);
            let mut moved = origin.problem(converted.row, index, d.message);
            moved.severity = d.severity;
            moved.field = d.field;
            moved.help = d.help;
            moved
        })
        .collect()
}

/// The site-relative path of the file a row becomes, named after its slug
/// when it gives one, else after its title, as `casebook new` names it.
pub(super) fn file_name(converted: &Converted) -> Option<PathBuf> {
    let name = (converted.text("slug"))
        .or(converted.text("title"))
        .map(crate::text::slugify)
        .filter(|s| !s.is_empty())?;
    let dir = Path::new(crate::content::discover::CONTENT_DIR).join(crate::scaffold::CASES_DIR);
    Some(dir.join(format!("{name}.md")))
}
