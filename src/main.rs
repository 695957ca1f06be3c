//! The `casebook` binary: parse the command line, call the library, print
//! diagnostics, choose the exit code (0 success, 1 content problems, 2 usage
//! or I/O failure). The library never prints; this file does all the talking.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use casebook::diagnostics::Diagnostic;
use casebook::error::Error;
use casebook::BuildOptions;
use cli::{Cli, Command};

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(&args),
        Command::Serve(args) => serve(&args),
        Command::Check(args) => match check(&args) {
            Ok(code) => return code,
            Err(e) => Err(e),
        },
        Command::New(args) => match new_case(&args) {
            Ok(code) => return code,
            Err(e) => Err(e),
        },
        Command::Init(args) => init(&args),
        Command::Import(args) => match import(&args) {
            Ok(code) => return code,
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report_error(&e);
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn build(args: &cli::BuildArgs) -> Result<(), Error> {
    let options = BuildOptions {
        root: args.site.root.clone(),
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        live_reload: false,
        drafts: args.drafts,
    };
    // Stopped by Ctrl-C or a signal, a build removes its staging folder
    // (hundreds of MB beside the output); the published site stays as it was.
    let _ = ctrlc::set_handler(|| casebook::output::stop_process(&[], 130));
    let bar = progress_bar(args.site.quiet);
    let result = casebook::build_observed(&options, &|i, stage| {
        if let Some(bar) = &bar {
            bar.set_position(i as u64);
            bar.set_message(stage);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    // What the build kept for `serve` is left for the system to reclaim
    // when the process exits: freeing it piece by piece (every case study's
    // strings, cards, search data) is some 5% of a 10,000-case build.
    let (report, kept) = result?;
    std::mem::forget(kept);
    if !args.site.quiet {
        print_diagnostics(&report.warnings);
        let total: std::time::Duration = report.timings.iter().map(|(_, d)| *d).sum();
        let languages = match report.languages {
            1 => String::new(),
            n => format!(" in {n} languages"),
        };
        eprintln!(
            "Built {} case {}, {} pages{languages} into {} in {:.2} s",
            report.cases,
            if report.cases == 1 {
                "study"
            } else {
                "studies"
            },
            report.pages,
            report.output.display(),
            total.as_secs_f64()
        );
    }
    if args.site.verbose {
        for (stage, time) in &report.timings {
            eprintln!("  {stage:<28} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
    Ok(())
}

fn serve(args: &cli::ServeArgs) -> Result<(), Error> {
    let options = casebook::serve::ServeOptions {
        root: args.site.root.clone(),
        interface: args.interface.clone(),
        port: args.port,
        drafts: !args.published_only,
    };
    let (quiet, verbose) = (args.site.quiet, args.site.verbose);
    let open = args.open;
    casebook::serve::run(&options, |event| report_serve(event, quiet, verbose, open))
}

fn report_serve(event: casebook::serve::ServeEvent, quiet: bool, verbose: bool, open: bool) {
    use casebook::serve::ServeEvent;
    match event {
        ServeEvent::Listening { url, instead_of } => {
            if let Some(port) = instead_of {
                eprintln!("Port {port} is in use; using the next free one.");
            }
            eprintln!("Serving at {url} (Ctrl-C to stop)");
            if open {
                open_browser(&url);
            }
        }
        ServeEvent::Built {
            pages,
            incremental,
            time,
            warnings,
            steps,
        } => {
            if !quiet {
                print_diagnostics(&warnings);
                let how = if incremental { "Updated" } else { "Built" };
                eprintln!("{how} {pages} pages in {} ms", time.as_millis());
            }
            if verbose {
                for (step, time) in &steps {
                    eprintln!("  {step:<28} {:>8.1} ms", time.as_secs_f64() * 1000.0);
                }
            }
        }
        ServeEvent::Problems(diagnostics) => {
            print_diagnostics(&diagnostics);
            eprintln!("The site was not updated: fix the problems above (the last good version is still served).");
        }
        ServeEvent::Failed(message) => {
            eprintln!("error: {message} (the last good version is still served)")
        }
    }
}

/// Best effort: a missing opener is not worth failing the preview for.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("Could not open a browser; visit {url}");
    }
}

/// `casebook check`: diagnostics on stderr (or one JSON document on stdout),
/// exit 1 on errors, or on warnings with `--strict`.
fn check(args: &cli::CheckArgs) -> Result<ExitCode, Error> {
    let report = casebook::check::check(&args.site.root)?;
    match args.format {
        cli::Format::Json => println!("{}", report.to_json()),
        cli::Format::Text => {
            let shown: Vec<Diagnostic> = report
                .diagnostics
                .iter()
                .filter(|d| d.is_error() || !args.site.quiet)
                .cloned()
                .collect();
            print_diagnostics(&shown);
            if let Some(list) = report.unpublished_list().filter(|_| !args.site.quiet) {
                eprintln!("{list}");
            }
            if !args.site.quiet || !report.passes(args.strict) {
                eprintln!("{}", report.summary());
            }
            if args.site.verbose {
                eprintln!("  {} internal links and images resolved", report.references);
            }
        }
    }
    Ok(if report.passes(args.strict) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `casebook new`: writes the case study and prints its path; unknown
/// `--level`/`--country` values are reported like the build's (exit 1).
fn new_case(args: &cli::NewArgs) -> Result<ExitCode, Error> {
    let case = casebook::scaffold::NewCase {
        title: args.title.clone(),
        levels: args.levels.clone(),
        countries: args.countries.clone(),
        date: casebook::scaffold::today(),
    };
    match casebook::scaffold::new_case(&args.root, &case) {
        Ok(path) => {
            println!("{}", path.strip_prefix(".").unwrap_or(&path).display());
            Ok(ExitCode::SUCCESS)
        }
        Err(Error::Content(diagnostics)) => {
            print_diagnostics(&diagnostics);
            eprintln!("error: no case study was written");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e),
    }
}

/// `casebook import`: the files written (or, with `--dry-run`, to write),
/// one per line on stdout; problems on stderr (exit 1, nothing written).
fn import(args: &cli::ImportArgs) -> Result<ExitCode, Error> {
    let options = casebook::import::ImportOptions {
        root: args.root.clone(),
        file: args.file.clone(),
        map: args.map.clone(),
        body: args.body.clone(),
        dry_run: args.dry_run,
        skip_existing: args.skip_existing,
    };
    let report = match casebook::import::import(&options) {
        Ok(report) => report,
        Err(Error::Content(diagnostics)) => {
            print_diagnostics(&diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!("error: {errors} problem(s) found; no case study was written");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e),
    };
    print_diagnostics(&report.warnings);
    let verb = if args.dry_run { "would write" } else { "wrote" };
    for (row, path) in &report.written {
        match args.dry_run {
            true => println!("{verb} {} (row {row})", path.display()),
            false => println!("{}", path.display()),
        }
    }
    for (row, path) in &report.skipped {
        eprintln!("skipped row {row}: {} exists", path.display());
    }
    if !report.unread_columns.is_empty() {
        eprintln!("Columns not imported: {}", report.unread_columns.join(", "));
    }
    let n = report.written.len();
    let what = if n == 1 { "case study" } else { "case studies" };
    let dry = if args.dry_run {
        " (dry run: nothing written)"
    } else {
        ""
    };
    eprintln!(
        "{} {n} {what}, skipped {}{dry}",
        capitalise(verb),
        report.skipped.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `casebook init`: writes a starter portal and says what to do next, in
/// shell lines that run as written (the explanations are `#` comments).
fn init(args: &cli::InitArgs) -> Result<(), Error> {
    let written = casebook::scaffold::init(&args.dir)?;
    println!("Created a portal in {}:", args.dir.display());
    for path in &written {
        println!("  {}", path.display());
    }
    let program = program_name();
    let steps = casebook::scaffold::next_steps(&args.dir, &program);
    let width = steps
        .iter()
        .map(|(c, _)| c.chars().count())
        .max()
        .unwrap_or(0);
    println!("\nNext steps, from this folder:");
    for (command, why) in &steps {
        println!("  {command:<width$}   # {why}");
    }
    if program != "casebook" {
        println!(
            "\n`casebook` is not on your PATH, so these name this binary; to install it, run\n\
             `cargo install --locked --path .` in Casebook's source folder (README, \"Install\")."
        );
    }
    Ok(())
}

/// How a shell finds this program: `casebook` when a `casebook` is on the
/// `PATH`, else this binary's own path (run through `cargo run`, say).
fn program_name() -> String {
    let name = format!("casebook{}", std::env::consts::EXE_SUFFIX);
    let on_path = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(&name).is_file()));
    match std::env::current_exe() {
        Ok(exe) if !on_path => casebook::scaffold::shell_quote(&exe.to_string_lossy()),
        _ => "casebook".to_string(),
    }
}

/// A progress bar over the build stages, only on a terminal and not `--quiet`.
fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(casebook::STAGES.len() as u64);
    let style = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} ({elapsed})")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal();
    for d in diagnostics {
        eprint!("{}", d.render(color));
    }
}

fn report_error(error: &Error) {
    match error {
        Error::Content(diagnostics) => {
            print_diagnostics(diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!("error: {errors} problem(s) found; nothing was written (the previous output is unchanged)");
        }
        other => eprintln!("error: {other}"),
    }
}

/// mimalloc's `purge_delay` option, numbered as in `mimalloc.h` (the Rust
/// binding has no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells the allocator to keep the memory a build frees for its next
/// allocations instead of returning it to the system after 10 ms: a build
/// frees and reallocates its peak (~300 MB at 10,000 case studies) many times
/// over, and each return made the kernel zero the same pages again, a fifth
/// of the build's system time.
fn keep_freed_memory() {
    // SAFETY: sets a plain integer option before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    no_huge_pages();
}

/// Asks the kernel for ordinary pages rather than transparent huge pages,
/// which mimalloc requests for its arenas: the kernel zeroes a whole 2 MB
/// page on its first touch, and a 10k build spent 18% of its CPU samples in
/// `clear_page_erms`; without them it takes ~10% less CPU and 45 MB less
/// memory. (mimalloc's own `allow_thp` option is read when it starts, before
/// `main`, so it cannot be set from here.)
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE only sets a flag on this process.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}

/// A build allocates and frees millions of small strings from two threads at
/// once (contexts, cards, tokens); glibc's allocator spent about a tenth of the
/// build in its locks and free lists, mimalloc's per-thread heaps a third of that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
