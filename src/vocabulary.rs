//! Controlled vocabularies: the term lists behind facets, with their hierarchy.
//!
//! A [`Vocabulary`] is data (a YAML file): terms with a `code` authors write, a
//! `label`, an optional `short` name, `description`, `aliases` and `children`. The built-in
//! ones (SDG goals and targets, GCM round tables and objectives, GCM thematic
//! clusters, governance levels, UN M49 geography) are embedded in the binary; a
//! site may replace any of them with its own file or extend them, so a portal on
//! another subject is only another configuration.
//!
//! Authors' input is matched against codes, labels and aliases after
//! [`normalise`]: trimmed, spaces collapsed, case and accents folded.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::fsio;
use crate::text::{normalise, slugify};
use crate::yaml;

/// The vocabularies embedded in the binary, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("sdg", include_str!("vocabularies/sdg.yaml")),
    ("gcm", include_str!("vocabularies/gcm.yaml")),
    ("gcm_areas", include_str!("vocabularies/gcm_areas.yaml")),
    ("levels", include_str!("vocabularies/levels.yaml")),
    ("geography", include_str!("vocabularies/geography.yaml")),
];

/// Translations of the built-in vocabularies' labels: (vocabulary,
/// language, table), with their sources and licences in each file's header
/// and in `vocabularies/translations/README.md`.
pub const BUILTIN_TRANSLATIONS: &[(&str, &str, &str)] = &[
    (
        "sdg",
        "fr",
        include_str!("vocabularies/translations/sdg.fr.yaml"),
    ),
    (
        "sdg",
        "es",
        include_str!("vocabularies/translations/sdg.es.yaml"),
    ),
    (
        "sdg",
        "ar",
        include_str!("vocabularies/translations/sdg.ar.yaml"),
    ),
    (
        "gcm",
        "fr",
        include_str!("vocabularies/translations/gcm.fr.yaml"),
    ),
    (
        "gcm",
        "es",
        include_str!("vocabularies/translations/gcm.es.yaml"),
    ),
    (
        "gcm",
        "ar",
        include_str!("vocabularies/translations/gcm.ar.yaml"),
    ),
    (
        "gcm_areas",
        "fr",
        include_str!("vocabularies/translations/gcm_areas.fr.yaml"),
    ),
    (
        "gcm_areas",
        "es",
        include_str!("vocabularies/translations/gcm_areas.es.yaml"),
    ),
    (
        "gcm_areas",
        "ar",
        include_str!("vocabularies/translations/gcm_areas.ar.yaml"),
    ),
    (
        "levels",
        "fr",
        include_str!("vocabularies/translations/levels.fr.yaml"),
    ),
    (
        "levels",
        "es",
        include_str!("vocabularies/translations/levels.es.yaml"),
    ),
    (
        "levels",
        "ar",
        include_str!("vocabularies/translations/levels.ar.yaml"),
    ),
    (
        "geography",
        "fr",
        include_str!("vocabularies/translations/geography.fr.yaml"),
    ),
    (
        "geography",
        "es",
        include_str!("vocabularies/translations/geography.es.yaml"),
    ),
    (
        "geography",
        "ar",
        include_str!("vocabularies/translations/geography.ar.yaml"),
    ),
];

/// One term's words in another language; what is left out stays in the
/// vocabulary's own language.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermWords {
    label: Option<String>,
    short: Option<String>,
    description: Option<String>,
}

/// One term of a vocabulary or of a free-tag facet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// What authors write ("10.7", "PH", "local").
    pub code: String,
    /// URL segment, unique within its facet.
    pub slug: String,
    /// Display name ("Target 10.7").
    pub label: String,
    /// What a label that is only a code means, in a few words ("Facilitate
    /// orderly, safe, regular and responsible migration"); empty when the
    /// label says it already ("Local", "Kenya"). See [`Term::name`].
    pub short: String,
    /// Longer explanation (for SDG targets, the official text).
    pub description: String,
    /// Index of the parent term, if any.
    pub parent: Option<usize>,
    /// Indices of the child terms, in order.
    pub children: Vec<usize>,
    /// Hierarchy depth, 1 for top-level terms.
    pub depth: usize,
}

impl Term {
    /// The name readers see wherever the term appears: the label with its
    /// short name ("Target 10.7: Facilitate orderly, safe, regular and
    /// responsible migration"), since "Target 10.7" alone is a code that
    /// tells a reader nothing; the label alone when there is no short name.
    pub fn name(&self) -> String {
        if self.short.is_empty() {
            self.label.clone()
        } else {
            format!("{}: {}", self.label, self.short)
        }
    }

