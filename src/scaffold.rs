//! Scaffold: `casebook init` starts a portal, `casebook new` starts a case study.
//!
//! Stage input: an empty folder, or a site and a title. Output: the files
//! written, never over an existing one. Both exist so that an editor starts
//! from something that already builds: `init` writes the sample site's own
//! commented `casebook.yaml` (one source of truth) with one complete example
//! case study and an About page; `new` writes a case study with every field
//! the site accepts, each explained by a comment generated from the site's
//! facets and vocabularies (see [`fields`]), so a portal on another subject
//! gets its own fields without a change here.

mod fields;

pub use fields::{case_file, Draft, FieldValue};

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::content::case_study::collapse;
use crate::content::discover::CONTENT_DIR;
use crate::content::schema::{FacetSchema, FieldKind, Schema};
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::fsio;
use crate::text::slugify;
use crate::vocabulary::Vocabulary;

/// The folder under `content/` that `casebook new` writes case studies to.
pub const CASES_DIR: &str = "case-studies";

/// The files of a new portal: site-relative path and text.
const STARTER: &[(&str, &str)] = &[
    (crate::config::CONFIG_FILE, crate::config::SAMPLE),
    (".gitignore", include_str!("scaffold/gitignore")),
    (
        "content/case-studies/example-practice.md",
        include_str!("scaffold/example-practice.md"),
    ),
    (
        "content/case-studies/example-practice.svg",
        include_str!("scaffold/example-practice.svg"),
    ),
    ("content/pages/about.md", include_str!("scaffold/about.md")),
];

/// Starts a portal in `dir` (created if absent, refused unless empty);
/// returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    ensure_empty(dir)?;
    STARTER
        .iter()
        .map(|(rel, text)| {
            let path = dir.join(rel);
            fsio::write(&path, text.as_bytes())?;
            Ok(path)
        })
        .collect()
}

/// What to do after `casebook init` made a portal in `dir`: shell lines,
/// each a command and why, that run as written, in order, from the folder
/// `init` ran in. `program` is how the shell finds Casebook (`casebook`
/// when it is on the `PATH`). `serve` comes last: it runs until stopped.
pub fn next_steps(dir: &Path, program: &str) -> Vec<(String, String)> {
    let mut steps = Vec::new();
    if dir != Path::new(".") && dir != Path::new("") {
        steps.push((
            format!("cd {}", shell_quote(&dir.to_string_lossy())),
            "every command below runs in the portal's folder".to_string(),
        ));
    }
    let example = format!("{CONTENT_DIR}/{CASES_DIR}/title.md");
    let output = crate::config::sample().output_dir.display().to_string();
    let commands = [
        (
            "new \"Title\"",
            format!("start a case study with every field: {example}"),
        ),
        ("check", "find problems before you publish".to_string()),
        (
            "build",
            format!("write the portal into {output}/; open {output}/index.html"),
        ),
        (
            "serve",
            "preview it at http://127.0.0.1:1111/, rebuilt as you edit (Ctrl-C stops)".to_string(),
        ),
    ];
    steps.extend(
        commands
            .into_iter()
            .map(|(command, why)| (format!("{program} {command}"), why)),
    );
    steps
}

/// `text` as one word for a POSIX shell: as is when it holds nothing the
/// shell reads specially, else in single quotes.
pub fn shell_quote(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./:@%+=,-".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

fn ensure_empty(dir: &Path) -> Result<()> {
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "{} {why}; `casebook init` starts a portal in a new or empty folder",
            dir.display()
        )))
    };
    if dir.is_file() {
        return refuse("is a file");
    }
    if dir.is_dir() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io("listing", dir, e))?;
        if entries.next().is_some() {
            return refuse("is not empty");
        }
    }
    Ok(())
}

/// What `casebook new` is asked to write.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// Title; the file is named after it.
    pub title: String,
    /// Values for the `levels` field, as typed (codes, names or aliases).
    pub levels: Vec<String>,
    /// Values for the `countries` field, as typed.
    pub countries: Vec<String>,
    /// The `date` written (today, for the command).
    pub date: Date,
}

/// Today's date in UTC, the `date` of a new case study.
pub fn today() -> Date {
    jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
}

