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
        let mut tera = Tera::default();
        tera.autoescape_on([".html"]);
        tera.set_escape_fn(write_escaped);
        let default_language = languages
            .first()
            .map_or(i18n::THEME_LANGUAGE, String::as_str);
        let strings = Arc::new(catalog.strings(default_language, default_language));
        tera.register_function("t", Strings::tera_function(strings.clone()));
        tera.add_raw_templates(templates).map_err(template_error)?;
        Ok(Theme {
            tera,
            statics: Arc::new(statics),
            catalog: Arc::new(catalog),
            default_language: default_language.to_string(),
            strings,
        })
    }

    /// The same theme speaking `lang`: templates whose `t` reads `lang`'s
    /// strings (a key it lacks comes from the default language). Cheap: the
    /// parsed templates are shared, and each key is resolved here once, not
    /// on every page.
    pub fn for_language(&self, lang: &str) -> Theme {
        let strings = Arc::new(self.catalog.strings(lang, &self.default_language));
        let mut tera = self.tera.clone();
        tera.register_function("t", Strings::tera_function(strings.clone()));
        Theme {
            tera,
            strings,
            ..self.clone()
        }
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
    let builtin: Vec<i18n::Source<'_>> = (I18N.iter())
        .map(|(name, text)| source(name, Cow::Borrowed(*text)))
        .collect();
    let mut site = Vec::new();
    for (name, path) in overrides {
        site.push(source(name, Cow::Owned(fsio::read_to_string(path)?)));
    }
    Ok(Catalog::load(THEME_DIR, &builtin, &site))
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
    fn embedded_theme_parses() {
        let dir = tempfile::tempdir().unwrap();
        Theme::load(dir.path(), &["en".into()]).expect("default theme loads");
    }
}
