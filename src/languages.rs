//! Languages: one portal published once per language, each an **edition**.
//!
//! Stage input: the loaded [`Portal`] (every case study in every language).
//! Output: one [`Edition`] per language of `languages:`, default first, each
//! a whole portal of its own that the later stages (plan, render, search)
//! take as they take a portal of one language:
//!
//! - its content: the case studies and pages in its language, then, when
//!   `show_untranslated` is on, the original of each one not translated into
//!   it (marked with its language on cards and pages), so a French portal
//!   with few translations is not empty;
//! - its words: the site's title, tagline, intro and labels in its language
//!   ([`crate::config::LanguageSpec`]), the vocabularies' labels in its
//!   language ([`crate::vocabulary::localized`]), its own taxonomy;
//! - its place: the site root for the default language, `/<code>/` for the
//!   others, with `base_url` extended to match.
//!
//! A portal of one language has one edition borrowing the portal as it is,
//! so its output is exactly what it was before languages existed.
//! [`Alternates`] then links the editions' pages to each other (hreflang,
//! the language switcher, the sitemap).

use std::collections::{HashMap, HashSet};

use crate::config::{Config, LanguageSpec, CONFIG_FILE};
use crate::content::case_study::FacetValues;
use crate::content::{CaseStudy, Content, Page};
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::portal::Portal;
use crate::text::{autonym, normalise};
use crate::urls::{PageKind, UrlTable};
use crate::views::LanguageLink;

/// One language's portal.
#[derive(Debug)]
pub struct Edition<'p> {
    /// Its BCP 47 code.
    pub language: String,
    /// Its folder under the site root: "" for the default language, `fr/`.
    pub prefix: String,
    portal: Held<'p>,
    /// The portal it was made from.
    whole: &'p Portal,
}

#[derive(Debug)]
enum Held<'p> {
    /// The portal as loaded (a portal of one language).
    Whole(&'p Portal),
    /// A portal made for this language.
    Own(Box<Portal>),
}

impl Edition<'_> {
    /// The edition's portal.
    pub fn portal(&self) -> &Portal {
        match &self.portal {
            Held::Whole(p) => p,
            Held::Own(p) => p,
        }
    }

    /// Where its files go: under its folder of the output.
    pub fn output<'s>(
        &'s self,
        staging: &'s crate::output::Staging,
    ) -> crate::output::Prefixed<'s> {
        crate::output::Prefixed {
            sink: staging,
            prefix: &self.prefix,
        }
    }

    /// The portal as loaded, with every language's case studies (what the
    /// open-data catalogue lists).
    pub fn whole(&self) -> &Portal {
        self.whole
    }

    /// Its portal, owned (for `serve` to keep).
    pub fn into_portal(self) -> Option<Portal> {
        match self.portal {
            Held::Whole(_) => None,
            Held::Own(p) => Some(*p),
        }
    }
}

/// The editions of `portal`, default language first.
pub fn editions(portal: &Portal) -> Result<Vec<Edition<'_>>> {
    let config = &portal.config;
    if !config.is_multilingual() {
        return Ok(vec![Edition {
            language: config.language.clone(),
            prefix: String::new(),
            portal: Held::Whole(portal),
            whole: portal,
        }]);
    }
    (config.languages.iter().enumerate())
        .map(|(i, spec)| edition(portal, spec, i == 0))
        .collect()
}

fn edition<'p>(portal: &'p Portal, spec: &LanguageSpec, is_default: bool) -> Result<Edition<'p>> {
    let language = spec.code.clone();
    let prefix = if is_default {
        String::new()
    } else {
        format!("{language}/")
    };
    let config = localized_config(&portal.config, spec, &prefix);
    let vocabularies = crate::vocabulary::localized(
        &portal.vocabularies,
        &portal.root,
        &portal.config,
        &language,
    )?;
    let mut schema = crate::content::schema::Schema::new(&config, &vocabularies)
        .map_err(|problems| Error::Internal(format!("the {language} schema: {problems:?}")))?;
    // Case studies in a language the portal does not publish belong to the
    // default language's edition, whichever edition reads them.
    schema.default_language = portal.schema.default_language.clone();
    let content = edition_content(portal, &language);
    let taxonomy = crate::taxonomy::build(&config, &vocabularies, &content.cases);
    let edition_portal = Portal {
        root: portal.root.clone(),
        config,
        vocabularies,
        schema,
        content,
        taxonomy,
        drafts: portal.drafts,
    };
    Ok(Edition {
        language,
        prefix,
        portal: Held::Own(Box::new(edition_portal)),
        whole: portal,
    })
}

