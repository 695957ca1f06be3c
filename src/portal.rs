//! The portal: one owned model of the site, built once and read by every
//! later stage.
//!
//! Stage input: the site folder. Output: a [`Portal`] (the config with the
//! command line's overrides, the vocabularies, the schema of accepted
//! fields, the valid content and its taxonomy) plus every problem found.
//! `build`, `check`, `new` and `serve` all start here, so none of them reads
//! the config, builds the schema or classifies the content its own way.

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::content::schema::Schema;
use crate::content::{self, Content};
use crate::diagnostics::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::taxonomy::{self, Taxonomy};
use crate::templates;
use crate::vocabulary::{self, Vocabularies};

/// The site as read, validated and classified.
#[derive(Debug)]
pub struct Portal {
    /// Site root (holds `casebook.yaml`).
    pub root: PathBuf,
    /// Configuration, with command-line overrides applied.
    pub config: Config,
    /// Vocabularies by key.
    pub vocabularies: Vocabularies,
    /// Which front-matter fields the site accepts and what each feeds.
    pub schema: Schema,
    /// The valid content (files with errors are left out and reported).
    pub content: Content,
    /// Facets, terms and postings of the valid content.
    pub taxonomy: Taxonomy,
    /// Whether draft case studies and those under review are shown (`build
    /// --drafts`, `serve`); when not, they are held back from the content
    /// ([`content::review::hold_back`]).
    pub drafts: bool,
}

/// A portal and every problem met while reading it.
#[derive(Debug)]
pub struct Loaded {
    /// What could be read.
    pub portal: Portal,
    /// Every problem found (errors and warnings), sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// True when no diagnostic is an error.
    pub fn is_valid(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

impl Portal {
    /// Reads the site at `root`: config (with `base_url` overriding the
    /// config's), vocabularies, schema, content (without the unpublished
    /// case studies unless `drafts`), taxonomy. Fatal only for a config or
    /// vocabulary that cannot be used; content problems are in
    /// [`Loaded::diagnostics`].
    pub fn load(root: &Path, base_url: Option<&str>, drafts: bool) -> Result<Loaded> {
        let config = load_config(root, base_url)?;
        let vocabularies = vocabulary::load_all(root, &config)?;
        let schema = Schema::new(&config, &vocabularies).map_err(Error::Content)?;
        let found = content::discover(root)?;
        let mut loaded = content::load(root, &schema, &found);
        content::review::hold_back(&mut loaded.content, drafts);
        // The theme is loaded later; its links leading outside the site and
        // its translation files' problems are reported now, with the
        // content's.
        loaded
            .diagnostics
            .extend(templates::theme_problems(root, &languages(&config))?);
        diagnostics::sort(&mut loaded.diagnostics);
        let taxonomy = taxonomy::build(&config, &vocabularies, &loaded.content.cases);
        let portal = Portal {
            root: root.to_path_buf(),
            config,
            vocabularies,
            schema,
            content: loaded.content,
            taxonomy,
            drafts,
        };
        Ok(Loaded {
            portal,
            diagnostics: loaded.diagnostics,
        })
    }

    /// Puts `content` in place of the portal's own and classifies it anew
    /// (`serve` after an edit: config, vocabularies and schema are kept);
    /// returns the taxonomy it replaces. Unpublished case studies are held
    /// back as [`Portal::load`] holds them back.
    pub fn set_content(&mut self, mut content: Content) -> Taxonomy {
        content::review::hold_back(&mut content, self.drafts);
        let taxonomy = taxonomy::build(&self.config, &self.vocabularies, &content.cases);
        self.content = content;
        std::mem::replace(&mut self.taxonomy, taxonomy)
    }
}

/// The languages the portal speaks to its readers, the default first: the
/// theme's words must exist in each.
pub fn languages(config: &Config) -> Vec<String> {
    config.language_codes().map(str::to_string).collect()
}

fn load_config(root: &Path, base_url: Option<&str>) -> Result<Config> {
    let mut config = Config::load(root)?;
    if let Some(url) = base_url {
        if let Some(why) = config::base_url_problem(url) {
            return Err(Error::Usage(format!("--base-url {url:?}: {why}")));
        }
        config.base_url = url.to_string();
    }
    Ok(config)
}
