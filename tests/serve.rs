//! `casebook serve`: a real server on a free port, real edits to the files.

mod common;

use std::time::{Duration, Instant};

use common::server::{get, start, start_with};
use common::SiteTest;

/// Polls until `check` holds on the page, for at most 5 s.
#[track_caller]
fn eventually(port: u16, path: &str, what: &str, check: impl Fn(&str) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (_, body) = get(port, path);
        if check(&body) {
            return;
        }
        assert!(Instant::now() < deadline, "within 5 s: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

const CASE: &str = "content/case-studies/nepal-desks.md";
const PAGE: &str = "/case-studies/nepal-desks/";

#[test]
fn edits_are_served_bad_edits_keep_the_last_good_site_and_fixes_recover() {
    let site = SiteTest::base();
    let server = start(&site, 0);
    let port = server.port;
    let (status, body) = get(port, PAGE);
    assert_eq!(status, 200);
    assert!(
        body.contains("District migrant resource desks") && body.contains("__casebook/live.js")
    );

    let original = std::fs::read_to_string(site.path(CASE)).unwrap();
    site.write(
        CASE,
        &original.replace(
            "Workers knew their rights",
            "Workers knew EDITED-LIVE their rights",
        ),
    );
    eventually(port, PAGE, "the edit is served", |b| {
        b.contains("EDITED-LIVE")
    });

    site.write(
        CASE,
        &original.replace("title: \"District", "title: \"Broken: \"District"),
    );
    eventually(port, "/__casebook/status", "the problem is reported", |b| {
        b.contains("nepal-desks.md:2:")
    });
    let (_, page) = get(port, PAGE);
    assert!(
        page.contains("EDITED-LIVE"),
        "the last good page is still served"
    );

    site.write(CASE, &original);
    eventually(
        port,
        "/__casebook/status",
        "the fix clears the problem",
        |b| b.contains("\"problems\":null"),
    );
    eventually(port, PAGE, "the fixed page is served", |b| {
        !b.contains("EDITED-LIVE") && b.contains("Workers knew their rights")
    });
    drop(server);
}

/// A problem stays on screen until its own file is fixed: saving another
/// file, whose text edit alone would be incremental, must not clear it.
/// Like a build, the preview shows no site with a broken file in it: the
/// other edit appears once the problem is fixed.
#[test]
fn a_problem_stays_reported_while_other_files_are_edited() {
    let site = SiteTest::base();
    let server = start(&site, 0);
    let port = server.port;
    let other = "content/case-studies/bicol-committee.md";
    let fine = site.read(other);
    site.write(
        other,
        &fine.replace("title: \"Regional", "title: [\"Regional"),
    );
    eventually(port, "/__casebook/status", "the problem is reported", |b| {
        b.contains("bicol-committee.md:3:")
    });
    let original = site.read(CASE);
    site.write(CASE, &original.replace("Workers knew", "Workers soon knew"));
    std::thread::sleep(Duration::from_millis(1500));
    let (_, status) = get(port, "/__casebook/status");
    assert!(
        status.contains("bicol-committee.md:3:"),
        "the unfixed problem is still shown: {status}"
    );
    site.write(other, &fine);
    eventually(port, PAGE, "the other edit is served", |b| {
        b.contains("Workers soon knew")
    });
    eventually(port, "/__casebook/status", "the fix clears it", |b| {
        b.contains("\"problems\":null")
    });
}

#[test]
fn a_broken_internal_link_is_refused_like_in_a_build() {
    let site = SiteTest::base();
    let server = start(&site, 0);
    let port = server.port;
    let original = std::fs::read_to_string(site.path(CASE)).unwrap();
    site.write(
        CASE,
        &format!("{original}\nSee the [Bicol committee](bicol-comitee.md).\n"),
    );
    eventually(
        port,
        "/__casebook/status",
        "the broken link is reported",
        |b| b.contains("broken link") && b.contains("bicol-comitee.md"),
    );
    let (_, page) = get(port, PAGE);
    assert!(
        !page.contains("Bicol committee"),
        "the page with the broken link is not served"
    );
    site.write(CASE, &original);
    eventually(port, "/__casebook/status", "the fix clears it", |b| {
        b.contains("\"problems\":null")
    });
    drop(server);
}

#[test]
fn a_text_edit_updates_its_search_result_at_once_and_the_index_when_editing_pauses() {
    let site = SiteTest::base();
    let server = start(&site, 0);
    let port = server.port;
    // The edited case study's result fragment, found by its URL.
    let fragment = (0..10)
        .map(|id| format!("/search/docs/{id}.json"))
        .find(|path| get(port, path).1.contains("case-studies/nepal-desks/"))
        .expect("a result fragment for the case study");
    let original = std::fs::read_to_string(site.path(CASE)).unwrap();
    site.write(
        CASE,
        &original.replace("Workers knew", "Zanzibarish workers knew"),
    );
    eventually(
        port,
        &fragment,
        "the fragment's excerpt follows the edit",
        |b| b.contains("Zanzibarish workers knew"),
    );
    // The word reaches the index's dictionary shard for "za" once edits pause.
    eventually(
        port,
        "/search/index/d-7a61.json",
        "the index follows",
        |b| b.contains("\"zanzibarish\""),
    );
}

/// Found by the soak (tests/soak.rs): the index refreshed after text edits
/// kept every word ever typed, in shards a build no longer writes.
#[test]
fn the_search_index_after_text_edits_is_the_one_a_build_makes() {
    let mut site = SiteTest::base();
    let server = start(&site, 0);
    let port = server.port;
    let original = site.read(CASE);
    site.edit(CASE, "Workers knew", "Zanzibarish workers knew");
    eventually(
        port,
        "/search/index/d-7a61.json",
        "the new word is indexed",
        |b| b.contains("\"zanzibarish\""),
    );
    site.write(CASE, &original.replace(" before leaving", ""));
    let deadline = Instant::now() + Duration::from_secs(5);
    while get(port, "/search/index/d-7a61.json").0 != 404 {
        assert!(
            Instant::now() < deadline,
            "the shard of a word gone is removed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = site.path("fresh");
    let base_url = format!("http://127.0.0.1:{port}/");
    site.build(&["--output", "fresh", "--base-url", &base_url])
        .assert_code(0);
    let fresh = common::tree(&out);
    let index = fresh
        .iter()
        .filter(|(p, _)| p.starts_with("search/index/") || *p == "search/meta.json");
    for (path, bytes) in index {
        let (status, served) = common::server::get_bytes(port, &format!("/{path}"));
        assert_eq!(
            (status, &served),
            (200, bytes),
            "{path} as a build writes it"
        );
    }
}

/// Found by the soak: a case study reached through a symbolic link is a
/// second case study with the same file; an edit of that file must update
/// both, not only the one whose path the file system reported.
#[cfg(unix)]
#[test]
fn a_text_edit_updates_a_case_study_linked_to_the_same_file() {
    let site = SiteTest::base();
    let copy = site.path("content/case-studies/global-copy.md");
    std::os::unix::fs::symlink("global-data.md", copy).unwrap();
    let server = start(&site, 0);
    let port = server.port;
    eventually(
        port,
        "/case-studies/global-copy/",
        "the link is a case study",
        |b| b.contains("A global partnership for migration data"),
    );
    site.edit(
        "content/case-studies/global-data.md",
        "Body.",
        "Body EDITED-ONCE.",
    );
    eventually(
        port,
        "/case-studies/global-data/",
        "the file's own page",
        |b| b.contains("EDITED-ONCE"),
    );
    eventually(port, "/case-studies/global-copy/", "the linked page", |b| {
        b.contains("EDITED-ONCE")
    });
}

/// Found by the soak: a folder made with a file already in it (`cp -r`,
/// `unzip`, a folder renamed) reports the folder only, not its files; with
/// no Markdown among them the preview saw no change and never copied them.
#[test]
fn files_in_a_folder_made_or_renamed_while_serving_are_served() {
    let site = SiteTest::base();
    site.write("content/case-studies/figures/old.svg", "<svg/>");
    let server = start(&site, 0);
    let port = server.port;
    let made = site.path("content/case-studies/made");
    let staged = site.root().join("staged");
    std::fs::create_dir_all(&staged).unwrap();
    std::fs::write(staged.join("new.svg"), "<svg/>").unwrap();
    std::fs::rename(&staged, &made).unwrap();
    std::fs::rename(
        site.path("content/case-studies/figures"),
        site.path("content/case-studies/charts"),
    )
    .unwrap();
    let served = |path: &str| {
        let deadline = Instant::now() + Duration::from_secs(5);
        while get(port, path).0 != 200 {
            assert!(Instant::now() < deadline, "within 5 s: {path} is served");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    served("/case-studies/made/new.svg");
    served("/case-studies/charts/old.svg");
    assert_eq!(get(port, "/case-studies/figures/old.svg").0, 404);
}

#[test]
fn the_preview_rebuilds_only_when_a_file_changes_and_a_text_edit_is_incremental() {
    let site = SiteTest::base();
    let server = start(&site, 0);
    // The build's own reads of the content are not changes (inotify reports
    // every open; they once made the preview rebuild itself without end).
    std::thread::sleep(Duration::from_millis(1500));
    let idle: Vec<String> = server.log.try_iter().collect();
    assert!(idle.is_empty(), "nothing was edited: {idle:?}");
    let original = std::fs::read_to_string(site.path(CASE)).unwrap();
    let edited = original
        .replace("Workers knew", "Workers soon knew")
        .replace(
            "title: \"District migrant resource",
            "title: \"District migrant help",
        );
    site.write(CASE, &edited);
    let line = server
        .log
        .recv_timeout(Duration::from_secs(5))
        .expect("the edit is reported");
    assert!(
        line.starts_with("Updated "),
        "only the touched pages: {line}"
    );
    let (_, feed) = get(server.port, "/atom.xml");
    assert!(
        feed.contains("District migrant help desks"),
        "the feed shows the new title"
    );
    std::thread::sleep(Duration::from_millis(1500));
    let after: Vec<String> = server.log.try_iter().collect();
    assert!(after.is_empty(), "one update per edit: {after:?}");
}

#[test]
fn new_and_deleted_files_rebuild_the_site() {
    let site = SiteTest::base();
    let server = start(&site, 0);
    site.write(
        "content/case-studies/added.md",
        "---\ntitle: \"An added practice\"\nsummary: \"x\"\n---\nBody\n",
    );
    eventually(
        server.port,
        "/case-studies/added/",
        "a new file gets its page",
        |b| b.contains("An added practice"),
    );
    std::fs::remove_file(site.path("content/case-studies/added.md")).unwrap();
    eventually(
        server.port,
        "/case-studies/",
        "a deleted file leaves the listing",
        |b| !b.contains("An added practice"),
    );
    let leaflet = "content/case-studies/leaflet.pdf";
    site.write(leaflet, "%PDF-1.4 leaflet");
    eventually(
        server.port,
        "/case-studies/leaflet.pdf",
        "a new file is copied",
        |b| b.contains("leaflet"),
    );
    std::fs::remove_file(site.path(leaflet)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while get(server.port, "/case-studies/leaflet.pdf").0 != 404 {
        assert!(
            Instant::now() < deadline,
            "a deleted file is no longer served"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Customising starts by copying the default theme in, while the preview
/// runs; vocabulary files live wherever the config says. Both are followed.
#[test]
fn a_theme_folder_made_later_and_vocabulary_files_are_watched() {
    let site = SiteTest::base();
    let builtin = concat!(env!("CARGO_MANIFEST_DIR"), "/src/vocabularies/levels.yaml");
    let vocabulary = std::fs::read_to_string(builtin)
        .unwrap()
        .replace("label: \"Local\"", "label: \"Town level\"");
    site.write("vocabularies/levels.yaml", &vocabulary);
    site.edit(
        "casebook.yaml",
        "levels: { builtin: levels }",
        "levels: { file: vocabularies/levels.yaml }",
    );
    let server = start(&site, 0);
    let port = server.port;
    eventually(port, "/levels/local/", "the vocabulary file is used", |b| {
        b.contains("Town level")
    });
    site.write(
        "vocabularies/levels.yaml",
        &vocabulary.replace("Town level", "Municipal level"),
    );
    eventually(port, "/levels/local/", "its edit is followed", |b| {
        b.contains("Municipal level")
    });
    site.write("themes/default/static/casebook.css", "/* CUSTOM-CSS */\n");
    eventually(
        port,
        "/assets/casebook.css",
        "the new theme folder is watched",
        |b| b.contains("CUSTOM-CSS"),
    );
    site.write("themes/default/static/casebook.css", "/* CUSTOM-CSS-2 */\n");
    eventually(port, "/assets/casebook.css", "and later edits in it", |b| {
        b.contains("CUSTOM-CSS-2")
    });
}

#[test]
fn requests_cannot_leave_the_site() {
    let site = SiteTest::base();
    let server = start(&site, 0);
    for path in [
        "/../casebook.yaml",
        "/%2e%2e/casebook.yaml",
        "/case-studies/%2E%2E/%2e%2e/casebook.yaml",
        "/..%2fcasebook.yaml",
        "/%5c..%5ccasebook.yaml",
    ] {
        let (status, body) = get(server.port, path);
        assert!(status == 403 || status == 404, "{path}: {status}");
        assert!(!body.contains("Fixture Portal"), "{path} leaked the config");
    }
    let (status, body) = get(server.port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("<html"), "the site's 404 page");
}

#[test]
fn a_taken_port_moves_to_the_next_one_and_says_so() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = listener.local_addr().unwrap().port();
    let site = SiteTest::base();
    let server = start(&site, taken);
    assert_ne!(server.port, taken);
    assert!(
        server
            .said
            .iter()
            .any(|l| l.contains(&format!("Port {taken} is in use"))),
        "{:?}",
        server.said
    );
    let (status, _) = get(server.port, "/");
    assert_eq!(status, 200);
}

#[test]
fn survives_a_burst_of_changes_and_a_renamed_folder() {
    let site = SiteTest::base();
    let server = start(&site, 0);
    // A `git checkout` of 100 files at once, some half-written for a moment.
    for i in 0..100 {
        site.write(
            &format!("content/case-studies/burst/case-{i:03}.md"),
            &format!("---\ntitle: \"Burst case {i}\"\nsummary: \"s\"\n---\nBody {i}\n"),
        );
    }
    eventually(
        server.port,
        "/case-studies/case-099/",
        "all 100 new files are built",
        |b| b.contains("Burst case 99"),
    );
    std::fs::rename(
        site.path("content/case-studies/burst"),
        site.path("content/case-studies/moved"),
    )
    .unwrap();
    eventually(
        server.port,
        "/case-studies/case-042/",
        "a renamed folder rebuilds",
        |b| b.contains("Burst case 42"),
    );
    std::fs::remove_dir_all(site.path("content/case-studies/moved")).unwrap();
    eventually(
        server.port,
        "/case-studies/case-042/",
        "a deleted folder's pages go",
        |b| !b.contains("Burst case 42"),
    );
    let (status, _) = get(server.port, "/");
    assert_eq!(status, 200, "still serving");
}

/// Stopping the preview by Ctrl-C, by `kill` or by closing its terminal
/// removes the folder it builds into (at 10,000 case studies, 800 MB of
/// /tmp left behind by each stopped server otherwise).
#[test]
fn a_stopped_preview_removes_its_folder() {
    for signal in ["INT", "TERM", "HUP"] {
        let site = SiteTest::base();
        let tmp = tempfile::tempdir().unwrap();
        let mut server = start_with(&site, 0, Some(tmp.path()));
        let served = tmp
            .path()
            .join(format!("casebook-serve-{}", server.child.id()));
        assert!(served.join("index.html").exists(), "{signal}: built");
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &server.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "{signal}: still running");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "{signal}: exited with {status}");
        assert!(
            !served.exists(),
            "{signal}: {} left behind",
            served.display()
        );
    }
}
