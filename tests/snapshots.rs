//! Whole-output snapshots of the fixture site (issue 16): one snapshot per
//! page type, the open data and search files, a listing of every output
//! file with its size and hash, and the diagnostics of `casebook check` on
//! bad input. Any change in what Casebook writes fails here and is reviewed
//! as a diff of `tests/snapshots/*.snap`.
//!
//! The text snapshots are for reading; the exact bytes are guarded by the
//! tree listing, whose hash also catches what insta's comparison forgives
//! (trailing whitespace at the end of a file, CRLF for LF) and every file
//! with no snapshot of its own (CSS, JS, binary search index).
//!
//! After an intended change: `INSTA_UPDATE=always cargo test --test
//! snapshots`, then read `git diff tests/snapshots/` (or `cargo insta
//! review`, if cargo-insta is installed).

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use common::{fnv1a, SiteTest};

/// One output file per page type: (snapshot name, path under `public/`).
const PAGES: &[(&str, &str)] = &[
    ("home", "index.html"),
    // The page with most metadata: image, links, table, sanitised HTML.
    ("case_study", "case-studies/bicol-committee/index.html"),
    ("case_study_rtl", "case-studies/jordan-centres/index.html"),
    ("listing", "case-studies/index.html"),
    ("listing_page_2", "case-studies/page/2/index.html"),
    ("facet", "sdg/index.html"),
    ("term_parent", "sdg/10/index.html"),
    ("term_child", "sdg/10-7/index.html"),
    ("intersection", "explore/levels-local/gcm-rt1/index.html"),
    ("browse", "browse/index.html"),
    ("search", "search/index.html"),
    ("about", "about/index.html"),
    ("not_found", "404.html"),
    ("sitemap", "sitemap.xml"),
    ("robots", "robots.txt"),
    ("atom", "atom.xml"),
    ("catalogue_json", "catalogue.json"),
    ("catalogue_csv", "catalogue.csv"),
    ("search_meta", "search/meta.json"),
    ("search_doc", "search/docs/2.json"),
];

/// Bad-input fixtures whose `casebook check` report is snapshotted whole.
const CHECKED: &[&str] = &["unknown_code", "broken_links", "wrong_types"];

/// Compares every snapshot before failing, so that one run shows (and with
/// `INSTA_UPDATE=always` writes) every change, not only the first.
#[derive(Default)]
struct Snapshots {
    failed: Vec<String>,
}

impl Snapshots {
    fn check(&mut self, name: &str, description: &str, text: &str) {
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_description(description);
        let compared = catch_unwind(AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(name, text))
        }));
        if compared.is_err() {
            self.failed.push(name.to_string());
        }
    }

    #[track_caller]
    fn finish(self) {
        assert!(
            self.failed.is_empty(),
            "output changed: {:?}\nif intended: INSTA_UPDATE=always cargo test --test snapshots, \
             then review `git diff tests/snapshots/`",
            self.failed
        );
    }
}

/// Minified JSON with a line break after each `},`, so a review diff shows
/// the records that changed rather than one long line. Lossless: the file
/// has no line breaks of its own (asserted), so the bytes are the snapshot
/// without its line breaks.
#[track_caller]
fn one_record_per_line(path: &str, json: &str) -> String {
    assert!(!json.contains('\n'), "{path} is no longer minified");
    json.replace("},", "},\n")
}

#[test]
fn every_page_type_and_output_file_matches_its_snapshot() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let tree = site.tree("public");

    // Snapshots must not depend on where the test runs.
    let root = site.root().to_string_lossy().into_owned();
    for (path, bytes) in &tree {
        assert!(
            !String::from_utf8_lossy(bytes).contains(&root),
            "{path} contains the site's temporary path {root}"
        );
    }

    let mut snapshots = Snapshots::default();
    for (name, path) in PAGES {
        let text = site.output(path);
        let text = if path.ends_with(".json") && !text.contains('\n') {
            one_record_per_line(path, &text)
        } else {
            text
        };
        snapshots.check(name, &format!("public/{path}"), &text);
    }

    let listing: String = tree
        .iter()
        .map(|(path, bytes)| format!("{path} {} {:016x}\n", bytes.len(), fnv1a(bytes)))
        .collect();
    snapshots.check(
        "output_tree",
        "every file under public/: path, size in bytes, FNV-1a 64 of its bytes",
        &listing,
    );
    snapshots.finish();
}

#[test]
fn check_diagnostics_match_their_snapshots() {
    let mut snapshots = Snapshots::default();
    for fixture in CHECKED {
        let mut site = SiteTest::with(fixture);
        site.check(&[]);
        let mut report = format!(
            "exit code: {}\n--- stdout ---\n{}--- stderr ---\n{}",
            site.code(),
            site.stdout(),
            site.stderr()
        );
        // The site lives in a temporary folder: name it the same every run.
        let root = site.root().to_path_buf();
        for form in [root.canonicalize().unwrap(), root] {
            report = report.replace(&*form.to_string_lossy(), "[site]");
        }
        snapshots.check(
            &format!("check_{fixture}"),
            &format!("casebook check on tests/fixtures/{fixture}/ over base/"),
            &report,
        );
    }
    snapshots.finish();
}
