//! Diagnostics: content problems reported compiler-style.
//!
//! Every stage that reads what an author wrote returns its problems as
//! [`Diagnostic`]s instead of stopping at the first one, so `build` and `check`
//! report everything in one run. A diagnostic carries the offending source line,
//! so it can be drawn (by `annotate-snippets`) without reopening the file.

use std::path::{Path, PathBuf};

use annotate_snippets::{Level, Renderer, Snippet};
use serde::Serialize;

/// How bad a problem is. Errors stop a build; warnings only do under `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks the build.
    Error,
    /// Reported, does not block unless `--strict`.
    Warning,
}

/// One problem in one file, with where, what and a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// File, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (in characters), 0 when unknown.
    pub column: usize,
    /// The front-matter field concerned, if any.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do about it ("did you mean ...", "expected one of ...").
    pub help: Option<String>,
    /// The text of the offending line, for drawing.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Width of the offending span in characters (at least 1 when drawn).
    #[serde(skip)]
    pub span_len: usize,
}

impl Diagnostic {
    /// An error about a whole file.
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            column: 0,
            field: None,
            message: message.into(),
            help: None,
            source_line: None,
            span_len: 0,
        }
    }

    /// A warning about a whole file.
    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// Points the diagnostic at a span of a line (`column` is 1-based).
    pub fn at(mut self, line: usize, column: usize, span_len: usize, text: &str) -> Self {
        self.line = line;
        self.column = column;
        self.span_len = span_len;
        self.source_line = Some(text.to_string());
        self
    }

    /// Names the field concerned.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Adds a suggestion.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, the location as editors and CI problem matchers read it.
    pub fn location(&self) -> String {
        let path = self.path.display();
        match (self.line, self.column) {
            (0, _) => format!("{path}"),
            (line, 0) => format!("{path}:{line}"),
            (line, col) => format!("{path}:{line}:{col}"),
        }
    }

    /// Draws the diagnostic compiler-style: a `path:line:col: error: message`
    /// header, the offending line with a caret under the span, and the help.
    pub fn render(&self, color: bool) -> String {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let field = self
            .field
            .as_deref()
            .map(|f| format!(" (field `{f}`)"))
            .unwrap_or_default();
        let mut out = format!("{}: {label}: {}{field}\n", self.location(), self.message);
        out.push_str(&self.render_snippet(color));
        out
    }

    fn render_snippet(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let origin = self.path.display().to_string();
        let help = self.help.as_deref().unwrap_or("");
        let Some(text) = self
            .source_line
            .as_deref()
            .filter(|t| self.line > 0 && !t.trim().is_empty())
        else {
            return if help.is_empty() {
                String::new()
            } else {
                format!("  = help: {help}\n")
            };
        };
        let (text, span) = drawable(text, self.column.saturating_sub(1), self.span_len.max(1));
        let mut message = level.title("").snippet(
            Snippet::source(&text)
                .line_start(self.line)
                .origin(&origin)
                .annotation(level.span(span)),
        );
        if !help.is_empty() {
            message = message.footer(Level::Help.title(help));
        }
        let drawn = renderer.render(message).to_string();
        // Our header line already says what and where; keep only the drawing.
        let body: Vec<&str> = drawn.lines().skip(1).collect();
        body.join("\n") + "\n"
    }
}

/// The line as annotate-snippets 0.11 can draw it, and the byte range of
/// the span of `len` characters from character `start` in it.
///
/// annotate-snippets measures a line's indentation in characters and its
/// spans in display columns, and its margin arithmetic overflows (a panic
/// in debug builds; found by fuzzing) when a caret on a long line ends
/// inside the indentation, or when a tab or a control character (no
/// column) makes the two measures differ. So white space is drawn as
/// spaces (a tab as four), any other control character as U+FFFD, and a
/// caret in the indentation starts at the first character after it.
fn drawable(text: &str, start: usize, len: usize) -> (String, std::ops::Range<usize>) {
    let mut drawn = String::with_capacity(text.len());
    // Byte offset in `drawn` of each character of `text`, and of its end.
    let mut offsets = Vec::with_capacity(text.len() + 1);
    for c in text.chars() {
        offsets.push(drawn.len());
        match c {
            '\t' => drawn.push_str("    "),
            c if c.is_whitespace() => drawn.push(' '),
            c if c.is_control() => drawn.push('\u{FFFD}'),
            c => drawn.push(c),
        }
    }
    offsets.push(drawn.len());
    let chars = offsets.len() - 1;
    let indent = text.chars().take_while(|c| c.is_whitespace()).count();
    let start = start.max(indent).min(chars);
    let end = (start + len).min(chars).max(start);
    (drawn, offsets[start]..offsets[end])
}

/// Sorts diagnostics by file, then position, so output is stable across runs.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
    });
}

/// Makes `path` relative to `root` for display, leaving it as is otherwise.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caret_in_the_indentation_of_a_long_line_is_drawn() {
        let long = "x".repeat(150);
        for indent in [" ".repeat(30), "\t".repeat(8), "\x0b".repeat(20)] {
            let d = Diagnostic::error("x.md", "m").at(2, 1, 1, &format!("{indent}{long}"));
            let drawn = d.render(false);
            assert!(drawn.contains("^"), "{drawn}");
        }
    }

    #[test]
    fn tabs_and_control_characters_are_drawn_visibly() {
        let d = Diagnostic::error("x.md", "m").at(3, 3, 2, "a\tb\u{1}cd");
        let drawn = d.render(false);
        assert!(drawn.contains("3 | a    b\u{FFFD}cd"), "{drawn}");
        assert!(drawn.contains("|      ^^"), "{drawn}");
    }
}
