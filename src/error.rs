//! Fatal errors: the ones that stop a run before or while writing output.
//!
//! Content problems are not errors in this sense: they are collected as
//! [`Diagnostic`](crate::diagnostics::Diagnostic)s so that one run reports all of
//! them. An [`Error`] is what remains: unreadable files, an unusable config, an
//! unsafe output directory, a broken template. Every variant names the path it
//! concerns, because "No such file or directory" alone helps nobody.

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

/// A failure that ends the run. `main` maps it to exit code 1 (content) or 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A filesystem call failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What we were doing ("reading", "writing", ...).
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The content or the configuration has problems; each is a diagnostic.
    #[error("{} problem(s) in the content", .0.len())]
    Content(Vec<Diagnostic>),
    /// The output directory is one we must not write to.
    #[error("refusing to write to {path} (asked for by {asked_by}): {reason}")]
    UnsafeOutput {
        /// The output directory asked for.
        path: PathBuf,
        /// Who asked for it, so the user knows what to change.
        asked_by: AskedBy,
        /// Why it is refused.
        reason: String,
    },
    /// A template failed to parse or render.
    #[error("template error: {0}")]
    Template(String),
    /// Anything else the user asked for that cannot be done (bad flag value...).
    #[error("{0}")]
    Usage(String),
    /// Something only a bug in Casebook can cause, such as failing to
    /// serialise its own data; said as such, so nobody hunts for a user error.
    #[error("internal error (a bug in Casebook; please report it): {0}")]
    Internal(String),
}

impl Error {
    /// Wraps an `io::Error` with what we were doing and where.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// The process exit code for this error: 1 for content problems, 2 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Content(_) => 1,
            _ => 2,
        }
    }
}

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Who chose an output folder: a refusal names it, since the fix is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AskedBy {
    /// The command line's `--output`.
    Flag,
    /// `output_dir` in the config file, at this line.
    Config(&'static str, usize),
    /// Nobody: the default `output_dir`.
    Default,
}

impl std::fmt::Display for AskedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AskedBy::Flag => write!(f, "`--output`"),
            AskedBy::Config(file, line) => write!(f, "`output_dir` in {file}:{line}"),
            AskedBy::Default => write!(f, "the default `output_dir`"),
        }
    }
}
