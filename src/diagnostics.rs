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
        let start = char_to_byte(text, self.column.saturating_sub(1));
        let end = char_to_byte(text, self.column.saturating_sub(1) + self.span_len.max(1));
        let mut message = level.title("").snippet(
            Snippet::source(text)
                .line_start(self.line)
                .origin(&origin)
                .annotation(level.span(start..end.max(start))),
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

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(text.len())
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
