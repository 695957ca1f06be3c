//! Soak: random edits at a small site while `casebook serve` runs.
//!
//! A seeded generator edits the fixture site the way people and tools do:
//! text, titles, summaries, dates, slugs, review statuses and terms (values from the site's
//! vocabularies); broken files and their fixes; renamed and deleted files
//! and folders, new files and folders, symbolic links inside the site,
//! the config; with random pauses and bursts of edits with none. After each
//! edit the server must still be running. At the end every file is made
//! valid again and, once the preview has settled, the site it serves must be
//! byte for byte a fresh `casebook build --drafts` of the same files (serve
//! shows drafts; less the live-reload script that serve adds on purpose).
//!
//! `cargo test` runs 60 edits. The full soak, 1,000 edits on the release
//! binary, prints its figures:
//!
//! ```sh
//! cargo test --release --test soak -- --ignored --nocapture
//! CASEBOOK_SOAK_EDITS=3000 CASEBOOK_SOAK_SEED=7 cargo test --release --test soak -- --ignored --nocapture
//! ```
//!
//! Each run writes its edits and the server's output to
//! `target/tmp/soak-<seed>-<edits>.log`, so a failure can be replayed
//! (the same seed gives the same edits; the server's timing may differ).

mod common;
#[path = "soak/compare.rs"]
mod compare;
#[path = "soak/edits.rs"]
mod edits;
#[path = "soak/model.rs"]
mod model;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::server::{get, start_with, Server};
use common::SiteTest;
use compare::{compare, compare_http, snapshot, Tree};
use model::Model;

/// How long the server must stay idle to count as settled: longer than
/// the debounce (0.12 s) plus the wait before the search data is refreshed
/// (0.8 s), the two waits during which it has work to do but uses no CPU.
const STABLE: Duration = Duration::from_millis(2500);
/// Longest wait for the preview to settle after the last edit.
const SETTLE_LIMIT: Duration = Duration::from_secs(60);

/// What a soak saw.
#[derive(Debug, Default)]
struct Report {
    edits: usize,
    /// The server exited (it must not): after which edit, and how.
    exited: Option<String>,
    /// Edits after which the site was valid (by the soak's model).
    valid_after: usize,
    /// (edits so far, case studies, VmRSS in kB).
    rss: Vec<(usize, usize, u64)>,
    /// Per checkpoint, from the last write until the server went idle
    /// (`None`: it did not settle).
    settle: Vec<Option<Duration>>,
    duration: Duration,
    full_builds: usize,
    updates: usize,
    problem_reports: usize,
    /// Lines saying a thread of the server panicked.
    panics: Vec<String>,
    /// Files compared, over all checkpoints.
    compared: usize,
    mismatches: Vec<String>,
}

#[test]
fn sixty_random_edits_leave_serve_running_and_serving_what_a_fresh_build_makes() {
    let seed = env("CASEBOOK_SOAK_SEED", 1);
    let report = soak(60, 30, seed);
    print_report(&report, seed);
    assert_sound(&report, seed);
}

#[test]
#[ignore = "the full soak: minutes; run with --ignored --nocapture on a release build"]
fn soak_full() {
    let seed = env("CASEBOOK_SOAK_SEED", 1);
    let edits = env("CASEBOOK_SOAK_EDITS", 1000) as usize;
    let report = soak(edits, 100, seed);
    print_report(&report, seed);
    assert_sound(&report, seed);
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).map_or(default, |v| v.parse().expect(name))
}

#[track_caller]
fn assert_sound(report: &Report, seed: u64) {
    let log = log_path(seed, report.edits);
    assert!(
        report.exited.is_none(),
        "serve exited: {:?}; see {log}",
        report.exited
    );
    assert!(
        report.panics.is_empty(),
        "a server thread panicked: {:?}; see {log}",
        report.panics
    );
    assert!(
        report.settle.iter().all(Option::is_some),
        "the preview did not settle within {SETTLE_LIMIT:?}; see {log}"
    );
    assert!(report.compared > 0, "nothing compared");
    assert!(
        report.mismatches.is_empty(),
        "{} mismatches between the served site and a fresh build (seed {seed}; see {log}):\n{}",
        report.mismatches.len(),
        report.mismatches.join("\n")
    );
}

