//! `casebook build` on fixture sites: what it writes, and what it refuses.

mod common;

use common::{links, SiteTest};

#[test]
fn builds_every_page_type_with_metadata() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    for page in [
        "index.html",
        "case-studies/index.html",
        "case-studies/bicol-committee/index.html",
        "case-studies/diagram.svg",
        "levels/local/index.html",
        "sdg/10/index.html",
        "sdg/10-7/index.html",
        "geography/asia/index.html",
        "themes/policy-coherence/index.html",
        "year/2017/index.html",
        "browse/index.html",
        "levels/index.html",
        "about/index.html",
        "search/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "catalogue.json",
        "catalogue.csv",
        "assets/casebook.css",
        "search/meta.json",
        "search/facets.bin",
    ] {
        assert!(site.path("public").join(page).is_file(), "{page} missing");
    }
    let case = site.output("case-studies/bicol-committee/index.html");
    for needle in [
        "Regional committee on migration in Bicol",
        "13 April 2017",
        "Target 10.7",
        "Bicol Region",
        "Direct contribution",
        "JMDI",
        "id=\"context\"",
    ] {
        assert!(case.contains(needle), "case page lacks {needle}");
    }
    assert!(
        !site.path("public/case-studies/_draft").exists(),
        "drafts are not published"
    );
}

#[test]
fn unquoted_codes_keep_the_digits_written() {
    // YAML reads 17.10 as the number 17.1: a different, valid SDG target.
    let mut site = SiteTest::base();
    site.write(
        "content/case-studies/unquoted.md",
        "---\ntitle: Unquoted codes\nsdg_targets: [17.10, 10.7]\ngcm_objectives: [23]\n---\nBody.\n",
    );
    site.build(&[]).assert_code(0);
    let case = site.output("case-studies/unquoted/index.html");
    assert!(
        case.contains("Target 17.10"),
        "17.10 was read as another code"
    );
    assert!(!case.contains("Target 17.1<"), "17.10 was read as 17.1");
    assert!(site.path("public/sdg/17-10/index.html").is_file());
}

/// A home-page count of 0 ("0 SDG targets") is not shown: nothing to open.
#[test]
fn the_home_page_shows_no_count_of_zero() {
    let mut site = SiteTest::base();
    site.edit(
        "casebook.yaml",
        "  - { facet: geography, depth: 3, label: Countries }\n",
        "  - { facet: geography, depth: 3, label: Countries }\n  - { facet: gcm-areas, label: GCM clusters }\n",
    );
    site.edit(
        "casebook.yaml",
        "facets:\n",
        "facets:\n  - key: gcm-areas\n    label: GCM cluster\n    vocabulary: gcm_areas\n    fields: { gcm_areas: any }\n",
    );
    site.edit(
        "casebook.yaml",
        "vocabularies:\n",
        "vocabularies:\n  gcm_areas: { builtin: gcm_areas }\n",
    );
    site.build(&[]).assert_code(0);
    let home = site.output("index.html");
    assert!(home.contains("<span class=\"stat-label\">Countries</span>"));
    assert!(!home.contains("GCM clusters"), "a tile counting 0");
}

/// Cards name up to three terms of each card facet, in vocabulary order but
/// the most specific first (a country before its region), then how many more.
#[test]
fn cards_name_countries_first_and_three_terms_of_each_facet() {
    let mut site = SiteTest::base();
    site.edit(
        "casebook.yaml",
        "    fields: { regions: any, countries: Country }\n",
        "    fields: { regions: any, countries: Country }\n    on_cards: true\n",
    );
    site.write(
        "content/case-studies/many.md",
        "---\ntitle: Many places\ndate: 2030-01-01\nlevels: [local]\nsdg_targets: [\"10.7\", \"10.c\", \"8.8\", \"5.2\"]\n\
         regions: [Eastern Africa]\ncountries: [KE, DE]\n---\nBody.\n",
    );
    site.build(&[]).assert_code(0);
    let page = site.output("case-studies/index.html");
    let start = page.find(">Many places<").expect("the card");
    let tags = &page[start..start + page[start..].find("</ul>").unwrap()];
    let chips: Vec<&str> = tags
        .split("<li class=\"chip")
        .skip(1)
        .map(|li| &li[li.find('>').unwrap() + 1..li.find("</li>").unwrap()])
        .collect();
    assert_eq!(
        chips,
        [
            "Local",
            "Target 5.2: Violence against all women and girls … including trafficking",
            "Target 8.8: Protect labour rights … including migrant workers",
            "Target 10.7: Facilitate orderly, safe, regular and responsible migration",
            "+1 more",
            "Kenya",
            "Germany",
            "Eastern Africa",
        ]
    );
}

