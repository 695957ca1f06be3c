//! Templates: the default theme embedded in the binary, overridable by name.
//!
//! The default theme (Tera templates and static files under
//! `themes/default/`) is compiled in, so a bare `casebook build` works in any
//! folder. A site overrides any file by putting one of the same name in its
//! `themes/default/templates/` or `themes/default/static/`. Templates receive
//! typed view structs (see `render::views`), never raw content: the Markdown
//! body arrives as finished HTML, so Tera syntax in content is never run.
//! An override that is a symbolic link leading outside the site is refused
//! (see [`crate::confine`]). The theme's words are in its translation files
//! (`themes/default/i18n/<lang>.yaml`, see [`crate::i18n`]), overridable key
//! by key in the same folder; templates print them with `t(k="key")`.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Tera};

use crate::confine::SiteRoot;
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::fsio;
use crate::i18n::{self, Catalog, Strings};

macro_rules! embed {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/", $dir, "/", $name)))),*]
    };
}

/// Default templates, by name.
const TEMPLATES: &[(&str, &str)] = embed!("templates":
    "base.html", "components.html", "card.html", "cards.html", "home.html", "case_study.html", "listing.html", "facet.html",
    "facets.html", "page.html", "search.html", "404.html", "atom.xml", "sitemap.xml", "gaps.html",
);

/// Default static files, by name; written under `assets/`.
const STATIC: &[(&str, &str)] = embed!("static":
    "casebook.css", "casebook.js", "favicon.svg", "casebook-charts.css", "casebook-charts.js",
);

/// Default translation files of the theme's words, by name (`<lang>.yaml`).
const I18N: &[(&str, &str)] = embed!("i18n": "en.yaml", "fr.yaml", "es.yaml", "ar.yaml");

/// Room reserved for a rendered page.
const PAGE_BYTES: usize = 64 * 1024;

/// The theme folder a site may override files in.
pub const THEME_DIR: &str = "themes/default";

/// Loaded templates, static files and translations, bound to one language:
/// the one its templates' `t` and [`Theme::strings`] speak.
#[derive(Clone)]
pub struct Theme {
    tera: Tera,
    /// The templates as written: each language compiles its own copy.
    sources: Arc<Vec<(String, String)>>,
    statics: Arc<Vec<(String, Cow<'static, [u8]>)>>,
    catalog: Arc<Catalog>,
    /// The site's default language, where a key a language lacks is found.
    default_language: String,
    strings: Arc<Strings>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("statics", &self.statics.len())
            .field("strings", &self.strings)
            .finish()
    }
}

