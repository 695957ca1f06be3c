//! `casebook import`: a portal's own catalogue read back exactly, a foreign
//! database's export through a mapping file, and every refusal writing
//! nothing at all.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::SiteTest;
use serde_yaml::Value;

/// Every file under `content/` of the site, relative to it.
fn content_files(site: &SiteTest) -> BTreeSet<String> {
    walkdir::WalkDir::new(site.path("content"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site.root()).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect()
}

/// A site with the base fixture's casebook.yaml and About page (its intro
/// links there), and no case study.
fn empty_site() -> SiteTest {
    let site = SiteTest::empty();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
    for rel in ["casebook.yaml", "content/pages/about.md"] {
        site.write(rel, &std::fs::read_to_string(base.join(rel)).unwrap());
    }
    site
}

/// The base fixture, with a case study whose lists hold the CSV's list
/// separator, quotes and commas, built; returns it and its catalogue.json.
fn built_base() -> (SiteTest, serde_json::Value) {
    let mut site = SiteTest::base();
    site.write(
        "content/case-studies/tricky-lists.md",
        "---\ntitle: \"Lists with; separators\"\ndate: 2021-06-30\n\
         summary: \"Items that hold the separator survive.\"\n\
         partners: [\"Ministry of Labour; Employment\", \"\\\"Quoted\\\" Trust\", \"A, B and C\"]\n\
         places: [\"Nuevo León; Coahuila\"]\n\
         themes: [\"Care; work\", \"Plain\"]\n\
         links:\n  - title: \"Report; annex <2021>\"\n    url: \"https://example.org/r?a=1;b=2\"\n\
         levels: [national]\nbudget: 1200\n---\nBody.\n",
    );
    site.build(&[]).assert_code(0);
    let catalogue = site.json_file("public/catalogue.json");
    (site, catalogue)
}

/// build → catalogue.<ext> → import into an empty site → build: the same
/// catalogue.json.
fn round_trip(ext: &str) {
    let (base, catalogue) = built_base();
    let mut copy = empty_site();
    let from = base.path(&format!("public/catalogue.{ext}"));
    copy.run(&["import", from.to_str().unwrap()]).assert_code(0);
    assert_eq!(
        (content_files(&copy).iter())
            .filter(|f| f.starts_with("content/case-studies/"))
            .count(),
        catalogue["case_studies"].as_array().unwrap().len(),
        "one file per record"
    );
    copy.build(&[]).assert_code(0);
    let again = copy.json_file("public/catalogue.json");
    assert_eq!(
        again, catalogue,
        "catalogue.json differs after the round trip"
    );
}

#[test]
fn a_catalogue_csv_imports_back_into_the_same_catalogue() {
    round_trip("csv");
}

#[test]
fn a_catalogue_json_imports_back_into_the_same_catalogue() {
    round_trip("json");
}

/// The front matter of a written file, parsed.
fn front_matter(site: &SiteTest, rel: &str) -> (Value, String) {
    let text = site.read(rel);
    let rest = text.strip_prefix("---\n").expect("front matter first");
    let (yaml, body) = rest.split_once("\n---\n").expect("front matter closed");
    (serde_yaml::from_str(yaml).unwrap(), body.to_string())
}

#[track_caller]
fn assert_list(front: &Value, field: &str, expected: &[&str]) {
    let got: Vec<&str> = front[field]
        .as_sequence()
        .unwrap_or_else(|| panic!("`{field}` is not a list: {:?}", front[field]))
        .iter()
        .map(|v| v.as_str().expect("items are quoted text"))
        .collect();
    assert_eq!(got, expected, "field `{field}`");
}

#[test]
fn a_foreign_export_imports_through_a_mapping_file() {
    let mut site = SiteTest::with("import_foreign");
    site.run(&["import", "export.csv", "--map", "mapping.yaml"])
        .assert_code(0)
        .assert_stderr(&["Columns not imported: Practice ID", "Wrote 3 case studies"]);
    let first = "content/case-studies/regional-committees-on-migration-and-development.md";
    site.assert_stdout(&[first]);
    let (front, body) = front_matter(&site, first);
    assert_eq!(
        front["title"].as_str(),
        Some("Regional committees on migration and development")
    );
    assert_eq!(
        front["summary"].as_str(),
        Some("Regional committees bring local, regional and national actors to one table.")
    );
    assert_eq!(front["date"].as_str(), Some("2017-04-13"), "13 April 2017");
    assert_list(&front, "countries", &["PH"]);
    assert_list(&front, "levels", &["local", "subnational", "national"]);
    assert_list(&front, "sdg_targets", &["10.7", "17.18"]);
    assert_list(&front, "gcm_objectives", &["1", "23"]);
    assert_eq!(
        front["source"].as_str(),
        Some("Joint Migration and Development Initiative (JMDI)")
    );
    assert_list(
        &front,
        "partners",
        &["UNDP", "IOM", "Labour; Employment Office"],
    );
    assert_list(&front, "themes", &["Policy coherence", "Capacity building"]);
    assert_eq!(
        front["links"][0]["title"].as_str(),
        Some("Original case study")
    );
    assert_eq!(
        front["links"][0]["url"].as_str(),
        Some("https://example.org/pfp/118")
    );
    assert_eq!(front["language"].as_str(), Some("en"));
    assert!(
        body.contains("## What was done\n\nA standing committee"),
        "{body}"
    );
    assert!(body.contains("\"regional\" bodies"), "{body}");
    // casebook new's order and comments.
    let text = site.read(first);
    let order: Vec<usize> = ["title:", "slug:", "date:", "summary:", "links:", "levels:"]
        .iter()
        .map(|f| {
            text.find(&format!("\n{f}"))
                .unwrap_or_else(|| panic!("{f}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(text.contains("# Name of the practice"), "{text}");

    let (second, _) = front_matter(
        &site,
        "content/case-studies/diaspora-skills-for-municipalities-in-turkiye.md",
    );
    assert_eq!(second["date"].as_str(), Some("2019-03-05"), "5 March 2019");
    assert_list(&second, "countries", &["TR", "DE"]);
    assert_list(&second, "gcm_objectives", &["19"]);
    assert_list(
        &second,
        "partners",
        &["GIZ", "Ministry of Labour, Social Affairs and Employment"],
    );
    let (third, _) = front_matter(
        &site,
        "content/case-studies/remittance-literacy-in-viet-nam.md",
    );
    assert_list(&third, "countries", &["VN"]);
    assert_list(&third, "sdg_targets", &["10.c"]);
    assert_list(&third, "partners", &[]);

    // What was imported builds, its terms where they belong.
    site.build(&[]).assert_code(0);
    let catalogue = site.json_file("public/catalogue.json");
    let record = catalogue["case_studies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["slug"] == "regional-committees-on-migration-and-development")
        .expect("the imported case study is in the catalogue");
    assert_eq!(record["terms"]["gcm"], serde_json::json!(["1", "23"]));
}

#[test]
fn bad_rows_are_all_reported_at_file_row_column_and_nothing_is_written() {
    let mut site = SiteTest::with("import_foreign");
    let before = content_files(&site);
    site.run(&["import", "export-bad.csv", "--map", "mapping.yaml"])
        .assert_code(1)
        .assert_stderr(&[
            // Row 2, column 7 "SDG Targets": the build's own message and
            // did-you-mean.
            "export-bad.csv:2:7: error: column \"SDG Targets\": unknown target \"10.77\"",
            "(field `sdg_targets`)",
            "did you mean \"10.7\"?",
            "export-bad.csv:3:5: error: column \"Country/Countries\": unknown country \"Atlantis\"",
            "export-bad.csv:4:4: error: column \"Date Submitted\": \"31 February 2020\" is not a date",
            "(field `date`)",
            "3 problem(s) found; no case study was written",
        ]);
    assert_eq!(
        content_files(&site),
        before,
        "a failed import writes nothing"
    );
}

#[test]
fn an_existing_file_stops_the_import_unless_skipped() {
    let mut site = SiteTest::with("import_foreign");
    let existing = "content/case-studies/remittance-literacy-in-viet-nam.md";
    site.write(existing, "---\ntitle: \"Mine\"\n---\nKeep me.\n");
    let before = content_files(&site);
    site.run(&["import", "export.csv", "--map", "mapping.yaml"])
        .assert_code(1)
        .assert_stderr(&[
            "export.csv:4: error: content/case-studies/remittance-literacy-in-viet-nam.md already exists",
            "--skip-existing",
        ]);
    assert_eq!(content_files(&site), before, "nothing written");

    site.run(&[
        "import",
        "export.csv",
        "--map",
        "mapping.yaml",
        "--skip-existing",
    ])
    .assert_code(0)
    .assert_stderr(&["skipped row 4", "Wrote 2 case studies, skipped 1"]);
    assert_eq!(content_files(&site).len(), before.len() + 2);
    assert_eq!(site.read(existing), "---\ntitle: \"Mine\"\n---\nKeep me.\n");
}

#[test]
fn a_dry_run_writes_nothing_and_says_what_it_would_write() {
    let mut site = SiteTest::with("import_foreign");
    let before = content_files(&site);
    site.run(&["import", "export.csv", "--map", "mapping.yaml", "--dry-run"])
        .assert_code(0)
        .assert_stdout(&[
            "would write content/case-studies/regional-committees-on-migration-and-development.md (row 2)",
            "would write content/case-studies/remittance-literacy-in-viet-nam.md (row 4)",
        ])
        .assert_stderr(&["nothing written"]);
    assert_eq!(content_files(&site), before);
}

#[test]
fn two_rows_making_one_file_is_an_error() {
    let mut site = SiteTest::with("import_foreign");
    site.write(
        "twice.csv",
        "title,summary\nSame title,One\nSame title,Two\n",
    );
    let before = content_files(&site);
    site.run(&["import", "twice.csv"]).assert_code(1).assert_stderr(&[
        "twice.csv:3: error: row 2 and this row both make the file content/case-studies/same-title.md",
    ]);
    assert_eq!(content_files(&site), before);
}

#[test]
fn mapping_mistakes_are_named_with_a_suggestion() {
    let mut site = SiteTest::with("import_foreign");
    site.write(
        "typo.yaml",
        "fields:\n  titel: Practice Title\n  summary: Short Descripton\n",
    );
    site.run(&["import", "export.csv", "--map", "typo.yaml"])
        .assert_code(1)
        .assert_stderr(&[
            "typo.yaml:2:3: error: `titel` is not a field of this site",
            "did you mean `title`?",
            "typo.yaml:3:3: error: the imported file has no column \"Short Descripton\"",
            "did you mean \"Short Description\"?",
        ]);
    assert!(!Path::new(
        &site.path("content/case-studies/regional-committees-on-migration-and-development.md")
    )
    .exists());
    site.write(
        "typo.yaml",
        "fields:\n  title: Practice Title\n  date: { column: Date Submitted, formt: \"%d\" }\n",
    );
    site.run(&["import", "export.csv", "--map", "typo.yaml"])
        .assert_code(1)
        .assert_stderr(&["typo.yaml:3:3: error: `date`: unknown field `formt`, expected one of"]);
}

/// Spreadsheets save a byte-order mark first and rows they show as empty.
#[test]
fn a_byte_order_mark_and_empty_rows_are_ignored() {
    let mut site = SiteTest::with("import_foreign");
    let export = site.read("export.csv");
    site.write("saved.csv", &format!("\u{feff}{export},,,,,,,,,,,,\n"));
    site.write(
        "by-id.yaml",
        "fields:\n  title: Practice ID\n  summary: Short Description\n",
    );
    site.run(&["import", "saved.csv", "--map", "by-id.yaml"])
        .assert_code(0)
        .assert_stdout(&["content/case-studies/pfp-0118.md"])
        .assert_stderr(&["Wrote 3 case studies"]);
}

/// A JSON export: lists stay lists (no separator), a record is a row
/// numbered from 1, and a bad value is reported at its record and column.
#[test]
fn a_json_export_keeps_its_lists_and_reports_records_by_number() {
    let mut site = SiteTest::with("import_foreign");
    site.write(
        "export.json",
        r#"[
  {"name": "Mobile consular days", "countries": ["Mexico", "United States"],
   "sdg_targets": ["10.7"], "themes": ["Consular services; outreach"], "number": 7},
  {"name": "Border information points", "countries": ["Senegal", "Narnia"]}
]"#,
    );
    site.write("json-map.yaml", "fields:\n  title: name\n");
    let before = content_files(&site);
    site.run(&["import", "export.json", "--map", "json-map.yaml"])
        .assert_code(1)
        .assert_stderr(&[
            "export.json:2:1: error: column \"countries\": unknown country \"Narnia\"",
        ]);
    assert_eq!(content_files(&site), before);

    site.write(
        "export.json",
        &site.read("export.json").replace("\"Narnia\"", "\"Gambia\""),
    );
    site.run(&["import", "export.json", "--map", "json-map.yaml"])
        .assert_code(0);
    let (front, _) = front_matter(&site, "content/case-studies/mobile-consular-days.md");
    assert_list(&front, "countries", &["MX", "US"]);
    assert_list(&front, "themes", &["Consular services; outreach"]);
    assert_eq!(front["number"].as_u64(), Some(7));
    let (second, _) = front_matter(&site, "content/case-studies/border-information-points.md");
    assert_list(&second, "countries", &["SN", "GM"]);
}

/// Where a link leads is known only with the whole site: the files are
/// checked as `casebook check` checks them once written, and removed again
/// when one of them has a problem.
#[test]
fn a_link_leading_nowhere_is_reported_at_its_row_and_nothing_is_left() {
    let mut site = SiteTest::with("import_foreign");
    site.write(
        "links.csv",
        "title,links,body\n\
         Fine row,https://example.org/ok,Plain text.\n\
         Broken row,Annex <annex.pdf>,See [the other case](no-such-case.md).\n",
    );
    let before = content_files(&site);
    site.run(&["import", "links.csv"])
        .assert_code(1)
        .assert_stderr(&[
            "links.csv:3: error: broken link \"annex.pdf\"",
            "links.csv:3: error: broken link \"no-such-case.md\"",
            "(in content/case-studies/broken-row.md:",
        ]);
    assert_eq!(
        content_files(&site),
        before,
        "the written files are removed"
    );
    site.check(&[]).assert_code(0);
}
