//! The editors' workflow on fixture sites: `casebook init` starts a portal,
//! `casebook new` starts a case study, `casebook check` finds every problem
//! the build would, and broken links and images, without writing anything.

mod common;

use common::{tree, SiteTest};

/// Each class of bad input for `check`: its fixture and what must be said.
const BAD: &[(&str, &[&str])] = &[
    (
        "bad_yaml",
        &["content/case-studies/broken.md:3:", "invalid YAML"],
    ),
    (
        "wrong_types",
        &["types.md:3:7", "expected a real date as YYYY-MM-DD"],
    ),
    (
        "unknown_field",
        &["typo.md:3:1", "did you mean `sdg_targets`?"],
    ),
    (
        "unknown_code",
        &["codes.md:3:10", "expected one of: local, subnational"],
    ),
    (
        "slug_collision",
        &["both produce the page /case-studies/nepal-desks/"],
    ),
    (
        // Parses, fails on the data of the about page: only rendering finds it.
        "template_runtime_error",
        &[
            "themes/default: error: template error: Variable `nope` is not defined",
            "page.html:3:20",
        ],
    ),
    (
        "broken_links",
        &[
            "content/case-studies/links.md:10:18: error: broken link \"nepal-desk.md\"",
            "did you mean \"nepal-desks.md\"?",
            "links.md:10:46",
            "did you mean \"../levels/local/\"?",
            "links.md:11:13: error: broken image \"diagramm.svg\"",
            "links.md:13:24: warning: link \"/levels/local/\" starts with `/`",
            "links.md:14:39: error: broken link \"/levels/locl/\": the site has no such page or file",
            "links.md:11:40",
            "“Goal 5”, which is not generated",
            "links.md:12:19: warning:",
            "did you mean \"#results\"?",
            "5 errors, 2 warnings",
        ],
    ),
    (
        // A file that does not load still has its links and images checked.
        "several_problems",
        &[
            "several.md:4:8: error: image \"diagramm.svg\" not found",
            "several.md:6:16: error: unknown target \"10.99\"",
            "several.md:9:11: error: broken link \"full-study.pdf\"",
            "several.md:12:13: error: broken link \"nepal-desk.md\"",
            "several.md:12:49: error: broken link \"/abuot/\"",
            "5 errors, 0 warnings",
        ],
    ),
    (
        "missing_image",
        &[
            "content/case-studies/pictured.md:4:8: error: image \"diagram.png\" not found",
            "did you mean \"diagram.svg\"?",
        ],
    ),
];

