//! Data out and review (issue 15): the structured data of every case page
//! and of the catalogue, the citation downloads, and draft case studies kept
//! out of a build but shown by `serve`. The fixture is `base` with the
//! overlay `review_workflow`: a draft, one under review, and a published,
//! reviewed case study whose title and summary hold every character BibTeX
//! and a script element treat specially.

mod common;

use std::collections::BTreeMap;

use biblatex::{Bibliography, ChunksExt};
use serde_json::Value;

use common::server::{get, start, start_with_options};
use common::SiteTest;

const DRAFT: &str = "case-studies/draft-practice/";
const REVIEW: &str = "case-studies/review-practice/";
const REVIEWED: &str = "case-studies/reviewed-practice/";
const SPECIAL_TITLE: &str = "Health & Co {100%} #1: a_b ~ ^ \\ $ </script><!--";

fn site() -> SiteTest {
    let site = SiteTest::base();
    site.overlay("review_workflow");
    site
}

/// The published case studies of the last build, by URL, from catalogue.json.
fn records(site: &SiteTest) -> BTreeMap<String, Value> {
    let catalogue: Value = serde_json::from_str(&site.output("catalogue.json")).unwrap();
    let base = catalogue["base_url"].as_str().unwrap().to_string();
    let records = catalogue["case_studies"].as_array().unwrap();
    records
        .iter()
        .map(|r| {
            let url = r["url"].as_str().unwrap();
            (url.strip_prefix(&base).unwrap().to_string(), r.clone())
        })
        .collect()
}

/// The JSON of each `<script type="application/ld+json">` of a page.
#[track_caller]
fn json_ld(html: &str) -> Vec<Value> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    html.split(OPEN)
        .skip(1)
        .map(|rest| {
            let json = &rest[..rest.find("</script>").expect("the script ends")];
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
        })
        .collect()
}

/// The codes of the `about` terms of a document in one term set.
fn about_codes<'v>(doc: &'v Value, set: &str) -> Vec<&'v str> {
    (doc["about"].as_array().unwrap().iter())
        .filter(|t| t["inDefinedTermSet"]["name"] == set)
        .inspect(|t| assert_eq!(t["@type"], "DefinedTerm"))
        .map(|t| t["termCode"].as_str().unwrap())
        .collect()
}

#[test]
fn every_case_page_carries_json_ld_with_its_fields() {
    let mut site = site();
    site.build(&[]).assert_code(0);
    let records = records(&site);
    assert_eq!(records.len(), 5, "the base's four and the reviewed one");
    for (url, record) in &records {
        let html = site.output(&format!("{url}index.html"));
        let docs = json_ld(&html);
        assert_eq!(docs.len(), 1, "{url}: one JSON-LD document");
        let doc = &docs[0];
        assert_eq!(doc["@context"], "https://schema.org", "{url}");
        assert_eq!(doc["@type"], "Report", "{url}");
        assert_eq!(doc["name"], record["title"], "{url}");
        assert_eq!(doc["url"], record["url"], "{url}");
        assert_eq!(doc["inLanguage"], record["language"], "{url}");
        if record["date"] != "" {
            assert_eq!(doc["datePublished"], record["date"], "{url}");
        }
        // Every term of the record is in the document, as a subject or a place.
        let mut codes: Vec<&str> = doc["about"].as_array().map_or(vec![], |terms| {
            terms
                .iter()
                .map(|t| t["termCode"].as_str().unwrap())
                .collect()
        });
        let places = doc["spatialCoverage"].as_array();
        codes.extend(
            places
                .into_iter()
                .flatten()
                .filter_map(|p| p["identifier"].as_str()),
        );
        for facet in ["levels", "sdg", "gcm", "geography"] {
            for code in record["terms"][facet].as_array().unwrap() {
                assert!(
                    codes.contains(&code.as_str().unwrap()),
                    "{url}: {facet} {code}"
                );
            }
        }
    }

    let html = site.output("case-studies/bicol-committee/index.html");
    let doc = &json_ld(&html)[0];
    assert_eq!(
        doc["description"],
        "A regional committee links local, regional and national actors."
    );
    assert_eq!(doc["datePublished"], "2017-04-13");
    assert_eq!(
        about_codes(doc, "Sustainable Development Goals"),
        ["10.7", "17.18"]
    );
    assert_eq!(
        about_codes(doc, "Governance levels"),
        ["local", "subnational", "national"]
    );
    let gcm = doc["about"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["termCode"] == "23")
        .unwrap();
    assert!(
        gcm["name"].as_str().unwrap().starts_with("Objective 23"),
        "{gcm}"
    );
    assert!(gcm["url"].as_str().unwrap().ends_with("/gcm/23/"), "{gcm}");
    assert_eq!(gcm["inDefinedTermSet"]["@type"], "DefinedTermSet");
    let places = doc["spatialCoverage"].as_array().unwrap();
    assert_eq!(
        places[0],
        serde_json::json!({"@type": "Place", "name": "Bicol Region"})
    );
    assert!(places
        .iter()
        .any(|p| p["identifier"] == "PH" && p["name"] == "Philippines"));
    assert_eq!(
        doc["publisher"],
        serde_json::json!({"@type": "Organization", "name": "Direct contribution"})
    );
    assert_eq!(doc["contributor"][0]["name"], "JMDI");
    assert_eq!(
        doc["isPartOf"],
        serde_json::json!({"@type": "CreativeWorkSeries", "name": "JMDI case studies"})
    );
    assert_eq!(doc["position"], 18);
    assert!(doc["keywords"]
        .as_array()
        .unwrap()
        .contains(&"Policy coherence".into()));
}