#[test]
fn terms_read_in_order_whatever_order_they_were_written_in() {
    let mut site = SiteTest::base();
    site.write(
        "content/case-studies/unordered.md",
        "---\ntitle: Unordered\nlevels: [global, local, Global]\nsdg_targets: [\"17.18\", \"10.7\"]\ngcm_objectives: [19, 3]\n---\nBody.\n",
    );
    site.build(&[]).assert_code(0);
    let page = site.output("case-studies/unordered/index.html");
    let start = page.find("class=\"case-meta\"").expect("metadata panel");
    let case = &page[start..start + page[start..].find("</section>").unwrap()];
    let at = |needle: &str| case.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    assert!(at(">Local<") < at(">Global<"), "levels out of order");
    assert!(
        at(">Target 10.7: ") < at(">Target 17.18: "),
        "targets out of order"
    );
    // Objective 19 comes first in the vocabulary (its round table does).
    assert!(
        at(">Objective 3: ") < at(">Objective 19: "),
        "objectives out of order"
    );
    assert_eq!(
        case.matches(">Global<").count(),
        1,
        "a repeated level shows once"
    );
}

#[test]
fn a_front_matter_link_to_a_missing_file_fails_the_build() {
    let mut site = SiteTest::base();
    site.write(
        "content/case-studies/with-pdf.md",
        "---\ntitle: With a PDF\nlinks:\n  - title: Full study\n    url: full-study.pdf\n---\nBody.\n",
    );
    site.build(&[]).assert_code(1).assert_stderr(&[
        "with-pdf.md:5:10: error: broken link \"full-study.pdf\"",
        "put the file next to the Markdown file",
    ]);
    site.write("content/case-studies/full-study.pdf", "%PDF-1.4\n");
    site.build(&[]).assert_code(0);
    assert!(site
        .output("case-studies/with-pdf/index.html")
        .contains("href=\"../../case-studies/full-study.pdf\""));
}

#[test]
fn parent_terms_list_their_childrens_case_studies() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let goal = site.output("sdg/10/index.html");
    assert!(
        goal.contains("Regional committee on migration in Bicol"),
        "10.7 case under Goal 10"
    );
    assert!(
        goal.contains("District migrant resource desks in Nepal"),
        "10.c case under Goal 10"
    );
    let asia = site.output("geography/asia/index.html");
    assert!(
        asia.contains("3 case studies"),
        "countries imply their region (PH, NP, JO)"
    );
    let goal11 = site.output("sdg/11/index.html");
    assert!(goal11.contains("مراكز"), "goal-level tagging");
    assert!(
        site.output("levels/global/index.html")
            .contains("global partnership"),
        "alias international → global"
    );
}

#[test]
fn free_tags_merge_case_and_spacing_variants() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let tag = site.output("themes/policy-coherence/index.html");
    assert!(
        tag.contains("Bicol") && tag.contains("Nepal"),
        "'Policy coherence' and 'policy coherence' are one theme"
    );
    assert!(
        site.path("public/themes/capacity-building/index.html")
            .exists(),
        "spaces collapsed"
    );
}

#[test]
fn listings_paginate_so_every_case_is_reachable() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let first = site.output("case-studies/index.html");
    let second = site.output("case-studies/page/2/index.html");
    assert!(first.contains("page/2/"), "page 1 links to page 2");
    let all = first + &second;
    for title in ["Bicol", "Nepal", "global partnership", "مراكز"] {
        assert!(
            all.contains(title),
            "{title} not reachable from the listing"
        );
    }
}

#[test]
fn matrix_links_to_intersection_pages() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let home = site.output("index.html");
    assert!(
        home.contains("explore/levels-local/gcm-rt3/"),
        "matrix cell link"
    );
    let cell = site.output("explore/levels-local/gcm-rt3/index.html");
    assert!(
        cell.contains("مراكز") && !cell.contains("Bicol"),
        "local × RT3 holds only the Jordan case"
    );
}