/// The config as the edition in `spec`'s language reads it: its language,
/// its address, and the site's words translated where `spec` gives them.
fn localized_config(config: &Config, spec: &LanguageSpec, prefix: &str) -> Config {
    let mut c = config.clone();
    let word = |text: &str| {
        spec.labels
            .get(text)
            .cloned()
            .unwrap_or_else(|| text.to_string())
    };
    c.language = spec.code.clone();
    c.base_url = format!("{}{prefix}", config.base_url());
    c.title = spec.title.clone().unwrap_or(c.title);
    c.tagline = spec.tagline.clone().unwrap_or(c.tagline);
    c.intro = spec.intro.clone().unwrap_or(c.intro);
    for text in translatable(&mut c) {
        *text = word(text);
    }
    c
}

/// The texts of the config that a language's `labels` translate: the
/// facets' labels and descriptions, the matrices' titles, the statistics'
/// labels.
fn translatable(config: &mut Config) -> impl Iterator<Item = &mut String> {
    let facets = (config.facets.iter_mut()).flat_map(|f| [&mut f.label, &mut f.description]);
    let matrices = (config.matrices.iter_mut()).map(|m| &mut m.title);
    let stats = (config.stats.iter_mut()).map(|s| &mut s.label);
    facets.chain(matrices).chain(stats)
}

/// The `labels` of each language that translate nothing but are a slip
/// away from a text that is translated: one of the config's
/// [`translatable`] texts, or a tag a published case study gives.
/// A misspelt key leaves its word in the default language without a sound,
/// so `check` warns, at the key's line of `text` (the config file). A key
/// like no text of the portal is left alone: a glossary of themes shared by
/// several portals may name tags this one does not use.
pub fn misspelt_labels(portal: &Portal, text: &str) -> Vec<Diagnostic> {
    let config = &portal.config;
    // Read from a copy: the texts are reached as `localized_config` writes them.
    let mut copy = config.clone();
    let texts: HashSet<&str> = translatable(&mut copy).map(|t| t.as_str()).collect();
    let tags = (portal.content.cases.iter())
        .flat_map(|c| &c.facets)
        .flat_map(|values| match values {
            FacetValues::Free(tags) => tags.as_slice(),
            FacetValues::Terms(_) => &[],
        });
    // Tags are matched as case studies' tags match each other.
    let tag_keys: HashSet<String> = tags.clone().map(|t| normalise(t)).collect();
    let reads = |key: &str| texts.contains(key) || tag_keys.contains(&normalise(key));
    let mut candidates: Vec<&str> = (texts.iter().copied())
        .chain(tags.map(String::as_str))
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let mut found = Vec::new();
    for spec in &config.languages {
        for key in spec.labels.keys().filter(|k| !reads(k)) {
            let Some(near) = slip_from(key, &candidates) else {
                continue;
            };
            let message = format!(
                "`labels` of `{}`: \"{key}\" translates nothing: no label, description or tag of the portal reads so",
                spec.code
            );
            let d = Diagnostic::warning(CONFIG_FILE, message)
                .field("labels")
                .help(format!("did you mean \"{near}\"?"));
            found.push(match label_line(text, &spec.code, key) {
                Some((line, column, source)) => d.at(line, column, key.chars().count(), source),
                None => d,
            });
        }
    }
    found
}

