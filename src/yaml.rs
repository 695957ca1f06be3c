//! YAML as Casebook reads it, for the config, vocabularies and front matter
//! alike: scalars as text, top-level keys found by their line, and parser
//! errors turned into diagnostics at the user's line, naming the field.
//!
//! serde_yaml parses; what it does not give (positions of values, the field
//! being read when it fails, the line of a repeated key) is recovered here
//! from the text, in one place for every YAML file a site has.

use std::path::Path;

use serde::{Deserialize, Deserializer};

use crate::diagnostics::Diagnostic;

/// A YAML scalar read as text whatever its YAML type (`19`, `"19"`, `true`).
///
/// Authors write `gcm_objectives: [19, 23]` and `sdg_targets: ["10.7"]`; both
/// are codes, so both are read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_yaml::Value::deserialize(d)?;
        scalar_text(&value)
            .map(Scalar)
            .ok_or_else(|| serde::de::Error::custom("expected a text or number value"))
    }
}

/// The text of a YAML scalar, `None` for lists, maps and null.
pub fn scalar_text(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `title: x` → `title`; indented lines, comments and list items are not keys.
pub fn top_level_key(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if !(first.is_alphanumeric() || first == '_' || first == '"' || first == '\'') {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    Some(key.trim().trim_matches(|c| c == '"' || c == '\''))
}

/// The top-level key whose block holds line `index` of `yaml`.
pub fn field_above(yaml: &str, index: usize) -> Option<&str> {
    let lines: Vec<&str> = yaml.lines().take(index + 1).collect();
    lines.iter().rev().find_map(|l| top_level_key(l))
}

/// Turns a serde_yaml error into a diagnostic pointing into the file.
/// `line_offset` is the number of file lines before the YAML text starts.
pub fn diagnostic(
    path: &Path,
    text: &str,
    error: &serde_yaml::Error,
    line_offset: usize,
) -> Diagnostic {
    let message = error.to_string();
    // serde_yaml appends " at line L column C"; the location is drawn separately.
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let diagnostic = Diagnostic::error(path, format!("invalid YAML: {message}"));
    let Some(loc) = error.location() else {
        return diagnostic.help(yaml_help(&message, ""));
    };
    // Errors found at the end of the text (an unclosed bracket) are
    // reported past the last line; point at the last line written.
    let lines: Vec<&str> = text.lines().collect();
    let last = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .unwrap_or(0);
    let (line, column) = if loc.line() > last + 1 {
        (
            last + 1,
            lines.get(last).map_or(1, |l| l.chars().count().max(1)),
        )
    } else {
        (loc.line(), loc.column())
    };
    if let Some(repeated) = duplicate_key(&message, &lines) {
        return repeated.located(diagnostic, line_offset);
    }
    let line_text = lines.get(line - 1).copied().unwrap_or("");
    let diagnostic = diagnostic.at(line + line_offset, column, 1, line_text);
    match field_being_read(&message, text, line - 1) {
        Some((field, true)) => diagnostic.field(field).help(format!(
            "close the list or set of fields of `{field}` with `]` or `}}` before this line"
        )),
        Some((field, false)) => diagnostic.field(field).help(yaml_help(&message, line_text)),
        None => diagnostic.help(yaml_help(&message, line_text)),
    }
}

/// The top-level field whose value the parser was reading when it failed
/// at line `index` (0-based), so that the message names what the editor
/// was writing; `true` when that field left a `[` or `{` open, which
/// libyaml reports only at the next field's line.
fn field_being_read<'t>(message: &str, text: &'t str, index: usize) -> Option<(&'t str, bool)> {
    let unclosed = message.contains("expected ',' or");
    let at_next_key = text
        .lines()
        .nth(index)
        .is_some_and(|l| top_level_key(l).is_some() && !l.contains(['[', '{']));
    if unclosed && at_next_key && index > 0 {
        return field_above(text, index - 1).map(|f| (f, true));
    }
    field_above(text, index).map(|f| (f, false))
}

/// A key written twice at the top level, with the lines it is on.
struct DuplicateKey<'t> {
    key: String,
    /// 1-based line numbers in the YAML text; at least two.
    lines: Vec<usize>,
    second: &'t str,
}

/// libyaml locates "duplicate entry" at the start of the mapping; the
/// editor needs the second occurrence (usually the one just added).
fn duplicate_key<'t>(message: &str, lines: &[&'t str]) -> Option<DuplicateKey<'t>> {
    let key = message
        .strip_prefix("duplicate entry with key \"")?
        .strip_suffix('"')?;
    let at: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| top_level_key(l) == Some(key))
        .map(|(i, _)| i + 1)
        .collect();
    let second = *lines.get(*at.get(1)? - 1)?;
    Some(DuplicateKey {
        key: key.to_string(),
        lines: at,
        second,
    })
}

impl DuplicateKey<'_> {
    fn located(self, diagnostic: Diagnostic, line_offset: usize) -> Diagnostic {
        let numbers: Vec<String> = self
            .lines
            .iter()
            .map(|l| (l + line_offset).to_string())
            .collect();
        diagnostic
            .at(
                self.lines[1] + line_offset,
                1,
                self.key.chars().count(),
                self.second,
            )
            .field(&self.key)
            .help(format!(
                "`{}` is given on lines {}: keep one",
                self.key,
                numbers.join(" and ")
            ))
    }
}

/// What to do about a YAML error, from its message and the line it is on.
fn yaml_help(message: &str, line: &str) -> String {
    let indent = &line[..line.len() - line.trim_start().len()];
    if indent.contains('\t') {
        // Editors insert tabs silently; libyaml's message does not say so.
        "YAML indentation must use spaces, not tabs: replace the tab at the start of this line"
            .into()
    } else if message.contains("unknown field") {
        "remove the field, or check its spelling against the list above".into()
    } else if message.contains("mapping values are not allowed") {
        "a value containing `: ` must be quoted, e.g. title: \"Migration: a case\"".into()
    } else if message.contains("did not find expected") || message.contains("found character") {
        "check the indentation and quoting of this line".into()
    } else {
        "see the field reference in the README".into()
    }
}
