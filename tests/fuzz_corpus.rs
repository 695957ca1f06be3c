//! The fuzz corpus, replayed on the stable toolchain.
//!
//! `fuzz/` holds cargo-fuzz targets (libFuzzer, nightly flags) for the
//! front-matter reader and the Markdown path; their checks live in
//! `fuzz/src/lib.rs` and are compiled here too, so every `cargo test` runs
//! every input of `fuzz/corpus/` through them: the sample and fixture files,
//! hand-written nasty cases, what the fuzzer kept for new coverage, and each
//! input that once crashed it. A crash fixed once cannot come back unseen.

use std::path::Path;
use std::time::{Duration, Instant};

#[allow(unreachable_pub, dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

/// Runs `check` on every UTF-8 file of `fuzz/corpus/<target>/` and reports
/// the slowest, failing on any input that takes over `limit`.
fn replay(target: &str, check: fn(&str)) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    inputs.sort();
    assert!(
        inputs.len() > 20,
        "{}: the corpus is missing",
        dir.display()
    );
    let mut slowest = (Duration::ZERO, None);
    for path in &inputs {
        let Ok(text) = String::from_utf8(std::fs::read(path).unwrap()) else {
            continue;
        };
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(|| check(&text));
        let took = started.elapsed();
        assert!(outcome.is_ok(), "{}: the check failed", path.display());
        if took > slowest.0 {
            slowest = (took, Some(path));
        }
    }
    eprintln!(
        "{target}: {} inputs, slowest {:?} ({:?})",
        inputs.len(),
        slowest.0,
        slowest.1
    );
}

#[test]
fn front_matter_corpus_is_read_without_panic() {
    replay("front_matter", checks::front_matter);
}

#[test]
fn markdown_corpus_renders_safe_html() {
    replay("markdown", checks::markdown);
}