#[test]
fn arabic_case_studies_render_right_to_left() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let page = site.output("case-studies/jordan-centres/index.html");
    assert!(page.contains(r#"<html lang="ar" dir="rtl">"#));
    // The portal's own words stay in its language and direction.
    for part in [
        r#"<header class="site-header" lang="en" dir="ltr">"#,
        r#"<footer class="site-footer" lang="en" dir="ltr">"#,
        r#"aria-labelledby="cb-meta-title" lang="en" dir="ltr">"#,
        r#"<span lang="en" dir="ltr">Case study #3</span> · دراسات حالة"#,
        // Inside them, the author's words (a series, free tags) are Arabic.
        r#"Case Study #3 · <span lang="ar" dir="rtl">دراسات حالة</span>"#,
        r#"<dd lang="ar" dir="rtl">
          <ul class="term-chips">"#,
    ] {
        assert!(page.contains(part), "{part} missing");
    }
    let english = site.output("case-studies/bicol-committee/index.html");
    assert!(english.contains(r#"<header class="site-header">"#));
}

#[test]
fn author_content_is_escaped_and_sanitised() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let page = site.output("case-studies/bicol-committee/index.html");
    assert!(!page.contains("<script>alert"), "raw script removed");
    assert!(
        page.contains("{{ site.title }}"),
        "Tera syntax in content shown literally"
    );
    site.edit(
        "casebook.yaml",
        "per_page: 2",
        "per_page: 2\nraw_html: true",
    );
    site.build(&[]).assert_code(0);
    assert!(
        site.output("case-studies/bicol-committee/index.html")
            .contains("<script>alert"),
        "raw_html: true passes it through"
    );
}

#[test]
fn relative_links_to_assets_and_markdown_files_resolve() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let page = site.output("case-studies/bicol-committee/index.html");
    assert!(
        page.contains(r#"href="../../case-studies/diagram.svg""#),
        "asset link rewritten"
    );
    assert!(
        page.contains(r#"href="../../case-studies/nepal-desks/#results""#),
        ".md link points at the page"
    );
    for rewritten in [
        r#"href="../../case-studies/nepal-desks/?ref=bicol""#,
        r#"href="../../case-studies/nepal-desks/" rel="noopener noreferrer">encoded"#,
    ] {
        assert!(page.contains(rewritten), "{rewritten} missing");
    }
    assert!(site
        .output("about/index.html")
        .contains(r#"href="../case-studies/bicol-committee/""#));
    assert!(
        page.contains(r#"<img src="../../case-studies/diagram.svg""#),
        "the front-matter image follows the page"
    );
    let home = site.output("index.html");
    for intro_link in [r#"href="about/""#, r#"href="levels/local/""#] {
        assert!(home.contains(intro_link), "intro link {intro_link}");
    }
}

/// The intro is Markdown in casebook.yaml: its links are checked too.
#[test]
fn a_broken_link_in_the_intro_stops_the_build() {
    let mut site = SiteTest::base();
    site.edit("casebook.yaml", "(pages/about.md)", "(pages/abuot.md)");
    site.build(&[]).assert_code(1).assert_stderr(&[
        "casebook.yaml:6:25: error: broken link \"pages/abuot.md\"",
        "did you mean \"pages/about.md\"?",
    ]);
}

/// Every internal link of every page resolves to a file of the output.
#[test]
fn every_internal_link_resolves_under_a_sub_path() {
    let mut site = SiteTest::base();
    site.build(&["--base-url", "https://example.org/practices/"])
        .assert_code(0);
    let files = site.tree("public");
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let dir = std::path::Path::new(path).parent().unwrap().to_path_buf();
        for link in links(&html) {
            if link.contains("://") || link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            assert!(
                !link.starts_with('/'),
                "{path}: absolute link {link} breaks under a sub-path"
            );
            let target = link.split(['#', '?']).next().unwrap();
            let mut resolved = dir.clone();
            for seg in target.split('/') {
                match seg {
                    "" | "." => {}
                    ".." => assert!(resolved.pop(), "{path}: {link} leaves the site"),
                    s => resolved.push(s),
                }
            }
            let mut key = resolved.to_string_lossy().replace('\\', "/");
            if target.ends_with('/') || target.is_empty() {
                key = if key.is_empty() {
                    "index.html".into()
                } else {
                    format!("{key}/index.html")
                };
            }
            assert!(
                files.contains_key(&key),
                "{path}: broken link {link} ({key})"
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} links checked");
    let sitemap = site.output("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/practices/case-studies/bicol-committee/</loc>")
    );
    assert!(
        site.output("404.html").contains("href=\"/practices/"),
        "404 links from the base path"
    );
}

#[test]
fn open_data_catalogue_has_one_record_per_case() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&site.output("catalogue.json")).unwrap();
    let cases = json["case_studies"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    let bicol = cases
        .iter()
        .find(|c| c["slug"] == "bicol-committee")
        .unwrap();
    let terms = &bicol["terms"];
    assert_eq!(terms["sdg"], serde_json::json!(["10.7", "17.18"]));
    assert_eq!(terms["geography"], serde_json::json!(["PH"]));
    assert_eq!(terms["source"], serde_json::json!(["Direct contribution"]));
    assert_eq!(
        bicol["source"], "Direct contribution",
        "the author's source survives the facet named like it"
    );
    assert_eq!(bicol["extra"]["budget"], "EUR 40,000");
    assert_eq!(
        bicol["links"][1]["url"], "https://example.org/case-studies/diagram.svg",
        "a file beside the case study, as published"
    );
    assert_eq!(bicol["links"][0]["url"], "https://example.org/cs18");
    let csv = site.output("catalogue.csv");
    assert_eq!(
        csv.lines().filter(|l| !l.is_empty()).count(),
        5,
        "header + 4 rows:\n{csv}"
    );
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(header[..4], ["slug", "url", "title", "date"]);
    for column in ["source", "terms.sdg", "terms.source", "extra.budget"] {
        let count = header.iter().filter(|h| **h == column).count();
        assert_eq!(count, 1, "column {column} in {header:?}");
    }
    assert!(
        csv.contains("\"EUR 40,000\""),
        "extra field value in the CSV"
    );
}

#[test]
fn same_input_gives_byte_identical_output() {
    let mut site = SiteTest::base();
    site.build(&["--output", "one"]).assert_code(0);
    site.build(&["--output", "two"]).assert_code(0);
    let (one, two) = (site.tree("one"), site.tree("two"));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(bytes == &two[path], "{path} differs between builds");
    }
}

/// Cards reach templates as HTML marked safe; a theme's own `cards.html`
/// written for plain strings (`{{ c | safe }}`) or wrapping cards in its own
/// markup keeps working.
#[test]
fn card_lists_keep_working_in_overridden_cards_templates() {
    let mut site = SiteTest::base();
    site.build(&["--output", "default"]).assert_code(0);
    site.write(
        "themes/default/templates/cards.html",
        "<ul class=\"cards\">\n{%- for c in cards %}\n<li>{{ c | safe }}</li>\n{%- endfor %}\n</ul>\n",
    );
    site.build(&["--output", "safe-filter"]).assert_code(0);
    assert_eq!(site.tree("default"), site.tree("safe-filter"));
    site.write(
        "themes/default/templates/cards.html",
        "<ol>{% for c in cards %}<li class=\"mine\">{{ c }}</li>{% endfor %}</ol>",
    );
    site.build(&["--output", "own"]).assert_code(0);
    let listing = site.read("own/levels/local/index.html");
    assert!(
        listing.contains("<ol><li class=\"mine\"><article class=\"card\""),
        "{listing}"
    );
    assert!(
        !listing.contains("&lt;article"),
        "cards are not escaped: {listing}"
    );
}

/// Each class of bad input: its diagnostic, exit code 1, previous output kept.
#[test]
fn bad_input_is_reported_and_leaves_the_previous_output() {
    let cases: &[(&str, &[&str])] = &[
        (
            "bad_yaml",
            &[
                "content/case-studies/broken.md:3:",
                "invalid YAML",
                "levels: [local",
                "(field `levels`)",
            ],
        ),
        (
            "wrong_types",
            &[
                "types.md:3:7",
                "expected a real date as YYYY-MM-DD",
                "types.md:4:9",
                "expected a whole number",
                "expected a list of links",
                "field `themes`",
                "types.md:8:1: error: the text contains the invisible character U+0001 (field `places`)",
            ],
        ),
        (
            "unknown_field",
            &[
                "typo.md:3:1",
                "unknown field `sdg_target`",
                "did you mean `sdg_targets`?",
            ],
        ),
        (
            "unknown_code",
            &[
                "codes.md:3:10",
                "\"municipal\"",
                "expected one of: local, subnational, national, regional, global",
                "codes.md:6:6",
                "\"10.99\"",
                "codes.md:7:13",
                "\"Atlantis\"",
            ],
        ),
        (
            "broken_links",
            &[
                "links.md:10:18: error: broken link \"nepal-desk.md\"",
                "did you mean \"nepal-desks.md\"?",
                "links.md:10:46",
                "links.md:11:13: error: broken image \"diagramm.svg\"",
                "links.md:11:40",
                "no case study has this term",
                "links.md:12:19: warning:",
                "links.md:14:39: error: broken link \"/levels/locl/\"",
                "did you mean \"../levels/local/\"?",
            ],
        ),
        (
            "several_problems",
            &[
                "several.md:4:8: error: image \"diagramm.svg\" not found",
                "several.md:6:16: error: unknown target \"10.99\"",
                "several.md:9:11: error: broken link \"full-study.pdf\"",
                "several.md:12:13: error: broken link \"nepal-desk.md\"",
                "several.md:12:49: error: broken link \"/abuot/\"",
                "error: 5 problem(s) found",
            ],
        ),
        (
            "missing_image",
            &["pictured.md:", "not found next to this file"],
        ),
        (
            "empty_slug",
            &[
                "case-studies/---.md: error: the file name has no letters or digits",
                "add `slug: \"a-short-name\"`",
                "pages/hash.md:3:8: error: slug \"#\" is not URL-safe",
            ],
        ),
        (
            "shadowing_asset",
            &[
                "content/case-studies/nepal-desks/index.html: error: this file would replace the page /case-studies/nepal-desks/",
                "content/robots.txt: error: this file would replace /robots.txt",
                "content/search/meta.json: error: this file would land in /search/",
            ],
        ),
        (
            "slug_collision",
            &[
                "duplicate.md:3:1: error: this file and content/case-studies/nepal-desks.md (named after its file) both produce the page /case-studies/nepal-desks/",
            ],
        ),
    ];
    for (fixture, needles) in cases {
        let mut site = SiteTest::base();
        site.build(&[]).assert_code(0);
        let before = site.tree("public");
        site.overlay(fixture);
        site.build(&[])
            .assert_code(1)
            .assert_stderr(needles)
            .assert_stderr(&["nothing was written"]);
        assert!(
            site.tree("public") == before,
            "{fixture}: previous output changed"
        );
        let leftovers: Vec<_> = std::fs::read_dir(site.root())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().contains("casebook-"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "{fixture}: staging left behind: {leftovers:?}"
        );
    }
}

#[test]
fn all_problems_in_all_files_are_reported_in_one_run() {
    let mut site = SiteTest::base();
    for fixture in ["unknown_field", "unknown_code", "wrong_types"] {
        site.overlay(fixture);
    }
    site.build(&[]).assert_code(1).assert_stderr(&[
        "typo.md",
        "codes.md",
        "types.md",
        "9 problem(s) found",
    ]);
}

#[test]
fn refuses_unsafe_output_directories_and_deletes_nothing() {
    let mut site = SiteTest::base();
    site.write("notes/mine.txt", "precious");
    for out in [".", "content", "themes", "..", "/", "notes"] {
        site.build(&["--output", out])
            .assert_code(2)
            .assert_stderr(&["refusing to write", "(asked for by `--output`)"]);
    }
    assert_eq!(
        std::fs::read_to_string(site.path("notes/mine.txt")).unwrap(),
        "precious"
    );
    assert!(site
        .path("content/case-studies/bicol-committee.md")
        .exists());
}

#[test]
fn rebuilds_replace_a_casebook_output_directory() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    std::fs::remove_file(site.path("content/case-studies/jordan-centres.md")).unwrap();
    site.build(&[]).assert_code(0);
    assert!(
        !site.path("public/case-studies/jordan-centres").exists(),
        "stale pages removed"
    );
}

#[test]
fn missing_config_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("casebook init"));
}

#[test]
fn config_typos_point_at_the_config_line() {
    let mut site = SiteTest::base();
    site.edit("casebook.yaml", "per_page: 2", "per_page: 2\nper_pagee: 3");
    site.build(&[])
        .assert_code(1)
        .assert_stderr(&["casebook.yaml:", "unknown field `per_pagee`"]);
}

/// A facet's pages live under its key: `search` would replace the search
/// page, the case-study folder would mix term pages with case studies.
#[test]
fn facet_keys_cannot_take_the_portals_own_folders() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let before = site.tree("public");
    let config = std::fs::read_to_string(site.path("casebook.yaml")).unwrap();
    for key in ["search", "case-studies"] {
        site.write(
            "casebook.yaml",
            &config.replace("  - key: themes", &format!("  - key: {key}")),
        );
        site.build(&[]).assert_code(1).assert_stderr(&[
            "casebook.yaml:32:10",
            &format!("facet key `{key}` names a URL folder the portal uses"),
        ]);
        assert!(site.tree("public") == before, "{key}: output changed");
    }
}