/// The candidate `key` is a slip away from: two letters or fewer to
/// change, add, drop or swap, case and spaces aside ("social cohesoin",
/// "Governance  level"), the nearest if several.
fn slip_from<'c>(key: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let key = normalise(key);
    (candidates.iter())
        .map(|c| (*c, strsim::osa_distance(&key, &normalise(c))))
        .filter(|&(_, distance)| distance <= 2)
        .min_by_key(|&(_, distance)| distance)
        .map(|(c, _)| c)
}

/// The line of `key` in the `labels` of language `code` in the config
/// `text`, as (line, column of the key, line text).
fn label_line<'t>(text: &'t str, code: &str, key: &str) -> Option<(usize, usize, &'t str)> {
    let declares = |line: &str| {
        let rest = line.trim_start().trim_start_matches("- ").trim_start();
        let value = rest
            .strip_prefix("code:")
            .map(|v| v.split(" #").next().unwrap_or("").trim());
        value.is_some_and(|v| v.trim_matches(['"', '\'']) == code)
    };
    let mut lines = text.lines().enumerate();
    lines.find(|(_, line)| declares(line))?;
    // Block (`"key": word`) or flow (`{ "key": word }`) style alike.
    lines.find_map(|(i, line)| {
        let (at, _) = line.match_indices(key).find(|(at, _)| {
            let after = line[at + key.len()..].trim_start_matches(['"', '\'']);
            after.trim_start().starts_with(':')
        })?;
        Some((i + 1, line[..at].chars().count() + 1, line))
    })
}

/// The edition's case studies (its own, newest first, then the untranslated
/// originals, newest first) and pages.
fn edition_content(portal: &Portal, language: &str) -> Content {
    let (content, schema) = (&portal.content, &portal.schema);
    let mine = |l: &str| schema.edition_of(l) == language;
    let own: Vec<CaseStudy> = (content.cases.iter())
        .filter(|c| mine(&c.meta.language))
        .cloned()
        .collect();
    let covered: HashSet<&str> = (content.cases.iter())
        .filter(|c| mine(&c.meta.language))
        .map(|c| c.meta.translation_key.as_str())
        .collect();
    let untranslated = (content.cases.iter()).filter(|c| {
        portal.config.show_untranslated
            && !c.is_translation
            && !covered.contains(c.meta.translation_key.as_str())
    });
    let cases = own.into_iter().chain(untranslated.cloned()).collect();
    Content {
        cases,
        pages: edition_pages(&content.pages, schema, language),
        assets: content.assets.clone(),
        unpublished: content.unpublished.clone(),
    }
}

/// The pages in `language`, and the original of every page not translated
/// into it (the About page is in every edition).
fn edition_pages(
    pages: &[Page],
    schema: &crate::content::schema::Schema,
    language: &str,
) -> Vec<Page> {
    let mine = |p: &Page| schema.edition_of(&p.language) == language;
    let covered: HashSet<&str> = pages
        .iter()
        .filter(|p| mine(p))
        .map(|p| p.translation_key.as_str())
        .collect();
    pages
        .iter()
        .filter(|p| {
            mine(p) || (!covered.contains(p.translation_key.as_str()) && is_original(p, schema))
        })
        .cloned()
        .collect()
}

/// Whether a page's file name carries no language suffix.
fn is_original(page: &Page, schema: &crate::content::schema::Schema) -> bool {
    let stem = page
        .source
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    !stem
        .rsplit_once('.')
        .is_some_and(|(_, suffix)| schema.languages.iter().any(|l| l == suffix))
}

/// The folder of the edition that publishes `language` in the portal as
/// loaded: "" for the default language's (and any language the portal
/// does not publish), `fr/` for French.
pub fn folder(portal: &Portal, language: &str) -> String {
    let edition = portal.schema.edition_of(language);
    if edition == portal.config.language {
        String::new()
    } else {
        format!("{edition}/")
    }
}

/// The theme in each edition's language: the default language's as loaded,
/// the others' made from it ([`Theme::for_language`]).
///
/// [`Theme::for_language`]: crate::templates::Theme::for_language
pub struct Themes<'t> {
    default: &'t crate::templates::Theme,
    others: Vec<crate::templates::Theme>,
}

