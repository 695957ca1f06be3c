//! Translations: the language versions of one case study or page, linked by
//! their shared key ([`Meta::translation_key`](super::Meta)), and what can
//! go wrong in linking them.
//!
//! In a portal of several languages, `name.fr.md` is the French version of
//! `name.md`. Two mistakes would silently publish the wrong thing, so they
//! are errors: a translation whose original is missing (renamed or deleted,
//! leaving the translation at a URL no other version links to), and two
//! files claiming the same language of one case study (one would hide the
//! other). A `language:` field that disagrees with the file name is caught
//! where the file is read.

use std::collections::BTreeMap;
use std::path::Path;

use super::schema::Schema;
use super::Content;
use crate::diagnostics::Diagnostic;

/// One file of a translation group: its source, language, whether its name
/// carries the language, and its slug.
struct Version<'c> {
    source: &'c Path,
    language: &'c str,
    is_translation: bool,
}

/// Every linking problem of the content's case studies and pages.
pub fn problems(content: &Content, schema: &Schema) -> Vec<Diagnostic> {
    if schema.languages.is_empty() {
        return Vec::new();
    }
    let cases = content.cases.iter().map(|c| {
        let version = Version {
            source: &c.source,
            language: &c.meta.language,
            is_translation: c.is_translation,
        };
        (c.meta.translation_key.as_str(), version)
    });
    let pages = content.pages.iter().map(|p| {
        let is_translation = p
            .source
            .file_stem()
            .and_then(|s| s.to_str())
            .is_some_and(|stem| {
                stem.rsplit_once('.')
                    .is_some_and(|(_, suffix)| schema.languages.iter().any(|l| l == suffix))
            });
        let version = Version {
            source: &p.source,
            language: &p.language,
            is_translation,
        };
        (p.translation_key.as_str(), version)
    });
    let mut problems = group_problems(cases);
    problems.extend(group_problems(pages));
    problems
}

fn group_problems<'c>(versions: impl Iterator<Item = (&'c str, Version<'c>)>) -> Vec<Diagnostic> {
    let mut groups: BTreeMap<&str, Vec<Version<'c>>> = BTreeMap::new();
    for (key, version) in versions {
        groups.entry(key).or_default().push(version);
    }
    let mut problems = Vec::new();
    for (key, mut group) in groups {
        group.sort_by_key(|v| v.source);
        problems.extend(same_language(key, &group));
        problems.extend(orphans(&group));
    }
    problems
}

/// Two files of one case study in one language: reported on the second.
fn same_language(key: &str, group: &[Version<'_>]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (i, later) in group.iter().enumerate() {
        let Some(first) = group[..i].iter().find(|v| v.language == later.language) else {
            continue;
        };
        let message = format!(
            "this file and {} are both the `{}` version of `{key}`",
            first.source.display(),
            later.language
        );
        let help = "keep one file per language: give one of them another `language:` (and file name suffix) or another `translation_key:`";
        problems.push(
            Diagnostic::error(later.source, message)
                .field("language")
                .help(help),
        );
    }
    problems
}

/// Translations (`name.fr.md`) whose group has no original (`name.md`).
fn orphans(group: &[Version<'_>]) -> Vec<Diagnostic> {
    if group.iter().any(|v| !v.is_translation) {
        return Vec::new();
    }
    group
        .iter()
        .map(|v| {
            let original = original_name(v.source);
            let message = format!(
                "a translation without its original: no {original} beside it"
            );
            let help = format!(
                "add {original} (the version in its original language), or rename this file to {original}"
            );
            Diagnostic::error(v.source, message).help(help)
        })
        .collect()
}

/// `name.fr.md` → `name.md`.
fn original_name(source: &Path) -> String {
    let file = source.file_name().and_then(|f| f.to_str()).unwrap_or("");
    let mut parts: Vec<&str> = file.split('.').collect();
    if parts.len() > 2 {
        parts.remove(parts.len() - 2);
    }
    parts.join(".")
}