/// An extra field named like a core or facet field would never be read as
/// extra: the build says so instead of dropping it from the catalogue.
#[test]
fn extra_fields_cannot_shadow_other_fields() {
    let mut site = SiteTest::base();
    site.edit(
        "casebook.yaml",
        "extra_fields: [budget]",
        "extra_fields: [budget, summary, themes, budget]",
    );
    site.build(&[]).assert_code(1).assert_stderr(&[
        "extra field `summary` is already a field of every case study",
        "extra field `themes` is already read by facet `themes`",
        "extra field `budget` is declared twice",
    ]);
}

/// The search index reads what a case study says: its text and its own terms' labels, places and
/// partners, never the labels or descriptions of those terms' parents (issue 17: a parent's
/// description made most case studies match any of its words).
#[test]
fn search_indexes_own_labels_places_and_partners_never_parents() {
    let mut site = SiteTest::base();
    site.build(&[]).assert_code(0);
    let docs: Vec<serde_json::Value> = (0..4)
        .map(|id| serde_json::from_str(&site.output(&format!("search/docs/{id}.json"))).unwrap())
        .collect();
    let bicol = docs
        .iter()
        .find(|d| d["u"] == "case-studies/bicol-committee/")
        .expect("the Bicol case study's result fragment");
    let labels: Vec<&str> = bicol["k"].as_str().unwrap().lines().collect();
    for own in ["Objective 23", "Philippines", "Bicol Region", "JMDI"] {
        assert!(labels.contains(&own), "{own} is not in {labels:?}");
    }
    for parent in ["Round table 4", "South-eastern Asia", "Asia", "Goal 10"] {
        assert!(!labels.contains(&parent), "{parent} is in {labels:?}");
    }
    // Words only parents' labels and descriptions hold are in no dictionary shard.
    let forms: String = site
        .tree("public/search/index")
        .into_iter()
        .filter(|(name, _)| name.ends_with(".json"))
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .collect();
    for word in ["\"jmdi\"", "\"bicol\"", "\"philippines\""] {
        assert!(forms.contains(word), "{word} is not indexed");
    }
    for word in ["\"inequalities\"", "\"eastern\"", "\"round\""] {
        assert!(!forms.contains(word), "{word} is indexed");
    }
}