/// Writes `content/case-studies/<slug>.md` under `root`; returns its path.
///
/// Fails with [`Error::Usage`] if the file exists, another case study has
/// the same URL, or the title gives no file name, and with [`Error::Content`] (every problem) if a `--level` or
/// `--country` value is not in its vocabulary.
pub fn new_case(root: &Path, case: &NewCase) -> Result<PathBuf> {
    let title = collapse(&case.title);
    let slug = slugify(&title);
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "the title \"{title}\" has no letters or digits to name the file after"
        )));
    }
    let path = root
        .join(CONTENT_DIR)
        .join(CASES_DIR)
        .join(format!("{slug}.md"));
    if path.exists() {
        return Err(Error::Usage(format!(
            "{} already exists; edit it, or choose another title",
            crate::diagnostics::display_path(Path::new("."), &path).display()
        )));
    }
    // Drafts too: a draft's URL is taken as soon as it is published.
    let portal = crate::Portal::load(root, None, true)?.portal;
    // A file elsewhere, or one with its own `slug:`, may hold the URL already.
    if let Some(other) = portal.content.cases.iter().find(|c| c.slug == slug) {
        return Err(Error::Usage(format!(
            "{} already has the page /{}; edit it, or choose another title",
            other.source.display(),
            other.url
        )));
    }
    let preset = preset_values(
        &portal.schema,
        &[
            ("levels", "level", &case.levels),
            ("countries", "country", &case.countries),
        ],
    )?;
    let mut values = vec![
        ("title".to_string(), FieldValue::Text(title)),
        ("date".to_string(), FieldValue::Date(case.date)),
    ];
    values.extend(preset.into_iter().map(|(f, c)| (f, FieldValue::List(c))));
    let draft = Draft {
        portal: &portal,
        values: &values,
        body: None,
    };
    fsio::write(&path, case_file(&draft).as_bytes())?;
    Ok(path)
}

/// Resolves command-line values for facet fields to canonical codes,
/// reporting every unknown value at once. Each entry is (field, flag, values).
fn preset_values(
    schema: &Schema,
    given: &[(&str, &str, &Vec<String>)],
) -> Result<Vec<(String, Vec<String>)>> {
    let mut problems = Vec::new();
    let mut preset = Vec::new();
    for &(field, flag, values) in given {
        if values.is_empty() {
            continue;
        }
        let Some((facet, kind)) = facet_of(schema, field) else {
            return Err(Error::Usage(format!(
                "--{flag}: this portal has no `{field}` field (no facet in casebook.yaml reads it)"
            )));
        };
        let mut codes: Vec<String> = Vec::new();
        for value in values {
            match canonical(facet.vocabulary.as_deref(), kind, value) {
                Ok(code) if !codes.contains(&code) => codes.push(code),
                Ok(_) => {}
                Err((message, help)) => problems.push(
                    Diagnostic::error(format!("--{flag}"), message)
                        .field(field)
                        .help(help),
                ),
            }
        }
        preset.push((field.to_string(), codes));
    }
    if problems.is_empty() {
        Ok(preset)
    } else {
        Err(Error::Content(problems))
    }
}

/// The facet that reads `field`, and what the field holds.
pub(crate) fn facet_of<'s>(
    schema: &'s Schema,
    field: &str,
) -> Option<(&'s FacetSchema, FieldKind)> {
    schema.facets.iter().find_map(|f| {
        f.fields
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, kind)| (f, *kind))
    })
}

/// A value's canonical code, or the message and help the build would give.
pub(crate) fn canonical(
    vocabulary: Option<&Vocabulary>,
    kind: FieldKind,
    value: &str,
) -> Result<String, (String, String)> {
    let Some(vocabulary) = vocabulary else {
        return Ok(collapse(value));
    };
    let depth = match kind {
        FieldKind::Depth(d) => Some(d),
        FieldKind::Any | FieldKind::Year => None,
    };
    match vocabulary.resolve(value, depth) {
        Ok(term) => Ok(vocabulary.terms[term].code.clone()),
        Err(miss) => Err(vocabulary.explain(value, depth, miss)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_quote("portal"), "portal");
        assert_eq!(shell_quote("../my-portal_2"), "../my-portal_2");
        assert_eq!(shell_quote("my portal"), "'my portal'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn next_steps_go_to_the_portal_first_and_serve_last() {
        let steps = next_steps(Path::new("my portal"), "casebook");
        assert_eq!(steps[0].0, "cd 'my portal'");
        assert_eq!(steps.last().unwrap().0, "casebook serve");
        let here = next_steps(Path::new("."), "/opt/casebook");
        assert_eq!(here[0].0, "/opt/casebook new \"Title\"");
    }
}