impl Theme {
    /// Loads the embedded theme, then the site's overrides from
    /// `root/themes/default`, bound to the first of `languages` (the site's
    /// default language). An override linked from outside the site, or a
    /// translation file that cannot be read, is an [`Error::Content`]
    /// ([`theme_problems`] reports them with the content's problems).
    pub fn load(root: &Path, languages: &[String]) -> Result<Theme> {
        let overrides = Overrides::find(root)?;
        if !overrides.outside.is_empty() {
            return Err(Error::Content(overrides.outside));
        }
        let catalog = load_catalog(&overrides.i18n)?.map_err(Error::Content)?;
        let mut templates: Vec<(String, String)> = TEMPLATES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let mut statics: Vec<(String, Cow<'static, [u8]>)> = STATIC
            .iter()
            .map(|(n, t)| (n.to_string(), Cow::Borrowed(t.as_bytes())))
            .collect();
        for (name, path) in overrides.templates {
            let text = fsio::read_to_string(&path)?;
            upsert(&mut templates, name, text);
        }
        for (name, path) in overrides.statics {
            let bytes = std::fs::read(&path).map_err(|e| Error::io("reading", &path, e))?;
            upsert(&mut statics, name, Cow::Owned(bytes));
        }
        let default_language = languages
            .first()
            .map_or(i18n::THEME_LANGUAGE, String::as_str);
        let strings = Arc::new(catalog.strings(default_language, default_language));
        Ok(Theme {
            tera: compile(&templates, &strings)?,
            sources: Arc::new(templates),
            statics: Arc::new(statics),
            catalog: Arc::new(catalog),
            default_language: default_language.to_string(),
            strings,
        })
    }

    /// The same theme speaking `lang`: templates whose `t` reads `lang`'s
    /// strings (a key it lacks comes from the default language). Each key
    /// is resolved here, once per language, not on every page; the
    /// templates are compiled again with that language's texts written in
    /// (a few milliseconds). An error only if the templates that compiled
    /// for the default language fail for this one, which the texts written
    /// in (never Tera syntax) cannot cause.
    pub fn for_language(&self, lang: &str) -> Result<Theme> {
        let strings = Arc::new(self.catalog.strings(lang, &self.default_language));
        Ok(Theme {
            tera: compile(&self.sources, &strings)?,
            strings,
            ..self.clone()
        })
    }

    /// The strings of the theme's language, for text made in Rust.
    pub fn strings(&self) -> &Strings {
        &self.strings
    }

    /// Renders a template with a typed context.
    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String> {
        let context = Context::from_serialize(context).map_err(template_error)?;
        // Sized for a whole page: Tera's own buffer starts at 2 KB and is
        // copied four or five times on the way to a 20-40 KB page.
        let mut html = Vec::with_capacity(PAGE_BYTES);
        self.tera
            .render_to(name, &context, &mut html)
            .map_err(template_error)?;
        String::from_utf8(html)
            .map_err(|e| Error::Internal(format!("template {name} produced invalid UTF-8: {e}")))
    }

    /// The names of the static files, as published under `assets/`.
    pub fn static_names(&self) -> Vec<String> {
        self.statics.iter().map(|(name, _)| name.clone()).collect()
    }

    /// The static files, by name under `assets/`.
    pub fn statics(&self) -> &[(String, Cow<'static, [u8]>)] {
        &self.statics
    }
}

/// The built-in translation files with the site's (`overrides`) merged
/// over them; the outer error is an I/O failure, the inner the files'
/// problems.
fn load_catalog(
    overrides: &[(String, PathBuf)],
) -> Result<std::result::Result<Catalog, Vec<Diagnostic>>> {
    let source = |name: &str, text: Cow<'static, str>| i18n::Source {
        lang: name.trim_end_matches(".yaml").to_string(),
        path: i18n::site_path(THEME_DIR, name.trim_end_matches(".yaml")),
        text,
    };
    static BUILTIN: std::sync::OnceLock<std::result::Result<Catalog, Vec<Diagnostic>>> =
        std::sync::OnceLock::new();
    let builtin = BUILTIN.get_or_init(|| {
        let builtin: Vec<i18n::Source<'_>> = (I18N.iter())
            .map(|(name, text)| source(name, Cow::Borrowed(*text)))
            .collect();
        Catalog::load(THEME_DIR, &builtin, &[])
    });
    let mut site = Vec::new();
    for (name, path) in overrides {
        site.push(source(name, Cow::Owned(fsio::read_to_string(path)?)));
    }
    Ok(match builtin {
        Ok(catalog) => catalog.with_site(&site),
        Err(problems) => Err(problems.clone()),
    })
}

/// The templates as Tera runs them for the language of `strings`: its `t`
/// function, and the calls with nothing to compute written in as text.
fn compile(sources: &[(String, String)], strings: &Arc<Strings>) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on([".html"]);
    tera.set_escape_fn(write_escaped);
    tera.register_function("t", Strings::tera_function(strings.clone()));
    let inlined =
        (sources.iter()).map(|(name, source)| (name, inline_strings(name, source, strings)));
    tera.add_raw_templates(inlined).map_err(template_error)?;
    Ok(tera)
}

