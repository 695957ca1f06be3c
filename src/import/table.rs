//! Table: a CSV or JSON file read as named columns and numbered rows.
//!
//! Stage input: the file `casebook import` is given. Output: a [`Table`]
//! whose cells are JSON values, so that what JSON gives as lists stays a
//! list and a CSV cell is text, to be split by the mapping's separator. A
//! JSON file is an array of records, or an object holding one under
//! `case_studies` (catalogue.json); a record's nested object becomes dotted
//! columns (`terms: {sdg: …}` → `terms.sdg`), which is how catalogue.csv
//! names the same columns. The file's own flaws (a broken quote, a row with
//! more cells than the header) are reported at the row, all at once.

use std::path::Path;

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};

/// The file's rows under its column names.
#[derive(Debug, Default)]
pub(super) struct Table {
    /// Column names, in the file's order (for JSON, order of first use).
    pub(super) columns: Vec<String>,
    /// The rows, in the file's order.
    pub(super) rows: Vec<Row>,
}

/// One row (one record).
#[derive(Debug)]
pub(super) struct Row {
    /// Its number as messages give it: the spreadsheet's row number for a
    /// CSV file (the header is row 1), the record's, from 1, for JSON.
    pub(super) number: usize,
    /// One cell per column; `Null` where the record has none.
    pub(super) cells: Vec<Value>,
}

/// Reads `path` by its extension; messages show it as given.
pub(super) fn read(path: &Path) -> Result<Table> {
    let shown = path;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "csv" => read_csv(path, shown),
        "json" => read_json(path, shown),
        _ => Err(Error::Usage(format!(
            "{}: import reads .csv and .json files",
            shown.display()
        ))),
    }
}

fn read_csv(path: &Path, shown: &Path) -> Result<Table> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("reading", path, e))?;
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let problem = |row: usize, e: &csv::Error| {
        Diagnostic::error(shown, format!("cannot read this row: {e}"))
            .at(row, 0, 0, "")
            .help(
                "check the quotes of the row above and of this one, and save the file as UTF-8 CSV",
            )
    };
    let headers = reader
        .headers()
        .map_err(|e| Error::Content(vec![problem(1, &e)]))?;
    let columns: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    let mut table = Table {
        columns,
        rows: Vec::new(),
    };
    let mut problems = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let number = index + 2;
        match record {
            Ok(record) => table.rows.push(Row {
                number,
                cells: record.iter().map(|c| Value::String(c.into())).collect(),
            }),
            Err(e) => problems.push(problem(number, &e)),
        }
    }
    if problems.is_empty() {
        Ok(table)
    } else {
        Err(Error::Content(problems))
    }
}

fn read_json(path: &Path, shown: &Path) -> Result<Table> {
    let text = crate::fsio::read_to_string(path)?;
    let json: Value = serde_json::from_str(&text).map_err(|e| {
        let d = Diagnostic::error(shown, format!("not valid JSON: {e}"));
        Error::Content(vec![d.at(e.line(), e.column(), 1, "")])
    })?;
    let records = match json {
        Value::Array(records) => records,
        Value::Object(mut object) => match object.remove("case_studies") {
            Some(Value::Array(records)) => records,
            _ => return Err(not_records(shown)),
        },
        _ => return Err(not_records(shown)),
    };
    let mut table = Table::default();
    let mut problems = Vec::new();
    for (index, record) in records.into_iter().enumerate() {
        let number = index + 1;
        let Value::Object(record) = record else {
            let message = format!("record {number} is not an object of fields");
            problems.push(Diagnostic::error(shown, message).at(number, 0, 0, ""));
            continue;
        };
        let flat = flatten(record);
        let mut cells = vec![Value::Null; table.columns.len()];
        for (column, value) in flat {
            match table.columns.iter().position(|c| *c == column) {
                Some(i) => cells[i] = value,
                None => {
                    table.columns.push(column);
                    cells.push(value);
                }
            }
        }
        table.rows.push(Row { number, cells });
    }
    for row in &mut table.rows {
        row.cells.resize(table.columns.len(), Value::Null);
    }
    if problems.is_empty() {
        Ok(table)
    } else {
        Err(Error::Content(problems))
    }
}

fn not_records(shown: &Path) -> Error {
    Error::Usage(format!(
        "{}: expected a JSON array of records, or an object with one under \"case_studies\" (as catalogue.json)",
        shown.display()
    ))
}

/// A record's fields, an object's own fields under `name.field`.
fn flatten(record: Map<String, Value>) -> Vec<(String, Value)> {
    let mut flat = Vec::new();
    for (name, value) in record {
        match value {
            Value::Object(inner) => {
                flat.extend(inner.into_iter().map(|(k, v)| (format!("{name}.{k}"), v)));
            }
            other => flat.push((name, other)),
        }
    }
    flat
}

impl Table {
    /// The index of the column called `name`.
    pub(super) fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_objects_become_dotted_columns() {
        let record = serde_json::json!({"title": "T", "terms": {"sdg": ["10.7"]}});
        let Value::Object(record) = record else {
            unreachable!()
        };
        let flat = flatten(record);
        assert!(flat.contains(&("terms.sdg".into(), serde_json::json!(["10.7"]))));
        assert!(flat.contains(&("title".into(), serde_json::json!("T"))));
    }
}
