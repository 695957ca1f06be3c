//! `SiteTest`: builds fixture sites in a temporary folder with the real
//! binary and asserts on what it prints and writes.
//!
//! A fixture is `tests/fixtures/base/` with an optional overlay
//! (`tests/fixtures/<name>/`) copied on top, so each bad-input fixture holds
//! only the file that is bad; a fixture with its own `casebook.yaml` and
//! content (`no_facets`) is a whole site, used alone. `server` runs `casebook serve` for the serve
//! tests and the soak.

#![allow(dead_code, unreachable_pub)]

pub mod server;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fixture site in a temporary folder.
pub struct SiteTest {
    dir: tempfile::TempDir,
    pub last: Option<Output>,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

impl SiteTest {
    /// The base fixture.
    pub fn base() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixtures().join("base"), dir.path());
        SiteTest { dir, last: None }
    }

    /// An empty folder (for `casebook init`).
    pub fn empty() -> Self {
        SiteTest {
            dir: tempfile::tempdir().unwrap(),
            last: None,
        }
    }

    /// `tests/fixtures/<name>/` alone, a whole site (not an overlay).
    pub fn alone(name: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixtures().join(name), dir.path());
        SiteTest { dir, last: None }
    }

    /// The base fixture with `tests/fixtures/<name>/` copied over it.
    pub fn with(name: &str) -> Self {
        let site = SiteTest::base();
        site.overlay(name);
        site
    }

    /// Copies `tests/fixtures/<name>/` over the site.
    pub fn overlay(&self, name: &str) {
        copy_tree(&fixtures().join(name), self.dir.path());
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Path of a file in the site.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file in the site.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Makes a symbolic link at `rel` in the site to `target`, as written
    /// (absolute, or relative to the link's folder). Links cannot be
    /// committed portably, so tests make them in their temporary copy.
    #[cfg(unix)]
    pub fn link(&self, rel: &str, target: impl AsRef<Path>) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, path).unwrap();
        self
    }

    /// Replaces `from` with `to` in a file of the site. Panics if `from` is
    /// not there: an edit that changes nothing would leave the test
    /// checking the unedited site, and passing for the wrong reason.
    #[track_caller]
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    /// Runs `casebook <args>` in the site root.
    pub fn run(&mut self, args: &[&str]) -> &mut Self {
        let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("casebook runs");
        self.last = Some(out);
        self
    }

    /// Runs `casebook build` with extra arguments.
    pub fn build(&mut self, extra: &[&str]) -> &mut Self {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Runs `casebook check` with extra arguments.
    pub fn check(&mut self, extra: &[&str]) -> &mut Self {
        let mut args = vec!["check"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Text of a file in the site.
    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The last run's standard output parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        let out = self.stdout();
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
    }

    /// A file of the site parsed as JSON.
    #[track_caller]
    pub fn json_file(&self, rel: &str) -> serde_json::Value {
        let text = self.read(rel);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not JSON ({e})"))
    }

    /// Exit code of the last run.
    pub fn code(&self) -> i32 {
        self.last.as_ref().unwrap().status.code().unwrap_or(-1)
    }

    /// Standard error of the last run.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.last.as_ref().unwrap().stderr).into_owned()
    }

    /// Standard output of the last run.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.last.as_ref().unwrap().stdout).into_owned()
    }

    /// Asserts the last run's exit code, showing its output if it differs.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code(),
            code,
            "exit code; stderr:\n{}\nstdout:\n{}",
            self.stderr(),
            self.stdout()
        );
        self
    }

    /// Asserts stderr contains every needle.
    #[track_caller]
    pub fn assert_stderr(&self, needles: &[&str]) -> &Self {
        let err = self.stderr();
        for n in needles {
            assert!(err.contains(n), "stderr lacks {n:?}:\n{err}");
        }
        self
    }

    /// Asserts stdout contains every needle.
    #[track_caller]
    pub fn assert_stdout(&self, needles: &[&str]) -> &Self {
        let out = self.stdout();
        for n in needles {
            assert!(out.contains(n), "stdout lacks {n:?}:\n{out}");
        }
        self
    }

    /// Text of an output file (under `public/` unless the path is absolute).
    #[track_caller]
    pub fn output(&self, rel: &str) -> String {
        let path = self.path("public").join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Every file under `dir` with its bytes, by relative path.
    pub fn tree(&self, dir: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.path(dir))
    }
}

/// FNV-1a, 64 bits: defined by its two constants, so the same on every
/// Rust version and machine (`std`'s hashers promise neither).
#[allow(dead_code)] // not every test binary lists file hashes
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Every file under `dir` with its bytes, by `/`-separated relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Every `href`/`src` value in an HTML document.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}
