//! Symbolic links under `content/` and `themes/`: followed inside the site,
//! refused when they lead outside it, so that nothing outside the site
//! folder is ever published (`ln -s /etc/passwd content/notes.txt`).
//!
//! Links cannot be committed portably: each test makes them in its
//! temporary copy of the fixture.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::SiteTest;

/// Text in every file outside the site; it must never reach the output.
const SECRET: &str = "SECRET-FROM-OUTSIDE-THE-SITE";

/// A folder outside the site: a case study, a text file, a template and a
/// stylesheet, each holding [`SECRET`].
struct Outside {
    dir: tempfile::TempDir,
}

impl Outside {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            (
                "secret.md",
                format!("---\ntitle: Secret case\n---\n{SECRET}\n"),
            ),
            ("secret.txt", format!("{SECRET}\n")),
            ("secret.xml", format!("<feed>{SECRET}</feed>\n")),
            ("secret.css", format!("/* {SECRET} */\n")),
        ];
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        Outside { dir }
    }

    /// A path in the folder, as written in a link.
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A path in the folder, resolved, as a message names it.
    fn real(&self, name: &str) -> String {
        let dir = self.dir.path().canonicalize().unwrap();
        let path = if name.is_empty() { dir } else { dir.join(name) };
        path.display().to_string()
    }
}

/// A site built once, with its output, to compare after a refused build.
fn built_site() -> (SiteTest, BTreeMap<String, Vec<u8>>) {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let before = site.tree("public");
    (site, before)
}

/// The build fails with exit code 1, `errors` errors and every needle,
/// writes nothing (the previous output is byte for byte as it was, no
/// staging folder is left) and `check` reports the same.
#[track_caller]
fn assert_refused(
    site: &mut SiteTest,
    before: &BTreeMap<String, Vec<u8>>,
    errors: usize,
    needles: &[&str],
) {
    let count = format!("error: {errors} problem(s) found; nothing was written");
    site.build(&[])
        .assert_code(1)
        .assert_stderr(needles)
        .assert_stderr(&[&count]);
    assert!(site.tree("public") == *before, "previous output changed");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("casebook-"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
    let count = format!(": {errors} error");
    site.check(&[])
        .assert_code(1)
        .assert_stderr(needles)
        .assert_stderr(&[&count]);
}

#[test]
fn a_file_linked_from_outside_is_an_error_naming_link_and_target() {
    let outside = Outside::new();
    let (mut site, before) = built_site();
    site.link("content/case-studies/notes.txt", outside.path("secret.txt"));
    let message = format!(
        "content/case-studies/notes.txt: error: symbolic link to {}, which is outside the site",
        outside.real("secret.txt")
    );
    assert_refused(
        &mut site,
        &before,
        1,
        &[
            &message,
            "help: copy the file into the site, or link to something inside it",
        ],
    );
}

#[test]
fn the_password_file_is_never_published() {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let first = passwd.lines().next().unwrap_or("root:x:0:0");
    let mut site = SiteTest::base();
    site.link("content/case-studies/notes.txt", "/etc/passwd");
    site.build(&[]).assert_code(1).assert_stderr(&[
        "content/case-studies/notes.txt: error: symbolic link to /etc/passwd, which is outside the site",
    ]);
    assert!(
        !site.path("public").exists(),
        "an output folder was written"
    );
    site.check(&["--format", "json"]).assert_code(1);
    let json = site.json();
    let link = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "content/case-studies/notes.txt")
        .expect("the link is reported");
    assert_eq!(link["severity"], "error");
    assert!(link["message"].as_str().unwrap().contains("/etc/passwd"));
    // Without the link, the same site builds, and nothing of the file is in it.
    std::fs::remove_file(site.path("content/case-studies/notes.txt")).unwrap();
    site.build(&[]).assert_code(0);
    for (path, bytes) in site.tree("public") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(first), "{path} holds /etc/passwd");
    }
}

#[test]
fn a_folder_linked_from_outside_is_not_entered() {
    let outside = Outside::new();
    let (mut site, before) = built_site();
    site.link("content/case-studies/shared", outside.dir.path());
    let message = format!(
        "content/case-studies/shared: error: symbolic link to {}, which is outside the site",
        outside.real("")
    );
    assert_refused(&mut site, &before, 1, &[&message]);
    assert!(
        !site.stderr().contains("secret.md"),
        "the files under the link were read:\n{}",
        site.stderr()
    );
}