    /// What a list shows beside [`Term::name`]: the description, unless
    /// the name carries a short name, whose description is then the long
    /// text (an SDG target's official wording) kept for the term's page.
    pub fn gloss(&self) -> &str {
        if self.short.is_empty() {
            &self.description
        } else {
            ""
        }
    }
}

/// A hierarchy of terms, flattened in pre-order (parents before children).
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// Key used by facets.
    pub key: String,
    /// Display name.
    pub label: String,
    /// Names of the hierarchy levels, top first ("Goal", "Target").
    pub levels: Vec<String>,
    /// All terms, parents before their children.
    pub terms: Vec<Term>,
    lookup: HashMap<String, usize>,
    /// Each term's code and label, [`normalise`]d once for suggestions.
    folded: Vec<[String; 2]>,
}

/// Why an author's value did not resolve, with the nearest valid values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoMatch {
    /// The closest code or label, if one is close enough.
    pub suggestion: Option<String>,
    /// The values allowed, when the list is short enough to print.
    pub allowed: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    key: String,
    label: String,
    levels: Vec<String>,
    terms: Vec<TermFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TermFile {
    code: yaml::Scalar,
    label: String,
    #[serde(default)]
    short: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    aliases: Vec<yaml::Scalar>,
    #[serde(default)]
    children: Vec<TermFile>,
}

impl Vocabulary {
    /// Parses a vocabulary file; `path` is used in diagnostics only.
    pub fn parse(text: &str, path: &Path) -> Result<Vocabulary, Vec<Diagnostic>> {
        let file: VocabularyFile =
            serde_yaml::from_str(text).map_err(|e| vec![yaml::diagnostic(path, text, &e, 0)])?;
        let mut vocabulary = Vocabulary {
            key: file.key,
            label: file.label,
            levels: file.levels,
            terms: Vec::new(),
            lookup: HashMap::new(),
            folded: Vec::new(),
        };
        let mut problems = Vec::new();
        vocabulary.add_terms(file.terms, None, path, &mut problems);
        if problems.is_empty() {
            Ok(vocabulary)
        } else {
            Err(problems)
        }
    }

    /// Adds terms under `parent`, merging children into terms whose code exists.
    fn add_terms(
        &mut self,
        terms: Vec<TermFile>,
        parent: Option<usize>,
        path: &Path,
        problems: &mut Vec<Diagnostic>,
    ) {
        for t in terms {
            let code = t.code.0.trim().to_string();
            let existing = self.lookup.get(&normalise(&code)).copied();
            let index = match existing {
                Some(i) if self.terms[i].parent == parent => i,
                _ => match self.push_term(&t, code, parent, path) {
                    Ok(i) => i,
                    Err(d) => {
                        problems.push(d);
                        continue;
                    }
                },
            };
            self.add_terms(t.children, Some(index), path, problems);
        }
    }

    fn push_term(
        &mut self,
        t: &TermFile,
        code: String,
        parent: Option<usize>,
        path: &Path,
    ) -> Result<usize, Diagnostic> {
        let index = self.terms.len();
        let depth = parent.map_or(1, |p| self.terms[p].depth + 1);
        // The slug is the term's URL segment: it must exist and be its own.
        let slug = slugify(&code);
        let clash = self.terms.iter().find(|other| other.slug == slug);
        if slug.is_empty() || clash.is_some() {
            let why = clash.map_or("has no letters or digits".to_string(), |other| {
                format!("would share the URL segment `{slug}` with `{}`", other.code)
            });
            let message = format!("vocabulary `{}`: code \"{code}\" {why}", self.key);
            return Err(Diagnostic::error(path, message)
                .help("give the term a code with different letters or digits"));
        }
        let names = std::iter::once(code.as_str())
            .chain(std::iter::once(t.label.as_str()))
            .chain(t.aliases.iter().map(|a| a.0.as_str()));
        for name in names {
            let key = normalise(name);
            match self.lookup.get(&key) {
                Some(&other) if other != index => {
                    return Err(Diagnostic::error(
                        path,
                        format!(
                            "vocabulary `{}`: \"{name}\" names both `{}` and `{code}`",
                            self.key, self.terms[other].code
                        ),
                    ));
                }
                _ => {
                    self.lookup.insert(key, index);
                }
            }
        }
        if let Some(p) = parent {
            self.terms[p].children.push(index);
        }
        self.folded.push([normalise(&code), normalise(&t.label)]);
        self.terms.push(Term {
            slug,
            code,
            label: t.label.clone(),
            short: t.short.clone(),
            description: t.description.clone(),
            parent,
            children: Vec::new(),
            depth,
        });
        Ok(index)
    }