#[test]
fn init_starts_a_portal_that_builds_and_checks_clean() {
    let mut site = SiteTest::empty();
    site.run(&["init", "portal"])
        .assert_code(0)
        .assert_stdout(&["portal/casebook.yaml", "cd portal ", " serve "]);
    site.run(&["check", "--strict", "--root", "portal"])
        .assert_code(0)
        .assert_stderr(&["checked 1 case study, 1 page: 0 errors, 0 warnings"]);
    site.run(&["build", "--root", "portal"]).assert_code(0);
    for page in [
        "case-studies/example-practice/index.html",
        "case-studies/example-practice.svg",
        "about/index.html",
    ] {
        assert!(
            site.path("portal/public").join(page).is_file(),
            "{page} missing"
        );
    }
    assert_eq!(
        site.read("portal/casebook.yaml"),
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/casebook.yaml")).unwrap(),
        "the starter config is the sample site's"
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let mut site = SiteTest::base();
    let before = tree(site.root());
    site.run(&["init", "."])
        .assert_code(2)
        .assert_stderr(&["is not empty", "new or empty folder"]);
    site.run(&["init", "casebook.yaml"])
        .assert_code(2)
        .assert_stderr(&["is a file"]);
    assert!(tree(site.root()) == before, "nothing was written");
}

#[test]
fn init_accepts_an_empty_folder() {
    let mut site = SiteTest::empty();
    site.run(&["init", "."]).assert_code(0);
    assert!(site
        .path("content/case-studies/example-practice.md")
        .is_file());
}

#[test]
fn new_writes_every_field_of_the_site_and_passes_check() {
    let mut site = SiteTest::base();
    let rel = "content/case-studies/welcome-desks-a-city-s-one-stop-shop.md";
    site.run(&[
        "new",
        "Welcome desks:  a city's one-stop shop",
        "--level",
        "Local",
        "--level",
        "provincial",
        "--country",
        "Philippines",
    ])
    .assert_code(0)
    .assert_stdout(&[rel]);
    let text = site.read(rel);
    let today = casebook::scaffold::today().to_string();
    for needle in [
        "title: \"Welcome desks: a city's one-stop shop\"\n",
        &format!("date: {today}\n"),
        "levels: [\"local\", \"subnational\"]\n",
        "countries: [\"PH\"]\n",
        "sdg_goals: []\n",
        "sdg_targets: []\n",
        "gcm_objectives: []\n",
        "regions: []\n",
        "themes: []\n",
        "summary: \"\"\n",
        "image_alt: \"\"\n",
        "# SDG target: codes or names such as 17.18, ", // the most used
        "(vocabulary: Sustainable Development Goals, level Target).\n",
        "# Governance level: one or more of local, subnational, national, regional, global",
        "# Theme: free text such as \"Policy coherence\"",
        "Feeds the facet Year.",
        "## Context",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}:\n{text}");
    }
    site.check(&[])
        .assert_code(0)
        .assert_stderr(&["checked 5 case studies, 1 page: 0 errors, 1 warning"]);
    site.build(&[]).assert_code(0);
    assert!(site
        .path("public/case-studies/welcome-desks-a-city-s-one-stop-shop/index.html")
        .is_file());
}

#[test]
fn new_refuses_to_overwrite() {
    let mut site = SiteTest::base();
    site.write("content/case-studies/nepal-desks-2.md", "mine");
    site.run(&["new", "Nepal desks 2"])
        .assert_code(2)
        .assert_stderr(&["content/case-studies/nepal-desks-2.md already exists"]);
    assert_eq!(site.read("content/case-studies/nepal-desks-2.md"), "mine");
}

#[test]
fn new_refuses_a_title_whose_page_exists() {
    let mut site = SiteTest::base();
    let case = "content/case-studies/nepal-desks.md";
    site.edit(case, "---\n", "---\nslug: kathmandu\n");
    site.run(&["new", "Kathmandu"])
        .assert_code(2)
        .assert_stderr(&[
            "content/case-studies/nepal-desks.md already has the page /case-studies/kathmandu/",
        ]);
    assert!(!site.path("content/case-studies/kathmandu.md").exists());
}

#[test]
fn new_rejects_unknown_levels_and_countries_like_the_build() {
    let mut site = SiteTest::base();
    site.run(&[
        "new",
        "A practice",
        "--level",
        "municipal",
        "--country",
        "Philipines",
    ])
    .assert_code(1)
    .assert_stderr(&[
        "--level: error: unknown term \"municipal\" in Governance levels",
        "expected one of: local, subnational, national, regional, global",
        "--country: error: unknown country \"Philipines\"",
        "did you mean \"PH\"?",
        "no case study was written",
    ]);
    assert!(!site.path("content/case-studies/a-practice.md").exists());
}

#[test]
fn check_passes_the_clean_fixture_and_writes_nothing() {
    let mut site = SiteTest::base();
    let before = tree(site.root());
    site.check(&[])
        .assert_code(0)
        .assert_stderr(&["checked 4 case studies, 1 page: 0 errors, 0 warnings"]);
    site.check(&["--strict", "--format", "json"]).assert_code(0);
    assert!(tree(site.root()) == before, "check wrote or changed files");
    assert!(!site.path("public").exists());
}

#[test]
fn check_reports_each_class_of_bad_input_with_its_location() {
    for (fixture, needles) in BAD {
        let mut site = SiteTest::with(fixture);
        let before = tree(site.root());
        site.check(&[]).assert_code(1).assert_stderr(needles);
        assert!(tree(site.root()) == before, "{fixture}: check wrote files");
    }
}