/// An author's `</script>` cannot end the script element: the page's
/// script holds no `<` at all, and the JSON still reads as written.
#[test]
fn json_ld_text_cannot_close_its_script_element() {
    let mut site = site();
    site.build(&[]).assert_code(0);
    let html = site.output(&format!("{REVIEWED}index.html"));
    let start = html.find("application/ld+json\">").unwrap();
    let script = &html[start..start + html[start..].find("</script>").unwrap()];
    assert!(!script[20..].contains('<'), "{script}");
    let doc = &json_ld(&html)[0];
    assert_eq!(doc["name"], SPECIAL_TITLE);
    assert!(doc["description"]
        .as_str()
        .unwrap()
        .contains("</script><script>alert(1)"));
    assert!(
        !html.contains("<script>alert(1)"),
        "the summary is escaped everywhere"
    );
}

#[test]
fn the_catalogue_is_described_as_a_dataset_with_two_distributions() {
    let mut site = site();
    site.build(&["--base-url", "https://example.org/practices/"])
        .assert_code(0);
    let dataset: Value = serde_json::from_str(&site.output("catalogue.jsonld")).unwrap();
    assert_eq!(dataset["@context"]["@vocab"], "https://schema.org/");
    assert_eq!(dataset["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    assert_eq!(
        dataset["@type"],
        serde_json::json!(["Dataset", "dcat:Dataset"])
    );
    assert_eq!(dataset["url"], "https://example.org/practices/");
    assert!(dataset["name"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(dataset["description"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
    let files: Vec<(&str, &str)> = (dataset["distribution"].as_array().unwrap().iter())
        .map(|d| {
            assert_eq!(
                d["@type"],
                serde_json::json!(["DataDownload", "dcat:Distribution"])
            );
            assert_eq!(d["contentUrl"], d["dcat:downloadURL"]["@id"]);
            let media = d["encodingFormat"].as_str().unwrap();
            let iana = format!("https://www.iana.org/assignments/media-types/{media}");
            assert_eq!(d["dcat:mediaType"]["@id"], iana.as_str());
            (d["contentUrl"].as_str().unwrap(), media)
        })
        .collect();
    assert_eq!(
        files,
        [
            (
                "https://example.org/practices/catalogue.json",
                "application/json"
            ),
            ("https://example.org/practices/catalogue.csv", "text/csv"),
        ]
    );
    let linked: Vec<&Value> = (dataset["dcat:distribution"].as_array().unwrap().iter())
        .map(|d| &d["@id"])
        .collect();
    assert_eq!(
        linked,
        [&files[0].0.into(), &files[1].0.into()] as [&Value; 2]
    );
    // The newest published case study, not the draft of 2024.
    let newest = records(&site)
        .values()
        .filter_map(|r| r["date"].as_str().map(String::from))
        .max();
    assert_eq!(dataset["dateModified"].as_str(), newest.as_deref());
    assert!(newest.as_deref().is_some_and(|d| d < "2024"));
    let home = json_ld(&site.output("index.html"));
    assert_eq!(
        home,
        [dataset],
        "the home page carries the same description"
    );
}

/// The citation downloads of a case page: for each link of its
/// "Download the reference" line, the file name it is saved under and its
/// text, decoded from the `data:` URL. Holds each URL to what the page
/// needs: no character an HTML attribute or a URL parser would read.
#[track_caller]
fn citation_downloads(html: &str) -> BTreeMap<String, String> {
    let line = &html[html.find("class=\"cite-downloads\"").expect("downloads")..];
    let line = &line[..line.find("</p>").unwrap()];
    (line.split("<a ").skip(1))
        .map(|a| {
            let a = format!(" {a}");
            let attr = |name: &str| {
                let start = a.find(&format!(" {name}=\"")).map(|i| i + name.len() + 3);
                let value = &a[start.unwrap_or_else(|| panic!("{name} in {a}"))..];
                value[..value.find('"').unwrap()].to_string()
            };
            let (href, media_type) = (attr("href"), attr("type"));
            let prefix = format!("data:{media_type};charset=utf-8,");
            let data = (href.strip_prefix(&prefix)).unwrap_or_else(|| panic!("{prefix}: {href}"));
            let unsafe_char = |c: char| !c.is_ascii_graphic() || "\"#&<>?[\\]^`{|}".contains(c);
            assert!(!data.contains(unsafe_char), "encoded: {data}");
            let text = percent_encoding::percent_decode_str(data)
                .decode_utf8()
                .unwrap();
            (attr("download"), text.into_owned())
        })
        .collect()
}

#[test]
fn citation_downloads_parse_and_the_page_links_them() {
    let mut site = site();
    site.build(&[]).assert_code(0);
    for (url, record) in records(&site) {
        let html = site.output(&format!("{url}index.html"));
        assert!(html.contains("Cite this case study"), "{url}");
        let slug = record["slug"].as_str().unwrap();
        let title = record["title"].as_str().unwrap();
        let mut files = citation_downloads(&html);
        let names: Vec<&String> = files.keys().collect();
        let expected = ["bib", "json", "ris"].map(|e| format!("{slug}.{e}"));
        assert_eq!(names, expected.iter().collect::<Vec<_>>(), "{url}");
        for name in ["cite.bib", "cite.ris", "cite.json"] {
            assert!(
                !site.path("public").join(&url).join(name).exists(),
                "{url}{name}"
            );
        }

        let bib = files.remove(&expected[0]).unwrap();
        let parsed = Bibliography::parse(&bib).unwrap_or_else(|e| panic!("{url}: {e:?}\n{bib}"));
        assert_eq!(parsed.len(), 1, "{url}");
        let entry = parsed
            .get(slug)
            .unwrap_or_else(|| panic!("{url}: no entry {slug}"));
        assert_eq!(
            entry.get("title").unwrap().format_verbatim(),
            title,
            "{url}"
        );
        assert_eq!(
            entry.get("url").unwrap().format_verbatim(),
            record["url"].as_str().unwrap()
        );
        assert!(
            entry.get("author").is_some() && entry.get("year").is_some(),
            "{url}"
        );

        let csl: Value = serde_json::from_str(&files[&expected[1]]).unwrap();
        let item = &csl[0];
        assert_eq!(csl.as_array().unwrap().len(), 1, "{url}");
        assert_eq!(
            (&item["id"], &item["type"]),
            (&slug.into(), &"report".into()),
            "{url}"
        );
        assert_eq!(item["title"], title);
        assert_eq!(item["URL"], record["url"]);
        assert!(item["author"][0]["literal"].is_string(), "{url}");

        let ris = &files[&expected[2]];
        assert!(
            ris.starts_with("TY  - RPRT\r\n") && ris.ends_with("ER  - \r\n"),
            "{url}"
        );
        assert!(ris.contains(&format!("TI  - {title}\r\n")), "{url}");
    }
    // The special characters survive the round trip through the data: URL
    // and BibTeX.
    let reviewed = citation_downloads(&site.output(&format!("{REVIEWED}index.html")));
    let bib = &reviewed["reviewed-practice.bib"];
    assert!(
        bib.contains("Health \\& Co \\{100\\%\\} \\#1: a\\_b"),
        "{bib}"
    );
    let parsed = Bibliography::parse(bib).unwrap();
    let entry = parsed.get("reviewed-practice").unwrap();
    let author = entry.get("author").unwrap().format_verbatim();
    assert_eq!(author, "Ministry of Labour & Social Affairs");
    let bicol = citation_downloads(&site.output("case-studies/bicol-committee/index.html"));
    let item: Value =
        serde_json::from_str::<Value>(&bicol["bicol-committee.json"]).unwrap()[0].clone();
    assert_eq!(
        item["issued"]["date-parts"],
        serde_json::json!([[2017, 4, 13]])
    );
    assert_eq!(item["collection-title"], "JMDI case studies");
    assert_eq!(item["number"], "18");
}

/// Every file of the output whose text mentions `word` (any case).
fn files_mentioning(site: &SiteTest, word: &str) -> Vec<String> {
    let word = word.to_lowercase();
    (site.tree("public").into_iter())
        .filter(|(_, bytes)| {
            String::from_utf8_lossy(bytes)
                .to_lowercase()
                .contains(&word)
        })
        .map(|(path, _)| path)
        .collect()
}

#[test]
fn drafts_and_case_studies_under_review_are_left_out_of_a_build() {
    let mut site = site();
    site.build(&[]).assert_code(0);
    assert!(!site.path("public").join(DRAFT).exists());
    assert!(!site.path("public").join(REVIEW).exists());
    // Pages, listings, term pages, counts, search data, sitemap, feed and
    // catalogue: no file names them, nor the draft's own free tag.
    for word in [
        "xylozorp",
        "vemplicor",
        "quorblat",
        "draft-practice",
        "review-practice",
    ] {
        assert_eq!(
            files_mentioning(&site, word),
            Vec::<String>::new(),
            "{word}"
        );
    }
    assert!(!site.path("public/themes/quorblat-theme").exists());
    assert!(
        !site.path("public/sdg/5-4").exists(),
        "5.4 is the draft's only"
    );
    let reviewed = site.output(&format!("{REVIEWED}index.html"));
    assert!(reviewed.contains("Editorial board") && reviewed.contains("15 July 2021"));
    assert!(!reviewed.contains("not published"));
    assert!(site.output("sitemap.xml").contains(REVIEWED));

    site.check(&[]).assert_code(0).assert_stderr(&[
        "2 case studies are not published",
        "content/case-studies/draft-practice.md (draft): Xylozorp draft practice",
        "content/case-studies/review-practice.md (review): Vemplicor practice under review",
    ]);
    site.check(&["--format", "json"]).assert_code(0);
    let unpublished = &site.json()["unpublished"];
    assert_eq!(unpublished[0]["status"], "draft");
    assert_eq!(
        unpublished[1]["path"],
        "content/case-studies/review-practice.md"
    );
}

#[test]
fn build_with_drafts_shows_them_with_a_banner_but_never_in_the_open_data() {
    let mut site = site();
    site.build(&["--drafts"]).assert_code(0);
    let draft = site.output(&format!("{DRAFT}index.html"));
    assert!(draft.contains("Draft — not published"), "the banner");
    assert!(draft.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert_eq!(json_ld(&draft)[0]["creativeWorkStatus"], "Draft");
    let review = site.output(&format!("{REVIEW}index.html"));
    assert!(review.contains("Under review — not published"));
    let listing = site.output("case-studies/index.html");
    assert!(listing.contains("Xylozorp draft practice"));
    let cards = listing.matches("<p class=\"card-status\">").count();
    assert_eq!(cards, 2, "the two cards of drafts say so");
    assert!(listing.contains("<p class=\"card-status\">Draft — not published</p>"));
    let reviewed = site.output(&format!("{REVIEWED}index.html"));
    assert!(
        !reviewed.contains("status-banner"),
        "a published page has none"
    );
    for file in [
        "catalogue.json",
        "catalogue.csv",
        "sitemap.xml",
        "atom.xml",
        "catalogue.jsonld",
    ] {
        let text = site.output(file);
        assert!(
            !text.contains("Xylozorp") && !text.contains("Vemplicor"),
            "{file}"
        );
    }
}

#[test]
fn serve_shows_drafts_with_a_banner() {
    let site = site();
    let server = start(&site, 0);
    let (status, page) = get(server.port, &format!("/{DRAFT}"));
    assert_eq!(status, 200);
    assert!(page.contains("Draft — not published") && page.contains("Xylozorp"));
    let (status, page) = get(server.port, &format!("/{REVIEW}"));
    assert_eq!(status, 200);
    assert!(page.contains("Under review — not published"));
    let (_, catalogue) = get(server.port, "/catalogue.json");
    assert!(
        !catalogue.contains("Xylozorp"),
        "the open data never holds a draft"
    );
}

/// `new` writes the review fields from the table of core fields: published,
/// with nobody and no date of review (today is when it is shared, not when
/// it was reviewed); and it refuses a title whose page a draft holds.
#[test]
fn new_writes_the_review_fields_and_counts_drafts_pages_as_taken() {
    let mut site = site();
    site.run(&["new", "Fresh practice"]).assert_code(0);
    let text = site.read("content/case-studies/fresh-practice.md");
    for line in [
        "\nstatus: published\n",
        "\nreviewed_by: \"\"\n",
        "\nreviewed_on:\n",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    assert!(text.contains("# published, or draft / review"), "{text}");
    site.build(&[]).assert_code(0);
    assert!(site
        .output("case-studies/fresh-practice/index.html")
        .contains("Fresh practice"));
    let review = "content/case-studies/review-practice.md";
    site.edit(review, "status: review", "status: review\nslug: kathmandu");
    site.run(&["new", "Kathmandu"])
        .assert_code(2)
        .assert_stderr(&[
            "content/case-studies/review-practice.md already has the page /case-studies/kathmandu/",
        ]);
}

/// `serve --published-only` previews what `build` publishes; a change of
/// status publishes a case study or takes it out.
#[test]
fn serve_published_only_follows_status_changes() {
    let site = site();
    let server = start_with_options(&site, &["--published-only"]);
    let port = server.port;
    assert_eq!(get(port, &format!("/{DRAFT}")).0, 404);
    assert_eq!(get(port, &format!("/{REVIEWED}")).0, 200);
    site.edit(
        "content/case-studies/review-practice.md",
        "status: review",
        "status: published",
    );
    site.edit(
        "content/case-studies/reviewed-practice.md",
        "status: published",
        "status: draft",
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let published = get(port, &format!("/{REVIEW}")).0 == 200;
        let gone = get(port, &format!("/{REVIEWED}")).0 == 404;
        if published && gone {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "within 10 s: {published} {gone}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (_, page) = get(port, &format!("/{REVIEW}"));
    assert!(!page.contains("not published"), "no banner once published");
}

/// A published page cannot link to a draft: once built, the link would
/// lead nowhere. The error says why, at the link.
#[test]
fn a_link_to_a_draft_is_an_error_that_says_so() {
    let mut site = site();
    site.edit(
        "content/case-studies/reviewed-practice.md",
        "Reviewed and published.",
        "Reviewed and published; see [the draft](draft-practice.md).",
    );
    site.build(&[]).assert_code(1).assert_stderr(&[
        "content/case-studies/reviewed-practice.md:17:",
        "link \"draft-practice.md\" points at a case study that is not published (status: draft)",
        "publish it first",
    ]);
    site.build(&["--drafts"]).assert_code(0);
}

#[test]
fn an_unknown_status_is_an_error_with_a_suggestion() {
    let mut site = site();
    site.edit(
        "content/case-studies/review-practice.md",
        "status: review",
        "status: publshed",
    );
    site.build(&[]).assert_code(1).assert_stderr(&[
        "content/case-studies/review-practice.md:7:",
        "unknown status \"publshed\"",
        "did you mean \"published\"?",
    ]);
    site.edit(
        "content/case-studies/review-practice.md",
        "status: publshed",
        "status: [draft]",
    );
    site.build(&[])
        .assert_code(1)
        .assert_stderr(&["review-practice.md:7:", "`status`"]);
}

/// Under `serve`, a case study put back to draft says so on its card in
/// every listing, not only on its page: the preview re-renders a listing
/// when a card's fingerprint moves, so the fingerprint must hold the status
/// (found when the review workflow met fingerprints hashed field by field).
#[test]
fn serve_marks_the_card_of_a_case_study_put_back_to_draft() {
    let site = site();
    let server = start(&site, 0);
    let port = server.port;
    // The listing of all case studies, two to a page: its card is on one of them.
    let card_says_draft = || {
        let pages = ["/case-studies/".to_string()]
            .into_iter()
            .chain((2..=5).map(|n| format!("/case-studies/page/{n}/")));
        let card = pages
            .flat_map(|page| {
                get(port, &page)
                    .1
                    .split("<article")
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .find(|card| card.contains("reviewed-practice/\""))
            .expect("its card in the listing");
        card.contains("Draft — not published")
    };
    assert!(!card_says_draft(), "published: no status on its card");
    site.edit(
        "content/case-studies/reviewed-practice.md",
        "status: published",
        "status: draft",
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !card_says_draft() {
        assert!(
            std::time::Instant::now() < deadline,
            "within 10 s, the card in /case-studies/ says Draft"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