/// Written with a `..` chain through a link to a link: what counts is
/// where it ends, and the message says both.
#[test]
fn a_markdown_file_linked_from_outside_through_dots_and_links_is_an_error() {
    let outside = Outside::new();
    let (mut site, before) = built_site();
    let away = outside.dir.path().file_name().unwrap().to_string_lossy();
    // content/case-studies/ → site root → the temporary folder holding both.
    let site_name = site.root().file_name().unwrap().to_string_lossy();
    let dots = format!("../../../{site_name}/../{away}/secret.md");
    site.link("content/case-studies/hop.md", &dots);
    site.link("content/case-studies/away.md", "hop.md");
    let away_message = format!(
        "content/case-studies/away.md: error: symbolic link to {}, which is outside the site (the link says hop.md)",
        outside.real("secret.md")
    );
    let hop_message = format!(
        "content/case-studies/hop.md: error: symbolic link to {}, which is outside the site (the link says {dots})",
        outside.real("secret.md")
    );
    assert_refused(&mut site, &before, 2, &[&away_message, &hop_message]);
}

#[test]
fn theme_files_linked_from_outside_are_errors() {
    let outside = Outside::new();
    let (mut site, before) = built_site();
    site.link(
        "themes/default/templates/atom.xml",
        outside.path("secret.xml"),
    );
    site.link(
        "themes/default/static/casebook.css",
        outside.path("secret.css"),
    );
    let template = format!(
        "themes/default/templates/atom.xml: error: symbolic link to {}",
        outside.real("secret.xml")
    );
    let stylesheet = format!(
        "themes/default/static/casebook.css: error: symbolic link to {}",
        outside.real("secret.css")
    );
    assert_refused(&mut site, &before, 2, &[&template, &stylesheet]);
}

#[test]
fn a_themes_folder_linked_from_outside_is_blamed_once() {
    let outside = Outside::new();
    std::fs::create_dir_all(outside.path("default/templates")).unwrap();
    std::fs::create_dir_all(outside.path("default/static")).unwrap();
    let (mut site, before) = built_site();
    site.link("themes", outside.dir.path());
    let message = format!(
        "themes: error: symbolic link to {}, which is outside the site",
        outside.real("")
    );
    assert_refused(&mut site, &before, 1, &[&message]);
}

/// Links leading out are collected with the content's other problems: one
/// run reports them all.
#[test]
fn links_out_are_reported_with_the_other_problems() {
    let outside = Outside::new();
    let (mut site, before) = built_site();
    site.overlay("unknown_field");
    site.link("content/case-studies/notes.txt", outside.path("secret.txt"));
    site.link("content/pages/secret.md", outside.path("secret.md"));
    site.link(
        "themes/default/static/casebook.css",
        outside.path("secret.css"),
    );
    assert_refused(
        &mut site,
        &before,
        4,
        &[
            "typo.md:3:1",
            "content/case-studies/notes.txt: error:",
            "content/pages/secret.md: error:",
            "themes/default/static/casebook.css: error:",
        ],
    );
}

#[test]
fn links_inside_the_site_keep_working() {
    let mut site = SiteTest::base();
    site.write(
        "shared/cases/shared-case.md",
        "---\ntitle: Shared case\nsummary: Kept once, linked in.\n---\nShared body.\n",
    );
    site.write("shared/theme/extra.css", "/* shared stylesheet */\n");
    site.link("content/case-studies/shared", "../../shared/cases");
    site.link("content/case-studies/diagram-copy.svg", "diagram.svg");
    site.link(
        "themes/default/static/extra.css",
        "../../../shared/theme/extra.css",
    );
    site.build(&[]).assert_code(0);
    assert!(site
        .output("case-studies/shared-case/index.html")
        .contains("Shared body."));
    assert_eq!(
        site.output("case-studies/diagram-copy.svg"),
        site.output("case-studies/diagram.svg")
    );
    assert_eq!(site.output("assets/extra.css"), "/* shared stylesheet */\n");
    site.check(&[]).assert_code(0);
}

/// `~/site` → `/data/site`: the links are compared with the resolved root.
#[test]
fn a_site_reached_through_a_link_builds() {
    let site = SiteTest::base();
    site.link("content/case-studies/diagram-copy.svg", "diagram.svg");
    let elsewhere = tempfile::tempdir().unwrap();
    let via = elsewhere.path().join("site");
    std::os::unix::fs::symlink(site.root(), &via).unwrap();
    for command in ["build", "check"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args([command, "--root"])
            .arg(&via)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{command}:\n{stderr}");
    }
    assert!(site.path("public/case-studies/diagram-copy.svg").is_file());
}

#[test]
fn a_dangling_link_says_so() {
    let (mut site, before) = built_site();
    site.link("content/case-studies/gone.md", "moved-away.md");
    site.build(&[]).assert_code(2).assert_stderr(&[
        "content/case-studies/gone.md: symbolic link to a file that does not exist",
        "remove the link or fix its target",
    ]);
    assert!(site.tree("public") == before, "previous output changed");
}
