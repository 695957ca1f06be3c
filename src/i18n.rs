//! UI strings: every word the theme prints, per language, from translation
//! files (`themes/default/i18n/<lang>.yaml`).
//!
//! The portal speaks to its readers in several languages (issue 13), so no
//! word of the theme may be written into a template or into Rust: templates
//! call `t(k="key")` and renderers ask [`Strings`]. A file maps keys to
//! texts (`nav.search: Search`); a text that names a count is a map of CLDR
//! plural categories (`{one: "{n} case study", other: "{n} case studies"}`),
//! chosen by ICU4X's plural rules because hand-written rules get Arabic's six
//! forms wrong. `{n}` is the count, written the locale's way (ICU4X decimal
//! formatting: "10 000" in French), and `{name}` any other value the caller
//! gives.
//!
//! The built-in files are embedded in the binary like the templates; a site
//! overrides any key by writing it in its own `themes/default/i18n/<lang>.yaml`
//! (merged key by key), and adds a language the theme lacks the same way. A
//! key a language lacks falls back to the site's default language, then to
//! the theme's English, whose built-in file holds every key the theme uses:
//! a reader never sees an empty string or a key. [`Catalog::missing`] names
//! what each language lacks, for `check` to warn about.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};

use crate::diagnostics::Diagnostic;

/// The folder of translation files, inside the theme folder.
pub const I18N_DIR: &str = "i18n";

/// The theme's own language: its built-in file has every key, so it is
/// where every chain of fallbacks ends.
pub const THEME_LANGUAGE: &str = "en";

/// The CLDR plural categories, in the order of [`PluralCategory`]'s values.
pub const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// Where [`CATEGORIES`]' `other` is: every plural text must have it.
const OTHER: usize = 5;

/// A text with its placeholders found once, when the file is read, not on
/// every page.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// `{name}`: a value the caller gives (`n` is the count).
    Arg(String),
}

impl Pattern {
    /// `{name}` (a letter or `_`, then letters, digits, `_`) is a
    /// placeholder; any other brace is text.
    fn parse(text: &str) -> Pattern {
        let mut pieces = Vec::new();
        let mut rest = text;
        let mut literal = String::new();
        while let Some(open) = rest.find('{') {
            literal.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            let name = &after[..name_len];
            let is_name = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
            if is_name && after[name_len..].starts_with('}') {
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Arg(name.to_string()));
                rest = &after[name_len + 1..];
            } else {
                literal.push('{');
                rest = after;
            }
        }
        literal.push_str(rest);
        if !literal.is_empty() || pieces.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Pattern { pieces }
    }

    fn args(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Arg(name) => Some(name.as_str()),
            Piece::Text(_) => None,
        })
    }

    /// The text itself when it has no placeholder.
    fn plain(&self) -> Option<&str> {
        match self.pieces.as_slice() {
            [Piece::Text(t)] => Some(t),
            _ => None,
        }
    }

    /// The text with each placeholder replaced by `arg(name)`, the
    /// file's own text passed through `text` (escaping, for a page); a
    /// placeholder the caller does not give stays as written (a site's
    /// placeholders are checked against the theme's when read, so only a
    /// key of the site's own meets this).
    fn fill(
        &self,
        out: &mut String,
        text: &dyn Fn(&str, &mut String),
        arg: &dyn Fn(&str) -> Option<String>,
    ) {
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => text(t, out),
                Piece::Arg(name) => match arg(name) {
                    Some(value) => out.push_str(&value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
    }
}

/// One key's text: plain, or one per plural category (`other` always).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Message {
    Text(Pattern),
    Plural(Box<[Option<Pattern>; 6]>),
}

impl Message {
    fn form(&self, category: usize) -> &Pattern {
        match self {
            Message::Text(p) => p,
            Message::Plural(forms) => forms[category]
                .as_ref()
                .or(forms[OTHER].as_ref())
                .expect("a plural text has an `other` form (checked when read)"),
        }
    }

    fn args(&self) -> BTreeSet<&str> {
        match self {
            Message::Text(p) => p.args().collect(),
            Message::Plural(forms) => forms.iter().flatten().flat_map(Pattern::args).collect(),
        }
    }
}

/// One language's texts by key, as read from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    messages: HashMap<String, Message>,
    /// The line of each key, for diagnostics about it.
    lines: HashMap<String, (usize, String)>,
}