    /// Merges the terms of `other` into this vocabulary (an `extend` file).
    fn extend(&mut self, text: &str, path: &Path) -> Result<(), Vec<Diagnostic>> {
        let file: VocabularyFile =
            serde_yaml::from_str(text).map_err(|e| vec![yaml::diagnostic(path, text, &e, 0)])?;
        let mut problems = Vec::new();
        self.add_terms(file.terms, None, path, &mut problems);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The depth (1-based) of a level name such as "Target", case-insensitively.
    pub fn level_depth(&self, name: &str) -> Option<usize> {
        let name = normalise(name);
        self.levels
            .iter()
            .position(|l| normalise(l) == name)
            .map(|i| i + 1)
    }

    /// Resolves an author's value to a term, optionally only at `depth`.
    pub fn resolve(&self, value: &str, depth: Option<usize>) -> Result<usize, NoMatch> {
        match self.lookup.get(&normalise(value)) {
            Some(&i) if depth.is_none_or(|d| self.terms[i].depth == d) => Ok(i),
            _ => Err(self.no_match(value, depth)),
        }
    }

    /// Found by fuzzing: a 6 KB front matter of 1,500 unknown codes took
    /// seconds when every miss normalised every name of the vocabulary
    /// again, and one value of 7 KB did when compared with each name
    /// (strsim's Jaro takes the product of the two lengths). Names are now
    /// normalised once, and a value longer than [`MAX_SUGGESTED`] characters,
    /// a paste rather than a typo, gets no suggestion.
    fn no_match(&self, value: &str, depth: Option<usize>) -> NoMatch {
        let candidates: Vec<(&Term, &[String; 2])> = self
            .terms
            .iter()
            .zip(&self.folded)
            .filter(|(t, _)| depth.is_none_or(|d| t.depth == d))
            .collect();
        let wanted = &normalise(value);
        let typo = wanted.chars().count() <= MAX_SUGGESTED;
        let suggestion = candidates
            .iter()
            .filter(|_| typo)
            .flat_map(|&(t, names)| names.iter().map(move |name| (t, similarity(wanted, name))))
            .filter(|(_, score)| *score > 0.8)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(t, _)| t.code.clone());
        let allowed = (candidates.len() <= 12)
            .then(|| candidates.iter().map(|(t, _)| t.code.clone()).collect());
        NoMatch {
            suggestion,
            allowed,
        }
    }

    /// The message and help for a value that did not resolve at `depth`.
    pub fn explain(&self, value: &str, depth: Option<usize>, miss: NoMatch) -> (String, String) {
        let level = depth
            .and_then(|d| self.levels.get(d - 1))
            .map_or("term".to_string(), |l| l.to_lowercase());
        let message = format!("unknown {level} \"{value}\" in {}", self.label);
        let help = match (miss.suggestion, miss.allowed) {
            (Some(s), _) => format!("did you mean \"{s}\"?"),
            (None, Some(all)) => format!("expected one of: {}", all.join(", ")),
            (None, None) => format!(
                "use a code, name or alias from the vocabulary `{}` ({}; see the README)",
                self.key, self.label
            ),
        };
        (message, help)
    }

    /// The term and its ancestors, nearest first.
    pub fn ancestors(&self, term: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(term), |&t| self.terms[t].parent)
    }
}

/// The longest value, in characters, for which a close name is suggested
/// (the longest built-in label has 84).
const MAX_SUGGESTED: usize = 200;

/// How alike an author's value and a vocabulary name are (0 to 1). Short
/// codes ("AL") are only compared with short input, so "Atlantis" is not
/// taken for Albania.
fn similarity(wanted: &str, name: &str) -> f64 {
    if name.len() <= 3 && wanted.len() > name.len() + 2 {
        return 0.0;
    }
    strsim::jaro_winkler(wanted, name)
}

/// A site's vocabularies by key, shared: the schema, the taxonomy and the
/// scaffold all read the same ones.
pub type Vocabularies = BTreeMap<String, std::sync::Arc<Vocabulary>>;

