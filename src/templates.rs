//! Templates: the default theme embedded in the binary, overridable by name.
//!
//! The default theme (Tera templates and static files under
//! `themes/default/`) is compiled in, so a bare `casebook build` works in any
//! folder. A site overrides any file by putting one of the same name in its
//! `themes/default/templates/` or `themes/default/static/`. Templates receive
//! typed view structs (see `render::views`), never raw content: the Markdown
//! body arrives as finished HTML, so Tera syntax in content is never run.
//! An override that is a symbolic link leading outside the site is refused
//! (see [`crate::confine`]).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Tera};

use crate::confine::SiteRoot;
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::fsio;

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

/// Room reserved for a rendered page.
const PAGE_BYTES: usize = 64 * 1024;

/// The theme folder a site may override files in.
pub const THEME_DIR: &str = "themes/default";

/// Loaded templates and static files.
pub struct Theme {
    tera: Tera,
    statics: Vec<(String, Cow<'static, [u8]>)>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("statics", &self.statics.len())
            .finish()
    }
}

impl Theme {
    /// Loads the embedded theme, then the site's overrides from
    /// `root/themes/default`. An override linked from outside the site is
    /// an [`Error::Content`], and nothing of it is read.
    pub fn load(root: &Path) -> Result<Theme> {
        let overrides = Overrides::find(root)?;
        if !overrides.outside.is_empty() {
            return Err(Error::Content(overrides.outside));
        }
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
        tera.add_raw_templates(templates).map_err(template_error)?;
        Ok(Theme { tera, statics })
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

/// Symbolic links among the site's theme files that lead outside the site,
/// as errors: the build reports them with the content's problems.
pub fn outside_links(root: &Path) -> Result<Vec<Diagnostic>> {
    Ok(Overrides::find(root)?.outside)
}

/// The site's theme files, by name, and the links among them that lead
/// outside the site (left out of the lists).
#[derive(Debug, Default)]
struct Overrides {
    templates: Vec<(String, PathBuf)>,
    statics: Vec<(String, PathBuf)>,
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

    #[test]
    fn embedded_theme_parses() {
        let dir = tempfile::tempdir().unwrap();
        Theme::load(dir.path()).expect("default theme loads");
    }
}