fn print_report(r: &Report, seed: u64) {
    let mb = |kb: u64| kb as f64 / 1024.0;
    println!(
        "soak: seed {seed}, {} edits applied in {:.0} s",
        r.edits,
        r.duration.as_secs_f64()
    );
    println!("server exits: {}", r.exited.as_deref().unwrap_or("0"));
    println!("site valid after {} of the edits", r.valid_after);
    println!(
        "server: {} full builds, {} incremental updates, {} problem reports, {} panics",
        r.full_builds,
        r.updates,
        r.problem_reports,
        r.panics.len()
    );
    let samples: Vec<String> = r
        .rss
        .iter()
        .map(|(i, cases, kb)| format!("{i} ({cases} cases): {:.1}", mb(*kb)))
        .collect();
    println!("RSS MB by edits: {}", samples.join(", "));
    let settle: Vec<String> = r
        .settle
        .iter()
        .map(|s| s.map_or("never".into(), |d| format!("{:.2}", d.as_secs_f64())))
        .collect();
    println!(
        "idle (s after the last write, per checkpoint): {}",
        settle.join(", ")
    );
    println!(
        "files compared: {} at {} checkpoints; mismatches: {}",
        r.compared,
        r.settle.len(),
        r.mismatches.len()
    );
    for m in &r.mismatches {
        println!("  {m}");
    }
}

fn log_path(seed: u64, edits: usize) -> String {
    format!("{}/soak-{seed}-{edits}.log", env!("CARGO_TARGET_TMPDIR"))
}

/// A soak under way.
struct Soak {
    site: SiteTest,
    model: Model,
    server: Server,
    tmp: tempfile::TempDir,
    /// The folder the server builds the preview in.
    served: PathBuf,
    log: Vec<String>,
    report: Report,
}

/// Runs `edits` random edits, comparing the served site with a fresh build
/// every `every` edits and at the end.
fn soak(edits: usize, every: usize, seed: u64) -> Report {
    let site = SiteTest::base();
    let model = Model::load(site.root(), seed);
    let tmp = tempfile::tempdir().unwrap();
    let server = start_with(&site, 0, Some(tmp.path()));
    let served = tmp
        .path()
        .join(format!("casebook-serve-{}", server.child.id()));
    let log = vec![format!("seed {seed}, port {}", server.port)];
    let mut soak = Soak {
        site,
        model,
        server,
        tmp,
        served,
        log,
        report: Report::default(),
    };
    let started = Instant::now();
    soak.sample_rss(0);
    let mut burst = 0;
    for i in 1..=edits {
        let what = soak.model.random_edit();
        soak.edited(i, what);
        if soak.report.exited.is_some() {
            break;
        }
        if i % 50 == 0 {
            soak.sample_rss(i);
            assert_eq!(
                get(soak.server.port, "/").0,
                200,
                "serve answers after edit {i}"
            );
        }
        if i % every == 0 || i == edits {
            soak.checkpoint(i);
        } else {
            burst = pause(&mut soak.model, burst);
        }
        if soak.report.exited.is_some() {
            break;
        }
    }
    soak.report.duration = started.elapsed();
    soak.finish(seed, edits)
}

impl Soak {
    /// Logs an edit and checks the server is still running.
    fn edited(&mut self, i: usize, what: String) {
        self.report.edits = i;
        self.report.valid_after += self.model.is_valid() as usize;
        if let Some(status) = self.server.child.try_wait().unwrap() {
            self.report.exited = Some(format!("after edit {i} ({what}): {status}"));
        }
        self.log.push(format!("{i}: {what}"));
    }

