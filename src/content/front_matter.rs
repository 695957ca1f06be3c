//! Front matter: split a Markdown file into its YAML header and body, parse the
//! header, and map YAML positions back to lines of the user's file.
//!
//! serde_yaml reports syntax errors with a position but gives no positions for
//! the values it parsed. [`Locator`] recovers them from the text: top-level keys
//! are found by their `key:` line, and a value by its first occurrence inside
//! its key's block. That is what lets "unknown SDG target" point at the exact
//! line and column an editor must fix.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::yaml::{self, top_level_key};

/// A file split at its front-matter fences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// 1-based file line of the first YAML line.
    pub yaml_line: usize,
    /// 1-based file line of the first body line.
    pub body_line: usize,
}

/// Splits `text` at `---` fences; the file must start with one.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::error(path, "missing front matter")
            .at(1, 1, first.chars().count().max(1), first)
            .help("start the file with a line `---`, the YAML fields (at least `title:`), then another `---` line"));
    }
    let after_open = first.len() + line_break_len(&text[first.len()..]);
    let mut offset = after_open;
    for (i, line) in text[after_open..].split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return Ok(Split {
                yaml: &text[after_open..offset],
                body: &text[offset + line.len()..],
                yaml_line: 2,
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(path, "front matter is not closed")
        .at(1, 1, 3, first)
        .help("add a line `---` after the last front-matter field (was the file saved half-way?)"))
}

fn line_break_len(rest: &str) -> usize {
    if rest.starts_with("\r\n") {
        2
    } else if rest.starts_with('\n') {
        1
    } else {
        0
    }
}

/// Parses the YAML header into a mapping (an empty header is an empty mapping).
pub fn parse(split: &Split<'_>, path: &Path) -> Result<serde_yaml::Mapping, Diagnostic> {
    if split.yaml.trim().is_empty() {
        return Ok(serde_yaml::Mapping::new());
    }
    super::limits::check(split, path)?;
    match super::yaml_limit::from_str(split.yaml) {
        Ok(serde_yaml::Value::Mapping(m)) => Ok(m),
        Ok(serde_yaml::Value::Null) => Ok(serde_yaml::Mapping::new()),
        Ok(_) => Err(
            Diagnostic::error(path, "front matter must be `field: value` lines")
                .at(
                    split.yaml_line,
                    1,
                    1,
                    split.yaml.lines().next().unwrap_or(""),
                )
                .help("write one field per line, e.g. `title: \"My case study\"`"),
        ),
        Err(e) => Err(yaml::diagnostic(path, split.yaml, &e, split.yaml_line - 1)),
    }
}

/// Where something sits in the file: line, column (1-based) and width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span<'a> {
    /// 1-based file line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Width in characters.
    pub len: usize,
    /// The line's text.
    pub text: &'a str,
}

/// Finds the lines of top-level keys and of values inside them.
#[derive(Debug)]
pub struct Locator<'a> {
    lines: Vec<&'a str>,
    first_line: usize,
    keys: Vec<(&'a str, usize)>,
}

impl<'a> Locator<'a> {
    /// Indexes the top-level keys of the YAML text in `split`.
    pub fn new(split: &Split<'a>) -> Self {
        let lines: Vec<&str> = split.yaml.lines().collect();
        let keys = lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| top_level_key(line).map(|k| (k, i)))
            .collect();
        Locator {
            lines,
            first_line: split.yaml_line,
            keys,
        }
    }

    /// The span of the key `field` itself.
    pub fn field(&self, field: &str) -> Option<Span<'a>> {
        let (_, i) = self.keys.iter().find(|(k, _)| *k == field)?;
        Some(self.span(*i, 0, field.chars().count()))
    }

    /// The span of `value` inside the block of `field` (falls back to the key).
    pub fn value(&self, field: &str, value: &str) -> Option<Span<'a>> {
        let (start, end) = self.block(field)?;
        let needle = value.trim();
        for i in start..end {
            let line = self.lines[i];
            let from = if i == start { field.len() + 1 } else { 0 };
            if let Some(pos) = line.get(from..).and_then(|l| find_word(l, needle)) {
                let column = line[..from + pos].chars().count();
                return Some(self.span(i, column, needle.chars().count().max(1)));
            }
        }
        self.field(field)
    }

    /// The unquoted values written in the block of `field`, in order
    /// (`themes: [1e3, "x", 0o17]` → `1e3`, `0o17`).
    ///
    /// YAML reads `1e3` as the number 1000, `17.10` as 17.1 and `~` as
    /// nothing: what the author wrote is lost in parsing, so text fields
    /// and codes read it back from here.
    pub fn plain_scalars(&self, field: &str) -> Vec<&'a str> {
        let Some((start, end)) = self.block(field) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for (i, line) in self.lines[start..end].iter().enumerate() {
            let from = if i == 0 { field.len() + 1 } else { 0 };
            if let Some(rest) = line.get(from..) {
                found.extend(plain_tokens(rest));
            }
        }
        found
    }

    /// The lines of `field`'s block: its key line up to the next key.
    fn block(&self, field: &str) -> Option<(usize, usize)> {
        let k = self.keys.iter().position(|(k, _)| *k == field)?;
        let end = self.keys.get(k + 1).map_or(self.lines.len(), |(_, i)| *i);
        Some((self.keys[k].1, end))
    }

    fn span(&self, index: usize, column0: usize, len: usize) -> Span<'a> {
        Span {
            line: self.first_line + index,
            column: column0 + 1,
            len,
            text: self.lines[index],
        }
    }
}