#[test]
fn strict_turns_warnings_into_failure() {
    let mut site = SiteTest::with("missing_summary");
    site.check(&[]).assert_code(0).assert_stderr(&[
        "terse.md:2:1: warning: no `summary`",
        "add a line `summary: \"One or two sentences\"` below the title",
        "0 errors, 1 warning",
    ]);
    site.check(&["--strict"]).assert_code(1);
    site.check(&["--quiet"]).assert_code(0);
    assert!(
        site.stderr().is_empty(),
        "quiet hides warnings: {}",
        site.stderr()
    );
}

#[test]
fn json_report_has_counts_paths_and_lines() {
    let mut site = SiteTest::with("broken_links");
    site.check(&["--format", "json"]).assert_code(1);
    let json = site.json();
    assert_eq!(
        (json["errors"].as_u64(), json["warnings"].as_u64()),
        (Some(5), Some(2))
    );
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let at: Vec<(String, u64, u64, &str)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["severity"].as_str().unwrap(),
            )
        })
        .collect();
    let links = "content/case-studies/links.md".to_string();
    assert_eq!(
        at,
        [
            (links.clone(), 10, 18, "error"),
            (links.clone(), 10, 46, "error"),
            (links.clone(), 11, 13, "error"),
            (links.clone(), 11, 40, "error"),
            (links.clone(), 12, 19, "warning"),
            (links.clone(), 13, 24, "warning"),
            (links, 14, 39, "error"),
        ]
    );
    assert_eq!(diagnostics[0]["help"], "did you mean \"nepal-desks.md\"?");
    for key in ["field", "message"] {
        assert!(diagnostics[0].get(key).is_some(), "{key} missing");
    }

    let mut site = SiteTest::with("missing_summary");
    site.check(&["--strict", "--format", "json"]).assert_code(1);
    let json = site.json();
    assert_eq!(
        (json["errors"].as_u64(), json["warnings"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(json["diagnostics"][0]["field"], "summary");
}

#[test]
fn json_report_includes_configuration_errors() {
    let mut site = SiteTest::base();
    site.edit("casebook.yaml", "per_page: 2", "per_pagee: 2");
    site.check(&["--format", "json"]).assert_code(1);
    let json = site.json();
    assert_eq!(json["errors"], 1);
    assert_eq!(json["diagnostics"][0]["path"], "casebook.yaml");
}

#[test]
fn check_without_a_site_is_a_usage_error() {
    let mut site = SiteTest::empty();
    site.check(&[])
        .assert_code(2)
        .assert_stderr(&["casebook init"]);
}

/// `check` computes the build's pages without rendering; a page linking to
/// every page and file the build wrote must pass, so the two cannot drift.
#[test]
fn check_accepts_a_link_to_everything_the_build_publishes() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let mut body = String::from("---\ntitle: \"About\"\nsummary: \"All links.\"\n---\n\n");
    let mut linked = 0;
    for path in site.tree("public").keys() {
        let internal = path.starts_with("search/") && path != "search/index.html";
        if internal || path.starts_with('.') {
            continue;
        }
        let url = path.strip_suffix("index.html").unwrap_or(path);
        body.push_str(&format!("- [{path}](../{url})\n"));
        linked += 1;
    }
    assert!(linked > 40, "only {linked} files");
    site.write("content/pages/about.md", &body);
    std::fs::remove_dir_all(site.path("public")).unwrap();
    site.check(&["--strict"])
        .assert_code(0)
        .assert_stderr(&["0 errors, 0 warnings"]);
}

#[test]
fn links_to_a_file_with_errors_are_not_reported_twice() {
    let mut site = SiteTest::with("bad_yaml");
    site.write(
        "content/pages/about.md",
        "---\ntitle: \"About\"\nsummary: \"s\"\n---\n\nSee [broken](../case-studies/broken.md).\n",
    );
    site.check(&[])
        .assert_code(1)
        .assert_stderr(&["invalid YAML", "1 error, 0 warnings"]);
}

/// A field read by two facets is written once: YAML refuses a repeated key.
#[test]
fn new_writes_a_field_two_facets_share_once() {
    let mut site = SiteTest::base();
    site.edit(
        "casebook.yaml",
        "  - key: year\n",
        "  - key: topics\n    label: Topic\n    fields: { themes: any }\n  - key: year\n",
    );
    site.run(&["new", "A practice"]).assert_code(0);
    let text = site.read("content/case-studies/a-practice.md");
    assert_eq!(text.matches("\nthemes: []\n").count(), 1, "{text}");
    site.check(&[]).assert_code(0);
}

#[test]
fn new_refuses_flags_for_fields_the_site_does_not_have() {
    let mut site = SiteTest::base();
    site.edit(
        "casebook.yaml",
        "fields: { levels: any }",
        "fields: { tiers: any }",
    );
    site.run(&["new", "A practice", "--level", "local"])
        .assert_code(2)
        .assert_stderr(&["--level: this portal has no `levels` field"]);
    site.run(&["new", "A practice"]).assert_code(0);
    assert!(site
        .read("content/case-studies/a-practice.md")
        .contains("\ntiers: []\n"));
}

/// A link from the domain's root is read from the site's root, or from
/// `base_url`'s path: one that leads to a page only warns (it breaks under a
/// sub-path and from disk), one that leads nowhere is broken like any link.
#[test]
fn rooted_links_are_broken_when_they_lead_nowhere() {
    let mut site = SiteTest::base();
    site.edit(
        "casebook.yaml",
        "base_url: \"https://example.org/\"",
        "base_url: \"https://example.org/practices/\"",
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: \"About\"\nsummary: \"s\"\n---\n\n\
         [home](/), [top](/#top), [local](/levels/local/),\n\
         [under the base](/practices/levels/local/), [base](/practices/)\n\
         [nowhere](/practices/levels/locl/)\n",
    );
    site.check(&["--format", "json"]).assert_code(1);
    let json = site.json();
    let found: Vec<(u64, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    let warning = "warning";
    assert_eq!(
        found,
        [
            (6, warning),
            (6, warning),
            (6, warning),
            (7, warning),
            (7, warning),
            (8, "error")
        ],
        "{json:#}"
    );
    site.build(&[])
        .assert_code(1)
        .assert_stderr(&["about.md:8:11: error: broken link \"/practices/levels/locl/\""]);
    assert!(!site.path("public").exists(), "nothing was published");
}

/// The help for a field no facet reads, from the JSON report.
fn help_for(json: &serde_json::Value, field: &str) -> String {
    let found = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["field"] == field && d["severity"] == "error");
    let found = found.unwrap_or_else(|| panic!("no error on `{field}`: {json:#}"));
    found["help"].as_str().unwrap().to_string()
}

/// The indented YAML lines of a help text, between `from` and `to`.
fn yaml_in(help: &str, from: &str, to: &str) -> String {
    let start = help
        .find(from)
        .unwrap_or_else(|| panic!("{from:?} in {help}"));
    let rest = &help[start..];
    let rest = &rest[..rest.find(to).unwrap_or(rest.len())];
    let lines: Vec<&str> = rest.lines().filter(|l| l.starts_with("  ")).collect();
    assert!(!lines.is_empty(), "no YAML after {from:?} in {help}");
    lines.join("\n") + "\n"
}

/// A site whose config declares no facets is told, for a field the sample
/// portal's facets read, to add such a facet (with its vocabulary), not
/// only to declare the field under `extra_fields`; and the advice, pasted
/// into casebook.yaml as given, makes the site check clean.
#[test]
fn unknown_fields_say_which_facet_would_read_them() {
    let mut site = SiteTest::alone("no_facets");
    site.check(&["--format", "json"]).assert_code(1);
    let json = site.json();
    let sdg = help_for(&json, "sdg_targets");
    for needle in [
        "no facet of this site reads `sdg_targets`",
        "add a facet that reads it under `facets:`",
        "  - key: sdg\n",
        "    fields: { sdg_goals: Goal, sdg_targets: Target }",
        "and its vocabulary under `vocabularies:`:\n  sdg: { builtin: sdg }",
        "list it under `extra_fields` (`extra_fields: [sdg_targets]`)",
    ] {
        assert!(sdg.contains(needle), "lacks {needle:?}:\n{sdg}");
    }
    let themes = help_for(&json, "themes");
    assert!(!themes.contains("vocabularies"), "free tags: {themes}");
    assert_eq!(help_for(&json, "summry"), "did you mean `summary`?");
    let budget = help_for(&json, "budget");
    assert!(
        budget.contains("`- { key: budget, label: \"Budget\", fields: { budget: any } }`")
            && budget.contains("`extra_fields: [budget]`"),
        "{budget}"
    );
    site.check(&[]).assert_stderr(&[
        "tagged.md:4:1: error: unknown field `sdg_targets`",
        "= help: no facet of this site reads `sdg_targets`",
    ]);

    let facets = yaml_in(&sdg, "does:", "and its vocabulary") + &yaml_in(&themes, "does:", "or,");
    let vocabularies = yaml_in(&sdg, "and its vocabulary", "or,");
    let config = site.read("casebook.yaml")
        + &format!("facets:\n{facets}vocabularies:\n{vocabularies}extra_fields: [budget]\n");
    site.write("casebook.yaml", &config);
    site.edit("content/case-studies/tagged.md", "summry:", "summary:");
    site.check(&["--strict"])
        .assert_code(0)
        .assert_stderr(&["0 errors, 0 warnings"]);
}

/// A new case study passes `check`; `check --strict` fails on one warning
/// only, the summary left for the author to write, at its line (the comment
/// above it says so); once written, `check --strict` is clean.
#[test]
fn new_then_strict_check_warns_only_at_the_empty_summary() {
    let mut site = SiteTest::empty();
    site.run(&["init", "."]).assert_code(0);
    let rel = "content/case-studies/title.md";
    site.run(&["new", "Title"]).assert_code(0);
    site.check(&[]).assert_code(0);
    site.check(&["--strict", "--format", "json"]).assert_code(1);
    let json = site.json();
    let text = site.read(rel);
    let line = text.lines().position(|l| l == "summary: \"\"").unwrap() + 1;
    assert!(
        text.contains(
            "# (`casebook check` warns at this line while it is empty).\nsummary: \"\"\n"
        ),
        "{text}"
    );
    assert_eq!(
        (json["errors"].as_u64(), json["warnings"].as_u64()),
        (Some(0), Some(1))
    );
    let warning = &json["diagnostics"][0];
    assert_eq!(
        (
            &warning["path"],
            &warning["line"],
            &warning["column"],
            &warning["field"]
        ),
        (
            &serde_json::json!(rel),
            &serde_json::json!(line),
            &serde_json::json!(10),
            &serde_json::json!("summary")
        ),
        "{json:#}"
    );
    site.check(&[])
        .assert_stderr(&[&format!("{rel}:{line}:10: warning: `summary` is empty")]);
    site.edit(
        rel,
        "summary: \"\"",
        "summary: \"What the practice does, in brief.\"",
    );
    site.check(&["--strict"])
        .assert_code(0)
        .assert_stderr(&["0 errors, 0 warnings"]);
}

/// A site with a facet of the sample's key that does not read the field is
/// told to add the field to that facet, not a second facet of the same key.
#[test]
fn unknown_field_of_a_facet_the_site_has_names_that_facet() {
    let mut site = SiteTest::base();
    site.edit(
        "casebook.yaml",
        "fields: { sdg_goals: Goal, sdg_targets: Target }",
        "fields: { sdg_goals: Goal }",
    );
    site.check(&["--format", "json"]).assert_code(1);
    let help = help_for(&site.json(), "sdg_targets");
    assert!(
        help.starts_with(
            "no facet of this site reads `sdg_targets`: add `sdg_targets: Target` to the \
             `fields` of facet `sdg` in casebook.yaml"
        ) && !help.contains("- key:"),
        "{help}"
    );
}