    fn sample_rss(&mut self, edits: usize) {
        let cases = self.model.docs.values().filter(|d| !d.page).count();
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.server.child.id()));
        let kb = status
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            })
            .unwrap_or(0);
        self.report.rss.push((edits, cases, kb));
    }

    /// Makes every file valid, ends with a few edits the preview applies
    /// without a rebuild (whatever they leave behind is what a comparison
    /// right after a rebuild would miss), waits for the preview to settle
    /// and compares it with a fresh build.
    fn checkpoint(&mut self, i: usize) {
        for what in self.model.repair() {
            self.log.push(format!("repair: {what}"));
        }
        check_valid(self.site.root(), &self.log);
        std::thread::sleep(self.model.rng.millis(300, 1200));
        let mut written = Instant::now();
        for _ in 0..1 + self.model.rng.below(4) {
            std::thread::sleep(self.model.rng.millis(150, 500));
            let what = self.model.text_edit();
            written = Instant::now();
            self.edited(i, format!("checkpoint edit: {what}"));
        }
        self.log.push(format!("checkpoint after edit {i}"));
        let (settle, tree) = settle(&self.server, &self.served, written);
        self.report.settle.push(settle);
        let fresh = fresh_build(self.site.root(), self.tmp.path(), self.server.port);
        self.report.compared += fresh.len();
        let mut mismatches = compare(&tree, &fresh);
        mismatches.extend(compare_http(self.server.port, &fresh));
        for m in mismatches {
            self.log.push(format!("mismatch: {m}"));
            self.report.mismatches.push(format!("after edit {i}: {m}"));
        }
        if let Some(status) = self.server.child.try_wait().unwrap() {
            self.report.exited = Some(format!("at the checkpoint after edit {i}: {status}"));
        }
    }

    /// Counts what the server said and writes the log.
    fn finish(mut self, seed: u64, edits: usize) -> Report {
        if self.report.exited.is_none() {
            self.sample_rss(self.report.edits);
        }
        std::thread::sleep(Duration::from_millis(100));
        self.log.push("--- server output ---".to_string());
        let report = &mut self.report;
        for line in self.server.log.try_iter() {
            report.full_builds += line.starts_with("Built ") as usize;
            report.updates += line.starts_with("Updated ") as usize;
            report.problem_reports += line.starts_with("The site was not updated") as usize;
            if line.contains("panicked") {
                report.panics.push(line.clone());
            }
            self.log.push(line);
        }
        std::fs::write(log_path(seed, edits), self.log.join("\n") + "\n").unwrap();
        self.report
    }
}

/// Waits between edits: mostly a little, sometimes long enough for the
/// search data to be refreshed, and sometimes not at all for a burst.
fn pause(model: &mut Model, burst: usize) -> usize {
    if burst > 0 {
        return burst - 1;
    }
    if model.rng.chance(8) {
        return 3 + model.rng.below(8);
    }
    // Mostly apart by more than the preview's debounce (0.12 s), so most
    // edits are batches of their own; now and then long enough for the
    // search data to be refreshed (0.8 s).
    let wait = match model.rng.below(10) {
        0..=5 => model.rng.millis(50, 300),
        6..=8 => model.rng.millis(300, 800),
        _ => model.rng.millis(800, 1500),
    };
    std::thread::sleep(wait);
    0
}

/// The repaired site must be valid, or the comparison means nothing.
fn check_valid(root: &Path, log: &[String]) {
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the soak's repair left the site invalid (a bug in the soak's model):\n{}\nlast edits:\n{}",
        String::from_utf8_lossy(&out.stderr),
        log[log.len().saturating_sub(30)..].join("\n")
    );
}

/// Waits until the preview is idle: for [`STABLE`] the server used no CPU
/// and the served folder did not change (a rebuild works beside the folder
/// and swaps it in at the end, so the folder alone can look still while
/// one runs), then no problem may be shown. Returns when, after `since`
/// (the last write), it went idle, and the served files.
fn settle(server: &Server, served: &Path, since: Instant) -> (Option<Duration>, Tree) {
    let mut quiet = Instant::now();
    let mut last = (cpu_ticks(server), snapshot(served));
    loop {
        std::thread::sleep(Duration::from_millis(250));
        let now = (cpu_ticks(server), snapshot(served));
        if now.1.is_none() || now != last {
            (quiet, last) = (Instant::now(), now);
        } else if quiet.elapsed() >= STABLE {
            let status = get(server.port, "/__casebook/status").1;
            if status.contains("\"problems\":null") {
                return (
                    Some(quiet.saturating_duration_since(since)),
                    last.1.unwrap(),
                );
            }
        }
        if since.elapsed() > SETTLE_LIMIT {
            return (None, last.1.unwrap_or_default());
        }
    }
}

/// CPU time the server has used, in clock ticks.
fn cpu_ticks(server: &Server) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", server.child.id()));
    let stat = stat.unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    // utime and stime: fields 14 and 15 of proc(5), 12 and 13 after the name.
    fields
        .get(11..13)
        .map_or(0, |t| t.iter().filter_map(|v| v.parse::<u64>().ok()).sum())
}

fn fresh_build(root: &Path, tmp: &Path, port: u16) -> Tree {
    let out = tmp.join("fresh");
    let status = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["build", "--quiet", "--drafts", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&out)
        .args(["--base-url", &format!("http://127.0.0.1:{port}/")])
        .status()
        .unwrap();
    assert!(status.success(), "a fresh build of the repaired site");
    snapshot(&out).expect("the fresh build")
}