/// The first occurrence of `needle` not inside a longer word, so `national`
/// is found in `[subnational, national]` where it stands alone.
fn find_word(haystack: &str, needle: &str) -> Option<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    haystack.match_indices(needle).map(|(i, _)| i).find(|&i| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + needle.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// The unquoted scalars of one line of YAML: what stands between the
/// separators of flow lists (`[`, `]`, `{`, `}`, `,`) and after a block
/// list's `- `, leaving out quoted text and comments. Errs towards
/// yielding too much: callers keep only the tokens that read as the value
/// YAML parsed.
fn plain_tokens(line: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            // `"a \" b"`: an escaped quote does not end the text.
            (Some('"'), _) if prev == '\\' => {
                prev = ' ';
                continue;
            }
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if line[start..i].trim().is_empty() => quote = Some(c),
            (None, '#') if prev.is_whitespace() => {
                tokens.push(&line[start..i]);
                start = line.len();
                break;
            }
            (None, '[' | ']' | '{' | '}' | ',') => {
                tokens.push(&line[start..i]);
                start = i + 1;
            }
            (None, '-') if line[start..i].trim().is_empty() && next_is_space(line, i) => {
                start = i + 1;
            }
            _ => {}
        }
        prev = c;
    }
    tokens.push(&line[start..]);
    tokens
        .into_iter()
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.starts_with(['"', '\'']))
        .collect()
}

/// Whether the character after byte `i` is a space or the end of the line.
fn next_is_space(line: &str, i: usize) -> bool {
    line[i + 1..].chars().next().is_none_or(char::is_whitespace)
}

impl Diagnostic {
    /// Points the diagnostic at a located span, if there is one.
    pub fn at_span(self, span: Option<Span<'_>>) -> Self {
        match span {
            Some(s) => self.at(s.line, s.column, s.len, s.text),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str =
        "---\ntitle: \"A\"\nsdg_targets:\n  - \"10.7\"\n  - \"10.99\"\n---\n\nBody\n";

    #[test]
    fn splits_at_fences_and_counts_lines() {
        let s = split(FILE, Path::new("x.md")).unwrap();
        assert!(s.yaml.starts_with("title"));
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(s.body_line, 7);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let d = split("---\ntitle: x\n", Path::new("x.md")).unwrap_err();
        assert!(d.message.contains("not closed"));
    }

    #[test]
    fn locates_values_in_block_lists() {
        let s = split(FILE, Path::new("x.md")).unwrap();
        let loc = Locator::new(&s);
        let span = loc.value("sdg_targets", "10.99").unwrap();
        assert_eq!((span.line, span.column, span.len), (5, 6, 5));
        assert_eq!(loc.field("title").unwrap().line, 2);
        let levels = "---\nlevels: [subnational, national]\n---\n";
        let s = split(levels, Path::new("x.md")).unwrap();
        assert_eq!(
            Locator::new(&s).value("levels", "national").unwrap().column,
            23
        );
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let text = "---\ntitle: \"A\"\nlevels: [local\n---\n";
        let s = split(text, Path::new("x.md")).unwrap();
        let d = parse(&s, Path::new("x.md")).unwrap_err();
        assert!(
            d.line >= 3,
            "line {} should be in the file's numbering",
            d.line
        );
    }

    #[test]
    fn a_tab_in_the_indentation_is_named() {
        let text = "---\ntitle: Tabs\nlevels:\n\t- local\n---\n";
        let s = split(text, Path::new("x.md")).unwrap();
        let d = parse(&s, Path::new("x.md")).unwrap_err();
        assert_eq!(d.line, 4);
        assert!(
            d.help.as_deref().unwrap_or("").contains("not tabs"),
            "{d:?}"
        );
    }

    #[test]
    fn plain_values_are_read_as_written() {
        let text = "---\nsdg_targets: [10.7, 17.10, \"5.a\\\", 1\"] # codes\nlevels:\n  - 1.50\n  - 'v1, 2'\n  -  ~\n  - -3\ntitle: 1e3\n---\n";
        let s = split(text, Path::new("x.md")).unwrap();
        let loc = Locator::new(&s);
        assert_eq!(loc.plain_scalars("sdg_targets"), ["10.7", "17.10"]);
        assert_eq!(loc.plain_scalars("levels"), ["1.50", "~", "-3"]);
        assert_eq!(loc.plain_scalars("title"), ["1e3"]);
    }

    #[test]
    fn a_repeated_field_points_at_its_second_line() {
        let text = "---\ntitle: A\nsummary: s\ntitle: B\n---\n";
        let s = split(text, Path::new("x.md")).unwrap();
        let d = parse(&s, Path::new("x.md")).unwrap_err();
        assert_eq!(d.line, 4);
        assert_eq!(
            d.help.as_deref(),
            Some("`title` is given on lines 2 and 4: keep one")
        );
    }
}