/// Loads every vocabulary the config declares: built-ins, files and extensions.
pub fn load_all(root: &Path, config: &Config) -> Result<Vocabularies> {
    let mut vocabularies = BTreeMap::new();
    let mut problems = Vec::new();
    for (key, source) in &config.vocabularies {
        match load_one(root, key, source) {
            Ok(v) => {
                vocabularies.insert(key.clone(), std::sync::Arc::new(v));
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok(vocabularies)
    } else {
        Err(Error::Content(problems))
    }
}

fn load_one(
    root: &Path,
    key: &str,
    source: &crate::config::VocabularySource,
) -> Result<Vocabulary, Vec<Diagnostic>> {
    let config_path = PathBuf::from(crate::config::CONFIG_FILE);
    let mut vocabulary = match (&source.builtin, &source.file) {
        (Some(name), None) => {
            let Some((_, text)) = BUILTIN.iter().find(|(n, _)| n == name) else {
                let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
                return Err(vec![Diagnostic::error(
                    config_path,
                    format!("vocabulary `{key}`: no built-in vocabulary named `{name}`"),
                )
                .help(format!("built-in vocabularies: {}", names.join(", ")))]);
            };
            Vocabulary::parse(text, Path::new(&format!("<built-in {name}>")))?
        }
        (None, Some(file)) => {
            let text = read_site_file(root, file)?;
            Vocabulary::parse(&text, file)?
        }
        _ => {
            return Err(vec![Diagnostic::error(
                config_path,
                format!("vocabulary `{key}` needs exactly one of `builtin` or `file`"),
            )])
        }
    };
    for file in &source.extend {
        let text = read_site_file(root, file)?;
        vocabulary.extend(&text, file)?;
    }
    Ok(vocabulary)
}

/// The vocabularies with their labels in `language`: a term's label, short
/// name and description are taken from the translation table of its
/// vocabulary when it gives them (the built-in tables for built-in
/// vocabularies; `x.fr.yaml` beside a site's `x.yaml`, for each of its
/// files and extensions), else kept in the default language: never empty.
/// Terms keep their codes and slugs, so URLs are the same in every language.
pub fn localized(
    vocabularies: &Vocabularies,
    root: &Path,
    config: &Config,
    language: &str,
) -> Result<Vocabularies> {
    let mut problems = Vec::new();
    let mut out = Vocabularies::new();
    for (key, vocabulary) in vocabularies {
        let mut vocabulary = Vocabulary::clone(vocabulary);
        if let Some(source) = config.vocabularies.get(key) {
            for (path, text) in translation_tables(root, source, language) {
                if let Err(mut p) = vocabulary.translate(&text, &path) {
                    problems.append(&mut p);
                }
            }
        }
        if crate::text::direction(language) == "rtl" {
            isolate_latin_codes(&mut vocabulary);
        }
        out.insert(key.clone(), std::sync::Arc::new(vocabulary));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Content(problems))
    }
}

/// In a right-to-left language, a code with Latin letters inside a label
/// ("الغاية 10.c") is wrapped in a left-to-right isolate (U+2066 … U+2069):
/// without it the bidirectional algorithm shows "c.10".
fn isolate_latin_codes(vocabulary: &mut Vocabulary) {
    for term in &mut vocabulary.terms {
        let code = &term.code;
        if code.bytes().any(|b| b.is_ascii_alphabetic()) && term.label.contains(code.as_str()) {
            term.label = term
                .label
                .replace(code.as_str(), &format!("\u{2066}{code}\u{2069}"));
        }
    }
}

/// The translation tables of one vocabulary source in `language`, each
/// with the path shown in messages.
fn translation_tables(
    root: &Path,
    source: &crate::config::VocabularySource,
    language: &str,
) -> Vec<(PathBuf, String)> {
    let builtin = source.builtin.iter().flat_map(|name| {
        (BUILTIN_TRANSLATIONS.iter())
            .filter(move |(n, l, _)| n == name && *l == language)
            .map(move |(_, _, text)| {
                let path = format!("<built-in {name}, {language}>");
                (PathBuf::from(path), text.to_string())
            })
    });
    let files = source.file.iter().chain(&source.extend).filter_map(|file| {
        let stem = file.file_stem()?.to_string_lossy();
        let ext = file
            .extension()
            .map_or("yaml".into(), |e| e.to_string_lossy());
        let sibling = file.with_file_name(format!("{stem}.{language}.{ext}"));
        let text = fsio::read_to_string(&root.join(&sibling)).ok()?;
        Some((sibling, text))
    });
    builtin.chain(files).collect()
}

impl Vocabulary {
    /// Puts the words of a translation table (`code: {label, short,
    /// description}`) on the terms it names; a code the vocabulary lacks is
    /// an error, as it is in an extension.
    fn translate(&mut self, text: &str, path: &Path) -> Result<(), Vec<Diagnostic>> {
        let table: BTreeMap<String, TermWords> =
            serde_yaml::from_str(text).map_err(|e| vec![yaml::diagnostic(path, text, &e, 0)])?;
        let mut problems = Vec::new();
        for (code, words) in table {
            let Some(term) = self.terms.iter_mut().find(|t| t.code == code) else {
                let message = format!("`{code}` is not a term of vocabulary `{}`", self.key);
                problems.push(
                    Diagnostic::error(path, message)
                        .help("translate only the terms of the vocabulary, by their code"),
                );
                continue;
            };
            let filled = |w: Option<String>| w.filter(|w| !w.trim().is_empty());
            if let Some(label) = filled(words.label) {
                term.label = label;
            }
            if let Some(short) = filled(words.short) {
                term.short = short;
            }
            if let Some(description) = filled(words.description) {
                term.description = description;
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

fn read_site_file(root: &Path, file: &Path) -> Result<String, Vec<Diagnostic>> {
    fsio::read_to_string(&root.join(file))
        .map_err(|e| vec![Diagnostic::error(crate::config::CONFIG_FILE, e.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin(name: &str) -> Vocabulary {
        let text = BUILTIN.iter().find(|(n, _)| *n == name).unwrap().1;
        Vocabulary::parse(text, Path::new(name)).expect("built-in vocabulary parses")
    }

    #[test]
    fn each_term_needs_a_url_segment_of_its_own() {
        let vocabulary = |codes: &[&str]| {
            let terms: String = codes
                .iter()
                .map(|c| format!("  - {{ code: \"{c}\", label: \"Term {c}\" }}\n"))
                .collect();
            let text = format!("key: v\nlabel: V\nlevels: [Term]\nterms:\n{terms}");
            Vocabulary::parse(&text, Path::new("v.yaml"))
        };
        assert!(vocabulary(&["A.1", "b-1"]).is_ok());
        let clash = vocabulary(&["A.1", "a-1"]).unwrap_err();
        assert!(
            clash[0]
                .message
                .contains("share the URL segment `a-1` with `A.1`"),
            "{clash:?}"
        );
        let empty = vocabulary(&["#"]).unwrap_err();
        assert!(
            empty[0].message.contains("no letters or digits"),
            "{empty:?}"
        );
    }

    #[test]
    fn a_typo_gets_a_suggestion_and_a_pasted_paragraph_none() {
        let geography = builtin("geography");
        let miss = geography.resolve("Philipines", None).unwrap_err();
        assert_eq!(miss.suggestion.as_deref(), Some("PH"));
        let paragraph = "The Philippines ".repeat(500);
        let miss = geography.resolve(&paragraph, None).unwrap_err();
        assert_eq!(miss.suggestion, None);
        let started = std::time::Instant::now();
        for _ in 0..1_500 {
            assert!(geography.resolve("zq", None).is_err());
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn sdg_has_17_goals_and_169_targets() {
        let sdg = builtin("sdg");
        assert_eq!(sdg.terms.iter().filter(|t| t.depth == 1).count(), 17);
        assert_eq!(sdg.terms.iter().filter(|t| t.depth == 2).count(), 169);
    }

    /// Whether `short` is `full` trimmed, never reworded: pieces separated
    /// by "…", each a run of whole words of `full`, in order; the first
    /// piece may capitalise its first letter.
    fn is_trimmed_from(short: &str, full: &str) -> bool {
        let mut from = 0;
        for (i, piece) in short.split('…').map(str::trim).enumerate() {
            let mut first = piece.chars();
            let lowered = match (i, first.next()) {
                (0, Some(c)) => c.to_lowercase().chain(first).collect(),
                _ => piece.to_string(),
            };
            let found = [piece, lowered.as_str()]
                .iter()
                .filter(|p| !p.is_empty())
                .filter_map(|p| {
                    let at = from + full[from..].find(*p)?;
                    let end = at + p.len();
                    let alone = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
                    let whole =
                        alone(full[..at].chars().next_back()) && alone(full[end..].chars().next());
                    whole.then_some(end)
                })
                .min();
            match found {
                Some(end) => from = end,
                None => return false,
            }
        }
        true
    }

    #[test]
    fn sdg_short_names_are_the_official_text_trimmed() {
        assert!(is_trimmed_from(
            "Reduce … the transaction costs of migrant remittances",
            "By 2030, reduce to less than 3 per cent the transaction costs of migrant remittances"
        ));
        assert!(!is_trimmed_from(
            "Reduce remittance costs",
            "By 2030, reduce remittance fees"
        ));
        assert!(
            !is_trimmed_from("Cost", "By 2030, reduce costs"),
            "whole words only"
        );
        assert!(
            !is_trimmed_from("costs … reduce", "reduce costs"),
            "in order"
        );
        let sdg = builtin("sdg");
        for t in &sdg.terms {
            assert!(
                !t.short.is_empty() && !t.description.is_empty(),
                "{}",
                t.code
            );
            if t.depth == 2 {
                assert!(
                    is_trimmed_from(&t.short, &t.description),
                    "{}: {:?} is not a trim of {:?}",
                    t.code,
                    t.short,
                    t.description
                );
                assert!(
                    t.short.chars().count() <= 72,
                    "{}: too long for a card",
                    t.code
                );
            }
        }
        let target = sdg.resolve("10.7", Some(2)).unwrap();
        assert_eq!(
            sdg.terms[target].name(),
            "Target 10.7: Facilitate orderly, safe, regular and responsible migration"
        );
    }

    #[test]
    fn a_term_without_a_short_name_is_named_by_its_label() {
        let levels = builtin("levels");
        let local = levels.resolve("local", None).unwrap();
        assert_eq!(levels.terms[local].name(), "Local");
        let gcm = builtin("gcm");
        let o5 = gcm.resolve("5", Some(2)).unwrap();
        assert_eq!(gcm.terms[o5].name(), "Objective 5: Regular pathways");
    }

    #[test]
    fn target_codes_normalise_and_imply_their_goal() {
        let sdg = builtin("sdg");
        let t = sdg.resolve(" 10.C ", Some(2)).unwrap();
        assert_eq!(sdg.terms[t].code, "10.c");
        let goal = sdg.ancestors(t).nth(1).unwrap();
        assert_eq!(sdg.terms[goal].code, "10");
        assert!(sdg.resolve("10.99", Some(2)).is_err());
        assert!(
            sdg.resolve("10", Some(2)).is_err(),
            "a goal is not a target"
        );
    }

    #[test]
    fn gcm_objectives_group_into_four_round_tables() {
        let gcm = builtin("gcm");
        assert_eq!(gcm.terms.iter().filter(|t| t.depth == 1).count(), 4);
        assert_eq!(gcm.terms.iter().filter(|t| t.depth == 2).count(), 23);
        let o19 = gcm.resolve("19", Some(2)).unwrap();
        assert_eq!(gcm.terms[gcm.terms[o19].parent.unwrap()].code, "rt3");
    }

    #[test]
    fn countries_resolve_by_code_name_and_alias_and_imply_regions() {
        let geo = builtin("geography");
        let ph = geo.resolve("PH", Some(3)).unwrap();
        assert_eq!(geo.resolve("philippines", Some(3)), Ok(ph));
        assert!(geo.resolve("Vietnam", Some(3)).is_ok());
        assert!(geo.resolve("cote d'ivoire", Some(3)).is_ok());
        let names: Vec<&str> = geo
            .ancestors(ph)
            .map(|t| geo.terms[t].label.as_str())
            .collect();
        assert_eq!(names, ["Philippines", "South-eastern Asia", "Asia"]);
    }

    #[test]
    fn levels_accept_aliases_and_list_allowed_values() {
        let levels = builtin("levels");
        assert_eq!(
            levels.resolve("International", None),
            levels.resolve("global", None)
        );
        let miss = levels.resolve("municipal", None).unwrap_err();
        assert_eq!(miss.allowed.unwrap().len(), 5);
    }

    #[test]
    fn normalise_folds_case_accents_and_spaces() {
        assert_eq!(normalise("  Côte   d'Ivoire "), "cote d'ivoire");
        assert_eq!(normalise("الأردن"), "الاردن");
        assert_eq!(slugify("10.7"), "10-7");
        assert_eq!(slugify("Policy  Coherence!"), "policy-coherence");
    }
}