impl Table {
    /// Reads a translation file. `path` names it in diagnostics (relative to
    /// the site root). Bad YAML, a value that is neither a text nor a map of
    /// plural forms, an unknown plural category or a plural text without
    /// `other` is an error at its line.
    pub fn parse(path: &Path, text: &str) -> Result<Table, Vec<Diagnostic>> {
        let value: serde_yaml::Value = serde_yaml::from_str(text)
            .map_err(|e| vec![crate::yaml::diagnostic(path, text, &e, 0)])?;
        let map = match value {
            serde_yaml::Value::Mapping(map) => map,
            serde_yaml::Value::Null => return Ok(Table::default()),
            _ => {
                let first = text.lines().next().unwrap_or("");
                return Err(vec![Diagnostic::error(
                    path,
                    "expected a map of UI string keys to texts",
                )
                .at(1, 1, first.chars().count().max(1), first)
                .help("write one `key: text` per line, e.g. `nav.search: Search`")]);
            }
        };
        let mut table = Table::default();
        let mut problems = Vec::new();
        let lines = key_lines(text);
        for (key, value) in &map {
            let key = crate::yaml::scalar_text(key).unwrap_or_default();
            let (line, line_text) = lines.get(key.as_str()).cloned().unwrap_or_default();
            let located = |d: Diagnostic| match line {
                0 => d.field(&key),
                _ => d
                    .at(line, 1, key.chars().count().max(1), &line_text)
                    .field(&key),
            };
            match message(value) {
                Ok(message) => {
                    table.lines.insert(key.clone(), (line, line_text.clone()));
                    table.messages.insert(key, message);
                }
                Err(problem) => {
                    problems.push(located(Diagnostic::error(path, problem.0)).help(problem.1))
                }
            }
        }
        if problems.is_empty() {
            Ok(table)
        } else {
            Err(problems)
        }
    }

    /// `other`'s texts in place of this table's, key by key.
    fn merge(&mut self, other: Table) {
        self.messages.extend(other.messages);
        self.lines.extend(other.lines);
    }

    fn keys(&self) -> impl Iterator<Item = &str> {
        self.messages.keys().map(String::as_str)
    }
}

/// What is wrong with a value, and what was expected.
struct Problem(String, String);

fn message(value: &serde_yaml::Value) -> Result<Message, Problem> {
    if let Some(text) = crate::yaml::scalar_text(value) {
        return Ok(Message::Text(Pattern::parse(&text)));
    }
    let serde_yaml::Value::Mapping(forms) = value else {
        return Err(Problem(
            "expected a text, or a map of plural forms".into(),
            "write `key: text`, or `key: {one: \"{n} case study\", other: \"{n} case studies\"}`"
                .into(),
        ));
    };
    let mut parsed: [Option<Pattern>; 6] = Default::default();
    for (category, text) in forms {
        let category = crate::yaml::scalar_text(category).unwrap_or_default();
        let Some(i) = CATEGORIES.iter().position(|c| *c == category) else {
            return Err(Problem(
                format!("unknown plural category `{category}`"),
                format!(
                    "expected one of {} (CLDR plural categories)",
                    CATEGORIES.join(", ")
                ),
            ));
        };
        let Some(text) = crate::yaml::scalar_text(text) else {
            return Err(Problem(
                format!("plural form `{category}` is not a text"),
                "write each form as `category: text`".into(),
            ));
        };
        parsed[i] = Some(Pattern::parse(&text));
    }
    if parsed[OTHER].is_none() {
        return Err(Problem(
            "a plural text needs an `other` form".into(),
            "add `other: …`: the form every language has, used for any category not written".into(),
        ));
    }
    Ok(Message::Plural(Box::new(parsed)))
}

/// Each top-level key's 1-based line and its text (the first, if a key is
/// written twice, which the YAML parser refuses anyway).
fn key_lines(text: &str) -> HashMap<&str, (usize, String)> {
    let mut lines = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(key) = crate::yaml::top_level_key(line) {
            lines
                .entry(key)
                .or_insert_with(|| (i + 1, line.to_string()));
        }
    }
    lines
}

/// Every language's table: the built-in files with the site's merged over
/// them, key by key.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    tables: BTreeMap<String, Table>,
    /// Each language's file as a site would write it (for diagnostics).
    paths: BTreeMap<String, PathBuf>,
    /// The theme folder those files are in, relative to the site.
    theme_dir: String,
}

/// A translation file: its language (the file name without `.yaml`), the
/// path diagnostics name, and its text.
pub struct Source<'a> {
    /// Language tag ("fr").
    pub lang: String,
    /// Path relative to the site root.
    pub path: PathBuf,
    /// Contents.
    pub text: std::borrow::Cow<'a, str>,
}

