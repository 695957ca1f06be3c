//! Import: `casebook import FILE` makes one case study per row of a CSV or
//! JSON file (another database's export, or a portal's own catalogue.csv
//! or catalogue.json).
//!
//! Stages: read the file ([`table`]) → resolve which column feeds which
//! field ([`mapping`]) → per row, read its cells and write its file in
//! memory, then validate that file with the build's own reader ([`row`]) →
//! only when no row has an error, write every file → check the site as
//! `casebook check` does, for what only the whole site can tell (where a
//! link leads), removing the files again if one of them has a problem. So
//! a failed import leaves nothing behind: every problem of every row is
//! reported at once, as `FILE:row:column`, and an existing file is never
//! replaced. The files are
//! those `casebook new` writes (same fields, order and comments, through
//! [`crate::scaffold::case_file`]), filled in.

mod mapping;
mod row;
mod table;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::fsio;
use crate::Portal;
use row::{Converted, Origin};

/// What `casebook import` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Site root (holds `casebook.yaml`).
    pub root: PathBuf,
    /// The CSV or JSON file, as given (messages show it so).
    pub file: PathBuf,
    /// The mapping file, if any.
    pub map: Option<PathBuf>,
    /// The column of the body, overriding the mapping's.
    pub body: Option<String>,
    /// Write nothing; report what would be written.
    pub dry_run: bool,
    /// Leave out rows whose file exists, instead of stopping.
    pub skip_existing: bool,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Files written (or to write), site-relative, with their row.
    pub written: Vec<(usize, PathBuf)>,
    /// Rows left out because their file exists (`--skip-existing`).
    pub skipped: Vec<(usize, PathBuf)>,
    /// Columns no field reads.
    pub unread_columns: Vec<String>,
    /// Warnings (nothing blocked by them).
    pub warnings: Vec<Diagnostic>,
}

/// One file to write.
struct Planned {
    row: usize,
    rel: PathBuf,
    text: String,
}

/// Imports `options.file` into the site; see the module doc. Fails with
/// [`Error::Content`] (every problem, nothing written) when a row, the
/// mapping or the file has an error.
pub fn import(options: &ImportOptions) -> Result<ImportReport> {
    // Drafts included: their files and slugs are taken as much as the others'.
    let portal = Portal::load(&options.root, None, true)?.portal;
    let table = table::read(&options.file)?;
    let mapping = mapping::resolve(
        options.map.as_deref(),
        options.body.as_deref(),
        &table,
        &portal.schema,
    )?;
    let mut report = ImportReport {
        unread_columns: unread(&table, &mapping),
        ..ImportReport::default()
    };
    let (planned, mut problems) = plan(&portal, &table, &mapping, options, &mut report);
    diagnostics::sort(&mut problems);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(problems));
    }
    report.warnings = problems;
    if !options.dry_run {
        write_all(&portal.root, &planned)?;
        let origin = Origin {
            shown: &options.file,
            columns: &table.columns,
        };
        if let Err(e) = check_written(&portal.root, &planned, &origin) {
            remove(&portal.root, &planned);
            return Err(e);
        }
    }
    report.written = planned.into_iter().map(|p| (p.row, p.rel)).collect();
    Ok(report)
}