/// A build stopped by Ctrl-C or `kill` removes its staging folder (at
/// 10,000 case studies, 800 MB of hidden files beside the output) and
/// leaves the published site as it was.
#[test]
fn an_interrupted_build_leaves_the_published_site_and_no_staging_folder() {
    use std::process::Command;
    use std::time::{Duration, Instant};
    let mut site = SiteTest::base();
    let nepal = site.read("content/case-studies/nepal-desks.md");
    let nepal = nepal.replace("series: \"JMDI case studies\"\nnumber: 17\n", "");
    for i in 0..600 {
        let copy = nepal.replace("in Nepal\"", &format!("in Nepal, copy {i}\""));
        site.write(&format!("content/case-studies/copy-{i}.md"), &copy);
    }
    site.build(&[]).assert_code(0);
    let published = site.tree("public");
    let staging = site.path(".public.casebook-staging");
    for signal in ["INT", "TERM"] {
        let mut build = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(["build", "--quiet"])
            .current_dir(site.root())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !staging.exists() {
            assert!(Instant::now() < deadline, "{signal}: no staging folder");
            std::thread::sleep(Duration::from_millis(1));
        }
        Command::new("kill")
            .args([&format!("-{signal}"), &build.id().to_string()])
            .status()
            .unwrap();
        let status = build.wait().unwrap();
        assert_eq!(status.code(), Some(130), "{signal}: stopped, not finished");
        assert!(!staging.exists(), "{signal}: staging folder left behind");
        assert!(site.tree("public") == published, "{signal}: site changed");
    }
}