/// Each `{{ t(k="key", name=expr) }}` of `source` without a count (`n`)
/// written in as the key's text, the placeholders as `{{ expr }}` (see
/// [`Strings::template_source`]); only the text alone outside HTML
/// templates, which do not escape `{{ }}` as `t` escapes values.
///
/// A call costs Tera a map of arguments and a lookup on every page, where
/// the text is the same on all of them: written in, a build of 1,000 case
/// studies runs nearly as many instructions as before the words left the
/// templates. A call whose text cannot be written so stays a call.
fn inline_strings(name: &str, source: &str, strings: &Strings) -> String {
    const OPEN: &str = "{{ t(";
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let call = call_args(after).and_then(|(args, len)| {
            let mut args = args.into_iter();
            let key = args.next()?.strip_prefix("k=\"")?.strip_suffix('"')?;
            let named: Vec<(&str, &str)> =
                args.map(|a| a.split_once('=')).collect::<Option<_>>()?;
            let named: Vec<(&str, &str)> =
                named.iter().map(|(n, e)| (n.trim(), e.trim())).collect();
            let plain_only = !name.ends_with(".html") && !named.is_empty();
            if plain_only || named.iter().any(|(n, _)| *n == "n") {
                return None;
            }
            Some((strings.template_source(key, &named)?, len))
        });
        match call {
            Some((text, len)) => {
                out.push_str(&rest[..at]);
                out.push_str(&text);
                rest = &after[len..];
            }
            None => {
                out.push_str(&rest[..at + OPEN.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The arguments of a call whose `(` is just before `text`, split at their
/// top-level commas, and the length of `text` up to the end of `) }}`;
/// `None` if the call is not closed so.
fn call_args(text: &str) -> Option<(Vec<&str>, usize)> {
    let (mut depth, mut quote, mut start) = (0usize, None, 0);
    let mut args = Vec::new();
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ',') if depth == 0 => {
                args.push(text[start..i].trim());
                start = i + 1;
            }
            (None, ')') if depth == 0 => {
                args.push(text[start..i].trim());
                let end = i + 1 + text[i + 1..].strip_prefix(" }}").map(|_| 3)?;
                return Some((args, end));
            }
            (None, ')' | ']' | '}') => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    None
}

/// The built-in translation files alone, as a site without overrides has
/// them.
pub fn builtin_catalog() -> Catalog {
    load_catalog(&[])
        .expect("built-in files need no I/O")
        .expect("the built-in translation files are valid (tested)")
}

/// The problems of the theme files `build` and `check` report with the
/// content's: symbolic links leading outside the site, translation files
/// that cannot be read (errors), and the UI strings each of `languages`
/// lacks (warnings: those fall back to the default language, the first).
pub fn theme_problems(root: &Path, languages: &[String]) -> Result<Vec<Diagnostic>> {
    let overrides = Overrides::find(root)?;
    let mut problems = overrides.outside;
    match load_catalog(&overrides.i18n)? {
        Ok(catalog) => problems.extend(catalog.missing(languages)),
        Err(errors) => problems.extend(errors),
    }
    Ok(problems)
}

/// A value already in the template engine's own form: a page's context takes
/// it as it is instead of converting it (Tera copies a value it meets while
/// converting a context). Cards use it: each is rendered once and shown on
/// many pages.
#[derive(Debug, Clone)]
pub struct Converted(tera::Value);

impl Converted {
    /// Finished HTML, marked safe: a template writes it as it is, with no
    /// `safe` filter to copy it again.
    pub fn safe_html(html: &str) -> Self {
        Converted(tera::Value::safe_string(html))
    }
}

impl Serialize for Converted {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

fn upsert<T>(list: &mut Vec<(String, T)>, name: String, value: T) {
    match list.iter_mut().find(|(n, _)| *n == name) {
        Some(entry) => entry.1 = value,
        None => list.push((name, value)),
    }
}

/// The site's theme files, by name, and the links among them that lead
/// outside the site (left out of the lists).
#[derive(Debug, Default)]
struct Overrides {
    templates: Vec<(String, PathBuf)>,
    statics: Vec<(String, PathBuf)>,
    /// Translation files (`<lang>.yaml`).
    i18n: Vec<(String, PathBuf)>,
    outside: Vec<Diagnostic>,
}

impl Overrides {
    fn find(root: &Path) -> Result<Overrides> {
        let theme = root.join(THEME_DIR);
        let mut found = Overrides::default();
        if !theme.is_dir() {
            return Ok(found);
        }
        let site = SiteRoot::new(root)?;
        found.templates = site_files(&site, &theme.join("templates"), &mut found.outside)?;
        found.statics = site_files(&site, &theme.join("static"), &mut found.outside)?;
        found.i18n = site_files(&site, &theme.join(i18n::I18N_DIR), &mut found.outside)?;
        found.i18n.retain(|(name, _)| name.ends_with(".yaml"));
        // A linked `themes/` is blamed once, not for each of its folders.
        found.outside.sort_by(|a, b| a.path.cmp(&b.path));
        found.outside.dedup();
        Ok(found)
    }
}

/// Files directly in `dir`, sorted by name (none if it does not exist);
/// links leading outside the site go to `outside` instead.
fn site_files(
    site: &SiteRoot,
    dir: &Path,
    outside: &mut Vec<Diagnostic>,
) -> Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    if let Some(problem) = site.outside(dir)? {
        outside.push(problem);
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io("listing", dir, e))? {
        let entry = entry.map_err(|e| Error::io("listing", dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if !path.is_file() || name.starts_with('.') {
            continue;
        }
        // `dir` is inside, so only a link can lead out.
        let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
        match is_link.then(|| site.outside(&path)).transpose()?.flatten() {
            Some(problem) => outside.push(problem),
            None => files.push((name, path)),
        }
    }
    files.sort();
    Ok(files)
}

/// Escapes text for HTML content and quoted attributes. Unlike Tera's default
/// it leaves `/` alone, so relative URLs stay readable and small.
pub(crate) fn escape_html(input: &str) -> String {
    let mut out = Vec::with_capacity(input.len() + input.len() / 16);
    write_escaped(input, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("escaping keeps UTF-8")
}

/// [`escape_html`] as Tera's escape function, writing into the page.
///
/// Copies the text between special characters in runs: every `{{ }}` of
/// every page passes here.
fn write_escaped(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut copied = 0;
    for (i, byte) in input.bytes().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        // The special characters are ASCII, so `i` is a char boundary.
        out.write_all(&input.as_bytes()[copied..i])?;
        out.write_all(entity)?;
        copied = i + 1;
    }
    out.write_all(&input.as_bytes()[copied..])
}

/// Tera errors nest their cause; show the whole chain. Tera draws the
/// template line with a caret itself, after its own `error: ` prefix, which
/// our "template error: " replaces.
fn template_error(e: tera::Error) -> Error {
    let text = e.to_string();
    let mut message = text.strip_prefix("error: ").unwrap_or(&text).to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Error::Template(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_keeps_slashes_and_escapes_markup() {
        assert_eq!(
            escape_html("../a/<b>&\"'"),
            "../a/&lt;b&gt;&amp;&quot;&#39;"
        );
        assert_eq!(
            escape_html("Tom & Jerry's «café» ok"),
            "Tom &amp; Jerry&#39;s «café» ok"
        );
        assert_eq!(escape_html(""), "");
    }

    /// Every `t(k="…")` of the templates and `say('…')` of the scripts has
    /// a text in the theme's English: a key no file has would show as the
    /// key itself, or stop the build.
    #[test]
    fn every_key_the_theme_uses_is_in_english() {
        let en = builtin_catalog().strings("en", "en");
        let keys = |text: &str, open: &str, close: char| -> Vec<String> {
            text.split(open)
                .skip(1)
                .filter_map(|rest| rest.split(close).next().map(str::to_string))
                .collect()
        };
        let mut used = Vec::new();
        for (_, text) in TEMPLATES {
            used.extend(keys(text, "t(k=\"", '"'));
        }
        for (_, text) in STATIC.iter().filter(|(n, _)| n.ends_with(".js")) {
            used.extend(
                keys(text, "say('", '\'')
                    .into_iter()
                    .map(|k| format!("js.{k}")),
            );
        }
        assert!(used.len() > 100, "{} keys found", used.len());
        let missing: Vec<&String> = used.iter().filter(|k| !en.has(k)).collect();
        assert!(missing.is_empty(), "not in en.yaml: {missing:?}");
    }

    #[test]
    fn calls_without_a_count_are_written_in_as_text() {
        let en = builtin_catalog().strings("en", "en");
        let source = concat!(
            r#"<a aria-label="{{ t(k="pagination.page", number=pg.number) }}">{{ t(k="nav.home") }}</a>"#,
            r#"{{ t(k="count.cases", n=c) }}{{ t(k="listing.and") }}{{ t(k="nope") }}"#,
            r#"{{ t(k="case.kicker_number", number=f(x=1, y="a,b")) }}"#,
        );
        assert_eq!(
            inline_strings("x.html", source, &en),
            concat!(
                r#"<a aria-label="Page {{ pg.number }}">Home</a>"#,
                r#"{{ t(k="count.cases", n=c) }}{{ t(k="listing.and") }}{{ t(k="nope") }}"#,
                r#"Case study #{{ f(x=1, y="a,b") }}"#,
            ),
            "a count, outer spaces, an unknown key stay calls"
        );
        assert_eq!(
            inline_strings("atom.xml", r#"{{ t(k="pagination.page", number=1) }}"#, &en),
            r#"{{ t(k="pagination.page", number=1) }}"#,
            "no values written in where `{{ }}` does not escape"
        );
    }

    #[test]
    fn embedded_theme_parses() {
        let dir = tempfile::tempdir().unwrap();
        Theme::load(dir.path(), &["en".into()]).expect("default theme loads");
    }
}
