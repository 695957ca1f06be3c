//! Limits on a front matter, checked in one linear pass before the YAML
//! parser sees it.
//!
//! libyaml's cost grows with the square of the nesting depth of flow
//! collections: 100,000 `[` took 26 s to fail, enough to stall a build or
//! CI. No field of a case study needs more than three levels, nor more than
//! a few kilobytes, so anything far beyond is refused at once, at its line,
//! whatever the input's size.

use std::path::Path;

use super::front_matter::Split;
use crate::diagnostics::Diagnostic;
use crate::yaml::{field_above, top_level_key};

/// Largest front matter, in bytes (the sample's longest is under 4 KB).
pub const MAX_FRONT_MATTER: usize = 64 * 1024;

/// Largest single field, in bytes, from its key line to the next key.
pub const MAX_FIELD: usize = 16 * 1024;

/// Deepest nesting of `[` and `{` (a list of links is 2 deep).
pub const MAX_NESTING: usize = 16;

/// The first limit the front matter of `split` exceeds, as a diagnostic.
pub fn check(split: &Split<'_>, path: &Path) -> Result<(), Diagnostic> {
    if split.yaml.len() > MAX_FRONT_MATTER {
        let first = split.yaml.lines().next().unwrap_or("");
        return Err(Diagnostic::error(
            path,
            format!(
                "the front matter is {} KB long; the limit is {} KB",
                split.yaml.len() / 1024,
                MAX_FRONT_MATTER / 1024
            ),
        )
        .at(split.yaml_line, 1, 1, first)
        .help("keep long text in the body, below the closing `---`"));
    }
    nesting(split, path)?;
    field_sizes(split, path)
}

/// Refuses a field whose block exceeds [`MAX_FIELD`].
fn field_sizes(split: &Split<'_>, path: &Path) -> Result<(), Diagnostic> {
    let mut current: Option<(&str, usize, &str)> = None;
    let mut size = 0;
    for (i, line) in split.yaml.lines().enumerate() {
        if let Some(key) = top_level_key(line) {
            current = Some((key, i, line));
            size = 0;
        }
        size += line.len() + 1;
        if let Some((key, at, text)) = current.filter(|_| size > MAX_FIELD) {
            let message = format!("field `{key}` is more than {} KB long", MAX_FIELD / 1024);
            return Err(Diagnostic::error(path, message)
                .field(key)
                .at(split.yaml_line + at, 1, key.chars().count().max(1), text)
                .help(
                    "keep long text in the body, below the closing `---`; a summary is one or two sentences",
                ));
        }
    }
    Ok(())
}

/// Refuses `[` and `{` nested deeper than [`MAX_NESTING`], at the bracket
/// that goes too deep. Brackets inside quoted text and comments do not
/// count.
fn nesting(split: &Split<'_>, path: &Path) -> Result<(), Diagnostic> {
    let mut scan = Scan::default();
    for (i, line) in split.yaml.lines().enumerate() {
        if let Some(column) = scan.line(line) {
            let d = Diagnostic::error(
                path,
                format!("lists or fields nested more than {MAX_NESTING} deep"),
            )
            .at(split.yaml_line + i, column, 1, line)
            .help("a field holds text, a list of text, or a list of `title`/`url` pairs");
            return Err(match field_above(split.yaml, i) {
                Some(field) => d.field(field),
                None => d,
            });
        }
    }
    Ok(())
}

/// State of the nesting scan, carried from line to line (a quoted text may
/// span lines).
#[derive(Default)]
struct Scan {
    depth: usize,
    quote: Option<char>,
}

impl Scan {
    /// Scans one line; the 1-based column of a bracket nested too deep.
    fn line(&mut self, line: &str) -> Option<usize> {
        let mut last = ' '; // the last character outside quotes and spaces
        let mut escaped = false;
        for (column, c) in line.chars().enumerate() {
            match self.quote {
                Some('"') if escaped => escaped = false,
                Some('"') if c == '\\' => escaped = true,
                Some(q) if c == q => self.quote = None,
                Some(_) => {}
                // A quote opens a scalar only where one may start; in
                // `Migrants' association` it is a letter.
                None if matches!(c, '"' | '\'')
                    && matches!(last, ' ' | '[' | '{' | ',' | ':' | '-') =>
                {
                    self.quote = Some(c)
                }
                None if c == '#' && (column == 0 || line_char_before_is_space(line, column)) => {
                    return None
                }
                None if matches!(c, '[' | '{') => {
                    self.depth += 1;
                    if self.depth > MAX_NESTING {
                        return Some(column + 1);
                    }
                }
                None if matches!(c, ']' | '}') => self.depth = self.depth.saturating_sub(1),
                None => {}
            }
            if self.quote.is_none() && !c.is_whitespace() {
                last = c;
            }
        }
        None
    }
}

/// Whether the character before the `column`-th (0-based) is white space.
fn line_char_before_is_space(line: &str, column: usize) -> bool {
    line.chars()
        .nth(column - 1)
        .is_some_and(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::split;

    fn checked(yaml: &str) -> Result<(), Diagnostic> {
        let text = format!("---\n{yaml}---\n");
        check(&split(&text, Path::new("x.md")).unwrap(), Path::new("x.md"))
    }

    #[test]
    fn deep_nesting_is_refused_at_its_bracket_in_linear_time() {
        let deep = format!("title: x\nthemes: {}\n", "[".repeat(60_000));
        let started = std::time::Instant::now();
        let d = checked(&deep).unwrap_err();
        assert!(started.elapsed().as_secs() < 1);
        assert_eq!((d.line, d.column), (3, 8 + MAX_NESTING + 1));
        assert_eq!(d.field.as_deref(), Some("themes"));
    }

    #[test]
    fn brackets_in_text_and_comments_do_not_count() {
        let quoted = format!(
            "title: \"{0}\"\nsummary: '{0}'\n# {0}\npartners: [Migrants' association, \"{0}\"]\n",
            "[".repeat(100)
        );
        assert!(checked(&quoted).is_ok());
        assert!(checked("links: [{title: a, url: b}]\nlevels: [[local]]\n").is_ok());
    }

    #[test]
    fn oversized_fields_and_front_matter_are_refused() {
        let field = format!("title: x\nsummary: \"{}\"\n", "a".repeat(MAX_FIELD));
        let d = checked(&field).unwrap_err();
        assert_eq!((d.line, d.field.as_deref()), (3, Some("summary")));
        let whole = "places: [\"a place\"]\n".repeat(MAX_FRONT_MATTER / 10);
        assert!(checked(&whole)
            .unwrap_err()
            .message
            .contains("front matter"));
    }
}