impl<'t> Themes<'t> {
    /// The themes of `editions`, from the default language's `theme`.
    pub fn new(theme: &'t crate::templates::Theme, editions: &[Edition<'_>]) -> Result<Self> {
        let others = (editions.iter().skip(1))
            .map(|e| theme.for_language(&e.language))
            .collect::<Result<_>>()?;
        Ok(Themes {
            default: theme,
            others,
        })
    }

    /// The theme of edition `index`.
    pub fn of(&self, index: usize) -> &crate::templates::Theme {
        match index {
            0 => self.default,
            i => &self.others[i - 1],
        }
    }
}

/// Which page of each edition is the same page: what `hreflang`, the
/// language switcher and the sitemap need.
#[derive(Debug, Default)]
pub struct Alternates {
    editions: Vec<EditionPages>,
}

#[derive(Debug)]
struct EditionPages {
    language: String,
    prefix: String,
    /// Page URLs (not case studies or standalone pages).
    pages: HashSet<String>,
    /// Translation key → URL of its version in this edition's language.
    versions: HashMap<String, String>,
    /// Translation key → URL of the copy shown here of an untranslated
    /// original.
    copies: HashMap<String, String>,
    /// URL of a case study's or standalone page's page → its translation key.
    keys: HashMap<String, String>,
}

impl Alternates {
    /// Links the pages of `editions`, each planned as `urls`.
    pub fn new(editions: &[Edition<'_>], urls: &[UrlTable]) -> Alternates {
        let editions = editions
            .iter()
            .zip(urls)
            .map(|(e, urls)| linked_pages(e, urls))
            .collect();
        Alternates { editions }
    }

    /// Each edition's folder ("" for the default language's).
    pub fn prefixes(&self) -> Vec<String> {
        self.editions.iter().map(|e| e.prefix.clone()).collect()
    }

    /// Whether there is more than one edition to link.
    pub fn is_empty(&self) -> bool {
        self.editions.len() < 2
    }

    /// The versions of the page at `url` of edition `edition`, in every
    /// edition.
    pub fn of(&self, edition: usize, url: &str) -> Vec<LanguageLink> {
        if self.is_empty() {
            return Vec::new();
        }
        let key = self.editions[edition].keys.get(url);
        (self.editions.iter().enumerate())
            .map(|(i, e)| {
                let (target, alternate) = match key {
                    Some(key) => match (e.versions.get(key), e.copies.get(key)) {
                        (Some(v), _) => (Some(v.clone()), true),
                        (None, Some(copy)) => (Some(copy.clone()), false),
                        (None, None) => (None, false),
                    },
                    None => {
                        let there = e.pages.contains(url);
                        (there.then(|| url.to_string()), there)
                    }
                };
                LanguageLink {
                    code: e.language.clone(),
                    name: autonym(&e.language),
                    url: format!("{}{}", e.prefix, target.unwrap_or_default()),
                    current: i == edition,
                    alternate,
                }
            })
            .collect()
    }
}

fn linked_pages(edition: &Edition<'_>, urls: &UrlTable) -> EditionPages {
    let portal = edition.portal();
    let mut pages = HashSet::new();
    let mut versions = HashMap::new();
    let mut copies = HashMap::new();
    let mut keys = HashMap::new();
    for page in &urls.pages {
        let (key, language) = match page.kind {
            PageKind::Case(id) => {
                let case = &portal.content.cases[id as usize];
                (&case.meta.translation_key, &case.meta.language)
            }
            PageKind::Page(i) => {
                let p = &portal.content.pages[i];
                (&p.translation_key, &p.language)
            }
            _ => {
                pages.insert(page.url.clone());
                continue;
            }
        };
        let own = portal.schema.edition_of(language) == edition.language;
        let into = if own { &mut versions } else { &mut copies };
        into.insert(key.clone(), page.url.clone());
        keys.insert(page.url.clone(), key.clone());
    }
    EditionPages {
        language: edition.language.clone(),
        prefix: edition.prefix.clone(),
        pages,
        versions,
        copies,
        keys,
    }
}
