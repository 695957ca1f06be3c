//! Command line: clap definitions, kept apart from what the commands do.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Static site generator for portals of good-practice case studies.
#[derive(Debug, Parser)]
#[command(name = "casebook", version, about)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the portal into the output folder.
    Build(BuildArgs),
    /// Validate content, links and images without writing anything.
    Check(CheckArgs),
    /// Build, serve on localhost, rebuild on change and reload the browser.
    Serve(ServeArgs),
    /// Write a new case study with every field ready to fill.
    New(NewArgs),
    /// Start a new portal in an empty folder.
    Init(InitArgs),
    /// Make one case study per row of a CSV or JSON file (a spreadsheet,
    /// another database's export, a portal's catalogue.csv or .json).
    Import(ImportArgs),
}

/// Options every command that reads a site takes.
#[derive(Debug, Args, Clone)]
pub(crate) struct SiteArgs {
    /// Site folder (holds casebook.yaml).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Print only errors.
    #[arg(long, short, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Print timings and details.
    #[arg(long, short)]
    pub(crate) verbose: bool,
}

/// `casebook build`.
#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub(crate) site: SiteArgs,
    /// Output folder (default: the config's output_dir, `public`).
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
    /// Public URL of the site, e.g. https://example.org/practices/
    #[arg(long)]
    pub(crate) base_url: Option<String>,
    /// Publish draft case studies and those under review too, each with a
    /// banner saying so (for a staging copy of the portal).
    #[arg(long)]
    pub(crate) drafts: bool,
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum Format {
    /// Compiler-style text.
    Text,
    /// One JSON document, for CI tools.
    Json,
}

/// `casebook check`.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) site: SiteArgs,
    /// Treat warnings as errors.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

/// `casebook serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub(crate) site: SiteArgs,
    /// Port (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub(crate) port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) interface: String,
    /// Open the portal in the default browser.
    #[arg(long)]
    pub(crate) open: bool,
    /// Show only published case studies, as `build` publishes them (by
    /// default the preview shows drafts and those under review too, with a
    /// banner).
    #[arg(long)]
    pub(crate) published_only: bool,
}

/// `casebook new`.
#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// Title of the case study.
    pub(crate) title: String,
    /// Governance level(s), repeatable.
    #[arg(long = "level")]
    pub(crate) levels: Vec<String>,
    /// Country code(s) or name(s), repeatable.
    #[arg(long = "country")]
    pub(crate) countries: Vec<String>,
    /// Site folder.
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
}

/// `casebook init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Folder to create the portal in (must be empty or absent).
    pub(crate) dir: PathBuf,
}

/// `casebook import`.
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The .csv or .json file to import.
    pub(crate) file: PathBuf,
    /// Mapping file: which column feeds which field, list separator, value
    /// rewrites (README, "Import"). Without it, columns named like fields
    /// feed them.
    #[arg(long)]
    pub(crate) map: Option<PathBuf>,
    /// Column whose text becomes the Markdown body.
    #[arg(long)]
    pub(crate) body: Option<String>,
    /// Write nothing; print the files it would write.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Leave out the rows whose file exists, instead of stopping.
    #[arg(long)]
    pub(crate) skip_existing: bool,
    /// Site folder.
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
}