impl Catalog {
    /// Reads the built-in files, then the site's over them. Every problem
    /// of every file is returned, not only the first.
    /// `theme_dir`: the theme folder of the site's files, which the
    /// diagnostics name.
    pub fn load(
        theme_dir: &str,
        builtin: &[Source<'_>],
        site: &[Source<'_>],
    ) -> Result<Catalog, Vec<Diagnostic>> {
        let mut catalog = Catalog {
            theme_dir: theme_dir.to_string(),
            ..Catalog::default()
        };
        let mut problems = catalog.add(builtin, false);
        problems.extend(catalog.add(site, true));
        if problems.is_empty() {
            Ok(catalog)
        } else {
            Err(problems)
        }
    }

    /// This catalog with a site's files merged over it (see
    /// [`Catalog::load`]): the built-in files are read once per process,
    /// not for every build of `serve` nor twice per build.
    pub fn with_site(&self, site: &[Source<'_>]) -> Result<Catalog, Vec<Diagnostic>> {
        let mut catalog = self.clone();
        let problems = catalog.add(site, true);
        if problems.is_empty() {
            Ok(catalog)
        } else {
            Err(problems)
        }
    }

    /// Merges `sources` in, in order; returns their problems. A site's
    /// placeholders are checked against the theme's English.
    fn add(&mut self, sources: &[Source<'_>], is_site: bool) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for source in sources {
            match Table::parse(&source.path, &source.text) {
                Ok(table) => {
                    if is_site {
                        problems.extend(self.foreign_args(source, &table));
                    }
                    let lang = source.lang.clone();
                    self.paths.insert(lang.clone(), source.path.clone());
                    self.tables.entry(lang).or_default().merge(table);
                }
                Err(found) => problems.extend(found),
            }
        }
        problems
    }

    /// A site's text using a placeholder the theme's English text of the
    /// same key does not have: no caller gives it, so the reader would see
    /// `{name}` as written.
    fn foreign_args(&self, source: &Source<'_>, table: &Table) -> Vec<Diagnostic> {
        let Some(theme) = self.tables.get(THEME_LANGUAGE) else {
            return Vec::new();
        };
        let mut problems = Vec::new();
        for (key, message) in &table.messages {
            let Some(known) = theme.messages.get(key).map(Message::args) else {
                continue;
            };
            let foreign: Vec<&str> = message.args().difference(&known).copied().collect();
            if foreign.is_empty() {
                continue;
            }
            let (line, text) = &table.lines[key];
            let named = |names: &mut dyn Iterator<Item = &str>| {
                names
                    .map(|n| format!("{{{n}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut d = Diagnostic::error(
                &source.path,
                format!(
                    "unknown placeholder {}",
                    named(&mut foreign.iter().copied())
                ),
            )
            .field(key);
            if *line > 0 {
                d = d.at(*line, 1, key.chars().count().max(1), text);
            }
            problems.push(d.help(match known.is_empty() {
                true => "this text is given no value: write it without `{…}`".to_string(),
                false => format!("this text is given {}", named(&mut known.iter().copied())),
            }));
        }
        problems
    }

    /// The table of `lang` ("fr-CA" finds "fr"), if the theme or site has one.
    fn table(&self, lang: &str) -> Option<&Table> {
        self.tables
            .get(lang)
            .or_else(|| self.tables.get(primary(lang)))
    }

    /// The strings of `lang`, every key resolved once: `lang`'s own text,
    /// else `default`'s (the site's first language), else the theme's
    /// English.
    pub fn strings(&self, lang: &str, default: &str) -> Strings {
        let mut messages: FxHashMap<String, Message> = FxHashMap::default();
        for fallback in [THEME_LANGUAGE, default, lang] {
            if let Some(table) = self.table(fallback) {
                messages.extend(table.messages.iter().map(|(k, m)| (k.clone(), m.clone())));
            }
        }
        Strings::new(lang, messages)
    }

    /// One warning per language of `languages` that lacks keys (of the
    /// theme's English, or of another of those languages), naming its file
    /// and the keys; those texts fall back to the default language.
    pub fn missing(&self, languages: &[String]) -> Vec<Diagnostic> {
        let default = languages.first().map_or(THEME_LANGUAGE, String::as_str);
        let mut expected: BTreeSet<&str> = BTreeSet::new();
        for lang in std::iter::once(THEME_LANGUAGE).chain(languages.iter().map(String::as_str)) {
            expected.extend(self.table(lang).into_iter().flat_map(Table::keys));
        }
        let mut found = Vec::new();
        for lang in languages {
            let fallback = if lang == default {
                THEME_LANGUAGE
            } else {
                default
            };
            let path = self
                .paths
                .get(lang)
                .cloned()
                .unwrap_or_else(|| site_path(&self.theme_dir, lang));
            let Some(table) = self.table(lang) else {
                found.push(
                    Diagnostic::warning(&path, format!("no UI strings for language `{lang}`: every word of the theme falls back to `{fallback}`"))
                        .help(format!("write {} with a translation of every key of the theme's en.yaml", path.display())),
                );
                continue;
            };
            let lacking: Vec<&str> = expected
                .iter()
                .filter(|k| !table.messages.contains_key(**k))
                .copied()
                .collect();
            if !lacking.is_empty() {
                found.push(
                    Diagnostic::warning(
                        &path,
                        format!(
                        "{} UI string{} missing in `{lang}` (shown in `{fallback}` instead): {}",
                        lacking.len(),
                        if lacking.len() == 1 { "" } else { "s" },
                        lacking.join(", ")
                    ),
                    )
                    .help(format!(
                        "add them to {}",
                        site_path(&self.theme_dir, lang).display()
                    )),
                );
            }
        }
        found
    }
}

/// Where a site writes its translation file for `lang`, in the theme
/// folder `theme_dir`.
pub fn site_path(theme_dir: &str, lang: &str) -> PathBuf {
    Path::new(theme_dir)
        .join(I18N_DIR)
        .join(format!("{lang}.yaml"))
}

/// "fr" of "fr-CA".
pub fn primary(lang: &str) -> &str {
    lang.split(['-', '_']).next().unwrap_or(lang)
}

/// One language's strings, every key resolved, with its plural rules and
/// number format: what templates' `t` and renderers read.
pub struct Strings {
    lang: String,
    messages: FxHashMap<String, Message>,
    rules: PluralRules,
    numbers: DecimalFormatter,
    /// Per key, per plural category, the form if it has no placeholder,
    /// escaped once as `t` returns it: most calls of a page are these, and
    /// a facet page makes hundreds.
    ready: FxHashMap<String, [Option<tera::Value>; 6]>,
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strings")
            .field("lang", &self.lang)
            .field("keys", &self.messages.len())
            .finish()
    }
}

impl Strings {
    fn new(lang: &str, messages: FxHashMap<String, Message>) -> Strings {
        let locale = locale(lang);
        let rules = PluralRules::try_new_cardinal((&locale).into())
            .or_else(|_| PluralRules::try_new_cardinal(Locale::UNKNOWN.into()))
            .expect("compiled data has the root locale's plural rules");
        let numbers = DecimalFormatter::try_new((&locale).into(), Default::default())
            .or_else(|_| DecimalFormatter::try_new(Locale::UNKNOWN.into(), Default::default()))
            .expect("compiled data has the root locale's number format");
        let ready = (messages.iter())
            .map(|(key, m)| {
                let forms = std::array::from_fn(|category| {
                    m.form(category).plain().map(|text| {
                        let mut out = String::new();
                        escape(text, &mut out, false);
                        tera::Value::safe_string(&out)
                    })
                });
                (key.clone(), forms)
            })
            .collect();
        Strings {
            lang: lang.to_string(),
            messages,
            rules,
            numbers,
            ready,
        }
    }

    /// Template source that prints what `t(k="key", name=expr, …)` prints:
    /// the text of `key`, escaped as `t` escapes it, with `{{ expr }}` for
    /// each placeholder (`args`: name → Tera expression; an HTML
    /// template's `{{ }}` escapes a value as `t` does). `None` when that
    /// cannot be written as plain template text: a plural text, a
    /// placeholder without its expression, a text that could read as Tera
    /// (`{{`, `{%`, `{#`), a line break (it would move the lines of a
    /// template error), or outer spaces (a neighbouring tag's `-` would
    /// eat them, where it leaves a `{{ }}` alone).
    pub(crate) fn template_source(&self, key: &str, args: &[(&str, &str)]) -> Option<String> {
        let Message::Text(pattern) = self.messages.get(key)? else {
            return None;
        };
        let mut out = String::new();
        for piece in &pattern.pieces {
            match piece {
                Piece::Text(text) => {
                    if ["{{", "{%", "{#", "\n"].iter().any(|s| text.contains(s)) {
                        return None;
                    }
                    escape(text, &mut out, false);
                }
                Piece::Arg(name) => {
                    let expr = lookup(args, name)?;
                    out.push_str("{{ ");
                    out.push_str(&expr);
                    out.push_str(" }}");
                }
            }
        }
        (out.trim() == out).then_some(out)
    }

    /// The language these strings are in.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// Whether `key` has a text.
    pub fn has(&self, key: &str) -> bool {
        self.messages.contains_key(key)
    }

    /// The text of `key` (its `other` form if it is a plural text).
    ///
    /// Every key the theme uses is in the built-in English file (a test
    /// holds the templates to it), so the key itself is returned only for a
    /// key no file has: a bug, shown where it can be seen.
    pub fn get(&self, key: &str) -> String {
        self.format(key, &[])
    }

    /// The text of `key` with its `{name}` placeholders filled from `args`.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.render(key, None, &|name| lookup(args, name))
    }

    /// The plural form of `key` for `n`, `{n}` written the locale's way.
    pub fn plural(&self, key: &str, n: usize) -> String {
        self.plural_format(key, n, &[])
    }

    /// [`Strings::plural`] with other placeholders filled from `args`.
    pub fn plural_format(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        self.render(key, Some(n), &|name| lookup(args, name))
    }

    /// `n` written the locale's way: "10,000", "10 000", "10.000".
    pub fn number(&self, n: usize) -> String {
        self.numbers.format(&Decimal::from(n as u64)).to_string()
    }

    /// The CLDR category of `n` in this language ("one", "few"…).
    pub fn category(&self, n: usize) -> &'static str {
        CATEGORIES[category_index(self.rules.category_for(n))]
    }

    /// "a, b and c", with this language's words.
    pub fn list(&self, items: &[String]) -> String {
        match items.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => self.format(
                "list.and",
                &[
                    ("first", &rest.join(&self.get("list.separator"))),
                    ("last", last),
                ],
            ),
        }
    }

    /// "3 targets": `n` and the noun of the vocabulary level `name`: the
    /// key `level.<name>.count` (a language whose count and noun agree in
    /// ways "{n} {noun}" cannot say: Arabic's "غايتان", two targets), else
    /// `count.level` with the noun of `level.<name>`; a level no file
    /// names (a site's own vocabulary) gets the English plural of its name.
    pub fn level(&self, name: &str, n: usize) -> String {
        let counted = format!("level.{name}.count");
        if self.has(&counted) {
            return self.plural(&counted, n);
        }
        let key = format!("level.{name}");
        if self.has(&key) {
            return self.plural_format("count.level", n, &[("noun", &self.plural(&key, n))]);
        }
        let noun = match n {
            1 => lower_initial(name),
            _ => plural(name),
        };
        self.plural_format("count.level", n, &[("noun", &noun)])
    }

    /// The noun of level `name` in general, plural ("targets", a heading's
    /// "Goals"): the `other` form, not the form of some count.
    pub fn level_plural(&self, name: &str) -> String {
        let key = format!("level.{name}");
        match self.has(&key) {
            true => self.get(&key),
            false => plural(name),
        }
    }

    /// The noun of level `name` alone, in its form for `n` ("targets").
    pub fn level_noun(&self, name: &str, n: usize) -> String {
        let key = format!("level.{name}");
        match (self.has(&key), n) {
            (true, _) => self.plural(&key, n),
            (false, 1) => lower_initial(name),
            (false, _) => plural(name),
        }
    }

    /// The text of `key` (the form for `n` if given), placeholders filled
    /// by `arg` and `{n}` by `n`, the file's text as it is.
    fn render(&self, key: &str, n: Option<usize>, arg: &dyn Fn(&str) -> Option<String>) -> String {
        let Some(pattern) = self.pattern(key, n) else {
            return key.to_string();
        };
        if let Some(plain) = pattern.plain() {
            return plain.to_string();
        }
        let mut out = String::new();
        pattern.fill(&mut out, &|t, out| out.push_str(t), &|name| {
            self.arg(name, n, arg)
        });
        out
    }

    /// `{n}` for `n`, else the caller's value.
    fn arg(
        &self,
        name: &str,
        n: Option<usize>,
        arg: &dyn Fn(&str) -> Option<String>,
    ) -> Option<String> {
        match (name, n) {
            ("n", Some(n)) => Some(self.number(n)),
            _ => arg(name),
        }
    }

    /// The form of `key` for `n` (its only form, or `other`, without `n`).
    fn pattern(&self, key: &str, n: Option<usize>) -> Option<&Pattern> {
        let category = n.map_or(OTHER, |n| category_index(self.rules.category_for(n)));
        self.messages.get(key).map(|m| m.form(category))
    }

    /// The browser's strings (keys starting `js.`), as one JSON object for
    /// the page: plain texts as strings, plural texts as maps of category
    /// to text, `{n}` left for the script (which counts with
    /// `Intl.PluralRules` and `Intl.NumberFormat` in the page's language).
    /// Not yet safe inside a script element: see
    /// `structured::script_safe`.
    pub fn script_json(&self) -> String {
        let mut out = serde_json::Map::new();
        let mut keys: Vec<&String> = self
            .messages
            .keys()
            .filter(|k| k.starts_with("js."))
            .collect();
        keys.sort();
        for key in keys {
            let value = match &self.messages[key] {
                Message::Text(p) => serde_json::Value::String(source(p)),
                Message::Plural(forms) => serde_json::Value::Object(
                    (forms.iter().zip(CATEGORIES))
                        .filter_map(|(p, c)| {
                            p.as_ref()
                                .map(|p| (c.to_string(), serde_json::Value::String(source(p))))
                        })
                        .collect(),
                ),
            };
            out.insert(key["js.".len()..].to_string(), value);
        }
        // The filter panel names a term's children by their level, plural
        // and capitalised as a heading ("Targets").
        let mut levels: Vec<&String> = self
            .messages
            .keys()
            .filter(|k| k.starts_with("level.") && !k.ends_with(".count"))
            .collect();
        levels.sort();
        let levels: serde_json::Map<String, serde_json::Value> = (levels.into_iter())
            .map(|key| {
                let name = key["level.".len()..].to_string();
                (name, serde_json::Value::String(capitalised(&self.get(key))))
            })
            .collect();
        out.insert("levels".into(), serde_json::Value::Object(levels));
        serde_json::Value::Object(out).to_string()
    }

    /// The Tera function `t(k="key", n=3, label="…")` bound to these
    /// strings: the text escaped for HTML (not `'`: the theme quotes its
    /// attributes with `"`, and a text's apostrophe reads as it was
    /// written), values given to placeholders escaped unless marked safe.
    pub(crate) fn tera_function(
        strings: Arc<Strings>,
    ) -> impl Fn(tera::Kwargs, &tera::State) -> tera::TeraResult<tera::Value> + Send + Sync + 'static
    {
        move |kwargs: tera::Kwargs, _: &tera::State| strings.call(&kwargs)
    }

    fn call(&self, kwargs: &tera::Kwargs) -> tera::TeraResult<tera::Value> {
        let key: &str = kwargs.must_get("k")?;
        let Some(ready) = self.ready.get(key) else {
            return Err(tera::Error::message(format!(
                "t: no UI string `{key}` in any translation file (themes/default/i18n/*.yaml)"
            )));
        };
        let n = match kwargs.get::<tera::Value>("n")? {
            None => None,
            Some(v) => Some(v.as_u64().ok_or_else(|| {
                tera::Error::message(format!(
                    "t(k=\"{key}\"): `n` must be a whole number ≥ 0, got {v}"
                ))
            })? as usize),
        };
        let category = n.map_or(OTHER, |n| category_index(self.rules.category_for(n)));
        if let Some(value) = &ready[category] {
            return Ok(value.clone());
        }
        let pattern = self.messages[key].form(category);
        let mut out = String::new();
        pattern.fill(&mut out, &|t, out| escape(t, out, false), &|name| {
            self.arg(name, n, &|name| {
                let value = kwargs.get::<tera::Value>(name).ok().flatten()?;
                let raw = match value.as_str() {
                    Some(s) => s.to_string(),
                    None => value.to_string(),
                };
                Some(match value.is_safe() {
                    true => raw,
                    false => {
                        let mut out = String::with_capacity(raw.len());
                        escape(&raw, &mut out, true);
                        out
                    }
                })
            })
        });
        Ok(tera::Value::safe_string(&out))
    }
}

/// Escapes `text` for HTML: `& < > "`, and `'` if `apostrophe`. A value
/// given to a placeholder is escaped as the templates escape every value
/// (`'` too: `templates::escape_html`); the file's own text keeps its
/// apostrophes (the theme quotes its attributes with `"`), so that a page
/// reads in its source as the text was written, as it did when the words
/// were in the templates.
fn escape(text: &str, out: &mut String, apostrophe: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' if apostrophe => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `label` as it reads inside a sentence: "Governance level" → "governance
/// level", but "SDG target" and "GCM objective" keep their acronyms (only an
/// initial capital followed by a lower-case letter is lowered).
pub fn lower_initial(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => first
            .to_lowercase()
            .chain(label[first.len_utf8()..].chars())
            .collect(),
        _ => label.to_string(),
    }
}

/// The English plural of a level name, lower-cased as in a sentence
/// ("Target" → "targets", "Country" → "countries"; the search page's
/// `plurals` does the same).
pub fn plural(name: &str) -> String {
    let name = lower_initial(name);
    let before_y = name.strip_suffix('y');
    match before_y {
        Some(stem) if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) => format!("{stem}ies"),
        _ => format!("{name}s"),
    }
}

