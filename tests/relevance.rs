//! Relevance: the sample portal's search puts first what a reader wants.
//!
//! `tests/relevance/queries.yaml` holds the queries and, judged by hand from the case studies'
//! text, the case studies each should bring first. The sample portal is built with the real
//! binary, and each query is ranked by the search page's own code (`rank` in `casebook.js`)
//! over the index files, through node (`tests/relevance/rank.mjs`): no second implementation
//! of the ranking that could drift from the page. `tests/browser/relevance.test.mjs` types the
//! same queries into the real page.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

/// The test set's precision at 3 may not fall below this: 0.993 when the set was written (the
/// README's "Relevance"), less about one query's worth (1/46).
const MIN_MEAN_P3: f64 = 0.97;

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Query {
    q: String,
    expect: Vec<String>,
    #[serde(default)]
    never: Vec<String>,
    /// The judgement's reason, for the file's readers; the tests do not read it.
    #[serde(default, skip_serializing)]
    #[allow(dead_code)]
    why: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Ranked {
    q: String,
    top: Vec<String>,
    found: usize,
    p3: f64,
    never: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Evaluation {
    p3: f64,
    queries: Vec<Ranked>,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn queries() -> Vec<Query> {
    let path = repo().join("tests/relevance/queries.yaml");
    let text = std::fs::read_to_string(&path).expect("tests/relevance/queries.yaml");
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The sample portal (the repository's own content), built into `out`.
fn build_sample(out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["build", "--quiet", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(out)
        .status()
        .expect("run casebook");
    assert!(
        status.success(),
        "casebook build of the sample portal failed"
    );
}

/// Every query ranked by `rank.mjs` in node.
fn rank(site: &Path, queries: &[Query]) -> Evaluation {
    let mut child = Command::new("node")
        .arg(repo().join("tests/relevance/rank.mjs"))
        .arg(site)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node is needed to run casebook.js's ranking (it runs the browser tests too)");
    let input = serde_json::to_vec(queries).expect("queries as JSON");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&input)
        .expect("write queries");
    let out = child.wait_with_output().expect("node rank.mjs");
    assert!(out.status.success(), "node tests/relevance/rank.mjs failed");
    serde_json::from_slice(&out.stdout).expect("rank.mjs prints JSON")
}

#[test]
fn the_test_set_is_large_and_names_real_case_studies() {
    let queries = queries();
    assert!(
        queries.len() >= 25,
        "{} queries: at least 25",
        queries.len()
    );
    let slugs: BTreeSet<String> = walkdir::WalkDir::new(repo().join("content/case-studies"))
        .into_iter()
        .map(|e| e.expect("content").into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("case study");
            let given = text.lines().find_map(|l| l.strip_prefix("slug: "));
            given.map_or_else(
                || p.file_stem().unwrap().to_string_lossy().into(),
                str::to_string,
            )
        })
        .collect();
    for q in &queries {
        assert!(!q.expect.is_empty(), "{:?} expects nothing", q.q);
        for slug in q.expect.iter().chain(&q.never) {
            assert!(slugs.contains(slug), "{:?}: no case study {slug:?}", q.q);
        }
    }
}

#[test]
fn search_puts_first_what_readers_want() {
    let queries = queries();
    let site = tempfile::tempdir().expect("temporary folder");
    build_sample(site.path());
    let result = rank(site.path(), &queries);
    let mut report = String::new();
    for r in &result.queries {
        let top: Vec<&str> = r.top.iter().take(3).map(String::as_str).collect();
        report += &format!(
            "{:.2}  {:28} {} found; {}\n",
            r.p3,
            r.q,
            r.found,
            top.join(", ")
        );
    }
    eprintln!(
        "{report}P@3 {:.3} over {} queries",
        result.p3,
        queries.len()
    );
    for r in &result.queries {
        assert!(
            r.never.is_empty(),
            "{:?} finds {:?}, which never say it",
            r.q,
            r.never
        );
        assert!(r.found > 0, "{:?} finds nothing", r.q);
    }
    assert!(
        result.p3 >= MIN_MEAN_P3,
        "precision at 3 fell to {:.3} (at least {MIN_MEAN_P3}):\n{report}",
        result.p3
    );
}