/// Every row's file and every problem; rows whose file exists are added
/// to `report.skipped` with `--skip-existing`, else reported.
fn plan(
    portal: &Portal,
    table: &table::Table,
    mapping: &mapping::Mapping,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> (Vec<Planned>, Vec<Diagnostic>) {
    let origin = Origin {
        shown: &options.file,
        columns: &table.columns,
    };
    let mut problems = Vec::new();
    let mut planned = Vec::new();
    let mut files: HashMap<PathBuf, usize> = HashMap::new();
    // A spreadsheet often saves rows it shows as empty (",,,,").
    let rows = table
        .rows
        .iter()
        .filter(|r| !r.cells.iter().all(row::is_empty));
    for row in rows {
        let (converted, mut found) = row::convert(row, mapping, &portal.schema, &origin);
        let Some(rel) = place(portal, &converted, &origin, &mut files, &mut found) else {
            problems.append(&mut found);
            continue;
        };
        if portal.root.join(&rel).exists() {
            if options.skip_existing {
                report.skipped.push((row.number, rel));
                continue;
            }
            found.push(exists_problem(&origin, row.number, &rel));
        }
        let text = converted.file_text(portal);
        found.extend(row::validate(
            &converted,
            &text,
            &rel,
            &portal.schema,
            &origin,
        ));
        problems.append(&mut found);
        planned.push(Planned {
            row: row.number,
            rel,
            text,
        });
    }
    (planned, problems)
}

/// The file a row becomes, or `None` with a problem: no name to give it,
/// a name an earlier row gave, a file that exists (left to the caller with
/// `--skip-existing`), or a slug another case study of the site has.
fn place(
    portal: &Portal,
    converted: &Converted,
    origin: &Origin<'_>,
    files: &mut HashMap<PathBuf, usize>,
    problems: &mut Vec<Diagnostic>,
) -> Option<PathBuf> {
    let row = converted.row;
    let Some(rel) = row::file_name(converted) else {
        let d = origin.problem(
            row,
            None,
            "no title (or slug) with a letter or digit to name the file after".into(),
        );
        problems.push(d.field("title").help("give every row a title"));
        return None;
    };
    let shown = rel.display();
    if let Some(first) = files.insert(rel.clone(), row) {
        let message = format!("row {first} and this row both make the file {shown}");
        let help = "give one of them another title, or a slug";
        problems.push(origin.problem(row, None, message).help(help));
        return None;
    }
    let slug = crate::content::case_study::slug_from_path(&rel);
    let other = (portal.content.cases.iter()).find(|c| c.slug == slug && c.source != rel);
    if let Some(other) = other {
        let message = format!(
            "{} already has the page /{} this row would make",
            other.source.display(),
            other.url
        );
        let help = "leave the row out, or give it another title or slug";
        problems.push(origin.problem(row, None, message).help(help));
        return None;
    }
    Some(rel)
}

/// An existing file, reported (when not skipped) at its row.
fn exists_problem(origin: &Origin<'_>, row: usize, rel: &Path) -> Diagnostic {
    let message = format!("{} already exists", rel.display());
    origin.problem(row, None, message).help(
        "import never replaces a file: remove it, or add --skip-existing to import the other rows",
    )
}

/// The table's columns that no field, nor the body, reads.
fn unread(table: &table::Table, mapping: &mapping::Mapping) -> Vec<String> {
    (table.columns.iter().enumerate())
        .filter(|(i, _)| mapping.body != Some(*i) && !mapping.columns.iter().any(|c| c.index == *i))
        .map(|(_, name)| name.clone())
        .collect()
}

/// Writes every planned file, each only if it does not exist yet; when one
/// cannot be written, removes the files written before it, so that a
/// failed import leaves the site as it was.
fn write_all(root: &Path, planned: &[Planned]) -> Result<()> {
    for (i, file) in planned.iter().enumerate() {
        if let Err(e) = fsio::create_new(&root.join(&file.rel), file.text.as_bytes()) {
            remove(root, &planned[..i]);
            return Err(e);
        }
    }
    Ok(())
}

/// Removes files this run wrote. Best effort: the error that made the
/// import fail is the one to report.
fn remove(root: &Path, written: &[Planned]) {
    for file in written {
        let _ = fsio::remove_file(&root.join(&file.rel));
    }
}

/// The problems `casebook check` finds in the files just written, at the
/// rows they came from. A row's fields were checked before writing, as the
/// build reads them; what only the whole site can tell, where its links
/// and image lead and whether its page renders, is checked here, by the
/// build's own stages, once the files are in place.
fn check_written(root: &Path, planned: &[Planned], origin: &Origin<'_>) -> Result<()> {
    let report = crate::check::check(root)?;
    let problems: Vec<Diagnostic> = (report.diagnostics.into_iter())
        .filter(Diagnostic::is_error)
        .filter_map(|d| {
            let file = planned.iter().find(|p| p.rel == d.path)?;
            let at = format!("{}:{}", file.rel.display(), d.line);
            let message = format!("{} (in {at} as written)", d.message);
            let mut moved = origin.problem(file.row, None, message);
            (moved.field, moved.help) = (d.field, d.help);
            Some(moved)
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Content(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_removes_the_files_written_before_it() {
        let root = tempfile::tempdir().unwrap();
        let planned = |rel: &str| Planned {
            row: 2,
            rel: PathBuf::from(rel),
            text: "x".into(),
        };
        // A folder where the second file goes: it cannot be created.
        std::fs::create_dir_all(root.path().join("content/b.md")).unwrap();
        let files = [planned("content/a.md"), planned("content/b.md")];
        assert!(write_all(root.path(), &files).is_err());
        assert!(!root.path().join("content/a.md").exists());
        assert!(
            root.path().join("content/b.md").is_dir(),
            "not ours to remove"
        );
    }
}