/// "Targets" of "targets".
pub fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// A pattern as the file wrote it, placeholders included.
fn source(p: &Pattern) -> String {
    let mut out = String::new();
    p.fill(&mut out, &|t, out| out.push_str(t), &|_| None);
    out
}

fn lookup(args: &[(&str, &str)], name: &str) -> Option<String> {
    args.iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn category_index(category: PluralCategory) -> usize {
    match category {
        PluralCategory::Zero => 0,
        PluralCategory::One => 1,
        PluralCategory::Two => 2,
        PluralCategory::Few => 3,
        PluralCategory::Many => 4,
        PluralCategory::Other => 5,
    }
}

/// The ICU locale of a language tag, with Latin digits unless the tag asks
/// for others (`-u-nu-…`): the rest of each page (years, dates, counts in
/// the templates) is in Latin digits, so Arabic counts are too
/// (`ar-u-nu-latn`). A tag ICU cannot read is the root locale.
fn locale(lang: &str) -> Locale {
    let tag = if lang.contains("-u-") {
        lang.to_string()
    } else {
        format!("{lang}-u-nu-latn")
    };
    Locale::try_from_str(&tag)
        .or_else(|_| Locale::try_from_str(lang))
        .unwrap_or(Locale::UNKNOWN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Catalog {
        crate::templates::builtin_catalog()
    }

    fn source(lang: &str, text: &str) -> Source<'static> {
        Source {
            lang: lang.into(),
            path: site_path("themes/default", lang),
            text: std::borrow::Cow::Owned(text.to_string()),
        }
    }

    #[test]
    fn labels_in_a_sentence_keep_their_acronyms() {
        assert_eq!(lower_initial("Governance level"), "governance level");
        assert_eq!(lower_initial("SDG target"), "SDG target");
        assert_eq!(lower_initial("GCM objective"), "GCM objective");
        assert_eq!(lower_initial("Éducation"), "éducation");
        assert_eq!(lower_initial("A"), "A");
        assert_eq!(lower_initial(""), "");
    }

    #[test]
    fn level_names_pluralise() {
        assert_eq!(plural("Target"), "targets");
        assert_eq!(plural("Country"), "countries");
        assert_eq!(plural("Round table"), "round tables");
        assert_eq!(plural("Sub-region"), "sub-regions");
        assert_eq!(plural("Day"), "days");
    }

    #[test]
    fn plural_categories_follow_cldr() {
        let catalog = builtin();
        let ar = catalog.strings("ar", "en");
        let got: Vec<&str> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|&n| ar.category(n))
            .collect();
        assert_eq!(got, ["zero", "one", "two", "few", "many", "other"]);
        let fr = catalog.strings("fr", "en");
        assert_eq!(
            (fr.category(0), fr.category(1), fr.category(2)),
            ("one", "one", "other")
        );
        let en = catalog.strings("en", "en");
        assert_eq!(
            (en.category(0), en.category(1), en.category(2)),
            ("other", "one", "other")
        );
    }

    #[test]
    fn arabic_counts_take_all_six_forms() {
        let ar = builtin().strings("ar", "en");
        let got: Vec<String> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|&n| ar.plural("count.cases", n))
            .collect();
        assert_eq!(
            got,
            [
                "لا توجد دراسات حالة",
                "دراسة حالة واحدة",
                "دراستا حالة",
                "3 دراسات حالة",
                "11 دراسة حالة",
                "100 دراسة حالة"
            ]
        );
        assert_eq!(ar.level("Target", 2), "غايتان");
        assert_eq!(ar.level("Target", 5), "5 غايات");
    }

    #[test]
    fn numbers_are_written_the_locale_s_way() {
        let catalog = builtin();
        let number = |lang: &str| catalog.strings(lang, "en").number(10_000);
        assert_eq!(number("en"), "10,000");
        assert_eq!(number("fr"), "10\u{202f}000");
        assert_eq!(number("es"), "10.000");
        assert_eq!(number("ar"), "10,000", "Latin digits (ar-u-nu-latn)");
        assert_eq!(
            catalog.strings("es", "en").number(1000),
            "1000",
            "es groups from 5 digits"
        );
        let fr = catalog.strings("fr", "en");
        assert_eq!(
            fr.plural("count.cases", 12_345),
            "12\u{202f}345 études de cas"
        );
        assert_eq!(
            fr.plural("count.cases", 0),
            "0 étude de cas",
            "0 is singular in French"
        );
    }

    #[test]
    fn english_reads_as_the_theme_always_did() {
        let en = builtin().strings("en", "en");
        assert_eq!(en.plural("count.cases", 1), "1 case study");
        assert_eq!(en.plural("count.cases", 2), "2 case studies");
        assert_eq!(en.level("Target", 1), "1 target");
        assert_eq!(en.level("Country", 3), "3 countries");
        assert_eq!(en.level("Widget", 3), "3 widgets", "a level no file names");
        assert_eq!(
            en.list(&["8 goals".into(), "145 targets".into()]),
            "8 goals and 145 targets"
        );
        assert_eq!(en.list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(en.plural("card.more", 2), "+2 more");
    }

    #[test]
    fn a_missing_key_falls_back_to_the_default_language_then_english() {
        let site = [
            source("de", "nav.home: Startseite\n"),
            source("fr", "nav.search: Chercher\n"),
        ];
        let catalog = Catalog::load("themes/default", &builtin_sources(), &site).unwrap();
        let de = catalog.strings("de", "fr");
        assert_eq!(de.get("nav.home"), "Startseite");
        assert_eq!(
            de.get("nav.search"),
            "Chercher",
            "from the default language, fr"
        );
        assert_eq!(de.get("nav.cases"), "Études de cas");
        let de_alone = catalog.strings("de", "de");
        assert_eq!(
            de_alone.get("nav.explore"),
            "Explore",
            "English ends every chain"
        );
        assert_eq!(catalog.strings("fr-CA", "en").get("nav.home"), "Accueil");
    }

    fn builtin_sources() -> Vec<Source<'static>> {
        ["en", "fr", "es", "ar"]
            .iter()
            .map(|lang| {
                let text =
                    std::fs::read_to_string(format!("themes/default/i18n/{lang}.yaml")).unwrap();
                Source {
                    lang: lang.to_string(),
                    path: site_path("themes/default", lang),
                    text: std::borrow::Cow::Owned(text),
                }
            })
            .collect()
    }

    #[test]
    fn missing_keys_are_one_warning_per_language_naming_file_and_keys() {
        let site = [source("de", "nav.home: Startseite\nnav.search: Suche\n")];
        let catalog = Catalog::load("themes/default", &builtin_sources(), &site).unwrap();
        let languages = ["en".to_string(), "fr".into(), "de".into(), "sw".into()];
        let found = catalog.missing(&languages);
        assert_eq!(found.len(), 2, "{found:#?}");
        let de = &found[0];
        assert_eq!(de.path, Path::new("themes/default/i18n/de.yaml"));
        assert!(!de.is_error());
        assert!(
            de.message.contains("nav.explore") && !de.message.contains("nav.home"),
            "{}",
            de.message
        );
        assert!(de.message.contains("shown in `en`"), "{}", de.message);
        assert_eq!(found[1].path, Path::new("themes/default/i18n/sw.yaml"));
        assert!(found[1].message.contains("no UI strings for language `sw`"));
    }

    #[test]
    fn the_built_in_translations_use_only_the_placeholders_english_has() {
        let mut sources = builtin_sources();
        let en = sources.remove(0);
        Catalog::load("themes/default", &[en], &sources).unwrap();
    }

    #[test]
    fn the_built_in_languages_have_every_key() {
        let all: Vec<String> = ["en", "fr", "es", "ar"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(builtin().missing(&all), Vec::new());
    }

    #[test]
    fn a_site_file_overrides_key_by_key() {
        let site = [source(
            "en",
            "nav.search: Find\ncount.cases:\n  one: \"{n} practice\"\n  other: \"{n} practices\"\n",
        )];
        let catalog = Catalog::load("themes/default", &builtin_sources(), &site).unwrap();
        let en = catalog.strings("en", "en");
        assert_eq!(en.get("nav.search"), "Find");
        assert_eq!(en.plural("count.cases", 3), "3 practices");
        assert_eq!(en.get("nav.home"), "Home", "other keys kept");
    }

    #[test]
    fn invalid_files_are_errors_at_their_line() {
        let bad = |text: &str| {
            Table::parse(&site_path("themes/default", "fr"), text)
                .unwrap_err()
                .remove(0)
        };
        let d = bad("nav.home: Accueil\ncount.cases:\n  one: x\n  several: y\n  other: z\n");
        assert_eq!((d.line, d.field.as_deref()), (2, Some("count.cases")));
        assert!(
            d.message.contains("unknown plural category `several`"),
            "{}",
            d.message
        );
        assert!(d.help.unwrap().contains("zero, one, two, few, many, other"));
        let d = bad("a: x\nb:\n  one: y\n");
        assert!(d.message.contains("`other`") && d.line == 2, "{d:?}");
        let d = bad("a: x\nb: [1, 2]\n");
        assert!(
            d.message.contains("expected a text") && d.line == 2,
            "{d:?}"
        );
        let d = bad("a: x\nb: \"unclosed\n");
        assert!(d.message.starts_with("invalid YAML") && d.line > 0, "{d:?}");
        let d = bad("- a\n- b\n");
        assert!(d.message.contains("expected a map") && d.line == 1, "{d:?}");
        assert_eq!(
            Table::parse(&site_path("themes/default", "fr"), "").unwrap(),
            Table::default()
        );
    }

    #[test]
    fn a_site_placeholder_the_theme_never_fills_is_an_error() {
        let site = [source(
            "fr",
            "nav.home: \"Accueil {oops}\"\ncount.term: \"{label} : {count}\"\n",
        )];
        let problems = Catalog::load("themes/default", &builtin_sources(), &site).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].message.contains("{oops}") && problems[0].line == 1);
    }

    #[test]
    fn placeholders_are_parsed_once_and_braces_that_are_not_names_stay_text() {
        let p = Pattern::parse("{n} in {a b} {} {x_1}");
        let args: Vec<&str> = p.args().collect();
        assert_eq!(args, ["n", "x_1"]);
        let mut out = String::new();
        p.fill(&mut out, &|t, out| out.push_str(t), &|name| {
            Some(name.to_uppercase())
        });
        assert_eq!(out, "N in {a b} {} X_1");
    }

    #[test]
    fn the_built_in_files_on_disk_are_the_embedded_ones() {
        let from_disk = Catalog::load("themes/default", &builtin_sources(), &[]).unwrap();
        let embedded = builtin();
        for lang in ["en", "fr", "es", "ar"] {
            assert_eq!(from_disk.tables[lang], embedded.tables[lang], "{lang}");
        }
    }
}
